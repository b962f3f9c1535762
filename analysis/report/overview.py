"""Tidy tables that describe a corpus: its files, its articles, what was removed, merged and counted."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.ingest.audit import FileAudit
from analysis.ingest.corpus import Article, input_kind
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
        repeat); columns: reasons in :class:`~analysis.ingest.RemovalReason` order
        (``caption, byline, date, tags, chrome, ...``) with zero counts kept, so the table
        always has the same shape. Only articles of scraped text pages have removed lines
        (see :func:`removal_views`).
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


#: The columns of :func:`audit_table` before and after the removal reasons.
AUDIT_LEADING = ("source", "kind", "status", "encoding", "articles", "words", "lines")
AUDIT_TRAILING = ("site_pages", "site_group", "repeated_lines", "page_words", "low_confidence", "message")
#: The two segments of the HTML panel of the removal figure.
EXTRACTOR_KEPT, EXTRACTOR_LEFT_OUT = "kept as the article", "left out by the extractor"


def audit_table(audits: Iterable[FileAudit]) -> pd.DataFrame:
    """One row per input file: how it was read, what it gave and how sure (see :mod:`analysis.ingest.audit`).

    Parameters
    ----------
    audits : iterable of FileAudit
        From :func:`analysis.ingest.audit.audit_inputs`.

    Returns
    -------
    pandas.DataFrame
        Columns ``source, kind, status, encoding, articles, words, lines``, one column per
        removal reason (:class:`~analysis.ingest.RemovalReason` order, zeros kept), then
        ``site_pages, site_group, repeated_lines, page_words, low_confidence, message``.
    """
    import pandas as pd

    reasons = [str(reason) for reason in RemovalReason]
    rows = []
    for audit in audits:
        record = audit.to_record()
        rows.append(
            {
                **{k: record[k] for k in AUDIT_LEADING},
                **{r: record["removed"].get(r, 0) for r in reasons},
                **{k: record[k] for k in AUDIT_TRAILING},
            }
        )
    return pd.DataFrame(rows, columns=[*AUDIT_LEADING, *reasons, *AUDIT_TRAILING])


@dataclass(frozen=True)
class RemovalViews:
    """What the removal figure can honestly draw, by input type.

    Attributes
    ----------
    lines : pandas.DataFrame
        Lines kept out of each article's body by reason (:func:`removed_counts`), for the
        articles of scraped text pages only: the only input segmented line by line.
    extraction : pandas.DataFrame
        Index: HTML files and web archives read; columns :data:`EXTRACTOR_KEPT` and
        :data:`EXTRACTOR_LEFT_OUT`: words of the page's visible text the extractor kept as the
        article, and the rest (an archive's pages together).
    note : str
        What neither panel shows (records read as given, files not read); ``""`` when nothing.
    """

    lines: pd.DataFrame
    extraction: pd.DataFrame
    note: str


def removal_views(articles: Sequence[Article], audits: Sequence[FileAudit]) -> RemovalViews:
    """Split what reading removed by input type, so that no panel promises what it cannot draw.

    Parameters
    ----------
    articles : sequence of Article
        The corpus (a notebook's ``prepared.articles``).
    audits : sequence of FileAudit
        The same inputs' audit (:func:`analysis.ingest.audit.audit_inputs`).

    Returns
    -------
    RemovalViews
        Text pages record every removed line with a reason; HTML pages (saved, or in a web archive) lose their
        boilerplate inside the extractor, before any line is recorded, so they are counted in
        words kept and left out; records are taken as given and only named in the note.
    """
    import pandas as pd

    segmented = [a for a in articles if input_kind(a.source) == "text page"]
    html = [a for a in audits if a.kind in ("html", "web archive") and a.status == "read"]
    extraction = pd.DataFrame(
        [[a.words, max(a.page_words - a.words, 0)] for a in html],
        index=pd.Index([a.source for a in html], name="source"),
        columns=[EXTRACTOR_KEPT, EXTRACTOR_LEFT_OUT],
    )
    return RemovalViews(removed_counts(segmented), extraction, _unshown_note(articles, audits))


def _unshown_note(articles: Sequence[Article], audits: Sequence[FileAudit]) -> str:
    """A sentence on the inputs the removal figure does not draw: records, files not read."""
    parts = []
    records = [a for a in articles if input_kind(a.source) == "records"]
    if records:
        files = len({a.source for a in records})
        parts.append(
            f"{_plural(len(records), 'article')} from {_plural(files, 'record file')} (JSON Lines, CSV) "
            "are read as given: nothing is removed from them"
        )
    not_read = sum(a.status != "read" for a in audits)
    if not_read:
        parts.append(f"{_plural(not_read, 'file')} could not be read or have an unsupported type (see the audit)")
    return "; ".join(parts) + ("." if parts else "")


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
