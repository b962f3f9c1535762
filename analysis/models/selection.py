"""Choosing the number of topics: coherence, diversity and stability over a K sweep.

- **coherence** of each topic's top terms, computed by gensim's :class:`CoherenceModel`
  (``c_npmi``: mean normalised pointwise mutual information of term pairs in a sliding
  window, from -1 to 1; ``c_v``: a cosine of NPMI context vectors, 0 to 1; ``u_mass``: log
  conditional probability of document co-occurrence, at most 0);
- **diversity**, the share of distinct words among all topics' top 25 words (Dieng, Ruiz
  and Blei 2020): 1 when topics share no top word, ``1 / K`` when all are the same;
- **stability**, the mean Jaccard similarity of top-term sets between the topics of runs
  with different seeds, matched one-to-one by the Hungarian algorithm: 1 when every seed
  finds the same topics, near 0 when topics are an artefact of the seed.
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
    import pandas as pd

    from analysis.pipeline.vectors import VectorSpace


DIVERSITY_TOP_N = 25  # Dieng et al. (2020) define topic diversity on each topic's top 25 words


SWEEP_COLUMNS = ("engine", "k", "c_npmi", "c_v", "u_mass", "perplexity", "diversity", "stability", "c_npmi_sd")


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
    means = []
    for first, second in combinations(top_terms_by_seed, 2):
        _, jaccards = match_topics(first, second)
        means.append(sum(jaccards) / len(jaccards))
    return sum(means) / len(means)


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
    fits = ParallelMap(workers, progress=adapter.label if progress else None, unit="fit")
    return list(fits(_describe_fit_job, [(adapter, k, seed, params) for k, seed in jobs], space))


def _coherence_scores(
    heads: list[list[list[str]]], token_docs: list[list[str]], space: VectorSpace
) -> list[dict[str, float]]:
    """Mean coherence of every model's topics, for every measure, from one count of co-occurrences."""
    from analysis.models.coherence import sweep_coherence

    scores = sweep_coherence(heads, token_docs, space.dictionary, bow=space.bow(), measures=COHERENCE_MEASURES)
    return [{measure: values[measure][0] for measure in COHERENCE_MEASURES} for values in scores]


def _summarise_k(engine: str, k: int, runs: list[dict[str, float]], heads_by_seed: list) -> dict[str, Any]:
    """One row of the sweep table from the runs of one K."""
    import numpy as np

    row: dict[str, Any] = {"engine": engine, "k": k}
    for column in (*COHERENCE_MEASURES, "perplexity", "diversity"):
        row[column] = float(np.mean([run[column] for run in runs]))
    many = len(runs) > 1
    row["stability"] = stability(heads_by_seed) if many else float("nan")
    row["c_npmi_sd"] = float(np.std([run["c_npmi"] for run in runs], ddof=1)) if many else float("nan")
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
        ``c_npmi_sd`` need at least two seeds (NaN otherwise).
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

    Returns
    -------
    pandas.DataFrame
        One row per K, columns ``engine, k, c_npmi, c_v, u_mass, perplexity, diversity,
        stability, c_npmi_sd``: coherences, training perplexity (see :func:`~analysis.models.topics.perplexity`) and
        diversity are means over seeds; ``stability`` compares the seeds' topics (see
        :func:`stability`); ``c_npmi_sd`` is the sample standard deviation of the seeds'
        mean NPMI.

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
        rows.append(_summarise_k(adapter.name, k, [scores[i] for i in mine], [heads[i] for i in mine]))
    return round_table(pd.DataFrame(rows, columns=list(SWEEP_COLUMNS)))  # choose_k decides on the numbers as written


def choose_k(table: pd.DataFrame, min_stability: float = 0.5) -> tuple[int, str]:
    """Pick the number of topics from a :func:`sweep` table.

    The rule: among K values whose topics are stable across seeds (``stability >=
    min_stability``), the one with the highest mean NPMI coherence; ties go to the smaller
    K. When no K is stable enough (or stability is NaN because one seed was used), all K
    values compete.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``k, c_npmi, stability`` at least, one row per K, one engine.
    min_stability : float
        Lowest acceptable stability (mean matched Jaccard of top terms, 0 to 1).

    Returns
    -------
    tuple of (int, str)
        The chosen K and a one-sentence reason quoting its numbers.

    Raises
    ------
    ValueError
        When the table is empty, lacks a column, repeats a K or mixes engines.
    """
    missing = {"k", "c_npmi", "stability"} - set(table.columns)
    if missing:
        raise ValueError(f"table lacks column(s) {sorted(missing)}; pass the output of sweep")
    if table.empty:
        raise ValueError("table has no rows; run sweep with at least one K")
    if "engine" in table.columns and table["engine"].nunique() > 1:
        raise ValueError("table mixes engines; choose K for one engine at a time (filter on the engine column)")
    if table["k"].duplicated().any():
        raise ValueError("table repeats a K; pass one row per K, as sweep returns")
    stable = table[table["stability"] >= min_stability]
    candidates = stable if len(stable) else table
    ranked = candidates.sort_values(["c_npmi", "k"], ascending=[False, True], kind="stable")
    best = ranked.iloc[0]
    k, npmi = int(best["k"]), float(best["c_npmi"])
    if len(stable) == 1:
        reason = (
            f"K={k}: the only K whose topics are stable across seeds (stability {float(best['stability']):.2f} "
            f"≥ {min_stability:g}); its mean NPMI coherence is {npmi:.3f}"
        )
    elif len(stable):
        reason = (
            f"K={k}: highest mean NPMI coherence ({npmi:.3f}) among K values whose topics are stable across seeds "
            f"(stability ≥ {min_stability:g}; K={k} has {float(best['stability']):.2f})"
        )
    elif table["stability"].isna().all():
        reason = (
            f"K={k}: highest mean NPMI coherence ({npmi:.3f}) among all K values; stability was not measured "
            "(it needs at least two seeds)"
        )
    else:
        steadiest = table.sort_values(["stability", "k"], ascending=[False, True], kind="stable").iloc[0]
        reason = (
            f"K={k}: highest mean NPMI coherence ({npmi:.3f}) among all K values, as none reaches stability "
            f"≥ {min_stability:g} across seeds (the most stable, K={int(steadiest['k'])}, has "
            f"{float(steadiest['stability']):.2f})"
        )
    return k, reason + "." + _choice_caveats(table, k)


def _choice_caveats(table: pd.DataFrame, k: int) -> str:
    """Warnings a reader needs next to a choice of K: best NPMI elsewhere, range edge, weak topics."""
    notes = []
    top = table.sort_values(["c_npmi", "k"], ascending=[False, True], kind="stable").iloc[0]
    if int(top["k"]) != k:
        spread = (
            f" ± {float(top['c_npmi_sd']):.3f} across seeds"
            if "c_npmi_sd" in table and top["c_npmi_sd"] == top["c_npmi_sd"]
            else ""
        )
        notes.append(
            f"The highest NPMI of all, {float(top['c_npmi']):.3f}{spread}, is at K={int(top['k'])}, whose topics are less stable."
        )
    if len(table) > 1 and k in (int(table["k"].min()), int(table["k"].max())):
        notes.append("K lies at the edge of the range tried; widen K_VALUES to check.")
    if (table["c_npmi"] < 0).all():
        notes.append(
            "NPMI is negative for every K: top words co-occur less often than chance, so the topics are weak, "
            "as is usual for a small corpus."
        )
    return "".join(" " + note for note in notes)
