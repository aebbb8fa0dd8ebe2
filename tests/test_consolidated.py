"""The consolidated text (CONS.ACT, no legal effect) as parsed: its tree and
its CLG.MDFO/MDFC modification marks."""

from collections import Counter

from gpai_kg.citations import format_citation


def test_identity(cons):
    assert (cons.start_date.isoformat(), cons.celex, cons.consolidates) == (
        "2026-07-27", "02024R1689-20260727", ("32026R1744",))


def test_counts(cons):
    index = cons.index()
    assert sum(n.kind == "article" for n in index.values()) == 119
    assert [n.number for n in cons.root.parts if n.kind == "annex"] == [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV"]
    assert not any(n.kind == "recital" for n in index.values())   # consolidated texts carry none


def test_marks(cons):
    assert len(cons.marks) == 77
    assert {m.active_doc for m in cons.marks} == {"32026R1744"}
    assert Counter((m.action, m.level, m.command) for m in cons.marks) == {
        ("REPLACED", "STRUCTURE", "EXPLICIT"): 44,
        ("INSERTED", "STRUCTURE", "EXPLICIT"): 25,
        ("DELETED", "STRUCTURE", "EXPLICIT"): 4,
        ("REPLACED", "TEXT", "IMPLICIT"): 4,
    }


def test_implicit_marks_are_list_punctuation(cons):
    implicit = {(m.active_loc, format_citation(m.paths[0]), m.text) for m in cons.marks if m.command == "IMPLICIT"}
    assert implicit == {
        ("AR:1;PT:23;PT:b", "Article 58(1), first subparagraph, point (c)", ";"),
        ("AR:1;PT:36;PT:b", "Article 96(1), first subparagraph, point (f)", ";"),
        ("AR:1;PT:41;PT:b", "Annex I, Section B, point 20", ";"),
        ("AR:1;PT:42", "Annex VIII, Section B, point 8", "."),
    }


def test_every_mark_touches_a_provision_of_the_tree(cons):
    index = cons.index()
    for mark in cons.marks:
        for path in mark.paths:
            assert (path in cons.deleted) if mark.action == "DELETED" else (path in index), mark.id


def test_deleted_content_is_printed_but_not_in_force(cons):
    """The file still prints what 2026/1744 deleted, inside the DELETED marks;
    the tree leaves it out."""
    assert sorted(format_citation(p) for p in cons.deleted) == [
        "Annex I, Section A, point 1", "Annex VIII, Section B, point 7", "Annex VIII, Section B, point 9",
        "Article 10(5)"]
    assert cons.deleted[(("anx", "I"), ("sct", "A"), ("pnt", "1"))].startswith("1.Directive 2006/42/EC")
    assert not set(cons.deleted) & set(cons.index())
    art10 = cons.index()[(("art", "10"),)]
    assert [p.number for p in art10.parts] == ["1", "2", "3", "4", "6"]


def test_mark_parts(cons):
    by_loc = {}
    for m in cons.marks:
        by_loc.setdefault(m.active_loc, []).append(m)
    (heading,) = by_loc["AR:1;PT:31;PT:a"]
    assert heading.touches == (((("art", "75"),), "heading"),)
    (intro,) = by_loc["AR:1;PT:23;PT:a"]   # opens in PARAG 058.001, closes inside its ALINEA
    assert intro.touches == (((("art", "58"), ("par", "1")), "number"),
                             ((("art", "58"), ("par", "1"), ("sub", "1")), "intro"))


def test_one_active_loc_is_wrong_in_the_consolidated_text(cons):
    """Article 3, points (14a) and (14b) are inserted by point (4)(b) of
    Article 1 of 2026/1744; the CONS.ACT names point (14)(b), which does not
    exist (point (14) of Article 1 amends Article 28 and has no sub-points)."""
    (mark,) = [m for m in cons.marks if m.paths == ((("art", "3"), ("pnt", "14a")), (("art", "3"), ("pnt", "14b")))]
    assert mark.active_loc == "AR:1;PT:14;PT:b"
