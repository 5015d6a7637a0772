"""`briefing fmt`: record files rewritten in one canonical form.

ruamel.yaml reads and writes the files, in round-trip mode: PyYAML drops
comments on reading, and a formatter must keep them. The canonical form:

* fields in the model's order (``model.field_order``), nested mappings too
  (``model.nested_model``); fields the model does not know keep their order,
  after the known ones;
* block style; mappings indented by 2, lists not indented under their key;
  empty lists and mappings as ``[]`` and ``{}``;
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
with our own loader and must give the same data and the same comments, or
the file is left as it is and reported. Files the loader rejects are not
touched, nor are the few it accepts that fmt does not take on (anchors and
aliases, field names over 100 characters or on several lines).
"""

from __future__ import annotations

import difflib
import functools
import io
import logging
import math
import os
import re
import stat
import tempfile
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import CommentMark
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from generator.corpus import CorpusNotFound
from generator.discover import CORPUS_FOLDER, RECORD_SUFFIXES, RecordFile, Refused, discover
from generator.fields import field_order, nested_model
from generator.load import parse_bytes, parse_text, read_record
from generator.model import KIND_OF_FOLDER, KINDS
from generator.problems import Problem, RecordPath, format_path
from generator.scalars import needs_quotes

log = logging.getLogger(__name__)

# A line of text breaks at the first space past this column (PyYAML's rule),
# so lines stay within about 120 columns: how the sample corpus is wrapped.
WIDTH = 110
BUG_HINT = "the file is left as it is; please report this as a bug in `briefing fmt`"

# --- quoting -------------------------------------------------------------------

# Dates ("2023", "2023-09", "2023-09-20T13:00+04:00") are always double-quoted:
# unquoted, YAML 1.1 tools read a day as a timestamp and a year as a number.
# A slug that starts with a year ("2020-war") is not a date and stays plain.
_DATE = re.compile(r"^[0-9]{4}(?:-[0-9]{1,2}(?:-[0-9]{1,2}(?:[Tt ].*)?)?)?$", re.DOTALL)
_BLOCK_SCALARS = (LiteralScalarString, FoldedScalarString)
_COLLECTIONS = (CommentedMap, CommentedSeq)


def styled(value: str) -> str:
    """Text as it is written: a plain str lets the emitter choose (plain
    where YAML allows it); the ScalarString subclasses force quotes."""
    quoted: str = value
    if _DATE.match(value):
        quoted = DoubleQuotedScalarString(value)
    elif needs_quotes(value):
        # What ruamel's emitter picks for text that cannot be plain.
        quoted = DoubleQuotedScalarString(value) if "'" in value or "\n" in value else SingleQuotedScalarString(value)
    return quoted


def _styled_as(value: str, original: Any) -> str:
    """Like styled(), but text that was quoted and needs quotes anyway keeps
    its quotes, single or double: the author's choice stands (the sample
    corpus single-quotes text holding a ', `briefing new` double-quotes it)."""
    keep = isinstance(original, (SingleQuotedScalarString, DoubleQuotedScalarString)) and not _DATE.match(value)
    if keep and (needs_quotes(value) or _emitter_quotes(value)):
        same: str = type(original)(value)
        return same
    return styled(value)


@functools.lru_cache(maxsize=4096)
def _emitter_quotes(value: str) -> bool:
    """Whether ruamel quotes this text when left to choose (``#x``, ``a: b``)."""
    buffer = io.StringIO()
    _yaml().dump({"k": value}, buffer)
    return buffer.getvalue()[len("k: "):][:1] in ("'", '"')


# --- the emitter ---------------------------------------------------------------


class _Emitter(RoundTripEmitter):
    """ruamel's emitter, wrapping plain text as PyYAML does, which is how the
    sample corpus was written: a line breaks at the first space past the
    width. ruamel 0.19 breaks before a word that would pass it and leaves a
    space at the end of the line."""

    def write_plain(self, text: Any, split: Any = True) -> None:
        if self.root_context:
            if self.requested_indent is not None:
                self.write_line_break()
                if self.requested_indent != 0:
                    self.write_indent()
            else:
                self.open_ended = True
        if not text:
            return
        if not self.whitespace:
            self._write(" ")
        self.whitespace = False
        self.indention = False
        spaces = breaks = False
        start = end = 0
        while end <= len(text):
            ch = text[end] if end < len(text) else None
            if spaces:
                if ch != " ":
                    if start + 1 == end and self.column > self.best_width and split:
                        self.write_indent()
                        self.whitespace = False
                        self.indention = False
                    else:
                        self._write(text[start:end])
                    start = end
            elif breaks:
                if ch is None or ch not in "\n\x85\u2028\u2029":
                    if text[start] == "\n":
                        self.write_line_break()
                    for br in text[start:end]:
                        self.write_line_break() if br == "\n" else self.write_line_break(br)
                    self.write_indent()
                    self.whitespace = False
                    self.indention = False
                    start = end
            elif ch is None or ch in " \n\x85\u2028\u2029":
                self._write(text[start:end])
                start = end
            if ch is not None:
                spaces = ch == " "
                breaks = ch in "\n\x85\u2028\u2029"
            end += 1

    def write_double_quoted(self, text: Any, split: Any = True) -> None:
        """PyYAML's: ruamel 0.19 may break a line next to an escape without
        the backslash that keeps the break out of the text."""
        if self.root_context and self.requested_indent is not None:
            self.write_line_break()
            if self.requested_indent != 0:
                self.write_indent()
        self.write_indicator('"', True)
        start = end = 0
        while end <= len(text):
            ch = text[end] if end < len(text) else None
            if ch is None or ch in '"\\\x85\u2028\u2029\uFEFF' or not self._printable(ch):
                if start < end:
                    self._write(text[start:end])
                    start = end
                if ch is not None:
                    self._write(self._escape(ch))
                    start = end + 1
            if 0 < end < len(text) - 1 and (ch == " " or start >= end) \
                    and self.column + (end - start) > self.best_width and split:
                self._write(text[start:end] + "\\")
                start = max(start, end)
                self.write_indent()
                self.whitespace = False
                self.indention = False
                if text[start] == " ":
                    self._write("\\")
            end += 1
        self.write_indicator('"', False)

    def _printable(self, ch: str) -> bool:
        return "\x20" <= ch <= "\x7E" or bool(self.allow_unicode) and (
            "\xA0" <= ch <= "\uD7FF" or "\uE000" <= ch <= "\uFFFD" or "\U00010000" <= ch <= "\U0010FFFF")

    def _escape(self, ch: str) -> str:
        if ch in self.ESCAPE_REPLACEMENTS:
            return "\\" + str(self.ESCAPE_REPLACEMENTS[ch])
        if ch <= "\xFF":
            return f"\\x{ord(ch):02X}"
        if ch <= "\uFFFF":
            return f"\\u{ord(ch):04X}"
        return f"\\U{ord(ch):08X}"

    def _write(self, data: str) -> None:
        self.column += len(data)
        self.stream.write(data.encode(self.encoding) if self.encoding else data)


class _Verbatim(str):
    """A number or a boolean, written as the original wrote it: ruamel
    0.19 writes some floats back changed (7.178969731036557e+16 as
    7.178969731036556e+16)."""

    tag: str

    @classmethod
    def of(cls, text: str, value: bool | int | float) -> _Verbatim:
        out = cls(text)
        name = "bool" if isinstance(value, bool) else type(value).__name__
        out.tag = f"tag:yaml.org,2002:{name}"
        return out


class _Representer(RoundTripRepresenter):
    def represent_verbatim(self, data: _Verbatim) -> Any:
        return self.represent_scalar(data.tag, str(data))


_Representer.add_representer(_Verbatim, _Representer.represent_verbatim)


def _yaml() -> YAML:
    out = YAML(typ="rt")
    out.Emitter = _Emitter
    out.Representer = _Representer
    out.indent(mapping=2, sequence=2, offset=0)
    out.width = WIDTH
    out.allow_unicode = True
    out.preserve_quotes = True  # to know which text was quoted: see _styled_as
    return out


# --- results -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Formatted:
    """A record's canonical text, or why there is none."""

    text: str | None
    problems: list[Problem]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One file: its bytes as read and its canonical text (None when it
    cannot be formatted; ``problems`` say why)."""

    file: RecordFile
    before: bytes | None
    after: str | None
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        return self.after is not None and self.before is not None and self.after.encode("utf-8") != self.before


class _Refused(Exception):
    """The file cannot be formatted safely: reported, never written."""

    def __init__(self, message: str, hint: str = BUG_HINT, where: tuple[int, int] = (0, 0)) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where


# --- formatting one record ------------------------------------------------------


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


def _format(text: str, data: dict[str, Any], kind: str, rel: str) -> Formatted:
    try:
        out = _canonical_text(text, data, KINDS[kind])
        _verify(text, data, out, rel)
    except _Refused as exc:
        line, column = exc.where
        log.debug("%s: not formatted: %s", rel, exc.message)
        return Formatted(None, [Problem(rel, line, column, "", "unformattable", exc.message, exc.hint)])
    return Formatted(out, [])


def _canonical_text(text: str, data: dict[str, Any], cls: type[BaseModel]) -> str:
    _refuse_anchors(text)
    node = _compose(text)
    try:
        tree = _yaml().load(text)
    except Exception as exc:  # ruamel raises more than YAMLError on odd input; one file must not stop a run
        raise _Refused(f"ruamel.yaml cannot read the file: {_first_line(exc)}") from None
    source = _Source(_line_starts(text))
    source.index(node, data, tree)
    notes = _notes(_comment_lines(text, _scalar_spans(text, node)), source)
    _strip_comments(tree)
    _canonical(tree, data, cls, source.verbatim)
    _settle(tree, notes)
    if tree:  # lines above the field that now comes first are the top of the file
        notes.header += notes.before.pop((id(tree), next(iter(tree))), [])
    _attach(tree, 0, notes)
    # The first and last lines are written here, not by ruamel: it drops a
    # document's closing comments when the last value is not a plain scalar.
    return _text_block(_header(notes.header)) + _dump(tree) + _text_block(_footer(notes.footer))


def _dump(tree: CommentedMap) -> str:
    buffer = io.StringIO()
    try:
        _yaml().dump(tree, buffer)
    except Exception as exc:  # as when reading: report, do not crash
        raise _Refused(f"ruamel.yaml cannot write the record: {_first_line(exc)}") from None
    return buffer.getvalue()


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _refuse_anchors(text: str) -> None:
    """Anchors and aliases are refused: reordering fields may put an alias
    before its anchor, and expanding them would rewrite the record."""
    parser = yaml.CSafeLoader(text)
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                where = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
                raise _Refused("anchors and aliases (&name, *name) are not formatted",
                               "write the values out, then run `briefing fmt` again", where)
    finally:
        parser.dispose()


def _compose(text: str) -> yaml.Node:
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:  # our loader accepted the file, so this does not happen
        raise _Refused("the file holds no YAML node")
    return node


# --- the canonical tree ------------------------------------------------------------


def _canonical(tree: Any, data: Any, cls: type[BaseModel] | None, verbatim: dict[SpotId, _Verbatim]) -> Any:
    """The tree with its fields in canonical order and its values styled.

    ``data`` is what our loader read, in the same order as ``tree``: it, not
    ruamel, decides what is text (ruamel reads ``1_000`` as a number)."""
    if isinstance(tree, CommentedMap):
        values = dict(zip(data, tree.values(), strict=True))
        originals = dict(zip(data, tree, strict=True))  # the keys as ruamel read them, quotes and all
        for key in list(tree):
            del tree[key]
        for key in _ordered(list(data), cls):
            inner = nested_model(cls, key) if cls is not None else None
            value = verbatim.get((id(tree), key)) or _canonical(values[key], data[key], inner, verbatim)
            tree[_styled_as(key, originals[key])] = value
        _set_style(tree)
        return tree
    if isinstance(tree, CommentedSeq):
        for i, item in enumerate(tree):
            tree[i] = verbatim.get((id(tree), i)) or _canonical(item, data[i], cls, verbatim)
        _set_style(tree)
        return tree
    if isinstance(data, str) and not isinstance(tree, _BLOCK_SCALARS):
        return _styled_as(data, tree)
    return tree


def _ordered(keys: list[str], cls: type[BaseModel] | None) -> list[str]:
    if cls is None:
        return keys
    rank = {key: i for i, key in enumerate(field_order(cls))}
    # sorted() is stable: unknown fields keep their order, after the known ones.
    return sorted(keys, key=lambda key: rank.get(key, len(rank)))


def _set_style(node: CommentedMap | CommentedSeq) -> None:
    # An empty collection has no block form.
    if node:
        node.fa.set_block_style()
    else:
        node.fa.set_flow_style()


# --- where the comments are ------------------------------------------------------

_BLANKS = " \t\r"
_BREAKS = "\n\r\x85\u2028\u2029"
_MAX_KEY = 100  # ruamel writes a key of 128 characters or more as a complex key
Key = str | int
SpotId = tuple[int, Key]


@dataclass(slots=True, eq=False)
class _Block:
    """A mapping or a list of the original text, in the ruamel tree: the
    column of its keys (or dashes), and the block it sits in."""

    node: CommentedMap | CommentedSeq
    column: int
    parent: _Block | None

    def within(self, other: _Block) -> bool:
        block: _Block | None = self
        while block is not None and block is not other:
            block = block.parent
        return block is other

    def owner(self, column: int) -> _Block:
        """The block a comment line at ``column`` closes: the innermost around
        this one that is indented no deeper than the comment, or rather the
        outermost of those at that same column (a list sits at its key's column)."""
        block = self
        while block.parent is not None and block.column > column:
            block = block.parent
        while block.parent is not None and block.parent.column == block.column:
            block = block.parent
        return block


@dataclass(frozen=True, slots=True, eq=False)
class _Spot:
    """An entry of a mapping (by field name) or an item of a list (by index):
    what a comment is attached to."""

    block: _Block
    key: Key
    line: int  # where the key, or the item, starts
    depth: int

    @property
    def id(self) -> SpotId:
        return id(self.block.node), self.key


@dataclass(slots=True)
class _Source:
    """Where each entry and item is in the original text."""

    line_starts: list[int]
    spots: list[_Spot] = field(default_factory=list)  # in the order of the text
    # (offset just past it, spot) of each scalar and flow collection
    ends: list[tuple[int, _Spot]] = field(default_factory=list)
    # numbers and booleans as the text wrote them, by spot
    verbatim: dict[SpotId, _Verbatim] = field(default_factory=dict)

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def column_of(self, offset: int) -> int:
        return offset - self.line_starts[self.line_of(offset)]

    def index(self, node: yaml.Node, data: Any, tree: Any, parent: _Block | None = None, depth: int = 0) -> None:
        """Walk the composed nodes, our data and ruamel's tree together."""
        if isinstance(node, yaml.MappingNode):
            self._check(isinstance(tree, CommentedMap) and isinstance(data, dict), node, data, tree)
            block = _Block(tree, self._column(node, [k for k, _ in node.value]), parent)
            for (key_node, value_node), key, value in zip(node.value, data, tree.values(), strict=True):
                if len(key) > _MAX_KEY or any(c in key for c in _BREAKS):
                    # Written as a complex key (`? name`): not worth formatting.
                    raise _Refused("a field name that is long or spans lines is not formatted",
                                   "field names are short words", self._where(key_node))
                spot = self._spot(block, key, key_node, depth)
                self.ends.append((key_node.end_mark.index, spot))
                self._value(value_node, data[key], spot)
                self.index(value_node, data[key], value, block, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            self._check(isinstance(tree, CommentedSeq) and isinstance(data, list), node, data, tree)
            block = _Block(tree, self._column(node, node.value), parent)
            for i, (item_node, item) in enumerate(zip(node.value, tree, strict=True)):
                spot = self._spot(block, i, item_node, depth)
                self._value(item_node, data[i], spot)
                self.index(item_node, data[i], item, block, depth + 1)

    def _column(self, node: yaml.Node, children: list[yaml.Node]) -> int:
        # A block mapping or list starts at its first key or dash; a flow
        # one at its bracket, so there the first child tells.
        first = children[0] if children and getattr(node, "flow_style", False) else node
        return self.column_of(first.start_mark.index)

    def _check(self, same_kind: bool, node: yaml.Node, data: Any, tree: Any) -> None:
        if not same_kind or not len(node.value) == len(data) == len(tree):
            raise _Refused("ruamel.yaml reads the file differently from our loader", where=self._where(node))

    def _where(self, node: yaml.Node) -> tuple[int, int]:
        offset = node.start_mark.index
        return self.line_of(offset) + 1, self.column_of(offset) + 1

    def _spot(self, block: _Block, key: Key, node: yaml.Node, depth: int) -> _Spot:
        spot = _Spot(block, key, self.line_of(node.start_mark.index), depth)
        self.spots.append(spot)
        return spot

    def _value(self, node: yaml.Node, data: Any, spot: _Spot) -> None:
        # Block collections and block scalars end where the next token
        # starts, maybe lines later: no end-of-line comment belongs to them.
        if getattr(node, "flow_style", False) or (isinstance(node, yaml.ScalarNode) and node.style not in ("|", ">")):
            self.ends.append((node.end_mark.index, spot))
        if isinstance(data, (bool, int, float)):
            self.verbatim[spot.id] = _Verbatim.of(node.value, data)


@dataclass(frozen=True, slots=True)
class _Line:
    """A comment of the original text, or a blank line (text "")."""

    line: int
    offset: int
    column: int
    text: str  # from '#' to the end of the line, trailing blanks removed
    eol: bool  # after YAML content on the same line


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    return starts


def _scalar_spans(text: str, node: yaml.Node) -> list[tuple[int, int]]:
    """(start, end) offsets of every scalar, keys included: a '#' inside is text."""
    spans: list[tuple[int, int]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            start = current.start_mark.index
            if current.style in ("|", ">"):
                # A block scalar starts on the line after its | or >, which may carry a comment.
                start = text.find("\n", start) + 1 or current.end_mark.index
            spans.append((start, current.end_mark.index))
        elif isinstance(current, yaml.MappingNode):
            stack += [n for pair in current.value for n in pair]
        elif isinstance(current, yaml.SequenceNode):
            stack += current.value
    return sorted(spans)


def _comment_lines(text: str, spans: list[tuple[int, int]]) -> list[_Line]:
    """Every comment and blank line of a text, given where its scalars are."""
    span_starts = [start for start, _ in spans]

    def inside(offset: int) -> bool:
        i = bisect_right(span_starts, offset) - 1
        return i >= 0 and offset < spans[i][1]

    out: list[_Line] = []
    offset = 0
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the end of the last line, not a blank line
    for number, line in enumerate(lines):
        if not line.strip(_BLANKS):
            if not inside(offset):
                out.append(_Line(number, offset, 0, "", eol=False))
        else:
            column = _comment_column(line, offset, inside)
            if column is not None:
                out.append(_Line(number, offset + column, column, line[column:].rstrip(_BLANKS),
                                 eol=bool(line[:column].strip(_BLANKS))))
        offset += len(line) + 1
    return out


def _comment_column(line: str, offset: int, inside: Any) -> int | None:
    # A comment starts at a '#' after a blank (or at the start of the line)
    # that is not inside a scalar.
    for match in re.finditer("#", line):
        column = match.start()
        if (column == 0 or line[column - 1] in " \t") and not inside(offset + column):
            return column
    return None


def comment_texts(text: str) -> list[str]:
    """The comments of a YAML text, in order, each from '#' to the end of its line."""
    return [c.text for c in _comment_lines(text, _scalar_spans(text, _compose(text))) if c.text]


@dataclass(slots=True)
class _Notes:
    """A file's comments, by where they go in the canonical text."""

    header: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    before: dict[SpotId, list[str]] = field(default_factory=dict)  # lines above an entry or item
    after: dict[SpotId, str] = field(default_factory=dict)  # at the end of its line
    closing: dict[int, list[str]] = field(default_factory=dict)  # lines at the end of a block, by id(node)


def _notes(lines: list[_Line], source: _Source) -> _Notes:
    """Where each comment goes.

    An end-of-line comment stays after what ends last before it on its line.
    A comment line goes with the entry or item after it, unless it is
    indented deeper than that and closes a block that ends before it (a
    commented-out field at the end of a nested mapping): then it stays at
    the end of that block. Blank lines go with the comment after them."""
    notes = _Notes()
    ordered = sorted(source.spots, key=lambda s: (s.line, s.depth, s.block.column))
    ordered_lines = [s.line for s in ordered]
    spot_lines = [s.line for s in source.spots]
    ends = sorted(source.ends, key=lambda e: e[0])
    end_offsets = [e[0] for e in ends]
    for i, c in enumerate(lines):
        if c.eol:
            spot = _ending_before(c, ends, end_offsets, source)
            if spot is not None and spot.id not in notes.after:
                notes.after[spot.id] = c.text
                continue
        column = c.column if c.text else _next_comment_column(lines, i)
        # An end-of-line comment with nothing before it to follow (`- |  # note`)
        # goes above the entry or item on its line.
        n = bisect_left(ordered_lines, c.line if c.eol else c.line + 1)
        following = ordered[n] if n < len(ordered) else None
        p = bisect_left(spot_lines, c.line) - 1
        preceding = source.spots[p] if p >= 0 else None
        _place(notes, c.text, preceding, following, None if c.eol else column)
    return notes


def _next_comment_column(lines: list[_Line], i: int) -> int:
    """A blank line goes where the comment right after it goes (column 0:
    with the entry that follows)."""
    expected = lines[i].line + 1
    for later in lines[i + 1:]:
        if later.line != expected or later.eol:
            break
        if later.text:
            return later.column
        expected += 1
    return 0


def _place(notes: _Notes, text: str, preceding: _Spot | None, following: _Spot | None, column: int | None) -> None:
    if preceding is None:
        notes.header.append(text)  # stays on top, whichever field comes first
        return
    block = preceding.block.owner(column) if column is not None else None
    if following is not None and (block is None or following.block.within(block)):
        notes.before.setdefault(following.id, []).append(text)
    elif block is None or block.parent is None:
        notes.footer.append(text)
    else:
        notes.closing.setdefault(id(block.node), []).append(text)


def _ending_before(c: _Line, ends: list[tuple[int, _Spot]], end_offsets: list[int], source: _Source) -> _Spot | None:
    i = bisect_right(end_offsets, c.offset) - 1
    if i >= 0 and source.line_of(end_offsets[i]) == c.line:
        return ends[i][1]
    return None


# --- putting the comments back ------------------------------------------------------


def _strip_comments(node: Any) -> None:
    """Forget where ruamel put the comments: they are attached again by
    _attach, to the entries they describe."""
    if isinstance(node, _COLLECTIONS):
        node.ca.comment = None
        node.ca.items.clear()
        node.ca.end = []
        for child in node.values() if isinstance(node, CommentedMap) else node:
            _strip_comments(child)
    elif isinstance(node, _BLOCK_SCALARS):
        # The comment after a | or > is also kept on the string itself.
        setattr(node, "comment", None)  # noqa: B010 - a slot the stubs do not declare


def _header(lines: list[str]) -> list[str]:
    out = _tidy(lines)
    while out and not out[0]:
        out.pop(0)
    return out


def _footer(lines: list[str]) -> list[str]:
    out = _tidy(lines)
    while out and not out[-1]:
        out.pop()
    return out


def _text_block(lines: list[str], column: int = 0) -> str:
    return "".join(f"{' ' * column}{text}\n" if text else "\n" for text in lines)


def _settle(node: Any, notes: _Notes) -> None:
    """An end-of-line comment that ruamel cannot write where it was (after
    a list item that is a block, say) becomes a line above its entry or item,
    before _attach moves the lines above a list item's first entry."""
    if not isinstance(node, _COLLECTIONS):
        return
    entries = node.items() if isinstance(node, CommentedMap) else enumerate(node)
    for key, value in entries:
        spot = (id(node), key)
        if spot in notes.after and not _eol_fits(node, value):
            notes.before.setdefault(spot, []).append(notes.after.pop(spot))
        _settle(value, notes)


def _eol_fits(node: CommentedMap | CommentedSeq, value: Any) -> bool:
    if isinstance(node, CommentedMap):
        return not _opens_with_empty_map(value)  # ruamel 0.19 writes the next item on the line of the {}
    return not isinstance(value, _BLOCK_SCALARS) and not (isinstance(value, _COLLECTIONS) and value)


def _attach(node: Any, column: int, notes: _Notes) -> None:
    """Put the comments on the canonical tree, where ruamel writes them."""
    if isinstance(node, CommentedMap):
        _attach_map(node, column, notes)
    elif isinstance(node, CommentedSeq):
        _attach_seq(node, column, notes)
    else:
        return
    closing = notes.closing.pop(id(node), [])
    if closing:
        _attach_closing(node, _tidy(closing), column)


def _attach_map(node: CommentedMap, column: int, notes: _Notes) -> None:
    for key, value in node.items():
        spot = (id(node), key)
        before = notes.before.pop(spot, [])
        after = notes.after.pop(spot, None)
        if after is not None:
            _eol_on_entry(node, key, value, after)
        if before:
            _slot(node, key)[1] = _line_tokens(_tidy(before), column)
        # Lists sit at their key's column; mappings 2 further in.
        _attach(value, column + 2 if isinstance(value, CommentedMap) else column, notes)


def _attach_seq(node: CommentedSeq, column: int, notes: _Notes) -> None:
    for i, item in enumerate(node):
        before = notes.before.pop((id(node), i), [])
        before += _leading(item, notes)
        after = notes.after.pop((id(node), i), None)
        if after is not None:
            _eol_on_item(node, i, item, after)
        if before:
            _slot(node, i)[1] = _line_tokens(_tidy(before), column)
        _attach(item, column + 2, notes)


def _leading(item: Any, notes: _Notes) -> list[str]:
    """Comments before the first entry (or item) of a list item go above its
    dash: the first entry is written on the dash's line."""
    if not isinstance(item, _COLLECTIONS) or not item:
        return []
    first: Key = next(iter(item)) if isinstance(item, CommentedMap) else 0
    lines = notes.before.pop((id(item), first), [])
    if isinstance(item, CommentedSeq):
        lines += _leading(item[0], notes)
    return lines


def _attach_closing(node: CommentedMap | CommentedSeq, lines: list[str], column: int) -> None:
    """Lines at the end of a block are written after its last value, as
    ruamel keeps them when it reads a file. If that value is a block scalar
    or an empty collection, they go above the block's last entry instead."""
    last: Key = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
    value = node[last]
    if isinstance(value, _COLLECTIONS) and value:
        _attach_closing(value, lines, column)  # after the last value inside
        return
    if isinstance(value, (*_BLOCK_SCALARS, *_COLLECTIONS)):
        slots = _slot(node, last)
        slots[1] = (slots[1] or []) + _line_tokens(lines, column)
        return
    position = 2 if isinstance(node, CommentedMap) else 0
    slots = _slot(node, last)
    eol = slots[position].value if slots[position] is not None else "\n"
    slots[position] = CommentToken(eol + _text_block(lines, column), CommentMark(0))


def _eol_on_entry(node: CommentedMap, key: str, value: Any, text: str) -> None:
    if isinstance(value, _BLOCK_SCALARS):
        _slot(node, key)[3] = [f"  {text}"]  # after the | or >
        return
    token = _eol_token(text)
    _slot(node, key)[2] = token
    if isinstance(value, _COLLECTIONS) and not value:
        value.ca.comment = [token, None]  # after the [] or {}


def _eol_on_item(node: CommentedSeq, index: int, value: Any, text: str) -> None:
    if isinstance(value, _COLLECTIONS):
        value.ca.comment = [_eol_token(text), None]  # an empty one: after the [] or {}
    else:
        _slot(node, index)[0] = _eol_token(text)


def _opens_with_empty_map(value: Any) -> bool:
    while isinstance(value, CommentedSeq) and value:
        value = value[0]
        if isinstance(value, CommentedMap) and not value:
            return True
    return False


def _slot(node: CommentedMap | CommentedSeq, key: Key) -> list[Any]:
    slots: list[Any] = node.ca.items.setdefault(key, [None, None, None, None])
    return slots


def _eol_token(text: str) -> CommentToken:
    # The emitter puts one space before the token: two before the '#'.
    return CommentToken(f" {text}\n", CommentMark(0))


def _line_tokens(lines: list[str], column: int) -> list[CommentToken]:
    return [CommentToken(f"{text}\n", CommentMark(column)) if text else CommentToken("\n", CommentMark(0))
            for text in lines]


def _tidy(lines: list[str]) -> list[str]:
    """Runs of blank lines become one."""
    out: list[str] = []
    for text in lines:
        if text or not out or out[-1]:
            out.append(text)
    return out


# --- checking the result ------------------------------------------------------------


def _verify(before: str, data: dict[str, Any], after: str, rel: str) -> None:
    """The canonical text must say exactly what the original said."""
    again, problems = parse_text(after, rel)
    if again is None or any(p.is_error for p in problems):
        raise _Refused("the formatted text would not load: " + "; ".join(p.message for p in problems[:1]))
    where = _difference(data, again, ())
    if where is not None:
        raise _Refused(f"formatting would change the value of {format_path(where) or 'the record'}")
    lost = Counter(comment_texts(before))
    lost.subtract(Counter(comment_texts(after)))
    changed = sorted(text for text, n in lost.items() if n)
    if changed:
        raise _Refused(f"formatting would lose or repeat the comment {changed[0]!r}")


def _difference(a: Any, b: Any, path: RecordPath) -> RecordPath | None:
    """Where two loaded values first differ, type included (1 is not 1.0 or True)."""
    if type(a) is not type(b):
        return path
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return path
        return next((d for key in a if (d := _difference(a[key], b[key], (*path, key))) is not None), None)
    if isinstance(a, list):
        if len(a) != len(b):
            return path
        return next((d for i, (x, y) in enumerate(zip(a, b, strict=True))
                     if (d := _difference(x, y, (*path, i))) is not None), None)
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return None
    return None if a == b else path


# --- files ----------------------------------------------------------------------


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


def _record_file(root: Path, path: Path) -> RecordFile:
    kind = KIND_OF_FOLDER.get(path.parent.name)
    if kind is None or path.suffix not in RECORD_SUFFIXES:
        raise ValueError(f"{path} is not a record file: records are briefings/<kind>s/<id>.yaml")
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    return RecordFile(path, rel, kind, path.stem)


def format_files(files: Sequence[RecordFile]) -> list[Outcome]:
    return [format_file(file) for file in files]


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
    if outcome.after is None or outcome.before is None:
        return ""
    before = outcome.before.decode("utf-8-sig").splitlines(keepends=True)
    after = outcome.after.splitlines(keepends=True)
    rel = outcome.file.rel
    return "".join(difflib.unified_diff(before, after, f"a/{rel}", f"b/{rel}"))
