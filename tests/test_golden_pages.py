"""Golden tests for the rendered Markdown: a page of each kind, byte for byte.

tests/golden/site/corpus is a small corpus (a dispute, names by party,
hostile text); tests/golden/site/expected holds its pages. After an intended
change, regenerate with UPDATE_GOLDEN=1 and review the diff like code.
"""

import os
from pathlib import Path

import pytest

from generator.corpus import read_corpus
from generator.render import SiteOptions, render_pages
from generator.templating import make_env

HERE = Path(__file__).parent / "golden" / "site"
TEMPLATES = Path(__file__).parent.parent / "templates"
PAGES = [
    "index.md", "briefs/ceasefire-brief.md", "events/offensive.md", "events/ceasefire.md", "actors/ilham-aliyev.md",
    "places/stepanakert.md", "claims/deaths-25.md", "quotes/aliyev-sovereignty.md", "sources/daily.md",
    "sources/wire.md", "timeline.md", "disputes.md", "names.md", "events/index.md", "topics/offensive.md",
]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    result = read_corpus(HERE / "corpus")
    assert result.corpus is not None, result.problems
    # The repository's templates, so the test sees template edits at once.
    return render_pages(result.corpus, options=SiteOptions("Golden briefing"), env=make_env([TEMPLATES]))


def assert_golden(actual: str, expected: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PAGES)
def test_golden_page(pages: dict[str, str], path: str) -> None:
    assert_golden(pages[path], HERE / "expected" / path)


def test_every_record_has_a_page(pages: dict[str, str]) -> None:
    result = read_corpus(HERE / "corpus")
    assert result.corpus is not None
    for kind, ids in result.corpus.by_kind.items():
        for rid in ids:
            assert f"{kind}s/{rid}.md" in pages
        assert f"{kind}s/index.md" in pages


def test_rendering_is_deterministic(pages: dict[str, str]) -> None:
    result = read_corpus(HERE / "corpus")
    assert result.corpus is not None
    again = render_pages(result.corpus, options=SiteOptions("Golden briefing"), env=make_env([TEMPLATES]))
    assert again == pages


# --- the same corpus with history, an edition note and an as-of ------------------------

EDITION_PAGES = ["briefs/ceasefire-brief.md", "actors/ilham-aliyev.md", "index.md"]


@pytest.fixture(scope="module")
def edition_pages() -> dict[str, str]:
    from generator.dates import PartialDate
    from generator.diff import Changes, FieldChange, RecordChange
    from generator.editions import EditionNote
    from generator.history import Change, History

    result = read_corpus(HERE / "corpus")
    assert result.corpus is not None
    changes = Changes("edition-1", "this edition", (
        RecordChange("source", "wire", "changed", "Wire", (FieldChange("reliability", "C", "B"),), ("re-graded",)),
        RecordChange("claim", "deaths-32", "changed", "At least 32 killed", (FieldChange("value", 25, 32),),
                     ("revised",)),
        # A record gone since: its title is record text, shown escaped and unlinked.
        RecordChange("quote", "gone", "removed", "<script>alert(1)</script> [x](javascript:y)"),
    ))
    options = SiteOptions(
        "Golden briefing", as_of=PartialDate.parse("2023-09-20T12:00+04:00"),
        history=History("f" * 40, {"briefings/actors/ilham-aliyev.yaml": Change("a1b2c3d4" * 5,
                                                                                "2023-09-21T10:00:00+04:00")}),
        editions={"ceasefire-brief": EditionNote("edition-1", "2023-09-20", False, changes)})
    return render_pages(result.corpus, options=options, env=make_env([TEMPLATES]))


@pytest.mark.parametrize("path", EDITION_PAGES)
def test_golden_edition_page(edition_pages: dict[str, str], path: str) -> None:
    assert_golden(edition_pages[path], HERE / "expected-editions" / path)
