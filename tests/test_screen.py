"""``gpai-kg screen``: the whole Epoch AI registry, its mapping, and the output
files. An unknown fact is undetermined, never a silent "out of scope"."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date

import pytest

from gpai_kg import paths
from gpai_kg.errors import UserError
from gpai_kg.publish.screening import write
from gpai_kg.reasoning.screen import descriptions, screen
from gpai_kg.sources.epoch import EPOCH_CITATION, country_code

EPOCH = paths.SOURCES_DIR / "models" / "epoch_notable_ai_models_2025-04-18.csv"


@pytest.fixture(scope="module")
def screening():
    return screen(EPOCH, date(2026, 9, 1))


@pytest.fixture(scope="module")
def by_name(screening):
    return {item.name: item for item in screening.rows}


def test_every_row_of_the_registry_is_assessed(screening):
    assert len(screening.rows) == 924
    assert all(item.result is not None for item in screening.rows)
    s = screening.summary
    assert s["models"] == 924
    assert s["general-purpose"] + s["not general-purpose"] <= 924
    assert 0 < s["systemic risk"] <= s["general-purpose"]
    assert s["undetermined"] > 0


def test_frontier_models_of_the_registry_have_systemic_risk(by_name):
    for name in ("GPT-4", "GPT-4o", "Llama 3.1-405B", "Gemini 1.0 Ultra"):
        result = by_name[name].result
        assert result["systemic_risk"] is True and result["in_scope"] is True, name
        assert "Article 55(1)(a)" in {o["provision"] for o in result["obligations"]}


def test_an_open_weights_model_of_a_third_country_is_exempt(by_name):
    result = by_name["DeepSeek-R1"].result
    article_54 = ("54(1)", "54(2)", "54(3)", "54(3)(a)", "54(3)(b)", "54(3)(c)", "54(3)(d)", "54(5)")
    assert {(e["provision"], e["exempted_by"]) for e in result["exemptions"]} == {
        ("Article 53(1)(a)", "Article 53(2)"), ("Article 53(1)(b)", "Article 53(2)"),
        *((f"Article {p}", "Article 54(6)") for p in article_54)}


def test_an_empty_compute_is_unknown_not_zero(by_name, screening):
    unknown = [i for i in screening.rows if i.description.get("training_compute_flop") is None
               and i.description.get("modalities") == ["text"] and not i.description.get("modified_from")]
    assert unknown
    for item in unknown:
        assert item.result["general_purpose"] is None, item.name
        assert "training_compute_flop" in item.result["undetermined"], item.name
        assert item.result["in_scope"] is not False or item.description.get("placed_on_eu_market") is False


def test_an_unreleased_model_is_not_placed_on_the_market(screening):
    unreleased = [i for i in screening.rows if i.description.get("placed_on_eu_market") is False]
    assert unreleased and all(i.result["in_scope"] is False for i in unreleased)


def test_a_downstream_fine_tune_below_a_third_is_not_a_new_model(by_name):
    item = by_name["OpenVLA"]
    assert item.description["modified_from"]["name"] == "Llama 2-7B"
    assert item.result["in_scope"] is False and item.result["obligations"] == []


def test_epoch_country_names_map_to_iso_codes():
    assert country_code("United States of America") == "US"
    assert country_code("Korea (Republic of)") == "KR"
    assert country_code("United Kingdom of Great Britain and Northern Ireland") == "GB"
    assert country_code("Multinational") is None


def test_every_result_cites_epoch_ai(screening):
    assert all(any(EPOCH_CITATION in s.get("title", "") for s in i.result["sources"]) for i in screening.rows)


def test_json_output_is_one_object_per_row_with_the_contract(screening, tmp_path):
    out = write(screening, tmp_path / "screen.json")
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert len(rows) == 924
    for row in rows:
        assert {"name", "in_scope", "general_purpose", "systemic_risk", "obligations", "exemptions",
                "penalties", "sources", "undetermined"} <= set(row)
        if None in (row["in_scope"], row["general_purpose"], row["systemic_risk"]):
            assert row["undetermined"], row["name"]
    assert [p.name for p in tmp_path.iterdir()] == ["screen.json"]  # no temporary file left


def test_csv_output(screening, tmp_path):
    out = write(screening, tmp_path / "screen.csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 924 and {"name", "systemic_risk", "obligations", "undetermined"} <= set(rows[0])


def test_a_csv_of_the_contract_keys_is_screened_too(tmp_path):
    path = tmp_path / "models.csv"
    path.write_text("name,training_compute_flop,modalities,provider_country,open_source.weights_public\n"
                    "Big,3e25,text,US,\nSmall,,text,FR,\n", encoding="utf-8")
    rows, is_epoch = descriptions(path)
    assert not is_epoch and rows[1][1]["training_compute_flop"] is None
    result = screen(path, date(2026, 9, 1))
    assert result.rows[0].result["systemic_risk"] is True
    assert result.rows[1].result["general_purpose"] is None


def test_cli_screen_prints_a_summary_and_writes_atomically(tmp_path):
    out = tmp_path / "result.json"
    done = subprocess.run([sys.executable, "-m", "gpai_kg", "screen", str(EPOCH), "--as-of", "2026-09-01",
                           "--out", str(out)], capture_output=True, text=True, cwd=paths.ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "systemic risk" in done.stdout and "undetermined" in done.stdout
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 924


@pytest.mark.parametrize("args, expected", [
    (["nowhere.csv"], "no such file"),
    ([str(EPOCH), "--out", "result.txt"], ".csv or .json"),
    ([str(EPOCH), "--as-of", "2026-13-01"], "--as-of"),
])
def test_cli_screen_bad_input_is_one_line(args, expected, tmp_path):
    done = subprocess.run([sys.executable, "-m", "gpai_kg", "screen", *args], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120, env={"PYTHONPATH": str(paths.ROOT)})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert expected in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_csv_with_neither_epoch_nor_contract_columns_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UserError, match="neither Epoch AI's columns"):
        descriptions(path)
