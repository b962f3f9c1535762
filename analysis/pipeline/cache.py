"""An on-disk cache of cleaned corpora, so every notebook and the CLI clean a corpus once.

Segmenting and cleaning dominate the cost of reading a large archive, and four notebooks
read the same corpus. The first reader writes what it computed (each article with the
cleaned tokens of its paragraphs) to ``.cache/corpora/<key>.pickle``; later readers with
the same key stream it back.

The key is a SHA-256 over everything the result depends on:

- the content (not the date) and path of every input file;
- the cleaning configuration (stopwords, aliases, phrases, options), in a canonical order;
- the source of every module of the stages that read, segment and clean
  (:data:`CODE_STAGES`) and of the package's top-level modules, and every file in
  ``analysis/data/``, so any change to that code or the word lists makes a new key;
- the versions of simplemma (lemmas) and trafilatura (HTML text), and :data:`CACHE_VERSION`.

An entry is a stream of pickled chunks of :data:`CHUNK_ARTICLES` articles, ended by a
footer, so a reader holds one chunk at a time. It is written to a temporary file and
renamed when complete, so a reader never sees half an entry. Only the newest
:data:`KEEP_ENTRIES` entries are kept. ``$ANALYSIS_CACHE`` moves the cache
(``ANALYSIS_CACHE=off`` turns it off). Entries are pickles: only load caches you wrote.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import paths
from analysis.io import atomic_file, file_sha256

if TYPE_CHECKING:
    from analysis.ingest.corpus import Article
    from analysis.ingest.duplicates import Duplicate
    from analysis.text.cleaning import CleaningConfig

CACHE_VERSION = 1
CHUNK_ARTICLES = 500  # articles per pickled chunk: bounds what a streaming reader holds at once
KEEP_ENTRIES = 8  # corpora kept; older entries are deleted when a new one is written
#: What a cached corpus depends on: every module of these stages and every top-level module
#: of the package (paths makes article ids, io reads files), whole, so no file can be missed.
CODE_STAGES = ("ingest", "text", "pipeline")
DISABLED = {"off", "0", "no", "false", "none"}
_FOOTER = "analysis.pipeline.cache footer"


@dataclass(frozen=True)
class CleanedArticle:
    """One article and the cleaned tokens of each of its paragraphs, in order.

    Attributes
    ----------
    article : Article
        The article as segmented.
    paragraph_tokens : tuple of list of str
        Tokens of ``article.paragraphs[i]`` at position ``i``.
    """

    article: Article
    paragraph_tokens: tuple[list[str], ...]


def cache_folder() -> Path | None:
    """Where entries live: ``$ANALYSIS_CACHE`` or ``.cache/corpora`` at the repository root.

    Returns
    -------
    Path or None
        None when the cache is turned off (``ANALYSIS_CACHE=off``).
    """
    value = os.environ.get("ANALYSIS_CACHE", "").strip()
    if value.lower() in DISABLED:
        return None
    return Path(value).expanduser() if value else paths.ROOT / ".cache" / "corpora"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 of the code and word lists that cleaning depends on, and library versions.

    Returns
    -------
    str
        Hex digest; changes whenever a file of :func:`code_files`, simplemma,
        trafilatura or :data:`CACHE_VERSION` changes.
    """
    digest = hashlib.sha256(f"cache-version {CACHE_VERSION}\n".encode())
    for path in code_files():
        name = path.relative_to(paths.PACKAGE).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes())
    for package in ("simplemma", "trafilatura"):
        try:
            digest.update(f"{package} {metadata.version(package)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} absent\n".encode())
    return digest.hexdigest()


def code_files() -> list[Path]:
    """The files a cached corpus depends on, in a fixed order.

    Returns
    -------
    list of Path
        Every ``.py`` file of :data:`CODE_STAGES` (recursively), every top-level module of
        the package, and every file under ``analysis/data/``.
    """
    package = paths.PACKAGE
    found = [p for stage in CODE_STAGES for p in (package / stage).rglob("*.py")]
    found += package.glob("*.py")
    found += (p for p in (package / "data").rglob("*") if p.is_file())
    return sorted(found, key=lambda p: p.relative_to(package).as_posix())


def config_fingerprint(config: CleaningConfig) -> str:
    """A canonical text of a cleaning configuration (sets and tables sorted).

    Parameters
    ----------
    config : CleaningConfig
        The configuration.

    Returns
    -------
    str
        JSON; equal configurations give equal text in every process.
    """
    return json.dumps(
        {
            "stopwords": sorted(config.stopwords),
            "aliases": sorted([list(key), value] for key, value in config.aliases.items()),
            "phrases": sorted([list(key), value] for key, value in config.phrases.items()),
            "lemmatize": config.lemmatize,
            "language": config.language,
            "min_length": config.min_length,
        },
        ensure_ascii=False,
    )


def corpus_key(files: Sequence[Path], config: CleaningConfig, options: dict[str, Any] | None = None) -> str:
    """The cache key of cleaning ``files`` with ``config``.

    Parameters
    ----------
    files : sequence of Path
        The input files, in reading order.
    config : CleaningConfig
        The cleaning configuration.
    options : dict, optional
        Anything else the result depends on (JSON-serialisable), e.g. an encoding.

    Returns
    -------
    str
        Hex digest.
    """
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(config_fingerprint(config).encode())
    digest.update(json.dumps(options or {}, sort_keys=True).encode())
    for path in files:
        digest.update(f"\n{Path(path).resolve()}\0{file_sha256(path)}".encode())
    return digest.hexdigest()


def entry_path(key: str, folder: Path | None = None) -> Path | None:
    """The file of one entry, or None when the cache is off.

    Parameters
    ----------
    key : str
        From :func:`corpus_key`.
    folder : Path, optional
        The cache folder; default :func:`cache_folder`.

    Returns
    -------
    Path or None
        ``<folder>/<key>.pickle``.
    """
    folder = cache_folder() if folder is None else folder
    return None if folder is None else folder / f"{key}.pickle"


class DamagedEntry(ValueError):
    """A cache entry that cannot be read back (truncated or not ours)."""


def read_entry(path: Path) -> Iterator[CleanedArticle | list[Duplicate]]:
    """Stream an entry: every :class:`CleanedArticle`, then the list of duplicates left out.

    Parameters
    ----------
    path : Path
        An entry written by :func:`cached`.

    Yields
    ------
    CleanedArticle, then list of Duplicate
        Articles in corpus order; the last item is the duplicates list.

    Raises
    ------
    DamagedEntry
        When the file ends early or holds something else.
    """
    with open(path, "rb") as handle:
        while True:
            try:
                chunk = pickle.load(handle)
            except (EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError) as error:
                raise DamagedEntry(
                    f"{path}: damaged cache entry ({type(error).__name__}); it will be rebuilt"
                ) from None
            if isinstance(chunk, tuple) and len(chunk) == 2 and chunk[0] == _FOOTER:
                yield chunk[1]
                return
            if not isinstance(chunk, list):
                raise DamagedEntry(f"{path}: not a cache entry; delete it")
            yield from chunk


def _prune(folder: Path, keep: int) -> None:
    """Delete all but the ``keep`` most recently used entries (and stale temporary files)."""
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)


def cached(
    key: str,
    produce: Callable[[], Iterator[CleanedArticle]],
    duplicates: list[Duplicate],
    folder: Path | None = None,
) -> Iterator[CleanedArticle]:
    """Stream the cleaned corpus of ``key``: from the cache when present, else from ``produce``.

    On a miss, what ``produce`` yields is passed on and written to a temporary file at the
    same time; the entry appears (by an atomic rename) only once the stream was consumed
    to the end. ``duplicates`` is filled with the duplicates recorded in the entry (on a
    hit) or is expected to be filled by ``produce`` (on a miss) and is stored with it.

    Parameters
    ----------
    key : str
        From :func:`corpus_key`.
    produce : callable
        Returns an iterator of :class:`CleanedArticle` (called only on a miss).
    duplicates : list
        Receives the articles left out as duplicates.
    folder : Path, optional
        The cache folder; default :func:`cache_folder`.

    Yields
    ------
    CleanedArticle
        In corpus order.
    """
    path = entry_path(key, folder)
    if path is None:
        yield from produce()
        return
    if path.exists():
        try:
            records = read_entry(path)
            first = next(records)
        except (DamagedEntry, OSError):
            path.unlink(missing_ok=True)
        else:
            os.utime(path)  # most recently used: kept longest by _prune
            item = first
            while isinstance(item, CleanedArticle):
                yield item
                item = next(records)
            duplicates.extend(item)
            return
    yield from _produce_and_store(path, produce, duplicates)


def _produce_and_store(
    path: Path, produce: Callable[[], Iterator[CleanedArticle]], duplicates: list
) -> Iterator[CleanedArticle]:
    """Pass on what ``produce`` yields while writing it; the entry appears (atomically) only when complete."""
    with atomic_file(path) as handle:
        chunk: list[CleanedArticle] = []
        for item in produce():
            chunk.append(item)
            if len(chunk) >= CHUNK_ARTICLES:
                pickle.dump(chunk, handle, protocol=pickle.HIGHEST_PROTOCOL)
                chunk = []
            yield item
        if chunk:
            pickle.dump(chunk, handle, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump((_FOOTER, list(duplicates)), handle, protocol=pickle.HIGHEST_PROTOCOL)
    _prune(path.parent, KEEP_ENTRIES)
