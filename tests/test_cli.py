"""`briefing check` as a user runs it: exit codes and output formats."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import EXIT_INTERNAL, main

GOLDEN = Path(__file__).parent / "golden" / "errors"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_clean_corpus_exits_0() -> None:
    code, out, _ = run("check", "--root", str(GOLDEN / "clean"))
    assert code == 0
    assert "0 errors, 0 warnings in 5 files" in out
    assert "1 disputes" in out


def test_errors_exit_1_with_located_messages() -> None:
    code, out, err = run("check", "-C", str(GOLDEN / "dangling-ref"))
    assert code == 1
    assert "briefings/quotes/q.yaml:2:10: error: speaker: no actor has the id 'nikol-pashinian'" in out
    assert "did you mean 'nikol-pashinyan'?" in out
    assert "3 errors, 3 warnings in 3 files" in err


def test_warnings_pass_unless_strict() -> None:
    case = str(GOLDEN / "unused-records")
    assert run("check", "-C", case)[0] == 0
    assert run("check", "-C", case, "--strict")[0] == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("check", "--format", "xml", "-C", str(GOLDEN / "clean"))[0] == 2
    code, _, err = run("check", "-C", str(tmp_path))
    assert code == 2
    assert "no briefings/ folder" in err


def test_json_format() -> None:
    code, out, _ = run("check", "-C", str(GOLDEN / "duplicate-key"), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["summary"] == {"errors": 1, "warnings": 1, "files": 2}
    dup = next(p for p in doc["problems"] if p["code"] == "duplicate-key")
    assert dup == {
        "file": "briefings/sources/report.yaml", "line": 5, "column": 1, "path": "title", "code": "duplicate-key",
        "message": "duplicate field 'title' (first on line 1)",
        "hint": "remove one of them: YAML would silently keep only the last", "severity": "error",
    }


def test_github_format() -> None:
    code, out, _ = run("check", "-C", str(GOLDEN / "duplicate-key"), "--format", "github")
    assert code == 1
    assert ("::error file=briefings/sources/report.yaml,line=5,col=1,title=duplicate-key::"
            "title: duplicate field 'title' (first on line 1) (hint: remove one of them: YAML would silently keep "
            "only the last)") in out.splitlines()
    assert "::warning file=briefings/claims/c.yaml,title=unreferenced::" in out


def test_check_writes_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(GOLDEN / "yaml-syntax", corpus)
    before = sorted(p.relative_to(corpus) for p in corpus.rglob("*"))
    run("check", "-C", str(corpus))
    assert sorted(p.relative_to(corpus) for p in corpus.rglob("*")) == before


def test_console_script_runs_without_traceback() -> None:
    """The installed entry point, in a real process: no traceback on bad input."""
    proc = subprocess.run([sys.executable, "-m", "generator", "check", "-C", str(GOLDEN / "alias-bomb")],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "[too-large]" in proc.stdout


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir()))
def test_no_case_crashes(case: str) -> None:
    code, _, _ = run("check", "-C", str(GOLDEN / case))
    assert code in (0, 1)


def test_an_internal_error_is_one_line_with_an_exit_code_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug is not "problems found" (1) nor a usage error (2): CI can tell."""
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something in briefing broke")

    monkeypatch.setattr("generator.cli.read_corpus", broken)
    clean = str(GOLDEN / "clean")
    code, out, err = run("check", "-C", clean)
    assert code == EXIT_INTERNAL == 3
    assert err.splitlines()[0] == "internal error: RuntimeError: something in briefing broke"
    assert "Traceback" not in out + err and "Run with -v for the traceback" in err
    code, _, err = run("-v", "check", "-C", clean)
    assert code == 3 and "Traceback (most recent call last)" in err and "def broken" not in err
    code, out, _ = run("check", "--format", "json", "-C", clean)
    assert code == 3
    assert json.loads(out)["error"] == {"kind": "internal", "message": "RuntimeError: something in briefing broke"}


def test_usage_errors_print_a_json_document_too(tmp_path: Path) -> None:
    code, out, err = run("check", "--format", "json", "-C", str(tmp_path))
    assert code == 2 and "no briefings/ folder" in err
    assert json.loads(out)["error"]["kind"] == "usage"
