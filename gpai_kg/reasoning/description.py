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
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from gpai_kg.errors import UserError
from gpai_kg.reasoning.contract import ABSENT, InputKey, keys, limits, modalities


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


@dataclass(frozen=True)
class NumberText:
    """A number as a file wrote it, kept as text because reading it as a
    number is refused (too many digits, beyond the largest xsd:double, or NaN
    or infinity): the check of its key says which, naming the key."""

    text: str

    def __str__(self) -> str:
        return self.text


_DIGITS = re.compile(r"[0-9]")
_D = r"[0-9](?:_?[0-9])*"  # digits, an underscore between two of them allowed (1_000_000)
_DECIMAL = re.compile(rf"[+-]?(?:{_D}(?:\.(?:{_D})?)?|\.{_D})(?:[eE][+-]?{_D})?")
_POWER = re.compile(r"(?:([0-9]+(?:\.[0-9]+)?)\s*(?:x|×|\*|·)\s*)?10\s*\^\s*([+-]?[0-9]+)")
_DOUBLE_MAX = "about 1.8e308"


def _too_large(key: str, written: str) -> UserError:
    shown = written if len(written) <= 40 else written[:20] + "…" + written[-10:]
    return UserError(f"{key} {shown} is beyond the largest number an xsd:double holds ({_DOUBLE_MAX})")


def _read_number(key: str, text: str, what: str) -> float:
    """A number written as text: decimal (``3.8e25``, ``1_000``) or a power of
    ten (``3.8 x 10^25``); its digits are counted before it is read."""
    digits = len(_DIGITS.findall(text))
    cap = limits().digits
    if digits > cap:
        raise UserError(f"{key}: a number of {digits} digits, more than {cap} (the input contract's limit)")
    text = text.strip()
    power = _POWER.fullmatch(text)
    if power:
        exponent = int(power.group(2))  # at most 400 digits, counted above
        value = float(power.group(1) or 1) * 10 ** exponent if -400 <= exponent <= 308 else \
            0.0 if exponent < 0 else float("inf")
    elif _DECIMAL.fullmatch(text):
        value = float(text.replace("_", ""))
    else:
        raise UserError(f"{key} must be a number of {what}, got {text if len(text) <= 80 else text[:70] + '…'!r}")
    if math.isinf(value):
        raise _too_large(key, text)
    return value


def _number(key: str, value: Any, what: str, minimum: float | None) -> float:
    if isinstance(value, NumberText):
        if value.text.strip().lower().lstrip("+-.") in ("nan", "infinity", "inf"):
            raise UserError(f"{key} must be a finite number of {what}, got {value.text}")
        value = value.text
    if isinstance(value, bool):
        raise UserError(f"{key} must be a number of {what}, got {json.dumps(value)}")
    if isinstance(value, str):
        value = _read_number(key, value, what)
    if not isinstance(value, (int, float)):
        raise UserError(f"{key} must be a number of {what}, got {_shown(value)}")
    try:
        value = float(value)
    except OverflowError:
        raise _too_large(key, f"(a number of about {int(value.bit_length() * 0.30103) + 1} digits)") from None
    if not math.isfinite(value):
        raise UserError(f"{key} must be a finite number of {what}, got {value}")
    if minimum is not None and value < minimum:
        raise UserError(f"{key} must not be negative, got {value:g}" if minimum == 0 else
                        f"{key} must be at least {minimum:g}, got {value:g}")
    return value


def _shown(value: Any) -> str:
    """A value in a message: as JSON, cut short (a message is one line, whatever the value)."""
    try:
        text = json.dumps(value, default=str, ensure_ascii=False)
    except (ValueError, RecursionError):
        text = repr(type(value).__name__)
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:60] + "…" + text[-10:]


@lru_cache(maxsize=1)
def _alpha_2() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes (pycountry's)."""
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _country(key: str, value: Any) -> str:
    import pycountry

    if not isinstance(value, str):
        raise UserError(f"{key} must be an ISO 3166-1 alpha-2 code such as 'FR' or 'US', got {_shown(value)}")
    code = value.strip().upper()
    if code in _alpha_2():
        return code
    hint = {"EL": "GR", "UK": "GB"}.get(code)  # the EU's own abbreviations for Greece and the United Kingdom
    if not hint:
        try:
            hint = pycountry.countries.lookup(value.strip()).alpha_2
        except LookupError:
            hint = None
    more = f" — did you mean '{hint}'?" if hint else ""
    raise UserError(f"{key} {_shown(value)} is not an ISO 3166-1 alpha-2 country code{more}")


def _date(key: str, value: Any) -> date:
    if type(value) is date:  # noqa: E721 — a datetime is a date too, and is not one here
        return value
    if isinstance(value, datetime):
        raise UserError(f"{key} must be a date written YYYY-MM-DD, got a date and time ({value.isoformat()})")
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        raise UserError(f"{key} must be a date written YYYY-MM-DD, got {_shown(value)}")
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise UserError(f"{key} {value!r} is not a valid date: {exc}") from None


def parse_date(value: Any, key: str = "--as-of") -> date:
    """A YYYY-MM-DD date, or ``UserError`` naming ``key``."""
    return _date(key, value)


def _check(key: str, spec: InputKey, value: Any) -> Any:
    kind = spec.kind
    if kind == "bool":  # first: most of a description's keys
        if not isinstance(value, bool):
            raise UserError(f"{key} must be true or false, got {_shown(value)}")
        return value
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise UserError(f"{key} must be a non-empty string, got {_shown(value)}")
        if spec.max_length is not None and len(value) > spec.max_length:
            raise UserError(f"{key} is {len(value)} characters long, more than {spec.max_length} (the input "
                            "contract's limit)")
        return " ".join(value.split())
    if kind == "country":
        return _country(key, value)
    if kind == "flop":
        return _number(key, value, "floating-point operations (FLOP)", spec.minimum)
    if kind == "count":
        number = _number(key, value, "units", spec.minimum)
        return int(number) if number.is_integer() and number < 2 ** 63 else number
    if kind == "date":
        return _date(key, value)
    if kind == "modalities":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise UserError(f"{key} must be a list of {', '.join(modalities()[:-1])}; got {_shown(value)}")
        out = []
        for item in value:
            word = item.strip().lower() if isinstance(item, str) else item
            if word not in modalities():
                hint = _suggest(str(word)[:40], modalities(), "modalitie")
                raise UserError(f"{key}: unknown modality {_shown(item)}{hint}")
            if word not in out:
                out.append(word)
        return tuple(out) or ("other",)
    raise AssertionError(kind)


def _flatten(raw: Mapping, prefix: str = "") -> dict[str, Any]:
    contract = keys()
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        full = prefix + key if type(key) is str else f"{prefix}{key}"
        spec = contract.get(full) if type(key) is str and "." not in key else None
        if spec is None:
            spec = _spec_of(key, full, prefix)
        if spec.kind == "object" and value is not None:
            if not isinstance(value, Mapping):
                raise UserError(f"{full} must be an object with the keys "
                                + ", ".join(k.split(".", 1)[1] for k in contract if k.startswith(full + ".")))
            flat[full] = True
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = value
    return flat


def _spec_of(key: Any, full: str, prefix: str) -> InputKey:
    """The key's spec, or the error that says what is wrong with the key."""
    if isinstance(key, str) and "." in key and full in keys():
        parent, _, child = full.rpartition(".")
        raise UserError(f"key '{full}': write a nested key inside its object, as \"{parent}\": "
                        f"{{\"{child}\": …}}, not dotted")
    if not isinstance(key, str) or full not in keys():
        level = [k for k in keys() if k.startswith(prefix) and "." not in k[len(prefix):]]
        shown = _shown(full)[1:-1] if isinstance(key, str) else _shown(key)
        raise UserError(f"unknown key '{shown}'{_suggest(str(full)[:60], level)}")
    return keys()[full]


_SURROGATE = re.compile("[\ud800-\udfff]")
_HOLDS_NO_TEXT = frozenset({int, float, bool, type(None)})


def _no_surrogates(value: Any, where: str = "") -> None:
    """Refuse a lone surrogate (``\\ud800`` in JSON): not a character, it cannot be stored."""
    if isinstance(value, str):
        bad = _SURROGATE.search(value)
        if bad is not None:
            raise UserError(f"{where or 'a key'} holds U+{ord(bad.group()):04X}, a lone surrogate, "
                            "which is not a character")
    elif type(value) is dict or isinstance(value, Mapping):
        search = _SURROGATE.search
        for key, item in value.items():
            if type(key) is str and search(key) is None and (
                    type(item) in _HOLDS_NO_TEXT or (type(item) is str and search(item) is None) or
                    (type(item) is list and all(type(x) is str and search(x) is None for x in item))):
                continue  # a number, a truth value, a text or a list of texts without one: most of a row, no call
            _no_surrogates(key, f"the key under {where}" if where else "a key")
            _no_surrogates(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, (list, tuple)):
        for item in value:
            _no_surrogates(item, where)


@lru_cache(maxsize=1)
def _plan() -> tuple[tuple[str, InputKey, str | None, bool, Any], ...]:
    """The contract's keys in order, each with its spec, the object it is nested in (or None),
    whether it is an object, and its default."""
    return tuple((key, spec, spec.parent, spec.kind == "object", spec.default) for key, spec in keys().items())


@lru_cache(maxsize=1)
def _implying() -> tuple[tuple[str, tuple], ...]:
    """The keys that imply others' values when given (``gpai:impliesKey``), in the contract's order."""
    return tuple((key, spec.implies) for key, spec in keys().items() if spec.implies)


def describe(raw: Any, iri: str | None = None, source: str | None = None) -> ModelDescription:
    """Check a mapping of the input contract and return a ``ModelDescription``."""
    if not isinstance(raw, Mapping):
        raise UserError("a model description must be an object (a mapping of keys such as name, "
                        "training_compute_flop, modalities)")
    _no_surrogates(raw)
    flat = _flatten(raw)
    if flat.get("name") is None:
        raise UserError("name is required: the model's name")
    values: dict[str, Any] = {}
    assumed: set[str] = set()
    for key, spec, parent, is_object, default in _plan():
        if parent is not None and not flat.get(parent):
            continue  # a nested key only exists with its object
        if is_object:
            values[key] = True if flat.get(key) else None
            continue
        value = flat.get(key, ABSENT)
        if value is not ABSENT:
            values[key] = None if value is None else _check(key, spec, value)
        elif default is not ABSENT:
            values[key] = default
            assumed.add(key)
        else:
            values[key] = None
    for key, implies in _implying():  # designation_date: designated; intended_for_eu_market: not yet placed
        for implied, value in implies if values.get(key) not in (None, False) else ():
            if values.get(implied) not in (None, value) and implied not in assumed:
                raise UserError(f"{key} is given, so {implied} cannot be {json.dumps(values[implied])}")
            values[implied] = value
            assumed.discard(implied)
    return ModelDescription(values["name"], values, frozenset(assumed), iri, source)
