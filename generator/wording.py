"""Words for dates, figures, grades and titles: how pages and PDFs say things.

Shared by the site's pages (``generator.render``), the PDF briefs
(``generator.pdf``) and the change reports (``generator.editions``); it
knows records, never pages or templates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.dates import PartialDate, Precision
from generator.model import Actor, Brief, Claim, Event, Place, Quote, Source
from generator.validate import Entry

RELIABILITY = {"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable", "D": "not usually reliable",
               "E": "unreliable", "F": "reliability cannot be judged"}
CREDIBILITY = {1: "confirmed by other sources", 2: "probably true", 3: "possibly true", 4: "doubtful",
               5: "improbable", 6: "truth cannot be judged"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def format_date(d: PartialDate) -> str:
    """20 September 2023, 13:00 (UTC+04:00); September 2023; 2023."""
    text = d.text
    year = text[:4]
    if d.precision is Precision.YEAR:
        return year
    month = MONTHS[int(text[5:7]) - 1]
    if d.precision is Precision.MONTH:
        return f"{month} {year}"
    day = f"{int(text[8:10])} {month} {year}"
    if d.precision is Precision.DAY:
        return day
    zone = text[16:]
    return f"{day}, {text[11:16]} ({'UTC' if zone == 'Z' else 'UTC' + zone})"


def short_date(d: PartialDate) -> str:
    """For timelines: 20 Sep 2023 13:00 (UTC+04:00); Sep 2023; 2023."""
    return format_date(d).replace(", ", " ")


def month_heading(d: PartialDate) -> str:
    """The timeline's heading for a date under its year: September 2023; ''
    when the date is only a year (the year's heading says it all)."""
    if d.precision is Precision.YEAR:
        return ""
    return f"{MONTHS[int(d.text[5:7]) - 1]} {d.text[:4]}"


def within_month(d: PartialDate) -> str:
    """What a timeline row says of its date under the month's heading: the
    day (and time) only; '' for a date that is only a month or a year."""
    if d.precision in (Precision.YEAR, Precision.MONTH):
        return ""
    day = f"{int(d.text[8:10])} {MONTHS[int(d.text[5:7]) - 1]}"
    return day if d.precision is Precision.DAY else f"{day}, {format_date(d).split(', ', 1)[1]}"


def subject_title(subject: str, statements: Iterable[str] = ()) -> str:
    """armenian-forces-in-karabakh -> "Armenian forces in Karabakh": words
    keep the capitals the claims' own statements give them."""
    proper: dict[str, str] = {}
    for statement in statements:
        for word in re.findall(r"\w+", statement)[1:]:  # not a sentence's first word
            if word[0].isupper():
                proper.setdefault(word.lower(), word)
    words = [proper.get(w, w) for w in subject.split("-")]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


_ARTICLES = ("The ", "A ", "An ")


def in_sentence(attribution: str) -> str:
    """An attribution as it reads after "according to": "The agreement" ->
    "the agreement", "A US State Department spokesperson" -> "a US State
    Department spokesperson". A name keeps its capital: every word up to the
    first punctuation capitalised, as in "The Epoch Times"."""
    for article in _ARTICLES:
        if not attribution.startswith(article):
            continue
        phrase = re.split(r"[,;:()]", attribution[len(article):], maxsplit=1)[0].split()
        if phrase and not all(word[:1].isupper() for word in phrase):
            return article.lower() + attribution[len(article):]
    return attribution


def _cut(text: str, length: int) -> str:
    """Text shortened to at most ``length`` characters at a word's end, with "…"."""
    head = text[: length + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else text[:length]
    return cut.rstrip(" ,;:.") + " …"


def opening(text: str, words: int = 8) -> str:
    """A quote's first words, for its page's title: "Russia failed to keep the
    corridor open …"; the whole text when it is short."""
    parts = text.split()
    return " ".join(parts) if len(parts) <= words + 2 else " ".join(parts[:words]).rstrip(",;:") + " …"


def capital(text: str) -> str:
    """A label at the start of a sentence or a table cell: "De facto authority"."""
    return text[:1].upper() + text[1:]


def title_of(entry: Entry) -> str:
    """What a record is called wherever it is named: a name, a title, a
    statement, or a quote's words (shortened)."""
    model = entry.model
    if isinstance(model, Actor | Place):
        return model.name
    if isinstance(model, Event | Brief | Source):
        return model.title
    if isinstance(model, Claim):
        return model.statement
    if isinstance(model, Quote):
        text = " ".join(model.text.split())
        return f"“{text if len(text) <= 90 else _cut(text, 87)}”"
    raise TypeError(type(model))
