"""``ontology/shapes.ttl``: a small conforming graph passes; each kind of damage
is reported by the shape that states the rule it breaks.

The fixture is a skeleton of the Act (the Act node, Chapter V, Articles 1-113,
Recitals 1-180, Annexes I-XIII, a few paragraphs and points) plus one node of
each law-as-data class, with the ontology mixed in as the build does
(``gpai_kg.validation``: inference "none", the ontology in the data graph).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from gpai_kg import paths
from gpai_kg.citations import format_citation, to_iri
from gpai_kg.namespaces import ACT_IRI, ELI, GKG, GPAI

SHAPE = "https://w3id.org/gpai-kg/shapes#"
# XSD datatypes as plain IRIs (rdflib's XSD namespace object warns when pytest inspects it).
XSD_DATE, XSD_DOUBLE, XSD_DECIMAL = (
    URIRef(f"http://www.w3.org/2001/XMLSchema#{t}") for t in ("date", "double", "decimal"))
ROMANS = "I II III IV V VI VII VIII IX X XI XII XIII".split()
ACT = URIRef(ACT_IRI)
ENTRY = Literal("2024-08-01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))


def iri(*steps: tuple[str, str]) -> URIRef:
    return URIRef(to_iri(tuple(steps)))


ART_42 = iri(("art", "42"))
PAR_53_1 = iri(("art", "53"), ("par", "1"))
PNT_53_1_A = iri(("art", "53"), ("par", "1"), ("pnt", "a"))
PAR_53_2 = iri(("art", "53"), ("par", "2"))
PNT_3_63 = iri(("art", "3"), ("pnt", "63"))
CPT_V = iri(("cpt", "V"))
DIRECTIVE_2019_790 = URIRef("http://data.europa.eu/eli/dir/2019/790/oj")
OBLIGATION = GKG["obligation/art-53-1-a"]
EXEMPTION = GKG["exemption/art-53-2"]
THRESHOLD = GKG["threshold/art-51-2"]
DEADLINE = GKG["deadline/art-113-sub-3-b"]
PENALTY = GKG["penalty/art-101-1"]
POWER = GKG["power/art-91-1"]
DEFINITION = GKG["definition/general-purpose-ai-model"]
GUIDANCE = GKG["guidance/c-2025-5045"]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(paths.ONTOLOGY_DIR / "shapes.ttl", format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(paths.ONTOLOGY_DIR / "gpai-kg.ttl", format="turtle")


def _provision(g: Graph, kind: URIRef, path: tuple, parent: URIRef,
               title: str | None = None, text: bool = True) -> URIRef:
    node = URIRef(to_iri(path))
    g.add((node, RDF.type, kind))
    g.add((node, ELI.is_part_of, parent))
    g.add((parent, ELI.has_part, node))
    g.add((node, ELI.number, Literal(path[-1][1])))
    g.add((node, GPAI.citation, Literal(format_citation(path))))
    g.add((node, ELI.first_date_entry_in_force, ENTRY))
    if title:
        g.add((node, ELI.title, Literal(title, lang="en")))
    if text:
        g.add((node, GPAI.text, Literal(f"Text of {format_citation(path)}.", lang="en")))
    return node


AMENDING_POINT = URIRef("http://data.europa.eu/eli/reg/2026/1744/art_1/pnt_21/oj")
CHANGE = GKG["change/regulation-eu-2026-1744/art-1-pnt-21/art-53-par-2"]


def _dated(g: Graph, node: URIRef, prop: URIRef, value: Literal, basis: URIRef) -> URIRef:
    dated = URIRef(f"{node}-{prop.rsplit('#', 1)[-1]}-from-2024-08-01")
    g.add((node, GPAI.hasValue, dated))
    g.add((dated, RDF.type, GPAI.DatedValue))
    g.add((dated, GPAI.valueOf, prop))
    g.add((dated, GPAI.value, value))
    g.add((dated, GPAI.validFrom, ENTRY))
    g.add((dated, GPAI.legalBasis, basis))
    return dated


def _version(g: Graph, provision: URIRef, start: str, end: str | None) -> URIRef:
    node = URIRef(str(provision).removesuffix("/oj") + "/" + start)
    g.add((node, RDF.type, GPAI.ProvisionVersion))
    g.add((node, ELI.is_member_of, provision))
    g.add((node, ELI.first_date_entry_in_force, Literal(start, datatype=XSD_DATE)))
    if end:
        g.add((node, ELI.date_no_longer_in_force, Literal(end, datatype=XSD_DATE)))
    g.add((node, GPAI.text, Literal(f"Text of {provision} from {start}.", lang="en")))
    g.add((node, GPAI.inExpression, URIRef(f"http://data.europa.eu/eli/reg/2024/1689/{start}/eng")))
    return node


def conforming_graph(ontology: Graph) -> Graph:
    """A small graph that satisfies every shape."""
    g = Graph()
    g += ontology
    g.add((ACT, RDF.type, GPAI.Act))
    g.add((ACT, GPAI.citation, Literal("Regulation (EU) 2024/1689")))
    g.add((ACT, ELI.first_date_entry_in_force, ENTRY))
    cpt_v = _provision(g, GPAI.Chapter, (("cpt", "V"),), ACT, title="GENERAL-PURPOSE AI MODELS", text=False)
    for n in range(1, 114):
        _provision(g, GPAI.Article, (("art", str(n)),), cpt_v, title=f"Title of Article {n}")
    for n in range(1, 181):
        _provision(g, GPAI.Recital, (("rct", str(n)),), ACT)
    for r in ROMANS:
        _provision(g, GPAI.Annex, (("anx", r),), ACT, title=f"Title of Annex {r}")
    _provision(g, GPAI.Point, (("art", "3"), ("pnt", "63")), iri(("art", "3")))
    _provision(g, GPAI.Paragraph, (("art", "53"), ("par", "1")), iri(("art", "53")))
    _provision(g, GPAI.Point, (("art", "53"), ("par", "1"), ("pnt", "a")), PAR_53_1)
    _provision(g, GPAI.Paragraph, (("art", "53"), ("par", "2")), iri(("art", "53")))
    # cross-references: to a provision and to another act
    g.add((PNT_53_1_A, ELI.cites, iri(("anx", "XI"))))
    g.add((PNT_53_1_A, ELI.cites, DIRECTIVE_2019_790))
    g.add((DIRECTIVE_2019_790, RDF.type, GPAI.ExternalAct))
    # a definition of Article 3
    g.add((DEFINITION, RDF.type, GPAI.Definition))
    g.add((DEFINITION, SKOS.prefLabel, Literal("general-purpose AI model", lang="en")))
    g.add((DEFINITION, SKOS.definition, Literal("Text of Article 3(63).", lang="en")))
    g.add((DEFINITION, SKOS.notation, Literal("Article 3(63)")))
    g.add((DEFINITION, GPAI.definedBy, PNT_3_63))
    # law as data
    g.add((DEADLINE, RDF.type, GPAI.Deadline))
    g.add((DEADLINE, RDFS.label, Literal("Article 113, third subparagraph, point (b)", lang="en")))
    _dated(g, DEADLINE, GPAI.date, Literal("2025-08-02", datatype=XSD_DATE), iri(("art", "113")))
    g.add((DEADLINE, GPAI.legalBasis, iri(("art", "113"))))
    g.add((OBLIGATION, RDF.type, GPAI.Obligation))
    g.add((OBLIGATION, RDFS.label, Literal("Article 53(1)(a) — technical documentation", lang="en")))
    g.add((OBLIGATION, GPAI.legalBasis, PNT_53_1_A))
    g.add((OBLIGATION, GPAI.bearer, GPAI.Provider))
    g.add((OBLIGATION, GPAI.appliesToModelClass, GPAI.GeneralPurposeAIModel))
    g.add((OBLIGATION, GPAI.appliesFrom, DEADLINE))
    g.add((EXEMPTION, RDF.type, GPAI.Exemption))
    g.add((EXEMPTION, RDFS.label, Literal("Article 53(2) — open-source exception", lang="en")))
    g.add((EXEMPTION, GPAI.legalBasis, PAR_53_2))
    g.add((EXEMPTION, GPAI.lifts, OBLIGATION))
    g.add((EXEMPTION, GPAI.exceptModelClass, GPAI.GeneralPurposeAIModelWithSystemicRisk))
    g.add((THRESHOLD, RDF.type, GPAI.Threshold))
    g.add((THRESHOLD, RDFS.label, Literal("Article 51(2) — 10^25 FLOP", lang="en")))
    _dated(g, THRESHOLD, GPAI.thresholdValue, Literal("1.0E25", datatype=XSD_DOUBLE), iri(("art", "51")))
    g.add((THRESHOLD, GPAI.unit, Literal("FLOP")))
    g.add((THRESHOLD, GPAI.comparison, Literal("greaterThan")))
    g.add((THRESHOLD, GPAI.legalBasis, iri(("art", "51"))))
    g.add((GUIDANCE, RDF.type, GPAI.GuidanceDocument))
    g.add((PENALTY, RDF.type, GPAI.Penalty))
    g.add((PENALTY, RDFS.label, Literal("Article 101(1) — fines", lang="en")))
    g.add((PENALTY, GPAI.legalBasis, iri(("art", "101"))))
    g.add((PENALTY, GPAI.holder, GPAI.Commission))
    g.add((PENALTY, GPAI.addressee, GPAI.Provider))
    _dated(g, PENALTY, GPAI.maxTurnoverShare, Literal("0.03", datatype=XSD_DECIMAL), iri(("art", "101")))
    _dated(g, PENALTY, GPAI.maxAmountEur, Literal("15000000", datatype=XSD_DECIMAL), iri(("art", "101")))
    # a provision an amending point replaced, with its two versions and the change
    _version(g, PAR_53_2, "2024-08-01", "2026-07-26")
    _version(g, PAR_53_2, "2026-07-27", None)
    g.add((AMENDING_POINT, RDF.type, GPAI.AmendingPoint))
    g.add((AMENDING_POINT, ELI.amends, PAR_53_2))
    g.add((CHANGE, RDF.type, GPAI.Change))
    g.add((CHANGE, GPAI.amendingPoint, AMENDING_POINT))
    g.add((CHANGE, GPAI.amendedProvision, PAR_53_2))
    g.add((CHANGE, GPAI.changeKind, Literal("replaced")))
    g.add((CHANGE, GPAI.effectiveDate, Literal("2026-07-27", datatype=XSD_DATE)))
    g.add((POWER, RDF.type, GPAI.Power))
    g.add((POWER, RDFS.label, Literal("Article 91(1) — request for information", lang="en")))
    g.add((POWER, GPAI.legalBasis, iri(("art", "91"))))
    g.add((POWER, GPAI.holder, GPAI.Commission))
    return g


def violations(data: Graph, shapes: Graph) -> set[tuple[str, str, str]]:
    """(shape local name, focus node, message) of every result; a nested
    property shape is reported under the node shape that holds it."""
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    owner = {prop: node for node, prop in shapes.subject_objects(SH.property)}
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        source = report.value(result, SH.sourceShape)
        source = owner.get(source, source)
        name = str(source).removeprefix(SHAPE) if not isinstance(source, BNode) else "?"
        found.add((name, str(report.value(result, SH.focusNode)), str(report.value(result, SH.resultMessage))))
    assert conforms == (not found)
    return found


def test_the_conforming_fixture_conforms(ontology, shapes):
    assert violations(conforming_graph(ontology), shapes) == set()


def _drop(g: Graph, s=None, p=None, o=None) -> None:
    for t in list(g.triples((s, p, o))):
        g.remove(t)


def _remove_node(g: Graph, node: URIRef) -> None:
    _drop(g, node)
    _drop(g, None, None, node)


Damage = Callable[[Graph], None]

CASES: list[tuple[str, Damage, str, URIRef, str]] = [
    # (test id, damage, shape that reports it, focus node, words of the message)
    ("a point with two parents",
     lambda g: g.add((PNT_53_1_A, ELI.is_part_of, PAR_53_2)),
     "ProvisionParentShape", PNT_53_1_A, "exactly one parent"),
    ("a paragraph with no parent",
     lambda g: _drop(g, PAR_53_1, ELI.is_part_of),
     "ProvisionParentShape", PAR_53_1, "exactly one parent"),
    ("a provision without text",
     lambda g: _drop(g, PAR_53_1, GPAI.text),
     "ProvisionTextShape", PAR_53_1, "verbatim text"),
    ("a provision with two citations",
     lambda g: g.add((PAR_53_1, GPAI.citation, Literal("Art. 53(1)"))),
     "ProvisionCitationShape", PAR_53_1, "exactly one gpai:citation"),
    ("an article without a title",
     lambda g: _drop(g, ART_42, ELI.title),
     "TitledProvisionShape", ART_42, "eli:title"),
    ("a chapter without a title",
     lambda g: _drop(g, CPT_V, ELI.title),
     "TitledProvisionShape", CPT_V, "eli:title"),
    ("a dangling eli:cites",
     lambda g: g.add((PNT_53_1_A, ELI.cites, iri(("art", "53"), ("par", "99")))),
     "CitesTargetShape", PNT_53_1_A, "dangling cross-reference"),
    ("an external act cited but not typed",
     lambda g: _drop(g, DIRECTIVE_2019_790, RDF.type),
     "CitesTargetShape", PNT_53_1_A, "dangling cross-reference"),
    ("an obligation without bearer",
     lambda g: _drop(g, OBLIGATION, GPAI.bearer),
     "ObligationShape", OBLIGATION, "gpai:bearer"),
    ("an obligation whose bearer is a model class, not an actor class",
     lambda g: (_drop(g, OBLIGATION, GPAI.bearer), g.add((OBLIGATION, GPAI.bearer, GPAI.GeneralPurposeAIModel))),
     "ObligationShape", OBLIGATION, "gpai:bearer"),
    ("an obligation without legal basis",
     lambda g: _drop(g, OBLIGATION, GPAI.legalBasis),
     "ObligationShape", OBLIGATION, "gpai:legalBasis"),
    ("a legal basis that is not a provision of the graph",
     lambda g: (_drop(g, OBLIGATION, GPAI.legalBasis),
                g.add((OBLIGATION, GPAI.legalBasis, iri(("art", "53"), ("par", "1"), ("pnt", "z"))))),
     "LegalBasisTargetShape", OBLIGATION, "provision of the Act"),
    ("an exemption that lifts nothing",
     lambda g: _drop(g, EXEMPTION, GPAI.lifts),
     "ExemptionShape", EXEMPTION, "gpai:lifts"),
    ("an exemption without legal basis",
     lambda g: _drop(g, EXEMPTION, GPAI.legalBasis),
     "ExemptionShape", EXEMPTION, "gpai:legalBasis"),
    ("a definition without definedBy",
     lambda g: _drop(g, DEFINITION, GPAI.definedBy),
     "DefinitionShape", DEFINITION, "gpai:definedBy"),
    ("a definition without skos:definition",
     lambda g: _drop(g, DEFINITION, SKOS.definition),
     "DefinitionShape", DEFINITION, "skos:definition"),
    ("a threshold without a value",
     lambda g: _drop(g, THRESHOLD, GPAI.hasValue),
     "ThresholdShape", THRESHOLD, "dated value (gpai:hasValue) of gpai:thresholdValue"),
    ("a dated threshold that is not a number",
     lambda g: (_drop(g, URIRef(f"{THRESHOLD}-thresholdValue-from-2024-08-01"), GPAI.value),
                g.add((URIRef(f"{THRESHOLD}-thresholdValue-from-2024-08-01"), GPAI.value, Literal("10^25")))),
     "DatedValueShape", URIRef(f"{THRESHOLD}-thresholdValue-from-2024-08-01"), "a date or a number"),
    ("a threshold value stated without its period",
     lambda g: g.add((THRESHOLD, GPAI.thresholdValue, Literal("1.0E26", datatype=XSD_DOUBLE))),
     "UndatedValueShape", THRESHOLD, "without its period"),
    ("a dated value without its first day",
     lambda g: _drop(g, URIRef(f"{PENALTY}-maxAmountEur-from-2024-08-01"), GPAI.validFrom),
     "DatedValueShape", URIRef(f"{PENALTY}-maxAmountEur-from-2024-08-01"), "gpai:validFrom"),
    ("a threshold with neither legal nor guidance basis",
     lambda g: _drop(g, THRESHOLD, GPAI.legalBasis),
     "ThresholdShape", THRESHOLD, "gpai:legalBasis (law) or a gpai:guidanceBasis"),
    ("a guidance basis that is not a guidance document",
     lambda g: g.add((THRESHOLD, GPAI.guidanceBasis, PNT_53_1_A)),
     "GuidanceBasisTargetShape", THRESHOLD, "gpai:GuidanceDocument"),
    ("a deadline whose date is a string",
     lambda g: (_drop(g, URIRef(f"{DEADLINE}-date-from-2024-08-01"), GPAI.value),
                g.add((URIRef(f"{DEADLINE}-date-from-2024-08-01"), GPAI.value, Literal("2 August 2025")))),
     "DatedValueShape", URIRef(f"{DEADLINE}-date-from-2024-08-01"), "a date or a number"),
    ("a penalty without a maximum",
     lambda g: _drop(g, PENALTY, GPAI.hasValue),
     "PenaltyShape", PENALTY, "maximum"),
    ("a provision without the day it entered into force",
     lambda g: _drop(g, PAR_53_1, ELI.first_date_entry_in_force),
     "ProvisionInForceShape", PAR_53_1, "eli:first_date_entry_in_force"),
    ("a version of no provision",
     lambda g: _drop(g, URIRef(str(PAR_53_2).removesuffix("/oj") + "/2026-07-27"), ELI.is_member_of),
     "ProvisionVersionShape", URIRef(str(PAR_53_2).removesuffix("/oj") + "/2026-07-27"), "eli:is_member_of"),
    ("a change of an unknown kind",
     lambda g: (_drop(g, CHANGE, GPAI.changeKind), g.add((CHANGE, GPAI.changeKind, Literal("repealed")))),
     "ChangeShape", CHANGE, "replaced, inserted, added or deleted"),
    ("a change whose point does not amend its provision",
     lambda g: _drop(g, AMENDING_POINT, ELI.amends),
     "ChangeShape", CHANGE, "must eli:amends"),
    ("a power without holder",
     lambda g: _drop(g, POWER, GPAI.holder),
     "PowerShape", POWER, "gpai:holder"),
    ("a missing article",
     lambda g: _remove_node(g, ART_42),
     "ArticlePresenceShape", ART_42, "Article missing"),
    ("a missing article changes the count",
     lambda g: _remove_node(g, ART_42),
     "ActCompletenessShape", ACT, "112 articles in force on the day the Act entered into force, 113 expected"),
    ("a missing recital",
     lambda g: _remove_node(g, iri(("rct", "97"))),
     "RecitalPresenceShape", iri(("rct", "97")), "Recital missing"),
    ("a missing annex",
     lambda g: _remove_node(g, iri(("anx", "XIII"))),
     "AnnexPresenceShape", iri(("anx", "XIII")), "Annex missing"),
    ("an extra article",
     lambda g: _provision(g, GPAI.Article, (("art", "114"),), CPT_V, title="Extra"),
     "ActCompletenessShape", ACT, "114 articles in force on the day the Act entered into force, 113 expected"),
]


@pytest.mark.parametrize("damage, shape, focus, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_damage_is_reported_by_the_shape_of_its_rule(ontology, shapes, damage, shape, focus, words):
    g = conforming_graph(ontology)
    damage(g)
    found = violations(g, shapes)
    matching = [v for v in found if v[0] == shape and v[1] == str(focus)]
    assert matching, f"expected a {shape} result on {focus}; got {sorted(found)}"
    assert any(words in message for _, _, message in matching), matching


def test_every_shape_names_its_rule_and_has_a_message(shapes):
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        assert shapes.value(shape, RDFS.comment), f"{shape}: no rdfs:comment naming the rule"
        messages = list(shapes.objects(shape, SH.message))
        for prop in shapes.objects(shape, SH.property):
            messages += list(shapes.objects(prop, SH.message))
        for constraint in shapes.objects(shape, SH.sparql):
            messages += list(shapes.objects(constraint, SH.message))
        assert messages, f"{shape}: no sh:message"
