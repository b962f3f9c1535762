"""Listing pages read as one record per item; article pages left to the article reader."""

from __future__ import annotations

import io
import json

import lxml.html
import pytest

from analysis.ingest import audit, corpus
from analysis.ingest import duplicates as dedup
from analysis.ingest.html import HtmlPage, read_html_document
from analysis.ingest.listing import Listing, _is_dialog, headline_links, read_listing

POSTS = [
    (
        "Council approves the new flood wall",
        "/2024/03/flood-wall/",
        "The wall will protect 400 homes on the east bank.",
    ),
    (
        "Library reopens after two years",
        "/2024/03/library/",
        "Readers queued from dawn to see the restored reading room.",
    ),
    ("School meals to be free for all pupils", "/2024/03/meals/", ""),
    ("Bus route 7 returns in April", "/2024/03/bus-7/", "The route was cut in 2021 when the depot closed for repairs."),
    (
        "Market square plans go on show",
        "/2024/03/market/",
        "Residents can see the designs at the town hall until Friday.",
    ),
]

MENU = "".join(f'<li><a href="/section/{n}">Section number {n}</a></li>' for n in range(8))
SIDEBAR = "".join(f'<li><a href="/2023/{n}/">An older popular story number {n}</a></li>' for n in range(6))


def blog_index(posts=POSTS, og_type="website", extra="") -> str:
    """A WordPress-like index: menu, posts with excerpts and "Read more", a sidebar, pagination."""
    articles = "".join(
        f'<article class="post type-post"><header class="entry-header"><h2 class="entry-title">'
        f'<a href="{href}">{title}</a></h2><div class="entry-meta"><time datetime="2024-03-0{i + 1}">March {i + 1}, 2024</time>'
        f' <span class="author vcard">By Ana Ruiz</span></div></header>'
        f'<div class="entry-summary">{f"<p>{teaser}</p>" if teaser else ""}</div>'
        f'<a class="more-link" href="{href}">Continue reading</a></article>'
        for i, (title, href, teaser) in enumerate(posts)
    )
    return (
        f'<html><head><title>River News – local news</title><meta property="og:type" content="{og_type}">'
        '<link rel="canonical" href="https://river.example/"></head><body class="home blog has-sidebar">'
        f'<header class="site-header"><nav class="main-navigation"><ul>{MENU}</ul></nav></header>'
        f'<main id="main">{articles}<nav class="pagination"><a href="/page/2/">Older posts from the archive</a></nav>{extra}</main>'
        f'<aside id="secondary" class="widget-area"><h2 class="widget-title">Most read</h2><ul>{SIDEBAR}</ul></aside>'
        '<footer class="site-footer"><p>© 2024 River News. All rights reserved.</p></footer></body></html>'
    )


def article_page() -> str:
    """An article page with a long body and a list of related stories under it."""
    body = "".join(
        f"<p>The council met on Monday and agreed the plan for paragraph {n}, after a long debate "
        "about the cost of the wall and the homes it protects on the east bank of the river.</p>"
        for n in range(8)
    )
    related = "".join(
        f'<li><h3><a href="/2024/02/{n}/">Related story about the town number {n}</a></h3></li>' for n in range(5)
    )
    return (
        '<html><head><title>Council approves the new flood wall</title><meta property="og:type" content="article">'
        "</head><body><main><article><h1>Council approves the new flood wall</h1>"
        f'{body}</article><section class="more-stories"><ul>{related}</ul></section></main></body></html>'
    )


def test_blog_index_gives_one_item_per_post_without_menus_sidebars_or_paging():
    listing = read_listing(lxml.html.document_fromstring(blog_index()))
    assert listing is not None
    assert [i.title for i in listing.items] == [p[0] for p in POSTS]
    first = listing.items[0]
    assert first.link == "https://river.example/2024/03/flood-wall/"  # made absolute with the canonical address
    assert first.summary == ("The wall will protect 400 homes on the east bank.",)
    assert first.date == "2024-03-01" and first.author == "Ana Ruiz" and first.teaser
    assert listing.items[2].summary == ()  # a headline alone is still an item


def test_headings_followed_by_their_paragraphs_are_items_with_summaries():
    blocks = "".join(
        f'<h2><a href="{href}">{title}</a></h2><p>{teaser or "A short note on the story for readers of the page."}</p>'
        for title, href, teaser in POSTS
    )
    doc = lxml.html.document_fromstring(f"<html><body><div id='content'>{blocks}</div></body></html>")
    listing = read_listing(doc, url="https://river.example/news/")
    assert [i.title for i in listing.items] == [p[0] for p in POSTS]
    assert listing.items[1].summary == (POSTS[1][2],)
    assert listing.items[1].link == "https://river.example/2024/03/library/"


def test_an_article_with_related_stories_is_not_a_listing():
    doc = lxml.html.document_fromstring(article_page())
    assert len(headline_links(doc)) == 5  # the related stories are headline links...
    assert read_listing(doc) is None  # ... but the page's prose lies outside them
    assert isinstance(read_html_document(article_page()), HtmlPage)


def test_an_article_in_drupals_dialog_named_page_wrapper_is_not_a_listing():
    # Drupal wraps every page in "dialog-off-canvas-main-canvas": the article is no dialog's text
    html = article_page().replace("<body><main>", '<body><div class="dialog-off-canvas-main-canvas"><main>')
    html = html.replace("</main></body>", "</main></div></body>")
    assert read_listing(lxml.html.document_fromstring(html)) is None
    # a pop-up's text is still no prose of the page's own
    popup = lxml.html.fragment_fromstring('<div class="newsletter-popup"><p>Sign up for our letter.</p></div>')
    assert _is_dialog(popup, "div")
    # ... even when it marks its own box role="main" (a newsroom's "Strongbox" pop-up)
    popup = lxml.html.fragment_fromstring(
        '<div id="modal-strongbox"><div role="main"><p>Send us files.</p></div></div>'
    )
    assert _is_dialog(popup, "div")


def test_an_article_inside_an_aside_left_open_is_not_a_listing():
    # a broken page opens an announcement <aside> and never closes it: <main> ends up inside it
    html = article_page().replace("<body><main>", '<body><aside class="announcement-banner"><p>News!</p><main>')
    html = html.replace("</main></body>", "</main></aside></body>")
    assert read_listing(lxml.html.document_fromstring(html)) is None


@pytest.mark.parametrize(
    "link",
    [
        "Subscribe to the newsletter",
        "Start a Free Trial",
        "Join our email list today!",
        "Learn more about a learning management system.",
        "Read more about Aerospace Engineering Rankings",
    ],
)
def test_calls_to_action_and_links_to_more_are_not_headlines(link):
    # an article page whose sections end with such links was read as a listing of them
    html = article_page().replace("</h1>", f'</h1><h3><a href="/offer">{link}</a></h3>')
    doc = lxml.html.document_fromstring(html)
    assert link not in [text for _, text, _ in headline_links(doc)]


def test_headlines_that_start_like_calls_to_action_stay_headlines():
    for link in (
        "Get ready for the winter storms",
        "Watch the eclipse from the town hall roof",
        "Watch: SpaceX launches Starship today",
        "Watch live: NASA briefing on Artemis now",
        "Book review: Demo",
        "Take the 2024 Election Quiz",
        "See more of the best wildlife photos of 2024",
    ):
        html = article_page().replace("</h1>", f'</h1><h3><a href="/2024/03/a-story/">{link}</a></h3>')
        doc = lxml.html.document_fromstring(html)
        assert link in [text for _, text, _ in headline_links(doc)]


def test_a_page_listing_its_own_title_among_its_links_is_an_article():
    # the article's own headline is a link to itself (a permalink) among related stories' links,
    # and its body sits in a block the listing reader takes for the item's: the page's title says article
    title = "Council approves the new flood wall plan"
    related = "".join(f'<h3><a href="/2024/02/{n}/">Related story about the town number {n}</a></h3>' for n in range(4))
    body = "".join(
        f"<p>The council met on Monday and agreed part {n} of the plan after a long debate.</p>" for n in range(6)
    )
    html = (
        f"<html><head><title>{title} | River News</title></head><body><main>"
        f'<div class="post"><h2><a href="/2024/03/flood-wall/">{title}</a></h2>{body}</div>{related}</main></body></html>'
    )
    assert read_listing(lxml.html.document_fromstring(html)) is not None  # the listing reader alone is fooled
    page = read_html_document(html)
    assert isinstance(page, HtmlPage) and page.title == title
    # a listing page titled after its site or section stays a listing
    listing = html.replace(f"<title>{title} | River News</title>", "<title>Latest news | River News</title>")
    assert isinstance(read_html_document(listing), Listing)
    # an archive page that copies its first story's title into og:title, its <title> naming the site
    archive = listing.replace("</head>", f'<meta property="og:title" content="{title}"></head>')
    assert isinstance(read_html_document(archive), Listing)


def test_two_items_are_too_few_for_a_listing():
    assert read_listing(lxml.html.document_fromstring(blog_index(POSTS[:2]))) is None


def test_full_posts_are_not_teasers():
    long = " ".join(["The council met on Monday and agreed the plan after a long debate."] * 15)
    posts = [(title, href, long) for title, href, _ in POSTS]
    listing = read_listing(lxml.html.document_fromstring(blog_index(posts).replace("Continue reading", "")))
    assert listing is not None and not any(i.teaser for i in listing.items)


def test_a_listing_file_gives_one_article_per_item_with_its_link(tmp_path):
    path = tmp_path / "front.html"
    path.write_text(blog_index(), encoding="utf-8")
    articles = corpus.load_articles([path])
    assert [a.id for a in articles] == [f"front-{n:03d}" for n in range(5)]
    assert [a.title for a in articles] == [p[0] for p in POSTS]
    assert articles[0].url == "https://river.example/2024/03/flood-wall/" and articles[0].teaser
    assert articles[0].to_record()["teaser"] is True
    assert articles[2].paragraphs == (POSTS[2][0],)  # a headline alone is the item's text
    found = audit.audit_inputs([path])[0]
    assert (found.articles, found.teasers, found.listing_pages) == (5, 5, 1)
    assert "5 of them teasers" in audit.describe(found)[1]
    assert not found.low_confidence


def test_listing_pages_in_an_archive_give_their_items(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from analysis.ingest import warc

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, html in (("https://river.example/", blog_index()), ("https://river.example/a", article_page())):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=headers)
            writer.write_record(record)
    read = warc.read_archive(path)
    assert [a.id for a in read.articles][:2] == ["crawl-000-000", "crawl-000-001"]
    assert len(read.articles) == 6 and read.articles[-1].id == "crawl-001" and not read.articles[-1].teaser
    assert (read.stats.pages, read.stats.listings) == (2, 1)
    assert "1 of them listing pages" in read.stats.describe()
    found = audit.archive_audit(path)
    assert (found.articles, found.teasers, found.listing_pages) == (6, 5, 1)
    assert "2 of its 2 records read as pages" in audit.describe(found)[1]


@pytest.mark.parametrize("og_type", ["website", "article"])
def test_metadata_saying_article_needs_more_evidence(og_type):
    # a listing page whose metadata says "article" is still a listing when its prose is in the items
    assert isinstance(read_html_document(blog_index(og_type=og_type)), Listing)
    prose = "<p>" + " ".join(["Our newsroom has covered the town since 1888 and we thank our readers."] * 8) + "</p>"
    result = read_html_document(blog_index(og_type=og_type, extra=prose))
    assert isinstance(result, Listing) == (og_type == "website")


def test_json_ld_collection_page_is_not_read_as_an_article_claim():
    ld = json.dumps({"@context": "https://schema.org", "@type": "CollectionPage", "name": "News"})
    html = blog_index(og_type="website").replace("</head>", f'<script type="application/ld+json">{ld}</script></head>')
    assert isinstance(read_html_document(html), Listing)


def test_a_teaser_of_an_article_in_the_corpus_is_counted_once(listing_crawl):
    everything = corpus.load_articles([listing_crawl])
    assert len(everything) == 4 + 2 + 3
    duplicates: list[dedup.Duplicate] = []
    kept = corpus.load_articles([listing_crawl], duplicates=duplicates)
    # the front page's teasers of /a and /c give way to the whole pages (one captured after the
    # front page); section.html repeats the teasers of /b and /c
    assert [(a.title, a.teaser) for a in kept] == [
        ("Library reopens its doors", True),
        ("Bus route seven returns", True),
        ("Flood wall approved by council", False),
        ("School meals free for all pupils", False),
        ("Market square plans on show", True),
    ]
    assert len(duplicates) == 4 and all(d.skipped.teaser for d in duplicates)
    assert dedup.duplicate_key(kept[0]) == dedup.LINK_KEY + "river.example/b"


def test_the_duplicates_note_counts_teasers(listing_crawl):
    duplicates: list[dedup.Duplicate] = []
    corpus.load_articles([listing_crawl], duplicates=duplicates)
    note = dedup.duplicates_note(duplicates)
    assert "4 duplicate articles counted once (teasers of an article or link seen before)" in note
    assert "crawl.warc.gz crawl-000-000 = " in note  # items of an archive named by id


def _titles(html: str, url: str = "https://river.example/") -> list[str]:
    """The item titles of a page read as a listing (none when it is not one)."""
    listing = read_listing(lxml.html.document_fromstring(html), url=url)
    return [i.title for i in listing.items] if listing else []


def test_a_link_to_a_file_is_a_download_not_an_item():
    extra = '<div class="files"><p><a href="/files/report.pdf">Annual flood report 2024_FINAL.pdf</a></p></div>'
    assert _titles(blog_index(extra=extra)) == [p[0] for p in POSTS]


def test_the_sites_own_home_page_is_not_an_item_but_another_sites_is():
    logo = '<div class="logo-col"><h1 class="logo"><a href="/">River News for the east bank</a></h1></div>'
    section = blog_index(extra=logo).replace('href="https://river.example/"', 'href="https://river.example/news/"')
    assert _titles(section, url="https://river.example/news/") == [p[0] for p in POSTS]
    other = '<div class="links"><h3><a href="https://juliabox.example/">Juliabox for the river</a></h3></div>'
    assert _titles(blog_index(extra=other))[-1] == "Juliabox for the river"


def test_links_joined_by_commas_are_tags_not_items():
    tags = (
        '<div class="field-issues"><a href="/issues/civil-rights">Civil Rights and Social Issues</a>, '
        '<a href="/issues/economy">Economic Issues and Fiscal Responsibility</a></div>'
    )
    assert _titles(blog_index(extra=tags)) == [p[0] for p in POSTS]


def test_a_link_after_a_fields_label_is_a_topic_not_an_item():
    field = (
        '<div class="field"><span class="field-label">Issues: </span>'
        '<div class="field-content"><a href="/issues/veterans">Active Military and Veterans Issues</a></div></div>'
    )
    assert _titles(blog_index(extra=field)) == [p[0] for p in POSTS]
    kicker = '<h1 id="top"><em>Top Post:</em> <a href="/2024/04/fine/">Lender to pay a record fine for its customers</a></h1>'
    assert _titles(blog_index(extra=kicker))[-1] == "Lender to pay a record fine for its customers"


def test_a_more_on_the_network_box_is_furniture():
    box = "".join(
        f'<li><p><a href="https://network.example/blogs/{n}">A story from another blog number {n}</a></p></li>'
        for n in range(4)
    )
    page = blog_index().replace("</main>", f'</main><div id="moreOnNetwork"><ul>{box}</ul></div>')
    assert _titles(page) == [p[0] for p in POSTS]


def test_a_sponsored_or_nofollow_headline_is_an_advert_not_an_item():
    ad = '<div class="c-entry-box"><h2><a rel="nofollow" href="https://ads.example/careers">We are building great things, join us</a></h2></div>'
    assert _titles(blog_index(extra=ad)) == [p[0] for p in POSTS]


def test_a_box_outside_main_is_not_part_of_the_list_main_holds():
    box = '<div id="feature"><article class="entry"><h1><a href="/2024/04/breaking/">A breaking story shown on every page</a></h1></article></div>'
    page = blog_index().replace('<main id="main">', f'{box}<main id="main">')
    assert _titles(page) == [p[0] for p in POSTS]


def test_a_sliders_tab_strip_and_its_slides_are_read_once():
    lead = POSTS[:2]
    tabs = "".join(f'<li><h4><a href="{href}">{title}</a></h4></li>' for title, href, _ in lead)
    slides = "".join(
        f'<div class="blurb"><h2><a href="{href}#r=lead">{title}</a></h2><p>{teaser}</p></div>'
        for title, href, teaser in lead
    )
    slider = f'<div class="lead-module"><ul class="controls">{tabs}</ul><div class="slides">{slides}</div></div>'
    page = blog_index(POSTS[2:]).replace('<main id="main">', f'<main id="main">{slider}')
    listing = read_listing(lxml.html.document_fromstring(page), url="https://river.example/")
    assert [i.title for i in listing.items] == [p[0] for p in POSTS]
    assert listing.items[0].summary == (POSTS[0][2],)  # the slide, with its summary, is kept
    # a featured list followed by the latest posts, the same stories first, is two lists
    featured = f'<div class="featured">{tabs}</div>'
    page = blog_index().replace('<main id="main">', f'<main id="main">{featured}')
    assert len(_titles(page)) == len(POSTS) + 2


def test_a_heading_with_a_kicker_takes_the_paragraphs_after_it_as_summary():
    blocks = "".join(
        f'<h2 class="pagetitle"><a href="/category/news/">News</a><br><a href="{href}">{title}</a></h2>'
        f'<div class="post"><div class="entry">{teaser or "A short note on the story for readers of the page."}</div></div>'
        for title, href, teaser in POSTS
    )
    doc = lxml.html.document_fromstring(f"<html><body><div id='content'>{blocks}</div></body></html>")
    listing = read_listing(doc, url="https://river.example/")
    assert listing is not None and [i.title for i in listing.items] == [p[0] for p in POSTS]
    assert listing.items[1].summary == (POSTS[1][2],)
