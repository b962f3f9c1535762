"""Figures: one style, sized from the data, labels that never overlap, reproducible files."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis import io as aio
from analysis.pipeline.workflow import ArticleLabel
from analysis.report import plots


@pytest.mark.parametrize(("n", "shape"), [(1, (1, 1)), (2, (1, 2)), (4, (2, 2)), (5, (2, 3)), (10, (4, 3))])
def test_grid_shape_follows_the_data(n, shape):
    assert plots.grid_shape(n) == shape


def test_short_label_wraps_and_cuts():
    assert plots.short_label("a b c", 10) == "a b c"
    label = plots.short_label(
        "International Day of the Victims of Enforced Disappearances and Iran’s 1988 Massacre", 20, 2
    )
    lines = label.split("\n")
    assert len(lines) == 2 and all(len(line) <= 20 for line in lines) and lines[-1].endswith("…")


def test_small_multiples_one_panel_per_group():
    table = pd.DataFrame({"doc": ["a"] * 3 + ["b"] * 3 + ["c"] * 3, "term": list("xyzxyzxyz"), "w": range(9)})
    figure = plots.small_multiples(table, "doc", "term", "w", "Title", "weight", {"a": "Article A"})
    visible = [ax for ax in figure.axes if ax.get_visible()]
    assert len(visible) == 3
    assert visible[0].get_title(loc="left") == "Article A"


def test_placed_labels_never_overlap():
    figure = Figure(figsize=(4, 4))
    ax = figure.add_subplot()
    xs = [0.5 + 0.001 * i for i in range(30)]
    ax.scatter(xs, xs)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    placed = plots.place_labels(figure, ax, xs, xs, [f"term{i}" for i in range(30)], fontsize=8)
    assert 0 < placed < 30  # crowded points: some labels are left out rather than overlapped
    renderer = FigureCanvasAgg(figure).get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) == placed
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def test_saved_figures_are_reproducible_and_carry_no_dates(tmp_path):
    def draw():
        return plots.bar_chart(["a", "b"], [3, 1], "Title", "count")

    first = aio.save_figure(draw(), tmp_path / "one", "chart")
    second = aio.save_figure(draw(), tmp_path / "two", "chart")
    assert [p.name for p in first] == ["chart.png", "chart.svg"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()
    svg = first[1].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert b"Software" not in first[0].read_bytes()


# --- large corpora: charts cut to a stated subset, small ones untouched -----------------------


def _suptitle(figure: Figure) -> str:
    """The figure title with line breaks read as spaces (notes are wrapped to the figure's width)."""
    return " ".join(figure._suptitle.get_text().split()) if figure._suptitle is not None else ""


def _ytick_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def test_largest_orders_by_value_then_position_and_puts_nan_last():
    assert plots.largest([3, 9, 3, float("nan"), 9], 4) == [1, 4, 0, 2]
    assert plots.largest([1, 2], 5) == [1, 0]


def test_round_robin_takes_each_columns_highest_in_turn():
    frame = pd.DataFrame({"x": [9, 8, 7, 0, 0], "y": [0, 0, 1, 5, 6]})
    assert plots.round_robin(frame, 3) == [0, 4, 1]  # x's best, y's best, x's second
    assert plots.round_robin(frame, 10) == [0, 4, 1, 3, 2]


def test_bar_chart_of_100_articles_shows_the_40_longest_and_says_so():
    titles = pd.Series([f"article {i}" for i in range(100)], name="title")
    lengths = pd.Series([(i * 37) % 100 for i in range(100)])  # a permutation of 0..99
    figure = plots.bar_chart(titles, lengths, "Body length", "words in the body")
    ax = figure.axes[0]
    shown = _ytick_texts(ax)
    assert len(shown) == plots.MAX_BARS == 40
    expected = [f"article {i}" for i in sorted(range(100), key=lambda i: -lengths[i])[:40]]
    assert shown == expected  # largest first, drawn on top
    assert "40 of 100 articles shown: the largest by words in the body" in _suptitle(figure)


def test_bar_chart_up_to_the_limit_is_drawn_whole_with_a_one_line_title():
    figure = plots.bar_chart([f"t{i}" for i in range(40)], list(range(40)), "Terms", "count")
    assert len(_ytick_texts(figure.axes[0])) == 40
    assert figure.axes[0].get_title(loc="left") == "Terms" and _suptitle(figure) == ""


def test_stacked_bars_keep_the_rows_with_the_largest_totals():
    frame = pd.DataFrame(
        {"caption": [i % 7 for i in range(100)], "chrome": [i % 5 for i in range(100)]},
        index=pd.Index([f"a{i}" for i in range(100)], name="title"),
    )
    figure = plots.stacked_bars(frame, "Removed", "lines removed", max_bars=10)
    totals = frame.sum(axis=1)
    expected = sorted(range(100), key=lambda i: (-totals.iloc[i], i))[:10]
    assert _ytick_texts(figure.axes[0]) == [f"a{i}" for i in expected]
    assert "10 of 100 articles shown" in _suptitle(figure)


def test_small_multiples_of_100_articles_keep_the_panels_with_the_largest_bars_in_table_order():
    table = pd.DataFrame(
        {
            "doc_id": [f"d{i:03d}" for i in range(100) for _ in range(2)],
            "term": ["x", "y"] * 100,
            "g2": [v for i in range(100) for v in ((i * 53) % 100, -1.0)],
        }
    )
    figure = plots.small_multiples(table, "doc_id", "term", "g2", "Key terms", "G²", max_panels=12)
    titles = [ax.get_title(loc="left") for ax in figure.axes if ax.get_visible()]
    strongest = sorted(range(100), key=lambda i: -((i * 53) % 100))[:12]
    assert titles == [f"d{i:03d}" for i in sorted(strongest)]
    assert "12 of 100 articles shown: those with the largest G²" in _suptitle(figure)


def test_article_heatmap_of_100_articles_shows_each_columns_top_articles():
    ids = [f"d{i}" for i in range(100)]
    frame = pd.DataFrame({"x": [float(i) for i in range(100)], "y": [float(99 - i) for i in range(100)]}, index=ids)
    labels = {d: f"{i + 1} · {d}" for i, d in enumerate(ids)}
    figure = plots.article_heatmap(frame, labels, "Use of terms", "per 1,000", max_rows=4)
    assert _ytick_texts(figure.axes[0]) == ["1 · d0", "2 · d1", "99 · d98", "100 · d99"]
    assert "4 of 100 articles shown" in _suptitle(figure)


def test_similarity_heatmap_of_100_articles_keeps_the_most_similar_pairs():
    import numpy as np

    ids = [f"d{i}" for i in range(100)]
    values = np.full((100, 100), 0.1)
    values[10, 20] = values[20, 10] = 0.9
    values[30, 40] = values[40, 30] = 0.8
    np.fill_diagonal(values, 1.0)
    frame = pd.DataFrame(values, index=ids, columns=ids)
    labels = {d: ArticleLabel(i + 1, d) for i, d in enumerate(ids)}
    figure = plots.article_heatmap(frame, labels, "Similarity", "cosine", max_rows=4)
    assert _ytick_texts(figure.axes[0]) == ["11 · d10", "21 · d20", "31 · d30", "41 · d40"]
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["11", "21", "31", "41"]
    assert "those in the most similar pairs" in _suptitle(figure)


def test_a_precut_similarity_matrix_names_its_rule_and_the_corpus_size():
    frame = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["a", "b"], columns=["a", "b"])
    frame.attrs["subset"] = "those in the most similar pairs"
    labels = {d: f"{i + 1} · {d}" for i, d in enumerate(["a", "b", "c"])}
    assert "2 of 3 articles shown: those in the most similar pairs" in _suptitle(
        plots.article_heatmap(frame, labels, "S", "cosine")
    )


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (3, [1, 2, 3]),
        (100, [1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]),
        (10_000, [1, *range(1000, 10_001, 1000)]),
        (41, [1, 5, 10, 15, 20, 25, 30, 35, 40]),
    ],
)
def test_article_ticks(n, expected):
    assert plots.article_ticks(n) == expected


def test_dispersion_plot_of_many_articles_draws_no_boundaries():
    spans = pd.DataFrame(
        {"doc_id": [f"d{i}" for i in range(100)], "start": range(0, 1000, 10), "end": range(10, 1010, 10)}
    )
    occurrences = pd.DataFrame({"term": ["x", "x"], "offset": [5, 995]})
    many = plots.dispersion_plot(occurrences, spans, ["x"], "Where")
    assert not many.axes[0].lines  # no dotted line per article
    assert "100 articles: boundaries not drawn" in many.axes[0].get_title(loc="left")
    few = plots.dispersion_plot(occurrences, spans.head(5).assign(end=lambda f: f["end"]), ["x"], "Where")
    assert len(few.axes[0].lines) == 4


# --- the group comparison: Fightin' Words layout, labels clear of each other --------------------


def _group_table(n_a: int, n_b: int, seed: int = 0) -> pd.DataFrame:
    import numpy as np

    from analysis.pipeline.vectors import vectorize
    from analysis.stats import compare_groups

    rng = np.random.default_rng(seed)
    words = np.array([f"term{j}" for j in range(60)])
    favoured = {True: np.arange(60) < 10, False: (np.arange(60) >= 10) & (np.arange(60) < 20)}
    docs = []
    for i in range(n_a + n_b):
        weights = 1.0 + 4.0 * favoured[i < n_a]  # the first 10 words are A's, the next 10 B's
        docs.append((f"d{i:03d}", list(rng.choice(words, size=80, p=weights / weights.sum()))))
    return compare_groups(vectorize(docs), [i < n_a for i in range(n_a + n_b)], permutations=500, random_state=0)


def test_group_scatter_names_its_quantities_and_labels_never_overlap():
    table = _group_table(8, 12)
    figure = plots.group_scatter(table, "group A", "group B", n_labels=8)
    ax = figure.axes[0]
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    found_a = int(((table["p_perm"] < 0.05) & (table["z"] > 0)).sum())
    assert f"p_perm < 0.05, more in group A ({found_a} terms)" in legend
    assert any(text.startswith("p_perm ≥ 0.05") for text in legend)
    assert ax.get_ylabel().startswith("log-odds z") and "log scale" in ax.get_xlabel()
    assert "permutation test over 500 random splits of the 20 documents" in ax.get_title(loc="left").replace("\n", " ")
    renderer = FigureCanvasAgg(figure).get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert 8 <= len(boxes) <= 16
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
    # no label covers the point of a labelled term
    points = {row.term: (row.n_a + row.n_b, row.z) for row in table.itertuples()}
    centres = [ax.transData.transform(points[t.get_text()]) for t in ax.texts]
    assert not any(box.contains(x, y) for box in boxes for x, y in centres)


def test_group_scatter_refuses_groups_too_small_with_the_one_line_note():
    table = _group_table(2, 10)
    with pytest.raises(ValueError, match="'tagged' has 2 articles against 10 in 'the rest'"):
        plots.group_scatter(table, "tagged", "the rest")
    assert plots.group_scatter(table, "tagged", "the rest", min_docs=2).axes


def test_group_scatter_needs_the_permutation_test():
    table = _group_table(5, 5)
    with pytest.raises(ValueError, match="permutation test"):
        plots.group_scatter(table.drop(columns="p_perm"), "a", "b")


def test_each_removal_reason_has_its_own_colour():
    from analysis.ingest.reasons import RemovalReason

    reasons = [str(reason) for reason in RemovalReason]
    lines = pd.DataFrame([[1] * len(reasons)], columns=reasons, index=["An article"])
    figure = plots.removal_chart(lines, pd.DataFrame())
    bars = figure.axes[0].containers
    colours = [tuple(container.patches[0].get_facecolor()) for container in bars]
    assert len(colours) == len(reasons) >= 9
    assert len(set(colours)) == len(colours)
