"""Cleaning steps on examples checkable by eye, plus property tests on arbitrary Unicode."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.pipeline import workflow
from analysis.text import cleaning as cl


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("MEK\u2019s &amp; \u201cfounders\u201d", 'MEK\'s & "founders"'),
        ("a\u00a0b\u202fc", "a b c"),
        ("wait\u2026", "wait..."),
        ("MEK\u2014Mohammad", "MEK - Mohammad"),
        ("in\u00adter\u200bnational", "international"),
        ("&amp;lt;b&amp;gt;", "<b>"),
        ("line one  \r\n  line\ttwo", "line one\nline two"),
        ("\ufb01nance", "finance"),
    ],
)
def test_normalise(raw, expected):
    assert cl.normalise(raw) == expected


def test_tokenise_keeps_numbers_hyphenated_names_and_abbreviations():
    text = "In 1988, 30,000 prisoners; the Mujahedin-e Khalq's 54th year, U.S. and the 1950s."
    assert cl.tokenise(text) == [
        "In",
        "1988",
        "30000",
        "prisoners",
        "the",
        "Mujahedin-e",
        "Khalq's",
        "54th",
        "year",
        "U.S.",
        "and",
        "the",
        "1950s",
    ]


def test_possessives():
    assert cl.strip_possessives(["mek's", "mullahs'", "they're", "'"]) == ["mek", "mullahs", "they're"]


def test_aliases_merge_names_of_one_entity(config):
    tokens = cl.strip_possessives(
        cl.lowercase(
            cl.tokenise(
                cl.normalise("The People’s Mojahedin Organization of Iran (PMOI/MEK) and Mujahedin-e Khalq, the PMOI.")
            )
        )
    )
    assert cl.merge_aliases(tokens, config) == ["the", "mek", "and", "mek", "the", "mek"]


def test_alias_counts_report_what_was_merged(config):
    counts = cl.alias_counts("PMOI, the MEK and Mujahedin-e Khalq; the PMOI again.", config)
    assert counts == {("mek", "pmoi"): 2, ("mek", "mujahedin-e khalq"): 1}


def test_phrases_match_inflected_forms(config):
    assert cl.clean("Maryam Rajavi spoke of mass grave sites and the 1988 massacre.", config) == [
        "maryam_rajavi",
        "speak",
        "mass_graves",
        "site",
        "1988_massacre",
    ]


def test_stopwords_are_explicit():
    bare = cl.CleaningConfig(stopwords=frozenset(), lemmatize=False)
    assert cl.clean("the regime and the people", bare) == ["the", "regime", "and", "the", "people"]
    custom = cl.CleaningConfig(stopwords=frozenset({"the", "and", "regime"}), lemmatize=False)
    assert cl.clean("the regime and the people", custom) == ["people"]


def test_default_config_reads_shipped_lists(config):
    assert {"the", "said", "mrs"} <= config.stopwords
    assert "found" not in config.stopwords  # a content word the scikit-learn list wrongly contains
    assert config.aliases[("pmoi",)] == "mek"
    assert ("maryam", "rajavi") in config.phrases


def test_explain_shows_every_step(config):
    rows = cl.explain("The MEK’s founders were honoured.", config)
    assert [name for name, _ in rows] == ["input"] + [name for name, _ in cl.STEPS]
    steps = dict(rows)
    assert steps["normalise"] == "The MEK's founders were honoured."
    assert steps["possessives"] == "the mek founders were honoured"
    assert steps["stopwords"] == "mek founders honoured"
    assert steps["short tokens"] == "mek founder honour"


def test_learn_phrases_joins_frequent_pairs():
    docs = [["human", "rights", "report", "iran"], ["human", "rights", "monitor"], ["rights", "human"]] * 5
    phrases = cl.learn_phrases(docs, min_count=3, threshold=0.3)
    assert phrases[["human", "rights", "report"]] == ["human_rights", "report"]


def test_bad_alias_row_is_reported(tmp_path):
    table = tmp_path / "aliases.csv"
    table.write_text("canonical,variant\nMEK,PMOI\nNCRI,PMOI\n", encoding="utf-8")
    with pytest.raises(ValueError, match="listed under two names"):
        cl.read_alias_table(table)


@given(st.text())
def test_cleaning_never_raises(config, text):
    tokens = cl.clean(text, config)
    assert all(isinstance(t, str) and t and " " not in t for t in tokens)


@given(st.text())
def test_normalise_is_idempotent(text):
    once = cl.normalise(text)
    assert cl.normalise(once) == once


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_explain_never_raises(config, text):
    assert len(cl.explain(text, config)) == len(cl.STEPS) + 1


def test_regression_form_feed_and_separators_split_words():
    assert cl.tokenise(cl.normalise("word\x0cnext\x1fthird\u2028fourth")) == ["word", "next", "third", "fourth"]


def test_regression_turkish_dotted_capital_i():
    assert cl.lowercase(["İstanbul", "Istanbul"]) == ["istanbul", "istanbul"]


def test_regression_combining_marks_stay_in_words():
    assert cl.tokenise("हिन्दी भाषा") == ["हिन्दी", "भाषा"]
    assert cl.tokenise("مُجاهِدين") == ["مُجاهِدين"]


# --- the fast path equals the steps ----------------------------------------------------------------------------

WEB_PIECES = list("abcdeMEKPoi sS'’`&;#x0123456789,.-—\n\t\r\x01\u00a0é\u0301İ") + [
    "&amp;",
    "&#39;",
    "mek's",
    "maryam rajavi",
    "PMOI/MEK",
    "People's Mojahedin Organization of Iran",
    " the ",
]
WEB_TEXT = st.lists(st.sampled_from(WEB_PIECES), max_size=40).map("".join)


@given(WEB_TEXT)
def test_fast_cleaning_equals_the_steps_on_web_like_text(config, text):
    assert cl.clean(text, config) == cl.clean_by_steps(text, config)


def test_fast_cleaning_equals_the_steps_on_every_shipped_paragraph(config):
    from analysis.ingest import corpus
    from analysis.paths import ROOT

    articles = corpus.load_articles([ROOT / "seeds", ROOT / "tests" / "fixtures" / "pages"])
    texts = [p.text for p in corpus.iter_paragraphs(articles)]
    assert len(texts) > 200
    for text in texts:
        for variant in (text, text.upper(), text.encode("ascii", "ignore").decode()):
            assert cl.clean(variant, config) == cl.clean_by_steps(variant, config)


def test_tokenise_ascii_and_unicode_paths_agree():
    text = "In 1988, 30,000 U.S. prisoners' kin-folk they're 54th and 1950s MEK/PMOI"
    assert cl.tokenise(text) == cl.tokenise(text + " é")[:-1]


def test_cleaning_in_two_processes_gives_the_same_tokens(config):
    texts = [f"The MEK's founders met {i} times in Tirana; Maryam Rajavi spoke." for i in range(600)]
    assert workflow.clean_many(texts, config, workers=2, chunk_size=100) == [cl.clean(t, config) for t in texts]


def test_regression_a_decimal_comma_stays_in_its_token_and_thousands_separators_go():
    """Found by the fuzzer: "0,0" is one token as written; "1,000" loses its separator."""
    assert cl.tokenise(cl.normalise("0,0 and 3,5 km, 1,000 or 12,345,678")) == [
        "0,0",
        "and",
        "3,5",
        "km",
        "1000",
        "or",
        "12345678",
    ]
