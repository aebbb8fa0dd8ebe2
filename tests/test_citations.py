"""Identity of provisions: citation <-> IRI, tolerant parsing, suggestions, EUR-Lex anchors."""

import pytest

from gpai_kg.citations import (
    eurlex_anchor,
    eurlex_url,
    format_citation,
    from_iri,
    parse_citation,
    to_iri,
)
from gpai_kg.errors import UserError


def test_every_provision_round_trips_citation_and_iri(act, index):
    for p in act.provisions():
        citation = format_citation(p.path)
        assert index.resolve(citation) == p.path, citation
        assert from_iri(to_iri(p.path)) == p.path


@pytest.mark.parametrize("citation, iri_tail", [
    ("Article 53(1)(a)", "art_53/par_1/pnt_a/oj"),
    ("Article 3(63)", "art_3/pnt_63/oj"),
    ("Recital 97", "rct_97/oj"),
    ("Annex XIII", "anx_XIII/oj"),
    ("Annex XI, Section 1, point 2(a)", "anx_XI/sct_1/pnt_2/pnt_a/oj"),
    ("Chapter V, Section 2", "cpt_V/sct_2/oj"),
    ("Article 5(1), first subparagraph, point (h)", "art_5/par_1/sub_1/pnt_h/oj"),
    ("Article 53(1)(b)(ii)", "art_53/par_1/pnt_b/pnt_ii/oj"),
])
def test_written_citation_forms(index, citation, iri_tail):
    path = index.resolve(citation)
    assert to_iri(path) == "http://data.europa.eu/eli/reg/2024/1689/" + iri_tail
    assert format_citation(path) == citation


@pytest.mark.parametrize("loose, canonical", [
    ("Art. 53(1)(a)", "Article 53(1)(a)"),
    ("article 53 (1) (a)", "Article 53(1)(a)"),
    ("Article 53(1), point (a)", "Article 53(1)(a)"),
    ("ARTICLE 53(1)(A)", "Article 53(1)(a)"),
    ("Article 3, point (63)", "Article 3(63)"),
    ("Art 3(63)", "Article 3(63)"),
    ("Article 113(b)", "Article 113, third subparagraph, point (b)"),
    ("Article 113, point (b)", "Article 113, third subparagraph, point (b)"),
    ("Article 5(1)(h)", "Article 5(1), first subparagraph, point (h)"),
    ("recital 97", "Recital 97"),
    ("annex xi, section 1, point 2 (a)", "Annex XI, Section 1, point 2(a)"),
    ("Annex VII, point 3.1", "Annex VII, point 3.1"),
    ("  Article\u00a051(2) ", "Article 51(2)"),
])
def test_tolerant_input(index, loose, canonical):
    assert format_citation(index.resolve(loose)) == canonical


@pytest.mark.parametrize("bad, suggestion", [
    ("Article 53(1)(e)", "Article 53(1)"),
    ("Article 53(9)", "Article 53"),
    ("Article 114", None),
    ("Recital 181", None),
])
def test_unknown_citation_names_it_and_suggests_the_nearest(index, bad, suggestion):
    with pytest.raises(UserError) as err:
        index.resolve(bad)
    message = str(err.value)
    assert bad in message and "\n" not in message
    if suggestion:
        assert f"did you mean {suggestion!r}" in message


def test_text_that_is_not_a_citation_is_refused():
    with pytest.raises(UserError, match="not a citation"):
        parse_citation("the GDPR")


def test_iri_outside_the_act_is_refused():
    with pytest.raises(UserError):
        from_iri("http://data.europa.eu/eli/reg/2016/679/art_6/oj")


def test_every_eurlex_anchor_exists_in_the_eurlex_rendering(act):
    import lxml.html
    from eurlex_html import HTML

    ids = set(lxml.html.parse(str(HTML)).getroot().xpath("//@id"))
    anchored = [p for p in act.provisions() if eurlex_anchor(p.path)]
    assert len(anchored) > 800
    for p in anchored:
        assert eurlex_anchor(p.path) in ids, format_citation(p.path)


def test_points_link_to_their_nearest_anchored_ancestor():
    assert eurlex_url((("art", "53"), ("par", "1"), ("pnt", "a"))).endswith("#053.001")
    assert eurlex_url((("art", "3"), ("pnt", "63"))).endswith("#art_3")
