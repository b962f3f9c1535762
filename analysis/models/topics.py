"""Tidy tables of a fitted topic model: topic terms, document shares, relevance, labels.

Every function takes the :class:`~analysis.models.engines.FittedTopics` that
:func:`analysis.models.fit` returns, with the vector space it was fitted on, whichever
engine made it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from analysis.checks import as_int, positive_int
from analysis.models.engines import FittedTopics, check_fitted
from analysis.models.relevance import relevance, term_proportion
from analysis.precision import round_array, round_table

if TYPE_CHECKING:  # pandas and the vector space are imported inside functions so that importing the module stays cheap
    import pandas as pd

    from analysis.pipeline.vectors import VectorSpace


def topic_term_matrix(model: FittedTopics, space: VectorSpace) -> np.ndarray:
    """The topic-term probabilities ``P(term | topic)`` of a fit.

    Parameters
    ----------
    model : FittedTopics
        A result of :func:`analysis.models.fit`.
    space : VectorSpace
        The vector space the model was fitted on (columns = ``space.vocabulary``).

    Returns
    -------
    numpy.ndarray
        A ``K × V`` float64 copy of ``model.topic_term``; each row sums to 1 (see each
        engine's class in :mod:`analysis.models.engines` for what its rows are).

    Raises
    ------
    TypeError
        When ``model`` is not a :class:`FittedTopics`.
    ValueError
        When ``space`` is not the one the model was fitted on.
    """
    return np.array(check_fitted(model, space).topic_term)


def topic_terms(model: FittedTopics, space: VectorSpace, top_n: int = 10) -> pd.DataFrame:
    """The most probable terms of every topic, as a tidy table.

    Parameters
    ----------
    model : FittedTopics
        A result of :func:`analysis.models.fit`.
    space : VectorSpace
        The vector space the model was fitted on.
    top_n : int
        Terms per topic (all terms when the vocabulary is smaller).

    Returns
    -------
    pandas.DataFrame
        Columns ``topic, rank, term, weight``: topics from 0, ranks from 1 within each topic,
        ``weight = P(term | topic)`` (see :func:`topic_term_matrix`). Ordered by topic, then
        weight descending, ties broken by term.

    Raises
    ------
    TypeError
        When ``model`` is not a :class:`FittedTopics`.
    ValueError
        When ``top_n < 1``, or as :func:`topic_term_matrix`.
    """
    import pandas as pd

    top_n = positive_int(top_n, "top_n")
    matrix = round_array(topic_term_matrix(model, space))  # ranks by the weights as written (analysis.precision)
    vocabulary = np.asarray(space.vocabulary, dtype=object)
    term_order = np.argsort(vocabulary.astype(str), kind="stable")
    alphabetical_rank = np.empty_like(term_order)
    alphabetical_rank[term_order] = np.arange(len(term_order))
    n = min(top_n, len(vocabulary))
    rows = []
    for topic, weights in enumerate(matrix):
        best = np.lexsort((alphabetical_rank, -weights))[:n]
        rows.append(
            pd.DataFrame(
                {"topic": topic, "rank": np.arange(1, n + 1), "term": vocabulary[best], "weight": weights[best]}
            )
        )
    table = pd.concat(rows, ignore_index=True)
    return table.astype({"topic": "int64", "rank": "int64", "term": str, "weight": "float64"})


def top_term_lists(terms: pd.DataFrame, top_n: int | None = None) -> list[list[str]]:
    """Turn a :func:`topic_terms` table into one list of terms per topic.

    Parameters
    ----------
    terms : pandas.DataFrame
        Columns ``topic, rank, term`` at least.
    top_n : int, optional
        Keep only ranks ``1..top_n``; all ranks when omitted.

    Returns
    -------
    list of list of str
        Terms in rank order, topics in ascending order; the input of :func:`~analysis.models.selection.coherence`,
        :func:`~analysis.models.selection.topic_diversity`, :func:`~analysis.models.selection.match_topics` and
        :func:`~analysis.models.selection.stability`.

    Raises
    ------
    ValueError
        When a column is missing.
    """
    missing = {"topic", "rank", "term"} - set(terms.columns)
    if missing:
        raise ValueError(f"terms table lacks column(s) {sorted(missing)}; pass the output of topic_terms")
    ordered = terms.sort_values(["topic", "rank"], kind="stable")
    if top_n is not None:
        ordered = ordered[ordered["rank"] <= top_n]
    return [group["term"].tolist() for _, group in ordered.groupby("topic", sort=True)]


def doc_topics(model: FittedTopics, space: VectorSpace) -> pd.DataFrame:
    """The topic shares of every training document, as a tidy table.

    Parameters
    ----------
    model : FittedTopics
        A result of :func:`analysis.models.fit`.
    space : VectorSpace
        The vector space the model was fitted on.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, topic, share``: one row per document and topic, in the order of
        ``space.doc_ids`` then topic; the shares of each document sum to 1 (see each engine's
        class in :mod:`analysis.models.engines` for how they were inferred).

    Raises
    ------
    TypeError
        When ``model`` is not a :class:`FittedTopics`.
    ValueError
        When ``space`` is not the one the model was fitted on.
    """
    import pandas as pd

    shares = round_array(check_fitted(model, space).doc_topic)
    n_docs, k = shares.shape
    return pd.DataFrame(
        {
            "doc_id": np.repeat(np.asarray(space.doc_ids, dtype=object), k).astype(str),
            "topic": np.tile(np.arange(k, dtype=np.int64), n_docs),
            "share": shares.ravel(),
        }
    )


def perplexity(model: FittedTopics, space: VectorSpace) -> float:
    """Perplexity of the training documents under the model (lower fits better).

    ``exp(-bound / N)``, with ``bound`` the engine's log-likelihood (or its variational lower
    bound, in nats) of the ``N`` training tokens, computed when the model was fitted (see each
    engine's class in :mod:`analysis.models.engines`). A check that a fit did not fail, not a
    test of generalisation nor of how interpretable the topics are. Engines use different
    inference, so their values differ in level.

    Parameters
    ----------
    model : FittedTopics
        A result of :func:`analysis.models.fit`.
    space : VectorSpace
        The vector space the model was fitted on.

    Returns
    -------
    float
        The perplexity; NaN for an engine without a likelihood.

    Raises
    ------
    TypeError
        When ``model`` is not a :class:`FittedTopics`.
    ValueError
        When ``space`` is not the one the model was fitted on.
    """
    return check_fitted(model, space).perplexity


def _paragraph_weights(
    paragraph_ids: pd.Series, paragraph_article: Mapping[str, str], paragraph_lengths: Mapping[str, int]
) -> tuple[list[str], list[float]]:
    """Each paragraph's article and token count, or a ValueError naming the paragraphs not found."""
    for name, mapping in (("paragraph_article", paragraph_article), ("paragraph_lengths", paragraph_lengths)):
        absent = sorted({p for p in paragraph_ids if p not in mapping})
        if absent:
            raise ValueError(
                f"{name} has no entry for {len(absent)} paragraph(s) ({', '.join(map(repr, absent[:5]))}); "
                "pass a mapping that covers every doc_id of paragraph_topics"
            )
    lengths = [float(paragraph_lengths[p]) for p in paragraph_ids]
    if any(length < 0 for length in lengths):
        raise ValueError("paragraph_lengths has negative token counts; pass the number of tokens per paragraph")
    return [paragraph_article[p] for p in paragraph_ids], lengths


def aggregate_to_articles(
    paragraph_topics: pd.DataFrame,
    paragraph_article: Mapping[str, str],
    paragraph_lengths: Mapping[str, int],
) -> pd.DataFrame:
    """Average paragraph topic shares per article, weighting each paragraph by its tokens.

    A paragraph of 80 tokens says more about its article than one of 8, so an article's
    share of topic ``t`` is ``sum_p n_p * share_pt / sum_p n_p`` over its paragraphs ``p``
    with ``n_p`` tokens; then each article's shares are rescaled to sum exactly to 1.

    Parameters
    ----------
    paragraph_topics : pandas.DataFrame
        Columns ``doc_id, topic, share`` with paragraph ids (the output of :func:`doc_topics`
        on a paragraph space). Not modified.
    paragraph_article : mapping of str to str
        The article id of each paragraph id.
    paragraph_lengths : mapping of str to int
        The token count of each paragraph id (the length of its cleaned token list).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, topic, share`` with article ids; one row per article and topic,
        ordered by article id then topic; each article's shares sum to 1.

    Raises
    ------
    ValueError
        When a column is missing, a (paragraph, topic) pair repeats, a paragraph is missing
        from a mapping, a length is negative, or all paragraphs of an article have no tokens.
    """
    missing = {"doc_id", "topic", "share"} - set(paragraph_topics.columns)
    if missing:
        raise ValueError(f"paragraph_topics lacks column(s) {sorted(missing)}; pass the output of doc_topics")
    if paragraph_topics.duplicated(["doc_id", "topic"]).any():
        raise ValueError("paragraph_topics repeats a (doc_id, topic) pair; pass one row per paragraph and topic")
    articles, lengths = _paragraph_weights(paragraph_topics["doc_id"], paragraph_article, paragraph_lengths)
    weighted = paragraph_topics.assign(article=articles, weighted=paragraph_topics["share"] * lengths)
    totals = weighted.pivot_table(index="article", columns="topic", values="weighted", aggfunc="sum", fill_value=0.0)
    mass = totals.sum(axis=1)
    empty = sorted(mass.index[mass <= 0].astype(str))
    if empty:
        raise ValueError(
            f"article(s) {', '.join(map(repr, empty[:5]))} have no tokens in any paragraph; "
            "drop them or pass their paragraphs' token counts"
        )
    shares = totals.div(mass, axis=0).sort_index()
    table = shares.stack().rename("share").reset_index().rename(columns={"article": "doc_id"})
    return round_table(
        table.astype({"doc_id": str, "topic": "int64", "share": "float64"})[["doc_id", "topic", "share"]]
    )


def doc_topic_matrix(model: FittedTopics, space: VectorSpace) -> np.ndarray:
    """Document-topic shares as a D×K array, rows in ``space.doc_ids`` order, summing to 1.

    Parameters
    ----------
    model : FittedTopics
        A result of :func:`analysis.models.fit`.
    space : VectorSpace
        The vector space the model was fitted on.

    Returns
    -------
    numpy.ndarray
        A float64 copy of ``model.doc_topic``: the matrix the explorer and heatmaps take, the
        numbers of :func:`doc_topics`.

    Raises
    ------
    TypeError
        When ``model`` is not a :class:`FittedTopics`.
    ValueError
        When ``space`` is not the one the model was fitted on.
    """
    return np.array(check_fitted(model, space).doc_topic)


def distinctive_terms(model: FittedTopics, space: VectorSpace, top_n: int = 10, lam: float = 0.6) -> pd.DataFrame:
    """Each topic's terms ranked by relevance (Sievert & Shirley 2014) instead of probability.

    ``relevance(w, t) = λ·log p(w|t) + (1 − λ)·log(p(w|t) / p(w))``, with ``p(w)`` the term's
    share implied by the model (see :mod:`analysis.models.relevance`, which the explorer
    uses too, so names and explorer bars agree). λ = 1 ranks by probability (frequent words
    lead every topic); λ = 0 by lift (rare, topic-specific words); 0.6 is the value their
    user study found best for interpreting topics.

    Parameters
    ----------
    model : FittedTopics
        A result of :func:`analysis.models.fit`.
    space : VectorSpace
        The vector space it was fitted on.
    top_n : int
        Terms per topic.
    lam : float
        λ in ``[0, 1]``.

    Returns
    -------
    pandas.DataFrame
        Columns ``topic, rank, term, relevance``; ties broken by term; terms the topic never
        uses (relevance ``-inf``) are not listed.

    Raises
    ------
    TypeError
        When ``model`` is not a :class:`FittedTopics`.
    ValueError
        When ``top_n < 1``, ``lam`` lies outside ``[0, 1]``, or ``space`` is not the one the
        model was fitted on.
    """
    import pandas as pd

    top_n = as_int(top_n, "top_n", minimum=1)
    if not 0.0 <= lam <= 1.0:
        raise ValueError(f"lam must lie in [0, 1], got {lam!r}")
    topic_term = topic_term_matrix(model, space)
    doc_lengths = np.asarray(space.counts.sum(axis=1), dtype=float).ravel()
    p_w = term_proportion(topic_term, doc_topic_matrix(model, space), doc_lengths)
    scores_by_topic = round_array(relevance(topic_term, p_w, lam))  # near-ties rank alike on every CPU
    rows = []
    for topic, scores in enumerate(scores_by_topic):
        usable = [j for j in range(len(scores)) if np.isfinite(scores[j])]
        ranked = sorted(usable, key=lambda j: (-scores[j], space.vocabulary[j]))[:top_n]
        rows += [(topic, rank, space.vocabulary[j], float(scores[j])) for rank, j in enumerate(ranked, 1)]
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "relevance"])


def topic_labels(terms: pd.DataFrame, n_words: int = 3) -> dict[int, str]:
    """Readable topic names from a ranked term table: ``{0: "T1 · regime, people, iran"}``.

    Parameters
    ----------
    terms : pandas.DataFrame
        ``topic, rank, term`` rows, e.g. from :func:`distinctive_terms` (most telling) or
        :func:`topic_terms`.
    n_words : int
        Terms per label.

    Returns
    -------
    dict
        Topic number (from 0) to label (numbered from 1 for readers).
    """
    ordered = terms.sort_values(["topic", "rank"], kind="stable")
    return {
        int(topic): f"T{int(topic) + 1} · " + ", ".join(group["term"].head(n_words))
        for topic, group in ordered.groupby("topic", sort=True)
    }
