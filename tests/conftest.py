"""Shared fixtures and the hypothesis profiles ("ci" by default; "long" for a deeper local run)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# database=None: failing examples are not saved in .hypothesis/ inside the repository; a
# failure prints its example (and @reproduce_failure blob) in the test output instead.
settings.register_profile(
    "ci", max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=20_000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of hand-written test documents."""
    return FIXTURES


@pytest.fixture(scope="session")
def config():
    """The shipped cleaning configuration (built once: it reads the word lists)."""
    from analysis.text.cleaning import default_config

    return default_config()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Print the hostile-input tally (tests/test_hostile.py) when that suite ran."""
    counts = getattr(config, "hostile_counts", None)
    if counts:
        terminalreporter.write_line("hostile inputs: " + ", ".join(f"{name} {n}" for name, n in counts.items()))


def spark_or_skip():
    """A local Spark session (``local[2]``); skip (or fail under ``CI_REQUIRE_SPARK=1``) when Spark cannot start.

    Spark's tests are skipped only when pyspark or Java is missing; ``.ci/run`` installs Java
    and sets ``CI_REQUIRE_SPARK=1``, and ``make test`` installs pyspark, so in CI they run.
    """
    from analysis.pipeline import spark

    try:
        return spark.session("local[2]")
    except spark.SparkUnavailable as error:
        reason = f"SPARK TESTS NOT RUN: {error}"
        if os.environ.get("CI_REQUIRE_SPARK") == "1":
            pytest.fail(reason + " CI_REQUIRE_SPARK=1 makes this a failure.")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def spark_backend():
    """The Spark backend on ``local[2]`` (one session for the whole test run)."""
    from analysis.pipeline.backends import Backend

    spark_or_skip()
    return Backend("spark", "local[2]")


def _listing_html(items: list[tuple[str, str]], title: str) -> str:
    blocks = "".join(
        f'<article class="post"><h2 class="entry-title"><a href="{href}">{headline}</a></h2>'
        f"<p>A summary of the story about {headline.lower()} for readers of the front page.</p></article>"
        for headline, href in items
    )
    return f"<html><head><title>{title}</title></head><body><main>{blocks}</main></body></html>"


def _article_html(headline: str) -> str:
    body = "".join(
        f"<p>The council met on Monday about {headline.lower()} and agreed part {n} of the plan after a long "
        "debate about its cost and the homes on the east bank of the river it is meant to protect.</p>"
        for n in range(6)
    )
    return (
        f'<html><head><title>{headline}</title><meta property="og:type" content="article"></head>'
        f"<body><article><h1>{headline}</h1>{body}</article></body></html>"
    )


@pytest.fixture(scope="session")
def listing_crawl(tmp_path_factory) -> Path:
    """A folder of a site's crawl: a WARC with a listing page and two of its articles, a later listing page saved as HTML.

    The front page lists four stories; the archive also holds the whole pages of two of them
    (one captured after the front page), and ``section.html`` lists one of them again and a
    new one: with duplicates counted once, 4 + 2 + 2 articles read give 5.
    """
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    site = "https://river.example"
    stories = [("Flood wall approved by council", "/a"), ("Library reopens its doors", "/b")]
    stories += [("School meals free for all pupils", "/c"), ("Bus route seven returns", "/d")]
    folder = tmp_path_factory.mktemp("listing-crawl")
    pages = [
        (f"{site}/", _listing_html(stories, "River News")),
        (f"{site}/a", _article_html(stories[0][0])),
        (f"{site}/c", _article_html(stories[2][0])),
    ]
    with (folder / "crawl.warc.gz").open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number, (url, html) in enumerate(pages):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(html.encode()),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-01-01T00:00:00Z", "WARC-Record-ID": f"<urn:uuid:{number}>"},
            )
            writer.write_record(record)
    section = [stories[1], stories[2], ("Market square plans on show", "/e")]
    html = _listing_html(section, "Town").replace("<head>", f'<head><link rel="canonical" href="{site}/town">')
    (folder / "section.html").write_text(html, encoding="utf-8")
    return folder
