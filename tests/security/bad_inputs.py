"""Generated bad model descriptions, in JSON, YAML and Turtle: each one certainly bad.

A valid description (the examples') gets one to three mutations, each of
which makes it invalid under the input contract: a value of the wrong type or
out of range for its key's kind, an unknown, dotted or repeated key, too deep
a nesting, too many digits or aliases, a tag or datatype that is not the
contract's, a malformed file. So the only right answer to every one is a
refusal: exit 2 with one line. An accepted one is a silent coercion.
"""

from __future__ import annotations

import json
import random

BASES = [
    {"name": "Frontier-1", "provider_country": "US", "training_compute_flop": 3.8e25, "parameters": 4.0e11,
     "modalities": ["text", "code", "image"], "placed_on_eu_market": True, "placed_on_market_date": "2025-09-15",
     "eu_business_users": 25000},
    {"name": "Open-7B", "provider_country": "CN", "training_compute_flop": 8.0e23, "modalities": ["text"],
     "placed_on_market_date": "2025-10-01",
     "open_source": {"free_open_source_licence": True, "weights_public": True, "architecture_public": True,
                     "usage_info_public": True, "monetised": False}},
    {"name": "Legal-Tuned-70B", "provider_country": "FR", "modalities": ["text"],
     "placed_on_market_date": "2025-11-03",
     "modified_from": {"name": "Base-70B", "training_compute_flop": 6.0e24, "systemic_risk": False},
     "modification_compute_flop": 2.5e24},
]
KINDS = {"name": "text", "provider_country": "country", "training_compute_flop": "flop", "parameters": "count",
         "eu_business_users": "count", "modification_compute_flop": "flop", "placed_on_eu_market": "bool",
         "general_purpose": "bool", "high_impact_capabilities": "bool", "research_only": "bool",
         "placed_on_market_date": "date", "modalities": "modalities"}


class Raw(str):
    """A value written into the file as is (a JSON or YAML literal, not a string)."""


BAD_VALUES = {
    "text": ["", "   ", 5, True, ["a"], {"a": 1}, "x" * 501, "M\ud800", "\udfffM", Raw("1e400"), Raw("NaN")],
    "country": ["USA", "XX", "", 5, True, ["FR"], "F R", "Z9", "\u0130T", Raw("1e400")],
    "flop": [-1, "lots", True, "10^400", "10^99999999", Raw("1e400"), Raw("1" + "0" * 310), Raw("9" * 5000),
             Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), "inf", "nan", "1:30", "0x10", "--5", "3.8 x 10^",
             [1], {"a": 1}, "\u0661\u0660", "1e400", "9" * 5000, "", "1_", "1__0", False],
    "count": [-5, "many", True, Raw("1e400"), Raw("9" * 4400), "10^400", [3], "-1", "\u0663"],
    "bool": ["maybe", "2", "TRUE", "true", "yes", "no", 1, 0, 2, "", [True], {"a": True}, 1.0, "False",
             Raw("1e400")],
    "date": ["2025-02-30", "2025-13-01", "1 August 2025", "2025-1-1", 20250101, True, "2025-01-01T00:00:00",
             "\u0662\u0660\u0662\u0665-\u0660\u0661-\u0660\u0661", ["2025-01-01"], "", "2025-01-01Z"],
    "modalities": ["txt", ["txt"], [1], [["text"]], {"text": 1}, 5, True, ["text", "smell"], [None]],
}


def _json_value(value) -> str:
    return str(value) if isinstance(value, Raw) else json.dumps(value)


def _json(raw: dict, extra: str = "") -> str:
    body = ", ".join(f"{json.dumps(k)}: {_json_value(v) if not isinstance(v, dict) else _json(v)}"
                     for k, v in raw.items())
    return "{" + body + extra + "}"


def _yaml_value(value, indent: str = "") -> str:
    if isinstance(value, Raw):
        return str(value).replace("NaN", ".nan").replace("-Infinity", "-.inf").replace("Infinity", ".inf")
    if isinstance(value, dict):
        return "\n" + "\n".join(f"{indent}  {k}: {_yaml_value(v, indent + '  ')}" for k, v in value.items())
    return json.dumps(value)  # JSON is YAML (flow style)


def _yaml(raw: dict) -> str:
    return "\n".join(f"{k}: {_yaml_value(v)}" for k, v in raw.items()) + "\n"


def _mutate_value(rng: random.Random, raw: dict) -> dict:
    key = rng.choice(sorted(KINDS))
    out = dict(raw)
    out[key] = rng.choice(BAD_VALUES[KINDS[key]])
    if key in ("modification_compute_flop",) or rng.random() < 0.2:
        out.setdefault("modified_from", {"name": "Base", "training_compute_flop": 1e24})
    return out


def _structural_json(rng: random.Random, raw: dict) -> str:
    depth = rng.choice([33, 40, 100, 1000, 5000, 100000])
    choices = [
        lambda: _json({**raw, "training_compute": 1e25}),
        lambda: _json({**raw, "open_source.weights_public": True}),
        lambda: _json({**raw, "open_source": {"weights": True}}),
        lambda: _json(raw, ', "name": "Again"'),
        lambda: _json({**raw, "modalities": Raw("[" * depth + "]" * depth)}),
        lambda: _json({**raw, "open_source": Raw("{\"a\":" * depth + "1" + "}" * depth)}),
        lambda: rng.choice(["[1, 2]", "\"a model\"", "42", "null", "true", "[]"]),
        lambda: _json(raw)[:-rng.randint(1, 10)],
        lambda: _json(raw) + " {}",
        lambda: _json({k: v for k, v in raw.items() if k != "name"}),
        lambda: _json({**raw, "open_source": "yes"}),
        lambda: _json({**raw, "modified_from": [1, 2]}),
        lambda: _json({**raw, "modified_from": {"name": "B", "compute": 1}}),
        lambda: _json({**raw, "\ud800": 1}),
        lambda: "\xff\xfe" + _json(raw),
        lambda: _json({**raw, "name": Raw("\"" + "é" * rng.randint(501, 2000) + "\"")}),
        lambda: _json({**raw, "notes": "x" * (1 << 20)}),
    ]
    return rng.choice(choices)()


def _structural_yaml(rng: random.Random, raw: dict) -> str:
    depth = rng.choice([33, 50, 500, 20000])
    laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join(["*" + chr(97 + i)] * 9) + "]\n" for i in range(8))
    choices = [
        lambda: laughs + "name: *i\n",
        lambda: "x: &x 1\n" + "".join(f"y{i}: *x\n" for i in range(17)) + _yaml(raw),
        lambda: _yaml(raw) + "placed_on_market_date: !!timestamp 2025-01-01\n",
        lambda: _yaml({**raw, "placed_on_eu_market": Raw(rng.choice(["yes", "no", "on", "off", "Yes", "y"]))}),
        lambda: _yaml({**raw, "placed_on_market_date": Raw(rng.choice(["2025-01-01 10:00:00", "2025-01-01T10:00:00Z",
                                                                      "!!timestamp 2025-01-01"]))}),
        lambda: _yaml({**raw, "training_compute_flop": Raw(rng.choice(["1:30", "0x10", "0o17", ".inf", "-.inf",
                                                                      ".nan", "1_000_:3"]))}),
        lambda: _yaml({**raw, "name": Raw(rng.choice(["!!binary aGVsbG8=", "!!set {a, b}", "!!python/object:os.system"
                                                      " {}", "!!omap [a: 1]", "!!float abc"]))}),
        lambda: _yaml({**raw, "modalities": Raw("[" * depth + "]" * depth)}),
        lambda: "name: M\nx:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(depth if depth < 600 else 40)),
        lambda: _yaml(raw) + "name: Again\n",
        lambda: _yaml(raw) + "---\nname: Two\n",
        lambda: _yaml(raw).replace(": ", ":\t", 1) + "bad: [\n",
        lambda: _yaml({**raw, "open_source.weights_public": True}),
        lambda: _yaml({**raw, "unknown_key": 1}),
        lambda: rng.choice(["- a\n- b\n", "just text\n", "42\n", "~\n"]),
        lambda: _yaml({**raw, "name": Raw('"M\\ud800"')}),
        lambda: _yaml({**raw, "training_compute_flop": Raw("9" * 5000)}),
    ]
    return rng.choice(choices)()


XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = ("@prefix gpai: <https://w3id.org/gpai-kg/ontology#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            "@prefix modality: <https://w3id.org/gpai-kg/id/modality/> .\n")
TTL_GOOD = {"rdfs:label": '"Turtle-1"', "gpai:providerCountry": '"DE"',
            "gpai:trainingComputeFlop": '"2.0e24"^^xsd:double', "gpai:outputModality": "modality:text",
            "gpai:placedOnEUMarket": "true", "gpai:placedOnMarketDate": '"2024-03-01"^^xsd:date'}
TTL_BAD = {
    "rdfs:label": ['""', '"x"^^xsd:integer', "<https://ex.org/name>", '"' + "n" * 501 + '"', '"M\\uD800"', "42",
                   "true", '"a", "b"'],
    "gpai:providerCountry": ['"USA"', '"XX"', "<https://ex.org/fr>", '"FR"^^xsd:integer', "1"],
    "gpai:trainingComputeFlop": ['"3e25"', '"lots"^^xsd:double', '"-1"^^xsd:integer', '"1e400"^^xsd:double',
                                 '"INF"^^xsd:double', '"NaN"^^xsd:double', '"' + "9" * 5000 + '"^^xsd:integer',
                                 "-5", "true", "<https://ex.org/x>", "1e400", '"3.8 x 10^25"^^xsd:double',
                                 "1e25, 2e25"],
    "gpai:placedOnEUMarket": ['"maybe"^^xsd:boolean', '"2"^^xsd:boolean', '"TRUE"^^xsd:boolean',
                              '"yes"^^xsd:boolean', '"true"', "1", '"True"^^xsd:boolean', "<https://ex.org/yes>",
                              "true, false"],
    "gpai:placedOnMarketDate": ['"2025-01-01T00:00:00"^^xsd:dateTime', '"2025-02-30"^^xsd:date',
                                '"1 August 2025"^^xsd:date', '"2025-01-01"', '"2025-01-01"^^xsd:string',
                                "20250101", '"2025-1-1"^^xsd:date', '"2025-01-01Z"^^xsd:date'],
    "gpai:outputModality": ["modality:smell", '"text"', "<https://ex.org/text>"],
    "gpai:trainingCompute": ["1e25"],
    "gpai:declaredGeneralPurpose": ['"maybe"^^xsd:boolean', '"2"^^xsd:boolean', '"TRUE"^^xsd:boolean'],
}


def _turtle(props: dict, subject: str = "<https://example.org/m>", extra: str = "") -> str:
    body = " ;\n    ".join(f"{p} {o}" for p, o in props.items())
    return f"{PREFIXES}\n{subject} a gpai:AIModel ;\n    {body} .\n{extra}"


def _structural_turtle(rng: random.Random) -> str:
    depth = rng.choice([33, 60, 1000, 20000])
    choices = [
        lambda: _turtle(TTL_GOOD, extra=_turtle(TTL_GOOD, "<https://example.org/other>").split("\n", 5)[-1]),
        lambda: PREFIXES + "<https://ex.org/a> <https://ex.org/b> <https://ex.org/c> .\n",
        lambda: _turtle(TTL_GOOD, subject="[]"),
        lambda: _turtle({**TTL_GOOD, "rdfs:comment": "[ rdfs:comment " * depth + '"x"' + " ]" * depth}),
        lambda: _turtle({**TTL_GOOD, "rdfs:comment": "(" * depth + "1" + ")" * depth}),
        lambda: _turtle(TTL_GOOD)[:-rng.randint(2, 30)],
        lambda: _turtle(TTL_GOOD).replace("@prefix gpai:", "@prefix gpaj:"),
        lambda: "<a> <b> ",
        lambda: _turtle({**TTL_GOOD, "rdfs:comment": '"' + "c" * (1 << 20) + '"'}),
        lambda: "\xff" + _turtle(TTL_GOOD),
        lambda: _turtle({k: v for k, v in TTL_GOOD.items() if k != "rdfs:label"}),
        lambda: _turtle({**TTL_GOOD, "gpai:modifiedFrom": "[ a gpai:AIModel ; gpai:trainingComputeFlop \"x\" ]"}),
    ]
    return rng.choice(choices)()


def generate(fmt: str, count: int, seed: int = 13) -> list[tuple[str, str]]:
    """``count`` distinct bad descriptions in ``fmt`` (json, yaml, ttl), as (file suffix, text)."""
    rng = random.Random(f"{fmt}-{seed}")
    found: dict[str, None] = {}
    while len(found) < count:
        if fmt == "ttl":
            if rng.random() < 0.25:
                text = _structural_turtle(rng)
            else:
                props = dict(TTL_GOOD)
                for _ in range(rng.randint(1, 3)):
                    prop = rng.choice(sorted(TTL_BAD))
                    props[prop] = rng.choice(TTL_BAD[prop])
                text = _turtle(props)
        else:
            raw = dict(rng.choice(BASES))
            if rng.random() < 0.25:
                text = _structural_json(rng, raw) if fmt == "json" else _structural_yaml(rng, raw)
            else:
                for _ in range(rng.randint(1, 3)):
                    raw = _mutate_value(rng, raw)
                text = _json(raw) if fmt == "json" else _yaml(raw)
        found.setdefault(text)
    return [(f".{fmt}", text) for text in found]
