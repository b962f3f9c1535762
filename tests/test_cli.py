"""The command line as a user runs it: a real subprocess, real exit codes, real stderr."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

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
