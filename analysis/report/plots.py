"""Figures: data in, a matplotlib ``Figure`` out. Nothing here saves or shows.

Every function draws inside the one style file (``data/figures.mplstyle``: fonts, sizes,
the Okabe–Ito colour-blind-safe palette) and builds a ``Figure`` object directly, without
pyplot's global state, so that notebooks can re-run cells freely. Grids are sized from the
data, long labels are wrapped, and titles say what is shown; interpretation belongs in the
notebook prose. Save with :func:`analysis.io.save_figure`.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from analysis.paths import DATA

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STYLE = DATA / "figures.mplstyle"
#: Blue for "more in this article/group", vermillion for "less" (Okabe–Ito).
POSITIVE, NEGATIVE, NEUTRAL = "#0072B2", "#D55E00", "#BBBBBB"

# Legibility limits. A chart with more items than these shows a stated, deterministic
# subset and says so in its title ("40 of 10,000 articles shown: ..."); below them every
# item is drawn exactly as given. Tables are never cut here: that is the caller's choice.
#: Bars in one bar chart (about 15 inches of 0.36-inch bars).
MAX_BARS = 40
#: Rows of a heatmap (article × term, article × topic, article × article).
MAX_HEATMAP_ROWS = 60
#: Panels of small multiples (eight rows of three; a topic model with up to 24 topics is shown whole).
MAX_PANELS = 24
#: Articles whose boundaries a dispersion plot draws and numbers one by one.
MAX_DISPERSION_ARTICLES = 40
#: Column or index names whose rows are articles, so that a subset note says "articles".
ARTICLE_KEYS = ("doc_id", "article_id", "id", "title")


@contextmanager
def style() -> Iterator[None]:
    """Apply the project's figure style inside a ``with`` block."""
    import matplotlib.style

    with matplotlib.style.context(STYLE):
        yield


def short_label(text: str, width: int = 34, lines: int = 2) -> str:
    """Wrap a long label onto at most ``lines`` lines of ``width`` characters, with an ellipsis.

    Parameters
    ----------
    text : str
        A title or term.
    width : int
        Characters per line.
    lines : int
        Maximum number of lines.

    Returns
    -------
    str
        The wrapped label.
    """
    wrapped = textwrap.wrap(" ".join(text.split()), width=width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: max(0, width - 1)].rstrip() + "…"
    return "\n".join(wrapped)


def grid_shape(n_panels: int, max_columns: int = 3) -> tuple[int, int]:
    """Rows and columns for ``n_panels`` small multiples.

    Parameters
    ----------
    n_panels : int
        Number of panels (at least 1).
    max_columns : int
        Widest grid allowed.

    Returns
    -------
    tuple of int
        ``(rows, columns)``: one column for one panel, two up to four panels, else
        ``max_columns``.
    """
    columns = 1 if n_panels == 1 else 2 if n_panels <= 4 else max_columns
    return math.ceil(n_panels / columns), columns


def largest(values: Sequence[float], n: int) -> list[int]:
    """Positions of the ``n`` largest values, largest first, ties by position.

    NaN counts as smaller than any number, so missing values are picked last.

    Parameters
    ----------
    values : sequence of float
        One score per item.
    n : int
        How many positions (all of them when there are fewer items).

    Returns
    -------
    list of int
        Positions into ``values``.
    """
    import numpy as np

    scores = np.asarray(values, dtype=float)
    scores = np.where(np.isnan(scores), -np.inf, scores)
    order = np.lexsort((np.arange(len(scores)), -scores))  # last key first: score descending, then position
    return [int(i) for i in order[: max(int(n), 0)]]


def round_robin(frame: pd.DataFrame, n: int) -> list[int]:
    """Row positions chosen column by column: each column's highest row in turn, then the second...

    So a heatmap cut to ``n`` rows still shows, for every column, the rows where it is
    highest, instead of ``n`` rows that all peak in the same column.

    Parameters
    ----------
    frame : pandas.DataFrame
        Numbers; rows are the candidates.
    n : int
        How many rows (all of them when there are fewer).

    Returns
    -------
    list of int
        Distinct row positions, in the order they were picked (ties by row position, NaN last).
    """
    rankings = [largest(frame.iloc[:, j].tolist(), len(frame)) for j in range(frame.shape[1])]
    chosen: dict[int, None] = {}
    for depth in range(len(frame)):
        for ranking in rankings:
            if len(chosen) >= n:
                return list(chosen)
            chosen.setdefault(ranking[depth], None)
    return list(chosen)[:n]


def subset_note(shown: int, total: int, noun: str, rule: str) -> str:
    """The line a cut chart carries: ``"40 of 10,000 articles shown: the longest"``.

    Parameters
    ----------
    shown, total : int
        Items drawn and items given.
    noun : str
        What the items are, in the plural.
    rule : str
        How the shown items were chosen.

    Returns
    -------
    str
        The note.
    """
    return f"{shown:,} of {total:,} {noun} shown: {rule}"


def _with_note(title: str, note: str, width: int = 80) -> str:
    """The title with a subset note wrapped onto the lines below it."""
    return "\n".join([title, *textwrap.wrap(note, width=width)])


def _noun(*names: object, default: str = "items") -> str:
    """ "articles" when one of the names (a column or index name) says its rows are articles."""
    return "articles" if any(name in ARTICLE_KEYS for name in names if isinstance(name, str)) else default


def _title(figure: Figure, ax: Axes, title: str) -> None:
    """One-line titles above the axes; longer ones (a subset note) across the whole figure."""
    if "\n" in title:
        figure.suptitle(title, x=0.01, ha="left")
    else:
        ax.set_title(title, loc="left")


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    title: str,
    xlabel: str,
    color: str = POSITIVE,
    max_bars: int = MAX_BARS,
    noun: str | None = None,
) -> Figure:
    """Horizontal bars, first label on top, each bar annotated with its value.

    With more than ``max_bars`` bars, only the ``max_bars`` largest values are drawn,
    largest on top (ties in the order given), and the title says so.

    Parameters
    ----------
    labels : sequence of str
        Bar labels (wrapped when long).
    values : sequence of float
        Bar lengths.
    title, xlabel : str
        Figure title and x-axis label.
    color : str
        Bar colour.
    max_bars : int
        Most bars drawn.
    noun : str, optional
        What a bar is, in the plural, for the note on a cut chart; "articles" when
        ``labels`` is a Series named like an article column (``title``, ``doc_id``), else "bars".

    Returns
    -------
    matplotlib.figure.Figure
        The chart.
    """
    if len(labels) > max_bars:
        noun = noun or _noun(getattr(labels, "name", None), default="bars")
        labels, values = list(labels), list(values)
        keep = largest(values, max_bars)
        title = _with_note(title, subset_note(len(keep), len(labels), noun, f"the largest by {xlabel}"))
        labels, values = [labels[i] for i in keep], [values[i] for i in keep]
    with style():
        figure = _figure(8, 1.2 + 0.36 * len(labels))
        ax = figure.add_subplot()
        positions = range(len(labels))[::-1]
        ax.barh(list(positions), list(values), color=color)
        ax.set_yticks(list(positions), [short_label(str(l), 48, 1) for l in labels])
        for y, value in zip(positions, values):
            ax.annotate(
                f"{value:,.0f}" if float(value).is_integer() else f"{value:.3g}",
                (value, y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        ax.set_xlabel(xlabel)
        _title(figure, ax, title)
        ax.margins(x=0.08)
    return figure


def small_multiples(
    table: pd.DataFrame,
    panel: str,
    label: str,
    value: str,
    title: str,
    xlabel: str,
    panel_titles: Mapping[str, str] | None = None,
    color_by_sign: bool = False,
    max_columns: int = 3,
    panel_notes: Mapping[str, str] | None = None,
    max_panels: int = MAX_PANELS,
    noun: str | None = None,
) -> Figure:
    """One horizontal bar panel per group (article, topic), rows in table order, first on top.

    With more than ``max_panels`` groups, only the ``max_panels`` groups holding the
    largest bars (by absolute value; ties in table order) are drawn, in table order, and
    the title says so.

    Parameters
    ----------
    table : pandas.DataFrame
        Tidy rows: one per bar.
    panel, label, value : str
        Columns naming the panel, the bar label and the bar length.
    title, xlabel : str
        Figure title and x-axis label of every panel.
    panel_titles : mapping, optional
        Panel key to a readable title (article titles); the key itself otherwise.
    color_by_sign : bool
        Colour negative bars differently (keyness).
    max_columns : int
        Widest grid.
    panel_notes : mapping, optional
        Panel key to a note printed in small type under the panel (e.g. hidden ties).
    max_panels : int
        Most panels drawn.
    noun : str, optional
        What a panel is, in the plural, for the note on a cut figure; "articles" when
        ``panel`` is an article column (``doc_id``), else "panels".

    Returns
    -------
    matplotlib.figure.Figure
        A grid sized from the number of panels.
    """
    keys = list(dict.fromkeys(table[panel]))
    if len(keys) > max_panels:
        peaks = table[value].abs().groupby(table[panel], sort=False).max()
        kept = set(peaks.index[largest(peaks.tolist(), max_panels)])
        rule = f"those with the largest {xlabel}"
        title = _with_note(title, subset_note(len(kept), len(keys), noun or _noun(panel, default="panels"), rule))
        keys = [k for k in keys if k in kept]
        table = table[table[panel].isin(kept)]
    rows, columns = grid_shape(len(keys), max_columns)
    bars = max(int(table.groupby(panel).size().max()), 1)
    with style():
        figure = _figure(4.2 * columns, rows * (0.9 + 0.2 * bars) + 0.6)
        axes = figure.subplots(rows, columns, squeeze=False)
        for ax, key in zip(axes.flat, keys):
            rows_of = table[table[panel] == key]
            positions = list(range(len(rows_of)))[::-1]
            values = rows_of[value].tolist()
            colours = [POSITIVE if v >= 0 or not color_by_sign else NEGATIVE for v in values]
            ax.barh(positions, values, color=colours)
            ax.set_yticks(positions, [short_label(str(t), 28, 1) for t in rows_of[label]])
            heading = (panel_titles or {}).get(key, str(key))
            ax.set_title(short_label(heading, 32, 2), loc="left", fontsize=9.5)
            note = (panel_notes or {}).get(key)
            ax.set_xlabel(f"{xlabel}\n{note}" if note else xlabel, fontsize=8.5)
            ax.tick_params(axis="y", labelsize=8.5)
        for ax in list(axes.flat)[len(keys) :]:
            ax.set_visible(False)
        figure.suptitle(title, x=0.01, ha="left")
    return figure


#: x-axis label of :func:`key_terms_chart` per score it can draw.
KEY_TERM_SCORES = {"log_ratio": "log ratio (1 = twice as frequent)", "lrc": "LRC (conservative log ratio)"}


def key_terms_chart(
    rows: pd.DataFrame,
    caption: str,
    title: str,
    panel_titles: Mapping[str, str] | None = None,
    panel_notes: Mapping[str, str] | None = None,
    value: str = "log_ratio",
) -> Figure:
    """Each article's chosen key terms as bars of their effect size, the selection rule under the title.

    Draws :func:`analysis.stats.keyterms.select_key_terms`' rows with :func:`small_multiples`:
    terms the article uses more than the rest in blue, less in vermillion. Articles without
    an eligible term have no panel, which the caption counts; when no article has one, the
    figure says so instead of drawing empty axes.

    Parameters
    ----------
    rows : pandas.DataFrame
        The chosen rows (``doc_id``, ``term`` and ``value``), in drawing order.
    caption : str
        The selection rule in words, wrapped under the title.
    title : str
        What the figure shows.
    panel_titles, panel_notes : mapping, optional
        As in :func:`small_multiples` (article titles; notes on hidden ties).
    value : str
        The score drawn: ``"log_ratio"`` or ``"lrc"``.

    Returns
    -------
    matplotlib.figure.Figure
        The chart.
    """
    heading = _with_note(title, caption, width=110)
    if len(rows) == 0:
        with style():
            figure = _figure(8, 1.6)
            ax = figure.add_subplot()
            ax.axis("off")
            ax.text(0.0, 0.5, "No article has a term passing the rule.", transform=ax.transAxes, va="center")
            figure.suptitle(heading, x=0.01, ha="left")
        return figure
    xlabel = KEY_TERM_SCORES.get(value, value)
    return small_multiples(
        rows, "doc_id", "term", value, heading, xlabel, panel_titles, color_by_sign=True, panel_notes=panel_notes
    )


def heatmap(
    frame: pd.DataFrame,
    title: str,
    colorbar_label: str,
    annotate: bool = True,
    value_format: str = "{:.2f}",
    cmap: str = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    row_label_width: int = 40,
    max_rows: int = MAX_HEATMAP_ROWS,
    noun: str = "rows",
) -> Figure:
    """A labelled heatmap of a DataFrame (rows × columns), optionally with values in the cells.

    With more than ``max_rows`` rows, the rows are chosen column by column (each column's
    highest row in turn, see :func:`round_robin`), drawn in the order given, and the title
    says so.

    Parameters
    ----------
    frame : pandas.DataFrame
        Values; the index and columns label the rows and columns.
    title, colorbar_label : str
        Figure title and colour-bar label.
    annotate : bool
        Print each value in its cell (in black or white, whichever reads better).
    value_format : str
        Format of the printed values.
    cmap : str
        A perceptually uniform colour map.
    vmin, vmax : float, optional
        Colour scale limits.
    row_label_width : int
        Characters per line of row labels.
    max_rows : int
        Most rows drawn.
    noun : str
        What a row is, in the plural, for the note on a cut heatmap.

    Returns
    -------
    matplotlib.figure.Figure
        The heatmap.
    """
    import numpy as np

    if len(frame) > max_rows:
        keep = sorted(round_robin(frame, max_rows))
        title = _with_note(title, subset_note(len(keep), len(frame), noun, "for each column in turn, the highest"))
        frame = frame.iloc[keep]
    values = frame.to_numpy(dtype=float)
    n_rows, n_columns = values.shape
    annotate = annotate and n_rows * n_columns <= 400
    cell = (0.55, 0.42) if annotate else (0.3, 0.24)  # room for a printed value, else just a legible label
    width = max(6.0, 0.075 * row_label_width + 1.6 + cell[0] * n_columns)
    with style():
        figure = _figure(width, max(3.0, 1.2 + cell[1] * n_rows))
        ax = figure.add_subplot()
        image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
        ax.set_xticks(range(n_columns), [short_label(str(c), 18, 2) for c in frame.columns], rotation=45, ha="right")
        ax.set_yticks(range(n_rows), [short_label(str(r), row_label_width, 1) for r in frame.index])
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        if annotate:
            low = np.nanmin(values) if vmin is None else vmin
            high = np.nanmax(values) if vmax is None else vmax
            middle = (low + high) / 2
            for (i, j), v in np.ndenumerate(values):
                if np.isnan(v):
                    continue
                shade = "white" if (v < middle) == (cmap in ("viridis", "magma", "cividis", "Blues_r")) else "black"
                ax.text(j, i, value_format.format(v), ha="center", va="center", fontsize=7.5, color=shade)
        figure.colorbar(image, ax=ax, label=colorbar_label, shrink=0.8)
        lines = title.split("\n")
        heading = (
            short_label(title, int(width * 7.5), 3)
            if len(lines) == 1
            else "\n".join(short_label(line, int(width * 7.5), 3) for line in lines)
        )
        figure.suptitle(heading, x=0.01, ha="left")
    return figure


def most_connected(similarity: pd.DataFrame, n: int) -> list[int]:
    """Positions of the ``n`` rows of a square similarity matrix with the highest off-diagonal value.

    These are the documents taking part in the most similar pairs; ties by position.

    Parameters
    ----------
    similarity : pandas.DataFrame
        Square, the same labels on both axes.
    n : int
        How many rows.

    Returns
    -------
    list of int
        Row positions, in the order given (not by score).
    """
    import numpy as np

    values = similarity.to_numpy(dtype=float, copy=True)
    np.fill_diagonal(values, -np.inf)
    peaks = values.max(axis=1, initial=-np.inf) if values.shape[1] else np.full(len(values), -np.inf)
    return sorted(largest(peaks.tolist(), n))


def article_heatmap(
    frame: pd.DataFrame, labels: Mapping[str, str], title: str, colorbar_label: str, **options
) -> Figure:
    """A heatmap whose rows are articles, labelled "N · title"; article columns show N only.

    Large corpora are cut to :data:`MAX_HEATMAP_ROWS` articles (``max_rows`` in
    ``options``), and the title says how many and why: a similarity matrix keeps the
    articles of the most similar pairs (see :func:`most_connected`), rows and columns
    alike; other heatmaps keep, for each column in turn, the article where it is highest.
    A matrix that is already a subset (``frame.attrs["subset"]`` names its rule, e.g.
    :func:`analysis.stats.similarity.cosine_similarity_matrix` with ``max_docs``) is drawn whole, with
    its rule and the number of ``labels`` in the title.

    Parameters
    ----------
    frame : pandas.DataFrame
        Index: article ids; columns: article ids (similarity) or anything else (terms, topics).
    labels : mapping
        Article id to label (see :func:`analysis.pipeline.workflow.article_labels`); columns
        that are articles show the label's ``number`` when it has one, else the whole label.
    title, colorbar_label : str
        Figure title and colour-bar label.
    **options
        Passed to :func:`heatmap`.

    Returns
    -------
    matplotlib.figure.Figure
        The heatmap.
    """
    import numpy as np

    max_rows = options.pop("max_rows", MAX_HEATMAP_ROWS)
    square = set(frame.columns) <= set(labels) and list(frame.columns) == list(frame.index)
    if frame.attrs.get("subset") and len(frame) < len(labels):
        title = _with_note(title, subset_note(len(frame), len(labels), "articles", frame.attrs["subset"]))
    elif square and len(frame) > max_rows:
        keep = most_connected(frame, max_rows)
        title = _with_note(title, subset_note(len(keep), len(frame), "articles", "those in the most similar pairs"))
        frame = frame.iloc[keep, keep]
    renamed = frame.rename(index=dict(labels))
    if set(frame.columns) <= set(labels):
        if square:  # a similarity matrix: its diagonal says nothing
            renamed = renamed.mask(np.eye(len(frame), dtype=bool))
        renamed = renamed.rename(columns={k: getattr(v, "number", v) for k, v in labels.items()})
    return heatmap(
        renamed,
        title,
        colorbar_label,
        row_label_width=options.pop("row_label_width", 48),
        max_rows=max_rows,
        noun="articles",
        **options,
    )


def stacked_bars(
    frame: pd.DataFrame, title: str, xlabel: str, max_bars: int = MAX_BARS, noun: str | None = None
) -> Figure:
    """Horizontal stacked bars: one bar per row, one segment per column, with a legend.

    With more than ``max_bars`` rows, only the ``max_bars`` rows with the largest totals
    are drawn, largest on top (ties in the order given), and the title says so.

    Parameters
    ----------
    frame : pandas.DataFrame
        Counts; index = bars (first on top), columns = segments.
    title, xlabel : str
        Figure title and x-axis label.
    max_bars : int
        Most bars drawn.
    noun : str, optional
        What a bar is, in the plural, for the note on a cut chart; "articles" when the
        index is named like an article column (``title``, ``doc_id``), else "bars".

    Returns
    -------
    matplotlib.figure.Figure
        The chart.
    """
    frame, cut = _largest_rows(frame, max_bars, noun, xlabel)
    if cut:
        title = _with_note(title, cut)
    with style():
        figure = _figure(8.5, 1.6 + 0.38 * len(frame))
        ax = figure.add_subplot()
        _stacked(ax, frame, xlabel)
        figure.legend(loc="outside lower center", ncols=min(len(frame.columns), 7))
        _title(figure, ax, title)
    return figure


def _largest_rows(frame: pd.DataFrame, max_bars: int, noun: str | None, xlabel: str) -> tuple[pd.DataFrame, str]:
    """At most ``max_bars`` rows, those with the largest totals, and the note saying so ("" when whole)."""
    if len(frame) <= max_bars:
        return frame, ""
    keep = largest(frame.sum(axis=1, numeric_only=True).tolist(), max_bars)
    noun = noun or _noun(frame.index.name, default="bars")
    return frame.iloc[keep], subset_note(len(keep), len(frame), noun, f"the largest totals of {xlabel}")


#: Colours after the style's eight (Okabe-Ito) for the ninth column on, from Paul Tol's muted
#: scheme, so that no two columns of a stacked bar share a colour (there are nine removal reasons).
EXTRA_COLOURS = ("#882255", "#44AA99", "#999933", "#AA4499")


def column_colours(count: int) -> list[str]:
    """One distinct colour per column for ``count`` columns: the style's cycle, then :data:`EXTRA_COLOURS`."""
    import matplotlib as mpl

    colours = [*mpl.rcParams["axes.prop_cycle"].by_key()["color"], *EXTRA_COLOURS]
    return [colours[number % len(colours)] for number in range(count)]


def _stacked(ax: Axes, frame: pd.DataFrame, xlabel: str, colors: Mapping[str, str] | None = None) -> None:
    """Draw ``frame`` as stacked horizontal bars on ``ax``, first row on top; empty segments left out.

    A column keeps its colour (``colors``, else :func:`column_colours` by column position) whether
    or not the columns before it are empty, so one reason has one colour in every figure.
    """
    cycle = column_colours(len(frame.columns))
    positions = list(range(len(frame)))[::-1]
    left = [0.0] * len(frame)
    for number, column in enumerate(frame.columns):
        if frame[column].sum() <= 0:  # empty segments clutter the legend
            continue
        widths = frame[column].astype(float).tolist()
        color = (colors or {}).get(str(column), cycle[number])
        ax.barh(positions, widths, left=left, label=str(column), color=color)
        left = [a + b for a, b in zip(left, widths)]
    ax.set_yticks(positions, [short_label(str(i), 48, 1) for i in frame.index])
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, max(left) * 1.06 if max(left, default=0) > 0 else 1)


#: Titles and axis labels of the removal figure's panels: each says what it counts and for which input.
REMOVAL_PANELS = {
    "lines": ("Scraped text pages: lines kept out of each article's body, by reason", "lines removed", "articles"),
    "words": (
        "HTML pages: words of the visible text kept as the article, or left out by the extractor; trafilatura "
        "drops navigation, footers and comments before any line is recorded, so HTML has no removed lines",
        "words of visible text",
        "pages",
    ),
}
#: Characters per line of the removal figure's titles and notes (9 inches wide).
REMOVAL_WRAP = 90


def removal_chart(lines: pd.DataFrame, extraction: pd.DataFrame, note: str = "", max_bars: int = MAX_BARS) -> Figure:
    """What reading removed, one panel per kind of input that records it; each title names only what is drawn.

    Parameters
    ----------
    lines : pandas.DataFrame
        Lines removed from each article of a scraped text page, by reason (index: titles);
        no panel when empty.
    extraction : pandas.DataFrame
        Words of each HTML page kept by the extractor and left out (index: files; columns
        as :func:`analysis.report.overview.removal_views` makes them); no panel when empty.
    note : str
        What neither panel shows (records read as given, files not read), printed under the panels.
    max_bars : int
        Most bars per panel (the rows with the largest totals, said in the panel's title).

    Returns
    -------
    matplotlib.figure.Figure
        One panel per kind of input present, each with its own title and legend; with
        neither, a figure that says in words that nothing was removed, and why.
    """
    panels = [(kind, frame) for kind, frame in (("lines", lines), ("words", extraction)) if len(frame)]
    if not panels:
        return _nothing_removed(note)
    with style():
        heights = [1.6 + 0.38 * min(len(frame), max_bars) for _, frame in panels]
        note_lines = textwrap.wrap(note, REMOVAL_WRAP)
        figure = _figure(9, sum(heights) + 0.3 * len(note_lines) + (0.5 if len(panels) > 1 else 0))
        for part, (kind, frame) in zip(
            figure.subfigures(len(panels), 1, height_ratios=heights, squeeze=False).ravel(), panels
        ):
            title, xlabel, noun = REMOVAL_PANELS[kind]
            shown, cut = _largest_rows(frame, max_bars, noun, xlabel)
            colors = {str(frame.columns[0]): POSITIVE, str(frame.columns[-1]): NEUTRAL} if kind == "words" else None
            ax = part.add_subplot()
            _stacked(ax, shown, xlabel, colors)
            if ax.get_legend_handles_labels()[0]:  # nothing drawn when every count is zero
                ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
            whole = f"{len(frame):,} {noun if len(frame) != 1 else noun.removesuffix('s')}"
            counted = f"{title} ({cut or whole})"
            part.suptitle("\n".join(textwrap.wrap(counted, REMOVAL_WRAP)), x=0.01, ha="left", fontsize="large")
        if len(panels) > 1:
            figure.suptitle("What reading removed, by input type", x=0.01, ha="left")
        if note_lines:
            figure.supxlabel("\n".join(note_lines), x=0.01, ha="left", fontsize="small")
    return figure


def _nothing_removed(note: str) -> Figure:
    """The removal figure of inputs that no step removed anything from (records only)."""
    lines = textwrap.wrap(note or "No input was segmented or extracted.", REMOVAL_WRAP)
    with style():
        figure = _figure(9, 0.7 + 0.25 * len(lines))
        ax = figure.add_subplot()
        ax.axis("off")
        ax.text(0, 1, "\n".join(lines), va="top", transform=ax.transAxes)
        figure.suptitle("Nothing was removed: no scraped text page or HTML page among the inputs", x=0.01, ha="left")
    return figure


def sweep_plot(table: pd.DataFrame, chosen_k: int, metrics: Mapping[str, str], chosen_on: str | None = None) -> Figure:
    """Model-selection curves: one panel per metric against the number of topics, with their uncertainty.

    A metric ``m`` whose standard error across seeds is in the table (column ``m_se``, as
    :func:`analysis.models.sweep` writes for ``c_npmi``, ``stability`` and
    ``stability_excess``) is drawn with error bars of ± one standard error. The stability
    panel also draws, dotted in each engine's colour, the stability expected by chance
    (column ``stability_chance``); a ``stability_excess`` panel draws chance as a dotted line at 0.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per (engine, k) with the metric columns, rounded as written.
    chosen_k : int
        Marked with a dashed line in every panel.
    metrics : mapping
        Column name to panel title, in panel order (the headline metric first).
    chosen_on : str, optional
        The engine whose rows chose K, named in the title.

    Returns
    -------
    matplotlib.figure.Figure
        A grid of line charts, one line per engine.
    """
    rows, columns = grid_shape(len(metrics), 3)
    with style():
        figure = _figure(4.0 * columns, 3.0 * rows + 0.5)
        axes = figure.subplots(rows, columns, squeeze=False)
        any_bars = False
        for ax, (column, heading) in zip(axes.flat, metrics.items()):
            any_bars |= _sweep_panel(ax, table, column)
            ax.axvline(chosen_k, color="#555555", linestyle="--", linewidth=1)
            ax.set_title(heading, loc="left", fontsize=10)
            ax.set_xlabel("number of topics K")
            ax.set_xticks(sorted(table["k"].unique()))
            ax.grid(True, axis="y")
        for ax in list(axes.flat)[len(metrics) :]:
            ax.set_visible(False)
        axes.flat[0].legend(title="engine")
        chosen = f"K = {chosen_k}, chosen on {chosen_on}" if chosen_on else f"K = {chosen_k}"
        bars = "; bars: ± 1 standard error over seeds" if any_bars else ""
        figure.suptitle(f"Choosing the number of topics (dashed: {chosen}{bars})", x=0.01, ha="left")
    return figure


def _sweep_panel(ax: Axes, table: pd.DataFrame, column: str) -> bool:
    """One metric of the sweep, per engine, with error bars and the chance baseline; True when bars were drawn."""
    from matplotlib.lines import Line2D

    se_column, bars = f"{column}_se", False
    groups = list(table.groupby("engine", sort=True))
    for number, (engine, rows_of) in enumerate(groups):
        se = rows_of[se_column] if se_column in rows_of and rows_of[se_column].notna().any() else None
        bars |= se is not None
        dodge = (number - (len(groups) - 1) / 2) * 0.08 if se is not None else 0.0  # overlapping bars stay apart
        drawn = ax.errorbar(rows_of["k"] + dodge, rows_of[column], yerr=se, marker="o", capsize=3, label=str(engine))
        if column == "stability" and "stability_chance" in rows_of:
            colour = drawn.lines[0].get_color()
            ax.plot(rows_of["k"], rows_of["stability_chance"], color=colour, linestyle=":", linewidth=1.5)
    if column == "stability_excess":
        ax.axhline(0, color="#555555", linestyle=":", linewidth=1.5)
    if column in ("stability", "stability_excess") and (column == "stability_excess" or "stability_chance" in table):
        chance = Line2D([], [], color="#555555", linestyle=":", linewidth=1.5, label="expected by chance")
        ax.legend(handles=[chance], loc="best")
    return bars


def _overlaps(box, placed, pad: float = 2.0) -> bool:
    return any(
        box.x0 < other.x1 + pad and box.x1 + pad > other.x0 and box.y0 < other.y1 + pad and box.y1 + pad > other.y0
        for other in placed
    )


def place_labels(
    figure: Figure, ax: Axes, xs: Sequence[float], ys: Sequence[float], texts: Sequence[str], **style_kw
) -> int:
    """Label points without overlapping labels, trying eight positions around each point.

    Labels are placed in the order given (most important first); a label that fits nowhere
    inside the axes is left out rather than drawn over another.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure (rendered once to measure text).
    ax : matplotlib.axes.Axes
        The axes holding the points.
    xs, ys : sequences of float
        Point coordinates in data units.
    texts : sequence of str
        Labels.
    **style_kw
        Passed to ``Axes.annotate`` (font size, colour).

    Returns
    -------
    int
        How many labels were placed.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    renderer = canvas.get_renderer()
    figure.draw(renderer)  # settle the layout before measuring
    inside = ax.get_window_extent(renderer)
    placed = []
    offsets = [(6, 4), (6, -10), (-6, 4), (-6, -10), (0, 9), (0, -14), (10, 0), (-10, 0)]
    count = 0
    for x, y, text in zip(xs, ys, texts):
        for dx, dy in offsets:
            note = ax.annotate(
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha="left" if dx > 0 else "right" if dx < 0 else "center",
                va="bottom",
                **style_kw,
            )
            box = note.get_window_extent(renderer)
            fits = inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1
            if fits and not _overlaps(box, placed):
                placed.append(box)
                count += 1
                break
            note.remove()
    return count


def group_scatter(
    table: pd.DataFrame,
    label_a: str,
    label_b: str,
    n_labels: int = 14,
    title: str | None = None,
    level: float = 0.05,
    min_docs: int | None = None,
) -> Figure:
    """Monroe et al.'s "Fightin' Words" plot of two groups of articles: log-odds z against frequency.

    Each term is a point at its count in both groups together (x, log scale) and its log-odds
    z with an informative Dirichlet prior (y; Monroe, Colaresi & Quinn 2008): far above 0 it
    is characteristic of A, far below of B. Frequent terms spread out to the right and rare
    ones gather at the left with small z, so the layout stays legible from ten documents to
    thousands. A term is coloured by its side when the document-level permutation test finds
    it (``p_perm < level``), grey otherwise; dotted lines mark ``|z| = 1.96``, the threshold
    that treats tokens as independent. Each side's terms are labelled, those the test found
    first (in the side's colour), then the others by ``|z|`` (in grey), never overlapping: a
    label that fits nowhere is left out. The caption names the test.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`analysis.stats.groups.compare_groups`, unchanged (``term, n_a, n_b, z,
        p_perm`` and its ``attrs``).
    label_a, label_b : str
        Names of the two groups.
    n_labels : int
        Labels per side (fewer when they do not fit).
    title : str, optional
        Figure title; by default the two groups and their sizes.
    level : float
        Significance level of ``p_perm``.
    min_docs : int, optional
        Fewest documents per side; :data:`analysis.stats.groups.MIN_GROUP_DOCS` when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The scatter plot.

    Raises
    ------
    ValueError
        When the table lacks the permutation test, or a group has fewer than ``min_docs``
        documents (with :func:`analysis.stats.groups.group_size_note`'s sentence).
    """
    from analysis.stats import groups

    n_a, n_b = _checked_group_table(table, (label_a, label_b), min_docs)
    found = (table["p_perm"] < level) & (table["z"] != 0)
    names = (short_label(label_a, 40, 1), short_label(label_b, 40, 1))
    caption = (
        f"Coloured: p_perm < {level:g}, not corrected for testing all {len(table):,} terms, in a two-sided "
        f"{groups.permutation_rule(table)} (on |z|; the smallest "
        f"possible p is {groups.smallest_p(table):.2g}). Labelled: up to {n_labels} terms per side, "
        "those coloured first, then by |z|."
    )
    heading = title or f"Terms of {names[0]} ({n_a:,} documents) against {names[1]} ({n_b:,} documents)"
    with style():
        figure = _figure(8.5, 7.5)
        ax = figure.add_subplot()
        _group_points(ax, table, found, names, level)
        figure.suptitle("\n".join(textwrap.wrap(heading, width=72)), x=0.01, ha="left")
        ax.set_title("\n".join(textwrap.wrap(caption, width=110)), loc="left", fontsize=8.5, fontweight="normal")
        figure.legend(loc="outside lower center", ncols=2, fontsize=8, markerscale=1.5, frameon=False)
        _group_labels(figure, ax, table, found, n_labels)
    return figure


#: Text colours of labelled terms: darker shades of :data:`POSITIVE` and :data:`NEGATIVE`, and grey.
_LABEL_A, _LABEL_B, _LABEL_OTHER = "#004C7A", "#8F3F00", "#555555"


def _checked_group_table(table: pd.DataFrame, labels: tuple[str, str], min_docs: int | None) -> tuple[int, int]:
    """The group sizes of a ``compare_groups`` table, after checking it can be drawn."""
    from analysis.stats import groups

    columns = {"term", "n_a", "n_b", "z", "p_perm"}
    if {"n_docs", "permutations", "exact"}.difference(table.attrs) or columns.difference(table.columns):
        raise ValueError(
            "group_scatter: the table lacks the permutation test (columns z, p_perm and its attrs); "
            "pass the table from analysis.stats.compare_groups unchanged"
        )
    n_a, n_b = table.attrs["n_docs"]
    minimum = groups.MIN_GROUP_DOCS if min_docs is None else min_docs
    too_small = groups.group_size_note([True] * n_a + [False] * n_b, labels, minimum)
    if too_small:
        raise ValueError(f"group_scatter: {too_small}")
    return n_a, n_b


def _group_points(ax: Axes, table: pd.DataFrame, found: pd.Series, names: tuple[str, str], level: float) -> None:
    """The points of :func:`group_scatter`: grey ones first, then each side's found terms."""
    total = table["n_a"] + table["n_b"]
    size = 14 if len(table) <= 2000 else 7
    ax.set_xscale("log")
    ax.scatter(
        total[~found],
        table["z"][~found],
        s=size,
        color=NEUTRAL,
        alpha=0.5,
        linewidths=0,
        label=f"p_perm ≥ {level:g} ({int((~found).sum()):,} terms)",
    )
    for on_side, colour, name in ((table["z"] > 0, POSITIVE, names[0]), (table["z"] < 0, NEGATIVE, names[1])):
        chosen = on_side & found
        ax.scatter(
            total[chosen],
            table["z"][chosen],
            s=size * 1.6,
            color=colour,
            linewidths=0.3,
            edgecolors="white",
            label=f"p_perm < {level:g}, more in {name} ({int(chosen.sum()):,} terms)",
        )
    for bound in (1.96, -1.96):
        ax.axhline(bound, color="#777777", linewidth=0.7, linestyle=":")
    ax.axhline(0, color="#999999", linewidth=0.6)
    ax.plot([], [], color="#777777", linewidth=0.7, linestyle=":", label="|z| = 1.96 (tokens as independent)")
    ax.margins(x=0.06, y=0.08)
    ax.xaxis.set_major_formatter(_count_formatter())
    ax.set_xlabel("occurrences in both groups together (log scale)")
    ax.set_ylabel(f"log-odds z, informative Dirichlet prior\n(+ more in {names[0]}, − more in {names[1]})")


def _group_labels(figure: Figure, ax: Axes, table: pd.DataFrame, found: pd.Series, n_labels: int) -> int:
    """Label each side's strongest terms in one pass (so no label overlaps another), sides alternating."""
    picks = [_strongest_of_side(table[table["z"] > 0], found, n_labels)]
    picks.append(_strongest_of_side(table[table["z"] < 0], found, n_labels))
    order = [frame.iloc[i] for i in range(n_labels) for frame in picks if i < len(frame)]
    colours = {
        row["term"]: (_LABEL_A if row["z"] > 0 else _LABEL_B) if found[row.name] else _LABEL_OTHER for row in order
    }
    placed = _place_clear_labels(
        figure,
        ax,
        [row["n_a"] + row["n_b"] for row in order],
        [row["z"] for row in order],
        [row["term"] for row in order],
        fontsize=8,
    )
    for text in ax.texts:
        text.set_color(colours.get(text.get_text(), text.get_color()))
    return placed


def _place_clear_labels(
    figure: Figure, ax: Axes, xs: Sequence[float], ys: Sequence[float], texts: Sequence[str], **style_kw
) -> int:
    """:func:`place_labels`, except that no label covers the marker of a labelled point either.

    Labels are placed in the order given, each at the first of eight positions around its
    point that stays inside the axes and clear of every label placed so far and of the
    labelled points' markers (taken as 8-point squares); one that fits nowhere is left out.
    Returns how many were placed.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)  # settle the layout before measuring
    inside = ax.get_window_extent(renderer)
    half = 4 * figure.dpi / 72
    centres = ax.transData.transform(list(zip(xs, ys))) if len(xs) else []
    placed = [Bbox.from_extents(cx - half, cy - half, cx + half, cy + half) for cx, cy in centres]
    offsets = [(6, 4), (6, -10), (-6, 4), (-6, -10), (0, 9), (0, -14), (10, 0), (-10, 0)]
    count = 0
    for x, y, text in zip(xs, ys, texts):
        for dx, dy in offsets:
            align = "left" if dx > 0 else "right" if dx < 0 else "center"
            note = ax.annotate(
                text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=align, va="bottom", **style_kw
            )
            box = note.get_window_extent(renderer)
            fits = inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1
            if fits and not _overlaps(box, placed, pad=1.0):
                placed.append(box)
                count += 1
                break
            note.remove()
    return count


def _strongest_of_side(side: pd.DataFrame, found: pd.Series, n: int) -> pd.DataFrame:
    """A side's ``n`` terms to label: those the test found first, then by ``|z|``, then term."""
    ranked = side.assign(_found=found[side.index], _strength=side["z"].abs())
    return ranked.sort_values(["_found", "_strength", "term"], ascending=[False, False, True], kind="stable").head(n)


def _count_formatter():
    """Tick labels of a log axis of counts as plain numbers with thousands separators (1, 10, 1,000)."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: f"{value:,.0f}" if value >= 1 else "")


def article_ticks(n_articles: int, most: int = MAX_DISPERSION_ARTICLES) -> list[int]:
    """Which article numbers (1-based) a dispersion plot labels along its top.

    Every article up to ``most`` articles; beyond, article 1 and every multiple of a round
    step (1, 2 or 5 times a power of ten) chosen so that at most about ten are labelled.

    Parameters
    ----------
    n_articles : int
        Articles in the corpus.
    most : int
        Largest corpus whose articles are all numbered.

    Returns
    -------
    list of int
        Article numbers, ascending.
    """
    if n_articles <= most:
        return list(range(1, n_articles + 1))
    step = next(s * 10**p for p in range(20) for s in (1, 2, 5) if n_articles / (s * 10**p) <= 10)
    return [1, *range(step, n_articles + 1, step)]


def dispersion_plot(occurrences: pd.DataFrame, spans: pd.DataFrame, terms: Sequence[str], title: str) -> Figure:
    """A lexical dispersion (x-ray) plot: where each term occurs, in article order.

    Parameters
    ----------
    occurrences : pandas.DataFrame
        ``term, offset`` rows (token offsets in the whole corpus).
    spans : pandas.DataFrame
        ``doc_id, start, end`` of each article, in order.
    terms : sequence of str
        Terms, one row each, first on top.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One row of tick marks per term; dotted lines mark article boundaries, numbered
        along the top. With more than :data:`MAX_DISPERSION_ARTICLES` articles the
        boundaries are not drawn and only some articles are numbered (see
        :func:`article_ticks`); the title says so.
    """
    numbered = article_ticks(len(spans))
    if len(spans) > MAX_DISPERSION_ARTICLES:
        title = f"{title}\n{len(spans):,} articles: boundaries not drawn, every {numbered[1] if len(numbered) > 1 else 1:,}th article numbered"
    with style():
        figure = _figure(10, 1.3 + 0.42 * len(terms))
        ax = figure.add_subplot()
        rows = {term: len(terms) - 1 - i for i, term in enumerate(terms)}
        for term in terms:
            offsets = occurrences.loc[occurrences["term"] == term, "offset"]
            ax.scatter(offsets, [rows[term]] * len(offsets), marker="|", s=140, linewidths=1.2, color=POSITIVE)
        if len(spans) <= MAX_DISPERSION_ARTICLES:
            for start in spans["start"].iloc[1:]:
                ax.axvline(start, color="#999999", linestyle=":", linewidth=0.8)
        starts, ends = spans["start"].tolist(), spans["end"].tolist()
        top = ax.secondary_xaxis("top")
        top.set_xticks([(starts[i - 1] + ends[i - 1]) / 2 for i in numbered], [str(i) for i in numbered])
        top.tick_params(length=0)
        top.set_xlabel("article (in corpus order)")
        ax.set_yticks(list(rows.values()), list(rows.keys()))
        ax.set_ylim(-0.6, len(terms) - 0.4)
        ax.set_xlim(0, float(spans["end"].iloc[-1]) if len(spans) else 1)
        ax.set_xlabel("position in the corpus (cleaned tokens)")
        ax.set_title(title, loc="left")
    return figure
