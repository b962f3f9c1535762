"""How often terms occur: TF-IDF top terms, rates per 1,000 tokens, the most frequent terms.

Counts are the vector space's counts: tokens after cleaning and vocabulary pruning, so a
"per 1000" rate is per 1000 *counted* tokens of a document, not per 1000 words of its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from analysis.checks import positive_int
from analysis.precision import round_table, round_value
from analysis.stats._space import checked_counts, corpus_top_terms

if TYPE_CHECKING:
    import pandas as pd

    from analysis.pipeline.vectors import VectorSpace


def top_tfidf_terms(space: VectorSpace, n: int = 10) -> pd.DataFrame:
    """The ``n`` highest-weighted TF-IDF terms of each document.

    Parameters
    ----------
    space : VectorSpace
        Counts and TF-IDF weights.
    n : int
        Terms per document (fewer when a document has fewer distinct terms).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, rank, term, tfidf, n``: documents in ``space.doc_ids`` order, rank
        1..n by TF-IDF descending, ties broken by term; only terms the document contains.

    Raises
    ------
    ValueError
        When the space is empty or ``n`` is not a positive integer.
    """
    import pandas as pd

    counts = checked_counts(space, "top_tfidf_terms")
    n = positive_int(n, "n", "top_tfidf_terms")
    weights = space.tfidf.tocsr()
    rows = []
    for i, doc_id in enumerate(space.doc_ids):
        start, end = counts.indptr[i], counts.indptr[i + 1]
        row = weights[i].toarray().ravel()
        present = [(int(j), int(c)) for j, c in zip(counts.indices[start:end], counts.data[start:end]) if c > 0]
        scored = sorted(
            ((round_value(row[j]), space.vocabulary[j], c) for j, c in present), key=lambda r: (-r[0], r[1])
        )
        rows += [(doc_id, rank, term, w, c) for rank, (w, term, c) in enumerate(scored[:n], 1)]
    table = pd.DataFrame(rows, columns=["doc_id", "rank", "term", "tfidf", "n"])
    return table.astype({"rank": "int64", "tfidf": "float64", "n": "int64"})


def relative_frequencies(space: VectorSpace, terms: Sequence[str] | None = None, top: int = 20) -> pd.DataFrame:
    """Count and rate per 1000 tokens of chosen terms in every document, zeros included.

    Parameters
    ----------
    space : VectorSpace
        The counts.
    terms : sequence of str, optional
        Terms to report, in this order (duplicates ignored). When omitted, the ``top`` most
        frequent terms of the whole corpus, by count and then alphabetically.
    top : int
        How many terms to take when ``terms`` is omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, term, n, per_1000`` with ``per_1000 = 1000 * n / tokens of the
        document`` (0 for a document without tokens). One row for every (document, term)
        pair, so ``pivot(index="doc_id", columns="term", values="per_1000")`` is a full
        heatmap; rows by document order, then term order.

    Raises
    ------
    ValueError
        When the space is empty, ``terms`` is empty or a string, or names terms missing from
        the vocabulary.
    """
    import pandas as pd

    counts = checked_counts(space, "relative_frequencies")
    if terms is None:
        chosen = corpus_top_terms(space, counts, positive_int(top, "top", "relative_frequencies"))
    else:
        if isinstance(terms, str):
            raise ValueError(f"relative_frequencies: terms must be a list, got the string {terms!r}; use [{terms!r}]")
        chosen = list(dict.fromkeys(terms))
        if not chosen:
            raise ValueError("relative_frequencies: terms is empty; pass at least one term, or None for the top terms")
    column = {term: j for j, term in enumerate(space.vocabulary)}
    missing = [t for t in chosen if t not in column]
    if missing:
        raise ValueError(
            f"relative_frequencies: {missing[:10]} not in the vocabulary; pass cleaned terms as in space.vocabulary"
        )
    sizes = np.asarray(counts.sum(axis=1), dtype=float).ravel()
    n = counts[:, [column[t] for t in chosen]].toarray()
    per_1000 = 1000.0 * np.divide(n, sizes[:, None], out=np.zeros(n.shape), where=sizes[:, None] > 0)
    return round_table(
        pd.DataFrame(
            {
                "doc_id": np.repeat(np.asarray(space.doc_ids, dtype=object), len(chosen)),
                "term": np.tile(np.asarray(chosen, dtype=object), len(space.doc_ids)),
                "n": n.ravel().astype("int64"),
                "per_1000": per_1000.ravel(),
            }
        )
    )


def most_frequent_terms(space: VectorSpace, n: int = 3) -> list[str]:
    """The ``n`` most frequent terms of the corpus (ties by term).

    Parameters
    ----------
    space : VectorSpace
        Counts.
    n : int
        How many terms.

    Returns
    -------
    list of str
        Terms, most frequent first.
    """
    return corpus_top_terms(
        space, checked_counts(space, "most_frequent_terms"), positive_int(n, "n", "most_frequent_terms")
    )


def tfidf_ties_at_cut(space: VectorSpace, shown: pd.DataFrame) -> dict[str, str]:
    """For each document whose panel was cut inside a tie, how many unshown terms share the last weight.

    Parameters
    ----------
    space : VectorSpace
        The counts and TF-IDF weights :func:`top_tfidf_terms` ranked.
    shown : pandas.DataFrame
        Its rows (``doc_id, rank, term, tfidf``), top ``n`` per document.

    Returns
    -------
    dict
        Document id to a note such as ``"+9 more terms tie at TF-IDF 0.12"``, for documents
        where terms with the same (rounded) weight as the last one shown were left out, so
        the panel had to pick among equals by name.
    """
    counts = checked_counts(space, "tfidf_ties_at_cut")
    weights = space.tfidf.tocsr()
    last = shown.groupby("doc_id", sort=False)["tfidf"].min()
    shown_at_last = (shown["tfidf"] == shown["doc_id"].map(last)).groupby(shown["doc_id"], sort=False).sum()
    row_of = {doc_id: i for i, doc_id in enumerate(space.doc_ids)}
    notes = {}
    for doc_id, value in last.items():
        i = row_of[doc_id]
        start, end = counts.indptr[i], counts.indptr[i + 1]
        present = counts.indices[start:end][counts.data[start:end] > 0]
        row = weights[i].toarray().ravel()
        at_last = sum(round_value(row[j]) == value for j in present)
        hidden = int(at_last) - int(shown_at_last[doc_id])
        if hidden > 0:
            notes[doc_id] = f"+{hidden} more term{'s' if hidden > 1 else ''} tie at TF-IDF {value:.2f}"
    return notes
