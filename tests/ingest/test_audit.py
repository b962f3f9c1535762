"""Cross-page evidence per site, the per-file audit, its low-confidence rule and the removal figure built on it.

A file's result must not depend on unrelated files beside it; pages of one site share their
template, and only then are lines repeated across pages removed (and the audit says so).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from analysis.ingest import audit, corpus, sites
from analysis.ingest import rules as segment_rules
from analysis.ingest import segment as seg
from analysis.ingest.corpus import Article, load_articles
from analysis.ingest.reasons import RemovalReason
from analysis.ingest.recognise import count_words
from analysis.ingest.segment import RemovedLine
from analysis.ingest.sites import PageEvidence
from analysis.paths import SEEDS

#: Three pages of one made-up site: a masthead, a slogan and a footer sentence on every page.
MASTHEAD = "The Millbrook Observer"
SLOGAN = "Independent news for the Mill valley since 1898"
FOOTER = "The Millbrook Observer is printed every Thursday by the Valley Press Trust."
STORIES = [
    (
        "Council approves the new river footbridge",
        "The council voted on Tuesday to build a footbridge across the river near the old mill, at a cost of "
        "two million pounds.",
        "Work will start in the spring and the bridge should open to walkers and cyclists before the end of next year.",
    ),
    (
        "School choir wins the regional contest",
        "The choir of Mill Lane School won the regional contest on Saturday with a programme of folk songs from "
        "the valley.",
        "Its thirty singers will travel to the national final in the capital in June, paid for by a collection.",
    ),
    (
        "Library extends its opening hours in winter",
        "The town library will stay open until eight in the evening on weekdays from November to February, the "
        "council said.",
        "Readers had asked for longer hours in a survey last year, and two new staff have been hired for the evenings.",
    ),
]


def site_page(number: int) -> str:
    title, first, second = STORIES[number]
    lines = [MASTHEAD, SLOGAN, title, f"By Jane Doe | March {number + 3}, 2021", first, second, FOOTER]
    return "\n\n".join(lines) + "\n"


def write_site(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"observer-{i}.txt" for i in range(len(STORIES))]
    for i, path in enumerate(paths):
        path.write_text(site_page(i), encoding="utf-8")
    return paths


def signature(articles: list[Article]) -> list[tuple]:
    """Everything a reader sees of a file's articles, removed lines and their reasons included."""
    return [(a.to_record(), a.removed) for a in articles]


def by_file(articles: list[Article]) -> dict[str, list[Article]]:
    found: dict[str, list[Article]] = {}
    for article in articles:
        found.setdefault(Path(article.source).name, []).append(article)
    return found


# --------------------------------------------------------------------------- independence of unrelated files


def test_each_fixture_page_reads_the_same_alone_and_with_the_others(fixtures):
    pages = sorted((fixtures / "pages").glob("*.txt"))
    together = by_file(load_articles([fixtures / "pages"]))
    for path in pages:
        assert signature(load_articles([path])) == signature(together[path.name]), path.name


def test_a_site_s_template_is_removed_only_when_its_pages_are_together(tmp_path):
    paths = write_site(tmp_path / "site")
    (alone,) = load_articles([paths[0]])
    assert FOOTER in alone.paragraphs  # one page alone: nothing says the footer is template
    together = by_file(load_articles([tmp_path / "site"]))
    for path in paths:
        (article,) = together[path.name]
        assert FOOTER not in article.paragraphs
        reasons = {r.text: r.reason for r in article.removed}
        assert reasons[FOOTER] == reasons[MASTHEAD] == reasons[SLOGAN] == RemovalReason.CHROME


def test_unrelated_pages_beside_a_site_change_neither_it_nor_themselves(tmp_path, fixtures):
    """Before, template lines were counted over all pages: six unrelated pages hid this site's template."""
    folder = tmp_path / "mixed"
    write_site(folder)
    for page in (fixtures / "pages").glob("*.txt"):
        (folder / page.name).write_bytes(page.read_bytes())
    mixed = by_file(load_articles([folder]))
    site_only = by_file(load_articles([tmp_path / "mixed" / f"observer-{i}.txt" for i in range(len(STORIES))]))
    for name, articles in site_only.items():
        assert signature(mixed[name]) == signature(articles), name
    for page in (fixtures / "pages").glob("*.txt"):
        assert signature(mixed[page.name]) == signature(load_articles([folder / page.name])), page.name


def test_site_groups_follow_the_documented_rule(tmp_path, fixtures):
    write_site(tmp_path)
    for page in (fixtures / "pages").glob("*.txt"):
        (tmp_path / page.name).write_bytes(page.read_bytes())
    rules = sites.corpus_rules(corpus.find_files([tmp_path]))
    (group,) = rules.groups
    assert [p.name for p in group.files] == ["observer-0.txt", "observer-1.txt", "observer-2.txt"]
    assert {seg.normalise_line(line) for line in (MASTHEAD, SLOGAN, FOOTER)} <= group.template_lines
    assert rules.for_file(tmp_path / "harbour_gazette.txt") is rules.base


def evidence(*lines: tuple[str, int], paragraphs: tuple[tuple[str, int], ...] = ()) -> PageEvidence:
    """A page's evidence by hand: short lines as (text, position), paragraphs as (text, position)."""
    short = {sites.line_digest(seg.normalise_line(text)): (count_words(text), position) for text, position in lines}
    long = [(sites.line_digest(seg.normalise_line(t)), position) for t, position in paragraphs]
    return PageEvidence.of(((key, words, at) for key, (words, at) in short.items()), long)


def test_a_link_needs_eight_words_of_shared_lines():
    eight = evidence(("one two three four", 0), ("five six seven eight", 5), ("only here", 9))
    same_eight = evidence(("one two three four", 3), ("five six seven eight", 8), ("elsewhere", 1))
    seven = evidence(("one two three four", 3), ("five six seven", 8))
    assert eight.shared_words(same_eight) == 8 >= sites.SITE_MIN_SHARED_WORDS
    assert sites.site_groups([eight, same_eight]) == [[0, 1]]
    assert sites.site_groups([eight, seven]) == []  # "five six seven" is another line: 4 words shared


def test_lines_beside_a_shared_paragraph_are_an_article_not_a_site():
    story = ("A long paragraph of a story that two pages carry, syndicated or listed on both of them, word for word.",)
    a = evidence(("A headline of eight words for the story", 4), paragraphs=((story[0], 5),))
    b = evidence(("A headline of eight words for the story", 20), paragraphs=((story[0], 21),))
    assert a.shared_words(b) == 0 and sites.site_groups([a, b]) == []


def test_groups_are_connected_components_whatever_the_order():
    shared_ab = ("masthead of the first site here", 0), ("a footer sentence of eight words", 9)
    shared_bc = ("a second line of eight words shared with c", 4)
    pages = [
        evidence(*shared_ab),
        evidence(*shared_ab, shared_bc),
        evidence((shared_bc[0], 2), ("and more words on the third page", 7)),
        evidence(("an unrelated page of another site entirely", 0)),
    ]
    assert sites.site_groups(pages) == [[0, 1, 2]]  # a and c share nothing: linked through b
    assert pages[0].shared_words(pages[2]) == 0
    assert sites.site_groups(pages[::-1]) == [[1, 2, 3]]  # the same pages, positions reversed


# --------------------------------------------------------------------------- the audit


def test_the_audit_says_when_cross_page_repetition_was_used(tmp_path, fixtures):
    write_site(tmp_path / "site")
    audits = {a.path.name: a for a in audit.audit_inputs([tmp_path / "site", fixtures / "pages"])}
    observer = audits["observer-1.txt"]
    assert (observer.site_pages, observer.repeated_lines, observer.cross_page) == (3, 3, True)
    assert observer.removed["chrome"] == 3 and observer.lines == 7 and observer.articles == 1
    assert "used, with the 3 pages of its site (3 of its lines repeat" in "\n".join(audit.describe(observer))
    harbour = audits["harbour_gazette.txt"]
    assert (harbour.site_pages, harbour.cross_page, harbour.site_group) == (1, False, "")
    assert "not used (no other page of its site among the inputs)" in "\n".join(audit.describe(harbour))
    (alone,) = audit.audit_inputs([tmp_path / "site" / "observer-1.txt"])
    assert (alone.site_pages, alone.repeated_lines) == (1, 0)


def test_the_audit_counts_removed_lines_as_the_articles_record_them():
    (seed,) = audit.audit_inputs([SEEDS])
    articles = load_articles([SEEDS])
    assert seed.articles == len(articles) == 10 and seed.status == "read" and seed.encoding == "utf-8"
    assert seed.removed_total == sum(len(a.removed) for a in articles)
    assert list(seed.removed) == [str(r) for r in RemovalReason]  # every reason, in the enum's order
    assert seed.removed["byline"] == 10 and seed.low_confidence == ""


def test_the_audit_lists_skipped_and_unsupported_files_and_sums_up(tmp_path, fixtures):
    (tmp_path / "page.txt").write_bytes((fixtures / "pages" / "harbour_gazette.txt").read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "notes.xml").write_bytes(b"<x/>")
    audits = audit.audit_inputs([tmp_path])
    assert [(a.path.name, a.status) for a in audits] == [
        ("empty.txt", "skipped"),
        ("page.txt", "read"),
        ("notes.xml", "unsupported"),
    ]
    assert audits[0].message.endswith("empty.txt: the file is empty; remove it or re-run the scraper for this page")
    text = audit.describe_all(audits)
    assert "empty.txt  SKIPPED: " in text and "note: skipped 1 file of unsupported type: " in text
    n = audits[1].articles
    assert text.endswith(
        f"\n\n3 files: 1 read ({n} articles), 1 skipped, 1 of unsupported types; no low-confidence file; "
        "cross-page repetition not used (no two pages of one site).\n"
    )
    assert audit.readable(audits) == [tmp_path / "page.txt"]


def test_the_audit_shows_how_an_html_page_was_decoded_and_how_much_the_extractor_kept(tmp_path):
    menu = "".join(f"<li><a href='/s{i}'>Section number {i}</a></li>" for i in range(20))
    body = "".join(
        f"<p>Paragraph {j}: the council met on Tuesday to discuss the harbour works and the ferry timetable.</p>"
        for j in range(4)
    )
    page = (
        '<html><head><meta charset="windows-1252"><title>Caf\xe9</title><script>var hidden = "no words";</script>'
        f"</head><body><nav><ul>{menu}</ul></nav><article><h1>Caf\xe9 owners plead</h1>{body}</article></body></html>"
    )
    (tmp_path / "page.html").write_bytes(page.encode("cp1252"))
    (found,) = audit.audit_inputs([tmp_path])
    assert found.encoding == "cp1252 (declared by the page)" and found.kind == "html"
    assert found.page_words == 3 * 20 + 3 + 4 * 16  # menu, headline, paragraphs; the title and script are not shown
    assert 0 < found.words < found.page_words and found.removed_total == 0 and found.site_pages == 1


def test_visible_words_leave_out_what_a_browser_does_not_show():
    html = "<html><head><title>x y</title><style>p {}</style></head><body><p>one two</p><!-- a b --><script>c d</script> three</body></html>"
    assert audit.visible_words(html) == 3


# --------------------------------------------------------------------------- the low-confidence rule


def article(title: str, words: int, line: int, paragraphs: int = 1, removed: tuple[RemovedLine, ...] = ()) -> Article:
    body = " ".join(["word"] * words)
    return Article(
        id=f"a-{line:03d}",
        title=title,
        tags=(),
        byline=None,
        date=None,
        paragraphs=(body,) + ("More words here.",) * (paragraphs - 1),
        captions=(),
        source="a.txt",
        position=0,
        line=line,
        removed=removed,
    )


def outside(*numbers: int) -> tuple[RemovedLine, ...]:
    return tuple(RemovedLine("x", n, RemovalReason.NOT_AN_ARTICLE) for n in numbers)


def test_rule_1_most_lines_set_aside_as_not_an_article():
    page = [article("A headline of some length", 80, line=12, removed=outside(*range(20, 30)))]
    assert audit.page_doubt(page, n_lines=20).startswith(
        "50% of its lines were set aside as not an article (lines 20-29): look there"
    )
    assert audit.page_doubt(page, n_lines=21) == ""  # 10 of 21 lines: below half


def test_rule_2_many_articles_with_tiny_bodies():
    page = [article("First long headline", 12, line=3), article("Second", 200, 9), article("Third", 29, 15)]
    assert audit.page_doubt(page, n_lines=30) == (
        "2 of its 3 articles have fewer than 30 body words (the first at line 3): a list of teasers, or a page "
        "cut in the wrong places"
    )
    assert audit.page_doubt(page[:2], n_lines=30) == ""  # two articles are not "many"
    assert audit.page_doubt([page[0], page[1], article("Third", 30, 15)], n_lines=30) == ""


def test_rule_3_one_article_holding_a_long_page_under_a_tiny_title():
    page = [article("News", 400, line=2, paragraphs=50)]
    assert audit.page_doubt(page, n_lines=60).startswith(
        "one article holds 83% of the page's lines under a 1-word title ('News', line 2)"
    )
    assert audit.page_doubt([article("Council approves the bridge", 400, 2, paragraphs=50)], n_lines=60) == ""
    assert audit.page_doubt(page, n_lines=59) == ""  # not a long page


def test_rule_4_an_html_page_the_extractor_kept_little_of():
    assert audit.html_doubt(page_words=1000, kept_words=99).startswith(
        "the extractor kept 99 of the page's 1,000 words (10%): open the page"
    )
    assert audit.html_doubt(page_words=1000, kept_words=100) == ""
    assert audit.html_doubt(page_words=150, kept_words=5) == ""  # too small a page to judge


def test_the_known_layouts_are_not_flagged(fixtures):
    flagged = audit.low_confidence(audit.audit_inputs([SEEDS, fixtures / "pages"]))
    assert flagged == {}


def test_a_flag_reaches_the_file_audit_and_its_text(tmp_path):
    teasers = "\n\n".join(
        f"Teaser headline number {i} about the town\n\nBy Jane Doe | March 3, 2021\n\nA short teaser of the story, {i}."
        for i in range(4)
    )
    (tmp_path / "list.txt").write_text(teasers + "\n", encoding="utf-8")
    (found,) = audit.audit_inputs([tmp_path])
    assert found.articles == 4 and "have fewer than 30 body words" in found.low_confidence
    assert "  confidence: LOW: 4 of its 4 articles" in "\n".join(audit.describe(found))
    assert audit.summary([found]).startswith(f"1 file: 1 read (4 articles); 1 low-confidence: {found.source};")


def test_rule_5_a_title_that_was_a_close_call(tmp_path):
    menu = "\n\n".join(["Home", "World", "Business", "Science", "Culture", "Sport", "Opinion", "Weather"])
    lede = (
        "The river authority said on Monday that the new flood wall would be finished two years early, after "
        "engineers found a cheaper way to anchor it in the soft clay of the east bank."
    )
    body = "\n\n".join(
        [lede, *(f"{lede} Paragraph {n} adds that the work will take {n + 2} months." for n in range(4))]
    )
    footer = "\n\n".join(["About us", "Contact", "Careers", "Advertise", "Terms", "© 2024 River News Ltd"])
    clear = (
        f"{menu}\n\nFlood wall to be finished two years early\n\nBy Ana Ruiz | March 4, 2024\n\n{body}\n\n{footer}\n"
    )
    (tmp_path / "clear.txt").write_text(clear, encoding="utf-8")
    rivals = clear.replace(
        "By Ana Ruiz | March 4, 2024",
        "\n\n".join(
            [
                "Engineers anchor the new flood wall in soft clay",
                "The new flood wall will be finished two years early",
                "River authority says the flood wall costs less than planned",
                "Work on the east bank flood wall began in 2021",
                "Flood wall plan approved by the river board",
            ]
        ),
    )
    (tmp_path / "rivals.txt").write_text(rivals, encoding="utf-8")
    found = {a.path.name: a for a in audit.audit_inputs([tmp_path])}
    assert found["clear.txt"].low_confidence == ""
    flag = found["rivals.txt"].low_confidence
    assert flag.startswith("its title '") and "odds over '" in flag and flag.endswith("check which line is the title")
    assert flag.count("(line ") == 2  # the title and the runner-up


def test_rule_5_names_the_first_of_several_close_calls():
    sure = Article("p-000", "Sure title", (), None, None, ("Body.",), (), "p.txt", 0, 3)
    close = replace(sure, id="p-001", title="Close call", line=40, headline_odds=0.21, runner_up=("Rival line", 38))
    assert audit.headline_doubt([sure]) == ""
    assert audit.headline_doubt([sure, close]) == (
        "its title 'Close call' (line 40) was taken with 21% odds over 'Rival line' (line 38): "
        "check which line is the title"
    )
    assert audit.headline_doubt([close, replace(close, id="p-002")]).startswith(
        "2 titles were close calls; the first, 'Close call' (line 40), was taken with 21% odds"
    )


# --------------------------------------------------------------------------- the removal figure, by input type


@pytest.fixture()
def mixed_inputs(tmp_path):
    (tmp_path / "rec.jsonl").write_text('{"title": "One", "text": "Body of the first record."}\n', encoding="utf-8")
    body = "".join(f"<p>Paragraph {j} says the dredger worked through the channel for hours.</p>" for j in range(3))
    (tmp_path / "page.html").write_text(
        f"<html><body><nav><a href='/'>Home</a> <a href='/n'>News</a></nav><article><h1>Dredging</h1>{body}"
        "</article></body></html>",
        encoding="utf-8",
    )
    return {"seeds": [SEEDS], "html": [tmp_path / "page.html"], "records": [tmp_path / "rec.jsonl"]}


def views_and_figure(paths):
    from analysis.report import overview, plots

    views = overview.removal_views(load_articles(paths), audit.audit_inputs(paths))
    return views, plots.removal_chart(views.lines, views.extraction, views.note)


def titles(figure) -> list[str]:
    found = [figure._suptitle.get_text()] if figure._suptitle else []
    found += [sub._suptitle.get_text() for sub in figure.subfigs if sub._suptitle]
    found += [ax.get_title(loc="left") for ax in figure.axes if ax.get_title(loc="left")]
    return found


def test_html_input_gets_a_words_panel_and_no_promise_of_removed_lines(mixed_inputs):
    views, figure = views_and_figure(mixed_inputs["html"])
    assert views.lines.empty and list(views.extraction.columns) == ["kept as the article", "left out by the extractor"]
    (title,) = titles(figure)
    assert title.startswith("HTML pages: words of the visible text kept as the article") and title.endswith("(1 page)")
    assert "so HTML has no removed lines" in title.replace("\n", " ")
    (ax,) = figure.axes
    assert len(ax.patches) == 2 and sum(p.get_width() for p in ax.patches) == views.extraction.iloc[0].sum()


def test_text_pages_get_a_lines_panel_titled_with_what_it_draws(mixed_inputs):
    views, figure = views_and_figure(mixed_inputs["seeds"])
    assert views.extraction.empty and len(views.lines) == 10 and views.note == ""
    (title,) = titles(figure)
    assert title == "Scraped text pages: lines kept out of each article's body, by reason (10 articles)"
    drawn = sum(p.get_width() for p in figure.axes[0].patches)
    assert drawn == views.lines.to_numpy().sum() > 0


def test_records_alone_get_a_figure_that_says_nothing_was_removed(mixed_inputs):
    views, figure = views_and_figure(mixed_inputs["records"])
    assert views.lines.empty and views.extraction.empty
    assert (
        views.note == "1 article from 1 record file (JSON Lines, CSV) are read as given: nothing is removed from them."
    )
    assert titles(figure) == ["Nothing was removed: no scraped text page or HTML page among the inputs"]
    assert not figure.axes[0].patches


def test_mixed_inputs_get_one_panel_per_kind_and_the_note(mixed_inputs):
    paths = [p for kind in ("seeds", "html", "records") for p in mixed_inputs[kind]]
    views, figure = views_and_figure(paths)
    found = titles(figure)
    assert found[0] == "What reading removed, by input type" and len(found) == 3
    assert "record file" in figure._supxlabel.get_text()


# --------------------------------------------------------------------------- labels carried from the first pass


def test_labels_kept_by_the_grouping_pass_segment_pages_as_labelling_them_again(tmp_path, fixtures):
    """corpus_rules keeps each page's line labels; segmenting with them gives what labelling afresh gives."""
    folder = tmp_path / "mixed"
    write_site(folder)
    for page in [*(fixtures / "pages").glob("*.txt"), *(fixtures / "listings").glob("*.txt")]:
        (folder / page.name).write_bytes(page.read_bytes())
    rules = sites.corpus_rules(corpus.find_files([folder]))
    assert rules.groups and rules.groups[0].template_lines  # the site's template changes labels: tested too
    assert len(rules.base.known_labels) == len(list(folder.glob("*.txt")))
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        with_labels = rules.for_file(path)
        assert segment_rules.page_digest(text) in with_labels.known_labels
        afresh = replace(with_labels, known_labels={})
        assert seg.segment_page(text, with_labels) == seg.segment_page(text, afresh), path.name


def test_known_labels_are_ignored_when_they_do_not_fit_the_page(fixtures):
    text = (fixtures / "pages" / "harbour_gazette.txt").read_text(encoding="utf-8")
    wrong = segment_rules.encode_labels(["chrome"] * 3)  # a stale entry for other lines
    rules = replace(segment_rules.default_rules(), known_labels={segment_rules.page_digest(text): wrong})
    assert seg.segment_page(text, rules) == seg.segment_page(text, segment_rules.default_rules())
