"""Stage 2, validate: each record's data against the model, one at a time.

pydantic (strict, no extra fields) does the checking; this module turns its
errors into problems an analyst can act on: located at the field, worded in
the record's terms, each with a hint on what would be right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from difflib import get_close_matches
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.dates import DateError
from generator.discover import RecordFile
from generator.fields import field_by_alias, keys, model_at
from generator.load import Loaded
from generator.model import KINDS, MAX_NUMBER, Record
from generator.positions import char_position, locate
from generator.problems import Problem, RecordPath, Severity, format_path
from generator.slugs import SLUG_MAX, SLUG_PATTERN, slugify
from generator.textcheck import texts


@dataclass(slots=True)
class Entry:
    """A valid record with where it came from."""

    file: RecordFile
    model: Record
    text: str = field(repr=False)

    @property
    def kind(self) -> str:
        return self.file.kind

    @property
    def id(self) -> str:
        return self.file.id


@dataclass(slots=True)
class Invalid:
    """A record that failed validation: still known by its id, so that
    references to it are not reported as dangling, and its own references
    are checked from the raw data."""

    file: RecordFile
    data: dict[str, Any] | None
    text: str | None = field(repr=False)


def problem_at(entry: Entry | Invalid, path: RecordPath, code: str, message: str, hint: str,
               severity: Severity = Severity.ERROR, at: str = "", nth: int = 0) -> Problem:
    """A problem located at ``path`` in a record's file; with ``at``, where
    that text is written in the field (a reference inside prose) for the
    ``nth`` time."""
    if entry.text is None:
        line, col = 0, 0
    elif at:
        line, col = char_position(entry.text, path, False, at, nth)
    else:
        line, col = locate(entry.text, path)
    return Problem(entry.file.rel, line, col, format_path(path), code, message, hint, severity)


# What `briefing new` writes where a real value belongs (generator.scaffold).
PLACEHOLDER = "TODO"


def validate(loaded: Loaded) -> tuple[Entry | Invalid, list[Problem]]:
    checked, problems = _validate_model(loaded)
    if loaded.data is not None and loaded.text is not None:
        problems += placeholders(loaded.data, loaded.file, loaded.text)
    return checked, problems


def placeholders(data: dict[str, Any], file: RecordFile, text: str) -> list[Problem]:
    """A warning for each text value still starting with the placeholder."""
    if PLACEHOLDER not in text:  # the fast path: a substring search over the whole file
        return []
    out = []
    for path, value, is_key in texts(data, ()):
        if not is_key and value.lstrip().startswith(PLACEHOLDER):
            line, col = locate(text, path)
            out.append(Problem(file.rel, line, col, format_path(path), "placeholder",
                               f"{_describe(value)} is a placeholder from `briefing new`",
                               "write the real value, or remove the field if it is optional", Severity.WARNING))
    return out


def _validate_model(loaded: Loaded) -> tuple[Entry | Invalid, list[Problem]]:
    file, data, text = loaded.file, loaded.data, loaded.text
    if data is None or text is None:
        return Invalid(file, None, text), []
    cls = KINDS[file.kind]
    try:
        model = cls.model_validate(data)
    except ValidationError as exc:
        return Invalid(file, data, text), translate_errors(exc.errors(), cls, data, file, text)
    if model.id is not None and model.id != file.id:
        line, col = locate(text, ("id",))
        return Invalid(file, data, text), [Problem(
            file.rel, line, col, "id", "id-mismatch", f"id '{model.id}' does not match the file name '{file.id}'",
            f"remove the id field (the file name is the id), or rename the file to {model.id}.yaml")]
    return Entry(file, model, text), []


def review_due(entry: Entry, now: datetime) -> Problem | None:
    """A warning when the record's review_by date has passed: the day (or
    moment) given is over everywhere on Earth."""
    due = entry.model.review_by
    if due is None or due.latest > now:
        return None
    line, col = locate(entry.text, ("review_by",))
    reviewed = entry.model.reviewed
    last = f" (last reviewed {reviewed})" if reviewed else " (never reviewed)"
    return Problem(entry.file.rel, line, col, "review_by", "review-due",
                   f"the record was due for review by {due}{last}",
                   "check it against its sources, then set reviewed to today and review_by to the next date",
                   Severity.WARNING)


# --- pydantic errors to problems ------------------------------------------------


def translate_errors(errors: Sequence[Any], cls: type[BaseModel], data: Any, file: RecordFile,
                     text: str) -> list[Problem]:
    """pydantic's errors for one file as problems, one per place."""
    problems: dict[RecordPath, Problem] = {}
    union_types: dict[RecordPath, list[str]] = {}
    for err in errors:
        path = _data_path(err["loc"], data)
        if len(path) < len(err["loc"]) and err["type"].endswith("_type"):
            # A branch of a union failed: gather the branches into one message.
            union_types.setdefault(path, []).append(_EXPECTED.get(err["type"], err["type"]))
            continue
        if path not in problems:
            problems[path] = _problem(err, path, cls, file, text)
    for path, expected in union_types.items():
        if path not in problems:
            problems[path] = _wrong_type(" or ".join(dict.fromkeys(expected)), _at(data, path), path, file, text)
    return list(problems.values())


def _data_path(loc: Sequence[str | int], data: Any) -> RecordPath:
    """pydantic's loc holds union branch names ('int', 'str'); keep the
    parts that lead through the data (and a last missing field)."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str):
            out.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
    return tuple(out)


def _at(data: Any, path: RecordPath) -> Any:
    for part in path:
        data = data[part]
    return data


_EXPECTED = {
    "string_type": "text",
    "int_type": "a number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "fields (a mapping)",
    "model_type": "fields (a mapping)",
    "model_attributes_type": "fields (a mapping)",
    "none_required": "nothing",
}


def _problem(err: Any, path: RecordPath, cls: type[BaseModel], file: RecordFile, text: str) -> Problem:
    kind = err["type"]
    where = format_path(path)
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return _missing(path, cls, file, text)
    if kind == "extra_forbidden":
        return _unknown(path, cls, file, text)
    line, col = locate(text, path)
    if kind in _EXPECTED:
        return _wrong_type(_EXPECTED[kind], value, path, file, text)
    if kind in ("literal_error", "enum"):
        return _choice(value, ctx.get("expected", ""), where, file, line, col)
    if kind == "string_pattern_mismatch":
        return _pattern(value, str(ctx.get("pattern", "")), where, file, line, col)
    if kind in ("too_short", "string_too_short"):
        return _too_short(path, ctx, cls, file, line, col)
    if kind == "string_too_long":
        return Problem(file.rel, line, col, where, "invalid-value",
                       f"'{value}' is longer than {ctx.get('max_length')} characters",
                       f"ids are at most {SLUG_MAX} characters: shorten it")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(ctx.values()), "")
        if abs(float(bound)) == MAX_NUMBER:
            return Problem(file.rel, line, col, where, "invalid-value", f"{value} is beyond what a figure may be",
                           f"figures stay within ±{MAX_NUMBER:,}; quote it if it is a code, not a quantity")
        return Problem(file.rel, line, col, where, "invalid-value", f"{value} is out of range ({err['msg'].lower()})",
                       f"latitude runs -90 to 90, longitude -180 to 180; check the sign and order (bound: {bound})")
    if kind == "finite_number":
        return Problem(file.rel, line, col, where, "invalid-value", f"{value} is not a figure",
                       "write a finite number (YAML reads .inf, .nan and 1e400 as infinite or not a number)")
    if kind == "value_error":
        return _value_error(ctx.get("error"), path, file, line, col)
    return Problem(file.rel, line, col, where, "invalid-value", str(err["msg"]), "")


def _missing(path: RecordPath, cls: type[BaseModel], file: RecordFile, text: str) -> Problem:
    parent, name = path[:-1], str(path[-1]) if path else ""
    line, col = locate(text, parent)
    owner = model_at(cls, parent)
    description = ""
    if owner is not None:
        info = field_by_alias(owner, name)
        description = (info.description or "") if info is not None else ""
    if name in ("sources", "source") and cls.__name__ in ("Claim", "Quote", "Event"):
        what = cls.__name__.lower()
        return Problem(file.rel, line, col, format_path(parent), "no-source",
                       f"a {what} must name its source: '{name}' is missing",
                       f"add '{name}: {'[source-id]' if name == 'sources' else 'source-id'}' with the id of the "
                       f"record in briefings/sources/ that carries it")
    hint = f"add '{name}: ...'" + (f" ({description.rstrip('.')})" if description else "")
    return Problem(file.rel, line, col, format_path(parent), "missing-field", f"required field '{name}' is missing",
                   hint)


def _unknown(path: RecordPath, cls: type[BaseModel], file: RecordFile, text: str) -> Problem:
    parent, name = path[:-1], str(path[-1])
    line, col = locate(text, path, key=True)
    owner = model_at(cls, parent)
    allowed = sorted(keys(owner)) if owner is not None else []
    near = get_close_matches(name, allowed, n=1, cutoff=0.6)
    hint = f"did you mean '{near[0]}'?" if near else f"allowed here: {', '.join(allowed)}"
    where = format_path(parent)
    return Problem(file.rel, line, col, where, "unknown-field", f"unknown field '{name}'", hint)


def _wrong_type(expected: str, value: Any, path: RecordPath, file: RecordFile, text: str) -> Problem:
    line, col = locate(text, path)
    hint = ""
    if expected == "text" and isinstance(value, (int, float, bool)):
        literal = str(value).lower() if isinstance(value, bool) else str(value)
        hint = f"quote it to keep it as text: \"{literal}\""
    elif expected == "a list":
        hint = "write a list: '[a, b]' or one '- item' per line"
    elif value is None:
        hint = "give a value, or remove the field if it is optional"
    return Problem(file.rel, line, col, format_path(path), "wrong-type",
                   f"expected {expected}, got {_describe(value)}", hint)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{shown}'"
    if isinstance(value, list):
        return "a list"
    return "fields (a mapping)"


def _choice(value: Any, expected: str, where: str, file: RecordFile, line: int, col: int) -> Problem:
    options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",") if o.strip()]
    near = get_close_matches(str(value), options, n=1, cutoff=0.5)
    hint = f"did you mean '{near[0]}'?" if near else f"one of: {', '.join(options)}"
    return Problem(file.rel, line, col, where, "invalid-value", f"{_describe(value)} is not one of the allowed values",
                   hint)


def _pattern(value: Any, pattern: str, where: str, file: RecordFile, line: int, col: int) -> Problem:
    if pattern == SLUG_PATTERN:
        suggestion = slugify(str(value))
        return Problem(file.rel, line, col, where, "bad-id", f"'{value}' is not an id: ids are lower-case slugs",
                       f"write '{suggestion}'" if suggestion else "use a-z, 0-9 and single hyphens")
    if pattern.startswith("^[a-z]{2,3}"):
        return Problem(file.rel, line, col, where, "invalid-value", f"'{value}' is not a language code",
                       "use a BCP 47 code: en, hy, az, ru, fr, de, tr, zh, uk")
    if pattern.startswith("^https?"):
        return Problem(file.rel, line, col, where, "invalid-value", f"'{value}' is not a web address",
                       "write the full address, starting with https://")
    return Problem(file.rel, line, col, where, "invalid-value", f"'{value}' does not match {pattern}", "")


def _too_short(path: RecordPath, ctx: Any, cls: type[BaseModel], file: RecordFile, line: int, col: int) -> Problem:
    where = format_path(path)
    name = str(path[-1]) if path else ""
    if name == "sources":
        return Problem(file.rel, line, col, where, "no-source", f"a {cls.__name__.lower()} needs at least one source",
                       "list the id of each source that carries it: sources: [source-id]")
    minimum = ctx.get("min_length", 1)
    if "actual_length" not in ctx:  # an empty text
        return Problem(file.rel, line, col, where, "invalid-value", "the text is empty",
                       "write something, or remove the field")
    return Problem(file.rel, line, col, where, "invalid-value", f"needs at least {minimum} item(s)",
                   f"add at least {minimum} item(s) to '{name}'")


def _value_error(error: Any, path: RecordPath, file: RecordFile, line: int, col: int) -> Problem:
    where = format_path(path)
    if isinstance(error, DateError):
        return Problem(file.rel, line, col, where, "invalid-date", str(error), error.hint)
    return Problem(file.rel, line, col, where, "invalid-value", str(error), "")

