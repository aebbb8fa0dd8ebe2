"""Model descriptions: a mapping of the input contract, checked key by key
into a ``ModelDescription`` (files: ``gpai_kg.reasoning.model_files``; as RDF:
``gpai_kg.reasoning.facts``).

The input contract is defined once, as the property shapes of
``ontology/shapes-model.ttl`` (``gpai_kg.reasoning.contract``): every key, its
property, how it is read, its default and its constraints.

A key that is *absent* takes its default (``placed_on_eu_market`` is assumed
true, the yes/no facts that trigger a rule are false); a key given as ``null``
is *unknown*: no triple is stated, and the rules that need it answer
"undetermined" naming it. Every bad input raises ``UserError`` naming the key.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gpai_kg.errors import UserError
from gpai_kg.reasoning.contract import ABSENT, InputKey, keys, modalities


@dataclass(frozen=True)
class ModelDescription:
    """A checked model description: ``values`` maps every key of ``keys()`` (the
    nested ones dotted, ``open_source.weights_public``) to its value, ``None``
    when unknown; ``assumed`` holds the keys whose value is a default."""

    name: str
    values: Mapping[str, Any]
    assumed: frozenset[str] = frozenset()
    iri: str | None = None
    source: str | None = field(default=None, compare=False)

    def get(self, key: str) -> Any:
        return self.values.get(key)



# ----------------------------------------------------------------- checking

def _suggest(word: str, choices, what: str = "key") -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    if not close:  # "training_compute" is a prefix of "training_compute_flop"
        close = [c for c in choices if c.startswith(word) or word.startswith(c)][:1]
    return f" — did you mean '{close[0]}'?" if close else f" (known {what}s: {', '.join(sorted(choices))})"


_POWER = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*(?:x|×|\*|·)\s*)?10\s*\^\s*(\d+)\s*$")


def _number(key: str, value: Any, what: str, minimum: float | None) -> float:
    if isinstance(value, bool):
        raise UserError(f"{key} must be a number of {what}, got {json.dumps(value)}")
    if isinstance(value, str):
        m = _POWER.match(value)
        try:
            value = float(m.group(1) or 1) * 10 ** int(m.group(2)) if m else float(value.replace("_", ""))
        except ValueError:
            raise UserError(f"{key} must be a number of {what}, got {value!r}") from None
    if not isinstance(value, (int, float)):
        raise UserError(f"{key} must be a number of {what}, got {json.dumps(value, default=str)}")
    value = float(value)
    if not math.isfinite(value):
        raise UserError(f"{key} must be a finite number of {what}, got {value}")
    if minimum is not None and value < minimum:
        raise UserError(f"{key} must not be negative, got {value:g}" if minimum == 0 else
                        f"{key} must be at least {minimum:g}, got {value:g}")
    return value


def _country(key: str, value: Any) -> str:
    import pycountry

    if not isinstance(value, str):
        raise UserError(f"{key} must be an ISO 3166-1 alpha-2 code such as 'FR' or 'US', got {json.dumps(value)}")
    code = value.strip().upper()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code):
        return code
    hint = {"EL": "GR", "UK": "GB"}.get(code)  # the EU's own abbreviations for Greece and the United Kingdom
    if not hint:
        try:
            hint = pycountry.countries.lookup(value.strip()).alpha_2
        except LookupError:
            hint = None
    more = f" — did you mean '{hint}'?" if hint else ""
    raise UserError(f"{key} {value!r} is not an ISO 3166-1 alpha-2 country code{more}")


def _date(key: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise UserError(f"{key} must be a date written YYYY-MM-DD, got {json.dumps(value, default=str)}")
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise UserError(f"{key} {value!r} is not a valid date: {exc}") from None


def parse_date(value: Any, key: str = "--as-of") -> date:
    """A YYYY-MM-DD date, or ``UserError`` naming ``key``."""
    return _date(key, value)


def _check(key: str, spec: InputKey, value: Any) -> Any:
    kind = spec.kind
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise UserError(f"{key} must be a non-empty string, got {json.dumps(value, default=str)}")
        return " ".join(value.split())
    if kind == "country":
        return _country(key, value)
    if kind == "flop":
        return _number(key, value, "floating-point operations (FLOP)", spec.minimum)
    if kind == "count":
        number = _number(key, value, "units", spec.minimum)
        return int(number) if number.is_integer() and number < 2 ** 63 else number
    if kind == "bool":
        if not isinstance(value, bool):
            raise UserError(f"{key} must be true or false, got {json.dumps(value, default=str)}")
        return value
    if kind == "date":
        return _date(key, value)
    if kind == "modalities":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise UserError(f"{key} must be a list of {', '.join(modalities()[:-1])}; got {json.dumps(value, default=str)}")
        out = []
        for item in value:
            word = item.strip().lower() if isinstance(item, str) else item
            if word not in modalities():
                raise UserError(f"{key}: unknown modality {item!r}{_suggest(str(word), modalities(), 'modalitie')}")
            if word not in out:
                out.append(word)
        return tuple(out) or ("other",)
    raise AssertionError(kind)


def _flatten(raw: Mapping, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        full = f"{prefix}{key}"
        if not isinstance(key, str) or full not in keys():
            level = [k for k in keys() if k.startswith(prefix) and "." not in k[len(prefix):]]
            raise UserError(f"unknown key '{full}'{_suggest(str(full), level)}")
        if keys()[full].kind == "object" and value is not None:
            if not isinstance(value, Mapping):
                raise UserError(f"{full} must be an object with the keys "
                                + ", ".join(k.split(".", 1)[1] for k in keys() if k.startswith(full + ".")))
            flat[full] = True
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = value
    return flat


def describe(raw: Any, iri: str | None = None, source: str | None = None) -> ModelDescription:
    """Check a mapping of the input contract and return a ``ModelDescription``."""
    if not isinstance(raw, Mapping):
        raise UserError("a model description must be an object (a mapping of keys such as name, "
                        "training_compute_flop, modalities)")
    flat = _flatten(raw)
    if flat.get("name") is None:
        raise UserError("name is required: the model's name")
    values: dict[str, Any] = {}
    assumed: set[str] = set()
    for key, spec in keys().items():
        parent = key.rsplit(".", 1)[0] if "." in key else None
        if parent is not None and not flat.get(parent):
            continue  # a nested key only exists with its object
        if spec.kind == "object":
            values[key] = True if flat.get(key) else None
            continue
        if key in flat:
            values[key] = None if flat[key] is None else _check(key, spec, flat[key])
        elif spec.default is not ABSENT:
            values[key] = spec.default
            assumed.add(key)
        else:
            values[key] = None
    return ModelDescription(values["name"], values, frozenset(assumed), iri, source)
