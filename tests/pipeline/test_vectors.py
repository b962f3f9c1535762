"""Vectorisation on a corpus small enough to compute by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer

from analysis.pipeline.vectors import count_matrix, vectorize

# Three documents; by hand: df(a)=2, df(b)=2, df(c)=1, df(d)=1; n=3.
DOCS = [("d1", ["a", "b", "a"]), ("d2", ["b", "c"]), ("d3", ["a", "d"])]


def test_counts_and_vocabulary_are_shared():
    space = vectorize(DOCS)
    assert space.doc_ids == ("d1", "d2", "d3")
    assert space.vocabulary == ("a", "b", "c", "d")
    assert space.counts.toarray().tolist() == [[2, 1, 0, 0], [0, 1, 1, 0], [1, 0, 0, 1]]
    assert space.tfidf.shape == space.counts.shape
    assert space.dictionary.token2id == {"a": 0, "b": 1, "c": 2, "d": 3}
    assert space.dictionary.dfs == {0: 2, 1: 2, 2: 1, 3: 1}
    assert space.dictionary.num_docs == 3 and space.dictionary.num_pos == 7
    assert space.bow() == [[(0, 2), (1, 1)], [(1, 1), (2, 1)], [(0, 1), (3, 1)]]


def test_tfidf_matches_the_documented_formula():
    space = vectorize(DOCS)
    idf = {t: math.log((1 + 3) / (1 + df)) + 1 for t, df in {"a": 2, "b": 2, "c": 1, "d": 1}.items()}
    raw = np.array([2 * idf["a"], 1 * idf["b"]])
    expected = raw / np.linalg.norm(raw)
    assert space.tfidf[0, 0] == pytest.approx(expected[0])
    assert space.tfidf[0, 1] == pytest.approx(expected[1])
    assert space.idf.tolist() == pytest.approx([idf[t] for t in "abcd"])


def test_document_frequency_pruning():
    space = vectorize(DOCS, min_df=2)
    assert space.vocabulary == ("a", "b")
    assert space.counts.toarray().tolist() == [[2, 1], [0, 1], [1, 0]]


def test_tidy_term_counts():
    table = vectorize(DOCS).term_counts()
    assert list(table.columns) == ["doc_id", "term", "n", "tfidf"]
    assert table[["doc_id", "term", "n"]].values.tolist()[:3] == [["d1", "a", 2], ["d1", "b", 1], ["d2", "b", 1]]


def test_streams_a_generator_once():
    consumed = []

    def stream():
        for doc_id, tokens in DOCS:
            consumed.append(doc_id)
            yield doc_id, tokens

    assert vectorize(stream()).doc_ids == ("d1", "d2", "d3")
    assert consumed == ["d1", "d2", "d3"]


def test_empty_vocabulary_says_what_to_change():
    with pytest.raises(ValueError, match="no terms left to count.*min_df"):
        vectorize([("d1", []), ("d2", [])])
    with pytest.raises(ValueError, match="no terms left to count"):
        vectorize(DOCS, min_df=3)
    with pytest.raises(ValueError, match="no documents"):
        vectorize([])


# --- the streaming counter against scikit-learn's CountVectorizer -------------------------------------------------


_words = st.sampled_from(["a", "b", "B", "c", "ä", "é", "zz", "a b", "10", "x-y", "ab", "aa"])
_docs = st.lists(st.lists(_words, max_size=10), min_size=1, max_size=15)
_df = st.one_of(st.floats(0, 1, allow_nan=False), st.integers(1, 8))


@settings(max_examples=300, deadline=None)
@given(_docs, _df, st.one_of(st.floats(0, 1, allow_nan=False), st.integers(0, 16)), st.none() | st.integers(1, 6))
def test_count_matrix_is_scikit_learns_count_vectorizer(docs, min_df, max_df, max_features):
    def same(tokens):
        return tokens

    try:
        vectorizer = CountVectorizer(analyzer=same, min_df=min_df, max_df=max_df, max_features=max_features)
        expected = vectorizer.fit_transform(docs).tocsr()
        expected.sort_indices()
        expected_vocabulary = tuple(vectorizer.get_feature_names_out().tolist())
    except ValueError:
        expected = None
    ids: list[str] = []
    try:
        counts, vocabulary = count_matrix(((str(i), d) for i, d in enumerate(docs)), ids, min_df, max_df, max_features)
    except ValueError:
        assert expected is None
        return
    assert expected is not None
    assert vocabulary == expected_vocabulary
    assert counts.dtype == np.int64 and counts.has_sorted_indices
    assert np.array_equal(counts.indptr, expected.indptr)
    assert np.array_equal(counts.indices, expected.indices)
    assert np.array_equal(counts.data, expected.data)
    assert ids == [str(i) for i in range(len(docs))]


def test_count_matrix_keeps_scikit_learns_choice_among_tied_terms_under_max_features():
    docs = [[f"t{j:02d}" for j in range(40)], [f"t{j:02d}" for j in range(0, 40, 2)]]
    vectorizer = CountVectorizer(analyzer=lambda d: d, max_features=25)
    vectorizer.fit(docs)
    _, vocabulary = count_matrix(((str(i), d) for i, d in enumerate(docs)), [], max_features=25)
    assert vocabulary == tuple(vectorizer.get_feature_names_out().tolist())
