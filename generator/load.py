"""Stage 1, load: files on disk to plain data, every problem located.

PyYAML's C parser composes the node tree (about 8x faster than the pure
Python one); we construct values from the nodes ourselves because PyYAML's
constructors silently keep the last of duplicate keys and follow YAML 1.1,
where an unquoted ``13:00`` is 780 and ``no`` is false.

Scalars are read by the YAML 1.2 core schema, the one editors'
yaml-language-server uses: ``no`` and ``13:00`` stay text, ``2023-09-20``
stays text (dates are parsed by the model, with their precision). Plain
scalars that a YAML 1.1 tool would read differently get a warning, so the
author can quote them and every tool agrees.

Positions are not stored for each node (that would cost time and memory on
every run); ``locate`` composes one file again when a problem needs a place.
"""

from __future__ import annotations

import logging
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml._yaml import CParser
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from generator.model import FOLDERS, KIND_OF_FOLDER, SLUG_MAX, SLUG_PATTERN
from generator.problems import Problem, RecordPath, Severity, format_path

log = logging.getLogger(__name__)

RECORD_SUFFIXES = (".yaml", ".yml")
# A record is a few dozen nodes; aliases may repeat a block, not explode it.
MAX_NODES = 20_000
MAX_DEPTH = 64
MAX_BYTES = 2_000_000
_PLAIN = "!plain"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_SLUG = re.compile(SLUG_PATTERN)

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
# What YAML 1.1 tools would read differently from YAML 1.2.
_NOT_SPECIAL = object()
# Plain scalars that are not text, by the YAML 1.2 core schema (the fast path).
_PLAIN_SPECIAL: dict[str, object] = {
    **dict.fromkeys(_NULL), **dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
_YAML11_TRUE = frozenset({"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"})
_YAML11_FALSE = frozenset({"n", "N", "no", "No", "NO", "off", "Off", "OFF"})
_YAML11_WORDS = _YAML11_TRUE | _YAML11_FALSE
_YAML11_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$")
_YAML11_UNDERSCORED = re.compile(r"^[-+]?[0-9][0-9_]*$")


@dataclass(frozen=True, slots=True)
class RecordFile:
    """A record file found in the corpus."""

    path: Path
    rel: str  # as shown in problems: "briefings/events/ceasefire.yaml"
    kind: str
    id: str


@dataclass(slots=True)
class Loaded:
    """A record file read to plain data (``data`` is None if unreadable)."""

    file: RecordFile
    text: str | None
    data: dict[str, Any] | None


# --- discovery ---------------------------------------------------------------


def discover(root: Path, folder: str = "briefings") -> tuple[list[RecordFile], list[Problem]]:
    """Find record files under root/folder, refusing what is misplaced."""
    files: list[RecordFile] = []
    problems: list[Problem] = []
    for entry in _entries(root / folder):
        rel = f"{folder}/{entry.name}"
        if entry.is_dir():
            kind = KIND_OF_FOLDER.get(entry.name)
            if kind is None:
                problems.append(_unknown_folder(rel, entry.name))
                continue
            found, more = _discover_kind(Path(entry.path), rel, kind)
            files += found
            problems += more
        elif entry.name.endswith(RECORD_SUFFIXES):
            problems.append(
                Problem(rel, 0, 0, "", "misplaced-file", "a record file outside a kind folder is not read",
                        f"move it into one of: {', '.join(f + '/' for f in FOLDERS.values())}")
            )
    return files, problems


def _unknown_folder(rel: str, name: str) -> Problem:
    from difflib import get_close_matches

    near = get_close_matches(name, list(FOLDERS.values()), n=1, cutoff=0.6)
    hint = f"did you mean '{near[0]}'?" if near else ""
    known = ", ".join(FOLDERS.values())
    return Problem(rel, 0, 0, "", "unknown-folder", f"'{name}' is not a record folder (known: {known})",
                   hint or "records live in one folder per kind")


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    """A folder's entries by name, hidden ones (.gitkeep, .DS_Store) left out."""
    with os.scandir(folder) as it:
        return sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)


def _discover_kind(folder: Path, rel_folder: str, kind: str) -> tuple[list[RecordFile], list[Problem]]:
    files: list[RecordFile] = []
    problems: list[Problem] = []
    for entry in _entries(folder):
        rel = f"{rel_folder}/{entry.name}"
        suffix = os.path.splitext(entry.name)[1]
        if entry.is_dir() or suffix not in RECORD_SUFFIXES:
            problems.append(Problem(rel, 0, 0, "", "not-a-record", "not a record file: it is not read",
                                    "records are <id>.yaml files; move anything else out of briefings/",
                                    Severity.WARNING))
            continue
        stem = entry.name[: -len(suffix)]
        if not _SLUG.match(stem) or len(stem) > SLUG_MAX:
            problems.append(Problem(rel, 0, 0, "", "bad-id",
                                    f"file name '{stem}' is not an id: ids are lower-case slugs",
                                    f"rename it to {slugify(stem) or 'a-slug'}{suffix} "
                                    f"(a-z, 0-9 and single hyphens, at most {SLUG_MAX} characters)"))
            continue
        files.append(RecordFile(Path(entry.path), rel, kind, stem))
    return files, problems


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


# --- reading one file --------------------------------------------------------


def load_file(file: RecordFile) -> tuple[Loaded, list[Problem]]:
    try:
        raw = file.path.read_bytes()
    except OSError as exc:
        return Loaded(file, None, None), [Problem(file.rel, 0, 0, "", "unreadable", f"cannot read: {exc.strerror}")]
    text, data, problems = parse_bytes(raw, file.rel)
    return Loaded(file, text, data), problems


def parse_bytes(raw: bytes, rel: str) -> tuple[str | None, dict[str, Any] | None, list[Problem]]:
    """Bytes to a record's data. Never raises: what is wrong is returned."""
    if len(raw) > MAX_BYTES:
        return None, None, [Problem(rel, 0, 0, "", "too-large",
                                    f"{len(raw):,} bytes is more than a record may hold ({MAX_BYTES:,})",
                                    "split it into several records")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        return None, None, [Problem(rel, line, col, "", "not-utf8",
                                    f"byte 0x{raw[exc.start]:02x} is not UTF-8: records must be UTF-8 text",
                                    "re-save the file as UTF-8 (iconv -f WINDOWS-1252 -t UTF-8, "
                                    "or your editor's encoding menu)")]
    data, problems = parse_text(text, rel)
    return text, data, problems


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    col = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def parse_text(text: str, rel: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    if not text.strip() or _only_comments(text):
        return None, [Problem(rel, 0, 0, "", "empty-file", "the file holds no record",
                              "write the record's fields, or delete the file")]
    too_deep = _too_deep(text, rel)
    if too_deep is not None:
        return None, [too_deep]
    try:
        node = _compose(text)
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(exc, rel, text)]
    except (ValueError, RecursionError) as exc:  # defensive: libyaml oddities
        return None, [Problem(rel, 0, 0, "", "yaml-syntax", f"cannot parse: {exc}")]
    if node is None:
        return None, [Problem(rel, 0, 0, "", "empty-file", "the file holds no record",
                              "write the record's fields, or delete the file")]
    if not isinstance(node, MappingNode):
        line, col = _mark(node, text)
        what = "a list" if isinstance(node, SequenceNode) else "a single value"
        return None, [Problem(rel, line, col, "", "not-a-mapping", f"a record is a mapping of fields, not {what}",
                              "start the file with a field, e.g. 'title: ...'")]
    builder = _Builder(rel, text)
    try:
        data = builder.build(node, ())
    except _TooLarge as exc:
        return None, [*builder.problems, exc.problem]
    return data, builder.problems


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") or line.strip() in ("---", "...")
               for line in text.splitlines())


class _Composer(CParser, BaseResolver):
    """libyaml composes; every implicit plain scalar is tagged for us to read."""

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        BaseResolver.__init__(self)

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:
            return _PLAIN
        return str(BaseResolver.resolve(self, kind, value, implicit))  # type: ignore[no-untyped-call]


def _compose(text: str) -> Node | None:
    loader = _Composer(text)
    try:
        node: Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


def _too_deep(text: str, rel: str) -> Problem | None:
    """libyaml's composer recurses in C and crashes the interpreter on very
    deep nesting, so measure depth first. The bound below (flow brackets plus
    the longest run of indentation and block indicators) is cheap and never
    too low; only files over it are walked event by event."""
    bound = text.count("[") + text.count("{") + max((len(m) for m in _INDENT.findall(text)), default=0)
    if bound <= MAX_DEPTH:
        return None
    depth, where = _event_depth(text)
    if depth <= MAX_DEPTH:
        return None
    line, col = where
    return Problem(rel, line, col, "", "too-deep", f"nesting is deeper than {MAX_DEPTH} levels",
                   "records are shallow: a few levels of fields and lists")


_INDENT = re.compile(r"^[ \t?:-]*", re.MULTILINE)


def _event_depth(text: str) -> tuple[int, tuple[int, int]]:
    parser = _Composer(text)
    depth = deepest = 0
    where = (0, 0)
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > deepest:
                    deepest, where = depth, _position(text, event.start_mark)
                    if deepest > MAX_DEPTH:
                        break
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass  # the syntax error is reported when composing
    finally:
        parser.dispose()
    return deepest, where


def _syntax_problem(exc: yaml.YAMLError, rel: str, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = _position(text, mark)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{context}: {problem}" if context else str(problem)
    if "expected a single document" in message:
        return Problem(rel, line, col, "", "multiple-documents", "the file holds more than one YAML document",
                       "one record per file: remove the '---' line and move the second record to its own file")
    hint = "check indentation (spaces, not tabs) and quote values that contain ': ' or start with a symbol"
    if "\t" in message or "tab" in message:
        hint = "indent with spaces: YAML forbids tabs for indentation"
    return Problem(rel, line, col, "", "yaml-syntax", f"YAML syntax: {message}", hint)


def _mark(node: Node, text: str) -> tuple[int, int]:
    return _position(text, node.start_mark)


def _position(text: str, mark: Any) -> tuple[int, int]:
    """1-based line and column as editors count them. libyaml also breaks
    lines at U+0085, U+2028 and U+2029; its character index does not drift."""
    if mark is None:
        return 0, 0
    index = min(int(mark.index), len(text))
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - start + 1


class _TooLarge(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Builder:
    """Nodes to Python values, refusing what YAML would silently accept."""

    def __init__(self, rel: str, text: str) -> None:
        self.rel = rel
        self.text = text
        self.problems: list[Problem] = []
        self.count = 0
        self.active: set[int] = set()  # nodes being built: a cycle is an alias to an ancestor

    def build(self, node: Node, path: RecordPath) -> Any:
        if isinstance(node, ScalarNode):
            self._tally(1, node, path)
            return self._scalar(node, path)
        return self._collection(node, path)

    def _tally(self, n: int, node: Node, path: RecordPath) -> None:
        self.count += n
        if self.count > MAX_NODES:
            raise _TooLarge(self._problem(
                node, path, "too-large", f"the record expands to more than {MAX_NODES:,} values (anchors and aliases?)",
                "write the values out; aliases must not multiply a record"))

    def _child(self, node: Node, path: RecordPath) -> Any:
        # Scalars (most values) are read here without a call to build(): this
        # loop runs for every value of every record. They are tallied in bulk.
        if type(node) is ScalarNode:
            value: str = node.value
            if node.tag == _PLAIN:
                special = _PLAIN_SPECIAL.get(value, _NOT_SPECIAL)
                if special is not _NOT_SPECIAL:
                    return special
                first = value[0] if value else ""
                if not (first.isdigit() or first in "+-.") and value not in _YAML11_WORDS:
                    return value
            elif node.tag == _STR:
                return value
            return self._scalar(node, path)
        return self._collection(node, path)

    def _collection(self, node: Node, path: RecordPath) -> Any:
        # The node and its children; children that are collections count
        # themselves again when built: a bound, not an exact count.
        self._tally(1 + len(node.value), node, path)
        key = id(node)
        if key in self.active:
            raise _TooLarge(self._problem(node, path, "recursive-alias", "an alias refers to a value that contains it",
                                          "remove the alias: records cannot contain themselves"))
        self.active.add(key)
        try:
            if isinstance(node, SequenceNode):
                self._check_tag(node, path, _SEQ)
                return [self._child(child, (*path, i)) for i, child in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            self._check_tag(node, path, _MAP)
            return self._mapping(node, path)
        finally:
            self.active.discard(key)

    def _mapping(self, node: MappingNode, path: RecordPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problems.append(self._problem(key_node, path, "complex-key", "a field name must be plain text",
                                                   "write 'name: value'"))
                continue
            key = key_node.value
            if key == "<<" and key_node.tag == _PLAIN:
                self.problems.append(self._problem(key_node, path, "merge-key", "merge keys (<<) are not supported",
                                                   "write the fields out: merged fields hide what a record holds"))
                continue
            if key in first:
                line, _ = _mark(first[key], self.text)
                self.problems.append(self._problem(
                    key_node, (*path, key), "duplicate-key", f"duplicate field '{key}' (first on line {line})",
                    "remove one of them: YAML would silently keep only the last"))
                continue
            first[key] = key_node
            out[key] = self._child(value_node, (*path, key))
        return out

    def _check_tag(self, node: Node, path: RecordPath, expected: str) -> None:
        if node.tag != expected:
            self.problems.append(self._problem(node, path, "unsupported-tag", f"YAML tag '{node.tag}' is not supported",
                                               "remove the tag: records hold plain text, numbers, lists and fields"))

    def _scalar(self, node: ScalarNode, path: RecordPath) -> Any:
        value: str = node.value
        if node.tag == _STR:
            return value
        if node.tag != _PLAIN:
            self._check_tag(node, path, _STR)
            return value
        return self._plain(node, value, path)

    def _plain(self, node: ScalarNode, value: str, path: RecordPath) -> Any:
        if value in _NULL:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        first = value[0]
        if first.isdigit() or first in "+-.":
            number = _number(value)
            if number is not None:
                return number
            reading = _yaml11_number(value)
            if reading is not None:
                self._yaml11(node, path, value, f"the number {reading}")
        elif value in _YAML11_TRUE:
            self._yaml11(node, path, value, "true")
        elif value in _YAML11_FALSE:
            self._yaml11(node, path, value, "false")
        return value

    def _yaml11(self, node: Node, path: RecordPath, value: str, reading: str) -> None:
        self.problems.append(self._problem(
            node, path, "yaml11-ambiguous",
            f"unquoted {value} is read here as the text \"{value}\", but YAML 1.1 tools read it as {reading}",
            f"quote it: \"{value}\"", Severity.WARNING))

    def _problem(self, node: Node, path: RecordPath, code: str, message: str, hint: str,
                 severity: Severity = Severity.ERROR) -> Problem:
        line, col = _mark(node, self.text)
        return Problem(self.rel, line, col, format_path(path), code, message, hint, severity)


def _number(value: str) -> int | float | None:
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    special = _SPECIAL_FLOAT.get(value.lower())
    if special is not None:
        return special
    if value.startswith("0o") and re.fullmatch(r"0o[0-7]+", value):
        return int(value[2:], 8)
    if value.startswith("0x") and re.fullmatch(r"0x[0-9a-fA-F]+", value):
        return int(value[2:], 16)
    return None


def _yaml11_number(value: str) -> int | None:
    """What YAML 1.1 makes of 13:00 (780) or 1_000 (1000); None if not a number there."""
    sign = -1 if value.startswith("-") else 1
    digits = value.lstrip("+-").replace("_", "")
    if _YAML11_SEXAGESIMAL.match(value):
        total = 0
        for part in digits.split(":"):
            total = total * 60 + int(part)
        return sign * total
    if _YAML11_UNDERSCORED.match(value) and digits:
        return sign * int(digits)
    return None


def plain_is_text(value: str) -> bool:
    """Whether ``value``, written unquoted, is read back here as this same
    text and draws no yaml11-ambiguous warning: false for null, true, 12,
    1.5, 0x1F, no, 13:00 and 1_000. The same decisions as ``_Builder._plain``."""
    if value in _PLAIN_SPECIAL or value in _YAML11_WORDS:
        return False
    if value[0].isdigit() or value[0] in "+-.":
        return _number(value) is None and _yaml11_number(value) is None
    return True


# --- positions, found again when a problem needs them -------------------------


def locate(text: str, path: RecordPath, key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the value at ``path`` in a record's text.

    With ``key``, the position of the field name instead of its value. A path
    that leads nowhere (a missing field) gives the deepest node that exists.
    """
    try:
        node = _compose(text)
    except yaml.YAMLError:
        return 0, 0
    if node is None:
        return 0, 0
    where = _mark(node, text)
    for i, part in enumerate(path):
        last = i == len(path) - 1
        child, key_node = _child(node, part)
        if child is None:
            return where
        node = child
        where = _mark(key_node if (key and last and key_node is not None) else child, text)
    return where


def _child(node: Node, part: str | int) -> tuple[Node | None, Node | None]:
    if isinstance(node, MappingNode) and isinstance(part, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == part:
                return value_node, key_node
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], None
    return None, None

