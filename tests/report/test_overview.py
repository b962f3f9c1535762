"""Corpus tables, the README block, and atomic writes."""

from __future__ import annotations

import os

import pytest

from analysis import io as aio
from analysis.ingest.corpus import Article
from analysis.paths import ROOT
from analysis.report import overview
from analysis.text.cleaning import CleaningConfig


def article(article_id: str, *paragraphs: str) -> Article:
    return Article(article_id, "T", (), None, None, paragraphs, (), "x.txt", 0, 1)


def test_corpus_summary_counts_by_hand():
    articles = [article("a", "The cat saw the cat.", "A dog."), article("b", "Cats and dogs!")]
    config = CleaningConfig(stopwords=frozenset({"the", "a", "and"}), lemmatize=False)
    summary = overview.corpus_summary(articles, config, top=3)
    assert summary["articles"] == 2 and summary["paragraphs"] == 3
    assert summary["tokens_raw"] == 5 + 2 + 3
    assert summary["tokens_clean"] == 3 + 1 + 2  # cat saw cat | dog | cats dogs
    assert summary["vocabulary_raw"] == 8  # the cat saw a dog cats and dogs
    assert summary["vocabulary_clean"] == 5
    assert summary["top_terms"] == [
        {"term": "cat", "n": 2, "articles": 1},
        {"term": "cats", "n": 1, "articles": 1},
        {"term": "dog", "n": 1, "articles": 1},
    ]


def test_readme_block_replacement():
    text = "intro\n<!-- corpus-table:start -->\nold\n<!-- corpus-table:end -->\noutro\n"
    assert overview.replace_between_markers(text, "new\n") == (
        "intro\n<!-- corpus-table:start -->\nnew\n<!-- corpus-table:end -->\noutro\n"
    )
    with pytest.raises(ValueError, match="marker"):
        overview.replace_between_markers("no markers", "x")


def test_readme_corpus_table_is_current():
    """The README's table is what `make corpus-table` writes for the shipped seeds."""
    from analysis.ingest.corpus import load_articles

    expected = overview.summary_markdown(overview.corpus_summary(load_articles()))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert overview.replace_between_markers(readme, expected) == readme, "run `make corpus-table`"


def test_alias_and_removed_tables(config):
    from analysis.ingest.corpus import load_articles

    articles = load_articles()
    aliases = overview.alias_table(articles, config)
    assert list(aliases.columns) == ["article_id", "term", "variant", "n"]
    pmoi = aliases[(aliases.term == "mek") & (aliases.variant == "pmoi")]
    assert pmoi.n.sum() > 0
    removed = overview.removed_lines_table(articles)
    assert (removed.reason == "chrome").sum() >= 20  # share and read-more lines of ten articles
    assert (removed.reason == "byline").sum() == 10
    table = overview.article_table(articles)
    assert table.n_words.min() > 300 and len(table) == 10


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out" / "table.csv"
    aio.atomic_write_text(target, "first\n")
    aio.atomic_write_text(target, "second\n")
    assert target.read_text() == "second\n"
    assert os.listdir(target.parent) == ["table.csv"]


def test_failed_write_keeps_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "table.csv"
    aio.atomic_write_text(target, "complete\n")

    def crash(*_):
        raise OSError("disk full")

    monkeypatch.setattr(aio.os, "replace", crash)
    with pytest.raises(OSError):
        aio.atomic_write_text(target, "partial")
    assert target.read_text() == "complete\n"
    assert os.listdir(tmp_path) == ["table.csv"]


def test_corpus_summary_reuses_tokens_already_cleaned(config):
    from analysis.pipeline import workflow

    prepared = workflow.prepare()
    assert overview.corpus_summary(
        prepared.articles, top=10, tokens=prepared.article_tokens
    ) == overview.corpus_summary(prepared.articles, config, top=10)


def test_removed_counts_keep_one_row_per_article_when_titles_repeat():
    from dataclasses import replace

    from analysis.ingest.segment import RemovedLine

    first = replace(article("a-1", "Body."), removed=(RemovedLine("Share", 3, "chrome"),))
    second = replace(
        article("a-2", "Body two."), removed=(RemovedLine("Photo", 5, "caption"), RemovedLine("x", 6, "chrome"))
    )
    table = overview.removed_counts([first, second])  # both titled "T"
    assert table.index.tolist() == ["T", "T"]
    assert table["chrome"].tolist() == [1, 1] and table["caption"].tolist() == [0, 1]
