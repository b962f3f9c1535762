"""Two groups to compare (notebook 04): by tag, else by site section, else by source file, else none."""

from __future__ import annotations

from analysis.ingest import Article
from analysis.pipeline import article_groups


def article(n: int, tags: tuple[str, ...] = (), url: str | None = None, source: str = "a.txt") -> Article:
    return Article(
        id=f"a-{n:03d}",
        title=f"Story {n}",
        tags=tags,
        byline=None,
        date=None,
        paragraphs=("Text.",),
        captions=(),
        source=source,
        position=n,
        line=1,
        url=url,
    )


def test_the_tag_asked_for_then_the_tag_closest_to_half():
    articles = [article(0, ("Floods",)), article(1, ("Floods", "Council")), article(2, ("Council",)), article(3)]
    split = article_groups(articles, "floods")
    assert (split.name, split.members, split.note, split.label) == (
        "floods",
        [True, True, False, False],
        "",
        "articles tagged “floods”",
    )
    other = article_groups(articles, "Schools")
    assert other.name in {"Floods", "Council"} and sum(other.members) == 2
    assert "tag 'Schools' does not split this corpus" in other.note


def test_a_crawl_without_tags_is_split_by_the_first_folder_of_its_addresses():
    urls = ["https://x.org/politics/2024/a", "https://x.org/politics/b", "https://x.org/sport/c", "https://x.org/d"]
    split = article_groups([article(n, url=u) for n, u in enumerate(urls)], None)
    assert (split.name, split.members, split.label) == (
        "politics",
        [True, True, False, False],
        "articles under /politics/",
    )
    assert "no tag splits the articles" in split.note


def test_then_by_source_file_and_else_nothing_with_a_reason():
    split = article_groups([article(0, source="a.txt"), article(1, source="b.txt"), article(2, source="b.txt")], None)
    assert split.name in {"a.txt", "b.txt"} and sum(split.members) in {1, 2} and split.label.startswith("articles from")
    none = article_groups([article(0), article(1)], "Floods")
    assert none.members == [] and "comparison is skipped" in none.note
