"""Stage 1, load: files on disk to plain data, every problem located.

PyYAML's C parser composes the node tree (about 8x faster than the pure
Python one); we construct values from the nodes ourselves because PyYAML's
constructors silently keep the last of duplicate keys and follow YAML 1.1,
where an unquoted ``13:00`` is 780 and ``no`` is false.

Scalars are read by the YAML 1.2 core schema, the one editors'
yaml-language-server uses: ``no`` and ``13:00`` stay text, ``2023-09-20``
stays text (dates are parsed by the model, with their precision). Plain
scalars that a YAML 1.1 tool would read differently get a warning, so the
author can quote them and every tool agrees. The rules of both readings
are ``generator.scalars``'.

Positions are not stored for each node (that would cost time and memory on
every run); ``locate`` composes one file again when a problem needs a place.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.discover import RecordFile, Refused, read_limited, too_large
from generator.positions import PLAIN, Composer, compose, mark, position
from generator.problems import Problem, RecordPath, Severity, format_path
from generator.scalars import (
    FALSE,
    INT,
    NULL,
    PLAIN_SPECIAL,
    TRUE,
    YAML11_BOOLS,
    YAML11_FALSE,
    YAML11_TRUE,
    core_number,
    yaml11_number,
)
from generator.textcheck import character_problems

log = logging.getLogger(__name__)

# A record is a few dozen nodes; aliases may repeat a block, not explode it.
MAX_NODES = 20_000
MAX_DEPTH = 64
MAX_BYTES = 2_000_000
# Digits an integer may be written with: numbers in records stay within
# 2**53 (16 digits); far longer ones are refused before conversion, which
# costs time quadratic in the digits.
MAX_DIGITS = 30
# How much of a path into an alias chain a problem shows (its place is exact).
_SHOWN_PARTS = 8
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
# The fast path's default: PLAIN_SPECIAL maps null to None, so a miss needs a marker of its own.
_NOT_SPECIAL = object()


@dataclass(slots=True)
class Loaded:
    """A record file read to plain data (``data`` is None if unreadable)."""

    file: RecordFile
    text: str | None
    data: dict[str, Any] | None


# --- reading one file --------------------------------------------------------


def load_file(file: RecordFile, raw: bytes | None = None) -> tuple[Loaded, list[Problem]]:
    """A record file read (or its bytes, when the caller has read them with
    ``read_record``) and parsed."""
    if raw is None:
        try:
            raw = read_record(file)
        except Refused as exc:
            return Loaded(file, None, None), [exc.problem(file.rel)]
    text, data, problems = parse_bytes(raw, file.rel)
    return Loaded(file, text, data), problems


def read_record(file: RecordFile) -> bytes:
    """A record file's bytes: a regular file, at most MAX_BYTES of it
    (``Refused`` otherwise, with its problem's code)."""
    return read_limited(file.path, MAX_BYTES)


def parse_bytes(raw: bytes, rel: str) -> tuple[str | None, dict[str, Any] | None, list[Problem]]:
    """Bytes to a record's data. Never raises: what is wrong is returned."""
    if len(raw) > MAX_BYTES:
        return None, None, [too_large(len(raw), MAX_BYTES).problem(rel)]
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
        node = compose(text)
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(exc, rel, text)]
    except (ValueError, RecursionError) as exc:  # defensive: libyaml oddities
        return None, [Problem(rel, 0, 0, "", "yaml-syntax", f"cannot parse: {exc}")]
    if node is None:
        return None, [Problem(rel, 0, 0, "", "empty-file", "the file holds no record",
                              "write the record's fields, or delete the file")]
    if not isinstance(node, MappingNode):
        line, col = mark(node, text)
        what = "a list" if isinstance(node, SequenceNode) else "a single value"
        return None, [Problem(rel, line, col, "", "not-a-mapping", f"a record is a mapping of fields, not {what}",
                              "start the file with a field, e.g. 'title: ...'")]
    builder = _Builder(rel, text)
    try:
        data = builder.build(node, ())
    except _TooLarge as exc:
        return None, [*builder.problems, exc.problem]
    builder.problems += character_problems(data, text, rel)
    return data, builder.problems


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") or line.strip() in ("---", "...")
               for line in text.splitlines())


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
    parser = Composer(text)
    depth = deepest = 0
    where = (0, 0)
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > deepest:
                    deepest, where = depth, position(text, event.start_mark)
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
    line, col = position(text, mark)
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
        self.depth = 0  # collections being built, aliases followed: bounded like nesting in the text
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
                node, path[:_SHOWN_PARTS], "too-large",
                f"the record expands to more than {MAX_NODES:,} values (anchors and aliases?)",
                "write the values out; aliases must not multiply a record"))

    def _child(self, node: Node, path: RecordPath) -> Any:
        # Scalars (most values) are read here without a call to build(): this
        # loop runs for every value of every record. They are tallied in bulk.
        if type(node) is ScalarNode:
            value: str = node.value
            if node.tag == PLAIN:
                special = PLAIN_SPECIAL.get(value, _NOT_SPECIAL)
                if special is not _NOT_SPECIAL:
                    return special
                first = value[0] if value else ""
                if not (first.isdigit() or first in "+-.") and value not in YAML11_BOOLS:
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
        if self.depth >= MAX_DEPTH:
            # Aliases nest values without nesting the text: a chain of them
            # must not take the builder deeper than the text check allows.
            raise _TooLarge(self._problem(node, path[:_SHOWN_PARTS], "too-deep",
                                          f"nesting is deeper than {MAX_DEPTH} levels (through aliases)",
                                          "records are shallow: write the values out instead of chaining aliases"))
        self.active.add(key)
        self.depth += 1
        try:
            if isinstance(node, SequenceNode):
                self._check_tag(node, path, _SEQ)
                return [self._child(child, (*path, i)) for i, child in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            self._check_tag(node, path, _MAP)
            return self._mapping(node, path)
        finally:
            self.active.discard(key)
            self.depth -= 1

    def _mapping(self, node: MappingNode, path: RecordPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, Node] = {}
        # One problem for all the complex keys of a mapping: a file of
        # hundreds (an attack, or a paste gone wrong) must not bury the rest.
        complex_keys = [k for k, _ in node.value if not isinstance(k, ScalarNode)]
        if complex_keys:
            more = f" ({len(complex_keys)} field names here are not)" if len(complex_keys) > 1 else ""
            self.problems.append(self._problem(complex_keys[0], path, "complex-key",
                                               f"a field name must be plain text{more}", "write 'name: value'"))
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                continue
            key = key_node.value
            if key == "<<" and key_node.tag == PLAIN:
                self.problems.append(self._problem(key_node, path, "merge-key", "merge keys (<<) are not supported",
                                                   "write the fields out: merged fields hide what a record holds"))
                continue
            if key in first:
                line, _ = mark(first[key], self.text)
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
        if node.tag != PLAIN:
            self._check_tag(node, path, _STR)
            return value
        return self._plain(node, value, path)

    def _plain(self, node: ScalarNode, value: str, path: RecordPath) -> Any:
        if value in NULL:
            return None
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        first = value[0]
        if first.isdigit() or first in "+-.":
            if len(value) > MAX_DIGITS and INT.match(value):
                raise _TooLarge(self._problem(
                    node, path, "invalid-value", f"a number of {len(value.lstrip('+-')):,} digits is beyond what a "
                    "record may hold", "numbers stay within ±9,007,199,254,740,991; quote it if it is a code, "
                    "not a quantity"))
            number = core_number(value)
            if number is not None:
                return number
            reading = yaml11_number(value)
            if reading is not None:
                self._yaml11(node, path, value, f"the number {reading}")
        elif value in YAML11_TRUE:
            self._yaml11(node, path, value, "true")
        elif value in YAML11_FALSE:
            self._yaml11(node, path, value, "false")
        return value

    def _yaml11(self, node: Node, path: RecordPath, value: str, reading: str) -> None:
        self.problems.append(self._problem(
            node, path, "yaml11-ambiguous",
            f"unquoted {value} is read here as the text \"{value}\", but YAML 1.1 tools read it as {reading}",
            f"quote it: \"{value}\"", Severity.WARNING))

    def _problem(self, node: Node, path: RecordPath, code: str, message: str, hint: str,
                 severity: Severity = Severity.ERROR) -> Problem:
        line, col = mark(node, self.text)
        return Problem(self.rel, line, col, format_path(path), code, message, hint, severity)

