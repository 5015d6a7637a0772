"""The fuzz target: one corpus, in memory, through the whole read side.

``exercise(files)`` takes record files (``{"briefings/claims/c.yaml":
bytes}``) and runs them through load, validate, link, publish (now, and as
of a moment) and render, site pages and print HTML alike. Whatever the
bytes, it must not raise; what it returns as problems must keep the
promises reports make (registered codes, one line each, valid JSON), and
every page it renders must keep its front matter.

Two drivers use it: tests/test_fuzz.py (hypothesis, structure-aware, a
bounded budget in every test run) and tools/fuzz.py (atheris, coverage
guided, ``make fuzz``).
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment

from generator.chars import REFUSED
from generator.dates import DateError, PartialDate
from generator.discover import RecordFile
from generator.link import link
from generator.load import Loaded, parse_bytes
from generator.model import KIND_OF_FOLDER
from generator.print_views import PdfOptions, PrintRenderer, print_env
from generator.problems import CODES, Problem, format_github, format_json, format_text
from generator.publish import Policy, publish
from generator.render import SiteOptions, render_pages
from generator.templating import make_env, template_dirs
from generator.validate import Entry, Invalid, review_due, validate

NOW = datetime(2026, 11, 1, tzinfo=UTC)

# A small corpus in which every kind refers to the others: mutations of it
# reach deep into linking, publishing and rendering.
BASE: dict[str, dict[str, Any]] = {
    "briefings/sources/report.yaml": {
        "title": "Report", "publisher": "News", "published": "2023-09-20", "kind": "news-report",
        "url": "https://example.org/r", "reliability": "B", "credibility": 2},
    "briefings/sources/later.yaml": {
        "title": "Later report", "publisher": "Wire", "published": "2023-09-22T10:00+04:00", "kind": "report"},
    "briefings/actors/a.yaml": {
        "name": "A", "type": "state", "names": [{"name": "Aa", "lang": "hy", "used_by": ["b"]}],
        "relations": [{"type": "opposed-to", "actor": "b", "start": "2020"}]},
    "briefings/actors/b.yaml": {
        "name": "B", "type": "person", "roles": [{"title": "President", "of": "a", "start": "2003-10"}]},
    "briefings/places/p.yaml": {
        "name": "P", "type": "city", "coordinates": {"lat": 39.8, "lon": 46.7},
        "names": [{"name": "Q", "used_by": ["a"]}]},
    "briefings/events/e.yaml": {
        "title": "E", "date": "2023-09-19T13:00+04:00", "end": "2023-09-20", "summary": "S",
        "sources": ["report"], "actors": [{"actor": "a", "role": "party"}], "places": ["p"], "claims": ["c", "d"],
        "topics": ["t"]},
    "briefings/claims/c.yaml": {
        "statement": "S", "asserted_by": "O", "sources": ["report"], "subject": "deaths", "value": 25,
        "qualifier": "at-least", "unit": "people", "actors": ["a"], "date": "2023-09-20"},
    "briefings/claims/d.yaml": {
        "statement": "T", "asserted_by": "P", "sources": ["later"], "subject": "deaths", "low": 30, "high": 40,
        "unit": "people"},
    "briefings/quotes/q.yaml": {
        "text": "Words.", "speaker": "b", "said": "2023-09-20", "source": "report", "event": "e"},
    "briefings/briefs/br.yaml": {
        "title": "Brief", "as_of": "2023-09-22T18:00+04:00", "bottom_line": "L",
        "key_points": [{"text": "K", "cites": ["c", "q"]}],
        "sections": [{"title": "S", "select": {"ids": ["e"], "topics": ["t"], "from": "2023-09"}}]},
}

# Values that broke, or could break, something downstream of the loader.
HOSTILE_SCALARS: list[Any] = [
    "0001-01-01", "9999-12-31", "9999-12-31T23:59-12:00", "0001-01-01T00:00+14:00", "9999", "0001",
    "9999-12", "2023-02-29", "\u0662\u0660\u0662\u0663", "2023-09-20T24:00+04:00", 10**20, -(10**20),
    2**53 - 1, 2**53, 1e308, float("inf"), float("nan"), -0.0, 0, "", " ", "TODO", "no", "13:00", "1_000",
    "a\x85b", "A\u202eB", "zero\u200bwidth", "\ufffe", "\x7f", "<script>alert(1)</script>",
    "[x](javascript:alert(1))", "{{ 7*7 }}", "---\ntitle: x", "line\nbreak", "\u2028", "#", "*a", "&a",
    "x" * 300, "../../etc/passwd", "report", "a", "b", "c", "e", "p", "q", "br", "later",
]

KINDS_OF_FILES = sorted(BASE)


def base_text(rel: str) -> str:
    return yaml.safe_dump(BASE[rel], allow_unicode=True, sort_keys=False)


def base_files() -> dict[str, bytes]:
    return {rel: base_text(rel).encode("utf-8") for rel in BASE}


@cache
def _env() -> Environment:
    return make_env(template_dirs(None))


@cache
def _print_env() -> Environment:
    return print_env(None)


def exercise(files: dict[str, bytes], as_of: str = "2023-09-20T12:00+04:00") -> list[Problem]:
    """Run one corpus through the pipeline; raises on any broken promise."""
    entries: list[Entry] = []
    invalid: list[Invalid] = []
    problems: list[Problem] = []
    for rel, raw in sorted(files.items()):
        folder, name = rel.split("/")[1:3]
        record = RecordFile(Path(rel), rel, KIND_OF_FOLDER[folder], name.rsplit(".", 1)[0])
        text, data, found = parse_bytes(raw, rel)
        checked, more = validate(Loaded(record, text, data))
        problems += found + more
        if isinstance(checked, Entry):
            entries.append(checked)
            due = review_due(checked, NOW)
            problems += [due] if due is not None else []
        else:
            invalid.append(checked)
    corpus, more = link(entries, invalid)
    problems += more
    check_reports(problems, len(files))
    if any(p.is_error for p in problems):
        return problems
    moments: list[PartialDate | None] = [None]
    with contextlib.suppress(DateError):
        moments.append(PartialDate.parse(as_of))
    for moment in moments:
        published = publish(corpus, Policy(NOW, moment)).corpus
        pages = render_pages(published, None, SiteOptions("Fuzz", as_of=moment), env=_env())
        for path, page in pages.items():
            check_front_matter(path, page)
        printer = PrintRenderer(published, None, PdfOptions(as_of=moment, edition="fuzz"))
        printer.env = _print_env()  # compiled once: the templates are not what is fuzzed
        for brief in published.by_kind["brief"]:
            html, _view = printer.document(brief)
            assert "<html" in html
    return problems


def check_reports(problems: list[Problem], files: int) -> None:
    """Registered codes, places that exist, one printable line a problem
    (a hint on the next), and JSON that reads back."""
    for p in problems:
        assert p.code in CODES, p
        assert p.message, p
        assert p.line >= 0 and p.column >= 0, p
    text = format_text(problems)
    assert len(text.splitlines()) == len(problems) + sum(1 for p in problems if p.hint), text
    assert not REFUSED.search(text.replace("\n", "")), text
    assert len(format_github(problems).splitlines()) == len(problems)
    doc = json.loads(format_json(problems, files))
    assert len(doc["problems"]) == len(problems)


def check_front_matter(path: str, page: str) -> None:
    """A page that has front matter keeps it: it parses, and names a title."""
    if not page.startswith("---\n"):
        return
    head = page[4:page.index("\n---\n", 4)]
    meta = yaml.load(head, Loader=yaml.CSafeLoader)
    assert isinstance(meta, dict), (path, head)
    if "title" in meta:
        assert isinstance(meta["title"], str) and meta["title"], (path, head)
