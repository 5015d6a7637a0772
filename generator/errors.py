"""Errors that stop a run for a reason the user can fix.

Problems in records are data (``generator.problems``), never exceptions.
What is raised instead is a run that cannot go on: a folder that is not a
corpus, a revision git does not know, a setting or an environment variable
that cannot be read. Each derives from :class:`BriefingError`, which the
command line reports in one line as a usage error (exit 2). Anything else
that escapes is a bug in briefing, reported as an internal error (exit 3).
"""

from __future__ import annotations


class BriefingError(Exception):
    """A run that cannot go on, for a reason the user can fix."""
