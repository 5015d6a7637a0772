"""Structure-aware fuzzing of the whole read side, in every test run.

A small valid corpus (``fuzzing.BASE``) is mutated the ways records go
wrong: a field set to a hostile value (dates at the calendar's edges, huge
and non-finite numbers, control and invisible characters, markup, ids that
point elsewhere), a field removed, a field added, a file's text cut, spliced
or given raw bytes, an alias chain. Each mutated corpus goes through load,
validate, link, publish (now, and as of a moment) and render, and must come
out as problems or pages, never as an exception (``fuzzing.exercise``).

The budget is bounded (CI runs a fixed, derandomised set of examples); the
open-ended run is ``make fuzz`` (atheris, tools/fuzz.py).
"""

from __future__ import annotations

import copy
from typing import Any

import yaml
from fuzzing import BASE, HOSTILE_SCALARS, KINDS_OF_FILES, base_files, base_text, exercise
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import KINDS

FIELD_NAMES = sorted({alias for cls in KINDS.values() for alias in (i.alias or n for n, i in cls.model_fields.items())})
AS_OF = st.sampled_from(["2023-09-20T12:00+04:00", "0001-01-01", "9999-12-31T23:59-12:00", "9999", "2023",
                         "0001-01-01T00:00+14:00"])

hostile = st.one_of(
    st.sampled_from(HOSTILE_SCALARS),
    st.integers(),
    st.floats(),
    st.text(max_size=40),
    st.lists(st.sampled_from(HOSTILE_SCALARS), max_size=3),
    st.dictionaries(st.sampled_from(FIELD_NAMES), st.sampled_from(HOSTILE_SCALARS), max_size=3),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a record's data, down to its scalars."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _paths(item, (*prefix, i))
    return out


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _delete(data: Any, path: tuple[Any, ...]) -> None:
    for part in path[:-1]:
        data = data[part]
    del data[path[-1]]


@st.composite
def mutated_corpora(draw: st.DrawFn) -> dict[str, bytes]:
    files = base_files()
    for _ in range(draw(st.integers(1, 3))):
        rel = draw(st.sampled_from(KINDS_OF_FILES))
        how = draw(st.sampled_from(["set", "set", "set", "delete", "add", "text", "bytes", "alias"]))
        if how in ("set", "delete", "add"):
            try:
                data = yaml.safe_load(files[rel])
            except (yaml.YAMLError, ValueError):
                data = None
            if not isinstance(data, dict):
                data = copy.deepcopy(BASE[rel])
            paths = _paths(data)
            if how == "add" or not paths:
                data[draw(st.sampled_from([*FIELD_NAMES, "x", "na\x07me"]))] = draw(hostile)
            elif how == "set":
                _set(data, draw(st.sampled_from(paths)), draw(hostile))
            else:
                _delete(data, draw(st.sampled_from(paths)))
            try:
                files[rel] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
            except (yaml.YAMLError, ValueError):
                continue
        elif how == "text":
            text = files[rel].decode("utf-8", "replace")
            cut = draw(st.integers(0, len(text)))
            insert = draw(st.one_of(st.sampled_from(["\n", ": ", "- ", "  ", "&a ", "*a", "!!str ", '"\\x85"', "\t",
                                                     "? ", "<<: ", "---\n", "'", '"\\uFFFE"']),
                                    st.text(max_size=10)))
            files[rel] = (text[:cut] + insert + text[draw(st.integers(cut, len(text))):]).encode("utf-8")
        elif how == "bytes":
            files[rel] = draw(st.binary(max_size=200))
        else:
            depth = draw(st.integers(1, 120))
            lines = [base_text(rel).rstrip("\n"), "x0: &a0 [v]"]
            lines += [f"x{i}: &a{i} [*a{i - 1}]" for i in range(1, depth)]
            files[rel] = "\n".join(lines).encode("utf-8")
    return files


@settings(max_examples=200)
@given(mutated_corpora(), AS_OF)
def test_any_mutation_of_a_corpus_gives_problems_or_pages(files: dict[str, bytes], as_of: str) -> None:
    exercise(files, as_of)


def test_the_base_corpus_is_valid_and_renders() -> None:
    """The fuzzing starts deep: its base corpus passes without a problem."""
    problems = exercise(base_files())
    assert [p for p in problems if p.is_error] == []


@given(st.sampled_from(KINDS_OF_FILES), st.sampled_from(HOSTILE_SCALARS), AS_OF)
def test_each_hostile_value_in_each_date_field(rel: str, value: Any, as_of: str) -> None:
    """Every date field of every kind, given each hostile value."""
    files = base_files()
    data = dict(BASE[rel])
    for key in [k for k in ("published", "date", "end", "said", "as_of", "retracted", "embargo_until",
                            "review_by", "reviewed") if k in data or k in ("embargo_until", "review_by")]:
        data[key] = value
    files[rel] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    exercise(files, as_of)
