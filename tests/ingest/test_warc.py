"""Web archives as input: a WARC's HTML pages read as the same pages saved as .html files are.

The archives are built here, in temporary folders, from real pages of
``tests/fixtures/realpages/html`` with warcio's own writer (response records with HTTP
headers, a request, a revisit, an image, a 404, a warcinfo record), and an ARC file by hand
(warcio writes no ARC).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from analysis.ingest import audit, corpus, reading, warc
from analysis.ingest.corpus import InputError, load_articles
from analysis.paths import FIGURES_ENV, ROOT, SEEDS_ENV

REALPAGES = Path(__file__).parents[1] / "fixtures" / "realpages"
TRUTH = {page["id"]: page for page in json.loads((REALPAGES / "truth.json").read_text(encoding="utf-8"))}
#: The real pages archived, in archive order; the first is served as windows-1252 with its
#: charset in the HTTP header only, the last without any Content-Type (sniffed as HTML).
PAGES = ("06ee193de4bd", "14cc2a0ca59c", "63db31a161b3", "30b771a40a4e", "42aad16bde92")
#: A page that states no publication date: its article's date is the capture date.
UNDATED = (
    "<!DOCTYPE html><html><head><title>Harbour dredging starts in May</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Harbour dredging starts in May</h1>"
    + "".join(
        f"<p>Paragraph {n}: dredgers will deepen the channel to sixteen metres, the port authority said "
        f"on Tuesday, and the work is expected to last until the autumn of next year ({n}).</p>"
        for n in range(1, 7)
    )
    + "</article><footer>Contact us</footer></body></html>"
).encode("utf-8")
UNDATED_URL = "https://harbour.example/news/dredging"
EMPTY_PAGE = b"<!DOCTYPE html><html><head><title>Nothing</title></head><body></body></html>"


def capture_date(n: int) -> str:
    return f"2024-05-{n + 1:02d}T12:00:00Z"


def real_page(page_id: str) -> bytes:
    return gzip.decompress((REALPAGES / "html" / f"{page_id}.html.gz").read_bytes())


def response(writer, url: str, body: bytes, content_type: str | None, date: str, status: str = "200 OK"):
    headers = [("Content-Type", content_type)] if content_type else []
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    return writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": date}
    )


def write_archive(path: Path, compress: bool = True) -> None:
    """The test crawl: 7 HTML pages (5 real, 1 undated, 1 without text) among 12 records."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test crawler"}))
        for n, page_id in enumerate(PAGES):
            url = TRUTH[page_id]["url"]
            if n == 0:
                request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
                body, kind = real_page(page_id).decode("utf-8").encode("cp1252"), "text/html; charset=windows-1252"
            else:
                body, kind = real_page(page_id), None if n == len(PAGES) - 1 else "text/html; charset=UTF-8"
            writer.write_record(response(writer, url, body, kind, capture_date(n)))
        writer.write_record(response(writer, UNDATED_URL, UNDATED, "text/html", capture_date(9)))
        writer.write_record(response(writer, "https://harbour.example/empty", EMPTY_PAGE, "text/html", capture_date(9)))
        writer.write_record(
            response(writer, "https://harbour.example/logo.png", b"\x89PNG\r\n\x1a\n", "image/png", capture_date(9))
        )
        missing = response(
            writer, "https://harbour.example/gone", b"<html>Not found</html>", "text/html", "", "404 Not Found"
        )
        writer.write_record(missing)
        revisit = writer.create_revisit_record(
            TRUTH[PAGES[1]]["url"], "sha1:AAAA", TRUTH[PAGES[1]]["url"], capture_date(1),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
        )  # fmt: skip
        writer.write_record(revisit)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("archives") / "crawl.warc.gz"
    write_archive(path)
    return path


@pytest.fixture(scope="module")
def read(crawl) -> warc.ArchiveRead:
    return warc.read_archive(crawl)


@pytest.fixture(scope="module")
def as_html_files(tmp_path_factory) -> list[corpus.Article]:
    """The same pages saved as .html files (as scraped, UTF-8), read by the HTML reader."""
    folder = tmp_path_factory.mktemp("html")
    for n, page_id in enumerate(PAGES):
        (folder / f"{n}-{page_id}.html").write_bytes(real_page(page_id))
    (folder / "5-undated.html").write_bytes(UNDATED)
    return load_articles([folder])


def facts(article: corpus.Article, date: str | None = None) -> tuple:
    return (article.title, article.byline, article.date or date, article.tags, article.paragraphs)


def test_one_article_per_html_page_with_its_url_and_record(crawl, read):
    urls = [TRUTH[page_id]["url"] for page_id in PAGES] + [UNDATED_URL]
    assert [a.url for a in read.articles] == urls
    assert [a.id for a in read.articles] == [f"crawl-{n:03d}" for n in range(6)]
    assert [a.position for a in read.articles] == list(range(6))
    assert [a.line for a in read.articles] == [3, 4, 5, 6, 7, 8]  # record numbers: warcinfo 1, request 2
    assert {a.source for a in read.articles} == {corpus.display_path(crawl)}


def test_records_that_are_not_pages_are_counted_by_kind(read):
    stats = read.stats
    assert (stats.records, stats.pages) == (12, 6)
    assert stats.skipped_by_kind() == {
        "warcinfo": 1,
        "request": 1,
        "revisit": 1,
        "not HTML": 1,
        "no text": 1,
        "status 404": 1,
    }
    assert stats.describe() == (
        "6 pages read of 12 records; skipped: 1 warcinfo, 1 request, 1 revisit, 1 not HTML, 1 no text, 1 status 404"
    )


def test_archived_pages_read_as_the_same_pages_saved_as_html(read, as_html_files):
    """The key property: title, byline, date (the page's own, else the capture date), tags, paragraphs."""
    assert len(as_html_files) == len(read.articles) == 6
    captures = [capture_date(n) for n in range(len(PAGES))] + [capture_date(9)]
    for from_archive, from_file, captured in zip(read.articles, as_html_files, captures):
        assert facts(from_archive) == facts(from_file, captured)


def test_page_dates_win_over_capture_dates(read, as_html_files):
    assert read.articles[1].date == as_html_files[1].date is not None
    assert read.articles[1].date != capture_date(1)
    assert as_html_files[5].date is None and read.articles[5].date == capture_date(9) == "2024-05-10T12:00:00Z"


def test_the_http_charset_decodes_a_windows_1252_page(read):
    first = read.articles[0]
    assert "Volkswagen’s first ID.3" in first.text  # U+2019 from byte 0x92, the page's own <meta> says UTF-8
    assert read.stats.encodings["cp1252 (declared by the server)"] == 1
    assert sum(read.stats.encodings.values()) == 6


def test_an_uncompressed_warc_reads_the_same(tmp_path, read):
    path = tmp_path / "plain.warc"
    write_archive(path, compress=False)
    plain = warc.read_archive(path)
    assert [facts(a) for a in plain.articles] == [facts(a) for a in read.articles]
    assert [a.id for a in plain.articles][:2] == ["plain-000", "plain-001"]
    assert plain.stats.skipped_by_kind() == read.stats.skipped_by_kind()


def arc_record(header: str, body: bytes) -> bytes:
    return f"{header} {len(body)}\n".encode() + body + b"\n"


def write_arc(path: Path, compress: bool) -> None:
    """An ARC v1 file by hand: the file header record, two HTML responses and a GIF."""
    parts = [
        arc_record(
            f"filedesc://{path.name} 0.0.0.0 20191120000000 text/plain",
            b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n",
        )
    ]
    for page_id, stamp in ((PAGES[1], "20191120101500"), (PAGES[2], "20191121090000")):
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + real_page(page_id)
        parts.append(arc_record(f"{TRUTH[page_id]['url']} 192.0.2.1 {stamp} text/html", http))
    gif = b"HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\n\r\nGIF89a"
    parts.append(arc_record("https://example.org/a.gif 192.0.2.1 20191121090001 image/gif", gif))
    path.write_bytes(b"".join(gzip.compress(p, mtime=0) for p in parts) if compress else b"".join(parts))


@pytest.mark.parametrize("name", ["old.arc.gz", "old.arc"])
def test_arc_files(tmp_path, read, name):
    path = tmp_path / name
    write_arc(path, compress=name.endswith(".gz"))
    found = warc.read_archive(path)
    assert [a.url for a in found.articles] == [TRUTH[PAGES[1]]["url"], TRUTH[PAGES[2]]["url"]]
    assert [a.id for a in found.articles] == ["old-000", "old-001"]
    assert [facts(a) for a in found.articles] == [facts(a) for a in read.articles[1:3]]
    assert found.stats.records == 4 and found.stats.skipped_by_kind() == {"warcinfo": 1, "not HTML": 1}


def test_an_arc_page_without_its_own_date_gets_the_arc_capture_date(tmp_path):
    path = tmp_path / "undated.arc"
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + UNDATED
    path.write_bytes(arc_record(f"{UNDATED_URL} 192.0.2.1 20240102103000 text/html", http))
    (article,) = warc.read_archive(path).articles
    assert (article.date, article.url) == ("2024-01-02T10:30:00Z", UNDATED_URL)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.999])
def test_a_truncated_archive_fails_with_one_clear_line(tmp_path, crawl, keep):
    data = crawl.read_bytes()
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(InputError) as caught:
        warc.read_archive(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: damaged at record ")
    assert "byte offset" in message and "re-download" in message and "truncated" in message


def test_the_damage_is_placed_at_its_record(tmp_path, crawl):
    data = crawl.read_bytes()
    offsets = []
    with open(crawl, "rb") as handle:
        iterator = ArchiveIterator(handle)
        for _ in iterator:
            offsets.append(iterator.get_record_offset())
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: offsets[4] + 40])  # the gzip member of record 5 cut inside its header
    with pytest.raises(
        InputError, match=rf"damaged at record 5 \(byte offset {offsets[4]:,}\): its gzip member is cut"
    ):
        warc.read_archive(path)
    path.write_bytes(data[: offsets[5] - 3])  # record 5's gzip trailer cut: its content was whole
    with pytest.raises(InputError, match=rf"damaged at record 5 \(byte offset {offsets[4]:,}\)"):
        warc.read_archive(path)


def test_a_truncated_uncompressed_warc_names_the_short_record(tmp_path):
    path = tmp_path / "plain.warc"
    write_archive(path, compress=False)
    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle)
        offsets = [iterator.get_record_offset() for _ in iterator]
    path.write_bytes(path.read_bytes()[: offsets[7] + 900])  # inside the undated page, record 8
    with pytest.raises(
        InputError, match=rf"damaged at record 8 \(byte offset {offsets[7]:,}\): its content ends [0-9,]+ bytes before"
    ):
        warc.read_archive(path)


def test_other_unreadable_archives(tmp_path, crawl):
    zipped = tmp_path / "pages.warc"
    zipped.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\n")
    with pytest.raises(InputError, match=r"damaged at record 1 \(byte offset 0\): no WARC or ARC record header"):
        warc.read_archive(zipped)
    html = tmp_path / "page.warc"  # its first line reads as an ARC record's header, of a response that is not HTTP
    html.write_bytes(UNDATED)
    with pytest.raises(
        InputError, match=r"no archived HTML page with main text; 0 pages read of 1 records; skipped: 1 not HTTP"
    ):
        warc.read_archive(html)
    one_stream = tmp_path / "one.warc.gz"
    one_stream.write_bytes(gzip.compress(gzip.decompress(crawl.read_bytes()), mtime=0))
    with pytest.raises(InputError, match=r"compressed as one gzip stream.*warcio recompress"):
        warc.read_archive(one_stream)
    nothing = tmp_path / "info.warc.gz"
    with open(nothing, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(nothing.name, {"software": "x"}))
    with pytest.raises(
        InputError, match=r"no archived HTML page with main text; 0 pages read of 1 records; skipped: 1"
    ):
        warc.read_archive(nothing)


def test_a_response_record_without_an_address_is_damage_in_one_line(tmp_path):
    # warcio itself fails (AttributeError) on such a record; the reader names the record and the field
    path = tmp_path / "no-address.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        record = response(
            writer, "https://example.org/a", b"<html><body><p>Text.</p></body></html>", "text/html", capture_date(1)
        )
        record.rec_headers.remove_header("WARC-Target-URI")
        writer.write_record(record)
    with pytest.raises(InputError, match=r"damaged at record 1 \(byte offset 0\): its header lacks .*WARC-Target-URI"):
        warc.read_archive(path)


def test_a_folder_with_an_archive_beside_text_pages(tmp_path, crawl, fixtures):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "crawl.warc.gz").write_bytes(crawl.read_bytes())
    (folder / "harbour_gazette.txt").write_bytes((fixtures / "pages" / "harbour_gazette.txt").read_bytes())
    (folder / "page.html.gz").write_bytes(b"x")
    inputs = corpus.find_inputs([folder])
    assert [p.name for p in inputs.files] == ["crawl.warc.gz", "harbour_gazette.txt"]
    assert [s.path.name for s in inputs.skipped] == ["page.html.gz"]
    skipped: list = []
    articles = load_articles([folder], skipped=skipped)
    from_archive = [a for a in articles if a.source.endswith(".warc.gz")]
    assert [a.id for a in from_archive] == [f"crawl-{n:03d}" for n in range(6)]
    assert len(articles) > 6 and all(a.url is None for a in articles if a not in from_archive)
    assert corpus.skipped_notes(skipped) == [
        f"skipped 1 file of unsupported type: {corpus.display_path(folder / 'page.html.gz')}; "
        f"supported: {corpus.supported_types()} (convert them, or move them out of the folder)"
    ]


def test_a_damaged_archive_in_a_folder_is_skipped_with_its_line(tmp_path, crawl, fixtures):
    (tmp_path / "cut.warc.gz").write_bytes(crawl.read_bytes()[:-500])
    (tmp_path / "harbour_gazette.txt").write_bytes((fixtures / "pages" / "harbour_gazette.txt").read_bytes())
    skipped: list = []
    articles = load_articles([tmp_path], skipped=skipped)
    assert articles and all(a.source.endswith(".txt") for a in articles)
    (note,) = corpus.skipped_notes(skipped)
    assert note.startswith(f"skipped {tmp_path / 'cut.warc.gz'}: damaged at record ")


@pytest.mark.parametrize(
    ("name", "suffix", "stem", "kind"),
    [
        ("crawl.warc.gz", ".warc.gz", "crawl", "web archive"),
        ("CRAWL.WARC.GZ", ".warc.gz", "CRAWL", "web archive"),
        ("site.2019.arc.gz", ".arc.gz", "site.2019", "web archive"),
        ("crawl.warc", ".warc", "crawl", "web archive"),
        ("notes.v2.txt", ".txt", "notes.v2", "text page"),
        ("page.html.gz", ".gz", "page.html", "other"),
        ("README", "", "README", "other"),
    ],
)
def test_input_suffix_decides_the_type(name, suffix, stem, kind):
    assert (corpus.input_suffix(name), corpus.input_stem(name), corpus.input_kind(name)) == (suffix, stem, kind)


@pytest.mark.parametrize(
    ("data", "charset", "encoding", "expected"),
    [
        ("café".encode("cp1252"), "ISO-8859-1", None, ("café", "cp1252", "declared by the server")),
        (b'<meta charset="koi8-r">' + "дом".encode("koi8-r"), None, None, (None, "koi8-r", "declared by the page")),
        (b'<meta charset="utf-8">' + "café".encode("cp1252"), "windows-1252", None, (None, "cp1252", "declared by the server")),
        ("café".encode(), "iso-8859-1", None, ("café", "utf-8", "the server declares cp1252, but its bytes are UTF-8")),
        ("café".encode(), None, None, ("café", "utf-8", "UTF-8")),
        ("café".encode("latin-1"), None, "latin-1", ("café", "iso8859-1", "--encoding")),
        (b"caf\xe9 \x81", None, None, ("café \ufffd", "cp1252", "windows-1252 fallback")),
        (b"\xef\xbb\xbfcaf\xc3\xa9", "cp1252", None, ("café", "utf-8", "byte-order mark")),
    ],
)  # fmt: skip
def test_decode_payload_order(data, charset, encoding, expected):
    decoded = reading.decode_payload(data, charset, encoding)
    text, codec, source = expected
    assert (decoded.encoding, decoded.source) == (codec, source)
    assert text is None or decoded.text == text


def test_html_is_sniffed_only_from_the_start_of_a_payload():
    assert warc.looks_like_html(b"\n <!DOCTYPE html><html>") and warc.looks_like_html(b"<!-- x --><HTML lang=en>")
    assert warc.looks_like_html(b'\xef\xbb\xbf<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">')
    assert not warc.looks_like_html(b"\x89PNG") and not warc.looks_like_html(b'{"html": "<html>"}')


def test_the_audit_reports_pages_and_skipped_records(crawl):
    (found,) = audit.audit_inputs([crawl])
    assert (found.kind, found.status, found.articles, found.records) == ("web archive", "read", 6, 12)
    assert found.skipped_records == {
        "warcinfo": 1,
        "request": 1,
        "revisit": 1,
        "not HTML": 1,
        "no text": 1,
        "status 404": 1,
    }
    assert found.encoding == "3 utf-8 (declared by the server), 2 utf-8, 1 cp1252 (declared by the server)"
    assert 0 < found.words < found.page_words
    lines = audit.describe(found)
    assert lines[0].endswith("crawl.warc.gz  [web archive, " + found.encoding + "]")
    assert "6 of its 12 records read as pages, skipped: 1 warcinfo, 1 request, 1 revisit" in lines[1]
    assert found.to_record()["skipped_records"]["status 404"] == 1


def test_the_audit_names_a_damaged_archive(tmp_path, crawl):
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(crawl.read_bytes()[:-500])
    (found,) = audit.audit_inputs([path])
    assert found.status == "skipped" and "damaged at record" in found.message


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_the_command_line_lists_an_archive_s_articles_with_urls(crawl):
    result = run_cli("articles", str(crawl), "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["url"] for r in records] == [TRUTH[p]["url"] for p in PAGES] + [UNDATED_URL]
    assert [r["id"] for r in records] == [f"crawl-{n:03d}" for n in range(6)]
    assert records[5]["date"] == capture_date(9)
    as_csv = run_cli("articles", str(crawl), "--format", "csv")
    assert as_csv.returncode == 0 and as_csv.stdout.splitlines()[0].split(",")[8] == "url"


def test_the_command_line_gives_one_line_for_a_damaged_archive(tmp_path, crawl):
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(crawl.read_bytes()[:-500])
    result = run_cli("articles", str(path))
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1 and "damaged at record" in result.stderr


@pytest.mark.slow
def test_notebook_01_runs_on_a_folder_of_archives(tmp_path, crawl):
    seeds, figures = tmp_path / "seeds", tmp_path / "figures"
    seeds.mkdir()
    (seeds / "crawl.warc.gz").write_bytes(crawl.read_bytes())
    env = {**os.environ, SEEDS_ENV: str(seeds), FIGURES_ENV: str(figures)}
    result = subprocess.run(
        [sys.executable, "-m", "analysis.build", "--notebook", "01", "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    articles = (figures / "01-corpus-overview__articles.csv").read_text(encoding="utf-8")
    assert "crawl-000" in articles and "crawl-005" in articles


def test_paragraphs_repeated_across_a_hosts_pages_are_removed():
    from analysis.ingest.corpus import Article
    from analysis.ingest.warc import remove_host_template

    def article(n: int, host: str) -> Article:
        body = (f"Story {n} tells what happened on the river this week in full.", "Sign up for our daily newsletter.")
        return Article(
            id=f"a-{n}",
            title=f"Story {n}",
            tags=(),
            byline=None,
            date=None,
            paragraphs=body,
            captions=(),
            source="crawl.warc.gz",
            position=n,
            line=n,
            url=f"https://{host}/news/{n}",
        )

    same_host = [article(n, "www.river.example" if n % 2 else "river.example") for n in range(3)]
    kept, removed = remove_host_template([*same_host, article(9, "other.example")])
    assert removed == 3
    assert [a.paragraphs for a in kept[:3]] == [
        (f"Story {n} tells what happened on the river this week in full.",) for n in range(3)
    ]
    assert len(kept[3].paragraphs) == 2  # one page of its host: no evidence
    two_pages, removed = remove_host_template(same_host[:2])
    assert removed == 0 and two_pages == same_host[:2]
