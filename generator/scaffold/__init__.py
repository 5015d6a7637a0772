"""Scaffolding: a new corpus repository (``briefing init``) and record
skeletons (``briefing new``).

The package, by concern: ``skeleton``, a new record's text generated from
the model; ``new``, writing one into the corpus; ``repository``, the files
of a new corpus repository; ``examples``, the example records it starts with.
"""

from __future__ import annotations

from generator.scaffold.examples import example_ids
from generator.scaffold.new import NewRecord, existing_ids, missing_ref_notes, new_record
from generator.scaffold.repository import InitResult, init_corpus, init_files
from generator.scaffold.skeleton import PLACEHOLDER_ID, MissingRef, ScaffoldError, Skeleton, modeline, skeleton

__all__ = [
    "PLACEHOLDER_ID",
    "InitResult",
    "MissingRef",
    "NewRecord",
    "ScaffoldError",
    "Skeleton",
    "example_ids",
    "existing_ids",
    "init_corpus",
    "init_files",
    "missing_ref_notes",
    "modeline",
    "new_record",
    "skeleton",
]
