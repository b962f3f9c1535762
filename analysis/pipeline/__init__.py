"""Stage 3, pipeline: the set-up every notebook shares.

Read and clean a corpus once (:func:`prepare`, streamed through the on-disk token cache),
spread the work with the one parallel map (:class:`ParallelMap`), and build the vector
spaces the statistics and models read (:func:`article_space`, :func:`paragraph_space`).
A :class:`Backend` (:func:`backend`) says where that work runs: processes of this machine,
or Spark (:mod:`analysis.pipeline.spark`).
"""

from analysis.pipeline.backends import Backend, backend
from analysis.pipeline.parallel import ParallelMap, serial_map, usable_cores
from analysis.pipeline.vectors import VectorSpace, vectorize
from analysis.pipeline.workflow import (
    Prepared,
    article_groups,
    article_labels,
    article_space,
    clean_many,
    iter_cleaned,
    paragraph_articles,
    paragraph_space,
    prepare,
    stream_article_tokens,
)

__all__ = [
    "Backend",
    "ParallelMap",
    "Prepared",
    "VectorSpace",
    "article_groups",
    "article_labels",
    "article_space",
    "backend",
    "clean_many",
    "iter_cleaned",
    "paragraph_articles",
    "paragraph_space",
    "prepare",
    "serial_map",
    "stream_article_tokens",
    "usable_cores",
    "vectorize",
]
