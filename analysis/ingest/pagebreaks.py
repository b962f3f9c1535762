"""Where one saved page ends and the next begins, in a file that holds several pages saved whole:
a copyright footer followed by a new page's menus (or a small blog's credited headline), a
skip link, or a footer of links and menus between two articles on different subjects."""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.ingest.headline import credit_like, credited
from analysis.ingest.lines import Line
from analysis.ingest.prose import TEASER_WORDS, content_bag, cosine, is_prose, prose_words
from analysis.ingest.segment import NAVIGATION_RUN

#: A page's copyright line: "© 2023 ...", "Copyright 2023", "© The Citizen 2023.", "All rights reserved".
COPYRIGHT_LINE = re.compile(
    r"(?i)(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:\d{4}).*|©[^\d\n]{1,60}\d{4}\b.{0,80}|.*all rights? reserved\.?.*"
)
#: A skip link opens a saved page: the next page starts there, unless it stands within
#: :data:`PAGE_START_MARGIN` lines of the start of the page before.
_PAGE_START = re.compile(r"(?i)\W*skip to (?:the )?(?:main )?(?:content|article|navigation|main)\W*")
PAGE_START_MARGIN = 10
#: A footer line ends a saved page when navigation follows it, with at most this many short
#: paragraphs between them.
FOOTER_SMALL_PRINT_LINES = 2
#: A footer line ends a saved page when navigation (or a credited headline) follows it within this many lines.
PAGE_END_WINDOW = 40
#: A saved page prints a menu, a headline and its body: what follows a footer in fewer lines
#: than this, to the next page break or the end of the file, with no headline above its first
#: paragraph, is the footer's small print.
MIN_PAGE_LINES = 30
#: ... a headline there being a heading-shaped line of text of this many words ("Pier reopens");
#: a menu's lines past a footer are navigation, not text.
MIN_REGION_HEADLINE_WORDS = 3


def _menu_run(lines: Sequence[Line], kinds: Sequence[str], start: int) -> bool:
    """Whether a menu starts at ``start``: :data:`NAVIGATION_RUN` short chrome lines in a row
    (a site's menu is chrome, not navigation, when the page prints its items twice)."""
    run = range(start, start + NAVIGATION_RUN)
    return run.stop <= len(lines) and all(kinds[j] == "chrome" and lines[j].n_words <= 4 for j in run)


def _credited_headline(lines: Sequence[Line], kinds: Sequence[str], index: int) -> bool:
    """Whether line ``index`` is a headline with its byline or date under it: a small blog's page
    opens with one, with no menu above."""
    line = lines[index]
    return (
        kinds[index] == "text"
        and line.heading_shaped
        and line.n_words >= 3
        and not credit_like(line, kinds[index])
        and credited(lines, kinds, index, len(lines))
    )


def _headed_region(lines: Sequence[Line], kinds: Sequence[str], first: int, last: int) -> bool:
    """Whether lines ``first`` to ``last`` hold a headline: one with its credit under it
    (:func:`_credited_headline`), or a heading-shaped line of text of
    :data:`MIN_REGION_HEADLINE_WORDS` words or more above their first paragraph."""
    if any(_credited_headline(lines, kinds, j) for j in range(first, last + 1)):
        return True
    for j in range(first, last + 1):
        if is_prose(lines[j], kinds[j]):
            return False
        if kinds[j] == "text" and lines[j].heading_shaped and lines[j].n_words >= MIN_REGION_HEADLINE_WORDS:
            return True
    return False


def page_regions(lines: Sequence[Line], kinds: Sequence[str]) -> list[tuple[int, int]]:
    """Split a file into the pages saved in it: a footer followed by a new page's navigation (a
    menu, or a headline with its credit, as a small blog's page opens) ends one, unless fewer
    than :data:`MIN_PAGE_LINES` lines with no headline above their first paragraph follow it (a
    disclaimer, a newsletter offer); a skip link starts one.

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
    after_footer: set[int] = set()
    start = 0
    for i, line in enumerate(lines):
        if _PAGE_START.fullmatch(line.text) and i > start + PAGE_START_MARGIN:
            # a skip link ("Skip to main content") is the first thing a page prints
            regions.append((start, i - 1))
            start = i
            continue
        if not COPYRIGHT_LINE.fullmatch(line.text):
            continue
        ahead = range(i + 1, min(i + 1 + PAGE_END_WINDOW, len(lines)))
        next_page_start = next(
            (
                j
                for j in ahead
                if kinds[j] == "navigation"
                or _menu_run(lines, kinds, j)
                # a small blog's headline past some furniture (not the paragraph after a photo's "© 2024 ...")
                or (j > i + 1 and _credited_headline(lines, kinds, j))
            ),
            None,
        )
        if next_page_start is None:
            continue
        # the small print under a footer ("Community Rules apply to all content ...") is not an
        # article, but teasers (a headline, then its summary) show the page goes on
        prose = [j for j in range(i + 1, next_page_start) if is_prose(lines[j], kinds[j])]
        teasers = [
            j
            for j in prose
            if kinds[j - 1] in ("text", "navigation") and lines[j - 1].heading_shaped and lines[j - 1].n_words >= 4
        ]
        small_print = (
            len(prose) <= FOOTER_SMALL_PRINT_LINES
            and len(teasers) < FOOTER_SMALL_PRINT_LINES
            and all(lines[j].n_words <= TEASER_WORDS for j in prose)
        )
        if small_print:
            regions.append((start, i))
            start = i + 1
            after_footer.add(start)
    regions.append((start, len(lines) - 1))
    # a short region past a footer with no headline is the footer's own small print
    # (a disclaimer, a newsletter offer), not a page: it goes with the page above
    joined: list[tuple[int, int]] = []
    for first, last in regions:
        if first > last:
            continue
        if (
            joined
            and first in after_footer
            and last - first + 1 < MIN_PAGE_LINES
            and not _headed_region(lines, kinds, first, last)
        ):
            joined[-1] = (joined[-1][0], last)
        else:
            joined.append((first, last))
    return joined


#: Beyond its main article, a page holds another only when that one has a credited headline
#: and at least this many words (a front page saved with several articles in full).
MIN_SECOND_ARTICLE_WORDS = 150
#: ... and at least this share of the words of the page's main article (a sidebar is smaller).
SECOND_ARTICLE_SHARE = 0.2
#: Between two saved pages stand the first page's footer and the next page's menus: a gap of at
#: least this many lines between two blocks of prose ...
PAGE_BREAK_LINES = 30
#: ... with at least this many lines of navigation, and a footer's legal link (:data:`_FOOTER_LINK`)
#: or a copyright line ...
PAGE_BREAK_NAVIGATION = 5
#: ... above a headed block whose article shares less than this (cosine of content words) with
#: the article before: another page, though no copyright line ended the first.
PAGE_BREAK_SIMILARITY = 0.4
#: A headline stands within this many lines above the first block of a page.
PAGE_BREAK_HEADLINE_REACH = 6
#: A footer's legal link, alone on its line or first of a row of them: "Privacy Policy", "Terms of
#: Use", "Sitemap", "DISCLAIMER | PRIVACY POLICY | TERMS OF USE" (a header's menu has "About" and
#: "Contact" too, seldom these).
_FOOTER_LINK = re.compile(
    r"(?i)\W*(?:privacy(?: policy| notice| statement| center)?|terms(?: of (?:use|service)| (?:and|&) conditions)?"
    r"|cookie (?:policy|settings|preferences)|cookies|site ?map|accessibility(?: statement)?"
    r"|legal(?: notice)?|imprint|impressum|disclaimer)[^\w|·•]*(?:[|·•][^|·•]{1,40})*"
)


def _headed(lines: Sequence[Line], kinds: Sequence[str], start: int) -> bool:
    """Whether a headline (a heading-shaped line of three words or more) stands within
    :data:`PAGE_BREAK_HEADLINE_REACH` lines above line ``start``."""
    return any(
        kinds[j] in ("text", "navigation") and lines[j].heading_shaped and lines[j].n_words >= 3
        for j in range(max(0, start - PAGE_BREAK_HEADLINE_REACH), start)
    )


def _page_footer_between(lines: Sequence[Line], kinds: Sequence[str], gap: range) -> bool:
    """Whether ``gap`` looks like a page's footer and the next page's menus: long enough,
    with navigation, and a footer's legal link or a copyright line (:data:`PAGE_BREAK_LINES`,
    :data:`PAGE_BREAK_NAVIGATION`, :data:`_FOOTER_LINK`)."""
    return (
        len(gap) >= PAGE_BREAK_LINES
        and sum(kinds[j] == "navigation" for j in gap) >= PAGE_BREAK_NAVIGATION
        and any(_FOOTER_LINK.fullmatch(lines[j].text) or COPYRIGHT_LINE.fullmatch(lines[j].text) for j in gap)
    )


def split_at_page_breaks(
    lines: Sequence[Line],
    kinds: Sequence[str],
    blocks: Sequence[tuple[int, int]],
    regions: Sequence[tuple[int, int]],
) -> list[tuple[int, int]]:
    """Split the saved pages of :func:`page_regions` where a page ended without a copyright line.

    A saved page ends between two blocks of prose when a footer and menus stand between them
    (:func:`_page_footer_between`), a headline stands over the block below, the largest blocks
    on either side (above: since the last page break made; below: up to the next gap of that
    kind) have :data:`MIN_SECOND_ARTICLE_WORDS` words each
    and the smaller at least :data:`SECOND_ARTICLE_SHARE` of the larger (a related post or a
    menu's blurb is smaller), and they speak of different things (cosine of content words under
    :data:`PAGE_BREAK_SIMILARITY`): the sections of one page share its subject.

    Returns
    -------
    list of (int, int)
        The regions, split where a page ends: the new region starts under the last block of
        the page above (its footer goes with the next page, where it is removed all the same).
    """
    split: list[tuple[int, int]] = []
    for first, last in regions:
        inside = [b for b in blocks if first <= b[0] <= last]
        breaks = [
            k
            for k in range(1, len(inside))
            if _page_footer_between(lines, kinds, range(inside[k - 1][1] + 1, inside[k][0]))
            and _headed(lines, kinds, inside[k][0])
        ]
        starts = [first]
        page_first = 0  # index in ``inside`` of the current page's first block
        for n, k in enumerate(breaks):
            following = breaks[n + 1] if n + 1 < len(breaks) else len(inside)
            above = max(inside[page_first:k], key=lambda b: prose_words(lines, kinds, b))
            below = max(inside[k:following], key=lambda b: prose_words(lines, kinds, b))
            sizes = sorted((prose_words(lines, kinds, above), prose_words(lines, kinds, below)))
            if sizes[0] < max(MIN_SECOND_ARTICLE_WORDS, SECOND_ARTICLE_SHARE * sizes[1]):
                continue  # a sidebar's article, a related post, a menu's blurb
            topic = content_bag(lines, kinds, above)
            if cosine(content_bag(lines, kinds, below), topic) >= PAGE_BREAK_SIMILARITY:
                continue
            starts.append(inside[k - 1][1] + 1)
            page_first = k
        split += [(a, b - 1) for a, b in zip(starts, starts[1:])] + [(starts[-1], last)]
    return split
