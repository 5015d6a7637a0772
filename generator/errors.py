"""Errors that stop a run for a reason the user can fix.

Problems in records are data (``generator.problems``), never exceptions.
What is raised instead is a run that cannot go on: a folder that is not a
corpus, a revision git does not know, a setting or an environment variable
that cannot be read. Each derives from :class:`BriefingError`, a click
exception: the command line reports it in one line with its exit status
(2, a usage error, unless the class says otherwise) and translates nothing.
Anything else that escapes is a bug in briefing, reported as an internal
error (exit 3).
"""

from __future__ import annotations

import click


class BriefingError(click.ClickException):
    """A run that cannot go on, for a reason the user can fix."""

    exit_code = 2
