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

A page with navigation (a run of menu lines) was saved whole, with its sidebars, comments and
footer: :func:`segment_page` hands it to :mod:`analysis.ingest.wholepage`. A page dumped with
a break after every element is re-joined first (:mod:`analysis.ingest.lines`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass

from analysis.ingest.lines import (
    Line,
    drop_hover_cards,
    is_element_dump,
    normalise_line,
    rejoin_fragments,
    split_lines,
)
from analysis.ingest.reasons import RemovalReason
from analysis.ingest.recognise import (
    content_words,
    count_words,
    is_comment_credit,
    is_comment_header,
    is_date_label,
    is_labelled_tag_line,
    is_terminated,
    is_title_case,
    looks_like_boilerplate,
    looks_like_code,
    looks_like_credit,
    looks_like_link_run,
    looks_like_names,
    mentions_date,
    names_things,
    parse_byline,
    parse_dateline,
    parse_tag_line,
)
from analysis.ingest.rules import Rules, decode_labels, default_rules, page_digest

__all__ = ["Line", "is_element_dump", "normalise_line", "rejoin_fragments", "split_lines"]  # re-exported

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

_TOP_LEVEL_DOMAIN = r"\.(?:com|org|net|info|news|co\.uk|org\.uk|eu|de|fr|ir|io)\b"
_DOMAIN = re.compile(rf"\b(?P<site>[A-Za-z0-9][A-Za-z0-9\-]{{1,60}}){_TOP_LEVEL_DOMAIN}")
#: How every domain name ends: found fast (a literal "."), it spares the search for the name elsewhere.
_DOMAIN_END = re.compile(_TOP_LEVEL_DOMAIN)
_BULLET = re.compile(r"[-•·*▪►»–]\s+\S")
#: A short caption line that only credits the photographer: the line above it is the caption.
#: A picture agency at the end of a line, or opening one before the photographer: the photo credit under a caption.
_AGENCY_CREDIT = re.compile(
    r"(?i)(?:[|/]\s*|\svia\s+)(?:getty(?: images)?|ap(?: photo)?(?: file)?|afp|reuters|shutterstock|epa|bloomberg|the associated press"
    r"|the new york times|via getty images)\)?\s*$"
    r"|^\(?\s*(?:ap|afp|reuters|epa|getty images?)(?: photo)?\s*/\s*[^()/]{2,60}\)?\s*$"  # "(AP Photo/Ng Han Guan)"
)
#: A photo credit line has at most this many words ("New York State Sex Offender Registry via AP").
MAX_PHOTO_CREDIT_WORDS = 10
#: The line above a photo credit is its caption when it has at most this many words.
MAX_CREDITED_CAPTION_WORDS = 60
_CREDIT = re.compile(r"(?i)(?:(?:photo|image|picture)s?\s+)?(?:credits?|by|courtesy(?: of)?)\s*:?\s+\S.{0,60}")


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
    headline_odds : float
        How likely the title is the right line, when a page saved whole offered several
        (:func:`analysis.ingest.headline.headline_odds`); 1.0 otherwise.
    runner_up : tuple of (str, int) or None
        The line that came next as the title, and its line number.
    """

    title: str
    tags: tuple[str, ...]
    byline: str | None
    date: str | None
    paragraphs: tuple[str, ...]
    captions: tuple[str, ...]
    first_line: int
    removed: tuple[RemovedLine, ...] = ()
    headline_odds: float = 1.0
    runner_up: tuple[str, int] | None = None


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
    return frozenset(
        m.group("site").casefold()
        for line in lines
        if _DOMAIN_END.search(line.text)
        for m in _DOMAIN.finditer(line.text)
    )


def repeated_lines(lines: Sequence[Line], min_distance: int = 4, labels: Sequence[str] | None = None) -> frozenset[str]:
    """Short lines that recur far apart on one page: the page template, not an article.

    Parameters
    ----------
    lines : sequence of Line
        A page's lines.
    min_distance : int
        Occurrences closer than this many lines do not count: a caption printed on both sides
        of a title repeats at distance 2 and is content, not template.
    labels : sequence of str, optional
        The lines' :func:`classify_line` labels, when already known: a byline, dateline or
        tag line is then read from its label instead of being parsed again.

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
        if index + 1 >= len(lines):
            continue
        following = lines[index + 1]
        if labels is not None:
            label = labels[index + 1]
            opens = label in ("byline", "date") or (following.n_words >= BODY_WORDS and label != "tags")
        else:
            opens = bool(
                parse_byline(following.text)
                or parse_dateline(following.text)
                or (following.n_words >= BODY_WORDS and not parse_tag_line(following.text))
            )
        if opens:
            headlines.add(line.key)
    return frozenset(
        key
        for key, where in positions.items()
        if len(where) >= 2 and where[-1] - where[0] >= min_distance and key not in headlines
    )


#: Lines on either side of a paragraph repeated across pages that are taken to belong to the
#: same repeated article (its title, byline, tags, captions), not to the site template.
REPEATED_ARTICLE_WINDOW = 4


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
    if rules.matches("caption", line.text):
        return "text"  # a photo credit ("Alex Wong | Getty Images"): the body's readers set it and its caption apart
    if line.n_words <= MAX_CHROME_WORDS and (
        line.key in page_template or line.key in rules.template_lines or rules.matches("chrome", line.text)
    ):
        return "chrome"
    if (
        line.n_words == 0
        or looks_like_code(line.text)
        or looks_like_boilerplate(line.text)
        or looks_like_link_run(line.text)
    ):
        return "chrome"  # a line of only punctuation or symbols ("•", "***", "»"), an inline script, a site index
    return "text"


def line_labels(lines: Sequence[Line], rules: Rules) -> list[str]:
    """:func:`classify_line` of every line of a page, with the lines the page repeats (:func:`repeated_lines`).

    Parameters
    ----------
    lines : sequence of Line
        A page's lines.
    rules : Rules
        Segmentation rules.

    Returns
    -------
    list of str
        One label per line, before :func:`classify_page` reads the lines around each.
    """
    labels = [classify_line(line, rules, frozenset()) for line in lines]
    return _with_template(lines, labels, repeated_lines(lines, labels=labels))


def _with_template(lines: Sequence[Line], labels: Sequence[str], template: Set[str]) -> list[str]:
    """What :func:`classify_line` gives once ``template`` lines are known: a short text line among them is chrome."""
    return [
        "chrome" if label == "text" and line.n_words <= MAX_CHROME_WORDS and line.key in template else label
        for line, label in zip(lines, labels, strict=True)
    ]


def classify_page(lines: Sequence[Line], rules: Rules, labels: Sequence[str] | None = None) -> list[str]:
    """Label every line of a page (see :func:`classify_line`), then a bare name above a date.

    Parameters
    ----------
    lines : sequence of Line
        A page's lines.
    rules : Rules
        Segmentation rules.
    labels : sequence of str, optional
        The lines' :func:`line_labels`, computed under these rules or under the same rules
        without template lines (a first pass over the corpus, before its template lines were
        known): a short line labelled ``text`` that is a template line becomes ``chrome``,
        which is all that template lines change in :func:`classify_line`. Computed here when
        None.

    Returns
    -------
    list of str
        One label per line; "Jenny Park" (or "Jenny Park and Tom Lee") between a headline and
        "9 March 2022" is a byline; a date's label with no date under it ("Updated" over a
        teaser) is chrome.
    """
    kinds = line_labels(lines, rules) if labels is None else _with_template(lines, labels, rules.template_lines)
    for i in range(1, len(lines) - 1):
        if kinds[i] == "text" and kinds[i + 1] == "date" and kinds[i - 1] == "text" and looks_like_names(lines[i].text):
            kinds[i] = "byline"
    for i, line in enumerate(lines):
        if kinds[i] == "date" and is_date_label(line.text) and not _dated_below(lines, kinds, i):
            kinds[i] = "chrome"  # "Updated" flagging a teaser, no date under it
    return mark_navigation(lines, kinds)


def _dated_below(lines: Sequence[Line], kinds: Sequence[str], index: int) -> bool:
    """Whether the line under a date's label carries the date (or a byline printed with it)."""
    after = index + 1
    return after < len(lines) and (kinds[after] in ("date", "byline") or mentions_date(lines[after].text))


def _opens_article(lines: Sequence[Line], kinds: Sequence[str], index: int) -> bool:
    """Whether the line after ``index`` shows it is a headline: a credit, or a paragraph of prose."""
    following = index + 1
    if following >= len(lines):
        return False
    if kinds[following] in CREDIT_KINDS:
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


#: Line kinds that credit an article.
CREDIT_KINDS = ("byline", "date")
#: Line kinds that belong to the page around the articles: a run of them cuts the page.
FURNITURE_KINDS = ("chrome", "navigation", "comment")


def _starts_article(lines: Sequence[Line], kinds: Sequence[str], index: int, blank_separates: bool) -> bool:
    """Whether a headline-shaped line opens a new article even without chrome before it."""
    line = lines[index]
    if kinds[index] != "text" or not line.heading_shaped:
        return False
    after = index + 1
    while after < len(lines) and kinds[after] in CREDIT_KINDS:
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
        if kind in FURNITURE_KINDS or (
            kind in CREDIT_KINDS and index + 1 < len(lines) and kinds[index + 1] in FURNITURE_KINDS
        ):
            end = index
            while end < len(lines) and kinds[end] in (*FURNITURE_KINDS, *CREDIT_KINDS):
                end += 1
            run = range(index, end)
            chrome_at = [i for i in run if kinds[i] in FURNITURE_KINDS]
            if not chrome_at:
                pieces[-1].extend(run)
            else:
                pieces[-1].extend(i for i in run if i < chrome_at[0] or kinds[i] in FURNITURE_KINDS)
                # every credit after the first chrome line goes with the next article, also one
                # between two chrome lines ("Share / By Jane Doe / Advertisement"), lost before
                pieces.append([i for i in run if i > chrome_at[0] and kinds[i] not in FURNITURE_KINDS])
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
        carries a labelled tag line or a "Related" list (printed after the share buttons), or
        when it opens with a credit (a date, a name) under a piece with no body (its headline).
    """

    def bodiless(piece: list[int]) -> bool:
        return not any(kinds[i] == "text" and not lines[i].heading_shaped for i in piece)

    merged: list[list[int]] = []
    for piece in pieces:
        content = [i for i in piece if kinds[i] in ("text", "tags")]
        headless = not content or (kinds[content[0]] == "text" and not lines[content[0]].heading_shaped)
        trailer = (
            bodiless(piece)
            and not any(kinds[i] in CREDIT_KINDS for i in piece)
            and any(kinds[i] == "tags" and is_labelled_tag_line(lines[i].text) for i in piece)
        )
        # a headline and its author cut off by a separator ("/") from the date under them
        credited = bool(content) and bool(merged) and bodiless(merged[-1]) and looks_like_credit(lines[content[0]].text)
        if merged and (headless or trailer or credited):
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
        while above and looks_like_credit(text_lines[above[-1]].text):
            above.pop()  # the authors' names printed above their outlet's
        if above and text_lines[above[-1]].heading_shaped:
            return above[-1], []
    opening = 0
    while opening < min(len(text_lines), 4) and text_lines[opening].heading_shaped:
        opening += 1
    while opening > 1 and looks_like_credit(text_lines[opening - 1].text):
        opening -= 1  # a name, a date or a handle under the title that was not labelled a credit
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
    if min(a.n_words, b.n_words) < 6:
        return False  # a line has no more content words than words
    wa, wb = content_words(a.text), content_words(b.text)
    if min(len(wa), len(wb)) < 6:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= NEAR_DUPLICATE_CONTAINMENT


#: A slide show's counter glued to its caption by a dump ("1of4Grass Valley's ...").
_GLUED_GALLERY_COUNTER = re.compile(r"\d{1,3}\s?of\s?\d{1,3}(?=[A-Z“\"‘'])")


def _after_gallery_counter(body: Sequence[Line], i: int) -> bool:
    """Whether line ``i`` is a slide's caption: it follows the slide show's counter ("1" "of" "4",
    the "of" left out of the body as chrome), or the counter is glued to it."""
    if _GLUED_GALLERY_COUNTER.match(body[i].text):
        return True
    return i >= 2 and body[i - 1].text.isdigit() and body[i - 2].text.isdigit() and body[i].n_words >= 4


#: This many short unterminated lines in a row are the items of a list, not caption titles
#: over their captions (a caption and its title, or two captioned pictures in a row, with a
#: subheading beside them make fewer).
MIN_LIST_ITEMS = 5


def _in_list(body: Sequence[Line], i: int, captions: set[int]) -> bool:
    """Whether lines ``i`` and ``i + 1`` of a body are items of a list: with their neighbours, at
    least :data:`MIN_LIST_ITEMS` lines in a row of at most :data:`MAX_NAVIGATION_WORDS` words,
    none ending a sentence, naming things as a headline does (:func:`names_things`) or found a
    caption already ("Walk the east bank – note where the old wall leaks", "Ask the river
    authority for the anchoring plan", ...)."""

    def item(j: int) -> bool:
        return (
            0 <= j < len(body)
            and j not in captions
            and body[j].n_words <= MAX_NAVIGATION_WORDS
            and not is_terminated(body[j].text)
            and not names_things(body[j].text)  # a box of headlines ("More", "Don't miss")
        )

    if not (item(i) and item(i + 1)):
        return False
    first, last = i, i + 1
    while item(first - 1):
        first -= 1
    while item(last + 1):
        last += 1
    return last - first + 1 >= MIN_LIST_ITEMS


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
        A line is a caption when it starts like one ("Photo: ..."), when a slide show's
        counter stands before it ("1 of 4"), when a run of
        :data:`IMAGE_GAP_BLANK_LINES` blank lines (the image) follows it, when it is an
        unterminated line right after a caption title, when a photo credit follows it, or
        when it restates its neighbour (the first of the two is the caption). A short
        sentence-case line just before a caption is that caption's title.
    """
    captions: set[int] = set()
    for i, line in enumerate(body):
        if _after_gallery_counter(body, i):
            captions.add(i)
            captions.update(j for j in (i - 2, i - 1) if j >= 0 and body[j].text.isdigit())  # the counter
        elif rules.matches("caption", line.text):
            captions.add(i)
            credit = _CREDIT.fullmatch(line.text) or _AGENCY_CREDIT.search(line.text)
            if (
                i > 0
                and line.n_words <= MAX_PHOTO_CREDIT_WORDS
                and credit
                and body[i - 1].n_words <= MAX_CREDITED_CAPTION_WORDS
            ):
                captions.add(i - 1)
        elif line.blanks_after >= IMAGE_GAP_BLANK_LINES and line.n_words <= 80 and i + 1 < len(body):
            captions.add(i)
    titles: set[int] = set()
    for i in range(len(body) - 1):
        first, second = body[i], body[i + 1]
        if {i, i + 1} & (captions | titles) or is_terminated(second.text) or second.n_words < 8:
            continue
        if _in_list(body, i, captions):
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


def is_cut_off_teaser(line: Line) -> bool:
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
        title, or follows a "Related posts" label; headings left at the very end of a
        body, with no text after them; and runs of headings under kickers in capitals
        (:func:`_kicker_runs`).
    """
    links: set[int] = set()
    in_related_list = False
    for i, line in enumerate(body):
        prefix = line.text.split(":", 1)[0].casefold().strip() if ":" in line.text else ""
        if line.n_words <= 25 and rules.matches("related", line.text):
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
    while end > 0 and (end - 1 in links or body[end - 1].heading_shaped or is_cut_off_teaser(body[end - 1])):
        links.add(end - 1)
        end -= 1
    return links | _kicker_runs(body)


#: A box of links inside a body: at least this many headings in a row ...
MIN_KICKER_RUN = 6
#: ... of which at least this share are kickers in capitals ("RANDY ANDY", "‘NAÏVE AND TRUSTING’").
KICKER_SHARE = 0.4


def _kicker_runs(body: Sequence[Line]) -> set[int]:
    """Positions of runs of headings with kickers in capitals above them: a box of teasers
    dropped into a body ("TIME TRAVELLER" / "Conspiracy theorists say ..."), not subheadings,
    which are followed by paragraphs."""
    found: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*body, None]):
        if line is not None and line.heading_shaped and line.n_words <= MAX_CAPTION_TITLE_WORDS + 3:
            run.append(i)
            continue
        kickers = [j for j in run if body[j].text.isupper()]
        if len(run) >= MIN_KICKER_RUN and len(kickers) >= KICKER_SHARE * len(run):
            found.update(run)
        run = []
    return found


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
    credit_number = next((l.number for l, k in zip(lines, kinds) if k in CREDIT_KINDS), None)
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
        if line.text not in caption_texts and not line.text.isdigit():  # a slide show's counter is no caption
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


def page_lines(text: str, rules: Rules) -> tuple[list[Line], list[str], list[Line]]:
    """A scraped page's lines and their labels, as :func:`segment_page` reads them.

    Hover cards are set apart, a dump with a break after every element is re-joined into
    paragraphs, and the labels learned from the page's site (``rules.known_labels``) are used
    when they are of these lines.

    Returns
    -------
    tuple
        ``(lines, kinds, hover_cards)``.
    """
    lines, cards = drop_hover_cards(split_lines(text))
    known = rules.known_labels.get(page_digest(text)) if rules.known_labels else None
    if is_element_dump(lines):
        lines, known = rejoin_fragments(lines), None  # the labels were of the lines before re-joining
    labels = decode_labels(known) if known is not None and len(known) == len(lines) else None
    return lines, classify_page(lines, rules, labels), cards


#: A page without menus whose one article is read whole (:func:`segment_page`) keeps the whole
#: reading when it agrees on the headline only if it holds this share of the body's words: the
#: other reading keeps a body that code or a long list cut in two.
MIN_WHOLE_READING_SHARE = 0.9


def _body_words(article: Segment) -> int:
    """How many words an article's paragraphs hold."""
    return sum(count_words(paragraph) for paragraph in article.paragraphs)


#: Comment headers this many lines apart or closer head one comment section ("Discussion about
#: this post", then "Comments").
COMMENT_SECTION_HEADERS_REACH = 3


def _one_comment_section(lines: Sequence[Line]) -> bool:
    """Whether a page has one comment section with two headers or more, all together
    ("Discussion about this post", then "Comments"): one article with its readers' comments
    under it, to be read as a page saved whole when it has no menus; not a blog's index with a
    "Leave a comment" link under every post, nor a listing with one "3 Comments" under an item."""
    return comment_section_heads(lines, range(len(lines)))


def comment_section_heads(lines: Sequence[Line], positions: Sequence[int]) -> bool:
    """Whether the lines at ``positions`` head a comment section: two comment headers or more,
    all within :data:`COMMENT_SECTION_HEADERS_REACH` lines ("Discussion about this post", then
    "Comments"); a lone "Comments" may be a share bar's button."""
    headers = [i for i in positions if is_comment_header(lines[i].text)]
    return len(headers) >= 2 and headers[-1] - headers[0] <= COMMENT_SECTION_HEADERS_REACH


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
    lines, kinds, cards = page_lines(text, rules)
    card_lines = [RemovedLine(card.text, card.number, RemovalReason.CHROME) for card in cards]
    # imported here: the whole-page reader builds on this module's line readers
    from analysis.ingest.wholepage import read_whole_page

    if "navigation" in kinds or _one_comment_section(lines):
        articles, removed = read_whole_page(lines, kinds, rules)
        return articles, [*card_lines, *removed]
    pieces = merge_fragments(split_pieces(lines, kinds), lines, kinds)
    sites = site_names(lines)
    titles = set()
    for piece in pieces:
        text_lines = [lines[i] for i in piece if kinds[i] == "text"]
        credit = next((lines[i].number for i in piece if kinds[i] in CREDIT_KINDS), None)
        at = _header(text_lines, credit)[0]
        if at >= 0:
            titles.add(text_lines[at].key)
    articles: list[Segment] = []
    page_removed: list[RemovedLine] = list(card_lines)
    for piece in pieces:
        segment, removed = read_piece(
            [lines[i] for i in piece], [kinds[i] for i in piece], rules, sites, frozenset(titles)
        )
        if segment is None:
            page_removed.extend(removed)
        else:
            articles.append(segment)
    if len(articles) == 1:
        # one article on a page without menus: a post saved whole (a blog's, a newsletter's),
        # its headline among the lines above its body, not necessarily the first line
        whole, removed = read_whole_page(lines, kinds, rules)
        if len(whole) == 1 and (
            whole[0].title != articles[0].title
            or _body_words(whole[0]) >= MIN_WHOLE_READING_SHARE * _body_words(articles[0])
        ):
            return whole, [*card_lines, *removed]
    return articles, page_removed
