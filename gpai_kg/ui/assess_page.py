"""Assess a model: describe it (the form, or an uploaded JSON/YAML/Turtle
description), pick the as-of date, and see which obligations of the AI Act
attach to its provider, and why.

The reasoning is ``gpai_kg.assess.assess`` (the rules of ``ontology/rules``);
this page only gathers the description and shows the result. A bad value or
file is one line in an error box (``UserError``), never a traceback.
"""

from __future__ import annotations

import datetime
import json

import streamlit as st

from gpai_kg import paths
from gpai_kg.publish.assessment_rdf import assessment_turtle
from gpai_kg.reasoning.contract import limits
from gpai_kg.ui import assess_form, assess_view, common, graphs

EXAMPLE = paths.EXAMPLES_DIR / "frontier-model.json"


def bundle(assessment, description) -> dict:
    """What the page shows, as plain data (cacheable): the JSON contract, the Turtle,
    one explanation graph (DOT) per obligation, and what the report to file shows."""
    from gpai_kg.publish.filing import report_data

    from gpai_kg.reasoning.derivation import derivation, obligation_statement

    explanations = {}
    for o in assessment.obligations:
        explanations[f"{o.provision} — {o.title}"] = graphs.explanation_graph(
            derivation(assessment, obligation_statement(assessment, o.iri)))
    report = report_data(assessment, description)
    return {"result": report["result"], "turtle": assessment_turtle(assessment), "explanations": explanations,
            "report": report}


@st.cache_data(show_spinner="Assessing…", max_entries=64)
def assessment_of(description_json: str | None, upload: tuple[str, bytes] | None, as_of: str) -> dict:
    """Assess a description given as the form's JSON, or as an uploaded file (name, bytes)."""
    from gpai_kg.reasoning.assessment import (  # the reasoner loads when first needed
        as_description,
        assess,
    )

    common.reasoner()
    if upload is not None:
        model = assess_form.read_upload(*upload)
    else:
        model = as_description(json.loads(description_json))
    return bundle(assess(model, datetime.date.fromisoformat(as_of)), model)


def upload_form() -> tuple[tuple[str, bytes] | None, datetime.date]:
    """The upload and its as-of date; (None, date) until a file is given."""
    st.download_button("An example description (JSON)", EXAMPLE.read_text(encoding="utf-8"), "example-model.json",
                       "application/json", icon=":material/download:")
    file = st.file_uploader("Model description", type=["json", "yaml", "yml", "ttl"], key="assess_upload",
                            max_upload_size=max(1, limits().file_bytes >> 20),
                            help="The keys of the form, as JSON or YAML (e.g. training_compute_flop: 3.8e25), "
                                 "or Turtle in the terms of ontology/model.ttl.")
    as_of = st.date_input("Assess as of", value=datetime.date.today(), key="assess_upload_as_of")
    return ((file.name, file.getvalue()) if file is not None else None), as_of


def render() -> None:
    st.title("Assess a model")
    st.caption("Which obligations of Chapter V of the AI Act attach to a general-purpose AI model's provider, "
               "on a given date, and why. " + common.DISCLAIMER)
    mode = st.radio("Describe the model", ("Fill in the form", "Upload a description"), horizontal=True,
                    key="assess_mode", label_visibility="collapsed")
    if mode == "Fill in the form":
        raw, as_of = assess_form.description_form()
        request = (json.dumps(raw, sort_keys=True), None, as_of.isoformat()) if raw is not None else None
    else:
        upload, as_of = upload_form()
        request = (None, upload, as_of.isoformat()) if upload is not None else None
    key = f"assess_request-{mode}"  # each way of describing keeps its own last request
    if request is not None or mode != "Fill in the form":
        st.session_state[key] = request
    request = st.session_state.get(key)
    if request is None:
        return
    with common.user_errors():
        assess_view.show(assessment_of(*request))


if __name__ == "__main__":
    render()
