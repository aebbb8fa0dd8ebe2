"""gpai_kg.browse: the tree of the Act, texts, the glossary and the form's help texts."""

from __future__ import annotations

from datetime import date

import pytest

from gpai_kg.reasoning.contract import keys as _keys
from gpai_kg.store import browse

KEYS = _keys()
from gpai_kg.namespaces import ACT_BASE

ART = ACT_BASE + "art_{}/oj"


def test_the_act_has_13_chapters_180_recitals_and_13_annexes_in_order(store):
    groups = browse.top_level(store, date(2026, 7, 26))
    assert [len(groups[k]) for k in ("Chapter", "Recital", "Annex")] == [13, 180, 13]
    assert groups["Annex"][-1].title.startswith("Criteria for the designation")
    groups = browse.top_level(store, date(2026, 7, 27))  # Regulation (EU) 2026/1744 adds Annex XIV
    assert [len(groups[k]) for k in ("Chapter", "Recital", "Annex")] == [13, 180, 14]
    assert [n.citation for n in groups["Chapter"][:5]] == ["Chapter I", "Chapter II", "Chapter III",
                                                          "Chapter IV", "Chapter V"]
    assert groups["Recital"][96].citation == "Recital 97"
    assert groups["Annex"][-1].citation == "Annex XIV"


def test_chapter_v_has_four_sections_and_article_53_seven_paragraphs(store):
    sections = browse.parts(store, ACT_BASE + "cpt_V/oj")
    assert [n.citation for n in sections] == [f"Chapter V, Section {i}" for i in range(1, 5)]
    paragraphs = browse.parts(store, ART.format(53))
    assert [n.citation for n in paragraphs] == [f"Article 53({i})" for i in range(1, 8)]
    assert paragraphs[0].has_parts and not paragraphs[1].has_parts
    assert paragraphs[0].label == "Article 53(1)"


def test_texts_are_verbatim_from_the_graph(store):
    iri = ACT_BASE + "art_53/par_1/pnt_a/oj"
    found = browse.texts(store, [iri, "http://example.org/none"])
    assert list(found) == [iri]
    assert found[iri].startswith("draw up and keep up-to-date the technical documentation of the model")


def test_act_info_names_the_official_journal_version(store):
    info = browse.act_info(store)
    assert info["oj"] == "OJ L, 2024/1689, 12.7.2024"
    assert info["published"] == "2024-07-12"
    assert info["celex"] == "32024R1689"
    assert "Artificial Intelligence Act" in info["title"]


def test_every_key_of_the_input_contract_has_a_help_text():
    assert all(spec.description for spec in KEYS.values())
    assert "Article 54(1)" in KEYS["provider_country"].description


def test_the_glossary_links_general_purpose_ai_model_to_chapter_v(store):
    assert len(browse.glossary(store, day=date(2026, 7, 26))) == 68
    terms = {t.term: t for t in browse.glossary(store, day=date(2026, 7, 27))}
    assert len(terms) == 70  # Article 3, points (14a) SME and (14b) SMC, inserted by Regulation (EU) 2026/1744
    assert terms["micro, small and medium-sized enterprise"].citation == "Article 3(14a)"
    assert terms["small mid-cap enterprise"].citation == "Article 3(14b)"
    gpai = terms["general-purpose AI model"]
    assert gpai.citation == "Article 3(63)"
    assert gpai.definition.startswith("‘general-purpose AI model’ means")
    assert {"Article 51(1)", "Article 51(2)"} <= set(gpai.used_in)
    assert terms["downstream provider"].used_in == ("Article 56(3)",)


def test_the_glossary_keeps_only_the_most_specific_use(store):
    used = {t.term: t for t in browse.glossary(store)}["authorised representative"].used_in
    assert "Article 54(3)(b)" in used
    assert "Article 54(3)" not in used and "Article 54" not in used


def test_discussions_are_the_qa_entries_about_a_provision_or_its_parts(store):
    found = browse.discussions(store, ART.format(53))
    assert found and all(q.endswith("?") and a for q, a in found)


@pytest.mark.parametrize("text, words, expected", [
    ("abc systemic risk def", "SYSTEMIC", "abc systemic risk…"),
    ("abc", "zzz", "abc"),
    ("x" * 300 + " risk " + "y" * 300, "risk", "…" + "x" * 9 + " risk " + "y" * 9 + "…"),
])
def test_snippet_cuts_around_the_words(text, words, expected):
    width = 10 if len(text) > 100 else 5
    assert browse.snippet(text, words, width) == expected
