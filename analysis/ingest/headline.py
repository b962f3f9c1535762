"""The headline of a block of prose on a page saved whole, chosen by evidence.

A whole page prints many short lines above its article: menu items, section labels, a
kicker, share buttons, captions and their photo credits, the byline and date. The headline
is usually the line among them that shares most words with the article's opening and has a
credit (byline, date) close under it. :func:`headline_features` measures that and much more,
57 numbers for each candidate line (:data:`HEADLINE_FEATURES`), and :func:`find_headline`
takes the candidate with the highest weighted sum; the weights
(:mod:`analysis.ingest.headline_weights`) were fitted by ``python -m benchmarks.fit_headline``
on real pages of some 790 sites. The line kinds here (:func:`credit_like`,
:func:`title_case_headline`) are shared with :mod:`analysis.ingest.wholepage`, which reads the
rest of the page.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from analysis.ingest.headline_weights import WEIGHTS
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
#: The older, narrower window above a first paragraph (in lines that are not chrome) where
#: headline and byline are looked for; :func:`headline_features` notes whether a candidate is in it.
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


def is_not_a_headline(text: str) -> bool:
    """Whether a line is one of the things a headline never is (:data:`_NOT_A_HEADLINE`): an
    embedded post's signature, a share button, a photo credit, a role ("River News Staff")."""
    return _NOT_A_HEADLINE.match(text) is not None


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


def title_window(kinds: Sequence[str], start: int, floor: int, reach: int = TITLE_WINDOW) -> list[int]:
    """The lines above ``start`` where its headline may stand: back to ``floor``, or until
    ``reach`` lines that are not chrome were passed (a share bar between a
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
        if passed == reach:
            break
        above.append(i)
        passed += kinds[i] != "chrome"
    return above[::-1]


#: How far above its first paragraph a candidate headline may stand, in lines that are not
#: chrome (a listicle's headline may stand above a long table of contents).
HEADLINE_REACH = 40
#: How far into the body :func:`headline_features` looks for section headings like a candidate.
SERIES_REACH = 40
#: A candidate headline has at most this many words.
MAX_CANDIDATE_WORDS = 30
#: The evidence :func:`find_headline` weighs, one number per candidate line; the weights are
#: :data:`analysis.ingest.headline_weights.WEIGHTS`.
# fmt: off
HEADLINE_FEATURES = (
    # its words in the opening paragraphs
    "overlap", "share", "shared1", "shared2", "shared3", "no_content_words", "best_overlap", "gap_overlap",
    # a credit (byline, date) close under it, 1 to 4 lines down
    "cr1", "cr2", "cr3", "cr4",
    # where it stands: lines up from the opening, rank among the candidates, inside the older 25-line window
    "log_distance", "rank0", "log_rank", "in_narrow",
    # its kind of line
    "k_text", "k_nav", "k_chrome", "k_credit", "k_other", "chrome_rule", "template",
    # its shape
    "heading", "log_words", "words_le2", "words_le3", "words_gt20", "longest_heading", "upper", "terminated",
    "titlecase", "question", "colon", "digit_first", "pipe", "quote_first", "sentence",
    # what it looks like instead
    "name", "creditlike", "not_a_headline", "photo", "date", "dateline", "repeats",
    # the hand-weighed evidence: the older scorer's test and score
    "strict", "old_score",
    # its neighbours
    "next_sentence", "prev_heading", "next_cand_credited", "is_standfirst", "has_standfirst",
    # the first of a run of section headings that goes on in the body below
    "series",
    # another candidate's words inside it (a breadcrumb ending in the headline, a headline
    # with the site's name) or it inside another's
    "holds_other", "within_other",
    # a menu printed as one line: words glued together ("ResourcesSources"), a site's furniture words
    "glued", "furniture",
)
# fmt: on


def headline_candidates(lines: Sequence[Line], kinds: Sequence[str], start: int, floor: int, rules: Rules) -> list[int]:
    """The lines that may be the headline of the block of prose starting at ``start``: every line
    of 1 to :data:`MAX_CANDIDATE_WORDS` words within :data:`HEADLINE_REACH` lines above it (not
    counting chrome) and below ``floor``, save captions and the opening's own lines."""
    opening = {lines[j].key for j in range(start, min(start + 6, len(lines)))}
    return [
        i
        for i in title_window(kinds, start, floor, HEADLINE_REACH)
        if 1 <= lines[i].n_words <= MAX_CANDIDATE_WORDS
        and lines[i].key not in opening
        and not rules.matches("caption", lines[i].text)
    ]


def _opening_words(lines: Sequence[Line], kinds: Sequence[str], start: int) -> frozenset[str]:
    """The content words of the block's opening paragraphs: its first six lines that are neither
    chrome nor heading-shaped (a subheading, or the next teaser of a list, is not the lede); all
    six when every one is heading-shaped."""
    opening = [j for j in range(start, min(start + 6, len(lines))) if kinds[j] != "chrome"]
    prose = [j for j in opening if not lines[j].heading_shaped] or opening
    return frozenset().union(*(content_words(lines[j].text) for j in prose))


#: Marks that open a quotation: a line opening with one reads as a sentence.
_QUOTATION_MARKS = "\"'“‘«„"


def _sentence_like(text: str) -> bool:
    """Written as a sentence: a full stop at its end or inside it."""
    return is_terminated(text) or ". " in text


#: Words of a site's menus: a line made mostly of them is a menu ("Home Blog About"). (The
#: listing reader's furniture words are parts of class names, another fact.)
_MENU_WORDS = frozenset(
    "home about blog contact search menu subscribe login log sign register account posts archive archives "
    "categories tags shop cart faq help privacy terms newsletter donate careers".split()
)
#: Two words glued where a menu's items met: a small letter, then a capital ("ResourcesSources").
_GLUED = re.compile(r"[a-z]{3}[A-Z][a-z]{2}")


def _furniture_share(text: str) -> float:
    """The share of a line's words that are words of a site's menus (:data:`_MENU_WORDS`)."""
    words = re.findall(r"[a-z]+", text.casefold())
    return sum(word in _MENU_WORDS for word in words) / len(words) if words else 0.0


def headline_features(
    lines: Sequence[Line], kinds: Sequence[str], start: int, floor: int, rules: Rules
) -> list[tuple[int, dict[str, float]]]:
    """The evidence for each of :func:`headline_candidates` being the headline.

    Parameters
    ----------
    lines, kinds : sequences
        The page's lines and labels.
    start : int
        The first line of a block of prose.
    floor : int
        Look no higher than this line.
    rules : Rules
        Chrome, caption and template-line patterns.

    Returns
    -------
    list of (int, dict)
        Each candidate's line position and its :data:`HEADLINE_FEATURES`, top to bottom.
    """
    opening = _opening_words(lines, kinds, start)
    candidates = headline_candidates(lines, kinds, start, floor, rules)
    narrow = set(title_window(kinds, start, floor))
    copies = Counter(line.key for line in lines)
    credits = (
        {i: credit_distance(lines, kinds, i, start + 1) for i in range(candidates[0], start)} if candidates else {}
    )
    has_credit = {i: credit is not None for i, credit in credits.items()}
    rank = {i: r for r, i in enumerate(reversed(candidates))}
    headings_below = [
        lines[j].n_words
        for j in range(start, min(start + SERIES_REACH, len(lines)))
        if kinds[j] == "text" and lines[j].heading_shaped
    ]
    chosen = set(candidates)
    # a standfirst stands under a line that passes the older scorer's test (not a section label)
    strict = {i for i in candidates if _is_headline_candidate(lines[i], kinds[i], rules, has_credit[i])}
    folded = {i: " ".join(lines[i].text.lower().split()) for i in candidates}
    rows = []
    for i in candidates:
        line, kind, credit = lines[i], kinds[i], credits[i]
        others = [folded[j] for j in candidates if folded[j] != folded[i]]
        own = content_words(line.text)
        shared = len(own & opening)
        below = lines[i + 1] if i + 1 < start else None
        features = {
            "overlap": shared / len(own) * min(1.0, shared / TITLE_SHARED_WORDS) if own else 0.0,
            "share": shared / len(own) if own else 0.0,
            "shared1": float(shared >= 1),
            "shared2": float(shared >= 2),
            "shared3": float(shared >= 3),
            "no_content_words": float(not own),
            **{f"cr{n}": float(credit == n) for n in range(1, CREDIT_REACH + 1)},
            "log_distance": math.log(start - i),
            "rank0": float(rank[i] == 0),
            "log_rank": math.log1p(rank[i]),
            "in_narrow": float(i in narrow),
            "k_text": float(kind == "text"),
            "k_nav": float(kind == "navigation"),
            "k_chrome": float(kind == "chrome"),
            "k_credit": float(kind in CREDIT_KINDS),
            "k_other": float(kind not in ("text", "navigation", "chrome", *CREDIT_KINDS)),
            "chrome_rule": float(rules.matches("chrome", line.text)),
            "template": float(line.key in rules.template_lines),
            "heading": float(line.heading_shaped),
            "log_words": math.log(line.n_words),
            "words_le2": float(line.n_words <= 2),
            "words_le3": float(line.n_words <= 3),
            "words_gt20": float(line.n_words > MAX_HEADING_WORDS),
            "upper": float(line.text.isupper()),
            "terminated": float(is_terminated(line.text)),
            "titlecase": float(is_title_case(line.text)),
            "question": float(line.text.endswith("?")),
            "colon": float(":" in line.text),
            "digit_first": float(line.text[:1].isdigit()),
            "pipe": float(" | " in line.text),
            "quote_first": float(line.text[:1] in _QUOTATION_MARKS),
            "sentence": float((_sentence_like(line.text) or line.text[:1] in _QUOTATION_MARKS) and line.n_words > 8),
            "name": float(looks_like_name(line.text)),
            "creditlike": float(credit_like(line, kind)),
            "not_a_headline": float(_NOT_A_HEADLINE.match(line.text) is not None),
            "photo": float(_around_photo_credit(lines, i)),
            "date": float(mentions_date(line.text)),
            "dateline": float(parse_dateline(line.text) is not None),
            "repeats": math.log(copies[line.key]),
            "strict": float(i in strict),
            "old_score": _title_score(line, opening, credit, start - i),
            "next_sentence": float(below is not None and _sentence_like(below.text) and below.n_words > 8),
            "prev_heading": float(i > 0 and lines[i - 1].heading_shaped and kinds[i - 1] in ("text", "navigation")),
            "next_cand_credited": float(below is not None and has_credit[i + 1] and below.n_words <= 40),
            "is_standfirst": float(
                any(h in strict and _standfirst_of(lines, opening, has_credit, h, i) for h in (i - 2, i - 1))
            ),
            "has_standfirst": float(
                i in strict
                and any(j in chosen and _standfirst_of(lines, opening, has_credit, i, j) for j in (i + 1, i + 2))
            ),
            "holds_other": float(any(len(o) >= 12 and o in folded[i] for o in others)),
            "within_other": float(len(folded[i]) >= 12 and any(folded[i] in o for o in others)),
            "series": math.log1p(sum(abs(n - line.n_words) <= 2 for n in headings_below)) if rank[i] == 0 else 0.0,
            "glued": math.log1p(len(_GLUED.findall(line.text))),
            "furniture": _furniture_share(line.text),
        }
        rows.append((i, features))
    if rows:
        most = max(features["overlap"] for _, features in rows)
        longest = max(features["log_words"] * features["heading"] for _, features in rows)
        for _, features in rows:
            features["best_overlap"] = float(most > 0 and features["overlap"] == most)
            features["gap_overlap"] = most - features["overlap"]
            features["longest_heading"] = float(features["heading"] > 0 and features["log_words"] == longest)
    return rows


def headline_score(features: dict[str, float], weights: dict[str, float] = WEIGHTS) -> float:
    """A candidate's score as the headline: its features weighed by ``weights`` (higher is better)."""
    return sum(weights[name] * features[name] for name in HEADLINE_FEATURES)


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
        Caption, chrome and template-line patterns.

    Returns
    -------
    int or None
        The candidate of :func:`headline_candidates` with the highest :func:`headline_score`
        (the top one of a tie); None when there is no candidate.
    """
    return pick_headline(headline_features(lines, kinds, start, floor, rules))


def headline_odds(
    rows: Sequence[tuple[int, dict[str, float]]], weights: dict[str, float] = WEIGHTS
) -> dict[int, float]:
    """How likely each candidate is the headline: the softmax of :func:`headline_score` over the
    candidates (the model the weights were fitted as). Cross-validated by site, a pick given less
    than even odds was the true headline on about a third of such WCXB pages, one given 90% or more on
    four in five (``docs/methods.md``)."""
    scores = {i: headline_score(row, weights) for i, row in rows}
    if not scores:
        return {}
    top = max(scores.values())
    exp = {i: math.exp(score - top) for i, score in scores.items()}
    total = sum(exp.values())
    return {i: value / total for i, value in exp.items()}


def choose_headline(
    rows: Sequence[tuple[int, dict[str, float]]], weights: dict[str, float] = WEIGHTS
) -> tuple[int | None, dict[int, float]]:
    """The headline among candidates (:func:`headline_features`) and every candidate's
    :func:`headline_odds`, scored once.

    The headline is the candidate with the best odds (the top one of a tie), or the headline
    above it when it is that headline's standfirst and the headline has at least
    :data:`STANDFIRST_ODDS_SHARE` of its odds, or the line right above it when it reads as a deck
    (:func:`_reads_as_deck`) and that line, credited two lines down, passes the older scorer's
    test, is no navigation and has at least :data:`DECK_ODDS_SHARE` of its odds; None when there
    is no candidate.
    """
    odds = headline_odds(rows, weights)
    if not odds:
        return None, odds
    features = dict(rows)
    best = max(odds, key=lambda i: (odds[i], -i))
    if features[best]["is_standfirst"]:
        # a standfirst sits under its headline and often shares more words with the story;
        # a line the scorer all but rules out is no headline over it ("Best of Iceland")
        best = next(
            (
                h
                for h in (best - 1, best - 2)
                if h in features and features[h]["has_standfirst"] and odds[h] >= STANDFIRST_ODDS_SHARE * odds[best]
            ),
            best,
        )
    elif _reads_as_deck(features[best]):
        # a newsletter's deck stands between its headline and the byline, written as a phrase
        # ("A value-first messaging playbook for climate-tech founders"), no sentence
        above = best - 1
        if (
            above in features
            and features[above]["cr2"]
            and features[above]["strict"]
            and not features[above]["k_nav"]
            and odds[above] >= DECK_ODDS_SHARE * odds[best]
        ):
            best = above
    return best, odds


#: A deck has at least this many words ...
MIN_DECK_WORDS = 6
#: ... and the headline right above it is taken over it when its odds are at least this share of the deck's.
DECK_ODDS_SHARE = 0.2


def _reads_as_deck(features: dict[str, float]) -> bool:
    """Whether a candidate may be a deck under its headline: a line of :data:`MIN_DECK_WORDS`
    words or more, not in title case, right above a credit."""
    return bool(features["cr1"]) and not features["titlecase"] and features["log_words"] >= math.log(MIN_DECK_WORDS)


#: A headline above a standfirst is taken over it when its odds are at least this share of the standfirst's.
STANDFIRST_ODDS_SHARE = 1 / 3


def pick_headline(rows: Sequence[tuple[int, dict[str, float]]], weights: dict[str, float] = WEIGHTS) -> int | None:
    """The headline among candidates, as :func:`choose_headline` takes it."""
    return choose_headline(rows, weights)[0]


#: A label alone on its line ("Credit...", "Photo:"): the line under it names a photographer.
_PHOTO_CREDIT_LABEL = re.compile(r"(?i)\W*(?:photo(?:graph)?|image|picture)?\s*credits?\b\W*|(?:photo|image)\s*:")
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
        (_sentence_like(text) or text[:1] in _QUOTATION_MARKS)
        and has_credit[headline]
        and has_credit[line]
        and lines[headline].n_words <= lines[line].n_words
        and bool(content_words(lines[headline].text) & opening)
    )
