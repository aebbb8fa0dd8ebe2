"""The input reproducers of issue 13, one by one, and what must still be accepted.

Each bad input is refused with one line naming the file and what is wrong,
exit 2, quickly; each valid edge case (a name full of rich markup or
Markdown, a byte-order mark, ``"1"^^xsd:boolean``, Norway as ``NO`` in YAML)
is accepted and shown as written.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from test_input_fuzz import _assess_in_process

from gpai_kg import paths

TTL = ("@prefix gpai: <https://w3id.org/gpai-kg/ontology#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
       "<https://ex.org/m> a gpai:AIModel ; <http://www.w3.org/2000/01/rdf-schema#label> \"M\" ")
LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join(["*" + chr(97 + i)] * 9) + "]\n" for i in range(8)) + "name: *i\n"

REFUSED = [
    ("int-above-1e308.json", '{"name": "M", "training_compute_flop": 1' + "0" * 309 + "}",
     "is beyond the largest number an xsd:double holds"),
    ("power-400.json", '{"name": "M", "training_compute_flop": "10^400"}', "10^400 is beyond the largest number"),
    ("power-99999999.json", '{"name": "M", "training_compute_flop": "10^99999999"}', "is beyond the largest"),
    ("digits.json", '{"name": "M", "training_compute_flop": ' + "9" * 5000 + "}", "a number of 5000 digits, more"),
    ("digits.yaml", "name: M\ntraining_compute_flop: " + "9" * 5000 + "\n", "a number of 5000 digits, more"),
    ("deep.json", '{"name": "M", "modalities": ' + "[" * 5000 + "]" * 5000 + "}", "nests more than 32 levels"),
    ("deep.yaml", "name: M\nmodalities: " + "[" * 5000 + "]" * 5000 + "\n", "nests more than 32 levels"),
    ("deep-block.yaml", "name: M\nx:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(200)),
     "nests more than 32 levels"),
    ("deep.ttl", TTL + "; <urn:p> " + "[ <urn:p> " * 3000 + "1" + " ]" * 3000 + " .", "nests more than 32 levels"),
    ("surrogate.json", '{"name": "M\\ud800"}', "U+D800, a lone surrogate"),
    ("surrogate-key.json", '{"name": "M", "\\udc00": 1}', "a lone surrogate"),
    ("ill-typed-date.ttl", TTL + '; gpai:placedOnMarketDate "2025-02-30"^^xsd:date .', "is not a valid date"),
    ("laughs.yaml", LAUGHS, "uses more than 16 YAML aliases"),
    ("maybe.json", '{"name": "M", "placed_on_eu_market": "maybe"}', 'must be true or false, got "maybe"'),
    ("two.json", '{"name": "M", "placed_on_eu_market": "2"}', 'must be true or false, got "2"'),
    ("maybe.yaml", "name: M\nplaced_on_eu_market: maybe\n", "must be true or false"),
    ("yes.yaml", "name: M\nplaced_on_eu_market: yes\n", 'must be true or false, got "yes"'),
    ("maybe.ttl", TTL + '; gpai:placedOnEUMarket "maybe"^^xsd:boolean .', "must be an xsd:boolean"),
    ("two.ttl", TTL + '; gpai:placedOnEUMarket "2"^^xsd:boolean .', "must be an xsd:boolean"),
    ("TRUE.ttl", TTL + '; gpai:placedOnEUMarket "TRUE"^^xsd:boolean .', "must be an xsd:boolean"),
    ("datetime.ttl", TTL + '; gpai:placedOnMarketDate "2025-08-01T00:00:00"^^xsd:dateTime .',
     "must be an xsd:date"),
    ("timestamp.yaml", "name: M\nplaced_on_market_date: !!timestamp 2025-08-01\n", "tag:yaml.org,2002:timestamp"),
    ("datetime.yaml", "name: M\nplaced_on_market_date: 2025-08-01 10:00:00\n", "must be a date written YYYY-MM-DD"),
    ("dotted.json", '{"name": "M", "open_source.weights_public": true}', "not dotted"),
    ("dotted-override.json", '{"name": "M", "open_source": {"weights_public": false}, '
                             '"open_source.weights_public": true}', "not dotted"),
    ("dotted-unknown.json", '{"name": "M", "open_source.x": true}', "unknown key 'open_source.x'"),
    ("twice.json", '{"name": "M", "name": "N"}', 'key "name" is given twice'),
    ("twice.yaml", "name: M\nname: N\n", 'key "name" is given twice'),
    ("sexagesimal.yaml", "name: M\ntraining_compute_flop: 1:30\n", "must be a number"),
    ("name-30k.json", '{"name": "' + "ab " * 10000 + '"}', "is 30000 characters long, more than 500"),
]


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name, text, expected", REFUSED, ids=[r[0] for r in REFUSED])
def test_each_bad_input_is_refused_in_one_line_quickly(tmp_path, name, text, expected):
    path = _write(tmp_path, name, text)
    start = time.monotonic()
    answer = _assess_in_process(str(path))
    assert time.monotonic() - start < 5
    assert answer["crash"] is None and answer["code"] == 2 and not answer["stdout"], answer
    assert answer["stderr"].count("\n") == 1 and answer["stderr"].startswith(f"gpai-kg: error: {path}: ")
    assert expected in answer["stderr"], answer["stderr"]


def test_a_30_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"name": "' + "a" * (30 << 20) + '"}')
    start = time.monotonic()
    answer = _assess_in_process(str(path))
    assert time.monotonic() - start < 1 and answer["code"] == 2
    assert "30 MB, more than 1 MB, the size limit of a model description" in answer["stderr"]


def test_a_fifo_and_dev_zero_are_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    start = time.monotonic()
    assert _assess_in_process(str(fifo))["code"] == 2  # no writer: empty, not valid JSON
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("name", ["x[/]", "[bold]x", "[link=https://example.org]x[/link]", "![](http://e/x.png)",
                                  "<img src=x onerror=alert(1)>", ":red[x] $x^2$"])
def test_a_name_full_of_markup_is_accepted_and_shown_as_written(tmp_path, name):
    path = _write(tmp_path, "markup.json", json.dumps({"name": name, "training_compute_flop": 1e26}))
    done = subprocess.run([sys.executable, "-m", "gpai_kg", "assess", str(path), "--as-of", "2026-09-01"],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 0 and not done.stderr, done.stderr
    assert name in done.stdout


@pytest.mark.parametrize("name, text", [
    ("bom.json", '\ufeff{"name": "M"}'), ("bom.yaml", "\ufeffname: M\n"), ("bom.ttl", "\ufeff" + TTL + "."),
    ("one.ttl", TTL + '; gpai:placedOnEUMarket "1"^^xsd:boolean .'),
    ("norway.yaml", "name: M\nprovider_country: NO\n"),
    ("power.json", '{"name": "M", "training_compute_flop": "3.8 x 10^25"}'),
    ("underscores.yaml", "name: M\ntraining_compute_flop: 38_000_000_000_000_000_000_000_000\n"),
])
def test_valid_edge_cases_are_accepted(tmp_path, name, text):
    answer = _assess_in_process(str(_write(tmp_path, name, text)))
    assert answer["code"] == 0 and not answer["stderr"], answer


def test_norway_is_norway_and_one_is_true(tmp_path):
    from gpai_kg.reasoning.model_files import load_description

    assert load_description(_write(tmp_path, "n.yaml", "name: M\nprovider_country: NO\n")).get(
        "provider_country") == "NO"
    assert load_description(_write(tmp_path, "o.ttl", TTL + '; gpai:placedOnEUMarket "1"^^xsd:boolean .')).get(
        "placed_on_eu_market") is True


def test_the_text_format_of_a_long_name_is_quick():
    """Rendering was quadratic in the name's length (100 KB: 107 s); names are
    now at most 500 characters, and one of 500 renders at once."""
    from io import StringIO

    from rich.console import Console

    from gpai_kg.publish.text import render_text
    from gpai_kg.reasoning.assessment import assess
    from gpai_kg.reasoning.description import describe

    start = time.monotonic()
    render_text(assess(describe({"name": "n " * 250, "training_compute_flop": 1e26})), Console(file=StringIO()))
    assert time.monotonic() - start < 5


def test_the_limits_are_the_contracts_and_documented():
    from gpai_kg.reasoning.contract import keys, limits

    text = (paths.ROOT / "docs" / "input-contract.md").read_text(encoding="utf-8")
    cap = limits()
    assert keys()["name"].max_length == 500 and cap.nesting == 32 and cap.yaml_aliases == 16
    for figure in ("1 MB", "32 MB", "32 levels", "400 digits", "16 aliases", "500 characters"):
        assert figure in text, figure
