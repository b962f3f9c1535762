"""How alike articles are: cosine similarity of their vectors, nearest neighbours, a clustered order."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from analysis.checks import positive_int
from analysis.precision import round_array
from analysis.stats._space import checked_counts, finite_array

if TYPE_CHECKING:
    import pandas as pd
    from scipy.sparse import csr_matrix

    from analysis.pipeline.vectors import VectorSpace


#: Values of ``use`` accepted by :func:`cosine_similarity_matrix`.
SIMILARITY_VIEWS = ("tfidf", "counts")


#: Nearest neighbours per document listed by :func:`similarity_table` when the matrix would be too big.
NEIGHBOURS = 5


#: Documents compared at a time when similarities are computed block by block.
SIMILARITY_BLOCK = 500


def _unit_rows(space: VectorSpace, use: str, who: str) -> csr_matrix:
    """The rows of the chosen matrix scaled to unit length (rows without terms stay zero)."""
    from scipy.sparse import diags

    checked_counts(space, who)
    if use not in SIMILARITY_VIEWS:
        raise ValueError(f"{who}: use must be one of {SIMILARITY_VIEWS}, got {use!r}")
    matrix = (space.tfidf if use == "tfidf" else space.counts).tocsr().astype(float)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return (diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ matrix).tocsr()


def _square_similarity(unit: csr_matrix) -> np.ndarray:
    similarity = (unit @ unit.T).toarray()
    similarity = np.clip((similarity + similarity.T) / 2.0, 0.0, 1.0)
    np.fill_diagonal(similarity, 1.0)
    return similarity


def cosine_similarity_matrix(space: VectorSpace, use: str = "tfidf", max_docs: int | None = None) -> pd.DataFrame:
    """Cosine similarity of every pair of documents, or of those in the most similar pairs.

    Parameters
    ----------
    space : VectorSpace
        The documents.
    use : {"tfidf", "counts"}
        Which matrix to compare: TF-IDF weights (shared rare words count most) or raw counts.
    max_docs : int, optional
        When the space has more documents, the matrix covers only ``max_docs`` of them: the
        documents of the most similar pairs (:func:`most_similar_documents`), in corpus
        order, and ``attrs["subset"]`` says so. The full matrix of ``n`` documents takes
        ``8 n²`` bytes (800 MB for 10,000), so large corpora need this; None: every document.

    Returns
    -------
    pandas.DataFrame
        Square and symmetric, index and columns document ids (``space.doc_ids`` or the
        subset, in corpus order); values in 0..1 with 1 on the diagonal (also for a document
        without terms, which is 0 to every other).

    Raises
    ------
    ValueError
        When the space is empty, ``use`` is not one of the two views, or ``max_docs`` is not
        a positive integer.
    """
    import pandas as pd

    who = "cosine_similarity_matrix"
    unit = _unit_rows(space, use, who)
    ids = list(space.doc_ids)
    subset = ""
    if max_docs is not None and len(ids) > positive_int(max_docs, "max_docs", who):
        rows = most_similar_documents(space, max_docs, use)
        unit, ids = unit[rows], [ids[i] for i in rows]
        subset = "those in the most similar pairs"
    labels = pd.Index(ids, name="doc_id")
    frame = pd.DataFrame(round_array(_square_similarity(unit)), index=labels, columns=labels.rename(None))
    if subset:
        frame.attrs["subset"] = subset
    return frame


def nearest_neighbours(space: VectorSpace, k: int = NEIGHBOURS, use: str = "tfidf") -> pd.DataFrame:
    """Every document's ``k`` most similar other documents, computed block by block.

    Memory grows with :data:`SIMILARITY_BLOCK` times the number of documents, not with
    its square, so this scales to corpora whose full similarity matrix would not fit.

    Parameters
    ----------
    space : VectorSpace
        The documents.
    k : int
        Neighbours per document (fewer when there are fewer other documents).
    use : {"tfidf", "counts"}
        Which matrix to compare (see :func:`cosine_similarity_matrix`).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, rank, neighbour, cosine``: documents in ``space.doc_ids`` order,
        rank 1..k by cosine descending, ties by the neighbour's corpus position.

    Raises
    ------
    ValueError
        When the space is empty, ``use`` is unknown or ``k`` is not a positive integer.
    """
    import pandas as pd

    who = "nearest_neighbours"
    unit = _unit_rows(space, use, who)
    k = min(positive_int(k, "k", who), unit.shape[0] - 1)
    ids = np.asarray(list(space.doc_ids), dtype=object)
    transposed = unit.T.tocsr()
    frames = []
    for start in range(0, unit.shape[0], SIMILARITY_BLOCK):
        block = round_array(np.clip((unit[start : start + SIMILARITY_BLOCK] @ transposed).toarray(), 0.0, 1.0))
        rows = np.arange(len(block))
        block[rows, start + rows] = -np.inf  # a document is not its own neighbour
        # stable sort on the negated scores: cosine descending, ties by corpus position
        best = np.argsort(-block, axis=1, kind="stable")[:, :k]
        frames.append(
            pd.DataFrame(
                {
                    "doc_id": np.repeat(ids[start : start + len(block)], k),
                    "rank": np.tile(np.arange(1, k + 1), len(block)),
                    "neighbour": ids[best.ravel()],
                    "cosine": np.take_along_axis(block, best, axis=1).ravel(),
                }
            )
        )
    if not frames or k == 0:
        return pd.DataFrame({"doc_id": [], "rank": [], "neighbour": [], "cosine": []}).astype(
            {"rank": "int64", "cosine": "float64"}
        )
    return pd.concat(frames, ignore_index=True).astype({"rank": "int64", "cosine": "float64"})


def most_similar_documents(space: VectorSpace, n: int, use: str = "tfidf", k: int = NEIGHBOURS) -> list[int]:
    """Positions of the ``n`` documents taking part in the most similar pairs.

    Pairs are read from every document's ``k`` nearest neighbours (so the ``k`` most
    similar pairs of the corpus are always among them), from the most similar down, ties
    by the two documents' positions; both documents of each pair are taken until ``n``
    are chosen (the last pair may add only one).

    Parameters
    ----------
    space : VectorSpace
        The documents.
    n : int
        How many documents.
    use : {"tfidf", "counts"}
        Which matrix to compare.
    k : int
        Neighbours read per document.

    Returns
    -------
    list of int
        Positions in ``space.doc_ids``, ascending (corpus order).
    """
    n = positive_int(n, "n", "most_similar_documents")
    if n >= len(space.doc_ids):
        return list(range(len(space.doc_ids)))
    neighbours = nearest_neighbours(space, k, use)
    position = {doc_id: i for i, doc_id in enumerate(space.doc_ids)}
    a = neighbours["doc_id"].map(position).to_numpy()
    b = neighbours["neighbour"].map(position).to_numpy()
    first, second = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((second, first, -neighbours["cosine"].to_numpy()))
    chosen: dict[int, None] = {}
    for i in order:
        for doc in (int(first[i]), int(second[i])):
            if len(chosen) < n:
                chosen.setdefault(doc, None)
        if len(chosen) >= n:
            break
    return sorted(chosen)


def similarity_table(
    similarity: pd.DataFrame, space: VectorSpace, k: int = NEIGHBOURS, use: str = "tfidf"
) -> pd.DataFrame:
    """The similarity CSV: the matrix when it covers every document, else nearest neighbours.

    Parameters
    ----------
    similarity : pandas.DataFrame
        From :func:`cosine_similarity_matrix` (possibly reordered, e.g. clustered).
    space : VectorSpace
        The documents it was computed from.
    k : int
        Neighbours per document when the matrix is a subset.
    use : {"tfidf", "counts"}
        The view the matrix was computed on.

    Returns
    -------
    pandas.DataFrame
        Either the matrix with its ids in a first column ``doc_id`` (every document), or
        :func:`nearest_neighbours` (``doc_id, rank, neighbour, cosine``: every document's
        ``k`` most similar others), when ``similarity`` holds only some documents.
    """
    if len(similarity) == len(space.doc_ids) and set(similarity.index) == set(space.doc_ids):
        return similarity.reset_index(names="doc_id")
    return nearest_neighbours(space, k, use)


def cluster_order(similarity: pd.DataFrame) -> list[str]:
    """Order documents so that similar ones sit together (for a clustered heatmap).

    Average-linkage hierarchical clustering of the distances ``1 - similarity``, with the
    leaves reordered by scipy's ``optimal_leaf_ordering`` (neighbouring leaves as similar as
    possible). Deterministic: the same matrix always gives the same order.

    Parameters
    ----------
    similarity : pandas.DataFrame
        Square, symmetric, index and columns the same ids in the same order, values in 0..1;
        e.g. from :func:`cosine_similarity_matrix`.

    Returns
    -------
    list of str
        The ids in leaf order; one or two documents are returned as given.

    Raises
    ------
    ValueError
        When the matrix is empty, not square, labelled inconsistently, or not symmetric.
    """
    from scipy.cluster.hierarchy import leaves_list, linkage, optimal_leaf_ordering
    from scipy.spatial.distance import squareform

    who = "cluster_order"
    if not hasattr(similarity, "index") or not hasattr(similarity, "columns"):
        raise ValueError(f"{who}: expected a DataFrame from cosine_similarity_matrix, got {type(similarity).__name__}")
    if similarity.shape[0] == 0:
        raise ValueError(f"{who}: the similarity matrix is empty; compare at least one document")
    if similarity.shape[0] != similarity.shape[1] or list(similarity.index) != list(similarity.columns):
        raise ValueError(f"{who}: index and columns must list the same ids in the same order; pass a square matrix")
    if similarity.index.has_duplicates:
        raise ValueError(f"{who}: duplicate ids in the index; give every document a unique id")
    values = finite_array(similarity.to_numpy(), "similarity", who)
    if not np.allclose(values, values.T):
        raise ValueError(f"{who}: the similarity matrix is not symmetric; pass a similarity, not a directed score")
    ids = similarity.index.tolist()
    if len(ids) <= 2:
        return ids
    distance = np.clip(1.0 - (values + values.T) / 2.0, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    condensed = squareform(distance, checks=False)
    tree = optimal_leaf_ordering(linkage(condensed, method="average"), condensed)
    return [ids[i] for i in leaves_list(tree)]


def most_similar_pairs(similarity: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` most similar pairs of distinct documents.

    Parameters
    ----------
    similarity : pandas.DataFrame
        Square similarity matrix (see :func:`cosine_similarity_matrix`).
    n : int
        How many pairs.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_a, doc_b, cosine``, highest first (ties by the two ids); each pair once.
    """
    import pandas as pd

    ids = list(similarity.index)
    rows = [(ids[i], ids[j], float(similarity.iat[i, j])) for i in range(len(ids)) for j in range(i + 1, len(ids))]
    rows.sort(key=lambda r: (-r[2], r[0], r[1]))
    return pd.DataFrame(rows[: positive_int(n, "n", "most_similar_pairs")], columns=["doc_a", "doc_b", "cosine"])
