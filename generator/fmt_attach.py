"""The comments put back on the canonical tree, where ruamel writes them:
each comment line above the entry or item it describes, end-of-line
comments after their value, closing lines at the end of their block; the
lines of the top and bottom of the file are written around the tree.
Runs of blank lines become one.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from generator.fmt_comments import Key, Notes
from generator.fmt_emitter import BLOCK_SCALARS, COLLECTIONS


def strip_comments(node: Any) -> None:
    """Forget where ruamel put the comments: they are attached again by
    attach(), to the entries they describe."""
    if isinstance(node, COLLECTIONS):
        node.ca.comment = None
        node.ca.items.clear()
        node.ca.end = []
        for child in node.values() if isinstance(node, CommentedMap) else node:
            strip_comments(child)
    elif isinstance(node, BLOCK_SCALARS):
        # The comment after a | or > is also kept on the string itself.
        setattr(node, "comment", None)  # noqa: B010 - a slot the stubs do not declare


def header(lines: list[str]) -> list[str]:
    out = _tidy(lines)
    while out and not out[0]:
        out.pop(0)
    return out


def footer(lines: list[str]) -> list[str]:
    out = _tidy(lines)
    while out and not out[-1]:
        out.pop()
    return out


def text_block(lines: list[str], column: int = 0) -> str:
    return "".join(f"{' ' * column}{text}\n" if text else "\n" for text in lines)


def settle(node: Any, notes: Notes) -> None:
    """An end-of-line comment that ruamel cannot write where it was (after
    a list item that is a block, say) becomes a line above its entry or item,
    before attach() moves the lines above a list item's first entry."""
    if not isinstance(node, COLLECTIONS):
        return
    entries = node.items() if isinstance(node, CommentedMap) else enumerate(node)
    for key, value in entries:
        spot = (id(node), key)
        if spot in notes.after and not _eol_fits(node, value):
            notes.before.setdefault(spot, []).append(notes.after.pop(spot))
        settle(value, notes)


def _eol_fits(node: CommentedMap | CommentedSeq, value: Any) -> bool:
    if isinstance(node, CommentedMap):
        return not _opens_with_empty_map(value)  # ruamel 0.19 writes the next item on the line of the {}
    return not isinstance(value, BLOCK_SCALARS) and not (isinstance(value, COLLECTIONS) and value)


def attach(node: Any, column: int, notes: Notes) -> None:
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


def _attach_map(node: CommentedMap, column: int, notes: Notes) -> None:
    for key, value in node.items():
        spot = (id(node), key)
        before = notes.before.pop(spot, [])
        after = notes.after.pop(spot, None)
        if after is not None:
            _eol_on_entry(node, key, value, after)
        if before:
            _slot(node, key)[1] = _line_tokens(_tidy(before), column)
        # Lists sit at their key's column; mappings 2 further in.
        attach(value, column + 2 if isinstance(value, CommentedMap) else column, notes)


def _attach_seq(node: CommentedSeq, column: int, notes: Notes) -> None:
    for i, item in enumerate(node):
        before = notes.before.pop((id(node), i), [])
        before += _leading(item, notes)
        after = notes.after.pop((id(node), i), None)
        if after is not None:
            _eol_on_item(node, i, item, after)
        if before:
            _slot(node, i)[1] = _line_tokens(_tidy(before), column)
        if before or after is not None:
            _block(node)
        attach(item, column + 2, notes)


def _block(node: CommentedMap | CommentedSeq) -> None:
    """A collection written on one line (a list of numbers: fmt_canonical)
    goes to block style when a comment is to sit inside it: ruamel writes
    no comment between the items of a flow collection, it drops it."""
    if node and node.fa.flow_style():  # an empty one has no block form
        node.fa.set_block_style()


def _leading(item: Any, notes: Notes) -> list[str]:
    """Comments before the first entry (or item) of a list item go above its
    dash: the first entry is written on the dash's line."""
    if not isinstance(item, COLLECTIONS) or not item:
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
    _block(node)
    value = node[last]
    if isinstance(value, COLLECTIONS) and value:
        # After the last value inside, at that block's column: a list item's
        # block, or a mapping under a key, is 2 further in (as in attach()).
        inner = column + 2 if isinstance(node, CommentedSeq) or isinstance(value, CommentedMap) else column
        _attach_closing(value, lines, inner)
        return
    if isinstance(value, (*BLOCK_SCALARS, *COLLECTIONS)):
        slots = _slot(node, last)
        slots[1] = (slots[1] or []) + _line_tokens(lines, column)
        return
    position = 2 if isinstance(node, CommentedMap) else 0
    slots = _slot(node, last)
    eol = slots[position].value if slots[position] is not None else "\n"
    slots[position] = CommentToken(eol + text_block(lines, column), CommentMark(0))


def _eol_on_entry(node: CommentedMap, key: str, value: Any, text: str) -> None:
    if isinstance(value, BLOCK_SCALARS):
        _slot(node, key)[3] = [f"  {text}"]  # after the | or >
        return
    token = _eol_token(text)
    _slot(node, key)[2] = token
    if isinstance(value, COLLECTIONS) and not value:
        value.ca.comment = [token, None]  # after the [] or {}


def _eol_on_item(node: CommentedSeq, index: int, value: Any, text: str) -> None:
    if isinstance(value, COLLECTIONS):
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
