"""About / sources: what the graph holds, the version of the Act it encodes,
where every file came from and under which licence, and the disclaimer."""

from __future__ import annotations

import streamlit as st

from gpai_kg import __version__, paths
from gpai_kg.ui import common


@st.cache_data(show_spinner=False)
def provenance() -> str:
    return (paths.SOURCES_DIR / "PROVENANCE.md").read_text(encoding="utf-8")


def render() -> None:
    st.title("About gpai-kg")
    st.warning(common.DISCLAIMER, icon=":material/gavel:")
    act = common.act_info()
    st.subheader("The Act")
    st.markdown(f"**{act['title']}**  \n"
                f"{act['oj']} · adopted {act['adopted']} · published {act['published']} · CELEX {act['celex']}  \n"
                f"The text as published in the Official Journal (not a consolidated or amended version). "
                f"[EUR-Lex]({act['url']}) · ELI <{act['iri']}>")
    st.subheader("What the graph holds")
    numbers = common.stats()
    cols = st.columns(4)
    for i, key in enumerate(("articles", "recitals", "annexes", "points", "definitions", "cross_references",
                             "obligations", "triples")):
        cols[i % 4].metric(key.replace("_", " "), f"{numbers.get(key, 0):,}")
    st.caption(f"gpai-kg {__version__}. Guidance (Commission guidelines C(2025) 5045, the AI Office Q&A) is "
               "cited as guidance, never as law.")
    st.subheader("Sources and licences")
    st.markdown(provenance())


if __name__ == "__main__":
    render()
