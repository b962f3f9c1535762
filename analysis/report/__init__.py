"""Stage 5, report: what a reader sees.

- :mod:`analysis.report.plots`: figures (data in, :class:`matplotlib.figure.Figure` out; saved
  only by :func:`analysis.io.save_figure`);
- :mod:`analysis.report.period_plots`: figures over time (notebook 05);
- :mod:`analysis.report.overview`: the summary and tables of a corpus;
- :mod:`analysis.report.explorer`: the offline topic explorer, filled into package-data templates;
- :mod:`analysis.report.article`: the one-article report page;
- :mod:`analysis.report.html`: filling those templates, one escaping function per context.

Import the module you need (``from analysis.report import plots``): nothing is imported here,
so the command line's summary does not load matplotlib or scipy.
"""

__all__ = ["article", "explorer", "html", "overview", "period_plots", "plots"]
