"""The Act's versions as RDF (ELI): each version of the whole Act, and each
version of every provision that has had more than one text.

Whole Act (the work ``…/reg/2024/1689/oj`` ``eli:has_member`` its versions):

    <…/reg/2024/1689/2024-08-01> a gpai:ActVersion ;        # the OJ original, in force
        eli:is_member_of aiact:oj ;                           #   1 August 2024 - 26 July 2026
        eli:first_date_entry_in_force "2024-08-01" ; eli:date_no_longer_in_force "2026-07-26" ;
        eli:is_realized_by <…/reg/2024/1689/oj/eng> .         # its English text: the OJ's
    <…/reg/2024/1689/2026-07-27> a gpai:ActVersion ;        # as amended by 2026/1744 (the ELI of the
        eli:first_date_entry_in_force "2026-07-27" ;          #   Publications Office's consolidated version)
        eli:consolidates <…/reg/2026/1744/oj> ;
        eli:is_realized_by <…/reg/2024/1689/2026-07-27/eng> .

A provision (``…/art_56/par_6/oj``) with more than one text ``eli:has_member``
one ``gpai:ProvisionVersion`` per text (``…/art_56/par_6/2024-08-01``,
``…/art_56/par_6/2026-07-27``), each with its dates, ``eli:version_date``, its
verbatim ``gpai:text`` (and ``eli:title``), its references (``eli:cites``,
resolved in the Act as it stood on that version's first day; no
``eli:cited_by`` back: what cites a provision on a date is read from the
version in force then) and
``gpai:inExpression``, the expression of the Act whose words it quotes. A
provision with one text has no version nodes: its ``gpai:text`` and its own
dates (``gpai_kg.builder.act_graph``) say it all. The amending points that
made each change are in ``gpai_kg.builder.amendments_graph``.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from gpai_kg.builder.act_graph import References, add_references
from gpai_kg.builder.versions import Expression, Timeline, Version
from gpai_kg.citations import expression_iri, format_citation, to_iri, version_iri
from gpai_kg.namespaces import ACT_IRI, ELI, GPAI, bind_prefixes


def _date(value) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def act_version_iri(expression: Expression) -> URIRef:
    return URIRef(version_iri((), expression.start.isoformat()))


def provision_version_iri(version: Version) -> URIRef:
    return URIRef(version_iri(version.path, version.start.isoformat()))


def _interval(g: Graph, node: URIRef, start, end) -> None:
    g.add((node, ELI.first_date_entry_in_force, _date(start)))
    g.add((node, ELI.version_date, _date(start)))
    if end:
        g.add((node, ELI.date_no_longer_in_force, _date(end)))


def versions_graph(law: Timeline, references: References) -> Graph:
    """The versions of the Act and of its provisions (see the module docstring)."""
    g = Graph()
    bind_prefixes(g)
    work = URIRef(ACT_IRI)
    for expression in law.expressions:
        node, text = act_version_iri(expression), URIRef(expression_iri(expression.key))
        g.add((node, RDF.type, GPAI.ActVersion))
        g.add((node, ELI.is_member_of, work))
        g.add((work, ELI.has_member, node))
        _interval(g, node, expression.start, expression.end)
        g.add((node, ELI.is_realized_by, text))
        g.add((text, ELI.realizes, node))
        if expression.act is not None:
            g.add((node, ELI.consolidates, URIRef(expression.act.eli)))
        g.add((node, RDFS.label, Literal(
            f"{format_citation(())}, "
            + ("as published in the Official Journal" if expression.act is None
               else f"as amended by {expression.act.citation}")
            + f", in force from {expression.start.isoformat()}", lang="en")))
    for path, history in law.histories.items():
        if len(history.versions) < 2:
            continue
        provision = URIRef(to_iri(path))
        for version in history.versions:
            node = provision_version_iri(version)
            g.add((node, RDF.type, GPAI.ProvisionVersion))
            g.add((node, ELI.is_member_of, provision))
            g.add((provision, ELI.has_member, node))
            g.add((node, RDFS.label, Literal(f"{format_citation(path)}, in force from {version.start.isoformat()}",
                                             lang="en")))
            _interval(g, node, version.start, version.end)
            g.add((node, GPAI.inExpression, URIRef(expression_iri(version.expression.key))))
            if version.node.title:
                g.add((node, ELI.title, Literal(version.node.title, lang="en")))
            if version.node.text:
                g.add((node, GPAI.text, Literal(version.node.text, lang="en")))
            add_references(g, node, path, references[version.expression.key].get(path, ()), inverse=False)
    return g
