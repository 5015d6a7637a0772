"""briefing as a package and as a command: the wheel, and a tool install.

The wheel must hold the default templates, their assets and the vendored
files, and build without a warning. Installed with pipx, as the README says
for corpora kept in their own repositories, `briefing init` prints next
steps that work as printed, and so does `briefing new`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CEILING_S = 1200  # an install downloads and builds; a ceiling, not a target
TEMPLATES = Path("generator/templates")


def source_copy(dest: Path) -> Path:
    """The project's tracked files, as a clone has them (a build writes
    build/ and *.egg-info beside the sources: not in the repository)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        if name and (REPO / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, dest / name)
    return dest


def quiet_env(**extra: str) -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE makes setuptools say it skips byte-compiling.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    src = source_copy(tmp_path_factory.mktemp("src"))
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(out), str(src)],
                          env=quiet_env(), capture_output=True, text=True, timeout=CEILING_S, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    (built,) = out.glob("briefing-*.whl")
    return built, done.stdout + done.stderr


def test_the_wheel_builds_without_warnings(wheel: tuple[Path, str]) -> None:
    _, log = wheel
    # pip's own notes on this machine's package indexes are not the build's.
    warnings = [line for line in log.splitlines() if re.search(r"warn", line, re.IGNORECASE)
                and "Location 'file:" not in line]
    assert not warnings, "\n".join(warnings)


def test_the_wheel_holds_templates_assets_and_vendored_files(wheel: tuple[Path, str]) -> None:
    built, _ = wheel
    names = set(zipfile.ZipFile(built).namelist())
    expected = {str(TEMPLATES / p.relative_to(REPO / "templates")) for p in (REPO / "templates").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    assert expected - names == set()
    for needed in ("assets/briefing.css", "assets/briefing.js", "assets/vendor/iframe-worker-shim.js",
                   "assets/vendor/iframe-worker-LICENSE.txt", "print/brief.html.j2", "print/brief.css",
                   "brief.md.j2"):
        assert str(TEMPLATES / needed) in names
    # The locator maps' geography and its licence travel with the package.
    assert {"generator/geodata/countries-10m.json", "generator/geodata/README.md"} <= names
    entry_points = zipfile.ZipFile(built).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "briefing = generator.cli:main" in entry_points
    assert "briefing = generator.plugin:BriefingPlugin" in entry_points


def next_steps(output: str) -> list[str]:
    """The commands `briefing init` prints under "Next steps:", comments off."""
    lines = output.split("Next steps:", 1)[1].strip().splitlines()
    return [line.split("  #")[0].strip() for line in lines if line.strip()]


def run_steps(steps: list[str], cwd: Path, env: dict[str, str]) -> dict[str, subprocess.CompletedProcess[str]]:
    """Each printed command run by a shell as the user would type it."""
    done = {}
    for step in steps:
        if step.startswith("cd "):
            cwd = Path(shlex.split(step)[1])
            continue
        done[step] = subprocess.run(step, shell=True, cwd=cwd, env=env, capture_output=True, text=True,
                                    timeout=CEILING_S, check=False)
    return done


def test_pipx_install_gives_a_command_whose_printed_steps_work(tmp_path: Path) -> None:
    home, bin_dir = tmp_path / "pipx", tmp_path / "bin"
    env = quiet_env(PIPX_HOME=str(home), PIPX_BIN_DIR=str(bin_dir), PIPX_MAN_DIR=str(tmp_path / "man"),
                    PATH=f"{bin_dir}{os.pathsep}{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    src = source_copy(tmp_path / "clone")
    install = subprocess.run([str(BIN / "pipx"), "install", str(src)], env=env, capture_output=True, text=True,
                             timeout=CEILING_S, check=False)
    assert install.returncode == 0, install.stderr[-3000:]
    command = bin_dir / "briefing"
    assert command.is_file()
    assert shutil.which("briefing", path=env["PATH"]) == str(command)

    desk = tmp_path / "desk"
    init = subprocess.run(["briefing", "init", str(desk)], env=env, capture_output=True, text=True,
                          timeout=CEILING_S, check=False)
    assert init.returncode == 0, init.stderr
    steps = next_steps(init.stdout)
    assert "briefing check --strict" in steps  # on PATH: the plain name
    results = run_steps(steps, tmp_path, env)
    for step, result in results.items():
        assert result.returncode == 0, f"{step}:\n{result.stdout}\n{result.stderr}"
    assert (desk / "site" / "index.html").is_file()
    assert (desk / "briefings" / "events" / "my-event.yaml").is_file()
    # `new` says what to run next; that works too.
    new_out = next(r.stdout for s, r in results.items() if " new " in s)
    follow = new_out.rsplit("then run: ", 1)[1].strip()
    assert follow == "briefing check"
    assert run_steps([follow], desk, env)[follow].returncode == 0


def test_printed_steps_name_the_program_when_it_is_not_on_path(tmp_path: Path) -> None:
    """Run as .venv/bin/briefing, with that folder not on PATH (the README's
    way in a clone), init prints that path: `briefing` alone would not run."""
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if p and Path(p).resolve() != BIN.resolve() and not (Path(p) / "briefing").exists())
    env = quiet_env(PATH=path)
    desk = tmp_path / "desk"
    init = subprocess.run([str(BIN / "briefing"), "init", str(desk)], env=env, capture_output=True, text=True,
                          timeout=CEILING_S, check=False)
    assert init.returncode == 0, init.stderr
    steps = [s for s in next_steps(init.stdout) if not s.startswith("pre-commit")]
    me = shlex.quote(str((BIN / "briefing").resolve()))
    assert f"{me} check --strict" in steps
    check = run_steps([s for s in steps if s.startswith("cd ") or "check" in s], tmp_path, env)
    assert all(r.returncode == 0 for r in check.values()), check
