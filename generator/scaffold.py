"""Scaffolding: a new corpus repository (``briefing init``) and record
skeletons (``briefing new``).

Skeletons are generated from the record model, the one source of truth:
every required field gets a placeholder (text fields a ``TODO: ...`` that
``check`` warns about until it is replaced), every optional field a
commented-out line with its description. The text is written in the
canonical form ``briefing fmt`` keeps (dates double-quoted, sequences
unindented under their key), so a fresh file needs no reformatting.
"""

from __future__ import annotations

import io
import json
import logging
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from ruamel.yaml import YAML

from generator.dates import PartialDate
from generator.discover import CORPUS_FOLDER, RECORD_SUFFIXES, RecordFile
from generator.errors import BriefingError
from generator.fields import Shape, ordered_fields, shape_of
from generator.load import load_file
from generator.model import FOLDERS, KINDS, Source
from generator.scalars import plain_is_text
from generator.schema import SCHEMA_DIR, vscode_settings, write_schemas
from generator.slugs import SLUG_MAX, is_slug
from generator.text import with_article
from generator.validate import PLACEHOLDER, Entry, validate

log = logging.getLogger(__name__)

# What a reference nobody named yet points to: a valid slug, so the skeleton
# validates, and `check` reports it as a dangling reference until it is replaced.
PLACEHOLDER_ID = "todo"
# Required dates that must be moments, not days (the linker refuses a brief's
# as_of without a time and its offset: what was known when, and where).
_MINUTE_FIELDS = frozenset({"as_of"})


class ScaffoldError(BriefingError):
    """What the user asked for cannot be done (a usage error): nothing was written."""


# --- describing a field ----------------------------------------------------------------


def _words(cls: type[BaseModel]) -> str:
    """KeyPoint -> "key point": how a nested model is named in a placeholder."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()


def _plural(kind: str) -> str:
    return FOLDERS.get(kind, kind + "s")


def _either(kinds: tuple[str, ...], plural: bool = False) -> str:
    names = [_plural(k) if plural else k for k in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _describe(shape: Shape) -> str:
    """What a field holds, for fields the model gives no description."""
    if shape.base == "ref":
        return f"ids of {_either(shape.kinds, True)}" if shape.many else f"id of {with_article(_either(shape.kinds))}"
    if shape.base == "model" and shape.model is not None:
        what = ", ".join(ordered_fields(shape.model))
        return f"each: {what}" if shape.many else f"fields: {what}"
    if shape.base == "choice":  # the choices follow
        return "a list" if shape.many else ""
    single = {"date": "a date: 2023, 2023-09, 2023-09-20 or 2023-09-20T13:00+04:00", "bool": "true or false",
              "number": "a number", "slug": "a slug", "text": "text"}[shape.base]
    return f"a list, each {single}" if shape.many else single


def _choices(shape: Shape) -> str:
    return "one of: " + ", ".join(str(c) for c in shape.choices) if shape.base == "choice" else ""


# --- the skeleton as data ---------------------------------------------------------------


class _Date(str):
    """A date: always written double-quoted, as `briefing fmt` writes them."""


class _Todo(str):
    """A reference nobody named: the placeholder id, with where it sits."""

    path: str
    kinds: tuple[str, ...]


@dataclass(slots=True)
class _Entry:
    key: str
    value: Any  # the data; for a commented-out field, its example as YAML text
    comment: str = ""
    commented: bool = False


@dataclass(slots=True)
class _Map:
    entries: list[_Entry]


@dataclass(frozen=True, slots=True)
class MissingRef:
    """A required reference written as the placeholder id: no --ref named it."""

    path: str  # into the record: "key_points[0].cites[0]"
    kinds: tuple[str, ...]


@dataclass(slots=True)
class _Context:
    kind: str
    rid: str
    refs: dict[str, list[str]]
    now: datetime
    day: str  # what date fields get
    ref_fields: set[str] = field(default_factory=set)  # every reference field the skeleton offers


def _placeholder(shape: Shape, key: str, owner: str, info: FieldInfo, ctx: _Context, path: str) -> Any:
    """The value a filled field gets when the user named none."""
    if shape.base == "ref":
        todo = _Todo(PLACEHOLDER_ID)
        todo.path, todo.kinds = path, shape.kinds
        return todo
    if shape.base == "date":
        if key in _MINUTE_FIELDS:
            offset = ctx.now.strftime("%z") or "+0000"
            return _Date(f"{ctx.now:%Y-%m-%dT%H:%M}{offset[:3]}:{offset[3:]}")
        return _Date(ctx.day)
    if shape.base == "choice":
        return shape.choices[0]
    if shape.base == "bool":
        return False
    if shape.base == "number":
        return 0
    if shape.base == "slug":
        return PLACEHOLDER_ID
    if shape.base == "model" and shape.model is not None:
        return _Map(_mapping(shape.model, ctx, path))
    what = info.description or f"the {key.replace('_', ' ')} of this {owner}"
    return f"{PLACEHOLDER}: {what}"


def _value(shape: Shape, key: str, owner: str, info: FieldInfo, ctx: _Context, path: str) -> Any:
    if shape.base == "ref" and key in ctx.refs:
        given = ctx.refs[key]
        if not shape.many and len(given) > 1:
            raise ScaffoldError(f"--ref {key}: '{key}' takes one id, got {len(given)}: {', '.join(given)}")
        return list(given) if shape.many else given[0]
    if shape.many:
        item_path = f"{path}[0]"
        return [_placeholder(shape, key, owner, info, ctx, item_path)]
    return _placeholder(shape, key, owner, info, ctx, path)


def _mapping(cls: type[BaseModel], ctx: _Context, prefix: str = "") -> list[_Entry]:
    """The entries of a record, or of a nested mapping, in canonical order.

    Required fields and fields named by --ref are filled. A model may need
    more than its required fields (a brief section's selection needs ids or a
    criterion), so optional fields are filled in order until the mapping
    validates: which field that is stays the model's business."""
    fields = ordered_fields(cls)
    ctx.ref_fields.update(key for key, info in fields.items() if shape_of(info).base == "ref")
    filled = {key for key, info in fields.items() if info.is_required() or key in ctx.refs}
    spare = [key for key in fields if key not in filled]
    while True:
        entries = [_entry(key, info, key in filled, cls, ctx, prefix) for key, info in fields.items()]
        if not spare or _valid(cls, entries):
            return entries
        filled.add(spare.pop(0))


def _entry(key: str, info: FieldInfo, filled: bool, cls: type[BaseModel], ctx: _Context, prefix: str) -> _Entry:
    shape = shape_of(info)
    path = f"{prefix}.{key}" if prefix else key
    if filled:
        owner = ctx.kind if not prefix else _words(cls)
        return _Entry(key, _value(shape, key, owner, info, ctx, path), _choices(shape))
    described = info.description or _describe(shape)
    comment = "; ".join(c for c in (described.rstrip("."), _choices(shape)) if c)
    return _Entry(key, _example(shape, key, info, ctx), comment, commented=True)


def _example(shape: Shape, key: str, info: FieldInfo, ctx: _Context) -> str:
    """What a commented-out optional field shows: its default, or a value of its type."""
    if key == "id" and not shape.many:
        return ctx.rid
    default: Any = info.default
    if info.default_factory is not None:
        default = info.default_factory()  # type: ignore[call-arg]
    if isinstance(default, list):
        return "[" + ", ".join(_scalar(_plain(v)) for v in default) + "]"
    if default is not None and default is not PydanticUndefined:
        return _scalar(_plain(default))
    if shape.many:
        return "[]"
    if shape.base == "model" and shape.model is not None:
        required = {k: i for k, i in ordered_fields(shape.model).items() if i.is_required()}
        inner = ", ".join(f"{k}: {_example(shape_of(i), k, i, ctx)}" for k, i in required.items())
        return "{" + inner + "}"
    samples = {"ref": PLACEHOLDER_ID, "slug": PLACEHOLDER_ID, "bool": "false", "number": "0", "text": PLACEHOLDER}
    if shape.base == "date":
        return _scalar(_Date(ctx.day))
    if shape.base == "choice":
        return _scalar(shape.choices[0])
    return samples[shape.base]


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _data(value: Any) -> Any:
    """The skeleton's entries as the plain data a loader would read."""
    if isinstance(value, _Map):
        return {e.key: _data(e.value) for e in value.entries if not e.commented}
    if isinstance(value, list):
        return [_data(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return _plain(value)


def _valid(cls: type[BaseModel], entries: list[_Entry]) -> bool:
    try:
        cls.model_validate(_data(_Map(entries)))
    except ValidationError:
        return False
    return True


def _missing(value: Any) -> list[MissingRef]:
    if isinstance(value, _Todo):
        return [MissingRef(value.path, value.kinds)]
    if isinstance(value, _Map):
        return [m for e in value.entries if not e.commented for m in _missing(e.value)]
    if isinstance(value, list):
        return [m for v in value for m in _missing(v)]
    return []


# --- the skeleton as YAML text --------------------------------------------------------------


def _ruamel() -> YAML:
    yaml = YAML()
    yaml.width = 10_000  # one line per value: nothing of ours is long
    return yaml


def _scalar(value: Any) -> str:
    """One value as YAML, quoted only where needed, as ruamel (and so
    `briefing fmt`) writes it; dates always double-quoted."""
    if isinstance(value, _Date):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    buffer = io.StringIO()
    _ruamel().dump({"k": str(value)}, buffer)
    text = buffer.getvalue()[len("k: "):].rstrip("\n")
    # ruamel quotes what YAML 1.2 needs quoted; YAML 1.1 tools read a plain
    # `no` or `1_000` otherwise, and `check` warns about that: quote it too.
    if text == str(value) and not plain_is_text(text):
        return "'" + text.replace("'", "''") + "'"
    return text


def _lines(entries: list[_Entry], indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for e in entries:
        tail = f"  # {e.comment}" if e.comment else ""
        if e.commented:
            out.append(f"{pad}# {e.key}: {e.value}{tail}")
        elif isinstance(e.value, list) and e.value:
            out.append(f"{pad}{e.key}:{tail}")
            for item in e.value:  # unindented under the key, as fmt writes sequences
                out += _item(item, indent)
        elif isinstance(e.value, _Map):
            out.append(f"{pad}{e.key}:{tail}")
            out += _lines(e.value.entries, indent + 2)
        elif isinstance(e.value, list):
            out.append(f"{pad}{e.key}: []{tail}")
        else:
            out.append(f"{pad}{e.key}: {_scalar(e.value)}{tail}")
    return out


def _item(item: Any, indent: int) -> list[str]:
    pad = " " * indent
    if not isinstance(item, _Map):
        return [f"{pad}- {_scalar(item)}"]
    body = _lines(item.entries, indent + 2)
    # The dash goes on the first field; comments before it stay above.
    first = next(i for i, line in enumerate(body) if not line.lstrip().startswith("#"))
    body[first] = f"{pad}- {body[first][indent + 2:]}"
    return body


def modeline(kind: str) -> str:
    """The first line that points yaml-language-server at the kind's schema."""
    return f"# yaml-language-server: $schema=../../{SCHEMA_DIR}/{kind}.schema.json"


@dataclass(frozen=True, slots=True)
class Skeleton:
    text: str
    missing: list[MissingRef]  # required references left as the placeholder id


def skeleton(kind: str, rid: str, refs: dict[str, list[str]], now: datetime, day: str | None = None) -> Skeleton:
    """A new record's YAML text. Pure: the corpus is not read.

    ``refs`` maps reference fields to the ids they get (``--ref sources=x``);
    ``now`` (aware) gives the brief's as-of, and the dates unless ``day`` is given."""
    if kind not in KINDS:
        raise ScaffoldError(f"no record kind '{kind}': one of {', '.join(KINDS)}")
    for key, ids in refs.items():
        bad = [i for i in ids if not is_slug(i)]
        if bad:
            raise ScaffoldError(f"--ref {key}={bad[0]}: ids are lower-case slugs (a-z, 0-9, single hyphens)")
    ctx = _Context(kind, rid, refs, now, day or f"{now:%Y-%m-%d}")
    entries = _mapping(KINDS[kind], ctx)
    unknown = sorted(set(refs) - ctx.ref_fields)
    if unknown:
        raise ScaffoldError(f"--ref {unknown[0]}: {with_article(kind)} has no reference field '{unknown[0]}' "
                            f"(its reference fields: {', '.join(sorted(ctx.ref_fields)) or 'none'})")
    head = [modeline(kind),
            f"# A new {kind}: replace each {PLACEHOLDER} and each '{PLACEHOLDER_ID}' id; "
            f"uncomment the optional fields you need."]
    return Skeleton("\n".join([*head, *_lines(entries, 0)]) + "\n", _missing(_Map(entries)))


# --- briefing new -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewRecord:
    path: Path
    missing: list[MissingRef]
    existing: dict[str, list[str]]  # kind -> ids already in the corpus
    unknown_targets: list[str]  # ids given with --ref that no record has yet


def existing_ids(root: Path) -> dict[str, list[str]]:
    """{kind: ids} from the file names: cheap, nothing is parsed."""
    out: dict[str, list[str]] = {}
    for kind, folder in FOLDERS.items():
        base = root / CORPUS_FOLDER / folder
        found = (p for p in base.iterdir() if p.suffix in RECORD_SUFFIXES) if base.is_dir() else iter(())
        out[kind] = sorted(p.stem for p in found)
    return out


def new_record(root: Path, kind: str, rid: str, refs: dict[str, list[str]], now: datetime) -> NewRecord:
    """Write briefings/<kind>s/<rid>.yaml as a skeleton; refuse anything that would clash."""
    if not (root / CORPUS_FOLDER).is_dir():
        raise ScaffoldError(f"no {CORPUS_FOLDER}/ folder in {root}: run this in a corpus "
                            f"(or pass it with -C), or start one with 'briefing init'")
    if not is_slug(rid):
        raise ScaffoldError(f"'{rid}' is not an id: ids are lower-case slugs "
                            f"(a-z, 0-9, single hyphens, at most {SLUG_MAX} characters)")
    existing = existing_ids(root)
    # Ids are unique across kinds: an event and a claim cannot share one.
    clash = next((k for k, ids in existing.items() if rid in ids), None)
    if clash is not None:
        raise ScaffoldError(f"the id '{rid}' is taken: {CORPUS_FOLDER}/{FOLDERS[clash]}/ has it")
    made = skeleton(kind, rid, refs, now, _published(root, refs))
    path = root / CORPUS_FOLDER / FOLDERS[kind] / f"{rid}.yaml"
    path.parent.mkdir(exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(made.text)
    known = {i for ids in existing.values() for i in ids}
    unknown = sorted({i for ids in refs.values() for i in ids} - known)
    log.debug("wrote %s", path)
    return NewRecord(path, made.missing, existing, unknown)


def _published(root: Path, refs: dict[str, list[str]]) -> str | None:
    """The earliest publication date of the sources named with --ref. A quote
    or claim dated after the source that prints it is an error, so a
    placeholder date must not be after it either; today would be."""
    dates: list[PartialDate] = []
    for rid in sorted({i for ids in refs.values() for i in ids}):
        for suffix in RECORD_SUFFIXES:
            path = root / CORPUS_FOLDER / FOLDERS["source"] / f"{rid}{suffix}"
            if path.is_file():
                loaded, _ = load_file(RecordFile(path, path.name, "source", rid))
                checked, _ = validate(loaded)
                if isinstance(checked, Entry) and isinstance(checked.model, Source):
                    dates.append(checked.model.published)
    return min(dates, key=lambda d: d.sort_key).text if dates else None


def missing_ref_notes(result: NewRecord, shown: int = 5) -> list[str]:
    """For each placeholder reference: which ids it could take."""
    notes = []
    for m in result.missing:
        ids = sorted(i for k in m.kinds for i in result.existing.get(k, []))
        key = m.path.rsplit(".", 1)[-1].split("[")[0]
        head = f"{m.path}: no --ref {key}=ID given, so it holds '{PLACEHOLDER_ID}'"
        if not ids:
            notes.append(f"{head}; there is no {_either(m.kinds)} yet "
                         f"(briefing new {m.kinds[0]} ID)")
            continue
        more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
        notes.append(f"{head}; existing {_either(m.kinds, True)}: {', '.join(ids[:shown])}{more}")
    return notes


# --- briefing init ------------------------------------------------------------------------------

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

_NOTE = "notes: Example record written by briefing init, fictional; edit it or delete it."

# One fictional record of each kind, referring to each other so that
# `briefing check --strict` is clean and every page type has something on it.
_EXAMPLES: dict[str, tuple[str, str]] = {
    "source": ("example-daily-2024-05-02", """\
title: Example River Bridge reopens after a year of repairs
publisher: The Example Daily
authors:
- A. N. Example
published: "2024-05-02"
url: https://example.org/news/bridge-reopens
kind: news-report
reliability: B
credibility: 2
summary: A fictional news report on the reopening of the Example River Bridge.
"""),
    "actor": ("example-transport-ministry", """\
name: Example Ministry of Transport
type: government-body
summary: The fictional ministry that runs the Example River Bridge.
"""),
    "place": ("example-river-bridge", """\
name: Example River Bridge
type: site
summary: A fictional road bridge, closed for a year of repairs.
"""),
    "event": ("example-bridge-reopening", """\
title: Example River Bridge reopens
date: "2024-05-01"
summary: The Example River Bridge reopened to traffic after a year of repairs.
actors:
- actor: example-transport-ministry
  role: operator
places:
- example-river-bridge
topics:
- bridge-repairs
claims:
- example-bridge-capacity
sources:
- example-daily-2024-05-02
"""),
    "claim": ("example-bridge-capacity", """\
statement: The repaired bridge can carry 5,000 vehicles a day.
asserted_by: The Example Ministry of Transport
actors:
- example-transport-ministry
subject: bridge-daily-capacity
value: 5000
unit: vehicles a day
date: "2024-05-01"
topics:
- bridge-repairs
sources:
- example-daily-2024-05-02
"""),
    "quote": ("example-ministry-on-reopening", """\
text: The bridge is open again, ahead of schedule.
speaker: example-transport-ministry
said: "2024-05-01"
source: example-daily-2024-05-02
event: example-bridge-reopening
context: A ministry spokesperson, at the reopening.
topics:
- bridge-repairs
"""),
    "brief": ("example-brief", """\
title: The Example River Bridge reopens
subtitle: An example brief, on fictional records
as_of: "2024-05-02T18:00+00:00"
bottom_line: The Example River Bridge reopened on 1 May 2024; the ministry says it carries 5,000 vehicles a day.
key_points:
- text: The bridge reopened on 1 May 2024 after a year of repairs.
  cites:
  - example-bridge-reopening
- text: The ministry puts its capacity at 5,000 vehicles a day.
  cites:
  - example-bridge-capacity
  - example-ministry-on-reopening
sections:
- title: The reopening
  summary: What happened, and what was said about it.
  select:
    topics:
    - bridge-repairs
"""),
}


def example_ids() -> dict[str, str]:
    """{kind: id} of the example records `init` writes."""
    return {kind: rid for kind, (rid, _) in _EXAMPLES.items()}


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
    for kind, (rid, body) in _EXAMPLES.items():
        files[f"{CORPUS_FOLDER}/{FOLDERS[kind]}/{rid}.yaml"] = f"{modeline(kind)}\n{body}{_NOTE}\n"
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
