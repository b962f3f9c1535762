"""The Spark backend gives the local path's results: tokens, vocabulary, counts, TF-IDF, frequencies, keyness.

Parity is exact (the same bits), not approximate: Spark runs the package's own reading,
cleaning and weighting functions, and the TF-IDF of a row does not depend on the other rows.
The corpora are the shipped seed and a generated archive of scraped pages (benchmarks/synthetic.py).
"""

from __future__ import annotations

import operator

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from analysis import pipeline, stats
from analysis.pipeline import spark, vectors
from analysis.pipeline.backends import Backend, backend
from benchmarks import synthetic


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated archive of 240 articles on 6 planted topics, in page files of several articles."""
    return synthetic.generate(240, tmp_path_factory.mktemp("generated"), k=6, random_state=11)


@pytest.fixture(scope="module", params=["seed", "generated"])
def both(request, spark_backend, generated):
    """The same corpus prepared on each backend: ``(local, spark)``."""
    seeds = None if request.param == "seed" else generated.pages
    local = pipeline.prepare(seeds, use_cache=False)
    on_spark = pipeline.prepare(seeds, use_cache=False, backend=spark_backend)
    return local, on_spark


def assert_same_space(a: vectors.VectorSpace, b: vectors.VectorSpace) -> None:
    assert a.doc_ids == b.doc_ids
    assert a.vocabulary == b.vocabulary
    assert a.counts.dtype == b.counts.dtype and (a.counts != b.counts).nnz == 0
    assert np.array_equal(a.counts.indptr, b.counts.indptr) and np.array_equal(a.counts.indices, b.counts.indices)
    assert np.array_equal(a.tfidf.indptr, b.tfidf.indptr) and np.array_equal(a.tfidf.indices, b.tfidf.indices)
    assert np.array_equal(a.tfidf.data, b.tfidf.data), "TF-IDF weights differ in some bit"
    assert np.array_equal(a.idf, b.idf)
    assert a.dictionary.token2id == b.dictionary.token2id
    assert (a.dictionary.dfs, a.dictionary.cfs) == (b.dictionary.dfs, b.dictionary.cfs)
    assert (a.dictionary.num_docs, a.dictionary.num_pos, a.dictionary.num_nnz) == (
        b.dictionary.num_docs,
        b.dictionary.num_pos,
        b.dictionary.num_nnz,
    )


@pytest.mark.slow  # starts Spark
def test_spark_reads_and_cleans_the_same_articles_and_tokens(both):
    local, on_spark = both
    assert len(local.articles) > 5
    assert on_spark.articles == local.articles
    assert on_spark.duplicates == local.duplicates
    assert on_spark.article_tokens == local.article_tokens
    assert on_spark.paragraph_tokens == local.paragraph_tokens


@pytest.mark.parametrize(
    "options",
    [{}, {"min_df": 2, "max_df": 0.5, "sublinear_tf": True}, {"min_df": 0.05, "max_df": 40}],
    ids=["defaults", "pruned-sublinear", "share-and-count"],
)
@pytest.mark.slow  # starts Spark
def test_spark_builds_the_same_article_space(both, spark_backend, options):
    local, _ = both
    assert_same_space(
        pipeline.article_space(local, **options), pipeline.article_space(local, backend=spark_backend, **options)
    )


@pytest.mark.slow  # starts Spark
def test_spark_builds_the_same_paragraph_space(both, spark_backend):
    local, _ = both
    assert_same_space(pipeline.paragraph_space(local), pipeline.paragraph_space(local, backend=spark_backend))


@pytest.mark.slow  # starts Spark
def test_frequencies_and_keyness_from_the_spark_space_equal_the_local_ones(both, spark_backend):
    local, _ = both
    here, there = pipeline.article_space(local), pipeline.article_space(local, backend=spark_backend)
    assert stats.relative_frequencies(here, top=15).equals(stats.relative_frequencies(there, top=15))
    expected = stats.keyness_by_article(here)
    scored_on_spark = stats.keyness_by_article(there, mapper=spark_backend.task_mapper())
    assert scored_on_spark.equals(expected)
    assert scored_on_spark.attrs == expected.attrs


@pytest.mark.slow  # starts Spark
def test_keyness_blocks_spread_over_several_spark_tasks_keep_their_order(spark_backend, monkeypatch):
    from analysis.stats import keyness

    space = vectors.vectorize([(f"d{i}", [f"w{i % 7}", f"w{i % 3}", "common"] * (i + 1)) for i in range(30)])
    expected = stats.keyness_by_article(space)
    monkeypatch.setattr(keyness, "KEYNESS_BLOCK_CELLS", 20)  # two articles per block: 15 blocks
    assert stats.keyness_by_article(space, mapper=spark.SparkMap("local[2]", items_per_partition=2)).equals(expected)


@pytest.mark.slow  # starts Spark
def test_spark_vectorize_refuses_what_the_local_path_refuses(spark_backend):
    for documents, options in [([], {}), ([("a", ["x"]), ("b", ["y"])], {"min_df": 2})]:
        with pytest.raises(ValueError) as local_error:
            vectors.vectorize(documents, **options)
        with pytest.raises(ValueError) as spark_error:
            spark.vectorize(documents, **options)
        assert str(spark_error.value) == str(local_error.value)
    with pytest.raises(ValueError, match="max_df corresponds to < documents than min_df"):
        spark.vectorize([("a", ["x"]), ("b", ["x"])], min_df=3, max_df=2)


@pytest.mark.slow  # starts Spark
def test_spark_map_keeps_order_across_jobs_and_names_a_failing_item(spark_backend):
    # tasks must be importable by Spark's Python workers: the standard library's, not this module's
    mapper = spark.SparkMap("local[2]", partitions=2, items_per_partition=3)  # 6 items per job: 4 jobs
    assert list(mapper(operator.mul, range(20), 3)) == [3 * i for i in range(20)]
    assert list(mapper(operator.mul, [], 3)) == []
    with pytest.raises(ZeroDivisionError) as error:  # the task's own exception, as ParallelMap raises it
        list(mapper(operator.floordiv, [4, 2, 0, 1] * 5, 12))
    assert error.value.__notes__ == ["(on item 3 of the input: 0)"]


@pytest.mark.slow  # starts Spark
def test_a_file_that_cannot_be_read_is_skipped_on_spark_as_locally(spark_backend, tmp_path, fixtures):
    import shutil

    for page in sorted((fixtures / "pages").glob("*.txt"))[:2]:
        shutil.copy(page, tmp_path / page.name)
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.warns(UserWarning, match="empty.txt") as local_warnings:
        local = pipeline.prepare(tmp_path, use_cache=False)
    with pytest.warns(UserWarning, match="empty.txt") as spark_warnings:
        on_spark = pipeline.prepare(tmp_path, use_cache=False, backend=spark_backend)
    assert on_spark.articles == local.articles and len(local.articles) > 0
    assert [str(w.message) for w in spark_warnings] == [str(w.message) for w in local_warnings]


def test_a_spark_failure_outside_python_is_one_line():
    text = (
        "An error occurred while calling o1.collect.\n: org.apache.spark.SparkException: Job aborted\n"
        'Traceback (most recent call last):\n  File "x.py", line 1, in f\n    g()\n'
        "pickle.PicklingError: cannot pickle 'generator' object\n\tat org.apache.spark.api.python.X(X.scala:1)\n"
    )
    error = spark.task_error(RuntimeError(text))
    assert str(error) == "a Spark task failed: pickle.PicklingError: cannot pickle 'generator' object"
    plain = ValueError("no traceback here")
    assert spark.task_error(plain) is plain


# --- what does not need a running Spark --------------------------------------------------------------------------


tokens = st.lists(st.lists(st.sampled_from("abcdefghij"), max_size=8), min_size=1, max_size=12)
shares = st.floats(0, 1, allow_nan=False)
counts = st.integers(0, 14)


@given(tokens, st.one_of(shares, counts), st.one_of(shares, counts))
def test_document_frequency_bounds_keep_scikit_learns_vocabulary(docs, min_df, max_df):
    if isinstance(min_df, int) and min_df == 0:
        min_df = 1  # scikit-learn refuses an int min_df of 0
    try:
        expected = sorted(CountVectorizer(analyzer=lambda d: d, min_df=min_df, max_df=max_df).fit(docs).vocabulary_)
    except ValueError:
        expected = None  # pruned to nothing, or max_df below min_df
    try:
        low, high = vectors.document_frequency_bounds(len(docs), min_df, max_df)
    except ValueError:
        kept = None
    else:
        df = {term: sum(term in set(d) for d in docs) for d in docs for term in d}
        kept = sorted(t for t, n in df.items() if low <= n <= high) or None
    assert kept == expected


def test_smoothed_idf_and_tfidf_weights_are_scikit_learns_bit_for_bit():
    rng = np.random.default_rng(3)
    from scipy.sparse import csr_matrix

    counts = csr_matrix(rng.poisson(0.7, size=(60, 40)).astype(np.int64))
    counts.sort_indices()
    for sublinear in (False, True):
        transformer = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=sublinear)
        expected = transformer.fit_transform(counts).tocsr()
        idf = vectors.smoothed_idf(np.diff(counts.tocsc().indptr), counts.shape[0])
        assert np.array_equal(idf, transformer.idf_)
        weighted = vectors.tfidf_weights(counts, idf, sublinear)
        assert np.array_equal(weighted.toarray(), expected.toarray())
        halves = [
            vectors.tfidf_weights(counts[:25], idf, sublinear),
            vectors.tfidf_weights(counts[25:], idf, sublinear),
        ]
        assert np.array_equal(np.vstack([h.toarray() for h in halves]), expected.toarray())


def test_unknown_backend_and_empty_master_are_one_line_errors():
    with pytest.raises(ValueError, match="BACKEND must be one of 'local', 'spark', got 'dask'"):
        backend("dask")
    with pytest.raises(ValueError, match="SPARK_MASTER must be a Spark master URL"):
        Backend("spark", " ")
    assert backend(None) == Backend() and not Backend().on_spark


def test_missing_pyspark_names_make_env_spark(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    with pytest.raises(spark.SparkUnavailable, match=r"make env-spark"):
        spark._pyspark()


def test_missing_java_names_the_package_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nowhere"))
    message = spark.java_missing()
    assert message and "default-jre-headless" in message and "\n" not in message
    monkeypatch.delenv("JAVA_HOME")
    assert spark.java_missing() == message


# --- the driver-free route ----------------------------------------------------------------------------------------


@pytest.mark.slow  # starts Spark
@pytest.mark.parametrize("corpus_name", ["seed", "generated"])
def test_documents_cleaned_on_the_cluster_give_the_local_space(spark_backend, generated, corpus_name):
    seeds = None if corpus_name == "seed" else generated.pages
    local = pipeline.prepare(seeds, use_cache=False)
    documents = spark.cleaned_documents(seeds, master="local[2]")
    assert documents.collect() == list(pipeline.stream_article_tokens(seeds))
    options = {"min_df": 2, "max_df": 0.5}
    assert_same_space(pipeline.article_space(local, **options), spark.vectorize(documents, **options))


@pytest.mark.slow  # starts Spark
def test_the_driver_free_route_skips_reports_and_refuses_as_the_local_path(spark_backend, tmp_path, fixtures):
    import shutil

    from analysis.ingest import InputError

    pages = sorted((fixtures / "pages").glob("*.txt"))[:2]
    for page in pages:
        shutil.copy(page, tmp_path / page.name)
    shutil.copy(pages[0], tmp_path / "copy-of-first.txt")  # the same articles again: kept once
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.warns(UserWarning, match="empty.txt"):
        expected = list(pipeline.stream_article_tokens(tmp_path))
    with pytest.warns(UserWarning, match="empty.txt"):
        assert spark.cleaned_documents(tmp_path, master="local[2]").collect() == expected
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "empty.txt").write_bytes(b"")
    with pytest.raises(InputError, match="empty.txt"):
        spark.cleaned_documents(tmp_path / "only", master="local[2]")
    (tmp_path / "other").mkdir()
    shutil.copy(pages[1], tmp_path / "other" / pages[0].name)  # another page under a name already used
    with pytest.raises(InputError, match="id") as local_error:
        list(pipeline.stream_article_tokens([tmp_path / pages[0].name, tmp_path / "other" / pages[0].name]))
    with pytest.raises(InputError, match="give the two files different names"):
        spark.cleaned_documents([tmp_path / pages[0].name, tmp_path / "other" / pages[0].name], master="local[2]")
    assert "different names" in str(local_error.value)


@pytest.mark.slow  # starts Spark
def test_the_driver_free_route_counts_teasers_once_as_locally(spark_backend, listing_crawl):
    expected = list(pipeline.stream_article_tokens(listing_crawl))
    assert len(expected) == 5  # the teasers of pages also read whole, and a repeated teaser, counted once
    assert spark.cleaned_documents(listing_crawl, master="local[2]").collect() == expected
