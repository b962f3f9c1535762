"""Text analytics for studying what a website publishes.

The package is organised one module per stage:

- :mod:`analysis.ingest.corpus` reads documents (scraped pages, JSONL, CSV, HTML) into articles;
- :mod:`analysis.ingest.segment` splits a scraped listing page into articles and removes site chrome;
- :mod:`analysis.text.cleaning` turns text into tokens through a list of small named steps;
- :mod:`analysis.pipeline.vectors` builds count, TF-IDF and gensim bag-of-words views of one vocabulary;
- :mod:`analysis.report.overview` summarises a corpus as tidy tables;
- :mod:`analysis.io` is the only module that writes files (atomically).

Importing the package does nothing visible and loads no heavy dependency.
"""

__version__ = "0.1.0"
