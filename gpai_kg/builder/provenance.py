"""Which text the graph holds, where it came from, and when it was built (PROV-O, ELI).

The graph records:

- the *expression* it holds: the work ``<…/eli/reg/2024/1689/oj>``
  ``eli:is_realized_by`` the English text as published in the Official Journal
  on 12.7.2024, ``<…/oj/eng>`` (an ``eli:LegalExpression`` with
  ``eli:language`` and ``eli:date_publication``), embodied by the Formex 4
  package the build reads (``eli:is_embodied_by``);
- every source file the build reads, as a ``prov:Entity`` with its SHA-256
  (SPDX checksum, ``spdx:checksumValue``);
- every built named graph (``https://w3id.org/gpai-kg/graph/<file stem>``) as a
  ``prov:Entity`` that ``prov:wasDerivedFrom`` its sources (and, for the text
  of the Act, the expression) and ``prov:wasGeneratedBy`` the build activity,
  ``prov:wasAssociatedWith`` gpai-kg at its version.

When: the build must be byte-identical from run to run, so it is not dated by
the clock. It is dated by its inputs: the newest retrieval date recorded in the
Formex package's ``MANIFEST.json`` (``retrieved_at``; 2026-07-08). Neither
``SOURCE_DATE_EPOCH`` nor the git commit date is used: the committed graph must
equal what the build makes in any environment (tests/test_build.py), and
both of those change without the sources changing. See docs/versioning.md for
how a consolidated or amended text would sit beside this one.

PROV-O: https://www.w3.org/TR/prov-o/ · ELI ontology:
https://op.europa.eu/en/web/eu-vocabularies/eli · SPDX 2.3 RDF:
https://spdx.github.io/spdx-spec/v2.3/RDF-object-model-and-identifier-syntax/
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from gpai_kg import __version__
from gpai_kg.builder.versions import Timeline
from gpai_kg.citations import expression_iri
from gpai_kg.errors import UserError
from gpai_kg.namespaces import ACT_IRI, ELI, GKG, GRAPH, bind_prefixes

SPDX = Namespace("http://spdx.org/rdf/terms#")
#: The English text as published in the OJ (ELI expression IRI: work + language).
EXPRESSION = URIRef(ACT_IRI + "/eng")
LANGUAGE_EN = URIRef("http://publications.europa.eu/resource/authority/language/ENG")
MEDIA_XML = URIRef("http://www.iana.org/assignments/media-types/application/xml")
SOFTWARE = GKG[f"software/gpai-kg-{__version__}"]

FORMEX = ("ai-act", "formex")
MANIFEST = "MANIFEST.json"


def build_date(sources: Path) -> str:
    """The date the build is stamped with: the newest ``retrieved_at`` of the
    Formex package's manifest (YYYY-MM-DD)."""
    path = sources.joinpath(*FORMEX, MANIFEST)
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["snapshots"]
        dates = sorted(e["retrieved_at"] for e in entries if e.get("retrieved_at"))
    except FileNotFoundError:
        raise UserError(f"{path}: source manifest missing (the build is dated by its retrieval dates)") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise UserError(f"{path}: unreadable manifest ({exc})") from None
    if not dates:
        raise UserError(f"{path}: no retrieved_at date in the manifest")
    return dates[-1]


def _source_node(g: Graph, path: Path, local: str, label: str) -> URIRef:
    """A source file as a prov:Entity (``gkg:<local>``) with its SHA-256."""
    node = GKG[local]
    checksum = URIRef(f"{node}#sha256")
    g.add((node, RDF.type, PROV.Entity))
    g.add((node, RDFS.label, Literal(label, lang="en")))
    g.add((node, DCTERMS.identifier, Literal(f"data/{local}")))
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, RDFS.label, Literal(f"SHA-256 of data/{local}", lang="en")))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(path.read_bytes()).hexdigest(),
                                                 datatype=XSD.hexBinary)))
    return node


def _expression(g: Graph, iri: URIRef, work: URIRef, label: str, published, package: URIRef,
                package_label: str) -> None:
    """An English expression as published in the OJ, embodied by a Formex package."""
    g.add((work, ELI.is_realized_by, iri))
    g.add((iri, RDF.type, ELI.LegalExpression))
    g.add((iri, RDF.type, PROV.Entity))
    g.add((iri, ELI.realizes, work))
    g.add((iri, RDFS.label, Literal(label, lang="en")))
    g.add((iri, ELI.language, LANGUAGE_EN))
    g.add((iri, ELI.date_publication, Literal(str(published), datatype=XSD.date)))
    g.add((iri, ELI.is_embodied_by, package))
    g.add((package, RDF.type, ELI.Format))
    g.add((package, RDF.type, PROV.Entity))
    g.add((package, RDFS.label, Literal(package_label, lang="en")))
    g.add((package, ELI.embodies, iri))
    g.add((package, ELI["format"], MEDIA_XML))


def _consolidations(g: Graph, sources: Path, law: Timeline) -> dict[Path, URIRef]:
    """Each expression the engine made (the Act as an amending act left it) and
    the Publications Office's consolidated text it was checked against: a
    documentation tool with no legal effect, never a source of the text."""
    files: dict[Path, URIRef] = {}
    for expression in law.expressions[1:]:
        iri = URIRef(expression_iri(expression.key))
        g.add((URIRef(ACT_IRI), ELI.is_realized_by, iri))
        g.add((iri, RDF.type, ELI.LegalExpression))
        g.add((iri, RDF.type, PROV.Entity))
        g.add((iri, ELI.realizes, URIRef(ACT_IRI)))
        g.add((iri, ELI.language, LANGUAGE_EN))
        g.add((iri, RDFS.label, Literal(
            f"Regulation (EU) 2024/1689 as amended by {expression.act.citation}, English text in force from "
            f"{expression.start.isoformat()}: consolidated by gpai-kg from the authentic texts; a documentation "
            "version with no legal effect", lang="en")))
        g.add((iri, PROV.wasDerivedFrom, EXPRESSION))
        g.add((iri, PROV.wasDerivedFrom, URIRef(expression.act.eli + "/eng")))
        folder = sources / "ai-act" / f"consolidated-{expression.key}"
        if folder.is_dir():
            check = GKG[f"sources/ai-act/consolidated-{expression.key}"]
            g.add((check, RDF.type, PROV.Entity))
            g.add((check, RDFS.label, Literal(
                f"The Publications Office's consolidated text of {expression.key} (Formex CONS.ACT): a "
                "documentation tool with no legal effect, used only to check the engine", lang="en")))
            g.add((iri, RDFS.seeAlso, check))
            for path in sorted(folder.glob("*.xml")):
                files[path] = check
    return files


def provenance_graph(sources: Path, curated: Path, derived_from: dict[str, Iterable[Path]],
                     date_publication: str, law: Timeline) -> Graph:
    """The provenance of the built graphs named in ``derived_from`` (file stem ->
    the source files it is built from; the Formex files mean the OJ texts)."""
    g = Graph()
    bind_prefixes(g)
    g.bind("spdx", SPDX)
    date = build_date(sources)
    when = Literal(f"{date}T00:00:00Z", datatype=XSD.dateTime)

    work, expression = URIRef(ACT_IRI), EXPRESSION
    package = GKG["sources/" + "/".join(FORMEX)]
    _expression(g, expression, work, "Regulation (EU) 2024/1689, English text as published in the Official Journal "
                "(OJ L, 2024/1689, 12.7.2024)", date_publication, package,
                "Formex 4 XML of the Official Journal, retrieved from Cellar")
    embodied: dict[Path, tuple[URIRef, URIRef]] = {p: (package, expression)
                                                   for p in sources.joinpath(*FORMEX).glob("*.xml")}
    for act in [e.act for e in law.expressions if e.act is not None]:
        amending_package = GKG[f"sources/{act.source_dir.relative_to(sources).as_posix()}"]
        amending_text = URIRef(act.eli + "/eng")
        _expression(g, amending_text, URIRef(act.eli), f"{act.citation}, English text as published in the Official "
                    "Journal (authentic)", act.date_publication, amending_package,
                    f"Formex 4 XML of {act.citation} in the Official Journal")
        embodied.update({p: (amending_package, amending_text) for p in act.source_dir.glob("*.xml")})
    documentation = _consolidations(g, sources, law)

    activity = GKG[f"activity/build-{date}"]
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal(f"gpai-kg build of {date}", lang="en")))
    g.add((activity, RDFS.comment, Literal(
        "Dated by its inputs, not by the clock: the newest retrieval date of the sources "
        "(retrieved_at in data/sources/ai-act/formex/MANIFEST.json), so that builds are byte-identical.",
        lang="en")))
    g.add((activity, PROV.endedAtTime, when))
    g.add((activity, PROV.wasAssociatedWith, SOFTWARE))
    g.add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
    g.add((SOFTWARE, RDFS.label, Literal(f"gpai-kg {__version__}")))
    g.add((SOFTWARE, DCTERMS.hasVersion, Literal(__version__)))

    nodes: dict[Path, URIRef] = {}
    for name, files in sorted(derived_from.items()):
        entity = GRAPH[name]
        g.add((entity, RDF.type, PROV.Entity))
        g.add((entity, RDFS.label, Literal(f"gpai-kg named graph {name} (data/graph/{name}.ttl)", lang="en")))
        g.add((entity, PROV.wasGeneratedBy, activity))
        g.add((entity, PROV.generatedAtTime, when))
        for path in sorted(files):
            if path not in nodes:
                nodes[path] = _file(g, sources, curated, path, embodied)
                g.add((activity, PROV.used, nodes[path]))
            g.add((entity, PROV.wasDerivedFrom, nodes[path]))
            if path in embodied:
                g.add((entity, PROV.wasDerivedFrom, embodied[path][1]))
    for path, check in sorted(documentation.items()):
        node = _file(g, sources, curated, path, {})
        g.add((check, DCTERMS.hasPart, node))
        g.add((activity, PROV.used, node))
    return g


def _file(g: Graph, sources: Path, curated: Path, path: Path, embodied: dict[Path, tuple[URIRef, URIRef]]) -> URIRef:
    local = (f"sources/{path.relative_to(sources).as_posix()}" if path.is_relative_to(sources)
             else f"curated/{path.relative_to(curated).as_posix()}")
    if path in embodied:
        node = _source_node(g, path, local, f"Formex 4 file {path.name} of the OJ text")
        g.add((embodied[path][0], DCTERMS.hasPart, node))
        return node
    return _source_node(g, path, local, f"source file {path.name}")
