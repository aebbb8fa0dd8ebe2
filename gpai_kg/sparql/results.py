"""Query results in the standard forms: SPARQL 1.1 Query Results JSON and CSV
(https://www.w3.org/TR/sparql11-results-json/,
https://www.w3.org/TR/sparql11-results-csv-tsv/) and Turtle for graphs.

A ``QueryResult`` holds rows as SPARQL JSON bindings whatever store answered,
so an embedded and a remote run of one query compare equal
(``QueryResult.bag``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from gpai_kg.files import csv_text
from gpai_kg.namespaces import bind_prefixes

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
GRAPH_VARIABLES = ("subject", "predicate", "object")

Binding = dict[str, str]


def term_json(term) -> Binding:
    """A pyoxigraph term as a SPARQL JSON term (no datatype on plain strings)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANGSTRING):
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}  # RDF-star triple terms, shown as text


def json_term(term: Binding) -> Binding:
    """A SPARQL JSON term from any store, in ``term_json``'s form; an
    ``xsd:boolean`` in its canonical form (Virtuoso writes ``"1"``, ``"0"``)."""
    kind = "literal" if term["type"] == "typed-literal" else term["type"]
    out = {"type": kind, "value": term["value"]}
    if term.get("datatype") == XSD_BOOLEAN:
        out["value"] = {"1": "true", "0": "false"}.get(term["value"].strip(), term["value"].strip())
    if kind == "literal":
        if term.get("xml:lang"):
            out["xml:lang"] = term["xml:lang"]
        elif term.get("datatype") and term["datatype"] not in (XSD_STRING, RDF_LANGSTRING):
            out["datatype"] = term["datatype"]
    return out


def _rdflib(term: Binding):
    if term["type"] == "uri":
        return URIRef(term["value"])
    if term["type"] == "bnode":
        return BNode(term["value"])
    return Literal(term["value"], lang=term.get("xml:lang"), datatype=term.get("datatype"))


def _normal(term: Binding) -> tuple:
    """A term for comparison: blank nodes are all alike, literals canonical."""
    if term["type"] == "bnode":
        return ("bnode",)
    if term["type"] == "uri":
        return ("uri", term["value"])
    lang, datatype = term.get("xml:lang"), term.get("datatype")
    value = term["value"]
    if datatype:
        value = str(Literal(value, datatype=datatype, normalize=True))
    return ("literal", value, (lang or "").lower(), datatype or "")


@dataclass(frozen=True)
class QueryResult:
    """``kind``: ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE; rows are
    triples under the variables subject, predicate, object)."""

    kind: str
    variables: tuple[str, ...]
    rows: tuple[dict[str, Binding], ...]
    boolean: bool | None = None
    elapsed: float = 0.0

    def timed(self, seconds: float) -> QueryResult:
        return replace(self, elapsed=seconds)

    def values(self, variable: str) -> list[str | None]:
        """The plain values of one column, in row order."""
        return [row[variable]["value"] if variable in row else None for row in self.rows]

    def bag(self) -> Counter:
        """The rows as a bag of normalised tuples (or the ASK answer)."""
        if self.kind == "ask":
            return Counter([self.boolean])
        return Counter(tuple(_normal(row[v]) if v in row else None for v in self.variables) for row in self.rows)

    def to_json(self) -> dict:
        """SPARQL 1.1 Query Results JSON (for ``ask`` and ``select``)."""
        if self.kind == "ask":
            return {"head": {}, "boolean": bool(self.boolean)}
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": [dict(r) for r in self.rows]}}

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV: a header, then plain values (CRLF);
        a value that a spreadsheet would read as a formula gets a leading ``'``
        (``files.csv_cell``, as OWASP recommends)."""
        if self.kind == "ask":
            return csv_text([["boolean"], ["true" if self.boolean else "false"]])
        return csv_text([self.variables] + [[("_:" if row[v]["type"] == "bnode" else "") + row[v]["value"]
                                              if v in row else "" for v in self.variables] for row in self.rows])

    def to_graph(self) -> Graph:
        graph = Graph()
        bind_prefixes(graph)
        for row in self.rows:
            graph.add(tuple(_rdflib(row[v]) for v in GRAPH_VARIABLES))
        return graph

    def to_turtle(self) -> str:
        return self.to_graph().serialize(format="turtle")


def graph_result(triples: Iterable) -> QueryResult:
    """A ``graph`` result from pyoxigraph triples."""
    rows = tuple({v: term_json(t) for v, t in zip(GRAPH_VARIABLES, (tr.subject, tr.predicate, tr.object))}
                 for tr in triples)
    return QueryResult("graph", GRAPH_VARIABLES, rows)


def from_results_json(data: dict) -> QueryResult:
    """A result from SPARQL 1.1 Query Results JSON, as any store writes it."""
    if "boolean" in data:
        return QueryResult("ask", (), (), bool(data["boolean"]))
    names = tuple(data.get("head", {}).get("vars", []))
    rows = tuple({k: json_term(v) for k, v in b.items()} for b in data.get("results", {}).get("bindings", []))
    return QueryResult("select", names, rows)
