"""Quotes proven against their sources' archived texts (generator.fidelity).

The sample corpus' two reports are in shared/sources beside the repository
(and beside CI's clone): these tests read them, and fail, never skip, when
they are not there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from conftest_site import copy_corpus
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.corpus import read_corpus
from generator.fidelity import Archive, normalise, verify_quotes
from generator.render import SiteOptions, render_pages

REPO = Path(__file__).resolve().parent.parent
SOURCES_DIR = REPO.parent / "shared" / "sources"
QUOTE = "briefings/quotes/aliyev-provocations.yaml"


def corpus_with_archive(tmp_path: Path, archive: Path = SOURCES_DIR) -> Path:
    """The sample corpus in a folder of its own, its archive setting pointing at ``archive``."""
    assert SOURCES_DIR.is_dir(), f"the source reports are not at {SOURCES_DIR}"
    root = copy_corpus(tmp_path / "corpus")
    config = root / "mkdocs.yml"
    text = re.sub(r"archive: \S+", f"archive: {archive}", config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
    return root


def check(root: Path, *args: str) -> tuple[int, list[dict[str, object]], str]:
    result = CliRunner().invoke(main, ["check", "-C", str(root), "--format", "json", *args])
    report = json.loads(result.stdout)
    return result.exit_code, report["problems"], result.stderr


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_all_sample_quotes_are_in_their_sources_archived_texts() -> None:
    corpus = read_corpus(REPO).corpus
    assert corpus is not None
    found = verify_quotes(corpus, SOURCES_DIR, strict=True)
    assert found.problems == [] and found.note == ""
    assert found.checked == 29 == len(found.passages) == len(corpus.by_kind["quote"])
    passage = found.passages["aliyev-provocations"]
    assert passage.file == "000_b048a63e81f1ba69.txt" and passage.line > 1 and passage.column >= 1
    assert passage.quoted == "provocations"
    assert passage.before.endswith("in response to repeated “") and passage.after.startswith("” by the Armenian side")
    # The line and column are where the quote starts in the file.
    lines = (SOURCES_DIR / passage.file).read_text(encoding="utf-8").split("\n")
    assert lines[passage.line - 1][passage.column - 1:].startswith("provocations")


def test_check_passes_the_sample_with_its_archive(tmp_path: Path) -> None:
    code, problems, _ = check(corpus_with_archive(tmp_path), "--strict")
    assert (code, problems) == (0, [])


def test_a_quote_altered_by_one_word_is_an_error_with_the_nearest_passage(tmp_path: Path) -> None:
    root = corpus_with_archive(tmp_path)
    edit(root, "briefings/quotes/state-dept-russian-presence.yaml", "nothing to indicate", "nothing to suggest")
    code, problems, _ = check(root)
    assert code == 1
    [problem] = problems
    assert problem["code"] == "quote-not-in-source" and problem["path"] == "text"
    assert problem["file"] == "briefings/quotes/state-dept-russian-presence.yaml" and problem["line"] == 1
    message = str(problem["message"])
    assert "nearest, at line" in message and "we have seen nothing to indicate that Russia" in message
    assert 'it has "indicate" where the quote has "suggest"' in message


def test_straightened_quotes_and_dashes_are_accepted(tmp_path: Path) -> None:
    root = corpus_with_archive(tmp_path)
    edit(root, "briefings/quotes/erdogan-karabakh-azerbaijans-territory.yaml", "Azerbaijan’s", "Azerbaijan's")
    edit(root, "briefings/quotes/slutsky-anti-russian-foothold.yaml", "‘help’", "'help'")
    code, problems, _ = check(root, "--strict")
    assert (code, problems) == (0, [])


def test_a_quote_from_the_wrong_source_says_where_it_is(tmp_path: Path) -> None:
    root = corpus_with_archive(tmp_path)
    edit(root, QUOTE, "source: epoch-times-2023-09-20", "source: bloomberg-2023-09-20")
    code, problems, _ = check(root)
    assert code == 1
    wrong = [p for p in problems if p["code"] == "quote-wrong-source"]
    assert len(wrong) == 1 and wrong[0]["file"] == QUOTE
    assert re.search(r"not in bloomberg-2023-09-20's archived text \(004_da91e74978107ade\.txt\), but in "
                     r"epoch-times-2023-09-20's \(000_b048a63e81f1ba69\.txt, line \d+\)", str(wrong[0]["message"]))


def test_an_absent_archive_folder_is_said_once_and_checks_nothing(tmp_path: Path) -> None:
    root = corpus_with_archive(tmp_path, tmp_path / "elsewhere")
    edit(root, "briefings/quotes/state-dept-russian-presence.yaml", "nothing to indicate", "nothing to suggest")
    code, problems, stderr = check(root, "--strict")
    assert (code, problems) == (0, [])
    assert stderr.count("archive folder") == 1 and "quotes were not checked" in stderr


def test_a_source_without_archive_is_unverifiable_under_strict_only(tmp_path: Path) -> None:
    root = corpus_with_archive(tmp_path)
    edit(root, "briefings/sources/bloomberg-2023-09-20.yaml", "archive: 004_da91e74978107ade.txt\n", "")
    code, problems, _ = check(root)
    assert (code, problems) == (0, [])
    code, problems, _ = check(root, "--strict")
    assert code == 1
    assert [(p["code"], p["file"], p["severity"]) for p in problems] == [
        ("unverifiable-quotes", "briefings/sources/bloomberg-2023-09-20.yaml", "warning")]
    assert re.match(r"\d+ quote\(s\) cite this source", str(problems[0]["message"]))


def test_an_archive_file_that_is_not_there_is_an_error_at_the_field(tmp_path: Path) -> None:
    root = corpus_with_archive(tmp_path)
    edit(root, "briefings/sources/bloomberg-2023-09-20.yaml", "004_da91e74978107ade.txt", "missing.txt")
    code, problems, _ = check(root)
    assert code == 1
    [problem] = problems
    assert (problem["code"], problem["path"]) == ("archive-missing", "archive") and int(str(problem["line"])) > 1


def test_an_archive_path_cannot_leave_its_folder(tmp_path: Path) -> None:
    root = corpus_with_archive(tmp_path)
    edit(root, "briefings/sources/bloomberg-2023-09-20.yaml", "004_da91e74978107ade.txt", "../../etc/passwd")
    code, problems, _ = check(root)
    assert code == 1 and [p["path"] for p in problems] == ["archive"]


def test_the_quote_page_shows_the_sentence_around_it() -> None:
    corpus = read_corpus(REPO).corpus
    assert corpus is not None
    passages = verify_quotes(corpus, SOURCES_DIR).passages
    page = render_pages(corpus, REPO, SiteOptions(passages=passages))["quotes/aliyev-provocations.md"]
    assert ('<p class="in-context" markdown="span"><strong>In context</strong>, as the source prints it: '
            "Mr. Aliyev said the operation had come in response to repeated “<mark>provocations</mark>” "
            "by the Armenian side.</p>") in page
    # Without an archive, no context.
    assert "in-context" not in render_pages(corpus, REPO)["quotes/aliyev-provocations.md"]


TYPOGRAPHIC = st.sampled_from(["“", "”", "‘", "’", "–", "—", "\u00a0", " ", "\n", "  "])


@given(st.lists(st.one_of(st.text(alphabet="abc xyz.", max_size=8), TYPOGRAPHIC), max_size=20))
def test_normalising_is_stable_and_maps_back(parts: list[str]) -> None:
    text = "".join(parts)
    normal, origin = normalise(text)
    assert normalise(normal)[0] == normal
    assert len(origin) == len(normal) and origin == sorted(origin)
    for char, at in zip(normal, origin, strict=True):
        assert char == " " or char == text[at].translate(str.maketrans("“”‘’–—", "\"\"''--"))


@given(st.data())
def test_any_passage_of_an_archive_is_found_however_its_marks_are_typed(data: st.DataObject) -> None:
    archive = Archive.read("x.txt", SOURCES_DIR / "004_da91e74978107ade.txt")
    start = data.draw(st.integers(0, len(archive.text) - 40))
    length = data.draw(st.integers(5, 40))
    piece = archive.text[start:start + length]
    if not piece.strip():
        return
    typed = piece.replace("“", '"').replace("”", '"').replace("’", "'").replace("—", "-")
    span = archive.find(typed)
    assert span is not None
    assert normalise(archive.text[span[0]:span[1]])[0] == normalise(piece)[0]
