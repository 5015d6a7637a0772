"""Search at scale: a site searched from its index in chunks (generator/search_chunks.py).

The sample corpus built with ``search_index: chunked`` and searched in
headless Chromium: over http the answer comes from the chunks (the whole
index is never fetched), from file:// from Material's index as before;
hostile record text stays text in the results; and the same corpus gives
the same files, cache or not.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest_site import LOCAL_SCHEMES, REPO, chromium, copy_corpus, h1_text, record, serve_directory, site_files
from playwright.sync_api import Browser, Page, expect
from test_browser import PLACE, Tab, hostile_corpus, open_tab, search

from generator.build import build_site
from generator.page_cache import CACHE_DIR
from generator.search_chunks import AUTO_FROM, CHUNKS, STOP_WORDS, Entry, pages_of, wanted, words, write_index

WORKER = "assets/javascripts/workers"


def with_chunks(corpus: Path) -> Path:
    """The corpus' mkdocs.yml with the chunked index on (and no PDFs, no archive: not what is tested here)."""
    config = corpus / "mkdocs.yml"
    text = re.sub(r"\n\s+archive: [^\n]*", "", config.read_text(encoding="utf-8"))
    text = text.replace("pdf: true ", "pdf: false")
    text = text.replace("  - briefing:\n", "  - briefing:\n      search_index: chunked\n")
    assert "search_index: chunked" in text
    config.write_text(text, encoding="utf-8")
    return corpus


def built(corpus: Path, site_dir: Path) -> Path:
    result = build_site(corpus, progress=lambda _: None, site_dir=site_dir)
    assert result.ok, (result.error, result.problems)
    return site_dir


@contextmanager
def searched(browser: Browser, folder: Path, path: str, query: str) -> Iterator[tuple[Tab, str]]:
    """A fresh tab on ``folder`` served over http, at ``path``, with ``query``
    typed into the search box; yields the tab and the server's address."""
    t = open_tab(browser)
    try:
        with serve_directory(folder) as url:
            t.page.goto(f"{url}/{path}")
            search(t.page, query)
            yield t, url
    finally:
        t.context.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_chunks(copy_corpus(tmp_path_factory.mktemp("chunks") / "corpus"))


@pytest.fixture(scope="module")
def site(corpus: Path) -> Path:
    return built(corpus, corpus.parent / "site")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def article_pages(site: Path, word: str) -> set[str]:
    """The pages whose own text (their article) holds ``word``."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")
            if word in p.read_text(encoding="utf-8").split("<article", 1)[-1].split("</article>", 1)[0]}


def listed(page: Page, base: str, expected: set[str]) -> None:
    """The results are the expected pages: as many (Material draws the
    first ten, then more as the list scrolls), and those drawn among them."""
    meta = page.locator(".md-search-result__meta").text_content() or ""
    assert meta == f"{len(expected)} matching documents", (meta, sorted(expected))
    drawn = result_pages(page, base)
    assert len(drawn) == min(10, len(expected)) and drawn <= expected, (sorted(drawn), sorted(expected))


def result_pages(page: Page, base: str) -> set[str]:
    """The pages of the results drawn, relative to the site's ``base``."""
    hrefs = page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link",
                                      "links => links.map(a => a.getAttribute('href'))")
    assert all(href.startswith(base + "/") for href in hrefs), hrefs
    return {re.sub(r"[?#].*$", "", href.removeprefix(base + "/")) for href in hrefs}


def material_docs(site: Path) -> list[dict[str, str]]:
    """Material's whole index, as the script a page from file:// loads holds it."""
    script = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    docs: list[dict[str, str]] = json.loads(script[script.index("{"):].rstrip().rstrip(";"))["docs"]
    return docs


def test_the_site_keeps_both_indexes(site: Path) -> None:
    """The chunks for http; Material's whole index only in the script
    file:// loads; the JSON a page fetches over http holds no documents."""
    meta = json.loads((site / CHUNKS / "meta.json").read_text(encoding="utf-8"))
    docs = material_docs(site)
    assert len(docs) > 500  # every page and section, as Material's plugin indexed them
    assert meta["pages"] == len({doc["location"].partition("#")[0] for doc in docs})
    assert len(list((site / CHUNKS / "d").iterdir())) > 100 and len(list((site / CHUNKS / "t").iterdir())) > 100
    fetched = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert fetched["docs"] == [] and fetched["config"]["lang"] == ["en"]
    worker = next((site / WORKER).glob("search.*.js")).read_text(encoding="utf-8")
    assert worker.startswith("/* briefing: search from the index in chunks")
    assert "lunr" in worker  # Material's own worker follows the prelude


def matching_pages(site: Path, word: str) -> set[str]:
    """The pages (as Material locates them) with a term that ``word`` begins, by the Python side's reading."""
    return {location for location, docs in pages_of(material_docs(site)).items()
            if any(term.startswith(word) for doc in docs
                   for term in words(f"{Entry.of(doc).title} {Entry.of(doc).text}"))}


def test_search_over_http_answers_from_the_chunks(browser: Browser, site: Path) -> None:
    with searched(browser, site, "index.html", "Khankendi") as (t, url):
        page = t.page
        expected = article_pages(site, "Khankendi")
        assert expected == matching_pages(site, "khankendi")
        listed(page, url, expected)  # every page whose text names it, no other
        first = page.locator(".md-search-result__item a.md-search-result__link").first
        expect(first).to_contain_text("Stepanakert (Khankendi)")
        expect(first.locator("mark").first).to_have_text(re.compile("Khankendi"))  # the excerpt marks the word
        first.click()
        page.wait_for_url(re.compile(rf"/places/{PLACE}\.html"))
        assert h1_text(page) == record("places", PLACE)["name"]
        asked = [u.removeprefix(url) for u in t.requests]
        assert any(u.startswith(f"/{CHUNKS}/t/") for u in asked), asked
        assert any(u.startswith(f"/{CHUNKS}/d/") for u in asked), asked
        assert "/search/search_index.js" not in asked  # the whole index is file://'s only
        outside = [u for u in t.requests if not (u.startswith(url + "/") or u.startswith(LOCAL_SCHEMES))]
        assert outside == []


def test_the_count_is_every_page_that_matches_not_those_listed(browser: Browser, site: Path) -> None:
    """Past the 50 pages listed, the count says how many pages match (the
    worker tells the page; Material would count the 50)."""
    matching = len(matching_pages(site, "azerbaijan"))
    assert matching > 50
    with searched(browser, site, "index.html", "Azerbaijan") as (t, _):
        page = t.page
        meta = page.locator(".md-search-result__meta")
        expect(meta).to_have_text(f"{matching:,} matching documents")
        assert page.locator(".md-search-result__item").count() == 10  # drawn; more as the list scrolls


def test_every_word_must_match_and_a_word_matches_the_words_it_begins(browser: Browser, site: Path) -> None:
    """Two words: the pages that hold both (a page with one is not listed);
    a word typed in part finds the words it begins."""
    both = matching_pages(site, "lachin") & matching_pages(site, "russ")
    assert 0 < len(both) < min(len(matching_pages(site, "lachin")), len(matching_pages(site, "russ")))
    with searched(browser, site, "index.html", "Lachin Russ") as (t, url):
        listed(t.page, url, both)


def test_search_from_file_url_answers_from_materials_index(browser: Browser, site: Path) -> None:
    t = open_tab(browser)
    try:
        page = t.page
        page.goto((site / "index.html").as_uri())
        search(page, "Khankendi")
        listed(page, site.as_uri(), article_pages(site, "Khankendi"))
        assert not [u for u in t.requests if f"/{CHUNKS}/" in u]  # a worker cannot fetch from file://
        assert any(u.endswith("/search/search_index.js") for u in t.requests)
    finally:
        t.context.close()


def test_hostile_record_text_stays_text_in_results(browser: Browser, tmp_path: Path) -> None:
    site = built(with_chunks(hostile_corpus(tmp_path / "corpus")), tmp_path / "site")
    with searched(browser, site, "index.html", "Attack") as (t, _):
        page = t.page
        results = page.locator(".md-search-result__list")
        expect(results).to_contain_text("<script>")  # shown, not run
        expect(results).to_contain_text("onerror=")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert results.locator("script, img").count() == 0


def test_same_corpus_same_files_with_or_without_the_cache(corpus: Path, site: Path, tmp_path: Path) -> None:
    """The chunks are part of a deterministic build: a build from the page
    cache (which patches the kept index) and one from scratch write the
    same bytes."""
    cached = site_files(built(corpus, tmp_path / "cached"))
    shutil.rmtree(corpus / CACHE_DIR)
    fresh = site_files(built(corpus, tmp_path / "clean"))
    first = site_files(site)
    assert any(name.startswith(f"{CHUNKS}/d/") for name in first)
    assert cached == first
    assert fresh == first


def test_auto_turns_the_chunks_on_for_large_sites() -> None:
    assert not wanted("auto", AUTO_FROM - 1)
    assert wanted("auto", AUTO_FROM)
    assert wanted("chunked", 1)
    assert not wanted("material", 100_000)


def test_a_site_without_materials_search_is_left_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html><body><article>Hello</article></body></html>", encoding="utf-8")
    before = site_files(tmp_path)
    assert write_index(tmp_path, REPO / "templates" / "assets" / "search-worker.js") is False
    assert site_files(tmp_path) == before


def test_indexing_a_built_site_again_changes_nothing(site: Path, tmp_path: Path) -> None:
    """The engine's dirty build into a site keeps the worker it wrote before:
    the prelude is not added twice, and the index comes out the same."""
    again = tmp_path / "site"
    shutil.copytree(site, again)
    assert write_index(again, REPO / "templates" / "assets" / "search-worker.js") is True
    assert site_files(again) == site_files(site)


def test_results_lead_to_pages_with_directory_urls(browser: Browser, tmp_path: Path) -> None:
    """Without the offline plugin pages live at folder/ addresses; published
    under a path (a project's GitHub Pages, say: here /site/), a result found
    from a page two folders down still leads to its page."""
    corpus = with_chunks(copy_corpus(tmp_path / "corpus"))
    config = corpus / "mkdocs.yml"
    text = re.sub(r"\n  - offline[^\n]*", "", config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
    built(corpus, tmp_path / "site")
    assert (tmp_path / "site" / "places" / PLACE / "index.html").is_file()
    with searched(browser, tmp_path, "site/events/ceasefire-2023-09-20/", "Khankendi") as (t, url):
        page = t.page
        first = page.locator(".md-search-result__item a.md-search-result__link").first
        assert first.get_attribute("href") == f"{url}/site/places/{PLACE}/?h=Khankendi"
        first.click()
        page.wait_for_url(re.compile(rf"/site/places/{PLACE}/"))
        assert h1_text(page) == record("places", PLACE)["name"]


TRICKY = ["Stepanakert (Khankendi)", "Şuşa İstanbul", "Xankəndi", "Nagorno-Karabakh", "ﬁnal ½ ①", "Straße",
          "ΣΊΣΥΦΟΣ", "Москва", "Երևան", "naïve café", "e\u0301clair", "Russia’s 2023", "snake_case", "ǅemal"]


def test_the_prelude_reads_words_as_the_index_does(browser: Browser) -> None:
    """The query's words are the index's: the prelude's own reading, run in
    Chromium, against the Python side's, on text where they could part."""
    prelude = (REPO / "templates" / "assets" / "search-worker.js").read_text(encoding="utf-8")
    code = prelude[prelude.index("  const WORD ="):prelude.index("  async function fetched")]
    t = open_tab(browser)
    try:
        read = t.page.evaluate(f"(texts) => {{ {code}; return texts.map(wordsOf); }}", TRICKY)
    finally:
        t.context.close()
    assert [[w for w in found if w not in STOP_WORDS] for found in read] == [words(text) for text in TRICKY]


def test_the_page_titled_with_the_words_typed_comes_first(browser: Browser, site: Path) -> None:
    """"Armenia" finds "Armenian" too, but the page titled "Armenia" comes
    first, before a claim whose longer title says it twice (which came
    first before titles the words typed were put first)."""
    assert matching_pages(site, "armenian") < matching_pages(site, "armenia")
    with searched(browser, site, "index.html", "Armenia") as (t, _):
        first = t.page.locator(".md-search-result__item a.md-search-result__link h1").first
        expect(first).to_have_text("Armenia")


def test_maps_graphs_and_filters_stay_out_of_the_index(site: Path) -> None:
    """A map's labels ran together in the index ("AzerbaijanArmeniaIran…50 km")
    and in the results' excerpts, as did the timeline filter's list of
    actors; a map's caption, which names the places, stays."""
    docs = material_docs(site)
    place = next(doc for doc in docs if doc["location"] == f"places/{PLACE}.html")
    assert "Map: Stepanakert" in place["text"]
    assert " km" not in place["text"]
    run_together = ("AzerbaijanArmenia", "ArmeniaAzerbaijan")
    assert not [doc["location"] for doc in docs if any(words in doc["text"] for words in run_together)]
