"""The chunked search index (generator/search_chunks.py), without a browser.

A build that patches the kept index writes the same bytes as one that makes
it whole, after any edits, additions and removals of pages (Hypothesis);
an edit rewrites only the chunks it touches; a kept file changed since it
was written is not trusted; words are folded as the prelude folds them.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from conftest_site import site_files
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.search_chunks import CHUNKS, Entry, Store, build_chunks, page_ids, rows, words

VOCABULARY = ["Stepanakert", "Khankendi", "Şuşa", "Shusha", "ceasefire", "the", "Lachin", "corridor", "İstanbul",
              "2023", "Aliyev", "Əliyev", "Nagorno-Karabakh", "<b>bold</b>", "&amp;", "peace", "talks"]

texts = st.lists(st.sampled_from(VOCABULARY), max_size=8).map(" ".join)
sections = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), texts, texts), max_size=3)
pages = st.dictionaries(st.sampled_from([f"events/e{i}.html" for i in range(12)] + ["", "places/x/"]),
                        st.tuples(texts, texts, sections), max_size=10)


Site = dict[str, tuple[str, str, list[tuple[str, str, str]]]]  # location -> title, text, sections


def docs_of(site: Site) -> list[dict[str, str]]:
    """Material's entries for these pages: the page, then its sections."""
    docs = []
    for location, (title, text, parts) in site.items():
        docs.append({"location": location, "title": title, "text": text})
        docs.extend({"location": f"{location}#{anchor}", "title": heading, "text": body}
                    for anchor, heading, body in parts)
    return docs


def whole_index(docs: list[dict[str, str]], target: Path) -> dict[str, bytes]:
    shutil.rmtree(target, ignore_errors=True)
    build_chunks(docs, target, None)
    return site_files(target)


@settings(max_examples=60, deadline=None)
@given(st.lists(pages, min_size=1, max_size=5))
def test_a_patched_index_is_the_index_made_whole(editions: list[Site]) -> None:
    with tempfile.TemporaryDirectory() as tmp:  # one store an example (a fixture's folder lives for all of them)
        root = Path(tmp)
        store = Store(root / "store")
        for number, edition in enumerate(editions):
            docs = docs_of(edition)
            patched = root / f"patched{number}"
            build_chunks(docs, patched, store)
            assert site_files(patched) == whole_index(docs, root / "whole"), number


def test_an_edit_rewrites_only_the_chunks_it_touches(tmp_path: Path) -> None:
    site = {f"events/e{i}.html": (f"Event {i} ceasefire", f"Talks in Stepanakert number {i}", []) for i in range(300)}
    store = Store(tmp_path / "store")
    written, total = build_chunks(docs_of(site), tmp_path / "first", store)
    assert written == total > 100
    site["events/e7.html"] = ("Event 7 ceasefire", "Talks in Khankendi number 7", [])
    written, total = build_chunks(docs_of(site), tmp_path / "second", store)
    # its page's chunk of entries, the chunk of the word it lost and of the word it gained
    assert written == 3, written
    assert site_files(tmp_path / "second") == whole_index(docs_of(site), tmp_path / "whole")


def test_a_kept_chunk_changed_since_is_not_trusted(tmp_path: Path) -> None:
    site = {f"events/e{i}.html": (f"Event {i}", f"Talks number {i}", []) for i in range(100)}
    store = Store(tmp_path / "store")
    build_chunks(docs_of(site), tmp_path / "first", store)
    chunk = next((tmp_path / "store" / "t").iterdir())
    chunk.write_text(json.dumps({"talks": "deadbeef:0,2"}), encoding="utf-8")  # a hand edit, or another tool's
    site["events/e1.html"] = ("Event 1", "Talks number one", [])
    written, total = build_chunks(docs_of(site), tmp_path / "second", store)
    assert written == total  # made whole
    assert site_files(tmp_path / "second") == whole_index(docs_of(site), tmp_path / "whole")


def test_the_site_gets_links_to_the_kept_chunks_and_meta_names_their_version(tmp_path: Path) -> None:
    site = {"events/e1.html": ("Event", "Talks", [])}
    store = Store(tmp_path / "store")
    build_chunks(docs_of(site), tmp_path / "first", store)
    meta = json.loads((tmp_path / "first" / "meta.json").read_text(encoding="utf-8"))
    site["events/e1.html"] = ("Event", "Peace talks", [])
    build_chunks(docs_of(site), tmp_path / "second", store)
    again = json.loads((tmp_path / "second" / "meta.json").read_text(encoding="utf-8"))
    assert meta["pages"] == again["pages"] == 1
    assert meta["version"] != again["version"]  # a browser never mixes the two builds' chunks
    old = site_files(tmp_path / "first")
    assert old == whole_index(docs_of({"events/e1.html": ("Event", "Talks", [])}), tmp_path / "whole")


def test_words_are_folded_and_stop_words_left_out() -> None:
    assert words("Stepanakert (Khankendi)") == ["stepanakert", "khankendi"]
    assert words("Şuşa, İstanbul") == ["susa", "istanbul"]
    assert words("The talks and the ceasefire") == ["talks", "ceasefire"]
    assert words("Russia’s 2023 Nagorno-Karabakh") == ["russia", "s", "2023", "nagorno", "karabakh"]
    assert words("Əliyev") == ["əliyev"]  # a letter of its own, not an accented one


def test_a_term_counts_its_entry_and_whether_the_title_has_it() -> None:
    """Weight = count * 2 + in the title: the prelude ranks a title's word higher."""
    found = rows([Entry("p.html", "Khankendi", "Talks in Khankendi"), Entry("p.html#s", "Talks", "talks, talks")])
    assert found == {"khankendi": "0,5", "talks": "0,2,1,7"}


def test_page_ids_are_short_and_unique() -> None:
    ids = page_ids(f"events/e{i}.html" for i in range(5000))
    assert len(set(ids.values())) == 5000
    assert all(len(page) == 8 for page in ids.values())


def test_chunks_folder_is_what_the_prelude_fetches() -> None:
    prelude = (Path(__file__).resolve().parent.parent / "templates" / "assets" / "search-worker.js").read_text()
    assert f'new URL("../../../{CHUNKS}/", self.location.href)' in prelude


def test_a_kept_index_missing_a_page_it_records_is_made_whole(tmp_path: Path) -> None:
    """The record says a page is kept, its chunk of entries lacks it (a
    chunk replaced whole, size and time alike): the index is made whole, not
    patched from what is not there."""
    site = {f"events/e{i}.html": (f"Event {i}", f"Talks number {i}", []) for i in range(100)}
    store = Store(tmp_path / "store")
    build_chunks(docs_of(site), tmp_path / "first", store)
    page = page_ids(["events/e1.html"])["events/e1.html"]
    chunk = tmp_path / "store" / "d" / f"{page[:3]}.json"
    info = chunk.stat()
    content = json.loads(chunk.read_bytes())
    content[page.replace(page[-1], "x")] = content.pop(page)  # same size: another page's id
    chunk.write_bytes(json.dumps(content, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode())
    os.utime(chunk, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert chunk.stat().st_size == info.st_size
    site["events/e1.html"] = ("Event 1", "Talks number one", [])
    written, total = build_chunks(docs_of(site), tmp_path / "second", store)
    assert written == total
    assert site_files(tmp_path / "second") == whole_index(docs_of(site), tmp_path / "whole")
