"""The rules segmentation follows: patterns of site furniture, template lines, labels kept between passes.

Patterns come from ``data/chrome_patterns.txt`` plus the user's own (``--chrome-file``), as
``kind: regex`` lines. A page tests every line against every pattern, so :class:`PatternScreen`
arranges them to make that cheap: patterns that fail fast are joined into one alternation,
costly ones (opening with ``.*``) are tried only on lines that hold a piece of text every
match needs. Results are those of trying every pattern in turn (:func:`matches_any`).

:class:`Rules` also carries what a corpus adds: template lines seen on many pages of a site,
and line labels a first pass over the pages computed (:func:`encode_labels`), which
segmentation takes instead of labelling a page twice.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analysis.ingest.lines import normalise_line
from analysis.ingest.recognise import fold_case
from analysis.paths import DATA


@dataclass(frozen=True)
class Rules:
    """What segmentation treats as chrome, captions and links.

    Attributes
    ----------
    chrome : tuple of re.Pattern
        Whole-line patterns of site furniture.
    caption : tuple of re.Pattern
        Whole-line patterns of caption starts ("Photo: ...").
    related : tuple of re.Pattern
        Whole-line patterns of links to other articles.
    template_lines : frozenset of str
        Folded lines known to be template text, e.g. found on many pages of a corpus.
    known_labels : mapping of bytes to bytes
        Line labels a first pass over the pages already computed, by :func:`page_digest` of
        the page's text (see :func:`encode_labels`): :func:`analysis.ingest.segment.segment_page` takes them instead of
        labelling the page's lines again. Not part of the rules' identity.
    """

    chrome: tuple[re.Pattern[str], ...]
    caption: tuple[re.Pattern[str], ...]
    related: tuple[re.Pattern[str], ...]
    template_lines: frozenset[str] = field(default_factory=frozenset)
    known_labels: Mapping[bytes, bytes] = field(default_factory=dict, compare=False, repr=False)
    _screens: dict[str, PatternScreen] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        screens = {kind: PatternScreen.of(getattr(self, kind)) for kind in ("chrome", "caption", "related")}
        object.__setattr__(self, "_screens", screens)

    def matches(self, kind: str, text: str) -> bool:
        """Whether a pattern of ``kind`` ("chrome", "caption", "related") matches the whole of ``text``.

        The same as ``matches_any(getattr(self, kind), text)``, faster (see :class:`PatternScreen`).
        """
        return self._screens[kind].matches(text)


def parse_rules(lines: Iterable[str], source: str = "rules") -> dict[str, list[re.Pattern[str]]]:
    """Parse ``kind: regex`` rule lines into compiled, case-insensitive whole-line patterns.

    Parameters
    ----------
    lines : iterable of str
        Rule lines; blank lines and ``#`` comments are ignored; a line without a known
        ``kind:`` prefix is a chrome rule.
    source : str
        Name used in error messages.

    Returns
    -------
    dict
        ``{"chrome": [...], "caption": [...], "related": [...]}``.

    Raises
    ------
    ValueError
        When a pattern is not a valid regular expression.
    """
    rules: dict[str, list[re.Pattern[str]]] = {"chrome": [], "caption": [], "related": []}
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, pattern = line.partition(":")
        if kind.strip() not in rules or not pattern.strip():
            kind, pattern = "chrome", line
        try:
            rules[kind.strip()].append(re.compile(pattern.strip(), re.IGNORECASE))
        except re.error as error:
            raise ValueError(
                f"{source} {number} ({pattern.strip()!r}) is not a valid regular expression ({error}); fix or remove it"
            ) from None
    return rules


def default_rules(extra: Sequence[str] = (), template_lines: Iterable[str] = ()) -> Rules:
    """Build the shipped rules plus the user's own.

    Parameters
    ----------
    extra : sequence of str
        Additional rule lines in the ``kind: regex`` format (a bare regex is a chrome rule).
    template_lines : iterable of str
        Lines known to be template text (compared after :func:`normalise_line`).

    Returns
    -------
    Rules
        Rules for :func:`analysis.ingest.segment.segment_page`.
    """
    shipped = parse_rules(
        (DATA / "chrome_patterns.txt").read_text(encoding="utf-8").splitlines(), "analysis/data/chrome_patterns.txt"
    )
    own = parse_rules(extra, source="your chrome rule")
    parsed = {kind: shipped[kind] + own[kind] for kind in shipped}
    return Rules(
        chrome=tuple(parsed["chrome"]),
        caption=tuple(parsed["caption"]),
        related=tuple(parsed["related"]),
        template_lines=frozenset(normalise_line(t) for t in template_lines),
    )


def matches_any(patterns: Sequence[re.Pattern[str]], text: str) -> bool:
    """Whether any of ``patterns`` matches the whole of ``text``."""
    return any(p.fullmatch(text) for p in patterns)


try:  # the standard library's pattern parser: private, as in Python 3.11 to 3.13
    from re import _constants as sre
    from re import _parser as sre_parser

    _REPEATS: tuple[object, ...] = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
except ImportError:  # another Python: no pattern is read, so every pattern is simply tried (same results)
    sre = sre_parser = None  # type: ignore[assignment]
    _REPEATS = ()


def _needles_of_sequence(items: Sequence[tuple[object, object]]) -> frozenset[str] | None:
    """Needles of a parsed regular expression (see :func:`required_needles`): the longest run of
    ASCII literals, or the needles of a group, alternation or repeat the sequence cannot skip."""
    options: list[frozenset[str]] = []
    run = ""
    for op, arg in items:
        if op is sre.LITERAL and arg < 128:
            run += chr(arg).lower()
            continue
        if run:
            options.append(frozenset([run]))
            run = ""
        needles = None
        if op is sre.SUBPATTERN:
            needles = _needles_of_sequence(arg[-1])
        elif op is sre.BRANCH:
            branches = [_needles_of_sequence(branch) for branch in arg[1]]
            needles = None if None in branches else frozenset().union(*branches)
        elif op in _REPEATS and arg[0] >= 1:
            needles = _needles_of_sequence(arg[2])
        if needles:
            options.append(needles)
    if run:
        options.append(frozenset([run]))
    return max(options, key=lambda needles: min(map(len, needles)), default=None)


def required_needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Pieces of text, one of which every match of a pattern contains.

    Parameters
    ----------
    pattern : re.Pattern
        A compiled pattern.

    Returns
    -------
    frozenset of str or None
        Lower-case ASCII strings: a text whose :func:`analysis.ingest.recognise.fold_case`
        holds none of them has no match of ``pattern``. None when the pattern requires no
        such text (``.*``) or cannot be read.
    """
    try:
        return _needles_of_sequence(list(sre_parser.parse(pattern.pattern, pattern.flags)))
    except Exception:  # a pattern this reader does not know is simply always tried
        return None


#: A pattern is tried only when one of its needles is in the line when its needles are this
#: long (shorter ones, "of" or "/", are in most lines) ...
SCREEN_NEEDLE_CHARS = 3


def _costly(pattern: re.Pattern[str]) -> bool:
    """... and when it opens with a repeat (".*", ".{0,40}"), which the engine tries at every length."""
    try:
        first = next(iter(sre_parser.parse(pattern.pattern, pattern.flags)), (None, None))
    except Exception:
        return False
    return first[0] in _REPEATS


def _parsed_ops(items: Iterable[tuple[object, object]]) -> Iterator[object]:
    """Every operation of a parsed pattern, those nested in groups, repeats and alternatives included."""
    for op, arg in items:
        yield op
        for part in arg if isinstance(arg, (tuple, list)) else (arg,):
            if isinstance(part, sre_parser.SubPattern):
                yield from _parsed_ops(part)
            elif isinstance(part, list):  # the alternatives of a branch
                for branch in part:
                    if isinstance(branch, sre_parser.SubPattern):
                        yield from _parsed_ops(branch)


def join_patterns(patterns: Sequence[re.Pattern[str]]) -> tuple[re.Pattern[str], ...]:
    """The patterns as one alternation, which the engine tries in one call, when that means the same.

    Parameters
    ----------
    patterns : sequence of re.Pattern
        Whole-line patterns.

    Returns
    -------
    tuple of re.Pattern
        One pattern whose full match is a full match of one of ``patterns``; the patterns
        unchanged when they differ in flags, refer to their groups, or do not compile together.
    """
    if len(patterns) < 2 or len({p.flags for p in patterns}) > 1:
        return tuple(patterns)
    try:
        ops = {op for p in patterns for op in _parsed_ops(sre_parser.parse(p.pattern, p.flags))}
        if ops & {sre.GROUPREF, sre.GROUPREF_EXISTS}:
            return tuple(patterns)  # joined, the patterns' groups would be numbered anew
        return (re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags),)
    except Exception:  # flags inside a pattern, a group name used twice: apart is always right
        return tuple(patterns)


@dataclass(frozen=True)
class PatternScreen:
    """Whole-line patterns arranged so that a line is cheap to test against them all.

    Attributes
    ----------
    direct : tuple of re.Pattern
        Patterns tried on every line (anchored by their first characters, they fail fast),
        joined into one where that means the same (:func:`join_patterns`).
    screened : tuple of (re.Pattern, frozenset of str)
        Costly patterns with their :func:`required_needles`, tried only on a line holding one.
    needles : frozenset of str
        Every needle of ``screened``: a line with none of them needs no test of those.
    """

    direct: tuple[re.Pattern[str], ...]
    screened: tuple[tuple[re.Pattern[str], frozenset[str]], ...]
    needles: frozenset[str]

    @classmethod
    def of(cls, patterns: Sequence[re.Pattern[str]]) -> PatternScreen:
        """Arrange ``patterns``: those costly and with needles of :data:`SCREEN_NEEDLE_CHARS` or more are screened."""
        direct, screened = [], []
        for pattern in patterns:
            needles = required_needles(pattern) if _costly(pattern) else None
            if needles and min(map(len, needles)) >= SCREEN_NEEDLE_CHARS:
                screened.append((pattern, needles))
            else:
                direct.append(pattern)
        needles = frozenset().union(*(needles for _, needles in screened))
        return cls(join_patterns(direct), tuple(screened), needles)

    def matches(self, text: str) -> bool:
        """Whether any of the patterns matches the whole of ``text`` (as :func:`matches_any`)."""
        for pattern in self.direct:  # plain loops: this runs for most lines of every page
            if pattern.fullmatch(text):
                return True
        if not self.screened:
            return False
        folded = fold_case(text)
        if not any(map(folded.__contains__, self.needles)):
            return False
        for pattern, needles in self.screened:
            if any(map(folded.__contains__, needles)) and pattern.fullmatch(text):
                return True
        return False


#: One byte per :func:`analysis.ingest.segment.classify_line` label, for labels kept between passes (:func:`encode_labels`).
LABEL_CODES = {"byline": "b", "date": "d", "tags": "t", "comment": "m", "chrome": "c", "text": "x"}
_LABEL_OF_CODE = {code: label for label, code in LABEL_CODES.items()}


def encode_labels(labels: Sequence[str]) -> bytes:
    """:func:`analysis.ingest.segment.line_labels` in one byte per line (:data:`LABEL_CODES`), to keep for a later pass."""
    return "".join(LABEL_CODES[label] for label in labels).encode("ascii")


def decode_labels(codes: bytes) -> list[str]:
    """The labels :func:`encode_labels` kept."""
    return [_LABEL_OF_CODE[code] for code in codes.decode("ascii")]


def page_digest(text: str) -> bytes:
    """A 16-byte digest of a page's text: the key of :attr:`Rules.known_labels`."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def rules_from_file(path: Path) -> list[str]:
    """Read user rule lines from a file (``kind: regex`` per line).

    Parameters
    ----------
    path : Path
        A UTF-8 text file.

    Returns
    -------
    list of str
        Its lines, for :func:`default_rules`'s ``extra``.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    """
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path}: chrome rule file not found; pass an existing file to --chrome-file")
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise ValueError(f"{path}: the rule file is not valid UTF-8; save it as UTF-8") from None
