"""Guard: provisions that Regulation (EU) 2026/1744 leaves alone stay as the
OJ original prints them, in the engine's result and in the consolidated text."""

import pytest

from gpai_kg.citations import format_citation

GUARDED = ([(("art", str(n)),) for n in [*range(51, 56), *range(88, 95), 101]]
           + [(("art", "111"), ("par", "3")), (("art", "113"), ("sub", "3"), ("pnt", "b"))]
           + [(("anx", r),) for r in ("XI", "XII", "XIII")])

#: The 36 articles of the original that 2026/1744 amends (Article 1, points (1) to (40)).
AMENDED_ARTICLES = {1, 2, 3, 4, 5, 6, 10, 11, 17, 25, 27, 28, 29, 30, 40, 42, 43, 50, 56, 57, 58, 60, 63, 64,
                    69, 70, 72, 75, 76, 77, 95, 96, 97, 99, 111, 113}


def _overlaps(a, b):
    """One path is the other or lies within it."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _touched(placements):
    """Every path an instruction changes: its targets and, for an insertion, the container."""
    out = set()
    for p in placements:
        out.update(p.targets)
    return out


@pytest.mark.parametrize("path", GUARDED, ids=[format_citation(p) for p in GUARDED])
def test_guarded_provision_is_unchanged(path, placements, act, amended, cons):
    assert not [t for t in _touched(placements) if _overlaps(t, path)]
    assert not [m for m in cons.marks for p in m.paths if _overlaps(p, path)]
    before = {p.path: p for p in act.provisions()}[path]
    for tree in (amended.index(), cons.index()):
        after = tree[path]
        assert (after.title, after.text) == (before.title, before.text)


def test_untouched_articles_and_annexes(placements, act, amended, cons):
    touched = _touched(placements)
    articles = [a for a in act.provisions() if a.kind == "article"]
    untouched = [a for a in articles if not [t for t in touched if _overlaps(t, a.path)]]
    assert {int(a.number) for a in articles} - {int(a.number) for a in untouched} == AMENDED_ARTICLES
    assert len(untouched) == 77
    annexes = [a for a in act.root.parts if a.kind == "annex"]
    untouched_annexes = [a.number for a in annexes if not [t for t in touched if _overlaps(t, a.path)]]
    assert untouched_annexes == ["II", "III", "IV", "V", "VI", "VII", "IX", "X", "XI", "XII", "XIII"]
    for node in untouched + [a for a in annexes if a.number in untouched_annexes]:
        for tree in (amended.index(), cons.index()):
            assert (tree[node.path].title, tree[node.path].text) == (node.title, node.text)
