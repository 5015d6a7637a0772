"""Problems are data: every stage returns them instead of raising.

A run collects every problem (file, line, column, a path into the record,
message, hint) and reports them all at once, as text, JSON or GitHub
workflow annotations.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum

from generator.chars import printable

PathPart = str | int
RecordPath = tuple[PathPart, ...]


# Every class of problem, by its stable code: what tools and docs rely on.
CODES: dict[str, str] = {
    # files and YAML
    "unreadable": "the file cannot be read",
    "too-large": "the file, or what its aliases expand to, is too large for a record",
    "not-utf8": "the file is not UTF-8 text",
    "empty-file": "the file holds no record",
    "yaml-syntax": "the YAML cannot be parsed",
    "multiple-documents": "more than one YAML document in one file",
    "too-deep": "nesting deeper than a record can be, directly or through aliases",
    "not-a-mapping": "the file is a list or a single value, not fields",
    "duplicate-key": "a field given twice in one mapping",
    "complex-key": "a field name that is not plain text",
    "merge-key": "a YAML merge key (<<)",
    "recursive-alias": "an alias to a value that contains it",
    "unsupported-tag": "an explicit YAML tag",
    "yaml11-ambiguous": "an unquoted value that YAML 1.1 tools read differently (warning)",
    "unformattable": "a record `briefing fmt` cannot rewrite without changing its data or losing a comment",
    # where files are
    "unknown-folder": "a folder under briefings/ that is not a record kind",
    "misplaced-file": "a record file outside a kind folder",
    "not-a-record": "a file in a kind folder that is not a record (warning)",
    "stray-file": "a file that is neither a record nor published media: neither read nor published (warning)",
    "outside-link": "a symbolic link to outside the corpus folder: neither read nor published",
    "special-file": "a FIFO, device or socket where a file should be: never opened",
    "bad-file-name": "a file in media/ whose name is not web-safe: not published",
    # fields
    "bad-id": "an id (file name or reference) that is not a lower-case slug, or is a page's own name (index)",
    "id-mismatch": "an id field that differs from the file name",
    "unknown-field": "a field the record kind does not have",
    "missing-field": "a required field is missing",
    "no-source": "a claim, quote or event that names no source",
    "wrong-type": "a value of the wrong type",
    "control-character": "text holding a control character or a noncharacter",
    "invisible-character": "text holding a bidirectional override or a zero-width character (warning)",
    "invalid-value": "a value outside what the field allows (numbers: within ±9,007,199,254,740,991)",
    "invalid-date": "a date that is malformed or cannot exist",
    "placeholder": "a value still holding a TODO placeholder from `briefing new` (warning)",
    # across records
    "duplicate-id": "two records with one id",
    "dangling-ref": "a reference to a record that does not exist",
    "wrong-kind-ref": "a reference to a record of the wrong kind",
    "self-ref": "a record that refers to itself",
    "cycle": "places that contain each other",
    "date-order": "dates out of order (an end before its start, a quote after its source, a revision before "
                  "what it revises)",
    "cites-later-source": "a brief citing a record whose every source was published after the brief's as_of",
    "empty-section": "a brief's section that selects nothing (warning)",
    "long-section": "a brief's section that selects more than 100 records (warning)",
    "prose-syntax": "brackets in a brief's prose that are neither a citation [@id] nor a link [words](@id)",
    "uncited-figure": "a paragraph of prose giving a disputed figure without citing a claim on it (warning)",
    "empty-key-figure": "a brief's key figure that no claim answers (warning)",
    "unused-source": "a source no record cites (warning)",
    "unreferenced": "a record no brief or record refers to (warning)",
    # vocabularies and subjects
    "unknown-term": "an actor type, place type, relation type or source kind the vocabulary does not define",
    "undefined-term": "a topic, subject or role (written as a term) the vocabulary does not define (warning)",
    "unit-mismatch": "a figure whose unit cannot be converted to its subject's",
    "answer-mismatch": "a figure on a subject that asks for a position in words, or words where it asks for a "
                       "figure",
    "figure-as-text": "a claim's value that is a figure written as text: compared as words (warning)",
    "bad-supersedes": "a claim that supersedes a claim on another subject",
    # quotes against their sources' archived text (generator.fidelity)
    "quote-not-in-source": "a quote that is not verbatim in its source's archived text",
    "quote-wrong-source": "a quote found in another source's archived text, not its own",
    "archive-missing": "a source's archive file that is not in the archive folder",
    "unverifiable-quotes": "a source whose quotes cannot be checked: it names no archive (warning, with --strict)",
    # editorial
    "review-due": "a record past its review_by date (warning)",
}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the corpus, located as precisely as we can."""

    file: str  # relative to the corpus root, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the file as a whole
    column: int  # 1-based; 0 likewise
    path: str  # into the record: "roles[0].title"; "" for the whole record
    code: str  # a stable name for the class of problem: "unknown-field"
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered problem code {self.code!r}: add it to problems.CODES")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)


def format_path(path: RecordPath) -> str:
    """("roles", 0, "title") -> "roles[0].title"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    # Deduplicated and ordered so that reports are deterministic.
    return sorted(set(problems), key=lambda p: p.sort_key)


def count(problems: Sequence[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.is_error)
    return errors, len(problems) - errors


def _location(p: Problem) -> str:
    if p.line:
        return f"{p.file}:{p.line}:{p.column}"
    return p.file


def format_text(problems: Sequence[Problem]) -> str:
    """`file:line:col: severity: path: message [code]`, hint indented below.
    Record text in a message is shown with control and invisible characters
    escaped: a report is one line per problem, and a terminal only prints it."""
    lines = []
    for p in problems:
        where = f"{p.path}: " if p.path else ""
        lines.append(printable(f"{_location(p)}: {p.severity.value}: {where}{p.message} [{p.code}]"))
        if p.hint:
            lines.append(printable(f"    hint: {p.hint}"))
    return "\n".join(lines)


def summary(problems: Sequence[Problem], files: int) -> str:
    errors, warnings = count(problems)
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(files, 'file')}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def format_json(problems: Sequence[Problem], files: int, error: dict[str, str] | None = None) -> str:
    """The report as a JSON document; ``error`` says why a run stopped, when it did."""
    errors, warnings = count(problems)
    doc: dict[str, object] = {
        "problems": [{**asdict(p), "severity": p.severity.value} for p in problems],
        "summary": {"errors": errors, "warnings": warnings, "files": files},
    }
    if error is not None:
        doc["error"] = error
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _gh_escape(text: str, prop: bool = False) -> str:
    # GitHub's workflow-command escaping; properties also escape ':' and ','.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problems: Sequence[Problem]) -> str:
    lines = []
    for p in problems:
        props = [f"file={_gh_escape(p.file, True)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.column}"]
        props.append(f"title={_gh_escape(p.code, True)}")
        where = f"{p.path}: " if p.path else ""
        body = f"{where}{p.message}" + (f" (hint: {p.hint})" if p.hint else "")
        lines.append(printable(f"::{p.severity.value} {','.join(props)}::{_gh_escape(body)}"))
    return "\n".join(lines)
