"""The writers of pages: the site, through the engine, and plain pages for
another builder.

``build_site`` prepares the corpus (``generator.pipeline``) before the
engine starts, so that only a valid corpus reaches it, then runs the engine
(``generator.engine``: ProperDocs), whose briefing plugin takes what was
prepared. The new site is built beside the old one and swapped in, in one
step, only when the whole build succeeded (``generator.staging``), so a
failed or killed build leaves the previous ``site/`` as it was.

``export_pages`` writes the same pages as a plain MkDocs project, for a
builder that runs no plugin (Zensical, bare MkDocs).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from generator.corpus import CheckResult
from generator.dates import PartialDate
from generator.engine import engine_logger, engine_name
from generator.export_context import DATA_DIR
from generator.exports import write_export
from generator.options import Settings, settings_of
from generator.page_cache import PageCache, open_cache
from generator.pipeline import ASSETS, SHIM, Prepared, Progress, Session, export_data, prepare, render_site
from generator.problems import Problem
from generator.publish import Policy, clock
from generator.render import nav
from generator.settings import SettingsError, load_engine_config, raw_config, settings_from
from generator.staging import staged
from generator.templating import template_dirs, template_failure, template_file

log = logging.getLogger(__name__)


@dataclass(slots=True)
class BuildResult:
    """What a build did: the problems found, and where the site now is."""

    problems: list[Problem]
    site_dir: Path | None = None  # where the site now is, when built
    error: str = ""  # why the engine failed, when it did
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.site_dir is not None


def build_site(root: Path, progress: Progress = log.info, site_dir: Path | None = None,
               as_of: PartialDate | None = None) -> BuildResult:
    """Check, then build the site (strict) into ``site_dir`` (default: the
    config's ``site_dir``), replacing the old site only on success. With
    ``as_of``, the site shows only what could have been known then."""
    config = load_engine_config(root, strict=True)
    settings = settings_of(config)
    session = _session(config)
    # The pages, checked records and exports an earlier build left, for these same inputs.
    cache = open_cache(settings.root, config.config_file_path, config.theme.dirs) if settings.cache else None
    try:
        return _build_with(config, settings, session, cache, progress, site_dir, as_of)
    finally:
        if cache is not None:
            cache.close()


def _build_with(config: MkDocsConfig, settings: Settings, session: Session, cache: PageCache | None,
                progress: Progress, site_dir: Path | None, as_of: PartialDate | None) -> BuildResult:
    start = time.perf_counter()
    # Records whose files are unchanged since the last build are not checked again.
    files = cache.files if cache is not None else {}
    prepared = prepare(settings, policy=Policy(clock(), as_of), session=Session(files=files), pdf_links=settings.pdf,
                       progress=progress)
    checked = prepared.checked
    progress(f"checked {checked.files} records in {time.perf_counter() - start:.2f} s")
    if not prepared.ok:
        return BuildResult(checked.problems)
    final = Path(site_dir or config.site_dir).resolve()
    t0 = time.perf_counter()
    session.cache, session.rendered = cache, cache.state if cache else None
    with staged(final) as stage:
        config.site_dir = str(stage.path)
        session.ready, session.progress, session.elsewhere = prepared, progress, True
        progress(f"building the site ({len(prepared.corpus.records)} records) with {engine_name()}")
        try:
            # Dirty: the engine skips the pages the cache put in place and
            # those a worker builds (generator.engine_workers); the new
            # site's folder starts empty, so nothing stale is kept.
            with _quiet_dirty_notice():
                build(config, dirty=True)
        except Exception as exc:
            why = template_failure(exc, settings.root)
            if why is None and not isinstance(exc, (MkDocsException, OSError, yaml.YAMLError)):
                raise  # a bug: reported as one, and the old site stays
            return BuildResult(checked.problems,
                               error=f"the site build failed, {final} is unchanged: {why or exc}")
        stage.commit()
    if cache is not None:
        cache.leave(session.rendered, files)
    elapsed = time.perf_counter() - t0
    reused = f", {cache.reused} of {len(cache.stored)} pages from the page cache" if cache is not None else ""
    progress(f"built {final} in {elapsed:.1f} s{reused}")
    return BuildResult(checked.problems, final, timings={**checked.timings, "mkdocs": elapsed})


@contextlib.contextmanager
def _quiet_dirty_notice() -> Iterator[None]:
    """The engine warns that a dirty build may leave stale pages, which
    strict mode counts as a failure; ours starts from an empty folder and
    puts in place only pages cached for the same inputs."""
    notice = logging.getLogger(f"{engine_logger()}.commands.build")

    def keep(record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")

    notice.addFilter(keep)
    try:
        yield
    finally:
        notice.removeFilter(keep)


def _session(config: MkDocsConfig) -> Session:
    """The plugin's session, which takes the corpus prepared here."""
    for plugin in config.plugins.values():
        session = getattr(plugin, "session", None)
        if isinstance(session, Session):
            return session
    raise SettingsError("mkdocs.yml does not list the 'briefing' plugin under plugins")


# --- plain pages for another builder -----------------------------------------------


def export_pages(root: Path, out: Path, as_of: PartialDate | None = None) -> CheckResult:
    """Write the pages as a plain MkDocs project: ``out/docs`` and an
    ``out/mkdocs.yml`` without the briefing plugin (readable by Zensical).
    What is published is what a build publishes: no drafts, no embargoed
    records, no mention of them."""
    raw = raw_config(root)
    settings = settings_from(root, raw)
    prepared = prepare(settings, policy=Policy(clock(), as_of))
    if not prepared.ok:
        return prepared.checked
    _write_docs(prepared, settings, out / "docs")
    # mkdocs.yml after the docs folder: a failed export changes nothing.
    text = yaml.dump(plain_config(raw), Dumper=_ConfigDumper, sort_keys=False, allow_unicode=True)
    tmp = out / ".mkdocs.yml.part"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out / "mkdocs.yml")
    return prepared.checked


def export_data_files(root: Path, out: Path, formats: tuple[str, ...],
                      as_of: PartialDate | None = None) -> tuple[CheckResult, int]:
    """``briefing export``: the published corpus in ``formats`` written into
    ``out`` (every file made before the first is written); the check's
    result, and how many files were written (none when it has errors)."""
    settings = settings_from(root, raw_config(root))
    prepared = prepare(settings, policy=Policy(clock(), as_of))
    if not prepared.ok:
        return prepared.checked, 0
    files = export_data(prepared, settings, formats)
    write_export(files, out)
    return prepared.checked, len(files)


def _write_docs(prepared: Prepared, settings: Settings, docs: Path) -> None:
    """The docs folder replaced whole: no page of an earlier export stays behind."""
    pages = render_site(prepared, settings.root)
    dirs = template_dirs(settings.root)
    with staged(docs) as stage:
        for path, text in pages.items():
            _write_new(stage.path / path, text.encode("utf-8"))
        for asset in ASSETS:
            _write_new(stage.path / asset, template_file(dirs, asset).read_bytes())
        for item in prepared.checked.media:
            _write_new(stage.path / item.uri, item.path.read_bytes())
        for rel_path, data in export_data(prepared, settings).items():
            _write_new(stage.path / DATA_DIR / rel_path, data)
        stage.commit()


def _write_new(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def plain_config(config: dict[str, Any]) -> dict[str, Any]:
    """The corpus' mkdocs.yml (as the engine's loader reads it: ``!ENV``
    resolved, ``INHERIT`` merged), with what the plugin would add written
    out and the plugin itself left out."""
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


class _ConfigDumper(yaml.SafeDumper):
    """Writes what a mkdocs.yml may hold beyond plain data the way MkDocs
    reads it back: a function or class named by ``!!python/name:`` (Material's
    emoji settings), a path placeholder (``!relative``) as its path."""


def _python_name(dumper: yaml.SafeDumper, value: Any) -> yaml.Node:
    return dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{value.__module__}.{value.__qualname__}", "")


_ConfigDumper.add_multi_representer(type, _python_name)
_ConfigDumper.add_representer(type(plain_config), _python_name)
_ConfigDumper.add_multi_representer(os.PathLike,  # type: ignore[type-abstract]
                                    lambda dumper, value: dumper.represent_str(os.fspath(value)))
