"""Values of the law are data: the package holds no date, threshold, count or
provision IRI of the law (those live in data/curated/ and the built graph),
and each value carries the period it holds for (gpai:DatedValue), so a
delegated act under Article 51(3) moving the 10^25 FLOP threshold is one more
dated value in data/curated/thresholds.ttl: the answers move with it from its
date, earlier dates keep 10^25, and everything else still works."""

from __future__ import annotations

import ast
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from gpai_kg import paths

PACKAGE = Path(__file__).resolve().parents[1] / "gpai_kg"
#: What a value of the law looks like in Python source.
LAW_LITERALS = re.compile(r"\b20\d\d-\d\d-\d\d\b|\b1e\+?2\d\b|\b10\^\d+|10 000|"
                          r"/id/(?:deadline|threshold|obligation|condition|exemption|penalty|power|note|time-limit|"
                          r"documentation|required-fact|infringement)/|"
                          r"reg/2024/1689/(?:art|anx|rct|cpt)_")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def test_no_value_of_the_law_is_written_in_python():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                if LAW_LITERALS.search(node.value):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value[:60]!r}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, float) and node.value >= 1e20:
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value}")
    assert not offenders, "law values in Python:\n" + "\n".join(offenders)


AS_OF = date(2026, 9, 1)
#: The day a delegated act under Article 51(3) (hypothetical, made up for this test) raises 10^25 to 10^26.
DELEGATED_FROM = date(2027, 3, 1)
AFTER = date(2027, 6, 1)
DELEGATED_ACT = "http://data.europa.eu/eli/reg_del/2027/9999/oj"
FRONTIER = {"name": "Three", "training_compute_flop": 3e25, "modalities": ["text"], "provider_country": "FR"}
BIGGER = {"name": "Bigger", "training_compute_flop": 2e26, "modalities": ["text"], "provider_country": "FR"}
FINE_TUNE = {"name": "Tuned", "modalities": ["text"], "provider_country": "FR", "modification_compute_flop": 4e25,
             "modified_from": {"name": "Base", "systemic_risk": True}}


def _chain(result, key: str) -> str:
    return " → ".join(result.reasons.get(key, []))


@pytest.fixture
def delegated_act(law_copy):
    """The copy of the law with a delegated act under Article 51(3) raising Article 51(2)'s value from 10^25
    to 10^26 from DELEGATED_FROM: one more dated value of threshold:art-51-2 (OpenFisca's parameters), and
    nothing else edited."""
    thresholds = law_copy / "data/curated/thresholds.ttl"
    text = thresholds.read_text(encoding="utf-8")
    old = "gpai:hasValue threshold:art-51-2-from-2024-08-01 ;"
    assert text.count(old) == 1
    text = text.replace(old, "gpai:hasValue threshold:art-51-2-from-2024-08-01 , threshold:art-51-2-from-2027-03-01 ;")
    text += f"""
threshold:art-51-2-from-2027-03-01 a gpai:DatedValue ;
    gpai:valueOf gpai:thresholdValue ;
    gpai:value "1.0E26"^^xsd:double ;
    gpai:validFrom "{DELEGATED_FROM.isoformat()}"^^xsd:date ;
    gpai:legalBasis <{DELEGATED_ACT}> .

<{DELEGATED_ACT}> rdfs:label "Commission Delegated Regulation (EU) 2027/9999 amending Article 51(2)" .
"""
    thresholds.write_text(text, encoding="utf-8")
    return law_copy


def test_before_the_delegated_act_3e25_flop_is_systemic():
    from gpai_kg.reasoning.assessment import assess

    result = assess(FRONTIER, AS_OF)
    assert result.systemic_risk is True
    assert "training_compute_flop = 3e+25 > 1e+25 FLOP" in _chain(result, "systemic_risk")


def test_a_delegated_act_raising_article_51_2_moves_the_answers_from_its_date_only(delegated_act):
    from gpai_kg.reasoning.assessment import assess

    # the day before the delegated act applies: 10^25 still holds, and the chain cites Article 51(2) alone
    before = assess(FRONTIER, DELEGATED_FROM - timedelta(days=1))
    assert before.systemic_risk is True
    assert "training_compute_flop = 3e+25 > 1e+25 FLOP" in _chain(before, "systemic_risk")
    assert "Delegated Regulation" not in _chain(before, "systemic_risk")
    # from its date: 10^26, cited with the act that set it
    below = assess(FRONTIER, DELEGATED_FROM)
    assert below.systemic_risk is False
    assert "training_compute_flop = 3e+25 <= 1e+26 FLOP" in _chain(below, "systemic_risk")
    assert "Commission Delegated Regulation (EU) 2027/9999 amending Article 51(2)" in below.reasons["systemic_risk"]
    assert "Article 55(1)(a)" not in {o.provision for o in below.obligations}
    above = assess(BIGGER, AFTER)
    assert above.systemic_risk is True and "training_compute_flop = 2e+26 > 1e+26 FLOP" in _chain(above, "systemic_risk")
    # the modifier's fallback bound is a third of the amended value (gpai:fractionOf): 4e25 > 1e26 / 3
    tuned = assess(FINE_TUNE, AFTER)
    steps = [s for o in tuned.obligations for s in o.because]
    assert any("modification_compute_flop = 4e+25 > 3.33333333333e+25 FLOP" in s for s in steps), steps
    # both engines read the same value on each side of the date
    for day in (DELEGATED_FROM - timedelta(days=1), DELEGATED_FROM):
        assert assess(FRONTIER, day, engine="naive").systemic_risk == assess(FRONTIER, day).systemic_risk


def test_after_the_delegated_act_everything_else_still_works(delegated_act):
    from gpai_kg.publish.rulebook import markdown
    from gpai_kg.reasoning.assessment import assess
    from gpai_kg.reasoning.screen import screen
    from gpai_kg.sparql.canned import bind, catalogue
    from gpai_kg.sparql.run import run_query
    from gpai_kg.store.browse import flop_thresholds
    from gpai_kg.store.dataset import load_store

    for path in sorted((paths.ROOT / "examples").iterdir()):
        assess(path, AFTER).to_json()
    screening = screen(paths.SOURCES_DIR / "models" / "epoch_notable_ai_models_2025-04-18.csv", AFTER)
    systemic = [row for row in screening.rows if row.result is not None and row.result["systemic_risk"]]
    assert systemic, "no model above 10^26 FLOP"
    assert all((row.description.get("training_compute_flop") or 0) > 1e26 for row in systemic)
    store = load_store()
    assert {1e25, 1e26} <= {value for value, _ in flop_thresholds(store)}  # both values, each with its period
    words = {"term": "general-purpose AI model", "text": "systemic risk"}
    for query in catalogue():
        if not query.input:
            values = {p.name: words[p.name] for p in query.params if p.required}
            run_query(query.text, bind(query, values, store), store=store)
    assert "## 51-2-presumption-high-impact" in markdown()
