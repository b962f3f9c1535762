"""An interactive topic explorer in one self-contained HTML file, after LDAvis.

The page follows Sievert & Shirley (2014), "LDAvis: A method for visualizing and
interpreting topics": a map of the topics on the left, the terms of one topic on the right.
:func:`explorer_data` computes everything the page shows; :func:`render_explorer` turns it
into HTML; :func:`write_explorer` saves it through :mod:`analysis.io`.

What is computed, for ``k`` topics over ``V`` terms and ``D`` documents:

* **prevalence** of topic ``t``: its share of the corpus tokens,
  ``sum_d len_d * theta_dt / sum_d len_d``.
* **intertopic divergence**: the Jensen-Shannon divergence (natural log, so at most
  ``ln 2``) between two rows of the topic-term matrix, used directly as the dissimilarity,
  as pyLDAvis does.
* **map**: classical multidimensional scaling (principal coordinate analysis) of that
  matrix onto two axes, PC1 and PC2. Each axis' sign is fixed by making its largest
  coordinate (in absolute value) positive, so the same model always draws the same map.
* **overall term frequency** ``n * p(w)`` with ``p(w) = sum_t prevalence_t * p(w | t)``,
  and the **estimated frequency within topic** ``t``, ``p(w | t) * tokens_t``. As in LDAvis
  since its issue 32, ``p(w)`` is implied by the model rather than taken from the observed
  counts, so a topic's bar never outgrows the overall bar; the observed count travels along
  as ``corpus_frequency`` and is shown on hover.
* **relevance** ``r(w | t, lam) = lam * log p(w | t) + (1 - lam) * log(p(w | t) / p(w))``:
  ``lam = 1`` ranks by probability within the topic, ``lam = 0`` by lift.
* **saliency** (Chuang, Manning & Heer 2012), for the view with no topic selected:
  ``p(w) * sum_t p(t | w) * log(p(t | w) / p(t))`` with ``p(t | w)`` from Bayes' rule.

The page re-ranks terms on the client for any ``lam`` on its slider (steps of 0.01). It
can only rank the terms it was given, so for each topic the data keep the union of the top
``top_n`` terms over a grid of ``lam`` values; the default grid has the slider's own steps,
which makes every slider position exact.

The page's markup, style and script are package files, ``templates/explorer.html``,
``explorer.css`` and ``explorer.js``, read once through :mod:`importlib.resources` and filled
with :class:`string.Template` placeholders (``$title``, ``$payload`` ...). Each value is
escaped by the one function of its context (:mod:`analysis.report.html`): HTML text and attributes by ``markup``, the
colour custom properties by ``css_colour`` (``#rrggbb`` only), the script's data by
:func:`script_json`. No data are joined into markup any other way.

Safety: the data go into the page's single ``<script>`` element as JSON in which ``<``,
``>``, ``&``, U+2028 and U+2029 are written as ``\\uXXXX`` escapes, so no scraped term can
close the element; the script puts text into the page only through ``textContent`` and
``setAttribute``. The title, unit and topic labels are HTML-escaped wherever they appear in
markup. The page is plain ASCII and fetches nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from string import Template
from typing import Any

import numpy as np
from scipy.special import rel_entr

from analysis.checks import positive_int
from analysis.io import atomic_write_text
from analysis.models.relevance import (  # noqa: F401 - relevance re-exported for the page's tests
    log_probability_and_lift,
    relevance,
    relevance_from_logs,
    term_proportion,
    topic_prevalence,
)
from analysis.precision import round_array, significant
from analysis.report.html import fill_markup as _fill_markup
from analysis.report.html import fill_script as _fill_script
from analysis.report.html import fill_style as _fill_style
from analysis.report.html import lines as _lines
from analysis.report.html import percent as _percent
from analysis.report.html import template as _template

# How many terms a bar chart shows, as in LDAvis.
TOP_N = 30
# The slider moves in steps of 0.01; keeping the top terms at each of its positions
# makes the client's re-ranking exact everywhere on the slider.
LAMBDA_GRID = tuple(i / 100 for i in range(101))
# Rounding of every float in the data: enough for drawing, few enough to be stable
# across BLAS builds and to keep the file small.
SIGNIFICANT_DIGITS = 6
# pyLDAvis accepts distributions whose rows sum to 1 within 1e-3 (float32 models drift).
ROW_SUM_TOLERANCE = 1e-3
# Identifies the layout of the dict returned by explorer_data.
DATA_FORMAT = "analysis.report.explorer/1"

# Page geometry in CSS pixels. A circle's radius is RADIUS_SCALE * sqrt(share), so its
# area is proportional to the topic's share of tokens (a share of 1 gives RADIUS_SCALE).
MAP_SIZE = 480
MAP_PADDING = 32  # room for the axis labels at the map's edges
RADIUS_SCALE = 90
SIZE_LEGEND_SHARES = (0.05, 0.1, 0.25)
# Term labels longer than label_chars characters, or wider than the label column, are cut
# with an ellipsis; the full term is in the row's tooltip.
BAR_GEOMETRY = {"width": 560, "label_width": 160, "bar_width": 380, "row": 18, "top": 26, "label_chars": 30}

# Okabe-Ito colours (colour-blind safe): blue for topics, vermillion for the selected
# topic and its bars, a light grey for overall frequencies.
COLOURS = {"topic": "#0072B2", "selected": "#D55E00", "overall": "#BDBDBD"}


# --------------------------------------------------------------------------- numbers


def _round(value: float) -> float:
    """Round to :data:`SIGNIFICANT_DIGITS` significant digits; ``-0.0`` becomes ``0.0``."""
    return significant(float(value), SIGNIFICANT_DIGITS)


def _rounded(values: np.ndarray) -> list:
    """Round every element of an array (any shape) and return nested lists."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        return _round(array)
    return [_rounded(row) for row in array] if array.ndim > 1 else [_round(v) for v in array]


# --------------------------------------------------------------------------- validation


def _finite_array(values: Any, name: str, ndim: int) -> np.ndarray:
    """``values`` as a finite, non-negative float64 array with ``ndim`` dimensions."""
    array = np.array(values, dtype=float)
    if array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {array.shape}; pass a numpy array of that shape")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values; remove them before building the explorer")
    if np.any(array < 0):
        raise ValueError(f"{name} contains negative values; probabilities and counts must be >= 0")
    return array


def _distribution_rows(values: Any, name: str, source: str) -> np.ndarray:
    """A 2-D array whose rows are probability distributions, renormalised exactly.

    ``source`` names where such rows usually come from, for the error message.
    """
    array = _finite_array(values, name, 2)
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}); pass at least one row and one column")
    sums = array.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > ROW_SUM_TOLERANCE)
    if bad.size:
        row = int(bad[0])
        raise ValueError(
            f"{name} rows must each sum to 1, but row {row} sums to {sums[row]:.6g}; "
            f"pass probabilities ({source}), or divide by the row sums"
        )
    return array / sums[:, None]


def _checked_vocabulary(vocabulary: Sequence[str], n_terms: int) -> list[str]:
    """The vocabulary as a list of unique strings of length ``n_terms``."""
    if isinstance(vocabulary, str):
        raise ValueError("vocabulary must be a sequence of terms, got a single string; pass a list of str")
    terms = list(vocabulary)
    if len(terms) != n_terms:
        raise ValueError(f"vocabulary has {len(terms)} terms but topic_term has {n_terms} columns; pass one per column")
    if not all(isinstance(term, str) for term in terms):
        raise ValueError("vocabulary must contain only str; convert the terms with str() first")
    if len(set(terms)) != len(terms):
        duplicate = sorted(t for t in set(terms) if terms.count(t) > 1)[0]
        raise ValueError(f"vocabulary repeats the term {duplicate!r}; merge its columns so each term appears once")
    return terms


def _checked_lambdas(lambdas: Sequence[float]) -> list[float]:
    """Sorted, de-duplicated values of lambda, each in [0, 1]."""
    grid = sorted({float(v) for v in lambdas})
    if not grid:
        raise ValueError("lambdas is empty; pass values in [0, 1], e.g. LAMBDA_GRID")
    if not all(0.0 <= v <= 1.0 for v in grid):
        raise ValueError(f"lambdas must lie in [0, 1], got {grid[0]:g} .. {grid[-1]:g}; pass e.g. LAMBDA_GRID")
    return grid


def _checked_top_n(top_n: int) -> int:
    """``top_n`` as a positive int."""
    return positive_int(top_n, "top_n")


def _checked_model(topic_term, doc_topic, doc_lengths, term_frequency):
    """Validate the four arrays against each other; return them as float64 arrays."""
    phi = _distribution_rows(topic_term, "topic_term", "a fit's topic_term (analysis.models.fit)")
    theta = _distribution_rows(doc_topic, "doc_topic", "a fit's doc_topic (analysis.models.fit)")
    if theta.shape[1] != phi.shape[0]:
        raise ValueError(
            f"doc_topic has {theta.shape[1]} columns but topic_term has {phi.shape[0]} rows; "
            "both must describe the same topics"
        )
    lengths = _finite_array(doc_lengths, "doc_lengths", 1)
    if lengths.shape[0] != theta.shape[0]:
        raise ValueError(
            f"doc_lengths has {lengths.shape[0]} entries but doc_topic has {theta.shape[0]} rows; pass one per document"
        )
    if lengths.sum() <= 0:
        raise ValueError("doc_lengths sums to 0; pass each document's token count")
    observed = _finite_array(term_frequency, "term_frequency", 1)
    if observed.shape[0] != phi.shape[1]:
        raise ValueError(
            f"term_frequency has {observed.shape[0]} entries but topic_term has {phi.shape[1]} columns; "
            "pass one count per term"
        )
    return phi, theta, lengths, observed


# --------------------------------------------------------------------------- model statistics


def jensen_shannon(topic_term: np.ndarray) -> np.ndarray:
    """Jensen-Shannon divergence between every pair of topics (natural log).

    Parameters
    ----------
    topic_term : numpy.ndarray
        Topics × terms, rows summing to 1.

    Returns
    -------
    numpy.ndarray
        Symmetric ``k × k`` matrix, zero on the diagonal, values in ``[0, ln 2]``.
    """
    phi = np.asarray(topic_term, dtype=float)
    k = phi.shape[0]
    divergence = np.zeros((k, k))
    for i in range(k):
        # One row against all later rows at once: memory k × V, not k × k × V.
        others = phi[i + 1 :]
        mixture = 0.5 * (phi[i] + others)
        values = 0.5 * (rel_entr(phi[i], mixture).sum(axis=1) + rel_entr(others, mixture).sum(axis=1))
        divergence[i, i + 1 :] = divergence[i + 1 :, i] = np.maximum(values, 0.0)
    return divergence


def _fix_signs(coordinates: np.ndarray) -> np.ndarray:
    """Flip each column so that its entry of largest absolute value is positive."""
    fixed = coordinates.copy()
    for axis in range(fixed.shape[1]):
        # Rounded before argmax so that float noise cannot change which entry decides.
        pivot = int(np.argmax(np.round(np.abs(fixed[:, axis]), 9)))
        if fixed[pivot, axis] < 0:
            fixed[:, axis] = -fixed[:, axis]
    return fixed


def pcoa(dissimilarity: np.ndarray, n_components: int = 2) -> np.ndarray:
    """Classical multidimensional scaling (principal coordinate analysis).

    Parameters
    ----------
    dissimilarity : numpy.ndarray
        Symmetric ``k × k`` matrix with a zero diagonal.
    n_components : int
        Number of axes to return.

    Returns
    -------
    numpy.ndarray
        ``k × n_components`` coordinates, centred on the origin, axes ordered by
        decreasing eigenvalue, each axis' largest-magnitude coordinate positive. Negative
        eigenvalues (a non-Euclidean dissimilarity) and missing axes (``k <= n_components``)
        give zero columns.
    """
    d = np.asarray(dissimilarity, dtype=float)
    k = d.shape[0]
    centring = np.eye(k) - np.full((k, k), 1.0 / k)
    gram = -0.5 * centring @ (d**2) @ centring
    eigenvalues, eigenvectors = np.linalg.eigh((gram + gram.T) / 2)
    order = np.argsort(-eigenvalues, kind="stable")[:n_components]
    scale = max(float(np.abs(eigenvalues).max()), 1e-300)
    values = np.where(eigenvalues[order] > 1e-12 * scale, eigenvalues[order], 0.0)
    coordinates = np.zeros((k, n_components))
    coordinates[:, : order.size] = eigenvectors[:, order] * np.sqrt(values)
    return _fix_signs(coordinates)


def saliency(topic_term: np.ndarray, prevalence: np.ndarray) -> np.ndarray:
    """Saliency of each term (Chuang, Manning & Heer 2012).

    Parameters
    ----------
    topic_term : numpy.ndarray
        ``p(w | t)``, topics × terms.
    prevalence : numpy.ndarray
        ``p(t)``, summing to 1.

    Returns
    -------
    numpy.ndarray
        ``p(w) * KL(p(t | w) || p(t))`` per term, with ``p(t | w) = p(w | t) p(t) / p(w)``;
        0 for terms no topic uses.
    """
    phi = np.asarray(topic_term, dtype=float)
    p_t = np.asarray(prevalence, dtype=float)
    joint = phi * p_t[:, None]
    p_w = joint.sum(axis=0)
    posterior = np.divide(joint, p_w, out=np.zeros_like(joint), where=p_w > 0)
    distinctiveness = rel_entr(posterior, p_t[:, None]).sum(axis=0)
    return p_w * distinctiveness


def _top_terms(scores: np.ndarray, tie_rank: np.ndarray, n: int) -> list[int]:
    """Indices of the ``n`` highest finite scores, ties broken by ``tie_rank`` ascending."""
    finite = np.flatnonzero(np.isfinite(scores))
    if finite.size > n:
        # Partition first: a full sort of a large vocabulary for every lambda is wasteful.
        threshold = np.partition(scores[finite], finite.size - n)[finite.size - n]
        finite = finite[scores[finite] >= threshold]
    ranked = finite[np.lexsort((tie_rank[finite], -scores[finite]))]
    return [int(i) for i in ranked[:n]]


def _relevant_terms(
    log_prob: np.ndarray, log_lift: np.ndarray, grid: Sequence[float], tie_rank: np.ndarray, n: int
) -> set[int]:
    """Union over ``grid`` of one topic's ``n`` most relevant terms."""
    kept: set[int] = set()
    for lam in grid:  # scores rounded as the notebook's topic names round them, so both rank alike on every CPU
        kept.update(_top_terms(round_array(relevance_from_logs(log_prob, log_lift, lam)), tie_rank, n))
    return kept


def _alphabetical_rank(vocabulary: Sequence[str]) -> np.ndarray:
    """Position of each term in the sorted vocabulary (the tie-breaker everywhere)."""
    rank = np.empty(len(vocabulary), dtype=np.int64)
    rank[sorted(range(len(vocabulary)), key=vocabulary.__getitem__)] = np.arange(len(vocabulary))
    return rank


# --------------------------------------------------------------------------- the data


def _topic_entries(phi, tokens, layout, log_prob, log_lift, kept, ids) -> list[dict[str, Any]]:
    """One dict per topic: size, position and its candidate terms (by term id)."""
    entries = []
    for t in range(phi.shape[0]):
        terms = [
            {
                "id": ids[w],
                "frequency": _round(phi[t, w] * tokens[t]),
                "logprob": _round(log_prob[t, w]),
                "loglift": _round(log_lift[t, w]),
            }
            for w in sorted(kept[t], key=ids.__getitem__)
        ]
        entries.append(
            {
                "topic": t + 1,
                "prevalence": _round(tokens[t] / tokens.sum()),
                "tokens": _round(tokens[t]),
                "x": _round(layout[t, 0]),
                "y": _round(layout[t, 1]),
                "terms": terms,
            }
        )
    return entries


def _term_entries(order, vocabulary, n_tokens, p_w, observed, salience, posterior) -> list[dict[str, Any]]:
    """One dict per kept term, in the order given (alphabetical)."""
    return [
        {
            "term": vocabulary[w],
            "frequency": _round(n_tokens * p_w[w]),
            "corpus_frequency": _round(observed[w]),
            "saliency": _round(salience[w]),
            "topic_share": _rounded(posterior[:, w]),
        }
        for w in order
    ]


def explorer_data(
    topic_term: np.ndarray,
    doc_topic: np.ndarray,
    doc_lengths: np.ndarray,
    term_frequency: np.ndarray,
    vocabulary: Sequence[str],
    top_n: int = TOP_N,
    lambdas: Sequence[float] = LAMBDA_GRID,
) -> dict[str, Any]:
    """Everything the explorer page shows, as JSON-ready plain Python values.

    Parameters
    ----------
    topic_term : numpy.ndarray
        ``p(w | t)``, ``k × V``, rows summing to 1 (within 1e-3; renormalised).
    doc_topic : numpy.ndarray
        ``p(t | d)``, ``D × k``, rows summing to 1 (within 1e-3; renormalised).
    doc_lengths : numpy.ndarray
        Tokens in each of the ``D`` documents.
    term_frequency : numpy.ndarray
        Observed corpus count of each of the ``V`` terms (shown on hover only; the bars
        use the model's implied frequencies, see the module docstring).
    vocabulary : sequence of str
        The ``V`` terms, unique, in column order.
    top_n : int
        Terms per bar chart.
    lambdas : sequence of float
        Values of lambda in [0, 1] at which each topic's ``top_n`` most relevant terms are
        kept; the page ranks exactly at these values.

    Returns
    -------
    dict
        ``format``, ``n_documents``, ``n_tokens``, ``top_n``, ``lambdas``;
        ``topics``: per topic ``topic`` (1-based), ``prevalence``, ``tokens``, ``x``, ``y``
        and ``terms`` (``id``, estimated ``frequency`` in the topic, ``logprob``,
        ``loglift``); ``terms``: the kept terms in alphabetical order (a term's ``id`` is
        its index here) with ``term``, overall ``frequency``, ``corpus_frequency``,
        ``saliency`` and ``topic_share`` (``p(t | w)`` per topic); ``salient``: ids of the
        ``top_n`` most salient terms, most salient first; ``divergence``: the ``k × k``
        Jensen-Shannon matrix. Floats are rounded to 6 significant digits.

    Raises
    ------
    ValueError
        When shapes disagree, rows do not sum to 1, values are negative or not finite,
        the vocabulary repeats a term, ``top_n`` or ``lambdas`` are out of range, or a
        topic has no tokens at all.
    """
    phi, theta, lengths, observed = _checked_model(topic_term, doc_topic, doc_lengths, term_frequency)
    terms = _checked_vocabulary(vocabulary, phi.shape[1])
    top_n, grid = _checked_top_n(top_n), _checked_lambdas(lambdas)
    tokens = lengths @ theta
    empty = np.flatnonzero(tokens <= 0)
    if empty.size:
        raise ValueError(
            f"topic {int(empty[0]) + 1} has no tokens (doc_topic weighted by doc_lengths); drop it from the model first"
        )
    prevalence = topic_prevalence(theta, lengths)
    p_w = term_proportion(phi, theta, lengths)
    log_prob, log_lift = log_probability_and_lift(phi, p_w)
    tie_rank = _alphabetical_rank(terms)
    kept = [_relevant_terms(log_prob[t], log_lift[t], grid, tie_rank, top_n) for t in range(phi.shape[0])]
    salience = saliency(phi, prevalence)
    salient = _top_terms(np.where(p_w > 0, round_array(salience), -np.inf), tie_rank, top_n)
    order = sorted(set(salient).union(*kept), key=tie_rank.__getitem__)
    ids = {w: i for i, w in enumerate(order)}
    posterior = np.divide(phi * prevalence[:, None], p_w, out=np.zeros_like(phi), where=p_w > 0)
    divergence = jensen_shannon(phi)
    return {
        "format": DATA_FORMAT,
        "n_documents": int(theta.shape[0]),
        "n_tokens": _round(lengths.sum()),
        "top_n": top_n,
        "lambdas": [_round(v) for v in grid],
        "topics": _topic_entries(phi, tokens, pcoa(divergence), log_prob, log_lift, kept, ids),
        "terms": _term_entries(order, terms, float(lengths.sum()), p_w, observed, salience, posterior),
        "salient": [ids[w] for w in salient],
        "divergence": _rounded(divergence),
    }


# --------------------------------------------------------------------------- the page
#
# The page is three package files in templates/: explorer.html (the markup, with $name
# placeholders), explorer.css and explorer.js, filled by analysis.report.html (one escaping
# function per context). Code and style are never built from data.


# The SVG drawn once per topic or legend entry; everything drawn once is in explorer.html.
# They stay here, beside the geometry that places them, rather than in the script: the map
# is then complete without JavaScript, with a tooltip and an accessible name on each circle.
_TOPIC_CIRCLE = Template(
    '<circle class="topic-circle" data-topic="$topic" cx="$x" cy="$y" r="$r" data-r="$r" '
    'tabindex="0" role="button" aria-pressed="false" aria-label="$caption"><title>$caption</title></circle>'
)
_TOPIC_NUMBER = Template('<text class="topic-label" data-topic="$topic" x="$x" y="$y" aria-hidden="true">$topic</text>')
_LEGEND_ENTRY = Template(
    '<circle class="legend-circle" cx="$x" cy="$y" r="$r"/>\n'
    '<text class="tick" x="$x" y="$label_y" text-anchor="middle">$share</text>'
)


def _topic_caption(topic: dict[str, Any], n_topics: int, label: str) -> str:
    """Plain-text description of one topic for tooltips and screen readers."""
    share = _percent(topic["prevalence"])
    text = f"Topic {topic['topic']} of {n_topics} \u2014 {share} of tokens ({topic['tokens']:,.0f})"
    return f"{text}: {label}" if label else text


def _circle_positions(topics: list[dict[str, Any]]) -> list[tuple[float, float, float]]:
    """Centre and radius in map pixels for each topic; one scale for both axes."""
    radii = [RADIUS_SCALE * math.sqrt(t["prevalence"]) for t in topics]
    extent = max(max(abs(t["x"]), abs(t["y"])) for t in topics)
    reach = MAP_SIZE / 2 - max(radii) - MAP_PADDING
    scale = reach / extent if extent > 0 else 0.0
    centre = MAP_SIZE / 2
    return [(centre + scale * t["x"], centre - scale * t["y"], r) for t, r in zip(topics, radii, strict=True)]


def _checked_data(data: dict[str, Any], topic_labels: Sequence[str] | None) -> list[str]:
    """Check ``data`` came from :func:`explorer_data`; return one label per topic."""
    if not isinstance(data, dict) or data.get("format") != DATA_FORMAT:
        raise ValueError(
            f"data must be the dict returned by explorer_data (format {DATA_FORMAT!r}); "
            "build it with explorer_data(...)"
        )
    n_topics = len(data["topics"])
    if topic_labels is None:
        return [""] * n_topics
    if isinstance(topic_labels, str):
        raise ValueError("topic_labels must be a sequence with one str per topic, got a single string")
    labels = list(topic_labels)
    if len(labels) != n_topics or not all(isinstance(label, str) for label in labels):
        raise ValueError(
            f"topic_labels must hold {n_topics} str (one per topic), got {len(labels)} items; "
            "pass one label per topic or None"
        )
    return labels


def _map_values(data: dict[str, Any], labels: Sequence[str]) -> dict[str, str]:
    """The map's placeholders: its size, where the axis labels go, then circles largest first and numbers on top."""
    topics = data["topics"]
    positions = _circle_positions(topics)
    order = sorted(range(len(topics)), key=lambda i: (-topics[i]["prevalence"], i))
    circles, numbers = [], []
    for i in order:
        x, y, r = (f"{value:.2f}" for value in positions[i])
        caption = _topic_caption(topics[i], len(topics), labels[i])
        circles.append(_fill_markup(_TOPIC_CIRCLE, topic=str(i + 1), x=x, y=y, r=r, caption=caption))
        numbers.append(_fill_markup(_TOPIC_NUMBER, topic=str(i + 1), x=x, y=y))
    centre = MAP_SIZE / 2
    return {
        "map_size": str(MAP_SIZE),
        "map_centre": f"{centre:g}",
        "pc1_x": str(MAP_SIZE - 6),
        "pc1_y": f"{centre - 6:g}",
        "pc2_x": f"{centre + 6:g}",
        "topic_circles": _lines(circles),
        "topic_numbers": _lines(numbers),
    }


def _legend_values() -> dict[str, str]:
    """The size legend's placeholders: reference circles for :data:`SIZE_LEGEND_SHARES` at the map's scale."""
    radii = [RADIUS_SCALE * math.sqrt(s) for s in SIZE_LEGEND_SHARES]
    height = 2 * max(radii) + 22
    entries = []
    x = 10.0
    for share, r in zip(SIZE_LEGEND_SHARES, radii, strict=True):
        x += r
        entries.append(
            _fill_markup(
                _LEGEND_ENTRY,
                x=f"{x:.2f}",
                y=f"{2 * max(radii) - r + 2:.2f}",
                r=f"{r:.2f}",
                label_y=f"{height - 4:.0f}",
                share=_percent(share),
            )
        )
        x += r + 24
    return {
        "legend_height": f"{height:.0f}",
        "legend_entries": _lines(entries),
        "legend_caption_x": f"{x + 4:.2f}",
        "legend_caption_y": f"{max(radii) + 6:.2f}",
    }


def render_explorer(
    data: dict[str, Any], title: str, topic_labels: Sequence[str] | None = None, unit: str = "documents"
) -> str:
    """The explorer as one self-contained, deterministic HTML page.

    Parameters
    ----------
    data : dict
        From :func:`explorer_data`.
    title : str
        Page title and main heading (escaped; may contain any text).
    topic_labels : sequence of str, optional
        A short label per topic, shown beside the topic number.
    unit : str
        What the modelled documents are ("paragraphs"), for the summary line.

    Returns
    -------
    str
        ASCII HTML with inline CSS, one inline script and inline SVG; no network
        resources. Equal inputs give byte-identical pages.

    Raises
    ------
    ValueError
        When ``data`` is not from :func:`explorer_data` or the labels do not match the topics.
    """
    labels = _checked_data(data, topic_labels)
    payload = {"data": data, "labels": labels, "geometry": dict(BAR_GEOMETRY, radius_scale=RADIUS_SCALE)}
    page = _fill_markup(
        _template("explorer.html"),
        title=title,
        n_topics=str(len(data["topics"])),
        n_documents=f"{data['n_documents']:,}",
        unit=unit,
        n_tokens=f"{data['n_tokens']:,.0f}",
        top_n=str(data["top_n"]),
        bar_width=str(BAR_GEOMETRY["width"]),
        style=_fill_style(_template("explorer.css"), COLOURS),
        script=_fill_script(_template("explorer.js"), payload),
        **_map_values(data, labels),
        **_legend_values(),
    )
    return str(page)


def write_explorer(
    path: Path | str,
    data: dict[str, Any],
    title: str,
    topic_labels: Sequence[str] | None = None,
    unit: str = "documents",
) -> Path:
    """Render the explorer and write it atomically.

    Parameters
    ----------
    path : Path or str
        Destination ``.html`` file; parent folders are created.
    data : dict
        From :func:`explorer_data`.
    title : str
        Page title.
    topic_labels : sequence of str, optional
        One label per topic.
    unit : str
        What the modelled documents are, for the summary line.

    Returns
    -------
    Path
        The destination path.
    """
    return atomic_write_text(path, render_explorer(data, title, topic_labels, unit))
