"""The ontology (``ontology/gpai-kg.ttl``), its alignments and the curated law
(``data/curated/*.ttl``): consistent for HermiT (OWL 2 DL) and for the OWL-RL
closure, every term documented, every rule node resting on a provision of the
Act that exists (or, for guidance-derived criteria, on a guidance document),
and the dates and values the law fixes read as the law says.
"""

from __future__ import annotations

import datetime
import io
import shutil

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from gpai_kg import paths
from gpai_kg.citations import format_citation, from_iri
from gpai_kg.namespaces import ACT_BASE, GKG, GPAI
from gpai_kg.paths import ontology_files

ONTOLOGY_IRI = URIRef("https://w3id.org/gpai-kg/ontology")
ONTOLOGY = paths.ONTOLOGY_DIR / "gpai-kg.ttl"
ALIGNMENTS = paths.ONTOLOGY_DIR / "alignments.ttl"
#: every module of the ontology (gpai-kg.ttl, alignments.ttl and any further module), as the store loads them
MODULES = ontology_files()
SHAPES = sorted(paths.ONTOLOGY_DIR.glob("shapes*.ttl"))
CURATED = sorted(paths.CURATED_DIR.glob("*.ttl"))
LAW_CLASSES = (GPAI.Obligation, GPAI.Exemption, GPAI.Condition, GPAI.ClassificationCondition,
               GPAI.Threshold, GPAI.Deadline, GPAI.Penalty, GPAI.Power, GPAI.TimeLimit, GPAI.RequiredFact,
               GPAI.Infringement)
PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


def _graph(*files) -> Graph:
    g = Graph()
    for path in files:
        g.parse(path, format="turtle")
    return g


ontology = _graph(ONTOLOGY)
schema = _graph(*MODULES)
curated = _graph(*CURATED)
ONTOLOGY_IRIS = set(schema.subjects(RDF.type, OWL.Ontology))


def _with(base: Graph, *triples) -> Graph:
    g = Graph() + base
    for t in triples:
        g.add(t)
    return g


def _local(node) -> str:
    return str(node).removeprefix(str(GKG)).removeprefix(str(GPAI))


# --------------------------------------------------------------- (a) HermiT

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT (owlready2) needs a Java runtime")


def _hermit(graph: Graph):
    """Reason over ``graph`` with HermiT through owlready2; return the world.
    Raises ``OwlReadyInconsistentOntologyError`` if the graph is inconsistent."""
    owlready2 = pytest.importorskip("owlready2")
    graph = Graph() + graph
    graph.remove((None, OWL.imports, None))  # the modules are given in ``graph`` or left out; never fetched
    world = owlready2.World()
    onto = world.get_ontology(str(ONTOLOGY_IRI)).load(
        fileobj=io.BytesIO(graph.serialize(format="nt", encoding="utf-8")), format="ntriples")
    with onto:
        owlready2.sync_reasoner_hermit(world, debug=0)
    return world


@needs_java
def test_ontology_is_consistent_for_hermit_with_no_unsatisfiable_class():
    world = _hermit(ontology)
    assert list(world.inconsistent_classes()) == []


@needs_java
def test_ontology_alignments_and_curated_law_together_are_consistent_for_hermit():
    # The dates (deadlines) are xsd:date on annotation properties: HermiT reads them without complaint.
    world = _hermit(_graph(*MODULES, *CURATED))
    assert list(world.inconsistent_classes()) == []


@needs_java
def test_hermit_finds_an_obligation_that_is_also_a_deadline_inconsistent():
    """Control: the disjointness axioms bite, so the consistency tests above mean something."""
    owlready2 = pytest.importorskip("owlready2")
    bad = _with(ontology, (GKG["obligation/bad"], RDF.type, GPAI.Obligation),
                (GKG["obligation/bad"], RDF.type, GPAI.Deadline))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit(bad)


# --------------------------------------------------------------- (b) OWL-RL

def _owlrl_closure(graph: Graph) -> tuple[Graph, list[str]]:
    """The OWL-RL closure of a copy of ``graph`` and its inconsistencies: owlrl
    adds each as a node ``[a err:ErrorMessage ; err:error "..."]``
    (owlrl/Closure.py, ``closure``); members of owl:Nothing are added here."""
    import owlrl
    from owlrl.Namespaces import ERRNS

    closure = Graph() + graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    errors = [str(message) for message in closure.objects(None, ERRNS.error)]
    errors += [f"{s} is a member of owl:Nothing" for s in closure.subjects(RDF.type, OWL.Nothing)]
    return closure, errors


@pytest.fixture(scope="module")
def closed_union() -> tuple[Graph, list[str]]:
    return _owlrl_closure(_graph(*MODULES, *CURATED))


@pytest.fixture(scope="module")
def closure(closed_union) -> Graph:
    return closed_union[0]


def test_owlrl_closure_of_ontology_alignments_and_curated_law_is_consistent(closed_union):
    _, errors = closed_union
    assert errors == []


@pytest.mark.parametrize("triples", [
    [(GKG["x"], RDF.type, GPAI.Obligation), (GKG["x"], RDF.type, GPAI.Deadline)],
    [(GKG["x"], RDF.type, GPAI.Article), (GKG["x"], RDF.type, GPAI.Point)],
    [(GKG["x"], OWL.sameAs, GKG["y"]), (GKG["x"], OWL.differentFrom, GKG["y"])],
], ids=["disjoint law classes", "disjoint provision kinds", "sameAs against differentFrom"])
def test_owlrl_reports_a_clash(triples):
    """Control: the OWL-RL check above sees disjointness and identity clashes."""
    _, errors = _owlrl_closure(_with(ontology, *triples))
    assert errors


def test_owlrl_gives_a_model_with_systemic_risk_the_classes_of_general_purpose_and_ai_models():
    """Articles 53 and 54 attach to a model with systemic risk through
    rdfs:subClassOf (Article 55(1): 'in addition to')."""
    model = GKG["model/example"]
    closed, errors = _owlrl_closure(_with(ontology, (model, RDF.type, GPAI.GeneralPurposeAIModelWithSystemicRisk)))
    assert errors == []
    assert (model, RDF.type, GPAI.GeneralPurposeAIModel) in closed
    assert (model, RDF.type, GPAI.AIModel) in closed


def test_owlrl_entails_dcterms_source_from_every_legal_basis(closure):
    for node, basis in curated.subject_objects(GPAI.legalBasis):
        assert (node, DCTERMS.source, basis) in closure


# --------------------------------------------------------------- (c) every term documented

TERMS = sorted({s for kind in (OWL.Class, *PROPERTY_KINDS) for s in schema.subjects(RDF.type, kind)
                if isinstance(s, URIRef) and str(s).startswith(str(GPAI))})


def _en(graph: Graph, node, prop) -> list[Literal]:
    return [o for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == "en"]


@pytest.mark.parametrize("term", TERMS, ids=[_local(t) for t in TERMS])
def test_term_has_label_comment_source_and_is_defined_by_the_ontology(term):
    assert _en(schema, term, RDFS.label), "no rdfs:label@en"
    assert _en(schema, term, RDFS.comment), "no rdfs:comment@en"
    assert schema.value(term, DCTERMS.source) or schema.value(term, RDFS.isDefinedBy)
    assert set(schema.objects(term, RDFS.isDefinedBy)) & ONTOLOGY_IRIS, "not rdfs:isDefinedBy an ontology module"


def test_ontology_header_has_version_title_description_license_and_date():
    for prop in (OWL.versionIRI, OWL.versionInfo, DCTERMS.title, DCTERMS.description, DCTERMS.license,
                 DCTERMS.created):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None, prop
    assert str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo)) == "0.1.0"
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/gpai-kg/ontology/0.1.0")
    modules = {o for o in ONTOLOGY_IRIS if o != ONTOLOGY_IRI}
    assert set(ontology.objects(ONTOLOGY_IRI, OWL.imports)) == modules == {
        URIRef(str(ONTOLOGY_IRI) + "/model"), URIRef(str(ONTOLOGY_IRI) + "/alignments")}
    for module in modules:  # each module imports the ontology whose terms it uses (one ontology, any file first)
        assert set(schema.objects(module, OWL.imports)) == {ONTOLOGY_IRI}, module


def test_every_import_resolves_to_a_module_file_through_the_catalog():
    """Protégé and ROBOT open gpai-kg.ttl offline: ontology/catalog-v001.xml maps each import to its file."""
    from lxml import etree

    catalog = etree.parse(str(paths.ONTOLOGY_DIR / "catalog-v001.xml"))
    mapped = {e.get("name"): paths.ONTOLOGY_DIR / e.get("uri")
              for e in catalog.iter("{urn:oasis:names:tc:entity:xmlns:xml:catalog}uri")}
    for module in {o for _, o in schema.subject_objects(OWL.imports)}:
        path = mapped[str(module)]
        assert (module, RDF.type, OWL.Ontology) in _graph(path), f"{path.name} is not the module {module}"
        version = _graph(path).value(module, OWL.versionIRI)
        assert mapped[str(version)] == path


def test_every_source_of_the_ontology_is_a_provision_of_the_act(index):
    for term, source in schema.subject_objects(DCTERMS.source):
        if str(source).startswith(ACT_BASE):
            assert from_iri(source) in index, f"{term}: {source} names no provision of the Act"


def test_every_gpai_term_used_anywhere_is_declared_in_the_ontology():
    """A misspelt gpai: term in the alignments, the curated law or the shapes is caught here."""
    declared = set(TERMS)
    for graph in (schema, curated, _graph(*SHAPES)):
        used = {n for t in graph for n in t if isinstance(n, URIRef) and str(n).startswith(str(GPAI))}
        assert used - declared == set()


def test_every_predicate_of_the_curated_law_and_ontology_is_declared_once_with_one_kind():
    """OWL 2 DL: each property is declared, and as exactly one kind (no object/annotation punning)."""
    kinds: dict[URIRef, set] = {}
    for kind in PROPERTY_KINDS:
        for prop in schema.subjects(RDF.type, kind):
            kinds.setdefault(prop, set()).add(kind)
    assert {p: k for p, k in kinds.items() if len(k) > 1} == {}
    builtin = {RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, RDFS.subClassOf,
               RDFS.subPropertyOf, RDFS.domain, RDFS.range, RDF.first, RDF.rest}
    for graph in (curated, schema):
        for p in set(graph.predicates()):
            assert p in kinds or p in builtin or str(p).startswith(str(OWL)), f"undeclared property {p}"


# --------------------------------------------------------------- (d) every rule node rests on a provision

LAW_NODES = sorted({s for cls in LAW_CLASSES for s in curated.subjects(RDF.type, cls)})


def _law_id(node) -> str:
    bases = sorted(curated.objects(node, GPAI.legalBasis))
    cite = format_citation(from_iri(bases[0])) if bases else "guidance"
    return f"{_local(node)} [{cite}]"


@pytest.mark.parametrize("node", LAW_NODES, ids=[_law_id(n) for n in LAW_NODES])
def test_rule_node_rests_on_a_provision_that_exists_or_on_guidance(node, every_index):
    index = every_index  # a provision of any version of the Act
    assert _en(curated, node, RDFS.label), "no rdfs:label@en"
    assert _en(curated, node, RDFS.comment), "no rdfs:comment@en"
    bases = list(curated.objects(node, GPAI.legalBasis))
    guidance = list(curated.objects(node, GPAI.guidanceBasis))
    if not bases:  # guidance-derived criterion: cited as guidance, never as law
        assert guidance, "neither gpai:legalBasis nor gpai:guidanceBasis"
        for doc in guidance:
            assert (doc, RDF.type, GPAI.GuidanceDocument) in curated
        for provision in curated.objects(node, GPAI.interprets):
            assert from_iri(provision) in index
        return
    assert not guidance, "a node rests on law or on guidance, not both"
    paths_ = [from_iri(basis) for basis in bases]  # raises on an IRI outside the ELI pattern
    for basis, path in zip(bases, paths_):
        assert path in index, f"{basis} names no provision of the Act"
    label = str(_en(curated, node, RDFS.label)[0])
    head = label.split(" — ")[0]
    if head.startswith("Article "):  # the label's citation is the basis or one of its ancestors
        cited = index.resolve(head)
        assert any(path[:len(cited)] == cited for path in paths_), f"label {label!r} does not match {bases}"


# --------------------------------------------------------------- the dates and values of the law

def _node(kind: str, name: str) -> URIRef:
    node = GKG[f"{kind}/{name}"]
    assert (node, None, None) in curated, node
    return node


def _values(node, prop) -> list[tuple[datetime.date, object]]:
    """(first day, value) of every dated value of ``prop`` of a law node (gpai:DatedValue), in order."""
    found = []
    for dated in curated.objects(node, GPAI.hasValue):
        if curated.value(dated, GPAI.valueOf) == prop:
            found.append((curated.value(dated, GPAI.validFrom).toPython(), curated.value(dated, GPAI.value)))
    return sorted(found)


def _value(node, prop, on: datetime.date = datetime.date(2024, 8, 1)):
    """The value of ``prop`` of a law node on a day (the latest dated value begun by then)."""
    return [v for start, v in _values(node, prop) if start <= on][-1].toPython()


def _date(node, on: datetime.date = datetime.date(2024, 8, 1)) -> datetime.date:
    values = [v for start, v in _values(node, GPAI.date) if start <= on]
    assert values[-1].datatype == XSD_DATE
    return values[-1].toPython()


def test_article_113_first_subparagraph_entry_into_force_is_the_twentieth_day_after_publication(act):
    published = datetime.date.fromisoformat(act.date_publication)
    assert published == datetime.date(2024, 7, 12)
    # the day after publication is the first day, so the twentieth is publication + 20 days
    assert _date(_node("deadline", "art-113-sub-1")) == published + datetime.timedelta(days=20) \
        == datetime.date(2024, 8, 1)


def test_article_113_dates_of_application():
    assert _date(_node("deadline", "art-113-sub-2")) == datetime.date(2026, 8, 2)
    assert _date(_node("deadline", "art-113-sub-3-a")) == datetime.date(2025, 2, 2)
    assert _date(_node("deadline", "art-113-sub-3-b")) == datetime.date(2025, 8, 2)
    assert _date(_node("deadline", "art-113-sub-3-c")) == datetime.date(2027, 8, 2)


def test_article_113_as_regulation_2026_1744_amends_it():
    """Point (40): (a) replaced with an exception from 2 December 2026, (c) replaced (2 December 2027 / 2 August
    2028), (d) added (Articles 102 to 110 from 27 July 2026); each a dated value from 27 July 2026, and the
    dates before stay as they were."""
    after = datetime.date(2026, 7, 27)
    assert _date(_node("deadline", "art-113-sub-3-a"), after) == datetime.date(2025, 2, 2)
    assert _date(_node("deadline", "art-113-sub-3-a-exception"), after) == datetime.date(2026, 12, 2)
    assert _date(_node("deadline", "art-113-sub-3-c"), after - datetime.timedelta(days=1)) == datetime.date(2027, 8, 2)
    assert _date(_node("deadline", "art-113-sub-3-c"), after) == datetime.date(2028, 8, 2)
    assert _date(_node("deadline", "art-113-sub-3-c-i"), after) == datetime.date(2027, 12, 2)
    assert _date(_node("deadline", "art-113-sub-3-d"), after) == after
    for name in ("art-113-sub-3-a-exception", "art-113-sub-3-c-i", "art-113-sub-3-d"):
        assert [start for start, _ in _values(_node("deadline", name), GPAI.date)] == [after]


def test_every_threshold_date_and_amount_carries_the_period_it_holds_for():
    """OpenFisca's parameters: no law node states a value directly; each value is a gpai:DatedValue with its
    first day, the property it sets and the provision (or guidance) that states it."""
    dated = (GPAI.thresholdValue, GPAI.date, GPAI.placedOnMarketBefore, GPAI.maxTurnoverShare, GPAI.maxAmountEur)
    assert not [(s, p) for p in dated for s in curated.subjects(p, None)]
    values = list(curated.subjects(RDF.type, GPAI.DatedValue))
    assert len(values) >= 20
    for value in values:
        assert curated.value(value, GPAI.valueOf) in dated, value
        assert curated.value(value, GPAI.validFrom).datatype == XSD_DATE, value
        assert curated.value(value, GPAI.legalBasis) or curated.value(value, GPAI.guidanceBasis), value
        assert len(list(curated.subjects(GPAI.hasValue, value))) == 1, value


def test_article_113_point_b_applies_chapter_v_from_2_august_2025_except_article_101():
    point_b = _node("deadline", "art-113-sub-3-b")
    assert URIRef(ACT_BASE + "cpt_V/oj") in set(curated.objects(point_b, GPAI.appliesToProvision))
    assert set(curated.objects(point_b, GPAI.exceptProvision)) == {URIRef(ACT_BASE + "art_101/oj")}
    for obligation in curated.subjects(RDF.type, GPAI.Obligation):
        if any("/art_5" in str(b) for b in curated.objects(obligation, GPAI.legalBasis)):  # Articles 52 to 55
            assert curated.value(obligation, GPAI.appliesFrom) == point_b, obligation


def test_article_101_fines_apply_from_the_general_date_2_august_2026():
    penalty = _node("penalty", "art-101-1")
    assert _date(curated.value(penalty, GPAI.appliesFrom)) == datetime.date(2026, 8, 2)
    assert str(_value(penalty, GPAI.maxTurnoverShare)) == "0.03"
    assert _value(penalty, GPAI.maxAmountEur) == 15_000_000
    assert str(curated.value(penalty, GPAI.capRule)) == "whicheverIsHigher"


def test_article_111_3_models_placed_before_2_august_2025_comply_by_2_august_2027():
    legacy = _node("deadline", "art-111-3")
    assert _date(legacy) == datetime.date(2027, 8, 2)
    assert _value(legacy, GPAI.placedOnMarketBefore) == datetime.date(2025, 8, 2)
    assert curated.value(_node("obligation", "art-53-1-a"), GPAI.transitionalDeadline) == legacy


def test_article_51_2_threshold_is_strictly_greater_than_10_25_flop_and_held_once():
    threshold = _node("threshold", "art-51-2")
    assert _value(threshold, GPAI.thresholdValue) == 1e25
    assert str(curated.value(threshold, GPAI.comparison)) == "greaterThan"
    assert str(curated.value(threshold, GPAI.unit)) == "FLOP"
    assert curated.value(threshold, GPAI.raisesPresumptionOf) == _node("condition", "art-51-1-a")
    # one value, so a delegated act under Article 51(3) is one more dated value of this node
    assert [s for s, o in curated.subject_objects(GPAI.value) if o.toPython() == 1e25] == [
        threshold + "-from-2024-08-01"]
    assert _values(threshold, GPAI.thresholdValue)[0][0] == datetime.date(2024, 8, 1)


def test_guidelines_indicative_criteria_are_guidance_not_law():
    gpai = _node("threshold", "guidance-gpai-indicative-compute")
    assert _value(gpai, GPAI.thresholdValue, datetime.date(2025, 7, 18)) == 1e23
    assert curated.value(gpai, GPAI.legalBasis) is None
    assert curated.value(gpai, GPAI.guidanceBasis) == _node("guidance", "c-2025-5045")
    fallback = _node("threshold", "guidance-modification-fallback-systemic-risk")
    assert curated.value(fallback, GPAI.fractionOf) == _node("threshold", "art-51-2")


def test_article_53_2_exemption_lifts_points_a_and_b_only_and_not_for_systemic_risk():
    exemption = _node("exemption", "art-53-2")
    assert set(curated.objects(exemption, GPAI.lifts)) == {_node("obligation", "art-53-1-a"),
                                                          _node("obligation", "art-53-1-b")}
    assert curated.value(exemption, GPAI.exceptModelClass) == GPAI.GeneralPurposeAIModelWithSystemicRisk


def test_article_54_6_exemption_lifts_every_article_54_obligation_and_not_for_systemic_risk():
    exemption = _node("exemption", "art-54-6")
    article_54 = {o for o in curated.subjects(RDF.type, GPAI.Obligation) if "/art-54-" in str(o)}
    assert len(article_54) == 8
    assert set(curated.objects(exemption, GPAI.lifts)) == article_54
    assert curated.value(exemption, GPAI.exceptModelClass) == GPAI.GeneralPurposeAIModelWithSystemicRisk


def test_article_55_1_obligations_bind_providers_of_models_with_systemic_risk():
    for point in "abcd":
        obligation = _node("obligation", f"art-55-1-{point}")
        assert curated.value(obligation, GPAI.appliesToModelClass) == GPAI.GeneralPurposeAIModelWithSystemicRisk
        assert curated.value(obligation, GPAI.bearer) == GPAI.Provider


def test_article_54_paragraphs_bind_the_provider_or_the_authorised_representative():
    """Article 54(1), (2) bind the provider; (3), its points (a) to (d), and (5) the authorised
    representative; (4) is the representative's power under the mandate, not a duty."""
    names = ("art-54-1", "art-54-2", "art-54-3", "art-54-3-a", "art-54-3-b", "art-54-3-c", "art-54-3-d", "art-54-5")
    bearers = {name: set(curated.objects(_node("obligation", name), GPAI.bearer)) for name in names}
    assert bearers == {name: {GPAI.Provider} if name in ("art-54-1", "art-54-2") else {GPAI.AuthorisedRepresentative}
                       for name in names}
    power = _node("power", "art-54-4")
    assert (power, RDF.type, GPAI.Power) in curated and curated.value(power, GPAI.holder) == GPAI.AuthorisedRepresentative
    assert not list(curated.triples((GKG["obligation/art-54-4"], None, None)))


def test_article_101_fines_providers_only_for_the_four_conducts_of_its_points():
    penalty = _node("penalty", "art-101-1")
    points = {str(curated.value(i, GPAI.legalBasis)).split("/")[-2] for i in curated.objects(penalty, GPAI.infringement)}
    assert points == {"pnt_a", "pnt_b", "pnt_c", "pnt_d"}
    for infringement in curated.objects(penalty, GPAI.infringement):
        for sanctioned in curated.objects(infringement, GPAI.sanctions):
            for bearer in curated.objects(sanctioned, GPAI.bearer):
                assert bearer == GPAI.Provider, (infringement, sanctioned)


def test_no_curated_node_is_a_blank_node_or_outside_gkg():
    for s in set(curated.subjects(RDF.type, None)):
        assert not isinstance(s, BNode)
        assert str(s).startswith(str(GKG)), s
