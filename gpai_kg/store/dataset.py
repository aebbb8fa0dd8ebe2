"""The embedded graph: ontology, curated law and the built Act, loaded once.

Two views of the same files, each in its own named graph
(``https://w3id.org/gpai-kg/graph/<name>``):

- ``load_store()`` — a pyoxigraph ``Store`` for fast SPARQL (the default for
  queries and the app; loads in a fraction of a second);
- ``load_graph()`` — one rdflib ``Graph`` (the union) for SHACL and OWL-RL.

A graph directory is read only if it is whole (``check_graph``): every file
its ``build-report.json`` lists is there. A missing or incomplete one (a
build killed midway, a file deleted by hand) is refused in one line, rather
than answered from the ontology alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from gpai_kg import paths
from gpai_kg.errors import UserError
from gpai_kg.files import previous_of
from gpai_kg.namespaces import GRAPH, bind_prefixes
from gpai_kg.paths import ontology_files


def check_graph(graph_dir: Path) -> list[Path]:
    """The Turtle files of a built graph directory, if it is whole; else ``UserError``."""
    rebuild = "run gpai-kg build" + (f" --out {graph_dir}" if graph_dir.resolve() != paths.GRAPH_DIR.resolve() else "")
    if not graph_dir.is_dir():
        interrupted = previous_of(graph_dir).is_dir()
        raise UserError(f"the graph directory {graph_dir} is missing" + (
            f": a build was interrupted ({previous_of(graph_dir).name} holds the last graph); " if interrupted
            else "; ") + rebuild)
    try:
        listed = json.loads((graph_dir / "build-report.json").read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise UserError(f"the graph directory {graph_dir} is incomplete: no build-report.json listing its files; "
                        f"{rebuild}") from None
    missing = [name for name in listed if not (graph_dir / str(name)).is_file()]
    if missing:
        raise UserError(f"the graph directory {graph_dir} is incomplete: {missing[0]} is missing; {rebuild}")
    return [graph_dir / name for name in sorted(listed) if name.endswith(".ttl")]


def graph_files(graph_dir: Path | None = None) -> Iterator[tuple[str, Path]]:
    """(named graph IRI, Turtle file) for every file of the dataset."""
    built = check_graph(Path(graph_dir or paths.GRAPH_DIR))
    for path in ontology_files():
        yield str(GRAPH["ontology" if path.stem == "gpai-kg" else path.stem]), path
    for path in sorted(paths.CURATED_DIR.glob("*.ttl")):
        yield str(GRAPH["law"]), path
    for path in built:
        yield str(GRAPH[path.stem]), path


@lru_cache(maxsize=4)
def load_store(graph_dir: Path | None = None) -> ox.Store:
    """An in-memory pyoxigraph store holding the whole dataset."""
    store = ox.Store()
    for graph_iri, path in graph_files(graph_dir):
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph_iri))
    return store


def load_graph(graph_dir: Path | None = None) -> Graph:
    """The whole dataset as one rdflib graph (a fresh copy each call)."""
    graph = Graph()
    bind_prefixes(graph)
    for _, path in graph_files(graph_dir):
        graph.parse(path, format="turtle")
    return graph
