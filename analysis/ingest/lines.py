"""A page as lines: each non-blank line with the blank lines around it, and element dumps re-joined.

Segmentation reads layout (blank lines where an image stood, lines repeated far apart), so a
page is kept as :class:`Line` records rather than bare strings. A page dumped with a line
break after every HTML element (``BeautifulSoup.get_text("\\n")``) cuts its sentences at
every link; :func:`rejoin_fragments` puts them back together before anything else reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from analysis.ingest.recognise import count_words, is_heading_shaped, is_terminated

T = TypeVar("T")


class _ComputedOnce(Generic[T]):
    """A property of a line computed on first read and kept on it, like ``functools.cached_property``.

    Python 3.11's ``cached_property`` takes a lock shared by every instance on each first read,
    which costs more than the small computations it guards here.
    """

    def __init__(self, compute: Callable[[Line], T]) -> None:
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, line: Line | None, owner: type | None = None) -> T:
        if line is None:
            return self  # type: ignore[return-value]  # read on the class, as documentation tools do
        value = line.__dict__[self.name] = self.compute(line)
        return value


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

    @_ComputedOnce
    def key(self) -> str:
        """Case- and space-folded text used to spot repeats."""
        return normalise_line(self.text)

    @_ComputedOnce
    def n_words(self) -> int:
        """Number of words in the line."""
        return count_words(self.text)

    @_ComputedOnce
    def heading_shaped(self) -> bool:
        """Whether the line could be a title or subheading (see :func:`analysis.ingest.recognise.is_heading_shaped`)."""
        return is_heading_shaped(self.text)


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
    found: list[tuple[str, int, int]] = []  # text, number, blank lines before
    blanks = 0
    for number, line in enumerate(raw, 1):
        stripped = line.strip()
        if not stripped:
            blanks += 1
            continue
        found.append((stripped, number, blanks))
        blanks = 0
    blanks_after = [before for _, _, before in found[1:]] + [blanks]
    return [
        Line(stripped, number, blanks_before=before, blanks_after=after)
        for (stripped, number, before), after in zip(found, blanks_after)
    ]


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
_BY_LABEL_ONLY = re.compile(r"(?i)\s*(?:written |posted |words )?by:?\s*")
#: A word in lower case: the sentence goes on after an inline element.
_LOWER_WORD = re.compile(r"[a-z]{3,}")
#: A title before a linked name ("Rep." + "Ilhan Omar"): its full stop does not end the sentence.
_TITLE_BEFORE_NAME = re.compile(
    r"(?:^|\s)(?:Rep|Reps|Sen|Sens|Gov|Lt|Gen|Col|Capt|Sgt|Dr|Mr|Mrs|Ms|Mx|Prof|Rev|Hon|Pres|Atty|Adm|Maj)\.$"
)


def _continues(line: Line, following: Line) -> bool:
    """Whether ``following`` carries on the sentence of ``line`` (no blank line between them)."""
    if not following.text:
        return False
    if _BY_LABEL_ONLY.fullmatch(line.text) and line.blanks_after <= 1:
        return True  # a label alone ("By") has its name on the next line, even past a blank one
    if line.blanks_after:
        return False
    first = following.text[0]
    if _BY_LABEL_END.search(line.text):
        return True  # a byline's label ("By", "Monday ... by"), its linked name on the next line
    return (
        (first.islower() and not is_terminated(line.text))
        or (following.text.startswith(_CLOSING) and not following.text.startswith("..."))
        or (first.isupper() and _TITLE_BEFORE_NAME.search(line.text) is not None)
    )


#: A list item's explanation after a dash ("Tipping is not practiced" + "– With the excellent
#: hospitality ...") has at least this many words; a signature after a dash is shorter.
DASH_CONTINUATION_WORDS = 8


_DASHES = ("– ", "— ")


def _dash_continuation(line: Line, following: Line, after: str) -> bool:
    """Whether ``following`` is the rest of a list item that an element dump cut at its dash
    ("Tipping is not practiced in Japan" + "– With the excellent hospitality ..."): it opens
    with a dash and a space, runs :data:`DASH_CONTINUATION_WORDS` words or more and names no
    handle (an embedded post's signature, "— Jo Lee (@jolee)"), under a line that opens with no
    dash and does not end a sentence; ``after``, the text of the line below it, opens with no
    dash (a list of dashed items stays a list)."""
    return (
        not line.blanks_after
        and following.text.startswith(_DASHES)
        and following.n_words >= DASH_CONTINUATION_WORDS
        and "@" not in following.text
        and not line.text.startswith(_DASHES)
        and not after.startswith(_DASHES)
        and not is_terminated(line.text)
    )


def _sandwiched(lines: Sequence[Line], i: int) -> bool:
    """Whether line ``i + 1`` is an inline element cut out of a sentence ("according to" / "Reuters" / ", ...")."""
    if i + 2 >= len(lines):
        return False
    line, middle, after = lines[i], lines[i + 1], lines[i + 2]
    carries_on = after.text.startswith(_CLOSING) or bool(_LOWER_WORD.match(after.text))
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
        Fewer lines: a fragment that continues the sentence before it, an inline element
        sandwiched between two parts of one sentence, or a list item's text after its dash
        (:func:`_dash_continuation`), is appended to the line before. A joined
        line keeps the number of its first fragment.
    """
    out: list[Line] = []
    i = 0
    while i < len(lines):
        current = lines[i]
        while i + 1 < len(lines):
            after = lines[i + 2].text if i + 2 < len(lines) else ""
            if _continues(current, lines[i + 1]) or _dash_continuation(current, lines[i + 1], after):
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


#: A word of a person's name: capitalised, perhaps double-barrelled ("Ocasio-Cortez"), never
#: running into a capital (in "OmarIlhan" a dump glued two copies of a name together).
_NAME_WORD = r"[A-Z][a-z'’.]+(?:-[A-Z][a-z'’.]+)?"
_NAME = re.compile(rf"{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}")
#: A hover card as a paragraph dump prints it: the linked name, the same name again glued to it,
#: the person's latest headlines, and the "MORE" link, all inside the sentence that names them.
_GLUED_HOVER_CARD = re.compile(
    rf"\b(?P<name>(?P<first>{_NAME_WORD})(?: {_NAME_WORD}){{1,3}})(?P<card>(?P=first)\b.{{1,1500}}?) MORE\b"
)
#: A hover card in an element dump: the name twice, then at most this many lines before "MORE".
MAX_HOVER_CARD_LINES = 12


def cut_hover_cards(text: str) -> str:
    """A paragraph without the hover cards glued into it (see :func:`drop_hover_cards`).

    Parameters
    ----------
    text : str
        A paragraph.

    Returns
    -------
    str
        "Rep. Ilhan Omar (D-Minn.) said" for "Rep. Ilhan OmarIlhan OmarHillicon Valley: ...
        MORE (D-Minn.) said"; any other text unchanged.
    """
    if " MORE" not in text:
        return text
    return _GLUED_HOVER_CARD.sub(r"\g<name>", text)


def _hover_card_end(lines: Sequence[Line], index: int) -> int | None:
    """Where the hover card opened by the name at ``index`` ends (its "MORE" line), if one does."""
    name, again = lines[index].text, lines[index + 1].text
    if not (_NAME.fullmatch(name) and _NAME.fullmatch(again) and name.split()[0] == again.split()[0]):
        return None
    stop = min(len(lines), index + 2 + MAX_HOVER_CARD_LINES)
    return next((j for j in range(index + 2, stop) if lines[j].text == "MORE"), None)


def drop_hover_cards(lines: Sequence[Line]) -> tuple[list[Line], list[Line]]:
    """Take out the hover cards a dump printed inside sentences.

    A site that shows a politician's latest headlines when the pointer rests on their name
    puts them in the page's text right after the name: "Rep. Ilhan OmarIlhan OmarHillicon
    Valley: ... | ... MORE (D-Minn.) said". Left in, they cut the sentence and put another
    article's headlines in the body.

    Parameters
    ----------
    lines : sequence of Line
        A page's lines, before :func:`rejoin_fragments`.

    Returns
    -------
    tuple of (list of Line, list of Line)
        The lines without their cards (a card's lines dropped, a glued card cut out of its
        line: "Rep. Ilhan Omar (D-Minn.) said"), and each card taken out, as a line with the
        number of the line it stood in.
    """
    kept: list[Line] = []
    cards: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        end = _hover_card_end(lines, i) if i + 1 < len(lines) else None
        if end is not None:
            cards.extend(lines[i + 1 : end + 1])
            after = lines[end + 1] if end + 1 < len(lines) else None
            if after is not None and not lines[end].blanks_after:  # the sentence goes on after the card
                line = replace(line, text=_join(line.text, after.text), blanks_after=after.blanks_after)
                end += 1
            kept.append(line)
            i = end + 1
            continue
        if " MORE" in line.text and _GLUED_HOVER_CARD.search(line.text):
            cards.extend(Line(m.group("card") + " MORE", line.number) for m in _GLUED_HOVER_CARD.finditer(line.text))
            line = replace(line, text=cut_hover_cards(line.text))
        kept.append(line)
        i += 1
    return kept, cards
