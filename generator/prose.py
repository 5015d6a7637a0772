"""An analyst's prose in a brief: paragraphs with citations and links.

The syntax is small and our own, after Pandoc's citations:

- ``[@id]`` or ``[@one; @two]`` cites claims, events or quotes; a citation
  becomes the notes of the sources those records rest on;
- ``[words](@id)`` links the words to any record's page;
- a blank line starts a new paragraph.

Everything else is text, and stays text: it is escaped wherever it is
shown, so no Markdown or HTML in a record reaches a page. A bracket that is
neither form is an error (``prose-syntax``), not silently shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

# An id as written; a malformed one still parses so that the link stage can
# say which id it does not know.
_ID = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
_TOKEN = re.compile(
    rf"\[(?P<cites>@{_ID}(?:\s*;\s*@{_ID})*)\]"  # [@a] or [@a; @b]
    rf"|\[(?P<words>[^\[\]]+)\]\(@(?P<target>{_ID})\)"  # [words](@id)
)
_CITE_ID = re.compile(rf"@({_ID})")
# What looks meant as a citation or a link but is neither.
_STRAY = re.compile(r"\[\s*@[^\s\]]*|\]\s*\(\s*@\S*|\(@[^\s)]*\)?")

CITABLE = ("claim", "event", "quote")
LINKABLE = ("source", "actor", "place", "event", "claim", "quote", "brief")


@dataclass(frozen=True, slots=True)
class Cite:
    """A citation of one or more records."""

    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LinkTo:
    """Words linked to a record's page."""

    words: str
    target: str


Token = str | Cite | LinkTo
Paragraph = tuple[Token, ...]


def parse(text: str) -> list[Paragraph]:
    """The paragraphs of a text, each a sequence of text, citations and links.
    White space within a paragraph is one space, as a reader sees it."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        flat = " ".join(block.split())
        if flat:
            out.append(tuple(_tokens(_curly(flat))))
    return out


_OPENS = re.compile(r"(^|[\s(\[\u2014\u2013/])([\"'])")


def _curly(text: str) -> str:
    """Typewriter quotes as a typesetter sets them: “ ” and ‘ ’ (an apostrophe is ’)."""
    text = _OPENS.sub(lambda m: m[1] + ("\u201c" if m[2] == '"' else "\u2018"), text)
    return text.replace('"', "\u201d").replace("'", "\u2019")


def _tokens(flat: str) -> list[Token]:
    out: list[Token] = []
    at = 0
    for match in _TOKEN.finditer(flat):
        text = flat[at:match.start()]
        if match["cites"] is not None:
            # A citation's mark follows the word it closes: "in 2020[1]", not "in 2020 [1]".
            if text.rstrip():
                out.append(text.rstrip())
            out.append(Cite(tuple(_CITE_ID.findall(match["cites"]))))
        else:
            if text:
                out.append(text)
            out.append(LinkTo(" ".join(match["words"].split()), match["target"]))
        at = match.end()
    if at < len(flat):
        out.append(flat[at:])
    return out


@dataclass(frozen=True, slots=True)
class Reference:
    """A record a text refers to: the id, the kinds it may be, and the text
    written for it (to find it in the file)."""

    target: str
    kinds: tuple[str, ...]
    written: str
    nth: int  # of the times ``written`` is in the text, this is the nth (0-based)


def references(text: str) -> Iterator[Reference]:
    """Every citation and link in a text, in order."""
    seen: dict[str, int] = {}
    for match in _TOKEN.finditer(text):
        if match["cites"] is not None:
            for rid in _CITE_ID.findall(match["cites"]):
                yield Reference(rid, CITABLE, "@" + rid, _count(seen, "@" + rid))
        else:
            written = "@" + match["target"]
            yield Reference(match["target"], LINKABLE, written, _count(seen, written))


def _count(seen: dict[str, int], written: str) -> int:
    n = seen[written] = seen.get(written, -1) + 1
    return n


def stray(text: str) -> Iterator[str]:
    """Brackets meant as a citation or link that are neither, as written."""
    rest = _TOKEN.sub(lambda m: " " * len(m[0]), text)
    for match in _STRAY.finditer(rest):
        yield match[0]


def cited(text: str) -> list[str]:
    """The records a text cites, in order of first citation."""
    return list(dict.fromkeys(r.target for r in references(text) if r.kinds == CITABLE))


def plain(paragraph: Paragraph) -> str:
    """A paragraph's words as a reader reads them, without its citations."""
    return "".join(t if isinstance(t, str) else t.words if isinstance(t, LinkTo) else "" for t in paragraph)


def words(text: str) -> str:
    """A text as plain words, without its citations and with links as their
    words: for where prose is shown as a summary (an index, a description)."""
    return "\n\n".join(plain(p) for p in parse(text))


M = TypeVar("M")


@dataclass(frozen=True, slots=True)
class Presenter(Generic[M]):
    """How a paragraph is shown: text escaped, citations and links made by
    the page's own style (site Markdown or print HTML)."""

    text: Callable[[str], M]
    cite: Callable[[tuple[str, ...]], M]
    link: Callable[[str, str], M]
    join: Callable[[list[M]], M]

    def paragraph(self, paragraph: Paragraph) -> M:
        parts = []
        for token in paragraph:
            if isinstance(token, Cite):
                parts.append(self.cite(token.ids))
            elif isinstance(token, LinkTo):
                parts.append(self.link(token.words, token.target))
            else:
                parts.append(self.text(token))
        return self.join(parts)
