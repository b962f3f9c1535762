"""Where an article's body ends: the trailer after it ("About Ascom", "Related stories", footnotes).

A page prints boilerplate under its article: the publisher's paragraph about itself, media
contacts, footnotes and references, boxes of related links. :func:`trailer_start` finds where
that begins, on the lines of a text page (:mod:`analysis.ingest.wholepage`) and on the
paragraphs of an HTML page's body (:mod:`analysis.ingest.html`) alike.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from analysis.ingest.lines import Line

#: A trailer heading: "About the author", "Media contacts", "Related stories", "Most read", "Sources".
_TRAILER = re.compile(
    r"(?i)(?:about (?:the )?(?:author|[A-Z][\w&.’'-]*(?: [\w&.’'-]+){0,4})|(?:media|press|investor) contacts?|contacts?"
    r"|for more information|disclaimer|disclosure|editor['’]?s note"
    r"|(?:related|recommended|more|top|latest|trending) (?:stories|articles|posts|reading|links|news)"
    r"|more(?: [\w’'-]+){1,3} (?:stories|articles|posts)"  # "More Great WIRED Stories"
    r"|most (?:read|popular|viewed|shared|commented)"
    r"|you (?:may|might) also like|read (?:these )?next|more from .{1,40}|sources?|references|footnotes)\s*:?"
)
#: A footnote ("[1] Alarm fatigue: ..."): what follows is footnotes too.
_FOOTNOTE = re.compile(r"\[\d+\]\s.*")
#: A publisher's paragraph about itself, a reference, a time stamp or a "Next read this:" box:
#: what follows is boilerplate too.
_TRAILER_LINE = re.compile(
    r"(?:[A-Z][\w&.’'-]*\s){0,3}[A-Z][\w&.’'-]* is (?:a|an|the) (?:[\w’'-]+ ){0,6}"
    r"(?:provider|company|firm|manufacturer|organi[sz]ation|group|maker|publisher|network|platform|agency|leader)\b.*"
    r"|(?:[A-Z][\w&.’'-]*\s){0,3}[A-Z][\w&.’'-]* is (?:a )?part of (?:[A-Z][\w&.’'-]*\s?){1,4},? an? .*"
    r"|(?:[A-Z][\w&.’'-]*\s){0,3}[A-Z][\w&.-]*[’']s (?:[\w-]+ ){0,2}mission is\b.*"  # "The Weather Company’s primary ..."
    r"|This (?:story|article) was (?:originally|first) published (?:on )?\w+ \d{1,2}, \d{4}\b.*"  # a time stamp
    r"|(?i:next,? read this)\s*:?"
    r"|(?:[A-Z][\w.’'-]*\s){1,4}et al\.?,? \(?\d{4}\)?\.? .*"  # a reference: "D. R. Sannino et al. 2023. ..."
)
#: A trailer heading counts only after this share of the body's words.
TRAILER_AFTER_SHARE = 0.5
#: A trailer heading printed this many times in the body is a label, not the trailer's heading
#: (an image's "Source" under every picture); a heading of links ("Related stories") is not.
MIN_LABEL_COPIES = 3
#: A publisher's paragraph about itself (:data:`_TRAILER_LINE`) ends the body only when it and
#: what follows hold at most this share of the body's words: in a list of products or firms
#: ("Kartra is a training platform ..."), each item opens the same way.
TRAILER_LINE_TAIL_SHARE = 0.2


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
        The index of the first trailer heading (not a label printed :data:`MIN_LABEL_COPIES`
        times in the body) or footnote found after :data:`TRAILER_AFTER_SHARE` of the body's
        words, or of the body's first
        :data:`_TRAILER_LINE` ("Ascom is a global solutions provider ...") when it stands in
        the last :data:`TRAILER_LINE_TAIL_SHARE` of them; ``end + 1`` when there is none. What
        follows is the publisher's boilerplate or links, not the article.
    """
    total = sum(lines[j].n_words for j in range(start, end + 1) if kinds[j] == "text") or 1
    copies = Counter(lines[j].key for j in range(start, end + 1))
    seen = 0
    first_trailer_line = True  # in a list of firms ("Kartra is a training platform ..."), each item opens alike
    for j in range(start, end + 1):
        before = seen
        if kinds[j] == "text":
            seen += lines[j].n_words
        if first_trailer_line and _TRAILER_LINE.fullmatch(lines[j].text):
            if total - before <= TRAILER_LINE_TAIL_SHARE * total:
                return j
            first_trailer_line = False
        heading = (
            lines[j].heading_shaped
            and _TRAILER.fullmatch(lines[j].text)
            # a heading of links ends the body however often it is printed
            and (copies[lines[j].key] < MIN_LABEL_COPIES or is_links_heading(lines[j].text))
        )
        if seen >= TRAILER_AFTER_SHARE * total and (heading or _FOOTNOTE.fullmatch(lines[j].text)):
            return j
    return end + 1


def is_trailer_heading(text: str) -> bool:
    """Whether a line reads as a trailer's heading ("Most read", "About the author", "Sources")."""
    return _TRAILER.fullmatch(text) is not None


#: A trailer heading that opens links to other articles, not boilerplate.
_LINKS_HEADING = re.compile(r"(?i)(?:related|recommended|more|read|you (?:may|might))\b")


def is_links_heading(text: str) -> bool:
    """Whether a trailer heading opens links to other articles ("Related stories", "Read next")."""
    return _LINKS_HEADING.match(text) is not None
