"""A brief's prose: the citation syntax, its checks, and how the site and
the PDF show it."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from test_link import write

from generator.corpus import read_corpus
from generator.print_views import PdfOptions, PrintRenderer
from generator.prose import Cite, LinkTo, parse, references, stray, words
from generator.render import render_pages

# --- the syntax --------------------------------------------------------------------------


def test_paragraphs_citations_and_links() -> None:
    text = """The truce was agreed [@truce; @terms] in
    [Yevlakh](@yevlakh).

    It said: "the fighting stops" [@truce]."""
    first, second = parse(text)
    assert first == ("The truce was agreed", Cite(("truce", "terms")), " in ", LinkTo("Yevlakh", "yevlakh"), ".")
    # A citation's mark follows the word it closes; typewriter quotes are set as a typesetter sets them.
    assert second == ("It said: “the fighting stops”", Cite(("truce",)), ".")
    assert [(r.target, r.kinds[0], r.nth) for r in references(text)] == [
        ("truce", "claim", 0), ("terms", "claim", 0), ("yevlakh", "source", 0), ("truce", "claim", 1)]
    assert words(text) == "The truce was agreed in Yevlakh.\n\nIt said: “the fighting stops”."


def test_brackets_that_are_neither_are_reported_not_shown() -> None:
    assert list(stray("Fine [@a] and [x](@b); but [@c and (@d) and [e]( @f)")) == ["[@c", "(@d)", "]( @f)"]
    assert list(stray("Brackets [like these] and e-mail a@b.org are text.")) == []


_PLAIN = st.text(st.characters(blacklist_characters="[]@\"'", blacklist_categories=("Cs", "Cc")), max_size=80)


@given(_PLAIN)
def test_text_without_citations_reads_as_typed(text: str) -> None:
    assert words(text) == "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())
                                      if p.split())


@given(st.lists(st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True), min_size=1, max_size=4),
       _PLAIN.filter(lambda t: t.strip() != ""))
def test_any_citation_parses_to_its_ids(ids: list[str], before: str) -> None:
    text = f"{before} [{'; '.join('@' + i for i in ids)}]"
    cites = [t for p in parse(text) for t in p if isinstance(t, Cite)]
    assert cites == [Cite(tuple(ids))]
    assert [r.target for r in references(text)] == ids
    assert list(stray(text)) == []


# --- a small corpus with prose -----------------------------------------------------------


def prose_corpus(root: Path) -> None:
    write(root, "sources/wire.yaml", "title: Tanker aground\npublisher: The Coast Post\npublished: 2024-03-02\n"
                                     "kind: news-report\n")
    write(root, "sources/herald.yaml", "title: Crew count <b>disputed</b>\npublisher: The Harbour Herald\n"
                                       "published: 2024-03-03\nkind: news-report\n")
    write(root, "vocabulary.yaml", "subjects:\n  crew-aboard:\n    label: How many crew were aboard?\n"
                                   "    measures: Crew aboard.\n    unit: people\n")
    write(root, "claims/crew-owner.yaml", "statement: The owner counts 21 crew.\nasserted_by: The owner\n"
                                          "subject: crew-aboard\nvalue: 21\nsources: [wire]\n")
    write(root, "claims/crew-authority.yaml", "statement: The authority counts 24 crew.\n"
                                              "asserted_by: The harbour authority\nsubject: crew-aboard\n"
                                              "value: 24\nsources: [herald]\n")
    write(root, "events/grounding.yaml", "title: The tanker runs aground\ndate: 2024-03-01\n"
                                         "summary: It ran aground.\nsources: [wire]\n")
    write(root, "places/cape.yaml", "name: The cape\ntype: region\n")
    write(root, "briefs/b.yaml", """\
title: The grounding
as_of: "2024-03-05T18:00+00:00"
bottom_line: A tanker ran aground off [the cape](@cape) [@grounding].
what_to_watch: Whether the crew count is settled <script>alert(1)</script> [@crew-owner].
key_figures: [crew-aboard]
sections:
- title: The crew
  text: |
    The owner counts 21 crew [@crew-owner] and the authority 24 [@crew-authority]; *not emphasis*.
  select: {ids: [crew-owner, crew-authority, grounding]}
""")


def test_prose_citations_are_references_and_numbered_in_reading_order(tmp_path: Path) -> None:
    prose_corpus(tmp_path)
    result = read_corpus(tmp_path)
    assert result.corpus is not None, result.problems
    assert [p for p in result.problems if p.is_error] == []
    assert not [p for p in result.problems if p.code in ("unreferenced", "unused-source")]
    assert "b" in result.corpus.backlinks["cape"] and "b" in result.corpus.backlinks["crew-authority"]
    page = render_pages(result.corpus)["briefs/b.md"]
    # Text stays text: markup in a record is escaped, never run.
    assert "<script>" not in page and "&lt;script&gt;" in page and "\\*not emphasis\\*" in page
    # Citations number the sources as a reader meets them: the wire first (bottom line), the herald later.
    assert "ran aground off [the cape](../places/cape.md)[\\[1\\]](../sources/wire.md){.cite}." in page
    assert "the authority 24[\\[2\\]](../sources/herald.md){.cite}" in page
    # The key figures box gives each asserter's figure with its source; the evidence lists each record once.
    box = page.split('!!! info "Key figures"')[1].split("## ")[0]
    assert "**How many crew were aboard?**" in box and "**21 people** — The owner" in box
    evidence = page.split("## Evidence")[1]
    for rid in ("claims/crew-owner.md", "claims/crew-authority.md", "events/grounding.md"):
        assert evidence.count(f"../{rid})") == 1, rid
    # The dispute is in the box: it is not boxed a second time.
    assert "Where sources differ" not in page


def test_print_prose_has_footnote_calls_and_no_evidence(tmp_path: Path) -> None:
    prose_corpus(tmp_path)
    corpus = read_corpus(tmp_path).corpus
    assert corpus is not None
    html, view = PrintRenderer(corpus, tmp_path, PdfOptions(edition="test")).document("b")
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert [s.title for s in view.sections] == ["The crew"]
    assert view.sections[0].claims == () and view.sections[0].events == ()  # the evidence is the site's
    assert view.key_figures[0].standing == "Disputed: the figures cannot all be true."
    # Every citation is anchored, so that its page can be found once typeset.
    assert len(re.findall(r'<a class="call" id="b-call-\d+"></a>', html)) >= 4
