"""Figures: a number, a scale and a unit, compared and printed the way a
reader expects.

Units come from registries, not tables of our own: currencies are ISO 4217
codes, known by code or English name through Babel (CLDR's data, already
installed with Material); physical units (km, tonnes, days) are Pint's,
which converts between units of one dimension. Anything else is what is
counted ("people", "vessels"): two such units compare only when they are
the same words. Numbers are printed by Babel: "US$5 million", "at least
2,000 troops".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from babel.numbers import format_decimal, get_currency_name, get_currency_symbol, list_currencies

from generator.model import Claim, Qualifier, Scale

if TYPE_CHECKING:
    from pint import UnitRegistry

LOCALE = "en"
# International English: the symbols that tell currencies apart (US$, not $).
CURRENCY_LOCALE = "en_001"
SCALES = {Scale.THOUSAND: 10**3, Scale.MILLION: 10**6, Scale.BILLION: 10**9, Scale.TRILLION: 10**12}
# Printed in words from a million up; "5 thousand" reads worse than 5,000.
_WORDED = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million")]
QUALIFIERS = {Qualifier.EXACT: "", Qualifier.ABOUT: "about ", Qualifier.AT_LEAST: "at least ",
              Qualifier.MORE_THAN: "more than ", Qualifier.AT_MOST: "at most ", Qualifier.FEWER_THAN: "fewer than ",
              Qualifier.ALMOST: "almost "}


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit as the registries know it."""

    kind: str  # "currency", or "other": a physical unit or what is counted
    key: str  # USD; otherwise the words, case-folded
    written: str  # as the record gives it


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


@cache
def _currency_names() -> dict[str, str]:
    """Every ISO 4217 code and English name (singular and plural), case-folded, to its code."""
    out: dict[str, str] = {}
    for code in list_currencies():
        out[code.casefold()] = code
        for count in (1, 2):
            out.setdefault(_words(get_currency_name(code, count=count, locale=LOCALE)), code)
    return out


@cache
def _registry() -> UnitRegistry[Any]:
    # Loaded on first use: most corpora compare no physical units, and
    # Pint's registry takes most of a second to build.
    import pint
    return pint.UnitRegistry()


@cache
def _physical(text: str) -> str | None:
    """Pint's name for a unit, or None when Pint does not know it."""
    import pint
    if not re.fullmatch(r"[A-Za-z%°µ][A-Za-z0-9 %°µ/*^.]*", text):
        return None
    try:
        unit = _registry().parse_units(text)
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError, TypeError,
            ValueError, AssertionError):
        return None
    return str(unit)


def unit_of(written: str) -> Unit:
    words = _words(written)
    code = _currency_names().get(words)
    if code is not None:
        return Unit("currency", code, written)
    return Unit("other", words, written)


def factor(source: Unit, target: Unit) -> float | None:
    """What a figure in ``source`` is multiplied by to be in ``target``; None
    when they are not the same kind of thing (a currency and another, a
    count of people and a length)."""
    if source.kind != target.kind:
        return None
    if source.key == target.key:
        return 1.0
    if source.kind == "currency":
        return None  # no exchange rates: a rate is a claim of its own
    a, b = _physical(source.written), _physical(target.written)
    if a is None or b is None:
        return None
    import pint
    try:
        return float(_registry().Quantity(1, a).to(b).magnitude)
    except pint.errors.DimensionalityError:
        return None


def scaled(claim: Claim, number: float) -> float:
    return number * SCALES[claim.scale] if claim.scale is not None else number


# --- printing ------------------------------------------------------------------------


def figure(claim: Claim, subject_unit: str | None = None) -> str:
    """25 people, at least 32, 25–32 people, US$5 million; '' for claims
    without a figure; a position as written. A figure without a unit is in
    its subject's."""
    unit = claim.unit or subject_unit
    if claim.low is not None and claim.high is not None:
        low, high = scaled(claim, claim.low), scaled(claim, claim.high)
        return QUALIFIERS[claim.qualifier] + _amount_range(low, high, unit)
    if claim.value is None:
        return ""
    if not isinstance(claim.value, int | float):
        return QUALIFIERS[claim.qualifier] + str(claim.value) + (f" {claim.unit}" if claim.unit else "")
    return QUALIFIERS[claim.qualifier] + _amount(scaled(claim, claim.value), unit)


def _amount(number: float, unit: str | None) -> str:
    return _with_unit(number_words(number), unit)


def _amount_range(low: float, high: float, unit: str | None) -> str:
    return _with_unit(f"{number_words(low)}–{number_words(high)}", unit)


def _with_unit(text: str, unit: str | None) -> str:
    if not unit:
        return text
    found = unit_of(unit)
    if found.kind == "currency":
        symbol = get_currency_symbol(found.key, locale=CURRENCY_LOCALE)
        # A symbol of letters (AMD) is set apart from the figure; US$ and € are not.
        return f"{symbol}\u00a0{text}" if symbol[-1:].isalpha() else f"{symbol}{text}"
    return f"{text} {unit}"


def number_words(number: float) -> str:
    """5000000 -> "5 million", 5250000 -> "5.25 million", 2000 -> "2,000":
    in words only when that loses nothing."""
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    for size, word in _WORDED:
        if abs(number) >= size and (number * 100) % size == 0:
            return f"{format_decimal(number / size, locale=LOCALE)} {word}"
    return format_decimal(number, locale=LOCALE)


_TEXT_FIGURE = re.compile(r"(?:about |at least |more than |some |over |~|≈)?\d[\d,.]*"
                          r"(?: ?(?:thousand|million|billion|trillion|k|m|bn))?", re.IGNORECASE)


def looks_like_figure(text: str) -> bool:
    """A value written as text that a reader would take for a number: "5 million", "2,000"."""
    return bool(_TEXT_FIGURE.fullmatch(" ".join(text.split())))
