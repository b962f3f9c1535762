"""Read documents into articles and paragraphs, with their provenance.

Supported inputs, chosen by file extension:

``.txt`` / ``.text``
    A scraped page, one paragraph or page element per line; split into articles by
    :mod:`analysis.ingest.segment`.
``.jsonl`` / ``.ndjson`` / ``.json`` / ``.csv`` / ``.tsv``
    One article per record, with ``title`` and ``text`` columns (``headline``, ``body``
    and ``content`` are accepted too) and optional ``tags``, ``byline``/``author``,
    ``date`` and ``captions``.
``.html`` / ``.htm``
    One article per page; the main text is extracted with trafilatura, which removes
    navigation, footers and comments by itself (it is the extractor most often used and
    evaluated for web corpora in the social sciences, and works offline).
``.warc`` / ``.warc.gz`` / ``.arc`` / ``.arc.gz``
    A web archive: one article per archived HTML page (HTTP status 200), read as a saved
    ``.html`` page is, with the page's URL; other records are counted, not read (see
    :mod:`analysis.ingest.warc`).

Folders are walked recursively in sorted order; ``README`` files, hidden files and the
litter of operating systems (``Thumbs.db``, ``__MACOSX/``) are skipped silently, files of
other types are named in one note. A file that cannot be read is skipped with one line
naming it, why and the fix, unless the caller asks for ``strict`` reading or names it as
``required``; a run fails when nothing at all can be read. Every error names the file and
says what to do.

How a file's bytes are read and decoded is :mod:`analysis.ingest.reading`; which pages are
one site's, so that lines repeated across them are template, is :mod:`analysis.ingest.sites`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.ingest import segment as seg
from analysis.ingest.duplicates import Duplicate, SeenArticles
from analysis.ingest.html import HtmlPage, not_an_article, read_html_document
from analysis.ingest.listing import Listing
from analysis.ingest.reading import (
    ARCHIVE_SUFFIXES,
    HTML_SUFFIXES,
    PAGE_SUFFIXES,
    RECORD_SUFFIXES,
    InputError,
    check_encoding,
    read_page,
    read_text,
)
from analysis.ingest.recognise import count_words
from analysis.ingest.rules import Rules
from analysis.ingest.sites import CorpusRules, corpus_rules
from analysis.paths import SEEDS, display_path, printable

COLUMN_ALIASES = {
    "title": ("title", "headline", "name"),
    "text": ("text", "body", "content", "article"),
    "tags": ("tags", "keywords", "categories"),
    "byline": ("byline", "author", "authors"),
    "date": ("date", "published", "pubdate", "datetime"),
    "captions": ("captions", "caption"),
}


@dataclass(frozen=True)
class Article:
    """One article with its provenance.

    Attributes
    ----------
    id : str
        Stable id: the source file's stem and the article's position, ``"page-003"``.
    title : str
        The headline as in the source.
    tags : tuple of str
        Tags in source order.
    byline : str or None
        Author credit.
    date : str or None
        Publication date as printed in the source.
    paragraphs : tuple of str
        Body paragraphs (subheadings included), without captions or chrome.
    captions : tuple of str
        Image captions, kept apart from the body.
    source : str
        The file, relative to the repository root when inside it.
    position : int
        0-based position of the article in its source.
    line : int
        Line (or record) number where the article starts in its source, 1-based.
    removed : tuple of segment.RemovedLine
        Lines of the source taken out of the article, with the reason.
    url : str or None
        The address the page was captured from (web archives), or the address a listing page's
        item links to; None when the source does not say.
    teaser : bool
        True for an item of a listing page that shows only part of its article (a headline,
        a summary: see :mod:`analysis.ingest.listing`).
    headline_odds : float
        How likely the title is the right line of a text page saved whole
        (:attr:`analysis.ingest.segment.Segment.headline_odds`); 1.0 for other inputs.
    runner_up : tuple of (str, int) or None
        The line that came next as the title, and its line number.
    """

    id: str
    title: str
    tags: tuple[str, ...]
    byline: str | None
    date: str | None
    paragraphs: tuple[str, ...]
    captions: tuple[str, ...]
    source: str
    position: int
    line: int
    removed: tuple[seg.RemovedLine, ...] = field(default=(), repr=False, compare=False)
    url: str | None = None
    teaser: bool = False
    headline_odds: float = field(default=1.0, repr=False, compare=False)
    runner_up: tuple[str, int] | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        """The body: paragraphs joined by a blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def n_words(self) -> int:
        """Words in the body (see :func:`analysis.ingest.recognise.count_words`)."""
        return count_words(self.text)

    def to_record(self) -> dict[str, Any]:
        """The article as a JSON-ready dict, in the CLI's key order.

        Returns
        -------
        dict
            Keys ``id, title, tags, byline, date, text, captions, source, url, teaser, position,
            n_words``.
        """
        return {
            "id": self.id,
            "title": self.title,
            "tags": list(self.tags),
            "byline": self.byline,
            "date": self.date,
            "text": self.text,
            "captions": list(self.captions),
            "source": self.source,
            "url": self.url,
            "teaser": self.teaser,
            "position": self.position,
            "n_words": self.n_words,
        }


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph, the finer document unit.

    Attributes
    ----------
    id : str
        ``"<article id>-p<NNN>"``, stable as long as the article is.
    article_id : str
        The article it belongs to.
    position : int
        0-based position within the article.
    text : str
        The paragraph.
    """

    id: str
    article_id: str
    position: int
    text: str


def iter_paragraphs(articles: Iterable[Article]) -> Iterator[Paragraph]:
    """Yield every body paragraph of every article, in order.

    Parameters
    ----------
    articles : iterable of Article
        Articles from :func:`iter_articles`.

    Yields
    ------
    Paragraph
        With ids ``"<article id>-p000"``, ``"-p001"``, ...
    """
    for article in articles:
        for position, text in enumerate(article.paragraphs):
            yield Paragraph(f"{article.id}-p{position:03d}", article.id, position, text)


#: File names that operating systems and tools leave in folders; skipped without a note.
JUNK_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"})
#: Folder names of the same kind (macOS zip archives carry a ``__MACOSX`` copy of every file).
JUNK_FOLDERS = frozenset({"__macosx", "__pycache__"})
#: Files of unsupported types named in a note before "and N more".
UNSUPPORTED_EXAMPLES = 10


class SkippedFileWarning(UserWarning):
    """A file left out of a run; the message is one line naming it, why and the fix.

    Parameters
    ----------
    message : str
        The note (see :func:`skipped_notes`).
    unsupported : bool
        True for the one note on files of unsupported types, False for a file that could not be read.
    """

    def __init__(self, message: str, unsupported: bool = False) -> None:
        super().__init__(message)
        self.unsupported = unsupported


@dataclass(frozen=True)
class Skipped:
    """An input file that was not read, and why.

    Attributes
    ----------
    path : Path
        The file.
    message : str
        One line naming the file, what is wrong and the fix (an :class:`InputError`'s text).
    unsupported : bool
        True for a file whose type no reader knows (reported together in one note).
    """

    path: Path
    message: str
    unsupported: bool = False


@dataclass(frozen=True)
class Inputs:
    """What a list of files and folders holds.

    Attributes
    ----------
    files : tuple of Path
        Documents to read: files named directly, in the order given, then each folder's
        supported files in sorted order.
    skipped : tuple of Skipped
        Files found in folders that will not be read: unsupported types, unreadable
        sub-folders.
    """

    files: tuple[Path, ...]
    skipped: tuple[Skipped, ...] = ()


def input_suffix(path: Path | str) -> str:
    """The lower-case suffix that decides a file's type: ``".txt"``, or a double one, ``".warc.gz"``.

    Parameters
    ----------
    path : Path or str
        A file.

    Returns
    -------
    str
        The last two suffixes when together they name a type in :data:`READERS`
        (``crawl.warc.gz``), else the last one (``notes.v2.txt`` is ``".txt"``, ``page.html.gz``
        is ``".gz"``); ``""`` for a name without one.
    """
    suffixes = [s.lower() for s in Path(path).suffixes]
    double = "".join(suffixes[-2:])
    return double if len(suffixes) >= 2 and double in READERS else Path(path).suffix.lower()


def input_stem(path: Path | str) -> str:
    """A file's name without the suffix :func:`input_suffix` gives: ``crawl.warc.gz`` is ``crawl``.

    Parameters
    ----------
    path : Path or str
        A file.

    Returns
    -------
    str
        The name article ids start with.
    """
    name = Path(path).name
    return name[: len(name) - len(input_suffix(path))]


def supported_types() -> str:
    """The supported extensions, for messages: ``".csv, .htm, .html, ..."``.

    Returns
    -------
    str
        Sorted and comma-separated.
    """
    return ", ".join(sorted(READERS))


def find_inputs(paths: Sequence[Path | str] = ()) -> Inputs:
    """Resolve files and folders into the documents to read and the files left out.

    Parameters
    ----------
    paths : sequence of Path or str
        Files and folders; :data:`analysis.paths.SEEDS` when empty.

    Returns
    -------
    Inputs
        Files given explicitly, in the order given, then each folder's supported files in
        sorted order (symbolic links to folders are not followed, so loops cannot hang), and
        the files of unsupported types found in folders.

    Raises
    ------
    FileNotFoundError
        When a path does not exist.
    InputError
        When a file named directly has an unsupported extension, or a folder holds no
        supported file.
    """
    files: list[Path] = []
    skipped: list[Skipped] = []
    for given in paths or (SEEDS,):
        path = Path(given)
        if path.is_dir():
            found, left_out = _walk(path)
            if not found:
                raise InputError(
                    f"{path}: no documents found ({_unsupported_summary(left_out)}); {_add_documents_hint()}"
                )
            files.extend(found)
            skipped.extend(left_out)
        elif path.is_file():
            if input_suffix(path) not in READERS:
                raise InputError(
                    f"{path}: unsupported file type {path.suffix or '(none)'!r}; save it as one of {supported_types()}"
                )
            files.append(path)
        elif path.exists() or path.is_symlink():
            raise InputError(f"{path}: not a regular file (broken link or device); point at a file or folder")
        else:
            raise FileNotFoundError(f"{path}: no such file or folder; check the path (default corpus: seeds/)")
    return Inputs(tuple(files), tuple(skipped))


def find_files(paths: Sequence[Path | str] = ()) -> list[Path]:
    """Resolve files and folders into the sorted list of documents to read (see :func:`find_inputs`).

    Parameters
    ----------
    paths : sequence of Path or str
        Files and folders; :data:`analysis.paths.SEEDS` when empty.

    Returns
    -------
    list of Path
        :attr:`Inputs.files`.

    Raises
    ------
    FileNotFoundError, InputError
        As :func:`find_inputs`.
    """
    return list(find_inputs(paths).files)


def _add_documents_hint() -> str:
    return "add scraped pages to the folder or name files directly"


def _unsupported_summary(left_out: Sequence[Skipped]) -> str:
    unsupported = [s for s in left_out if s.unsupported]
    if not unsupported:
        return f"supported: {supported_types()}"
    return f"{_count(len(unsupported), 'file')} of unsupported types; supported: {supported_types()}"


def _count(n: int, noun: str) -> str:
    """``"1 file"``, ``"3 files"``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _is_junk(name: str) -> bool:
    """Hidden files, ``README`` files and the litter operating systems leave behind."""
    lowered = name.casefold()
    return name.startswith((".", "~$")) or name.endswith("~") or lowered.startswith("readme") or lowered in JUNK_NAMES


def _walk(folder: Path) -> tuple[list[Path], list[Skipped]]:
    """Supported files below ``folder`` in sorted order, and the files left out (links to folders not followed)."""
    found: list[Path] = []
    left_out: list[Skipped] = []

    def unreadable(error: OSError) -> None:
        message = f"{error.filename}: folder cannot be read ({error.strerror}); make it readable or move it out"
        if Path(error.filename) == folder:
            raise InputError(message)
        left_out.append(Skipped(Path(error.filename), message))

    for root, dirs, names in os.walk(folder, followlinks=False, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d.casefold() not in JUNK_FOLDERS]
        for name in names:
            path = Path(root) / name
            if _is_junk(name) or not path.is_file():  # no FIFOs, sockets, broken links
                continue
            if input_suffix(path) in READERS:
                found.append(path)
            else:
                left_out.append(Skipped(path, f"{path}: unsupported file type {path.suffix or '(none)'!r}", True))

    def order(item: Path | Skipped) -> str:
        return (item if isinstance(item, Path) else item.path).relative_to(folder).as_posix()

    return sorted(found, key=order), sorted(left_out, key=order)


def skipped_notes(skipped: Sequence[Skipped]) -> list[str]:
    """The lines that tell a reader which files were left out: one per unreadable file, one for all unsupported.

    Parameters
    ----------
    skipped : sequence of Skipped
        From :func:`iter_articles`'s ``skipped`` list (or :attr:`Inputs.skipped`).

    Returns
    -------
    list of str
        ``"skipped site/empty.txt: the file is empty; remove it ..."`` for each file that
        could not be read, then ``"skipped 3 files of unsupported types: a.gz, b.md, c.xml;
        supported: .csv, ..."`` once.
    """
    lines = [f"skipped {s.message}" for s in skipped if not s.unsupported]
    unsupported = [s for s in skipped if s.unsupported]
    if unsupported:
        names = [display_path(s.path) for s in unsupported[:UNSUPPORTED_EXAMPLES]]
        more = (
            f" and {len(unsupported) - UNSUPPORTED_EXAMPLES:,} more" if len(unsupported) > UNSUPPORTED_EXAMPLES else ""
        )
        noun = "type" if len({input_suffix(s.path) for s in unsupported}) == 1 else "types"
        lines.append(
            f"skipped {_count(len(unsupported), 'file')} of unsupported {noun}: {', '.join(names)}{more}; "
            f"supported: {supported_types()} (convert them, or move them out of the folder)"
        )
    return lines


#: Unicode category Cc (U+0000–U+001F, U+007F–U+009F) except the white-space controls \t \n \v \f \r.
def _article_id(path: Path, position: int) -> str:
    return f"{printable(input_stem(path))}-{position:03d}"


def articles_from_page(text: str, path: Path, rules: Rules) -> list[Article]:
    """Segment one scraped page into articles.

    Parameters
    ----------
    text : str
        The page's text.
    path : Path
        Its file, for ids, provenance and messages.
    rules : Rules
        Segmentation rules.

    Returns
    -------
    list of Article
        The page's articles in order; lines outside every article are attached to the first
        article's ``removed`` list.

    Raises
    ------
    InputError
        When the page has no recognisable article.
    """
    segments, outside = seg.segment_page(text, rules)
    if not segments:
        raise InputError(
            f"{path}: no recognisable articles (expected a headline line followed by paragraphs); "
            "check it is a scraped article page, or add patterns for its chrome with --chrome-pattern"
        )
    source = display_path(path)
    articles = []
    for position, found in enumerate(segments):
        removed = found.removed + (tuple(outside) if position == 0 else ())
        articles.append(
            Article(
                id=_article_id(path, position),
                title=found.title,
                tags=found.tags,
                byline=found.byline,
                date=found.date,
                paragraphs=found.paragraphs,
                captions=found.captions,
                source=source,
                position=position,
                line=found.first_line,
                removed=tuple(sorted(removed, key=lambda r: r.number)),
                headline_odds=found.headline_odds,
                runner_up=found.runner_up,
            )
        )
    return articles


def _pick(record: dict[str, Any], field_name: str) -> Any:
    lowered = {str(k).strip().casefold(): v for k, v in record.items()}
    for name in COLUMN_ALIASES[field_name]:
        if name in lowered and lowered[name] not in (None, ""):
            return lowered[name]
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean_value(value: Any) -> Any:
    """Replace lone surrogates (invalid in UTF-8, possible in JSON escapes) by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_clean_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_value(v) for k, v in value.items()}
    return value


def _as_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    separator = ";" if ";" in str(value) else ","
    return tuple(t.strip() for t in str(value).split(separator) if t.strip())


def article_from_record(record: dict[str, Any], path: Path, position: int) -> Article | None:
    """Build an article from one JSONL/JSON/CSV record.

    Parameters
    ----------
    record : dict
        Field name to value; names are matched case-insensitively via :data:`COLUMN_ALIASES`.
    path : Path
        The file, for ids and provenance.
    position : int
        0-based record number.

    Returns
    -------
    Article or None
        None for a record whose text is empty (counted, not an error).
    """
    for field_name in ("title", "text", "byline", "date"):
        value = _pick(record, field_name)
        if value is not None and not isinstance(value, str):
            raise InputError(
                f"{path}: record {position + 1}: {field_name!r} must be a string, found {type(value).__name__} "
                f"{str(value)[:40]!r}; fix the record"
            )
    text = _pick(record, "text")
    if text is None or not str(text).strip():
        return None
    paragraphs = tuple(p.strip() for p in str(text).replace("\r\n", "\n").split("\n") if p.strip())
    byline = _pick(record, "byline")
    date = _pick(record, "date")
    title = _pick(record, "title")
    return Article(
        id=_article_id(path, position),
        title=str(title).strip() if title is not None else "",
        tags=_as_list(_pick(record, "tags")),
        byline=str(byline).strip() if byline is not None else None,
        date=str(date).strip() if date is not None else None,
        paragraphs=paragraphs,
        captions=_as_list(_pick(record, "captions")),
        source=display_path(path),
        position=position,
        line=position + 1,
    )


def _parse_json(text: str, path: Path, line: int | None) -> Any:
    """Parse JSON with errors that name the file (and line for JSON Lines)."""
    where = f"{path}:{line}" if line is not None else str(path)
    try:
        return _clean_value(json.loads(text))
    except json.JSONDecodeError as error:
        where = where if line is not None else f"{path}:{error.lineno}"
        raise InputError(f"{where}: not valid JSON ({error.msg}); fix the file") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply to be articles; expected a list of flat objects") from None


def _parse_table(text: str, path: Path, delimiter: str) -> list[dict[str, Any]]:
    """Parse CSV/TSV, refusing rows whose field count differs from the header's."""
    csv.field_size_limit(2**31 - 1)  # article bodies are long; the default limit is 128 KiB
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            if None in row:
                raise InputError(
                    f"{path}:{reader.line_num}: row has more fields than the header; "
                    "quote fields that contain the delimiter"
                )
            if any(v is None for v in row.values()):
                raise InputError(f"{path}:{reader.line_num}: row has fewer fields than the header; fill or remove it")
            rows.append(row)
    except csv.Error as error:
        raise InputError(f"{path}:{reader.line_num}: not valid CSV ({error}); fix the file") from None
    return rows


def read_records(text: str, path: Path) -> list[dict[str, Any]]:
    """Parse JSONL, JSON (a list of objects), CSV or TSV text into records.

    Parameters
    ----------
    text : str
        The file's text.
    path : Path
        The file; its extension picks the parser.

    Returns
    -------
    list of dict
        One dict per record.

    Raises
    ------
    InputError
        On malformed JSON, JSON that is not a list of objects, or records lacking a text
        column.
    """
    suffix = path.suffix.lower()
    records: list[Any]
    if suffix in (".jsonl", ".ndjson"):
        records = [_parse_json(line, path, number) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    elif suffix == ".json":
        records = _parse_json(text, path, None)
        if not isinstance(records, list):
            raise InputError(
                f"{path}: expected a JSON list of article objects, found {type(records).__name__}; wrap the articles in [...]"
            )
    else:
        records = _parse_table(text, path, "\t" if suffix == ".tsv" else ",")
    if any(not isinstance(r, dict) for r in records):
        raise InputError(f"{path}: every record must be an object with title and text fields; fix the file")
    if records and all(_pick(r, "text") is None for r in records):
        columns = sorted({str(k) for r in records for k in r})
        raise InputError(
            f"{path}: no text column (found: {', '.join(columns) or 'none'}); "
            f"name the article text column one of {', '.join(COLUMN_ALIASES['text'])}"
        )
    return records


def articles_from_records(text: str, path: Path) -> list[Article]:
    """Read one JSONL/JSON/CSV/TSV file into articles.

    Parameters
    ----------
    text : str
        The file's text.
    path : Path
        The file.

    Returns
    -------
    list of Article
        One per record with non-empty text.

    Raises
    ------
    InputError
        When the file holds no article with text.
    """
    records = read_records(text, path)
    articles = [a for i, r in enumerate(records) if (a := article_from_record(r, path, i)) is not None]
    if not articles:
        raise InputError(f"{path}: no record has any text; fill the text column or remove the file")
    return articles


def article_from_html(text: str, path: Path, rules: Rules | None = None) -> list[Article]:
    """Extract the articles of an HTML page: its main article, or the items of a listing page.

    Parameters
    ----------
    text : str
        The HTML.
    path : Path
        The file.
    rules : Rules, optional
        Chrome rules for the extracted text, the user's own included.

    Returns
    -------
    list of Article
        One article (the page's main text), with the headline a reader sees, one name per
        author, the publication date and the keywords, from the page's structured data first
        (see :func:`analysis.ingest.html.read_html`); or, for a listing page (see
        :mod:`analysis.ingest.listing`), one article per item with its link as ``url``.

    Raises
    ------
    InputError
        When no main text can be found, or the page is a wall or an error page.
    """
    page = read_html_document(text, rules)
    if isinstance(page, Listing):
        return articles_from_listing(page, path)
    if page is None:
        raise InputError(
            f"{path}: no main text found in the HTML; check the page saved completely (not a login or consent page)"
        )
    wall = not_an_article(page)
    if wall is not None:
        raise InputError(f"{path}: not an article but {wall}; save the article's own page after you can see its text")
    return [article_from_html_page(page, path)]


def articles_from_listing(listing: Listing, path: Path, page: int | None = None, line: int = 1) -> list[Article]:
    """One article per item of a listing page, in page order.

    Parameters
    ----------
    listing : Listing
        From :func:`analysis.ingest.html.read_html_document`.
    path : Path
        The file holding the page.
    page : int, optional
        The page's position in an archive: item ids are then ``"<name>-PPP-NNN"``; for a
        saved page, ``"<name>-NNN"``.
    line : int
        Where the page starts in its file (the record number in an archive).

    Returns
    -------
    list of Article
        Title, link (``url``), summary as the body (the headline when the page prints a
        headline alone: it is all the page says of that article, and an empty document would
        count in no table), the block's date and byline, and ``teaser`` set when only part of
        the article is shown.
    """
    stem = _article_id(path, page) if page is not None else printable(input_stem(path))
    return [
        Article(
            id=f"{stem}-{n:03d}",
            title=item.title,
            tags=(),
            byline=item.author,
            date=item.date,
            paragraphs=item.summary or (item.title,),
            captions=(),
            source=display_path(path),
            position=n if page is None else page,
            line=line,
            url=item.link,
            teaser=item.teaser,
        )
        for n, item in enumerate(listing.items)
    ]


def article_from_html_page(
    page: HtmlPage, path: Path, position: int = 0, line: int = 1, url: str | None = None
) -> Article:
    """The article of an extracted HTML page (:func:`analysis.ingest.html.read_html`), from a file or an archive.

    Parameters
    ----------
    page : HtmlPage
        What the page says about its article.
    path : Path
        The file holding the page, for the id and provenance.
    position : int
        The page's 0-based position in the file (0 for a saved ``.html`` page).
    line : int
        Where it starts in the file, 1-based (the record number in an archive).
    url : str, optional
        The address the page was captured from.

    Returns
    -------
    Article
        Authors joined by " and "; no captions (the extractor leaves them out of the text).
    """
    return Article(
        id=_article_id(path, position),
        title=page.title,
        tags=page.tags,
        byline=" and ".join(page.authors) or None,
        date=page.date,
        paragraphs=page.paragraphs,
        captions=(),
        source=display_path(path),
        position=position,
        line=line,
        url=url,
    )


def _read_page_file(path: Path, rules: Rules, encoding: str | None) -> list[Article]:
    """A scraped page saved as text: segmented into articles with the corpus's rules."""
    return articles_from_page(read_page(path, encoding), path, rules)


def _read_record_file(path: Path, rules: Rules, encoding: str | None) -> list[Article]:
    """A JSON Lines, JSON, CSV or TSV file: one article per record."""
    return articles_from_records(read_text(path, encoding), path)


def _read_html_file(path: Path, rules: Rules, encoding: str | None) -> list[Article]:
    """A saved HTML page: its main text, extracted as one article."""
    return article_from_html(read_text(path, encoding), path, rules)


def _read_archive_file(path: Path, rules: Rules, encoding: str | None) -> list[Article]:
    """A web archive (WARC or ARC): one article per archived HTML page."""
    # imported here, not at the top: warc builds on this module's decoding and articles, and loads warcio
    from analysis.ingest import warc

    return warc.read_archive(path, encoding, rules=rules).articles


#: The reader of each file type, by lower-case suffix (:func:`input_suffix`). A new input
#: format is one reader ``(path, rules, encoding) -> list[Article]`` and one line here.
READERS: dict[str, Callable[[Path, Rules, str | None], list[Article]]] = {
    **dict.fromkeys(PAGE_SUFFIXES, _read_page_file),
    **dict.fromkeys(RECORD_SUFFIXES, _read_record_file),
    **dict.fromkeys(HTML_SUFFIXES, _read_html_file),
    **dict.fromkeys(ARCHIVE_SUFFIXES, _read_archive_file),
}


#: What each file type holds, in words, by lower-case suffix (for audits and figures).
INPUT_KINDS = {
    **dict.fromkeys(PAGE_SUFFIXES, "text page"),
    **dict.fromkeys(RECORD_SUFFIXES, "records"),
    **dict.fromkeys(HTML_SUFFIXES, "html"),
    **dict.fromkeys(ARCHIVE_SUFFIXES, "web archive"),
}


def input_kind(path: Path | str) -> str:
    """What a file holds, by its extension: ``"text page"``, ``"records"``, ``"html"``, ``"web archive"`` or ``"other"``.

    Parameters
    ----------
    path : Path or str
        A file (an article's ``source`` will do).

    Returns
    -------
    str
        A text page is segmented line by line; an HTML page's boilerplate is removed by the
        extractor before anything is recorded, and so is that of each page of a web archive;
        records are read as given.
    """
    return INPUT_KINDS.get(input_suffix(Path(path)), "other")


def read_file(path: Path, rules: Rules, encoding: str | None = None) -> list[Article]:
    """Read one supported file into its articles, with the reader :data:`READERS` names for its type.

    Parameters
    ----------
    path : Path
        A file with a supported extension.
    rules : Rules
        Segmentation rules for scraped pages.
    encoding : str, optional
        Codec for the file; UTF-8 by default.

    Returns
    -------
    list of Article
        The file's articles in order.

    Raises
    ------
    InputError
        When the file's type has no reader, or as the reader.
    """
    reader = READERS.get(input_suffix(path))
    if reader is None:
        raise InputError(f"{path}: unsupported file type; save it as one of {', '.join(sorted(READERS))}")
    return reader(path, rules, encoding)


@dataclass(frozen=True)
class FileResult:
    """What reading one file gave: its articles, or the one-line reason it could not be read.

    Attributes
    ----------
    path : Path
        The file.
    articles : tuple of Article
        Its articles in order (empty when it could not be read).
    error : str or None
        The :class:`InputError` message naming the file and the fix; None when read.
    """

    path: Path
    articles: tuple[Article, ...]
    error: str | None = None


def read_file_job(context: tuple[CorpusRules | Rules, str | None], path: Path) -> FileResult:
    """:func:`read_file` as a mapper task: ``context`` is the corpus-wide ``(rules, encoding)``.

    Parameters
    ----------
    context : tuple of (CorpusRules or Rules, str or None)
        From :func:`corpus_rules` (each file gets its site group's rules), and the codec for
        files that are not valid UTF-8 and declare nothing.
    path : Path
        The file to read.

    Returns
    -------
    FileResult
        The file's articles, or the message of the :class:`InputError` that stopped it: the
        caller decides whether that file is skipped or stops the run.
    """
    rules, encoding = context
    file_rules = rules.for_file(path) if isinstance(rules, CorpusRules) else rules
    try:
        return FileResult(path, tuple(read_file(path, file_rules, encoding)))
    except InputError as error:
        return FileResult(path, (), str(error))


#: Inputs named in a message before "and N more".
WHERE_EXAMPLES = 3


def describe_inputs(paths: Sequence[Path | str]) -> str:
    """The inputs as a message names them: ``"seeds"``, ``"a.txt, b.txt and 4 more"``.

    Parameters
    ----------
    paths : sequence of Path or str
        What the caller passed (empty: the default corpus).

    Returns
    -------
    str
        At most :data:`WHERE_EXAMPLES` paths, then a count.
    """
    names = [str(p) for p in paths] or [display_path(SEEDS)]
    if len(names) <= WHERE_EXAMPLES:
        return ", ".join(names)
    return f"{', '.join(names[:WHERE_EXAMPLES])} and {len(names) - WHERE_EXAMPLES:,} more"


def _warn(warning: SkippedFileWarning) -> None:
    """Issue a skipped-file warning that prints as one line: it names the file itself, so no source line is shown."""
    warnings.warn_explicit(warning, SkippedFileWarning, filename="analysis.ingest", lineno=0)


def _reporter(skipped: list[Skipped] | None) -> Callable[[Sequence[Skipped]], None]:
    """Where skipped files go: into the caller's list, else one :class:`SkippedFileWarning` per note."""

    def report(items: Sequence[Skipped]) -> None:
        if skipped is not None:
            skipped.extend(items)
            return
        for item in items:
            if not item.unsupported:
                _warn(SkippedFileWarning(skipped_notes([item])[0]))
        for note in skipped_notes([item for item in items if item.unsupported]):
            _warn(SkippedFileWarning(note, unsupported=True))

    return report


def _nothing_read(paths: Sequence[Path | str], failures: Sequence[FileResult]) -> InputError:
    """The error of a run in which no file could be read: the file's own, or a count and the first."""
    if len(failures) == 1:
        return InputError(failures[0].error)
    return InputError(
        f"{describe_inputs(paths)}: none of the {len(failures):,} files could be read; the first: {failures[0].error}"
    )


def iter_articles(
    paths: Sequence[Path | str] = (),
    extra_rules: Sequence[str] = (),
    encoding: str | None = None,
    progress: bool = False,
    duplicates: list[Duplicate] | None = None,
    mapper: Callable[..., Iterable[FileResult]] | None = None,
    strict: bool = False,
    skipped: list[Skipped] | None = None,
    required: Collection[Path | str] = (),
) -> Iterator[Article]:
    """Stream the articles of every document under ``paths``, in a deterministic order.

    Parameters
    ----------
    paths : sequence of Path or str
        Files and folders; the project's ``seeds/`` when empty.
    extra_rules : sequence of str
        Extra segmentation rules (``kind: regex`` lines).
    encoding : str, optional
        Codec for files that are not valid UTF-8 and declare none (see :func:`decode`).
    progress : bool
        Show a progress bar over files.
    duplicates : list, optional
        When a list is given, an article with the same title and body as an earlier one
        (see :func:`analysis.ingest.duplicates.fingerprint`) is counted once: it is not yielded, and a
        :class:`Duplicate` is appended to the list so the caller can report it. A listing
        page's teaser is counted once too when it links to the address of a teaser before
        it, or of a whole article before it or in its own file. When None, every article is
        yielded.
    mapper : callable, optional
        How files are read and segmented: ``mapper(read_file_job, files, (rules, encoding))``
        must yield :func:`read_file_job`'s results in file order (the pipeline passes a
        :class:`~analysis.pipeline.parallel.ParallelMap`); None reads them here, one by one.
        Segmenting a file depends only on the file, the rules and the pages of its own site
        (:func:`site_groups`), so the articles are the same for any mapper.
    strict : bool
        Stop at the first file that cannot be read, instead of skipping it.
    skipped : list, optional
        Receives a :class:`Skipped` for each file left out, for the caller to report (see
        :func:`skipped_notes`): files of unsupported types found in folders before the first
        article, files that could not be read after the last (none when nothing could be
        read: the error names them). When None, each note is a :class:`SkippedFileWarning`.
    required : collection of Path or str
        Files that must be read even when ``strict`` is off (the command line passes the
        files named on it): a failure there stops the run.

    Yields
    ------
    Article
        Files in :func:`find_inputs` order, articles in page order.

    Raises
    ------
    InputError, FileNotFoundError
        On a missing input or an unknown ``encoding``; on a file that cannot be read when
        ``strict`` or ``required``; when no file at all can be read (naming the files); on
        two files whose articles would get the same ids.
    """
    inputs = find_inputs(paths)
    check_encoding(encoding, describe_inputs(paths))
    if strict and any(not s.unsupported for s in inputs.skipped):
        raise InputError(next(s.message for s in inputs.skipped if not s.unsupported))
    report_skipped(inputs.skipped, skipped)
    must_read = {Path(p) for p in required}
    rules = corpus_rules(inputs.files, extra_rules, encoding, mapper)
    jobs = (rules, encoding)
    results = mapper(read_file_job, inputs.files, jobs) if mapper else (read_file_job(jobs, p) for p in inputs.files)
    if progress:
        from tqdm.auto import tqdm

        results = tqdm(results, total=len(inputs.files), desc="reading", unit="file")
    failures: list[FileResult] = []
    seen = SeenArticles(duplicates)
    for result in results:
        if result.error is not None:
            if strict or result.path in must_read:
                raise InputError(result.error)
            failures.append(result)
            continue
        yield from seen.new(result)
    report_unread(paths, failures, len(inputs.files), skipped)


def report_skipped(items: Sequence[Skipped], skipped: list[Skipped] | None = None) -> None:
    """Report files left out: into ``skipped`` when a list is given, else one :class:`SkippedFileWarning` per note.

    Parameters
    ----------
    items : sequence of Skipped
        The files left out (unsupported types share one note).
    skipped : list, optional
        Receives the items instead of warnings.
    """
    _reporter(skipped)(items)


def report_unread(
    paths: Sequence[Path | str], failures: Sequence[FileResult], n_files: int, skipped: list[Skipped] | None = None
) -> None:
    """After a run: the files that could not be read, reported; or the error of a run that read none.

    Reported at the end, so that a run that reads nothing says it once, in its error.

    Parameters
    ----------
    paths : sequence of Path or str
        What the caller passed (named in the error).
    failures : sequence of FileResult
        The results with an ``error``, in file order.
    n_files : int
        Files the run tried to read.
    skipped : list, optional
        Receives a :class:`Skipped` per failure; None issues a :class:`SkippedFileWarning` each.

    Raises
    ------
    InputError
        When every file failed (naming them, or the one).
    """
    if n_files and len(failures) == n_files:
        raise _nothing_read(paths, failures)
    report_skipped([Skipped(f.path, f.error) for f in failures if f.error is not None], skipped)


def load_articles(paths: Sequence[Path | str] = (), **options: Any) -> list[Article]:
    """Read every article under ``paths`` into a list (see :func:`iter_articles`).

    Parameters
    ----------
    paths : sequence of Path or str
        Files and folders; ``seeds/`` when empty.
    **options
        Passed to :func:`iter_articles` (``duplicates=[]`` counts repeated articles once).

    Returns
    -------
    list of Article
        All articles in order.
    """
    return list(iter_articles(paths, **options))
