"""The ontology and the graph open cleanly in the OWL tools of the field.

- The OWL API (Debian ``libowlapi-java``; what Protégé and ROBOT load files
  with) reads ``ontology/gpai-kg.ttl`` as one ontology with one title that
  imports its two modules, resolved offline through ``ontology/catalog-v001.xml``;
  and reads each export (ontology, graph; Turtle and RDF/XML) as the ontology
  ``https://w3id.org/gpai-kg/ontology`` with one title and no import, inside the
  OWL 2 DL profile (no violation: every term declared, dates DL-safe).
- HermiT (owlready2) reasons over the whole graph export, its xsd:date values
  included, and finds it consistent.
- ROBOT's report checks at level ERROR (ROBOT's own queries and default profile, ``tests/tools/robot/``)
  find nothing in the exports, read directly or through the OWL API as ROBOT
  reads them; and they do find a duplicated label, a missing one and a second
  equivalent class planted in a copy (controls).
"""

from __future__ import annotations

import shutil

import pytest
from lxml import etree

from gpai_kg import paths
from gpai_kg.publish import rdf
from tools import need, owlapi, robot

ROOT = "https://w3id.org/gpai-kg/ontology"
TITLE = '"gpai-kg ontology: the EU AI Act\'s rules for general-purpose AI models"@en'
EXPORTS = [(what, fmt) for what in ("ontology", "graph") for fmt in ("turtle", "xml")]


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    files = {}
    for what, fmt in EXPORTS:
        files[what, fmt] = out / f"{what}.{'ttl' if fmt == 'turtle' else 'owl'}"
        files[what, fmt].write_bytes(rdf.serialize(what, fmt))
    return files


def _catalog() -> dict[str, str]:
    catalog = etree.parse(str(paths.ONTOLOGY_DIR / "catalog-v001.xml"))
    return {e.get("name"): str(paths.ONTOLOGY_DIR / e.get("uri"))
            for e in catalog.iter("{urn:oasis:names:tc:entity:xmlns:xml:catalog}uri")}


def test_the_owl_api_reads_the_source_as_one_ontology_importing_its_modules():
    need(owlapi.missing())
    loaded = owlapi.load(paths.ONTOLOGY_DIR / "gpai-kg.ttl", maps=_catalog())
    assert loaded.ontology_iri == ROOT and loaded.version_iri == ROOT + "/0.1.0"
    assert sorted(loaded.imports) == [ROOT + "/alignments", ROOT + "/model"]
    assert sorted(loaded.imported) == [ROOT + "/alignments", ROOT + "/model"]
    assert loaded.missing_imports == [] and loaded.titles == [TITLE]
    assert loaded.in_dl, loaded.violations


@pytest.mark.parametrize("module", ["model", "alignments"])
def test_each_module_opens_alone_with_its_imports_in_owl_2_dl(module):
    need(owlapi.missing())
    loaded = owlapi.load(paths.ONTOLOGY_DIR / f"{module}.ttl", maps=_catalog())
    assert loaded.ontology_iri == f"{ROOT}/{module}" and loaded.imports == [ROOT]
    assert loaded.missing_imports == [] and len(loaded.titles) == 1
    assert loaded.in_dl, loaded.violations


@pytest.mark.parametrize("what, fmt", EXPORTS)
def test_the_owl_api_reads_each_export_as_one_ontology_in_owl_2_dl(exports, what, fmt):
    need(owlapi.missing())
    loaded = owlapi.load(exports[what, fmt])
    assert (loaded.ontology_iri, loaded.version_iri) == (ROOT, ROOT + "/0.1.0")
    assert loaded.titles == [TITLE], "one header, one title"
    assert loaded.imports == [] and loaded.missing_imports == []
    assert loaded.violations == {} and loaded.in_dl, loaded.violations


def test_the_dl_check_sees_a_date_on_a_datatype_property_and_an_undeclared_property(tmp_path, exports):
    """Control: what the graph export avoids, the checker reports."""
    need(owlapi.missing())
    bad = tmp_path / "bad.ttl"
    bad.write_text(exports["ontology", "turtle"].read_text(encoding="utf-8") + """
<urn:x:p> a <http://www.w3.org/2002/07/owl#DatatypeProperty> .
<urn:x:s> <urn:x:p> "2024-07-12"^^<http://www.w3.org/2001/XMLSchema#date> ; <urn:x:undeclared> <urn:x:o> .
""", encoding="utf-8")
    loaded = owlapi.load(bad)
    assert not loaded.in_dl
    assert {"UseOfDefinedDatatypeInLiteral", "UseOfUndeclaredAnnotationProperty"} <= set(loaded.violations)


def test_hermit_reasons_over_the_whole_graph_with_its_dates(exports):
    owlready2 = pytest.importorskip("owlready2")
    need(None if shutil.which("java") else "HermiT needs a Java runtime")
    world = owlready2.World()
    onto = world.get_ontology(ROOT).load(fileobj=open(exports["graph", "xml"], "rb"), format="rdfxml")
    with onto:
        owlready2.sync_reasoner_hermit(world, debug=0)  # no ignore_unsupported_datatypes
    assert list(world.inconsistent_classes()) == []


@pytest.mark.parametrize("what, fmt", EXPORTS)
def test_robot_report_finds_no_error_in_the_export(exports, what, fmt):
    found = robot.report(exports[what, fmt])
    assert found == {}, robot.summary(found)
    warned = robot.report(exports[what, fmt], levels=("WARN",))
    assert "multiple_equivalent_classes" not in warned, robot.summary(warned)  # gpai:Provider had two


@pytest.mark.parametrize("what", ["ontology", "graph"])
def test_robot_report_finds_no_error_through_the_owl_api_as_robot_reads_it(exports, what):
    need(owlapi.missing())
    found = robot.report(exports[what, "turtle"], through_owlapi=True)
    assert found == {}, robot.summary(found)


def test_robot_report_catches_a_duplicate_and_a_missing_label_and_a_second_equivalent_class(tmp_path, exports):
    """Control: the checks fire on the faults the review found."""
    bad = tmp_path / "bad.ttl"
    bad.write_text(exports["ontology", "turtle"].read_text(encoding="utf-8") + """
<https://w3id.org/gpai-kg/ontology#text> <http://www.w3.org/2000/01/rdf-schema#label> "twice"@en .
<https://w3id.org/gpai-kg/id/modality/text> <http://www.w3.org/2000/01/rdf-schema#label> "twice"@en .
<https://w3id.org/gpai-kg/id/definition/unnamed> <http://www.w3.org/2004/02/skos/core#prefLabel> "x"@en .
<https://w3id.org/gpai-kg/ontology#Provider> <http://www.w3.org/2002/07/owl#equivalentClass> <https://w3id.org/airo#AIProvider> .
""", encoding="utf-8")
    found = robot.report(bad, levels=("ERROR", "WARN"))
    assert {"duplicate_label", "missing_label", "multiple_labels", "multiple_equivalent_classes"} <= set(found)
    assert {"duplicate_label", "missing_label", "multiple_labels"} <= set(robot.report(bad))  # ERROR in ROBOT's profile
    assert ("<https://w3id.org/gpai-kg/id/definition/unnamed>", "<http://www.w3.org/2000/01/rdf-schema#label>", "") \
        in found["missing_label"]


def test_every_robot_check_has_a_level_of_robots_profile():
    levels = {level for level, _ in robot.checks().values()}
    assert levels <= {"ERROR", "WARN", "INFO"} and len(robot.checks()) >= 14
