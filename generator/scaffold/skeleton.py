"""``briefing new``'s record skeleton, generated from the record model.

Every required field gets a placeholder (text fields a ``TODO: ...`` that
``check`` warns about until it is replaced, references the id
``todo``), every optional field a commented-out line with its description.
The text is written in the canonical form ``briefing fmt`` keeps (dates
double-quoted, sequences unindented under their key), so a fresh file
needs no reformatting. Pure: nothing is read or written.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from ruamel.yaml import YAML

from generator.errors import BriefingError
from generator.fields import Shape, ordered_fields, shape_of
from generator.model import FOLDERS, KINDS
from generator.scalars import plain_is_text
from generator.schema import SCHEMA_DIR, VOCABULARY_SCHEMA
from generator.slugs import is_slug
from generator.text import with_article
from generator.validate import PLACEHOLDER
from generator.vocabulary import DEFAULT, VOCABULARY_FILE, Vocabulary

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


def either(kinds: tuple[str, ...], plural: bool = False) -> str:
    """("claim", "event", "quote") -> "claim, event or quote" (plural: "claims, events or quotes")."""
    names = [_plural(k) if plural else k for k in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _describe(shape: Shape) -> str:
    """What a field holds, for fields the model gives no description."""
    if shape.base == "ref":
        return f"ids of {either(shape.kinds, True)}" if shape.many else f"id of {with_article(either(shape.kinds))}"
    if shape.base == "model" and shape.model is not None:
        what = ", ".join(ordered_fields(shape.model))
        return f"each: {what}" if shape.many else f"fields: {what}"
    if shape.base in ("choice", "term"):  # the choices follow
        return "a list" if shape.many else ""
    single = {"date": "a date: 2023, 2023-09, 2023-09-20 or 2023-09-20T13:00+04:00", "bool": "true or false",
              "number": "a number", "slug": "a slug", "text": "text",
              "prose": "text: [@id] cites a claim, event or quote, [words](@id) links a record"}[shape.base]
    return f"a list, each {single}" if shape.many else single


# A comment lists at most this many terms; `briefing vocabulary` lists them all.
_TERMS_SHOWN = 16


def _terms(shape: Shape, vocabulary: Vocabulary) -> list[str]:
    return list(vocabulary.of(shape.kinds[0]))


def _choices(shape: Shape, vocabulary: Vocabulary) -> str:
    if shape.base == "term":
        name, terms = shape.kinds[0], _terms(shape, vocabulary)
        if not terms:
            return f"a term of {name} in briefings/{VOCABULARY_FILE}"
        shown = ", ".join(terms[:_TERMS_SHOWN]) + (" ... (`briefing vocabulary` lists them all)"
                                                   if len(terms) > _TERMS_SHOWN else "")
        return f"one of: {shown}; more in briefings/{VOCABULARY_FILE} ({name})"
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
    vocabulary: Vocabulary = DEFAULT  # the corpus' merged vocabulary: the terms a comment offers


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
    if shape.base == "term":
        terms = _terms(shape, ctx.vocabulary)
        return terms[0] if terms else PLACEHOLDER_ID
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
        return _Entry(key, _value(shape, key, owner, info, ctx, path), _choices(shape, ctx.vocabulary))
    described = info.description or _describe(shape)
    comment = "; ".join(c for c in (described.rstrip("."), _choices(shape, ctx.vocabulary)) if c)
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
    samples = {"ref": PLACEHOLDER_ID, "slug": PLACEHOLDER_ID, "term": PLACEHOLDER_ID, "bool": "false", "number": "0",
               "text": PLACEHOLDER, "prose": PLACEHOLDER}
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


def vocabulary_modeline() -> str:
    """The same for the vocabulary file, at the top of the corpus folder."""
    return f"# yaml-language-server: $schema=../{SCHEMA_DIR}/{VOCABULARY_SCHEMA}"


@dataclass(frozen=True, slots=True)
class Skeleton:
    text: str
    missing: list[MissingRef]  # required references left as the placeholder id


def skeleton(kind: str, rid: str, refs: dict[str, list[str]], now: datetime, day: str | None = None,
             vocabulary: Vocabulary = DEFAULT) -> Skeleton:
    """A new record's YAML text. Pure: the corpus is not read (its vocabulary is given).

    ``refs`` maps reference fields to the ids they get (``--ref sources=x``);
    ``now`` (aware) gives the brief's as-of, and the dates unless ``day`` is given."""
    if kind not in KINDS:
        raise ScaffoldError(f"no record kind '{kind}': one of {', '.join(KINDS)}")
    for key, ids in refs.items():
        bad = [i for i in ids if not is_slug(i)]
        if bad:
            raise ScaffoldError(f"--ref {key}={bad[0]}: ids are lower-case slugs (a-z, 0-9, single hyphens)")
    ctx = _Context(kind, rid, refs, now, day or f"{now:%Y-%m-%d}", vocabulary=vocabulary)
    entries = _mapping(KINDS[kind], ctx)
    unknown = sorted(set(refs) - ctx.ref_fields)
    if unknown:
        raise ScaffoldError(f"--ref {unknown[0]}: {with_article(kind)} has no reference field '{unknown[0]}' "
                            f"(its reference fields: {', '.join(sorted(ctx.ref_fields)) or 'none'})")
    head = [modeline(kind),
            f"# A new {kind}: replace each {PLACEHOLDER} and each '{PLACEHOLDER_ID}' id; "
            f"uncomment the optional fields you need."]
    return Skeleton("\n".join([*head, *_lines(entries, 0)]) + "\n", _missing(_Map(entries)))
