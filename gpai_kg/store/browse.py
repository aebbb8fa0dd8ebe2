"""Browse the embedded Act: its tree of provisions, texts, the Article 3
glossary with where each term is used, the Act's identity, and the help text
of each key of the model-description contract.

Read-only lookups over ``store.load_store()`` for the app's Explore and Assess
pages (``gpai_kg.store.provision.show`` gives one provision in full). The
structure is the graph's: ``eli:has_part`` ordered by ``gpai:order`` (Formex
document order), of the provisions in force on a date (default: today);
terms are ``gpai:Definition`` nodes (``skos:prefLabel``) defined by a point
of Article 3 (``gpai:definedBy``) in force on that date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox

from gpai_kg.namespaces import ACT_BASE, ACT_IRI
from gpai_kg.store.lookup import in_force, select

CHAPTER_V = ACT_BASE + "cpt_V/oj"


@dataclass(frozen=True)
class Node:
    """One provision in the tree: ``kind`` is the class's local name
    (Chapter, Article, Paragraph, Point, Recital, Annex ...)."""

    iri: str
    citation: str
    kind: str
    title: str | None
    has_parts: bool

    @property
    def label(self) -> str:
        return f"{self.citation} — {self.title}" if self.title else self.citation


def parts(store: ox.Store, iri: str = ACT_IRI, day: date | None = None) -> list[Node]:
    """The direct parts of a provision (of the Act, by default) in force on
    ``day`` (default: today), in document order."""
    day = day or date.today()
    rows = select(store, f"""SELECT ?iri ?x ?c ?type ?title ?o (BOUND(?sub) AS ?more) WHERE {{
        ?iri eli:has_part ?x . ?x gpai:citation ?c ; a ?type . FILTER(STRSTARTS(STR(?type), STR(gpai:)))
        {in_force("?x", day)}
        OPTIONAL {{ ?x gpai:order ?o }} OPTIONAL {{ ?x eli:title ?title }}
        OPTIONAL {{ ?x eli:has_part ?sub . {in_force("?sub", day)} }} }}""", iri=iri)
    nodes: dict[str, tuple] = {}
    for r in rows:
        more = r.get("more") == "true"
        if r["x"] in nodes and not more:
            continue
        order = float(r.get("o", "inf"))
        nodes[r["x"]] = (order, Node(r["x"], r["c"], r["type"].rsplit("#", 1)[-1], r.get("title"), more))
    return [n for _, n in sorted(nodes.values(), key=lambda p: p[0])]


def top_level(store: ox.Store, day: date | None = None) -> dict[str, list[Node]]:
    """The Act's chapters, recitals and annexes in force on ``day`` (default: today), each in order."""
    groups: dict[str, list[Node]] = {"Chapter": [], "Recital": [], "Annex": []}
    for node in parts(store, ACT_IRI, day):
        groups.setdefault(node.kind, []).append(node)
    return groups


def texts(store: ox.Store, iris: list[str]) -> dict[str, str]:
    """The verbatim ``gpai:text`` of each provision IRI that has one."""
    out = {}
    for iri in dict.fromkeys(iris):
        rows = select(store, "SELECT ?iri ?t WHERE { ?iri gpai:text ?t }", iri=iri)
        if rows:
            out[iri] = rows[0]["t"]
    return out


def act_info(store: ox.Store) -> dict[str, str]:
    """The Act's identity as the graph states it: title, OJ reference, dates, CELEX, EUR-Lex link."""
    rows = select(store, """SELECT ?iri ?title ?oj ?published ?adopted ?celex ?url WHERE {
        ?iri eli:title ?title ; gpai:ojReference ?oj ; eli:date_publication ?published ; eli:date_document ?adopted ;
             gpai:celex ?celex ; gpai:eurLexUrl ?url }""", iri=ACT_IRI)
    info = {k: v for k, v in rows[0].items() if k != "iri"}
    info.update(iri=ACT_IRI)
    return info


def flop_thresholds(store: ox.Store) -> list[tuple[float, str]]:
    """(value, label) of every threshold in FLOP (Article 51(2); the guidelines'
    indicative criterion), each of its dated values, as the curated law states
    them, lowest first."""
    rows = select(store, """SELECT ?t ?v ?label WHERE { ?t a gpai:Threshold ; gpai:unit "FLOP" ;
        gpai:hasValue [ gpai:valueOf gpai:thresholdValue ; gpai:value ?v ] ; rdfs:label ?label }""")
    return sorted((float(r["v"]), r["label"]) for r in rows)


# ---------------------------------------------------------------- glossary

@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    citation: str
    iri: str
    definition: str
    used_in: tuple[str, ...]  # citations, most specific provisions first in document order


def _subtree(store: ox.Store, root: str, day: date) -> list[tuple[str, str, str, str | None]]:
    """(iri, citation, lower-cased text, parent iri) of every provision under ``root``
    in force on ``day``, with its text of that day, in order."""
    rows = select(store, f"""SELECT ?iri ?x ?c ?t ?p ?o WHERE {{ ?x eli:is_part_of+ ?iri ; gpai:citation ?c ;
        gpai:order ?o ; eli:is_part_of ?p . {in_force("?x", day)}
        {{ ?x gpai:text ?t FILTER NOT EXISTS {{ ?x eli:has_member ?m }} }}
        UNION {{ ?x eli:has_member ?v . ?v gpai:text ?t . {in_force("?v", day)} }} }}""", iri=root)
    rows.sort(key=lambda r: float(r["o"]))
    return [(r["x"], r["c"], r["t"].lower(), r["p"]) for r in rows]


def outline(store: ox.Store, root: str, day: date | None = None) -> tuple[dict[str, str], dict[str, list[tuple]]]:
    """A provision and every part under it, for laying it out: (iri → whole text, iri → its direct parts
    in order as (iri, kind, eli:number, citation, eli:title)); with ``day``, only the parts in force on that
    day, each with the text of its version in force then (``eli:has_member``), else its own."""
    d = f'"{day.isoformat()}"^^xsd:date' if day else ""
    dated = (in_force("?x", day) + f""" OPTIONAL {{ ?x eli:has_member ?v . ?v gpai:text ?vt ;
                 eli:first_date_entry_in_force ?vf . OPTIONAL {{ ?v eli:date_no_longer_in_force ?vu }}
                 FILTER (?vf <= {d} && (!BOUND(?vu) || ?vu >= {d})) }}""") if day else ""
    rows = select(store, f"""SELECT ?iri ?x ?p ?t ?k ?n ?c ?title ?o WHERE {{
        ?x eli:is_part_of* ?iri ; gpai:order ?o ; a ?k . FILTER(STRSTARTS(STR(?k), STR(gpai:)))
        {dated}
        OPTIONAL {{ ?x eli:is_part_of ?p }} OPTIONAL {{ ?x gpai:text ?own }} OPTIONAL {{ ?x eli:number ?n }}
        OPTIONAL {{ ?x gpai:citation ?c }} OPTIONAL {{ ?x eli:title ?title }}
        BIND (COALESCE({"?vt, " if day else ""}?own) AS ?t) }}""", iri=root)
    rows.sort(key=lambda r: float(r["o"]))
    texts = {r["x"]: r.get("t", "") for r in rows}
    children: dict[str, list[tuple]] = {}
    for r in rows:
        if "p" in r and r["x"] != root:
            children.setdefault(r["p"], []).append((r["x"], r["k"].rsplit("#", 1)[-1], r.get("n"), r.get("c", ""),
                                                    r.get("title")))
    return texts, children


def recitals_of_parts(store: ox.Store, root: str) -> list[tuple[str, list[str]]]:
    """The recitals that explain a provision or any part under it: (recital citation, [the citations of
    the parts it explains]), in the order of the recitals."""
    rows = select(store, """SELECT ?iri ?r ?rc ?ro ?pc ?po WHERE {
        ?part eli:is_part_of* ?iri ; gpai:explainedBy ?r ; gpai:citation ?pc ; gpai:order ?po . ?r gpai:citation ?rc ; gpai:order ?ro }""",
                  iri=root)
    found: dict[str, tuple[float, list[tuple[float, str]]]] = {}
    for r in rows:
        order, parts = found.setdefault(r["rc"], (float(r["ro"]), []))
        parts.append((float(r["po"]), r["pc"]))
    return [(recital, [c for _, c in sorted(set(parts))]) for recital, (_, parts) in
            sorted(found.items(), key=lambda item: item[1][0])]


def _mentions(term: str, text: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(term.lower()) + r"(?:s|es)?(?![\w-])", text) is not None


def glossary(store: ox.Store, scope: str = CHAPTER_V, day: date | None = None) -> list[GlossaryTerm]:
    """Every term defined in Article 3 on ``day`` (default: today), in its order,
    with the most specific provisions under ``scope`` (default Chapter V) whose
    text uses the term (a point, not also its paragraph and article)."""
    day = day or date.today()
    defs = select(store, f"""SELECT ?term ?note ?point ?def ?o WHERE {{ ?d a gpai:Definition ; skos:prefLabel ?term ;
        skos:notation ?note ; skos:definition ?def ; gpai:definedBy ?point . ?point gpai:order ?o .
        {in_force("?point", day)} }}""")
    defs.sort(key=lambda r: float(r["o"]))
    provisions = _subtree(store, scope, day)
    out = []
    for d in defs:
        hits = [p for p in provisions if _mentions(d["term"], p[2])]
        parents = {p[3] for p in hits}
        used = tuple(c for iri, c, _, _ in hits if iri not in parents)
        out.append(GlossaryTerm(d["term"], d["note"], d["point"], d["def"], used))
    return out


def discussions(store: ox.Store, iri: str) -> list[tuple[str, str]]:
    """(question, answer) of the AI Office Q&A entries that discuss the provision or one of its parts
    (guidance, not law)."""
    rows = select(store, """SELECT DISTINCT ?iri ?q ?a ?o WHERE { ?x gpai:discusses ?d . ?iri eli:has_part* ?d .
        ?x rdfs:label ?q ; gpai:answer ?a OPTIONAL { ?x gpai:order ?o } }""", iri=iri)
    rows.sort(key=lambda r: float(r.get("o", "inf")))
    return list(dict.fromkeys((r["q"], r["a"]) for r in rows))


def snippet(text: str, words: str, width: int = 90) -> str:
    """The part of ``text`` around the first occurrence of ``words`` (case-insensitive),
    with ``…`` where it is cut; the start of the text if the words do not occur."""
    at = text.lower().find(words.lower()) if words else -1
    if at < 0:
        return text[:2 * width] + ("…" if len(text) > 2 * width else "")
    start, end = max(0, at - width), min(len(text), at + len(words) + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
