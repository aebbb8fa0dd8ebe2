"""A registry's two passes for Epoch's base models, in blocks of the file on several processes
(``gpai_kg.reasoning.registry._in_blocks``): the records are the whole file's, whatever the blocks cut.

A block is read as from a record's start; where a record of the block before went on into it (a quoted
cell over several lines), it is read again without those lines. Hypothesis writes files of cells with
quotes, commas, line feeds and carriage returns, well quoted or not (a quote in the middle of a cell, one
left open), and cuts them into blocks of a few bytes: every block's records, in order, are the file's.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpai_kg.errors import UserError
from gpai_kg.reasoning import registry as registry_module
from gpai_kg.reasoning.registry import Registry, _blocks, _in_blocks, _kept, _named, _records

EPOCH = Path(__file__).resolve().parents[1] / "data" / "sources" / "models" / "epoch_notable_ai_models_2025-04-18.csv"


def _all(records) -> list[tuple]:
    return list(records)


def _whole(path: Path, mapped=()) -> list[tuple]:
    return list(_records(path, mapped)[1])


def _by_blocks(path: Path, workers: int = 1, mapped=()) -> list[tuple] | None:
    """The records of each block, in order: first read from each block's start (and again where a record went
    on into it), then from the spans that reading found, with the file's line numbers."""
    width = len(_records(path)[0])
    found = _in_blocks(path, workers, _all, (width, mapped))
    if found is None:
        return None
    first, spans = found
    records, same = _in_blocks(path, workers, _all, (width, mapped), spans)
    assert same == spans
    # the first reading's line numbers are counted from a block's start (it does not know the lines before)
    assert [(cells, problem is None) for block in first for _, _, cells, problem in block] == \
        [(cells, problem is None) for block in records for _, _, cells, problem in block]
    return [record for block in records for record in block]


_CELL = st.lists(st.sampled_from(['a', 'é', ' ', ',', '"', '\n', '\r', '\r\n', 'x"y', '""']), max_size=6).map("".join)


@st.composite
def _files(draw) -> str:
    """A CSV text: a header of three columns, then rows of two to four cells, each written by the csv
    module (quoted where it must be) or raw (a quote may open a cell and never close, or sit in its middle)."""
    rows = draw(st.lists(st.lists(_CELL, min_size=2, max_size=4), max_size=12))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO(newline="")
    out.write("a,b,c" + end)
    writer = csv.writer(out, lineterminator=end)
    for row in rows:
        if draw(st.booleans()):
            writer.writerow(row)
        else:
            out.write(",".join(row) + end)
    return out.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_files(), size=st.integers(1, 40), bom=st.booleans())
def test_the_blocks_records_are_the_whole_files(tmp_path, monkeypatch, text, size, bom):
    path = tmp_path / "registry.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    monkeypatch.setattr(registry_module, "BLOCK", size)
    mapped = [("b", 1), ("c", 2)]  # a line break in them may be rows merged: a problem naming its lines
    assert _by_blocks(path, mapped=mapped) == _whole(path, mapped)


def test_blocks_end_after_a_line_feed_and_cover_the_file(tmp_path):
    path = tmp_path / "registry.csv"
    path.write_bytes(b"a,b\r\n1,2\r\n3,\"4\n5\"\r\n6,7")
    blocks = _blocks(path, 3)
    assert blocks[0][0] == 0 and blocks[-1][1] == path.stat().st_size
    assert all(end == start for (_, end), (start, _) in zip(blocks, blocks[1:]))
    assert all(path.read_bytes()[end - 1:end] == b"\n" for _, end in blocks[:-1])


def test_a_record_over_several_blocks_is_read_once(tmp_path, monkeypatch):
    """A quoted cell of ten lines, the blocks a line each: the blocks it goes through have no record of
    their own, and the record after it is read from its start."""
    path = tmp_path / "registry.csv"
    path.write_text('Model,Base model\nfirst,"' + "\n".join(f"line {i}" for i in range(10)) + '"\nsecond,\n')
    monkeypatch.setattr(registry_module, "BLOCK", 4)
    assert _by_blocks(path) == _whole(path) == [(2, 11, ["first", "\n".join(f"line {i}" for i in range(10))], None),
                                                (12, 12, ["second", ""], None)]


def test_the_passes_in_blocks_find_epochs_bases_as_the_whole_file(monkeypatch):
    header, records = _records(EPOCH)
    at = {column: i for i, column in enumerate(header)}
    width, base, model = len(header), at["Base model"], at["Model"]
    keep = [(k, at.get(k)) for k in ("Model", "Organization", "Training compute (FLOP)")]
    monkeypatch.setattr(registry_module, "BLOCK", 4096)
    counted, _ = _in_blocks(EPOCH, 1, _named, (width, [], base))
    count, named = _named(_records(EPOCH)[1], base)
    assert (sum(c for c, _ in counted), set().union(*(n for _, n in counted))) == (count, named)
    kept, _ = _in_blocks(EPOCH, 1, _kept, (width, [], model, keep), named=named - {""})
    assert [row for rows in kept for row in rows] == _kept(_records(EPOCH)[1], model, keep, named - {""})
    assert len(kept) > 100 and count == 924 and len(named) > 50


@pytest.mark.parametrize("workers", [2, 3])
def test_a_registry_on_several_processes_is_the_one_of_one(monkeypatch, workers):
    """Real worker processes (forked), the second pass's names given them as they start."""
    monkeypatch.setattr(registry_module, "BLOCK", 8192)  # Epoch's table, 80 blocks
    alone, together = Registry(EPOCH), Registry(EPOCH, workers=workers)
    assert together.count() == alone.count() == 924
    assert list(together._read.__self__.by_name.items()) == list(alone._read.__self__.by_name.items())
    assert list(together.rows()) == list(alone.rows())
    assert [row for span in together.spans for row in together.span_rows(span)] == list(alone.rows())


def test_a_block_not_utf8_is_reported_as_the_whole_file_reports_it(tmp_path, monkeypatch):
    path = tmp_path / "registry.csv"
    good = "".join(f"model {i},{10 ** 20},base {i}\n" for i in range(400)).encode()
    path.write_bytes(b"Model,Training compute (FLOP),Base model\n" + good + b"bad \xff row,1,\n" + good)
    monkeypatch.setattr(registry_module, "BLOCK", 1024)
    assert _by_blocks(path, workers=2) is None
    with pytest.raises(UserError) as alone:
        Registry(path)
    with pytest.raises(UserError) as together:
        Registry(path, workers=2)
    assert str(together.value) == str(alone.value) and "not UTF-8 text after line" in str(alone.value)
