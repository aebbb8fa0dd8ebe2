"""Canned queries: pick one of ``queries/*.rq`` by its title, fill in its
parameters, see the result as a table (provisions link to the Explore page),
download CSV or JSON (Turtle for a graph), and read the query.

The catalogue, parameter binding and the run are ``gpai_kg.canned`` and
``gpai_kg.sparql.run_query`` (read-only checks, time limit).
"""

from __future__ import annotations

import streamlit as st

from gpai_kg.sparql import canned
from gpai_kg.sparql.run import run_query
from gpai_kg.ui import common, tables


@st.cache_data(show_spinner=False)
def catalogue() -> list[canned.CannedQuery]:
    return canned.catalogue()


@st.cache_data(show_spinner="Running the query…")
def run(name: str, values: tuple[tuple[str, str], ...]):
    query = canned.load(name)
    return run_query(query.text, canned.bind(query, dict(values), common.store()), store=common.store())


def choose_query(queries: list[canned.CannedQuery]) -> canned.CannedQuery:
    """The query the user picked (by title)."""
    titles = {q.title: q for q in queries}
    wanted = st.query_params.get("query")
    names = [q.name for q in queries]
    index = names.index(wanted) if wanted in names else 0
    title = st.selectbox("Query", list(titles), index=index, key="queries_pick")
    return titles[title]


def parameter_values(query: canned.CannedQuery) -> dict[str, str]:
    """The parameters the user filled in (empty ones left out, so defaults apply)."""
    values = {}
    for param in query.params:
        need = "required" if param.required else (f"default: {param.default}" if param.default else "optional")
        value = st.text_input(f"{param.name} ({param.type}; {need})", value=param.default or "",
                              key=f"queries-{query.name}-{param.name}", help=param.description)
        if value.strip():
            values[param.name] = value.strip()
    return values


def render() -> None:
    st.title("Canned queries")
    st.caption("Ready-made questions to the graph. Pick one, fill in its parameters and run it.")
    query = choose_query(catalogue())
    st.query_params["query"] = query.name
    st.markdown(query.description)
    if query.provisions:
        st.markdown("Provisions: " + common.links(query.provisions))
    with st.form(f"queries-form-{query.name}"):
        values = parameter_values(query)
        submitted = st.form_submit_button("Run", type="primary")
    if submitted or not any(p.required for p in query.params):
        with common.user_errors():
            tables.show_result(run(query.name, tuple(sorted(values.items()))), key=query.name, hide_internal=True)
    with st.expander("The query (SPARQL)"):
        st.code(query.text, language="sparql")


if __name__ == "__main__":
    render()
