"""``gpai-kg export``: the dataset in the standard RDF syntaxes, the Act in Akoma Ntoso.

What (``--what``), by named graph (``gpai_kg.store.graph_files``; shapes are
``https://w3id.org/gpai-kg/graph/<file stem>``):

    ontology  the ontology modules (ontology/*.ttl but shapes; incl. alignments.ttl)
    graph     everything the store holds: ontology, curated law, the built Act,
              definitions, Q&A, recital links, provenance
    shapes    the SHACL shapes (ontology/shapes*.ttl)
    glossary  Article 3's definitions as a SKOS concept scheme (data/graph/definitions.ttl)
    all       graph + shapes

Formats (``--format``): ``turtle``, ``xml`` (RDF/XML, for Protégé), ``nt``
(N-Triples), ``trig`` (named graphs kept apart) — written by Oxigraph, sorted
by subject, every literal in its exact lexical form — ``jsonld`` (compacted by
pyld with the published context ``ontology/context.jsonld``, inlined so the
file reads offline) and ``akn`` (the Act as Akoma Ntoso 3.0, ``gpai_kg.akn``).
Formats without graphs get the union. Specs: RDF 1.1 Turtle, TriG,
N-Triples, RDF/XML (https://www.w3.org/TR/rdf11-concepts/), JSON-LD 1.1
(https://www.w3.org/TR/json-ld11/); JSON-LD in ``gpai_kg.jsonld``.

With ``--model PATH`` (a described model, as for ``gpai-kg assess``) the
export is that model's assessment: TriG keeps what was asserted (the
description) and what the rules inferred (with its PROV-O explanation) in the
named graphs ``<assessment>/asserted`` and ``<assessment>/inferred``.

Every export is one ontology document: one ``owl:Ontology`` header (the
ontology's, or the shapes' for ``--what shapes``), the modules it holds merged
under it (``gpai_kg.publish.headers``). Dates are xsd:date on annotation
properties, so the ontology and graph exports are OWL 2 DL and SPARQL users
keep their date comparisons (docs/ontology.md, "OWL 2 DL").

Writes are atomic: a temporary file beside the target, then a rename; a
failed export leaves nothing behind.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDFS

from gpai_kg import paths
from gpai_kg.errors import UserError
from gpai_kg.files import check_writable, write_atomic
from gpai_kg.namespaces import GKG, GRAPH
from gpai_kg.publish.headers import merge_headers
from gpai_kg.publish.serialise import bind_all, write_quads

WHATS = ("ontology", "graph", "shapes", "glossary", "all")
FORMATS = ("turtle", "xml", "jsonld", "nt", "trig", "akn")

def check_choice(what: str, fmt: str) -> None:
    """Reject an unknown ``--what`` or ``--format`` (one line naming it)."""
    if what not in WHATS:
        raise UserError(f"unknown --what {what!r}; one of {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise UserError(f"unknown --format {fmt!r}; one of {', '.join(FORMATS)}")
    if fmt == "akn" and what not in ("graph", "all"):
        raise UserError(f"--format akn writes the text of the Act; it goes with --what graph or all, not {what!r}")


# ------------------------------------------------------------------ selection

def shape_files() -> list[Path]:
    """The SHACL shapes files (``ontology/shapes*.ttl``)."""
    return sorted(paths.ONTOLOGY_DIR.glob("shapes*.ttl"))


def named_graph_files(what: str) -> dict[str, list[Path]]:
    """Named graph IRI -> the Turtle files it is loaded from, for ``what``."""
    from gpai_kg.paths import ontology_files
    from gpai_kg.store.dataset import graph_files

    selected: dict[str, list[Path]] = {}
    ontology = set(ontology_files())
    for iri, path in graph_files():
        if what in ("graph", "all") or (what == "ontology" and path in ontology) or (
                what == "glossary" and iri == str(GRAPH["definitions"])):
            selected.setdefault(iri, []).append(path)
    if what in ("shapes", "all"):
        for path in shape_files():
            selected.setdefault(str(GRAPH[path.stem]), []).append(path)
    return selected


def union(what: str) -> Graph:
    """The selection as one graph (the union of its named graphs, one header)."""
    import pyoxigraph as ox

    g = Graph()
    bind_all(g)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in _quads(what)}
    return g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


# ------------------------------------------------------------------ serialising

def _quads(what: str) -> list:
    """The selection as pyoxigraph quads, each in its named graph, under one
    ontology header (``gpai_kg.publish.headers``)."""
    import pyoxigraph as ox

    quads = []
    for iri, files in named_graph_files(what).items():
        graph = ox.NamedNode(iri)
        for path in files:
            try:
                parsed = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
                quads += [ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed]
            except (OSError, SyntaxError) as exc:
                raise UserError(f"{path}: cannot read ({exc})") from None
    if what == "ontology":
        quads += _labels_of_graph_nodes(quads)
    return merge_headers(quads)


def _labels_of_graph_nodes(quads: list) -> list:
    """The ``rdfs:label`` of the graph's nodes that the ontology describes but
    does not name (the definitions of Article 3 that ``alignments.ttl`` maps to
    DPV), from their own named graph: OWL tools want a label on every subject."""
    import pyoxigraph as ox

    from gpai_kg.store.dataset import load_store

    label = ox.NamedNode(str(RDFS.label))
    named = {q.subject for q in quads if q.predicate == label}
    unnamed = {q.subject for q in quads if isinstance(q.subject, ox.NamedNode) and str(q.subject.value).startswith(
        str(GKG))} - named
    store = load_store()
    return [q for node in sorted(unnamed, key=str) for q in store.quads_for_pattern(node, label, None)]


def _rdf_bytes(what: str, fmt: str) -> bytes:
    """Turtle, TriG, N-Triples or RDF/XML, written by Oxigraph: literals keep
    their lexical form exactly ("0.3333333333333333"^^xsd:double stays so;
    rdflib's Turtle writer shortens it), triples grouped by subject."""
    return write_quads(_quads(what), fmt)


def serialize(what: str, fmt: str, as_of: date | None = None) -> bytes:
    """The export of ``what`` in ``fmt``, as bytes (``akn``: the OJ original, or
    the expression of the Act in force on ``as_of``)."""
    check_choice(what, fmt)
    if fmt == "akn":
        from gpai_kg.publish.akn import act_akn

        return act_akn(as_of=as_of)
    if fmt == "jsonld":
        from gpai_kg.publish.jsonld import to_jsonld

        return to_jsonld(union(what))
    return _rdf_bytes(what, fmt)


def export(what: str | None, fmt: str, out: Path | None = None, model: Path | None = None,
           as_of: str | None = None) -> int:
    """Export ``what`` (default ``graph``) as ``fmt`` — or, with ``model``, the
    assessment of that described model — to ``out`` (stdout when ``None``);
    returns the byte count."""
    if model is not None:
        if what is not None:
            raise UserError("--what and --model exclude each other: --model exports the assessment of a model")
        if fmt not in FORMATS or fmt == "akn":
            raise UserError(f"unknown --format {fmt!r} for an assessment; one of "
                            f"{', '.join(f for f in FORMATS if f != 'akn')}")
    else:
        what = what or "graph"
        check_choice(what, fmt)
        if as_of is not None and fmt != "akn":
            raise UserError("--as-of goes with --model or with --format akn (the expression in force on a date); "
                            "the RDF formats carry every version of the Act")
    if out is not None:
        check_writable(Path(out))
    if model is not None:
        from gpai_kg.publish.assessment_rdf import assess_model, assessment_bytes

        data = assessment_bytes(assess_model(model, as_of), fmt)
    else:
        from gpai_kg.reasoning.description import parse_date

        data = serialize(what, fmt, parse_date(as_of) if as_of is not None else None)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(Path(out), data)
    return len(data)
