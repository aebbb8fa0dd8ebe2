"""Behaviour held still: the JSON of ``assess`` and ``screen`` equals, byte for
byte, what ``tests/data/golden/make_golden.py`` recorded. A refactoring must
leave these files as they are; a change of behaviour regenerates them in the
same commit, so the diff shows what changed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "data" / "golden"
sys.path.insert(0, str(GOLDEN))
import make_golden  # noqa: E402

from gpai_kg.reasoning.assessment import assess  # noqa: E402


def _json(obj, indent: int) -> str:
    return json.dumps(obj, indent=indent, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("path", sorted((make_golden.ROOT / "examples").iterdir()), ids=lambda p: p.name)
def test_examples_unchanged(path):
    got = _json(assess(path, make_golden.EXAMPLES_AS_OF).to_json(), 2)
    assert got == (GOLDEN / f"example-{path.stem}.json").read_text(encoding="utf-8")


def test_cases_unchanged():
    by_file: dict[str, list] = {}
    for stem, as_of, raw in make_golden.cases():
        by_file.setdefault(stem, []).append(json.loads(_json(assess(raw, as_of).to_json(), 2)))
    for stem, outputs in by_file.items():
        assert _json(outputs, 1) == (GOLDEN / f"cases-{stem}.json").read_text(encoding="utf-8"), stem


def test_screen_of_the_epoch_registry_unchanged(tmp_path):
    from datetime import date

    from gpai_kg.publish.screening import write
    from gpai_kg.reasoning.screen import screen

    out = write(screen(make_golden.EPOCH, date.fromisoformat(make_golden.SCREEN_AS_OF)), tmp_path / "screen.json")
    assert out.read_bytes() == (GOLDEN / "screen-epoch.json").read_bytes()


def test_every_case_has_its_golden_output():
    """Fast guard for the slow comparison above: a case added, dropped or redated without
    regenerating the golden files fails here, in the README's test command, by name."""
    recorded = {path.name[len("cases-"):-len(".json")]: [out["as_of"] for out in json.loads(path.read_text("utf-8"))]
                for path in GOLDEN.glob("cases-*.json")}
    wanted: dict[str, list] = {}
    for stem, as_of, _ in make_golden.cases():
        wanted.setdefault(stem, []).append(as_of)
    assert recorded == wanted, "tests/cases and tests/data/golden differ: run tests/data/golden/make_golden.py"
