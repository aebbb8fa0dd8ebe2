"""The amendment engine: Regulation (EU) 2024/1689 as an amending act leaves it,
computed from the two authentic texts.

``amend(root, act)`` copies a provision tree of 2024/1689 (the OJ original,
or the version an earlier amending act left) and applies the instructions of
``act``'s amending article in the act's order, each as
``gpai_kg.builder.placement`` read it:

    replace          the provision at the target path is replaced by the new subtree
    replace_heading  the article's heading is replaced
    replace_intro    the subparagraph's words before its first point are replaced
    insert           new provisions go where their numbers put them
    add              new provisions go after the last of their kind
    delete           the provision is removed (its siblings keep their numbers)

For Regulation (EU) 2026/1744 that is 72 instructions in 43 points, in force
on 27 July 2026. The engine writes only what the amending act says. It never
reads a consolidated text (that is what ``gpai_kg.builder.compare`` checks it
against), and it makes none of the list-punctuation changes consolidators
make without an instruction (a point added after the last one: the former
last point keeps its final "."); ``tests/test_amend.py`` lists each such
difference with its reason.

Each applied instruction is an ``Applied`` with what it displaced (nodes,
heading, words), so the earlier text stays available for the versions.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date

from gpai_kg.builder import tree_ops
from gpai_kg.builder.placement import Placement, place_all
from gpai_kg.citations import ProvisionPath
from gpai_kg.sources.amending_act import AmendingAct
from gpai_kg.sources.formex import Parser, Provision


@dataclass
class Applied:
    """One instruction applied: what it did and what it displaced."""

    placement: Placement
    before: list[Provision | str] = field(default_factory=list)   # replaced/deleted nodes, old heading or words


@dataclass
class AmendedAct:
    """The amended tree and how it came about."""

    root: Provision
    act: AmendingAct
    applied: list[Applied]

    @property
    def version_date(self) -> date:
        return self.act.date_entry_into_force

    def index(self) -> dict[ProvisionPath, Provision]:
        return {node.path: node for node in self.root.walk() if node.path}


def amend(root: Provision, act: AmendingAct) -> AmendedAct:
    """Apply the amending article of ``act`` to (a copy of) the tree ``root``."""
    root = copy.deepcopy(root)
    tree = {node.path: node for node in root.walk() if node.path}
    parser = Parser(act.source_dir / act.main_file)
    applied = [apply(root, p) for p in place_all(act.points, tree, parser)]
    return AmendedAct(root, act, applied)


def apply(root: Provision, placement: Placement) -> Applied:
    """Carry out one placed instruction on ``root``."""
    op = placement.operation
    done = Applied(placement)
    if op == "replace":
        for target, new in zip(placement.targets, placement.new, strict=True):
            done.before.append(tree_ops.replace(root, target, new))
    elif op == "delete":
        done.before.extend(tree_ops.delete(root, t) for t in placement.targets)
    elif op == "replace_heading":
        (target,) = placement.targets
        node, _ = tree_ops.find(root, target)
        done.before.append(node.title)
        node.title = placement.title
    elif op == "replace_intro":
        (target,) = placement.targets
        node, _ = tree_ops.find(root, target)
        done.before.extend(tree_ops.replace_intro(node, list(placement.new[0].segments)))
    elif op in ("insert", "add"):
        _place_new(root, placement)
    else:
        raise tree_ops.TreeError(f"{placement.point.citation}: unknown operation {op!r}")
    return done


def _place_new(root: Provision, placement: Placement) -> None:
    for new in placement.new:
        if new.kind == "article":
            tree_ops.insert_article(root, new)
            continue
        container = root if placement.container is None else tree_ops.find(root, placement.container)[0]
        if new.kind == "subparagraph" and not any(p.kind == "subparagraph" for p in container.parts):
            tree_ops.split_into_subparagraphs(container)
        if placement.operation == "insert":
            tree_ops.insert_in_order(container, new)
        else:
            tree_ops.add_at_end(container, new)
