"""Settings read by the engine's own loader, and the engines the site runs on.

mkdocs.yml is read once, by ProperDocs' loader (the MkDocs 1.x loader it
continues), so ``!ENV`` and ``INHERIT`` mean for `briefing build`, `pages` and
`pdf` what they mean for MkDocs. `briefing build` and `serve` run on
ProperDocs; `mkdocs build` (MkDocs 1.6) and `properdocs build` run the same
plugin. Every command runs as a user runs it: the console script, in a
subprocess, with its own environment.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from conftest_site import free_port, make_corpus
from pypdf import PdfReader

BIN = Path(sys.executable).parent
GOLDEN = Path(__file__).parent / "golden" / "site" / "corpus"
BRIEF = "ceasefire-brief"
CEILING_S = 600  # a ceiling for a loaded machine, not a speed target
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

ENV_CONFIG = """\
site_name: !ENV [BRIEFING_SITE_NAME, "Golden briefing"]
site_url: !ENV [BRIEFING_SITE_URL, "https://default.briefing-desk.org/"]
docs_dir: briefings
use_directory_urls: false
theme:
  name: material
  font: false
plugins:
  - search
  - briefing:
      pdf: {pdf}
      handling: !ENV [BRIEFING_HANDLING, "Default handling"]
"""
FROM_ENV = {"BRIEFING_SITE_URL": "https://env.briefing-desk.net/desk/", "BRIEFING_HANDLING": "Handling from the env",
            "BRIEFING_SITE_NAME": "Desk briefing"}


def corpus_with(tmp_path: Path, config: str) -> Path:
    """The golden corpus under ``config``; its brief without a handling line
    of its own, so that the setting's shows."""
    corpus = make_corpus(tmp_path / "corpus", GOLDEN)
    (corpus / "mkdocs.yml").write_text(config, encoding="utf-8")
    brief = corpus / "briefings" / "briefs" / f"{BRIEF}.yaml"
    text = brief.read_text(encoding="utf-8")
    assert "\nhandling:" in text
    brief.write_text(re.sub(r"\nhandling:[^\n]*", "", text), encoding="utf-8")
    return corpus


def run(*args: str, env: dict[str, str] | None = None, program: str = "briefing") -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    return subprocess.run([str(BIN / program), *args], env={**environ, **(env or {})}, capture_output=True,
                          text=True, timeout=CEILING_S, check=False)


def pdf_text_and_links(path: Path) -> tuple[str, set[str]]:
    reader = PdfReader(path)
    uris = {str(annot.get_object()["/A"]["/URI"]) for page in reader.pages for annot in page.get("/Annots", []) or []
            if "/URI" in (annot.get_object().get("/A") or {})}
    return "\n".join(page.extract_text() for page in reader.pages), uris


def generator_meta(html: str) -> str:
    found = re.search(r'<meta name="generator" content="([^"]+)"', html)
    assert found, "no generator meta"
    return found.group(1)


# --- !ENV: the same values in every command ----------------------------------------------


def test_build_takes_settings_from_the_environment(tmp_path: Path) -> None:
    corpus = corpus_with(tmp_path, ENV_CONFIG.format(pdf="true"))
    site = tmp_path / "site"
    done = run("build", "-C", str(corpus), "-d", str(site), env=FROM_ENV)
    assert done.returncode == 0, done.stderr
    assert "with ProperDocs" in done.stderr
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{FROM_ENV['BRIEFING_SITE_URL']}briefs/{BRIEF}.html</loc>" in sitemap
    assert "default.briefing-desk.org" not in sitemap
    page = (site / "briefs" / f"{BRIEF}.html").read_text(encoding="utf-8")
    assert "Desk briefing" in page and "ProperDocs" in generator_meta(page)
    text, uris = pdf_text_and_links(site / "pdf" / f"{BRIEF}.pdf")
    assert "Handling from the env" in text and "Default handling" not in text
    assert f"{FROM_ENV['BRIEFING_SITE_URL']}briefs/{BRIEF}.html" in uris


def test_pages_take_settings_from_the_environment(tmp_path: Path) -> None:
    corpus = corpus_with(tmp_path, ENV_CONFIG.format(pdf="false"))
    out = tmp_path / "plain"
    done = run("pages", "-C", str(corpus), "-o", str(out), env=FROM_ENV)
    assert done.returncode == 0, done.stderr
    written = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!ENV" not in written
    config = yaml.safe_load(written)
    assert config["site_url"] == FROM_ENV["BRIEFING_SITE_URL"]
    assert config["site_name"] == "Desk briefing"
    assert all("briefing" not in str(plugin) for plugin in config["plugins"])
    assert (out / "docs" / "briefs" / f"{BRIEF}.md").is_file()


def test_pdf_takes_settings_from_the_environment(tmp_path: Path) -> None:
    corpus = corpus_with(tmp_path, ENV_CONFIG.format(pdf="false"))
    done = run("pdf", "-C", str(corpus), "-o", str(tmp_path / "env"), env=FROM_ENV)
    assert done.returncode == 0, done.stderr
    text, uris = pdf_text_and_links(tmp_path / "env" / f"{BRIEF}.pdf")
    assert "Handling from the env" in text
    assert f"{FROM_ENV['BRIEFING_SITE_URL']}briefs/{BRIEF}.html" in uris
    # Unset, the defaults written beside !ENV apply.
    done = run("pdf", "-C", str(corpus), "-o", str(tmp_path / "default"))
    assert done.returncode == 0, done.stderr
    text, uris = pdf_text_and_links(tmp_path / "default" / f"{BRIEF}.pdf")
    assert "Default handling" in text
    assert f"https://default.briefing-desk.org/briefs/{BRIEF}.html" in uris


def test_inherited_settings_apply(tmp_path: Path) -> None:
    corpus = corpus_with(tmp_path, "INHERIT: base.yml\nsite_name: Child briefing\n")
    (corpus / "base.yml").write_text(ENV_CONFIG.format(pdf="false").replace("Default handling", "Inherited"),
                                     encoding="utf-8")
    done = run("pdf", "-C", str(corpus), "-o", str(tmp_path / "pdf"), "--paper", "letter")
    assert done.returncode == 0, done.stderr
    text, _ = pdf_text_and_links(tmp_path / "pdf" / f"{BRIEF}.pdf")
    assert "Inherited" in text
    box = PdfReader(tmp_path / "pdf" / f"{BRIEF}.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # --paper wins over the setting
    done = run("pages", "-C", str(corpus), "-o", str(tmp_path / "plain"))
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load((tmp_path / "plain" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Child briefing" and config["site_url"] == "https://default.briefing-desk.org/"
    assert "INHERIT" not in config


def test_the_plugin_setting_paper_is_used_by_pdf(tmp_path: Path) -> None:
    corpus = corpus_with(tmp_path, ENV_CONFIG.format(pdf="false").replace("      pdf:", "      paper: letter\n"
                                                                                        "      pdf:"))
    done = run("pdf", "-C", str(corpus), "-o", str(tmp_path / "pdf"))
    assert done.returncode == 0, done.stderr
    box = PdfReader(tmp_path / "pdf" / f"{BRIEF}.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


@pytest.mark.parametrize("command", [["build"], ["pdf"], ["pages", "-o", "plain"], ["serve", "-a", "127.0.0.1:0"]])
def test_an_invalid_setting_is_a_usage_error(tmp_path: Path, command: list[str]) -> None:
    corpus = corpus_with(tmp_path, ENV_CONFIG.format(pdf="false").replace("      pdf:", "      paper: a5\n"
                                                                                        "      pdf:"))
    done = run(*command, "-C", str(corpus), env=FROM_ENV)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "paper" in done.stderr and "a5" in done.stderr  # the engine's own message names the option
    assert "mkdocs.yml is not valid" in done.stderr


# --- engines -------------------------------------------------------------------------------


@pytest.mark.parametrize("program", ["mkdocs", "properdocs"])
def test_the_engines_own_build_runs_the_plugin(tmp_path: Path, program: str) -> None:
    """`mkdocs build` (MkDocs 1.6) and `properdocs build` both run the
    plugin: the same pages, each engine named in them."""
    corpus = corpus_with(tmp_path, ENV_CONFIG.format(pdf="false"))
    site = tmp_path / "site"
    done = run("build", "-f", str(corpus / "mkdocs.yml"), "-d", str(site), "--strict", program=program)
    assert done.returncode == 0, done.stderr
    page = (site / "briefs" / f"{BRIEF}.html").read_text(encoding="utf-8")
    expected = "mkdocs-1.6" if program == "mkdocs" else "ProperDocs"
    assert expected in generator_meta(page)
    assert "ceasefire" in page.lower()


def test_serve_runs_on_properdocs_and_reloads(tmp_path: Path) -> None:
    corpus = corpus_with(tmp_path, ENV_CONFIG.format(pdf="false"))
    port = free_port()
    url = f"http://127.0.0.1:{port}/briefs/{BRIEF}.html"
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([str(BIN / "briefing"), "serve", "-C", str(corpus), "-a", f"127.0.0.1:{port}"],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        page = wait_for(url, lambda html: "<h1" in html)
        assert "ProperDocs" in generator_meta(page)
        brief = corpus / "briefings" / "briefs" / f"{BRIEF}.yaml"
        text = brief.read_text(encoding="utf-8")
        title = re.search(r"^title: (.+)$", text, re.MULTILINE)
        assert title
        brief.write_text(text.replace(title.group(0), "title: Reloaded by the engine"), encoding="utf-8")
        assert "Reloaded by the engine" in wait_for(url, lambda html: "Reloaded by the engine" in html)
    finally:
        server.terminate()
        server.wait(timeout=CEILING_S)
        log.close()
    said = (tmp_path / "serve.log").read_text(encoding="utf-8")
    # The engine's progress is shown, as its own `serve` shows it.
    assert f"Serving on http://127.0.0.1:{port}/" in said
    assert "Reloading browsers" in said


def wait_for(url: str, condition: object) -> str:
    """The page once ``condition`` holds for it, within the ceiling."""
    assert callable(condition)
    deadline = time.monotonic() + CEILING_S
    html = ""
    while time.monotonic() < deadline:
        try:
            with OPENER.open(url, timeout=30) as response:
                html = response.read().decode("utf-8")
            if condition(html):
                return html
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never met the condition; last page:\n{html[:500]}")
