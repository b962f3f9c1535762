"""One vocabulary, three views: counts and TF-IDF (scikit-learn's definitions) and bag-of-words (gensim).

Documents arrive already cleaned (lists of tokens from :mod:`analysis.text.cleaning`), so no
vectoriser ever re-tokenises: cleaning lives in one module only. The vocabulary is fixed
once by the count matrix (with ``min_df``/``max_df`` pruning) and shared by the TF-IDF
matrix and the gensim ``Dictionary``, so column ``j`` of every matrix and id ``j`` of the
dictionary are the same term.

TF-IDF follows scikit-learn's smoothed definition::

    tfidf(t, d) = tf(t, d) * idf(t),   idf(t) = ln((1 + n) / (1 + df(t))) + 1

where ``tf`` is the raw count (or ``1 + ln(tf)`` with ``sublinear_tf``), ``n`` the number of
documents and ``df(t)`` the number of documents containing ``t``; each row is then scaled
to unit Euclidean length. The ``+ 1`` terms keep a word found in every document from
vanishing entirely and avoid division by zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from gensim.corpora import Dictionary
    from scipy.sparse import csr_matrix


@dataclass(frozen=True)
class VectorSpace:
    """Documents and terms in one shared index.

    Attributes
    ----------
    doc_ids : tuple of str
        Row labels.
    vocabulary : tuple of str
        Column labels, in alphabetical order.
    counts : scipy.sparse.csr_matrix
        Documents × terms raw counts (int64).
    tfidf : scipy.sparse.csr_matrix
        Documents × terms TF-IDF weights, rows L2-normalised.
    idf : numpy.ndarray
        The idf of each term (see module docstring).
    dictionary : gensim.corpora.Dictionary
        Same terms, ``dictionary.token2id[term] == column``; document frequencies set.
    """

    doc_ids: tuple[str, ...]
    vocabulary: tuple[str, ...]
    counts: csr_matrix
    tfidf: csr_matrix
    idf: object
    dictionary: Dictionary

    def bow(self) -> list[list[tuple[int, int]]]:
        """The count matrix as a gensim bag-of-words corpus.

        Returns
        -------
        list of list of tuple
            ``[(term id, count), ...]`` per document, ids ascending.
        """
        return [
            list(zip(self.counts.indices[a:b].tolist(), self.counts.data[a:b].tolist()))
            for a, b in zip(self.counts.indptr[:-1], self.counts.indptr[1:])
        ]

    def doc_lengths(self) -> dict[str, int]:
        """Counted tokens per document (after vocabulary pruning).

        Returns
        -------
        dict
            Document id to its number of counted tokens.
        """
        totals = self.counts.sum(axis=1)
        return {doc_id: int(n) for doc_id, n in zip(self.doc_ids, totals.flat)}

    def term_counts(self) -> pd.DataFrame:
        """A tidy table of counts: one row per document and term present in it.

        Returns
        -------
        pandas.DataFrame
            Columns ``doc_id, term, n, tfidf``, ordered by document then term.
        """
        import pandas as pd

        coo = self.counts.tocoo()
        weights = self.tfidf.tocsr()
        return pd.DataFrame(
            {
                "doc_id": [self.doc_ids[i] for i in coo.row],
                "term": [self.vocabulary[j] for j in coo.col],
                "n": coo.data.astype("int64"),
                "tfidf": [float(weights[i, j]) for i, j in zip(coo.row, coo.col)],
            }
        ).sort_values(["doc_id", "term"], kind="stable", ignore_index=True)


def vectorize(
    documents: Iterable[tuple[str, Sequence[str]]],
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    max_features: int | None = None,
    sublinear_tf: bool = False,
) -> VectorSpace:
    """Build count, TF-IDF and bag-of-words views of cleaned documents.

    Parameters
    ----------
    documents : iterable of (str, sequence of str)
        ``(doc_id, tokens)`` pairs, streamed once.
    min_df : int or float
        Drop terms found in fewer documents than this (a share when a float in ``[0, 1]``).
    max_df : int or float
        Drop terms found in more documents than this (a share when a float).
    max_features : int, optional
        Keep only the most frequent terms.
    sublinear_tf : bool
        Use ``1 + ln(tf)`` instead of raw counts in TF-IDF.

    Returns
    -------
    VectorSpace
        The shared vocabulary and its matrices.

    Raises
    ------
    ValueError
        When there are no documents, or no term survives cleaning and pruning.
    """
    doc_ids: list[str] = []
    counts, vocabulary = count_matrix(documents, doc_ids, min_df, max_df, max_features)
    idf = smoothed_idf(column_frequency(counts.indices, counts.shape[1]), counts.shape[0])
    return VectorSpace(
        doc_ids=tuple(doc_ids),
        vocabulary=vocabulary,
        counts=counts,
        tfidf=tfidf_weights(counts, idf, sublinear_tf),
        idf=idf,
        dictionary=dictionary_for(vocabulary, counts),
    )


def count_matrix(
    documents: Iterable[tuple[str, Sequence[str]]],
    doc_ids: list[str],
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    max_features: int | None = None,
) -> tuple[csr_matrix, tuple[str, ...]]:
    """Count terms per document from a stream: scikit-learn's ``CountVectorizer`` matrix, in less memory.

    The same vocabulary (alphabetical, pruned by :func:`document_frequency_bounds`, then to
    the ``max_features`` most frequent as scikit-learn picks them) and the same counts as
    ``CountVectorizer(analyzer=identity, min_df, max_df, max_features, dtype=int64)``, which
    a test holds it to. While streaming it keeps two 4-byte integers per distinct term of a
    document, where scikit-learn keeps a Python list of them: at 100,000 articles (20 million
    cells) the peak of counting fell from about 1 GB to under half that.

    Parameters
    ----------
    documents : iterable of (str, sequence of str)
        ``(doc_id, tokens)`` pairs, streamed once.
    doc_ids : list of str
        Receives the ids, in order (filled while the stream is read).
    min_df, max_df, max_features
        As for :func:`vectorize`.

    Returns
    -------
    tuple of (scipy.sparse.csr_matrix, tuple of str)
        Documents × terms int64 counts (indices sorted) and the column labels.

    Raises
    ------
    ValueError
        When there are no documents, no terms, or none left after pruning.
    """
    from array import array
    from collections import Counter

    import numpy as np

    first_seen: dict[str, int] = {}
    indices, values, indptr = array("i"), array("i"), array("q", [0])
    for doc_id, tokens in documents:
        doc_ids.append(doc_id)
        counted = Counter(tokens)
        indices.extend([first_seen.setdefault(term, len(first_seen)) for term in counted])
        values.extend(counted.values())
        indptr.append(len(indices))
    if not doc_ids:
        raise ValueError("no documents to vectorise; check the input paths")
    if not first_seen:
        raise no_terms_left("no document has a token")
    low, high = document_frequency_bounds(len(doc_ids), min_df, max_df)
    terms = list(first_seen)
    del first_seen
    order = np.array(sorted(range(len(terms)), key=terms.__getitem__), dtype=np.int64)  # alphabetical
    column = np.frombuffer(indices, dtype=np.int32)
    df = column_frequency(column, len(terms))[order]  # a term is listed once per document
    kept = (df >= low) & (df <= high)
    if max_features is not None and kept.sum() > max_features:  # scikit-learn's choice, ties as it breaks them
        totals = column_frequency(column, len(terms), weights=np.frombuffer(values, dtype=np.int32))[order]
        chosen = (-totals[kept]).argsort()[:max_features]
        limited = np.zeros_like(kept)
        limited[np.flatnonzero(kept)[chosen]] = True
        kept = limited
    if not kept.any():
        raise no_terms_left("after pruning, no terms remain")
    new_column = np.full(len(terms), -1, dtype=np.int32)
    new_column[order[kept]] = np.arange(int(kept.sum()), dtype=np.int32)
    counts = _kept_cells(
        column,
        np.frombuffer(values, dtype=np.int32),
        np.frombuffer(indptr, dtype=np.int64),
        new_column,
        int(df[kept].sum()),
        len(doc_ids),
        int(kept.sum()),
    )
    vocabulary = tuple(terms[i] for i in order[kept].tolist())
    return counts, vocabulary


#: Cells a column count or a re-indexing handles at a time: numpy widens 4-byte indices to
#: 8 bytes for these operations, so whole-matrix calls held a second, wider copy of the
#: matrix's indices (160 MB at 100,000 articles).
CELLS_PER_BLOCK = 1 << 20


def column_frequency(
    columns: np.ndarray, n_columns: int, weights: np.ndarray | None = None, where: np.ndarray | None = None
) -> np.ndarray:
    """How many cells fall in each column (or the sum of their ``weights``), block by block.

    Parameters
    ----------
    columns : numpy.ndarray
        The column of each cell (a sparse matrix's ``indices``).
    n_columns : int
        Columns in the matrix.
    weights : numpy.ndarray, optional
        Integer values to add up per column instead of counting cells.
    where : numpy.ndarray, optional
        Booleans: count only these cells.

    Returns
    -------
    numpy.ndarray
        int64 per column; the same as ``np.bincount`` on the whole array, exactly.
    """
    import numpy as np

    total = np.zeros(n_columns, dtype=np.int64)
    for start in range(0, len(columns), CELLS_PER_BLOCK):
        block = slice(start, start + CELLS_PER_BLOCK)
        chosen = columns[block] if where is None else columns[block][where[block]]
        if weights is None:
            total += np.bincount(chosen, minlength=n_columns)
        else:
            values = weights[block] if where is None else weights[block][where[block]]
            total += np.bincount(chosen, weights=values, minlength=n_columns).astype(np.int64)
    return total


def _kept_cells(
    column: np.ndarray,
    values: np.ndarray,
    indptr: np.ndarray,
    new_column: np.ndarray,
    n_kept: int,
    n_docs: int,
    n_kept_terms: int,
) -> csr_matrix:
    """The count matrix of the kept terms: each cell moved to its new column (-1: dropped), block by block into arrays of the final size."""
    import numpy as np
    from scipy.sparse import csr_matrix

    indices = np.empty(n_kept, dtype=np.int32)
    data = np.empty(n_kept, dtype=np.int64)
    new_indptr = np.zeros(len(indptr), dtype=np.int64)
    filled = 0
    for start in range(0, len(column), CELLS_PER_BLOCK):
        stop = min(start + CELLS_PER_BLOCK, len(column))
        moved = new_column[column[start:stop]]
        keep = moved >= 0
        kept_so_far = filled + np.cumsum(keep)
        ends = slice(np.searchsorted(indptr, start + 1), np.searchsorted(indptr, stop, side="right"))  # ending here
        new_indptr[ends] = kept_so_far[indptr[ends] - start - 1]
        n = int(kept_so_far[-1]) - filled
        indices[filled : filled + n] = moved[keep]
        data[filled : filled + n] = values[start:stop][keep]
        filled += n
    counts = csr_matrix((data, indices, new_indptr), shape=(n_docs, n_kept_terms))
    counts.sort_indices()
    return counts


def no_terms_left(reason: str) -> ValueError:
    """The error of a corpus with nothing to count, on every backend.

    Parameters
    ----------
    reason : str
        Why, e.g. ``"after pruning, no terms remain"``.

    Returns
    -------
    ValueError
        To raise.
    """
    return ValueError(
        f"no terms left to count ({reason}); lower min_df / raise max_df, or check that cleaning "
        "(stopwords, min_length) does not remove every word"
    )


def document_frequency_bounds(n_docs: int, min_df: int | float, max_df: int | float) -> tuple[float, float]:
    """The fewest and most documents a kept term may occur in: scikit-learn's ``CountVectorizer`` rule.

    An int is a number of documents, a float a share of ``n_docs``. :func:`vectorize` leaves
    the rule to scikit-learn; a backend that counts elsewhere (Spark) applies it with this
    function, and a test holds the two to the same vocabulary.

    Parameters
    ----------
    n_docs : int
        Documents in the corpus.
    min_df, max_df : int or float
        As for :func:`vectorize`.

    Returns
    -------
    tuple of float
        ``(low, high)``: a term is kept when ``low <= df <= high``.

    Raises
    ------
    ValueError
        When ``max_df`` allows fewer documents than ``min_df``, or a value is out of range.
    """
    from numbers import Integral

    for name, value in (("min_df", min_df), ("max_df", max_df)):
        if isinstance(value, bool) or not isinstance(value, Integral | float):
            raise ValueError(f"{name} must be an int (documents) or a float share in [0, 1], got {value!r}")
        if isinstance(value, float) and not 0.0 <= value <= 1.0 or isinstance(value, Integral) and value < 0:
            raise ValueError(f"{name} must be an int >= 0 (documents) or a float share in [0, 1], got {value!r}")
    high = max_df if isinstance(max_df, Integral) else max_df * n_docs
    low = min_df if isinstance(min_df, Integral) else min_df * n_docs
    if high < low:
        raise ValueError("max_df corresponds to < documents than min_df")
    return low, high


def smoothed_idf(document_frequency: Sequence[int], n_docs: int) -> np.ndarray:
    """``ln((1 + n) / (1 + df)) + 1`` per term, in the operations scikit-learn uses (so the same bits).

    Parameters
    ----------
    document_frequency : sequence of int
        Documents containing each term, in column order.
    n_docs : int
        Documents in the corpus.

    Returns
    -------
    numpy.ndarray
        float64 idf per term (see the module docstring).
    """
    import numpy as np

    df = np.asarray(document_frequency, dtype=np.float64) + 1.0
    idf = np.full_like(df, fill_value=n_docs + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return idf


def tfidf_weights(counts: csr_matrix, idf: np.ndarray, sublinear_tf: bool = False) -> csr_matrix:
    """TF-IDF of a block of count rows, each row scaled to unit length.

    Rows are weighed independently, so a corpus split into blocks (the Spark backend's
    partitions) gets the same weights, bit for bit, as the whole matrix at once.

    Parameters
    ----------
    counts : scipy.sparse.csr_matrix
        Documents × terms raw counts.
    idf : numpy.ndarray
        From :func:`smoothed_idf`, one per column.
    sublinear_tf : bool
        Use ``1 + ln(tf)`` instead of the raw count.

    Returns
    -------
    scipy.sparse.csr_matrix
        float64 weights, indices sorted.
    """
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer

    transformer = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=sublinear_tf)
    transformer.idf_ = idf
    counts = counts.tocsr()
    if not counts.has_sorted_indices:
        counts = counts.sorted_indices()
    data = np.empty(counts.nnz, dtype=np.float64)
    rows = max(1, CELLS_PER_BLOCK // max(1, counts.nnz // max(1, counts.shape[0])))
    for start in range(0, counts.shape[0], rows):  # rows are weighed independently: same bits by blocks
        block = transformer.transform(counts[start : start + rows]).tocsr()  # values only: same cells
        data[counts.indptr[start] : counts.indptr[min(start + rows, counts.shape[0])]] = block.data
    return csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)  # the counts' own index arrays


def dictionary_for(vocabulary: Sequence[str], counts: csr_matrix) -> Dictionary:
    """A gensim ``Dictionary`` whose ids are the count matrix's columns.

    Parameters
    ----------
    vocabulary : sequence of str
        Column labels.
    counts : scipy.sparse.csr_matrix
        Documents × terms counts.

    Returns
    -------
    gensim.corpora.Dictionary
        With ``token2id``, document frequencies (``dfs``), collection frequencies (``cfs``),
        ``num_docs``, ``num_pos`` and ``num_nnz`` filled in.
    """
    from gensim.corpora import Dictionary

    dictionary = Dictionary()
    dictionary.token2id = {term: i for i, term in enumerate(vocabulary)}
    document_frequency = column_frequency(counts.indices, counts.shape[1], where=counts.data > 0)
    collection_frequency = column_frequency(counts.indices, counts.shape[1], weights=counts.data)
    dictionary.dfs = {i: int(n) for i, n in enumerate(document_frequency)}
    dictionary.cfs = {i: int(n) for i, n in enumerate(collection_frequency)}
    dictionary.num_docs = counts.shape[0]
    dictionary.num_pos = int(counts.sum())
    dictionary.num_nnz = int(counts.nnz)
    return dictionary
