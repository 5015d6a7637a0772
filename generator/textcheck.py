"""Stage 1, the characters of a record's text: problems for those no text
should hold, and warnings for the invisible ones (the rules: ``chars``).

Each problem is placed at the character itself, or at the escape in a
double-quoted string that wrote it (``"\\x85"``), and names the character
by its code point, so that an invisible one can be found and removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from generator import chars
from generator.positions import char_position
from generator.problems import Problem, RecordPath, Severity, format_path

# What is looked for, in this order: the finder, the code, what is wrong, the hint.
_CHECKS: list[tuple[Callable[[str], re.Match[str] | None], str, str, Callable[[str], str], Severity]] = [
    (chars.refused, "control-character", "control characters and noncharacters are not text",
     lambda _: "remove it (an escape such as \\x85 or \\u0007 in a quoted string writes one)", Severity.ERROR),
    (chars.invisible, "invisible-character", "it is invisible, and changes how the text displays or compares",
     chars.invisible_hint, Severity.WARNING),
]


def character_problems(data: dict[str, Any], text: str, rel: str) -> list[Problem]:
    """Problems for every text value and field name of a record, the first
    offending character of each."""
    if not chars.suspect(text):  # the fast path: one look over the whole file
        return []
    out = []
    for path, value, is_key in texts(data, ()):
        for find, code, what, hint, severity in _CHECKS:
            found = find(value)
            if found is not None:
                line, col = char_position(text, path, is_key, found[0])
                out.append(Problem(rel, line, col, format_path(path), code,
                                   f"{chars.code_point(found[0])} at character {found.start() + 1} of the text: "
                                   f"{what}", hint(found[0]), severity))
    return out


def texts(value: Any, path: RecordPath) -> list[tuple[RecordPath, str, bool]]:
    """Every text value and field name in a record's data, with its path and
    whether it is a name."""
    if isinstance(value, str):
        return [(path, value, False)]
    out: list[tuple[RecordPath, str, bool]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            out.append(((*path, key), key, True))
            out += texts(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += texts(item, (*path, i))
    return out
