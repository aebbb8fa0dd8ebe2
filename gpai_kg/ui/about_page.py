"""About / sources: what the graph holds, the version of the Act it encodes,
where every file came from and under which licence, and the disclaimer."""

from __future__ import annotations

import streamlit as st

from gpai_kg import __version__, paths
from gpai_kg.ui import common


@st.cache_data(show_spinner=False)
def provenance() -> str:
    """data/sources/PROVENANCE.md as HTML that fits the page: its headings under this page's (its "#" is
    a fourth-level heading here), its table as wide as the page with long names wrapped."""
    import re

    from markdown_it import MarkdownIt

    text = (paths.SOURCES_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    text = re.sub(r"^(#{1,3}) ", lambda m: "#" * (len(m.group(1)) + 3) + " ", text, flags=re.MULTILINE)
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    return ("<style>.provenance table { width: 100%; table-layout: fixed; border-collapse: collapse; }"
            ".provenance th, .provenance td { border: 1px solid #ddd; padding: 4px 6px; vertical-align: top;"
            " overflow-wrap: anywhere; font-size: .9rem; } .provenance code { white-space: normal; font-size: .82em; }"
            ".provenance th:nth-child(1) { width: 24%; } .provenance th:nth-child(3) { width: 12%; }"
            f"</style><div class=\"provenance\">{body}</div>")


def render() -> None:
    st.title("About gpai-kg")
    st.warning(common.DISCLAIMER, icon=":material/gavel:")
    act = common.act_info()
    st.subheader("The Act")
    st.markdown(f"**{act['title']}**  \n"
                f"{act['oj']} · adopted {act['adopted']} · published {act['published']} · CELEX {act['celex']}  \n"
                f"[EUR-Lex]({act['url']}) · ELI <{act['iri']}>")
    st.markdown("The graph holds every version of the Act: the text as published in the Official Journal, and the "
                "Act as each amending act leaves it, computed by gpai-kg from the authentic texts and checked "
                "against the Publications Office's consolidated text. " + common.documentation_notice())
    st.markdown("Amending acts: " + "; ".join(f"[{a['citation']}]({a['url']}) ({a['oj']})"
                                             for a in common.authentic()[1:]))
    st.subheader("What the graph holds")
    numbers = common.stats()
    cols = st.columns(4)
    for i, key in enumerate(("articles", "recitals", "annexes", "points", "definitions", "cross_references",
                             "obligations", "triples")):
        cols[i % 4].metric(key.replace("_", " "), f"{numbers.get(key, 0):,}")
    st.caption(f"gpai-kg {__version__}. Guidance (Commission guidelines C(2025) 5045, the AI Office Q&A) is "
               "cited as guidance, never as law.")
    st.subheader("Sources and licences")
    st.html(provenance())


if __name__ == "__main__":
    render()
