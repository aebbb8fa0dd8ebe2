"""Compare: two assessments side by side — two models, or one model on two
dates — with the answers, obligations and exemptions that differ and the facts
and provisions that make the difference (``gpai_kg.publish.comparison``, the
same as ``gpai-kg compare``). Each side is a bundled example or an uploaded
description, with its own date."""

from __future__ import annotations

import datetime

import streamlit as st

from gpai_kg import paths
from gpai_kg.publish.markdown import code, plain
from gpai_kg.publish.numbers import readable
from gpai_kg.publish.report import verdict
from gpai_kg.ui import assess_form, common

SIDES = ("left", "right")


def examples() -> list[str]:
    return [p.name for p in sorted(paths.EXAMPLES_DIR.iterdir()) if p.suffix in (".json", ".yaml", ".ttl")]


@st.cache_data(show_spinner="Assessing…", max_entries=64)
def side(name: str, data: bytes | None, as_of: str) -> dict:
    """One side: the assessment's JSON and the model's facts (an example by its name, or an upload)."""
    from gpai_kg.publish.filing import facts
    from gpai_kg.reasoning.assessment import assess
    from gpai_kg.reasoning.model_files import load_description

    common.reasoner()
    description = load_description(paths.EXAMPLES_DIR / name) if data is None else \
        assess_form.read_upload(name, data)
    return {"result": assess(description, datetime.date.fromisoformat(as_of)).to_json(), "facts": facts(description)}


def choose(where: str, column) -> tuple[str, bytes | None, str] | None:
    """The model and date of one side, as the user picked them."""
    with column:
        st.subheader(f"{where.title()}")
        how = st.radio("Model", ("An example", "Upload"), horizontal=True, key=f"compare-{where}-how")
        if how == "An example":
            names = examples()
            pick = st.selectbox("Example", names, index=names.index("open-weights-model.yaml" if where == "right"
                                                                    else "frontier-model.json"),
                                key=f"compare-{where}-example")
            chosen = (pick, None)
        else:
            file = st.file_uploader("Description", type=["json", "yaml", "yml", "ttl"], key=f"compare-{where}-file")
            chosen = (file.name, file.getvalue()) if file is not None else None
        as_of = st.date_input("As of", value=datetime.date.today(), key=f"compare-{where}-as_of")
    return (*chosen, as_of.isoformat()) if chosen else None


def _steps(entry: dict) -> str:
    lines = [plain(entry["note"])] if entry.get("note") else []
    lines += [f"**{label} only:** " + " → ".join(code(readable(s)) if " = " in s or " include " in s
                                                 else common.explore_link(s) if s[:1].isupper() else plain(s)
                                                 for s in entry[key])
              for label, key in (("left", "left_only"), ("right", "right_only")) if entry[key]]
    return "  \n".join(lines) or "—"


def show(diff: dict) -> None:
    left, right = (f"{plain(diff[s]['name'])} ({diff[s]['as_of']})" for s in SIDES)
    st.header(f"{left} · {right}")
    if diff["law"]:
        st.info("The two sides answer from different versions of the Act: " + " · ".join(
            f"{s}: {code(v['expression']) if v else 'not in force'}" for s, v in diff["law"].items()))
    if diff["facts"]:
        st.subheader("Facts that differ")
        st.dataframe([{"fact": f["key"], "left": (f["left"] or "—") + ("" if f["left_given"] or not f["left"]
                                                                       else " (assumed)"),
                       "right": (f["right"] or "—") + ("" if f["right_given"] or not f["right"] else " (assumed)")}
                      for f in diff["facts"]], hide_index=True, width="stretch")
    if diff["same"]:
        st.success("The same answers, obligations and exemptions on both sides.")
        return
    if diff["answers"]:
        st.subheader("Answers that differ")
        for a in diff["answers"]:
            cols = st.columns([2, 1, 1, 5])
            cols[0].markdown(f"**{a['answer'].replace('_', ' ')}**")
            cols[1].metric("left", verdict(a["left"]))
            cols[2].metric("right", verdict(a["right"]))
            cols[3].markdown(_steps(a))
    if diff["obligations"]:
        st.subheader(f"Obligations that differ ({len(diff['obligations'])})")
        for o in diff["obligations"]:
            cells = [f"{o[s]['status']}, from {o[s]['due'] or '—'}" if o[s] else
                     (f"lifted by {o['lifted_by'][s]}" if s in o["lifted_by"] else "not owed") for s in SIDES]
            with st.expander(f"{o['provision']} — {o['title']}: {cells[0]} · {cells[1]}"):
                st.markdown(_steps(o))
    for e in diff["exemptions"]:
        st.markdown(f"{common.explore_link(e['exempted_by'])} lifts {common.explore_link(e['provision'])} on the "
                    f"{'left' if e['left'] else 'right'} only: {plain(e['why'])}")
    st.caption(common.DISCLAIMER)


def render() -> None:
    st.title("Compare two assessments")
    st.caption("Two models, or one model on two dates: what differs, and which facts or provisions make the "
               "difference. " + common.DISCLAIMER)
    picked = [choose(where, column) for where, column in zip(SIDES, st.columns(2))]
    if None in picked:
        return
    from gpai_kg.publish.comparison import compare

    with common.user_errors():
        show(compare(*(side(*p) for p in picked)))


if __name__ == "__main__":
    render()
