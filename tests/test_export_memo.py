"""The exports' memo (generator.export_memo): an export that takes objects
an earlier one made gives the same bytes as one made from scratch, after
edits; only the objects whose inputs changed are made again; nothing but
plain data can be a key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.serve_latency import with_title
from bench.synth import generate
from generator.dates import PartialDate
from generator.export_context import ExportContext
from generator.export_memo import Memo
from generator.exports import export, export_in_background
from generator.options import settings_of
from generator.page_cache import MemoFile
from generator.pipeline import export_context, prepare
from generator.publish import Policy, clock
from generator.settings import load_engine_config

plain = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                  max_size=3),
                     max_leaves=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["stix2.Note", "ftm"]), plain), max_size=12))
def test_each_input_is_made_once_and_remembered_by_the_next_run(calls: list[tuple[str, object]]) -> None:
    made: list[tuple[str, str]] = []

    def maker(kind: str, inputs: object) -> Callable[[], object]:
        def make() -> object:
            made.append((kind, repr(inputs)))
            return {"made": len(made)}
        return make

    memo = Memo()
    first = [memo.made(kind, inputs, maker(kind, inputs)) for kind, inputs in calls]
    distinct = {(kind, repr(inputs)) for kind, inputs in calls}
    assert len(made) == memo.made_here == len(distinct)
    # The next run is given what this one used: it makes nothing, and gets the same values.
    again = Memo(memo.used)
    assert [again.made(kind, inputs, maker(kind, inputs)) for kind, inputs in calls] == first
    assert again.made_here == 0 and len(made) == len(distinct)


@pytest.mark.parametrize("key", [PartialDate.parse("2023-09-19"), {"when": object()}, [b"bytes"],
                                 type("Text", (str,), {})("x")], ids=["date", "object", "bytes", "str-subclass"])
def test_only_plain_data_is_a_key(key: object) -> None:
    """An object's repr need not say all of its content: it cannot be a key."""
    with pytest.raises(TypeError, match="not plain data"):
        Memo().made("ftm", {"value": key}, lambda: {})


def _context(root: Path) -> ExportContext:
    config = load_engine_config(root, strict=True)
    ready = prepare(settings_of(config), policy=Policy(clock(), None))
    assert ready.ok
    return export_context(ready, settings_of(config))


def _retitle(root: Path, rel: str, title: str) -> None:
    path = root / "briefings" / rel
    path.write_text(with_title(path.read_text(encoding="utf-8"), title), encoding="utf-8")


def test_an_export_after_an_edit_equals_one_from_scratch(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    generate(root, 80)
    store = MemoFile(tmp_path / "cache" / "exports.pickle")
    formats = ("stix", "ftm")
    first = export_in_background(_context(root), formats, store).result()
    assert first == export(_context(root), formats)
    known = store.load()
    assert len(known) > 100
    _retitle(root, "events/event-00010.yaml", 'Shelling near the line & <more>')
    ctx = _context(root)
    memo = Memo(store.load())
    edited = export(replace(ctx, memo=memo), formats)
    # What changed: the event's grouping and its relationships (which name it),
    # the FtM event; everything else was taken from the earlier export.
    assert 0 < memo.made_here < len(memo.used) // 10, (memo.made_here, len(memo.used))
    assert edited == export(_context(root), formats), "a memo's export differs from one made from scratch"
    assert edited != first
    assert b"Shelling near the line & <more>" in edited["briefing.stix.json"]
    # And through the worker, which leaves the new objects for the next export.
    assert export_in_background(ctx, formats, store).result() == edited
    assert len(store.load()) == len(memo.used)


def test_a_store_this_user_did_not_sign_is_not_used(tmp_path: Path) -> None:
    store = MemoFile(tmp_path / "exports.pickle")
    store.save({b"k" * 16: {"made": 1}})
    assert store.load() == {b"k" * 16: {"made": 1}}
    data = store.path.read_bytes()
    store.path.write_bytes(b"\0" * 32 + data[32:])
    assert store.load() == {}
