"""Tidy tables that describe a corpus: its articles, what was removed, merged and counted."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.ingest.corpus import Article
from analysis.ingest.reasons import RemovalReason
from analysis.io import atomic_write_text
from analysis.text.cleaning import CleaningConfig, alias_counts, clean, normalise, tokenise

if TYPE_CHECKING:
    import pandas as pd

README_START = "<!-- corpus-table:start -->"
README_END = "<!-- corpus-table:end -->"


def corpus_summary(
    articles: Sequence[Article],
    config: CleaningConfig | None = None,
    top: int = 20,
    tokens: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Count a corpus before and after cleaning.

    Parameters
    ----------
    articles : sequence of Article
        The corpus.
    config : CleaningConfig, optional
        Cleaning configuration; :func:`analysis.text.cleaning.default_config` when omitted.
    top : int
        How many of the most frequent cleaned terms to list.
    tokens : mapping, optional
        Article id to its cleaned tokens when already computed (a notebook's
        ``prepared.article_tokens``), so the corpus is not cleaned twice.

    Returns
    -------
    dict
        ``sources, articles, paragraphs, captions, tokens_raw, tokens_clean, vocabulary_raw,
        vocabulary_clean`` and ``top_terms``, a list of ``{"term", "n", "articles"}`` ordered by
        count, then term. Raw tokens are the words of the article
        bodies after normalisation and tokenisation, before anything is removed.
    """
    from analysis.text.cleaning import default_config

    config = config if config is not None or tokens is not None else default_config()
    raw_vocabulary: set[str] = set()
    term_n: Counter[str] = Counter()
    term_docs: Counter[str] = Counter()
    tokens_raw = 0
    for article in articles:
        raw = tokenise(normalise(article.text))
        tokens_raw += len(raw)
        raw_vocabulary.update(t.casefold() for t in raw)
        cleaned = tokens[article.id] if tokens is not None else clean(article.text, config)
        term_n.update(cleaned)
        term_docs.update(set(cleaned))
    ranked = sorted(term_n, key=lambda t: (-term_n[t], t))[:top]
    return {
        "sources": len({a.source for a in articles}),
        "articles": len(articles),
        "paragraphs": sum(len(a.paragraphs) for a in articles),
        "captions": sum(len(a.captions) for a in articles),
        "tokens_raw": tokens_raw,
        "tokens_clean": sum(term_n.values()),
        "vocabulary_raw": len(raw_vocabulary),
        "vocabulary_clean": len(term_n),
        "top_terms": [{"term": t, "n": term_n[t], "articles": term_docs[t]} for t in ranked],
    }


def summary_markdown(summary: dict[str, Any]) -> str:
    """Render :func:`corpus_summary` as two Markdown tables (counts, then top terms).

    Parameters
    ----------
    summary : dict
        From :func:`corpus_summary`.

    Returns
    -------
    str
        Markdown text ending in a newline.
    """
    share = summary["tokens_clean"] / summary["tokens_raw"] if summary["tokens_raw"] else 0.0
    lines = [
        "| corpus | value |",
        "|---|---:|",
        f"| source files | {summary['sources']:,} |",
        f"| articles | {summary['articles']:,} |",
        f"| body paragraphs | {summary['paragraphs']:,} |",
        f"| captions (kept apart) | {summary['captions']:,} |",
        f"| tokens before cleaning | {summary['tokens_raw']:,} |",
        f"| tokens after cleaning | {summary['tokens_clean']:,} ({share:.0%}) |",
        f"| vocabulary before cleaning | {summary['vocabulary_raw']:,} |",
        f"| vocabulary after cleaning | {summary['vocabulary_clean']:,} |",
        "",
        "| rank | term | count | articles |",
        "|---:|---|---:|---:|",
    ]
    lines += [
        f"| {i} | `{row['term']}` | {row['n']:,} | {row['articles']} |" for i, row in enumerate(summary["top_terms"], 1)
    ]
    return "\n".join(lines) + "\n"


def replace_between_markers(text: str, block: str, start: str = README_START, end: str = README_END) -> str:
    """Replace what stands between two marker lines.

    Parameters
    ----------
    text : str
        A document containing ``start`` and ``end`` once each, in that order.
    block : str
        The new content.
    start, end : str
        The markers (kept).

    Returns
    -------
    str
        The document with the block replaced.

    Raises
    ------
    ValueError
        When the markers are missing or out of order.
    """
    pattern = re.compile(re.escape(start) + r"\n.*?" + re.escape(end), re.DOTALL)
    if len(pattern.findall(text)) != 1:
        raise ValueError(f"expected one '{start}' ... '{end}' block; add the two marker lines where the table goes")
    return pattern.sub(lambda _: f"{start}\n{block}{end}", text)


def update_readme(path: Path, block: str) -> None:
    """Write ``block`` between the corpus-table markers of a README, atomically.

    Parameters
    ----------
    path : Path
        The README.
    block : str
        Markdown to put between the markers.

    Raises
    ------
    ValueError
        When the README lacks the markers (the message names the file).
    """
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path}: no such file; point --readme at a README with the corpus-table markers")
    text = Path(path).read_text(encoding="utf-8")
    try:
        updated = replace_between_markers(text, block)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
    if updated != text:
        atomic_write_text(path, updated)


def article_table(articles: Iterable[Article]) -> pd.DataFrame:
    """One row per article: id, title, source, position, byline, tags and sizes.

    Parameters
    ----------
    articles : iterable of Article
        The corpus.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, title, source, position, byline, date, tags, n_paragraphs, n_captions,
        n_words``; tags joined by ``" | "``.
    """
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "id": a.id,
                "title": a.title,
                "source": a.source,
                "position": a.position,
                "byline": a.byline,
                "date": a.date,
                "tags": " | ".join(a.tags),
                "n_paragraphs": len(a.paragraphs),
                "n_captions": len(a.captions),
                "n_words": a.n_words,
            }
            for a in articles
        ]
    )


def removed_lines_table(articles: Iterable[Article]) -> pd.DataFrame:
    """Every line segmentation kept out of article bodies, with the reason.

    Parameters
    ----------
    articles : iterable of Article
        The corpus.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id, source, line, reason, text``.
    """
    import pandas as pd

    rows = [
        {"article_id": a.id, "source": a.source, "line": r.number, "reason": r.reason, "text": r.text}
        for a in articles
        for r in a.removed
    ]
    return pd.DataFrame(rows, columns=["article_id", "source", "line", "reason", "text"])


def alias_table(articles: Iterable[Article], config: CleaningConfig) -> pd.DataFrame:
    """Which variant names were merged into which term, per article.

    Parameters
    ----------
    articles : iterable of Article
        The corpus.
    config : CleaningConfig
        The alias table in use.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id, term, variant, n`` (variants equal to their term are not
        merges and are left out), ordered by article, term, variant.
    """
    import pandas as pd

    rows = [
        {"article_id": a.id, "term": term, "variant": variant, "n": n}
        for a in articles
        for (term, variant), n in sorted(alias_counts(a.text, config).items())
    ]
    return pd.DataFrame(rows, columns=["article_id", "term", "variant", "n"])


def removed_counts(articles: Sequence[Article]) -> pd.DataFrame:
    """How many lines segmentation removed from each article, by reason.

    Parameters
    ----------
    articles : sequence of Article
        The corpus.

    Returns
    -------
    pandas.DataFrame
        Index: article titles (in corpus order, one row per article even when titles
        repeat); columns: reasons in a fixed order (:class:`~analysis.ingest.RemovalReason` order: ``caption, byline, date, tags, chrome,
        related link, not an article``) with zero counts kept, so the table always has the
        same shape.
    """
    import pandas as pd

    reasons = [str(reason) for reason in RemovalReason]
    counts = [Counter(r.reason for r in a.removed) for a in articles]
    frame = pd.DataFrame(
        [[c.get(r, 0) for r in reasons] for c in counts], index=[a.title for a in articles], columns=reasons
    )
    frame.index.name = "title"
    return frame


def top_terms_table(summary: dict[str, Any]) -> pd.DataFrame:
    """The summary's most frequent terms as a table.

    Parameters
    ----------
    summary : dict
        From :func:`corpus_summary`.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank, term, n, articles``.
    """
    import pandas as pd

    frame = pd.DataFrame(summary["top_terms"], columns=["term", "n", "articles"])
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame
