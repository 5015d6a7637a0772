"""Golden tests: each problem class, its input files and its exact report.

Each folder under tests/golden/errors/ is a small corpus; expected.txt holds
the text report `briefing check` prints for it, byte for byte. After an
intended change of wording, regenerate with UPDATE_GOLDEN=1 and review the
diff like code.

What git cannot hold, or should not (a FIFO, a file name that is not UTF-8,
a link to /etc/passwd), a case describes in make.txt, one entry a line,
made in a copy of the case before it is checked:

    link briefings/passwd.txt -> /etc/passwd
    fifo briefings/actors/pipe.yaml
    file briefings/actors/\\xff.yaml <- briefings/actors/a.yaml   (a name in bytes, escapes allowed)
"""

import os
import shutil
from pathlib import Path

import pytest

from generator.corpus import CheckResult, FileCache, read_corpus
from generator.fidelity import check_quotes
from generator.problems import CODES, format_text, summary
from generator.settings import read_settings

CASES = sorted(p for p in (Path(__file__).parent / "golden" / "errors").iterdir() if p.is_dir())


def materialise(case: Path, tmp: Path) -> Path:
    """The case itself, or a copy with the entries of its make.txt made."""
    recipe = case / "make.txt"
    if not recipe.is_file():
        return case
    out = tmp / case.name
    shutil.copytree(case, out, symlinks=True)
    for line in recipe.read_text(encoding="utf-8").splitlines():
        verb, _, rest = line.partition(" ")
        if verb == "link":
            name, target = rest.split(" -> ")
            (out / name).symlink_to(target)
        elif verb == "fifo":
            os.mkfifo(out / rest)
        elif verb == "file":
            name, source = rest.split(" <- ")
            raw = name.encode("ascii").decode("unicode_escape").encode("latin-1")
            with open(os.path.join(os.fsencode(out), raw), "wb") as f:
                f.write((out / source).read_bytes())
        elif line.strip():
            raise ValueError(f"{recipe}: cannot read {line!r}")
    return out


def checked(case: Path) -> CheckResult:
    """What `briefing check --strict` finds: the records, and, for a case
    with a mkdocs.yml naming an archive, its quotes against their sources."""
    result = read_corpus(case)
    if (case / "mkdocs.yml").is_file():
        check_quotes(result, read_settings(case).archive, strict=True)
    return result


def report(case: Path) -> str:
    result = checked(case)
    text = format_text(result.problems)
    return (text + "\n" if text else "") + summary(result.problems, result.files) + "\n"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_report(case: Path, tmp_path: Path) -> None:
    expected_file = case / "expected.txt"
    actual = report(materialise(case, tmp_path))
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


def test_every_problem_class_has_a_golden_case(tmp_path: Path) -> None:
    seen = {p.code for case in CASES for p in checked(materialise(case, tmp_path)).problems}
    # unformattable comes from `briefing fmt`, not from check (tests/test_fmt.py).
    missing = set(CODES) - seen - {"unformattable"}
    assert not missing, f"no golden case shows: {sorted(missing)}"


def test_readme_documents_every_problem_code() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for code, meaning in CODES.items():
        assert f"| `{code}` |" in readme, f"README's problem table lacks {code} ({meaning})"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_check_with_kept_records_reports_the_same(case: Path, tmp_path: Path) -> None:
    """Builds and serve check with the records kept from the last run
    (``FileCache``): the first and the second such check report exactly
    what a plain check does, hostile files included."""
    root = materialise(case, tmp_path)
    want = format_text(read_corpus(root).problems)
    kept: FileCache = {}
    assert format_text(read_corpus(root, kept).problems) == want
    assert format_text(read_corpus(root, kept).problems) == want
