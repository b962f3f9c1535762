"""Pages of one site among the inputs: found by the template they share, so repetition is evidence only there.

Lines repeated across many pages (a masthead, a slogan, a footer sentence) are template, not
articles, but only among pages of one site: a page's result never depends on unrelated files
beside it. :func:`corpus_rules` groups the scraped text pages (:func:`site_groups`) and gives
each group of two pages or more its own template lines.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from analysis.ingest import segment as seg
from analysis.ingest.lines import drop_hover_cards, is_element_dump
from analysis.ingest.reading import PAGE_SUFFIXES, InputError, read_page
from analysis.ingest.rules import Rules, default_rules, encode_labels, page_digest

#: Two pages are one site's pages when the short lines they share, among those no rule
#: explains (see :func:`site_evidence`), hold at least this many words between them: a
#: site's name and slogan, a footer sentence. Words, not lines, because a one-word line
#: ("Opinion", "Background") is shared by unrelated sites by chance, a twelve-word footer is not.
SITE_MIN_SHARED_WORDS = 8
#: Pages of a group that a page is compared with, latest first, for each line they share,
#: before the group is taken not to be its site. Up to this size the groups are exactly the
#: connected pages; the bound keeps the grouping of a large archive of one site linear.
SITE_PROBES = 32


@dataclass(frozen=True)
class SiteGroup:
    """Pages that share their template, and the lines repeated across them.

    Attributes
    ----------
    files : tuple of Path
        The pages, in reading order (two at least).
    template_lines : frozenset of str
        Folded short lines found on at least half of them (see
        :func:`template_lines`).
    """

    files: tuple[Path, ...]
    template_lines: frozenset[str]


@dataclass(frozen=True)
class CorpusRules:
    """Segmentation rules of a corpus: one set for every file, plus each site group's template.

    Attributes
    ----------
    base : Rules
        Shipped and user rules, no template lines: what a page read alone gets.
    groups : tuple of SiteGroup
        Groups of pages of one site; a page in none is segmented with ``base``.
    """

    base: Rules
    groups: tuple[SiteGroup, ...] = ()
    _group_of: dict[Path, int] = field(init=False, repr=False, compare=False)
    _group_rules: tuple[Rules, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_file = {path: i for i, group in enumerate(self.groups) for path in group.files}
        rules = tuple(replace(self.base, template_lines=group.template_lines) for group in self.groups)
        object.__setattr__(self, "_group_of", by_file)
        object.__setattr__(self, "_group_rules", rules)

    def group_of(self, path: Path) -> SiteGroup | None:
        """The site group of a file, or None when no other page of its site is among the inputs."""
        index = self._group_of.get(path)
        return None if index is None else self.groups[index]

    def for_file(self, path: Path) -> Rules:
        """The rules to segment ``path`` with: ``base`` plus its group's template lines."""
        index = self._group_of.get(path)
        return self.base if index is None else self._group_rules[index]


@dataclass(frozen=True, eq=False)
class PageEvidence:
    """What a page shows of its site: its short text lines and its long paragraphs, as digests.

    Lines are kept as :func:`line_digest` values in flat arrays (about 14 bytes a line), so
    the evidence of a whole archive stays small in the process that groups its pages.

    Attributes
    ----------
    short_keys : numpy.ndarray
        Digests of the page's distinct short lines, ascending (uint64).
    short_words : numpy.ndarray
        Each short line's word count (uint16).
    short_at : numpy.ndarray
        Index of each short line's first occurrence among the page's lines (int32).
    long_keys : numpy.ndarray
        Digest of each occurrence of a long line (a paragraph), ascending (uint64).
    long_at : numpy.ndarray
        Index of each of those occurrences among the page's lines (int32).
    page : bytes
        :func:`analysis.ingest.rules.page_digest` of the page's text.
    labels : bytes
        The page's :func:`analysis.ingest.segment.line_labels` without template lines
        (:func:`analysis.ingest.rules.encode_labels`), so that segmenting the page later
        does not label its lines again; empty when they would not apply (a page whose lines
        segmentation re-joins first).
    """

    short_keys: np.ndarray
    short_words: np.ndarray
    short_at: np.ndarray
    long_keys: np.ndarray
    long_at: np.ndarray
    page: bytes = b""
    labels: bytes = b""

    @classmethod
    def of(
        cls,
        short: Iterable[tuple[int, int, int]],
        long: Iterable[tuple[int, int]],
        page: bytes = b"",
        labels: bytes = b"",
    ) -> PageEvidence:
        """Evidence from ``(digest, words, first index)`` of each distinct short line and ``(digest, index)`` of each paragraph."""
        short_rows = sorted(short)
        long_rows = sorted(long)
        return cls(
            np.array([key for key, _, _ in short_rows], dtype=np.uint64),
            np.array([words for _, words, _ in short_rows], dtype=np.uint16),
            np.array([at for _, _, at in short_rows], dtype=np.int32),
            np.array([key for key, _ in long_rows], dtype=np.uint64),
            np.array([at for _, at in long_rows], dtype=np.int32),
            page,
            labels,
        )

    def shared_words(self, other: PageEvidence) -> int:
        """Words of the short lines both pages show, leaving out those beside a paragraph both show.

        An article on both pages (overlapping listing pages, a syndicated story) repeats its
        title and credits with its paragraphs; lines within
        :data:`analysis.ingest.segment.REPEATED_ARTICLE_WINDOW` lines of a shared paragraph
        are that article, not the site's template, and do not count.
        """
        common, mine, theirs = np.intersect1d(
            self.short_keys, other.short_keys, assume_unique=True, return_indices=True
        )
        if not common.size:
            return 0
        paragraphs = np.intersect1d(self.long_keys, other.long_keys)
        beside = self._near(paragraphs, self.short_at[mine]) | other._near(paragraphs, other.short_at[theirs])
        return int(self.short_words[mine][~beside].sum())

    def _near(self, paragraphs: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """Whether each of ``positions`` lies within the window of an occurrence of one of ``paragraphs``."""
        where = np.sort(self.long_at[np.isin(self.long_keys, paragraphs)])
        if not where.size:
            return np.zeros(len(positions), dtype=bool)
        window = seg.REPEATED_ARTICLE_WINDOW
        first = np.minimum(np.searchsorted(where, positions - window), where.size - 1)
        return (where[first] >= positions - window) & (where[first] <= positions + window)


def line_digest(key: str) -> int:
    """A 64-bit digest of a folded line: what cross-page evidence and counts keep instead of the text.

    64 bits leave about one chance in 370,000 that two of ten million distinct lines share a
    digest.
    """
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def site_evidence(
    lines: Sequence[seg.Line], rules: Rules, page: bytes = b"", keep_labels: bool = False
) -> PageEvidence:
    """The lines of a page that say which site it comes from.

    Parameters
    ----------
    lines : sequence of segment.Line
        A page's lines.
    rules : Rules
        The corpus's rules, without template lines.
    page : bytes
        :func:`analysis.ingest.rules.page_digest` of the page's text, kept with the evidence.
    keep_labels : bool
        Keep the lines' labels in the evidence, for segmentation to reuse.

    Returns
    -------
    PageEvidence
        Its short lines (1 to :data:`analysis.ingest.segment.MAX_CHROME_WORDS` words, folded
        with :func:`analysis.ingest.segment.normalise_line`) that segmentation labels as text
        on this page (:func:`analysis.ingest.segment.classify_page`), and its longer lines.
        Chrome patterns, bylines, datelines, tag lines and runs of menu items are left out:
        every site has such lines ("Share this", "Staff writer", "World / Politics / Sport"),
        and cross-page repetition changes nothing about them.
    """
    labels = seg.line_labels(lines, rules)
    kinds = seg.classify_page(lines, rules, labels)
    short: dict[int, tuple[int, int]] = {}
    long: list[tuple[int, int]] = []
    for index, (line, kind) in enumerate(zip(lines, kinds)):
        if line.n_words > seg.MAX_CHROME_WORDS:
            long.append((line_digest(line.key), index))
        elif kind == "text" and line.key and line.n_words >= 1:
            short.setdefault(line_digest(line.key), (line.n_words, index))
    return PageEvidence.of(
        ((key, words, at) for key, (words, at) in short.items()),
        long,
        page,
        encode_labels(labels) if keep_labels else b"",
    )


def _prefix(evidence: PageEvidence, distinct: np.ndarray, pages_showing: np.ndarray) -> list[int]:
    """The page's rarest short lines, up to where the rest hold fewer than :data:`SITE_MIN_SHARED_WORDS` words.

    Lines are ordered by how many pages show them (``pages_showing`` of each of the corpus's
    ``distinct`` digests), then by digest. Two linked pages share words enough that the first
    line they share in that order lies in both prefixes, so indexing and probing prefixes
    only finds every linked pair (prefix filtering).
    """
    frequency = pages_showing[np.searchsorted(distinct, evidence.short_keys)]
    order = np.lexsort((evidence.short_keys, frequency))
    words = evidence.short_words[order].astype(np.int64)
    rest_before = int(words.sum()) - (np.cumsum(words) - words)
    return evidence.short_keys[order][rest_before >= SITE_MIN_SHARED_WORDS].tolist()


def _pages_showing(keys: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct digests among pages' arrays of distinct digests, ascending, and how many pages show each."""
    return np.unique(np.concatenate(keys) if keys else np.zeros(0, np.uint64), return_counts=True)


def _regroup(holders: dict[int, list[int]], find: Callable[[int], int]) -> dict[int, list[int]]:
    """Pages holding one line, by their group's current root (smaller lists appended to larger)."""
    merged: dict[int, list[int]] = {}
    for root, pages in holders.items():
        current = merged.setdefault(find(root), pages)
        if current is not pages:
            small, large = sorted((current, pages), key=len)
            large.extend(small)
            merged[find(root)] = large
    return merged


def site_groups(evidence: Sequence[PageEvidence]) -> list[list[int]]:
    """Group pages of one site: connected components of pages whose evidence links them.

    Two pages are linked when the short lines they share hold :data:`SITE_MIN_SHARED_WORDS`
    words (:meth:`PageEvidence.shared_words`); a group is every page reachable through
    links. Candidates come from an index of each page's rarest lines (prefix filtering finds
    every linked pair), and a page is compared with at most :data:`SITE_PROBES` pages of a
    group per shared line. A page shares no such words with an unrelated site, so it is
    grouped the same with or without that site's pages beside it.

    Parameters
    ----------
    evidence : sequence of PageEvidence
        Each page's :func:`site_evidence`.

    Returns
    -------
    list of list of int
        Positions of the pages of each group of two or more, groups ordered by their first page.
    """
    distinct, pages_showing = _pages_showing([page.short_keys for page in evidence])
    parent = list(range(len(evidence)))
    size = [1] * len(evidence)

    def find(page: int) -> int:
        while parent[page] != page:
            parent[page] = parent[parent[page]]
            page = parent[page]
        return page

    def union(a: int, b: int) -> None:
        a, b = sorted((find(a), find(b)), key=lambda root: (-size[root], root))
        parent[b] = a
        size[a] += size[b]

    def linked(a: int, b: int) -> bool:
        return evidence[a].shared_words(evidence[b]) >= SITE_MIN_SHARED_WORDS

    holders: dict[int, dict[int, list[int]]] = {}
    for page, found in enumerate(evidence):
        prefix = _prefix(found, distinct, pages_showing)
        for key in prefix:
            holders[key] = _regroup(holders.get(key, {}), find)
            for root, pages in holders[key].items():
                if find(root) != find(page) and any(linked(page, q) for q in pages[-SITE_PROBES:][::-1]):
                    union(root, page)
        for key in prefix:
            holders[key] = _regroup(holders[key], find)
            holders[key].setdefault(find(page), []).append(page)
    members: dict[int, list[int]] = {}
    for page in range(len(evidence)):
        members.setdefault(find(page), []).append(page)
    return sorted((group for group in members.values() if len(group) >= 2), key=lambda group: group[0])


def template_candidates(lines: Sequence[seg.Line], repeated_paragraphs: Set[int]) -> frozenset[str]:
    """The short lines of one page that could be its site's template.

    An article found on two pages (listing pages that overlap, one page saved twice) repeats
    its title and byline too, but it also repeats its long paragraphs, which no template
    does: short lines within :data:`analysis.ingest.segment.REPEATED_ARTICLE_WINDOW` lines of a
    paragraph found on another page are left out, so the article is kept (and counted once
    by :func:`analysis.ingest.corpus.iter_articles`).

    Parameters
    ----------
    lines : sequence of Line
        A page's lines.
    repeated_paragraphs : set of int
        :func:`line_digest` of the long lines (paragraphs) found on two pages or more of the site.

    Returns
    -------
    frozenset of str
        Folded short lines (see :func:`analysis.ingest.segment.normalise_line`).
    """
    window = seg.REPEATED_ARTICLE_WINDOW
    repeated = [
        i
        for i, line in enumerate(lines)
        if line.n_words > seg.MAX_CHROME_WORDS and line_digest(line.key) in repeated_paragraphs
    ]
    near = {j for i in repeated for j in range(i - window, i + window + 1)}
    return frozenset(line.key for i, line in enumerate(lines) if line.n_words <= seg.MAX_CHROME_WORDS and i not in near)


def template_lines(
    candidates: Iterable[Iterable[str]], n_pages: int, min_share: float = seg.CROSS_PAGE_SHARE
) -> frozenset[str]:
    """Short lines that appear on many pages of one site (navigation, footers, share bars).

    The pages' candidates stream through once; what is kept is a count per distinct line,
    by its digest, and the text of the lines seen on two pages or more: memory grows with
    the site's distinct lines, not with its pages' text.

    Parameters
    ----------
    candidates : iterable of iterables of str
        Each page's :func:`template_candidates`, streamed.
    n_pages : int
        Number of pages.
    min_share : float
        A line counts as template text when found on at least this share of the pages (and
        on two pages at least).

    Returns
    -------
    frozenset of str
        Folded lines.
    """
    pages_showing: Counter[int] = Counter()
    text_of: dict[int, str] = {}
    for keys in candidates:
        for key in keys:
            digest = line_digest(key)
            pages_showing[digest] += 1
            if pages_showing[digest] == 2:
                text_of[digest] = key
    threshold = max(2, min_share * n_pages)
    return frozenset(text_of[digest] for digest, n in pages_showing.items() if n >= threshold)


def evidence_job(context: tuple[Rules, str | None], path: Path) -> PageEvidence | None:
    """:func:`site_evidence` of one scraped page as a mapper task; None when the page cannot be read.

    Parameters
    ----------
    context : tuple of (Rules, str or None)
        The corpus's rules without template lines, and the codec for files that are not
        valid UTF-8 and declare none.
    path : Path
        A text page.

    Returns
    -------
    PageEvidence or None
        With the page's line labels, which segmentation reuses unless it re-joins the
        page's lines first (:func:`analysis.ingest.lines.is_element_dump`); None for a page
        that cannot be read (its error is reported when it is read).
    """
    rules, encoding = context
    try:
        text = read_page(path, encoding)
    except InputError:
        return None
    lines = drop_hover_cards(seg.split_lines(text))[0]  # as segmentation reads them, so labels line up
    return site_evidence(lines, rules, page_digest(text), keep_labels=not is_element_dump(lines))


def template_job(context: tuple[frozenset[int], str | None], path: Path) -> frozenset[str]:
    """:func:`template_candidates` of one scraped page as a mapper task (empty when the page cannot be read).

    Parameters
    ----------
    context : tuple of (frozenset of int, str or None)
        The site's repeated paragraphs (see :func:`template_candidates`), and the codec for
        files that are not valid UTF-8 and declare none.
    path : Path
        A text page of the site.

    Returns
    -------
    frozenset of str
        The page's candidate template lines.
    """
    repeated_paragraphs, encoding = context
    try:
        return template_candidates(seg.split_lines(read_page(path, encoding)), repeated_paragraphs)
    except InputError:
        return frozenset()


def corpus_rules(
    files: Sequence[Path],
    extra_rules: Sequence[str] = (),
    encoding: str | None = None,
    mapper: Callable[..., Iterable[PageEvidence | None]] | None = None,
) -> CorpusRules:
    """Segmentation rules for a set of files: shipped patterns, the user's, and each site's template lines.

    Parameters
    ----------
    files : sequence of Path
        All input files; scraped pages among them are read to group the pages of one site
        (:func:`site_groups`), and the pages of each group again to find the lines repeated
        across it (:func:`template_lines`).
    extra_rules : sequence of str
        The user's rule lines (``kind: regex``).
    encoding : str, optional
        Codec for files that are not valid UTF-8 and declare none.
    mapper : callable, optional
        ``mapper(job, pages, context)`` yielding in page order (see
        :func:`analysis.ingest.corpus.iter_articles`), for :func:`evidence_job` and
        :func:`template_job`; None works here, page after page.

    Returns
    -------
    CorpusRules
        For :func:`read_file_job`: ``rules.for_file(path)`` is what :func:`read_file` takes.
        A page that cannot be read is left out here (its error is reported when it is read).
    """
    base = default_rules(extra_rules)
    pages = [path for path in files if path.suffix.lower() in PAGE_SUFFIXES]
    if len(pages) < 2:
        return CorpusRules(base)
    context = (base, encoding)
    found = list(mapper(evidence_job, pages, context) if mapper else (evidence_job(context, p) for p in pages))
    readable = [(path, evidence) for path, evidence in zip(pages, found) if evidence is not None]
    known = {evidence.page: evidence.labels for _, evidence in readable if evidence.labels}
    groups = []
    for members in site_groups([evidence for _, evidence in readable]):
        group = tuple(readable[i][0] for i in members)
        repeated = (repeated_paragraphs([readable[i][1] for i in members]), encoding)
        candidates = mapper(template_job, group, repeated) if mapper else (template_job(repeated, p) for p in group)
        groups.append(SiteGroup(group, template_lines(candidates, len(group))))
    return CorpusRules(replace(base, known_labels=known), tuple(groups))


def repeated_paragraphs(evidence: Sequence[PageEvidence]) -> frozenset[int]:
    """:func:`line_digest` of the long lines (paragraphs) found on two or more of the pages."""
    distinct, pages_showing = _pages_showing([np.unique(page.long_keys) for page in evidence])
    return frozenset(distinct[pages_showing >= 2].tolist())
