"""Frequencies, keyness and similarity on corpora small enough to compute by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.ingest.corpus import Article
from analysis.pipeline.vectors import vectorize
from analysis.stats import frequencies, groups, keyness, keyterms, similarity
from analysis.text import concordance
from analysis.text.cleaning import CleaningConfig, clean

# Three documents, 8 tokens. Sizes: d1 = 4, d2 = 2, d3 = 2.
# Totals: a = 2, b = 2, c = 3, d = 1; document frequencies: a 1, b 2, c 3, d 1.
DOCS = [("d1", ["a", "a", "b", "c"]), ("d2", ["b", "c"]), ("d3", ["c", "d"])]
LN2 = math.log(2)


def article(doc_id: str, *paragraphs: str, title: str = "A title") -> Article:
    return Article(doc_id, title, (), None, None, tuple(paragraphs), (), "test.txt", 0, 1)


def finite(frame: pd.DataFrame) -> bool:
    numbers = frame.select_dtypes("number").to_numpy(dtype=float)
    return bool(np.isfinite(numbers).all())


# --- log-likelihood and Log Ratio on a 2 x 2 table ------------------------------------------


def test_log_likelihood_on_a_two_by_two_table():
    # a=10 in 100 tokens, b=5 in 200: E1 = 100*15/300 = 5, E2 = 200*15/300 = 10
    # G² = 2*(10*ln(10/5) + 5*ln(5/10)) = 2*(10 ln 2 - 5 ln 2) = 10 ln 2 ≈ 6.93
    expected = 2 * (10 * math.log(10 / 5) + 5 * math.log(5 / 10))
    assert expected == pytest.approx(10 * LN2)
    assert keyness.log_likelihood(10, 5, 100, 200) == pytest.approx(expected)
    # swapping the corpora swaps the sign only
    assert keyness.log_likelihood(5, 10, 200, 100) == pytest.approx(-expected)


def test_log_likelihood_is_zero_for_equal_rates_and_vectorised():
    # 5/100 == 10/200: E1 = 100*15/300 = 5 = a, E2 = 10 = b, so both logs are ln 1 = 0
    values = keyness.log_likelihood(np.array([10, 5, 0]), np.array([5, 10, 0]), 100, 200)
    assert values.shape == (3,)
    assert values.tolist() == pytest.approx([10 * LN2, 0.0, 0.0])


def test_log_likelihood_zero_cell():
    # a=0, b=4, sizes 100/100: E2 = 100*4/200 = 2; G² = 2*(0 + 4 ln(4/2)) = 8 ln 2, rarer in A
    assert keyness.log_likelihood(0, 4, 100, 100) == pytest.approx(-8 * LN2)
    assert keyness.log_likelihood(4, 0, 100, 100) == pytest.approx(8 * LN2)


def test_log_ratio_by_hand():
    # no zero: log2((10/100) / (5/200)) = log2(0.1 / 0.025) = log2(4) = 2
    assert keyness.log_ratio(10, 5, 100, 200) == pytest.approx(2.0)
    assert keyness.log_ratio(5, 10, 200, 100) == pytest.approx(-2.0)
    # a zero count becomes 0.5: log2((10/100) / (0.5/200)) = log2(40)
    assert keyness.log_ratio(10, 0, 100, 200) == pytest.approx(math.log2(40))
    # a term absent from both: log2((0.5/100)/(0.5/200)) = log2(2) = 1
    assert keyness.log_ratio(0, 0, 100, 200) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "args, message",
    [
        ((-1, 5, 100, 200), ">= 0"),
        ((10, 5, 0, 200), "> 0"),
        ((150, 5, 100, 200), "exceeds"),
        ((np.nan, 5, 100, 200), "NaN"),
        (([1, 2], [1, 2, 3], 100, 200), "broadcast"),
    ],
)
def test_bad_tables_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        keyness.log_likelihood(*args)
    with pytest.raises(ValueError, match=message):
        keyness.log_ratio(*args)


def test_log_ratio_needs_positive_smoothing():
    with pytest.raises(ValueError, match="smoothing"):
        keyness.log_ratio(1, 1, 10, 10, smoothing=0)


# --- log-odds with an informative Dirichlet prior -------------------------------------------


def test_informative_prior_scales_background_proportions():
    # [4, 3, 5] of 12, scaled to 6 pseudo-tokens: [2, 1.5, 2.5]
    assert keyness.informative_prior([4, 3, 5], 6).tolist() == pytest.approx([2.0, 1.5, 2.5])
    with pytest.raises(ValueError, match="scale"):
        keyness.informative_prior([4, 3, 5], 0)
    with pytest.raises(ValueError, match="positive sum"):
        keyness.informative_prior([0, 0], 6)


def test_log_odds_on_three_terms():
    a, b = np.array([3, 1, 0]), np.array([1, 2, 5])  # n_a = 4, n_b = 8
    prior = keyness.informative_prior(a + b, 6)  # alpha = [2, 1.5, 2.5], alpha0 = 6
    delta, z = keyness.log_odds_dirichlet(a, b, prior)
    # term 0: ln((3+2)/(4+6-3-2)) - ln((1+2)/(8+6-1-2)) = ln(5/5) - ln(3/11) = ln(11/3)
    #         var = 1/(3+2) + 1/(1+2) = 8/15
    # term 1: ln(2.5/7.5) - ln(3.5/10.5) = ln(1/3) - ln(1/3) = 0
    # term 2: ln((0+2.5)/(10-2.5)) - ln((5+2.5)/(14-5-2.5)) = ln(1/3) - ln(15/13) = ln(13/45)
    #         var = 1/2.5 + 1/7.5 = 8/15
    assert delta.tolist() == pytest.approx([math.log(11 / 3), 0.0, math.log(13 / 45)])
    sd = math.sqrt(8 / 15)
    assert z.tolist() == pytest.approx([math.log(11 / 3) / sd, 0.0, math.log(13 / 45) / sd])
    # swapping the sides flips the signs
    swapped, swapped_z = keyness.log_odds_dirichlet(b, a, prior)
    assert swapped.tolist() == pytest.approx((-delta).tolist())
    assert swapped_z.tolist() == pytest.approx((-z).tolist())


def test_log_odds_refuses_a_zero_prior_on_a_zero_count():
    with pytest.raises(ValueError, match="positive prior"):
        keyness.log_odds_dirichlet([1, 0], [1, 2], [1.0, 0.0])
    with pytest.raises(ValueError, match="one value per term"):
        keyness.log_odds_dirichlet([1, 0], [1, 2], [1.0])


# --- tables from a vector space -------------------------------------------------------------


def test_top_tfidf_terms():
    space = vectorize(DOCS)
    table = frequencies.top_tfidf_terms(space, n=2)
    assert list(table.columns) == ["doc_id", "rank", "term", "tfidf", "n"]
    # d1: a (n=2, idf ln(4/2)+1) over b (n=1); d2: b (idf ln(4/3)+1) over c (idf 1);
    # d3: d (idf ln(4/2)+1) over c
    assert table[["doc_id", "rank", "term", "n"]].values.tolist() == [
        ["d1", 1, "a", 2],
        ["d1", 2, "b", 1],
        ["d2", 1, "b", 1],
        ["d2", 2, "c", 1],
        ["d3", 1, "d", 1],
        ["d3", 2, "c", 1],
    ]
    assert table["tfidf"].iloc[0] == pytest.approx(space.tfidf[0, 0])


def test_top_tfidf_terms_breaks_ties_by_term_and_needs_positive_n():
    space = vectorize([("x", ["q", "p"]), ("y", ["r"])])  # p and q: same count, same idf
    assert frequencies.top_tfidf_terms(space, n=5)["term"].tolist() == ["p", "q", "r"]
    with pytest.raises(ValueError, match="positive integer"):
        frequencies.top_tfidf_terms(space, n=0)


def test_relative_frequencies_top_terms_with_zero_rows():
    table = frequencies.relative_frequencies(vectorize(DOCS), top=2)
    # corpus totals c=3, a=2, b=2 (a before b on the tie); per_1000 = 1000 * n / size
    assert table.values.tolist() == [
        ["d1", "c", 1, 250.0],
        ["d1", "a", 2, 500.0],
        ["d2", "c", 1, 500.0],
        ["d2", "a", 0, 0.0],
        ["d3", "c", 1, 500.0],
        ["d3", "a", 0, 0.0],
    ]
    assert table.pivot(index="doc_id", columns="term", values="per_1000").shape == (3, 2)


def test_relative_frequencies_of_chosen_terms():
    table = frequencies.relative_frequencies(vectorize(DOCS), terms=["d", "d", "b"])
    assert table["term"].tolist() == ["d", "b"] * 3
    with pytest.raises(ValueError, match="not in the vocabulary"):
        frequencies.relative_frequencies(vectorize(DOCS), terms=["zebra"])


def test_keyness_by_article_by_hand():
    table = keyness.keyness_by_article(vectorize(DOCS))
    assert list(table.columns) == [
        "doc_id",
        "term",
        "n_target",
        "n_reference",
        "n_docs",
        "per_1000_target",
        "per_1000_reference",
        "g2",
        "p_value",
        "q_value",
        "test",
        "log_ratio",
        "log_odds",
        "z",
    ]
    # d1: a  2 of 4 vs 0 of 4: E1 = 4*2/8 = 1, G² = 2*(2 ln 2) = 4 ln 2
    #     b  1 of 4 vs 1 of 4: equal rates, G² = 0
    #     c  1 of 4 vs 2 of 4: E1 = E2 = 1.5, G² = -2*(ln(1/1.5) + 2 ln(2/1.5))
    # d2: b  1 of 2 vs 1 of 6: E1 = 0.5, E2 = 1.5, G² = 2*(ln 2 + ln(2/3)) = 2 ln(4/3)
    #     c  1 of 2 vs 2 of 6: E1 = 0.75, E2 = 2.25, G² = 2*(ln(4/3) + 2 ln(2/2.25))
    # d3: d  1 of 2 vs 0 of 6: E1 = 0.25, G² = 2 ln 4; then c as in d2
    # terms an article does not use (negative keywords), a = 0:
    # d1: d  0 of 4 vs 1 of 4: E2 = 0.5, G² = -2 ln 2
    # d2: d  0 of 2 vs 1 of 6: E2 = 0.75, G² = -2 ln(4/3); a  0 of 2 vs 2 of 6: E2 = 1.5, G² = -4 ln(4/3)
    # d3: a and b as a in d2 (tie broken by term)
    g2_c2 = 2 * (math.log(4 / 3) + 2 * math.log(2 / 2.25))
    assert table[["doc_id", "term", "n_target", "n_reference", "n_docs"]].values.tolist() == [
        ["d1", "a", 2, 0, 1],
        ["d1", "b", 1, 1, 2],
        ["d1", "c", 1, 2, 3],
        ["d1", "d", 0, 1, 1],
        ["d2", "b", 1, 1, 2],
        ["d2", "c", 1, 2, 3],
        ["d2", "d", 0, 1, 1],
        ["d2", "a", 0, 2, 1],
        ["d3", "d", 1, 0, 1],
        ["d3", "c", 1, 2, 3],
        ["d3", "a", 0, 2, 1],
        ["d3", "b", 0, 2, 2],
    ]
    assert table["g2"].tolist() == pytest.approx(
        [
            4 * LN2,
            0.0,
            -2 * (math.log(1 / 1.5) + 2 * math.log(2 / 1.5)),
            -2 * LN2,
            2 * math.log(4 / 3),
            g2_c2,
            -2 * math.log(4 / 3),
            -4 * math.log(4 / 3),
            2 * math.log(4),
            g2_c2,
            -4 * math.log(4 / 3),
            -4 * math.log(4 / 3),
        ]
    )
    first = table.iloc[0]
    assert (first.per_1000_target, first.per_1000_reference) == (500.0, 0.0)
    # every expected count is below 5, so Fisher: a ~ hypergeometric(8 tokens, 2 of them "a", 4 drawn)
    # P(2) = C(2,2) C(6,2) / C(8,4) = 15/70, P(1) = 40/70, P(0) = 15/70; two-sided p = P(0) + P(2) = 3/7
    assert table["test"].unique().tolist() == ["fisher"]
    assert first.p_value == pytest.approx(3 / 7)
    # without Fisher, the chi-square(1) tail: P(X > x) = erfc(sqrt(x / 2))
    chi_square = keyness.keyness_by_article(vectorize(DOCS), min_expected=0).iloc[0]
    assert chi_square.test == "g2"
    assert chi_square.p_value == pytest.approx(math.erfc(math.sqrt(4 * LN2 / 2)))
    # the reference count 0 becomes 0.5: log2((2/4) / (0.5/4)) = log2(4) = 2
    assert first.log_ratio == pytest.approx(2.0)
    # prior: scale = mean length 8/3, alpha_a = (8/3) * 2/8 = 2/3, alpha0 = 8/3
    # delta = ln((2 + 2/3)/(4 + 8/3 - 2 - 2/3)) - ln((0 + 2/3)/(4 + 8/3 - 0 - 2/3)) = ln(2/3) - ln(1/9) = ln 6
    # var = 1/(8/3) + 1/(2/3) = 15/8
    assert first.log_odds == pytest.approx(math.log(6))
    assert first.z == pytest.approx(math.log(6) / math.sqrt(15 / 8))


def test_keyness_needs_a_reference():
    with pytest.raises(ValueError, match="at least two documents"):
        keyness.keyness_by_article(vectorize([("only", ["a", "b"])]))


def test_compare_groups_by_hand():
    # A = d1 + d2: a 2, b 2, c 2, d 0 (6 tokens); B = d3: c 1, d 1 (2 tokens)
    table = groups.compare_groups(vectorize(DOCS), [True, True, False], labels=("first two", "third"))
    assert table["term"].tolist() == ["a", "b", "c", "d"]  # g2 desc, a/b tie broken by term
    assert table[["n_a", "n_b"]].values.tolist() == [[2, 0], [2, 0], [2, 1], [0, 1]]
    # a: E1 = 6*2/8 = 1.5, G² = 2*2 ln(2/1.5); c: E1 = 2.25, E2 = 0.75, rarer in A (2/6 < 1/2)
    # d: E2 = 2*1/8 = 0.25, G² = -2 ln 4
    g2_c = -2 * (2 * math.log(2 / 2.25) + math.log(1 / 0.75))
    # tables are rounded to 6 decimals (analysis.precision), hence abs=1e-6
    assert table["g2"].tolist() == pytest.approx([4 * math.log(4 / 3)] * 2 + [g2_c, -2 * math.log(4)], abs=1e-6)
    # percentile ranks: n_a = [2,2,2,0] -> ranks [3,3,3,1] -> (rank-1)/3 = [2/3,2/3,2/3,0]
    #                   n_b = [0,0,1,1] -> ranks [1.5,1.5,3.5,3.5] -> [1/6,1/6,5/6,5/6]
    assert table["pct_a"].tolist() == pytest.approx([2 / 3, 2 / 3, 2 / 3, 0.0], abs=1e-6)
    assert table["pct_b"].tolist() == pytest.approx([1 / 6, 1 / 6, 5 / 6, 5 / 6], abs=1e-6)
    assert table["per_1000_b"].tolist() == pytest.approx([0.0, 0.0, 500.0, 500.0])
    assert table.attrs["labels"] == ("first two", "third")
    assert (np.sign(table["z"]) == np.sign(table["g2"])).all()


@pytest.mark.parametrize(
    "in_group, message",
    [
        ([True, True, True], "'third' has no documents"),
        ([True, False], "2 values for 3"),
        (["d1", "d2", "d3"], "booleans"),
    ],
)
def test_compare_groups_refuses_bad_splits(in_group, message):
    with pytest.raises(ValueError, match=message):
        groups.compare_groups(vectorize(DOCS), in_group, labels=("first two", "third"))


def test_zero_counts_never_give_nan_or_inf():
    space = vectorize(DOCS + [("empty", [])])
    assert finite(keyness.keyness_by_article(space))
    assert finite(groups.compare_groups(space, [True, False, False, False]))
    assert finite(frequencies.relative_frequencies(space, top=4))
    assert finite(similarity.cosine_similarity_matrix(space))
    zeros = np.zeros(3)
    assert np.isfinite(keyness.log_likelihood(zeros, zeros, 10, 10)).all()
    assert np.isfinite(keyness.log_ratio(zeros, np.array([0, 1, 2]), 10, 10)).all()
    delta, z = keyness.log_odds_dirichlet(np.array([0, 0, 3]), np.array([2, 0, 0]), np.array([1.0, 1.0, 1.0]))
    assert np.isfinite(delta).all() and np.isfinite(z).all()


def test_empty_space_is_refused():
    space = vectorize(DOCS)
    hollow = type(space)((), (), space.counts[:0], space.tfidf[:0], space.idf, space.dictionary)
    with pytest.raises(ValueError, match="no documents"):
        frequencies.top_tfidf_terms(hollow)


# --- similarity -----------------------------------------------------------------------------


def test_cosine_similarity_matrix():
    space = vectorize(DOCS)
    for use in ("tfidf", "counts"):
        matrix = similarity.cosine_similarity_matrix(space, use=use)
        assert list(matrix.index) == list(matrix.columns) == ["d1", "d2", "d3"]
        assert np.diag(matrix.to_numpy()).tolist() == [1.0, 1.0, 1.0]
        assert np.array_equal(matrix.to_numpy(), matrix.to_numpy().T)
    counts = similarity.cosine_similarity_matrix(space, use="counts")
    # d1 = (2,1,1,0), d2 = (0,1,1,0): 2 / (sqrt(6) * sqrt(2)); d2 . d3 = 1 / (sqrt 2 * sqrt 2)
    assert counts.loc["d1", "d2"] == pytest.approx(2 / math.sqrt(12))
    assert counts.loc["d2", "d3"] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="use must be one of"):
        similarity.cosine_similarity_matrix(space, use="bm25")


def test_cluster_order_groups_similar_documents():
    ids = ["x1", "y1", "x2", "y2"]
    similar = {frozenset({"x1", "x2"}), frozenset({"y1", "y2"})}
    values = [[1.0 if i == j else 0.9 if frozenset({i, j}) in similar else 0.1 for j in ids] for i in ids]
    matrix = pd.DataFrame(values, index=ids, columns=ids)
    order = similarity.cluster_order(matrix)
    assert sorted(order) == sorted(ids)
    assert {frozenset(order[:2]), frozenset(order[2:])} == similar
    assert similarity.cluster_order(matrix) == order


def test_cluster_order_small_and_bad_matrices():
    assert similarity.cluster_order(pd.DataFrame([[1.0]], index=["a"], columns=["a"])) == ["a"]
    two = pd.DataFrame([[1.0, 0.3], [0.3, 1.0]], index=["b", "a"], columns=["b", "a"])
    assert similarity.cluster_order(two) == ["b", "a"]
    with pytest.raises(ValueError, match="same ids"):
        similarity.cluster_order(pd.DataFrame([[1.0, 0.3], [0.3, 1.0]], index=["a", "b"], columns=["b", "a"]))
    with pytest.raises(ValueError, match="symmetric"):
        similarity.cluster_order(pd.DataFrame([[1.0, 0.3], [0.9, 1.0]], index=["a", "b"], columns=["a", "b"]))


# --- concordance and dispersion -------------------------------------------------------------

# tokens: 0 The, 1 MEK's, 2 leader, 3 spoke, 4 Leaders, 5 of, 6 the, 7 group, 8 spoke, 9 again,
#         10 Another, 11 paragraph, 12 about, 13 the, 14 leader
KWIC_ARTICLE = article(
    "k-000",
    "The MEK's leader spoke. Leaders of the group spoke again.",
    "Another paragraph about the leader.",
    title="Leaders",
)


def test_kwic_matches_case_and_lemma():
    table = concordance.kwic([KWIC_ARTICLE], "Leader", window=2)
    assert list(table.columns) == ["doc_id", "title", "position", "left", "match", "right"]
    assert table[["position", "left", "match", "right"]].values.tolist() == [
        [2, "The MEK's", "leader", "spoke Leaders"],
        [4, "leader spoke", "Leaders", "of the"],
        [14, "about the", "leader", ""],
    ]
    assert table["doc_id"].unique().tolist() == ["k-000"]
    assert table["title"].unique().tolist() == ["Leaders"]


def test_kwic_phrases_possessives_and_no_lemmas():
    assert concordance.kwic([KWIC_ARTICLE], "the group", window=1).values.tolist() == [
        ["k-000", "Leaders", 6, "of", "the group", "spoke"]
    ]
    assert concordance.kwic([KWIC_ARTICLE], "mek", window=0)[["position", "match"]].values.tolist() == [[1, "MEK's"]]
    surface_only = CleaningConfig(stopwords=frozenset(), lemmatize=False)
    assert concordance.kwic([KWIC_ARTICLE], "leader", config=surface_only)["position"].tolist() == [2, 14]
    empty = concordance.kwic([KWIC_ARTICLE], "zebra")
    assert empty.empty and list(empty.columns) == ["doc_id", "title", "position", "left", "match", "right"]


def test_kwic_refuses_bad_input():
    with pytest.raises(ValueError, match="query"):
        concordance.kwic([KWIC_ARTICLE], " ... ")
    with pytest.raises(ValueError, match="no articles"):
        concordance.kwic([], "leader")
    with pytest.raises(ValueError, match="window"):
        concordance.kwic([KWIC_ARTICLE], "leader", window=-1)


# "the" and "of" are stopwords, nothing is lemmatised, no token is too short:
# article 0 -> cat saw dog (offsets 0-2); article 1 -> dog and cat cat again (offsets 3-7); 8 tokens
DISPERSION_CONFIG = CleaningConfig(stopwords=frozenset({"the", "of"}), lemmatize=False, min_length=1)
DISPERSION_ARTICLES = [
    article("a-000", "The cat saw the dog.", title="First"),
    article("a-001", "Dog and cat;", "cat again.", title="Second"),
    article("a-002", "Of the.", title="Empty after cleaning"),
]


def test_dispersion_offsets_by_hand():
    table = concordance.dispersion(DISPERSION_ARTICLES, ["cat", "dog", "bird"], DISPERSION_CONFIG)
    assert list(table.columns) == ["term", "doc_id", "article_index", "offset", "relative"]
    assert table[["term", "doc_id", "article_index", "offset"]].values.tolist() == [
        ["cat", "a-000", 0, 0],
        ["cat", "a-001", 1, 5],
        ["cat", "a-001", 1, 6],
        ["dog", "a-000", 0, 2],
        ["dog", "a-001", 1, 3],
    ]
    assert table["relative"].tolist() == pytest.approx([0 / 8, 5 / 8, 6 / 8, 2 / 8, 3 / 8])


def test_article_spans_by_hand():
    spans = concordance.article_spans(DISPERSION_ARTICLES, DISPERSION_CONFIG)
    assert spans.values.tolist() == [
        ["a-000", "First", 0, 3],
        ["a-001", "Second", 3, 8],
        ["a-002", "Empty after cleaning", 8, 8],
    ]


def test_dispersion_refuses_uncleaned_terms():
    with pytest.raises(ValueError, match="not cleaned terms"):
        concordance.dispersion(DISPERSION_ARTICLES, ["Maryam Rajavi"], DISPERSION_CONFIG)
    with pytest.raises(ValueError, match="terms is empty"):
        concordance.dispersion(DISPERSION_ARTICLES, [], DISPERSION_CONFIG)
    with pytest.raises(ValueError, match="CleaningConfig"):
        concordance.dispersion(DISPERSION_ARTICLES, ["cat"], None)


def test_most_similar_pairs_and_term_pickers():
    import pandas as pd

    matrix = pd.DataFrame([[1, 0.2, 0.9], [0.2, 1, 0.4], [0.9, 0.4, 1]], index=list("abc"), columns=list("abc"))
    pairs = similarity.most_similar_pairs(matrix, 2)
    assert pairs.values.tolist() == [["a", "c", 0.9], ["b", "c", 0.4]]
    scores = pd.DataFrame({"term": ["x", "y", "x", "z"], "g2": [5.0, 7.0, 9.0, -3.0]})
    assert keyterms.strongest_terms(scores, 5) == ["x", "y"]
    space = vectorize([("d1", ["a", "b", "b"]), ("d2", ["b", "c", "a"])])
    assert frequencies.most_frequent_terms(space, 2) == ["b", "a"]


def test_kwic_table_reads_phrases():
    article = Article(
        "p-000",
        "T",
        (),
        None,
        None,
        ("The 1988 massacre was remembered; the massacre of 1988 too.",),
        (),
        "x.txt",
        0,
        1,
    )
    table = concordance.kwic_table([article], ["1988_massacre", "remember"], window=2)
    assert table[["query", "match"]].values.tolist() == [["1988_massacre", "1988 massacre"], ["remember", "remembered"]]


def test_kwic_table_finds_merged_names_under_every_variant(config):
    article = Article(
        "p-000", "T", (), None, None, ("The PMOI met. Later the MEK and Mujahedin-e Khalq spoke.",), (), "x.txt", 0, 1
    )
    table = concordance.kwic_table([article], ["mek"], window=1, config=config)
    assert table["match"].tolist() == ["PMOI", "MEK", "Mujahedin-e Khalq"]


def test_ties_at_cut_counts_hidden_equals():
    import pandas as pd

    scores = pd.DataFrame(
        {"doc_id": ["a"] * 4 + ["b"] * 2, "term": list("wxyzuv"), "g2": [9.0, 5.0, 5.0, 5.0, 3.0, 1.0]}
    )
    shown = scores.groupby("doc_id").head(2)
    assert keyterms.ties_at_cut(scores, shown) == {"a": "+2 more terms tie at G² 5.0"}


def test_dispersion_and_spans_reuse_tokens_already_cleaned():
    cleaned = {a.id: clean(a.text, DISPERSION_CONFIG) for a in DISPERSION_ARTICLES}
    terms = ["cat", "dog", "bird"]
    assert concordance.dispersion(DISPERSION_ARTICLES, terms, None, cleaned).equals(
        concordance.dispersion(DISPERSION_ARTICLES, terms, DISPERSION_CONFIG)
    )
    assert concordance.article_spans(DISPERSION_ARTICLES, None, cleaned).equals(
        concordance.article_spans(DISPERSION_ARTICLES, DISPERSION_CONFIG)
    )
    with pytest.raises(ValueError, match="no tokens for article"):
        concordance.dispersion(DISPERSION_ARTICLES, terms, None, {})


# --- large corpora: bounded similarity and keyness ------------------------------------------------


def _many_docs(n: int = 100) -> list[tuple[str, list[str]]]:
    """``n`` documents over a small vocabulary; d010/d020 and d030/d040 are identical (cosine 1)."""
    docs = [(f"d{i:03d}", [f"w{(i * 7 + j * j) % 41}" for j in range(6 + i % 5)] + [f"only{i}"]) for i in range(n)]
    docs[20] = ("d020", [t for t in docs[10][1]])
    docs[40] = ("d040", [t for t in docs[30][1]])
    return docs


def test_nearest_neighbours_agree_with_the_full_matrix_block_by_block(monkeypatch):
    monkeypatch.setattr(similarity, "SIMILARITY_BLOCK", 7)  # several blocks, the last one short
    space = vectorize(_many_docs())
    full = similarity.cosine_similarity_matrix(space).to_numpy()
    table = similarity.nearest_neighbours(space, k=3)
    assert len(table) == 300 and table["rank"].tolist() == [1, 2, 3] * 100
    position = {d: i for i, d in enumerate(space.doc_ids)}
    for i, doc_id in enumerate(space.doc_ids):
        rows = table[table["doc_id"] == doc_id]
        others = sorted((j for j in range(100) if j != i), key=lambda j: (-round(full[i, j], 12), j))[:3]
        assert rows["neighbour"].map(position).tolist() == others
        assert rows["cosine"].to_numpy() == pytest.approx(full[i, others])


def test_similarity_matrix_of_a_large_corpus_keeps_the_documents_of_the_most_similar_pairs():
    space = vectorize(_many_docs())
    subset = similarity.cosine_similarity_matrix(space, max_docs=4)
    assert list(subset.index) == ["d010", "d020", "d030", "d040"]
    assert subset.attrs["subset"] == "those in the most similar pairs"
    full = similarity.cosine_similarity_matrix(space)
    assert subset.to_numpy() == pytest.approx(full.loc[subset.index, subset.index].to_numpy())
    assert "subset" not in full.attrs
    assert similarity.most_similar_pairs(subset, 2)[["doc_a", "doc_b"]].values.tolist() == [
        ["d010", "d020"],
        ["d030", "d040"],
    ]
    assert similarity.cosine_similarity_matrix(space, max_docs=100).shape == (100, 100)  # not more than max_docs: whole
    with pytest.raises(ValueError, match="max_docs must be a positive integer"):
        similarity.cosine_similarity_matrix(space, max_docs=0)


def test_similarity_table_is_the_matrix_when_whole_and_nearest_neighbours_when_cut():
    space = vectorize(_many_docs())
    whole = similarity.similarity_table(similarity.cosine_similarity_matrix(space), space)
    assert whole.shape == (100, 101) and whole.columns[0] == "doc_id"
    cut = similarity.similarity_table(similarity.cosine_similarity_matrix(space, max_docs=4), space, k=2)
    assert list(cut.columns) == ["doc_id", "rank", "neighbour", "cosine"] and len(cut) == 200
    assert cut.loc[cut["doc_id"] == "d010", "neighbour"].iloc[0] == "d020"


def test_keyness_of_a_large_corpus_keeps_each_articles_top_terms_and_their_ties(monkeypatch):
    space = vectorize(_many_docs())
    everything = keyness.keyness_by_article(space, top=None)
    top = keyness.keyness_by_article(space, top=3)
    for doc_id, rows in everything.groupby("doc_id", sort=False):
        third = rows["g2"].iloc[min(2, len(rows) - 1)]
        third_lowest = rows["g2"].iloc[max(len(rows) - 3, 0)]
        expected = rows[(rows["g2"] >= third) | (rows["g2"] <= third_lowest)]
        assert top[top["doc_id"] == doc_id].reset_index(drop=True).equals(expected.reset_index(drop=True))
    assert len(top) < len(everything)
    assert keyness.keyness_by_article(space).equals(everything)  # "auto": 100 documents are few
    monkeypatch.setattr(keyness, "KEYNESS_ALL_TERMS_MAX_DOCS", 50)
    monkeypatch.setattr(keyness, "KEYNESS_TOP_TERMS", 3)
    assert keyness.keyness_by_article(space).equals(top)
    with pytest.raises(ValueError, match="top must be a positive integer"):
        keyness.keyness_by_article(space, top=0)


def test_ties_at_cut_counts_each_document_on_its_own():
    scores = pd.DataFrame(
        {"doc_id": ["a"] * 3 + ["b"] * 3, "term": list("xyzxyz"), "g2": [4.0, 2.0, 2.0, 4.0, 2.0, 1.0]}
    )
    shown = scores.groupby("doc_id").head(2)
    assert keyterms.ties_at_cut(scores, shown) == {"a": "+1 more term tie at G² 2.0"}


def test_kwic_table_equals_one_kwic_per_term():
    articles = [article("p1", "Cats chase dogs. A cat sleeps."), article("p2", "The dog barks at the cats.")]
    table = concordance.kwic_table(articles, ["cat", "dog"], window=2)
    expected = pd.concat([concordance.kwic(articles, t, 2).assign(query=t) for t in ("cat", "dog")], ignore_index=True)
    assert table.drop(columns="query").equals(expected.drop(columns="query"))
    assert table["query"].tolist() == expected["query"].tolist()
    with pytest.raises(ValueError, match="window must be an integer"):
        concordance.kwic_table(articles, ["cat"], window=-1)
    with pytest.raises(ValueError, match="query must be a word"):
        concordance.kwic_table(articles, [""], window=1)


def test_tfidf_ties_at_cut_counts_hidden_equals():
    # d1 uses a, b, c, d once each and shares none of them: all four weigh the same in d1
    space = vectorize([("d1", ["a", "b", "c", "d"]), ("d2", ["e", "f"]), ("d3", ["e", "g"])])
    top = frequencies.top_tfidf_terms(space, 2)
    assert top[top["doc_id"] == "d1"]["term"].tolist() == ["a", "b"]  # the tie broken by name
    notes = frequencies.tfidf_ties_at_cut(space, top)
    assert notes["d1"].startswith("+2 more terms tie at TF-IDF")
    assert "d2" not in notes and "d3" not in notes  # two terms each, both shown


def test_kwic_table_counts_an_alias_inside_a_longer_alias_once(config):
    """Regression: "Javad Zarif" and "Zarif" both matched one occurrence, one token apart."""
    assert config.aliases.get(("javad", "zarif")) == "zarif"  # the shipped alias table merges the two
    text = "Foreign Minister Javad Zarif said so. Later Zarif left, and Javad Zarif returned."
    story = Article("p-000", "T", (), None, None, (text,), (), "x.txt", 0, 1)
    table = concordance.kwic_table([story], ["zarif"], window=1, config=config)
    assert table["match"].tolist() == ["Javad Zarif", "Zarif", "Javad Zarif"]
