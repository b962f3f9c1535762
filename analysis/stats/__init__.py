"""Stage 4, statistics: what the counts say, as tidy tables.

Frequencies (TF-IDF top terms, rates per 1,000 tokens), keyness of an article or a group
against the rest (G², log ratio, log-odds with an informative Dirichlet prior) and
similarity between articles (cosine, nearest neighbours, a clustered order).
"""

from analysis.stats.frequencies import most_frequent_terms, relative_frequencies, top_tfidf_terms
from analysis.stats.groups import compare_groups
from analysis.stats.keyness import keyness_by_article, strongest_terms, ties_at_cut
from analysis.stats.similarity import (
    cluster_order,
    cosine_similarity_matrix,
    most_similar_pairs,
    nearest_neighbours,
    similarity_table,
)

__all__ = [
    "cluster_order",
    "compare_groups",
    "cosine_similarity_matrix",
    "keyness_by_article",
    "most_frequent_terms",
    "most_similar_pairs",
    "nearest_neighbours",
    "relative_frequencies",
    "similarity_table",
    "strongest_terms",
    "ties_at_cut",
    "top_tfidf_terms",
]
