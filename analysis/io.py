"""The only module that writes files: every output goes to a temporary file, then is renamed.

A reader (or a crashed run) therefore sees either the previous complete file or the new
complete file, never a half-written one. The temporary file lies in the destination's
folder (so the rename cannot cross file systems), is flushed to disk before the rename, and
is named ``.NAME.PID.RANDOM.tmp``: hidden, never mistaken for an output, and removable by
:func:`remove_stale_temporary_files` once the process that wrote it has died (a run killed
between writing and renaming leaves one behind).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from analysis.precision import round_json, round_table

if TYPE_CHECKING:  # pandas and matplotlib are imported lazily so that ``import analysis.io`` stays cheap
    import pandas as pd
    from matplotlib.figure import Figure


@contextlib.contextmanager
def atomic_file(path: Path | str) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` only if the ``with`` block completes.

    Writes go to a hidden temporary file in the same folder, which is flushed to disk and
    renamed over ``path`` when the block ends normally, and deleted when it raises (or a
    generator writing it is abandoned). The one way this package writes a file.

    Parameters
    ----------
    path : Path or str
        Destination file; its parent folders are created when missing.

    Yields
    ------
    file object
        Open for binary writing.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as tmp:
            yield tmp
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


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
    with atomic_file(path) as handle:
        handle.write(data)
    return Path(path)


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so that a rename survives a power cut (best effort)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:  # some file systems cannot fsync a folder; the rename is still atomic
        pass
    finally:
        os.close(handle)


#: Names of the temporary files :func:`atomic_write_bytes` creates: ``.NAME.PID.RANDOM.tmp``.
TEMPORARY_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")


def _process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (Linux ``/proc``; elsewhere ``kill 0``)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True
    # the state letter follows the command name, which is in parentheses and may hold spaces
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def stale_temporary_files(folder: Path | str) -> list[Path]:
    """Temporary files left in ``folder`` by writers that died before renaming them.

    Parameters
    ----------
    folder : Path or str
        An output folder (need not exist).

    Returns
    -------
    list of Path
        Sorted paths matching :data:`TEMPORARY_NAME` whose writing process is gone; files of
        a writer still running (another notebook, another build) are left out.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    stale = []
    for path in folder.iterdir():
        match = TEMPORARY_NAME.match(path.name)
        if match and path.is_file() and not _process_alive(int(match["pid"])):
            stale.append(path)
    return sorted(stale)


def remove_stale_temporary_files(folder: Path | str) -> list[Path]:
    """Delete the files :func:`stale_temporary_files` finds.

    Parameters
    ----------
    folder : Path or str
        An output folder.

    Returns
    -------
    list of Path
        The files removed.
    """
    removed = []
    for path in stale_temporary_files(folder):
        try:
            path.unlink()
        except FileNotFoundError:  # removed meanwhile by someone else
            continue
        removed.append(path)
    return removed


def folder_time_ns(folder: Path | str) -> int:
    """The folder's file system clock now: the modification time of a file created and removed there.

    Comparing outputs' times with this one, not with :func:`time.time_ns`, keeps working on
    file systems that store times in whole seconds (a file written in the same second then
    has the same time, not an earlier one).

    Parameters
    ----------
    folder : Path or str
        An output folder (created when missing).

    Returns
    -------
    int
        Nanoseconds since the epoch, as the folder's file system records them.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".clock.{os.getpid()}.", suffix=".tmp", dir=target)
    try:
        return os.fstat(handle).st_mtime_ns
    finally:
        os.close(handle)
        Path(name).unlink(missing_ok=True)


def remove_outputs_older_than(folder: Path | str, prefix: str, since_ns: int) -> list[Path]:
    """Delete a notebook's outputs that its last run did not write again.

    Every output is written through a fresh temporary file and a rename, so a file the run
    wrote has a modification time after the run started; a figure the run chose not to
    draw this time (no dates in the corpus, a group too small) still has the older time and
    would otherwise be read as a result of this run.

    Parameters
    ----------
    folder : Path or str
        An output folder.
    prefix : str
        The notebook's name, e.g. ``"04-term-comparisons"``: only ``<prefix>__*`` files are considered.
    since_ns : int
        When the run started, by the folder's clock (:func:`folder_time_ns`).

    Returns
    -------
    list of Path
        The files removed.
    """
    removed = []
    for path in sorted(Path(folder).glob(f"{prefix}__*")):
        try:
            if path.is_file() and path.stat().st_mtime_ns < since_ns:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:  # removed meanwhile by someone else
            continue
    return removed


#: The lock file a build holds in its output folder (hidden; removed when the build ends).
LOCK_NAME = ".build.lock"


class FolderBusyError(BlockingIOError):
    """Another process holds the output folder's lock; the message names the folder and the process."""


def _lock_holder(fd: int) -> str:
    """The process id written in a lock file, as text ("unknown" when unreadable)."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    return text if text.isdigit() else "unknown"


@contextlib.contextmanager
def folder_lock(folder: Path | str, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold an exclusive ``flock`` on ``FOLDER/.build.lock`` so two builds never write one folder at once.

    The lock belongs to the open file, so it is released when the process ends, however it
    ends (a SIGKILL included); the file itself is deleted on a normal exit. A process that
    waited on a file another process deleted meanwhile notices (the path now names another
    file or none) and locks again.

    Parameters
    ----------
    folder : Path or str
        The output folder; created when missing.
    wait : bool
        True: block until the lock is free. False: raise at once.
    on_wait : callable, optional
        Called once with the holder's process id (as text) before blocking.

    Yields
    ------
    Path
        The lock file.

    Raises
    ------
    FolderBusyError
        When ``wait`` is False and another process holds the lock.
    """
    import fcntl

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    warned = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _lock_holder(fd)
            if not wait:
                os.close(fd)
                raise FolderBusyError(
                    f"{folder}: another build (pid {holder}) is writing into this folder; "
                    "wait for it to finish or choose another output folder"
                ) from None
            if on_wait is not None and not warned:
                on_wait(holder)
                warned = True
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            same_file = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same_file = False
        if same_file:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield path
    finally:
        # deleted while still held, so that no waiting process can lock a file already gone
        path.unlink(missing_ok=True)
        os.close(fd)


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


def table_to_csv(table: pd.DataFrame) -> str:
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


def write_table(table: pd.DataFrame, path: Path | str) -> Path:
    """Write a table as CSV atomically, its floats rounded by kind (:func:`analysis.precision.round_table`).

    Rounding here, in the one writer, is what makes a table the same bytes on every CPU;
    functions that rank or plot numbers round them the same way first.

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
    return atomic_write_text(path, table_to_csv(round_table(table)))


#: Resolution of every PNG (the SVG is resolution-independent).
PNG_DPI = 150
#: Metadata that would change from run to run or machine to machine is left out.
_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None}


def figure_bytes(figure: Figure, fmt: str) -> bytes:
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
    return buffer.getvalue() if fmt != "svg" else renumber_svg_ids(buffer.getvalue())


#: matplotlib's hashed SVG ids: clip paths ``p<hash>`` and markers ``m<hash>``.
_HASHED_SVG_ID = re.compile(rb'id="(?P<id>[mp][0-9a-f]{10})"')


def renumber_svg_ids(svg: bytes) -> bytes:
    """Replace matplotlib's hashed clip-path and marker ids by numbers in order of appearance.

    matplotlib names a clip path after a hash of its rectangle's coordinates, so a last-bit
    difference in a float (another CPU's kernels) changes the id though nothing visible
    changed. Numbered ids depend only on the drawing order.

    Parameters
    ----------
    svg : bytes
        An SVG document written by matplotlib.

    Returns
    -------
    bytes
        The same document with ``clip-N`` and ``marker-N`` ids (and the references to them).
    """
    names: dict[bytes, bytes] = {}
    for match in _HASHED_SVG_ID.finditer(svg):
        old = match["id"]
        if old not in names:
            kind = b"clip" if old.startswith(b"p") else b"marker"
            names[old] = kind + b"-" + str(sum(n.startswith(kind) for n in names.values()) + 1).encode()
    if not names:
        return svg
    pattern = re.compile(rb"(?<=[\"#])(" + b"|".join(re.escape(k) for k in names) + rb")(?=[\")])")
    return pattern.sub(lambda m: names[m.group(1)], svg)


class SavedFigure(list):
    """The paths :func:`save_figure` wrote, shown in Jupyter as the PNG that was saved.

    A list of Path (PNG first, then SVG), so code that expects the paths keeps working;
    ending a notebook cell with it displays exactly the file readers will see.
    """

    def _repr_png_(self) -> bytes:
        """The saved PNG's bytes, for Jupyter's rich display."""
        return Path(self[0]).read_bytes()


def save_figure(figure: Figure, folder: Path | str, name: str) -> SavedFigure:
    """Save a figure as ``NAME.png`` and ``NAME.svg``, atomically and reproducibly.

    This is the only place figures are written; notebooks name figures after themselves
    (``02-tfidf__similarity``). The package never imports ``pyplot``, so a bare figure at
    the end of a cell shows as text; end the cell with this call to show the saved PNG.

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
    SavedFigure
        The PNG and SVG paths; displays as the PNG in Jupyter.
    """
    return SavedFigure(
        atomic_write_bytes(Path(folder) / f"{name}.{fmt}", figure_bytes(figure, fmt)) for fmt in ("png", "svg")
    )


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
MANIFEST_LIBRARIES = (
    "numpy",
    "scipy",
    "pandas",
    "scikit-learn",
    "gensim",
    "matplotlib",
    "simplemma",
    "trafilatura",
    "regex",
)


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
        "python": ".".join(
            platform.python_version_tuple()[:2]
        ),  # major.minor: a patch release must not rewrite figures/
        "libraries": versions,
        "notes": notes or {},
    }


def write_json(path: Path | str, value: Any, sort_keys: bool = False) -> Path:
    """Write a JSON document atomically: floats rounded by kind, two-space indent, UTF-8, final newline.

    Parameters
    ----------
    path : Path or str
        Destination ``.json`` file.
    value : Any
        JSON-ready data; floats are rounded with :func:`analysis.precision.round_json`.
    sort_keys : bool
        Sort the keys of every object.

    Returns
    -------
    Path
        The destination path.
    """
    import json

    text = json.dumps(round_json(value), indent=2, sort_keys=sort_keys, ensure_ascii=False)
    return atomic_write_text(path, text + "\n")


def write_manifest(folder: Path | str, name: str, manifest: dict) -> Path:
    """Write a run manifest as ``NAME.json`` (sorted keys, rounded floats, atomically).

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
    return write_json(Path(folder) / f"{name}.json", manifest, sort_keys=True)
