"""The Assess page's result: verdicts with their plain sentences, obligations
with their verbatim text, exemptions (and why the others do not apply), a
timeline of due dates, penalties exposure, the documentation checklist to
tick and download, the explanation as a graph, and the downloads (JSON,
Turtle, Markdown report).

Works on the plain ``bundle`` made by ``assess_page.assessment_of`` (the JSON
contract of ``gpai_kg.assess``, its Turtle, the DOT of each explanation).
"""

from __future__ import annotations

import datetime
import json

import streamlit as st

from gpai_kg.publish.dossier import markdown as dossier_markdown
from gpai_kg.publish.markdown import code, plain
from gpai_kg.publish.numbers import readable
from gpai_kg.publish.report import no_obligation, penalty_line, verdict
from gpai_kg.ui import common


def verdicts(result: dict) -> None:
    cols = st.columns(3)
    for col, (label, key) in zip(cols, (("Within the scope of Chapter V", "in_scope"),
                                        ("General-purpose AI model", "general_purpose"),
                                        ("With systemic risk", "systemic_risk"))):
        col.metric(label, verdict(result[key]), border=True)
        col.caption(plain(result.get("summary", {}).get(key, "")))
    if result.get("undetermined"):
        st.warning("Undetermined for lack of: " + plain(", ".join(result["undetermined"])), icon=":material/help:")
    for note in result.get("notes", []):
        st.info(plain(note), icon=":material/info:")


def step_markdown(step: dict) -> str:
    """A step of a because-chain: a provision links to its page, a fact is set as code (its numbers as
    people write them: ``3.8 × 10^25``)."""
    if step["kind"] == "provision":
        return common.explore_link(step["text"])
    if step["kind"] == "fact":
        return code(readable(step["text"]))
    return f"*{plain(step['text'])}*"


def obligations(result: dict, texts: dict[str, str]) -> None:
    items = result["obligations"]
    st.subheader(f"Obligations ({len(items)})")
    if not items:
        st.write(plain(no_obligation(result["in_scope"], result.get("undetermined", []))))
        return
    rows = [{"provision": common.explore_url(o["provision"]), "obligation": o["title"], "bearer": o["bearer"],
             "due": o["due"], "status": o["status"]} for o in items]
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        "provision": st.column_config.LinkColumn(display_text=r"provision=(.*)$")})
    for o in items:
        with st.expander(plain(f"{o['provision']} — {o['title']}")):
            if o.get("summary"):
                st.markdown(plain(o["summary"]))
            own = next((s for s in reversed(o.get("chain") or []) if s.get("text") == o["provision"]), {})
            text = own.get("provision_text") or texts.get(o["provision"])  # the version in force on the date
            if text:
                st.markdown("\n".join("> " + plain(line) for line in text.splitlines()))
            st.markdown("**Because** " + " → ".join(step_markdown(s) for s in o.get("chain") or
                                                    [{"kind": "provision", "text": t} for t in o["because"]]))
            if o.get("due_because"):
                st.caption("Due " + plain(o["due"]) + " because " + plain(" → ".join(o["due_because"])))


def version_line(result: dict) -> None:
    """Which version of the Act the answers quote, and the notice when it is a consolidation."""
    version = result.get("version")
    if not version:
        return
    st.caption(f"The law in force on {common.long_date(result['as_of'])}: Regulation (EU) 2024/1689 in its version "
               f"from {common.long_date(version['in_force_from'])} · <{version['expression']}>; every provision "
               "below is quoted as in force on that date.")
    if not version["expression"].endswith("/oj/eng"):
        st.info(common.documentation_notice(), icon=":material/description:")


def supervision(result: dict) -> None:
    items = result.get("supervision") or []
    if not items:
        return
    st.subheader("Who supervises")
    for v in items:
        st.markdown(f"- {plain(v['scope'].capitalize())}: the **{plain(v['authority'])}**, "
                    f"{common.explore_link(v['provision'])} ({plain(v['title'])}; applies from "
                    f"{common.long_date(v['applies_from'])})")


def timeline(result: dict, as_of: datetime.date) -> None:
    dated = [o for o in result["obligations"] if o["due"][:1].isdigit()]  # not a due time in words
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
                    f"{common.explore_link(e['exempted_by'])}: " + plain(e.get("why", "")))
    for n in result.get("exemptions_not_applied", []):
        st.markdown(f"- {common.explore_link(n['exemption'])} ({plain(n['title'])}) does not apply: "
                    + plain(n["why_not"]))
    st.subheader("Penalties exposure")
    if not result["penalties"]:
        st.write("No fine can be imposed on this date.")
    for p in result["penalties"]:
        st.markdown(f"- {common.explore_link(p['provision'])}: {plain(penalty_line(p))}, for:\n"
                    + "\n".join("  - " + plain(f"{i['provision']}: {i['title']} — {', '.join(i['concerns'])}")
                                 for i in p.get("infringements", [])))


def documentation(result: dict) -> None:
    """The dossier as a checklist: a box per required item (its verbatim text as
    help), the exempt ones with their exemption; the ticks download as a
    Markdown checklist and as a record that ``gpai-kg dossier --check`` reads."""
    items = result.get("documentation", [])
    st.subheader(f"Documentation to prepare ({sum(i['status'] == 'required' for i in items)})")
    if not items:
        st.write(plain(no_obligation(result["in_scope"], result.get("undetermined", []))))
        return
    ticked = set()
    for obligation in dict.fromkeys(i["obligation"] for i in items):
        group = [i for i in items if i["obligation"] == obligation]
        with st.expander(plain(f"Documentation under {obligation}, for {group[0]['addressee']}")):
            for i in group:
                if i["status"] == "exempt":
                    st.markdown("~~" + plain(f"{i['provision']} — {i['title']}") + "~~ — "
                                + plain(f"exempt ({i['exempted_by']})"))
                elif st.checkbox(plain(f"{i['provision']} — {i['title']} (due {i['due'] or '—'})"),
                                 key=f"doc-{i['item']}",
                                 help=i["text"]):
                    ticked.add(i["item"])
    today = datetime.date.today().isoformat()
    record = {item: f"ticked in the gpai-kg checklist on {today}" for item in sorted(ticked)}
    stem = _stem(result)
    cols = st.columns(2)
    cols[0].download_button("Checklist (Markdown)", dossier_markdown(result, ticked=ticked), f"{stem}-dossier.md",
                            "text/markdown", icon=":material/download:")
    cols[1].download_button("Record (JSON, for gpai-kg dossier --check)", json.dumps(record, indent=2),
                            f"{stem}-record.json", "application/json", icon=":material/download:")


def _stem(result: dict) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in result["name"]).strip("-") or "model"


def explanation(bundle: dict) -> None:
    dots = bundle["explanations"]
    if not dots:
        return
    st.subheader("Why: facts → rules → provisions")
    chosen = st.selectbox("Explain", list(dots), key="assess_explain",
                          help="The derivation the rules recorded (PROV-O), from the facts you stated.")
    st.graphviz_chart(dots[chosen])


@st.cache_data(show_spinner=False, max_entries=16)
def report_pdf(report_json: str) -> bytes:
    """The report to file as PDF (WeasyPrint, a few seconds: made when the button is clicked, then cached)."""
    from gpai_kg.publish.report_html import pdf

    return pdf(json.loads(report_json))


def downloads(bundle: dict) -> None:
    """The assessment as JSON and Turtle, and the report to file as PDF, HTML and Markdown."""
    from gpai_kg.publish.filing import markdown
    from gpai_kg.publish.report_html import html

    result, report = bundle["result"], bundle["report"]
    stem = _stem(result)
    cols = st.columns(5)
    cols[0].download_button("Report (PDF)", lambda: report_pdf(json.dumps(report)), f"{stem}-report.pdf",
                            "application/pdf", icon=":material/picture_as_pdf:", type="primary")
    cols[1].download_button("Report (HTML)", html(report), f"{stem}-report.html", "text/html",
                            icon=":material/download:")
    cols[2].download_button("Report (Markdown)", markdown(report), f"{stem}-report.md", "text/markdown",
                            icon=":material/download:")
    cols[3].download_button("JSON", json.dumps(result, indent=2, ensure_ascii=False), f"{stem}-assessment.json",
                            "application/json", icon=":material/download:")
    cols[4].download_button("Turtle", bundle["turtle"], f"{stem}-assessment.ttl", "text/turtle",
                            icon=":material/download:")


def show(bundle: dict) -> None:
    """The whole result."""
    result = bundle["result"]
    as_of = datetime.date.fromisoformat(result["as_of"])
    st.header(f"{plain(result['name'])} — as of {as_of:%d %B %Y}")
    version_line(result)
    verdicts(result)
    texts = common.provision_texts(tuple(o["provision"] for o in result["obligations"]))
    obligations(result, texts)
    timeline(result, as_of)
    exemptions_and_penalties(result)
    supervision(result)
    documentation(result)
    explanation(bundle)
    st.subheader("Download")
    downloads(bundle)
    st.caption(common.DISCLAIMER)
