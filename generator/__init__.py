"""briefing: validated YAML records rendered into a briefing site and PDF briefs.

The pipeline reads top to bottom, one module per stage:
``load`` (files to data) -> ``validate`` (data to records) -> ``link``
(records to a cross-referenced corpus). ``corpus.read_corpus`` runs them.
"""

__version__ = "0.1.0"
