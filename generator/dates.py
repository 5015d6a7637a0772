"""Dates as analysts write them: with the precision the sources allow.

A record's date is text whose form states its precision::

    2023                      year
    2023-09                   month
    2023-09-20                day
    2023-09-20T13:00+04:00    minute, always with a UTC offset (or ``Z``)

A minute needs its offset because "13:00" alone is ambiguous across the
parties' time zones (Baku and Yerevan are UTC+4, Moscow UTC+3).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    MINUTE = "minute"


_ORDER = {p: i for i, p in enumerate(Precision)}

# ASCII digits only: Python's \d also takes Arabic-Indic and other digits.
_FORM = re.compile(
    r"(?P<y>[0-9]{4})"
    r"(?:-(?P<m>[0-9]{2})"
    r"(?:-(?P<d>[0-9]{2})"
    r"(?:T(?P<H>[0-9]{2}):(?P<M>[0-9]{2})(?P<tz>Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?"
)
PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2}))?)?)?$"
# Zone-less dates are local to somewhere on Earth: UTC-12 to UTC+14.
_ZONE_SLACK = timedelta(hours=14)
_FORMS_HINT = "write 2023, 2023-09, 2023-09-20 or 2023-09-20T13:00+04:00"


class DateError(ValueError):
    """A date that cannot be: carries a hint on what would be right."""

    def __init__(self, message: str, hint: str = _FORMS_HINT) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A point in time known to a given precision."""

    text: str
    precision: Precision
    earliest: datetime  # first instant the date may denote (UTC)
    latest: datetime  # last instant (exclusive) the date may denote (UTC)
    # The span on the local calendar and clock, as the source wrote it: what an
    # analyst means by "from 19 September" whatever the zone.
    local_start: datetime
    local_end: datetime

    def __str__(self) -> str:
        return self.text

    @property
    def has_zone(self) -> bool:
        return self.precision is Precision.MINUTE

    @property
    def sort_key(self) -> tuple[datetime, int]:
        """Orders dates as a reader of the sources sees them: by local
        calendar and clock, coarser dates first on ties."""
        return (self.local_start, _ORDER[self.precision])

    def surely_before(self, other: PartialDate) -> bool:
        """True only when self ends before other starts, however read.

        Two zone-less dates are read on the same calendar (the author's);
        a zone-less date against a zoned one allows for any zone on Earth.
        """
        if not self.has_zone and not other.has_zone:
            return self.local_end <= other.local_start
        return self.latest <= other.earliest

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise DateError(f"a date must be text, not {type(value).__name__}")
        text = str(value).strip()
        match = _FORM.fullmatch(text)
        if match is None:
            if any(c.isdigit() and not c.isascii() for c in text):
                raise DateError(f"{text!r} has digits other than 0-9",
                                "write dates with the digits 0-9, e.g. 2023-09-20")
            raise DateError(f"{text!r} is not a date in a form this project reads")
        return _build(text, match)

    # pydantic integration: validated from text (or a bare year), kept as text.
    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.to_string_ser_schema(),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "string", "pattern": PATTERN},
                {"type": "integer", "minimum": 1, "maximum": 9999},
            ],
            "description": "A date with its precision: " + _FORMS_HINT + ".",
        }

    @classmethod
    def _validate(cls, value: object) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        return cls.parse(value)


def _build(text: str, m: re.Match[str]) -> PartialDate:
    year = int(m["y"])
    if year < 1:
        raise DateError(f"{text!r}: there is no year 0")
    month = int(m["m"]) if m["m"] else None
    day = int(m["d"]) if m["d"] else None
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"{text!r}: month {month} does not exist", "months run 01 to 12")
    if m["H"] is not None and m["tz"] is None:
        raise DateError(
            f"{text!r}: a time needs its UTC offset",
            f"write {text}+04:00 (or Z for UTC): the offset the source's clock used",
        )
    try:
        start = datetime(year, month or 1, day or 1)
    except ValueError:
        raise DateError(
            f"{text!r}: day {day} does not exist in {year}-{month:02d}",
            f"{year}-{month:02d} has {_days_in_month(year, month or 1)} days",
        ) from None
    if m["H"] is not None:
        return _minute(text, start, int(m["H"]), int(m["M"]), m["tz"])
    if day is not None:
        precision, end = Precision.DAY, shift(start, timedelta(days=1))
    elif month is not None:
        precision, end = Precision.MONTH, _first_of(year + (month == 12), month % 12 + 1)
    else:
        precision, end = Precision.YEAR, _first_of(year + 1, 1)
    # Without a zone the span is read anywhere on Earth: UTC-12 to UTC+14.
    return PartialDate(text, precision, shift(_aware(start), -_ZONE_SLACK), shift(_aware(end), _ZONE_SLACK),
                       start, end)


def _minute(text: str, day: datetime, hour: int, minute: int, tz: str) -> PartialDate:
    if hour > 23 or minute > 59:
        raise DateError(f"{text!r}: {hour:02d}:{minute:02d} is not a time of day", "times run 00:00 to 23:59")
    offset = timedelta(0)
    if tz != "Z":
        sign = -1 if tz[0] == "-" else 1
        oh, om = int(tz[1:3]), int(tz[4:6])
        if oh > 14 or om > 59 or (oh == 14 and om):
            raise DateError(f"{text!r}: {tz} is not a UTC offset", "offsets run from -12:00 to +14:00")
        offset = sign * timedelta(hours=oh, minutes=om)
    local = day.replace(hour=hour, minute=minute)
    # Arithmetic, not astimezone(): 9999-12-31T23:59-12:00 is in year 10000 in UTC.
    utc = shift(_aware(local), -offset)
    step = timedelta(minutes=1)
    return PartialDate(text, Precision.MINUTE, utc, shift(utc, step), local, shift(local, step))


# The calendar ends at 9999-12-31: spans that reach past either end of it are
# cut there, so that every date a record can hold (years 1 to 9999, any
# offset) has a span, and comparisons stay true.
_FIRST = datetime.min
_LAST = datetime.max


def shift(moment: datetime, delta: timedelta) -> datetime:
    """``moment + delta``, held at the ends of the calendar instead of overflowing."""
    try:
        return moment + delta
    except OverflowError:
        edge = _LAST if delta > timedelta(0) else _FIRST
        return edge.replace(tzinfo=moment.tzinfo)


def _first_of(year: int, month: int) -> datetime:
    return datetime(year, month, 1) if year <= _LAST.year else _LAST


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]
