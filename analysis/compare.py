"""Term frequencies, keyness and similarity across articles.

Everything here reads a :class:`~analysis.vectorize.VectorSpace` (or the articles
themselves, for concordances and dispersion) and returns a tidy ``pandas.DataFrame``.

Three keyness measures are reported side by side, because each answers a different question:

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

Counts are the vector space's counts: tokens after cleaning and vocabulary pruning, so a
"per 1000" rate is per 1000 *counted* tokens of a document, not per 1000 words of its text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

import numpy as np

from analysis.clean import CleaningConfig, clean, lemma, lowercase, normalise, strip_possessives, tokenise
from analysis.corpus import Article

if TYPE_CHECKING:
    import pandas as pd
    from numpy.typing import ArrayLike
    from scipy.sparse import csr_matrix

    from analysis.vectorize import VectorSpace

#: Smoothing added to every count by :func:`log_ratio`, so that a zero count gives a finite score.
LOG_RATIO_SMOOTHING = 0.5
#: Values of ``use`` accepted by :func:`cosine_similarity_matrix`.
SIMILARITY_VIEWS = ("tfidf", "counts")
#: :func:`keyness_by_article` with ``top="auto"`` scores every term of every article up to
#: this many articles; beyond, each article's :data:`KEYNESS_TOP_TERMS` strongest terms (a
#: 10,000-article site would otherwise give millions of rows).
KEYNESS_ALL_TERMS_MAX_DOCS = 1000
#: Terms kept per article by :func:`keyness_by_article` in a large corpus (plus any tying with the last).
KEYNESS_TOP_TERMS = 30
#: Nearest neighbours per document listed by :func:`similarity_table` when the matrix would be too big.
NEIGHBOURS = 5
#: Documents compared at a time when similarities are computed block by block.
SIMILARITY_BLOCK = 500


# --- validation ------------------------------------------------------------------------------


def _counts(space: "VectorSpace", who: str) -> "csr_matrix":
    """The count matrix of a space as CSR int64, after checking that the space is usable."""
    counts = getattr(space, "counts", None)
    if counts is None or not hasattr(space, "doc_ids") or not hasattr(space, "vocabulary"):
        kind = type(space).__name__
        raise ValueError(f"{who}: expected a VectorSpace (from analysis.vectorize.vectorize), got {kind}")
    if counts.shape[0] == 0 or len(space.doc_ids) == 0:
        raise ValueError(f"{who}: the vector space has no documents (empty corpus); vectorise at least one article")
    if counts.shape[1] == 0 or len(space.vocabulary) == 0:
        raise ValueError(f"{who}: the vector space has no terms; loosen min_df/max_df or the stopword lists")
    if counts.shape != (len(space.doc_ids), len(space.vocabulary)):
        raise ValueError(
            f"{who}: counts have shape {counts.shape} but there are {len(space.doc_ids)} doc_ids and "
            f"{len(space.vocabulary)} terms; rebuild the space with analysis.vectorize.vectorize"
        )
    counts = counts.tocsr().astype(np.int64)
    if counts.nnz and counts.data.min() < 0:
        raise ValueError(f"{who}: the count matrix has negative entries; counts must be >= 0")
    counts.sort_indices()
    return counts


def _positive_int(value: int, name: str, who: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{who}: {name} must be a positive integer, got {value!r}")
    return int(value)


def _array(value: object, name: str, who: str) -> np.ndarray:
    """A float array of finite values (scalars become 0-d arrays)."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{who}: {name} must be numbers (an array or a scalar), got {type(value).__name__}") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{who}: {name} contains NaN or infinite values; pass finite counts")
    return array


def _table(a: object, b: object, size_a: object, size_b: object, who: str) -> tuple[np.ndarray, ...]:
    """Check and broadcast the cells of a two-corpus frequency table."""
    a, b = _array(a, "a", who), _array(b, "b", who)
    size_a, size_b = _array(size_a, "size_a", who), _array(size_b, "size_b", who)
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


def _articles(articles: Iterable[Article], who: str) -> list[Article]:
    if isinstance(articles, (str, Article)):
        kind = type(articles).__name__
        raise ValueError(f"{who}: expected a sequence of Article, got a single {kind}; wrap it in a list")
    articles = list(articles)
    if not articles:
        raise ValueError(f"{who}: no articles (empty corpus); load some with analysis.corpus.load_articles")
    for article in articles:
        if not isinstance(article, Article):
            raise ValueError(f"{who}: expected Article objects, got {type(article).__name__}")
    return articles


# --- frequency tables ------------------------------------------------------------------------


def top_tfidf_terms(space: "VectorSpace", n: int = 10) -> "pd.DataFrame":
    """The ``n`` highest-weighted TF-IDF terms of each document.

    Parameters
    ----------
    space : VectorSpace
        Counts and TF-IDF weights.
    n : int
        Terms per document (fewer when a document has fewer distinct terms).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, rank, term, tfidf, n``: documents in ``space.doc_ids`` order, rank
        1..n by TF-IDF descending, ties broken by term; only terms the document contains.

    Raises
    ------
    ValueError
        When the space is empty or ``n`` is not a positive integer.
    """
    import pandas as pd

    counts = _counts(space, "top_tfidf_terms")
    n = _positive_int(n, "n", "top_tfidf_terms")
    weights = space.tfidf.tocsr()
    rows = []
    for i, doc_id in enumerate(space.doc_ids):
        start, end = counts.indptr[i], counts.indptr[i + 1]
        row = weights[i].toarray().ravel()
        present = [(int(j), int(c)) for j, c in zip(counts.indices[start:end], counts.data[start:end]) if c > 0]
        scored = sorted(((float(row[j]), space.vocabulary[j], c) for j, c in present), key=lambda r: (-r[0], r[1]))
        rows += [(doc_id, rank, term, w, c) for rank, (w, term, c) in enumerate(scored[:n], 1)]
    table = pd.DataFrame(rows, columns=["doc_id", "rank", "term", "tfidf", "n"])
    return table.astype({"rank": "int64", "tfidf": "float64", "n": "int64"})


def _corpus_top_terms(space: "VectorSpace", counts, top: int) -> list[str]:
    totals = np.asarray(counts.sum(axis=0)).ravel()
    ranked = sorted(range(len(space.vocabulary)), key=lambda j: (-totals[j], space.vocabulary[j]))
    return [space.vocabulary[j] for j in ranked[:top]]


def relative_frequencies(space: "VectorSpace", terms: Sequence[str] | None = None, top: int = 20) -> "pd.DataFrame":
    """Count and rate per 1000 tokens of chosen terms in every document, zeros included.

    Parameters
    ----------
    space : VectorSpace
        The counts.
    terms : sequence of str, optional
        Terms to report, in this order (duplicates ignored). When omitted, the ``top`` most
        frequent terms of the whole corpus, by count and then alphabetically.
    top : int
        How many terms to take when ``terms`` is omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, term, n, per_1000`` with ``per_1000 = 1000 * n / tokens of the
        document`` (0 for a document without tokens). One row for every (document, term)
        pair, so ``pivot(index="doc_id", columns="term", values="per_1000")`` is a full
        heatmap; rows by document order, then term order.

    Raises
    ------
    ValueError
        When the space is empty, ``terms`` is empty or a string, or names terms missing from
        the vocabulary.
    """
    import pandas as pd

    counts = _counts(space, "relative_frequencies")
    if terms is None:
        chosen = _corpus_top_terms(space, counts, _positive_int(top, "top", "relative_frequencies"))
    else:
        if isinstance(terms, str):
            raise ValueError(f"relative_frequencies: terms must be a list, got the string {terms!r}; use [{terms!r}]")
        chosen = list(dict.fromkeys(terms))
        if not chosen:
            raise ValueError("relative_frequencies: terms is empty; pass at least one term, or None for the top terms")
    column = {term: j for j, term in enumerate(space.vocabulary)}
    missing = [t for t in chosen if t not in column]
    if missing:
        raise ValueError(
            f"relative_frequencies: {missing[:10]} not in the vocabulary; pass cleaned terms as in space.vocabulary"
        )
    sizes = np.asarray(counts.sum(axis=1), dtype=float).ravel()
    n = counts[:, [column[t] for t in chosen]].toarray()
    per_1000 = 1000.0 * np.divide(n, sizes[:, None], out=np.zeros(n.shape), where=sizes[:, None] > 0)
    return pd.DataFrame(
        {
            "doc_id": np.repeat(np.asarray(space.doc_ids, dtype=object), len(chosen)),
            "term": np.tile(np.asarray(chosen, dtype=object), len(space.doc_ids)),
            "n": n.ravel().astype("int64"),
            "per_1000": per_1000.ravel(),
        }
    )


# --- keyness statistics ----------------------------------------------------------------------


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
    totals = _array(counts_total, "counts_total", "informative_prior").ravel()
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
    a, b, alpha = (_array(x, name, who).ravel() for x, name in ((a, "a"), (b, "b"), (prior, "prior")))
    if not a.shape == b.shape == alpha.shape:
        lengths = f"{len(a)}, {len(b)}, {len(alpha)}"
        raise ValueError(f"{who}: a, b and prior must have one value per term each; got lengths {lengths}")
    size_a = a.sum() if size_a is None else size_a
    size_b = b.sum() if size_b is None else size_b
    a, b, n_a, n_b = _table(a, b, size_a, size_b, who)
    return _log_odds(a, b, alpha, float(alpha.sum()), n_a, n_b, who)


def default_prior_scale(space: "VectorSpace") -> float:
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
    counts = _counts(space, "default_prior_scale")
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


def keyness_by_article(space: "VectorSpace", prior_scale: float | None = None, top: int | str | None = "auto") -> "pd.DataFrame":
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
    counts = _counts(space, who)
    if top == "auto":
        top = None if counts.shape[0] <= KEYNESS_ALL_TERMS_MAX_DOCS else KEYNESS_TOP_TERMS
    elif top is not None:
        top = _positive_int(top, "top", who)
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
    table = table.sort_values(["_doc", "g2", "term"], ascending=[True, False, True], kind="stable")
    if top is not None:
        table = table[table["g2"] >= _value_at_rank(table["g2"], table["_doc"], top)]
    return table.drop(columns="_doc").reset_index(drop=True)


def _value_at_rank(values: "pd.Series", groups: "pd.Series", rank: int) -> "pd.Series":
    """For each row, the ``rank``-th value of its group (values sorted descending within groups),
    or the group's last value when the group is shorter."""
    position = groups.groupby(groups, sort=False).cumcount()
    last = values[position < rank].groupby(groups[position < rank], sort=False).last()
    return groups.map(last)


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
    space: "VectorSpace",
    in_group: Sequence[bool],
    labels: tuple[str, str] = ("group", "rest"),
    prior_scale: float | None = None,
) -> "pd.DataFrame":
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
    counts = _counts(space, who)
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
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="stable", ignore_index=True)
    table.attrs["labels"] = tuple(labels)
    return table


# --- similarity ------------------------------------------------------------------------------


def _unit_rows(space: "VectorSpace", use: str, who: str) -> "csr_matrix":
    """The rows of the chosen matrix scaled to unit length (rows without terms stay zero)."""
    from scipy.sparse import diags

    _counts(space, who)
    if use not in SIMILARITY_VIEWS:
        raise ValueError(f"{who}: use must be one of {SIMILARITY_VIEWS}, got {use!r}")
    matrix = (space.tfidf if use == "tfidf" else space.counts).tocsr().astype(float)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return (diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ matrix).tocsr()


def _square_similarity(unit: "csr_matrix") -> np.ndarray:
    similarity = (unit @ unit.T).toarray()
    similarity = np.clip((similarity + similarity.T) / 2.0, 0.0, 1.0)
    np.fill_diagonal(similarity, 1.0)
    return similarity


def cosine_similarity_matrix(space: "VectorSpace", use: str = "tfidf", max_docs: int | None = None) -> "pd.DataFrame":
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
    if max_docs is not None and len(ids) > _positive_int(max_docs, "max_docs", who):
        rows = most_similar_documents(space, max_docs, use)
        unit, ids = unit[rows], [ids[i] for i in rows]
        subset = "those in the most similar pairs"
    labels = pd.Index(ids, name="doc_id")
    frame = pd.DataFrame(_square_similarity(unit), index=labels, columns=labels.rename(None))
    if subset:
        frame.attrs["subset"] = subset
    return frame


def nearest_neighbours(space: "VectorSpace", k: int = NEIGHBOURS, use: str = "tfidf") -> "pd.DataFrame":
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
    k = min(_positive_int(k, "k", who), unit.shape[0] - 1)
    ids = np.asarray(list(space.doc_ids), dtype=object)
    transposed = unit.T.tocsr()
    frames = []
    for start in range(0, unit.shape[0], SIMILARITY_BLOCK):
        block = np.clip((unit[start : start + SIMILARITY_BLOCK] @ transposed).toarray(), 0.0, 1.0)
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
        return pd.DataFrame({"doc_id": [], "rank": [], "neighbour": [], "cosine": []}).astype({"rank": "int64", "cosine": "float64"})
    return pd.concat(frames, ignore_index=True).astype({"rank": "int64", "cosine": "float64"})


def most_similar_documents(space: "VectorSpace", n: int, use: str = "tfidf", k: int = NEIGHBOURS) -> list[int]:
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
    n = _positive_int(n, "n", "most_similar_documents")
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


def similarity_table(similarity: "pd.DataFrame", space: "VectorSpace", k: int = NEIGHBOURS, use: str = "tfidf") -> "pd.DataFrame":
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


def cluster_order(similarity: "pd.DataFrame") -> list[str]:
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
    values = _array(similarity.to_numpy(), "similarity", who)
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


# --- concordance and dispersion --------------------------------------------------------------


def _fold(token: str) -> str:
    """The case-folded token without a possessive ending, as cleaning sees it."""
    stripped = strip_possessives(lowercase([token]))
    return stripped[0] if stripped else token.casefold()


def kwic(
    articles: Iterable[Article], query: str, window: int = 8, config: CleaningConfig | None = None
) -> "pd.DataFrame":
    """Keyword in context: every occurrence of a word or phrase in the article bodies.

    Each body is normalised and tokenised (:func:`analysis.clean.normalise`,
    :func:`analysis.clean.tokenise`), nothing removed. A token matches a query word when
    both are equal after case folding and dropping a possessive ``'s``, or have the same
    lemma (so "Rajavi's" and "rajavi" match "Rajavi", and "said" matches "says"). A query of
    several words matches that many consecutive tokens; overlapping matches are all listed.

    Parameters
    ----------
    articles : iterable of Article
        The corpus.
    query : str
        One or several words.
    window : int
        Tokens shown on each side (``>= 0``).
    config : CleaningConfig, optional
        Its ``lemmatize`` and ``language`` decide lemma matching; lemmas in English when
        omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, title, position, left, match, right``: ``position`` is the index of
        the first matched token in the article; ``left`` and ``right`` are up to ``window``
        tokens, and ``match`` the matched tokens, joined by spaces as written. Ordered by
        article, then position; empty (with these columns) when nothing matches.

    Raises
    ------
    ValueError
        When there are no articles, the query has no word, ``window`` is negative, or
        ``config`` is not a CleaningConfig.
    """
    articles = _articles(articles, "kwic")
    _kwic_query(query)
    _kwic_options(window, config)
    return _kwic_in(_kwic_tokens(articles, config), query, window, config)


def _kwic_query(query: object) -> None:
    if not isinstance(query, str) or not tokenise(normalise(query)):
        raise ValueError(f"kwic: query must be a word or phrase, got {query!r}")


def _kwic_options(window: object, config: object) -> None:
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 0:
        raise ValueError(f"kwic: window must be an integer >= 0, got {window!r}")
    if config is not None and not isinstance(config, CleaningConfig):
        raise ValueError(f"kwic: config must be a CleaningConfig or None, got {type(config).__name__}")


def _kwic_tokens(articles: list[Article], config: CleaningConfig | None) -> list[tuple[Article, list[str], list[str], list[str]]]:
    """Each article with its tokens, folded tokens and lemmas: what :func:`kwic` matches against.

    Computed once per corpus, so that several queries do not tokenise it again each time.
    """
    lemmatize, language = (True, "en") if config is None else (config.lemmatize, config.language)
    prepared = []
    for article in articles:
        tokens = tokenise(normalise(article.text))
        folded = [_fold(t) for t in tokens]
        prepared.append((article, tokens, folded, [lemma(t, language) for t in folded] if lemmatize else folded))
    return prepared


def _kwic_in(
    prepared: list[tuple[Article, list[str], list[str], list[str]]], query: str, window: int, config: CleaningConfig | None
) -> "pd.DataFrame":
    """:func:`kwic` over articles already tokenised by :func:`_kwic_tokens`."""
    import pandas as pd

    lemmatize, language = (True, "en") if config is None else (config.lemmatize, config.language)
    words = [_fold(t) for t in tokenise(normalise(query))]
    word_lemmas = [lemma(w, language) for w in words] if lemmatize else words
    rows = []
    for article, tokens, folded, lemmas in prepared:
        for start in range(len(tokens) - len(words) + 1):
            end = start + len(words)
            if all(f == w or m == wm for f, m, w, wm in zip(folded[start:end], lemmas[start:end], words, word_lemmas)):
                span = tokens[start:end]
                left = " ".join(tokens[max(0, start - window) : start])
                right = " ".join(tokens[end : end + window])
                rows.append((article.id, article.title, start, left, " ".join(span), right))
    table = pd.DataFrame(rows, columns=["doc_id", "title", "position", "left", "match", "right"])
    return table.astype({"position": "int64"})


def _cleaned(
    articles: list[Article], config: CleaningConfig, who: str, tokens: Mapping[str, Sequence[str]] | None = None
) -> list[Sequence[str]]:
    if tokens is not None:  # already cleaned (e.g. workflow.Prepared.article_tokens): do not clean twice
        missing = [a.id for a in articles if a.id not in tokens]
        if missing:
            raise ValueError(f"{who}: no tokens for article(s) {missing[:3]}; pass the tokens of every article")
        return [tokens[a.id] for a in articles]
    if not isinstance(config, CleaningConfig):
        kind = type(config).__name__
        raise ValueError(f"{who}: expected a CleaningConfig (analysis.clean.default_config()), got {kind}")
    return [clean(article.text, config) for article in articles]


def article_spans(
    articles: Iterable[Article], config: CleaningConfig, tokens: Mapping[str, Sequence[str]] | None = None
) -> "pd.DataFrame":
    """Where each article starts and ends in the concatenated cleaned tokens of the corpus.

    Parameters
    ----------
    articles : iterable of Article
        The corpus, in order.
    config : CleaningConfig
        The cleaning configuration (the same as for :func:`dispersion`).
    tokens : mapping, optional
        Article id to its cleaned tokens, when already computed; ``config`` is then unused.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, title, start, end``: token offsets, ``end`` exclusive, so an
        article's tokens are ``start <= offset < end`` and the next one starts at ``end``.

    Raises
    ------
    ValueError
        When there are no articles or ``config`` is not a CleaningConfig.
    """
    import pandas as pd

    articles = _articles(articles, "article_spans")
    lengths = np.array([len(t) for t in _cleaned(articles, config, "article_spans", tokens)], dtype=np.int64)
    ends = np.cumsum(lengths)
    return pd.DataFrame(
        {
            "doc_id": [a.id for a in articles],
            "title": [a.title for a in articles],
            "start": ends - lengths,
            "end": ends,
        }
    )


def dispersion(
    articles: Iterable[Article],
    terms: Sequence[str],
    config: CleaningConfig,
    tokens: Mapping[str, Sequence[str]] | None = None,
) -> "pd.DataFrame":
    """Every occurrence of some terms along the corpus, for a lexical dispersion plot.

    Each article is cleaned with :func:`analysis.clean.clean` and the token lists are
    concatenated in article order; offsets count cleaned tokens from the start of the
    corpus (see :func:`article_spans` for the article boundaries).

    Parameters
    ----------
    articles : iterable of Article
        The corpus, in order.
    terms : sequence of str
        Cleaned terms as they appear in the vocabulary ("mek", "maryam_rajavi");
        duplicates ignored.
    config : CleaningConfig
        The cleaning configuration.
    tokens : mapping, optional
        Article id to its cleaned tokens, when already computed; ``config`` is then unused.

    Returns
    -------
    pandas.DataFrame
        Columns ``term, doc_id, article_index, offset, relative``: ``article_index`` is the
        0-based position of the article, ``offset`` the token index in the whole corpus and
        ``relative = offset / total tokens``. Ordered by term (as requested), then offset; a
        term that never occurs has no rows.

    Raises
    ------
    ValueError
        When there are no articles or terms, or a term is not in cleaned form (upper case
        or spaces).
    """
    import pandas as pd

    articles = _articles(articles, "dispersion")
    if isinstance(terms, str):
        raise ValueError(f"dispersion: terms must be a list of terms, got the string {terms!r}; use [{terms!r}]")
    wanted = list(dict.fromkeys(terms))
    if not wanted:
        raise ValueError("dispersion: terms is empty; pass at least one cleaned term")
    raw = [t for t in wanted if not isinstance(t, str) or not t or t != t.casefold() or any(c.isspace() for c in t)]
    if raw:
        raise ValueError(
            f"dispersion: {raw} are not cleaned terms; pass tokens as clean.clean() gives them (lower case, "
            "phrases joined by '_')"
        )
    cleaned = _cleaned(articles, config, "dispersion", tokens)
    total = sum(len(tokens) for tokens in cleaned)
    order = {term: k for k, term in enumerate(wanted)}
    rows, offset = [], 0
    for index, (article, article_tokens) in enumerate(zip(articles, cleaned)):
        rows += [(t, article.id, index, offset + i) for i, t in enumerate(article_tokens) if t in order]
        offset += len(article_tokens)
    rows.sort(key=lambda r: (order[r[0]], r[3]))
    table = pd.DataFrame(rows, columns=["term", "doc_id", "article_index", "offset"])
    table = table.astype({"article_index": "int64", "offset": "int64"})
    table["relative"] = table["offset"] / total if total else 0.0
    return table.astype({"relative": "float64"})


def most_similar_pairs(similarity: "pd.DataFrame", n: int = 3) -> "pd.DataFrame":
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
    rows = [
        (ids[i], ids[j], float(similarity.iat[i, j])) for i in range(len(ids)) for j in range(i + 1, len(ids))
    ]
    rows.sort(key=lambda r: (-r[2], r[0], r[1]))
    return pd.DataFrame(rows[: _positive_int(n, "n", "most_similar_pairs")], columns=["doc_a", "doc_b", "cosine"])


def strongest_terms(keyness: "pd.DataFrame", n: int = 8) -> list[str]:
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
    return [term for term, _ in ranked[: _positive_int(n, "n", "strongest_terms")]]


def most_frequent_terms(space: "VectorSpace", n: int = 3) -> list[str]:
    """The ``n`` most frequent terms of the corpus (ties by term).

    Parameters
    ----------
    space : VectorSpace
        Counts.
    n : int
        How many terms.

    Returns
    -------
    list of str
        Terms, most frequent first.
    """
    return _corpus_top_terms(space, _counts(space, "most_frequent_terms"), _positive_int(n, "n", "most_frequent_terms"))


def kwic_table(articles: Iterable[Article], terms: Sequence[str], window: int = 8, config: CleaningConfig | None = None) -> "pd.DataFrame":
    """Keyword-in-context lines for several terms, one table.

    Parameters
    ----------
    articles : iterable of Article
        The corpus.
    terms : sequence of str
        Words or cleaned terms; ``_`` in a cleaned phrase ("1988_massacre") is read as a space.
    window : int
        Words of context on each side.
    config : CleaningConfig, optional
        Lemmatisation settings (see :func:`kwic`) and the alias table: a merged term
        ("mek") is also looked up under every variant that was merged into it ("PMOI",
        "Mujahedin-e Khalq", ...).

    Returns
    -------
    pandas.DataFrame
        :func:`kwic`'s columns with a first column ``query``, terms in the order given.
    """
    import pandas as pd

    articles = list(articles)
    frames = []
    prepared = None
    for term in terms:
        variants = [term.replace("_", " ")]
        if config is not None:  # a merged name is found under every variant the alias table lists
            variants += sorted(" ".join(key) for key, canonical in config.aliases.items() if canonical == term)
        for variant in variants:
            _kwic_query(variant)
        if prepared is None:  # validate the input like kwic, then tokenise the corpus once for every query
            _kwic_options(window, config)
            prepared = _kwic_tokens(_articles(articles, "kwic"), config)
        found = pd.concat([_kwic_in(prepared, v, window, config) for v in dict.fromkeys(variants)], ignore_index=True)
        order = {doc_id: i for i, doc_id in enumerate(dict.fromkeys(a.id for a in articles))}
        found = found.drop_duplicates(["doc_id", "position"]).sort_values(
            ["doc_id", "position"], key=lambda column: column.map(order) if column.name == "doc_id" else column
        )
        frames.append(found.assign(query=term))
    table = pd.concat(frames, ignore_index=True)
    return table[["query", *[c for c in table.columns if c != "query"]]]


def ties_at_cut(keyness: "pd.DataFrame", shown: "pd.DataFrame") -> dict[str, str]:
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
