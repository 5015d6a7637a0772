"""`briefing init` and `briefing new`: a corpus that builds at once, and
record skeletons generated from the model that load, validate and check."""

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pydantic.fields import FieldInfo

from generator.cli import main
from generator.corpus import read_corpus
from generator.discover import RecordFile
from generator.fields import field_order
from generator.load import load_file
from generator.model import FOLDERS, KINDS
from generator.scaffold import example_ids, skeleton
from generator.schema import corpus_vocabulary, schemas, vscode_settings
from generator.validate import Entry, validate

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HAS_FMT = (REPO / "generator" / "fmt.py").is_file()
EXAMPLES = example_ids()
# What each kind's required references get in `new`, from the example corpus.
REFS: dict[str, list[str]] = {
    "source": [],
    "actor": [],
    "place": [],
    "event": [f"sources={EXAMPLES['source']}"],
    "claim": [f"sources={EXAMPLES['source']}"],
    "quote": [f"speaker={EXAMPLES['actor']}", f"source={EXAMPLES['source']}"],
    "brief": [f"related={EXAMPLES['brief']}"],
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "my-corpus"
    code, out, _ = run("init", str(root))
    assert code == 0, out
    return root


def pre_commit(root: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "PRE_COMMIT_HOME": str(home)}
    return subprocess.run([str(BIN / "pre-commit"), *args], cwd=root, env=env, capture_output=True, text=True,
                          timeout=600, check=False)


# --- init ---------------------------------------------------------------------------------


def test_init_checks_clean_and_reports_what_it_made(tmp_path: Path) -> None:
    root = tmp_path / "bridges"
    code, out, _ = run("init", str(root))
    assert code == 0
    assert f"created {root / 'mkdocs.yml'}" in out
    assert "Next steps:" in out
    assert run("check", "--strict", "-C", str(root))[0] == 0
    result = read_corpus(root)
    assert result.problems == []
    assert result.corpus is not None
    assert {kind: len(ids) for kind, ids in result.corpus.by_kind.items()} == dict.fromkeys(KINDS, 1)


def test_init_writes_settings_schemas_and_editor_files(tmp_path: Path) -> None:
    root = tmp_path / "folder"
    assert run("init", str(root), "--name", "Bridges: 2024")[0] == 0
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Bridges: 2024"
    assert config["docs_dir"] == "briefings"
    assert config["theme"]["font"] is False
    assert config["plugins"][0] == "search"
    assert config["plugins"][1] == {"briefing": {"pdf": True, "handling": "For internal use"}}
    assert config["plugins"][2] == "offline"
    repo_config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["markdown_extensions"] == repo_config["markdown_extensions"]
    assert config["validation"] == repo_config["validation"]
    for name, text in schemas(corpus_vocabulary(root)).items():
        assert (root / "schema" / name).read_text(encoding="utf-8") == text
    assert json.loads((root / ".vscode" / "settings.json").read_text(encoding="utf-8")) == vscode_settings()
    extensions = json.loads((root / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert extensions["recommendations"] == ["redhat.vscode-yaml"]
    ignored = (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    for pattern in ("/site/", ".venv/", "__pycache__/", "/.site.building-*/", "/.site.old-*/"):
        assert pattern in ignored


def test_site_name_defaults_to_the_folder_name(corpus: Path) -> None:
    config = yaml.safe_load((corpus / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "my-corpus"


def test_init_builds_a_site_and_pdfs(corpus: Path) -> None:
    proc = subprocess.run([str(BIN / "briefing"), "build", "-C", str(corpus)], capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    site = corpus / "site"
    assert (site / "index.html").is_file()
    pdfs = list((site / "pdf").glob("*.pdf"))
    assert [p.name for p in pdfs] == [f"{EXAMPLES['brief']}.pdf"]
    assert pdfs[0].read_bytes().startswith(b"%PDF")
    for kind, rid in EXAMPLES.items():
        assert (site / FOLDERS[kind] / f"{rid}.html").is_file(), f"no page for the example {kind}"


@pytest.mark.parametrize("existing", ["file", "hidden-file", "not-a-folder"])
def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, existing: str) -> None:
    root = tmp_path / "taken"
    if existing == "not-a-folder":
        root.write_text("mine", encoding="utf-8")
    else:
        root.mkdir()
        (root / ("notes.txt" if existing == "file" else ".env")).write_text("mine", encoding="utf-8")
    before = tree(tmp_path)
    code, _, err = run("init", str(root))
    assert code == 2
    assert "not empty" in err
    assert tree(tmp_path) == before  # nothing written, not even .git
    assert root.is_dir() or root.read_text(encoding="utf-8") == "mine"


def test_init_accepts_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert run("init", str(tmp_path / "empty"))[0] == 0
    assert (tmp_path / "empty" / "mkdocs.yml").is_file()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_init_makes_a_git_repository_without_a_commit(corpus: Path) -> None:
    inside = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=corpus / "briefings", capture_output=True,
                            text=True, check=False)
    assert inside.returncode == 0
    assert Path(inside.stdout.strip()).resolve() == corpus.resolve()
    head = subprocess.run(["git", "rev-parse", "--verify", "HEAD"], cwd=corpus, capture_output=True, check=False)
    assert head.returncode != 0  # nothing committed


# --- pre-commit ----------------------------------------------------------------------------


def test_hook_manifest_is_valid_and_runs_briefing(tmp_path: Path) -> None:
    proc = pre_commit(REPO, tmp_path, "validate-manifest", ".pre-commit-hooks.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert {i: h["entry"] for i, h in hooks.items()} == {
        "briefing-check": "briefing check", "briefing-fmt": "briefing fmt --check"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        assert re.search(hook["files"], "briefings/events/ceasefire.yml")
        assert not re.search(hook["files"], "mkdocs.yml")


def test_readme_shows_the_five_lines_that_use_the_hooks(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"These five lines go under `repos:`.*?```yaml\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    lines = block[1].splitlines()
    assert len(lines) == 5
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text("repos:\n" + block[1], encoding="utf-8")
    proc = pre_commit(tmp_path, tmp_path / "home", "validate-config", str(config))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [repo] = yaml.safe_load(config.read_text(encoding="utf-8"))["repos"]
    manifest = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in repo["hooks"]] == [h["id"] for h in manifest]


def test_init_pre_commit_config_is_valid(corpus: Path, tmp_path: Path) -> None:
    proc = pre_commit(corpus, tmp_path / "home", "validate-config", ".pre-commit-config.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    config = yaml.safe_load((corpus / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    assert [(h["entry"], h["language"], h["pass_filenames"]) for h in repo["hooks"]] == [
        ("briefing check", "system", False), ("briefing fmt --check", "system", False)]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_passes_on_init_and_fails_on_a_broken_record(corpus: Path, tmp_path: Path) -> None:
    # Until `briefing fmt` exists, only the check hook can run.
    hooks = [] if HAS_FMT else ["briefing-check"]
    subprocess.run(["git", "add", "-A"], cwd=corpus, check=True)
    proc = pre_commit(corpus, tmp_path / "home", "run", *hooks, "--all-files")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout
    event = corpus / "briefings" / "events" / f"{EXAMPLES['event']}.yaml"
    event.write_text(event.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    proc = pre_commit(corpus, tmp_path / "home", "run", *hooks, "--all-files")
    assert proc.returncode == 1
    assert "unknown field 'colour'" in proc.stdout


@pytest.mark.skipif(not HAS_FMT, reason="generator/fmt.py (briefing fmt) does not exist yet")
def test_fmt_accepts_an_init_corpus_and_fresh_skeletons(corpus: Path) -> None:
    for kind, refs in REFS.items():
        assert run("new", kind, f"new-{kind}", "-C", str(corpus), *(f"--ref={r}" for r in refs))[0] == 0
    proc = subprocess.run([str(BIN / "briefing"), "fmt", "--check"], cwd=corpus, capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- new -------------------------------------------------------------------------------------


def loaded(path: Path, kind: str) -> Entry:
    record, problems = load_file(RecordFile(path, path.name, kind, path.stem))
    assert problems == []
    checked, problems = validate(record)
    assert isinstance(checked, Entry), problems
    return checked


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_writes_a_skeleton_that_validates_and_checks(corpus: Path, kind: str) -> None:
    rid = f"new-{kind}"
    code, out, _ = run("new", kind, rid, "-C", str(corpus), *(f"--ref={r}" for r in REFS[kind]))
    assert code == 0, out
    path = corpus / "briefings" / FOLDERS[kind] / f"{rid}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../../schema/{kind}.schema.json"
    loaded(path, kind)
    result = read_corpus(corpus)
    mine = [p for p in result.problems if p.file.endswith(f"/{rid}.yaml")]
    assert [p for p in result.problems if p.is_error] == []
    assert "placeholder" in {p.code for p in mine}  # every kind has a required text field
    given = {r.split("=")[0] for r in REFS[kind]}
    for key in field_order(KINDS[kind]):
        info = _by_alias(kind, key)
        if info.is_required() or key in given:
            assert re.search(rf"^{key}:", text, re.MULTILINE), f"required field {key} is not filled"
        else:
            line = re.search(rf"^# {key}: .*$", text, re.MULTILINE)
            assert line, f"no commented-out line for the optional field {key}"
            if info.description:
                assert info.description.rstrip(".") in line.group(0)


def _by_alias(kind: str, key: str) -> FieldInfo:
    return next(i for n, i in KINDS[kind].model_fields.items() if (i.alias or n) == key)


def test_new_brief_is_prose_with_its_evidence_to_uncomment(corpus: Path) -> None:
    assert run("new", "brief", "b", "-C", str(corpus), *(f"--ref={r}" for r in REFS["brief"]))[0] == 0
    text = (corpus / "briefings" / "briefs" / "b.yaml").read_text(encoding="utf-8")
    assert "sections:\n- title: 'TODO: the title of this section'\n" in text
    assert '\n  text: "TODO: The section\'s prose' in text
    assert f"related:\n- {EXAMPLES['brief']}\n" in text
    for key in ("whats_new", "why_it_matters", "what_to_watch", "key_figures", "key_points"):
        assert re.search(rf"^# {key}: ", text, re.MULTILINE), f"no commented-out line for {key}"
    assert re.search(r"^  # select: ", text, re.MULTILINE), "no commented-out line for the nested select"


def test_placeholder_warning_for_a_fresh_skeleton(corpus: Path) -> None:
    assert run("new", "source", "fresh", "-C", str(corpus))[0] == 0
    path = corpus / "briefings" / "sources" / "fresh.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    found = {p.path: p for p in read_corpus(corpus).problems if p.code == "placeholder"}
    assert set(found) == {"title", "publisher"}
    title = found["title"]
    assert not title.is_error
    assert title.line == next(i for i, line in enumerate(lines, 1) if line.startswith("title:"))
    assert "write the real value" in title.hint
    # Warnings: check passes, --strict does not.
    assert run("check", "-C", str(corpus))[0] == 0
    assert run("check", "--strict", "-C", str(corpus))[0] == 1


def test_new_without_ref_names_existing_ids_and_check_reports_the_placeholder_id(corpus: Path) -> None:
    code, out, _ = run("new", "quote", "q", "-C", str(corpus))
    assert code == 0
    assert f"speaker: no --ref speaker=ID given, so it holds 'todo'; existing actors: {EXAMPLES['actor']}" in out
    assert f"existing sources: {EXAMPLES['source']}" in out
    dangling = {p.path for p in read_corpus(corpus).problems if p.code == "dangling-ref"}
    assert dangling == {"speaker", "source"}


def test_new_refuses_what_would_clash_or_cannot_be(corpus: Path) -> None:
    before = tree(corpus)
    cases = [
        (["new", "event", EXAMPLES["place"]], "is taken"),  # an id of another kind
        (["new", "place", EXAMPLES["place"]], "is taken"),
        (["new", "event", "Bad_Id"], "not an id"),
        (["new", "event", "a" * 81], "not an id"),
        (["new", "widget", "w"], "'widget' is not one of"),
        (["new", "event", "e", "--ref", "speaker=x"], "no reference field 'speaker'"),
        (["new", "event", "e", "--ref", "sources=Not A Slug"], "lower-case slugs"),
        (["new", "quote", "q", "--ref", "source=a", "--ref", "source=b"], "takes one id"),
        (["new", "event", "e", "--ref", "sources"], "is not FIELD=ID"),
    ]
    for args, message in cases:
        code, _, err = run(*args, "-C", str(corpus))
        assert code == 2, args
        assert message in err, (args, err)
    assert tree(corpus) == before


def test_new_needs_a_corpus(tmp_path: Path) -> None:
    code, _, err = run("new", "event", "e", "-C", str(tmp_path))
    assert code == 2
    assert "briefing init" in err
    assert list(tmp_path.iterdir()) == []


# --- the skeleton itself ---------------------------------------------------------------------


def test_skeleton_dates_and_layout() -> None:
    baku = datetime(2023, 9, 20, 18, 5, 30, tzinfo=timezone(timedelta(hours=4)))
    brief = skeleton("brief", "b", {}, baku).text
    assert '\nas_of: "2023-09-20T18:05+04:00"\n' in brief
    event = skeleton("event", "e", {"sources": ["a", "b"]}, baku).text
    assert '\ndate: "2023-09-20"\n' in event
    assert "\nsources:\n- a\n- b\n" in event  # unindented under the key
    utc = skeleton("brief", "b", {}, datetime(2024, 1, 2, 3, 4, tzinfo=UTC)).text
    assert '\nas_of: "2024-01-02T03:04+00:00"\n' in utc
    source = skeleton("source", "s", {}, baku).text
    assert "\nkind: news-report  # one of: news-report, official-statement," in source
    assert "\n# reliability: A  # Admiralty source reliability" in source


def test_skeleton_dates_follow_a_referenced_source(corpus: Path) -> None:
    """A quote is never dated after the source that prints it: today would be."""
    assert run("new", "quote", "q", "-C", str(corpus), *(f"--ref={r}" for r in REFS["quote"]))[0] == 0
    assert [p for p in read_corpus(corpus).problems if p.is_error] == []
    text = (corpus / "briefings" / "quotes" / "q.yaml").read_text(encoding="utf-8")
    assert '\nsaid: "2024-05-02"\n' in text


def test_skeleton_quotes_ids_that_yaml_would_read_otherwise() -> None:
    text = skeleton("event", "e", {"sources": ["no", "2023", "true", "plain-id"]}, datetime.now(UTC)).text
    assert "\n- 'no'\n- '2023'\n- 'true'\n- plain-id\n" in text
