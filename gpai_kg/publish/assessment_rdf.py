"""An assessment (``gpai_kg.assess``) exported as RDF, asserted and inferred apart.

``assess.Assessment`` gives two graphs: ``asserted_graph()`` (the model
description as stated) and ``inferred_graph()`` (what the rules concluded,
with the PROV-O explanation of each statement). TriG keeps them in the named
graphs ``<assessment IRI>/asserted`` and ``<assessment IRI>/inferred``
(STYLE.md 6: asserted and inferred triples live apart); the other formats get
their union. Used by ``gpai-kg export --model PATH [--as-of DATE]``.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from gpai_kg.publish.rdf import write_quads
from gpai_kg.reasoning.terms import to_ox


def assess_model(model: Path, as_of: str | None):
    """The ``Assessment`` of a described model (.json, .yaml or .ttl) on ``as_of``."""
    from gpai_kg.reasoning.assessment import assess
    from gpai_kg.reasoning.description import load_description, parse_date

    return assess(load_description(model), parse_date(as_of) if as_of else None)


def _assessment_parts(result) -> tuple[str, Graph, Graph]:
    """(assessment IRI, asserted, inferred) of an ``assess.Assessment`` (its
    ``asserted_graph()``/``inferred_graph()``) or of a ``reasoner.Run``."""
    run = getattr(result, "run", None) or result
    if hasattr(result, "asserted_graph"):
        return run.assessment, result.asserted_graph(), result.inferred_graph()
    graphs = []
    for triples in (run.asserted, run.inferred):
        g = Graph()
        for triple in triples:
            g.add(tuple(triple))
        graphs.append(g)
    return run.assessment, graphs[0], graphs[1]


def assessment_bytes(result, fmt: str) -> bytes:
    """An assessment in ``fmt``: TriG with asserted and inferred triples in
    separate named graphs; the other formats get the union."""
    import pyoxigraph as ox

    iri, asserted, inferred = _assessment_parts(result)
    if fmt == "jsonld":
        from gpai_kg.publish.jsonld import to_jsonld

        return to_jsonld(asserted + inferred)
    return write_quads([ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(f"{iri}/{name}"))
                        for name, graph in (("asserted", asserted), ("inferred", inferred)) for s, p, o in graph],
                       fmt)
