"""LDA topics: fitting, model selection, stability, tidy topic tables.

Five engines fit the same model, latent Dirichlet allocation, on the raw counts of one
:class:`~analysis.pipeline.vectors.VectorSpace` (LDA is a model of counts, so never of TF-IDF):

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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from analysis.checks import as_int

if TYPE_CHECKING:  # heavy libraries are imported inside functions so that importing the module stays cheap
    import numpy as np
    from gensim.models import LdaModel
    from sklearn.decomposition import LatentDirichletAllocation

    from analysis.pipeline.vectors import VectorSpace

    TopicModel = LdaModel | LatentDirichletAllocation


ENGINES = ("gensim", "gensim-multicore", "sklearn", "sklearn-online", "tomotopy")


DEFAULT_ENGINE = "tomotopy"  # fastest and closest to the true topics in `python -m benchmarks.bench` (see README)


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
    k = as_int(k, "k (the number of topics)")
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



def check_same_vocabulary(model: Any, space: "VectorSpace") -> str:
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
    random_state = as_int(random_state, "random_state")
    for name, value in (("passes", passes), ("iterations", iterations)):
        if as_int(value, name) < 1:
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
    random_state = as_int(random_state, "random_state")
    if as_int(max_iter, "max_iter") < 1:
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
      (``python -m benchmarks.bench``) the matched cosine to the true topics stops improving
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
    random_state = as_int(random_state, "random_state")
    for name, value in (("iterations", iterations), ("workers", workers)):
        if as_int(value, name) < 1:
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
        max_iter=as_int(max_iter, "max_iter"),
        batch_size=as_int(batch_size, "batch_size"),
        random_state=as_int(random_state, "random_state"),
        n_jobs=as_int(workers, "workers"),
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
        random_state=as_int(random_state, "random_state"),
        passes=as_int(passes, "passes"),
        workers=max(1, as_int(workers, "workers")),
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
