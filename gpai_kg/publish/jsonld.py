"""JSON-LD 1.1 (https://www.w3.org/TR/json-ld11/) of a graph, compacted with
the published context ``ontology/context.jsonld``.

The graph goes to expanded JSON-LD by a direct, lossless mapping (one node
object per subject; literals keep their lexical form; RDF lists stay
``rdf:first``/``rdf:rest``), then pyld's compaction algorithm applies the
context, which the output carries inline so that it reads offline. (rdflib's
JSON-LD writer drops the members of some OWL class expressions; pyld's
``from_rdf`` takes minutes on the whole graph.)
"""

from __future__ import annotations

import json

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, XSD

from gpai_kg import paths
from gpai_kg.errors import UserError

CONTEXT_FILE = "context.jsonld"


def jsonld_context() -> dict:
    """The published JSON-LD context (``ontology/context.jsonld``)."""
    path = paths.ONTOLOGY_DIR / CONTEXT_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{path}: cannot read the JSON-LD context ({exc})") from None


def _node_id(node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _value(term) -> dict:
    if isinstance(term, Literal):
        out = {"@value": str(term)}
        if term.language:
            out["@language"] = term.language
        elif term.datatype and term.datatype != XSD.string:
            out["@type"] = str(term.datatype)
        return out
    return {"@id": _node_id(term)}


def expanded_jsonld(graph: Graph) -> list[dict]:
    """The graph in expanded JSON-LD (one node object per subject, sorted):
    a direct, lossless mapping (RDF lists stay rdf:first/rdf:rest)."""
    nodes: dict[str, dict] = {}
    for s, p, o in graph:
        node = nodes.setdefault(_node_id(s), {"@id": _node_id(s)})
        if p == RDF.type and not isinstance(o, Literal):
            node.setdefault("@type", []).append(_node_id(o))
        else:
            node.setdefault(str(p), []).append(_value(o))
    key = lambda v: json.dumps(v, sort_keys=True)  # noqa: E731
    for node in nodes.values():
        for k, values in node.items():
            if isinstance(values, list):
                values.sort(key=key)
    return [nodes[k] for k in sorted(nodes)]


def to_jsonld(graph: Graph) -> bytes:
    """Compact JSON-LD with the published context (pyld's compaction algorithm)."""
    from pyld import jsonld

    context = jsonld_context()
    compacted = jsonld.compact(expanded_jsonld(graph), context)
    return (json.dumps(compacted, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
