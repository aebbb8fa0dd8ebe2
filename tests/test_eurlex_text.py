"""The graph's OJ text of every article, recital and annex equals the EUR-Lex HTML
rendering of the same act (whitespace-normalised), or the difference is explained."""

import pytest
from eurlex_html import texts

from gpai_kg.store.lookup import select

#: Differences between the two manifestations, each explained.
EXPLAINED = {
    # Article 108 amends Regulation (EU) 2018/1139; the quoted amendment of its
    # point (1) carries a footnote "(*7)" of its own, which EUR-Lex prints
    # inline and the graph, like every footnote, leaves out — and Formex puts
    # that amendment's closing "’;" inside the footnote (EUR-Lex prints a stray
    # '"' after it). EUR-Lex also prints
    # "’ ;" in points (2)-(4) where it prints "’;" everywhere else.
    "art_108",
}


@pytest.fixture(scope="module")
def graph_texts(store):
    """The OJ text (the version in force on 1 August 2024) of every article, recital and annex; the EUR-Lex
    HTML renders the OJ text, not the Act as later amended."""
    rows = select(store, """SELECT ?p ?text WHERE { VALUES ?k { gpai:Article gpai:Recital gpai:Annex }
        ?p a ?k ; eli:first_date_entry_in_force "2024-08-01"^^xsd:date .
        { ?p gpai:text ?text FILTER NOT EXISTS { ?p eli:has_member ?v } }
        UNION { ?p eli:has_member ?v . ?v eli:first_date_entry_in_force "2024-08-01"^^xsd:date ; gpai:text ?text } }""")
    from gpai_kg.citations import eurlex_anchor, from_iri

    return {eurlex_anchor(from_iri(r["p"])): r["text"] for r in rows}


def test_all_articles_recitals_and_annexes_are_compared(graph_texts):
    assert len(graph_texts) == 113 + 180 + 13
    assert set(graph_texts) == set(texts())


def test_text_equals_eurlex_rendering(graph_texts):
    html = texts()
    differing = {k for k, text in graph_texts.items() if html[k] != text}
    assert differing == EXPLAINED


def test_explained_difference_is_only_the_footnote_and_spacing(graph_texts):
    html = texts()["art_108"]
    start = html.index(" (^*7)")
    note = html[start:html.index("’;\"", start) + len("’;\"")]  # EUR-Lex adds a stray '"' there
    assert html.replace(note, "").replace("’ ;", "’;") == graph_texts["art_108"]
