"""Claims on one subject compared as ranges: agree, compatible, revised, disputed (generator.compare)."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from generator.compare import Span, compare, overlap, span
from generator.dates import PartialDate
from generator.model import Claim
from generator.quantities import figure, number_words
from generator.vocabulary import Subject

DAY = PartialDate.parse("2023-09-20")


def claim(value: object = None, qualifier: str = "exact", by: str = "o", **more: Any) -> Claim:
    data: dict[str, Any] = {"statement": "s", "asserted_by": by, "sources": ["r"], "subject": "deaths",
                            "qualifier": qualifier, **more}
    if value is not None:
        data["value"] = value
    return Claim.model_validate(data)


def verdict(*claims: Claim, subject: Subject | None = None) -> tuple[str, tuple[str, ...]]:
    named = [(f"c{i}", c) for i, c in enumerate(claims)]
    dates = {cid: c.date or DAY for cid, c in named}
    found = compare("deaths", named, subject, lambda cid: dates[cid])
    return found.verdict, found.current


def test_two_lower_bounds_are_compatible_not_a_dispute() -> None:
    assert verdict(claim(25, "at-least", "Epoch"), claim(32, "at-least", "Bloomberg"))[0] == "compatible"


def test_disjoint_figures_and_different_positions_are_disputes() -> None:
    assert verdict(claim(25, by="a"), claim(32, by="b"))[0] == "dispute"
    assert verdict(claim(10, "fewer-than", "a"), claim(10, "at-least", "b"))[0] == "dispute"
    assert verdict(claim("present", by="a"), claim("absent", by="b"))[0] == "dispute"


def test_same_figure_or_position_agrees() -> None:
    assert verdict(claim(25, by="a"), claim(25.0, by="b"))[0] == "agree"
    assert verdict(claim("Present", by="a"), claim(" present", by="b"))[0] == "agree"


def test_about_is_within_ten_percent() -> None:
    assert verdict(claim(2000, "about", "a"), claim(1850, by="b"))[0] == "compatible"
    assert verdict(claim(2000, "about", "a"), claim(1700, by="b"))[0] == "dispute"


def test_almost_is_just_short_of_the_figure() -> None:
    """"Almost 2,000" (the report's word, kept): below 2,000, within 10% of it."""
    assert verdict(claim(2000, "almost", "a"), claim(1900, by="b"))[0] == "compatible"
    assert verdict(claim(2000, "almost", "a"), claim(2000, by="b"))[0] == "dispute"
    assert verdict(claim(2000, "almost", "a"), claim(1700, by="b"))[0] == "dispute"
    assert figure(claim(2000, "almost", unit="troops")) == "almost 2,000 troops"


def test_open_and_closed_ends_meet_only_when_both_are_closed() -> None:
    assert verdict(claim(10, "at-most", "a"), claim(10, "at-least", "b"))[0] == "compatible"
    assert verdict(claim(10, "fewer-than", "a"), claim(10, "at-least", "b"))[0] == "dispute"
    assert verdict(claim(10, "at-most", "a"), claim(10, "more-than", "b"))[0] == "dispute"


def test_money_in_two_spellings_and_scales_is_one_figure() -> None:
    money = Subject(label="How much is claimed?", unit="USD")
    a = claim(5, scale="million", unit="USD", by="a")
    b = claim(5_000_000, unit="US dollars", by="b")
    assert verdict(a, b, subject=money)[0] == "agree"
    assert figure(a) == figure(b) == "US$5 million"


def test_convertible_units_are_converted() -> None:
    weeks = Subject(label="How long?", unit="weeks")
    assert verdict(claim(6, unit="weeks", by="a"), claim(42, unit="days", by="b"), subject=weeks)[0] == "agree"


def test_a_unit_that_does_not_convert_is_an_issue() -> None:
    money = Subject(label="How much?", unit="USD")
    found = compare("m", [("a", claim(5, unit="EUR")), ("b", claim(5, unit="km", by="b"))], money, lambda c: DAY)
    assert [(i.claim, i.code) for i in found.issues] == [("a", "unit-mismatch"), ("b", "unit-mismatch")]


def test_words_on_a_figure_subject_are_an_issue() -> None:
    found = compare("m", [("a", claim("scores"))], Subject(label="How many?", unit="people"), lambda c: DAY)
    assert [i.code for i in found.issues] == ["answer-mismatch"]


def test_one_asserter_over_time_is_a_revision_series_latest_first() -> None:
    april = claim(9, scale="million", unit="USD", by="Authority", date="2024-04-02")
    may = claim(6, scale="million", unit="USD", by="Authority", date="2024-05-10")
    owner = claim(2, scale="million", unit="USD", by="Owner", date="2024-04-20")
    named = [("may", may), ("april", april), ("owner", owner)]
    dates = {cid: c.date for cid, c in named}
    found = compare("demand", named, None, lambda cid: dates[cid] or DAY)
    assert found.series == (("may", "april"),)
    assert found.current == ("owner", "may")  # by date
    assert found.verdict == "dispute"


def test_supersedes_joins_a_series_across_spellings_of_the_asserter() -> None:
    first = claim(25, "at-least", "Armenian officials", date="2023-09-20")
    later = claim(200, "at-least", "Officials in Yerevan", date="2023-09-25", supersedes="first")
    found = compare("deaths", [("first", first), ("later", later)], None, lambda c: DAY if c == "first" else
                    PartialDate.parse("2023-09-25"))
    assert found.series == (("later", "first"),)
    assert found.current == ("later",)
    assert found.verdict == "single"


def test_figures_print_as_readers_expect() -> None:
    assert number_words(5_250_000) == "5.25 million"
    assert number_words(5_250_001) == "5,250,001"
    assert number_words(2000) == "2,000"
    assert figure(claim(2000, "about", unit="troops")) == "about 2,000 troops"
    assert figure(claim(low=25, high=32, unit="people")) == "25–32 people"
    assert figure(claim(3.5, scale="billion", unit="AMD")) == "AMD\u00a03.5 billion"


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@st.composite
def spans(draw: st.DrawFn) -> Span:
    low, high = sorted((draw(finite), draw(finite)))
    low = draw(st.sampled_from([low, -math.inf]))
    high = draw(st.sampled_from([high, math.inf]))
    return Span(low, high, draw(st.booleans()), draw(st.booleans()))


@given(st.lists(spans(), min_size=1, max_size=5))
def test_overlap_does_not_depend_on_order(items: list[Span]) -> None:
    assert overlap(items) == overlap(list(reversed(items)))


@given(spans(), spans())
def test_overlap_agrees_with_a_witness_value(a: Span, b: Span) -> None:
    def holds(s: Span, x: float) -> bool:
        return (s.low < x or (s.low == x and not s.low_open)) and (x < s.high or (x == s.high and not s.high_open))
    candidates = [v for v in (a.low, a.high, b.low, b.high, (max(a.low, b.low) + min(a.high, b.high)) / 2)
                  if math.isfinite(v)] or [0.0]
    if any(holds(a, x) and holds(b, x) for x in candidates):
        assert overlap([a, b])


@given(st.integers(min_value=0, max_value=10**12))
def test_a_figure_lies_in_its_own_span(n: int) -> None:
    for qualifier in ("exact", "about", "at-least", "at-most"):
        s = span(claim(n, qualifier))
        assert s is not None and s.low <= n <= s.high
