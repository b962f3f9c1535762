"""What one line of a scraped page is, on its own: byline, dateline, tag list, headline shape.

These recognisers look at a single line and nothing else; :mod:`analysis.ingest.segment` combines
them with the page's layout and repetitions.
"""

from __future__ import annotations

import re
from functools import lru_cache

import regex

#: Distinct lines whose readings each recogniser remembers: a site's furniture recurs on every
#: page, and a page's lines are read again by the splitter, so one page and the recurring lines fit.
RECENT_LINES = 1 << 14
#: A heading (title, subheading, caption title) has at most this many words.
MAX_HEADING_WORDS = 20
#: A byline or dateline has at most this many words.
MAX_CREDIT_WORDS = 14
#: ... and a byline starting with "By" this many more (a list of names).
BY_EXTRA_WORDS = 6

# Words: letters or digits with their combining marks (Devanagari, Arabic harakat), joined
# by inner apostrophes or hyphens. The `regex` module knows Unicode mark classes; `re` does not.
WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’\-][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*")
#: :data:`WORD` restricted to ASCII text (no marks there, and "’" is not ASCII): the standard
#: library's engine finds the same words about three times faster.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:['\-][A-Za-z0-9]+)*")
_ASCII_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_TERMINAL = tuple(".!?…:;\"”’'")
_HEADING_ENDINGS = (".", ":", ";", ",", "…", ".”", '."', "“")
_TRAILING_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);$", re.IGNORECASE)
SMALL_WORDS = frozenset(
    "about above across after against among before behind below between beyond despite "
    "down during from inside into near onto over since than that then this through toward "
    "towards under until upon versus what when where while with within without".split()
)
#: A possessive ending, taken off a word before words are compared ("Khalq’s" is "Khalq").
_POSSESSIVE_S = ("'s", "’s")
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

# names and their abbreviations, whole: "Markets", "Decor" and "Wedding" are not dates
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![a-z])\.?"
)
_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)"
    r"(?![a-z])\.?,?"
)
_CLOCK = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5}(?![a-z]))?"  # a zone, not "Updated"
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
    r"(?i:(?:staff|senior)\s+(?:writer|reporter|report|editor)s?|editorial\s+(?:staff|team|board)|news\s+desk"
    # a news agency credited in the byline's place
    r"|(?:the\s+)?(?:associated|canadian)\s+press|agence\s+france-presse|press\s+association"
    r"|united\s+press\s+international|bloomberg\s+news)"
)
_BY_NAMES = re.compile(rf"{_BY}:?\s+(?P<credit>.+)")
_DATE_BY_NAMES = re.compile(
    rf"{_DATE_LABEL}?(?P<date>{_DATE})\s*(?:[|•·–—,]\s*)?{_BY}:?\s+(?P<credit>.+)", re.IGNORECASE
)
#: "November 20, 2019 Emiliano Bellini": a date, then names without "by".
_DATE_NAMES = re.compile(rf"{_DATE_LABEL}?(?P<date>{_DATE})\s*(?:[|•·–—,]\s*)?(?P<credit>[A-Z].+)", re.IGNORECASE)
#: Contact details printed after a name: an e-mail address, a telephone number, a handle.
_PHONE = r"\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}"
_EMAIL_ADDRESS = r"\S+@\S+\.\w+"
_CONTACT = re.compile(rf"{_EMAIL_ADDRESS}|{_PHONE}|@\w+")
#: A line without "@" has contact details only when it has a telephone number.
_CONTACT_WITHOUT_AT = re.compile(_PHONE)
#: "Staff writer | 3 May 2021": a credit, a separator, then when.
_CREDIT_THEN_WHEN = re.compile(r"(?P<credit>.+?)\s*[|•·,–—]\s*(?P<when>.+)")
_NAMES_ROLE = re.compile(rf"(?P<credit>.+?),?\s+{_ROLE}")
#: "Chris Davies - Nov 19, 2019, 10:31 pm CST", "Catherine Shu @catherineshu / 2 days": names, then a date.
_NAMES_DATE = re.compile(r"(?P<credit>[^|•·/–—@]+?)\s*(?:@\w+\s*)?(?:[|•·/–—]|\s-\s)\s*(?P<when>.+)")
#: "Tom Krisher, AP Auto Writer": the words between the comma and the role describe the role.
_NAMES_COMMA_ROLE = re.compile(rf"(?P<credit>[^,]+),\s*(?:[\w.&]+\s+){{0,3}}{_ROLE}")
_TAG_SEPARATOR = re.compile(r"[,;|]")
#: A comma with no space after it, as content management systems print tag lists.
_TIGHT_COMMA = re.compile(r",\S")
_TAG_PREFIX = re.compile(
    r"(?i)(?:tags?|tagged(?: with)?|topics?|filed under|posted in|categor(?:y|ies))\s*:\s*(?P<tags>.+)"
)


def find_words(text: str) -> list[str]:
    """The words of a text (see :data:`WORD`), in order.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of str
        ``WORD.findall(text)``, found with the faster :data:`_ASCII_WORD` when the text is ASCII.
    """
    return _ASCII_WORD.findall(text) if text.isascii() else WORD.findall(text)


#: Characters that Python's ``re`` matches to an ASCII letter under ``IGNORECASE`` although
#: ``str.lower`` does not turn them into that letter ("İ" lowers to two characters).
_IGNORECASE_ODDITIES = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def fold_case(text: str) -> str:
    """Lower-case a text so that a cheap substring test can rule a case-insensitive pattern out.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The text, lower-cased, of the same length: wherever a pattern compiled with
        ``re.IGNORECASE`` matches an ASCII literal, the folded text holds that literal in lower
        case, so ``needle not in fold_case(text)`` proves the pattern cannot match there.
    """
    return text.lower() if text.isascii() else text.translate(_IGNORECASE_ODDITIES).lower()


def _mentions_any(folded: str, needles: tuple[str, ...]) -> bool:
    """Whether any needle (lower-case ASCII) occurs in a :func:`fold_case` text."""
    return any(map(folded.__contains__, needles))


@lru_cache(maxsize=1 << 12)
def _recent_words(text: str) -> tuple[str, ...]:
    """:func:`find_words` of the texts read lately: a line's words are counted first, and its
    content words are often asked for later on the same page (so fewer texts are kept)."""
    return tuple(find_words(text))


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
    return len(_recent_words(text))


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
    if text.isascii():
        return _ascii_content_words(text)
    folded = {w.casefold() for w in _recent_words(text)}
    words = {w[:-2] if w.endswith(_POSSESSIVE_S) else w for w in folded}
    return frozenset(w for w in words if len(w) >= 3 or w.isdigit()).difference(SMALL_WORDS, _FILLER)


#: ASCII words too short to be content words: one or two letters or digits, not all digits.
_SHORT_ASCII_WORDS = frozenset(
    word for word in (*_ASCII_ALNUM, *(a + b for a in _ASCII_ALNUM for b in _ASCII_ALNUM)) if not word.isdigit()
)
_NOT_ASCII_CONTENT_WORDS = _SHORT_ASCII_WORDS | SMALL_WORDS | _FILLER


def _ascii_content_words(text: str) -> frozenset[str]:
    """:func:`content_words` of an ASCII text, by set operations rather than a test of every word."""
    lowered = " ".join(_recent_words(text)).lower()  # no word holds a space
    words = frozenset(lowered.split())
    if "'s" in lowered:
        words = frozenset(w[:-2] if w.endswith("'s") else w for w in words)
    return words.difference(_NOT_ASCII_CONTENT_WORDS)


_CODE = re.compile(r"[{}();=<>\[\]]|=>|&&|\|\||\bfunction\b|\bvar\b|\bconst\b|\breturn\b")
#: What only program text has: braces, an assignment, an arrow, a keyword (escaped HTML in a title has none).
_CODE_MARK = re.compile(r"[{}]|[^=!<>]=[^=]|=>|\b(?:function|var|const|let|return)\b")
#: Every match of :data:`_CODE_MARK` holds one of these: a line with none is not code.
_CODE_MARK_NEEDLES = ("{", "}", "=", "function", "var", "const", "let", "return")
#: Every match of :data:`_CODE` holds one of these: counted, they bound the number of tokens.
_CODE_TOKEN_NEEDLES = (
    "{",
    "}",
    "(",
    ")",
    ";",
    "=",
    "<",
    ">",
    "[",
    "]",
    "&&",
    "||",
    "function",
    "var",
    "const",
    "return",
)
#: A line with at least this many code tokens per word is script or style text, not prose.
CODE_TOKENS_PER_WORD = 0.5


@lru_cache(maxsize=RECENT_LINES)
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
    if not any(map(text.__contains__, _CODE_MARK_NEEDLES)):
        return False
    # apart, matches hold apart needles, and str.count finds the most of them that stand apart
    at_most = sum(map(text.count, _CODE_TOKEN_NEEDLES))
    if at_most < 4 or at_most < CODE_TOKENS_PER_WORD * max(count_words(text), 1):
        return False
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
    r"|(?:media|press) contacts?|investor relations|forward-looking statements"
    r"|if you (?:enjoyed|liked|valued?) (?:this|our) (?:article|story|post|piece|reporting)"
    r"|for informational purposes only|(?:regulations|laws) in your country|reserve the right to remove"
    r"|comments? (?:will be|are) (?:rejected|moderated|removed|subject to)|moderat(?:es|ed|ing) (?:all )?comments|(?:as|before) you comment"
    r"|(?:alerts|updates) and special reports|may be reached at|delivered (?:straight )?to your inbox"
    r"|(?:disable|turn off|pause) your ad ?blocker|never see this message again"
    r"|contributed (?:reporting )?to this (?:report|story|article)|contributed reporting\b"
    r"|click (?:here )?to (?:subscribe|support)|click here for more information"
    r"|sign up for (?:our|the|[\w’'-]+(?: [\w’'-]+){0,2}['’]s) (?:free |daily |weekly )?(?:e-?mail )?newsletters?"
    r"|the opinions expressed in (?:reader |these |the )?comments|the technical storage or access"
    r"|delivered (?:through|to) your (?:letterbox|door)|no part may be reproduced|retrieved \d{1,2} \w+ \d{4} from"
    r"|for your personal,? non-?commercial use|(?:update|upgrade) to a (?:modern|newer|supported) browser"
    r"|(?:take|taking) (?:this|our|a short) survey|^\W*subscribe to\b"
    r"|we use cookies|by continuing to (?:use|browse)|^\W*write to .{1,60}\S@\S"
    r"|^\W*sign up (?:for (?:our|the|a) (?:[\w’'-]+ ){0,4}(?:e-?mail )?(?:newsletters?|briefing)|to receive\b)",
    re.IGNORECASE,
)
#: Every match of :data:`_SMALL_PRINT` holds one of these (in lower case, see :func:`fold_case`).
_SMALL_PRINT_NEEDLES = (
    "all rights reserved", "food and drug administration", "consult your ", "vary", "may not be ", "user agreement",
    "by registering", "by submitting", "by signing up", "by subscribing", "data protection", "affiliate ",
    "media contact", "press contact", "investor relations", "forward-looking statements", "if you ",
    "informational purposes", "in your country", "reserve the right", "comment", "special reports", "may be reached",
    "to your inbox", "your ad", "this message again", "contributed ", "click ", "your letterbox",
    "your door", "may be reproduced", "retrieved ", "sign up ",
    "commercial use", " browser", " survey", "subscribe to", "we use cookies", "by continuing", "write to",
    "technical storage",
)  # fmt: skip
#: A line this long needs two different small-print words: one phrase alone may be quoted in prose.
SMALL_PRINT_ALONE_WORDS = 60
#: Small print words that two different ones give away.
_BOILERPLATE = re.compile(
    r"privacy (?:policy|notice|statement)|terms (?:of (?:use|service)|and conditions)|cookies?\b|\bconsent\b"
    r"|\byour (?:data|e-?mail(?: address)?)\b|unsubscribe|newsletters?|trademarks?|\bspam\b|revoke|subscri(?:be|ption)"
    r"|for more information(?:, please)? (?:visit|contact)|personal (?:data|information)|third[- ]part(?:y|ies)",
    re.IGNORECASE,
)
#: Every match of :data:`_BOILERPLATE` holds one of these (in lower case, see :func:`fold_case`).
_BOILERPLATE_NEEDLES = (
    "privacy ", "terms ", "cookie", "consent", "your data", "your e", "unsubscribe", "newsletter", "trademark",
    "spam", "revoke", "subscri", "for more information", "personal ", "third",
)  # fmt: skip
_AUTHOR_BIO = re.compile(
    r"(?:(?:[A-Z][\w.'’-]* )?(?:contributor|columnist|writer|editor|correspondent) )?"  # "NRO contributor ..."
    # the name, or only the handle after it when an element dump cut the name's link off
    r"(?:(?:[A-Z][\w.'’-]+ ){1,3}[A-Z][\w.'’-]+,?\s+(?:\([^()]{1,60}\)\s+)?|\(@\w+\)\s+)"
    r"(?:is|was|has been|writes|covers|reports)\b.{0,80}"
    r"\b(?:writer|reporter|journalist|editor|correspondent|contributor|author|columnist|host|producer|freelancer"
    r"|covers|reports on|based in|(?i:senior fellow|fellow at))\b.*"
)


@lru_cache(maxsize=RECENT_LINES)
def looks_like_boilerplate(text: str) -> bool:
    """Whether a paragraph is legal, consent or newsletter small print, or an author's biography.

    Parameters
    ----------
    text : str
        A line of any length.

    Returns
    -------
    bool
        True for a line of at most :data:`SMALL_PRINT_ALONE_WORDS` words with a phrase only
        small print uses ("all rights reserved", "by registering", "moderates comments"), a
        line of any length with two of them, or with two different words of it ("privacy
        policy" and "newsletter"), for a line that introduces a journalist ("Brigit Katz
        is a freelance writer based in Toronto.") and for one that gives a telephone number and
        an e-mail address.
    """
    folded = fold_case(text)
    if _mentions_any(folded, _SMALL_PRINT_NEEDLES):
        phrases = {m.group(0).casefold() for m in _SMALL_PRINT.finditer(text)}
        if len(phrases) >= 2 or (phrases and count_words(text) <= SMALL_PRINT_ALONE_WORDS):
            return True
    # two matches hold two needles, at different places
    if sum(map(folded.count, _BOILERPLATE_NEEDLES)) >= 2:
        kinds = {m.group(0).casefold() for m in _BOILERPLATE.finditer(text)}
        if len(kinds) >= 2:
            return True
    return _AUTHOR_BIO.fullmatch(text.strip()) is not None or _is_contact_line(text)


_EMAIL = re.compile(_EMAIL_ADDRESS)


def _is_contact_line(text: str) -> bool:
    """Whether a line gives a reporter's telephone number and e-mail address ("Bob Condotta:
    206-515-5699 or bcondotta@seattletimes.com"), at most :data:`SMALL_PRINT_ALONE_WORDS` words."""
    return (
        "@" in text
        and count_words(text) <= SMALL_PRINT_ALONE_WORDS
        and _EMAIL.search(text) is not None
        and _CONTACT_WITHOUT_AT.search(text) is not None
    )


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
    words = [w for w in find_words(text) if len(w) >= 4 and w[0].isalpha() and w.casefold() not in SMALL_WORDS]
    if not words:
        return True
    return sum(1 for w in words if w[0].isupper()) / len(words) >= 0.75


#: A line naming this many people, places or brands (capitalised words past its first) reads as
#: a headline ("Behind a healthy O-line, Seahawks running back Kenneth Walker III is hitting his stride").
MIN_NAMES_IN_HEADLINE = 2


def names_things(text: str) -> bool:
    """Whether a line names people, places or brands as a news headline does: at least
    :data:`MIN_NAMES_IN_HEADLINE` capitalised words after its first ("I", "I’d", "I'm" not counted).

    Parameters
    ----------
    text : str
        A short line.

    Returns
    -------
    bool
        True for "QB Will Rogers decides to remain at Washington", False for "Ask the river
        authority for the anchoring plan" (an item of a checklist).
    """
    words = find_words(text)[1:]
    return sum(1 for w in words if w[0].isupper() and _FIRST_PERSON.fullmatch(w) is None) >= MIN_NAMES_IN_HEADLINE


#: "I" and its contractions ("I’d", "I'm", "I've").
_FIRST_PERSON = re.compile(r"I(?:['’]\w+)?")


#: A numbered item's heading ("2. Google Cloud Machine Learning", "#1. Wix: Best All-in-One Builder").
_NUMBERED_ITEM = re.compile(r"\s*(?:#\s*)?\d{1,3}[.)]\s+\S")


def is_numbered_item(text: str) -> bool:
    """Whether a line opens with an item's number ("2. Sony A7 IV", "#1. Wix", "3) The east bank"):
    the heading of an item of a list article, not an article's headline."""
    return _NUMBERED_ITEM.match(text) is not None


_NAME_SEPARATOR = re.compile(r"\s*(?:,|&|\band\b)\s*")


def _names(text: str, single_names: bool = False) -> list[str] | None:
    """Split "Jane Doe and John Smith" into names; None when any part is not name-like."""
    parts = [p.strip() for p in _NAME_SEPARATOR.split(text) if p.strip()]
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
    # what _DATE_WORD.sub(" ", text) leaves is blank: read date words from the start, and stop
    # at the first other character (no date word starts with white space, or looks behind it)
    at = 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        word = _DATE_WORD.match(text, at)
        if word is None:
            return False
        at = word.end()
    return _MONTH_NAME.search(text) is not None


_DATE_MENTION = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}(?![a-z])|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
    r"|\b\d+\s+(?:hours?|days?|minutes?|mins?|hrs?)\b"
    rf"|\b{_WEEKDAY}\s+{_CLOCK}",
    re.IGNORECASE,
)


@lru_cache(maxsize=RECENT_LINES)
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


def is_date_label(text: str) -> bool:
    """Whether a line is only a date's label ("Updated", "Published on:"), its date elsewhere.

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    bool
        True for a label alone; its date is on the next line, or it is a flag on a teaser.
    """
    return _DATE_LABEL_ONLY.fullmatch(text.strip()) is not None


#: A reading time printed after a date ("Thu, Dec 21, 2023, 9:42 PM·2 min read"): not part of it.
_READING_TIME_TAIL = re.compile(r"\s*[·|•–—-]?\s*\d+\s*min(?:ute)?s?\.?\s+read\s*$", re.IGNORECASE)


@lru_cache(maxsize=RECENT_LINES)
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
    stripped = _READING_TIME_TAIL.sub("", text.strip()) or text.strip()
    match = DATELINE.fullmatch(stripped) if count_words(text) <= MAX_CREDIT_WORDS else None
    if match:
        return match.group("date").strip()
    if _DATE_LABEL_ONLY.fullmatch(stripped):
        return stripped  # "Updated" printed on a line of its own, its date on the next
    if _only_date_words(stripped):
        return _DATE_LABEL_ONLY.sub("", stripped, count=1).strip(" :,")
    return None


#: Where a credit's names end: a separator, " on " before a date, or " For " before the outlet
#: the author writes for ("By Erica Nardozzi For Dailymail.Com").
_CREDIT_TAIL = re.compile(r"[|•·–—(]|\s-{1,2}\s|\s+(?i:on)\s+(?=\d|[A-Z][a-z]{2})|\s+(?i:for)\s+(?=[A-Z])")


def _credit(text: str, single_names: bool = False) -> tuple[list[str], str] | None:
    """Split "Tom Baker, Reporter | 3 May 2021" into names and the rest; None without a name.

    ``single_names`` accepts one capitalised word as a name ("3 May 2021 | by Catherine").
    """
    head, *tail_parts = _CREDIT_TAIL.split(text, maxsplit=1)
    tail = tail_parts[0] if tail_parts else ""
    parts = [p.strip() for p in head.split(",") if p.strip().casefold().strip(".") not in _CREDENTIALS]
    for keep in range(len(parts), 0, -1):
        names = _names(", ".join(parts[:keep]), single_names)
        if names:
            rest = ", ".join(parts[keep:]) + " " + tail
            return names, rest.strip(" ,|•·–—()")
    return None


#: Every byline holds one of these: a staff or role word, "by", a separator before a date, or
#: a date (which has a digit or is "2 days ago", "yesterday", "today", "just now").
_BYLINE_NEEDLES = (
    "writer", "report", "editor", "desk", "correspondent", "contributor", "author", "by", "|", "/", " - ",
    "ago", "yesterday", "today", "just now", "press", "bloomberg", *"0123456789",
)  # fmt: skip


def _may_hold_contacts(text: str) -> bool:
    """Whether :data:`_CONTACT` may find something in a line: an "@", or a digit for a telephone number."""
    if "@" in text:
        return True
    if text.isascii() and not any(map(text.__contains__, "0123456789")):
        return False
    return _CONTACT_WITHOUT_AT.search(text) is not None


def _without_contacts(text: str) -> str:
    """A line with its contact details (:data:`_CONTACT`) blanked out and its white space collapsed."""
    if _may_hold_contacts(text):
        text = _CONTACT.sub(" ", text)
    return " ".join(text.split())


@lru_cache(maxsize=RECENT_LINES)
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
    if count_words(text) > MAX_CREDIT_WORDS + BY_EXTRA_WORDS and not _may_hold_contacts(text):
        return None  # too long even after "By", and nothing to blank out (white space is in no word)
    stripped = _without_contacts(text)
    if count_words(stripped) > MAX_CREDIT_WORDS + (BY_EXTRA_WORDS if stripped.casefold().startswith("by") else 0):
        return None
    if stripped.isascii() and not _mentions_any(stripped.lower(), _BYLINE_NEEDLES):
        return None
    if _STAFF.fullmatch(stripped):
        return stripped, None
    staff = _CREDIT_THEN_WHEN.fullmatch(stripped)
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
    rf"(?P<name>\S+(?:\s+\S+){{0,3}}?)\s*(?:\bon\b|[|•·,–—-])?\s*(?:{_DATE_LABEL})?(?:{_DATE})?\s*\b(?:said|says|wrote|replied)\s*:?",
    re.IGNORECASE,
)
#: How every comment credit ends: a line without it needs no try of :data:`_COMMENT_CREDIT`.
_COMMENT_VERB_END = re.compile(r"\b(?:said|says|wrote|replied)\s*:?\Z", re.IGNORECASE)
_COMMENT_HEADER = re.compile(
    r"(?:\d+\s+)?(?:comments?|responses?|replies|reader comments|discussion)(?:\s*\(\d+\))?"
    r"|(?:leave|post|add|write) a (?:comment|reply|response)|join the (?:discussion|conversation)"
    r"|(?:\d+\s+)?thoughts? on .{1,120}|what do you think\??|show comments|view comments"
    r"|discussion about this (?:post|article|story|episode)|comments\s*restacks",
    re.IGNORECASE,
)


@lru_cache(maxsize=RECENT_LINES)
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
    if count_words(text) > MAX_CREDIT_WORDS or not _COMMENT_VERB_END.search(text.strip()):
        return False
    match = _COMMENT_CREDIT.fullmatch(text.strip())
    if match is None:
        return False
    name = match.group("name").strip(" ,|•·–—-")
    return bool(name) and not any(w.casefold() in _NOT_NAME_WORDS for w in name.split())


@lru_cache(maxsize=RECENT_LINES)
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


@lru_cache(maxsize=RECENT_LINES)
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
        items = [t.strip() for t in _TAG_SEPARATOR.split(prefixed.group("tags"))]
        return tuple(t for t in items if t) or None
    if is_terminated(text) or not _TIGHT_COMMA.search(text):
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


@lru_cache(maxsize=RECENT_LINES)
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


def looks_like_names(text: str) -> bool:
    """Whether a short line is one name or a list of names, as printed above a date.

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    bool
        :func:`looks_like_name`, or names joined by "and", "&" or commas whose first is a
        name ("Kevin Johnson and Kevin McCoy USA TODAY", the outlet printed after the
        last), in at most :data:`MAX_CREDIT_WORDS` words.
    """
    if looks_like_name(text):
        return True
    parts = _names(text.strip())
    return bool(parts) and len(parts) >= 2 and count_words(text) <= MAX_CREDIT_WORDS and looks_like_name(parts[0])


_CLOCK_OR_HANDLE = re.compile(rf"\s*(?:{_CLOCK}|@\w+)\s*", re.IGNORECASE)


def looks_like_credit(text: str) -> bool:
    """Whether a short line credits an article and so is never its title: names ("Kevin
    Johnson and Kevin McCoy"), a date or an age ("Nov 19", "2 days"), a clock time ("12:02
    PM"), a handle ("@catherineshu") or one name after "by" ("by Rahul").

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    bool
        True for such a line of at most :data:`MAX_CREDIT_WORDS` words.
    """
    return count_words(text) <= MAX_CREDIT_WORDS and (
        looks_like_names(text)
        or mentions_date(text)
        or _CLOCK_OR_HANDLE.fullmatch(text) is not None
        or _BY_ONE_NAME.fullmatch(text.strip()) is not None
    )


#: A byline of one name, perhaps with the count of comments a teaser shows beside it ("by Rahul 0").
_BY_ONE_NAME = re.compile(r"(?i:by)\s+[A-Z][\w'’.-]+(?:\s+\d+)?")


#: A line of this many words with no sentence punctuation is a run of links, not prose.
LINK_RUN_WORDS = 30
_SENTENCE_MARK = re.compile(r"[.,;!?…。，]")


def looks_like_link_run(text: str) -> bool:
    """Whether a long line is menu items run together ("today's paper corrections opinion op-ed
    columnists editorials ..."), as an element dump re-joined in lower case prints a site index.

    Parameters
    ----------
    text : str
        A line.

    Returns
    -------
    bool
        True for a line of at least :data:`LINK_RUN_WORDS` words without a full stop, comma,
        semicolon, question or exclamation mark, or for such a line in title case that is
        longer than any heading (:data:`MAX_HEADING_WORDS`): "Leadership Mantras Pathbreakers
        ... From the Field Beyond the Boardroom All Videos".
    """
    words = count_words(text)
    long_enough = words >= LINK_RUN_WORDS or (words > MAX_HEADING_WORDS and is_title_case(text))
    return long_enough and _SENTENCE_MARK.search(text) is None
