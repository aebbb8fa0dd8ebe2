"""Epoch AI's "Notable AI Models" table as model descriptions.

Reads Epoch AI's "Notable AI Models" table as published (Epoch AI, "Data on
AI Models", epoch.ai/data/ai-models, CC BY 4.0; a copy is in
``data/sources/models/``), or a CSV whose columns are the keys of the input
contract (``name``, ``training_compute_flop``, ...). Each row is mapped to a
model description of the input contract. A fact the registry does not give
stays unknown -- an empty compute is unknown, not 0 -- so the assessment says
"undetermined", naming the missing fact, never a silent "out of scope".

How Epoch's columns become facts (assumptions, documented in docs/reasoning.md):

- ``Training compute (FLOP)`` -> training_compute_flop (cumulative; for a
  fine-tuned model Epoch's figure is taken as including the base model's).
- ``Country (from Organization)`` -> provider_country: the first organisation
  listed is taken as the provider, and its country is the first country listed
  that is not "Multinational" (else the organisations table's country for it).
- ``Domain`` -> modalities (``DOMAIN_MODALITIES``).
- ``Publication date`` -> placed_on_market_date (publication taken as placing).
- ``Model accessibility`` -> placed_on_eu_market and open_source
  (``ACCESS``): API, hosted or open-weights access is taken as placing on the
  Union market (available worldwide, so in the Union); "Unreleased" is not
  placed; empty is unknown. Only unrestricted open weights count as a free and
  open-source licence (non-commercial or restricted-use licences are excluded,
  guidelines C(2025) 5045, Section 4, paragraph (83)); Epoch records no
  monetisation, taken as none.
- ``Base model`` and ``Finetune compute (FLOP)`` -> modified_from and
  modification_compute_flop when the base model is another organisation's;
  a model built by the base model's own organisation is part of that model's
  lifecycle (guidelines, Section 2.2) and is assessed on its own compute.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

EPOCH_CITATION = "Epoch AI, 'Data on AI Models', epoch.ai/data/ai-models"
EPOCH_SOURCE = {"title": f"{EPOCH_CITATION} (CC BY 4.0)", "url": "https://epoch.ai/data/ai-models"}

#: Epoch's domains and the output modalities they are taken to mean.
DOMAIN_MODALITIES = {
    "Language": "text", "Multimodal": "text", "Image generation": "image", "Video": "video",
    "Speech": "speech", "Audio": "audio",
}
#: Epoch's "Model accessibility" and the facts taken from it.
OPEN = {"free_open_source_licence": True, "weights_public": True, "architecture_public": True,
        "usage_info_public": True, "monetised": False}
RESTRICTED = {**OPEN, "free_open_source_licence": False}
ACCESS: dict[str, dict[str, Any]] = {
    "API access": {"placed_on_eu_market": True},
    "Hosted access (no API)": {"placed_on_eu_market": True},
    "Open weights (unrestricted)": {"placed_on_eu_market": True, "open_source": OPEN},
    "Open weights (non-commercial)": {"placed_on_eu_market": True, "open_source": RESTRICTED},
    "Open weights (restricted use)": {"placed_on_eu_market": True, "open_source": RESTRICTED},
    "Unreleased": {"placed_on_eu_market": False},
    "": {"placed_on_eu_market": None},
}
#: Country names of Epoch's tables that ISO 3166 spells otherwise.
COUNTRY_NAMES = {"Korea (Republic of)": "KR", "Russia": "RU", "Iran (Islamic Republic of)": "IR",
                 "Taiwan": "TW", "Turkey": "TR", "Vietnam": "VN"}


_NUMBER, _DATE = re.compile(r"[0-9.eE+-]+"), re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SHORT = 256  # a cell of at most this many characters is looked up in a cache of its reading


def _by_cell(read):
    """``read`` of a cell, each short cell read once (a table repeats its countries, domains, dates
    and organisations over and over; the caches hold short cells only, so a few hundred kilobytes)."""
    cached = lru_cache(maxsize=4096)(read)
    return lambda text: cached(text) if len(text) <= _SHORT else read(text)


def clean(text: str | None) -> str:
    """A cell of the table with its whitespace normalised ("" for none)."""
    return " ".join((text or "").split())


def _names(text: str) -> tuple[str, ...]:
    """The comma-separated names of a cell, cleaned, the empty ones left out."""
    return tuple(name for name in map(clean, text.split(",")) if name)


names = _by_cell(_names)


def first_name(text: str) -> str:
    """The first name of a comma-separated cell ("" for none)."""
    found = names(text)
    return found[0] if found else ""


def _number(text: str | None) -> float | str | None:
    """A number of the table; a cell that is not a plain non-negative number
    (``10^400``, ``lots``, ``-1``) is passed on as written, for the
    description's check to refuse: the row is then reported, not read as unknown."""
    if not text:
        return None
    text = clean(text).replace(",", "")
    if not text:
        return None
    try:
        value = float(text) if _NUMBER.fullmatch(text) else -1.0
    except ValueError:
        return text
    return value if 0 <= value < float("inf") else text


def _read_date(text: str) -> str | None:
    """A date of the table, YYYY-MM-DD; anything else is passed on as written (and refused)."""
    text = clean(text)
    try:
        return date.fromisoformat(text).isoformat() if _DATE.fullmatch(text) else \
            text or None
    except ValueError:
        return text


_date = _by_cell(_read_date)


def _country_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name of Epoch's tables."""
    import pycountry

    name = clean(name)
    if not name or name == "Multinational":
        return None
    if name in COUNTRY_NAMES:
        return COUNTRY_NAMES[name]
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


country_code = _by_cell(_country_code)


def _first_country(cell: str) -> str | None:
    """The code of the first country of a cell that has one."""
    return next((code for code in map(country_code, cell.split(",")) if code), None)


_countries = _by_cell(_first_country)


def _read_modalities(domain: str) -> tuple[str, ...] | None:
    parts = names(domain)
    if not parts:
        return None
    return tuple(sorted({DOMAIN_MODALITIES[p] for p in parts if p in DOMAIN_MODALITIES}))


_modalities = _by_cell(_read_modalities)  # () means none of the contract's modalities (stated as "other")


#: The columns the mapping reads (a line break in one of them can only be rows merged by a quote).
COLUMNS = ("Model", "Organization", "Country (from Organization)", "Training compute (FLOP)", "Parameters",
           "Domain", "Publication date", "Model accessibility", "Base model", "Finetune compute (FLOP)")


class EpochMapper:
    """Maps rows of Epoch's table (their cells; ``at``: a column's position) to model descriptions."""

    def __init__(self, at: dict[str, int], bases: list[dict[str, str]], organisations: dict[str, str]):
        self.by_name = {clean(r.get("Model")): r for r in bases}
        self.organisations = organisations
        self._positions = tuple(at.get(column) for column in COLUMNS)

    def _country(self, countries: str, organisations: str) -> str | None:
        code = _countries(countries)
        if code:
            return code
        orgs = names(organisations)
        return country_code(self.organisations.get(orgs[0], "")) if orgs else None

    def describe(self, cells: list[str]) -> dict[str, Any]:
        model, orgs, countries, compute, parameters, domain, published, access, base, finetune = (
            "" if i is None else cells[i] for i in self._positions)
        raw: dict[str, Any] = {"name": clean(model) or "unnamed model"}
        raw["training_compute_flop"] = _number(compute)
        if (value := _number(parameters)) is not None:
            raw["parameters"] = value
        raw["provider_country"] = self._country(countries, orgs)
        modalities = _modalities(domain)
        raw["modalities"] = None if modalities is None else list(modalities)
        raw["placed_on_market_date"] = _date(published)
        raw.update(ACCESS.get(access) or ACCESS.get(clean(access), {"placed_on_eu_market": None}))
        base_name = first_name(base) if base else ""
        if base_name:
            row = self.by_name.get(base_name)
            same_provider = row is not None and set(names(row.get("Organization") or "")) & set(names(orgs))
            if not same_provider:
                original: dict[str, Any] = {"name": base_name}
                compute = _number(row.get("Training compute (FLOP)")) if row else None
                if compute is None:
                    original["systemic_risk"] = None  # unknown, not "no"
                else:
                    original["training_compute_flop"] = compute
                raw["modified_from"] = original
                raw["modification_compute_flop"] = _number(finetune)
        return raw
