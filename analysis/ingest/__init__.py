"""Stage 1, ingest: files in, articles out.

Readers by file type (:data:`READERS`: scraped pages as text, JSON Lines/CSV records, saved
HTML), segmentation of a listing page into articles with its chrome removed, and the
recognisers of single lines (bylines, datelines, tag lines). Nothing here cleans words.
"""

from analysis.ingest.corpus import (
    READERS,
    Article,
    Duplicate,
    InputError,
    Paragraph,
    corpus_rules,
    duplicates_note,
    find_files,
    iter_articles,
    iter_paragraphs,
    load_articles,
    read_file,
)
from analysis.ingest.reasons import RemovalReason
from analysis.ingest.segment import Rules, default_rules, rules_from_file, segment_page

__all__ = [
    "READERS",
    "Article",
    "Duplicate",
    "InputError",
    "Paragraph",
    "RemovalReason",
    "Rules",
    "corpus_rules",
    "duplicates_note",
    "default_rules",
    "find_files",
    "iter_articles",
    "iter_paragraphs",
    "load_articles",
    "read_file",
    "rules_from_file",
    "segment_page",
]
