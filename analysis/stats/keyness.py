"""Keyness: which terms an article (or a group of articles) uses more than the rest.

Three measures are reported side by side, because each answers a different question:

``g2`` (log-likelihood, Dunning 1993)
    *Is* the difference in frequency more than chance? Grows with corpus size, so large
    corpora make even small differences "significant"; ``p_value`` is its chi-square(1)
    tail.
``log_ratio`` (Hardie 2014)
    *How big* is the difference? Binary log of the ratio of relative frequencies: ``1``
    means twice as frequent, ``-1`` half as frequent, whatever the corpus size.
``log_odds`` and ``z`` (Monroe, Colaresi & Quinn 2008)
    A size of effect shrunk towards the corpus-wide rate by an informative Dirichlet
    prior, and its z-score, so that rare words with a lucky count do not top the list.

Each article is tested against the rest for every term of the corpus, so one article makes
as many tests as there are terms and about 5% of them come out at p < 0.05 by chance alone.
:func:`keyness_by_article` therefore adjusts each article's p-values for that many tests
(Benjamini–Hochberg ``q_value`` by default), uses Fisher's exact test where expected counts
are too small for G²'s chi-square tail (column ``test``), and lists the terms an article
uses less than the rest (negative keywords) as well. :func:`select_key_terms` picks a
figure's terms by a stated rule: significant, then ranked by effect size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from analysis.checks import as_int, positive_int
from analysis.precision import decimals_for, round_array, round_table
from analysis.stats._space import checked_counts, finite_array

if TYPE_CHECKING:
    import pandas as pd
    from numpy.typing import ArrayLike
    from scipy.sparse import csr_matrix

    from analysis.pipeline.vectors import VectorSpace


#: Smoothing added to every count by :func:`log_ratio`, so that a zero count gives a finite score.
LOG_RATIO_SMOOTHING = 0.5


#: :func:`keyness_by_article` with ``top="auto"`` keeps every term of every article up to
#: this many articles; beyond, each article's :data:`KEYNESS_TOP_TERMS` strongest positive and
#: negative terms (a 10,000-article site would otherwise give millions of rows).
KEYNESS_ALL_TERMS_MAX_DOCS = 1000


#: ... and up to this many rows (articles × terms), since every term is listed for every
#: article: 1,000 articles over a 20,000-term vocabulary would be 20 million rows.
KEYNESS_ALL_TERMS_MAX_ROWS = 1_000_000


#: Terms kept per article and side by :func:`keyness_by_article` in a large corpus: this many
#: strongest positive and this many strongest negative (plus any tying with either cut).
KEYNESS_TOP_TERMS = 30


#: Article × term cells scored at once; bounds memory whatever the corpus size (each cell
#: holds about twenty floats while it is scored). Every term of an article is always scored
#: together, so its q-values see the whole family of tests.
KEYNESS_BLOCK_CELLS = 200_000


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


#: The corrections for testing every term of an article (see :func:`keyness_by_article`).
CORRECTIONS = ("bh", "bonferroni", "lrc")


#: Default significance level: the largest q-value :func:`select_key_terms` calls significant,
#: and the family-wise level of LRC's interval.
KEY_TERMS_ALPHA = 0.05


#: Fewest uses of a term in an article for :func:`select_key_terms` to chart it: a term used
#: once or twice gives an unstable log ratio, even when it passes the q-value filter.
KEY_TERMS_MIN_COUNT = 3


def _table(a: object, b: object, size_a: object, size_b: object, who: str) -> tuple[np.ndarray, ...]:
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


def _o_log_o_over_e(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``O * ln(O / E)`` with ``0 * ln 0 = 0``."""
    ratio = np.divide(observed, expected, out=np.ones_like(observed), where=observed > 0)
    return observed * np.log(ratio)


def log_likelihood(a: ArrayLike, b: ArrayLike, size_a: ArrayLike, size_b: ArrayLike) -> np.ndarray:
    """Signed log-likelihood (G²) keyness of a term in corpus A against corpus B.

    This is the two-cell form of Rayson & Garside (2000), used by AntConc, LancsBox and most
    corpus tools: only the term's own counts enter the sum, not the full 2 × 2 table (which
    would add the cells of "all other words" and give slightly larger values)::

        E1 = size_a * (a + b) / (size_a + size_b)
        E2 = size_b * (a + b) / (size_a + size_b)
        G² = 2 * (a * ln(a / E1) + b * ln(b / E2)),   with 0 * ln(0) = 0

    The sign is added afterwards: positive when the term is relatively more frequent in A
    (``a / size_a > b / size_b``), negative when rarer. ``|G²|`` is compared with chi-square
    on one degree of freedom (3.84 for p < 0.05, 6.63 for p < 0.01).

    Parameters
    ----------
    a, b : array_like
        Counts of the term in A and in B (``>= 0``).
    size_a, size_b : array_like
        Token totals of A and B (``> 0``); broadcast against the counts.

    Returns
    -------
    numpy.ndarray
        Signed G², one per term (a numpy float for scalar input); 0 when ``a = b = 0``.

    Raises
    ------
    ValueError
        When a count is negative, NaN or larger than its corpus, or a size is not positive.
    """
    a, b, size_a, size_b = _table(a, b, size_a, size_b, "log_likelihood")
    share_a = size_a / (size_a + size_b)
    g2 = 2.0 * (_o_log_o_over_e(a, share_a * (a + b)) + _o_log_o_over_e(b, (1.0 - share_a) * (a + b)))
    # rounding can leave a hair below zero when the rates are equal; G² is never negative
    signed = np.sign(a * size_b - b * size_a) * np.maximum(g2, 0.0) + 0.0
    return signed[()]


def log_ratio(
    a: ArrayLike, b: ArrayLike, size_a: ArrayLike, size_b: ArrayLike, smoothing: float = LOG_RATIO_SMOOTHING
) -> np.ndarray:
    """Hardie's (2014) Log Ratio: the binary log of the ratio of relative frequencies.

    ::

        log_ratio = log2( (a / size_a) / (b / size_b) ),   a zero count replaced by s

    Each point is a doubling: 1 means twice as frequent in A, -2 a quarter as frequent.
    A zero count would make the ratio 0 or infinite, so, as Hardie recommends, a zero count
    (and only a zero count) is replaced by ``s`` (0.5 by default). Counts of one or two give
    unstable ratios: read them with ``g2`` or the log-odds ``z`` alongside.

    Parameters
    ----------
    a, b : array_like
        Counts of the term in A and in B (``>= 0``).
    size_a, size_b : array_like
        Token totals of A and B (``> 0``).
    smoothing : float
        ``s`` above, ``> 0``.

    Returns
    -------
    numpy.ndarray
        Log Ratio per term (a numpy float for scalar input), always finite.

    Raises
    ------
    ValueError
        When a count or size is invalid (see :func:`log_likelihood`) or ``smoothing <= 0``.
    """
    a, b, size_a, size_b = _table(a, b, size_a, size_b, "log_ratio")
    if not np.isfinite(smoothing) or smoothing <= 0:
        raise ValueError(f"log_ratio: smoothing must be a positive number (0.5 is usual), got {smoothing!r}")
    a = np.where(a == 0, smoothing, a)
    b = np.where(b == 0, smoothing, b)
    return np.log2((a / size_a) / (b / size_b))[()]


def informative_prior(counts_total: ArrayLike, scale: float) -> np.ndarray:
    """An informative Dirichlet prior from background counts (Monroe et al. 2008, sec. 3.5).

    ``alpha_w = scale * counts_total[w] / counts_total.sum()``: the background proportions,
    scaled so the prior weighs as much as ``scale`` observed tokens (``alpha0 = scale``).

    Which scale? The prior is added to both sides of a comparison, so it pulls the
    smaller side's rates towards the corpus-wide rates in proportion to ``scale`` over that
    side's size. :func:`keyness_by_article` and :func:`compare_groups` use the mean document
    length of the space (:func:`default_prior_scale`) unless told otherwise: the prior then
    counts as one extra average article on each side. That is strong enough that a rare word
    used twice in one short article does not outrank a word the article uses again and
    again, yet weak against a whole group of articles, and it adapts to the corpus (a fixed
    1000 would outweigh an article of 300 cleaned tokens three to one).

    Parameters
    ----------
    counts_total : array_like
        Background count per term, ``>= 0`` (usually the whole corpus: both sides together).
    scale : float
        ``alpha0``, the total pseudo-count, ``> 0``.

    Returns
    -------
    numpy.ndarray
        ``alpha_w`` per term, summing to ``scale``; 0 for terms absent from the background.

    Raises
    ------
    ValueError
        When counts are negative or all zero, or ``scale`` is not positive.
    """
    totals = finite_array(counts_total, "counts_total", "informative_prior").ravel()
    if np.any(totals < 0) or totals.sum() <= 0:
        raise ValueError("informative_prior: counts_total must be counts >= 0 with a positive sum; pass term totals")
    if scale is None or not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"informative_prior: scale must be a positive number of pseudo-tokens, got {scale!r}")
    return float(scale) * totals / totals.sum()


def _log_odds(
    a: np.ndarray, b: np.ndarray, alpha: np.ndarray, alpha0: float, n_a: np.ndarray, n_b: np.ndarray, who: str
) -> tuple[np.ndarray, np.ndarray]:
    """Monroe et al.'s delta and z for aligned arrays; ``alpha0`` is the prior's total."""
    if np.any(alpha < 0):
        raise ValueError(f"{who}: prior pseudo-counts must be >= 0")
    if np.any(a + alpha <= 0) or np.any(b + alpha <= 0):
        raise ValueError(
            f"{who}: a term with a zero count needs a positive prior; build it from counts that include "
            "every compared term (e.g. informative_prior(a + b, scale))"
        )
    other_a, other_b = n_a + alpha0 - a - alpha, n_b + alpha0 - b - alpha
    if np.any(other_a <= 0) or np.any(other_b <= 0):
        raise ValueError(
            f"{who}: the odds of 'any other word' are zero (a single-term vocabulary, or size smaller than the "
            "count); compare at least two terms and pass sizes >= the counts"
        )
    delta = np.log((a + alpha) / other_a) - np.log((b + alpha) / other_b)
    variance = 1.0 / (a + alpha) + 1.0 / (b + alpha)
    return delta, delta / np.sqrt(variance)


def log_odds_dirichlet(
    a: ArrayLike,
    b: ArrayLike,
    prior: ArrayLike,
    size_a: float | None = None,
    size_b: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds ratio with an informative Dirichlet prior, and its z-score.

    Monroe, Colaresi & Quinn (2008), "Fightin' words", eq. 16 and 22. With ``alpha_w`` the
    prior pseudo-count of term ``w``, ``alpha0`` their sum, and ``n_a``, ``n_b`` the sizes::

        delta_w = ln((a_w + alpha_w) / (n_a + alpha0 - a_w - alpha_w))
                - ln((b_w + alpha_w) / (n_b + alpha0 - b_w - alpha_w))
        var(delta_w) ≈ 1 / (a_w + alpha_w) + 1 / (b_w + alpha_w)
        z_w = delta_w / sqrt(var(delta_w))

    Positive values mark terms of A. Build ``prior`` with :func:`informative_prior`.

    Parameters
    ----------
    a, b : array_like
        Counts per term in A and B, aligned over one vocabulary (``>= 0``).
    prior : array_like
        ``alpha_w`` per term (``>= 0``, and ``> 0`` wherever ``a`` or ``b`` is 0).
    size_a, size_b : float, optional
        Token totals of A and B; ``a.sum()`` and ``b.sum()`` when omitted (pass them when
        ``a`` and ``b`` cover only part of the vocabulary).

    Returns
    -------
    tuple of numpy.ndarray
        ``(delta, z)``, one value per term, always finite.

    Raises
    ------
    ValueError
        When the arrays are not aligned, a count or prior is invalid, or a side is empty.
    """
    who = "log_odds_dirichlet"
    a, b, alpha = (finite_array(x, name, who).ravel() for x, name in ((a, "a"), (b, "b"), (prior, "prior")))
    if not a.shape == b.shape == alpha.shape:
        lengths = f"{len(a)}, {len(b)}, {len(alpha)}"
        raise ValueError(f"{who}: a, b and prior must have one value per term each; got lengths {lengths}")
    size_a = a.sum() if size_a is None else size_a
    size_b = b.sum() if size_b is None else size_b
    a, b, n_a, n_b = _table(a, b, size_a, size_b, who)
    return _log_odds(a, b, alpha, float(alpha.sum()), n_a, n_b, who)


def default_prior_scale(space: VectorSpace) -> float:
    """The default prior strength for keyness: the mean document length of the space.

    See :func:`informative_prior` for why.

    Parameters
    ----------
    space : VectorSpace
        The counts.

    Returns
    -------
    float
        Counted tokens divided by the number of documents.

    Raises
    ------
    ValueError
        When the space is empty or has no tokens.
    """
    counts = checked_counts(space, "default_prior_scale")
    total = float(counts.sum())
    if total <= 0:
        raise ValueError("default_prior_scale: the space counts no tokens; check cleaning and pruning")
    return total / counts.shape[0]


def _keyness(
    a: np.ndarray, b: np.ndarray, size_a: ArrayLike, size_b: ArrayLike, alpha: np.ndarray, alpha0: float, who: str
) -> dict[str, np.ndarray]:
    """Every keyness column for aligned arrays of counts and sizes."""
    from scipy.stats import chi2

    g2 = np.atleast_1d(log_likelihood(a, b, size_a, size_b))
    delta, z = _log_odds(a, b, alpha, alpha0, size_a, size_b, who)
    return {
        "g2": g2,
        "p_value": chi2.sf(np.abs(g2), 1),
        "log_ratio": np.atleast_1d(log_ratio(a, b, size_a, size_b)),
        "log_odds": delta,
        "z": z,
    }


def _p_values(
    g2: np.ndarray, a: np.ndarray, b: np.ndarray, size_a: np.ndarray, size_b: np.ndarray, min_expected: float
) -> tuple[np.ndarray, np.ndarray]:
    """p-values (G²'s chi-square(1) tail, or Fisher's below ``min_expected``) and which test gave each."""
    from scipy.stats import chi2

    exact = smallest_expected(a, b, size_a, size_b) < min_expected
    p_value = chi2.sf(np.abs(g2), 1)
    p_value[exact] = fisher_p_values(a[exact], b[exact], size_a[exact], size_b[exact])
    return p_value, np.where(exact, "fisher", "g2").astype(object)


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
    a, b, size_a, size_b = _table(a, b, size_a, size_b, "smallest_expected")
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
    a, b, size_a, size_b = _table(a, b, size_a, size_b, "fisher_p_values")
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


def log_ratio_conservative(
    a: ArrayLike, b: ArrayLike, size_a: ArrayLike, size_b: ArrayLike, alpha: float = 0.05, tests: int = 1
) -> np.ndarray:
    """Evert's LRC: the end of Log Ratio's confidence interval nearer zero, or 0 if it spans zero.

    Conditional on the term's total ``a + b``, ``a`` is binomial with success probability
    ``pi``, and the ratio of relative frequencies is ``(pi / (1 - pi)) * (size_b / size_a)``.
    The two-sided Clopper–Pearson interval for ``pi`` at the Bonferroni-corrected level
    ``alpha' = alpha / tests`` (``tests``: the terms tested, so the intervals hold together)::

        pi_low  = BetaInv(alpha' / 2;     a,     b + 1)     (0 when a = 0)
        pi_high = BetaInv(1 - alpha' / 2; a + 1, b)         (1 when b = 0)
        LR_low  = log2(pi_low  / (1 - pi_low)  * size_b / size_a)
        LR_high = log2(pi_high / (1 - pi_high) * size_b / size_a)
        LRC     = LR_low if LR_low > 0, LR_high if LR_high < 0, else 0

    So a positive LRC is "at least 2**LRC times as frequent in A, with confidence
    ``1 - alpha`` over all tests"; no smoothing is needed. With ``b = 0``,
    ``pi_low = (alpha' / 2) ** (1 / a)``, which makes it checkable by hand.

    Parameters
    ----------
    a, b : array_like
        Counts of the term in A and in B (``>= 0``).
    size_a, size_b : array_like
        Token totals of A and B (``> 0``).
    alpha : float
        Family-wise error rate, in ``(0, 1)``.
    tests : int
        How many tests the interval is corrected for (Bonferroni).

    Returns
    -------
    numpy.ndarray
        LRC per term, always finite.

    Raises
    ------
    ValueError
        When a count or size is invalid, ``alpha`` is not in ``(0, 1)`` or ``tests < 1``.
    """
    from scipy.stats import beta

    who = "log_ratio_conservative"
    a, b, size_a, size_b = _table(a, b, size_a, size_b, who)
    if not 0 < alpha < 1:
        raise ValueError(f"{who}: alpha must lie strictly between 0 and 1 (0.05 is usual), got {alpha!r}")
    level = alpha / positive_int(tests, "tests", who) / 2.0
    low = np.where(a > 0, beta.ppf(level, np.maximum(a, 1), b + 1), 0.0)
    high = np.where(b > 0, beta.ppf(1.0 - level, a + 1, np.maximum(b, 1)), 1.0)
    with np.errstate(divide="ignore"):
        lr_low = np.log2(low / (1.0 - low) * size_b / size_a)
        lr_high = np.log2(high / (1.0 - high) * size_b / size_a)
    return (np.where(lr_low > 0, lr_low, np.where(lr_high < 0, lr_high, 0.0)) + 0.0)[()]


@dataclass(frozen=True)
class _Corpus:
    """What scoring one block of articles needs: counts over the tested terms, and margins."""

    counts: csr_matrix
    doc_ids: np.ndarray
    terms: np.ndarray
    sizes: np.ndarray
    totals: np.ndarray
    n_docs: np.ndarray
    prior: np.ndarray


def _corpus(space: VectorSpace, prior_scale: float | None, who: str) -> tuple[_Corpus, np.ndarray]:
    """The tested terms' counts and margins, and the indices of the articles to score."""
    counts = checked_counts(space, who)
    if counts.shape[0] < 2:
        raise ValueError(f"{who}: needs at least two documents (one article has no rest of the corpus to compare with)")
    sizes = np.asarray(counts.sum(axis=1), dtype=float).ravel()
    totals = np.asarray(counts.sum(axis=0), dtype=float).ravel()
    scored = np.flatnonzero(sizes > 0)
    lonely = scored[sizes[scored] >= sizes.sum()]
    if len(lonely):
        raise ValueError(
            f"{who}: every document but {space.doc_ids[int(lonely[0])]!r} is empty, so there is no reference; "
            "add documents"
        )
    prior = informative_prior(totals, default_prior_scale(space) if prior_scale is None else prior_scale)
    tested = np.flatnonzero(totals > 0)
    corpus = _Corpus(
        counts=counts[:, tested],
        doc_ids=np.asarray(space.doc_ids, dtype=object),
        terms=np.asarray(space.vocabulary, dtype=object)[tested],
        sizes=sizes,
        totals=totals[tested],
        n_docs=np.asarray((counts > 0).sum(axis=0), dtype="int64").ravel()[tested],
        prior=prior[tested],
    )
    return corpus, scored


def _block(
    corpus: _Corpus, rows: np.ndarray, correction: str, min_expected: float, alpha: float, top: int | None
) -> pd.DataFrame:
    """The articles ``rows`` against the rest: every tested term, or each article's ``top``
    highest and lowest by G² (q-values always over every term); rounded and sorted."""
    import pandas as pd

    m = len(corpus.terms)
    a = corpus.counts[rows].toarray().astype(float).ravel()
    doc, col = np.repeat(rows, m), np.tile(np.arange(m), len(rows))
    size_a = corpus.sizes[doc]
    size_b = corpus.sizes.sum() - size_a
    b = corpus.totals[col] - a
    g2 = np.atleast_1d(log_likelihood(a, b, size_a, size_b))
    p_value, test = _p_values(g2, a, b, size_a, size_b, min_expected)
    family = p_value.reshape(len(rows), m)
    q_value = adjusted_p_values(family, "bh" if correction == "bh" else "bonferroni").ravel()
    if top is not None:
        # rounded before ranking, so near-ties are cut the same way on every CPU (see analysis.precision)
        keep = _extremes(round_array(g2, decimals_for("g2")).reshape(len(rows), m), top).ravel()
        a, b, size_a, size_b, doc, col, g2, p_value, test, q_value = (
            x[keep] for x in (a, b, size_a, size_b, doc, col, g2, p_value, test, q_value)
        )
    prior = corpus.prior
    log_odds, z = _log_odds(a, b, prior[col], float(prior.sum()), size_a, size_b, "keyness_by_article")
    lrc = {"lrc": log_ratio_conservative(a, b, size_a, size_b, alpha, m)} if correction == "lrc" else {}
    table = pd.DataFrame(
        {
            "doc_id": corpus.doc_ids[doc],
            "term": corpus.terms[col],
            "n_target": a.astype("int64"),
            "n_reference": b.astype("int64"),
            "n_docs": corpus.n_docs[col],
            "per_1000_target": 1000.0 * a / size_a,
            "per_1000_reference": 1000.0 * b / size_b,
            "g2": g2,
            "p_value": p_value,
            "q_value": q_value,
            "test": test,
            "log_ratio": np.atleast_1d(log_ratio(a, b, size_a, size_b)),
            **lrc,
            "log_odds": log_odds,
            "z": z,
            "_doc": doc,
        }
    )
    # rounded before ranking, so near-ties order the same on every CPU (see analysis.precision)
    return round_table(table).sort_values(["_doc", "g2", "term"], ascending=[True, False, True], kind="stable")


def _extremes(g2: np.ndarray, top: int) -> np.ndarray:
    """Mask of each row's ``top`` highest and ``top`` lowest values, with every value tying either cut."""
    m = g2.shape[1]
    if top >= m:
        return np.ones(g2.shape, dtype=bool)
    highest = np.partition(g2, m - top, axis=1)[:, m - top]
    lowest = np.partition(g2, top - 1, axis=1)[:, top - 1]
    return (g2 >= highest[:, None]) | (g2 <= lowest[:, None])


def _checked_options(correction: str, min_expected: float, alpha: float, who: str) -> None:
    if correction not in CORRECTIONS:
        raise ValueError(f"{who}: correction must be one of {', '.join(map(repr, CORRECTIONS))}, got {correction!r}")
    if min_expected is None or not np.isfinite(min_expected) or min_expected < 0:
        raise ValueError(
            f"{who}: min_expected must be a number >= 0 (5 is usual; 0 never uses Fisher), got {min_expected!r}"
        )
    if not 0 < alpha < 1:
        raise ValueError(f"{who}: alpha must lie strictly between 0 and 1 (0.05 is usual), got {alpha!r}")


def keyness_by_article(
    space: VectorSpace,
    prior_scale: float | None = None,
    top: int | str | None = "auto",
    correction: str = "bh",
    min_expected: float = FISHER_MIN_EXPECTED,
    alpha: float = KEY_TERMS_ALPHA,
) -> pd.DataFrame:
    """Keywords of each article against the rest of the corpus, positive and negative.

    For article ``i`` the target is its row of counts and the reference is the sum of all
    other rows; the informative prior comes from the whole corpus (see
    :func:`informative_prior`). Every term of the vocabulary is tested for every article,
    including terms the article never uses (negative keywords: ``n_target`` 0, ``g2`` < 0).

    Which p-value: G²'s chi-square(1) tail, unless the table's smallest expected count
    (:func:`smallest_expected`) is below ``min_expected``; then the two-sided Fisher exact
    test (:func:`fisher_p_values`), since the chi-square tail is far too small there (a word
    used once in the corpus gets G² 5.8, p 0.016, where Fisher gives the honest
    ``size_a / corpus size``). Column ``test`` says which was used.

    Which correction: each article's tests form one family of ``m`` tests, ``m`` the number
    of terms in the corpus. ``q_value`` holds, per article, the Benjamini–Hochberg q-value
    (``correction="bh"``, :func:`scipy.stats.false_discovery_control` with ``method="bh"``)
    or the Bonferroni-adjusted p-value (``"bonferroni"`` and ``"lrc"``), see
    :func:`adjusted_p_values`. ``"lrc"`` adds column ``lrc``, Evert's conservative Log Ratio
    (:func:`log_ratio_conservative`) at family-wise level ``alpha`` over the ``m`` terms. In a
    large corpus ``q_value`` is still computed over all ``m`` terms before the cut.

    Parameters
    ----------
    space : VectorSpace
        At least two documents.
    prior_scale : float, optional
        ``alpha0`` of the log-odds prior; the mean document length when omitted.
    top : int, None or "auto"
        Keep each article's ``top`` highest and ``top`` lowest rows by ``g2`` (its strongest
        positive and negative terms) and every row tying with either cut (so
        :func:`ties_at_cut` still counts ties correctly); None keeps every term; ``"auto"``
        keeps every term up to :data:`KEYNESS_ALL_TERMS_MAX_DOCS` documents and
        :data:`KEYNESS_ALL_TERMS_MAX_ROWS` rows, and :data:`KEYNESS_TOP_TERMS` beyond.
    correction : {"bh", "bonferroni", "lrc"}
        What ``q_value`` holds (above); recorded in ``table.attrs["correction"]``.
    min_expected : float
        Below this smallest expected count Fisher's test replaces G²'s chi-square tail
        (:data:`FISHER_MIN_EXPECTED`); 0 never uses Fisher.
    alpha : float
        The family-wise level of LRC's interval (``correction="lrc"`` only); recorded in
        ``table.attrs["alpha"]``.

    Returns
    -------
    pandas.DataFrame
        One row per article with counted tokens and per term counted in the corpus:
        ``doc_id, term, n_target, n_reference, n_docs, per_1000_target, per_1000_reference,
        g2, p_value, q_value, test, log_ratio, [lrc,] log_odds, z``; ``n_docs`` is how many
        articles use the term (see :func:`log_likelihood`, :func:`log_ratio`,
        :func:`log_odds_dirichlet`). Ordered by document as in ``space.doc_ids``, then
        ``g2`` descending, then term.

    Raises
    ------
    ValueError
        When the space has fewer than two documents, all documents but one are empty,
        ``top`` is not a positive integer, None or "auto", or an option is out of range.
    """
    import pandas as pd

    who = "keyness_by_article"
    _checked_options(correction, min_expected, alpha, who)
    corpus, scored = _corpus(space, prior_scale, who)
    cells = len(scored) * len(corpus.terms)
    if top == "auto":
        few = len(corpus.doc_ids) <= KEYNESS_ALL_TERMS_MAX_DOCS and cells <= KEYNESS_ALL_TERMS_MAX_ROWS
        top = None if few else KEYNESS_TOP_TERMS
    elif top is not None:
        top = positive_int(top, "top", who)
    per_block = max(1, KEYNESS_BLOCK_CELLS // max(len(corpus.terms), 1))
    blocks = [
        _block(corpus, scored[start : start + per_block], correction, min_expected, alpha, top)
        for start in range(0, len(scored), per_block)
    ]
    table = pd.concat(blocks, ignore_index=True).drop(columns="_doc")
    table.attrs.update(correction=correction, alpha=alpha, tests_per_article=len(corpus.terms))
    return table


def strongest_terms(keyness: pd.DataFrame, n: int = 8) -> list[str]:
    """Distinct terms with the highest positive G² in any document, strongest first.

    Parameters
    ----------
    keyness : pandas.DataFrame
        From :func:`keyness_by_article`.
    n : int
        How many terms.

    Returns
    -------
    list of str
        Terms ordered by their best G² (ties by term).
    """
    best = keyness[keyness["g2"] > 0].groupby("term")["g2"].max()
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
    return [term for term, _ in ranked[: positive_int(n, "n", "strongest_terms")]]


#: How :func:`ties_at_cut` names the score in its notes.
SCORE_NAMES = {"g2": "G²", "log_ratio": "log ratio", "lrc": "LRC", "z": "z", "log_odds": "log-odds"}


def ties_at_cut(keyness: pd.DataFrame, shown: pd.DataFrame, value: str = "g2") -> dict[str, str]:
    """For each document, how many terms not shown tie with the last term shown.

    The positive side (``value >= 0``) is cut at its smallest shown value and the negative
    side at its shown value nearest zero; each side is checked on its own.

    Parameters
    ----------
    keyness : pandas.DataFrame
        The rows the display chose from (:func:`keyness_by_article`, or the rows passing a
        selection rule).
    shown : pandas.DataFrame
        The rows kept for display (e.g. the top n per document).
    value : str
        The score the display ranked by.

    Returns
    -------
    dict
        Document id to a note such as ``"+3 more terms tie at G² 9.7"``, for documents
        where a cut fell inside a tie (the display then had to pick among equals by name).
    """
    name = SCORE_NAMES.get(value, value)
    notes: dict[str, list[str]] = {}
    for upper in (True, False):
        side = shown[(shown[value] >= 0) == upper]
        cut = side.groupby("doc_id", sort=False)[value].agg("min" if upper else "max")
        at_cut = keyness["doc_id"].map(cut)
        all_at_cut = keyness.loc[keyness[value] == at_cut, "doc_id"].value_counts(sort=False)
        shown_at_cut = side.loc[side[value] == side["doc_id"].map(cut), "doc_id"].value_counts(sort=False)
        for doc_id, score in cut.items():
            hidden = int(all_at_cut.get(doc_id, 0)) - int(shown_at_cut.get(doc_id, 0))
            if hidden > 0:
                terms = f"term{'s' if hidden > 1 else ''}"
                notes.setdefault(doc_id, []).append(f"+{hidden} more {terms} tie at {name} {float(score):.1f}")
    return {doc_id: "; ".join(parts) for doc_id, parts in notes.items()}


class KeyTerms(NamedTuple):
    """What :func:`select_key_terms` returns."""

    #: The chosen rows of the keyness table, by article, then score descending, then term.
    rows: pd.DataFrame
    #: The rule in words, for the figure: which terms, ranked how, how many articles have none.
    caption: str
    #: Document id to a note on hidden ties at a cut (see :func:`ties_at_cut`).
    notes: dict[str, str]


#: How :func:`select_key_terms` names each correction's adjusted p-value.
CORRECTION_NAMES = {"bh": "BH q", "bonferroni": "Bonferroni-adjusted p"}


def _eligible(keyness: pd.DataFrame, correction: str, alpha: float, min_count: int, negative: bool) -> pd.DataFrame:
    """The rows passing the significance rule, each on the side its ``g2`` gives."""
    score = "lrc" if correction == "lrc" else "log_ratio"
    significant = keyness[score] != 0 if correction == "lrc" else keyness["q_value"] < alpha
    positive = (keyness["g2"] > 0) & (keyness["n_target"] >= min_count)
    rarer = (keyness["g2"] < 0) & (keyness["n_reference"] >= min_count) if negative else False
    # a smoothed log ratio can point against the counts when one side is zero; such a row is no estimate
    agrees = np.sign(keyness[score]) == np.sign(keyness["g2"])
    return keyness[significant & (positive | rarer) & agrees]


def _caption(correction: str, alpha: float, min_count: int, negative: bool, attrs: dict, none: int, of: int) -> str:
    if correction == "lrc":
        level = attrs.get("alpha", KEY_TERMS_ALPHA)
        rule = f"terms whose log ratio's Bonferroni-corrected interval (α = {level:g} per article) excludes 0"
        ranked = "ranked by LRC"
    else:
        rule = f"terms with {CORRECTION_NAMES[correction]} < {alpha:g} in their article"
        ranked = "ranked by log ratio"
    used = f"used at least {min_count} times there" + (
        " (negative terms: in the rest of the corpus)" if negative else ""
    )
    return f"{rule}, {used}, {ranked}; {none} of {of} articles have none"


def select_key_terms(
    keyness: pd.DataFrame,
    n: int = 8,
    alpha: float = KEY_TERMS_ALPHA,
    min_count: int = KEY_TERMS_MIN_COUNT,
    negative: bool = False,
    correction: str | None = None,
) -> KeyTerms:
    """Each article's key terms for a figure: significant first, then ranked by effect size.

    The rule: a term is eligible in an article when its ``q_value`` is below ``alpha`` and
    the article uses it at least ``min_count`` times (a negative term, with ``negative``:
    ``g2 < 0`` and at least ``min_count`` uses in the rest of the corpus), and its log ratio
    points the same way as its ``g2`` (the 0.5 put in for a zero count can flip a small
    ratio; such a row is no estimate of the effect). Eligible terms are
    ranked by ``log_ratio``, the effect size: how many times more frequent, which G², p and
    the log-odds z do not say on their own (z is an effect divided by its standard error, so
    ranking by it after a significance filter would count the evidence twice and favour
    frequent words over distinctive ones). With ``correction="lrc"`` the rule is
    ``lrc != 0`` and the ranking is by ``lrc``. Each article keeps its ``n`` strongest
    positive terms (and ``n`` strongest negative ones), ties broken by term.

    Parameters
    ----------
    keyness : pandas.DataFrame
        From :func:`keyness_by_article`.
    n : int
        Terms per article and side.
    alpha : float
        Largest ``q_value`` called significant (not used with ``"lrc"``, whose level was set
        by :func:`keyness_by_article`).
    min_count : int
        Fewest uses (in the article; for negative terms, in the rest of the corpus).
    negative : bool
        Also choose terms the article uses less than the rest of the corpus.
    correction : {"bh", "bonferroni", "lrc"}, optional
        What ``q_value`` holds; ``keyness.attrs["correction"]`` when omitted (a table read
        back from CSV has no attrs: pass it).

    Returns
    -------
    KeyTerms
        ``rows`` (the chosen rows), ``caption`` (the rule in words, e.g. "terms with BH q <
        0.05 in their article, used at least 3 times there, ranked by log ratio; 2 of 10
        articles have none") and ``notes`` (hidden ties, for the panels).

    Raises
    ------
    ValueError
        When the correction is unknown or missing, or ``n``, ``alpha`` or ``min_count`` is
        out of range.
    """
    who = "select_key_terms"
    correction = keyness.attrs.get("correction") if correction is None else correction
    if correction not in CORRECTIONS:
        raise ValueError(
            f"{who}: correction must be one of {', '.join(map(repr, CORRECTIONS))}, got {correction!r}; "
            "pass correction= for a table without attrs (e.g. read back from CSV)"
        )
    n = positive_int(n, "n", who)
    min_count = as_int(min_count, "min_count", who, minimum=0)
    if not 0 < alpha <= 1:
        raise ValueError(f"{who}: alpha must lie in (0, 1] (0.05 is usual), got {alpha!r}")
    score = "lrc" if correction == "lrc" else "log_ratio"
    eligible = _eligible(keyness, correction, alpha, min_count, negative)
    ordered = eligible.assign(_order=-eligible[score].abs()).sort_values(["doc_id", "_order", "term"], kind="stable")
    chosen = ordered.groupby(["doc_id", ordered["g2"] > 0], sort=False).head(n).drop(columns="_order")
    position = {doc_id: i for i, doc_id in enumerate(dict.fromkeys(keyness["doc_id"]))}
    rows = chosen.assign(_doc=chosen["doc_id"].map(position), _score=-chosen[score])
    rows = rows.sort_values(["_doc", "_score", "term"], kind="stable").drop(columns=["_doc", "_score"])
    rows = rows.reset_index(drop=True)
    none = len(position) - rows["doc_id"].nunique()
    caption = _caption(correction, alpha, min_count, negative, keyness.attrs, none, len(position))
    return KeyTerms(rows, caption, ties_at_cut(eligible, rows, score))
