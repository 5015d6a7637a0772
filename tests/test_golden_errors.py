"""Golden tests: each problem class, its input files and its exact report.

Each folder under tests/golden/errors/ is a small corpus; expected.txt holds
the text report `briefing check` prints for it, byte for byte. After an
intended change of wording, regenerate with UPDATE_GOLDEN=1 and review the
diff like code.
"""

import os
from pathlib import Path

import pytest

from generator.corpus import read_corpus
from generator.problems import CODES, format_text, summary

CASES = sorted(p for p in (Path(__file__).parent / "golden" / "errors").iterdir() if p.is_dir())


def report(case: Path) -> str:
    result = read_corpus(case)
    text = format_text(result.problems)
    return (text + "\n" if text else "") + summary(result.problems, result.files) + "\n"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_report(case: Path) -> None:
    expected_file = case / "expected.txt"
    actual = report(case)
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


def test_every_problem_class_has_a_golden_case() -> None:
    seen = {p.code for case in CASES for p in read_corpus(case).problems}
    # unreadable needs a file the test user cannot read; CI runs as root.
    # unformattable comes from `briefing fmt`, not from check (tests/test_fmt.py).
    missing = set(CODES) - seen - {"unreadable", "unformattable"}
    assert not missing, f"no golden case shows: {sorted(missing)}"


def test_readme_documents_every_problem_code() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for code, meaning in CODES.items():
        assert f"| `{code}` |" in readme, f"README's problem table lacks {code} ({meaning})"
