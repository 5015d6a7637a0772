"""A corpus on another kind of story: a tanker grounding, its owner, insurer
and a port authority's claim for damages (tests/corpora/tanker, fictional).

It extends the vocabularies (a tanker operator, an anchorage, "chartered by"),
gives money in two spellings of one currency, has a body revising its own
figure, two compatible lower bounds, one real dispute, a private note, and a
quote said in Arabic and translated by the editors. Built once, read back as
pages, HTML, PDF text and in Chromium.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest_site import chromium, serve_directory
from playwright.sync_api import Browser
from pypdf import PdfReader

from generator.build import build_site
from generator.corpus import read_corpus
from generator.link import Corpus

CORPUS = Path(__file__).parent / "corpora" / "tanker"
PRIVATE = "PRIVATE-EDITORIAL-NOTE"
ARABIC = "سنحاسب كل من تسبب في هذا التلوث"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    result = read_corpus(CORPUS)
    assert result.problems == [], result.problems  # clean under --strict
    assert result.corpus is not None
    return result.corpus


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tanker") / "corpus"
    shutil.copytree(CORPUS, root)
    result = build_site(root, progress=lambda _: None)
    assert result.ok, (result.error, result.problems)
    return root / "site"


def html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def text_of(markup: str) -> str:
    """The visible words of a page's article: tags dropped, entities left."""
    article = markup.split("<article", 1)[1].split("</article>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article))


def test_check_is_clean_under_strict() -> None:
    proc = subprocess.run([str(Path(__file__).parent.parent / ".venv" / "bin" / "briefing"), "check", "--strict",
                           "-C", str(CORPUS)], capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 disputes" in proc.stderr + proc.stdout


def test_the_model_sees_one_revision_one_compatible_pair_one_agreement_one_dispute(corpus: Corpus) -> None:
    findings = corpus.findings
    assert findings["compensation-demand"].series == (("demand-may", "demand-april"),)
    assert findings["compensation-demand"].current == ("demand-may",)
    assert findings["oil-spilled"].verdict == "compatible"
    assert findings["cleanup-cost"].verdict == "agree"  # 5 million USD == 5000000 US dollars
    assert [(d.subject, d.claims) for d in corpus.disputes] == [
        ("cause-of-grounding", ("cause-engine-failure", "cause-navigation-error"))]


def test_pages_show_labels_never_slugs(site: Path) -> None:
    operator = text_of(html(site, "actors/star-tankers.html"))
    assert "Tanker operator" in operator and "tanker-operator" not in operator
    assert "Owner of" in operator and "Seated in" in operator and "Qasr Bay" in operator
    star = text_of(html(site, "actors/example-star.html"))
    assert "Vessel" in star and "Chartered by" in star
    bay = text_of(html(site, "places/qasr-bay.html"))
    assert "Anchorage" in bay
    event = text_of(html(site, "events/grounding.html"))
    assert "The Qasr Bay grounding" in event and "vessel that ran aground" in event
    for slug in ("grounded-vessel", "tanker-operator", "chartered-by", "compensation-demand"):
        for page in ("events/grounding.html", "actors/star-tankers.html", "topics/index.html",
                     "claims/demand-may.html"):
            assert slug not in text_of(html(site, page)), (slug, page)
    topics = text_of(html(site, "topics/index.html"))
    assert "The Qasr Bay grounding" in topics and "Compensation" in topics


def test_one_revision_series_latest_first_with_dates(site: Path) -> None:
    page = text_of(html(site, "claims/demand-april.html"))
    assert "Revised over time" in page
    assert page.index("10 May 2024: US$6 million") < page.index("2 April 2024: US$9 million")
    assert "Sources differ" not in page
    # A revised figure is not set beside the figure that replaced it as if both stood.
    assert "Other claims on the same question" not in page
    latest = text_of(html(site, "claims/demand-may.html"))
    assert "Revised over time" in latest and "Other claims on the same question" not in latest
    # Wherever the claims are listed, each says where it stands in the series.
    brief = text_of(html(site, "briefs/grounding-brief.html"))
    assert "revises US$9 million (2 April 2024)" in brief
    assert "revised 10 May 2024: US$6 million" in brief
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(site / "pdf" / "grounding-brief.pdf").pages)
    assert "(revises US$9 million (2 April 2024))" in pdf


def test_compatible_bounds_are_no_dispute_and_exactly_one_dispute_is_listed(site: Path) -> None:
    spill = text_of(html(site, "claims/spilled-200.html"))
    assert "Other claims on the same question" in spill and "at least 350 tonnes" in spill
    assert "at least 200 tonnes" in spill  # the subject's unit, for a claim that gives none
    assert "Sources differ" not in spill
    disputes = html(site, "disputes.html")
    headings = re.findall(r'<h2 id="([^"]+)"', disputes)
    assert headings == ["cause-of-grounding", "sources"]
    assert "Why did the tanker run aground?" in disputes
    assert "How much oil" not in disputes and "How much compensation" not in disputes


def test_every_dispute_box_has_dates(site: Path) -> None:
    brief = html(site, "briefs/grounding-brief.html")
    box = brief.split("Where sources differ: Why did the tanker run aground?", 1)[1].split("</table>", 1)[0]
    assert "When" in box and "2 March 2024" in box and "2 April 2024" in box
    page = text_of(html(site, "disputes.html"))
    assert "2 March 2024" in page and "2 April 2024" in page
    pdf = "\n".join(p.extract_text() for p in PdfReader(site / "pdf" / "grounding-brief.pdf").pages)
    box_text = pdf.split("Where sources differ", 1)[1]
    assert "2 March 2024" in box_text and "2 April 2024" in box_text


def test_money_prints_as_readers_expect(site: Path) -> None:
    page = text_of(html(site, "claims/cost-post.html"))
    assert "US$5 million" in page and "5000000" not in page


def test_translated_quote_carries_lang_and_dir(site: Path) -> None:
    quote = html(site, "quotes/haddad-accountable.html")
    assert f'<span lang="ar" dir="rtl">{ARABIC}</span>' in quote
    assert "Translated from Arabic by the editors" in quote
    names = html(site, "names.html")
    assert '<span lang="ar" dir="rtl">خليج القصر</span>' in names
    source = html(site, "briefs/grounding-brief.html")
    assert '<span lang="ar" dir="rtl">مدير الميناء يتعهد بالمحاسبة</span>' in source


def test_pdf_prints_the_original_right_to_left(site: Path) -> None:
    pdf = "\n".join(p.extract_text() for p in PdfReader(site / "pdf" / "grounding-brief.pdf").pages)
    assert "Translated from Arabic by the editors" in pdf
    # Every word of the original is in the PDF's text (extraction order of
    # right-to-left runs varies between readers; the browser test checks order).
    for word in ARABIC.split():
        assert word in pdf, word


def test_private_notes_reach_no_output(site: Path) -> None:
    for path in site.rglob("*"):
        if path.is_file() and path.suffix != ".pdf":
            assert PRIVATE.encode() not in path.read_bytes(), path
    for pdf in (site / "pdf").glob("*.pdf"):
        text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
        assert PRIVATE not in text, pdf


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def test_arabic_displays_right_to_left_in_chromium(site: Path, browser: Browser) -> None:
    """The original's first word is drawn to the right of its last, and the
    span computes to direction: rtl, inside a left-to-right page."""
    with serve_directory(site) as url:
        page = browser.new_page()
        page.goto(f"{url}/quotes/haddad-accountable.html")
        found = page.evaluate("""(words) => {
          const span = [...document.querySelectorAll('span[lang="ar"]')]
              .find((s) => s.textContent.startsWith(words[0]));
          const node = span.firstChild;
          const range = (start, end) => { const r = document.createRange(); r.setStart(node, start);
                                           r.setEnd(node, end); return r.getBoundingClientRect(); };
          const text = node.textContent;
          return {dir: getComputedStyle(span).direction,
                  page: getComputedStyle(document.body).direction,
                  first: range(0, words[0].length).left,
                  last: range(text.length - words[words.length - 1].length, text.length).left};
        }""", ARABIC.split())
        page.close()
    assert found["dir"] == "rtl" and found["page"] == "ltr"
    assert found["first"] > found["last"]


def test_sources_give_their_address_and_when_it_was_checked(site: Path) -> None:
    page = text_of(html(site, "sources/coast-post-2024-03-02.html"))
    assert "https://coast-post.example/2024/03/02/tanker-aground" in page and "(accessed 12 May 2024)" in page
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(site / "pdf" / "grounding-brief.pdf").pages)
    # (a long address may wrap at a slash: text extraction puts a space there)
    assert "tanker-aground (accessed 12 May 2024)" in pdf and "https://coast-post.example/" in pdf
