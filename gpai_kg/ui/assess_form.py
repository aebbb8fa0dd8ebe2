"""The model-description form of the Assess page, and the upload.

``description_form`` asks for every key of the input contract
(``gpai_kg.reasoning.contract``: the shapes of ontology/shapes-model.ttl), in
its groups and order, each with its label, example and description (which
names the provision it matters for), and returns the answers as a mapping of
the contract: a key the user left open is left out, so the contract's default
applies and the result can say it was assumed; numbers stay as typed for
``gpai_kg.reasoning.description`` to check.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import streamlit as st

from gpai_kg.reasoning.contract import ABSENT, InputKey, groups, limits
from gpai_kg.reasoning.model_files import description_from_bytes

TRI = {"yes": True, "no": False}
#: A yes/no key without a default is asked "unknown/yes/no"; with default true, "yes/no/unknown".
UNDECLARED = "undeclared"


@st.cache_data(show_spinner=False)
def countries() -> list[str]:
    import pycountry

    return sorted(f"{c.alpha_2} — {c.name}" for c in pycountry.countries)


def _set(raw: dict, key: str, value) -> None:
    *parents, leaf = key.split(".")
    target = raw
    for parent in parents:
        target = target.setdefault(parent, {})
    target[leaf] = value


def _ask(spec: InputKey, raw: dict, box) -> None:
    """One widget for one key of the contract, by its kind; its answer into ``raw``."""
    widget_key, label, helps = f"f-{spec.key}", spec.label, spec.description or None
    placeholder = f"e.g. {spec.example}" if spec.example else ""
    if spec.kind in ("text", "flop", "count"):
        value = box.text_input(label, key=widget_key, placeholder=placeholder, help=helps,
                               max_chars=spec.max_length or (limits().digits + 20))
        if value.strip():
            _set(raw, spec.key, value.strip())
    elif spec.kind == "country":
        country = box.selectbox(label, countries(), index=None, key=widget_key, help=helps, placeholder="Unknown")
        if country:
            _set(raw, spec.key, country.split(" — ")[0])
    elif spec.kind == "modalities":
        chosen = box.multiselect(label, spec.allowed, key=widget_key, help=helps)
        if chosen:
            _set(raw, spec.key, chosen)
    elif spec.kind == "date":
        when = box.date_input(label, value=None, key=widget_key, help=helps,
                              min_value=datetime.date(2015, 1, 1), max_value=datetime.date(2035, 12, 31))
        if when:
            _set(raw, spec.key, when.isoformat())
    elif spec.kind == "bool" and spec.default is False:
        if box.checkbox(label, key=widget_key, help=helps):
            _set(raw, spec.key, True)
    elif spec.kind == "bool":
        options = ("yes", "no", "unknown") if spec.default is True else (UNDECLARED, "yes", "no")
        answer = box.radio(label, options, horizontal=True, key=widget_key, help=helps)
        if answer in TRI or spec.default is not ABSENT:
            _set(raw, spec.key, TRI.get(answer))


def description_form() -> tuple[dict | None, datetime.date]:
    """The form, one widget per key of the input contract, grouped as its
    shapes group them; returns (the description, or ``None`` until submitted;
    the as-of date)."""
    raw: dict = {}
    with st.form("assess-form"):
        for n, (title, specs) in enumerate(groups()):
            shown = [s for s in specs if s.kind != "object"]
            gate = next((s for s in specs if s.kind == "object" and s.key == "modified_from"), None)
            if n == 0:
                cols = st.columns(2)
                for i, spec in enumerate(shown):
                    _ask(spec, raw, cols[i % 2])
                as_of = cols[len(shown) % 2].date_input("Assess as of", value=datetime.date.today(), key="f-as_of",
                                                        help="The date the assessment answers for.")
            elif n == 1:  # one per line: each label is a sentence, never cut short
                st.markdown(f"**{title}**")
                for spec in shown:
                    _ask(spec, raw, st)
            else:
                with st.expander(title):
                    part: dict = {}
                    on = gate is None or st.checkbox(gate.label, key=f"f-{gate.key}", help=gate.description or None)
                    for spec in shown:
                        _ask(spec, part, st)
                    if on:
                        raw.update(part)
        submitted = st.form_submit_button("Assess", type="primary")
    return (raw if submitted else None), as_of


def shown_name(name: str) -> str:
    """An uploaded file's name as messages give it (any length, any characters)."""
    name = Path(name).name or "upload"
    return name if len(name) <= 60 else name[:40] + "…" + name[-15:]


def read_upload(name: str, data: bytes):
    """A ``ModelDescription`` from an uploaded .json/.yaml/.yml/.ttl file (its
    bytes: no file is written), checked as ``gpai-kg assess`` checks one;
    ``UserError`` (one line, naming the file) if it is bad or too big."""
    return description_from_bytes(data, name, shown_name(name))
