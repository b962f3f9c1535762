"""Prose on a page saved whole: which lines are paragraphs, how many words a block of them
holds, and what a block speaks of (its content words), to compare two blocks."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from analysis.ingest.headline import title_case_headline
from analysis.ingest.lines import Line
from analysis.ingest.recognise import content_words, is_terminated

#: A paragraph of at most this many words may be a teaser's summary, or small print.
TEASER_WORDS = 60
#: A prose line has at least this many words: a paragraph, not a heading, link or label.
PROSE_WORDS = 12


def is_prose(line: Line, kind: str) -> bool:
    """A paragraph: a sentence of :data:`PROSE_WORDS` words or more, or any line of twice that;
    a sentence in title case is a headline ("Home Depot Stock Is Falling. Why You Shouldn't Worry.")."""
    return kind == "text" and (
        (line.n_words >= PROSE_WORDS and is_terminated(line.text) and not title_case_headline(line))
        or line.n_words >= 2 * PROSE_WORDS
    )


def prose_words(lines: Sequence[Line], kinds: Sequence[str], block: tuple[int, int]) -> int:
    """How many words a block's prose holds."""
    return sum(lines[j].n_words for j in range(block[0], block[1] + 1) if kinds[j] == "text")


def content_bag(lines: Sequence[Line], kinds: Sequence[str], block: tuple[int, int]) -> Counter[str]:
    """The words of a block's prose that say what it is about (:func:`content_words`), each
    counted once per line."""
    bag: Counter[str] = Counter()
    for j in range(block[0], block[1] + 1):
        if kinds[j] == "text":
            bag.update(content_words(lines[j].text))
    return bag


def cosine(a: Counter[str], b: Counter[str]) -> float:
    """Cosine similarity of two bags of words (0 when either is empty)."""
    dot = sum(count * b[word] for word, count in a.items() if word in b)
    norms = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norms if norms else 0.0
