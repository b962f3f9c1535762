"""Regenerate every output: ``python -m analysis.build`` (what ``make figures`` runs).

1. Executes each ``notebooks/NN-*.ipynb`` headlessly with nbclient (the engine behind
   ``jupyter nbconvert --execute``), in the kernel of the running Python; the notebooks
   write their figures and tables into ``figures/`` through :mod:`analysis.io`.
2. Writes the corpus summary (``figures/corpus-summary.md`` and ``.json``) and, for the
   default corpus and folder, refreshes the table between the corpus-table markers of
   ``README.md``.

``$ANALYSIS_SEEDS`` and ``$ANALYSIS_FIGURES`` point every notebook at other inputs and
another output folder without editing them. ``--set NAME=VALUE`` overrides a parameter of
the notebooks' ``parameters`` cells (papermill-style: an ``injected-parameters`` cell is
executed right after that cell; the notebook files are not modified), and ``--notebook NN``
runs only some notebooks.

Every file is written atomically (see :mod:`analysis.io`), so a build killed at any moment
leaves each output either as it was or complete. The build holds a lock on its output
folder (``.build.lock``): a second build into the same folder waits for the first, or with
``--no-wait`` stops at once.

A failing notebook stops the build with one line naming the notebook and the cell, and a
non-zero exit status.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis.paths import FIGURES, NOTEBOOKS, ROOT, SEEDS, display_path, input_paths, output_folder

#: Seconds one notebook cell may run before the build gives up on it.
CELL_TIMEOUT_SECONDS = 1800


#: Exit statuses of the build.
EXIT_OK, EXIT_NOTEBOOK_FAILED, EXIT_BAD_INPUT, EXIT_FOLDER_BUSY = 0, 1, 2, 3

#: Tag of the notebook cell whose assignments ``--set`` may override (papermill's convention).
PARAMETERS_TAG = "parameters"
#: Tag of the cell the build inserts after it with the overriding values.
INJECTED_TAG = "injected-parameters"


class NotebookFailed(RuntimeError):
    """A notebook cell raised; the message names the notebook, the cell and the error."""


class _NoDefault:
    """Stands for a parameter whose default is not a literal (any override type is accepted)."""

    def __repr__(self) -> str:
        return "<not a literal>"


NO_DEFAULT = _NoDefault()


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


def select_notebooks(selectors: Sequence[str], paths: Sequence[Path]) -> list[Path]:
    """The notebooks named by ``--notebook`` (all of them when none is named).

    Parameters
    ----------
    selectors : sequence of str
        Each a number (``03``), a stem (``03-lda-topics``) or a file name.
    paths : sequence of Path
        The available notebooks, in reading order.

    Returns
    -------
    list of Path
        The selected notebooks, in reading order.

    Raises
    ------
    ValueError
        When a selector matches no notebook.
    """
    if not selectors:
        return list(paths)
    chosen = set()
    for selector in selectors:
        key = selector.strip().removesuffix(".ipynb")
        matches = [p for p in paths if p.stem == key or p.stem.split("-", 1)[0] == key]
        if not matches:
            names = ", ".join(p.stem for p in paths)
            raise ValueError(f"--notebook {selector}: no such notebook; choose from {names} (or their numbers)")
        chosen.update(matches)
    return [p for p in paths if p in chosen]


def _parameters_cell(notebook: Any) -> int | None:
    """Index of the first code cell tagged ``parameters``, or None."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and PARAMETERS_TAG in cell.metadata.get("tags", []):
            return index
    return None


def notebook_parameters(notebook: Any) -> dict[str, Any]:
    """The names a notebook's ``parameters`` cell assigns, with their default values.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A notebook.

    Returns
    -------
    dict
        Name to default value, in cell order; :data:`NO_DEFAULT` when the value is not a
        Python literal. Empty when the notebook has no cell tagged ``parameters``.
    """
    index = _parameters_cell(notebook)
    if index is None:
        return {}
    names: dict[str, Any] = {}
    for statement in ast.parse(notebook.cells[index].source).body:
        targets = statement.targets if isinstance(statement, ast.Assign) else [getattr(statement, "target", None)]
        value = getattr(statement, "value", None)
        for target in targets:
            if isinstance(target, ast.Name) and value is not None:
                try:
                    names[target.id] = ast.literal_eval(value)
                except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                    names[target.id] = NO_DEFAULT
    return names


# A value that starts like a Python literal must parse as one; anything else may be a plain string.
_LITERAL_START = tuple("[({'\"")


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse one ``NAME=VALUE`` given to ``--set``.

    The value is read with :func:`ast.literal_eval` (numbers, strings, lists, tuples, dicts,
    ``True``, ``False``, ``None``); a value that is not a literal and does not start with
    a bracket or a quote is taken as a plain string, so ``SEEDS=data/site-b`` needs no quotes.

    Parameters
    ----------
    text : str
        One argument of ``--set``.

    Returns
    -------
    tuple
        The name and the parsed value.

    Raises
    ------
    ValueError
        When the text is not ``NAME=VALUE``, the name is not an identifier, or the value is
        empty or a malformed literal.
    """
    name, equals, raw = text.partition("=")
    name, raw = name.strip(), raw.strip()
    if not equals or not name.isidentifier():
        raise ValueError(f"--set {text}: expected NAME=VALUE with NAME a notebook parameter, e.g. --set TOP_N=10")
    if not raw:
        raise ValueError(f"--set {text}: the value is empty; give a Python literal, e.g. {name}=10 or {name}=None")
    try:
        return name, ast.literal_eval(raw)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    if raw.startswith(_LITERAL_START) or raw[0].isdigit() and raw.replace("_", "").replace(".", "").isalnum():
        raise ValueError(
            f"--set {text}: {raw!r} is not a valid Python literal; "
            f"close brackets and quotes, e.g. {name}=[2, 3] or {name}='text'"
        )
    return name, raw


def _type_name(value: Any) -> str:
    return type(value).__name__


def _conform(name: str, value: Any, default: Any) -> Any:
    """``value`` in the type of ``default`` (int becomes float, tuple becomes list), or ValueError."""
    if default is None or default is NO_DEFAULT:
        return value
    expected = type(default)
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(value, bool) and isinstance(default, bool)
    elif isinstance(default, float) and isinstance(value, int):
        return float(value)
    elif isinstance(default, (list, tuple)) and isinstance(value, (list, tuple)):
        items = [_conform(name, item, default[0]) for item in value] if default else list(value)
        return expected(items)
    else:
        ok = isinstance(value, expected)
    if not ok:
        raise ValueError(
            f"--set {name}={value!r}: {name} expects {expected.__name__} (default {default!r}), got {_type_name(value)}"
        )
    return value


def plan_overrides(assignments: Sequence[str], notebooks: dict[Path, Any]) -> dict[Path, dict[str, Any]]:
    """Check ``--set`` values against the notebooks' parameters and say which notebook gets which.

    A name goes to every selected notebook whose ``parameters`` cell assigns it (``TOP_N``
    exists in more than one notebook, with a meaning of its own in each).

    Parameters
    ----------
    assignments : sequence of str
        The ``NAME=VALUE`` arguments, later ones winning.
    notebooks : dict
        Each selected notebook's path to its parsed notebook.

    Returns
    -------
    dict
        For each notebook, the names and values to inject (possibly empty).

    Raises
    ------
    ValueError
        On a malformed assignment, a name no selected notebook's ``parameters`` cell
        assigns, or a value of another type than the parameter's default.
    """
    values = dict(parse_assignment(a) for a in assignments)
    defaults = {path: notebook_parameters(nb) for path, nb in notebooks.items()}
    plan: dict[Path, dict[str, Any]] = {path: {} for path in notebooks}
    for name, value in values.items():
        owners = [path for path, names in defaults.items() if name in names]
        if not owners:
            known = sorted({n for names in defaults.values() for n in names})
            raise ValueError(
                f"--set {name}: no selected notebook has a parameter {name}; known parameters: {', '.join(known)}"
            )
        for path in owners:
            plan[path][name] = _conform(name, value, defaults[path][name])
    return plan


def inject_parameters(notebook: Any, values: dict[str, Any]) -> Any:
    """Insert an ``injected-parameters`` cell after the ``parameters`` cell (papermill-style).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A notebook; it is modified in place (pass a copy to keep the original).
    values : dict
        Parameter names and literal values; nothing is inserted when empty.

    Returns
    -------
    nbformat.NotebookNode
        The same notebook.

    Raises
    ------
    ValueError
        When ``values`` is not empty and the notebook has no ``parameters`` cell.
    """
    import nbformat

    if not values:
        return notebook
    index = _parameters_cell(notebook)
    if index is None:
        raise ValueError("the notebook has no cell tagged 'parameters'; tag the cell of literals it should override")
    source = "# Parameters\n" + "".join(f"{name} = {value!r}\n" for name, value in values.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": [INJECTED_TAG]})
    notebook.cells.insert(index + 1, cell)
    return notebook


def execute_notebook(
    path: Path, timeout: int = CELL_TIMEOUT_SECONDS, progress: bool = False, parameters: dict[str, Any] | None = None
) -> None:
    """Execute a notebook top to bottom in a fresh kernel, working directory its folder.

    Parameters
    ----------
    path : Path
        The notebook; it is read, not modified.
    timeout : int
        Seconds allowed per cell.
    progress : bool
        Print a line on stderr after each code cell.
    parameters : dict, optional
        Values overriding the ``parameters`` cell (see :func:`inject_parameters`).

    Raises
    ------
    NotebookFailed
        When a cell raises; the message gives the notebook, the cell number and the error.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = inject_parameters(nbformat.read(path, as_version=4), parameters or {})
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
            (
                i
                for i, c in enumerate(code_cells, 1)
                if any(o.get("output_type") == "error" for o in c.get("outputs", []))
            ),
            "?",
        )
        summary = f"{error.ename}: {error.evalue}" if getattr(error, "ename", None) else str(error).splitlines()[-1]
        raise NotebookFailed(f"{display_path(path)}: code cell {failed} failed: {summary}") from None


def write_corpus_summary(figures: Path = FIGURES, readme: Path | None = ROOT / "README.md", seeds: Any = None) -> dict:
    """Summarise the corpus into ``figures/`` and, optionally, the README's corpus table.

    Parameters
    ----------
    figures : Path
        Output folder.
    readme : Path or None
        README holding the corpus-table markers; None leaves it alone.
    seeds : str, path, list of them, or None
        The inputs, as a notebook's ``SEEDS`` parameter (None: ``$ANALYSIS_SEEDS``, else ``seeds/``).

    Returns
    -------
    dict
        The summary (see :func:`analysis.report.overview.corpus_summary`).
    """
    from analysis.io import atomic_write_text, write_json
    from analysis.pipeline import workflow
    from analysis.report import overview

    prepared = workflow.prepare(seeds)  # from the cache the notebooks filled: the corpus is not cleaned again
    summary = overview.corpus_summary(prepared.articles, tokens=prepared.article_tokens)
    markdown = overview.summary_markdown(summary)
    atomic_write_text(figures / "corpus-summary.md", markdown)
    write_json(figures / "corpus-summary.json", summary)
    if readme is not None:
        overview.update_readme(readme, markdown)
    return summary


_EPILOG = """\
notebook parameters:
  --set NAME=VALUE overrides NAME in the cell tagged 'parameters' of every selected
  notebook that assigns it (papermill-style: an 'injected-parameters' cell runs right
  after that cell; the notebook files are not changed). VALUE is a Python literal
  (10, 0.5, None, True, [2, 3, 4], 'text'); a value that is not a literal and does not
  start with a bracket or a quote is a plain string (SEEDS=data/site-b). A name that no
  selected notebook assigns, a malformed value or a value of another type than the
  default stops the build before any notebook runs (one line on stderr, exit 2).
  Examples:
    python -m analysis.build --notebook 03 --set "K_VALUES=[2, 3, 4]" --set SWEEP_SEEDS=[1,2]
    python -m analysis.build --set SEEDS=/data/site-b --set FIGURES=/tmp/site-b-figures

output folder:
  --set FIGURES=..., else $ANALYSIS_FIGURES, else figures/. Every file is replaced
  atomically, so a build killed at any moment leaves each output as it was or complete;
  hidden '.NAME.PID.XXXX.tmp' files a killed build leaves are removed by the next build.
  The build locks the folder ('.build.lock'): a second build into the same folder
  prints one line and waits for the first (--no-wait: exits 3 instead).

exit status: 0 done, 1 a notebook failed, 2 bad input or arguments, 3 folder busy.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis.build",
        description="Regenerate every figure and table by executing the notebooks (what `make figures` runs).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--notebook",
        action="append",
        default=[],
        metavar="NN",
        help="run only this notebook (number, e.g. 03, or name); repeat for several; default: all",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        dest="assignments",
        help="override a notebook parameter (see below); repeat for several",
    )
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="exit at once (status 3) when another build holds the output folder, instead of waiting",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="print only errors (no per-notebook and per-cell progress)"
    )
    return parser


def _plan(args: argparse.Namespace) -> tuple[list[Path], dict[Path, dict[str, Any]]]:
    """The notebooks to run and their overrides, all checked before anything runs."""
    import nbformat

    paths = select_notebooks(args.notebook, notebook_paths())
    if not paths:
        raise ValueError(f"{display_path(NOTEBOOKS)}: no NN-*.ipynb notebooks found; run from a full checkout")
    return paths, plan_overrides(args.assignments, {p: nbformat.read(p, as_version=4) for p in paths})


def _shared_value(plan: dict[Path, dict[str, Any]], name: str) -> Any:
    """The override of ``name`` (SEEDS, FIGURES) the notebooks share, or None."""
    return next((values[name] for values in plan.values() if name in values), None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the build.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments.

    Returns
    -------
    int
        0 on success, 1 when a notebook fails, 2 when the input or an argument is at
        fault, 3 when ``--no-wait`` is given and another build holds the output folder.
    """
    from analysis.io import (
        FolderBusyError,
        folder_lock,
        folder_time_ns,
        remove_outputs_older_than,
        remove_stale_temporary_files,
    )

    args = _parser().parse_args(argv)
    try:
        paths, plan = _plan(args)
        out = output_folder(_shared_value(plan, "FIGURES"))
        seeds = _shared_value(plan, "SEEDS")

        def waiting(holder: str) -> None:
            message = f"waiting: another build (pid {holder}) is writing into {display_path(out)}/"
            print(message, file=sys.stderr, flush=True)

        with folder_lock(out, wait=not args.no_wait, on_wait=waiting):
            for stale in remove_stale_temporary_files(out):
                print(f"removed {stale.name}, left by a build that was stopped", file=sys.stderr)
            for path in paths:
                if not args.quiet:
                    print(f"executing {display_path(path)}", file=sys.stderr, flush=True)
                started_ns = folder_time_ns(out)
                execute_notebook(path, progress=not args.quiet, parameters=plan[path])
                for old in remove_outputs_older_than(out, path.stem, started_ns):
                    print(f"removed {old.name}: this run of {path.name} did not write it", file=sys.stderr)
            # the README's table describes the shipped corpus: refresh it only for the default run
            default_run = out == FIGURES and input_paths(seeds) == [SEEDS]
            summary = write_corpus_summary(out, ROOT / "README.md" if default_run else None, seeds)
    except NotebookFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_NOTEBOOK_FAILED
    except FolderBusyError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FOLDER_BUSY
    except (ValueError, OSError, SyntaxError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.quiet:
        print(
            f"corpus: {summary['articles']} articles, {summary['tokens_clean']:,} tokens after cleaning; "
            f"outputs in {display_path(out)}/",
            file=sys.stderr,
        )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
