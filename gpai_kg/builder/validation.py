"""SHACL self-check of the built graph against ``ontology/shapes.ttl`` (pySHACL).

The shapes state what a sound graph of the Act is: every paragraph and point
part of exactly one parent, every provision with text and a citation, every
obligation with a legal basis and a bearer, no dangling ``eli:cites``.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import SH

from gpai_kg import paths
from gpai_kg.errors import UserError
from gpai_kg.paths import ontology_files


def _union(graphs: Iterable[Graph]) -> Graph:
    union = Graph()
    for g in graphs:
        union += g
    return union


def data_graph(built: Iterable[Graph]) -> Graph:
    """Ontology + curated law + the given built graphs, as SHACL's data graph."""
    union = _union(built)
    for path in [*ontology_files(), *sorted(paths.CURATED_DIR.glob("*.ttl"))]:
        union.parse(path, format="turtle")
    return union


def violations(data: Graph) -> list[str]:
    """One line per SHACL result: focus node, path and message."""
    shapes = Graph().parse(paths.ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    if conforms:
        return []
    lines = []
    for result in report.subjects(predicate=SH.resultSeverity):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        lines.append(f"{focus} {path or ''}: {message}")
    return sorted(lines)


def check_conforms(built: Iterable[Graph]) -> None:
    """Raise ``UserError`` (one line) when the built graph violates a shape."""
    found = violations(data_graph(built))
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise UserError(f"the built graph does not conform to ontology/shapes.ttl: {found[0]}{more}")
