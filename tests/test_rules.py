"""The rules, tested as named legal cases (OpenFisca style).

Each file of ``tests/cases/`` holds the cases of one provision group: a full
sentence per case, an ``input`` (a model description) and an ``output`` (the
part of the ``assess`` JSON it must show). One checker runs them all; each file
becomes a test named after its provision (``test_article_51_...[A model
trained with exactly 10^25 FLOP ...]``). Besides: every rule is exercised by
some case, every rule file is headed by the provision it implements, and the
thresholds are data (a delegated act under Article 51(3) is a one-line edit).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from gpai_kg.namespaces import GPAI
from gpai_kg.reasoning.assessment import assess
from gpai_kg.reasoning.rules import rules

CASES = Path(__file__).parent / "cases"
_CACHE: dict = {}


def run_case(case: dict, spec: dict):
    as_of = case.get("as_of", spec.get("as_of"))
    key = (repr(case["input"]), str(as_of))
    if key not in _CACHE:
        _CACHE[key] = assess(case["input"], as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of)))
    return _CACHE[key]


def _subsequence(expected: list[str], actual: list[str]) -> bool:
    position = 0
    for item in expected:
        try:
            position = actual.index(item, position) + 1
        except ValueError:
            return False
    return True


def check(result, expected: dict) -> None:
    out = result.to_json(chains=False)
    by_provision = {o["provision"]: o for o in out["obligations"]}
    provisions = set(by_provision)
    for key, want in expected.items():
        if key in ("general_purpose", "systemic_risk", "in_scope"):
            assert out[key] is want, f"{key}: {out[key]!r}, expected {want!r}"
        elif key == "obligations":
            assert provisions == set(want), f"obligations {sorted(provisions)}, expected {sorted(want)}"
        elif key == "obligations_include":
            assert set(want) <= provisions, f"missing {sorted(set(want) - provisions)} in {sorted(provisions)}"
        elif key == "obligations_exclude":
            assert not set(want) & provisions, f"unexpected {sorted(set(want) & provisions)}"
        elif key == "exemptions":
            got = {(e["provision"], e["exempted_by"]) for e in out["exemptions"]}
            assert got == {(e["provision"], e["exempted_by"]) for e in want}, f"exemptions {sorted(got)}"
        elif key == "penalties":
            assert {p["provision"] for p in out["penalties"]} == set(want), f"penalties {out['penalties']}"
        elif key == "penalty_details":
            assert out["penalties"], "no penalty"
            for field, value in want.items():
                assert str(out["penalties"][0][field]) == str(value) or out["penalties"][0][field] == value, field
        elif key == "undetermined":
            assert out["undetermined"] == sorted(want), f"undetermined {out['undetermined']}"
        elif key == "undetermined_includes":
            assert set(want) <= set(out["undetermined"]), f"undetermined {out['undetermined']}"
        elif key in ("due", "status", "bearer"):
            for provision, value in want.items():
                assert by_provision[provision][key] == str(value), f"{provision} {key}: {by_provision[provision][key]}"
        elif key in ("because_includes", "due_because_includes"):
            field = key[: -len("_includes")]
            for provision, steps in want.items():
                chain = by_provision[provision][field]
                assert _subsequence(steps, chain), f"{provision} {field}: {chain}"
        elif key == "supervision":
            got = {(v["provision"], v["authority"]) for v in out["supervision"]}
            assert got == {(v["provision"], v["authority"]) for v in want}, f"supervision {sorted(got)}"
        elif key == "supervision_because_includes":
            by_basis = {v["provision"]: v["because"] for v in out["supervision"]}
            for provision, steps in want.items():
                assert _subsequence(steps, by_basis[provision]), f"{provision}: {by_basis[provision]}"
        elif key in ("notes_include", "notes_exclude"):
            for text in want:
                found = any(text in note for note in out["notes"])
                assert found is (key == "notes_include"), f"notes {out['notes']}"
        elif key == "reasons_includes":  # the chain behind one of the three answers
            for which, steps in want.items():
                assert _subsequence(steps, out["reasons"][which]), f"{which}: {out['reasons'][which]}"
        elif key == "summary_includes":  # an answer's plain sentence, or an obligation's
            for which, texts in want.items():
                said = out["summary"][which] if which in out["summary"] else by_provision[which]["summary"]
                for text in texts:
                    assert text in said, f"{which} summary: {said!r}"
        elif key in ("not_applied", "not_applied_exclude"):
            why_not = {n["exemption"]: n["why_not"] for n in out["exemptions_not_applied"]}
            if key == "not_applied_exclude":
                assert not set(want) & set(why_not), f"exemptions not applied {why_not}"
            for exemption, texts in (want.items() if isinstance(want, dict) else ()):
                assert exemption in why_not, f"{exemption} not among {why_not}"
                for text in texts:
                    assert text in why_not[exemption], f"{exemption}: {why_not[exemption]!r}"
        elif key in ("documentation", "documentation_include", "documentation_exclude", "documentation_status"):
            items = {d["item"]: d for d in out["documentation"]}
            if key == "documentation":
                assert set(items) == set(want), f"documentation {sorted(items)}"
            elif key == "documentation_include":
                assert set(want) <= set(items), f"missing {sorted(set(want) - set(items))}"
            elif key == "documentation_exclude":
                assert not set(want) & set(items), f"unexpected {sorted(set(want) & set(items))}"
            else:
                for item, (status, by) in ((i, v if isinstance(v, list) else [v, None]) for i, v in want.items()):
                    assert (items[item]["status"], items[item]["exempted_by"]) == (status, by), items[item]
        elif key in ("exemption_because_exclude", "exemption_why"):
            lifted = {e["provision"]: e for e in out["exemptions"]}
            for provision, texts in want.items():
                for text in texts:
                    if key == "exemption_why":
                        assert text in lifted[provision]["why"], f"{provision}: {lifted[provision]['why']!r}"
                    else:
                        assert text not in lifted[provision]["because"], f"{provision}: {lifted[provision]['because']}"
        elif key == "infringements":
            assert out["penalties"], "no penalty"
            got = {i["provision"]: i["concerns"] for i in out["penalties"][0]["infringements"]}
            for provision, concerns in want.items():
                assert got[provision] == concerns, f"{provision}: {got[provision]}"
        else:
            raise AssertionError(f"unknown expectation {key!r}")
    for o in out["obligations"]:  # every chain ends in its provision
        assert o["because"][-1] == o["provision"]


def _case_files() -> list[tuple[Path, dict]]:
    return [(path, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in sorted(CASES.glob("*.yaml"))]


def _make_test(spec: dict):
    def test(case):
        check(run_case(case, spec), case["output"])

    test.__doc__ = f"{spec['provision']}: cases of tests/cases."
    return pytest.mark.parametrize("case", [pytest.param(c, id=c["name"]) for c in spec["cases"]])(test)


for _path, _spec in _case_files():
    globals()[_spec["test"]] = _make_test(_spec)


# ---------------------------------------------------------------- the rules themselves

def test_every_rule_is_exercised_by_a_named_case():
    """Each rule draws a conclusion in at least one case (cax-sco aside: it
    states classes, not conclusions; see the next test)."""
    fired = set()
    for _, spec in _case_files():
        for case in spec["cases"]:
            result = run_case(case, spec)
            for props in result.run.index.values():
                fired.update(props.get("http://www.w3.org/ns/prov#wasGeneratedBy", ()))
    missing = {r.name for r in rules() if r.iri not in fired and not r.after_each_stratum}
    assert not missing, f"rules no case exercises: {sorted(missing)}"


def test_owl_rl_cax_sco_gives_a_model_with_systemic_risk_its_superclasses():
    result = assess({"name": "Big", "training_compute_flop": 2e25, "modalities": ["text"]}, date(2026, 9, 1))
    types = set(result.run.index[result.model]["http://www.w3.org/1999/02/22-rdf-syntax-ns#type"])
    assert {str(GPAI.GeneralPurposeAIModel), str(GPAI.AIModel), "https://w3id.org/dpv/legal/eu/aiact#GPAIModel"} <= types


def test_every_rule_node_implements_provisions_that_exist_with_their_text(store):
    for rule in rules():
        assert rule.implements or rule.after_each_stratum or rule.name == "obligations-not-lifted", rule.name
        for iri in rule.implements:
            rows = list(store.query(f"SELECT ?t WHERE {{ <{iri}> <{GPAI.text}> ?t }}", use_default_graph_as_union=True))
            assert rows, f"{rule.name}: {iri} has no gpai:text"


def test_the_compute_thresholds_are_strict_as_the_rules_read_them(store):
    """The rules read "greater than" (Article 51(2); guidelines section 2.1)
    as strict; the curated thresholds say the same."""
    for node in ("art-51-2", "guidance-gpai-indicative-compute", "guidance-modification-one-third"):
        rows = list(store.query(f"SELECT ?c WHERE {{ <https://w3id.org/gpai-kg/id/threshold/{node}> "
                                f"<{GPAI.comparison}> ?c }}", use_default_graph_as_union=True))
        assert [r["c"].value for r in rows] == ["greaterThan"], node
