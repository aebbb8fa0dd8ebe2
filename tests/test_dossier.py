"""``gpai-kg dossier MODEL [--as-of DATE] [--format text|json|md] [--check RECORD]``
and ``documentation`` in the JSON of ``assess``: the items are law data, each
with the verbatim text of its provision in the graph; Annex XI, Section 2
appears exactly for models with systemic risk; items lifted by an exemption
say so; a provider's record is checked with SHACL shapes made from the items,
listing what is missing (exit 1), and a bad record is one line (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html import escape as html_escape

import pytest

from gpai_kg import paths
from gpai_kg.publish.dossier import markdown
from gpai_kg.reasoning.assessment import assess
from gpai_kg.reasoning.record import record_shapes
from gpai_kg.store.lookup import select

AS_OF = "2026-09-01"
SMALL = {"name": "Small", "training_compute_flop": 5e23, "modalities": ["text"], "provider_country": "FR",
         "placed_on_market_date": "2025-10-01"}
FRONTIER = {"name": "Frontier", "training_compute_flop": 3e25, "modalities": ["text"], "provider_country": "US",
            "placed_on_market_date": "2025-10-01", "compute_threshold_known_date": "2025-09-01"}
OPEN = {**SMALL, "name": "Open", "provider_country": "CN", "open_source": {
    "free_open_source_licence": True, "weights_public": True, "architecture_public": True, "usage_info_public": True,
    "monetised": False}}
CONTRACT = {"item", "provision", "text", "addressee", "due", "status", "exempted_by"}


def gpai_kg(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}  # the text table on one line per row
    return subprocess.run([sys.executable, "-m", "gpai_kg", *args], capture_output=True, text=True, cwd=paths.ROOT,
                          timeout=300, env=env)


def items(model: dict, as_of: str = AS_OF) -> dict[str, dict]:
    return {i["item"]: i for i in assess(model, as_of).to_json()["documentation"]}


@pytest.fixture(scope="module")
def frontier():
    return items(FRONTIER)


def test_each_item_has_the_contract_fields_and_the_verbatim_text_of_its_provision(store, frontier):
    for item in frontier.values():
        assert CONTRACT <= set(item)
        rows = select(store, "SELECT ?i ?p ?t WHERE { ?i gpai:legalBasis ?p . ?p gpai:text ?t }", i=item["iri"])
        assert [r["t"] for r in rows] == [item["text"]], item["item"]
        cited = select(store, "SELECT ?i ?c WHERE { ?i gpai:legalBasis/gpai:citation ?c }", i=item["iri"])
        assert [r["c"] for r in cited] == [item["provision"]]


def test_items_are_cited_at_point_level(frontier):
    assert frontier["annex-xi-section-1-point-2-d"]["provision"] == "Annex XI, Section 1, point 2(d)"
    assert frontier["annex-xi-section-1-point-2-d"]["text"].startswith("the computational resources used to train")
    assert frontier["annex-xii-point-1-h"]["provision"] == "Annex XII, point 1(h)"
    assert frontier["article-53-1-c"]["provision"] == "Article 53(1)(c)"


def test_annex_xi_section_2_appears_exactly_for_models_with_systemic_risk(frontier):
    section_2 = {"annex-xi-section-2-point-1", "annex-xi-section-2-point-2", "annex-xi-section-2-point-3"}
    assert section_2 <= set(frontier)
    assert not section_2 & set(items(SMALL))
    undetermined = items({"name": "Unknown risk", "general_purpose": True, "modalities": ["text"],
                          "provider_country": "FR"})
    assert "annex-xi-section-1-point-1-a" in undetermined and not section_2 & set(undetermined)


def test_each_item_says_for_whom_and_by_when(frontier):
    assert frontier["annex-xi-section-1-point-1-a"]["addressee"].startswith("the AI Office and the national")
    assert frontier["annex-xii-point-1-a"]["addressee"].startswith("providers of AI systems")
    assert frontier["article-53-1-d"]["addressee"].startswith("the public")
    assert frontier["article-52-1"]["addressee"].startswith("the Commission")
    assert frontier["article-54-3-a"]["addressee"].startswith("the authorised representative")
    assert frontier["annex-xi-section-1-point-1-a"]["due"] == "2025-10-01"
    assert frontier["article-52-1"]["due"] == "2025-09-15"  # two weeks after the compute threshold became known
    assert {i["status"] for i in frontier.values()} == {"required"}


def test_the_training_content_summary_points_to_the_ai_office_template_without_inventing_it(frontier):
    summary = frontier["article-53-1-d"]
    assert summary["text"].endswith("according to a template provided by the AI Office.")
    assert [r["iri"].rsplit("/", 1)[-1] for r in summary["references"]] == ["ai-office-training-content-summary-template"]
    assert "not reproduced here" in " ".join(summary["notes"])


def test_items_lifted_by_an_exemption_are_marked_with_it():
    found = items(OPEN)
    assert (found["annex-xi-section-1-point-1-a"]["status"], found["annex-xi-section-1-point-1-a"]["exempted_by"]) \
        == ("exempt", "Article 53(2)")
    assert (found["annex-xii-point-2-c"]["status"], found["annex-xii-point-2-c"]["exempted_by"]) == \
        ("exempt", "Article 53(2)")
    assert (found["article-54-1"]["status"], found["article-54-1"]["exempted_by"]) == ("exempt", "Article 54(6)")
    assert (found["article-53-1-c"]["status"], found["article-53-1-c"]["exempted_by"]) == ("required", None)
    assert found["article-53-1-c"]["due"] == "2025-10-01" and found["annex-xii-point-1-a"]["due"] == ""


def test_a_modifier_is_told_each_item_is_limited_to_the_modification():
    found = items({"name": "Tuned", "modalities": ["text"], "provider_country": "FR",
                   "modified_from": {"name": "Base", "training_compute_flop": 3e24, "systemic_risk": False},
                   "modification_compute_flop": 2e24})
    assert any("limited to information on the modification" in n for n in found["annex-xi-section-1-point-1-a"]["notes"])
    assert any("limited to the data used" in n for n in found["article-53-1-d"]["notes"])


def test_a_model_out_of_scope_needs_no_documentation_and_the_markdown_says_why():
    result = assess({**SMALL, "placed_on_eu_market": False}, AS_OF).to_json()
    assert result["documentation"] == []
    assert "No documentation is required. Not placed on the Union market" in markdown(result)


def test_the_record_shapes_are_made_from_the_required_items():
    from rdflib.namespace import SH

    documentation = assess(OPEN, AS_OF).documentation
    shapes = record_shapes(documentation)
    names = {str(n) for n in shapes.objects(None, SH.name)}
    assert names == {i.item for i in documentation if i.status == "required"}
    assert "annex-xi-section-1-point-1-a" not in names  # exempt


# ---------------------------------------------------------------- the command

def test_dossier_json_is_the_documentation_of_assess(tmp_path):
    model = tmp_path / "frontier.json"
    model.write_text(json.dumps(FRONTIER), encoding="utf-8")
    done = gpai_kg("dossier", str(model), "--as-of", AS_OF, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == assess(FRONTIER, AS_OF).to_json()["documentation"]
    text = gpai_kg("dossier", str(model), "--as-of", AS_OF)
    assert text.returncode == 0 and "Annex XI, Section 2, point 1" in text.stdout
    md = gpai_kg("dossier", str(model), "--as-of", AS_OF, "--format", "md")
    assert md.returncode == 0 and "- [ ] **Annex XI, Section 1, point 2(d)**" in md.stdout


@pytest.mark.parametrize("name", ["x[/]", "[bold]x", "![](http://127.0.0.1:9/x)"])
def test_a_hostile_name_is_shown_as_written_in_text_and_markdown(tmp_path, name):
    model = tmp_path / "model.json"
    model.write_text(json.dumps({**SMALL, "name": name}), encoding="utf-8")
    text = gpai_kg("dossier", str(model), "--as-of", AS_OF)
    assert text.returncode == 0 and "Traceback" not in text.stderr, text.stderr
    assert f"Documentation dossier of {name}" in text.stdout
    md = gpai_kg("dossier", str(model), "--as-of", AS_OF, "--format", "md")
    assert md.returncode == 0, md.stderr
    from markdown_it import MarkdownIt  # CommonMark, as rich and the app read it

    html = MarkdownIt("commonmark").render(md.stdout.splitlines()[0])
    assert "<a" not in html and "<img" not in html and "<strong" not in html, html
    assert f"Documentation dossier of {html_escape(name)} under" in html, html


def _check(tmp_path, model: dict, name: str, record: str, *more: str) -> subprocess.CompletedProcess:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    (tmp_path / name).write_text(record, encoding="utf-8")
    return gpai_kg("dossier", str(path), "--as-of", AS_OF, "--check", str(tmp_path / name), *more)


def _complete_record(model: dict) -> dict:
    return {item: f"documentation/{item}.md" for item, i in items(model).items() if i["status"] == "required"}


def test_a_complete_record_passes_and_a_missing_item_is_listed_with_exit_1(tmp_path):
    record = _complete_record(OPEN)
    done = _check(tmp_path, OPEN, "record.json", json.dumps(record), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["complete"] is True
    record.pop("article-53-1-c")
    record.pop("article-53-1-d")
    record["Article 53(1)(d)"] = ""  # an empty place documents nothing
    done = _check(tmp_path, OPEN, "record.json", json.dumps(record), "--format", "json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [m["item"] for m in report["missing"]] == ["article-53-1-c", "article-53-1-d"]
    assert report["complete"] is False


def test_a_record_may_name_items_by_citation_in_yaml_and_name_items_the_model_does_not_need(tmp_path):
    lines = [f"'{i['provision']}': [tech file, section {n}]" for n, i in enumerate(items(SMALL).values())]
    lines.append("annex-xi-section-2-point-1: evaluation report")
    done = _check(tmp_path, SMALL, "record.yaml", "\n".join(lines) + "\n", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["not_required"] == ["annex-xi-section-2-point-1"]


def test_a_record_in_turtle_is_checked_by_the_same_shapes(tmp_path):
    entries = " , ".join(f'[ gpai:item documentation:{item} ; gpai:documentedIn "file {item}" ]'
                         for item in _complete_record(SMALL) if item != "article-53-3")
    ttl = ("@prefix gpai: <https://w3id.org/gpai-kg/ontology#> .\n"
           "@prefix documentation: <https://w3id.org/gpai-kg/id/documentation/> .\n"
           f"<https://example.org/record> a gpai:DocumentationRecord ; gpai:recordsItem {entries} .\n")
    done = _check(tmp_path, SMALL, "record.ttl", ttl)
    assert done.returncode == 0, done.stdout + done.stderr
    missing = ttl.replace('[ gpai:item documentation:article-53-1-c ; gpai:documentedIn "file article-53-1-c" ] , ',
                          "")
    done = _check(tmp_path, SMALL, "record.ttl", missing)
    assert done.returncode == 1 and "article-53-1-c" in done.stdout


@pytest.mark.parametrize("name, record, message", [
    ("typo.json", '{"annex-xi-section-1-point-2-z": "x"}', "names no documentation item"),
    ("number.json", '{"article-53-1-c": 42}', "must be a string or a list of strings"),
    ("list.json", '["article-53-1-c"]', "must be a mapping"),
    ("broken.json", '{"article-53-1-c": ', "not valid JSON"),
    ("broken.ttl", "<a> <b> ", "not valid Turtle"),
    ("none.ttl", "<https://ex.org/a> <https://ex.org/b> <https://ex.org/c> .", "expected one gpai:DocumentationRecord"),
    ("record.txt", "article-53-1-c: x", "unsupported record type"),
    # read as a description is (issue 13): nesting before any parser, YAML aliases, keys given once
    ("deep.json", '{"article-53-1-c": ' + "[" * 5000 + "]" * 5000 + "}", "nests more than"),
    ("deep.ttl", "<a> <b> " + "(" * 5000 + ")" * 5000 + " .", "nests more than"),
    ("laughs.yaml", "a: &a [x, x]\n" + "".join(f"{k}: &{k} [*{j}, *{j}, *{j}]\n"
                                                for j, k in zip("abcdefghi", "bcdefghij")), "YAML aliases"),
    ("twice.json", '{"article-53-1-c": "x", "article-53-1-c": "y"}', "is given twice"),
])
def test_a_bad_record_is_one_line_exit_2(tmp_path, name, record, message):
    done = _check(tmp_path, SMALL, name, record)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert message in done.stderr and "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_record_with_a_byte_order_mark_is_read(tmp_path):
    record = "\ufeff" + json.dumps(_complete_record(SMALL))
    done = _check(tmp_path, SMALL, "record.json", record, "--format", "json")
    assert done.returncode == 0 and json.loads(done.stdout)["complete"] is True, done.stderr


def test_a_record_too_large_is_refused_before_it_is_parsed(tmp_path):
    done = _check(tmp_path, SMALL, "big.json", '{"article-53-1-c": "' + "x" * 1_100_000 + '"}')
    assert done.returncode == 2 and "the size limit of a documentation record" in done.stderr
