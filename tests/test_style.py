"""Lint and format are part of the tests: `make test` fails on code ruff would flag or reformat."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.paths import ROOT

CHECKED = ["analysis", "benchmarks", "tests"]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["ruff-check", "ruff-format"])
def test_ruff_is_clean(command):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, *CHECKED], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
