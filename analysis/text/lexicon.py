"""The English lexicon that checks lemmas: WordNet's words, parts of speech and irregular forms.

simplemma proposes a lemma for every word; :func:`check_english_lemma` accepts it only when it
is an English word that the token can come from, else takes WordNet's own base form, else
keeps the token (see the cleaning section of ``docs/methods.md``). The word list ships in
``analysis/data/english_words.tsv.gz`` (WordNet 3.0, licence in its header), written by
:func:`write_english_words`; nothing is downloaded.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analysis.paths import DATA


def read_word_list(path: Path) -> frozenset[str]:
    """Read a one-word-per-line list, ``#`` comments and blank lines ignored.

    Parameters
    ----------
    path : Path
        A UTF-8 text file.

    Returns
    -------
    frozenset of str
        The lower-cased words.
    """
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.lstrip().startswith("#"))


#: English words with their parts of speech and irregular forms, from WordNet 3.0 (written
#: by :func:`write_english_words`; its header carries WordNet's licence).
ENGLISH_WORDS = DATA / "english_words.tsv.gz"
#: Lemmas the rules below cannot get right, each with the reason it is listed.
LEMMA_EXCEPTIONS = DATA / "lemma_exceptions.csv"
#: WordNet's detachment rules (``morphy``): the suffixes an inflected word may end in, per part
#: of speech, and what replaces each to give the dictionary form ("fixes" → "fix", "studies"
#: → "study", "growing" → "grow"). Doubled consonants and irregular forms ("preferred",
#: "gone") are in WordNet's exception lists instead.
_DETACHMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "n": (
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
    ),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
}
_WORDNET_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}


@dataclass(frozen=True)
class EnglishLexicon:
    """What the English lemma check knows about words.

    Attributes
    ----------
    parts : Mapping of str to str
        Each dictionary form to the parts of speech it has (``n``, ``v``, ``a``, ``r``).
    irregular : Mapping of str to tuple of str
        Each irregular form to its dictionary forms ("gone" → ("go",), "worse" → ("bad",)).
    function_words : frozenset of str
        Pronouns, determiners, prepositions, which WordNet leaves out ("we", "this", "to").
    exceptions : Mapping of str to str
        Token to lemma, applied before anything else.
    """

    parts: Mapping[str, str]
    irregular: Mapping[str, tuple[str, ...]]
    function_words: frozenset[str] = frozenset()
    exceptions: Mapping[str, str] = field(default_factory=dict)

    def knows(self, word: str) -> bool:
        """Whether ``word`` is an English word in its dictionary form."""
        return word in self.parts or word in self.function_words

    def bases(self, word: str) -> list[str]:
        """The dictionary forms ``word`` inflects, as WordNet's morphology finds them (``word`` itself excluded).

        Irregular forms come first, then each detachment rule whose result has the rule's part of speech.
        """
        found = [base for base in self.irregular.get(word, ()) if base != word]
        for part, rules in _DETACHMENTS.items():
            for suffix, ending in rules:
                if word.endswith(suffix) and len(word) > len(suffix):
                    base = word[: -len(suffix)] + ending
                    # one-letter entries are letters and Roman numerals ("v"), never what "vs" inflects
                    if len(base) > 1 and base != word and base not in found and part in self.parts.get(base, ""):
                        found.append(base)
        return found


def _shared_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix of ``a`` and ``b``."""
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def check_english_lemma(token: str, proposed: str, lexicon: EnglishLexicon) -> str:
    """Accept simplemma's lemma of an English word only if it is a word the token can inflect.

    The rules, in order:

    1. a lemma that is a known word (WordNet, or a function word) stands, unless the token is
       an irregular form WordNet lists and the lemma cannot be reached from it at all
       ("worse" → "bad", not "wrong");
    2. a lemma that is not a word ("fixe", "growe") gives way to the dictionary form WordNet's
       morphology finds ("fix", "grow"), the one closest to simplemma's when there are several;
    3. otherwise a known word is kept as it is ("greed", not "gree"): a word never becomes a
       non-word;
    4. a token unknown to WordNet too (a name, a new word: "apps") keeps simplemma's lemma.

    Parameters
    ----------
    token : str
        A lower-case alphabetic token.
    proposed : str
        simplemma's lemma of ``token``, case-folded.
    lexicon : EnglishLexicon
        The words to check against, e.g. :func:`english_lexicon`.

    Returns
    -------
    str
        The lemma.
    """
    if proposed == token:
        return token
    bases = lexicon.bases(token)
    if lexicon.knows(proposed):
        irregular = lexicon.irregular.get(token, ())
        if irregular and proposed not in bases and proposed not in lexicon.function_words:
            return min(irregular, key=lambda base: (-_shared_prefix(base, proposed), base))
        return proposed
    if bases:
        return min(bases, key=lambda base: (-_shared_prefix(base, proposed), base))
    return token if lexicon.knows(token) else proposed


def read_english_words(path: Path) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Read the word table written by :func:`write_english_words`.

    Parameters
    ----------
    path : Path
        A gzip-compressed, tab-separated ``word, parts, irregular_of`` table; ``#`` lines are comments.

    Returns
    -------
    tuple of dict
        Dictionary form to its parts of speech, and irregular form to its dictionary forms.
    """
    parts: dict[str, str] = {}
    irregular: dict[str, tuple[str, ...]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        next(rows, None)  # the header
        for word, word_parts, bases in rows:
            if word_parts:
                parts[word] = word_parts
            if bases:
                irregular[word] = tuple(bases.split(" "))
    return parts, irregular


_WORDNET_NOTICE = """\
# English words for the lemma check in analysis/text/lexicon.py (check_english_lemma).
# Derived from WordNet 3.0 by analysis.text.lexicon.write_english_words: every single-word,
# lower-case ASCII entry of index.noun, index.verb, index.adj and index.adv with its parts of
# speech (n, v, a, r), and every such form of noun.exc, verb.exc, adj.exc and adv.exc with the
# dictionary forms it is an irregular inflection of (only forms listed in an index are kept).
# Regenerate with: write_english_words(Path("/usr/share/wordnet")) (Debian package wordnet-base).
#
# WordNet Release 3.0. This software and database is being provided to you, the LICENSEE, by
# Princeton University under the following license. By obtaining, using and/or copying this
# software and database, you agree that you have read, understood, and will comply with these
# terms and conditions.: Permission to use, copy, modify and distribute this software and
# database and its documentation for any purpose and without fee or royalty is hereby granted,
# provided that you agree to comply with the following copyright notice and statements,
# including the disclaimer, and that the same appear on ALL copies of the software, database
# and documentation, including modifications that you make for internal use or for
# distribution. WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
# THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO
# REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION,
# PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT- ABILITY OR FITNESS
# FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF THE LICENSED SOFTWARE, DATABASE OR
# DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER
# RIGHTS. The name of Princeton University or Princeton may not be used in advertising or
# publicity pertaining to distribution of the software and/or database. Title to copyright in
# this software, database and any associated documentation shall at all times remain with
# Princeton University and LICENSEE agrees to preserve same.
"""


def english_words_table(wordnet: Path) -> str:
    """The text of the English word table, from a WordNet 3.0 database folder.

    Parameters
    ----------
    wordnet : Path
        A folder holding WordNet's ``index.<part>`` and ``<part>.exc`` files.

    Returns
    -------
    str
        The licence header, then ``word, parts, irregular_of`` rows sorted by word.

    Raises
    ------
    FileNotFoundError
        When a WordNet file is missing from ``wordnet``.
    """
    parts: dict[str, set[str]] = {}
    for letter, name in _WORDNET_FILES.items():
        for line in (Path(wordnet) / f"index.{name}").read_text(encoding="utf-8").splitlines():
            word = line.split(" ", 1)[0]
            if not line.startswith(" ") and word.isascii() and word.isalpha() and word.islower():
                parts.setdefault(word, set()).add(letter)
    irregular: dict[str, list[str]] = {}
    for name in _WORDNET_FILES.values():
        for line in (Path(wordnet) / f"{name}.exc").read_text(encoding="utf-8").splitlines():
            form, *bases = line.split()
            if not (form.isascii() and form.isalpha()):
                continue
            kept = irregular.setdefault(form, [])
            for base in bases:
                if base in parts and base != form and base not in kept:
                    kept.append(base)
    rows = [
        f"{word}\t{''.join(sorted(parts.get(word, ()), key='nvar'.index))}\t{' '.join(irregular.get(word, ()))}\n"
        for word in sorted(parts.keys() | {form for form, bases in irregular.items() if bases})
    ]
    return _WORDNET_NOTICE + "word\tparts\tirregular_of\n" + "".join(rows)


def write_english_words(wordnet: Path, path: Path = ENGLISH_WORDS) -> Path:
    """Write the English word table (gzip-compressed, byte-identical on every run).

    Parameters
    ----------
    wordnet : Path
        A WordNet 3.0 database folder (Debian's ``/usr/share/wordnet``).
    path : Path
        Destination; the shipped ``data/english_words.tsv.gz`` by default.

    Returns
    -------
    Path
        The file written.
    """
    from analysis.io import atomic_write_bytes

    data = english_words_table(wordnet).encode("utf-8")
    return atomic_write_bytes(path, gzip.compress(data, compresslevel=9, mtime=0))


def read_lemma_exceptions(path: Path) -> dict[str, str]:
    """Read a ``token,lemma,reason`` CSV of lemma corrections (``#`` lines are comments).

    Parameters
    ----------
    path : Path
        The table, e.g. ``data/lemma_exceptions.csv``.

    Returns
    -------
    dict
        Lower-case token to lemma.

    Raises
    ------
    ValueError
        When a row lacks a token, a lemma or a reason, or lists a token twice.
    """
    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    table: dict[str, str] = {}
    for number, row in enumerate(csv.DictReader(lines), 2):
        token, lemma_, reason = ((row.get(key) or "").strip() for key in ("token", "lemma", "reason"))
        if not token or not lemma_ or not reason:
            raise ValueError(f"{path}: row {number} needs a token, a lemma and a reason; fix the row")
        if token.casefold() in table:
            raise ValueError(f"{path}: {token!r} is listed twice; keep one row")
        table[token.casefold()] = lemma_.casefold()
    return table


@lru_cache(maxsize=1)
def english_lexicon() -> EnglishLexicon:
    """The shipped English lexicon: WordNet's words, the standard stopwords, the lemma exceptions.

    Returns
    -------
    EnglishLexicon
        Read once per process.
    """
    parts, irregular = read_english_words(ENGLISH_WORDS)
    return EnglishLexicon(
        parts=parts,
        irregular=irregular,
        function_words=read_word_list(DATA / "stopwords_en.txt"),
        exceptions=read_lemma_exceptions(LEMMA_EXCEPTIONS),
    )
