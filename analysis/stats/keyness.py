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
from typing import TYPE_CHECKING

import numpy as np

from analysis.checks import positive_int
from analysis.pipeline.parallel import Mapper, serial_map
from analysis.precision import decimals_for, round_array, round_table
from analysis.stats._space import checked_counts, finite_array
from analysis.stats.significance import (
    FISHER_MIN_EXPECTED,
    adjusted_p_values,
    fisher_p_values,
    smallest_expected,
    two_corpus_table,
)

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


#: The corrections for testing every term of an article (see :func:`keyness_by_article`).
#: Default significance level: the largest q-value :func:`select_key_terms` calls significant,
#: and the family-wise level of LRC's interval.
KEY_TERMS_ALPHA = 0.05


CORRECTIONS = ("bh", "bonferroni", "lrc")


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
    a, b, size_a, size_b = two_corpus_table(a, b, size_a, size_b, "log_likelihood")
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
    a, b, size_a, size_b = two_corpus_table(a, b, size_a, size_b, "log_ratio")
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
    a, b, n_a, n_b = two_corpus_table(a, b, size_a, size_b, who)
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
    a, b, size_a, size_b = two_corpus_table(a, b, size_a, size_b, who)
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


def _block_job(context: tuple[_Corpus, str, float, float, int | None], rows: np.ndarray) -> pd.DataFrame:
    """:func:`_block` as a mapper task: ``context`` is ``(corpus, correction, min_expected, alpha, top)``."""
    corpus, correction, min_expected, alpha, top = context
    return _block(corpus, rows, correction, min_expected, alpha, top)


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
    mapper: Mapper | None = None,
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
    mapper : Mapper, optional
        Spreads the scoring of blocks of articles (a backend's
        :meth:`~analysis.pipeline.backends.Backend.task_mapper`: Spark tasks); None scores them
        here. The table is the same for any mapper.

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
    rows = [scored[start : start + per_block] for start in range(0, len(scored), per_block)]
    blocks = (mapper or serial_map)(_block_job, rows, (corpus, correction, min_expected, alpha, top))
    table = pd.concat(list(blocks), ignore_index=True).drop(columns="_doc")
    table.attrs.update(correction=correction, alpha=alpha, tests_per_article=len(corpus.terms))
    return table
