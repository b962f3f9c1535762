"""Shared fixtures and the hypothesis profiles ("ci" by default; "long" for a deeper local run)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of hand-written test documents."""
    return FIXTURES


@pytest.fixture(scope="session")
def config():
    """The shipped cleaning configuration (built once: it reads the word lists)."""
    from analysis.clean import default_config

    return default_config()
