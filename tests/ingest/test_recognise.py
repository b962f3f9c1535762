"""One-line recognisers: bylines, datelines, tag lists, headline shape."""

from __future__ import annotations

import pytest

from analysis.ingest import recognise as rc


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Staff writer", ("Staff writer", None)),
        ("By Jane Doe | March 3, 2021", ("Jane Doe", "March 3, 2021")),
        ("by Ana de Lima", ("Ana de Lima", None)),
        ("Jane Doe, Staff Writer", ("Jane Doe", None)),
        ("By Tom Baker, Reporter", ("Tom Baker", None)),
        ("By Sarah Jones, Sports Reporter", ("Sarah Jones", None)),
        ("Posted on July 14, 2023 by Mary Holt", ("Mary Holt", "July 14, 2023")),
        ("March 3, 2021 | By Jane Doe", ("Jane Doe", "March 3, 2021")),
        ("By Jane Doe and John Smith", ("Jane Doe and John Smith", None)),
        ("Words by Iain MacLeod | Photographs by Anna Reid", ("Iain MacLeod", None)),
        ("By relying on its people, the army will take the same path", None),
        ("By Any Means Necessary", None),
        ("By Sea, Land and Air", None),
        ("A gardening blog by Mary Holt", None),
        ("The founders of the MEK", None),
    ],
)
def test_parse_byline(line, expected):
    assert rc.parse_byline(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Updated 3 hours ago", "3 hours ago"),
        ("Published 14:32, 6 May 2024", "14:32, 6 May 2024"),
        ("9 March 2022", "9 March 2022"),
        ("2021-03-03", "2021-03-03"),
        ("Sept. 3, 2019", "Sept. 3, 2019"),
        ("In May 2021 the council met", None),
        ("MEK peaceful demonstration in Tehran-May 2, 1981", None),
        # a reading time glued after the date (engadget.com) is not part of it
        ("Thu, Dec 21, 2023, 9:42 PM·2 min read", "Thu, Dec 21, 2023, 9:42 PM"),
        ("December 21, 2023 | 5 min read", "December 21, 2023"),
        ("5 min read", None),
        # a clock with seconds and a zone (forbesindia.com)
        ("Dec 22, 2023 12:15:02 PM  IST", "Dec 22, 2023 12:15:02 PM  IST"),
    ],
)
def test_parse_dateline(line, expected):
    assert rc.parse_dateline(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1988 Massacre,Ashraf 3,MEK", ("1988 Massacre", "Ashraf 3", "MEK")),
        ("#IranRegimeChange,Iran Economy,MEK", ("#IranRegimeChange", "Iran Economy", "MEK")),
        ("Tags: port, council", ("port", "council")),
        ("Filed under: Politics; Economy", ("Politics", "Economy")),
        ("Categories: Herbs", ("Herbs",)),
        ("Shirin Alam Holi, Farzad Kamangar, Ali Heidarian, and Farhad Vakili were executed.", None),
        ("Bread, Butter, Jam", None),
        ("Tehran, Iran, Sept. 3", None),
        ("one,two,three", None),
    ],
)
def test_parse_tag_line(line, expected):
    assert rc.parse_tag_line(line) == expected


def test_words_keep_combining_marks():
    assert rc.count_words("हिन्दी भाषा") == 2
    assert rc.WORD.findall("مُجاهِدين and Mujahedin-e Khalq’s") == ["مُجاهِدين", "and", "Mujahedin-e", "Khalq’s"]


@pytest.mark.parametrize(
    ("line", "heading", "title_case"),
    [
        ("Support from the International Community", True, True),
        ("Mass grave of MEK members executed in 1988", True, False),
        ("Mrs. Rajavi further noted that:", False, False),
        ("Zarif, Soleimani: Two Sides of the Same Coin", True, True),
    ],
)
def test_heading_shape(line, heading, title_case):
    assert rc.is_heading_shaped(line) is heading
    assert rc.is_title_case(line) is title_case


@pytest.mark.parametrize(
    "line, numbered",
    [
        ("2. Google Cloud Machine Learning", True),
        ("#1. Wix: Best All-in-One Builder", True),
        ("3) The east bank", True),
        ("39. Monash International Merit Scholarship", True),
        ("10 things to do on the river this summer", False),  # a number in a headline, no item mark
        ("3.5 million homes still without power", False),
        ("2024. A year on the river", False),  # a year, not an item's number
        ("#1 best seller in the valley", False),
    ],
)
def test_numbered_item(line, numbered):
    assert rc.is_numbered_item(line) is numbered


@pytest.mark.parametrize(
    ("line", "naming"),
    [
        ("QB Will Rogers decides to remain at Washington", True),
        ("Drew Lock’s heroics were remarkable, but Seahawks are Geno Smith’s team", True),
        ("Ask the river authority for the anchoring plan", False),
        ("Built-in mic stand with adjustable positioning", False),
        ("Then I asked Anna", False),
    ],
)
def test_a_line_naming_people_or_places_reads_as_a_headline(line, naming):
    assert rc.names_things(line) is naming
