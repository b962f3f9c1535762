"""Figures over time for notebook 05: articles per period, rates and shares with bands, first and last use.

The same house style and helpers as :mod:`analysis.report.plots` (data in, Figure out).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from analysis.report.plots import (  # the house style and its helpers, shared with every figure
    MAX_BARS,
    MAX_PANELS,
    NEUTRAL,
    POSITIVE,
    _figure,
    _title,
    _with_note,
    grid_shape,
    short_label,
    style,
    subset_note,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Most period labels written along one time axis (the others are left as unlabelled ticks).
MAX_PERIOD_LABELS = 14


def _period_ticks(ax: Axes, labels: Sequence[str], most: int = MAX_PERIOD_LABELS) -> None:
    """Label every ``k``-th period of a categorical time axis, so that at most ``most`` labels show."""
    step = max(1, math.ceil(len(labels) / most))
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels([str(label) if i % step == 0 else "" for i, label in enumerate(labels)])
    if len(labels) > 6 or max((len(str(label)) for label in labels), default=0) > 7:
        ax.tick_params(axis="x", labelrotation=45)
        for text in ax.get_xticklabels():
            text.set_horizontalalignment("right")
            text.set_rotation_mode("anchor")


def period_bars(
    periods: Sequence[str], values: Sequence[float], title: str, ylabel: str, xlabel: str = "period"
) -> Figure:
    """Vertical bars over time, one per period in the order given (empty periods as gaps).

    Parameters
    ----------
    periods : sequence of str
        Period labels, oldest first.
    values : sequence of float
        One value per period.
    title, ylabel, xlabel : str
        Figure title and axis labels.

    Returns
    -------
    matplotlib.figure.Figure
        Sized from the number of periods; each bar carries its value when there are at most 40.
    """
    labels, heights = [str(p) for p in periods], [float(v) for v in values]
    with style():
        figure = _figure(min(16.0, max(6.5, 1.5 + 0.3 * len(labels))), 4.2)
        ax = figure.add_subplot()
        ax.bar(range(len(labels)), heights, color=POSITIVE, width=0.8)
        if len(labels) <= MAX_BARS:
            for x, value in enumerate(heights):
                text = f"{value:,.0f}" if value.is_integer() else f"{value:.3g}"
                ax.annotate(text, (x, value), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
        _period_ticks(ax, labels)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_xlim(-0.6, len(labels) - 0.4)
        ax.margins(y=0.1)
        ax.grid(True, axis="y")
        _title(figure, ax, short_label(title, 100, 2))
    return figure


def period_lines(
    table: pd.DataFrame,
    panel: str,
    value: str,
    low: str,
    high: str,
    title: str,
    ylabel: str,
    band_label: str,
    panel_titles: Mapping[object, str] | None = None,
    highlight: str | None = None,
    xlabel: str = "period",
    max_columns: int = 3,
    max_panels: int = MAX_PANELS,
) -> Figure:
    """Small multiples of one line over time each (a term's rate, a topic's share) with a band.

    Every panel has the same periods (the ``period`` column, in table order) and its own
    y scale from 0, so that each line's shape is legible; compare levels in the axis numbers.
    A period without a band (too few articles) shows its point alone; an empty period
    leaves a gap.

    Parameters
    ----------
    table : pandas.DataFrame
        Tidy rows ``period, <panel>, <value>, <low>, <high>``, periods in time order.
    panel, value, low, high : str
        Columns: what a panel is, the line, and the band's bounds.
    title, ylabel : str
        Figure title and y-axis label of every panel.
    band_label : str
        What the band is, for the legend ("95% bootstrap interval over articles").
    panel_titles : mapping, optional
        Panel key to a readable title (topic labels); the key itself otherwise.
    highlight : str, optional
        A period shaded in every panel (the one compared with the rest).
    xlabel : str
        Label of the time axis.
    max_columns, max_panels : int
        Widest grid, and most panels drawn (the first ones in table order; the title says so).

    Returns
    -------
    matplotlib.figure.Figure
        A grid sized from the number of panels.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    keys = list(dict.fromkeys(table[panel]))
    if len(keys) > max_panels:
        title = _with_note(title, subset_note(max_panels, len(keys), "panels", "the first in table order"))
        keys = keys[:max_panels]
    periods = [str(p) for p in dict.fromkeys(table["period"])]
    position = {p: i for i, p in enumerate(periods)}
    rows, columns = grid_shape(len(keys), max_columns)
    with style():
        figure = _figure(4.3 * columns, 2.9 * rows + 1.0)
        axes = figure.subplots(rows, columns, squeeze=False)
        for ax, key in zip(axes.flat, keys):
            rows_of = table[table[panel] == key]
            xs = [position[str(p)] for p in rows_of["period"]]
            if highlight is not None and highlight in position:
                ax.axvspan(position[highlight] - 0.5, position[highlight] + 0.5, color="#eeeeee", zorder=0)
            ax.fill_between(xs, rows_of[low], rows_of[high], color=POSITIVE, alpha=0.2, linewidth=0)
            ax.plot(xs, rows_of[value], color=POSITIVE, marker="o", markersize=3.5, linewidth=1.4)
            ax.set_title(short_label(str((panel_titles or {}).get(key, key)), 38, 2), loc="left", fontsize=9.5)
            _period_ticks(ax, periods, most=8 if columns > 1 else MAX_PERIOD_LABELS)
            ax.set_xlim(-0.5, len(periods) - 0.5)
            ax.set_ylim(bottom=0)
            ax.set_ylabel(ylabel, fontsize=8.5)
            ax.grid(True, axis="y")
        for ax in list(axes.flat)[len(keys) :]:
            ax.set_visible(False)
        for column in range(columns):  # the time axis is named under the lowest panel of each column
            lowest = max(r for r in range(rows) if r * columns + column < len(keys)) if column < len(keys) else None
            if lowest is not None:
                axes[lowest, column].set_xlabel(xlabel, fontsize=9)
        handles = [Line2D([], [], color=POSITIVE, marker="o", markersize=3.5), Patch(color=POSITIVE, alpha=0.2)]
        names = ["estimate per period", band_label]
        if highlight is not None:
            handles.append(Patch(color="#eeeeee"))
            names.append(f"{highlight}: the period compared with the rest")
        figure.legend(handles, names, loc="outside lower center", ncols=len(names), fontsize=8.5)
        figure.suptitle(title, x=0.01, ha="left")
    return figure


def _date_ticks(first: pd.Timestamp, last: pd.Timestamp, most: int = 8) -> list[pd.Timestamp]:
    """Evenly thinned first days of years, months or Mondays between two days (digits only: no locale)."""
    import pandas as pd

    days = (last - first).days
    frequency = "YS" if days > 3 * 365 else "MS" if days > 92 else "W-MON"
    ticks = list(pd.date_range(first.normalize(), last, freq=frequency)) or [first]
    step = max(1, math.ceil(len(ticks) / most))
    return ticks[::step]


def appearance_plot(timeline: pd.DataFrame, terms: Sequence[str], title: str) -> Figure:
    """When each term was used: a dot per dated article using it, a line from first to last use.

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``term, date, n`` (:func:`analysis.stats.periods.term_timeline`).
    terms : sequence of str
        Rows from top to bottom (at most :data:`MAX_BARS`; the title says when cut).
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One row per term; dot area grows with the term's count in the article.
    """
    terms = list(dict.fromkeys(terms))
    if len(terms) > MAX_BARS:
        title = _with_note(title, subset_note(MAX_BARS, len(terms), "terms", "the first given"))
        terms = terms[:MAX_BARS]
    first, last = timeline["date"].min(), timeline["date"].max()
    with style():
        figure = _figure(9.5, 1.6 + 0.42 * len(terms))
        ax = figure.add_subplot()
        for y, term in zip(range(len(terms))[::-1], terms):
            uses = timeline[timeline["term"] == term]
            if uses.empty:
                continue
            days = [(d - first).days for d in uses["date"]]
            ax.plot([days[0], days[-1]], [y, y], color=NEUTRAL, linewidth=1.5, zorder=1)
            sizes = [10 + 9 * float(n) ** 0.75 for n in uses["n"]]
            ax.scatter(days, [y] * len(days), s=sizes, color=POSITIVE, alpha=0.75, linewidths=0, zorder=2)
        ax.set_yticks(range(len(terms))[::-1], [short_label(t, 28, 1) for t in terms])
        ticks = _date_ticks(first, last)
        ax.set_xticks([(t - first).days for t in ticks], [f"{t.year:04d}-{t.month:02d}-{t.day:02d}" for t in ticks])
        ax.set_xlim(-0.03 * max((last - first).days, 1), 1.03 * max((last - first).days, 1))
        ax.set_xlabel("date of the article (dot area: the term's count in it)")
        ax.grid(True, axis="x")
        _title(figure, ax, short_label(title, 100, 2))
    return figure
