"""Explanations are read from the graph: every ``because`` ends in its
obligation's provision, every citation in it is a provision of the graph with
its verbatim text, and the PROV-O structure behind it is sound."""

from __future__ import annotations

import re
from datetime import date

import pytest

from gpai_kg.reasoning.assessment import assess
from gpai_kg.reasoning.contract import keys as _keys
from gpai_kg.store.lookup import citation_index

KEYS = _keys()
from gpai_kg.namespaces import GPAI
from gpai_kg.publish.assessment_rdf import asserted_graph, inferred_graph
from gpai_kg.reasoning.rules import rule_by_iri

PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OPEN = {"free_open_source_licence": True, "weights_public": True, "architecture_public": True,
        "usage_info_public": True}
MODELS = {
    "frontier": {"name": "F", "training_compute_flop": 3.8e25, "modalities": ["text"], "provider_country": "US",
                 "placed_on_market_date": "2024-06-01", "eu_business_users": 20000},
    "open": {"name": "O", "training_compute_flop": 8e23, "modalities": ["code"], "provider_country": "CN",
             "open_source": OPEN},
    "modified": {"name": "M", "modalities": ["text"], "provider_country": "US",
                 "modified_from": {"name": "B", "training_compute_flop": 9e24}, "modification_compute_flop": 4e24},
    "designated": {"name": "D", "general_purpose": True, "training_compute_flop": 2e24, "provider_country": "FR",
                   "designated_by_commission": True},
    "internal": {"name": "I", "training_compute_flop": 2e25, "modalities": ["text"], "internal_use_only": True,
                 "provider_country": "DE"},
}
CITATION = re.compile(r"^(Article|Recital|Annex) ")


@pytest.fixture(scope="module", params=sorted(MODELS))
def result(request):
    return assess(MODELS[request.param], date(2026, 9, 1))


def test_every_because_ends_in_its_provision(result):
    assert result.obligations
    for o in result.obligations:
        assert o.because[-1] == o.provision


def test_every_citation_in_a_because_is_a_provision_of_the_graph_with_its_text(result, store):
    index = citation_index(store)
    texts = {}
    for chain in [o.because for o in result.obligations] + [o.due_because for o in result.obligations] \
            + [e.because for e in result.exemptions] + [p.because for p in result.penalties]:
        for step in chain:
            if CITATION.match(step):
                from gpai_kg.citations import to_iri

                iri = to_iri(index.resolve(step))
                if iri not in texts:
                    rows = list(store.query(f"SELECT ?t WHERE {{ <{iri}> <{GPAI.text}> ?t }}",
                                            use_default_graph_as_union=True))
                    texts[iri] = rows[0]["t"].value if rows else None
                assert texts[iri], f"{step}: no gpai:text for {iri}"
            else:
                key = step.split(" ", 1)[0]
                fact = key in KEYS or key == "as_of"
                assert step.endswith("(guidance)") or fact, f"neither a fact nor a citation: {step!r}"


def test_chain_steps_carry_the_verbatim_text_of_their_provision(result, store):
    for o in result.to_json()["obligations"]:
        last = o["chain"][-1]
        assert last["kind"] == "provision" and last["text"] == o["provision"]
        rows = list(store.query(f"SELECT ?t WHERE {{ <{last['iri']}> <{GPAI.text}> ?t }}",
                                use_default_graph_as_union=True))
        assert last["provision_text"] == rows[0]["t"].value


def test_guidance_is_cited_as_guidance_never_as_law(result):
    for o in result.obligations:
        for step in o.because:
            if "guidelines" in step:
                assert step.startswith("Commission guidelines C(2025) 5045") and step.endswith("(guidance)")


def test_every_conclusion_was_generated_by_a_rule_that_implements_provisions(result):
    rules = rule_by_iri()
    conclusions = [n for n, p in result.run.index.items() if str(GPAI.Conclusion) in p.get(RDF_TYPE, ())]
    assert conclusions
    for node in conclusions:
        generated = result.run.index[node][PROV + "wasGeneratedBy"]
        assert len(generated) == 1 and generated[0] in rules, node
        statement = result.run.index[node][PROV + "specializationOf"][0]
        assert str(GPAI.InferredStatement) in result.run.index[statement][RDF_TYPE]


def test_every_premise_is_a_fact_a_statement_or_a_law_node(result):
    law = result.law
    for node, props in result.run.index.items():
        for premise in props.get(PROV + "wasDerivedFrom", ()):
            known = premise in result.run.index or premise in law.index
            assert known, f"{node} is derived from {premise}, which is nowhere in the graph"


def test_asserted_and_inferred_graphs_are_apart(result):
    asserted, inferred = set(asserted_graph(result)), set(inferred_graph(result))
    assert asserted and inferred and not asserted & inferred
    assert all(str(t[2]) != str(GPAI.Conclusion) for t in asserted)


def test_the_reasons_of_a_frontier_model_read_from_facts_through_rules_to_the_provision():
    result = assess(MODELS["frontier"], date(2026, 9, 1))
    by = {o.provision: o for o in result.obligations}
    assert by["Article 55(1)(a)"].because == [
        "training_compute_flop = 3.8e+25 > 1e+23 FLOP", "modalities include text", "Article 3(63)",
        "Commission guidelines C(2025) 5045, section 2.1 (guidance)",
        "training_compute_flop = 3.8e+25 > 1e+25 FLOP", "Article 51(2)", "Article 51(1)(a)", "Article 51(1)",
        "as_of = 2026-09-01 >= 2024-08-01", "Article 113, first subparagraph",
        "placed_on_eu_market = true (assumed)", "Article 2(1)(a)", "Article 55(1)", "Article 55(1)(a)"]
    assert by["Article 53(1)(a)"].due_because[:2] == ["placed_on_market_date = 2024-06-01 < 2025-08-02",
                                                      "Article 111(3)"]
