"""Edits of a ``Provision`` tree: find, replace, delete, insert in number order,
add at the end, split a paragraph into subparagraphs.

Each edit keeps the tree's shape as ``gpai_kg.sources.formex`` produces it (a node's
``segments`` hold its words and its parts in document order; paths are the
ELI steps from the Act down) and fails loudly (``TreeError``) rather than
guess: a path that is not there, a number that already exists, a new number
that does not fall where the instruction says ("added" = after the last of
its kind).

Number order (for "inserted"): ``14 < 14a < 14b < 15``, ``b < ba < bb < c``,
``1 < 1a < 1e < 2``; Roman annex numbers by value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gpai_kg.citations import ProvisionPath, format_citation
from gpai_kg.errors import UserError
from gpai_kg.sources.formex import Provision

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


class TreeError(UserError):
    """An edit that does not fit the tree."""


def roman(value: str) -> int:
    total = 0
    for i, ch in enumerate(value):
        n = _ROMAN[ch]
        total += -n if i + 1 < len(value) and _ROMAN[value[i + 1]] > n else n
    return total


def order_key(kind: str, label: str) -> tuple:
    """The sort key of a provision number among its siblings."""
    if kind == "anx":
        return (roman(label), "")
    m = re.fullmatch(r"(\d+)([a-z]*)", label)
    if m:
        return (int(m.group(1)), m.group(2))
    if re.fullmatch(r"[a-z]+", label):
        return (0, label)
    raise TreeError(f"cannot order the number {label!r}")


def walk_with_parent(root: Provision) -> Iterator[tuple[Provision, Provision | None]]:
    stack: list[tuple[Provision, Provision | None]] = [(root, None)]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        stack.extend((child, node) for child in reversed(node.parts))


def find(root: Provision, path: ProvisionPath) -> tuple[Provision, Provision]:
    """``(node, parent)`` of the provision at ``path``."""
    for node, parent in walk_with_parent(root):
        if node.path == path and parent is not None:
            return node, parent
    raise TreeError(f"{format_citation(path)} is not in the tree")


def exists(root: Provision, path: ProvisionPath) -> bool:
    return any(node.path == path for node, _ in walk_with_parent(root))


def replace(root: Provision, path: ProvisionPath, new: Provision) -> Provision:
    """Put ``new`` where ``path`` is; returns the node replaced."""
    old, parent = find(root, path)
    parent.segments[_index(parent, old)] = new
    return old


def delete(root: Provision, path: ProvisionPath) -> Provision:
    """Remove the provision at ``path``; returns it."""
    old, parent = find(root, path)
    del parent.segments[_index(parent, old)]
    return old


def insert_in_order(container: Provision, new: Provision) -> None:
    """Insert ``new`` after the last sibling of its kind whose number comes
    before it ("the following point is inserted")."""
    kind = new.path[-1][0]
    key = order_key(kind, new.path[-1][1])
    siblings = [s for s in container.parts if s.path[-1][0] == kind]
    if any(order_key(kind, s.path[-1][1]) == key for s in siblings):
        raise TreeError(f"{format_citation(new.path)} exists already")
    before = [s for s in siblings if order_key(kind, s.path[-1][1]) < key]
    if not before:
        raise TreeError(f"{format_citation(new.path)} would come first; an insertion needs a predecessor")
    container.segments.insert(_index(container, before[-1]) + 1, new)


def add_at_end(container: Provision, new: Provision) -> None:
    """Add ``new`` after the last sibling of its kind ("… is added")."""
    kind = new.path[-1][0]
    siblings = [s for s in container.parts if s.path[-1][0] == kind]
    if siblings and order_key(kind, siblings[-1].path[-1][1]) >= order_key(kind, new.path[-1][1]):
        raise TreeError(f"{format_citation(new.path)} is added but does not come after "
                        f"{format_citation(siblings[-1].path)}")
    at = _index(container, siblings[-1]) + 1 if siblings else len(container.segments)
    container.segments.insert(at, new)


def insert_article(root: Provision, new: Provision) -> None:
    """Insert a new article after the article numbered just before it, in the
    same chapter or section ("Article 4a" after Article 4)."""
    key = order_key("art", new.number)
    before = [(n, p) for n, p in walk_with_parent(root)
              if n.kind == "article" and order_key("art", n.number) < key]
    if not before:
        raise TreeError(f"no article before Article {new.number}")
    node, parent = max(before, key=lambda np: order_key("art", np[0].number))
    parent.segments.insert(_index(parent, node) + 1, new)


def split_into_subparagraphs(node: Provision) -> None:
    """A paragraph with one (unnamed) subparagraph becomes one with a first
    subparagraph holding its words and parts, so a second can be added."""
    if any(p.kind == "subparagraph" for p in node.parts):
        raise TreeError(f"{format_citation(node.path)} has subparagraphs already")
    first = Provision("subparagraph", node.path + (("sub", "1"),), "1")
    first.segments = [rebase(s, node.path, first.path) if isinstance(s, Provision) else s
                      for s in node.segments]
    node.segments = [first]


def rebase(node: Provision, old: ProvisionPath, new: ProvisionPath) -> Provision:
    """``node`` with every path below ``old`` moved below ``new`` (in place)."""
    for n in node.walk():
        if n.path[:len(old)] != old:
            raise TreeError(f"{format_citation(n.path)} is not below {format_citation(old)}")
        n.path = new + n.path[len(old):]
    return node


def replace_intro(node: Provision, words: list[str]) -> list[str]:
    """Replace the words before the first part of ``node``; returns the old ones."""
    first = next((i for i, s in enumerate(node.segments) if isinstance(s, Provision)), len(node.segments))
    old = node.segments[:first]
    node.segments[:first] = words
    return [s for s in old if isinstance(s, str)]


def _index(parent: Provision, child: Provision) -> int:
    return next(i for i, s in enumerate(parent.segments) if s is child)
