"""Fit the weights of the headline scorer on real pages of many sites.

A page saved whole prints many short lines above its article (menus, section labels, calls to
action, captions, a standfirst, related headlines); :func:`analysis.ingest.headline.find_headline`
takes the line with the highest weighted sum of :data:`~analysis.ingest.headline.HEADLINE_FEATURES`.
This command fits those weights and writes them to ``analysis/ingest/headline_weights.py``.

The examples are the candidate lines above the main block of prose of each page, as the reader
sees them, in the two text forms (paragraph dumps and element dumps):

- the fixture pages the rules are tuned on (:data:`benchmarks.realpages.TUNED` and ``dev-2``),
  each weighing :data:`FIXTURE_WEIGHT` pages: their truth was checked by hand;
- the ``train`` article pages of WCXB (:mod:`benchmarks.wcxb`, read from ``--data``).

The model is a conditional logit: the probability that a candidate is the headline is the
softmax of the scores over its page's candidates, fitted by L-BFGS with an L2 penalty on
standardised features. A page whose true headline is no candidate teaches nothing and is left
out. Before fitting on all pages, a cross-validation by site (five folds by a hash of the site)
reports how often the top candidate is the true headline on sites the weights did not see.
The holdouts (``holdout``, ``holdout-2``) and WCXB ``test`` are never read here.

Usage::

    python -m benchmarks.fit_headline --data PATH [--write]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from analysis.ingest import headline
from analysis.ingest.articlepiece import article_head
from analysis.ingest.rules import default_rules
from analysis.ingest.segment import page_lines
from analysis.ingest.wholepage import plan_page
from benchmarks import eval_ingest, realpages, wcxb

#: A hand-checked fixture page counts as this many WCXB pages.
FIXTURE_WEIGHT = 3.0
#: The L2 penalty on the standardised weights.
PENALTY = 1.0
#: Cross-validation folds (by site).
FOLDS = 5
#: Where the weights are written.
WEIGHTS_FILE = Path(headline.__file__).with_name("headline_weights.py")
#: Weights are written with this many decimals.
DECIMALS = 4


@dataclass(frozen=True)
class PageExamples:
    """The candidates of one page in one form.

    Attributes
    ----------
    source : str
        Where the page comes from and its form (``"wcxb train, paragraphs"``).
    site : str
        The page's site (folds are drawn by site).
    rows : tuple
        The candidates as :func:`~analysis.ingest.headline.headline_features` gives them.
    features : numpy.ndarray
        One row per candidate, the columns of :data:`~analysis.ingest.headline.HEADLINE_FEATURES`.
    is_title : numpy.ndarray
        Whether each candidate is the true headline (white space and case folded).
    weight : float
        What the page counts for in the fit.
    """

    source: str
    site: str
    rows: tuple[tuple[int, dict[str, float]], ...]
    features: np.ndarray
    is_title: np.ndarray
    weight: float


def page_examples(text: str, title: str, source: str, site: str, weight: float = 1.0) -> PageExamples | None:
    """The headline candidates of a text page's first article, as the reader weighs them
    (:func:`~analysis.ingest.articlepiece.article_head`), labelled by ``title``; None when the
    reader finds no article body on the page."""
    rules = default_rules()
    lines, kinds, _ = page_lines(text, rules)
    plan = plan_page(lines, kinds)
    if not plan.spans:
        return None
    rows = article_head(lines, plan.kinds, plan.spans[0], 0, rules).rows
    true = eval_ingest.fold_title(title)
    features = np.array([[row[name] for name in headline.HEADLINE_FEATURES] for _, row in rows], dtype=float)
    is_title = np.array([eval_ingest.fold_title(lines[i].text) == true for i, _ in rows], dtype=bool)
    features = features.reshape(len(rows), len(headline.HEADLINE_FEATURES))
    return PageExamples(source, site, tuple(rows), features, is_title, weight)


def fixture_examples() -> list[PageExamples]:
    """Examples of the fixture pages that are tuned on, in both text forms."""
    examples = []
    for page in realpages.load_pages((*realpages.TUNED, "dev-2")):
        html = realpages.page_html(page)
        for form, dump in (("paragraphs", realpages.dump_paragraphs), ("elements", realpages.dump_elements)):
            example = page_examples(dump(html), page.title, f"fixtures {page.split}, {form}", page.site, FIXTURE_WEIGHT)
            if example is not None:
                examples.append(example)
    return examples


def wcxb_examples(root: Path) -> list[PageExamples]:
    """Examples of WCXB's ``train`` article pages whose text is visible (:func:`benchmarks.wcxb.write_forms`)."""
    pages = [(page, path) for page, path in wcxb.load(root) if page.split == "train"]
    examples = []
    with tempfile.TemporaryDirectory() as tmp:
        files = wcxb.write_forms(pages, Path(tmp), ("paragraphs", "elements"))
        for form, written in files.items():
            for path, (page,) in written:
                text = path.read_text(encoding="utf-8")
                example = page_examples(text, page.title, f"wcxb train, {form}", page.site)
                if example is not None:
                    examples.append(example)
    return examples


def fold_of(site: str) -> int:
    """The cross-validation fold of a site: a hash of its name, so a site's pages stay together."""
    return int(hashlib.md5(site.encode("utf-8")).hexdigest(), 16) % FOLDS


def fit(examples: Sequence[PageExamples], penalty: float = PENALTY) -> np.ndarray:
    """Weights of the conditional logit on the raw features (standardisation folded in).

    Parameters
    ----------
    examples : sequence of PageExamples
        Pages; those whose true headline is no candidate are left out.
    penalty : float
        L2 penalty on the weights of the standardised features.

    Returns
    -------
    numpy.ndarray
        One weight per feature of :data:`~analysis.ingest.headline.HEADLINE_FEATURES`.
    """
    used = [e for e in examples if e.is_title.any()]
    if not used:
        raise ValueError("no page has its true headline among its candidates")
    stacked = np.vstack([e.features for e in used])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0)
    scale[scale == 0] = 1.0
    pages = [((e.features - mean) / scale, e.is_title / e.is_title.sum(), e.weight) for e in used]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        value, gradient = penalty * float(w @ w), 2 * penalty * w
        for x, target, weight in pages:
            scores = x @ w
            scores -= scores.max()
            p = np.exp(scores)
            p /= p.sum()
            value -= weight * float(target @ np.log(p + 1e-300))
            gradient -= weight * (x.T @ (target - p))
        return value, gradient

    result = minimize(loss, np.zeros(stacked.shape[1]), jac=True, method="L-BFGS-B")
    return result.x / scale


def top_is_title(example: PageExamples, weights: np.ndarray) -> bool:
    """Whether the candidate :func:`~analysis.ingest.headline.pick_headline` takes with ``weights`` is the headline."""
    return pick_and_odds(example, weights)[0]


def pick_and_odds(example: PageExamples, weights: np.ndarray) -> tuple[bool, float]:
    """Whether the candidate :func:`~analysis.ingest.headline.choose_headline` takes with ``weights``
    is the headline, and the odds it gives that candidate."""
    chosen, odds = headline.choose_headline(example.rows, dict(zip(headline.HEADLINE_FEATURES, weights)))
    if chosen is None:
        return False, 0.0
    return bool(example.is_title[[i for i, _ in example.rows].index(chosen)]), odds[chosen]


def cross_validate(examples: Sequence[PageExamples], penalty: float = PENALTY) -> list[tuple[bool, float]]:
    """Per example, :func:`pick_and_odds` with weights fitted on the other folds' sites (:func:`fold_of`)."""
    unseen: list[tuple[bool, float]] = [(False, 0.0)] * len(examples)
    for k in range(FOLDS):
        weights = fit([e for e in examples if fold_of(e.site) != k], penalty)
        for n, e in enumerate(examples):
            if fold_of(e.site) == k:
                unseen[n] = pick_and_odds(e, weights)
    return unseen


def evaluate(
    examples: Sequence[PageExamples], penalty: float = PENALTY, unseen: Sequence[tuple[bool, float]] | None = None
) -> list[dict]:
    """Per source: pages, how often the true headline is a candidate, and how often the top
    candidate is the headline, on sites left out of the fit (cross-validated, or ``unseen`` from
    :func:`cross_validate`) and in sample."""
    unseen = unseen if unseen is not None else cross_validate(examples, penalty)
    weights = fit(examples, penalty)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for e, (right, _) in zip(examples, unseen):
        row = counts[e.source]
        row[0] += 1
        row[1] += bool(e.is_title.any())
        row[2] += right
        row[3] += top_is_title(e, weights)
    return [
        {"source": s, "pages": n, "reachable": a / n, "right, unseen sites": b / n, "right, in sample": c / n}
        for s, (n, a, b, c) in sorted(counts.items())
    ]


#: The odds bands of :func:`calibration`: below 30%, below even odds, 90% or more.
ODDS_BANDS = ((0.0, 0.3), (0.0, 0.5), (0.9, 1.01))


def calibration(examples: Sequence[PageExamples], unseen: Sequence[tuple[bool, float]]) -> list[str]:
    """How often a cross-validated pick of the WCXB examples was right, by the odds the scorer gave it.

    Returns
    -------
    list of str
        One sentence per band of :data:`ODDS_BANDS`, for the docs and the audit's threshold.
    """
    picks = [(right, odds) for e, (right, odds) in zip(examples, unseen) if e.source.startswith("wcxb")]
    out = []
    for low, high in ODDS_BANDS:
        band = [right for right, odds in picks if low <= odds < high]
        share = f"{100 * sum(band) / len(band):.0f}%" if band else "–"
        out.append(
            f"- odds in [{low:.0%}, {min(high, 1.0):.0%}{']' if high > 1 else ')'}: {len(band)} of {len(picks)} "
            "WCXB page dumps, "
            f"right on {share}"
        )
    return out


def weights_module(weights: np.ndarray, note: str) -> str:
    """The text of ``headline_weights.py`` for ``weights``."""
    lines = [
        '"""Weights of the headline scorer (:func:`analysis.ingest.headline.find_headline`).',
        "",
        "Written by ``python -m benchmarks.fit_headline --data PATH --write``; do not edit by hand.",
        note,
        '"""',
        "",
        "WEIGHTS = {",
        *(
            f'    "{name}": {round(float(w), DECIMALS) + 0.0!r},'
            for name, w in zip(headline.HEADLINE_FEATURES, weights)
        ),
        "}",
        "",
    ]
    return "\n".join(lines)


def write_weights(weights: np.ndarray, note: str, path: Path = WEIGHTS_FILE) -> None:
    """Write the weights module (a temporary file renamed over the old one)."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(weights_module(weights, note), encoding="utf-8")
    os.replace(temporary, path)


def markdown(rows: Sequence[dict]) -> str:
    """The evaluation as a Markdown table."""
    out = [
        "| examples | pages | headline is a candidate | top candidate right, unseen sites | top candidate right, in sample |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['source']} | {r['pages']} | {100 * r['reachable']:.1f}% | "
            f"{100 * r['right, unseen sites']:.1f}% | {100 * r['right, in sample']:.1f}% |"
        )
    return "\n".join(out)


NOTE = (
    "Fitted on the candidate lines of the fixture pages tuned on (``dev``, ``test``, ``retuned``,\n"
    "``dev-2``; each counting {weight:g} pages) and of {wcxb} WCXB ``train`` article pages\n"
    "(Murrough-Foley/web-content-extraction-benchmark, CC-BY-4.0, Foley 2026; see\n"
    "``tests/fixtures/README.md``), each in paragraph and element dumps."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fit_headline", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a checkout of web-content-extraction-benchmark")
    parser.add_argument("--write", action="store_true", help=f"write the weights to {WEIGHTS_FILE.name}")
    parser.add_argument("--penalty", type=float, default=PENALTY, help="L2 penalty (default: %(default)s)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        from_wcxb = wcxb_examples(args.data)
    except FileNotFoundError as error:
        print(f"fit_headline: {error}", file=sys.stderr)
        return 2
    print(f"fit_headline: {len(from_wcxb)} WCXB examples; reading the fixtures", file=sys.stderr)
    examples = fixture_examples() + from_wcxb
    unseen = cross_validate(examples, args.penalty)
    print(markdown(evaluate(examples, args.penalty, unseen)))
    print("\nHow often the pick was right on unseen sites, by the odds it was given:")
    print("\n".join(calibration(examples, unseen)))
    if args.write:
        note = NOTE.format(weight=FIXTURE_WEIGHT, wcxb=len([e for e in from_wcxb if e.source.endswith("paragraphs")]))
        write_weights(fit(examples, args.penalty), note)
        print(f"fit_headline: wrote {WEIGHTS_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
