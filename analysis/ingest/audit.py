"""What reading each input file gave: articles, removed lines by reason, cross-page evidence, and how sure.

One :class:`FileAudit` per input file, in reading order, then the files left out of the
run. It is computed with the same rules and the same per-site grouping as
:func:`analysis.ingest.corpus.iter_articles`, so it describes exactly what the notebooks and
the command line read.

**Low confidence.** A file is flagged when what segmentation returned looks unlike the
layouts the segmenter knows. The first of these rules that holds gives the flag, with where
to look:

1. a scraped text page of which at least :data:`NOT_AN_ARTICLE_SHARE` of the non-blank lines
   were set aside as "not an article" (articles may have been missed there);
2. a text page with at least :data:`TINY_MIN_ARTICLES` articles, at least
   :data:`TINY_SHARE` of them with fewer than :data:`TINY_BODY_WORDS` body words (a list of
   teasers, or a page cut in the wrong places);
3. a text page of at least :data:`LONG_PAGE_LINES` lines of which one article holds at least
   :data:`ONE_ARTICLE_SHARE` of the lines under a title of at most
   :data:`SHORT_TITLE_WORDS` words (several articles merged under a kicker or a section name);
4. an HTML page of at least :data:`HTML_MIN_PAGE_WORDS` words of visible text of which the
   extractor kept less than :data:`HTML_MIN_KEPT_SHARE` (a listing, a gallery, a consent
   wall, or a main text the extractor did not find); for a web archive, the first of its
   pages for which this holds, named by its article id and URL;
5. a text page read whole (menus and all; or without menus, one article) with a headline
   that the headline scorer gave less than :data:`DOUBTFUL_HEADLINE_ODDS` of being the right
   line, named with the line that came next (:func:`headline_doubt`).

A web archive's audit also counts its records and those skipped, by kind (requests,
revisits, responses that are not HTML or not status 200, pages without main text: see
:mod:`analysis.ingest.warc`).

Records (JSON Lines, CSV) are read as given and never flagged. A page with no article at
all is not flagged: it cannot be read and is skipped, with its reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from analysis.ingest import corpus, reading, sites
from analysis.ingest import segment as seg
from analysis.ingest.html import parse_html
from analysis.ingest.listing import visible_text
from analysis.ingest.reasons import RemovalReason
from analysis.ingest.recognise import count_words
from analysis.paths import display_path

#: Rule 1: share of a page's non-blank lines set aside as "not an article".
NOT_AN_ARTICLE_SHARE = 0.5
#: Rule 2: a body shorter than this many words is tiny ...
TINY_BODY_WORDS = 30
#: ... and a page with at least this many articles ...
TINY_MIN_ARTICLES = 3
#: ... at least this share of them tiny, is doubtful.
TINY_SHARE = 0.5
#: Rule 3: a page of at least this many non-blank lines ...
LONG_PAGE_LINES = 60
#: ... one article holding at least this share of them ...
ONE_ARTICLE_SHARE = 0.8
#: ... under a title of at most this many words.
SHORT_TITLE_WORDS = 2
#: Rule 4: an HTML page with at least this many words of visible text ...
HTML_MIN_PAGE_WORDS = 200
#: ... of which the extractor kept less than this share.
HTML_MIN_KEPT_SHARE = 0.1


@dataclass(frozen=True)
class FileAudit:
    """What reading one input file gave.

    Attributes
    ----------
    path : Path
        The file.
    source : str
        The file as articles name it (relative to the repository when inside it).
    kind : str
        ``"text page"``, ``"records"``, ``"html"``, ``"web archive"`` or ``"other"``
        (:func:`analysis.ingest.corpus.input_kind`).
    status : str
        ``"read"``, ``"skipped"`` (it could not be read: see ``message``) or ``"unsupported"``.
    message : str
        Why it was skipped, naming the file and the fix; ``""`` when read.
    encoding : str
        How it was decoded: ``"utf-8"``, ``"cp1252 (declared by the page)"``, ``"cp1252 (--encoding)"``.
    articles : int
        Articles found (a listing page's items included).
    teasers : int
        Of those, items of listing pages that show only part of their article (see
        :mod:`analysis.ingest.listing`).
    listing_pages : int
        Listing pages read as one article per item (1 for a saved listing page; for a web
        archive, how many of its pages).
    words : int
        Words kept: titles and bodies of its articles.
    lines : int
        Non-blank lines of a text page (0 for other kinds).
    removed : dict
        Lines kept out of the bodies of a text page, by :class:`RemovalReason` value, every
        reason present (zeros included), in the enum's order.
    site_pages : int
        Pages of its site among the inputs, itself included (1: read as if alone, no
        cross-page repetition used).
    site_group : str
        The first page of its site group, which names the group; ``""`` when alone.
    repeated_lines : int
        Lines of this page found on at least half of its site's pages (template lines).
    page_words : int
        Words of an HTML page's visible text, before extraction (for a web archive, of its
        pages read, together; 0 for other kinds).
    records : int
        Records of a web archive, every type (0 for other kinds); its pages read are ``articles``.
    skipped_records : dict
        A web archive's records not read, by kind (``"request"``, ``"revisit"``,
        ``"status 404"``, ``"no text"`` ...), in :data:`analysis.ingest.warc.SKIP_KINDS` order.
    low_confidence : str
        ``""``, or why the result is doubtful and where to look (see the module's rules).
    """

    path: Path
    source: str
    kind: str
    status: str
    message: str = ""
    encoding: str = ""
    articles: int = 0
    teasers: int = 0
    listing_pages: int = 0
    words: int = 0
    lines: int = 0
    removed: dict[str, int] = field(default_factory=dict)
    site_pages: int = 1
    site_group: str = ""
    repeated_lines: int = 0
    page_words: int = 0
    records: int = 0
    skipped_records: dict[str, int] = field(default_factory=dict)
    low_confidence: str = ""

    @property
    def removed_total(self) -> int:
        """Lines removed from a text page, all reasons together."""
        return sum(self.removed.values())

    @property
    def cross_page(self) -> bool:
        """Whether repetition across pages of its site was used to find its template lines."""
        return self.site_pages >= 2

    def to_record(self) -> dict[str, Any]:
        """The audit as a JSON-ready dict (``path`` left out: ``source`` names the file).

        Returns
        -------
        dict
            Keys ``source, kind, status, encoding, articles, teasers, listing_pages, words, lines, removed, site_pages,
            site_group, repeated_lines, page_words, records, skipped_records, low_confidence,
            message``.
        """
        return {
            "source": self.source,
            "kind": self.kind,
            "status": self.status,
            "encoding": self.encoding,
            "articles": self.articles,
            "teasers": self.teasers,
            "listing_pages": self.listing_pages,
            "words": self.words,
            "lines": self.lines,
            "removed": dict(self.removed),
            "site_pages": self.site_pages,
            "site_group": self.site_group,
            "repeated_lines": self.repeated_lines,
            "page_words": self.page_words,
            "records": self.records,
            "skipped_records": dict(self.skipped_records),
            "low_confidence": self.low_confidence,
            "message": self.message,
        }


def visible_words(html: str) -> int:
    """Words of an HTML page's visible text (scripts, styles and the head left out).

    Parameters
    ----------
    html : str
        The page.

    Returns
    -------
    int
        :func:`analysis.ingest.recognise.count_words` of the text a browser shows; 0 for a
        document lxml cannot parse.
    """
    doc = parse_html(html)
    return count_words(visible_text(doc)) if doc is not None else 0


def removed_by_reason(articles: Iterable[corpus.Article]) -> dict[str, int]:
    """Removed lines of a file's articles counted by reason, every reason present, in the enum's order.

    Parameters
    ----------
    articles : iterable of Article
        One file's articles (the first carries the lines outside every article).

    Returns
    -------
    dict
        Reason value to count.
    """
    counts = Counter(str(line.reason) for article in articles for line in article.removed)
    return {str(reason): counts.get(str(reason), 0) for reason in RemovalReason}


def _line_span(numbers: Sequence[int]) -> str:
    first, last = min(numbers), max(numbers)
    return f"line {first}" if first == last else f"lines {first}-{last}"


def page_doubt(articles: Sequence[corpus.Article], n_lines: int) -> str:
    """Rules 1 to 3 for a scraped text page: why its segmentation is doubtful, or ``""``.

    Parameters
    ----------
    articles : sequence of Article
        The page's articles (at least one).
    n_lines : int
        Its non-blank lines.

    Returns
    -------
    str
        The first rule that holds, with the lines to look at; ``""`` when none does.
    """
    outside = [r.number for a in articles for r in a.removed if r.reason == RemovalReason.NOT_AN_ARTICLE]
    if n_lines and len(outside) >= NOT_AN_ARTICLE_SHARE * n_lines:
        return (
            f"{len(outside) / n_lines:.0%} of its lines were set aside as not an article ({_line_span(outside)}): "
            "look there for articles the segmenter missed, or add --chrome-pattern rules for the page's furniture"
        )
    tiny = [a for a in articles if a.n_words < TINY_BODY_WORDS]
    if len(articles) >= TINY_MIN_ARTICLES and len(tiny) >= TINY_SHARE * len(articles):
        return (
            f"{len(tiny)} of its {len(articles)} articles have fewer than {TINY_BODY_WORDS} body words "
            f"(the first at line {tiny[0].line}): a list of teasers, or a page cut in the wrong places"
        )
    if n_lines >= LONG_PAGE_LINES:
        for article in articles:
            title_words = count_words(article.title)
            if len(article.paragraphs) >= ONE_ARTICLE_SHARE * n_lines and title_words <= SHORT_TITLE_WORDS:
                return (
                    f"one article holds {len(article.paragraphs) / n_lines:.0%} of the page's lines under a "
                    f"{title_words}-word title ({article.title!r}, line {article.line}): several articles may be "
                    "merged there; check where each starts"
                )
    return ""


#: A title given lower odds than this by the headline scorer (:attr:`Article.headline_odds
#: <analysis.ingest.corpus.Article>`) is a close call that rule 5 flags. Cross-validated on
#: WCXB, 5% of pages fall below 0.3 and four in five of their titles are wrong; below 0.5,
#: 16% and two in three (``docs/methods.md``).
DOUBTFUL_HEADLINE_ODDS = 0.3


def headline_doubt(articles: Sequence[corpus.Article]) -> str:
    """Rule 5 for a scraped text page saved whole: a title that was a close call, or ``""``.

    Parameters
    ----------
    articles : sequence of Article
        The page's articles.

    Returns
    -------
    str
        The first title given less than :data:`DOUBTFUL_HEADLINE_ODDS` by the headline scorer,
        with its line and the line that came next; ``""`` when there is none.
    """
    doubts = [a for a in articles if a.headline_odds < DOUBTFUL_HEADLINE_ODDS]
    if not doubts:
        return ""
    first = doubts[0]
    which = f"{first.title!r} (line {first.line})"
    which = f"{len(doubts)} titles were close calls; the first, {which}," if len(doubts) > 1 else f"its title {which}"
    other = f" over {first.runner_up[0]!r} (line {first.runner_up[1]})" if first.runner_up is not None else ""
    return f"{which} was taken with {first.headline_odds:.0%} odds{other}: check which line is the title"


def html_doubt(page_words: int, kept_words: int) -> str:
    """Rule 4 for an HTML page: why the extraction is doubtful, or ``""``.

    Parameters
    ----------
    page_words : int
        Words of the page's visible text (:func:`visible_words`).
    kept_words : int
        Words the extractor kept (title and body).

    Returns
    -------
    str
        The reason, with where to look; ``""`` when the rule does not hold.
    """
    if page_words >= HTML_MIN_PAGE_WORDS and kept_words < HTML_MIN_KEPT_SHARE * page_words:
        return (
            f"the extractor kept {kept_words:,} of the page's {page_words:,} words ({kept_words / page_words:.0%}): "
            "open the page; if it is a listing or its text sits outside the main content, save that text as .txt"
        )
    return ""


def _words(articles: Iterable[corpus.Article]) -> int:
    return sum(count_words(a.title) + a.n_words for a in articles)


def audit_file_job(context: tuple[sites.CorpusRules, str | None], path: Path) -> FileAudit:
    """Read one file as :func:`analysis.ingest.corpus.read_file_job` does and describe the result.

    Parameters
    ----------
    context : tuple of (CorpusRules, str or None)
        From :func:`analysis.ingest.sites.corpus_rules`, and the codec for files that are
        not valid UTF-8 and declare none.
    path : Path
        The file.

    Returns
    -------
    FileAudit
        ``status="skipped"`` with the reason when it cannot be read.
    """
    rules, encoding = context
    kind = corpus.input_kind(path)
    if kind == "web archive":
        return archive_audit(path, encoding)
    result = corpus.read_file_job(context, path)
    if result.error is not None:
        return FileAudit(path, display_path(path), kind, "skipped", message=result.error)
    articles = result.articles
    limit = reading.MAX_LINE_BYTES if kind == "text page" else None
    decoded = reading.read_decoded(path, encoding, limit)
    audit = FileAudit(
        path,
        display_path(path),
        kind,
        "read",
        encoding=decoded.describe_with_repairs(),
        articles=len(articles),
        teasers=sum(a.teaser for a in articles),
        words=_words(articles),
    )
    if kind == "text page":
        return _page_audit(audit, articles, seg.split_lines(decoded.text), rules.group_of(path))
    if kind == "html":
        page_words = visible_words(decoded.text)
        listing = int(any(a.url is not None for a in articles))  # only a listing's items carry a link in a saved page
        doubt = "" if listing else html_doubt(page_words, audit.words)
        return replace(audit, page_words=page_words, listing_pages=listing, low_confidence=doubt)
    return audit


def archive_audit(path: Path, encoding: str | None = None) -> FileAudit:
    """Read a web archive as :func:`analysis.ingest.corpus.read_file` does and describe the result.

    Parameters
    ----------
    path : Path
        A ``.warc``, ``.warc.gz``, ``.arc`` or ``.arc.gz`` file.
    encoding : str, optional
        Codec for pages that are not valid UTF-8 and declare nothing.

    Returns
    -------
    FileAudit
        Pages read (``articles``), records and records skipped by kind, words kept of the
        pages' visible words, how the pages were decoded, and rule 4 for the first doubtful
        page; ``status="skipped"`` with the reason when it cannot be read.
    """
    from analysis.ingest import warc

    page_words: list[int] = []
    doubts: list[str] = []

    def measure(page: warc.ArchivePage, articles: list[corpus.Article]) -> None:
        if articles:
            page_words.append(visible_words(page.html))
            listing = articles[0].url != (page.url or None)  # a listing's items carry their own links
            doubt = "" if listing else html_doubt(page_words[-1], _words(articles))
            doubts.extend([f"page {articles[0].id} ({page.url}): {doubt}"] if doubt else [])

    try:
        read = warc.read_archive(path, encoding, on_page=measure)
    except reading.InputError as error:
        return FileAudit(path, display_path(path), "web archive", "skipped", message=str(error))
    encodings = read.stats.encodings
    return FileAudit(
        path,
        display_path(path),
        "web archive",
        "read",
        encoding=", ".join(
            f"{n:,} {codec}" for codec, n in sorted(encodings.items(), key=lambda item: (-item[1], item[0]))
        ),
        articles=len(read.articles),
        teasers=sum(a.teaser for a in read.articles),
        listing_pages=read.stats.listings,
        words=_words(read.articles),
        page_words=sum(page_words),
        records=read.stats.records,
        skipped_records=read.stats.skipped_by_kind(),
        low_confidence=doubts[0] if doubts else "",
    )


def _page_audit(
    audit: FileAudit, articles: Sequence[corpus.Article], lines: Sequence[seg.Line], group: sites.SiteGroup | None
) -> FileAudit:
    """The facts of a scraped text page: lines, removals, its site group, and rules 1 to 3 and 5."""
    template = group.template_lines if group is not None else frozenset()
    return replace(
        audit,
        lines=len(lines),
        removed=removed_by_reason(articles),
        site_pages=len(group.files) if group is not None else 1,
        site_group=display_path(group.files[0]) if group is not None else "",
        repeated_lines=sum(line.key in template for line in lines),
        low_confidence=page_doubt(articles, len(lines)) or headline_doubt(articles),
    )


def audit_inputs(
    paths: Sequence[Path | str] = (),
    extra_rules: Sequence[str] = (),
    encoding: str | None = None,
    mapper: Callable[..., Iterable[FileAudit]] | None = None,
) -> list[FileAudit]:
    """Audit every input: one :class:`FileAudit` per file, skipped and unsupported ones included.

    Parameters
    ----------
    paths : sequence of Path or str
        Files and folders; ``seeds/`` when empty.
    extra_rules : sequence of str
        Extra segmentation rules (``kind: regex`` lines), as for reading.
    encoding : str, optional
        Codec for files that are not valid UTF-8 and declare none.
    mapper : callable, optional
        ``mapper(audit_file_job, files, (rules, encoding))``, yielding in file order; None
        audits here, one file after another.

    Returns
    -------
    list of FileAudit
        Files in reading order, then the files found in folders and left out (unsupported
        types, unreadable sub-folders). Nothing is raised for a file that cannot be read: it
        is listed with its reason.

    Raises
    ------
    FileNotFoundError, InputError
        On a missing path, a folder with no supported file, a file of an unsupported type
        named directly, or an unknown ``encoding``.
    """
    inputs = corpus.find_inputs(paths)
    reading.check_encoding(encoding, corpus.describe_inputs(paths))
    rules = sites.corpus_rules(inputs.files, extra_rules, encoding)
    context = (rules, encoding)
    audits = list(
        mapper(audit_file_job, inputs.files, context) if mapper else (audit_file_job(context, p) for p in inputs.files)
    )
    for left_out in inputs.skipped:
        status = "unsupported" if left_out.unsupported else "skipped"
        kind = corpus.input_kind(left_out.path)
        audits.append(FileAudit(left_out.path, display_path(left_out.path), kind, status, message=left_out.message))
    return audits


def readable(audits: Iterable[FileAudit]) -> list[Path]:
    """The files that were read, in reading order (what to hand on when skipped files must stay out).

    Parameters
    ----------
    audits : iterable of FileAudit
        From :func:`audit_inputs`.

    Returns
    -------
    list of Path
        Their paths.
    """
    return [a.path for a in audits if a.status == "read"]


def _removal_words(audit: FileAudit) -> str:
    if audit.kind == "text page":
        by_reason = ", ".join(f"{n:,} {reason}" for reason, n in audit.removed.items() if n)
        return f"{audit.removed_total:,} of {audit.lines:,} lines removed" + (f" ({by_reason})" if by_reason else "")
    if audit.kind == "html":
        share = f" ({audit.words / audit.page_words:.0%})" if audit.page_words else ""
        return (
            f"the extractor kept {audit.words:,} of the page's {audit.page_words:,} words{share}; "
            "the rest (HTML boilerplate) is not recorded line by line"
        )
    if audit.kind == "web archive":
        skipped = ", ".join(f"{n:,} {kind}" for kind, n in audit.skipped_records.items()) or "none"
        kept = f"{audit.words / audit.page_words:.0%} of" if audit.page_words else "none of"
        return (
            f"{audit.records - sum(audit.skipped_records.values()):,} of its {_plural(audit.records, 'record')} "
            f"read as pages, skipped: {skipped}; "
            f"the extractor kept {kept} the pages' {audit.page_words:,} visible words"
        )
    return "records are read as given: nothing removed"


def _cross_page_words(audit: FileAudit) -> str:
    if audit.kind != "text page":
        return "not used (only scraped text pages are compared)"
    if not audit.cross_page:
        return "not used (no other page of its site among the inputs)"
    return (
        f"used, with the {audit.site_pages} pages of its site ({audit.repeated_lines:,} of its lines repeat on at "
        "least half of them)"
    )


def describe(audit: FileAudit) -> list[str]:
    """One file's audit as lines of text, for the command line.

    Parameters
    ----------
    audit : FileAudit
        A file read or skipped (unsupported files are summed up by :func:`describe_all`).

    Returns
    -------
    list of str
        The file and how it was decoded, then indented lines: articles and removals,
        cross-page repetition, confidence.
    """
    if audit.status != "read":
        return [f"{audit.source}  SKIPPED: {audit.message}"]
    noun = "article" if audit.articles == 1 else "articles"
    if audit.listing_pages:
        pages = "a listing page" if audit.kind == "html" else _plural(audit.listing_pages, "listing page")
        noun += f" ({audit.teasers:,} of them teasers: headlines and summaries of {pages}, one per item)"
    return [
        f"{audit.source}  [{audit.kind}, {audit.encoding}]",
        f"  {audit.articles:,} {noun}, {audit.words:,} words kept; {_removal_words(audit)}",
        f"  cross-page repetition: {_cross_page_words(audit)}",
        f"  confidence: {'LOW: ' + audit.low_confidence if audit.low_confidence else 'ok'}",
    ]


def summary(audits: Sequence[FileAudit]) -> str:
    """The audit in one sentence: files read and skipped, articles, low-confidence files, site groups.

    Parameters
    ----------
    audits : sequence of FileAudit
        From :func:`audit_inputs`.

    Returns
    -------
    str
        E.g. ``"7 files: 6 read (42 articles), 1 skipped; 1 low-confidence: a.txt; cross-page
        repetition used for 3 pages in 1 site group."``
    """
    read = [a for a in audits if a.status == "read"]
    counts = [f"{len(read):,} read ({sum(a.articles for a in read):,} articles)"]
    for status, words in (("skipped", "skipped"), ("unsupported", "of unsupported types")):
        n = sum(a.status == status for a in audits)
        counts += [f"{n:,} {words}"] if n else []
    doubtful = [a.source for a in read if a.low_confidence]
    grouped = [a for a in read if a.cross_page]
    n_groups = len({a.site_group for a in grouped})
    return (
        "; ".join(
            [
                f"{_plural(len(audits), 'file')}: {', '.join(counts)}",
                f"{len(doubtful):,} low-confidence: {', '.join(doubtful)}" if doubtful else "no low-confidence file",
                f"cross-page repetition used for {_plural(len(grouped), 'page')} in {_plural(n_groups, 'site group')}"
                if grouped
                else "cross-page repetition not used (no two pages of one site)",
            ]
        )
        + "."
    )


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def describe_all(audits: Sequence[FileAudit]) -> str:
    """The whole audit as text: each file, one note for unsupported files, the summary.

    Parameters
    ----------
    audits : sequence of FileAudit
        From :func:`audit_inputs`.

    Returns
    -------
    str
        Lines ending in a newline.
    """
    lines = [line for a in audits if a.status != "unsupported" for line in describe(a)]
    unsupported = [corpus.Skipped(a.path, a.message, True) for a in audits if a.status == "unsupported"]
    lines += [f"note: {note}" for note in corpus.skipped_notes(unsupported)]
    return "\n".join([*lines, "", summary(audits)]) + "\n"


def low_confidence(audits: Iterable[FileAudit]) -> Mapping[str, str]:
    """The flagged files and why.

    Parameters
    ----------
    audits : iterable of FileAudit
        From :func:`audit_inputs`.

    Returns
    -------
    dict
        Source to the reason and where to look, in reading order.
    """
    return {a.source: a.low_confidence for a in audits if a.low_confidence}
