"""The law on a date, read from the graph: which provisions are in force, the
version of each in force, the expression it quotes, and what changed when.

A provision (``…/art_56/par_6/oj``) is in force from its
``eli:first_date_entry_in_force`` to its ``eli:date_no_longer_in_force``
(inclusive). A provision with more than one text has versions
(``eli:has_member``, each with its own dates and ``gpai:text``); one with a
single text is its own only version. The expression a version quotes is its
``gpai:inExpression``, or for a provision without versions the expression of
the version of the Act that began the day it entered into force. Changes are
the ``gpai:Change`` nodes of ``data/graph/amendments.ttl``
(``gpai_kg.builder.amendments_graph``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import pyoxigraph as ox

from gpai_kg.citations import ProvisionPath, from_iri
from gpai_kg.errors import UserError
from gpai_kg.namespaces import ACT_IRI
from gpai_kg.store.lookup import select


@dataclass(frozen=True)
class Version:
    """The text of a provision over one interval."""

    iri: str                  # the version node, or the provision itself when it has had one text
    expression: str           # the expression of the Act it quotes
    start: date
    end: date | None
    text: str
    title: str | None

    def as_json(self) -> dict:
        return {"expression": self.expression, "in_force_from": self.start.isoformat(),
                "in_force_until": self.end.isoformat() if self.end else None}

    def in_force(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@lru_cache(maxsize=8)
def act_versions(store: ox.Store) -> list[dict]:
    """The versions of the Act, in order: iri, expression, start, end, the act they consolidate."""
    rows = select(store, """SELECT ?iri ?v ?expression ?start ?end ?act WHERE {
        ?v a gpai:ActVersion ; eli:is_member_of ?iri ; eli:first_date_entry_in_force ?start ;
           eli:is_realized_by ?expression .
        OPTIONAL { ?v eli:date_no_longer_in_force ?end } OPTIONAL { ?v eli:consolidates ?act } }""", iri=ACT_IRI)
    return sorted(({"iri": r["v"], "expression": r["expression"], "start": date.fromisoformat(r["start"]),
                    "end": date.fromisoformat(r["end"]) if "end" in r else None, "act": r.get("act")}
                   for r in rows), key=lambda r: r["start"])


def act_version_at(store: ox.Store, day: date) -> dict | None:
    """The version of the Act in force on ``day`` (None before the Act entered into force)."""
    return next((v for v in act_versions(store) if v["start"] <= day and (v["end"] is None or day <= v["end"])),
                None)


def versions(store: ox.Store, iri: str) -> list[Version]:
    """Every version of a provision, in order."""
    rows = select(store, """SELECT ?iri ?v ?start ?end ?text ?title ?expression WHERE {
        ?iri eli:has_member ?v . ?v eli:first_date_entry_in_force ?start ; gpai:inExpression ?expression .
        OPTIONAL { ?v eli:date_no_longer_in_force ?end } OPTIONAL { ?v gpai:text ?text }
        OPTIONAL { ?v eli:title ?title } }""", iri=iri)
    if not rows:
        rows = select(store, """SELECT ?iri ?start ?end ?text ?title WHERE {
            ?iri eli:first_date_entry_in_force ?start .
            OPTIONAL { ?iri eli:date_no_longer_in_force ?end } OPTIONAL { ?iri gpai:text ?text }
            OPTIONAL { ?iri eli:title ?title } }""", iri=iri)
        for row in rows:
            start = date.fromisoformat(row["start"])
            began = next((v for v in act_versions(store) if v["start"] == start), None)
            row.update(v=iri, expression=began["expression"] if began else "")
    out = [Version(r["v"], r["expression"], date.fromisoformat(r["start"]),
                   date.fromisoformat(r["end"]) if "end" in r else None, r.get("text", ""), r.get("title"))
           for r in rows]
    return sorted(out, key=lambda v: v.start)


def version_at(store: ox.Store, iri: str, day: date) -> tuple[Version | None, Version | None]:
    """The version of a provision in force on ``day`` and the one before it (the
    text before its last change), each None where there is none."""
    found = versions(store, iri)
    for n, version in enumerate(found):
        if version.in_force(day):
            return version, found[n - 1] if n else None
    return None, None


def not_in_force(citation: str, found: list[Version], day: date, made: list[Change] | None = None) -> UserError:
    """The one-line error for a provision not in force on ``day``, with its
    dates and the amending point that inserted or ended it."""
    if not found:
        return UserError(f"{citation} is in no version of the Act")
    start, end = found[0].start, found[-1].end
    if day < start:
        why = next((c for c in made or () if c.date == start), None)
        return UserError(f"{citation} is not in force on {day.isoformat()}: it is in force from {start.isoformat()}"
                         + (f" ({why.kind} by {why.point})" if why else ""))
    why = next((c for c in made or () if end and c.date > end), None)
    return UserError(f"{citation} is not in force on {day.isoformat()}: it was in force from {start.isoformat()} "
                     f"to {end.isoformat() if end else '…'}"
                     + (f" ({why.provision} {why.kind} by {why.point})" if why else ""))


@dataclass(frozen=True)
class Change:
    """One provision an amending point changed."""

    provision: str          # its citation
    provision_iri: str
    kind: str               # replaced, inserted, added, deleted
    part: str               # "", heading, intro
    act: str                # "Regulation (EU) 2026/1744"
    point: str              # "Regulation (EU) 2026/1744, Article 1, point (21)"
    point_iri: str
    instruction: str
    date: date
    order: float

    def as_json(self) -> dict:
        return {"act": self.act, "point": self.point, "kind": self.kind, "date": self.date.isoformat()}


_CHANGES = """SELECT ?iri ?p ?c ?kind ?part ?act ?point ?pc ?instruction ?date ?o WHERE {
    ?change a gpai:Change ; gpai:amendedProvision ?p ; gpai:amendingPoint ?point ; gpai:changeKind ?kind ;
            gpai:effectiveDate ?date .
    OPTIONAL { ?change gpai:changedPart ?part }
    ?p gpai:citation ?c ; gpai:order ?o .
    ?point gpai:citation ?pc ; eli:is_part_of+ ?work . ?work a gpai:AmendingAct ; gpai:citation ?act .
    OPTIONAL { ?point gpai:instruction ?instruction }
    %s }"""


def _change(r: dict) -> Change:
    return Change(r["c"], r["p"], r["kind"], r.get("part", ""), r["act"], r["pc"], r["point"],
                  r.get("instruction", ""), date.fromisoformat(r["date"]), float(r["o"]))


@lru_cache(maxsize=8)
def _all_changes(store: ox.Store) -> tuple[Change, ...]:
    found = [_change(r) for r in select(store, _CHANGES % "")]
    return tuple(sorted(found, key=lambda c: (c.date, c.order, c.point)))


def changes(store: ox.Store, start: date | None = None, end: date | None = None) -> list[Change]:
    """Every change effective from ``start`` to ``end`` (inclusive), in the
    order of their dates, then of the provisions in the Act."""
    return [c for c in _all_changes(store) if (start is None or c.date >= start) and (end is None or c.date <= end)]


def amended_by(store: ox.Store, iri: str) -> list[Change]:
    """The changes of a provision, of a provision that holds it (a replacement
    or deletion of the whole) or of one of its parts, in order."""
    path = from_iri(iri)
    if path[:1] and path[0][0] == "cpt":  # articles do not sit below chapters in IRIs: read the structure
        inside = {from_iri(r["x"])[:1] for r in select(
            store, "SELECT ?iri ?x WHERE { ?x eli:is_part_of+ ?iri ; a gpai:Article }", iri=iri)}
    else:
        inside = set()

    def related(target: ProvisionPath) -> bool:
        n = min(len(target), len(path))
        return target[:n] == path[:n] or target[:1] in inside

    return [c for c in _all_changes(store) if related(from_iri(c.provision_iri))]


def before_after(store: ox.Store, change: Change) -> tuple[str | None, str | None]:
    """The provision's text (its heading, for a change of the heading) just
    before and just after a change: None before an insertion, after a deletion."""
    found = versions(store, change.provision_iri)
    before = next((v for v in found if v.end is not None and v.end + timedelta(days=1) == change.date), None)
    after = next((v for v in found if v.start == change.date), None)
    if change.part == "heading":
        return (before.title if before else None), (after.title if after else None)
    return (before.text if before else None), (after.text if after else None)


def chapters_of(store: ox.Store, iris: list[str]) -> dict[str, str]:
    """The chapter or annex each provision sits in, as a label ("Chapter V — GENERAL-PURPOSE AI MODELS")."""
    rows = select(store, """SELECT ?p ?c ?title WHERE { ?p eli:is_part_of+ ?top . ?top eli:is_part_of ?act ;
        gpai:citation ?c . ?act a gpai:Act . OPTIONAL { ?top eli:title ?title } }""")
    tops = {r["p"]: f"{r['c']} — {r['title']}" if r.get("title") else r["c"] for r in rows}
    heads = {r["p"]: f"{r['c']} — {r['title']}" if r.get("title") else r["c"] for r in select(
        store, """SELECT ?p ?c ?title WHERE { ?p eli:is_part_of ?act ; gpai:citation ?c . ?act a gpai:Act .
        OPTIONAL { ?p eli:title ?title } }""")}
    return {iri: tops.get(iri) or heads.get(iri, "") for iri in iris}
