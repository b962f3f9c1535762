"""LDA topics: invariants of stochastic fits, and measures checked by hand."""

from __future__ import annotations

import math
import pickle
from functools import cache

import numpy as np
import pandas as pd
import pytest

from analysis import models
from analysis.models import engines, selection, topics
from analysis.pipeline.vectors import vectorize
from analysis.precision import round_value

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


def library_model(engine: str, space, k: int, seed: int, sweeps: int = 1000):
    """The engine's library called directly with the settings the adapter must keep (they pin its results).

    tomotopy runs ``sweeps`` Gibbs sweeps in one go: the adapter's fit stopped at convergence
    after that many (its ``sweeps_run``), checking in chunks, which gives the same sample.
    """
    if engine == "gensim":
        from gensim.models import LdaModel

        return LdaModel(
            corpus=space.bow(),
            num_topics=k,
            id2word=space.dictionary,
            random_state=seed,
            passes=20,
            iterations=400,
            alpha="symmetric",
            eval_every=None,
            dtype=np.float64,
        )
    if engine.startswith("sklearn"):
        from sklearn.decomposition import LatentDirichletAllocation

        online = {"learning_method": "online", "max_iter": 10, "batch_size": 512}
        options = online if engine == "sklearn-online" else {"learning_method": "batch", "max_iter": 30}
        return LatentDirichletAllocation(n_components=k, random_state=seed, n_jobs=1, **options).fit(space.counts)
    tp = engines._tomotopy()
    model = tp.LDAModel(k=k, alpha=1.0 / k, eta=1.0 / k, seed=seed)
    for doc in space.counts.toarray():
        model.add_doc([term for term, n in zip(space.vocabulary, doc, strict=True) for _ in range(n)])
    model.train(sweeps, workers=1, parallel=tp.ParallelScheme.NONE, show_progress=False)
    return model


def library_topic_term(engine: str, model, space) -> np.ndarray:
    """The library's own topic-term weights, rows rescaled to sum to 1, columns in vocabulary order."""
    if engine == "tomotopy":
        order = [list(model.used_vocabs).index(term) for term in space.vocabulary]  # every term is used here
        weights = np.array([model.get_topic_word_dist(t) for t in range(model.k)], dtype=np.float64)[:, order]
    else:
        weights = np.asarray(model.state.get_lambda() if engine == "gensim" else model.components_, dtype=np.float64)
    return weights / weights.sum(axis=1, keepdims=True)


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


def test_gensim_shares_and_perplexity_come_from_one_inference_seeded_by_the_fit():
    # gensim's own get_document_topics advances the model's generator, so repeated calls differ slightly;
    # the fit infers once, from a generator seeded with its random_state, and keeps the numbers
    space = clear_space()
    model = fitted("gensim", 1)
    pd.testing.assert_frame_equal(topics.doc_topics(model, space), topics.doc_topics(model, space), check_exact=True)
    assert topics.perplexity(model, space) == topics.perplexity(model, space) == model.perplexity
    direct = library_model("gensim", space, 2, 1)
    bow = space.bow()
    direct.random_state = np.random.RandomState(1)
    gamma, _ = direct.inference(bow)
    assert np.array_equal(model.doc_topic, gamma / gamma.sum(axis=1, keepdims=True))
    bound = direct.bound(bow, gamma=gamma[:, None, :])
    assert model.perplexity == math.exp(-bound / space.counts.sum())
    # inference started from another seed converges to the same shares, to gensim's tolerance
    direct.random_state = np.random.RandomState(0)
    other, _ = direct.inference(bow)
    assert np.abs(other / other.sum(axis=1, keepdims=True) - model.doc_topic).max() < 1e-3


def test_topic_terms_normalises_weights_and_breaks_ties_by_term():
    space = vectorize([("d1", ["a", "b", "c"]), ("d2", ["a", "c"]), ("d3", ["b"])])
    pseudo_counts = [[1.0, 1.0, 2.0], [3.0, 1.0, 1.0]]  # by hand: rows sum to 4 and 5
    shares = [[1.0, 1.0], [2.0, 0.0], [0.0, 5.0]]
    model = engines.ENGINES["sklearn"].fitted(space, 2, 0, 1, {}, pseudo_counts, shares, float("nan"))
    assert model.doc_topic.tolist() == [[0.5, 0.5], [1.0, 0.0], [0.0, 1.0]]
    table = topics.topic_terms(model, space, top_n=2)
    assert list(table.columns) == ["topic", "rank", "term", "weight"]
    assert table[["topic", "rank", "term"]].values.tolist() == [[0, 1, "c"], [0, 2, "a"], [1, 1, "a"], [1, 2, "b"]]
    assert table["weight"].tolist() == pytest.approx([0.5, 0.25, 0.6, 0.2])
    assert topics.top_term_lists(topics.topic_terms(model, space, top_n=10)) == [["c", "a", "b"], ["a", "b", "c"]]


def test_models_of_another_vocabulary_are_refused():
    other = vectorize([("d1", ["a", "b"]), ("d2", ["b", "c"]), ("d3", ["c"])])
    with pytest.raises(ValueError, match="has 16 terms but the vector space has 3; pass the VectorSpace the model"):
        topics.topic_terms(fitted("gensim", 0), other)
    with pytest.raises(TypeError, match="fit one with analysis.models.fit"):
        topics.doc_topics(object(), other)


@pytest.mark.parametrize("engine", ENGINES)
def test_models_of_other_documents_are_refused(engine):
    same_vocabulary_other_order = vectorize(list(reversed(CLEAR_DOCS)))
    assert same_vocabulary_other_order.vocabulary == clear_space().vocabulary
    for table in (topics.doc_topics, topics.topic_terms, topics.perplexity, topics.distinctive_terms):
        with pytest.raises(ValueError, match="training documents.*pass the VectorSpace the model was fitted on"):
            table(fitted(engine, 0), same_vocabulary_other_order)


@pytest.mark.parametrize("engine", ENGINES)
def test_fit_keeps_each_engines_settings_and_its_own_perplexity(engine):
    # the adapter's numbers are the library's, called directly with the settings each engine always had
    space = clear_space()
    model = fitted(engine, 0)
    direct = library_model(engine, space, 2, 0, sweeps=model.sweeps_run)
    assert np.array_equal(model.topic_term, library_topic_term(engine, direct, space))
    value = topics.perplexity(model, space)
    assert value > 1 and math.isfinite(value)
    if engine.startswith("sklearn"):
        assert value == direct.perplexity(space.counts)
        shares = direct.transform(space.counts)
        assert np.array_equal(model.doc_topic, shares / shares.sum(axis=1, keepdims=True))
    elif engine == "tomotopy":  # the last Gibbs sample's log-likelihood per token
        assert value == pytest.approx(math.exp(-direct.ll_per_word), rel=1e-12)
    else:  # same bound, inference started from another random point, converged to gensim's tolerance
        assert value == pytest.approx(math.exp(-direct.log_perplexity(space.bow())), rel=1e-4)


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
    with pytest.raises(ValueError, match="topic 0 is the str 'abc'"):  # one topic passed where a list of topics was due
        selection.topic_diversity(["abc", "de"])


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

    table = pd.DataFrame(
        {
            "k": [2, 3, 4],
            "c_npmi": [-0.05, -0.06, -0.04],
            "stability": [0.55, 0.45, 0.46],
            "c_npmi_sd": [0.02, 0.02, 0.03],
        }
    )
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
    for engine in engines.ENGINES:
        with pytest.raises(ValueError, match=r"too few documents \(3\) for 3 topics"):
            engines.fit(small, 3, random_state=0, engine=engine)


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
    assert engines.is_deterministic("sklearn-online", workers=2)  # joblib spreads E-steps without changing them
    assert "workers update the topics" in engines.ENGINES["gensim-multicore"].nondeterministic()
    assert engines.engine_note("gensim-multicore").startswith("gensim LdaMulticore: NOT reproducible (")
    assert engines.engine_note("tomotopy") == "tomotopy (Gibbs sampling): deterministic for a fixed seed"
    assert "NOT reproducible" in engines.engine_note("tomotopy", workers=2)
    with pytest.raises(ValueError, match="unknown engine 'mallet'"):
        engines.is_deterministic("mallet")


def test_multicore_gensim_fits_through_the_same_adapter():
    model = engines.fit(clear_space(), 2, 0, "gensim-multicore")
    assert model.engine == "gensim-multicore" and model.workers == 2  # it never runs on one process
    assert model.doc_topic.shape == (len(CLEAR_DOCS), 2) and model.topic_term.shape == (2, 16)
    assert model.params == {"passes": 10, "iterations": 50, "alpha": "symmetric"}


def test_tomotopy_fit_is_tied_to_its_documents():
    model = fitted("tomotopy", 0)
    assert model.doc_topic.shape == (len(CLEAR_DOCS), 2)
    assert model.topic_term.sum(axis=1) == pytest.approx(1.0, abs=1e-12)
    same_vocabulary_other_docs = vectorize(list(reversed(CLEAR_DOCS)))
    with pytest.raises(ValueError, match="pass the VectorSpace the model was fitted on"):
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
    for measure in selection.COHERENCE_MEASURES:  # the sweep's table is rounded to 6 decimals (analysis.precision)
        assert table.loc[0, measure] == round_value(
            selection.coherence(heads, CLEAR_TOKENS, space, measure)[0], measure
        )


# --- the engine registry ---------------------------------------------------------------------------------------


def test_registry_lists_the_engines_in_order_with_their_labels():
    assert list(engines.ENGINES)[:5] == ["gensim", "gensim-multicore", "sklearn", "sklearn-online", "tomotopy"]
    assert engines.DEFAULT_ENGINE in engines.ENGINES
    assert dict(engines.ENGINE_LABELS) == {name: engine.label for name, engine in engines.ENGINES.items()}
    assert engines.ENGINE_LABELS["gensim"] == "gensim LdaModel"
    for name, engine in engines.ENGINES.items():
        assert engine.name == name and engine.defaults  # every hyperparameter has a default
    with pytest.raises(ValueError, match="unknown engine 'mallet'; use one of gensim, gensim-multicore, sklearn"):
        engines.fit(clear_space(), 2, 0, "mallet")


class CountNMF(engines.Engine):
    """A toy engine: scikit-learn's NMF on TF-IDF (NMF factorises weights, not counts), no likelihood."""

    name = "nmf-test"
    label = "scikit-learn NMF (test)"
    defaults = {"max_iter": 500}  # enough for the two clear topics to converge

    def fit(self, space, k, random_state, workers, **params):
        from sklearn.decomposition import NMF

        model = NMF(n_components=k, init="nndsvda", max_iter=params["max_iter"], random_state=random_state)
        doc_weights = model.fit_transform(space.tfidf)
        doc_weights[doc_weights.sum(axis=1) == 0] = 1.0  # a document NMF leaves out gets equal shares
        return self.fitted(space, k, random_state, 1, params, model.components_, doc_weights, float("nan"))


@pytest.fixture
def nmf_engine():
    engine = engines.register_engine(CountNMF())  # the one registry line a new engine needs
    yield engine
    del engines.ENGINES[engine.name]
    assert engine.name not in models.ENGINE_LABELS


def test_a_new_engine_is_one_class_and_one_registry_line(nmf_engine):
    space = clear_space()
    assert models.ENGINE_LABELS["nmf-test"] == "scikit-learn NMF (test)"
    assert models.engine_note("nmf-test") == "scikit-learn NMF (test): deterministic for a fixed seed"
    model = models.fit(space, 2, 0, "nmf-test")
    assert model.engine == "nmf-test" and model.params == {"max_iter": 500} and math.isnan(model.perplexity)
    heads = [set(terms[:5]) for terms in topics.top_term_lists(topics.topic_terms(model, space, 8))]
    assert sorted(head <= set(FRUIT) for head in heads) == [False, True]
    shares = topics.doc_topics(model, space)
    assert shares.groupby("doc_id")["share"].sum().to_numpy() == pytest.approx(1.0, abs=1e-12)
    assert topics.distinctive_terms(model, space, 3)["topic"].nunique() == 2
    # two worker processes: the sweep sends them the engine object, which the parent alone registered
    table = selection.sweep(space, CLEAR_TOKENS, [2, 3], [0, 1], engine="nmf-test", top_n=8, progress=False, workers=2)
    assert table["engine"].tolist() == ["nmf-test", "nmf-test"] and table["perplexity"].isna().all()
    assert table.loc[0, "stability"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="'max_iters'.*engine 'nmf-test'; it accepts: max_iter"):
        models.fit(space, 2, 0, "nmf-test", max_iters=5)


def test_register_engine_refuses_classes_and_taken_names():
    with pytest.raises(TypeError, match="Engine instance"):
        engines.register_engine(CountNMF)

    class Impostor(CountNMF):
        name = "gensim"

    with pytest.raises(ValueError, match="'gensim' is already registered"):
        engines.register_engine(Impostor())
    assert isinstance(engines.ENGINES["gensim"], engines.GensimEngine)


def test_fit_passes_hyperparameters_to_the_engine():
    from sklearn.decomposition import LatentDirichletAllocation

    space = clear_space()
    short = engines.fit(space, 2, 0, "sklearn", max_iter=5)
    assert short.params == {"max_iter": 5} and fitted("sklearn", 0).params == {"max_iter": 30}
    assert not np.array_equal(short.topic_term, fitted("sklearn", 0).topic_term)
    direct = LatentDirichletAllocation(n_components=2, learning_method="batch", max_iter=5, random_state=0, n_jobs=1)
    weights = direct.fit(space.counts).components_
    assert np.array_equal(short.topic_term, weights / weights.sum(axis=1, keepdims=True))
    assert short.perplexity == direct.perplexity(space.counts)


def test_fit_refuses_hyperparameters_the_engine_does_not_have():
    space = clear_space()
    with pytest.raises(ValueError, match="'passes' for engine 'sklearn'; it accepts: max_iter"):
        engines.fit(space, 2, 0, "sklearn", passes=5)
    with pytest.raises(ValueError, match="it accepts: passes, iterations, alpha"):
        engines.fit(space, 2, 0, "gensim", max_iter=5)
    with pytest.raises(ValueError, match="max_iter must be a positive integer, got 0"):
        engines.fit(space, 2, 0, "sklearn", max_iter=0)
    with pytest.raises(ValueError, match="workers must be a positive integer"):
        engines.fit(space, 2, 0, "tomotopy", workers=0)
    with pytest.raises(ValueError, match="'iterations' for engine 'sklearn'"):  # before any fit starts
        selection.sweep(space, CLEAR_TOKENS, [2], [0], engine="sklearn", progress=False, params={"iterations": 3})


def test_sweep_passes_hyperparameters_to_every_fit():
    space = clear_space()
    table = selection.sweep(space, CLEAR_TOKENS, [2], [0], "sklearn", progress=False, workers=1, params={"max_iter": 5})
    assert table.loc[0, "perplexity"] == round_value(
        engines.fit(space, 2, 0, "sklearn", max_iter=5).perplexity, "perplexity"
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_fitted_topics_pickle_and_compare_equal(engine):
    model = fitted(engine, 0)
    again = pickle.loads(pickle.dumps(model))
    assert again == model and again is not model
    assert again != fitted(engine, 1)
    assert not again.topic_term.flags.writeable and not again.doc_topic.flags.writeable
    plain = (str, int, float, tuple, np.ndarray)
    assert all(isinstance(getattr(again, name), plain) for name in ("engine", "k", "topic_term", "doc_ids"))
    assert dict(again.params) == dict(engines.ENGINES[engine].defaults) and again.random_state == 0
    assert repr(again).startswith(f"FittedTopics(engine={engine!r}, k=2, 40 documents × 16 terms")


def test_fitted_topics_refuse_arrays_that_are_not_distributions():
    good = fitted("sklearn", 0)
    fields = {
        "engine": "x",
        "k": 2,
        "doc_ids": good.doc_ids,
        "n_terms": 16,
        "perplexity": 1.0,
        "random_state": 0,
        "params": {},
        "workers": 1,
    }
    with pytest.raises(ValueError, match="topic_term has a row summing to 1"):
        engines.FittedTopics(topic_term=good.topic_term * 2, doc_topic=good.doc_topic, **fields)
    with pytest.raises(ValueError, match=r"doc_topic has shape \(40, 3\), expected \(40, 2\)"):
        engines.FittedTopics(topic_term=good.topic_term, doc_topic=np.full((40, 3), 1 / 3), **fields)


# --- training by convergence ------------------------------------------------------------------------------------


def _trainer(values):
    """A fake ``train(n)``: the log-likelihood after each chunk, and the chunk sizes asked for."""
    asked = []
    readings = iter(values)

    def train(n):
        asked.append(n)
        return next(readings)

    return train, asked


def test_training_stops_once_the_likelihood_has_rested_for_the_patience():
    # rises, then a ledge of readings within the tolerance: stops 50 sweeps after the last real rise
    train, asked = _trainer([-9.0, -8.5, -8.2, -8.1995, -8.1992, -8.1999, -8.1991, -8.1993, -8.0, -7.9])
    assert engines.sweeps_to_convergence(train, 1000, 10, 50, 0.001) == 80
    assert asked == [10] * 8


def test_a_climb_after_a_ledge_restarts_the_patience():
    ledge = [-8.2] * 4
    train, _ = _trainer([-9.0, -8.2, *ledge, -8.0, -7.99, *[-7.99] * 6])
    assert engines.sweeps_to_convergence(train, 1000, 10, 50, 0.001) == 130


def test_training_runs_to_the_most_sweeps_while_still_rising_with_a_short_last_chunk():
    train, asked = _trainer([-9.0 + 0.1 * i for i in range(20)])
    assert engines.sweeps_to_convergence(train, 95, 10, 50, 0.001) == 95
    assert asked == [10] * 9 + [5]


def test_tomotopy_records_its_sweeps_and_stops_before_the_most_on_clear_topics():
    model = fitted("tomotopy", 0)
    assert 0 < model.sweeps_run < model.params["iterations"]
    longer = engines.fit(clear_space(), 2, 0, "tomotopy", patience=1000)
    assert longer.sweeps_run == longer.params["iterations"]


def test_tomotopy_refuses_a_negative_tolerance():
    with pytest.raises(ValueError, match="tolerance"):
        engines.fit(clear_space(), 2, 0, "tomotopy", tolerance=-1)


# --- a token budget: topics from a seeded sample, every document's shares inferred ---------------------------


def test_training_sample_takes_every_document_with_words_within_the_budget():
    lengths = np.array([3, 0, 5, 2])
    assert engines.training_sample(lengths, 10, 0) == [0, 2, 3]
    assert engines.training_sample(lengths, None, 0) == [0, 2, 3]


def test_training_sample_over_the_budget_is_seeded_minimal_and_in_corpus_order():
    lengths = np.arange(100) % 7  # some documents have no words
    chosen = engines.training_sample(lengths, 60, 3)
    assert chosen == sorted(chosen) and all(lengths[row] > 0 for row in chosen)
    assert int(lengths[chosen].sum()) >= 60
    # minimal: the documents drawn before the last one hold fewer tokens than the budget
    order = np.random.default_rng(3).permutation(np.flatnonzero(lengths))
    assert set(order[: len(chosen)].tolist()) == set(chosen)
    assert int(lengths[order[: len(chosen) - 1]].sum()) < 60
    assert engines.training_sample(lengths, 60, 3) == chosen
    assert engines.training_sample(lengths, 60, 4) != chosen


def test_tomotopy_within_its_budget_trains_on_every_document():
    model = fitted("tomotopy", 0)
    assert model.sample_docs == 0
    assert model.params["train_tokens"] == engines.ENGINES["tomotopy"].defaults["train_tokens"]


def test_tomotopy_over_its_budget_learns_from_a_sample_and_infers_every_share():
    space = clear_space()  # 40 documents of 12 tokens
    model = engines.fit(space, 2, 0, "tomotopy", train_tokens=120)
    assert model.sample_docs == 10
    assert model.doc_topic.shape == (40, 2)
    assert model.doc_topic.sum(axis=1) == pytest.approx(1.0, abs=1e-12)
    # documents never trained on get their shares from the learned topics: fruit and vehicles apart
    fruit_topic = model.doc_topic[:20].mean(axis=0).argmax()
    assert (model.doc_topic[:20, fruit_topic] > 0.8).all()
    assert (model.doc_topic[20:, 1 - fruit_topic] > 0.8).all()
    again = engines.fit(space, 2, 0, "tomotopy", train_tokens=120)
    assert np.array_equal(model.doc_topic, again.doc_topic) and np.array_equal(model.topic_term, again.topic_term)


def test_tomotopy_over_its_budget_gives_equal_shares_to_a_document_of_unseen_words():
    docs = [*CLEAR_DOCS, ("odd", ["zebra", "zither"] * 3)]
    space = vectorize(docs)
    row = space.doc_ids.index("odd")
    lengths = np.asarray(space.counts.sum(axis=1)).ravel()
    seed = next(s for s in range(100) if row not in engines.training_sample(lengths, 60, s))
    model = engines.fit(space, 2, seed, "tomotopy", train_tokens=60)
    assert 0 < model.sample_docs < len(space.doc_ids)
    assert model.doc_topic[row].tolist() == [0.5, 0.5]


@pytest.mark.parametrize("budget", [0, -5, 2.5, "many"])
def test_tomotopy_refuses_a_budget_that_is_not_a_positive_count(budget):
    with pytest.raises(ValueError, match="train_tokens"):
        engines.fit(clear_space(), 2, 0, "tomotopy", train_tokens=budget)


def test_tomotopy_without_a_budget_trains_on_every_token():
    model = engines.fit(clear_space(), 2, 0, "tomotopy", train_tokens=None)
    assert model.sample_docs == 0 and model.params["train_tokens"] is None


def test_training_note_says_what_the_topics_were_learned_from():
    assert engines.training_note(fitted("tomotopy", 0)) == "topics learned from every document"
    sampled = engines.fit(clear_space(), 2, 0, "tomotopy", train_tokens=120)
    assert engines.training_note(sampled) == (
        "topics learned from a seeded sample of 10 of 40 documents (about 120 tokens); "
        "every document's shares computed from them"
    )


@pytest.mark.parametrize("value", [0, -1e-3, True, "small"])
def test_tomotopy_refuses_an_infer_tolerance_that_is_not_above_zero(value):
    with pytest.raises(ValueError, match="infer_tolerance must be a share above 0"):
        engines.fit(clear_space(), 2, 0, "tomotopy", infer_tolerance=value)


@pytest.mark.parametrize(
    ("train_tokens", "k", "budget"), [(1000, 2, 1000), (1000, 20, 1000), (1000, 30, 1500), (None, 50, None)]
)
def test_token_budget_grows_with_topics_above_twenty(train_tokens, k, budget):
    assert engines.token_budget(train_tokens, k) == budget


def test_tomotopy_budget_of_more_topics_trains_on_more_documents():
    docs = [(f"d{i}", [f"w{(i * 7 + j) % 90}" for j in range(12)]) for i in range(200)]
    space = vectorize(docs)
    lengths = np.asarray(space.counts.sum(axis=1)).ravel()
    for k in (20, 40):
        model = engines.fit(space, k, 0, "tomotopy", train_tokens=600, iterations=20)
        assert model.sample_docs == len(engines.training_sample(lengths, engines.token_budget(600, k), 0))
    assert engines.fit(space, 40, 0, "tomotopy", train_tokens=600, iterations=20).sample_docs == 100
