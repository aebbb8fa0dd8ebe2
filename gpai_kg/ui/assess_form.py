"""The model-description form of the Assess page, and the upload.

``description_form`` returns the user's answers as a mapping of the input
contract (``gpai_kg.model_input.KEYS``): a key the user left open is left
out, so the contract's default applies and the result can say it was assumed;
numbers stay as typed ("3.8e25", "3.8 x 10^25") for ``model_input`` to check.
Each field's help is the ontology's comment on its property (``gpai:inputKey``
in ontology/model.ttl), which names the provision it matters for.
"""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

import streamlit as st

from gpai_kg.errors import UserError
from gpai_kg.reasoning.description import MODALITIES, load_description
from gpai_kg.ui import common

FLAGS = (  # (key, label) of the yes/no facts that are false unless ticked
    ("high_impact_capabilities", "Evaluations found high-impact capabilities"),
    ("designated_by_commission", "Designated by the Commission as having systemic risk"),
    ("research_only", "Used only for research, development or prototyping (not placed on the market)"),
    ("internal_use_only", "Used only for the provider's internal processes"),
    ("internal_use_essential_for_third_parties", "Those internal processes are essential for products or "
                                                 "services to third parties"),
    ("affects_rights_of_natural_persons", "Its use affects the rights of natural persons"),
)
OPEN_SOURCE = (
    ("free_open_source_licence", "Released under a free and open-source licence"),
    ("weights_public", "Parameters, including the weights, are public"),
    ("architecture_public", "Information on the architecture is public"),
    ("usage_info_public", "Information on model usage is public"),
    ("monetised", "Monetised (price, paid support, personal data…)"),
)
TRI = {"yes": True, "no": False}


@st.cache_data(show_spinner=False)
def countries() -> list[str]:
    import pycountry

    return sorted(f"{c.alpha_2} — {c.name}" for c in pycountry.countries)


def _help(key: str) -> str | None:
    helps = common.field_help()
    return helps.get(key) or helps.get(key.rsplit(".", 1)[-1])


def _text(raw: dict, key: str, label: str, placeholder: str = "", container=st) -> None:
    value = container.text_input(label, key=f"f-{key}", placeholder=placeholder, help=_help(key))
    if value.strip():
        *parents, leaf = key.split(".")
        target = raw
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value.strip()


def description_form() -> tuple[dict | None, datetime.date]:
    """The form; returns (the description, or ``None`` until submitted; the as-of date)."""
    raw: dict = {}
    with st.form("assess-form"):
        left, right = st.columns(2)
        _text(raw, "name", "Model name", "e.g. Frontier-1", left)
        country = right.selectbox("Provider established in (ISO 3166-1)", countries(), index=None,
                                  key="f-provider_country", help=_help("provider_country"),
                                  placeholder="Unknown")
        if country:
            raw["provider_country"] = country.split(" — ")[0]
        _text(raw, "training_compute_flop", "Training compute (FLOP)", "e.g. 3.8e25 or 3.8 x 10^25", left)
        _text(raw, "parameters", "Parameters", "e.g. 7e10", right)
        modalities = left.multiselect("Output modalities", MODALITIES, key="f-modalities", help=_help("modalities"))
        if modalities:
            raw["modalities"] = modalities
        general = right.radio("General-purpose (significant generality)?", ("undeclared", "yes", "no"),
                              horizontal=True, key="f-general_purpose", help=_help("general_purpose"))
        if general in TRI:
            raw["general_purpose"] = TRI[general]
        placed = left.radio("Placed on the EU market?", ("yes", "no", "unknown"), horizontal=True,
                            key="f-placed_on_eu_market", help=_help("placed_on_eu_market"))
        raw["placed_on_eu_market"] = TRI.get(placed)
        date = right.date_input("Placed on the market on", value=None, key="f-placed_on_market_date",
                                help=_help("placed_on_market_date"), min_value=datetime.date(2015, 1, 1),
                                max_value=datetime.date(2035, 12, 31))
        if date:
            raw["placed_on_market_date"] = date.isoformat()
        _text(raw, "eu_business_users", "Registered business users in the EU", "e.g. 12000", left)
        as_of = right.date_input("Assess as of", value=datetime.date.today(), key="f-as_of",
                                 help=_help("as_of") or "The date the assessment answers for.")
        st.markdown("**Facts that change the outcome** (leave unticked if they do not hold)")
        cols = st.columns(2)
        for i, (key, label) in enumerate(FLAGS):
            if cols[i % 2].checkbox(label, key=f"f-{key}", help=_help(key)):
                raw[key] = True
        with st.expander("Open-source release (Articles 53(2), 54(6))"):
            release = {key: True for key, label in OPEN_SOURCE
                       if st.checkbox(label, key=f"f-open_source.{key}", help=_help(f"open_source.{key}"))}
            if release:
                raw["open_source"] = release
        with st.expander("Modified from another model (downstream modifier)"):
            modified = st.checkbox("This model is a modification (e.g. fine-tune) of another general-purpose "
                                   "AI model", key="f-modified", help=_help("modified_from"))
            part: dict = {}
            _text(part, "modified_from.name", "Original model's name")
            _text(part, "modified_from.training_compute_flop", "Original model's training compute (FLOP)")
            if st.checkbox("The original has systemic risk", key="f-modified_from.systemic_risk",
                           help=_help("modified_from.systemic_risk")):
                part.setdefault("modified_from", {})["systemic_risk"] = True
            _text(part, "modification_compute_flop", "Compute used for the modification (FLOP)")
            if modified:
                raw.update(part)
        submitted = st.form_submit_button("Assess", type="primary")
    return (raw if submitted else None), as_of


def read_upload(name: str, data: bytes):
    """A ``ModelDescription`` from an uploaded .json/.yaml/.yml/.ttl file, checked by
    ``model_input.load_description``; ``UserError`` (one line, naming the file) if it is bad."""
    name = Path(name).name or "upload"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            return load_description(path)
        except UserError as exc:
            raise UserError(str(exc).replace(str(path), name).replace(tmp + "/", "")) from None
