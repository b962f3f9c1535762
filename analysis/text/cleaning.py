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
_ASCII_NEEDS_NORMALISING = re.compile(r"[&`\x00-\x08\x0e-\x1b\x7f]")
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
    return [_THOUSANDS.sub("", token) if "," in token else token for token in found]


def _raw_tokens(text: str) -> list[str]:
    """``tokenise(remove_addresses(normalise(text)))``, skipping normalisation where it changes no token."""
    if not text.isascii() or _ASCII_NEEDS_NORMALISING.search(text):
        text = normalise(text)
    # otherwise only white space would change, and neither tokens nor addresses contain it
    return tokenise(remove_addresses(text))


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
    """What cleaning learnt about each distinct raw token under one configuration.

    ``folded``: raw token → after ``lowercase`` and ``possessives`` ("" when dropped);
    ``final``: folded token → after ``stopwords``, ``lemmas``, ``short tokens`` (None when
    dropped); ``direct``: raw token → final; ``starters``: raw tokens whose folded key
    begins an alias or phrase entry (only texts containing one need the multiword steps).
    """

    config: CleaningConfig
    folded: dict[str, str] = field(default_factory=dict)
    final: dict[str, str | None] = field(default_factory=dict)
    direct: dict[str, str | None] = field(default_factory=dict)
    starters: set[str] = field(default_factory=set)


_TOKEN_MEMOS: dict[int, _TokenMemo] = {}
#: Configurations whose memos are kept: a long notebook session builds a new configuration
#: per corpus, and each memo keeps its configuration and every distinct word seen alive.
MAX_TOKEN_MEMOS = 4


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
    """Fill ``memo`` for raw tokens it has not seen."""
    config = memo.config
    starts = [_table_starts(table) for table in (config.aliases, config.phrases) if table]
    for token in set(tokens).difference(memo.direct):
        folded = memo.folded[token] = _fold(token)
        if not folded:
            memo.direct[token] = None
            continue
        if folded not in memo.final:
            memo.final[folded] = _finish(folded, config)
        memo.direct[token] = memo.final[folded]
        key = _key([folded], config)[0]
        if any(key in table_starts for table_starts in starts):
            memo.starters.add(token)


def clean(text: str, config: CleaningConfig) -> list[str]:
    """Run every cleaning step on one text.

    The result is that of applying :data:`STEPS` in order (what :func:`explain` shows), but
    the steps that look at one token at a time (lowercase, possessives, stopwords, lemmas,
    short tokens) run once per distinct word and are remembered, so a corpus is cleaned at
    the speed of its tokeniser.

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
    memo = _token_memo(config)
    raw = _raw_tokens(text)
    _learn(raw, memo)
    if memo.starters.isdisjoint(raw):  # no alias or phrase can match: every token is cleaned on its own
        return [final for final in map(memo.direct.__getitem__, raw) if final is not None]
    tokens = [token for token in map(memo.folded.__getitem__, raw) if token]
    tokens = join_phrases(merge_aliases(tokens, config), config)
    for token in set(tokens).difference(memo.final):
        memo.final[token] = _finish(token, config)
    return [final for final in map(memo.final.__getitem__, tokens) if final is not None]


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
