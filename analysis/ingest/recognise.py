"""What one line of a scraped page is, on its own: byline, dateline, tag list, headline shape.

These recognisers look at a single line and nothing else; :mod:`analysis.ingest.segment` combines
them with the page's layout and repetitions.
"""

from __future__ import annotations

import re
from functools import lru_cache

import regex

#: A heading (title, subheading, caption title) has at most this many words.
MAX_HEADING_WORDS = 20
#: A byline or dateline has at most this many words.
MAX_CREDIT_WORDS = 14

# Words: letters or digits with their combining marks (Devanagari, Arabic harakat), joined
# by inner apostrophes or hyphens. The `regex` module knows Unicode mark classes; `re` does not.
WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’\-][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*")
_TERMINAL = tuple(".!?…:;\"”’'")
_HEADING_ENDINGS = (".", ":", ";", ",", "…", ".”", '."', "“")
_TRAILING_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);$", re.IGNORECASE)
SMALL_WORDS = frozenset(
    "about above across after against among before behind below between beyond despite "
    "down during from inside into near onto over since than that then this through toward "
    "towards under until upon versus what when where while with within without".split()
)
_FILLER = frozenset("the and for are was were has have had its his her their our who which".split())
_ROLE_WORDS = frozenset("reporter writer correspondent editor contributor photographer columnist staff".split())
#: Degrees and titles printed after a name ("Ilana Muhlstein, MS, RDN"): not names of their own.
_CREDENTIALS = frozenset("ms ma msc md phd rdn rd rn mba jd do cpa jr sr esq mph dds bsc ba".split())
_NAME_PARTICLES = frozenset("de van von der den al bin da del della la le di du ibn abu".split())
#: Common words that never stand in a person's name ("By Any Means Necessary" is a headline).
_NOT_NAME_WORDS = frozenset(
    "a an and any all are as at be but by for from how in is it its means more most no not of on or our "
    "so some such than that the their there these this those to was we what when where which who why "
    "will with you your".split()
)

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?"
_CLOCK = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?"
_CALENDAR = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2})?)?"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
    r"|(?:an?|\d+)\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago"
    r"|yesterday|today|just now)"
)
_DATE = rf"(?:{_WEEKDAY}\s+)?(?:{_CLOCK},?\s+)?{_CALENDAR}(?:,?\s+(?:at\s+)?{_CLOCK})?"
_DATE_LABEL = r"(?:(?:last\s+)?(?:updated|published|posted|modified|first published)\s*:?\s*(?:on\s+|at\s+)?)"
DATELINE = re.compile(rf"{_DATE_LABEL}?(?P<date>{_DATE})\.?", re.IGNORECASE)
_BY = r"(?i:by|written by|words by|text by|reporting by|(?:analysis|story|report|opinion|commentary|review) by|author\s*:|authors\s*:)"
_ROLE = r"(?i:(?:staff|senior|chief|political|foreign|sports?)?\s*(?:writer|reporter|correspondent|contributor|editor))"
_STAFF = re.compile(
    r"(?i:(?:staff|senior)\s+(?:writer|reporter|report|editor)s?|editorial\s+(?:staff|team|board)|news\s+desk)"
)
_BY_NAMES = re.compile(rf"{_BY}:?\s+(?P<credit>.+)")
_DATE_BY_NAMES = re.compile(
    rf"{_DATE_LABEL}?(?P<date>{_DATE})\s*(?:[|•·–—,]\s*)?{_BY}:?\s+(?P<credit>.+)", re.IGNORECASE
)
#: "November 20, 2019 Emiliano Bellini": a date, then names without "by".
_DATE_NAMES = re.compile(rf"{_DATE_LABEL}?(?P<date>{_DATE})\s*(?:[|•·–—,]\s*)?(?P<credit>[A-Z].+)", re.IGNORECASE)
#: Contact details printed after a name: an e-mail address, a telephone number, a handle.
_CONTACT = re.compile(r"\S+@\S+\.\w+|\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}|@\w+")
_NAMES_ROLE = re.compile(rf"(?P<credit>.+?),?\s+{_ROLE}")
#: "Chris Davies - Nov 19, 2019, 10:31 pm CST", "Catherine Shu @catherineshu / 2 days": names, then a date.
_NAMES_DATE = re.compile(r"(?P<credit>[^|•·/–—@]+?)\s*(?:@\w+\s*)?(?:[|•·/–—]|\s-\s)\s*(?P<when>.+)")
#: "Tom Krisher, AP Auto Writer": the words between the comma and the role describe the role.
_NAMES_COMMA_ROLE = re.compile(rf"(?P<credit>[^,]+),\s*(?:[\w.&]+\s+){{0,3}}{_ROLE}")
_TAG_PREFIX = re.compile(
    r"(?i)(?:tags?|tagged(?: with)?|topics?|filed under|posted in|categor(?:y|ies))\s*:\s*(?P<tags>.+)"
)


_POSSESSIVE_S = re.compile(r"['’]s$")


@lru_cache(maxsize=1 << 16)  # the splitter asks about the same line several times
def count_words(text: str) -> int:
    """Count words: letters or digits with their marks, inner apostrophes and hyphens kept.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    int
        ``count_words("Mujahedin-e Khalq’s 1988 path")`` is 4.
    """
    return len(WORD.findall(text))


@lru_cache(maxsize=1 << 16)
def content_words(text: str) -> frozenset[str]:
    """Lower-cased words of three or more characters (any number), possessive ``'s`` removed.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    frozenset of str
        Used to tell whether two lines speak of the same thing.
    """
    folded = {w.casefold() for w in WORD.findall(text)}
    words = {_POSSESSIVE_S.sub("", w) if w.endswith("s") else w for w in folded}
    return frozenset(w for w in words if len(w) >= 3 or w.isdigit()).difference(SMALL_WORDS, _FILLER)


_CODE = re.compile(r"[{}();=<>\[\]]|=>|&&|\|\||\bfunction\b|\bvar\b|\bconst\b|\breturn\b")
#: What only program text has: braces, an assignment, an arrow, a keyword (escaped HTML in a title has none).
_CODE_MARK = re.compile(r"[{}]|[^=!<>]=[^=]|=>|\b(?:function|var|const|let|return)\b")
#: A line with at least this many code tokens per word is script or style text, not prose.
CODE_TOKENS_PER_WORD = 0.5


def looks_like_code(text: str) -> bool:
    """Whether a line is program text (an inline script or style sheet printed as text).

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    bool
        True when the line has at least 4 code tokens (brackets, ``=``, ``;``, ``function``,
        ``var`` ...), at least :data:`CODE_TOKENS_PER_WORD` of them per word, and a brace, an
        assignment or a keyword; prose with a bracket or two, or a title with escaped HTML in
        it, never qualifies.
    """
    tokens = len(_CODE.findall(text))
    return (
        tokens >= 4
        and tokens >= CODE_TOKENS_PER_WORD * max(count_words(text), 1)
        and _CODE_MARK.search(text) is not None
    )


#: Small print that one mention gives away.
_SMALL_PRINT = re.compile(
    r"all rights reserved|food and drug administration|consult your (?:physician|doctor)|results (?:may )?vary"
    r"|may not be (?:reproduced|republished|distributed)|user agreement|by (?:registering|submitting|signing up|subscribing)"
    r"|data protection|affiliate (?:links?|commission)"
    r"|(?:media|press) contacts?|investor relations|forward-looking statements",
    re.IGNORECASE,
)
#: A line this long needs two different small-print words: one phrase alone may be quoted in prose.
SMALL_PRINT_ALONE_WORDS = 60
#: Small print words that two different ones give away.
_BOILERPLATE = re.compile(
    r"privacy (?:policy|notice|statement)|terms (?:of (?:use|service)|and conditions)|cookies?\b|\bconsent\b"
    r"|\byour (?:data|e-?mail(?: address)?)\b|unsubscribe|newsletters?|trademarks?|\bspam\b|revoke|subscri(?:be|ption)"
    r"|for more information(?:, please)? (?:visit|contact)|personal (?:data|information)|third[- ]part(?:y|ies)",
    re.IGNORECASE,
)
_AUTHOR_BIO = re.compile(
    r"(?:[A-Z][\w.'’-]+ ){1,3}[A-Z][\w.'’-]+,?\s+(?:\(@\w+\)\s+)?(?:is|was|has been|writes|covers|reports)\b.{0,80}"
    r"\b(?:writer|reporter|journalist|editor|correspondent|contributor|author|columnist|host|producer|freelancer"
    r"|covers|reports on|based in)\b.*"
)


def looks_like_boilerplate(text: str) -> bool:
    """Whether a paragraph is legal, consent or newsletter small print, or an author's biography.

    Parameters
    ----------
    text : str
        A line of any length.

    Returns
    -------
    bool
        True for a line with a phrase only small print uses ("all rights reserved", "personal
        data", "by registering"), or two different words of it ("privacy policy" and
        "newsletter"), and for a line that introduces a journalist ("Brigit Katz is a freelance
        writer based in Toronto.").
    """
    if _SMALL_PRINT.search(text) and count_words(text) <= SMALL_PRINT_ALONE_WORDS:
        return True
    kinds = {m.group(0).casefold() for m in _BOILERPLATE.finditer(text)}
    return len(kinds) >= 2 or _AUTHOR_BIO.fullmatch(text.strip()) is not None


def is_terminated(text: str) -> bool:
    """Whether a line ends like a sentence (full stop, question mark, closing quote ...).

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    bool
        False for headlines and most captions, which end on a word, a number or a bracket.
    """
    return text.rstrip().endswith(_TERMINAL)


def is_heading_shaped(text: str) -> bool:
    """Whether a line could be a title or subheading: short, and not ending a sentence.

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    bool
        True for 1 to :data:`MAX_HEADING_WORDS` words not ending in ``. : ; ,`` (a headline
        may end in ``?`` or ``!``).
    """
    # a scraped headline may end in an HTML entity ("&#39;plan&#39;"), whose ";" ends no sentence
    ending = _TRAILING_ENTITY.sub("", text.rstrip())
    return 0 < count_words(text) <= MAX_HEADING_WORDS and not ending.endswith(_HEADING_ENDINGS)


def is_title_case(text: str) -> bool:
    """Whether most words of four or more letters are capitalised, as in a subheading.

    Parameters
    ----------
    text : str
        A short line.

    Returns
    -------
    bool
        True for "Support from the International Community", False for "Mass grave of
        MEK members executed in 1988" (a caption title, written as a sentence).
    """
    words = [w for w in WORD.findall(text) if len(w) >= 4 and w[0].isalpha() and w.casefold() not in SMALL_WORDS]
    if not words:
        return True
    return sum(1 for w in words if w[0].isupper()) / len(words) >= 0.75


def _names(text: str, single_names: bool = False) -> list[str] | None:
    """Split "Jane Doe and John Smith" into names; None when any part is not name-like."""
    parts = [p.strip() for p in re.split(r"\s*(?:,|&|\band\b)\s*", text) if p.strip()]
    for part in parts:
        words = part.split()
        if len(words) < 2 and not part.isupper() and not single_names:
            return None  # one capitalised word ("Sea") is more often a headline than a name
        if any(w.casefold() in _NOT_NAME_WORDS or _ROLE_WORDS & set(w.casefold().split("-")) for w in words):
            return None
        if not all(w[0].isupper() or w.casefold() in _NAME_PARTICLES for w in words):
            return None
    return parts or None


_DATE_WORD = re.compile(
    rf"(?:{_MONTH}|{_WEEKDAY}|{_CLOCK}|\d{{1,4}}(?:st|nd|rd|th)?|[ap]\.?m\.?|utc|gmt|[ecmp]t|[a-z]?[ecmpab][sd]t|bst|cet|cest"
    r"|last|updated?|published|posted|modified|first|on|at"
    r"|[/.,:|•·–—\-()])",
    re.IGNORECASE,
)
_MONTH_NAME = re.compile(
    rf"\b{_MONTH}(?![a-z])|\d{{4}}-\d{{2}}-\d{{2}}|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b", re.IGNORECASE
)
_DATE_LABEL_ONLY = re.compile(
    r"(?:last\s+)?(?:updated|published|posted|modified|first published)(?:\s+(?:on|at))?\s*:?", re.IGNORECASE
)


def _only_date_words(text: str) -> bool:
    """Whether a line is made of date and time words alone ("1:39 am EST, Wednesday, November 20, 2019")."""
    if not _MONTH_NAME.search(text):
        return False
    rest = _DATE_WORD.sub(" ", text)
    return not rest.strip()


_DATE_MENTION = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}(?![a-z])|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
    r"|\b\d+\s+(?:hours?|days?|minutes?|mins?|hrs?)\b"
    rf"|\b{_WEEKDAY}\s+{_CLOCK}",
    re.IGNORECASE,
)


def mentions_date(text: str) -> bool:
    """Whether a line names a day ("Nov 19", "3 May", "2019-11-19", "2 days"): a credit, not a headline.

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    bool
        True when a calendar date or an age ("2 days") appears anywhere in it.
    """
    return _DATE_MENTION.search(text) is not None


def parse_dateline(text: str) -> str | None:
    """Read a line that is only a date: "Updated 3 hours ago", "Published 14:32, 6 May 2024".

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    str or None
        The date as printed, without its label; None when the line is anything else.
    """
    if count_words(text) > 2 * MAX_CREDIT_WORDS:
        return None
    stripped = text.strip()
    match = DATELINE.fullmatch(stripped) if count_words(text) <= MAX_CREDIT_WORDS else None
    if match:
        return match.group("date").strip()
    if _DATE_LABEL_ONLY.fullmatch(stripped):
        return stripped  # "Updated" printed on a line of its own, its date on the next
    if _only_date_words(stripped):
        return _DATE_LABEL_ONLY.sub("", stripped, count=1).strip(" :,")
    return None


def _credit(text: str, single_names: bool = False) -> tuple[list[str], str] | None:
    """Split "Tom Baker, Reporter | 3 May 2021" into names and the rest; None without a name.

    ``single_names`` accepts one capitalised word as a name ("3 May 2021 | by Catherine").
    """
    head, *tail_parts = re.split(r"[|•·–—(]|\s-{1,2}\s|\s+(?i:on)\s+(?=\d|[A-Z][a-z]{2})", text, maxsplit=1)
    tail = tail_parts[0] if tail_parts else ""
    parts = [p.strip() for p in head.split(",") if p.strip().casefold().strip(".") not in _CREDENTIALS]
    for keep in range(len(parts), 0, -1):
        names = _names(", ".join(parts[:keep]), single_names)
        if names:
            rest = ", ".join(parts[keep:]) + " " + tail
            return names, rest.strip(" ,|•·–—()")
    return None


def parse_byline(text: str) -> tuple[str, str | None] | None:
    """Read an author credit, with its date when one is printed beside it.

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    tuple or None
        ``(byline, date)``: ``("Jane Doe", "March 3, 2021")`` for ``"By Jane Doe | March 3,
        2021"``, ``("Mary Holt", "July 14, 2023")`` for ``"Posted on July 14, 2023 by Mary
        Holt"``, ``("Tom Baker", None)`` for ``"By Tom Baker, Reporter"``, ``("Staff writer",
        None)``; None when the line is not a byline ("By Any Means Necessary").
    """
    stripped = " ".join(_CONTACT.sub(" ", text).split())
    if count_words(stripped) > MAX_CREDIT_WORDS + (6 if stripped.casefold().startswith("by") else 0):
        return None
    if _STAFF.fullmatch(stripped):
        return stripped, None
    staff = re.fullmatch(r"(?P<credit>.+?)\s*[|•·,–—]\s*(?P<when>.+)", stripped)
    if staff and _STAFF.fullmatch(staff.group("credit")) and parse_dateline(staff.group("when")):
        return staff.group("credit"), parse_dateline(staff.group("when"))
    dated = _NAMES_DATE.fullmatch(stripped)
    if dated and (mentions_date(dated.group("when")) or parse_dateline(dated.group("when"))):
        names = _names(dated.group("credit").strip())
        if names:
            return " and ".join(names), dated.group("when").strip()
    for pattern in (_BY_NAMES, _DATE_BY_NAMES, _NAMES_COMMA_ROLE, _NAMES_ROLE, _DATE_NAMES):
        match = pattern.fullmatch(stripped)
        credit = _credit(match.group("credit"), single_names=pattern is _DATE_BY_NAMES) if match else None
        if credit is None:
            continue
        names, rest = credit
        if pattern in (_NAMES_ROLE, _NAMES_COMMA_ROLE, _DATE_NAMES) and rest:
            continue
        date = match.groupdict().get("date") or (parse_dateline(rest) if rest else None)
        return " and ".join(names), date.strip() if date else None
    return None


_COMMENT_CREDIT = re.compile(
    rf"(?P<name>\S+(?:\s+\S+){{0,3}}?)\s*(?:\bon\b|[|•·,–—-])?\s*(?:{_DATE_LABEL})?(?:{_DATE})?\s*(?:said|says|wrote|replied)\s*:?",
    re.IGNORECASE,
)
_COMMENT_HEADER = re.compile(
    r"(?:\d+\s+)?(?:comments?|responses?|replies|reader comments|discussion)(?:\s*\(\d+\))?"
    r"|(?:leave|post|add|write) a (?:comment|reply|response)|join the (?:discussion|conversation)"
    r"|(?:\d+\s+)?thoughts? on .{1,120}|what do you think\??|show comments|view comments",
    re.IGNORECASE,
)


def is_comment_credit(text: str) -> bool:
    """Whether a line heads a reader's comment ("Milan Griffes on September 12, 2018 at 4:47 pm said:").

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    bool
        A short line ending in "said:", "says:", "wrote:" or "replied:", with a name and an
        optional date before it.
    """
    match = _COMMENT_CREDIT.fullmatch(text.strip()) if count_words(text) <= MAX_CREDIT_WORDS else None
    if match is None:
        return False
    name = match.group("name").strip(" ,|•·–—-")
    return bool(name) and not any(w.casefold() in _NOT_NAME_WORDS for w in name.split())


def is_comment_header(text: str) -> bool:
    """Whether a line opens a comment section ("Comments", "10 Responses", "Leave a Reply").

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    bool
        What follows such a line on a page saved whole is readers' comments, not the article.
    """
    return count_words(text) <= 25 and _COMMENT_HEADER.fullmatch(text.strip(" .:!-–—")) is not None


def parse_tag_line(text: str) -> tuple[str, ...] | None:
    """Read a tag line: ``"Tags: a, b"`` anywhere, or a bare list ``"1988 Massacre,Ashraf 3,MEK"``.

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    tuple of str or None
        The tags in order, or None. A bare list (no "Tags:" label) needs three or more items
        of at most eight words, each starting with a capital, a digit or ``#``, no sentence
        ending, and commas written without a following space at least once (as content
        management systems print them): "Bread, Butter, Jam" is a headline.
    """
    prefixed = _TAG_PREFIX.fullmatch(text.strip())
    if prefixed:
        items = [t.strip() for t in re.split(r"[,;|]", prefixed.group("tags"))]
        return tuple(t for t in items if t) or None
    if is_terminated(text) or not re.search(r",\S", text):
        return None
    items = [t.strip() for t in text.split(",")]
    if len(items) < 3 or any(not t for t in items):
        return None
    if all(count_words(t) <= 8 and (t[0].isupper() or t[0].isdigit() or t[0] == "#") for t in items):
        return tuple(items)
    return None


def is_labelled_tag_line(text: str) -> bool:
    """Whether a line is a tag list with a label ("Tags:", "Categories:", "Filed under:").

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    bool
        Labelled lists may stand anywhere in an article; bare lists only open one.
    """
    return _TAG_PREFIX.fullmatch(text.strip()) is not None


def looks_like_name(text: str) -> bool:
    """Whether a short line is just a person's name ("Jenny Park"), as printed above a date.

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    bool
        Two to four capitalised words, none of them a common word.
    """
    words = text.strip().split()
    return 2 <= len(words) <= 4 and _names(text.strip()) == [text.strip()] and all(w.isalpha() for w in words)
