"""One provision as it stood on a date (``gpai-kg show CITATION --as-of DATE``).

``show`` resolves the citation (tolerant: ``Art. 53(1)(a)``) against every
provision that has been in force in some version of the Act, then reads the
version in force on the date (``gpai_kg.store.versions``): its verbatim text
and title, its parts in force, what its text cites and what cites it on that
date, the recitals that explain it and the Q&A that discuss it, the changes
that made or will make it (``amended_by``) and the text before its last
change (``previous``). A provision not in force on the date is refused with
one line giving its dates. A text an amending act changed is shown as what it
is: a consolidated, documentation version of the law; the authentic texts
are the OJ original and the amending acts (``authentic``).
"""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox

from gpai_kg.citations import ProvisionPath, eurlex_url, format_citation, to_iri
from gpai_kg.namespaces import ACT_IRI
from gpai_kg.store.lookup import citation_index, in_force, select
from gpai_kg.store.versions import act_versions, amended_by, not_in_force, version_at, versions

_ORDERED = "OPTIONAL { ?x gpai:order ?o } OPTIONAL { ?x gpai:citation ?c } OPTIONAL { ?x rdfs:label ?label }"


def _citations(store: ox.Store, query: str, iri: str) -> list[str]:
    rows = select(store, query, iri=iri)
    return list(dict.fromkeys(r.get("c") or r.get("label") or r["x"] for r in rows))


def authentic(store: ox.Store) -> list[dict]:
    """The authentic texts of the law in its latest version: the OJ original and
    every amending act, with citation, OJ reference and EUR-Lex link."""
    acts = [ACT_IRI] + [v["act"] for v in act_versions(store) if v["act"]]
    out = []
    for iri in acts:
        row = select(store, """SELECT ?iri ?c ?oj ?url WHERE { ?iri gpai:citation ?c ; gpai:ojReference ?oj ;
            gpai:eurLexUrl ?url }""", iri=iri)[0]
        out.append({"citation": row["c"], "oj": row["oj"], "url": row["url"], "iri": iri})
    return out


def cites_on(store: ox.Store, iri: str, day: date) -> list[str]:
    """What the provision's text in force on ``day``, or any part of it, cites outside itself."""
    return _citations(store, f"""SELECT DISTINCT ?iri ?x ?c ?label ?o WHERE {{ ?iri eli:has_part* ?d . {in_force("?d", day)}
        {{ ?d eli:cites ?x FILTER NOT EXISTS {{ ?d eli:has_member ?m }} }}
        UNION {{ ?d eli:has_member ?v . ?v eli:cites ?x . {in_force("?v", day)} }}
        FILTER NOT EXISTS {{ ?iri eli:has_part* ?x }} {_ORDERED} }} ORDER BY ?o ?label""", iri)


def cited_by_on(store: ox.Store, iri: str, day: date) -> list[str]:
    """The provisions whose text in force on ``day`` cites the provision or a part of it."""
    return _citations(store, f"""SELECT DISTINCT ?iri ?x ?c ?o WHERE {{ ?iri eli:has_part* ?d .
        {{ ?x eli:cites ?d ; gpai:citation ?any . {in_force("?x", day)} FILTER NOT EXISTS {{ ?x eli:has_member ?m }} }}
        UNION {{ ?v eli:cites ?d ; eli:is_member_of ?x . {in_force("?v", day)} }}
        FILTER NOT EXISTS {{ ?iri eli:has_part* ?x }} {_ORDERED} }} ORDER BY ?o""", iri)


def show(store: ox.Store, citation: str, as_of: date | None = None) -> dict:
    """Everything about one provision on ``as_of`` (default: today), by citation
    (``UserError`` if it names none, or names one not in force on that date)."""
    day = as_of or date.today()
    path: ProvisionPath = citation_index(store).resolve(citation)
    iri = to_iri(path)
    current, previous = version_at(store, iri, day)
    changes = amended_by(store, iri)
    if current is None:
        raise not_in_force(format_citation(path), versions(store, iri), day, changes)
    head = select(store, """SELECT ?iri ?citation ?type WHERE {
        ?iri gpai:citation ?citation ; a ?type . FILTER(STRSTARTS(STR(?type), STR(gpai:))) }""", iri=iri)[0]
    info = {
        "citation": head["citation"],
        "iri": iri,
        "kind": head["type"].rsplit("#", 1)[-1],
        "title": current.title,
        "text": current.text,
        "parent": (_citations(store, "SELECT ?iri ?x ?c WHERE { ?iri eli:is_part_of ?x . ?x gpai:citation ?c }", iri)
                   or [None])[0],
        "parts": _citations(store, f"SELECT ?iri ?x ?c ?o WHERE {{ ?iri eli:has_part ?x . {in_force('?x', day)} "
                            f"{_ORDERED} }} ORDER BY ?o", iri),
        "cites": cites_on(store, iri, day),
        "cited_by": cited_by_on(store, iri, day),
        "explained_by": _citations(store, f"SELECT DISTINCT ?iri ?x ?c ?o WHERE {{ ?x gpai:explains ?iri . {_ORDERED} }} "
                                   "ORDER BY ?o", iri),
        "discussed_in": _citations(store, "SELECT DISTINCT ?iri ?x ?label ?o WHERE { ?x gpai:discusses ?iri . "
                                   "?x rdfs:label ?label OPTIONAL { ?x gpai:order ?o } } ORDER BY ?o", iri),
        "url": eurlex_url(path),
        "as_of": day.isoformat(),
        "version": current.as_json(),
        "amended_by": [dict(c.as_json(), provision=c.provision, part=c.part or None, instruction=c.instruction,
                            iri=c.point_iri) for c in changes],
        "previous": previous.text if previous is not None else None,
    }
    if current.expression != act_versions(store)[0]["expression"]:
        info["documentation_version"] = True
        info["authentic"] = authentic(store)
    return info
