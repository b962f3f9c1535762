"""Document shares from fixed topics: each document's topic mixture when its topics are known.

A model trained on a sample of a large corpus (see ``train_tokens`` of
:class:`analysis.models.engines.TomotopyEngine`) still owes every document its shares. With
the topics ``P(term | topic)`` held fixed, a document's shares ``theta`` are found by
expectation-maximisation (the "fold-in" of a document into a trained model): each token of
term ``w`` is spread over the topics in proportion to ``theta_k * P(w | k)``, and ``theta``
becomes the tokens each topic received plus the Dirichlet prior ``alpha``, over the
document's length plus ``K * alpha`` — the same form as a Gibbs sampler's estimate of a
training document's shares. Every document is iterated on its own until no share moves by
more than ``tolerance``, so a document's shares do not depend on the documents beside it or
on how they are batched. The work is a few sparse products per iteration over a batch of
documents: memory grows with the batch, not with the corpus.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy.sparse import csr_matrix

#: Documents whose shares are computed together (bounds the temporary arrays: about
#: ``2 × batch × terms per document × K`` floats per thread). At 100,000 generated articles
#: (about 200 terms each, K = 20) 500 documents take as long as 2,000 and lower the peak of
#: the fold-in from 316 MB to 93 MB (tracemalloc, 2 threads).
BATCH_DOCS = 500


def infer_shares(
    counts: csr_matrix,
    topic_term: np.ndarray,
    alpha: float,
    iterations: int = 100,
    tolerance: float = 1e-4,
    batch: int = BATCH_DOCS,
    workers: int = 1,
) -> np.ndarray:
    """Each document's topic shares under fixed topics (maximum a posteriori, by EM).

    Parameters
    ----------
    counts : scipy.sparse.csr_matrix
        ``D × V`` term counts of the documents.
    topic_term : numpy.ndarray
        ``K × V`` topic-term probabilities, rows summing to 1. Terms no topic gives any
        probability (columns of zeros) are not counted.
    alpha : float
        The document-topic Dirichlet prior (positive).
    iterations : int
        The most EM steps per document.
    tolerance : float
        A document stops once no share changed by more than this in one step.
    batch : int
        Documents computed together (the result does not depend on it).
    workers : int
        Threads computing batches at once (the result does not depend on it).

    Returns
    -------
    numpy.ndarray
        ``D × K`` shares, rows summing to 1; a document with no counted term gets ``1 / K``
        for every topic.
    """
    k = topic_term.shape[0]
    by_term = np.ascontiguousarray(np.asarray(topic_term, dtype=np.float64).T)  # V × K
    known = by_term.sum(axis=1) > 0
    counts = csr_matrix(counts)  # no copy of a CSR matrix: batches are copied one at a time
    shares = np.full((counts.shape[0], k), 1.0 / k)

    def fold_in(start: int) -> None:
        block = csr_matrix(counts[start : start + batch], dtype=np.float64)
        block.data[~known[block.indices]] = 0.0  # terms no topic knows are not counted
        block.eliminate_zeros()
        lengths = np.asarray(block.sum(axis=1)).ravel()
        theta = shares[start : start + batch]  # a view: written in place
        active = np.flatnonzero(lengths > 0)
        for _ in range(iterations):
            if active.size == 0:
                break
            docs = block[active]
            current = theta[active]
            rows = np.repeat(np.arange(len(active)), np.diff(docs.indptr))
            # P(w | d) of each (document, term) cell under the current shares
            mixture = np.einsum("ik,ik->i", current[rows], by_term[docs.indices])
            weights = csr_matrix((docs.data / mixture, docs.indices, docs.indptr), shape=docs.shape)
            received = current * (weights @ by_term)  # tokens each topic receives
            updated = (received + alpha) / (lengths[active, None] + k * alpha)
            moved = np.abs(updated - current).max(axis=1)
            theta[active] = updated
            active = active[moved > tolerance]

    # batches write disjoint rows; numpy and scipy release the GIL in their loops
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(fold_in, range(0, counts.shape[0], batch)))
    return shares / shares.sum(axis=1, keepdims=True)
