"""A registry: a CSV of models, read row by row as model descriptions.

A registry is Epoch AI's "Notable AI Models" table as published (read by
``gpai_kg.sources.epoch``), or a CSV whose columns are the keys of the input
contract (``name``, ``training_compute_flop``, ...; nested keys dotted).

It is streamed: ``Registry.rows()`` reads the file again on each call and
holds one row at a time, so a registry of any length is read in bounded
memory. What a row of Epoch's table needs from other rows (its base model's
organisation and compute) is read first, in one pass that keeps only the rows
some row names as its base. Each row is a description, so it is capped as one
is (the contract's ``maxFileBytes``); a registry held whole in memory (an
upload in the app) is capped by ``maxRegistryBytes``.

The file is UTF-8 with or without a byte-order mark. A row is bad, and
reported in its ``error`` column, when it has more or fewer cells than the
header, is longer than a description may be, or when a quote (``"``) left open
merged the next rows into it: a cell the mapping reads spans several lines,
and one of them holds half the header's commas.
"""

from __future__ import annotations

import csv
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from gpai_kg.errors import UserError
from gpai_kg.files import size_text, unreadable
from gpai_kg.reasoning.contract import keys, limits
from gpai_kg.sources.epoch import COLUMNS, EpochMapper, clean

Row = tuple[int, dict[str, Any], "str | None"]  # (row number, raw description, what is wrong with it or None)


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


@dataclass
class Record:
    """One row of a CSV: its lines in the file, its cells (by column: ``get``,
    or ``cells``, made when first read), and what is wrong with it."""

    first: int
    last: int
    values: list[str]
    header: list[str]
    columns: dict[str, int]  # a column's position in the header
    problem: str | None = None

    def get(self, column: str, default: str | None = None) -> str | None:
        i = self.columns.get(column)
        return self.values[i] if i is not None and i < len(self.values) else default

    @cached_property
    def cells(self) -> dict[str, str]:
        return dict(zip(self.header, self.values))


def _records(path: Path) -> tuple[list[str], Iterator[Record]]:
    """The header and, lazily, the records of a CSV file (a regular file: it
    is read more than once, and a pipe could hang)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise UserError(f"not a file: {path} (a registry is read more than once: give a regular file)")
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise unreadable(path, exc) from None
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise UserError(f"{path}: no rows") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        handle.close()
        raise UserError(f"{path}: the header line is not CSV text ({exc})") from None
    return header, _read_records(path, handle, reader, header)


def _read_records(path: Path, handle, reader, header: list[str]) -> Iterator[Record]:
    cap = limits().file_bytes
    line = reader.line_num
    columns = {column: i for i, column in enumerate(header)}
    with handle:
        while True:
            try:
                cells = next(reader)
                problem = None
            except StopIteration:
                return
            except csv.Error as exc:
                cells, problem = [], f"not CSV: {exc}"
            except UnicodeDecodeError as exc:
                raise UserError(f"{path}: not UTF-8 text after line {line} ({exc.reason})") from None
            first, line = line + 1, reader.line_num
            if problem is None and len(cells) != len(header):
                problem = f"{len(cells)} cells, the header has {len(header)}"
            size = sum(map(len, cells))
            if problem is None and size > cap:
                cells, problem = cells[:1], f"more than {size_text(cap)}, the size limit of a model description"
            yield Record(first, line, cells, header, columns, problem)


def _merged(record: Record, columns: list[str], width: int) -> str | None:
    """Whether a quote left open merged the next rows into ``record`` (see the module docstring)."""
    if record.first == record.last:  # a record of one line has no line break in a cell
        return None
    for column in columns:
        cell = record.get(column) or ""
        if "\n" in cell and any(line.count(",") >= width // 2 for line in cell.splitlines()[1:]):
            return (f"a quote (\") opened in the column {column!r} on line {record.first} is not closed until line "
                    f"{record.last}: the {record.last - record.first + 1} lines were read as one row; close the quote")
    return None


def _good(path: Path) -> Iterator[dict[str, str]]:
    header, records = _records(path)
    return (r.cells for r in records if r.problem is None)


def _organisations(path: Path) -> dict[str, str]:
    beside = sorted(path.parent.glob("epoch_organizations*.csv"))
    if not beside:
        return {}
    return {clean(r.get("Organization")): clean(r.get("Country")) for r in _good(beside[-1])}


class Registry:
    """A registry file opened for streaming (see the module docstring)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        header, records = _records(self.path)
        first = next(records, None)
        records.close()
        if first is None:
            raise UserError(f"{self.path}: no rows")
        self.header = header
        columns = set(header)
        if {"Model", "Training compute (FLOP)"} <= columns:
            self.is_epoch, self.mapped = True, [c for c in COLUMNS if c in columns]
        elif "name" in columns:
            self.is_epoch, self.mapped = False, [c for c in header if clean(c) in keys()]
        else:
            raise UserError(f"{self.path}: neither Epoch AI's columns (Model, Training compute (FLOP), ...) nor the "
                            f"input contract's (name, training_compute_flop, ...)")
        self._read: Callable[[dict[str, str]], dict[str, Any]] = contract_row
        self._count: int | None = None
        if self.is_epoch:
            self._read = EpochMapper(self._bases(), _organisations(self.path)).describe

    def _records(self) -> Iterator[Record]:
        for record in _records(self.path)[1]:
            record.problem = record.problem or _merged(record, self.mapped, len(self.header))
            yield record

    def _bases(self) -> list[dict[str, str]]:
        """The rows some row names as its base model (two passes, holding only those; the first
        counts the rows too)."""
        named, self._count = set(), 0
        for r in self._records():
            self._count += 1
            if r.problem is None:
                named.add(next((clean(b) for b in r.get("Base model", "").split(",") if clean(b)), ""))
        named.discard("")
        keep = ("Model", "Organization", "Training compute (FLOP)")
        return [{k: r.get(k, "") for k in keep} for r in self._records()
                if r.problem is None and clean(r.get("Model")) in named]

    def rows(self) -> Iterator[Row]:
        """The rows as (row number, raw description, what is wrong with the row or None)."""
        for n, record in enumerate(self._records(), 2):
            if record.problem is None:
                yield n, self._read(record.cells), None
            else:
                where = f"line {record.first}" if record.first == record.last else \
                    f"lines {record.first}–{record.last}"
                yield n, {"name": clean(next(iter(record.cells.values()), ""))[:80]}, f"{where}: {record.problem}"

    def count(self) -> int:
        """How many rows (counted when Epoch's base models were read, else one more pass)."""
        if self._count is None:
            self._count = sum(1 for _ in _records(self.path)[1])
        return self._count


def descriptions(path: str | Path) -> tuple[list[Row], bool]:
    """All the rows of a registry (``Registry.rows``), and whether it is Epoch's table."""
    registry = Registry(path)
    return list(registry.rows()), registry.is_epoch
