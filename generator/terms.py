"""Checking the terms records use against the corpus' merged vocabulary
(``generator.vocabulary``), and reading the corpus' vocabulary file.

A term of a closed vocabulary (actor and place types, relation types,
source kinds) that is not defined is an error; an undefined topic or
subject, or a role written like a term (``peace-keeper``), is a warning:
corpora written before vocabularies existed still build, and their pages
show a label read off the slug.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.discover import CORPUS_FOLDER, RecordFile
from generator.fields import RefSite, iter_raw_terms, iter_terms
from generator.load import load_file
from generator.model import KINDS
from generator.problems import Problem, Severity
from generator.text import with_article
from generator.validate import Entry, Invalid, problem_at, translate_errors
from generator.vocabulary import (
    CLOSED,
    DEFAULT,
    NAMES,
    VOCABULARY_FILE,
    Subject,
    Term,
    Vocabulary,
    VocabularyFile,
    merged,
)

# How a vocabulary is named in a message.
WORDS = {"actor_types": "actor type", "place_types": "place type", "relation_types": "relation type",
         "source_kinds": "source kind", "roles": "role", "topics": "topic", "subjects": "subject"}
# Lists longer than this are not spelled out in a hint.
_LIST_AT_MOST = 20


def read_vocabulary(file: RecordFile | None) -> tuple[Vocabulary, list[Problem]]:
    """The merged vocabulary of a corpus, from its briefings/vocabulary.yaml
    (the defaults alone when it has none). An invalid file is reported, and
    the terms it names still count (``_lenient``), so that the records are
    checked without an error for each use of a term the file defines."""
    if file is None:
        return DEFAULT, []
    loaded, problems = load_file(file)
    if loaded.data is None or loaded.text is None:
        return DEFAULT, problems
    try:
        own = VocabularyFile.model_validate(loaded.data)
    except ValidationError as exc:
        return merged(_lenient(loaded.data)), problems + translate_errors(exc.errors(), VocabularyFile, loaded.data,
                                                                           file, loaded.text)
    return merged(own), problems


def _lenient(data: dict[str, Any]) -> VocabularyFile:
    """The terms an invalid vocabulary file names, each with its label when
    it gives one as text: enough to check the records against."""
    def label(value: object, slug: str) -> str:
        given = value.get("label") if isinstance(value, dict) else None
        return given if isinstance(given, str) and given.strip() else slug

    sections: dict[str, dict[str, Any]] = {}
    for name in (*NAMES, "subjects"):
        section = data.get(name)
        if isinstance(section, dict):
            made = Subject.model_construct if name == "subjects" else Term.model_construct
            sections[name] = {k: made(label=label(v, k)) for k, v in section.items() if isinstance(k, str)}
    fields: dict[str, Any] = {name: sections.get(name, {}) for name in (*NAMES, "subjects")}
    return VocabularyFile.model_construct(None, **fields)


def corpus_vocabulary_file(root: Path) -> RecordFile | None:
    """The vocabulary file of the corpus at ``root``, when it has one."""
    path = root / CORPUS_FOLDER / VOCABULARY_FILE
    if not path.is_file():
        return None
    return RecordFile(path, f"{CORPUS_FOLDER}/{VOCABULARY_FILE}", "vocabulary", "vocabulary")


# Each record's term uses that the vocabulary lacks, by id: the record
# checked (the same object while unchanged on disk), and (vocabulary, term,
# path) for each such use, in the record's order.
TermsFound = dict[str, tuple["Entry | Invalid", tuple[tuple[str, str, tuple[str | int, ...]], ...]]]


def terms_of(records: Iterable[Entry | Invalid], before: TermsFound, vocabulary: Vocabulary) -> TermsFound:
    """Every record's uses of terms ``vocabulary`` lacks, in the order of
    the records' files; a record ``before`` found as the same object keeps
    what was found (the caller keeps ``before`` only under the same vocabulary)."""
    out: TermsFound = {}
    for entry in sorted(records, key=lambda e: e.file.rel):
        was = before.get(entry.file.id)
        out[entry.file.id] = was if was is not None and was[0] is entry else (entry, tuple(_misses(entry, vocabulary)))
    return out


def _misses(entry: Entry | Invalid, vocabulary: Vocabulary) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    for site in _terms_of(entry):
        if not isinstance(site.target, str) or not site.target:
            continue
        name = site.kinds[0]
        if vocabulary.has(name, site.target) or (name == "roles" and not _written_as_term(site.target)):
            continue  # a role may be words of the editor's own
        yield name, site.target, site.path


def check_terms(found: TermsFound, vocabulary: Vocabulary) -> Iterator[Problem]:
    """An error for each use of an unknown closed-vocabulary term; one
    warning for each undefined open-vocabulary term, at its first use.
    Records that failed validation have their terms checked too, read off
    their data, so that one run reports everything."""
    undefined: dict[tuple[str, str], list[tuple[Entry | Invalid, tuple[str | int, ...]]]] = {}
    for entry, misses in found.values():
        for name, term, path in misses:
            if name in CLOSED:
                yield _undefined(entry, path, name, term, list(vocabulary.of(name)))
            else:
                undefined.setdefault((name, term), []).append((entry, path))
    for (name, term), uses in undefined.items():
        entry, path = uses[0]
        yield _undefined(entry, path, name, term, list(vocabulary.of(name)), len(uses) - 1)


def _terms_of(entry: Entry | Invalid) -> Iterator[RefSite]:
    if isinstance(entry, Entry):
        return iter_terms(entry.model)
    if entry.data is None:
        return iter(())
    return iter_raw_terms(KINDS[entry.file.kind], entry.data)


def _written_as_term(value: str) -> bool:
    return "-" in value and all(c.islower() or c.isdigit() or c == "-" for c in value)


def _undefined(entry: Entry | Invalid, path: tuple[str | int, ...], name: str, value: str,
               known: list[str], more: int = 0) -> Problem:
    word = WORDS[name]
    near = get_close_matches(value, known, n=1, cutoff=0.75)
    fields = "label, measures, unit" if name == "subjects" else "label, description"
    where = f"add it under {name}: in briefings/{VOCABULARY_FILE} ({fields})"
    if near:
        hint = f"did you mean '{near[0]}'? If not, {where}"
    elif known and len(known) <= _LIST_AT_MOST:
        hint = f"one of: {', '.join(sorted(known))}; or {where}"
    elif known:
        hint = f"`briefing vocabulary` lists the {word}s defined; or {where}"
    else:
        hint = where
    if name in CLOSED:
        return problem_at(entry, path, "unknown-term", f"'{value}' is not {with_article(word)} of the vocabulary", hint)
    also = f" (used here and {more} more time{'s' if more > 1 else ''})" if more else ""
    return problem_at(entry, path, "undefined-term", f"{word} '{value}' is not defined in the vocabulary{also}",
                      hint, Severity.WARNING)
