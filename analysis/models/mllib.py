"""Spark MLlib's LDA as an engine of the registry: ``models.fit(space, k, seed, "mllib")``.

MLlib fits LDA by online variational Bayes (Hoffman, Blei and Bach 2010, the algorithm of
gensim's ``LdaModel`` and scikit-learn's online mode): each iteration draws a
``subsampling_rate`` share of the documents, updates their topic shares in the executors
and folds the result into the topics on the driver. The counts are those of the
:class:`~analysis.pipeline.vectors.VectorSpace` (built by either backend), sent to Spark as
sparse vectors, so the columns of the fitted topics are ``space.vocabulary``.

Reproducibility: the documents are cut into a fixed number of ``partitions`` (not the
cluster's core count) and MLlib seeds its sampling per partition from ``random_state``. Each
iteration, MLlib sums the partitions' statistics on the driver in the order their tasks
finish (``treeAggregate`` ends in a ``fold``), and a float sum of three or more terms depends
on its order: with 4 partitions on ``local[2]`` beside two busy processes, 8 fits of one
seed gave 2 different models. A sum of two terms is the same in either order, so the
default is 2 partitions, with which the same seed gives the same model, bit for bit, on any
cluster size and under any load (checked by the tests on ``local[1]``, on ``local[2]``, and
beside busy processes); more partitions spread a fit over a larger cluster and are warned
about. Spark runs one fit on all its cores, so the K
sweep fits MLlib models one after another in the driver (:attr:`MllibEngine.spreads_itself`).
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any

from analysis.models.engines import Engine, FittedTopics, register_engine
from analysis.pipeline import spark

if TYPE_CHECKING:
    from analysis.pipeline.vectors import VectorSpace

ORDER_FREE_PARTITIONS = 2  # the most partitions whose sum Spark gives the same in any finishing order


class MllibEngine(Engine):
    """``pyspark.ml.clustering.LDA`` with the online optimizer.

    Defaults: ``max_iter`` 200 iterations of ``subsampling_rate`` 0.05 of the documents each,
    that is 10 passes over the corpus (scikit-learn's online default). The step size of
    iteration ``t`` is ``(learning_offset + t) ** -learning_decay``; scikit-learn's 10 and 0.7
    are used, not MLlib's 1024 and 0.51, whose steps are made for millions of iterations: on a
    generated corpus of 2,000 articles and 10 planted topics, 200 iterations recovered them
    with matched cosine 0.43 under MLlib's values and 0.87 under these, as gensim's
    ``LdaModel`` does (0.87). ``partitions`` 2 fixes how the documents are split, so results
    do not depend on the cluster or on the order its tasks finish (see the module's note). Priors are the registry's symmetric ``1 / K`` for
    documents and topics, kept fixed (``optimizeDocConcentration`` off). Perplexity is
    ``exp`` of MLlib's ``logPerplexity``, the negative variational bound per token.
    """

    name = "mllib"
    label = "Spark MLlib LDA (online)"
    defaults = {
        "max_iter": 200,
        "subsampling_rate": 0.05,
        "learning_offset": 10.0,
        "learning_decay": 0.7,
        "partitions": 2,
    }
    spreads_itself = True

    def check_params(self, params: dict[str, Any]) -> dict[str, Any]:
        settings = super().check_params(params)
        rate = settings["subsampling_rate"]
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate <= 1:
            raise ValueError(f"fit (mllib): subsampling_rate must be a share in (0, 1], got {rate!r}")
        if settings["partitions"] > ORDER_FREE_PARTITIONS:
            warnings.warn(
                f"fit (mllib): with {settings['partitions']} partitions Spark sums their statistics in the order its "
                f"tasks finish, so one seed can give models that differ in the last bits; "
                f"partitions={ORDER_FREE_PARTITIONS} (the default) is reproducible",
                UserWarning,
                stacklevel=3,
            )
        return settings

    def fit(self, space: VectorSpace, k: int, random_state: int, workers: int, **params: Any) -> FittedTopics:
        import numpy as np

        session = spark.session()
        from pyspark.ml.clustering import LDA
        from pyspark.ml.linalg import Vectors

        counts, n_terms = space.counts, len(space.vocabulary)
        rows = [
            (i, Vectors.sparse(n_terms, counts.indices[a:b].tolist(), counts.data[a:b].astype(float).tolist()))
            for i, (a, b) in enumerate(zip(counts.indptr[:-1], counts.indptr[1:]))
        ]
        documents = session.sparkContext.parallelize(rows, min(params["partitions"], len(rows))).toDF(
            ["id", "features"]
        )
        documents = documents.cache()
        try:
            lda = LDA(
                k=k,
                maxIter=params["max_iter"],
                seed=random_state,
                optimizer="online",
                docConcentration=[1.0 / k] * k,
                topicConcentration=1.0 / k,
                learningOffset=float(params["learning_offset"]),
                learningDecay=float(params["learning_decay"]),
                subsamplingRate=float(params["subsampling_rate"]),
                optimizeDocConcentration=False,
            )
            try:
                model = lda.fit(documents)
                topic_term = model.topicsMatrix().toArray().T
                shares = model.transform(documents).select("id", "topicDistribution").collect()
                perplexity = math.exp(model.logPerplexity(documents))
            except Exception as error:
                translated = spark.task_error(error)
                if translated is error:
                    raise
                raise translated from None
        finally:
            documents.unpersist()
        doc_topic = np.zeros((len(rows), k))
        for row in shares:
            doc_topic[row["id"]] = row["topicDistribution"].toArray()
        empty = doc_topic.sum(axis=1) == 0  # a document with no counted term: MLlib gives zeros, the registry uniform
        doc_topic[empty] = 1.0 / k
        used = session.sparkContext.defaultParallelism
        return self.fitted(space, k, random_state, used, params, topic_term, doc_topic, perplexity)


register_engine(MllibEngine())
