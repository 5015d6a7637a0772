"""A record's text in canonical form, from its text and the data our loader
read from it: ruamel reads the text round-trip, the tree is put in the
model's field order with its text styled (``fmt_quoting``), the comments
are found (``fmt_comments``) and put back (``fmt_attach``), and the tree is
written (``fmt_emitter``). Pure: no file is read or written.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.fields import field_order, nested_model
from generator.fmt_attach import attach, footer, header, settle, strip_comments, text_block
from generator.fmt_comments import Source, SpotId, comment_lines, compose, line_starts, place_comments, scalar_spans
from generator.fmt_emitter import BLOCK_SCALARS, Verbatim, read_tree, write_tree
from generator.fmt_quoting import styled_as
from generator.fmt_results import Unformattable


def canonical_text(text: str, data: dict[str, Any], cls: type[BaseModel]) -> str:
    """The canonical text of a record of class ``cls``; Unformattable if
    there is none that can be written safely."""
    _refuse_anchors(text)
    node = compose(text)
    tree = read_tree(text)
    source = Source(line_starts(text))
    source.index(node, data, tree)
    notes = place_comments(comment_lines(text, scalar_spans(text, node)), source)
    strip_comments(tree)
    _canonical(tree, data, cls, source.verbatim)
    settle(tree, notes)
    if tree:  # lines above the field that now comes first are the top of the file
        notes.header += notes.before.pop((id(tree), next(iter(tree))), [])
    attach(tree, 0, notes)
    # The first and last lines are written here, not by ruamel: it drops a
    # document's closing comments when the last value is not a plain scalar.
    return text_block(header(notes.header)) + write_tree(tree) + text_block(footer(notes.footer))


def _refuse_anchors(text: str) -> None:
    """Anchors and aliases are refused: reordering fields may put an alias
    before its anchor, and expanding them would rewrite the record."""
    parser = yaml.CSafeLoader(text)
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                where = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
                raise Unformattable("anchors and aliases (&name, *name) are not formatted",
                                    "write the values out, then run `briefing fmt` again", where)
    finally:
        parser.dispose()


# --- the canonical tree ------------------------------------------------------------


def _canonical(tree: Any, data: Any, cls: type[BaseModel] | None, verbatim: dict[SpotId, Verbatim]) -> Any:
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
            tree[styled_as(key, originals[key])] = value
        _set_style(tree)
        return tree
    if isinstance(tree, CommentedSeq):
        for i, item in enumerate(tree):
            tree[i] = verbatim.get((id(tree), i)) or _canonical(item, data[i], cls, verbatim)
        _set_style(tree)
        return tree
    if isinstance(data, str) and not isinstance(tree, BLOCK_SCALARS):
        return styled_as(data, tree)
    return tree


def _ordered(keys: list[str], cls: type[BaseModel] | None) -> list[str]:
    if cls is None:
        return keys
    rank = {key: i for i, key in enumerate(field_order(cls))}
    # sorted() is stable: unknown fields keep their order, after the known ones.
    return sorted(keys, key=lambda key: rank.get(key, len(rank)))


def _set_style(node: CommentedMap | CommentedSeq) -> None:
    # An empty collection has no block form; a list of numbers (a position,
    # [longitude, latitude], in a place's shape) reads best on one line.
    if node and not _numbers(node):
        node.fa.set_block_style()
    else:
        node.fa.set_flow_style()


def _numbers(node: CommentedMap | CommentedSeq) -> bool:
    # Numbers are Verbatim here (written as the original wrote them).
    return isinstance(node, CommentedSeq) and all(
        isinstance(item, Verbatim) and item.tag.endswith((":int", ":float")) for item in node)
