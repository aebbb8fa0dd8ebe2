"""A screening (``gpai_kg.reasoning.screen``) as a file: JSON (one object per
row: the assessment's JSON contract and the input) or CSV (RFC 4180, one
record per row, every cell safe to open in a spreadsheet: ``files.csv_cell``),
by the file's suffix, written atomically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gpai_kg.errors import UserError
from gpai_kg.files import csv_text, write_atomic
from gpai_kg.publish.numbers import csv_number
from gpai_kg.reasoning.screen import ScreenedRow, Screening


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))


def _record(item: ScreenedRow) -> dict[str, Any]:
    if item.result is None:
        return {"row": item.row, "name": item.name, "error": item.error, "in_scope": None,
                "general_purpose": None, "systemic_risk": None, "obligations": [], "exemptions": [],
                "penalties": [], "undetermined": [], "input": item.description}
    return {**item.result, "input": item.description}


def write(screening: Screening, out: str | Path) -> Path:
    """Write the screening as JSON (a list, one object per row) or CSV, by
    the file's suffix, atomically (a temporary file, then a rename)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".json":
        _atomic_write(out, json.dumps([_record(i) for i in screening.rows], indent=1, ensure_ascii=False,
                                      default=str) + "\n")
        return out
    if suffix != ".csv":
        raise UserError(f"--out {out}: use a .csv or .json file")
    columns = ["row", "name", "general_purpose", "systemic_risk", "in_scope", "obligations", "exemptions",
               "penalties", "undetermined", "training_compute_flop", "provider_country", "placed_on_market_date",
               "error"]

    def cell(value):  # a float as people write it in a spreadsheet: 3.35e25, not 3.3499999999999998e+25
        if isinstance(value, float):
            return csv_number(value)
        return "" if value is None else str(value).lower() if isinstance(value, bool) else value

    lines = [columns]
    for item in screening.rows:
        r = _record(item)
        values = {
            "row": item.row, "name": item.name,
            "general_purpose": cell(r["general_purpose"]), "systemic_risk": cell(r["systemic_risk"]),
            "in_scope": cell(r["in_scope"]),
            "obligations": "; ".join(o["provision"] for o in r["obligations"]),
            "exemptions": "; ".join(f"{e['provision']} ({e['exempted_by']})" for e in r["exemptions"]),
            "penalties": "; ".join(p["provision"] for p in r["penalties"]),
            "undetermined": "; ".join(r["undetermined"]),
            "training_compute_flop": cell(item.description.get("training_compute_flop")),
            "provider_country": cell(item.description.get("provider_country")),
            "placed_on_market_date": cell(item.description.get("placed_on_market_date")),
            "error": item.error or "",
        }
        lines.append([values[c] for c in columns])
    _atomic_write(out, csv_text(lines))
    return out
