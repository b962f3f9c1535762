"""The listing-page yardstick: its scores by hand, the truth file's shape, and a floor on the real listing pages."""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest

from analysis.ingest import Article
from benchmarks import eval_listings as ev


def item(title: str, link: str, summary: tuple[str, ...] = ()) -> Article:
    return Article(
        id="a",
        title=title,
        tags=(),
        byline=None,
        date=None,
        paragraphs=summary,
        captions=(),
        source="x",
        position=0,
        line=1,
        url=link,
        teaser=True,
    )


PAGE = ev.ListingPage(
    id="p",
    site="example.org",
    url="https://example.org/news/",
    split="dev",
    kind="news-section",
    items=(
        ev.TrueItem("Flood wall approved", "/2024/flood-wall/", "The wall protects 400 homes."),
        ev.TrueItem("Library reopens", "library.html", ""),
        ev.TrueItem("Bus route returns", "/2024/bus/", "Route 7 is back."),
    ),
)


def test_scores_by_hand():
    got = (
        item("Flood wall approved", "https://www.example.org/2024/flood-wall", ("The wall protects 400 homes.",)),
        item("Library reopens", "https://example.org/news/library.html"),  # relative to the page's address
        item("Most read", "https://example.org/popular/"),
    )
    result = ev.ListingResult(PAGE, "listing html", got)
    assert result.as_listing and result.count_exact
    scores = result.scores()
    assert (scores["items"], scores["output"], scores["found"], scores["links"]) == (3, 3, 2, 2)
    assert (scores["summary_truth"], scores["summary_output"], scores["summary_overlap"]) == (9, 5, 5)
    row = ev.summarise("listing html", [result])
    assert row["titles_found"] == pytest.approx(2 / 3) and row["titles_right"] == pytest.approx(2 / 3)
    assert row["count_exact"] == 1.0 and row["links_right"] == 1.0
    assert row["summary_f1"] == pytest.approx(2 * 1.0 * (5 / 9) / (1.0 + 5 / 9))


def test_one_article_is_not_a_listing():
    whole = item("Flood wall approved", None)
    result = ev.ListingResult(PAGE, "listing html", (whole,))
    assert not result.as_listing and not result.count_exact and result.scores()["found"] == 0


def test_truth_file_is_well_formed_and_matches_the_pages():
    rows = json.loads(ev.TRUTH.read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    for row in rows:
        data = gzip.decompress((ev.FIXTURES / f"{row['id']}.html.gz").read_bytes())
        assert hashlib.sha256(data).hexdigest().startswith(row["id"])
        assert row["split"] in {"dev", "test", "retuned", "retuned2", "holdout"} and row["items"]
        assert all(i["title"].strip() and i["link"].strip() for i in row["items"])
    sites = {r["site"]: r["split"] for r in rows}
    assert all(sites[r["site"]] == r["split"] for r in rows), "a site's pages stay in one split"


def test_listing_floor_on_real_pages():
    """What listing pages reach (docs/ingest-eval.md), less a margin: a change that loses ground fails here."""
    results = ev.evaluate()
    html, archive = (ev.summarise(form, results[form]) for form in ("listing html", "listing warc"))
    assert html["count_exact"] >= 0.68 and html["titles_found"] >= 0.95 and html["titles_right"] >= 0.93
    assert html["links_right"] >= 0.99 and html["summary_f1"] >= 0.89 and html["as_listing"] >= 0.93
    assert archive["same_as_html"] == 1.0
