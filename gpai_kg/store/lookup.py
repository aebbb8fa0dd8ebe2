"""Read the embedded graph: counts (``stats``) and one provision (``show``)."""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from gpai_kg.citations import CitationIndex, ProvisionPath, eurlex_url, from_iri, to_iri
from gpai_kg.namespaces import ACT_IRI, prologue

PROLOGUE = prologue()

_COUNTS = {
    "chapters": "?x a gpai:Chapter",
    "sections": "?x a gpai:Section",
    "articles": "?x a gpai:Article",
    "paragraphs": "?x a gpai:Paragraph",
    "subparagraphs": "?x a gpai:Subparagraph",
    "points": "?x a gpai:Point",
    "recitals": "?x a gpai:Recital",
    "annexes": "?x a gpai:Annex",
    "definitions": "?x a gpai:Definition",
    "qa_entries": "?x a gpai:QAEntry",
    "recital_links": "?r gpai:explains ?x",
    "external_acts": "?x a gpai:ExternalAct",
    "obligations": "?x a gpai:Obligation",
    "exemptions": "?x a gpai:Exemption",
    "cross_references": "?s eli:cites ?x . ?s gpai:citation ?c",
}


def select(store: ox.Store, query: str, **bindings: str) -> list[dict[str, str]]:
    """Rows of a trusted SELECT over the union of the named graphs; ``bindings``
    bind variables (which the query must project) to IRIs."""
    substitutions = {ox.Variable(k): ox.NamedNode(v) for k, v in bindings.items()}
    solutions = store.query(PROLOGUE + query, use_default_graph_as_union=True, substitutions=substitutions)
    return [{v.value: s[v].value for v in solutions.variables if s[v] is not None} for s in solutions]


def stats(store: ox.Store) -> dict[str, int]:
    """Counts of the graph's provisions, links and triples."""
    out = {}
    for key, pattern in _COUNTS.items():
        row = select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        out[key] = int(row[0]["n"])
    out["triples"] = len(store)
    return out


@lru_cache(maxsize=4)
def citation_index(store: ox.Store) -> CitationIndex:
    """A ``CitationIndex`` of every provision in the store."""
    rows = select(store, "SELECT ?p WHERE { ?p gpai:citation ?c }")
    return CitationIndex(from_iri(r["p"]) for r in rows if r["p"] != ACT_IRI)


def citation_of(store: ox.Store, iri: str) -> str:
    """The citation of a provision IRI as the graph states it (``Article 53(2)``), else the IRI."""
    rows = select(store, "SELECT ?p ?c WHERE { ?p gpai:citation ?c }", p=iri)
    return rows[0]["c"] if rows else iri


def _citations(store: ox.Store, query: str, iri: str) -> list[str]:
    rows = select(store, query, iri=iri)
    return [r.get("c") or r.get("label") or r["x"] for r in rows]


def show(store: ox.Store, citation: str) -> dict:
    """Everything about one provision, by citation (tolerant; ``UserError`` if unknown)."""
    path: ProvisionPath = citation_index(store).resolve(citation)
    iri = to_iri(path)
    head = select(store, """SELECT ?iri ?citation ?text ?title ?type WHERE {
        ?iri gpai:citation ?citation ; a ?type . FILTER(STRSTARTS(STR(?type), STR(gpai:)))
        OPTIONAL { ?iri gpai:text ?text } OPTIONAL { ?iri eli:title ?title } }""", iri=iri)[0]
    ordered = "OPTIONAL { ?x gpai:order ?o } OPTIONAL { ?x gpai:citation ?c } OPTIONAL { ?x rdfs:label ?label }"
    return {
        "citation": head["citation"],
        "iri": iri,
        "kind": head["type"].rsplit("#", 1)[-1],
        "title": head.get("title"),
        "text": head.get("text", ""),
        "parent": (_citations(store, "SELECT ?iri ?c WHERE { ?iri eli:is_part_of ?x . ?x gpai:citation ?c }", iri)
                   or [None])[0],
        "parts": _citations(store, f"SELECT ?iri ?x ?c WHERE {{ ?iri eli:has_part ?x . {ordered} }} ORDER BY ?o", iri),
        # What the provision or any part of it cites outside itself, and what cites it or a part of it.
        "cites": _citations(store, f"SELECT DISTINCT ?iri ?x ?c ?label ?o WHERE {{ ?iri eli:has_part* ?d . "
                            f"?d eli:cites ?x . FILTER NOT EXISTS {{ ?iri eli:has_part* ?x }} {ordered} }} "
                            "ORDER BY ?o ?label", iri),
        "cited_by": _citations(store, f"SELECT DISTINCT ?iri ?x ?c ?o WHERE {{ ?iri eli:has_part* ?d . "
                               f"?x eli:cites ?d . FILTER NOT EXISTS {{ ?iri eli:has_part* ?x }} {ordered} }} "
                               "ORDER BY ?o", iri),
        "explained_by": _citations(store, f"SELECT DISTINCT ?iri ?x ?c ?o WHERE {{ ?x gpai:explains ?iri . {ordered} }} "
                                   "ORDER BY ?o", iri),
        "discussed_in": _citations(store, "SELECT DISTINCT ?iri ?x ?label ?o WHERE { ?x gpai:discusses ?iri . "
                                   "?x rdfs:label ?label OPTIONAL { ?x gpai:order ?o } } ORDER BY ?o", iri),
        "url": eurlex_url(path),
    }
