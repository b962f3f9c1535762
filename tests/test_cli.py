"""The command line as a user runs it: a real subprocess, real exit codes, real stderr."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.paths import ROOT

SEED = "seeds/000_117e1a02a6deec84.txt"


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_articles_json_on_the_seed():
    result = run("articles", SEED, "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) == 10
    for record in records:
        assert {"title", "tags", "byline", "text", "captions", "source", "n_words"} <= record.keys()
        assert isinstance(record["tags"], list) and all(isinstance(t, str) for t in record["tags"])
        assert record["byline"] in ("Staff writer", "Staff Writer")
        assert record["source"] == SEED
        assert record["n_words"] == len(record["text"].split()) or record["n_words"] > 0
    assert records[3]["title"] == "Zarif, Soleimani: Two Sides of the Same Coin"
    assert "\n\n" in records[0]["text"]


def test_articles_csv_matches_json():
    as_json = json.loads(run("articles", SEED).stdout)
    rows = list(csv.DictReader(io.StringIO(run("articles", SEED, "--format", "csv").stdout)))
    assert [r["title"] for r in rows] == [r["title"] for r in as_json]
    assert rows[0]["tags"].split(" | ") == as_json[0]["tags"]
    assert rows[0]["text"] == as_json[0]["text"]


def test_works_from_another_directory(tmp_path):
    result = run("articles", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 10


def test_help_explains_every_option():
    text = run("articles", "--help").stdout
    for option in ("--format", "--encoding", "--chrome-pattern", "--chrome-file", "--output", "--quiet"):
        assert option in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file or folder"),
        (b"", "the file is empty"),
        (b"\x00\x01\x02binary", "binary file"),
        (b"caf\xe9 au lait\n", "not valid utf-8"),
        (b"Home | About | Contact\n\nSubscribe to our newsletter\n", "no recognisable articles"),
    ],
)
def test_bad_input_one_line_error(tmp_path, content, message):
    path = tmp_path / "page.txt"
    if content is not None:
        path.write_bytes(content)
    result = run("articles", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and message in lines[0]
    assert "Traceback" not in result.stderr


def test_unknown_option_is_one_line():
    result = run("articles", "--bogus")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--bogus" in result.stderr


def test_failed_run_leaves_output_untouched(tmp_path):
    out = tmp_path / "articles.json"
    out.write_text("previous\n")
    assert run("articles", str(tmp_path / "missing.txt"), "-o", str(out)).returncode == 2
    assert out.read_text() == "previous\n"
    assert run("articles", SEED, "-o", str(out)).returncode == 0
    assert len(json.loads(out.read_text())) == 10


def test_explain_counts_the_addresses_it_removes():
    result = run("explain", "Read it at https://example.com/news/a.html or mail me@site.org, says @jane.")
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1].split() == [
        "removed",
        "3",
        "address(es):",
        "1",
        "email,",
        "1",
        "handle,",
        "1",
        "url",
    ]
    assert "removed" not in run("explain", "The MEK’s founders").stdout


def test_summary_and_explain():
    summary = run("summary", "--top", "5")
    assert summary.returncode == 0, summary.stderr
    assert "| articles | 10 |" in summary.stdout
    explain = run("explain", "The MEK’s founders")
    assert explain.returncode == 0
    assert explain.stdout.splitlines()[-1].split() == ["short", "tokens", "mek", "founder"]


def test_regression_output_folder_is_one_line(tmp_path):
    result = run("articles", SEED, "-o", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {tmp_path}: is a folder; give --output a file name"


def test_regression_rule_file_not_utf8(tmp_path):
    rules = tmp_path / "rules.txt"
    rules.write_bytes(b"chrome: caf\xe9\n")
    result = run("articles", SEED, "--chrome-file", str(rules))
    assert result.returncode == 2
    assert str(rules) in result.stderr and "not valid UTF-8" in result.stderr


def test_regression_bad_user_pattern_is_numbered_among_the_users_own():
    result = run("articles", SEED, "--chrome-pattern", "fine", "--chrome-pattern", "(")
    assert result.returncode == 2
    assert "your chrome rule 2 ('(')" in result.stderr


# --------------------------------------------------------------------------- folders, encodings, the audit

PAGE = (
    "Harbour dredging starts in May\n\n"
    "By Jane Doe | April 2, 2021\n\n"
    "Dredgers will deepen the channel to sixteen metres from the first week of May, the port said.\n\n"
    "The work is expected to last until the autumn and will close the north quay to visitors.\n"
)
CAFE = (
    "Café owners plead for fair rent\n\n"
    "By Jane Doe | April 2, 2021\n\n"
    "The café’s owners said the rent had doubled in two years and asked the council for help with it.\n\n"
    "They will meet the mayor on Monday to discuss a plan for the street and the shops along it.\n"
)


def folder_with_a_bad_file(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "a.txt").write_text(PAGE, encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    (folder / "c.gz").write_bytes(b"\x1f\x8b")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return folder


def test_a_bad_file_in_a_folder_is_one_warning_and_the_rest_is_read(tmp_path):
    folder = folder_with_a_bad_file(tmp_path)
    result = run("articles", str(folder))
    assert result.returncode == 0, result.stderr
    assert [r["title"] for r in json.loads(result.stdout)] == ["Harbour dredging starts in May"]
    warning, note = result.stderr.strip().splitlines()
    assert warning == (
        f"warning: skipped {folder / 'b.txt'}: the file is empty; remove it or re-run the scraper for this page"
    )
    assert note.startswith(
        f"note: skipped 1 file of unsupported type: {folder / 'c.gz'}; supported: .arc, .arc.gz, .csv, "
    )


@pytest.mark.parametrize("command", ["articles", "summary"])
def test_strict_makes_a_bad_file_an_error(tmp_path, command):
    folder = folder_with_a_bad_file(tmp_path)
    result = run(command, str(folder), "--strict")
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line == f"error: {folder / 'b.txt'}: the file is empty; remove it or re-run the scraper for this page"


def test_a_bad_file_named_on_the_command_line_is_an_error(tmp_path):
    folder = folder_with_a_bad_file(tmp_path)
    result = run("articles", str(folder / "a.txt"), str(folder / "b.txt"))
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert str(folder / "b.txt") in line and "the file is empty" in line


def test_a_folder_with_nothing_readable_is_one_error(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02")
    result = run("articles", str(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {tmp_path}: none of the 2 files could be read; the first: ")


def test_encoding_decodes_only_the_files_that_are_not_utf8(tmp_path):
    (tmp_path / "a.txt").write_bytes(CAFE.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(CAFE.replace("fair rent", "lower rates").encode("cp1252"))
    refused = run("articles", str(tmp_path))
    assert refused.returncode == 0 and "warning: skipped" in refused.stderr and "--encoding cp1252" in refused.stderr
    result = run("articles", str(tmp_path), "--encoding", "cp1252")
    assert result.returncode == 0 and result.stderr == ""
    texts = [r["text"] for r in json.loads(result.stdout)]
    assert len(texts) == 2 and all("The café’s owners said" in t for t in texts)


def test_audit_text_on_the_fixture_pages(fixtures):
    result = run("audit", str(fixtures / "pages"))
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.strip().split("\n\n")
    assert blocks[-1].startswith("6 files: 6 read (") and "no low-confidence file" in blocks[-1]
    assert "tests/fixtures/pages/harbour_gazette.txt  [text page, utf-8]" in blocks[0]
    assert blocks[0].count("  cross-page repetition: not used (no other page of its site among the inputs)") == 6


def test_audit_lists_what_it_could_not_read_and_still_succeeds(tmp_path):
    folder = folder_with_a_bad_file(tmp_path)
    result = run("audit", str(folder), "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [(Path(r["source"]).name, r["status"]) for r in records] == [
        ("a.txt", "read"),
        ("b.txt", "skipped"),
        ("c.gz", "unsupported"),
    ]
    assert records[0]["articles"] == 1 and records[0]["removed"]["byline"] == 1 and records[0]["site_pages"] == 1
    assert records[1]["message"].endswith("the file is empty; remove it or re-run the scraper for this page")


def test_audit_csv_has_a_column_per_removal_reason():
    result = run("audit", SEED, "--format", "csv")
    assert result.returncode == 0, result.stderr
    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["source"] == SEED and row["articles"] == "10" and row["byline"] == "10"
    assert {"caption", "chrome", "not an article", "site_pages", "low_confidence"} <= row.keys()


def test_help_explains_strict_and_the_audit():
    assert "--strict" in run("articles", "--help").stdout
    text = " ".join(run("audit", "--help").stdout.split())
    assert "a LOW" in text and "with where to look" in text and "--format {text,json,csv}" in text
