"""Choosing K: the chance baseline of stability, spreads across seeds, and the rule of choose_k, checked by hand."""

from __future__ import annotations

from functools import cache
from itertools import combinations, product

import numpy as np
import pandas as pd
import pytest

from analysis.models import selection
from analysis.pipeline.vectors import vectorize

# --- the chance baseline of stability --------------------------------------------------------------------------


def test_chance_is_zero_when_runs_share_no_term():
    runs = [[["a", "b"], ["c", "d"]], [["e", "f"], ["g", "h"]], [["i", "j"], ["k", "l"]]]
    assert set(selection.stability_chance(runs, draws=20).values()) == {0.0}
    columns = selection._stability_columns(runs, random_state=0)
    assert columns["stability"] == 0.0 and columns["stability_chance"] == 0.0 and columns["stability_excess"] == 0.0


def test_chance_is_the_mean_over_every_equally_likely_redraw():
    # each run's two topics are redrawn as two independent, uniformly random pairs of {a, b, c, d}:
    # 6 pairs per topic, 6**4 equally likely (run 1, run 2) redraws, each matched as real runs are
    pairs = [list(pair) for pair in combinations("abcd", 2)]
    redraws = [selection.match_topics([s1, s2], [t1, t2])[1] for s1, s2, t1, t2 in product(pairs, repeat=4)]
    exact = sum(sum(jaccards) / 2 for jaccards in redraws) / len(redraws)
    assert exact == pytest.approx(319 / 648)  # 638 / 1296: well above 0, though no two runs need agree
    runs = [[["a", "b"], ["c", "d"]]] * 3
    chance = selection.stability_chance(runs, draws=2000, random_state=0)
    assert list(chance) == [(0, 1), (0, 2), (1, 2)]
    assert np.mean(list(chance.values())) == pytest.approx(exact, abs=0.01)


def test_identical_runs_exceed_chance_by_one_minus_chance():
    runs = [[["a", "b"], ["c", "d"]]] * 3
    columns = selection._stability_columns(runs, random_state=0)
    assert columns["stability"] == 1.0 and columns["stability_se"] == 0.0
    assert 0.4 < columns["stability_chance"] < 0.6
    assert columns["stability_excess"] == pytest.approx(1 - columns["stability_chance"])


def test_a_run_of_one_topic_can_only_be_redrawn_as_itself():
    runs = [[["a", "b", "c"]], [["a", "b", "c"]]]
    assert selection.stability_chance(runs, draws=5) == {(0, 1): 1.0}
    assert selection._stability_columns(runs, random_state=0)["stability_excess"] == 0.0


def test_chance_is_the_same_for_the_same_random_state():
    runs = [[["a", "b", "x"], ["c", "d", "x"]], [["a", "c", "x"], ["b", "d", "y"]], [["a", "b", "y"], ["c", "x", "d"]]]
    assert selection.stability_chance(runs, random_state=7) == selection.stability_chance(runs, random_state=7)
    assert selection.stability_chance(runs, random_state=7) != selection.stability_chance(runs, random_state=8)


def test_shuffled_topics_keep_sizes_and_draw_from_the_run():
    rng = np.random.default_rng(0)
    run = [["a", "b", "c"], ["a", "d"], ["e", "f", "g", "h"]]
    for _ in range(50):
        topics = selection.shuffled_topics(run, rng)
        assert [len(topic) for topic in topics] == [3, 2, 4]
        assert all(len(set(topic)) == len(topic) and set(topic) <= set("abcdefgh") for topic in topics)


def test_chance_refuses_bad_input():
    with pytest.raises(ValueError, match="at least two runs"):
        selection.stability_chance([[["a", "b"]]])
    with pytest.raises(ValueError, match="draws"):
        selection.stability_chance([[["a", "b"]], [["a", "c"]]], draws=0)
    with pytest.raises(ValueError, match="run 1"):
        selection.stability_chance([[["a", "b"]], [[]]])


def test_pair_stability_averages_to_stability():
    first, second, third = [["x", "y"], ["p", "q"]], [["p", "q"], ["x", "y"]], [["x", "y"], ["p", "r"]]
    values = selection.pair_stability([first, second, third])
    assert values == pytest.approx({(0, 1): 1.0, (0, 2): 2 / 3, (1, 2): 2 / 3})
    assert selection.stability([first, second, third]) == pytest.approx(sum(values.values()) / 3)


def test_jackknife_se_by_hand():
    # leaving out run 0 leaves pair (1, 2): 0.6; run 1 leaves (0, 2): 0.4; run 2 leaves (0, 1): 0.2;
    # variance (3 - 1) / 3 * (0.2² + 0² + 0.2²) = 0.08 / 1.5
    values = {(0, 1): 0.2, (0, 2): 0.4, (1, 2): 0.6}
    assert selection.jackknife_se(values, 3) == pytest.approx((0.08 / 1.5) ** 0.5)
    assert selection.jackknife_se({(0, 1): 0.5, (0, 2): 0.5, (1, 2): 0.5}, 3) == 0.0
    assert np.isnan(selection.jackknife_se({(0, 1): 0.5}, 2))  # leaving one of two runs out leaves no pair


# --- the sweep's new columns -----------------------------------------------------------------------------------

FRUIT = ("apple", "banana", "cherry", "grape", "lemon", "mango", "peach", "plum")
VEHICLE = ("bus", "car", "lorry", "scooter", "taxi", "train", "tram", "van")
DOCS = [
    (f"{prefix}{i:02d}", [words[(i + j) % len(words)] for j in range(6)] * 2)
    for prefix, words in (("fruit", FRUIT), ("vehicle", VEHICLE))
    for i in range(20)
]


@cache
def clear_space():
    return vectorize(DOCS)


def test_sweep_reports_spread_and_chance():
    tokens = [tokens for _, tokens in DOCS]
    table = selection.sweep(clear_space(), tokens, [2], [0, 1, 2], engine="sklearn", top_n=8, progress=False)
    row = table.iloc[0]
    assert list(table.columns) == list(selection.SWEEP_COLUMNS) and row["n_seeds"] == 3
    assert row["stability"] == 1.0 and row["stability_se"] == 0.0  # every seed finds fruit and vehicles
    assert 0 < row["stability_chance"] < 1
    assert row["stability_excess"] == pytest.approx(1 - row["stability_chance"], abs=1e-6)
    assert row["c_npmi_se"] == pytest.approx(row["c_npmi_sd"] / 3**0.5, abs=1e-6)
    again = selection.sweep(clear_space(), tokens, [2], [0, 1, 2], engine="sklearn", top_n=8, progress=False)
    pd.testing.assert_frame_equal(table, again)
    with pytest.raises(ValueError, match="random_state"):
        selection.sweep(clear_space(), tokens, [2], [0, 1], engine="sklearn", progress=False, random_state="x")


def test_sweep_with_two_seeds_has_no_standard_error_of_stability():
    tokens = [tokens for _, tokens in DOCS]
    row = selection.sweep(clear_space(), tokens, [2], [0, 1], engine="sklearn", top_n=8, progress=False).iloc[0]
    assert row["stability"] == 1.0 and np.isnan(row["stability_se"]) and np.isnan(row["stability_excess_se"])
    assert row["stability_excess"] > 0


# --- choose_k's rule on hand-made tables ---------------------------------------------------------------------


def sweep_table(c_npmi, c_npmi_se, excess, excess_se, ks=(2, 3, 4, 5), chance=0.3, n_seeds=5) -> pd.DataFrame:
    """A sweep table with the columns choose_k reads; stability = chance + excess."""
    return pd.DataFrame(
        {
            "engine": "gensim",
            "k": list(ks),
            "c_npmi": c_npmi,
            "stability": [chance + e for e in excess],
            "c_npmi_se": c_npmi_se,
            "stability_chance": chance,
            "stability_excess": excess,
            "stability_excess_se": excess_se,
            "n_seeds": n_seeds,
        }
    )


def test_choose_k_takes_a_clear_winner():
    # K=3 leads K=4 by 0.04, more than sqrt(0.01² + 0.01²) = 0.014
    table = sweep_table([0.05, 0.10, 0.06, 0.02], [0.01] * 4, [0.2] * 4, [0.02] * 4)
    k, reason = selection.choose_k(table)
    assert k == 3
    assert reason.startswith(
        "K=3: highest mean NPMI coherence, 0.100 ± 0.010, more than one standard error above the next, "
        "K=4 with 0.060 ± 0.010 (mean ± standard error over 5 seeds). The topics of every K recur across seeds "
        "beyond chance (stability above its chance baseline by more than one standard error); "
        "K=3 has stability 0.500 against 0.300 by chance (excess 0.200 ± 0.020)."
    )


# The audit's numbers (notebook 03, gensim, 3 seeds): NPMI of K = 2, 3, 4 within 0.005 of each
# other against standard errors of 0.01 to 0.02; K = 5 is 0.023 below the best, beyond one standard error.
AUDIT = sweep_table(
    [-0.053971, -0.058980, -0.053900, -0.077356],
    [0.014878, 0.010509, 0.017508, 0.005149],
    [0.113992, 0.093530, 0.152919, 0.116692],
    [0.062863, 0.019019, 0.064645, 0.024481],
    n_seeds=3,
)


def test_choose_k_ties_within_one_standard_error_go_to_the_smallest_k():
    k, reason = selection.choose_k(AUDIT)
    assert k == 2
    assert reason.startswith(
        "K=2: K = 2, 3 and 4 are indistinguishable by NPMI coherence (K=2 -0.0540 ± 0.0149, K=3 -0.0590 ± 0.0105, "
        "K=4 -0.0539 ± 0.0175; mean ± standard error over 3 seeds): each lies within the standard error of its difference from the best, "
        "so none is clearly better; chose K=2, the smallest, by the one-standard-error rule"
    )


def test_regression_reason_compared_npmi_of_minus_0_054_with_minus_0_054():
    # the printed reason quoted -0.054 for both K=2 (-0.053971) and K=4 (-0.053900)
    reason = selection.choose_k(AUDIT)[1]
    assert "-0.0540" in reason and "-0.0539" in reason and "-0.054 " not in reason
    legacy = AUDIT[["k", "c_npmi", "stability"]].assign(stability=[0.55, 0.45, 0.46, 0.41])
    k, reason = selection.choose_k(legacy, 0.5)  # a table written before the chance baseline existed
    assert k == 2 and "-0.0540" in reason and "The highest NPMI of all, -0.0539, is at K=4" in reason


def test_choose_k_without_spread_breaks_only_exact_ties():
    table = sweep_table([0.10, 0.10, 0.0999, 0.02], [np.nan] * 4, [0.2] * 4, [np.nan] * 4, n_seeds=2)
    k, reason = selection.choose_k(table)
    assert k == 2
    assert reason.startswith(
        "K=2: K = 2 and 3 are indistinguishable by NPMI coherence (K=2 0.100, K=3 0.100; mean over 2 seeds): "
        "their means are equal, so none is clearly better; chose K=2, the smallest"
    )


def test_choose_k_excludes_k_whose_topics_recur_no_more_than_chance():
    # K=4 has the best NPMI, but its excess (0.03) is within one standard error (0.05) of chance
    table = sweep_table([0.05, 0.06, 0.20, 0.02], [0.01] * 4, [0.2, 0.2, 0.03, 0.2], [0.02, 0.02, 0.05, 0.02])
    k, reason = selection.choose_k(table)
    assert k == 2
    assert "Candidates were K = 2, 3 and 5, whose topics recur across seeds beyond chance" in reason
    assert "The highest NPMI of all, 0.200 ± 0.010, is at K=4, whose topics do not recur beyond chance." in reason
    # min_excess raises the bar: 0.2 - 0.02 is not above 0.19, so no K qualifies
    k, reason = selection.choose_k(table, min_excess=0.19)
    assert k == 4 and "No K's topics recur across seeds beyond chance" in reason
    assert "by more than 0.19 plus one standard error" in reason


def test_choose_k_says_so_when_nothing_recurs_beyond_chance():
    table = sweep_table([0.05, 0.10, 0.06, 0.02], [0.01] * 4, [0.01, 0.03, -0.02, 0.0], [0.02, 0.04, 0.03, 0.02])
    k, reason = selection.choose_k(table)
    assert k == 3
    assert (
        "No K's topics recur across seeds beyond chance (stability above its chance baseline by more than one "
        "standard error; the largest excess, 0.030 ± 0.040, is at K=3), so every K was a candidate" in reason
    )


def test_choose_k_names_the_only_candidate_and_a_stability_floor():
    table = sweep_table([0.05, 0.10, 0.06, 0.02], [0.01] * 4, [0.3, 0.1, 0.1, 0.1], [0.02] * 4)
    k, reason = selection.choose_k(table, min_stability=0.5)
    assert k == 2
    assert reason.startswith(
        "K=2: the only K whose topics recur across seeds beyond chance (stability above its chance baseline by more "
        "than one standard error, and stability ≥ 0.5): stability 0.600 against 0.300 by chance (excess 0.300 ± 0.020)"
    )
    assert "The highest NPMI of all, 0.100 ± 0.010, is at K=3, whose stability is below 0.5." in reason


def test_choose_k_with_one_seed_judges_npmi_alone():
    table = sweep_table([0.05, 0.10, 0.06, 0.02], [np.nan] * 4, [np.nan] * 4, [np.nan] * 4, n_seeds=1)
    k, reason = selection.choose_k(table.assign(stability_chance=np.nan, stability=np.nan))
    assert k == 3 and "stability was not measured (it needs at least two seeds)" in reason


def test_choose_k_keeps_its_signature():
    assert selection.choose_k(AUDIT, 0.5) == selection.choose_k(AUDIT, min_stability=0.5)
    with pytest.raises(TypeError):
        selection.choose_k(AUDIT, 0.5, 0.1)  # min_excess is keyword-only


# --- the sweep figure ------------------------------------------------------------------------------------------


def test_sweep_plot_draws_error_bars_and_the_chance_baseline():
    from matplotlib.container import ErrorbarContainer

    from analysis.report import plots

    table = pd.concat([AUDIT.assign(stability_se=0.03), AUDIT.assign(engine="sklearn", stability_se=0.02)])
    metrics = {"c_npmi": "NPMI", "stability": "stability", "stability_excess": "excess"}
    figure = plots.sweep_plot(table, 2, metrics, chosen_on="gensim")
    npmi, stability, excess = figure.axes[:3]
    assert sum(isinstance(c, ErrorbarContainer) and c.has_yerr for c in npmi.containers) == 2
    dotted = [line for line in stability.get_lines() if line.get_linestyle() == ":"]
    assert len(dotted) == 2 and list(dotted[0].get_ydata()) == [0.3] * 4  # each engine's chance baseline
    assert [t.get_text() for t in stability.get_legend().get_texts()] == ["expected by chance"]
    assert any(line.get_linestyle() == ":" and list(line.get_ydata()) == [0, 0] for line in excess.get_lines())
    assert "± 1 standard error over seeds" in figure._suptitle.get_text()


def test_sweep_plot_of_a_table_without_spread_draws_plain_lines():
    from analysis.report import plots

    table = AUDIT[["engine", "k", "c_npmi", "stability"]]
    figure = plots.sweep_plot(table, 2, {"c_npmi": "NPMI", "stability": "stability"})
    assert not any(c.has_yerr for ax in figure.axes for c in ax.containers)
    assert figure.axes[1].get_legend() is None and "standard error" not in figure._suptitle.get_text()
