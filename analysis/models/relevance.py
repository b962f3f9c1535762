"""Relevance of a term to a topic (Sievert & Shirley 2014): the one implementation.

Notebook 03 names topics by their most relevant terms and the explorer ranks its bars by
relevance, so both call these functions with the same ``p(w)``: the term's share implied
by the model, ``p(w) = sum_t prevalence_t * p(w | t)`` (as LDAvis does since its issue 32),
with each topic's prevalence its share of the corpus tokens. At the same ``lam`` the
notebook's topic names are the explorer's top bars.
"""

from __future__ import annotations

import numpy as np


def topic_prevalence(doc_topic: np.ndarray, doc_lengths: np.ndarray) -> np.ndarray:
    """Each topic's share of the corpus tokens.

    Parameters
    ----------
    doc_topic : numpy.ndarray
        Documents × topics, rows summing to 1.
    doc_lengths : numpy.ndarray
        Tokens per document.

    Returns
    -------
    numpy.ndarray
        ``sum_d len_d * theta_dt / sum_d len_d`` for each topic; sums to 1.
    """
    tokens = np.asarray(doc_lengths, dtype=float) @ np.asarray(doc_topic, dtype=float)
    return tokens / tokens.sum()


def log_probability_and_lift(topic_term: np.ndarray, term_proportion: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``log p(w | t)`` and ``log(p(w | t) / p(w))``, ``-inf`` where ``p(w | t) = 0``.

    Parameters
    ----------
    topic_term : numpy.ndarray
        ``p(w | t)``, topics × terms (or one topic's row).
    term_proportion : numpy.ndarray
        ``p(w)``, one value per term; must be positive wherever ``p(w | t)`` is.

    Returns
    -------
    tuple of numpy.ndarray
        Log-probability and log-lift, each shaped like ``topic_term``.
    """
    phi = np.asarray(topic_term, dtype=float)
    p_w = np.broadcast_to(np.asarray(term_proportion, dtype=float), phi.shape)
    positive = phi > 0
    log_prob = np.full(phi.shape, -np.inf)
    log_lift = np.full(phi.shape, -np.inf)
    np.log(phi, out=log_prob, where=positive)
    np.log(np.divide(phi, p_w, out=np.ones(phi.shape), where=positive), out=log_lift, where=positive)
    return log_prob, log_lift


def relevance(topic_term: np.ndarray, term_proportion: np.ndarray, lam: float) -> np.ndarray:
    """Relevance of each term to each topic (Sievert & Shirley 2014).

    Parameters
    ----------
    topic_term : numpy.ndarray
        ``p(w | t)``, topics × terms.
    term_proportion : numpy.ndarray
        ``p(w)``, one value per term.
    lam : float
        Weight in [0, 1]: 1 ranks by ``p(w | t)``, 0 by lift ``p(w | t) / p(w)``.

    Returns
    -------
    numpy.ndarray
        ``lam * log p(w | t) + (1 - lam) * log(p(w | t) / p(w))``; ``-inf`` where
        ``p(w | t) = 0`` (such a term is never relevant to the topic).
    """
    return relevance_from_logs(*log_probability_and_lift(topic_term, term_proportion), lam)


def relevance_from_logs(log_prob: np.ndarray, log_lift: np.ndarray, lam: float) -> np.ndarray:
    """:func:`relevance` from logs computed once (the explorer scores many values of ``lam``).

    Parameters
    ----------
    log_prob, log_lift : numpy.ndarray
        From :func:`log_probability_and_lift`.
    lam : float
        Weight in [0, 1].

    Returns
    -------
    numpy.ndarray
        Relevance, ``-inf`` where ``log_prob`` is ``-inf``.
    """
    scores = np.full(log_prob.shape, -np.inf)
    finite = np.isfinite(log_prob)
    scores[finite] = lam * log_prob[finite] + (1.0 - lam) * log_lift[finite]
    return scores


def term_proportion(topic_term: np.ndarray, doc_topic: np.ndarray, doc_lengths: np.ndarray) -> np.ndarray:
    """``p(w)`` implied by a model: ``sum_t prevalence_t * p(w | t)``.

    Parameters
    ----------
    topic_term : numpy.ndarray
        ``p(w | t)``, topics × terms, rows summing to 1.
    doc_topic : numpy.ndarray
        ``p(t | d)``, documents × topics, rows summing to 1.
    doc_lengths : numpy.ndarray
        Tokens per document.

    Returns
    -------
    numpy.ndarray
        One value per term; sums to 1.
    """
    return topic_prevalence(doc_topic, doc_lengths) @ np.asarray(topic_term, dtype=float)
