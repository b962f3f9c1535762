"""The real-page evaluation set (tests/fixtures/realpages) and its text dumpers: the truth is sound, the dumps faithful."""

from __future__ import annotations

import collections
import gzip
import json
import re

import pytest
from bs4 import BeautifulSoup

from benchmarks import realpages as rp

MIN_BODY_SHARE = 0.90  # share of a truth body's word tokens the paragraphs dump must hold

PAGES = rp.load_pages()
IDS = [page.id for page in PAGES]


@pytest.fixture(scope="module")
def dumps() -> dict[str, dict[str, str]]:
    """Per page id: its HTML and both text forms (built once: the tests below share them)."""
    out = {}
    for page in PAGES:
        html = rp.page_html(page)
        out[page.id] = {"html": html, "paragraphs": rp.dump_paragraphs(html), "elements": rp.dump_elements(html)}
    return out


def body_share(body: str, text: str) -> float:
    """The share of the body's word tokens found in the text, each occurrence counted once."""
    have = collections.Counter(rp.words(text))
    need = collections.Counter(rp.words(body))
    return sum(min(n, have[w]) for w, n in need.items()) / max(1, sum(need.values()))


# --- the set itself ---------------------------------------------------------------------------


def test_set_size_sites_and_splits():
    sites = collections.Counter(page.site for page in PAGES)
    assert len(PAGES) >= 40 and len(sites) >= 15
    assert max(sites.values()) <= 2, sites.most_common(3)
    splits = collections.Counter(page.split for page in PAGES)
    assert (
        {"dev", "test", "retuned"}
        <= set(splits)
        <= set(rp.SPLITS)
        == {"dev", "test", "retuned", "dev-2", "holdout", "holdout-2"}
    ), splits
    assert splits["dev"] + splits["test"] == 60 and abs(splits["dev"] - splits["test"]) <= 1, splits
    # a site's pages stay in one split, so tuning on dev never sees a test page's layout
    for site in (s for s, n in sites.items() if n > 1):
        assert len({page.split for page in PAGES if page.site == site}) == 1, site
    assert sum((rp.load_pages(split) for split in sorted(splits)), []) == sorted(PAGES, key=lambda p: (p.split, p.id))
    with pytest.raises(ValueError):
        rp.load_pages("train")


def test_retuned_and_holdout_pages_come_from_other_sites():
    # retuned: added on 2026-12-03 as a holdout, 20 pages, one per site, none shared with dev or test
    retuned = rp.load_pages("retuned")
    first_sites = {page.site for page in rp.load_pages(("dev", "test"))}
    assert len(retuned) == 20 and len({page.site for page in retuned}) == 20
    assert not {page.site for page in retuned} & first_sites
    # the holdout: added on 2026-12-03, never tuned on, 20 pages, one per site, no site shared with a tuned page
    holdout = rp.load_pages("holdout")
    assert len(holdout) == 20 and len({page.site for page in holdout}) == 20
    tuned_sites = {page.site for page in rp.load_pages(rp.TUNED)}
    assert not {page.site for page in holdout} & tuned_sites
    assert rp.load_pages(rp.TUNED) == sorted((p for p in PAGES if p.split in rp.TUNED), key=lambda p: p.id)
    assert len(rp.load_pages(rp.TUNED)) == 80 and rp.load_pages(("holdout",)) == holdout
    with pytest.raises(ValueError):
        rp.load_pages(("dev", "train"))


def test_the_second_corpus_splits_come_from_sites_in_no_other_split():
    # dev-2 (to tune on) and holdout-2 (never tuned on): AndyTheFactory's dataset, one page per site
    assert set(rp.APART) == {"dev-2", *rp.HOLDOUTS} and not set(rp.APART) & set(rp.TUNED)
    dev2, holdout2 = rp.load_pages("dev-2"), rp.load_pages("holdout-2")
    assert len(dev2) >= 25 and len(holdout2) == 20
    for split, pages in (("dev-2", dev2), ("holdout-2", holdout2)):
        sites = {page.site for page in pages}
        assert len(sites) == len(pages), split
        others = {page.site for page in PAGES if page.split != split}
        assert not sites & others, (split, sorted(sites & others))


def test_truth_file_and_html_files_match():
    rows = json.loads((rp.FIXTURES / "truth.json").read_text(encoding="utf-8"))
    assert [row["id"] for row in rows] == sorted(IDS) and len(set(IDS)) == len(IDS)
    assert sorted(path.name for path in (rp.FIXTURES / "html").iterdir()) == sorted(f"{i}.html.gz" for i in IDS)
    for row in rows:
        assert set(row) == {"id", "site", "url", "source", "split", "title", "authors", "tags", "body"}
        assert re.fullmatch(r"[0-9a-f]{12}", row["id"])
        if row["split"] in ("dev-2", "holdout-2"):  # AndyTheFactory's dataset names a page by an md5
            source = rf"AndyTheFactory/article-extraction-dataset@[0-9a-f]{{40}}:html/{row['id']}[0-9a-f]{{20}}\.html"
        else:
            source = (
                rf"scrapinghub/article-extraction-benchmark@[0-9a-f]{{40}}:html/{row['id']}[0-9a-f]{{52}}\.html\.gz"
            )
        assert re.fullmatch(source, row["source"]), row["id"]
        assert row["url"].startswith("http") and row["site"] in row["url"] and not row["site"].startswith("www.")
        assert row["title"] == " ".join(row["title"].split()) and row["title"]
        assert all(a == " ".join(a.split()) and not a.lower().startswith("by ") for a in row["authors"]), row["id"]
        assert len(row["body"].split()) >= 80, row["id"]


def test_pages_decompress_and_decode():
    for page in PAGES:
        raw = gzip.decompress((rp.FIXTURES / "html" / f"{page.id}.html.gz").read_bytes())
        html = rp.page_html(page)
        assert html == rp.page_html(page.id) and "<html" in html.lower()[:5000], page.id
        assert html.count("\ufffd") <= raw.count(b"\xef\xbf\xbd"), page.id  # nothing lost in decoding


# --- truth against the page's visible text ----------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_title_is_one_block_of_the_paragraphs_dump(page, dumps):
    assert page.title in dumps[page.id]["paragraphs"].rstrip("\n").split("\n\n")


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_authors_and_tags_are_visible(page, dumps):
    text = dumps[page.id]["paragraphs"].lower()
    for name in page.authors + page.tags:
        assert name.lower() in text, name


def test_truth_bodies_are_in_the_paragraphs_dump(dumps):
    shares = {page.id: body_share(page.body, dumps[page.id]["paragraphs"]) for page in PAGES}
    low = {pid: round(share, 3) for pid, share in shares.items() if share < MIN_BODY_SHARE}
    assert not low, f"pages whose body is not in the dump: {low}"


def test_elements_dump_holds_the_same_words(dumps):
    # same text, other line breaks: every body word is in the element dump about as often
    for page in PAGES:
        assert body_share(page.body, dumps[page.id]["elements"]) >= MIN_BODY_SHARE, page.id


def test_script_and_style_never_reach_a_dump(dumps):
    for page in PAGES:
        soup = BeautifulSoup(dumps[page.id]["html"], "lxml")
        code = [
            line.strip()
            for tag in soup.find_all(["script", "style"])
            for line in tag.get_text().splitlines()
            if len(line.strip()) >= 40 and re.search(r"[{};=]", line)
        ]
        for form in ("paragraphs", "elements"):
            leaked = [line for line in code if line in dumps[page.id][form]]
            assert not leaked, (page.id, form, leaked[:2])


def test_dumps_are_deterministic(dumps):
    page = PAGES[0]
    html = rp.page_html(page)
    assert rp.dump_paragraphs(html) == dumps[page.id]["paragraphs"]
    assert rp.dump_elements(html) == dumps[page.id]["elements"]


# --- the dumpers on small hand-made pages -----------------------------------------------------

SMALL = """<!DOCTYPE html>
<html><head><title>Head title</title><style>p { color: red; } /* STYLE-MARK */</style>
<script>var x = "SCRIPT-MARK";</script></head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
  <h1>  A   headline
     over two lines </h1>
  <p><span class="dropcap">O</span>nce upon a time, <a href="/x">a link</a> sat inside a <b>bold</b> sentence.</p>
  <p>Second<br>line after a break.</p>
  <div hidden>HIDDEN-MARK</div><p style="color: red; DISPLAY : none">NONE-MARK</p>
  <noscript>NOSCRIPT-MARK</noscript><template><p>TEMPLATE-MARK</p></template>
  <svg><text>SVG-MARK</text></svg><iframe src="/ad">IFRAME-MARK</iframe>
  <div>Loose text <em>in</em> a div<div>and a nested div</div>tail text</div>
  <table><tr><td>cell one</td><td>cell&nbsp;two</td></tr></table>
  <footer>&copy; 2019 Footer</footer>
</body></html>"""
MARKS = ("STYLE", "SCRIPT", "HIDDEN", "NONE", "NOSCRIPT", "TEMPLATE", "SVG", "IFRAME")


def test_visible_blocks_of_a_small_page():
    assert rp.visible_blocks(SMALL) == [
        "Home",
        "News",
        "A headline over two lines",
        "Once upon a time, a link sat inside a bold sentence.",
        "Second",
        "line after a break.",
        "Loose text in a div",
        "and a nested div",
        "tail text",
        "cell one",
        "cell two",
        "© 2019 Footer",
    ]
    assert rp.dump_paragraphs(SMALL) == "\n\n".join(rp.visible_blocks(SMALL)) + "\n"
    assert rp.dump_paragraphs("<html><body> </body></html>") == ""


def test_elements_dump_breaks_after_every_element():
    lines = rp.dump_elements(SMALL).split("\n")
    start = lines.index("O")  # the drop cap is a line of its own
    assert lines[start : start + 5] == ["O", "nce upon a time,", "a link", "sat inside a", "bold"]
    assert lines[start + 5] == "sentence."
    assert "A   headline" in lines  # get_text keeps a text node's own spacing; only the ends are stripped
    text = rp.dump_elements(SMALL)
    assert text.endswith("\n") and "\n\n\n" not in text and text == text.lstrip()


def test_elements_dump_is_get_text_without_runs_of_blank_lines():
    html = "<div>\n  <p>One <a href='#'>two</a> three</p>\n\n\n  <p>Four</p>\n</div>"
    assert rp.dump_elements(html) == "One\ntwo\nthree\n\nFour\n"
    raw = BeautifulSoup(html, "lxml").get_text("\n")
    assert [line.strip() for line in raw.splitlines() if line.strip()] == ["One", "two", "three", "Four"]


@pytest.mark.parametrize("dump", [rp.dump_paragraphs, rp.dump_elements])
def test_skipped_and_hidden_text_never_appears(dump):
    text = dump(SMALL)
    assert "Once upon" in text or "nce upon" in text
    for mark in MARKS:
        assert f"{mark}-MARK" not in text, mark
    assert "Head title" not in text


def test_decode_html_honours_the_declared_charset():
    latin = '<html><head><meta charset="iso-8859-1"></head><body><p>café</p></body></html>'.encode("cp1252")
    assert "café" in rp.decode_html(latin)
    legacy = (
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>'
    )
    assert "Привет" in rp.decode_html(legacy)
    assert rp.decode_html(b"<p>caf\xc3\xa9 \xff</p>") == "<p>café \ufffd</p>"  # undeclared: UTF-8, bad bytes replaced
    assert rp.decode_html(b'<meta charset="no-such-codec"><p>ok</p>').endswith("<p>ok</p>")
    assert rp.decode_html(b"\xef\xbb\xbf<p>bom</p>") == "<p>bom</p>"


# --- front pages --------------------------------------------------------------------------------


def test_front_pages_are_deterministic_and_mix_sites():
    groups = rp.front_pages(PAGES, random_state=3)
    assert groups == rp.front_pages(list(reversed(PAGES)), random_state=3)  # input order does not matter
    assert groups != rp.front_pages(PAGES, random_state=4)
    by_id = {page.id: page for page in PAGES}
    placed = [pid for _, ids in groups for pid in ids]
    assert sorted(placed) == sorted(IDS)  # every page in exactly one group
    for text, ids in groups:
        assert 3 <= len(ids) <= 5
        assert len({by_id[pid].site for pid in ids}) == len(ids)
        # the pages run together in the order given, a blank line between them
        assert text == "\n".join(rp.dump_paragraphs(rp.page_html(pid)) for pid in ids)
        positions = [text.index(by_id[pid].title) for pid in ids]
        assert positions == sorted(positions)


def test_front_pages_sizes_and_leftovers():
    pages = PAGES[:7]
    groups = rp.front_pages(pages, size=(3, 4), random_state=0)
    assert sorted(len(ids) for _, ids in groups) == [3, 4]
    assert len(rp.front_pages(pages[:2], size=(3, 5))) == 0  # too few pages for one group
    same_site = [page for page in PAGES if page.site == PAGES[0].site] * 3
    assert rp.front_pages(same_site, size=(2, 2)) == []  # no two pages of one site share a group
    with pytest.raises(ValueError):
        rp.front_pages(PAGES, size=(4, 3))
