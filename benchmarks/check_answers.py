"""Check the answers alone (``screen --summary-only``, ``--out FILE.csv``:
``gpai_kg.reasoning.batch.answer_batch``) against the per-model engine, row
by row, on a registry (default: 10 000 generated rows, made with
gen_registry.py's seed 16 if absent).

    python benchmarks/check_answers.py [CSV] [--as-of 2026-09-01 ...]

For every row, on each date: in_scope, general_purpose, systemic_risk, the
obligations (provision and IRI), the exemptions (provision, exempted by), the
penalties and the undetermined keys of the set-at-a-time answers equal those
of ``run_fast`` + ``read_assessment`` for that row alone. Exit status 1 on
any disagreement.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import date
from pathlib import Path

from gpai_kg.errors import UserError
from gpai_kg.reasoning.assessment import read_assessment
from gpai_kg.reasoning.description import describe
from gpai_kg.reasoning.engine import run_fast
from gpai_kg.reasoning.law import closed_law
from gpai_kg.reasoning.registry import Registry
from gpai_kg.reasoning.screen import _iri, screen_stream

HERE = Path(__file__).resolve().parent
KEYS = ("in_scope", "general_purpose", "systemic_risk", "undetermined")


def answers_of(result: dict) -> dict:
    """The answers of a screened row's (or an assessment's) JSON."""
    return {**{k: result[k] for k in KEYS},
            "obligations": [(o["provision"], o["iri"]) for o in result["obligations"]],
            "exemptions": [(e["provision"], e["exempted_by"]) for e in result["exemptions"]],
            "penalties": [p["provision"] for p in result["penalties"]]}


def per_model(registry: Registry, as_of: date):
    law = closed_law()
    for number, raw, problem in registry.rows():
        try:
            model = describe(raw, iri=_iri(number, str(raw.get("name") or "model"))) if problem is None else None
        except UserError:
            model = None
        yield number, None if model is None else answers_of(
            read_assessment(run_fast(model, as_of), model, law, documentation=False).to_json(chains=False))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", nargs="?", type=Path, default=HERE.parent / ".bench" / "registry_10000.csv")
    ap.add_argument("--as-of", action="append", type=date.fromisoformat)
    args = ap.parse_args()
    if not args.csv.exists():
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(HERE / "gen_registry.py"), "10000", str(args.csv), "--seed", "16"],
                       check=True, stdout=subprocess.DEVNULL)
    disagree = 0
    for as_of in args.as_of or [date(2026, 9, 1)]:
        registry, rows = Registry(args.csv), 0
        for item, (number, expected) in zip(screen_stream(registry, as_of, answers_only=True),
                                            per_model(registry, as_of), strict=True):
            got = None if item.result is None else answers_of(item.result)
            rows += 1
            if item.row != number or got != expected:
                disagree += 1
                if disagree <= 5:
                    print(f"row {number} on {as_of}: answers {got} != per-model {expected}")
        print(f"{args.csv.name} as of {as_of}: {rows - disagree}/{rows} rows agree")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
