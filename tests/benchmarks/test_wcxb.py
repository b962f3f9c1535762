"""benchmarks.wcxb: reading a WCXB checkout (a small one built here) and scoring it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from benchmarks import realpages, wcxb

BODY = (
    "The harbour board agreed on Tuesday to rebuild the old pier before the summer, after divers found "
    "that the timber piles under its far end had rotted through in the winter storms."
)
PARAGRAPHS = [BODY, *(f"{BODY} Paragraph {n} adds that the work will take {n + 2} months." for n in range(1, 5))]


def _page(title: str, paragraphs: list[str], hidden: bool = False) -> str:
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    main = f"<script>var posts = {json.dumps(text)};</script>" if hidden else text
    nav = "".join(f'<li><a href="/{n}">{n}</a></li>' for n in ("Home", "News", "Sport", "Weather", "Contact"))
    return f"<html><head><title>{title}</title></head><body><ul>{nav}</ul><h1>{title}</h1>{main}<footer>© 2025 Harbour Post</footer></body></html>"


def _checkout(root: Path, pages: dict[str, tuple[str, str, str, bool]]) -> Path:
    """A checkout of WCXB's layout: number -> (domain, page type, title, hidden text)."""
    files = {}
    for number, (domain, kind, title, hidden) in pages.items():
        for folder in ("html", "ground-truth"):
            (root / "dev" / folder).mkdir(parents=True, exist_ok=True)
        html = _page(title, PARAGRAPHS, hidden)
        (root / "dev" / "html" / f"{number}.html.gz").write_bytes(gzip.compress(html.encode(), mtime=0))
        truth = {
            "url": f"https://www.{domain}/story-{number}",
            "_internal": {"page_type": {"primary": kind}},
            "ground_truth": {"title": title, "author": "Ana Ruiz", "main_content": "\n\n".join(PARAGRAPHS)},
        }
        (root / "dev" / "ground-truth" / f"{number}.json").write_text(json.dumps(truth), encoding="utf-8")
        files[number] = {"split": "dev", "page_type": kind, "domain": domain}
    (root / "metadata.json").write_text(json.dumps({"files": files}), encoding="utf-8")
    return root


def test_sites_and_their_split():
    assert wcxb.site_of("www.news.bbc.co.uk") == "bbc.co.uk"
    assert wcxb.site_of("blog.Example.com") == "example.com"
    assert wcxb.site_of("example.de") == "example.de"
    splits = [wcxb.split_of(f"site{n}.com") for n in range(200)]
    assert splits == [wcxb.split_of(f"site{n}.com") for n in range(200)]
    assert 20 <= splits.count("test") <= 60  # about one in five


def test_pages_kept_are_visible_articles_of_sites_outside_the_fixtures(tmp_path):
    fixture_site = realpages.load_pages()[0].site
    root = _checkout(
        tmp_path / "wcxb",
        {
            "0001": ("harbourpost.example", "article", "Pier to be rebuilt before the summer", False),
            "0002": ("forum.example", "forum", "Pier thread", False),
            "0003": (fixture_site, "article", "Pier news", False),
            "0004": ("hidden.example", "article", "Pier story kept in a script", True),
        },
    )
    kept = wcxb.load(root)
    assert [page.id for page, _ in kept] == ["wcxb-0001", "wcxb-0004"]  # not a forum, not a fixture's site
    assert kept[0][0].authors == ("Ana Ruiz",) and kept[0][0].split == wcxb.split_of("harbourpost.example")
    files = wcxb.write_forms(kept, tmp_path / "forms", wcxb.FORMS)
    assert [pages[0].id for _, pages in files["paragraphs"]] == ["wcxb-0001"]  # its text hidden: left out


def test_the_command_prints_a_row_per_form_and_split(tmp_path, capsys):
    root = _checkout(tmp_path / "wcxb", {"0001": ("harbourpost.example", "article", "Pier to be rebuilt", False)})
    split = wcxb.split_of("harbourpost.example")
    assert wcxb.main(["--data", str(root), "--split", split]) == 0
    table = capsys.readouterr().out
    for form in wcxb.FORMS:
        row = next(line for line in table.splitlines() if line.startswith(f"| {form}, wcxb {split} |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1] == "1" and cells[2] == "100.0%", row  # one file: one article with the right title


@pytest.mark.parametrize("argv", [["--data", "{tmp}"], ["--data", "{tmp}", "--split", "holdout"]])
def test_a_folder_that_is_not_a_checkout_or_a_wrong_split_is_one_line_and_exit_2(tmp_path, capsys, argv):
    assert wcxb.main([a.format(tmp=tmp_path) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("wcxb: ")
