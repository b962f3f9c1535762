"""LDA topics: fitting, model selection, stability, tidy topic tables.

Five engines fit the same model, latent Dirichlet allocation, on the raw counts of one
:class:`~analysis.vectorize.VectorSpace` (LDA is a model of counts, so never of TF-IDF):

- ``"gensim"``: :class:`gensim.models.LdaModel`, online variational Bayes, single process.
- ``"gensim-multicore"``: :class:`gensim.models.LdaMulticore`; its workers interleave
  updates in an order the seed does not control, so two runs with the same
  ``random_state`` differ (see :data:`NONDETERMINISTIC`).
- ``"sklearn"``: :class:`sklearn.decomposition.LatentDirichletAllocation`, batch
  variational Bayes.
- ``"sklearn-online"``: the same class with mini-batch (online) updates.
- ``"tomotopy"``: :class:`tomotopy.LDAModel`, collapsed Gibbs sampling in C++; with one
  worker a seed gives the same model every time. Its fit is reduced to arrays
  (:class:`GibbsLDA`) so it pickles and compares like the others.

All use the same symmetric priors (``1 / K`` for document-topic and topic-term weights), so
their tables can be set side by side. Every engine runs its linear algebra on one thread
per fit (:func:`fit` limits BLAS threads), so a result does not depend on how many cores
the machine has; the K sweep uses the cores by fitting several models at once, in separate
processes. Every function that fits or infers takes
``random_state``, an int handed unchanged to gensim or scikit-learn; nothing touches numpy's
global random generator.

Choosing K rests on three numbers per K, each averaged over several seeds:

- **coherence** of each topic's top terms, computed by gensim's :class:`CoherenceModel`
  (``c_npmi``: mean normalised pointwise mutual information of term pairs in a sliding
  window, from -1 to 1; ``c_v``: a cosine of NPMI context vectors, 0 to 1; ``u_mass``: log
  conditional probability of document co-occurrence, at most 0);
- **diversity**, the share of distinct words among all topics' top 25 words (Dieng, Ruiz
  and Blei 2020): 1 when topics share no top word, ``1 / K`` when all are the same;
- **stability**, the mean Jaccard similarity of top-term sets between the topics of runs
  with different seeds, matched one-to-one by the Hungarian algorithm: 1 when every seed
  finds the same topics, near 0 when topics are an artefact of the seed.

Tables are tidy: ``topic, rank, term, weight`` for topics and ``doc_id, topic, share`` for
documents, with topics numbered from 0 and ranks from 1.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from analysis.coherence import COHERENCE_MEASURES  # the measures a sweep reports

if TYPE_CHECKING:  # heavy libraries are imported inside functions so that importing the module stays cheap
    import numpy as np
    import pandas as pd
    from gensim.models import LdaModel
    from sklearn.decomposition import LatentDirichletAllocation

    from analysis.vectorize import VectorSpace

    TopicModel = LdaModel | LatentDirichletAllocation

ENGINES = ("gensim", "gensim-multicore", "sklearn", "sklearn-online", "tomotopy")
DEFAULT_ENGINE = "tomotopy"  # fastest and closest to the true topics in `python -m analysis.bench` (see README)
ENGINE_LABELS = {
    "gensim": "gensim LdaModel",
    "gensim-multicore": "gensim LdaMulticore",
    "sklearn": "scikit-learn (batch)",
    "sklearn-online": "scikit-learn (online)",
    "tomotopy": "tomotopy (Gibbs sampling)",
}
NONDETERMINISTIC = {
    "gensim-multicore": "LdaMulticore workers update the topics in an order the seed does not control",
}
TOMOTOPY_ISA = "avx2,sse2"  # instruction sets tomotopy may use, in order (see _tomotopy); fixed so results match across CPUs
DIVERSITY_TOP_N = 25  # Dieng et al. (2020) define topic diversity on each topic's top 25 words
SWEEP_COLUMNS = ("engine", "k", "c_npmi", "c_v", "u_mass", "perplexity", "diversity", "stability", "c_npmi_sd")


# --- validation ---------------------------------------------------------------------------------------------------


def _as_int(value: Any, name: str) -> int:
    """``value`` as a Python int (numpy integers accepted), or a ValueError naming ``name``."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}; pass an int such as 0")
    try:
        return operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be an integer, got {value!r}; pass an int such as 0") from None


def check_k(n_docs: int, k: int) -> None:
    """Check that ``k`` topics can be fitted to ``n_docs`` documents.

    LDA needs at least two topics, and fewer topics than documents: with ``K >= N`` each
    document can own a topic and the model describes nothing but the documents themselves.

    Parameters
    ----------
    n_docs : int
        Number of documents (articles or paragraphs) in the corpus.
    k : int
        Number of topics.

    Raises
    ------
    ValueError
        When ``k`` is not an integer, ``k < 2``, or ``k >= n_docs``.
    """
    k = _as_int(k, "k (the number of topics)")
    if k < 2:
        raise ValueError(f"k must be at least 2 topics, got {k}; use K values of 2 or more")
    if k >= n_docs:
        raise ValueError(f"too few documents ({n_docs}) for {k} topics: lower the K values or model paragraphs")


def _engine(model: Any) -> str:
    """``"gensim"``, ``"sklearn"`` or ``"tomotopy"`` according to the model's type."""
    from gensim.models import LdaModel
    from sklearn.decomposition import LatentDirichletAllocation

    if isinstance(model, GibbsLDA):
        return "tomotopy"
    if isinstance(model, LdaModel):
        return "gensim"
    if isinstance(model, LatentDirichletAllocation):
        if not hasattr(model, "components_"):
            raise ValueError("the scikit-learn model is not fitted; fit it first (see fit_sklearn)")
        return "sklearn"
    raise TypeError(
        f"expected a gensim LdaModel, a scikit-learn LatentDirichletAllocation or a GibbsLDA, got {type(model).__name__}; "
        "fit one with topics.fit"
    )


def _check_same_vocabulary(model: Any, space: "VectorSpace") -> str:
    """The model's engine, after checking that it was fitted on ``space``'s vocabulary."""
    engine = _engine(model)
    n_terms = {"gensim": lambda: model.num_terms, "sklearn": lambda: model.components_.shape[1],
               "tomotopy": lambda: model.topic_term.shape[1]}[engine]()
    if n_terms != len(space.vocabulary):
        raise ValueError(
            f"the model has {n_terms} terms but the vector space has {len(space.vocabulary)}; "
            "pass the VectorSpace the model was fitted on"
        )
    return engine


def _check_topics(topic_top_terms: Sequence[Sequence[str]], name: str = "topic_top_terms") -> list[list[str]]:
    """Topics as lists of terms; a ValueError when there are none or one is empty."""
    if isinstance(topic_top_terms, str) or not len(topic_top_terms):
        raise ValueError(f"{name} must be a non-empty list of topics, each a list of terms")
    topics = [list(terms) for terms in topic_top_terms]
    for number, terms in enumerate(topics):
        if not terms or any(not isinstance(term, str) for term in terms):
            raise ValueError(f"{name}: topic {number} must be a non-empty list of str terms, got {terms!r}")
    return topics


# --- fitting ------------------------------------------------------------------------------------------------------


def fit_gensim(
    space: "VectorSpace",
    k: int,
    random_state: int,
    passes: int = 20,
    iterations: int = 400,
    alpha: str | float = "symmetric",
) -> "LdaModel":
    """Fit gensim's single-process LDA on the counts of ``space``.

    The defaults suit small corpora (tens of articles, a few hundred paragraphs):

    - ``passes=20``: a small corpus fits in one chunk, so each pass is one update of the
      topics; on a simulated corpus of 200 paragraphs, 20 passes bring the training
      perplexity within 2 % of its value after 40 passes (10 passes: within 5 %), at about
      a second per fit.
    - ``iterations=400``: an upper bound on the per-document inference loop, which stops
      earlier once the document's topic weights change by less than 0.001; short
      paragraphs converge in a few dozen steps, so the cap costs nothing but guards
      against unconverged documents.
    - ``alpha="symmetric"``: a fixed prior of ``1 / K`` on every topic, the same as
      scikit-learn's default, so the two engines and all K are compared under one prior.
      ``"auto"`` (also deterministic for a given seed) re-estimates an asymmetric prior
      from the documents after every update; with a few hundred short documents that
      estimate is noisy, and on the simulated corpus it gave no more coherent and slightly
      less stable topics across seeds.
    - ``eval_every=None``: no perplexity estimate during training (it would cost an extra
      pass over the corpus each time and is only logged); use :func:`perplexity` afterwards.
    - ``dtype=float64``: topic and document tables then sum to 1 to within 1e-15, and
      near-ties are not artefacts of single-precision rounding.
    - ``chunksize`` keeps gensim's default of 2000 documents, so corpora up to that size
      are updated in full batches.

    Parameters
    ----------
    space : VectorSpace
        Documents and vocabulary; the model is trained on ``space.bow()`` with
        ``id2word=space.dictionary``.
    k : int
        Number of topics (2 or more, fewer than the documents).
    random_state : int
        Seed passed unchanged to gensim; the same seed gives the same model.
    passes : int
        Passes over the corpus.
    iterations : int
        Maximum inference iterations per document and pass.
    alpha : str or float
        Document-topic prior, as gensim's ``alpha``.

    Returns
    -------
    gensim.models.LdaModel
        The fitted model.

    Raises
    ------
    ValueError
        When ``k`` does not suit the number of documents (see :func:`check_k`), or
        ``random_state``, ``passes`` or ``iterations`` is not a positive integer.
    """
    import numpy as np
    from gensim.models import LdaModel

    check_k(len(space.doc_ids), k)
    random_state = _as_int(random_state, "random_state")
    for name, value in (("passes", passes), ("iterations", iterations)):
        if _as_int(value, name) < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    return LdaModel(
        corpus=space.bow(),
        num_topics=k,
        id2word=space.dictionary,
        random_state=random_state,
        passes=passes,
        iterations=iterations,
        alpha=alpha,
        eval_every=None,
        dtype=np.float64,
    )


def fit_sklearn(space: "VectorSpace", k: int, random_state: int, max_iter: int = 30) -> "LatentDirichletAllocation":
    """Fit scikit-learn's batch LDA on the counts of ``space``.

    Batch learning (every iteration sees every document) with ``n_jobs=1`` is exactly
    reproducible for a given seed. ``max_iter=30``: on a simulated corpus of 200 paragraphs
    the training perplexity after 30 iterations is within 0.5 % of its value after 100, at
    about 35 ms per iteration (scikit-learn's default of 10 stops 1 % short). Priors are
    scikit-learn's defaults, ``1 / K``, as in :func:`fit_gensim`.

    Parameters
    ----------
    space : VectorSpace
        Documents and vocabulary; the model is trained on ``space.counts``.
    k : int
        Number of topics (2 or more, fewer than the documents).
    random_state : int
        Seed passed unchanged to scikit-learn.
    max_iter : int
        Passes over the corpus.

    Returns
    -------
    sklearn.decomposition.LatentDirichletAllocation
        The fitted model.

    Raises
    ------
    ValueError
        When ``k`` does not suit the number of documents (see :func:`check_k`), or
        ``random_state`` or ``max_iter`` is not a positive integer.
    """
    from sklearn.decomposition import LatentDirichletAllocation

    check_k(len(space.doc_ids), k)
    random_state = _as_int(random_state, "random_state")
    if _as_int(max_iter, "max_iter") < 1:
        raise ValueError(f"max_iter must be at least 1, got {max_iter}")
    model = LatentDirichletAllocation(
        n_components=k, learning_method="batch", max_iter=max_iter, random_state=random_state, n_jobs=1
    )
    return model.fit(space.counts)


@dataclass(frozen=True, eq=False)
class GibbsLDA:
    """A tomotopy LDA fit, reduced to arrays in the order of its :class:`VectorSpace`.

    Attributes
    ----------
    topic_term : numpy.ndarray
        ``K × V`` topic-term probabilities (rows sum to 1), columns in ``space.vocabulary`` order.
    doc_topic : numpy.ndarray
        ``D × K`` topic shares of the training documents (rows sum to 1), rows in
        ``doc_ids`` order; a document with no words gets equal shares.
    doc_ids : tuple of str
        The training documents.
    ll_per_word : float
        Log-likelihood per token of the final sample (nats), as tomotopy reports it.
    iterations : int
        Gibbs sweeps over the corpus.
    workers : int
        Threads tomotopy used (results are reproducible with one).
    """

    topic_term: "np.ndarray"
    doc_topic: "np.ndarray"
    doc_ids: tuple[str, ...]
    ll_per_word: float
    iterations: int
    workers: int


def _tomotopy() -> Any:
    """Import tomotopy with its instruction set fixed to :data:`TOMOTOPY_ISA`.

    tomotopy picks the widest SIMD instruction set of the CPU at import (AVX-512 on some
    machines, AVX2 or SSE2 on others) and floating-point sums then differ in the last bits,
    so the same seed gives slightly different models on different machines. Fixing the
    instruction set (``TOMOTOPY_ISA``, read once at import) keeps results identical wherever
    it is available; tomotopy falls back to a narrower one on CPUs without it.
    """
    import os

    os.environ.setdefault("TOMOTOPY_ISA", TOMOTOPY_ISA)
    import tomotopy

    return tomotopy


def fit_tomotopy(
    space: "VectorSpace",
    k: int,
    random_state: int,
    iterations: int = 500,
    workers: int = 1,
    progress: bool = False,
) -> GibbsLDA:
    """Fit LDA by collapsed Gibbs sampling with tomotopy on the counts of ``space``.

    - ``iterations=500``: Gibbs sweeps over every token. On the synthetic benchmark corpora
      (``python -m analysis.bench``) the matched cosine to the true topics stops improving
      after a few hundred sweeps; the last sample's counts give the topics.
    - priors ``alpha = eta = 1 / K``, the same as the other engines.
    - ``workers=1`` gives the same model for the same seed; with more workers tomotopy
      splits the corpus between threads and warns that results may vary.

    Parameters
    ----------
    space : VectorSpace
        Documents and vocabulary.
    k : int
        Number of topics (2 or more, fewer than the documents).
    random_state : int
        Seed of tomotopy's sampler.
    iterations : int
        Gibbs sweeps.
    workers : int
        Threads.
    progress : bool
        Show a progress bar over the sweeps.

    Returns
    -------
    GibbsLDA
        The fit as arrays.

    Raises
    ------
    ValueError
        When ``k`` does not suit the number of documents, or a count is not a positive
        integer.
    """
    import warnings

    import numpy as np
    from tqdm.auto import tqdm

    check_k(len(space.doc_ids), k)
    random_state = _as_int(random_state, "random_state")
    for name, value in (("iterations", iterations), ("workers", workers)):
        if _as_int(value, name) < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    tp = _tomotopy()
    model = tp.LDAModel(k=k, alpha=1.0 / k, eta=1.0 / k, seed=random_state)
    counts = space.counts.tocsr()
    vocabulary = np.asarray(space.vocabulary, dtype=object)
    added = []
    for row in range(counts.shape[0]):
        start, stop = counts.indptr[row], counts.indptr[row + 1]
        if stop > start:
            model.add_doc(np.repeat(vocabulary[counts.indices[start:stop]], counts.data[start:stop]).tolist())
            added.append(row)
    scheme = tp.ParallelScheme.NONE if workers == 1 else tp.ParallelScheme.PARTITION
    step = 50
    with warnings.catch_warnings(), tqdm(total=iterations, desc=f"Gibbs K={k}", unit="sweep", disable=not progress) as bar:
        warnings.filterwarnings("ignore", message="The training result may differ")
        done = 0
        while done < iterations:
            todo = min(step, iterations - done)
            model.train(todo, workers=workers, parallel=scheme, show_progress=False)
            done += todo
            bar.update(todo)
    index = {term: j for j, term in enumerate(space.vocabulary)}
    columns = np.array([index[term] for term in model.used_vocabs], dtype=np.int64)
    topic_term = np.zeros((k, len(space.vocabulary)), dtype=np.float64)
    for topic in range(k):
        topic_term[topic, columns] = np.asarray(model.get_topic_word_dist(topic), dtype=np.float64)
    topic_term /= topic_term.sum(axis=1, keepdims=True)
    doc_topic = np.full((counts.shape[0], k), 1.0 / k)
    for doc, row in zip(model.docs, added):
        shares = np.asarray(doc.get_topic_dist(), dtype=np.float64)
        doc_topic[row] = shares / shares.sum()
    return GibbsLDA(topic_term, doc_topic, tuple(space.doc_ids), float(model.ll_per_word), iterations, workers)


def fit_sklearn_online(
    space: "VectorSpace", k: int, random_state: int, max_iter: int = 10, batch_size: int = 512, workers: int = 1
) -> "LatentDirichletAllocation":
    """Fit scikit-learn's online (mini-batch) LDA on the counts of ``space``.

    ``batch_size=512`` documents per update and ``max_iter=10`` passes; ``learning_offset``
    and ``learning_decay`` keep scikit-learn's defaults. The seed fixes the result;
    ``workers`` spreads each E-step over processes (joblib), which does not change it.

    Parameters
    ----------
    space : VectorSpace
        Documents and vocabulary.
    k : int
        Number of topics.
    random_state : int
        Seed passed unchanged to scikit-learn.
    max_iter, batch_size : int
        Passes and mini-batch size.
    workers : int
        ``n_jobs`` of scikit-learn.

    Returns
    -------
    sklearn.decomposition.LatentDirichletAllocation
        The fitted model.

    Raises
    ------
    ValueError
        As :func:`fit_sklearn`.
    """
    from sklearn.decomposition import LatentDirichletAllocation

    check_k(len(space.doc_ids), k)
    model = LatentDirichletAllocation(
        n_components=k,
        learning_method="online",
        max_iter=_as_int(max_iter, "max_iter"),
        batch_size=_as_int(batch_size, "batch_size"),
        random_state=_as_int(random_state, "random_state"),
        n_jobs=_as_int(workers, "workers"),
    )
    return model.fit(space.counts)


def fit_gensim_multicore(space: "VectorSpace", k: int, random_state: int, passes: int = 10, workers: int = 2) -> "LdaModel":
    """Fit gensim's ``LdaMulticore`` (not reproducible: see :data:`NONDETERMINISTIC`).

    Parameters
    ----------
    space : VectorSpace
        Documents and vocabulary.
    k : int
        Number of topics.
    random_state : int
        Seed (it does not fix the result).
    passes : int
        Passes over the corpus.
    workers : int
        Worker processes.

    Returns
    -------
    gensim.models.LdaModel
        The fitted model (an ``LdaMulticore``).
    """
    import numpy as np
    from gensim.models import LdaMulticore

    check_k(len(space.doc_ids), k)
    return LdaMulticore(
        corpus=space.bow(),
        num_topics=k,
        id2word=space.dictionary,
        random_state=_as_int(random_state, "random_state"),
        passes=_as_int(passes, "passes"),
        workers=max(1, _as_int(workers, "workers")),
        alpha="symmetric",
        eval_every=None,
        dtype=np.float64,
    )


def engine_note(engine: str, workers: int = 1) -> str:
    """How an engine fits and whether a seed fixes its result, for run manifests.

    Parameters
    ----------
    engine : str
        One of :data:`ENGINES`.
    workers : int
        Threads or processes it used.

    Returns
    -------
    str
        E.g. ``"gensim LdaModel: deterministic for a fixed seed"``.
    """
    if is_deterministic(engine, workers):
        return f"{ENGINE_LABELS[engine]}: deterministic for a fixed seed"
    reason = NONDETERMINISTIC.get(engine, "several threads sample in an order the seed does not control")
    return f"{ENGINE_LABELS[engine]}: NOT reproducible ({reason})"


def is_deterministic(engine: str, workers: int = 1) -> bool:
    """Whether ``engine`` with ``workers`` gives the same model for the same seed.

    Parameters
    ----------
    engine : str
        One of :data:`ENGINES`.
    workers : int
        Threads or processes the engine uses.

    Returns
    -------
    bool
        False for ``gensim-multicore`` always, and for ``tomotopy`` with several workers.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    return engine not in NONDETERMINISTIC and not (engine == "tomotopy" and workers > 1)


def fit(
    space: "VectorSpace", k: int, random_state: int, engine: str = DEFAULT_ENGINE, workers: int = 1
) -> "TopicModel":
    """Fit LDA with one of :data:`ENGINES` and its default settings.

    BLAS libraries run on one thread during the fit, so the result does not depend on the
    number of cores; ``workers`` only reaches engines that parallelise on their own
    (``gensim-multicore``, ``sklearn-online``, ``tomotopy``).

    Parameters
    ----------
    space : VectorSpace
        Documents and vocabulary.
    k : int
        Number of topics.
    random_state : int
        Seed passed unchanged to the engine.
    engine : str
        One of :data:`ENGINES`.
    workers : int
        Threads or processes for the engines that use them.

    Returns
    -------
    gensim.models.LdaModel, sklearn.decomposition.LatentDirichletAllocation or GibbsLDA
        The fitted model.

    Raises
    ------
    ValueError
        When ``engine`` is unknown, or as the engine's own ``fit_*`` function.
    """
    from threadpoolctl import threadpool_limits

    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    with threadpool_limits(limits=1):
        if engine == "gensim":
            return fit_gensim(space, k, random_state)
        if engine == "gensim-multicore":
            return fit_gensim_multicore(space, k, random_state, workers=max(2, workers))
        if engine == "sklearn":
            return fit_sklearn(space, k, random_state)
        if engine == "sklearn-online":
            return fit_sklearn_online(space, k, random_state, workers=workers)
        return fit_tomotopy(space, k, random_state, workers=workers)


# --- tidy tables --------------------------------------------------------------------------------------------------


def topic_term_matrix(model: "TopicModel", space: "VectorSpace") -> "np.ndarray":
    """The topic-term probabilities ``P(term | topic)`` of either engine.

    Parameters
    ----------
    model : gensim.models.LdaModel or sklearn.decomposition.LatentDirichletAllocation
        A fitted model.
    space : VectorSpace
        The vector space the model was fitted on (columns = ``space.vocabulary``).

    Returns
    -------
    numpy.ndarray
        ``K × V`` float64 array; each row sums to 1. For scikit-learn these are the rows of
        ``components_`` (pseudo-counts) divided by their sums; for gensim, gensim's
        ``lambda`` normalised the same way (what ``get_topics`` returns, in float64).

    Raises
    ------
    TypeError
        When ``model`` is neither engine's LDA.
    ValueError
        When the model was fitted on another vocabulary, or is not fitted.
    """
    import numpy as np

    engine = _check_same_vocabulary(model, space)
    if engine == "tomotopy":
        return np.array(model.topic_term, dtype=np.float64)
    weights = model.state.get_lambda() if engine == "gensim" else model.components_
    weights = np.asarray(weights, dtype=np.float64)
    return weights / weights.sum(axis=1, keepdims=True)


def topic_terms(model: "TopicModel", space: "VectorSpace", top_n: int = 10) -> "pd.DataFrame":
    """The most probable terms of every topic, as a tidy table.

    Parameters
    ----------
    model : gensim.models.LdaModel or sklearn.decomposition.LatentDirichletAllocation
        A fitted model.
    space : VectorSpace
        The vector space the model was fitted on.
    top_n : int
        Terms per topic (all terms when the vocabulary is smaller).

    Returns
    -------
    pandas.DataFrame
        Columns ``topic, rank, term, weight``: topics from 0, ranks from 1 within each topic,
        ``weight = P(term | topic)`` (see :func:`topic_term_matrix`). Ordered by topic, then
        weight descending, ties broken by term.

    Raises
    ------
    TypeError
        When ``model`` is neither engine's LDA.
    ValueError
        When ``top_n < 1``, or as :func:`topic_term_matrix`.
    """
    import numpy as np
    import pandas as pd

    top_n = _as_int(top_n, "top_n")
    if top_n < 1:
        raise ValueError(f"top_n must be at least 1, got {top_n}")
    matrix = topic_term_matrix(model, space)
    vocabulary = np.asarray(space.vocabulary, dtype=object)
    term_order = np.argsort(vocabulary.astype(str), kind="stable")
    alphabetical_rank = np.empty_like(term_order)
    alphabetical_rank[term_order] = np.arange(len(term_order))
    n = min(top_n, len(vocabulary))
    rows = []
    for topic, weights in enumerate(matrix):
        best = np.lexsort((alphabetical_rank, -weights))[:n]
        rows.append(
            pd.DataFrame(
                {"topic": topic, "rank": np.arange(1, n + 1), "term": vocabulary[best], "weight": weights[best]}
            )
        )
    table = pd.concat(rows, ignore_index=True)
    return table.astype({"topic": "int64", "rank": "int64", "term": str, "weight": "float64"})


def top_term_lists(terms: "pd.DataFrame", top_n: int | None = None) -> list[list[str]]:
    """Turn a :func:`topic_terms` table into one list of terms per topic.

    Parameters
    ----------
    terms : pandas.DataFrame
        Columns ``topic, rank, term`` at least.
    top_n : int, optional
        Keep only ranks ``1..top_n``; all ranks when omitted.

    Returns
    -------
    list of list of str
        Terms in rank order, topics in ascending order; the input of :func:`coherence`,
        :func:`topic_diversity`, :func:`match_topics` and :func:`stability`.

    Raises
    ------
    ValueError
        When a column is missing.
    """
    missing = {"topic", "rank", "term"} - set(terms.columns)
    if missing:
        raise ValueError(f"terms table lacks column(s) {sorted(missing)}; pass the output of topic_terms")
    ordered = terms.sort_values(["topic", "rank"], kind="stable")
    if top_n is not None:
        ordered = ordered[ordered["rank"] <= top_n]
    return [group["term"].tolist() for _, group in ordered.groupby("topic", sort=True)]


def _gensim_gamma(model: "LdaModel", bow: list, random_state: int) -> "np.ndarray":
    """Variational document-topic parameters, inferred with a seed of our own.

    gensim initialises inference from the model's own random generator and advances it, so
    calling ``get_document_topics`` twice gives slightly different numbers. A shallow copy
    with a fresh generator keeps the model untouched and the result repeatable.
    """
    import copy

    import numpy as np

    twin = copy.copy(model)
    twin.random_state = np.random.RandomState(random_state)
    gamma, _ = twin.inference(bow)
    return gamma


def _gibbs_doc_topic(model: GibbsLDA, space: "VectorSpace") -> "np.ndarray":
    """The training documents' topic shares of a Gibbs fit, after checking ``space`` holds them."""
    if tuple(space.doc_ids) != model.doc_ids:
        raise ValueError(
            "a tomotopy fit describes only the documents it was trained on; pass the VectorSpace it was fitted on"
        )
    return model.doc_topic


def doc_topics(model: "TopicModel", space: "VectorSpace", random_state: int = 0) -> "pd.DataFrame":
    """The topic shares of every document, as a tidy table.

    Parameters
    ----------
    model : gensim.models.LdaModel or sklearn.decomposition.LatentDirichletAllocation
        A fitted model.
    space : VectorSpace
        The documents to describe, in the model's vocabulary (usually the training space).
    random_state : int
        Seed for gensim's inference, which starts from random topic weights (the same
        computation as ``get_document_topics(..., minimum_probability=0)``, but with no topic
        dropped and no change to the model's own generator). scikit-learn's inference is
        deterministic and ignores it.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, topic, share``: one row per document and topic, in the order of
        ``space.doc_ids`` then topic; the shares of each document sum to 1.

    Raises
    ------
    TypeError
        When ``model`` is neither engine's LDA.
    ValueError
        When the model was fitted on another vocabulary.
    """
    import numpy as np
    import pandas as pd

    engine = _check_same_vocabulary(model, space)
    if engine == "gensim":
        weights = _gensim_gamma(model, space.bow(), _as_int(random_state, "random_state"))
    elif engine == "tomotopy":
        weights = _gibbs_doc_topic(model, space)
    else:
        weights = model.transform(space.counts)
    shares = np.asarray(weights, dtype=np.float64)
    shares = shares / shares.sum(axis=1, keepdims=True)
    n_docs, k = shares.shape
    return pd.DataFrame(
        {
            "doc_id": np.repeat(np.asarray(space.doc_ids, dtype=object), k).astype(str),
            "topic": np.tile(np.arange(k, dtype=np.int64), n_docs),
            "share": shares.ravel(),
        }
    )


def perplexity(model: "TopicModel", space: "VectorSpace", random_state: int = 0) -> float:
    """Perplexity of the documents of ``space`` under the model (lower fits better).

    ``exp(-bound / N)``, with ``bound`` the variational lower bound of the log-likelihood
    (in nats) of the ``N`` tokens, for both engines (gensim's own log line prints
    ``2 ** -bound`` instead; scikit-learn's ``perplexity`` is this formula). Computed on the
    documents given, normally the training data: a check that a fit did not fail, not a
    test of generalisation nor of how interpretable the topics are. The two engines use
    different priors and inference, so their values differ in level.

    - gensim: bound from ``LdaModel.bound`` after inference from ``random_state`` (see
      :func:`doc_topics`).
    - scikit-learn: ``model.perplexity(space.counts)``.

    Parameters
    ----------
    model : gensim.models.LdaModel or sklearn.decomposition.LatentDirichletAllocation
        A fitted model.
    space : VectorSpace
        The documents to score.
    random_state : int
        Seed for gensim's inference; ignored by scikit-learn.

    Returns
    -------
    float
        The perplexity.

    Raises
    ------
    TypeError
        When ``model`` is neither engine's LDA.
    ValueError
        When the model was fitted on another vocabulary, or ``space`` has no words.
    """
    engine = _check_same_vocabulary(model, space)
    n_words = int(space.counts.sum())
    if n_words == 0:
        raise ValueError("the vector space has no words to score; check the documents passed")
    if engine == "sklearn":
        return float(model.perplexity(space.counts))
    if engine == "tomotopy":
        _gibbs_doc_topic(model, space)
        return float(math.exp(-model.ll_per_word))
    bow = space.bow()
    gamma = _gensim_gamma(model, bow, _as_int(random_state, "random_state"))
    # bound() expects each document's gamma as a 1 × K row, the shape inference() gives for one document
    bound = model.bound(bow, gamma=gamma[:, None, :])
    return float(math.exp(-bound / n_words))


# --- quality measures ---------------------------------------------------------------------------------------------


def coherence(
    topic_top_terms: Sequence[Sequence[str]],
    token_docs: Iterable[Sequence[str]],
    space: "VectorSpace",
    measure: str,
) -> tuple[float, list[float]]:
    """Topic coherence of top-term lists, with the definitions of gensim's ``CoherenceModel``.

    ``c_npmi`` and ``c_v`` count co-occurrences in sliding windows over ``token_docs``
    (gensim's window sizes: 10 and 110 tokens); ``u_mass`` counts co-occurrence within the
    documents of ``space`` (its bag-of-words), so ``token_docs`` is not used for it. The
    counting is :mod:`analysis.coherence`, which gives gensim's values (tested to 1e-6)
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
    from analysis.coherence import sweep_coherence

    if measure not in COHERENCE_MEASURES:
        raise ValueError(f"unknown coherence measure {measure!r}; use one of {', '.join(COHERENCE_MEASURES)}")
    topics = _check_topics(topic_top_terms)
    for number, terms in enumerate(topics):
        if len(terms) < 2:
            raise ValueError(f"topic {number} has {len(terms)} term; coherence needs at least two terms per topic")
        unknown = [term for term in terms if term not in space.dictionary.token2id]
        if unknown:
            raise ValueError(
                f"topic {number} has terms not in the vocabulary ({', '.join(map(repr, unknown[:5]))}); "
                "take top terms from a model fitted on this VectorSpace"
            )
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
    top_n = _as_int(top_n, "top_n")
    if top_n < 1:
        raise ValueError(f"top_n must be at least 1, got {top_n}")
    heads = [terms[:top_n] for terms in _check_topics(topic_top_terms)]
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

    first, second = _check_topics(a_terms, "a_terms"), _check_topics(b_terms, "b_terms")
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


# --- model selection ----------------------------------------------------------------------------------------------


def _check_sweep_inputs(space: "VectorSpace", ks: Sequence[int], seeds: Sequence[int], engine: str) -> list[int]:
    """The K values in ascending order, after checking every input of :func:`sweep`."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if not len(seeds):
        raise ValueError("seeds is empty; pass at least one seed, e.g. [0, 1, 2] (three or more to measure stability)")
    seeds = [_as_int(seed, "each seed") for seed in seeds]
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, got {seeds}; repeated seeds would inflate stability")
    if not len(ks):
        raise ValueError("ks is empty; pass the numbers of topics to try, e.g. range(2, 9)")
    ks = sorted({_as_int(k, "each K") for k in ks})
    for k in ks:
        check_k(len(space.doc_ids), k)
    return ks


def _describe_fit(space: "VectorSpace", engine: str, k: int, seed: int) -> dict[str, Any]:
    """Fit one model and keep what the sweep needs: top terms and perplexity (no model)."""
    model = fit(space, k, seed, engine)
    terms = top_term_lists(topic_terms(model, space, DIVERSITY_TOP_N))
    return {"terms": terms, "perplexity": perplexity(model, space, seed)}


_WORKER_SPACE: "VectorSpace | None" = None  # the sweep's documents, sent once to each worker process


def _set_worker_space(space: "VectorSpace") -> None:
    """Worker initialiser: keep the sweep's documents for every fit the worker runs."""
    global _WORKER_SPACE
    _WORKER_SPACE = space


def _describe_fit_in_worker(engine: str, k: int, seed: int) -> dict[str, Any]:
    """:func:`_describe_fit` on the documents this worker received at start."""
    assert _WORKER_SPACE is not None, "worker started without documents"
    return _describe_fit(_WORKER_SPACE, engine, k, seed)


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
    from analysis.corpus import usable_cores

    return max(1, min(usable_cores(), n_jobs))


def _can_spawn() -> bool:
    """Whether ``spawn`` workers can start: they re-import the main script, which must be a file."""
    import os
    import sys

    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    return main_file is None or os.path.exists(main_file)


def fit_many(
    space: "VectorSpace",
    jobs: Sequence[tuple[int, int]],
    engine: str,
    workers: int | None = None,
    progress: bool = True,
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
    engine : str
        One of :data:`ENGINES`.
    workers : int, optional
        Processes; None: :func:`default_workers`. 1 runs in this process.
    progress : bool
        Show a progress bar over the fits.

    Returns
    -------
    list of dict
        For each job in order, ``terms`` (each topic's top 25 terms) and ``perplexity``.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm.auto import tqdm

    workers = default_workers(len(jobs)) if workers is None else max(1, _as_int(workers, "workers"))
    if not _can_spawn():
        workers = 1
    results: list[dict[str, Any] | None] = [None] * len(jobs)
    with tqdm(total=len(jobs), desc=f"LDA ({engine})", unit="fit", disable=not progress) as bar:
        if workers == 1:
            for index, (k, seed) in enumerate(jobs):
                bar.set_postfix(k=k, seed=seed)
                results[index] = _describe_fit(space, engine, k, seed)
                bar.update()
            return results  # type: ignore[return-value]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_set_worker_space, initargs=(space,)) as pool:
            futures = {pool.submit(_describe_fit_in_worker, engine, k, seed): index for index, (k, seed) in enumerate(jobs)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                k, seed = jobs[futures[future]]
                bar.set_postfix(k=k, seed=seed)
                bar.update()
    return results  # type: ignore[return-value]


def _coherence_scores(
    heads: list[list[list[str]]], token_docs: list[list[str]], space: "VectorSpace"
) -> list[dict[str, float]]:
    """Mean coherence of every model's topics, for every measure, from one count of co-occurrences."""
    from analysis.coherence import sweep_coherence

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
    space: "VectorSpace",
    token_docs: Iterable[Sequence[str]],
    ks: Sequence[int],
    seeds: Sequence[int],
    engine: str = DEFAULT_ENGINE,
    top_n: int = 10,
    progress: bool = True,
    workers: int | None = None,
) -> "pd.DataFrame":
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
    engine : {"gensim", "sklearn"}
        Which implementation to fit, with its default settings.
    top_n : int
        Top terms per topic for coherence and stability (diversity always uses 25).
    progress : bool
        Show a tqdm progress bar over the fits.
    workers : int, optional
        Processes fitting at once; None: one per usable core (see :func:`default_workers`).

    Returns
    -------
    pandas.DataFrame
        One row per K, columns ``engine, k, c_npmi, c_v, u_mass, perplexity, diversity,
        stability, c_npmi_sd``: coherences, training perplexity (see :func:`perplexity`) and
        diversity are means over seeds; ``stability`` compares the seeds' topics (see
        :func:`stability`); ``c_npmi_sd`` is the sample standard deviation of the seeds'
        mean NPMI.

    Raises
    ------
    ValueError
        Before any fitting, when ``engine`` is unknown, ``seeds`` or ``ks`` is empty, seeds
        repeat, or a K is below 2 or not below the number of documents.
    """
    import pandas as pd

    ks = _check_sweep_inputs(space, ks, seeds, engine)
    top_n = _as_int(top_n, "top_n")
    if top_n < 2:
        raise ValueError(f"top_n must be at least 2 (coherence compares pairs of terms), got {top_n}")
    token_docs = [list(doc) for doc in token_docs]
    jobs = [(k, _as_int(seed, "each seed")) for k in ks for seed in seeds]
    described = fit_many(space, jobs, engine, workers, progress)
    heads = [[topic[:top_n] for topic in run["terms"]] for run in described]
    scores = _coherence_scores(heads, token_docs, space)
    for run, score in zip(described, scores):
        score["perplexity"] = run["perplexity"]
        score["diversity"] = topic_diversity(run["terms"], DIVERSITY_TOP_N)
    rows = []
    for k in ks:
        mine = [index for index, job in enumerate(jobs) if job[0] == k]
        rows.append(_summarise_k(engine, k, [scores[i] for i in mine], [heads[i] for i in mine]))
    return pd.DataFrame(rows, columns=list(SWEEP_COLUMNS))


def choose_k(table: "pd.DataFrame", min_stability: float = 0.5) -> tuple[int, str]:
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


def _choice_caveats(table: "pd.DataFrame", k: int) -> str:
    """Warnings a reader needs next to a choice of K: best NPMI elsewhere, range edge, weak topics."""
    notes = []
    top = table.sort_values(["c_npmi", "k"], ascending=[False, True], kind="stable").iloc[0]
    if int(top["k"]) != k:
        spread = f" ± {float(top['c_npmi_sd']):.3f} across seeds" if "c_npmi_sd" in table and top["c_npmi_sd"] == top["c_npmi_sd"] else ""
        notes.append(f"The highest NPMI of all, {float(top['c_npmi']):.3f}{spread}, is at K={int(top['k'])}, whose topics are less stable.")
    if len(table) > 1 and k in (int(table["k"].min()), int(table["k"].max())):
        notes.append("K lies at the edge of the range tried; widen K_VALUES to check.")
    if (table["c_npmi"] < 0).all():
        notes.append(
            "NPMI is negative for every K: top words co-occur less often than chance, so the topics are weak, "
            "as is usual for a small corpus."
        )
    return "".join(" " + note for note in notes)


# --- from paragraphs to articles ----------------------------------------------------------------------------------


def _paragraph_weights(
    paragraph_ids: "pd.Series", paragraph_article: Mapping[str, str], paragraph_lengths: Mapping[str, int]
) -> tuple[list[str], list[float]]:
    """Each paragraph's article and token count, or a ValueError naming the paragraphs not found."""
    for name, mapping in (("paragraph_article", paragraph_article), ("paragraph_lengths", paragraph_lengths)):
        absent = sorted({p for p in paragraph_ids if p not in mapping})
        if absent:
            raise ValueError(
                f"{name} has no entry for {len(absent)} paragraph(s) ({', '.join(map(repr, absent[:5]))}); "
                "pass a mapping that covers every doc_id of paragraph_topics"
            )
    lengths = [float(paragraph_lengths[p]) for p in paragraph_ids]
    if any(length < 0 for length in lengths):
        raise ValueError("paragraph_lengths has negative token counts; pass the number of tokens per paragraph")
    return [paragraph_article[p] for p in paragraph_ids], lengths


def aggregate_to_articles(
    paragraph_topics: "pd.DataFrame",
    paragraph_article: Mapping[str, str],
    paragraph_lengths: Mapping[str, int],
) -> "pd.DataFrame":
    """Average paragraph topic shares per article, weighting each paragraph by its tokens.

    A paragraph of 80 tokens says more about its article than one of 8, so an article's
    share of topic ``t`` is ``sum_p n_p * share_pt / sum_p n_p`` over its paragraphs ``p``
    with ``n_p`` tokens; then each article's shares are rescaled to sum exactly to 1.

    Parameters
    ----------
    paragraph_topics : pandas.DataFrame
        Columns ``doc_id, topic, share`` with paragraph ids (the output of :func:`doc_topics`
        on a paragraph space). Not modified.
    paragraph_article : mapping of str to str
        The article id of each paragraph id.
    paragraph_lengths : mapping of str to int
        The token count of each paragraph id (the length of its cleaned token list).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, topic, share`` with article ids; one row per article and topic,
        ordered by article id then topic; each article's shares sum to 1.

    Raises
    ------
    ValueError
        When a column is missing, a (paragraph, topic) pair repeats, a paragraph is missing
        from a mapping, a length is negative, or all paragraphs of an article have no tokens.
    """
    missing = {"doc_id", "topic", "share"} - set(paragraph_topics.columns)
    if missing:
        raise ValueError(f"paragraph_topics lacks column(s) {sorted(missing)}; pass the output of doc_topics")
    if paragraph_topics.duplicated(["doc_id", "topic"]).any():
        raise ValueError("paragraph_topics repeats a (doc_id, topic) pair; pass one row per paragraph and topic")
    articles, lengths = _paragraph_weights(paragraph_topics["doc_id"], paragraph_article, paragraph_lengths)
    weighted = paragraph_topics.assign(article=articles, weighted=paragraph_topics["share"] * lengths)
    totals = weighted.pivot_table(index="article", columns="topic", values="weighted", aggfunc="sum", fill_value=0.0)
    mass = totals.sum(axis=1)
    empty = sorted(mass.index[mass <= 0].astype(str))
    if empty:
        raise ValueError(
            f"article(s) {', '.join(map(repr, empty[:5]))} have no tokens in any paragraph; "
            "drop them or pass their paragraphs' token counts"
        )
    shares = totals.div(mass, axis=0).sort_index()
    table = shares.stack().rename("share").reset_index().rename(columns={"article": "doc_id"})
    return table.astype({"doc_id": str, "topic": "int64", "share": "float64"})[["doc_id", "topic", "share"]]


def doc_topic_matrix(model: Any, space: "VectorSpace", random_state: int = 0) -> np.ndarray:
    """Document-topic shares as a D×K array, rows in ``space.doc_ids`` order, summing to 1.

    Parameters
    ----------
    model : gensim LdaModel or sklearn LatentDirichletAllocation
        A fitted model.
    space : VectorSpace
        The documents.
    random_state : int
        Seed of gensim's inference (see :func:`doc_topics`).

    Returns
    -------
    numpy.ndarray
        The matrix the explorer and heatmaps take.
    """
    table = doc_topics(model, space, random_state)
    matrix = table.pivot(index="doc_id", columns="topic", values="share").loc[list(space.doc_ids)]
    return matrix.to_numpy(dtype=float)


def distinctive_terms(model: Any, space: "VectorSpace", top_n: int = 10, lam: float = 0.6) -> "pd.DataFrame":
    """Each topic's terms ranked by relevance (Sievert & Shirley 2014) instead of probability.

    ``relevance(w, t) = λ·log p(w|t) + (1 − λ)·log(p(w|t) / p(w))``, with ``p(w)`` the term's
    share of all tokens. λ = 1 ranks by probability (frequent words lead every topic);
    λ = 0 by lift (rare, topic-specific words); 0.6 is the value their user study found
    best for interpreting topics.

    Parameters
    ----------
    model : gensim LdaModel or sklearn LatentDirichletAllocation
        A fitted model.
    space : VectorSpace
        The counts it was fitted on.
    top_n : int
        Terms per topic.
    lam : float
        λ in ``[0, 1]``.

    Returns
    -------
    pandas.DataFrame
        Columns ``topic, rank, term, relevance``; ties broken by term.
    """
    import numpy as np
    import pandas as pd

    if not 0.0 <= lam <= 1.0:
        raise ValueError(f"lam must lie in [0, 1], got {lam!r}")
    topic_term = topic_term_matrix(model, space)
    totals = np.asarray(space.counts.sum(axis=0), dtype=float).ravel()
    p_w = totals / totals.sum()
    with np.errstate(divide="ignore"):
        log_p = np.log(topic_term)
        relevance = lam * log_p + (1.0 - lam) * (log_p - np.log(p_w))
    rows = []
    for topic, scores in enumerate(relevance):
        ranked = sorted(range(len(scores)), key=lambda j: (-scores[j], space.vocabulary[j]))[:top_n]
        rows += [(topic, rank, space.vocabulary[j], float(scores[j])) for rank, j in enumerate(ranked, 1)]
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "relevance"])


def topic_labels(terms: "pd.DataFrame", n_words: int = 3) -> dict[int, str]:
    """Readable topic names from a ranked term table: ``{0: "T1 · regime, people, iran"}``.

    Parameters
    ----------
    terms : pandas.DataFrame
        ``topic, rank, term`` rows, e.g. from :func:`distinctive_terms` (most telling) or
        :func:`topic_terms`.
    n_words : int
        Terms per label.

    Returns
    -------
    dict
        Topic number (from 0) to label (numbered from 1 for readers).
    """
    ordered = terms.sort_values(["topic", "rank"], kind="stable")
    return {
        int(topic): f"T{int(topic) + 1} · " + ", ".join(group["term"].head(n_words))
        for topic, group in ordered.groupby("topic", sort=True)
    }
