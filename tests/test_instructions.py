"""The instruction grammar reads every wording of Regulation (EU) 2026/1744,
Article 1, and refuses wordings it does not know."""

import pytest

from gpai_kg.sources.instructions import InstructionError, read_instruction

CASES = [
    # (wording, kind, location, subjects, new kind)
    ("in Article 1(2), point (g) is replaced by the following:", "replaced",
     (("art", "1"), ("par", "2")), (("pnt", "g"),), ""),
    ("Article 2 is amended as follows:", "amended", (), (("art", "2"),), ""),
    ("in Article 2, the following paragraph is added:", "added", (("art", "2"),), (), "paragraph"),
    ("point (14) is amended as follows:", "amended", (), (("pnt", "14"),), ""),
    ("the following Article is inserted:", "inserted", (), (), "article"),
    ("in paragraph 1, the first subparagraph, the following points are inserted:", "inserted",
     (("par", "1"), ("sub", "1")), (), "point"),
    ("paragraph 5 is deleted;", "deleted", (), (("par", "5"),), ""),
    ("in Article 11(1), the second subparagraph is replaced by the following:", "replaced",
     (("art", "11"), ("par", "1")), (("sub", "2"),), ""),
    ("in Article 58(1), the first subparagraph is amended as follows:", "amended",
     (("art", "58"), ("par", "1")), (("sub", "1"),), ""),
    ("the introductory part is replaced by the following:", "replaced", (), (("part", "intro"),), ""),
    ("the heading is replaced by the following:", "replaced", (), (("part", "heading"),), ""),
    ("paragraphs 2 and 3 are replaced by the following:", "replaced", (), (("par", "2"), ("par", "3")), ""),
    ("in Article 113, the third paragraph is amended as follows:", "amended",
     (("art", "113"),), (("sub", "3"),), ""),
    ("in Section A, point 1 is deleted;", "deleted", (("sct", "A"),), (("pnt", "1"),), ""),
    ("in Annex VIII, section B, points 7 and 9 are deleted;", "deleted",
     (("anx", "VIII"), ("sct", "B")), (("pnt", "7"), ("pnt", "9")), ""),
    ("the following Annex is added:", "added", (), (), "annex"),
]


@pytest.mark.parametrize("wording, kind, location, subjects, new_kind", CASES, ids=[c[0] for c in CASES])
def test_wording_is_read(wording, kind, location, subjects, new_kind):
    ins = read_instruction(wording)
    assert (ins.kind, ins.location, ins.subjects, ins.new_kind) == (kind, location, subjects, new_kind)
    assert ins.text == wording


@pytest.mark.parametrize("wording", [
    "in Article 5, paragraph 1 is repealed:",                 # unknown verb
    "in Article 5 and elsewhere, paragraph 1 is deleted;",    # unread words
    "the following recital is inserted:",                     # unknown kind of provision
])
def test_unknown_wording_is_refused(wording):
    with pytest.raises(InstructionError):
        read_instruction(wording)


def test_every_instruction_of_the_omnibus_is_read(omnibus):
    points = [p for top in omnibus.points for p in [top, *top.subpoints]]
    assert len(points) == 43 + 46
    assert all(p.instruction.kind in {"replaced", "inserted", "added", "deleted", "amended"} for p in points)
