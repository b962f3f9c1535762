"""Repeated articles, counted once: the same article scraped twice, and a listing page's teasers.

Two copies of one article (on overlapping listing pages, or saved under two names) share
their :func:`fingerprint`. A listing page's teaser (:mod:`analysis.ingest.listing`) is a copy
of the article it links to: it shares its :func:`duplicate_key` with earlier teasers of that
link, and with a whole article captured from that address (:func:`address_key`).
:func:`analysis.ingest.corpus.iter_articles` keeps the first of each (:class:`SeenArticles`);
the Spark route reduces by the same keys.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from analysis.ingest.listing import link_key
from analysis.ingest.reading import InputError

if TYPE_CHECKING:  # corpus defines Article and imports this module
    from analysis.ingest.corpus import Article, FileResult


@dataclass(frozen=True)
class Duplicate:
    """An article left out because an earlier one has the same title and body (or, for a teaser, the same link).

    Attributes
    ----------
    skipped : Article
        The later copy, not yielded.
    kept : Article
        The first copy (yielded in its place), without its paragraphs, captions and removed
        lines: only its id, title and provenance are kept to report the duplicate.
    """

    skipped: Article
    kept: Article

    def describe(self) -> str:
        """``"b.txt article 1 = a.txt article 3"`` (1-based positions, as a reader counts); items of
        listing pages in an archive, which share their page's position, by id."""

        def name(article: Article) -> str:
            return (
                f"{article.source} {article.id}"
                if article.url and article.teaser
                else (f"{article.source} article {article.position + 1}")
            )

        return f"{name(self.skipped)} = {name(self.kept)}"


#: Duplicates named in a note before "and N more".
NOTE_EXAMPLES = 3


def duplicates_note(duplicates: Sequence[Duplicate]) -> str:
    """One line telling the reader which repeated articles were counted once ("" when none).

    Parameters
    ----------
    duplicates : sequence of Duplicate
        From :func:`iter_articles` (or ``Prepared.duplicates``).

    Returns
    -------
    str
        ``"2 duplicate articles counted once (same title and text): b.txt article 1 =
        a.txt article 1; ..."``, or ``""`` when there are none.
    """
    if not duplicates:
        return ""
    shown = "; ".join(d.describe() for d in duplicates[:NOTE_EXAMPLES])
    more = f"; and {len(duplicates) - NOTE_EXAMPLES} more" if len(duplicates) > NOTE_EXAMPLES else ""
    noun = "article" if len(duplicates) == 1 else "articles"
    teasers = sum(d.skipped.teaser for d in duplicates)
    reasons = [
        ("same title and text", len(duplicates) - teasers),
        ("teasers of an article or link seen before", teasers),
    ]
    why = "; ".join(f"{n:,} {reason}" if n < len(duplicates) else reason for reason, n in reasons if n)
    return f"{len(duplicates)} duplicate {noun} counted once ({why}): {shown}{more}"


def fingerprint(article: Article) -> str:
    """A digest of an article's title and body, blind to case and white space.

    Parameters
    ----------
    article : Article
        Any article.

    Returns
    -------
    str
        Equal for two copies of one article scraped twice (on overlapping listing pages, or
        saved under two names), whatever their ids, sources, bylines or dates.
    """

    def fold(text: str) -> str:
        return " ".join(text.split()).casefold()

    return hashlib.sha256(f"{fold(article.title)}\x00{fold(article.text)}".encode("utf-8", "surrogatepass")).hexdigest()


#: How :func:`duplicate_key` marks a teaser's key: the address it links to follows.
LINK_KEY = "link "


def duplicate_key(article: Article) -> str:
    """What two copies of one article share: its :func:`fingerprint`, or for a teaser with a link, the link.

    Parameters
    ----------
    article : Article
        Any article.

    Returns
    -------
    str
        ``LINK_KEY + link_key(url)`` for a listing page's teaser with an absolute link (the
        same item on several listing pages, whatever summary each prints), else the
        fingerprint (a relative link, from a saved page that does not say its address, could
        be any site's).
    """
    if article.teaser and urlsplit(article.url or "").netloc:
        return LINK_KEY + link_key(article.url)
    return fingerprint(article)


def address_key(article: Article) -> str | None:
    """The key under which a whole article's absolute address meets its teasers' :func:`duplicate_key`; None otherwise."""
    if article.teaser or not urlsplit(article.url or "").netloc:
        return None
    return LINK_KEY + link_key(article.url)


def _shell(article: Article) -> Article:
    """An article without its text: enough to name it in a duplicate note."""
    return replace(article, paragraphs=(), captions=(), removed=())


class SeenArticles:
    """The articles yielded so far: ids must not clash; repeated articles are counted once when asked."""

    def __init__(self, duplicates: list[Duplicate] | None) -> None:
        self.duplicates = duplicates
        self.ids: dict[str, Path] = {}
        self.texts: dict[str, Article] = {}  # fingerprint -> the first article, without its text (memory stays small)
        self.links: dict[str, Article] = {}  # address_key -> the whole article captured from it

    def new(self, result: FileResult) -> Iterator[Article]:
        """The file's articles that are not duplicates (each recorded), checking ids.

        A teaser (an item of a listing page) is a duplicate when an earlier teaser links to the
        same address, or a whole article captured from that address is in the corpus earlier
        or in the same file (a crawl holds a site's listing pages and its articles).
        """
        if self.duplicates is not None:
            for article in result.articles:
                address = address_key(article)
                if address is not None:
                    self.links.setdefault(address, _shell(article))
        for article in result.articles:
            if self.duplicates is not None:
                key = duplicate_key(article)
                first = self.texts.get(key) or self.links.get(key)
                if first is not None:
                    self.duplicates.append(Duplicate(article, first))
                    continue
                self.texts[key] = _shell(article)
            if article.id in self.ids:
                raise InputError(
                    f"{result.path}: article id {article.id!r} clashes with {self.ids[article.id]}; "
                    "give the two files different names"
                )
            self.ids[article.id] = Path(result.path)
            yield article
