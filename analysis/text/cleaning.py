"""From article text to tokens: a list of small named steps, applied in order.

Like gensim's ``preprocess_string`` filters, cleaning is a sequence of tiny functions so
that one can see what each did (:func:`explain`). The steps, in order:

``normalise``
    web text to plain Unicode: HTML entities decoded, NFKC (no-break spaces, ligatures,
    ``…`` → ``...``), curly quotes and apostrophes to straight ones, dashes between words to
    `` - ``, soft hyphens and zero-width characters removed, white space folded.
``addresses``
    web addresses removed before tokenising, so that "http", "www", "com", "html" and the
    words of a path never become terms: URLs (``https://``, ``ftp://``, ``www.``), domains
    with a path ("example.com/news/x.html"), bare domains on a common top-level domain
    ("Read it on example.org"), web page file names ("index.html"), e-mail addresses (also
    written "name [at] site [dot] com") and social handles ("@name"). A hashtag keeps its
    word ("#FreeIran" → "FreeIran"): the tokeniser drops the "#" as punctuation.
``tokenise``
    words (keeping inner hyphens and apostrophes: "Mujahedin-e", "they're"), numbers
    ("1988", "30,000" → "30000", "1950s"), dotted abbreviations ("U.S.").
``lowercase``
    case folding.
``possessives``
    "mek's" → "mek", "mullahs'" → "mullahs".
``aliases``
    names of one entity merged into one term ("PMOI", "Mujahedin-e Khalq" → "mek"),
    from a table shipped in ``data/aliases.csv``.
``phrases``
    curated multiword terms joined ("maryam_rajavi", "1988_massacre").
``stopwords``
    a standard English list plus an editable domain list, always passed in the config.
``lemmas``
    offline lemmatisation with simplemma (its data ships in the wheel; nothing is downloaded),
    checked in English against WordNet's words so that a word never becomes a non-word
    ("fixes" → "fix", not "fixe"; see :func:`check_english_lemma`), with the corrections in
    ``data/lemma_exceptions.csv`` taking precedence.
``short tokens``
    tokens shorter than ``min_length`` characters dropped (numbers such as "1988" stay).

Every step is a pure function of its input and the :class:`CleaningConfig`.
"""

from __future__ import annotations

import csv
import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import regex

from analysis.paths import DATA
from analysis.text.lexicon import check_english_lemma, english_lexicon, read_word_list

#: Unicode characters mapped to plain equivalents (after NFKC). Dashes between words
#: become a spaced hyphen so that "MEK—Mohammad" is two words, not one hyphenated name.
_CHARACTER_MAP = {
    **{ord(c): "'" for c in "‘’‚‛′`´ʼ"},
    **{ord(c): '"' for c in "“”„‟″«»"},
    **{ord(c): "-" for c in "‐‑−"},
    **{ord(c): " - " for c in "‒–—―"},
    **{ord(c): "" for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff"},
    # page, line and paragraph separators end a line; ASCII field separators part words
    **{ord(c): "\n" for c in "\x0b\x0c\x85\u2028\u2029"},
    **{ord(c): " " for c in "\x1c\x1d\x1e\x1f"},
}
_ASCII_CONTROLS = {code: None for code in (*range(32), 127) if chr(code) not in "\n\t"}
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_TOKEN = regex.compile(
    r"""
    (?:\p{L}\.){2,}                                         # dotted abbreviations: U.S., U.N.
  | \d+(?:[.,]\d+)*(?:st|nd|rd|th|s)?(?![\p{L}\p{M}\p{N}])  # numbers: 1988, 30,000, 1950s, 54th
  | [\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['\-][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*'?  # words: Mujahedin-e, they're, mullahs'
    """,
    regex.VERBOSE,
)
#: The same tokens for ASCII text, where \p{L} is [A-Za-z], \p{N} is [0-9] and there are no marks;
#: the standard ``re`` engine finds them about twice as fast as ``regex``.
_ASCII_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}|\d+(?:[.,]\d+)*(?:st|nd|rd|th|s)?(?![A-Za-z0-9])|[A-Za-z0-9]+(?:['\-][A-Za-z0-9]+)*'?"
)
#: ASCII characters that normalisation changes in a way that can move token boundaries:
#: entities, the backtick (an apostrophe) and control characters it deletes.
_ASCII_NEEDS_NORMALISING = bytes([*b"&`", *range(0x00, 0x09), *range(0x0E, 0x1C), 0x7F])
#: A ``bytes.translate`` table to the kind of each ASCII character, so that one quick pass over
#: a text answers the questions below by plain substring searches: a digit becomes "9", a
#: capital "A", a small letter "a", a character normalisation changes "\x00"; the rest stay.
_ASCII_KINDS = bytes.maketrans(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" + _ASCII_NEEDS_NORMALISING,
    b"9" * 10 + b"A" * 26 + b"a" * 26 + b"\x00" * len(_ASCII_NEEDS_NORMALISING),
)
#: In a plain ASCII text (one :func:`normalise` leaves as it is but for white space), a comma
#: is in a token only between two digits ("30,000"), a dot only between two letters or digits
#: ("U.S.", "3.5"), and case matters to the tokeniser only in the one or two letters after a
#: digit (the number endings in "1950s", "54th" are small letters: "1950S-era" is one token).
_DOT_IN_WORD = re.compile(r"\.(?=[A-Za-z0-9])(?<=[A-Za-z0-9]\.)")  # the dot first: a plain character is found fastest


def _ascii_table(punctuation_in_tokens: bool, case_matters: bool) -> bytes:
    """A ``bytes.translate`` table for plain ASCII text (see :data:`_ASCII_TABLES`)."""
    kept = "'-.," if punctuation_in_tokens else "'-"
    spaces = bytes(code for code in range(128) if not (chr(code).isalnum() or chr(code) in kept))
    table = bytearray(bytes.maketrans(spaces, b" " * len(spaces)))
    if not case_matters:
        table[ord("A") : ord("Z") + 1] = table[ord("a") : ord("z") + 1]
    return bytes(table)


#: Tables turning plain ASCII text into lower-case words separated by spaces: characters no
#: token contains become spaces (commas and dots too where no token contains one), so that the
#: tokens of the pieces between spaces are those of the text, and capitals become small letters
#: (where case does not matter), so that "The", "the" and "the." are one piece. Keyed by
#: ``(punctuation in tokens, case matters)``; ``bytes.translate`` is several times faster than ``str.translate``.
_ASCII_TABLES = {
    (punctuation, case): _ascii_table(punctuation, case) for punctuation in (False, True) for case in (False, True)
}
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_DOTTED_I = re.compile("i\u0307+")
_POSSESSIVE = re.compile(r"'s$|(?<=s)'$|'$")
#: Normalisation is repeated until nothing changes (entities inside entities, NFKC output
#: that is itself an entity), so that normalising twice equals normalising once.
_MAX_NORMALISE_ROUNDS = 64

# --- web addresses ----------------------------------------------------------------------------------------------
# Written addresses are matched on their shape, not on a list of sites. A domain needs a
# lower-case top-level domain of two or more letters after its last dot, so that decimals
# ("3.5"), versions ("2.0"), abbreviations ("U.S.", "e.g.") and a sentence run into the next
# ("in 2019.Next") are never taken for one. A domain standing alone (no scheme, "www." or
# path) must end in one of the top-level domains below: the common generic ones and country
# codes that are not English words, so "...the end.it was" stays text.
_BARE_TLDS = (
    "com|org|net|edu|gov|mil|int|info|biz|io|ai|tv|co|uk|eu|de|fr|ir|ru|cn|jp|ca|au|nz|il|iq|tr|ae|pk|af|ch|nl|se"
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,24}}"
#: A URL runs to the next space or a character that cannot stand unescaped in one.
_URL_REST = r"[^\s<>\"'`(){}\[\]|\\^]*"
#: An address starts a word: not inside another word, address or path.
_ADDRESS_START = r"(?<![\w.@/+-])"
#: "name [at] site [dot] com", written in one of the usual ways (and nothing looser, such as
#: "name at site dot com", which is also how sentences go).
_OBFUSCATED_AT = r"\s*(?:\[at\]|\(at\)|\[AT\]|\(AT\))\s*"
_OBFUSCATED_DOT = r"\s*(?:\[dot\]|\(dot\)|\[DOT\]|\(DOT\))\s*"
_ADDRESS_KINDS = {
    "email": (
        rf"{_ADDRESS_START}(?:(?i:mailto):)?\w[\w.+-]*(?:@|{_OBFUSCATED_AT}){_LABEL}"
        rf"(?:(?:\.|{_OBFUSCATED_DOT}){_LABEL})*(?:\.|{_OBFUSCATED_DOT})[A-Za-z]{{2,24}}(?![\w-])"
    ),
    "url": rf"(?:(?i:\b(?:https?|ftps?|sftp)://)|{_ADDRESS_START}(?:www|WWW)\d{{0,3}}\.){_URL_REST}",
    "domain": rf"{_ADDRESS_START}{_LABEL}(?:\.{_LABEL})*\.(?:[a-z]{{2,24}}(?::\d+)?/{_URL_REST}|(?:{_BARE_TLDS})(?![\w-]))",
    "file": rf"{_ADDRESS_START}[\w-]+(?:\.[\w-]+)*\.(?:s?html?|php\d?|aspx?|jsp|cfm)(?![\w-])",
    "handle": rf"(?<![\w@.+-])@\w+(?:\.\w+)*(?:@{_HOST})?",
}
#: Every kind in one pattern, tried left to right: an e-mail address is taken whole before
#: its "@name" could be read as a handle.
_ADDRESS = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _ADDRESS_KINDS.items()))
#: Something every address contains ("@", "://", "www", a dot before a lower-case letter, an
#: "[at]"): a scan for these plain strings spares most paragraphs the full pattern, which is
#: about three times slower than the tokeniser (the scan costs a tenth of it).
#: ``test_every_address_contains_a_hint`` checks that it never misses an address.
_ADDRESS_HINT = re.compile(r"@|://|\.[a-z]|www|WWW|\[at\]|\(at\)|\[AT\]|\(AT\)")


@dataclass(frozen=True)
class CleaningConfig:
    """Everything cleaning depends on, passed explicitly to every step.

    Attributes
    ----------
    stopwords : frozenset of str
        Lower-case words to drop.
    aliases : Mapping of tuple of str to str
        Variant (as lemma keys) to canonical term.
    phrases : Mapping of tuple of str to str
        Phrase (as lemma keys) to joined term.
    lemmatize : bool
        Replace words by their lemma (simplemma).
    language : str
        simplemma language code.
    min_length : int
        Shortest token kept.
    """

    stopwords: frozenset[str]
    aliases: Mapping[tuple[str, ...], str] = field(default_factory=dict)
    phrases: Mapping[tuple[str, ...], str] = field(default_factory=dict)
    lemmatize: bool = True
    language: str = "en"
    min_length: int = 2


def _drop_invisible(text: str) -> str:
    """Remove control, format, surrogate, private-use and unassigned characters (keep ``\\n``, ``\\t``)."""
    if text.isascii():  # fast path: in ASCII only C0 controls and DEL are in those categories
        return text.translate(_ASCII_CONTROLS)
    if text.replace("\n", " ").replace("\t", " ").isprintable():  # no character of those categories is printable
        return text
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))


def normalise_once(text: str) -> str:
    """One round of web-text normalisation (see module docstring).

    Parameters
    ----------
    text : str
        Raw text.

    Returns
    -------
    str
        Normalised text; newlines kept, other white space folded to single spaces.
    """
    text = unicodedata.normalize("NFKC", html.unescape(text))
    text = text.translate(_CHARACTER_MAP)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _drop_invisible(text)
    text = _HORIZONTAL_SPACE.sub(" ", text)
    return _SPACE_AROUND_NEWLINE.sub("\n", text).strip()


def normalise(text: str) -> str:
    """Normalise web text until it no longer changes, so the step is idempotent.

    Parameters
    ----------
    text : str
        Raw text, e.g. ``"MEK\u2019s&nbsp;founders\u2014and"``.

    Returns
    -------
    str
        ``"MEK's founders - and"``.
    """
    for _ in range(_MAX_NORMALISE_ROUNDS):
        changed = normalise_once(text)
        if changed == text:
            break
        text = changed
        if text.isascii() and "&" not in text:  # nothing left that another round could change
            break
    return text


def remove_addresses(text: str) -> str:
    """Remove web addresses, e-mail addresses and social handles (see the module docstring).

    Parameters
    ----------
    text : str
        Normalised text.

    Returns
    -------
    str
        The text with each address replaced by a space, so the words on either side stay apart.
    """
    if not _ADDRESS_HINT.search(text):
        return text
    return _ADDRESS.sub(" ", text)


def find_addresses(text: str) -> list[tuple[str, str]]:
    """List the addresses :func:`remove_addresses` removes from a text.

    Parameters
    ----------
    text : str
        Normalised text.

    Returns
    -------
    list of tuple
        ``(kind, address as written)`` in order; kind is ``"email"``, ``"url"``, ``"domain"``,
        ``"file"`` or ``"handle"``.
    """
    if not _ADDRESS_HINT.search(text):
        return []
    return [(match.lastgroup or "", match.group()) for match in _ADDRESS.finditer(text)]


def address_counts(text: str) -> Counter[str]:
    """Count what the ``addresses`` step removes from one raw text, by kind.

    Parameters
    ----------
    text : str
        Raw text.

    Returns
    -------
    collections.Counter
        Kind (``"url"``, ``"email"``, ...) to the number of addresses of that kind.
    """
    return Counter(kind for kind, _ in find_addresses(normalise(text)))


def tokenise(text: str) -> list[str]:
    """Split normalised text into word, number and abbreviation tokens.

    Parameters
    ----------
    text : str
        Normalised text.

    Returns
    -------
    list of str
        Tokens in order, case kept; thousands separators removed from numbers.
    """
    found = (_ASCII_TOKEN if text.isascii() else _TOKEN).findall(text)
    if "," not in text:
        return found
    return [_THOUSANDS.sub("", token) if "," in token else token for token in found]


def _raw_tokens(text: str) -> list[str]:
    """``tokenise(remove_addresses(normalise(text)))``, in lower case where the text is plain ASCII."""
    return [token for piece in _pieces(text) for token in tokenise(piece)]


def lowercase(tokens: Sequence[str]) -> list[str]:
    """Case-fold every token.

    Parameters
    ----------
    tokens : sequence of str
        Tokens.

    Returns
    -------
    list of str
        Case-folded tokens ("İstanbul" and "Istanbul" both give "istanbul").
    """
    # Turkish İ folds to i + dot above; every dot above an i goes, so that folding twice
    # equals folding once ("İ\u0307" left "i\u0307" after one pass and "i" after two)
    return [_DOTTED_I.sub("i", t.casefold()) for t in tokens]


def strip_possessives(tokens: Sequence[str]) -> list[str]:
    """Remove possessive endings: ``"mek's"`` → ``"mek"``, ``"mullahs'"`` → ``"mullahs"``.

    Parameters
    ----------
    tokens : sequence of str
        Lower-case tokens.

    Returns
    -------
    list of str
        Tokens without ``'s`` or a trailing apostrophe; contractions such as "they're" stay.
    """
    return [stripped for t in tokens if (stripped := _POSSESSIVE.sub("", t) if "'" in t[-2:] else t)]


# --- lemmas ------------------------------------------------------------------------------------------------------
@lru_cache(maxsize=200_000)
def lemma(token: str, language: str = "en") -> str:
    """The dictionary form of a word (simplemma, checked in English; memoised per word).

    Parameters
    ----------
    token : str
        A lower-case token.
    language : str
        simplemma language code. For ``"en"``, the table of exceptions comes first and
        simplemma's answer is checked by :func:`check_english_lemma`.

    Returns
    -------
    str
        The lemma; tokens with digits, hyphens, dots or ``_`` are returned unchanged.
    """
    if not token.isalpha():
        return token
    import simplemma  # imported on first use: its dictionaries take a moment to load

    if language != "en":
        return simplemma.lemmatize(token, lang=language).casefold()
    lexicon = english_lexicon()
    if token in lexicon.exceptions:
        return lexicon.exceptions[token]
    return check_english_lemma(token, simplemma.lemmatize(token, lang=language).casefold(), lexicon)


_LEMMA_MEMO: dict[str, dict[str, str]] = {}  # language -> token -> lemma; a plain dict is faster than lru_cache here


def _lemmas(tokens: Sequence[str], language: str) -> list[str]:
    """:func:`lemma` of every token, through a per-language memo."""
    memo = _LEMMA_MEMO.setdefault(language, {})
    for token in set(tokens).difference(memo):
        memo[token] = lemma(token, language)
    return list(map(memo.__getitem__, tokens))


def _key(tokens: Sequence[str], config: CleaningConfig) -> tuple[str, ...]:
    return tuple(_lemmas(tokens, config.language)) if config.lemmatize else tuple(tokens)


_TABLE_STARTS: dict[int, tuple[Mapping, dict[str, tuple[int, ...]]]] = {}


def _table_starts(table: Mapping[tuple[str, ...], str]) -> dict[str, tuple[int, ...]]:
    """For each first key word of ``table``, the lengths of its entries, longest first (memoised per table)."""
    cached = _TABLE_STARTS.get(id(table))
    if cached is not None and cached[0] is table:
        return cached[1]
    starts: dict[str, set[int]] = {}
    for entry in table:
        starts.setdefault(entry[0], set()).add(len(entry))
    index = {word: tuple(sorted(sizes, reverse=True)) for word, sizes in starts.items()}
    _TABLE_STARTS[id(table)] = (table, index)
    return index


def _longest_matches(
    tokens: Sequence[str], table: Mapping[tuple[str, ...], str], config: CleaningConfig
) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, replacement)`` for the longest table entries found, left to right."""
    if not table:
        return
    starts = _table_starts(table)
    keys = _key(tokens, config)
    if starts.keys().isdisjoint(keys):
        return
    i, n = 0, len(keys)
    while i < n:
        for size in starts.get(keys[i], ()):
            if i + size <= n:
                replacement = table.get(keys[i : i + size])
                if replacement is not None:
                    yield i, i + size, replacement
                    i += size
                    break
        else:
            i += 1


def find_aliases(tokens: Sequence[str], config: CleaningConfig) -> list[tuple[str, str]]:
    """List the alias matches in a token sequence.

    Parameters
    ----------
    tokens : sequence of str
        Lower-case tokens without possessives.
    config : CleaningConfig
        The alias table.

    Returns
    -------
    list of tuple
        ``(canonical term, variant as written)`` per match, in order.
    """
    return [(term, " ".join(tokens[a:b])) for a, b, term in _longest_matches(tokens, config.aliases, config)]


def merge_aliases(tokens: Sequence[str], config: CleaningConfig) -> list[str]:
    """Replace every variant name of an entity by its canonical term.

    Parameters
    ----------
    tokens : sequence of str
        Lower-case tokens without possessives.
    config : CleaningConfig
        The alias table.

    Returns
    -------
    list of str
        Tokens with variants replaced; a name directly followed by its abbreviation
        ("People's Mojahedin Organization of Iran (PMOI/MEK)") gives one term, not three.
    """
    out: list[str] = []
    last_alias_end = -1
    cursor = 0
    for start, end, term in _longest_matches(tokens, config.aliases, config):
        out.extend(tokens[cursor:start])
        if not (start == last_alias_end and out and out[-1] == term):
            out.append(term)
        last_alias_end = end
        cursor = end
    out.extend(tokens[cursor:])
    return out


def join_phrases(tokens: Sequence[str], config: CleaningConfig) -> list[str]:
    """Join curated multiword terms into one token ("maryam rajavi" → "maryam_rajavi").

    Parameters
    ----------
    tokens : sequence of str
        Tokens after alias merging.
    config : CleaningConfig
        The phrase table.

    Returns
    -------
    list of str
        Tokens with phrases joined.
    """
    out: list[str] = []
    cursor = 0
    for start, end, term in _longest_matches(tokens, config.phrases, config):
        out.extend(tokens[cursor:start])
        out.append(term)
        cursor = end
    out.extend(tokens[cursor:])
    return out


def remove_stopwords(tokens: Sequence[str], config: CleaningConfig) -> list[str]:
    """Drop stopwords.

    Parameters
    ----------
    tokens : sequence of str
        Lower-case tokens.
    config : CleaningConfig
        The stopword set.

    Returns
    -------
    list of str
        Tokens not in ``config.stopwords``.
    """
    return [t for t in tokens if t not in config.stopwords]


def lemmatise(tokens: Sequence[str], config: CleaningConfig) -> list[str]:
    """Replace words by their lemma, then drop lemmas that are stopwords ("having" → "have").

    Parameters
    ----------
    tokens : sequence of str
        Tokens after stopword removal.
    config : CleaningConfig
        Language, and whether to lemmatise at all.

    Returns
    -------
    list of str
        Lemmas (unchanged tokens when ``config.lemmatize`` is False).
    """
    if not config.lemmatize:
        return list(tokens)
    return [lem for lem in _lemmas(tokens, config.language) if lem not in config.stopwords]


def drop_short_tokens(tokens: Sequence[str], config: CleaningConfig) -> list[str]:
    """Drop tokens shorter than ``config.min_length`` characters.

    Parameters
    ----------
    tokens : sequence of str
        Tokens.
    config : CleaningConfig
        The minimum length.

    Returns
    -------
    list of str
        Tokens of at least ``min_length`` characters.
    """
    return [t for t in tokens if len(t) >= config.min_length]


Step = Callable[[Any, CleaningConfig], Any]

#: The cleaning pipeline: (name, function of (value, config)), applied in this order.
STEPS: tuple[tuple[str, Step], ...] = (
    ("normalise", lambda text, config: normalise(text)),
    ("addresses", lambda text, config: remove_addresses(text)),
    ("tokenise", lambda text, config: tokenise(text)),
    ("lowercase", lambda tokens, config: lowercase(tokens)),
    ("possessives", lambda tokens, config: strip_possessives(tokens)),
    ("aliases", merge_aliases),
    ("phrases", join_phrases),
    ("stopwords", remove_stopwords),
    ("lemmas", lemmatise),
    ("short tokens", drop_short_tokens),
)


@dataclass
class _TokenMemo:
    """What cleaning learnt about each distinct token and text piece under one configuration.

    Token tables (raw token as tokenised): ``folded`` → after ``lowercase`` and ``possessives``
    ("" when dropped); ``keys`` → its folded token's alias and phrase lookup key (None when
    dropped). ``final``: folded token → after ``stopwords``, ``lemmas``, ``short tokens``
    (None when dropped).

    Piece tables (white-space separated piece of a normalised text, see :func:`_pieces`):
    ``pieces`` → its raw tokens; ``piece_finals`` → what its tokens become on their own;
    ``piece_keys`` → their lookup keys; ``alone`` → the one token it leaves, or "" when none,
    for pieces that leave at most one token: a text made of such pieces is cleaned with one
    look-up per piece. ``starter_pieces``: pieces with a key that begins an alias or phrase
    entry (only texts with one need a closer look) → whether an entry could match within the
    piece itself.

    From the configuration: ``entry_starts``, the first keys of alias and phrase entries;
    ``one_word_entries`` and ``first_pairs``, the keys of one-word entries and the first two
    keys of longer ones. An entry can match only where one of these occurs.
    """

    config: CleaningConfig
    folded: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str | None] = field(default_factory=dict)
    final: dict[str, str | None] = field(default_factory=dict)
    pieces: dict[str, tuple[str, ...]] = field(default_factory=dict)
    piece_finals: dict[str, tuple[str, ...]] = field(default_factory=dict)
    piece_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    alone: dict[str, str] = field(default_factory=dict)
    starter_pieces: dict[str, bool] = field(default_factory=dict)
    entry_starts: frozenset[str] = frozenset()
    one_word_entries: frozenset[str] = frozenset()
    first_pairs: frozenset[tuple[str, ...]] = frozenset()

    def __post_init__(self) -> None:
        entries = [*self.config.aliases, *self.config.phrases]
        self.entry_starts = frozenset(entry[0] for entry in entries)
        self.one_word_entries = frozenset(entry[0] for entry in entries if len(entry) == 1)
        self.first_pairs = frozenset(entry[:2] for entry in entries if len(entry) >= 2)


_TOKEN_MEMOS: dict[int, _TokenMemo] = {}
#: Configurations whose memos are kept: a long notebook session builds a new configuration
#: per corpus, and each memo keeps its configuration and every distinct word seen alive.
MAX_TOKEN_MEMOS = 4
#: Distinct pieces of text a memo remembers before it starts afresh: a web archive of millions
#: of pages keeps meeting new ones (names, numbers, misspellings), and each costs about four
#: dictionary entries; a million pieces is a few hundred MB at most, and the words of a
#: language recur well within it.
MAX_MEMO_PIECES = 1_000_000


def _token_memo(config: CleaningConfig) -> _TokenMemo:
    """The memo of ``config`` (kept per configuration object, for the few most recent ones)."""
    memo = _TOKEN_MEMOS.pop(id(config), None)
    if memo is None or memo.config is not config:
        memo = _TokenMemo(config)
    _TOKEN_MEMOS[id(config)] = memo  # most recently used last
    while len(_TOKEN_MEMOS) > MAX_TOKEN_MEMOS:
        del _TOKEN_MEMOS[next(iter(_TOKEN_MEMOS))]
    return memo


def _fold(token: str) -> str:
    """``lowercase`` then ``possessives`` on one token ("" when nothing is left)."""
    stripped = strip_possessives(lowercase([token]))
    return stripped[0] if stripped else ""


def _finish(token: str, config: CleaningConfig) -> str | None:
    """``stopwords``, ``lemmas`` and ``short tokens`` on one token (None when it is dropped)."""
    kept = drop_short_tokens(lemmatise(remove_stopwords([token], config), config), config)
    return kept[0] if kept else None


def _learn(tokens: Iterable[str], memo: _TokenMemo) -> None:
    """Fill the token tables of ``memo`` for raw tokens it has not seen."""
    config = memo.config
    for token in set(tokens).difference(memo.folded):
        folded = memo.folded[token] = _fold(token)
        memo.keys[token] = _key([folded], config)[0] if folded else None
        if folded and folded not in memo.final:
            memo.final[folded] = _finish(folded, config)


def _forget_pieces(memo: _TokenMemo) -> None:
    """Empty the piece tables of ``memo`` (they are relearnt as pieces recur; results do not change)."""
    for table in (memo.pieces, memo.piece_finals, memo.piece_keys, memo.alone, memo.starter_pieces):
        table.clear()


def _learn_pieces(pieces: Iterable[str], memo: _TokenMemo) -> None:
    """Fill the piece tables of ``memo`` for pieces it has not seen (emptied first when they are full)."""
    wanted = set(pieces)
    new = wanted.difference(memo.pieces)
    if len(memo.pieces) + len(new) > MAX_MEMO_PIECES:
        _forget_pieces(memo)
        new = wanted  # this text's pieces are learnt again
    for piece in new:
        tokens = memo.pieces[piece] = tuple(tokenise(piece))
        _learn(tokens, memo)
        finals = memo.piece_finals[piece] = tuple(
            final for token in tokens if (final := memo.final.get(memo.folded[token])) is not None
        )
        keys = memo.piece_keys[piece] = tuple(key for key in map(memo.keys.__getitem__, tokens) if key is not None)
        if len(finals) <= 1 and all(finals):
            memo.alone[piece] = finals[0] if finals else ""
        if not memo.entry_starts.isdisjoint(keys):
            memo.starter_pieces[piece] = _may_begin_entry(keys, memo)


def _pieces(text: str) -> list[str]:
    """``remove_addresses(normalise(text))`` split at white space: its tokens are those of the pieces, in order.

    No token contains white space, and the tokeniser looks back at nothing and ahead only at
    letters, marks and digits, so tokenising piece by piece gives the tokens of the whole text.
    Plain ASCII pieces come in lower case and without the punctuation no token contains
    (:data:`_ASCII_TABLES`): cleaning folds case anyway.
    """
    if text.isascii():
        data = text.encode("ascii")
        kinds = data.translate(_ASCII_KINDS)
        if b"\x00" not in kinds and not _ADDRESS_HINT.search(text):
            # normalisation would change only white space, which no token contains
            punctuation_in_tokens = b"9,9" in kinds or _DOT_IN_WORD.search(text) is not None
            case_matters = b"9A" in kinds or b"9aA" in kinds
            return data.translate(_ASCII_TABLES[punctuation_in_tokens, case_matters]).decode("ascii").split()
    return remove_addresses(normalise(text)).split()


def _may_begin_entry(keys: Sequence[str], memo: _TokenMemo) -> bool:
    """Whether an alias or phrase entry could match at one of ``keys`` (False: none matches there)."""
    return not memo.one_word_entries.isdisjoint(keys) or not memo.first_pairs.isdisjoint(zip(keys, keys[1:]))


def _may_match_multiword(pieces: Sequence[str], memo: _TokenMemo) -> bool:
    """Whether an alias or phrase entry could match in a text's pieces (all learnt); False when none does.

    An entry begins at a key of a starter piece and goes on, if at all, in that piece or at the
    first key after it, so only the starter pieces and the piece after each are looked at.
    """
    found = memo.starter_pieces.keys() & pieces
    for piece in found:
        if memo.starter_pieces[piece]:
            return True
        last_key = memo.piece_keys[piece][-1]
        position = -1
        for _ in range(pieces.count(piece)):
            position = pieces.index(piece, position + 1)
            if position + 1 < len(pieces):
                following = memo.piece_keys[pieces[position + 1]]
                if not following or (last_key, following[0]) in memo.first_pairs:  # no key: look closer
                    return True
    return False


def _clean_multiword(pieces: Sequence[str], memo: _TokenMemo) -> list[str]:
    """Every step after ``tokenise`` on a text's pieces (all learnt), each distinct token cleaned once."""
    config = memo.config
    tokens = [
        token
        for token in map(memo.folded.__getitem__, chain.from_iterable(map(memo.pieces.__getitem__, pieces)))
        if token
    ]
    tokens = join_phrases(merge_aliases(tokens, config), config)
    for token in set(tokens).difference(memo.final):
        memo.final[token] = _finish(token, config)
    return [final for final in map(memo.final.__getitem__, tokens) if final is not None]


def _clean_pieces(pieces: Sequence[str], memo: _TokenMemo) -> list[str]:
    """The cleaned tokens of a text's pieces, learning those not seen before."""
    _learn_pieces(pieces, memo)
    if _may_match_multiword(pieces, memo):
        return _clean_multiword(pieces, memo)
    return list(chain.from_iterable(map(memo.piece_finals.__getitem__, pieces)))


def _clean_text_pieces(pieces: Sequence[str], memo: _TokenMemo) -> list[str]:
    """The cleaned tokens of a text, from its pieces (:func:`_pieces`)."""
    try:
        tokens = list(filter(None, map(memo.alone.__getitem__, pieces)))
    except KeyError:  # a piece is new or leaves several tokens
        return _clean_pieces(pieces, memo)
    return _clean_multiword(pieces, memo) if _may_match_multiword(pieces, memo) else tokens


def clean(text: str, config: CleaningConfig) -> list[str]:
    """Run every cleaning step on one text.

    The result is that of applying :data:`STEPS` in order (what :func:`explain` shows), but
    the steps that look at one token at a time (lowercase, possessives, stopwords, lemmas,
    short tokens) run once per distinct word and are remembered, as is what each distinct
    white-space separated piece of text leaves; the multiword steps run only on texts where
    an entry could match. A corpus is so cleaned at about the speed of splitting it at white
    space. :func:`clean_texts` cleans many texts at once.

    Parameters
    ----------
    text : str
        Raw text.
    config : CleaningConfig
        Stopwords, aliases, phrases and options, e.g. from :func:`default_config`.

    Returns
    -------
    list of str
        The cleaned tokens.
    """
    return _clean_text_pieces(_pieces(text), _token_memo(config))


def clean_texts(texts: Iterable[str], config: CleaningConfig) -> list[list[str]]:
    """Run every cleaning step on many texts: ``[clean(text, config) for text in texts]``, faster.

    Parameters
    ----------
    texts : iterable of str
        Raw texts, e.g. the paragraphs of a corpus (streamed once).
    config : CleaningConfig
        Stopwords, aliases, phrases and options, e.g. from :func:`default_config`.

    Returns
    -------
    list of list of str
        The cleaned tokens of each text, in order.

    Raises
    ------
    ValueError
        When ``texts`` is one string rather than an iterable of texts.
    """
    if isinstance(texts, str):
        raise ValueError("clean_texts: an iterable of texts expected, got one string; pass [text] or call clean(text)")
    memo = _token_memo(config)
    return [_clean_text_pieces(_pieces(text), memo) for text in texts]


def clean_by_steps(text: str, config: CleaningConfig) -> list[str]:
    """Apply :data:`STEPS` one after the other: the definition :func:`clean` must equal.

    Parameters
    ----------
    text : str
        Raw text.
    config : CleaningConfig
        The cleaning configuration.

    Returns
    -------
    list of str
        The cleaned tokens.
    """
    value: Any = text
    for _, step in STEPS:
        value = step(value, config)
    return value


def explain(text: str, config: CleaningConfig) -> list[tuple[str, str]]:
    """Show each step's output for one text, to see what cleaning does.

    Parameters
    ----------
    text : str
        Raw text.
    config : CleaningConfig
        The cleaning configuration.

    Returns
    -------
    list of tuple
        ``(step name, output)``; token lists are shown joined by single spaces (tokens never
        contain spaces).
    """
    rows = [("input", text)]
    value: Any = text
    for name, step in STEPS:
        value = step(value, config)
        rows.append((name, value if isinstance(value, str) else " ".join(value)))
    return rows


def alias_counts(text: str, config: CleaningConfig) -> Counter[tuple[str, str]]:
    """Count which variant names were merged into which term in one text.

    Parameters
    ----------
    text : str
        Raw text.
    config : CleaningConfig
        The alias table.

    Returns
    -------
    collections.Counter
        ``(term, variant) -> n`` for variants that differ from their term.
    """
    tokens = strip_possessives(lowercase(_raw_tokens(text)))
    return Counter(
        (term, variant) for term, variant in find_aliases(tokens, config) if variant.replace(" ", "_") != term
    )


def term_of(name: str) -> str:
    """The token a canonical name or phrase becomes: lower case, spaces as ``_``.

    Parameters
    ----------
    name : str
        "Maryam Rajavi".

    Returns
    -------
    str
        "maryam_rajavi".
    """
    return "_".join(strip_possessives(lowercase(tokenise(normalise(name)))))


def read_alias_table(path: Path, lemmatize: bool = True, language: str = "en") -> dict[tuple[str, ...], str]:
    """Read a ``canonical,variant`` CSV into a lookup from variant key to term.

    Parameters
    ----------
    path : Path
        CSV with a ``canonical,variant`` header; ``#`` lines are comments.
    lemmatize : bool
        Key variants by lemma, as :func:`merge_aliases` looks them up.
    language : str
        simplemma language code.

    Returns
    -------
    dict
        Variant key (tuple of tokens) to canonical term.

    Raises
    ------
    ValueError
        When a row lacks a canonical name or a variant, or a variant is claimed by two names.
    """
    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    table: dict[tuple[str, ...], str] = {}
    probe = CleaningConfig(stopwords=frozenset(), lemmatize=lemmatize, language=language)
    for number, row in enumerate(csv.DictReader(lines), 2):
        canonical, variant = (row.get("canonical") or "").strip(), (row.get("variant") or "").strip()
        if not canonical or not variant:
            raise ValueError(f"{path}: row {number} needs both a canonical name and a variant; fix the row")
        key = _key(strip_possessives(lowercase(tokenise(normalise(variant)))), probe)
        if key in table and table[key] != term_of(canonical):
            raise ValueError(f"{path}: {variant!r} is listed under two names ({table[key]}, {canonical}); keep one")
        table[key] = term_of(canonical)
    return table


def read_phrase_list(path: Path, lemmatize: bool = True, language: str = "en") -> dict[tuple[str, ...], str]:
    """Read a one-phrase-per-line list into a lookup from phrase key to joined term.

    Parameters
    ----------
    path : Path
        A UTF-8 text file.
    lemmatize : bool
        Key phrases by lemma, as :func:`join_phrases` looks them up.
    language : str
        simplemma language code.

    Returns
    -------
    dict
        Phrase key (tuple of tokens) to joined term ("1988_massacre").
    """
    probe = CleaningConfig(stopwords=frozenset(), lemmatize=lemmatize, language=language)
    table = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            tokens = strip_possessives(lowercase(tokenise(normalise(line))))
            if len(tokens) >= 2:
                table[_key(tokens, probe)] = "_".join(tokens)
    return table


def default_config(
    stopwords: Path | None = None,
    domain_stopwords: Path | None = None,
    aliases: Path | None = None,
    phrases: Path | None = None,
    lemmatize: bool = True,
    min_length: int = 2,
) -> CleaningConfig:
    """Build a cleaning configuration from word lists (the shipped ones by default).

    Parameters
    ----------
    stopwords, domain_stopwords : Path, optional
        Standard and domain stopword lists; ``data/stopwords_en.txt`` and
        ``data/stopwords_domain.txt`` by default.
    aliases : Path, optional
        Alias table; ``data/aliases.csv`` by default.
    phrases : Path, optional
        Curated phrases; ``data/phrases.txt`` by default.
    lemmatize : bool
        Lemmatise words.
    min_length : int
        Shortest token kept.

    Returns
    -------
    CleaningConfig
        Ready for :func:`clean`.
    """
    words = read_word_list(stopwords or DATA / "stopwords_en.txt") | read_word_list(
        domain_stopwords or DATA / "stopwords_domain.txt"
    )
    return CleaningConfig(
        stopwords=words,
        aliases=read_alias_table(aliases or DATA / "aliases.csv", lemmatize),
        phrases=read_phrase_list(phrases or DATA / "phrases.txt", lemmatize),
        lemmatize=lemmatize,
        min_length=min_length,
    )


def learn_phrases(token_docs: Iterable[Sequence[str]], min_count: int = 5, threshold: float = 0.5) -> Any:
    """Learn frequent collocations from cleaned tokens with gensim ``Phrases`` (NPMI scoring).

    Parameters
    ----------
    token_docs : iterable of sequences of str
        Cleaned token lists (streamed once).
    min_count : int
        Ignore pairs seen fewer times than this.
    threshold : float
        NPMI score above which a pair becomes a phrase (-1 to 1).

    Returns
    -------
    gensim.models.phrases.FrozenPhrases
        Apply with ``phrases[tokens]``; deterministic for a given input.
    """
    from gensim.models.phrases import Phrases

    model = Phrases(token_docs, min_count=min_count, threshold=threshold, scoring="npmi", delimiter="_")
    return model.freeze()
