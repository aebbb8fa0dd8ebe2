"""Regulation (EU) 2026/1744 as parsed: bibliographic facts, recitals,
articles, the 43 amending points of Article 1 and where they land."""

from collections import Counter
from datetime import date

import pytest

from gpai_kg.citations import format_citation
from gpai_kg.sources.amending_act import cite, ordinal_value


def test_title_and_dates(omnibus):
    assert omnibus.title.startswith("Regulation (EU) 2026/1744 of the European Parliament and of the Council "
                                    "of 8 July 2026 amending Regulations (EU) 2024/1689, (EU) 2018/1139 and "
                                    "(EU) 2023/1230")
    assert omnibus.title.endswith("(Digital Omnibus on AI) (Text with EEA relevance)")
    assert omnibus.date_document == date(2026, 7, 8)
    assert omnibus.date_publication == date(2026, 7, 24)
    # Article 4: "on the third day following that of its publication"
    assert omnibus.date_entry_into_force == date(2026, 7, 27)


def test_in_force_date_is_the_consolidation_date(omnibus, cons):
    assert cons.start_date == omnibus.date_entry_into_force


def test_identity_comes_from_the_manifest(omnibus):
    assert (omnibus.citation, omnibus.eli, omnibus.celex) == (
        "Regulation (EU) 2026/1744", "http://data.europa.eu/eli/reg/2026/1744/oj", "32026R1744")


def test_entry_into_force_of_the_original_is_read_the_same_way(act):
    from gpai_kg.sources.amending_act import entry_into_force

    # Article 113, first subparagraph: "on the twentieth day following that of its publication" (12.7.2024)
    assert entry_into_force(list(act.provisions()), date.fromisoformat(act.date_publication)) == date(2024, 8, 1)
    assert [ordinal_value(w) for w in ("third", "twentieth", "twenty-first")] == [3, 20, 21]


def test_recitals_and_articles(omnibus):
    # The shared README said 41 recitals; the OJ text numbers 47, (1) to (47).
    assert [r.number for r in omnibus.recitals] == [str(n) for n in range(1, 48)]
    assert [(a.number, a.title) for a in omnibus.articles] == [
        ("1", "Amendments to Regulation (EU) 2024/1689"),
        ("2", "Amendments to Regulation (EU) 2018/1139"),
        ("3", "Amendments to Regulation (EU) 2023/1230"),
        ("4", "Entry into force and application"),
    ]
    assert omnibus.articles[3].text == ("This Regulation shall enter into force on the third day following that "
                                        "of its publication in the Official Journal of the European Union.")


def test_points_are_citable(omnibus):
    p21 = omnibus.points[20]
    assert p21.citation == "Regulation (EU) 2026/1744, Article 1, point (21)"
    assert p21.text == "in Article 56, paragraph 6 is replaced by the following:"
    assert p21.active_loc == "AR:1;PT:21"
    p22a = omnibus.points[21].subpoints[0]
    assert p22a.citation == "Regulation (EU) 2026/1744, Article 1, point (22)(a)"
    assert omnibus.iri(p22a.path) == "http://data.europa.eu/eli/reg/2026/1744/art_1/pnt_22/pnt_a/oj"
    assert cite(omnibus.citation, (("rct", "5"),)) == "Regulation (EU) 2026/1744, Recital 5"


def test_article_1_text_is_verbatim(omnibus):
    point = {p.path: p for p in omnibus.articles[0].walk()}[(("art", "1"), ("pnt", "21"))]
    assert point.text == (
        "in Article 56, paragraph 6 is replaced by the following: ‘6. The Commission and the Board shall "
        "regularly monitor and evaluate the achievement of the objectives of the codes of practice by the "
        "participants and their contribution to the proper application of this Regulation. The Commission, "
        "taking utmost account of the opinion of the Board, shall assess whether the codes of practice cover "
        "the obligations provided for in Articles 53 and 55, and shall regularly monitor and evaluate the "
        "achievement of their objectives. The Commission shall publish its assessment of the adequacy of the "
        "codes of practice.’;")


def test_kinds_of_the_43_points(omnibus):
    assert len(omnibus.points) == 43
    assert Counter(p.kind for p in omnibus.points) == {
        "amended": 17, "replaced": 14, "added": 7, "inserted": 4, "deleted": 1}
    amended = [p.number for p in omnibus.points if p.subpoints]
    assert amended == ["2", "4", "7", "9", "12", "13", "22", "23", "24", "31", "34", "36", "37", "38", "39",
                       "40", "41"]
    leaves = list(omnibus.leaves())
    assert len(leaves) == 72
    assert Counter(p.kind for p in leaves) == {
        "replaced": 43, "inserted": 13, "added": 12, "deleted": 3, "amended": 1}


def test_operations_of_the_72_instructions(placements):
    assert len(placements) == 72
    assert Counter(p.operation for p in placements) == {
        "replace": 41, "insert": 13, "add": 12, "delete": 3, "replace_heading": 2, "replace_intro": 1}


NEW = ["Article 2(13)", "Article 3(14a)", "Article 3(14b)", "Article 4a",
       "Article 5(1), first subparagraph, point (ba)", "Article 5(1), first subparagraph, point (bb)",
       "Article 5(1a)", "Article 5(1b)", "Article 6(1a)", "Article 6(1b)", "Article 6(1c)",
       "Article 28(8)", "Article 28(9)", "Article 40(2), fourth subparagraph", "Article 42(3)",
       "Article 57(3a)", "Article 58(1), first subparagraph, point (d)", "Article 60a", "Article 64(3)",
       "Article 75(1a)", "Article 75(1b)", "Article 75(1c)", "Article 75(1d)", "Article 75(1e)",
       "Article 75(2a)", "Article 75a", "Article 75b", "Article 75c", "Article 75d",
       "Article 76(1), second subparagraph", "Article 77(1a)", "Article 77(1b)",
       "Article 96(1), first subparagraph, point (g)", "Article 99(4)(da)", "Article 99(6a)",
       "Article 111(4)", "Article 113, third subparagraph, point (d)", "Annex I, Section B, point 21",
       "Annex XIV"]
DELETED = ["Article 10(5)", "Annex I, Section A, point 1", "Annex VIII, Section B, point 7",
           "Annex VIII, Section B, point 9"]


def test_new_provisions(placements):
    new = [c for p in placements if p.operation in ("insert", "add") for c in p.target_citations]
    assert new == NEW


def test_deleted_provisions(placements):
    assert [c for p in placements if p.operation == "delete" for c in p.target_citations] == DELETED


def test_replaced_provisions_at_the_most_specific_level(placements):
    by_point = {p.point.number: p.target_citations for p in placements if p.operation.startswith("replace")}
    assert by_point["1"] == ["Article 1(2)(g)"]
    assert by_point["10"] == ["Article 11(1), second subparagraph"]
    assert by_point["12(b)"] == ["Article 25(4), first subparagraph"]
    assert by_point["23(a)"] == ["Article 58(1), first subparagraph"]      # its introductory part
    assert by_point["31(a)"] == ["Article 75"]                             # its heading
    assert by_point["37(a)"] == ["Article 97(2)", "Article 97(3)"]
    assert by_point["40(b)"] == ["Article 113, third subparagraph, point (c)"]
    assert len([c for cs in by_point.values() for c in cs]) == 45


def test_quoted_text_comes_out_in_the_original_shape(placements):
    by_point = {p.point.number: p for p in placements}
    art4 = by_point["5"].new[0]
    assert (art4.kind, art4.path, art4.title) == ("article", (("art", "4"),), "AI literacy")
    assert [p.path for p in art4.parts] == [(("art", "4"), ("par", str(n))) for n in (1, 2, 3)]
    c = by_point["40(b)"].new[0]
    assert [format_citation(p.path) for p in c.walk()] == [
        "Article 113, third subparagraph, point (c)", "Article 113, third subparagraph, point (c)(i)",
        "Article 113, third subparagraph, point (c)(ii)"]
    annex = by_point["43"].new[0]
    assert [format_citation(p.path) for p in annex.parts] == [
        "Annex XIV, point 1", "Annex XIV, point 2", "Annex XIV, point 3", "Annex XIV, point 4"]
    assert format_citation(annex.parts[1].parts[0].path) == "Annex XIV, point 2(a)"


def test_quotation_marks_of_the_amending_act_are_not_new_text(placements):
    by_point = {p.point.number: p for p in placements}
    (point_14,) = by_point["4(a)"].new
    # inner “…” of the quotation are the amended act's ‘…’; the outer ‘…’; are gone
    assert point_14.text.startswith("‘safety component’ means a component of a product")
    assert point_14.text.endswith("health and safety of persons or property;")
    assert by_point["31(a)"].title == "Market surveillance and control of AI systems and mutual assistance"
    for p in placements:
        for node in p.new:
            assert not node.text.startswith(("‘", "“")) or node.kind == "point"
            assert not node.text.endswith(("’;", "’."))


def test_new_text_is_the_amending_acts_text(omnibus, placements):
    """Each new subtree's text stands verbatim in Article 1 of 2026/1744 (as the
    act's own tree flattens it), quotation marks one level down."""
    article_1 = {p.path: p for p in omnibus.articles[0].walk()}
    for p in placements:
        source = article_1[p.point.path].text
        for node in p.new:
            if node.kind == "annex":
                continue
            shown = {"subparagraph": node.text, "article": f"Article {node.number} {node.title} {node.text}"}.get(
                node.kind, f"{node.heading or node.label} {node.text}")
            assert shown.replace("‘", "“").replace("’", "”") in source or shown in source, p.point.citation


@pytest.mark.parametrize("number, reading", [
    ("4(a)", "read as 'replaced by the following'"),
    ("12(b)", "the number locates the text"),
    ("22(a)", "the number locates the text"),
    ("23(a)", "'introductory part'"),
    ("24(a)", "the number locates the text"),
    ("6", "no place is stated"),
    ("25", "no place is stated"),
    ("32", "no place is stated"),
    ("33", "its text becomes the first subparagraph"),
])
def test_readings_are_recorded(placements, number, reading):
    (p,) = [p for p in placements if p.point.number == number]
    assert any(reading in r for r in p.readings)


def test_no_other_instruction_needs_a_reading(placements):
    assert sorted(p.point.number for p in placements if p.readings) == sorted(
        ["4(a)", "12(b)", "22(a)", "23(a)", "24(a)", "6", "25", "32", "33"])
