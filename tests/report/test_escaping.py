"""Scraped text never becomes markup: hostile titles, tags, bylines and terms reach the HTML and SVG outputs only escaped.

Two levels:

* the explorer writer, given hostile strings wherever a string can enter it (title, topic
  labels, vocabulary, unit), must give a page whose element structure is exactly that of
  the same page with harmless strings: the one ``<script>`` the template defines, no
  ``on*=`` attribute, no ``javascript:`` URL, and a JSON payload that the HTML parser
  hands back whole and that decodes to the original strings; its template filling escapes
  every value for its context and never reads placeholders inside the values;
* the build (notebooks 01, 02 and 04, whose figures carry titles, tags and bylines) on a
  small hostile corpus: no output holds a script element, an event-handler attribute, a
  ``javascript:`` URL or an unescaped payload.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from string import Template

import numpy as np
import pytest

from analysis.paths import FIGURES_ENV, ROOT, SEEDS_ENV
from analysis.report import explorer

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(2)>",
    "</script><script>alert(3)</script>",
    "</SCRIPT ><script>alert(4)//",
    "javascript:alert(5)",
    "{{7*7}} ${7*7} {% raw %}",
    "line\u2028separator\u2029paragraph",
    "&lt;b&gt; &amp; &#x3C;script&#x3E; &quot;",
    "<!-- comment --> <![CDATA[ ]]> -->",
    "'; alert(6); //",
    "\\u003cscript\\u003e",
    "@PAYLOAD@",
]
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "data", "srcdoc"}


class Structure(HTMLParser):
    """Every element with its attribute names, the attributes themselves, the text, and each script's content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[str, ...]]] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self.comments: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, tuple(sorted(name for name, _ in attrs))))
        self.attributes.extend((tag, name, value) for name, value in attrs)
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._in_script = False

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def handle_comment(self, data):
        self.comments.append(data)


def parse(page: str) -> Structure:
    parser = Structure()
    parser.feed(page)
    parser.close()
    return parser


def executable_markup(parser: Structure) -> list[str]:
    """Event handlers and script URLs among the attributes."""
    found = [f"{tag} {name}=" for tag, name, _ in parser.attributes if name.lower().startswith("on")]
    for tag, name, value in parser.attributes:
        if (
            name.lower() in URL_ATTRIBUTES
            and value
            and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "data:text/html", "vbscript:"))
        ):
            found.append(f"{tag} {name}={value!r}")
    return found


def explorer_inputs(vocabulary: list[str]) -> dict:
    """A small deterministic model over ``vocabulary`` (3 topics, 4 documents)."""
    rng = np.random.default_rng(0)
    topic_term = rng.random((3, len(vocabulary))) + 0.01
    doc_topic = rng.random((4, 3)) + 0.01
    return explorer.explorer_data(
        topic_term / topic_term.sum(axis=1, keepdims=True),
        doc_topic / doc_topic.sum(axis=1, keepdims=True),
        np.array([40.0, 30.0, 20.0, 10.0]),
        rng.integers(1, 9, len(vocabulary)).astype(float),
        vocabulary,
        top_n=10,
    )


def hostile_page() -> tuple[str, dict, list[str], str]:
    vocabulary = PAYLOADS + [f"word{i}" for i in range(12)]
    labels = [PAYLOADS[0], PAYLOADS[1], " ".join(PAYLOADS)]
    title = "Topics: " + " | ".join(PAYLOADS)
    data = explorer_inputs(vocabulary)
    return explorer.render_explorer(data, title, labels, unit=PAYLOADS[3]), data, labels, title


def harmless_page() -> str:
    vocabulary = [f"term{i}" for i in range(len(PAYLOADS))] + [f"word{i}" for i in range(12)]
    return explorer.render_explorer(explorer_inputs(vocabulary), "Topics", ["a", "b", "c"], unit="paragraphs")


def test_hostile_strings_do_not_change_the_page_structure():
    hostile, harmless = parse(hostile_page()[0]), parse(harmless_page())
    assert hostile.elements == harmless.elements
    assert [tag for tag, _ in hostile.elements].count("script") == 1


def test_no_event_handler_or_script_url_reaches_the_explorer():
    parser = parse(hostile_page()[0])
    assert executable_markup(parser) == []
    assert executable_markup(parse(harmless_page())) == []


def test_explorer_payload_is_one_unbroken_json_block_with_the_original_strings():
    page, data, labels, _ = hostile_page()
    (script,) = parse(page).scripts
    match = re.search(r"const PAYLOAD = (.*);\n", script)
    assert match, "the payload line was cut short"
    payload = json.loads(match.group(1))
    assert payload["data"] == json.loads(json.dumps(data)) and payload["labels"] == labels
    assert sorted(t["term"] for t in payload["data"]["terms"]) == sorted(PAYLOADS + [f"word{i}" for i in range(12)])
    for dangerous in ("<", ">", "\u2028", "\u2029"):
        assert dangerous not in match.group(1)


def test_title_and_labels_appear_as_text_not_markup():
    page, _, labels, title = hostile_page()
    parser = parse(page)
    text = "".join(parser.text)
    assert title in text  # unescaped by the parser back to the very string: escaped once, exactly
    assert "{{7*7}} ${7*7} {% raw %}" in text  # no template engine evaluated it
    assert page.isascii()
    captions = [value for tag, name, value in parser.attributes if tag == "circle" and name == "aria-label"]
    assert any(labels[1] in caption for caption in captions)


# --------------------------------------------------------------------------- the explorer's template filling

PLACEHOLDERS = ["$title", "${script}", "$$ $", "$style$payload", "${topic_circles}", "$unit"]


def test_placeholders_inside_values_are_text_not_substituted():
    vocabulary = PLACEHOLDERS + [f"word{i}" for i in range(12)]
    title, labels, unit = " ".join(PLACEHOLDERS), PLACEHOLDERS[:3], "$n_tokens"
    page = explorer.render_explorer(explorer_inputs(vocabulary), title, labels, unit=unit)
    parser, harmless = parse(page), parse(harmless_page())
    assert parser.elements == harmless.elements
    text = "".join(parser.text)
    assert title in text and f" 4 {unit} \u00b7 " in text
    without_payload = re.compile(r"const PAYLOAD = .*;\n")
    assert without_payload.sub("", parser.scripts[0]) == without_payload.sub("", harmless.scripts[0])
    payload = json.loads(re.search(r"const PAYLOAD = (.*);\n", parser.scripts[0]).group(1))
    assert payload["labels"] == labels
    assert sorted(t["term"] for t in payload["data"]["terms"]) == sorted(vocabulary)


def test_markup_filling_escapes_every_plain_value_and_trusts_only_filled_fragments():
    template = Template('<a title="$value">$value</a> $inner')
    inner = explorer._fill_markup(Template("<b>$x</b>"), x="<i>")
    filled = explorer._fill_markup(template, value='"><script>alert(1)</script>', inner=inner)
    assert (
        filled == '<a title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)'
        "&lt;/script&gt;</a> <b>&lt;i&gt;</b>"
    )
    # A fragment changed after filling is plain text again, so it is escaped, not trusted.
    assert explorer._fill_markup(Template("$v"), v=inner + "<u>") == "&lt;b&gt;&amp;lt;i&amp;gt;&lt;/b&gt;&lt;u&gt;"
    with pytest.raises(TypeError, match="only filled fragments"):
        explorer._lines([inner, "<u>"])


def test_size_legend_escapes_a_share_below_one_percent(monkeypatch):
    """The legend's labels are markup-filled: a share under 1% reads "<1%" and stays text."""
    monkeypatch.setattr(explorer, "SIZE_LEGEND_SHARES", (0.005, 0.25))
    page = explorer.render_explorer(explorer_inputs([f"word{i}" for i in range(12)]), "T")
    assert 'text-anchor="middle">&lt;1%</text>' in page
    assert [tag for tag, _ in parse(page).elements].count("circle") == 3 + 2


# --------------------------------------------------------------------------- the build on a hostile corpus


def hostile_corpus(folder: Path) -> Path:
    """Six articles whose titles, tags, bylines and bodies carry every payload, as JSON lines."""
    words = (
        "harbour council budget vote ferry schedule school library river flood bridge museum "
        "festival market water energy housing transport park"
    ).split()
    records = []
    for i in range(6):
        body = [
            " ".join(words[(i + j) % len(words)] for j in range(14))
            + f" {PAYLOADS[(i + k) % len(PAYLOADS)]} "
            + " ".join(words[(i * 3 + j) % len(words)] for j in range(10))
            + "."
            for k in range(5)
        ]
        records.append(
            {
                "title": f"Article {i} {PAYLOADS[i]} {PAYLOADS[-1 - i]}",
                "text": "\n\n".join(body),
                "tags": [PAYLOADS[(i + 2) % len(PAYLOADS)], "Shared tag" if i % 2 else PAYLOADS[7]],
                "byline": f"By {PAYLOADS[(i + 4) % len(PAYLOADS)]}",
                "date": "2024-01-0" + str(i + 1),
            }
        )
    path = folder / "hostile.jsonl"
    # ASCII escapes: a raw U+2028 inside a JSON line is split by the JSONL reader (reported separately)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    out = folder / "figures"
    env = {**os.environ, SEEDS_ENV: str(hostile_corpus(folder)), FIGURES_ENV: str(out)}
    result = subprocess.run(
        [sys.executable, "-m", "analysis.build", "--notebook", "01", "--notebook", "02", "--notebook", "04"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.mark.slow  # builds three notebooks on a hostile corpus
def test_hostile_corpus_reaches_the_outputs(hostile_build):
    """The payloads really went through (else the checks below prove nothing)."""
    articles = (hostile_build / "01-corpus-overview__articles.csv").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" in articles and "onerror=alert(1)" in articles
    svg = (hostile_build / "02-tfidf__top-terms.svg").read_text(encoding="utf-8")
    assert "alert(1)" in svg  # the panel titles carry the article titles


@pytest.mark.slow  # builds three notebooks on a hostile corpus
def test_no_executable_markup_in_svg_outputs(hostile_build):
    svgs = sorted(hostile_build.glob("*.svg"))
    assert len(svgs) == 9  # 3 from notebook 01, 2 from 02, 4 from 04
    for path in svgs:
        text = path.read_text(encoding="utf-8")
        root = ET.fromstring(text)  # well-formed: no payload closed a comment or an element early
        tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
        assert not tags & {"script", "foreignObject", "iframe", "img", "a", "object", "embed"}, (path.name, tags)
        for element in root.iter():
            for name, value in element.attrib.items():
                local = name.rsplit("}", 1)[-1].lower()
                assert not local.startswith("on"), (path.name, name)
                if local == "href":  # glyph references, or a heatmap embedded as a PNG
                    assert value.startswith(("#", "data:image/png;base64,")), (path.name, value[:80])
        parser = parse(text)
        assert [tag for tag, _ in parser.elements if tag == "script"] == [] and executable_markup(parser) == [], (
            path.name
        )


@pytest.mark.slow  # builds three notebooks on a hostile corpus
def test_no_markup_in_markdown_or_json_outputs(hostile_build):
    for path in [*hostile_build.glob("*.md"), *hostile_build.glob("*.json")]:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":  # Markdown passes raw HTML through to the reader
            assert not re.search(r"<\s*(script|img|svg|iframe)|on\w+\s*=|javascript:", text, re.IGNORECASE), path.name
        else:
            json.loads(text)
