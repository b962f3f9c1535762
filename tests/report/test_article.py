"""The one-article report: what it computes, that scraped text stays text, and the ``report`` command."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis import pipeline, stats
from analysis.ingest import RemovalReason
from analysis.ingest.segment import RemovedLine
from analysis.paths import FIGURES_ENV, ROOT, SEEDS_ENV
from analysis.report import article

SEED_ARTICLE = "000_117e1a02a6deec84-003"  # "Zarif, Soleimani: Two Sides of the Same Coin"
SECTIONS = ["terms", "topics", "neighbours", "contexts", "removed"]
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(2)>",
    "</style><script>alert(3)</script>",
    "</textarea></title><b>bold</b>",
    "javascript:alert(5)",
    "{{7*7}} ${7*7} $title ${style} $$",
    "line\u2028separator\u2029paragraph",
    "&lt;b&gt; &amp; &#x3C;script&#x3E; &quot;",
    "<!-- comment --> <![CDATA[ ]]> -->",
    "caf\u00e9 \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \U0001f600 \x07bell",
]
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "data", "srcdoc"}


class Page(HTMLParser):
    """Elements with their attribute names, every attribute, the text and the sections of a page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[str, ...]]] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, tuple(sorted(name for name, _ in attrs))))
        self.attributes.extend((tag, name, value) for name, value in attrs)

    def handle_data(self, data):
        self.text.append(data)

    def ids(self) -> list[str]:
        return [value for _, name, value in self.attributes if name == "id"]

    def executable(self) -> list[str]:
        """Script elements, event handlers and script URLs."""
        found = [tag for tag, _ in self.elements if tag in ("script", "iframe", "object", "embed", "img", "svg")]
        found += [f"{tag} {name}=" for tag, name, _ in self.attributes if name.lower().startswith("on")]
        found += [
            f"{tag} {name}={value!r}"
            for tag, name, value in self.attributes
            if name.lower() in URL_ATTRIBUTES
            and value
            and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "data:", "vbscript:"))
        ]
        return found


def rows(page: str, table_id: str) -> list[str]:
    """The body rows of one table, as raw markup."""
    body = re.search(rf'<table[^>]*id="{table_id}".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return re.findall(r"<tr>.*?</tr>", body, re.S)


@pytest.fixture(scope="module")
def seeds():
    """The default corpus, cleaned (through the cache, as the notebooks read it)."""
    return pipeline.prepare(ROOT / "seeds")


@pytest.fixture(scope="module")
def seed_data(seeds):
    return article.article_report_data(seeds, SEED_ARTICLE)


# --------------------------------------------------------------------------- the data


def test_tfidf_and_keyness_are_the_package_tables_for_the_article(seeds, seed_data):
    space = pipeline.article_space(seeds, sublinear_tf=True)
    tfidf = stats.top_tfidf_terms(space, article.TOP_TERMS)
    expected = tfidf[tfidf["doc_id"] == SEED_ARTICLE]
    assert [r["term"] for r in seed_data["tfidf"]] == expected["term"].tolist()
    assert [r["tfidf"] for r in seed_data["tfidf"]] == expected["tfidf"].tolist()
    keyness = stats.keyness_by_article(space)
    mine = keyness[(keyness["doc_id"] == SEED_ARTICLE) & (keyness["g2"] > 0)].head(article.TOP_TERMS)
    assert [r["term"] for r in seed_data["keyness"]] == mine["term"].tolist()
    assert [r["g2"] for r in seed_data["keyness"]] == mine["g2"].tolist()
    assert seed_data["keyness"][0]["term"] == "zarif" and seed_data["tfidf"][0]["term"] == "zarif"


def test_neighbours_topics_contexts_and_removed_lines(seeds, seed_data):
    space = pipeline.article_space(seeds, sublinear_tf=True)
    nearest = stats.nearest_neighbours(space, article.NEIGHBOURS)
    assert [r["id"] for r in seed_data["neighbours"]] == nearest.loc[
        nearest["doc_id"] == SEED_ARTICLE, "neighbour"
    ].tolist()
    assert all(r["title"] == seeds.titles[r["id"]] for r in seed_data["neighbours"])

    topics = seed_data["topics"]
    assert topics["k"] == article.TOPICS and topics["engine"] == "sklearn" and len(topics["shares"]) == topics["k"]
    assert sum(r["share"] for r in topics["shares"]) == pytest.approx(1, abs=1e-5)
    assert sum(r["corpus_share"] for r in topics["shares"]) == pytest.approx(1, abs=1e-5)
    assert [r["share"] for r in topics["shares"]] == sorted((r["share"] for r in topics["shares"]), reverse=True)
    assert 0 < topics["paragraphs_modelled"] <= seed_data["article"]["n_paragraphs"]

    strongest = [r["term"] for r in seed_data["keyness"][: article.KWIC_TERMS]]
    assert [c["term"] for c in seed_data["contexts"]] == strongest
    zarif = seed_data["contexts"][0]
    assert zarif["n"] >= 5 and all(
        line["match"].casefold().endswith(("zarif", "zarif's", "zarif\u2019s")) for line in zarif["lines"]
    )

    source = next(a for a in seeds.articles if a.id == SEED_ARTICLE)
    assert [(r["number"], r["reason"], r["text"]) for r in seed_data["removed"]["lines"]] == [
        (line.number, str(line.reason), line.text) for line in source.removed
    ]
    by_reason = {r["reason"]: r["n"] for r in seed_data["removed"]["by_reason"]}
    assert sum(by_reason.values()) == len(source.removed) and by_reason["caption"] >= 1
    assert list(by_reason) == [str(r) for r in RemovalReason if str(r) in by_reason]  # the enum's order


def test_same_seed_same_page(seeds, seed_data):
    again = article.article_report_data(seeds, SEED_ARTICLE)
    assert again == seed_data
    assert article.render_article_report(again) == article.render_article_report(seed_data)
    json.dumps(seed_data, allow_nan=False)  # plain JSON-ready values


def test_unknown_id_names_the_closest_ids(seeds):
    with pytest.raises(ValueError, match=r"no article '000_117e1a02a6deec84-03' .*closest: 000_117e1a02a6deec84-003"):
        article.article_report_data(seeds, "000_117e1a02a6deec84-03")
    with pytest.raises(ValueError, match=r"ids look like '000_117e1a02a6deec84-000'"):
        article.find_article(seeds, "zzz")


def test_a_duplicate_id_names_the_article_counted_in_its_place(tmp_path):
    record = {"title": "Same", "text": "The harbour council voted on the ferry budget again."}
    for name in ("a.jsonl", "b.jsonl"):
        (tmp_path / name).write_text(json.dumps(record) + "\n", encoding="utf-8")
    prepared = pipeline.prepare(tmp_path, use_cache=False)
    with pytest.raises(ValueError, match="article 'b-000' repeats the title and body of 'a-000'"):
        article.find_article(prepared, "b-000")


def test_parameters_are_checked(seeds):
    with pytest.raises(ValueError, match="top_n must be a positive integer"):
        article.article_report_data(seeds, SEED_ARTICLE, top_n=0)
    with pytest.raises(ValueError, match="unknown engine"):
        article.article_report_data(seeds, SEED_ARTICLE, engine="nope")
    with pytest.raises(ValueError, match="format 'analysis.report.article/1'"):
        article.render_article_report({"article": {}})


def test_report_file_name_is_safe_for_any_id():
    assert article.report_file_name(SEED_ARTICLE) == f"article-report__{SEED_ARTICLE}.html"
    assert article.report_file_name("../a b/\\xe9:<x>-001") == "article-report__a_b_xe9_x_-001.html"
    assert article.report_file_name("..") == "article-report__article.html"


def test_a_corpus_too_small_to_model_gets_a_note_not_an_error(tmp_path):
    records = [{"title": "One", "text": "Alpha beta gamma delta."}, {"title": "Two", "text": "Gamma delta theta iota."}]
    (tmp_path / "tiny.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    prepared = pipeline.prepare(tmp_path / "tiny.jsonl", use_cache=False)
    data = article.article_report_data(prepared, "tiny-000")
    assert (
        data["topics"]["k"] == 0 and data["topics"]["shares"] == [] and "only 0 paragraph(s)" in data["topics"]["note"]
    )
    assert [r["id"] for r in data["neighbours"]] == ["tiny-001"] and data["keyness"]
    assert "No topic model for this corpus: only 0 paragraph(s)" in article.render_article_report(data)
    with pytest.raises(ValueError, match=r"only 0 paragraph\(s\)"):
        article.article_report_data(prepared, "tiny-000", topics=2)  # asked for: an error, not a note


# --------------------------------------------------------------------------- the page


def test_page_has_every_section_filled(seeds, seed_data):
    page = article.render_article_report(seed_data)
    parsed = Page(page)
    assert [i for i in parsed.ids() if i in SECTIONS] == SECTIONS
    assert len(rows(page, "tfidf")) == article.TOP_TERMS and len(rows(page, "keyness")) == len(seed_data["keyness"])
    assert len(rows(page, "topic-shares")) == seed_data["topics"]["k"]
    assert len(rows(page, "nearest")) == article.NEIGHBOURS
    assert len(rows(page, "removed-lines")) == len(seed_data["removed"]["lines"])
    text = " ".join(" ".join(parsed.text).split())
    assert "Zarif, Soleimani: Two Sides of the Same Coin" in text
    assert "\u201czarif\u201d:" in text and "Javad Zarif" in text  # the context as written
    assert "scikit-learn" in text and "K = 4, seed 1" in text
    assert page.isascii() and parsed.executable() == []
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\'' in page


def test_bars_are_sized_by_the_numbers(seed_data):
    page = article.render_article_report(seed_data)
    widths = [float(w) for w in re.findall(r'style="width: ([0-9.]+)%"', page)]
    assert widths and all(0 <= w <= 100 for w in widths)
    assert 'style="width: 100.0%"' in rows(page, "tfidf")[0]  # the top TF-IDF weight fills its bar
    assert 'style="width: 100.0%"' in rows(page, "keyness")[0]
    styles = [value for _, name, value in Page(page).attributes if name == "style"]
    assert all(re.fullmatch(r"width: \d{1,3}\.\d%", style) for style in styles)  # the only inline style there is


def test_q_value_is_shown_when_the_keyness_table_has_it(seeds, monkeypatch):
    original = stats.keyness_by_article

    def with_q(space, prior_scale=None, top="auto"):
        table = original(space, prior_scale, top)
        return table.assign(q_value=(table["p_value"] * 3).clip(upper=1.0))

    def without_q(space, prior_scale=None, top="auto"):
        return original(space, prior_scale, top).drop(columns="q_value", errors="ignore")

    monkeypatch.setattr(stats, "keyness_by_article", without_q)
    plain = article.article_report_data(seeds, SEED_ARTICLE)
    assert all("q_value" not in row for row in plain["keyness"])
    assert ">q</th>" not in article.render_article_report(plain)

    monkeypatch.setattr(stats, "keyness_by_article", with_q)
    data = article.article_report_data(seeds, SEED_ARTICLE)
    assert [r["q_value"] for r in data["keyness"]] == [min(r["p_value"] * 3, 1.0) for r in plain["keyness"]]
    page = article.render_article_report(data)
    assert ">q</th>" in page and "false discovery rate" in page
    first = rows(page, "keyness")[0]
    assert first.count("<td") == 9 and first.endswith(
        f'<td class="num">{article._probability(data["keyness"][0]["q_value"])}</td></tr>'
    )


def test_empty_sections_say_why(seed_data):
    data = copy.deepcopy(seed_data)
    data["keyness"], data["contexts"], data["neighbours"] = [], [], []
    data["removed"] = {"by_reason": [], "lines": []}
    data["topics"]["paragraphs_modelled"] = 0
    for row in data["topics"]["shares"]:
        row["share"] = None
    page = article.render_article_report(data)
    assert "No term is more frequent here" in page and "There is no other article." in page
    assert "Nothing was removed from this article" in page
    assert "None of this article&#x27;s paragraphs is that long" in page
    assert Page(page).executable() == []


# --------------------------------------------------------------------------- hostile text


def hostile_corpus(folder: Path) -> Path:
    """Six articles whose titles, tags, bylines and bodies carry the payloads, as JSON lines."""
    words = (
        "harbour council budget vote ferry schedule school library river flood bridge museum "
        "festival market water energy housing transport park"
    ).split()
    records = []
    for i in range(6):
        body = [
            " ".join(words[(i + j + k) % len(words)] for j in range(12))
            + f" {PAYLOADS[(i + k) % len(PAYLOADS)]} "
            + " ".join(words[(i * 3 + j) % len(words)] for j in range(8))
            + "."
            for k in range(5)
        ]
        records.append(
            {
                "title": f"Article {i} {PAYLOADS[i]} {PAYLOADS[-1 - i]}",
                "text": "\n\n".join(body),
                "tags": [PAYLOADS[(i + 2) % len(PAYLOADS)], "Shared tag"],
                "byline": f"By {PAYLOADS[(i + 4) % len(PAYLOADS)]}",
                "date": PAYLOADS[(i + 5) % len(PAYLOADS)],
            }
        )
    path = folder / "hostile.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def with_hostile_removed_lines(prepared: pipeline.Prepared, article_id: str) -> pipeline.Prepared:
    """``prepared`` with every payload as a removed line of one article (records have none of their own)."""
    reasons = list(RemovalReason)
    removed = tuple(RemovedLine(p, n + 1, reasons[n % len(reasons)]) for n, p in enumerate(PAYLOADS))
    articles = tuple(dataclasses.replace(a, removed=removed) if a.id == article_id else a for a in prepared.articles)
    return dataclasses.replace(prepared, articles=articles)


def replace_strings(value, replace):
    """``value`` with every string but the format marker passed through ``replace``."""
    if isinstance(value, dict):
        return {k: v if k == "format" else replace_strings(v, replace) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_strings(v, replace) for v in value]
    return replace(value) if isinstance(value, str) else value


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    prepared = pipeline.prepare(hostile_corpus(folder), use_cache=False)
    target = prepared.articles[1].id
    return article.article_report_data(with_hostile_removed_lines(prepared, target), target, topics=2)


def test_hostile_corpus_reaches_the_page_only_as_text(hostile_data):
    page = article.render_article_report(hostile_data)
    parsed = Page(page)
    assert parsed.executable() == [] and page.isascii()
    text = "".join(parsed.text)
    header = hostile_data["article"]
    for value in (header["title"], header["byline"], header["date"], *header["tags"]):
        assert value.replace("\x07", "\ufffd") in text  # escaped once exactly; control characters replaced
    for payload in PAYLOADS:
        assert payload.replace("\x07", "\ufffd") in text  # each one is a removed line shown as written
    assert "{{7*7}} ${7*7} $title ${style} $$" in text  # no template read placeholders inside values
    assert all(n["title"].replace("\x07", "\ufffd") in text for n in hostile_data["neighbours"])
    assert [i for i in parsed.ids() if i in SECTIONS] == SECTIONS


def test_hostile_strings_do_not_change_the_page_structure(hostile_data):
    """Every string of the data a payload, or every string harmless: the same elements either way."""
    counter = iter(range(10**6))
    hostile = replace_strings(hostile_data, lambda s: PAYLOADS[next(counter) % len(PAYLOADS)])
    harmless = replace_strings(hostile_data, lambda s: "plain")
    hostile["topics"]["engine_label"] = harmless["topics"]["engine_label"] = "engine"
    hostile_page, harmless_page = (Page(article.render_article_report(d)) for d in (hostile, harmless))
    assert hostile_page.elements == harmless_page.elements
    assert hostile_page.executable() == []
    text = "".join(hostile_page.text)
    assert all(p.replace("\x07", "\ufffd") in text for p in PAYLOADS)


# --------------------------------------------------------------------------- the command


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != SEEDS_ENV}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**environment, **(env or {})},
    )


def test_report_command_writes_the_page_atomically(tmp_path, seed_data):
    out = tmp_path / "report.html"
    out.write_text("previous\n")
    failed = run("report", "000_117e1a02a6deec84-03", "--out", str(out))
    assert failed.returncode == 2 and failed.stdout == ""
    assert failed.stderr.count("\n") == 1 and "closest: 000_117e1a02a6deec84-003" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert out.read_text() == "previous\n"

    done = run("report", SEED_ARTICLE, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{out}\n"
    assert out.read_text(encoding="utf-8") == article.render_article_report(seed_data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temporary file left


def test_report_command_default_name_folder_and_standard_output(tmp_path, seed_data):
    figures = tmp_path / "figures"
    done = run("report", SEED_ARTICLE, "seeds", "-q", env={FIGURES_ENV: str(figures)})
    assert done.returncode == 0, done.stderr
    written = figures / article.report_file_name(SEED_ARTICLE)
    assert done.stdout == f"{written}\n" and written.is_file()
    into = run("report", SEED_ARTICLE, "-o", str(tmp_path))
    assert (tmp_path / written.name).read_bytes() == written.read_bytes(), into.stderr
    printed = run("report", SEED_ARTICLE, "--output", "-")
    assert printed.stdout == written.read_text(encoding="utf-8")


def test_report_command_reads_with_the_corpus_options(tmp_path):
    """--encoding takes another way in (pipeline.prepare has no reading options): the same page."""
    plain, encoded = tmp_path / "plain.html", tmp_path / "encoded.html"
    assert run("report", SEED_ARTICLE, "-o", str(plain)).returncode == 0
    assert run("report", SEED_ARTICLE, "--encoding", "utf-8", "-o", str(encoded)).returncode == 0
    assert plain.read_bytes() == encoded.read_bytes()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--top", "0"], "--top must be a positive integer"),
        (["--topics", "1"], "--topics must be an integer >= 2"),
        (["--engine", "nope"], "unknown engine 'nope'"),
        (["--topics", "500"], "too few documents"),
    ],
)
def test_report_command_bad_options_are_one_line(tmp_path, options, message):
    result = run("report", SEED_ARTICLE, "-o", str(tmp_path / "r.html"), *options)
    assert result.returncode == 2 and message in result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert not (tmp_path / "r.html").exists()


def test_report_help_states_the_module_defaults():
    text = " ".join(run("report", "--help").stdout.split())
    assert f"(default: {article.TOP_TERMS})" in text and f"(default: {article.NEIGHBOURS})" in text
    assert f"(default: {article.ENGINE})" in text and f"(default: {article.RANDOM_STATE})" in text
    assert f"(default: {article.TOPICS}," in text
