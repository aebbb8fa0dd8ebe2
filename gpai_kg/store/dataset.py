"""The embedded graph: ontology, curated law and the built Act, loaded once.

Two views of the same files, each in its own named graph
(``https://w3id.org/gpai-kg/graph/<name>``):

- ``load_store()`` — a pyoxigraph ``Store`` for fast SPARQL (the default for
  queries and the app; loads in a fraction of a second);
- ``load_graph()`` — one rdflib ``Graph`` (the union) for SHACL and OWL-RL.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from gpai_kg import paths
from gpai_kg.namespaces import GRAPH, bind_prefixes
from gpai_kg.paths import ontology_files


def graph_files(graph_dir: Path | None = None) -> Iterator[tuple[str, Path]]:
    """(named graph IRI, Turtle file) for every file of the dataset."""
    graph_dir = graph_dir or paths.GRAPH_DIR
    for path in ontology_files():
        yield str(GRAPH["ontology" if path.stem == "gpai-kg" else path.stem]), path
    for path in sorted(paths.CURATED_DIR.glob("*.ttl")):
        yield str(GRAPH["law"]), path
    for path in sorted(graph_dir.glob("*.ttl")):
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
