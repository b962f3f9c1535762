"""The topic explorer on a 3-topic model small enough to check by hand."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from importlib import resources
from string import Template

import numpy as np
import pytest

from analysis.paths import ROOT
from analysis.report import explorer

VOCABULARY = ["ant", "bee", "cat", "dog", "eel"]
# p(w | t): topic 1 never uses "eel".
TOPIC_TERM = np.array(
    [
        [0.4, 0.3, 0.2, 0.1, 0.0],
        [0.4, 0.1, 0.0, 0.2, 0.3],
        [0.1, 0.1, 0.1, 0.2, 0.5],
    ]
)
# Four documents of 10, 20, 30 and 40 tokens; the last is half topic 1, half topic 2.
DOC_TOPIC = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0]])
DOC_LENGTHS = np.array([10, 20, 30, 40])
# By hand: topic tokens 10 + 20 = 30, 20 + 20 = 40, 30; of 100 tokens.
PREVALENCE = [0.3, 0.4, 0.3]
# p(w) = 0.3 * row 1 + 0.4 * row 2 + 0.3 * row 3.
TERM_PROPORTION = np.array([0.31, 0.16, 0.09, 0.17, 0.27])
TERM_FREQUENCY = np.array([31, 16, 9, 17, 27])

SCRIPT_PAYLOAD = "</script><script>alert(1)</script>"
IMG_PAYLOAD = "<img src=x onerror=alert(1)>"


def model_data(**kwargs):
    return explorer.explorer_data(TOPIC_TERM, DOC_TOPIC, DOC_LENGTHS, TERM_FREQUENCY, VOCABULARY, **kwargs)


def ranked_terms(data, topic, lam):
    """The page's ranking of one topic's terms at ``lam``, mirrored for the tests."""
    rows = data["topics"][topic - 1]["terms"]
    scored = sorted(rows, key=lambda e: (-(lam * e["logprob"] + (1 - lam) * e["loglift"]), e["id"]))
    return [data["terms"][e["id"]]["term"] for e in scored]


class StrictParser(HTMLParser):
    """Records tags and attributes, and checks that every element is closed in order."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.tags, self.attributes = [], [], [], []
        self.scripts, self.title = [], ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "script":
            self.scripts.append(data)
        if self.stack and self.stack[-1] == "title" and "svg" not in self.stack:
            self.title += data


def parse(page):
    parser = StrictParser()
    parser.feed(page)
    parser.close()
    return parser


def payload_of(page):
    match = re.search(r"^const PAYLOAD = (.*);$", page, re.M)
    assert match, "the script should define PAYLOAD on one line"
    return json.loads(match.group(1))


# --------------------------------------------------------------------------- explorer_data


def test_prevalence_by_hand():
    assert explorer.topic_prevalence(DOC_TOPIC, DOC_LENGTHS) == pytest.approx(PREVALENCE)
    data = model_data()
    assert [t["prevalence"] for t in data["topics"]] == pytest.approx(PREVALENCE)
    assert sum(t["prevalence"] for t in data["topics"]) == pytest.approx(1.0)
    assert [t["tokens"] for t in data["topics"]] == [30.0, 40.0, 30.0]
    assert data["n_tokens"] == 100.0 and data["n_documents"] == 4


def test_jensen_shannon_zero_for_identical_topics_and_symmetric():
    divergence = explorer.jensen_shannon(np.vstack([TOPIC_TERM[0], TOPIC_TERM[0], TOPIC_TERM[1]]))
    assert divergence[0, 1] == 0.0
    assert np.array_equal(divergence, divergence.T)
    assert np.all(np.diag(divergence) == 0.0)
    # Topics 1 and 2 by hand: mixture m = (0.4, 0.2, 0.1, 0.15, 0.15).
    kl_1 = 0.3 * math.log(0.3 / 0.2) + 0.2 * math.log(0.2 / 0.1) + 0.1 * math.log(0.1 / 0.15)
    kl_2 = 0.1 * math.log(0.1 / 0.2) + 0.2 * math.log(0.2 / 0.15) + 0.3 * math.log(0.3 / 0.15)
    assert divergence[0, 2] == pytest.approx(0.5 * (kl_1 + kl_2))
    assert np.all(divergence <= math.log(2))


def test_divergence_in_data_is_symmetric_with_zero_diagonal():
    divergence = np.array(model_data()["divergence"])
    assert np.array_equal(divergence, divergence.T)
    assert np.all(np.diag(divergence) == 0.0)
    assert np.all(divergence[~np.eye(3, dtype=bool)] > 0)  # no two topics of the model are equal


def test_relevance_at_lambda_1_ranks_by_probability_and_at_0_by_lift():
    # Topic 1: p(w | t) = .4 .3 .2 .1 0; lift = .4/.31, .3/.16, .2/.09, .1/.17 = 1.29, 1.88, 2.22, 0.59.
    by_probability = explorer.relevance(TOPIC_TERM, TERM_PROPORTION, 1.0)[0]
    by_lift = explorer.relevance(TOPIC_TERM, TERM_PROPORTION, 0.0)[0]
    assert by_probability[:4] == pytest.approx(np.log([0.4, 0.3, 0.2, 0.1]))
    assert by_lift[:4] == pytest.approx(np.log([0.4 / 0.31, 0.3 / 0.16, 0.2 / 0.09, 0.1 / 0.17]))
    assert by_probability[4] == by_lift[4] == -np.inf  # "eel" never occurs in topic 1
    data = model_data()
    assert ranked_terms(data, 1, 1.0) == ["ant", "bee", "cat", "dog"]
    assert ranked_terms(data, 1, 0.0) == ["cat", "bee", "ant", "dog"]


def test_term_frequencies_by_hand():
    data = model_data()
    terms = {t["term"]: t for t in data["terms"]}
    assert terms["ant"]["frequency"] == 31.0  # 0.31 * 100 tokens
    assert terms["ant"]["corpus_frequency"] == 31.0
    assert terms["ant"]["topic_share"] == pytest.approx([0.12 / 0.31, 0.16 / 0.31, 0.03 / 0.31], abs=1e-6)
    in_topic_1 = {data["terms"][e["id"]]["term"]: e["frequency"] for e in data["topics"][0]["terms"]}
    assert in_topic_1 == {"ant": 12.0, "bee": 9.0, "cat": 6.0, "dog": 3.0}  # p(w | t) * 30 tokens


def test_saliency_by_hand_and_salient_order():
    # "eel": p(w) = .27, p(t | w) = (0, .12/.27, .15/.27).
    share = [0.0, 0.12 / 0.27, 0.15 / 0.27]
    expected = 0.27 * sum(s * math.log(s / p) for s, p in zip(share, PREVALENCE, strict=True) if s > 0)
    assert explorer.saliency(TOPIC_TERM, np.array(PREVALENCE))[4] == pytest.approx(expected)
    data = model_data()
    salience = [data["terms"][i]["saliency"] for i in data["salient"]]
    assert salience == sorted(salience, reverse=True)
    assert data["terms"][data["salient"][0]]["term"] == "eel"


def test_each_topic_keeps_the_union_of_its_top_terms_over_the_lambda_grid():
    grid = (0.0, 0.5, 1.0)
    data = model_data(top_n=2, lambdas=grid)
    for t in range(3):
        expected = set()
        for lam in grid:
            scores = explorer.relevance(TOPIC_TERM, TERM_PROPORTION, lam)[t]
            expected.update(sorted(range(5), key=lambda w: (-scores[w], VOCABULARY[w]))[:2])
        kept = {data["terms"][e["id"]]["term"] for e in data["topics"][t]["terms"]}
        assert kept == {VOCABULARY[w] for w in expected}
    assert ranked_terms(data, 1, 1.0)[:2] == ["ant", "bee"]
    assert ranked_terms(data, 1, 0.0)[:2] == ["cat", "bee"]
    assert len(data["salient"]) == 2


def test_layout_is_deterministic_and_reproduces_the_divergences():
    first, second = model_data(), model_data()
    assert first == second
    xy = np.array([[t["x"], t["y"]] for t in first["topics"]])
    for axis in range(2):
        assert xy[np.argmax(np.abs(xy[:, axis])), axis] > 0
    # Three points always embed exactly in two dimensions when the triangle inequality holds.
    distances = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=2)
    assert distances == pytest.approx(np.array(first["divergence"]), abs=1e-5)


def test_pcoa_sign_does_not_depend_on_topic_order():
    divergence = explorer.jensen_shannon(TOPIC_TERM)
    reordered = explorer.jensen_shannon(TOPIC_TERM[[2, 0, 1]])
    assert explorer.pcoa(reordered) == pytest.approx(explorer.pcoa(divergence)[[2, 0, 1]], abs=1e-12)


def test_data_is_plain_json():
    data = model_data()
    assert json.loads(json.dumps(data, allow_nan=False)) == data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"topic_term": TOPIC_TERM * 0.5}, "topic_term rows must each sum to 1"),
        ({"doc_topic": np.array([[1.0, 0.0]] * 4)}, "doc_topic has 2 columns"),
        ({"doc_lengths": DOC_LENGTHS[:3]}, "doc_lengths has 3 entries"),
        ({"term_frequency": TERM_FREQUENCY[:4]}, "term_frequency has 4 entries"),
        ({"vocabulary": VOCABULARY[:4]}, "vocabulary has 4 terms"),
        ({"vocabulary": ["ant", "bee", "cat", "dog", "ant"]}, "repeats the term 'ant'"),
        ({"doc_lengths": np.array([10, -20, 30, 40])}, "doc_lengths contains negative"),
        ({"lambdas": (0.0, 1.5)}, "lambdas must lie in"),
        ({"top_n": 0}, "top_n must be a positive integer"),
        ({"doc_topic": np.array([[0.5, 0.5, 0.0]] * 4)}, "topic 3 has no tokens"),
    ],
)
def test_bad_input_raises_a_value_error_naming_it(change, message):
    arguments = {
        "topic_term": TOPIC_TERM,
        "doc_topic": DOC_TOPIC,
        "doc_lengths": DOC_LENGTHS,
        "term_frequency": TERM_FREQUENCY,
        "vocabulary": VOCABULARY,
    } | change
    with pytest.raises(ValueError, match=re.escape(message)):
        explorer.explorer_data(**arguments)


# --------------------------------------------------------------------------- render_explorer


def test_page_is_self_contained_and_has_the_controls():
    page = explorer.render_explorer(model_data(), "Three topics", ["insects", "animals", "mixed"])
    lowered = page.lower()
    for forbidden in ("http://", "https://", "//cdn", "<script src", "<link", "url(", "@import", "<iframe"):
        assert forbidden not in lowered
    assert page.isascii()
    parsed = parse(page)
    assert not parsed.problems and not parsed.stack
    assert parsed.tags.count("script") == 1 and "</" not in parsed.scripts[0]
    circles = [a for tag, a in parsed.attributes if tag == "circle" and a.get("class") == "topic-circle"]
    assert sorted(int(c["data-topic"]) for c in circles) == [1, 2, 3]
    assert all(c["tabindex"] == "0" and c["role"] == "button" for c in circles)
    inputs = [a for tag, a in parsed.attributes if tag == "input"]
    assert inputs == [a for a in inputs if a["id"] == "lambda" and a["type"] == "range"] and len(inputs) == 1
    assert "term-bar" in page and 'id="bars"' in page
    assert ">PC1<" in page and ">PC2<" in page


def test_page_is_byte_identical_across_calls():
    first = explorer.render_explorer(model_data(), "Three topics", ["a", "b", "c"])
    second = explorer.render_explorer(model_data(), "Three topics", ["a", "b", "c"])
    assert first.encode("utf-8") == second.encode("utf-8")


def test_embedded_payload_round_trips():
    data = model_data()
    page = explorer.render_explorer(data, "T", ["x", "y", "z"])
    payload = payload_of(page)
    assert payload["data"] == data and payload["labels"] == ["x", "y", "z"]


def test_planted_payloads_never_escape_their_text():
    vocabulary = ["ant", SCRIPT_PAYLOAD, "cat", IMG_PAYLOAD, "eel"]
    data = explorer.explorer_data(TOPIC_TERM, DOC_TOPIC, DOC_LENGTHS, TERM_FREQUENCY, vocabulary)
    title = f"News {SCRIPT_PAYLOAD} {IMG_PAYLOAD} \u2028 & co"
    labels = [SCRIPT_PAYLOAD, IMG_PAYLOAD, 'x" onmouseover="alert(1)']
    page = explorer.render_explorer(data, title, labels)
    assert "<script>alert" not in page and "<img src=x" not in page
    # Every remaining "onerror=alert" sits in text whose "<" was escaped: JSON \u003c or HTML &lt;.
    for match in re.finditer("onerror=alert", page):
        before = page[match.start() - 16 : match.start()]
        assert before.endswith(("\\u003cimg src=x ", "&lt;img src=x "))
    parsed = parse(page)
    assert not parsed.problems and not parsed.stack
    assert parsed.tags.count("script") == 1 and "img" not in parsed.tags
    assert not [name for _, attrs in parsed.attributes for name in attrs if name.startswith("on")]
    assert "</" not in parsed.scripts[0] and "<!--" not in parsed.scripts[0]
    assert parsed.title == title
    payload = payload_of(page)
    assert payload["labels"] == labels and payload["data"]["terms"][1]["term"] == IMG_PAYLOAD


def test_render_rejects_foreign_data_and_wrong_labels():
    with pytest.raises(ValueError, match="explorer_data"):
        explorer.render_explorer({"topics": []}, "T")
    with pytest.raises(ValueError, match="one label per topic"):
        explorer.render_explorer(model_data(), "T", ["only one"])


# --------------------------------------------------------------------------- templates

TEMPLATES = ("explorer.html", "explorer.css", "explorer.js")


def test_page_has_no_unfilled_placeholder():
    page = explorer.render_explorer(model_data(), "Three topics", ["insects", "animals", "mixed"])
    assert "$" not in page and "@PAYLOAD@" not in page


def test_templates_are_package_resources_and_the_page_holds_their_code_verbatim():
    folder = resources.files("analysis.report") / "templates"
    texts = {name: (folder / name).read_text(encoding="utf-8") for name in TEMPLATES}
    assert all(text.isascii() for text in texts.values())
    identifiers = {name: set(Template(text).get_identifiers()) for name, text in texts.items()}
    assert identifiers["explorer.css"] == set(explorer.COLOURS)
    assert identifiers["explorer.js"] == {"payload"}
    assert {"title", "unit", "style", "script", "topic_circles"} <= identifiers["explorer.html"]
    page = explorer.render_explorer(model_data(), "T")
    before, after = texts["explorer.js"].split("$payload")
    assert before in page and after in page
    assert Template(texts["explorer.css"]).substitute(explorer.COLOURS) in page


def test_templates_are_read_once():
    explorer._template.cache_clear()
    explorer.render_explorer(model_data(), "T")
    explorer.render_explorer(model_data(), "U")
    assert explorer._template.cache_info().misses == len(TEMPLATES)


def installed_copy(folder):
    """The package as its wheel would hold it (setuptools' build_py, package data included), zipped."""
    source = folder / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        (source / name).write_bytes((ROOT / name).read_bytes())
    for path in (ROOT / "analysis").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            target = source / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    build = folder / "build"
    subprocess.run(
        [sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py", "-d", str(build)],
        cwd=source,
        check=True,
        capture_output=True,
        timeout=120,
    )
    archive = folder / "analysis.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(build.rglob("*")):
            if path.is_file():
                zipped.write(path, path.relative_to(build).as_posix())
    return archive


def test_templates_load_from_the_installed_package(tmp_path):
    archive = installed_copy(tmp_path)
    with zipfile.ZipFile(archive) as zipped:
        assert {f"analysis/report/templates/{name}" for name in TEMPLATES} <= set(zipped.namelist())
    # Without the site module the editable install's import hook is not installed, and the
    # archive comes first on the path, so the package is imported from the archive alone.
    program = (
        "import json, sys\n"
        f"sys.path[:] = {[str(archive), *sys.path]!r}\n"
        "from analysis.report import explorer\n"
        "assert explorer.__file__.startswith(sys.path[0]), explorer.__file__\n"
        "arguments = json.load(sys.stdin)\n"
        "sys.stdout.write(explorer.render_explorer(arguments['data'], arguments['title'], arguments['labels']))\n"
    )
    data, labels = model_data(), ["insects", "animals", "mixed"]
    result = subprocess.run(
        [sys.executable, "-S", "-c", program],
        input=json.dumps({"data": data, "title": "T", "labels": labels}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == explorer.render_explorer(data, "T", labels)


def test_filling_rejects_a_missing_or_an_unused_placeholder():
    with pytest.raises(ValueError, match=re.escape("placeholders ['b'] have no value")):
        explorer._fill_markup(Template("<p>$a $b</p>"), a="x")
    with pytest.raises(ValueError, match=re.escape("values ['c'] have no placeholder")):
        explorer._fill_markup(Template("<p>$a</p>"), a="x", c="y")


def test_style_takes_only_hex_colours(monkeypatch):
    monkeypatch.setitem(explorer.COLOURS, "topic", "red; } body { background: url(//example.com/x) } x {")
    with pytest.raises(ValueError, match="hex colours"):
        explorer.render_explorer(model_data(), "T")


# --------------------------------------------------------------------------- write_explorer


def test_write_explorer_writes_atomically_and_leaves_no_temp_files(tmp_path):
    data = model_data()
    target = tmp_path / "figures" / "explorer.html"
    written = explorer.write_explorer(target, data, "Three topics")
    assert written == target
    assert target.read_text(encoding="utf-8") == explorer.render_explorer(data, "Three topics")
    assert os.listdir(target.parent) == ["explorer.html"]


def test_write_explorer_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "explorer.html"
    target.write_text("old", encoding="utf-8")

    def failing_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr("analysis.io.os.replace", failing_replace)
    with pytest.raises(OSError):
        explorer.write_explorer(target, model_data(), "T")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["explorer.html"]


def test_notebook_topic_names_are_the_explorers_top_bars_at_the_same_lambda(config):
    """One relevance: models.distinctive_terms (notebook 03's names) ranks as the explorer page does."""
    from analysis import models, pipeline
    from analysis.paths import SEEDS

    prepared = pipeline.prepare([SEEDS])
    space = pipeline.paragraph_space(prepared, 5, 2, 0.5)
    model = models.fit(space, 4, 1, "sklearn")
    lam, n = 0.6, 5
    names = models.distinctive_terms(model, space, top_n=n, lam=lam)
    data = explorer.explorer_data(
        model.topic_term, model.doc_topic, space.counts.sum(axis=1).A1, space.counts.sum(axis=0).A1, space.vocabulary
    )
    vocabulary = [entry["term"] for entry in data["terms"]]
    for topic in data["topics"]:
        scored = [(lam * e["logprob"] + (1 - lam) * e["loglift"], vocabulary[e["id"]]) for e in topic["terms"]]
        page_top = [term for _, term in sorted(scored, key=lambda s: (-s[0], s[1]))[:n]]
        named = names[names["topic"] == topic["topic"] - 1].sort_values("rank")["term"].tolist()
        assert named == page_top, topic["topic"]
