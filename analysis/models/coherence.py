"""Topic coherence for a whole sweep of models from one pass of co-occurrence counting.

:func:`analysis.models.selection.coherence` asks gensim's ``CoherenceModel`` for every model and every
measure, and each call slides its windows over the whole corpus again. The counts a
coherence needs do not depend on the model, only on which terms are counted, so this module
counts once, for the union of every model's top terms, and then scores each model from
those counts with a few array operations.

The numbers are gensim's (``CoherenceModel(...).get_coherence_per_topic()`` and
``aggregate_measures``), convention for convention:

- **Virtual documents.** ``u_mass`` counts whole documents (a bag of words, or token lists).
  ``c_npmi`` and ``c_v`` count sliding windows of 10 and 110 tokens over each token list:
  a list of ``n >= w`` tokens gives ``n - w + 1`` windows, a shorter one (even an empty one)
  is one window holding all of it. Tokens that are not counted (out of the dictionary, or not
  a top term) still take their place in a window.
- **Which terms a window holds.** gensim updates a window's set of terms as it slides: it
  drops the token that leaves on the left and adds the one that enters on the right. A term
  that leaves while another copy of it is still inside the window is therefore dropped too,
  until a later copy enters. This module reproduces that rule exactly (see
  :func:`_window_intervals`), so repeated tokens count as gensim counts them.
- **Confirmation measures** with ``EPSILON = 1e-12`` and natural logs:
  ``u_mass`` = mean over ordered pairs (later term ``w'``, earlier term ``w*``) of
  ``log((D(w', w*) / N + EPSILON) / (D(w*) / N))``, 0 for a pair whose ``w*`` never occurs;
  ``c_npmi`` = mean over all ordered pairs of distinct positions of
  ``log((P(a, b) + EPSILON) / (P(a) P(b))) / -log(P(a, b) + EPSILON)``;
  ``c_v`` = mean over the topic's terms of the cosine between the term's NPMI vector against
  the topic and the sum of all those vectors (``one_set`` segmentation, ``gamma = 1``).
  A topic's score is the arithmetic mean over its segments and a model's score the mean over
  its topics; terms that never occur give ``inf`` or ``nan`` in ``c_npmi`` and ``c_v``
  exactly where gensim does.
- **Topic length.** gensim's ``CoherenceModel`` keeps only the first ``topn = 20`` terms of
  every topic when the first topic is longer than that; so does :func:`topic_coherence`.

Counting is vectorised with numpy and runs over documents in chunks, so memory is bounded by
the chunk and by the dense ``terms x terms`` count matrix (32 MB for 2,000 terms). Each term's
presence across the windows of a document is a few intervals of window numbers, and two terms
co-occur in as many windows as their intervals overlap: no windows x terms matrix is built.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.checks import positive_int

if TYPE_CHECKING:
    from gensim.corpora import Dictionary

COHERENCE_MEASURES = ("c_npmi", "c_v", "u_mass")
WINDOW_SIZES = {"c_npmi": 10, "c_v": 110, "u_mass": None}  # gensim's SLIDING_WINDOW_SIZES; None = whole documents
EPSILON = 1e-12  # gensim's direct_confirmation_measure.EPSILON, keeps log() finite for pairs that never co-occur
GENSIM_TOPN = 20  # CoherenceModel(topn=20): longer topics are cut to this many terms
CHUNK_TOKENS = 1_000_000  # tokens per chunk of documents: bounds the memory of the per-token arrays
MAX_PAIRS = 2_000_000  # overlapping interval pairs handled at once: bounds the memory of the pair arrays


@dataclass(frozen=True, eq=False)
class CooccurrenceStats:
    """Occurrence and co-occurrence counts of some terms over (virtual) documents.

    Attributes
    ----------
    terms : tuple of str
        The counted terms; ``terms[i]`` is row and column ``i`` of the counts.
    window_size : int or None
        Tokens per sliding window, or None when the virtual documents are whole documents.
    n_docs : int
        Number of virtual documents (windows, or documents).
    doc_counts : numpy.ndarray
        ``(n_terms,)`` int64: virtual documents holding each term.
    co_counts : numpy.ndarray
        ``(n_terms, n_terms)`` int64, symmetric: virtual documents holding both terms; the
        diagonal equals ``doc_counts``.
    index : dict of str to int
        Position of each term in ``terms`` (derived, not passed).
    """

    terms: tuple[str, ...]
    window_size: int | None
    n_docs: int
    doc_counts: np.ndarray
    co_counts: np.ndarray
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {term: i for i, term in enumerate(self.terms)})
        for name in ("doc_counts", "co_counts"):
            getattr(self, name).setflags(write=False)


# --- validation ---------------------------------------------------------------------------------------------------


def _check_measures(measures: Sequence[str]) -> tuple[str, ...]:
    """``measures`` as a tuple, or a ValueError naming the unknown one."""
    if isinstance(measures, str):
        measures = (measures,)
    for measure in measures:
        if measure not in COHERENCE_MEASURES:
            raise ValueError(f"unknown coherence measure {measure!r}; use one of {', '.join(COHERENCE_MEASURES)}")
    if not measures:
        raise ValueError(f"measures is empty; pass one or more of {', '.join(COHERENCE_MEASURES)}")
    return tuple(measures)


def check_topics(
    topics: Sequence[Sequence[str]],
    name: str = "topics",
    min_terms: int = 1,
    vocabulary: Mapping[str, Any] | None = None,
    source: str = "vocabulary",
) -> list[list[str]]:
    """Topics as lists of str terms, after the checks every topic-list function shares.

    Parameters
    ----------
    topics : sequence of sequence of str
        Each topic's terms, most probable first.
    name : str
        The argument's name, for messages.
    min_terms : int
        Fewest terms a topic may have (coherence compares pairs, so it needs 2).
    vocabulary : mapping with str keys, optional
        When given, every term must be one of its keys.
    source : str
        What ``vocabulary`` is, for messages ("dictionary", "counted terms").

    Returns
    -------
    list of list of str
        The topics, as new lists.

    Raises
    ------
    ValueError
        When there are no topics, a topic is a str instead of a list of terms, a topic is
        too short or holds a non-str term, or a term is not in ``vocabulary``.
    """
    if isinstance(topics, str) or not len(topics):
        raise ValueError(
            f"{name} must be a non-empty list of topics, each a list of terms, e.g. [['tax', 'budget'], ['rain', 'flood']]"
        )
    checked = []
    for number, terms in enumerate(topics):
        if isinstance(terms, str):
            raise ValueError(
                f"{name}: topic {number} is the str {terms!r}, not a list of terms; "
                "pass one list of topics per model, each topic a list of terms"
            )
        terms = list(terms)
        if len(terms) < min_terms:
            raise ValueError(f"{name}: topic {number} has {len(terms)} term(s); each topic needs at least {min_terms}")
        if any(not isinstance(term, str) for term in terms):
            raise ValueError(f"{name}: topic {number} must hold str terms, got {terms!r}")
        unknown = [term for term in terms if vocabulary is not None and term not in vocabulary]
        if unknown:
            raise ValueError(
                f"{name}: topic {number} has terms not in the {source} ({', '.join(map(repr, unknown[:5]))}); "
                "take top terms from a model fitted on the same vocabulary"
            )
        checked.append(terms)
    return checked


def _gensim_topics(topics: Sequence[Sequence[str]], vocabulary: Mapping[str, Any], source: str) -> list[list[str]]:
    """Checked topics of two terms or more, cut to gensim's ``topn`` as ``CoherenceModel`` does."""
    topics = check_topics(topics, "topics", min_terms=2, vocabulary=vocabulary, source=source)
    if len(topics[0]) > GENSIM_TOPN:
        topics = [topic[:GENSIM_TOPN] for topic in topics]
    return topics


def _check_window_size(window_size: int | None) -> int | None:
    """``window_size`` as an int of at least 1, or None."""
    if window_size is None:
        return None
    return positive_int(window_size, "window_size (or None for whole documents)")


# --- counting -----------------------------------------------------------------------------------------------------


def _chunks(token_docs: Iterable[Sequence[str]], chunk_tokens: int) -> Iterator[list[Sequence[str]]]:
    """Consecutive lists of documents holding about ``chunk_tokens`` tokens each."""
    chunk: list[Sequence[str]] = []
    size = 0
    for doc in token_docs:
        if isinstance(doc, str):
            raise ValueError("each document must be a list of tokens, got a str; split it into tokens first")
        chunk.append(doc)
        size += len(doc)
        if size >= chunk_tokens:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _occurrences(chunk: list[Sequence[str]], index: Mapping[str, int]) -> tuple[np.ndarray, ...]:
    """Document lengths, and the document, position and term of every counted token of ``chunk``."""
    lengths = np.fromiter((len(doc) for doc in chunk), dtype=np.int64, count=len(chunk))
    total = int(lengths.sum())
    terms = np.fromiter((index.get(token, -1) for doc in chunk for token in doc), dtype=np.int64, count=total)
    docs = np.repeat(np.arange(len(chunk), dtype=np.int64), lengths)
    positions = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    kept = terms >= 0
    return lengths, docs[kept], positions[kept], terms[kept]


def _window_intervals(
    lengths: np.ndarray, docs: np.ndarray, positions: np.ndarray, terms: np.ndarray, window_size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The windows holding each term, as disjoint half-open intervals of window numbers.

    Windows of a chunk are numbered consecutively across its documents, so intervals of
    different documents never overlap. gensim adds a copy at position ``p`` when it enters
    (window ``max(0, p - w + 1)``) and drops the term when any copy leaves (window ``p + 1``);
    so the copy at ``p`` keeps the term from its entry until the first copy at or after the
    entry window leaves. Copies of one term in one document give sorted, possibly touching
    intervals, merged here.

    Returns
    -------
    tuple of (numpy.ndarray, numpy.ndarray, numpy.ndarray, int)
        Start, end and term of each interval, and the number of windows in the chunk.
    """
    n_windows = np.maximum(1, lengths - window_size + 1)
    if not len(terms):
        return terms, terms, terms, int(n_windows.sum())
    offsets = np.cumsum(n_windows) - n_windows
    order = np.lexsort((positions, terms, docs))
    docs, positions, terms = docs[order], positions[order], terms[order]
    new_group = np.ones(len(order), dtype=bool)
    new_group[1:] = (docs[1:] != docs[:-1]) | (terms[1:] != terms[:-1])
    group = np.cumsum(new_group) - 1
    stride = int(lengths.max()) + 1
    keys = group * stride + positions
    entry = np.maximum(0, positions - window_size + 1)
    first_after_entry = positions[np.searchsorted(keys, group * stride + entry, side="left")]
    start = entry + offsets[docs]
    end = np.minimum(first_after_entry + 1, n_windows[docs]) + offsets[docs]
    new_run = new_group.copy()
    new_run[1:] |= start[1:] > end[:-1]
    last_of_run = np.append(new_run[1:], True)
    return start[new_run], end[last_of_run], terms[new_run], int(n_windows.sum())


def _add_overlaps(
    co: np.ndarray, start: np.ndarray, end: np.ndarray, terms: np.ndarray, n_terms: int, max_pairs: int
) -> None:
    """Add to the flat ``co`` (``n_terms ** 2`` cells) the overlap of every pair of intervals, keyed by their terms.

    Sorted by start, interval ``i`` overlaps exactly the later intervals that start before it
    ends; these pairs are enumerated in blocks of about ``max_pairs``.
    """
    order = np.argsort(start, kind="stable")
    start, end, terms = start[order], end[order], terms[order]
    later = np.searchsorted(start, end, side="left") - np.arange(len(start)) - 1
    before = np.concatenate(([0], np.cumsum(later)))
    steps = np.searchsorted(before, np.arange(0, before[-1], max_pairs), side="right") - 1
    bounds = np.unique(np.concatenate(([0], steps, [len(start)])))
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        counts = later[lo:hi]
        n_pairs = int(before[hi] - before[lo])
        if not n_pairs:
            continue
        first = np.repeat(np.arange(lo, hi), counts)
        second = first + 1 + np.arange(n_pairs) - np.repeat(before[lo:hi] - before[lo], counts)
        overlap = np.minimum(end[first], end[second]) - start[second]
        co += np.bincount(terms[first] * n_terms + terms[second], weights=overlap, minlength=co.size)


def _document_pairs(docs: np.ndarray, terms: np.ndarray, n_docs: int, n_terms: int) -> np.ndarray:
    """Documents holding each pair of terms, a dense symmetric ``X.T @ X`` of binary presence."""
    from scipy.sparse import csr_matrix

    cells = np.unique(docs * n_terms + terms)
    presence = csr_matrix(
        (np.ones(len(cells), dtype=np.int64), (cells // n_terms, cells % n_terms)), shape=(n_docs, n_terms)
    )
    return (presence.T @ presence).toarray()


class _Accumulator:
    """Counts summed over chunks of documents.

    Window overlaps arrive as ``pairs`` in either orientation (each pair once) with the
    occurrences apart; document counts arrive as a full symmetric matrix.
    """

    def __init__(self, n_terms: int) -> None:
        self.pairs = np.zeros(n_terms * n_terms, dtype=np.float64)  # bincount's weights are float; exact below 2**53
        self.occurrences = np.zeros(n_terms, dtype=np.int64)
        self.symmetric = np.zeros((n_terms, n_terms), dtype=np.int64)
        self.n_docs = 0

    def add_windows(self, occurrences: tuple[np.ndarray, ...], window_size: int, max_pairs: int) -> None:
        start, end, owner, n_windows = _window_intervals(*occurrences, window_size)
        self.occurrences += np.bincount(owner, weights=end - start, minlength=len(self.occurrences)).astype(np.int64)
        _add_overlaps(self.pairs, start, end, owner, len(self.occurrences), max_pairs)
        self.n_docs += n_windows

    def add_documents(self, docs: np.ndarray, terms: np.ndarray, n_docs: int) -> None:
        self.symmetric += _document_pairs(docs, terms, n_docs, len(self.occurrences))
        self.n_docs += n_docs

    def finish(self, vocabulary: tuple[str, ...], window_size: int | None) -> CooccurrenceStats:
        n_terms = len(vocabulary)
        pairs = np.rint(self.pairs).astype(np.int64).reshape(n_terms, n_terms)
        co = pairs + pairs.T + self.symmetric + np.diag(self.occurrences)
        return CooccurrenceStats(vocabulary, window_size, self.n_docs, np.diag(co).copy(), co)


def _vocabulary(terms: Iterable[str]) -> tuple[str, ...]:
    """The distinct terms, sorted; ValueError when there are none."""
    vocabulary = tuple(sorted(set(terms)))
    if not vocabulary:
        raise ValueError("terms is empty; pass the top terms whose co-occurrence to count")
    return vocabulary


def count_cooccurrence(
    terms: Iterable[str],
    token_docs: Iterable[Sequence[str]],
    window_sizes: Sequence[int | None] = (10, 110),
    chunk_tokens: int = CHUNK_TOKENS,
    max_pairs: int = MAX_PAIRS,
) -> dict[int | None, CooccurrenceStats]:
    """Count how often each term, and each pair of terms, occurs in windows of token lists.

    One pass over ``token_docs`` serves every window size, with gensim's conventions (see the
    module docstring); ``None`` counts whole documents, as ``u_mass`` does from ``texts``.

    Parameters
    ----------
    terms : iterable of str
        The terms to count (usually the union of every model's top terms); duplicates are
        dropped and the stats list them sorted.
    token_docs : iterable of list of str
        The token lists; read once, so a generator is fine.
    window_sizes : sequence of int or None
        Tokens per sliding window for each set of stats (gensim: 10 for ``c_npmi``, 110 for
        ``c_v``); None for whole documents.
    chunk_tokens : int
        About this many tokens are processed at once (bounds memory, not the result).
    max_pairs : int
        About this many overlapping interval pairs are processed at once (bounds memory).

    Returns
    -------
    dict of (int or None) to CooccurrenceStats
        The stats of each window size.

    Raises
    ------
    ValueError
        When ``terms``, ``window_sizes`` or ``token_docs`` is empty, a document is a string, or
        a window size is not a positive int or None.
    """
    vocabulary = _vocabulary(terms)
    sizes = list(dict.fromkeys(_check_window_size(size) for size in window_sizes))
    if not sizes:
        raise ValueError("window_sizes is empty; pass e.g. (10, 110), or (None,) for whole documents")
    index = {term: i for i, term in enumerate(vocabulary)}
    totals = {size: _Accumulator(len(vocabulary)) for size in sizes}
    for chunk in _chunks(token_docs, chunk_tokens):
        occurrences = _occurrences(chunk, index)
        for size, total in totals.items():
            if size is None:
                total.add_documents(occurrences[1], occurrences[3], len(chunk))
            else:
                total.add_windows(occurrences, size, max_pairs)
    if not next(iter(totals.values())).n_docs:
        raise ValueError("token_docs is empty; pass at least one document (a list of tokens)")
    return {size: total.finish(vocabulary, size) for size, total in totals.items()}


def count_bow_cooccurrence(
    terms: Iterable[str], bow: Iterable[Sequence[tuple[int, float]]], dictionary: Dictionary
) -> CooccurrenceStats:
    """Count the documents of a bag-of-words corpus that hold each term and each pair of terms.

    As gensim's ``u_mass`` does with ``corpus=``: a term is in a document when its id is
    listed, whatever its count.

    Parameters
    ----------
    terms : iterable of str
        The terms to count, all in ``dictionary``.
    bow : iterable of list of (int, number)
        Documents as ``(term id, count)`` pairs, e.g. ``VectorSpace.bow()``.
    dictionary : gensim.corpora.Dictionary
        Maps the terms to the ids used in ``bow`` (only ``token2id`` is read).

    Returns
    -------
    CooccurrenceStats
        Stats with ``window_size=None``.

    Raises
    ------
    ValueError
        When ``terms`` or ``bow`` is empty, or a term is not in ``dictionary``.
    """
    vocabulary = _vocabulary(terms)
    missing = [term for term in vocabulary if term not in dictionary.token2id]
    if missing:
        shown = ", ".join(map(repr, missing[:5]))
        raise ValueError(f"terms not in the dictionary ({shown}); count only terms of its vocabulary")
    by_id = {dictionary.token2id[term]: i for i, term in enumerate(vocabulary)}
    docs: list[int] = []
    found: list[int] = []
    n_docs = 0
    for n_docs, doc in enumerate(bow, start=1):
        for term_id, _ in doc:
            i = by_id.get(term_id)
            if i is not None:
                docs.append(n_docs - 1)
                found.append(i)
    if not n_docs:
        raise ValueError("bow is empty; pass at least one document of (term id, count) pairs")
    total = _Accumulator(len(vocabulary))
    total.add_documents(np.asarray(docs, dtype=np.int64), np.asarray(found, dtype=np.int64), n_docs)
    return total.finish(vocabulary, None)


# --- scoring ------------------------------------------------------------------------------------------------------


def _npmi(co: np.ndarray, occurrences: np.ndarray, n_docs: int) -> np.ndarray:
    """gensim's normalised log ratio of every pair of positions, in its order of operations."""
    n = float(n_docs)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        joint = co / n
        ratio = np.log((joint + EPSILON) / ((occurrences[:, None] / n) * (occurrences[None, :] / n)))
        return ratio / -np.log(joint + EPSILON)


def _c_npmi(npmi: np.ndarray) -> float:
    """Mean NPMI over ordered pairs of distinct positions (``one_one`` segmentation)."""
    return float(np.mean(npmi[~np.eye(len(npmi), dtype=bool)]))


def _c_v(npmi: np.ndarray, topic: np.ndarray) -> float:
    """Mean cosine between each term's NPMI context vector and the topic's (``one_set`` segmentation).

    gensim gives a vector one entry per distinct term, summing the NPMI of repeated terms, and
    the topic's vector is the sum of its terms' vectors.
    """
    _, slot = np.unique(topic, return_inverse=True)
    one_hot = np.zeros((len(topic), slot.max() + 1))
    one_hot[np.arange(len(topic)), slot] = 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        vectors = npmi @ one_hot
        whole = vectors.sum(axis=0)
        norms = np.sqrt(np.sum(vectors**2, axis=1)) * np.sqrt(np.sum(whole**2))
        return float(np.mean((vectors @ whole) / norms))


def _u_mass(co: np.ndarray, occurrences: np.ndarray, n_docs: int) -> float:
    """Mean log conditional probability of each term given each earlier one (``one_pre`` segmentation).

    A pair whose earlier term is in no document scores 0, as in gensim.
    """
    later, earlier = np.tril_indices(len(occurrences), -1)
    n = float(n_docs)
    given = occurrences[earlier]
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.log((co[later, earlier] / n + EPSILON) / (given / n))
    return float(np.mean(np.where(given == 0, 0.0, scores)))


def _one_topic(topic: np.ndarray, stats: CooccurrenceStats, measure: str) -> float:
    """The coherence of one topic, given as positions in ``stats.terms``."""
    co = stats.co_counts[np.ix_(topic, topic)]
    occurrences = stats.doc_counts[topic]
    if measure == "u_mass":
        return _u_mass(co, occurrences, stats.n_docs)
    npmi = _npmi(co, occurrences, stats.n_docs)
    return _c_npmi(npmi) if measure == "c_npmi" else _c_v(npmi, topic)


def topic_coherence(
    topics: Sequence[Sequence[str]], stats: CooccurrenceStats, measure: str
) -> tuple[float, list[float]]:
    """Coherence of one model's topics from counts made beforehand.

    Parameters
    ----------
    topics : list of list of str
        Each topic's top terms, most probable first; at least two per topic, all in
        ``stats.terms``. As in gensim, only the first 20 terms count when the first topic has
        more than 20.
    stats : CooccurrenceStats
        Counts over whole documents for ``u_mass``, over sliding windows for ``c_npmi`` and
        ``c_v`` (see :func:`count_cooccurrence`).
    measure : {"c_npmi", "c_v", "u_mass"}
        The coherence measure.

    Returns
    -------
    tuple of (float, list of float)
        The mean over topics, and the coherence of each topic in input order: the values of
        gensim's ``CoherenceModel`` given the same documents.

    Raises
    ------
    ValueError
        When ``measure`` is unknown, ``stats`` were counted in the wrong kind of virtual
        document for it, a topic has fewer than two terms, or a term was not counted.
    """
    (measure,) = _check_measures((measure,))
    wants_windows = WINDOW_SIZES[measure] is not None
    if wants_windows != (stats.window_size is not None):
        kind = "sliding windows" if wants_windows else "whole documents (window_size=None)"
        raise ValueError(f"{measure} needs counts over {kind}, got stats with window_size={stats.window_size}")
    topics = _gensim_topics(topics, stats.index, "counted terms")
    per_topic = [_one_topic(np.array([stats.index[term] for term in topic]), stats, measure) for topic in topics]
    return float(np.mean(per_topic)), per_topic


def sweep_coherence(
    model_topics: Sequence[Sequence[Sequence[str]]],
    token_docs: Iterable[Sequence[str]] | None,
    dictionary: Dictionary,
    bow: Iterable[Sequence[tuple[int, float]]] | None = None,
    measures: Sequence[str] = COHERENCE_MEASURES,
    chunk_tokens: int = CHUNK_TOKENS,
) -> list[dict[str, tuple[float, list[float]]]]:
    """Coherence of many models' topics, counting co-occurrence once for all of them.

    Gives the numbers of :func:`analysis.models.selection.coherence` (gensim's ``CoherenceModel``) for
    each model and measure, from one pass over ``token_docs``.

    Parameters
    ----------
    model_topics : list of (list of list of str)
        For each model, its topics' top terms (see :func:`analysis.models.topics.top_term_lists`).
    token_docs : iterable of list of str, or None
        Token lists for the sliding windows of ``c_npmi`` (10 tokens) and ``c_v`` (110), and
        for ``u_mass`` when ``bow`` is None; read once. None only when ``bow`` serves alone.
    dictionary : gensim.corpora.Dictionary
        The vocabulary every topic term must belong to, and the ids of ``bow``.
    bow : iterable of list of (int, number), optional
        Documents for ``u_mass`` (``VectorSpace.bow()``, as :func:`analysis.models.selection.coherence`
        uses); when None, ``u_mass`` counts the documents of ``token_docs``.
    measures : sequence of {"c_npmi", "c_v", "u_mass"}
        The measures to compute.
    chunk_tokens : int
        Tokens counted at once (bounds memory, not the result).

    Returns
    -------
    list of dict of str to (float, list of float)
        For each model in order, for each measure: the mean over topics and each topic's value.

    Raises
    ------
    ValueError
        When a measure is unknown, ``model_topics`` is empty, a topic has fewer than two terms
        or a term outside ``dictionary``, or the documents a measure needs are missing or empty.
    """
    measures = _check_measures(measures)
    if isinstance(model_topics, str) or not len(model_topics):
        raise ValueError("model_topics is empty; pass each model's top-term lists")
    models = [_gensim_topics(topics, dictionary.token2id, "dictionary") for topics in model_topics]
    terms = {term for topics in models for topic in topics for term in topic}
    sizes = [WINDOW_SIZES[m] for m in measures if m != "u_mass" or bow is None]
    stats: dict[int | None, CooccurrenceStats] = {}
    if sizes:
        if token_docs is None:
            raise ValueError(f"token_docs is None but {', '.join(measures)} need token lists; pass the documents")
        stats = count_cooccurrence(terms, token_docs, sizes, chunk_tokens)
    if "u_mass" in measures and bow is not None:
        stats[None] = count_bow_cooccurrence(terms, bow, dictionary)
    return [{m: topic_coherence(topics, stats[WINDOW_SIZES[m]], m) for m in measures} for topics in models]


# --- benchmark ----------------------------------------------------------------------------------------------------


def _gensim_sweep(
    model_topics: Sequence[Sequence[Sequence[str]]],
    token_docs: list[list[str]],
    dictionary: Dictionary,
    bow: list | None,
    measures: Sequence[str],
) -> list[dict[str, tuple[float, list[float]]]]:
    """What :func:`sweep_coherence` replaces: one gensim ``CoherenceModel`` per model and measure."""
    from gensim.models.coherencemodel import CoherenceModel

    results = []
    for topics in model_topics:
        scores = {}
        for measure in measures:
            source = {"corpus": bow} if measure == "u_mass" and bow is not None else {"texts": token_docs}
            model = CoherenceModel(
                topics=[list(t) for t in topics], dictionary=dictionary, coherence=measure, processes=1, **source
            )
            per_topic = [float(value) for value in model.get_coherence_per_topic()]
            scores[measure] = (float(model.aggregate_measures(per_topic)), per_topic)
        results.append(scores)
    return results


Scores = Sequence[Mapping[str, tuple[float, Sequence[float]]]]


def max_difference(left: Scores, right: Scores) -> float:
    """Largest absolute difference between two sweeps' scores (equal NaNs and equal infinities count as 0).

    Parameters
    ----------
    left, right : list of dict of str to (float, list of float)
        Outputs of :func:`sweep_coherence` for the same models and measures.

    Returns
    -------
    float
        The largest difference over every mean and every topic; ``inf`` when one side is
        NaN or infinite and the other is not, or when the shapes differ.
    """
    if len(left) != len(right):
        return float("inf")
    worst = 0.0
    for a, b in zip(left, right):
        if a.keys() != b.keys():
            return float("inf")
        for measure in a:
            x = np.array([a[measure][0], *a[measure][1]], dtype=float)
            y = np.array([b[measure][0], *b[measure][1]], dtype=float)
            if x.shape != y.shape:
                return float("inf")
            same = (x == y) | (np.isnan(x) & np.isnan(y))
            with np.errstate(invalid="ignore"):
                gaps = np.where(same, 0.0, np.abs(x - y))
            worst = max(worst, float(np.max(np.nan_to_num(gaps, nan=np.inf))))
    return worst


def compare_speed(
    token_docs: Iterable[Sequence[str]],
    model_topics: Sequence[Sequence[Sequence[str]]],
    measures: Sequence[str] = COHERENCE_MEASURES,
    dictionary: Dictionary | None = None,
    bow: list | None = None,
) -> dict[str, Any]:
    """Time :func:`sweep_coherence` against one gensim ``CoherenceModel`` per model and measure.

    Both run in this process, one after the other, on the same inputs.

    Parameters
    ----------
    token_docs : iterable of list of str
        The documents.
    model_topics : list of (list of list of str)
        Each model's top-term lists.
    measures : sequence of {"c_npmi", "c_v", "u_mass"}
        The measures to time.
    dictionary : gensim.corpora.Dictionary, optional
        Defaults to ``Dictionary(token_docs)``, built outside the timings.
    bow : list of list of (int, number), optional
        Documents for ``u_mass``; when None both sides count ``token_docs``.

    Returns
    -------
    dict
        ``shared_seconds`` (this module), ``gensim_seconds`` (per model), ``speedup``
        (their ratio), ``max_abs_diff`` (see :func:`max_difference`), ``n_models``,
        ``n_topic_terms`` (distinct top terms over all models) and ``measures``.

    Raises
    ------
    ValueError
        As :func:`sweep_coherence`.
    """
    from gensim.corpora import Dictionary

    token_docs = [list(doc) for doc in token_docs]
    if dictionary is None:
        dictionary = Dictionary(token_docs)
    measures = _check_measures(measures)
    started = time.perf_counter()
    shared = sweep_coherence(model_topics, token_docs, dictionary, bow, measures)
    shared_seconds = time.perf_counter() - started
    started = time.perf_counter()
    direct = _gensim_sweep(model_topics, token_docs, dictionary, bow, measures)
    gensim_seconds = time.perf_counter() - started
    return {
        "shared_seconds": shared_seconds,
        "gensim_seconds": gensim_seconds,
        "speedup": gensim_seconds / shared_seconds if shared_seconds > 0 else float("inf"),
        "max_abs_diff": max_difference(shared, direct),
        "n_models": len(model_topics),
        "n_topic_terms": len({term for topics in model_topics for topic in topics for term in topic}),
        "measures": list(measures),
    }
