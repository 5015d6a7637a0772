"""What `serve` says on every page while the corpus or a template is broken.

A broken record, a broken template or a bug keeps the last good pages on
the server, each under a banner that lists what is wrong (and the terminal
says it too): the editor sees it where they look, in the page they are
previewing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.errors import BriefingError
from generator.problems import Problem
from generator.templating import template_failure
from generator.text import md_text

BANNER_PROBLEMS = 10


@dataclass(frozen=True, slots=True)
class Broken:
    """Why `serve` shows the last good pages: the corpus' errors, or a
    failure (a template's mistake, a setting, a bug) in one line."""

    errors: list[Problem]
    failure: str = ""
    first: bool = False  # no good build yet: the pages shown are empty

    def banner(self) -> str:
        shown = "nothing is shown until it is fixed" if self.first else "this is the last good build"
        if self.failure:
            return (f'!!! failure "The site could not be built: {shown}"\n\n'
                    f"    {md_text(self.failure)}\n\n")
        lines = "\n".join(f"    - {md_text(f'{p.file}:{p.line}:{p.column}: {p.message}')}"
                          for p in self.errors[:BANNER_PROBLEMS])
        more = (f"\n    - and {len(self.errors) - BANNER_PROBLEMS} more"
                if len(self.errors) > BANNER_PROBLEMS else "")
        return (f'!!! failure "The corpus has {len(self.errors)} error(s): {shown}"\n\n'
                f"{lines}{more}\n\n")


def failure_of(exc: Exception, root: Path) -> str:
    """A failure during serve, in one line: where a template went wrong, a
    setting that cannot be read, or a bug (named as one)."""
    if isinstance(exc, BriefingError):
        return str(exc)
    return template_failure(exc, root) or f"internal error (a bug in briefing): {type(exc).__name__}: {exc}"
