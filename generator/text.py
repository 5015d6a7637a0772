"""Record text made safe for the Markdown pages.

Record text is plain text, not Markdown: a title holding ``<script>`` or
``[x](javascript:...)`` must show as typed. Every string a template prints
is HTML-escaped and has the Markdown characters that Python-Markdown would
act on backslash-escaped; single newlines fold into spaces so that text can
sit in a table cell or a list item.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup

# Python-Markdown's escapable characters (plus '|', which the tables extension
# adds). '.', '-' and '+' only matter at the start of a line: see below.
_INLINE = re.compile(r"([\\`*_{}\[\]()#!|])")
_LINE_START = re.compile(r"^(\s*)(\d+)\.(?=\s)|^(\s*)([-+])(?=\s)")


@lru_cache(maxsize=1 << 16)  # dates, roles and attributions repeat on every page
def md_text(value: str) -> Markup:
    """Plain text to Markdown that renders as the same text, on one line."""
    text = " ".join(value.split())
    # Markdown first: the entities HTML escaping makes must not be touched.
    text = _INLINE.sub(r"\\\1", text)
    text = html.escape(text, quote=False).replace('"', "&quot;")
    text = _LINE_START.sub(lambda m: f"{m[1] or m[3] or ''}{m[2] or ''}\\{'.' if m[2] else m[4]}", text)
    return Markup(text)


def html_text(value: str) -> Markup:
    """Plain text for HTML a page passes to the engine as it is (a long
    listing's rows, which its Markdown is slow on), on one line. Parentheses are written as character
    references: the naming rule (``generator.naming``) then finds a double
    name here, and nowhere else it is written unescaped (a map's caption)."""
    text = html.escape(" ".join(value.split()))
    return Markup(text.replace("(", "&#40;").replace(")", "&#41;"))


def md_inline(value: str) -> Markup:
    """``md_text`` for a piece of a line: a space it starts or ends with is kept."""
    lead = " " if value[:1].isspace() else ""
    trail = " " if value[-1:].isspace() and value.strip() else ""
    return Markup(lead) + md_text(value) + Markup(trail)


def with_article(word: str) -> str:
    """"an event", "a claim": how messages name a kind."""
    return ("an " if word[0] in "aeiou" else "a ") + word


def paragraphs(value: str) -> list[Markup]:
    """Multi-paragraph text (blank lines between): one escaped line each."""
    return [md_text(p) for p in re.split(r"\n\s*\n", value.strip()) if p.strip()]


def finalize(value: object) -> object:
    """Jinja's finalize: every plain string a template prints is escaped."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return md_text(value)
