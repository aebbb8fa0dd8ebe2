"""Tree edits: number order and the checks that refuse a misplaced edit."""

import pytest

from gpai_kg.builder import tree_ops
from gpai_kg.sources.formex import Provision


def _list(*labels):
    root = Provision("paragraph", (("art", "9"), ("par", "1")))
    root.segments = ["intro"] + [Provision("point", root.path + (("pnt", x),), x, f"({x})") for x in labels]
    return root


@pytest.mark.parametrize("kind, smaller, larger", [
    ("pnt", "14", "14a"), ("pnt", "14b", "15"), ("pnt", "b", "ba"), ("pnt", "bb", "c"),
    ("par", "1e", "2"), ("anx", "XIII", "XIV"), ("anx", "IX", "X"), ("art", "75d", "76"),
])
def test_number_order(kind, smaller, larger):
    assert tree_ops.order_key(kind, smaller) < tree_ops.order_key(kind, larger)


def test_insert_goes_after_its_predecessor():
    par = _list("a", "b", "c")
    tree_ops.insert_in_order(par, Provision("point", par.path + (("pnt", "ba"),), "ba", "(ba)"))
    assert [p.number for p in par.parts] == ["a", "b", "ba", "c"]


def test_existing_number_is_refused():
    par = _list("a", "b")
    with pytest.raises(tree_ops.TreeError):
        tree_ops.insert_in_order(par, Provision("point", par.path + (("pnt", "b"),), "b", "(b)"))


def test_added_point_must_come_last():
    par = _list("a", "c")
    with pytest.raises(tree_ops.TreeError):
        tree_ops.add_at_end(par, Provision("point", par.path + (("pnt", "b"),), "b", "(b)"))


def test_split_into_subparagraphs_moves_the_parts():
    par = _list("a")
    tree_ops.split_into_subparagraphs(par)
    (sub,) = par.parts
    assert sub.path == (("art", "9"), ("par", "1"), ("sub", "1"))
    assert sub.segments[0] == "intro"
    assert sub.parts[0].path == (("art", "9"), ("par", "1"), ("sub", "1"), ("pnt", "a"))
