"""The Spark backend beside the single-machine path, on generated archives: time, memory, topic quality.

``python -m benchmarks.bench --backend spark`` (or ``python -m benchmarks.scale_out``) runs,
for each size, in fresh child processes:

- **local**: :func:`analysis.pipeline.prepare` (segmenting and cleaning in this machine's
  processes, no token cache), the article space (``min_df=2``, ``max_df=0.5``), the default
  engine (tomotopy) with K = 20;
- **spark**: the same on ``BACKEND="spark"`` (files read and articles cleaned as Spark
  tasks, the space by Spark aggregations) and Spark MLlib's online LDA (``"mllib"``), K = 20.

Each child reports the seconds of each stage, the peak resident memory of its whole process
tree (the Python driver, Spark's JVM and its Python workers, or the local worker processes),
sampled every 0.2 s, and the matched cosine of the fitted topics with the generator's true
topics. Results go to ``bench-results/scale-out.csv`` and ``.json``; ``docs/scale-out.md``
quotes them and projects a cluster's time from the measured per-core rates.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import synthetic
from benchmarks.bench import DEFAULT_OUT, K, _our_term_of, _peak_rss_mb, child_generate, run_child

MASTER = "local[2]"  # the machine's two cores, as the local path uses them
SAMPLE_SECONDS = 0.2


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process visible in /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants, in MB (Linux /proc)."""
    tree, stack, total = _children(), [root], 0
    while stack:
        pid = stack.pop()
        stack.extend(tree.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm", encoding="utf-8") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
    return total / 1e6


class PeakTreeMemory:
    """The largest :func:`tree_rss_mb` of this process seen while the ``with`` block runs."""

    def __enter__(self) -> PeakTreeMemory:
        self.peak = tree_rss_mb(os.getpid())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, tree_rss_mb(os.getpid()))

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss_mb(os.getpid()))


ROUTES = ("local", "spark", "spark-stream")


def child_path(backend: str, inputs: str, folder: str, seed: int, master: str, fit_topics: bool = True) -> dict:
    """Child: one route from files to topics, timed by stage.

    ``"local"`` and ``"spark"`` run what the notebooks run (:func:`analysis.pipeline.prepare`
    on that backend, then the article space); ``"spark-stream"`` the driver-free route
    (:func:`analysis.pipeline.spark.cleaned_documents` into :func:`analysis.pipeline.spark.vectorize`).
    """
    from analysis import models, pipeline
    from analysis.pipeline import spark
    from analysis.text import cleaning

    os.environ["ANALYSIS_CACHE"] = "off"
    on_spark = backend != "local"
    with PeakTreeMemory() as memory:
        started = time.perf_counter()
        where = pipeline.backend("spark" if on_spark else "local", master)
        ready = time.perf_counter()
        if backend == "spark-stream":
            documents = spark.cleaned_documents(inputs, master=master)
            prepared_at = time.perf_counter()
            space = spark.vectorize(documents, min_df=2, max_df=0.5, master=master)
        else:
            prepared = pipeline.prepare(inputs, use_cache=False, backend=where)
            prepared_at = time.perf_counter()
            space = pipeline.article_space(prepared, min_df=2, max_df=0.5, backend=where)
        space_at = time.perf_counter()
        engine = "mllib" if on_spark else models.DEFAULT_ENGINE
        model = models.fit(space, K, seed, engine) if fit_topics else None
        fitted_at = time.perf_counter()
        driver_mb = _peak_rss_mb()
    quality = float("nan")
    if model is not None:
        term_of = _our_term_of(cleaning.default_config())
        quality, _ = synthetic.matched_cosine(model.topic_term, space.vocabulary, synthetic.read_truth(folder), term_of)
    return {
        "backend": backend,
        "master": master if on_spark else "",
        "engine": engine if fit_topics else "",
        "n_articles": len(space.doc_ids),
        "n_terms": len(space.vocabulary),
        "start_seconds": ready - started,
        "prepare_seconds": prepared_at - ready,
        "space_seconds": space_at - prepared_at,
        "lda_seconds": fitted_at - space_at,
        "seconds": fitted_at - started,
        "peak_tree_mb": memory.peak,
        "driver_peak_mb": driver_mb,
        "quality": quality,
        "sweeps_run": model.sweeps_run if model is not None else 0,
    }


def compare(
    sizes: Sequence[int],
    work: Path,
    out: Path,
    seed: int = 0,
    master: str = MASTER,
    quiet: bool = False,
    routes: Sequence[str] = ROUTES,
    fit_topics: bool = True,
) -> list[dict]:
    """Generate each size and run both paths on it; write and return the rows.

    Parameters
    ----------
    sizes : sequence of int
        Articles per generated archive.
    work : Path
        Folder for the archives (kept: a second run reuses them).
    out : Path
        Folder of ``scale-out.csv`` and ``scale-out.json``.
    seed : int
        Seed of the generator and of every fit.
    master : str
        Spark master of the Spark path.
    quiet : bool
        No status lines.
    routes : sequence of str
        Which of :data:`ROUTES` to run.
    fit_topics : bool
        Fit the topic models (False measures reading, cleaning and counting only).

    Returns
    -------
    list of dict
        One row per size and backend (a failed child gives a row with ``error``).
    """
    import pandas as pd

    rows: list[dict] = []
    for n in sizes:
        name = f"synthetic-{n // 1000}k" if n % 1000 == 0 else f"synthetic-{n}"
        folder = work / name
        if not (folder / "truth.npz").exists():
            if not quiet:
                print(f"[scale-out] {name}: generating", file=sys.stderr, flush=True)
            made = run_child(child_generate, n_articles=n, folder=str(folder), seed=seed, progress=False)
            if "error" in made:
                raise RuntimeError(f"generating {name} failed: {made['error']}")
        for backend in routes:
            if not quiet:
                print(f"[scale-out] {name}: {backend}", file=sys.stderr, flush=True)
            result = run_child(
                child_path,
                backend=backend,
                inputs=str(folder / "pages"),
                folder=str(folder),
                seed=seed,
                master=master,
                fit_topics=fit_topics,
            )
            rows.append({"corpus": name, "size": n, "backend": backend, **result})
            if not quiet:
                print(f"[scale-out] {json.dumps(rows[-1])}", file=sys.stderr, flush=True)
        out.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(rows).round(3).to_csv(out / "scale-out.csv", index=False)
        (out / "scale-out.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return rows


def render(rows: Sequence[dict]) -> str:
    """The rows as a Markdown table: seconds by stage, memory, quality, and each route's time over local's."""
    local = {row["corpus"]: row for row in rows if row.get("backend") == "local" and "error" not in row}
    lines = [
        "| corpus | route | engine | start s | read + clean s | space s | LDA s | total s | × local | peak MB (all processes) "
        "| driver MB | quality |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if "error" in row:
            lines.append(f"| {row['corpus']} | {row.get('backend', '?')} | failed: {row['error']} |" + " |" * 9)
            continue
        base = local.get(row["corpus"])
        ratio = f"{row['seconds'] / base['seconds']:.2f}" if base else ""
        driver = f"{row['driver_peak_mb']:,.0f}" if "driver_peak_mb" in row else ""
        quality = f"{row['quality']:.3f}" if row["quality"] == row["quality"] else ""  # NaN: no topics fitted
        lines.append(
            f"| {row['corpus']} | {row['backend']} {row['master']}".rstrip()
            + f" | {row['engine']} | {row['start_seconds']:.1f} | {row['prepare_seconds']:.1f} | {row['space_seconds']:.1f}"
            f" | {row['lda_seconds']:.1f} | {row['seconds']:.1f} | {ratio} | {row['peak_tree_mb']:,.0f} | {driver} | {quality} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.scale_out [--sizes 1k,10k,100k] [--master local[2]]``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale_out", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k,100k", help="articles per generated archive (default: %(default)s)")
    parser.add_argument("--master", default=MASTER, help="Spark master URL (default: %(default)s)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/analysis-scale-out"), help="folder for the archives")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: bench-results/)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--routes", default=",".join(ROUTES), help="comma-separated (default: %(default)s)")
    parser.add_argument("--no-topics", action="store_true", help="measure reading, cleaning and counting only")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    sizes = [synthetic.parse_size(s) for s in args.sizes.split(",") if s.strip()]
    routes = [r.strip() for r in args.routes.split(",") if r.strip()]
    unknown = [r for r in routes if r not in ROUTES]
    if unknown:
        parser.error(f"unknown route(s) {', '.join(unknown)}; use some of {', '.join(ROUTES)}")
    rows = compare(sizes, args.work, args.out, args.seed, args.master, args.quiet, routes, not args.no_topics)
    print(render(rows))
    failed = [row for row in rows if "error" in row]
    for row in failed:
        print(f"scale-out: {row['corpus']} on {row.get('backend', '?')} failed: {row['error']}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
