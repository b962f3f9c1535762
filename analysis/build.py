"""Regenerate every output: ``python -m analysis.build`` (what ``make figures`` runs).

1. Executes each ``notebooks/NN-*.ipynb`` headlessly with nbclient (the engine behind
   ``jupyter nbconvert --execute``), in the kernel of the running Python; the notebooks
   write their figures and tables into ``figures/`` through :mod:`analysis.io`.
2. Writes the corpus summary (``figures/corpus-summary.md`` and ``.json``) and, for the
   default corpus and folder, refreshes the table between the corpus-table markers of
   ``README.md``.

``$ANALYSIS_SEEDS`` and ``$ANALYSIS_FIGURES`` point every notebook at other inputs and
another output folder without editing them.

A failing notebook stops the build with one line naming the notebook and the cell, and a
non-zero exit status.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from analysis.paths import FIGURES, NOTEBOOKS, ROOT, SEEDS, display_path, input_paths, output_folder

#: Seconds one notebook cell may run before the build gives up on it.
CELL_TIMEOUT_SECONDS = 1800


class NotebookFailed(RuntimeError):
    """A notebook cell raised; the message names the notebook, the cell and the error."""


def notebook_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """The numbered notebooks, in reading order.

    Parameters
    ----------
    folder : Path
        Where the notebooks are.

    Returns
    -------
    list of Path
        ``NN-*.ipynb`` files sorted by name.
    """
    return sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb") if p.is_file())


def execute_notebook(path: Path, timeout: int = CELL_TIMEOUT_SECONDS, progress: bool = False) -> None:
    """Execute a notebook top to bottom in a fresh kernel, working directory its folder.

    Parameters
    ----------
    path : Path
        The notebook; it is read, not modified.
    timeout : int
        Seconds allowed per cell.
    progress : bool
        Print a line on stderr after each code cell.

    Raises
    ------
    NotebookFailed
        When a cell raises; the message gives the notebook, the cell number and the error.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    total = sum(1 for cell in notebook.cells if cell.cell_type == "code")
    done = iter(range(1, total + 1))

    def report(**_: object) -> None:
        if progress:
            print(f"  {display_path(path)}: code cell {next(done)}/{total} done", file=sys.stderr, flush=True)

    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_executed=report,
    )
    try:
        client.execute()
    except CellExecutionError as error:
        code_cells = [c for c in notebook.cells if c.cell_type == "code"]
        failed = next(
            (i for i, c in enumerate(code_cells, 1) if any(o.get("output_type") == "error" for o in c.get("outputs", []))),
            "?",
        )
        summary = f"{error.ename}: {error.evalue}" if getattr(error, "ename", None) else str(error).splitlines()[-1]
        raise NotebookFailed(f"{display_path(path)}: code cell {failed} failed: {summary}") from None


def write_corpus_summary(figures: Path = FIGURES, readme: Path | None = ROOT / "README.md") -> dict:
    """Summarise the default corpus into ``figures/`` and the README's corpus table.

    Parameters
    ----------
    figures : Path
        Output folder.
    readme : Path or None
        README holding the corpus-table markers; None leaves it alone.

    Returns
    -------
    dict
        The summary (see :func:`analysis.overview.corpus_summary`).
    """
    from analysis import overview
    from analysis.corpus import load_articles
    from analysis.io import atomic_write_text

    summary = overview.corpus_summary(load_articles(input_paths()))
    markdown = overview.summary_markdown(summary)
    atomic_write_text(figures / "corpus-summary.md", markdown)
    atomic_write_text(figures / "corpus-summary.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    if readme is not None:
        overview.update_readme(readme, markdown)
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    """Run the build.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments.

    Returns
    -------
    int
        0 on success, 1 when a notebook fails, 2 when the input is at fault.
    """
    parser = argparse.ArgumentParser(prog="python -m analysis.build", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    try:
        for path in notebook_paths():
            print(f"executing {display_path(path)}", file=sys.stderr, flush=True)
            execute_notebook(path, progress=True)
        out = output_folder()
        # the README's table describes the shipped corpus: refresh it only for the default run
        default_run = out == FIGURES and input_paths() == [SEEDS]
        summary = write_corpus_summary(out, ROOT / "README.md" if default_run else None)
    except NotebookFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"corpus: {summary['articles']} articles, {summary['tokens_clean']:,} tokens after cleaning; "
        f"outputs in {display_path(out)}/",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
