"""The acts amending Regulation (EU) 2024/1689 as works of their own, and every
change they made, linked both ways to the provisions changed.

For each amending act (Regulation (EU) 2026/1744, ``…/reg/2026/1744/oj``, a
``gpai:AmendingAct``): its title, dates, CELEX and OJ reference, and its
recitals and articles verbatim down to the points of the amending article,
each a ``gpai:AmendingProvision`` citable as "Regulation (EU) 2026/1744,
Article 1, point (21)" (``gpai:citation``) with an ELI-style IRI
(``…/reg/2026/1744/art_1/pnt_21/oj``); a point that carries an instruction
has its wording as ``gpai:instruction`` ("in Article 56, paragraph 6 is
replaced by the following:").

Each change (``gpai_kg.builder.versions.Change``) links the point and the most
specific provision it acts on both ways (``eli:amends`` / ``eli:amended_by``,
ELI's sub-property of ``eli:changes``), and is a ``gpai:Change`` node of its
own with the kind as the act words it (``gpai:changeKind`` replaced,
inserted, added, deleted), the part touched (``gpai:changedPart`` heading or
intro, where not the whole), the date it took effect (``gpai:effectiveDate``),
the versions before and after (``gpai:previousVersion``,
``gpai:resultingVersion``, where the provision has version nodes) and the
readings the wording needed (``gpai:reading``).
"""

from __future__ import annotations

from datetime import timedelta

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from gpai_kg.builder.versions import Timeline, Version
from gpai_kg.builder.versions_graph import provision_version_iri
from gpai_kg.citations import ProvisionPath, format_citation, to_iri
from gpai_kg.namespaces import ACT_IRI, ELI, GKG, GPAI, bind_prefixes, kebab
from gpai_kg.sources.amending_act import AmendingAct, cite
from gpai_kg.sources.formex import Provision

EURLEX_CELEX = "https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:"


def _date(value) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _steps(path: ProvisionPath) -> str:
    return kebab("-".join(f"{k}-{v}" for k, v in path))


def change_iri(act: AmendingAct, point: ProvisionPath, target: ProvisionPath) -> URIRef:
    """``gkg:change/regulation-eu-2026-1744/art-1-pnt-21/art-56-par-6``."""
    return GKG[f"change/{kebab(act.citation)}/{_steps(point)}/{_steps(target)}"]


def _act(g: Graph, act: AmendingAct) -> None:
    work = URIRef(act.eli)
    g.add((work, RDF.type, GPAI.AmendingAct))
    g.add((work, ELI.title, Literal(act.title, lang="en")))
    g.add((work, GPAI.citation, Literal(act.citation)))
    g.add((work, RDFS.label, Literal(act.citation)))
    g.add((work, ELI.id_local, Literal(act.celex)))
    g.add((work, GPAI.celex, Literal(act.celex)))
    g.add((work, GPAI.ojReference, Literal(
        f"OJ L, {act.citation.rsplit(' ', 1)[-1]}, {act.date_publication.day}.{act.date_publication.month}."
        f"{act.date_publication.year}")))
    g.add((work, ELI.date_document, _date(act.date_document)))
    g.add((work, ELI.date_publication, _date(act.date_publication)))
    g.add((work, ELI.first_date_entry_in_force, _date(act.date_entry_into_force)))
    g.add((work, GPAI.eurLexUrl, Literal(EURLEX_CELEX + act.celex, datatype=XSD.anyURI)))
    g.add((work, ELI.amends, URIRef(ACT_IRI)))
    g.add((URIRef(ACT_IRI), ELI.amended_by, work))
    g.add((work, GPAI.within, work))
    instructions = {p.path: p.text for top in act.points for p in top.walk()}
    order = 0

    def emit(node: Provision, containers: tuple[URIRef, ...]) -> None:
        nonlocal order
        order += 1
        iri, parent = URIRef(act.iri(node.path)), containers[0]
        g.add((iri, RDF.type, GPAI.AmendingPoint if node.path in instructions else GPAI.AmendingProvision))
        g.add((iri, ELI.is_part_of, parent))
        g.add((parent, ELI.has_part, iri))
        for container in (iri, *containers):  # eli:is_part_of*, written out (gpai:within)
            g.add((iri, GPAI.within, container))
        g.add((iri, ELI.number, Literal(node.number)))
        g.add((iri, GPAI.citation, Literal(cite(act.citation, node.path))))
        g.add((iri, RDFS.label, Literal(cite(act.citation, node.path))))
        g.add((iri, GPAI.order, Literal(order)))
        if node.title:
            g.add((iri, ELI.title, Literal(node.title, lang="en")))
        if node.text:
            g.add((iri, GPAI.text, Literal(node.text, lang="en")))
        if node.path in instructions:
            g.add((iri, GPAI.instruction, Literal(instructions[node.path], lang="en")))
        for part in node.parts:
            emit(part, (iri, *containers))

    for node in [*act.recitals, *act.articles]:
        emit(node, (work,))


def _version(law: Timeline, path: ProvisionPath, test) -> Version | None:
    history = law.histories[path]
    if len(history.versions) < 2:
        return None
    return next((v for v in history.versions if test(v)), None)


def amendments_graph(law: Timeline) -> Graph:
    """The amending acts and their changes (see the module docstring)."""
    g = Graph()
    bind_prefixes(g)
    for act in [e.act for e in law.expressions if e.act is not None]:
        _act(g, act)
    for change in law.changes:
        point, target = URIRef(change.act.iri(change.point.path)), URIRef(to_iri(change.target))
        g.add((point, ELI.amends, target))
        g.add((target, ELI.amended_by, point))
        node = change_iri(change.act, change.point.path, change.target)
        g.add((node, RDF.type, GPAI.Change))
        g.add((node, RDFS.label, Literal(f"{format_citation(change.target)}"
                                         + (f" ({change.part})" if change.part else "")
                                         + f" {change.kind} by {change.point.citation}, from {change.date}",
                                         lang="en")))
        g.add((node, GPAI.amendingPoint, point))
        g.add((node, GPAI.amendedProvision, target))
        g.add((node, GPAI.changeKind, Literal(change.kind)))
        if change.part:
            g.add((node, GPAI.changedPart, Literal(change.part)))
        g.add((node, GPAI.effectiveDate, _date(change.date)))
        before = _version(law, change.target, lambda v: v.end is not None and v.end + timedelta(days=1) == change.date)
        after = _version(law, change.target, lambda v: v.start == change.date)
        if before is not None:
            g.add((node, GPAI.previousVersion, provision_version_iri(before)))
        if after is not None:
            g.add((node, GPAI.resultingVersion, provision_version_iri(after)))
        for reading in change.readings:
            g.add((node, GPAI.reading, Literal(reading, lang="en")))
    return g
