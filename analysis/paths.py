"""Where things live, derived from this file's location, never from the working directory.

``jupyter nbconvert --execute`` runs each kernel inside ``notebooks/``, the CLI runs wherever
the user is, and the tests run from the repository root: anchoring every path on
``__file__`` makes all three read and write the same folders.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
SEEDS = ROOT / "seeds"
FIGURES = ROOT / "figures"
NOTEBOOKS = ROOT / "notebooks"
DATA = PACKAGE / "data"


def display_path(path: Path) -> str:
    """Return ``path`` relative to the repository root when it lies inside it.

    Parameters
    ----------
    path : Path
        Any file path.

    Returns
    -------
    str
        A POSIX path relative to :data:`ROOT` (``seeds/page.txt``) for files inside the
        repository, otherwise the path as given, so provenance columns do not depend on
        where the repository was cloned.
    """
    resolved = Path(path).resolve()
    try:
        return printable(resolved.relative_to(ROOT).as_posix())
    except ValueError:
        return printable(Path(path).as_posix())


def printable(name: str) -> str:
    """A file name fit for UTF-8 output: bytes the file system could not decode become ``\\xNN``.

    Parameters
    ----------
    name : str
        A name from the operating system; undecodable bytes arrive as lone surrogates
        (``'\\udce9'`` for byte 0xe9), which no UTF-8 writer accepts.

    Returns
    -------
    str
        ``name`` unchanged when it is valid text, else with each such byte written as
        ``\\xe9`` (``"caf\\xe9.txt"``), so ids and provenance columns can be written.
    """
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


#: Environment variable naming the inputs when a notebook's ``SEEDS`` parameter is None
#: (several paths separated by ``os.pathsep``).
SEEDS_ENV = "ANALYSIS_SEEDS"
#: Environment variable naming the output folder when a notebook's ``FIGURES`` parameter is None.
FIGURES_ENV = "ANALYSIS_FIGURES"


def _from_root(value: str | os.PathLike[str]) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else ROOT / path


def input_paths(value: str | os.PathLike[str] | list | tuple | None = None) -> list[Path]:
    """The documents a notebook or build reads: its parameter, else ``$ANALYSIS_SEEDS``, else ``seeds/``.

    Parameters
    ----------
    value : str, path, list of them, or None
        The notebook's ``SEEDS`` parameter. Relative paths are taken from the repository
        root, not from the notebook's folder.

    Returns
    -------
    list of Path
        Absolute paths.

    Raises
    ------
    FileNotFoundError
        When a path does not exist (the message names it and how to set it).
    ValueError
        When ``value`` names no path at all (``""``, ``[]``, ``":"``).
    """
    if value is None:
        value = os.environ.get(SEEDS_ENV) or SEEDS
    if isinstance(value, (str, os.PathLike)):
        value = [p for p in str(value).split(os.pathsep) if p]
    paths = [_from_root(v) for v in value]
    if not paths:
        # an empty list would silently fall back to seeds/ further on, and the figures would
        # show the default corpus under the user's name for theirs
        raise ValueError(
            f"SEEDS is empty; set the notebook's SEEDS parameter or ${SEEDS_ENV} to files or folders, or None for seeds/"
        )
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(
                f"{path}: no such file or folder; set the notebook's SEEDS parameter or ${SEEDS_ENV} to existing paths"
            )
    return paths


def output_folder(value: str | os.PathLike[str] | None = None) -> Path:
    """Where a notebook writes: its ``FIGURES`` parameter, else ``$ANALYSIS_FIGURES``, else ``figures/``.

    Parameters
    ----------
    value : str, path or None
        The notebook's ``FIGURES`` parameter; relative to the repository root.

    Returns
    -------
    Path
        An absolute folder path (created by the writer when missing).
    """
    if value is None:
        value = os.environ.get(FIGURES_ENV) or FIGURES
    return _from_root(value)
