"""Cross-references in the Act's text: found, resolved to this Act's provisions or to other acts."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gpai_kg.citations import format_citation
from gpai_kg.sources.crossrefs import enclosing_divisions, find_references, link_act

DSM = "http://data.europa.eu/eli/dir/2019/790/oj"
MSR = "http://data.europa.eu/eli/reg/2019/1020/oj"
TFEU = "http://publications.europa.eu/resource/celex/12016E/TXT"

#: Phrases found over the whole Act (recitals, articles, annexes). A change means
#: the grammar now reads the text differently: look at the difference, then update.
PHRASES = 1090
#: Phrases left unresolved on purpose, with the reason. None at present.
DOCUMENTED_EXCEPTIONS: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def linked(act, index):
    return link_act(act, index)


def refs_of(linked, index, citation):
    return linked[0].get(index.resolve(citation), [])


def cited(refs):
    return {format_citation(t) for r in refs for t in r.targets}


# ------------------------------------------------------------ the Act as published
ACT_CASES = [
    # (scenario, source provision, phrase, provisions of this Act it names, other acts it names)
    ("Article 53(2) exempts open-source providers from Article 53(1)(a) and (b)",
     "Article 53(2)", "paragraph 1, points (a) and (b)", {"Article 53(1)(a)", "Article 53(1)(b)"}, set()),
    ("Article 51(2) presumes high-impact capabilities as meant in Article 51(1)(a)",
     "Article 51(2)", "paragraph 1, point (a)", {"Article 51(1)(a)"}, set()),
    ("Article 53(1)(a) wants the technical documentation of Annex XI",
     "Article 53(1)(a)", "Annex XI", {"Annex XI"}, set()),
    ("Article 53(1)(b)(ii) wants the information of Annex XII",
     "Article 53(1)(b)(ii)", "Annex XII", {"Annex XII"}, set()),
    ("Article 53(1)(c) names Article 4(3) of the DSM Directive, not Article 4(3) of this Act",
     "Article 53(1)(c)", "Article 4(3) of Directive (EU) 2019/790", set(), {DSM}),
    ("Article 55(1) adds to the obligations of Articles 53 and 54",
     "Article 55(1)", "Articles 53 and 54", {"Article 53", "Article 54"}, set()),
    ("Article 52(1) is triggered by the condition in Article 51(1)(a)",
     "Article 52(1)", "Article 51(1), point (a)", {"Article 51(1)(a)"}, set()),
    ("Article 101(1) fines a failure to answer a request under Article 91",
     "Article 101(1), first subparagraph, point (b)", "Article 91", {"Article 91"}, set()),
    ("Article 101(1) fines a failure to give access for an evaluation under Article 92",
     "Article 101(1), first subparagraph, point (d)", "Article 92", {"Article 92"}, set()),
    ("A range of articles names every article in it",
     "Article 90(2)", "Articles 91 to 94", {"Article 91", "Article 92", "Article 93", "Article 94"}, set()),
    ("A coordinated list keeps each item and expands the range",
     "Article 2(2)", "Article 6(1), Articles 102 to 109 and Article 112",
     {"Article 6(1)", "Article 112"} | {f"Article {n}" for n in range(102, 110)}, set()),
    ("'paragraph 1 of this Article' in Article 53(4) is Article 53(1)",
     "Article 53(4)", "paragraph 1 of this Article", {"Article 53(1)"}, set()),
    ("Annex II lists the offences of Article 5(1), first subparagraph, point (h)(iii)",
     "Annex II", "Article 5(1), first subparagraph, point (h)(iii)",
     {"Article 5(1), first subparagraph, point (h)(iii)"}, set()),
    ("Recital 41: a bare '(2) to (6)' after point (h) are paragraphs 2 to 6 of Article 5",
     "Recital 41", "Article 5(1), first subparagraph, point (h), (2) to (6) and Article 26(10) of this Regulation",
     {"Article 5(1), first subparagraph, point (h)", "Article 26(10)"} | {f"Article 5({n})" for n in range(2, 7)},
     set()),
    ("Annex XIII's criteria serve Article 51(1), point (a)",
     "Annex XIII", "Article 51(1), point (a)", {"Article 51(1)(a)"}, set()),
    ("Article 53(5): 'points 2 (d) and (e) thereof' are in Annex XI's only section that has them",
     "Article 53(5)", "points 2 (d) and (e) thereof",
     {"Annex XI, Section 1, point 2(d)", "Annex XI, Section 1, point 2(e)"}, set()),
    ("Article 5(5): 'point (h)(iii) thereof' goes back to paragraph 1, first subparagraph, point (h)",
     "Article 5(5)", "point (h)(iii) thereof", {"Article 5(1), first subparagraph, point (h)(iii)"}, set()),
    ("Article 86(1): 'point 2 thereof' is point 2 of Annex III named just before",
     "Article 86(1)", "point 2 thereof", {"Annex III, point 2"}, set()),
    ("Article 49(4)(a): 'with the exception of points 6, 8 and 9' stays in Annex VIII, Section A",
     "Article 49(4), first subparagraph, point (a)", "points 6, 8 and 9",
     {"Annex VIII, Section A, point 6", "Annex VIII, Section A, point 8", "Annex VIII, Section A, point 9"}, set()),
    ("Article 49(4)(b): 'and points 8 and 9' stay in Section B",
     "Article 49(4), first subparagraph, point (b)", "Section B, points 1 to 5, and points 8 and 9 of Annex VIII",
     {f"Annex VIII, Section B, point {n}" for n in (1, 2, 3, 4, 5, 8, 9)}, set()),
    ("Article 43(3): the fifth paragraph of point 4.6 is point 4.6, the most specific that exists",
     "Article 43(3), first subparagraph", "Points 4.3., 4.4., 4.5. and the fifth paragraph of point 4.6 of Annex VII",
     {"Annex VII, point 4.3", "Annex VII, point 4.4", "Annex VII, point 4.5", "Annex VII, point 4.6"}, set()),
    ("'Section 2' in an article of Chapter III is Chapter III, Section 2",
     "Article 16(a)", "Section 2", {"Chapter III, Section 2"}, set()),
    ("'this Chapter' in Article 54 is Chapter V",
     "Article 54(3)(c)", "this Chapter", {"Chapter V"}, set()),
    ("Article 111 cites the third subparagraph of Article 113 as 'Article 113(3)'",
     "Article 111(2)", "Article 113(3), point (a)", {"Article 113, third subparagraph, point (a)"}, set()),
    ("Article 113(b): 'Chapter III Section 4' without a comma",
     "Article 113, third subparagraph, point (b)",
     "Chapter III Section 4, Chapter V, Chapter VII and Chapter XII and Article 78",
     {"Chapter III, Section 4", "Chapter V", "Chapter VII", "Chapter XII", "Article 78"}, set()),
    ("Recital 3: 'Article 16 TFEU' is the Treaty's article",
     "Recital 3", "Article 16 TFEU", set(), {TFEU}),
    ("Article 74(5): 'of that Regulation' is the Market Surveillance Regulation named before",
     "Article 74(5)", "Article 14(4), points (d) and (j), of that Regulation", set(), {MSR}),
    ("Article 105 amends Directive 2014/90/EU: its 'paragraph 1' is that Directive's",
     "Article 105", "paragraph 1", set(), {"http://data.europa.eu/eli/dir/2014/90/oj"}),
    ("Article 108(1) amends Regulation (EU) 2018/1139, named only in Article 108",
     "Article 108(1)", "Article 17", set(), {"http://data.europa.eu/eli/reg/2018/1139/oj"}),
    ("Article 105: 'Chapter III, Section 2, of that Regulation' is this Act, named as 2024/1689",
     "Article 105", "Chapter III, Section 2, of that Regulation", {"Chapter III, Section 2"}, set()),
    ("Annex I, point 20: 'thereof' is Regulation (EU) 2018/1139, not the acts in its title",
     "Annex I, Section B, point 20", "Article 2(1), points (a) and (b) thereof", set(),
     {"http://data.europa.eu/eli/reg/2018/1139/oj"}),
    ("Recital 55: 'point (8) of the Annex to' another Directive",
     "Recital 55", "point (8) of the Annex to Directive (EU) 2022/2557", set(),
     {"http://data.europa.eu/eli/dir/2022/2557/oj"}),
]


@pytest.mark.parametrize("source, phrase, targets, external",
                         [c[1:] for c in ACT_CASES], ids=[c[0] for c in ACT_CASES])
def test_reference_in_the_act(linked, index, source, phrase, targets, external):
    refs = [r for r in refs_of(linked, index, source) if r.phrase == phrase]
    assert refs, f"{phrase!r} not found in {source}: {[r.phrase for r in refs_of(linked, index, source)]}"
    for ref in refs:
        assert {format_citation(t) for t in ref.targets} == targets
        assert set(ref.external) == external
        assert not ref.unresolved


def test_article_53_1_c_does_not_link_to_article_4_of_this_act(linked, index):
    assert "Article 4" not in cited(refs_of(linked, index, "Article 53(1)(c)"))
    assert "Article 4(3)" not in cited(refs_of(linked, index, "Article 53(1)(c)"))


def test_whole_act_resolves_every_phrase_but_the_documented_exceptions(linked):
    _, report = linked
    assert report.phrases == PHRASES
    assert set(report.unresolved) == set(DOCUMENTED_EXCEPTIONS)
    assert report.resolved == report.phrases - len(DOCUMENTED_EXCEPTIONS)


def test_every_target_exists_and_every_phrase_is_where_it_says(act, index, linked):
    texts = {p.path: p.own_text for p in act.provisions()}
    for path, refs in linked[0].items():
        for ref in refs:
            assert texts[path][ref.start:ref.end] == ref.phrase
            assert all(t in index for t in ref.targets), ref
            assert ref.targets or ref.external or ref.unresolved, ref


def test_link_act_is_fast(act, index):
    started = time.perf_counter()
    link_act(act, index)
    assert time.perf_counter() - started < 2.0


# ------------------------------------------------------------ the grammar, one form at a time
ART_53_2 = (("art", "53"), ("par", "2"))
GRAMMAR_CASES = [
    # (form, context, text, provisions of this Act, other acts)
    ("points of a paragraph", ART_53_2, "Article 53(1), points (a) and (b)", {"Article 53(1)(a)", "Article 53(1)(b)"}),
    ("two articles", ART_53_2, "Articles 53 and 55", {"Article 53", "Article 55"}),
    ("a definition by point", ART_53_2, "Article 3, point (63)", {"Article 3(63)"}),
    ("a definition in brackets", ART_53_2, "Article 3(63)", {"Article 3(63)"}),
    ("a point of a subparagraph", ART_53_2, "Article 5(1), first subparagraph, point (h)",
     {"Article 5(1), first subparagraph, point (h)"}),
    ("two paragraphs", ART_53_2, "Article 6(1) and (2)", {"Article 6(1)", "Article 6(2)"}),
    ("a range of paragraphs", ART_53_2, "Article 5(2) to (6)", {f"Article 5({n})" for n in range(2, 7)}),
    ("a range of articles", ART_53_2, "Articles 102 to 110", {f"Article {n}" for n in range(102, 111)}),
    ("sibling paragraphs", ART_53_2, "paragraphs 1 and 2", {"Article 53(1)", "Article 53(2)"}),
    ("a range of points", (("art", "53"), ("par", "1")), "points (a) to (d)",
     {f"Article 53(1)({c})" for c in "abcd"}),
    ("two annexes", ART_53_2, "Annexes XI and XII", {"Annex XI", "Annex XII"}),
    ("a point of an annex", ART_53_2, "Annex III, point 1", {"Annex III, point 1"}),
    ("a point of an annex, little-endian", ART_53_2, "point 1 of Annex III", {"Annex III, point 1"}),
    ("an annex section", ART_53_2, "Annex I, Section A", {"Annex I, Section A"}),
    ("an annex section, little-endian", ART_53_2, "Section B of Annex I", {"Annex I, Section B"}),
    ("a chapter", ART_53_2, "Chapter V", {"Chapter V"}),
    ("a chapter's section", ART_53_2, "Chapter III, Section 4", {"Chapter III, Section 4"}),
    ("a section of this chapter", ART_53_2, "Section 2 of this Chapter", {"Chapter V, Section 2"}),
    ("a paragraph of this article", ART_53_2, "paragraph 1 of this Article", {"Article 53(1)"}),
    ("a point of a sibling paragraph", ART_53_2, "paragraph 1, point (a)", {"Article 53(1)(a)"}),
    ("a point of a paragraph, little-endian", ART_53_2, "point (a) of paragraph 1", {"Article 53(1)(a)"}),
    ("paragraphs of this article", ART_53_2, "paragraphs 1 to 3 of this Article",
     {"Article 53(1)", "Article 53(2)", "Article 53(3)"}),
    ("this article", ART_53_2, "this Article", {"Article 53"}),
    ("this section", (("art", "53"),), "this Section", {"Chapter V, Section 2"}),
    ("the sibling subparagraph", (("art", "5"), ("par", "1"), ("sub", "2")), "the first subparagraph",
     {"Article 5(1), first subparagraph"}),
    ("a point of the sibling subparagraph", (("art", "5"), ("par", "1"), ("sub", "2")),
     "point (b) of the first subparagraph", {"Article 5(1), first subparagraph, point (b)"}),
    ("the delegated-acts article", ART_53_2, "Article 97(2)", {"Article 97(2)"}),
    # Regulation (EU) 2026/1744 writes ranges with a hyphen, and a point right after the last of
    # several paragraphs belongs to that paragraph only (new Article 60a(5)(b))
    ("hyphen ranges after a list of paragraphs", ART_53_2, "Article 60(2), (3), (4)(d)-(j) and (5)-(9)",
     {"Article 60(2)", "Article 60(3)", *(f"Article 60(4)({c})" for c in "defghij"),
      *(f"Article 60({n})" for n in range(5, 10))}),
]


@pytest.mark.parametrize("context, text, targets", [c[1:] for c in GRAMMAR_CASES], ids=[c[0] for c in GRAMMAR_CASES])
def test_grammar(act, index, context, text, targets):
    refs = find_references(text, context, index, enclosing=enclosing_divisions(act))
    assert [r.phrase for r in refs] == [text]
    assert {format_citation(t) for t in refs[0].targets} == targets
    assert refs[0].external == () and refs[0].unresolved == ()


EXTERNAL_CASES = [
    ("Regulation (EU) 2019/1020", [MSR]),
    ("Directive (EU) 2019/790", [DSM]),
    ("Regulation (EC) No 300/2008", ["http://data.europa.eu/eli/reg/2008/300/oj"]),
    ("Regulation (EU) No 167/2013", ["http://data.europa.eu/eli/reg/2013/167/oj"]),
    ("Directive 2014/90/EU", ["http://data.europa.eu/eli/dir/2014/90/oj"]),
    ("Council Directive 85/374/EEC", ["http://data.europa.eu/eli/dir/1985/374/oj"]),
    ("Decision No 768/2008/EC", ["http://data.europa.eu/eli/dec/2008/768/oj"]),
    ("Council Framework Decision 2002/584/JHA", ["http://data.europa.eu/eli/dec_framw/2002/584/oj"]),
    ("Council Regulation (EEC) No 3922/91", ["http://data.europa.eu/eli/reg/1991/3922/oj"]),
    ("Regulations (EU) 2016/679 and (EU) 2018/1725",
     ["http://data.europa.eu/eli/reg/2016/679/oj", "http://data.europa.eu/eli/reg/2018/1725/oj"]),
    ("Article 9 of Regulation (EU) 2016/679", ["http://data.europa.eu/eli/reg/2016/679/oj"]),
    ("Article 16 TFEU", [TFEU]),
    ("Article 114 of the Treaty on the Functioning of the European Union (TFEU)", [TFEU]),
    ("Article 4(2) TEU", ["http://publications.europa.eu/resource/celex/12016M/TXT"]),
    ("Article 39 of the Charter", ["http://publications.europa.eu/resource/celex/12016P/TXT"]),
    ("Articles 2 and 2a of Protocol No 22", ["http://publications.europa.eu/resource/celex/12016E/PRO/22"]),
]


@pytest.mark.parametrize("text, iris", EXTERNAL_CASES, ids=[c[0] for c in EXTERNAL_CASES])
def test_other_acts(index, text, iris):
    refs = find_references(text, ART_53_2, index)
    assert [(r.phrase, list(r.external), r.targets, r.unresolved) for r in refs] == [(text, iris, (), ())]


def test_thereof_after_a_treaty_stays_in_the_treaty(index):
    refs = find_references("the TFEU, and in particular Articles 16 and 114 thereof", ART_53_2, index)
    assert [(r.phrase, r.external, r.targets) for r in refs] == [
        ("the TFEU", (TFEU,), ()), ("Articles 16 and 114 thereof", (TFEU,), ())]


def test_this_regulation_alone_is_not_a_reference(index):
    assert find_references("This Regulation lays down rules; the Commission shall act.", ART_53_2, index) == []
    assert find_references("within the meaning of Regulation (EU) 2024/1689", ART_53_2, index) == []


def test_a_provision_that_does_not_exist_is_reported(index):
    (ref,) = find_references("Article 53(9)", ART_53_2, index)
    assert ref.targets == () and ref.unresolved


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Article Annex paragraph point of this (a)(1) 12 to and , IIIV")),
               max_size=80))
def test_any_text_gives_consistent_offsets(index, text):
    for ref in find_references(text, ART_53_2, index):
        assert text[ref.start:ref.end] == ref.phrase
        assert all(t in index for t in ref.targets)
