"""PDF briefs, read back: pages, outline, header and footer, footnotes,
citations, metadata, fonts, scripts and links."""

from __future__ import annotations

import html
import logging
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from generator.cli import main
from generator.corpus import read_corpus
from generator.link import Corpus
from generator.pdf import write_pdfs
from generator.print_views import PdfOptions, PrintRenderer

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "site" / "corpus"
SITE_URL = "https://briefing.example.org/"
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def corpus_of(root: Path) -> Corpus:
    result = read_corpus(root)
    assert result.corpus is not None, result.problems
    return result.corpus


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("pdf")
    corpus = corpus_of(GOLDEN)
    options = PdfOptions(handling="For internal use", site_url=SITE_URL, edition="test edition")
    write_pdfs(corpus, GOLDEN, out, ["ceasefire-brief"], options, book=False, progress=lambda _: None)
    path = out / "ceasefire-brief.pdf"
    view = PrintRenderer(corpus, GOLDEN, options).brief_view("ceasefire-brief")
    return {"path": path, "reader": PdfReader(path), "view": view, "pages": page_texts(path)}


def page_texts(path: Path, layout: bool = True) -> list[str]:
    text = subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def outline_titles(outline: list[Any], depth: int = 0) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for item in outline:
        if isinstance(item, list):
            out += outline_titles(item, depth + 1)
        else:
            out.append((depth, item.title))
    return out


def test_pages_and_paper(golden: dict[str, Any]) -> None:
    reader = golden["reader"]
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4


def test_brief_is_a_tagged_pdf_ua_document_in_english(golden: dict[str, Any]) -> None:
    """PDF/UA-1: a structure tree, marked content, the language and the title
    shown, and the PDF/UA identifier in the XMP metadata."""
    root = golden["reader"].trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    tree = root["/StructTreeRoot"].get_object()
    assert tree["/Type"] == "/StructTreeRoot" and "/K" in tree
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp
    assert golden["reader"].metadata.title == golden["view"].title


def test_letter_paper(tmp_path: Path) -> None:
    write_pdfs(corpus_of(GOLDEN), GOLDEN, tmp_path, ["ceasefire-brief"], PdfOptions(paper="letter"), book=False,
               progress=lambda _: None)
    page = PdfReader(tmp_path / "ceasefire-brief.pdf").pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == LETTER


def test_outline_matches_the_sections(golden: dict[str, Any]) -> None:
    view = golden["view"]
    expected = [(0, view.title), (1, "Bottom line"), (1, "Key points")]
    expected += [(1, s.title) for s in view.sections]
    expected += [(1, "Where sources differ")] + [(2, d.title) for d in view.disputes]
    expected += [(1, "Sources")]
    assert outline_titles(golden["reader"].outline) == expected


def test_masthead_then_running_header_and_footer(golden: dict[str, Any]) -> None:
    """A brief opens with its masthead on page one (no cover page: a brief is
    two pages); the running header and footer number every page."""
    pages = golden["pages"]
    view = golden["view"]
    first = pages[0]
    for text in (view.title, "Edition test edition", "FOR INTERNAL USE", "Bottom line"):
        assert text in first, text
    assert first.index("FOR INTERNAL USE") < first.index(view.title) < first.index("Bottom line")
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        if number > 1:
            assert lines[0].startswith(view.title) and lines[0].endswith("For internal use")
        assert lines[-1].startswith("As of 20 September 2023, 23:00 (UTC+04:00)")
        assert lines[-1].endswith(f"Page {number} of {len(pages)}")


def test_bottom_line_comes_first(golden: dict[str, Any]) -> None:
    body = golden["pages"][0]
    assert body.index("Bottom line") < body.index("Key points")
    assert "Fighting stopped at 13:00 local time; casualty figures differ." in body


def calls_and_notes(path: Path) -> list[tuple[list[int], list[int]]]:
    """Per page, read back from the PDF: the footnote calls (source numbers
    set small and raised in the text) and the footnotes (small lines "n. ...")."""
    out = []
    for page in PdfReader(path).pages:
        runs: list[tuple[float, str]] = []

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
            if text.strip():
                runs.append((round(size * tm[3] * cm[3], 2), text.strip()))  # noqa: B023

        page.extract_text(visitor_text=visit)
        calls = [int(t) for size, t in runs if size < 7.0 and t.isdigit()]
        notes = [int(m[1]) for size, t in runs if size < 8.0 and (m := re.fullmatch(r"(\d+)\.", t))]
        out.append((calls, notes))
    return out


def test_one_note_per_source_per_page_on_its_calls_page(golden: dict[str, Any]) -> None:
    """A source's first citation on a page carries its note, on that page;
    later citations there are its bare number: no note repeats on a page,
    and no call lacks its note on its page."""
    pages = calls_and_notes(golden["path"])
    assert sum(len(calls) for calls, _ in pages) > len(golden["view"].sources)  # sources are cited again
    for number, (calls, notes) in enumerate(pages, start=1):
        assert len(notes) == len(set(notes)), (number, notes)
        assert set(calls) == set(notes), (number, calls, notes)


FOOTNOTE = re.compile(r"^\s*(\d+)\. (.+?), “(.+?)”, (\d{1,2} \w+ \d{4}.*?)\.$", re.MULTILINE)


def test_notes_name_publisher_title_and_date_and_resolve_to_the_source_list(golden: dict[str, Any]) -> None:
    sources = golden["view"].sources
    text = "\n".join(golden["pages"])
    notes = {(int(m[1]), m[2], m[3], m[4]) for m in FOOTNOTE.finditer(text)}
    assert notes == {(s.number, s.publisher, html.unescape(str(s.title)), s.published) for s in sources}
    listed = text.split("\n Sources")[-1]
    for s in sources:
        assert f"{s.number}. {s.publisher}." in listed
    # each note and each bare number links to its entry in the list
    dests = set(golden["reader"].named_destinations)
    assert {f"ceasefire-brief-source-{s.number}" for s in sources} <= dests


def test_metadata(golden: dict[str, Any]) -> None:
    meta = golden["reader"].metadata
    assert meta.title == "The ceasefire"
    assert meta.author.startswith("briefing ")
    assert meta.subject == "Fighting stopped at 13:00 local time; casualty figures differ."
    assert meta.creation_date.isoformat().startswith("2023-09-20T19:00")  # 23:00 at UTC+4


def _fonts(reader: PdfReader) -> list[DictionaryObject]:
    fonts = []
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", {}).values():
            fonts.append(font.get_object())
    return fonts


def test_fonts_are_embedded(golden: dict[str, Any]) -> None:
    fonts = _fonts(golden["reader"])
    assert fonts
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]


def test_every_script_comes_out_as_typed(golden: dict[str, Any]) -> None:
    text = " ".join("\n".join(golden["pages"]).split())  # names may wrap across lines
    for name in ("Xankəndi", "Արցախ", "Нагорный Карабах", "Khankendi"):
        assert name in text


def test_links_point_to_the_site(golden: dict[str, Any]) -> None:
    uris = set()
    for page in golden["reader"].pages:
        for annot in page.get("/Annots", []) or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.add(str(action["/URI"]))
    assert f"{SITE_URL}briefs/ceasefire-brief.html" in uris
    assert f"{SITE_URL}events/offensive.html" in uris


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample corpus' PDFs: every brief, and the book."""
    out = tmp_path_factory.mktemp("sample-pdf")
    corpus = corpus_of(REPO)
    options = PdfOptions(handling="For internal use", subject="Nagorno-Karabakh, September 2023", edition="test")
    results = write_pdfs(corpus, REPO, out, None, options, progress=lambda _: None)
    return {"corpus": corpus, "results": {r.path.stem: r for r in results}, "out": out}


def test_sample_briefs_are_two_pages_and_a_source_list(sample: dict[str, Any]) -> None:
    """A brief of up to a thousand words: two A4 pages, and its sources after
    them; the overview within four."""
    for name, result in sample["results"].items():
        if name == "briefing-book":
            continue
        limit = 4 if name == "nagorno-karabakh-september-2023-overview" else 3
        assert result.pages <= limit, (name, result.pages)
        for number, (calls, notes) in enumerate(calls_and_notes(result.path), start=1):
            assert len(notes) == len(set(notes)) and set(calls) == set(notes), (name, number, calls, notes)
    text = "\n".join(page_texts(sample["out"] / "ceasefire-20-september-2023.pdf"))
    assert "13:00 [local time]" in text and "(UTC+04:00)" in text


def test_each_brief_has_its_map_on_page_one_or_two_with_caption_and_credit(sample: dict[str, Any]) -> None:
    """The map is drawn as SVG, so its names are text the PDF can be searched
    for; its caption names the places and says whose borders they are."""
    expected = {"lachin-corridor-dispute": ("Lachin corridor", "Yevlakh"),
                "ceasefire-20-september-2023": ("Stepanakert (Khankendi)", "Yerevan"),
                "nagorno-karabakh-september-2023-overview": ("Stepanakert (Khankendi)", "Baku")}
    for name, result in sample["results"].items():
        if name == "briefing-book":
            continue
        pages = page_texts(result.path, layout=False)  # the caption's lines in order, not beside the map's
        first = next((i for i, text in enumerate(pages) if "Borders: Natural Earth 4.1.0" in text), None)
        assert first is not None and first <= 1, (name, first)
        page = " ".join(pages[first].split())
        # (pdftotext takes the hyphen of Nagorno-Karabakh at a line's end for a soft one.)
        assert "Map: " in page and "Hatched, as disputed: " in page and "Nagorno" in page, name
        for place in expected.get(name, ()):
            assert place in page, (name, place)
    # Far places are named in the caption, not drawn: the overview is a map of the Caucasus.
    overview = " ".join(page_texts(sample["out"] / "nagorno-karabakh-september-2023-overview.pdf", layout=False)[1]
                        .split())
    assert "Beyond the map: Kyiv; St. Petersburg." in overview


def test_book_is_one_document_numbered_as_one(sample: dict[str, Any]) -> None:
    """Cover (subject, as of, handling), contents, then the briefs, overview
    first; the contents, the page labels and the footers agree; the fonts
    are embedded once; every footnote is on its call's page."""
    path = sample["out"] / "briefing-book.pdf"
    book = PdfReader(path)
    pages = page_texts(path)
    cover = pages[0]
    for text in ("FOR INTERNAL USE", "Nagorno-Karabakh, September 2023", "As of 20 September 2023, 23:59", "Contents"):
        assert text in cover, text
    briefs = [title for depth, title in outline_titles(book.outline) if depth == 0][1:]
    assert briefs[0] == "Nagorno-Karabakh, September 2023: overview"
    assert len(briefs) == len(sample["corpus"].by_kind["brief"])
    starts = [book.get_destination_page_number(item) for item in book.outline if not isinstance(item, list)][1:]
    labels = book.page_labels
    for title, start in zip(briefs, starts, strict=True):
        line = next(line for line in cover.splitlines() if title[:30] in line)
        listed = line.split()[-1]
        assert labels[start] == listed, (title, labels[start], listed)
        footer = [line for line in pages[start].splitlines() if line.strip()][-1]
        assert footer.rstrip().endswith(f"Page {listed} of {len(pages)}"), footer
        assert title[:30] in pages[start]
    assert book.trailer["/Root"]["/Lang"] == "en"
    xmp = book.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp
    files = {}
    for font in _fonts(book):
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        stream = next(descriptor.raw_get(k) for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor)
        files.setdefault(str(font["/BaseFont"]), set()).add(stream.idnum)
    assert files and all(len(ids) == 1 for ids in files.values()), files
    for number, (calls, notes) in enumerate(calls_and_notes(path), start=1):
        assert len(notes) == len(set(notes)) and set(calls) == set(notes), (number, calls, notes)


def test_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["pdf", "-C", str(GOLDEN), "-o", str(tmp_path), "ceasefire-brief"])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "ceasefire-brief.pdf").is_file()
    assert runner.invoke(main, ["pdf", "-C", str(GOLDEN), "-o", str(tmp_path), "no-such-brief"]).exit_code == 2
    broken = Path(__file__).parent / "golden" / "errors" / "dangling-ref"
    result = runner.invoke(main, ["pdf", "-C", str(broken), "-o", str(tmp_path / "x")])
    assert result.exit_code == 1 and "dangling-ref" in result.stderr
    assert not (tmp_path / "x").exists()


def test_typesetting_warns_of_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """WeasyPrint subsets fonts with HarfBuzz (Debian's libharfbuzz-subset0,
    which tools/system-deps installs); without it, it falls back to fontTools
    and warns for every font of every PDF, and the bytes differ by machine."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    write_pdfs(corpus_of(GOLDEN), GOLDEN, tmp_path, ["ceasefire-brief"], PdfOptions(edition="test"), book=False,
               progress=lambda _: None)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    assert "libharfbuzz-subset0" in (REPO / "tools" / "system-deps").read_text(encoding="utf-8")


def test_pdfs_link_to_the_site_only_at_a_real_address() -> None:
    from generator.pdf import linkable

    for placeholder in ("https://briefing.example.org/", "http://example.com", "https://desk.example",
                        "https://site.invalid/", "http://localhost:8000/", "https://x.test", ""):
        assert linkable(placeholder) == "", placeholder
    for real in ("https://briefing.desk.org/", "https://examples.org/", "https://example.org.uk/"):
        assert linkable(real) == real
