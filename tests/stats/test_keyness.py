"""Keyness of each article against the rest: corrections, Fisher's test, negative keywords, the figure's rule."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import false_discovery_control, fisher_exact

from analysis.pipeline.vectors import vectorize
from analysis.stats import keyness, keyterms, significance

# Three documents, 8 tokens. Sizes: d1 = 4, d2 = 2, d3 = 2. Totals: a 2, b 2, c 3, d 1.
DOCS = [("d1", ["a", "a", "b", "c"]), ("d2", ["b", "c"]), ("d3", ["c", "d"])]

# "rare" is used once in the whole corpus, in the short article (20 of 200 tokens).
HAPAX_DOCS = [("short", ["rare"] + ["x"] * 19), ("long", ["x"] * 100 + ["y"] * 80)]

# Five articles of 60 tokens: "z" is each article's own word, "common" is frequent everywhere but in e4.
FIVE = [
    (f"e{i}", [f"z{i}"] * 12 + ["common"] * (0 if i == 4 else 30) + ["filler"] * (48 if i == 4 else 18))
    for i in range(5)
]


# --- multiple testing ---------------------------------------------------------------------------


def test_bh_q_values_by_hand_and_equal_to_scipy():
    # sorted: 0.01, 0.03, 0.04, 0.5; p * m / rank = 0.04, 0.06, 0.0533, 0.5; running minimum from the top
    p = np.array([0.01, 0.04, 0.03, 0.5])
    q = significance.adjusted_p_values(p, "bh")
    assert q.tolist() == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5])
    assert q.tolist() == pytest.approx(false_discovery_control(p, method="bh").tolist())
    # one family per row
    rows = np.array([[0.01, 0.04, 0.03, 0.5], [0.2, 0.2, 0.2, 0.2]])
    assert significance.adjusted_p_values(rows) == pytest.approx(np.array([q.tolist(), [0.2] * 4]))


def test_bonferroni_by_hand():
    p = np.array([0.01, 0.04, 0.03, 0.5])
    assert significance.adjusted_p_values(p, "bonferroni").tolist() == pytest.approx([0.04, 0.16, 0.12, 1.0])


@pytest.mark.parametrize("values, method, message", [([0.5, 1.2], "bh", r"\[0, 1\]"), ([0.5], "holm", "method")])
def test_adjusted_p_values_refuses_bad_input(values, method, message):
    with pytest.raises(ValueError, match=message):
        significance.adjusted_p_values(values, method)


def test_keyness_q_values_are_bh_over_each_articles_terms():
    table = keyness.keyness_by_article(vectorize(FIVE))
    assert table.attrs["correction"] == "bh" and table.attrs["tests_per_article"] == 7
    for _, rows in table.groupby("doc_id"):
        assert len(rows) == 7  # the family: every term of the corpus
        expected = false_discovery_control(rows["p_value"].to_numpy(), method="bh")
        assert rows["q_value"].to_numpy() == pytest.approx(expected, rel=1e-5)


def test_keyness_bonferroni_multiplies_by_the_number_of_terms():
    table = keyness.keyness_by_article(vectorize(FIVE), correction="bonferroni")
    assert table["q_value"].to_numpy() == pytest.approx(np.minimum(7 * table["p_value"].to_numpy(), 1.0), rel=1e-5)


# --- Fisher's exact test for small counts --------------------------------------------------------


def test_fisher_p_values_equal_scipy_on_small_tables():
    tables = [
        (a, b, size_a, size_b) for a in range(5) for b in range(5) for size_a, size_b in ((5, 5), (4, 9), (20, 7))
    ]
    tables = [t for t in tables if t[0] <= t[2] and t[1] <= t[3] and t[0] + t[1] > 0]
    a, b, size_a, size_b = (np.array(column) for column in zip(*tables))
    p = significance.fisher_p_values(a, b, size_a, size_b)
    expected = [fisher_exact([[x, n - x], [y, m - y]]).pvalue for x, y, n, m in tables]
    assert p.tolist() == pytest.approx(expected, rel=1e-9)


def test_fisher_p_value_by_hand():
    # [[2, 2], [0, 4]]: a ~ hypergeometric(8 tokens, 2 of them the term, 4 drawn)
    # P(0) = C(6,4)/C(8,4) = 15/70, P(1) = 40/70, P(2) = 15/70; two-sided: P(0) + P(2) = 3/7
    assert significance.fisher_p_values(2, 0, 4, 4) == pytest.approx(3 / 7)


def test_fisher_p_values_computes_each_distinct_table_once_whatever_the_chunk(monkeypatch):
    a, b = np.array([1, 3, 1, 0, 3] * 40), np.array([0, 2, 0, 5, 2] * 40)
    whole = significance.fisher_p_values(a, b, 50, 70)
    monkeypatch.setattr(significance, "FISHER_CHUNK", 3)  # several chunks, some of one table
    assert significance.fisher_p_values(a, b, 50, 70).tolist() == whole.tolist()
    assert whole[:5].tolist() == pytest.approx(
        [fisher_exact([[x, 50 - x], [y, 70 - y]]).pvalue for x, y in zip(a, b)][:5]
    )


def test_fisher_windows_widen_until_they_hold_the_distribution(monkeypatch):
    # with no head room the first windows are too narrow for some tables; the answer must not change
    tables = [(3, 1, 40, 60), (0, 9, 30, 70), (12, 2, 50, 5000), (5, 5, 10, 10), (1, 40, 20, 200)]
    a, b, size_a, size_b = (np.array(column) for column in zip(*tables))
    expected = [fisher_exact([[x, n - x], [y, m - y]]).pvalue for x, y, n, m in tables]
    monkeypatch.setattr(significance, "FISHER_REACH", 0)
    assert significance.fisher_p_values(a, b, size_a, size_b).tolist() == pytest.approx(expected, rel=1e-9)


def test_fisher_p_value_of_a_hapax_in_a_large_corpus():
    # the one occurrence falls in the 300-token article with probability 300 / 1,000,000
    assert significance.fisher_p_values(1, 0, 300, 999_700) == pytest.approx(3e-4, rel=1e-12)
    assert significance.fisher_p_values(0, 1, 300, 999_700) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="whole numbers"):
        significance.fisher_p_values(1.5, 0, 300, 999_700)


def test_issue_13_a_hapax_is_not_significant_under_fisher():
    table = keyness.keyness_by_article(vectorize(HAPAX_DOCS)).set_index(["doc_id", "term"])
    row = table.loc[("short", "rare")]
    # G² = 2 ln(1 / 0.1) = 4.6, whose chi-square tail is 0.032 ...
    assert row.g2 == pytest.approx(2 * math.log(10), abs=1e-6)
    # ... but the one occurrence lands in the short article by chance 20 times in 200
    assert row.test == "fisher"
    assert row.p_value == pytest.approx(0.1)
    chi_square = keyness.keyness_by_article(vectorize(HAPAX_DOCS), min_expected=0).set_index(["doc_id", "term"])
    assert chi_square.loc[("short", "rare"), "p_value"] == pytest.approx(math.erfc(math.sqrt(math.log(10))), rel=1e-5)
    assert chi_square.loc[("short", "rare"), "p_value"] < 0.05


def test_test_column_follows_the_smallest_expected_count():
    # y: 0 of 20 vs 80 of 180: the expected count in the short article is 20 * 80 / 200 = 8
    space = vectorize(HAPAX_DOCS)
    table = keyness.keyness_by_article(space).set_index(["doc_id", "term"])
    assert significance.smallest_expected(0, 80, 20, 180) == pytest.approx(8.0)
    assert table.loc[("short", "y"), "test"] == "g2"
    assert table.loc[("short", "y"), "p_value"] == pytest.approx(
        math.erfc(math.sqrt(abs(table.loc[("short", "y"), "g2"]) / 2)), rel=1e-5
    )
    assert keyness.keyness_by_article(space, min_expected=100)["test"].unique().tolist() == ["fisher"]
    assert keyness.keyness_by_article(space, min_expected=0)["test"].unique().tolist() == ["g2"]


# --- negative keywords and the shape of the table ------------------------------------------------


def test_issue_13_negative_keywords_are_listed():
    table = keyness.keyness_by_article(vectorize(FIVE))
    e4 = table[table["doc_id"] == "e4"].set_index("term")
    assert e4.loc["common", "n_target"] == 0 and e4.loc["common", "n_reference"] == 120
    assert e4.loc["common", "g2"] < 0 and e4.loc["common", "log_ratio"] < 0
    assert e4.loc["common", "q_value"] < 0.05
    assert e4.loc["z0", "n_target"] == 0 and e4.loc["z0", "g2"] < 0
    assert table[table["n_target"] == 0]["g2"].lt(0).all()


def test_every_article_gets_every_term():
    space = vectorize(DOCS + [("empty", [])])
    table = keyness.keyness_by_article(space)
    # the empty article has no tokens to compare, so no rows; the others have one row per term
    assert len(table) == 3 * len(space.vocabulary)
    assert table.groupby("doc_id", sort=False).size().to_dict() == {"d1": 4, "d2": 4, "d3": 4}
    assert table.set_index("term")["n_docs"].groupby(level=0).first().to_dict() == {"a": 1, "b": 2, "c": 3, "d": 1}
    for _, rows in table.groupby("doc_id", sort=False):
        assert rows["g2"].tolist() == sorted(rows["g2"], reverse=True)


def test_large_corpora_keep_each_articles_strongest_positive_and_negative_terms(monkeypatch):
    space = vectorize(FIVE)
    everything = keyness.keyness_by_article(space, top=None)
    top = keyness.keyness_by_article(space, top=1)
    e4 = top[top["doc_id"] == "e4"]
    assert e4["term"].tolist() == ["z4", "common"]  # its own word, and the one it never uses
    # q-values come from the whole family of terms, not from the rows kept
    assert top.merge(everything, on=["doc_id", "term"], suffixes=("", "_all")).eval("q_value == q_value_all").all()
    monkeypatch.setattr(keyness, "KEYNESS_ALL_TERMS_MAX_ROWS", 20)  # 35 cells
    monkeypatch.setattr(keyness, "KEYNESS_TOP_TERMS", 1)
    assert keyness.keyness_by_article(space).equals(top)
    monkeypatch.setattr(keyness, "KEYNESS_BLOCK_CELLS", 8)  # one article per block
    assert keyness.keyness_by_article(space, top=None).equals(everything)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"correction": "holm"}, "correction must be one of"),
        ({"min_expected": -1}, "min_expected"),
        ({"alpha": 1.5}, "alpha"),
    ],
)
def test_keyness_refuses_bad_options(options, message):
    with pytest.raises(ValueError, match=message):
        keyness.keyness_by_article(vectorize(DOCS), **options)


# --- LRC -----------------------------------------------------------------------------------------


def test_lrc_by_hand():
    # b = 0: pi_low = BetaInv(q; a, 1) = q ** (1 / a), q = alpha / tests / 2
    low = 0.025 ** (1 / 10)  # a = 10, alpha 0.05, one test: 0.6915
    assert keyness.log_ratio_conservative(10, 0, 1000, 1000) == pytest.approx(math.log2(low / (1 - low)))
    # sizes enter as in Log Ratio: times size_b / size_a
    assert keyness.log_ratio_conservative(10, 0, 500, 1000) == pytest.approx(math.log2(low / (1 - low) * 2))
    # Bonferroni over 5 tests: q = 0.05 / 5 / 2
    low5 = 0.005 ** (1 / 10)
    assert keyness.log_ratio_conservative(10, 0, 1000, 1000, tests=5) == pytest.approx(math.log2(low5 / (1 - low5)))
    # a = 0: pi_high = BetaInv(1 - q; 1, b) = 1 - q ** (1 / b), the mirror image
    assert keyness.log_ratio_conservative(0, 10, 1000, 1000) == pytest.approx(-math.log2(low / (1 - low)))
    # an interval that spans zero gives 0: 4 against 0 is not enough (pi_low = 0.025 ** 0.25 = 0.40 < 0.5)
    assert keyness.log_ratio_conservative(4, 0, 1000, 1000) == 0.0
    assert keyness.log_ratio_conservative(3, 3, 1000, 1000) == 0.0


def test_keyness_lrc_column_uses_the_number_of_terms():
    table = keyness.keyness_by_article(vectorize(FIVE), correction="lrc", alpha=0.05)
    assert "lrc" in table.columns and table.attrs["correction"] == "lrc"
    row = table[(table["doc_id"] == "e0") & (table["term"] == "z0")].iloc[0]
    assert row.lrc == pytest.approx(keyness.log_ratio_conservative(12, 0, 60, 240, 0.05, tests=7), abs=1e-6)
    assert row.lrc > 0
    assert table["q_value"].to_numpy() == pytest.approx(np.minimum(7 * table["p_value"].to_numpy(), 1.0), rel=1e-5)


# --- choosing the figure's terms -----------------------------------------------------------------


def _scores(rows: list[tuple]) -> pd.DataFrame:
    columns = ["doc_id", "term", "n_target", "n_reference", "g2", "q_value", "log_ratio"]
    table = pd.DataFrame(rows, columns=columns)
    table.attrs["correction"] = "bh"
    return table


SCORES = _scores(
    [
        ("a", "big", 9, 1, 30.0, 0.001, 3.0),
        ("a", "rare", 2, 0, 12.0, 0.01, 5.0),  # significant but used twice: left out
        ("a", "more", 8, 4, 20.0, 0.01, 2.0),
        ("a", "also", 8, 4, 20.0, 0.01, 2.0),  # ties with "more" on log ratio
        ("a", "weak", 5, 5, 4.0, 0.20, 1.5),  # not significant: left out however large its ratio
        ("a", "absent", 0, 40, -15.0, 0.02, -4.0),
        ("b", "faint", 4, 4, 3.0, 0.30, 1.0),
    ]
)


def test_select_key_terms_filters_by_q_then_ranks_by_log_ratio():
    chosen = keyterms.select_key_terms(SCORES, n=2)
    assert chosen.rows["term"].tolist() == ["big", "also"]
    assert chosen.caption == (
        "terms with BH q < 0.05 in their article, used at least 3 times there, ranked by log ratio; "
        "1 of 2 articles have none"
    )
    assert chosen.notes == {"a": "+1 more term tie at log ratio 2.0"}
    rows, caption, notes = keyterms.select_key_terms(SCORES, n=5, min_count=2, negative=True)
    assert rows["term"].tolist() == ["rare", "big", "also", "more", "absent"]
    assert "at least 2 times there (negative terms: in the rest of the corpus)" in caption
    assert notes == {}


def test_select_key_terms_needs_to_know_the_correction():
    unlabelled = SCORES.copy()
    unlabelled.attrs = {}
    with pytest.raises(ValueError, match="pass correction="):
        keyterms.select_key_terms(unlabelled)
    caption = keyterms.select_key_terms(unlabelled, correction="bonferroni").caption
    assert caption.startswith("terms with Bonferroni-adjusted p < 0.05 in their article")


def test_select_key_terms_with_lrc_ranks_by_lrc():
    table = keyness.keyness_by_article(vectorize(FIVE), correction="lrc")
    chosen = keyterms.select_key_terms(table, n=3)
    assert (chosen.rows["lrc"] > 0).all()
    assert chosen.caption.startswith("terms whose log ratio's Bonferroni-corrected interval (α = 0.05 per article)")
    assert "ranked by LRC" in chosen.caption


def test_select_key_terms_on_a_real_table():
    table = keyness.keyness_by_article(vectorize(FIVE))
    chosen = keyterms.select_key_terms(table, n=1, negative=True)
    # every article's own word; e4 also lacks "common", which every other article uses 30 times in 60
    assert chosen.rows[["doc_id", "term"]].values.tolist() == [
        ["e0", "z0"],
        ["e1", "z1"],
        ["e2", "z2"],
        ["e3", "z3"],
        ["e4", "z4"],
        ["e4", "common"],
    ]
    assert chosen.caption.endswith("0 of 5 articles have none")


def test_ties_at_cut_checks_each_side():
    scores = pd.DataFrame({"doc_id": ["a"] * 5, "term": list("vwxyz"), "g2": [5.0, 5.0, -2.0, -2.0, -2.0]})
    shown = scores.iloc[[0, 2]]
    assert keyterms.ties_at_cut(scores, shown) == {"a": "+1 more term tie at G² 5.0; +2 more terms tie at G² -2.0"}


def test_key_terms_chart_draws_one_panel_per_article_with_terms():
    from analysis.report import plots

    chosen = keyterms.select_key_terms(keyness.keyness_by_article(vectorize(FIVE)), n=1, negative=True)
    figure = plots.key_terms_chart(chosen.rows, chosen.caption, "Key terms", panel_notes=chosen.notes)
    assert len([ax for ax in figure.axes if ax.get_visible()]) == 5
    assert chosen.caption.split(",")[0] in figure.get_suptitle().replace("\n", " ")
    empty = plots.key_terms_chart(chosen.rows.iloc[:0], "no terms", "Key terms")
    assert "No article has a term passing the rule." in [t.get_text() for t in empty.axes[0].texts]
