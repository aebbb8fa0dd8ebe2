"""Explore the Act: browse chapters → articles → paragraphs → points, recitals
and annexes, as in force on a chosen date; what changed; search the full
text; the Article 3 glossary.

A provision's view is ``gpai_kg.store.provision.show`` on the chosen date:
the version in force (``gpai_kg.ui.versions_view``: its changes as badges,
the earlier text and a highlighted diff, the documentation-version notice),
verbatim text laid out as EUR-Lex prints it (numbered paragraphs, indented
points and sub-points: ``ui.provision_text``), parts, what it cites and what
cites it (with a network picture), the recitals that explain it or any of its
parts, the AI Office Q&A entries that discuss it, and its EUR-Lex link. The
current provision is in the URL (``?provision=Article+53``), so a view can be
shared.
"""

from __future__ import annotations

import datetime

import streamlit as st

from gpai_kg.errors import UserError
from gpai_kg.publish.markdown import plain
from gpai_kg.sparql import canned
from gpai_kg.sparql.run import run_query
from gpai_kg.store import browse
from gpai_kg.ui import common, graphs, provision_text, versions_view

KEY = "explore_cite"
DEFAULT = "Article 53"
MAX_CITATION = 200  # characters of a typed citation, or of one in the URL


def go(citation: str) -> None:
    """Open a provision (a callback: it only sets the state)."""
    st.session_state[KEY] = citation
    st.session_state.pop("explore_problem", None)


def _day():
    return st.session_state.get("explore_as_of")


def _go_typed() -> None:
    typed = st.session_state.get("explore_goto", "").strip()
    if not typed:
        return
    try:
        go(common.show(typed, _day())["citation"])
    except UserError as exc:
        st.session_state["explore_problem"] = str(exc)


def _go_top() -> None:
    label = st.session_state.get("explore_top")
    if label:
        go(label.split(" — ")[0])


def _go_part() -> None:
    label = st.session_state.get("explore_part")
    if label:
        go(label.split(" — ")[0])
    st.session_state["explore_part"] = None


def navigator() -> None:
    """The ways to pick a provision: a chapter, annex or recital; or a typed citation."""
    if KEY not in st.session_state:  # the URL's provision is anyone's text: shown as text, never as Markdown
        st.session_state[KEY] = st.query_params.get("provision", DEFAULT)[:MAX_CITATION]
    groups = common.top_level(_day())
    options = [n.label for kind in ("Chapter", "Annex", "Recital") for n in groups.get(kind, [])]
    left, right = st.columns([3, 2])
    left.selectbox("Chapter, annex or recital", options, index=None, key="explore_top", on_change=_go_top,
                   placeholder="Choose where to start…")
    right.text_input("Go to a citation", key="explore_goto", on_change=_go_typed, max_chars=MAX_CITATION,
                     placeholder="e.g. Art. 53(1)(a), Recital 97, Annex XIII",
                     help="Tolerant: 'article 53 (1) (a)' or 'Article 53(1), point (a)' work too.")
    if "explore_problem" in st.session_state:
        st.error(plain(st.session_state["explore_problem"]), icon=":material/error:")


def _breadcrumb(info: dict) -> None:
    chain, parent = [], info["parent"]
    while parent and parent != "Regulation (EU) 2024/1689" and len(chain) < 6:
        chain.insert(0, parent)
        parent = common.show(parent, _day())["parent"]
    if chain:
        cols = st.columns(len(chain) + 1)
        for col, citation in zip(cols, chain):
            col.button(citation, key=f"crumb-{citation}", on_click=go, args=(citation,), type="tertiary",
                       icon=":material/chevron_right:")


def provision_view(citation: str) -> None:
    info = common.show(citation, _day())
    st.query_params["provision"] = info["citation"]
    _breadcrumb(info)
    st.subheader(plain(info["citation"] + (f" — {info['title']}" if info["title"] else "")))
    st.caption(f"{info['kind']} · [{info['iri']}]({info['iri']})")
    st.link_button("Open on EUR-Lex", info["url"], icon=":material/open_in_new:")
    versions_view.version_block(info)
    nodes = common.parts(info["iri"], _day())
    if nodes:
        st.selectbox("Parts", [n.label for n in nodes], index=None, key="explore_part", on_change=_go_part,
                     placeholder=f"Open one of its {len(nodes)} parts…")
    if info["kind"] in ("Chapter", "Section"):
        for node in nodes:
            st.button(node.label, key=f"part-{node.citation}", on_click=go, args=(node.citation,), type="tertiary")
    elif info["text"]:
        with st.container(border=True):
            st.html(provision_text.layout(laid_out(info["iri"], _day())))
    related(info)


def related(info: dict) -> None:
    """What the provision cites, what cites it, recitals, Q&A, and the picture."""
    cites, cited_by = st.columns(2)
    cites.markdown(f"**Cites** ({len(info['cites'])})")
    cites.markdown(common.links(info["cites"]) if info["cites"] else "—")
    cited_by.markdown(f"**Cited by** ({len(info['cited_by'])})")
    cited_by.markdown(common.links(info["cited_by"]) if info["cited_by"] else "—")
    if info["cites"] or info["cited_by"] or info["explained_by"]:
        with st.expander("Citation network", expanded=True):
            st.graphviz_chart(graphs.provision_network(info))
    linked = recitals(info["iri"])
    st.markdown(f"**Recitals that explain it or its parts** ({len(linked)})")
    for recital, parts in linked:
        where = "" if parts == [info["citation"]] else " — on " + ", ".join(parts)
        with st.expander(plain(recital + where)):
            st.markdown(plain(common.show(recital, _day())["text"]))
    qa = discussions(info["iri"])
    st.markdown(f"**AI Office Q&A that discusses it** ({len(qa)}) — guidance, not law")
    for question, answer in qa:
        with st.expander(plain(question)):
            st.markdown(plain(answer))


@st.cache_data(show_spinner=False)
def laid_out(iri: str, day: datetime.date | None) -> provision_text.Part:
    """The provision as in force on ``day``, as EUR-Lex prints it: its parts numbered and indented
    (``ui.provision_text``)."""
    texts, children = browse.outline(common.store(), iri, day)
    return provision_text.build(iri, texts, children)


@st.cache_data(show_spinner=False)
def recitals(iri: str) -> list[tuple[str, list[str]]]:
    return browse.recitals_of_parts(common.store(), iri)


@st.cache_data(show_spinner=False)
def discussions(iri: str) -> list[tuple[str, str]]:
    return browse.discussions(common.store(), iri)


@st.cache_data(show_spinner="Searching…")
def search(words: str) -> list[dict]:
    query = canned.load("search-provisions")
    result = run_query(query.text, canned.bind(query, {"text": words}), store=common.store())
    return [{v: row[v]["value"] for v in row} for row in result.rows]


def search_tab() -> None:
    words = st.text_input("Words to find in the text of the Act", key="explore_search", max_chars=MAX_CITATION,
                          placeholder="e.g. systemic risk, floating-point, copyright")
    if not words.strip():
        return
    with common.user_errors():
        hits = search(words.strip())
        st.caption(f"{len(hits)} provisions (the most specific part that contains the words)")
        for hit in hits[:100]:
            st.markdown(f"{common.explore_link(hit['citation'])} · *{hit['kind']}*  \n"
                        f"{plain(browse.snippet(hit['provisionText'], words.strip()))}")
        if len(hits) > 100:
            st.caption(f"… and {len(hits) - 100} more; narrow the words down.")


def glossary_tab() -> None:
    terms = common.glossary(_day())
    st.caption("The definitions of Article 3, with the provisions of Chapter V (general-purpose AI models) "
               "whose text uses each term.")
    rows = [{"term": t.term, "defined in": common.explore_url(t.citation), "Chapter V uses": len(t.used_in),
             "definition": t.definition} for t in terms]
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        "defined in": st.column_config.LinkColumn(display_text=r"provision=(.*)$")})
    chosen = st.selectbox("Term", [t.term for t in terms], index=None, key="explore_term",
                          placeholder="Choose a term to see where Chapter V uses it…")
    for term in terms:
        if term.term == chosen:
            st.markdown(f"**{plain(term.term)}** — {common.explore_link(term.citation)}")
            st.markdown(plain(term.definition))
            st.markdown("Used in Chapter V: " + (common.links(term.used_in) if term.used_in else "nowhere"))


def render() -> None:
    st.title("Explore the Act")
    versions_view.date_picker()
    browse_tab, changed_tab, find_tab, terms_tab = st.tabs(["Browse", "What changed", "Search", "Glossary"])
    with browse_tab:
        navigator()
        with common.user_errors():
            provision_view(st.session_state[KEY])
    with changed_tab:
        versions_view.changes_tab()
    with find_tab:
        search_tab()
    with terms_tab:
        glossary_tab()


if __name__ == "__main__":
    render()
