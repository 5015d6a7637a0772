"""Where a record's comments are, and where each goes in the canonical text.

The original text is walked three ways at once: PyYAML's composed nodes
(where each entry, item and scalar is), our loader's data and ruamel's
tree (what the canonical tree is made of). Each comment line and blank
line then gets a place: above an entry or item, after a value on its line,
at the end of a nested block, or at the top or bottom of the file.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.fmt_emitter import Verbatim
from generator.fmt_results import Unformattable

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
class Source:
    """Where each entry and item is in the original text."""

    line_starts: list[int]
    spots: list[_Spot] = field(default_factory=list)  # in the order of the text
    # (offset just past it, spot) of each scalar and flow collection
    ends: list[tuple[int, _Spot]] = field(default_factory=list)
    # numbers and booleans as the text wrote them, by spot
    verbatim: dict[SpotId, Verbatim] = field(default_factory=dict)

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
                    raise Unformattable("a field name that is long or spans lines is not formatted",
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
            raise Unformattable("ruamel.yaml reads the file differently from our loader", where=self._where(node))

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
            self.verbatim[spot.id] = Verbatim.of(node.value, data)


@dataclass(frozen=True, slots=True)
class CommentLine:
    """A comment of the original text, or a blank line (text "")."""

    line: int
    offset: int
    column: int
    text: str  # from '#' to the end of the line, trailing blanks removed
    eol: bool  # after YAML content on the same line


def line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    return starts


def scalar_spans(text: str, node: yaml.Node) -> list[tuple[int, int]]:
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


def comment_lines(text: str, spans: list[tuple[int, int]]) -> list[CommentLine]:
    """Every comment and blank line of a text, given where its scalars are."""
    span_starts = [start for start, _ in spans]

    def inside(offset: int) -> bool:
        i = bisect_right(span_starts, offset) - 1
        return i >= 0 and offset < spans[i][1]

    out: list[CommentLine] = []
    offset = 0
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the end of the last line, not a blank line
    for number, line in enumerate(lines):
        if not line.strip(_BLANKS):
            if not inside(offset):
                out.append(CommentLine(number, offset, 0, "", eol=False))
        else:
            column = _comment_column(line, offset, inside)
            if column is not None:
                out.append(CommentLine(number, offset + column, column, line[column:].rstrip(_BLANKS),
                                 eol=bool(line[:column].strip(_BLANKS))))
        offset += len(line) + 1
    return out


def _comment_column(line: str, offset: int, inside: Callable[[int], bool]) -> int | None:
    # A comment starts at a '#' after a blank (or at the start of the line)
    # that is not inside a scalar.
    for match in re.finditer("#", line):
        column = match.start()
        if (column == 0 or line[column - 1] in " \t") and not inside(offset + column):
            return column
    return None


def comment_texts(text: str) -> list[str]:
    """The comments of a YAML text, in order, each from '#' to the end of its line."""
    return [c.text for c in comment_lines(text, scalar_spans(text, compose(text))) if c.text]


@dataclass(slots=True)
class Notes:
    """A file's comments, by where they go in the canonical text."""

    header: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    before: dict[SpotId, list[str]] = field(default_factory=dict)  # lines above an entry or item
    after: dict[SpotId, str] = field(default_factory=dict)  # at the end of its line
    closing: dict[int, list[str]] = field(default_factory=dict)  # lines at the end of a block, by id(node)


def place_comments(lines: list[CommentLine], source: Source) -> Notes:
    """Where each comment goes.

    An end-of-line comment stays after what ends last before it on its line.
    A comment line goes with the entry or item after it, unless it is
    indented deeper than that and closes a block that ends before it (a
    commented-out field at the end of a nested mapping): then it stays at
    the end of that block. Blank lines go with the comment after them."""
    notes = Notes()
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


def _next_comment_column(lines: list[CommentLine], i: int) -> int:
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


def _place(notes: Notes, text: str, preceding: _Spot | None, following: _Spot | None, column: int | None) -> None:
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


def _ending_before(c: CommentLine, ends: list[tuple[int, _Spot]], end_offsets: list[int],
                   source: Source) -> _Spot | None:
    i = bisect_right(end_offsets, c.offset) - 1
    if i >= 0 and source.line_of(end_offsets[i]) == c.line:
        return ends[i][1]
    return None


def compose(text: str) -> yaml.Node:
    """The text's node tree, as PyYAML composes it: where everything is."""
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:  # our loader accepted the file, so this does not happen
        raise Unformattable("the file holds no YAML node")
    return node
