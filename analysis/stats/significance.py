"""How sure a difference in counts is: exact tests for small counts and corrections for testing many terms.

:func:`fisher_p_values` gives Fisher's exact test (two-sided, as ``scipy.stats.fisher_exact``)
for many 2×2 tables at once, computing each distinct table once; :func:`adjusted_p_values`
corrects a family of p-values (Benjamini–Hochberg or Bonferroni). :mod:`analysis.stats.keyness`
uses both for every article × term test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from analysis.stats._space import finite_array

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


#: Below this smallest expected count of a term's 2 × 2 table, Fisher's exact test replaces
#: G²'s chi-square tail (Cochran's rule of thumb: the approximation needs expected counts of
#: about 5). In a corpus of short articles this covers most terms: an article of 300 tokens in
#: a corpus of 3,700 expects 5 occurrences only of a term used about 60 times in all.
FISHER_MIN_EXPECTED = 5.0


#: Relative tolerance under which a table counts as "as probable as the observed one" in
#: Fisher's two-sided test (R's ``fisher.test`` uses the same), so that float noise in the
#: probabilities of symmetric tables does not drop one of them.
FISHER_TOLERANCE = 1e-7


#: Hypergeometric probabilities evaluated at once by :func:`fisher_p_values` (bounds memory).
FISHER_CHUNK = 1_000_000


#: :func:`fisher_p_values` first looks this many values plus 8 standard deviations either side
#: of the mode and the observed count (and further when that window leaves out more than
#: 1e-12 of the observed probability): with expected counts below 5 the standard deviation is
#: below 2.3, so the first window almost always suffices.
FISHER_REACH = 10


def smallest_expected(a: ArrayLike, b: ArrayLike, size_a: ArrayLike, size_b: ArrayLike) -> np.ndarray:
    """The smallest expected count of each term's full 2 × 2 table.

    The table is ``[[a, size_a - a], [b, size_b - b]]`` (the term and every other token, in A
    and in B); under independence cell ``(i, j)`` expects ``row_i * column_j / total``. The
    chi-square approximation behind G²'s p-value is poor when this falls below about 5
    (Cochran's rule), which :func:`keyness_by_article` uses to switch to Fisher's exact test.

    Parameters
    ----------
    a, b : array_like
        Counts of the term in A and in B (``>= 0``).
    size_a, size_b : array_like
        Token totals of A and B (``> 0``).

    Returns
    -------
    numpy.ndarray
        ``min(size_a, size_b) * min(a + b, others) / (size_a + size_b)`` per term, where
        ``others = size_a + size_b - a - b``.

    Raises
    ------
    ValueError
        When a count or size is invalid (see :func:`log_likelihood`).
    """
    a, b, size_a, size_b = two_corpus_table(a, b, size_a, size_b, "smallest_expected")
    total = size_a + size_b
    return (np.minimum(size_a, size_b) * np.minimum(a + b, total - a - b) / total)[()]


def fisher_p_values(a: ArrayLike, b: ArrayLike, size_a: ArrayLike, size_b: ArrayLike) -> np.ndarray:
    """Two-sided Fisher's exact test of each term's 2 × 2 table, vectorised.

    The table is ``[[a, size_a - a], [b, size_b - b]]``. With its margins fixed, ``a`` is
    hypergeometric: ``size_a`` draws from ``size_a + size_b`` tokens of which ``a + b`` are
    the term. The p-value sums the probabilities of every table as probable as the observed
    one or less (within a relative :data:`FISHER_TOLERANCE`), as
    :func:`scipy.stats.fisher_exact` with ``alternative="two-sided"`` does. Two-sided,
    because the keyness table holds negative keywords as well and G²'s chi-square p is
    two-sided too; the sign of ``g2`` gives the direction. A word used once in the whole
    corpus gets ``p = size_a / (size_a + size_b)``, the chance that its one occurrence falls
    in A.

    How: identical tables are computed once (articles share sizes, rare terms share counts).
    Each table's probabilities are built from the ratio of neighbours,
    ``P(x + 1) / P(x) = (K - x)(n - x) / ((x + 1)(N - K - n + x + 1))`` (``K = a + b``,
    ``n = size_a``, ``N = size_a + size_b``), relative to the mode, over a window around the
    mode and ``a`` that is widened until the probability outside it is below 1e-12 of the
    observed table's; p is the window's sum of probabilities no larger than the observed one
    over the window's total. Only exact integer products and one logarithm per point enter
    (no log-gamma of large numbers), so the result does not depend on the CPU beyond the
    last bits, and tens of thousands of tables take a fraction of a second.

    Parameters
    ----------
    a, b : array_like
        Counts of the term in A and in B (whole numbers ``>= 0``).
    size_a, size_b : array_like
        Token totals of A and B (whole numbers ``> 0``).

    Returns
    -------
    numpy.ndarray
        p-values in ``[0, 1]``, shaped like the broadcast input.

    Raises
    ------
    ValueError
        When a count or size is invalid (see :func:`log_likelihood`) or not a whole number.
    """
    a, b, size_a, size_b = two_corpus_table(a, b, size_a, size_b, "fisher_p_values")
    cells = np.stack([a.ravel(), (a + b).ravel(), size_a.ravel(), (size_a + size_b).ravel()], axis=1)
    if np.any(cells != np.round(cells)):
        raise ValueError("fisher_p_values: counts and sizes must be whole numbers; Fisher's test counts tokens")
    if cells.size == 0:
        return np.zeros(a.shape)[()]
    # distinct tables by a lexicographic sort (np.unique with axis=0 is several times slower)
    order = np.lexsort(cells.T[::-1])
    ordered = cells[order]
    first = np.ones(len(cells), dtype=bool)
    first[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    inverse = np.empty(len(cells), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return _fisher_distinct(ordered[first])[inverse].reshape(a.shape)[()]


def _fisher_distinct(tables: np.ndarray) -> np.ndarray:
    """Two-sided Fisher p of distinct tables ``(a, K, n, N)``, windows widened until they hold it all."""
    observed, term, draws, total = tables.T
    low, high = np.maximum(0.0, draws + term - total), np.minimum(term, draws)
    mode = np.clip(np.floor((draws + 1) * (term + 1) / (total + 2)), low, high)
    spread = np.sqrt(draws * term * (total - term) * (total - draws) / (total**2 * np.maximum(total - 1, 1)))
    reach = FISHER_REACH + np.ceil(8 * spread)
    p = np.empty(len(tables))
    pending = np.arange(len(tables))
    while pending.size:
        lo = np.maximum(low[pending], np.minimum(observed[pending], mode[pending]) - reach[pending])
        hi = np.minimum(high[pending], np.maximum(observed[pending], mode[pending]) + reach[pending])
        done = np.zeros(len(pending), dtype=bool)
        # tables of similar window width are evaluated together, on a grid of at most FISHER_CHUNK points
        bucket = np.ceil(np.log2(hi - lo + 1)).astype(int)
        for width in np.unique(bucket):
            members = np.flatnonzero(bucket == width)
            per_chunk = max(1, FISHER_CHUNK // 2**width)
            for start in range(0, len(members), per_chunk):
                own = members[start : start + per_chunk]
                rows = pending[own]
                window = (lo[own], hi[own], lo[own] > low[rows], hi[own] < high[rows])
                p[rows], done[own] = _fisher_window(tables[rows], mode[rows], *window)
        pending = pending[~done]
        reach[pending] *= 4
    return p


def _fisher_window(
    tables: np.ndarray, mode: np.ndarray, lo: np.ndarray, hi: np.ndarray, cut_low: np.ndarray, cut_high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Fisher p over the window ``[lo, hi]`` of each table, and whether the window holds all but 1e-12 of it."""
    observed, term, draws, total = (column[:, None] for column in tables.T)
    others = total - term - draws
    x = lo[:, None] + np.arange(int((hi - lo).max()) + 1)
    inside, step = x <= hi[:, None], x < hi[:, None]
    up = np.where(step, (term - x) * (draws - x), 1.0)
    down = np.where(step, (x + 1) * (others + x + 1), 1.0)
    log_weight = np.zeros(x.shape)
    log_weight[:, 1:] = np.cumsum(np.log(up / down)[:, :-1], axis=1)
    rows = np.arange(len(x))
    log_weight -= log_weight[rows, (mode - lo).astype(int)][:, None]
    weight = np.where(inside, np.exp(log_weight), 0.0)
    seen = weight[rows, (observed[:, 0] - lo).astype(int)]
    as_extreme = np.where(weight <= seen[:, None] * (1.0 + FISHER_TOLERANCE), weight, 0.0)
    p = np.minimum(as_extreme.sum(axis=1) / weight.sum(axis=1), 1.0)
    # past the window the ratios of neighbours keep shrinking (the distribution is log-concave),
    # so each tail is at most a geometric series from the window's edge
    term, draws, others = term[:, 0], draws[:, 0], others[:, 0]
    r_high = np.where(cut_high, (term - hi) * (draws - hi) / ((hi + 1) * (others + hi + 1)), 0.0)
    r_low = np.where(cut_low, lo * (others + lo) / np.maximum((term - lo + 1) * (draws - lo + 1), 1.0), 0.0)
    edge_high, edge_low = weight[rows, (hi - lo).astype(int)], weight[:, 0]
    outside = edge_high * r_high / (1.0 - np.minimum(r_high, 0.5)) + edge_low * r_low / (1.0 - np.minimum(r_low, 0.5))
    return p, outside <= 1e-12 * np.maximum(seen, 1e-300)


def adjusted_p_values(p_values: ArrayLike, method: str = "bh") -> np.ndarray:
    """p-values adjusted for testing many terms, one family per row (the last axis).

    ``"bh"``: Benjamini & Hochberg's (1995) q-values, which bound the expected share of false
    discoveries among the terms called significant (:func:`scipy.stats.false_discovery_control`
    with ``method="bh"``): ``q_(i) = min over j >= i of p_(j) * m / j`` for the p-values sorted
    ascending. ``"bonferroni"``: ``min(1, p * m)``, which bounds the chance of even one false
    discovery. ``m`` is the length of the last axis.

    Parameters
    ----------
    p_values : array_like
        p-values in ``[0, 1]``; each row (last axis) is one family of tests.
    method : {"bh", "bonferroni"}
        The adjustment.

    Returns
    -------
    numpy.ndarray
        Adjusted values in ``[0, 1]``, shaped like the input.

    Raises
    ------
    ValueError
        When a value is outside ``[0, 1]`` or ``method`` is unknown.
    """
    who = "adjusted_p_values"
    p = np.atleast_1d(finite_array(p_values, "p_values", who))
    if method not in ("bh", "bonferroni"):
        raise ValueError(f"{who}: method must be 'bh' or 'bonferroni', got {method!r}")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError(f"{who}: p_values must lie in [0, 1]; pass p-values, not scores")
    if p.shape[-1] == 0:
        return p
    if method == "bonferroni":
        return np.minimum(p * p.shape[-1], 1.0)
    from scipy.stats import false_discovery_control

    return false_discovery_control(p, axis=-1, method="bh")


def two_corpus_table(a: object, b: object, size_a: object, size_b: object, who: str) -> tuple[np.ndarray, ...]:
    """Check and broadcast the cells of a two-corpus frequency table."""
    a, b = finite_array(a, "a", who), finite_array(b, "b", who)
    size_a, size_b = finite_array(size_a, "size_a", who), finite_array(size_b, "size_b", who)
    if np.any(a < 0) or np.any(b < 0):
        raise ValueError(f"{who}: counts a and b must be >= 0")
    if np.any(size_a <= 0) or np.any(size_b <= 0):
        raise ValueError(f"{who}: corpus sizes size_a and size_b must be > 0; an empty corpus cannot be compared")
    try:
        a, b, size_a, size_b = np.broadcast_arrays(a, b, size_a, size_b)
    except ValueError:
        raise ValueError(f"{who}: a, b, size_a and size_b have shapes that do not broadcast; align them") from None
    if np.any(a > size_a) or np.any(b > size_b):
        raise ValueError(f"{who}: a count exceeds its corpus size (a > size_a or b > size_b); check the argument order")
    return a, b, size_a, size_b
