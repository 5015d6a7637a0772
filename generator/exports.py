"""Exports: the published corpus in the formats of the field's own tools.

Every format starts from the published corpus (``generator.publish``), so
drafts, embargoes, private notes and an as-of apply exactly as they do to
the site. Each exporter is a function from an :class:`ExportContext` to
files (``{path: bytes}``, paths under the data folder); this module names
them, says where each lives, and writes them; what they all read is
``generator.export_context``. The same files are published
with the site under ``data/`` (the plugin) and written by ``briefing
export``.

Every export is deterministic: records in id order, keys sorted, and the
only date used is the corpus' own (the latest as-of of its briefs), never
the clock.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from generator.corpus import paused_gc
from generator.export_context import ExportContext
from generator.export_memo import Memo, MemoStore
from generator.model import FOLDERS
from generator.options import EXPORT_FORMATS
from generator.workers import forked

log = logging.getLogger(__name__)

Exporter = Callable[[ExportContext], dict[str, bytes]]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    label: str  # what the site's data page calls it
    files: tuple[tuple[str, str], ...]  # (path under the data folder, what it holds), as the data page lists them
    about: str  # one line on what it is for

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(path for path, _ in self.files)


# The CSV export's tables beside one per kind: one per link between records.
LINK_TABLES = (
    ("links", "Every link from one record to another, with both ends and the field it is in."),
    ("claim_sources", "Each claim with each source that carries it, and the source's date and grades."),
    ("relations", "Each relation of an actor to another actor or to a place."),
    ("event_actors", "Each actor's part in each event."),
    ("names", "The names each side uses for places and actors."),
    ("disputes", "Each side of each question on which sources disagree."),
)

FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("json", "JSON", (("briefing.json", "Every record, with its links by id and by page address."),
                            ("briefing.schema.json", "The JSON Schema the document follows.")),
           "Every record in one document, with the JSON Schema it follows."),
    Format("csv", "CSV", (*((f"csv/{folder}.csv", f"One row per {kind}.") for kind, folder in FOLDERS.items()),
                          *((f"csv/{name}.csv", about) for name, about in LINK_TABLES)),
           "A table per kind of record, and one per link between records, for spreadsheets (UTF-8)."),
    Format("jsonld", "JSON-LD (schema.org)", (("briefing.jsonld", "Every record as schema.org, in one graph."),),
           "Records as schema.org claims, events, people, organisations and places; each record's page "
           "carries its own."),
    Format("ftm", "FollowTheMoney", (("briefing.ftm.json", "Entities and the links between them, one per line."),),
           "For Aleph and other FollowTheMoney tools."),
    Format("stix", "STIX 2.1", (("briefing.stix.json", "One bundle of every object."),),
           "For OpenCTI and other intelligence platforms."),
)}
assert tuple(FORMATS) == EXPORT_FORMATS, "the plugin's option lists the same formats"


def exporter(name: str) -> Exporter:
    """A format's exporter, imported when used: each pulls in its own library."""
    if name == "json":
        from generator.export_json import export_json
        return export_json
    if name == "csv":
        from generator.export_csv import export_csv
        return export_csv
    if name == "jsonld":
        from generator.export_jsonld import export_jsonld
        return export_jsonld
    if name == "ftm":
        from generator.export_ftm import export_ftm
        return export_ftm
    if name == "stix":
        from generator.export_stix import export_stix
        return export_stix
    raise KeyError(name)


def export(ctx: ExportContext, formats: tuple[str, ...] = EXPORT_FORMATS) -> dict[str, bytes]:
    """The files of every format asked for, ``{path under the data folder: bytes}``."""
    files: dict[str, bytes] = {}
    for name in formats:
        made = exporter(name)(ctx)
        log.debug("export %s: %d files", name, len(made))
        files.update(made)
    return dict(sorted(files.items()))


def export_in_background(ctx: ExportContext, formats: tuple[str, ...],
                         store: MemoStore | None = None) -> Future[dict[str, bytes]]:
    """``export`` in a worker process (``generator.workers.forked``), while
    the build goes on: the engine's pages keep one core busy, and the exports
    (tens of seconds of STIX and FtM at 10,000 records, made from scratch)
    take another. With a ``store``, the objects an earlier export made are
    taken from it, and this one's left in it."""
    return forked(partial(_export_kept, ctx, formats, store))


def _export_kept(ctx: ExportContext, formats: tuple[str, ...], store: MemoStore | None) -> dict[str, bytes]:
    # The worker ends with its export: what it makes is freed then, and the
    # cyclic collector would otherwise scan the memo's objects again and again.
    with paused_gc():
        if store is None:
            return export(ctx, formats)
        memo = Memo(store.load())
        files = export(replace(ctx, memo=memo), formats)
        log.info("exports: %d of %d objects made again", memo.made_here, len(memo.used))
        store.save(memo.used)
        return files


def write_export(files: dict[str, bytes], folder: Path) -> None:
    """Write the files into ``folder``, each whole (written beside itself and
    renamed over the old one). Every file is made before the first is
    written, so a corpus that cannot be exported leaves the folder as it was;
    other files in the folder are left alone (it may be the user's own)."""
    for rel, data in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(data)
        os.replace(partial, target)
