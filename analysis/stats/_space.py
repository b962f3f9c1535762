"""The checks every statistic makes on its vector space (one implementation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from analysis.pipeline.vectors import VectorSpace


def checked_counts(space: VectorSpace, who: str) -> csr_matrix:
    """The count matrix of a space as CSR int64, after checking that the space is usable."""
    counts = getattr(space, "counts", None)
    if counts is None or not hasattr(space, "doc_ids") or not hasattr(space, "vocabulary"):
        kind = type(space).__name__
        raise ValueError(f"{who}: expected a VectorSpace (from analysis.pipeline.vectors.vectorize), got {kind}")
    if counts.shape[0] == 0 or len(space.doc_ids) == 0:
        raise ValueError(f"{who}: the vector space has no documents (empty corpus); vectorise at least one article")
    if counts.shape[1] == 0 or len(space.vocabulary) == 0:
        raise ValueError(f"{who}: the vector space has no terms; loosen min_df/max_df or the stopword lists")
    if counts.shape != (len(space.doc_ids), len(space.vocabulary)):
        raise ValueError(
            f"{who}: counts have shape {counts.shape} but there are {len(space.doc_ids)} doc_ids and "
            f"{len(space.vocabulary)} terms; rebuild the space with analysis.pipeline.vectors.vectorize"
        )
    counts = counts.tocsr().astype(
        np.int64, copy=False
    )  # no copy of a space's own matrix (archives hold millions of cells)
    if counts.nnz and counts.data.min() < 0:
        raise ValueError(f"{who}: the count matrix has negative entries; counts must be >= 0")
    counts.sort_indices()
    return counts


def corpus_top_terms(space: VectorSpace, counts, top: int) -> list[str]:
    totals = np.asarray(counts.sum(axis=0)).ravel()
    ranked = sorted(range(len(space.vocabulary)), key=lambda j: (-totals[j], space.vocabulary[j]))
    return [space.vocabulary[j] for j in ranked[:top]]


def finite_array(value: object, name: str, who: str) -> np.ndarray:
    """A float array of finite values (scalars become 0-d arrays)."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{who}: {name} must be numbers (an array or a scalar), got {type(value).__name__}") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{who}: {name} contains NaN or infinite values; pass finite counts")
    return array
