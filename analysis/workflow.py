"""The steps every notebook starts with, in one place: read, clean, count.

A notebook calls :func:`prepare` once, then asks for the document-term views it needs
(:func:`article_space`, :func:`paragraph_space`). Keeping these here means the notebooks
never repeat each other's set-up code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from analysis import clean, corpus, paths
from analysis.corpus import Article, Paragraph
from analysis.vectorize import VectorSpace, vectorize


@dataclass(frozen=True)
class Prepared:
    """A cleaned corpus.

    Attributes
    ----------
    inputs : tuple of Path
        The files read, in reading order.
    articles : tuple of Article
        The articles, in corpus order.
    config : clean.CleaningConfig
        The cleaning configuration used.
    article_tokens : dict
        Article id to its cleaned tokens.
    paragraphs : tuple of Paragraph
        Every body paragraph.
    paragraph_tokens : dict
        Paragraph id to its cleaned tokens.
    """

    inputs: tuple[Path, ...]
    articles: tuple[Article, ...]
    config: clean.CleaningConfig
    article_tokens: dict[str, list[str]]
    paragraphs: tuple[Paragraph, ...]
    paragraph_tokens: dict[str, list[str]]

    @property
    def titles(self) -> dict[str, str]:
        """Article id to title."""
        return {a.id: a.title for a in self.articles}


def prepare(seeds: str | Path | Sequence[str | Path] | None = None, lemmatize: bool = True, progress: bool = False) -> Prepared:
    """Read and clean a corpus (paragraphs are cleaned one by one; articles are their sum).

    Parameters
    ----------
    seeds : path, list of paths, or None
        Inputs; see :func:`analysis.paths.input_paths` (None: ``$ANALYSIS_SEEDS`` or ``seeds/``).
    lemmatize : bool
        Lemmatise tokens.
    progress : bool
        Show progress bars.

    Returns
    -------
    Prepared
        Articles, paragraphs and their cleaned tokens.
    """
    inputs = paths.input_paths(seeds)
    files = tuple(corpus.find_files(inputs))
    articles = tuple(corpus.iter_articles(files, progress=progress))
    config = clean.default_config(lemmatize=lemmatize)
    paragraphs = tuple(corpus.iter_paragraphs(articles))
    paragraph_tokens = {p.id: clean.clean(p.text, config) for p in paragraphs}
    article_tokens: dict[str, list[str]] = {a.id: [] for a in articles}
    for paragraph in paragraphs:
        article_tokens[paragraph.article_id].extend(paragraph_tokens[paragraph.id])
    return Prepared(files, articles, config, article_tokens, paragraphs, paragraph_tokens)


def article_space(prepared: Prepared, min_df: int | float = 1, max_df: int | float = 1.0, sublinear_tf: bool = False) -> VectorSpace:
    """Count and TF-IDF matrices with one row per article.

    Parameters
    ----------
    prepared : Prepared
        From :func:`prepare`.
    min_df, max_df : int or float
        Document-frequency pruning (see :func:`analysis.vectorize.vectorize`).
    sublinear_tf : bool
        Use ``1 + ln(tf)`` in TF-IDF.

    Returns
    -------
    VectorSpace
        Rows in article order.
    """
    return vectorize(((a.id, prepared.article_tokens[a.id]) for a in prepared.articles), min_df, max_df, sublinear_tf=sublinear_tf)


def paragraph_space(prepared: Prepared, min_tokens: int = 5, min_df: int | float = 2, max_df: int | float = 0.5) -> VectorSpace:
    """Count matrices with one row per paragraph of at least ``min_tokens`` cleaned tokens.

    Parameters
    ----------
    prepared : Prepared
        From :func:`prepare`.
    min_tokens : int
        Shorter paragraphs (subheadings, one-line quotes) carry too little to model.
    min_df, max_df : int or float
        Document-frequency pruning over paragraphs.

    Returns
    -------
    VectorSpace
        Rows are paragraph ids.
    """
    kept = [p for p in prepared.paragraphs if len(prepared.paragraph_tokens[p.id]) >= min_tokens]
    return vectorize(((p.id, prepared.paragraph_tokens[p.id]) for p in kept), min_df, max_df)


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


def article_labels(prepared: Prepared, width: int = 60) -> dict[str, str]:
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

    return {a.id: f"{i} · {cut(a.title) or a.id}" for i, a in enumerate(prepared.articles, 1)}


def tag_groups(articles: Sequence[Article], tag: str | None) -> tuple[str, list[bool], str]:
    """Split articles into those carrying a tag and the rest.

    Parameters
    ----------
    articles : sequence of Article
        The corpus.
    tag : str or None
        The tag (case-insensitive). When None, or when no article or every article carries
        it, the tag whose articles come closest to half the corpus is used instead.

    Returns
    -------
    tuple
        ``(tag used, membership per article, note)``; the note says when the tag was replaced.

    Raises
    ------
    ValueError
        When no tag splits the corpus into two non-empty groups.
    """
    def members(name: str) -> list[bool]:
        return [name.casefold() in {t.casefold() for t in a.tags} for a in articles]

    if tag is not None and 0 < sum(members(tag)) < len(articles):
        return tag, members(tag), ""
    counts = Counter(t for a in articles for t in dict.fromkeys(a.tags))
    usable = [t for t, n in counts.items() if 0 < n < len(articles)]
    if not usable:
        raise ValueError(
            "no tag splits the articles into two groups (none carry tags, or all carry the same ones); "
            "compare sources instead, or add tags to the input records"
        )
    best = min(usable, key=lambda t: (abs(counts[t] - len(articles) / 2), -counts[t], t))
    note = f"tag {tag!r} does not split this corpus; using {best!r} ({counts[best]} of {len(articles)} articles)" if tag else ""
    return best, members(best), note
