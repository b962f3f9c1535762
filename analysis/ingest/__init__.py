"""Stage 1, ingest: files in, articles out.

Readers by file type (:data:`READERS`: scraped pages as text, JSON Lines/CSV records, saved
HTML, web archives), segmentation of a listing page into articles with its chrome removed, the
recognisers of single lines (bylines, datelines, tag lines), and the per-file audit of what
reading gave (:func:`audit_inputs`). Nothing here cleans words.
"""

from analysis.ingest.audit import FileAudit, audit_inputs, low_confidence, readable
from analysis.ingest.audit import summary as audit_summary
from analysis.ingest.corpus import (
    READERS,
    Article,
    Paragraph,
    Skipped,
    SkippedFileWarning,
    find_files,
    find_inputs,
    input_kind,
    iter_articles,
    iter_paragraphs,
    load_articles,
    read_file,
    skipped_notes,
)
from analysis.ingest.duplicates import Duplicate, duplicates_note
from analysis.ingest.reading import InputError
from analysis.ingest.reasons import RemovalReason
from analysis.ingest.rules import Rules, default_rules, rules_from_file
from analysis.ingest.segment import segment_page
from analysis.ingest.sites import corpus_rules

__all__ = [
    "READERS",
    "Article",
    "Duplicate",
    "FileAudit",
    "InputError",
    "Paragraph",
    "RemovalReason",
    "Rules",
    "Skipped",
    "SkippedFileWarning",
    "audit_inputs",
    "audit_summary",
    "corpus_rules",
    "duplicates_note",
    "default_rules",
    "find_files",
    "find_inputs",
    "input_kind",
    "iter_articles",
    "iter_paragraphs",
    "load_articles",
    "low_confidence",
    "read_file",
    "readable",
    "rules_from_file",
    "segment_page",
    "skipped_notes",
]
