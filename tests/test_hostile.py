"""Hostile corpora: what an attack run found, one group of tests a finding.

1. Files under briefings/ that are not records were published verbatim,
   links out of the corpus followed.
2. Inputs at the edges (dates of years 1 and 9999 with any offset, huge
   integers, an alias chain, link loops, an unreadable folder, a file name
   that is not UTF-8, a huge SOURCE_DATE_EPOCH) crashed every command.
3. Files that are not regular files were read whole (/dev/zero) or hung the
   run (a FIFO).
5. Control characters broke a page's front matter.
(4, serve, is in test_serve.py; 6, the swap of site/, in test_staging.py;
7, WeasyPrint's font subsetting, in test_pdf.py.)
"""

from __future__ import annotations

import html
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest_site import make_corpus, site_files
from hypothesis import given
from hypothesis import strategies as st

from generator.build import build_site
from generator.cli import main
from generator.discover import Refused, read_limited
from generator.load import MAX_BYTES
from generator.templating import front_matter

REPO = Path(__file__).resolve().parent.parent
CLEAN = Path(__file__).parent / "golden" / "errors" / "clean"
SITE_CORPUS = Path(__file__).parent / "golden" / "site" / "corpus"
SECRET = "SECRET-OUTSIDE-THE-CORPUS-4242"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108020000009077"
                    "53de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082")


def corpus_at(dest: Path, source: Path = CLEAN) -> Path:
    return make_corpus(dest, source)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- 1. only records (as pages) and media are published ---------------------------------------------


def test_only_pages_assets_and_media_are_published(tmp_path: Path) -> None:
    plain = corpus_at(tmp_path / "plain", SITE_CORPUS)
    assert build_site(plain, progress=lambda _: None, site_dir=tmp_path / "plain-site").ok
    corpus = corpus_at(tmp_path / "corpus", SITE_CORPUS)
    base = corpus / "briefings"
    (base / "page.md").write_text("# A page\n\n<script>PAGE_MD_SCRIPT()</script>\n", encoding="utf-8")
    draft = base / "claims" / "draft-figure.yaml~"  # an editor's backup of a draft
    draft.write_text("draft: true\nstatement: DRAFT-FIGURE-TEXT\n", encoding="utf-8")
    (base / "claims" / "notes.orig").write_text("DRAFT-FIGURE-TEXT\n", encoding="utf-8")
    (base / "events" / "old").mkdir()
    (base / "events" / "old" / "page.md").write_text("# Old\n", encoding="utf-8")
    (base / "media" / "maps").mkdir(parents=True)
    (base / "media" / "maps" / "front-line.png").write_bytes(PNG)
    (base / "media" / "readme.md").write_text("# Not published\n", encoding="utf-8")
    (base / "media" / "evil.svg").write_text("<svg onload='alert(1)'/>", encoding="utf-8")
    (base / "media" / "Bad Name.png").write_bytes(PNG)

    code, out, _ = run("check", "--strict", "-C", str(corpus))
    assert code == 1
    for name in ("page.md", "draft-figure.yaml~", "notes.orig", "events/old", "readme.md", "evil.svg"):
        assert f"{name}: warning: " in out, name
    assert "briefings/media/Bad Name.png: error: " in out and "[bad-file-name]" in out

    (base / "media" / "Bad Name.png").unlink()
    site = tmp_path / "site"
    result = build_site(corpus, progress=lambda _: None, site_dir=site)
    assert result.ok, (result.error, result.problems)
    files = site_files(site)
    assert files["media/maps/front-line.png"] == PNG
    expected = {**site_files(tmp_path / "plain-site"), "media/maps/front-line.png": PNG}
    assert sorted(files) == sorted(expected)  # nothing else: no page.md, backup, svg or readme
    assert not any(b"DRAFT-FIGURE-TEXT" in data or b"PAGE_MD_SCRIPT" in data for data in files.values())


LINK_PLACES = ["briefings/secret.txt", "briefings/claims/secret.yaml", "briefings/media/secret.png",
               "briefings/.secret", "templates/assets/briefing.css", "templates/event.md.j2"]


@pytest.mark.parametrize("place", LINK_PLACES)
def test_a_link_out_of_the_corpus_is_refused_wherever_it_is(tmp_path: Path, place: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    corpus = corpus_at(tmp_path / "corpus")
    site = tmp_path / "corpus" / "site"
    assert run("build", "-C", str(corpus))[0] == 0
    before = site_files(site)
    link = corpus / place
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(secret)

    code, out, _ = run("check", "-C", str(corpus))
    assert code == 1 and f"{place}: error: a symbolic link to {secret}" in out and "[outside-link]" in out
    code, _, err = run("build", "-C", str(corpus))
    assert code == 1 and "[outside-link]" in err
    assert site_files(site) == before
    # MkDocs itself, with the plugin: refused as well.
    mkdocs = Path(sys.executable).parent / "mkdocs"
    proc = subprocess.run([str(mkdocs), "build", "-q", "-f", str(corpus / "mkdocs.yml"), "-d", str(tmp_path / "m")],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode != 0 and "outside the corpus" in proc.stdout + proc.stderr
    assert not any(SECRET.encode() in data for data in site_files(tmp_path / "m").values()) \
        if (tmp_path / "m").exists() else True


# --- 2. inputs at the edges: problems or pages, never a traceback --------------------------------------


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def make(corpus: Path) -> None:
        path = corpus / rel
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return make


def _replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def make(corpus: Path) -> None:
        path = corpus / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return make


def _alias_chain(corpus: Path) -> None:
    lines = ["name: A", "type: person", "? &a0 [x]", ": 1"]
    for i in range(1, 400):
        lines += [f"? &a{i} [*a{i - 1}]", ": 1"]
    (corpus / "briefings/actors/a.yaml").write_text("\n".join([*lines, "summary: *a399", ""]), encoding="utf-8")


def _link_loop(corpus: Path) -> None:
    (corpus / "briefings/actors/x.yaml").symlink_to("y.yaml")
    (corpus / "briefings/actors/y.yaml").symlink_to("x.yaml")
    (corpus / "briefings/loop").symlink_to(".")


def _not_utf8_name(corpus: Path) -> None:
    with open(os.path.join(os.fsencode(corpus), b"briefings/actors/b\xe9.yaml"), "wb") as f:
        f.write(b"name: B\ntype: person\n")


SOURCE = "briefings/sources/report.yaml"
BRIEF = "briefings/briefs/b.yaml"
EDGES: dict[str, tuple[Callable[[Path], None] | None, list[str], str]] = {
    "published-9999-12-31": (_replace(SOURCE, "2023-09-20", '"9999-12-31"'), [], ""),
    "published-0001-01-01": (_replace(SOURCE, "2023-09-20", '"0001-01-01"'), [], ""),
    "published-9999-12-31T23:59-12:00": (_replace(SOURCE, "2023-09-20", '"9999-12-31T23:59-12:00"'), [], ""),
    "embargo-9999-12-31": (_append("briefings/actors/a.yaml", 'embargo_until: "9999-12-31"\n'), [], ""),
    "embargo-0001-01-01": (_append("briefings/actors/a.yaml", 'embargo_until: "0001-01-01"\n'), [], ""),
    "embargo-9999-12-31T23:59-12:00": (_append("briefings/actors/a.yaml",
                                               'embargo_until: "9999-12-31T23:59-12:00"\n'), [], ""),
    "brief-as-of-0001-01-01T00:00+14:00": (_replace(BRIEF, '"2023-09-20T18:00+04:00"', '"0001-01-01T00:00+14:00"'),
                                           [], ""),
    "brief-as-of-9999-12-31T23:59-12:00": (_replace(BRIEF, '"2023-09-20T18:00+04:00"', '"9999-12-31T23:59-12:00"'),
                                           [], ""),
    "as-of-9999-12-31": (None, ["--as-of", "9999-12-31"], ""),
    "as-of-0001-01-01": (None, ["--as-of", "0001-01-01"], ""),
    "as-of-9999-12-31T23:59-12:00": (None, ["--as-of", "9999-12-31T23:59-12:00"], ""),
    "integer-of-5000-digits": (_append("briefings/claims/c.yaml", "subject_size: " + "9" * 5000 + "\n"), [],
                               "a number of 5,000 digits"),
    "alias-chain-400-deep": (_alias_chain, [], "[too-deep]"),
    "link-loops": (_link_loop, [], "a symbolic link loop"),
    "name-not-utf8": (_not_utf8_name, [], "briefings/actors/b\\xe9.yaml"),
}


@pytest.mark.parametrize("case", sorted(EDGES))
def test_edge_inputs_give_problems_or_output_never_a_crash(tmp_path: Path, case: str) -> None:
    make, extra, expected = EDGES[case]
    corpus = corpus_at(tmp_path / "corpus")
    if make is not None:
        make(corpus)
    outputs = []
    commands = [["check"], ["check", "--format", "json"], ["build", "-d", str(tmp_path / "site"), *extra],
                ["pages", "-o", str(tmp_path / "pages"), *extra], ["pdf", "-o", str(tmp_path / "pdf"), *extra]]
    for command in commands:
        if extra and command[0] == "check":
            continue
        code, out, err = run(*command, "-C", str(corpus))
        assert code in (0, 1), (command, code, out, err)
        assert "Traceback" not in out + err and "internal error" not in err, (command, out, err)
        if "json" in command:
            json.loads(out)
        outputs.append(out + err)
    assert expected in "".join(outputs)


def test_a_huge_source_date_epoch_is_a_usage_error(tmp_path: Path) -> None:
    corpus = corpus_at(tmp_path / "corpus")
    for value in ("99999999999999999", "-5", "soon", "٣"):
        for command in (["check"], ["build"], ["pages", "-o", str(tmp_path / "p")], ["pdf"]):
            code, out, err = run(*command, "-C", str(corpus), env={"SOURCE_DATE_EPOCH": value})
            assert code == 2, (value, command, out, err)
            assert "SOURCE_DATE_EPOCH" in err and "Traceback" not in err
        code, out, _ = run("check", "--format", "json", "-C", str(corpus), env={"SOURCE_DATE_EPOCH": value})
        assert code == 2 and json.loads(out)["error"]["kind"] == "usage"


@pytest.fixture
def world_readable_tmp() -> Iterator[Path]:
    """A folder another user can enter (pytest's own are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="briefing-test-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        for p in path.rglob("*"):
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o755)
        shutil.rmtree(path)


def test_a_folder_that_cannot_be_listed_is_a_problem(world_readable_tmp: Path) -> None:
    """As the user who runs the build: root reads every folder, so as root
    the command runs as nobody (setpriv), on a copy nobody may read."""
    corpus = corpus_at(world_readable_tmp / "corpus")
    for p in [corpus, *corpus.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    (corpus / "briefings" / "claims").chmod(0)
    command = [sys.executable, "-m", "generator", "check", "-C", str(corpus)]
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False,
                          env={**os.environ, "HOME": str(world_readable_tmp)})
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "briefings/claims: error: cannot list the folder: Permission denied [unreadable]" in proc.stdout


# --- 3. only regular files are read, and never more than a record may hold ------------------------------


def test_a_fifo_named_like_a_record_does_not_block(tmp_path: Path) -> None:
    corpus = corpus_at(tmp_path / "corpus")
    os.mkfifo(corpus / "briefings" / "actors" / "pipe.yaml")
    # In a process of its own: before, it waited for a writer forever.
    proc = subprocess.run([sys.executable, "-m", "generator", "check", "-C", str(corpus)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 1
    assert "briefings/actors/pipe.yaml: error: a FIFO (named pipe), not a regular file" in proc.stdout


def test_special_files_are_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(Refused) as device:
        read_limited(Path("/dev/zero"), 100)
    assert device.value.code == "special-file"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(Refused) as pipe:
        read_limited(fifo, 100)  # opened without blocking, then refused
    assert pipe.value.code == "special-file"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_large_file_is_refused_from_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(50 * MAX_BYTES)  # sparse: 100 MB that cost nothing to make
    with pytest.raises(Refused) as refused:
        read_limited(big, MAX_BYTES)
    assert refused.value.code == "too-large" and "100,000,000 bytes" in refused.value.message
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(b"x" * MAX_BYTES)
    assert len(read_limited(exact, MAX_BYTES)) == MAX_BYTES


def test_a_link_to_a_device_is_never_opened(tmp_path: Path) -> None:
    corpus = corpus_at(tmp_path / "corpus")
    (corpus / "briefings" / "actors" / "zero.yaml").symlink_to("/dev/zero")
    code, out, _ = run("check", "-C", str(corpus))
    assert code == 1
    assert "briefings/actors/zero.yaml: error: a symbolic link to /dev/zero, outside the corpus folder" in out


# --- 5. text that would break a page: refused, and front matter that cannot break -----------------------


@given(st.text(min_size=1, max_size=60))
def test_front_matter_reads_back_whatever_the_title_holds(title: str) -> None:
    collapsed = " ".join(title.split())
    meta = yaml.safe_load(front_matter(title).split("---\n")[1])
    assert meta == {"title": html.escape(collapsed)}


def test_titles_with_control_characters_are_refused_and_invisible_ones_warned(tmp_path: Path) -> None:
    corpus = corpus_at(tmp_path / "corpus")
    for n, title in enumerate(['"C1 \\x85 here"', '"DEL \\x7f"', '"not \\uFFFE a char"', '"nor \\uFFFF"']):
        (corpus / f"briefings/actors/bad-{n}.yaml").write_text(f"name: {title}\ntype: person\n", encoding="utf-8")
    (corpus / "briefings/actors/rtl.yaml").write_text("name: A\u202eB\ntype: person\n", encoding="utf-8")
    code, out, _ = run("check", "-C", str(corpus))
    assert code == 1
    for n, char in enumerate(["U+0085", "U+007F", "U+FFFE", "U+FFFF"]):
        assert f"briefings/actors/bad-{n}.yaml:1:" in out and char in out
    assert "briefings/actors/rtl.yaml:1:8: warning: name: U+202E RIGHT-TO-LEFT OVERRIDE" in out
