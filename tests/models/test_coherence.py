"""Shared-count coherence must give gensim's CoherenceModel numbers, convention for convention."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models.coherencemodel import CoherenceModel
from gensim.parsing.preprocessing import STOPWORDS
from gensim.test.utils import datapath
from gensim.topic_coherence.text_analysis import CorpusAccumulator, WordOccurrenceAccumulator
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.models import coherence

MEASURES = ("c_npmi", "c_v", "u_mass")
TOLERANCE = 1e-6


def gensim_scores(topics, texts, dictionary, measure, corpus=None):
    """(mean, per topic) from gensim, as analysis.models.selection.coherence asks for them."""
    source = {"corpus": corpus} if measure == "u_mass" and corpus is not None else {"texts": texts}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # gensim divides by zero for terms that never occur
        model = CoherenceModel(topics=topics, dictionary=dictionary, coherence=measure, processes=1, **source)
        per_topic = model.get_coherence_per_topic()
        return float(model.aggregate_measures(per_topic)), [float(v) for v in per_topic]


def assert_same(ours, theirs):
    """Means and per-topic values equal to TOLERANCE; NaN matches NaN, inf matches inf of the same sign."""
    np.testing.assert_allclose(ours[0], theirs[0], rtol=0, atol=TOLERANCE, equal_nan=True)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=0, atol=TOLERANCE, equal_nan=True)


# --- real text ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lee():
    """gensim's Lee background corpus: lowercase words of three letters or more, stopwords removed."""
    with open(datapath("lee_background.cor"), encoding="utf-8") as handle:
        words = [re.findall(r"[a-z]+", line.lower()) for line in handle]
    docs = [[w for w in line if len(w) > 2 and w not in STOPWORDS] for line in words]
    return docs, Dictionary(docs)


@pytest.fixture(scope="module")
def lee_models(lee):
    """Top-10 term lists of sweeps K = 2..10: random vocabulary draws and one small LDA fit."""
    from gensim.models import LdaModel

    docs, dictionary = lee
    rng = np.random.default_rng(7)
    frequent = [dictionary[i] for i in range(len(dictionary)) if dictionary.dfs[i] >= 3]
    models = [[list(rng.choice(frequent, size=10, replace=False)) for _ in range(k)] for k in (2, 3, 6, 10)]
    lda = LdaModel([dictionary.doc2bow(d) for d in docs], num_topics=5, id2word=dictionary, random_state=1, passes=1)
    models.append([[dictionary[i] for i, _ in lda.get_topic_terms(t, topn=10)] for t in range(5)])
    return models


def test_lee_sweep_equals_gensim_for_every_model_and_measure(lee, lee_models):
    docs, dictionary = lee
    ours = coherence.sweep_coherence(lee_models, docs, dictionary)
    assert len(ours) == len(lee_models)
    for topics, scores in zip(lee_models, ours):
        assert set(scores) == set(MEASURES)
        for measure in MEASURES:
            assert len(scores[measure][1]) == len(topics)
            assert_same(scores[measure], gensim_scores(topics, docs, dictionary, measure))


def test_lee_u_mass_from_bow_equals_gensim_with_corpus(lee, lee_models):
    docs, dictionary = lee
    bow = [dictionary.doc2bow(d) for d in docs]
    ours = coherence.sweep_coherence(lee_models[:2], None, dictionary, bow=bow, measures=("u_mass",))
    for topics, scores in zip(lee_models[:2], ours):
        assert_same(scores["u_mass"], gensim_scores(topics, docs, dictionary, "u_mass", corpus=bow))


def test_union_of_terms_gives_the_numbers_of_counting_per_model(lee, lee_models):
    docs, dictionary = lee
    together = coherence.sweep_coherence(lee_models, docs, dictionary)
    for topics, scores in zip(lee_models, together):
        alone = coherence.sweep_coherence([topics], docs, dictionary)[0]
        for measure in MEASURES:
            assert scores[measure][1] == pytest.approx(alone[measure][1], abs=1e-12)
            assert scores[measure][0] == pytest.approx(alone[measure][0], abs=1e-12)


def test_chunks_and_pair_blocks_do_not_change_the_counts(lee, lee_models):
    docs, _ = lee
    terms = {t for topics in lee_models for topic in topics for t in topic}
    whole = coherence.count_cooccurrence(terms, docs, (None, 10, 110))
    pieces = coherence.count_cooccurrence(terms, iter(docs), (None, 10, 110), chunk_tokens=997, max_pairs=1000)
    for size in (None, 10, 110):
        assert pieces[size].n_docs == whole[size].n_docs
        np.testing.assert_array_equal(pieces[size].co_counts, whole[size].co_counts)
        np.testing.assert_array_equal(pieces[size].doc_counts, whole[size].doc_counts)
        np.testing.assert_array_equal(np.diag(whole[size].co_counts), whole[size].doc_counts)
        np.testing.assert_array_equal(whole[size].co_counts, whole[size].co_counts.T)


def test_topics_longer_than_twenty_terms_are_cut_as_gensim_cuts_them(lee):
    docs, dictionary = lee
    rng = np.random.default_rng(3)
    vocabulary = [dictionary[i] for i in range(len(dictionary))]
    topics = [list(rng.choice(vocabulary, size=25, replace=False)) for _ in range(2)]
    ours = coherence.sweep_coherence([topics], docs, dictionary)[0]
    for measure in MEASURES:
        assert_same(ours[measure], gensim_scores(topics, docs, dictionary, measure))


# --- counts against gensim's own accumulators ---------------------------------------------------------------------

ALPHABET = ["a", "b", "c", "d", "e", "zz"]  # "zz" is outside the dictionary
small_docs = st.lists(st.lists(st.sampled_from(ALPHABET), max_size=14), min_size=1, max_size=6)


@settings(max_examples=150)
@given(docs=small_docs, window=st.integers(1, 6), relevant=st.sets(st.sampled_from("abcde"), min_size=1))
def test_window_counts_equal_gensims_accumulator(docs, window, relevant):
    dictionary = Dictionary([list("abcde")])
    ids = {dictionary.token2id[t] for t in relevant}
    theirs = WordOccurrenceAccumulator(ids, dictionary).accumulate(docs, window)
    ours = coherence.count_cooccurrence(relevant, docs, (window,))[window]
    assert ours.n_docs == theirs.num_docs
    for u in ours.terms:
        assert ours.doc_counts[ours.index[u]] == theirs[dictionary.token2id[u]]
        for v in ours.terms:
            pair = (dictionary.token2id[u], dictionary.token2id[v])
            assert ours.co_counts[ours.index[u], ours.index[v]] == theirs[pair]


@settings(max_examples=100)
@given(docs=small_docs, relevant=st.sets(st.sampled_from("abcde"), min_size=1))
def test_document_counts_equal_gensims_accumulator(docs, relevant):
    dictionary = Dictionary([list("abcde")])
    ids = {dictionary.token2id[t] for t in relevant}
    theirs = CorpusAccumulator(ids).accumulate([dictionary.doc2bow(d) for d in docs])
    ours = coherence.count_cooccurrence(relevant, docs, (None,))[None]
    assert ours.n_docs == theirs.num_docs
    for u in ours.terms:
        for v in ours.terms:
            pair = (dictionary.token2id[u], dictionary.token2id[v])
            assert ours.co_counts[ours.index[u], ours.index[v]] == theirs[pair]


def test_a_repeated_token_leaving_the_window_drops_the_term_as_in_gensim():
    # windows [a a b], [a b c], [b c d]: "a" is in two, but gensim forgets it in the second
    # because its first copy leaves then, although the second copy is still inside
    docs = [["a", "a", "b", "c", "d"]]
    ours = coherence.count_cooccurrence(["a", "b"], docs, (3,))[3]
    assert ours.n_docs == 3
    assert ours.doc_counts.tolist() == [1, 3]
    assert ours.co_counts[0, 1] == 1
    dictionary = Dictionary(docs)
    theirs = WordOccurrenceAccumulator({dictionary.token2id["a"]}, dictionary).accumulate(docs, 3)
    assert theirs[dictionary.token2id["a"]] == 1


# --- edge cases against CoherenceModel ----------------------------------------------------------------------------

EDGE_DOCS = [
    ["apple", "pear", "apple", "apple", "plum"],  # shorter than both windows, repeated tokens
    ["apple", "unknown", "pear", "noise", "noise", "kiwi", "fig", "apple", "fig", "fig", "pear", "date", "lime"],
    [],  # empty: still one virtual document
    ["lime", "lime", "lime"],
    ["solo", "only"],  # these two terms appear in this document only
    ["kiwi"] + ["filler"] * 120 + ["date"],  # longer than 110: kiwi and date never share a window
]
EDGE_VOCABULARY = ["apple", "pear", "plum", "kiwi", "fig", "date", "lime", "solo", "only", "filler", "ghost"]
EDGE_TOPICS = [
    # "solo" and "apple" never share a document; "lime" is repeated inside the topic
    [["apple", "pear", "plum"], ["kiwi", "date"], ["solo", "only", "apple"], ["lime", "lime", "fig"]],
    # terms of one document only ("only", "solo"), and terms spread over several documents
    [["fig", "apple", "pear", "kiwi", "date", "lime"], ["only", "solo"]],
    # "ghost" is in the dictionary but in no document: gensim's inf / nan / 0 conventions
    [["ghost", "apple"], ["apple", "ghost", "pear"]],
]


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize("topics", EDGE_TOPICS, ids=["apart-and-repeated", "one-document", "never-occurs"])
def test_edge_cases_equal_gensim(topics, measure):
    dictionary = Dictionary([EDGE_VOCABULARY])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ours = coherence.sweep_coherence([topics], EDGE_DOCS, dictionary, measures=(measure,))[0][measure]
    assert_same(ours, gensim_scores(topics, EDGE_DOCS, dictionary, measure))


@settings(max_examples=60)
@given(
    docs=small_docs,
    topics=st.lists(st.lists(st.sampled_from("abcdef"), min_size=2, max_size=5), min_size=1, max_size=3),
)
def test_random_small_corpora_equal_gensim(docs, topics):
    dictionary = Dictionary([list("abcdef")])  # "f" is in no document, "zz" in no dictionary
    ours = coherence.sweep_coherence([topics], docs, dictionary, measures=MEASURES)[0]
    for measure in MEASURES:
        assert_same(ours[measure], gensim_scores(topics, docs, dictionary, measure))


# --- validation ---------------------------------------------------------------------------------------------------


def test_refuses_bad_inputs_with_one_line_messages():
    dictionary = Dictionary([EDGE_VOCABULARY])
    stats = coherence.count_cooccurrence(["apple", "pear"], EDGE_DOCS, (10, None))
    cases = [
        (lambda: coherence.sweep_coherence([[["apple", "pear"]]], EDGE_DOCS, dictionary, measures=("c_uci",)), "c_uci"),
        (lambda: coherence.sweep_coherence([[["apple"]]], EDGE_DOCS, dictionary), "has 1 term.*at least 2"),
        (lambda: coherence.sweep_coherence([[["apple", "mango"]]], EDGE_DOCS, dictionary), "'mango'"),
        (lambda: coherence.sweep_coherence([[["apple", "pear"]]], [], dictionary), "token_docs is empty"),
        (lambda: coherence.sweep_coherence([[["apple", "pear"]]], None, dictionary), "token_docs is None"),
        (lambda: coherence.sweep_coherence([], EDGE_DOCS, dictionary), "model_topics is empty"),
        (lambda: coherence.sweep_coherence([["apple", "pear"]], EDGE_DOCS, dictionary), "one list of topics per model"),
        (lambda: coherence.count_bow_cooccurrence(["apple"], [], dictionary), "bow is empty"),
        (lambda: coherence.count_cooccurrence(["apple"], EDGE_DOCS, (0,)), "window_size"),
        (lambda: coherence.count_cooccurrence(["apple"], ["apple pear"], (10,)), "list of tokens"),
        (lambda: coherence.topic_coherence([["apple", "pear"]], stats[None], "c_npmi"), "sliding windows"),
        (lambda: coherence.topic_coherence([["apple", "pear"]], stats[10], "u_mass"), "whole documents"),
        (lambda: coherence.topic_coherence([["apple", "plum"]], stats[10], "c_v"), "'plum'"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match=message) as error:
            call()
        assert "\n" not in str(error.value)


def test_stats_are_read_only():
    stats = coherence.count_cooccurrence(["apple", "pear"], EDGE_DOCS, (10,))[10]
    with pytest.raises(ValueError):
        stats.co_counts[0, 0] = 99


def test_compare_speed_reports_times_and_agreement(lee, lee_models):
    docs, dictionary = lee
    report = coherence.compare_speed(docs, [lee_models[0]], ("c_npmi", "u_mass"), dictionary=dictionary)
    assert report["max_abs_diff"] < TOLERANCE
    assert report["shared_seconds"] > 0 and report["gensim_seconds"] > 0
    assert report["speedup"] == pytest.approx(report["gensim_seconds"] / report["shared_seconds"])
    assert report["n_models"] == 1 and report["measures"] == ["c_npmi", "u_mass"]
