"""Text analytics for studying what a website publishes.

The package is laid out by stage, imports running one way (see docs/architecture.md):

- :mod:`analysis.ingest` reads files (scraped pages, JSONL/CSV records, HTML) into articles,
  splitting listing pages and removing site chrome;
- :mod:`analysis.text` turns text into tokens through small named steps; concordances;
- :mod:`analysis.pipeline` prepares a corpus once (parallel map, token cache) and builds
  the vector spaces;
- :mod:`analysis.models` fits topic models behind one engine registry and chooses K;
- :mod:`analysis.stats` computes frequencies, keyness and similarity;
- :mod:`analysis.report` draws the figures, the overview tables and the topic explorer;
- :mod:`analysis.paths`, :mod:`analysis.checks`, :mod:`analysis.precision` and
  :mod:`analysis.io` (the only writer) serve every stage; :mod:`analysis.build` and
  :mod:`analysis.cli` are the commands.

Importing the package does nothing visible and loads no heavy dependency.
"""

__version__ = "0.1.0"
