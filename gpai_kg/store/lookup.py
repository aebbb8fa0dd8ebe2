"""Read the embedded graph: rows of a SELECT, the citation index, counts
(``stats``, of the Act in force on a date); one provision is
``gpai_kg.store.provision.show``."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import pyoxigraph as ox

from gpai_kg.citations import CitationIndex, from_iri
from gpai_kg.namespaces import ACT_BASE, ACT_IRI, prologue

PROLOGUE = prologue()

#: What ``stats`` counts; ``{in_force}`` stands for "?x is in force on the date".
_COUNTS = {
    "chapters": "?x a gpai:Chapter . {in_force}",
    "sections": "?x a gpai:Section . {in_force}",
    "articles": "?x a gpai:Article . {in_force}",
    "paragraphs": "?x a gpai:Paragraph . {in_force}",
    "subparagraphs": "?x a gpai:Subparagraph . {in_force}",
    "points": "?x a gpai:Point . {in_force}",
    "recitals": "?x a gpai:Recital . {in_force}",
    "annexes": "?x a gpai:Annex . {in_force}",
    "definitions": "?d a gpai:Definition ; gpai:definedBy ?x . {in_force}",
    "qa_entries": "?x a gpai:QAEntry",
    "recital_links": "?r gpai:explains ?x",
    "external_acts": "?x a gpai:ExternalAct",
    "obligations": "?x a gpai:Obligation",
    "exemptions": "?x a gpai:Exemption",
    # what the text in force cites: a provision's own, or its version's where it has had several texts
    "cross_references": "?x gpai:citation ?c . {in_force} { ?x eli:cites ?y FILTER NOT EXISTS { ?x eli:has_member ?m } }"
                        " UNION { ?x eli:has_member ?v . ?v eli:cites ?y . {version_in_force} }",
}


def in_force(var: str, day: date) -> str:
    """A SPARQL pattern: the node ``var`` (``?x``) is in force on ``day``."""
    d, name = f'"{day.isoformat()}"^^xsd:date', var.lstrip("?")
    return (f"{var} eli:first_date_entry_in_force ?from_{name} . "
            f"OPTIONAL {{ {var} eli:date_no_longer_in_force ?until_{name} }} "
            f"FILTER (?from_{name} <= {d} && (!BOUND(?until_{name}) || ?until_{name} >= {d}))")


def select(store: ox.Store, query: str, **bindings: str) -> list[dict[str, str]]:
    """Rows of a trusted SELECT over the union of the named graphs; ``bindings``
    bind variables (which the query must project) to IRIs."""
    substitutions = {ox.Variable(k): ox.NamedNode(v) for k, v in bindings.items()}
    solutions = store.query(PROLOGUE + query, use_default_graph_as_union=True, substitutions=substitutions)
    return [{v.value: s[v].value for v in solutions.variables if s[v] is not None} for s in solutions]


def stats(store: ox.Store, day: date) -> dict[str, int]:
    """Counts of the provisions, definitions and cross-references of the Act in
    force on ``day``, of the law's nodes and links, and of the graph's triples."""
    out = {}
    for key, pattern in _COUNTS.items():
        where = pattern.replace("{in_force}", in_force("?x", day)).replace("{version_in_force}", in_force("?v", day))
        row = select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        out[key] = int(row[0]["n"])
    out["triples"] = len(store)
    return out


@lru_cache(maxsize=4)
def citation_index(store: ox.Store) -> CitationIndex:
    """A ``CitationIndex`` of every provision of the Act in the store, in any of its versions."""
    rows = select(store, "SELECT ?p WHERE { ?p gpai:citation ?c }")
    return CitationIndex(from_iri(r["p"]) for r in rows if r["p"] != ACT_IRI and r["p"].startswith(ACT_BASE))


def citation_of(store: ox.Store, iri: str) -> str:
    """The citation of a provision IRI as the graph states it (``Article 53(2)``), else the IRI."""
    rows = select(store, "SELECT ?p ?c WHERE { ?p gpai:citation ?c }", p=iri)
    return rows[0]["c"] if rows else iri


