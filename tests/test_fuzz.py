"""Fuzzing: generated inputs through normalisation, tokenisation, segmentation and keyness.

Each test states an invariant that must hold for every input, not an expected output.
The example counts below are for the "ci" profile (the default, see conftest.py) and sum to
more than 10,000; ``HYPOTHESIS_PROFILE=long`` multiplies each by :data:`LONG_FACTOR` for a
deeper local run. Count what actually ran with ``--hypothesis-show-statistics``.
"""

from __future__ import annotations

import os
import re
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix

from analysis.ingest import RemovalReason
from analysis.ingest import rules as segment_rules
from analysis.ingest import segment as seg
from analysis.pipeline.vectors import VectorSpace
from analysis.stats import keyness
from analysis.text import cleaning as cl

pytestmark = pytest.mark.slow  # builds notebooks, starts servers, or searches long (skipped by make test-fast)

LONG_FACTOR = 20
_SCALE = LONG_FACTOR if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 1


def examples(n: int):
    """Settings for one test: ``n`` examples in CI, ``n * LONG_FACTOR`` in the long profile."""
    return settings(
        max_examples=n * _SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )


#: Examples per test in the ci profile; the assertion below keeps the sum honest.
CI_EXAMPLES = {
    "normalise": 1500,
    "tokenise": 1500,
    "steps": 1000,
    "clean": 1000,
    "segment_free_text": 1500,
    "segment_pages": 1500,
    "log_likelihood": 1000,
    "log_odds": 800,
    "keyness_by_article": 300,
    "keyness_two_documents": 300,
}

WHITESPACE = re.compile(r"\s")

# --- text strategies ------------------------------------------------------------------------------

#: Characters that trouble text pipelines: every kind of space and line break, controls,
#: format characters (bidi, zero width), combining marks, surrogates, private use,
#: apostrophes and dashes, HTML-significant characters, and ordinary letters.
NASTY = (
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000"
    "\x00\x07\x1b\x7f\u200b\u200c\u200d\u2060\ufeff\u202e\u202c\u00ad"
    "\u0301\u0307\u0651\u093f"
    "'’‘`´\"“”-‐‑–—―…&;<>#/\\.,:!?()[]{}|*_~^%$@+=0123456789"
    "aeiouAEIOUstnlrSTNLRİıßœæøåçéÉñüÖ"
    "مجاهدينहिन्दीКиевΑθήνα日本語中文한국어\U0001f600\U0001d400\ue000\uffff"
)
nasty_text = st.one_of(
    st.text(alphabet=NASTY, max_size=200),
    st.text(max_size=120),  # the whole of Unicode, surrogates included
    st.lists(
        st.sampled_from(
            [
                "&amp;",
                "&nbsp;",
                "&#39;",
                "&#x2019;",
                "&lt;script&gt;",
                "&amp;amp;",
                "&",
                "&#0;",
                "&#xD800;",
                "&#1114112;",
            ]
        )
    ).map("".join),
)

WORDS = (
    "harbour ferry council plan vote port quay channel dredger market rent island "
    "regime people freedom prison family victim resistance the of and to in it was said"
).split()
NAMES = ["Jane Doe", "John Roe", "Ana María López", "Staff Writer", "Li Wei"]


def sentence(min_words: int, max_words: int, end: str = ".") -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS), min_size=min_words, max_size=max_words).map(
        lambda words: (" ".join(words).capitalize() + end) if words else end
    )


titles = st.lists(st.sampled_from(WORDS), min_size=2, max_size=12).map(lambda ws: " ".join(w.capitalize() for w in ws))
paragraphs = sentence(6, 40)
bylines = st.one_of(
    st.sampled_from(NAMES).map(lambda n: f"By {n} | March 3, 2021"),
    st.just("Staff writer"),
    st.sampled_from(NAMES).map(lambda n: f"Posted on 3 May 2021 by {n}"),
    st.just("Updated 3 hours ago"),
)
chrome = st.sampled_from(
    [
        "Share this:",
        "Read more",
        "Facebook",
        "Twitter",
        "Advertisement",
        "Home | About | Contact",
        "•",
        "***",
        "Subscribe to our newsletter",
        "Related posts",
        "- Herring quotas raised for 2021",
        "Accept",
    ]
)
tag_lines = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(lambda ws: "Tags: " + ", ".join(ws))
captions = sentence(3, 10, "").map(lambda s: "Photo: " + s)
page_line = st.one_of(
    titles, paragraphs, paragraphs, bylines, chrome, tag_lines, captions, nasty_text.map(lambda s: s.replace("\n", " "))
)


@st.composite
def pages(draw) -> str:
    """Page-like text: lines of every kind, blank runs, padding, and any line endings."""
    lines = draw(st.lists(page_line, min_size=0, max_size=25))
    out = []
    for line in lines:
        out.append(draw(st.sampled_from(["", " ", "\t", "\u00a0"])) + line)
        out.extend([draw(st.sampled_from(["", "   ", "\t"]))] * draw(st.integers(0, 4)))
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(out)


# --- normalisation and tokenisation --------------------------------------------------------------


@examples(CI_EXAMPLES["normalise"])
@given(nasty_text)
def test_normalise_is_idempotent_and_clean(text):
    once = cl.normalise(text)
    assert cl.normalise(once) == once
    assert once == once.strip()
    assert "\r" not in once and "  " not in once
    once.encode("utf-8")  # raises on a lone surrogate: normalised text must be writable


@examples(CI_EXAMPLES["tokenise"])
@given(nasty_text)
def test_tokens_are_non_empty_and_contain_no_white_space(text):  # regression: "0,0" is one token, not "00"
    normalised = cl.normalise(text)
    tokens = cl.tokenise(normalised)
    assert all(isinstance(t, str) and t and not WHITESPACE.search(t) for t in tokens)
    assert cl.tokenise(" ".join(tokens)) == tokens  # tokens survive being joined and re-split
    # only thousands separators (a comma between a digit and exactly three digits) are dropped;
    # a decimal comma ("3,5", "0,0") stays inside its token
    without_thousands = re.sub(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))", "", normalised)
    assert all(t in without_thousands or t in normalised for t in tokens)


@examples(CI_EXAMPLES["steps"])
@given(nasty_text)
def test_token_steps_keep_tokens_tokens(config, text):
    tokens = cl.tokenise(cl.normalise(text))
    lowered = cl.lowercase(tokens)
    assert len(lowered) == len(tokens) and all(t == cl.lowercase([t])[0] for t in lowered)  # idempotent
    for step in (
        cl.strip_possessives(lowered),
        cl.merge_aliases(lowered, config),
        cl.remove_stopwords(lowered, config),
    ):
        assert all(t and not WHITESPACE.search(t) for t in step)
        assert len(step) <= len(lowered)
    assert set(cl.remove_stopwords(lowered, config)) <= set(lowered)


def test_regression_lowercase_is_idempotent_for_doubly_dotted_i():
    """Found by the fuzzer: "İ" plus a combining dot above folded to "i\u0307", then to "i"."""
    once = cl.lowercase(["İ\u0307", "İstanbul"])
    assert once == ["i", "istanbul"] and cl.lowercase(once) == once


@examples(CI_EXAMPLES["clean"])
@given(nasty_text)
def test_clean_and_explain_agree(config, text):
    tokens = cl.clean(text, config)
    assert all(t and not WHITESPACE.search(t) and len(t) >= config.min_length for t in tokens)
    rows = cl.explain(text, config)
    assert [name for name, _ in rows] == ["input", *(name for name, _ in cl.STEPS)]
    assert rows[-1][1] == " ".join(tokens)


# --- segmentation --------------------------------------------------------------------------------


def page_lines(text: str) -> Counter:
    """Every non-blank line of a page, stripped: what segmentation must account for."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Counter(stripped for line in raw if (stripped := line.strip()))


def check_partition(text: str) -> list:
    """Every non-blank line ends up exactly once: a title, a body paragraph, or a removed line.

    A page dumped with a break after every element is read as its re-joined lines, so those
    are what must be accounted for; re-joining itself loses no character (see below).
    """
    articles, outside = seg.segment_page(text, RULES)
    kept = Counter(a.title for a in articles) + Counter(p for a in articles for p in a.paragraphs)
    removed = Counter(r.text for a in articles for r in a.removed) + Counter(r.text for r in outside)
    lines = seg.split_lines(text)
    expected = (
        Counter(line.text for line in seg.rejoin_fragments(lines)) if seg.is_element_dump(lines) else page_lines(text)
    )
    assert kept + removed == expected
    for article in articles:
        assert article.title and article.paragraphs
        assert set(article.captions) <= {r.text for r in article.removed if r.reason == "caption"}
        assert all(r.reason in REASONS for r in article.removed)
        numbers = [r.number for r in article.removed]
        assert numbers == sorted(numbers)
    return articles


RULES = segment_rules.default_rules()
REASONS = {str(reason) for reason in RemovalReason}


@examples(CI_EXAMPLES["segment_free_text"])
@given(nasty_text)
def test_segmentation_of_any_text_loses_and_duplicates_nothing(text):
    check_partition(text)


@examples(CI_EXAMPLES["segment_pages"])
@given(pages())
def test_segmentation_of_page_like_text_loses_and_duplicates_nothing(text):
    articles = check_partition(text)
    # line endings and blank-line padding do not change what is found
    assert [
        (a.title, a.paragraphs) for a in seg.segment_page(text.replace("\r\n", "\n").replace("\r", "\n"), RULES)[0]
    ] == [(a.title, a.paragraphs) for a in articles]


@examples(CI_EXAMPLES["segment_pages"])
@given(pages())
def test_rejoining_fragments_loses_no_character(text):
    lines = seg.split_lines(text)
    joined = seg.rejoin_fragments(lines)
    assert "".join("".join(line.text.split()) for line in joined) == "".join(
        "".join(line.text.split()) for line in lines
    )
    assert {line.number for line in joined} <= {line.number for line in lines}
    assert [line.number for line in joined] == sorted(line.number for line in joined)


def test_regression_credit_between_chrome_lines_is_kept():
    """Found by the fuzzer: a byline between two chrome lines fell out of every piece."""
    check_partition("Posted on 3 May 2021 by Staff Writer\nStaff writer\n:")
    check_partition("Share this:\nBy Jane Doe | March 3, 2021\nAdvertisement\nHarbour Plan\n" + "Word " * 12 + "end.")


# --- keyness -------------------------------------------------------------------------------------

counts_pairs = st.integers(1, 30).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 10_000), min_size=n, max_size=n),
        st.lists(st.integers(0, 10_000), min_size=n, max_size=n),
        st.integers(0, 1_000_000),
        st.integers(0, 1_000_000),
    )
)


@examples(CI_EXAMPLES["log_likelihood"])
@given(counts_pairs)
def test_log_likelihood_finite_and_antisymmetric(table):
    a, b, extra_a, extra_b = (np.asarray(x, dtype=float) for x in table)
    size_a, size_b = a.sum() + extra_a + 1, b.sum() + extra_b + 1
    forward = keyness.log_likelihood(a, b, size_a, size_b)
    backward = keyness.log_likelihood(b, a, size_b, size_a)
    assert np.all(np.isfinite(forward))
    np.testing.assert_allclose(forward, -backward, rtol=1e-9, atol=1e-9)
    assert np.all(np.sign(forward) == np.sign(a * size_b - b * size_a))
    ratio = keyness.log_ratio(a, b, size_a, size_b)
    assert np.all(np.isfinite(ratio))
    np.testing.assert_allclose(ratio, -keyness.log_ratio(b, a, size_b, size_a), atol=1e-9)


@examples(CI_EXAMPLES["log_odds"])
@given(counts_pairs, st.floats(0.01, 1e5))
def test_log_odds_finite_and_antisymmetric(table, scale):
    a, b, _, _ = (np.asarray(x, dtype=float) for x in table)
    assume(len(a) >= 2 and a.sum() > 0 and b.sum() > 0)
    prior = keyness.informative_prior(a + b + 1, scale)  # +1: every term has prior mass
    try:
        delta, z = keyness.log_odds_dirichlet(a, b, prior)
    except ValueError as error:  # documented refusal: one term holds all of a side
        assert "'any other word' are zero" in str(error)
        return
    back_delta, back_z = keyness.log_odds_dirichlet(b, a, prior)
    assert np.all(np.isfinite(delta)) and np.all(np.isfinite(z))
    np.testing.assert_allclose(delta, -back_delta, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(z, -back_z, rtol=1e-9, atol=1e-9)


@st.composite
def count_tables(draw, min_docs: int = 2, max_docs: int = 6):
    n_docs = draw(st.integers(min_docs, max_docs))
    n_terms = draw(st.integers(1, 15))
    cells = draw(st.lists(st.integers(0, 50), min_size=n_docs * n_terms, max_size=n_docs * n_terms))
    matrix = np.asarray(cells, dtype=np.int64).reshape(n_docs, n_terms)
    return VectorSpace(
        doc_ids=tuple(f"d{i}" for i in range(n_docs)),
        vocabulary=tuple(f"t{j:02d}" for j in range(n_terms)),
        counts=csr_matrix(matrix),
        tfidf=None,
        idf=None,
        dictionary=None,
    )


def _keyness_or_refusal(space):
    """The keyness table, or None when the documented refusals apply."""
    try:
        return keyness.keyness_by_article(space)
    except ValueError as error:
        message = str(error)
        assert "\n" not in message
        assert any(
            known in message
            for known in ("counts no tokens", "is empty, so there is no reference", "'any other word' are zero")
        ), message
        return None


@examples(CI_EXAMPLES["keyness_by_article"])
@given(count_tables())
def test_keyness_by_article_is_finite_and_consistent(space):
    table = _keyness_or_refusal(space)
    if table is None:
        return
    dense = space.counts.toarray()
    # every term of the corpus for every article with tokens (negative keywords included)
    assert len(table) == int((dense.sum(1) > 0).sum() * (dense.sum(0) > 0).sum())
    numeric = table[["g2", "p_value", "log_ratio", "log_odds", "z", "per_1000_target", "per_1000_reference"]].to_numpy()
    assert np.all(np.isfinite(numeric))
    assert table["p_value"].between(0, 1).all()
    totals = dict(zip(space.vocabulary, dense.sum(axis=0)))
    assert all(row.n_target + row.n_reference == totals[row.term] for row in table.itertuples())
    for _, rows in table.groupby("doc_id", sort=False):
        g2 = rows["g2"].tolist()
        assert g2 == sorted(g2, reverse=True)


@examples(CI_EXAMPLES["keyness_two_documents"])
@given(count_tables(min_docs=2, max_docs=2))
def test_keyness_swaps_sign_when_the_two_documents_swap(space):
    table = _keyness_or_refusal(space)
    if table is None:
        return
    first = table[table["doc_id"] == "d0"].set_index("term")
    second = table[table["doc_id"] == "d1"].set_index("term")
    shared = first.index.intersection(second.index)
    for column in ("g2", "log_odds", "z"):
        np.testing.assert_allclose(first.loc[shared, column], -second.loc[shared, column], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(first.loc[shared, "log_ratio"], -second.loc[shared, "log_ratio"], atol=1e-9)


def test_ci_examples_reach_ten_thousand():
    assert sum(CI_EXAMPLES.values()) >= 10_000
