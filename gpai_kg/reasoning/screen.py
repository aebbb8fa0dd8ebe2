"""``gpai-kg screen``: assess every model of a registry.

A registry is a CSV: Epoch AI's "Notable AI Models" table as published (read
by ``gpai_kg.sources.epoch``), or a CSV whose columns are the keys of the input
contract (``name``, ``training_compute_flop``, ...; nested keys dotted). Each
row becomes a model description, checked as any description is, and is
assessed on the fast path; a bad row is reported with its error and the rest
go on. The output files are ``gpai_kg.publish.screening``'s.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gpai_kg.errors import UserError
from gpai_kg.namespaces import GKG, kebab
from gpai_kg.reasoning.contract import keys
from gpai_kg.reasoning.description import describe, parse_date
from gpai_kg.sources.epoch import EPOCH_SOURCE, EpochMapper, clean


@dataclass
class ScreenedRow:
    row: int
    name: str
    description: dict[str, Any]
    result: dict[str, Any] | None = None
    error: str | None = None


@dataclass
class Screening:
    rows: list[ScreenedRow]
    as_of: date
    source: str
    summary: dict[str, int] = field(default_factory=dict)


def contract_row(row: dict[str, str]) -> dict[str, Any]:
    """A row whose columns are keys of the input contract (dotted for nested
    ones); an empty cell is unknown."""
    raw: dict[str, Any] = {}
    for column, cell in row.items():
        key = clean(column)
        if key not in keys():
            continue
        cell = clean(cell)
        value: Any = None if cell == "" else cell
        kind = keys()[key].kind
        if value is not None and kind == "bool":
            value = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}.get(
                value.lower(), value)
        if value is not None and kind == "modalities":
            value = [v.strip() for v in re.split(r"[;,]", value) if v.strip()]
        target = raw
        parts = key.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return raw


# ---------------------------------------------------------------- reading

def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise UserError(f"no such file: {path}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UserError(f"{path}: cannot read it as a CSV file ({exc.__class__.__name__}: {exc})") from None


def _organisations(path: Path) -> dict[str, str]:
    beside = sorted(path.parent.glob("epoch_organizations*.csv"))
    if not beside:
        return {}
    return {clean(r.get("Organization")): clean(r.get("Country")) for r in _read_csv(beside[-1])}


def descriptions(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], bool]:
    """The rows of a registry as (row number, raw description); and whether it
    is Epoch's table."""
    rows = _read_csv(path)
    if not rows:
        raise UserError(f"{path}: no rows")
    columns = set(rows[0])
    if {"Model", "Training compute (FLOP)"} <= columns:
        mapper = EpochMapper(rows, _organisations(path))
        return [(n, mapper.describe(r)) for n, r in enumerate(rows, 2)], True
    if "name" in columns:
        return [(n, contract_row(r)) for n, r in enumerate(rows, 2)], False
    raise UserError(f"{path}: neither Epoch AI's columns (Model, Training compute (FLOP), ...) nor the input "
                    f"contract's (name, training_compute_flop, ...)")


# ---------------------------------------------------------------- screening

def _iri(row: int, name: str) -> str:
    return str(GKG[f"model/screened/{row}-{kebab(name, 'model')}"])


def screen(path: str | Path, as_of: date | str | None = None,
           progress: Callable[[int], None] | None = None) -> Screening:
    """Assess every row of a registry (a CSV) on ``as_of`` (a date or
    YYYY-MM-DD; default today); ``progress(advance)`` is called per row."""
    from gpai_kg.reasoning.assessment import read_assessment
    from gpai_kg.reasoning.engine import run_fast
    from gpai_kg.reasoning.law import closed_law

    path = Path(path)
    as_of = parse_date(as_of) if isinstance(as_of, str) else as_of or date.today()
    rows, is_epoch = descriptions(path)
    law = closed_law()
    screened = []
    for number, raw in rows:
        item = ScreenedRow(number, str(raw.get("name") or ""), raw)
        try:
            description = describe(raw, iri=_iri(number, str(raw.get("name") or "model")))
            item.name = description.name
            result = read_assessment(run_fast(description, as_of), description, law).to_json(chains=False)
            if is_epoch:
                result["sources"].append(EPOCH_SOURCE)
            item.result = {"row": number, **result}
        except UserError as exc:
            item.error = str(exc)
        screened.append(item)
        if progress:
            progress(1)
    screening = Screening(screened, as_of, str(path))
    screening.summary = summarise(screening)
    return screening


def summarise(screening: Screening) -> dict[str, int]:
    """How many models are general-purpose, systemic, exempt, undetermined."""
    count: Counter = Counter(models=len(screening.rows))
    for item in screening.rows:
        r = item.result
        if r is None:
            count["invalid rows"] += 1
            continue
        count["general-purpose"] += r["general_purpose"] is True
        count["not general-purpose"] += r["general_purpose"] is False
        count["systemic risk"] += r["systemic_risk"] is True
        count["in scope"] += r["in_scope"] is True
        count["exempt (open source)"] += bool(r["exemptions"])
        count["undetermined"] += None in (r["in_scope"], r["general_purpose"], r["systemic_risk"])
    keys = ["models", "general-purpose", "not general-purpose", "systemic risk", "in scope",
            "exempt (open source)", "undetermined", "invalid rows"]
    return {k: int(count[k]) for k in keys if k != "invalid rows" or count[k]}


