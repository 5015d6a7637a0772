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

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
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

_FORM = re.compile(
    r"^(?P<y>\d{4})"
    r"(?:-(?P<m>\d{2})"
    r"(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
PATTERN = r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))?)?)?$"
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
        match = _FORM.match(text)
        if match is None:
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
        start = date(year, month or 1, day or 1)
    except ValueError:
        raise DateError(
            f"{text!r}: day {day} does not exist in {year}-{month:02d}",
            f"{year}-{month:02d} has {_days_in_month(year, month or 1)} days",
        ) from None
    if m["H"] is not None:
        return _minute(text, start, int(m["H"]), int(m["M"]), m["tz"])
    if day is not None:
        precision, end = Precision.DAY, start + timedelta(days=1)
    elif month is not None:
        precision = Precision.MONTH
        end = date(year + (month == 12), month % 12 + 1, 1)
    else:
        precision, end = Precision.YEAR, date(min(year + 1, 9999), 1, 1)
    return PartialDate(
        text,
        precision,
        _utc(start) - _ZONE_SLACK,
        _utc(end) + _ZONE_SLACK,
        _naive(start),
        _naive(end),
    )


def _minute(text: str, day: date, hour: int, minute: int, tz: str) -> PartialDate:
    if hour > 23 or minute > 59:
        raise DateError(f"{text!r}: {hour:02d}:{minute:02d} is not a time of day", "times run 00:00 to 23:59")
    offset = timedelta(0)
    if tz != "Z":
        sign = -1 if tz[0] == "-" else 1
        oh, om = int(tz[1:3]), int(tz[4:6])
        if oh > 14 or om > 59 or (oh == 14 and om):
            raise DateError(f"{text!r}: {tz} is not a UTC offset", "offsets run from -12:00 to +14:00")
        offset = sign * timedelta(hours=oh, minutes=om)
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone(offset))
    utc = moment.astimezone(UTC)
    local = moment.replace(tzinfo=None)
    step = timedelta(minutes=1)
    return PartialDate(text, Precision.MINUTE, utc, utc + step, local, local + step)


def _utc(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def _naive(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


def _days_in_month(year: int, month: int) -> int:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day
