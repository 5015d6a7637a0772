"""The naming rule: a record known by two names ("Stepanakert (Khankendi)":
each side's usage) is called by both at its first mention on a page, and by
the first alone after that.

The rule is applied to a page as written, once, so that it holds whatever
mentions the name: a link, a table, a claim's statement, the analyst's prose.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from generator.link import Corpus
from generator.model import Actor, Place

_BOTH = re.compile(r"^(?P<first>.+?) \((?P<second>[^()]+)\)$")


def double_names(corpus: Corpus) -> dict[str, str]:
    """Both usages -> the first: for each actor or place whose name gives the
    two names it records ("Stepanakert (Khankendi)" -> "Stepanakert"). Only
    actors and places are looked at: 1,200 of 10,000 records (looking at all
    took 0.015 s of each `serve` rebuild)."""
    out = {}
    for model in (e.model for kind in ("actor", "place") for e in corpus.of_kind(kind)):
        if not isinstance(model, Actor | Place):
            continue
        match = _BOTH.match(model.name)
        recorded = {n.name for n in model.names}
        if match and {match["first"], match["second"]} <= recorded:
            out[model.name] = match["first"]
    return dict(sorted(out.items()))


def first_mention_only(text: str, names: dict[str, str], *escapes: Callable[[str], str]) -> str:
    """``text`` with each double name given in full at its first mention and
    shortened after; each of ``escapes`` writes a name one way the text
    holds it (a page's Markdown, and the HTML rows it passes through)."""
    for both, first in names.items():
        forms = list(dict.fromkeys((escape(both), escape(first)) for escape in escapes))
        found = [(at, written) for written, _ in forms if (at := text.find(written)) >= 0]
        if not found:
            continue
        at, written = min(found)
        end = at + len(written)
        rest = text[end:]
        for written, short in forms:
            rest = rest.replace(written, short)
        text = text[:end] + rest
    return text
