"""Listing pages: a page of many headline + teaser blocks read as one record per item.

A site's front page, a section or category page and a blog's index list articles as blocks
of the same shape: a headline that links to the article, often a summary, a date or a
byline. Read as one article, such a page becomes a long text titled with the site's name. This
module finds the blocks and tells a listing page from an article page:

1. **Headline links.** Links in the page's content (menus, headers and footers of the page,
   sidebars, share bars, pagination and ad slots are left out by tag, ARIA role or class name)
   whose text reads as a headline: inside or around an ``<h1>``–``<h6>``, marked as a title by
   a class name, or standing alone (not inside prose) with :data:`MIN_LOOSE_HEADLINE_WORDS`
   words or more; a shorter link placed as the headline links are (a carousel's tiles) too.
   "Read more" links, calls to action and links to tag, author and paging pages are not
   headlines.
2. **Item blocks.** Each headline's block is its highest ancestor that holds no headline
   linking elsewhere; links of one block to one address are one item. A block that is only
   its heading takes the text of its following siblings, up to the next block, as summary.
   Items without a summary that link to a section of the site ("Most Recent", a kicker) are
   dropped and the blocks formed again without them.
3. **Listing or article.** A page is a listing when it has :data:`MIN_ITEMS` items or more
   and the prose outside the blocks is small beside the text inside them
   (:data:`ARTICLE_PROSE_WORDS`, :data:`ARTICLE_PROSE_SHARE`; stricter when the page's own
   metadata calls it an article). An article page's "related" list has blocks too, but its
   body lies outside them.

An item is a **teaser** unless the page prints the whole post: :data:`FULL_POST_WORDS` words
or more and no "Read more" link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from analysis.ingest.recognise import count_words, parse_byline, parse_dateline
from analysis.ingest.structured import page_types, says_article

#: A page with fewer items than this is read as an article.
MIN_ITEMS = 3
#: A link standing alone in its parent reads as a headline from this many words.
MIN_LOOSE_HEADLINE_WORDS = 4
#: A field's label before a link ("Issues:", "Filed under:") has at most this many words...
MAX_LABEL_WORDS = 3
#: ... and is looked for this many levels up from the link.
LABEL_DEPTH = 3
#: Items printed twice in a row in runs of at least this many (a slider's tabs, then its slides) are read once.
MIN_REPEATED_RUN = 2
#: A headline has at least this many characters ("Update!").
MIN_HEADLINE_CHARS = 4
#: A link of at most this many words to a section's address is the section's heading.
MAX_SECTION_WORDS = 3
#: An element's own text is prose from this many words (a sentence, not a line of furniture).
MIN_PROSE_WORDS = 10
#: Prose outside the item blocks of at least this many words can be an article's body...
ARTICLE_PROSE_WORDS = 150
#: ... when it is at least this share of the words inside the blocks.
ARTICLE_PROSE_SHARE = 0.5
#: When the page's metadata says it is an article, the blocks must hold this many times the
#: prose outside them for the page to be read as a listing.
ARTICLE_PAGE_MARGIN = 3.0
#: An item whose summary has this many words and no "Read more" link is a whole post.
FULL_POST_WORDS = 150
#: A summary paragraph has at least this many words, unless it ends a sentence.
MIN_SUMMARY_WORDS = 6

#: Elements whose content is never visible text.
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "head", "select", "button"})
#: Elements that hold a page's furniture, not its content.
_FURNITURE_TAGS = frozenset({"nav", "aside"})
#: ... and these, unless they sit inside an ``<article>`` (an item's own header and footer).
_EDGE_TAGS = frozenset({"header", "footer"})
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"})
#: Parts of class names and ids (split at "-" and "_") that mark furniture.
_FURNITURE_WORDS = frozenset(
    "nav navbar navigation menu menus submenu megamenu footer sidebar widget widgets related popular trending "
    "mostread mostpopular mostviewed mostshared recentposts recententries latestposts rightrail siderail "
    "rail rightcol leftcol sidecol sidebox rightcolumn leftcolumn editorspicks "
    "breadcrumb breadcrumbs pagination pager paging share sharing social comments "
    "advert advertisement ads adslot sponsor sponsored promoted outbrain taboola newsletter masthead topbar "
    "toolbar cookie skip login signin signup subscribe twitter facebook instagram linkedin pinterest whatsapp moreon morefrom".split()
)
#: Furniture words that name parts of content blocks inside the page's ``<main>`` (a front
#: page built of "featured posts" widgets, a story module's "footer-section").
_CONTENT_WIDGETS = frozenset({"widget", "widgets", "footer", "toolbar"})
#: Class-name parts of dialogs shown over the page (a sign-in box, a tip line's instructions):
#: their text is not the page's prose.
_DIALOG_WORDS = frozenset("modal popup dialog lightbox signin login cookie newsletter".split())
#: Class-name parts of the page's main content: an element named so is never furniture by name.
_CONTENT_WORDS = frozenset({"main", "maincontent", "content"})
#: Class-name parts that state a condition, a style or a post's taxonomy rather than a role
#: ("has-sidebar", "with-ads", "footer-border", WordPress's "category-facebook" on a post).
_STATE_WORDS = frozenset(
    "has with no show hide is not without border bg background color colour opacity overlay enabled disabled "
    "padding margin spacing hidden visible style category tag format status type".split()
)
#: Class-name parts of the date, byline, category and comment-count lines of an item: not its summary.
_META_WORDS = frozenset(
    "meta postmeta entrymeta byline author date time timestamp dateline posted category categories cat "
    "kicker eyebrow label comments credit".split()
)
#: "Read more", "[…]" and comment counts at the end of a summary.
_TRAILING_FURNITURE = re.compile(
    r"(?i)(?:\s*\[(?:…|\.\.\.)\]|(?<=[.!?…\]])\s*(?:read\s+more|continue\s+reading|keep\s+reading|leave\s+a\s+comment"
    r"|\d+\s+comments?|(?:[\w'’]+\s+){0,2}[»›→])\W*)\s*$"
)
#: Class-name parts of an item's block: a ``<header>`` or ``<footer>`` inside one is the item's own.
_ITEM_WORDS = frozenset("post entry hentry story card teaser item article".split())
#: Class-name parts of a headline element.
_TITLE_WORDS = frozenset("title headline heading hed entry-title".split())
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Inline elements: a link inside them is where their block-level ancestor is.
_INLINE = frozenset("span em strong b i u font mark small cite q abbr sup sub".split())
_CLASS_PART = re.compile(r"[-_\s]+|(?<=[a-z])(?=[A-Z])")
_READ_MORE = re.compile(
    r"(?i)^\W*(?:read|view|see)\s+(?:more|all|the\s+(?:full\s+)?(?:story|article|post|rest))\W*$"
    r"|^\W*continue\s+reading\b.*$"
    r"|^\W*(?:keep\s+reading|read\s+on|full\s+story|more|details)\W*$"
    r"|^\W*(?:read|learn|find\s+out)\s+more\s+(?:about|on)\b.*$"
    r"|^\W*[»›→]\W*$"
)
#: Link texts that are not headlines: no word of two letters ("$24.99"), a call to action
#: ("Subscribe now!", "Start a Free Trial", "Join our email list today!"; no colon: not "Watch: ... today"),
#: a menu run together
#: ("Booster Boxes • Booster Cases • Bundles"), a link to more ("Ars Feature Story Archive →").
_NOT_A_HEADLINE = re.compile(
    r"(?i:^\W*(?:subscribe|sign up|sign in|log ?in|register|buy|shop|download|donate|join)\b(?:\W+\w+){0,2}\W*$)"
    r"|(?i:^\W*(?:just\s+)?(?:subscribe|sign\s+up|join|start|get|watch|take|try|request|book|schedule|claim)\b(?![^:]*:)"
    r"(?:\W+[\w-]+){0,4}?\W+(?:now|today|newsletter|free\s+trial|demo|email\s+list)\W*$)"
    r"|(?:[•|·].*){2}|[→»›]\s*$|(?i:^(?:\W*\w+){0,3}\W+subscribe\b(?:\W+\w+){0,2}\W*$)"
)
#: Names of section, tag, author and paging pages in a path: a link there is an item only when
#: an article's slug follows ("/topic/business/flying-start-ups" is an article filed under a
#: topic; "/tag/floods", "/page/2/", "/category/gear/buying-guides/" are indexes).
_INDEX_SEGMENT = re.compile(
    r"(?i)^(?:tags?|category|categories|topics?|section|sections|author|authors|contributors?|people|staff|page|search)$"
)
#: Hosts of social networks and app stores: a link there is an account, a share button or a
#: badge, never an item.
_SOCIAL_HOSTS = re.compile(
    r"(?i)(?:^|\.)(?:(?:twitter|x|facebook|instagram|linkedin|pinterest|tiktok|whatsapp|reddit|t)\.(?:com|me|co)"
    r"|(?:itunes|apps)\.apple\.com|play\.google\.com)$"
)
_LINK_SCHEMES = ("#", "javascript:", "mailto:", "tel:", "data:")
#: Link text that is a file's name ("Hanson & Bates 2025_October_REVISED.pdf"): a download, not a headline.
_FILE_NAME = re.compile(r"(?i)\.(?:pdf|docx?|xlsx?|pptx?|csv|txt|zip|rtf|odt|epub|mp3|mp4)\s*$")
#: ``rel`` values of a link the site does not vouch for: an advert's, a reader's.
_PAID_RELS = frozenset({"sponsored", "nofollow", "ugc"})
#: Text between two links that makes them a run of tags ("Issues: Economy, Energy"): a comma
#: or a semicolon, nothing else.
_TAG_SEPARATOR = re.compile(r"^\s*[,;]\s*$")


@dataclass(frozen=True)
class ListingItem:
    """One item of a listing page.

    Attributes
    ----------
    title : str
        The item's headline.
    link : str
        The address its headline links to, made absolute when the page's address is known.
    summary : tuple of str
        The text printed with it (standfirst, excerpt), one paragraph per item.
    date : str or None
        The date its block gives in a ``<time datetime>``.
    author : str or None
        The block's byline element, as printed.
    teaser : bool
        True when the page shows only part of the article (see :data:`FULL_POST_WORDS`).
    """

    title: str
    link: str
    summary: tuple[str, ...]
    date: str | None
    author: str | None
    teaser: bool


@dataclass(frozen=True)
class Listing:
    """A listing page: its items in page order."""

    items: tuple[ListingItem, ...]


def _class_parts(element: Any) -> frozenset[str]:
    """The lower-case parts of an element's class names and id, and pairs of them joined
    ("site-footer" gives "site", "footer", "sitefooter")."""
    return _names_parts(element.get("class") or "", element.get("id") or "")


@lru_cache(maxsize=1 << 14)
def _names_parts(classes: str, element_id: str) -> frozenset[str]:
    """:func:`_class_parts` of a class attribute and an id (a site repeats them on every block)."""
    parts: set[str] = set()
    for token in f"{classes} {element_id}".split():
        words = [w.lower() for w in _CLASS_PART.split(token) if w]
        if words and not _STATE_WORDS.intersection(words):
            parts.update(words)
            parts.update(a + b for a, b in zip(words, words[1:]))  # "BlogRecentPosts" gives "recentposts"
            parts.add(token.lower())
    return frozenset(parts)


def _is_furniture(element: Any, inside_item: bool, inside_main: bool = False) -> bool:
    """Whether an element is page furniture (see the module): skipped with everything inside it.

    ``inside_item`` tells that an ancestor is an ``<article>`` or a block named as a post,
    entry, story or card: a ``<header>`` or ``<footer>`` there is the item's own. An element
    holding the page's ``<main>`` is never furniture, whatever its class names say (a theme's
    "content-sidebar-wrap" holds the content and the sidebar); inside ``<main>`` (``inside_main``),
    widgets and footers are the content's own blocks (:data:`_CONTENT_WIDGETS`).
    """
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _INVISIBLE:
        return True
    if element.get("hidden") is not None or "display:none" in (element.get("style") or "").replace(" ", ""):
        return True
    if tag in {"body", "html", "main"} or (element.get("role") or "").lower() == "main":
        return False
    furniture = (
        tag in _FURNITURE_TAGS
        or (tag in _EDGE_TAGS and not inside_item)
        or (element.get("role") or "").lower() in _FURNITURE_ROLES
        or _named_furniture(_class_parts(element), inside_main)
    )
    return furniture and not element.xpath(".//main|.//*[@role='main']")


def _named_furniture(parts: frozenset[str], inside_main: bool) -> bool:
    """Whether class names say furniture: a furniture word, and no word of the main content
    ("l-main-content l-sidebar-fixed" is content laid out beside a sidebar)."""
    if parts & _CONTENT_WORDS:
        return False
    return bool(parts & (_FURNITURE_WORDS - _CONTENT_WIDGETS if inside_main else _FURNITURE_WORDS))


def _is_item_like(element: Any) -> bool:
    """An ``<article>``, or an element whose class names call it a post, entry, story, card or teaser."""
    return element.tag == "article" or bool(_ITEM_WORDS.intersection(_class_parts(element)))


def _content_elements(root: Any) -> Iterator[Any]:
    """Every element of the page's content, in document order, furniture subtrees left out."""
    stack: list[tuple[Any, bool, bool]] = [(root, False, False)]
    while stack:
        element, inside_item, inside_main = stack.pop()
        if not isinstance(element.tag, str) or _is_furniture(element, inside_item, inside_main):
            continue
        yield element
        item = inside_item or _is_item_like(element)
        main = inside_main or element.tag == "main" or (element.get("role") or "").lower() == "main"
        stack.extend((child, item, main) for child in reversed(element))


def visible_text(element: Any) -> str:
    """The text a reader sees in ``element``: scripts, styles, comments and hidden parts left
    out, block-level elements apart ("<p>one</p><p>two</p>" is two words, "expand<em>ed</em>"
    one), spaces collapsed."""
    pieces: list[str] = []

    def walk(node: Any) -> None:
        if not isinstance(node.tag, str) or node.tag in _INVISIBLE or node.get("hidden") is not None:
            pieces.append(node.tail or "")
            return
        apart = "" if node.tag in _INLINE else " "
        pieces.extend((apart, node.text or ""))
        for child in node:
            walk(child)
        pieces.extend((apart, node.tail or ""))

    pieces.append(element.text or "")
    for child in element:
        walk(child)
    return " ".join("".join(pieces).split())


def link_key(link: str) -> str:
    """An address for comparison: no fragment, no trailing slash, no scheme or "www."."""
    parts = urlsplit(link.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}?{parts.query}" if parts.query else f"{host}{parts.path.rstrip('/')}"


def _headline_shaped(anchor: Any, text: str) -> bool:
    """Whether a link's place and text make it a headline (see the module)."""
    near = [anchor, *list(anchor.iterancestors())[:2]]
    inner = list(anchor.iterdescendants())
    if any(e.tag in _HEADINGS for e in near) or any(e.tag in _HEADINGS for e in inner):
        return True
    if any(_TITLE_WORDS.intersection(_class_parts(e)) for e in near + inner):
        return True
    return count_words(text) >= MIN_LOOSE_HEADLINE_WORDS and not _in_running_text(anchor)


def _in_running_text(element: Any) -> bool:
    """Whether an element sits inside prose: its nearest block-level ancestor (past inline
    wrappers such as ``<span>`` and ``<em>``) has words of its own beside it, in its text or
    its inline children (not in its other block-level children: a card's summary)."""
    parent = element.getparent()
    while parent is not None and parent.tag in _INLINE and parent.getparent() is not None:
        parent = parent.getparent()
    return parent is not None and _inline_words(parent, element) > 0


def _inline_words(block: Any, skip: Any) -> int:
    """Words of ``block``'s own text and inline children, ``skip`` (a link) left out."""
    words = count_words(block.text or "")
    for child in block:
        if child is not skip and isinstance(child.tag, str) and child.tag in _INLINE:
            words += (
                _inline_words(child, skip)
                if any(d is skip for d in child.iterdescendants())
                else (count_words(visible_text(child)))
            )
        words += count_words(child.tail or "")
    return words


def headline_links(root: Any, base: str | None = None) -> list[tuple[Any, str, str]]:
    """The page's headline links in document order: ``(element, text, href)``.

    Parameters
    ----------
    root : lxml element
        The parsed page.
    base : str, optional
        The address links resolve against (:func:`page_base`); links stay as written without it.

    Returns
    -------
    list of tuple
        Links in the page's content (not its furniture) whose text reads as a headline, with
        their addresses resolved.
    """
    candidates = []
    for element in _content_elements(root):
        if element.tag != "a":
            continue
        href = (element.get("href") or "").strip()
        if not href or href.lower().startswith(_LINK_SCHEMES):
            continue
        href = urljoin(base, href) if base else href
        if _index_or_social(href):
            continue
        text = visible_text(element)
        if len(text) < MIN_HEADLINE_CHARS or sum(c.isalpha() for c in text) < 2:
            continue
        if _READ_MORE.match(text) or _NOT_A_HEADLINE.search(text) or _FILE_NAME.search(text):
            continue
        if _home_page(href, base) or _in_tag_run(element) or _after_label(element) or _paid(element):
            continue
        candidates.append((element, text, href, _headline_shaped(element, text)))
    # a short link placed exactly as headline links are (the same parent and grandparent
    # markup: a carousel's tiles) is one of them
    places = {_place(element) for element, _, _, shaped in candidates if shaped}
    return [
        (element, text, href)
        for element, text, href, shaped in candidates
        if shaped or (count_words(text) >= 2 and not _in_running_text(element) and _place(element) in places)
    ]


def _paid(anchor: Any) -> bool:
    """Whether a link is marked as paid or untrusted (``rel="sponsored"`` or ``"nofollow"``): an
    advertiser's or a reader's link, not the site's own headline."""
    return bool(_PAID_RELS.intersection((anchor.get("rel") or "").lower().split()))


def _home_page(href: str, base: str | None) -> bool:
    """Whether a link goes to the page's own site's home page (no path, no query; the host of
    ``base``, or none): the site's name or logo, never an item. Another site's home page can be
    one (a link aggregator's "Juliabox" to "http://juliabox.org/")."""
    parts = urlsplit(href)
    own_site = not parts.netloc or (base is not None and link_key(parts.netloc) == link_key(urlsplit(base).netloc))
    return own_site and parts.path.strip("/") == "" and not parts.query


def _in_tag_run(anchor: Any) -> bool:
    """Whether a link is one of a run of links joined by commas or semicolons ("Issues: Civil
    Rights, Economy"): a list of tags or topics, not a headline."""
    before = anchor.getprevious()
    after = anchor.getnext()
    joined_before = before is not None and before.tag == "a" and bool(_TAG_SEPARATOR.match(before.tail or ""))
    joined_after = after is not None and after.tag == "a" and bool(_TAG_SEPARATOR.match(anchor.tail or ""))
    return joined_before or joined_after


def _after_label(anchor: Any) -> bool:
    """Whether a link follows a field's label ("Issues: Civil Rights", "Filed under: Energy"):
    the nearest text before it, within :data:`LABEL_DEPTH` levels of its ancestors, is at most
    :data:`MAX_LABEL_WORDS` words ending in a colon. The only link of a heading is a headline
    whatever its kicker says ("Top Post: LifeLock to pay record fine"); a second one is not
    ("Etnies pimps out a suite by: Colin Bane")."""
    heading = next((e for e in anchor.iterancestors() if e.tag in _HEADINGS), None)
    if heading is not None and len(heading.xpath(".//a[@href]")) == 1:
        return False
    element = anchor
    for _ in range(LABEL_DEPTH):
        parent = element.getparent()
        if parent is None:
            return False
        previous = element.getprevious()
        if previous is None:
            before = parent.text or ""
        elif isinstance(previous.tag, str):
            before = visible_text(previous) + " " + (previous.tail or "")
        else:
            before = previous.tail or ""
        before = before.strip()
        if before:
            return before.endswith(":") and count_words(before) <= MAX_LABEL_WORDS
        element = parent
    return False


def _place(anchor: Any) -> tuple[tuple[str, ...], ...]:
    """The markup around a link: tag and class names (digits dropped) of its parent and grandparent."""
    place = []
    for element in list(anchor.iterancestors())[:2]:
        classes = sorted({re.sub(r"\d+", "", c) for c in (element.get("class") or "").split()})
        place.append((element.tag, *classes))
    return tuple(place)


def _index_or_social(href: str) -> bool:
    """Whether a link goes to an index page (:data:`_INDEX_SEGMENT` and at most one segment
    after it) or a social network's page."""
    parts = urlsplit(href)
    if _SOCIAL_HOSTS.search(parts.netloc.split(":")[0]):
        return True
    segments = [s for s in parts.path.split("/") if s]
    at = next((i for i, s in enumerate(segments) if _INDEX_SEGMENT.match(s)), None)
    return at is not None and len(segments) - at <= 2


def _maybe_index(href: str) -> bool:
    """A link under an index's name whose last segment is a :func:`_short_slug`
    ("/category/gear/buying-guides", "/topic/business/pleasant-bosses"): an index, unless its
    block prints a summary."""
    segments = [s for s in urlsplit(href).path.split("/") if s]
    return any(_INDEX_SEGMENT.match(s) for s in segments[:-1]) and _short_slug(segments[-1])


def _maybe_section(item: ListingItem, hrefs: list[str]) -> bool:
    """An item that may be a section's heading: a link to an index (:func:`_maybe_index`), or a
    title of at most :data:`MAX_SECTION_WORDS` words linking to a :func:`_section_like` address
    ("Most Recent" to "/most-recent/"). Kept only when its block prints a summary ("Fruit
    Flies" to "/fruit-flies/" over its excerpt)."""
    return any(_maybe_index(h) or (count_words(item.title) <= MAX_SECTION_WORDS and _section_like(h)) for h in hrefs)


def _links_of(block: tuple[Any, list[tuple[Any, str, str]]]) -> list[str]:
    """The addresses, as written, of a block's headline links."""
    return [href for _, _, href in block[1]]


def _section_like(href: str) -> bool:
    """Whether an address reads as a section's page: the site's root, or one or two path
    segments, the last without digits ("/most-recent/", "/companies-and-industries/")."""
    segments = [s for s in urlsplit(href).path.split("/") if s]
    return not segments or (len(segments) <= 2 and not re.search(r"\d", segments[-1]))


def _short_slug(segment: str) -> bool:
    """A path segment of at most two words and no digits: a section's name, not an article's slug."""
    name = re.sub(r"\.(?:html?|php|aspx?)$", "", segment)
    return not re.search(r"\d", name) and len(re.split(r"[-_]+", name)) <= 2


def _blocks(links: list[tuple[Any, str, str]]) -> list[tuple[Any, list[tuple[Any, str, str]]]]:
    """Each item's block and its headline links, in page order (see the module)."""
    addresses: dict[Any, set[str]] = {}
    for anchor, _, href in links:
        for element in (anchor, *anchor.iterancestors()):
            addresses.setdefault(element, set()).add(link_key(href))
    blocks: dict[Any, list[tuple[Any, str, str]]] = {}
    for link in links:
        block = link[0]
        for parent in link[0].iterancestors():
            if parent.tag in {"body", "html"} or len(addresses[parent]) > 1:
                break
            block = parent
        blocks.setdefault(block, []).append(link)
    return list(blocks.items())


def _summary(block: Any, headline: Any) -> list[str]:
    """The summary paragraphs of a block: its text outside the headline, by paragraph, without
    its date, byline, comment count and category lines (:data:`_META_WORDS`, :func:`_is_credit`)."""
    inside = [e for e in _content_elements(block) if e is not block and not _within(e, headline)]
    paragraphs = [e for e in inside if e.tag in {"p", "li", "blockquote"}]
    if not paragraphs:
        paragraphs = [e for e in inside if e.tag == "div" and not len(e)]
    chosen = set(paragraphs)
    meta = {
        e
        for e in block.iterdescendants()
        if isinstance(e.tag, str) and _is_meta(e) and (headline is None or not _within(headline, e))
    }
    texts = []
    for element in paragraphs:
        if any(p in chosen or p in meta for p in element.iterancestors()) or element in meta:
            continue
        text = _TRAILING_FURNITURE.sub("", visible_text(element)).strip()
        if (
            text
            and not _READ_MORE.match(text)
            and not _is_credit(text)
            and (count_words(text) >= MIN_SUMMARY_WORDS or text.endswith((".", "!", "?")))
        ):
            texts.append(text)
    return texts


def _is_meta(element: Any) -> bool:
    """An item's date, byline, category or comment-count element: a class name ending in one of
    :data:`_META_WORDS` ("entry-meta", "post-date"; not WordPress's "category-news" on a post)."""
    for token in (element.get("class") or "").split():
        words = [w.lower() for w in _CLASS_PART.split(token) if w]
        if words and (words[-1] in _META_WORDS or "meta" in words or "byline" in words):
            return True
    return False


def _is_credit(text: str) -> bool:
    """A date or byline line ("March 13, 2016 By Jennifer Lance", "Posted on 10th Jun 2015")."""
    return parse_byline(text) is not None or parse_dateline(text) is not None


def _within(element: Any, ancestor: Any) -> bool:
    return element is ancestor or any(a is ancestor for a in element.iterancestors())


def _following_summary(block: Any, blocks: set[Any], consumed: set[Any]) -> list[str]:
    """For a block that is only its heading: the paragraphs after it, up to the next item block
    (the siblings read are added to ``consumed``: they are the item's, not the page's prose)."""
    texts = []
    for sibling in block.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if sibling in blocks or any(d in blocks for d in sibling.iterdescendants()) or sibling.tag in _HEADINGS:
            break
        if sibling.tag in _FURNITURE_TAGS or _is_furniture(sibling, False):
            continue
        consumed.add(sibling)
        texts.extend(_summary(sibling, None) if len(sibling) else [visible_text(sibling)])
    return [t for t in texts if t and count_words(t) >= MIN_SUMMARY_WORDS]


def _item(block: Any, links: list[tuple[Any, str, str]], others: set[Any], consumed: set[Any]) -> ListingItem:
    """The item of one block: the headline in a heading (else the longest), its summary, date and
    byline (``consumed`` receives the siblings read as its summary: see :func:`_following_summary`)."""
    anchor, title, href = max(links, key=lambda link: (_in_heading(link[0]), len(link[1])))
    heading = next((e for e in (anchor, *anchor.iterancestors()) if e.tag in _HEADINGS), anchor)
    heading = heading if _within(heading, block) else anchor
    inner = _inner_title(anchor)
    if inner is not None:  # a link around a whole card: kicker, headline, summary, byline
        heading, title = inner, visible_text(inner)
    summary = _summary(block, heading) if heading is not block else []
    if not summary and _only_heading(block, title):
        summary = _following_summary(block, others, consumed)
    times = block.xpath(".//time[@datetime]")
    author = next(
        (visible_text(e) for e in _content_elements(block) if {"author", "byline"} & _class_parts(e)),
        None,
    )
    has_more = any(_READ_MORE.match(visible_text(a)) for a in block.iter("a"))
    words = sum(count_words(s) for s in summary)
    return ListingItem(
        title=title,
        link=href,
        summary=tuple(summary),
        date=(times[0].get("datetime") or "").strip() or None if times else None,
        author=re.sub(r"(?i)^by\s+", "", author).strip() or None if author else None,
        teaser=has_more or words < FULL_POST_WORDS,
    )


def _only_heading(block: Any, title: str) -> bool:
    """Whether a block is only its item's headline: its text is the title, or a heading's text
    is the title and a kicker of at most :data:`MAX_SECTION_WORDS` words ("Webinars" over
    "ASI Webinar Replay: ...")."""
    text = visible_text(block)
    if text == title:
        return True
    kicker = count_words(text) - count_words(title)
    return block.tag in _HEADINGS and title in text and kicker <= MAX_SECTION_WORDS


def _inner_title(anchor: Any) -> Any | None:
    """The headline element inside a link that wraps a whole card: its highest heading (the
    longest of equal rank), else an element named as a title; None when the link is the headline."""
    headings = [e for e in anchor.iterdescendants() if e.tag in _HEADINGS and visible_text(e)]
    if headings:
        return min(headings, key=lambda e: (e.tag, -count_words(visible_text(e))))
    titled = [e for e in anchor.iterdescendants() if _TITLE_WORDS & _class_parts(e) and visible_text(e)]
    return titled[0] if titled and visible_text(titled[0]) != visible_text(anchor) else None


def _in_heading(anchor: Any) -> bool:
    return any(e.tag in _HEADINGS for e in (anchor, *list(anchor.iterancestors())[:3]))


def _is_dialog(element: Any, tag: str) -> bool:
    """Whether an element is a dialog (``role="dialog"``, or class names of :data:`_DIALOG_WORDS`):
    a pop-up, a sign-in or cookie panel. An element holding the page's ``<main>`` is none:
    Drupal wraps every page in "dialog-off-canvas-main-canvas" (a pop-up's own
    ``role="main"`` box keeps it a pop-up)."""
    if (element.get("role") or "").lower() == "dialog":
        return True
    if tag in {"html", "body", "main"}:
        return False
    return bool(_class_parts(element) & _DIALOG_WORDS) and not element.xpath(".//main")


def _prose_outside(root: Any, blocks: set[Any]) -> int:
    """Words of the page's own prose: text outside every item block and every link, in elements
    holding at least :data:`MIN_PROSE_WORDS` words of their own (not "| hide | 12 comments").

    Only invisible elements, the page's navigation and asides (save one holding ``<main>``, an
    aside a broken page left open) and dialogs (:func:`_is_dialog`) are left out here, not
    elements whose class names alone say
    furniture, and not headers and footers: an article's body named "article-body
    pagination-first", or laid out inside a ``<header>``, is prose all the same.
    """
    total = 0
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        element, inside = stack.pop()  # inside an item
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _INVISIBLE or tag == "a" or element in blocks:
            continue
        if tag in _FURNITURE_TAGS and not element.xpath(".//main"):
            continue  # an aside left open holds the page's <main> in a broken page
        if element.get("hidden") is not None:
            continue
        if _is_dialog(element, tag):
            continue
        own = count_words(" ".join([element.text or "", *((child.tail or "") for child in element)]))
        total += own if own >= MIN_PROSE_WORDS else 0
        inside = inside or _is_item_like(element)
        stack.extend((child, inside) for child in element)
    return total


def page_base(root: Any, url: str | None) -> str | None:
    """The address relative links resolve against: ``<base href>`` (itself resolved against the
    capture address), else the capture address, else the canonical one; None when none is absolute."""
    declared = next((b.strip() for b in root.xpath("//base/@href") if b.strip()), "")
    for candidate in (
        urljoin(url or "", declared) if declared else "",
        url or "",
        *root.xpath('//link[@rel="canonical"]/@href'),
        *root.xpath('//meta[@property="og:url"]/@content'),
    ):
        if urlsplit(candidate.strip()).scheme in {"http", "https"}:
            return candidate.strip()
    return None


def _read_blocks(
    links: list[tuple[Any, str, str]],
) -> tuple[list[tuple[Any, list[tuple[Any, str, str]]]], list[ListingItem], set[Any]]:
    """The blocks of ``links`` (:func:`_blocks`), their items, and the siblings read as summaries."""
    blocks = _blocks(links)
    block_set = {b for b, _ in blocks}
    consumed: set[Any] = set()
    items = [_item(block, block_links, block_set, consumed) for block, block_links in blocks]
    return blocks, items, consumed


def _once_each_run(items: list[ListingItem], blocks: list[Any]) -> list[int]:
    """The indices of the items to keep when a run of items is printed twice in a row, the same
    headlines to the same addresses, in one module of the page holding no other item (a
    slider's tab strip and its slides): each of the run's items once, the copy with the longer
    summary. A run repeated by the next list of the page ("featured", then the latest posts
    from the same stories on) is two lists, and kept."""
    keys = [(item.title, link_key(urlsplit(item.link)._replace(fragment="").geturl())) for item in items]
    dropped: set[int] = set()
    start = 0
    while start < len(items):
        run = next(
            (
                n
                for n in range(MIN_REPEATED_RUN, (len(items) - start) // 2 + 1)
                if keys[start : start + n] == keys[start + n : start + 2 * n]
            ),
            0,
        )
        if not run or _holds_others(blocks[start : start + 2 * run], blocks):
            start += 1
            continue
        for first in range(start, start + run):
            second = first + run
            words = [sum(count_words(p) for p in items[i].summary) for i in (first, second)]
            dropped.add(second if words[0] >= words[1] else first)
        start += 2 * run
    return [i for i in range(len(items)) if i not in dropped]


def _holds_others(run: list[Any], blocks: list[Any]) -> bool:
    """Whether the lowest element holding every block of ``run`` holds other blocks too."""
    common = run[0]
    while common is not None and not all(_within(b, common) for b in run):
        common = common.getparent()
    return common is None or sum(_within(b, common) for b in blocks) > len(run)


def _inside_main(links: list[tuple[Any, str, str]]) -> list[tuple[Any, str, str]]:
    """The links inside the page's ``<main>`` (or ``role="main"``) when it holds
    :data:`MIN_ITEMS` addresses or more: boxes above or beside it (a site-wide "Breaking" story)
    are not the page's list. All the links otherwise."""
    inside = [link for link in links if link[0].xpath("ancestor::main|ancestor::*[@role='main']")]
    return inside if len({link_key(href) for _, _, href in inside}) >= MIN_ITEMS else links


def read_listing(root: Any, url: str | None = None) -> Listing | None:
    """The page's items when it is a listing page, else None (see the module).

    Parameters
    ----------
    root : lxml element
        The parsed page (``lxml.html.document_fromstring``).
    url : str, optional
        The address the page was captured from, to make links absolute.

    Returns
    -------
    Listing or None
        None for an article page, or a page with fewer than :data:`MIN_ITEMS` items.
    """
    base = page_base(root, url)
    own = {link_key(u) for u in (url, base, *root.xpath('//link[@rel="canonical"]/@href')) if u}
    links = _inside_main([link for link in headline_links(root, base) if link_key(link[2]) not in own])
    if len({link_key(href) for _, _, href in links}) < MIN_ITEMS:
        return None
    blocks, items, consumed = _read_blocks(links)
    doubtful = {i for i, item in enumerate(items) if not item.summary and _maybe_section(item, _links_of(blocks[i]))}
    if doubtful:  # sections' headings, kickers: the blocks are formed again without them
        kept = [link for i, (_, block_links) in enumerate(blocks) if i not in doubtful for link in block_links]
        blocks, items, consumed = _read_blocks(kept)
    keep = _once_each_run(items, [block for block, _ in blocks])
    blocks, items = [blocks[i] for i in keep], [items[i] for i in keep]
    if len(items) < MIN_ITEMS:
        return None
    sizes = [
        max(count_words(visible_text(block)), count_words(item.title) + sum(count_words(p) for p in item.summary))
        for (block, _), item in zip(blocks, items)
    ]
    inside, outside = sum(sizes), _prose_outside(root, {b for b, _ in blocks} | consumed)
    # one block holding most of the text: on a page that calls itself an article, the article itself
    # (its headline a link to itself, or to its comments)
    one_block = max(sizes) >= FULL_POST_WORDS and max(sizes) >= ARTICLE_PROSE_SHARE * inside
    if says_article(page_types(root)) and (
        one_block or outside >= ARTICLE_PROSE_WORDS or inside < ARTICLE_PAGE_MARGIN * outside
    ):
        return None
    if outside >= ARTICLE_PROSE_WORDS and outside >= ARTICLE_PROSE_SHARE * inside:
        return None
    return Listing(items=tuple(items))
