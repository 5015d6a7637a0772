"""Reading the record model: its fields by the key they have in YAML, in
canonical order; what each field holds (a reference, a date, a choice, a
nested model ...); the model class behind a path into a record; every
reference a record makes.

``generator.model`` declares the records; the code that needs to know
their shape asks here: fmt orders fields, ``briefing new`` writes
skeletons, validate words its problems, link and publish follow references.
The :class:`RefTo` and :class:`Term` markers live here, with the code that
reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from functools import cache
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.dates import PartialDate
from generator.problems import RecordPath
from generator.prose import references
from generator.slugs import SLUG_PATTERN


@dataclass(frozen=True, slots=True)
class RefTo:
    """Marks a field as the id of another record of one of these kinds."""

    kinds: tuple[str, ...]

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        out = handler(schema)
        out["description"] = "id of a record of kind: " + ", ".join(self.kinds)
        return out


@dataclass(frozen=True, slots=True)
class Term:
    """Marks a field as a term of one of the corpus' vocabularies
    (``generator.vocabulary``): checked against the merged vocabulary by the
    link stage, listed as choices in the editors' JSON Schema."""

    vocabulary: str  # "actor_types", "topics", ...

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        out = handler(schema)
        out.setdefault("description", f"a term of the {self.vocabulary.replace('_', ' ')} vocabulary")
        # generator.schema lists the corpus' terms here.
        out["x-vocabulary"] = self.vocabulary
        return out


@dataclass(frozen=True, slots=True)
class Prose:
    """Marks a field as an analyst's prose (``generator.prose``): text whose
    citations and links are references, checked like any other."""

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        out = handler(schema)
        out["description"] = (out.get("description", "") + " Prose: [@id] cites a claim, event or quote; "
                              "[words](@id) links to a record; a blank line starts a paragraph.").strip()
        return out


# --- what a field holds ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shape:
    """What a field holds: one value or a list of them, of one base kind."""

    base: str  # "ref", "term", "prose", "date", "choice", "bool", "number", "slug", "text" or "model"
    many: bool  # a list of them
    kinds: tuple[str, ...] = ()  # refs: the kinds they may point to; terms: (the vocabulary,)
    choices: tuple[Any, ...] = ()  # choices: the allowed values, in the model's order
    model: type[BaseModel] | None = None  # models: the nested class


def shape_of(info: FieldInfo) -> Shape:
    """A field's shape, read off its annotation and metadata."""
    bare, metadata = _unwrap(info.annotation)
    metadata += info.metadata
    many = get_origin(bare) is list
    if many:
        bare, more = _unwrap(get_args(bare)[0])
        metadata += more
    ref = next((m for m in metadata if isinstance(m, RefTo)), None)
    if ref is not None:
        return Shape("ref", many, kinds=ref.kinds)
    term = next((m for m in metadata if isinstance(m, Term)), None)
    if term is not None:
        return Shape("term", many, kinds=(term.vocabulary,))
    if any(isinstance(m, Prose) for m in metadata):
        return Shape("prose", many)
    if bare is PartialDate:
        return Shape("date", many)
    if isinstance(bare, type) and issubclass(bare, Enum):
        return Shape("choice", many, choices=tuple(m.value for m in bare))
    if get_origin(bare) is Literal:
        return Shape("choice", many, choices=get_args(bare))
    if bare is bool:
        return Shape("bool", many)
    if bare in (int, float) or _numbers(bare):
        return Shape("number", many)
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        return Shape("model", many, model=bare)
    if any(getattr(m, "pattern", None) == SLUG_PATTERN for m in metadata):
        return Shape("slug", many)
    return Shape("text", many)  # text, language codes, addresses, and text-or-number values


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """Strip Optional and Annotated: the bare type and the metadata found."""
    metadata: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            metadata += annotation.__metadata__
            annotation = get_args(annotation)[0]
            continue
        args = [a for a in get_args(annotation) if a is not type(None)]
        if origin in (Union, UnionType) and len(args) == 1:
            annotation = args[0]
            continue
        return annotation, metadata


def _numbers(annotation: Any) -> bool:
    """int | float (| None): a figure."""
    return get_origin(annotation) in (Union, UnionType) and set(get_args(annotation)) <= {int, float, type(None)}


# --- fields by their key ------------------------------------------------------------------


@cache
def _by_key(cls: type[BaseModel]) -> dict[str, FieldInfo]:
    # A field's key in YAML is its alias when it has one (`from`, a Python keyword).
    return {info.alias or name: info for name, info in cls.model_fields.items()}


@cache
def _nested(cls: type[BaseModel]) -> dict[str, type[BaseModel]]:
    # Asked for every key of every mapping fmt formats: worked out once per class.
    shapes = {key: shape_of(info) for key, info in _by_key(cls).items()}
    return {key: s.model for key, s in shapes.items() if s.model is not None}


def keys(cls: type[BaseModel]) -> list[str]:
    """The keys of a model's fields, in the order the model declares them."""
    return list(_by_key(cls))


def field_by_alias(cls: type[BaseModel], key: str) -> FieldInfo | None:
    """The field written as ``key`` in YAML; None if the model has none."""
    return _by_key(cls).get(key)


def field_order(cls: type[BaseModel]) -> list[str]:
    """The keys of a record or a nested mapping in canonical order. A model
    may name fields that go first and last (``HEAD_FIELDS``, ``TAIL_FIELDS``:
    a record's publication flags and editorial fields); the others keep the
    order the model declares them in."""
    head: tuple[str, ...] = getattr(cls, "HEAD_FIELDS", ())
    tail: tuple[str, ...] = getattr(cls, "TAIL_FIELDS", ())
    own = [k for k in keys(cls) if k not in head and k not in tail]
    return [*head, *own, *tail]


def ordered_fields(cls: type[BaseModel]) -> dict[str, FieldInfo]:
    """{key: field}, in canonical order."""
    by_key = _by_key(cls)
    return {key: by_key[key] for key in field_order(cls)}


def nested_model(cls: type[BaseModel], key: str) -> type[BaseModel] | None:
    """The model class of the mapping (or list of mappings) under ``key``."""
    return _nested(cls).get(key)


def model_at(cls: type[BaseModel], path: RecordPath) -> type[BaseModel] | None:
    """The model class of the mapping at ``path`` in a record of class ``cls``;
    None if there is no mapping of the model there."""
    current: type[BaseModel] | None = cls
    for part in path:
        if isinstance(part, int):
            continue  # a list item: nested_model sees through lists
        if current is None:
            return None
        current = nested_model(current, part)
    return current


# --- references -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RefSite:
    """A reference a record makes: where it sits, the id, the kinds it may name."""

    path: tuple[str | int, ...]
    target: str
    kinds: tuple[str, ...]
    written: str = ""  # in prose: the reference as written, to find it in the field's text
    nth: int = 0  # ... where it is written for the nth time (0-based)


@dataclass(frozen=True, slots=True)
class _RefField:
    name: str  # attribute on the model
    key: str  # key in YAML
    many: bool  # a list of them
    kinds: tuple[str, ...]  # for refs: the kinds they may point to; for terms: the vocabulary
    model: type[BaseModel] | None  # for nested models: the class, which holds references
    prose: bool = False  # prose whose citations and links are references


_Getter = Callable[[Any, _RefField], Any]


def iter_refs(record: BaseModel) -> Iterator[RefSite]:
    """Every reference a valid record makes, with where it sits in the record."""
    return iter(_kept(record, "ref"))


def iter_raw_refs(cls: type[BaseModel], data: dict[str, Any]) -> Iterator[RefSite]:
    """The same for a record that failed validation, read off its raw data, so
    that one run reports its dangling references along with its other errors."""
    yield from _walk(cls, data, (), lambda obj, f: obj.get(f.key) if isinstance(obj, dict) else None, "ref")


def iter_terms(record: BaseModel) -> Iterator[RefSite]:
    """Every vocabulary term a valid record uses: ``kinds`` holds the
    vocabulary's name."""
    return iter(_kept(record, "term"))


# What each record refers to and uses, kept with the record (models are
# frozen): the whole-corpus checks walk every record on each `serve`
# rebuild, and a record unchanged on disk is the same object from one
# rebuild to the next. Bounded: emptied when it holds this many.
_KEPT: dict[tuple[int, str], tuple[BaseModel, tuple[RefSite, ...]]] = {}
_KEPT_MAX = 200_000


def _kept(record: BaseModel, base: str) -> tuple[RefSite, ...]:
    # Each entry holds its record, so no other object takes its id meanwhile.
    hit = _KEPT.get((id(record), base))
    if hit is not None:
        return hit[1]
    sites = tuple(_walk(type(record), record, (), lambda obj, f: getattr(obj, f.name), base))
    if len(_KEPT) >= _KEPT_MAX:
        _KEPT.clear()
    _KEPT[(id(record), base)] = (record, sites)
    return sites


def iter_raw_terms(cls: type[BaseModel], data: dict[str, Any]) -> Iterator[RefSite]:
    """The same for a record that failed validation, read off its raw data."""
    yield from _walk(cls, data, (), lambda obj, f: obj.get(f.key) if isinstance(obj, dict) else None, "term")


def _walk(cls: type[BaseModel], obj: Any, prefix: tuple[str | int, ...], get: _Getter,
          base: str) -> Iterator[RefSite]:
    for f in _marked_fields(cls, base):
        value = get(obj, f)
        if value is None:
            continue
        path = (*prefix, f.key)
        if f.prose:
            if isinstance(value, str):
                yield from (RefSite(path, r.target, r.kinds, r.written, r.nth) for r in references(value))
            continue
        items = list(enumerate(value)) if f.many and isinstance(value, list) else None
        if f.model is None:  # ids or terms, one or a list
            if not f.many and isinstance(value, str):
                yield RefSite(path, value, f.kinds)
            elif items is not None:
                yield from (RefSite((*path, i), item, f.kinds) for i, item in items if isinstance(item, str))
        elif not f.many:
            yield from _walk(f.model, value, path, get, base)
        elif items is not None:
            for i, item in items:
                yield from _walk(f.model, item, (*path, i), get, base)


@cache
def _marked_fields(cls: type[BaseModel], base: str) -> tuple[_RefField, ...]:
    """The fields of a model class that hold references (or terms), directly or nested."""
    out = []
    for name, info in cls.model_fields.items():
        key = info.alias or name
        held = shape_of(info)
        if held.base == base:
            out.append(_RefField(name, key, held.many, held.kinds, None))
        elif held.base == "prose" and base == "ref" and not held.many:
            out.append(_RefField(name, key, False, (), None, prose=True))
        elif held.model is not None and _marked_fields(held.model, base):
            out.append(_RefField(name, key, held.many, (), held.model))
    return tuple(out)
