"""Golden tests for the rendered Markdown: a page of each kind, byte for byte.

tests/golden/site/corpus is a small corpus (a dispute, names by party,
hostile text); tests/golden/site/expected holds its pages. After an intended
change, regenerate with UPDATE_GOLDEN=1 and review the diff like code.
"""

import os
from pathlib import Path

import pytest

from generator.corpus import read_corpus
from generator.render import SiteOptions, make_env, render_pages

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


@pytest.mark.parametrize("path", PAGES)
def test_golden_page(pages: dict[str, str], path: str) -> None:
    expected = HERE / "expected" / path
    if os.environ.get("UPDATE_GOLDEN"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(pages[path], encoding="utf-8")
    assert pages[path] == expected.read_text(encoding="utf-8")


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
