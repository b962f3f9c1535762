"""Comparing two groups of articles: which terms one group uses more than the other.

The statistics are those of :mod:`analysis.stats.keyness` (G², log ratio, log-odds with an
informative Dirichlet prior), applied to the pooled counts of each group.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from analysis.precision import round_table
from analysis.stats._space import checked_counts
from analysis.stats.keyness import _keyness, default_prior_scale, informative_prior

if TYPE_CHECKING:
    import pandas as pd

    from analysis.pipeline.vectors import VectorSpace


def _group_mask(in_group: Sequence[bool], n_docs: int, who: str) -> np.ndarray:
    if isinstance(in_group, str):
        raise ValueError(f"{who}: in_group must be one boolean per document, got a string")
    mask = np.asarray(list(in_group))
    if mask.ndim != 1 or len(mask) != n_docs:
        raise ValueError(f"{who}: in_group has {len(mask)} values for {n_docs} documents; pass one boolean each")
    if mask.dtype.kind != "b":
        raise ValueError(f"{who}: in_group must hold booleans (True for group A), got {mask.dtype} values")
    return mask


def _percentile_rank(values: np.ndarray) -> np.ndarray:
    """Rank scaled to 0 (least frequent) .. 1 (most frequent), ties sharing their mean rank."""
    from scipy.stats import rankdata

    if len(values) == 1:
        return np.array([0.5])
    return (rankdata(values, method="average") - 1.0) / (len(values) - 1.0)


def compare_groups(
    space: VectorSpace,
    in_group: Sequence[bool],
    labels: tuple[str, str] = ("group", "rest"),
    prior_scale: float | None = None,
) -> pd.DataFrame:
    """Compare the terms of two groups of documents, for a Scattertext-style plot.

    Group A is the documents where ``in_group`` is True, group B the others; each group's
    counts are summed, and the prior comes from both together.

    Parameters
    ----------
    space : VectorSpace
        The counts.
    in_group : sequence of bool
        One flag per document, in ``space.doc_ids`` order.
    labels : tuple of str
        Names of A and B, used in error messages and stored in ``table.attrs["labels"]``.
    prior_scale : float, optional
        ``alpha0`` of the log-odds prior; the mean document length when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per term used by either group: ``term, n_a, n_b, per_1000_a, per_1000_b,
        pct_a, pct_b, g2, p_value, log_ratio, log_odds, z``. ``pct_*`` is the percentile rank
        of the term's frequency within the group over the rows of the table, from 0 (least
        frequent) to 1 (most frequent), ties averaged. Positive scores mark terms of A.
        Ordered by ``g2`` descending, then term.

    Raises
    ------
    ValueError
        When ``in_group`` does not give one boolean per document, or a group is empty.
    """
    import pandas as pd

    who = "compare_groups"
    counts = checked_counts(space, who)
    if isinstance(labels, str) or len(labels) != 2:
        raise ValueError(f"{who}: labels must be two names (A, B), got {labels!r}")
    mask = _group_mask(in_group, counts.shape[0], who)
    a = np.asarray(counts[mask].sum(axis=0), dtype=float).ravel()
    b = np.asarray(counts[~mask].sum(axis=0), dtype=float).ravel()
    for name, side, docs in ((labels[0], a, mask.sum()), (labels[1], b, (~mask).sum())):
        if side.sum() <= 0:
            what = "has no documents" if docs == 0 else f"has {docs} documents but no counted tokens"
            raise ValueError(f"{who}: group {name!r} {what}; pick a split with documents on both sides")
    alpha = informative_prior(a + b, default_prior_scale(space) if prior_scale is None else prior_scale)
    keep = (a + b) > 0
    size_a, size_b = a.sum(), b.sum()
    scores = _keyness(a[keep], b[keep], size_a, size_b, alpha[keep], float(alpha.sum()), who)
    table = pd.DataFrame(
        {
            "term": np.asarray(space.vocabulary, dtype=object)[keep],
            "n_a": a[keep].astype("int64"),
            "n_b": b[keep].astype("int64"),
            "per_1000_a": 1000.0 * a[keep] / size_a,
            "per_1000_b": 1000.0 * b[keep] / size_b,
            "pct_a": _percentile_rank(a[keep]),
            "pct_b": _percentile_rank(b[keep]),
            **scores,
        }
    )
    table = round_table(table).sort_values(["g2", "term"], ascending=[False, True], kind="stable", ignore_index=True)
    table.attrs["labels"] = tuple(labels)
    return table
