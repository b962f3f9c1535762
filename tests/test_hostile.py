"""Hostile inputs: what a scraper leaves behind at the end of a long day.

Every case is a row of :data:`CASES`: a name, a builder that writes its inputs into a
temporary folder, and the expected outcome. A command-line case runs the real CLI in a
child process and checks either

* a **correct result**: exit 0, no traceback, the ``--output`` file replaced by a complete
  result that the case's own check accepts; or
* a **clear error**: exit 2, nothing on stdout, exactly one line on stderr naming the file
  (when there is one) and the fix, no traceback, and the ``--output`` file left exactly as
  it was (no partial file, no temporary file left next to it).

Library cases call a function directly and expect a one-line ``ValueError`` /
``FileNotFoundError`` naming the input. The peak memory of every child (``ru_maxrss``, via
``resource.getrusage`` in a small wrapper) and its wall time are measured; a case may
bound them.

Encoding decision: a file that is not valid UTF-8 and has no byte-order mark is refused
with an error naming ``--encoding cp1252``, never guessed. No byte sequence is cp1252
beyond doubt (the same bytes are valid latin-1, cp1250, cp1251 ... text), and a wrong
guess would publish mojibake in figures without a word; the error costs one flag, and with
it the text is decoded exactly (case ``cp1252-with-flag``).
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from analysis.paths import ROOT

PREVIOUS = "previous complete output\n"
OUTPUT_NAME = "result.out"

# --- inputs ----------------------------------------------------------------------------------

HARBOUR = (
    "Harbour dredging starts in May",
    (
        "The work is expected to last six weeks and will close the north quay to all visitors.",
        "Boats will be moved to the south basin while the dredger works through the main channel.",
    ),
)
FERRY = (
    "Ferry timetable changes from April",
    (
        "The morning ferry to the islands will leave half an hour earlier from the first of April.",
        "The operator said the change follows a survey of commuters who travel to the mainland.",
    ),
)
MARKET = (
    "Fish market moves to the old warehouse",
    (
        "Traders will open their stalls in the restored warehouse on the east quay from next week.",
        "The council said the new hall has room for twice as many stalls as the open-air market.",
    ),
)
#: A headline with markup and entities, as a careless scraper saves it; it must come back
#: as the same characters, never decoded, stripped or run.
SCRIPT_TITLE = '<script>alert("x")</script> &amp; Q&A: the &lt;b&gt;port&lt;/b&gt; &#39;plan&#39;'
SCRIPT_BODY = (
    "Councillors answered questions about the port plan at a public meeting on Tuesday evening.",
    "The &quot;plan&quot; <img src=x onerror=alert(1)> will be put to a vote next month, they said.",
)


def page(*articles: tuple[str, tuple[str, ...]], newline: str = "\n") -> str:
    """A scraped listing page: per article a headline, a byline and its paragraphs."""
    blocks = [newline.join([title, "By Jane Doe | March 3, 2021", *body]) for title, body in articles]
    return (newline * 2).join(blocks) + newline


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


# --- running the CLI -------------------------------------------------------------------------


@dataclass
class Run:
    """One finished child process."""

    returncode: int
    stdout: str
    stderr: str
    max_rss_mb: float
    seconds: float


#: Runs the command given in argv[2:] and writes its peak RSS (KiB) to the file argv[1]. The
#: wrapper is a fresh, small process: a child forked straight from pytest would inherit
#: pytest's own peak in ru_maxrss (Linux carries the pre-exec high-water mark over).
MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)


def run_cli(args: list[str], cwd: Path, timeout: float, tty: bool = False) -> Run:
    """Run ``python -m analysis ARGS`` through :data:`MEASURE`; kill the whole group after ``timeout``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out_path, err_path, rss_path = cwd / ".stdout", cwd / ".stderr", cwd / ".maxrss"
    master = None
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        if tty:  # stderr on a terminal, as a user sees it: the progress bar is drawn there
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a 0-column tty hides the bar
            err_target = slave
        else:
            err_target = err
        start = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "-c", MEASURE, str(rss_path), sys.executable, "-m", "analysis", *args],
            cwd=cwd,
            stdout=out,
            stderr=err_target,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        captured = bytearray()
        reader = None
        if master is not None:
            os.close(slave)

            def drain() -> None:
                while True:
                    try:
                        chunk = os.read(master, 65536)
                    except OSError:
                        return
                    if not chunk:
                        return
                    captured.extend(chunk)

            reader = threading.Thread(target=drain, daemon=True)
            reader.start()
        killer = threading.Timer(timeout, os.killpg, (child.pid, signal.SIGKILL))
        killer.start()
        try:
            child.wait()
        finally:
            killer.cancel()
        seconds = time.monotonic() - start
        if reader is not None:
            reader.join(timeout=5)
            os.close(master)
    if seconds >= timeout:
        pytest.fail(f"{args[:2]}: still running after {timeout:.0f} s (killed): a hang")
    stderr = bytes(captured).decode("utf-8", "replace") if tty else err_path.read_text("utf-8", "replace")
    stdout = out_path.read_text("utf-8", "replace")
    max_rss_kib = int(rss_path.read_text())
    for path in (out_path, err_path, rss_path):
        path.unlink()
    return Run(child.returncode, stdout, stderr, max_rss_kib / 1024, seconds)


# --- the case table --------------------------------------------------------------------------

Builder = Callable[[Path], list[str]]


@dataclass(frozen=True)
class Case:
    """One hostile input and what must come of it.

    Attributes
    ----------
    name : str
        Test id.
    build : callable
        Writes the inputs under the given folder; returns the CLI arguments (for a library
        case, performs the call and returns nothing).
    expect : str
        ``"result"`` or ``"error"``.
    message : str
        For errors: words the one line must contain (the fix, or the diagnosis).
    names : str
        For errors: the file the line must name ("" when no file is at fault).
    check : callable, optional
        For results: ``check(output_text, run)`` raising AssertionError when wrong.
    output : bool
        Pass ``--output`` (and check it is complete or untouched).
    timeout, max_seconds, max_rss_mb : float
        Kill after ``timeout``; fail above ``max_seconds`` of wall time or ``max_rss_mb`` of
        peak memory.
    tty : bool
        Give the child a terminal for stderr (progress bars).
    kind : str
        ``"cli"`` or ``"api"``.
    """

    name: str
    build: Builder
    expect: str
    message: str = ""
    names: str = ""
    check: Callable[[str, Run], None] | None = None
    output: bool = True
    timeout: float = 120.0
    max_seconds: float | None = None
    max_rss_mb: float | None = None
    tty: bool = False
    kind: str = "cli"
    exceptions: tuple[type[BaseException], ...] = field(default=(ValueError, FileNotFoundError))


def records(text: str) -> list[dict]:
    return json.loads(text)


def titles(text: str) -> list[str]:
    return [r["title"] for r in records(text)]


def same_as_lf(*articles):
    """A check: the records equal those of the same page written with ``\\n`` line ends."""
    expected_titles = [title for title, _ in articles]
    expected_texts = ["\n\n".join(body) for _, body in articles]

    def check(text: str, run: Run) -> None:
        found = records(text)
        assert [r["title"] for r in found] == expected_titles
        assert [r["text"] for r in found] == expected_texts
        assert all("\r" not in r["title"] + r["text"] + (r["byline"] or "") for r in found)

    return check


def expect_titles(*expected: str) -> Callable[[str, Run], None]:
    def check(text: str, run: Run) -> None:
        assert titles(text) == list(expected)

    return check


# builders: each writes into `tmp` and returns the CLI arguments


def one_file(
    name: str, content: str | bytes, *extra: str, command: str = "articles", encoding: str = "utf-8"
) -> Builder:
    def build(tmp: Path) -> list[str]:
        write(tmp / name, content, encoding)
        return [command, name, *extra]

    return build


def png_bytes() -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
        + bytes(range(256)) * 8
    )


def folder_with_binary_neighbours(tmp: Path) -> list[str]:
    write(tmp / "site" / "page.txt", page(HARBOUR))
    write(tmp / "site" / "logo.png", png_bytes())
    write(tmp / "site" / ".DS_Store", b"\x00\x00\x00\x01Bud1" + bytes(64))
    write(tmp / "site" / "README.md", "notes about the scrape\n")
    return ["articles", "site"]


def huge_single_line(tmp: Path) -> list[str]:
    """200 MB of words and no line break, written in 1 MB pieces (never held in memory)."""
    piece = b"word " * 200_000
    with open(tmp / "huge.txt", "wb") as handle:
        for _ in range(200):
            handle.write(piece)
    return ["articles", "huge.txt"]


def duplicated_across_files(tmp: Path) -> list[str]:
    write(tmp / "pages" / "2021-03-01.txt", page(HARBOUR, FERRY))
    write(tmp / "pages" / "2021-03-02.txt", page(MARKET, HARBOUR, FERRY))  # the listing moved on by one
    return ["articles", "pages"]


def check_duplicates(text: str, run: Run) -> None:
    assert titles(text) == [HARBOUR[0], FERRY[0], MARKET[0]]
    (note,) = run.stderr.strip().splitlines()
    assert note.startswith("note: 2 duplicate articles counted once")
    assert "2021-03-02.txt article 2 = pages/2021-03-01.txt article 1" in note


def duplicated_summary(tmp: Path) -> list[str]:
    duplicated_across_files(tmp)
    write(tmp / "single" / "2021-03-02.txt", page(MARKET, HARBOUR, FERRY))
    return ["summary", "pages", "--format", "json"]


def check_duplicated_summary(text: str, run: Run) -> None:
    table = json.loads(text)
    assert table["articles"] == 3
    assert "note: 2 duplicate articles" in run.stderr


def script_page(tmp: Path) -> list[str]:
    write(tmp / "page.txt", page((SCRIPT_TITLE, SCRIPT_BODY), HARBOUR))
    return ["articles", "page.txt"]


def check_script_verbatim(text: str, run: Run) -> None:
    first = records(text)[0]
    assert first["title"] == SCRIPT_TITLE
    assert first["text"] == "\n\n".join(SCRIPT_BODY)


def script_records_csv(tmp: Path) -> list[str]:
    write(
        tmp / "a.jsonl",
        json.dumps({"title": SCRIPT_TITLE, "text": "\n".join(SCRIPT_BODY), "tags": ["<b>x</b>", "&amp;"]}) + "\n",
    )
    return ["articles", "a.jsonl", "--format", "csv"]


def check_script_csv(text: str, run: Run) -> None:
    import csv
    import io

    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["title"] == SCRIPT_TITLE
    assert row["tags"] == "<b>x</b> | &amp;"
    assert "onerror=alert(1)" in row["text"]


def odd_names(tmp: Path) -> list[str]:
    write(tmp / "my pages" / "café – numéro 1 日本.txt", page(HARBOUR))
    write(tmp / "my pages" / "ñandú page two.txt", page(FERRY))
    return ["articles", "my pages"]


def check_odd_names(text: str, run: Run) -> None:
    found = records(text)
    assert [r["source"] for r in found] == ["my pages/café – numéro 1 日本.txt", "my pages/ñandú page two.txt"]
    assert found[0]["id"] == "café – numéro 1 日本-000"


def undecodable_name(tmp: Path) -> list[str]:
    folder = tmp / "raw"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9 page.txt"), "wb") as handle:
        handle.write(page(HARBOUR).encode())
    return ["articles", "raw"]


def check_undecodable_name(text: str, run: Run) -> None:
    (record,) = records(text)
    assert record["source"] == "raw/caf\\xe9 page.txt" and record["id"] == "caf\\xe9 page-000"


def symlink_loop(tmp: Path) -> list[str]:
    (tmp / "a.txt").symlink_to("b.txt")
    (tmp / "b.txt").symlink_to("a.txt")
    return ["articles", "a.txt"]


def folder_with_loop(tmp: Path) -> list[str]:
    write(tmp / "site" / "sub" / "page.txt", page(HARBOUR))
    (tmp / "site" / "sub" / "again").symlink_to("..", target_is_directory=True)
    (tmp / "site" / "self").symlink_to(".", target_is_directory=True)
    (tmp / "site" / "loop.txt").symlink_to("loop.txt")
    return ["articles", "site"]


def fifo_page(tmp: Path) -> list[str]:
    os.mkfifo(tmp / "page.txt")  # opening it for reading would block forever
    return ["articles", "page.txt"]


def folder_with_fifo_and_folder(tmp: Path) -> list[str]:
    (tmp / "site").mkdir()
    os.mkfifo(tmp / "site" / "pipe.txt")
    (tmp / "site" / "folder.txt").mkdir()
    write(tmp / "site" / "folder.txt" / "inner.txt", page(FERRY))
    write(tmp / "site" / "page.txt", page(HARBOUR))
    return ["articles", "site"]


N_TINY = 10_000


def tiny_files(tmp: Path) -> list[str]:
    folder = tmp / "tiny"
    folder.mkdir()
    for i in range(N_TINY):
        (folder / f"p{i:05d}.txt").write_text(
            f"Headline number {i} about the harbour\n\n"
            f"Paragraph {i} says the dredger worked through the channel for {i} hours on the day.\n",
            encoding="utf-8",
        )
    return ["articles", "tiny"]


def check_tiny(text: str, run: Run) -> None:
    found = records(text)
    assert len(found) == N_TINY
    assert found[-1]["title"] == f"Headline number {N_TINY - 1} about the harbour"
    assert "reading" in run.stderr and f"{N_TINY}/{N_TINY}" in run.stderr, run.stderr[-500:]


def stopwords_only(tmp: Path) -> list[str]:
    write(tmp / "stop.csv", 'title,text\nA,"the of and it is"\nB,"and the to of was"\n')
    return ["summary", "stop.csv", "--format", "json"]


def check_stopwords_only(text: str, run: Run) -> None:
    table = json.loads(text)
    assert table["articles"] == 2 and table["tokens_clean"] == 0 and table["top_terms"] == []


def output_is_folder(tmp: Path) -> list[str]:
    write(tmp / "page.txt", page(HARBOUR))
    (tmp / "folder").mkdir()
    return ["articles", "page.txt", "--output", "folder"]


def help_text(command: str) -> Builder:
    def build(tmp: Path) -> list[str]:
        return [command, "--help"]

    return build


def check_help(text: str, run: Run) -> None:
    assert run.stdout.startswith("usage: python -m analysis") and "--output" in run.stdout


def explain_hostile(tmp: Path) -> list[str]:
    return ["explain", "<script>alert(1)</script> \u202eevil\u202c café\u0301 \x07bell &amp; MEK’s\u00a0founders"]


def check_explain(text: str, run: Run) -> None:
    lines = run.stdout.splitlines()
    assert lines[0].split(None, 1)[0] == "input" and len(lines) >= 8
    assert "<script>alert(1)</script>" in lines[0]


def cli_args(*args: str) -> Builder:
    def build(tmp: Path) -> list[str]:
        write(tmp / "page.txt", page(HARBOUR))
        return list(args)

    return build


# library cases: the builder makes the call; the runner expects a one-line exception


def api_check_k(tmp: Path) -> None:
    from analysis.models.engines import check_k

    check_k(3, 5)


def _small_space(n_docs: int):
    from analysis.pipeline.vectors import vectorize

    return vectorize((f"d{i}", ["harbour", "ferry", f"word{i}", "quay"]) for i in range(n_docs))


def api_fit_too_many_topics(tmp: Path) -> None:
    from analysis.models.engines import fit

    fit(_small_space(3), k=5, random_state=0, engine="gensim")


def api_fit_sklearn_too_many_topics(tmp: Path) -> None:
    from analysis.models.engines import fit

    fit(_small_space(2), k=2, random_state=0, engine="sklearn")


def api_vectorize_empty_vocabulary(tmp: Path) -> None:
    from analysis.pipeline.vectors import vectorize
    from analysis.text.cleaning import clean, default_config

    config = default_config()
    vectorize(
        (doc_id, clean(text, config)) for doc_id, text in [("a", "The of and it."), ("b", "It is to be, or not.")]
    )


def api_article_space_empty_vocabulary(tmp: Path) -> None:
    from analysis.pipeline import workflow

    write(tmp / "stop.csv", 'title,text\nA,"the of and it is"\nB,"and the to of was"\n')
    workflow.article_space(workflow.prepare([tmp / "stop.csv"], lemmatize=False))


def api_input_paths_missing(tmp: Path) -> None:
    from analysis.paths import input_paths

    input_paths(str(tmp / "no such folder"))


def api_input_paths_one_of_two_missing(tmp: Path) -> None:
    from analysis.paths import input_paths

    write(tmp / "page.txt", page(HARBOUR))
    input_paths(f"{tmp / 'page.txt'}{os.pathsep}{tmp / 'missing.txt'}")


def api_input_paths_empty(tmp: Path) -> None:
    from analysis.paths import input_paths

    input_paths(os.pathsep)


def api_permission_denied(tmp: Path) -> None:
    """Root reads chmod-000 files, so the refusal is simulated where the package opens files."""
    from analysis.ingest import corpus, reading

    path = write(tmp / "locked.txt", page(HARBOUR))

    def refuse(file, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(file))

    reading.open = refuse
    try:
        corpus.load_articles([path])
    finally:
        del reading.open


CP1252_PAGE = page(
    (
        "Café owners’ “fair rent” plea",
        (
            "Owners of the café on the quay say the rent rise – 40% – would close them down.",
            "The council’s reply is due in a fortnight, a spokeswoman said on Monday.",
        ),
    )
)

CASES: list[Case] = [
    Case("empty-file", one_file("page.txt", b""), "error", "the file is empty", "page.txt"),
    Case("whitespace-only", one_file("page.txt", b"  \n\t\n\r\n   \n"), "error", "only white space", "page.txt"),
    Case("png-saved-as-txt", one_file("page.txt", png_bytes()), "error", "binary file", "page.txt"),
    Case("nul-bytes", one_file("page.txt", b"Title\n\x00\x00\x01\x02" * 50), "error", "binary file", "page.txt"),
    Case("png-named-directly", one_file("logo.png", png_bytes()), "error", "unsupported file type '.png'", "logo.png"),
    Case("folder-with-binary-neighbours", folder_with_binary_neighbours, "result", check=expect_titles(HARBOUR[0])),
    Case(
        "utf-16-le-bom",
        one_file("page.txt", "\ufeff" + page(HARBOUR, FERRY), encoding="utf-16-le"),
        "result",
        check=same_as_lf(HARBOUR, FERRY),
    ),
    Case(
        "utf-16-be-bom",
        one_file("page.txt", "\ufeff" + page(HARBOUR, FERRY), encoding="utf-16-be"),
        "result",
        check=same_as_lf(HARBOUR, FERRY),
    ),
    Case(
        "utf-16-no-bom",
        one_file("page.txt", page(HARBOUR), encoding="utf-16-le"),
        "error",
        "--encoding utf-16-le",
        "page.txt",
    ),
    Case(
        "utf-8-bom", one_file("page.txt", "\ufeff" + page(HARBOUR, FERRY)), "result", check=same_as_lf(HARBOUR, FERRY)
    ),
    Case(
        "cp1252-without-flag",
        one_file("page.txt", CP1252_PAGE, encoding="cp1252"),
        "error",
        "--encoding cp1252",
        "page.txt",
    ),
    Case(
        "cp1252-with-flag",
        one_file("page.txt", CP1252_PAGE, "--encoding", "cp1252", encoding="cp1252"),
        "result",
        check=expect_titles("Café owners’ “fair rent” plea"),
    ),
    Case(
        "crlf", one_file("page.txt", page(HARBOUR, FERRY, newline="\r\n")), "result", check=same_as_lf(HARBOUR, FERRY)
    ),
    Case(
        "cr-only", one_file("page.txt", page(HARBOUR, FERRY, newline="\r")), "result", check=same_as_lf(HARBOUR, FERRY)
    ),
    Case(
        "mixed-line-endings",
        one_file("page.txt", page(HARBOUR).replace("\n", "\r\n", 2) + "\r" + page(FERRY).replace("\n", "\r")),
        "result",
        check=same_as_lf(HARBOUR, FERRY),
    ),
    Case(
        "200-MB-single-line",
        huge_single_line,
        "error",
        "the whole file is one line of 200 MB with no line breaks",
        "huge.txt",
        max_seconds=60,
        max_rss_mb=120,  # the file is 200 MB; reading it whole took 600 MB and 80 s
    ),
    Case(
        "no-recognisable-articles",
        one_file("page.txt", "Home | About | Contact\n\nSubscribe to our newsletter\n\nCopyright 2021\n"),
        "error",
        "no recognisable articles",
        "page.txt",
    ),
    Case("one-article-only", one_file("page.txt", page(HARBOUR)), "result", check=same_as_lf(HARBOUR)),
    Case("duplicated-across-files", duplicated_across_files, "result", check=check_duplicates),
    Case("duplicated-counted-once-in-summary", duplicated_summary, "result", check=check_duplicated_summary),
    Case("script-and-entities-in-title", script_page, "result", check=check_script_verbatim),
    Case("script-and-entities-in-records-as-csv", script_records_csv, "result", check=check_script_csv),
    Case("spaces-and-non-ascii-names", odd_names, "result", check=check_odd_names),
    Case(
        "error-names-a-non-ascii-file",
        one_file("résumé vide – 日本.txt", b""),
        "error",
        "the file is empty",
        "résumé vide – 日本.txt",
    ),
    Case("undecodable-byte-in-file-name", undecodable_name, "result", check=check_undecodable_name),
    Case("symlink-loop-named-directly", symlink_loop, "error", "not a regular file", "a.txt"),
    Case("symlink-loops-inside-a-folder", folder_with_loop, "result", check=expect_titles(HARBOUR[0]), timeout=60),
    Case("fifo-named-directly", fifo_page, "error", "not a regular file", "page.txt", timeout=60),
    Case(
        "fifo-and-folder-named-like-files",
        folder_with_fifo_and_folder,
        "result",
        check=expect_titles(FERRY[0], HARBOUR[0]),
        timeout=60,
    ),
    Case("10k-tiny-files", tiny_files, "result", check=check_tiny, max_seconds=90, tty=True),
    Case("csv-missing-text-column", one_file("a.csv", "title,url\nOne,http://x\n"), "error", "no text column", "a.csv"),
    Case(
        "csv-row-with-extra-fields",
        one_file("a.csv", "title,text\nOne,Body one,surplus\n"),
        "error",
        "more fields than the header",
        "a.csv",
    ),
    Case(
        "csv-row-with-missing-fields",
        one_file("a.csv", "title,text,tags\nOne,Body one\n"),
        "error",
        "fewer fields than the header",
        "a.csv",
    ),
    Case(
        "csv-extra-columns-ignored",
        one_file("a.csv", "url,title,text,likes\nhttp://x,One,Body of the first record here.,12\n"),
        "result",
        check=expect_titles("One"),
    ),
    Case(
        "jsonl-missing-title",
        one_file("a.jsonl", '{"text": "A body without a title."}\n{"title": "Two", "body": "Second body."}\n'),
        "result",
        check=expect_titles("", "Two"),
    ),
    Case(
        "jsonl-malformed-line",
        one_file("a.jsonl", '{"title": "One", "text": "Body."}\n{"title": "Two", "text": \n'),
        "error",
        "not valid JSON",
        "a.jsonl:2",
    ),
    Case(
        "jsonl-title-not-a-string",
        one_file("a.jsonl", '{"title": 42, "text": "Body."}\n'),
        "error",
        "'title' must be a string",
        "a.jsonl",
    ),
    Case(
        "json-object-not-list",
        one_file("a.json", '{"title": "One", "text": "Body."}'),
        "error",
        "expected a JSON list",
        "a.json",
    ),
    Case("json-list-of-strings", one_file("a.json", '["One", "Body."]'), "error", "must be an object", "a.json"),
    Case("json-scalar", one_file("a.json", "42"), "error", "expected a JSON list", "a.json"),
    Case("unknown-option", cli_args("articles", "page.txt", "--colour"), "error", "unrecognized arguments: --colour"),
    Case("malformed-number", cli_args("summary", "page.txt", "--top", "abc"), "error", "invalid int value: 'abc'"),
    Case("zero-top", cli_args("summary", "page.txt", "--top", "0"), "error", "--top must be at least 1"),
    Case("unknown-command", cli_args("topics", "page.txt"), "error", "invalid choice: 'topics'"),
    Case("unknown-format", cli_args("articles", "page.txt", "--format", "xml"), "error", "invalid choice: 'xml'"),
    Case(
        "unknown-encoding",
        cli_args("articles", "page.txt", "--encoding", "klingon"),
        "error",
        "unknown encoding 'klingon'",
        "page.txt",
    ),
    Case(
        "invalid-chrome-pattern",
        cli_args("articles", "page.txt", "--chrome-pattern", "(unclosed"),
        "error",
        "not a valid regular expression",
    ),
    Case(
        "missing-path", cli_args("articles", "nowhere/page.txt"), "error", "no such file or folder", "nowhere/page.txt"
    ),
    Case("output-is-a-folder", output_is_folder, "error", "is a folder", "folder", output=False),
    Case("help-still-works", help_text("articles"), "result", check=check_help, output=False),
    Case("vocabulary-empty-after-cleaning-summary", stopwords_only, "result", check=check_stopwords_only),
    Case("explain-hostile-text", explain_hostile, "result", check=check_explain, output=False),
    Case(
        "api-check-k-more-topics-than-documents", api_check_k, "error", "too few documents (3) for 5 topics", kind="api"
    ),
    Case(
        "api-fit-more-topics-than-documents",
        api_fit_too_many_topics,
        "error",
        "too few documents (3) for 5 topics",
        kind="api",
    ),
    Case(
        "api-fit-as-many-topics-as-documents",
        api_fit_sklearn_too_many_topics,
        "error",
        "too few documents (2) for 2 topics",
        kind="api",
    ),
    Case(
        "api-vectorize-empty-vocabulary", api_vectorize_empty_vocabulary, "error", "no terms left to count", kind="api"
    ),
    Case(
        "api-article-space-empty-vocabulary",
        api_article_space_empty_vocabulary,
        "error",
        "no terms left to count",
        kind="api",
    ),
    Case(
        "api-input-paths-missing",
        api_input_paths_missing,
        "error",
        "set the notebook's SEEDS parameter",
        "no such folder",
        kind="api",
    ),
    Case(
        "api-input-paths-one-missing",
        api_input_paths_one_of_two_missing,
        "error",
        "no such file or folder",
        "missing.txt",
        kind="api",
    ),
    Case("api-input-paths-empty", api_input_paths_empty, "error", "SEEDS is empty", kind="api"),
    Case(
        "api-permission-denied",
        api_permission_denied,
        "error",
        "permission denied; make the file readable",
        "locked.txt",
        kind="api",
    ),
]


# --- the runner ------------------------------------------------------------------------------


def check_cli_case(case: Case, tmp: Path, tally: dict) -> None:
    args = case.build(tmp)
    output = tmp / "out" / OUTPUT_NAME
    if case.output:
        write(output, PREVIOUS)
        args = [*args, "--output", str(output)]
    run = run_cli(args, tmp, case.timeout, tty=case.tty)
    tally["tracebacks"] += "Traceback" in run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    if case.output:
        leftovers = sorted(p.name for p in output.parent.iterdir() if p.name != OUTPUT_NAME)
        tally["partial files"] += bool(leftovers)
        assert not leftovers, f"temporary or partial files left next to the output: {leftovers}"
    if case.max_seconds is not None:
        assert run.seconds <= case.max_seconds, f"took {run.seconds:.1f} s"
    if case.max_rss_mb is not None:
        assert run.max_rss_mb <= case.max_rss_mb, f"peak memory {run.max_rss_mb:.0f} MB"
    if case.expect == "error":
        assert run.returncode == 2, (run.returncode, run.stderr)
        assert run.stdout == ""
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1, run.stderr
        assert case.message in lines[0], lines[0]
        assert case.names in lines[0], lines[0]
        if case.output:
            unchanged = output.read_text(encoding="utf-8") == PREVIOUS
            tally["partial files"] += not unchanged
            assert unchanged, "the output file was changed by a failed run"
        tally["clear errors"] += 1
    else:
        assert run.returncode == 0, run.stderr
        if not case.tty:
            assert all(line.startswith("note: ") for line in run.stderr.splitlines()), run.stderr
        text = run.stdout
        if case.output:
            assert run.stdout == ""
            text = output.read_text(encoding="utf-8")
            assert text != PREVIOUS
        case.check(text, run)
        tally["correct results"] += 1


def check_api_case(case: Case, tmp: Path, tally: dict) -> None:
    with pytest.raises(case.exceptions) as caught:
        case.build(tmp)
    message = str(caught.value)
    assert "\n" not in message, message
    assert case.message in message, message
    assert case.names in message, message
    tally["clear errors"] += 1


@pytest.fixture(scope="module")
def tally(request):
    """Outcome counts over the table; conftest.py prints them in the terminal summary."""
    counts = {"cases tried": 0, "clear errors": 0, "correct results": 0, "tracebacks": 0, "partial files": 0}
    request.config.hostile_counts = counts
    return counts


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path, tally: dict) -> None:
    tally["cases tried"] += 1
    try:
        if case.kind == "api":
            check_api_case(case, tmp_path, tally)
        else:
            check_cli_case(case, tmp_path, tally)
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)  # the 200 MB and 10k-file inputs go at once


def test_the_table_covers_the_brief() -> None:
    assert len(CASES) >= 25
    assert len({c.name for c in CASES}) == len(CASES)
    assert sum(c.expect == "error" for c in CASES) >= 10 and sum(c.expect == "result" for c in CASES) >= 10
    for case in CASES:
        assert case.expect in ("result", "error") and case.kind in ("cli", "api")
        assert (case.check is not None) == (case.expect == "result"), case.name
        assert case.expect == "result" or case.message, case.name


def test_duplicates_are_kept_when_not_asked(tmp_path: Path) -> None:
    """The library keeps every article unless the caller asks for duplicates to be counted once."""
    from analysis.ingest.corpus import load_articles

    duplicated_across_files(tmp_path)
    everything = load_articles([tmp_path / "pages"])
    assert [a.title for a in everything] == [HARBOUR[0], FERRY[0], MARKET[0], HARBOUR[0], FERRY[0]]
    duplicates: list = []
    once = load_articles([tmp_path / "pages"], duplicates=duplicates)
    assert [a.title for a in once] == [HARBOUR[0], FERRY[0], MARKET[0]]
    assert [(d.skipped.id, d.kept.id) for d in duplicates] == [
        ("2021-03-02-001", "2021-03-01-000"),
        ("2021-03-02-002", "2021-03-01-001"),
    ]


def test_two_overlapping_pages_keep_the_shared_article(tmp_path: Path) -> None:
    """Regression: with two pages, a shared article's title was taken for site template."""
    from analysis.ingest.corpus import load_articles

    write(tmp_path / "a.txt", page(HARBOUR))
    write(tmp_path / "b.txt", page(HARBOUR, FERRY))
    assert [a.title for a in load_articles([tmp_path])] == [HARBOUR[0], HARBOUR[0], FERRY[0]]


def test_line_limit_is_exact(tmp_path: Path) -> None:
    """A line of exactly MAX_LINE_BYTES is read; one byte more is refused, naming where it starts."""
    from analysis.ingest import corpus

    limit = 64
    ok = write(tmp_path / "ok.txt", b"x" * limit + b"\r\n" + b"y" * limit)
    assert corpus.read_text(ok, max_line_bytes=limit) == "x" * limit + "\r\n" + "y" * limit
    long = write(tmp_path / "long.txt", b"short\n" + b"x" * (limit + 1) + b"\nend\n")
    with pytest.raises(corpus.InputError, match="line starting at byte 6 is one line of 0.0 MB"):
        corpus.read_text(long, max_line_bytes=limit)
