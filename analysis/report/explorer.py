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

Safety: the data go into the page's single ``<script>`` element as JSON in which ``<``,
``>``, ``&``, U+2028 and U+2029 are written as ``\\uXXXX`` escapes, so no scraped term can
close the element; the script puts text into the page only through ``textContent`` and
``setAttribute``. The title and topic labels are HTML-escaped wherever they appear in
markup. The page is plain ASCII and fetches nothing.
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from scipy.special import rel_entr

from analysis.io import atomic_write_text
from analysis.models.relevance import log_probability_and_lift, relevance, topic_prevalence  # noqa: F401 - re-exported for the page's tests

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

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --------------------------------------------------------------------------- numbers


def _round(value: float) -> float:
    """Round to :data:`SIGNIFICANT_DIGITS` significant digits; ``-0.0`` becomes ``0.0``."""
    return float(f"{float(value):.{SIGNIFICANT_DIGITS}g}") + 0.0


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
    if isinstance(top_n, bool) or not isinstance(top_n, (int, np.integer)) or top_n < 1:
        raise ValueError(f"top_n must be a positive integer, got {top_n!r}; pass e.g. 30")
    return int(top_n)


def _checked_model(topic_term, doc_topic, doc_lengths, term_frequency):
    """Validate the four arrays against each other; return them as float64 arrays."""
    phi = _distribution_rows(
        topic_term, "topic_term", "gensim's get_topics(), or scikit-learn's components_ normalised"
    )
    theta = _distribution_rows(
        doc_topic, "doc_topic", "scikit-learn's transform(), or gensim with minimum_probability=0"
    )
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
    finite = np.isfinite(log_prob)
    kept: set[int] = set()
    for lam in grid:
        scores = np.full(log_prob.shape, -np.inf)
        scores[finite] = lam * log_prob[finite] + (1.0 - lam) * log_lift[finite]
        kept.update(_top_terms(scores, tie_rank, n))
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
    prevalence = tokens / tokens.sum()
    p_w = prevalence @ phi
    log_prob, log_lift = log_probability_and_lift(phi, p_w)
    tie_rank = _alphabetical_rank(terms)
    kept = [_relevant_terms(log_prob[t], log_lift[t], grid, tie_rank, top_n) for t in range(phi.shape[0])]
    salience = saliency(phi, prevalence)
    salient = _top_terms(np.where(p_w > 0, salience, -np.inf), tie_rank, top_n)
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


def _markup(text: str) -> str:
    """``text`` safe inside HTML text or a quoted attribute, as ASCII."""
    cleaned = _CONTROL_CHARACTERS.sub("\ufffd", text)
    return html.escape(cleaned, quote=True).encode("ascii", "xmlcharrefreplace").decode("ascii")


def script_json(value: Any) -> str:
    """JSON that can sit inside an HTML ``<script>`` element without ending it.

    Parameters
    ----------
    value : Any
        JSON-serialisable data (no NaN or infinity).

    Returns
    -------
    str
        ``json.dumps`` with sorted keys and ASCII output, in which ``<``, ``>``, ``&``,
        U+2028 and U+2029 are written as ``\\uXXXX`` escapes. These characters only occur
        inside JSON strings, where the escapes mean the same, so the text is still valid
        JSON and a valid JavaScript expression.
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    for character, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(character, escape)
    return text


def _percent(share: float) -> str:
    """A share as a whole percentage, ``<1%`` for small positive shares (as the page's script)."""
    value = 100.0 * share
    return "<1%" if 0 < value < 1 else f"{math.floor(value + 0.5)}%"


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


def _map_svg(data: dict[str, Any], labels: Sequence[str]) -> str:
    """The intertopic distance map: axes, then circles largest first, then numbers on top."""
    topics = data["topics"]
    positions = _circle_positions(topics)
    half, end = MAP_SIZE / 2, MAP_SIZE
    parts = [
        f'<svg id="map" class="map" viewBox="0 0 {end} {end}" width="{end}" height="{end}" '
        'role="group" aria-label="Intertopic distance map">',
        f'<line class="axis" x1="0" y1="{half:g}" x2="{end}" y2="{half:g}"/>',
        f'<line class="axis" x1="{half:g}" y1="0" x2="{half:g}" y2="{end}"/>',
        f'<text class="axis-label" x="{end - 6}" y="{half - 6:g}" text-anchor="end">PC1</text>',
        f'<text class="axis-label" x="{half + 6:g}" y="14">PC2</text>',
    ]
    order = sorted(range(len(topics)), key=lambda i: (-topics[i]["prevalence"], i))
    for i in order:
        x, y, r = positions[i]
        caption = _markup(_topic_caption(topics[i], len(topics), labels[i]))
        parts.append(
            f'<circle class="topic-circle" data-topic="{i + 1}" cx="{x:.2f}" cy="{y:.2f}" r="{r:.2f}" data-r="{r:.2f}" '
            f'tabindex="0" role="button" aria-pressed="false" aria-label="{caption}"><title>{caption}</title></circle>'
        )
    for i in order:
        x, y, _ = positions[i]
        parts.append(
            f'<text class="topic-label" data-topic="{i + 1}" x="{x:.2f}" y="{y:.2f}" aria-hidden="true">{i + 1}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _size_legend_svg() -> str:
    """Reference circles for :data:`SIZE_LEGEND_SHARES`, drawn at the map's scale."""
    radii = [RADIUS_SCALE * math.sqrt(s) for s in SIZE_LEGEND_SHARES]
    height = 2 * max(radii) + 22
    parts = [
        f'<svg class="size-legend" viewBox="0 0 {MAP_SIZE} {height:.0f}" width="{MAP_SIZE}" '
        f'height="{height:.0f}" aria-hidden="true">'
    ]
    x = 10.0
    for share, r in zip(SIZE_LEGEND_SHARES, radii, strict=True):
        x += r
        parts.append(f'<circle class="legend-circle" cx="{x:.2f}" cy="{2 * max(radii) - r + 2:.2f}" r="{r:.2f}"/>')
        parts.append(
            f'<text class="tick" x="{x:.2f}" y="{height - 4:.0f}" text-anchor="middle">{_percent(share)}</text>'
        )
        x += r + 24
    parts.append(f'<text class="tick" x="{x + 4:.2f}" y="{max(radii) + 6:.2f}">circle area = share of tokens</text>')
    parts.append("</svg>")
    return "\n".join(parts)


_CSS = (
    f":root {{ --topic: {COLOURS['topic']}; --selected: {COLOURS['selected']}; --overall: {COLOURS['overall']};\n"
    + """  --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --paper: #ffffff; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem 2rem 2rem; background: var(--paper); color: var(--ink); line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 0 0 .25rem; }
.summary, .caption { color: var(--muted); margin: 0 0 .75rem; }
.caption { font-size: .875rem; }
main { display: flex; flex-wrap: wrap; gap: 2rem 3rem; align-items: flex-start; }
.panel { flex: 1 1 480px; max-width: 600px; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: inherit; }
.map { border: 1px solid var(--rule); border-radius: 6px; background: #fbfcfd; }
.axis { stroke: #8c959f; stroke-dasharray: 4 4; }
.axis-label { fill: var(--muted); font-size: 12px; }
.topic-circle { fill: var(--topic); fill-opacity: .3; stroke: var(--topic); stroke-width: 1.5; cursor: pointer;
  transition: r .25s ease-out; }
.topic-circle:hover { fill-opacity: .5; }
.topic-circle.selected { fill: var(--selected); stroke: var(--selected); fill-opacity: .55; }
.topic-circle:focus { outline: none; }
.topic-circle:focus-visible { stroke: var(--ink); stroke-width: 3; }
.topic-label { font-size: 12px; font-weight: 600; fill: var(--ink); text-anchor: middle; dominant-baseline: central;
  cursor: pointer; user-select: none; }
.map.term-view .topic-circle { fill: var(--selected); stroke: var(--selected); fill-opacity: .4; }
.legend-circle { fill: none; stroke: var(--muted); }
.tick { font-size: 11px; fill: var(--muted); }
.grid { stroke: #e6e9ec; }
.term-label { font-size: 12px; fill: var(--ink); }
.term-bar-overall { fill: var(--overall); }
.term-bar-topic { fill: var(--selected); }
.term-row { cursor: default; }
.term-row:hover .term-bar-overall, .term-row:focus .term-bar-overall { fill: #9e9e9e; }
.term-row:focus { outline: none; }
.term-row:focus-visible .term-label, .term-row:hover .term-label { text-decoration: underline; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; margin: .75rem 0; }
.slider { display: flex; align-items: center; gap: .5rem; }
.slider input { width: 12rem; }
output { font-variant-numeric: tabular-nums; min-width: 2.5em; display: inline-block; }
button { font: inherit; font-size: .875rem; padding: .2rem .7rem; border: 1px solid var(--rule); border-radius: 6px;
  background: var(--panel); color: var(--ink); cursor: pointer; }
button:hover { background: #eaeef2; }
button:focus-visible, input:focus-visible { outline: 2px solid var(--topic); outline-offset: 2px; }
.legend { list-style: none; padding: 0; margin: .5rem 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem;
  font-size: .875rem; }
.swatch { display: inline-block; width: 1.6em; height: .85em; margin-right: .4em; vertical-align: -1px;
  border-radius: 2px; }
.swatch-overall { background: var(--overall); }
.swatch-topic { background: var(--selected); }
.info { min-height: 1.5em; font-size: .875rem; color: var(--ink); margin: .5rem 0; }
.note { font-size: .875rem; color: var(--muted); max-width: 70ch; }
.note p { margin: .4rem 0; }
footer { margin-top: 2rem; border-top: 1px solid var(--rule); padding-top: .75rem; }
"""
)

# The page's behaviour. It reads PAYLOAD (inserted where the marker stands), builds the bar
# chart with createElementNS/textContent only, and never parses strings as HTML.
_SCRIPT = r"""(function () {
"use strict";
const PAYLOAD = @PAYLOAD@;
const DATA = PAYLOAD.data;
const LABELS = PAYLOAD.labels;
const GEOM = PAYLOAD.geometry;
const K = DATA.topics.length;
const map = document.getElementById("map");
const bars = document.getElementById("bars");
const NS = bars.namespaceURI;
const slider = document.getElementById("lambda");
const lambdaValue = document.getElementById("lambda-value");
const heading = document.getElementById("bar-heading");
const caption = document.getElementById("bar-caption");
const info = document.getElementById("info");
const topicLegend = document.getElementById("legend-topic");
const circles = [];
const numbers = [];
map.querySelectorAll("circle.topic-circle").forEach(function (c) { circles[Number(c.dataset.topic) - 1] = c; });
map.querySelectorAll("text.topic-label").forEach(function (t) { numbers[Number(t.dataset.topic) - 1] = t; });
const state = { topic: null, lambda: Number(slider.value) };

function node(name, attributes, text) {
  const element = document.createElementNS(NS, name);
  Object.keys(attributes).forEach(function (key) { element.setAttribute(key, String(attributes[key])); });
  if (text !== undefined) { element.textContent = text; }
  return element;
}
function percent(share) {
  const value = 100 * share;
  return value > 0 && value < 1 ? "<1%" : Math.floor(value + 0.5) + "%";
}
function number(x) {
  if (x === 0) { return "0"; }
  if (Math.abs(x) >= 100) { return Math.round(x).toLocaleString("en-US"); }
  return String(Number(x.toPrecision(3)));
}
function fitLabel(label, text) {
  const room = GEOM.label_width - 12;
  let kept = Math.min(text.length, GEOM.label_chars);
  label.textContent = kept < text.length ? text.slice(0, kept - 1) + "\u2026" : text;
  if (typeof label.getComputedTextLength !== "function") { return; }
  while (kept > 2 && label.getComputedTextLength() > room) {
    kept -= 1;
    label.textContent = text.slice(0, kept - 1) + "\u2026";
  }
}
function niceStep(max) {
  const raw = max / 4;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / magnitude;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
}
function topicTitle(t) {
  return "Topic " + (t + 1) + " of " + K + " \u2014 " + percent(DATA.topics[t].prevalence) + " of tokens";
}
function rankedTerms(t, lambda) {
  return DATA.topics[t].terms.map(function (e) {
    return { id: e.id, frequency: e.frequency, logprob: e.logprob, loglift: e.loglift,
             relevance: lambda * e.logprob + (1 - lambda) * e.loglift };
  }).sort(function (a, b) { return (b.relevance - a.relevance) || (a.id - b.id); }).slice(0, DATA.top_n);
}
function describe(row) {
  const term = DATA.terms[row.id];
  const lines = [term.term, "Overall frequency (model): " + number(term.frequency),
                 "Corpus count: " + number(term.corpus_frequency)];
  if (state.topic === null) {
    lines.push("Saliency: " + number(term.saliency));
  } else {
    lines.push("Estimated frequency in topic " + (state.topic + 1) + ": " + number(row.frequency));
    lines.push("p(w | t) = " + number(Math.exp(row.logprob)) +
               ", lift p(w | t) / p(w) = " + number(Math.exp(row.loglift)));
    lines.push("Relevance at \u03bb = " + state.lambda.toFixed(2) + ": " + number(row.relevance));
  }
  return lines;
}
function defaultInfo() {
  return "Select a topic by clicking its circle (or Tab to it and press Enter); " +
    "hover or focus a term to see how it is shared among topics.";
}
function showTopicInfo(t) {
  const label = LABELS[t] ? ": " + LABELS[t] : "";
  info.textContent = topicTitle(t) + " (" + number(DATA.topics[t].tokens) + " tokens)" + label;
}
function showTerm(id) {
  const term = DATA.terms[id];
  circles.forEach(function (c, t) {
    c.setAttribute("r", (GEOM.radius_scale * Math.sqrt(term.topic_share[t])).toFixed(2));
  });
  map.classList.add("term-view");
  info.textContent = "\u201c" + term.term + "\u201d: circle areas now show how its " + number(term.frequency) +
    " tokens are shared among topics.";
}
function resetCircles() {
  circles.forEach(function (c) { c.setAttribute("r", c.dataset.r); });
  map.classList.remove("term-view");
  info.textContent = defaultInfo();
}
function drawAxis(maxFrequency, scale, height) {
  const step = niceStep(maxFrequency);
  for (let i = 0; i * step <= maxFrequency * (1 + 1e-9); i += 1) {
    const x = GEOM.label_width + i * step * scale;
    bars.appendChild(node("line", { "class": "grid", x1: x, x2: x, y1: GEOM.top - 4, y2: height }));
    bars.appendChild(node("text", { "class": "tick", x: x, y: GEOM.top - 9, "text-anchor": "middle" },
                          number(i * step)));
  }
}
function drawRow(row, i, scale) {
  const term = DATA.terms[row.id];
  const y = GEOM.top + i * GEOM.row;
  const lines = describe(row);
  const group = node("g", { "class": "term-row", tabindex: 0, role: "listitem", "aria-label": lines.join("; ") });
  group.appendChild(node("title", {}, lines.join("\n")));
  const label = node("text", { "class": "term-label", x: GEOM.label_width - 6, y: y + GEOM.row / 2,
                               "text-anchor": "end", "dominant-baseline": "central" });
  group.appendChild(label);
  group.appendChild(node("rect", { "class": "term-bar term-bar-overall", x: GEOM.label_width, y: y + 2,
                                   width: term.frequency * scale, height: GEOM.row - 4 }));
  if (state.topic !== null) {
    group.appendChild(node("rect", { "class": "term-bar term-bar-topic", x: GEOM.label_width, y: y + 2,
                                     width: row.frequency * scale, height: GEOM.row - 4 }));
  }
  group.addEventListener("mouseenter", function () { showTerm(row.id); });
  group.addEventListener("focus", function () { showTerm(row.id); });
  group.addEventListener("mouseleave", resetCircles);
  group.addEventListener("blur", resetCircles);
  bars.appendChild(group);
  fitLabel(label, term.term);
}
function renderBars() {
  const rows = state.topic === null ? DATA.salient.map(function (id) { return { id: id }; })
                                    : rankedTerms(state.topic, state.lambda);
  const maxFrequency = rows.reduce(function (m, r) { return Math.max(m, DATA.terms[r.id].frequency); }, 0) || 1;
  const scale = GEOM.bar_width / maxFrequency;
  const height = GEOM.top + rows.length * GEOM.row + 4;
  while (bars.firstChild) { bars.removeChild(bars.firstChild); }
  bars.setAttribute("viewBox", "0 0 " + GEOM.width + " " + height);
  bars.setAttribute("height", String(height));
  drawAxis(maxFrequency, scale, height);
  rows.forEach(function (row, i) { drawRow(row, i, scale); });
  if (state.topic === null) {
    heading.textContent = "Most salient terms overall";
    caption.textContent = "Top " + rows.length + " terms by saliency (Chuang et al. 2012); " +
      "select a topic to rank its terms by relevance.";
  } else {
    const label = LABELS[state.topic];
    heading.textContent = topicTitle(state.topic);
    caption.textContent = (label ? label + " \u00b7 " : "") + "Top " + rows.length +
      " terms by relevance at \u03bb = " + state.lambda.toFixed(2) + ".";
  }
  topicLegend.hidden = state.topic === null;
}
function select(t) {
  state.topic = t;
  circles.forEach(function (c, i) {
    c.classList.toggle("selected", i === t);
    c.setAttribute("aria-pressed", i === t ? "true" : "false");
  });
  renderBars();
}
function toggle(t) { select(state.topic === t ? null : t); }
circles.forEach(function (c, t) {
  c.addEventListener("click", function () { toggle(t); });
  c.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(t); }
  });
  c.addEventListener("mouseenter", function () { showTopicInfo(t); });
  c.addEventListener("focus", function () { showTopicInfo(t); });
  c.addEventListener("mouseleave", function () { info.textContent = defaultInfo(); });
  c.addEventListener("blur", function () { info.textContent = defaultInfo(); });
});
numbers.forEach(function (n, t) { n.addEventListener("click", function () { toggle(t); }); });
document.getElementById("previous").addEventListener("click", function () {
  select(state.topic === null ? K - 1 : (state.topic + K - 1) % K);
});
document.getElementById("next").addEventListener("click", function () {
  select(state.topic === null ? 0 : (state.topic + 1) % K);
});
document.getElementById("clear").addEventListener("click", function () { select(null); });
document.addEventListener("keydown", function (event) { if (event.key === "Escape") { select(null); } });
slider.addEventListener("input", function () {
  state.lambda = Number(slider.value);
  lambdaValue.textContent = state.lambda.toFixed(2);
  if (state.topic !== null) { renderBars(); }
});
lambdaValue.textContent = state.lambda.toFixed(2);
info.textContent = defaultInfo();
document.documentElement.classList.add("js");
renderBars();
}());
"""


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


def _controls_html() -> str:
    """Buttons, the lambda slider, the bar legend and the live info line."""
    return """<div class="controls">
<button type="button" id="previous">&larr; Previous topic</button>
<button type="button" id="next">Next topic &rarr;</button>
<button type="button" id="clear">Clear selection</button>
</div>
<div class="controls">
<div class="slider"><label for="lambda">Relevance metric &lambda; =</label>
<input type="range" id="lambda" name="lambda" min="0" max="1" step="0.01" value="1" aria-describedby="lambda-help">
<output id="lambda-value" for="lambda">1.00</output></div>
</div>
<ul class="legend" aria-label="Bar colours">
<li><span class="swatch swatch-overall"></span>Estimated overall term frequency (from the model, in tokens)</li>
<li id="legend-topic" hidden><span class="swatch swatch-topic"></span>
Estimated term frequency within the selected topic</li>
</ul>
<p class="note" id="lambda-help">&lambda; = 1 ranks a topic&rsquo;s terms by their probability in the topic;
&lambda; = 0 by lift, how much more likely they are in the topic than overall.
Sievert &amp; Shirley (2014) found &lambda; &asymp; 0.6 most helpful for interpreting topics.</p>"""


def _footer_html() -> str:
    """How to read the page, and where its measures come from."""
    return """<footer class="note">
<p><strong>Map.</strong> Each circle is a topic; its area is the topic&rsquo;s share of all tokens. Distances
approximate the Jensen&ndash;Shannon divergence between the topics&rsquo; term distributions, laid out on two axes by
classical multidimensional scaling (PC1, PC2): nearby topics use similar words.</p>
<p><strong>Bars.</strong> Relevance(w | t) = &lambda; &middot; log p(w | t) + (1 &minus; &lambda;) &middot;
log [p(w | t) / p(w)]. With no topic selected, terms are ranked by saliency, p(w) times how far the topics that
use a term differ from the topics overall (Chuang, Manning &amp; Heer 2012).</p>
<p>After LDAvis: Sievert, C. &amp; Shirley, K. (2014), <em>LDAvis: A method for visualizing and interpreting
topics</em>. Keyboard: Tab to a circle and press Enter to select it, Escape to clear.</p>
</footer>"""


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
    heading = _markup(title)
    bar_width = BAR_GEOMETRY["width"]
    summary = (
        f"{len(data['topics'])} topics &middot; {data['n_documents']:,} {_markup(unit)} &middot; "
        f"{data['n_tokens']:,.0f} tokens"
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{heading}</h1>
<p class="summary">{summary}</p>
</header>
<main>
<section class="panel" aria-labelledby="map-heading">
<h2 id="map-heading">Intertopic distance map</h2>
<p class="caption">Multidimensional scaling of Jensen&ndash;Shannon divergences; circle area = share of tokens.</p>
{_map_svg(data, labels)}
{_size_legend_svg()}
<p class="info" id="info" aria-live="polite"></p>
</section>
<section class="panel" aria-labelledby="bar-heading">
<h2 id="bar-heading">Most salient terms overall</h2>
<p class="caption" id="bar-caption">Top {data["top_n"]} terms by saliency.</p>
{_controls_html()}
<svg id="bars" class="bars" viewBox="0 0 {bar_width} 40" width="{bar_width}" height="40"
role="list" aria-label="Terms"></svg>
<noscript><p class="note">The term bars need JavaScript, which is switched off.</p></noscript>
</section>
</main>
{_footer_html()}
<script>
{_SCRIPT.replace("@PAYLOAD@", script_json(payload))}</script>
</body>
</html>
"""


def write_explorer(
    path: Path | str, data: dict[str, Any], title: str, topic_labels: Sequence[str] | None = None, unit: str = "documents"
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
