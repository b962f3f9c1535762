"""benchmarks.fit_headline: the fit learns what separates headlines, and writes a module the reader loads."""

from __future__ import annotations

import dataclasses
import importlib.util

import numpy as np
import pytest

from analysis.ingest import headline
from analysis.ingest.headline_weights import WEIGHTS
from benchmarks import fit_headline

FEATURES = headline.HEADLINE_FEATURES


def _page(site: str, rng: np.random.Generator, n: int = 5) -> fit_headline.PageExamples:
    """A page of ``n`` candidates whose headline is the one with a byline under it (``cr1``);
    every other feature is noise."""
    rows = []
    title = int(rng.integers(n))
    for i in range(n):
        features = {name: float(rng.normal()) for name in FEATURES}
        features["cr1"] = float(i == title)
        features["is_standfirst"] = features["has_standfirst"] = 0.0
        rows.append((i, features))
    matrix = np.array([[row[name] for name in FEATURES] for _, row in rows])
    return fit_headline.PageExamples("synthetic", site, tuple(rows), matrix, np.arange(n) == title, 1.0)


def test_the_fit_finds_the_feature_that_marks_the_headline():
    rng = np.random.default_rng(7)
    pages = [_page(f"site{k}.example", rng) for k in range(60)]
    weights = dict(zip(FEATURES, fit_headline.fit(pages)))
    assert weights["cr1"] > 0 and weights["cr1"] == max(weights.values(), key=abs)
    assert all(fit_headline.top_is_title(page, np.array(list(weights.values()))) for page in pages)
    rows = fit_headline.evaluate(pages)
    assert rows[0]["pages"] == 60 and rows[0]["right, unseen sites"] > 0.9


def test_a_page_whose_headline_is_no_candidate_teaches_nothing():
    rng = np.random.default_rng(1)
    page = _page("a.example", rng)
    lost = fit_headline.PageExamples("synthetic", "b.example", page.rows, page.features, page.is_title & False, 1.0)
    with pytest.raises(ValueError, match="no page"):
        fit_headline.fit([lost])


def test_the_written_module_holds_every_feature_and_loads(tmp_path):
    weights = np.linspace(-1, 1, len(FEATURES))
    path = tmp_path / "weights.py"
    fit_headline.write_weights(weights, "A note.", path)
    spec = importlib.util.spec_from_file_location("weights", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert list(module.WEIGHTS) == list(FEATURES)
    assert module.WEIGHTS[FEATURES[0]] == -1.0 and module.WEIGHTS[FEATURES[-1]] == 1.0
    assert not list(tmp_path.glob("*.tmp"))


def test_the_shipped_weights_name_every_feature():
    assert list(WEIGHTS) == list(FEATURES)
    assert all(isinstance(w, float) for w in WEIGHTS.values())


def test_data_that_is_not_a_checkout_exits_2(tmp_path, capsys):
    assert fit_headline.main(["--data", str(tmp_path)]) == 2
    assert "fit_headline:" in capsys.readouterr().err


def test_calibration_counts_picks_by_the_odds_they_were_given():
    rng = np.random.default_rng(3)
    pages = [_page(f"site{k}.example", rng) for k in range(4)]
    pages = [dataclasses.replace(page, source="wcxb train, paragraphs") for page in pages[:3]] + pages[3:]
    unseen = [(True, 0.95), (False, 0.2), (True, 0.45), (False, 0.99)]  # the last is a fixture page: not counted
    lines = fit_headline.calibration(pages, unseen)
    assert lines == [
        "- odds in [0%, 30%): 1 of 3 WCXB page dumps, right on 0%",
        "- odds in [0%, 50%): 2 of 3 WCXB page dumps, right on 50%",
        "- odds in [90%, 100%]: 1 of 3 WCXB page dumps, right on 100%",
    ]
