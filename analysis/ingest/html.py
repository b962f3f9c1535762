"""Read a saved HTML page: its main text, and its metadata from the page's own structured data first.

Most article pages state their headline, authors, date and keywords for search engines and
social networks: schema.org JSON-LD (``NewsArticle``, ``BlogPosting``, ``Article``) and
OpenGraph ``<meta property="article:...">`` tags. Those are read first; trafilatura's own
metadata and its main-text extraction come next. The headline is the one a reader sees:
the page's ``<h1>`` that agrees with the metadata titles (which often carry a site name or
a different wording for social networks), else the best metadata title. When trafilatura
keeps almost nothing of a long article, the page's visible text is read as a scraped page
is (:func:`text_reader_body`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from analysis.ingest.lines import Line, cut_hover_cards
from analysis.ingest.listing import FULL_POST_WORDS, Listing, read_listing
from analysis.ingest.recognise import content_words, count_words, looks_like_boilerplate, looks_like_code
from analysis.ingest.rules import Rules, default_rules, matches_any
from analysis.ingest.segment import MAX_CHROME_WORDS, Segment, segment_page
from analysis.ingest.structured import ARTICLE_TYPES, json_ld_objects, schema_types
from analysis.ingest.trailer import trailer_start

#: An ``<h1>`` is the page's headline when at least this share of its words are in a metadata title ...
H1_AGREEMENT = 0.6
#: ... or this share, and it covers this share of the title's words.
H1_LOOSE_AGREEMENT = 0.4
H1_LOOSE_COVERAGE = 0.5
#: Author "names" that are the labels of menus or accounts, not people.
_NOT_AUTHORS = frozenset({"username", "admin", "author", "editor", "staff", "guest", "anonymous", "unknown"})
#: Tag labels printed in front of a tag list, which are not tags.
_TAG_LABELS = frozenset({"tags", "tag", "topics", "topic", "keywords", "categories", "category", "filed under"})


@dataclass(frozen=True)
class HtmlPage:
    """What an HTML page says about its article.

    Attributes
    ----------
    title : str
        The headline a reader sees.
    authors : tuple of str
        One name per author, in page order.
    date : str or None
        The publication date as the page states it (ISO 8601 in structured data).
    tags : tuple of str
        Keywords, split and de-duplicated.
    paragraphs : tuple of str
        The main text, one paragraph per item.
    """

    title: str
    authors: tuple[str, ...]
    date: str | None
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]


def json_ld_articles(doc: Any) -> list[dict]:
    """The schema.org article objects of a page's JSON-LD blocks.

    Parameters
    ----------
    doc : lxml.html.HtmlElement
        The parsed page.

    Returns
    -------
    list of dict
        Objects whose ``@type`` is one of :data:`ARTICLE_TYPES`, in page order; blocks that are
        not valid JSON are skipped.
    """
    return [item for item in json_ld_objects(doc) if set(schema_types(item)) & ARTICLE_TYPES]


def _names(value: Any) -> list[str]:
    """Author names from a JSON-LD ``author`` value: a string, a Person, or a list of them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def clean_authors(names: Iterable[str]) -> tuple[str, ...]:
    """One name per author: split joined lists, drop labels and duplicates (case-insensitive).

    Parameters
    ----------
    names : iterable of str
        Raw author values ("Jeffrey Gettleman; JEFFREY GETTLEMAN", "By Ana Ruiz and Jo Lee").

    Returns
    -------
    tuple of str
        ``("Jeffrey Gettleman",)``, ``("Ana Ruiz", "Jo Lee")``; a URL, an e-mail address or a
        menu label ("Username") is not a name.
    """
    out: dict[str, str] = {}
    for raw in names:
        for part in re.split(r"\s*(?:;|\||,|\band\b|&)\s*", re.sub(r"(?i)^\s*by\s+", "", raw or "")):
            name = " ".join(part.split()).strip(" .")
            if (
                not name
                or "/" in name
                or "@" in name
                or name.casefold() in _NOT_AUTHORS
                or not re.search(r"[^\W\d_]", name)
            ):
                continue
            out.setdefault(name.casefold(), name.title() if name.isupper() else name)
    return tuple(out.values())


_TAG_LABEL = re.compile(r"(?i)^\s*(?:tags?|topics?|keywords?|categor(?:y|ies)|filed under)\s*:\s*")


def clean_tags(values: Iterable[Any]) -> tuple[str, ...]:
    """Tags split at commas and semicolons, labels and duplicates removed, in first-seen order.

    Parameters
    ----------
    values : iterable
        Strings ("Iran, Europe; Human rights") or lists of strings.

    Returns
    -------
    tuple of str
        ``("Iran", "Europe", "Human rights")``.
    """
    out: dict[str, str] = {}
    for value in values:
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            for part in re.split(r"\s*[,;|]\s*", _TAG_LABEL.sub("", str(item or ""))):
                tag = " ".join(part.split()).strip(" #:")
                if tag and tag.casefold() not in _TAG_LABELS:
                    out.setdefault(tag.casefold(), tag)
    return tuple(out.values())


def _people(value: Any) -> Any:
    """A JSON-LD ``author`` value without its organisations (a newspaper named as author)."""
    if isinstance(value, list):
        return [v for v in value if not (isinstance(v, dict) and "Organization" in schema_types(v))]
    if isinstance(value, dict) and "Organization" in schema_types(value):
        return []
    return value


def _looks_like_person(name: str, site: set[str]) -> bool:
    """A name of two words or more, or one capitalised word, that is not the site's own name ("kevin-r" is an account)."""
    words = name.split()
    if name.casefold() in site or any(name.casefold() in s for s in site):
        return False
    return len(words) >= 2 or (name[:1].isupper() and name.isalpha() and not name.isupper())


def choose_authors(candidates: list[tuple[str, ...]], site: set[str]) -> tuple[str, ...]:
    """The first list of people among the page's author sources, completed by a later source that names them all and more.

    Parameters
    ----------
    candidates : list of tuple of str
        Cleaned author lists in order of trust: structured data, ``<meta>`` tags, trafilatura.
    site : set of str
        Folded names of the site, which are not authors.

    Returns
    -------
    tuple of str
        The chosen names; empty when no source names a person.
    """
    lists = [tuple(n for n in names if _looks_like_person(n, site)) for names in candidates]
    chosen = next((names for names in lists if names), ())
    folded = {n.casefold() for n in chosen}
    for names in lists:
        if folded and folded < {n.casefold() for n in names}:
            return names  # one author in the structured data, all of them in the byline
    return chosen


#: The marks a title sets its site's name apart with ("Headline | Site", "Headline - Site").
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:]{1,2}\s+")


def _title_parts(title: str) -> list[str]:
    """A title's parts between :data:`_TITLE_SEPARATOR` marks."""
    return [p.strip() for p in _TITLE_SEPARATOR.split(title) if p.strip()]


def _squashed(text: str) -> str:
    """Letters and digits only, lower case: "MIT Sloan" and "mitsloan.mit.edu" meet as "mitsloan"."""
    return re.sub(r"[\W_]+", "", text.casefold())


#: The paragraphs of trafilatura's text whose words tell a headline from a site's name.
OPENING_PARAGRAPHS = 3
#: A title's part is taken for the host's name only with at least this many letters ("AI" is no site).
MIN_SITE_NAME_CHARS = 4


def page_hosts(doc: Any) -> list[str]:
    """The page's host names squashed (:func:`_squashed`: "bostonglobecom"), from
    ``<link rel="canonical">`` and ``og:url``, ``www.`` left out."""
    urls = [*doc.xpath('//link[@rel="canonical"]/@href'), *_meta(doc, "og:url")]
    hosts = (_squashed((urlsplit(u.strip()).hostname or "").removeprefix("www.")) for u in urls)
    return [h for h in hosts if h]


def _bare_name(text: str) -> str:
    """A name squashed without a leading "The": "The Boston Globe" and "BostonGlobe" meet."""
    return _squashed(re.sub(r"(?i)^\W*the\s+", "", text))


def _names_the_story(name: str, titles: Sequence[str], body: frozenset[str]) -> bool:
    """Whether a declared site name is the story's headline instead: a whole title, or a part
    of one that shares more content words with the body than the title's other parts do
    ("Council approves road budget - Springfield Herald" on a story about the budget)."""
    for title in titles:
        if " ".join(title.split()).casefold() == name:
            return True
        parts = _title_parts(title)
        if len(parts) > 1 and name in {p.casefold() for p in parts}:
            others = content_words(" ".join(p for p in parts if p.casefold() != name))
            if len(content_words(name) & body) > len(others & body):
                return True
    return False


def metadata_site_names(doc: Any, titles: Iterable[str], body: frozenset[str] = frozenset()) -> set[str]:
    """The names a page gives its site, lower case: ``og:site_name`` and ``application-name``,
    and a title's shorter part named like the page's host ("Top 11 SEO Strategies | LuccaAM" on
    ``luccaam.com``, :func:`page_hosts`). A declared name that is the story's headline is left
    out (:func:`_names_the_story`, ``body`` the content words of the article's text): some pages
    give their headline as the site's name."""
    titles = list(titles)
    declared = {" ".join(n.split()).casefold() for n in _meta(doc, "og:site_name", "application-name")}
    names = {n for n in declared if not _names_the_story(n, titles, body)}
    hosts = page_hosts(doc)
    for title in titles:
        parts = _title_parts(title)
        longest = max(parts, key=len, default="")
        names.update(
            p.casefold()
            for p in parts
            if p != longest and len(_bare_name(p)) >= MIN_SITE_NAME_CHARS and any(_bare_name(p) in h for h in hosts)
        )
    return names


def names_the_site(text: str, site: Iterable[str], hosts: Iterable[str] = ()) -> bool:
    """Whether a line is the site's name: one of ``site``'s names, or a name the page's host
    spells ("The Boston Globe" on ``bostonglobe.com``), a leading "The", case and spaces aside."""
    bare = _bare_name(text)
    return bool(bare) and (
        bare in {_bare_name(n) for n in site} or (len(bare) >= MIN_SITE_NAME_CHARS and any(bare in h for h in hosts))
    )


def _without_site_name(title: str, site: set[str], longest: bool = True) -> str:
    """A title without the site's name: of its parts between " | ", " - ", " — " or " :: " that
    are not one of ``site``'s names, the longest when ``longest`` (a ``<title>``, whose other
    parts are the site's); else (a social title: "Bitcoin - the future?") the title as written
    less a first or last part that names the site."""
    parts = _title_parts(title)
    kept = [p for p in parts if p.casefold() not in site] or parts
    if longest:
        return max(kept, key=len, default=title)
    text = " ".join(title.split())
    for name in sorted(site, key=len, reverse=True):
        name = re.escape(name)
        text = re.sub(
            rf"(?i)(?<=\S){_TITLE_SEPARATOR.pattern}{name}$|^{name}{_TITLE_SEPARATOR.pattern}(?=\S)", "", text
        )
    return text


def _meta(doc: Any, *names: str) -> list[str]:
    """Contents of ``<meta property=...>`` or ``<meta name=...>`` tags, in page order."""
    found = []
    for name in names:
        found += [v.strip() for v in doc.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content') if v.strip()]
    return found


_TAG_CONTAINER = re.compile(r"(?i)(?:^|[-_ ])(?:tags?|tag-?list|post-?tags|article-?tags|entry-?tags)(?:[-_ ]|$)")
#: A visible tag list has at most this many links; more is a menu.
MAX_VISIBLE_TAGS = 15


def visible_tags(doc: Any) -> list[str]:
    """The tag list a reader sees: links marked ``rel="tag"``, else the links of an element whose
    class or id names tags ("post-tags", "article-tags").

    Parameters
    ----------
    doc : lxml.html.HtmlElement
        The parsed page.

    Returns
    -------
    list of str
        Link texts in page order, de-duplicated; empty when there is none, or when the list is
        longer than :data:`MAX_VISIBLE_TAGS` links (a menu, not a tag list).
    """
    links = doc.xpath('//a[contains(concat(" ", normalize-space(@rel), " "), " tag ")]')
    if not links:
        for element in doc.xpath("//*[@class or @id]"):
            if _TAG_CONTAINER.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
                links = element.xpath(".//a")
                if links:
                    break
    texts: dict[str, str] = {}
    for link in links:
        text = " ".join(link.text_content().split())
        if text and count_words(text) <= 6:
            texts.setdefault(text.casefold(), text)
    return list(texts.values()) if 0 < len(texts) <= MAX_VISIBLE_TAGS else []


def _agreement(heading: str, titles: Iterable[str]) -> float:
    """Share of a heading's words found in the best-matching metadata title."""
    own = content_words(heading)
    if not own:
        return 0.0
    return max((len(own & content_words(t)) / len(own) for t in titles if t), default=0.0)


def _coverage(heading: str, titles: Iterable[str]) -> float:
    """Share of the best-covered metadata title's words found in a heading."""
    own = content_words(heading)
    return max((len(own & words) / len(words) for words in map(content_words, titles) if words), default=0.0)


def metadata_titles(
    doc: Any, articles: Sequence[dict], body: frozenset[str] = frozenset()
) -> tuple[list[str], set[str]]:
    """The titles a page gives itself, and its site's names (:func:`metadata_site_names`).

    Parameters
    ----------
    doc : lxml.html.HtmlElement
        The parsed page.
    articles : sequence of dict
        Its JSON-LD articles (:func:`json_ld_articles`).
    body : frozenset of str
        The content words of the article's text, to tell a headline given as the site's name
        (:func:`metadata_site_names`).

    Returns
    -------
    tuple of (list of str, set of str)
        The JSON-LD headlines, ``og:title`` and ``twitter:title`` without a part naming the
        site, and the ``<title>`` without the site's name, in that order; and the site's names.
    """
    headlines = [str(a.get("headline", "")).strip() for a in articles]
    social = _meta(doc, "og:title", "twitter:title")
    page_titles = doc.xpath("//title/text()")
    site = metadata_site_names(doc, [*headlines, *social, *page_titles], body)
    titles = [
        *headlines,
        *(_without_site_name(t, site, longest=False) for t in social),
        *(_without_site_name(t, site) for t in page_titles),
    ]
    return titles, site


#: A listing item whose title has at least this many content words and is the page's own
#: title (this share of its words in every metadata title, and of each title's in it) makes
#: the page an article: a listing page's title names the site or section, not one of its items.
MIN_OWN_TITLE_WORDS = 4
OWN_TITLE_AGREEMENT = 0.8


def _lists_its_own_title(listing: Listing, titles: Sequence[str]) -> bool:
    """Whether an item of ``listing`` carries the page's own title in every metadata title
    (:data:`OWN_TITLE_AGREEMENT`). Every one: an archive page may copy its first story's title
    into ``og:title`` while its ``<title>`` names the site."""
    titles = [t for t in titles if content_words(t)]
    return bool(titles) and any(
        len(content_words(item.title)) >= MIN_OWN_TITLE_WORDS
        and all(
            _agreement(item.title, [t]) >= OWN_TITLE_AGREEMENT and _coverage(item.title, [t]) >= OWN_TITLE_AGREEMENT
            for t in titles
        )
        for item in listing.items
    )


def visible_headline(
    doc: Any, titles: list[str], site: set[str] = frozenset(), hosts: Sequence[str] = ()
) -> str | None:
    """The page's ``<h1>`` that agrees with its metadata titles.

    An ``<h1>`` agrees when :data:`H1_AGREEMENT` of its words are in a title, or
    :data:`H1_LOOSE_AGREEMENT` of them and it covers :data:`H1_LOOSE_COVERAGE` of a title's
    (a headline worded apart from an SEO title: "Top 10 Health and Nutrition Trends to Watch"
    for "Health And Nutrition Trends For 2026"; not a masthead "The Boston Globe" sharing
    "Boston" with the story's title).

    Parameters
    ----------
    doc : lxml.html.HtmlElement
        The parsed page.
    titles : list of str
        Metadata titles (JSON-LD headline, OpenGraph title, ``<title>``, trafilatura's title).
    site : set of str
        The site's names, lower case (:func:`metadata_site_names`) ...
    hosts : sequence of str
        ... and its hosts (:func:`page_hosts`): an ``<h1>`` naming the site is the masthead
        (:func:`names_the_site`).

    Returns
    -------
    str or None
        Of the agreeing ``<h1>`` elements, the one that agrees best both ways: its words in a
        title, and a title's words in it (a masthead "Stanford Online" is all in "Certificate vs
        Certification | Stanford Online", but covers half of it); the first on ties, white space
        folded, its inline elements joined as written and ``<br>`` a space. None when no
        ``<h1>`` agrees (the masthead is the page's only ``<h1>``).
    """
    best: tuple[float, str] | None = None
    for element in doc.xpath("//h1"):
        text = " ".join(visible_blocks(element))  # "WEEKEND<br>CODING" is two words, "<a>Trump</a>," one
        if not text or names_the_site(text, site, hosts):
            continue
        agreement, coverage = _agreement(text, titles), _coverage(text, titles)
        agrees = agreement >= H1_AGREEMENT or (agreement >= H1_LOOSE_AGREEMENT and coverage >= H1_LOOSE_COVERAGE)
        if agrees and (best is None or agreement + coverage > best[0]):
            best = (agreement + coverage, text)
    return best[1] if best else None


#: Elements whose contents a reader never sees as text.
SKIPPED_TAGS = frozenset({"head", "script", "style", "noscript", "template", "svg", "iframe"})
#: Elements a browser lays out as blocks (or as line breaks): each starts and ends a block of text.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "listing",
        "main", "menu", "nav", "ol", "optgroup", "option", "p", "plaintext", "pre", "search", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "xmp",
    }
)  # fmt: skip
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.IGNORECASE)


def hidden_by_attributes(attrs: Any) -> bool:
    """Whether an element's attributes hide it (``hidden``, or an inline ``display: none``)."""
    return "hidden" in attrs or bool(_DISPLAY_NONE.search(attrs.get("style") or ""))


def visible_blocks(root: Any) -> list[str]:
    """A parsed page's visible text, one string per block, as a browser lays it out.

    Every block-level element (:data:`BLOCK_TAGS`: paragraphs, headings, list items, table
    cells, ``div``, ``header``, ``nav``, ``footer``...) and every ``<br>`` ends the text run
    before it and starts a new one; inline elements (``a``, ``span``, ``em``, ``time``...) join
    their block's text with the spacing the source has. Whitespace collapses to single spaces
    and empty blocks are dropped. The contents of :data:`SKIPPED_TAGS` elements and of elements
    hidden by a ``hidden`` attribute or an inline ``display: none`` are left out; elements
    hidden only by a style sheet cannot be told and stay. Navigation, menus, sidebars, related
    links, comments and footers stay: this is the full visible text, not an extraction.

    Parameters
    ----------
    root : lxml element
        The parsed page.

    Returns
    -------
    list of str
    """
    blocks: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = " ".join("".join(run).split())
        if text:
            blocks.append(text)
        run.clear()

    # An explicit stack rather than recursion: some pages nest deeper than Python's recursion limit.
    stack: list[tuple[bool, Any]] = [(False, root)]
    while stack:
        closing, element = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if closing:
            if tag in BLOCK_TAGS:
                flush()
            if element.tail:
                run.append(element.tail)
            continue
        if tag is None or tag in SKIPPED_TAGS or hidden_by_attributes(element.attrib):  # comments, instructions
            if element.tail:
                run.append(element.tail)
            continue
        if tag in BLOCK_TAGS:
            flush()
        if element.text:
            run.append(element.text)
        stack.append((True, element))
        stack.extend((False, child) for child in reversed(element))
    flush()
    return blocks


#: trafilatura's main text gives way to the text reader's (:func:`text_reader_body`) only when
#: it has fewer than this many words ...
MIN_FALLBACK_WORDS = 150
#: ... and the text reader's article at least this many ...
MIN_FALLBACK_ARTICLE_WORDS = 500
#: ... and this many times as many as trafilatura's (a short post under a long comment thread
#: that the text reader reads with it stays trafilatura's).
FALLBACK_RATIO = 4.0
#: A block of the page's visible text with at least this many words counts as prose.
MIN_PROSE_BLOCK_WORDS = 15
#: The text reader's article must hold at least this share of trafilatura's content words
#: (its article, not another one of the page).
MIN_FALLBACK_OVERLAP = 0.5


def text_reader_body(root: Any, extracted: Sequence[str], rules: Rules | None = None) -> tuple[str, ...] | None:
    """The article the text reader finds in the page's visible text, when trafilatura's main text
    (``extracted``) missed most of it.

    trafilatura keeps a page's main text by its markup; on some layouts it keeps a paragraph of a
    long article, or nothing. The page's visible text (:func:`visible_blocks`, one block
    per paragraph) is then read as a scraped page is (:func:`~analysis.ingest.segment.segment_page`).

    Parameters
    ----------
    root : lxml element
        The parsed page.
    extracted : sequence of str
        trafilatura's paragraphs, widget lines and trailer removed.
    rules : Rules, optional
        Segmentation rules; the shipped ones when omitted.

    Returns
    -------
    tuple of str or None
        The paragraphs of the text reader's article (widget lines and trailer removed as from
        trafilatura's), when ``extracted`` has fewer than :data:`MIN_FALLBACK_WORDS` words and
        the article found has :data:`MIN_FALLBACK_ARTICLE_WORDS` or more, :data:`FALLBACK_RATIO`
        times those of ``extracted``, and :data:`MIN_FALLBACK_OVERLAP` of its content words (the
        article with most of them, or the longest when ``extracted`` is empty); None otherwise:
        trafilatura's text stands. Where it found an article, the text around it is as often a
        comment thread or a sidebar as the rest of the body; a short post under a long thread
        may still be read with the thread when the text reader does not tell the thread apart.
    """
    have = count_words(" ".join(extracted))
    if have >= MIN_FALLBACK_WORDS:
        return None  # trafilatura found an article: more text on the page is as often comments as body
    blocks = visible_blocks(root)
    prose = sum(n for n in map(count_words, blocks) if n >= MIN_PROSE_BLOCK_WORDS)
    if prose < max(MIN_FALLBACK_ARTICLE_WORDS, FALLBACK_RATIO * have):
        return None  # the page has no much longer text than trafilatura kept: nothing to read again
    articles, _ = segment_page("\n\n".join(blocks), rules)
    if not articles:
        return None
    own = content_words(" ".join(extracted))

    def shared(article: Segment) -> int:
        return len(own & content_words(" ".join(article.paragraphs)))

    best = max(articles, key=lambda a: (shared(a), count_words(" ".join(a.paragraphs))))
    paragraphs = without_trailer([p for p in best.paragraphs if not is_widget_text(p, rules)])
    words = count_words(" ".join(paragraphs))
    if words < max(MIN_FALLBACK_ARTICLE_WORDS, FALLBACK_RATIO * have) or shared(best) < MIN_FALLBACK_OVERLAP * len(own):
        return None
    return tuple(paragraphs)


def is_widget_text(paragraph: str, rules: Rules | None = None) -> bool:
    """Whether an extracted paragraph is a share bar, player or widget line, or small print.

    Parameters
    ----------
    paragraph : str
        A paragraph of the extracted main text.
    rules : Rules, optional
        Chrome rules, the user's own included; the shipped ones when omitted.

    Returns
    -------
    bool
        True for short lines the chrome rules match once a list bullet is taken off
        ("- Share on Facebook", "Please wait...", "This feature is temporarily unavailable."),
        and for small print, biographies and inline scripts (the text path's rules for them).
    """
    text = re.sub(r"^[-•·*]\s+", "", paragraph.strip())
    if looks_like_boilerplate(text) or looks_like_code(text):
        return True
    return count_words(text) <= MAX_CHROME_WORDS and matches_any((rules or _default_rules()).chrome, text)


@lru_cache(maxsize=1)
def _default_rules() -> Rules:
    return default_rules()


#: A page with fewer words than this in its main text may be a wall or an error page.
MAX_WALL_WORDS = 80
_WALLS = (
    (
        "a cookie or consent wall",
        re.compile(r"(?i)\b(?:cookies?|consent|enable javascript|javascript is (?:disabled|required))\b"),
    ),
    (
        "a login or subscription wall",
        re.compile(
            r"(?i)\b(?:sign in|log ?in|subscribe to (?:continue|read)|create (?:a free|an) account|already a subscriber)\b"
        ),
    ),
    (
        "an error page",
        re.compile(r"(?i)\b(?:404|page not found|not found|error \d{3}|access denied|forbidden|service unavailable)\b"),
    ),
)
_INDEX_TITLE = re.compile(r"(?i)^(?:tag|tagged|topic|category|archives?|posts? (?:tagged|in|by))\b\s*:?|\barchives?$")


def not_an_article(page: HtmlPage) -> str | None:
    """Why a page is not an article: a cookie, login or subscription wall, an error page, a tag index.

    Parameters
    ----------
    page : HtmlPage
        What :func:`read_html` extracted.

    Returns
    -------
    str or None
        A short description ("a cookie or consent wall") when the main text is under
        :data:`MAX_WALL_WORDS` words and says so, or the title is a tag, category or archive
        index; None for an article.
    """
    if _INDEX_TITLE.search(page.title.strip()):
        return "a tag, category or archive index"
    text = " ".join([page.title, *page.paragraphs])
    if count_words(" ".join(page.paragraphs)) >= MAX_WALL_WORDS:
        return None
    return next((what for what, pattern in _WALLS if pattern.search(text)), None)


def parse_html(html: str) -> Any | None:
    """The page's element tree (lxml), or None when lxml cannot parse it."""
    import lxml.html  # imported here, with trafilatura: only HTML needs them

    try:
        return lxml.html.document_fromstring(html)
    except ValueError:  # a string that declares its encoding (<?xml ... encoding=?>): parsed as UTF-8 bytes
        pass
    except lxml.etree.ParserError:
        return None
    try:
        parser = lxml.html.HTMLParser(encoding="utf-8")
        return lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (ValueError, lxml.etree.ParserError):
        return None


def read_html_document(html: str, rules: Rules | None = None, url: str | None = None) -> HtmlPage | Listing | None:
    """Read an HTML page as a listing of items when it is one, else as an article.

    Parameters
    ----------
    html : str
        The page, decoded.
    rules : Rules, optional
        Chrome rules for extracted text and items' summaries; the shipped ones when omitted.
    url : str, optional
        The address the page was captured from (links of a listing are made absolute with it).

    Returns
    -------
    HtmlPage, Listing or None
        A :class:`~analysis.ingest.listing.Listing` (its items' summaries without widget
        lines, their bylines cleaned) when :func:`~analysis.ingest.listing.read_listing` finds
        one; else what :func:`read_html` extracts.
    """
    doc = parse_html(html)
    listing = read_listing(doc, url) if doc is not None else None
    if listing is None or _lists_its_own_title(listing, metadata_titles(doc, json_ld_articles(doc))[0]):
        return read_html(html, rules, doc=doc)
    items = []
    for item in listing.items:
        summary = tuple(p for p in item.summary if not is_widget_text(p, rules))
        whole = not item.teaser and sum(count_words(p) for p in summary) >= FULL_POST_WORDS
        author = " and ".join(clean_authors([item.author])) or None if item.author else None
        items.append(replace(item, summary=summary, author=author, teaser=not whole))
    return replace(listing, items=tuple(items))


def without_trailer(paragraphs: list[str]) -> list[str]:
    """The paragraphs up to the article's trailer ("About Ascom", "Media contacts", "Most read"),
    found as on a text page (:func:`analysis.ingest.trailer.trailer_start`)."""
    lines = [Line(" ".join(p.split()), number) for number, p in enumerate(paragraphs, 1)]
    return paragraphs[: trailer_start(lines, ["text"] * len(lines), 0, len(lines) - 1)] if lines else paragraphs


def read_html(html: str, rules: Rules | None = None, doc: Any | None = None) -> HtmlPage | None:
    """Extract an HTML page's article: main text with trafilatura, metadata from structured data first.

    Parameters
    ----------
    html : str
        The page, decoded.
    rules : Rules, optional
        Chrome rules for the lines of the extracted text (:func:`is_widget_text`); the shipped
        ones when omitted.
    doc : lxml element, optional
        The page already parsed (:func:`parse_html`); parsed here when omitted.

    Returns
    -------
    HtmlPage or None
        None when neither trafilatura nor the text reader finds main text. The text reader's
        article (:func:`text_reader_body`) replaces trafilatura's main text when that missed
        most of a long article.
    """
    import trafilatura  # imported here: only HTML needs it

    extracted = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False},
    )
    body = (getattr(extracted, "text", None) if extracted is not None else None) or ""
    doc = parse_html(html) if doc is None else doc
    if not body.strip() and doc is None:
        return None
    articles = json_ld_articles(doc) if doc is not None else []
    meta = (lambda *names: _meta(doc, *names)) if doc is not None else (lambda *names: [])
    extracted_title = (getattr(extracted, "title", None) or "").strip()
    opening = content_words(" ".join(body.splitlines()[:OPENING_PARAGRAPHS]))
    titles, site = metadata_titles(doc, articles, opening) if doc is not None else ([], set())
    titles.append(extracted_title)
    hosts = page_hosts(doc) if doc is not None else []
    title = (visible_headline(doc, titles, site, hosts) if doc is not None else None) or next(
        (t for t in titles if t.strip()), ""
    )
    authors = choose_authors(
        [
            clean_authors(n for a in articles for n in _names(_people(a.get("author")))),
            clean_authors(meta("author", "parsely-author", "sailthru.author", "article:author")),
            clean_authors([getattr(extracted, "author", None) or ""]),
        ],
        # the names the page declares for its site: a personal site's host ("janedoe.com") names its author
        {n.casefold() for n in meta("og:site_name", "application-name")},
    )
    date = next(
        (str(a[key]) for a in articles for key in ("datePublished", "dateCreated") if a.get(key)),
        next(iter(meta("article:published_time", "datePublished", "pubdate")), getattr(extracted, "date", None)),
    )
    shown = visible_tags(doc) if doc is not None else []
    tags = clean_tags(
        [shown]
        if shown
        else [a.get("keywords") for a in articles if a.get("keywords")]
        or meta("article:tag")
        or [getattr(extracted, "tags", None) or getattr(extracted, "categories", None) or ""]
    )
    paragraphs = [cut_hover_cards(p.strip()) for p in body.splitlines() if p.strip() and not is_widget_text(p, rules)]
    if paragraphs and " ".join(paragraphs[0].split()) in {" ".join(t.split()) for t in (title, extracted_title) if t}:
        paragraphs = paragraphs[1:]
    paragraphs = without_trailer(paragraphs)
    read_again = text_reader_body(doc, paragraphs, rules) if doc is not None else None
    if read_again is not None:
        paragraphs = [p for p in read_again if " ".join(p.split()) != " ".join(title.split())]
    if not paragraphs:
        return None
    return HtmlPage(title=" ".join(title.split()), authors=authors, date=date, tags=tags, paragraphs=tuple(paragraphs))
