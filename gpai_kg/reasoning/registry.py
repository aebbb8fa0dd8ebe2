"""A registry: a CSV of models, read row by row as model descriptions.

A registry is Epoch AI's "Notable AI Models" table as published (read by
``gpai_kg.sources.epoch``), or a CSV whose columns are the keys of the input
contract (``name``, ``training_compute_flop``, ...; nested keys dotted).

It is streamed: ``Registry.rows()`` reads the file again on each call and
holds one row at a time, so a registry of any length is read in bounded
memory. What a row of Epoch's table needs from other rows (its base model's
organisation and compute) is read first, in two passes: the names some row
gives as its base, then those rows alone. With ``workers`` > 1 the two
passes run on that many processes, a block of the file each
(``_in_blocks``); a block is read as from a record's start, and where the record
before it went on into it (a cell over several lines), read again in this
process without those lines: the records are the whole file's. Each row is a description, so it is capped as one
is (the contract's ``maxFileBytes``); a registry held whole in memory (an
upload in the app) is capped by ``maxRegistryBytes``.

The file is UTF-8 with or without a byte-order mark. A row is bad, and
reported in its ``error`` column, when it has more or fewer cells than the
header, is longer than a description may be, or when a quote (``"``) left open
merged the next rows into it: a cell the mapping reads spans several lines,
and one of them holds half the header's commas.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
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


def _read_records(path: Path, handle, reader, width: int, mapped: Sequence[tuple[str, int]],
                  before: int = 0) -> Iterator[Record]:
    """The records of a reader (``before``: the lines of the file before its first)."""
    cap = limits().file_bytes
    line = before + reader.line_num
    with handle or contextlib.nullcontext():
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
            first, line = line + 1, before + reader.line_num
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


BLOCK = 1 << 20  # bytes of the file in a block of the parallel passes: about 2 600 of Epoch's rows


def _blocks(path: Path, size: int) -> list[tuple[int, int]]:
    """The file as blocks of about ``size`` bytes, (start, end) offsets, each ending after a line feed
    (where a line ends for the file's reader too: it ends a line, alone or after a carriage return, and no
    character of UTF-8 text but itself has its byte)."""
    blocks, start = [], 0
    with path.open("rb") as handle:
        while True:
            handle.seek(start + size)
            end = handle.tell() + len(handle.readline())
            if end <= start + size:  # the end of the file
                blocks.append((start, os.fstat(handle.fileno()).st_size))
                return blocks
            blocks.append((start, end))
            start = end


Span = tuple[int, int, int, int, int]  # a block of the file: (start, end, lines to leave out, the number of its
#                                        first row, the lines of the file before its first record)


class _Block:
    """The records that begin in a block of the file (a ``Span``), read as ``_records`` reads the file (of
    the first block, those after the header), its first lines left out (the end of a record begun before
    it). Its last record may go on past its end: the lines it takes there, or those still to leave out, are
    ``carried`` to the next block; ``lines``: the block's, ``count``: its records; both known once read."""

    def __init__(self, path: Path, span: Span, width: int, mapped: Sequence[tuple[str, int]]):
        self.path, self.span, self.width, self.mapped = path, span, width, mapped
        self.carried = self.lines = self.count = 0
        self._ended = 0  # the line (of those given the reader) the last record read ended on

    def __iter__(self) -> Iterator[Record]:
        header = self.span[0] == 0  # the first record of the first block is the header
        before = self.span[4]
        for record in _read_records(self.path, None, csv.reader(self._lines()), self.width, self.mapped, before):
            self._ended = record[1] - before
            if not header:
                self.count += 1
                yield record
            header = False

    def _lines(self) -> Iterator[str]:
        """The block's lines after those left out, then those after the block while its last record goes on."""
        start, end, skip = self.span[:3]
        with self.path.open("rb") as handle:
            handle.seek(start)
            data = handle.read(end - start)
            given = 0
            lines = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig" if start == 0 else "utf-8", newline="")
            for line in lines:  # as the file's are, and as fast (a StringIO's: half as fast again)
                self.lines += 1
                if self.lines > skip:
                    given += 1
                    yield line
            if given == 0:
                self.carried = skip - self.lines
                return
            handle.seek(end)
            for line in io.TextIOWrapper(handle, encoding="utf-8", newline=""):
                if self._ended == given:  # the reader is at a record's start: the next is the next block's
                    return
                self.carried += 1
                given += 1
                yield line


def _in_blocks(path: Path, workers: int, read: Callable, args: tuple, spans: list[Span] | None = None,
               named: set[str] | None = None) -> tuple[list, list[Span]] | None:
    """``read(records, *args)`` of the records of each block of the file, in order, on ``workers`` processes
    (``named``: the names the second pass looks for, given each process once, as it starts: ``_looking_for``),
    and the blocks as spans. ``spans``: those found before; else a block is read from its start as from a
    record's, and where the block before it carried lines into it (a record went on past it), read again
    here, those lines left out. None if a block is not UTF-8 text: the whole file's reader is to say where."""
    from gpai_kg.reasoning.parallel import ordered_map

    given = spans or [(start, end, 0, 0, 0) for start, end in _blocks(path, BLOCK)]
    again = partial(read, named=named) if named is not None else read  # in this process
    results, found, carry, row, line = [], [], 0, 2, 0
    try:
        for span, (result, carried, lines, count) in zip(given, ordered_map(
                partial(_of_block, read if workers > 1 else again, path, args), given, workers=workers,
                initializer=_looking_for, initargs=(named or set(),))):
            exact = (*span[:2], carry, row, line + carry)
            if carry and not spans:
                result, carried, lines, count = _of_block(again, path, args, exact)
            found.append(exact)
            results.append(result)
            carry, row, line = carried, row + count, line + lines
    except UserError:  # the reader's: not UTF-8 text
        return None
    return results, found


def _of_block(read: Callable, path: Path, args: tuple, span: Span) -> tuple[Any, int, int, int]:
    width, mapped, *rest = args
    records = _Block(path, span, width, mapped)
    return read(records, *rest), records.carried, records.lines, records.count


_NAMED: set[str] = set()  # in a process of the second pass in blocks: the names it looks for


def _looking_for(named: set[str]) -> None:
    global _NAMED
    _NAMED = named


def _named(records: Iterable[Record], base: int | None) -> tuple[int, set[str]]:
    """How many records, and the names the good ones give as their base model (column ``base``)."""
    named, count = set(), 0
    for _, _, cells, problem in records:
        count += 1
        if problem is None and base is not None and cells[base]:
            named.add(first_name(cells[base]))
    return count, named


def _kept(records: Iterable[Record], model: int, keep: list[tuple[str, int | None]],
          named: set[str] | None = None) -> list[dict[str, str]]:
    """The cells ``keep`` of the good records whose model (column ``model``) is one of ``named`` (default:
    those this process was given, ``_looking_for``)."""
    named = _NAMED if named is None else named
    return [{k: cells[i] if i is not None else "" for k, i in keep} for _, _, cells, problem in records
            if problem is None and clean(cells[model]) in named]


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

    def __init__(self, path: str | Path, workers: int = 1):
        self.path = Path(path)
        self.workers = workers
        self.spans: list[Span] | None = None  # read in blocks (workers > 1): the blocks, from a record's start each
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

    def _first_pass(self, base: int | None) -> set[str]:
        """Count the rows, and the names the good ones give as their base model (column ``base``): in
        blocks on ``workers`` processes (``spans``: the blocks, read from a record's start each), or here."""
        if self.workers > 1 and os.stat(self.path).st_size > 4 * BLOCK:
            found = _in_blocks(self.path, self.workers, _named, (len(self.header), self.mapped, base))
            if found is not None:  # else a block is not UTF-8 text: the pass below says where
                counted, self.spans = found
                self._count = sum(count for count, _ in counted)
                return set().union(*(names for _, names in counted))
        self._count, named = _named(self._records(), base)
        return named

    def _bases(self) -> list[dict[str, str]]:
        """The rows some row names as its base model (two passes, holding only those; the first
        counts the rows too)."""
        base, model = self.at.get("Base model"), self.at["Model"]
        keep = [(k, self.at.get(k)) for k in ("Model", "Organization", "Training compute (FLOP)")]
        named = self._first_pass(base) - {""}
        if not named:
            return []
        if self.spans is None:
            return _kept(self._records(), model, keep, named)
        kept, _ = _in_blocks(self.path, self.workers, _kept, (len(self.header), self.mapped, model, keep),
                             self.spans, named)
        return [row for rows in kept for row in rows]

    def rows(self) -> Iterator[Row]:
        """The rows as (row number, raw description, what is wrong with the row or None)."""
        return self._rows(self._records(), 2)

    def span_rows(self, span: Span) -> Iterator[Row]:
        """The rows of a block of the file (one of ``spans``), as ``rows`` gives them, read in any process."""
        return self._rows(_Block(self.path, span, len(self.header), self.mapped), span[3])

    def _rows(self, records: Iterable[Record], number: int) -> Iterator[Row]:
        read = self._read
        for n, (first, last, cells, problem) in enumerate(records, number):
            if problem is None:
                yield n, read(cells), None
            else:
                where = f"line {first}" if first == last else f"lines {first}–{last}"
                yield n, {"name": clean(cells[0] if cells else "")[:80]}, f"{where}: {problem}"

    def count(self) -> int:
        """How many rows (counted when Epoch's base models were read, else one more pass: in blocks on
        ``workers`` processes, which finds the ``spans`` too)."""
        if self._count is None:
            self._first_pass(None)
        return self._count


def descriptions(path: str | Path) -> tuple[list[Row], bool]:
    """All the rows of a registry (``Registry.rows``), and whether it is Epoch's table."""
    registry = Registry(path)
    return list(registry.rows()), registry.is_epoch
