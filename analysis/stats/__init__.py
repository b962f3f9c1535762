"""Stage 4, statistics: what the counts say, as tidy tables.

Frequencies (TF-IDF top terms, rates per 1,000 tokens), keyness of an article or a group
against the rest (G², log ratio, log-odds with an informative Dirichlet prior),
similarity between articles (cosine, nearest neighbours, a clustered order) and change over
time (dates read, periods, rates and topic shares per period, one period against the rest).
"""

from analysis.stats.frequencies import most_frequent_terms, relative_frequencies, tfidf_ties_at_cut, top_tfidf_terms
from analysis.stats.groups import compare_groups, group_size_note, permutation_rule
from analysis.stats.keyness import keyness_by_article
from analysis.stats.keyterms import select_key_terms, strongest_terms, ties_at_cut
from analysis.stats.periods import (
    article_dates,
    articles_per_period,
    assign_periods,
    choose_period,
    dated_periods,
    dates_note,
    first_last_appearance,
    interval_label,
    key_terms_each_way,
    keyness_sides,
    parse_date,
    period_axis,
    period_keyness,
    rate_trends,
    target_period,
    term_rates_by_period,
    term_timeline,
    topic_prevalence_by_period,
    wilson_interval,
)
from analysis.stats.significance import adjusted_p_values
from analysis.stats.similarity import (
    cluster_order,
    cosine_similarity_matrix,
    most_similar_pairs,
    nearest_neighbours,
    similarity_table,
)

__all__ = [
    "adjusted_p_values",
    "article_dates",
    "articles_per_period",
    "assign_periods",
    "choose_period",
    "cluster_order",
    "compare_groups",
    "group_size_note",
    "permutation_rule",
    "select_key_terms",
    "tfidf_ties_at_cut",
    "cosine_similarity_matrix",
    "dated_periods",
    "dates_note",
    "first_last_appearance",
    "interval_label",
    "key_terms_each_way",
    "keyness_by_article",
    "keyness_sides",
    "most_frequent_terms",
    "most_similar_pairs",
    "nearest_neighbours",
    "parse_date",
    "period_axis",
    "period_keyness",
    "rate_trends",
    "relative_frequencies",
    "similarity_table",
    "strongest_terms",
    "target_period",
    "term_rates_by_period",
    "term_timeline",
    "ties_at_cut",
    "top_tfidf_terms",
    "topic_prevalence_by_period",
    "wilson_interval",
]
