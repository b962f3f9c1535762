"""The steps every notebook starts with, in one place: read, clean, count.

A notebook calls :func:`prepare` once, then asks for the document-term views it needs
(:func:`article_space`, :func:`paragraph_space`). Keeping these here means the notebooks
never repeat each other's set-up code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from analysis import paths
from analysis.ingest import corpus
from analysis.ingest.corpus import Article, Paragraph
from analysis.ingest.duplicates import Duplicate
from analysis.pipeline import cache
from analysis.pipeline.backends import LOCAL, Backend
from analysis.pipeline.cache import CleanedArticle
from analysis.pipeline.parallel import Mapper, ParallelMap, usable_cores
from analysis.pipeline.vectors import VectorSpace
from analysis.text import cleaning


@dataclass(frozen=True)
class Prepared:
    """A cleaned corpus.

    Attributes
    ----------
    inputs : tuple of Path
        The files read, in reading order.
    articles : tuple of Article
        The articles, in corpus order.
    config : cleaning.CleaningConfig
        The cleaning configuration used.
    article_tokens : dict
        Article id to its cleaned tokens.
    paragraphs : tuple of Paragraph
        Every body paragraph.
    paragraph_tokens : dict
        Paragraph id to its cleaned tokens.
    duplicates : tuple of duplicates.Duplicate
        Articles left out because an earlier article has the same title and body.
    """

    inputs: tuple[Path, ...]
    articles: tuple[Article, ...]
    config: cleaning.CleaningConfig
    article_tokens: dict[str, list[str]]
    paragraphs: tuple[Paragraph, ...]
    paragraph_tokens: dict[str, list[str]]
    duplicates: tuple[Duplicate, ...] = ()

    @property
    def titles(self) -> dict[str, str]:
        """Article id to title."""
        return {a.id: a.title for a in self.articles}


CLEAN_BATCH_ARTICLES = 64  # articles sent to a cleaning process at a time
READ_BATCH_FILES = 4  # files sent to a reading process at a time
MIN_FILES_PER_WORKER = 50  # below this many files per process, reading in parallel costs more than it saves


def _clean_article(config: cleaning.CleaningConfig, article: Article) -> CleanedArticle:
    """Clean the paragraphs of one article (a :class:`ParallelMap` task; ``config`` is its context)."""
    return CleanedArticle(article, tuple(cleaning.clean_texts(article.paragraphs, config)))


def _clean_chunk(config: cleaning.CleaningConfig, texts: Sequence[str]) -> list[list[str]]:
    """:func:`analysis.text.cleaning.clean_texts` as a :class:`ParallelMap` task."""
    return cleaning.clean_texts(texts, config)


def clean_many(
    texts: Sequence[str], config: cleaning.CleaningConfig, workers: int = 1, chunk_size: int = 256
) -> list[list[str]]:
    """Clean many texts, in ``workers`` processes; the result is the same for any number.

    Parameters
    ----------
    texts : sequence of str
        Raw texts.
    config : CleaningConfig
        The cleaning configuration (sent once to each worker).
    workers : int
        Processes; 1 cleans here.
    chunk_size : int
        Texts sent to a worker at a time.

    Returns
    -------
    list of list of str
        The tokens of each text, in input order.
    """
    if workers == 1 or len(texts) <= chunk_size:
        return cleaning.clean_texts(texts, config)
    chunks = [texts[start : start + chunk_size] for start in range(0, len(texts), chunk_size)]
    return [tokens for chunk in ParallelMap(workers, 1)(_clean_chunk, chunks, config) for tokens in chunk]


def _clean_articles(
    files: Sequence[Path],
    config: cleaning.CleaningConfig,
    duplicates: list,
    progress: bool,
    workers: int,
    backend: Backend = LOCAL,
) -> Iterator[CleanedArticle]:
    """Read, segment and clean every article.

    With several workers, files are segmented in one pool of processes and the articles
    cleaned in another, while this process checks ids and duplicates; results keep corpus
    order, so they do not depend on the number of workers. On Spark both are Spark tasks.
    """
    if backend.on_spark:
        reader = backend.mapper(READ_BATCH_FILES)
        articles = corpus.iter_articles(files, progress=progress, duplicates=duplicates, mapper=reader)
        yield from backend.mapper(CLEAN_BATCH_ARTICLES)(_clean_article, articles, config)
        return
    workers = 1 if len(files) < MIN_FILES_PER_WORKER * 2 else workers
    reader: Mapper | None = ParallelMap(workers, READ_BATCH_FILES) if workers > 1 else None
    articles = corpus.iter_articles(files, progress=progress, duplicates=duplicates, mapper=reader)
    yield from ParallelMap(workers, CLEAN_BATCH_ARTICLES)(_clean_article, articles, config)


def iter_cleaned(
    seeds: str | Path | Sequence[str | Path] | None = None,
    lemmatize: bool = True,
    progress: bool = False,
    use_cache: bool = True,
    workers: int | None = None,
    duplicates: list | None = None,
    backend: Backend = LOCAL,
) -> Iterator[CleanedArticle]:
    """Stream every article with its cleaned paragraphs, through the on-disk cache.

    The first pass over a corpus segments and cleans it and writes the result to the
    cache (:mod:`analysis.pipeline.cache`); later passes, in any notebook or the CLI, read it back.
    Only one chunk of articles is held at a time.

    Parameters
    ----------
    seeds : path, list of paths, or None
        Inputs; see :func:`analysis.paths.input_paths`.
    lemmatize : bool
        Lemmatise tokens.
    progress : bool
        Show a progress bar over files (when the corpus is not cached yet).
    use_cache : bool
        Read and write the cache (also off when ``ANALYSIS_CACHE=off``).
    workers : int, optional
        Processes segmenting files; None: one per usable core. The result does not depend on it.
    duplicates : list, optional
        Receives the articles left out because an earlier one has the same title and body.
    backend : Backend
        Where files are read and articles cleaned when the corpus is not cached yet (the
        tokens are the same on every backend, so the cache serves both).

    Yields
    ------
    CleanedArticle
        In corpus order.
    """
    files = tuple(corpus.find_files(paths.input_paths(seeds)))
    config = cleaning.default_config(lemmatize=lemmatize)
    found = [] if duplicates is None else duplicates
    workers = usable_cores() if workers is None else workers

    def produce() -> Iterator[CleanedArticle]:
        return _clean_articles(files, config, found, progress, workers, backend)

    if not use_cache:
        yield from produce()
        return
    yield from cache.cached(cache.corpus_key(files, config), produce, found)


def prepare(
    seeds: str | Path | Sequence[str | Path] | None = None,
    lemmatize: bool = True,
    progress: bool = False,
    use_cache: bool = True,
    workers: int | None = None,
    backend: Backend = LOCAL,
) -> Prepared:
    """Read and clean a corpus (paragraphs are cleaned one by one; articles are their sum).

    Parameters
    ----------
    seeds : path, list of paths, or None
        Inputs; see :func:`analysis.paths.input_paths` (None: ``$ANALYSIS_SEEDS`` or ``seeds/``).
    lemmatize : bool
        Lemmatise tokens.
    progress : bool
        Show progress bars.
    use_cache : bool
        Reuse (or write) the cleaned corpus in the on-disk cache (see :func:`iter_cleaned`).
    workers : int, optional
        Processes segmenting files; None: one per usable core.
    backend : Backend
        Where files are read and articles cleaned (see :func:`iter_cleaned`).

    Returns
    -------
    Prepared
        Articles, paragraphs and their cleaned tokens; an article whose title and body
        repeat an earlier one is counted once and listed in ``duplicates``.
    """
    files = tuple(corpus.find_files(paths.input_paths(seeds)))
    duplicates: list = []
    articles, paragraphs = [], []
    paragraph_tokens: dict[str, list[str]] = {}
    article_tokens: dict[str, list[str]] = {}
    for item in iter_cleaned(files, lemmatize, progress, use_cache, workers, duplicates, backend):
        articles.append(item.article)
        tokens_of_article: list[str] = []
        for paragraph, tokens in zip(corpus.iter_paragraphs([item.article]), item.paragraph_tokens):
            paragraphs.append(paragraph)
            paragraph_tokens[paragraph.id] = tokens
            tokens_of_article.extend(tokens)
        article_tokens[item.article.id] = tokens_of_article
    config = cleaning.default_config(lemmatize=lemmatize)
    return Prepared(
        files, tuple(articles), config, article_tokens, tuple(paragraphs), paragraph_tokens, tuple(duplicates)
    )


def stream_article_tokens(
    seeds: str | Path | Sequence[str | Path] | None = None, progress: bool = False, workers: int | None = None
) -> Iterator[tuple[str, list[str]]]:
    """``(article id, cleaned tokens)`` for every article, without holding the corpus in memory.

    For archives too large to keep as :class:`Prepared`: feed it to
    :func:`analysis.pipeline.vectors.vectorize`, which builds its matrices from a stream.

    Parameters
    ----------
    seeds : path, list of paths, or None
        Inputs, as for :func:`prepare`.
    progress : bool
        Show a progress bar over files on the first (uncached) pass.
    workers : int, optional
        Processes segmenting files.

    Yields
    ------
    tuple of (str, list of str)
        In corpus order.
    """
    for item in iter_cleaned(seeds, progress=progress, workers=workers):
        yield item.article.id, [token for tokens in item.paragraph_tokens for token in tokens]


def article_space(
    prepared: Prepared,
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    sublinear_tf: bool = False,
    backend: Backend = LOCAL,
) -> VectorSpace:
    """Count and TF-IDF matrices with one row per article.

    Parameters
    ----------
    prepared : Prepared
        From :func:`prepare`.
    min_df, max_df : int or float
        Document-frequency pruning (see :func:`analysis.pipeline.vectors.vectorize`).
    sublinear_tf : bool
        Use ``1 + ln(tf)`` in TF-IDF.
    backend : Backend
        Where the counting runs (the same space on every backend).

    Returns
    -------
    VectorSpace
        Rows in article order.
    """
    documents = ((a.id, prepared.article_tokens[a.id]) for a in prepared.articles)
    return backend.vectorize(documents, min_df, max_df, sublinear_tf)


def paragraph_space(
    prepared: Prepared,
    min_tokens: int = 5,
    min_df: int | float = 2,
    max_df: int | float = 0.5,
    backend: Backend = LOCAL,
) -> VectorSpace:
    """Count matrices with one row per paragraph of at least ``min_tokens`` cleaned tokens.

    Parameters
    ----------
    prepared : Prepared
        From :func:`prepare`.
    min_tokens : int
        Shorter paragraphs (subheadings, one-line quotes) carry too little to model.
    min_df, max_df : int or float
        Document-frequency pruning over paragraphs.
    backend : Backend
        Where the counting runs (the same space on every backend).

    Returns
    -------
    VectorSpace
        Rows are paragraph ids.
    """
    kept = [p for p in prepared.paragraphs if len(prepared.paragraph_tokens[p.id]) >= min_tokens]
    return backend.vectorize(((p.id, prepared.paragraph_tokens[p.id]) for p in kept), min_df, max_df)


def paragraph_articles(prepared: Prepared) -> dict[str, str]:
    """Paragraph id to the id of its article.

    Parameters
    ----------
    prepared : Prepared
        From :func:`prepare`.

    Returns
    -------
    dict
        For aggregating paragraph-level results to articles.
    """
    return {p.id: p.article_id for p in prepared.paragraphs}


class ArticleLabel(str):
    """A figure label ``"3 · Title of the article"`` that also carries its parts.

    A ``str``, so it goes wherever a label goes; ``number`` (the article's place in corpus
    order, as text) is what a narrow axis shows, without parsing the label back.
    """

    number: str
    title: str

    def __new__(cls, number: int | str, title: str) -> ArticleLabel:
        label = super().__new__(cls, f"{number} · {title}")
        label.number, label.title = str(number), title
        return label

    def __reduce__(self) -> tuple:
        return ArticleLabel, (self.number, self.title)


def article_labels(prepared: Prepared, width: int = 60) -> dict[str, ArticleLabel]:
    """Readable labels for figures: ``"3 · Title of the article"`` (number in corpus order).

    Parameters
    ----------
    prepared : Prepared
        From :func:`prepare`.
    width : int
        Titles longer than this are cut with an ellipsis.

    Returns
    -------
    dict
        Article id to label.
    """

    def cut(title: str) -> str:
        title = " ".join(title.split())
        return title if len(title) <= width else title[: width - 1].rstrip() + "…"

    return {a.id: ArticleLabel(i, cut(a.title) or a.id) for i, a in enumerate(prepared.articles, 1)}


@dataclass(frozen=True)
class ArticleSplit:
    """Two groups of articles to compare (see :func:`article_groups`).

    Attributes
    ----------
    label, other : str
        The groups as a reader names them: ``"articles tagged “Floods”"``, ``"other articles"``.
    name : str
        The tag, site section or source file that makes the first group ("" when none does).
    members : list of bool
        Membership in the first group, per article; empty when nothing splits the corpus.
    note : str
        What was used and why, in one sentence.
    """

    label: str
    other: str
    name: str
    members: list[bool]
    note: str


def _closest_to_half(counts: Counter[str], n: int) -> str | None:
    """The key whose count comes closest to half of ``n`` (ties: the larger, then the first by name)."""
    usable = [key for key, count in counts.items() if 0 < count < n]
    return min(usable, key=lambda k: (abs(counts[k] - n / 2), -counts[k], k)) if usable else None


def _url_section(article: Article) -> str | None:
    """The first folder of an article's address ("/politics/2024/flood-wall" gives "politics"), not a year."""
    if not article.url:
        return None
    folders = [s for s in urlsplit(article.url).path.split("/") if s][:-1]
    return next((f for f in folders if not f.isdigit()), None)


def article_groups(articles: Sequence[Article], tag: str | None) -> ArticleSplit:
    """Split articles into two groups to compare: by tag, else by site section, else by source file.

    Parameters
    ----------
    articles : sequence of Article
        The corpus.
    tag : str or None
        The tag to use (case-insensitive). When None, or when no article or every article
        carries it, the tag whose articles come closest to half the corpus is used; when no
        tag splits the corpus (a crawl's pages seldom carry tags), the first folder of the
        articles' addresses ("/politics/"), then the source file, closest to half.

    Returns
    -------
    ArticleSplit
        With empty ``members`` and a note saying why when nothing splits the corpus (one
        source, no tags, no addresses): the comparison is then skipped, not failed.
    """
    n = len(articles)

    def tagged(name: str) -> list[bool]:
        return [name.casefold() in {t.casefold() for t in a.tags} for a in articles]

    if tag is not None and 0 < sum(tagged(tag)) < n:
        return ArticleSplit(f"articles tagged “{tag}”", "other articles", tag, tagged(tag), "")
    best = _closest_to_half(Counter(t for a in articles for t in dict.fromkeys(a.tags)), n)
    instead = f"tag {tag!r} does not split this corpus; " if tag else ""
    if best is not None:
        members = tagged(best)
        note = f"{instead}using the tag {best!r} ({sum(members)} of {n} articles)" if tag else ""
        return ArticleSplit(f"articles tagged “{best}”", "other articles", best, members, note)
    sections = [_url_section(a) for a in articles]
    section = _closest_to_half(Counter(s for s in sections if s), n)
    if section is not None:
        members = [s == section for s in sections]
        note = f"{instead}no tag splits the articles; comparing those under /{section}/ ({sum(members)} of {n})"
        return ArticleSplit(f"articles under /{section}/", "other articles", section, members, note)
    source = _closest_to_half(Counter(a.source for a in articles), n)
    if source is not None:
        members = [a.source == source for a in articles]
        name = Path(source).name
        note = (
            f"{instead}no tag or site section splits the articles; comparing those from {name} ({sum(members)} of {n})"
        )
        return ArticleSplit(f"articles from {name}", "other articles", name, members, note)
    note = (
        f"{instead}no tag, site section or source file splits the articles into two groups, so the group "
        "comparison is skipped; add tags to the input records, or read several sources"
    )
    return ArticleSplit("", "", "", [], note)
