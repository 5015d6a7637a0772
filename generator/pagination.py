"""Notes and page breaks: what a typeset document says about where its
citations fell, and what the next layout should change.

A source's first citation on each page carries its footnote; later ones are
its bare number (``generator.citations``). Which citation comes first on a
page is known only once the document is laid out, so ``generator.pdf`` lays
it out, plans the notes from where each citation fell, and lays it out again.

WeasyPrint may also move a footnote to the next page, away from its call:
when the first line of a block does not fit at the foot of a page, it makes
room by deferring the page's last footnote. A note belongs on its call's
page, so the block that line begins is sent to the next page instead (a
forced break before it), which leaves room for the note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

Calls = list[tuple[str, tuple[int, ...]]]  # each citation's anchor and its sources' numbers, in order
Places = dict[str, tuple[int, float, float]]  # anchor -> page (0-based), down, across
Plan = Mapping[str, frozenset[int]]  # citation anchor -> the sources it gives a note

_NOWHERE = (-1, 0.0, 0.0)
# Blocks a line can begin, as print templates write them (and the names numbered).
_BLOCK = re.compile(r"<(p|li|h[1-6]|tr|blockquote|dt|dd)(?=[\s>])")
BLOCK_ATTRIBUTE = "data-block"


def places(document: Any) -> Places:
    """Anchor -> where it fell: its page (0-based), then its place down and
    across the page, so that citations can be taken in reading order."""
    return {anchor: (i, box[1], box[0]) for i, page in enumerate(document.pages)
            for anchor, box in page.anchors.items()}


def plan_notes(calls: Calls, where: Places) -> dict[str, frozenset[int]]:
    """For each citation, the sources it gives a note: those not yet noted
    on its page, taking the citations in the order they are read."""
    noted: set[tuple[int, int]] = set()
    plan = {}
    for anchor, numbers in sorted(calls, key=lambda call: where.get(call[0], _NOWHERE)):
        page = where.get(anchor, _NOWHERE)[0]
        plan[anchor] = frozenset(n for n in numbers if (n, page) not in noted)
        noted.update((n, page) for n in numbers)
    return plan


def note_id(anchor: str, number: int) -> str:
    """The id of the note a citation carries for a source: where it fell is
    where the note was set."""
    return f"{anchor}-note-{number}"


def number_blocks(html: str, breaks: frozenset[int]) -> str:
    """Each block of the document numbered (``data-block``), and those in
    ``breaks`` set to begin a page."""
    count = iter(range(1 << 30))

    def tag(match: re.Match[str]) -> str:
        n = next(count)
        forced = ' style="break-before: page"' if n in breaks else ""
        return f'{match[0]} {BLOCK_ATTRIBUTE}="{n}"{forced}'

    head, sep, body = html.partition("<body")
    return head + sep + _BLOCK.sub(tag, body)


def strays(plan: Plan, where: Places) -> set[int]:
    """The pages (0-based) from which a note was moved away from its call."""
    return {where[anchor][0] for anchor, numbers in plan.items() for n in numbers
            if anchor in where and where.get(note_id(anchor, n), _NOWHERE)[0] != where[anchor][0]}


def last_block(document: Any, page: int) -> int | None:
    """The numbered block holding the last line of the page's body: the one
    WeasyPrint made room for by moving a note."""
    best: tuple[float, int] | None = None
    for line, block in _lines(document.pages[page]._page_box, None):
        if block is not None and (best is None or line.position_y >= best[0]):
            best = (line.position_y, block)
    return best[1] if best else None


def _lines(box: Any, block: int | None) -> Iterator[tuple[Any, int | None]]:
    kind = type(box).__name__
    if kind in ("FootnoteAreaBox", "MarginBox"):
        return
    element = getattr(box, "element", None)
    number = element.get(BLOCK_ATTRIBUTE) if element is not None else None
    if number is not None:
        block = int(number)
    if kind == "LineBox":
        yield box, block
        return
    for child in getattr(box, "children", None) or []:
        yield from _lines(child, block)
