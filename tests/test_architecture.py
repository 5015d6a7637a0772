"""The package's shape, read from its source: module sizes, imports, one spine.

Every import counts, at the top, under ``if TYPE_CHECKING:`` or inside a
function: a cycle through any of them is a cycle in the design.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
MAX_LINES = 520  # "about 500": a module past this is split by concern
# The shells: adapters to the outside (the command line, the engine and its
# plugin). The stages never import them.
SHELLS = {"cli", "__main__", "plugin", "build", "settings"}
# The stages the pipeline puts together, called by it alone among the writers.
SPINE_CALLS = {"publish", "since_previous", "read_history"}
WRITERS = {"cli", "plugin", "build", "pdf"}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        found[".".join(parts) or "__init__"] = path
    return found


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``path`` imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if name.startswith("generator."):
                short = name.removeprefix("generator.")
                while short and short not in known:
                    short = short.rpartition(".")[0]
                if short:
                    out.add(short)
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(path, known) - {name} for name, path in mods.items()}


def test_no_module_is_over_about_500_lines() -> None:
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split by concern: {long}"


def test_no_import_cycle() -> None:
    edges = graph()
    # A package imports its own modules to expose them; a cycle through a
    # package's __init__ and its children is how a package is made.
    edges = {m: {d for d in deps if not m.startswith(f"{d}.") and d != "__init__"} for m, deps in edges.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(edges.get(node, ())):
            if state.get(dep) == 1:
                cycle = [*stack[stack.index(dep):], dep]
                pytest.fail(f"import cycle: {' -> '.join(cycle)}")
            if dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)


def test_stages_do_not_import_their_shells() -> None:
    wrong = {name: sorted(deps & SHELLS) for name, deps in graph().items()
             if name.split(".")[0] not in SHELLS and deps & SHELLS}
    assert not wrong, wrong


def test_the_plugin_does_not_pick_the_engine() -> None:
    """`mkdocs build` loads the plugin into MkDocs: the plugin must not load
    the command line's settings reader, which drives the engine itself."""
    assert not graph()["plugin"] & {"settings", "build", "cli"}


def calls_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [node.func for node in ast.walk(tree) if isinstance(node, ast.Call)]
    return {f.id if isinstance(f, ast.Name) else f.attr for f in calls if isinstance(f, ast.Name | ast.Attribute)}


def test_the_orchestration_exists_once() -> None:
    """The pipeline publishes, reads the history and finds the edition notes;
    the writers call the pipeline (``prepare``), never those stages."""
    mods = modules()
    assert calls_in(mods["pipeline"]) >= SPINE_CALLS
    for writer in sorted(WRITERS):
        called = calls_in(mods[writer])
        assert not called & SPINE_CALLS, f"{writer} calls {sorted(called & SPINE_CALLS)} itself"
    assert {w for w in WRITERS if "prepare" in calls_in(mods[w])} == {"plugin", "build", "pdf"}


def test_the_readme_layout_lists_every_module() -> None:
    """The README's layout section is the map of the package: every module
    is on it, and nothing on it is gone."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^ {2,4}([a-z_]+\.py|[a-z_]+/)\s", layout, re.MULTILINE))
    files = {p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")}
    files |= {f"{p.name}/" for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    files |= {p.name for sub in PACKAGE.iterdir() if sub.is_dir() for p in sub.glob("*.py") if p.name != "__init__.py"}
    assert files - listed == set(), "not in the README's layout"
    assert listed - files - {"templates/", "schema/", "tests/", "bench/", "site/", "briefings/", "generator/"} == set()
