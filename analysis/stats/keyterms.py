"""Which key terms to show: a stated significance rule, a ranking by effect size, ties at the cut.

The keyness table (:func:`analysis.stats.keyness.keyness_by_article`) holds every article ×
term test; a figure can show a few terms per article. :func:`select_key_terms` keeps those
that pass the rule and ranks them by log ratio, and says the rule in words for the caption;
:func:`ties_at_cut` notes where a cut fell inside a tie.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from analysis.checks import as_int, positive_int
from analysis.stats.keyness import CORRECTIONS, KEY_TERMS_ALPHA

if TYPE_CHECKING:
    import pandas as pd


#: Fewest uses of a term in an article for :func:`select_key_terms` to chart it: a term used
#: once or twice gives an unstable log ratio, even when it passes the q-value filter.
KEY_TERMS_MIN_COUNT = 3


def strongest_terms(keyness: pd.DataFrame, n: int = 8) -> list[str]:
    """Distinct terms with the highest positive G² in any document, strongest first.

    Parameters
    ----------
    keyness : pandas.DataFrame
        From :func:`keyness_by_article`.
    n : int
        How many terms.

    Returns
    -------
    list of str
        Terms ordered by their best G² (ties by term).
    """
    best = keyness[keyness["g2"] > 0].groupby("term")["g2"].max()
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
    return [term for term, _ in ranked[: positive_int(n, "n", "strongest_terms")]]


#: How :func:`ties_at_cut` names the score in its notes.
SCORE_NAMES = {"g2": "G²", "log_ratio": "log ratio", "lrc": "LRC", "z": "z", "log_odds": "log-odds"}


def ties_at_cut(keyness: pd.DataFrame, shown: pd.DataFrame, value: str = "g2") -> dict[str, str]:
    """For each document, how many terms not shown tie with the last term shown.

    The positive side (``value >= 0``) is cut at its smallest shown value and the negative
    side at its shown value nearest zero; each side is checked on its own.

    Parameters
    ----------
    keyness : pandas.DataFrame
        The rows the display chose from (:func:`keyness_by_article`, or the rows passing a
        selection rule).
    shown : pandas.DataFrame
        The rows kept for display (e.g. the top n per document).
    value : str
        The score the display ranked by.

    Returns
    -------
    dict
        Document id to a note such as ``"+3 more terms tie at G² 9.7"``, for documents
        where a cut fell inside a tie (the display then had to pick among equals by name).
    """
    name = SCORE_NAMES.get(value, value)
    notes: dict[str, list[str]] = {}
    for upper in (True, False):
        side = shown[(shown[value] >= 0) == upper]
        cut = side.groupby("doc_id", sort=False)[value].agg("min" if upper else "max")
        at_cut = keyness["doc_id"].map(cut)
        all_at_cut = keyness.loc[keyness[value] == at_cut, "doc_id"].value_counts(sort=False)
        shown_at_cut = side.loc[side[value] == side["doc_id"].map(cut), "doc_id"].value_counts(sort=False)
        for doc_id, score in cut.items():
            hidden = int(all_at_cut.get(doc_id, 0)) - int(shown_at_cut.get(doc_id, 0))
            if hidden > 0:
                terms = f"term{'s' if hidden > 1 else ''}"
                notes.setdefault(doc_id, []).append(f"+{hidden} more {terms} tie at {name} {float(score):.1f}")
    return {doc_id: "; ".join(parts) for doc_id, parts in notes.items()}


class KeyTerms(NamedTuple):
    """What :func:`select_key_terms` returns."""

    #: The chosen rows of the keyness table, by article, then score descending, then term.
    rows: pd.DataFrame
    #: The rule in words, for the figure: which terms, ranked how, how many articles have none.
    caption: str
    #: Document id to a note on hidden ties at a cut (see :func:`ties_at_cut`).
    notes: dict[str, str]


#: How :func:`select_key_terms` names each correction's adjusted p-value.
CORRECTION_NAMES = {"bh": "BH q", "bonferroni": "Bonferroni-adjusted p"}


def _eligible(keyness: pd.DataFrame, correction: str, alpha: float, min_count: int, negative: bool) -> pd.DataFrame:
    """The rows passing the significance rule, each on the side its ``g2`` gives."""
    score = "lrc" if correction == "lrc" else "log_ratio"
    significant = keyness[score] != 0 if correction == "lrc" else keyness["q_value"] < alpha
    positive = (keyness["g2"] > 0) & (keyness["n_target"] >= min_count)
    rarer = (keyness["g2"] < 0) & (keyness["n_reference"] >= min_count) if negative else False
    # a smoothed log ratio can point against the counts when one side is zero; such a row is no estimate
    agrees = np.sign(keyness[score]) == np.sign(keyness["g2"])
    return keyness[significant & (positive | rarer) & agrees]


def _caption(correction: str, alpha: float, min_count: int, negative: bool, attrs: dict, none: int, of: int) -> str:
    if correction == "lrc":
        level = attrs.get("alpha", KEY_TERMS_ALPHA)
        rule = f"terms whose log ratio's Bonferroni-corrected interval (α = {level:g} per article) excludes 0"
        ranked = "ranked by LRC"
    else:
        rule = f"terms with {CORRECTION_NAMES[correction]} < {alpha:g} in their article"
        ranked = "ranked by log ratio"
    used = f"used at least {min_count} times there" + (
        " (negative terms: in the rest of the corpus)" if negative else ""
    )
    return f"{rule}, {used}, {ranked}; {none} of {of} articles have none"


def select_key_terms(
    keyness: pd.DataFrame,
    n: int = 8,
    alpha: float = KEY_TERMS_ALPHA,
    min_count: int = KEY_TERMS_MIN_COUNT,
    negative: bool = False,
    correction: str | None = None,
) -> KeyTerms:
    """Each article's key terms for a figure: significant first, then ranked by effect size.

    The rule: a term is eligible in an article when its ``q_value`` is below ``alpha`` and
    the article uses it at least ``min_count`` times (a negative term, with ``negative``:
    ``g2 < 0`` and at least ``min_count`` uses in the rest of the corpus), and its log ratio
    points the same way as its ``g2`` (the 0.5 put in for a zero count can flip a small
    ratio; such a row is no estimate of the effect). Eligible terms are
    ranked by ``log_ratio``, the effect size: how many times more frequent, which G², p and
    the log-odds z do not say on their own (z is an effect divided by its standard error, so
    ranking by it after a significance filter would count the evidence twice and favour
    frequent words over distinctive ones). With ``correction="lrc"`` the rule is
    ``lrc != 0`` and the ranking is by ``lrc``. Each article keeps its ``n`` strongest
    positive terms (and ``n`` strongest negative ones), ties broken by term.

    Parameters
    ----------
    keyness : pandas.DataFrame
        From :func:`keyness_by_article`.
    n : int
        Terms per article and side.
    alpha : float
        Largest ``q_value`` called significant (not used with ``"lrc"``, whose level was set
        by :func:`keyness_by_article`).
    min_count : int
        Fewest uses (in the article; for negative terms, in the rest of the corpus).
    negative : bool
        Also choose terms the article uses less than the rest of the corpus.
    correction : {"bh", "bonferroni", "lrc"}, optional
        What ``q_value`` holds; ``keyness.attrs["correction"]`` when omitted (a table read
        back from CSV has no attrs: pass it).

    Returns
    -------
    KeyTerms
        ``rows`` (the chosen rows), ``caption`` (the rule in words, e.g. "terms with BH q <
        0.05 in their article, used at least 3 times there, ranked by log ratio; 2 of 10
        articles have none") and ``notes`` (hidden ties, for the panels).

    Raises
    ------
    ValueError
        When the correction is unknown or missing, or ``n``, ``alpha`` or ``min_count`` is
        out of range.
    """
    who = "select_key_terms"
    correction = keyness.attrs.get("correction") if correction is None else correction
    if correction not in CORRECTIONS:
        raise ValueError(
            f"{who}: correction must be one of {', '.join(map(repr, CORRECTIONS))}, got {correction!r}; "
            "pass correction= for a table without attrs (e.g. read back from CSV)"
        )
    n = positive_int(n, "n", who)
    min_count = as_int(min_count, "min_count", who, minimum=0)
    if not 0 < alpha <= 1:
        raise ValueError(f"{who}: alpha must lie in (0, 1] (0.05 is usual), got {alpha!r}")
    score = "lrc" if correction == "lrc" else "log_ratio"
    eligible = _eligible(keyness, correction, alpha, min_count, negative)
    ordered = eligible.assign(_order=-eligible[score].abs()).sort_values(["doc_id", "_order", "term"], kind="stable")
    chosen = ordered.groupby(["doc_id", ordered["g2"] > 0], sort=False).head(n).drop(columns="_order")
    position = {doc_id: i for i, doc_id in enumerate(dict.fromkeys(keyness["doc_id"]))}
    rows = chosen.assign(_doc=chosen["doc_id"].map(position), _score=-chosen[score])
    rows = rows.sort_values(["_doc", "_score", "term"], kind="stable").drop(columns=["_doc", "_score"])
    rows = rows.reset_index(drop=True)
    none = len(position) - rows["doc_id"].nunique()
    caption = _caption(correction, alpha, min_count, negative, keyness.attrs, none, len(position))
    return KeyTerms(rows, caption, ties_at_cut(eligible, rows, score))
