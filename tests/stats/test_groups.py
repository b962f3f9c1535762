"""Group comparison: document frequencies, the permutation test, and when groups are too small."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from analysis.pipeline.vectors import vectorize
from analysis.precision import round_value
from analysis.stats import groups, keyness

# Four documents of three tokens each, so every split into two pairs has 6 tokens a side:
# "x" only in d1 and d2, "w" only in d3 and d4, "u" and "v" once in every document.
EVEN = [("d1", ["x", "u", "v"]), ("d2", ["x", "u", "v"]), ("d3", ["w", "u", "v"]), ("d4", ["w", "u", "v"])]
# Five documents of different lengths, two of them in group A.
UNEVEN = [
    ("d1", ["a", "a", "a", "b", "c"]),
    ("d2", ["a", "b", "b"]),
    ("d3", ["b", "c", "c", "d"]),
    ("d4", ["c", "d", "d", "d", "d", "a"]),
    ("d5", ["b", "d"]),
]


def row(table, term):
    return table.set_index("term").loc[term]


def brute_force_p(docs, in_group, term):
    """The exact p of ``term``: every split enumerated here, each scored on its own."""
    space = vectorize(docs)
    counts = space.counts.toarray()
    j = space.vocabulary.index(term)
    prior = keyness.informative_prior(counts.sum(axis=0), keyness.default_prior_scale(space))

    def z_of(members):
        a, b = counts[list(members)].sum(axis=0), np.delete(counts, list(members), axis=0).sum(axis=0)
        return keyness.log_odds_dirichlet(a, b, prior)[1][j]

    observed = abs(z_of([i for i, flag in enumerate(in_group) if flag]))
    splits = list(itertools.combinations(range(len(docs)), sum(in_group)))
    as_extreme = sum(abs(z_of(members)) >= observed - 1e-12 for members in splits)
    return as_extreme / len(splits)


def test_document_frequencies_by_hand():
    table = groups.compare_groups(vectorize(UNEVEN), [True, True, False, False, False])
    # a: d1, d2 (A) and d4 (B); b: d1, d2 and d3, d5; c: d1 and d3, d4; d: d3, d4, d5
    assert row(table, "a")[["n_a", "n_b", "df_a", "df_b"]].tolist() == [4, 1, 2, 1]
    assert row(table, "b")[["n_a", "n_b", "df_a", "df_b"]].tolist() == [3, 2, 2, 2]
    assert row(table, "c")[["df_a", "df_b"]].tolist() == [1, 2]
    assert row(table, "d")[["df_a", "df_b"]].tolist() == [0, 3]


def test_exact_permutation_p_by_hand():
    table = groups.compare_groups(vectorize(EVEN), [True, True, False, False])
    # 6 splits into two pairs, 6 tokens a side in each: "x" has z > 0 with both x-documents in
    # A ({d1,d2}), the same |z| with neither ({d3,d4}), and z = 0 in the 4 mixed splits: p = 2/6.
    assert row(table, "x")["p_perm"] == pytest.approx(1 / 3, abs=1e-6)
    assert row(table, "w")["p_perm"] == pytest.approx(1 / 3, abs=1e-6)
    assert row(table, "w")["z"] == pytest.approx(-row(table, "x")["z"], abs=1e-6)
    # "u" is used alike everywhere: z = 0 in every split, all 6 as extreme
    assert row(table, "u")["p_perm"] == 1.0 and row(table, "u")["z"] == 0.0
    assert table.attrs["exact"] and table.attrs["permutations"] == 6 and table.attrs["n_docs"] == (2, 2)
    assert groups.smallest_p(table) == pytest.approx(2 / 6)  # a split and its mirror tie


@pytest.mark.parametrize("term", ["a", "b", "c", "d"])
def test_exact_permutation_p_equals_an_enumeration_of_every_split(term):
    in_group = [True, True, False, False, False]
    table = groups.compare_groups(vectorize(UNEVEN), in_group)
    assert table.attrs["permutations"] == math.comb(5, 2)
    assert row(table, term)["p_perm"] == pytest.approx(brute_force_p(UNEVEN, in_group, term), abs=1e-6)


def _random_corpus(n_docs: int, seed: int) -> list[tuple[str, list[str]]]:
    rng = np.random.default_rng(seed)
    words = [f"t{j}" for j in range(12)]
    return [(f"d{i:02d}", list(rng.choice(words, size=int(rng.integers(5, 30))))) for i in range(n_docs)]


def test_sampled_p_agrees_with_the_exact_p():
    docs = _random_corpus(14, seed=1)
    in_group = [i < 7 for i in range(14)]  # C(14, 7) = 3,432 splits
    exact = groups.compare_groups(vectorize(docs), in_group, permutations=5000)
    sampled = groups.compare_groups(vectorize(docs), in_group, permutations=3000, random_state=7)
    assert exact.attrs["exact"] and exact.attrs["permutations"] == 3432
    assert not sampled.attrs["exact"] and sampled.attrs["permutations"] == 3000
    # Monte Carlo standard error is at most sqrt(0.25 / 3000) ≈ 0.009
    assert np.abs(exact["p_perm"].to_numpy() - sampled["p_perm"].to_numpy()).max() < 0.05
    assert sampled["p_perm"].min() >= 1 / 3001


def test_same_seed_same_table_whatever_the_block_size(monkeypatch):
    docs = _random_corpus(30, seed=2)
    in_group = [i % 3 == 0 for i in range(30)]
    first = groups.compare_groups(vectorize(docs), in_group, permutations=500, random_state=3)
    monkeypatch.setattr(groups, "_BLOCK_BYTES", 50 * (21 * 30 + 96 * 40))  # a few splits per block
    again = groups.compare_groups(vectorize(docs), in_group, permutations=500, random_state=3)
    assert first.equals(again) and first.attrs == again.attrs
    other = groups.compare_groups(vectorize(docs), in_group, permutations=500, random_state=4)
    assert not first["p_perm"].equals(other["p_perm"])
    assert first.drop(columns="p_perm").equals(other.drop(columns="p_perm"))


def test_p_perm_is_written_with_significant_digits():
    assert round_value(1.23456789e-7, "p_perm") == 1.23457e-07


def test_permutation_rule_names_the_test():
    exact = groups.compare_groups(vectorize(EVEN), [True, True, False, False])
    assert groups.permutation_rule(exact) == "exact permutation test over all 6 splits of the 4 documents"
    docs = _random_corpus(30, seed=2)
    sampled = groups.compare_groups(vectorize(docs), [i < 10 for i in range(30)], permutations=200, random_state=5)
    assert (
        groups.permutation_rule(sampled)
        == "permutation test over 200 random splits of the 30 documents (random_state 5)"
    )
    assert groups.smallest_p(sampled) == pytest.approx(1 / 201)


@pytest.mark.parametrize(
    "kwargs, message",
    [({"permutations": 0}, "permutations must be a positive integer"), ({"random_state": -1}, "random_state")],
)
def test_bad_permutation_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        groups.compare_groups(vectorize(EVEN), [True, True, False, False], **kwargs)


def test_group_size_note_says_why_no_comparison_is_drawn():
    note = groups.group_size_note([True] + [False] * 155, ("1988 Massacre", "other articles"))
    assert note == (
        "No group comparison drawn: '1988 Massacre' has 1 article against 155 in 'other articles', and each "
        "side needs at least 3; so small a group is one or two articles' own words, which each article's "
        "keyness against the rest already shows."
    )
    assert "\n" not in note
    assert "'rest' has 2 articles against 46 in 'tag'" in groups.group_size_note(
        [True] * 46 + [False] * 2, ("tag", "rest")
    )
    assert groups.group_size_note([True] * 3 + [False] * 3) == ""
    assert "at least 4" in groups.group_size_note([True] * 3 + [False] * 5, min_docs=4)
    with pytest.raises(ValueError, match="booleans"):
        groups.group_size_note([1, 0, 0, 0])


def test_split_masks_take_the_smallest_keys_and_break_ties_in_order():
    keys = np.array([[0.5, 0.1, 0.9, 0.3], [0.2, 0.2, 0.2, 0.7]])
    # row 2 ties at the boundary: the first two of the three equal keys, as a stable sort takes them
    assert groups._smallest(keys, 2).tolist() == [[False, True, False, True], [True, True, False, False]]


def test_permutation_p_of_counts_too_large_for_float32_is_the_split_by_split_answer():
    from scipy.sparse import csr_matrix

    counts = np.array([[3, 0, 1], [1, 2, 0], [0, 4, 2], [2, 1, 5], [1, 1, 1]]) * 2**23 + 1
    assert (counts.sum(axis=0) >= groups._FLOAT32_EXACT).all()  # summed in float64
    mask, z, alpha = np.array([True, True, False, False, False]), np.array([0.4, -0.3, 0.2]), np.full(3, 1.0)
    p, n_splits, exact = groups._permutation_p(csr_matrix(counts), mask, z, alpha, 1000, 0, "test")
    sizes, totals = counts.sum(axis=1).astype(float), counts.sum(axis=0).astype(float)
    extreme = np.zeros(3)
    for members in itertools.combinations(range(5), 2):
        a = counts[list(members)].sum(axis=0).astype(float)[None, :]
        size_a = sizes[list(members)].sum()
        _, z_split = keyness._log_odds(a, totals - a, alpha, 3.0, size_a, sizes.sum() - size_a, "test")
        extreme += np.abs(z_split[0]) >= np.abs(z) * (1 - groups._TIE_TOLERANCE)
    assert exact and n_splits == 10
    assert p.tolist() == (extreme / 10).tolist()
