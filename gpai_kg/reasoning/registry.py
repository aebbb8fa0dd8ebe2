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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from gpai_kg.errors import UserError
from gpai_kg.files import size_text, unreadable
from gpai_kg.reasoning.contract import keys, limits
from gpai_kg.sources.epoch import COLUMNS, EpochMapper, clean, first_name

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


Record = tuple[int, int, list[str], "str | None"]  # (first line, last line, cells, what is wrong with it or None)


def _records(path: Path, mapped: Sequence[tuple[str, int]] = ()) -> tuple[list[str], Iterator[Record]]:
    """The header and, lazily, the records of a CSV file (a regular file: it
    is read more than once, and a pipe could hang); ``mapped``: the columns
    the mapping reads, with their positions (``_merged``)."""
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
    return header, _read_records(path, handle, reader, len(header), mapped)


def _read_records(path: Path, handle, reader, width: int, mapped: Sequence[tuple[str, int]]) -> Iterator[Record]:
    cap = limits().file_bytes
    line = reader.line_num
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
            if problem is None and len(cells) != width:
                problem = f"{len(cells)} cells, the header has {width}"
            if problem is None and len("".join(cells)) > cap:  # a third of sum(map(len, cells))'s time
                cells, problem = cells[:1], f"more than {size_text(cap)}, the size limit of a model description"
            if problem is None and first != line:  # a record of one line has no line break in a cell
                problem = _merged(first, line, cells, mapped, width)
            yield first, line, cells, problem


def _merged(first: int, last: int, cells: list[str], mapped: Sequence[tuple[str, int]], width: int) -> str | None:
    """Whether a quote left open merged the next rows into a record (see the module docstring);
    ``mapped``: the columns the mapping reads, with their positions."""
    for column, i in mapped:
        cell = cells[i] if i < len(cells) else ""
        if "\n" in cell and any(line.count(",") >= width // 2 for line in cell.splitlines()[1:]):
            return (f"a quote (\") opened in the column {column!r} on line {first} is not closed until line "
                    f"{last}: the {last - first + 1} lines were read as one row; close the quote")
    return None


def _organisations(path: Path) -> dict[str, str]:
    beside = sorted(path.parent.glob("epoch_organizations*.csv"))
    if not beside:
        return {}
    header, records = _records(beside[-1])
    at = {column: i for i, column in enumerate(header)}
    if "Organization" not in at or "Country" not in at:
        return {}
    name, country = at["Organization"], at["Country"]
    return {clean(cells[name]): clean(cells[country]) for _, _, cells, problem in records if problem is None}


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
        self.at = {column: i for i, column in enumerate(header)}  # a column's position (of two of one name, the last)
        if {"Model", "Training compute (FLOP)"} <= self.at.keys():
            self.is_epoch, mapped = True, [c for c in COLUMNS if c in self.at]
        elif "name" in self.at:
            self.is_epoch, mapped = False, [c for c in header if clean(c) in keys()]
        else:
            raise UserError(f"{self.path}: neither Epoch AI's columns (Model, Training compute (FLOP), ...) nor the "
                            f"input contract's (name, training_compute_flop, ...)")
        self.mapped = [(column, self.at[column]) for column in mapped]
        self._count: int | None = None
        if self.is_epoch:
            mapper = EpochMapper(self.at, self._bases(), _organisations(self.path))
            self._read: Callable[[list[str]], dict[str, Any]] = mapper.describe
        else:
            self._read = lambda cells: contract_row(dict(zip(header, cells)))

    def _records(self) -> Iterator[Record]:
        return _records(self.path, self.mapped)[1]

    def _bases(self) -> list[dict[str, str]]:
        """The rows some row names as its base model (two passes, holding only those; the first
        counts the rows too)."""
        named, count = set(), 0
        base = self.at.get("Base model")
        for _, _, cells, problem in self._records():
            count += 1
            if problem is None and base is not None and cells[base]:
                named.add(first_name(cells[base]))
        self._count = count
        named.discard("")
        if not named:
            return []
        keep = [(k, self.at.get(k)) for k in ("Model", "Organization", "Training compute (FLOP)")]
        model = self.at["Model"]
        return [{k: cells[i] if i is not None else "" for k, i in keep} for _, _, cells, problem in self._records()
                if problem is None and clean(cells[model]) in named]

    def rows(self) -> Iterator[Row]:
        """The rows as (row number, raw description, what is wrong with the row or None)."""
        read = self._read
        for n, (first, last, cells, problem) in enumerate(self._records(), 2):
            if problem is None:
                yield n, read(cells), None
            else:
                where = f"line {first}" if first == last else f"lines {first}–{last}"
                yield n, {"name": clean(cells[0] if cells else "")[:80]}, f"{where}: {problem}"

    def count(self) -> int:
        """How many rows (counted when Epoch's base models were read, else one more pass)."""
        if self._count is None:
            self._count = sum(1 for _ in _records(self.path)[1])
        return self._count


def descriptions(path: str | Path) -> tuple[list[Row], bool]:
    """All the rows of a registry (``Registry.rows``), and whether it is Epoch's table."""
    registry = Registry(path)
    return list(registry.rows()), registry.is_epoch
