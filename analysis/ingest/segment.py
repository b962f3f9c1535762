"""Split a scraped listing page into articles, and keep site chrome out of them.

A scraped front page is a run of articles, each wrapped in the site's furniture: tag lines,
image captions, bylines, share buttons, read-more links, footers. Nothing here is written
for one site. Chrome is *detected* from three kinds of evidence:

1. **patterns** of common web furniture (``data/chrome_patterns.txt``, extendable by the user);
2. **repetition**: a short line that recurs far apart on one page, or on many pages of a
   corpus, is part of the template, not of an article;
3. **layout**: captions sit in front of a run of blank lines where the image was, repeat the
   line around a title, start with "Photo:", or restate the paragraph next to them.

The page is first cut at runs of chrome (where one article's share buttons meet the next
article's tag line), then each piece is read top-down: tag line, title, byline, captions,
body. Every line that is not kept is recorded with the reason it was removed, so the
overview notebook can show what segmentation took out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from analysis.ingest.reasons import RemovalReason
from analysis.ingest.recognise import (
    MAX_HEADING_WORDS,
    content_words,
    count_words,
    is_comment_credit,
    is_comment_header,
    is_heading_shaped,
    is_labelled_tag_line,
    is_terminated,
    is_title_case,
    looks_like_boilerplate,
    looks_like_code,
    looks_like_name,
    mentions_date,
    parse_byline,
    parse_dateline,
    parse_tag_line,
)
from analysis.paths import DATA

#: Lines longer than this are never chrome: a sentence that mentions "share" is content.
MAX_CHROME_WORDS = 15
#: A caption title, the short line printed above a caption, has at most this many words.
MAX_CAPTION_TITLE_WORDS = 12
#: This many blank lines after a line mark where an image stood: the line is its caption.
IMAGE_GAP_BLANK_LINES = 3
#: Two neighbouring paragraphs sharing this share of words say the same thing twice.
NEAR_DUPLICATE_CONTAINMENT = 0.8
#: A short line seen on at least this share of a corpus's pages is template text.
CROSS_PAGE_SHARE = 0.5
#: A line this long after a repeated line shows the repeated line is a headline, not template.
BODY_WORDS = 15
#: This many short lines in a row, none of them a sentence, are a menu or a list of links: on
#: the listing layouts we know, titles, kickers and captions stack at most four deep.
NAVIGATION_RUN = 5
#: A navigation line has at most this many words (a headline in a "Most read" list included).
MAX_NAVIGATION_WORDS = 20

_DOMAIN = re.compile(
    r"\b(?P<site>[A-Za-z0-9][A-Za-z0-9\-]{1,60})\.(?:com|org|net|info|news|co\.uk|org\.uk|eu|de|fr|ir|io)\b"
)
_BULLET = re.compile(r"[-•·*▪►»–]\s+\S")
#: A short caption line that only credits the photographer: the line above it is the caption.
_CREDIT = re.compile(r"(?i)(?:(?:photo|image|picture)s?\s+)?(?:credits?|by|courtesy(?: of)?)\s*:?\s+\S.{0,60}")


@dataclass(frozen=True)
class Line:
    """One non-blank line of a page, with the layout around it.

    Attributes
    ----------
    text : str
        The line without surrounding white space.
    number : int
        1-based line number in the source file.
    blanks_before, blanks_after : int
        How many blank lines precede and follow it.
    """

    text: str
    number: int
    blanks_before: int = 0
    blanks_after: int = 0

    @cached_property
    def key(self) -> str:
        """Case- and space-folded text used to spot repeats."""
        return normalise_line(self.text)

    @cached_property
    def n_words(self) -> int:
        """Number of words in the line."""
        return count_words(self.text)

    @cached_property
    def heading_shaped(self) -> bool:
        """Whether the line could be a title or subheading (see :func:`analysis.ingest.recognise.is_heading_shaped`)."""
        return is_heading_shaped(self.text)


@dataclass(frozen=True)
class RemovedLine:
    """A line that segmentation kept out of every article body, and why.

    Attributes
    ----------
    text : str
        The line as it stands in the file.
    number : int
        Its 1-based line number.
    reason : RemovalReason
        Why it was removed.
    """

    text: str
    number: int
    reason: RemovalReason


@dataclass(frozen=True)
class Segment:
    """An article as read from a page, before it gets an id and a source.

    Attributes
    ----------
    title : str
        The headline, exactly as in the file.
    tags : tuple of str
        The article's tag list, in file order.
    byline : str or None
        The author credit ("Staff writer", "Jane Doe").
    date : str or None
        The date printed with the byline, as printed.
    paragraphs : tuple of str
        Body paragraphs (subheadings included), in order.
    captions : tuple of str
        Image captions, each once, in order.
    first_line : int
        Line number where the article starts.
    removed : tuple of RemovedLine
        What was taken out of this article and why.
    """

    title: str
    tags: tuple[str, ...]
    byline: str | None
    date: str | None
    paragraphs: tuple[str, ...]
    captions: tuple[str, ...]
    first_line: int
    removed: tuple[RemovedLine, ...] = ()


@dataclass(frozen=True)
class Rules:
    """What segmentation treats as chrome, captions and links.

    Attributes
    ----------
    chrome : tuple of re.Pattern
        Whole-line patterns of site furniture.
    caption : tuple of re.Pattern
        Whole-line patterns of caption starts ("Photo: ...").
    related : tuple of re.Pattern
        Whole-line patterns of links to other articles.
    template_lines : frozenset of str
        Folded lines known to be template text, e.g. found on many pages of a corpus.
    """

    chrome: tuple[re.Pattern[str], ...]
    caption: tuple[re.Pattern[str], ...]
    related: tuple[re.Pattern[str], ...]
    template_lines: frozenset[str] = field(default_factory=frozenset)


def normalise_line(text: str) -> str:
    """Fold a line for comparison: case, white space (including no-break) and edge punctuation.

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    str
        The folded key; ``"Staff  Writer "`` and ``"staff writer"`` share one.
    """
    return " ".join(text.casefold().split()).strip(" .:;,!-–—|")


def parse_rules(lines: Iterable[str], source: str = "rules") -> dict[str, list[re.Pattern[str]]]:
    """Parse ``kind: regex`` rule lines into compiled, case-insensitive whole-line patterns.

    Parameters
    ----------
    lines : iterable of str
        Rule lines; blank lines and ``#`` comments are ignored; a line without a known
        ``kind:`` prefix is a chrome rule.
    source : str
        Name used in error messages.

    Returns
    -------
    dict
        ``{"chrome": [...], "caption": [...], "related": [...]}``.

    Raises
    ------
    ValueError
        When a pattern is not a valid regular expression.
    """
    rules: dict[str, list[re.Pattern[str]]] = {"chrome": [], "caption": [], "related": []}
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, pattern = line.partition(":")
        if kind.strip() not in rules or not pattern.strip():
            kind, pattern = "chrome", line
        try:
            rules[kind.strip()].append(re.compile(pattern.strip(), re.IGNORECASE))
        except re.error as error:
            raise ValueError(
                f"{source} {number} ({pattern.strip()!r}) is not a valid regular expression ({error}); fix or remove it"
            ) from None
    return rules


def default_rules(extra: Sequence[str] = (), template_lines: Iterable[str] = ()) -> Rules:
    """Build the shipped rules plus the user's own.

    Parameters
    ----------
    extra : sequence of str
        Additional rule lines in the ``kind: regex`` format (a bare regex is a chrome rule).
    template_lines : iterable of str
        Lines known to be template text (compared after :func:`normalise_line`).

    Returns
    -------
    Rules
        Rules for :func:`segment_page`.
    """
    shipped = parse_rules(
        (DATA / "chrome_patterns.txt").read_text(encoding="utf-8").splitlines(), "analysis/data/chrome_patterns.txt"
    )
    own = parse_rules(extra, source="your chrome rule")
    parsed = {kind: shipped[kind] + own[kind] for kind in shipped}
    return Rules(
        chrome=tuple(parsed["chrome"]),
        caption=tuple(parsed["caption"]),
        related=tuple(parsed["related"]),
        template_lines=frozenset(normalise_line(t) for t in template_lines),
    )


def split_lines(text: str) -> list[Line]:
    """Turn page text into its non-blank lines, each with the blank lines around it.

    Parameters
    ----------
    text : str
        A page's text (any line endings).

    Returns
    -------
    list of Line
        Non-blank lines in file order.
    """
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[Line] = []
    blanks = 0
    for number, line in enumerate(raw, 1):
        stripped = line.strip()
        if not stripped:
            blanks += 1
            continue
        if lines:
            lines[-1] = replace(lines[-1], blanks_after=blanks)
        lines.append(Line(stripped, number, blanks_before=blanks))
        blanks = 0
    if lines:
        lines[-1] = replace(lines[-1], blanks_after=blanks)
    return lines


#: Punctuation that continues the text before it with no space ("link" + ", which ...").
_CLOSING = tuple(",.;:!?)]}’”%")
#: Punctuation after which the next fragment follows with no space ("(" + "link").
_OPENING = tuple("([{“‘$£€#/")
#: A page whose continued lines are at least this share of its lines was dumped with a line
#: break after every element (``BeautifulSoup.get_text("\\n")``): its sentences are cut at links.
ELEMENT_DUMP_SHARE = 0.04
#: ... and at least this many lines continue the one before.
ELEMENT_DUMP_MIN = 3


_BY_LABEL_END = re.compile(r"(?i)(?:^|\s|\|)by:?$")


def _continues(line: Line, following: Line) -> bool:
    """Whether ``following`` carries on the sentence of ``line`` (no blank line between them)."""
    if line.blanks_after or not following.text:
        return False
    first = following.text[0]
    if _BY_LABEL_END.search(line.text):
        return True  # a byline's label ("By", "Monday ... by"), its linked name on the next line
    return (first.islower() and not is_terminated(line.text)) or (
        following.text.startswith(_CLOSING) and not following.text.startswith("...")
    )


def _sandwiched(lines: Sequence[Line], i: int) -> bool:
    """Whether line ``i + 1`` is an inline element cut out of a sentence ("according to" / "Reuters" / ", ...")."""
    if i + 2 >= len(lines):
        return False
    line, middle, after = lines[i], lines[i + 1], lines[i + 2]
    carries_on = after.text.startswith(_CLOSING) or bool(re.match(r"[a-z]{3,}", after.text))
    return (
        not line.blanks_after
        and not middle.blanks_after
        and not is_terminated(line.text)
        and middle.n_words <= 8
        and len(middle.text) > 1  # a drop cap starts the next paragraph, it is not a link
        and _continues(middle, after)
        and carries_on
    )


def is_element_dump(lines: Sequence[Line]) -> bool:
    """Whether a page was dumped with a line break after every element, links cut out of sentences.

    Parameters
    ----------
    lines : sequence of Line
        A page's lines.

    Returns
    -------
    bool
        True when at least :data:`ELEMENT_DUMP_MIN` lines, and :data:`ELEMENT_DUMP_SHARE` of
        all lines, carry on the sentence of the line before (they start in lower case or with
        a comma or a full stop, and no blank line comes between).
    """
    continued = sum(_continues(a, b) for a, b in zip(lines, lines[1:]))
    return continued >= ELEMENT_DUMP_MIN and continued >= ELEMENT_DUMP_SHARE * len(lines)


_SHORT_WORDS = frozenset("a i an as at be by do go he if in is it me my no of on or so to up us we".split())


def _join(left: str, right: str) -> str:
    """Glue two fragments the way the page printed them: no space before closing punctuation,
    after opening punctuation, or after a drop cap ("W" + "hen")."""
    drop_cap = len(left) == 1 and left.isupper() and right[:1].islower()
    # a word cut by a styled letter ("Woo" + "d", "Idea" + "s")
    word_end = len(right) <= 2 and right.isalpha() and right.islower() and right not in _SHORT_WORDS
    if drop_cap or word_end or right.startswith(_CLOSING) or left.endswith(_OPENING):
        return left + right
    return f"{left} {right}"


def rejoin_fragments(lines: Sequence[Line]) -> list[Line]:
    """Join the fragments of an element dump back into its paragraphs.

    Parameters
    ----------
    lines : sequence of Line
        The lines of a page that :func:`is_element_dump` recognised.

    Returns
    -------
    list of Line
        Fewer lines: a fragment that continues the sentence before it, or an inline element
        sandwiched between two parts of one sentence, is appended to the line before. A joined
        line keeps the number of its first fragment.
    """
    out: list[Line] = []
    i = 0
    while i < len(lines):
        current = lines[i]
        while i + 1 < len(lines):
            if _continues(current, lines[i + 1]):
                following = lines[i + 1]
                i += 1
            elif _sandwiched([current, *lines[i + 1 : i + 3]], 0):
                following = replace(
                    lines[i + 1],
                    text=_join(lines[i + 1].text, lines[i + 2].text),
                    blanks_after=lines[i + 2].blanks_after,
                )
                i += 2
            else:
                break
            current = replace(current, text=_join(current.text, following.text), blanks_after=following.blanks_after)
        out.append(current)
        i += 1
    return out


def _matches(patterns: Sequence[re.Pattern[str]], text: str) -> bool:
    return any(p.fullmatch(text) for p in patterns)


def site_names(lines: Sequence[Line]) -> frozenset[str]:
    """Site names read from domain names printed on the page ("© 2018 Example-News.com").

    Parameters
    ----------
    lines : sequence of Line
        A page's lines.

    Returns
    -------
    frozenset of str
        Folded names such as ``"example-news"``; a body line starting with one of them and a
        colon ("Example-News: Another headline") links to another article.
    """
    return frozenset(m.group("site").casefold() for line in lines for m in _DOMAIN.finditer(line.text))


def repeated_lines(lines: Sequence[Line], min_distance: int = 4) -> frozenset[str]:
    """Short lines that recur far apart on one page: the page template, not an article.

    Parameters
    ----------
    lines : sequence of Line
        A page's lines.
    min_distance : int
        Occurrences closer than this many lines do not count: a caption printed on both sides
        of a title repeats at distance 2 and is content, not template.

    Returns
    -------
    frozenset of str
        Folded lines (see :func:`normalise_line`) of at most :data:`MAX_CHROME_WORDS` words.
        A line that is once followed by a byline, a dateline or a long paragraph is a
        headline (listed again in a "Recent posts" sidebar) and is left out.
    """
    positions: dict[str, list[int]] = {}
    headlines: set[str] = set()
    for index, line in enumerate(lines):
        if line.n_words > MAX_CHROME_WORDS:
            continue
        positions.setdefault(line.key, []).append(index)
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None and (
            parse_byline(following.text)
            or parse_dateline(following.text)
            or (following.n_words >= BODY_WORDS and not parse_tag_line(following.text))
        ):
            headlines.add(line.key)
    return frozenset(
        key
        for key, where in positions.items()
        if len(where) >= 2 and where[-1] - where[0] >= min_distance and key not in headlines
    )


#: Lines on either side of a paragraph repeated across pages that are taken to belong to the
#: same repeated article (its title, byline, tags, captions), not to the site template.
REPEATED_ARTICLE_WINDOW = 4


def template_lines_across_pages(pages: Iterable[Sequence[Line]], min_share: float = CROSS_PAGE_SHARE) -> frozenset[str]:
    """Short lines that appear on many pages of a corpus (navigation, footers, share bars).

    An article found on two pages (listing pages that overlap, one page saved twice) repeats
    its title and byline too, but it also repeats its long paragraphs, which no template
    does: short lines within :data:`REPEATED_ARTICLE_WINDOW` lines of a long line found on
    another page are not counted, so the article is kept (and counted once by
    :func:`analysis.ingest.corpus.iter_articles`).

    Parameters
    ----------
    pages : iterable of sequences of Line
        The lines of every page.
    min_share : float
        A line counts as template text when found on at least this share of the pages (and
        on two pages at least).

    Returns
    -------
    frozenset of str
        Folded lines; empty for a single page.
    """
    pages = [list(lines) for lines in pages]
    long_seen: Counter[str] = Counter()
    for lines in pages:
        long_seen.update({line.key for line in lines if line.n_words > MAX_CHROME_WORDS})
    seen: Counter[str] = Counter()
    for lines in pages:
        repeated = [i for i, line in enumerate(lines) if line.n_words > MAX_CHROME_WORDS and long_seen[line.key] >= 2]
        near = {j for i in repeated for j in range(i - REPEATED_ARTICLE_WINDOW, i + REPEATED_ARTICLE_WINDOW + 1)}
        seen.update({line.key for i, line in enumerate(lines) if line.n_words <= MAX_CHROME_WORDS and i not in near})
    threshold = max(2, min_share * len(pages))
    return frozenset(key for key, n in seen.items() if n >= threshold)


def classify_line(line: Line, rules: Rules, page_template: frozenset[str]) -> str:
    """Label a line by what it is on its own: ``byline``, ``date``, ``tags``, ``chrome`` or ``text``.

    Parameters
    ----------
    line : Line
        A page line.
    rules : Rules
        Chrome patterns and known template lines.
    page_template : frozenset of str
        Folded lines repeated on this page.

    Returns
    -------
    str
        Bylines win over datelines, datelines over tags, tags over chrome (a repeated
        "Staff writer" is a byline; "Posted on 3 May 2021 by Jane Doe" is not chrome).
    """
    if parse_byline(line.text):
        return "byline"
    if parse_dateline(line.text):
        return "date"
    if parse_tag_line(line.text):
        return "tags"
    if is_comment_credit(line.text):
        return "comment"
    if line.n_words <= MAX_CHROME_WORDS and (
        _matches(rules.chrome, line.text) or line.key in page_template or line.key in rules.template_lines
    ):
        return "chrome"
    if line.n_words == 0 or looks_like_code(line.text) or looks_like_boilerplate(line.text):
        return "chrome"  # a line of only punctuation or symbols ("•", "***", "»"), or an inline script
    return "text"


def classify_page(lines: Sequence[Line], rules: Rules) -> list[str]:
    """Label every line of a page (see :func:`classify_line`), then a bare name above a date.

    Parameters
    ----------
    lines : sequence of Line
        A page's lines.
    rules : Rules
        Segmentation rules.

    Returns
    -------
    list of str
        One label per line; "Jenny Park" between a headline and "9 March 2022" is a byline.
    """
    page_template = repeated_lines(lines)
    kinds = [classify_line(line, rules, page_template) for line in lines]
    for i in range(1, len(lines) - 1):
        if kinds[i] == "text" and kinds[i + 1] == "date" and kinds[i - 1] == "text" and looks_like_name(lines[i].text):
            kinds[i] = "byline"
    return mark_navigation(lines, kinds)


def _opens_article(lines: Sequence[Line], kinds: Sequence[str], index: int) -> bool:
    """Whether the line after ``index`` shows it is a headline: a credit, or a paragraph of prose."""
    following = index + 1
    if following >= len(lines):
        return False
    if kinds[following] in _CREDITS:
        return True
    return (
        kinds[following] == "text" and lines[following].n_words >= BODY_WORDS and is_terminated(lines[following].text)
    )


def mark_navigation(lines: Sequence[Line], kinds: Sequence[str]) -> list[str]:
    """Label runs of short lines that no sentence interrupts as ``navigation``.

    A page saved whole carries its menus, section lists and "Most read" lists as runs of
    short lines. A run of :data:`NAVIGATION_RUN` or more such lines (chrome lines between them
    do not end the run) is navigation, except a line that a credit or a paragraph of prose
    follows: that one is a headline and stays text.

    Parameters
    ----------
    lines : sequence of Line
        A page's lines.
    kinds : sequence of str
        Their labels so far.

    Returns
    -------
    list of str
        The labels, with ``navigation`` for the lines of such runs.
    """
    kinds = list(kinds)

    def short(i: int) -> bool:
        return kinds[i] == "text" and lines[i].n_words <= MAX_NAVIGATION_WORDS and not is_terminated(lines[i].text)

    run: list[int] = []
    for i in range(len(lines) + 1):
        if i < len(lines) and (short(i) or (kinds[i] == "chrome" and run)):
            run.append(i)
            continue
        members = [j for j in run if kinds[j] == "text"]
        if len(members) >= NAVIGATION_RUN:
            for j in members:
                if not _opens_article(lines, kinds, j):
                    kinds[j] = "navigation"
        run = []
    return kinds


_CREDITS = ("byline", "date")
_FURNITURE = ("chrome", "navigation", "comment")


def _starts_article(lines: Sequence[Line], kinds: Sequence[str], index: int, blank_separates: bool) -> bool:
    """Whether a headline-shaped line opens a new article even without chrome before it."""
    line = lines[index]
    if kinds[index] != "text" or not line.heading_shaped:
        return False
    after = index + 1
    while after < len(lines) and kinds[after] in _CREDITS:
        after += 1
    # a credit under a headline opens an article when text follows it; a credit followed by
    # share buttons closes one ("Staff writer / Please follow and like us:")
    credited = after > index + 1 and after < len(lines) and kinds[after] == "text"
    return credited or (blank_separates and line.blanks_before > 0)


def split_pieces(lines: Sequence[Line], kinds: Sequence[str]) -> list[list[int]]:
    """Cut a page into candidate articles.

    A cut falls at every run of chrome; before a bare tag line; before a headline-shaped
    line followed by a byline or a dateline; and, on pages that print paragraphs without
    blank lines between them, before a headline-shaped line after a blank line.

    Parameters
    ----------
    lines : sequence of Line
        A page's lines.
    kinds : sequence of str
        :func:`classify_page` labels, one per line.

    Returns
    -------
    list of list of int
        Line indices of each piece. A byline or dateline inside a chrome run goes with the
        article before the chrome when it comes first ("Staff writer / Share / Continue
        Reading"), else with the article after it.
    """
    gaps = sorted(line.blanks_before for line, kind in zip(lines, kinds) if kind == "text")
    blank_separates = bool(gaps) and gaps[len(gaps) // 2] == 0
    pieces: list[list[int]] = [[]]

    def has_body(piece: list[int]) -> bool:
        return any(kinds[i] == "text" and not lines[i].heading_shaped for i in piece)

    index = 0
    while index < len(lines):
        kind = kinds[index]
        if kind in _FURNITURE or (kind in _CREDITS and index + 1 < len(lines) and kinds[index + 1] in _FURNITURE):
            end = index
            while end < len(lines) and kinds[end] in (*_FURNITURE, *_CREDITS):
                end += 1
            run = range(index, end)
            chrome_at = [i for i in run if kinds[i] in _FURNITURE]
            if not chrome_at:
                pieces[-1].extend(run)
            else:
                pieces[-1].extend(i for i in run if i < chrome_at[0] or kinds[i] in _FURNITURE)
                # every credit after the first chrome line goes with the next article, also one
                # between two chrome lines ("Share / By Jane Doe / Advertisement"), lost before
                pieces.append([i for i in run if i > chrome_at[0] and kinds[i] not in _FURNITURE])
            index = end
            continue
        bare_tags = kind == "tags" and not is_labelled_tag_line(lines[index].text)
        if (bare_tags or _starts_article(lines, kinds, index, blank_separates)) and has_body(pieces[-1]):
            moved: list[int] = []
            while (
                pieces[-1]
                and kinds[pieces[-1][-1]] == "text"
                and lines[pieces[-1][-1]].heading_shaped
                and len(moved) < 2
            ):
                moved.insert(0, pieces[-1].pop())  # a kicker or section label above the headline
            pieces.append(moved)
        pieces[-1].append(index)
        index += 1
    return [p for p in pieces if p]


def merge_fragments(pieces: list[list[int]], lines: Sequence[Line], kinds: Sequence[str]) -> list[list[int]]:
    """Join pieces that continue the article before them.

    Parameters
    ----------
    pieces : list of list of int
        From :func:`split_pieces`.
    lines, kinds : sequences
        The page's lines and their labels.

    Returns
    -------
    list of list of int
        A piece is appended to the previous one when it starts mid-article (its first
        content line is a sentence: share buttons under a headline or an "Advertisement"
        inside a body cut an article, they do not start one), or when it has no body but
        carries a labelled tag line or a "Related" list (printed after the share buttons).
    """
    merged: list[list[int]] = []
    for piece in pieces:
        content = [i for i in piece if kinds[i] in ("text", "tags")]
        headless = not content or (kinds[content[0]] == "text" and not lines[content[0]].heading_shaped)
        bodiless = not any(kinds[i] == "text" and not lines[i].heading_shaped for i in piece)
        trailer = (
            bodiless
            and not any(kinds[i] in _CREDITS for i in piece)
            and any(kinds[i] == "tags" and is_labelled_tag_line(lines[i].text) for i in piece)
        )
        if merged and (headless or trailer):
            merged[-1] = merged[-1] + piece
        else:
            merged.append(piece)
    return merged


def _header(text_lines: list[Line], credit_number: int | None = None) -> tuple[int, list[int]]:
    """Find the title among the first lines and the header captions around it.

    In order of evidence: a line framed by two copies of one caption; the line printed
    just above the byline or dateline; else the last headline-shaped line of the opening
    run (a masthead or a section name may stand above the title). Returns the title's
    position in ``text_lines`` (-1 when none) and the positions of header caption lines.
    """
    for i in range(1, min(len(text_lines) - 1, 6)):
        before, title, after = text_lines[i - 1], text_lines[i], text_lines[i + 1]
        if before.key == after.key and title.heading_shaped and before.key != title.key:
            captions = [i - 1, i + 1]
            if i + 2 < len(text_lines):
                feature = text_lines[i + 2]
                shares = content_words(feature.text) & content_words(before.text)
                if shares and (not is_terminated(feature.text) or feature.n_words <= 30):
                    captions.append(i + 2)
            return i, captions
    if credit_number is not None:
        above = [i for i, line in enumerate(text_lines[:6]) if line.number < credit_number]
        if above and text_lines[above[-1]].heading_shaped:
            return above[-1], []
    opening = 0
    while opening < min(len(text_lines), 4) and text_lines[opening].heading_shaped:
        opening += 1
    return opening - 1, []


def _is_caption_title(line: Line, caption: Line) -> bool:
    """Whether a short line is the title printed above a caption (not a subheading)."""
    if line.n_words > MAX_CAPTION_TITLE_WORDS or is_terminated(line.text):
        return False
    own = content_words(line.text)
    overlap = len(own & content_words(caption.text)) / len(own) if own else 0.0
    return not is_title_case(line.text) or overlap >= 0.5


def _near_duplicates(a: Line, b: Line) -> bool:
    """Whether two paragraphs share most of their words (a caption restating the text)."""
    wa, wb = content_words(a.text), content_words(b.text)
    if min(len(wa), len(wb)) < 6:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= NEAR_DUPLICATE_CONTAINMENT


def find_captions(body: Sequence[Line], rules: Rules) -> set[int]:
    """Positions of caption lines within an article body.

    Parameters
    ----------
    body : sequence of Line
        Body candidate lines in order.
    rules : Rules
        Caption-start patterns.

    Returns
    -------
    set of int
        A line is a caption when it starts like one ("Photo: ..."), when a run of
        :data:`IMAGE_GAP_BLANK_LINES` blank lines (the image) follows it, when it is an
        unterminated line right after a caption title, when a photo credit follows it, or
        when it restates its neighbour (the first of the two is the caption). A short
        sentence-case line just before a caption is that caption's title.
    """
    captions: set[int] = set()
    for i, line in enumerate(body):
        if _matches(rules.caption, line.text):
            captions.add(i)
            if i > 0 and line.n_words <= 6 and _CREDIT.fullmatch(line.text) and body[i - 1].n_words <= 40:
                captions.add(i - 1)
        elif line.blanks_after >= IMAGE_GAP_BLANK_LINES and line.n_words <= 80 and i + 1 < len(body):
            captions.add(i)
    titles: set[int] = set()
    for i in range(len(body) - 1):
        first, second = body[i], body[i + 1]
        if {i, i + 1} & (captions | titles) or is_terminated(second.text) or second.n_words < 8:
            continue
        if _is_caption_title(first, second):
            titles.add(i)
            captions.add(i + 1)
    for i in range(len(body) - 1):
        if not {i, i + 1} & (captions | titles) and _near_duplicates(body[i], body[i + 1]):
            captions.add(i)
    for i in sorted(captions):
        if i > 0 and i - 1 not in captions | titles and _is_caption_title(body[i - 1], body[i]):
            titles.add(i - 1)
    return captions | titles


def _is_teaser_line(line: Line) -> bool:
    """A cut-off summary of another article ("Jury rules for half of 21 plaintiffs in suit …")."""
    return line.n_words <= 30 and line.text.rstrip().endswith(("…", "..."))


def find_related_links(body: Sequence[Line], rules: Rules, sites: frozenset[str], titles: frozenset[str]) -> set[int]:
    """Positions of body lines that link to other articles.

    Parameters
    ----------
    body : sequence of Line
        Body candidate lines in order.
    rules : Rules
        Related-link patterns ("Related: ...", "Read also").
    sites : frozenset of str
        Folded site names (see :func:`site_names`).
    titles : frozenset of str
        Folded titles of the page's articles.

    Returns
    -------
    set of int
        A heading-shaped line that names the site before a colon, repeats another article's
        title, or follows a "Related posts" label; and headings left at the very end of a
        body, with no text after them.
    """
    links: set[int] = set()
    in_related_list = False
    for i, line in enumerate(body):
        prefix = line.text.split(":", 1)[0].casefold().strip() if ":" in line.text else ""
        if line.n_words <= 25 and _matches(rules.related, line.text):
            links.add(i)
            in_related_list = True
        elif in_related_list and (_BULLET.match(line.text) or line.heading_shaped):
            links.add(i)
        elif line.heading_shaped and (prefix in sites or line.key in titles):
            links.add(i)
            in_related_list = False
        else:
            in_related_list = False
    end = len(body)
    while end > 0 and (end - 1 in links or body[end - 1].heading_shaped or _is_teaser_line(body[end - 1])):
        links.add(end - 1)
        end -= 1
    return links


def read_piece(
    lines: Sequence[Line],
    kinds: Sequence[str],
    rules: Rules,
    sites: frozenset[str],
    titles: frozenset[str],
    headline_known: bool = False,
) -> tuple[Segment | None, list[RemovedLine]]:
    """Read one candidate piece of a page top-down into an article.

    Parameters
    ----------
    lines, kinds : sequences
        The piece's lines and their :func:`classify_page` labels.
    rules : Rules
        Segmentation rules.
    sites, titles : frozenset of str
        Site names and folded titles of the page, to spot links to other articles.
    headline_known : bool
        The piece's first text line is its headline (found by :func:`find_headline`).

    Returns
    -------
    tuple
        ``(segment, removed)``: the article (None when the piece has no title or no body,
        as for a footer or a sidebar) and the lines removed from it with reasons.
    """
    removed: list[RemovedLine] = []
    tags: tuple[str, ...] = ()
    byline = date = None
    text_lines: list[Line] = []
    for line, kind in zip(lines, kinds):
        if kind == "tags" and not tags:
            tags = parse_tag_line(line.text) or ()
            removed.append(RemovedLine(line.text, line.number, RemovalReason.TAGS))
        elif kind == "byline":
            if byline is None:
                byline, byline_date = parse_byline(line.text) or (line.text, None)
                date = date or byline_date
            removed.append(RemovedLine(line.text, line.number, RemovalReason.BYLINE))
        elif kind == "date":
            date = date or parse_dateline(line.text)
            removed.append(RemovedLine(line.text, line.number, RemovalReason.DATE))
        elif kind in ("chrome", "tags", "navigation", "comment"):
            removed.append(RemovedLine(line.text, line.number, RemovalReason(kind)))
        else:
            text_lines.append(line)
    credit_number = next((l.number for l, k in zip(lines, kinds) if k in _CREDITS), None)
    title_at, header_captions = (0, []) if headline_known and text_lines else _header(text_lines, credit_number)
    if title_at < 0:
        removed.extend(RemovedLine(l.text, l.number, RemovalReason.NOT_AN_ARTICLE) for l in text_lines)
        return None, removed
    before_title = [i for i in range(title_at) if i not in header_captions]
    removed.extend(
        RemovedLine(text_lines[i].text, text_lines[i].number, RemovalReason.NOT_AN_ARTICLE) for i in before_title
    )
    start = max([title_at, *header_captions]) + 1
    body = text_lines[start:]
    captions = find_captions(body, rules)
    kept_after_captions = [i for i in range(len(body)) if i not in captions]
    links = find_related_links([body[i] for i in kept_after_captions], rules, sites, titles)
    link_positions = {kept_after_captions[j] for j in links}
    caption_texts: list[str] = []
    for i in sorted(header_captions) + [start + j for j in sorted(captions)]:
        line = text_lines[i]
        removed.append(RemovedLine(line.text, line.number, RemovalReason.CAPTION))
        if line.text not in caption_texts:
            caption_texts.append(line.text)
    removed.extend(
        RemovedLine(body[j].text, body[j].number, RemovalReason.RELATED_LINK) for j in sorted(link_positions)
    )
    kept = [body[j] for j in range(len(body)) if j not in captions and j not in link_positions]
    title = text_lines[title_at]
    if not any(line.n_words >= 5 for line in kept):
        removed.append(RemovedLine(title.text, title.number, RemovalReason.NOT_AN_ARTICLE))
        removed.extend(RemovedLine(line.text, line.number, RemovalReason.NOT_AN_ARTICLE) for line in kept)
        return None, removed
    first_line = min(
        [title.number, *(l.number for l, k in zip(lines, kinds) if k == "tags" and l.number < title.number)]
    )
    segment = Segment(
        title=title.text,
        tags=tags,
        byline=byline,
        date=date,
        paragraphs=tuple(line.text for line in kept),
        captions=tuple(caption_texts),
        first_line=first_line,
        removed=tuple(sorted(removed, key=lambda r: r.number)),
    )
    return segment, removed


#: A standfirst (the sentence between headline and byline) has at most this many words.
MAX_STANDFIRST_WORDS = 25
#: A prose line has at least this many words: a paragraph, not a heading, link or label.
PROSE_WORDS = 12
#: Non-prose lines (subheadings, captions, stray labels) a body can hold between two paragraphs.
MAX_BODY_GAP_LINES = 8
#: A block of prose smaller than this is a teaser, a comment or a sidebar, not an article.
MIN_ARTICLE_WORDS = 30
#: How far above its first paragraph a whole page's headline is looked for, in lines.
TITLE_WINDOW = 25


def _is_prose(line: Line, kind: str) -> bool:
    """A paragraph: a sentence of :data:`PROSE_WORDS` words or more, or any line of twice that."""
    return kind == "text" and (
        (line.n_words >= PROSE_WORDS and is_terminated(line.text)) or line.n_words >= 2 * PROSE_WORDS
    )


def prose_blocks(lines: Sequence[Line], kinds: Sequence[str]) -> list[tuple[int, int]]:
    """Runs of paragraphs that read as one text: the bodies of the articles on a whole page.

    Parameters
    ----------
    lines, kinds : sequences
        A page's lines and their :func:`classify_page` labels.

    Returns
    -------
    list of (int, int)
        First and last line index of each block of at least :data:`MIN_ARTICLE_WORDS` words.
        Two paragraphs belong to one block unless navigation, a credit (a new article's
        byline or date) or more than :data:`MAX_BODY_GAP_LINES` other lines stand between
        them.
    """
    prose = [
        i
        for i, (line, kind) in enumerate(zip(lines, kinds))
        if _is_prose(line, kind)
        and not (line.n_words <= MAX_STANDFIRST_WORDS and _credited(lines, kinds, i, len(lines)))
    ]
    blocks: list[tuple[int, int]] = []
    for i in prose:
        if blocks:
            start, end = blocks[-1]
            gap = range(end + 1, i)
            others = [j for j in gap if kinds[j] not in ("chrome",)]
            if (
                len(others) <= MAX_BODY_GAP_LINES
                and not any(kinds[j] in ("navigation", "comment", *_CREDITS) for j in gap)
                and not any(kinds[j] == "tags" and not is_labelled_tag_line(lines[j].text) for j in gap)
            ):
                blocks[-1] = (start, i)
                continue
        blocks.append((i, i))
    return [
        (a, b)
        for a, b in blocks
        if sum(lines[j].n_words for j in range(a, b + 1) if kinds[j] == "text") >= MIN_ARTICLE_WORDS
    ]


#: Lines that are never a headline: an embedded post's signature, a comment header, a share
#: button, a photo credit, a role ("Contributing Writer").
_NOT_A_HEADLINE = re.compile(
    r"(?i)[—–-]\s|.*\(@\w+\)|.*@\w|.*\bthoughts? on\b|\d+ (comments?|responses?)|(tweet|share|post) (on|to|this)\b|by\b"
    r"|.*\b(credit|photo(graph)?|image|getty|reuters|afp|shutterstock|illustration|courtesy)\b"
    r"|(\w+\s+){0,2}(writer|columnist|correspondent|editor|reporter|contributor)s?"
)
#: A headline's credit (byline, date) stands at most this many lines below it (a standfirst between).
CREDIT_REACH = 4


_CREDIT_LABEL = re.compile(
    r"(?i)(?:author|by|written by|published|publish(?:ed)? date|date|posted(?: on)?|updated)\s*:"
)


def _credit_like(line: Line, kind: str) -> bool:
    """Whether a line credits an article: a byline or dateline, or a short line with a date or a handle in it."""
    if kind in _CREDITS or _CREDIT_LABEL.fullmatch(line.text):
        return True
    return line.n_words <= MAX_CREDIT_WORDS_IN_LINE and bool(
        mentions_date(line.text) or re.search(r"@\w", line.text) or line.text.casefold().startswith("by ")
    )


MAX_CREDIT_WORDS_IN_LINE = 14


def _credited(lines: Sequence[Line], kinds: Sequence[str], index: int, stop: int) -> bool:
    """Whether a credit (byline, date) follows line ``index`` within :data:`CREDIT_REACH` lines, before ``stop``."""
    below = [j for j in range(index + 1, min(index + 1 + CREDIT_REACH, stop)) if kinds[j] not in ("chrome", "comment")]
    return any(
        _credit_like(lines[j], kinds[j])
        or (looks_like_name(lines[j].text) and j + 1 < len(lines) and _credit_like(lines[j + 1], kinds[j + 1]))
        for j in below
    )


def _is_headline_candidate(line: Line, kind: str, rules: Rules, credited: bool = False) -> bool:
    """A line that could be a whole page's headline: short, and none of the things a headline is not.

    A headline may end in a full stop ("They just might be.") when a credit follows it.
    """
    shaped = line.heading_shaped or (credited and 0 < line.n_words <= MAX_HEADING_WORDS + 5)
    # a headline printed again in a share bar or footer is "chrome" by repetition only
    repeated_only = kind == "chrome" and not _matches(rules.chrome, line.text) and line.key not in rules.template_lines
    return (
        (kind in ("text", "navigation") or repeated_only)
        and shaped
        and line.n_words >= 3
        and not _matches(rules.caption, line.text)
        and not _NOT_A_HEADLINE.match(line.text)
        and not looks_like_name(line.text)
        and not _credit_like(line, kind)
    )


def _title_score(line: Line, body_words: frozenset[str], credited: bool, distance: int) -> float:
    """How much a line above a block of prose looks like its headline (higher is better)."""
    own = content_words(line.text)
    overlap = len(own & body_words) / len(own) if own else 0.0
    score = overlap + (1.0 if credited else 0.0) - 0.01 * distance
    if line.text.isupper():
        score -= 0.5  # a section label ("WEATHER")
    if is_terminated(line.text):
        score -= 0.3  # a standfirst under the headline, which ends like a sentence
    return score


def find_headline(lines: Sequence[Line], kinds: Sequence[str], start: int, floor: int, rules: Rules) -> int | None:
    """The headline of the block of prose that starts at ``start``.

    Parameters
    ----------
    lines, kinds : sequences
        The page's lines and labels.
    start : int
        The block's first line.
    floor : int
        Look no higher than this line (the end of the block before).
    rules : Rules
        Caption patterns: a caption is never a headline.

    Returns
    -------
    int or None
        The heading-shaped line within :data:`TITLE_WINDOW` lines above ``start`` that shares
        most words with the opening paragraphs, a credit under it counting for a full match;
        None when no line qualifies.
    """
    opening = frozenset().union(*(content_words(lines[j].text) for j in range(start, min(start + 6, len(lines)))))
    window = range(max(floor, start - TITLE_WINDOW), start)
    body = {lines[j].key for j in range(start, min(start + 6, len(lines)))}
    strict = [
        i
        for i in window
        if _is_headline_candidate(lines[i], kinds[i], rules, _credited(lines, kinds, i, start + 1))
        and lines[i].key not in body  # a standfirst printed again as the first paragraph
    ]
    # with no line that passes every test, any short line that is not furniture (a two-word title)
    candidates = strict or [i for i in window if kinds[i] in ("text", "navigation") and lines[i].heading_shaped]
    best: tuple[float, int] | None = None
    for i in candidates:
        line = lines[i]
        score = _title_score(line, opening, _credited(lines, kinds, i, start + 1), start - i)
        if best is None or score > best[0]:
            best = (score, i)
    return best[1] if best else None


#: A block of prose where every heading is followed by at most this many paragraphs on
#: average, each this short, is a list of teasers ("Read these next"), not an article.
TEASER_PARAGRAPHS_PER_HEADING = 1.5
TEASER_WORDS = 60


def is_teaser_list(lines: Sequence[Line], kinds: Sequence[str], start: int, end: int) -> bool:
    """Whether a block of prose is a list of headlines with their summaries.

    Parameters
    ----------
    lines, kinds : sequences
        The page's lines and labels.
    start, end : int
        The block's first and last line.

    Returns
    -------
    bool
        True when the block has three or more headings of four words or more, at most
        :data:`TEASER_PARAGRAPHS_PER_HEADING` paragraphs per heading, and paragraphs of
        :data:`TEASER_WORDS` words or fewer on average. An article's subheadings head several
        longer paragraphs each.
    """
    block = [j for j in range(start, end + 1) if kinds[j] == "text"]
    paragraphs = [j for j in block if _is_prose(lines[j], kinds[j])]
    headings = [j for j in block if lines[j].heading_shaped and lines[j].n_words >= 4 and j + 1 in paragraphs]
    if len(headings) < 3 or not paragraphs:
        return False
    mean_words = sum(lines[j].n_words for j in paragraphs) / len(paragraphs)
    return len(paragraphs) <= TEASER_PARAGRAPHS_PER_HEADING * len(headings) and mean_words <= TEASER_WORDS


def _in_comments(lines: Sequence[Line], kinds: Sequence[str], gap: range, inside: bool, after_article: bool) -> bool:
    """Whether the block after ``gap`` stands in a comment section.

    A comment's credit ("Alex on May 3, 2019 said:") opens one, and so does a comment header
    ("12 Comments", "Leave a Reply") once an article has been read; navigation closes it.
    """
    for j in gap:
        if kinds[j] == "navigation":
            inside = False
        elif kinds[j] == "comment" or (
            after_article and kinds[j] in ("text", "chrome") and is_comment_header(lines[j].text)
        ):
            inside = True
    return inside


_FOOTER = re.compile(r"(?i)(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:\d{4}).*|.*all rights reserved\.?")
#: A footer line ends a saved page when navigation follows it within this many lines.
PAGE_END_WINDOW = 40


def page_regions(lines: Sequence[Line], kinds: Sequence[str]) -> list[tuple[int, int]]:
    """Split a file into the pages saved in it: a footer followed by a new page's navigation ends one.

    Parameters
    ----------
    lines, kinds : sequences
        The lines and labels of a file that may hold several pages saved whole, one after the other.

    Returns
    -------
    list of (int, int)
        First and last line index of each page; one region for a file holding one page.
    """
    regions: list[tuple[int, int]] = []
    start = 0
    for i, line in enumerate(lines):
        if not _FOOTER.fullmatch(line.text):
            continue
        ahead = range(i + 1, min(i + 1 + PAGE_END_WINDOW, len(lines)))
        prose_next = next((j for j in ahead if _is_prose(lines[j], kinds[j])), None)
        navigation_next = next((j for j in ahead if kinds[j] == "navigation"), None)
        if navigation_next is not None and (prose_next is None or navigation_next < prose_next):
            regions.append((start, i))
            start = i + 1
    regions.append((start, len(lines) - 1))
    return [(a, b) for a, b in regions if a <= b]


def _credited_headline_before(lines: Sequence[Line], kinds: Sequence[str], start: int, floor: int) -> bool:
    """Whether a headline with a credit under it (byline or date) stands between ``floor`` and ``start``."""
    for i in range(max(floor, start - TITLE_WINDOW), start):
        if kinds[i] in _CREDITS and any(
            kinds[j] in ("text", "navigation") and lines[j].heading_shaped for j in range(max(floor, i - 3), i)
        ):
            return True
    return False


#: Beyond its main article, a page holds another only when that one has a credited headline
#: and at least this many words (a front page saved with several articles in full).
MIN_SECOND_ARTICLE_WORDS = 150
#: A block under a headline with a byline or date weighs this many times its words when the
#: page's article is chosen among its blocks of prose.
CREDITED_WEIGHT = 3


def main_blocks(
    lines: Sequence[Line], kinds: Sequence[str], blocks: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The block of prose that is each saved page's article.

    Parameters
    ----------
    lines, kinds : sequences
        The file's lines and labels.
    blocks : sequence of (int, int)
        From :func:`prose_blocks`.

    Returns
    -------
    list of (int, int)
        One block per page of :func:`page_regions` that has one: the largest, a block headed by
        a credited headline (the byline or date a page prints under its own article) counting
        :data:`CREDITED_WEIGHT` times its size. Sidebars, teasers, comments and "about us"
        boxes are the other blocks.
    """
    chosen = []
    for first, last in page_regions(lines, kinds):
        inside = [b for b in blocks if first <= b[0] <= last]
        if not inside:
            continue
        floors = [first] + [b[1] + 1 for b in inside[:-1]]
        credited = [b for b, floor in zip(inside, floors) if _credited_headline_before(lines, kinds, b[0], floor)]
        size = {b: sum(lines[j].n_words for j in range(b[0], b[1] + 1) if kinds[j] == "text") for b in inside}
        remaining = list(inside)
        first_article = True
        while remaining:
            main = max(remaining, key=lambda b: (size[b] * (CREDITED_WEIGHT if b in credited else 1), -b[0]))
            parts = _continuations(lines, kinds, remaining, main)
            remaining = [b for b in remaining if b not in parts]
            words = sum(size[b] for b in parts)
            if first_article or (parts[0] in credited and words >= MIN_SECOND_ARTICLE_WORDS):
                chosen.append((parts[0][0], parts[-1][1]))
            first_article = False
    return sorted(chosen)


#: An article's text may be interrupted by this many lines (a "Related" box, an embedded post)
#: and go on below them.
MAX_INTERRUPTION_LINES = 12


def _dated_credit(line: Line, kind: str) -> bool:
    """A credit with a date: the byline of another article, not of a box inside this one."""
    if kind == "date":
        return True
    if kind == "byline":
        parsed = parse_byline(line.text)
        return bool(parsed and parsed[1])
    return False


def _continuations(
    lines: Sequence[Line], kinds: Sequence[str], blocks: Sequence[tuple[int, int]], main: tuple[int, int]
) -> list[tuple[int, int]]:
    """The main block with the blocks of the same article around it.

    Blocks above and below it join when no more than :data:`MAX_INTERRUPTION_LINES` lines stand
    between, none of them a comment, a footer or a dated credit: an article cut by a box of links,
    an embedded post or a byline of a box inside it.
    """
    at = blocks.index(main)

    def interrupted(gap: range) -> bool:
        return len(gap) > MAX_INTERRUPTION_LINES or any(
            kinds[j] == "comment" or _FOOTER.fullmatch(lines[j].text) or _dated_credit(lines[j], kinds[j]) for j in gap
        )

    above: list[tuple[int, int]] = []
    for block in reversed(blocks[:at]):
        if interrupted(range(block[1] + 1, (above[0] if above else main)[0])):
            break
        above.insert(0, block)
    below: list[tuple[int, int]] = []
    for block in blocks[at + 1 :]:
        if interrupted(range((below[-1] if below else main)[1] + 1, block[0])):
            break
        below.append(block)
    return [*above, main, *below]


_CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
#: This many "name, then date" pairs on a page are the credits of a comment thread.
MIN_THREAD_CREDITS = 3


def _said_below(lines: Sequence[Line], kinds: Sequence[str], index: int) -> bool:
    """Whether a sentence (what a commenter wrote) follows within two lines, past chrome."""
    for j in range(index, min(index + 3, len(lines))):
        if kinds[j] == "text" and lines[j].n_words >= 6 and not lines[j].heading_shaped:
            return True
    return False


def mark_comment_threads(lines: Sequence[Line], kinds: Sequence[str]) -> list[str]:
    """Label the credits of a comment thread (a user name over a date, again and again) as ``comment``.

    Parameters
    ----------
    lines, kinds : sequences
        A page's lines and labels.

    Returns
    -------
    list of str
        The labels; when :data:`MIN_THREAD_CREDITS` or more different names (lines of at most
        three words) stand right above a date with a time of day and a sentence under it, each
        such pair is labelled ``comment``. An article's own byline is labelled a byline, not a name.
    """
    pairs = [
        i
        for i in range(len(lines) - 1)
        if kinds[i] in ("text", "navigation")
        and 0 < lines[i].n_words <= 3
        and kinds[i + 1] == "date"
        and _CLOCK_TIME.search(lines[i + 1].text)
        and _said_below(lines, kinds, i + 2)
    ]
    kinds = list(kinds)
    if len({lines[i].key for i in pairs}) >= MIN_THREAD_CREDITS:
        for i in pairs:
            kinds[i] = kinds[i + 1] = "comment"
    return kinds


_TRAILER = re.compile(
    r"(?i)(?:about (?:the )?(?:author|[A-Z][\w&.’'-]*(?: [\w&.’'-]+){0,4})|(?:media|press|investor) contacts?|contacts?"
    r"|for more information|disclaimer|disclosure|editor['’]?s note|(?:related|recommended|more) (?:stories|articles|posts|reading)"
    r"|you (?:may|might) also like|read (?:these )?next|more from .{1,40}|sources?|references|footnotes)\s*:?"
)
#: A publisher's paragraph about itself, or a footnote: what follows is boilerplate too.
_TRAILER_LINE = re.compile(
    r"\[\d+\]\s.*|(?:[A-Z][\w&.’'-]*\s){0,3}[A-Z][\w&.’'-]* is (?:a|an|the) (?:[\w’'-]+ ){0,6}"
    r"(?:provider|company|firm|manufacturer|organi[sz]ation|group|maker|publisher|network|platform|agency|leader)\b.*"
)
_LINKS_HEADING = re.compile(r"(?i)(?:related|recommended|more|read|you (?:may|might))\b")
#: A trailer heading counts only after this share of the body's words.
TRAILER_AFTER_SHARE = 0.5


def trailer_start(lines: Sequence[Line], kinds: Sequence[str], start: int, end: int) -> int:
    """Where an article's trailer begins: "About Ascom", "Media contacts", "Related stories".

    Parameters
    ----------
    lines, kinds : sequences
        The page's lines and labels.
    start, end : int
        The article body's first and last line.

    Returns
    -------
    int
        The index of the first trailer heading (or footnote, or a company's description of
        itself: "Ascom is a global solutions provider ...") found after
        :data:`TRAILER_AFTER_SHARE` of the body's words, or ``end + 1`` when there is none: what
        follows is the publisher's boilerplate or links, not the article.
    """
    total = sum(lines[j].n_words for j in range(start, end + 1) if kinds[j] == "text") or 1
    seen = 0
    for j in range(start, end + 1):
        if kinds[j] == "text":
            seen += lines[j].n_words
        if seen >= TRAILER_AFTER_SHARE * total and (
            (lines[j].heading_shaped and _TRAILER.fullmatch(lines[j].text)) or _TRAILER_LINE.fullmatch(lines[j].text)
        ):
            return j
    return end + 1


def _bare_name(lines: Sequence[Line], kinds: Sequence[str], first: int, stop: int) -> int | None:
    """A line between headline and body that is only a person's name ("Molly Wood"): the byline."""
    for j in range(first, min(stop, first + CREDIT_REACH + 2)):
        if kinds[j] in ("text", "navigation", "chrome") and looks_like_name(_CONTACT_TAIL.sub("", lines[j].text)):
            return j
    return None


_CONTACT_TAIL = re.compile(r"@\w+$")


def read_whole_page(
    lines: Sequence[Line], kinds: Sequence[str], rules: Rules
) -> tuple[list[Segment], list[RemovedLine]]:
    """Read a page saved whole (menus, sidebars, footer and all): one article per block of prose.

    Parameters
    ----------
    lines, kinds : sequences
        The page's lines and labels.
    rules : Rules
        Segmentation rules.

    Returns
    -------
    tuple
        ``(articles, page_removed)`` as :func:`segment_page` returns them. Each block of
        :func:`prose_blocks` becomes an article headed by :func:`find_headline`, with the
        credits between headline and body; everything outside the articles is removed with
        its reason (navigation, chrome, or not an article).
    """
    kinds = mark_comment_threads(lines, kinds)
    sites = site_names(lines)
    pieces: list[list[int]] = []
    floor = 0
    skipped: dict[int, RemovalReason] = {}
    blocks = prose_blocks(lines, kinds)
    in_comments = False
    candidates = []
    lists: list[tuple[int, int]] = []
    for number, (start, end) in enumerate(blocks):
        gap = range(blocks[number - 1][1] + 1 if number else 0, start)
        in_comments = _in_comments(lines, kinds, gap, in_comments, number > 0)
        reason = (
            RemovalReason.COMMENT
            if in_comments
            else RemovalReason.RELATED_LINK
            if is_teaser_list(lines, kinds, start, end)
            and not _credited_headline_before(lines, kinds, start, gap.start)
            else None
        )
        if reason is None:
            candidates.append((start, end))
        else:
            skipped.update({j: reason for j in range(start, end + 1) if kinds[j] == "text"})
            if reason is RemovalReason.RELATED_LINK:
                lists.append((start, end))
    if not candidates and lists:
        # a page whose only text is headings with a paragraph each is a list article ("Best gadgets")
        candidates = lists
        skipped = {j: r for j, r in skipped.items() if not any(a <= j <= b for a, b in lists)}
    spans = main_blocks(lines, kinds, candidates)
    headlines: set[int] = set()
    named: set[int] = set()
    for start, end in blocks:
        if not any(a <= start and end <= b for a, b in spans):
            skipped.update(
                {
                    j: RemovalReason.NOT_AN_ARTICLE
                    for j in range(start, end + 1)
                    if kinds[j] == "text" and j not in skipped
                }
            )
    for start, end in spans:
        title = find_headline(lines, kinds, start, floor, rules)
        header = [] if title is None else [title]
        headlines.update(header)
        if title is not None:
            header += [j for j in range(title + 1, start) if kinds[j] in (*_CREDITS, "tags")]
            if not any(kinds[j] == "byline" for j in header):
                name = _bare_name(lines, kinds, title + 1, start)
                if name is not None:
                    header = sorted([*header, name])
                    named.add(name)
        body_end = end
        while body_end + 1 < len(lines) and kinds[body_end + 1] in ("tags", "chrome") and body_end - end < 3:
            body_end += 1  # a labelled tag line printed under the body
        cut = trailer_start(lines, kinds, start, body_end)
        links = cut <= body_end and _LINKS_HEADING.match(lines[cut].text) is not None
        for j in range(cut, body_end + 1):
            if kinds[j] == "text":
                skipped[j] = RemovalReason.RELATED_LINK if links else RemovalReason.CHROME
        pieces.append(header + [j for j in range(start, cut) if kinds[j] != "navigation"])
        floor = body_end + 1  # the next page's headline stands below this article
    titles = frozenset(lines[p[0]].key for p in pieces if p)
    articles: list[Segment] = []
    page_removed: list[RemovedLine] = []
    used: set[int] = set()
    for piece in pieces:
        kinds_of_piece = [
            "byline" if i in named else "text" if kinds[i] == "navigation" or i in headlines else kinds[i]
            for i in piece
        ]
        segment, removed = read_piece(
            [lines[i] for i in piece], kinds_of_piece, rules, sites, titles, headline_known=piece[0] in headlines
        )
        used.update(piece)
        if segment is None:
            page_removed.extend(removed)
        else:
            articles.append(segment)
    in_thread = False
    for i, (line, kind) in enumerate(zip(lines, kinds)):
        in_thread = _in_comments(lines, kinds, range(i, i + 1), in_thread, bool(blocks) and i > blocks[0][0])
        if i not in used:
            reason = skipped.get(i) or (
                RemovalReason(kind)
                if kind in ("chrome", "navigation", "tags", "comment")
                else RemovalReason.COMMENT
                if in_thread and kind == "text"
                else RemovalReason.NOT_AN_ARTICLE
            )
            page_removed.append(RemovedLine(line.text, line.number, reason))
    return articles, sorted(page_removed, key=lambda r: r.number)


def segment_page(text: str, rules: Rules | None = None) -> tuple[list[Segment], list[RemovedLine]]:
    """Split a scraped page into articles.

    Parameters
    ----------
    text : str
        The page's text, one paragraph or page element per line.
    rules : Rules, optional
        Segmentation rules; :func:`default_rules` when omitted.

    Returns
    -------
    tuple
        ``(articles, page_removed)``: the articles in page order and the lines that belong
        to no article (header, footer, sidebars) with reasons. An empty article list means
        the page has no recognisable article.
    """
    rules = rules or default_rules()
    lines = split_lines(text)
    if is_element_dump(lines):
        lines = rejoin_fragments(lines)
    kinds = classify_page(lines, rules)
    if "navigation" in kinds:
        return read_whole_page(lines, kinds, rules)
    pieces = merge_fragments(split_pieces(lines, kinds), lines, kinds)
    sites = site_names(lines)
    titles = set()
    for piece in pieces:
        text_lines = [lines[i] for i in piece if kinds[i] == "text"]
        credit = next((lines[i].number for i in piece if kinds[i] in _CREDITS), None)
        at = _header(text_lines, credit)[0]
        if at >= 0:
            titles.add(text_lines[at].key)
    articles: list[Segment] = []
    page_removed: list[RemovedLine] = []
    for piece in pieces:
        segment, removed = read_piece(
            [lines[i] for i in piece], [kinds[i] for i in piece], rules, sites, frozenset(titles)
        )
        if segment is None:
            page_removed.extend(removed)
        else:
            articles.append(segment)
    return articles, page_removed


def rules_from_file(path: Path) -> list[str]:
    """Read user rule lines from a file (``kind: regex`` per line).

    Parameters
    ----------
    path : Path
        A UTF-8 text file.

    Returns
    -------
    list of str
        Its lines, for :func:`default_rules`'s ``extra``.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    """
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path}: chrome rule file not found; pass an existing file to --chrome-file")
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise ValueError(f"{path}: the rule file is not valid UTF-8; save it as UTF-8") from None
