"""Stage 5, report: what a reader sees.

Figures (data in, :class:`matplotlib.figure.Figure` out; saved only by
:func:`analysis.io.save_figure`), overview tables of a corpus, and the offline topic
explorer, whose HTML, CSS and JavaScript are package-data templates.
"""

from analysis.report import explorer, overview, plots

__all__ = ["explorer", "overview", "plots"]
