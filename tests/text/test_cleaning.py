"""Cleaning steps on examples checkable by eye, plus property tests on arbitrary Unicode."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.pipeline import workflow
from analysis.text import cleaning as cl
from analysis.text import lexicon as lx


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

WEB_PIECES = list("abcdeMEKPoi sS'’`&;#x0123456789,.-—\n\t\r\x01\x1c\x0b\u00a0é\u0301İ@/:[]()") + [
    "&amp;",
    "&#39;",
    "mek's",
    "maryam rajavi",
    "PMOI/MEK",
    "People's Mojahedin Organization of Iran",
    " the ",
    "https://",
    "www.",
    ".com",
    ".org",
    ".html",
    "example",
    "[at]",
    " (dot) ",
    "U.S.",
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


# --- web addresses ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("See https://www.example.com/news/a.html?x=1&y=2, then", ["See", "then"]),
        ("get ftp://files.example.org/pub/x.tar.gz now", ["get", "now"]),
        ("Visit www.example.com/path today", ["Visit", "today"]),
        ("WWW.EXAMPLE.COM in capitals", ["in", "capitals"]),
        ("at example.com/news/x.html today", ["at", "today"]),
        ("Read it on example.org.", ["Read", "it", "on"]),
        ("The bbc.co.uk site", ["The", "site"]),
        ("Copyright 2018 MEK-Iran.com. All", ["Copyright", "2018", "All"]),
        ("open index.html first", ["open", "first"]),
        ("Mail jane.doe+news@mail.example.co.uk!", ["Mail"]),
        ("write to mailto:press@example.org please", ["write", "to", "please"]),
        ("jane [at] example [dot] com or jane (at) example (dot) org", ["or"]),
        ("follow @jack and @some.one today", ["follow", "and", "today"]),
        ("@user@mastodon.social said hi", ["said", "hi"]),
        ("pic.twitter.com/3Bdn and https://t.co/XPxU", ["and"]),
    ],
)
def test_addresses_are_removed_before_tokenising(text, kept):
    assert cl.tokenise(cl.remove_addresses(cl.normalise(text))) == kept


@pytest.mark.parametrize(
    "text",
    [
        "in 2019.Next year",  # a sentence run into the next
        "the U.S. and the U.K. and U.S.A.",  # dotted abbreviations
        "version 2.0 of v3.10.1",  # versions
        "3.5 km and 0.25",  # decimals
        "e.g. i.e. a.m. Ph.D. etc.",
        "the end.it was over",  # a country code that is also a word
        "node.js and ASP.NET",  # names with a dot, not domains
        "St.Louis/Missouri and km/h and and/or",
        "No.1 hit for US$3.5bn",
        "email me at home",
        "#FreeIran now",
    ],
)
def test_text_that_only_looks_like_an_address_stays(text):
    assert cl.remove_addresses(text) == text


def test_find_addresses_names_each_kind():
    text = "See https://x.org/a, mail a@b.com, on example.org, page.html, @jack."
    assert cl.find_addresses(text) == [
        ("url", "https://x.org/a,"),
        ("email", "a@b.com"),
        ("domain", "example.org"),
        ("file", "page.html"),
        ("handle", "@jack"),
    ]


def test_regression_address_fragments_never_become_terms(config):
    """Issue 10: about 250 tokens such as "https", "www", "com" came from addresses on 48 real pages."""
    text = (
        "Governor @MattBevin has done a job https://t.co/XPxUJuyIAC pic.twitter.com/3BDnrvkoms. "
        "Details at www.earbooks.net/en and Browserbench.org; write to news@example.com or read "
        "example.com/news/story.html and http://www.example.org/index.htm."
    )
    tokens = cl.clean(text, config)
    assert tokens == ["governor", "job", "detail", "write", "read"]
    assert tokens == cl.clean_by_steps(text, config)


def test_hashtags_keep_their_word(config):
    assert cl.clean("#FreeIran rally in #Paris", config) == ["freeiran", "rally", "paris"]


def test_explain_shows_the_addresses_step(config):
    steps = dict(cl.explain("The MEK (mek-iran.com, @iran_mek) said: see https://x.org/a.", config))
    assert steps["normalise"] == "The MEK (mek-iran.com, @iran_mek) said: see https://x.org/a."
    assert cl.tokenise(steps["addresses"]) == ["The", "MEK", "said", "see"]
    assert steps["short tokens"] == "mek"


def test_alias_counts_skip_addresses(config):
    assert cl.alias_counts("PMOI said so on pmoi.org and www.pmoi.com", config) == {("mek", "pmoi"): 1}


ADDRESS_PIECES = list("ab.-_@:/[]() \t\x1c") + [
    "at",
    "AT",
    "dot",
    "DOT",
    "www",
    "WWW",
    "Www",
    "http",
    "com",
    "org",
    "html",
    "1",
    "é",
]


@given(st.lists(st.sampled_from(ADDRESS_PIECES), max_size=30).map("".join))
def test_every_address_contains_a_hint(text):
    """The quick scan that lets a paragraph skip the full pattern never misses an address."""
    if cl._ADDRESS.search(text):
        assert cl._ADDRESS_HINT.search(text)
    assert cl.remove_addresses(text) == cl._ADDRESS.sub(" ", text)


@pytest.mark.parametrize("separator", [" ", "\t", "\x1c", "\x0b", "\r\n", "\u00a0"])
def test_fast_cleaning_equals_the_steps_around_addresses(config, separator):
    text = separator.join(["see", "https://x.org/a", "mail", "a@b.com", "on", "example.org", "@jack", "ends"])
    assert cl.clean(text, config) == cl.clean_by_steps(text, config) == ["mail", "end"]


# --- lemmas ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("fixes", "fix"),  # simplemma: "fixe" (issue 10)
        ("fixing", "fix"),
        ("fixed", "fix"),
        ("growing", "grow"),  # simplemma: "growe"
        ("playing", "play"),  # "playe"
        ("thinking", "think"),  # "thinke"
        ("developed", "develop"),  # "develope"
        ("cancelled", "cancel"),  # "cancell": a doubled consonant, from WordNet's exception list
        ("gone", "go"),  # "gan"
        ("worse", "bad"),  # "wrong": a word, but not one "worse" is a form of
        ("greed", "greed"),  # "gree": no dictionary form to fall back on, so the word stays
        ("unseen", "unseen"),  # "unsee"
        ("stevens", "stevens"),  # "steven"
    ],
)
def test_regression_a_word_never_becomes_a_non_word(token, expected):
    assert cl.lemma(token) == expected


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("studies", "study"),
        ("children", "child"),
        ("women", "woman"),
        ("prisoners", "prisoner"),
        ("executed", "execute"),
        ("spoke", "speak"),
        ("honoured", "honour"),
        ("mice", "mouse"),
        ("apps", "app"),  # unknown to WordNet: simplemma's lemma stands
        ("singing", "sing"),  # simplemma: "singe"; from the exceptions table
        ("wives", "wife"),  # simplemma: "wive"; from the exceptions table
        ("media", "media"),  # simplemma: "medium"; from the exceptions table
        ("rajavi", "rajavi"),
    ],
)
def test_common_words_still_lemmatise(token, expected):
    assert cl.lemma(token) == expected


def test_stopwords_and_lemmas_that_are_stopwords_are_dropped(config):
    assert cl.clean("It was having studies of children", config) == ["study", "child"]


def test_daring_is_the_verb_and_a_name_is_a_phrase(tmp_path, config):
    """Without the sentence, "daring" (adjective) and "daring" (verb form) cannot be told apart.

    The lemmatiser takes the verb, a real word; a name such as "Daring Fireball" is kept
    whole by listing it as a phrase, whose words stay as written.
    """
    assert cl.clean("Daring Fireball", config) == ["dare", "fireball"]
    listed = tmp_path / "phrases.txt"
    listed.write_text("Daring Fireball\n", encoding="utf-8")
    with_phrase = cl.CleaningConfig(stopwords=config.stopwords, phrases=cl.read_phrase_list(listed))
    assert cl.clean("Daring Fireball's review of daring apps", with_phrase) == [
        "daring_fireball",
        "review",
        "dare",
        "app",
    ]
    assert cl.clean("Daring Fireball's review", with_phrase) == cl.clean_by_steps(
        "Daring Fireball's review", with_phrase
    )


TINY = lx.EnglishLexicon(
    parts={"fix": "nv", "grow": "v", "greed": "n", "bad": "a", "wrong": "anv", "go": "v", "wive": "v", "wife": "n"},
    irregular={"worse": ("bad",), "gone": ("go",), "wives": ("wife",)},
    function_words=frozenset({"we", "us"}),
)


@pytest.mark.parametrize(
    ("token", "proposed", "expected"),
    [
        ("fixes", "fix", "fix"),  # a known, reachable lemma stands
        ("fixes", "fixe", "fix"),  # rule 2: not a word; WordNet's "es" rule gives "fix"
        ("growing", "growe", "grow"),  # rule 2: the "ing" rule
        ("worse", "wrong", "bad"),  # rule 1: a word, but "worse" is listed as a form of "bad" only
        ("gone", "gan", "go"),  # rule 2 through the exception list
        ("wives", "wive", "wive"),  # "wive" + s is reachable: that is why the table lists "wives"
        ("greed", "gree", "greed"),  # rule 3: a known word stays
        ("apps", "app", "app"),  # rule 4: nothing known, simplemma stands
        ("us", "we", "we"),  # function words are words
        ("vs", "versus", "versus"),  # one-letter entries ("v") are never a dictionary form
    ],
)
def test_check_english_lemma_rules(token, proposed, expected):
    assert lx.check_english_lemma(token, proposed, TINY) == expected


def test_the_lemma_of_every_english_word_is_a_word():
    lexicon = lx.english_lexicon()
    words = sorted(lexicon.parts.keys() | lexicon.irregular.keys())
    assert len(words) > 80_000
    not_words = [(w, cl.lemma(w)) for w in words if cl.lemma(w) != w and not lexicon.knows(cl.lemma(w))]
    assert not_words == []


def test_every_lemma_exception_is_applied_and_is_a_word():
    lexicon = lx.english_lexicon()
    assert {"fixes", "daring"}.isdisjoint(lexicon.exceptions)  # handled by the rule, decided by the rule
    for token, lemma in lexicon.exceptions.items():
        assert cl.lemma(token) == lemma
        assert lemma == token or lexicon.knows(lemma)


def test_other_languages_are_not_checked_against_english():
    assert cl.lemma("häuser", "de") == "haus"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("token,lemma,reason\nfixes,fix,\n", "needs a token, a lemma and a reason"),
        ("token,lemma,reason\nfixes,fix,why\nFixes,fix,again\n", "listed twice"),
    ],
)
def test_bad_lemma_exception_rows_are_reported(tmp_path, rows, message):
    table = tmp_path / "lemma_exceptions.csv"
    table.write_text("# a comment\n" + rows, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        lx.read_lemma_exceptions(table)


def test_english_words_table_from_wordnet_files(tmp_path):
    files = {
        "index.noun": "  1 this software\nfix n 1 1 @ 1 0 1\nwife n 1 1 @ 1 0 1\nprix_fixe n 1 1 @ 1 0 1\n",
        "index.verb": "fix v 1 1 @ 1 0 1\nwive v 1 1 @ 1 0 1\ngo v 1 1 @ 1 0 1\n",
        "index.adj": "",
        "index.adv": "",
        "noun.exc": "wives wife\nphenomena phenomenon\n",
        "verb.exc": "gone go\n",
        "adj.exc": "",
        "adv.exc": "",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    table = lx.english_words_table(tmp_path)
    assert table.startswith("# English words") and "WordNet 3.0 Copyright 2006" in table
    rows = [line for line in table.splitlines() if not line.startswith("#")]
    assert rows == [
        "word\tparts\tirregular_of",
        "fix\tnv\t",
        "go\tv\t",
        "gone\t\tgo",
        "wife\tn\t",
        "wive\tv\t",
        "wives\t\twife",
    ]
    written = lx.write_english_words(tmp_path, tmp_path / "words.tsv.gz")
    first = written.read_bytes()
    assert lx.write_english_words(tmp_path, written).read_bytes() == first  # byte-identical re-runs
    parts, irregular = lx.read_english_words(written)
    assert parts == {"fix": "nv", "go": "v", "wife": "n", "wive": "v"}
    assert irregular == {"gone": ("go",), "wives": ("wife",)}


def test_address_counts_by_kind():
    text = "Mail a@b.com or c&#64;d.org, see https://x.org/a and www.y.com, ask @jack and @jill."
    assert cl.address_counts(text) == {"email": 2, "url": 2, "handle": 2}


# --- many texts at once ----------------------------------------------------------------------------------------

BATCH_TEXTS = [
    "The People\u2019s Mojahedin Organization of Iran (PMOI/MEK) and Mujahedin-e Khalq, the PMOI.",
    "Maryam Rajavi spoke of mass grave sites and the 1988 massacre; USA USA, the U.S. and U.N.",
    "In 1988, 30,000 prisoners; 0,0 and 3,5 km, 1,000 or 12,345,678 and 3.5 or 2019.Next",
    "Free Iran rally: free people, human rights, humans' rights, the Islamic Revolutionary Guard Corps.",
    "see https://x.org/a mail a@b.com on example.org @jack ends, www.example.com/news.html",
    "Corresponding,Ones,Relaxation,Times and end.It was; a 28-year-old, 15-member (PMOI/MEK)",
    "The 1950S-era and 21ST-century 1950s 54th 3RD-rate 1sT-x 7Th US1,000 A8,800",
    "Caf\u00e9 \u201cna\u00efve\u201d r\u00e9sum\u00e9 \u2014 \u0130stanbul & co &amp; MEK\u2019s \ufb01nance",
    "",
    "   \n\t ",
    "line one\r\nline two\x0bthree\x1cfour",
]


def test_clean_texts_equals_the_steps_text_by_text(config):
    assert cl.clean_texts(BATCH_TEXTS, config) == [cl.clean_by_steps(text, config) for text in BATCH_TEXTS]
    assert cl.clean_texts(iter(BATCH_TEXTS), config) == [cl.clean(text, config) for text in BATCH_TEXTS]


def test_clean_texts_keeps_order_and_empty_texts(config):
    assert cl.clean_texts(["", "Maryam Rajavi", ""], config) == [[], ["maryam_rajavi"], []]
    assert cl.clean_texts([], config) == []


def test_clean_texts_wants_many_texts_not_one(config):
    with pytest.raises(ValueError, match="iterable of texts"):
        cl.clean_texts("Maryam Rajavi", config)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1950S-era", ["1950s-era"]),  # a capital after a digit: not a number ending, so one token
        ("1950s-era", ["1950s", "era"]),
        ("1sT-x", ["1st-x"]),
        ("U.S. and U.N.", ["united_states"]),  # "un" is a stopword
        ("in 2019.Tirana talks", ["2019", "tirana", "talk"]),
        ("30,000 and 3,5 but word,word", ["30000", "3,5", "word", "word"]),
    ],
)
def test_regression_case_and_punctuation_of_plain_ascii_pieces(config, text, expected):
    """Plain ASCII text is split in lower case without the punctuation no token contains."""
    assert cl.clean(text, config) == cl.clean_by_steps(text, config) == expected


PIECE_TEXT = st.lists(
    st.sampled_from([*WEB_PIECES, "1950S", "21ST", "3Rd", "7tH", "-era", ",", ".", "9", "A", "Z", "s", "t", " "]),
    max_size=40,
).map("".join)


@given(PIECE_TEXT)
def test_pieces_hold_the_tokens_of_the_text(text):
    """Tokenising the pieces gives the tokens of the normalised text without addresses (case folded)."""
    from_pieces = [token for piece in cl._pieces(text) for token in cl.tokenise(piece)]
    whole = cl.tokenise(cl.remove_addresses(cl.normalise(text)))
    assert cl.lowercase(from_pieces) == cl.lowercase(whole)


@given(st.lists(PIECE_TEXT, max_size=8))
def test_clean_texts_equals_the_steps_on_web_like_texts(config, texts):
    assert cl.clean_texts(texts, config) == [cl.clean_by_steps(text, config) for text in texts]


def test_a_full_piece_memo_starts_afresh_with_the_same_tokens(monkeypatch):
    config = cl.default_config()
    texts = ["The MEK's founders met in Paris.", "Maryam Rajavi spoke in 1988, in Paris.", "Paris, 30,000 people."]
    expected = [cl.clean_by_steps(text, config) for text in texts]
    monkeypatch.setattr(cl, "MAX_MEMO_PIECES", 3)
    fresh = cl.CleaningConfig(config.stopwords, config.aliases, config.phrases)
    assert cl.clean_texts(texts * 3, fresh) == expected * 3
    assert len(cl._token_memo(fresh).pieces) <= 3 + max(len(text.split()) for text in texts)
