"""Long listings in parts (generator.listing_parts, generator.render_listings):
the parts hold the listing's rows, each once and in its order; the hub
links to every part; each part links to its neighbours and its hub; a
listing that fits on one page is unchanged; and the site builds (strict)
with them, none in the navigation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sitecheck import broken_links

from bench.synth import generate
from generator import listing_parts
from generator.build import build_site
from generator.corpus import read_corpus
from generator.dates import PartialDate
from generator.listing_parts import by_date, by_initial, part_path
from generator.render import SiteOptions, render_pages
from generator.site_paths import href, rel

REPO = Path(__file__).resolve().parent.parent

_DATES = st.one_of(
    st.none(),
    st.builds(lambda y: f"{y}", st.integers(2019, 2024)),
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2019, 2024), st.integers(1, 12)),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(2019, 2024), st.integers(1, 12),
              st.integers(1, 28)),
)


def _sorted(texts: list[str | None]) -> tuple[list[str], dict[str, PartialDate | None]]:
    """Ids in the order listings use: by date, undated last."""
    dates = {f"r{i}": PartialDate.parse(t) if t else None for i, t in enumerate(texts)}
    ids = sorted(dates, key=lambda r: (0, *dates[r].sort_key, r) if dates[r] is not None else (1, r))  # type: ignore[union-attr]
    return ids, dates


@given(st.lists(_DATES, max_size=80), st.integers(1, 30))
def test_dated_parts_hold_every_row_once_in_order_cut_by_year_then_month(texts: list[str | None],
                                                                         limit: int) -> None:
    ids, dates = _sorted(texts)
    parts = by_date(ids, dates.__getitem__, limit)
    if parts is None:  # fits, or cannot be cut (one part)
        assert len(ids) <= limit or len({_key(dates[r], ids, dates, limit) for r in ids}) == 1
        return
    assert len(parts) > 1
    assert [r for p in parts for r in p.ids] == ids
    assert len({p.key for p in parts}) == len(parts)
    for part in parts:
        assert {_key(dates[r], ids, dates, limit) for r in part.ids} == {part.key}
        if len(part.key) == 4:  # a whole year: it fits, or its dates have no month
            year = [r for r in ids if (d := dates[r]) is not None and d.text[:4] == part.key]
            assert len(year) <= limit or all(len(dates[r].text) == 4 for r in part.ids)  # type: ignore[union-attr]


def _key(d: PartialDate | None, ids: list[str], dates: dict[str, PartialDate | None], limit: int) -> str:
    """The part a date belongs in, said independently: its year, or its
    month when its year holds more than ``limit`` rows."""
    if d is None:
        return "undated"
    in_year = sum(1 for r in ids if (e := dates[r]) is not None and e.text[:4] == d.text[:4])
    return d.text[:4] if in_year <= limit or len(d.text) == 4 else d.text[:7]


def test_names_are_cut_by_their_first_letter_without_accents() -> None:
    names = {"a1": "Ağdam", "a2": "Armenia", "s1": "Şuşa", "s2": "Stepanakert", "d": "1st Army Corps",
             "o": "Ստեփանակերտ", "o2": "(unnamed)"}
    ids = sorted(names, key=lambda r: names[r].casefold())
    parts = by_initial(ids, names.__getitem__, limit=2)
    assert parts is not None
    assert {p.key: set(p.ids) for p in parts} == {"a": {"a1", "a2"}, "s": {"s1", "s2"}, "0-9": {"d"},
                                                  "other": {"o", "o2"}}
    assert [p.label for p in parts if p.key == "a"] == ["A"]
    assert by_initial(ids, names.__getitem__, limit=7) is None
    assert by_initial(["x", "y", "z"], lambda r: "Actor " + r, limit=1) is None  # one initial: one page


def test_a_part_lives_where_no_record_page_can() -> None:
    assert part_path("events/index.md", "2023-09") == "events/index/2023-09.md"
    assert part_path("timeline.md", "2023") == "timeline/2023.md"
    assert part_path("topics/ceasefire.md", "a") == "topics/ceasefire/a.md"


def _links(page: str, markdown: str) -> list[str]:
    """The record pages a listing links to, in order (the pager links to no
    record): Markdown links, and its rows' HTML links (rendered without
    directory URLs: events/x.html is events/x.md's page)."""
    urls = re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)|<a href=\"([^\"#]+)\.html\">", markdown)
    found = (_resolve(page, md or f"{html}.md") for md, html in urls)
    return [p for p in found if re.fullmatch(r"(events|actors|places|claims|quotes|sources|briefs)/[a-z0-9-]+\.md", p)
            and not p.endswith("/index.md")]


def _resolve(page: str, url: str) -> str:
    parts: list[str] = page.split("/")[:-1]
    for piece in url.split("/"):
        if piece == "..":
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parts") / "corpus"
    generate(root, 150)
    return root


def test_long_listings_become_a_hub_and_parts_that_list_what_one_page_did(
        synthetic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = read_corpus(synthetic).corpus
    assert corpus is not None
    options = SiteOptions(directory_urls=False)
    whole = render_pages(corpus, synthetic, options)
    monkeypatch.setattr(listing_parts, "PART_ROWS", 10)
    cut = render_pages(corpus, synthetic, options)
    assert {p for p in whole if not p.endswith("index.md") and p != "timeline.md" and not p.startswith("topics/")} \
        <= set(cut)
    hubs = ["events/index.md", "claims/index.md", "quotes/index.md", "timeline.md", "topics/ceasefire.md"]
    for hub in hubs:
        parts = re.findall(r"^\| \[[^]]+\]\(([^)]+)\) \| (\d+) \|$", cut[hub], flags=re.M)
        assert len(parts) > 1, hub
        paths = [_resolve(hub, url) for url, _ in parts]
        assert all(p.startswith(hub.removesuffix(".md") + "/") for p in paths), hub
        listed = [_links(p, cut[p]) for p in paths]
        if hub.startswith("topics/"):  # events, claims, quotes (and what they cite) of each part
            assert set().union(*listed) == set(_links(hub, whole[hub])), hub
        else:  # every row once, in the one page's order, and each part says how many it holds
            assert [r for rows in listed for r in rows] == _links(hub, whole[hub]), hub
            assert [len(rows) for rows in listed] == [int(n) for _, n in parts], hub
        for i, path in enumerate(paths):
            pager = re.findall(r"^(?:← \[[^]]+\]\(([^)]+)\) · )?\[All [^]]+\]\(([^)]+)\)"
                               r"(?: · \[[^]]+\]\(([^)]+)\) →)?$", cut[path], flags=re.M)
            assert len(pager) == 2, path  # above and below the rows
            before, up, after = pager[0]
            assert _resolve(path, up) == hub
            assert (_resolve(path, before) if before else None) == (paths[i - 1] if i else None)
            assert (_resolve(path, after) if after else None) == (paths[i + 1] if i + 1 < len(paths) else None)
            # Every link on a part goes to a page the site has.
            for url in re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", cut[path]):
                assert _resolve(path, url) in cut, (path, url)
    # A month's part of the timeline says its month once, in its title: no year or month heading below.
    months = [p for p in cut if re.fullmatch(r"timeline/\d{4}-\d{2}\.md", p)]
    assert months and all(re.search(r"^#{2,3} ", cut[p], flags=re.M) is None for p in months)
    assert re.search(r"^### ", whole["timeline.md"], flags=re.M)  # the one-page timeline keeps them
    # Short listings (the briefs, the sources here) are one page, as before.
    assert cut["briefs/index.md"] == whole["briefs/index.md"]
    assert not any(p.startswith("briefs/index/") for p in cut)


def test_the_sample_listings_fit_on_one_page() -> None:
    corpus = read_corpus(REPO).corpus
    assert corpus is not None
    pages = render_pages(corpus, REPO)
    assert not any(re.match(r"(timeline|[a-z]+/index|topics/[a-z0-9-]+)/", p) for p in pages)


def test_a_site_with_parts_builds_strict_and_keeps_them_out_of_the_navigation(
        synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing_parts, "PART_ROWS", 10)
    site = tmp_path / "site"
    result = build_site(synthetic, progress=lambda _: None, site_dir=site)
    assert result.ok, result.error or result.problems[:3]  # strict: every Markdown link resolves
    assert broken_links(site) == []  # and so does every link of the rows, which are HTML
    part = next(site.glob("events/index/2023-*.html"))  # the offline plugin: no directory URLs
    html = part.read_text(encoding="utf-8")
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>", html)
    assert rows and all(re.fullmatch(r'<a href="\.\./event-\d+\.html">[^<]+</a>', r) for r in rows)  # a row, a link
    assert not re.search(r"</t[dh]><t[dh]", html)  # cells apart, as search reads their words
    assert re.search(r"<h1[^>]*>Events, \w+ 2023</h1>", html)
    assert 'class="briefing-pager"' in html
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "events/index/2023-" not in home and "timeline/2023-" not in home
    assert rel("timeline/2023-09.md", "timeline.md") == "../timeline.md"


_SEGMENT = st.sampled_from(["a", "b", "events", "index", "README", "2023-09", "x-y"])
_PAGE = st.builds(lambda parts: "/".join(parts) + ".md", st.lists(_SEGMENT, min_size=1, max_size=4))


@given(_PAGE, _PAGE, st.booleans())
def test_a_rows_link_is_the_url_the_engine_writes_for_the_markdown_link(here: str, there: str,
                                                                        directory_urls: bool) -> None:
    """Listing rows are HTML, which the engine passes through: their links
    are the engine's own for a Markdown link between the two pages, with
    directory URLs or without, indexes (index.md, README.md) included."""
    # Imported here, after the package: ``generator`` makes ``mkdocs`` ProperDocs, and a process runs on one engine.
    from mkdocs.structure.files import File

    page, target = File(here, "/docs", "/site", directory_urls), File(there, "/docs", "/site", directory_urls)
    assert href(here, there, directory_urls) == target.url_relative_to(page)

