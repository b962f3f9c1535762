"""Vectorisation on a corpus small enough to compute by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from analysis.pipeline import vectors
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


@pytest.mark.parametrize("block", [1, 3, 7])
def test_counting_by_blocks_of_cells_changes_nothing(monkeypatch, block):
    """Counts, pruning, TF-IDF and document frequencies are the same whatever the block size."""
    docs = [[f"t{(i * 7 + j * 3) % 11}" for j in range(i % 9)] for i in range(40)]
    whole = vectorize(((str(i), d) for i, d in enumerate(docs)), min_df=2, max_df=0.9)
    monkeypatch.setattr(vectors, "CELLS_PER_BLOCK", block)
    blocks = vectorize(((str(i), d) for i, d in enumerate(docs)), min_df=2, max_df=0.9)
    for name in ("counts", "tfidf"):
        a, b = getattr(whole, name), getattr(blocks, name)
        assert all(np.array_equal(getattr(a, part), getattr(b, part)) for part in ("data", "indices", "indptr")), name
    assert whole.vocabulary == blocks.vocabulary and np.array_equal(whole.idf, blocks.idf)
    assert whole.dictionary.dfs == blocks.dictionary.dfs and whole.dictionary.cfs == blocks.dictionary.cfs


def test_tfidf_is_scikit_learns_bit_for_bit_and_shares_the_counts_cells():
    rng = np.random.default_rng(0)
    counts = sparse.random(300, 40, density=0.2, format="csr", random_state=rng, dtype=np.float64)
    counts.data = np.ceil(counts.data * 5).astype(np.int64)
    counts = counts.astype(np.int64)
    counts.sort_indices()
    idf = vectors.smoothed_idf(vectors.column_frequency(counts.indices, 40), 300)
    for sublinear in (False, True):
        transformer = TfidfTransformer(sublinear_tf=sublinear)
        transformer.idf_ = idf
        expected = transformer.transform(counts).tocsr()
        weights = vectors.tfidf_weights(counts, idf, sublinear)
        assert np.array_equal(weights.data, expected.data) and np.array_equal(weights.indices, expected.indices)
        assert np.shares_memory(weights.indices, counts.indices)  # one copy of the index arrays


def test_column_frequency_is_bincount(monkeypatch):
    rng = np.random.default_rng(1)
    columns = rng.integers(0, 9, 100).astype(np.int32)
    weights = rng.integers(1, 5, 100)
    where = rng.random(100) < 0.5
    monkeypatch.setattr(vectors, "CELLS_PER_BLOCK", 8)
    assert np.array_equal(vectors.column_frequency(columns, 10), np.bincount(columns, minlength=10))
    assert np.array_equal(vectors.column_frequency(columns, 10, weights=weights), np.bincount(columns, weights, 10))
    assert np.array_equal(vectors.column_frequency(columns, 10, where=where), np.bincount(columns[where], minlength=10))
