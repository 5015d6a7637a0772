"""ruamel.yaml set up to write a record in canonical form: block style,
mappings indented by 2, lists not indented under their key, and plain and
double-quoted text wrapped as PyYAML wraps it (how the sample corpus was
written). Numbers and booleans are written as the original wrote them.
Reading and writing a tree here turn ruamel's errors into Unformattable.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from generator.fmt_results import Unformattable

# A line of text breaks at the first space past this column (PyYAML's rule),
# so lines stay within about 120 columns: how the sample corpus is wrapped.
WIDTH = 110
BLOCK_SCALARS = (LiteralScalarString, FoldedScalarString)
COLLECTIONS = (CommentedMap, CommentedSeq)


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


class Verbatim(str):
    """A number or a boolean, written as the original wrote it: ruamel
    0.19 writes some floats back changed (7.178969731036557e+16 as
    7.178969731036556e+16)."""

    tag: str

    @classmethod
    def of(cls, text: str, value: bool | int | float) -> Verbatim:
        out = cls(text)
        name = "bool" if isinstance(value, bool) else type(value).__name__
        out.tag = f"tag:yaml.org,2002:{name}"
        return out


class _Representer(RoundTripRepresenter):
    def represent_verbatim(self, data: Verbatim) -> Any:
        return self.represent_scalar(data.tag, str(data))


_Representer.add_representer(Verbatim, _Representer.represent_verbatim)


def canonical_yaml() -> YAML:
    """A ruamel instance that reads a record round-trip (comments, quotes)
    and writes it in canonical form."""
    out = YAML(typ="rt")
    out.Emitter = _Emitter
    out.Representer = _Representer
    out.indent(mapping=2, sequence=2, offset=0)
    out.width = WIDTH
    out.allow_unicode = True
    out.preserve_quotes = True  # to know which text was quoted: see fmt_quoting.styled_as
    return out


def read_tree(text: str) -> Any:
    """The record as ruamel reads it: comments, quotes and all."""
    try:
        return canonical_yaml().load(text)
    except Exception as exc:  # ruamel raises more than YAMLError on odd input; one file must not stop a run
        raise Unformattable(f"ruamel.yaml cannot read the file: {first_line(exc)}") from None


def write_tree(tree: CommentedMap) -> str:
    """The tree as canonical text."""
    buffer = io.StringIO()
    try:
        canonical_yaml().dump(tree, buffer)
    except Exception as exc:  # as when reading: report, do not crash
        raise Unformattable(f"ruamel.yaml cannot write the record: {first_line(exc)}") from None
    return buffer.getvalue()


def first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
