"""gpai-kg assess --format text as people read it (publish/text.py, publish/numbers.py): a due date says
which provision sets it, a model in scope before anything applies is told when the first obligation starts,
a model whose answers are all undetermined is never told that no obligation attaches, and numbers read as
people write them — while the JSON contract's `because` strings keep them exact."""

from __future__ import annotations

import datetime
from pathlib import Path

from rich.console import Console

from gpai_kg.publish.numbers import csv_number, power, readable
from gpai_kg.publish.text import render_text
from gpai_kg.reasoning.assessment import assess

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _text(model, as_of: str) -> str:
    console = Console(record=True, width=240)
    render_text(assess(model, datetime.date.fromisoformat(as_of)), console)
    return " ".join(console.export_text().split())


def test_a_due_date_of_2027_says_article_111_3():
    text = _text(EXAMPLES / "legacy-model.ttl", "2026-12-01")
    assert "2027-08-02 (Article 111(3))" in text


def test_before_anything_applies_the_header_says_when_it_starts():
    text = _text(EXAMPLES / "frontier-model.json", "2025-03-01")
    assert "within the scope of Chapter V: yes" in text
    assert "Nothing applies yet on 2025-03-01: the first obligation, Article 52(1), applies from 2025-09-03" in text
    assert "Nothing applies yet" not in _text(EXAMPLES / "frontier-model.json", "2026-12-01")


def test_all_undetermined_is_never_told_no_obligation_attaches():
    text = _text({"name": "Unknown-1"}, "2026-12-01")
    assert "No obligation of Chapter V attaches" not in text
    assert "Whether obligations of Chapter V attach is undetermined" in text


def test_numbers_read_as_people_write_them():
    third = 5e25 / 3
    text = _text({"name": "Third", "training_compute_flop": third, "modalities": ["text"],
                  "provider_country": "FR"}, "2026-12-01")
    assert "1.67 × 10^25 > 10^25 FLOP" in text and "e+25" not in text and "1.66666666667" not in text
    result = assess({"name": "Third", "training_compute_flop": third, "modalities": ["text"],
                     "provider_country": "FR"}, "2026-12-01").to_json()
    assert "training_compute_flop = 1.66666666667e+25 > 1e+25 FLOP" in result["reasons"]["systemic_risk"]


def test_the_digits_shown_tell_a_value_from_its_bound():
    assert readable("training_compute_flop = 1.00001e+25 > 1e+25 FLOP") == \
        "training_compute_flop = 1.00001 × 10^25 > 10^25 FLOP"
    assert readable("x = 10000000000000000000000000") == "x = 10^25"
    assert readable("as_of = 2026-12-01 >= 2024-08-01") == "as_of = 2026-12-01 >= 2024-08-01"
    assert power(3.35e25) == "3.35 × 10^25" and power(2500) == "2500"
    assert csv_number(3.3499999999999998e+25) == "3.35e25" and csv_number(1e25) == "1e25"
    assert csv_number(0.5) == "0.5" and csv_number(7e9) == "7000000000"


def test_the_screen_csv_writes_compute_as_people_do(tmp_path):
    """The registry's 3.35e25 FLOP row reads 3.35e25 in the CSV, not 3.3499999999999998e+25."""
    import csv

    from gpai_kg.publish.screening import write
    from gpai_kg.reasoning.screen import screen

    registry = tmp_path / "models.csv"
    registry.write_text("name,training_compute_flop,modalities,provider_country\nM,3.35e25,text,FR\n",
                        encoding="utf-8")
    out = write(screen(registry, datetime.date(2026, 12, 1)), tmp_path / "screen.csv")
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    assert row["training_compute_flop"] == "3.35e25"
