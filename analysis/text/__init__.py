"""Stage 2, text: words out of articles.

Cleaning as a list of small named steps (normalise, remove web addresses, tokenise,
lower-case, merge aliases, join phrases, drop stopwords, lemmatise with a check that every
lemma is a word) with :func:`explain` to watch each step, the word lists it reads, and the
concordance tools that need words in their places (KWIC, dispersion).
"""

from analysis.text.cleaning import CleaningConfig, clean, clean_by_steps, default_config, explain
from analysis.text.concordance import article_spans, dispersion, kwic, kwic_table

__all__ = [
    "CleaningConfig",
    "article_spans",
    "clean",
    "clean_by_steps",
    "default_config",
    "dispersion",
    "explain",
    "kwic",
    "kwic_table",
]
