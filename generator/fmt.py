"""`briefing fmt`: record files rewritten in one canonical form.

ruamel.yaml reads and writes the files, in round-trip mode: PyYAML drops
comments on reading, and a formatter must keep them. The canonical form:

* fields in the model's order (``fields.field_order``), nested mappings too
  (``fields.nested_model``); fields the model does not know keep their order,
  after the known ones;
* block style; mappings indented by 2, lists not indented under their key;
  empty lists and mappings as ``[]`` and ``{}``, a list of numbers (a
  position in a place's shape) on one line, ``[46.75, 39.82]``;
* long text wrapped as PyYAML wraps it, at the first space past column 110,
  which keeps lines within about 120 columns: the sample corpus was written
  that way; literal (``|``) and folded (``>``) blocks kept as they are;
* text plain where every YAML reader takes it for text; dates (``"2023"``,
  ``"2023-09-20T13:00+04:00"``) double-quoted; what a YAML 1.1 tool would
  read as a boolean, a number or null (``no``, ``13:00``, ``1_000``) quoted;
  text that needs quotes keeps the quotes it had, or gets those ruamel picks;
  numbers and booleans written as they were;
* comments kept: a comment line goes with the field or list item after it;
  lines before the first field stay at the top, and a comment indented
  under a nested mapping or list that ends before the next field stays at
  the end of it; an end-of-line comment stays after its value, two spaces
  out; runs of blank lines become one;
* one trailing newline, no ``---``.

A formatter must never change what a record says: the result is read back
with our own loader and must give the same data and the same comments, and
formatting it again must give it back unchanged; or the file is left as it
is and reported as a bug in the formatter. Files the loader rejects are not
touched, nor are the few it accepts that fmt does not take on (anchors and
aliases, field names over 100 characters or on several lines).

The formatter, by concern (Black's layout as the model): ``fmt_canonical``,
the way from a record's text to its canonical text; ``fmt_emitter``, ruamel
set up to write it; ``fmt_quoting``, how text is written; ``fmt_comments``,
where the original's comments are and where each goes; ``fmt_attach``, the
comments put back on the canonical tree; ``fmt_verify``, the checks a result
passes before it is written; ``fmt_results``, what formatting gives. This
module is what the command line uses: the files to format, formatting each,
writing them, and the tally and diffs of a run.
"""

from __future__ import annotations

import difflib
import logging
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from generator.corpus import CorpusNotFound
from generator.discover import CORPUS_FOLDER, RECORD_SUFFIXES, RecordFile, Refused, discover
from generator.errors import BriefingError
from generator.fmt_canonical import canonical_text as _canonical_text
from generator.fmt_results import Formatted, Outcome, Unformattable
from generator.fmt_verify import check_stable, verify
from generator.load import parse_bytes, parse_text, read_record
from generator.model import KIND_OF_FOLDER, KINDS
from generator.problems import Problem
from generator.scalars import needs_quotes

__all__ = [
    "Formatted",
    "Outcome",
    "format_file",
    "format_files",
    "format_record",
    "needs_quotes",
    "record_files",
    "tally",
    "unified_diff",
    "write_formatted",
]

log = logging.getLogger(__name__)


def format_record(text: str, kind: str, rel: str) -> Formatted:
    """A record's text in canonical form. Pure: nothing is read or written."""
    data, problems = parse_text(text, rel)
    errors = [p for p in problems if p.is_error]
    if data is None or errors:
        return Formatted(None, errors)
    return _format(text, data, kind, rel)


def format_file(file: RecordFile) -> Outcome:
    """Read one record file and format it (nothing is written)."""
    try:
        raw = read_record(file)
    except Refused as exc:
        return Outcome(file, None, None, (exc.problem(file.rel),))
    text, data, problems = parse_bytes(raw, file.rel)
    errors = tuple(p for p in problems if p.is_error)
    if text is None or data is None or errors:
        return Outcome(file, raw, None, errors)
    formatted = _format(text, data, file.kind, file.rel)
    return Outcome(file, raw, formatted.text, tuple(formatted.problems))


def format_files(files: Sequence[RecordFile]) -> list[Outcome]:
    """Read and format each file (nothing is written)."""
    return [format_file(file) for file in files]


def _format(text: str, data: dict[str, Any], kind: str, rel: str) -> Formatted:
    cls = KINDS[kind]
    try:
        # _canonical_text is looked up in this module at each call: the tests
        # put a faulty formatter here to see the checks refuse its results.
        out = _canonical_text(text, data, cls)
        again = verify(text, data, out, rel)
        # Formatting is a function of the text: a text that comes back as it
        # was (a canonical file) is stable, and need not be formatted again.
        if out != text:
            check_stable(out, _canonical_text(out, again, cls))
    except Unformattable as exc:
        line, column = exc.where
        log.debug("%s: not formatted: %s", rel, exc.message)
        return Formatted(None, [Problem(rel, line, column, "", "unformattable", exc.message, exc.hint)])
    return Formatted(out, [])


# --- files ---------------------------------------------------------------------------


def record_files(root: Path, paths: Sequence[Path] = ()) -> list[RecordFile]:
    """The record files to format: every record under root/briefings, or
    those given (files, or folders searched for records in kind folders)."""
    if not paths:
        if not (root / CORPUS_FOLDER).is_dir():
            raise CorpusNotFound(f"no {CORPUS_FOLDER}/ folder in {root}: run this where mkdocs.yml and "
                                 f"{CORPUS_FOLDER}/ are, pass the corpus folder with --root, or name the files")
        discovered = discover(root, CORPUS_FOLDER)
        for p in discovered.problems:
            log.debug("not formatted: %s: %s", p.file, p.message)  # `briefing check` reports these
        return discovered.records
    found: dict[Path, RecordFile] = {}
    for path in paths:
        for candidate in _candidates(path):
            found.setdefault(candidate.resolve(), _record_file(root, candidate))
    return list(found.values())


def _candidates(path: Path) -> Iterator[Path]:
    if not path.is_dir():
        yield path
        return
    for candidate in sorted(path.rglob("*")):
        # In a folder, only what discover() would read: record files in kind folders.
        if (candidate.suffix in RECORD_SUFFIXES and candidate.is_file() and not candidate.name.startswith(".")
                and candidate.parent.name in KIND_OF_FOLDER):
            yield candidate


class NotARecord(BriefingError):
    """A file named on the command line that is not a record file."""


def _record_file(root: Path, path: Path) -> RecordFile:
    kind = KIND_OF_FOLDER.get(path.parent.name)
    if kind is None or path.suffix not in RECORD_SUFFIXES:
        raise NotARecord(f"{path} is not a record file: records are briefings/<kind>s/<id>.yaml")
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    return RecordFile(path, rel, kind, path.stem)


def write_formatted(outcome: Outcome) -> None:
    """Replace a file by its canonical text, atomically: a reader (serve,
    an editor) sees the old file or the new one, never half of one."""
    if outcome.after is None:
        raise ValueError(f"{outcome.file.rel} has no canonical text")
    path = outcome.file.path
    mode = stat.S_IMODE(path.stat().st_mode)
    # A hidden name in the same folder: discover() skips it, os.replace is atomic.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(outcome.after.encode("utf-8"))
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- the report --------------------------------------------------------------------------


def tally(outcomes: Sequence[Outcome], written: bool) -> str:
    """"2 files reformatted, 194 unchanged", and how many could not be formatted."""
    changed = sum(1 for o in outcomes if o.changed)
    unchanged = sum(1 for o in outcomes if o.after is not None and not o.changed)
    refused = len(outcomes) - changed - unchanged
    out = f"{_files(changed)} {'reformatted' if written else 'would be reformatted'}, {unchanged} unchanged"
    return out + (f", {_files(refused)} not formatted" if refused else "")


def _files(n: int) -> str:
    return f"{n} file{'' if n == 1 else 's'}"


def unified_diff(outcome: Outcome) -> str:
    """The changes formatting makes to a file, as ``git diff`` shows them ("" if none can be made)."""
    if outcome.after is None or outcome.before is None:
        return ""
    before = outcome.before.decode("utf-8-sig").splitlines(keepends=True)
    after = outcome.after.splitlines(keepends=True)
    rel = outcome.file.rel
    return "".join(difflib.unified_diff(before, after, f"a/{rel}", f"b/{rel}"))
