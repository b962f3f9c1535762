"""Score the reader on WCXB, a large public corpus kept outside the repository.

WCXB (Murrough-Foley/web-content-extraction-benchmark, CC-BY-4.0) holds about 2,000 saved
pages of some 1,600 sites with their main text, title and author, drafted by a language model
and reviewed by people. Its pages are too many to ship here, so this command reads a checkout
of it (``--data``; bring it with ``git clone`` or the team's ``fetch``) and scores the reader
with the measures of ``make eval-ingest`` (:mod:`benchmarks.eval_ingest`): each page as HTML
and as the two text dumps, read alone.

Pages are kept when they are of the chosen types (articles by default), are not from a site of
the fixtures (:func:`benchmarks.realpages.load_pages`), and their true text is mostly visible
(at least half of its words in the paragraph dump: some forums keep their posts in scripts).
Sites are split by a hash of their domain: one in five goes to ``test``, which no rule is
tuned on; ``train`` is for finding what to fix.

Usage::

    python -m benchmarks.wcxb --data PATH [--split test] [--forms html,paragraphs,elements]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks import eval_ingest, realpages
from benchmarks.realpages import TruePage

#: The forms scored (front pages are built from the fixtures only).
FORMS = ("html", "paragraphs", "elements")
SPLITS = ("train", "test")
#: One site in this many goes to ``test``.
TEST_ONE_IN = 5
#: Pages whose true text has fewer words are left out (a login wall, an empty stub).
MIN_TRUE_WORDS = 80
#: ... and those whose true text is less visible in the paragraph dump than this share.
MIN_VISIBLE_SHARE = 0.5
#: Second-level labels under a two-letter country code that are not a site's name (``bbc.co.uk``).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go"})


def site_of(domain: str) -> str:
    """The site a host belongs to: its last two labels, three under ``co.uk``-like suffixes.

    Parameters
    ----------
    domain : str
        A host name (``www.`` and case ignored).

    Returns
    -------
    str
        E.g. ``"bbc.co.uk"`` for ``"www.news.bbc.co.uk"``.
    """
    labels = domain.casefold().removeprefix("www.").split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def split_of(site: str) -> str:
    """``"test"`` for one site in :data:`TEST_ONE_IN` (by an MD5 hash of its name), else ``"train"``."""
    return "test" if int(hashlib.md5(site.encode()).hexdigest(), 16) % TEST_ONE_IN == 0 else "train"


def _fixture_site(site: str, fixture_hosts: frozenset[str]) -> bool:
    return any(site == host or host.endswith("." + site) or site.endswith("." + host) for host in fixture_hosts)


def load(root: Path, types: Sequence[str] = ("article",)) -> list[tuple[TruePage, Path]]:
    """The kept pages of a WCXB checkout, each with the path of its gzipped HTML.

    A page stored in both ``dev/`` and ``test/`` is read once (the dataset's ``metadata.json``
    puts it in test); of pages with the same HTML, the first by id is kept.

    Parameters
    ----------
    root : Path
        The checkout: ``metadata.json``, ``{dev,test}/html/NNNN.html.gz`` and
        ``{dev,test}/ground-truth/NNNN.json``.
    types : sequence of str
        Page types to keep (``article``, ``forum``, ``product``, ...).

    Returns
    -------
    list of (TruePage, Path)
        Sorted by the dataset's id; ``TruePage.split`` is ``"train"`` or ``"test"`` (:func:`split_of`).

    Raises
    ------
    FileNotFoundError
        When ``root`` has no ``metadata.json``.
    """
    if not (root / "metadata.json").is_file():
        raise FileNotFoundError(
            f"{root}: no metadata.json; pass --data a checkout of Murrough-Foley/web-content-extraction-benchmark"
        )
    files = json.loads((root / "metadata.json").read_text(encoding="utf-8"))["files"]
    fixture_hosts = frozenset(page.site for page in realpages.load_pages())
    kept: list[tuple[TruePage, Path]] = []
    seen: set[str] = set()
    for number, entry in sorted(files.items()):
        folder = root / entry["split"]
        truth = json.loads((folder / "ground-truth" / f"{number}.json").read_text(encoding="utf-8"))
        kind = (truth.get("_internal", {}).get("page_type") or {}).get("primary") or entry.get("page_type", "")
        html_path = folder / "html" / f"{number}.html.gz"
        digest = hashlib.md5(html_path.read_bytes()).hexdigest()
        if kind not in types or digest in seen:
            continue
        seen.add(digest)
        given = truth["ground_truth"]
        body = (given.get("main_content") or "").replace("\r\n", "\n")
        site = site_of(entry.get("domain") or urlsplit(truth.get("url") or "").hostname or "")
        if not site or _fixture_site(site, fixture_hosts) or sum(eval_ingest.words(body).values()) < MIN_TRUE_WORDS:
            continue
        author = given.get("author") or ""
        page = TruePage(
            id=f"wcxb-{number}",
            site=site,
            url=truth.get("url") or "",
            split=split_of(site),
            title=" ".join((given.get("title") or "").split()),
            authors=tuple(author) if isinstance(author, list) else ((author,) if author else ()),
            tags=(),
            body=body,
        )
        kept.append((page, html_path))
    return kept


def _visible(page: TruePage, paragraphs: str) -> bool:
    truth = eval_ingest.words(page.body)
    return sum((truth & eval_ingest.words(paragraphs)).values()) >= MIN_VISIBLE_SHARE * sum(truth.values())


def write_forms(pages: Sequence[tuple[TruePage, Path]], folder: Path, forms: Sequence[str]) -> dict:
    """Write each page in each form (``folder/<form>/<id>.<ext>``), leaving out pages whose text is hidden.

    Returns
    -------
    dict
        Form to a list of ``(file path, (page,))``, as :func:`benchmarks.eval_ingest.evaluate_form` takes.
    """
    files: dict[str, list] = {form: [] for form in forms}
    for form in forms:
        (folder / form).mkdir(parents=True)
    for page, html_path in pages:
        raw = gzip.decompress(html_path.read_bytes())
        html = realpages.decode_html(raw)
        paragraphs = realpages.dump_paragraphs(html)
        if not _visible(page, paragraphs):
            continue
        for form in forms:
            if form == "html":
                path = folder / form / f"{page.id}.html"
                path.write_bytes(raw)
            else:
                path = folder / form / f"{page.id}.txt"
                path.write_text(paragraphs if form == "paragraphs" else realpages.dump_elements(html), encoding="utf-8")
            files[form].append((path, (page,)))
    return files


def run(root: Path, forms: Sequence[str], splits: Sequence[str], types: Sequence[str] = ("article",)) -> list[dict]:
    """Score every kept page of ``splits`` in every form; one table row per split and form.

    Returns
    -------
    list of dict
        Rows of :func:`benchmarks.eval_ingest.summarise`, each form named ``"<form>, wcxb <split>"``.
    """
    pages = [(page, path) for page, path in load(root, types) if page.split in splits]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        files = write_forms(pages, Path(tmp), forms)
        for form in forms:
            results = eval_ingest.evaluate_form(form, files[form], with_neighbours=False)
            for split in splits:
                row = eval_ingest.summarise(form, [r for r in results if r.pages[0].split == split])
                row["form"] = f"{form}, wcxb {split}"
                rows.append(row)
    return rows


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.wcxb", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a checkout of web-content-extraction-benchmark")
    parser.add_argument("--split", default="train,test", help="train, test or both (default)")
    parser.add_argument("--forms", default=",".join(FORMS), help=f"some of {', '.join(FORMS)}")
    parser.add_argument("--types", default="article", help="page types to keep (default: article)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    splits = [s for s in args.split.split(",") if s]
    forms = [f for f in args.forms.split(",") if f]
    unknown = [s for s in splits if s not in SPLITS] + [f for f in forms if f not in FORMS]
    if unknown:
        print(f"wcxb: unknown split or form {', '.join(unknown)}; splits: {SPLITS}, forms: {FORMS}", file=sys.stderr)
        return 2
    try:
        rows = run(args.data, forms, splits, tuple(args.types.split(",")))
    except FileNotFoundError as error:
        print(f"wcxb: {error}", file=sys.stderr)
        return 2
    print(eval_ingest.markdown_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
