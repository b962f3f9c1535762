"""The headline of a block of prose on a page saved whole, chosen by evidence.

A whole page prints many short lines above its article: menu items, section labels, a
kicker, share buttons, captions and their photo credits, the byline and date. The headline
is the line among them that shares most words with the article's opening and has a credit
(byline, date) close under it; :func:`find_headline` weighs that evidence, and the line
kinds here (:func:`credit_like`, :func:`title_case_headline`) are shared with
:mod:`analysis.ingest.wholepage`, which reads the rest of the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.ingest.lines import Line
from analysis.ingest.recognise import (
    MAX_HEADING_WORDS,
    content_words,
    is_terminated,
    is_title_case,
    looks_like_name,
    mentions_date,
    parse_dateline,
)
from analysis.ingest.rules import Rules
from analysis.ingest.segment import CREDIT_KINDS

#: A standfirst (the sentence between headline and byline) has at most this many words.
MAX_STANDFIRST_WORDS = 25
#: How far above its first paragraph a whole page's headline is looked for, in lines.
TITLE_WINDOW = 25


def title_case_headline(line: Line) -> bool:
    """A line short enough for a headline, most of its long words capitalised."""
    return line.n_words <= MAX_HEADING_WORDS and is_title_case(line.text)


#: Lines that are never a headline: an embedded post's signature, a comment header, a share
#: button, a photo credit, a role ("Contributing Writer", "Forbes India Staff"), a web address (a "Copy URL" box).
_NOT_A_HEADLINE = re.compile(
    r"(?i)[—–-]\s|https?://|www\.|.*\(@\w+\)|.*@\w|.*\bthoughts? on\b|\d+ (comments?|responses?)|(tweet|share|post) (on|to|this)\b|by\b"
    r"|.*\b(credit|photo(graph)?|image|getty|reuters|afp|shutterstock|illustration|courtesy)\b"
    r"|(\w+\s+){0,2}(writer|columnist|correspondent|editor|reporter|contributor)s?|(\w+\s+){1,3}staff$"
)
#: A headline's credit (byline, date) stands at most this many lines below it (a standfirst between).
CREDIT_REACH = 4


_CREDIT_LABEL = re.compile(
    r"(?i)(?:author|by|written by|published|publish(?:ed)? date|date|posted(?: on)?|updated)\s*:"
)


_HANDLE = re.compile(r"@\w")


def credit_like(line: Line, kind: str) -> bool:
    """Whether a line credits an article: a byline or dateline (also one a run of short lines made
    navigation), or a short line with a date or a handle in it."""
    if kind in CREDIT_KINDS or _CREDIT_LABEL.fullmatch(line.text) or parse_dateline(line.text):
        return True
    return line.n_words <= MAX_CREDIT_WORDS_IN_LINE and bool(
        mentions_date(line.text) or _HANDLE.search(line.text) or line.text.casefold().startswith("by ")
    )


MAX_CREDIT_WORDS_IN_LINE = 14


def _name_printed_twice(lines: Sequence[Line], index: int) -> bool:
    """Whether line ``index`` is a person's name printed again on the next or previous line
    (an author's name as a link and as text, which repetition alone made chrome)."""
    key = lines[index].key
    twin = (index > 0 and lines[index - 1].key == key) or (index + 1 < len(lines) and lines[index + 1].key == key)
    return twin and looks_like_name(lines[index].text)


def _lines_below(lines: Sequence[Line], kinds: Sequence[str], index: int, stop: int) -> list[int]:
    """The first :data:`CREDIT_REACH` lines under line ``index`` and before ``stop`` that may
    credit it: chrome (a share bar) and comments are passed over, within :data:`TITLE_WINDOW`
    lines, save an author's name printed twice."""
    below: list[int] = []
    for j in range(index + 1, min(index + 1 + TITLE_WINDOW, stop)):
        if len(below) == CREDIT_REACH:
            break
        if _around_photo_credit(lines, j):
            continue
        if kinds[j] not in ("chrome", "comment") or (kinds[j] == "chrome" and _name_printed_twice(lines, j)):
            below.append(j)
    return below


def _around_photo_credit(lines: Sequence[Line], index: int) -> bool:
    """Whether line ``index`` is a photo credit's label ("Credit..."), the caption above it or
    the photographer's name under it."""
    return any(
        0 <= j < len(lines) and _PHOTO_CREDIT_LABEL.fullmatch(lines[j].text) is not None
        for j in (index - 1, index, index + 1)
    )


def credit_distance(lines: Sequence[Line], kinds: Sequence[str], index: int, stop: int) -> int | None:
    """How many lines down the first credit (byline, date) under line ``index`` stands,
    counting only the lines of :func:`_lines_below`; None when none does before ``stop``."""
    for distance, j in enumerate(_lines_below(lines, kinds, index, stop), start=1):
        if (
            credit_like(lines[j], kinds[j])
            or _name_printed_twice(lines, j)
            or (looks_like_name(lines[j].text) and j + 1 < len(lines) and credit_like(lines[j + 1], kinds[j + 1]))
        ):
            return distance
    return None


def credited(lines: Sequence[Line], kinds: Sequence[str], index: int, stop: int) -> bool:
    """Whether a credit (byline, date) follows line ``index`` within :data:`CREDIT_REACH` lines
    that are not chrome (:func:`credit_distance`), before ``stop``."""
    return credit_distance(lines, kinds, index, stop) is not None


def _is_headline_candidate(line: Line, kind: str, rules: Rules, has_credit: bool = False) -> bool:
    """A line that could be a whole page's headline: short, and none of the things a headline is not.

    A headline may end in a full stop when a credit follows it ("They just might be.") or when
    it is written in title case ("Home Depot Stock Is Falling. Why You Shouldn't Worry.").
    """
    shaped = (
        line.heading_shaped
        or (has_credit and 0 < line.n_words <= MAX_HEADING_WORDS + 5)
        or (is_terminated(line.text) and title_case_headline(line))
    )
    # a headline printed again in a share bar or footer is "chrome" by repetition only
    repeated_only = kind == "chrome" and not rules.matches("chrome", line.text) and line.key not in rules.template_lines
    return (
        (kind in ("text", "navigation") or repeated_only)
        and shaped
        and line.n_words >= 3
        and not rules.matches("caption", line.text)
        and not _NOT_A_HEADLINE.match(line.text)
        and not looks_like_name(line.text)
        and not credit_like(line, kind)
    )


#: What a credit directly under a line adds to its score as a headline; each line further
#: down (chrome not counted) takes :data:`CREDIT_FADE` off.
CREDIT_BONUS = 1.0
#: A headline shares at least this many content words with its opening paragraphs to match in full.
TITLE_SHARED_WORDS = 2
CREDIT_FADE = 0.2


def _title_score(line: Line, body_words: frozenset[str], credit: int | None, distance: int) -> float:
    """How much a line above a block of prose looks like its headline (higher is better):
    the share of its words in the opening paragraphs, more when a credit stands close under
    it (``credit``, from :func:`credit_distance`), less the further it stands from them. One
    shared word is half the evidence of two ("Work with us" over a story about a new CEO's work)."""
    own = content_words(line.text)
    shared = len(own & body_words)
    overlap = shared / len(own) * min(1.0, shared / TITLE_SHARED_WORDS) if own else 0.0
    score = overlap - 0.01 * distance
    if credit is not None:
        score += CREDIT_BONUS - CREDIT_FADE * (credit - 1)
    if line.text.isupper():
        score -= 0.5  # a section label ("WEATHER")
    if is_terminated(line.text):
        score -= 0.3  # a standfirst under the headline, which ends like a sentence
    return score


def title_window(kinds: Sequence[str], start: int, floor: int) -> list[int]:
    """The lines above ``start`` where its headline may stand: back to ``floor``, or until
    :data:`TITLE_WINDOW` lines that are not chrome were passed (a share bar between a
    headline and its first paragraph does not push the headline out of reach).

    Parameters
    ----------
    kinds : sequence of str
        The page's line labels.
    start : int
        The first line of a block of prose.
    floor : int
        Look no higher than this line.

    Returns
    -------
    list of int
        Line positions, top to bottom.
    """
    above: list[int] = []
    passed = 0
    for i in range(start - 1, max(floor, 0) - 1, -1):
        if passed == TITLE_WINDOW:
            break
        above.append(i)
        passed += kinds[i] != "chrome"
    return above[::-1]


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
        The heading-shaped line of :func:`title_window` that shares
        most words with the opening paragraphs, a credit under it counting for a full match;
        None when no line qualifies.
    """
    opening = frozenset().union(
        *(content_words(lines[j].text) for j in range(start, min(start + 6, len(lines))) if kinds[j] != "chrome")
    )
    window = title_window(kinds, start, floor)
    body = {lines[j].key for j in range(start, min(start + 6, len(lines)))}
    credits = {i: credit_distance(lines, kinds, i, start + 1) for i in window}
    has_credit = {i: credit is not None for i, credit in credits.items()}
    strict = [
        i
        for i in window
        if _is_headline_candidate(lines[i], kinds[i], rules, has_credit[i])
        and lines[i].key not in body  # a standfirst printed again as the first paragraph
        and not _around_photo_credit(lines, i)
    ]
    # with no line that passes every test, any short line that is not furniture (a two-word title)
    candidates = strict or [
        i
        for i in window
        if kinds[i] in ("text", "navigation") and lines[i].heading_shaped and not credit_like(lines[i], kinds[i])
    ]
    best: tuple[float, int] | None = None
    for i in candidates:
        line = lines[i]
        score = _title_score(line, opening, credits[i], start - i)
        if best is None or score > best[0]:
            best = (score, i)
    if best is None:
        return None
    # a standfirst sits under its headline and often shares more words with the story
    above = [h for h in candidates if best[1] - STANDFIRST_REACH <= h < best[1]]
    if above and _standfirst_of(lines, opening, has_credit, above[-1], best[1]):
        return above[-1]
    return best[1]


#: A label alone on its line ("Credit...", "Photo:"): the line under it names a photographer.
_PHOTO_CREDIT_LABEL = re.compile(r"(?i)\W*(?:photo(?:graph)?|image|picture)?\s*credits?\b\W*|(?:photo|image)\s*:")
_QUOTATION_MARKS = "\"'“‘«„"
#: A headline stands at most this many lines above its standfirst (a label such as
#: "Editorial" or "15 comments" between them).
STANDFIRST_REACH = 2


def _standfirst_of(
    lines: Sequence[Line], opening: frozenset[str], has_credit: dict[int, bool], headline: int, line: int
) -> bool:
    """Whether ``line`` is the standfirst under ``headline``: written as a sentence (a full
    stop inside or at its end, or a quotation opening it), both credited, the headline no
    longer than it and about the same story (a word in common with the opening paragraphs)."""
    text = lines[line].text
    return (
        (is_terminated(text) or ". " in text or text[:1] in _QUOTATION_MARKS)
        and has_credit[headline]
        and has_credit[line]
        and lines[headline].n_words <= lines[line].n_words
        and bool(content_words(lines[headline].text) & opening)
    )
