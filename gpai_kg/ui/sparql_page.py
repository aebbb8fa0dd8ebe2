"""SPARQL editor: read-only queries on the embedded graph.

Every query goes through ``gpai_kg.sparql.run_query``: checked and run in a
worker process with no network and a memory limit, killed at the time limit
(the app's threads get their workers from a forkserver), refusing SPARQL
Update, SERVICE and FROM a graph outside gpai-kg on Oxigraph's own parse, and
too deep or too long a query before any parser; its one-line ``UserError``
is shown on the page, as text. The editor takes at most the query size limit.
"""

from __future__ import annotations

import streamlit as st

from gpai_kg import paths
from gpai_kg.sparql.guard import MAX_QUERY_BYTES
from gpai_kg.sparql.run import DEFAULT_TIMEOUT, run_query
from gpai_kg.ui import common, tables

EXAMPLES_DIR = paths.QUERIES_DIR / "examples"


@st.cache_data(show_spinner=False)
def examples() -> dict[str, str]:
    """The editor's examples (``queries/examples/*.rq``) by their ``# title:``."""
    out = {}
    for path in sorted(EXAMPLES_DIR.glob("*.rq")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n")
        out[head.removeprefix("# title:").strip()] = body
    return out


def _load_example() -> None:
    st.session_state["sparql_text"] = examples()[st.session_state["sparql_example"]]


def editor() -> tuple[str, float, int, bool]:
    """The query text, time limit, row limit, and whether Run was pressed."""
    if "sparql_text" not in st.session_state:
        st.session_state["sparql_text"] = next(iter(examples().values()))
    st.selectbox("Example", list(examples()), key="sparql_example", on_change=_load_example)
    with st.form("sparql-form"):
        text = st.text_area("Query", key="sparql_text", height=260, max_chars=MAX_QUERY_BYTES)
        left, right = st.columns(2)
        timeout = left.number_input("Time limit (s)", 0.5, 60.0, DEFAULT_TIMEOUT, 0.5, key="sparql_timeout")
        max_rows = right.number_input("Row limit", 1, 100_000, 5_000, 500, key="sparql_rows")
        run = st.form_submit_button("Run", type="primary")
    return text, float(timeout), int(max_rows), run


def render() -> None:
    st.title("SPARQL editor")
    st.caption("Read-only: SPARQL Update, SERVICE and FROM another server's graph are refused; queries stop "
               "at the time limit. The default graph is the union of gpai-kg's named graphs "
               "(`https://w3id.org/gpai-kg/graph/…`).")
    text, timeout, max_rows, run = editor()
    if run:
        st.session_state.pop("sparql_result", None)  # a failed run shows no stale result
        with common.user_errors():
            st.session_state["sparql_result"] = run_query(text, timeout=timeout, max_rows=max_rows,
                                                          store=common.store())
    if st.session_state.get("sparql_result") is not None:
        tables.show_result(st.session_state["sparql_result"], key="sparql")

if __name__ == "__main__":
    render()
