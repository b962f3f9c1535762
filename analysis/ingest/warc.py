"""Read web archives (WARC and ARC files): the HTML pages a crawler captured, with their URL and capture date.

Researchers hold crawls as web archives: ``.warc`` and ``.arc`` files, compressed as
``.warc.gz`` and ``.arc.gz`` with one gzip member per record, as crawlers and archiving
services write them. warcio reads all four (ARC records converted to WARC's fields); the
records are streamed, one at a time, never the whole archive in memory.

**What becomes a page.** An HTTP ``response`` record with status 200 whose payload is HTML
(``Content-Type`` ``text/html`` or ``application/xhtml+xml``; without a type, a payload that
starts like HTML, :func:`looks_like_html`). Its URL is ``WARC-Target-URI``, its capture date
``WARC-Date`` (ISO 8601), its text decoded by
:func:`analysis.ingest.reading.decode_payload`. Each page is read as a saved ``.html`` file is
(:func:`analysis.ingest.html.read_html`); its article's date is the page's own publication
date when the page states one, else the capture date.

**What is counted, not read** (:class:`ArchiveStats`): records of other types (``request``,
``revisit``, ``metadata``, ``warcinfo``, ``resource`` ...), responses that are not HTTP
(``dns:``), not HTML, or of another status than 200 (``"status 404"``), and HTML pages in which
the extractor finds no main text (``"no text"``).

**A damaged archive fails as a whole.** A truncated or corrupt archive (a gzip member or a
record cut short, a record header that does not parse) gives one error naming the file, the
record's number and byte offset, and the fix; the pages before the damage are not used.
Keeping them would make a file both read and failed, which no caller reports; a researcher
who wants them can cut the archive at the offset the error names.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from analysis.ingest.corpus import Article, article_from_html_page, articles_from_listing
from analysis.ingest.html import not_an_article, read_html_document
from analysis.ingest.listing import Listing
from analysis.ingest.reading import InputError, decode_payload
from analysis.ingest.rules import Rules

#: Content types of an HTML payload.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: Bytes of a payload without a content type searched for the start of an HTML document.
SNIFF_BYTES = 1024
#: The kinds of skipped records, in the order they are reported; ``"status NNN"`` kinds follow.
SKIP_KINDS = (
    "warcinfo",
    "request",
    "revisit",
    "metadata",
    "resource",
    "other record",
    "not HTTP",
    "not HTML",
    "no text",
    "not an article",
)
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^;"'\s]+)""", re.IGNORECASE)
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)
_FIX = "re-download or re-copy the archive, or cut it before that offset to keep the records before it"


@dataclass
class ArchiveStats:
    """What an archive held: its records, the pages read, and the records skipped by kind.

    Attributes
    ----------
    records : int
        Records read, every type.
    pages : int
        HTML pages that gave an article, or items (a listing page counts once).
    listings : int
        Of those, listing pages read as one article per item (:mod:`analysis.ingest.listing`).
    skipped : Counter
        Records not read, by kind (:data:`SKIP_KINDS`, ``"status 404"``).
    encodings : Counter
        The pages read, by how they were decoded (``"utf-8"``, ``"cp1252 (declared by the server)"``).
    host_template : int
        Paragraphs removed because they recur on many pages of their host (see
        :func:`remove_host_template`).
    """

    records: int = 0
    pages: int = 0
    listings: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    encodings: Counter[str] = field(default_factory=Counter)
    host_template: int = 0

    def skipped_by_kind(self) -> dict[str, int]:
        """The skipped records by kind, in :data:`SKIP_KINDS` order, then statuses by code; kinds with none left out."""
        order = {kind: i for i, kind in enumerate(SKIP_KINDS)}
        return dict(sorted(self.skipped.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))

    def describe(self) -> str:
        """``"3 pages read of 9 records; skipped: 2 request, 1 revisit, 1 status 404"``."""
        skipped = ", ".join(f"{n:,} {kind}" for kind, n in self.skipped_by_kind().items())
        pages = "1 page" if self.pages == 1 else f"{self.pages:,} pages"
        pages += f" ({self.listings:,} of them listing pages)" if self.listings else ""
        template = (
            f"; {self.host_template:,} paragraphs repeated across a host's pages removed" if self.host_template else ""
        )
        return f"{pages} read of {self.records:,} records" + (f"; skipped: {skipped}" if skipped else "") + template


@dataclass(frozen=True)
class ArchivePage:
    """One archived HTML page.

    Attributes
    ----------
    url : str
        ``WARC-Target-URI``.
    captured : str
        ``WARC-Date``: when the crawler fetched it, ISO 8601 (``"2024-03-05T10:00:00Z"``).
    html : str
        The decoded page.
    encoding : str
        How it was decoded (:meth:`analysis.ingest.reading.Decoded.describe`).
    record : int
        The record's number in the archive, 1-based.
    """

    url: str
    captured: str
    html: str
    encoding: str
    record: int


@dataclass(frozen=True)
class ArchiveRead:
    """An archive's articles and what it held.

    Attributes
    ----------
    articles : list of Article
        One per page with main text, in archive order.
    stats : ArchiveStats
        Records, pages read, records skipped by kind.
    """

    articles: list[Article]
    stats: ArchiveStats


def looks_like_html(payload: bytes) -> bool:
    """Whether a payload without a content type starts like an HTML document.

    Parameters
    ----------
    payload : bytes
        The payload (its first :data:`SNIFF_BYTES` are looked at).

    Returns
    -------
    bool
        True when it starts, after white space, a byte-order mark, an XML declaration and
        comments, with ``<!DOCTYPE html`` or ``<html``.
    """
    return _HTML_START.match(payload[:SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf")) is not None


def skip_kind(record: Any) -> str | None:
    """Why a record is not a page, from its headers alone, or None when it may be one.

    Parameters
    ----------
    record : warcio.recordloader.ArcWarcRecord
        A record.

    Returns
    -------
    str or None
        The record's type for records other than responses; ``"not HTTP"``, ``"status 404"``,
        ``"not HTML"`` for responses that are no page; None for a status-200 HTTP response
        typed as HTML or not typed (its payload decides: :func:`looks_like_html`).
    """
    if record.rec_type != "response":
        return record.rec_type if record.rec_type in SKIP_KINDS else "other record"
    if record.http_headers is None:
        return "not HTTP"
    status = record.http_headers.get_statuscode()
    if status != "200":
        return f"status {status}"
    mime = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return None if not mime or mime in HTML_TYPES else "not HTML"


def _charset(record: Any) -> str | None:
    found = _CHARSET.search(record.http_headers.get_header("Content-Type") or "")
    return found.group(1) if found else None


class _Damage(Exception):
    """The archive is damaged at the record being read: ``reason`` says how."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _OneGzipStream(Exception):
    """The archive is compressed as one gzip stream: readable once recompressed, but not as it is."""


class _CheckedIterator(ArchiveIterator):
    """warcio's iterator, noting whether the last gzip member ended before it closes (a cut member ends silently)."""

    member_ended = True

    def close(self) -> None:
        decompressor = getattr(self.reader, "decompressor", None)
        self.member_ended = decompressor is None or decompressor.eof
        super().close()


def _quietly(step: Callable[[], Any]) -> Any:
    """Run a warcio step; what warcio prints about damaged data (it prints, and goes on) becomes :class:`_Damage`."""
    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured):
            result = step()
    except ArchiveLoadFailed as error:
        if "non-chunked gzip" in str(error):
            raise _OneGzipStream() from None
        raise _Damage("no WARC or ARC record header where a record should start") from None
    except AttributeError:
        # warcio reads a response or request record's HTTP headers by its address, and fails
        # inside its own code when the record's header gives none
        raise _Damage("its header lacks a field its record type needs (WARC-Target-URI)") from None
    if captured.getvalue().strip():
        raise _Damage(f"its data is corrupt ({' '.join(captured.getvalue().split())[:80]})")
    return result


def _check_header(record: Any) -> None:
    if record.rec_type is None or record.length is None:
        raise _Damage("its header is cut short (truncated)")


def _check_content(record: Any) -> None:
    """Read what is left of a record's content; a record shorter than its header says is damage."""

    def drain() -> None:
        while record.raw_stream.read(1 << 16):
            pass

    _quietly(drain)
    remaining = getattr(record.raw_stream, "limit", 0)
    if remaining:
        raise _Damage(f"its content ends {remaining:,} bytes before the length its header gives (truncated)")


def iter_pages(path: Path, stats: ArchiveStats, encoding: str | None = None) -> Iterator[ArchivePage]:
    """Stream the HTML pages of a web archive, counting every record into ``stats``.

    Parameters
    ----------
    path : Path
        A ``.warc``, ``.warc.gz``, ``.arc`` or ``.arc.gz`` file.
    stats : ArchiveStats
        Updated as records are read: ``records``, and ``skipped`` for records that are not
        pages (pages are counted by the caller).
    encoding : str, optional
        Codec for a page that is not valid UTF-8 and declares nothing that decodes it.

    Yields
    ------
    ArchivePage
        In archive order.

    Raises
    ------
    InputError
        When the file cannot be opened, or the archive is damaged (naming the record, its
        byte offset and the fix).
    """
    try:
        handle = open(path, "rb")
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror}); check the file") from None
    with handle:
        iterator = _CheckedIterator(handle, arc2warc=True)
        records = iter(iterator)
        last = (0, 0)  # the last record found, and its byte offset
        try:
            while (record := _quietly(lambda: next(records, None))) is not None:
                stats.records += 1
                last = (stats.records, iterator.offset)
                _check_header(record)
                page = _page(record, stats.records, encoding)
                _check_content(record)
                if isinstance(page, str):
                    stats.skipped[page] += 1
                else:
                    yield page
            if not iterator.member_ended:
                raise _Damage("its gzip member is cut short (truncated)")
        except _Damage as damage:
            number, offset = _damaged_record(last, iterator.offset, os.fstat(handle.fileno()).st_size)
            raise InputError(
                f"{path}: damaged at record {number:,} (byte offset {offset:,}): {damage.reason}; {_FIX}"
            ) from None
        except _OneGzipStream:
            raise InputError(
                f"{path}: compressed as one gzip stream, not one gzip member per record as web archives are; "
                f"convert it with `warcio recompress {path} <new name>.warc.gz`"
            ) from None


def _damaged_record(last: tuple[int, int], offset: int, size: int) -> tuple[int, int]:
    """The number and offset of the damaged record: the last one found, or the next when warcio had moved on to it.

    warcio moves its offset to the next record only once the last one is read whole; a
    record cut before its header parsed (or a gzip member cut short after the last whole
    record) starts there.
    """
    number, start = last
    if number == 0 or start < offset < size:
        return number + 1, offset
    return number, start


def _page(record: Any, number: int, encoding: str | None) -> ArchivePage | str:
    """The page a record holds, or the kind of record it is (:data:`SKIP_KINDS`, ``"status 404"``)."""
    kind = skip_kind(record)
    if kind is not None:
        return kind
    payload = _quietly(lambda: record.content_stream().read())
    if not (record.http_headers.get_header("Content-Type") or looks_like_html(payload)):
        return "not HTML"
    decoded = decode_payload(payload, _charset(record), encoding)
    headers = record.rec_headers
    return ArchivePage(
        url=headers.get_header("WARC-Target-URI") or "",
        captured=headers.get_header("WARC-Date") or "",
        html=decoded.text,
        encoding=decoded.describe(),
        record=number,
    )


#: A paragraph found on at least this share of a host's pages (and on 3 pages at least) is the
#: host's template ("Sign up for our newsletter", a standard disclaimer), not an article's text.
HOST_TEMPLATE_SHARE = 0.5
HOST_TEMPLATE_MIN_PAGES = 3


def remove_host_template(articles: list[Article], items: Collection[str] = ()) -> tuple[list[Article], int]:
    """Drop paragraphs that recur on many archived pages of one host: cross-page evidence of chrome.

    Parameters
    ----------
    articles : list of Article
        An archive's articles, each with its ``url``.
    items : collection of str
        Ids of the articles that are items of listing pages: they neither count as pages of
        their host nor lose paragraphs (a listing's summaries recur on its host's listing
        pages by design).

    Returns
    -------
    tuple
        The articles without such paragraphs (an article left without any keeps its own), and
        how many paragraphs were removed. Only hosts with :data:`HOST_TEMPLATE_MIN_PAGES` pages
        or more are looked at; a paragraph counts once per page.
    """
    hosts: dict[str, list[int]] = {}
    for i, article in enumerate(articles):
        if article.id in items:
            continue
        hosts.setdefault(urlsplit(article.url or "").netloc.casefold().removeprefix("www."), []).append(i)
    template: dict[str, set[str]] = {}
    for host, members in hosts.items():
        if len(members) < HOST_TEMPLATE_MIN_PAGES:
            continue
        seen = Counter(key for i in members for key in {_key(p) for p in articles[i].paragraphs})
        threshold = max(HOST_TEMPLATE_MIN_PAGES, HOST_TEMPLATE_SHARE * len(members))
        template[host] = {key for key, n in seen.items() if n >= threshold}
    removed = 0
    out = []
    for article in articles:
        repeated = (
            set()
            if article.id in items
            else template.get(urlsplit(article.url or "").netloc.casefold().removeprefix("www."), set())
        )
        kept = tuple(p for p in article.paragraphs if _key(p) not in repeated)
        if kept and len(kept) < len(article.paragraphs):
            removed += len(article.paragraphs) - len(kept)
            article = replace(article, paragraphs=kept)
        out.append(article)
    return out, removed


def _key(paragraph: str) -> str:
    return " ".join(paragraph.casefold().split())


def read_archive(
    path: Path,
    encoding: str | None = None,
    on_page: Callable[[ArchivePage, list[Article]], None] | None = None,
    rules: Rules | None = None,
) -> ArchiveRead:
    """Read a web archive into articles, one per HTML page with main text.

    Parameters
    ----------
    path : Path
        A ``.warc``, ``.warc.gz``, ``.arc`` or ``.arc.gz`` file.
    encoding : str, optional
        Codec for a page that is not valid UTF-8 and declares nothing that decodes it.
    on_page : callable, optional
        Called with each page and its articles (none when it has no main text, one per item
        for a listing page), as it is read: the audit measures the pages without a second pass
        over the archive.
    rules : Rules, optional
        Chrome rules for the pages' extracted text, the user's own included.

    Returns
    -------
    ArchiveRead
        Articles with ids ``"<name>-NNN"`` (``NNN`` the page's position among the archive's
        HTML pages, so a page without text leaves a gap and the other ids do not move),
        ``line`` the record number, ``url`` the captured address, and ``date`` the page's own
        publication date, else its capture date; a listing page's items have ids
        ``"<name>-NNN-MMM"`` and their links as ``url`` (see
        :func:`analysis.ingest.corpus.articles_from_listing`); and the archive's :class:`ArchiveStats`.

    Raises
    ------
    InputError
        When the archive is damaged (see the module), or holds no HTML page with text.
    """
    stats = ArchiveStats()
    articles: list[Article] = []
    items: set[str] = set()  # ids of listing pages' items: not pages of the host (see remove_host_template)
    for position, page in enumerate(iter_pages(path, stats, encoding)):
        found = read_html_document(page.html, rules, page.url or None)
        read: list[Article] = []
        if isinstance(found, Listing):
            read = articles_from_listing(found, path, position, page.record)
            stats.listings += 1
            items.update(a.id for a in read)
        elif found is None:
            stats.skipped["no text"] += 1
        elif not_an_article(found) is not None:
            stats.skipped["not an article"] += 1  # a cookie or login wall, an error page, a tag index
        else:
            found = replace(found, date=found.date or page.captured or None)
            read = [article_from_html_page(found, path, position, page.record, page.url or None)]
        if read:
            stats.pages += 1
            stats.encodings[page.encoding] += 1
            articles.extend(read)
        if on_page is not None:
            on_page(page, read)
    articles, stats.host_template = remove_host_template(articles, items)
    if not articles:
        held = f"; {stats.describe()}" if stats.records else ""
        raise InputError(
            f"{path}: no archived HTML page with main text{held}; check it is a crawl of article pages "
            "(status-200 text/html responses)"
        )
    return ArchiveRead(articles, stats)
