"""Apache Spark as the pipeline's engine room: the same tasks, spread over a cluster.

Nothing here re-implements a step of the analysis. Spark runs the package's own functions:

- :class:`SparkMap` is a *mapper* (the call signature of :class:`~analysis.pipeline.parallel.ParallelMap`):
  reading and segmenting files, cleaning articles and scoring keyness blocks run as Spark
  tasks, so the tokens and tables are those of the local path.
- :func:`vectorize` builds a :class:`~analysis.pipeline.vectors.VectorSpace` with Spark
  aggregations: document frequencies by ``reduceByKey``, the vocabulary by scikit-learn's
  ``min_df``/``max_df`` rule (:func:`~analysis.pipeline.vectors.document_frequency_bounds`),
  count and TF-IDF rows in the partitions (:func:`~analysis.pipeline.vectors.tfidf_weights`,
  row by row, so the same bits as one matrix at once). The driver only stacks the blocks.
- :func:`cleaned_documents` is the route for corpora larger than the driver's memory: files
  are read, cleaned and deduplicated on the executors, and only the vector space (or what
  is computed from the returned RDD) comes back.

:func:`session` starts (or reuses) the one Spark session of the process, with a one-line
error naming the fix when Java or pyspark is missing. Spark is optional: nothing imports
pyspark until a Spark backend is asked for (``pip install ".[spark]"``, ``make env-spark``).
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any

from analysis import paths
from analysis.checks import positive_int
from analysis.ingest import corpus, duplicates
from analysis.ingest.reading import InputError
from analysis.ingest.sites import corpus_rules
from analysis.paths import DATA
from analysis.pipeline import vectors
from analysis.pipeline.parallel import Item, Result, call_task, with_progress
from analysis.pipeline.vectors import VectorSpace

if TYPE_CHECKING:
    from pyspark import RDD, SparkContext
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[*]"  # every core of this machine; a cluster is "spark://host:7077", "yarn", "k8s://..."

#: Items a :class:`SparkMap` sends to Spark in one job, per partition: enough that a job's
#: start (tens of milliseconds) is small beside its work, few enough that the driver never
#: holds a whole archive's results at once.
ITEMS_PER_PARTITION = 256

INSTALL_HINT = 'run `make env-spark` (or `pip install ".[spark]"`)'
JAVA_HINT = "install a Java runtime, 17 or newer (Debian: `apt-get install default-jre-headless`), or set JAVA_HOME"


class SparkUnavailable(RuntimeError):
    """Spark cannot start here; the message names what is missing and how to add it."""


def java_missing() -> str | None:
    """Why no Java runtime can be found, or None when one can.

    Returns
    -------
    str or None
        A one-line message naming the fix.
    """
    home = os.environ.get("JAVA_HOME")
    if home and os.path.isfile(os.path.join(home, "bin", "java")):
        return None
    if shutil.which("java"):
        return None
    return f"Spark needs Java and none was found (no `java` on PATH, JAVA_HOME unset or wrong): {JAVA_HINT}"


def _pyspark() -> Any:
    """The pyspark module, or :class:`SparkUnavailable` naming the fix."""
    try:
        with warnings.catch_warnings():  # pyspark warns on import about pandas releases newer than it tested
            warnings.simplefilter("ignore", FutureWarning)
            import pyspark
            import pyspark.sql  # noqa: F401
    except ImportError:
        raise SparkUnavailable(f"the Spark backend needs pyspark, which is not installed: {INSTALL_HINT}") from None
    return pyspark


def session(master: str = DEFAULT_MASTER, driver_memory: str = "4g") -> SparkSession:
    """The process's Spark session: the active one, else a new one on ``master``.

    A new session runs its Python tasks with this interpreter (so with this package and its
    pinned libraries), keeps Spark's console quiet (errors only, no progress bars, no web
    UI) and, on a local master, binds to the loopback address only. Under ``spark-submit``
    (a driver started by Spark) the options given to ``spark-submit`` stand instead.

    Parameters
    ----------
    master : str
        Spark master URL: ``"local[*]"`` (every core here), ``"local[2]"``,
        ``"spark://host:7077"``, ``"yarn"``... Ignored when a session is already active, or
        under ``spark-submit``.
    driver_memory : str
        Memory of the driver JVM (``spark.driver.memory``), for a new local session.

    Returns
    -------
    pyspark.sql.SparkSession
        The session.

    Raises
    ------
    SparkUnavailable
        When pyspark is not installed or no Java runtime is found.
    """
    pyspark = _pyspark()
    active = pyspark.sql.SparkSession.getActiveSession()
    if active is not None:
        return active
    missing = java_missing()
    if missing:
        raise SparkUnavailable(missing)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    quiet = f"-Dlog4j2.configurationFile={(DATA / 'spark-log4j2.properties').as_uri()}"
    builder = (
        pyspark.sql.SparkSession.builder.appName("analysis")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if not os.environ.get("PYSPARK_GATEWAY_PORT"):  # under spark-submit its own options stand: --master, memory, UI
        builder = (
            builder.master(master)
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", driver_memory)
            .config("spark.driver.extraJavaOptions", quiet)
            .config("spark.executor.extraJavaOptions", quiet)
        )
        if master.startswith("local"):
            builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    with (
        warnings.catch_warnings()
    ):  # pyspark warns about pandas releases newer than it tested (its pandas API is unused)
        warnings.simplefilter("ignore", FutureWarning)
        spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def task_error(error: Exception) -> Exception:
    """A failure of Spark itself (not of a task's Python code) as one line, instead of the JVM's stack.

    A task's own exception comes back whole (see :class:`SparkMap`); this is for the rest: a
    worker that died, a result that could not be pickled, a JVM error.

    Parameters
    ----------
    error : Exception
        What pyspark raised on the driver (``Py4JJavaError``, ``PythonException``...).

    Returns
    -------
    Exception
        A :class:`RuntimeError` naming the last error line of the Python traceback in
        ``error``; ``error`` itself when it holds none.
    """
    text = str(error)
    if "Traceback (most recent call last)" not in text:
        return error
    python_part = text.rsplit("Traceback (most recent call last)", 1)[1].split("\n\tat ", 1)[0]
    lines = [line.strip() for line in python_part.splitlines() if line.strip()]
    return RuntimeError(f"a Spark task failed: {lines[-1] if lines else type(error).__name__}")


@dataclass(frozen=True)
class _Failed:
    """What a task yields instead of a result when ``func`` raised: the exception, with its notes."""

    error: Exception


def _run_partition(func: Callable[[Any, Any], Any], shared: Any, numbered: Iterable[tuple[int, Any]]) -> Iterator[Any]:
    """One Spark task: ``func(context, item)`` for each ``(place, item)`` of a partition, in order.

    An exception ends the partition and is sent back as a :class:`_Failed` value, so the
    driver raises the task's own exception (an ``InputError`` naming a file stays one),
    with the note naming the item, as :class:`~analysis.pipeline.parallel.ParallelMap` does.
    """
    context = shared.value
    for place, item in numbered:
        try:
            yield call_task(func, context, item, place)
        except Exception as error:
            yield _Failed(error)
            return


@dataclass(frozen=True)
class SparkMap:
    """An ordered map whose tasks run on Spark: the same contract as :class:`ParallelMap`.

    Items are sent in jobs of ``partitions × items_per_partition``; each job's results come
    back to the driver in input order before the next job starts, so a long stream of files
    or articles is never held whole. The context is broadcast once per call: a cluster sends
    it to each executor once, as :class:`ParallelMap` sends it to each process.

    Attributes
    ----------
    master : str
        Spark master URL, used when no session is active yet (see :func:`session`).
    partitions : int or None
        Partitions per job; None: the session's default parallelism (its cores).
    items_per_partition : int
        Items per partition in one job.
    progress : str or None
        Label of a progress bar over items; None shows none.
    unit : str
        What an item is called in the progress bar.
    """

    master: str = DEFAULT_MASTER
    partitions: int | None = None
    items_per_partition: int = ITEMS_PER_PARTITION
    progress: str | None = None
    unit: str = "item"

    def __post_init__(self) -> None:
        if self.partitions is not None:
            positive_int(self.partitions, "partitions", "SparkMap")
        positive_int(self.items_per_partition, "items_per_partition", "SparkMap")

    def spark_context(self) -> SparkContext:
        """The Spark context the tasks run on (starting a session when none is active)."""
        return session(self.master).sparkContext

    def __call__(
        self, func: Callable[[Any, Item], Result], items: Iterable[Item], context: Any = None
    ) -> Iterator[Result]:
        """Yield ``func(context, item)`` for each item, in input order, computed by Spark tasks.

        Parameters
        ----------
        func : callable
            A top-level function of ``(context, item)`` (Spark pickles it by reference).
        items : iterable
            Inputs; consumed one job at a time.
        context : Any
            Broadcast once and passed to every call.

        Yields
        ------
        Any
            Results in input order.

        Raises
        ------
        Exception
            The first failing task's own exception, with a note naming the item it failed
            on; a :class:`RuntimeError` of one line when Spark itself fails (:func:`task_error`).
        """
        sc = self.spark_context()
        partitions = self.partitions or sc.defaultParallelism
        shared = sc.broadcast(context)
        job = partitions * self.items_per_partition
        results = self._results(sc, shared, func, iter(items), partitions, job)
        try:
            yield from with_progress(
                results, self.progress, self.unit, len(items) if hasattr(items, "__len__") else None
            )
        finally:
            results.close()
            shared.unpersist()

    @staticmethod
    def _results(
        sc: SparkContext, shared: Any, func: Callable, items: Iterator, partitions: int, job: int
    ) -> Iterator[Any]:
        start = 0
        while chunk := list(islice(items, job)):
            numbered = list(enumerate(chunk, start))
            rdd = sc.parallelize(numbered, min(partitions, len(numbered)))
            try:
                results = rdd.mapPartitions(partial(_run_partition, func, shared)).collect()
            except Exception as error:
                raise task_error(error) from None
            failed = next((result for result in results if isinstance(result, _Failed)), None)
            if failed is not None:
                raise failed.error
            start += len(chunk)
            yield from results


# --- the vector space, by Spark aggregations ---------------------------------------------------------------------


def _distinct_terms(document: tuple[str, Sequence[str]]) -> Iterator[tuple[str, int]]:
    """``(term, 1)`` once per distinct term of a document: its share of the document frequencies."""
    return ((term, 1) for term in set(document[1]))


def _add(a: int, b: int) -> int:
    return a + b


def _count_block(
    columns: Any, idf: Any, sublinear_tf: bool, n_terms: int, partition: int, documents: Iterable
) -> Iterator[tuple[int, tuple[str, ...], Any, Any]]:
    """One partition's count and TF-IDF rows: ``(partition, doc ids, counts, tfidf)``."""
    from collections import Counter

    import numpy as np
    from scipy.sparse import csr_matrix

    index = columns.value
    doc_ids, indptr, indices, data = [], [0], [], []
    for doc_id, tokens in documents:
        counted = Counter(index[token] for token in tokens if token in index)
        for column in sorted(counted):
            indices.append(column)
            data.append(counted[column])
        doc_ids.append(doc_id)
        indptr.append(len(indices))
    counts = csr_matrix(
        (np.asarray(data, dtype=np.int64), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
        shape=(len(doc_ids), n_terms),
    )
    yield partition, tuple(doc_ids), counts, vectors.tfidf_weights(counts, idf.value, sublinear_tf)


def vectorize(
    documents: Sequence[tuple[str, Sequence[str]]] | RDD,
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    sublinear_tf: bool = False,
    master: str = DEFAULT_MASTER,
    partitions: int | None = None,
) -> VectorSpace:
    """:func:`analysis.pipeline.vectors.vectorize` computed by Spark: the same space, bit for bit.

    Parameters
    ----------
    documents : sequence of (str, sequence of str), or an RDD of them
        ``(doc_id, tokens)`` in corpus order; an RDD stays on the cluster (only the
        vocabulary and the matrices come back to the driver).
    min_df, max_df : int or float
        Document-frequency pruning, scikit-learn's rule (see
        :func:`~analysis.pipeline.vectors.document_frequency_bounds`).
    sublinear_tf : bool
        Use ``1 + ln(tf)`` in TF-IDF.
    master : str
        Spark master URL, when no session is active yet.
    partitions : int, optional
        Partitions of a sequence of documents; None: the session's default parallelism.

    Returns
    -------
    VectorSpace
        Rows in input order, vocabulary in alphabetical order, as the local path gives.

    Raises
    ------
    ValueError
        When there are no documents, or no term survives pruning (the local path's messages).
    SparkUnavailable
        When Spark cannot start.
    """
    import numpy as np
    from scipy.sparse import vstack

    sc = session(master).sparkContext
    if isinstance(documents, Sequence):
        if not documents:
            raise ValueError("no documents to vectorise; check the input paths")
        documents = sc.parallelize(list(documents), min(partitions or sc.defaultParallelism, len(documents)))
    documents = documents.cache()
    try:
        n_docs = documents.count()
        if n_docs == 0:
            raise ValueError("no documents to vectorise; check the input paths")
        frequencies = documents.flatMap(_distinct_terms).reduceByKey(_add).collect()
        low, high = vectors.document_frequency_bounds(n_docs, min_df, max_df)
        kept = sorted((term, df) for term, df in frequencies if low <= df <= high)
        if not kept:
            raise vectors.no_terms_left("after pruning, no terms remain")
        vocabulary = tuple(term for term, _ in kept)
        idf = vectors.smoothed_idf([df for _, df in kept], n_docs)
        columns, weights = sc.broadcast({term: j for j, term in enumerate(vocabulary)}), sc.broadcast(idf)
        try:
            task = partial(_count_block, columns, weights, sublinear_tf, len(vocabulary))
            blocks = sorted(documents.mapPartitionsWithIndex(task).collect(), key=lambda block: block[0])
        finally:
            columns.unpersist()
            weights.unpersist()
    except Exception as error:
        translated = task_error(error)
        if translated is error:
            raise
        raise translated from None
    finally:
        documents.unpersist()
    counts = vstack([block[2] for block in blocks], format="csr", dtype=np.int64)
    tfidf = vstack([block[3] for block in blocks], format="csr", dtype=np.float64)
    counts.sort_indices()
    tfidf.sort_indices()
    return VectorSpace(
        doc_ids=tuple(doc_id for block in blocks for doc_id in block[1]),
        vocabulary=vocabulary,
        counts=counts,
        tfidf=tfidf,
        idf=idf,
        dictionary=vectors.dictionary_for(vocabulary, counts),
    )


# --- the driver-free route: files to cleaned documents on the cluster ---------------------------------------------


def _file_documents(shared: Any, numbered: tuple[int, Any]) -> Iterator[tuple[str, Any]]:
    """One file's cleaned articles as ``(duplicate key, ((file, article), id, tokens))``, or ``("", FileResult)`` if unread.

    A whole article with an address also gives a marker ``(link key, ((file, -1), None, None))``
    that wins over any teaser linking to it from its file or a later one, as locally
    (:func:`analysis.ingest.duplicates.duplicate_key`).
    """
    from analysis.text import cleaning

    jobs, config = shared.value
    place, path = numbered
    result = corpus.read_file_job(jobs, path)
    if result.error is not None:
        yield "", result
        return
    for article in result.articles:
        address = duplicates.address_key(article)
        if address is not None:
            # a whole article's address, placed before its file's articles: teasers linking to it are duplicates
            yield address, ((place, -1), None, None)
    for position, article in enumerate(result.articles):
        tokens = [token for paragraph in cleaning.clean_texts(article.paragraphs, config) for token in paragraph]
        yield duplicates.duplicate_key(article), ((place, position), article.id, tokens)


def _unread(record: tuple[str, Any]) -> bool:
    return record[0] == ""


def _read(record: tuple[str, Any]) -> bool:
    return record[0] != ""


def _earlier(a: tuple, b: tuple) -> tuple:
    """Of two copies of one article, the one earlier in corpus order (the local path keeps the first)."""
    return a if a[0] <= b[0] else b


def _is_document(document: tuple) -> bool:
    """Not the marker of a whole article's address (see :func:`_file_documents`)."""
    return document[1] is not None


def _place(document: tuple) -> tuple[int, int]:
    return document[0]


def _id_and_tokens(document: tuple) -> tuple[str, list[str]]:
    return document[1], document[2]


def _id_once(document: tuple[str, list[str]]) -> tuple[str, int]:
    return document[0], 1


def _repeated(pair: tuple[str, int]) -> bool:
    return pair[1] > 1


def cleaned_documents(
    seeds: Any = None, lemmatize: bool = True, master: str = DEFAULT_MASTER, partitions: int | None = None
) -> RDD:
    """``(article id, cleaned tokens)`` of every article, made on the cluster: the driver holds no article.

    The same documents, in the same order, as :func:`analysis.pipeline.workflow.stream_article_tokens`:
    the site's template lines are found first (Spark tasks), then each file is read,
    segmented and its articles cleaned in one task; an article repeating an earlier one
    (same title and text, or a teaser of it: :func:`analysis.ingest.duplicates.duplicate_key`) is
    kept once, the earliest, as locally. Feed the result to :func:`vectorize`.

    Parameters
    ----------
    seeds : path, list of paths, or None
        Inputs, as for :func:`analysis.pipeline.workflow.prepare`; they must be readable at the
        same path by every executor.
    lemmatize : bool
        Lemmatise tokens.
    master : str
        Spark master URL, when no session is active yet.
    partitions : int, optional
        Partitions of the file list; None: the session's default parallelism.

    Returns
    -------
    pyspark.RDD
        Of ``(doc_id, tokens)`` in corpus order. Files that cannot be read are reported (one
        :class:`~analysis.ingest.corpus.SkippedFileWarning` each) before it is returned.

    Raises
    ------
    InputError
        When no file can be read, or two files give articles the same id (as locally).
    SparkUnavailable
        When Spark cannot start.
    """
    from analysis.text import cleaning

    sc = session(master).sparkContext
    given = paths.input_paths(seeds)
    inputs = corpus.find_inputs(given)
    corpus.report_skipped(inputs.skipped)
    jobs = (corpus_rules(inputs.files, (), None, SparkMap(master)), None)
    shared = sc.broadcast((jobs, cleaning.default_config(lemmatize=lemmatize)))
    slices = min(partitions or sc.defaultParallelism, max(1, len(inputs.files)))
    try:
        records = sc.parallelize(list(enumerate(inputs.files)), slices).flatMap(partial(_file_documents, shared))
        records = records.cache()
        failures = [result for _, result in records.filter(_unread).collect()]  # in file order
        corpus.report_unread(given, failures, len(inputs.files))
        documents = (
            records.filter(_read)
            .reduceByKey(_earlier)
            .values()
            .filter(_is_document)
            .sortBy(_place, numPartitions=slices)
            .map(_id_and_tokens)
            .cache()
        )
        clash = documents.map(_id_once).reduceByKey(_add).filter(_repeated).take(1)
    except Exception as error:
        translated = task_error(error)
        if translated is error:
            raise
        raise translated from None
    if clash:
        raise InputError(
            f"{corpus.describe_inputs(given)}: article id {clash[0][0]!r} is given by two files; "
            "give the two files different names"
        )
    return documents
