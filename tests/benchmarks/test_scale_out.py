"""The scale-out benchmark (benchmarks/scale_out.py): both paths run and report comparable rows."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from benchmarks import bench, scale_out


def test_process_tree_memory_counts_children():
    alone = scale_out.tree_rss_mb(os.getpid())
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; b = bytearray(200_000_000); sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        for _ in range(100):  # wait until the child has its 200 MB
            with_child = scale_out.tree_rss_mb(os.getpid())
            if with_child - alone > 190:
                break
            time.sleep(0.05)
        assert with_child - alone > 190
    finally:
        child.communicate(b"")
    assert scale_out.tree_rss_mb(-1) == 0  # no such process


def test_render_states_spark_time_over_local_time():
    rows = [
        {
            "corpus": "c",
            "backend": "local",
            "master": "",
            "engine": "tomotopy",
            "start_seconds": 0.0,
            "prepare_seconds": 1.0,
            "space_seconds": 0.5,
            "lda_seconds": 2.5,
            "seconds": 4.0,
            "peak_tree_mb": 100.0,
            "quality": 0.9,
        },
        {
            "corpus": "c",
            "backend": "spark",
            "master": "local[2]",
            "engine": "mllib",
            "start_seconds": 5.0,
            "prepare_seconds": 2.0,
            "space_seconds": 1.0,
            "lda_seconds": 2.0,
            "seconds": 10.0,
            "peak_tree_mb": 900.0,
            "driver_peak_mb": 300.0,
            "quality": 0.8,
        },
        {"corpus": "d", "backend": "spark", "error": "RuntimeError: boom"},
    ]
    table = scale_out.render(rows)
    assert "| c | spark local[2] | mllib | 5.0 | 2.0 | 1.0 | 2.0 | 10.0 | 2.50 | 900 | 300 | 0.800 |" in table
    assert "| c | local | tomotopy | 0.0 | 1.0 | 0.5 | 2.5 | 4.0 | 1.00 | 100 |  | 0.900 |" in table
    assert "| d | spark | failed: RuntimeError: boom |" in table


@pytest.mark.slow  # starts Spark
def test_bench_backend_spark_runs_both_paths(spark_backend, tmp_path):
    out = tmp_path / "out"
    code = bench.main(
        ["--backend", "spark", "--sizes", "150", "--work", str(tmp_path / "work"), "--out", str(out), "--quiet"]
    )
    assert code == 0
    rows = (out / "scale-out.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("corpus,size,backend") and len(rows) == 4
    assert ",local," in rows[1] and ",spark," in rows[2] and ",spark-stream," in rows[3]
    assert ",mllib," in rows[2] and ",mllib," in rows[3]
