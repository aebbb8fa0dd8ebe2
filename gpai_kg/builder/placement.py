"""Where each amending instruction (of Regulation (EU) 2026/1744, say) lands in
Regulation (EU) 2024/1689, and the new text it brings, as provision subtrees.

``place`` turns an ``AmendingPoint`` (wording + quoted text) into
``Placement``s against the tree of the act being amended:

* ``targets``: the provisions acted on, at the most specific level, as ELI
  paths of 2024/1689 (``art_56/par_6``); for an insertion, the new
  provisions' paths (``art_3/pnt_14a``);
* ``container``: where an insertion goes (``None`` for articles and annexes,
  placed by their number);
* ``new``: the quoted text built by the same parser as the original, with
  the amending act's outer quotation marks removed
  (``gpai_kg.sources.quoted.unquote``).

A chain of steps is the parent point's location and subject ("Article 96,
paragraph 1 is amended as follows:") followed by the sub-point's own. Every
target is checked against the tree: a replaced or deleted provision must
exist, an inserted one must not. Where the wording needs a reading (the
module docstring of ``gpai_kg.sources.instructions`` lists the general ones), the reading is
recorded in ``Placement.readings``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from gpai_kg.citations import ProvisionPath, format_citation
from gpai_kg.errors import UserError
from gpai_kg.sources.formex import Parser, Provision, inline_text, label_number

from gpai_kg.sources.amending_act import AmendingPoint
from gpai_kg.sources.quoted import unquote

#: Readings of wordings that are not literal, recorded where they apply.
READ_AMENDED_AS_REPLACED = ("'amended as follows' is followed by no sub-points but by the full new text "
                            "of the provision: read as 'replaced by the following'")
READ_PARAGRAPH_CARRIER = ("the quotation repeats the paragraph number before the new subparagraph; "
                          "the number locates the text, the paragraph keeps its other subparagraphs")
READ_INTRO = ("'introductory part' = the subparagraph's words before its first point; the points stay")
READ_SPLIT = ("the paragraph had a single subparagraph: its text becomes the first subparagraph "
              "and the added text the second")
READ_BY_NUMBER = ("no place is stated: the new provision goes where its number puts it "
                  "(after the provision it is numbered after)")


class PlacementError(UserError):
    """An instruction that does not fit the tree of the amended act."""


@dataclass
class Placement:
    """One instruction of 2026/1744 placed in 2024/1689."""

    point: AmendingPoint
    operation: str                       # replace, insert, add, delete, replace_heading, replace_intro
    targets: tuple[ProvisionPath, ...]
    container: ProvisionPath | None = None
    new: list[Provision] = field(default_factory=list)
    title: str = ""                      # the new heading, for replace_heading
    readings: list[str] = field(default_factory=list)

    @property
    def target_citations(self) -> list[str]:
        return [format_citation(t) for t in self.targets]


def place_all(points: list[AmendingPoint], tree: dict[ProvisionPath, Provision], parser: Parser) -> list[Placement]:
    """Placements for every instruction of ``points``, in the act's order."""
    out: list[Placement] = []
    for point in points:
        out.extend(_place(point, (), tree, parser))
    return out


def _place(point: AmendingPoint, prefix: ProvisionPath, tree: dict[ProvisionPath, Provision], parser: Parser) -> list[Placement]:
    ins = point.instruction
    base = prefix + ins.location
    if point.subpoints:
        if len(ins.subjects) != 1:
            raise PlacementError(f"{point.citation}: 'amended as follows' of more than one provision")
        inner = base + ins.subjects
        _must_exist(point, inner, tree)
        return [p for sub in point.subpoints for p in _place(sub, inner, tree, parser)]
    blocks = [child for q in point.quoted for child in _content(unquote(q))]
    if ins.kind == "deleted":
        targets = tuple(base + (s,) for s in ins.subjects)
        for t in targets:
            _must_exist(point, t, tree)
        return [Placement(point, "delete", targets)]
    if ins.kind in ("replaced", "amended"):
        if not blocks:
            raise PlacementError(f"{point.citation}: {ins.kind!r} without quoted text")
        placement = _replace(point, base, blocks, tree, parser)
        if ins.kind == "amended":
            placement.readings.append(READ_AMENDED_AS_REPLACED)
        return [placement]
    return [_insert(point, base, blocks, tree, parser)]


def _content(block: ET.Element) -> list[ET.Element]:
    """The elements of new text in an unquoted block (an annex file is one)."""
    return [block] if block.tag == "ANNEX" else list(block)


def _must_exist(point: AmendingPoint, path: ProvisionPath, tree: dict[ProvisionPath, Provision]) -> None:
    if path not in tree:
        raise PlacementError(f"{point.citation}: {format_citation(path)} does not exist in the amended act")


def _replace(point: AmendingPoint, base: ProvisionPath, blocks: list[ET.Element], tree, parser) -> Placement:
    subjects = point.instruction.subjects
    if subjects == (("part", "heading"),):
        _must_exist(point, base, tree)
        (sti,) = blocks
        return Placement(point, "replace_heading", (base,), title=inline_text(sti))
    if subjects == (("part", "intro"),):
        _must_exist(point, base, tree)
        holder = Provision(tree[base].kind, base, tree[base].number, tree[base].label)
        parser.block(_carried_alinea(point, _up_to_paragraph(base), blocks), holder)
        if holder.parts:
            raise PlacementError(f"{point.citation}: an introductory part with points")
        return Placement(point, "replace_intro", (base,), new=[holder], readings=[READ_INTRO])
    targets = tuple(base + (s,) for s in subjects)
    for t in targets:
        _must_exist(point, t, tree)
    readings: list[str] = []
    kind = subjects[0][0]
    if kind == "sub":
        (target,) = targets
        new = [parser.subparagraph(_carried_alinea(point, _up_to_paragraph(target[:-1]), blocks, readings),
                                   target)]
    else:
        new = _build(kind, blocks, base, parser)
    if [n.path for n in new] != list(targets):
        raise PlacementError(f"{point.citation}: quoted text numbered {[n.number for n in new]}, "
                             f"instruction names {[format_citation(t) for t in targets]}")
    return Placement(point, "replace", targets, new=new, readings=readings)


def _up_to_paragraph(path: ProvisionPath) -> ProvisionPath:
    """The paragraph a path lies in (``art_58/par_1/sub_1`` -> ``art_58/par_1``)."""
    cut = max((i for i, (kind, _) in enumerate(path) if kind == "par"), default=len(path) - 1)
    return path[:cut + 1]


def _carried_alinea(point, paragraph: ProvisionPath, blocks, readings: list[str] | None = None) -> ET.Element:
    """The one ``ALINEA`` quoted, bare or inside a ``PARAG`` that repeats the
    paragraph's number (Article 1, points (12)(b), (22)(a), (23)(a), (24)(a))."""
    (block,) = blocks
    if block.tag == "ALINEA":
        return block
    if block.tag == "PARAG" and len(block.findall("ALINEA")) == 1:
        number = label_number("".join(block.find("NO.PARAG").itertext()))
        if (("par", number),) != paragraph[-1:]:
            raise PlacementError(f"{point.citation}: quoted paragraph {number} is not {format_citation(paragraph)}")
        if readings is not None:
            readings.append(READ_PARAGRAPH_CARRIER)
        return block.find("ALINEA")
    raise PlacementError(f"{point.citation}: expected one quoted subparagraph, found {block.tag}")


def _build(kind: str, blocks: list[ET.Element], container: ProvisionPath, parser: Parser) -> list[Provision]:
    """New provisions of ``kind`` from quoted blocks, below ``container``."""
    if kind in ("art", "article"):
        return [parser.article(b) for b in _only(blocks, "ARTICLE")]
    if kind in ("anx", "annex"):
        return [parser.annex(b) for b in _only(blocks, "ANNEX")]
    if kind in ("par", "paragraph"):
        return [parser.paragraph(b, container) for b in _only(blocks, "PARAG")]
    if kind in ("pnt", "point"):
        holder = Provision("holder", container)
        for b in _only(blocks, "LIST", "NP"):
            parser.block(b, holder)
        if len(holder.parts) != len(holder.segments):
            raise PlacementError(f"quoted points with loose text below {format_citation(container)}")
        return holder.parts
    raise PlacementError(f"cannot build new {kind!r}")


def _only(blocks: list[ET.Element], *tags: str) -> list[ET.Element]:
    wrong = [b.tag for b in blocks if b.tag not in tags]
    if wrong:
        raise PlacementError(f"quoted {wrong} where {tags} were expected")
    return blocks


def _insert(point: AmendingPoint, base: ProvisionPath, blocks, tree, parser) -> Placement:
    ins = point.instruction
    operation = "insert" if ins.kind == "inserted" else "add"
    readings: list[str] = []
    if ins.new_kind in ("article", "annex"):
        if base:
            raise PlacementError(f"{point.citation}: an {ins.new_kind} placed inside {format_citation(base)}")
        new = _build(ins.new_kind, blocks, (), parser)
        container = None
        if ins.new_kind == "article":
            readings.append(READ_BY_NUMBER)
    else:
        _must_exist(point, base, tree)
        container = base
        if ins.new_kind == "subparagraph":
            subs = [p for p in tree[base].parts if p.kind == "subparagraph"]
            if not subs:
                readings.append(READ_SPLIT)
            first = len(subs) + 1 if subs else 2
            new = [parser.subparagraph(b, base + (("sub", str(first + i)),))
                   for i, b in enumerate(_only(blocks, "ALINEA"))]
        else:
            new = _build(ins.new_kind, blocks, base, parser)
    for n in new:
        if n.path in tree:
            raise PlacementError(f"{point.citation}: {format_citation(n.path)} exists already")
    return Placement(point, operation, tuple(n.path for n in new), container, new, readings=readings)



