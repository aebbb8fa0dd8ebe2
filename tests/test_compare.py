"""gpai-kg compare (publish/comparison.py, cli/compare.py): two models, or one model on two dates —
the answers and obligations that differ, and the facts and provisions that make the difference."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gpai_kg.cli.compare import _side, sides
from gpai_kg.errors import UserError
from gpai_kg.publish.comparison import compare

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FRONTIER, OPEN = EXAMPLES / "frontier-model.json", EXAMPLES / "open-weights-model.yaml"


@pytest.fixture(scope="module")
def two_models() -> dict:
    return compare(_side(FRONTIER, "2026-12-01"), _side(OPEN, "2026-12-01"))


def test_two_models_differ_in_systemic_risk_because_of_the_compute_threshold(two_models):
    (answer,) = [a for a in two_models["answers"] if a["answer"] == "systemic_risk"]
    assert (answer["left"], answer["right"]) == (True, False)
    assert "training_compute_flop = 3.8e+25 > 1e+25 FLOP" in answer["left_only"]
    assert "Article 51(1)(a)" in answer["left_only"]
    assert "training_compute_flop = 8e+23 <= 1e+25 FLOP" in answer["right_only"]
    # a test both sides pass (more than 10^23 FLOP) makes no difference
    assert not [s for s in answer["left_only"] + answer["right_only"] if s.endswith("> 1e+23 FLOP")]


def test_obligations_owed_on_one_side_only_say_what_lifts_or_attaches_them(two_models):
    by = {o["provision"]: o for o in two_models["obligations"]}
    assert by["Article 53(1)(a)"]["right"] is None and by["Article 53(1)(a)"]["lifted_by"] == {"right": "Article 53(2)"}
    assert by["Article 54(1)"]["lifted_by"] == {"right": "Article 54(6)"}
    assert by["Article 55(1)(a)"]["right"] is None and not by["Article 55(1)(a)"]["lifted_by"]
    assert "Article 55(1)" in by["Article 55(1)(a)"]["left_only"]
    assert by["Article 53(1)(c)"]["note"] == "applies from 2025-09-15 on the left, from 2025-10-01 on the right"
    granted = {(e["provision"], e["exempted_by"]) for e in two_models["exemptions"] if e["right"]}
    assert ("Article 53(1)(a)", "Article 53(2)") in granted and ("Article 54(1)", "Article 54(6)") in granted
    facts = {f["key"]: (f["left"], f["right"]) for f in two_models["facts"]}
    assert facts["training_compute_flop"] == ("3.8 × 10^25", "8 × 10^23") and "name" not in facts


def test_one_model_on_two_dates_differs_in_what_is_yet_applicable():
    diff = compare(_side(FRONTIER, "2025-07-01"), _side(FRONTIER, "2026-12-01"))
    assert not diff["facts"] and not diff["answers"]
    by = {o["provision"]: o for o in diff["obligations"]}
    assert by["Article 53(1)(a)"]["left"] == {"due": "2025-09-15", "status": "not yet applicable"}
    assert by["Article 53(1)(a)"]["right"]["status"] == "applicable"
    assert by["Article 53(1)(a)"]["note"] == "on the left, as of 2025-07-01: not yet applicable (applies from 2025-09-15)"


def test_the_same_model_on_the_same_date_is_the_same():
    side = _side(FRONTIER, "2026-12-01")
    assert compare(side, side)["same"] is True


def test_sides_are_two_models_or_one_model_on_two_dates():
    assert sides([FRONTIER], ["2025-01-01", "2026-01-01"]) == [(FRONTIER, "2025-01-01"), (FRONTIER, "2026-01-01")]
    assert sides([FRONTIER, OPEN], ["2025-01-01"]) == [(FRONTIER, "2025-01-01"), (OPEN, "2025-01-01")]
    for models, dates in (([FRONTIER], []), ([FRONTIER], ["2025-01-01"]), ([FRONTIER, OPEN, OPEN], [])):
        with pytest.raises(UserError, match="compare takes two models"):
            sides(models, dates)


def test_the_cli_prints_the_differences_as_json_and_text():
    base = [sys.executable, "-m", "gpai_kg", "compare", str(FRONTIER), str(OPEN), "--as-of", "2026-12-01"]
    done = subprocess.run(base + ["--format", "json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert {a["answer"] for a in json.loads(done.stdout)["answers"]} == {"systemic_risk"}
    text = subprocess.run(base, capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "140"})
    assert "answers that differ" in text.stdout and "lifted by Article 53(2)" in text.stdout, text.stderr
    one = subprocess.run([sys.executable, "-m", "gpai_kg", "compare", str(FRONTIER)], capture_output=True, text=True,
                         timeout=120)
    assert one.returncode == 2 and one.stderr.count("\n") == 1 and "compare takes two models" in one.stderr
