"""The law in time: every provision of Regulation (EU) 2024/1689 with the texts
it has had, each with the dates it was in force, and the amending points that
changed it.

``timeline(original, amended)`` lines up the expressions of the Act -- the OJ
original (in force from the day Article 113 names, 1 August 2024) and the
text each amending act leaves (``gpai_kg.builder.amend``; Regulation (EU)
2026/1744: from 27 July 2026) -- and, for every provision path that exists in
any of them:

- its ``History``: the ``Version``s it went through, a new one only where its
  content changed (kind, number, heading, title or text -- the text of a
  provision includes its parts', so an article whose paragraph was replaced
  has a new version too); each version runs from the day its expression
  entered into force to the day before the next one did (or stays open);
  a provision an amending act inserts starts then, one it deletes ends the
  day before;
- the ``Change``s: one per instruction and provision it acts on, at the most
  specific level the instruction names (``Article 56(6)``, replaced; ``Article
  4a``, inserted; ``Annex VIII, Section B, point 7``, deleted), with the kind
  as the amending act words it (replaced, inserted, added, deleted), the part
  it touches (the whole, the ``heading``, the ``intro``ductory words) and the
  date it took effect.

The union of the trees gives each provision its parent and its place in
document order: a deleted provision keeps the place it had.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from gpai_kg.builder.amend import AmendedAct
from gpai_kg.citations import ProvisionPath
from gpai_kg.sources.amending_act import AmendingAct, AmendingPoint
from gpai_kg.sources.formex import ParsedAct, Provision

#: placement operation -> (kind of change as the amending act words it, part of the provision touched)
KINDS = {"replace": ("replaced", ""), "replace_heading": ("replaced", "heading"),
         "replace_intro": ("replaced", "intro"), "insert": ("inserted", ""), "add": ("added", ""),
         "delete": ("deleted", "")}


@dataclass(frozen=True)
class Expression:
    """The Act's text as a whole on and after ``start``: the OJ original
    (``key`` "oj", ``act`` None) or what an amending act left (``key`` the
    date, as in the ELI of consolidated versions, ``…/reg/2024/1689/2026-07-27``)."""

    key: str
    start: date
    end: date | None
    root: Provision = field(repr=False)
    act: AmendingAct | None = field(default=None, repr=False)

    def index(self) -> dict[ProvisionPath, Provision]:
        return {node.path: node for node in self.root.walk() if node.path}

    def in_force(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Version:
    """One text of a provision, from the expression that introduced it."""

    path: ProvisionPath
    node: Provision = field(repr=False)
    expression: Expression = field(repr=False)
    start: date
    end: date | None

    def in_force(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class History:
    path: ProvisionPath
    versions: list[Version]

    @property
    def latest(self) -> Version:
        return self.versions[-1]

    @property
    def start(self) -> date:
        return self.versions[0].start

    @property
    def end(self) -> date | None:
        return self.versions[-1].end

    def at(self, day: date) -> Version | None:
        return next((v for v in self.versions if v.in_force(day)), None)


@dataclass(frozen=True)
class Change:
    """One provision one amending instruction acts on."""

    act: AmendingAct = field(repr=False)
    point: AmendingPoint = field(repr=False)
    kind: str          # replaced, inserted, added, deleted
    part: str          # "" (the whole), "heading", "intro"
    target: ProvisionPath
    date: date
    readings: tuple[str, ...]


@dataclass
class Timeline:
    expressions: list[Expression]
    histories: dict[ProvisionPath, History]      # every provision that ever existed, in document order
    children: dict[ProvisionPath, list[ProvisionPath]]
    changes: list[Change]

    def walk(self) -> Iterator[tuple[ProvisionPath, ProvisionPath]]:
        """(path, parent path) of every provision, in the union's document order."""
        def visit(parent: ProvisionPath) -> Iterator[tuple[ProvisionPath, ProvisionPath]]:
            for child in self.children.get(parent, []):
                yield child, parent
                yield from visit(child)
        yield from visit(())

    def expression_at(self, day: date) -> Expression | None:
        return next((e for e in self.expressions if e.in_force(day)), None)


def _content(node: Provision) -> tuple:
    return node.kind, node.label, node.title, node.heading, node.text


def _merge(old: list[ProvisionPath], new: list[ProvisionPath]) -> list[ProvisionPath]:
    """``new``'s order, with each path only ``old`` has after the one it followed there."""
    out = list(new)
    for i, path in enumerate(old):
        if path not in out:
            before = old[i - 1] if i else None
            out.insert(out.index(before) + 1 if before in out else 0, path)
    return out


def timeline(original: ParsedAct, entry_into_force: date, amended: list[AmendedAct]) -> Timeline:
    """The expressions, histories and changes of the Act (see the module docstring)."""
    starts = [entry_into_force] + [a.version_date for a in amended]
    if starts != sorted(starts) or len(set(starts)) != len(starts):
        raise ValueError(f"amending acts out of order: {starts}")
    ends = [s - timedelta(days=1) for s in starts[1:]] + [None]
    expressions = [Expression("oj", starts[0], ends[0], original.root)]
    expressions += [Expression(a.version_date.isoformat(), start, end, a.root, a.act)
                    for a, start, end in zip(amended, starts[1:], ends[1:], strict=True)]
    versions: dict[ProvisionPath, list[Version]] = {}
    children: dict[ProvisionPath, list[ProvisionPath]] = {}
    for expression in expressions:
        for node in expression.root.walk():
            children[node.path] = _merge(children.get(node.path, []), [p.path for p in node.parts])
            if not node.path:
                continue
            found = versions.setdefault(node.path, [])
            last = found[-1] if found else None
            if last and last.end == expression.start - timedelta(days=1) and _content(last.node) == _content(node):
                found[-1] = Version(node.path, last.node, last.expression, last.start, expression.end)
            else:
                found.append(Version(node.path, node, expression, expression.start, expression.end))
    histories = {path: History(path, versions[path]) for path in _order(children)}
    changes = [Change(a.act, done.placement.point, *KINDS[done.placement.operation], target, a.version_date,
                      tuple(done.placement.readings))
               for a in amended for done in a.applied for target in done.placement.targets]
    return Timeline(expressions, histories, children, changes)


def _order(children: dict[ProvisionPath, list[ProvisionPath]]) -> list[ProvisionPath]:
    out: list[ProvisionPath] = []
    stack = list(reversed(children.get((), [])))
    while stack:
        path = stack.pop()
        out.append(path)
        stack.extend(reversed(children.get(path, [])))
    return out
