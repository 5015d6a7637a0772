"""The YAML node tree of a record's text, and places in it.

libyaml (PyYAML's C parser) composes the node tree; every implicit plain
scalar is tagged ``PLAIN`` so that the loader reads it by YAML 1.2 rules, not
PyYAML's 1.1 resolver. Positions are not stored while loading (that would
cost time and memory on every run): when a problem needs a place, the file
is composed again and the path followed to its node.

Lines and columns are 1-based and counted as editors count them: libyaml
also breaks lines at U+0085, U+2028 and U+2029, but its character index
does not drift, so positions are computed from the index.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml._yaml import CParser
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from generator.problems import RecordPath

PLAIN = "!plain"


class Composer(CParser, BaseResolver):
    """libyaml composes; every implicit plain scalar is tagged for us to read."""

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        BaseResolver.__init__(self)

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:
            return PLAIN
        return str(BaseResolver.resolve(self, kind, value, implicit))  # type: ignore[no-untyped-call]


def compose(text: str) -> Node | None:
    loader = Composer(text)
    try:
        node: Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


def mark(node: Node, text: str) -> tuple[int, int]:
    return position(text, node.start_mark)


def position(text: str, where: Any) -> tuple[int, int]:
    """Line and column of a libyaml mark; (0, 0) without one."""
    if where is None:
        return 0, 0
    return index_position(text, min(int(where.index), len(text)))


def index_position(text: str, index: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - start + 1


def locate(text: str, path: RecordPath, key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the value at ``path`` in a record's text.

    With ``key``, the position of the field name instead of its value. A path
    that leads nowhere (a missing field) gives the deepest node that exists.
    """
    node = node_at(text, path, key)
    return (0, 0) if node is None else mark(node, text)


def node_at(text: str, path: RecordPath, key: bool = False) -> Node | None:
    try:
        node = compose(text)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    found: Node = node
    for i, part in enumerate(path):
        last = i == len(path) - 1
        child, key_node = _child(found, part)
        if child is None:
            return found
        found = key_node if (key and last and key_node is not None) else child
    return found


def _child(node: Node, part: str | int) -> tuple[Node | None, Node | None]:
    if isinstance(node, MappingNode) and isinstance(part, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == part:
                return value_node, key_node
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], None
    return None, None


# A double-quoted scalar's escapes (YAML 1.2, 5.7), to find where one wrote a character.
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_NAMED_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
                  "r": "\r", "e": "\x1b", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}


def char_position(text: str, path: RecordPath, key: bool, char: str, nth: int = 0) -> tuple[int, int]:
    """Where ``char`` is written in the scalar at ``path``: the character
    itself (or a longer text, such as a reference in prose), or the escape in
    a double-quoted string that makes it. With ``nth``, where it is written
    for the nth time (0-based), else the first."""
    node = node_at(text, path, key)
    if node is None:
        return 0, 0
    start, end = node.start_mark.index, node.end_mark.index
    raw = text.find(char, start, end)
    for _ in range(nth):
        after = text.find(char, raw + 1, end) if raw >= 0 else -1
        if after < 0:
            break
        raw = after
    if raw >= 0:
        return index_position(text, raw)
    for match in _ESCAPE.finditer(text, start, end):
        if _unescape(match[1]) == char:
            return index_position(text, match.start())
    return mark(node, text)


def _unescape(body: str) -> str:
    if body[0] in "xuU" and len(body) > 1:
        try:
            return chr(int(body[1:], 16))
        except ValueError:
            return ""
    return _NAMED_ESCAPES.get(body, body)
