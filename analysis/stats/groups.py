"""Comparing two groups of articles: which terms one group uses more than the other.

The statistics are those of :mod:`analysis.stats.keyness` (G², log ratio, log-odds with an
informative Dirichlet prior), applied to the pooled counts of each group. Those statistics
treat every token as an independent draw, so a term one article repeats thirty times looks
as certain as a term thirty articles use once. The group's unit is the article, so each
term's log-odds z is also tested against the z of random splits of the articles into groups
of the same sizes (a permutation test), which asks whether the *articles* differ.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from analysis.checks import as_int, positive_int
from analysis.pipeline.parallel import usable_cores
from analysis.pipeline.vectors import column_frequency
from analysis.precision import round_table
from analysis.stats._space import checked_counts
from analysis.stats.keyness import _keyness, _log_odds, default_prior_scale, informative_prior

if TYPE_CHECKING:
    import pandas as pd
    from scipy.sparse import csr_matrix

    from analysis.pipeline.vectors import VectorSpace


#: The permutation test enumerates every split of the documents when there are at most this
#: many, and otherwise scores this many random splits: 10,000 keeps the Monte Carlo error of
#: a p-value near 0.05 at about 0.002 (sqrt(0.05 * 0.95 / 10,000)).
PERMUTATIONS = 10_000
#: Fewest documents on each side for a comparison to be drawn: a "group" of one or two
#: articles is those articles' own vocabulary, which each article's keyness already shows.
MIN_GROUP_DOCS = 3
#: Bytes one block of splits may take while it is scored (a few blocks are in flight, one
#: per thread and one queued): a split costs about :data:`_BYTES_PER_SPLIT_DOC` per document
#: (its random keys, their partition, its mask and the mask's float32 copy) and
#: :data:`_BYTES_PER_SPLIT_TERM` per term (its group counts and the log-odds arrays). The
#: block size changes no p-value (tested).
_BLOCK_BYTES = 64 * 2**20
_BYTES_PER_SPLIT_DOC = 21
_BYTES_PER_SPLIT_TERM = 96
#: Relative tolerance under which a split's |z| counts as equal to the observed |z|: splits
#: with the same counts give the same z in exact arithmetic but may differ in the last bits.
_TIE_TOLERANCE = 1e-9
#: Integers below this are exact in float32 (its significand has 24 bits).
_FLOAT32_EXACT = 2**24


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


def _smallest(keys: np.ndarray, n: int) -> np.ndarray:
    """Mask of the ``n`` smallest keys of each row (by a linear-time partition, not a sort)."""
    kth = np.partition(keys, n - 1, axis=1)[:, n - 1 : n]
    masks = keys <= kth
    if (masks.sum(axis=1) != n).any():  # tied keys at the boundary: the first ones in order, as a stable sort takes
        chosen = np.argsort(keys, axis=1, kind="stable")[:, :n]
        masks = np.zeros(keys.shape, dtype=bool)
        np.put_along_axis(masks, chosen, True, axis=1)
    return masks


def _split_blocks(
    n_docs: int, n_a: int, permutations: int, random_state: int, block: int
) -> tuple[Iterator[Callable[[], np.ndarray]], int, bool]:
    """Blocks of group-A masks (one row per split), how many splits in all, and whether exact.

    Each block comes as a function that makes it, so that blocks drawn in order from one
    generator can be made in several threads.

    Every ``n_a``-subset of the documents when there are at most ``permutations`` of them;
    otherwise ``permutations`` uniform random subsets (with replacement), each the ``n_a``
    documents with the smallest of ``n_docs`` seeded uniform keys. The keys are drawn block
    after block from one generator, so the splits do not depend on the block size.
    """
    total = math.comb(n_docs, n_a)
    if total <= permutations:

        def exact() -> Iterator[np.ndarray]:
            combos = itertools.combinations(range(n_docs), n_a)
            while chunk := list(itertools.islice(combos, block)):
                masks = np.zeros((len(chunk), n_docs), dtype=bool)
                masks[np.repeat(np.arange(len(chunk)), n_a), np.asarray(chunk, dtype=np.int64).ravel()] = True
                yield functools.partial(np.asarray, masks)

        return exact(), total, True

    def sampled() -> Iterator[Callable[[], np.ndarray]]:
        rng = np.random.default_rng(random_state)
        for start in range(0, permutations, block):
            keys = rng.random((min(block, permutations - start), n_docs))
            yield functools.partial(_smallest, keys, n_a)

    return sampled(), permutations, False


def _document_frequencies(counts: csr_matrix, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How many documents of group A (``mask``) and of group B contain each term (int64 arrays)."""
    present = counts.data > 0
    in_a = np.repeat(mask, np.diff(counts.indptr)) & present
    n_terms = counts.shape[1]
    df_a = column_frequency(counts.indices, n_terms, where=in_a)
    return df_a, column_frequency(counts.indices, n_terms, where=present) - df_a


def _permutation_p(
    counts: csr_matrix,
    mask: np.ndarray,
    z: np.ndarray,
    alpha: np.ndarray,
    permutations: int,
    random_state: int,
    who: str,
    threads: int = 1,
) -> tuple[np.ndarray, int, bool]:
    """Two-sided permutation p-value of each term's log-odds z (terms are ``counts``' columns).

    Each split's group totals are one product of its mask with the count matrix (exact in
    floating point: sums of integers); the prior, built from both groups together, is the
    same for every split.
    """
    sizes = np.asarray(counts.sum(axis=1), dtype=float).ravel()
    totals = np.asarray(counts.sum(axis=0), dtype=float).ravel()
    # a split's term counts are sums of integer counts: exact in float32 below 2**24, and
    # the sparse product is several times faster in it than in float64
    dtype = np.float32 if totals.max(initial=0) < _FLOAT32_EXACT else np.float64
    # terms × documents: a transposed view of the counts' cells in ``dtype``, sharing their index arrays
    from scipy.sparse import csr_matrix

    counts = csr_matrix(counts)  # no copy of a CSR matrix
    by_term = csr_matrix((counts.data.astype(dtype), counts.indices, counts.indptr), shape=counts.shape).T
    threshold = np.abs(z) * (1.0 - _TIE_TOLERANCE)
    per_split = _BYTES_PER_SPLIT_DOC * counts.shape[0] + _BYTES_PER_SPLIT_TERM * counts.shape[1]
    block = max(1, _BLOCK_BYTES // per_split)
    blocks, n_splits, exact = _split_blocks(len(mask), int(mask.sum()), permutations, random_state, block)

    def as_extreme(make_masks: Callable[[], np.ndarray]) -> np.ndarray:
        """How many splits of one block give each term a |z| at least the observed one."""
        masks = make_masks()
        a = np.asarray(by_term @ np.ascontiguousarray(masks.T, dtype=dtype), dtype=float).T
        del masks
        size_a = a.sum(axis=1, keepdims=True)  # the group's tokens: a sum of integers, exact in float64
        _, z_split = _log_odds(a, totals - a, alpha, float(alpha.sum()), size_a, sizes.sum() - size_a, who)
        return (np.abs(z_split) >= threshold).sum(axis=0)

    # blocks in threads (numpy and scipy's sparse products release the GIL); integer counts
    # are summed, so the result does not depend on the order blocks finish in
    extreme = np.zeros(counts.shape[1], dtype=np.int64)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        pending: deque[Future[np.ndarray]] = deque()
        for make_masks in blocks:
            pending.append(pool.submit(as_extreme, make_masks))
            if len(pending) > threads:  # a few blocks in memory at a time
                extreme += pending.popleft().result()
        for future in pending:
            extreme += future.result()
    p = extreme / n_splits if exact else (1.0 + extreme) / (1.0 + n_splits)
    return p, n_splits, exact


def compare_groups(
    space: VectorSpace,
    in_group: Sequence[bool],
    labels: tuple[str, str] = ("group", "rest"),
    prior_scale: float | None = None,
    permutations: int = PERMUTATIONS,
    random_state: int = 0,
) -> pd.DataFrame:
    """Compare the terms of two groups of documents, with a document-level permutation test.

    Group A is the documents where ``in_group`` is True, group B the others; each group's
    counts are summed, and the prior comes from both together.

    The keyness statistics count tokens as independent draws. ``p_perm`` instead asks how
    often a random split of the *documents* into groups of the same sizes gives a log-odds z
    at least as far from 0 as the observed one (two-sided, on ``|z|``). The test statistic
    is the z that the group figure plots, so a term's colour there and its p-value concern
    the same number; the prior is the same for every split (built from all counts), and
    z's variance term already keeps a term seen once from matching a term seen a hundred
    times. When there are at most ``permutations`` splits, every split is scored (exact
    test, ``p = #{|z_split| >= |z|} / #splits``, the observed split among them); otherwise
    ``permutations`` seeded random splits (``p = (1 + #as extreme) / (1 + permutations)``).

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
    permutations : int
        Most splits enumerated exactly; the number sampled beyond (see :data:`PERMUTATIONS`).
    random_state : int
        Seed of the sampled splits (unused by an exact test).

    Returns
    -------
    pandas.DataFrame
        One row per term used by either group: ``term, n_a, n_b, df_a, df_b, per_1000_a,
        per_1000_b, pct_a, pct_b, g2, p_value, log_ratio, log_odds, z, p_perm``. ``df_*``
        is the number of the group's documents containing the term. ``pct_*`` is the
        percentile rank of the term's frequency within the group over the rows of the
        table, from 0 (least frequent) to 1 (most frequent), ties averaged. Positive scores
        mark terms of A. Ordered by ``g2`` descending, then term. ``table.attrs`` holds
        ``labels``, ``n_docs`` (documents in A and B), ``permutations`` (splits scored),
        ``exact`` (all splits scored) and ``random_state``; :func:`permutation_rule` says
        it in words.

    Raises
    ------
    ValueError
        When ``in_group`` does not give one boolean per document, a group is empty,
        ``permutations`` is not a positive integer or ``random_state`` not an integer >= 0.
    """
    import pandas as pd

    who = "compare_groups"
    counts = checked_counts(space, who)
    if isinstance(labels, str) or len(labels) != 2:
        raise ValueError(f"{who}: labels must be two names (A, B), got {labels!r}")
    mask = _group_mask(in_group, counts.shape[0], who)
    permutations = positive_int(permutations, "permutations", who)
    random_state = as_int(random_state, "random_state", who, minimum=0)
    # each group's totals and document frequencies without copying its rows of the matrix
    a = np.asarray(mask.astype(float) @ counts, dtype=float).ravel()
    b = np.asarray(counts.sum(axis=0), dtype=float).ravel() - a
    df_a, df_b = _document_frequencies(counts, mask)
    for name, side, docs in ((labels[0], a, mask.sum()), (labels[1], b, (~mask).sum())):
        if side.sum() <= 0:
            what = "has no documents" if docs == 0 else f"has {docs} documents but no counted tokens"
            raise ValueError(f"{who}: group {name!r} {what}; pick a split with documents on both sides")
    alpha = informative_prior(a + b, default_prior_scale(space) if prior_scale is None else prior_scale)
    keep = (a + b) > 0
    size_a, size_b = a.sum(), b.sum()
    scores = _keyness(a[keep], b[keep], size_a, size_b, alpha[keep], float(alpha.sum()), who)
    p_perm, n_splits, exact = _permutation_p(
        counts if keep.all() else counts[:, keep],
        mask,
        scores["z"],
        alpha[keep],
        permutations,
        random_state,
        who,
        threads=usable_cores(),
    )
    table = pd.DataFrame(
        {
            "term": np.asarray(space.vocabulary, dtype=object)[keep],
            "n_a": a[keep].astype("int64"),
            "n_b": b[keep].astype("int64"),
            "df_a": df_a[keep],
            "df_b": df_b[keep],
            "per_1000_a": 1000.0 * a[keep] / size_a,
            "per_1000_b": 1000.0 * b[keep] / size_b,
            "pct_a": _percentile_rank(a[keep]),
            "pct_b": _percentile_rank(b[keep]),
            **scores,
            "p_perm": p_perm,
        }
    )
    # rounded before ranking, so near-ties order the same on every CPU (see analysis.precision)
    table = round_table(table).sort_values(["g2", "term"], ascending=[False, True], kind="stable", ignore_index=True)
    table.attrs.update(
        labels=tuple(labels),
        n_docs=(int(mask.sum()), int((~mask).sum())),
        permutations=n_splits,
        exact=exact,
        random_state=random_state,
    )
    return table


def smallest_p(table: pd.DataFrame) -> float:
    """The smallest ``p_perm`` the table's permutation test can give.

    An exact test over ``S`` splits cannot go below ``1/S``, or ``2/S`` when the groups are
    the same size (a split and its mirror image give the same ``|z|``); a sampled test of
    ``n`` splits cannot go below ``1/(n + 1)``.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`compare_groups`.

    Returns
    -------
    float
        The floor of ``p_perm``.
    """
    n_a, n_b = table.attrs["n_docs"]
    splits = table.attrs["permutations"]
    if not table.attrs["exact"]:
        return 1.0 / (splits + 1)
    return (2.0 if n_a == n_b else 1.0) / splits


def permutation_rule(table: pd.DataFrame) -> str:
    """How ``p_perm`` was computed, in words (for captions and notebook prose).

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`compare_groups`.

    Returns
    -------
    str
        E.g. ``"exact permutation test over all 210 splits of the 10 documents"`` or
        ``"permutation test over 10,000 random splits of the 189 documents (random_state 0)"``.
    """
    n_docs = sum(table.attrs["n_docs"])
    splits = table.attrs["permutations"]
    if table.attrs["exact"]:
        return f"exact permutation test over all {splits:,} splits of the {n_docs:,} documents"
    return (
        f"permutation test over {splits:,} random splits of the {n_docs:,} documents "
        f"(random_state {table.attrs['random_state']})"
    )


def group_size_note(
    in_group: Sequence[bool], labels: tuple[str, str] = ("group", "rest"), min_docs: int = MIN_GROUP_DOCS
) -> str:
    """Why no group comparison is drawn, in one line; ``""`` when both groups are big enough.

    Parameters
    ----------
    in_group : sequence of bool
        One flag per document (True for group A), as given to :func:`compare_groups`.
    labels : tuple of str
        Names of A and B.
    min_docs : int
        Fewest documents each group needs (see :data:`MIN_GROUP_DOCS`).

    Returns
    -------
    str
        ``""``, or a sentence naming the small group, both sizes and the minimum.

    Raises
    ------
    ValueError
        When ``in_group`` holds something other than booleans or ``min_docs`` is not a
        positive integer.
    """
    who = "group_size_note"
    flags = in_group if isinstance(in_group, str) else list(in_group)
    mask = _group_mask(flags, len(flags), who)
    min_docs = positive_int(min_docs, "min_docs", who)
    sizes = (int(mask.sum()), int((~mask).sum()))
    if min(sizes) >= min_docs:
        return ""
    small = 0 if sizes[0] <= sizes[1] else 1
    (name, n), (other, n_other) = (labels[small], sizes[small]), (labels[1 - small], sizes[1 - small])
    return (
        f"No group comparison drawn: {name!r} has {n} article{'' if n == 1 else 's'} against {n_other} in "
        f"{other!r}, and each side needs at least {min_docs}; so small a group is one or two articles' own "
        "words, which each article's keyness against the rest already shows."
    )
