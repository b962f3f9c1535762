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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from analysis.checks import positive_int
from analysis.precision import round_table
from analysis.stats._space import checked_counts, finite_array

if TYPE_CHECKING:
    import pandas as pd
    from numpy.typing import ArrayLike

    from analysis.pipeline.vectors import VectorSpace


#: Smoothing added to every count by :func:`log_ratio`, so that a zero count gives a finite score.
LOG_RATIO_SMOOTHING = 0.5


#: :func:`keyness_by_article` with ``top="auto"`` scores every term of every article up to
#: this many articles; beyond, each article's :data:`KEYNESS_TOP_TERMS` strongest terms (a
#: 10,000-article site would otherwise give millions of rows).
KEYNESS_ALL_TERMS_MAX_DOCS = 1000


#: Terms kept per article by :func:`keyness_by_article` in a large corpus (plus any tying with the last).
KEYNESS_TOP_TERMS = 30


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


def keyness_by_article(
    space: VectorSpace, prior_scale: float | None = None, top: int | str | None = "auto"
) -> pd.DataFrame:
    """Keywords of each article against the rest of the corpus.

    For article ``i`` the target is its row of counts and the reference is the sum of all
    other rows; the informative prior comes from the whole corpus (see
    :func:`informative_prior`).

    Parameters
    ----------
    space : VectorSpace
        At least two documents.
    prior_scale : float, optional
        ``alpha0`` of the log-odds prior; the mean document length when omitted.
    top : int, None or "auto"
        Keep each article's ``top`` rows by ``g2`` and every row tying with the last kept
        (so :func:`ties_at_cut` still counts ties correctly below that rank); None keeps
        every term; ``"auto"`` keeps every term up to :data:`KEYNESS_ALL_TERMS_MAX_DOCS`
        documents and :data:`KEYNESS_TOP_TERMS` beyond.

    Returns
    -------
    pandas.DataFrame
        One row per article and term the article contains: ``doc_id, term, n_target,
        n_reference, per_1000_target, per_1000_reference, g2, p_value, log_ratio, log_odds,
        z`` (see :func:`log_likelihood`, :func:`log_ratio`, :func:`log_odds_dirichlet`;
        ``p_value`` is the chi-square(1) tail of ``|g2|``). Ordered by document as in
        ``space.doc_ids``, then ``g2`` descending, then term.

    Raises
    ------
    ValueError
        When the space has fewer than two documents, all documents but one are empty, or
        ``top`` is not a positive integer, None or "auto".
    """
    import pandas as pd

    who = "keyness_by_article"
    counts = checked_counts(space, who)
    if top == "auto":
        top = None if counts.shape[0] <= KEYNESS_ALL_TERMS_MAX_DOCS else KEYNESS_TOP_TERMS
    elif top is not None:
        top = positive_int(top, "top", who)
    if counts.shape[0] < 2:
        raise ValueError(f"{who}: needs at least two documents (one article has no rest of the corpus to compare with)")
    sizes = np.asarray(counts.sum(axis=1), dtype=float).ravel()
    totals = np.asarray(counts.sum(axis=0), dtype=float).ravel()
    coo = counts.tocoo()
    keep = coo.data > 0
    rows, cols, a = coo.row[keep], coo.col[keep], coo.data[keep].astype(float)
    size_a = sizes[rows]
    size_b = sizes.sum() - size_a
    if np.any(size_b <= 0):
        lonely = space.doc_ids[int(rows[np.argmax(size_b <= 0)])]
        raise ValueError(f"{who}: every document but {lonely!r} is empty, so there is no reference; add documents")
    b = totals[cols] - a
    alpha = informative_prior(totals, default_prior_scale(space) if prior_scale is None else prior_scale)
    scores = _keyness(a, b, size_a, size_b, alpha[cols], float(alpha.sum()), who)
    table = pd.DataFrame(
        {
            "doc_id": np.asarray(space.doc_ids, dtype=object)[rows],
            "term": np.asarray(space.vocabulary, dtype=object)[cols],
            "n_target": a.astype("int64"),
            "n_reference": b.astype("int64"),
            "per_1000_target": 1000.0 * a / size_a,
            "per_1000_reference": 1000.0 * b / size_b,
            **scores,
            "_doc": rows,
        }
    )
    # rounded before ranking, so near-ties order the same on every CPU (see analysis.precision)
    table = round_table(table).sort_values(["_doc", "g2", "term"], ascending=[True, False, True], kind="stable")
    if top is not None:
        table = table[table["g2"] >= _value_at_rank(table["g2"], table["_doc"], top)]
    return table.drop(columns="_doc").reset_index(drop=True)


def _value_at_rank(values: pd.Series, groups: pd.Series, rank: int) -> pd.Series:
    """For each row, the ``rank``-th value of its group (values sorted descending within groups),
    or the group's last value when the group is shorter."""
    position = groups.groupby(groups, sort=False).cumcount()
    last = values[position < rank].groupby(groups[position < rank], sort=False).last()
    return groups.map(last)


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


def ties_at_cut(keyness: pd.DataFrame, shown: pd.DataFrame) -> dict[str, str]:
    """For each document, how many terms not shown tie with the last term shown.

    Parameters
    ----------
    keyness : pandas.DataFrame
        From :func:`keyness_by_article`.
    shown : pandas.DataFrame
        The rows kept for display (e.g. the top n per document).

    Returns
    -------
    dict
        Document id to a note such as ``"+3 more terms tie at G² 9.7"``, for documents
        where a cut fell inside a tie (the display then had to pick among equals by name).
    """
    last = shown.groupby("doc_id", sort=False)["g2"].last()
    shown_at_last = (shown["g2"] == shown["doc_id"].map(last)).groupby(shown["doc_id"], sort=False).sum()
    all_at_last = keyness.loc[keyness["g2"] == keyness["doc_id"].map(last), "doc_id"].value_counts(sort=False)
    notes = {}
    for doc_id, value in last.items():
        hidden = int(all_at_last.get(doc_id, 0)) - int(shown_at_last[doc_id])
        if hidden > 0:
            notes[doc_id] = f"+{hidden} more term{'s' if hidden > 1 else ''} tie at G² {float(value):.1f}"
    return notes
