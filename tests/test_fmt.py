"""`briefing fmt`: canonical field order and quoting, comments kept, data
never changed, files that do not load left alone, and the CLI."""

import itertools
import math
import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st

import generator.fmt
from generator.cli import main
from generator.fmt import format_record, needs_quotes
from generator.load import parse_text

REPO = Path(__file__).resolve().parent.parent
SAMPLE = sorted((REPO / "briefings").glob("*/*.yaml"))
FOLDER = {"actor": "actors", "place": "places", "event": "events", "claim": "claims", "brief": "briefs",
          "source": "sources", "quote": "quotes"}


def fmt(text: str, kind: str = "brief") -> str:
    result = format_record(text, kind, f"briefings/{FOLDER[kind]}/x.yaml")
    assert result.problems == []
    assert result.text is not None
    return result.text


def load(text: str) -> Any:
    data, problems = parse_text(text, "x.yaml")
    assert data is not None, problems
    assert not [p for p in problems if p.is_error], problems
    return data


def same(a: Any, b: Any) -> bool:
    """Equal, types included: 1, 1.0 and True are three different values."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def comment_lines(text: str) -> list[str]:
    """The lines that are only a comment."""
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def comments(text: str) -> list[str]:
    """Every comment, end-of-line ones too, sorted (none of our inputs has a '#' in a value)."""
    return sorted(m.group(1).rstrip() for m in re.finditer(r"(?:^|[ \t])(#.*)$", text, re.MULTILINE))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- field order ---------------------------------------------------------------

SCRAMBLED_BRIEF = """\
sections:
- select:
    to: "2023-09-21"
    topics: [ceasefire]
    from: "2023-09-19"
    ids: [a]
  summary: S
  title: T
key_points:
- cites: [c]
  text: K
zz_typo: 1
title: Title
as_of: "2023-09-20T18:00+04:00"
notes: N
bottom_line: B
id: x
aa_typo: 2
"""


def test_fields_of_a_scrambled_record_in_schema_order_nested_too() -> None:
    data = load(fmt(SCRAMBLED_BRIEF))
    # Unknown fields (typos) keep their order, after the known ones.
    assert list(data) == ["id", "title", "as_of", "bottom_line", "key_points", "sections", "notes", "zz_typo",
                          "aa_typo"]
    assert list(data["key_points"][0]) == ["text", "cites"]
    assert list(data["sections"][0]) == ["title", "summary", "select"]
    assert list(data["sections"][0]["select"]) == ["ids", "topics", "from", "to"]
    assert same(data, load(SCRAMBLED_BRIEF))


def test_nested_models_of_other_kinds_are_ordered() -> None:
    actor = load(fmt("summary: S\nroles:\n- end: '2020'\n  of: y\n  title: T\nnames:\n- used_by: [a]\n"
                     "  lang: hy\n  name: N\ntype: person\nname: X\n", "actor"))
    assert list(actor) == ["name", "type", "names", "roles", "summary"]
    assert list(actor["roles"][0]) == ["title", "of", "end"]
    assert list(actor["names"][0]) == ["name", "lang", "used_by"]
    place = load(fmt("coordinates: {lon: 46.7, lat: 39.8}\ntype: city\nname: P\n", "place"))
    assert list(place["coordinates"]) == ["lat", "lon"]
    event = load(fmt("sources: [s]\nactors:\n- role: party\n  actor: a\ntitle: T\ndate: '2023'\nsummary: S\n",
                     "event"))
    assert list(event) == ["title", "date", "summary", "actors", "sources"]
    assert list(event["actors"][0]) == ["actor", "role"]


def test_unknown_nested_mappings_keep_their_order() -> None:
    out = fmt("name: X\ntype: person\nextra:\n  zeta: 1\n  alpha: 2\n", "actor")
    assert list(load(out)["extra"]) == ["zeta", "alpha"]


# --- comments -------------------------------------------------------------------

COMMENTED = """\
# yaml-language-server: $schema=../../schema/actor.schema.json
# A new actor: replace each TODO.

type: person  # one of: state, person
# about the summary
summary: S  # end of the summary line
name: X
# draft: false  # commented-out optional field
roles:
- of: z
  # about the title
  title: T
  # closing the first role
- title: U
# notes: TODO  # commented out at the end
"""


def test_every_comment_line_survives_with_its_text() -> None:
    out = fmt(COMMENTED, "actor")
    assert len(comment_lines(out)) == len(comment_lines(COMMENTED)) == 7
    assert sorted(comment_lines(out)) == sorted(comment_lines(COMMENTED))
    assert len(comments(out)) == 9
    assert comments(out) == comments(COMMENTED)
    assert same(load(out), load(COMMENTED))


def test_comments_stay_with_what_they_describe() -> None:
    lines = fmt(COMMENTED, "actor").splitlines()
    assert lines[:3] == ["# yaml-language-server: $schema=../../schema/actor.schema.json",
                         "# A new actor: replace each TODO.", ""]
    # A comment line moves with the field under it.
    assert lines[lines.index("summary: S  # end of the summary line") - 1] == "# about the summary"
    assert lines[lines.index("roles:") - 1] == "# draft: false  # commented-out optional field"
    assert "type: person  # one of: state, person" in lines
    # Above a list item's first field, it goes above the dash.
    assert lines[lines.index("- title: T") - 1] == "# about the title"
    # Indented at the end of a nested mapping, it stays at its end.
    assert lines[lines.index("  of: z") + 1] == "  # closing the first role"
    assert lines[-1] == "# notes: TODO  # commented out at the end"


def test_comments_on_block_scalars_and_empty_collections_survive() -> None:
    text = "name: X\ntype: person\nnames: []  # none yet\nsummary: |  # literal\n  one\n  # not a comment\n"
    out = fmt(text, "actor")
    assert "names: []  # none yet\n" in out
    assert "summary: |  # literal\n  one\n  # not a comment\n" in out
    assert load(out)["summary"] == "one\n# not a comment\n"


# --- quoting --------------------------------------------------------------------

AMBIGUOUS = ["no", "No", "NO", "yes", "Yes", "on", "Off", "y", "n", "Y", "true", "False", "null", "~", "13:00",
             "-1:30", "1_000", "0x1F", "0o17", "0b101", "012", "12", "1.5", "1e3", "1_000.5", ".inf", "-.Inf",
             ".NaN", "=", "<<"]


@pytest.mark.parametrize("value", AMBIGUOUS)
def test_what_yaml_1_1_reads_otherwise_needs_quotes(value: str) -> None:
    assert needs_quotes(value)


@pytest.mark.parametrize("value", ["ceasefire", "Nagorno-Karabakh", "2020-war", "13 September", "x: y", "#x",
                                   "no-fly zone", "nothing", "1st", "v1.2a"])
def test_ordinary_text_needs_no_quotes_of_its_own(value: str) -> None:
    # ("x: y" and "#x" need quotes for YAML syntax; the emitter sees to that.)
    assert not needs_quotes(value)


def test_yaml_1_1_ambiguous_strings_are_quoted_and_stay_strings() -> None:
    plain = ["no", "13:00", "1_000", "on", "y"]  # unquoted: text to our reader, a warning each
    quoted = [v for v in AMBIGUOUS if v not in plain]
    text = "title: T\ntopics:\n" + "".join(f"- {v}\n" for v in plain) + "".join(f"- '{v}'\n" for v in quoted)
    before = load(text)
    out = fmt(text, "event")
    assert same(load(out), before)
    assert all(isinstance(v, str) for v in before["topics"])
    _data, problems = parse_text(out, "x.yaml")
    assert problems == []  # no yaml11-ambiguous warning left
    # A YAML 1.1 reader (PyYAML) now reads the same strings.
    assert yaml.safe_load(out)["topics"] == before["topics"]
    for line in out.splitlines()[2:]:
        assert line[2] in "'\"", line


def test_dates_are_double_quoted_slugs_are_not() -> None:
    text = ("title: T\ndate: '2023-09-20T13:00+04:00'\nend: 2023-09-21\nreviewed: '2023'\nsummary: S\n"
            "topics:\n- 2020-war\n- '2023-09'\nsources: [s]\n")
    out = fmt(text, "event")
    assert 'date: "2023-09-20T13:00+04:00"\n' in out
    assert 'end: "2023-09-21"\n' in out
    assert 'reviewed: "2023"\n' in out
    assert '- "2023-09"\n' in out
    assert "- 2020-war\n" in out
    assert same(load(out), load(text))


def test_needless_quotes_go_numbers_and_booleans_stay_as_written() -> None:
    text = "name: 'X'\ntype: \"person\"\ndraft: True\ncount: 0x1F\nsize: 7.178969731036557e+16\nratio: 1.50\n"
    out = fmt(text, "actor")
    assert out == "draft: True\nname: X\ntype: person\ncount: 0x1F\nsize: 7.178969731036557e+16\nratio: 1.50\n"
    assert same(load(out), load(text))


def test_text_that_needs_quotes_keeps_its_quotes() -> None:
    text = "name: 'Background: the ''war'''\ntype: \"person: 'x'\"\nsummary: 'a # b'\n"
    assert fmt(text, "actor") == text


def test_block_scalars_keep_their_style() -> None:
    text = ("title: T\ndate: '2023'\nsummary: |\n  First line.\n    Indented: kept.\n\n  After a blank line.\n"
            "notes: >-\n  Folded text\n  over two lines.\nsources: [s]\n")
    out = fmt(text, "event")
    assert "summary: |\n  First line.\n    Indented: kept.\n\n  After a blank line.\n" in out
    assert "notes: >-\n  Folded text\n  over two lines.\n" in out
    assert same(load(out), load(text))


def test_long_text_wraps_as_the_sample_corpus_does() -> None:
    words = "word " * 40
    out = fmt(f"title: T\nas_of: '2023'\nbottom_line: {words.strip()}\n")
    lines = out.splitlines()
    first = lines[2]
    assert first.startswith("bottom_line: word") and 110 < len(first) <= 115
    assert all(line == line.rstrip() for line in lines)  # no blank at the end of a line
    assert load(out)["bottom_line"] == words.strip()


# --- idempotence, the sample corpus -----------------------------------------------------


@pytest.mark.parametrize("path", SAMPLE, ids=[f"{p.parent.name}/{p.name}" for p in SAMPLE])
def test_formatting_twice_changes_nothing_more_on_every_sample_file(path: Path) -> None:
    kind = path.parent.name[:-1]
    text = path.read_text(encoding="utf-8")
    once = fmt(text, kind)
    assert fmt(once, kind) == once
    assert same(load(once), load(text))


def test_the_sample_corpus_passes_the_run_time_stability_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each sample file, written out in another style (keys sorted, indented by 4, wrapped at 60), is
    formatted, and the result formatted again by fmt's own check: nothing is refused."""
    real = generator.fmt._canonical_text
    texts: list[str] = []

    def spy(text: str, *args: Any) -> str:
        texts.append(text)
        return real(text, *args)

    monkeypatch.setattr(generator.fmt, "_canonical_text", spy)
    for path in SAMPLE:
        restyled = yaml.safe_dump(load(path.read_text(encoding="utf-8")), sort_keys=True, indent=4, width=60,
                                  allow_unicode=True)
        del texts[:]
        result = format_record(restyled, path.parent.name[:-1], f"briefings/{path.parent.name}/{path.name}")
        assert result.problems == [], path
        assert texts == [restyled, result.text], path  # the result was formatted again


MESSY = [
    SCRAMBLED_BRIEF,
    COMMENTED,
    "---\nname: X\ntype: person\nroles:\n    -   title: T\n        of: y\n    -   {title: U}\n...\n",
    "name: X\r\ntype: person\r\n# a comment\r\nsummary: 'quoted text'\r\n",
    "{name: X, type: person, names: [{name: A, used_by: [a, b]}], summary: \"a: b\"}\n",
    "name: X\n\n\n\ntype: person  \n# trailing\n\n\n",
    "   name: X\n   type: person\n   # indented\n   summary: S\n",
    "name: X\ntype: person\nroles:\n- title: T  # eol\n  # inside\n\n# between\n- title: U\n  # last\n",
    "name: X\ntype: person\nnames:\n- - - deep  # eol\n  - []  # empty\n- |  # block item\n  text\n",
    "type: person\n\n# about the name, which comes first\nname: X\n",
]


@pytest.mark.parametrize("text", MESSY, ids=range(len(MESSY)))
def test_messy_inputs_keep_data_and_comments_and_settle(text: str) -> None:
    kind = "brief" if text is SCRAMBLED_BRIEF else "actor"
    once = fmt(text, kind)
    assert same(load(once), load(text))
    assert comments(once) == comments(text)
    assert fmt(once, kind) == once
    assert once.endswith("\n") and not once.endswith("\n\n") and not once.startswith("---")


def test_the_sample_corpus_is_canonical() -> None:
    code, _out, err = run("fmt", "--check", "-C", str(REPO))
    assert code == 0, err
    assert " 0 files would be reformatted" in f" {err}"


# --- the command ------------------------------------------------------------------

SCRAMBLED_CLAIM = "sources: [s]\nasserted_by: O\nstatement: S  # kept\n"


def corpus(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / "briefings" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_check_exits_1_on_a_file_that_is_not_canonical_and_writes_nothing(tmp_path: Path) -> None:
    root = corpus(tmp_path, {"claims/x.yaml": SCRAMBLED_CLAIM})
    path = root / "briefings/claims/x.yaml"
    code, out, err = run("fmt", "--check", "-C", str(root))
    assert code == 1
    assert "would reformat briefings/claims/x.yaml" in err
    assert "1 file would be reformatted, 0 unchanged" in err
    assert out == ""
    assert path.read_text(encoding="utf-8") == SCRAMBLED_CLAIM
    code, out, _err = run("fmt", "--check", "--diff", "-C", str(root))
    assert code == 1
    assert "--- a/briefings/claims/x.yaml\n+++ b/briefings/claims/x.yaml\n" in out
    assert "+statement: S  # kept\n" in out
    assert path.read_text(encoding="utf-8") == SCRAMBLED_CLAIM
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.yaml"]


def test_fmt_rewrites_only_what_changes(tmp_path: Path) -> None:
    canonical = "statement: S\nasserted_by: O\nsources:\n- s\n"
    root = corpus(tmp_path, {"claims/x.yaml": SCRAMBLED_CLAIM, "claims/y.yaml": canonical})
    x, y = root / "briefings/claims/x.yaml", root / "briefings/claims/y.yaml"
    x.chmod(0o640)
    y_before = y.stat()
    code, _out, err = run("fmt", "-C", str(root))
    assert code == 0, err
    assert "reformatted briefings/claims/x.yaml" in err
    assert "briefings/claims/y.yaml" not in err
    assert "1 file reformatted, 1 unchanged" in err
    assert x.read_text(encoding="utf-8") == "statement: S  # kept\nasserted_by: O\nsources:\n- s\n"
    assert x.stat().st_mode & 0o777 == 0o640
    y_after = y.stat()
    assert (y_after.st_ino, y_after.st_mtime_ns) == (y_before.st_ino, y_before.st_mtime_ns)
    assert sorted(p.name for p in x.parent.iterdir()) == ["x.yaml", "y.yaml"]  # no temporary file left
    code, _out, err = run("fmt", "-C", str(root))
    assert code == 0
    assert "0 files reformatted, 2 unchanged" in err
    assert run("fmt", "--check", "-C", str(root))[0] == 0


def test_named_files_only(tmp_path: Path) -> None:
    root = corpus(tmp_path, {"claims/x.yaml": SCRAMBLED_CLAIM, "claims/y.yaml": SCRAMBLED_CLAIM})
    code, _out, err = run("fmt", "-C", str(root), str(root / "briefings/claims/y.yaml"))
    assert code == 0
    assert (root / "briefings/claims/x.yaml").read_text(encoding="utf-8") == SCRAMBLED_CLAIM
    assert (root / "briefings/claims/y.yaml").read_text(encoding="utf-8") != SCRAMBLED_CLAIM
    assert "reformatted briefings/claims/y.yaml" in err


def test_files_that_do_not_load_are_reported_and_left_alone(tmp_path: Path) -> None:
    syntax = "title: Report\npublisher: [unclosed\nkind: report\n"
    duplicate = "title: Report\npublisher: P\ntitle: Again\n"
    root = corpus(tmp_path, {"sources/syntax.yaml": syntax, "sources/dup.yaml": duplicate,
                             "claims/x.yaml": SCRAMBLED_CLAIM})
    code, _out, err = run("fmt", "-C", str(root))
    assert code == 1
    assert "briefings/sources/dup.yaml:3:1: error: title: duplicate field 'title' (first on line 1)" in err
    assert "briefings/sources/syntax.yaml:3:" in err and "[yaml-syntax]" in err
    assert "1 file reformatted, 0 unchanged, 2 files not formatted" in err
    assert (root / "briefings/sources/syntax.yaml").read_text(encoding="utf-8") == syntax
    assert (root / "briefings/sources/dup.yaml").read_text(encoding="utf-8") == duplicate
    assert (root / "briefings/claims/x.yaml").read_text(encoding="utf-8") != SCRAMBLED_CLAIM


def test_a_result_that_would_change_the_data_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The safety net: whatever goes wrong inside, a changed value never reaches the file."""
    root = corpus(tmp_path, {"claims/x.yaml": SCRAMBLED_CLAIM})
    real = generator.fmt._canonical_text
    monkeypatch.setattr(generator.fmt, "_canonical_text",
                        lambda *args: real(*args).replace("asserted_by: O", "asserted_by: 0"))
    code, _out, err = run("fmt", "-C", str(root))
    assert code == 1
    assert "formatting would change the value of asserted_by [unformattable]" in err
    assert (root / "briefings/claims/x.yaml").read_text(encoding="utf-8") == SCRAMBLED_CLAIM


def test_a_result_that_would_lose_a_comment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = generator.fmt._canonical_text
    monkeypatch.setattr(generator.fmt, "_canonical_text", lambda *args: real(*args).replace("  # kept", ""))
    result = format_record(SCRAMBLED_CLAIM, "claim", "briefings/claims/x.yaml")
    assert result.text is None
    assert [(p.code, p.message) for p in result.problems] == [
        ("unformattable", "formatting would lose or repeat the comment '# kept'")]


def test_a_result_that_is_not_stable_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Formatting the result again must change nothing: a formatter that does not settle is a bug in
    briefing, reported, and the file is left as it is."""
    root = corpus(tmp_path, {"claims/x.yaml": SCRAMBLED_CLAIM})
    real = generator.fmt._canonical_text
    runs = itertools.count(1)
    # One more blank line on top at each run: the data and the comments stay, the text never settles.
    monkeypatch.setattr(generator.fmt, "_canonical_text", lambda *args: "\n" * next(runs) + real(*args))
    result = format_record(SCRAMBLED_CLAIM, "claim", "briefings/claims/x.yaml")
    assert result.text is None
    assert [(p.code, p.message, p.hint) for p in result.problems] == [
        ("unformattable", "formatting is not stable: formatting the result again changes its line 2, "
         "a bug in briefing's formatter",
         "the file is left as it is; please report this as a bug in `briefing fmt`")]
    for args in (("fmt", "-C", str(root)), ("fmt", "--check", "-C", str(root))):
        code, _out, err = run(*args)
        assert code == 1
        assert "a bug in briefing's formatter [unformattable]" in err
        assert "0 unchanged, 1 file not formatted" in err
        assert (root / "briefings/claims/x.yaml").read_text(encoding="utf-8") == SCRAMBLED_CLAIM
    assert sorted(p.name for p in (root / "briefings/claims").iterdir()) == ["x.yaml"]


def test_anchors_and_aliases_are_refused() -> None:
    result = format_record("statement: &s S\nasserted_by: *s\nsources: [s]\n", "claim", "briefings/claims/x.yaml")
    assert result.text is None
    assert [(p.code, p.line) for p in result.problems] == [("unformattable", 1)]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, _out, err = run("fmt", "-C", str(tmp_path))
    assert code == 2
    assert "no briefings/ folder" in err
    stray = tmp_path / "x.yaml"
    stray.write_text("a: 1\n", encoding="utf-8")
    assert run("fmt", str(stray))[0] == 2


# --- property: any record, dumped any way --------------------------------------------

NASTY = ["no", "No", "yes", "on", "OFF", "y", "n", "~", "null", "true", "13:00", "1_000", "0x1F", "012", ".inf", "1e3",
         "=", "<<", "#x", "x #y", ": ", "a: b", "- item", "? q", " leading", "trailing ", "'quoted'", '"double"',
         "it's", "back\\slash", "tab\there", "line\nbreak", "two\n\nbreaks", "", "Ստեփանակերտ", "Xankəndi", "🙂",
         "@at", "`tick", "%pc", "!bang", "&amp", "*star", "[x]", "{y}", "2023-09-20", "2023", "2020-war", "---",
         "lorem ipsum dolor sit amet " * 8]
FIELDS = ["name", "type", "summary", "roles", "title", "of", "names", "used_by", "notes", "unknown", "no", "1"]
text = st.one_of(st.sampled_from(NASTY), st.text(max_size=20),
                 st.text(alphabet=" ab'#:-\"é", min_size=30, max_size=150))  # long: wrapped
# fmt refuses field names that ruamel would write as complex keys; records never have them.
keys = st.one_of(st.sampled_from(FIELDS),
                 text.filter(lambda k: len(k) <= 100 and not any(c in k for c in "\n\r\x85\u2028\u2029")))
scalars = st.one_of(text, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(keys, inner, max_size=3)), max_leaves=10)
records = st.dictionaries(keys, values, min_size=1, max_size=6)


def _messy_dump(record: dict[str, Any], rnd: random.Random) -> str:
    """PyYAML's dump in some random style, with comment lines and end-of-line comments dropped in."""
    text = yaml.safe_dump(record, allow_unicode=rnd.random() < 0.5, default_flow_style=rnd.choice([True, False, None]),
                          indent=rnd.choice([2, 4]), width=rnd.choice([30, 80, 200]), sort_keys=rnd.random() < 0.5,
                          explicit_start=rnd.random() < 0.2)
    lines = text.split("\n")
    for n in range(rnd.randrange(4)):
        i = rnd.randrange(len(lines))
        if rnd.random() < 0.5:
            lines.insert(i, " " * (len(lines[i]) - len(lines[i].lstrip(" "))) + f"# line {n}")
        else:
            lines[i] += f"  # end {n}"
    return "\n".join(lines)


def _strings_read_alike(ours: Any, yaml11: Any) -> bool:
    """Every string we read is the same string to a YAML 1.1 reader."""
    if isinstance(ours, str):
        return ours == yaml11
    if isinstance(ours, dict):
        return isinstance(yaml11, dict) and all(_strings_read_alike(v, yaml11.get(k)) for k, v in ours.items())
    if isinstance(ours, list):
        return isinstance(yaml11, list) and all(_strings_read_alike(x, y) for x, y in zip(ours, yaml11, strict=True))
    return True


@given(records, st.randoms(use_true_random=False), st.sampled_from(["actor", "brief", "place", "claim"]))
def test_fmt_keeps_the_data_of_any_record_and_settles(record: dict[str, Any], rnd: random.Random, kind: str) -> None:
    text = _messy_dump(record, rnd)
    before, warned = parse_text(text, "x.yaml")
    assume(before is not None and not any(p.is_error for p in warned))  # a comment dropped into a flow mapping
    result = format_record(text, kind, f"briefings/{FOLDER[kind]}/x.yaml")
    assert result.problems == []
    assert result.text is not None
    after, problems = parse_text(result.text, "x.yaml")
    # No new problem: what the input was warned of stays (an invisible
    # character) or is gone (a value YAML 1.1 would misread, now quoted).
    assert {p.code for p in problems} <= {p.code for p in warned}
    assert same(after, before)
    assert _strings_read_alike(after, yaml.safe_load(result.text))
    assert format_record(result.text, kind, "x.yaml").text == result.text


def test_a_closing_comment_of_a_nested_block_keeps_that_blocks_column() -> None:
    # Found by hypothesis: a comment closing the flow mapping `type:` went
    # above `summary:` two columns short, and moved again the second time.
    text = ("{name: ['no', 'no', 'no'], summary: [],\n    roles: ['no', null, []], type: {\n"
            "        name: {name: [], type: [],\n            # line 0\n            summary: []}}, 'no': [\n"
            "        'no', []]}\n")
    once = format_record(text, "actor", "briefings/actors/x.yaml")
    assert once.problems == [] and once.text is not None
    assert "\n    type: []\n    # line 0\n    summary: []\n" in once.text
    assert format_record(once.text, "actor", "briefings/actors/x.yaml").text == once.text


def test_a_comment_among_numbers_puts_the_list_in_block_style() -> None:
    # Found by hypothesis: a list of numbers is written on one line, where
    # ruamel drops a comment between its items; with one, it stays a block.
    text = "name: null\n# line 1\ntype:\n# line 2\n- 0  # end 0\n"
    once = format_record(text, "actor", "briefings/actors/x.yaml")
    assert once.problems == [] and once.text is not None
    assert "type:\n# line 2\n- 0  # end 0\n" in once.text
    assert format_record(once.text, "actor", "briefings/actors/x.yaml").text == once.text
    plain = format_record("name: A\ntype: [0, 1]\n", "actor", "briefings/actors/x.yaml").text
    assert plain is not None and "type: [0, 1]\n" in plain  # without a comment, still one line
