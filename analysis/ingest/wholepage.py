"""Read a page saved whole: menus, sidebars, comments and footer around one article.

A browser's "save as text", or a scraper's dump of a page's visible text, keeps everything a
reader sees. :func:`read_whole_page` finds the page's article among it: blocks of prose are
found, comment threads and lists of teasers set aside, the largest block (one headed by a
credited headline counting more) taken with the blocks that continue it, and each such span
read as an article (:mod:`analysis.ingest.articlepiece`: its headline chosen by evidence, its
trailer of About us, footnotes and related links cut off). A file holding several pages one
after another gives one article per page (where pages end: :mod:`analysis.ingest.pagebreaks`). Everything else is removed with its reason, as
:func:`analysis.ingest.segment.segment_page` does for listings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from analysis.ingest.articlepiece import MAX_LIST_LINES, article_pieces, written_as_phrases
from analysis.ingest.headline import (
    MAX_STANDFIRST_WORDS,
    TITLE_WINDOW,
    credit_like,
    credited,
)
from analysis.ingest.lines import Line
from analysis.ingest.pagebreaks import (
    COPYRIGHT_LINE,
    MIN_SECOND_ARTICLE_WORDS,
    SECOND_ARTICLE_SHARE,
    page_regions,
    split_at_page_breaks,
)
from analysis.ingest.prose import TEASER_WORDS, content_bag, cosine, is_prose, prose_words
from analysis.ingest.reasons import RemovalReason
from analysis.ingest.recognise import (
    is_comment_header,
    is_labelled_tag_line,
    is_terminated,
    looks_like_credit,
    parse_byline,
)
from analysis.ingest.rules import Rules
from analysis.ingest.segment import (
    CREDIT_KINDS,
    NAVIGATION_RUN,
    RemovedLine,
    Segment,
    comment_section_heads,
    is_cut_off_teaser,
    read_piece,
    site_names,
)
from analysis.ingest.trailer import is_trailer_heading

#: Non-prose lines (subheadings, captions, stray labels) a body can hold between two paragraphs.
MAX_BODY_GAP_LINES = 8
#: A block of prose smaller than this is a teaser, a comment or a sidebar, not an article.
MIN_ARTICLE_WORDS = 30


#: A comment header that counts the comments ("8 COMMENTS") or invites one ("Leave a reply"),
#: unlike a bare "Comments", which may be a button.
_COUNTED_OR_INVITING = re.compile(r"(?i)\W*(?:.*\d|(?:leave|post|add|write) a |join the )")


def _heads_comment_section(lines: Sequence[Line], kinds: Sequence[str], index: int) -> bool:
    """Whether line ``index`` heads the page's comment section: a header that counts or invites
    comments ("8 Comments", "Leave a reply"), alone in its stretch of the page (a box of teasers
    prints a count under every item, "3 comments", "5 comments")."""
    if not (_COUNTED_OR_INVITING.match(lines[index].text) and opens_comments(lines, kinds, index)):
        return False
    near = range(max(0, index - MAX_BODY_GAP_LINES), min(len(lines), index + MAX_BODY_GAP_LINES + 1))
    return not any(is_comment_header(lines[j].text) for j in near if j != index)


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
        byline or date), a copyright footer (the end of a saved page), a comment section's
        header (:func:`_heads_comment_section`) or more than :data:`MAX_BODY_GAP_LINES` other lines stand
        between them.
    """
    prose = [
        i
        for i, (line, kind) in enumerate(zip(lines, kinds))
        if is_prose(line, kind) and not (line.n_words <= MAX_STANDFIRST_WORDS and credited(lines, kinds, i, len(lines)))
    ]
    blocks: list[tuple[int, int]] = []
    for i in prose:
        if blocks:
            start, end = blocks[-1]
            gap = range(end + 1, i)
            others = [j for j in gap if kinds[j] not in ("chrome",)]
            if (
                len(others) <= MAX_BODY_GAP_LINES
                and not any(kinds[j] in ("navigation", "comment", *CREDIT_KINDS) for j in gap)
                and not any(kinds[j] == "tags" and not is_labelled_tag_line(lines[j].text) for j in gap)
                and not any(COPYRIGHT_LINE.fullmatch(lines[j].text) for j in gap)
                and not any(_heads_comment_section(lines, kinds, j) for j in gap)
            ):
                blocks[-1] = (start, i)
                continue
        blocks.append((i, i))
    return [
        (a, _closing_sentences(lines, kinds, b))
        for a, b in blocks
        if prose_words(lines, kinds, (a, b)) >= MIN_ARTICLE_WORDS
    ]


#: A body's last paragraph may be a short sentence ("“Wild Rose” is now available on DVD."):
#: this many of them right under the last paragraph still belong to it.
MAX_CLOSING_SENTENCES = 1
#: ... each of at least this many words (a lone "Thanks!" or "Enjoy." is a sign-off, not text).
MIN_CLOSING_WORDS = 5


def _closing_sentences(lines: Sequence[Line], kinds: Sequence[str], end: int) -> int:
    """The last line of a block with the short sentences right under its last paragraph."""
    after = end + 1
    while (
        after < len(lines)
        and after - end <= MAX_CLOSING_SENTENCES
        and kinds[after] == "text"
        and lines[after].blanks_before <= 1
        and lines[after].n_words >= MIN_CLOSING_WORDS
        and is_terminated(lines[after].text)
        and not lines[after].heading_shaped
    ):
        after += 1
    return after - 1


#: A block of prose where every heading is followed by at most this many paragraphs on
#: average, each this short, is a list of teasers ("Read these next"), not an article.
TEASER_PARAGRAPHS_PER_HEADING = 1.5


#: A block that opens with this many paragraphs before its first heading is an article with an
#: introduction (a listicle, a guide): a list of teasers opens with one teaser's summary.
MIN_INTRODUCTION_PARAGRAPHS = 3


#: A teaser's summary stands at most this many lines under its headline (its credit between them).
TEASER_SUMMARY_REACH = 3


def _summary_follows(lines: Sequence[Line], kinds: Sequence[str], heading: int, paragraphs: set[int]) -> bool:
    """Whether a paragraph follows line ``heading`` directly or past its credit ("16 hours ago
    on", "Mac Blog", "By Ana Ruiz")."""
    for j in range(heading + 1, min(heading + 1 + TEASER_SUMMARY_REACH, len(lines))):
        if j in paragraphs:
            return True
        if not (kinds[j] in CREDIT_KINDS or looks_like_credit(lines[j].text) or lines[j].n_words <= 3):
            return False
    return False


#: A list whose items carry this many credits of their own is teasers, not a list article.
MIN_CREDITED_TEASERS = 3


#: The signature of an embedded post ("— Dianna E. Anderson (@diannaeanderson)"), its date under
#: it or after it on the line ("— Los Angeles Rams (@RamsNFL) December 22, 2023").
_EMBED_ATTRIBUTION = re.compile(r"\s*[—–-]\s*.{1,80}\(@\w+\)(?:\s+\w[\w .,]{0,30}\d{4})?\s*")


def _items_credited(lines: Sequence[Line], kinds: Sequence[str], start: int, end: int) -> bool:
    """Whether at least :data:`MIN_CREDITED_TEASERS` headings of a block have a credit under them
    ("16 hours ago on iOS Blog"): each item is another article's teaser, whatever stands above."""
    credited = [
        j
        for j in range(start, end)
        if kinds[j] in ("text", "navigation")
        and (lines[j].heading_shaped or is_cut_off_teaser(lines[j]))
        and lines[j].n_words >= 4
        and not looks_like_credit(lines[j].text)
        and (kinds[j + 1] in CREDIT_KINDS or looks_like_credit(lines[j + 1].text))
        and not _EMBED_ATTRIBUTION.fullmatch(lines[j + 1].text)  # an embedded post, signed and dated
    ]
    return len(credited) >= MIN_CREDITED_TEASERS


#: A block of at least this many long lines, nearly all of them unfinished sentences, is a
#: list of headlines ("Don't miss", a news ticker), not an article's paragraphs.
MIN_HEADLINES_ALONE = 5
#: ... "nearly all": at least this share of them end without a sentence's closing mark.
HEADLINES_ALONE_SHARE = 0.8


def headlines_alone(lines: Sequence[Line], kinds: Sequence[str], start: int, end: int) -> bool:
    """Whether the long lines of a block are headlines printed one under another: at least
    :data:`MIN_HEADLINES_ALONE` of them, and :data:`HEADLINES_ALONE_SHARE` end without a full
    stop (an article's paragraphs end as sentences; a list article's items have summaries)."""
    paragraphs = [j for j in range(start, end + 1) if is_prose(lines[j], kinds[j])]
    if len(paragraphs) < MIN_HEADLINES_ALONE:
        return False
    unfinished = sum(not is_terminated(lines[j].text) for j in paragraphs)
    return unfinished >= HEADLINES_ALONE_SHARE * len(paragraphs)


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
        True when the block has three or more headings of four words or more (a line cut
        off with "..." counts as a heading, not as a paragraph), at most
        :data:`TEASER_PARAGRAPHS_PER_HEADING` paragraphs per heading, and paragraphs of
        :data:`TEASER_WORDS` words or fewer on average. An article's subheadings head several
        longer paragraphs each, and an article may open with :data:`MIN_INTRODUCTION_PARAGRAPHS`
        paragraphs or more before its first subheading; never a list of teasers.
    """
    block = [j for j in range(start, end + 1) if kinds[j] == "text"]
    # a headline cut off with "..." is a heading, however long: never a paragraph
    paragraphs = [j for j in block if is_prose(lines[j], kinds[j]) and not is_cut_off_teaser(lines[j])]
    headings = [
        j
        for j in block
        if (lines[j].heading_shaped or is_cut_off_teaser(lines[j]))
        and lines[j].n_words >= 4
        and _summary_follows(lines, kinds, j, set(paragraphs))
    ]
    if len(headings) < 3 or not paragraphs:
        return False
    if sum(j < headings[0] for j in paragraphs) >= MIN_INTRODUCTION_PARAGRAPHS:
        return False  # an introduction before the first subheading: an article, not a teaser's summary
    mean_words = sum(lines[j].n_words for j in paragraphs) / len(paragraphs)
    return len(paragraphs) <= TEASER_PARAGRAPHS_PER_HEADING * len(headings) and mean_words <= TEASER_WORDS


def _in_comments(lines: Sequence[Line], kinds: Sequence[str], gap: range, inside: bool, after_article: bool) -> bool:
    """Whether the block after ``gap`` stands in a comment section.

    A comment's credit ("Alex on May 3, 2019 said:") opens one, and so does a comment header
    ("12 Comments", "Leave a Reply") once an article has been read, unless it is a button in
    a bar of them or in an article's header; navigation closes it.
    """
    for j in gap:
        if kinds[j] == "navigation":
            inside = False
        elif kinds[j] == "comment" or (after_article and opens_comments(lines, kinds, j)):
            inside = True
    return inside


def opens_comments(lines: Sequence[Line], kinds: Sequence[str], index: int) -> bool:
    """Whether line ``index`` is a comment section's header ("8 Comments", "Leave a Reply"), not
    a label ("Comment:" over a paragraph), a button in a bar of them or in an article's header."""
    return (
        kinds[index] in ("text", "chrome")
        and is_comment_header(lines[index].text)
        and not lines[index].text.rstrip().endswith(":")
        and not _in_button_bar(kinds, index)
        and not _under_credit(lines, kinds, index)
    )


def _in_button_bar(kinds: Sequence[str], index: int) -> bool:
    """Whether line ``index`` stands between two chrome lines: a button ("Comments") among
    "Twitter", "Print" and "Email", not the header of a comment section."""
    return 0 < index < len(kinds) - 1 and kinds[index - 1] == kinds[index + 1] == "chrome"


#: A comment count this many lines under a byline or date is the article header's button.
HEADER_BUTTON_REACH = 6


def _under_credit(lines: Sequence[Line], kinds: Sequence[str], index: int) -> bool:
    """Whether line ``index`` stands a few lines under a byline or date with at most one paragraph
    between them: "39 / View / comments" in the share bar of an article's header, above its body."""
    paragraphs = 0
    for j in range(index - 1, max(-1, index - 1 - HEADER_BUTTON_REACH), -1):
        if kinds[j] in CREDIT_KINDS:
            return True
        paragraphs += is_prose(lines[j], kinds[j])
        if paragraphs > 1:  # under a body, not in its header (a caption or a standfirst is one paragraph)
            return False
    return False


#: "5 Min Read": printed under a headline, with its byline, like a date.
_READING_TIME = re.compile(r"(?i)\W*\d+\s*min(?:ute)?s?\.?\s+read\W*")


def _credited_headline_before(lines: Sequence[Line], kinds: Sequence[str], start: int, floor: int) -> bool:
    """Whether a headline with a credit under it (byline or date) stands between ``floor`` and
    ``start``; the headline may stand above ``floor`` when only its standfirst (one short
    paragraph, the block before) comes between them."""
    standfirst = 0 < floor and kinds[floor - 1] == "text" and lines[floor - 1].n_words <= TEASER_WORDS
    highest = floor - 2 if standfirst else floor  # the line above the standfirst
    for i in range(max(floor, start - TITLE_WINDOW), start):
        if _in_brackets(lines[i]):
            continue  # "(Published Monday, Nov. 18, 2019)": an embedded video's date, not the page's
        if (kinds[i] in CREDIT_KINDS or _READING_TIME.fullmatch(lines[i].text)) and any(
            kinds[j] in ("text", "navigation") and lines[j].heading_shaped and j != floor - 1
            for j in range(max(highest, i - 3), i)
        ):
            return True
        # a dated line the labels missed ("21/06/2014 Tony Carter All, Books"), right under a headline
        if (
            i - 1 >= max(floor, 0)
            and kinds[i] in ("text", "navigation")
            and credit_like(lines[i], kinds[i])
            and kinds[i - 1] in ("text", "navigation")
            and lines[i - 1].heading_shaped
            and lines[i - 1].n_words >= 4
            and not credit_like(lines[i - 1], kinds[i - 1])
        ):
            return True
    return False


#: A block under a headline with a byline or date weighs this many times its words when the
#: page's article is chosen among its blocks of prose.
CREDITED_WEIGHT = 3


def main_blocks(
    lines: Sequence[Line],
    kinds: Sequence[str],
    blocks: Sequence[tuple[int, int]],
    regions: Sequence[tuple[int, int]],
) -> list[tuple[int, int]]:
    """The block of prose that is each saved page's article.

    Parameters
    ----------
    lines, kinds : sequences
        The file's lines and labels.
    blocks : sequence of (int, int)
        From :func:`prose_blocks`.
    regions : sequence of (int, int)
        The saved pages, from :func:`page_regions`.

    Returns
    -------
    list of (int, int)
        One block per page of ``regions`` that has one: the largest, a block headed by
        a credited headline (the byline or date a page prints under its own article) counting
        :data:`CREDITED_WEIGHT` times its size. Past the file's first article, a page's block
        needs a credited headline or :data:`MIN_SECOND_ARTICLE_WORDS` words (the small print
        under a footer is no page). A credited block that would be a second article but opens
        the uncredited article below it, cut off by a table or code, extends that article
        upwards instead (:func:`_heads_article_below`). Sidebars, teasers, comments and "about
        us" boxes are the other blocks.
    """
    chosen = []
    for first, last in regions:
        inside = [b for b in blocks if first <= b[0] <= last]
        if not inside:
            continue
        floors = [first] + [b[1] + 1 for b in inside[:-1]]
        credited = [b for b, floor in zip(inside, floors) if _credited_headline_before(lines, kinds, b[0], floor)]
        size = {b: prose_words(lines, kinds, b) for b in inside}
        remaining = list(inside)
        first_article = True
        first_words = 0
        first_parts: list[tuple[int, int]] = []
        while remaining:
            main = max(remaining, key=lambda b: (size[b] * (CREDITED_WEIGHT if b in credited else 1), -b[0]))
            parts = _continuations(lines, kinds, remaining, main)
            remaining = [b for b in remaining if b not in parts]
            words = sum(size[b] for b in parts)
            second = words >= max(MIN_SECOND_ARTICLE_WORDS, SECOND_ARTICLE_SHARE * first_words)
            # the file's first article is always taken; a page saved after it (past a footer) has one
            # only with a credit or of some length: the small print under a footer is no page
            page_article = not chosen or parts[0] in credited or words >= MIN_SECOND_ARTICLE_WORDS
            if (first_article and page_article) or (
                parts[0] in credited and second and not _credited_teasers(parts, credited, size)
            ):
                if first_parts and _heads_article_below(lines, kinds, parts, first_parts, credited):
                    at = chosen.index((first_parts[0][0], first_parts[-1][1]))
                    first_parts = [*parts, *first_parts]
                    chosen[at] = (first_parts[0][0], first_parts[-1][1])
                else:
                    chosen.append((parts[0][0], parts[-1][1]))
                    first_parts = first_parts or (parts if first_article else [])
                first_words = first_words or words
            first_article = False
    return sorted(chosen)


def _heads_article_below(
    lines: Sequence[Line],
    kinds: Sequence[str],
    parts: Sequence[tuple[int, int]],
    below: Sequence[tuple[int, int]],
    credited: Sequence[tuple[int, int]],
) -> bool:
    """Whether blocks under a credited headline are the opening of the saved page's article whose
    longer, uncredited part stands below them (``below``, taken first for its size), cut off by
    code, a list or a table too long to bridge: the blocks stand above it with no other credited
    block, no comment, no copyright line and no credited headline (:func:`_headline_with_credit`:
    another page's or story's head) between them, and speak of its subject
    (:data:`MIN_SECTION_SIMILARITY`)."""
    gap = range(parts[-1][1] + 1, below[0][0])
    if below[0] in credited or gap.start > gap.stop:
        return False
    if any(gap.start <= b[0] < gap.stop for b in credited) or any(
        kinds[j] == "comment" or COPYRIGHT_LINE.fullmatch(lines[j].text) or _headline_with_credit(lines, kinds, j)
        for j in gap
    ):
        return False
    bag_above = sum((content_bag(lines, kinds, b) for b in parts), Counter())
    bag_below = sum((content_bag(lines, kinds, b) for b in below), Counter())
    return cosine(bag_above, bag_below) >= MIN_SECTION_SIMILARITY


#: A headline stands at most this many lines above or below its credit.
HEADLINE_CREDIT_REACH = 2
#: ... and has at least this many words (a table's row label over a date cell has fewer).
MIN_CREDITED_HEADLINE_WORDS = 4


def _headline_with_credit(lines: Sequence[Line], kinds: Sequence[str], index: int) -> bool:
    """Whether line ``index`` is a headline's credit (a byline or a date): a heading-shaped line of
    text of :data:`MIN_CREDITED_HEADLINE_WORDS` words or more stands at most
    :data:`HEADLINE_CREDIT_REACH` lines above or below it (some pages print the date first).
    An embedded post's date under its signature ("— Name (@handle)") is no headline's credit."""
    if index > 0 and _EMBED_ATTRIBUTION.fullmatch(lines[index - 1].text):
        return False
    return kinds[index] in CREDIT_KINDS and any(
        kinds[j] == "text" and lines[j].heading_shaped and lines[j].n_words >= MIN_CREDITED_HEADLINE_WORDS
        for j in range(max(0, index - HEADLINE_CREDIT_REACH), min(len(lines), index + HEADLINE_CREDIT_REACH + 1))
        if j != index
    )


def _credited_teasers(
    parts: Sequence[tuple[int, int]], credited: Sequence[tuple[int, int]], size: dict[tuple[int, int], int]
) -> bool:
    """Whether blocks that follow one another are teasers, each a short summary under its own
    credited headline ("Recommended Articles": headline, byline, one paragraph), not an article."""
    own_credit = [b for b in parts if b in credited]
    return len(own_credit) >= 3 and sum(size[b] for b in parts) / len(parts) <= TEASER_WORDS


#: An article's text may be interrupted by this many lines (a "Related" box, an embedded post)
#: and go on below them.
MAX_INTERRUPTION_LINES = 12
#: ... or :data:`~analysis.ingest.articlepiece.MAX_LIST_LINES`, when the paragraph before
#: announces a list ("... looked like this:").
#: ... or this many lines without prose, when the block beyond speaks of what the article speaks
#: of (a buying guide's comparison table, dumped a cell to a line, runs past a hundred lines).
MAX_SECTION_GAP_LINES = 150
#: Cosine similarity of content words above which a block is of the main block's article.
MIN_SECTION_SIMILARITY = 0.2
#: ... and above which it is, even when a line of prose stands in the run between.
MIN_SECTION_SIMILARITY_OVER_PROSE = 0.4
#: ... when it also holds a paragraph of at least this many words.
MIN_SECTION_PARAGRAPH_WORDS = 41


def _in_brackets(line: Line) -> bool:
    """A line in brackets: a caption's or an embedded video's note, never an article's credit."""
    return line.text.startswith("(") and line.text.endswith(")")


def _dated_credit(line: Line, kind: str) -> bool:
    """A credit with a date: the byline of another article, not of a box inside this one
    (nor the bracketed date of an embedded video)."""
    if _in_brackets(line):
        return False
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
    between (:data:`MAX_LIST_LINES` under a paragraph ending in a colon, or when they hold a list
    written as phrases, :func:`_holds_a_list`, and the block speaks of the main block's subject,
    :data:`MIN_SECTION_SIMILARITY`), none of them a comment,
    a footer or a dated credit (but the date of an embedded post), and, below the main block, no
    comment section's headers (:func:`~analysis.ingest.segment.comment_section_heads`): an
    article cut by a box of links, a list, an embedded post or a byline of a box inside it. Up to
    :data:`MAX_SECTION_GAP_LINES` lines without prose may stand between when the block speaks of
    the main block's subject (:func:`_sections_of_one_article`): a buying guide's sections
    between its product boxes.
    """
    at = blocks.index(main)
    topic = content_bag(lines, kinds, main)

    def interrupted(gap: range, block: tuple[int, int]) -> bool:
        announced = gap.start > 0 and lines[gap.start - 1].text.endswith(":")  # "... looked like this:"
        if (gap.start > main[1] and comment_section_heads(lines, gap)) or any(
            kinds[j] == "comment"
            or COPYRIGHT_LINE.fullmatch(lines[j].text)
            or (_dated_credit(lines[j], kinds[j]) and not _EMBED_ATTRIBUTION.fullmatch(lines[j - 1].text))
            for j in gap
        ):
            return True
        # a list the paragraph before does not announce bridges to a block of the same subject only
        listed = announced or (
            _holds_a_list(lines, kinds, gap)
            and cosine(content_bag(lines, kinds, block), topic) >= MIN_SECTION_SIMILARITY
        )
        if len(gap) <= (MAX_LIST_LINES if listed else MAX_INTERRUPTION_LINES):
            return False
        return not (len(gap) <= MAX_SECTION_GAP_LINES and _sections_of_one_article(lines, kinds, gap, block, topic))

    above: list[tuple[int, int]] = []
    for block in reversed(blocks[:at]):
        if interrupted(range(block[1] + 1, (above[0] if above else main)[0]), block):
            break
        above.insert(0, block)
    below: list[tuple[int, int]] = []
    for block in blocks[at + 1 :]:
        if interrupted(range((below[-1] if below else main)[1] + 1, block[0]), block):
            break
        below.append(block)
    return [*above, main, *below]


#: The items of a list make at least this share of the lines between two blocks (a product box
#: of labels, its repeated lines made chrome, is no list).
MIN_LIST_SHARE_OF_GAP = 0.5


def _holds_a_list(lines: Sequence[Line], kinds: Sequence[str], gap: range) -> bool:
    """Whether the lines between two blocks hold a list of the text: at least
    :data:`NAVIGATION_RUN` lines read as navigation, and :data:`MIN_LIST_SHARE_OF_GAP` of the
    lines, written as phrases
    (:func:`~analysis.ingest.articlepiece.written_as_phrases`: "Fix volatile loads and stores"),
    not a menu's names nor a box of headlines; no credit, trailer heading ("Most read") or
    credited headline stands among them."""
    if any(
        kinds[j] in CREDIT_KINDS or is_trailer_heading(lines[j].text) or _headline_with_credit(lines, kinds, j)
        for j in gap
    ):
        return False  # a "Most read" box, the next story under its byline
    items = [lines[j] for j in gap if kinds[j] == "navigation"]
    return len(items) >= max(NAVIGATION_RUN, MIN_LIST_SHARE_OF_GAP * len(gap)) and written_as_phrases(items)


def _sections_of_one_article(
    lines: Sequence[Line], kinds: Sequence[str], gap: range, block: tuple[int, int], topic: Counter[str]
) -> bool:
    """Whether a block beyond a long run of boxes (a product's pros, cons and prices in a buying
    guide; a table) is another section of the main block's article: the block speaks of what
    the main block speaks of, and the run holds no prose (a teaser's summary, another article's
    paragraph) unless the block speaks of it closely (:data:`MIN_SECTION_SIMILARITY_OVER_PROSE`:
    a product's one-line verdict between a buying guide's sections), no credit stands in the
    run (the next story on the same subject has its byline) and the block holds a paragraph of
    :data:`MIN_SECTION_PARAGRAPH_WORDS` words (a box of teasers on the same subject holds short
    summaries only); and no credited headline stands in the run, prose or not
    (:func:`_headline_with_credit`: the next story's headline need be no sentence)."""
    if any(_headline_with_credit(lines, kinds, j) for j in gap):
        return False
    similarity = cosine(content_bag(lines, kinds, block), topic)
    if any(is_prose(lines[j], kinds[j]) for j in gap):
        if any(kinds[j] in CREDIT_KINDS for j in gap):
            return False  # a byline in the run: the next story on the subject, not a section
        longest = max(lines[j].n_words for j in range(block[0], block[1] + 1) if kinds[j] == "text")
        return similarity >= MIN_SECTION_SIMILARITY_OVER_PROSE and longest >= MIN_SECTION_PARAGRAPH_WORDS
    return similarity >= MIN_SECTION_SIMILARITY


_CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
#: This many "name, then date" pairs on a page are the credits of a comment thread.
MIN_THREADCREDIT_KINDS = 3


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
        The labels; when :data:`MIN_THREADCREDIT_KINDS` or more different names (lines of at most
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
    if len({lines[i].key for i in pairs}) >= MIN_THREADCREDIT_KINDS:
        for i in pairs:
            kinds[i] = kinds[i + 1] = "comment"
    return kinds


def sort_blocks(
    lines: Sequence[Line], kinds: Sequence[str], blocks: Sequence[tuple[int, int]], floor: int = 0
) -> tuple[list[tuple[int, int]], dict[int, RemovalReason]]:
    """Set comment threads and lists of teasers apart from the blocks that may be articles.

    Parameters
    ----------
    lines, kinds : sequences
        The page's lines and labels.
    blocks : sequence of (int, int)
        From :func:`prose_blocks`: the blocks of one saved page (:func:`page_regions`).
    floor : int
        The page's first line.

    Returns
    -------
    tuple
        The candidate blocks, and the reason of every text line of the blocks set apart. A
        list of teasers under a credited headline, or on a page with nothing else, is a list
        article and stays a candidate.
    """
    candidates: list[tuple[int, int]] = []
    lists: list[tuple[int, int]] = []
    skipped: dict[int, RemovalReason] = {}
    in_comments = False
    for number, (start, end) in enumerate(blocks):
        gap = range(blocks[number - 1][1] + 1 if number else floor, start)
        in_comments = _in_comments(lines, kinds, gap, in_comments, number > 0)
        teasers = (
            headlines_alone(lines, kinds, start, end)
            or is_teaser_list(lines, kinds, start, end)
            and (
                # items credited just above the block count too: the headline's credit is one of theirs
                not _credited_headline_before(lines, kinds, start, gap.start)
                or _items_credited(lines, kinds, max(gap.start, start - TITLE_WINDOW), end)
            )
        )
        if not in_comments and not teasers:
            candidates.append((start, end))
            continue
        skipped.update(
            {
                j: RemovalReason.COMMENT if in_comments else RemovalReason.RELATED_LINK
                for j in range(start, end + 1)
                if kinds[j] == "text"
            }
        )
        if not in_comments:
            lists.append((start, end))
    if not candidates and lists:
        # a page whose only text is headings with a paragraph each is a list article ("Best gadgets")
        return lists, {j: r for j, r in skipped.items() if not any(a <= j <= b for a, b in lists)}
    return candidates, skipped


def _removed_outside(
    lines: Sequence[Line],
    kinds: Sequence[str],
    used: set[int],
    skipped: dict[int, RemovalReason],
    first_block: int | None,
) -> list[RemovedLine]:
    """Every line of the page in no article, with its reason (a comment thread's text is a comment)."""
    removed = []
    in_thread = False
    for i, (line, kind) in enumerate(zip(lines, kinds)):
        in_thread = _in_comments(lines, kinds, range(i, i + 1), in_thread, first_block is not None and i > first_block)
        if i in used:
            continue
        reason = skipped.get(i) or (
            RemovalReason(kind)
            if kind in ("chrome", "navigation", "tags", "comment")
            else RemovalReason.COMMENT
            if in_thread and kind == "text"
            else RemovalReason.NOT_AN_ARTICLE
        )
        removed.append(RemovedLine(line.text, line.number, reason))
    return removed


class PagePlan(NamedTuple):
    """Where the articles of a page saved whole stand (:func:`plan_page`)."""

    #: The line labels, comment threads marked.
    kinds: list[str]
    #: Every block of prose, as (first line, last line).
    blocks: list[tuple[int, int]]
    #: Lines of blocks set aside (comments, teaser lists), with their reasons.
    skipped: dict[int, RemovalReason]
    #: Each saved page's article body: its main block with the blocks that continue it.
    spans: list[tuple[int, int]]
    #: The saved pages the file holds, as (first line, last line).
    regions: list[tuple[int, int]]


def plan_page(lines: Sequence[Line], kinds: Sequence[str]) -> PagePlan:
    """The blocks of prose of a page saved whole and the spans of its articles' bodies
    (:func:`mark_comment_threads`, :func:`prose_blocks`, :func:`sort_blocks`, :func:`main_blocks`)."""
    kinds = mark_comment_threads(lines, kinds)
    blocks = prose_blocks(lines, kinds)
    candidates: list[tuple[int, int]] = []
    skipped: dict[int, RemovalReason] = {}
    regions = split_at_page_breaks(lines, kinds, blocks, page_regions(lines, kinds))
    for first, last in regions:
        # each saved page apart: a list article stays one whatever pages were saved beside it
        kept, set_apart = sort_blocks(lines, kinds, [b for b in blocks if first <= b[0] <= last], first)
        candidates += kept
        skipped.update(set_apart)
    return PagePlan(kinds, blocks, skipped, main_blocks(lines, kinds, candidates, regions), regions)


def _joined(parts: Sequence[Line]) -> Line:
    """One line of the lines of a headline broken in two (:func:`~analysis.ingest.articlepiece.headline_lines`)."""
    first = parts[0]
    if len(parts) == 1:
        return first
    return Line(" ".join(line.text for line in parts), first.number, first.blanks_before, parts[-1].blanks_after)


def read_whole_page(
    lines: Sequence[Line], kinds: Sequence[str], rules: Rules
) -> tuple[list[Segment], list[RemovedLine]]:
    """Read a page saved whole (menus, sidebars, footer and all): one article per saved page.

    Parameters
    ----------
    lines, kinds : sequences
        The page's lines and labels.
    rules : Rules
        Segmentation rules.

    Returns
    -------
    tuple
        ``(articles, page_removed)`` as :func:`analysis.ingest.segment.segment_page` returns
        them. Comment threads and teaser lists are set aside (:func:`sort_blocks`), each saved
        page's article is its main block with the blocks that continue it
        (:func:`main_blocks`), headed by :func:`find_headline` with the credits under it; every
        other line is removed with its reason.
    """
    kinds, blocks, skipped, spans, regions = plan_page(lines, kinds)
    for start, end in blocks:
        if not any(a <= start and end <= b for a, b in spans):
            skipped.update(
                {
                    j: RemovalReason.NOT_AN_ARTICLE
                    for j in range(start, end + 1)
                    if kinds[j] == "text" and j not in skipped
                }
            )
    pieces = article_pieces(lines, kinds, spans, rules, regions)
    for piece in pieces:
        skipped.update(piece.trailer)
    sites = site_names(lines)
    titles = frozenset(_joined([lines[j] for j in p.title_lines or p.lines[:1]]).key for p in pieces if p.lines)
    articles: list[Segment] = []
    page_removed: list[RemovedLine] = []
    used: set[int] = set()
    for piece in pieces:
        title = piece.title_lines or (piece.headline,)
        own_kinds = [
            "byline" if i == piece.byline else "text" if kinds[i] == "navigation" or i in title else kinds[i]
            for i in piece.lines
            if i not in title[1:]
        ]
        known = bool(piece.lines) and piece.lines[0] == title[0]
        own_lines = [
            _joined([lines[j] for j in title]) if i == title[0] else lines[i] for i in piece.lines if i not in title[1:]
        ]
        segment, removed = read_piece(own_lines, own_kinds, rules, sites, titles, headline_known=known)
        used.update(piece.lines)
        if segment is None:
            page_removed.extend(removed)
        else:
            rival = piece.runner_up
            runner_up = (lines[rival].text, lines[rival].number) if rival is not None else None
            articles.append(replace(segment, headline_odds=piece.headline_odds, runner_up=runner_up))
    page_removed += _removed_outside(lines, kinds, used, skipped, blocks[0][0] if blocks else None)
    return articles, sorted(page_removed, key=lambda r: r.number)
