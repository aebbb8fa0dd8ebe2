"""The Assess page's result: verdicts, obligations with their verbatim text,
exemptions, a timeline of due dates, penalties exposure, the explanation as a
graph, and the downloads (JSON, Turtle, Markdown report).

Works on the plain ``bundle`` made by ``assess_page.assessment_of`` (the JSON
contract of ``gpai_kg.assess``, its Turtle, the DOT of each explanation).
"""

from __future__ import annotations

import datetime
import json

import streamlit as st

from gpai_kg.publish.markdown import code, plain
from gpai_kg.publish.report import markdown_report, penalty_line, verdict
from gpai_kg.ui import common


def verdicts(result: dict) -> None:
    cols = st.columns(3)
    for col, (label, key) in zip(cols, (("Within the scope of Chapter V", "in_scope"),
                                        ("General-purpose AI model", "general_purpose"),
                                        ("With systemic risk", "systemic_risk"))):
        col.metric(label, verdict(result[key]), border=True)
    if result.get("undetermined"):
        st.warning("Undetermined for lack of: " + plain(", ".join(result["undetermined"])), icon=":material/help:")
    for note in result.get("notes", []):
        st.info(plain(note), icon=":material/info:")


def step_markdown(step: dict) -> str:
    """A step of a because-chain: a provision links to its page, a fact is set as code."""
    if step["kind"] == "provision":
        return common.explore_link(step["text"])
    if step["kind"] == "fact":
        return code(step["text"])
    return f"*{plain(step['text'])}*"


def obligations(result: dict, texts: dict[str, str]) -> None:
    items = result["obligations"]
    st.subheader(f"Obligations ({len(items)})")
    if not items:
        st.write("No obligation of Chapter V attaches on this date.")
        return
    rows = [{"provision": common.explore_url(o["provision"]), "obligation": o["title"], "bearer": o["bearer"],
             "applies from": o["due"], "status": o["status"]} for o in items]
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        "provision": st.column_config.LinkColumn(display_text=r"provision=(.*)$")})
    for o in items:
        with st.expander(plain(f"{o['provision']} — {o['title']}")):
            if o["provision"] in texts:
                st.markdown("\n".join("> " + plain(line) for line in texts[o["provision"]].splitlines()))
            st.markdown("**Because** " + " → ".join(step_markdown(s) for s in o.get("chain") or
                                                    [{"kind": "provision", "text": t} for t in o["because"]]))
            if o.get("due_because"):
                st.caption("Applies from " + plain(o["due"]) + " because " + plain(" → ".join(o["due_because"])))


def timeline(result: dict, as_of: datetime.date) -> None:
    dated = [o for o in result["obligations"] if o["due"]]
    if not dated:
        return
    st.subheader("When they apply")
    from gpai_kg.ui import (
        charts,  # Altair and pandas load in about a second: only when a result is shown
    )

    items = [{"provision": o["provision"], "what": o["title"], "due": o["due"]} for o in dated]
    items += [{"provision": p["provision"], "what": f"fines: {p['title']}", "due": p["applies_from"]}
              for p in result["penalties"] if p.get("applies_from")]
    for item in items:
        item["status"] = "applies" if datetime.date.fromisoformat(item["due"]) <= as_of else "not yet"
    st.altair_chart(charts.timeline(items, datetime.date.today(), as_of), width="stretch")


def exemptions_and_penalties(result: dict) -> None:
    st.subheader("Exemptions")
    if not result["exemptions"]:
        st.write("None applies.")
    for e in result["exemptions"]:
        st.markdown(f"- **{plain(e['provision'])}** ({plain(e['title'])}) is lifted by "
                    f"{common.explore_link(e['exempted_by'])}: " + plain(" → ".join(e["because"])))
    st.subheader("Penalties exposure")
    if not result["penalties"]:
        st.write("No fine can be imposed on this date.")
    for p in result["penalties"]:
        sanctioned = ", ".join(p["sanctions"]) or "none yet"
        st.markdown(f"- {common.explore_link(p['provision'])}: {plain(penalty_line(p))}.  \n"
                    f"  Obligations it sanctions here: {plain(sanctioned)}")


def explanation(bundle: dict) -> None:
    dots = bundle["explanations"]
    if not dots:
        return
    st.subheader("Why: facts → rules → provisions")
    chosen = st.selectbox("Explain", list(dots), key="assess_explain",
                          help="The derivation the rules recorded (PROV-O), from the facts you stated.")
    st.graphviz_chart(dots[chosen])


def downloads(bundle: dict) -> None:
    result = bundle["result"]
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in result["name"]).strip("-") or "model"
    texts = common.provision_texts(tuple(o["provision"] for o in result["obligations"]))
    cols = st.columns(3)
    cols[0].download_button("JSON", json.dumps(result, indent=2, ensure_ascii=False), f"{stem}-assessment.json",
                            "application/json", icon=":material/download:")
    cols[1].download_button("Turtle", bundle["turtle"], f"{stem}-assessment.ttl", "text/turtle",
                            icon=":material/download:")
    cols[2].download_button("Report (Markdown)", markdown_report(result, texts, bundle.get("facts")),
                            f"{stem}-report.md", "text/markdown", icon=":material/download:")


def show(bundle: dict) -> None:
    """The whole result."""
    result = bundle["result"]
    as_of = datetime.date.fromisoformat(result["as_of"])
    st.header(f"{plain(result['name'])} — as of {as_of:%d %B %Y}")
    verdicts(result)
    texts = common.provision_texts(tuple(o["provision"] for o in result["obligations"]))
    obligations(result, texts)
    timeline(result, as_of)
    exemptions_and_penalties(result)
    explanation(bundle)
    st.subheader("Download")
    downloads(bundle)
    st.caption(common.DISCLAIMER)
