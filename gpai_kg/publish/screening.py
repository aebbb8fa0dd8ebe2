"""A screening (``gpai_kg.reasoning.screen``) as a file, written as the rows
come (``ScreeningWriter``: memory independent of the number of rows) into a
temporary file renamed over ``out`` at the end, so nothing is half-written.

By the file's suffix:

- ``.json``: a list, one object per row (the assessment's JSON contract, the
  row number and the input);
- ``.jsonl``: the same objects, one per line (JSON Lines);
- ``.csv``: one record per row (RFC 4180, every cell safe to open in a
  spreadsheet: ``files.csv_cell``): the answers, which rows screened for
  their answers alone (``answers_only``) give as well;
- ``.ttl`` / ``.trig``: each model's description and what the rules
  concluded, with PROV-O (TriG: in the named graphs ``<assessment>/asserted``
  and ``<assessment>/inferred``, as ``gpai-kg assess --format trig``), the
  input of the canned registry queries (``gpai-kg query
  systemic-models-in-registry --input FILE.ttl``).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from gpai_kg.errors import UserError
from gpai_kg.files import check_writable, csv_text
from gpai_kg.publish.numbers import csv_number
from gpai_kg.publish.serialise import write_quads
from gpai_kg.reasoning.screen import ScreenedRow, Screening

SUFFIXES = (".csv", ".json", ".jsonl", ".ttl", ".trig")
RDF_SUFFIXES = {".ttl": "turtle", ".trig": "trig"}
CSV_COLUMNS = ["row", "name", "general_purpose", "systemic_risk", "in_scope", "obligations", "exemptions",
               "penalties", "undetermined", "training_compute_flop", "provider_country", "placed_on_market_date",
               "error"]


def check_out(out: str | Path) -> Path:
    """``out`` as a path of a format a screening is written in, or ``UserError``."""
    out = Path(out)
    if out.suffix.lower() not in SUFFIXES:
        raise UserError(f"--out {out}: use a .csv or .json file (or .jsonl, .ttl, .trig)")
    return out


def _record(item: ScreenedRow) -> dict[str, Any]:
    if item.result is None:
        return {"row": item.row, "name": item.name, "error": item.error, "in_scope": None,
                "general_purpose": None, "systemic_risk": None, "obligations": [], "exemptions": [],
                "penalties": [], "undetermined": [], "input": item.description}
    return {**item.result, "input": item.description}


def _cell(value):  # a float as people write it in a spreadsheet: 3.35e25, not 3.3499999999999998e+25
    if isinstance(value, float):
        return csv_number(value)
    return "" if value is None else str(value).lower() if isinstance(value, bool) else value


def _csv_values(item: ScreenedRow) -> list:
    r = _record(item)
    values = {
        "row": item.row, "name": item.name,
        "general_purpose": _cell(r["general_purpose"]), "systemic_risk": _cell(r["systemic_risk"]),
        "in_scope": _cell(r["in_scope"]),
        "obligations": "; ".join(o["provision"] for o in r["obligations"]),
        "exemptions": "; ".join(f"{e['provision']} ({e['exempted_by']})" for e in r["exemptions"]),
        "penalties": "; ".join(p["provision"] for p in r["penalties"]),
        "undetermined": "; ".join(r["undetermined"]),
        "training_compute_flop": _cell(item.description.get("training_compute_flop")),
        "provider_country": _cell(item.description.get("provider_country")),
        "placed_on_market_date": _cell(item.description.get("placed_on_market_date")),
        "error": item.error or "",
    }
    return [values[c] for c in CSV_COLUMNS]


class ScreeningWriter:
    """Writes a screening row by row (``add``) to ``out``, atomically: use it
    as a context manager (an exception leaves ``out`` as it was)."""

    def __init__(self, out: str | Path):
        self.out = check_out(out)
        self.suffix = self.out.suffix.lower()
        self.rdf = self.suffix in RDF_SUFFIXES  # the rows must carry their quads (screen_chunk(rdf=True))
        self.rows = 0
        self.out.parent.mkdir(parents=True, exist_ok=True)
        check_writable(self.out)
        try:
            fd, self._tmp = tempfile.mkstemp(prefix=f".{self.out.name}.", suffix=".part", dir=self.out.parent)
        except OSError as exc:
            raise UserError(f"cannot write {self.out}: {exc.strerror or exc}") from None
        self._fh = os.fdopen(fd, "wb")
        if self.suffix == ".csv":
            self._write(csv_text([CSV_COLUMNS]))

    def _write(self, text: str | bytes) -> None:
        try:
            self._fh.write(text.encode("utf-8") if isinstance(text, str) else text)
        except OSError as exc:
            raise UserError(f"cannot write {self.out}: {exc.strerror or exc}") from None

    def add(self, item: ScreenedRow) -> None:
        if not item.explained and self.suffix != ".csv":
            raise UserError(f"{self.out}: a {self.suffix} screening has each row's explanations; these rows have "
                            "the answers alone (screen_stream(..., answers_only=False))")
        if self.suffix == ".json":
            text = json.dumps(_record(item), indent=1, ensure_ascii=False, default=str).replace("\n", "\n ")
            self._write(("[\n " if not self.rows else ",\n ") + text)
        elif self.suffix == ".jsonl":
            self._write(json.dumps(_record(item), ensure_ascii=False, default=str) + "\n")
        elif self.suffix == ".csv":
            self._write(csv_text([_csv_values(item)]))
        elif item.quads is not None:
            block = write_quads(item.quads, RDF_SUFFIXES[self.suffix])
            if self.rows:  # the prefixes once, at the top
                block = b"".join(line for line in block.splitlines(keepends=True) if not line.startswith(b"@prefix"))
            self._write(block)
        elif item.result is not None:
            raise UserError(f"{self.out}: Turtle and TriG need each row's RDF (screen_stream(..., rdf=True))")
        self.rows += 1

    def close(self) -> Path:
        if self.suffix == ".json":
            self._write("\n]\n" if self.rows else "[]\n")
        try:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self._tmp, 0o666 & ~umask)
            os.replace(self._tmp, self.out)
        except OSError as exc:
            self.abort()
            raise UserError(f"cannot write {self.out}: {exc.strerror or exc}") from None
        return self.out

    def abort(self) -> None:
        self._fh.close()
        try:
            os.unlink(self._tmp)
        except FileNotFoundError:
            pass

    def __enter__(self) -> ScreeningWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def write(screening: Screening, out: str | Path) -> Path:
    """Write a whole screening to ``out`` (by its suffix, atomically)."""
    with ScreeningWriter(out) as writer:
        for item in screening.rows:
            writer.add(item)
    return writer.out
