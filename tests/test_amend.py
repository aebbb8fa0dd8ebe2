"""The engine's result against the consolidated text, provision by provision,
whitespace-normalised. Every difference is listed here with its reason; the
consolidated text has no legal effect, so where they differ the authentic OJ
texts (2024/1689 and 2026/1744) decide."""

import pytest

from gpai_kg.builder import amend as engine
from gpai_kg.builder import placement as placement_module
from gpai_kg.builder import tree_ops
from gpai_kg.builder.compare import compare
from gpai_kg.citations import format_citation

ART_1 = (("art", "1"),)
ART_58_1_C = (("art", "58"), ("par", "1"), ("sub", "1"), ("pnt", "c"))
ART_96_1_F = (("art", "96"), ("par", "1"), ("sub", "1"), ("pnt", "f"))
ART_99_4_DA = (("art", "99"), ("par", "4"), ("pnt", "da"))
ANX_I_B_20 = (("anx", "I"), ("sct", "B"), ("pnt", "20"))
ANX_VIII_B_8 = (("anx", "VIII"), ("sct", "B"), ("pnt", "8"))

#: Each known difference, (path, field) -> reason.
EXPLAINED = {
    (ART_1, "title"):
        "The OJ original prints the heading of Article 1 'Subject matter`' (a grave accent, U+0060; EUR-Lex "
        "HTML too); the consolidated text prints an apostrophe. Not an amendment: no mark touches it.",
    (ART_58_1_C, "own_text"):
        "Point (23)(b) adds point (d) after point (c); the consolidators changed (c)'s final '.' to ';' "
        "(CLG.MDFO LEVEL=TEXT COMMAND=IMPLICIT). The amending act does not say so.",
    (ART_96_1_F, "own_text"):
        "Point (36)(b) adds point (g) after point (f); final '.' of (f) made ';' (IMPLICIT mark).",
    (ANX_I_B_20, "own_text"):
        "Point (41)(b) adds point 21 after point 20; final '.' of 20 made ';' (IMPLICIT mark).",
    (ANX_VIII_B_8, "own_text"):
        "Point (42) deletes points 7 and 9; point 8 is now last and its final ';' was made '.' (IMPLICIT mark).",
    (ART_99_4_DA, "own_text"):
        "Point (38)(b) quotes the new point (da) without final punctuation ('… Article 25(2) and (4)’;' - the "
        "';' closes the amending sentence); the consolidated text adds ';' inside the INSERTED mark, with no "
        "IMPLICIT mark.",
}
PUNCTUATION = {ART_58_1_C, ART_96_1_F, ANX_I_B_20, ANX_VIII_B_8}


@pytest.fixture(scope="module")
def comparison(amended, cons):
    return compare(amended.root, cons.root)


def test_all_72_instructions_are_applied(amended):
    assert len(amended.applied) == 72
    assert {a.placement.point.number.split("(")[0] for a in amended.applied} == {str(n) for n in range(1, 44)}


def test_article_and_annex_counts(act, amended):
    def count(root, kind):
        return sum(n.kind == kind for n in root.walk())
    assert (count(act.root, "article"), count(act.root, "annex")) == (113, 13)
    assert (count(amended.root, "article"), count(amended.root, "annex")) == (119, 14)


def test_the_same_provisions_exist(comparison, amended, cons):
    top = [p.path for p in amended.root.parts if p.kind != "recital"]
    assert top == [p.path for p in cons.root.parts]       # chapters, then Annexes I to XIV
    assert not [d for d in comparison.differences if d.field in ("missing", "extra", "parts", "kind", "label")]
    assert comparison.compared == 1609


def test_every_difference_is_explained(comparison):
    assert {(d.path, d.field) for d in comparison.differences} == set(EXPLAINED)
    assert comparison.equal == comparison.compared - len(EXPLAINED) == 1603


def test_the_explained_differences_are_what_the_reasons_say(comparison, act, cons):
    diffs = {(d.path, d.field): d for d in comparison.differences}
    title = diffs[(ART_1, "title")]
    assert (title.ours, title.theirs) == ("Subject matter`", "Subject matter'")
    assert {p.path: p for p in act.provisions()}[ART_1].title == "Subject matter`"
    assert not [m for m in cons.marks if (ART_1, "heading") in m.touches]
    for path in PUNCTUATION:
        d = diffs[(path, "own_text")]
        assert d.ours[:-1] == d.theirs[:-1] and (d.ours[-1], d.theirs[-1]) in {(".", ";"), (";", ".")}
        assert [m.command for m in cons.marks if path in m.paths] == ["IMPLICIT"]
    da = diffs[(ART_99_4_DA, "own_text")]
    assert da.theirs == da.ours + ";"
    assert [(m.action, m.command) for m in cons.marks if ART_99_4_DA in m.paths] == [("INSERTED", "EXPLICIT")]


def test_placements_match_the_consolidated_marks(placements, cons):
    """Each explicit mark names the amending point and the provisions the
    engine changed, with the action the engine performed."""
    action = {"replace": "REPLACED", "replace_heading": "REPLACED", "replace_intro": "REPLACED",
              "insert": "INSERTED", "add": "INSERTED", "delete": "DELETED"}
    ours = {(p.point.active_loc, action[p.operation], t) for p in placements for t in p.targets}
    theirs = {(m.active_loc, m.action, path) for m in cons.marks if m.command == "EXPLICIT"
              for path, part in m.touches if part != "number"}
    wrong_loc = {(("art", "3"), ("pnt", "14a")), (("art", "3"), ("pnt", "14b"))}
    assert {x for x in ours if x[2] not in wrong_loc} == {x for x in theirs if x[2] not in wrong_loc}
    assert {x[0] for x in ours if x[2] in wrong_loc} == {"AR:1;PT:4;PT:b"}
    assert {x[0] for x in theirs if x[2] in wrong_loc} == {"AR:1;PT:14;PT:b"}


def test_replaced_and_deleted_text_is_kept(amended, act):
    before = {p.path: p for p in act.provisions()}
    for done in amended.applied:
        p = done.placement
        if p.operation in ("replace", "delete"):
            assert [n.path for n in done.before] == list(p.targets)
            assert [n.text for n in done.before] == [before[t].text for t in p.targets]
    heading = next(d for d in amended.applied if d.placement.point.number == "31(a)")
    assert heading.before == ["Mutual assistance, market surveillance and control of general-purpose AI systems"]


def test_new_articles_sit_in_their_chapters(amended):
    chapters = {n.number: [a.number for a in n.walk() if a.kind == "article"]
                for n in amended.root.parts if n.kind == "chapter"}
    assert chapters["I"] == ["1", "2", "3", "4", "4a"]
    assert chapters["VI"][chapters["VI"].index("60"):][:3] == ["60", "60a", "61"]
    assert chapters["IX"][chapters["IX"].index("75"):][:6] == ["75", "75a", "75b", "75c", "75d", "76"]


def test_a_single_subparagraph_paragraph_is_split(amended):
    par = amended.index()[(("art", "76"), ("par", "1"))]
    assert [format_citation(p.path) for p in par.parts] == [
        "Article 76(1), first subparagraph", "Article 76(1), second subparagraph"]


def test_the_engine_does_not_read_the_consolidated_text():
    for module in (engine, tree_ops, placement_module):
        source = open(module.__file__, encoding="utf-8").read()
        assert "consolidated" not in source.split('"""', 2)[2], module   # outside the module docstring
