"""The only module that writes files: every output goes to a temporary file, then is renamed.

A reader (or a crashed run) therefore sees either the previous complete file or the new
complete file, never a half-written one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:  # pandas and matplotlib are imported lazily so that ``import analysis.io`` stays cheap
    import pandas as pd
    from matplotlib.figure import Figure


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


#: Resolution of every PNG (the SVG is resolution-independent).
PNG_DPI = 150
#: Metadata that would change from run to run or machine to machine is left out.
_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None}


def figure_bytes(figure: "Figure", fmt: str) -> bytes:
    """Render a figure to PNG or SVG bytes that are identical for identical figures.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure.
    fmt : {"png", "svg"}
        Output format.

    Returns
    -------
    bytes
        The file contents, without software version or creation date; SVG ids come from a
        fixed hash salt (``svg.hashsalt`` in ``data/figures.mplstyle``).
    """
    import io as _io

    import matplotlib

    buffer = _io.BytesIO()
    metadata = _PNG_METADATA if fmt == "png" else _SVG_METADATA
    with matplotlib.rc_context({"svg.hashsalt": "analysis-figures"}):
        figure.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=metadata)
    return buffer.getvalue()


def save_figure(figure: "Figure", folder: Path | str, name: str) -> list[Path]:
    """Save a figure as ``NAME.png`` and ``NAME.svg``, atomically and reproducibly.

    This is the only place figures are written; notebooks name figures after themselves
    (``02-tfidf__similarity``).

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure.
    folder : Path or str
        Output folder.
    name : str
        File name without extension.

    Returns
    -------
    list of Path
        The PNG and SVG paths.
    """
    return [atomic_write_bytes(Path(folder) / f"{name}.{fmt}", figure_bytes(figure, fmt)) for fmt in ("png", "svg")]


def file_sha256(path: Path | str) -> str:
    """SHA-256 of a file's bytes, read in blocks.

    Parameters
    ----------
    path : Path or str
        A file.

    Returns
    -------
    str
        Hex digest.
    """
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


#: Libraries whose versions go into every run manifest.
MANIFEST_LIBRARIES = ("numpy", "scipy", "pandas", "scikit-learn", "gensim", "matplotlib", "simplemma", "trafilatura", "regex")


def run_manifest(notebook: str, parameters: dict, inputs: Sequence[Path], notes: dict | None = None) -> dict:
    """Describe a run: parameters, seeds, library versions and input file hashes.

    Parameters
    ----------
    notebook : str
        The notebook's name.
    parameters : dict
        Its parameters (including every random seed).
    inputs : sequence of Path
        The files read (folders are expanded by the caller).
    notes : dict, optional
        Anything else worth recording (e.g. which engines are deterministic).

    Returns
    -------
    dict
        JSON-ready and free of timestamps, so that re-running with the same inputs writes
        the same bytes.
    """
    import platform
    from importlib import metadata

    from analysis.paths import display_path

    versions = {}
    for library in MANIFEST_LIBRARIES:
        try:
            versions[library] = metadata.version(library)
        except metadata.PackageNotFoundError:
            versions[library] = None
    return {
        "notebook": notebook,
        "parameters": {k: (str(v) if isinstance(v, Path) else v) for k, v in sorted(parameters.items())},
        "inputs": [{"file": display_path(p), "sha256": file_sha256(p)} for p in sorted(inputs, key=display_path)],
        "python": platform.python_version(),
        "libraries": versions,
        "notes": notes or {},
    }


def write_manifest(folder: Path | str, name: str, manifest: dict) -> Path:
    """Write a run manifest as ``NAME.json`` (sorted keys, atomically).

    Parameters
    ----------
    folder : Path or str
        Output folder.
    name : str
        File name without extension.
    manifest : dict
        From :func:`run_manifest`.

    Returns
    -------
    Path
        The JSON file.
    """
    import json

    return atomic_write_text(Path(folder) / f"{name}.json", json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
