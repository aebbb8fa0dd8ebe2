"""``gpai-kg screen``: assess every model of a registry.

Reads Epoch AI's "Notable AI Models" table as published (Epoch AI, "Data on
AI Models", epoch.ai/data/ai-models, CC BY 4.0; a copy is in
``data/sources/models/``), or a CSV whose columns are the keys of the input
contract (``name``, ``training_compute_flop``, ...). Each row is mapped to a
model description and assessed on the fast path. A fact the registry does not
give stays unknown -- an empty compute is unknown, not 0 -- and the answer says
"undetermined", naming the missing fact, never a silent "out of scope".

How Epoch's columns become facts (assumptions, documented in docs/reasoning.md):

- ``Training compute (FLOP)`` -> training_compute_flop (cumulative; for a
  fine-tuned model Epoch's figure is taken as including the base model's).
- ``Country (from Organization)`` -> provider_country: the first organisation
  listed is taken as the provider, and its country is the first country listed
  that is not "Multinational" (else the organisations table's country for it).
- ``Domain`` -> modalities (``DOMAIN_MODALITIES``).
- ``Publication date`` -> placed_on_market_date (publication taken as placing).
- ``Model accessibility`` -> placed_on_eu_market and open_source
  (``ACCESS``): API, hosted or open-weights access is taken as placing on the
  Union market (available worldwide, so in the Union); "Unreleased" is not
  placed; empty is unknown. Only unrestricted open weights count as a free and
  open-source licence (non-commercial or restricted-use licences are excluded,
  guidelines C(2025) 5045, Section 4, paragraph (83)); Epoch records no
  monetisation, taken as none.
- ``Base model`` and ``Finetune compute (FLOP)`` -> modified_from and
  modification_compute_flop when the base model is another organisation's;
  a model built by the base model's own organisation is part of that model's
  lifecycle (guidelines, Section 2.2) and is assessed on its own compute.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gpai_kg.errors import UserError
from gpai_kg.files import write_atomic
from gpai_kg.reasoning.contract import keys
from gpai_kg.reasoning.description import describe
from gpai_kg.namespaces import GKG, kebab

EPOCH_CITATION = "Epoch AI, 'Data on AI Models', epoch.ai/data/ai-models"
EPOCH_SOURCE = {"title": f"{EPOCH_CITATION} (CC BY 4.0)", "url": "https://epoch.ai/data/ai-models"}

#: Epoch's domains and the output modalities they are taken to mean.
DOMAIN_MODALITIES = {
    "Language": "text", "Multimodal": "text", "Image generation": "image", "Video": "video",
    "Speech": "speech", "Audio": "audio",
}
#: Epoch's "Model accessibility" and the facts taken from it.
OPEN = {"free_open_source_licence": True, "weights_public": True, "architecture_public": True,
        "usage_info_public": True, "monetised": False}
RESTRICTED = {**OPEN, "free_open_source_licence": False}
ACCESS: dict[str, dict[str, Any]] = {
    "API access": {"placed_on_eu_market": True},
    "Hosted access (no API)": {"placed_on_eu_market": True},
    "Open weights (unrestricted)": {"placed_on_eu_market": True, "open_source": OPEN},
    "Open weights (non-commercial)": {"placed_on_eu_market": True, "open_source": RESTRICTED},
    "Open weights (restricted use)": {"placed_on_eu_market": True, "open_source": RESTRICTED},
    "Unreleased": {"placed_on_eu_market": False},
    "": {"placed_on_eu_market": None},
}
#: Country names of Epoch's tables that ISO 3166 spells otherwise.
COUNTRY_NAMES = {"Korea (Republic of)": "KR", "Russia": "RU", "Iran (Islamic Republic of)": "IR",
                 "Taiwan": "TW", "Turkey": "TR", "Vietnam": "VN"}


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


# ---------------------------------------------------------------- mapping

def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _number(text: str | None) -> float | None:
    text = _clean(text).replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value >= 0 else None


def _date(text: str | None) -> str | None:
    text = _clean(text)
    try:
        return date.fromisoformat(text).isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def country_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name of Epoch's tables."""
    import pycountry

    name = _clean(name)
    if not name or name == "Multinational":
        return None
    if name in COUNTRY_NAMES:
        return COUNTRY_NAMES[name]
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


def _modalities(domain: str) -> list[str] | None:
    parts = [_clean(p) for p in (domain or "").split(",") if _clean(p)]
    if not parts:
        return None
    found = sorted({DOMAIN_MODALITIES[p] for p in parts if p in DOMAIN_MODALITIES})
    return found  # [] means none of the contract's modalities (stated as "other")


class EpochMapper:
    """Maps rows of Epoch's table to model descriptions."""

    def __init__(self, rows: list[dict[str, str]], organisations: dict[str, str]):
        self.by_name = {_clean(r.get("Model")): r for r in rows}
        self.organisations = organisations

    def _orgs(self, row: dict[str, str]) -> list[str]:
        return [_clean(o) for o in (row.get("Organization") or "").split(",") if _clean(o)]

    def _country(self, row: dict[str, str]) -> str | None:
        for name in (row.get("Country (from Organization)") or "").split(","):
            code = country_code(name)
            if code:
                return code
        orgs = self._orgs(row)
        return country_code(self.organisations.get(orgs[0], "")) if orgs else None

    def describe(self, row: dict[str, str]) -> dict[str, Any]:
        raw: dict[str, Any] = {"name": _clean(row.get("Model")) or "unnamed model"}
        raw["training_compute_flop"] = _number(row.get("Training compute (FLOP)"))
        raw["parameters"] = _number(row.get("Parameters"))
        raw["provider_country"] = self._country(row)
        raw["modalities"] = _modalities(row.get("Domain", ""))
        raw["placed_on_market_date"] = _date(row.get("Publication date"))
        raw.update(ACCESS.get(_clean(row.get("Model accessibility")), {"placed_on_eu_market": None}))
        base_names = [_clean(b) for b in (row.get("Base model") or "").split(",") if _clean(b)]
        if base_names:
            base = self.by_name.get(base_names[0])
            same_provider = base is not None and set(self._orgs(base)) & set(self._orgs(row))
            if not same_provider:
                original: dict[str, Any] = {"name": base_names[0]}
                compute = _number(base.get("Training compute (FLOP)")) if base else None
                if compute is None:
                    original["systemic_risk"] = None  # unknown, not "no"
                else:
                    original["training_compute_flop"] = compute
                raw["modified_from"] = original
                raw["modification_compute_flop"] = _number(row.get("Finetune compute (FLOP)"))
        return {k: v for k, v in raw.items() if not (v is None and k in ("parameters",))}


def contract_row(row: dict[str, str]) -> dict[str, Any]:
    """A row whose columns are keys of the input contract (dotted for nested
    ones); an empty cell is unknown."""
    raw: dict[str, Any] = {}
    for column, cell in row.items():
        key = _clean(column)
        if key not in keys():
            continue
        cell = _clean(cell)
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
    return {_clean(r.get("Organization")): _clean(r.get("Country")) for r in _read_csv(beside[-1])}


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


def screen(path: str | Path, as_of: date | None = None, progress=None) -> Screening:
    """Assess every row of a registry; ``progress(advance)`` is called per row."""
    from gpai_kg.reasoning.assessment import build
    from gpai_kg.reasoning.engine import run_fast
    from gpai_kg.reasoning.law import closed_law

    path = Path(path)
    as_of = as_of or date.today()
    rows, is_epoch = descriptions(path)
    law = closed_law()
    screened = []
    for number, raw in rows:
        item = ScreenedRow(number, str(raw.get("name") or ""), raw)
        try:
            description = describe(raw, iri=_iri(number, str(raw.get("name") or "model")))
            item.name = description.name
            result = build(run_fast(description, as_of), description, law).to_json(chains=False)
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


# ---------------------------------------------------------------- output

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
    import io

    buffer = io.StringIO()
    columns = ["row", "name", "general_purpose", "systemic_risk", "in_scope", "obligations", "exemptions",
               "penalties", "undetermined", "training_compute_flop", "provider_country", "placed_on_market_date",
               "error"]
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()

    def cell(value):
        return "" if value is None else str(value).lower() if isinstance(value, bool) else value

    for item in screening.rows:
        r = _record(item)
        writer.writerow({
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
        })
    _atomic_write(out, buffer.getvalue())
    return out


def screen_command(path: Path, as_of: str | None, out: Path | None, console) -> Screening:
    """The CLI: a progress bar, the summary, and the file written."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table

    from gpai_kg.reasoning.description import parse_date

    when = parse_date(as_of) if as_of is not None else None
    if out is not None and Path(out).suffix.lower() not in (".csv", ".json"):
        raise UserError(f"--out {out}: use a .csv or .json file")
    rows, _ = descriptions(Path(path))
    with Progress(TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("screen", total=len(rows))
        screening = screen(path, when, progress=lambda n: bar.advance(task, n))
    table = Table("", "models", title=f"{Path(path).name} — as of {screening.as_of.isoformat()}")
    for key, value in screening.summary.items():
        table.add_row(key, str(value))
    console.print(table)
    if out is not None:
        console.print(f"wrote {write(screening, out)}", highlight=False, soft_wrap=True)
    return screening
