"""Stage 5, build: the checked corpus to a site folder, all or nothing.

Read everything and check it first; only a valid corpus reaches MkDocs.
The new site is built beside the old one and swapped in, in one step, only
when the whole build succeeded (``generator.staging``), so a failed or
killed build leaves the previous ``site/`` as it was.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
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
from generator.render import SiteOptions, nav, render_pages
from generator.staging import staged
from generator.templating import template_dirs, template_failure, template_file

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
    policy = Policy(clock(), as_of)
    config = load_config(str(root / "mkdocs.yml"), strict=True)
    final = Path(site_dir or config.site_dir).resolve()
    t0 = time.perf_counter()
    with staged(final) as stage:
        config.site_dir = str(stage.path)
        _hand_over(config, checked, progress, policy)
        progress(f"building the site ({len(checked.corpus.records) if checked.corpus else 0} records)")
        try:
            mkdocs_build(config)
        except Exception as exc:
            why = template_failure(exc, root.resolve())
            if why is None and not isinstance(exc, (MkDocsException, OSError, yaml.YAMLError)):
                raise  # a bug: reported as one, and the old site stays
            return BuildResult(checked.problems, error=f"the site build failed, {final} is unchanged: {why or exc}")
        stage.commit()
    elapsed = time.perf_counter() - t0
    progress(f"built {final} in {elapsed:.1f} s")
    return BuildResult(checked.problems, final, timings={**checked.timings, "mkdocs": elapsed})


def _hand_over(config: Any, checked: CheckResult, progress: Progress, policy: Policy) -> None:
    """Give the plugin the corpus already read, so it is not read twice."""
    for plugin in config.plugins.values():
        if isinstance(plugin, BriefingPlugin):
            plugin.preloaded = checked
            plugin.progress = progress
            plugin.policy = policy
            return
    raise MkDocsException("mkdocs.yml does not list the 'briefing' plugin under plugins")


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
    dirs = template_dirs(root)
    # The docs folder replaced whole (no page of an earlier export stays
    # behind), and mkdocs.yml after it: a failed export changes nothing.
    with staged(out / "docs") as stage:
        for path, text in pages.items():
            _write_new(stage.path / path, text.encode("utf-8"))
        for asset in ASSETS:
            _write_new(stage.path / asset, template_file(dirs, asset).read_bytes())
        for item in checked.media:
            _write_new(stage.path / item.uri, item.path.read_bytes())
        stage.commit()
    text = yaml.safe_dump(plain_config(config), sort_keys=False, allow_unicode=True)
    tmp = out / ".mkdocs.yml.part"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out / "mkdocs.yml")
    return checked


def _write_new(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


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
