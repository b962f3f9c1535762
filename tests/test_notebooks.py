"""The notebooks end to end: every figure and table is written, twice to the same bytes.

The build runs as ``make figures`` does (``python -m analysis.build``), but into temporary
folders (``$ANALYSIS_FIGURES``) so that the test never touches the committed ``figures/``.
The second of the two builds runs as on another machine: offline (see
``tests/test_offline.py``: no network for the build or its kernels, every attempt recorded)
and on other float kernels (:data:`OTHER_CPU`: OpenBLAS's Sandy Bridge kernels, numpy
without AVX-512, AVX2 or FMA), so "the same bytes" holds across CPUs, not only across runs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from test_offline import log_lines, offline_command, remote_references

from analysis.build import NotebookFailed, execute_notebook, notebook_paths
from analysis.paths import FIGURES_ENV, ROOT, SEEDS_ENV

pytestmark = pytest.mark.slow  # builds notebooks, starts servers, or searches long (skipped by make test-fast)

EXPECTED = {
    "01-corpus-overview": [
        "__article-lengths.png",
        "__article-lengths.svg",
        "__removed-lines.png",
        "__removed-lines.svg",
        "__top-terms.png",
        "__top-terms.svg",
        "__articles.csv",
        "__removed-lines.csv",
        "__aliases.csv",
        "__top-terms.csv",
        "__manifest.json",
    ],
    "02-tfidf": [
        "__top-terms.png",
        "__top-terms.svg",
        "__top-terms.csv",
        "__similarity.png",
        "__similarity.svg",
        "__similarity.csv",
        "__manifest.json",
    ],
    "03-lda-topics": [
        "__k-sweep.png",
        "__k-sweep.svg",
        "__k-sweep.csv",
        "__topics-gensim.png",
        "__topics-gensim.svg",
        "__topics-sklearn.png",
        "__topics-sklearn.svg",
        "__topic-terms.csv",
        "__article-topics.png",
        "__article-topics.svg",
        "__article-topics.csv",
        "__explorer.html",
        "__manifest.json",
    ],
    "04-term-comparisons": [
        "__frequencies.png",
        "__frequencies.svg",
        "__frequencies.csv",
        "__keyness.png",
        "__keyness.svg",
        "__keyness.csv",
        "__groups.png",
        "__groups.svg",
        "__groups.csv",
        "__dispersion.png",
        "__dispersion.svg",
        "__kwic.csv",
        "__manifest.json",
    ],
    # the shipped seeds/ carry no dates: notebook 05 writes its manifest only (no empty figures)
    "05-change-over-time": ["__manifest.json"],
    "06-one-article": ["__report.html", "__manifest.json"],
    "": ["corpus-summary.md", "corpus-summary.json"],
}
EXPECTED_FILES = sorted(f"{notebook}{suffix}" for notebook, suffixes in EXPECTED.items() for suffix in suffixes)


#: Environment that makes this machine compute like an older CPU: OpenBLAS's Sandy Bridge kernels,
#: numpy without its AVX2/FMA (X86_V3) and AVX-512 (X86_V4, AVX512_ICL) code paths (numpy 2.4 groups
#: features under these names and silently ignores the older ones: AVX512F, AVX2, FMA3), and
#: tomotopy (notebook 03's K sweep) on its SSE2 kernels instead of the AVX2 ones it is pinned to.
OTHER_CPU = {
    "OPENBLAS_CORETYPE": "Sandybridge",
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 X86_V3 AVX512_ICL",
    "TOMOTOPY_ISA": "sse2",
}


def build(
    out: Path, seeds: Path | None = None, offline_logs: Path | None = None, env_extra: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the build into ``out``; with ``offline_logs``, offline, its guard logs in that folder."""
    env = {**os.environ, FIGURES_ENV: str(out), **(env_extra or {})}
    if seeds is not None:
        env[SEEDS_ENV] = str(seeds)
    command = [sys.executable, "-m", "analysis.build"]
    if offline_logs is not None:
        command, env, _, _ = offline_command(command, offline_logs, env)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("figures-1"), tmp_path_factory.mktemp("figures-2")
    logs = tmp_path_factory.mktemp("offline-logs")
    results = [build(first), build(second, offline_logs=logs, env_extra=OTHER_CPU)]
    for result in results:
        assert result.returncode == 0, result.stderr[-3000:]
    return first, second, results[0], logs


def test_every_expected_output_is_written(two_builds):
    first, _, _, _ = two_builds
    assert sorted(p.name for p in first.iterdir()) == EXPECTED_FILES
    for path in first.iterdir():
        assert path.stat().st_size > 0, path.name
        if path.suffix == ".png":
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if path.suffix == ".svg":
            assert b"<svg" in path.read_bytes()[:2000]


def test_a_second_run_on_other_float_kernels_changes_no_byte(two_builds):
    first, second, _, _ = two_builds
    assert sorted(p.name for p in second.iterdir()) == EXPECTED_FILES
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), f"{path.name} differs on other float kernels"


def _kernels(env: dict) -> dict:
    """OpenBLAS's core type and numpy's dispatched wide-SIMD features in a fresh interpreter with ``env``."""
    code = (
        "import json, threadpoolctl; from numpy._core._multiarray_umath import __cpu_features__ as f; "
        "print(json.dumps({'blas': [i.get('architecture') for i in threadpoolctl.threadpool_info()], "
        "'simd': {k: f.get(k) for k in ('X86_V3', 'X86_V4')}}))"
    )
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_other_cpu_settings_took_effect():
    """The second build's kernels really differ: OpenBLAS uses the core type it was told, numpy no wide SIMD."""
    native, other = _kernels(dict(os.environ)), _kernels({**os.environ, **OTHER_CPU})
    assert other["blas"] == ["Sandybridge"], other
    assert other["simd"] == {"X86_V3": False, "X86_V4": False}, other  # -W error: an unknown feature name fails
    assert native["simd"] != other["simd"] or not any(native["simd"].values()), (native, other)


def test_the_offline_build_made_no_network_attempt(two_builds):
    """The second build ran with the network guard in the build and in all four kernels: 0 attempts."""
    _, _, _, logs = two_builds
    loaded = log_lines(logs / "network-guard-loaded.log")
    kernels = [line for line in loaded if "ipykernel" in line]
    assert any("analysis.build" in line for line in loaded), loaded
    assert len(kernels) >= len(notebook_paths()), loaded
    assert log_lines(logs / "network-attempts.log") == []


def test_build_reports_progress(two_builds):
    _, _, result, _ = two_builds
    assert "executing notebooks/03-lda-topics.ipynb" in result.stderr
    assert "code cell 1/" in result.stderr


def test_outputs_are_offline(two_builds):
    """No output makes a reader fetch a script, style sheet or image from elsewhere."""
    first, _, _, _ = two_builds
    checked = [p for p in first.iterdir() if p.suffix in (".html", ".svg", ".csv", ".json", ".md")]
    assert len(checked) == len([n for n in EXPECTED_FILES if not n.endswith(".png")])
    for path in checked:
        assert remote_references(path.read_text(encoding="utf-8")) == [], path.name


def test_manifests_record_inputs_and_versions(two_builds):
    first, _, _, _ = two_builds
    manifest = json.loads((first / "03-lda-topics__manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"][0]["file"] == "seeds/000_117e1a02a6deec84.txt"
    assert len(manifest["inputs"][0]["sha256"]) == 64
    assert manifest["libraries"]["gensim"] and manifest["parameters"]["RANDOM_STATE"] == 1
    assert manifest["notes"]["chosen_k"] >= 2


def test_readme_lists_every_output(two_builds):
    first, _, _, _ = two_builds
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set()
    for stem, extension, more in re.findall(r"`figures/([^`]+?)\.(\w+)`((?: / `\.\w+`)*)", readme):
        listed |= {f"{stem}.{extension}", *(f"{stem}{other}" for other in re.findall(r"`(\.\w+)`", more))}
    assert listed == {p.name for p in first.iterdir()}


def test_committed_figures_are_current(two_builds):
    """figures/ in the repository holds what the build writes now, on either float kernels (run `make figures`)."""
    first, second, _, _ = two_builds
    committed = ROOT / "figures"
    for built in (first, second):
        for path in built.iterdir():
            assert (committed / path.name).read_bytes() == path.read_bytes(), (
                f"figures/{path.name} is stale: run make figures"
            )


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_notebooks_are_committed_thin_and_clean(path):
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# ")
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.outputs and c.execution_count is None for c in code), "strip outputs before committing"
    for cell in code:
        assert not re.search(r"^\s*(def|class)\s", cell.source, re.MULTILINE), "logic belongs in the analysis package"
    assert notebook.cells[-1].cell_type == "code"


def test_another_corpus_through_the_environment(tmp_path, fixtures):
    """A notebook runs unchanged on other inputs named by $ANALYSIS_SEEDS."""
    env = {**os.environ, SEEDS_ENV: str(fixtures / "pages"), FIGURES_ENV: str(tmp_path)}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        execute_notebook(ROOT / "notebooks" / "02-tfidf.ipynb")
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    articles = (tmp_path / "02-tfidf__top-terms.csv").read_text(encoding="utf-8")
    assert "harbour_gazette-000" in articles and "000_117e1a02a6deec84" not in articles


def test_failing_notebook_names_notebook_and_cell(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")]
    path = tmp_path / "99-broken.ipynb"
    nbformat.write(notebook, path)
    with pytest.raises(NotebookFailed, match=r"99-broken.ipynb: code cell 2 failed: ZeroDivisionError"):
        execute_notebook(path)


def test_missing_seed_path_is_one_clear_error(tmp_path):
    result = build(tmp_path, seeds=tmp_path / "nowhere")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "01-corpus-overview.ipynb: code cell" in last and "nowhere" in last and "SEEDS" in last


def test_spark_backend_writes_the_committed_tables_and_notebook_03_runs_on_mllib(tmp_path):
    """Issue 12's acceptance: notebooks 01, 02 and 04 on Spark write the committed CSVs (byte for byte,
    so their numbers are equal well within 1e-6), and notebook 03 runs with the ``mllib`` engine."""
    from conftest import spark_or_skip

    spark_or_skip()  # Java and pyspark are here (or the test is skipped, or fails in CI)
    tables, topics = tmp_path / "tables", tmp_path / "topics"
    spark_build("--notebook", "01", "--notebook", "02", "--notebook", "04", "--set", f"FIGURES='{tables}'")
    written = sorted(tables.glob("*.csv"))
    assert len(written) == 10, [p.name for p in written]
    for path in written:
        assert path.read_bytes() == (ROOT / "figures" / path.name).read_bytes(), f"{path.name} differs on Spark"
    manifest = json.loads((tables / "04-term-comparisons__manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["BACKEND"] == "spark"

    spark_build("--notebook", "03", "--set", "ENGINE='mllib'", "--set", f"FIGURES='{topics}'")
    terms = (topics / "03-lda-topics__topic-terms.csv").read_text(encoding="utf-8")
    assert ",mllib" in terms and (topics / "03-lda-topics__topics-mllib.png").is_file()
    assert (topics / "03-lda-topics__explorer.html").stat().st_size > 10_000


def spark_build(*arguments: str) -> None:
    """``python -m analysis.build`` on Spark (``local[2]``) with ``arguments``, without the token
    cache (so Spark reads and cleans the inputs itself); it must succeed."""
    command = [sys.executable, "-m", "analysis.build", "--set", "BACKEND='spark'", "--set", "SPARK_MASTER='local[2]'"]
    env = {**os.environ, "ANALYSIS_CACHE": "off"}
    done = subprocess.run([*command, *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
