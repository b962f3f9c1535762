"""Command line: ``python -m analysis COMMAND ...``.

Every failure caused by the input prints one line on stderr, naming the file and the fix,
and exits with status 2; nothing is written to an ``--output`` file unless the whole result
is ready (it is written to a temporary file and renamed). A file found in a folder that
cannot be read is skipped with one ``warning:`` line instead (``--strict`` makes it an
error; a file named on the command line is always an error); files of unsupported types in
a folder are named in one ``note:`` line.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from analysis import __version__

EXIT_INPUT_ERROR = 2
ARTICLE_COLUMNS = (
    "id",
    "title",
    "tags",
    "byline",
    "date",
    "text",
    "captions",
    "source",
    "url",
    "teaser",
    "position",
    "n_words",
)


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are a single line on stderr."""

    def error(self, message: str) -> None:  # noqa: D102 - argparse hook
        self.exit(EXIT_INPUT_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_corpus_options(parser: argparse.ArgumentParser, output: bool = True, strict: bool = True) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders to read (.txt scraped pages, .jsonl/.json/.csv/.tsv records, .html); default: seeds/",
    )
    parser.add_argument(
        "--encoding",
        default=None,
        help="encoding of the files that are not valid UTF-8 and declare none, e.g. cp1252 (a byte-order mark or an "
        "HTML page's <meta charset> wins; valid UTF-8 is always read as UTF-8)",
    )
    parser.add_argument(
        "--chrome-pattern",
        action="append",
        default=[],
        metavar="REGEX",
        help="extra segmentation rule, repeatable: a regular expression matching a whole chrome line "
        "(case-insensitive), or 'caption: REGEX' / 'related: REGEX' for captions and links",
    )
    parser.add_argument(
        "--chrome-file",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="file of extra rules, one 'kind: REGEX' per line (see analysis/data/chrome_patterns.txt)",
    )
    if strict:
        parser.add_argument(
            "--strict",
            action="store_true",
            help="stop at the first file that cannot be read (default: a file found in a folder is skipped with one "
            "warning line; a file named on the command line must always be read)",
        )
    if output:
        parser.add_argument(
            "--output", "-o", type=Path, help="write to this file (atomically) instead of standard output"
        )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def build_parser() -> argparse.ArgumentParser:
    """Build the ``python -m analysis`` argument parser.

    Returns
    -------
    argparse.ArgumentParser
        With the sub-commands ``articles``, ``summary``, ``explain``, ``report`` and ``audit``.
    """
    parser = OneLineParser(
        prog="python -m analysis",
        description="Read scraped pages into articles and summarise what a website publishes.",
    )
    parser.add_argument("--version", action="version", version=f"analysis {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser, metavar="COMMAND")

    articles = commands.add_parser(
        "articles",
        help="list the articles found in the inputs",
        description="Segment the inputs into articles and print one record per article.",
    )
    _add_corpus_options(articles)
    articles.add_argument(
        "--format",
        choices=("json", "csv"),
        default="json",
        help="json: a list of objects; csv: one row per article, tags and captions joined by ' | ' (default: json)",
    )

    summary = commands.add_parser(
        "summary",
        help="print the corpus table (articles, paragraphs, tokens, vocabulary, top terms)",
        description="Summarise the cleaned corpus: counts before and after cleaning and the most frequent terms.",
    )
    _add_corpus_options(summary)
    summary.add_argument("--top", type=int, default=20, help="how many top terms to list (default: 20)")
    summary.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="output format (default: markdown)"
    )
    summary.add_argument(
        "--readme",
        type=Path,
        metavar="FILE",
        help="replace the block between '<!-- corpus-table:start -->' and '<!-- corpus-table:end -->' in FILE",
    )

    explain = commands.add_parser(
        "explain",
        help="show what each cleaning step does to a text",
        description="Run TEXT through every cleaning step and print each step's output.",
    )
    explain.add_argument("text", help="the text to clean")
    _add_report_parser(commands)
    _add_audit_parser(commands)
    return parser


def _add_audit_parser(commands: argparse._SubParsersAction) -> None:
    """The ``audit`` sub-command: what reading each file gave, and how sure."""
    audit = commands.add_parser(
        "audit",
        help="per file: articles found, lines removed by reason, cross-page repetition, low-confidence flags",
        description="Read the inputs as the other commands do and describe each file: how it was decoded, the "
        "articles found, the lines kept out of their bodies by reason, whether lines repeated across the pages of "
        "its site were used, and a LOW-confidence flag with where to look when the page looks unlike the layouts "
        "the segmenter knows. Files that cannot be read are listed with the reason; the audit itself succeeds.",
    )
    _add_corpus_options(audit, strict=False)
    audit.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="text: a block per file and a summary; json: one object per file; csv: one row per file, a column "
        "per removal reason (default: text)",
    )


def _add_report_parser(commands: argparse._SubParsersAction) -> None:
    """The ``report`` sub-command: one article's page, written to a file."""
    report = commands.add_parser(
        "report",
        help="write a one-page HTML report of one article",
        description="Write one offline HTML page about an article: its key terms (TF-IDF and keyness), topic "
        "shares, nearest articles, its key terms in context and what segmentation removed from it.",
    )
    report.add_argument("article_id", metavar="ARTICLE_ID", help="the article's id, as the articles command prints it")
    _add_corpus_options(report, output=False)
    report.add_argument(
        "--output",
        "--out",
        "-o",
        type=Path,
        metavar="FILE",
        help="where to write the page, atomically: a file, a folder (the default name inside it) or '-' for "
        "standard output (default: article-report__ARTICLE_ID.html in $ANALYSIS_FIGURES, else figures/)",
    )
    # Defaults are the report module's (not imported here, to keep the CLI quick to start); help states them.
    report.add_argument("--top", type=int, help="key terms listed by TF-IDF and by keyness (default: 12)")
    report.add_argument("--neighbours", type=int, help="nearest articles listed (default: 5)")
    report.add_argument(
        "--topics",
        type=int,
        metavar="K",
        help="topics of the model behind the shares (default: 4, fewer for a corpus of few paragraphs)",
    )
    report.add_argument("--engine", help="topic-model engine: gensim, sklearn, tomotopy ... (default: sklearn)")
    report.add_argument("--random-state", type=int, metavar="SEED", help="seed of the topic model (default: 1)")


def articles_to_json(records: Sequence[dict]) -> str:
    """Render article records as an indented JSON list.

    Parameters
    ----------
    records : sequence of dict
        From :meth:`analysis.ingest.corpus.Article.to_record`.

    Returns
    -------
    str
        UTF-8-safe JSON (non-ASCII kept as is) ending in a newline.
    """
    return json.dumps(list(records), ensure_ascii=False, indent=2) + "\n"


def articles_to_csv(records: Sequence[dict]) -> str:
    """Render article records as CSV, list fields joined by ``" | "``.

    Parameters
    ----------
    records : sequence of dict
        From :meth:`analysis.ingest.corpus.Article.to_record`.

    Returns
    -------
    str
        CSV text with a header row.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ARTICLE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: " | ".join(v) if isinstance(v, list) else v for k, v in record.items()})
    return buffer.getvalue()


def _extra_rules(args: argparse.Namespace) -> list[str]:
    from analysis.ingest.rules import rules_from_file

    lines = list(args.chrome_pattern)
    for path in args.chrome_file:
        lines.extend(rules_from_file(path))
    return lines


def _named_files(paths: Sequence[Path]) -> list[Path]:
    """The inputs named on the command line that are not folders: each must be read."""
    return [path for path in paths if not path.is_dir()]


def _print_skipped(skipped: Sequence) -> None:
    """One ``warning:`` line per file that could not be read, one ``note:`` line for unsupported types."""
    from analysis.ingest.corpus import skipped_notes

    for item in skipped:
        if not item.unsupported:
            sys.stderr.write("warning: " + skipped_notes([item])[0] + "\n")
    notes = skipped_notes([item for item in skipped if item.unsupported])
    for note in notes:
        sys.stderr.write("note: " + note + "\n")


def _load(args: argparse.Namespace, skipped: list | None = None) -> list:
    """The articles of ``args.paths``, each counted once, with notes on stderr about repeats and skipped files.

    ``skipped``, when given, receives the files left out (see :class:`analysis.ingest.corpus.Skipped`).
    """
    from analysis.ingest.corpus import load_articles
    from analysis.ingest.duplicates import duplicates_note

    duplicates: list = []
    skipped = [] if skipped is None else skipped
    articles = load_articles(
        args.paths,
        extra_rules=_extra_rules(args),
        encoding=args.encoding,
        progress=not args.quiet and sys.stderr.isatty(),
        duplicates=duplicates,
        strict=args.strict,
        skipped=skipped,
        required=_named_files(args.paths),
    )
    _print_skipped(skipped)
    if duplicates:
        sys.stderr.write("note: " + duplicates_note(duplicates) + "\n")
    return articles


@contextmanager
def _skipped_files_as_lines() -> Iterator[None]:
    """Print the library's skipped-file warnings as single ``warning:`` / ``note:`` lines, not Python's two."""
    from analysis.ingest.corpus import SkippedFileWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SkippedFileWarning)
        yield
    for warning in caught:
        if isinstance(warning.message, SkippedFileWarning):
            sys.stderr.write(f"{'note' if warning.message.unsupported else 'warning'}: {warning.message}\n")
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


def _emit(text: str, output: Path | None) -> None:
    if output is not None and output.is_dir():
        raise ValueError(f"{output}: is a folder; give --output a file name")
    if output is None:
        sys.stdout.write(text)
    else:
        from analysis.io import atomic_write_text

        atomic_write_text(output, text)


def run_articles(args: argparse.Namespace) -> None:
    """The ``articles`` command."""
    articles = _load(args)
    records = [a.to_record() for a in articles]
    _emit(articles_to_json(records) if args.format == "json" else articles_to_csv(records), args.output)


def run_summary(args: argparse.Namespace) -> None:
    """The ``summary`` command."""
    from analysis.report import overview

    if args.top < 1:
        raise ValueError(f"--top must be at least 1, got {args.top}")
    articles = _load(args)
    table = overview.corpus_summary(articles, top=args.top)
    if args.readme is not None:
        overview.update_readme(args.readme, overview.summary_markdown(table))
    text = (
        overview.summary_markdown(table)
        if args.format == "markdown"
        else json.dumps(table, ensure_ascii=False, indent=2) + "\n"
    )
    _emit(text, args.output)


def run_explain(args: argparse.Namespace) -> None:
    """The ``explain`` command."""
    from analysis.text.cleaning import address_counts, default_config, explain

    for step, output in explain(args.text, default_config()):
        sys.stdout.write(f"{step:>12}  {output}\n")
    counts = address_counts(args.text)
    if counts:
        removed = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
        sys.stdout.write(f"{'':>12}  removed {sum(counts.values())} address(es): {removed}\n")


def _cleaned_corpus(args: argparse.Namespace):
    """The cleaned corpus of ``args.paths``: through the cache, or read with the reading options given."""
    from analysis import pipeline
    from analysis.ingest.corpus import find_files, iter_paragraphs
    from analysis.ingest.duplicates import duplicates_note

    plain = args.encoding is None and not args.chrome_pattern and not args.chrome_file
    if plain and not args.strict and not _named_files(args.paths):
        # the pipeline skips unreadable files with a warning (when it reads; a cached corpus is not read again)
        with _skipped_files_as_lines():
            prepared = pipeline.prepare(args.paths or None, progress=not args.quiet and sys.stderr.isatty())
        if prepared.duplicates:
            sys.stderr.write("note: " + duplicates_note(prepared.duplicates) + "\n")
        return prepared
    # pipeline.prepare reads with the default rules and encoding and skips what it cannot read;
    # clean what _load read, with the options and the named files' checks
    from analysis.text.cleaning import default_config

    skipped: list = []
    articles = _load(args, skipped)
    config = default_config()
    paragraphs = tuple(iter_paragraphs(articles))
    cleaned = pipeline.clean_many([p.text for p in paragraphs], config, workers=pipeline.usable_cores())
    paragraph_tokens = {p.id: tokens for p, tokens in zip(paragraphs, cleaned)}
    article_tokens: dict[str, list[str]] = {a.id: [] for a in articles}
    for paragraph in paragraphs:
        article_tokens[paragraph.article_id].extend(paragraph_tokens[paragraph.id])
    left_out = {item.path for item in skipped}
    inputs = tuple(path for path in find_files(args.paths) if path not in left_out)
    return pipeline.Prepared(inputs, tuple(articles), config, article_tokens, paragraphs, paragraph_tokens)


def _report_path(output: Path | None, article_id: str) -> Path | None:
    """Where ``report`` writes: ``output``, the default name inside a folder, or None for standard output."""
    from analysis.paths import output_folder
    from analysis.report.article import report_file_name

    if output is not None and str(output) == "-":
        return None
    if output is None or output.is_dir():
        return (output if output is not None else output_folder()) / report_file_name(article_id)
    return output


def run_report(args: argparse.Namespace) -> None:
    """The ``report`` command."""
    from analysis.checks import as_int, positive_int
    from analysis.models.engines import get_engine
    from analysis.paths import display_path
    from analysis.report import article

    options = {
        "top_n": args.top,
        "neighbours": args.neighbours,
        "topics": args.topics,
        "engine": args.engine,
        "random_state": args.random_state,
    }
    options = {name: value for name, value in options.items() if value is not None}
    # checked before the corpus is read, so a typo costs no time
    for name, flag in (("top_n", "--top"), ("neighbours", "--neighbours")):
        if name in options:
            positive_int(options[name], flag)
    if "topics" in options:
        as_int(options["topics"], "--topics", minimum=2)
    if "engine" in options:
        get_engine(options["engine"])
    data = article.article_report_data(_cleaned_corpus(args), args.article_id, **options)
    path = _report_path(args.output, data["article"]["id"])
    if path is None:
        sys.stdout.write(article.render_article_report(data))
        return
    article.write_article_report(path, data)
    sys.stdout.write(display_path(path) + "\n")


def audit_to_csv(audits: Sequence) -> str:
    """Render file audits as CSV: one row per file, one column per removal reason.

    Parameters
    ----------
    audits : sequence of FileAudit
        From :func:`analysis.ingest.audit.audit_inputs`.

    Returns
    -------
    str
        CSV text with a header row; reason columns in :class:`~analysis.ingest.RemovalReason` order.
    """
    from analysis.ingest.reasons import RemovalReason

    reasons = [str(reason) for reason in RemovalReason]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    first = ["source", "kind", "status", "encoding", "articles", "words", "lines"]
    last = ["site_pages", "site_group", "repeated_lines", "page_words", "records", "skipped_records"]
    last += ["low_confidence", "message"]
    writer.writerow([*first, *reasons, *last])
    for audit in audits:
        record = audit.to_record()
        record["skipped_records"] = "; ".join(f"{kind}: {n}" for kind, n in record["skipped_records"].items())
        writer.writerow(
            [record[k] for k in first] + [record["removed"].get(r, 0) for r in reasons] + [record[k] for k in last]
        )
    return buffer.getvalue()


def run_audit(args: argparse.Namespace) -> None:
    """The ``audit`` command."""
    from analysis.ingest import audit

    audits = audit.audit_inputs(args.paths, extra_rules=_extra_rules(args), encoding=args.encoding)
    if args.format == "json":
        text = json.dumps([a.to_record() for a in audits], ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = audit_to_csv(audits)
    else:
        text = audit.describe_all(audits)
    _emit(text, args.output)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        0 on success, 2 when the input or the arguments are at fault.
    """
    args = build_parser().parse_args(argv)
    handlers = {
        "articles": run_articles,
        "summary": run_summary,
        "explain": run_explain,
        "report": run_report,
        "audit": run_audit,
    }
    try:
        handlers[args.command](args)
    except BrokenPipeError:  # piped into `head`: the reader has what it wanted
        sys.stderr.close()
        return 0
    except (ValueError, OSError) as error:  # InputError is a ValueError; messages name the file
        sys.stderr.write(f"error: {error}\n")
        return EXIT_INPUT_ERROR
    return 0
