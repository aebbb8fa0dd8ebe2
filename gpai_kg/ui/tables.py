"""Query results as tables: provisions become links to the Explore page.

A column whose values are all provision IRIs of the Act
(``http://data.europa.eu/eli/reg/2024/1689/…``) or citations of it
("Article 53(1)(a)") shows each as its human citation, linking to the
provision's page; other IRIs are written with the
project's prefixes (``gkg:obligation/art-53-1-a``); literals as their value,
a large number as people write it (``10^25``, ``3.35 × 10^25``). The
canned queries' tables hide the columns of internal identifiers (IRIs of
gpai-kg's own nodes, not of the Act) unless "Show internal identifiers" is
ticked; the downloads always have every column.
"""

from __future__ import annotations

import re

import streamlit as st

from gpai_kg.citations import format_citation, from_iri
from gpai_kg.errors import UserError
from gpai_kg.namespaces import ACT_BASE, compact
from gpai_kg.publish.numbers import literal
from gpai_kg.sparql.results import QueryResult
from gpai_kg.ui.common import explore_url


def short_iri(iri: str) -> str:
    return compact(iri) or iri


def citation_of(iri: str) -> str | None:
    """The citation of a provision IRI of the Act, else ``None``."""
    if not iri.startswith(ACT_BASE):
        return None
    try:
        return format_citation(from_iri(iri))
    except UserError:
        return None


_CITATION = re.compile(r"^(?:Article|Recital|Annex|Chapter) [0-9IVXL]+\b")


def _linkable(term: dict) -> bool:
    """A provision IRI of the Act, or a literal written as a citation of it."""
    if term["type"] == "uri":
        return citation_of(term["value"]) is not None
    return term["type"] == "literal" and bool(_CITATION.match(term["value"]))


def _cell(term: dict | None, as_link: bool) -> str | None:
    if term is None:
        return None
    if as_link:
        return explore_url(citation_of(term["value"]) if term["type"] == "uri" else term["value"])
    if term["type"] == "uri":
        return short_iri(term["value"])
    if term["type"] == "bnode":
        return "_:" + term["value"]
    return literal(term)


def internal(result: QueryResult) -> list[str]:
    """The columns whose every value is an IRI of gpai-kg's own nodes (not a provision of the Act)."""
    return [v for v in result.variables
            if any(v in r for r in result.rows)
            and all(r[v]["type"] in ("uri", "bnode") and citation_of(r[v]["value"]) is None
                    for r in result.rows if v in r)]


def frame(result: QueryResult):
    """A DataFrame of a SELECT or graph result and its ``column_config``."""
    import pandas as pd

    links = {v for v in result.variables
             if any(v in r for r in result.rows)
             and all(_linkable(r[v]) for r in result.rows if v in r)}
    data = {v: [_cell(r.get(v), v in links) for r in result.rows] for v in result.variables}
    config = {v: st.column_config.LinkColumn(v, display_text=r"provision=(.*)$") for v in links}
    return pd.DataFrame(data, columns=list(result.variables)), config


def show_result(result: QueryResult, key: str, hide_internal: bool = False) -> None:
    """The result on the page (yes/no, or a table), with its downloads; ``hide_internal``: the columns of
    internal identifiers are hidden unless the user asks for them."""
    if result.kind == "ask":
        st.metric("Answer", "yes" if result.boolean else "no")
    else:
        df, config = frame(result)
        hidden = internal(result) if hide_internal and result.kind != "graph" else []
        if hidden and not st.toggle("Show internal identifiers", key=f"{key}-iris",
                                    help="gpai-kg's own IRIs (" + ", ".join(hidden) + "); the downloads have them"):
            df = df.drop(columns=hidden)
        st.caption(f"{len(result.rows)} rows · {result.elapsed * 1000:.0f} ms")
        st.dataframe(df, column_config=config, hide_index=True, width="stretch")
    cols = st.columns(3)
    if result.kind == "graph":
        cols[0].download_button("Turtle", result.to_turtle(), f"{key}.ttl", "text/turtle", key=f"{key}-ttl")
    else:
        import json

        cols[0].download_button("CSV", result.to_csv(), f"{key}.csv", "text/csv", key=f"{key}-csv")
        cols[1].download_button("JSON", json.dumps(result.to_json(), indent=2, ensure_ascii=False),
                                f"{key}.json", "application/sparql-results+json", key=f"{key}-json")
