"""Loading documents: formats, order, ids, paragraphs, and clear errors on bad input."""

from __future__ import annotations

import json
import os

import pytest

from analysis.ingest import corpus
from analysis.ingest.corpus import InputError, iter_paragraphs, load_articles

PAGE = (
    "Tags: harbour, port\n\n"
    "Harbour dredging starts in May\n\n"
    "By Jane Doe | April 2, 2021\n\n"
    "Dredgers will deepen the channel to sixteen metres from the first week of May.\n\n"
    "The work is expected to last until the autumn, the port authority said.\n"
)


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_plain_page(tmp_path):
    (article,) = load_articles([write(tmp_path / "p.txt", PAGE)])
    assert article.title == "Harbour dredging starts in May"
    assert article.tags == ("harbour", "port")
    assert (article.byline, article.date) == ("Jane Doe", "April 2, 2021")
    assert article.text.count("\n\n") == 1
    assert article.n_words == 14 + 13
    assert article.id == "p-000"


def test_paragraph_units_have_stable_ids(tmp_path):
    articles = load_articles([write(tmp_path / "p.txt", PAGE)])
    paragraphs = list(iter_paragraphs(articles))
    assert [p.id for p in paragraphs] == ["p-000-p000", "p-000-p001"]
    assert paragraphs[1].text.startswith("The work is expected")
    assert [p.id for p in iter_paragraphs(load_articles([tmp_path / "p.txt"]))] == [p.id for p in paragraphs]


def test_jsonl_csv_json_records(tmp_path):
    rows = [
        {"title": "One", "text": "First paragraph.\n\nSecond paragraph.", "tags": ["a", "b"], "author": "X"},
        {"title": "Two", "text": "", "tags": []},
        {"headline": "Three", "body": "Only paragraph.", "tags": "c; d"},
    ]
    write(tmp_path / "a.jsonl", "\n".join(json.dumps(r) for r in rows))
    write(tmp_path / "b.json", json.dumps(rows))
    write(
        tmp_path / "c.csv",
        'title,text,tags\nOne,"First paragraph.\n\nSecond paragraph.","a, b"\nThree,Only paragraph.,c\n',
    )
    articles = load_articles([tmp_path])
    assert [a.source.rsplit("/", 1)[-1] for a in articles] == [
        "a.jsonl",
        "a.jsonl",
        "b.json",
        "b.json",
        "c.csv",
        "c.csv",
    ]
    first, third = articles[0], articles[1]
    assert first.paragraphs == ("First paragraph.", "Second paragraph.")
    assert first.tags == ("a", "b") and first.byline == "X"
    assert third.title == "Three" and third.tags == ("c", "d") and third.position == 2  # empty record skipped
    assert articles[4].paragraphs == ("First paragraph.", "Second paragraph.")


def test_html_main_text(tmp_path):
    html = (
        "<html><head><title>Site | Big headline</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/about'>About</a></nav><article><h1>Big headline</h1>"
        "<p>First paragraph with some words in it to count as text for the extractor here, and more words.</p>"
        "<p>Second paragraph also has several words, enough to be kept by the extractor, and it goes on.</p>"
        "</article><footer>Copyright 2020 Example.com</footer></body></html>"
    )
    (article,) = load_articles([write(tmp_path / "page.html", html)])
    assert article.title == "Big headline"
    assert article.paragraphs[0].startswith("First paragraph")
    assert not any("Home" in p or "Copyright" in p for p in article.paragraphs)


def test_folder_order_is_sorted_and_skips_readme(tmp_path):
    for name in ("b.txt", "a.txt", "README.md", ".hidden.txt"):
        write(tmp_path / name, PAGE)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "c.txt", PAGE)
    assert [p.name for p in corpus.find_files([tmp_path])] == ["a.txt", "b.txt", "c.txt"]


def test_encodings(tmp_path):
    assert load_articles([write(tmp_path / "bom8.txt", "\ufeff" + PAGE)])[0].title.startswith("Harbour")
    assert load_articles([write(tmp_path / "u16.txt", "\ufeff" + PAGE, "utf-16-le")])[0].title.startswith("Harbour")
    latin = write(tmp_path / "latin.txt", PAGE.replace("Dredgers", "Dredgers café"), "cp1252")
    with pytest.raises(InputError, match=r"latin\.txt: not valid utf-8 .*--encoding cp1252"):
        load_articles([latin])
    assert "café" in load_articles([latin], encoding="cp1252")[0].text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n\t\n", "only white space"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("nothing.txt", b"Home | News | About\n\nSubscribe to our newsletter\n", "no recognisable articles"),
        ("list.json", b'{"title": "x", "text": "y"}', "expected a JSON list"),
        ("broken.jsonl", b'{"title": "x", "text": "y"}\n{"title": \n', "broken.jsonl:2: not valid JSON"),
        ("cols.csv", b"headline,summary\nA,B\n", "no text column .*found: headline, summary"),
        ("doc.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
    ],
)
def test_bad_input_names_the_file_and_the_fix(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        load_articles([path])
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_missing_path():
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        load_articles(["does/not/exist"])


def test_empty_folder(tmp_path):
    with pytest.raises(InputError, match="no documents found"):
        load_articles([tmp_path])


def test_default_corpus_is_the_seed_folder():
    articles = load_articles()
    assert len(articles) == 10
    assert {a.source for a in articles} == {"seeds/000_117e1a02a6deec84.txt"}


# Regressions from the first review: each input once gave a traceback, a hang or silent loss.


def test_regression_csv_field_over_128k(tmp_path):
    body = "word " * 40_000
    (article,) = load_articles([write(tmp_path / "long.csv", f'title,text\nLong,"{body}"\n')])
    assert article.n_words == 40_000


def test_regression_deeply_nested_json(tmp_path):
    with pytest.raises(InputError, match="nested too deeply"):
        load_articles([write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)])


def test_regression_fifo_in_folder_is_skipped(tmp_path):
    write(tmp_path / "a.txt", PAGE)
    os.mkfifo(tmp_path / "b.txt")
    assert [p.name for p in corpus.find_files([tmp_path])] == ["a.txt"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title,text\nT1,Hello, world and more words here\n", "more fields than the header"),
        ("title,text,tags\nT1,Some text here\n", "fewer fields than the header"),
    ],
)
def test_regression_csv_row_length(tmp_path, content, message):
    with pytest.raises(InputError, match=message):
        load_articles([write(tmp_path / "rows.csv", content)])


@pytest.mark.parametrize("text", ['{"b": 2}', "NaN", "5"])
def test_regression_text_must_be_a_string(tmp_path, text):
    path = write(tmp_path / "odd.jsonl", '{"title": "T", "text": ' + text + "}\n")
    with pytest.raises(InputError, match="'text' must be a string"):
        load_articles([path])


def test_regression_nul_after_64k(tmp_path):
    path = tmp_path / "late.txt"
    path.write_bytes(PAGE.encode() + b"x" * 70_000 + b"\x00")
    with pytest.raises(InputError, match="binary"):
        load_articles([path])


def test_regression_utf16_without_bom_suggests_encoding(tmp_path):
    path = write(tmp_path / "u16.txt", PAGE, "utf-16-le")
    with pytest.raises(InputError, match="--encoding utf-16-le"):
        load_articles([path])
    assert load_articles([path], encoding="utf-16-le")[0].title == "Harbour dredging starts in May"


def test_regression_lone_surrogate_in_json(tmp_path):
    (article,) = load_articles([write(tmp_path / "s.jsonl", '{"title": "T\\ud800", "text": "Body text here"}\n')])
    assert article.title == "T\ufffd"


def test_regression_unreadable_folder_is_reported(tmp_path):
    with pytest.raises(InputError, match="folder cannot be read"):
        list(corpus._walk(tmp_path / "gone"))


def test_jsonl_lines_may_hold_unicode_line_separators_inside_strings():
    import json

    from analysis.ingest import corpus

    text = (
        json.dumps({"title": "a\u2028b", "text": "x\u2029y"}, ensure_ascii=False)
        + "\r\n"
        + json.dumps({"title": "c", "text": "d"})
        + "\n"
    )
    from pathlib import Path

    records = corpus.read_records(text, Path("feed.jsonl"))
    assert [r["title"] for r in records] == ["a\u2028b", "c"]
