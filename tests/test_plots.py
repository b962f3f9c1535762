"""Figures: one style, sized from the data, labels that never overlap, reproducible files."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis import io as aio
from analysis import plots


@pytest.mark.parametrize(("n", "shape"), [(1, (1, 1)), (2, (1, 2)), (4, (2, 2)), (5, (2, 3)), (10, (4, 3))])
def test_grid_shape_follows_the_data(n, shape):
    assert plots.grid_shape(n) == shape


def test_short_label_wraps_and_cuts():
    assert plots.short_label("a b c", 10) == "a b c"
    label = plots.short_label("International Day of the Victims of Enforced Disappearances and Iran’s 1988 Massacre", 20, 2)
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
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


def test_piles_count_terms_sharing_a_position():
    table = pd.DataFrame({"term": list("abcd"), "px": [0.5, 0.5, 0.5, 0.9], "py": [0.5, 0.5, 0.5, 0.1], "z": [1.0, 3.0, 2.0, 0.0]})
    pile = plots.piles(table, "px", "py", "z")
    assert pile.values.tolist() == [[0.5, 0.5, 3, 2.0], [0.9, 0.1, 1, 0.0]]


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
