"""Folders and encodings: a bad file is skipped with one line, unsupported files are named once, and
``encoding`` only decodes what neither UTF-8, a byte-order mark nor the page's own declaration decodes."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from analysis.ingest import corpus, reading
from analysis.ingest.corpus import InputError, Skipped, SkippedFileWarning, load_articles

PAGE = (
    "Harbour dredging starts in May\n\n"
    "By Jane Doe | April 2, 2021\n\n"
    "Dredgers will deepen the channel to sixteen metres from the first week of May, the port said.\n\n"
    "The work is expected to last until the autumn and will close the north quay to visitors.\n"
)
#: A page whose body holds "café’s": é and ’ are one byte each in cp1252 (0xe9, 0x92), neither valid UTF-8.
CAFE_PAGE = (
    "Café owners plead for fair rent\n\n"
    "By Jane Doe | April 2, 2021\n\n"
    "The café’s owners said the rent had doubled in two years and asked the council for help with it.\n\n"
    "They will meet the mayor on Monday to discuss a plan for the street and the shops along it.\n"
)
#: Bad files of every kind a scraper leaves behind, with what their one-line reason says.
BAD_FILES = [
    ("empty.txt", b"", "the file is empty"),
    ("blank.txt", b"  \n\n\t\n", "only white space"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    ("latin.txt", CAFE_PAGE.encode("cp1252"), "not valid utf-8"),
    ("nothing.txt", b"Home | News | About\n\nSubscribe to our newsletter\n", "no recognisable articles"),
    ("broken.jsonl", b'{"title": "x", "text": "y"}\n{"title": \n', "not valid JSON"),
    ("object.json", b'{"title": "x", "text": "y"}', "expected a JSON list"),
    ("cols.csv", b"headline,summary\nA,B\n", "no text column"),
]


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def test_regression_one_empty_file_no_longer_aborts_a_folder(tmp_path):
    """Reproduced first: an empty file beside a good page stopped the whole folder with an error."""
    write(tmp_path / "a.txt", PAGE)
    write(tmp_path / "b.txt", b"")
    skipped: list[Skipped] = []
    articles = load_articles([tmp_path], skipped=skipped)
    assert [a.title for a in articles] == ["Harbour dredging starts in May"]
    (only,) = skipped
    assert only.path == tmp_path / "b.txt" and not only.unsupported
    assert only.message == f"{tmp_path / 'b.txt'}: the file is empty; remove it or re-run the scraper for this page"


@pytest.mark.parametrize(("name", "content", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_in_a_folder_is_skipped_with_one_line_naming_it_and_the_fix(tmp_path, name, content, reason):
    write(tmp_path / "good.txt", PAGE)
    write(tmp_path / name, content)
    skipped: list[Skipped] = []
    articles = load_articles([tmp_path], skipped=skipped)
    assert [a.source for a in articles] == [corpus.display_path(tmp_path / "good.txt")]
    (note,) = corpus.skipped_notes(skipped)
    assert note.startswith(f"skipped {tmp_path / name}") and reason in note
    assert "\n" not in note and ";" in note  # one line: what is wrong; what to do


def test_an_unreadable_file_in_a_folder_is_skipped(tmp_path, monkeypatch):
    """Root reads chmod-000 files, so the refusal is simulated where the package opens files."""
    write(tmp_path / "a.txt", PAGE)
    locked = write(tmp_path / "b.txt", PAGE.replace("Harbour", "Ferry"))
    real_open = open

    def refuse(file, *args, **kwargs):
        if Path(file) == locked:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(reading, "open", refuse, raising=False)
    skipped: list[Skipped] = []
    assert [a.title for a in load_articles([tmp_path], skipped=skipped)] == ["Harbour dredging starts in May"]
    assert [s.message for s in skipped] == [
        f"{locked}: permission denied; make the file readable (chmod +r) or remove it"
    ]


def test_strict_stops_at_the_first_bad_file(tmp_path):
    write(tmp_path / "a.txt", PAGE)
    write(tmp_path / "b.txt", b"")
    with pytest.raises(InputError, match=r"b\.txt: the file is empty"):
        load_articles([tmp_path], strict=True)


def test_a_required_file_that_is_bad_stops_the_run(tmp_path):
    good = write(tmp_path / "a.txt", PAGE)
    bad = write(tmp_path / "b.txt", b"")
    with pytest.raises(InputError, match=r"b\.txt: the file is empty"):
        load_articles([good, bad], required=[bad])
    assert len(load_articles([good, bad], skipped=[])) == 1  # not required: skipped


def test_the_run_fails_only_when_nothing_is_readable(tmp_path):
    one = write(tmp_path / "single" / "only.txt", b"")
    with pytest.raises(InputError) as caught:
        load_articles([one.parent])
    assert str(caught.value) == f"{one}: the file is empty; remove it or re-run the scraper for this page"
    write(tmp_path / "two" / "a.txt", b"")
    write(tmp_path / "two" / "b.txt", b"\x00\x01")
    with pytest.raises(InputError) as caught:
        load_articles([tmp_path / "two"])
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'two'}: none of the 2 files could be read; the first: ")
    assert "a.txt: the file is empty" in message and "\n" not in message


def test_without_a_list_each_skipped_file_is_one_warning(tmp_path):
    write(tmp_path / "a.txt", PAGE)
    write(tmp_path / "b.txt", b"")
    write(tmp_path / "c.jsonl", b"{not json\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        articles = load_articles([tmp_path])
    assert len(articles) == 1
    messages = [str(w.message) for w in caught if issubclass(w.category, SkippedFileWarning)]
    assert len(messages) == 2 and all("\n" not in m for m in messages)
    assert "b.txt: the file is empty" in messages[0] and "c.jsonl:1: not valid JSON" in messages[1]


def test_unsupported_files_are_named_in_one_note_and_junk_is_ignored(tmp_path):
    write(tmp_path / "page.txt", PAGE)
    for name in ("a.gz", "b.md", "c.xml", "sub/d.pdf"):
        write(tmp_path / name, b"x")
    for name in (".DS_Store", "Thumbs.db", "README.md", "__MACOSX/page.txt", ".git/config", "page.txt~"):
        write(tmp_path / name, b"junk")
    skipped: list[Skipped] = []
    load_articles([tmp_path], skipped=skipped)
    assert all(s.unsupported for s in skipped)
    (note,) = corpus.skipped_notes(skipped)
    names = ", ".join(corpus.display_path(tmp_path / n) for n in ("a.gz", "b.md", "c.xml", "sub/d.pdf"))
    assert note.startswith(
        f"skipped 4 files of unsupported types: {names}; supported: .arc, .arc.gz, .csv, .htm, .html, "
    )
    assert "DS_Store" not in note and "Thumbs" not in note and "README" not in note and "MACOSX" not in note


def test_a_folder_of_only_unsupported_files_says_so(tmp_path):
    write(tmp_path / "a.gz", b"x")
    with pytest.raises(InputError, match=r"no documents found \(1 file of unsupported types; supported: "):
        load_articles([tmp_path])


# --------------------------------------------------------------------------- encodings


def test_encoding_applies_only_to_files_that_are_not_utf8(tmp_path):
    """A mixed folder: "café’s" in UTF-8 and in cp1252; with encoding="cp1252" both decode right."""
    write(tmp_path / "a-utf8.txt", CAFE_PAGE)
    write(tmp_path / "b-cp1252.txt", CAFE_PAGE, "cp1252")
    articles = load_articles([tmp_path], encoding="cp1252")
    assert [a.source.rsplit("/", 1)[-1] for a in articles] == ["a-utf8.txt", "b-cp1252.txt"]
    assert all("The café’s owners said" in a.text for a in articles)
    assert [reading.read_decoded(tmp_path / n, "cp1252").describe() for n in ("a-utf8.txt", "b-cp1252.txt")] == [
        "utf-8",
        "cp1252 (--encoding)",
    ]


def html_page(charset_tag: str) -> str:
    return (
        f"<html><head>{charset_tag}<title>Café owners plead</title></head><body><article>"
        "<h1>Café owners plead for fair rent</h1>"
        "<p>The café’s owners said the rent had doubled in two years and asked the council for help with it.</p>"
        "<p>They will meet the mayor on Monday to discuss a plan for the street and the shops along it.</p>"
        "</article></body></html>"
    )


@pytest.mark.parametrize(
    "tag",
    [
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
        '<meta charset="windows-1252">',
        "<meta charset=iso-8859-1>",  # read as windows-1252, as browsers do: ’ is 0x92 there
    ],
)
def test_an_html_page_declaring_windows_1252_is_honoured_not_refused(tmp_path, tag):
    path = write(tmp_path / "page.html", html_page(tag), "cp1252")
    (article,) = load_articles([path])
    assert article.title == "Café owners plead for fair rent" and "The café’s owners" in article.text
    assert reading.read_decoded(path).describe() == "cp1252 (declared by the page)"


def test_the_page_declaration_wins_over_the_encoding_given(tmp_path):
    path = write(tmp_path / "page.html", html_page('<meta charset="windows-1252">'), "cp1252")
    (article,) = load_articles([path], encoding="latin-1")  # latin-1 would make ’ a control character
    assert "The café’s owners" in article.text


def test_a_page_resaved_as_utf8_with_its_old_declaration_is_utf8(tmp_path):
    path = write(tmp_path / "page.html", html_page('<meta charset="iso-8859-1">'))
    (article,) = load_articles([path])
    assert "The café’s owners" in article.text and "Ã" not in article.text
    assert reading.read_decoded(path).source == "the page declares cp1252, but its bytes are UTF-8"


def test_a_byte_order_mark_wins_over_the_encoding_given(tmp_path):
    path = write(tmp_path / "u16.txt", "\ufeff" + CAFE_PAGE, "utf-16-le")
    (article,) = load_articles([path], encoding="cp1252")
    assert "The café’s owners" in article.text


def test_without_encoding_the_error_advises_it(tmp_path):
    path = write(tmp_path / "page.txt", CAFE_PAGE, "cp1252")
    with pytest.raises(InputError, match=r"page\.txt: not valid utf-8 \(byte 0xe9 at offset 3\); .*--encoding cp1252"):
        load_articles([path])


@pytest.mark.parametrize("given", ["cp1252", "utf-8", "ascii"])
def test_a_refusal_never_advises_the_encoding_just_given(tmp_path, given):
    # 0x81 is undefined in cp1252 and invalid in UTF-8 and ASCII
    path = write(tmp_path / "page.txt", CAFE_PAGE.encode("cp1252").replace(b"rent", b"r\x81nt"))
    with pytest.raises(InputError) as caught:
        load_articles([path], encoding=given)
    message = str(caught.value)
    tried, advice = message.split("; the file is in another encoding: try --encoding ")
    assert tried.startswith(f"{path}: ") and "valid utf-8" in tried and "(byte 0x" in tried
    suggested = advice.split(" (latin-1")[0].replace(" or ", ", ").split(", ")
    assert len(suggested) >= 2 and given not in suggested and f"--encoding {given}" not in message
    assert advice.endswith("or re-save the file as UTF-8")


def test_an_unknown_encoding_is_refused_before_any_file_is_read(tmp_path):
    path = write(tmp_path / "page.txt", PAGE)  # valid UTF-8: the codec would never be used, still a typo
    with pytest.raises(InputError, match=r"page\.txt: unknown encoding 'klingon'; pass a Python codec name"):
        load_articles([path], encoding="klingon")
    with pytest.raises(InputError, match="unknown encoding"):
        load_articles([tmp_path], encoding="klingon", skipped=[])  # not a per-file problem: never skipped


def test_declared_encoding_reads_meta_tags_and_xml_declarations():
    assert reading.declared_encoding(b'<html><head><meta charset="UTF-8">') == "utf-8"
    assert reading.declared_encoding(b"<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=Shift_JIS'>") == (
        "shift_jis"
    )
    assert reading.declared_encoding(b'<?xml version="1.0" encoding="ISO-8859-2"?><html>') == "iso8859-2"
    assert reading.declared_encoding(b'<meta charset="x-no-such-thing">') is None
    assert reading.declared_encoding(b"<p>charset=cp1252 in the text is not a declaration</p>") is None


def test_a_page_its_declaration_does_not_decode_is_refused_without_advising_that_codec(tmp_path):
    broken = html_page('<meta charset="windows-1252">').encode("cp1252").replace(b"rent", b"r\x81nt")
    path = write(tmp_path / "page.html", broken)
    with pytest.raises(InputError) as caught:
        load_articles([path])
    message = str(caught.value)
    assert message.startswith(f"{path}: not valid utf-8 nor valid cp1252, as the page declares (byte 0xe9 at offset ")
    assert message.endswith("re-save the file as UTF-8 or pass its encoding, e.g. --encoding cp1250")
    (article,) = load_articles([path], encoding="latin-1")  # the declaration failed: the encoding given is tried
    assert article.title.startswith("Café owners plead")


def test_a_page_declaring_utf8_that_is_not_is_refused_once(tmp_path):
    path = write(tmp_path / "page.html", html_page('<meta charset="utf-8">'), "cp1252")
    with pytest.raises(InputError, match=r"page\.html: not valid utf-8 \(byte 0xe9 at offset \d+\); re-save"):
        load_articles([path])


@pytest.mark.parametrize(
    ("garbled", "repaired", "count"),
    [
        ("The council isnâ€™t done â€” yet", "The council isn’t done — yet", 2),  # read as windows-1252
        ("A DIY Investor\u00e2\u0080\u0099s Guide", "A DIY Investor’s Guide", 1),  # read as Latin-1
        ("cafÃ© au lait,Â\u00a0please", "café au lait,\u00a0please", 2),  # letters, a no-break space
        ("Ã‰cole", "Ã‰cole", 0),  # one garbled capital alone is too little evidence
        ("â€œÃ‰cole", "“École", 2),  # with a garbled quote, it is repaired
        ("â€œÐ¿Ñ€Ð¸Ð²ÐµÑ‚", "“привет", 2),  # garbled Cyrillic comes as a run
        ("KING OF SÃƒÂ£O PAULO, CLICHÃƒÂ©", "KING OF SãO PAULO, CLICHé", 6),  # garbled twice: two passes
        ("Welcome ðŸ˜€ to the river", "Welcome 😀 to the river", 1),  # a four-byte emoji
    ],
)
def test_utf8_read_as_windows_1252_upstream_is_repaired(garbled, repaired, count):
    assert reading.repair_garbled(garbled) == (repaired, count)


@pytest.mark.parametrize(
    "text",
    [
        "„Viele Grüße“ und „Gruß“ schrieb sie.",  # "ß“" would read as N'Ko
        "SÃO PAULO and São Paulo",  # a capital Ã before a letter
        "“AMANHÃ” e “MAÇÃ”",  # a capital Ã before a closing quote
        "Le café…” dit-il. SANTÉ\u00a0: « Hawaï\u00a0»",
        "«BLÅ» og KOÇ’UN, “SÍ”",
        "One garbled letter alone: cafÃ©",  # too little evidence
        "Plain text with no accents at all.",
    ],
)
def test_text_that_is_not_garbled_is_left_alone(text):
    assert reading.repair_garbled(text) == (text, 0)
    # and the same text on a page garbled elsewhere: only the garbled word changes
    assert reading.repair_garbled(f"isnâ€™t {text}") == (
        f"isn’t {text.replace('cafÃ©', 'café')}",
        1 + ("cafÃ©" in text),
    )


def test_a_garbled_page_is_read_repaired_and_the_audit_says_so(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Flood wall to be finished early\n\nThe authority said it isnâ€™t over.\n", encoding="utf-8")
    decoded = reading.read_decoded(page)
    assert decoded.text == "Flood wall to be finished early\n\nThe authority said it isn’t over.\n"
    assert decoded.describe() == "utf-8"  # the codec alone: web archives count pages by it
    assert decoded.describe_with_repairs() == "utf-8, 1 garbled sequence repaired"
