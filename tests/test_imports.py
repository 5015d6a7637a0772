"""The generator's modules import one another without a cycle: every import
counts, those under ``if TYPE_CHECKING:`` and inside functions too, so each
module can be read (and loaded) after the ones it uses."""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"


def imports(path: Path, modules: set[str]) -> set[str]:
    """The generator modules ``path`` imports, wherever the import is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from generator import x` imports the module x when there is one
            names = [f"{node.module}.{a.name}" for a in node.names] if node.module == "generator" else [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "generator":
                found.add(parts[1] if len(parts) > 1 and parts[1] in modules else "__init__")
    found.discard(path.stem)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {p.stem for p in GENERATOR.glob("*.py")}
    return {p.stem: imports(p, modules) for p in GENERATOR.glob("*.py")}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle, as the modules along it (the first repeated at the end);
    empty when there is none."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str]:
        if module in path:
            return [*path[path.index(module):], module]
        if module in done:
            return []
        for dep in sorted(graph.get(module, ())):
            cycle = visit(dep, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return []

    for module in sorted(graph):
        cycle = visit(module, [])
        if cycle:
            return cycle
    return []


def test_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert not cycle, " -> ".join(cycle)


def test_a_cycle_is_found() -> None:
    # The check itself: a cycle through a TYPE_CHECKING-style edge counts.
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []
