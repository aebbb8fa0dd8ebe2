"""Writing RDF: the prefixes exports bind, and quads in Turtle, TriG, N-Triples
or RDF/XML written by Oxigraph (literals keep their exact lexical form;
rdflib's Turtle writer would shorten "0.3333333333333333"^^xsd:double), sorted
so that two writes of the same graph are byte-identical."""

from __future__ import annotations

from rdflib import Graph

from gpai_kg.namespaces import PREFIXES, bind_prefixes

#: Prefixes beyond ``namespaces.PREFIXES`` that exported files use.
EXTRA_PREFIXES = {"sh": "http://www.w3.org/ns/shacl#", "spdx": "http://spdx.org/rdf/terms#",
                  "vann": "http://purl.org/vocab/vann/"}


def bind_all(graph: Graph) -> None:
    """Bind the project's prefixes and those exports use."""
    bind_prefixes(graph)
    for prefix, ns in EXTRA_PREFIXES.items():
        graph.bind(prefix, ns, override=True)


_OX_FORMATS = {"turtle": "TURTLE", "xml": "RDF_XML", "nt": "N_TRIPLES", "trig": "TRIG"}


def prefixes() -> dict[str, str]:
    """The prefixes written into Turtle, TriG and RDF/XML."""
    return {p: str(ns) for p, ns in {**PREFIXES, **EXTRA_PREFIXES}.items()}


def _key(term) -> tuple[int, str]:
    return (1 if type(term).__name__ == "BlankNode" else 0, str(term))


def write_quads(quads: list, fmt: str) -> bytes:
    """Oxigraph quads as TriG (graphs kept), or as Turtle, N-Triples or RDF/XML
    (their union), sorted by graph, subject, predicate, object."""
    import pyoxigraph as ox

    if fmt == "trig":
        quads = sorted(quads, key=lambda q: (str(q.graph_name), _key(q.subject), str(q.predicate), _key(q.object)))
        return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes())
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads},
                     key=lambda t: (_key(t.subject), str(t.predicate), _key(t.object)))
    return ox.serialize(triples, format=getattr(ox.RdfFormat, _OX_FORMATS[fmt]),
                        prefixes=None if fmt == "nt" else prefixes())
