"""``briefing init``: a new corpus repository that builds at once, with its
MkDocs configuration, pre-commit hooks, editor settings, JSON Schemas and
one example record of each kind; a git repository without a commit.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.scaffold.examples import example_files
from generator.scaffold.skeleton import ScaffoldError
from generator.schema import vscode_settings, write_schemas

log = logging.getLogger(__name__)

_MKDOCS_YML = """\
site_name: {name}
# Drives canonical links and the sitemap: set it to where the site is published.
# site_url: https://briefing.example.org/
# The corpus is the docs folder: the briefing plugin turns its records into
# pages, and `briefing serve` reloads when a record changes.
docs_dir: briefings
strict: true
theme:
  name: material
  font: false          # no web fonts: the site makes no request to another host
  language: en
  features:
    - navigation.top
    - search.highlight
plugins:
  - search
  - briefing:
      pdf: true                        # typeset every brief into site/pdf/, and a briefing book
      handling: "For internal use"     # the PDFs' handling line, unless a brief sets its own
  - offline            # works from file://, search included
markdown_extensions:
  - tables
  - admonition
  - attr_list
  - md_in_html
  - toc:
      permalink: true
validation:
  omitted_files: info
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""

_GITIGNORE = """\
# briefing build output, and the folders it builds and swaps in beside it
/site/
/.site.building-*/
/.site.old-*/
# Python environments and tool caches
.venv/
__pycache__/
.cache/
.pytest_cache/
.mypy_cache/
.ruff_cache/
"""

_HOOKS = ("check", "fmt --check")
_PRE_COMMIT = """\
# Checks the records before each commit: `pre-commit install` once, or
# `pre-commit run --all-files` by hand. `briefing` must be on PATH (the
# environment it is installed in, activated).
repos:
- repo: local
  hooks:
{hooks}"""
_HOOK = """\
  - id: briefing-{name}
    name: briefing {command}
    entry: briefing {command}
    language: system
    files: ^briefings/.*\\.ya?ml$
    pass_filenames: false
"""


def init_files(name: str) -> dict[str, str]:
    """{path relative to the new folder: text} for everything `init` writes
    but the schemas. Pure."""
    hooks = "".join(_HOOK.format(name=command.split()[0], command=command) for command in _HOOKS)
    files = {
        "mkdocs.yml": _MKDOCS_YML.format(name=json.dumps(name, ensure_ascii=False)),
        ".gitignore": _GITIGNORE,
        ".pre-commit-config.yaml": _PRE_COMMIT.format(hooks=hooks),
        ".vscode/settings.json": json.dumps(vscode_settings(), indent=2) + "\n",
        ".vscode/extensions.json": json.dumps({"recommendations": ["redhat.vscode-yaml"]}, indent=2) + "\n",
    }
    files.update(example_files())
    return files


@dataclass(frozen=True, slots=True)
class InitResult:
    folder: Path
    files: list[str]  # relative to folder, sorted
    git: bool  # a git repository was initialised


def init_corpus(folder: Path, name: str | None = None) -> InitResult:
    """Create a corpus repository that builds at once; refuse a folder that holds anything."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} exists and is not empty: give a new or empty folder")
    name = name or folder.resolve().name
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for rel, text in init_files(name).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)
    written += [p.relative_to(folder).as_posix() for p in write_schemas(folder)]
    return InitResult(folder, sorted(written), _git_init(folder))


def _git_init(folder: Path) -> bool:
    """A repository without a commit: what goes in the first one is the user's call."""
    git = shutil.which("git")
    if git is None:
        log.info("git is not on PATH: %s is not a git repository", folder)
        return False
    done = subprocess.run([git, "init", "--quiet", str(folder)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        log.warning("git init failed in %s: %s", folder, done.stderr.strip())
    return done.returncode == 0
