"""Pages saved whole (menus, sidebars, comments, footer), element dumps, and the line recognisers they need."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from analysis.ingest import RemovalReason, headline, load_articles, pagebreaks, segment_page, trailer
from analysis.ingest import articlepiece as ap
from analysis.ingest import rules as segment_rules
from analysis.ingest import segment as seg
from analysis.ingest import wholepage as wp
from analysis.ingest.prose import PROSE_WORDS, content_bag
from analysis.ingest.recognise import (
    is_comment_credit,
    is_comment_header,
    looks_like_boilerplate,
    looks_like_code,
    looks_like_credit,
    looks_like_link_run,
    mentions_date,
    parse_byline,
    parse_dateline,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"

MENU = ["Home", "World", "Business", "Science", "Culture", "Sport", "Opinion", "Weather"]
LEDE = (
    "The river authority said on Monday that the new flood wall would be finished two years "
    "early, after engineers found a cheaper way to anchor it in the soft clay of the east bank."
)
BODY = [
    LEDE,
    "Work on the wall began in 2021 and has cost less than planned, the authority said in a statement "
    "that thanked residents for their patience with the road closures along the bank.",
    "Residents who lost homes in the floods of 2019 welcomed the news but asked for a public meeting "
    "on how the wall will change the view of the river from the old town.",
    "The authority will publish the final plans in the spring and take questions from residents "
    "at the town hall, where the designs are already on show every weekday.",
]
FOOTER = ["About us", "Contact", "Careers", "Advertise", "Terms", "© 2024 River News Ltd"]


def whole_page(title: str, body: list[str] = BODY, byline: str = "By Ana Ruiz | March 4, 2024") -> str:
    """A page as a browser shows it: menu, headline, byline, body, a related box, comments, footer."""
    related = ["Related", "Bridge closed for repairs until May", "New ferry timetable starts on Friday"]
    related += ["Council backs plan for riverside park", "Fishing ban lifted on the upper river"]
    comments = ["2 Comments", "Tom Baker on March 4, 2024 at 9:15 am said:"]
    comments += ["I have lived by the river for forty years and I will believe it when I see it finished."]
    comments += ["Jo Lee on March 4, 2024 at 10:02 am said:", "Good news at last for the people of the east bank."]
    lines = [*MENU, title, byline, *body, *related, *comments, *FOOTER]
    return "\n\n".join(lines) + "\n"


def test_page_saved_whole_gives_one_article_with_its_headline_and_byline():
    articles, removed = segment_page(whole_page("Flood wall to be finished two years early"))
    assert [a.title for a in articles] == ["Flood wall to be finished two years early"]
    article = articles[0]
    assert article.byline == "Ana Ruiz" and article.date == "March 4, 2024"
    assert list(article.paragraphs) == BODY
    reasons = {r.text: r.reason for r in removed}
    assert reasons["Business"] is RemovalReason.NAVIGATION
    assert reasons["Good news at last for the people of the east bank."] is RemovalReason.COMMENT
    assert reasons["Tom Baker on March 4, 2024 at 9:15 am said:"] is RemovalReason.COMMENT


def test_two_pages_run_together_give_two_articles():
    second_body = [p.replace("river authority", "harbour board").replace("wall", "pier") for p in BODY]
    text = whole_page("Flood wall to be finished two years early") + whole_page(
        "Harbour pier reopens after repairs", second_body, "By Sam Okafor | March 5, 2024"
    )
    articles, _ = segment_page(text)
    assert [a.title for a in articles] == [
        "Flood wall to be finished two years early",
        "Harbour pier reopens after repairs",
    ]
    assert [a.byline for a in articles] == ["Ana Ruiz", "Sam Okafor"]


def test_menu_line_above_the_headline_is_not_the_title():
    text = whole_page("Flood wall to be finished two years early").replace("Weather", "WEATHER")
    assert [a.title for a in segment_page(text)[0]] == ["Flood wall to be finished two years early"]


def test_section_label_and_caption_between_headline_and_body_are_not_the_title():
    page = whole_page("Flood wall to be finished two years early", ["Photo: Ana Ruiz", "Environment", *BODY])
    articles, _ = segment_page(page)
    assert [a.title for a in articles] == ["Flood wall to be finished two years early"]
    assert articles[0].paragraphs[0] == LEDE


def test_teaser_list_is_removed_but_a_list_article_alone_is_kept():
    teasers = []
    for n in range(4):
        teasers += [
            f"Teaser headline number {n} about the river",
            f"A short summary of story {n} that says what happened on the river this week.",
        ]
    page = whole_page(
        "Flood wall to be finished two years early",
        [*BODY, *["Read these next", "Opinion", "Science", "Sport", "World"], *teasers],
    )
    articles, removed = segment_page(page)
    assert len(articles) == 1 and "Teaser headline number 0 about the river" not in articles[0].paragraphs
    assert any(r.reason is RemovalReason.RELATED_LINK for r in removed)
    only_list = "\n\n".join([*MENU, "Best river walks of the year", "By Ana Ruiz | March 4, 2024", *teasers, *FOOTER])
    assert [a.title for a in segment_page(only_list)[0]] == ["Best river walks of the year"]


def test_trailer_after_the_body_is_not_the_article():
    about = [
        "About River Authority",
        "River Authority is a public agency that manages the flood defences of the valley.",
    ]
    articles, _ = segment_page(whole_page("Flood wall to be finished two years early", [*BODY, *about]))
    assert list(articles[0].paragraphs) == BODY


def test_listing_layout_of_another_local_news_site():
    articles = load_articles([FIXTURES / "listings" / "metro_daily.txt"])
    assert [a.title for a in articles] == [
        "Storm brings heavy rain and flooding to river towns",
        "Budget, schools, roads top council agenda",
        "Eastport wins regional title in extra innings",
    ]
    assert [a.byline for a in articles] == ["Dana Whitfield", "Lena Ortiz", "Staff writer"]
    assert articles[0].captions == (
        "Sandbags line the river walk in Eastport on Tuesday morning. (Photo: Carl Benton / Metro Daily News)",
    )
    assert all("Metro Daily News" not in p for a in articles for p in a.paragraphs)


# element dumps: a line break after every element


def test_element_dump_is_recognised_and_rejoined():
    text = "\n".join(
        [
            "Flood wall to be finished early",
            "W",
            "ork on the wall began in 2021, according to",
            "the authority",
            ", and it has cost less than planned.",
            "Residents read the",
            "statement",
            "on the",
            "council website",
            "and welcomed it.",
            "The authority will publish the final plans in the spring and take questions from residents.",
        ]
    )
    lines = seg.split_lines(text)
    assert seg.is_element_dump(lines)
    joined = [line.text for line in seg.rejoin_fragments(lines)]
    assert joined == [
        "Flood wall to be finished early",
        "Work on the wall began in 2021, according to the authority, and it has cost less than planned.",
        "Residents read the statement on the council website and welcomed it.",
        "The authority will publish the final plans in the spring and take questions from residents.",
    ]


def test_paragraph_dump_is_not_an_element_dump():
    assert not seg.is_element_dump(seg.split_lines(whole_page("Flood wall to be finished two years early")))


def test_navigation_run_keeps_a_headline_with_a_credit_under_it():
    lines = seg.split_lines("\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", LEDE]))
    kinds = seg.classify_page(lines, segment_rules.default_rules())
    assert kinds[: len(MENU)].count("navigation") >= 5
    assert kinds[len(MENU)] == "text"


# line recognisers


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Catherine Shu @catherineshu / 2 days", ("Catherine Shu", "2 days")),
        ("Chris Davies - Nov 19, 2019, 10:31 pm CST", ("Chris Davies", "Nov 19, 2019, 10:31 pm CST")),
        ("February 1, 2019 | BY: Ilana Muhlstein, MS, RDN", ("Ilana Muhlstein", "February 1, 2019")),
        ("By Kashmira Gander On 11/13/19 at 4:00 PM EST", ("Kashmira Gander", "11/13/19 at 4:00 PM EST")),
        ("By Megan Rowe meganr@spokesman.com(509) 459-5382", ("Megan Rowe", None)),
        ("Tom Krisher, Ap Auto Writer", ("Tom Krisher", None)),
        ("Staff writer | June 2, 2024", ("Staff writer", "June 2, 2024")),
        ("November 20, 2019 Emiliano Bellini", ("Emiliano Bellini", "November 20, 2019")),
        ("By Any Means Necessary", None),
        ("By Erica Nardozzi For Dailymail.Com", ("Erica Nardozzi", None)),
        ("Reporting by Jo Lee for Reuters", ("Jo Lee", None)),
        ("Written by Tom for Fans", None),
        ("March 3, 2020 Election results are in", None),
    ],
)
def test_bylines_of_real_pages(line, expected):
    assert parse_byline(line) == expected


@pytest.mark.parametrize(
    ("line", "is_date"),
    [
        ("1:39 am EST, Wednesday, November 20, 2019", True),
        ("Thu 3 Jan 2019 02.00 EST Last modified on Thu 3 Jan 2019 09.00 EST", True),
        ("Updated", True),
        ("May the best team win", False),
        ("The 2019 May Day parade", False),
    ],
)
def test_date_only_lines(line, is_date):
    assert (parse_dateline(line) is not None) == is_date


def test_date_mentions_and_comment_lines():
    assert (
        mentions_date("Nick A · Monday 5:30PM")
        and mentions_date("posted 3 May")
        and not mentions_date("4 Things to Do in October")
    )
    assert is_comment_credit("Milan Griffes on September 12, 2018 at 4:47 pm said:")
    assert not is_comment_credit("Mostafa Naderi, a member of the group, shared his story and said:")
    assert (
        is_comment_header("10 Comments")
        and is_comment_header("Leave a Reply")
        and not is_comment_header("Comment is free")
    )


def test_small_print_code_and_biographies():
    assert looks_like_boilerplate("Your personal data will only be passed to third parties to filter spam.")
    assert looks_like_boilerplate("Brigit Katz is a freelance writer based in Toronto.")
    assert not looks_like_boilerplate("The council said the data showed more people walked to work than in 2019.")
    assert looks_like_code("window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}")
    assert not looks_like_code("The law (passed in 2019) changed the rules [citation needed] for three cases.")


def test_share_bar_between_headline_and_body_does_not_push_the_headline_out_of_reach():
    share_bar = [f"Share this with {site}" for site in ("Facebook", "Twitter", "Email", "WhatsApp")] * 8
    share_bar += ["Copy this link", "Read more about sharing.", "Close share panel"]
    page = whole_page("Flood wall to be finished two years early", [*share_bar, *BODY])
    articles, removed = segment_page(page)
    assert [a.title for a in articles] == ["Flood wall to be finished two years early"]
    assert {"Copy this link", "Close share panel"} <= {r.text for r in removed if r.reason is RemovalReason.CHROME}


def test_breadcrumb_is_chrome_not_a_title():
    rules = segment_rules.default_rules()
    assert rules.matches("chrome", "BLOG > Weight Loss > Weight Loss Tips")
    assert not rules.matches("chrome", "Stocks > bonds as rates fall")  # one ">" in a headline
    assert rules.matches("chrome", "Sprout Blog / Topics / Social Media Marketing")
    assert rules.matches("chrome", "Home » Best Drip Coffee Makers of the Year")
    # a headline with one spaced slash, or slashes inside words, is no trail
    assert not rules.matches("chrome", "21+ Best Movers / Moving Companies in San Francisco (2024)")
    assert not rules.matches("chrome", "AC/DC and TCP/IP: a history of slashes")
    assert not rules.matches("chrome", "Homeowners / renters: what insurance covers")
    assert not rules.matches("chrome", "Home / Away: the new film about a family split by a border")


def test_standfirst_under_the_headline_is_not_the_title():
    """The standfirst shares more words with the story than the headline does, and stands nearer."""
    title = "Town celebrates as flood wall nears completion"
    standfirst = "Engineers found a cheaper way. The river authority says the wall will be finished two years early"
    page = whole_page(title).replace(f"{title}\n\nBy Ana Ruiz", f"{title}\n\n{standfirst}\n\nBy Ana Ruiz")
    assert standfirst in page
    articles, _ = segment_page(page)
    assert [a.title for a in articles] == [title]


def test_list_of_authors_above_a_date_is_a_byline_not_the_title():
    lines = seg.split_lines(
        "\n\n".join(["Flood wall to be finished early", "Ana Ruiz and Tom Baker RIVER NEWS", "March 4, 2024", LEDE])
    )
    kinds = seg.classify_page(lines, segment_rules.default_rules())
    assert kinds[:3] == ["text", "byline", "date"]
    assert segment_page("\n\n".join(l.text for l in lines))[0][0].title == "Flood wall to be finished early"


# credits under a headline: found past share bars, photo credits and repeated names


@pytest.mark.parametrize(
    "line, is_credit",
    [
        ("Kevin Johnson and Kevin McCoy", True),
        ("2 days", True),
        ("12:02 PM", True),
        ("@catherineshu", True),
        ("Nov 19, 2019", True),
        ("Two federal prison officers charged", False),
        ("Zero to Book Podcast", False),
        ("New York State Attorney General reportedly investigating WeWork", False),
    ],
)
def test_credit_lines_are_never_titles(line, is_credit):
    assert looks_like_credit(line) is is_credit


def test_headline_far_above_its_byline_behind_share_buttons_and_a_caption():
    """A teaser sharing words with the story stands above; the headline's byline is reached past the share bar."""
    teaser = "Flood wall plans shown"
    share_bar = [f"Click to share on {site} (Opens in new window)" for site in ("Facebook", "Reddit", "Twitter")]
    caption = (
        "Engineers Ana Lopez (left) and Tom Reyes (right) inspect the foundations of the new flood wall "
        "on the east bank of the river during a site visit on Monday morning. (Photo by Jo Lee)"
    )
    page = "\n\n".join(
        [*MENU, teaser, "Weather", "Town celebrates as engineers finish early", *share_bar, "More", caption]
        + ["By Ana Ruiz | March 4, 2024", *BODY, *FOOTER]
    )
    articles, _ = segment_page(page)
    assert [a.title for a in articles] == ["Town celebrates as engineers finish early"]


def test_author_name_printed_twice_credits_the_headline_above():
    """The name repeated (a link, then text) is chrome by repetition, yet still a credit."""
    page = "\n\n".join(
        [*MENU, "Search in pages", "Search in pages", "Weather today", "Wednesday 20 November 2019 9:22 am"]
        + ["River authority to finish flood wall two years early", "Ana Ruiz", "Ana Ruiz", "Share", *BODY, *FOOTER]
    )
    articles, _ = segment_page(page)
    assert [a.title for a in articles] == ["River authority to finish flood wall two years early"]


def test_names_of_authors_above_their_outlet_are_not_the_title():
    page = "\n\n".join(
        ["Flood wall to be finished two years early", "Ana Ruiz and Tom Baker", "RIVER NEWS"]
        + ["Published 7:07 PM EST Nov 19, 2019", *BODY]
    )
    articles, _ = segment_page(page)
    assert [a.title for a in articles] == ["Flood wall to be finished two years early"]


def test_element_dump_headline_above_author_handle_and_age():
    fragments = ["Flood wall to be finished two years early", "", "Ana Ruiz", "", "@anaruiz", "", "/", "", "2 days", ""]
    fragments += ["The river authority said on Monday that the", "new flood wall", "would be finished early."]
    fragments += ["Work on the wall began in 2021, according to", "the authority", ", and it cost less than planned."]
    fragments += ["Residents read the", "statement", "and welcomed it.", *BODY[2:]]
    lines = seg.split_lines("\n".join(fragments))
    assert seg.is_element_dump(lines)
    articles, _ = segment_page("\n".join(fragments))
    assert [a.title for a in articles] == ["Flood wall to be finished two years early"]


def test_byline_label_alone_is_joined_to_the_name_past_a_blank_line():
    lines = seg.split_lines("\n".join(["Flood wall to be finished early", "By", "", "Ana Ruiz", "", LEDE]))
    joined = [line.text for line in seg.rejoin_fragments(lines)]
    assert joined == ["Flood wall to be finished early", "By Ana Ruiz", LEDE]
    assert len(seg.rejoin_fragments(seg.split_lines("By\n\n\nAna Ruiz"))) == 2  # two blank lines part them


def test_photo_credit_under_a_caption_is_neither_title_nor_between_headline_and_byline():
    """ "Credit..." then the photographer: the caption above and the name below are passed over."""
    title = "Flood wall to be finished two years early"
    standfirst = "The river authority found a cheaper way to anchor the wall in the soft clay, engineers say."
    page = "\n\n".join(
        [*MENU, "Advertisement", title, standfirst, "Engineers on the east bank last week."]
        + ["Credit...", "Ana Ruiz/River News", "By Tom Baker", *BODY, *FOOTER]
    )
    articles, _ = segment_page(page)
    assert [a.title for a in articles] == [title]


def test_reading_list_buttons_are_chrome_and_more_stories_headings_are_related_links():
    rules = segment_rules.default_rules()
    assert all(rules.matches("chrome", b) for b in ("Read Later", "Save for later", "Bookmark", "Saved"))
    assert rules.matches("related", "More Blog Stories")
    assert not rules.matches("chrome", "Save the river, say residents")


# what follows an article: membership pleas, biographies, teasers with their own credits


def test_membership_pleas_and_biographies_with_a_role_or_an_address_are_small_print():
    assert looks_like_boilerplate(
        "If you enjoyed this article, we have a proposition for you: join our members. Members get all of our content."
    )
    assert looks_like_boilerplate(
        "NRO contributor Ana Ruiz is the Martin and Illie Anderson Senior Fellow at the River Institution."
    )
    assert looks_like_boilerplate("Tom Baker (tom@river.example) is the editor and publisher of River News.")
    # an element dump cut the name's link off: the handle opens the line
    assert looks_like_boilerplate("(@anaruiz) is a contributor at River News and the host of its weekly podcast.")
    assert not looks_like_boilerplate("(Reuters) is reporting that the council will vote on the wall on Monday.")
    assert not looks_like_boilerplate("If you ask the council, the wall will be finished two years early.")
    assert not looks_like_boilerplate("Ana Ruiz is the mayor who asked the river authority to build the wall.")


def teasers_with_credits(n: int) -> list[str]:
    """A "More stories" box: headline, the age and section of the story, a one-line summary, a comment count."""
    lines = []
    for i in range(n):
        lines += [f"Harbour board approves plan number {i + 1} for the old docks"]
        lines += [f"{i + 2} hours ago on Harbour Blog"]
        lines += [
            f"The harbour board approved plan number {i + 1} for the old docks on Tuesday, after a long debate "
            "in which residents asked for more green space and a new footbridge to the station."
        ]
        lines += [f"{i + 3} comments"]
    return lines


def test_teasers_that_carry_their_own_credits_are_not_a_second_article():
    page = "\n\n".join([*MENU, "Flood wall to be finished two years early", "By Ana Ruiz | March 4, 2024", *BODY])
    page += "\n\n" + "\n\n".join(["Product calendar", "Harbour Pier Reopening", "December 2019"])
    page += "\n\n" + "\n\n".join(["More Harbour Stories", *teasers_with_credits(10), *FOOTER])
    articles, removed = segment_page(page)
    assert [a.title for a in articles] == ["Flood wall to be finished two years early"]
    assert list(articles[0].paragraphs) == BODY
    teaser = next(line for line in teasers_with_credits(3)[8:] if line.startswith("The harbour board"))
    assert teaser in {r.text for r in removed}  # a related link, or a comment under a comment count


def test_teaser_items_with_credits_make_a_teaser_list():
    lines = seg.split_lines("\n\n".join(teasers_with_credits(4)))
    kinds = seg.classify_page(lines, segment_rules.default_rules())
    assert wp.is_teaser_list(lines, kinds, 0, len(lines) - 1)
    assert wp._items_credited(lines, kinds, 0, len(lines) - 1)
    article = seg.split_lines("\n\n".join(["Flood wall to be finished early", *BODY]))
    assert not wp._items_credited(article, ["text"] * len(article), 0, len(article) - 1)


def embedded_posts(n: int) -> list[str]:
    """An article's paragraphs, each followed by an embedded post: its text, then its signature and date."""
    posts = ["Harbour Pier Opens Today", "The Crowds At The New Pier", "Look Who Came To The Opening"]
    lines = []
    for i in range(n):
        lines += [BODY[i % len(BODY)], f"{posts[i % len(posts)]} pic.twitter.com/abc{i}"]
        lines += [f"— River News (@RiverNews{i}) December 22, 2023"]
    return lines


def test_signed_embedded_posts_are_not_credited_teasers():
    """A post's signature with its date ("— Name (@handle) December 22, 2023") is not a teaser's credit."""
    lines = seg.split_lines("\n\n".join(embedded_posts(3)))
    kinds = seg.classify_page(lines, segment_rules.default_rules())
    assert all(lines[j].heading_shaped for j in (1, 4, 7))  # each post looks like a headline with a credit under it
    assert not wp._items_credited(lines, kinds, 0, len(lines) - 1)
    teasers = [line if "(@" not in line else "2 hours ago on Harbour Blog" for line in embedded_posts(3)]
    lines = seg.split_lines("\n\n".join(teasers))
    assert wp._items_credited(lines, seg.classify_page(lines, segment_rules.default_rules()), 0, len(lines) - 1)


def test_credited_headlines_far_above_a_list_article_do_not_make_it_teasers():
    """A list article (short sections under subheadings) under its credited headline stays an
    article when a "Latest" box of credited headlines stands further up the page, past its menus."""
    latest = []
    for i in range(4):
        latest += [
            f"Harbour board approves plan number {i + 1} for the old docks",
            f"{i + 2} hours ago on Harbour Blog",
        ]
    sections = []
    for i, name in enumerate(
        ["The Best Benches On The Quay", "Where To Watch The Boats", "The Cafe At The End", "A Walk To The Lighthouse"]
    ):
        sections += [name, BODY[i]]
    menus = [*MENU, *SECOND_MENU] * 2
    page = [*SECOND_BODY[:2], *latest, *menus, "Harbour pier reopens", "By Sam Okafor", *sections]
    lines, kinds = page_lines("\n\n".join(page))
    assert len(menus) > headline.TITLE_WINDOW
    blocks = wp.prose_blocks(lines, kinds)
    assert wp.is_teaser_list(lines, kinds, *blocks[-1])
    candidates, _ = wp.sort_blocks(lines, kinds, blocks)
    assert candidates == blocks
    # with the box right above the headline, its items and the article's are one list of teasers
    page = [*SECOND_BODY[:2], *menus, *latest, "Harbour pier reopens", "By Sam Okafor", *sections]
    lines, kinds = page_lines("\n\n".join(page))
    blocks = wp.prose_blocks(lines, kinds)
    assert wp.sort_blocks(lines, kinds, blocks)[0] == blocks[:1]


def test_credited_teasers_under_a_credited_headline_are_set_apart():
    """A dated headline above the box (a product calendar) does not make the box a list article."""
    box = ["Harbour Pier Reopening Date Announced", "December 2019", *teasers_with_credits(6)]
    lines = seg.split_lines("\n\n".join(["Flood wall to be finished early", "By Ana Ruiz", *BODY, *box]))
    kinds = seg.classify_page(lines, segment_rules.default_rules())
    blocks = wp.prose_blocks(lines, kinds)
    candidates, skipped = wp.sort_blocks(lines, kinds, blocks)
    first_summary = 2 + len(BODY) + 4
    assert lines[first_summary].text.startswith("The harbour board approved plan number 1")
    assert candidates == [(2, 1 + len(BODY))]
    assert skipped[first_summary] is RemovalReason.RELATED_LINK


# several pages saved into one file: where one ends and the next begins


def page_lines(text: str) -> tuple[list, list[str]]:
    lines = seg.split_lines(text)
    return lines, wp.mark_comment_threads(lines, seg.classify_page(lines, segment_rules.default_rules()))


SECOND_BODY = [p.replace("river authority", "harbour board").replace("wall", "pier") for p in BODY]
SECOND_MENU = ["Front page", "Ports", "Shipping", "Markets", "Fishing", "Tides", "Letters", "Events"]


def test_a_skip_link_starts_the_next_saved_page():
    first = ["Skip to content", *MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY, "About", "Contact"]
    second = ["Skip to main content", *SECOND_MENU, "Harbour pier reopens", "By Sam Okafor", *SECOND_BODY]
    lines, kinds = page_lines("\n\n".join(first + second))
    regions = wp.page_regions(lines, kinds)
    assert [lines[a].text for a, _ in regions] == ["Skip to content", "Skip to main content"]


def test_small_print_under_a_footer_does_not_hide_the_end_of_a_page():
    small_print = "Community rules apply to all content you upload or otherwise submit to this site."
    first = [*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY, "© 2024 River News Ltd", small_print]
    second = [*SECOND_MENU, "Harbour pier reopens", "By Sam Okafor", *SECOND_BODY]
    lines, kinds = page_lines("\n\n".join(first + second))
    assert len(wp.page_regions(lines, kinds)) == 2
    # teasers under the footer (a headline, then its summary) are the same page going on
    teasers = ["Harbour board approves plan for the old docks", SECOND_BODY[0], "Bridge closed for repairs until May"]
    teasers += [SECOND_BODY[1]]
    lines, kinds = page_lines("\n\n".join([*first[:-1], *teasers, *second]))
    assert len(wp.page_regions(lines, kinds)) == 1
    # one plea under its heading (an ad-blocker wall) is small print still
    wall = [
        "Want to Block Ads But Still Support River News?",
        "By joining River News Plus you support our work and you get exclusive content every week.",
    ]
    lines, kinds = page_lines("\n\n".join([*first[:-1], *wall, *second]))
    assert len(wp.page_regions(lines, kinds)) == 2


def test_a_copyright_line_with_the_name_before_the_year_ends_a_page():
    first = [*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY, "© River News 2024. Website by Studio"]
    second = [*SECOND_MENU, "Harbour pier reopens", "By Sam Okafor", *SECOND_BODY]
    lines, kinds = page_lines("\n\n".join(first + second))
    assert [lines[a].text for a, _ in wp.page_regions(lines, kinds)] == [MENU[0], SECOND_MENU[0]]
    articles, _ = segment_page("\n\n".join(first + second))
    assert [a.title for a in articles] == ["Flood wall to be finished early", "Harbour pier reopens"]


def test_a_list_article_saved_after_another_page_is_read_as_it_is_alone():
    """A page whose only prose is a list (headings with a paragraph each) is a list article,
    whether it was saved alone or after another page in the same file (where, uncredited, it
    needs :data:`~analysis.ingest.pagebreaks.MIN_SECOND_ARTICLE_WORDS` words)."""
    names = ["The Bench By The Ferry", "The Bench Under The Oak", "The Bench At The Lock", "The Bench On The Pier"]
    names += ["The Bench By The Mill", "The Bench At The Station"]
    items = []
    for name, paragraph in zip(names, [*BODY[:4], *SECOND_BODY[:2]]):
        items += [name, paragraph]
    listing = [*SECOND_MENU, "The best benches on the quay", *items]
    alone, _ = segment_page("\n\n".join(listing))
    assert len(alone) == 1 and set(BODY[:4]) <= set(alone[0].paragraphs)
    assert sum(len(p.split()) for p in alone[0].paragraphs) >= wp.MIN_SECOND_ARTICLE_WORDS
    first = [*MENU, "Flood wall to be finished early", "By Ana Ruiz", *SECOND_BODY, "© 2024 River News Ltd"]
    together, _ = segment_page("\n\n".join([*first, *listing]))
    assert [a.title for a in together] == ["Flood wall to be finished early", alone[0].title]
    assert together[1].paragraphs == alone[0].paragraphs


def test_small_print_past_a_footer_and_a_menu_is_not_a_page_of_its_own():
    """What follows a page's copyright line and a menu is a saved page of its own only when
    its prose has a credit or some length: a short welcome or cookie text is not an article."""
    welcome = [
        "Welcome to River News. We publish news about the river towns every weekday morning, and our "
        "archive goes back to the first issue of the paper, printed in 1901 on the east bank.",
        "Our offices are open from nine to five on weekdays, and visitors are welcome to read the archive.",
    ]
    page = [*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY, "© River News 2025", *SECOND_MENU]
    articles, _ = segment_page("\n\n".join([*page, *welcome]))
    assert [a.title for a in articles] == ["Flood wall to be finished early"]
    # a second page with a credited headline after the footer is still read
    second = ["Harbour pier reopens", "By Sam Okafor", *SECOND_BODY[:2]]
    articles, _ = segment_page("\n\n".join([*page, *second]))
    assert [a.title for a in articles] == ["Flood wall to be finished early", "Harbour pier reopens"]


#: What a photographer's site prints under its footer: its memberships, paragraph by paragraph,
#: well over a second article's length.
MEMBERSHIPS = [
    "I am proud to be an ambassador for a business platform that helps small studios manage their "
    "clients, invoices and calendars in one place, and I have used it for my own work for six years.",
    "I am a member of a society of landscape photographers that certifies parks and reserves for the "
    "quality of their night skies and works with towns to keep their lights low after dark.",
    "I support the national park association as a volunteer for its desert institute, where I teach "
    "two courses every spring on photographing the desert at dawn and under the stars.",
    "I am a partner and reseller for a maker of photographic filters, and readers of this site get a "
    "discount on their first order with the code printed on the shop page of the site.",
    "I am proud to be a member of the largest nonprofit association of photographers in the world, "
    "whose mission is to help its members run their studios and keep learning their craft.",
]


@pytest.mark.parametrize(("lines_between", "pages"), [(0, 1), (30, 2)])
def test_small_print_under_the_footer_is_not_a_second_page(lines_between, pages):
    """Paragraphs of small print after the copyright line and a menu are no page of their own,
    however long: no headline stands over them, and too few lines follow the footer for a saved
    page. Past that many lines, a new page is read as before."""
    menu = ["Blog", "Workshops", "Prints", "Careers", "Affiliates", "Contact"]
    filler = [f"Link {n}" for n in range(lines_between)]
    page = [*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY, "© 2024 River News Ltd", *menu]
    text = "\n\n".join([*page, *filler, *MEMBERSHIPS])
    lines, kinds = page_lines(text)
    assert sum(len(p.split()) for p in MEMBERSHIPS) >= wp.MIN_SECOND_ARTICLE_WORDS
    assert len(wp.page_regions(lines, kinds)) == pages
    if pages == 1:
        articles, _ = segment_page(text)
        assert [a.title for a in articles] == ["Flood wall to be finished early"]


def test_a_standfirst_between_headline_and_byline_leaves_the_body_credited():
    standfirst = (
        "The river authority has unveiled a plan to finish the flood wall two years early, after engineers "
        "found a cheaper way to anchor it in the soft clay of the east bank."
    )
    text = "\n\n".join([*MENU, "Flood wall to be finished early", standfirst, "March 4, 2024 Ana Ruiz", "Share", *BODY])
    lines, kinds = page_lines(text)
    body = next(i for i, line in enumerate(lines) if line.text == BODY[0])
    at = next(i for i, line in enumerate(lines) if line.text == standfirst)
    assert kinds[at + 1] in seg.CREDIT_KINDS
    assert wp._credited_headline_before(lines, kinds, body, at + 1)


@pytest.mark.parametrize("word", ["Markets", "Decor", "Wedding", "Saturn", "Monitor", "Junior", "Marches"])
def test_words_that_start_like_a_month_or_a_day_are_not_dates(word):
    assert parse_dateline(word) is None and not mentions_date(f"{word} 4")


@pytest.mark.parametrize(
    "line", ["Mar 4", "March 4, 2024", "Sept. 3, 2019", "Wed, 4 Mar 2024 09:15", "Thu 3 Jan 2019 02.00 EST"]
)
def test_months_and_days_whole_or_abbreviated_are_dates(line):
    assert parse_dateline(line) is not None and mentions_date(line)


def test_reading_time_under_a_headline_credits_it():
    text = "\n\n".join(
        [*MENU, "Business News", "Flood wall to be finished early", "Ana Ruiz", "5 Min Read", *BODY, *FOOTER]
    )
    lines, kinds = page_lines(text)
    body = next(i for i, line in enumerate(lines) if line.text == BODY[0])
    assert wp._credited_headline_before(lines, kinds, body, 0)


def test_a_list_announced_by_a_colon_does_not_cut_the_article():
    intro = "Residents listed what they want from the new riverside, in order of how much it would cost them:"
    items = [f"{label} item {n}" for label in ("Cheap", "Costly", "Dear") for n in range(1, 7)]
    first = [*BODY[:2], intro]
    text = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *first, *items, *BODY[2:], *FOOTER])
    lines, kinds = page_lines(text)
    assert len(items) > wp.MAX_INTERRUPTION_LINES
    articles, _ = segment_page(text)
    assert [a.title for a in articles] == ["Flood wall to be finished early"]
    assert articles[0].paragraphs[-1] == BODY[-1]
    assert set(items) <= set(articles[0].paragraphs)  # the list is the article's, not a menu
    listed = {i for i, line in enumerate(lines) if line.text in items and kinds[i] == "navigation"}
    assert listed and ap.body_lists(lines, kinds, 0, len(lines)) == listed


def test_short_lines_no_paragraph_announces_are_not_taken_for_the_article_list():
    items = [f"{label} item {n}" for label in ("Cheap", "Costly", "Dear") for n in range(1, 7)]
    text = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], *items, *BODY[2:]])
    lines, kinds = page_lines(text)
    assert not ap.body_lists(lines, kinds, 0, len(lines))


def test_menu_items_no_paragraph_announces_are_not_taken_for_the_article_list():
    items = [f"{label} Homes {n}" for label in ("Cheap", "Costly", "Dear") for n in range(1, 7)]
    text = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], *items, *BODY[2:]])
    lines, kinds = page_lines(text)
    assert not ap.body_lists(lines, kinds, 0, len(lines))
    related = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], "Related:", *items])
    lines, kinds = page_lines(related + "\n\n" + "\n\n".join(BODY[2:]))
    assert any(kinds[i] == "navigation" for i, line in enumerate(lines) if line.text in items)
    assert not ap.body_lists(lines, kinds, 0, len(lines))  # "Related:" heads links, not the article's list


#: A checklist in the text, its items written as phrases (no colon announces it).
CHECKLIST = [
    "Walk the east bank – note where the old wall leaks",
    "Ask the river authority for the anchoring plan",
    "Check the insurance cover for flood damage to cellars",
    "Move valuables off the cellar floor before the works",
    "Keep sandbags by the door until the wall is finished",
    "Sign up for the authority's text alerts on river levels",
]


def test_a_list_written_as_phrases_stays_in_the_article_unannounced():
    text = "\n\n".join(
        [*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], *CHECKLIST, *BODY[2:], *FOOTER]
    )
    lines, kinds = page_lines(text)
    # a run of short lines, read as a menu at first (the last item, over a paragraph, as a headline)
    listed = {i for i, line in enumerate(lines) if line.text in CHECKLIST and kinds[i] == "navigation"}
    assert len(listed) >= seg.NAVIGATION_RUN
    assert ap.body_lists(lines, kinds, 0, len(lines)) == listed
    articles, _ = segment_page(text)
    assert [a.title for a in articles] == ["Flood wall to be finished early"]
    assert set(CHECKLIST) <= set(articles[0].paragraphs)
    assert not ap.written_as_phrases([lines[i] for i, k in enumerate(kinds) if k == "navigation" and i not in listed])


@pytest.mark.parametrize(
    ("below", "joined"),
    [
        ("NEXT_SECTION", True),  # the article goes on below its list
        ("OTHER_SUBJECT", False),  # a consent panel's options, then its notice: not the article
    ],
)
def test_a_long_list_written_as_phrases_does_not_cut_the_article(below, joined):
    below = globals()[below]
    steps = [
        f"{verb} the {thing} before the flood wall works" for verb in ("Check", "Clear", "Mark") for thing in THINGS
    ]
    text = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], *steps, *below, *FOOTER])
    lines, kinds = page_lines(text)
    assert len(steps) > wp.MAX_INTERRUPTION_LINES
    assert sum(kinds[i] == "navigation" for i, line in enumerate(lines) if line.text in steps) >= len(steps) - 1
    articles, _ = segment_page(text)
    assert [a.title for a in articles] == ["Flood wall to be finished early"]
    assert (articles[0].paragraphs[-1] == below[-1]) is joined
    assert set(steps) <= set(articles[0].paragraphs) or not joined


#: Things a resident checks before the works on the flood wall.
THINGS = ("cellar drains", "garden wall", "back door seals", "boat mooring", "shed roof")


def test_a_box_of_headlines_in_sentence_case_is_no_list_of_the_text():
    headlines = [
        "Seahawks running back Kenneth Walker is hitting his stride",
        "QB Will Rogers decides to remain at Washington",
        "WSU and Oregon State watch the ACC from afar",
        "Could Jim Harbaugh talks give the Seahawks clarity",
        "Khmori House withdraws from the transfer portal",
    ]
    text = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], *headlines, *BODY[2:]])
    lines, kinds = page_lines(text)
    assert (
        sum(kinds[i] == "navigation" for i, line in enumerate(lines) if line.text in headlines)
        >= seg.NAVIGATION_RUN - 1
    )
    assert not any(
        line.text in headlines for i, line in enumerate(lines) if i in ap.body_lists(lines, kinds, 0, len(lines))
    )


SPEC_BOX = [
    label
    for n in range(1, 4)
    for label in (f"Pump model {n}", "Pros", "Quiet", "Cheap to run", "Cons", "Heavy", "Best prices today:", "Check")
]
#: The next section of the flood-wall story: the same wall, bank, river and residents.
NEXT_SECTION = [
    "The new flood wall on the east bank will stand two metres above the river, and the authority "
    "said the soft clay under the bank no longer needs the deep piles first planned for the wall.",
    "Residents of the east bank will see the wall finished two years early, the river authority said, "
    "and the road along the bank will reopen once the engineers have anchored the last section.",
]
OTHER_SUBJECT = [
    "The bakery on the corner won the regional prize for its rye loaf, baked overnight in a wood oven "
    "that the owner's grandfather built by hand in the cellar.",
    "Judges praised the crust and the sour flavour of the dough, which ferments for three days before "
    "the loaves are shaped and left to rise in linen baskets.",
]


#: A comparison table of pumps dumped a cell to a line: 160 lines, no prose.
COMPARISON_TABLE = [
    cell
    for n in range(1, 41)
    for cell in (f"Pump model {n}", f"Flow: {10 + n} litres a second", f"Weight: {n + 5} kg", f"Price: £{100 * n}")
]


#: The next section at length: a paragraph of more than 40 words.
LONG_SECTION = [
    NEXT_SECTION[0] + " Engineers from the river authority will anchor the flood wall in the soft clay of the "
    "east bank this spring, and residents of the bank will see the road along the river reopen in May.",
    NEXT_SECTION[1],
]
#: Teasers of other stories on the same subject: short summaries only.
SAME_SUBJECT_TEASERS = [
    "Flood wall on the east bank: what residents of the river bank need to know this spring.",
    "The river authority answers residents' questions on the flood wall and the soft clay of the bank.",
    "How engineers anchor a flood wall in soft clay, and why the river authority chose the east bank.",
]


@pytest.mark.parametrize(
    ("between", "below", "joined"),
    [
        (SPEC_BOX, NEXT_SECTION, True),  # a buying guide's product box between two sections of one article
        (SPEC_BOX, OTHER_SUBJECT, False),  # the same box, then a block on another subject: not this article
        (COMPARISON_TABLE[:120], NEXT_SECTION, True),  # a buying guide's comparison table, a cell a line
        (COMPARISON_TABLE, NEXT_SECTION, False),  # longer than a table between two sections
    ],
)
def test_a_long_run_of_boxes_cuts_the_article_unless_the_block_below_is_of_its_subject(between, below, joined):
    text = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], *between, *below, *FOOTER])
    assert len(between) > wp.MAX_INTERRUPTION_LINES
    articles, _ = segment_page(text)
    assert [a.title for a in articles] == ["Flood wall to be finished early"]
    assert list(articles[0].paragraphs[:2]) == BODY[:2]
    assert (below[-1] in articles[0].paragraphs) is joined


#: A one-line verdict in a product box: a line of prose in the run between two sections.
VERDICT = "Our verdict: the quietest pump for the flood wall on the east bank of the river."


@pytest.mark.parametrize(
    ("below", "joined"),
    [
        (LONG_SECTION, True),  # the next section of the article, at length
        (SAME_SUBJECT_TEASERS, False),  # teasers of other stories on its subject: short summaries only
        (OTHER_SUBJECT, False),  # another subject
    ],
)
def test_a_verdict_in_a_product_box_does_not_cut_the_article_from_its_next_section(below, joined):
    box = SPEC_BOX[:8]
    lines, _ = page_lines("\n\n".join([*BODY[:2], *box, VERDICT, *below]))
    kinds = ["text"] * 2 + ["navigation"] * len(box) + ["text"] * (1 + len(below))
    gap = range(2, 3 + len(box))
    block = (gap.stop, len(lines) - 1)
    assert lines[gap.stop - 1].text == VERDICT and lines[gap.stop - 1].n_words >= PROSE_WORDS
    topic = content_bag(lines, kinds, (0, 1))
    assert wp._sections_of_one_article(lines, kinds, gap, block, topic) is joined


def test_the_date_of_an_embedded_post_does_not_cut_the_article():
    post = ["Yes this is real and the council spent half a million on it:", "https://t.co/Nc0nKoXGBP"]
    post += ["— Jo Lee (@jolee)", "March 3, 2024"]
    text = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], *post, *BODY[2:], *FOOTER])
    articles, _ = segment_page(text)
    assert [a.title for a in articles] == ["Flood wall to be finished early"]
    assert {BODY[0], BODY[-1]} <= set(articles[0].paragraphs)


@pytest.mark.parametrize(
    "line",
    [
        "Quanta Magazine moderates comments to facilitate an informed, substantive, civil conversation.",
        "Get breaking news alerts and special reports. The news and stories that matter, delivered weekday mornings.",
        "Have a tip? Amy Kuperinsky may be reached at akuperinsky@example.com. Follow her on Twitter.",
        "Slate relies on advertising to support our journalism. If you value our work, please disable your ad blocker.",
        "By joining Slate Plus you support our work and get exclusive content. And you'll never see this message again.",
        "The information provided on this website was intended for a US audience. Regulations in your country may vary.",
        "Bob Lee: 206-515-5699 or blee@example.com; Bob Lee covers the river for the River News.",
        # a long disclaimer: two phrases of small print, whatever its length
        "Consult your physician and follow all safety instructions before beginning any exercise program. "
        + "The contents are for informational purposes only " * 8,
    ],
)
def test_comment_policies_alerts_contacts_and_disclaimers_are_small_print(line):
    assert looks_like_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "The senator said the new rules were for informational purposes and could not be enforced in court, "
        + "which her opponents disputed at length in a hearing that ran late into the night " * 3,
        "Residents can comment on the plans until May, and the authority will publish every answer it receives.",
        "Residents can call the flood line on 206-515-5699 from Monday; the authority will answer every call.",
    ],
)
def test_prose_that_mentions_one_small_print_phrase_at_length_is_kept(line):
    assert not looks_like_boilerplate(line)


def test_a_comments_button_in_a_share_bar_does_not_open_a_comment_section():
    """ "Comments" between "Pinterest" and "Print" is a button: the story under it is an article."""
    bar = ["Facebook", "Twitter", "Pinterest", "Comments", "Print", "Email"]
    first = [*MENU, "Flood wall to be finished early", "By Ana Ruiz | March 4, 2024", *BODY]
    second = ["Harbour pier reopens after two years", "By Sam Okafor | March 5, 2024", *bar, *SECOND_BODY, *FOOTER]
    lines, kinds = page_lines("\n\n".join(first + second))
    at = next(i for i, line in enumerate(lines) if line.text == "Comments")
    assert wp._in_button_bar(kinds, at)
    assert not wp._in_comments(lines, kinds, range(at - 2, at + 3), False, True)


def test_a_comment_count_under_the_byline_does_not_make_the_article_a_comment_thread():
    """ "39 / View / comments" in an article's header (dailymail.co.uk), after a box of teasers:
    the body under it is the article, not readers' comments."""
    teasers = [
        f"{p.split(',')[0]}, teaser number {n} of the sidebar box went on for a while"
        for n, p in enumerate(SECOND_BODY)
    ]
    page = [*MENU, *teasers, "Previous", "Next", "Flood wall to be finished early", "By Ana Ruiz | March 4, 2024"]
    page += ["e-mail", "24 shares", "39", "View", "comments", *BODY, *FOOTER]
    articles, removed = segment_page("\n\n".join(page) + "\n")
    article = next(a for a in articles if a.title == "Flood wall to be finished early")
    assert list(article.paragraphs) == BODY
    assert not any(r.reason == RemovalReason.COMMENT and r.text in BODY for r in removed)


def test_a_counted_comment_header_close_under_the_body_ends_it():
    """ "8 COMMENTS" a few lines under the last paragraph (thecitizen.com): the readers' comments
    under it, each under a name and a date, are not the article's paragraphs; a "Comment:"
    label over a paragraph (a ranking's entries) and a bare "Comments" button are no header."""
    comments = ["suz December 21, 2023 at 1:24 pm", SECOND_BODY[0], "Log in to leave a comment"]
    comments += ["Spyglass December 23, 2023 at 11:33 am", SECOND_BODY[1], "Log in to leave a comment"]
    page = [*MENU, "Flood wall to be finished early", "By Ana Ruiz | March 4, 2024", *BODY, "Facebook"]
    page += ["Twitter", "Ana Ruiz", "8 COMMENTS", *comments, *FOOTER]
    (article,) = segment_page("\n\n".join(page) + "\n")[0]
    assert list(article.paragraphs) == BODY
    lines, kinds = page_lines("\n\n".join([*MENU, "Flood wall", "By Ana Ruiz | March 4, 2024", *BODY]))
    at = len(lines) - 1
    for label, ends_block in (("8 Comments", True), ("Comments", False), ("Comment:", False)):
        with_label = [*lines[:-1], seg.Line(label, 99), lines[-1]]
        kinds_with_label = [*kinds[:-1], "text", kinds[-1]]
        spanned = any(a < at < b for a, b in wp.prose_blocks(with_label, kinds_with_label))
        assert spanned != ends_block, label
        assert wp.opens_comments(with_label, kinds_with_label, at) == (label != "Comment:")


def test_a_web_address_in_a_copy_link_box_is_never_the_headline():
    page = [*MENU, "Flood wall to be finished two years early", "Copy URL"]
    page += ["https://www.rivernews.example/2024/03/04/flood-wall-to-be-finished-two-years-early", "Email", "Facebook"]
    page += ["By Ana Ruiz | March 4, 2024", *BODY, *FOOTER]
    (article,) = segment_page("\n\n".join(page) + "\n")[0]
    assert article.title == "Flood wall to be finished two years early"
    assert not headline._NOT_A_HEADLINE.match("Flood wall to be finished two years early")
    assert headline._NOT_A_HEADLINE.match("https://www.rivernews.example/2024/03/04/flood-wall")
    # a desk's name where an element dump splits the byline ("By" / "Naandika Tripathi," / "Forbes India Staff")
    assert headline._NOT_A_HEADLINE.match("Forbes India Staff")
    assert not headline._NOT_A_HEADLINE.match("Staff shortages close two wards at the river hospital")


def test_a_column_of_long_headlines_is_a_list_not_an_article():
    """A "Don't miss" column (dailymail.co.uk): long headlines one under another, none ending as
    a sentence, is a list of links even with a dated line above it; the article's paragraphs are not."""
    headlines = [
        f"Harbour board approves plan number {n} for the old docks after residents ask for more green space "
        "and a new footbridge to the station"
        for n in range(1, 8)
    ]
    lines, kinds = page_lines("\n\n".join(["Sunday, March 3, 2024", *headlines, *MENU, *BODY]))
    assert wp.headlines_alone(lines, kinds, 1, len(headlines))
    assert not wp.headlines_alone(lines, kinds, len(lines) - len(BODY), len(lines) - 1)
    candidates, skipped = wp.sort_blocks(lines, kinds, wp.prose_blocks(lines, kinds))
    assert skipped[1] is RemovalReason.RELATED_LINK and candidates == [(len(lines) - len(BODY), len(lines) - 1)]


def test_a_dated_line_right_under_a_headline_credits_it():
    text = "\n\n".join(
        [*MENU, "Bike and style book with soundtrack review", "21/06/2014 Tony Carter All, Books", *BODY]
    )
    lines, kinds = page_lines(text)
    body = next(i for i, line in enumerate(lines) if line.text == BODY[0])
    assert wp._credited_headline_before(lines, kinds, body, 0)


def test_a_site_index_rejoined_into_one_long_line_is_chrome():
    index = "today's paper corrections opinion today's opinion op-ed columnists editorials letters sunday review "
    index += "video arts art & design books dance movies music television theater living automobiles cooking "
    index += "crossword education food health jobs magazine parenting real estate style travel"
    assert looks_like_link_run(f"Español {index}")
    kinds = seg.classify_page(seg.split_lines(f"Español {index}\n\n{LEDE}"), segment_rules.default_rules())
    assert kinds == ["chrome", "text"]
    assert not looks_like_link_run(LEDE)
    assert not looks_like_link_run("Feel a deep desire to build a business that makes a difference but are not sure")
    # a shorter run of menu items in title case: longer than any heading, with no sentence mark
    menu = "Rivers Harbours Bridges Ferries Weather Flood Maps Tide Tables Fishing Reports Letters to the Editor "
    menu += "Obituaries Events Calendar Photo Galleries Podcasts All Videos"
    assert looks_like_link_run(menu)
    assert not looks_like_link_run(menu.lower())  # a long lower-case line may be a sentence left unfinished
    assert not looks_like_link_run(" ".join(menu.split()[:20]))  # a headline may be this long


@pytest.mark.parametrize(
    "credit",
    [
        "Natalie Naccache | Bloomberg | Getty Images",
        "J. Scott Applewhite / AP file",
        "Alex Wong | Getty Images",
        "(AP Photo/Ng Han Guan)",
        "Eugene Gologursky/Getty",
    ],
)
def test_a_picture_agency_credit_sets_its_caption_apart(credit):
    caption = "Engineers inspect the foundations of the new flood wall on the east bank of the river on Monday."
    text = "\n\n".join(["Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], caption, credit, *BODY[2:]])
    articles, _ = segment_page(text)
    assert list(articles[0].paragraphs) == BODY
    assert caption in articles[0].captions


def test_a_box_of_teasers_under_kickers_in_capitals_inside_a_body_is_links():
    box = ["RIVER WATCH", "Council backs plan for riverside park", "TIME TRAVELLER", "Old ferry found in the mud"]
    box += ["‘NAÏVE AND TRUSTING’", "Fishing ban lifted on the upper river"]
    text = "\n\n".join(["Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], *box, *BODY[2:]])
    articles, removed = segment_page(text)
    assert list(articles[0].paragraphs) == BODY
    assert {r.reason for r in [*removed, *articles[0].removed] if r.text in box} == {RemovalReason.RELATED_LINK}
    # subheadings in capitals, each over its paragraph, stay
    sections = ["WHAT HAPPENS NEXT", BODY[2], "WHO PAYS", BODY[3], "WHEN IT OPENS", LEDE]
    articles, _ = segment_page("\n\n".join(["Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], *sections]))
    assert "WHO PAYS" in articles[0].paragraphs


def test_a_copyright_footer_ends_a_block_of_prose():
    """Pages run together: the next page's text under a footer is not the same block."""
    text = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY, "© 2024 River News Ltd", *BODY])
    lines, kinds = page_lines(text)
    footer = next(i for i, line in enumerate(lines) if line.text.startswith("©"))
    blocks = wp.prose_blocks(lines, kinds)
    assert not any(a < footer < b for a, b in blocks)
    assert any(a > footer for a, _ in blocks)


def test_a_time_zone_is_a_short_word_not_the_start_of_the_next_label():
    line = "Published: Nov. 19, 2019, 6:18 p.m. Updated: Nov. 19, 2019, 7:10 p.m."
    assert parse_dateline(line) == "Nov. 19, 2019, 6:18 p.m. Updated: Nov. 19, 2019, 7:10 p.m."
    assert parse_dateline("Nov. 19, 2019, 8:41 AM UTC") == "Nov. 19, 2019, 8:41 AM UTC"


def test_read_more_lines_are_links_and_follow_boxes_are_chrome():
    rules = segment_rules.default_rules()
    assert rules.matches("related", "Read more: Harbour board approves plan for the old docks")
    assert rules.matches("chrome", "Follow The River News Opinion section on Facebook, Twitter and Instagram.")
    assert not rules.matches("chrome", "Follow the river path to the old docks on Sunday")
    assert rules.matches("related", "(\u200bMORE: Harbour board approves plan for the old docks)")
    assert not rules.matches("related", "(More than 200 residents came to the meeting.)")
    assert rules.matches("chrome", "Most Read Sports Stories") and rules.matches("chrome", "Advertising")
    assert not rules.matches("chrome", "Most popular boats")


def test_tag_line_under_a_dateline_and_a_label_after_the_body_is_read():
    text = "\n\n".join(
        [*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY, "Wordcount: 717"]
        + ["Updated: March 4, 2024, 7:10 p.m.", "Tags: floods, river, council"]
        + FOOTER
    )
    articles, _ = segment_page(text)
    assert articles[0].tags == ("floods", "river", "council")


@pytest.mark.parametrize(
    "line",
    [
        "Subscribe to River News on YouTube",
        "Do you rely on our reporting? Click here to support it.",
        "CLICK HERE TO GET THE RIVER NEWS APP",
        "This slideshow requires JavaScript.",
        "Advert",
        "View all (23)",
        "Thanks for watching!Visit Website",
        "Popular on River News",
        "Follow me on Twitter or LinkedIn. Check out my website.",
        "California: Do Not Sell My Personal Info",
        "Do Not Sell or Share My Personal Information",
        "Your Privacy Choices",
        "Leave your feedback",
        "hide",
        "https://example.org/wp-content/uploads/2024/03/flood-wall.mp4",
        "www.example.org",
        "Show less",
        "Expand all",
    ],
)
def test_calls_to_subscribe_or_click_and_player_notices_are_chrome(line):
    assert segment_rules.default_rules().matches("chrome", line)


@pytest.mark.parametrize(
    "line",
    [
        "Subscribers to the river magazine asked the council for a public meeting on the wall.",
        "Click the map to see which streets will close while the wall is built.",
        "View from the old town",
        "Do not sell my house to the council",
        "Leave feedback on the plans at the town hall",
        "Hide and seek on the riverbank",
        "Read the plans at https://example.org/plans before the meeting.",
        "Show of hands at the council",
    ],
)
def test_sentences_about_subscribers_clicks_or_views_are_not_chrome(line):
    assert not segment_rules.default_rules().matches("chrome", line)


@pytest.mark.parametrize(
    "line",
    [
        "Associated Press writers Ana Ruiz and Sam Okafor contributed to this report.",
        "Keith Bradsher contributed reporting from Hong Kong.",
        "In each episode of his weekly show, our columnist will delve a little deeper into politics. Click to subscribe!",
        "Stay on top of the latest news from the river! Sign up for our Email Newsletters here.",
        "Get River Monthly delivered through your letterbox every month. 12 issues for £11.99.",
        "Note: we are temporarily moderating all comments submitted to deal with a surge in spam.",
        "Want more river news? Sign up for River Weekly's free newsletter to get the latest stories and more.",
        "The opinions expressed in reader comments are those of the author only and not of River News.",
        "Comments are subject to our community guidelines, which can be viewed here.",
        # a consent banner's text, the same on every site that uses its plug-in
        "The technical storage or access is necessary for the legitimate purpose of storing preferences "
        "that are not requested by the subscriber or user.",
    ],
)
def test_contributor_lines_sign_ups_and_comment_rules_are_small_print(line):
    assert looks_like_boilerplate(line)


def test_a_short_last_sentence_under_the_body_belongs_to_it():
    """ "“Wild Rose” is now available on DVD." closes the article; the sign-off below does not."""
    closing = "The new flood wall is open to visitors every weekend."
    text = "\n\n".join(
        ["Flood wall to be finished early", "By Ana Ruiz", *BODY, closing, "Thanks!", "Popular on River News"]
        + ["Advert", "Sign up for our newsletters", *FOOTER]
    )
    articles, _ = segment_page(text)
    assert list(articles[0].paragraphs) == [*BODY, closing]
    lines, kinds = page_lines(text)
    last = next(i for i, line in enumerate(lines) if line.text == BODY[-1])
    assert wp._closing_sentences(lines, kinds, last) == last + 1
    assert wp._closing_sentences(lines, kinds, last + 1) == last + 1  # "Thanks!" is too short


def test_a_photo_credit_glued_to_its_caption_marks_a_caption():
    caption = "Engineers inspect the foundations of the new flood wall on the east bankCredit: River News"
    text = "\n\n".join(["Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], caption, *BODY[2:]])
    articles, _ = segment_page(text)
    assert list(articles[0].paragraphs) == BODY
    assert not segment_rules.default_rules().matches("caption", BODY[0])


def test_a_more_stories_heading_with_the_site_name_ends_the_body():
    boxed = ["More Great River News Stories", "Bridge closed for repairs until May"]
    boxed += ["The plan to rebuild the old ferry with a teensy jet engine and a sail made of recycled plastic bags"]
    text = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY, *boxed, *FOOTER])
    lines, kinds = page_lines(text)
    start = next(i for i, line in enumerate(lines) if line.text == BODY[0])
    heading = next(i for i, line in enumerate(lines) if line.text == boxed[0])
    assert trailer.trailer_start(lines, kinds, start, heading + 2) == heading
    # a subheading that only starts with "More" is the article's own
    lines[heading] = seg.Line("More bad news for the ferry", lines[heading].number)
    assert trailer.trailer_start(lines, kinds, start, heading + 2) == heading + 3


HOVER_CARD = ["Ilhan Omar", "Ilhan Omar", "Omar asks court for compassion in sentencing"]
HOVER_CARD += ["Harbour Valley: Progressives oppose funding bill | Senators call for new ferry | Pier reopens"]
HOVER_CARD += ["MORE"]


def test_a_hover_card_in_an_element_dump_is_taken_out_and_the_sentence_rejoined():
    sentence = ["The man threatened to kill Rep.", *HOVER_CARD, "(D-Minn.), prosecutors said on Monday."]
    links = ["Work on the wall began in 2021, according to", "the authority", ", and it has cost less than planned."]
    links += ["Residents read the", "statement", "on the", "council website", "and welcomed it."]
    text = "\n".join(["Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], *links, *sentence, *BODY[2:]])
    assert seg.is_element_dump(seg.split_lines(text))
    kept, cards = seg.drop_hover_cards(seg.split_lines(text))
    assert [c.text for c in cards] == HOVER_CARD[1:]
    articles, removed = segment_page(text)
    paragraphs = articles[0].paragraphs
    assert "The man threatened to kill Rep. Ilhan Omar (D-Minn.), prosecutors said on Monday." in paragraphs
    assert not any("Progressives" in p for p in paragraphs)
    assert {r.reason for r in removed if r.text == "MORE"} == {RemovalReason.CHROME}


def test_a_hover_card_glued_into_a_paragraph_is_cut_out():
    glued = "The man threatened to kill Rep. " + "".join(HOVER_CARD[:2]) + " ".join(HOVER_CARD[2:])
    glued += " (D-Minn.), prosecutors said on Monday."
    lines, cards = seg.drop_hover_cards(seg.split_lines(glued))
    assert lines[0].text == "The man threatened to kill Rep. Ilhan Omar (D-Minn.), prosecutors said on Monday."
    assert cards[0].text.startswith("Ilhan OmarOmar asks court") and cards[0].text.endswith("MORE")
    # a name printed twice with no card after it, and a plain sentence, are left alone
    for text in ["Ilhan OmarIlhan Omar said more was needed.", LEDE]:
        assert seg.drop_hover_cards(seg.split_lines(text))[0][0].text == text


def test_teasers_cut_off_with_dots_under_credited_items_are_a_list_not_a_second_article():
    """A sidebar: credited headlines (some cut off with "..."), then headlines with summaries."""
    sidebar = ["Harbour board approves plan for the old docks at last", "by Sam 0"]
    sidebar += ["Ferry timetable changes for the winter months on the river...", "by Jo"]
    sidebar += ["Council backs plan for riverside park and a new play area", "by Sam"]
    sidebar += ["New footbridge over the river will open in the spring of next...", "by Jo", "Deals"]
    goods = ["waders", "rods", "nets", "boots", "coats", "hats", "lamps", "maps"]
    for n in range(4):
        first, second = goods[2 * n], goods[2 * n + 1]
        sidebar += [f"Deal Alert: {n + 2} pairs of {first} for the price of one"]
        sidebar += [f"The shop by the old bridge is selling {first} for half price until the end of the month, "
                    f"and the bait shop next door has {second} on sale for {n + 3} pounds."]  # fmt: skip
        sidebar += [f"Kayak hire down to {n + 5} pounds an hour at the boat club on the east..."]
        sidebar += [f"The boat club has cut the price of its {second} and kayaks for the winter, and members "
                    f"pay {n + 2} pounds less for a whole day on the water."]  # fmt: skip
    between = ["Share", "Tweet", "Read these next", *SECOND_MENU, "Advertisement"]
    text = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY, *between, *sidebar])
    articles, _ = segment_page(text)
    assert [a.title for a in articles] == ["Flood wall to be finished early"]
    assert list(articles[0].paragraphs) == BODY
    assert looks_like_credit("by Sam 0") and looks_like_credit("by Jo")
    assert not looks_like_credit("by the river") and not looks_like_credit("By Ana Ruiz and the team at the river desk")


@pytest.mark.parametrize(
    "line",
    [
        "This document is subject to copyright. Apart from any fair dealing for the purpose of private study or "
        "research, no part may be reproduced without the written permission.",
        "Citation: Flood wall to be finished early (2024, March 4) retrieved 5 March 2024 from "
        "https://example.org/news/2024-03-flood-wall.html",
    ],
)
def test_reproduction_notices_and_citation_lines_are_small_print(line):
    assert looks_like_boilerplate(line)


def test_a_caption_that_ends_in_its_photo_credit_is_a_caption():
    rules = segment_rules.default_rules()
    assert rules.matches("caption", "A cross-section through the new flood wall and its clay anchors. Credit: ESA")
    assert not rules.matches("caption", "The authority gave credit to the engineers for the savings.")
    # the credit named "Picture:", "Image credit:" or "image:" (glued on by the dump)
    for line in [
        "The new wall on the east bank. Picture: Ana Ruiz/Getty Images for River News",
        "A cross-section through the new wall. Image credit: Ruiz et al., doi: 10.1073/rn.2024.",
        "Engineers at work on the east bankimage: Sam Okafor",
    ]:
        assert rules.matches("caption", line)
    assert not rules.matches("caption", "Engineers studied the image: the crack ran along the whole wall.")


def test_a_headline_in_title_case_with_a_full_stop_over_a_byline_made_navigation():
    """The byline, dateline and tools under a headline run together into "navigation"; the
    headline is two sentences in title case; a browser warning and a reprint notice above it."""
    header = [
        "We've detected you are on Internet Explorer. For the best experience, please update to a modern browser."
    ]
    header += [
        "This copy is for your personal, non-commercial use only. To order copies for your colleagues, use Reprints."
    ]
    header += ["Rivers", "Flood Wall Is Finished Early. Why the Town Still Worries."]
    header += ["By", "Ana Ruiz", "Updated March 4, 2024 8:21 am ET / Original March 4, 2024 8:02 am ET"]
    header += ["Order Reprints", "Print Article", "Text size"]
    articles, _ = segment_page("\n\n".join([*header, *BODY, *FOOTER]))
    assert [a.title for a in articles] == ["Flood Wall Is Finished Early. Why the Town Still Worries."]
    assert list(articles[0].paragraphs) == BODY
    assert looks_like_boilerplate(header[0]) and looks_like_boilerplate(header[1])


def test_a_news_agency_in_the_bylines_place_is_the_byline_never_the_title():
    assert parse_byline("The Associated Press") == ("The Associated Press", None)
    assert parse_byline("Press freedom in Europe") is None
    header = ["Flood wall to be finished early", "Engineers inspect the new wall on Monday.", "0"]
    header += ["The Associated Press", "Published Monday, March 4, 2024 8:22AM EST"]
    articles, _ = segment_page("\n\n".join([*MENU, *header, *BODY, *FOOTER]))
    assert [(a.title, a.byline) for a in articles] == [("Flood wall to be finished early", "The Associated Press")]


def test_a_menu_item_sharing_one_word_with_the_story_loses_to_the_headline():
    """ "Work with us" shares one word with the story; the headline shares several."""
    menu = ["Who we are", "Our team", "Work with us", "Blog"]
    body = [
        "The river authority has a new chief engineer, Jo Lee, who will work with the town on the flood wall.",
        *BODY,
    ]
    text = "\n\n".join([*menu, *menu, "Introducing Jo Lee, new chief engineer at the river authority", *body])
    lines, kinds = page_lines(text)
    start = next(i for i, line in enumerate(lines) if line.text == body[0])
    assert lines[headline.find_headline(lines, kinds, start, 0, segment_rules.default_rules())].text.startswith(
        "Introducing"
    )


def test_a_slide_shows_captions_after_its_counter_are_captions():
    slides = ["1", "of", "3", "Engineers inspect the foundations of the new flood wall on the east bank on Monday."]
    slides += ["2", "of", "3", "Residents watch as the last section of the wall is lowered into place by a crane."]
    text = "\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], *slides, *BODY[2:], *FOOTER])
    articles, _ = segment_page(text)
    assert list(articles[0].paragraphs) == BODY
    assert articles[0].captions == (slides[3], slides[7])
    glued = "1of3Engineers inspect the foundations of the new flood wall on the east bank on Monday."
    articles, _ = segment_page(
        "\n\n".join(["Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], glued, *BODY[2:]])
    )
    assert list(articles[0].paragraphs) == BODY
    # a numbered list keeps its items: one number before each
    steps = ["1", "Check the flood map for your street before the works begin.", "2", "Move your car off the bank."]
    lines = seg.split_lines("\n".join(steps))
    assert not any(seg._after_gallery_counter(lines, i) for i in range(len(lines)))


def test_a_most_read_box_and_a_publishers_line_about_its_owner_end_the_body():
    lines = seg.split_lines("\n\n".join([*BODY, "Most Read", "River News is part of Harbour Media Inc, a publisher."]))
    kinds = ["text"] * len(lines)
    assert trailer.trailer_start(lines, kinds, 0, len(lines) - 1) == len(BODY)
    lines = seg.split_lines(
        "\n\n".join([*BODY, "River News is part of Harbour Media Inc, an international media group."])
    )
    assert trailer.trailer_start(lines, kinds, 0, len(lines) - 1) == len(BODY)


def test_a_source_label_under_every_picture_is_no_trailer_heading():
    pictured = [part for paragraph in BODY for part in (paragraph, "Source")]
    lines = seg.split_lines("\n\n".join([*pictured, *BODY]))
    kinds = ["text"] * len(lines)
    assert trailer.trailer_start(lines, kinds, 0, len(lines) - 1) == len(lines)
    # printed once, after the body's first half, it heads the sources
    lines = seg.split_lines("\n\n".join([*BODY, *BODY, "Source", "River authority, annual report 2024"]))
    assert trailer.trailer_start(lines, ["text"] * len(lines), 0, len(lines) - 1) == 2 * len(BODY)


def test_a_list_of_firms_each_introduced_as_a_company_is_not_a_trailer():
    """In a list article every item may open like a publisher's line about itself; only one
    standing in the last part of the body ends it."""
    items = [
        f"{name} is a river transport company that runs ferries between the towns of the east bank, "
        "and its boats carry walkers, cyclists and commuters every day of the year."
        for name in ("Harbour Ferries", "Quay Boats", "Lock Line", "Bridge Water")
    ]
    lines = seg.split_lines("\n\n".join([*BODY, *items]))
    kinds = ["text"] * len(lines)
    assert trailer.trailer_start(lines, kinds, 0, len(lines) - 1) == len(lines)
    lines = seg.split_lines("\n\n".join([*BODY, *BODY, items[0]]))
    assert trailer.trailer_start(lines, ["text"] * len(lines), 0, len(lines) - 1) == 2 * len(BODY)
    # a footnote ends the body wherever the footnotes begin after its first half
    notes = [f"[{i}] Ruiz A. The flood wall of the east bank. River Journal 12: {i}." for i in range(1, 8)]
    lines = seg.split_lines("\n\n".join([*BODY, *notes]))
    assert trailer.trailer_start(lines, ["text"] * len(lines), 0, len(lines) - 1) == len(BODY)


@pytest.mark.parametrize(
    "line",
    [
        "Next read this:",
        "River News’s primary journalistic mission is to report on the river and its towns.",
        "This story was originally published March 4, 2024, 12:20 PM.",
        "Ana R. Ruiz et al. 2024. The flood wall of the east bank. Journal of Rivers 12: 3-9; doi: 10.1/jr.2024",
    ],
)
def test_a_read_next_box_a_mission_statement_and_a_time_stamp_end_the_body(line):
    bio = "Ana Ruiz writes about the river and its towns. She joined River News in 2015."
    lines = seg.split_lines("\n\n".join([*BODY, *BODY, line, bio]))
    kinds = ["text"] * len(lines)
    assert trailer.trailer_start(lines, kinds, 0, len(lines) - 1) == 2 * len(BODY)
    # a paragraph that says when something else was first published is the article's
    said = "The plan was first published in 2019, and this story was originally published in the spring."
    lines = seg.split_lines("\n\n".join([*BODY, said]))
    assert trailer.trailer_start(lines, kinds, 0, len(lines) - 1) == len(lines)


@pytest.mark.parametrize(
    "line",
    [
        'Subscribe to our sister title "River Monthly" Magazine for the latest amazing news from the river bank!',
        "Welcome to our new article page. Tell us what you think about our new look by taking this survey.",
        "Sign up for the Morning Brief email newsletter to get weekday updates from our river reporters.",
        "Sign up to receive our daily Morning Lineup to stay in the know about the latest topics on the river.",
    ],
)
def test_long_calls_to_subscribe_and_surveys_are_small_print(line):
    assert looks_like_boilerplate(line)
    assert not looks_like_boilerplate("Readers who subscribe to the river magazine asked for a public meeting.")
    assert not looks_like_boilerplate("The council urged residents to sign up to receive flood alerts by text.")


def test_an_embedded_videos_date_and_an_updated_flag_on_a_teaser_do_not_open_an_article():
    """Headlines of other stories run between the paragraphs, one flagged "Updated"; an embedded
    video's caption carries its own date in brackets."""
    video = ["Flood wall video shows the last section going in", "A video of the works was released on Monday."]
    video += ["(Published Monday, March 4, 2024)"]
    teasers = [["Man hurt in crash on the ring road"], ["Updated", "Police name man found in the river"]]
    short = ["The crane lifted the last section at noon.", "Workers cheered as it settled.", "Then it rained."]
    body = [*BODY[:2], teasers[0][0], *video, *short, *teasers[1], *short[:2], *BODY[2:]]
    articles, _ = segment_page("\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *body, *FOOTER]))
    assert [a.title for a in articles] == ["Flood wall to be finished early"]
    assert BODY[-1] in articles[0].paragraphs
    lines, kinds = page_lines(
        "\n\n".join(["Updated", "Police name man found in the river", "Updated", "March 4, 2024"])
    )
    assert kinds[0] == "chrome" and kinds[2] == "date"


@pytest.mark.parametrize(
    "line",
    [
        "We use cookies to understand how you use our site and to improve your experience. This includes "
        "personalising content and advertising. By continuing to use our site, you accept our use of cookies.",
        "Write to Ana Ruiz at ana.ruiz@example.com",
    ],
)
def test_cookie_notices_and_write_to_lines_are_small_print(line):
    assert looks_like_boilerplate(line)
    assert not looks_like_boilerplate("Residents can write to the authority before the public meeting in May.")


@pytest.mark.parametrize(
    "credit", ["Photo by Jo Lee", "River Authority Archive via AP", "New York State Registry via AP"]
)
def test_a_photo_credit_of_its_own_makes_the_line_above_a_caption(credit):
    caption = "Engineers inspect the foundations of the new flood wall on the east bank of the river on Monday."
    text = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], caption, credit, *BODY[2:]])
    articles, _ = segment_page(text)
    assert list(articles[0].paragraphs) == BODY
    assert caption in articles[0].captions


@pytest.mark.parametrize("line", ["Click To Tweet", "Give Feedback", "letters@example.com."])
def test_tweet_buttons_feedback_links_and_bare_addresses_are_chrome(line):
    assert segment_rules.default_rules().matches("chrome", line)


def test_a_photo_credit_in_brackets_marks_its_caption():
    caption = "Engineers inspect the foundations of the new flood wall on the east bank of the river on Monday."
    text = "\n\n".join(
        [*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY[:2], caption, "(Jo Lee/Reuters)", *BODY[2:]]
    )
    articles, _ = segment_page(text)
    assert list(articles[0].paragraphs) == BODY
    assert caption in articles[0].captions


def test_a_footer_then_a_menu_printed_twice_starts_the_next_page():
    """The second page's menu is chrome (its items printed twice), not navigation: it still starts a page."""
    first = [*MENU, "Flood wall to be finished early", "By Ana Ruiz | March 4, 2024", *BODY, "© 2024 River News Ltd"]
    second = [*SECOND_MENU, *SECOND_MENU, "Harbour pier reopens after two years", "By Sam Okafor | March 5, 2024"]
    lines, kinds = page_lines("\n\n".join([*first, *second, *SECOND_BODY]))
    footer = next(i for i, line in enumerate(lines) if line.text.startswith("©"))
    assert kinds[footer + 1 : footer + 1 + len(SECOND_MENU)] == ["chrome"] * len(SECOND_MENU)
    assert wp.page_regions(lines, kinds)[0] == (0, footer)


def _candidates(*rows: tuple[int, dict[str, float]]) -> list[tuple[int, dict[str, float]]]:
    """Candidate rows with every feature zero but those given."""
    return [(i, {**dict.fromkeys(headline.HEADLINE_FEATURES, 0.0), **given}) for i, given in rows]


def test_the_headline_is_the_best_scored_candidate_and_the_top_one_of_a_tie():
    weights = {**dict.fromkeys(headline.HEADLINE_FEATURES, 0.0), "cr1": 2.0, "k_nav": -1.0}
    rows = _candidates((3, {"k_nav": 1.0}), (5, {"cr1": 1.0}), (7, {}))
    assert headline.pick_headline(rows, weights) == 5
    assert headline.pick_headline(_candidates((4, {}), (6, {})), weights) == 4
    assert headline.pick_headline([], weights) is None


def test_a_standfirst_scored_best_gives_way_to_its_headline():
    weights = {**dict.fromkeys(headline.HEADLINE_FEATURES, 0.0), "cr1": 0.5}
    rows = _candidates((2, {}), (4, {"has_standfirst": 1.0}), (5, {"is_standfirst": 1.0, "cr1": 1.0}))
    assert headline.pick_headline(rows, weights) == 4


def test_a_line_the_scorer_all_but_rules_out_does_not_take_over_from_its_standfirst():
    """ "Best of Iceland" over "Joining Tours or Renting a Car in Iceland: Which One Should You Choose?"."""
    weights = {**dict.fromkeys(headline.HEADLINE_FEATURES, 0.0), "cr1": 2.0}
    rows = _candidates((2, {}), (4, {"has_standfirst": 1.0}), (5, {"is_standfirst": 1.0, "cr1": 1.0}))
    odds = headline.headline_odds(rows, weights)
    assert odds[4] < headline.STANDFIRST_ODDS_SHARE * odds[5]
    assert headline.pick_headline(rows, weights) == 5


def _best_headline(text: str) -> str:
    """The line the headline scorer takes over a page's first block of prose."""
    rules = segment_rules.default_rules()
    lines, kinds, _ = seg.page_lines(text, rules)
    plan = wp.plan_page(lines, kinds)
    return lines[headline.pick_headline(headline.headline_features(lines, plan.kinds, plan.spans[0][0], 0, rules))].text


def test_a_menu_of_furniture_words_or_glued_items_is_not_the_headline():
    body = [
        "Using a coding assistant to build a starfield with parallax started as a fun side project on a quiet weekend.",
        "Stars are basically white dots, and every game engine on earth has shipped a starfield of its own by now.",
        "The agent wrote the shader in minutes, then spent two days undoing its own shortcuts one by one.",
    ]
    blog = ["toby/hede", "Home Blog About", "tobyhede@GitHub", "Nov 30, 2025", "The seven habits of ineffective agents"]
    assert _best_headline("\n\n".join([*blog, *body]) + "\n") == "The seven habits of ineffective agents"
    glued = (
        "Our Data Sample Profile User Reviews Compare Versions Subscription Pricing Weekly Webinar IndustrySelect Blog"
    )
    top = [glued, "Top ten makers of household appliances", "Posted by IndustrySelect on Tuesday, August 29, 2023"]
    text = [
        "Looking for sales leads among the makers of household appliances? Our database lists every maker and its size.",
        "Homes and businesses cannot function without appliances, and ten makers build most of them in the country.",
        "The sector added jobs last year, and its makers expect the new smart appliances to sell well in the years ahead.",
    ]
    assert _best_headline("\n\n".join([*top, *text]) + "\n") == "Top ten makers of household appliances"
    assert headline._GLUED.search(glued) and not headline._GLUED.search("Posted by McDonald on YouTube")
    assert headline._furniture_share("Home Blog About") == 1.0
    assert headline._furniture_share("Top ten makers of household appliances") == 0.0


def test_every_candidate_has_every_feature_and_a_finite_score():
    lines, kinds, _ = seg.page_lines(
        whole_page("Flood wall to be finished two years early"), segment_rules.default_rules()
    )
    plan = wp.plan_page(lines, kinds)
    rows = headline.headline_features(lines, plan.kinds, plan.spans[0][0], 0, segment_rules.default_rules())
    assert rows and all(set(features) == set(headline.HEADLINE_FEATURES) for _, features in rows)
    assert all(abs(headline.headline_score(features)) < 1e6 for _, features in rows)
    assert lines[headline.pick_headline(rows)].text == "Flood wall to be finished two years early"


def test_headline_odds_sum_to_one_and_follow_the_scores():
    weights = {**dict.fromkeys(headline.HEADLINE_FEATURES, 0.0), "cr1": 2.0}
    odds = headline.headline_odds(_candidates((1, {}), (2, {"cr1": 1.0}), (3, {})), weights)
    assert abs(sum(odds.values()) - 1.0) < 1e-12
    assert odds[2] > odds[1] == odds[3]
    assert abs(odds[2] - math.exp(2.0) / (math.exp(2.0) + 2)) < 1e-12
    assert headline.headline_odds([], weights) == {}


def test_a_clear_headline_is_sure_and_three_rival_lines_are_a_close_call():
    clear = whole_page("Flood wall to be finished two years early")
    ((article,), _) = segment_page(clear)
    assert article.headline_odds > 0.9
    rivals = clear.replace(
        "By Ana Ruiz | March 4, 2024",
        "Engineers anchor the new flood wall in soft clay\n\nThe new flood wall will be finished two years early",
    )
    ((article,), _) = segment_page(rivals)
    assert article.headline_odds < 0.5  # three lines of about equal odds
    rival, number = article.runner_up
    lines = rivals.splitlines()
    assert lines[number - 1] == rival and rival != article.title
    assert {article.title, rival} <= {
        "Flood wall to be finished two years early",
        "Engineers anchor the new flood wall in soft clay",
        "The new flood wall will be finished two years early",
    }


ROSES = [
    "Roses are pruned in late winter, when the buds have begun to swell but before the new leaves open, "
    "so that each cut heals quickly.",
    "Start by taking out every dead, damaged or diseased cane at its base with clean, sharp secateurs, "
    "and burn what you remove.",
    "Then open the middle of the bush: canes that cross or rub against each other are cut back to an "
    "outward-facing bud.",
    "Shrub roses need only a light trim, while hybrid teas are cut back hard to four or five strong canes "
    "about a foot high.",
    "Climbers are trained rather than cut: tie the long canes along the wall and shorten only the side "
    "shoots that flowered last year.",
    "After pruning, feed the roses with a balanced fertiliser and spread a thick mulch of compost around their roots.",
    "Watch the new shoots in spring: aphids gather on the soft tips, and a jet of water from the hose is "
    "often enough to clear them.",
]
TELESCOPES = [
    "A first telescope should be easy to set up, because the one that stays in the cupboard shows you nothing at all.",
    "Binoculars are a fine start: a pair of seven by fifty shows the moons of Jupiter and thousands of faint stars.",
    "A small refractor with an aperture of three inches gives sharp views of the planets and needs almost no care.",
    "A Dobsonian reflector gathers far more light for the money and shows galaxies and nebulae from a dark site.",
    "Avoid telescopes sold by their magnification: above fifty times per inch of aperture the image only grows dimmer.",
    "Whatever you buy, learn the sky with a star chart first, since finding faint objects is harder than seeing them.",
    "Let the telescope cool outside for half an hour before you observe, or the warm air in its tube will "
    "blur every star.",
    "Keep a notebook of what you see each night, with the date and the seeing, and you will learn the sky "
    "faster than from any book.",
]
GARDEN_MENU = ["Roses and Climbers", "Fruit Trees", "Vegetable Beds", "Lawn Care", "Garden Tools"]
GARDEN_MENU += ["Ponds and Water", "Pests and Diseases", "Seasonal Jobs", "Ask the Gardener"]
SKY_MENU = ["Tonight's Sky", "Moon Phases", "Planet Guide", "Star Charts", "Telescope Reviews"]
SKY_MENU += ["Astrophotography Tips", "Dark Sky Sites", "Meteor Showers", "Ask an Astronomer"]
#: A footer without a copyright line: columns of links, a privacy policy, a sitemap.
LINKS_FOOTER = ["Our Experts", "Gardening Courses", "Gift Cards", "Advertise With Us", "Write for Us"]
LINKS_FOOTER += ["Help Centre", "Delivery Information", "Returns and Refunds", "Newsletter", "Follow us"]
LINKS_FOOTER += ["Gardening Club", "Seed Shop", "Press Office", "Affiliate Programme", "Our Partners"]
LINKS_FOOTER += ["Facebook", "Instagram", "Pinterest", "About us", "Privacy Policy", "Terms of Use", "Sitemap"]


def test_a_footer_of_links_and_the_next_pages_menus_end_a_page_without_a_copyright_line():
    """Two uncredited pages on different subjects, saved one after the other, whose footers have
    no copyright line: the footer's links and the next page's menus between them end the first."""
    roses = [*GARDEN_MENU, "How to prune roses in late winter", *ROSES, *LINKS_FOOTER]
    telescopes = [*SKY_MENU, "Choosing your first telescope", *TELESCOPES, *LINKS_FOOTER]
    articles, _ = segment_page("\n\n".join(roses + telescopes))
    assert [a.title for a in articles] == ["How to prune roses in late winter", "Choosing your first telescope"]
    assert list(articles[1].paragraphs) == TELESCOPES
    lines, kinds = page_lines("\n\n".join(roses + telescopes))
    plan = wp.plan_page(lines, kinds)
    assert len(wp.page_regions(lines, plan.kinds)) == 1  # no copyright line, no skip link
    # without a footer's legal link, as long a run of menus is a box inside one page
    no_links = [
        line if not pagebreaks._FOOTER_LINK.fullmatch(line) else f"Gardening Club {line[:3]}" for line in LINKS_FOOTER
    ]
    assert no_links != LINKS_FOOTER and len(no_links) == len(LINKS_FOOTER)
    articles, _ = segment_page("\n\n".join([*roses[: -len(LINKS_FOOTER)], *no_links, *telescopes]))
    assert len(articles) == 1


SEASONS = ("spring", "summer", "autumn", "winter", "year's")


def test_a_related_post_under_a_footer_of_links_is_not_a_page_of_its_own():
    """A block under the links is a page only when it is of some size beside the article
    above (:data:`~analysis.ingest.wholepage.SECOND_ARTICLE_SHARE`) and of another subject."""
    long_roses = [f"{paragraph[:-1]}, as the {season} notes say." for season in SEASONS for paragraph in ROSES]
    page = [*GARDEN_MENU, "How to prune roses in late winter", *long_roses, *LINKS_FOOTER, *SKY_MENU]
    related = ["Choosing your first telescope", *TELESCOPES]
    articles, _ = segment_page("\n\n".join([*page, *related]))
    assert [a.title for a in articles] == ["How to prune roses in late winter"]
    # a page's own section beyond the links speaks of its subject
    section = ["Pruning roses in summer", *(p.replace("late winter", "summer") for p in ROSES)]
    page = [*GARDEN_MENU, "How to prune roses in late winter", *ROSES, *LINKS_FOOTER, *SKY_MENU]
    articles, _ = segment_page("\n\n".join([*page, *section]))
    assert [a.title for a in articles] == ["How to prune roses in late winter"]


def test_a_credited_headline_under_a_copyright_line_starts_the_next_page():
    """A small blog's page opens with its headline and date, no menu: under the copyright line
    of the page before, that headline starts a page of its own."""
    first = [*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY, "© 2024 River News Ltd", "Back to top"]
    blog = ["Notes from the Observatory", "Choosing your first telescope", "December 3, 2024", *TELESCOPES]
    lines, kinds = page_lines("\n\n".join(first + blog))
    assert [lines[a].text for a, _ in wp.page_regions(lines, kinds)] == [MENU[0], "Back to top"]
    articles, _ = segment_page("\n\n".join(first + blog))
    assert [a.title for a in articles] == ["Flood wall to be finished early", "Choosing your first telescope"]


def test_comments_under_a_newsletter_post_without_menus_are_not_articles():
    """A newsletter platform's post has no menu, only its headline, date and body, then
    "Discussion about this post" and each reader's name, date and words: one article."""
    post = ["SubscribeSign in", "Choosing your first telescope", "Dec 3, 2024", "12", "Share", *TELESCOPES]
    comments = ["Discussion about this post", "CommentsRestacks", "Maria Gomez", "Dec 4"]
    comments += ["Thank you for this guide. I bought a small refractor last winter and I use it every clear night."]
    comments += ["Reply", "Share", "Tom Baker", "Dec 5"]
    comments += ["Binoculars were the best advice anyone gave me, and I still take them on every trip to the coast."]
    comments += [
        "Reply",
        "Share",
        "Ready for more?",
        "Subscribe",
        "© 2024 Notes from the Observatory · Privacy ∙ Terms",
    ]
    articles, removed = segment_page("\n\n".join(post + comments))
    assert [a.title for a in articles] == ["Choosing your first telescope"]
    assert list(articles[0].paragraphs) == TELESCOPES
    reasons = {r.text: r.reason for r in removed}
    assert reasons[comments[4]] is RemovalReason.COMMENT


@pytest.mark.parametrize("line", ["Opinion & Essays", "Photo Essays", "Essays", "Book Essays"])
def test_a_menu_item_ending_in_says_letters_is_not_a_comment_credit(line):
    """ "Essays" ends in the letters of "says": only the word makes a comment's credit."""
    assert not is_comment_credit(line)
    assert is_comment_credit("Jo Lee says:")


@pytest.mark.parametrize("header", ["3 Comments", "Leave a comment", "What do you think?"])
def test_one_comment_link_on_a_listing_without_menus_keeps_every_item(header):
    """A listing page with one comment count under an item is no article with its comments:
    only a comment section of two headers or more sends a page without menus to the
    whole-page reader."""
    text = (FIXTURES / "listings" / "metro_daily.txt").read_text(encoding="utf-8")
    before, _ = segment_page(text)
    lines = text.splitlines()
    middle = len(lines) // 2
    articles, _ = segment_page("\n".join([*lines[:middle], header, *lines[middle:]]))
    assert len(before) == 3 and len(articles) == len(before)


def test_readers_comments_under_a_discussion_header_do_not_continue_the_article():
    """A newsletter post with menus: its comment section's headers stand in a run of short lines."""
    comments = [
        "Great read, looking forward to the rest of the series on the river!",
        "This reminded me of the old flood wall by the mill, which the council built in 1998 and which "
        "stood for twenty years before the clay under it gave way in the winter storms of 2018.",
        "As a separate but related note, the engineers who anchored the mill wall said at the time "
        "that soft clay needs deep piles, so I would like to know what changed since then.",
    ]
    header = ["Share", "Discussion about this post", "Comments", "Dhara Yu", "4d", "Liked by Ana Ruiz"]
    text = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", *BODY, *header, *comments, *FOOTER])
    lines, kinds = page_lines(text)
    assert seg.comment_section_heads(lines, range(len(lines)))
    articles, _ = segment_page(text)
    assert [a.title for a in articles] == ["Flood wall to be finished early"]
    assert list(articles[0].paragraphs) == BODY


def test_an_element_dump_cut_at_a_list_item_dash_is_joined_but_a_signature_is_not():
    item = "– With the excellent hospitality in Japan, it might be tempting to give a tip at restaurants."
    lines = seg.split_lines(f"Tipping is not practiced in Japan\n{item}\nCarry your trash with you\n– Bins are rare.")
    assert [line.text for line in seg.rejoin_fragments(lines)] == [
        f"Tipping is not practiced in Japan {item}",
        "Carry your trash with you",
        "– Bins are rare.",  # a short aside after a dash stays a line of its own
    ]
    post = (
        "Yes this is real and the council spent half a million on it\n— Jo Lee (@jolee) with her friends, March 3, 2024"
    )
    assert len(seg.rejoin_fragments(seg.split_lines(post))) == 2
    ended = "The wall is finished.\n– With the excellent hospitality in Japan, it might be tempting to give a tip."
    assert len(seg.rejoin_fragments(seg.split_lines(ended))) == 2
    bullets = [
        "What the figures show",
        *(f"– Sales rose by {n} per cent in the third quarter of the year" for n in (3, 5, 7)),
    ]
    assert len(seg.rejoin_fragments(seg.split_lines("\n".join(bullets)))) == 4  # a list of dashed items stays a list


#: A browser's notice printed above the article, in the same run of paragraphs as its body.
OLD_BROWSER_NOTICE = (
    "We noticed that you are using an old web browser that is no longer supported, so some parts of "
    "this site may not work as they should. Please consider switching to a newer one."
)


def test_a_headline_under_a_notice_in_the_block_of_prose_is_the_title():
    """The notice opens the block of prose; the headline stands under it, not above the block."""
    text = "\n\n".join([*MENU, OLD_BROWSER_NOTICE, "Dismiss notification", "Flood wall to be finished early", *BODY])
    articles, removed = segment_page(text + "\n\n" + "\n\n".join(FOOTER))
    assert [a.title for a in articles] == ["Flood wall to be finished early"]
    assert articles[0].paragraphs[0] == LEDE
    assert OLD_BROWSER_NOTICE in {r.text for r in removed}


#: An anecdote opening a feature: its words are not the body's.
ANECDOTE = (
    "Last summer our reporter spent a week walking the towpath from the old mill to the sea, "
    "talking to anglers, lock keepers and the families who live on the boats."
)


@pytest.mark.parametrize(
    ("headline", "credit", "lede"),
    [
        ([], [], LEDE),
        (["Flood wall to be finished early"], [], LEDE),
        (["Flood wall to be finished early"], ["By Ana Ruiz"], LEDE),
        # an anecdote speaks of something else, but the line above it is a headline, not a menu's
        (["River stories"], [], ANECDOTE),
    ],
)
def test_a_lede_above_the_first_subheading_stays_the_article_opening(headline, credit, lede):
    """A lede of the story's own subject, or any block under a credit or under a line of text,
    opens the article: the subheading under it is no headline, even with no headline above (a
    listicle's far up)."""
    subheading = "What the engineers found in the clay"
    body = [lede, subheading, *BODY[1:], *NEXT_SECTION]
    text = "\n\n".join([*MENU, *headline, *credit, *body, *FOOTER])
    lines, kinds = page_lines(text)
    at = next(i for i, line in enumerate(lines) if line.text == lede)
    span = (at, next(i for i, line in enumerate(lines) if line.text == NEXT_SECTION[-1]))
    assert ap.article_head(lines, kinds, span, 0, segment_rules.default_rules()).start == at
    articles, _ = segment_page(text)
    assert len(articles) == 1 and articles[0].paragraphs[0] == lede
    if headline:
        assert articles[0].title == headline[0]


def newsletter_post(label: str, headline_line: str, deck: str) -> str:
    """A newsletter's post as its platform prints it: the letter's name, buttons, a label or
    headline, a deck, the author, the date, counters and a share button, the body, then the
    platform's menu and footer."""
    top = ["River Letters", "SubscribeSign in", label, headline_line, deck, "Ana Ruiz", "Mar 4, 2024"]
    return "\n\n".join([*top, "589", "149", "Share", *BODY, *MENU, *FOOTER])


def test_a_newsletter_deck_between_headline_and_author_is_not_the_title():
    """The deck ("A value-first playbook ...") sits right above the author and shares more words
    with the story; the headline above it is the title."""
    deck = "What the river authority found in the clay of the east bank and why it matters to residents"
    articles, _ = segment_page(newsletter_post("", "Flood wall to be finished early", deck))
    assert [a.title for a in articles] == ["Flood wall to be finished early"]
    lines, kinds = page_lines(newsletter_post("", "Flood wall to be finished early", deck))
    at = next(i for i, line in enumerate(lines) if line.text == deck)
    body = next(i for i, line in enumerate(lines) if line.text == LEDE)
    rows = headline.headline_features(lines, kinds, body, 0, segment_rules.default_rules())
    assert headline._reads_as_deck(dict(rows)[at])


@pytest.mark.parametrize(
    ("label", "headline_line"),
    [
        # a section label over a headline written as a phrase: the label is no headline
        ("Infrastructure", "The flood wall on the east bank will be finished two years early"),
        # a headline in title case is no deck, whatever stands above it
        ("Letters From The River", "Flood Wall On The East Bank Will Be Finished Two Years Early"),
    ],
)
def test_a_line_under_a_label_is_not_taken_for_a_deck(label, headline_line):
    articles, _ = segment_page(newsletter_post(label, headline_line, ""))
    assert [a.title for a in articles] == [headline_line]


HOTEL_SECTIONS = [
    (
        "Use a trouser hanger",
        "A trouser hanger clips the curtains together so that no sliver of morning sun wakes you early.",
    ),
    (
        "Keep the power on",
        "Ask for two key cards at check-in and leave one in the slot, so the room stays cool while you are out.",
    ),
    (
        "Pack your favourite tea",
        "Hotels rarely stock the tea you like, so a few bags in the side pocket of your case make the morning.",
    ),
    (
        "Dry your washing on the towel rack",
        "The heated towel rack dries a shirt overnight, which saves a bag of laundry on a long trip.",
    ),
    (
        "Turn the shower into a steamer",
        "Hang a creased jacket in the bathroom while the shower runs hot, and the steam takes out the folds.",
    ),
    (
        "Ask for a room away from the lift",
        "Rooms at the end of the corridor are quieter at night, and the desk will often move you if you ask.",
    ),
]


def hotel_guide(introduction: int) -> list[str]:
    """An article with no credit: its headline, ``introduction`` paragraphs, then short sections under subheadings."""
    lines = [*MENU, "Hotel stays made easy", *BODY[:introduction]]
    for heading, paragraph in HOTEL_SECTIONS:
        lines += [heading, paragraph]
    return [*lines, *FOOTER]


def test_a_guide_that_opens_with_an_introduction_is_no_list_of_teasers():
    """Short sections under subheadings read like teasers with their summaries; a block that
    opens with paragraphs of its own before the first subheading is an article (a listicle)."""
    lines, kinds = page_lines("\n\n".join(hotel_guide(3)))
    (block,) = wp.prose_blocks(lines, kinds)
    assert not wp.is_teaser_list(lines, kinds, *block)
    # with a box of prose beside it, the guide is still the page's article, not the box
    about = ["About the writer", *SECOND_BODY[:2]]
    page = [*hotel_guide(3)[: -len(FOOTER)], *SECOND_MENU, *about, *FOOTER]
    articles, _ = segment_page("\n\n".join(page))
    assert [a.title for a in articles] == ["Hotel stays made easy"]
    assert list(articles[0].paragraphs)[-1] == HOTEL_SECTIONS[-1][1]
    # one paragraph before the first subheading: a teaser's summary, as on a list of teasers
    lines, kinds = page_lines("\n\n".join(hotel_guide(1)))
    (block,) = wp.prose_blocks(lines, kinds)
    assert wp.is_teaser_list(lines, kinds, *block)


EAST_BANK = [
    "The walk starts at the old mill and follows the towpath for three miles, past the allotments "
    "and the boatyard, to the lock keeper's cottage where the cafe opens at nine.",
    "Allow two hours at an easy pace; the path is flat and firm, and the benches along the bank "
    "look across to the water meadows, where herons stand in the shallows most mornings.",
]


def test_a_numbered_item_with_a_date_under_it_stays_in_its_list_article():
    """An item of a list article ("2. The pier at low tide") with a date under its heading
    looks like a new article's credited headline past the box between them; it is the list's
    next item, and its heading and text join the article above."""
    sidebar = [*SECOND_MENU, *MENU]  # a box of links between the items
    item = ["2. The pier at low tide", "Updated March 5, 2024", *SECOND_BODY, EAST_BANK[1]]
    page = [*MENU, "Ten walks along the river", "By Ana Ruiz | March 4, 2024", "1. The east bank", *BODY, *EAST_BANK]
    articles, _ = segment_page("\n\n".join([*page, *sidebar, *item, *FOOTER]))
    assert [a.title for a in articles] == ["Ten walks along the river"]
    assert SECOND_BODY[0] in articles[0].paragraphs and BODY[0] in articles[0].paragraphs
    assert "Updated March 5, 2024" not in articles[0].paragraphs
    # a second page's headline is no numbered item: two articles, as before
    other = ["The pier at low tide", *item[1:]]
    articles, _ = segment_page("\n\n".join([*page, *sidebar, *other, *FOOTER]))
    assert [a.title for a in articles] == ["Ten walks along the river", "The pier at low tide"]
    # nor does a signed story whose headline opens with a number ("1. FC Köln ...")
    signed = ["1. FC Köln sign a new striker from Mainz", "By Tom Baker | March 5, 2024", *item[2:]]
    articles, _ = segment_page("\n\n".join([*page, *sidebar, *signed, *FOOTER]))
    assert [a.title for a in articles] == ["Ten walks along the river", signed[0]]
    # nor does a numbered headline of a page saved after the first one's footer join that one
    articles, _ = segment_page("\n\n".join([*page, *FOOTER, *sidebar, *item, *FOOTER]))
    assert [a.title for a in articles] == ["Ten walks along the river", "2. The pier at low tide"]


def test_a_newsletter_post_without_menus_is_read_whole():
    """A post saved from a newsletter platform has no menus, so it is not read as a page saved
    whole at first; its headline stands above a deck, the author and the date. With one article
    found, the page is read whole, and the headline is chosen among the lines above the body."""
    head = ["SubscribeSign in", "Flood wall to be finished early"]
    head += ["The river authority has found a cheaper way to build", "Ana Ruiz", "Mar 04, 2024", "Share"]
    page = "\n\n".join([*head, *BODY, "Thanks for reading!"])
    lines, kinds = page_lines(page)
    assert "navigation" not in kinds
    articles, removed = segment_page(page)
    assert [a.title for a in articles] == ["Flood wall to be finished early"]
    assert list(articles[0].paragraphs)[: len(BODY)] == BODY
    assert len({(r.number, r.text) for r in removed}) == len(removed)  # each removed line reported once


def wall_paragraphs(n: int) -> list[str]:
    """``n`` different paragraphs about the flood wall, one subject with the article's opening."""
    parts = ["anchors", "pumps", "gates", "footings", "drains", "railings", "lights", "steps"]
    return [
        f"The {parts[i % len(parts)]} of section {i + 1} of the flood wall were checked by the river authority's "
        f"engineers in week {i + 2}, and the east bank residents were told the wall would hold the river in a flood."
        for i in range(n)
    ]


def test_an_article_cut_by_a_long_list_keeps_its_credited_opening():
    """The opening under a credited headline, a list too long to bridge, then the article's
    longer part without a credit of its own: one article, not two, headed by the headline."""
    # a table dumped a cell to a line (navigation), a note in it: too long to bridge
    cells = [f"{month} {year}" for year in (2021, 2022) for month in ("January", "April", "July", "October")]
    note = "All dates are those of the authority's monthly reports, which are published on its website."
    page = [*MENU, "How the flood wall was built", "By Ana Ruiz | March 4, 2024", *BODY, *EAST_BANK]
    page += [*cells, note, *cells[::-1], "After the works", *wall_paragraphs(20), *FOOTER]
    lines, kinds = page_lines("\n\n".join(page))
    plan = wp.plan_page(lines, kinds)
    assert len(plan.spans) == 1
    articles, _ = segment_page("\n\n".join(page))
    assert [a.title for a in articles] == ["How the flood wall was built"]
    assert BODY[0] in articles[0].paragraphs and wall_paragraphs(20)[-1] in articles[0].paragraphs
    # a longer text on another subject below the box is no part of the article
    bakery = [
        f"The bakery on Mill Street sold {100 + i} loaves of rye bread on market day number {i + 1}, and its "
        "owner plans a second oven for the summer when the tourists come for the cheese fair."
        for i in range(20)
    ]
    other = [*page[: page.index("After the works")], "The bakery", *bakery, *FOOTER]
    lines, kinds = page_lines("\n\n".join(other))
    assert len(wp.plan_page(lines, kinds).spans) == 2
    # nor is one with a credited headline of its own, or past another story's credited headline
    at = page.index("After the works")
    credited = [*page[:at], "After the works", "By Sam Okafor | March 5, 2024", *page[at + 1 :]]
    lines, kinds = page_lines("\n\n".join(credited))
    assert len(wp.plan_page(lines, kinds).spans) == 2
    dated = [*page[:at], "March 5, 2024", "Harbour pier reopens after the repairs", *page[at:]]
    lines, kinds = page_lines("\n\n".join(dated))
    assert len(wp.plan_page(lines, kinds).spans) == 2


def test_a_page_without_menus_keeps_the_body_that_a_long_log_cuts_in_two():
    """Read whole, a page's body cut by a long run of short lines (a log, a code listing) loses
    its part below them; when both readings agree on the headline and the whole reading holds
    less than :data:`~analysis.ingest.segment.MIN_WHOLE_READING_SHARE` of the words, the
    listing reader's article is kept."""
    gauges = ["Mill", "Quay", "Weir", "Lock", "Ford", "Bridge", "Marsh", "Pier", "Dock", "Gate"]
    log = [f"Gauge at {name} read {i + 1} metres." for i, name in enumerate(gauges * 2)]
    page = "\n\n".join(["Flood wall to be finished early", "By Ana Ruiz | March 4, 2024", *BODY, *log, *EAST_BANK])
    lines, kinds = page_lines(page)
    (whole,), _ = wp.read_whole_page(lines, kinds, segment_rules.default_rules())
    assert EAST_BANK[-1] not in whole.paragraphs  # the whole-page reader stops at the log
    (article,), _ = segment_page(page)
    assert article.title == "Flood wall to be finished early"
    assert list(article.paragraphs)[-1] == EAST_BANK[-1]


def test_a_table_of_long_cells_does_not_cut_an_article():
    """A table dumped a row to a line, each row a long phrase without a full stop, is no prose
    between an article's sections: the section below joins when it speaks of the article's
    subject, as it would across short cells."""
    cells = [
        f"Row {i + 1}: concrete footings poured in spring, steel anchors set deep in the clay, railings "
        "fitted along the top in late summer"
        for i in range(14)
    ]
    page = [*MENU, "Flood wall to be finished early", "By Ana Ruiz | March 4, 2024", *BODY, *EAST_BANK, *cells]
    page += [*wall_paragraphs(4), *FOOTER]
    lines, kinds = page_lines("\n\n".join(page))
    assert all(kinds[i] == "text" for i, line in enumerate(lines) if line.text.startswith("Row"))
    assert len(wp.prose_blocks(lines, kinds)) == 2
    (article,), _ = segment_page("\n\n".join(page))
    assert article.title == "Flood wall to be finished early"
    assert wall_paragraphs(4)[-1] in article.paragraphs


def test_the_next_story_past_a_box_is_not_a_section_even_under_a_long_headline():
    """Past a "Most read" box, a story on a near subject under a long headline that is no
    sentence, with a byline of its own, is the next story, not a section of the article above."""
    most_read = ["Most read", "Bridge closed for repairs until May", "New ferry timetable starts on Friday"]
    most_read += ["Council backs plan for riverside park", "Fishing ban lifted on the upper river"]
    most_read += ["Market square to close for a week", "Rowing club wins the regional cup"]
    most_read += ["Police appeal after break-in at the boatyard", "Roadworks on the high street"]
    most_read += ["School choir to sing at the cathedral", "New cafe opens by the lock", "Advertisement"]
    headline = "Harbour board asks river authority to share flood wall plans with the fishermen of the east bank"
    story = [
        "The harbour board met the fishermen of the east bank on Tuesday to talk about the pier, the river and the boats.",
        "Boat owners said the river had changed since the floods and asked the board to dredge the channel before summer.",
        "The board said it would write to the authority about the flood wall and the new gates near the harbour mouth.",
        "A second meeting will be held in May at the harbour office, where the plans are on show to the public.",
        "Several skippers said the silt left by the floods had already cost them a season of fishing in the estuary.",
        "The board's chairman said dredging would cost more than the harbour earns in a year from its moorings.",
        "He said the board would ask the government for a grant and talk to the council about the fees.",
        "The fishermen plan to hold their own meeting at the sailing club next week to agree what to ask for.",
    ]
    page = [*MENU, "Flood wall to be finished early", "By Ana Ruiz | March 4, 2024", *BODY, *wall_paragraphs(2)]
    page += [*most_read, headline, "By Sam Okafor", *story, *FOOTER]
    articles, _ = segment_page("\n\n".join(page))
    assert [a.title for a in articles] == ["Flood wall to be finished early", headline]
    assert [a.byline for a in articles] == ["Ana Ruiz", "Sam Okafor"]


def test_an_embedded_post_s_date_is_no_headline_s_credit():
    post = ["A crowd of hundreds waited at the gates of the new pier", "— River News (@RiverNews)", "December 22, 2023"]
    lines, kinds = page_lines("\n\n".join([*BODY[:2], *post, *BODY[2:]]))
    date = next(i for i, line in enumerate(lines) if line.text == "December 22, 2023")
    assert kinds[date] == "date"
    assert not wp._headline_with_credit(lines, kinds, date)
    story = [post[0], "By Sam Okafor", post[2]]  # a headline with its byline and date: the next story
    lines, kinds = page_lines("\n\n".join([*BODY[:2], *story, *BODY[2:]]))
    date = next(i for i, line in enumerate(lines) if line.text == "December 22, 2023")
    assert wp._headline_with_credit(lines, kinds, date)


@pytest.mark.parametrize(
    ("shown", "title"),
    [
        # a kicker or a notice ending in a colon is no part of the headline under it
        ("Analysis:\n\nFlood wall to be finished two years early", "Flood wall to be finished two years early"),
        (
            "Breaking news update:\n\nFlood wall to be finished two years early",
            "Flood wall to be finished two years early",
        ),
    ],
)
def test_a_kicker_ending_in_a_colon_is_no_part_of_the_headline(shown, title):
    articles, _ = segment_page(whole_page(shown))
    assert [a.title for a in articles] == [title]
    assert list(articles[0].paragraphs) == BODY


@pytest.mark.parametrize(
    ("under", "joined"),
    [
        ("Building Portfolios That Sell", True),
        ("Ana Ruiz", False),  # a bare byline
        ("River News Staff", False),
        ("Words and pictures by Ana Ruiz", False),
        ("Listen to this article", False),
        ("Engineers say the wall will stand for a century", False),  # a standfirst
        ("March 4, 2024", False),
    ],
)
def test_the_line_under_a_headline_ending_in_a_colon_joins_it_only_as_its_rest(under, joined):
    text = "\n".join(["Web Design for Creative Agencies:", under, LEDE])
    lines, kinds = page_lines(text)
    assert ap.headline_lines(lines, kinds, 0, 2) == ((0, 1) if joined else (0,))
    assert ap.headline_lines(lines, kinds, 1, 2) == (1,)  # a line ending in a colon above is left alone


def test_a_numbered_item_joining_the_article_above_keeps_its_broken_headline_in_order():
    article = ap.ArticlePiece(lines=[0, 1, 2], headline=0, byline=None, trailer={}, end=2)
    item = ap.ArticlePiece(lines=[5, 6, 7, 8], headline=5, byline=None, trailer={}, end=8, title_lines=(5, 6))
    lines, kinds = page_lines("\n".join(["x"] * 9))
    assert ap._with_item(article, item, kinds).lines == [0, 1, 2, 5, 6, 7, 8]


#: Headlines of other stories on the article's subject, in sentence case and naming nothing.
SAME_SUBJECT_HEADLINES = [
    "How the flood wall will change the view of the river",
    "What residents of the east bank can expect from the works",
    "Why engineers chose to anchor the wall in the soft clay",
    "The road along the bank to close for the summer",
    "When the river authority will publish the final plans",
]


@pytest.mark.parametrize("heading", ["Read more", "More on this story", "Most popular"])
def test_a_box_of_headlines_under_a_heading_of_links_is_no_list_of_the_text(heading):
    text = "\n\n".join(
        [*MENU, "Flood wall to be finished early", "By Ana Ruiz", BODY[0], heading, *SAME_SUBJECT_HEADLINES, *BODY[1:]]
    )
    lines, kinds = page_lines(text)
    box = {i for i, line in enumerate(lines) if line.text in SAME_SUBJECT_HEADLINES and kinds[i] == "navigation"}
    assert len(box) >= seg.NAVIGATION_RUN - 1
    assert not box & ap.body_lists(lines, kinds, 0, len(lines))


def test_a_tag_list_in_lower_case_is_no_list_of_the_text():
    tags = ["flooding", "river authority", "east bank", "flood wall", "local government", "climate adaptation"]
    text = "\n\n".join([*MENU, "Flood wall to be finished early", "By Ana Ruiz", BODY[0], *tags, *BODY[1:]])
    lines, kinds = page_lines(text)
    assert sum(kinds[i] == "navigation" for i, line in enumerate(lines) if line.text in tags) >= seg.NAVIGATION_RUN
    assert not ap.body_lists(lines, kinds, 0, len(lines))
