"""Choosing the number of topics: coherence, diversity and stability over a K sweep.

- **coherence** of each topic's top terms, computed by gensim's :class:`CoherenceModel`
  (``c_npmi``: mean normalised pointwise mutual information of term pairs in a sliding
  window, from -1 to 1; ``c_v``: a cosine of NPMI context vectors, 0 to 1; ``u_mass``: log
  conditional probability of document co-occurrence, at most 0);
- **diversity**, the share of distinct words among all topics' top 25 words (Dieng, Ruiz
  and Blei 2020): 1 when topics share no top word, ``1 / K`` when all are the same;
- **stability**, the mean Jaccard similarity of top-term sets between the topics of runs
  with different seeds, matched one-to-one by the Hungarian algorithm: 1 when every seed
  finds the same topics. It is well above 0 even for unrelated runs (frequent words lead
  every topic, and the matching picks the best pairing), so it is judged against its
  **chance baseline** (:func:`stability_chance`): the excess over chance is what the seeds
  agree on.

Each measure comes with its spread across seeds (standard errors), and :func:`choose_k`
calls two K values different only when their NPMI differs by more than one standard error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any

from analysis.checks import as_int, positive_int
from analysis.models.coherence import COHERENCE_MEASURES, check_topics
from analysis.models.engines import DEFAULT_ENGINE, Engine, check_k, fit, get_engine
from analysis.models.topics import top_term_lists, topic_terms
from analysis.pipeline.parallel import ParallelMap, usable_cores
from analysis.precision import round_table

if TYPE_CHECKING:  # heavy libraries are imported inside functions so that importing the module stays cheap
    import numpy as np
    import pandas as pd

    from analysis.pipeline.vectors import VectorSpace


DIVERSITY_TOP_N = 25  # Dieng et al. (2020) define topic diversity on each topic's top 25 words


SWEEP_COLUMNS = (
    "engine", "k", "c_npmi", "c_v", "u_mass", "perplexity", "diversity", "stability", "c_npmi_sd",
    "c_npmi_se", "stability_se", "stability_chance", "stability_excess", "stability_excess_se", "n_seeds",
)  # fmt: skip


def coherence(
    topic_top_terms: Sequence[Sequence[str]],
    token_docs: Iterable[Sequence[str]],
    space: VectorSpace,
    measure: str,
) -> tuple[float, list[float]]:
    """Topic coherence of top-term lists, with the definitions of gensim's ``CoherenceModel``.

    ``c_npmi`` and ``c_v`` count co-occurrences in sliding windows over ``token_docs``
    (gensim's window sizes: 10 and 110 tokens); ``u_mass`` counts co-occurrence within the
    documents of ``space`` (its bag-of-words), so ``token_docs`` is not used for it. The
    counting is :mod:`analysis.models.coherence`, which gives gensim's values (tested to 1e-6)
    and, in a K sweep, counts once for all models.

    Parameters
    ----------
    topic_top_terms : list of list of str
        Each topic's top terms, most probable first (see :func:`top_term_lists`); at least
        two terms per topic, all in ``space.vocabulary``.
    token_docs : iterable of list of str
        The cleaned token lists that windows slide over (usually the modelled documents).
    space : VectorSpace
        Supplies the dictionary (and the corpus for ``u_mass``).
    measure : {"c_npmi", "c_v", "u_mass"}
        The coherence measure.

    Returns
    -------
    tuple of (float, list of float)
        The mean over topics, and the coherence of each topic in input order.

    Raises
    ------
    ValueError
        When ``measure`` is unknown, a topic has fewer than two terms, or a term is not in
        the vocabulary.
    """
    from analysis.models.coherence import sweep_coherence

    if measure not in COHERENCE_MEASURES:
        raise ValueError(f"unknown coherence measure {measure!r}; use one of {', '.join(COHERENCE_MEASURES)}")
    topics = check_topics(topic_top_terms, "topic_top_terms", min_terms=2, vocabulary=space.dictionary.token2id)
    if measure == "u_mass":
        (scores,) = sweep_coherence([topics], None, space.dictionary, bow=space.bow(), measures=[measure])
    else:
        (scores,) = sweep_coherence([topics], token_docs, space.dictionary, measures=[measure])
    mean, per_topic = scores[measure]
    return float(mean), [float(value) for value in per_topic]


def topic_diversity(topic_top_terms: Sequence[Sequence[str]], top_n: int = DIVERSITY_TOP_N) -> float:
    """Share of distinct words among the top words of all topics (Dieng, Ruiz and Blei 2020).

    Parameters
    ----------
    topic_top_terms : list of list of str
        Each topic's terms, most probable first.
    top_n : int
        Words taken from the head of each topic (25 in the paper). Topics with fewer terms
        contribute all of theirs.

    Returns
    -------
    float
        ``distinct words / words taken``: 1 when no two topics share a top word, ``1 / K``
        when all topics have the same top words.

    Raises
    ------
    ValueError
        When there are no topics, a topic is empty, or ``top_n < 1``.
    """
    top_n = positive_int(top_n, "top_n")
    heads = [terms[:top_n] for terms in check_topics(topic_top_terms, "topic_top_terms")]
    return len({term for head in heads for term in head}) / sum(len(head) for head in heads)


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """``|A ∩ B| / |A ∪ B|`` of two term collections."""
    first, second = set(a), set(b)
    return len(first & second) / len(first | second)


def match_topics(
    a_terms: Sequence[Sequence[str]], b_terms: Sequence[Sequence[str]]
) -> tuple[list[tuple[int, int]], list[float]]:
    """Pair the topics of two runs one-to-one, maximising the total Jaccard similarity.

    Topic numbers are arbitrary (topic 0 of one seed may be topic 3 of another), so topics
    are matched by their top-term sets with the Hungarian algorithm
    (:func:`scipy.optimize.linear_sum_assignment`), which finds the pairing with the
    largest sum of Jaccard similarities; among equally good pairings it returns the same
    one every time.

    Parameters
    ----------
    a_terms, b_terms : list of list of str
        Each run's topics as lists of top terms (order within a topic is irrelevant).

    Returns
    -------
    pairs : list of tuple of (int, int)
        ``(topic in a, topic in b)``, ordered by the topic in ``a``; ``min(len(a), len(b))``
        pairs when the runs have different numbers of topics.
    jaccards : list of float
        The Jaccard similarity of each pair.

    Raises
    ------
    ValueError
        When either run has no topics or an empty topic.
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    first, second = check_topics(a_terms, "a_terms"), check_topics(b_terms, "b_terms")
    similarity = np.array([[_jaccard(a, b) for b in second] for a in first])
    rows, columns = linear_sum_assignment(similarity, maximize=True)
    pairs = [(int(i), int(j)) for i, j in zip(rows, columns)]
    return pairs, [float(similarity[i, j]) for i, j in pairs]


def stability(top_terms_by_seed: Sequence[Sequence[Sequence[str]]]) -> float:
    """Mean matched Jaccard similarity between the topics of every pair of runs.

    Parameters
    ----------
    top_terms_by_seed : list of list of list of str
        For each run (seed), its topics as lists of top terms.

    Returns
    -------
    float
        The mean, over all pairs of runs, of the mean Jaccard similarity of their matched
        topics (see :func:`match_topics`): 1.0 when all runs find the same top-term sets.

    Raises
    ------
    ValueError
        When fewer than two runs are given.
    """
    if len(top_terms_by_seed) < 2:
        raise ValueError(f"stability needs at least two runs (seeds), got {len(top_terms_by_seed)}; add seeds")
    means = list(pair_stability(top_terms_by_seed).values())
    return sum(means) / len(means)


#: Random draws behind each chance baseline of stability. The baseline's Monte Carlo error is
#: the spread of one draw's stability over sqrt(200) ≈ 14; measured on the default corpus (3 and
#: 5 seeds, K = 2 to 8, ten values of random_state) it was 0.001 to 0.003, a tenth or less of
#: the standard error of the stability excess across seeds. Costs 0.05 to 0.3 s per K.
CHANCE_DRAWS = 200


def pair_stability(top_terms_by_seed: Sequence[Sequence[Sequence[str]]]) -> dict[tuple[int, int], float]:
    """Mean matched Jaccard similarity of the topics of each pair of runs.

    Parameters
    ----------
    top_terms_by_seed : list of list of list of str
        For each run (seed), its topics as lists of top terms.

    Returns
    -------
    dict
        ``(i, j) -> similarity`` for every pair of runs ``i < j`` (see :func:`match_topics`);
        :func:`stability` is the mean of the values.
    """
    values = {}
    for (i, first), (j, second) in combinations(enumerate(top_terms_by_seed), 2):
        _, jaccards = match_topics(first, second)
        values[(i, j)] = sum(jaccards) / len(jaccards)
    return values


def shuffled_topics(run: Sequence[Sequence[str]], rng: np.random.Generator) -> list[list[str]]:
    """A run's topics remade at random from its own top terms: one draw of the chance baseline.

    Each new topic takes as many distinct terms as the old one had, in the order they come up
    in a random permutation of the run's top-term slots (every term once per topic that lists
    it). So a term is drawn in proportion to how many of the run's topics list it: a word that
    leads every topic is in nearly every new topic, as it would be by chance, while which words
    go together is random. Only integers are drawn (a permutation), so the result is the same
    on every CPU.

    Parameters
    ----------
    run : list of list of str
        One run's topics as lists of top terms.
    rng : numpy.random.Generator
        The source of randomness, advanced by one permutation per topic.

    Returns
    -------
    list of list of str
        As many topics as ``run``, each as long as its counterpart.
    """
    slots = [term for topic in run for term in sorted(set(topic))]
    topics = []
    for topic in run:
        drawn = dict.fromkeys(slots[i] for i in rng.permutation(len(slots)))
        topics.append(list(drawn)[: len(set(topic))])
    return topics


def stability_chance(
    top_terms_by_seed: Sequence[Sequence[Sequence[str]]], draws: int = CHANCE_DRAWS, random_state: int = 0
) -> dict[tuple[int, int], float]:
    """The stability each pair of runs would reach by chance: the baseline stability is judged against.

    Matched Jaccard similarity is well above 0 even between unrelated models: the corpus's
    frequent words lead topics of every run, and the Hungarian matching picks the best of all
    pairings. The baseline keeps both effects and removes what stability is meant to detect,
    which words the runs group together: each run's topics are redrawn from the run's own top
    terms (:func:`shuffled_topics`), independently for each run, and the redrawn runs are
    matched as the real ones are. Drawing from each run's own terms (not from the corpus's
    term frequencies, which put far fewer frequent words into a topic than LDA does, nor from
    the terms of all runs pooled, which makes the baseline depend on how many seeds were run)
    makes each pair's baseline depend on those two runs only, so the mean over pairs estimates
    the same quantity whatever the number of seeds.

    Parameters
    ----------
    top_terms_by_seed : list of list of list of str
        For each run (seed), its topics as lists of top terms; at least two runs.
    draws : int
        Random redraws of every run; the baseline is their mean.
    random_state : int
        Seed of the redraws (a fresh ``numpy.random.default_rng``), so the baseline is the same
        on every call.

    Returns
    -------
    dict
        ``(i, j) -> chance similarity`` for every pair of runs ``i < j``, as :func:`pair_stability`.

    Raises
    ------
    ValueError
        When fewer than two runs are given, a run has no topics or an empty topic, or ``draws < 1``.
    """
    import numpy as np

    if len(top_terms_by_seed) < 2:
        raise ValueError(f"stability needs at least two runs (seeds), got {len(top_terms_by_seed)}; add seeds")
    runs = [check_topics(run, f"run {index}") for index, run in enumerate(top_terms_by_seed)]
    draws = positive_int(draws, "draws")
    rng = np.random.default_rng(as_int(random_state, "random_state"))
    totals: dict[tuple[int, int], float] = {}
    for _ in range(draws):
        for pair, value in pair_stability([shuffled_topics(run, rng) for run in runs]).items():
            totals[pair] = totals.get(pair, 0.0) + value
    return {pair: total / draws for pair, total in totals.items()}


def jackknife_se(pair_values: Mapping[tuple[int, int], float], n_runs: int) -> float:
    """Standard error of a mean over pairs of runs, by leaving out one run at a time.

    The pairs share runs, so their values are not independent and ``sd / sqrt(pairs)`` would
    understate the error. The jackknife over runs (seeds) does not: with ``m`` runs and
    ``θ_(i)`` the mean over the pairs without run ``i``, the variance is
    ``(m - 1) / m · Σ (θ_(i) - mean θ_(·))²`` (Efron and Stein 1981; for means over pairs,
    Arvesen 1969).

    Parameters
    ----------
    pair_values : mapping of (int, int) to float
        A value per pair of runs ``i < j``, for every pair of ``n_runs`` runs.
    n_runs : int
        Number of runs.

    Returns
    -------
    float
        The standard error; NaN with fewer than three runs (leaving one of two out leaves no pair).
    """
    if n_runs < 3:
        return float("nan")
    import numpy as np

    left_out = [np.mean([v for pair, v in pair_values.items() if run not in pair]) for run in range(n_runs)]
    return float(np.sqrt((n_runs - 1) / n_runs * np.sum((np.array(left_out) - np.mean(left_out)) ** 2)))


def _check_sweep_inputs(
    space: VectorSpace, ks: Sequence[int], seeds: Sequence[int], engine: str | Engine, params: Mapping[str, Any]
) -> list[int]:
    """The K values in ascending order, after checking every input of :func:`sweep`."""
    get_engine(engine).check_params(params)
    if not len(seeds):
        raise ValueError("seeds is empty; pass at least one seed, e.g. [0, 1, 2] (three or more to measure stability)")
    seeds = [as_int(seed, "each seed") for seed in seeds]
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, got {seeds}; repeated seeds would inflate stability")
    if not len(ks):
        raise ValueError("ks is empty; pass the numbers of topics to try, e.g. range(2, 9)")
    ks = sorted({as_int(k, "each K") for k in ks})
    for k in ks:
        check_k(len(space.doc_ids), k)
    return ks


def _describe_fit_job(space: VectorSpace, job: tuple[Engine, int, int, dict[str, Any]]) -> dict[str, Any]:
    """Fit one ``(engine, k, seed, params)`` model and keep what the sweep needs: top terms and perplexity (no model).

    A :class:`ParallelMap` task: ``space`` is the context every worker receives once. The job
    carries the engine object rather than its name, so an engine registered in the parent
    process only is fitted in the workers too.
    """
    engine, k, seed, params = job
    model = fit(space, k, seed, engine, **params)
    terms = top_term_lists(topic_terms(model, space, DIVERSITY_TOP_N))
    return {"terms": terms, "perplexity": model.perplexity}


def default_workers(n_jobs: int) -> int:
    """Processes for ``n_jobs`` independent fits: the usable cores, at most one per job.

    Parameters
    ----------
    n_jobs : int
        Number of fits to run.

    Returns
    -------
    int
        At least 1.
    """
    return max(1, min(usable_cores(), n_jobs))


def fit_many(
    space: VectorSpace,
    jobs: Sequence[tuple[int, int]],
    engine: str | Engine,
    workers: int | None = None,
    progress: bool = True,
    params: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Fit one model per ``(k, seed)`` job, several at once, and describe each.

    Each fit runs single-threaded in its own process (``spawn``, so a notebook kernel's
    threads are never forked), so results are the same whatever the number of workers.

    Parameters
    ----------
    space : VectorSpace
        Documents to model; sent once to each worker.
    jobs : sequence of (int, int)
        ``(k, seed)`` pairs.
    engine : str or Engine
        Name of a registered engine (see :data:`~analysis.models.engines.ENGINES`), or an
        engine object.
    workers : int, optional
        Processes; None: :func:`default_workers`. 1 runs in this process.
    progress : bool
        Show a progress bar over the fits.
    params : mapping of str to Any, optional
        Hyperparameters of the engine for every fit (see :func:`~analysis.models.engines.fit`).

    Returns
    -------
    list of dict
        For each job in order, ``terms`` (each topic's top 25 terms) and ``perplexity``.

    Raises
    ------
    ValueError
        As :func:`~analysis.models.engines.fit`.
    """
    adapter = get_engine(engine)
    params = dict(params or {})
    workers = default_workers(len(jobs)) if workers is None else positive_int(workers, "workers")
    if adapter.spreads_itself:  # one Spark session per process: its fits run here, each over the cluster
        workers = 1
    fits = ParallelMap(workers, progress=adapter.label if progress else None, unit="fit")
    return list(fits(_describe_fit_job, [(adapter, k, seed, params) for k, seed in jobs], space))


def _coherence_scores(
    heads: list[list[list[str]]], token_docs: list[list[str]], space: VectorSpace
) -> list[dict[str, float]]:
    """Mean coherence of every model's topics, for every measure, from one count of co-occurrences."""
    from analysis.models.coherence import sweep_coherence

    scores = sweep_coherence(heads, token_docs, space.dictionary, bow=space.bow(), measures=COHERENCE_MEASURES)
    return [{measure: values[measure][0] for measure in COHERENCE_MEASURES} for values in scores]


def _stability_columns(heads_by_seed: list, random_state: int) -> dict[str, float]:
    """Stability, its chance baseline, the excess over it and their standard errors (NaN for one seed)."""
    import numpy as np

    if len(heads_by_seed) < 2:
        return dict.fromkeys(
            ("stability", "stability_se", "stability_chance", "stability_excess", "stability_excess_se"), float("nan")
        )
    observed = pair_stability(heads_by_seed)
    chance = stability_chance(heads_by_seed, random_state=random_state)
    excess = {pair: observed[pair] - chance[pair] for pair in observed}
    n_runs = len(heads_by_seed)
    return {
        "stability": float(np.mean(list(observed.values()))),
        "stability_se": jackknife_se(observed, n_runs),
        "stability_chance": float(np.mean(list(chance.values()))),
        "stability_excess": float(np.mean(list(excess.values()))),
        "stability_excess_se": jackknife_se(excess, n_runs),
    }


def _summarise_k(
    engine: str, k: int, runs: list[dict[str, float]], heads_by_seed: list, random_state: int = 0
) -> dict[str, Any]:
    """One row of the sweep table from the runs of one K."""
    import numpy as np

    row: dict[str, Any] = {"engine": engine, "k": k}
    for column in (*COHERENCE_MEASURES, "perplexity", "diversity"):
        row[column] = float(np.mean([run[column] for run in runs]))
    npmi = [run["c_npmi"] for run in runs]
    row["c_npmi_sd"] = float(np.std(npmi, ddof=1)) if len(runs) > 1 else float("nan")
    row["c_npmi_se"] = row["c_npmi_sd"] / len(runs) ** 0.5
    row.update(_stability_columns(heads_by_seed, random_state))
    row["n_seeds"] = len(runs)
    return row


def sweep(
    space: VectorSpace,
    token_docs: Iterable[Sequence[str]],
    ks: Sequence[int],
    seeds: Sequence[int],
    engine: str | Engine = DEFAULT_ENGINE,
    top_n: int = 10,
    progress: bool = True,
    workers: int | None = None,
    params: Mapping[str, Any] | None = None,
    random_state: int = 0,
) -> pd.DataFrame:
    """Fit one model per (K, seed) and summarise each K's quality.

    The fits run in parallel processes (see :func:`fit_many`); coherence is then computed
    for all models together.

    Parameters
    ----------
    space : VectorSpace
        Documents to model.
    token_docs : iterable of list of str
        Token lists for the sliding-window coherences (see :func:`coherence`).
    ks : sequence of int
        Numbers of topics to try (duplicates are dropped; rows come in ascending K).
    seeds : sequence of int
        Distinct ``random_state`` values; each K is fitted once per seed. Stability and
        ``c_npmi_sd`` need at least two seeds, the standard errors of stability three (NaN
        otherwise); the more seeds, the smaller the differences between K that
        :func:`choose_k` can tell apart (standard errors shrink as ``1 / sqrt(seeds)``).
    engine : str or Engine
        Name of a registered engine (see :data:`~analysis.models.engines.ENGINES`), or an
        engine object.
    top_n : int
        Top terms per topic for coherence and stability (diversity always uses 25).
    progress : bool
        Show a tqdm progress bar over the fits.
    workers : int, optional
        Processes fitting at once; None: one per usable core (see :func:`default_workers`).
    params : mapping of str to Any, optional
        Hyperparameters of the engine for every fit, overriding its defaults (see
        :func:`~analysis.models.engines.fit`).
    random_state : int
        Seed of the random redraws behind the chance baseline of stability (see
        :func:`stability_chance`); the models themselves are seeded by ``seeds``.

    Returns
    -------
    pandas.DataFrame
        One row per K, columns :data:`SWEEP_COLUMNS`: coherences, training perplexity (see
        :func:`~analysis.models.topics.perplexity`) and diversity are means over seeds;
        ``stability`` compares the seeds' topics (see :func:`stability`); ``c_npmi_sd`` is
        the sample standard deviation of the seeds' mean NPMI and ``c_npmi_se`` its standard
        error (``c_npmi_sd / sqrt(n_seeds)``); ``stability_chance`` is the stability expected
        of unrelated runs (:func:`stability_chance`), ``stability_excess`` is ``stability``
        minus it, and ``stability_se`` and ``stability_excess_se`` their standard errors over
        seeds (:func:`jackknife_se`); ``n_seeds`` counts the seeds. Floats are rounded as
        written (:func:`~analysis.precision.round_table`).

    Raises
    ------
    ValueError
        Before any fitting, when ``engine`` is unknown or does not accept a hyperparameter,
        ``seeds`` or ``ks`` is empty, seeds repeat, or a K is below 2 or not below the number
        of documents.
    """
    import pandas as pd

    adapter = get_engine(engine)
    params = dict(params or {})
    ks = _check_sweep_inputs(space, ks, seeds, adapter, params)
    random_state = as_int(random_state, "random_state")
    top_n = as_int(top_n, "top_n")
    if top_n < 2:
        raise ValueError(f"top_n must be at least 2 (coherence compares pairs of terms), got {top_n}")
    token_docs = [list(doc) for doc in token_docs]
    jobs = [(k, as_int(seed, "each seed")) for k in ks for seed in seeds]
    described = fit_many(space, jobs, adapter, workers, progress, params)
    heads = [[topic[:top_n] for topic in run["terms"]] for run in described]
    scores = _coherence_scores(heads, token_docs, space)
    for run, score in zip(described, scores):
        score["perplexity"] = run["perplexity"]
        score["diversity"] = topic_diversity(run["terms"], DIVERSITY_TOP_N)
    rows = []
    for k in ks:
        mine = [index for index, job in enumerate(jobs) if job[0] == k]
        rows.append(_summarise_k(adapter.name, k, [scores[i] for i in mine], [heads[i] for i in mine], random_state))
    return round_table(pd.DataFrame(rows, columns=list(SWEEP_COLUMNS)))  # choose_k decides on the numbers as written


def choose_k(table: pd.DataFrame, min_stability: float | None = None, *, min_excess: float = 0.0) -> tuple[int, str]:
    """Pick the number of topics from a :func:`sweep` table, judging differences against their spread.

    The rule, on a table with the chance baseline of stability (every :func:`sweep` table):

    1. **Candidates** are the K values whose topics recur across seeds more than chance: the
       stability excess over chance, less one standard error, is above ``min_excess``
       (``stability_excess - stability_excess_se > min_excess``; with fewer than three seeds
       the standard error is unknown and taken as 0), and, when ``min_stability`` is given,
       ``stability >= min_stability``. When no K qualifies, every K is a candidate and the
       reason says so.
    2. Among the candidates, the K with the highest mean NPMI coherence is the best, and every
       candidate whose NPMI lies within one standard error of the difference
       (``sqrt(se_best² + se_K²)``, from ``c_npmi_se``) is **indistinguishable** from it.
    3. Of the indistinguishable K values, the **smallest** is chosen: the one-standard-error
       rule (Breiman et al. 1984; Hastie, Tibshirani and Friedman 2009, §7.10), which prefers
       the simpler model when the data cannot tell the scores apart. The stability excess is
       not used to break the tie: its standard error is usually as large as its differences
       between neighbouring K, so it would decide on noise again.

    A table without ``stability_excess`` (written before the chance baseline existed) is
    judged by the earlier rule: the highest NPMI among K with ``stability >= min_stability``
    (0.5 when not given), ties to the smaller K.

    Parameters
    ----------
    table : pandas.DataFrame
        One engine's rows of a :func:`sweep` table: columns ``k, c_npmi, stability`` at
        least, one row per K; ``c_npmi_se``, ``stability_chance``, ``stability_excess``,
        ``stability_excess_se`` and ``n_seeds`` are used when present.
    min_stability : float, optional
        A floor on stability itself (mean matched Jaccard of top terms, 0 to 1). None: no
        floor when the table has the chance baseline, 0.5 otherwise.
    min_excess : float
        How far above chance, in Jaccard similarity, stability must be (beyond one standard
        error) for a K to be a candidate.

    Returns
    -------
    tuple of (int, str)
        The chosen K and a reason that quotes the numbers compared, with enough decimals to
        tell them apart, and says plainly when no K is clearly better than another.

    Raises
    ------
    ValueError
        When the table is empty, lacks a column, repeats a K or mixes engines.
    """
    _check_choice_table(table)
    if "stability_excess" not in table.columns:
        return _choose_by_stability(table, 0.5 if min_stability is None else float(min_stability))
    if table["stability_excess"].isna().all():
        ties, ranked = _npmi_ties(table)
        k = int(ties["k"].min())
        reason = _npmi_sentence(table, ties, ranked).removesuffix(".")
        return k, reason + "; stability was not measured (it needs at least two seeds)." + _range_notes(table, k)
    criterion = _criterion(min_stability, float(min_excess))
    eligible = _eligible(table, min_stability, float(min_excess))
    ties, ranked = _npmi_ties(table[eligible] if eligible.any() else table)
    k = int(ties["k"].min())
    chosen = table[table["k"] == k].iloc[0]
    if eligible.sum() == 1:
        sentences = [
            f"K={k}: the only K whose topics recur across seeds beyond chance ({criterion}): "
            f"{_against_chance(table, chosen)}; its mean NPMI coherence is "
            f"{_pm(table, chosen, 'c_npmi', _decimals(table['c_npmi']))} ({_spread_words(table, chosen.to_frame().T)})."
        ]
    else:
        sentences = [_npmi_sentence(table, ties, ranked), _candidates_sentence(table, eligible, criterion, chosen)]
    top = _by_npmi(table).iloc[0]
    if eligible.any() and not eligible[top.name]:
        floor_only = min_stability is not None and _eligible(table, None, float(min_excess))[top.name]
        why = f"whose stability is below {min_stability:g}" if floor_only else "whose topics do not recur beyond chance"
        decimals = _decimals([top["c_npmi"], chosen["c_npmi"]])
        sentences.append(
            f"The highest NPMI of all, {_pm(table, top, 'c_npmi', decimals)}, is at K={int(top['k'])}, {why}."
        )
    return k, " ".join(sentences) + _range_notes(table, k)


def _check_choice_table(table: pd.DataFrame) -> None:
    """The checks :func:`choose_k` makes on its table."""
    missing = {"k", "c_npmi", "stability"} - set(table.columns)
    if missing:
        raise ValueError(f"table lacks column(s) {sorted(missing)}; pass the output of sweep")
    if table.empty:
        raise ValueError("table has no rows; run sweep with at least one K")
    if "engine" in table.columns and table["engine"].nunique() > 1:
        raise ValueError("table mixes engines; choose K for one engine at a time (filter on the engine column)")
    if table["k"].duplicated().any():
        raise ValueError("table repeats a K; pass one row per K, as sweep returns")


def _column(table: pd.DataFrame, column: str) -> pd.Series:
    """A column of the table, NaN everywhere when the table lacks it."""
    return table[column] if column in table.columns else table["k"] * float("nan")


def _by_npmi(table: pd.DataFrame) -> pd.DataFrame:
    """Rows by descending NPMI, the smaller K first among equal values."""
    return table.sort_values(["c_npmi", "k"], ascending=[False, True], kind="stable")


def _decimals(values: Iterable[float], least: int = 3, most: int = 6) -> int:
    """The fewest decimals (at least ``least``) that print distinct values distinctly (sweep tables keep 6)."""
    finite = {float(v) for v in values if v == v}
    return next((d for d in range(least, most) if len({f"{v:.{d}f}" for v in finite}) == len(finite)), most)


def _pm(table: pd.DataFrame, row: pd.Series, column: str, decimals: int) -> str:
    """``value ± standard error`` of a row, or the value alone when its standard error is unknown."""
    value = f"{float(row[column]):.{decimals}f}"
    se = float(row[f"{column}_se"]) if f"{column}_se" in table.columns else float("nan")
    return f"{value} ± {se:.{decimals}f}" if se == se else value


def _ks(ks: Iterable[int]) -> str:
    """``2``, ``2 and 3``, ``2, 3 and 4``."""
    names = [str(int(k)) for k in ks]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _criterion(min_stability: float | None, min_excess: float) -> str:
    """Step 1 of :func:`choose_k` in words."""
    margin = f"{min_excess:g} plus one standard error" if min_excess else "one standard error"
    floor = f", and stability ≥ {min_stability:g}" if min_stability is not None else ""
    return f"stability above its chance baseline by more than {margin}{floor}"


def _eligible(table: pd.DataFrame, min_stability: float | None, min_excess: float) -> pd.Series:
    """Which K values have topics that recur across seeds beyond chance (step 1 of :func:`choose_k`)."""
    se = _column(table, "stability_excess_se").fillna(0.0)
    eligible = (table["stability_excess"] - se) > min_excess
    if min_stability is not None:
        eligible &= table["stability"] >= min_stability
    return eligible


def _npmi_ties(candidates: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Steps 2 and 3 of :func:`choose_k`: the candidates within the standard error of their difference from the best NPMI, and all ranked."""
    import numpy as np

    ranked = _by_npmi(candidates)
    se = _column(ranked, "c_npmi_se").fillna(0.0)
    margin = np.sqrt(se.iloc[0] ** 2 + se**2)
    ties = ranked[(ranked["c_npmi"].iloc[0] - ranked["c_npmi"]) <= margin].sort_values("k")
    return ties, ranked


def _spread_words(table: pd.DataFrame, rows: pd.DataFrame) -> str:
    """What the quoted numbers of ``rows`` are: means, with standard errors when they are known."""
    seeds = _column(table, "n_seeds").max()
    what = "mean ± standard error" if _column(rows, "c_npmi_se").notna().any() else "mean"
    if seeds != seeds:
        return f"{what} over seeds"
    return f"{what} over {int(seeds)} seed" + ("s" if int(seeds) != 1 else "")


def _npmi_sentence(table: pd.DataFrame, ties: pd.DataFrame, ranked: pd.DataFrame) -> str:
    """The choice among the candidates by NPMI, with the numbers compared."""
    chosen = ties.iloc[0]
    k = int(chosen["k"])
    if len(ranked) == 1:
        return f"K={k}: the only K; its mean NPMI coherence is {_pm(table, chosen, 'c_npmi', 3)}."
    if len(ties) == 1:
        runner = ranked.iloc[1]
        decimals = _decimals([chosen["c_npmi"], runner["c_npmi"]])
        return (
            f"K={k}: highest mean NPMI coherence, {_pm(table, chosen, 'c_npmi', decimals)}, more than one standard "
            f"error above the next, K={int(runner['k'])} with {_pm(table, runner, 'c_npmi', decimals)} "
            f"({_spread_words(table, ranked.head(2))})."
        )
    decimals = _decimals(ties["c_npmi"])
    values = ", ".join(f"K={int(row['k'])} {_pm(table, row, 'c_npmi', decimals)}" for _, row in ties.iterrows())
    spread = _spread_words(table, ties)
    close = (
        "each lies within the standard error of its difference from the best"
        if "±" in spread
        else "their means are equal"
    )
    return (
        f"K={k}: K = {_ks(ties['k'])} are indistinguishable by NPMI coherence ({values}; {spread}): "
        f"{close}, so none is clearly better; "
        f"chose K={k}, the smallest, by the one-standard-error rule (the simpler model when scores tie)."
    )


def _against_chance(table: pd.DataFrame, row: pd.Series) -> str:
    """``stability 0.548 against 0.434 by chance (excess 0.114 ± 0.063)`` for one K."""
    chance = float(_column(table, "stability_chance")[row.name])
    decimals = _decimals([row["stability"], chance])
    against = f" against {chance:.{decimals}f} by chance" if chance == chance else ""
    excess = _pm(table, row, "stability_excess", 3)
    return f"stability {float(row['stability']):.{decimals}f}{against} (excess {excess})"


def _candidates_sentence(table: pd.DataFrame, eligible: pd.Series, criterion: str, chosen: pd.Series) -> str:
    """Which K values were candidates and why, with the chosen K's stability against chance."""
    k = int(chosen["k"])
    if eligible.all():
        which = f"The topics of every K recur across seeds beyond chance ({criterion})"
    elif eligible.any():
        which = f"Candidates were K = {_ks(table.loc[eligible, 'k'])}, whose topics recur across seeds beyond chance ({criterion})"
    else:
        steadiest = table.sort_values(["stability_excess", "k"], ascending=[False, True], kind="stable").iloc[0]
        which = (
            f"No K's topics recur across seeds beyond chance ({criterion}; the largest excess, "
            f"{_pm(table, steadiest, 'stability_excess', 3)}, is at K={int(steadiest['k'])}), so every K was a candidate"
        )
    return f"{which}; K={k} has {_against_chance(table, chosen)}."


def _choose_by_stability(table: pd.DataFrame, min_stability: float) -> tuple[int, str]:
    """The rule for tables without a chance baseline: the best NPMI among K with ``stability >= min_stability``."""
    stable = table[table["stability"] >= min_stability]
    candidates = stable if len(stable) else table
    best = _by_npmi(candidates).iloc[0]
    k, npmi = int(best["k"]), float(best["c_npmi"])
    # enough decimals to tell the chosen K's NPMI from the highest of all, quoted after it
    d = _decimals([npmi, _by_npmi(table)["c_npmi"].iloc[0]])
    if len(stable) == 1:
        reason = (
            f"K={k}: the only K whose topics are stable across seeds (stability {float(best['stability']):.2f} "
            f"≥ {min_stability:g}); its mean NPMI coherence is {npmi:.{d}f}"
        )
    elif len(stable):
        reason = (
            f"K={k}: highest mean NPMI coherence ({npmi:.{d}f}) among K values whose topics are stable across seeds "
            f"(stability ≥ {min_stability:g}; K={k} has {float(best['stability']):.2f})"
        )
    elif table["stability"].isna().all():
        reason = (
            f"K={k}: highest mean NPMI coherence ({npmi:.{d}f}) among all K values; stability was not measured "
            "(it needs at least two seeds)"
        )
    else:
        steadiest = table.sort_values(["stability", "k"], ascending=[False, True], kind="stable").iloc[0]
        reason = (
            f"K={k}: highest mean NPMI coherence ({npmi:.{d}f}) among all K values, as none reaches stability "
            f"≥ {min_stability:g} across seeds (the most stable, K={int(steadiest['k'])}, has "
            f"{float(steadiest['stability']):.2f})"
        )
    return k, reason + "." + _choice_caveats(table, k)


def _choice_caveats(table: pd.DataFrame, k: int) -> str:
    """Warnings a reader needs next to a choice of K: best NPMI elsewhere, range edge, weak topics."""
    top = _by_npmi(table).iloc[0]
    if int(top["k"]) == k:
        return _range_notes(table, k)
    decimals = _decimals([top["c_npmi"], table.loc[table["k"] == k, "c_npmi"].iloc[0]])
    spread = (
        f" ± {float(top['c_npmi_sd']):.{decimals}f} across seeds"
        if "c_npmi_sd" in table and top["c_npmi_sd"] == top["c_npmi_sd"]
        else ""
    )
    note = (
        f" The highest NPMI of all, {float(top['c_npmi']):.{decimals}f}{spread}, is at K={int(top['k'])}, "
        "whose topics are less stable."
    )
    return note + _range_notes(table, k)


def _range_notes(table: pd.DataFrame, k: int) -> str:
    """Warnings on the range tried and on the level of coherence."""
    notes = []
    if len(table) > 1 and (k == int(table["k"].max()) or k == int(table["k"].min()) > 2):
        notes.append("K lies at the edge of the range tried; widen K_VALUES to check.")
    elif len(table) > 1 and k == int(table["k"].min()):
        notes.append(
            "K lies at the edge of the range tried: 2 is the fewest topics a model can have, and a corpus "
            "without clear topics would be given 2 as well."
        )
    if (table["c_npmi"] < 0).all():
        notes.append(
            "NPMI is negative for every K: top words co-occur less often than chance, so the topics are weak, "
            "as is usual for a small corpus."
        )
    return "".join(" " + note for note in notes)
