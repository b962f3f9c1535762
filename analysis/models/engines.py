"""Topic models behind one registry: an adapter class per library, one fitted-model type.

Five engines are defined here, and a sixth, Spark MLlib's (``"mllib"``), in
:mod:`analysis.models.mllib`. All fit the same model, latent Dirichlet allocation, on
the raw counts of one :class:`~analysis.pipeline.vectors.VectorSpace` (LDA is a model of
counts, so never of TF-IDF):

- ``"gensim"``: :class:`gensim.models.LdaModel`, online variational Bayes, single process.
- ``"gensim-multicore"``: :class:`gensim.models.LdaMulticore`; its workers interleave
  updates in an order the seed does not control, so two runs with the same
  ``random_state`` differ.
- ``"sklearn"``: :class:`sklearn.decomposition.LatentDirichletAllocation`, batch
  variational Bayes.
- ``"sklearn-online"``: the same class with mini-batch (online) updates.
- ``"tomotopy"``: :class:`tomotopy.LDAModel`, collapsed Gibbs sampling in C++; with one
  worker a seed gives the same model every time.

Each engine is one subclass of :class:`Engine` registered in :data:`ENGINES` with
:func:`register_engine`. :func:`fit` checks the inputs, fills in the engine's default
hyperparameters and returns a :class:`FittedTopics`: topic-term and document-topic arrays
and the training perplexity, with no library object inside, so every table of
:mod:`analysis.models.topics`, the K sweep and pickling work the same for every engine. A
new engine (NMF, another LDA library) is one adapter class and one ``register_engine``
line; Spark MLlib's LDA is one, in :mod:`analysis.models.mllib` (``"mllib"``).

All LDA engines use the same symmetric priors (``1 / K`` for document-topic and topic-term
weights), so their tables can be set side by side. Every engine runs its linear algebra on
one thread per fit (:func:`fit` limits BLAS threads), so a result does not depend on how
many cores the machine has; the K sweep uses the cores by fitting several models at once, in
separate processes. Every fit takes ``random_state``, an int handed unchanged to the library;
nothing touches numpy's global random generator.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.checks import as_int, positive_int
from analysis.models.shares import infer_shares

if TYPE_CHECKING:  # the vector space's own imports are not needed to fit
    from analysis.pipeline.vectors import VectorSpace


DEFAULT_ENGINE = (
    "tomotopy"  # fastest and closest to the true topics in `python -m benchmarks.bench` (docs/benchmark.md)
)

TOMOTOPY_ISA = (
    "avx2,sse2"  # instruction sets tomotopy may use, in order (see _tomotopy); fixed so results match across CPUs
)

ROW_SUM_TOLERANCE = (
    1e-6  # how far a row of a FittedTopics may sum from 1 (float32 engines rescaled in float64 are far closer)
)


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


# --- the fitted model -------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class FittedTopics:
    """A fitted topic model reduced to arrays, the same for every engine.

    Holds no library object, so it pickles small, compares with ``==`` and reads the same
    whichever engine made it. The arrays are float64 and read-only.

    Attributes
    ----------
    engine : str
        Name of the engine that fitted it (a key of :data:`ENGINES`).
    k : int
        Number of topics.
    topic_term : numpy.ndarray
        ``K × V`` topic-term probabilities ``P(term | topic)``, rows summing to 1, columns in
        ``space.vocabulary`` order.
    doc_topic : numpy.ndarray
        ``D × K`` topic shares of the training documents, rows summing to 1, rows in
        ``doc_ids`` order.
    doc_ids : tuple of str
        The training documents.
    n_terms : int
        Size of the vocabulary it was fitted on (``V``).
    perplexity : float
        Perplexity of the training documents under the model (each engine's own measure,
        see the engine classes); NaN for an engine without a likelihood.
    random_state : int
        The seed of the fit.
    params : mapping of str to Any
        The hyperparameters used (the engine's defaults, with any passed to :func:`fit`).
    workers : int
        Threads or processes the engine used.
    sweeps_run : int
        Training sweeps run by an engine that stops at convergence (tomotopy); 0 for an
        engine that runs the number its ``params`` fix.
    sample_docs : int
        How many documents the topics were learned from when an engine trained on a seeded
        sample of a corpus over its token budget (tomotopy's ``train_tokens``) and inferred
        the other documents' shares; 0 when every document was trained on.

    Raises
    ------
    ValueError
        On construction, when the arrays' shapes disagree with ``k``, ``doc_ids`` or
        ``n_terms``, or a row has negative or non-finite values or does not sum to 1.
    """

    engine: str
    k: int
    topic_term: np.ndarray
    doc_topic: np.ndarray
    doc_ids: tuple[str, ...]
    n_terms: int
    perplexity: float
    random_state: int
    params: Mapping[str, Any]
    workers: int
    sweeps_run: int = 0
    sample_docs: int = 0

    def __post_init__(self) -> None:
        for name in ("topic_term", "doc_topic"):
            array = np.array(getattr(self, name), dtype=np.float64)
            array.setflags(write=False)
            object.__setattr__(self, name, array)
        for name in ("k", "n_terms", "random_state", "workers", "sweeps_run", "sample_docs"):
            object.__setattr__(self, name, as_int(getattr(self, name), f"FittedTopics.{name}"))
        object.__setattr__(self, "doc_ids", tuple(str(doc_id) for doc_id in self.doc_ids))
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))
        object.__setattr__(self, "perplexity", float(self.perplexity))
        expected = {"topic_term": (self.k, self.n_terms), "doc_topic": (len(self.doc_ids), self.k)}
        for name, shape in expected.items():
            _check_distributions(getattr(self, name), shape, f"{self.engine!r} fit's {name}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FittedTopics):
            return NotImplemented
        for field in fields(self):
            mine, theirs = getattr(self, field.name), getattr(other, field.name)
            if isinstance(mine, np.ndarray):
                same = np.array_equal(mine, theirs)
            elif field.name == "perplexity":
                same = mine == theirs or (math.isnan(mine) and math.isnan(theirs))
            else:
                same = mine == theirs
            if not same:
                return False
        return True

    __hash__ = None  # equal fits have equal arrays, which do not hash

    def __reduce__(self) -> tuple[type, tuple]:
        # rebuilt through __init__, so an unpickled fit is checked and read-only like a new one
        values = [getattr(self, field.name) for field in fields(self)]
        return FittedTopics, tuple(dict(value) if isinstance(value, Mapping) else value for value in values)

    def __repr__(self) -> str:
        return (
            f"FittedTopics(engine={self.engine!r}, k={self.k}, {len(self.doc_ids)} documents × {self.n_terms} terms, "
            f"perplexity={self.perplexity:.4g}, random_state={self.random_state})"
        )


def _check_distributions(array: np.ndarray, shape: tuple[int, int], what: str) -> None:
    """A ValueError unless ``array`` has ``shape`` and each row is a probability distribution."""
    if array.shape != shape:
        raise ValueError(f"{what} has shape {array.shape}, expected {shape}; build it with Engine.fitted")
    if not np.isfinite(array).all() or (array < 0).any():
        raise ValueError(f"{what} has negative or non-finite values; an engine must return probabilities")
    worst = float(np.max(np.abs(array.sum(axis=1) - 1.0), initial=0.0))
    if worst > ROW_SUM_TOLERANCE:
        raise ValueError(f"{what} has a row summing to 1 ± {worst:.2g}; rescale rows to sum to 1 (Engine.fitted does)")


def check_fitted(model: Any, space: VectorSpace) -> FittedTopics:
    """``model``, after checking it is a :class:`FittedTopics` of the documents and terms of ``space``.

    Parameters
    ----------
    model : FittedTopics
        A result of :func:`fit`.
    space : VectorSpace
        The vector space it should have been fitted on.

    Returns
    -------
    FittedTopics
        ``model`` unchanged.

    Raises
    ------
    TypeError
        When ``model`` is not a :class:`FittedTopics`.
    ValueError
        When ``space`` has another vocabulary size or other documents than the fit.
    """
    if not isinstance(model, FittedTopics):
        raise TypeError(
            f"expected the FittedTopics that analysis.models.fit returns, got {type(model).__name__}; "
            "fit one with analysis.models.fit"
        )
    if model.n_terms != len(space.vocabulary):
        raise ValueError(
            f"the model has {model.n_terms} terms but the vector space has {len(space.vocabulary)}; "
            "pass the VectorSpace the model was fitted on"
        )
    if model.doc_ids != tuple(space.doc_ids):
        raise ValueError(
            f"the model describes its {len(model.doc_ids)} training documents, which differ from the vector space's "
            f"{len(space.doc_ids)} (or come in another order); pass the VectorSpace the model was fitted on"
        )
    return model


def rows_summing_to_one(weights: Any) -> np.ndarray:
    """``weights`` in float64, each row divided by its sum.

    Parameters
    ----------
    weights : array-like
        Non-negative weights, one row per topic or document (pseudo-counts, probabilities).

    Returns
    -------
    numpy.ndarray
        The rescaled rows.
    """
    weights = np.asarray(weights, dtype=np.float64)
    return weights / weights.sum(axis=1, keepdims=True)


# --- the adapter interface --------------------------------------------------------------------------------------


class Engine(ABC):
    """One topic-model library behind :func:`fit`.

    To add an engine, subclass this, set the three class attributes, implement :meth:`fit`,
    and register an instance once: ``register_engine(MyEngine())``. :func:`fit`, the K sweep
    and every table then work with it.

    Attributes
    ----------
    name : str
        Key in :data:`ENGINES` and the ``engine`` argument of :func:`fit` (e.g. ``"gensim"``).
    label : str
        Name for figures and manifests (e.g. ``"gensim LdaModel"``).
    defaults : mapping of str to Any
        Every hyperparameter the engine accepts, with its default value; the subclass's
        docstring says why each value was chosen. :func:`fit` refuses other names.
    spreads_itself : bool
        True for an engine that spreads one fit over a cluster itself (Spark MLlib): the K
        sweep then fits its models one after another in this process instead of in
        several processes at once.
    """

    name: str
    label: str
    defaults: Mapping[str, Any] = MappingProxyType({})
    spreads_itself: bool = False

    def nondeterministic(self, workers: int = 1) -> str | None:
        """Why the same seed may give different models with ``workers``, or None when it does not.

        Parameters
        ----------
        workers : int
            Threads or processes of the fit.

        Returns
        -------
        str or None
            The reason, for run manifests (see :func:`engine_note`); None: reproducible.
        """
        return None

    def check_params(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The defaults updated with ``params``, after checking names and counts.

        Integer hyperparameters are counts (passes, iterations, batch sizes) and must be
        positive; a subclass overrides this to check more.

        Parameters
        ----------
        params : mapping of str to Any
            Hyperparameters passed to :func:`fit`.

        Returns
        -------
        dict
            Every hyperparameter of the engine with its value for this fit.

        Raises
        ------
        ValueError
            When a name is not one of :attr:`defaults`, or a count is not a positive integer.
        """
        unknown = [name for name in params if name not in self.defaults]
        if unknown:
            accepted = ", ".join(self.defaults) or "none"
            raise ValueError(
                f"unknown hyperparameter(s) {', '.join(map(repr, unknown))} for engine {self.name!r}; "
                f"it accepts: {accepted}"
            )
        settings = {**self.defaults, **params}
        for name, default in self.defaults.items():
            if isinstance(default, int) and not isinstance(default, bool):
                settings[name] = positive_int(settings[name], name, who=f"fit ({self.name})")
        return settings

    @abstractmethod
    def fit(self, space: VectorSpace, k: int, random_state: int, workers: int, **params: Any) -> FittedTopics:
        """Fit ``k`` topics to the counts of ``space``.

        Called by :func:`fit`, which has checked ``k``, ``random_state`` and ``workers``,
        filled in every hyperparameter (see :meth:`check_params`) and limited BLAS to one
        thread; build the result with :meth:`fitted`.

        Parameters
        ----------
        space : VectorSpace
            Documents and vocabulary.
        k : int
            Number of topics.
        random_state : int
            Seed, handed unchanged to the library.
        workers : int
            Threads or processes the caller allows (an engine may use fewer).
        **params
            Every hyperparameter named in :attr:`defaults`.

        Returns
        -------
        FittedTopics
            The fit.
        """

    def fitted(
        self,
        space: VectorSpace,
        k: int,
        random_state: int,
        workers: int,
        params: Mapping[str, Any],
        topic_term: Any,
        doc_topic: Any,
        perplexity: float,
        sweeps_run: int = 0,
        sample_docs: int = 0,
    ) -> FittedTopics:
        """Wrap a fit's weights as :class:`FittedTopics`, each row rescaled to sum to 1.

        Parameters
        ----------
        space : VectorSpace
            The documents and vocabulary of the fit.
        k : int
            Number of topics.
        random_state : int
            Seed of the fit.
        workers : int
            Threads or processes the engine used.
        params : mapping of str to Any
            Hyperparameters used.
        topic_term : array-like
            ``K × V`` non-negative topic-term weights (e.g. pseudo-counts), columns in
            ``space.vocabulary`` order.
        doc_topic : array-like
            ``D × K`` non-negative weights of the training documents, rows in
            ``space.doc_ids`` order.
        perplexity : float
            Perplexity of the training documents (NaN if the engine has no likelihood).
        sweeps_run : int
            Sweeps run when the engine stopped at convergence (0 otherwise).
        sample_docs : int
            Documents the topics were learned from when they were a sample (0: all).

        Returns
        -------
        FittedTopics
            The fit.
        """
        return FittedTopics(
            engine=self.name,
            k=k,
            topic_term=rows_summing_to_one(topic_term),
            doc_topic=rows_summing_to_one(doc_topic),
            doc_ids=tuple(space.doc_ids),
            n_terms=len(space.vocabulary),
            perplexity=perplexity,
            random_state=random_state,
            params=params,
            workers=workers,
            sweeps_run=sweeps_run,
            sample_docs=sample_docs,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


# --- gensim -----------------------------------------------------------------------------------------------------


def _n_tokens(space: VectorSpace) -> int:
    """Tokens counted in ``space``; a ValueError when there are none to score."""
    n_words = int(space.counts.sum())
    if n_words == 0:
        raise ValueError("the vector space has no words to model; check the documents passed")
    return n_words


class _GensimEngine(Engine):
    """What gensim's two LDA classes share: seeded inference of the shares and the perplexity.

    gensim starts each document's inference from random topic weights drawn from the model's
    own generator, and advances it, so ``get_document_topics`` gives slightly different
    numbers at every call. After training, one inference over the training documents starts
    from a generator seeded with the fit's ``random_state``; its variational parameters
    ``gamma`` give both the document shares (``gamma`` rows rescaled to sum to 1, what
    ``get_document_topics(..., minimum_probability=0)`` computes, no topic dropped) and the
    perplexity ``exp(-bound / N)``, with ``bound`` gensim's variational lower bound of the
    log-likelihood (nats) of the ``N`` training tokens (gensim's own log line prints
    ``2 ** -bound`` instead). Topic-term probabilities are gensim's ``lambda`` rescaled, what
    ``get_topics`` returns, in float64.
    """

    @abstractmethod
    def train(self, space: VectorSpace, bow: list, k: int, random_state: int, workers: int, **params: Any) -> Any:
        """The trained gensim model."""

    def used_workers(self, workers: int) -> int:
        """Processes the gensim class runs with ``workers`` allowed."""
        return 1

    def fit(self, space: VectorSpace, k: int, random_state: int, workers: int, **params: Any) -> FittedTopics:
        n_words = _n_tokens(space)
        bow = space.bow()
        model = self.train(space, bow, k, random_state, workers, **params)
        model.random_state = np.random.RandomState(random_state)  # a generator of the model's own, never numpy's global
        gamma, _ = model.inference(bow)
        # bound() expects each document's gamma as a 1 × K row, the shape inference() gives for one document
        bound = model.bound(bow, gamma=gamma[:, None, :])
        return self.fitted(
            space,
            k,
            random_state,
            self.used_workers(workers),
            params,
            topic_term=model.state.get_lambda(),
            doc_topic=gamma,
            perplexity=math.exp(-bound / n_words),
        )


class GensimEngine(_GensimEngine):
    """gensim's :class:`~gensim.models.LdaModel`: online variational Bayes in one process.

    Hyperparameters (:attr:`defaults`), chosen for small corpora (tens of articles, a few
    hundred paragraphs):

    - ``passes=20``: a small corpus fits in one chunk, so each pass is one update of the
      topics; on a simulated corpus of 200 paragraphs, 20 passes bring the training
      perplexity within 2 % of its value after 40 passes (10 passes: within 5 %), at about
      a second per fit.
    - ``iterations=400``: an upper bound on the per-document inference loop, which stops
      earlier once the document's topic weights change by less than 0.001; short
      paragraphs converge in a few dozen steps, so the cap costs nothing but guards
      against unconverged documents.
    - ``alpha="symmetric"``: a fixed prior of ``1 / K`` on every topic, the same as
      scikit-learn's default, so the engines and all K are compared under one prior.
      ``"auto"`` (also deterministic for a given seed) re-estimates an asymmetric prior
      from the documents after every update; with a few hundred short documents that
      estimate is noisy, and on the simulated corpus it gave no more coherent and slightly
      less stable topics across seeds.

    Fixed settings: ``eval_every=None`` (no perplexity estimate during training: it would
    cost an extra pass over the corpus each time and is only logged; the fit's
    ``perplexity`` is computed once afterwards); ``dtype=float64`` (topic and document
    tables then sum to 1 to within 1e-15, and near-ties are not artefacts of
    single-precision rounding); ``chunksize`` keeps gensim's default of 2000 documents, so
    corpora up to that size are updated in full batches. Shares and perplexity: see
    :class:`_GensimEngine`.
    """

    name = "gensim"
    label = "gensim LdaModel"
    defaults = MappingProxyType({"passes": 20, "iterations": 400, "alpha": "symmetric"})

    def train(self, space: VectorSpace, bow: list, k: int, random_state: int, workers: int, **params: Any) -> Any:
        from gensim.models import LdaModel

        return LdaModel(
            corpus=bow,
            num_topics=k,
            id2word=space.dictionary,
            random_state=random_state,
            passes=params["passes"],
            iterations=params["iterations"],
            alpha=params["alpha"],
            eval_every=None,
            dtype=np.float64,
        )


class GensimMulticoreEngine(_GensimEngine):
    """gensim's :class:`~gensim.models.LdaMulticore`: the same model, E-steps in worker processes.

    Not reproducible: the workers update the topics in an order the seed does not control.
    It runs at least two worker processes (with one, use ``"gensim"``).

    Hyperparameters (:attr:`defaults`):

    - ``passes=10``: this engine is meant for corpora of thousands of documents, where each
      pass already makes many updates of the topics (one per chunk of 2000 documents), so it
      needs fewer passes than ``"gensim"`` does on the small corpora it is tuned for.
    - ``iterations=50``: gensim's default cap on the per-document inference loop.
    - ``alpha="symmetric"``: ``1 / K`` on every topic, as every engine.

    Fixed settings as :class:`GensimEngine` (``eval_every=None``, ``dtype=float64``).
    """

    name = "gensim-multicore"
    label = "gensim LdaMulticore"
    defaults = MappingProxyType({"passes": 10, "iterations": 50, "alpha": "symmetric"})

    def nondeterministic(self, workers: int = 1) -> str | None:
        return "LdaMulticore workers update the topics in an order the seed does not control"

    def used_workers(self, workers: int) -> int:
        return max(2, workers)

    def train(self, space: VectorSpace, bow: list, k: int, random_state: int, workers: int, **params: Any) -> Any:
        from gensim.models import LdaMulticore

        return LdaMulticore(
            corpus=bow,
            num_topics=k,
            id2word=space.dictionary,
            random_state=random_state,
            passes=params["passes"],
            iterations=params["iterations"],
            workers=self.used_workers(workers),
            alpha=params["alpha"],
            eval_every=None,
            dtype=np.float64,
        )


# --- scikit-learn -----------------------------------------------------------------------------------------------


class _SklearnEngine(Engine):
    """What both uses of :class:`~sklearn.decomposition.LatentDirichletAllocation` share.

    Topic-term probabilities are the rows of ``components_`` (pseudo-counts) rescaled to sum
    to 1; document shares are ``transform`` of the training counts (deterministic); the
    perplexity is scikit-learn's ``perplexity`` of the training counts, ``exp(-bound / N)``
    with its own variational bound. Priors are scikit-learn's defaults, ``1 / K``.
    """

    @abstractmethod
    def options(self, workers: int, **params: Any) -> dict[str, Any]:
        """Keyword arguments of ``LatentDirichletAllocation`` besides ``n_components`` and ``random_state``."""

    def fit(self, space: VectorSpace, k: int, random_state: int, workers: int, **params: Any) -> FittedTopics:
        from sklearn.decomposition import LatentDirichletAllocation

        options = self.options(workers, **params)
        model = LatentDirichletAllocation(n_components=k, random_state=random_state, **options)
        model.fit(space.counts)
        return self.fitted(
            space,
            k,
            random_state,
            options["n_jobs"],
            params,
            topic_term=model.components_,
            doc_topic=model.transform(space.counts),
            perplexity=model.perplexity(space.counts),
        )


class SklearnEngine(_SklearnEngine):
    """scikit-learn's batch LDA: every iteration sees every document.

    With ``n_jobs=1`` it is exactly reproducible for a given seed.

    Hyperparameters (:attr:`defaults`):

    - ``max_iter=30``: on a simulated corpus of 200 paragraphs the training perplexity after
      30 iterations is within 0.5 % of its value after 100, at about 35 ms per iteration
      (scikit-learn's default of 10 stops 1 % short).
    """

    name = "sklearn"
    label = "scikit-learn (batch)"
    defaults = MappingProxyType({"max_iter": 30})

    def options(self, workers: int, **params: Any) -> dict[str, Any]:
        return {"learning_method": "batch", "max_iter": params["max_iter"], "n_jobs": 1}


class SklearnOnlineEngine(_SklearnEngine):
    """scikit-learn's online (mini-batch) LDA: the topics are updated after each batch of documents.

    The seed fixes the result; ``workers`` (scikit-learn's ``n_jobs``) spreads each E-step
    over processes, which does not change it.

    Hyperparameters (:attr:`defaults`):

    - ``max_iter=10``: passes over the corpus, scikit-learn's default; online updates make
      many steps per pass on a large corpus, which is where this engine is meant to be used.
    - ``batch_size=512``: documents per update, four times scikit-learn's default of 128, so
      each step of the topics averages more documents.

    ``learning_offset`` and ``learning_decay`` keep scikit-learn's defaults.
    """

    name = "sklearn-online"
    label = "scikit-learn (online)"
    defaults = MappingProxyType({"max_iter": 10, "batch_size": 512})

    def options(self, workers: int, **params: Any) -> dict[str, Any]:
        return {
            "learning_method": "online",
            "max_iter": params["max_iter"],
            "batch_size": params["batch_size"],
            "n_jobs": workers,
        }


# --- tomotopy ---------------------------------------------------------------------------------------------------


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


def sweeps_to_convergence(
    train: Callable[[int], float], most: int, check_every: int, patience: int, tolerance: float
) -> int:
    """Train in chunks until the log-likelihood stops rising; the number of sweeps run.

    Parameters
    ----------
    train : callable
        ``train(n)`` runs ``n`` more sweeps and returns the log-likelihood per token after them.
    most : int
        The most sweeps to run.
    check_every : int
        Sweeps per chunk (the last chunk may be shorter).
    patience : int
        Stop once this many sweeps have passed since the log-likelihood last rose by more
        than ``tolerance`` above its best.
    tolerance : float
        The rise that counts as progress (same unit as ``train``'s value).

    Returns
    -------
    int
        Sweeps run: ``most`` when the log-likelihood was still rising.
    """
    done, best, best_at = 0, -math.inf, 0
    while done < most:
        chunk = min(check_every, most - done)
        value = round(train(chunk), 9)  # the same decision on every CPU when the last bits differ
        done += chunk
        if value > best + tolerance:
            best, best_at = value, done
        elif done - best_at >= patience:
            break
    return done


def _tolerance(value: Any, name: str, what: str, above_zero: bool = False) -> float:
    """A tolerance hyperparameter as a float; a ValueError naming it when it is not a number in range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (value > 0 if above_zero else value >= 0):
        raise ValueError(f"{name} must be {what}; got {value!r}")
    return float(value)


#: tomotopy's ``train_tokens`` is the budget of a model of up to this many topics.
BUDGET_TOPICS = 20


def token_budget(train_tokens: int | None, k: int) -> int | None:
    """The tokens a model of ``k`` topics trains on: ``train_tokens``, in proportion above :data:`BUDGET_TOPICS`.

    Each topic needs about as many token assignments to be estimated as the others, so a
    model of 40 topics gets twice the budget of a model of 20. Integer work only.

    Parameters
    ----------
    train_tokens : int or None
        The budget for up to :data:`BUDGET_TOPICS` topics; None: no budget.
    k : int
        Number of topics.

    Returns
    -------
    int or None
        ``train_tokens * max(k, BUDGET_TOPICS) // BUDGET_TOPICS``; None when ``train_tokens`` is.
    """
    if train_tokens is None:
        return None
    return train_tokens * max(k, BUDGET_TOPICS) // BUDGET_TOPICS


def training_sample(lengths: np.ndarray, budget: int | None, random_state: int) -> list[int]:
    """The documents a model is trained on under a token budget, in corpus order.

    Every document with words when they hold ``budget`` tokens or fewer; otherwise the
    documents, taken in a random order seeded by ``random_state``, up to the first whose
    tokens bring the total to ``budget`` or more. Integer work only, so the same on every CPU.

    Parameters
    ----------
    lengths : numpy.ndarray
        Tokens per document, in corpus order.
    budget : int or None
        The most tokens to train on; None: no budget.
    random_state : int
        Seed of the random order.

    Returns
    -------
    list of int
        Row numbers of the chosen documents, ascending.
    """
    nonempty = np.flatnonzero(lengths)
    if budget is None or int(lengths.sum()) <= budget:
        return nonempty.tolist()
    order = np.random.default_rng(random_state).permutation(nonempty)
    enough = int(np.searchsorted(np.cumsum(lengths[order]), budget)) + 1
    return np.sort(order[:enough]).tolist()


class TomotopyEngine(Engine):
    """tomotopy's :class:`~tomotopy.LDAModel`: collapsed Gibbs sampling in C++.

    Priors ``alpha = eta = 1 / K``, the same as the other engines. With one worker a seed
    gives the same model every time; with more, tomotopy splits the corpus between threads
    (``ParallelScheme.PARTITION``) and results vary.

    Training stops at convergence, not after a fixed number of sweeps (see
    :func:`sweeps_to_convergence`): every ``check_every`` sweeps the log-likelihood per token
    of the current sample is read, and training ends once it has not risen by more than
    ``tolerance`` above its best for ``patience`` sweeps, or after ``iterations`` sweeps.
    Gibbs sampling reaches its plateau in fewer sweeps on a large corpus than on a small one,
    so the budget follows the corpus. With one worker the stopping point, like the model,
    is the same for a seed on every run (training in chunks gives the same sample as in one
    go). The fit's ``sweeps_run`` says how many sweeps were run.

    Hyperparameters (:attr:`defaults`):

    - ``iterations=1000``: the most Gibbs sweeps over every token.
    - ``check_every=10``: sweeps between two readings of the log-likelihood.
    - ``patience=100`` and ``tolerance=0.001`` (nats per token): on the synthetic benchmark
      corpora (``python -m benchmarks.bench``, 10k and 100k articles) the log-likelihood
      rests on a ledge for 40 to 50 sweeps before a merged pair of topics splits and it
      climbs again (matched cosine 0.88 on the ledge, 0.93 after); a window of twice that
      waits for it, and 0.001 nats per token is below the sampling noise of the plateau
      (about 0.002 between readings), so noise does not prolong training.

    - ``train_tokens=1_000_000``: the token budget of training for up to
      :data:`BUDGET_TOPICS` topics; with more topics it grows in proportion (50,000 tokens a
      topic, see :func:`token_budget`). A corpus with more tokens has its topics learned from
      a seeded random sample of its documents holding about that many tokens
      (:func:`training_sample`); every document's shares are then computed from those topics
      (:func:`analysis.models.shares.infer_shares`). Twenty topics are about as well
      estimated from one million tokens as from twenty-five million, and far sooner: on the
      benchmark corpora (``python -m benchmarks.bench``, see ``docs/benchmark.md``; 2
      threads, the same vectors) a budget of one million against three took 19 s against
      42 s at 10k articles (topics at matched cosine 0.986 against 0.988, document shares
      0.126 against 0.132 from the true ones) and 57 s against 72 s at 100k (0.986 against
      0.989; shares 0.129 against 0.127); the naive scikit-learn pipeline reaches 0.82 and
      0.87. ``None`` trains on every token. Below the budget (up to about 4,000 articles of
      a few hundred words at 20 topics) nothing changes.
    - ``infer_iterations=100`` and ``infer_tolerance=1e-4``: the most EM steps per document
      when shares are computed from the topics, and the largest change of a share at which a
      document stops (only over the budget; most documents stop within a few dozen steps).

    Document shares are those of the last sample (a document with no words gets equal
    shares), or computed from the topics over the budget; the perplexity is ``exp(-ll_per_word)``, the
    log-likelihood per token of the last sample of the training documents (nats) as
    tomotopy reports it.
    """

    name = "tomotopy"
    label = "tomotopy (Gibbs sampling)"
    defaults = MappingProxyType(
        {
            "iterations": 1000,
            "check_every": 10,
            "patience": 100,
            "tolerance": 0.001,
            "train_tokens": 1_000_000,
            "infer_iterations": 100,
            "infer_tolerance": 1e-4,
        }
    )

    def check_params(self, params: Mapping[str, Any]) -> dict[str, Any]:
        budget = params.get("train_tokens", self.defaults["train_tokens"])
        settings = super().check_params({name: value for name, value in params.items() if name != "train_tokens"})
        settings["train_tokens"] = (
            None if budget is None else positive_int(budget, "train_tokens", who="fit (tomotopy)")
        )
        settings["tolerance"] = _tolerance(settings["tolerance"], "tolerance", "a number of nats per token, 0 or more")
        settings["infer_tolerance"] = _tolerance(
            settings["infer_tolerance"], "infer_tolerance", "a share above 0", above_zero=True
        )
        return settings

    def nondeterministic(self, workers: int = 1) -> str | None:
        return "several threads sample in an order the seed does not control" if workers > 1 else None

    def fit(self, space: VectorSpace, k: int, random_state: int, workers: int, **params: Any) -> FittedTopics:
        import warnings

        tp = _tomotopy()
        model = tp.LDAModel(k=k, alpha=1.0 / k, eta=1.0 / k, seed=random_state)
        counts = space.counts.tocsr()
        vocabulary = np.asarray(space.vocabulary, dtype=object)

        def words(row: int) -> list[str]:
            start, stop = counts.indptr[row], counts.indptr[row + 1]
            return np.repeat(vocabulary[counts.indices[start:stop]], counts.data[start:stop]).tolist()

        lengths = np.asarray(counts.sum(axis=1)).ravel()
        trained = training_sample(lengths, token_budget(params["train_tokens"], k), random_state)
        for row in trained:
            model.add_doc(words(row))
        scheme = tp.ParallelScheme.NONE if workers == 1 else tp.ParallelScheme.PARTITION

        def train(sweeps: int) -> float:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="The training result may differ")
                model.train(sweeps, workers=workers, parallel=scheme, show_progress=False)
            return model.ll_per_word

        sweeps_run = sweeps_to_convergence(
            train, params["iterations"], params["check_every"], params["patience"], params["tolerance"]
        )
        index = {term: j for j, term in enumerate(space.vocabulary)}
        columns = np.array([index[term] for term in model.used_vocabs], dtype=np.int64)
        topic_term = np.zeros((k, len(space.vocabulary)), dtype=np.float64)
        for topic in range(k):
            topic_term[topic, columns] = np.asarray(model.get_topic_word_dist(topic), dtype=np.float64)
        doc_topic = np.full((counts.shape[0], k), 1.0 / k)
        sampled = len(trained) < int(np.count_nonzero(lengths))
        if sampled:  # over the budget: every document's shares from the learned topics
            doc_topic = infer_shares(
                counts,
                rows_summing_to_one(topic_term),
                1.0 / k,
                params["infer_iterations"],
                params["infer_tolerance"],
                workers=workers,
            )
        else:
            for doc, row in zip(model.docs, trained, strict=True):
                weights = np.asarray(doc.get_topic_dist(), dtype=np.float64)
                doc_topic[row] = weights / weights.sum()
        perplexity = math.exp(-model.ll_per_word)
        return self.fitted(
            space,
            k,
            random_state,
            workers,
            params,
            topic_term,
            doc_topic,
            perplexity,
            sweeps_run,
            sample_docs=len(trained) if sampled else 0,
        )


# --- the registry -----------------------------------------------------------------------------------------------


ENGINES: dict[str, Engine] = {}  # name -> engine, in registration order; fill with register_engine


class _Labels(Mapping[str, str]):
    """Each registered engine's label, read from :data:`ENGINES` so the two never drift apart."""

    def __getitem__(self, name: str) -> str:
        return ENGINES[name].label

    def __iter__(self) -> Iterator[str]:
        return iter(ENGINES)

    def __len__(self) -> int:
        return len(ENGINES)

    def __repr__(self) -> str:
        return repr(dict(self))


ENGINE_LABELS: Mapping[str, str] = _Labels()


def register_engine(engine: Engine) -> Engine:
    """Make ``engine`` available to :func:`fit`, the K sweep and :data:`ENGINE_LABELS` under its name.

    Parameters
    ----------
    engine : Engine
        An instance of an :class:`Engine` subclass.

    Returns
    -------
    Engine
        ``engine``, unchanged.

    Raises
    ------
    TypeError
        When ``engine`` is not an :class:`Engine` instance (e.g. the class itself).
    ValueError
        When its name is not a non-empty str, is already registered, or its label or
        defaults are missing.
    """
    if not isinstance(engine, Engine):
        raise TypeError(f"register_engine takes an Engine instance, got {engine!r}; pass e.g. MyEngine()")
    name = getattr(engine, "name", None)
    if not isinstance(name, str) or not name:
        raise ValueError(f"{type(engine).__name__}.name must be a non-empty str, got {name!r}")
    if name in ENGINES:
        raise ValueError(f"an engine named {name!r} is already registered; give {type(engine).__name__} another name")
    if not isinstance(getattr(engine, "label", None), str) or not isinstance(engine.defaults, Mapping):
        raise ValueError(f"{type(engine).__name__} needs a str label and a mapping of default hyperparameters")
    ENGINES[name] = engine
    return engine


for _engine in (GensimEngine(), GensimMulticoreEngine(), SklearnEngine(), SklearnOnlineEngine(), TomotopyEngine()):
    register_engine(_engine)
del _engine


def get_engine(engine: str | Engine) -> Engine:
    """The registered engine of that name (an :class:`Engine` instance passes unchanged).

    Parameters
    ----------
    engine : str or Engine
        A key of :data:`ENGINES`, or an engine object.

    Returns
    -------
    Engine
        The engine.

    Raises
    ------
    ValueError
        When no engine of that name is registered.
    """
    if isinstance(engine, Engine):
        return engine
    if not isinstance(engine, str) or engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    return ENGINES[engine]


def is_deterministic(engine: str | Engine, workers: int = 1) -> bool:
    """Whether ``engine`` with ``workers`` gives the same model for the same seed.

    Parameters
    ----------
    engine : str or Engine
        One of :data:`ENGINES`.
    workers : int
        Threads or processes the engine uses.

    Returns
    -------
    bool
        False for ``gensim-multicore`` always, and for ``tomotopy`` with several workers.

    Raises
    ------
    ValueError
        When ``engine`` is unknown.
    """
    return get_engine(engine).nondeterministic(workers) is None


def engine_note(engine: str | Engine, workers: int = 1) -> str:
    """How an engine fits and whether a seed fixes its result, for run manifests.

    Parameters
    ----------
    engine : str or Engine
        One of :data:`ENGINES`.
    workers : int
        Threads or processes it used.

    Returns
    -------
    str
        E.g. ``"gensim LdaModel: deterministic for a fixed seed"``.

    Raises
    ------
    ValueError
        When ``engine`` is unknown.
    """
    adapter = get_engine(engine)
    reason = adapter.nondeterministic(workers)
    if reason is None:
        return f"{adapter.label}: deterministic for a fixed seed"
    return f"{adapter.label}: NOT reproducible ({reason})"


def training_note(model: FittedTopics) -> str:
    """What a fit's topics were learned from, for run manifests and a notebook's answer.

    Parameters
    ----------
    model : FittedTopics
        A fit.

    Returns
    -------
    str
        ``"topics learned from every document"``, or, for a fit over its token budget,
        ``"topics learned from a seeded sample of 4,005 of 99,978 documents (about
        1,000,000 tokens); every document's shares computed from them"``.
    """
    if not model.sample_docs:
        return "topics learned from every document"
    budget = token_budget(model.params.get("train_tokens"), model.k)
    about = f" (about {budget:,} tokens)" if budget else ""
    return (
        f"topics learned from a seeded sample of {model.sample_docs:,} of {len(model.doc_ids):,} documents{about}; "
        "every document's shares computed from them"
    )


def fit(
    space: VectorSpace,
    k: int,
    random_state: int,
    engine: str | Engine = DEFAULT_ENGINE,
    workers: int = 1,
    **params: Any,
) -> FittedTopics:
    """Fit a topic model with one of :data:`ENGINES`.

    BLAS libraries run on one thread during the fit, so the result does not depend on the
    number of cores; ``workers`` only reaches engines that parallelise on their own
    (``gensim-multicore``, ``sklearn-online``, ``tomotopy``).

    Parameters
    ----------
    space : VectorSpace
        Documents and vocabulary; engines read ``space.counts`` (or its bag-of-words).
    k : int
        Number of topics (2 or more, fewer than the documents).
    random_state : int
        Seed passed unchanged to the engine.
    engine : str or Engine
        Name of a registered engine (see :data:`ENGINES`), or an engine object.
    workers : int
        Threads or processes for the engines that use them.
    **params
        Hyperparameters of the engine, overriding its ``defaults`` (e.g. ``passes=40`` for
        gensim, ``max_iter=5`` for scikit-learn, ``iterations=1000`` for tomotopy).

    Returns
    -------
    FittedTopics
        Topic-term and document-topic arrays, perplexity and settings of the fit.

    Raises
    ------
    ValueError
        When ``engine`` is unknown, ``k`` does not suit the number of documents (see
        :func:`check_k`), ``random_state`` is not an integer, ``workers`` or a count is not a
        positive integer, or a hyperparameter is not one the engine accepts.
    TypeError
        When the engine returns something other than a :class:`FittedTopics`.
    """
    from threadpoolctl import threadpool_limits

    adapter = get_engine(engine)
    check_k(len(space.doc_ids), k)
    k = as_int(k, "k")
    random_state = as_int(random_state, "random_state")
    workers = positive_int(workers, "workers", who="fit")
    settings = adapter.check_params(params)
    with threadpool_limits(limits=1):
        result = adapter.fit(space, k, random_state, workers, **settings)
    if not isinstance(result, FittedTopics):
        raise TypeError(
            f"engine {adapter.name!r} returned {type(result).__name__}, not FittedTopics; build it with Engine.fitted"
        )
    return result
