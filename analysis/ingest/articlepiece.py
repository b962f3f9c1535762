"""The article in a span of a page saved whole: where its body starts, its headline, credits,
body and trailer.

:mod:`analysis.ingest.wholepage` finds the spans (an article's main block of prose with the
blocks that continue it); this module reads each one: its headline is chosen among the lines
above the body (:mod:`analysis.ingest.headline`), or inside the block's opening under a notice
(:func:`article_head`); the credits under the headline join it; a list the body announces
stays in it; the trailer after it (About us, related links: :mod:`analysis.ingest.trailer`) is
cut off.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from analysis.ingest.headline import (
    CREDIT_REACH,
    MAX_CANDIDATE_WORDS,
    choose_headline,
    credit_like,
    headline_features,
    is_not_a_headline,
    title_case_headline,
)
from analysis.ingest.lines import Line
from analysis.ingest.prose import content_bag, cosine, is_prose
from analysis.ingest.reasons import RemovalReason
from analysis.ingest.recognise import (
    content_words,
    is_numbered_item,
    is_title_case,
    looks_like_name,
    looks_like_names,
    names_things,
)
from analysis.ingest.rules import Rules
from analysis.ingest.segment import CREDIT_KINDS
from analysis.ingest.trailer import is_links_heading, is_trailer_heading, trailer_start

#: An article's text may be interrupted by this many lines when the paragraph before announces
#: a list ("... looked like this:"), and go on below them.
MAX_LIST_LINES = 30


def _bare_name(lines: Sequence[Line], kinds: Sequence[str], first: int, stop: int) -> int | None:
    """A line between headline and body that is only a person's name ("Molly Wood"): the byline."""
    for j in range(first, min(stop, first + CREDIT_REACH + 2)):
        if kinds[j] in ("text", "navigation", "chrome") and looks_like_name(_CONTACT_TAIL.sub("", lines[j].text)):
            return j
    return None


_CONTACT_TAIL = re.compile(r"@\w+$")


@dataclass(frozen=True)
class ArticlePiece:
    """The lines of one article of a whole page, ready for :func:`analysis.ingest.segment.read_piece`.

    Attributes
    ----------
    lines : list of int
        Headline, credits, then body lines, by index.
    headline : int or None
        The headline's index.
    byline : int or None
        A bare name under the headline, read as the byline.
    trailer : dict
        Lines cut off after the body (:func:`~analysis.ingest.trailer.trailer_start`), with their reason.
    end : int
        The last line the article reaches (its trailer included).
    headline_odds : float
        How likely the headline is the right line (:func:`~analysis.ingest.headline.headline_odds`);
        1.0 when there is no headline.
    runner_up : int or None
        The candidate with the next best odds.
    title_lines : tuple of int
        The lines of a headline broken in two at its colon (:func:`headline_lines`), the
        headline among them; empty when the headline is one line.
    """

    lines: list[int]
    headline: int | None
    byline: int | None
    trailer: dict[int, RemovalReason]
    end: int
    headline_odds: float = 1.0
    runner_up: int | None = None
    title_lines: tuple[int, ...] = ()


#: A labelled tag line may stand this many lines under the body's last paragraph.
TAG_LINE_REACH = 3


def _tag_line_end(lines: Sequence[Line], kinds: Sequence[str], end: int) -> int:
    """The last line of a body whose last paragraph is line ``end``: taken down to a labelled tag
    line (or chrome) printed within :data:`TAG_LINE_REACH` lines under it, past a dateline or a
    short label ("Wordcount: 717")."""
    body_end = end
    for j in range(end + 1, min(end + 1 + TAG_LINE_REACH, len(lines))):
        if kinds[j] in ("tags", "chrome"):
            body_end = j
        elif not (kinds[j] in CREDIT_KINDS or (kinds[j] == "text" and lines[j].n_words <= 3)):
            break
    return body_end


#: A line that announces a list has at least this many words ("Here are a few ideas:"); a label
#: over links is shorter ("Tags:", "Also on River News:").
MIN_ANNOUNCING_WORDS = 5


def body_lists(lines: Sequence[Line], kinds: Sequence[str], start: int, stop: int) -> set[int]:
    """The lines of the lists a body holds: each run of lines read as navigation between
    ``start`` and ``stop`` that is the article's list, not a menu.

    A run is a list when it has at most :data:`MAX_LIST_LINES` lines right under a line of text
    of :data:`MIN_ANNOUNCING_WORDS` words or more that ends in a colon ("Check out these sites
    for remote work:"), unless that line heads links ("Related:", "Also on River News:",
    :func:`~analysis.ingest.trailer.is_links_heading`). A run no line announces is a list when
    it reads as one (:func:`_reads_as_list`) and no heading of links or of a trailer ("Read
    more", "Most popular", :func:`~analysis.ingest.trailer.is_trailer_heading`) stands over it,
    whatever its label."""
    listed: set[int] = set()
    paragraphs: Counter[str] = Counter()  # what the body's paragraphs speak of
    for j in range(start, stop):
        if is_prose(lines[j], kinds[j]):
            paragraphs.update(content_words(lines[j].text))
    j = start
    while j < stop:
        if kinds[j] != "navigation":
            j += 1
            continue
        end = j
        while end + 1 < stop and kinds[end + 1] == "navigation":
            end += 1
        above = next((i for i in range(j - 1, start - 1, -1) if kinds[i] != "chrome"), None)
        under_text = above is not None and kinds[above] == "text"
        announcing = under_text and lines[above].text.endswith(":") and lines[above].n_words >= MIN_ANNOUNCING_WORDS
        run = range(j, end + 1)
        if under_text and is_links_heading(lines[above].text):  # "Related:" heads links, not a list
            pass
        elif announcing:
            if len(run) <= MAX_LIST_LINES:
                listed.update(run)
        elif not _headed_as_links(lines, range(above if above is not None else start, j)) and _reads_as_list(
            [lines[i] for i in run], paragraphs
        ):
            listed.update(run)
        j = end + 1
    return listed


def _headed_as_links(lines: Sequence[Line], over: range) -> bool:
    """Whether a line over a run heads links or a trailer ("Read more", "Most read"), chrome or not."""
    return any(is_links_heading(lines[i].text) or is_trailer_heading(lines[i].text) for i in over)


#: The items of a list in the text have at least this many words on average (a tag list's
#: "east bank", "local government" are shorter).
MIN_LIST_ITEM_WORDS = 3
#: ... and share at least this much with the body around them (cosine of content words): a box
#: of headlines of other stories shares little.
MIN_LIST_SIMILARITY = 0.1


def _reads_as_list(items: Sequence[Line], paragraphs: Counter[str]) -> bool:
    """Whether a run of short lines in a body no line announces reads as a list of the text:
    written as phrases (:func:`written_as_phrases`), of :data:`MIN_LIST_ITEM_WORDS` words on
    average, about what the body's ``paragraphs`` (their content words) speak of
    (:data:`MIN_LIST_SIMILARITY`)."""
    if sum(line.n_words for line in items) < MIN_LIST_ITEM_WORDS * len(items) or not written_as_phrases(items):
        return False
    own: Counter[str] = Counter()
    for line in items:
        own.update(content_words(line.text))
    return cosine(own, paragraphs) >= MIN_LIST_SIMILARITY


#: A menu's items are names, most of them in title case ("Travel Insurance", "Best Cruise Plans"),
#: and a box of headlines names people and places; a run with less than this share of either
#: is written as phrases: a list in the text.
MAX_LIST_NAMING_SHARE = 0.5


def written_as_phrases(run: Sequence[Line]) -> bool:
    """Whether a run of short lines reads as the items of a list in the text rather than a menu or
    a box of headlines: fewer than :data:`MAX_LIST_NAMING_SHARE` of them are in title case
    (:func:`is_title_case`) or name things as a headline does (:func:`names_things`)."""
    naming = sum(is_title_case(line.text) or names_things(line.text) for line in run)
    return naming < MAX_LIST_NAMING_SHARE * len(run)


#: A headline may stand this many lines into its block of prose, under a notice that is no
#: part of the article (an affiliate disclosure, a browser warning, a menu run together).
OPENING_HEADLINE_REACH = 6
#: ... when the lines above it in the block hold at most this many words,
MAX_NOTICE_WORDS = 150
#: ... share less than this with the article under the headline (cosine of content words),
MAX_NOTICE_SIMILARITY = 0.2
#: ... and the scorer gives it at least these odds, and better odds than the pick above the block.
MIN_OPENING_HEADLINE_ODDS = 0.5


class ArticleHead(NamedTuple):
    """Where an article's body starts and how its headline was chosen (:func:`article_head`)."""

    #: The body's first line.
    start: int
    #: The headline candidates above it (:func:`~analysis.ingest.headline.headline_features`).
    rows: list[tuple[int, dict[str, float]]]
    #: The chosen headline (:func:`~analysis.ingest.headline.choose_headline`), None without candidates.
    headline: int | None
    #: Every candidate's odds.
    odds: dict[int, float]


def _headline_in_opening(
    lines: Sequence[Line],
    kinds: Sequence[str],
    span: tuple[int, int],
    floor: int,
    rules: Rules,
    above: int | None,
    odds_above: float,
) -> ArticleHead | None:
    """The :class:`ArticleHead` of an article whose headline stands inside
    the opening of its block of prose, under a notice about something else ("Business.com aims to
    help business owners …", "We noticed that you are using Internet Explorer …"); None when the
    block opens with the article.

    Each heading-shaped line among the block's first :data:`OPENING_HEADLINE_REACH` lines is tried
    as the line above the body: the body would start at the next paragraph under it and the
    headline would be chosen as usual above that. The try holds when the chosen line stands in
    the block, is no sentence, has at least :data:`MIN_OPENING_HEADLINE_ODDS` and better odds than
    ``odds_above`` (those of ``above``, the pick above the block), and the lines above it are short
    (:data:`MAX_NOTICE_WORDS`) and speak of something else (:data:`MAX_NOTICE_SIMILARITY`). A block
    right under a credit opens with its article's lede, and one under a line of text the scorer
    picks ("River stories") may open with an anecdote: both are left as they are; the pick above
    a notice is a menu's or a button's line.
    """
    start, end = span
    if (above is not None and kinds[above] == "text") or any(
        kinds[j] in CREDIT_KINDS for j in range(max(floor, start - CREDIT_REACH), start)
    ):
        return None
    best: ArticleHead | None = None
    for h in range(start, min(start + OPENING_HEADLINE_REACH, end)):
        line = lines[h]
        if not (
            kinds[h] in ("text", "navigation") and line.heading_shaped and 2 <= line.n_words <= MAX_CANDIDATE_WORDS
        ):
            continue
        if sum(lines[j].n_words for j in range(start, h)) > MAX_NOTICE_WORDS:
            break
        body = next((j for j in range(h + 1, end + 1) if is_prose(lines[j], kinds[j])), None)
        if body is None:
            continue
        rows = headline_features(lines, kinds, body, floor, rules)
        pick, odds = choose_headline(rows)
        if pick is None or pick < start or dict(rows)[pick]["sentence"]:
            continue
        notice = content_bag(lines, kinds, (start, pick - 1)) if pick > start else Counter()
        if (
            odds[pick] >= MIN_OPENING_HEADLINE_ODDS
            and odds[pick] > odds_above
            and cosine(notice, content_bag(lines, kinds, (body, end))) < MAX_NOTICE_SIMILARITY
            and (best is None or odds[pick] > best.odds[best.headline])
        ):
            best = ArticleHead(body, rows, pick, odds)
    return best


def article_head(
    lines: Sequence[Line], kinds: Sequence[str], span: tuple[int, int], floor: int, rules: Rules
) -> ArticleHead:
    """Where the body of the article in ``span`` starts, its headline candidates and the headline
    chosen among them: the block's first line with the candidates above it, or a line further
    down when the headline stands inside the block's opening (:func:`_headline_in_opening`)."""
    rows = headline_features(lines, kinds, span[0], floor, rules)
    headline, odds = choose_headline(rows)
    inside = _headline_in_opening(
        lines, kinds, span, floor, rules, headline, odds[headline] if headline is not None else 0.0
    )
    return inside if inside is not None else ArticleHead(span[0], rows, headline, odds)


def article_piece(
    lines: Sequence[Line], kinds: Sequence[str], span: tuple[int, int], floor: int, rules: Rules
) -> ArticlePiece:
    """Headline, credits and body of the article whose body spans ``span``.

    Parameters
    ----------
    lines, kinds : sequences
        The page's lines and labels.
    span : (int, int)
        First and last line of the body (from :func:`analysis.ingest.wholepage.main_blocks`).
    floor : int
        The headline is looked for below this line (the end of the article before).
    rules : Rules
        Segmentation rules.

    Returns
    -------
    ArticlePiece
        The article's lines.
    """
    start, _, headline, odds = article_head(lines, kinds, span, floor, rules)
    end = span[1]
    others = sorted((i for i in odds if i != headline), key=lambda i: (-odds[i], i))
    header: list[int] = []
    byline = None
    title_lines: tuple[int, ...] = ()
    if headline is not None:
        parts = headline_lines(lines, kinds, headline, start)
        title_lines = parts if len(parts) > 1 else ()
        header = [*parts, *(j for j in range(parts[-1] + 1, start) if kinds[j] in (*CREDIT_KINDS, "tags"))]
        if not any(kinds[j] == "byline" for j in header):
            byline = _bare_name(lines, kinds, parts[-1] + 1, start)
            header = sorted([*header, byline]) if byline is not None else header
    body_end = _tag_line_end(lines, kinds, end)
    cut = trailer_start(lines, kinds, start, body_end)
    reason = (
        RemovalReason.RELATED_LINK if cut <= body_end and is_links_heading(lines[cut].text) else RemovalReason.CHROME
    )
    trailer = {j: reason for j in range(cut, body_end + 1) if kinds[j] == "text"}
    listed = body_lists(lines, kinds, start, cut)
    body = [j for j in range(start, cut) if kinds[j] != "navigation" or j in listed]
    return ArticlePiece(
        lines=header + body,
        headline=headline,
        byline=byline,
        trailer=trailer,
        end=body_end,
        headline_odds=odds[headline] if headline is not None else 1.0,
        runner_up=others[0] if others else None,
        title_lines=title_lines,
    )


def headline_lines(lines: Sequence[Line], kinds: Sequence[str], headline: int, start: int) -> tuple[int, ...]:
    """The lines of the headline chosen at ``headline``, above a body that starts at ``start``.

    A dump with a break after every element breaks a headline in two where its markup changes,
    often at its colon ("Web Design for Creative Agencies:", then "Building Digital Portfolios
    That Sell"). The chosen line and the line under it are one headline when the chosen line
    ends in a colon and the next reads as the rest of a headline (:func:`_continues_headline`).
    A line ending in a colon above the chosen one is left alone: it is as often a kicker
    ("Breaking news update:") or a notice as a headline's first part.
    """
    after = headline + 1
    if lines[headline].text.endswith(":") and after < start and _continues_headline(lines[after], kinds[after]):
        return (headline, after)
    return (headline,)


def _continues_headline(line: Line, kind: str) -> bool:
    """Whether a line under a headline ending in a colon reads as the headline's second part: a
    line of text in title case, short enough for a headline, and no credit, name, role or
    byline ("Ana Ruiz", "River News Staff", "Words and pictures by Ana Ruiz") nor a standfirst
    or button written in sentence case ("Listen to this article")."""
    return (
        kind == "text"
        and title_case_headline(line)
        and not line.text.endswith(".")
        and not credit_like(line, kind)
        and not looks_like_names(line.text)
        and not is_not_a_headline(line.text)
    )


def article_pieces(
    lines: Sequence[Line],
    kinds: Sequence[str],
    spans: Sequence[tuple[int, int]],
    rules: Rules,
    regions: Sequence[tuple[int, int]] = (),
) -> list[ArticlePiece]:
    """The :func:`article_piece` of each span, top to bottom: each headline is looked for below
    the end of the article before (the next page's headline stands below it). A span headed by a
    numbered item (:func:`~analysis.ingest.recognise.is_numbered_item`) in the saved page (of
    ``regions``) of the article above, with no byline of its own (:func:`_signed`), is no article of its own:
    it joins that one (:func:`_with_item`)."""
    pieces: list[ArticlePiece] = []
    floor = 0
    for span in spans:
        piece = article_piece(lines, kinds, span, floor, rules)
        if (
            pieces
            and piece.headline is not None
            and is_numbered_item(lines[piece.headline].text)
            and _same_region(regions, pieces[-1].end, span[0])
            and not _signed(piece, kinds)
        ):
            pieces[-1] = _with_item(pieces[-1], piece, kinds)
        else:
            pieces.append(piece)
        floor = pieces[-1].end + 1
    return pieces


def _signed(piece: ArticlePiece, kinds: Sequence[str]) -> bool:
    """Whether an article has a byline under its headline (within :data:`CREDIT_REACH` lines): a
    story of its own ("1. FC Köln sign a striker", "By Tom Baker"), not an item of the list
    above, which carries a date or a price."""
    if piece.byline is not None:
        return True
    head = piece.headline if piece.headline is not None else -1
    return any(kinds[j] == "byline" for j in piece.lines if head < j <= head + CREDIT_REACH)


def _same_region(regions: Sequence[tuple[int, int]], above: int, below: int) -> bool:
    """Whether lines ``above`` and ``below`` stand in one saved page of ``regions`` (one page when none are given)."""
    return not regions or any(first <= above and below <= last for first, last in regions)


def _with_item(article: ArticlePiece, item: ArticlePiece, kinds: Sequence[str]) -> ArticlePiece:
    """The article above with a numbered item of its list that read as an article of its own
    (a date or a price under the item's heading looked like a credit): the item's heading and
    body join the article's body, its credits and the lines between them stay out."""
    heading = list(item.title_lines) or ([] if item.headline is None else [item.headline])
    body = [j for j in item.lines if j not in heading and kinds[j] not in (*CREDIT_KINDS, "tags")]
    return ArticlePiece(
        lines=[*article.lines, *heading, *body],
        headline=article.headline,
        byline=article.byline,
        trailer={**article.trailer, **item.trailer},
        end=item.end,
        headline_odds=article.headline_odds,
        runner_up=article.runner_up,
        title_lines=article.title_lines,
    )
