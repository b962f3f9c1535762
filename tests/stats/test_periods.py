"""Change over time: dates read by stated rules, the period rule, and a generated corpus with a known trend.

The generated corpus (:func:`write_dated_corpus`) has five articles a month through 2019, each
of exactly 80 counted tokens in four paragraphs of 20. In month ``m`` (0 for January) every
article uses "solar" ``m`` times and "coal" ``11 - m`` times, so the rate of "solar" is
``1000 * m / 80 = 12.5 * m`` per 1,000 tokens: 0 in January, 12.5 in February (its first use,
on 2019-02-03), up to 137.5 in December; "coal" is last used in November (2019-11-23). Energy
paragraphs replace farm paragraphs every four months, so a topic model sees energy rise too.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis.ingest.corpus import Article
from analysis.pipeline import article_space, prepare
from analysis.stats import periods

CITY = "harbour council budget school river market bridge library museum tram".split()
FARM = "orchard farmer harvest cattle barley tractor meadow dairy wheat fence".split()
ENERGY = "grid battery turbine wind power plant cable meter fuel".split()
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = (3, 8, 13, 18, 23)  # the five articles of each month
TOKENS_PER_ARTICLE = 80


def paragraph(words: list[str], offset: int, extra: tuple[str, ...] = ()) -> str:
    """Twenty words: ``extra`` first, then ``words`` cycled from ``offset``."""
    filler = [words[(offset + j) % len(words)] for j in range(20 - len(extra))]
    return " ".join((*extra, *filler))


def dated_record(month: int, i: int) -> dict[str, str]:
    """Article ``i`` (0-4) of month ``month`` (0-11) of 2019, half with ISO dates, half with datelines."""
    day = pd.Timestamp(2019, month + 1, DAYS[i])
    iso = f"{day.year}-{day.month:02d}-{day.day:02d}"
    dateline = f"{WEEKDAYS[day.day_of_week]} {day.day} {MONTHS[day.month - 1]} {day.year}"
    energy_paragraphs = 1 + month // 4
    trend = paragraph(ENERGY, i, ("solar",) * month + ("coal",) * (11 - month))
    paragraphs = [paragraph(CITY, i), trend]
    paragraphs += [paragraph(ENERGY, i + k + 1) for k in range(energy_paragraphs - 1)]
    paragraphs += [paragraph(FARM, i + k) for k in range(3 - energy_paragraphs)]
    return {
        "title": f"Report {month + 1}.{i + 1}",
        "date": iso if i % 2 == 0 else dateline,
        "text": "\n".join(paragraphs),
    }


def write_dated_corpus(folder, extra: tuple[dict, ...] = ()):
    """60 dated articles (JSON Lines) with the trend of the module docstring, plus ``extra`` records."""
    records = [dated_record(m, i) for m in range(12) for i in range(5)] + list(extra)
    path = folder / "dated.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def article(doc_id: str, date: str | None) -> Article:
    return Article(doc_id, f"Title {doc_id}", (), None, date, ("text",), (), "test.jsonl", 0, 1)


@pytest.fixture(scope="module")
def dated_corpus(tmp_path_factory):
    """The prepared generated corpus, its article space and its periods."""
    folder = tmp_path_factory.mktemp("dated")
    prepared = prepare([write_dated_corpus(folder)])
    dates = periods.article_dates(prepared.articles)
    dated, period, note = periods.dated_periods(dates)
    return prepared, article_space(prepared), dates, dated, period, note


# --- reading dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day", "how"),
    [
        ("Thu 3 Jan 2019", "2019-01-03", "day month year"),
        ("3rd January, 2019", "2019-01-03", "day month year"),
        ("January 3, 2019", "2019-01-03", "month day year"),
        ("Tuesday, March 5, 2024", "2024-03-05", "month day year"),
        ("Sept. 9, 2020", "2020-09-09", "month day year"),
        ("Updated: 14:32, 6 May 2024", "2024-05-06", "day month year"),
        ("Published 6 May 2024 at 10:15 BST", "2024-05-06", "day month year"),
        ("Published 10:15 May 6, 2024", "2024-05-06", "month day year"),  # "May" is no time zone
        ("2019-01-03", "2019-01-03", "iso"),
        ("2019-01-03T23:30:00-05:00", "2019-01-03", "iso"),  # the day as written; the offset is not applied
        ("Jan 2019", "2019-01-01", "month year"),
        ("2019-06", "2019-06-01", "month year"),
        ("13/04/2019", "2019-04-13", "numeric day first"),  # only one order is a date
        ("04/13/2019", "2019-04-13", "numeric month first"),
        ("3.4.19", "2019-04-03", "numeric day first"),  # not a clock time 4.19; 19 is 2019 (POSIX %y)
        ("1/2/70", "1970-02-01", "numeric day first"),
    ],
)
def test_dates_are_read_by_their_stated_rules(text, day, how):
    parsed = periods.parse_date(text)
    assert (f"{parsed.date:%Y-%m-%d}", parsed.how) == (day, how)


def test_an_ambiguous_numeric_date_follows_dayfirst_and_says_so():
    assert periods.parse_date("03/04/2019") == (pd.Timestamp("2019-04-03"), "numeric day first", True)
    assert periods.parse_date("03/04/2019", dayfirst=False) == (pd.Timestamp("2019-03-04"), "numeric month first", True)
    assert not periods.parse_date("13/04/2019", dayfirst=False).ambiguous
    assert not periods.parse_date("04/04/2019").ambiguous  # both orders give the same day


@pytest.mark.parametrize(
    ("text", "how"),
    [
        (None, "missing"),
        ("  ", "missing"),
        ("3 hours ago", "relative"),
        ("yesterday", "relative"),
        ("31/02/2019", "unparsed"),  # no such day: not moved to 3 March
        ("2019-13-01", "unparsed"),
        ("Marsh 3, 2019", "unparsed"),
        ("2019", "unparsed"),  # a year alone would need a guessed month
        ("soon", "unparsed"),
    ],
)
def test_what_is_not_a_date_is_left_undated(text, how):
    assert periods.parse_date(text) == (None, how, False)


def test_unread_dates_are_counted_and_named_in_one_line():
    articles = [article("a", "2019-01-03"), article("b", "3 hours ago"), article("c", None), article("d", "03/04/2019")]
    dates = periods.article_dates(articles)
    assert dates["how"].tolist() == ["iso", "relative", "missing", "numeric day first"]
    note = periods.dates_note(dates)
    assert "\n" not in note
    assert note.startswith("2 of 4 articles dated, 2019-01-03 to 2019-04-03")
    assert "1 without a date" in note and "1 date not read and left out: '3 hours ago' (relative)" in note
    assert "1 numeric date could be read either way and was read day first (03/04/2019 as 2019-04-03)" in note


# --- the period -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "period"),
    [
        ("2019-01-03", "2019-12-23", "month"),
        ("2015-01-01", "2019-12-31", "year"),
        ("2016-01-01", "2019-01-01", "month"),  # exactly 3 years: not more than 3
        ("2016-01-01", "2019-01-02", "year"),
        ("2019-01-01", "2019-03-01", "week"),
        ("2019-01-01", "2019-04-01", "week"),  # exactly 3 months
        ("2019-01-01", "2019-04-02", "month"),
        ("2019-01-01", "2019-01-01", "week"),
    ],
)
def test_the_period_follows_the_span_of_the_dates(first, last, period):
    chosen, reason = periods.choose_period(pd.Series(pd.to_datetime([first, last])))
    assert chosen == period and reason.startswith(f"{period}: the dates span ")


def test_a_period_set_by_hand_wins_and_a_wrong_one_is_refused():
    dates = pd.Series(pd.to_datetime(["2015-01-01", "2019-12-31"]))
    assert periods.choose_period(dates, "week") == ("week", "week, as set by the PERIOD parameter")
    with pytest.raises(ValueError, match="period must be one of week, month, year"):
        periods.choose_period(dates, "fortnight")


def test_every_period_from_first_to_last_is_kept_and_weeks_start_on_monday():
    dates = periods.article_dates([article("a", "2019-01-03"), article("b", "2019-03-30"), article("c", None)])
    dated = periods.assign_periods(dates, "month")
    assert dated["doc_id"].tolist() == ["a", "b"]
    assert list(dated["period"].cat.categories) == ["2019-01", "2019-02", "2019-03"]
    assert periods.articles_per_period(dated).values.tolist() == [["2019-01", 1], ["2019-02", 0], ["2019-03", 1]]
    weeks = periods.assign_periods(dates, "week")  # Thursday 3 January 2019 is in the week of Monday 31 December
    assert weeks["period"].astype(str).tolist()[0] == "2018-12-31"


def test_undated_or_single_period_corpora_compare_nothing():
    undated = periods.article_dates([article("a", None), article("b", "3 hours ago")])
    dated, period, note = periods.dated_periods(undated)
    assert dated.empty and period is None and "\n" not in note
    assert note.startswith("No article carries a readable date (0 of 2)") and "only the run manifest" in note
    assert periods.target_period(dated) is None
    one_week = periods.article_dates([article("a", "2019-01-03"), article("b", "2019-01-04")])
    dated, period, note = periods.dated_periods(one_week)
    assert dated.empty and period == "week" and "all in one week" in note


# --- rates and their bands ----------------------------------------------------------------------


def test_wilson_interval_by_hand():
    # 0 of 10, z = 1.96: centre = half = (1.96² / 20) / (1 + 1.96² / 10) = 0.19208 / 1.38415 = 0.13877
    low, high = periods.wilson_interval([0, 5, 0], [10, 10, 0])
    assert low[0] == 0 and high[0] == pytest.approx(0.2775, abs=1e-4)
    assert (low[1], high[1]) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    assert math.isnan(low[2]) and math.isnan(high[2])
    with pytest.raises(ValueError, match="confidence must be a number between 0 and 1"):
        periods.wilson_interval(1, 2, 95)


def test_the_generated_corpus_is_as_designed(dated_corpus):
    prepared, space, dates, dated, period, note = dated_corpus
    assert len(dated) == 60 and period == "month"
    assert note.startswith(
        "60 of 60 articles dated, 2019-01-03 to 2019-12-23. Grouped by month: the dates span 11 months"
    )
    assert set(np.asarray(space.counts.sum(axis=1)).ravel()) == {TOKENS_PER_ARTICLE}
    assert set(dates["how"]) == {"iso", "day month year"}


@pytest.mark.parametrize("interval", ["bootstrap", "wilson"])
def test_a_linear_trend_is_recovered(dated_corpus, interval):
    _, space, _, dated, _, _ = dated_corpus
    rates = periods.term_rates_by_period(space, dated, ["solar", "coal"], interval, random_state=1)
    solar = rates[rates["term"] == "solar"]
    assert solar["per_1000"].tolist() == [12.5 * m for m in range(12)]
    assert solar["per_1000"].is_monotonic_increasing and solar["n_articles"].eq(5).all()
    assert (solar["per_1000_low"] <= solar["per_1000"]).all() and (solar["per_1000"] <= solar["per_1000_high"]).all()
    trends = periods.rate_trends(rates, "term", "per_1000").set_index("term")
    assert trends.loc["solar", "slope"] == pytest.approx(12.5) and trends.loc["coal", "slope"] == pytest.approx(-12.5)
    assert (trends.loc["solar", "first_period"], trends.loc["solar", "last_period"]) == ("2019-01", "2019-12")


def test_bootstrap_bands_are_seeded_and_need_two_articles(dated_corpus):
    _, space, _, dated, _, _ = dated_corpus
    first = periods.term_rates_by_period(space, dated, ["solar", "grid"], random_state=3, n_boot=200)
    again = periods.term_rates_by_period(space, dated, ["solar", "grid"], random_state=3, n_boot=200)
    pd.testing.assert_frame_equal(first, again)
    with pytest.raises(ValueError, match="needs random_state"):
        periods.term_rates_by_period(space, dated, ["solar"])
    lonely = dated.drop(index=[1, 2, 3, 4])  # January keeps one article
    rates = periods.term_rates_by_period(space, lonely, ["grid"], random_state=1)
    january = rates.iloc[0]
    assert january["n_articles"] == 1 and math.isnan(january["per_1000_low"]) and not math.isnan(january["per_1000"])


def test_an_unknown_term_is_named(dated_corpus):
    _, space, _, dated, _, _ = dated_corpus
    with pytest.raises(ValueError, match=r"\['nuclear'\] not in the vocabulary"):
        periods.term_rates_by_period(space, dated, ["solar", "nuclear"], "wilson")


# --- keyness, first and last use ------------------------------------------------------------------


def test_the_latest_period_against_the_rest(dated_corpus):
    _, space, _, dated, _, _ = dated_corpus
    target = periods.target_period(dated)
    assert target == "2019-12"
    keyness = periods.period_keyness(space, dated, target, permutations=200)
    assert keyness.attrs["target"] == "2019-12"
    solar, coal = keyness.set_index("term").loc["solar"], keyness.set_index("term").loc["coal"]
    assert (solar["n_period"], solar["n_rest"]) == (5 * 11, 5 * sum(range(11)))
    assert solar["g2"] > 0 and solar["log_ratio"] > 0 and coal["g2"] < 0 and coal["n_period"] == 0
    assert periods.key_terms_each_way(keyness, 1) == [keyness["term"].iloc[0], keyness["term"].iloc[-1]]
    sides = periods.keyness_sides(keyness, 2)
    assert sides["side"].tolist()[:1] == ["more frequent in 2019-12"] and sides["side"].iloc[-1].startswith("less")
    with pytest.raises(ValueError, match="TARGET_PERIOD '2020-01' holds no article"):
        periods.target_period(dated, "2020-01")


def test_first_and_last_appearance(dated_corpus):
    _, space, _, dated, _, _ = dated_corpus
    timeline = periods.term_timeline(space, dated, ["solar", "coal", "nuclear"])
    table = periods.first_last_appearance(timeline).set_index("term")
    assert list(table.index) == ["solar", "coal"]  # a term never used has no row
    assert (table.loc["solar", "first_date"], table.loc["solar", "first_period"]) == ("2019-02-03", "2019-02")
    assert table.loc["solar", "last_date"] == "2019-12-23"
    assert (table.loc["coal", "first_date"], table.loc["coal", "last_date"]) == ("2019-01-03", "2019-11-23")
    assert table.loc["solar", "n"] == 5 * sum(range(12)) and table.loc["solar", "n_articles"] == 55


def test_topic_shares_per_period(dated_corpus):
    _, _, _, dated, _, _ = dated_corpus
    # two topics with a known rise: every article of month m (0-11) gives topic 1 a share of m / 11
    month = {doc_id: k // 5 for k, doc_id in enumerate(dated["doc_id"])}
    rows = [(d, t, s) for d, m in month.items() for t, s in ((0, 1 - m / 11), (1, m / 11))]
    shares = pd.DataFrame(rows, columns=["doc_id", "topic", "share"])
    table = periods.topic_prevalence_by_period(shares, dated, random_state=1, n_boot=200)
    assert table.groupby("period")["share"].sum().round(6).eq(1).all()
    rising = table[table["topic"] == 1]
    assert rising["share"].tolist() == pytest.approx([m / 11 for m in range(12)], abs=1e-6)
    assert (rising["share_low"] <= rising["share"] + 1e-12).all()
    again = periods.topic_prevalence_by_period(shares, dated, random_state=1, n_boot=200)
    pd.testing.assert_frame_equal(table, again)
    assert periods.rate_trends(table, "topic", "share").set_index("topic").loc[1, "slope"] == pytest.approx(1 / 11)


def test_dates_of_scraped_pages_are_read_from_their_datelines(fixtures):
    from analysis.ingest import load_articles

    dates = periods.article_dates(load_articles([fixtures / "pages"])).set_index("doc_id")
    assert f"{dates.loc['harbour_gazette-000', 'date']:%Y-%m-%d}" == "2021-03-03"  # "March 3, 2021"
    assert f"{dates.loc['valley_courier-001', 'date']:%Y-%m-%d}" == "2024-05-06"  # "14:32, 6 May 2024"
    assert dates.loc["valley_courier-000", "how"] == "relative" and pd.isna(dates.loc["valley_courier-000", "date"])
    assert periods.choose_period(dates)[0] == "year"  # 2021-03-01 to 2024-05-06: more than 3 years


# --- the notebook, end to end -------------------------------------------------------------------

NOTEBOOK = "05-change-over-time"
DATED_OUTPUTS = sorted(
    [
        f"{NOTEBOOK}__{name}.{ext}"
        for name in ("articles-per-period", "keyness", "term-rates", "topic-prevalence")
        for ext in ("png", "svg", "csv")
    ]
    + [f"{NOTEBOOK}__appearances.png", f"{NOTEBOOK}__appearances.svg", f"{NOTEBOOK}__first-last.csv"]
    + [f"{NOTEBOOK}__dates.csv", f"{NOTEBOOK}__manifest.json"]
)


def run_notebook(out, seeds=None):
    from analysis.build import execute_notebook
    from analysis.paths import NOTEBOOKS

    parameters = {"FIGURES": str(out), "N_BOOT": 200} | ({"SEEDS": str(seeds)} if seeds else {})
    execute_notebook(NOTEBOOKS / f"{NOTEBOOK}.ipynb", parameters=parameters)
    return json.loads((out / f"{NOTEBOOK}__manifest.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_undated_default_corpus_writes_only_the_manifest(tmp_path):
    manifest = run_notebook(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{NOTEBOOK}__manifest.json"]
    assert manifest["notes"]["dated_articles"] == 0 and manifest["notes"]["period"] is None
    assert manifest["notes"]["dates"].startswith("No article carries a readable date (0 of 10)")


@pytest.mark.slow
def test_the_notebook_finds_the_trend_of_a_dated_corpus(tmp_path):
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    seeds.mkdir()
    write_dated_corpus(seeds, ({"title": "Undated", "text": paragraph(CITY, 1)},))
    manifest = run_notebook(out, seeds)
    assert sorted(p.name for p in out.iterdir()) == DATED_OUTPUTS
    notes = manifest["notes"]
    assert (notes["period"], notes["target_period"], notes["dated_articles"]) == ("month", "2019-12", 60)
    rates = pd.read_csv(out / f"{NOTEBOOK}__term-rates.csv")
    assert rates.loc[rates["term"] == "solar", "per_1000"].tolist() == [12.5 * m for m in range(12)]
    first_last = pd.read_csv(out / f"{NOTEBOOK}__first-last.csv").set_index("term")
    assert first_last.loc["solar", "first_date"] == "2019-02-03"
    assert pd.read_csv(out / f"{NOTEBOOK}__keyness.csv")["term"].iloc[0] == "solar"


def test_the_time_figures_are_sized_from_the_data_and_keep_gaps(dated_corpus):
    from analysis.report import period_plots

    _, space, _, dated, _, _ = dated_corpus
    rates = periods.term_rates_by_period(space, dated.drop(index=range(5, 10)), ["solar", "coal", "grid"], "wilson")
    assert rates.loc[rates["period"] == "2019-02", "per_1000"].isna().all()  # February emptied: a gap, not a zero
    figure = period_plots.period_lines(
        rates, "term", "per_1000", "per_1000_low", "per_1000_high", "T", "rate", "band", highlight="2019-12"
    )
    visible = [ax for ax in figure.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in visible] == ["solar", "coal", "grid"]
    assert sum(bool(ax.get_xlabel()) for ax in visible) == 2  # one time-axis label under each column
    labels = [t.get_text() for t in visible[0].get_xticklabels()]
    assert len(labels) == 12 and 0 < sum(map(bool, labels)) <= 8
    bars = period_plots.period_bars([f"w{i}" for i in range(60)], range(60), "T", "articles")
    assert sum(bool(t.get_text()) for t in bars.axes[0].get_xticklabels()) <= period_plots.MAX_PERIOD_LABELS
