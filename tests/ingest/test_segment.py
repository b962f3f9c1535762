"""Segmentation: the default seed article by article, a second site format, and the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.ingest import rules as segment_rules
from analysis.ingest import segment as seg
from analysis.ingest.corpus import load_articles
from analysis.ingest.recognise import count_words
from analysis.paths import SEEDS

SEED = SEEDS / "000_117e1a02a6deec84.txt"
FIXTURES = Path(__file__).parents[1] / "fixtures"
TAGS_COMMON = ("MEK", "Mujahedin-e Khalq", "National Council of Resistance of Iran (NCRI)", "NCRI", "PMOI")

# One row per article of the seed, checked by reading the file: exact title, tags and byline,
# the first and last body paragraph's opening words, the number of body paragraphs, and the
# captions (each once, in order).
SEED_ARTICLES = [
    {
        "title": "Maryam Rajavi Speaks at Celebration of MEK’s Founding",
        "tags": ("1988 Massacre", "Ashraf 3", "Maryam Rajavi", "Massoud Rajavi", "MEK", "MEK Abania") + TAGS_COMMON[1:],
        "byline": "Staff Writer",
        "first": "Friday will mark the 54th anniversary",
        "last": "“They are capable of leading Iran towards freedom, prosperity, and progress,” she concluded.",
        "paragraphs": 39,
        "captions": [
            "Maryam Rajavi Participate in a ceremony at Ashraf3",
            "The President-elect Maryam Rajavi, speaking at Ashraf 3,",
            "Massoud-Rajavi, the historical leader of the Iranian Opposition.",
            "Maryam Rajavi, the President-elect of the National Council",
        ],
    },
    {
        "title": "MEK:\u00a0 Harbinger of hope for a democratic future in Iran",
        "tags": (
            "Founders of MEK",
            "Maryam Rajavi",
            "Massoud Rajavi",
            "MEK",
            "Mujahedin-e Khalq",
            "People's Mojahedin organization of Iran",
            "PMOI",
        ),
        "byline": "Staff writer",
        "first": "Fifty- four years ago, the People’s Mujahedin Organization",
        "last": "Now, 54 years later, the MEK, as the largest",
        "paragraphs": 8,
        "captions": [
            "The founders of the Peoples Mojahedin Organization of Iran (PMOI / MEK)",
            "Mohammad Hanifnejad, Saeed Mohsen and Ali Asghar Badizadegan founded",
            "Trial of MEK members in1972",
            "The members and leaders of PMOI/MEK become widely known",
            "MEK peaceful demonstration in Tehran-May 2, 1981",
            "Archive photo: The “Mothers” demonstration",
        ],
    },
    {
        "title": "MEK-Iran: Iranian regime’s hollow shows of force burst every day",
        "tags": ("Free Iran rally", "Iran Protests", "Iran Regime Change", "Maryam Rajavi", "MEK", "MEK Support")
        + TAGS_COMMON[1:],
        "byline": "Staff writer",
        "first": "The Iranian dictatorship needs to demonstrate a hollow show of force",
        "last": "It would be wise for Western countries",
        "paragraphs": 11,
        "captions": [
            "Tens of thousands of MEK supporters in Berlin Free Iran Rally",
            "Free Iran Rally in Berlin- Over ten thousands supporters of MEK",
        ],
    },
    {
        "title": "Zarif, Soleimani: Two Sides of the Same Coin",
        "tags": ("General Qasem Soleimani", "Iran Diplomat Terrorist", "Iran Terrorism", "Javad Zarif") + TAGS_COMMON,
        "byline": "Staff writer",
        "first": "In unprecedented remarks, the Iranian regime’s Foreign Minister",
        "last": "Zarif’s remarks, as well as decades of experience",
        "paragraphs": 7,
        "captions": ["Zarif and Soleimani", "Archive photo- Iranian regime foreign minister Javad Zarif"],
    },
    {
        "title": "Assembly of Experts Member: The People Dislike Us",
        "tags": ("#IranRegimeChange", "Iran Economy", "MEK", "Mujahedin-e Khalq", "PMOI", "Regime Change"),
        "byline": "Staff writer",
        "first": "A member of the regime’s Assembly of Experts stated the obvious",
        "last": "Of course, people dislike the mullahs.",
        "paragraphs": 13,
        "captions": [
            "protesting against Iranian regime",
            "Scenes of the Iranian people protesting the mullahs’ rule",
            "The poor economic situation in Iran",
            "Archive Photo- Long ques for purchasing rationed meat in Iran- Tehran",
        ],
    },
    {
        "title": "Maryam Rajavi: Regime Must Be Held Accountable for 1988 Massacre",
        "tags": ("1988 Massacre", "Assadollah Assadi", "Human Rights", "Iran Diplomat Terrorist", "Maryam Rajavi")
        + TAGS_COMMON,
        "byline": "Staff writer",
        "first": "Mrs. Maryam Rajavi, President-elect of the National Council of Resistance of Iran (NCRI), delivered",
        "last": "“And the world must recognize the Iranian people’s right to resist",
        "paragraphs": 22,
        "captions": ["Paris District 1 City Hall conference", "Paris District 1 City Hall conference “Iran: Massacred"],
    },
    {
        "title": "Paying tribute to victims of Sep 1 massacre of MEK members in Ashraf, Iraq",
        "tags": (
            "Camp Ashraf",
            "Human Rights",
            "Maryam Rajavi",
            "Massoud Rajavi",
            "MEK",
            "Mujahedin-e Khalq",
            "National Council of Resistance of Iran (NCRI)",
            "PMOI",
        ),
        "byline": "Staff writer",
        "first": "This September 1 marks the sixth anniversary of the 2013\u00a0Camp\u00a0Ashraf\u00a0massacre.",
        "last": "During the past six years, MEK supporters inside Iran have held ceremonies",
        "paragraphs": 11,
        "captions": [
            "52 were massacred in Ahsraf",
            "52 unarmed residents, members of MEK, were slaughtered in Camp Ashraf on 1st Sep 2013",
            "perpetrators of Massacre in Ahsraf",
            "Iraqi forces at the behest of Iranian regime killed 52 residents of Camp Ashraf in 2013",
            "Supporters of MEK",
            "Supporters of MEK commemorate 1 Sep victims in Tehran, Iran",
        ],
    },
    {
        "title": "International Day of the Victims of Enforced Disappearances and Iran’s 1988 Massacre",
        "tags": (
            "1988 Massacre",
            "Ashraf 3",
            "Free Iran Gathering",
            "Human Rights",
            "International Day of the Victims of Enforced Disappearances",
            "Iran human rights",
            "MEK",
            "MEK Albania",
        )
        + TAGS_COMMON[1:],
        "byline": "Staff writer",
        "first": "August 30th marks the International Day of the Victims of Enforced Disappearances.",
        "last": "The time has come for the United Nations to launch",
        "paragraphs": 13,
        "captions": ["1988 massacre in Iran", "30000 political prisoners mainly MEK members massacred in 1988 in Iran"],
    },
    {
        "title": "Europe Should Support MEK, Says Irish Lawmaker",
        "tags": ("Iran Opposition", "Iran Protests", "Maryam Rajavi", "Massoud Rajavi", "MEK", "MEK Support", "PMOI"),
        "byline": "Staff writer",
        "first": "The Iranian regime poses a threat to peace and stability",
        "last": "Workers and pensioners also held a number of protests",
        "paragraphs": 21,
        "captions": [
            "Former MP from Ireland, speaking at MEK's Free Iran rally in Stockholm",
            "Former Irish Minister and member of the parliament, Mr. John Perry",
        ],
    },
    {
        "title": "New Iran HRM Report Details Regime Cover-up of Enforced Disappearances of MEK members",
        "tags": ("1988 Massacre", "Human Rights", "Iran human rights") + TAGS_COMMON,
        "byline": "Staff Writer",
        "first": "The Iranian regime has a long and brutal history",
        "last": "“U.N. member states must use every opportunity",
        "paragraphs": 48,
        "captions": [
            "A monument on the massacre of the political prisoners in Iran",
            "A monument on the 1988 massacre of the 30,000 political prisoners",
            "MEK peaceful rally-More than a half million MEK (PMOI) supporters",
            "The number of victims made individual burial impossible",
            "Mass grave of MEK members executed in 1988",
            "Khavaran- A site of a mass grave",
        ],
    },
]
CHROME_LINES = {"please follow and like us:", "continue reading", "staff writer", "mek political platform"}


@pytest.fixture(scope="module")
def seed_articles():
    return load_articles([SEED])


def test_seed_has_ten_articles(seed_articles):
    assert len(seed_articles) == len(SEED_ARTICLES) == 10


@pytest.mark.parametrize("position", range(10))
def test_seed_article(seed_articles, position):
    article, expected = seed_articles[position], SEED_ARTICLES[position]
    assert article.title == expected["title"]
    assert article.tags == expected["tags"]
    assert article.byline == expected["byline"]
    assert article.paragraphs[0].startswith(expected["first"])
    assert article.paragraphs[-1].startswith(expected["last"])
    assert len(article.paragraphs) == expected["paragraphs"]
    assert len(article.captions) == len(expected["captions"])
    for caption, start in zip(article.captions, expected["captions"]):
        assert caption.startswith(start)
    assert article.position == position
    assert article.source == "seeds/000_117e1a02a6deec84.txt"


@pytest.mark.parametrize("position", range(10))
def test_seed_body_holds_no_caption_byline_or_chrome(seed_articles, position):
    article = seed_articles[position]
    folded = {seg.normalise_line(p) for p in article.paragraphs}
    assert not folded & CHROME_LINES
    assert not set(article.paragraphs) & set(article.captions)
    assert article.title not in article.paragraphs
    assert not any(p.startswith(("Archive photo", "Archive Photo", "Copyright")) for p in article.paragraphs)


def test_seed_keeps_subheadings_in_the_body(seed_articles):
    assert "Founders and Leaders" in seed_articles[0].paragraphs
    assert "The MEK’s Message Today" in seed_articles[0].paragraphs  # a subheading above an image, not its caption
    assert "Honoring the memory of the victims in Iran" in seed_articles[6].paragraphs


def test_seed_removed_lines_are_reported(seed_articles):
    reasons = {r.reason for a in seed_articles for r in a.removed}
    assert {"tags", "byline", "chrome", "caption", "related link"} <= reasons
    links = [r.text for a in seed_articles for r in a.removed if r.reason == "related link"]
    assert links == ["Mek Political Platform", "MEK-Iran: Protests inside Iran Increase despite Regime Suppression"]
    footer = [r.text for r in seed_articles[-1].removed if r.reason == "chrome"]
    assert "Copyright © 2018 MEK-Iran.com. All Rights Reserved" in footer


HARBOUR = [
    {
        "title": "Port expansion approved after two-year review",
        "byline": "Jane Doe",
        "date": "March 3, 2021",
        "tags": ("port", "council", "environment"),
        "captions": ("Photo: Cranes at the northern container terminal at dawn.",),
        "paragraphs": 3,
    },
    {
        "title": "Fishermen’s cooperative reports record catch",
        "byline": "John Roe",
        "date": "March 2, 2021",
        "tags": ("fishing", "herring"),
        "captions": (),
        "paragraphs": 2,
    },
    {
        "title": "Council votes to restore the old swing bridge",
        "byline": "Ana Lima",
        "date": "March 1, 2021",
        "tags": (),
        "captions": (),
        "paragraphs": 2,
    },
]


def test_second_site_format(fixtures):
    articles = load_articles([fixtures / "pages" / "harbour_gazette.txt"])
    assert len(articles) == len(HARBOUR)
    for article, expected in zip(articles, HARBOUR):
        for key in ("title", "byline", "date", "tags", "captions"):
            assert getattr(article, key) == expected[key], key
        assert len(article.paragraphs) == expected["paragraphs"]
        for paragraph in article.paragraphs:  # no chrome reached a body
            assert count_words(paragraph) >= 10, paragraph
    removed = {r.text: r.reason for a in articles for r in a.removed}
    assert removed["Related posts"] == "related link"
    assert removed["- Herring quotas raised for 2021"] == "related link"
    assert removed["Advertisement"] == "chrome"
    assert removed["We use cookies to improve your experience. By continuing you accept our cookie policy."] == "chrome"
    assert removed["Ferry timetable changes from April"] == "not an article"
    assert removed["The Harbour Gazette"] == "not an article"


def test_line_repeated_across_pages_is_template(tmp_path):
    body = "This is a paragraph of body text that runs well past the limit for headings in this test."
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(f"Site slogan here\n\nHeadline {name}\n\n{body}\n", encoding="utf-8")
    articles = load_articles([tmp_path])
    assert [a.title for a in articles] == ["Headline a", "Headline b", "Headline c"]
    assert all(r.reason in ("chrome", "not an article") for a in articles for r in a.removed)
    assert all("Site slogan here" in {r.text for r in a.removed} for a in articles)


def test_user_chrome_pattern_removes_a_line():
    page = "Headline of the story\n\nA first paragraph that is long enough to be body text for sure.\n\nPromoted by Acme\n\nA second paragraph that is also long enough to be body text here.\n"
    (plain,), _ = seg.segment_page(page, segment_rules.default_rules())
    assert "Promoted by Acme" in plain.paragraphs
    (custom,), _ = seg.segment_page(page, segment_rules.default_rules(["promoted by .*"]))
    assert "Promoted by Acme" not in custom.paragraphs
    assert len(custom.paragraphs) == 2


def test_bad_user_pattern_names_the_rule():
    with pytest.raises(ValueError, match="not a valid regular expression"):
        segment_rules.default_rules(["chrome: (unclosed"])


def test_page_without_articles_has_no_segments():
    segments, removed = seg.segment_page("Home | News | About\n\nSubscribe to our newsletter\n\n© 2020 example.com\n")
    assert segments == []
    assert {r.reason for r in removed} == {"chrome"}


def test_split_lines_counts_blank_lines():
    lines = seg.split_lines("a\r\n\r\nb\n\n\n\nc\rd")
    assert [(l.text, l.number, l.blanks_before, l.blanks_after) for l in lines] == [
        ("a", 1, 0, 1),
        ("b", 3, 1, 3),
        ("c", 7, 3, 0),
        ("d", 8, 0, 0),
    ]


def test_caption_before_image_gap_and_caption_title():
    body = seg.split_lines(
        "First paragraph of the article, which is long enough to count as body text.\n\n"
        "Mass grave of members executed in 1988\n\n"
        "Khavaran- a site of a mass grave for some of the members executed in 1988\n\n\n\n\n"
        "Second paragraph of the article, which is also long enough to be body text.\n"
    )
    assert seg.find_captions(body, segment_rules.default_rules()) == {1, 2}


def test_title_case_subheading_above_a_caption_is_kept():
    body = seg.split_lines(
        "First paragraph of the article, which is long enough to count as body text.\n\n"
        "The Message Today\n\n"
        "Maryam Rajavi, entering the founding ceremony of the organization (MEK)\n\n\n\n\n"
        "Second paragraph of the article, which is also long enough to be body text.\n"
    )
    assert seg.find_captions(body, segment_rules.default_rules()) == {2}


PARAGRAPH = "First paragraph of the article, which is long enough to count as body text."
CLOSING = "Second paragraph of the article, which is also long enough to be body text."


def test_a_list_of_phrases_between_paragraphs_is_no_run_of_captions():
    items = [
        "Discuss budget and size with the family",
        "Choose a range of dates for the wedding day",
        "Research and book a venue after touring a few",
        "Hire a planner or a coordinator for the day itself",
        "Book an officiant and make sure the date is held",
    ]
    body = seg.split_lines("\n\n".join([PARAGRAPH, *items, CLOSING]) + "\n")
    assert seg.find_captions(body, segment_rules.default_rules()) == set()


@pytest.mark.parametrize(
    ("between", "captions"),
    [
        # a subheading, then a caption's title over its caption
        (
            ["What happens next", "Anchoring the wall", "Engineers drive anchors into the soft clay of the east bank"],
            {2, 3},
        ),
        # two pictures in a row, each a title over its caption
        (
            [
                "Anchoring the wall",
                "Engineers drive anchors into the soft clay of the east bank",
                "The old wall",
                "The wall that failed in the floods of 2019 stood two metres lower",
            ],
            {1, 2, 3, 4},
        ),
    ],
)
def test_captions_beside_a_short_line_are_still_captions(between, captions):
    body = seg.split_lines("\n\n".join([PARAGRAPH, *between, CLOSING]) + "\n")
    assert seg.find_captions(body, segment_rules.default_rules()) == captions


def test_a_box_of_headlines_naming_people_is_no_list():
    # two caption titles over their captions, as before a list was told apart
    headlines = [
        "More from the stadium",
        "Behind a healthy line, Seahawks running back Kenneth Walker is hitting his stride",
        "Three-star signee",
        "Three-star signee Khmori House withdraws from the transfer portal to stay at Washington",
    ]
    body = seg.split_lines("\n\n".join([PARAGRAPH, *headlines, CLOSING]) + "\n")
    assert seg.find_captions(body, segment_rules.default_rules()) == {1, 2, 3, 4}


def test_near_duplicate_paragraph_is_a_caption():
    body = seg.split_lines(
        "Peaceful rally-More than a half million supporters attended a rally in Tehran on June 20, 1981, to protest.\n\n"
        "More than a half-million supporters attended a rally in Tehran on June 20, 1981, to protest.\n"
    )
    assert seg.find_captions(body, segment_rules.default_rules()) == {0}


# Other sites' layouts, one page each in tests/fixtures/pages/: (title, byline, date, tags,
# number of captions, number of body paragraphs, start of the last paragraph) per article.
OTHER_FORMATS = {
    "wordpress_blog.txt": [  # "Posted on DATE by NAME", share/like bars, "Related", categories after the share bar, a sidebar repeating the titles
        (
            "Why my tomatoes split after the heatwave",
            "Mary Holt",
            "July 14, 2023",
            ("Vegetables", "Watering"),
            0,
            4,
            "Water deeply twice a week",
        ),
        (
            "Five shade-tolerant herbs for a north-facing balcony",
            "Mary Holt",
            "July 2, 2023",
            ("Herbs",),
            0,
            3,
            "Chervil in particular",
        ),
    ],
    "valley_courier.txt": [  # cookie banner, section labels, "By NAME, Reporter", "Updated 3 hours ago", newsletter box inside a body
        (
            "Flood defences fail at Millbrook as river reaches record level",
            "Tom Baker",
            "3 hours ago",
            (),
            0,
            4,
            "The Environment Agency said",
        ),
        (
            "Millbrook Rovers win promotion on final day",
            "Sarah Jones",
            "14:32, 6 May 2024",
            (),
            0,
            3,
            "The club will play",
        ),
        (
            "Bakery chain to open twenty new shops across the north",
            None,
            "1 day ago",
            (),
            0,
            3,
            "The firm reported sales",
        ),
    ],
    "long_read_magazine.txt": [  # "Words by X | Photographs by Y", a bare name above a date, an image gap, a photo credit
        (
            "The last lighthouse keepers of the Hebrides",
            "Iain MacLeod",
            "12 March 2022",
            ("Scotland", "Lighthouses", "History"),
            3,
            6,
            "Today the station",
        ),
        (
            "How a village saved its only shop",
            "Jenny Park",
            "9 March 2022",
            ("Community", "Rural life"),
            0,
            3,
            "The shop now also runs",
        ),
    ],
    "weekly_review.txt": [  # headlines that look like a byline ("By Any Means Necessary") or a tag list ("Bread, Butter, Jam")
        ("By Any Means Necessary", None, None, (), 0, 2, "Volunteers drove"),
        ("Storm damages piers at Brighton", "Jane Doe and John Smith", None, (), 0, 2, "The council said repairs"),
        ("Bread, Butter, Jam", None, None, (), 0, 2, "Flour, energy and packaging"),
    ],
    "riverside_weekly.txt": [  # no chrome and no bylines: paragraphs on consecutive lines, articles apart by a blank line
        ("Library extends opening hours", None, None, (), 0, 2, "The change follows a survey"),
        ("New cycle lane opens on Station Road", None, None, (), 0, 2, "Cyclists had campaigned"),
    ],
}


@pytest.mark.parametrize("name", sorted(OTHER_FORMATS))
def test_other_site_formats(fixtures, name):
    articles = load_articles([fixtures / "pages" / name])
    found = [(a.title, a.byline, a.date, a.tags, len(a.captions), len(a.paragraphs)) for a in articles]
    assert found == [row[:6] for row in OTHER_FORMATS[name]]
    for article, row in zip(articles, OTHER_FORMATS[name]):
        assert article.paragraphs[-1].startswith(row[6])
        assert not any(
            p in ("Search for:", "Like this:", "Get the latest headlines straight to your inbox")
            for p in article.paragraphs
        )


def test_wordpress_sidebar_titles_are_not_template():
    page = (FIXTURES / "pages" / "wordpress_blog.txt").read_text(encoding="utf-8")
    lines = seg.split_lines(page)
    assert "why my tomatoes split after the heatwave" not in seg.repeated_lines(lines)
    assert "share this" in seg.repeated_lines(lines)


# --- pattern screens: the fast test of a line against many patterns ---------------------------------------------


def _fixture_lines() -> list[str]:
    from analysis import paths

    texts = [p.read_text(encoding="utf-8") for p in sorted((paths.ROOT / "tests" / "fixtures" / "pages").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((paths.ROOT / "seeds").glob("*.txt"))]
    odd = ["ſhare this", "SHARE THIS", "Ad\u200bvertisement", "K", "İstanbul", "Promoted content by Outbrain"]
    return [line.strip() for text in texts for line in text.splitlines() if line.strip()] + odd


@pytest.mark.parametrize("kind", ["chrome", "caption", "related"])
def test_rules_matches_says_what_matches_any_says(kind):
    rules = segment_rules.default_rules(["chrome: .*share.*", "chrome: (a)\\1"])
    for line in _fixture_lines():
        assert rules.matches(kind, line) == segment_rules.matches_any(getattr(rules, kind), line), line


def test_without_the_pattern_parser_every_pattern_is_tried(monkeypatch):
    monkeypatch.setattr(segment_rules, "sre_parser", None)
    rules = segment_rules.default_rules()
    screen = rules._screens["chrome"]
    assert not screen.screened and len(screen.direct) == len(rules.chrome)
    for line in _fixture_lines():
        assert rules.matches("chrome", line) == segment_rules.matches_any(rules.chrome, line), line


def test_line_labels_read_headlines_from_labels_as_from_parsing():
    """repeated_lines with the lines' labels finds what parsing each following line finds."""
    rules = segment_rules.default_rules()
    pages = [*(FIXTURES / "pages").glob("*.txt"), *(FIXTURES / "listings").glob("*.txt"), SEED]
    for path in pages:
        lines = seg.split_lines(path.read_text(encoding="utf-8"))
        labels = [seg.classify_line(line, rules, frozenset()) for line in lines]
        assert seg.repeated_lines(lines, labels=labels) == seg.repeated_lines(lines), path.name
        page_template = seg.repeated_lines(lines)
        assert seg.line_labels(lines, rules) == [seg.classify_line(line, rules, page_template) for line in lines]
        assert segment_rules.decode_labels(
            segment_rules.encode_labels(seg.line_labels(lines, rules))
        ) == seg.line_labels(lines, rules)
