"""Words in their places: keyword in context (KWIC), where terms fall in the corpus (dispersion).

These read the articles themselves, not a vector space: a concordance line shows the words
as written, and a dispersion plot needs each token's position.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from analysis.checks import as_int
from analysis.ingest.corpus import Article
from analysis.text.cleaning import CleaningConfig, clean, lemma, lowercase, normalise, strip_possessives, tokenise

if TYPE_CHECKING:
    import pandas as pd


def _articles(articles: Iterable[Article], who: str) -> list[Article]:
    if isinstance(articles, (str, Article)):
        kind = type(articles).__name__
        raise ValueError(f"{who}: expected a sequence of Article, got a single {kind}; wrap it in a list")
    articles = list(articles)
    if not articles:
        raise ValueError(f"{who}: no articles (empty corpus); load some with analysis.ingest.corpus.load_articles")
    for article in articles:
        if not isinstance(article, Article):
            raise ValueError(f"{who}: expected Article objects, got {type(article).__name__}")
    return articles


def _fold(token: str) -> str:
    """The case-folded token without a possessive ending, as cleaning sees it."""
    stripped = strip_possessives(lowercase([token]))
    return stripped[0] if stripped else token.casefold()


def kwic(
    articles: Iterable[Article], query: str, window: int = 8, config: CleaningConfig | None = None
) -> pd.DataFrame:
    """Keyword in context: every occurrence of a word or phrase in the article bodies.

    Each body is normalised and tokenised (:func:`analysis.text.cleaning.normalise`,
    :func:`analysis.text.cleaning.tokenise`), nothing removed. A token matches a query word when
    both are equal after case folding and dropping a possessive ``'s``, or have the same
    lemma (so "Rajavi's" and "rajavi" match "Rajavi", and "said" matches "says"). A query of
    several words matches that many consecutive tokens; overlapping matches are all listed.

    Parameters
    ----------
    articles : iterable of Article
        The corpus.
    query : str
        One or several words.
    window : int
        Tokens shown on each side (``>= 0``).
    config : CleaningConfig, optional
        Its ``lemmatize`` and ``language`` decide lemma matching; lemmas in English when
        omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, title, position, left, match, right``: ``position`` is the index of
        the first matched token in the article; ``left`` and ``right`` are up to ``window``
        tokens, and ``match`` the matched tokens, joined by spaces as written. Ordered by
        article, then position; empty (with these columns) when nothing matches.

    Raises
    ------
    ValueError
        When there are no articles, the query has no word, ``window`` is negative, or
        ``config`` is not a CleaningConfig.
    """
    articles = _articles(articles, "kwic")
    _kwic_query(query)
    _kwic_options(window, config)
    return _kwic_in(_kwic_tokens(articles, config), query, window, config)


def _kwic_query(query: object) -> None:
    if not isinstance(query, str) or not tokenise(normalise(query)):
        raise ValueError(f"kwic: query must be a word or phrase, got {query!r}")


def _kwic_options(window: object, config: object) -> None:
    as_int(window, "window", "kwic", minimum=0)
    if config is not None and not isinstance(config, CleaningConfig):
        raise ValueError(f"kwic: config must be a CleaningConfig or None, got {type(config).__name__}")


def _kwic_tokens(
    articles: list[Article], config: CleaningConfig | None
) -> list[tuple[Article, list[str], list[str], list[str]]]:
    """Each article with its tokens, folded tokens and lemmas: what :func:`kwic` matches against.

    Computed once per corpus, so that several queries do not tokenise it again each time.
    """
    lemmatize, language = (True, "en") if config is None else (config.lemmatize, config.language)
    prepared = []
    for article in articles:
        tokens = tokenise(normalise(article.text))
        folded = [_fold(t) for t in tokens]
        prepared.append((article, tokens, folded, [lemma(t, language) for t in folded] if lemmatize else folded))
    return prepared


def _kwic_in(
    prepared: list[tuple[Article, list[str], list[str], list[str]]],
    query: str,
    window: int,
    config: CleaningConfig | None,
) -> pd.DataFrame:
    """:func:`kwic` over articles already tokenised by :func:`_kwic_tokens`."""
    import pandas as pd

    lemmatize, language = (True, "en") if config is None else (config.lemmatize, config.language)
    words = [_fold(t) for t in tokenise(normalise(query))]
    word_lemmas = [lemma(w, language) for w in words] if lemmatize else words
    rows = []
    for article, tokens, folded, lemmas in prepared:
        for start in range(len(tokens) - len(words) + 1):
            end = start + len(words)
            if all(f == w or m == wm for f, m, w, wm in zip(folded[start:end], lemmas[start:end], words, word_lemmas)):
                span = tokens[start:end]
                left = " ".join(tokens[max(0, start - window) : start])
                right = " ".join(tokens[end : end + window])
                rows.append((article.id, article.title, start, left, " ".join(span), right))
    table = pd.DataFrame(rows, columns=["doc_id", "title", "position", "left", "match", "right"])
    return table.astype({"position": "int64"})


def _cleaned(
    articles: list[Article], config: CleaningConfig, who: str, tokens: Mapping[str, Sequence[str]] | None = None
) -> list[Sequence[str]]:
    if tokens is not None:  # already cleaned (e.g. workflow.Prepared.article_tokens): do not clean twice
        missing = [a.id for a in articles if a.id not in tokens]
        if missing:
            raise ValueError(f"{who}: no tokens for article(s) {missing[:3]}; pass the tokens of every article")
        return [tokens[a.id] for a in articles]
    if not isinstance(config, CleaningConfig):
        kind = type(config).__name__
        raise ValueError(f"{who}: expected a CleaningConfig (analysis.text.cleaning.default_config()), got {kind}")
    return [clean(article.text, config) for article in articles]


def article_spans(
    articles: Iterable[Article], config: CleaningConfig, tokens: Mapping[str, Sequence[str]] | None = None
) -> pd.DataFrame:
    """Where each article starts and ends in the concatenated cleaned tokens of the corpus.

    Parameters
    ----------
    articles : iterable of Article
        The corpus, in order.
    config : CleaningConfig
        The cleaning configuration (the same as for :func:`dispersion`).
    tokens : mapping, optional
        Article id to its cleaned tokens, when already computed; ``config`` is then unused.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, title, start, end``: token offsets, ``end`` exclusive, so an
        article's tokens are ``start <= offset < end`` and the next one starts at ``end``.

    Raises
    ------
    ValueError
        When there are no articles or ``config`` is not a CleaningConfig.
    """
    import pandas as pd

    articles = _articles(articles, "article_spans")
    lengths = np.array([len(t) for t in _cleaned(articles, config, "article_spans", tokens)], dtype=np.int64)
    ends = np.cumsum(lengths)
    return pd.DataFrame(
        {
            "doc_id": [a.id for a in articles],
            "title": [a.title for a in articles],
            "start": ends - lengths,
            "end": ends,
        }
    )


def dispersion(
    articles: Iterable[Article],
    terms: Sequence[str],
    config: CleaningConfig,
    tokens: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Every occurrence of some terms along the corpus, for a lexical dispersion plot.

    Each article is cleaned with :func:`analysis.text.cleaning.clean` and the token lists are
    concatenated in article order; offsets count cleaned tokens from the start of the
    corpus (see :func:`article_spans` for the article boundaries).

    Parameters
    ----------
    articles : iterable of Article
        The corpus, in order.
    terms : sequence of str
        Cleaned terms as they appear in the vocabulary ("mek", "maryam_rajavi");
        duplicates ignored.
    config : CleaningConfig
        The cleaning configuration.
    tokens : mapping, optional
        Article id to its cleaned tokens, when already computed; ``config`` is then unused.

    Returns
    -------
    pandas.DataFrame
        Columns ``term, doc_id, article_index, offset, relative``: ``article_index`` is the
        0-based position of the article, ``offset`` the token index in the whole corpus and
        ``relative = offset / total tokens``. Ordered by term (as requested), then offset; a
        term that never occurs has no rows.

    Raises
    ------
    ValueError
        When there are no articles or terms, or a term is not in cleaned form (upper case
        or spaces).
    """
    import pandas as pd

    articles = _articles(articles, "dispersion")
    if isinstance(terms, str):
        raise ValueError(f"dispersion: terms must be a list of terms, got the string {terms!r}; use [{terms!r}]")
    wanted = list(dict.fromkeys(terms))
    if not wanted:
        raise ValueError("dispersion: terms is empty; pass at least one cleaned term")
    raw = [t for t in wanted if not isinstance(t, str) or not t or t != t.casefold() or any(c.isspace() for c in t)]
    if raw:
        raise ValueError(
            f"dispersion: {raw} are not cleaned terms; pass tokens as analysis.text.clean() gives them (lower case, "
            "phrases joined by '_')"
        )
    cleaned = _cleaned(articles, config, "dispersion", tokens)
    total = sum(len(tokens) for tokens in cleaned)
    order = {term: k for k, term in enumerate(wanted)}
    rows, offset = [], 0
    for index, (article, article_tokens) in enumerate(zip(articles, cleaned)):
        rows += [(t, article.id, index, offset + i) for i, t in enumerate(article_tokens) if t in order]
        offset += len(article_tokens)
    rows.sort(key=lambda r: (order[r[0]], r[3]))
    table = pd.DataFrame(rows, columns=["term", "doc_id", "article_index", "offset"])
    table = table.astype({"article_index": "int64", "offset": "int64"})
    table["relative"] = table["offset"] / total if total else 0.0
    return table.astype({"relative": "float64"})


def _outermost_matches(found: pd.DataFrame) -> pd.DataFrame:
    """One line per occurrence when variants overlap: a match inside a longer one is dropped.

    "Javad Zarif" and "Zarif" are two variants of one merged name; in "Javad Zarif said" both
    match, one token apart, but they are one occurrence (the frequency tables count it once).
    """
    if found.empty:
        return found
    length = found["match"].str.split().str.len()
    spans = found.assign(_end=found["position"] + length, _length=length)
    spans = spans.sort_values(["doc_id", "position", "_length"], ascending=[True, True, False], kind="stable")
    spans = spans.drop_duplicates(["doc_id", "position"])
    reach = spans.groupby("doc_id", sort=False)["_end"].cummax().groupby(spans["doc_id"], sort=False).shift()
    inside = reach.notna() & (spans["_end"] <= reach)
    return spans[~inside].drop(columns=["_end", "_length"])


def kwic_table(
    articles: Iterable[Article], terms: Sequence[str], window: int = 8, config: CleaningConfig | None = None
) -> pd.DataFrame:
    """Keyword-in-context lines for several terms, one table.

    Parameters
    ----------
    articles : iterable of Article
        The corpus.
    terms : sequence of str
        Words or cleaned terms; ``_`` in a cleaned phrase ("1988_massacre") is read as a space.
    window : int
        Words of context on each side.
    config : CleaningConfig, optional
        Lemmatisation settings (see :func:`kwic`) and the alias table: a merged term
        ("mek") is also looked up under every variant that was merged into it ("PMOI",
        "Mujahedin-e Khalq", ...).

    Returns
    -------
    pandas.DataFrame
        :func:`kwic`'s columns with a first column ``query``, terms in the order given.
    """
    import pandas as pd

    articles = list(articles)
    frames = []
    prepared = None
    for term in terms:
        variants = [term.replace("_", " ")]
        if config is not None:  # a merged name is found under every variant the alias table lists
            variants += sorted(" ".join(key) for key, canonical in config.aliases.items() if canonical == term)
        for variant in variants:
            _kwic_query(variant)
        if prepared is None:  # validate the input like kwic, then tokenise the corpus once for every query
            _kwic_options(window, config)
            prepared = _kwic_tokens(_articles(articles, "kwic"), config)
        found = pd.concat([_kwic_in(prepared, v, window, config) for v in dict.fromkeys(variants)], ignore_index=True)
        order = {doc_id: i for i, doc_id in enumerate(dict.fromkeys(a.id for a in articles))}
        found = _outermost_matches(found).sort_values(
            ["doc_id", "position"], key=lambda column: column.map(order) if column.name == "doc_id" else column
        )
        frames.append(found.assign(query=term))
    table = pd.concat(frames, ignore_index=True)
    return table[["query", *[c for c in table.columns if c != "query"]]]
