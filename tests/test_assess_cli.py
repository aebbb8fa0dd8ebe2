"""``gpai-kg assess PATH [--as-of DATE] [--format json|text|turtle]``: the
contract's output, and one line naming the field or file (exit 2, no
traceback) for every kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from gpai_kg import paths
from gpai_kg.namespaces import GPAI

EXAMPLES = paths.ROOT / "examples"


def gpai_kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gpai_kg", *args], capture_output=True, text=True,
                          cwd=paths.ROOT, timeout=300)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- output

@pytest.fixture(scope="module")
def frontier_json():
    done = gpai_kg("assess", str(EXAMPLES / "frontier-model.json"), "--as-of", "2026-09-01", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_assess_json_has_the_contract_keys(frontier_json):
    for key in ("in_scope", "general_purpose", "systemic_risk", "obligations", "exemptions", "penalties", "sources"):
        assert key in frontier_json
    assert frontier_json["in_scope"] is True and frontier_json["systemic_risk"] is True
    first = frontier_json["obligations"][0]
    assert set(first) >= {"provision", "title", "bearer", "due", "because"}
    provisions = [o["provision"] for o in frontier_json["obligations"]]
    assert "Article 53(1)(a)" in provisions and "Article 55(1)(d)" in provisions and "Article 54(1)" in provisions
    assert all(o["because"][-1] == o["provision"] for o in frontier_json["obligations"])
    assert frontier_json["sources"][0]["iri"] == "http://data.europa.eu/eli/reg/2024/1689/oj"


def test_assess_json_obligation_dates_and_fines(frontier_json):
    due = {o["provision"]: o["due"] for o in frontier_json["obligations"]}
    assert due.pop("Article 52(1)") == "2025-09-03"  # two weeks after compute_threshold_known_date, not the placing
    assert set(due.values()) == {"2025-09-15"}
    assert frontier_json["penalties"][0]["provision"].startswith("Article 101(1)")
    assert frontier_json["penalties"][0]["max_amount_eur"] == 15000000


def test_assess_text_is_for_people():
    done = gpai_kg("assess", str(EXAMPLES / "open-weights-model.yaml"), "--as-of", "2026-09-01")
    assert done.returncode == 0, done.stderr
    assert "Article 53(1)(c)" in done.stdout and "Article 53(2)" in done.stdout


def test_assess_turtle_loads_anywhere_with_asserted_and_inferred_told_apart(tmp_path):
    done = gpai_kg("assess", str(EXAMPLES / "legacy-model.ttl"), "--as-of", "2026-09-01", "--format", "turtle")
    assert done.returncode == 0, done.stderr
    graph = Graph().parse(data=done.stdout, format="turtle")
    model = "https://example.org/models/legacy-lm"
    from rdflib import URIRef

    assert (URIRef(model), GPAI.hasObligation, URIRef("https://w3id.org/gpai-kg/id/obligation/art-53-1-a")) in graph
    assert any(graph.subjects(None, GPAI.Conclusion)) and any(graph.subjects(None, GPAI.Fact))
    prov = "http://www.w3.org/ns/prov#"
    assert any(graph.triples((None, URIRef(prov + "wasGeneratedBy"), None)))


def test_an_undetermined_answer_is_never_followed_by_no_obligation_attaches(tmp_path):
    model = write(tmp_path, "unknown.json", '{"name": "U", "general_purpose": true, "placed_on_eu_market": null}')
    done = gpai_kg("assess", str(model), "--as-of", "2026-09-01")
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stdout.split())
    assert "Whether obligations of Chapter V attach is undetermined: missing placed_on_eu_market" in said
    assert "No obligation" not in said


def test_the_text_puts_a_plain_sentence_above_each_chain():
    done = gpai_kg("assess", str(EXAMPLES / "frontier-model.json"), "--as-of", "2026-09-01")
    said = " ".join(done.stdout.split())
    assert "systemic risk: yes — Trained with 3.8 × 10^25 FLOP, more than the 10^25 FLOP of Article 51(2)" in said
    assert "Article 53(2) (open-source exception (documentation duties)) does not apply: a general-purpose AI model " \
           "with systemic risk" in said


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir()))
def test_every_example_is_assessed(example):
    done = gpai_kg("assess", str(EXAMPLES / example), "--as-of", "2026-09-01", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["general_purpose"] is True


# ---------------------------------------------------------------- bad input

BAD = [
    ("negative.json", '{"name": "M", "training_compute_flop": -1}', "training_compute_flop"),
    ("text-number.json", '{"name": "M", "training_compute_flop": "lots"}', "training_compute_flop"),
    ("bool-number.json", '{"name": "M", "training_compute_flop": true}', "training_compute_flop"),
    ("nan.json", '{"name": "M", "modification_compute_flop": NaN}', "modification_compute_flop"),
    ("unknown-key.json", '{"name": "M", "training_compute": 1e25}',
     "unknown key 'training_compute' — did you mean 'training_compute_flop'?"),
    ("unknown-nested.json", '{"name": "M", "open_source": {"weights": true}}',
     "did you mean 'open_source.weights_public'?"),
    ("country.json", '{"name": "M", "provider_country": "USA"}', "provider_country"),
    ("country-lower.json", '{"name": "M", "provider_country": "XX"}', "provider_country"),
    ("date.json", '{"name": "M", "placed_on_market_date": "2025-02-30"}', "placed_on_market_date"),
    ("date.yaml", "name: M\nplaced_on_market_date: 2025-02-30\n", "placed_on_market_date"),
    ("date-format.json", '{"name": "M", "placed_on_market_date": "1 August 2025"}', "placed_on_market_date"),
    ("modality.json", '{"name": "M", "modalities": ["txt"]}', "did you mean 'text'?"),
    ("bool.json", '{"name": "M", "general_purpose": "yes please"}', "general_purpose"),
    ("no-name.json", '{"training_compute_flop": 1e25}', "name"),
    ("malformed.json", '{"name": "M", ', "not valid JSON"),
    ("malformed.yaml", "name: [M\n", "not valid YAML"),
    ("malformed.ttl", "<a> <b> ", "not valid Turtle"),
    ("no-model.ttl", "<https://ex.org/a> <https://ex.org/b> <https://ex.org/c> .", "gpai:AIModel"),
    ("bad-property.ttl", "@prefix gpai: <https://w3id.org/gpai-kg/ontology#> .\n"
     "<https://ex.org/m> a gpai:AIModel ; <http://www.w3.org/2000/01/rdf-schema#label> \"M\" ; "
     "gpai:trainingCompute 1e25 .", "did you mean gpai:trainingComputeFlop?"),
    ("list.json", '[1, 2]', "must be an object"),
    ("designation.json", '{"name": "M", "designation_date": "2026-01-01", "designated_by_commission": false}',
     "designation_date is given, so designated_by_commission cannot be false"),
    ("intended.json", '{"name": "M", "intended_for_eu_market": true, "placed_on_eu_market": true}',
     "intended_for_eu_market is given, so placed_on_eu_market cannot be true"),
    ("known-date.json", '{"name": "M", "compute_threshold_known_date": "soon"}', "compute_threshold_known_date"),
    ("model.txt", "name: M", "unsupported file type"),
]


@pytest.mark.parametrize("name, text, expected", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_line_naming_the_field_exit_2(tmp_path, name, text, expected):
    done = gpai_kg("assess", str(write(tmp_path, name, text)))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert expected in done.stderr, done.stderr


def test_missing_file_is_named(tmp_path):
    done = gpai_kg("assess", str(tmp_path / "nowhere.json"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "nowhere.json" in done.stderr and len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("as_of", ["2025-02-30", "tomorrow", "2025/08/02"])
def test_bad_as_of_is_named(as_of):
    done = gpai_kg("assess", str(EXAMPLES / "frontier-model.json"), "--as-of", as_of)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--as-of" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_greek_eu_code_gets_a_suggestion(tmp_path):
    done = gpai_kg("assess", str(write(tmp_path, "el.json", '{"name": "M", "provider_country": "EL"}')))
    assert done.returncode == 2 and "did you mean 'GR'?" in done.stderr


# ---------------------------------------------------------------- the contract as data

def test_the_input_contract_is_defined_once_in_the_shapes():
    """Every key is a property shape of shapes-model.ttl with its property (declared
    by the ontology), kind, label and description; the ontology does not name keys."""
    from rdflib.namespace import OWL, RDF

    from gpai_kg.reasoning.contract import keys

    ontology = Graph()
    for name in ("model.ttl", "gpai-kg.ttl"):
        ontology.parse(paths.ONTOLOGY_DIR / name, format="turtle")
    declared = {str(s) for kind in (OWL.DatatypeProperty, OWL.ObjectProperty, OWL.AnnotationProperty)
                for s in ontology.subjects(RDF.type, kind)} | {"http://www.w3.org/2000/01/rdf-schema#label"}
    for key, spec in keys().items():
        assert spec.prop in declared, f"{key}: {spec.prop} is not a property of the ontology"
        assert spec.kind and spec.label and spec.description, key
    assert not set(ontology.subjects(GPAI.inputKey, None)), "a key named outside the shapes"


def test_the_shapes_reject_a_description_stated_badly_in_rdf():
    from pyshacl import validate
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, RDFS, XSD

    shapes = Graph().parse(paths.ONTOLOGY_DIR / "shapes-model.ttl", format="turtle")
    data = Graph()
    model, assessment = URIRef("https://ex.org/m"), URIRef("https://ex.org/m/assessment")
    data.add((assessment, GPAI.assessedModel, model))
    data.add((model, RDF.type, GPAI.AIModel))
    data.add((model, RDFS.label, Literal("M")))
    data.add((model, GPAI.trainingComputeFlop, Literal(-1.0, datatype=XSD.double)))
    data.add((model, GPAI.providerCountry, Literal("usa")))
    conforms, _, text = validate(data, shacl_graph=shapes, inference="none")
    assert not conforms
    assert "training_compute_flop must be a non-negative number" in text and "provider_country" in text


def test_an_assessment_in_turtle_reads_back_as_the_same_model(tmp_path):
    done = gpai_kg("assess", str(EXAMPLES / "fine-tuned-model.json"), "--as-of", "2026-09-01", "--format", "turtle")
    path = write(tmp_path, "again.ttl", done.stdout)
    again = gpai_kg("assess", str(path), "--as-of", "2026-09-01", "--format", "json")
    assert again.returncode == 0, again.stderr
    first = json.loads(gpai_kg("assess", str(EXAMPLES / "fine-tuned-model.json"), "--as-of", "2026-09-01",
                               "--format", "json").stdout)
    second = json.loads(again.stdout)
    assert [o["provision"] for o in second["obligations"]] == [o["provision"] for o in first["obligations"]]
