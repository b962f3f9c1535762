"""Document shares from fixed topics (EM fold-in): checked against mixtures worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from analysis.models.shares import infer_shares

# two topics on disjoint words: topic 0 on terms 0-1, topic 1 on terms 2-3; term 4 in no topic
TOPICS = np.array([[0.5, 0.5, 0.0, 0.0, 0.0], [0.0, 0.0, 0.25, 0.75, 0.0]])


def test_shares_on_disjoint_topics_are_the_tokens_each_topic_explains_plus_the_prior():
    counts = csr_matrix(np.array([[2, 1, 1, 0, 0], [0, 0, 0, 4, 0]]))
    alpha = 0.5
    shares = infer_shares(counts, TOPICS, alpha, iterations=500, tolerance=1e-12)
    # every token of a disjoint term belongs to its one topic: (n_k + alpha) / (n + K alpha)
    assert shares[0] == pytest.approx([(3 + alpha) / (4 + 2 * alpha), (1 + alpha) / (4 + 2 * alpha)], abs=1e-9)
    assert shares[1] == pytest.approx([alpha / (4 + 2 * alpha), (4 + alpha) / (4 + 2 * alpha)], abs=1e-9)


def test_a_shared_term_is_split_by_the_document_s_other_words():
    topics = np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.5]])  # term 1 is in both topics
    leaning = infer_shares(csr_matrix(np.array([[3, 1, 0]])), topics, 0.01, iterations=1000, tolerance=1e-12)
    assert leaning[0, 0] > 0.97  # the ambiguous token goes with the document's clear ones
    balanced = infer_shares(csr_matrix(np.array([[1, 2, 1]])), topics, 0.01, iterations=1000, tolerance=1e-12)
    assert balanced[0] == pytest.approx([0.5, 0.5], abs=1e-9)


def test_a_document_of_terms_no_topic_knows_gets_equal_shares():
    counts = csr_matrix(np.array([[0, 0, 0, 0, 3], [0, 0, 0, 0, 0], [1, 0, 0, 0, 5]]))
    shares = infer_shares(counts, TOPICS, 0.1)
    assert shares[0].tolist() == [0.5, 0.5] and shares[1].tolist() == [0.5, 0.5]
    assert shares[2, 0] > 0.9  # the unknown term does not count; the known one decides


def test_shares_do_not_depend_on_batches_or_threads():
    rng = np.random.default_rng(0)
    topics = rng.dirichlet(np.full(40, 0.2), size=5)
    counts = csr_matrix(rng.poisson(0.4, size=(53, 40)))
    reference = infer_shares(counts, topics, 0.2)
    assert reference.sum(axis=1) == pytest.approx(1.0, abs=1e-12)
    for batch, workers in [(1, 1), (7, 2), (53, 1), (1000, 2)]:
        assert np.array_equal(infer_shares(counts, topics, 0.2, batch=batch, workers=workers), reference)


def test_a_document_stops_once_its_shares_settle():
    rng = np.random.default_rng(1)
    topics = rng.dirichlet(np.full(30, 0.3), size=4)
    counts = csr_matrix(rng.poisson(1.0, size=(20, 30)))
    settled = infer_shares(counts, topics, 0.25, iterations=10_000, tolerance=1e-6)
    more = infer_shares(counts, topics, 0.25, iterations=10_000, tolerance=1e-9)
    assert np.abs(settled - more).max() < 1e-4
    one_step = infer_shares(counts, topics, 0.25, iterations=1, tolerance=1e-9)
    assert np.abs(one_step - more).max() > 1e-3  # one step is not enough: the loop does work
