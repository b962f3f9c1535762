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
