"""The site's Jinja templates: where they are found, the environment that
renders them, what changed in them, and a template's mistake in one line.

A corpus folder's own ``templates/`` overrides the shipped defaults file by
file. Pages are Markdown: ``front_matter`` writes the YAML head MkDocs reads
a page's title from. (The PDF's HTML environment is ``generator.pdf``'s.)
"""

from __future__ import annotations

import html
import sys
import traceback
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError

from generator.chars import yaml_double_quoted
from generator.text import finalize

TEMPLATE_PACKAGE = "generator.templates"


def template_dirs(root: Path | None) -> list[Path]:
    """A corpus folder's own templates/ first, then the shipped defaults."""
    dirs = []
    if root is not None and (root / "templates").is_dir():
        dirs.append(root / "templates")
    dirs.append(default_templates())
    return dirs


def template_file(dirs: Sequence[Path], name: str) -> Path:
    """The file that serves ``name``: the first template folder holding it."""
    return next(d / name for d in dirs if (d / name).is_file())


def default_templates() -> Path:
    return Path(str(resources.files(TEMPLATE_PACKAGE)))


def make_env(dirs: Sequence[Path]) -> Environment:
    # The pages are Markdown that becomes HTML. Autoescaping alone would let
    # Markdown syntax through, so finalize escapes both (generator.text) and
    # returns Markup; autoescape keeps macro output and links from being
    # escaped twice and escapes anything that slips past finalize.
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in dirs]),
        undefined=StrictUndefined,
        finalize=finalize,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def own_theme_dirs(theme_dirs: Iterable[str]) -> list[Path]:
    """The theme's folders outside the installed packages (a ``custom_dir``):
    those a user edits, whose changes a build or a rebuild must see."""
    return [Path(d) for d in theme_dirs if not d.startswith(sys.prefix)]


def template_stamps(dirs: Sequence[Path]) -> tuple[tuple[str, int], ...]:
    """Every template file and its mtime: when these differ, templates changed."""
    stamps = []
    for folder in dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stamps.append((str(path), path.stat().st_mtime_ns))
    return tuple(stamps)


def template_failure(exc: BaseException, root: Path | None = None) -> str | None:
    """A template's mistake in one line, located in the template (relative
    to the corpus folder ``root`` when it is in it); None when the exception
    did not come from a template. Jinja raises what a template's expression
    raised (a ZeroDivisionError, a KeyError) with the template's lines in
    the traceback, so those are looked for too."""
    def shown(filename: str) -> str:
        path = Path(filename)
        return path.relative_to(root).as_posix() if root is not None and path.is_relative_to(root) else filename

    if isinstance(exc, TemplateSyntaxError):
        return f"template {shown(exc.filename or exc.name or '')}:{exc.lineno}: {exc.message}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    what = exc.message if isinstance(exc, TemplateError) and exc.message else f"{type(exc).__name__}: {exc}"
    if frames:
        return f"template {shown(frames[-1].filename)}:{frames[-1].lineno}: {what}"
    if isinstance(exc, TemplateError):
        return f"template error: {what}"
    return None


def front_matter(title: str, boost: int = 0) -> str:
    """MkDocs takes a page's title from here and themes print it unescaped
    (in <title>, the navigation, search results), so it is HTML-escaped
    here, and written as a YAML double-quoted string that reads back as the
    same text whatever it holds (a character YAML does not allow raw would
    otherwise cost the page its front matter)."""
    if not title and not boost:
        return ""
    lines = ["---"]
    if title:
        lines.append(f"title: {yaml_double_quoted(html.escape(' '.join(title.split())))}")
    if boost:
        lines += ["search:", f"  boost: {boost}"]
    return "\n".join([*lines, "---", "", ""])
