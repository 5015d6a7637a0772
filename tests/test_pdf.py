"""PDF briefs, read back: pages, outline, header and footer, footnotes,
citations, metadata, fonts, scripts and links."""

from __future__ import annotations

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
from generator.pdf import PdfOptions, PrintRenderer, write_pdfs

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


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
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


def test_cover_then_running_header_and_footer(golden: dict[str, Any]) -> None:
    pages = golden["pages"]
    view = golden["view"]
    cover = pages[0]
    for text in (view.title, "As of 20 September 2023, 23:00 (UTC+04:00)", "Edition: test edition",
                 "FOR INTERNAL USE", "Example Wire", "The Daily"):
        assert text in cover
    assert "Page 1 of" not in cover
    for number, text in enumerate(pages[1:], start=2):
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        assert lines[0].startswith(view.title) and lines[0].endswith("For internal use")
        assert lines[-1].startswith("As of 20 September 2023, 23:00 (UTC+04:00)")
        assert lines[-1].endswith(f"Page {number} of {len(pages)}")


def test_bottom_line_comes_first(golden: dict[str, Any]) -> None:
    body = golden["pages"][1]
    assert body.index("Bottom line") < body.index("Key points")
    assert "Fighting stopped at 13:00 local time; casualty figures differ." in body


FOOTNOTE = re.compile(r"^\s*(\d+)\. ((?:\[\d+\][^;\n]*;?\s*)+)$", re.MULTILINE)


def footnotes(pages: list[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for text in pages:
        for match in FOOTNOTE.finditer(text):
            found[int(match[1])] = match[2]
    return found


def test_every_citation_is_a_footnote(golden: dict[str, Any]) -> None:
    """No footnote dropped or spread (WeasyPrint drops them when the footnote
    area has padding): one per cited statement, numbered 1..N."""
    notes = footnotes(golden["pages"])
    assert golden["view"].footnotes > 0
    assert sorted(notes) == list(range(1, golden["view"].footnotes + 1))


def test_every_citation_number_resolves_to_a_source(golden: dict[str, Any]) -> None:
    sources = golden["view"].sources
    listed = "\n".join(golden["pages"]).split("Sources")[-1]
    for s in sources:
        assert f"{s.number}. {s.publisher}." in listed
    cited = {int(n) for note in footnotes(golden["pages"]).values() for n in re.findall(r"\[(\d+)\]", note)}
    assert cited == {s.number for s in sources}
    # and each [n] is a link to its entry in the list
    reader = golden["reader"]
    dests = set(reader.named_destinations)
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


def test_sample_ceasefire_brief_and_book(tmp_path: Path) -> None:
    corpus = corpus_of(REPO)
    results = write_pdfs(corpus, REPO, tmp_path, ["ceasefire-20-september-2023", "background-2020-war"],
                         PdfOptions(), progress=lambda _: None)
    by_name = {r.path.name: r for r in results}
    brief = by_name["ceasefire-20-september-2023.pdf"]
    assert sorted(footnotes(page_texts(brief.path))) == list(range(1, brief.footnotes + 1))
    text = "\n".join(page_texts(brief.path))
    assert "13:00 local time" in text and "(UTC+04:00)" in text
    book = PdfReader(tmp_path / "briefing-book.pdf")
    top = [title for depth, title in outline_titles(book.outline) if depth == 0]
    assert top == ["Briefing book", "The 20 September 2023 ceasefire in Nagorno-Karabakh",
                   "Background: the 2020 war and its settlement"]
    assert len(book.pages) > brief.pages
    contents = page_texts(tmp_path / "briefing-book.pdf")[0]
    # the contents give each brief's first page, found by its title there
    for title in top[1:]:
        line = next(line for line in contents.splitlines() if title[:30] in line)
        first_page = int(line.split()[-1])
        assert title[:30] in page_texts(tmp_path / "briefing-book.pdf")[first_page - 1]


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
