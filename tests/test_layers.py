"""The package's folders are its layers, and imports go one way: down.

    foundation (errors, paths, namespaces, citations, files)
    < sources < builder < store < sparql, reasoning < publish < cli, ui

A module may import its own layer and the layers below, never above; sparql
and reasoning, side by side, do not import each other; and no two modules
import each other, even through others (no cycle). Imports inside functions
count: they are arrows too."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "gpai_kg"
RANK = {"foundation": 0, "sources": 1, "builder": 2, "store": 3, "sparql": 4, "reasoning": 4, "publish": 5,
        "cli": 6, "ui": 6}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in RANK) else "foundation"


def imports() -> dict[str, set[str]]:
    """Every module of the package and the package modules it imports."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        module = _module(path)
        if module in ("gpai_kg", "gpai_kg.__main__"):  # the public API (lazy names of every layer), the entry point
            continue
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gpai_kg"):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    targets.add(sub if (PACKAGE.parent / (sub.replace(".", "/") + ".py")).is_file()
                                or (PACKAGE.parent / sub.replace(".", "/")).is_dir() else node.module)
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("gpai_kg.")}
        found[module] = {t for t in targets if t != module and t != "gpai_kg"}
    return found


def test_no_import_goes_up_a_layer_or_across_sparql_and_reasoning():
    wrong = []
    for module, targets in sorted(imports().items()):
        for target in sorted(targets):
            a, b = _layer(module), _layer(target)
            if RANK[b] > RANK[a] or (RANK[a] == RANK[b] == 4 and a != b):
                wrong.append(f"{module} ({a}) -> {target} ({b})")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_no_import_cycle():
    graph = imports()
    cycles = []

    def visit(node: str, stack: list[str], on: set[str], done: set[str]) -> None:
        on.add(node)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt in on:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in done:
                visit(nxt, stack, on, done)
        stack.pop()
        on.discard(node)
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [], set(), done)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)
