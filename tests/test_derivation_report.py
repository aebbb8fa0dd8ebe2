"""The pieces the app draws and prints, without Streamlit: the derivation of an
obligation (facts → rules → provisions), its DOT picture, the provision
network, the Markdown report, query tables and the Screen page's verdicts."""

from __future__ import annotations

import pytest

from gpai_kg.publish.report import penalty_line
from gpai_kg.reasoning.assessment import assess
from gpai_kg.reasoning.derivation import derivation, obligation_statement
from gpai_kg.sparql.results import QueryResult
from gpai_kg.ui import graphs, tables
from gpai_kg.ui.screen_page import verdict_of

FRONTIER = {"name": "Frontier-1", "training_compute_flop": 3.8e25, "modalities": ["text"],
            "provider_country": "US", "placed_on_eu_market": True}


@pytest.fixture(scope="module")
def frontier():
    return assess(FRONTIER, "2026-11-23")


def test_the_derivation_of_article_55_1_a_goes_from_the_compute_to_article_51_2(frontier):
    o = next(o for o in frontier.obligations if o.provision == "Article 55(1)(a)")
    der = derivation(frontier, obligation_statement(frontier, o.iri))
    assert der.goal in der.statements
    assert "training_compute_flop = 3.8e+25" in der.facts.values()
    assert {"Article 51(2)", "Article 55(1)", "Article 3(63)"} <= set(der.provisions.values())
    flop = next(i for i, t in der.facts.items() if t.startswith("training_compute_flop"))
    assert any(src == flop and label == "> 1e+25" for src, _, label in der.edges)  # the comparison, on its edge
    rule_of_goal = [src for src, dst, label in der.edges if dst == der.goal]
    assert rule_of_goal and all(r in der.rules for r in rule_of_goal)


def test_every_edge_of_the_derivation_joins_drawn_nodes(frontier):
    for o in frontier.obligations:
        der = derivation(frontier, obligation_statement(frontier, o.iri))
        nodes = {**der.facts, **der.rules, **der.statements, **der.provisions}
        assert all(src in nodes and dst in nodes for src, dst, _ in der.edges), o.provision


def test_the_explanation_is_valid_dot_with_links_to_the_provisions(frontier):
    der = derivation(frontier, obligation_statement(frontier, frontier.obligations[0].iri))
    dot = graphs.explanation_graph(der)
    assert dot.startswith("digraph explanation {") and dot.endswith("}")
    assert dot.count("{") == dot.count("}")
    assert 'URL="explore?provision=Article+51%282%29"' in dot


def test_the_provision_network_caps_neighbours_and_quotes_labels():
    info = {"citation": "Article 3", "cites": [f"Article {i}" for i in range(1, 20)], "cited_by": ['Recital "1"'],
            "explained_by": []}
    dot = graphs.provision_network(info)
    assert "+7 more" in dot
    assert 'Recital \\"1\\"' in dot
    assert graphs.quote('a"b\\c') == '"a\\"b\\\\c"'


def test_a_penalty_reads_as_its_maximum():
    line = penalty_line({"max_turnover_share": 0.03, "max_amount_eur": 15_000_000.0, "cap": "whichever is higher",
                         "imposed_by": "Commission", "applies_from": "2026-08-02"})
    assert line == ("up to 3 % of worldwide annual turnover or EUR 15 000 000, whichever is higher "
                    "(imposed by the Commission, from 2026-08-02)")


def test_a_query_table_links_provisions_and_shortens_other_iris():
    uri = lambda v: {"type": "uri", "value": v}  # noqa: E731
    lit = lambda v: {"type": "literal", "value": v}  # noqa: E731
    result = QueryResult("select", ("p", "o", "c", "t"), (
        {"p": uri("http://data.europa.eu/eli/reg/2024/1689/art_53/par_1/pnt_a/oj"),
         "o": uri("https://w3id.org/gpai-kg/id/obligation/art-53-1-a"), "c": lit("Article 53(1)(a)"),
         "t": lit("draw up")},))
    frame, config = tables.frame(result)
    assert frame["p"][0] == "explore?provision=Article+53%281%29%28a%29"
    assert frame["o"][0] == "gkg:obligation/art-53-1-a"
    assert frame["c"][0] == "explore?provision=Article+53%281%29%28a%29"
    assert frame["t"][0] == "draw up"
    assert set(config) == {"p", "c"}


@pytest.mark.parametrize("result, expected", [
    (None, "invalid row"),
    ({"in_scope": False, "general_purpose": True, "systemic_risk": True, "exemptions": []}, "out of scope"),
    ({"in_scope": True, "general_purpose": True, "systemic_risk": True, "exemptions": []}, "GPAI with systemic risk"),
    ({"in_scope": True, "general_purpose": True, "systemic_risk": False, "exemptions": []}, "GPAI"),
    ({"in_scope": True, "general_purpose": True, "systemic_risk": False, "exemptions": [{}]},
     "GPAI, open-source exemptions"),
    ({"in_scope": None, "general_purpose": False, "systemic_risk": False, "exemptions": []}, "not GPAI"),
    ({"in_scope": None, "general_purpose": None, "systemic_risk": None, "exemptions": []}, "undetermined"),
])
def test_a_screened_model_gets_one_verdict(result, expected):
    assert verdict_of(result) == expected
