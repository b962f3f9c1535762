"""Where things live, derived from this file's location, never from the working directory.

``jupyter nbconvert --execute`` runs each kernel inside ``notebooks/``, the CLI runs wherever
the user is, and the tests run from the repository root: anchoring every path on
``__file__`` makes all three read and write the same folders.
"""

from __future__ import annotations

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
