"""The cleaned-corpus cache and the parallel reading path: same results, whatever the route."""

from __future__ import annotations

import pickle

import pytest

from analysis.pipeline import cache, workflow

PAGE = """Example Site

Home | News | About

{title}

By Jane Doe | March {day}, 2021

The council met on {day} March to discuss the river and the new bridge over it.

Residents asked about the cost of the bridge, the traffic and the noise at night.

Share this:
"""


def write_pages(folder, n_files: int, articles_per_file: int = 2):
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(n_files):
        page = "\n".join(
            PAGE.format(title=f"Report number {f} part {a}", day=1 + (f + a) % 28) for a in range(articles_per_file)
        )
        (folder / f"page_{f:04d}.txt").write_text(page, encoding="utf-8")
    return folder


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("ANALYSIS_CACHE", str(folder))
    return folder


def test_second_read_comes_from_the_cache_and_equals_the_first(tmp_path, cache_dir):
    seeds = write_pages(tmp_path / "seeds", 3)
    first = workflow.prepare(seeds)
    entries = list(cache_dir.glob("*.pickle"))
    assert len(entries) == 1
    again = workflow.prepare(seeds)
    assert again == first
    assert workflow.prepare(seeds, use_cache=False) == first


def test_changing_an_input_file_makes_a_new_entry(tmp_path, cache_dir):
    seeds = write_pages(tmp_path / "seeds", 2)
    before = workflow.prepare(seeds)
    page = seeds / "page_0000.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("bridge", "tunnel"), encoding="utf-8")
    after = workflow.prepare(seeds)
    assert len(list(cache_dir.glob("*.pickle"))) == 2
    assert "tunnel" in after.article_tokens[after.articles[0].id]
    assert "tunnel" not in before.article_tokens[before.articles[0].id]


def test_a_damaged_entry_is_rebuilt(tmp_path, cache_dir):
    seeds = write_pages(tmp_path / "seeds", 2)
    first = workflow.prepare(seeds)
    (entry,) = cache_dir.glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:20])
    assert workflow.prepare(seeds) == first
    assert len(list(cache_dir.glob("*.pickle"))) == 1
    truncated = tmp_path / "truncated.pickle"
    truncated.write_bytes(pickle.dumps([1, 2, 3])[:5])
    with pytest.raises(cache.DamagedEntry, match="damaged cache entry"):
        list(cache.read_entry(truncated))


def test_an_unfinished_stream_leaves_no_entry(tmp_path, cache_dir):
    seeds = write_pages(tmp_path / "seeds", 2)
    stream = workflow.iter_cleaned(seeds)
    next(stream)
    stream.close()
    assert not list(cache_dir.glob("*.pickle"))
    assert not [p for p in cache_dir.iterdir() if p.suffix == ".tmp"]


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CACHE", "off")
    assert cache.cache_folder() is None
    seeds = write_pages(tmp_path / "seeds", 1)
    assert workflow.prepare(seeds).articles


def test_parallel_reading_and_cleaning_give_the_serial_result(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CACHE", "off")
    seeds = write_pages(tmp_path / "seeds", 120)  # enough files for two worker processes
    parallel = list(workflow.iter_cleaned(seeds, workers=2))
    serial = list(workflow.iter_cleaned(seeds, workers=1))
    assert len(serial) == 240
    assert parallel == serial


def test_streamed_tokens_equal_prepared_tokens(tmp_path, cache_dir):
    seeds = write_pages(tmp_path / "seeds", 2)
    prepared = workflow.prepare(seeds)
    assert dict(workflow.stream_article_tokens(seeds)) == prepared.article_tokens


def test_config_fingerprint_is_canonical():
    from analysis.text import cleaning

    one, two = cleaning.default_config(), cleaning.default_config()
    assert cache.config_fingerprint(one) == cache.config_fingerprint(two)
    assert cache.config_fingerprint(one) != cache.config_fingerprint(cleaning.default_config(lemmatize=False))


def test_touching_any_module_of_the_cached_stages_changes_the_key(tmp_path, monkeypatch):
    import shutil

    from analysis import paths

    package = tmp_path / "analysis"
    shutil.copytree(paths.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache.paths, "PACKAGE", package)
    fingerprint = cache.code_fingerprint.__wrapped__
    before = fingerprint()
    touched = sorted((package / "ingest").rglob("*.py")) + sorted((package / "text").rglob("*.py"))
    touched += [package / "paths.py", package / "data" / "stopwords_en.txt"]
    assert len(touched) >= 8
    for path in touched:
        original = path.read_bytes()
        path.write_bytes(original + b"\n# touched\n")
        assert fingerprint() != before, f"{path.relative_to(package)} is not part of the cache key"
        path.write_bytes(original)
    assert fingerprint() == before
    (package / "models" / "engines.py").write_text("# a later stage does not change what is cached\n")
    assert fingerprint() == before
