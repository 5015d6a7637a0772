"""A small corpus in a temporary git repository, built commit by commit.

The story: edition-1 (20 September, morning) knows one report, giving at
least 25 dead; edition-2 (evening) adds a second report (published 15:00),
revises the toll to 32, re-grades the first report, adds an event and a
quote, and carries a draft claim and an embargoed event that must never be
published; a third commit retracts the first report.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml

MKDOCS = {
    "site_name": "Git briefing",
    "site_url": "https://briefing.example.org/",
    "docs_dir": "briefings",
    "strict": True,
    "theme": {"name": "material", "font": False},
    "plugins": ["search", {"briefing": {"pdf": False}}, "offline"],
    "markdown_extensions": ["tables", "admonition", "attr_list", "md_in_html", "toc"],
    "validation": {"links": {"absolute_links": "warn", "unrecognized_links": "warn"}},
}

DRAFT_ID = "secret-draft-claim"
DRAFT_TEXT = "Zanzibar-draft-statement nobody may read"
EMBARGO_ID = "embargoed-talks"
EMBARGO_TEXT = "Quetzal-embargoed talks summary"

EDITION_1: dict[str, dict[str, object]] = {
    "sources/morning-report.yaml": {
        "title": "Morning report on the offensive", "publisher": "Wire One", "published": "2023-09-20T09:00+04:00",
        "kind": "news-report", "reliability": "B", "credibility": 2},
    "vocabulary.yaml": {"topics": {"offensive": {"label": "The offensive"}},
                        "subjects": {"first-day-deaths": {"label": "How many died on the first day?",
                                                          "unit": "people"}}},
    "actors/azerbaijan.yaml": {"name": "Azerbaijan", "type": "state", "reviewed": "2023-09-20"},
    "actors/armenian-officials.yaml": {"name": "Armenian officials", "type": "government-body"},
    "places/stepanakert.yaml": {"name": "Stepanakert", "type": "city"},
    "events/offensive.yaml": {
        "title": "Offensive begins", "date": "2023-09-19", "summary": "Azerbaijan begins an offensive.",
        "actors": [{"actor": "azerbaijan", "role": "attacker"}], "places": ["stepanakert"],
        "topics": ["offensive"], "claims": ["deaths-first-day"], "sources": ["morning-report"]},
    "claims/deaths-first-day.yaml": {
        "statement": "People were killed on the first day.", "asserted_by": "Armenian officials",
        "actors": ["armenian-officials"], "subject": "first-day-deaths", "value": 25, "qualifier": "at-least",
        "unit": "people", "topics": ["offensive"], "sources": ["morning-report"]},
    "briefs/offensive-brief.yaml": {
        "title": "The offensive", "as_of": "2023-09-20T10:00+04:00", "bottom_line": "An offensive began.",
        "key_points": [{"text": "An offensive began.", "cites": ["offensive"]}],
        "sections": [{"title": "What happened", "select": {"topics": ["offensive"]}}]},
}


def edition_2() -> dict[str, dict[str, object]]:
    files = {k: dict(v) for k, v in EDITION_1.items()}
    files["sources/morning-report.yaml"]["reliability"] = "A"
    files["sources/evening-report.yaml"] = {
        "title": "Evening report", "publisher": "Wire Two", "published": "2023-09-20T15:00+04:00",
        "kind": "news-report"}
    files["claims/deaths-first-day.yaml"].update(value=32, sources=["morning-report", "evening-report"])
    files["events/ceasefire.yaml"] = {
        "title": "Ceasefire agreed", "date": "2023-09-20T13:00+04:00", "summary": "A ceasefire is agreed.",
        "topics": ["offensive"], "claims": [DRAFT_ID], "sources": ["evening-report"]}
    files["quotes/aliyev-sovereignty.yaml"] = {
        "text": "Sovereignty restored.", "speaker": "azerbaijan", "said": "2023-09-20T14:00+04:00",
        "source": "evening-report", "event": "ceasefire", "topics": ["offensive"]}
    files[f"claims/{DRAFT_ID}.yaml"] = {
        "draft": True, "statement": DRAFT_TEXT, "asserted_by": "Nobody yet", "topics": ["offensive"],
        "sources": ["evening-report"]}
    files[f"events/{EMBARGO_ID}.yaml"] = {
        "embargo_until": "2999-01-01T09:00+04:00", "title": EMBARGO_TEXT, "date": "2023-09-20T16:00+04:00",
        "summary": EMBARGO_TEXT, "topics": ["offensive"], "sources": ["evening-report"]}
    brief = files["briefs/offensive-brief.yaml"]
    brief["as_of"] = "2023-09-20T20:00+04:00"
    brief["key_points"] = [{"text": "An offensive began.", "cites": ["offensive"]},
                           {"text": "A ceasefire followed.", "cites": ["ceasefire", DRAFT_ID]},
                           {"text": "Talks are secret.", "cites": [EMBARGO_ID]}]
    return files


def write(root: Path, files: dict[str, dict[str, object]]) -> None:
    base = root / "briefings"
    if base.exists():
        for old in base.rglob("*.yaml"):
            old.unlink()
    for rel, data in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def git(root: Path, *args: str, date: str = "2023-09-20T12:00:00+04:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Desk", "GIT_AUTHOR_EMAIL": "desk@example.org",
           "GIT_COMMITTER_NAME": "Desk", "GIT_COMMITTER_EMAIL": "desk@example.org",
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def commit(root: Path, message: str, date: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)
    return git(root, "rev-parse", "HEAD")


def build_repo(root: Path) -> dict[str, str]:
    """The repository, commit by commit; returns the commits by name."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(MKDOCS, sort_keys=False), encoding="utf-8")
    (root / ".gitignore").write_text("site/\n", encoding="utf-8")
    commits = {}
    write(root, EDITION_1)
    commits["edition-1"] = commit(root, "Morning edition", "2023-09-20T10:30:00+04:00")
    git(root, "tag", "-a", "edition-1", "-m", "Morning edition", date="2023-09-20T10:30:00+04:00")
    write(root, edition_2())
    commits["edition-2"] = commit(root, "Evening edition", "2023-09-20T20:30:00+04:00")
    git(root, "tag", "edition-2")  # a lightweight tag counts too
    files = edition_2()
    files["sources/morning-report.yaml"]["retracted"] = "2023-09-22"
    files["sources/morning-report.yaml"]["notes"] = "Withdrawn by its publisher."
    write(root, files)
    commits["retraction"] = commit(root, "Morning report retracted", "2023-09-22T09:00:00+04:00")
    return commits
