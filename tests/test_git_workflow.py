"""Working in git: history, editions, record-level diffs, drafts and
embargoes, as-of builds; each against a repository built commit by commit
(tests/gitcorpus.py)."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from generator.cli import main
from generator.corpus import read_corpus
from generator.history import editions, place_among, read_history, resolve
from generator.publish import Policy, clock, publish

sys.path.insert(0, str(Path(__file__).parent))
from gitcorpus import DRAFT_ID, DRAFT_TEXT, EMBARGO_ID, EMBARGO_TEXT, build_repo, git

BRIEFING = str(Path(sys.executable).parent / "briefing")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("gitcorpus") / "corpus"
    return root, build_repo(root)


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def clone(repo: tuple[Path, dict[str, str]], dest: Path, rev: str | None = None) -> Path:
    subprocess.run(["git", "clone", "-q", str(repo[0]), str(dest)], check=True)
    if rev:
        subprocess.run(["git", "-C", str(dest), "checkout", "-q", rev], check=True)
    return dest


def with_pdf(root: Path) -> None:
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"][1] = {"briefing": {"pdf": True}}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


# --- diff ------------------------------------------------------------------------------


def test_diff_of_two_editions_reports_records_not_lines(repo: tuple[Path, dict[str, str]]) -> None:
    code, out, _ = cli("diff", "-C", str(repo[0]), "edition-1", "edition-2", "--format", "json")
    assert code == 0
    report = json.loads(out)
    by_id = {c["id"]: c for c in report["changes"]}
    assert report["counts"] == {"added": 3, "changed": 3, "removed": 0}
    assert by_id["evening-report"]["change"] == "added"
    assert by_id["ceasefire"]["change"] == "added" and by_id["ceasefire"]["kind"] == "event"
    assert by_id["aliyev-sovereignty"]["change"] == "added"
    toll = by_id["deaths-first-day"]
    assert "revised" in toll["labels"] and "sources added" in toll["labels"]
    assert {"path": "value", "old": 25, "new": 32} in toll["fields"]
    assert by_id["morning-report"]["labels"] == ["re-graded"]
    assert {"path": "reliability", "old": "B", "new": "A"} in by_id["morning-report"]["fields"]
    # What readers never saw is not in the report.
    assert DRAFT_ID not in out and EMBARGO_ID not in out and DRAFT_TEXT not in out


def test_diff_text_and_markdown(repo: tuple[Path, dict[str, str]]) -> None:
    code, text, _ = cli("diff", "-C", str(repo[0]), "edition-1", "edition-2")
    assert code == 0
    assert text.splitlines()[0].endswith("3 added, 3 changed, 0 removed")
    assert "  ~ deaths-first-day (People were killed on the first day.): revised, sources added: value: 25 → 32" \
        in text
    assert "  + evening-report (Evening report): added" in text
    code, md, _ = cli("diff", "-C", str(repo[0]), "edition-1", "edition-2", "--format", "markdown")
    assert code == 0
    assert md.startswith("## Changes: edition-1")
    assert "### Claims" in md and "- **Evening report** (`evening-report`): added" in md


def test_diff_all_shows_drafts_as_drafts(repo: tuple[Path, dict[str, str]]) -> None:
    code, out, _ = cli("diff", "-C", str(repo[0]), "edition-1", "edition-2", "--all", "--format", "json")
    assert code == 0
    by_id = {c["id"]: c for c in json.loads(out)["changes"]}
    assert by_id[DRAFT_ID]["labels"] == ["draft"]
    assert by_id[EMBARGO_ID]["labels"] == ["embargoed until 2999-01-01T09:00+04:00"]


def test_diff_by_dates_and_retraction(repo: tuple[Path, dict[str, str]]) -> None:
    root, commits = repo
    assert resolve(root, "2023-09-20") == commits["edition-2"]
    assert resolve(root, "2023-09-20T11:00+04:00") == commits["edition-1"]
    code, out, _ = cli("diff", "-C", str(root), "2023-09-20", "2023-09-22", "--format", "json")
    assert code == 0
    changes = json.loads(out)["changes"]
    assert [(c["id"], c["labels"]) for c in changes] == [("morning-report", ["retracted"])]


def test_diff_against_the_work_tree(repo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root = clone(repo, tmp_path / "work")
    claim = root / "briefings" / "claims" / "deaths-first-day.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("value: 32", "value: 40"), encoding="utf-8")
    code, out, _ = cli("diff", "-C", str(root), "HEAD")
    assert code == 0
    assert "HEAD" in out.splitlines()[0] and "work tree" in out.splitlines()[0]
    assert "value: 32 → 40" in out


def test_diff_refuses_what_is_neither_revision_nor_date(repo: tuple[Path, dict[str, str]]) -> None:
    code, _, err = cli("diff", "-C", str(repo[0]), "no-such-tag", "HEAD")
    assert code == 2
    assert "'no-such-tag' is neither a revision nor a date" in err
    code, _, err = cli("diff", "-C", str(repo[0]), "1999-01-01", "HEAD")
    assert code == 2 and "no commit was made by 1999-01-01" in err


# --- history -------------------------------------------------------------------------------


def test_history_is_one_pass_and_matches_git_per_file(repo: tuple[Path, dict[str, str]]) -> None:
    root, commits = repo
    history = read_history(root)
    assert history is not None and history.head == commits["retraction"]
    files = sorted(str(p.relative_to(root)) for p in (root / "briefings").rglob("*.yaml"))
    assert sorted(history.last) == files
    for rel in files:  # the slow way, one git call per file, as the ground truth
        expected = git(root, "log", "-1", "--format=%H", "--", rel)
        assert history.last[rel].commit == expected, rel
    assert history.last["briefings/actors/azerbaijan.yaml"].commit == commits["edition-1"]
    assert history.last["briefings/sources/morning-report.yaml"].commit == commits["retraction"]


def test_no_history_outside_git(tmp_path: Path) -> None:
    assert read_history(tmp_path) is None
    assert editions(tmp_path) == []


def test_editions_follow_the_tag_pattern(repo: tuple[Path, dict[str, str]]) -> None:
    root, commits = repo
    found = editions(root)
    assert [(e.tag, e.commit) for e in found] == [("edition-1", commits["edition-1"]),
                                                   ("edition-2", commits["edition-2"])]
    assert editions(root, "release-*") == []
    place = place_among(root)
    assert place.current is None and place.previous is not None and place.previous.tag == "edition-2"


# --- pages and PDFs ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def edition_2_site(repo: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site and PDFs built at the edition-2 tag, with drafts in the corpus."""
    root = clone(repo, tmp_path_factory.mktemp("ed2") / "corpus", "edition-2")
    with_pdf(root)
    subprocess.run(["git", "-C", str(root), "commit", "-qam", "PDFs on"], check=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t"})
    subprocess.run(["git", "-C", str(root), "tag", "-f", "edition-2"], check=True, capture_output=True)
    done = subprocess.run([BRIEFING, "build", "-C", str(root)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "withheld 2 records from every output (1 drafts, 1 embargoed)" in done.stderr
    return root


def test_record_pages_show_last_change_and_review(edition_2_site: Path) -> None:
    site = edition_2_site / "site"
    actor = (site / "actors" / "azerbaijan.html").read_text(encoding="utf-8")
    assert "Last changed on 20 September 2023 · Last reviewed on 20 September 2023" in actor
    claim = (site / "claims" / "deaths-first-day.html").read_text(encoding="utf-8")
    day = git(edition_2_site, "log", "-1", "--format=%ad", "--date=format:%-d %B %Y", "HEAD~1").strip()
    assert f"Last changed on {day}" in claim
    # A commit hash means nothing to a reader: it is not shown.
    for rev in ("edition-1^{commit}", "HEAD~1"):
        assert git(edition_2_site, "rev-parse", "--short=7", rev).strip() not in actor + claim


def test_brief_page_and_pdf_show_changes_since_previous_edition(edition_2_site: Path) -> None:
    page = (edition_2_site / "site" / "briefs" / "offensive-brief.html").read_text(encoding="utf-8")
    assert "Changes since edition-1" in page
    assert "revised, sources added: value: 25 → 32" in page
    assert 'href="../sources/evening-report.html"' in page
    text = pdf_text(edition_2_site / "site" / "pdf" / "offensive-brief.pdf")
    assert "Changes since edition-1" in text
    assert "value: 25 → 32" in text
    assert "Edition edition-2, commit" in text
    reader = PdfReader(edition_2_site / "site" / "pdf" / "offensive-brief.pdf")
    assert "Changes since edition-1" in outline_titles(reader.outline)


def outline_titles(items: list[object]) -> list[str]:
    out: list[str] = []
    for item in items:
        if isinstance(item, list):
            out += outline_titles(item)
        else:
            out.append(str(getattr(item, "title", "")))
    return out


def every_output_text(folder: Path) -> dict[str, str]:
    """Each file under ``folder`` as text: PDFs extracted, gzip opened."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".pdf":
            reader = PdfReader(io.BytesIO(data))
            meta = " ".join(str(v) for v in (reader.metadata or {}).values())
            out[str(path)] = meta + "\n".join(page.extract_text() or "" for page in reader.pages)
        elif path.suffix == ".gz":
            out[str(path)] = gzip.decompress(data).decode("utf-8", "replace")
        else:
            out[str(path)] = data.decode("utf-8", "replace")
    return out


def test_drafts_and_embargoed_records_reach_no_output(edition_2_site: Path, tmp_path: Path) -> None:
    root = edition_2_site
    export = tmp_path / "export"
    assert subprocess.run([BRIEFING, "pages", "-C", str(root), "--out", str(export)],
                          capture_output=True, check=False).returncode == 0
    pdfs = tmp_path / "pdfs"
    assert subprocess.run([BRIEFING, "pdf", "-C", str(root), "-o", str(pdfs)], capture_output=True,
                          check=False).returncode == 0
    outputs = {**every_output_text(root / "site"), **every_output_text(export), **every_output_text(pdfs)}
    assert any(p.endswith("search_index.json") for p in outputs)
    assert any(p.endswith("sitemap.xml.gz") for p in outputs)
    assert sum(p.endswith(".pdf") for p in outputs) >= 2
    for needle in (DRAFT_ID, DRAFT_TEXT, EMBARGO_ID, EMBARGO_TEXT, "Talks are secret"):
        leaks = [p for p, text in outputs.items() if needle in text]
        assert not leaks, f"{needle!r} leaked into {leaks}"
    # Mentions went; what they were mentioned by stayed.
    event = (root / "site" / "events" / "ceasefire.html").read_text(encoding="utf-8")
    assert "Ceasefire agreed" in event
    brief = (root / "site" / "briefs" / "offensive-brief.html").read_text(encoding="utf-8")
    assert "A ceasefire followed." in brief


def test_embargo_lifts_when_its_time_comes(repo: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    result = read_corpus(repo[0])
    assert result.corpus is not None
    assert EMBARGO_ID in publish(result.corpus, Policy(clock())).withheld
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(32503680000 + 86400 * 2))  # 3000-01-03
    published = publish(result.corpus, Policy(clock()))
    assert EMBARGO_ID in published.corpus.records
    assert list(published.withheld) == [DRAFT_ID]


# --- as-of builds ------------------------------------------------------------------------


def test_as_of_build_excludes_later_sources(repo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root = clone(repo, tmp_path / "asof")
    done = subprocess.run([BRIEFING, "build", "-C", str(root), "--as-of", "2023-09-20T12:00+04:00", "-d",
                           str(tmp_path / "asof-site")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "asof-site"
    assert (site / "sources" / "morning-report.html").exists()
    assert not (site / "sources" / "evening-report.html").exists()
    assert not (site / "events" / "ceasefire.html").exists()  # 13:00
    assert not (site / "quotes" / "aliyev-sovereignty.html").exists()  # said 14:00, printed 15:00
    assert not (site / "briefs" / "offensive-brief.html").exists()  # written at 20:00
    claim = (site / "claims" / "deaths-first-day.html").read_text(encoding="utf-8")
    assert "evening-report" not in claim and "morning-report" in claim
    source = (site / "sources" / "morning-report.html").read_text(encoding="utf-8")
    assert "Retracted" not in source  # retracted on the 22nd: not known on the 20th
    for page in (site / "index.html", site / "claims" / "deaths-first-day.html"):
        assert "As it could have been known on 20 September 2023, 12:00 (UTC+04:00)" in page.read_text("utf-8")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in index["docs"] if "Evening report" in d["title"] or "Evening report" in d["text"]]


def test_as_of_refuses_a_bad_moment(repo: tuple[Path, dict[str, str]]) -> None:
    code, _, err = cli("build", "-C", str(repo[0]), "--as-of", "20 Sept")
    assert code == 2
    assert "--as-of" in err and "e.g. 2023-09-20T12:00+04:00" in err


def test_retracted_source_is_marked(repo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    done = subprocess.run([BRIEFING, "build", "-C", str(repo[0]), "-d", str(tmp_path / "site")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    source = (tmp_path / "site" / "sources" / "morning-report.html").read_text(encoding="utf-8")
    assert "Retracted on 22 September 2023" in source
    claim = (tmp_path / "site" / "claims" / "deaths-first-day.html").read_text(encoding="utf-8")
    assert "retracted 22 September 2023" in claim


# --- review dates ----------------------------------------------------------------------------


def test_check_warns_past_review_date(repo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root = clone(repo, tmp_path / "review")
    actor = root / "briefings" / "actors" / "azerbaijan.yaml"
    actor.write_text(actor.read_text(encoding="utf-8") + "review_by: '2023-10-01'\n", encoding="utf-8")
    env_before = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        os.environ["SOURCE_DATE_EPOCH"] = "1695000000"  # 2023-09-18: not due yet
        assert cli("check", "-C", str(root), "--strict")[0] == 0
        os.environ["SOURCE_DATE_EPOCH"] = "1700000000"  # 2023-11-14: overdue
        code, out, _ = cli("check", "-C", str(root), "--format", "json")
    finally:
        if env_before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = env_before
    assert code == 0  # a warning
    problems = json.loads(out)["problems"]
    due = [p for p in problems if p["code"] == "review-due"]
    assert len(due) == 1 and due[0]["file"] == "briefings/actors/azerbaijan.yaml" and due[0]["line"] == 4
    assert "last reviewed 2023-09-20" in due[0]["message"]


def test_as_of_pdf_says_so_on_its_cover(repo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    code, _, err = cli("pdf", "-C", str(repo[0]), "-o", str(tmp_path), "--as-of", "2023-09-20T21:00+04:00",
                       "offensive-brief")
    assert code == 0, err
    cover = PdfReader(tmp_path / "offensive-brief.pdf").pages[0].extract_text() or ""
    assert "as it could have been known on 20 September 2023, 21:00" in " ".join(cover.split())
    text = pdf_text(tmp_path / "offensive-brief.pdf")
    assert "Evening report" in text  # published 15:00: known by 21:00


# --- formatting in git ------------------------------------------------------------------


def test_fmt_is_idempotent_and_no_change_to_diff(repo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root = clone(repo, tmp_path / "fmt")
    claim = root / "briefings" / "claims" / "deaths-first-day.yaml"
    # Fields out of order, a YAML 1.1 trap unquoted, a comment to keep.
    claim.write_text("sources: [morning-report, evening-report]\n# the toll as first reported\nvalue: 32\n"
                     "unit: 'people'\nqualifier: at-least\nstatement: People were killed on the first day.\n"
                     "asserted_by: Armenian officials\nactors: [armenian-officials]\nsubject: first-day-deaths\n"
                     "topics: [offensive]\nnotes: no\n", encoding="utf-8")
    commit_all = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam"]
    subprocess.run([*commit_all, "messy"], check=True)
    assert cli("fmt", "-C", str(root), "--check")[0] == 1
    assert cli("fmt", "-C", str(root))[0] == 0
    text = claim.read_text(encoding="utf-8")
    assert "# the toll as first reported" in text
    assert text.index("statement:") < text.index("value:") < text.index("sources:")
    assert 'notes: "no"' in text or "notes: 'no'" in text
    subprocess.run([*commit_all, "formatted"], check=True)
    # Formatting a canonical corpus changes no byte, and is no change to a reader.
    assert cli("fmt", "-C", str(root))[0] == 0
    assert git(root, "status", "--porcelain") == ""
    assert cli("fmt", "-C", str(root), "--check")[0] == 0
    code, out, _ = cli("diff", "-C", str(root), "HEAD~1", "HEAD", "--all", "--format", "json")
    assert code == 0
    assert json.loads(out)["changes"] == []


def test_diff_outside_git_says_so(tmp_path: Path) -> None:
    (tmp_path / "briefings").mkdir()
    code, _, err = cli("diff", "-C", str(tmp_path), "HEAD")
    assert code == 2
    assert "is not in a git repository" in err


def test_an_embargo_lifted_since_the_previous_edition_is_news(repo: tuple[Path, dict[str, str]],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.editions import since_previous

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(32503680000 + 86400 * 2))  # 3000-01-03: the embargo is over
    result = read_corpus(repo[0])
    assert result.corpus is not None
    policy = Policy(clock())
    corpus = publish(result.corpus, policy).corpus
    note = since_previous(repo[0], corpus, policy)["offensive-brief"]
    assert note.tag == "edition-2"
    added = {(r.id, r.change) for r in note.changes.records}
    # Embargoed when edition-2 was published (2023), released now: new to readers.
    assert (EMBARGO_ID, "added") in added
    assert ("morning-report", "changed") in added


def test_the_edition_tag_pattern_is_configurable(repo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root = clone(repo, tmp_path / "pattern")
    git(root, "tag", "release-1", "edition-1")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"][1] = {"briefing": {"pdf": False, "editions": "release-*"}}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    code, _, err = cli("pdf", "-C", str(root), "-o", str(tmp_path / "pdf"), "offensive-brief")
    assert code == 0, err
    text = pdf_text(tmp_path / "pdf" / "offensive-brief.pdf")
    assert "Changes since release-1" in text and "edition-2" not in text
    done = subprocess.run([BRIEFING, "build", "-C", str(root), "-d", str(tmp_path / "site")], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Changes since release-1" in (tmp_path / "site" / "briefs" / "offensive-brief.html").read_text("utf-8")


def test_exported_pages_follow_the_history_setting(repo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root = clone(repo, tmp_path / "export")
    assert cli("pages", "-C", str(root), "--out", str(tmp_path / "with"))[0] == 0
    assert "Last changed on" in (tmp_path / "with" / "docs" / "actors" / "azerbaijan.md").read_text("utf-8")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"][1] = {"briefing": {"pdf": False, "history": False}}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    assert cli("pages", "-C", str(root), "--out", str(tmp_path / "without"))[0] == 0
    assert "Last changed on" not in (tmp_path / "without" / "docs" / "actors" / "azerbaijan.md").read_text("utf-8")
