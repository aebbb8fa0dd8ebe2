"""The Formex 4 parse: structure, counts and verbatim text."""

import re
from collections import Counter

from gpai_kg.citations import format_citation


def by_citation(act):
    return {format_citation(p.path): p for p in act.provisions()}


def test_counts_match_the_official_journal(act):
    kinds = Counter(p.kind for p in act.provisions())
    assert kinds["article"] == 113
    assert kinds["recital"] == 180
    assert kinds["annex"] == 13
    assert kinds["chapter"] == 13
    # 509 PARAG elements, of which 9 sit in quoted amendments (Articles 102-110).
    assert kinds["paragraph"] == 500


def test_quoted_amendments_are_text_not_paragraphs(act):
    cites = by_citation(act)
    for number in range(102, 111):
        article = cites[f"Article {number}"]
        assert all(p.kind != "paragraph" for p in article.walk()), number
    assert "shall be taken into account" in cites["Article 102"].text


def test_every_provision_has_a_unique_path(act):
    paths = [p.path for p in act.provisions()]
    assert len(paths) == len(set(paths))


def test_superscript_survives_in_article_51_2(act):
    text = by_citation(act)["Article 51(2)"].text
    assert text.endswith("is greater than 10^25.")
    assert "1025" not in text


def test_points_and_sub_points_of_article_53(act):
    cites = by_citation(act)
    assert cites["Article 53(1)(a)"].text.startswith("draw up and keep up-to-date the technical documentation")
    assert cites["Article 53(1)(b)(ii)"].text == "contain, at a minimum, the elements set out in Annex XII;"
    assert cites["Article 53"].title == "Obligations for providers of general-purpose AI models"


def test_whole_text_under_a_paragraph_keeps_the_labels_of_its_points(act):
    text = by_citation(act)["Article 53(1)"].text
    assert text.startswith("Providers of general-purpose AI models shall: (a) draw up")
    assert " (b) draw up, keep up-to-date" in text and " (i) enable providers" in text


def test_unnumbered_subparagraphs(act):
    cites = by_citation(act)
    assert cites["Article 113, second subparagraph"].text == "It shall apply from 2 August 2026."
    point_b = cites["Article 113, third subparagraph, point (b)"].text
    assert point_b.startswith("Chapter III Section 4, Chapter V, Chapter VII and Chapter XII and Article 78")
    assert "Article 5(1), first subparagraph, point (h)" in cites


def test_annex_sections_and_points(act):
    cites = by_citation(act)
    assert cites["Annex XI, Section 1"].title == (
        "Information to be provided by all providers of general-purpose AI models")
    assert cites["Annex XI"].text.startswith("Section 1 Information to be provided by all providers")
    assert cites["Annex XI, Section 1, point 2(d)"].text.startswith("the computational resources used to train the model")
    assert cites["Annex XIII, point (e)"].text.startswith("the benchmarks and evaluations of capabilities")
    assert cites["Annex VII, point 3"].title == "Quality management system"
    assert cites["Annex VII, point 3.1(a)"].text.startswith("the name and address of the provider")


def test_numbers_print_with_grouped_digits(act):
    assert "EUR 15 000 000, whichever is higher" in by_citation(act)["Article 101(1)"].text


def test_dash_lists_print_their_dashes(act):
    assert "\u2014 terrorism, \u2014 trafficking in human beings," in by_citation(act)["Annex II"].text


def test_footnotes_are_not_provision_text(act):
    # Recital 8 carries a footnote call-out after "European Council"; its text does not.
    assert "stated by the European Council, and" in by_citation(act)["Recital 8"].text


def test_no_markup_or_control_characters_leak_into_text(act):
    for p in act.provisions():
        assert not re.search(r"[<>\x00-\x08]", p.text), format_citation(p.path)
