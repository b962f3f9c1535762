"""One article on one page: its key terms, topics, nearest articles, contexts and removed lines.

:func:`article_report_data` computes everything the page shows from the package's own stages
(a cleaned corpus from :func:`analysis.pipeline.prepare`); :func:`render_article_report` turns
it into HTML; :func:`write_article_report` saves it through :mod:`analysis.io`. From a notebook::

    prepared = pipeline.prepare(SEEDS)
    data = article.article_report_data(prepared, "000_117e1a02a6deec84-003")
    article.write_article_report(OUT / article.report_file_name(data["article"]["id"]), data)

What the page shows, and where each number comes from:

* **key terms by TF-IDF** (:func:`analysis.stats.top_tfidf_terms`, on an article space weighted as
  in notebook 02) and **by keyness** against the rest of the corpus
  (:func:`analysis.stats.keyness_by_article`: G², log ratio, log-odds z, p-value, and the
  q-value when the table has one);
* **topic shares**: a topic model fitted to the corpus' paragraphs (seeded; engine and K are
  parameters), the article's paragraph shares averaged by their tokens
  (:func:`analysis.models.aggregate_to_articles`), beside each topic's share of the corpus;
* **nearest articles** by cosine similarity of TF-IDF vectors
  (:func:`analysis.stats.nearest_neighbours`);
* **key terms in context** (:func:`analysis.text.kwic_table`) for the strongest key terms;
* **what segmentation removed**: the lines of the source kept out of the body, with their
  :class:`~analysis.ingest.RemovalReason`.

The page is pure HTML and CSS: no script, and a Content-Security-Policy that forbids scripts
and every fetch, so it works offline and a scraped string could not run even if it escaped.
Its markup and style are the package files ``templates/article.html`` and ``article.css``,
filled as the explorer fills its own (:mod:`analysis.report.explorer`): each value is escaped
by the one function of its context, HTML text and attributes by the explorer's markup filling,
the colours by its style filling, and bar widths by :func:`_bar_width`, which only ever
writes a percentage it formatted itself.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

from analysis import __version__
from analysis.checks import positive_int
from analysis.io import atomic_write_text
from analysis.precision import round_value

# The explorer's template machinery: one escaping function per context, shared by both pages.
from analysis.report.html import Escaped as _Escaped
from analysis.report.html import fill_markup as _fill_markup
from analysis.report.html import fill_style as _fill_style
from analysis.report.html import lines as _lines
from analysis.report.html import percent as _percent
from analysis.report.html import template as _template

if TYPE_CHECKING:
    import pandas as pd

    from analysis.ingest import Article
    from analysis.pipeline import Prepared, VectorSpace

#: Identifies the layout of the dict returned by :func:`article_report_data`.
DATA_FORMAT = "analysis.report.article/1"

# Key terms listed in each of the two tables: enough to read the article's vocabulary, few
# enough that the page stays one screen wide and a few screens long.
TOP_TERMS = 12
# Nearest articles listed.
NEIGHBOURS = 5
# Topics of the model behind the shares. Notebook 03 chooses K by a sweep over several seeds,
# which takes far longer than one page should; a handful of topics reads well on one page,
# and the caller passes the notebook's K to match its figures. Lowered for tiny corpora.
TOPICS = 4
# scikit-learn's batch LDA: deterministic for a seed and quick on a few hundred paragraphs.
ENGINE = "sklearn"
RANDOM_STATE = 1
# The paragraph space of notebook 03's defaults: shorter paragraphs carry too little to
# model, terms in one paragraph only or in more than half of them describe no topic.
MIN_PARAGRAPH_TOKENS = 5
PARAGRAPH_MIN_DF = 2
PARAGRAPH_MAX_DF = 0.5
# TF-IDF as in notebook 02: 1 + ln(count), so a word repeated many times does not drown the rest.
SUBLINEAR_TF = True
# Concordance: the strongest key terms, each with its first lines of context.
KWIC_TERMS = 3
KWIC_WINDOW = 8
KWIC_LINES = 8
# Ids suggested when the one asked for does not exist.
CLOSE_IDS = 3

# Okabe-Ito colours (colour-blind safe), as in the explorer: blue for the article's bars,
# a light grey for the corpus' bars behind them.
COLOURS = {"bar": "#0072B2", "corpus": "#BDBDBD"}

_FILE_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


# --------------------------------------------------------------------------- the data


def find_article(prepared: Prepared, article_id: str) -> Article:
    """The article with id ``article_id``.

    Parameters
    ----------
    prepared : Prepared
        From :func:`analysis.pipeline.prepare`.
    article_id : str
        An id as ``python -m analysis articles`` prints it.

    Returns
    -------
    Article
        The article.

    Raises
    ------
    ValueError
        When no article has that id; the message names the closest ids, or the article an
        id left out as a duplicate repeats.
    """
    by_id = {a.id: a for a in prepared.articles}
    if isinstance(article_id, str) and article_id in by_id:
        return by_id[article_id]
    repeated = next((d.kept.id for d in prepared.duplicates if d.skipped.id == article_id), None)
    if repeated is not None:
        raise ValueError(
            f"article {article_id!r} repeats the title and body of {repeated!r}, which is counted in its place; "
            f"report on {repeated!r}"
        )
    close = difflib.get_close_matches(str(article_id), list(by_id), n=CLOSE_IDS, cutoff=0.5)
    hint = f"closest: {', '.join(close)}" if close else f"ids look like {next(iter(by_id), 'none')!r}"
    raise ValueError(
        f"no article {article_id!r} among the {len(by_id)} articles read; {hint} "
        "(python -m analysis articles lists every id)"
    )


def report_file_name(article_id: str) -> str:
    """The report's default file name: ``article-report__<id>.html``, the id made safe for any file system.

    Parameters
    ----------
    article_id : str
        The article's id.

    Returns
    -------
    str
        A name of letters, digits, ``.``, ``_`` and ``-`` only.
    """
    return f"article-report__{_FILE_NAME_UNSAFE.sub('_', article_id).strip('._') or 'article'}.html"


def _rows(table: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """Rows of ``table`` as dicts of ``columns`` (pandas gives Python numbers, not numpy scalars)."""
    return table[columns].to_dict("records")


def _header(article: Article, tokens: int) -> dict[str, Any]:
    """What the article is and where it came from."""
    return {
        "id": article.id,
        "title": article.title,
        "byline": article.byline,
        "date": article.date,
        "tags": list(article.tags),
        "source": article.source,
        "line": article.line,
        "position": article.position,
        "n_words": article.n_words,
        "n_paragraphs": len(article.paragraphs),
        "n_captions": len(article.captions),
        "n_tokens": tokens,
    }


def _tfidf_terms(space: VectorSpace, article_id: str, n: int) -> list[dict[str, Any]]:
    """The article's ``n`` highest TF-IDF terms (``rank, term, tfidf, n``)."""
    from analysis import stats

    table = stats.top_tfidf_terms(space, n)
    return _rows(table[table["doc_id"] == article_id], ["rank", "term", "tfidf", "n"])


#: Keyness columns shown, in order; ``q_value`` only when the table has it.
KEYNESS_COLUMNS = ["term", "n_target", "per_1000_target", "per_1000_reference", "g2", "log_ratio", "z", "p_value"]


def _key_terms(space: VectorSpace, article_id: str, n: int, prior_scale: float | None) -> list[dict[str, Any]]:
    """The article's ``n`` terms of highest positive G² against the rest of the corpus."""
    from analysis import stats

    table = stats.keyness_by_article(space, prior_scale)
    mine = table[(table["doc_id"] == article_id) & (table["g2"] > 0)].head(n)
    columns = KEYNESS_COLUMNS + (["q_value"] if "q_value" in table.columns else [])
    return _rows(mine, columns)


def _neighbours(space: VectorSpace, article_id: str, k: int, titles: dict[str, str]) -> list[dict[str, Any]]:
    """The ``k`` most similar other articles (``rank, id, title, cosine``)."""
    from analysis import stats

    table = stats.nearest_neighbours(space, k)
    mine = table[table["doc_id"] == article_id]
    return [
        {**row, "title": titles[row["id"]]}
        for row in _rows(mine.rename(columns={"neighbour": "id"}), ["rank", "id", "cosine"])
    ]


def _topic_count(n_documents: int, topics: int | None) -> int:
    """``topics``, or :data:`TOPICS` lowered to what ``n_documents`` paragraphs allow."""
    if topics is not None:
        return positive_int(topics, "topics", "article_report_data")
    return max(2, min(TOPICS, n_documents - 1))


def _fit_paragraphs(prepared: Prepared, topics: int | None, engine: str, random_state: int) -> tuple:
    """The paragraph space of the corpus and a topic model fitted to it."""
    from analysis import models, pipeline

    long_enough = sum(len(tokens) >= MIN_PARAGRAPH_TOKENS for tokens in prepared.paragraph_tokens.values())
    if long_enough < 3:  # two topics need three documents (see analysis.models.engines.check_k)
        raise ValueError(
            f"only {long_enough} paragraph(s) of the corpus have the {MIN_PARAGRAPH_TOKENS} cleaned tokens a "
            "topic model needs, and it needs at least 3"
        )
    space = pipeline.paragraph_space(prepared, MIN_PARAGRAPH_TOKENS, PARAGRAPH_MIN_DF, PARAGRAPH_MAX_DF)
    return space, models.fit(space, _topic_count(len(space.doc_ids), topics), random_state, engine)


def _topics(prepared: Prepared, article: Article, topics: int | None, engine: str, random_state: int) -> dict[str, Any]:
    """The article's topic shares, each topic's share of the corpus, and how the model was made.

    A corpus too small to model (too few paragraphs, or no term left after pruning) gives a
    note instead of shares when K was not asked for; an explicit K that cannot be fitted raises.
    """
    from analysis import models, pipeline
    from analysis.models.engines import get_engine
    from analysis.models.relevance import topic_prevalence

    get_engine(engine)  # an unknown engine is the caller's mistake, never a note
    about = {"engine": engine, "engine_label": models.ENGINE_LABELS[engine], "random_state": random_state}
    try:
        space, model = _fit_paragraphs(prepared, topics, engine, random_state)
    except ValueError as error:
        if topics is not None:
            raise
        return {**about, "k": 0, "paragraphs_modelled": 0, "corpus_paragraphs": 0, "shares": [], "note": str(error)}
    labels = models.topic_labels(models.distinctive_terms(model, space))
    corpus = topic_prevalence(models.doc_topic_matrix(model, space), space.counts.sum(axis=1).A1)
    paragraph_topics = models.doc_topics(model, space)
    own = {p.id for p in prepared.paragraphs if p.article_id == article.id}
    mine = paragraph_topics[paragraph_topics["doc_id"].isin(own)]
    shares = {}
    if not mine.empty:
        table = models.aggregate_to_articles(mine, pipeline.paragraph_articles(prepared), space.doc_lengths())
        shares = dict(zip(table["topic"].tolist(), table["share"].tolist()))
    rows = [
        {"topic": t + 1, "label": labels[t], "share": shares.get(t), "corpus_share": round_value(corpus[t], "share")}
        for t in range(model.k)
    ]
    rows.sort(key=lambda r: (-(r["share"] or 0.0), -r["corpus_share"], r["topic"]))
    return {
        **about,
        "k": model.k,
        "paragraphs_modelled": len(mine["doc_id"].unique()),
        "corpus_paragraphs": len(space.doc_ids),
        "shares": rows,
        "note": None,
    }


def _contexts(article: Article, terms: list[str], window: int, lines: int, prepared: Prepared) -> list[dict[str, Any]]:
    """Keyword in context for each of ``terms`` in the article: the first ``lines`` lines and the count."""
    from analysis import text

    if not terms:
        return []
    table = text.kwic_table([article], terms, window, prepared.config)
    found = []
    for term in terms:
        rows = table[table["query"] == term]
        found.append({"term": term, "n": len(rows), "lines": _rows(rows.head(lines), ["left", "match", "right"])})
    return found


def _removed(article: Article) -> dict[str, Any]:
    """The lines segmentation kept out of the body, and how many for each reason."""
    from analysis.ingest import RemovalReason

    counts = Counter(line.reason for line in article.removed)
    return {
        "by_reason": [{"reason": str(reason), "n": counts[reason]} for reason in RemovalReason if counts[reason]],
        "lines": [{"number": r.number, "reason": str(r.reason), "text": r.text} for r in article.removed],
    }


def article_report_data(
    prepared: Prepared,
    article_id: str,
    top_n: int = TOP_TERMS,
    neighbours: int = NEIGHBOURS,
    topics: int | None = None,
    engine: str = ENGINE,
    random_state: int = RANDOM_STATE,
    kwic_terms: int = KWIC_TERMS,
    kwic_window: int = KWIC_WINDOW,
    kwic_lines: int = KWIC_LINES,
    prior_scale: float | None = None,
) -> dict[str, Any]:
    """Everything the one-article report shows, as JSON-ready plain Python values.

    Parameters
    ----------
    prepared : Prepared
        The cleaned corpus, from :func:`analysis.pipeline.prepare`.
    article_id : str
        The article to report on.
    top_n : int
        Key terms listed by TF-IDF and by keyness.
    neighbours : int
        Nearest articles listed.
    topics : int, optional
        Topics of the model (K); :data:`TOPICS`, or fewer for a corpus of few paragraphs, when None.
    engine : str
        Topic-model engine (one of :data:`analysis.models.ENGINES`).
    random_state : int
        Seed of the topic model.
    kwic_terms : int
        Strongest key terms shown in context.
    kwic_window : int
        Words of context on each side.
    kwic_lines : int
        Context lines shown per term (the count of all is given).
    prior_scale : float, optional
        Weight of the log-odds prior (see :func:`analysis.stats.keyness_by_article`).

    Returns
    -------
    dict
        ``format``; ``article`` (id, title, byline, date, tags, source, line, position,
        n_words, n_paragraphs, n_captions, n_tokens); ``tfidf`` (rank, term, tfidf, n);
        ``keyness`` (:data:`KEYNESS_COLUMNS`, plus ``q_value`` when the keyness table has
        it); ``topics`` (engine, engine_label, k, random_state, paragraphs_modelled,
        corpus_paragraphs, ``shares``: topic, label, share in the article or None,
        corpus_share, largest first; and ``note``: why there is no model, when K was not
        given and the corpus is too small to fit one, else None); ``neighbours`` (rank, id,
        title, cosine); ``contexts`` (term, n, lines of left, match, right); ``removed``
        (by_reason, lines of number, reason, text); ``settings``; ``corpus`` (articles,
        inputs). Numbers are rounded as :mod:`analysis.precision` rounds them in tables.

    Raises
    ------
    ValueError
        When no article has ``article_id`` (naming the closest ids), the corpus has fewer
        than two articles, or a parameter is out of range.
    """
    from analysis import pipeline
    from analysis.paths import display_path

    article = find_article(prepared, article_id)
    if len(prepared.articles) < 2:
        raise ValueError(
            "an article report compares the article with the rest of the corpus; read at least two articles"
        )
    top_n, neighbours = positive_int(top_n, "top_n"), positive_int(neighbours, "neighbours")
    space = pipeline.article_space(prepared, sublinear_tf=SUBLINEAR_TF)
    keyness = _key_terms(space, article.id, top_n, prior_scale)
    tfidf = _tfidf_terms(space, article.id, top_n)
    strongest = [row["term"] for row in (keyness or tfidf)[: positive_int(kwic_terms, "kwic_terms")]]
    return {
        "format": DATA_FORMAT,
        "article": _header(article, len(prepared.article_tokens[article.id])),
        "tfidf": tfidf,
        "keyness": keyness,
        "topics": _topics(prepared, article, topics, engine, random_state),
        "neighbours": _neighbours(space, article.id, neighbours, prepared.titles),
        "contexts": _contexts(article, strongest, kwic_window, positive_int(kwic_lines, "kwic_lines"), prepared),
        "removed": _removed(article),
        "settings": {"top_n": top_n, "neighbours": neighbours, "kwic_window": kwic_window, "prior_scale": prior_scale},
        "corpus": {"articles": len(prepared.articles), "inputs": [display_path(p) for p in prepared.inputs]},
    }


# --------------------------------------------------------------------------- the page
#
# templates/article.html holds the page with $name placeholders, article.css its style. The
# fragments repeated per row stay here, beside the code that fills them. Every value reaches
# the page through _fill_markup (escaped for HTML text and attributes), _fill_style (the two
# colours, #rrggbb only) or _bar_width (a percentage formatted here from a number).

_TFIDF_ROW = Template('<tr><td class="num">$rank</td><td>$term</td>$bar<td class="num">$n</td></tr>')
_KEYNESS_ROW = Template(
    '<tr><td>$term</td><td class="num">$n</td><td class="num">$rate</td><td class="num">$rest</td>$bar'
    '<td class="num">$log_ratio</td><td class="num">$z</td><td class="num">$p</td>$q</tr>'
)
_Q_HEADER = Template('<th scope="col" class="num" title="$hint">q</th>')
_Q_CELL = Template('<td class="num">$q</td>')
_TOPIC_ROW = Template(
    '<tr><td>$label</td><td class="bar-cell"><span class="track" aria-hidden="true">'
    '<span class="fill" style="width: $width"></span><span class="fill corpus" style="width: $corpus_width"></span>'
    '</span><span class="value">$share</span></td><td class="num">$corpus_share</td></tr>'
)
_NEIGHBOUR_ROW = Template('<tr><td class="num">$rank</td><td>$title<br><code>$id</code></td>$bar</tr>')
_BAR = Template(
    '<td class="bar-cell"><span class="track" aria-hidden="true"><span class="fill" style="width: $width"></span>'
    '</span><span class="value">$value</span></td>'
)
_EMPTY_ROW = Template('<tr><td class="empty" colspan="$columns">$message</td></tr>')
_CONTEXT = Template(
    '<h3>$heading</h3>\n<table class="kwic"><tbody>\n$rows\n</tbody></table>\n<p class="note">$note</p>'
)
_KWIC_ROW = Template('<tr><td class="left">$left</td><td class="match">$match</td><td class="right">$right</td></tr>')
_COUNT = Template("<li>$reason: $n</li>")
_REMOVED_ROW = Template(
    '<tr><td class="num">$number</td><td class="reason">$reason</td><td class="removed-text">$text</td></tr>'
)


def _bar_width(value: float, scale: float = 1.0) -> _Escaped:
    """``value / scale`` as a CSS width between ``0.0%`` and ``100.0%``: the only text a style attribute gets."""
    fraction = value / scale if scale > 0 and value == value else 0.0
    return _Escaped(f"{100.0 * min(max(fraction, 0.0), 1.0):.1f}%")


def _bar(value: float, scale: float, text: str) -> _Escaped:
    """A table cell with a bar of ``value / scale`` and ``text`` beside it."""
    return _fill_markup(_BAR, width=_bar_width(value, scale), value=text)


def _probability(value: float | None) -> str:
    """A p- or q-value for reading: three decimals, or two significant digits when small."""
    if value is None or value != value:
        return "\u2013"
    if value < 1e-300:
        return "< 1e-300"
    return f"{value:.3f}" if value >= 0.001 else f"{value:.1e}"


def _rows_or_empty(fragments: list[_Escaped], columns: int, message: str) -> _Escaped:
    """The filled rows, or one row saying why there are none."""
    return _lines(fragments) if fragments else _fill_markup(_EMPTY_ROW, columns=str(columns), message=message)


def _tfidf_rows(rows: list[dict[str, Any]]) -> _Escaped:
    scale = max((r["tfidf"] for r in rows), default=0.0)
    filled = [
        _fill_markup(
            _TFIDF_ROW,
            rank=str(r["rank"]),
            term=r["term"],
            bar=_bar(r["tfidf"], scale, f"{r['tfidf']:.3f}"),
            n=f"{r['n']:,}",
        )
        for r in rows
    ]
    return _rows_or_empty(filled, 4, "The article has no counted terms.")


def _keyness_rows(rows: list[dict[str, Any]], with_q: bool) -> _Escaped:
    scale = max((r["g2"] for r in rows), default=0.0)
    filled = [
        _fill_markup(
            _KEYNESS_ROW,
            term=r["term"],
            n=f"{r['n_target']:,}",
            rate=f"{r['per_1000_target']:.1f}",
            rest=f"{r['per_1000_reference']:.1f}",
            bar=_bar(r["g2"], scale, f"{r['g2']:,.1f}"),
            log_ratio=f"{r['log_ratio']:.2f}",
            z=f"{r['z']:.2f}",
            p=_probability(r["p_value"]),
            q=_fill_markup(_Q_CELL, q=_probability(r.get("q_value"))) if with_q else _Escaped(""),
        )
        for r in rows
    ]
    return _rows_or_empty(filled, 9 if with_q else 8, "No term is more frequent here than in the rest of the corpus.")


def _topic_rows(topics: dict[str, Any]) -> _Escaped:
    filled = [
        _fill_markup(
            _TOPIC_ROW,
            label=r["label"],
            width=_bar_width(r["share"] or 0.0),
            corpus_width=_bar_width(r["corpus_share"]),
            share="\u2013" if r["share"] is None else _percent(r["share"]),
            corpus_share=_percent(r["corpus_share"]),
        )
        for r in topics["shares"]
    ]
    return _rows_or_empty(filled, 3, "No topic shares.")


def _topics_caption(topics: dict[str, Any]) -> str:
    if topics["note"]:
        return f"No topic model for this corpus: {topics['note'].rstrip('.')}."
    model = (
        f"{topics['engine_label']}, K = {topics['k']}, seed {topics['random_state']}, fitted to the "
        f"{topics['corpus_paragraphs']:,} paragraphs of the corpus with at least {MIN_PARAGRAPH_TOKENS} cleaned tokens."
    )
    if not topics["paragraphs_modelled"]:
        return f"{model} None of this article's paragraphs is that long, so the model gives it no shares."
    n = topics["paragraphs_modelled"]
    return (
        f"{model} The article's shares average its {n} modelled paragraph{'s' if n != 1 else ''}, each weighted "
        "by its tokens. Topics are named by their most relevant terms; another engine, K or seed gives other topics."
    )


def _neighbour_rows(rows: list[dict[str, Any]]) -> _Escaped:
    filled = [
        _fill_markup(
            _NEIGHBOUR_ROW,
            rank=str(r["rank"]),
            title=r["title"],
            id=r["id"],
            bar=_bar(r["cosine"], 1.0, f"{r['cosine']:.3f}"),
        )
        for r in rows
    ]
    return _rows_or_empty(filled, 3, "There is no other article.")


def _context_blocks(contexts: list[dict[str, Any]]) -> _Escaped:
    blocks = []
    for context in contexts:
        rows = [_fill_markup(_KWIC_ROW, **line) for line in context["lines"]]
        n, shown = context["n"], len(context["lines"])
        heading = f"\u201c{context['term']}\u201d: {n} occurrence{'s' if n != 1 else ''}"
        if not n:
            note = "Not found as written: the cleaned term (a lemma or a merged name) has no match in the body."
        else:
            note = f"The first {shown} of {n} shown." if shown < n else ""
        blocks.append(_fill_markup(_CONTEXT, heading=heading, rows=_lines(rows), note=note))
    return _lines(blocks) if blocks else _Escaped("")


def _removed_caption(removed: dict[str, Any]) -> str:
    n = len(removed["lines"])
    if not n:
        return (
            "Nothing was removed from this article: records and saved HTML pages are read as given, and "
            "no line of this page's article was taken for chrome, a caption or a credit."
        )
    return (
        f"{n} line{'s' if n != 1 else ''} of the source {'were' if n != 1 else 'was'} kept out of the body. Tags, "
        "byline and date are kept as the article's fields; captions and chrome are not counted as text."
    )


def _removed_values(removed: dict[str, Any]) -> dict[str, Any]:
    counts = [_fill_markup(_COUNT, reason=r["reason"], n=str(r["n"])) for r in removed["by_reason"]]
    rows = [
        _fill_markup(_REMOVED_ROW, number=str(r["number"]), reason=r["reason"], text=r["text"])
        for r in removed["lines"]
    ]
    return {
        "removed_caption": _removed_caption(removed),
        "removed_counts": _lines(counts),
        "removed_rows": _rows_or_empty(rows, 3, "No removed lines."),
    }


def _size(article: dict[str, Any]) -> str:
    return (
        f"{article['n_words']:,} words in {article['n_paragraphs']:,} paragraphs; {article['n_tokens']:,} tokens "
        f"after cleaning; {article['n_captions']:,} caption{'s' if article['n_captions'] != 1 else ''}"
    )


def _header_values(article: dict[str, Any]) -> dict[str, str]:
    return {
        "title": article["title"] or article["id"],
        "id": article["id"],
        "source": article["source"],
        "line": str(article["line"]),
        "number": str(article["position"] + 1),
        "byline": article["byline"] or "\u2013",
        "date": article["date"] or "\u2013",
        "tags": ", ".join(article["tags"]) or "\u2013",
        "size": _size(article),
    }


def _footer(data: dict[str, Any]) -> str:
    corpus = data["corpus"]
    inputs = ", ".join(corpus["inputs"][:3]) + (
        f" and {len(corpus['inputs']) - 3} more" if len(corpus["inputs"]) > 3 else ""
    )
    return f"Made by analysis {__version__} from {corpus['articles']:,} articles read from {inputs}."


def _checked_data(data: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("format") != DATA_FORMAT:
        raise ValueError(
            f"data must be the dict returned by article_report_data (format {DATA_FORMAT!r}); "
            "build it with article_report_data(prepared, article_id)"
        )
    return data


def render_article_report(data: dict[str, Any]) -> str:
    """The one-article report as one self-contained, deterministic HTML page.

    Parameters
    ----------
    data : dict
        From :func:`article_report_data`.

    Returns
    -------
    str
        ASCII HTML with inline CSS, no script and no external resource; every scraped string
        escaped. Equal data give byte-identical pages.

    Raises
    ------
    ValueError
        When ``data`` is not from :func:`article_report_data`.
    """
    data = _checked_data(data)
    with_q = any("q_value" in row for row in data["keyness"])
    q_hint = "false discovery rate: the share of terms at least this key that may be key by chance"
    page = _fill_markup(
        _template("article.html"),
        style=_fill_style(_template("article.css"), COLOURS),
        **_header_values(data["article"]),
        tfidf_rows=_tfidf_rows(data["tfidf"]),
        keyness_rows=_keyness_rows(data["keyness"], with_q),
        q_header=_fill_markup(_Q_HEADER, hint=q_hint) if with_q else _Escaped(""),
        q_caption="p is the chi-square tail of G\u00b2 (Fisher's exact test when an expected count is below 5), and q "
        "the p-value adjusted for testing every term of the article at once (Benjamini\u2013Hochberg false discovery rate)."
        if with_q
        else "p is the chi-square tail of G\u00b2, for one term at a time.",
        topics_caption=_topics_caption(data["topics"]),
        topic_rows=_topic_rows(data["topics"]),
        neighbour_rows=_neighbour_rows(data["neighbours"]),
        contexts_caption=f"Up to {data['settings']['kwic_window']} words either side of the strongest key terms, "
        "as written in the body (matched by lemma and merged name).",
        contexts=_context_blocks(data["contexts"]),
        **_removed_values(data["removed"]),
        footer=_footer(data),
    )
    return str(page)


def write_article_report(path: Path | str, data: dict[str, Any]) -> Path:
    """Render the report and write it atomically.

    Parameters
    ----------
    path : Path or str
        Destination ``.html`` file; parent folders are created.
    data : dict
        From :func:`article_report_data`.

    Returns
    -------
    Path
        The destination path.
    """
    return atomic_write_text(path, render_article_report(data))
