"""One ontology header per exported document, as ``robot merge`` makes it.

The ontology is three modules, each an ``owl:Ontology`` of its own:
``ontology/gpai-kg.ttl`` (``https://w3id.org/gpai-kg/ontology``, the root,
which ``owl:imports`` the other two), ``ontology/model.ttl`` (``…/ontology/model``)
and ``ontology/alignments.ttl`` (``…/ontology/alignments``); the shapes are
``…/shapes`` with ``…/shapes/model`` and ``…/shapes/skos``.
``ontology/catalog-v001.xml`` maps the module IRIs to their files, so
Protégé and ROBOT open ``gpai-kg.ttl`` with its imports resolved.

An export is one document holding every module it names. OWL tools read one
ontology per document (the OWL API keeps one of several headers and merges
their titles), and an ``owl:imports`` of a module that is already in the
document would send them to the network for it. So, in an export:

- the root keeps its header (IRI, version IRI, title, description, licence,
  notes) but not its ``owl:imports`` of modules the document holds; it says
  ``rdfs:seeAlso`` each module instead;
- every other module loses ``rdf:type owl:Ontology``, ``owl:versionIRI`` and
  ``owl:imports`` and stays a described node: its title also as ``rdfs:label``,
  its description, version and licence as annotations. The ``rdfs:isDefinedBy``
  of its terms thus names a node the document describes.

The root of a selection: the ontology's when it is in the document, else the
shapes' (``--what shapes``); a selection without a header (the glossary)
stays as it is.
"""

from __future__ import annotations

import pyoxigraph as ox

OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ONTOLOGY_CLASS = ox.NamedNode(OWL + "Ontology")
VERSION_IRI = ox.NamedNode(OWL + "versionIRI")
IMPORTS = ox.NamedNode(OWL + "imports")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")

#: Roots, in order of precedence.
ROOTS = ("https://w3id.org/gpai-kg/ontology", "https://w3id.org/gpai-kg/shapes")


def headers(quads: list[ox.Quad]) -> list[ox.NamedNode]:
    """The ``owl:Ontology`` IRIs of the quads."""
    return sorted({q.subject for q in quads if q.predicate == RDF_TYPE and q.object == ONTOLOGY_CLASS
                   and isinstance(q.subject, ox.NamedNode)}, key=str)


def merge_headers(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The quads with one ontology header, the root's (module docstring)."""
    found = headers(quads)
    root = next((ox.NamedNode(r) for r in ROOTS if ox.NamedNode(r) in found), None)
    if root is None:
        return quads
    modules = set(found) - {root}
    root_graph = next(q.graph_name for q in quads if q.subject == root and q.predicate == RDF_TYPE)
    out = []
    for q in quads:
        if q.subject in modules and (q.predicate in (VERSION_IRI, IMPORTS)
                                     or (q.predicate == RDF_TYPE and q.object == ONTOLOGY_CLASS)):
            continue
        if q.subject == root and q.predicate == IMPORTS and q.object in modules:
            continue
        out.append(q)
        if q.subject in modules and q.predicate == TITLE:
            out.append(ox.Quad(q.subject, LABEL, q.object, q.graph_name))
    out += [ox.Quad(root, SEE_ALSO, module, root_graph) for module in sorted(modules, key=str)]
    return list(dict.fromkeys(out))
