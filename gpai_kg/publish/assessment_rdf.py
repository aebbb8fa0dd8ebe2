"""An assessment (``gpai_kg.reasoning.assessment``) as RDF, asserted and inferred apart.

Two graphs: the model description as stated (``asserted_graph``: gpai:Fact
nodes state each input fact) and what the rules concluded, with the PROV-O
explanation of each statement (``inferred_graph``). TriG keeps them in the
named graphs ``<assessment IRI>/asserted`` and ``<assessment IRI>/inferred``
(STYLE.md 6: asserted and inferred triples live apart); Turtle and the other
formats get their union. Used by ``gpai-kg assess --format turtle`` and
``gpai-kg export --model PATH [--as-of DATE]``.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from gpai_kg.namespaces import bind_prefixes
from gpai_kg.publish.serialise import write_quads
from gpai_kg.reasoning.terms import to_ox


def assess_model(model: Path, as_of: str | None):
    """The ``Assessment`` of a described model (.json, .yaml or .ttl) on ``as_of``."""
    from gpai_kg.reasoning.assessment import assess
    from gpai_kg.reasoning.description import parse_date
    from gpai_kg.reasoning.model_files import load_description

    return assess(load_description(model), parse_date(as_of) if as_of else None)


def _graph(triples) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    for triple in triples:
        graph.add(tuple(triple))
    return graph


def asserted_graph(result) -> Graph:
    """The model description and the assessment's date, as stated (of an
    ``Assessment`` or of an engine's ``Run``)."""
    return _graph((getattr(result, "run", None) or result).asserted)


def inferred_graph(result) -> Graph:
    """What the rules inferred, with the PROV-O explanation of each statement."""
    return _graph((getattr(result, "run", None) or result).inferred)


def assessment_turtle(assessment) -> str:
    """Both graphs as one Turtle document: inferred triples are told apart by
    their reification (gpai:InferredStatement, gpai:Conclusion, PROV-O);
    asserted facts are gpai:Fact."""
    graph = asserted_graph(assessment)
    graph += inferred_graph(assessment)
    bind_prefixes(graph)
    graph.bind("model", f"{assessment.model}/", override=True)
    head = (f"# gpai-kg assessment of {assessment.name!r} as of {assessment.as_of.isoformat()} (not legal advice).\n"
            "# Asserted: the description (gpai:Fact nodes state each input fact). Inferred: every other\n"
            "# triple; each inferred statement is a gpai:InferredStatement whose gpai:Conclusion nodes\n"
            "# prov:wasGeneratedBy a gkg:rule/... that gpai:implements its provision.\n")
    return head + graph.serialize(format="turtle")


def assessment_bytes(result, fmt: str) -> bytes:
    """An assessment in ``fmt``: TriG with asserted and inferred triples in
    separate named graphs; the other formats get the union."""
    import pyoxigraph as ox

    run = getattr(result, "run", None) or result
    asserted, inferred = asserted_graph(result), inferred_graph(result)
    if fmt == "jsonld":
        from gpai_kg.publish.jsonld import to_jsonld

        return to_jsonld(asserted + inferred)
    return write_quads([ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(f"{run.assessment}/{name}"))
                        for name, graph in (("asserted", asserted), ("inferred", inferred)) for s, p, o in graph],
                       fmt)
