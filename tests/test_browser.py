"""The built site in a real browser: headless Debian Chromium through Playwright.

User journeys on the sample corpus, built once into a temporary folder and
served on 127.0.0.1: home page to brief, actor and citation links, search,
print, the timeline filter with and without JavaScript, the site from
file://, and escaping of hostile record text. Every request the browser
makes is recorded; none may leave the machine.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest_site import LOCAL_SCHEMES, REPO, chromium, h1_text, record, serve_directory
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from generator.build import build_site
from generator.prose import parse

BRIEF = "ceasefire-20-september-2023"
PLACE = "stepanakert-khankendi"
AUTHORITIES = "nagorno-karabakh-authorities"
EVENTS = len(list((REPO / "briefings" / "events").glob("*.yaml")))
WAIT_MS = 120_000  # a ceiling for anything the browser has to do, not a speed target
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("browser") / "site"
    result = build_site(REPO, progress=lambda _: None, site_dir=site_dir)
    assert result.ok, (result.error, result.problems)
    return site_dir


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve_directory(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@dataclass
class Tab:
    """A page in a fresh browser context, with every request it made."""

    context: BrowserContext
    page: Page
    requests: list[str] = field(default_factory=list)

    def record(self, request: Request) -> None:
        self.requests.append(request.url)


def open_tab(browser: Browser, java_script: bool = True) -> Tab:
    context = browser.new_context(java_script_enabled=java_script, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    tab = Tab(context, context.new_page())
    context.on("request", tab.record)
    return tab


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    t = open_tab(browser)
    yield t
    t.context.close()


def assert_only_local(requests: list[str], base_url: str) -> None:
    assert requests, "no request was recorded: the recorder is not working"
    outside = [u for u in requests if not (u.startswith(base_url + "/") or u.startswith(LOCAL_SCHEMES))]
    assert outside == [], f"requests that leave 127.0.0.1: {outside}"


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def search(page: Page, query: str) -> None:
    """Type a query into Material's search box, as a user does."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():  # narrow screens: the search opens from the header button
        page.locator("label.md-header__button[for='__search']").click()
    box.click()
    box.press_sequentially(query, delay=20)
    expect(box).to_have_value(query)
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"\d+ matching documents?"))
    # Each key runs a query: wait until the results of the last one stay put.
    deadline = time.monotonic() + WAIT_MS / 1000
    last = None
    while (now := page.evaluate(RESULTS)) != last:
        assert time.monotonic() < deadline, f"search results for {query!r} did not settle"
        last = now
        time.sleep(0.3)


RESULTS = """() => [document.querySelector(".md-search-result__meta")?.textContent,
  ...[...document.querySelectorAll(".md-search-result__link")].map((a) => a.getAttribute("href"))]"""


# --- journeys -----------------------------------------------------------------------------------


def test_home_to_brief_to_actor_and_citation(tab: Tab, base_url: str) -> None:
    brief = record("briefs", BRIEF)
    page = tab.page
    page.goto(f"{base_url}/index.html")
    assert h1_text(page) == yaml_site_name()

    page.locator("article").get_by_role("link", name=brief["title"], exact=True).click()
    page.wait_for_url(f"**/briefs/{BRIEF}.html")
    assert h1_text(page) == brief["title"]
    bottom = page.locator("article .admonition", has_text="Bottom line")
    expect(bottom).to_be_visible()
    opening = parse(brief["bottom_line"])[0][0]  # the words before its first citation, as typeset
    assert isinstance(opening, str) and len(opening) > 40
    expect(bottom).to_contain_text(opening)

    # An actor link from the brief (in its prose, or its evidence opened).
    page.locator("article details.evidence summary").first.click()
    actor_link = page.locator("article a[href*='actors/']:visible").first
    expect(actor_link).to_be_visible()
    actor_id = Path(urlsplit(actor_link.get_attribute("href") or "").path).stem
    actor = record("actors", actor_id)
    actor_link.click()
    page.wait_for_url(f"**/actors/{actor_id}.html")
    assert h1_text(page) == actor["name"]

    # Back to the brief, then a citation: it leads to the source's page.
    page.go_back()
    page.wait_for_url(f"**/briefs/{BRIEF}.html")
    cite = page.locator("article a.cite").first
    expect(cite).to_be_visible()
    source_id = Path(urlsplit(cite.get_attribute("href") or "").path).stem
    source = record("sources", source_id)
    cite.click()
    page.wait_for_url(f"**/sources/{source_id}.html")
    assert h1_text(page) == source["title"]

    assert_only_local(tab.requests, base_url)


def yaml_site_name() -> str:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    name: str = config["site_name"]
    return name


def test_search_khankendi_lands_on_stepanakert(tab: Tab, base_url: str) -> None:
    place = record("places", PLACE)
    assert "Khankendi" in [n["name"] for n in place["names"]]
    page = tab.page
    page.goto(f"{base_url}/index.html")
    search(page, "Khankendi")
    first = page.locator(".md-search-result__item").first.locator("a.md-search-result__link").first
    expect(first).to_be_visible()
    first.click()
    page.wait_for_url(re.compile(rf"/places/{PLACE}\.html"))
    assert path_of(page).endswith(f"/places/{PLACE}.html")
    assert h1_text(page) == place["name"]
    assert_only_local(tab.requests, base_url)


def test_search_for_a_name_finds_every_page_that_names_it(tab: Tab, base_url: str, site: Path) -> None:
    """A name in parentheses, "Stepanakert (Khankendi)", is a word of its own
    in the index: the search lists every page whose text names Khankendi."""
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")
             if "Khankendi" in p.read_text(encoding="utf-8").split("<article", 1)[-1].split("</article>", 1)[0]}
    assert len(pages) > 10
    page = tab.page
    page.goto(f"{base_url}/index.html")
    search(page, "Khankendi")
    meta = page.locator(".md-search-result__meta").text_content() or ""
    assert meta.startswith(f"{len(pages)} matching document"), (meta, sorted(pages))


def test_search_artsakh_finds_the_de_facto_authorities(tab: Tab, base_url: str) -> None:
    actor = record("actors", AUTHORITIES)
    page = tab.page
    page.goto(f"{base_url}/index.html")
    search(page, "Artsakh")
    hit = page.locator(f".md-search-result__item a.md-search-result__link[href*='actors/{AUTHORITIES}.html']")
    expect(hit.first).to_be_visible()
    expect(hit.first).to_contain_text(actor["name"])
    assert_only_local(tab.requests, base_url)


def test_print_hides_the_navigation(tab: Tab, base_url: str) -> None:
    page = tab.page
    page.goto(f"{base_url}/briefs/{BRIEF}.html")
    chrome = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search"]
    # On screen, the navigation is there (so that hiding it means something).
    for selector in (".md-header", ".md-sidebar--primary"):
        expect(page.locator(selector).first).to_be_visible()
    page.emulate_media(media="print")
    for selector in [*chrome, ".md-tabs", ".md-footer", ".md-top"]:
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator("article .admonition", has_text="Bottom line")).to_be_visible()
    expect(page.locator("article a.cite").first).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator(".md-header")).to_be_visible()
    assert_only_local(tab.requests, base_url)


# --- the timeline filter --------------------------------------------------------------------------


def test_timeline_filter_with_javascript(tab: Tab, base_url: str) -> None:
    page = tab.page
    page.goto(f"{base_url}/timeline.html")
    expect(page.locator(".briefing-filter")).to_be_visible()
    assert "{:" not in page.locator("article").inner_text(), "an attribute list is printed as text"
    events = page.locator("article li[data-actors]")
    total = events.count()
    assert total == EVENTS, "every event of the timeline is an li[data-actors]"
    for li in events.all():
        expect(li).to_be_visible()
    expect(page.locator(".briefing-nojs")).to_be_hidden()

    # An actor in some events but not all: the filter must hide something and keep something.
    lists = [(li.get_attribute("data-actors") or "").split() for li in events.all()]
    counts = {a: sum(a in actors for actors in lists) for actors in lists for a in actors}
    actor = next(a for a, n in sorted(counts.items()) if 0 < n < total)
    page.select_option("#filter-actor", actor)
    for li, actors in zip(events.all(), lists, strict=True):
        if actor in actors:
            expect(li).to_be_visible()
        else:
            expect(li).to_be_hidden()
    assert sum(li.is_visible() for li in events.all()) == counts[actor]

    page.select_option("#filter-actor", "")  # all actors again
    for li in events.all():
        expect(li).to_be_visible()
    assert_only_local(tab.requests, base_url)


@pytest.mark.parametrize(("rel", "names"), [
    (f"places/{PLACE}.html", ["Stepanakert (Khankendi)", "Azerbaijan", "Armenia"]),
    ("places/lachin-corridor.html", ["Lachin corridor", "Azerbaijan", "Armenia"]),
    ("places/nagorno-karabakh.html", ["Stepanakert (Khankendi)", "Nagorno-Karabakh", "Azerbaijan"]),
])
def test_maps_draw_from_the_page_alone(tab: Tab, base_url: str, rel: str, names: list[str]) -> None:
    """The city, corridor and region maps: drawn, their names searchable text,
    the disputed area hatched, the caption there for a screen reader, and no
    request leaving the machine (no tiles, no fonts, no script)."""
    page = tab.page
    page.goto(f"{base_url}/{rel}")
    svg = page.locator("article figure.map-figure svg.locator")
    expect(svg).to_be_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] >= 400 and box["height"] >= 250, box
    assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-label")
    labels = svg.locator("text").all_text_contents()
    for name in names:
        assert name in labels, (name, labels)
    assert svg.locator("path.disputed").count() >= 1
    caption = page.locator("article figure.map-figure figcaption").inner_text()
    assert "Hatched, as disputed: Nagorno-Karabakh" in caption and "Natural Earth 4.1.0" in caption
    assert_only_local(tab.requests, base_url)


def test_network_filters_by_relation_and_by_date(tab: Tab, base_url: str) -> None:
    """The network page's filters hide the ties (and their table rows) of
    other relations, or that do not hold on the day; without a filter, all show."""
    page = tab.page
    page.goto(f"{base_url}/network.html")
    expect(page.locator(".network-filter")).to_be_visible()
    ties = page.locator("article svg.network g.tie")
    rows = page.locator("article .network-figure ~ table tbody tr, article .network-figure ~ * table tbody tr")
    total = ties.count()
    assert total > 10 and rows.count() == total
    kinds = [t.get_attribute("data-kind") for t in ties.all()]
    page.select_option("#network-kind", "member-of")
    shown = [t.is_visible() for t in ties.all()]
    assert shown == [k == "member-of" for k in kinds]
    assert [r.is_visible() for r in rows.all()] == shown
    page.select_option("#network-kind", "")
    # Armenia has been a CSTO member since 1991: the tie is there in 2000, not in 1990.
    member = page.locator('article svg.network g.tie[data-source="armenia"][data-target="csto"]')
    page.fill("#network-day", "1990-06-01")
    page.dispatch_event("#network-day", "change")
    expect(member).to_be_hidden()
    page.fill("#network-day", "2000-06-01")
    page.dispatch_event("#network-day", "change")
    expect(member).to_be_visible()
    assert_only_local(tab.requests, base_url)


EMPTY_HEADINGS = """() => {
  const out = [];
  const headings = [...document.querySelectorAll("article h2, article h3")];
  for (const h of headings) {
    if (!h.checkVisibility()) continue;
    let visible = 0;
    for (let el = h.nextElementSibling; el && !(el.tagName === "H2" || (h.tagName === "H3" && el.tagName === "H3"));
         el = el.nextElementSibling) {
      visible += [...el.querySelectorAll("li[data-actors]")].filter((li) => li.checkVisibility()).length;
    }
    if (visible === 0) out.push(h.id);
  }
  return out;
}"""


def test_timeline_filter_hides_empty_years_and_months(tab: Tab, base_url: str) -> None:
    """briefing.js: 'Hide the months and years that the filter left empty.'"""
    page = tab.page
    page.goto(f"{base_url}/timeline.html")
    events = page.locator("article li[data-actors]")
    assert events.count() == EVENTS
    assert page.evaluate(EMPTY_HEADINGS) == []  # unfiltered: every heading has events
    years = page.locator("article h2")
    assert years.count() > 1
    page.select_option("#filter-actor", "nikol-pashinyan")
    shown = sum(li.is_visible() for li in events.all())
    assert 0 < shown < EVENTS
    assert page.evaluate(EMPTY_HEADINGS) == [], "visible year or month headings with no visible event under them"
    assert_only_local(tab.requests, base_url)


def test_timeline_without_javascript(browser: Browser, base_url: str) -> None:
    t = open_tab(browser, java_script=False)
    try:
        page = t.page
        page.goto(f"{base_url}/timeline.html")
        expect(page.locator(".briefing-filter")).to_be_hidden()
        assert "{:" not in page.locator("article").inner_text(), "an attribute list is printed as text"
        events = page.locator("article li[data-actors]")
        assert events.count() == EVENTS
        for li in events.all():
            expect(li).to_be_visible()
        nojs = page.locator(".briefing-nojs")
        expect(nojs).to_be_visible()
        for link in nojs.locator("a").all():
            expect(link).to_be_visible()
        assert nojs.locator("a").count() >= 2
        assert_only_local(t.requests, base_url)
    finally:
        t.context.close()


def test_a_small_site_keeps_materials_index(site: Path) -> None:
    """The sample (about 230 pages) is under the "auto" threshold for the
    chunked index: every page loads Material's whole index, which also
    answers from file://."""
    from generator.search_chunks import AUTO_FROM, CHUNKS

    assert len(list(site.rglob("*.html"))) < AUTO_FROM
    assert not (site / CHUNKS).exists()
    fetched = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert len(fetched["docs"]) > 500


# --- file:// ------------------------------------------------------------------------------------------


def test_site_works_from_file_url_with_search(browser: Browser, site: Path) -> None:
    t = open_tab(browser)
    try:
        page = t.page
        page.goto((site / "index.html").as_uri())
        assert h1_text(page) == yaml_site_name()
        search(page, "Khankendi")
        first = page.locator(".md-search-result__item a.md-search-result__link").first
        expect(first).to_be_visible()
        assert f"places/{PLACE}.html" in (first.get_attribute("href") or "")
        first.click()
        page.wait_for_url(re.compile(rf"/places/{PLACE}\.html"))
        assert h1_text(page) == record("places", PLACE)["name"]
        assert t.requests
        remote = [u for u in t.requests if not (u.startswith("file://") or u.startswith(LOCAL_SCHEMES))]
        assert remote == [], f"requests from file:// that are not local files: {remote}"
    finally:
        t.context.close()


# --- hostile text ---------------------------------------------------------------------------------------

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
JS_LINK = "[x](javascript:window.__pwned=1)"


def hostile_corpus(dest: Path) -> Path:
    """A tiny corpus whose event title, summary and quote text carry HTML and a javascript: link."""
    files = {
        "sources/report.yaml": (
            "title: Report on the offensive\npublisher: Example News\npublished: 2023-09-20\nkind: news-report\n"
        ),
        "actors/a.yaml": "name: A\ntype: person\n",
        "events/e.yaml": (
            f"title: {yaml_str(f'Attack {SCRIPT} {IMG} {JS_LINK}')}\n"
            "date: 2023-09-19\n"
            f"summary: {yaml_str(f'Summary {SCRIPT} {IMG} {JS_LINK}')}\n"
            "actors: [{actor: a, role: attacker}]\n"
            "sources: [report]\n"
        ),
        "quotes/q.yaml": (
            f"text: {yaml_str(f'We said {SCRIPT} {IMG} {JS_LINK}')}\n"
            "speaker: a\nsaid: 2023-09-19\nsource: report\nevent: e\n"
        ),
        "briefs/b.yaml": (
            'title: B\nas_of: "2023-09-20T18:00+04:00"\nbottom_line: L\n'
            "key_points: [{text: K, cites: [e, q]}]\n"
            "sections: [{title: S, select: {ids: [e, q]}}]\n"
        ),
    }
    for name, text in files.items():
        path = dest / "briefings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (dest / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return dest


def yaml_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_record_text_cannot_inject_html_or_script(browser: Browser, tmp_path: Path) -> None:
    corpus = hostile_corpus(tmp_path / "corpus")
    result = build_site(corpus, progress=lambda _: None, site_dir=tmp_path / "site")
    assert result.ok, (result.error, result.problems)
    t = open_tab(browser)
    try:
        page = t.page
        with serve_directory(tmp_path / "site") as url:
            for path in ("events/e.html", "quotes/q.html", "index.html", "briefs/b.html", "timeline.html"):
                page.goto(f"{url}/{path}")
                assert page.evaluate("typeof window.__pwned") == "undefined", path
                text = page.locator("article").inner_text()
                assert "<script>" in text, path  # shown as text, not run
                assert "onerror=" in text, path
                assert page.locator('a[href^="javascript:" i]').count() == 0, path
                assert page.locator('article img[src="x"]').count() == 0, path
                assert page.locator("article script").count() == 0, path
            assert_only_local(t.requests, url)
    finally:
        t.context.close()


# --- accessibility --------------------------------------------------------------------------------

# One page of every kind the site makes.
PAGE_KINDS = ["index.html", f"briefs/{BRIEF}.html", "briefs/index.html", "events/ceasefire-2023-09-20.html",
              "actors/ilham-aliyev.html", f"places/{PLACE}.html", "claims/deaths-at-least-25.html",
              "quotes/aliyev-anti-terrorist-operation.html", "sources/bloomberg-2023-09-20.html", "disputes.html",
              "timeline.html", "names.html", "topics/index.html", "topics/casualties.html", "claims/index.html",
              "network.html"]


def axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("rel", PAGE_KINDS)
def test_no_serious_or_critical_accessibility_violation(tab: Tab, base_url: str, site: Path, rel: str) -> None:
    """axe-core, in Chromium, on one page of each kind: links told apart from
    text by more than colour, contrast, named dialogs ..."""
    assert (site / rel).is_file(), rel
    page = tab.page
    page.goto(f"{base_url}/{rel}")
    page.wait_for_load_state("load")
    page.evaluate(axe_script())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    assert_only_local(tab.requests, base_url)


def test_wide_tables_scroll_visibly_on_a_phone(browser: Browser, base_url: str) -> None:
    """At 390 px, a table wider than the screen sits in a box that fits the
    screen, scrolls sideways, and shows a shadow cue at its edge."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    wide = 0
    for rel in (f"briefs/{BRIEF}.html", "disputes.html"):
        page.goto(f"{base_url}/{rel}")
        page.wait_for_load_state("load")
        expect(page.locator(".md-typeset__scrollwrap").first).to_be_attached()
        tables = page.evaluate("""() => [...document.querySelectorAll('article table')].map((t) => {
            const wrap = t.closest('.md-typeset__scrollwrap');
            const box = (wrap || t).getBoundingClientRect();
            const style = wrap ? getComputedStyle(wrap) : null;
            return {wide: t.scrollWidth > (wrap || t.parentElement).clientWidth + 1, right: box.right,
                    overflow: style ? style.overflowX : '', cue: style ? style.backgroundImage : ''};
        })""")
        assert tables, rel
        for table in tables:
            assert table["right"] <= 390 + 1, (rel, table)  # nothing cut off at the screen's edge
            if table["wide"]:
                wide += 1
                assert table["overflow"] in ("auto", "scroll"), (rel, table)
                assert "gradient" in table["cue"], (rel, table)
    assert wide > 0  # the check saw tables that need it
    context.close()


def test_bottom_line_and_tables_are_in_body_type(tab: Tab, base_url: str) -> None:
    page = tab.page
    page.goto(f"{base_url}/briefs/{BRIEF}.html")
    sizes = page.evaluate("""() => {
      const px = (el) => parseFloat(getComputedStyle(el).fontSize);
      const body = document.querySelector('article > p, .md-content__inner > p');
      return {body: px(body), bottom: px(document.querySelector('.admonition.abstract p')),
              cells: [...document.querySelectorAll('article table td')].map(px)};
    }""")
    assert sizes["cells"]
    assert sizes["bottom"] >= sizes["body"]
    assert min(sizes["cells"]) >= sizes["body"] * 0.99
