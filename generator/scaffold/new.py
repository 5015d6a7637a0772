"""``briefing new``: a record skeleton written into the corpus, under an id
no record has yet, with a placeholder date no later than its sources'.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.dates import PartialDate
from generator.discover import CORPUS_FOLDER, RECORD_SUFFIXES, RecordFile
from generator.load import load_file
from generator.model import FOLDERS, Source
from generator.scaffold.skeleton import PLACEHOLDER_ID, MissingRef, ScaffoldError, either, skeleton
from generator.slugs import SLUG_MAX, is_slug
from generator.terms import corpus_vocabulary_file, read_vocabulary
from generator.validate import Entry, validate
from generator.vocabulary import Vocabulary

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NewRecord:
    path: Path
    missing: list[MissingRef]
    existing: dict[str, list[str]]  # kind -> ids already in the corpus
    unknown_targets: list[str]  # ids given with --ref that no record has yet


def existing_ids(root: Path) -> dict[str, list[str]]:
    """{kind: ids} from the file names: cheap, nothing is parsed."""
    out: dict[str, list[str]] = {}
    for kind, folder in FOLDERS.items():
        base = root / CORPUS_FOLDER / folder
        found = (p for p in base.iterdir() if p.suffix in RECORD_SUFFIXES) if base.is_dir() else iter(())
        out[kind] = sorted(p.stem for p in found)
    return out


def new_record(root: Path, kind: str, rid: str, refs: dict[str, list[str]], now: datetime) -> NewRecord:
    """Write briefings/<kind>s/<rid>.yaml as a skeleton; refuse anything that would clash."""
    if not (root / CORPUS_FOLDER).is_dir():
        raise ScaffoldError(f"no {CORPUS_FOLDER}/ folder in {root}: run this in a corpus "
                            f"(or pass it with -C), or start one with 'briefing init'")
    if not is_slug(rid):
        raise ScaffoldError(f"'{rid}' is not an id: ids are lower-case slugs "
                            f"(a-z, 0-9, single hyphens, at most {SLUG_MAX} characters)")
    existing = existing_ids(root)
    # Ids are unique across kinds: an event and a claim cannot share one.
    clash = next((k for k, ids in existing.items() if rid in ids), None)
    if clash is not None:
        raise ScaffoldError(f"the id '{rid}' is taken: {CORPUS_FOLDER}/{FOLDERS[clash]}/ has it")
    made = skeleton(kind, rid, refs, now, _published(root, refs), _vocabulary(root))
    path = root / CORPUS_FOLDER / FOLDERS[kind] / f"{rid}.yaml"
    path.parent.mkdir(exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(made.text)
    known = {i for ids in existing.values() for i in ids}
    unknown = sorted({i for ids in refs.values() for i in ids} - known)
    log.debug("wrote %s", path)
    return NewRecord(path, made.missing, existing, unknown)


def _vocabulary(root: Path) -> Vocabulary:
    """The corpus' merged vocabulary, for the terms the skeleton's comments
    offer; the defaults when its vocabulary file is missing or invalid
    (`briefing check` reports what is wrong with it)."""
    vocabulary, _ = read_vocabulary(corpus_vocabulary_file(root))
    return vocabulary


def _published(root: Path, refs: dict[str, list[str]]) -> str | None:
    """The earliest publication date of the sources named with --ref. A quote
    or claim dated after the source that prints it is an error, so a
    placeholder date must not be after it either; today would be."""
    dates: list[PartialDate] = []
    for rid in sorted({i for ids in refs.values() for i in ids}):
        for suffix in RECORD_SUFFIXES:
            path = root / CORPUS_FOLDER / FOLDERS["source"] / f"{rid}{suffix}"
            if path.is_file():
                loaded, _ = load_file(RecordFile(path, path.name, "source", rid))
                checked, _ = validate(loaded)
                if isinstance(checked, Entry) and isinstance(checked.model, Source):
                    dates.append(checked.model.published)
    return min(dates, key=lambda d: d.sort_key).text if dates else None


def missing_ref_notes(result: NewRecord, shown: int = 5) -> list[str]:
    """For each placeholder reference: which ids it could take."""
    notes = []
    for m in result.missing:
        ids = sorted(i for k in m.kinds for i in result.existing.get(k, []))
        key = m.path.rsplit(".", 1)[-1].split("[")[0]
        head = f"{m.path}: no --ref {key}=ID given, so it holds '{PLACEHOLDER_ID}'"
        if not ids:
            notes.append(f"{head}; there is no {either(m.kinds)} yet "
                         f"(briefing new {m.kinds[0]} ID)")
            continue
        more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
        notes.append(f"{head}; existing {either(m.kinds, True)}: {', '.join(ids[:shown])}{more}")
    return notes
