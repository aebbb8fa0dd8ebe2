"""``gpai-kg screen``: assess every model of a registry.

A registry is a CSV: Epoch AI's "Notable AI Models" table as published (read
by ``gpai_kg.sources.epoch``), or a CSV whose columns are the keys of the input
contract (``name``, ``training_compute_flop``, ...; nested keys dotted). Each
row becomes a model description, checked as any description is, and is
assessed on the fast path; a bad row is reported with its error and the rest
go on. The output files are ``gpai_kg.publish.screening``'s.

The file is read within the input contract's registry size limit, UTF-8 with
or without a byte-order mark. A row is bad, and reported in its ``error``
column, when it has more or fewer cells than the header, or when a quote
(``"``) left open merged the next rows into it: a cell the mapping reads
spans several lines, and one of them holds half the header's commas.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gpai_kg.errors import UserError
from gpai_kg.files import decode_text, read_capped
from gpai_kg.namespaces import GKG, kebab
from gpai_kg.reasoning.contract import keys, limits
from gpai_kg.reasoning.description import describe, parse_date
from gpai_kg.sources.epoch import COLUMNS, EPOCH_SOURCE, EpochMapper, clean


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

@dataclass
class Record:
    """One row of a CSV: its lines in the file, its cells by column, and what is wrong with it."""

    first: int
    last: int
    cells: dict[str, str]
    problem: str | None = None


def _records(path: Path) -> tuple[list[str], list[Record]]:
    text = decode_text(read_capped(path, limits().registry_bytes, "a registry"), str(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise UserError(f"{path}: no rows") from None
    except csv.Error as exc:
        raise UserError(f"{path}: the header line is not CSV ({exc})") from None
    records, line = [], reader.line_num
    while True:
        try:
            cells = next(reader)
            problem = None
        except StopIteration:
            break
        except csv.Error as exc:
            cells, problem = [], f"not CSV: {exc}"
        first, line = line + 1, reader.line_num
        if problem is None and len(cells) != len(header):
            problem = f"{len(cells)} cells, the header has {len(header)}"
        records.append(Record(first, line, dict(zip(header, cells)), problem))
    return header, records


def _merged(record: Record, columns: list[str], width: int) -> str | None:
    """Whether a quote left open merged the next rows into ``record`` (see the module docstring)."""
    for column in columns:
        cell = record.cells.get(column) or ""
        if any(line.count(",") >= width // 2 for line in cell.splitlines()[1:]):
            return (f"a quote (\") opened in the column {column!r} on line {record.first} is not closed until line "
                    f"{record.last}: the {record.last - record.first + 1} lines were read as one row; close the quote")
    return None


def _read_csv(path: Path) -> list[dict[str, str]]:
    return [r.cells for r in _records(path)[1] if r.problem is None]


def _organisations(path: Path) -> dict[str, str]:
    beside = sorted(path.parent.glob("epoch_organizations*.csv"))
    if not beside:
        return {}
    return {clean(r.get("Organization")): clean(r.get("Country")) for r in _read_csv(beside[-1])}


Row = tuple[int, dict[str, Any], "str | None"]


def descriptions(path: Path) -> tuple[list[Row], bool]:
    """The rows of a registry as (row number, raw description, what is wrong
    with the row or None); and whether it is Epoch's table."""
    header, records = _records(path)
    if not records:
        raise UserError(f"{path}: no rows")
    columns = set(header)
    if {"Model", "Training compute (FLOP)"} <= columns:
        mapped, read = [c for c in COLUMNS if c in columns], None
    elif "name" in columns:
        mapped, read = [c for c in header if clean(c) in keys()], contract_row
    else:
        raise UserError(f"{path}: neither Epoch AI's columns (Model, Training compute (FLOP), ...) nor the input "
                        f"contract's (name, training_compute_flop, ...)")
    is_epoch = read is None
    for record in records:
        record.problem = record.problem or _merged(record, mapped, len(header))
    good = [r.cells for r in records if r.problem is None]
    if is_epoch:
        mapper = EpochMapper(good, _organisations(path))
        read = mapper.describe
    rows: list[Row] = []
    for n, record in enumerate(records, 2):
        where = f"line {record.first}" if record.first == record.last else f"lines {record.first}–{record.last}"
        rows.append((n, read(record.cells), None) if record.problem is None else
                    (n, {"name": clean(next(iter(record.cells.values()), ""))[:80]}, f"{where}: {record.problem}"))
    return rows, is_epoch


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
    for number, raw, problem in rows:
        item = ScreenedRow(number, str(raw.get("name") or ""), raw)
        try:
            if problem:
                raise UserError(problem)
            description = describe(raw, iri=_iri(number, str(raw.get("name") or "model")))
            item.name = description.name
            result = read_assessment(run_fast(description, as_of), description, law).to_json(
                chains=False, documentation=False)  # a registry's rows: the answers, not each dossier
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


