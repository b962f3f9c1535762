"""Real web pages with hand-checked truth, and the text forms a user might have scraped from them.

The pages in ``tests/fixtures/realpages/`` come from two public article-extraction corpora
(see ``tests/fixtures/README.md``): Scrapinghub's benchmark and AndyTheFactory's dataset. Each
is a saved news or blog page (gzipped HTML) whose article body the corpus annotated; this
project added the visible headline, the byline names and the visible tag list by hand, and a
fixed split: ``dev``, ``test`` and ``retuned`` (:data:`TUNED`, the pages the rules were tuned
on and the targets judge; ``retuned`` was first scored untouched, as a holdout); ``dev-2``
(pages of the second corpus, tuned on, reported apart); and :data:`HOLDOUTS`, pages of other
sites never tuned on (``holdout`` from the first corpus, ``holdout-2`` from the second).

A scraper rarely hands over HTML. What reaches the notebooks is text, dumped one of two
common ways, and this module reproduces both deterministically:

- :func:`dump_paragraphs`: the page's visible text one block per paragraph, blank lines
  between (what a browser's rendering, a "copy all" or an ``innerText``-style dumper gives);
- :func:`dump_elements`: BeautifulSoup's ``get_text("\\n")``, a line break after every
  element, inline ones included, so a link inside a sentence splits it over three lines.

Both keep the page's furniture (navigation, menus, related links, comments, footers): they
are the full visible text, not an extraction. :func:`front_pages` runs several pages of
different sites together, like a scraped front page or archive listing.

Run ``python -m benchmarks.realpages`` for a summary of the set, or
``python -m benchmarks.realpages --write ID DIR`` to write one page's forms to a folder.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import json
import random
import re
import statistics
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from bs4 import BeautifulSoup
from lxml import etree

from analysis.ingest import html as html_reader

FIXTURES: Path = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "realpages"
"""The folder of the set: ``truth.json`` and ``html/<id>.html.gz``."""

SPLITS = ("dev", "test", "retuned", "dev-2", "holdout", "holdout-2")
"""Every split of the set."""
TUNED = ("dev", "test", "retuned")
"""The splits the rules were tuned on first, the pages the targets judge."""
HOLDOUTS = ("holdout", "holdout-2")
"""The splits never tuned on, only scored: one per corpus."""
APART = ("dev-2", *HOLDOUTS)
"""The splits read apart from the :data:`TUNED` pages and from each other, each with rows of its own."""

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Labels the WHATWG Encoding Standard decodes as windows-1252, as every browser does.
_WINDOWS_1252 = frozenset({"ascii", "us-ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "cp819"})


@dataclass(frozen=True)
class TruePage:
    """One page of the set and its hand-checked truth.

    Attributes
    ----------
    id : str
        The first 12 hex digits of the corpus's id of the page (a sha256 or an md5 file name);
        the file is ``html/<id>.html.gz``.
    site : str
        The page's host name without ``www.``.
    url : str
        The address the page was saved from.
    split : str
        ``"dev"`` (tune on these), ``"test"`` (report these), ``"retuned"`` (a holdout first
        scored untouched, tuned on since), ``"dev-2"`` (the second corpus's pages to tune on)
        or one of :data:`HOLDOUTS` (never tuned on).
    title : str
        The visible headline, whitespace collapsed, as one block of :func:`visible_blocks`.
    authors : tuple of str
        The byline's names, one per author, in the page's order; empty when the page shows none.
    tags : tuple of str
        The article's visible tag or topic list; empty when the page shows none.
    body : str
        The benchmark's ``articleBody``: the article's text, paragraphs separated by newlines.
    """

    id: str
    site: str
    url: str
    split: str
    title: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    body: str


def load_pages(split: str | Sequence[str] | None = None) -> list[TruePage]:
    """The pages of the set, sorted by id.

    Parameters
    ----------
    split : str or sequence of str, optional
        One split of :data:`SPLITS` (``"dev"``, ``"test"``, ``"holdout"``, ...), or several
        (:data:`TUNED` for the pages the rules were tuned on); all pages when omitted.

    Returns
    -------
    list of TruePage
    """
    wanted = _splits(split)
    rows = json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))
    pages = [
        TruePage(
            id=row["id"],
            site=row["site"],
            url=row["url"],
            split=row["split"],
            title=row["title"],
            authors=tuple(row["authors"]),
            tags=tuple(row["tags"]),
            body=row["body"],
        )
        for row in rows
    ]
    pages.sort(key=lambda page: page.id)
    return [page for page in pages if page.split in wanted]


def _splits(split: str | Sequence[str] | None) -> tuple[str, ...]:
    """The split names ``split`` stands for (all of :data:`SPLITS` for None); unknown names raise."""
    names = SPLITS if split is None else (split,) if isinstance(split, str) else tuple(split)
    unknown = [name for name in names if name not in SPLITS]
    if unknown or not names:
        raise ValueError(f"split must be one or more of {SPLITS} or None, not {split!r}")
    return names


def page_html(page: TruePage | str) -> str:
    """The page's HTML as text, decoded with the charset it declares.

    Parameters
    ----------
    page : TruePage or str
        A page or its id.

    Returns
    -------
    str
        The document, decoded by its byte-order mark, else by the charset of its first
        ``<meta charset>`` or ``<meta http-equiv="Content-Type">`` (``iso-8859-1`` and
        ``ascii`` read as windows-1252, as browsers do), else as UTF-8; undecodable bytes
        become U+FFFD.
    """
    page_id = page.id if isinstance(page, TruePage) else page
    data = gzip.decompress((FIXTURES / "html" / f"{page_id}.html.gz").read_bytes())
    return decode_html(data)


def decode_html(data: bytes) -> str:
    """Decode an HTML document's bytes by its byte-order mark or declared charset (UTF-8 when none).

    Parameters
    ----------
    data : bytes
        The document as saved.

    Returns
    -------
    str
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    head_end = data.lower().find(b"</head")
    match = _META_CHARSET.search(data, 0, head_end if head_end >= 0 else 65536)
    encoding = "utf-8"
    if match:
        label = match.group(1).decode("ascii").lower()
        try:
            encoding = "cp1252" if label in _WINDOWS_1252 else codecs.lookup(label).name
        except LookupError:
            encoding = "utf-8"
        if encoding.startswith("utf-16"):  # a document that was decodable as ASCII cannot be UTF-16
            encoding = "utf-8"
    return data.decode(encoding, errors="replace")


def visible_blocks(html: str) -> list[str]:
    """The page's visible text, one string per block, as a browser lays it out: the product's
    own reading (:func:`analysis.ingest.html.visible_blocks`) of the page parsed as
    BeautifulSoup's ``"lxml"`` parser does.

    Parameters
    ----------
    html : str
        An HTML document.

    Returns
    -------
    list of str
    """
    return html_reader.visible_blocks(_parse(html))


def _parse(html: str) -> etree._Element:
    """Parse a document with libxml2's HTML parser (the one BeautifulSoup's ``"lxml"`` uses)."""
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses str input with an encoding declaration
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False)
    return lxml.html.document_fromstring(html.encode("utf-8", errors="replace"), parser=parser)


def dump_paragraphs(html: str) -> str:
    """The page's text dumped one block per paragraph: :func:`visible_blocks` separated by blank lines.

    Parameters
    ----------
    html : str
        An HTML document.

    Returns
    -------
    str
        The blocks joined by ``"\\n\\n"``, ending with ``"\\n"`` (empty for a page with no text).
    """
    blocks = visible_blocks(html)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def dump_elements(html: str) -> str:
    """The page's text as BeautifulSoup's ``get_text("\\n")`` gives it: a line break after every element.

    The document is parsed with ``BeautifulSoup(html, "lxml")``; ``SKIPPED_TAGS`` elements and
    elements hidden by a ``hidden`` attribute or an inline ``display: none`` are removed; then
    ``get_text("\\n")`` puts a newline between every two strings, so an inline link splits its
    sentence over lines and a drop-cap ``<span>`` makes a one-letter line. Each line is
    stripped and runs of empty lines (the whitespace between tags) are kept as one blank line.

    Parameters
    ----------
    html : str
        An HTML document.

    Returns
    -------
    str
        The lines, ending with ``"\\n"`` (empty for a page with no text).
    """
    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(True):
        if not tag.decomposed and (tag.name in html_reader.SKIPPED_TAGS or html_reader.hidden_by_attributes(tag.attrs)):
            tag.decompose()
    lines: list[str] = []
    for line in soup.get_text("\n").splitlines():
        line = line.strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def front_pages(
    pages: Sequence[TruePage], size: tuple[int, int] = (3, 5), random_state: int = 0
) -> list[tuple[str, tuple[str, ...]]]:
    """Run pages of different sites together, like a scraped front page or archive listing.

    The pages are shuffled and dealt into groups of ``size[0]`` to ``size[1]`` pages, no two
    of a group from the same site, every page in exactly one group when the sizes and sites
    allow it (pages that cannot be placed are left out). Only ``random.Random(random_state)``
    is drawn from, so the same pages and seed give the same groups.

    Parameters
    ----------
    pages : sequence of TruePage
        The pages to group (their order does not matter).
    size : tuple of int
        The smallest and largest group.
    random_state : int
        The seed.

    Returns
    -------
    list of (str, tuple of str)
        Per group, its text (the pages' :func:`dump_paragraphs`, a blank line between them)
        and its pages' ids in the order they appear in the text.
    """
    low, high = size
    if not 1 <= low <= high:
        raise ValueError(f"size must be (low, high) with 1 <= low <= high, not {size!r}")
    rng = random.Random(random_state)
    pool = sorted(pages, key=lambda page: page.id)
    groups: list[list[TruePage]] = []
    for _ in range(100):  # a few reshuffles; with at most two pages a site the first one almost always works
        order = pool[:]
        rng.shuffle(order)
        groups = _deal(order, _sizes(len(order), low, high, rng))
        if sum(map(len, groups)) == len(pool):
            break
    result = []
    for group in groups:
        text = "\n".join(dump_paragraphs(page_html(page)) for page in group)
        result.append((text, tuple(page.id for page in group)))
    return result


def _sizes(n: int, low: int, high: int, rng: random.Random) -> list[int]:
    """Random group sizes in ``[low, high]`` summing to ``n`` (or to the largest reachable total below it)."""
    reachable = [False] * (n + 1)  # reachable[m]: m pages split exactly into groups of low..high
    reachable[0] = True
    for m in range(1, n + 1):
        reachable[m] = any(reachable[m - k] for k in range(low, min(high, m) + 1))
    total = max(m for m in range(n + 1) if reachable[m])
    sizes = []
    while total:
        options = [k for k in range(low, min(high, total) + 1) if reachable[total - k]]
        k = rng.choice(options)
        sizes.append(k)
        total -= k
    return sizes


def _deal(order: list[TruePage], sizes: list[int]) -> list[list[TruePage]]:
    """Fill groups of the given sizes from ``order``, each taking the first pages of sites it lacks."""
    remaining = list(order)
    groups = []
    for k in sizes:
        group: list[TruePage] = []
        for page in list(remaining):
            if len(group) == k:
                break
            if all(page.site != other.site for other in group):
                group.append(page)
                remaining.remove(page)
        if len(group) == k:
            groups.append(group)
        else:
            remaining.extend(group)
    return groups


def words(text: str) -> list[str]:
    """The word tokens of a text (runs of letters and digits), lower-cased."""
    return re.findall(r"\w+", text.lower())


def _summary(pages: Iterable[TruePage]) -> str:
    """A few lines on the set: pages, sites, body lengths, per split."""
    pages = list(pages)
    lines = []
    for name, chosen in [("all", pages)] + [(split, [p for p in pages if p.split == split]) for split in SPLITS]:
        if not chosen:
            continue
        lengths = [len(p.body.split()) for p in chosen]
        lines.append(
            f"{name:>9}: {len(chosen)} pages, {len({p.site for p in chosen})} sites, words per body: "
            f"median {statistics.median(lengths):.0f}, min {min(lengths)}, max {max(lengths)}, "
            f"total {sum(lengths)}; {sum(bool(p.authors) for p in chosen)} with authors, "
            f"{sum(bool(p.tags) for p in chosen)} with tags"
        )
    return "\n".join(lines)


def write_forms(page: TruePage, folder: Path) -> list[Path]:
    """Write one page's HTML, text forms and truth to ``folder`` (created if needed).

    Parameters
    ----------
    page : TruePage
        The page.
    folder : Path
        Where to write ``<id>.html``, ``<id>.paragraphs.txt``, ``<id>.elements.txt`` and ``<id>.truth.txt``.

    Returns
    -------
    list of Path
        The files written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    html = page_html(page)
    truth = (
        f"url: {page.url}\nsplit: {page.split}\ntitle: {page.title}\nauthors: {'; '.join(page.authors)}\n"
        f"tags: {'; '.join(page.tags)}\n\n{page.body}\n"
    )
    forms = {
        "html": html,
        "paragraphs.txt": dump_paragraphs(html),
        "elements.txt": dump_elements(html),
        "truth.txt": truth,
    }
    written = []
    for suffix, text in forms.items():
        path = folder / f"{page.id}.{suffix}"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Print a summary of the set, or write one page's forms (``--write ID DIR``)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.realpages", description=__doc__.split("\n")[0])
    parser.add_argument("--write", nargs=2, metavar=("ID", "DIR"), help="write one page's forms (an id prefix will do)")
    args = parser.parse_args(argv)
    pages = load_pages()
    if args.write:
        page_id, folder = args.write
        matches = [page for page in pages if page.id.startswith(page_id)]
        if len(matches) != 1:
            print(f"{page_id!r} matches {len(matches)} pages", file=sys.stderr)
            return 2
        for path in write_forms(matches[0], Path(folder)):
            print(path)
        return 0
    print(_summary(pages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
