"""The checks a canonical text passes before it is written. A formatter must
never change what a record says: read back with our own loader, the text
must give the same data and hold the same comments; and formatting it again
must give it back unchanged, or fmt would rewrite the file at every run.
A text that fails is reported as a bug in the formatter, never written.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from generator.fmt_comments import comment_texts
from generator.fmt_results import Unformattable
from generator.load import parse_text
from generator.problems import RecordPath, format_path


def verify(before: str, data: dict[str, Any], after: str, rel: str) -> dict[str, Any]:
    """The canonical text must say exactly what the original said. Returns
    the data it reads back as: the original's."""
    again, problems = parse_text(after, rel)
    if again is None or any(p.is_error for p in problems):
        raise Unformattable("the formatted text would not load: " + "; ".join(p.message for p in problems[:1]))
    where = _difference(data, again, ())
    if where is not None:
        raise Unformattable(f"formatting would change the value of {format_path(where) or 'the record'}")
    lost = Counter(comment_texts(before))
    lost.subtract(Counter(comment_texts(after)))
    changed = sorted(text for text, n in lost.items() if n)
    if changed:
        raise Unformattable(f"formatting would lose or repeat the comment {changed[0]!r}")
    return again


def check_stable(once: str, twice: str) -> None:
    """Formatting the canonical text (``once``) again must give it back
    (``twice`` is what it gave)."""
    if twice != once:
        raise Unformattable(f"formatting is not stable: formatting the result again changes its line "
                            f"{_first_different_line(once, twice)}, a bug in briefing's formatter")


def _first_different_line(a: str, b: str) -> int:
    lines_a, lines_b = a.splitlines(), b.splitlines()
    for number, (line_a, line_b) in enumerate(zip(lines_a, lines_b, strict=False), 1):
        if line_a != line_b:
            return number
    return min(len(lines_a), len(lines_b)) + 1  # one text is the other with lines added


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
