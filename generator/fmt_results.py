"""What formatting gives: a record's canonical text or why there is none
(``Formatted``), one file's bytes before and text after (``Outcome``), and
``Unformattable``, raised inside the formatter when a file cannot be
formatted safely: it becomes a problem, never a crash or a written file.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.discover import RecordFile
from generator.problems import Problem

BUG_HINT = "the file is left as it is; please report this as a bug in `briefing fmt`"


@dataclass(frozen=True, slots=True)
class Formatted:
    """A record's canonical text, or why there is none."""

    text: str | None
    problems: list[Problem]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One file: its bytes as read and its canonical text (None when it
    cannot be formatted; ``problems`` say why)."""

    file: RecordFile
    before: bytes | None
    after: str | None
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        return self.after is not None and self.before is not None and self.after.encode("utf-8") != self.before


class Unformattable(Exception):
    """The file cannot be formatted safely: reported, never written."""

    def __init__(self, message: str, hint: str = BUG_HINT, where: tuple[int, int] = (0, 0)) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where
