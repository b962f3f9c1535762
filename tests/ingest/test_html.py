"""Saved HTML pages: metadata from the page's structured data first, the visible headline, clean authors and tags."""

from __future__ import annotations

import json

import lxml.html
import pytest

from analysis.ingest.html import (
    choose_authors,
    clean_authors,
    clean_tags,
    is_widget_text,
    json_ld_articles,
    read_html,
    text_reader_body,
    visible_headline,
    visible_tags,
    without_trailer,
)

BODY = "".join(
    f"<p>{sentence} The council will publish the plans for the river bank in the spring, after a public meeting.</p>"
    for sentence in (
        "The flood wall will be finished two years early.",
        "Work began in 2021.",
        "Residents welcomed it.",
    )
)


def page(head: str = "", before: str = "", after: str = "") -> str:
    return f"<html><head>{head}</head><body><header><h1>River News</h1></header><article>{before}{BODY}{after}</article></body></html>"


LD = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "name": "River News"},
        {
            "@type": "NewsArticle",
            "headline": "Flood wall to be finished two years early",
            "author": [{"@type": "Person", "name": "Ana Ruiz"}, {"@type": "Organization", "name": "River News"}],
            "datePublished": "2024-03-04T09:00:00Z",
            "keywords": "Floods, Council; floods",
        },
    ],
}


def test_structured_data_gives_headline_authors_date_and_tags():
    html = page(
        head=f'<title>Flood wall finished early | River News</title><script type="application/ld+json">{json.dumps(LD)}</script>'
        '<meta property="og:site_name" content="River News">',
        before="<h1>Flood wall to be finished two years early</h1><p>- Share on Facebook</p>",
    )
    result = read_html(html)
    assert result.title == "Flood wall to be finished two years early"  # the article's <h1>, not the masthead's
    assert result.authors == ("Ana Ruiz",)  # the organisation named as author is left out
    assert result.date == "2024-03-04T09:00:00Z"
    assert result.tags == ("Floods", "Council")
    assert not any("Share on Facebook" in p for p in result.paragraphs)


def test_json_ld_blocks_that_are_not_json_are_skipped():
    doc = lxml.html.document_fromstring(
        page(
            head=f'<script type="application/ld+json">{{not json</script><script type="application/ld+json">{json.dumps(LD)}</script>'
        )
    )
    assert [a["headline"] for a in json_ld_articles(doc)] == ["Flood wall to be finished two years early"]


def test_masthead_h1_is_not_the_headline():
    doc = lxml.html.document_fromstring(page())
    assert visible_headline(doc, ["Flood wall to be finished two years early"]) is None
    doc = lxml.html.document_fromstring(page(before="<h1>Flood wall to be finished two years early</h1>"))
    assert visible_headline(doc, ["Flood wall finished early: council"]) == "Flood wall to be finished two years early"


def _title(head: str, body: str) -> str:
    return read_html(f"<html><head>{head}</head><body>{body}<article>{BODY}</article></body></html>").title


def test_a_masthead_h1_naming_the_site_in_the_title_loses_to_the_headline():
    # both <h1> are all in the social title; the headline covers it better, and the masthead is its site's part
    head = (
        "<title>Certificate vs Certification | Stanford Online</title>"
        '<meta property="og:title" content="Certificate vs Certification | Stanford Online">'
    )
    body = "<h1>Stanford Online</h1><h1>Certificate vs Certification</h1>"
    assert _title(head, body) == "Certificate vs Certification"


def test_an_h1_worded_apart_from_the_metadata_title_is_the_headline_when_it_shares_enough():
    # an SEO title and the headline a reader sees share two of their five words
    head = '<meta property="og:title" content="Health And Nutrition Trends For 2026">'
    assert (
        _title(head, "<h1>Top 10 Health and Nutrition Trends to Watch</h1>")
        == "Top 10 Health and Nutrition Trends to Watch"
    )
    assert _title(head, "<h1>River News Daily Edition</h1>") == "Health And Nutrition Trends For 2026"


def test_the_site_name_named_like_the_host_leaves_the_social_title():
    head = (
        '<link rel="canonical" href="https://www.tastewise.io/blog/trends">'
        '<meta property="og:title" content="Health And Nutrition Trends For 2026 - Tastewise">'
    )
    assert _title(head, "") == "Health And Nutrition Trends For 2026"
    # a dash inside a headline stays when no part names the host
    head = '<link rel="canonical" href="https://river.example/a"><meta property="og:title" content="Bitcoin - the future?">'
    assert _title(head, "") == "Bitcoin - the future?"


def test_a_site_name_that_is_the_headline_does_not_hide_the_headline():
    head = (
        '<meta property="og:site_name" content="A Notion Alternative for Teams">'
        '<meta property="og:title" content="A Notion Alternative for Teams | Pivot">'
        '<meta name="twitter:title" content="A Notion Alternative for Teams">'
    )
    assert _title(head, "<h1>A Notion Alternative for Teams</h1>") == "A Notion Alternative for Teams"


def test_an_h1_broken_by_a_line_break_keeps_its_words_apart():
    head = '<meta property="og:title" content="A Weekend Coding Agent, Built in Two Days">'
    assert _title(head, "<h1>Weekend<br>Coding Agent</h1>") == "Weekend Coding Agent"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["Jeffrey Gettleman; JEFFREY GETTLEMAN"], ("Jeffrey Gettleman",)),
        (["By Ana Ruiz and Jo Lee"], ("Ana Ruiz", "Jo Lee")),
        (["Username"], ()),
        (["https://example.org/people/ana", "ana@example.org"], ()),
    ],
)
def test_clean_authors(raw, expected):
    assert clean_authors(raw) == expected


def test_choose_authors_leaves_out_sites_and_accounts_and_completes_a_short_list():
    assert choose_authors([("AppleInsider",), ("Mike Wuerthele",), ()], {"appleinsider"}) == ("Mike Wuerthele",)
    assert choose_authors([("kevin-r",), (), ("David Jeans",)], set()) == ("David Jeans",)
    assert choose_authors([("Ana Ruiz",), (), ("Ana Ruiz", "Jo Lee")], set()) == ("Ana Ruiz", "Jo Lee")


def test_clean_tags_split_and_deduplicate():
    assert clean_tags(["Tags: Iran, Europe; Human rights", ["Europe", "#Iran"]]) == ("Iran", "Europe", "Human rights")


def test_visible_tags_prefer_rel_tag_and_refuse_menus():
    doc = lxml.html.document_fromstring(
        page(after='<div class="post-tags"><a href="/t/a">Floods</a><a href="/t/b">Council</a></div>')
    )
    assert visible_tags(doc) == ["Floods", "Council"]
    menu = "".join(f'<a href="/s/{n}">Section {n}</a>' for n in range(20))
    assert visible_tags(lxml.html.document_fromstring(page(after=f'<nav class="tags">{menu}</nav>'))) == []


def test_widget_lines_and_small_print_but_not_prose():
    assert is_widget_text("- Share on Facebook") and is_widget_text("This feature is temporarily unavailable.")
    assert is_widget_text("By registering you agree to our Terms of Use and Privacy Policy.")
    assert not is_widget_text("The council met on Monday to share the plan with residents of the town.")


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Before you continue", "We use cookies and data to deliver our services. Accept all or reject all.", "cookie"),
        ("Subscribe", "Please sign in or create a free account to continue reading this article.", "login"),
        ("Page not found", "Sorry, the page you were looking for could not be found (404).", "error"),
        ("Tag: Floods", "Flood wall to be finished two years early, the council said on Monday.", "index"),
        ("Flood wall finished early", "The council said the wall will be finished early. " * 12, None),
    ],
)
def test_pages_that_are_not_articles_say_why(title, text, expected):
    from analysis.ingest.html import HtmlPage, not_an_article

    reason = not_an_article(HtmlPage(title=title, authors=(), date=None, tags=(), paragraphs=(text,)))
    assert (reason is None) if expected is None else (expected in reason)


def test_the_users_chrome_rules_apply_to_html_bodies(tmp_path):
    from analysis.ingest import load_articles

    page_file = tmp_path / "page.html"
    page_file.write_text(page(before="<h1>River News</h1><p>Brought to you by the Valley Bakery</p>"), encoding="utf-8")
    assert any("Valley Bakery" in p for a in load_articles([page_file]) for p in a.paragraphs)
    trimmed = load_articles([page_file], extra_rules=["brought to you by .*"])
    assert not any("Valley Bakery" in p for a in trimmed for p in a.paragraphs)


def test_hover_cards_are_cut_out_and_the_trailer_about_the_company_is_dropped():
    card = (
        '<span class="card">Ilhan Omar<span>Ilhan Omar</span>Harbour Valley: Ferry returns | Pier reopens MORE</span>'
    )
    sentence = f"<p>The man threatened to kill Rep. {card} (D-Minn.), prosecutors said on Monday in a statement.</p>"
    about = "<h2>About River Media</h2><p>River Media is a global solutions provider focused on local news.</p>"
    extracted = read_html(page(after=sentence + about))
    assert extracted is not None
    assert "The man threatened to kill Rep. Ilhan Omar (D-Minn.), prosecutors said on Monday in a statement." in (
        extracted.paragraphs
    )
    assert not any("River Media" in p for p in extracted.paragraphs)
    assert without_trailer(["A paragraph of the story.", "Sources"]) == ["A paragraph of the story."]
    assert without_trailer([]) == []


def _long_article_page() -> tuple[str, list[str]]:
    paragraphs = [
        "The council agreed on Monday to build the flood wall along the east bank of the river, after a debate of four hours.",
        "Engineers said the wall would stand two metres high and protect about four hundred homes from the spring floods.",
        "Residents of the streets near the old mill welcomed the plan, though some asked who would pay for the upkeep.",
        "The work will start in May and close the towpath for a year; cyclists will be sent along the market road instead.",
        "A local fishing club asked for steps down to the water, and the engineers promised to add three of them.",
        "The cost, put at twelve million pounds, will be shared between the council and the national flood agency.",
        "Shops on the quay said the last flood, in the winter of 2020, kept them closed for most of a month.",
        "The plans can be seen at the town hall until Friday, and a public meeting will be held there next week.",
    ]
    more = (
        "Councillor Ruth Evans said the vote ended a decade of argument over the riverside.",
        "The opposition group abstained, saying the budget for maintenance was still unclear.",
        "An engineer from the agency described how the gates will close within ten minutes.",
        "Insurers have promised lower premiums once the wall is certified by inspectors.",
    )
    paragraphs = [f"{first} {second}" for second in more for first in paragraphs]  # 32 paragraphs, 600 words
    menu = "".join(f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(8))
    html = (
        "<html><head><title>Flood wall plan agreed | River News</title></head><body>"
        f"<nav><ul>{menu}</ul></nav><div class='story'><h1>Flood wall plan agreed</h1>"
        + "".join(f"<div class='para'>{p}</div>" for p in paragraphs)
        + "</div><footer><p>© 2024 River News. All rights reserved.</p></footer></body></html>"
    )
    return html, paragraphs


def test_the_text_reader_reads_a_long_article_trafilatura_cut_short():
    html, paragraphs = _long_article_page()
    root = lxml.html.document_fromstring(html)
    assert text_reader_body(root, paragraphs[:1]) == tuple(paragraphs)  # one paragraph kept of eight
    assert text_reader_body(root, []) == tuple(paragraphs)  # nothing kept
    assert text_reader_body(root, paragraphs) is None  # all kept: trafilatura's text stands
    # trafilatura kept something the article does not hold (a comment): its text stands
    assert text_reader_body(root, ["Cricket scores from the northern league were read out before the weather."]) is None


def test_a_page_trafilatura_finds_no_text_in_is_read_by_the_text_reader(monkeypatch):
    import trafilatura

    html, paragraphs = _long_article_page()
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    page = read_html(html)
    assert page is not None and page.title == "Flood wall plan agreed"
    assert page.paragraphs == tuple(paragraphs)


def test_a_masthead_or_section_h1_sharing_a_word_with_the_title_is_not_the_headline():
    head = (
        '<link rel="canonical" href="https://www.bostonglobe.com/metro/budget">'
        '<meta property="og:title" content="Boston council approves transit budget">'
    )
    assert _title(head, "<h1><a href='/'>The Boston Globe</a></h1>") == "Boston council approves transit budget"
    head = '<meta property="og:title" content="Climate talks collapse in Bonn">'
    assert _title(head, "<h1>Climate news</h1>") == "Climate talks collapse in Bonn"


def test_a_site_name_longer_than_the_headline_is_still_the_sites():
    head = (
        "<title>Man dies in crash - Manchester Evening News</title>"
        '<meta property="og:site_name" content="Manchester Evening News">'
    )
    assert _title(head, "<h2>Man dies in crash</h2>") == "Man dies in crash"
    assert _title(head, "<h1>Manchester Evening News</h1><h2>Man dies in crash</h2>") == "Man dies in crash"


def test_the_author_of_a_personal_site_named_after_them_stays_the_author():
    head = (
        "<title>Why I switched to Linux | Jane Doe</title>"
        '<link rel="canonical" href="https://janedoe.com/linux"><meta name="author" content="Jane Doe">'
    )
    page = read_html(f"<html><head>{head}</head><body><article>{BODY}</article></body></html>")
    assert page.title == "Why I switched to Linux" and page.authors == ("Jane Doe",)


def test_an_h1_keeps_its_inline_links_and_code_joined_as_written():
    head = '<meta property="og:title" content="Trump, Biden clash over the budget">'
    assert (
        _title(head, "<h1><a href='/t'>Trump</a>, Biden clash over the budget</h1>")
        == "Trump, Biden clash over the budget"
    )


def test_a_social_title_loses_only_the_part_naming_the_site():
    head = (
        '<link rel="canonical" href="https://filmweekly.example/dune">'
        '<meta property="og:title" content="Review: Dune | Part Two | Film Weekly">'
    )
    assert _title(head, "") == "Review: Dune | Part Two"


def test_a_site_name_that_repeats_the_headline_beside_the_real_site_name_is_the_headline():
    # og:site_name set to the headline, og:title "headline - site": the part the story speaks of is the headline
    body = "".join(
        f"<p>The council approved the road budget on Monday, after a debate about part {n} of the plan.</p>"
        for n in range(6)
    )
    head = (
        '<meta property="og:site_name" content="Council approves road budget">'
        '<meta property="og:title" content="Council approves road budget - Springfield Herald">'
    )
    html = (
        f"<html><head>{head}</head><body><h1>Council approves road budget</h1><article>{body}</article></body></html>"
    )
    assert read_html(html).title == "Council approves road budget"
