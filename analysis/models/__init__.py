"""Stage 4, models: topic models behind one engine registry.

:func:`fit` runs any registered :class:`Engine` (gensim, scikit-learn, tomotopy, Spark MLlib; a new one
is one adapter class and one :func:`register_engine` call) on a vector space's counts and
returns a :class:`FittedTopics`; :func:`sweep` and :func:`choose_k` pick the number of topics
from coherence, diversity and stability across seeds; the table functions turn a fit into
tidy ``topic, rank, term`` and ``doc_id, topic, share`` tables, and :mod:`relevance` names
topics the way the explorer ranks them.
"""

from analysis.models import mllib  # noqa: F401  (registers the "mllib" engine; pyspark is imported only to fit)
from analysis.models.engines import (
    DEFAULT_ENGINE,
    ENGINE_LABELS,
    ENGINES,
    Engine,
    FittedTopics,
    engine_note,
    fit,
    is_deterministic,
    register_engine,
    training_note,
)
from analysis.models.selection import choose_k, match_topics, stability, sweep, topic_diversity
from analysis.models.topics import (
    aggregate_to_articles,
    distinctive_terms,
    doc_topic_matrix,
    doc_topics,
    perplexity,
    top_term_lists,
    topic_labels,
    topic_term_matrix,
    topic_terms,
)

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "ENGINE_LABELS",
    "Engine",
    "FittedTopics",
    "aggregate_to_articles",
    "choose_k",
    "distinctive_terms",
    "doc_topic_matrix",
    "doc_topics",
    "engine_note",
    "fit",
    "is_deterministic",
    "match_topics",
    "perplexity",
    "register_engine",
    "stability",
    "sweep",
    "top_term_lists",
    "topic_diversity",
    "topic_labels",
    "topic_term_matrix",
    "topic_terms",
    "training_note",
]
