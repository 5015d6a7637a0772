"""briefing: validated YAML records rendered into a briefing site and PDF briefs.

The stages read top to bottom, one module per stage: ``load`` (files to
data) -> ``validate`` (data to records) -> ``link`` (records to a
cross-referenced corpus) -> ``publish`` -> ``render`` -> the writers
(``build``, ``pdf``). ``pipeline.prepare`` puts them together, once.
"""

# First, before any module of the package imports `mkdocs`: the engine
# (ProperDocs, answering for mkdocs.*) for the whole process.
from generator import engine as _engine  # noqa: F401

__version__ = "0.1.0"
