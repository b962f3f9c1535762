"""The only module that writes files: every output goes to a temporary file, then is renamed.

A reader (or a crashed run) therefore sees either the previous complete file or the new
complete file, never a half-written one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported lazily so that ``import analysis.io`` stays cheap
    import pandas as pd


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    Parameters
    ----------
    path : Path or str
        Destination file; its parent folders are created when missing.
    data : bytes
        The complete file contents.

    Returns
    -------
    Path
        The destination path.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


def atomic_write_text(path: Path | str, text: str) -> Path:
    """Write UTF-8 ``text`` with ``\\n`` line endings to ``path`` atomically.

    Parameters
    ----------
    path : Path or str
        Destination file.
    text : str
        The complete file contents.

    Returns
    -------
    Path
        The destination path.
    """
    return atomic_write_bytes(path, text.encode("utf-8"))


def table_to_csv(table: "pd.DataFrame") -> str:
    """Render a table as deterministic CSV text (no index, ``\\n`` line endings).

    Parameters
    ----------
    table : pandas.DataFrame
        Any tidy table.

    Returns
    -------
    str
        CSV text that is byte-identical for equal tables.
    """
    return table.to_csv(index=False, lineterminator="\n")


def write_table(table: "pd.DataFrame", path: Path | str) -> Path:
    """Write a table as CSV atomically.

    Parameters
    ----------
    table : pandas.DataFrame
        Any tidy table.
    path : Path or str
        Destination ``.csv`` file.

    Returns
    -------
    Path
        The destination path.
    """
    return atomic_write_text(path, table_to_csv(table))
