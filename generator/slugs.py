"""What an id is: a lower-case slug (``ceasefire-2023``), at most SLUG_MAX
characters. The model's id fields, file names, ``--ref`` ids and reference
targets are all checked against this one pattern, compiled once here.
"""

from __future__ import annotations

import re

# pydantic takes the pattern as text (the model's fields and the JSON
# Schema); Python code matches with SLUG, compiled from the same text.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX = 80
SLUG = re.compile(SLUG_PATTERN)
# Slugs a record cannot take: its kind folder's own page (events/index.md
# lists the events) would replace its page.
RESERVED = frozenset({"index"})


def is_slug(text: str) -> bool:
    """Whether ``text`` is an id: the pattern and the length."""
    return bool(SLUG.match(text)) and len(text) <= SLUG_MAX


def slugify(text: str) -> str:
    """The id to suggest for a name that is not one ("" when nothing is left)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")
