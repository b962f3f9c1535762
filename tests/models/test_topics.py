"""LDA topics: invariants of stochastic fits, and measures checked by hand."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd
import pytest

from analysis.models import engines, selection, topics
from analysis.pipeline.vectors import vectorize

ENGINES = ["gensim", "sklearn", "sklearn-online", "tomotopy"]  # the reproducible engines

# Two topics no model can miss: 20 documents of fruit words and 20 of vehicle words, each
# document six consecutive words of its group (wrapping round), said twice.
FRUIT = ("apple", "banana", "cherry", "grape", "lemon", "mango", "peach", "plum")
VEHICLE = ("bus", "car", "lorry", "scooter", "taxi", "train", "tram", "van")


def _group_docs(prefix: str, words: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    return [(f"{prefix}{i:02d}", [words[(i + j) % len(words)] for j in range(6)] * 2) for i in range(20)]


CLEAR_DOCS = _group_docs("fruit", FRUIT) + _group_docs("vehicle", VEHICLE)
CLEAR_TOKENS = [tokens for _, tokens in CLEAR_DOCS]


@cache
def clear_space():
    return vectorize(CLEAR_DOCS)


@cache
def fitted(engine: str, seed: int, k: int = 2):
    return engines.fit(clear_space(), k, seed, engine)


# --- tidy tables -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_doc_topics_rows_sum_to_one(engine):
    space = clear_space()
    table = topics.doc_topics(fitted(engine, 0), space)
    assert list(table.columns) == ["doc_id", "topic", "share"]
    assert len(table) == len(space.doc_ids) * 2
    assert table["doc_id"].drop_duplicates().tolist() == list(space.doc_ids)
    assert table["topic"].tolist()[:4] == [0, 1, 0, 1]
    assert table["share"].between(0, 1).all()
    assert table.groupby("doc_id")["share"].sum().to_numpy() == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("engine", ENGINES)
def test_topic_term_matrix_rows_sum_to_one(engine):
    matrix = topics.topic_term_matrix(fitted(engine, 0), clear_space())
    assert matrix.shape == (2, len(FRUIT) + len(VEHICLE))
    assert matrix.dtype == np.float64
    assert matrix.sum(axis=1) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("engine", ENGINES)
def test_same_seed_gives_identical_tables(engine):
    space = clear_space()
    first, second = engines.fit(space, 3, 7, engine), engines.fit(space, 3, 7, engine)
    pd.testing.assert_frame_equal(topics.topic_terms(first, space), topics.topic_terms(second, space), check_exact=True)
    pd.testing.assert_frame_equal(topics.doc_topics(first, space), topics.doc_topics(second, space), check_exact=True)


def test_doc_topics_and_perplexity_leave_the_gensim_model_untouched():
    # gensim's own get_document_topics advances the model's generator, so repeated calls differ slightly
    model, space = fitted("gensim", 0), clear_space()
    before = model.random_state.get_state()[1].copy()
    pd.testing.assert_frame_equal(topics.doc_topics(model, space), topics.doc_topics(model, space), check_exact=True)
    assert topics.perplexity(model, space) == topics.perplexity(model, space)
    assert np.array_equal(model.random_state.get_state()[1], before)


def test_topic_terms_normalises_weights_and_breaks_ties_by_term():
    from sklearn.decomposition import LatentDirichletAllocation

    space = vectorize([("d1", ["a", "b", "c"]), ("d2", ["a", "c"]), ("d3", ["b"])])
    model = LatentDirichletAllocation(n_components=2)
    model.components_ = np.array([[1.0, 1.0, 2.0], [3.0, 1.0, 1.0]])  # by hand: rows sum to 4 and 5
    table = topics.topic_terms(model, space, top_n=2)
    assert list(table.columns) == ["topic", "rank", "term", "weight"]
    assert table[["topic", "rank", "term"]].values.tolist() == [[0, 1, "c"], [0, 2, "a"], [1, 1, "a"], [1, 2, "b"]]
    assert table["weight"].tolist() == pytest.approx([0.5, 0.25, 0.6, 0.2])
    assert topics.top_term_lists(topics.topic_terms(model, space, top_n=10)) == [["c", "a", "b"], ["a", "b", "c"]]


def test_models_of_another_vocabulary_are_refused():
    other = vectorize([("d1", ["a", "b"]), ("d2", ["b", "c"]), ("d3", ["c"])])
    with pytest.raises(ValueError, match="pass the VectorSpace the model was fitted on"):
        topics.topic_terms(fitted("gensim", 0), other)
    with pytest.raises(TypeError, match="fit one with engines.fit"):
        topics.doc_topics(object(), other)


@pytest.mark.parametrize("engine", ENGINES)
def test_perplexity_is_each_engines_own_measure(engine):
    model, space = fitted(engine, 0), clear_space()
    value = topics.perplexity(model, space)
    assert value > 1 and math.isfinite(value)
    if engine.startswith("sklearn"):
        assert value == model.perplexity(space.counts)
    elif engine == "tomotopy":  # the last Gibbs sample's log-likelihood per token
        assert value == pytest.approx(math.exp(-model.ll_per_word), rel=1e-12)
    else:  # same bound, inference started from another random point, converged to gensim's tolerance
        assert value == pytest.approx(math.exp(-model.log_perplexity(space.bow())), rel=1e-4)


# --- recovering clear topics -----------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_two_clear_topics_are_recovered_by_every_seed(engine):
    # top 8 = a whole group, so runs that find the same two topics have identical top-term sets
    runs = [topics.top_term_lists(topics.topic_terms(fitted(engine, s), clear_space(), top_n=8)) for s in (0, 1, 2)]
    for run in runs:
        groups = []
        for terms in run:
            head = set(terms[:5])
            assert head <= set(FRUIT) or head <= set(VEHICLE), terms
            groups.append(head <= set(FRUIT))
        assert sorted(groups) == [False, True]
    assert selection.stability(runs) == pytest.approx(1.0)


# --- quality measures by hand ----------------------------------------------------------------------------------


def test_topic_diversity_by_hand():
    # a, b, c, d, e distinct among six words taken
    assert selection.topic_diversity([["a", "b", "c"], ["a", "d", "e"]], top_n=3) == pytest.approx(5 / 6)
    # heads [a, b] and [a, d]: three distinct among four
    assert selection.topic_diversity([["a", "b", "c"], ["a", "d", "e"]], top_n=2) == pytest.approx(3 / 4)
    assert selection.topic_diversity([["a", "b"], ["a", "b"]]) == pytest.approx(1 / 2)
    # a topic shorter than top_n contributes all its words: a, b, c distinct among four
    assert selection.topic_diversity([["a"], ["a", "b", "c"]]) == pytest.approx(3 / 4)
    with pytest.raises(ValueError, match="topic 1"):
        selection.topic_diversity([["a"], []])


def test_match_topics_finds_the_permutation():
    a = [["x", "y", "z"], ["p", "q", "r"], ["m", "n", "o"]]
    b = [["p", "q", "s"], ["m", "n", "o"], ["x", "y", "w"]]
    pairs, jaccards = selection.match_topics(a, b)
    assert pairs == [(0, 2), (1, 0), (2, 1)]
    # {x,y,z} vs {x,y,w}: 2 shared of 4; {p,q,r} vs {p,q,s}: 2 of 4; {m,n,o} twice: 3 of 3
    assert jaccards == pytest.approx([2 / 4, 2 / 4, 1.0])


def test_match_topics_maximises_the_total_not_the_best_pair():
    # greedy would take a0-b0 (3 shared of 5 = 0.6) and leave a1-b1 (0): total 0.6;
    # the best total pairs a0-b1 ({a,b}: 2 of 6) and a1-b0 ({c,e}: 2 of 6): 2/3
    a = [["a", "b", "c", "d"], ["c", "e", "h", "i"]]
    b = [["a", "b", "c", "e"], ["a", "b", "f", "g"]]
    pairs, jaccards = selection.match_topics(a, b)
    assert pairs == [(0, 1), (1, 0)]
    assert jaccards == pytest.approx([1 / 3, 1 / 3])


def test_stability_by_hand():
    first, second, third = [["x", "y"], ["p", "q"]], [["p", "q"], ["x", "y"]], [["x", "y"], ["p", "r"]]
    assert selection.stability([first, second]) == 1.0
    # first-second 1; first-third and second-third (1 + 1/3) / 2 = 2/3; mean (1 + 2/3 + 2/3) / 3
    assert selection.stability([first, second, third]) == pytest.approx(7 / 9)
    with pytest.raises(ValueError, match="at least two runs"):
        selection.stability([first])


TOY_DOCS = [
    ("t1", ["apple", "banana", "cherry", "apple"]),
    ("t2", ["banana", "cherry", "bus"]),
    ("t3", ["bus", "car", "tram", "car"]),
    ("t4", ["car", "tram", "apple"]),
    ("t5", ["cherry", "apple", "banana", "tram"]),
    ("t6", ["bus", "tram", "car", "banana"]),
]


@pytest.mark.parametrize("measure", ["c_npmi", "c_v", "u_mass"])
def test_coherence_is_gensims(measure):
    from gensim.models.coherencemodel import CoherenceModel

    space = vectorize(TOY_DOCS)
    texts = [tokens for _, tokens in TOY_DOCS]
    top = [["apple", "banana", "cherry"], ["bus", "car", "tram"], ["apple", "car", "banana"]]
    mean, per_topic = selection.coherence(top, texts, space, measure)
    for source in ({"texts": texts}, {"corpus": space.bow()} if measure == "u_mass" else {"texts": texts}):
        direct = CoherenceModel(topics=top, dictionary=space.dictionary, coherence=measure, processes=1, **source)
        assert mean == pytest.approx(direct.get_coherence(), abs=1e-9)
        assert per_topic == pytest.approx(direct.get_coherence_per_topic(), abs=1e-9)
    assert len(per_topic) == 3 and mean == pytest.approx(sum(per_topic) / 3)


def test_coherence_refuses_unknown_measures_and_terms():
    space = vectorize(TOY_DOCS)
    texts = [tokens for _, tokens in TOY_DOCS]
    with pytest.raises(ValueError, match="c_npmi, c_v, u_mass"):
        selection.coherence([["apple", "bus"]], texts, space, "c_uci")
    with pytest.raises(ValueError, match="'kiwi'"):
        selection.coherence([["apple", "kiwi"]], texts, space, "c_npmi")


# --- model selection -------------------------------------------------------------------------------------------


def test_sweep_table():
    table = selection.sweep(clear_space(), CLEAR_TOKENS, ks=[3, 2, 3], seeds=[0, 1], top_n=8, progress=False)
    assert list(table.columns) == list(selection.SWEEP_COLUMNS)
    assert table["k"].tolist() == [2, 3] and set(table["engine"]) == {engines.DEFAULT_ENGINE}
    assert table["c_npmi"].between(-1, 1).all() and table["c_v"].between(0, 1).all()
    assert (table["u_mass"] <= 0).all() and (table["perplexity"] > 1).all()
    assert table["diversity"].between(0, 1).all() and (table["c_npmi_sd"] >= 0).all()
    assert table.loc[0, "stability"] == pytest.approx(1.0)  # the two clear topics, whatever the seed
    # diversity takes each topic's top 25 words, here all 16 of the vocabulary: 16 distinct of 32
    assert table.loc[0, "diversity"] == 0.5
    k, reason = selection.choose_k(table)
    assert k in (2, 3) and reason.startswith(f"K={k}: ")


def test_sweep_with_one_seed_has_no_stability():
    table = selection.sweep(clear_space(), CLEAR_TOKENS, ks=[2], seeds=[5], engine="sklearn", progress=False)
    assert table["stability"].isna().all() and table["c_npmi_sd"].isna().all()
    assert "not measured" in selection.choose_k(table)[1]


SWEEP = pd.DataFrame(
    {"engine": "gensim", "k": [2, 3, 4, 5], "c_npmi": [0.10, 0.20, 0.20, 0.30], "stability": [0.90, 0.60, 0.80, 0.30]}
)


def test_choose_k_among_stable_k_ties_go_to_the_smaller():
    # K=5 has the best NPMI but is unstable; K=3 and K=4 tie on 0.20
    assert selection.choose_k(SWEEP) == (
        3,
        "K=3: highest mean NPMI coherence (0.200) among K values whose topics are stable across seeds "
        "(stability ≥ 0.5; K=3 has 0.60). The highest NPMI of all, 0.300, is at K=5, whose topics are less stable.",
    )
    assert selection.choose_k(SWEEP, min_stability=0.7)[0] == 4


def test_choose_k_falls_back_to_all_k_when_none_is_stable():
    assert selection.choose_k(SWEEP, min_stability=0.95) == (
        5,
        "K=5: highest mean NPMI coherence (0.300) among all K values, as none reaches stability ≥ 0.95 "
        "across seeds (the most stable, K=2, has 0.90). K lies at the edge of the range tried; widen K_VALUES to check.",
    )


def test_choose_k_says_when_one_k_is_stable_and_topics_are_weak():
    import pandas as pd

    table = pd.DataFrame({"k": [2, 3, 4], "c_npmi": [-0.05, -0.06, -0.04], "stability": [0.55, 0.45, 0.46], "c_npmi_sd": [0.02, 0.02, 0.03]})
    k, reason = selection.choose_k(table)
    assert k == 2
    assert reason.startswith("K=2: the only K whose topics are stable across seeds (stability 0.55 ≥ 0.5)")
    assert "The highest NPMI of all, -0.040 ± 0.030 across seeds, is at K=4" in reason
    assert "edge of the range" in reason and "negative for every K" in reason


def test_choose_k_refuses_malformed_tables():
    with pytest.raises(ValueError, match="lacks column"):
        selection.choose_k(SWEEP.drop(columns="stability"))
    with pytest.raises(ValueError, match="mixes engines"):
        selection.choose_k(SWEEP.assign(engine=["gensim", "gensim", "sklearn", "sklearn"]))
    with pytest.raises(ValueError, match="no rows"):
        selection.choose_k(SWEEP.iloc[:0])


# --- paragraphs to articles ------------------------------------------------------------------------------------


def test_aggregate_to_articles_weights_by_paragraph_length():
    paragraphs = pd.DataFrame(
        {
            "doc_id": ["p1", "p1", "p2", "p2", "p3", "p3"],
            "topic": [0, 1, 0, 1, 0, 1],
            "share": [0.2, 0.8, 1.0, 0.0, 0.5, 0.5],
        }
    )
    original = paragraphs.copy()
    articles = {"p1": "a", "p2": "a", "p3": "b"}
    lengths = {"p1": 3, "p2": 1, "p3": 5}
    table = topics.aggregate_to_articles(paragraphs, articles, lengths)
    assert list(table.columns) == ["doc_id", "topic", "share"]
    assert table[["doc_id", "topic"]].values.tolist() == [["a", 0], ["a", 1], ["b", 0], ["b", 1]]
    # article a: topic 0 = (3 * 0.2 + 1 * 1.0) / 4 = 0.4, topic 1 = (3 * 0.8 + 1 * 0.0) / 4 = 0.6
    assert table["share"].tolist() == pytest.approx([0.4, 0.6, 0.5, 0.5])
    pd.testing.assert_frame_equal(paragraphs, original)


def test_aggregate_to_articles_refuses_unknown_or_empty_paragraphs():
    paragraphs = pd.DataFrame({"doc_id": ["p1", "p1"], "topic": [0, 1], "share": [0.3, 0.7]})
    with pytest.raises(ValueError, match="paragraph_article has no entry for 1 paragraph.*'p1'"):
        topics.aggregate_to_articles(paragraphs, {}, {"p1": 2})
    with pytest.raises(ValueError, match="'a' have no tokens"):
        topics.aggregate_to_articles(paragraphs, {"p1": "a"}, {"p1": 0})


@pytest.mark.parametrize("engine", ENGINES)
def test_aggregated_model_shares_sum_to_one(engine):
    space = clear_space()
    shares = topics.doc_topics(fitted(engine, 0), space)
    articles = {doc_id: doc_id[:-1] for doc_id in space.doc_ids}  # fruit0, fruit1, vehicle0, vehicle1
    lengths = {doc_id: len(tokens) for doc_id, tokens in CLEAR_DOCS}
    table = topics.aggregate_to_articles(shares, articles, lengths)
    assert table["doc_id"].nunique() == 4
    assert table.groupby("doc_id")["share"].sum().to_numpy() == pytest.approx(1.0, abs=1e-12)


# --- too few documents -----------------------------------------------------------------------------------------


def test_too_few_documents_for_k_topics():
    message = r"too few documents \(5\) for 5 topics: lower the K values or model paragraphs"
    with pytest.raises(ValueError, match=message):
        engines.check_k(5, 5)
    engines.check_k(5, 4)
    with pytest.raises(ValueError, match="at least 2 topics"):
        engines.check_k(5, 1)
    small = vectorize(TOY_DOCS[:3])
    for fit in (engines.fit_gensim, engines.fit_sklearn):
        with pytest.raises(ValueError, match=r"too few documents \(3\) for 3 topics"):
            fit(small, 3, random_state=0)


def test_sweep_checks_every_input_before_fitting():
    space = clear_space()
    with pytest.raises(ValueError, match=r"too few documents \(40\) for 40 topics"):
        selection.sweep(space, CLEAR_TOKENS, ks=[2, 40], seeds=[0], progress=False)
    with pytest.raises(ValueError, match="seeds is empty"):
        selection.sweep(space, CLEAR_TOKENS, ks=[2], seeds=[], progress=False)
    with pytest.raises(ValueError, match="seeds must be distinct"):
        selection.sweep(space, CLEAR_TOKENS, ks=[2], seeds=[1, 1], progress=False)
    with pytest.raises(ValueError, match="unknown engine"):
        selection.sweep(space, CLEAR_TOKENS, ks=[2], seeds=[0], engine="mallet", progress=False)


def test_distinctive_terms_at_lambda_one_rank_by_probability():
    model = fitted("gensim", 1)
    space = clear_space()
    by_probability = topics.topic_terms(model, space, 5)
    by_relevance = topics.distinctive_terms(model, space, 5, lam=1.0)
    assert by_relevance[["topic", "rank", "term"]].equals(by_probability[["topic", "rank", "term"]])


def test_topic_labels_number_topics_from_one():
    table = pd.DataFrame({"topic": [0, 0, 1, 1], "rank": [1, 2, 1, 2], "term": ["a", "b", "c", "d"]})
    assert topics.topic_labels(table, 2) == {0: "T1 · a, b", 1: "T2 · c, d"}


# --- engines ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_reproducible_engines_give_the_same_model_for_the_same_seed(engine):
    space = clear_space()
    first = topics.topic_term_matrix(engines.fit(space, 3, 7, engine), space)
    again = topics.topic_term_matrix(engines.fit(space, 3, 7, engine), space)
    assert np.array_equal(first, again)
    assert engines.is_deterministic(engine)


def test_multicore_gensim_is_labelled_not_reproducible():
    assert not engines.is_deterministic("gensim-multicore")
    assert not engines.is_deterministic("tomotopy", workers=2)
    assert "gensim-multicore" in engines.NONDETERMINISTIC
    with pytest.raises(ValueError, match="unknown engine 'mallet'"):
        engines.is_deterministic("mallet")


def test_tomotopy_fit_is_tied_to_its_documents():
    model = fitted("tomotopy", 0)
    assert model.doc_topic.shape == (len(CLEAR_DOCS), 2)
    assert model.topic_term.sum(axis=1) == pytest.approx(1.0, abs=1e-12)
    same_vocabulary_other_docs = vectorize(list(reversed(CLEAR_DOCS)))
    with pytest.raises(ValueError, match="pass the VectorSpace it was fitted on"):
        topics.doc_topics(model, same_vocabulary_other_docs)


def test_sweep_gives_the_same_table_with_one_or_two_worker_processes():
    space = clear_space()
    one = selection.sweep(space, CLEAR_TOKENS, [2, 3], [0, 1], engine="sklearn", progress=False, workers=1)
    two = selection.sweep(space, CLEAR_TOKENS, [2, 3], [0, 1], engine="sklearn", progress=False, workers=2)
    pd.testing.assert_frame_equal(one, two, check_exact=True)


def test_sweep_coherence_equals_per_model_coherence():
    space = clear_space()
    table = selection.sweep(space, CLEAR_TOKENS, [3], [0], engine="gensim", progress=False, workers=1)
    heads = topics.top_term_lists(topics.topic_terms(engines.fit(space, 3, 0, "gensim"), space, 10))
    for measure in selection.COHERENCE_MEASURES:
        assert table.loc[0, measure] == pytest.approx(selection.coherence(heads, CLEAR_TOKENS, space, measure)[0], abs=1e-12)
