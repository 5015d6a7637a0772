from datetime import UTC, datetime

import pytest

from generator.dates import DateError, PartialDate, Precision


@pytest.mark.parametrize(("text", "precision"), [
    ("2023", Precision.YEAR), (2023, Precision.YEAR), ("2023-09", Precision.MONTH),
    ("2023-09-20", Precision.DAY), ("2023-09-20T13:00+04:00", Precision.MINUTE),
    ("2023-09-20T09:00Z", Precision.MINUTE),
])
def test_precision_follows_the_form(text: str | int, precision: Precision) -> None:
    assert PartialDate.parse(text).precision is precision


def test_ceasefire_minute_in_utc() -> None:
    d = PartialDate.parse("2023-09-20T13:00+04:00")
    assert d.earliest == datetime(2023, 9, 20, 9, 0, tzinfo=UTC)
    assert d.local_start == datetime(2023, 9, 20, 13, 0)


@pytest.mark.parametrize(("text", "fragment"), [
    ("2023-02-29", "day 29 does not exist"), ("2023-00", "month 0"), ("2023-09-20T13:00", "needs its UTC offset"),
    ("2023-09-20T24:00+04:00", "not a time of day"), ("2023-09-20T13:00+15:00", "not a UTC offset"),
    ("0000", "no year 0"), ("20.09.2023", "not a date"), ("2023-9-20", "not a date"),
])
def test_impossible_dates(text: str, fragment: str) -> None:
    with pytest.raises(DateError, match=fragment):
        PartialDate.parse(text)


def test_leap_day_exists_in_leap_years() -> None:
    assert PartialDate.parse("2024-02-29").precision is Precision.DAY


def test_order_respects_zones_and_precision() -> None:
    day19, day20 = PartialDate.parse("2023-09-19"), PartialDate.parse("2023-09-20")
    assert day19.surely_before(day20) and not day20.surely_before(day19)
    # 23:30 in Baku on the 19th is 19:30 UTC: a zone-less 20th may already have begun somewhere.
    late = PartialDate.parse("2023-09-19T23:30+04:00")
    assert not late.surely_before(day20)
    assert PartialDate.parse("2023-09-18T12:00+04:00").surely_before(day20)
    assert not PartialDate.parse("2023").surely_before(PartialDate.parse("2023-09"))
