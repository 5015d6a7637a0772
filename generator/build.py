"""Stage 5, build: the checked corpus to a site folder, all or nothing.

Read everything and check it first; only a valid corpus reaches MkDocs.
The new site is built beside the old one and swapped in only when the
whole build succeeded, so a failed build leaves the previous ``site/``
as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import TemplateError, TemplateSyntaxError
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.corpus import CheckResult, read_corpus
from generator.dates import PartialDate
from generator.editions import since_previous
from generator.history import DEFAULT_EDITIONS, read_history
from generator.plugin import ASSETS, SHIM, BriefingPlugin
from generator.problems import Problem
from generator.publish import Policy, clock, publish
from generator.render import SiteOptions, nav, render_pages, template_dirs, template_file

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass(slots=True)
class BuildResult:
    problems: list[Problem]
    site_dir: Path | None = None  # where the site now is, when built
    error: str = ""  # why MkDocs failed, when it did
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.site_dir is not None


def build_site(root: Path, progress: Progress = log.info, site_dir: Path | None = None,
               as_of: PartialDate | None = None) -> BuildResult:
    """Check, then build the site (strict) into ``site_dir`` (default: the
    config's ``site_dir``), replacing the old site only on success. With
    ``as_of``, the site shows only what could have been known then."""
    start = time.perf_counter()
    checked = read_corpus(root)
    progress(f"checked {checked.files} records in {time.perf_counter() - start:.2f} s")
    if not checked.ok:
        return BuildResult(checked.problems)
    config = load_config(str(root / "mkdocs.yml"), strict=True)
    final = Path(site_dir or config.site_dir).resolve()
    staging = final.parent / f".{final.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    config.site_dir = str(staging)
    _hand_over(config, checked, progress, Policy(clock(), as_of))
    progress(f"building the site ({len(checked.corpus.records) if checked.corpus else 0} records)")
    t0 = time.perf_counter()
    try:
        mkdocs_build(config)
    except (MkDocsException, OSError, yaml.YAMLError, TemplateError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        return BuildResult(checked.problems, error=f"the site build failed, {final} is unchanged: {_why(exc)}")
    _swap(staging, final)
    elapsed = time.perf_counter() - t0
    progress(f"built {final} in {elapsed:.1f} s")
    return BuildResult(checked.problems, final, timings={**checked.timings, "mkdocs": elapsed})


def _why(exc: Exception) -> str:
    """A template's mistake located in the template, as a problem would be."""
    if isinstance(exc, TemplateSyntaxError):
        return f"template {exc.filename or exc.name}:{exc.lineno}: {exc.message}"
    if isinstance(exc, TemplateError):
        return f"template error: {exc.message or exc}"
    return str(exc)


def _hand_over(config: Any, checked: CheckResult, progress: Progress, policy: Policy) -> None:
    """Give the plugin the corpus already read, so it is not read twice."""
    for plugin in config.plugins.values():
        if isinstance(plugin, BriefingPlugin):
            plugin.preloaded = checked
            plugin.progress = progress
            plugin.policy = policy
            return
    raise MkDocsException("mkdocs.yml does not list the 'briefing' plugin under plugins")


def _swap(staging: Path, final: Path) -> None:
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        final.rename(old)
    try:
        staging.rename(final)
    except OSError:
        if old.exists():
            old.rename(final)
        raise
    shutil.rmtree(old, ignore_errors=True)


# --- plain pages for another builder -----------------------------------------------


def export_pages(root: Path, out: Path, as_of: PartialDate | None = None) -> CheckResult:
    """Write the pages as a plain MkDocs project: ``out/docs`` and an
    ``out/mkdocs.yml`` without the briefing plugin (readable by Zensical).
    What is published is what a build publishes: no drafts, no embargoed
    records, no mention of them."""
    checked = read_corpus(root)
    if not checked.ok or checked.corpus is None:
        return checked
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    settings = plugin_settings(config)
    policy = Policy(clock(), as_of)
    corpus = publish(checked.corpus, policy).corpus
    editions = since_previous(root, corpus, policy, str(settings.get("editions", DEFAULT_EDITIONS)))
    options = SiteOptions(str(config.get("site_name", "Briefing")), as_of=as_of,
                          history=read_history(root) if settings.get("history", True) else None,
                          editions=editions or None)
    pages = render_pages(corpus, root, options)
    docs = out / "docs"
    for path, text in pages.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    dirs = template_dirs(root)
    for asset in ASSETS:
        (docs / asset).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template_file(dirs, asset), docs / asset)
    (out / "mkdocs.yml").write_text(yaml.safe_dump(plain_config(config), sort_keys=False, allow_unicode=True),
                                    encoding="utf-8")
    return checked


def plugin_settings(config: dict[str, Any]) -> dict[str, Any]:
    """The briefing plugin's settings in a mkdocs.yml read as plain YAML
    (for commands that run without MkDocs)."""
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("briefing"), dict):
            return dict(plugin["briefing"])
    return {}


def plain_config(config: dict[str, Any]) -> dict[str, Any]:
    """The corpus' mkdocs.yml, with what the plugin would add written out."""
    plugins = [p for p in config.get("plugins", [])
               if p != "briefing" and not (isinstance(p, dict) and "briefing" in p)]
    extra = dict(config.get("extra") or {})
    extra["polyfills"] = [SHIM]
    return {
        **{k: v for k, v in config.items() if k not in ("plugins", "docs_dir", "site_dir", "nav", "extra")},
        "docs_dir": "docs",
        "nav": config.get("nav") or nav(),
        "plugins": plugins,
        "extra": extra,
        "extra_css": [*config.get("extra_css", []), "assets/briefing.css"],
        "extra_javascript": [*config.get("extra_javascript", []), "assets/briefing.js"],
    }
