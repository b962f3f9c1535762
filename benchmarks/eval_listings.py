"""How well listing pages are split into items: real listing pages against hand-checked items.

The pages are real listing pages (news front and section pages, blog indexes, archives) from
public test corpora, each with its main list of items annotated by hand: headline, link and
summary, in page order (``tests/fixtures/realpages/listings.json``; where each page comes from
and how it was annotated: ``tests/fixtures/README.md``). Each page is read as a saved ``.html``
file and, all pages of a split packed into one ``.warc.gz``, as a web archive. The scores:

- **read as listing**: the page gave items (articles with their own link), not one article;
- **count exact**: as many items as the page lists;
- **titles found** (recall): true headlines found exactly among the items' titles;
- **titles right** (precision): items whose title is a true headline;
- **links right**: items with a true headline whose link has the true link's path;
- **summary F1**: bag-of-words F1 of the items' summaries against the true summaries (pooled);
- **same as its HTML file** (the archive): pages whose items equal those of the page's file.

The real article pages of :mod:`benchmarks.realpages` give the other side: **article pages
read as articles** is the share of them that did not come out as a listing.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from analysis.ingest import Article, load_articles
from benchmarks import realpages

FIXTURES = realpages.FIXTURES / "listings"
TRUTH = realpages.FIXTURES / "listings.json"
#: Targets (issue 11), as (score, comparison, value).
TARGETS: dict[str, tuple[tuple[str, str, float], ...]] = {
    "listing html": (("count_exact", ">=", 0.90),),
    "listing warc": (("same_as_html", ">=", 1.0),),
    "article html": (("as_article", ">=", 1.0),),
}
#: The capture date of every record of the test archive (fixed, so its bytes are too).
CAPTURE_DATE = "2024-01-01T00:00:00Z"


@dataclass(frozen=True)
class TrueItem:
    """One annotated item: headline, link as written in the page, and ``teaser``, the summary
    text printed with it (``""`` when none: the annotation's field name)."""

    title: str
    link: str
    teaser: str


@dataclass(frozen=True)
class ListingPage:
    """A real listing page and its annotated items."""

    id: str
    site: str
    url: str
    split: str
    kind: str
    items: tuple[TrueItem, ...]

    @property
    def path(self) -> Path:
        """The gzipped page in the fixtures."""
        return FIXTURES / f"{self.id}.html.gz"


def load_listings(split: str | None = None) -> list[ListingPage]:
    """The annotated listing pages, sorted by id; only ``split``'s when given."""
    rows = json.loads(TRUTH.read_text(encoding="utf-8"))
    pages = [
        ListingPage(
            id=r["id"],
            site=r["site"],
            url=r.get("url") or "",
            split=r["split"],
            kind=r["kind"],
            items=tuple(TrueItem(i["title"], i["link"], i.get("teaser", "")) for i in r["items"]),
        )
        for r in rows
    ]
    return [p for p in pages if split is None or p.split == split]


def _path_key(link: str, base: str) -> str:
    """A link's path and query, resolved against ``base``, without a trailing slash (hosts differ in mirrors)."""
    parts = urlsplit(urljoin(base or "https://page.invalid/", link.strip()))
    return parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


@dataclass
class ListingResult:
    """The scores of one listing page in one form."""

    page: ListingPage
    form: str
    articles: tuple[Article, ...]
    error: str | None = None
    same_as_html: bool | None = None

    @property
    def as_listing(self) -> bool:
        """Items came out: articles carrying their own link (a saved article page has none)."""
        return (
            bool(self.articles)
            and all(a.url for a in self.articles)
            and (len(self.articles) > 1 or self.articles[0].url != self.page.url)
        )

    @property
    def count_exact(self) -> bool:
        return self.as_listing and len(self.articles) == len(self.page.items)

    def _matches(self) -> list[tuple[TrueItem, Article]]:
        """True items paired with an output item of the same title, in order, each used once."""
        unused: dict[str, list[Article]] = {}
        for article in self.articles:
            unused.setdefault(fold(article.title), []).append(article)
        pairs = []
        for item in self.page.items:
            found = unused.get(fold(item.title))
            if found:
                pairs.append((item, found.pop(0)))
        return pairs

    def scores(self) -> dict[str, float | int]:
        """Counts this page adds to its form's totals."""
        pairs = self._matches() if self.as_listing else []
        links = sum(_path_key(a.url or "", self.page.url) == _path_key(i.link, self.page.url) for i, a in pairs)
        truth = Counter(w for i in self.page.items for w in realpages.words(i.teaser))
        output = Counter(w for a in self.articles for p in summary_of(a) for w in realpages.words(p))
        output = output if self.as_listing else Counter()
        return {
            "items": len(self.page.items),
            "output": len(self.articles) if self.as_listing else 0,
            "found": len(pairs),
            "links": links,
            "summary_overlap": sum((truth & output).values()),
            "summary_truth": sum(truth.values()),
            "summary_output": sum(output.values()),
        }


def summary_of(item: Article) -> tuple[str, ...]:
    """An item's summary: its text, unless that is its headline again (a page that prints a headline alone)."""
    return () if item.paragraphs == (item.title,) else item.paragraphs


def fold(title: str) -> str:
    """A title for exact comparison: white space folded, nothing else changed."""
    return " ".join(title.split())


def write_archive(pages: Sequence[ListingPage], path: Path) -> None:
    """Pack the pages' saved HTML into one WARC file, one gzip member per response record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for page in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                page.url or f"https://{page.site}/listing-{page.id}",
                "response",
                payload=BytesIO(gzip.decompress(page.path.read_bytes())),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": CAPTURE_DATE, "WARC-Record-ID": f"<urn:uuid:{page.id}>"},
            )
            writer.write_record(record)


def _read(path: Path) -> tuple[list[Article], str | None]:
    try:
        return load_articles([path]), None
    except (ValueError, OSError) as error:
        return [], str(error)


def _comparable(article: Article) -> tuple:
    """What must agree between a page read from an archive and from its file: an item's link's
    path too (a saved file without ``<base>`` or canonical address keeps links relative; an
    article page's own address is known only in the archive, its date may be the capture date)."""
    link = _path_key(article.url or "", "") if article.teaser else None
    return (article.title, article.byline, article.paragraphs, article.teaser, link)


def evaluate(split: str | None = None) -> dict[str, list[ListingResult]]:
    """Read every listing page as HTML and from an archive; returns results by form."""
    pages = load_listings(split)
    html: list[ListingResult] = []
    archive: list[ListingResult] = []
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for page in pages:
            path = folder / f"{page.id}.html"
            path.write_bytes(gzip.decompress(page.path.read_bytes()))
            articles, error = _read(path)
            html.append(ListingResult(page, "listing html", tuple(articles), error))
        for group in sorted({p.split for p in pages}):
            in_split = [p for p in pages if p.split == group]
            path = folder / f"listings-{group}.warc.gz"
            write_archive(in_split, path)
            articles, error = _read(path)
            for position, page in enumerate(in_split):
                mine = tuple(a for a in articles if a.id.startswith(f"{path.name.split('.')[0]}-{position:03d}"))
                archive.append(ListingResult(page, "listing warc", mine, error))
    by_id = {r.page.id: r for r in html}
    for result in archive:
        result.same_as_html = [_comparable(a) for a in result.articles] == [
            _comparable(a) for a in by_id[result.page.id].articles
        ]
    return {"listing html": html, "listing warc": archive}


def summarise(form: str, results: Sequence[ListingResult]) -> dict:
    """One table row over a form's pages."""
    totals: Counter[str] = Counter()
    for result in results:
        totals.update(result.scores())
    n = len(results)
    summary_output, summary_truth = totals["summary_output"], totals["summary_truth"]
    precision = totals["summary_overlap"] / summary_output if summary_output else 0.0
    recall = totals["summary_overlap"] / summary_truth if summary_truth else 0.0
    compared = [r.same_as_html for r in results if r.same_as_html is not None]
    return {
        "form": form,
        "pages": n,
        "items": totals["items"],
        "as_listing": sum(r.as_listing for r in results) / n if n else None,
        "count_exact": sum(r.count_exact for r in results) / n if n else None,
        "titles_found": totals["found"] / totals["items"] if totals["items"] else None,
        "titles_right": totals["found"] / totals["output"] if totals["output"] else None,
        "links_right": totals["links"] / totals["found"] if totals["found"] else None,
        "summary_f1": 2 * precision * recall / (precision + recall) if precision + recall else None,
        "same_as_html": sum(compared) / len(compared) if compared else None,
        "errors": sum(r.error is not None for r in results),
    }


def verdicts(rows: Sequence[dict]) -> list[tuple[str, str, str, float, float | None, bool]]:
    """Each target: (form, score, comparison, target, measured, met)."""
    out = []
    for row in rows:
        for score, comparison, value in TARGETS.get(row["form"], ()):
            measured = row.get(score)
            met = measured is not None and (measured >= value if comparison == ">=" else measured <= value)
            out.append((row["form"], score, comparison, value, measured, met))
    return out


COLUMNS = (
    ("form", "form"),
    ("pages", "pages"),
    ("items", "items"),
    ("as_listing", "read as listing"),
    ("count_exact", "count exact"),
    ("titles_found", "titles found"),
    ("titles_right", "titles right"),
    ("links_right", "links right"),
    ("summary_f1", "summary F1"),
    ("same_as_html", "same as its HTML file"),
    ("errors", "refused"),
)


def _cell(key: str, value: float | int | None) -> str:
    if value is None:
        return "–"
    if key in ("pages", "items", "errors", "form"):
        return str(value)
    return f"{value:.3f}" if key == "summary_f1" else f"{100 * value:.1f}%"


def markdown(rows: Sequence[dict], article_row: dict) -> list[str]:
    """The listing table, the article pages' line and the targets, as Markdown lines."""
    lines = [
        "| " + " | ".join(title for _, title in COLUMNS) + " |",
        "|---|" + "---:|" * (len(COLUMNS) - 1),
        *("| " + " | ".join(_cell(k, row.get(k)) for k, _ in COLUMNS) + " |" for row in rows),
        "",
        f"Article pages read as one article, not as a listing: {article_row['as_article_n']} of "
        f"{article_row['pages']} ({100 * article_row['as_article']:.1f}%).",
    ]
    return lines


def worst(results: Sequence[ListingResult], n: int = 5) -> list[str]:
    """The pages furthest from their item count, for the report."""
    ranked = sorted(results, key=lambda r: (-abs(len(r.articles) - len(r.page.items)), r.page.id))[:n]
    return [
        f"- `{r.page.id}` ({r.page.site}, {r.page.kind}): {len(r.articles)} item(s) for {len(r.page.items)}"
        + (f"; refused: {r.error}" if r.error else "")
        for r in ranked
        if len(r.articles) != len(r.page.items)
    ]


def article_row(flags: Sequence[bool]) -> dict:
    """The article pages' line: how many came out as one article."""
    return {
        "form": "article html",
        "pages": len(flags),
        "as_article_n": sum(flags),
        "as_article": sum(flags) / len(flags) if flags else 0.0,
    }
