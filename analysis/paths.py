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
        return resolved.relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).as_posix()


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
    """
    if value is None:
        value = os.environ.get(SEEDS_ENV) or SEEDS
    if isinstance(value, (str, os.PathLike)):
        value = [p for p in str(value).split(os.pathsep) if p]
    paths = [_from_root(v) for v in value]
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
