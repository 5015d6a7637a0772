"""Text in languages other than the pages': its language and direction.

Pages are in English. Every piece of text in another language (a quote
said in Arabic, a place name in Armenian script, a source's title in
Russian) carries ``lang``, so that browsers, screen readers and WeasyPrint
pick the right fonts, voice and hyphenation, and ``dir="rtl"`` when its
script runs right to left, so that it displays in the right order. Which
scripts run right to left, and what a language is called, is CLDR's data,
through Babel.
"""

from __future__ import annotations

import html
from functools import cache

from babel import Locale, UnknownLocaleError
from markupsafe import Markup

from generator.text import html_text, md_text

PAGE_LANGUAGE = "en"


@cache
def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(code.split("-", maxsplit=1)[0])
        except (UnknownLocaleError, ValueError):
            return None


def foreign(code: str | None) -> bool:
    """Whether text in ``code`` is in another language than the pages'."""
    return bool(code) and str(code).split("-")[0].lower() != PAGE_LANGUAGE


def direction(code: str) -> str:
    """'rtl' for a language written right to left, else 'ltr'."""
    locale = _locale(code)
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


@cache
def language_name(code: str) -> str:
    """ar -> Arabic, hy -> Armenian; the code itself when CLDR has no name."""
    names = Locale.parse(PAGE_LANGUAGE).languages
    name = names.get(code.replace("-", "_")) or names.get(code.split("-", maxsplit=1)[0])
    return name or code


def attributes(code: str | None) -> str:
    """' lang="ar" dir="rtl"' for text in another language; '' otherwise."""
    if not code or not foreign(code):
        return ""
    rtl = ' dir="rtl"' if direction(code) == "rtl" else ""
    return f' lang="{html.escape(code)}"{rtl}'


def md_in(text: str, code: str | None) -> Markup:
    """Record text for a Markdown page, in a span carrying its language."""
    return _spanned(md_text(text), code)


def row_in(text: str, code: str | None) -> Markup:
    """Record text for a listing's HTML rows (``generator.text.html_text``), in a span carrying its language."""
    return _spanned(html_text(text), code)


def _spanned(escaped: Markup, code: str | None) -> Markup:
    attrs = attributes(code)
    return Markup(f"<span{attrs}>{escaped}</span>") if attrs else escaped


def html_in(text: str, code: str | None) -> Markup:
    """Record text for print HTML, in a span carrying its language."""
    return _spanned(Markup(html.escape(" ".join(text.split()))), code)
