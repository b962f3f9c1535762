"""A page's own structured data: schema.org JSON-LD objects and the OpenGraph type.

One reading for the article reader (:mod:`analysis.ingest.html`: headline, authors, date,
keywords) and the listing reader (:mod:`analysis.ingest.listing`: does the page call itself
an article or a collection?).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

#: schema.org types whose headline, author, date and keywords describe the page's article.
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "BlogPosting",
        "Report",
        "OpinionNewsArticle",
        "AnalysisNewsArticle",
        "ReportageNewsArticle",
    }
)
#: schema.org types of a page that lists other pages.
COLLECTION_TYPES = frozenset({"CollectionPage", "ItemList", "SearchResultsPage", "Blog"})


def _walk(node: Any) -> Iterator[dict]:
    """Every JSON object inside a JSON-LD document, ``@graph`` lists and nested objects included."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            stack.extend(value for value in reversed(list(item.values())) if isinstance(value, list | dict))


def schema_types(item: dict) -> tuple[str, ...]:
    """An object's ``@type`` names, a URL's last part kept ("https://schema.org/NewsArticle" is "NewsArticle")."""
    kind = item.get("@type", ())
    return tuple(str(k).rsplit("/", 1)[-1] for k in (kind if isinstance(kind, list) else [kind]))


def json_ld_objects(doc: Any) -> list[dict]:
    """Every object of the page's JSON-LD blocks, in page order; blocks that are not valid JSON are skipped.

    Parameters
    ----------
    doc : lxml.html.HtmlElement
        The parsed page.

    Returns
    -------
    list of dict
        Top-level objects and the objects nested in them (``@graph``, ``mainEntity``, ...).
    """
    found = []
    for block in doc.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        found.extend(_walk(data))
    return found


def page_types(doc: Any) -> frozenset[str]:
    """The schema.org types the page's JSON-LD declares, and its OpenGraph type as ``"og:<type>"``."""
    types = {kind for item in json_ld_objects(doc) for kind in schema_types(item)}
    og = doc.xpath('//meta[@property="og:type"]/@content')
    return frozenset(types | {f"og:{t.strip().lower()}" for t in og})


def says_article(types: frozenset[str]) -> bool:
    """Whether the page's metadata calls it an article: ``og:type`` article, or a JSON-LD
    article type and no collection type."""
    return "og:article" in types or bool(types & ARTICLE_TYPES and not types & COLLECTION_TYPES)
