"""Property-based tests: whatever the input, the pipeline returns problems
and never raises."""

from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.discover import RecordFile
from generator.link import link
from generator.load import Loaded, parse_bytes, parse_text
from generator.model import FOLDERS, KINDS
from generator.problems import CODES
from generator.validate import Entry, validate

KIND_NAMES = sorted(KINDS)

# Field names the model knows, so generated records get deep into validation.
FIELD_NAMES = sorted({alias for cls in KINDS.values() for alias in (i.alias or n for n, i in cls.model_fields.items())}
                     | {"title", "text", "name", "select", "ids", "from", "lat", "value", "actor"})
IDS = st.sampled_from(["report", "a", "ceasefire", "Bad Id", "x" * 90, "../etc/passwd", ""])
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.text(max_size=30), IDS,
    st.sampled_from(["2023-09-20", "2023-02-30", "2023-09-20T13:00+04:00", "2023-09-20T13:00", "13:00", "no", "2023"]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8)), children, max_size=6),
    ),
    max_leaves=25,
)
records = st.dictionaries(st.sampled_from(FIELD_NAMES), documents, max_size=10)


def _assert_problems(problems: list[Any]) -> None:
    for p in problems:
        assert p.code in CODES
        assert p.message
        assert p.line >= 0 and p.column >= 0


@given(st.binary(max_size=400))
def test_loader_takes_any_bytes(raw: bytes) -> None:
    _text, data, problems = parse_bytes(raw, "briefings/events/x.yaml")
    _assert_problems(problems)
    assert data is None or isinstance(data, dict)
    if data is None:
        assert any(p.is_error for p in problems)


@given(st.text(alphabet=st.sampled_from(list("ab:- \n\t[]{}&*!|>'\"#?,%@`0129.~\\") + ["é", "\x00", "\ufeff"]),
               max_size=200))
def test_loader_takes_any_yaml_ish_text(text: str) -> None:
    data, problems = parse_text(text, "briefings/events/x.yaml")
    _assert_problems(problems)
    assert data is None or isinstance(data, dict)


def _entry(kind: str, data: Any) -> tuple[Entry | Any, list[Any]]:
    text = yaml.safe_dump(data, allow_unicode=True)
    rel = f"briefings/{FOLDERS[kind]}/rec.yaml"
    file = RecordFile(Path(rel), rel, kind, "rec")
    parsed, problems = parse_text(text, rel)
    checked, more = validate(Loaded(file, text, parsed))
    return checked, problems + more


@given(st.sampled_from(KIND_NAMES), records)
def test_validator_takes_any_record(kind: str, data: dict[str, Any]) -> None:
    checked, problems = _entry(kind, data)
    _assert_problems(problems)
    if not isinstance(checked, Entry):
        assert any(p.is_error for p in problems) or checked.data is None


@given(st.lists(st.tuples(st.sampled_from(KIND_NAMES), records), max_size=5))
def test_linker_takes_any_corpus(items: list[tuple[str, dict[str, Any]]]) -> None:
    entries, invalid = [], []
    for i, (kind, data) in enumerate(items):
        checked, _ = _entry(kind, data)
        object.__setattr__(checked.file, "id", f"rec-{i}")  # distinct ids
        (entries if isinstance(checked, Entry) else invalid).append(checked)
    _corpus, problems = link(entries, invalid)
    _assert_problems(problems)


@given(st.sampled_from(KIND_NAMES), records)
def test_every_problem_points_into_the_file(kind: str, data: dict[str, Any]) -> None:
    """A located problem's line exists in the file it names."""
    text = yaml.safe_dump(data, allow_unicode=True)
    checked, problems = _entry(kind, data)
    lines = text.count("\n") + 1
    for p in problems:
        assert p.line <= lines


VALID = {
    "source": {"title": "R", "publisher": "P", "published": "2023-09-20", "kind": "news-report"},
    "actor": {"name": "A", "type": "person", "roles": [{"title": "President", "of": "rec-0", "start": "2023"}],
              "names": [{"name": "B", "lang": "hy", "used_by": ["rec-0"]}]},
    "place": {"name": "P", "type": "city", "part_of": "rec-0", "coordinates": {"lat": 39.8, "lon": 46.7}},
    "event": {"title": "T", "date": "2023-09-20T13:00+04:00", "summary": "S", "sources": ["rec-0"],
              "actors": [{"actor": "rec-1", "role": "party"}], "claims": ["rec-2"], "topics": ["t"]},
    "claim": {"statement": "S", "asserted_by": "O", "sources": ["rec-0"], "subject": "deaths", "value": 25},
    "quote": {"text": "W", "speaker": "rec-1", "said": "2023-09-20", "source": "rec-0", "event": "rec-3"},
    "brief": {"title": "B", "as_of": "2023-09-20T18:00+04:00", "bottom_line": "L",
              "key_points": [{"text": "K", "cites": ["rec-2"]}],
              "sections": [{"title": "S", "select": {"ids": ["rec-3"], "topics": ["t"], "from": "2023-09"}}]},
}


@given(st.sampled_from(KIND_NAMES), st.data())
def test_validator_takes_any_corruption_of_a_valid_record(kind: str, data: st.DataObject) -> None:
    record = dict(VALID[kind])
    field = data.draw(st.sampled_from(sorted(record)))
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace":
        record[field] = data.draw(documents)
    elif action == "delete":
        del record[field]
    else:
        record[data.draw(st.sampled_from(FIELD_NAMES))] = data.draw(documents)
    checked, problems = _entry(kind, record)
    _assert_problems(problems)
    entries = [checked] if isinstance(checked, Entry) else []
    _corpus, more = link(entries, [] if entries else [checked])
    _assert_problems(more)


def test_valid_records_are_valid() -> None:
    """The base of the corruption test is itself valid, so the test starts deep."""
    for kind, record in VALID.items():
        checked, problems = _entry(kind, record)
        assert isinstance(checked, Entry), (kind, problems)


def test_lines_are_counted_as_editors_count_them() -> None:
    """libyaml also breaks lines at U+0085 (found by the property above)."""
    text = 'title: "a\x85b"\npublisher: P\ntitle: again\n'
    _data, problems = parse_text(text, "briefings/sources/x.yaml")
    dup = next(p for p in problems if p.code == "duplicate-key")
    assert (dup.line, dup.column) == (3, 1)
    assert "first on line 1" in dup.message
