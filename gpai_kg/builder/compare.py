"""Provision-by-provision comparison of two provision trees (the engine's
result and the consolidated text), whitespace-normalised, never bytes.

Each provision is compared on its own content only, so one difference shows
at the one node where it is, not again at every ancestor:

    kind, label, title (article heading, annex title), heading (annex
    group heading), own_text (its words without its parts'), and parts
    (the paths of its parts, in order).

Non-breaking spaces count as spaces (the copies in ``data/sources/`` have
none left: ``data/sources/PROVENANCE.md``). Recitals are outside the
comparison: a consolidated text carries none.
"""

from __future__ import annotations

from dataclasses import dataclass

from gpai_kg.citations import ProvisionPath, format_citation
from gpai_kg.sources.formex import Provision, norm

FIELDS = ("kind", "label", "title", "heading", "own_text", "parts")


@dataclass(frozen=True)
class Difference:
    path: ProvisionPath
    field: str          # one of FIELDS, or "missing" / "extra" (the provision exists on one side only)
    ours: str
    theirs: str

    @property
    def citation(self) -> str:
        return format_citation(self.path)


@dataclass
class Comparison:
    compared: int                 # provisions present on both sides
    equal: int                    # of those, equal in every field
    differences: list[Difference]

    def by_path(self) -> dict[ProvisionPath, list[Difference]]:
        out: dict[ProvisionPath, list[Difference]] = {}
        for d in self.differences:
            out.setdefault(d.path, []).append(d)
        return out


def content(node: Provision) -> dict[str, str]:
    """The compared fields of one provision."""
    return {"kind": node.kind, "label": norm(node.label), "title": norm(node.title),
            "heading": norm(node.heading), "own_text": norm(node.own_text),
            "parts": " ".join("/".join(f"{k}_{v}" for k, v in p.path) for p in node.parts)}


def index(root: Provision) -> dict[ProvisionPath, Provision]:
    """Every provision below ``root`` except recitals."""
    return {n.path: n for n in root.walk() if n.path and n.path[0][0] != "rct"}


def compare(ours: Provision, theirs: Provision) -> Comparison:
    a, b = index(ours), index(theirs)
    diffs: list[Difference] = []
    for path in a.keys() - b.keys():
        diffs.append(Difference(path, "extra", a[path].text[:80], ""))
    for path in b.keys() - a.keys():
        diffs.append(Difference(path, "missing", "", b[path].text[:80]))
    common = [p for p in a if p in b]
    equal = 0
    for path in common:
        x, y = content(a[path]), content(b[path])
        found = [Difference(path, f, x[f], y[f]) for f in FIELDS if x[f] != y[f]]
        diffs.extend(found)
        equal += not found
    return Comparison(len(common), equal, diffs)
