"""Search at scale: a large site's search answered from an index in chunks,
which a build updates in part.

Material's search hands every page the whole index: 24.6 MB at 10,000
records, 13–15 s from typing to the first result in Chromium. This index
comes in chunks instead, and a query fetches only the chunks it needs:

- ``search/chunks/t/<prefix>.json``: for every term (a word of a page's
  titles and text, folded to lower case without accents, stop words left
  out) whose first two characters are ``prefix`` (hex of their UTF-8), the
  pages it is in, in their ids' order: ``"page:rows;page:rows"``, a page's
  rows being ``entry,weight,entry,weight…``, where an entry is the page's
  section as Material's index has it (0, the page itself; then its
  sections) and a weight is ``count * 2 + in the title`` (strings, which
  JSON writes and reads fast);
- ``search/chunks/d/<id[:3]>.json``: the entries of the pages whose ids
  start so (``[location, title, text]``, plain text), drawn as results;
- ``search/chunks/meta.json``: the number of pages, the stop words, the
  folding's settings, and a digest of the chunks (added to their addresses,
  so that a browser never mixes two builds' chunks).

Every file is a function of the pages' entries alone, written with sorted
keys, so a build that patches the files an edit changed (``update``)
writes the same bytes as one that makes them whole (``whole``). The files
are kept in the page cache's folder with the digest of each page's
entries; a build compares the digests, reads back only the changed pages'
old entries and the chunks they touch, and links the rest into the new
site. Pagefind, measured here before, indexes every page on every build
(its index cannot be updated in part): 11.7 s for 10,000 pages of a
hundred words, 13–19 s for the 10,000-record site.

Its queries are answered by Material's search worker, with a prelude
(``templates/assets/search-worker.js``) that answers from these chunks when
the page hands it no documents (over http) and otherwise leaves the answer
to Material's own code: from ``file://`` (where a worker cannot fetch) the
page loads Material's whole index, written by its offline plugin, as before.
Built by ``briefing build``, not by ``serve``, whose pages keep Material's index.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import os
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.page_cache import put_file

log = logging.getLogger(__name__)

# "auto" turns the chunked index on from this many pages: below it Material's
# index is small enough (about 2.5 MB at 1,000 records, first result in about
# a second) and answers from file:// as well.
AUTO_FROM = 2000
WORKERS = "assets/javascripts/workers"
PRELUDE = "assets/search-worker.js"
CHUNKS = "search/chunks"
FORMAT = 1  # bumped whenever the chunks change shape: a kept index of another format is made whole again
PREFIX = 2  # a term's chunk: its first characters (a query's words match terms they begin)
DOC_DIGITS = 3  # a page's chunk of entries: its id's first hex digits (4,096 chunks at most)
ID_DIGITS = 8  # a page's id: the first hex digits of its location's SHA-1
MAX_COUNT = 63  # a term counted more often in one entry weighs as this
# More changed pages than this share of the site: the index is made whole (it is then the cheaper way).
MOST_CHANGED = 0.1

# lunr's English stop words, which Material's index leaves out (its stopWordFilter).
STOP_WORDS = frozenset((
    "a", "able", "about", "across", "after", "all", "almost", "also", "am", "among", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "but", "by", "can", "cannot", "could", "dear", "did", "do", "does",
    "either", "else", "ever", "every", "for", "from", "get", "got", "had", "has", "have", "he", "her", "hers",
    "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "just", "least", "let", "like",
    "likely", "may", "me", "might", "most", "must", "my", "neither", "no", "nor", "not", "of", "off", "often",
    "on", "only", "or", "other", "our", "own", "rather", "said", "say", "says", "she", "should", "since", "so",
    "some", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "tis", "to",
    "too", "twas", "us", "wants", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "would", "yet", "you", "your",
))

_WORD = re.compile(r"[^\W_]+")  # letters and digits (JavaScript: /[\p{L}\p{N}]+/u)
_TAG = re.compile(r"<[^>]*>")


def wanted(mode: str, pages: int) -> bool:
    """Whether a site of ``pages`` pages is searched from the chunked index."""
    return mode == "chunked" or (mode == "auto" and pages >= AUTO_FROM)


def words(text: str) -> list[str]:
    """The terms of a text, in order: its words (letters and digits), each
    folded to lower case without accents ("Şuşa" -> "susa"), stop words
    left out; as the prelude reads a query."""
    lower = text.lower()
    if lower.isascii():  # most text: no word to fold but for its case
        return [term for term in _WORD.findall(lower) if term not in STOP_WORDS]
    if len(lower) != len(text):  # a letter whose lower case is longer ("İ"): its word is split only once folded
        lower = text
    return [term for token in _WORD.findall(lower)
            for term in ((token.lower(),) if token.isascii() else _folded(token)) if term not in STOP_WORDS]


@functools.lru_cache(maxsize=1 << 17)
def _folded(token: str) -> tuple[str, ...]:
    """A word folded (a site has tens of thousands of distinct words, said
    millions of times): decomposed, its marks dropped, in lower case, and
    split again where that leaves other than letters and digits."""
    if token.isascii():
        return (token.lower(),)
    decomposed = unicodedata.normalize("NFKD", token)
    return tuple(_WORD.findall("".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()))


@dataclass(frozen=True, slots=True)
class Entry:
    """A page or one of its sections, as Material's index has it, in plain text."""

    location: str
    title: str
    text: str

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> Entry:
        """From Material's entry, whose title and text are HTML (escaped text, a few tags kept)."""
        return cls(str(doc["location"]), _plain(str(doc.get("title", ""))), _plain(str(doc.get("text", ""))))

    def row(self) -> list[str]:
        return [self.location, self.title, self.text]


def _plain(markup: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


Doc = Mapping[str, Any]  # an entry of Material's index: its location, title and text


def pages_of(docs: Iterable[Doc]) -> dict[str, list[Doc]]:
    """Material's entries by page (a section's location is its page's, then '#')."""
    pages: dict[str, list[Doc]] = {}
    for doc in docs:
        pages.setdefault(str(doc["location"]).partition("#")[0], []).append(doc)
    return pages


def page_ids(locations: Iterable[str]) -> dict[str, str]:
    """Each page's id: short, and the same while the page is there (a
    rare clash of short ids gives the pages that clash their whole digest)."""
    digests = {location: hashlib.sha1(location.encode()).hexdigest() for location in locations}
    short = Counter(digest[:ID_DIGITS] for digest in digests.values())
    return {location: digest[:ID_DIGITS] if short[digest[:ID_DIGITS]] == 1 else digest
            for location, digest in digests.items()}


def page_digest(docs: list[Doc]) -> str:
    """A page's entries' digest, from Material's (made into plain text only
    for the pages that changed)."""
    digest = hashlib.sha1()
    for doc in docs:
        digest.update(f"{doc['location']}\x1f{doc.get('title', '')}\x1f{doc.get('text', '')}\x1e".encode())
    return digest.hexdigest()


def rows(entries: list[Entry]) -> dict[str, str]:
    """A page's terms: for each, ``"entry,weight,entry,weight…"`` over the
    entries it is in (a string: JSON writes and reads it as one value)."""
    found: dict[str, list[str]] = {}
    for number, entry in enumerate(entries):
        title = words(entry.title)
        titled = set(title)
        for term, count in Counter([*title, *words(entry.text)]).items():
            found.setdefault(term, []).append(f"{number},{min(count, MAX_COUNT) * 2 + (term in titled)}")
    return {term: ",".join(parts) for term, parts in found.items()}


@functools.lru_cache(maxsize=1 << 17)
def term_chunk(term: str) -> str:
    return f"t/{term[:PREFIX].encode().hex()}.json"


def doc_chunk(page: str) -> str:
    return f"d/{page[:DOC_DIGITS]}.json"


def dumps(value: object) -> bytes:
    """A chunk's bytes: the same value gives the same bytes (keys sorted)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


Chunks = dict[str, dict[str, Any]]  # chunk name -> its content


def whole(pages: Mapping[str, list[Doc]], ids: Mapping[str, str]) -> Chunks:
    """Every chunk, made from every page."""
    chunks: Chunks = {}
    terms: dict[str, list[str]] = {}
    for location in sorted(pages, key=ids.__getitem__):  # each term's pages in their ids' order
        page, entries = ids[location], [Entry.of(doc) for doc in pages[location]]
        chunks.setdefault(doc_chunk(page), {})[page] = [e.row() for e in entries]
        for term, found in rows(entries).items():
            terms.setdefault(term, []).append(f"{page}:{found}")
    for term, listed in terms.items():
        chunks.setdefault(term_chunk(term), {})[term] = ";".join(listed)
    return chunks


def _split(pages: str) -> dict[str, str]:
    """A term's pages, as a chunk holds them: ``"page:rows;page:rows"``."""
    return dict(part.split(":", 1) for part in pages.split(";")) if pages else {}


def _joined(pages: dict[str, str]) -> str | None:
    return ";".join(f"{page}:{pages[page]}" for page in sorted(pages)) or None


@dataclass(frozen=True, slots=True)
class Kept:
    """What the last build left of its index: each page's id and digest,
    and each chunk file's size, mtime and digest (a file changed since is
    not trusted: the index is then made whole)."""

    pages: dict[str, tuple[str, str]]
    files: dict[str, tuple[int, int, str]]


def changed_chunks(pages: Mapping[str, list[Doc]], ids: Mapping[str, str], digests: Mapping[str, str],
                   kept: Kept, read: Callable[[str], dict[str, Any]]) -> Chunks | None:
    """The chunks an edit changed, patched from ``read`` (a kept chunk's
    content; {} for one that is not there), an emptied chunk as {}; None
    when the index is better made whole (ids moved, too many pages changed)."""
    if any(kept.pages[location][0] != page for location, page in ids.items() if location in kept.pages):
        return None
    changed = [location for location in pages if kept.pages.get(location) != (ids[location], digests[location])]
    gone = [location for location in kept.pages if location not in pages]
    if len(changed) + len(gone) > max(64, int(len(pages) * MOST_CHANGED)):
        return None
    edits: dict[str, dict[str, Any]] = {}  # chunk -> key -> new value (None: removed)
    terms: dict[str, dict[str, dict[str, str | None]]] = {}  # chunk -> term -> page -> rows
    for location in [*changed, *gone]:
        page = ids[location] if location in ids else kept.pages[location][0]
        after = [Entry.of(doc) for doc in pages[location]] if location in pages else None
        before: dict[str, str] = {}
        if location in kept.pages:
            old = read(doc_chunk(page)).get(page)
            if not isinstance(old, list):  # the kept index is not what its record says: made whole
                return None
            before = rows([Entry(*row) for row in old])
        now = rows(after) if after is not None else {}
        edits.setdefault(doc_chunk(page), {})[page] = [e.row() for e in after] if after is not None else None
        for term in before.keys() | now.keys():
            if before.get(term) != now.get(term):
                terms.setdefault(term_chunk(term), {}).setdefault(term, {})[page] = now.get(term)
    chunks: Chunks = {}
    for name, changes in edits.items():
        content = dict(read(name))
        for page, value in changes.items():
            _set(content, page, value)
        chunks[name] = content
    for name, by_term in terms.items():
        content = dict(read(name))
        for term, by_page in by_term.items():
            found = _split(content.get(term, ""))
            for page, value in by_page.items():
                _set(found, page, value)
            _set(content, term, _joined(found))
        chunks[name] = content
    return chunks


def _set(mapping: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value


class Store:
    """The chunk files and their ``Kept`` in the page cache's folder
    (``search/``): written whole (a temporary file renamed), so that a site
    linked to an older file keeps it; the record of what is kept is removed
    before any file changes and written after, so a build stopped between
    leaves no record to trust."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.record = folder / "kept.json"

    def kept(self) -> Kept | None:
        try:
            data = json.loads(self.record.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return None
            kept = Kept({k: (v[0], v[1]) for k, v in data["pages"].items()},
                        {k: (v[0], v[1], v[2]) for k, v in data["files"].items()})
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None
        for name, (size, mtime, _) in kept.files.items():
            try:
                info = (self.folder / name).stat()
            except OSError:
                return None
            if (info.st_size, info.st_mtime_ns) != (size, mtime):
                return None
        return kept

    def read(self, name: str) -> dict[str, Any]:
        try:
            content = json.loads((self.folder / name).read_bytes())
        except FileNotFoundError:
            return {}
        return content if isinstance(content, dict) else {}

    def write(self, chunks: Mapping[str, bytes | None], kept: Kept | None, pages: dict[str, tuple[str, str]]) -> Kept:
        """Write the changed chunks (None: removed); with ``kept`` None, the
        chunks are the whole index and every other file goes."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.record.unlink(missing_ok=True)
        files = dict(kept.files) if kept is not None else {}
        if kept is None and self.folder.is_dir():  # every chunk, and what a killed build left half written
            for old in [p for p in self.folder.rglob("*") if p.is_file() and p != self.record]:
                old.unlink()
        for name, data in sorted(chunks.items()):
            path = self.folder / name
            if data is None:
                path.unlink(missing_ok=True)
                files.pop(name, None)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            tmp.write_bytes(data)
            tmp.replace(path)
            info = path.stat()
            files[name] = (info.st_size, info.st_mtime_ns, hashlib.sha1(data).hexdigest())
        now = Kept(pages, files)
        tmp = self.record.with_name(f".kept.{os.getpid()}")
        tmp.write_text(json.dumps({"format": FORMAT, "pages": pages, "files": files}, sort_keys=True),
                       encoding="utf-8")
        tmp.replace(self.record)
        return now


def build_chunks(docs: list[Doc], target: Path, store: Store | None) -> tuple[int, int]:
    """Write the chunked index of Material's entries ``docs`` into
    ``target``: patched from ``store`` where it holds the last build's,
    made whole otherwise. Returns (chunks written, chunks in all)."""
    pages = pages_of(docs)
    ids = page_ids(pages)
    digests = {location: page_digest(page) for location, page in pages.items()}
    kept = store.kept() if store is not None else None
    # A chunk is read once (a changed page's old entries and its patch read the same one).
    read = functools.cache(store.read) if store is not None else None
    patched = changed_chunks(pages, ids, digests, kept, read) if kept is not None and read is not None else None
    if patched is None:
        kept = None
        made: dict[str, bytes | None] = {name: dumps(content) for name, content in whole(pages, ids).items()}
    else:
        made = {name: dumps(content) if content else None for name, content in patched.items()}
    record = {location: (ids[location], digests[location]) for location in pages}
    if store is not None:
        now = store.write(made, kept, record)
        digest = {name: value[2] for name, value in now.files.items()}
    else:
        digest = {name: hashlib.sha1(data).hexdigest() for name, data in made.items() if data is not None}
    meta = dumps({"format": FORMAT, "pages": len(pages), "prefix": PREFIX, "digits": DOC_DIGITS,
                  "stop": sorted(STOP_WORDS), "max": MAX_COUNT,
                  "version": hashlib.sha1(dumps(digest)).hexdigest()[:ID_DIGITS]})
    target.mkdir(parents=True, exist_ok=True)
    (target / "meta.json").write_bytes(meta)
    if store is None:
        for name, data in made.items():
            if data is not None:
                _written(target / name, data)
    else:
        for name in digest:  # kept chunks are replaced, never rewritten in place: linked
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.unlink(missing_ok=True)
            put_file(store.folder / name, path, link=True)
    return sum(1 for data in made.values() if data is not None), len(digest)


def _written(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # a link to a kept chunk, from a try that failed: not written through
    path.write_bytes(data)


def write_index(site: Path, prelude: Path, store: Path | None = None) -> bool:
    """Index the built site in chunks (patched from ``store``, the last
    build's, when given) and point its search there; False (and the site
    as it was) when the site has no Material search to answer for
    (another theme, or no search plugin)."""
    workers = sorted((site / WORKERS).glob("search.*.js"))
    index = site / "search" / "search_index.json"
    if len(workers) != 1 or not index.is_file():
        log.info("no Material search in %s: no chunked index", site)
        return False
    start = time.perf_counter()
    whole_index = json.loads(index.read_text(encoding="utf-8"))
    if not whole_index["docs"] and (site / CHUNKS / "meta.json").is_file():
        return True  # indexed already (the file's documents are gone to the chunks)
    try:
        written, total = build_chunks(whole_index["docs"], site / CHUNKS, Store(store) if store else None)
    except OSError as exc:  # the kept index cannot be written: this build's is made whole, in the site
        log.warning("the search index could not be kept in %s: %s", store, exc)
        written, total = build_chunks(whole_index["docs"], site / CHUNKS, None)
    log.info("search index in chunks: %d of %d written in %.2f s", written, total, time.perf_counter() - start)
    worker, ours = workers[0], prelude.read_text(encoding="utf-8")
    theirs = worker.read_text(encoding="utf-8")
    if not theirs.startswith(ours):  # the engine's dirty build into a site leaves the file it copied before
        worker.write_text(ours + theirs, encoding="utf-8")
    # Over http the page fetches this file and hands it to the worker:
    # with no documents, the worker answers from the chunks.
    index.write_text(json.dumps({"config": whole_index["config"], "docs": []}, ensure_ascii=False,
                                separators=(",", ":")), encoding="utf-8")
    return True
