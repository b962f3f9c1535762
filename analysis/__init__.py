"""Text analytics for studying what a website publishes.

The package is organised one module per stage:

- :mod:`analysis.corpus` reads documents (scraped pages, JSONL, CSV, HTML) into articles;
- :mod:`analysis.segment` splits a scraped listing page into articles and removes site chrome;
- :mod:`analysis.clean` turns text into tokens through a list of small named steps;
- :mod:`analysis.vectorize` builds count, TF-IDF and gensim bag-of-words views of one vocabulary;
- :mod:`analysis.overview` summarises a corpus as tidy tables;
- :mod:`analysis.io` is the only module that writes files (atomically).

Importing the package does nothing visible and loads no heavy dependency.
"""

__version__ = "0.1.0"
