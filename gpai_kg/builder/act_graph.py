"""The parsed Act as RDF: ELI structure, verbatim text, citations, links.

Vocabulary: ELI (``eli:is_part_of``/``eli:has_part``, ``eli:cites``/
``eli:cited_by``, ``eli:number``, ``eli:title``, ``eli:first_date_entry_in_force``,
``eli:date_no_longer_in_force``) and ``ontology/gpai-kg.ttl``
(``gpai:citation``, ``gpai:text``, ``gpai:order``, ``gpai:eurLexUrl``).
A provision's ``gpai:text`` is its latest text (the law of the newest
version in the sources; for a deleted provision, the text it had last); its
texts over time are its versions (``gpai_kg.builder.versions_graph``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from gpai_kg.builder.glossary import relate_definitions
from gpai_kg.builder.versions import Timeline
from gpai_kg.citations import (
    CitationIndex,
    ProvisionPath,
    eurlex_anchor,
    eurlex_url,
    format_citation,
    to_iri,
)
from gpai_kg.namespaces import ACT_IRI, ELI, GKG, GPAI, bind_prefixes, kebab
from gpai_kg.sources.crossrefs import Reference
from gpai_kg.sources.formex import ParsedAct, Provision

#: The references found in each expression's text: expression key -> provision path -> references.
References = dict[str, dict[ProvisionPath, list[Reference]]]

CLASS_OF_KIND = {
    "chapter": GPAI.Chapter,
    "section": GPAI.Section,
    "article": GPAI.Article,
    "paragraph": GPAI.Paragraph,
    "subparagraph": GPAI.Subparagraph,
    "point": GPAI.Point,
    "recital": GPAI.Recital,
    "annex": GPAI.Annex,
}

CELEX_NUMBER = "32024R1689"
OJ_REFERENCE = "OJ L, 2024/1689, 12.7.2024"
DEFINITIONS_SCHEME = GKG["definitions"]


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def add_references(g: Graph, iri: URIRef, path: ProvisionPath, refs: Iterable[Reference],
                   inverse: bool = True) -> None:
    """``eli:cites`` (and, with ``inverse``, ``eli:cited_by``) for the references
    of one text of the provision at ``path``."""
    for ref in refs:
        targets = [URIRef(to_iri(t)) for t in ref.targets if t != path[:len(t)]]  # "this Article" is no citation
        for target in targets + [URIRef(e) for e in ref.external]:
            g.add((iri, ELI.cites, target))
            if inverse:
                g.add((target, ELI.cited_by, iri))


def act_graph(act: ParsedAct, law: Timeline, references: References) -> Graph:
    """The Act's tree, text and cross-references as one graph: every provision
    that has ever been in force, with the text, title and references of its
    latest version (its versions: ``gpai_kg.builder.versions_graph``) and the
    dates it has been in force."""
    g = Graph()
    bind_prefixes(g)
    work = URIRef(ACT_IRI)
    g.add((work, RDF.type, GPAI.Act))
    g.add((work, ELI.title, _en(act.title)))
    g.add((work, ELI.id_local, Literal(CELEX_NUMBER)))
    g.add((work, GPAI.celex, Literal(CELEX_NUMBER)))
    g.add((work, GPAI.ojReference, Literal(OJ_REFERENCE)))
    g.add((work, ELI.date_document, Literal(act.date_document, datatype=XSD.date)))
    g.add((work, ELI.date_publication, Literal(act.date_publication, datatype=XSD.date)))
    g.add((work, ELI.first_date_entry_in_force, Literal(law.expressions[0].start, datatype=XSD.date)))
    g.add((work, GPAI.citation, Literal(format_citation(()))))
    g.add((work, RDFS.label, Literal(format_citation(()))))
    g.add((work, GPAI.eurLexUrl, Literal(eurlex_url(()), datatype=XSD.anyURI)))
    g.add((work, GPAI.within, work))
    within: dict = {(): (work,)}  # eli:is_part_of*, written out (gpai:within): itself and every container
    for order, (path, parent) in enumerate(law.walk(), 1):
        history = law.histories[path]
        node = history.latest.node
        iri, up = URIRef(to_iri(path)), URIRef(to_iri(parent))
        g.add((iri, RDF.type, CLASS_OF_KIND[node.kind]))
        g.add((iri, ELI.is_part_of, up))
        g.add((up, ELI.has_part, iri))
        within[path] = (iri, *within[parent])
        for container in within[path]:
            g.add((iri, GPAI.within, container))
        g.add((iri, ELI.number, Literal(node.number)))
        g.add((iri, GPAI.citation, Literal(format_citation(path))))
        g.add((iri, RDFS.label, Literal(format_citation(path))))
        g.add((iri, GPAI.order, Literal(order)))
        g.add((iri, ELI.first_date_entry_in_force, Literal(history.start, datatype=XSD.date)))
        if history.end:
            g.add((iri, ELI.date_no_longer_in_force, Literal(history.end, datatype=XSD.date)))
        if node.title:
            g.add((iri, ELI.title, _en(node.title)))
        if node.text:
            g.add((iri, GPAI.text, _en(node.text)))
        if eurlex_anchor(path):
            g.add((iri, GPAI.eurLexUrl, Literal(eurlex_url(path), datatype=XSD.anyURI)))
        add_references(g, iri, path, references[history.latest.expression.key].get(path, ()))
    names: dict[str, str] = {}
    for by_path in references.values():
        for refs in by_path.values():
            for ref in refs:
                for external in ref.external:
                    names.setdefault(external, _external_name(external, ref.phrase))
    for external, name in sorted(names.items()):
        g.add((URIRef(external), RDF.type, GPAI.ExternalAct))
        g.add((URIRef(external), RDFS.label, Literal(name)))
    return g


_ACT_NAME = re.compile(
    r"(?:Council |Commission )?(?:Implementing |Delegated )?(?:Framework )?"
    r"(?:Regulation|Directive|Decision)(?: \((?:EU|EC|EEC|EU, Euratom)\))?(?: No)? (\d+/\d+(?:/[A-Z]+)?)")
_ELI_TYPES = {"reg": "Regulation", "dir": "Directive", "dec": "Decision", "dec_framw": "Framework Decision"}


def _external_name(iri: str, phrase: str) -> str:
    """A readable name for a cited act: as the citing phrase writes it when it
    names that act's number, else built from its ELI."""
    m = re.match(r"http://data\.europa\.eu/eli/([a-z_]+)/(\d{4})/(\d+)/oj$", iri)
    if m:
        year, number = m.group(2), m.group(3)
        for found in _ACT_NAME.finditer(phrase):
            parts = set(found.group(1).split("/"))
            if number in parts and (year in parts or year[2:] in parts):
                return found.group(0)
        return f"{_ELI_TYPES.get(m.group(1), m.group(1))} {year}/{number}"
    return {"12016E/TXT": "Treaty on the Functioning of the European Union",
            "12016M/TXT": "Treaty on European Union",
            "12016P/TXT": "Charter of Fundamental Rights of the European Union"}.get(iri.rsplit("celex/", 1)[-1], iri)


_TERM = re.compile(r"^\u2018([^\u2019]+)\u2019")


def definitions_graph(act: ParsedAct) -> Graph:
    """Article 3's definitions as a SKOS concept scheme, one concept each."""
    g = Graph()
    bind_prefixes(g)
    article_3 = (("art", "3"),)
    g.add((DEFINITIONS_SCHEME, RDF.type, SKOS.ConceptScheme))
    title = _en("Definitions of Article 3 of Regulation (EU) 2024/1689")
    g.add((DEFINITIONS_SCHEME, SKOS.prefLabel, title))
    g.add((DEFINITIONS_SCHEME, RDFS.label, title))
    g.add((DEFINITIONS_SCHEME, DCTERMS.source, URIRef(to_iri(article_3))))
    for node in act.provisions():
        if node.kind != "point" or node.path[:1] != article_3 or len(node.path) != 2:
            continue
        m = _TERM.match(node.text)
        if not m:
            continue
        term = m.group(1)
        concept = GKG[f"definition/{kebab(term)}"]
        point = URIRef(to_iri(node.path))
        g.add((concept, RDF.type, GPAI.Definition))
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.prefLabel, _en(term)))
        # rdfs:label for OWL tools (ROBOT, Protégé), told apart from the class of the same name (gpai:Provider)
        g.add((concept, RDFS.label, _en(f"{term} (defined in {format_citation(node.path)})")))
        g.add((concept, SKOS.definition, _en(node.text)))
        g.add((concept, SKOS.notation, Literal(format_citation(node.path))))
        g.add((concept, SKOS.inScheme, DEFINITIONS_SCHEME))
        g.add((DEFINITIONS_SCHEME, SKOS.hasTopConcept, concept))
        g.add((concept, SKOS.topConceptOf, DEFINITIONS_SCHEME))
        g.add((concept, GPAI.definedBy, point))
        g.add((concept, DCTERMS.source, point))
    relate_definitions(g, DEFINITIONS_SCHEME)  # skos:broader/narrower/related from the words (gpai_kg.glossary)
    return g


def recital_links_graph(rows: Iterable[dict[str, str]], index: CitationIndex) -> Graph:
    """``gpai:explains`` links from the documented recital table."""
    g = Graph()
    bind_prefixes(g)
    for row in rows:
        recital = URIRef(to_iri((("rct", row["recital"].strip()),)))
        target = URIRef(to_iri(index.resolve(row["provision"])))
        g.add((recital, GPAI.explains, target))
        g.add((target, GPAI.explainedBy, recital))
    return g
