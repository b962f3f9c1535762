"""Change over time: articles, term rates, topic shares and key terms per period of publication.

Dates arrive as printed (``Article.date``: "Thu 3 Jan 2019", "March 3, 2021", "2019-01-03T10:00Z",
"03/04/2019"). :func:`parse_date` reads them with explicit rules only, never by guessing: a
month name or an ISO date is read as written; a numeric date ``03/04/2019`` is read day first
unless ``dayfirst=False`` (and the other way round when only one order gives a real date), and
is flagged ``ambiguous`` when both orders would; a relative date ("3 hours ago", "yesterday")
needs the moment the page was saved, which is not known, so it is left undated and counted,
like any other text that is not a date.

The period (week, month or year) is chosen from the span of the dates by
:func:`choose_period`; every period from the first to the last is kept, empty ones included,
so a gap in publication shows as a gap.

Uncertainty: a term's rate per period is the pooled rate ``1000 * n / tokens``; its band is
either a bootstrap over the period's *articles* (seeded), which keeps the burstiness of words
(a term repeated twenty times in one article is one lucky draw, not twenty; Lijffijt et al.
2016), or Wilson's binomial interval, which treats tokens as independent draws and so is
narrower than the evidence when words cluster in articles. Topic shares per period use the
same article bootstrap.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from analysis.checks import as_int, positive_int
from analysis.precision import round_table
from analysis.stats._space import checked_counts
from analysis.stats.groups import compare_groups

if TYPE_CHECKING:
    import pandas as pd

    from analysis.ingest.corpus import Article
    from analysis.pipeline.vectors import VectorSpace

#: The periods articles can be grouped by, and the pandas frequency of each (weeks start on Monday).
PERIOD_FREQUENCIES = {"week": "W-SUN", "month": "M", "year": "Y"}

#: :func:`choose_period`'s thresholds: dates spanning more than this many years are grouped by
#: year, more than this many months by month, anything shorter by week.
YEARS_FOR_YEARLY, MONTHS_FOR_MONTHLY = 3, 3

#: Fewest dated periods with articles for a comparison over time.
MIN_PERIODS = 2

#: Fewest articles a period needs for a bootstrap band (one article resamples to itself).
MIN_BOOTSTRAP_ARTICLES = 2

#: The ways of drawing a band around a term's rate (see the module docstring).
INTERVALS = ("bootstrap", "wilson")

_MONTHS = tuple("january february march april may june july august september october november december".split())
_WEEKDAY = re.compile(r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+")
_LABEL = re.compile(r"^(?:(?:last\s+)?(?:updated|published|posted|modified|first published)\s*:?\s*(?:on\s+)?)")
# a clock time, with a time-zone abbreviation after it ("10:15 bst") that is not a month ("10:15 may 6")
_CLOCK = re.compile(
    r",?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
    r"(?:\s+(?!(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))[a-z]{2,5}\b)?,?"
)
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[t ].*)?$")
_ISO_MONTH = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})$")
_DAY_MONTH_YEAR = re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]+)\.?,?\s+(?P<y>\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^(?P<month>[a-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})$")
_MONTH_YEAR = re.compile(r"^(?P<month>[a-z]+)\.?,?\s+(?P<y>\d{4})$")
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})$")
_RELATIVE = re.compile(
    r"^(?:(?:an?|\d+)\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago|yesterday|today|just now|now)$"
)


class ParsedDate(NamedTuple):
    """One date as read by :func:`parse_date`.

    Attributes
    ----------
    date : pandas.Timestamp or None
        The calendar day (no time, no time zone); None when the text is not read as a date.
    how : str
        Which rule read it: ``iso``, ``day month year``, ``month day year``, ``month year``
        (the 1st of the month is used), ``numeric day first``, ``numeric month first``;
        or why not: ``missing``, ``relative`` (needs the unknown moment of saving),
        ``unparsed``.
    ambiguous : bool
        A numeric date whose day and month could be swapped (``03/04/2019``), read in the
        order ``dayfirst`` says.
    """

    date: pd.Timestamp | None
    how: str
    ambiguous: bool = False


def _without_label(text: str) -> str:
    """Lower case, single spaces, without a leading label ("Updated:") or weekday."""
    return _WEEKDAY.sub("", _LABEL.sub("", " ".join(text.casefold().split())))


def _normalise(text: str) -> str:
    """:func:`_without_label`, and without a clock time."""
    return " ".join(_CLOCK.sub(" ", _without_label(text)).split()).strip(" ,.")


def _month_number(word: str) -> int | None:
    """1..12 for a month name or its abbreviation of 3+ letters ("sept" too), else None."""
    if len(word) < 3:
        return None
    for number, name in enumerate(_MONTHS, 1):
        if name.startswith(word) or (word == "sept" and number == 9):
            return number
    return None


def _two_digit_year(year: str) -> int:
    """POSIX ``%y``: 69-99 are 1969-1999, 00-68 are 2000-2068."""
    value = int(year)
    if len(year) == 4:
        return value
    return value + (1900 if value >= 69 else 2000)


def _calendar_day(year: int, month: int, day: int) -> pd.Timestamp | None:
    """The day as a Timestamp through an explicit numeric format (month names never reach strptime,
    whose ``%b`` follows the locale); None for a day that does not exist (31 February)."""
    import pandas as pd

    value = pd.to_datetime(f"{year:04d}-{month:02d}-{day:02d}", format="%Y-%m-%d", errors="coerce")
    return None if pd.isna(value) else value


def _numeric(match: re.Match, dayfirst: bool) -> ParsedDate:
    a, b, year = int(match["a"]), int(match["b"]), _two_digit_year(match["y"])
    ambiguous = a <= 12 and b <= 12 and a != b
    day_first = dayfirst if ambiguous or (a <= 12 and b <= 12) else a > 12
    day, month = (a, b) if day_first else (b, a)
    date = _calendar_day(year, month, day)
    if date is None:
        return ParsedDate(None, "unparsed")
    return ParsedDate(date, "numeric day first" if day_first else "numeric month first", ambiguous)


def _named(text: str) -> ParsedDate | None:
    """A date with a month name, or None when the text has none of those shapes."""
    for pattern, how in (
        (_DAY_MONTH_YEAR, "day month year"),
        (_MONTH_DAY_YEAR, "month day year"),
        (_MONTH_YEAR, "month year"),
    ):
        match = pattern.match(text)
        if match:
            month = _month_number(match["month"])
            day = int(match.groupdict().get("d") or 1)
            date = _calendar_day(int(match["y"]), month, day) if month else None
            return ParsedDate(date, how) if date is not None else ParsedDate(None, "unparsed")
    return None


def parse_date(text: str | None, dayfirst: bool = True) -> ParsedDate:
    """Read one printed date, by explicit rules only (see the module docstring).

    Rules, tried in this order on the text without a label ("Updated:"), weekday or clock time:

    1. ISO ``2019-01-03``, with any time and offset after it (the calendar day as written is
       kept, the offset is not applied); ``2019-01`` is a ``month year``.
    2. A month name or abbreviation: ``3 Jan 2019``, ``3rd January, 2019``, ``January 3, 2019``,
       ``Jan 2019`` (the 1st of the month is used, and ``how`` says so).
    3. Numbers ``03/04/2019``, ``3.4.19``, ``03-04-2019``: day first when ``dayfirst`` (else month
       first), unless only the other order is a real date (``13/04`` is always 13 April);
       two-digit years as POSIX ``%y`` (69-99: 1900s, 00-68: 2000s).

    Parameters
    ----------
    text : str or None
        The date as printed.
    dayfirst : bool
        How to read a numeric date whose first two numbers could both be the month.

    Returns
    -------
    ParsedDate
        The day, the rule that read it (or why none did) and whether the order was ambiguous.
    """
    if text is None or not str(text).strip():
        return ParsedDate(None, "missing")
    raw = " ".join(str(text).casefold().split())
    match = _ISO.match(raw) or _ISO.match(_normalise(raw))
    if match:
        date = _calendar_day(int(match["y"]), int(match["m"]), int(match["d"]))
        return ParsedDate(date, "iso") if date is not None else ParsedDate(None, "unparsed")
    text = _normalise(raw)
    if _RELATIVE.match(text):
        return ParsedDate(None, "relative")
    match = _ISO_MONTH.match(text)
    if match:
        date = _calendar_day(int(match["y"]), int(match["m"]), 1)
        return ParsedDate(date, "month year") if date is not None else ParsedDate(None, "unparsed")
    named = _named(text)
    if named is not None:
        return named
    # "3.4.19" looks like a clock time followed by a year, so numbers are tried before the clock goes
    match = _NUMERIC.match(_without_label(raw).strip(" ,.")) or _NUMERIC.match(text)
    return _numeric(match, dayfirst) if match else ParsedDate(None, "unparsed")


def article_dates(articles: Iterable[Article], dayfirst: bool = True) -> pd.DataFrame:
    """The publication day of every article, read by :func:`parse_date`.

    Parameters
    ----------
    articles : iterable of Article
        In corpus order.
    dayfirst : bool
        How to read ambiguous numeric dates.

    Returns
    -------
    pandas.DataFrame
        One row per article, in the order given: ``doc_id, title, date_text, date, how,
        ambiguous``;
        ``date`` is a day (``datetime64``) or NaT when the article has none that can be read.
    """
    import pandas as pd

    rows = []
    for article in articles:
        parsed = parse_date(article.date, dayfirst)
        rows.append((article.id, article.title, article.date, parsed.date, parsed.how, parsed.ambiguous))
    table = pd.DataFrame(rows, columns=["doc_id", "title", "date_text", "date", "how", "ambiguous"])
    kinds = {"doc_id": object, "title": object, "date_text": object, "date": "datetime64[s]", "how": object}
    return table.astype({**kinds, "ambiguous": bool})


def _span_text(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """ "11 months", "4 years", "5 weeks": the span in whole units, for notes."""
    months = (last.year - first.year) * 12 + last.month - first.month - (last.day < first.day)
    if months >= 12 * YEARS_FOR_YEARLY:
        return f"{months // 12} years"
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''}"
    days = (last - first).days
    return f"{days // 7} weeks" if days >= 14 else f"{days} day{'s' if days != 1 else ''}"


def choose_period(dates: pd.DataFrame | pd.Series, period: str | None = None) -> tuple[str, str]:
    """The period to group by, and why.

    The rule, from the first and last readable date: more than :data:`YEARS_FOR_YEARLY` (3)
    years apart, by year; more than :data:`MONTHS_FOR_MONTHLY` (3) months apart, by month;
    otherwise by week (weeks start on Monday). That keeps the number of periods between
    about 4 and 40 for most spans: enough points for a trend, enough articles per point.

    Parameters
    ----------
    dates : pandas.DataFrame or pandas.Series
        From :func:`article_dates` (its ``date`` column is read), or the dates themselves.
    period : str, optional
        ``"week"``, ``"month"`` or ``"year"`` to override the rule; None applies it.

    Returns
    -------
    tuple of str
        The period and a sentence saying why.

    Raises
    ------
    ValueError
        When ``period`` is not one of :data:`PERIOD_FREQUENCIES`, or no date is readable and
        ``period`` is None.
    """
    import pandas as pd

    if period is not None:
        if period not in PERIOD_FREQUENCIES:
            raise ValueError(f"period must be one of {', '.join(PERIOD_FREQUENCIES)} or None (chosen), got {period!r}")
        return period, f"{period}, as set by the PERIOD parameter"
    values = dates["date"] if isinstance(dates, pd.DataFrame) else pd.Series(dates)
    values = pd.to_datetime(values).dropna()
    if values.empty:
        raise ValueError("choose_period: no readable date; pass articles with dates, or set the period")
    first, last = values.min(), values.max()
    span = f"the dates span {_span_text(first, last)} ({first:%Y-%m-%d} to {last:%Y-%m-%d})"
    if last > first + pd.DateOffset(years=YEARS_FOR_YEARLY):
        return "year", f"year: {span}, more than {YEARS_FOR_YEARLY} years"
    if last > first + pd.DateOffset(months=MONTHS_FOR_MONTHLY):
        return "month", f"month: {span}, more than {MONTHS_FOR_MONTHLY} months and at most {YEARS_FOR_YEARLY} years"
    return "week", f"week: {span}, at most {MONTHS_FOR_MONTHLY} months"


def period_axis(period: str) -> str:
    """The label of a time axis of ``period``s ("week (labelled by its Monday)").

    Parameters
    ----------
    period : str
        One of :data:`PERIOD_FREQUENCIES`.

    Returns
    -------
    str
        What the tick labels are.
    """
    return {"week": "week (labelled by its Monday)", "month": "month", "year": "year"}[period]


def interval_label(interval: str, confidence: float) -> str:
    """What a band is, in words, for legends: ``"95% bootstrap interval over the period's articles"``.

    Parameters
    ----------
    interval : {"bootstrap", "wilson"}
        As given to :func:`term_rates_by_period`.
    confidence : float
        Its coverage.

    Returns
    -------
    str
        The legend text.
    """
    how = {
        "bootstrap": "bootstrap interval over the period's articles",
        "wilson": "Wilson interval (tokens as independent draws)",
    }
    return f"{confidence:.0%} {how[interval]}"


def period_label(value: pd.Period, period: str) -> str:
    """``"2019"``, ``"2019-03"``, or a week's Monday ``"2019-03-04"`` (digits only: no locale).

    Parameters
    ----------
    value : pandas.Period
        A period of :data:`PERIOD_FREQUENCIES` ``[period]``.
    period : str
        Its kind.

    Returns
    -------
    str
        The label used in every table and figure.
    """
    start = value.start_time
    if period == "year":
        return f"{start.year:04d}"
    if period == "month":
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}-{start.month:02d}-{start.day:02d}"


def assign_periods(dates: pd.DataFrame, period: str) -> pd.DataFrame:
    """The dated articles with their period, every period from first to last a category.

    Parameters
    ----------
    dates : pandas.DataFrame
        From :func:`article_dates`.
    period : str
        One of :data:`PERIOD_FREQUENCIES`.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, date, period`` for articles with a readable date, in the order given;
        ``period`` is an ordered categorical whose categories are every label from the first
        to the last period, empty ones included.

    Raises
    ------
    ValueError
        When ``period`` is unknown.
    """
    import pandas as pd

    if period not in PERIOD_FREQUENCIES:
        raise ValueError(f"period must be one of {', '.join(PERIOD_FREQUENCIES)}, got {period!r}")
    dated = dates.loc[dates["date"].notna(), ["doc_id", "date"]].reset_index(drop=True)
    if dated.empty:
        return dated.assign(period=pd.Categorical([], categories=[], ordered=True))
    frequency = PERIOD_FREQUENCIES[period]
    periods = dated["date"].dt.to_period(frequency)
    every = pd.period_range(periods.min(), periods.max(), freq=frequency)
    labels = [period_label(p, period) for p in every]
    names = dict(zip(every, labels))
    return dated.assign(period=pd.Categorical([names[p] for p in periods], categories=labels, ordered=True))


def dates_note(dates: pd.DataFrame, dayfirst: bool = True) -> str:
    """What the dates allow, in one line: how many were read, which were not, how ambiguous ones were read.

    Parameters
    ----------
    dates : pandas.DataFrame
        From :func:`article_dates`.
    dayfirst : bool
        The reading order used, named when some dates were ambiguous.

    Returns
    -------
    str
        For example ``"58 of 60 articles dated, 2019-01-03 to 2019-12-27; 2 dates not read and
        left out: '3 hours ago' (relative), 'soon' (unparsed); 4 numeric dates could be read
        either way and were read day first (03/04/2019 as 2019-04-03)"``.
    """
    total, found = len(dates), dates["date"].notna()
    if not found.any():
        return f"No article carries a readable date (0 of {total})"
    first, last = dates.loc[found, "date"].min(), dates.loc[found, "date"].max()
    parts = [f"{int(found.sum())} of {total} articles dated, {first:%Y-%m-%d} to {last:%Y-%m-%d}"]
    missing = int((dates["how"] == "missing").sum())
    if missing:
        parts.append(f"{missing} without a date")
    unread = dates[~found & (dates["how"] != "missing")]
    if len(unread):
        examples = ", ".join(f"{t!r} ({h})" for t, h in unread[["date_text", "how"]].head(3).itertuples(index=False))
        more = f" and {len(unread) - 3} more" if len(unread) > 3 else ""
        parts.append(f"{len(unread)} date{'s' if len(unread) != 1 else ''} not read and left out: {examples}{more}")
    ambiguous = dates[dates["ambiguous"]]
    if len(ambiguous):
        order = "day first" if dayfirst else "month first"
        row = ambiguous.iloc[0]
        parts.append(
            f"{len(ambiguous)} numeric date{'s' if len(ambiguous) != 1 else ''} could be read either way and "
            f"{'were' if len(ambiguous) != 1 else 'was'} read {order} ({row['date_text']} as {row['date']:%Y-%m-%d})"
        )
    return "; ".join(parts)


def dated_periods(
    dates: pd.DataFrame, period: str | None = None, dayfirst: bool = True
) -> tuple[pd.DataFrame, str | None, str]:
    """The dated articles by period, the period, and one line saying what can be compared.

    Parameters
    ----------
    dates : pandas.DataFrame
        From :func:`article_dates`.
    period : str, optional
        Override of :func:`choose_period`'s rule.
    dayfirst : bool
        As given to :func:`article_dates` (named in the note).

    Returns
    -------
    tuple
        ``(dated, period, note)``: ``dated`` from :func:`assign_periods`, empty when fewer
        than :data:`MIN_PERIODS` periods hold articles (nothing to compare over time); the
        period (None without dates); the note (:func:`dates_note` and the period's reason).
    """
    note = dates_note(dates, dayfirst)
    if dates["date"].isna().all():
        empty = assign_periods(dates.iloc[:0], "week")
        return empty, None, f"{note}, so nothing can be compared over time: only the run manifest is written."
    period, reason = choose_period(dates, period)
    dated = assign_periods(dates, period)
    used = dated["period"].nunique()
    if used < MIN_PERIODS:
        return (
            dated.iloc[:0],
            period,
            f"{note}; all in one {period}, so nothing can be compared over time: only the run manifest is written.",
        )
    return dated, period, f"{note}. Grouped by {reason}: {len(dated['period'].cat.categories)} periods."


def target_period(dated: pd.DataFrame, target: str | None = None) -> str | None:
    """The period compared with the rest: ``target`` checked, or the latest period with articles.

    Parameters
    ----------
    dated : pandas.DataFrame
        From :func:`assign_periods` or :func:`dated_periods`.
    target : str, optional
        A period label as in the tables.

    Returns
    -------
    str or None
        The label; None when ``dated`` is empty.

    Raises
    ------
    ValueError
        When ``target`` is not a period holding articles.
    """
    used = [p for p in dated["period"].cat.categories if (dated["period"] == p).any()]
    if not used:
        return None
    if target is None:
        return used[-1]
    if str(target) not in used:
        shown = ", ".join(used[:6]) + (", ..." if len(used) > 6 else "")
        raise ValueError(f"TARGET_PERIOD {target!r} holds no article; choose one of {shown}, or None for the latest")
    return str(target)


def articles_per_period(dated: pd.DataFrame) -> pd.DataFrame:
    """How many dated articles each period holds, empty periods included.

    Parameters
    ----------
    dated : pandas.DataFrame
        From :func:`assign_periods`.

    Returns
    -------
    pandas.DataFrame
        ``period, n_articles`` in period order.
    """
    counts = dated.groupby("period", observed=False).size()
    return counts.rename("n_articles").reset_index().astype({"period": str, "n_articles": "int64"})


def _rows(space: VectorSpace, dated: pd.DataFrame, who: str) -> tuple[np.ndarray, list[str]]:
    """Row of each dated article in the space, and the period labels in order."""
    position = {doc_id: i for i, doc_id in enumerate(space.doc_ids)}
    absent = [d for d in dated["doc_id"] if d not in position]
    if absent:
        raise ValueError(
            f"{who}: {len(absent)} dated article(s) not in the space ({absent[0]!r}...); pass the article space"
        )
    return np.array([position[d] for d in dated["doc_id"]], dtype=np.int64), [
        str(p) for p in dated["period"].cat.categories
    ]


def _check_confidence(confidence: float, who: str) -> float:
    if not isinstance(confidence, (int, float)) or not 0 < confidence < 1:
        raise ValueError(f"{who}: confidence must be a number between 0 and 1 (0.95 is usual), got {confidence!r}")
    return float(confidence)


def wilson_interval(k: object, n: object, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson's score interval for a binomial proportion ``k / n`` (Wilson 1927).

    ::

        centre = (p + z²/2n) / (1 + z²/n),   half = z / (1 + z²/n) * sqrt(p(1 - p)/n + z²/4n²)

    with ``p = k / n`` and ``z`` the normal quantile of ``(1 + confidence) / 2``. Unlike
    ``p ± z·se`` it stays inside [0, 1] and is not empty when ``k = 0``.

    Parameters
    ----------
    k, n : array_like
        Successes and trials (``0 <= k <= n``); NaN bounds where ``n = 0``.
    confidence : float
        Coverage, between 0 and 1.

    Returns
    -------
    tuple of numpy.ndarray
        Lower and upper bounds of the proportion.

    Raises
    ------
    ValueError
        When ``confidence`` is outside (0, 1) or ``k`` is negative or exceeds ``n``.
    """
    from scipy.stats import norm

    confidence = _check_confidence(confidence, "wilson_interval")
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    if np.any(k < 0) or np.any(k > n):
        raise ValueError("wilson_interval: counts k must satisfy 0 <= k <= n")
    z = norm.ppf((1 + confidence) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denominator = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denominator
        half = z / denominator * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)


def bootstrap_ratio(
    numerators: np.ndarray, denominators: np.ndarray, confidence: float, n_boot: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap of ``sum(numerators) / sum(denominators)`` over resampled rows.

    Rows (articles) are drawn with replacement, as many as there are, ``n_boot`` times; each
    draw is a vector of multiplicities, so the cost grows with rows × ``n_boot``, not with
    their product with the columns.

    Parameters
    ----------
    numerators : numpy.ndarray
        Rows × columns (an article's count of each term, or its tokens times each topic share).
    denominators : numpy.ndarray
        One per row (an article's tokens or weight).
    confidence : float
        Coverage of the percentile interval.
    n_boot : int
        Resamples.
    rng : numpy.random.Generator
        The random source (seeded by the caller).

    Returns
    -------
    tuple of numpy.ndarray
        Lower and upper bounds per column; NaN when fewer than
        :data:`MIN_BOOTSTRAP_ARTICLES` rows.
    """
    rows, columns = numerators.shape
    if rows < MIN_BOOTSTRAP_ARTICLES:
        return np.full(columns, np.nan), np.full(columns, np.nan)
    draws = rng.multinomial(rows, np.full(rows, 1.0 / rows), size=n_boot).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = (draws @ numerators) / (draws @ denominators)[:, None]
    tail = (1 - confidence) / 2
    return np.nanquantile(ratios, tail, axis=0), np.nanquantile(ratios, 1 - tail, axis=0)


def _check_boot(interval: str, n_boot: int, random_state: int | None, who: str) -> np.random.Generator | None:
    if interval not in INTERVALS:
        raise ValueError(f"{who}: interval must be one of {', '.join(INTERVALS)}, got {interval!r}")
    if interval != "bootstrap":
        return None
    positive_int(n_boot, "n_boot", who)
    if random_state is None:
        raise ValueError(f"{who}: the bootstrap needs random_state (an int) so that the bands are reproducible")
    return np.random.default_rng(as_int(random_state, "random_state", who))


def term_rates_by_period(
    space: VectorSpace,
    dated: pd.DataFrame,
    terms: Sequence[str],
    interval: str = "bootstrap",
    confidence: float = 0.95,
    n_boot: int = 1000,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Each term's rate per 1,000 counted tokens in every period, with an uncertainty band.

    Parameters
    ----------
    space : VectorSpace
        An article space (rows include every article of ``dated``).
    dated : pandas.DataFrame
        From :func:`assign_periods`.
    terms : sequence of str
        Cleaned terms of the vocabulary, in the order wanted.
    interval : {"bootstrap", "wilson"}
        The band: articles of the period resampled, or Wilson's binomial interval on tokens.
    confidence : float
        Coverage of the band.
    n_boot : int
        Bootstrap resamples.
    random_state : int, optional
        Seed of the bootstrap (required for it).

    Returns
    -------
    pandas.DataFrame
        ``period, term, n_articles, tokens, n, per_1000, per_1000_low, per_1000_high``: one row
        per period and term, periods in order (empty ones with NaN rates), terms as given. A
        bootstrap band is NaN for a period of fewer than :data:`MIN_BOOTSTRAP_ARTICLES` articles.

    Raises
    ------
    ValueError
        When a term is not in the vocabulary, a dated article is not in the space, or an
        argument is out of range.
    """
    import pandas as pd

    who = "term_rates_by_period"
    counts = checked_counts(space, who)
    if isinstance(terms, str) or not terms:
        raise ValueError(f"{who}: terms must be a non-empty list of cleaned terms, got {terms!r}")
    column = {term: j for j, term in enumerate(space.vocabulary)}
    missing = [t for t in terms if t not in column]
    if missing:
        raise ValueError(f"{who}: {missing[:10]} not in the vocabulary; pass cleaned terms as in space.vocabulary")
    confidence = _check_confidence(confidence, who)
    rng = _check_boot(interval, n_boot, random_state, who)
    rows, labels = _rows(space, dated, who)
    terms = list(dict.fromkeys(terms))
    per_doc = counts[rows][:, [column[t] for t in terms]].toarray().astype(float)
    tokens = np.asarray(counts[rows].sum(axis=1), dtype=float).ravel()
    out = []
    for label in labels:
        inside = (dated["period"] == label).to_numpy()
        n, size = per_doc[inside].sum(axis=0), tokens[inside].sum()
        if rng is None:
            low, high = wilson_interval(n, np.full(len(terms), size), confidence)
        else:
            low, high = bootstrap_ratio(per_doc[inside], tokens[inside], confidence, n_boot, rng)
        rate = n / size if size > 0 else np.full(len(terms), np.nan)
        for j, term in enumerate(terms):
            out.append((label, term, int(inside.sum()), int(size), int(n[j]), rate[j], low[j], high[j]))
    columns = ["period", "term", "n_articles", "tokens", "n", "per_1000", "per_1000_low", "per_1000_high"]
    table = pd.DataFrame(out, columns=columns).astype({"period": object, "term": object})
    for name in ("per_1000", "per_1000_low", "per_1000_high"):
        table[name] = 1000.0 * table[name].astype(float)
    return round_table(table)


def topic_prevalence_by_period(
    article_topics: pd.DataFrame,
    dated: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    confidence: float = 0.95,
    n_boot: int = 1000,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Each topic's share of every period, with a bootstrap band over the period's articles.

    A period's share of topic ``t`` is ``sum_d w_d share_dt / sum_d w_d`` over its articles
    ``d``: with ``w_d`` the article's tokens, the share of the period's text the model gives
    to the topic.

    Parameters
    ----------
    article_topics : pandas.DataFrame
        ``doc_id, topic, share`` per article (:func:`analysis.models.aggregate_to_articles`).
    dated : pandas.DataFrame
        From :func:`assign_periods`; dated articles without topic shares are left out.
    weights : mapping, optional
        Article id to its weight (tokens); every article weighs the same when omitted.
    confidence : float
        Coverage of the band.
    n_boot : int
        Bootstrap resamples.
    random_state : int
        Seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        ``period, topic, n_articles, share, share_low, share_high``, periods in order, then
        topics; NaN shares in empty periods, NaN bands below :data:`MIN_BOOTSTRAP_ARTICLES`.

    Raises
    ------
    ValueError
        When a column is missing, a weight is missing or negative, or an argument is out of range.
    """
    import pandas as pd

    who = "topic_prevalence_by_period"
    missing_columns = {"doc_id", "topic", "share"} - set(article_topics.columns)
    if missing_columns:
        raise ValueError(f"{who}: article_topics lacks {sorted(missing_columns)}; pass aggregate_to_articles' table")
    confidence = _check_confidence(confidence, who)
    rng = _check_boot("bootstrap", n_boot, random_state, who)
    shares = article_topics.pivot(index="doc_id", columns="topic", values="share")
    used = dated[dated["doc_id"].isin(shares.index)]
    if weights is None:
        w = np.ones(len(used))
    else:
        absent = [d for d in used["doc_id"] if d not in weights]
        if absent:
            raise ValueError(f"{who}: weights has no entry for {absent[0]!r}; pass one weight per article")
        w = np.array([float(weights[d]) for d in used["doc_id"]])
        if np.any(w < 0):
            raise ValueError(f"{who}: weights must be >= 0 (tokens per article)")
    values = shares.loc[list(used["doc_id"])].to_numpy(dtype=float)
    topics = [int(t) for t in shares.columns]
    out = []
    for label in (str(p) for p in dated["period"].cat.categories):
        inside = (used["period"] == label).to_numpy()
        weighted, total = values[inside] * w[inside, None], w[inside].sum()
        share = weighted.sum(axis=0) / total if total > 0 else np.full(len(topics), np.nan)
        low, high = bootstrap_ratio(weighted, w[inside], confidence, n_boot, rng)
        out += [(label, t, int(inside.sum()), share[j], low[j], high[j]) for j, t in enumerate(topics)]
    columns = ["period", "topic", "n_articles", "share", "share_low", "share_high"]
    return round_table(pd.DataFrame(out, columns=columns).astype({"period": object, "topic": "int64"}))


def period_keyness(
    space: VectorSpace, dated: pd.DataFrame, target: str, prior_scale: float | None = None, **options: object
) -> pd.DataFrame:
    """Key terms of one period against all other dated articles.

    The comparison of :func:`analysis.stats.groups.compare_groups` (G², log ratio and
    log-odds of :mod:`analysis.stats.keyness`), on the dated articles only: an undated
    article could belong to either side.

    Parameters
    ----------
    space : VectorSpace
        An article space.
    dated : pandas.DataFrame
        From :func:`assign_periods`.
    target : str
        The period label (see :func:`target_period`).
    prior_scale : float, optional
        ``alpha0`` of the log-odds prior; the mean length of the dated articles when omitted.
    **options
        Passed to :func:`~analysis.stats.groups.compare_groups` (its permutation settings).

    Returns
    -------
    pandas.DataFrame
        :func:`~analysis.stats.groups.compare_groups`' table with its sides named after the
        period (``n_period, n_rest, per_1000_period, per_1000_rest``...) and without the
        percentile ranks; ordered by G² descending, then term; ``attrs["target"]`` names the
        period.

    Raises
    ------
    ValueError
        When either side has no tokens, or a dated article is not in the space.
    """
    who = "period_keyness"
    checked_counts(space, who)
    rows, _ = _rows(space, dated, who)
    subset = replace(
        space,
        doc_ids=tuple(space.doc_ids[i] for i in rows),
        counts=space.counts[rows],
        tfidf=space.tfidf[rows],
    )
    in_period = (dated["period"].astype(str) == str(target)).to_list()
    table = compare_groups(subset, in_period, (str(target), "other periods"), prior_scale, **options)
    names = {f"{k}_{s}": f"{k}_{side}" for k in ("n", "df", "per_1000") for s, side in (("a", "period"), ("b", "rest"))}
    attrs = dict(table.attrs)
    table = table.drop(columns=["pct_a", "pct_b"], errors="ignore").rename(columns=names)
    table.attrs = {**attrs, "target": str(target)}
    return table


def key_terms_each_way(keyness: pd.DataFrame, n: int) -> list[str]:
    """The ``n`` strongest terms more frequent in the period, then the ``n`` strongest less frequent.

    Parameters
    ----------
    keyness : pandas.DataFrame
        From :func:`period_keyness`.
    n : int
        Terms on each side (fewer when a side has fewer).

    Returns
    -------
    list of str
        By G² (largest absolute value first), ties by term.
    """
    n = positive_int(n, "n", "key_terms_each_way")
    more = keyness[keyness["g2"] > 0].sort_values(["g2", "term"], ascending=[False, True])
    less = keyness[keyness["g2"] < 0].sort_values(["g2", "term"], ascending=[True, True])
    return list(more["term"].head(n)) + list(less["term"].head(n))


def keyness_sides(keyness: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` key terms on each side, with a ``side`` column naming it, for small multiples.

    Parameters
    ----------
    keyness : pandas.DataFrame
        From :func:`period_keyness`.
    n : int
        Terms per side.

    Returns
    -------
    pandas.DataFrame
        The rows of those terms (more-frequent side first), with ``side`` =
        ``"more frequent in <period>"`` or ``"less frequent in <period>"``.
    """
    terms = key_terms_each_way(keyness, n)
    target = keyness.attrs.get("target", "the period")
    shown = keyness.set_index("term").loc[terms].reset_index()
    side = np.where(shown["g2"] > 0, f"more frequent in {target}", f"less frequent in {target}")
    return shown.assign(side=side)


def term_timeline(space: VectorSpace, dated: pd.DataFrame, terms: Sequence[str]) -> pd.DataFrame:
    """Every dated article that uses each term, with the day and the count.

    Parameters
    ----------
    space : VectorSpace
        An article space.
    dated : pandas.DataFrame
        From :func:`assign_periods`.
    terms : sequence of str
        Cleaned terms; terms outside the vocabulary have no rows.

    Returns
    -------
    pandas.DataFrame
        ``term, doc_id, date, period, n`` with ``n > 0``, terms in the order given, then by
        date and corpus order.
    """
    import pandas as pd

    counts = checked_counts(space, "term_timeline")
    rows, _ = _rows(space, dated, "term_timeline")
    column = {term: j for j, term in enumerate(space.vocabulary)}
    order = np.argsort(dated["date"].to_numpy(), kind="stable")
    out = []
    for term in dict.fromkeys(terms):
        if term not in column:
            continue
        n = counts[rows][:, column[term]].toarray().ravel()
        out += [
            (term, dated["doc_id"].iat[i], dated["date"].iat[i], str(dated["period"].iat[i]), int(n[i]))
            for i in order
            if n[i] > 0
        ]
    table = pd.DataFrame(out, columns=["term", "doc_id", "date", "period", "n"])
    return table.astype({"term": object, "doc_id": object, "date": "datetime64[s]", "period": object, "n": "int64"})


def first_last_appearance(timeline: pd.DataFrame, terms: Sequence[str] | None = None) -> pd.DataFrame:
    """When each term was first and last used, and how often in between.

    Parameters
    ----------
    timeline : pandas.DataFrame
        From :func:`term_timeline`.
    terms : sequence of str, optional
        Row order (terms never used get no row); the timeline's order when omitted.

    Returns
    -------
    pandas.DataFrame
        ``term, n, n_articles, first_date, first_period, first_doc_id, last_date,
        last_period, last_doc_id``; dates as ``YYYY-MM-DD`` text. On a tie of days the article
        earlier in the corpus counts as first, the later as last.
    """
    import pandas as pd

    rows = []
    order = list(dict.fromkeys(terms if terms is not None else timeline["term"]))
    for term in order:
        uses = timeline[timeline["term"] == term]
        if uses.empty:
            continue
        first, last = uses.iloc[0], uses.iloc[-1]
        rows.append(
            (term, int(uses["n"].sum()), len(uses), f"{first['date']:%Y-%m-%d}", first["period"], first["doc_id"])
            + (f"{last['date']:%Y-%m-%d}", last["period"], last["doc_id"])
        )
    columns = ["term", "n", "n_articles", "first_date", "first_period", "first_doc_id"]
    return pd.DataFrame(rows, columns=columns + ["last_date", "last_period", "last_doc_id"])


def rate_trends(table: pd.DataFrame, by: str, value: str) -> pd.DataFrame:
    """A straight-line trend per term or topic across the periods that have a value.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`term_rates_by_period` (``by="term", value="per_1000"``) or
        :func:`topic_prevalence_by_period` (``by="topic", value="share"``).
    by, value : str
        The grouping and value columns.

    Returns
    -------
    pandas.DataFrame
        ``<by>, first_period, first, last_period, last, slope``: the first and last period with a
        value and their values, and the least-squares slope per period (periods equally spaced,
        empty ones skipped); in the table's order.
    """
    import pandas as pd

    rows = []
    for key, group in table.groupby(by, sort=False):
        position = np.arange(len(group), dtype=float)
        present = group[value].notna().to_numpy()
        if not present.any():
            rows.append((key, None, math.nan, None, math.nan, math.nan))
            continue
        values = group[value].to_numpy(dtype=float)[present]
        slope = float(np.polyfit(position[present], values, 1)[0]) if present.sum() >= 2 else math.nan
        first, last = group[present].iloc[0], group[present].iloc[-1]
        rows.append((key, first["period"], first[value], last["period"], last[value], slope))
    return round_table(pd.DataFrame(rows, columns=[by, "first_period", "first", "last_period", "last", "slope"]))
