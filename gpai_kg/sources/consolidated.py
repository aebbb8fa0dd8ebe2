"""A consolidated text of Regulation (EU) 2024/1689 by the Publications Office
(Formex 4 ``CONS.ACT``; the first: CELEX 02024R1689-20260727, ELI
http://data.europa.eu/eli/reg/2024/1689/2026-07-27), parsed into the same
provision tree as the original, with its modification marks.

A consolidated text is a documentation tool with no legal effect; it is read
here only to check the amendment engine (``gpai_kg.builder.compare``), never
to produce the amended text.

Shape: ``CONS.ACT › CONS.DOC › ENACTING.TERMS`` (``DIVISION``/``ARTICLE`` as in
the OJ act) and one ``CONS.ANNEX`` per annex (``TITLE``, ``CONTENTS`` as an OJ
annex file). No recitals: consolidated texts carry none.

Marks: every change is wrapped in a pair of processing instructions
``<?CLG.MDFO ID=… ACTION="REPLACED|INSERTED|DELETED" LEVEL="STRUCTURE|TEXT"
COMMAND="EXPLICIT|IMPLICIT" ACTIVE.DOC="32026R1744" ACTIVE.LOC="AR:1;PT:21"?>``
… ``<?CLG.MDFC IDREF=…?>``, not necessarily siblings (the pair for Article 1,
point (23)(a), opens in a ``PARAG`` and closes inside its ``ALINEA``). A mark
touches the elements lying wholly between its two instructions; a mark
wrapping no element (``LEVEL="TEXT"``) touches the text of the provision it
sits in. Content marked ``DELETED`` is still printed in the file; it is
left out of the tree and kept in ``ConsolidatedAct.deleted``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from gpai_kg.citations import ProvisionPath
from gpai_kg.errors import UserError
from gpai_kg.sources.formex import Parser, Provision, article_number, inline_text, iso_date, label_number, norm

_ATTR = re.compile(r'([A-Z.]+)="([^"]*)"')


@dataclass(frozen=True)
class Mark:
    """One ``CLG.MDFO``/``CLG.MDFC`` pair."""

    id: str
    action: str                 # REPLACED, INSERTED, DELETED
    level: str                  # STRUCTURE, TEXT
    command: str                # EXPLICIT, IMPLICIT
    active_doc: str             # CELEX of the amending act
    active_loc: str             # "AR:1;PT:22;PT:a"
    touches: tuple[tuple[ProvisionPath, str], ...]   # (provision path, part): part is "", heading, number, intro, text
    text: str                   # the marked text, whitespace-normalised

    @property
    def paths(self) -> tuple[ProvisionPath, ...]:
        return tuple(dict.fromkeys(p for p, _ in self.touches))


@dataclass
class ConsolidatedAct:
    """A consolidated text: its tree (deleted content left out), the date it
    applies from, the amending acts it takes in (CELEX) and its marks."""

    root: Provision
    start_date: date
    celex: str                                  # "02024R1689-20260727"
    consolidates: tuple[str, ...]               # CELEX of the amending acts taken in
    marks: list[Mark]
    deleted: dict[ProvisionPath, str] = field(default_factory=dict)   # path -> text still printed in the file
    source: Path | None = None

    def index(self) -> dict[ProvisionPath, Provision]:
        return {node.path: node for node in self.root.walk() if node.path}


def consolidated_file(folder: Path) -> Path:
    """The ``CONS.ACT`` file of a consolidated text's folder (not its ``.doc``)."""
    found = sorted(p for p in folder.glob("*.xml") if not p.name.endswith(".doc.xml"))
    if len(found) != 1:
        raise UserError(f"{folder}: expected one CONS.ACT file, found {len(found)}")
    return found[0]


def parse_consolidated(folder: Path) -> ConsolidatedAct:
    """Parse the consolidated text in ``folder`` into a tree and its marks."""
    path = consolidated_file(folder)
    try:
        doc = etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        raise UserError(f"{path.name}: not well-formed Formex XML ({exc})") from None
    info = doc.find("INFO.CONSLEG")
    if doc.getroot().tag != "CONS.ACT" or info is None:
        raise UserError(f"{path.name}: not a Formex CONS.ACT with INFO.CONSLEG")
    marks, wrapped = _read_marks(doc.getroot())
    deleted: dict[ProvisionPath, str] = {}
    for mark in marks:
        if mark.action == "DELETED":
            for elem in wrapped[mark.id]:
                deleted[element_path(elem)] = norm(etree.tostring(elem, method="text", encoding="unicode"))
                _drop(elem)
    et_root = ET.fromstring(etree.tostring(doc.getroot()))   # processing instructions are not kept
    start = info.get("START.DATE", "")
    celexes = tuple(e.text for e in doc.iterfind("CONS.DOC/FAM.COMP/GR.MOD.ACT/MOD.ACT/BIB.DATA/NO.CELEX"))
    return ConsolidatedAct(_tree(et_root, path), date.fromisoformat(iso_date(start)),
                           f"0{info.get('CONSLEG.REF')}-{start}", celexes, marks, deleted, path)


def _tree(cons: ET.Element, path: Path) -> Provision:
    parser = Parser(path)
    root = Provision("act", ())
    doc = cons.find("CONS.DOC")
    for div in doc.findall("ENACTING.TERMS/DIVISION"):
        parser.division(div, root)
    root.segments.extend(parser.annex(annex) for annex in doc.findall("CONS.ANNEX"))
    return root


# --------------------------------------------------------------------- marks

def _read_marks(root) -> tuple[list[Mark], dict[str, list]]:
    order = {node: i for i, node in enumerate(root.iter())}
    ends = {}
    for node in order:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "CLG.MDFC":
            ends[dict(_ATTR.findall(node.text))["IDREF"]] = node
    spans = {}
    for node in root.iter():
        if not isinstance(node, etree._Element) or isinstance(node, etree._ProcessingInstruction):
            continue
        last = node
        for last in node.iter():
            pass
        spans[node] = (order[node], order[last])
    marks, wrapped = [], {}
    for node in order:
        if not (isinstance(node, etree._ProcessingInstruction) and node.target == "CLG.MDFO"):
            continue
        attrs = dict(_ATTR.findall(node.text))
        lo, hi = order[node], order[ends[attrs["ID"]]]
        inside = [e for e, (a, b) in spans.items() if lo < a and b < hi
                  and not isinstance(e, etree._Comment)]
        outer = [e for e in inside if e.getparent() not in inside]
        if outer:
            touches = tuple((element_path(e), element_part(e)) for e in outer)
            text = " ".join(etree.tostring(e, method="text", encoding="unicode", with_tail=False) for e in outer)
        else:
            touches = ((element_path(node.getparent()), "text"),)
            text = node.tail or ""
        marks.append(Mark(attrs["ID"], attrs["ACTION"], attrs["LEVEL"], attrs["COMMAND"], attrs["ACTIVE.DOC"],
                          attrs["ACTIVE.LOC"], touches, norm(text)))
        wrapped[attrs["ID"]] = outer
    return marks, wrapped


def element_path(elem) -> ProvisionPath:
    """The path of the provision an element of the ``CONS.ACT`` is (or lies in),
    by the rules of ``gpai_kg.sources.formex`` (subparagraphs only where a paragraph or
    article has several ``ALINEA``s; ``QUOT.S`` content is text of its holder)."""
    if elem.tag == "ITEM" and elem.find("NP") is not None:
        elem = elem.find("NP")
    steps: list[tuple[str, str]] = []
    chain = [elem] + list(elem.iterancestors())
    if any(e.tag == "QUOT.S" for e in chain[1:]):
        chain = chain[next(i for i, e in enumerate(chain) if e.tag == "QUOT.S"):]
    for e in reversed(chain):
        step = _step(e)
        if step:
            steps.append(step)
    return tuple(steps)


def _step(e) -> tuple[str, str] | None:
    tag = e.tag
    if tag == "CONS.ANNEX":
        return ("anx", re.match(r"ANNEX\s+([IVXL]+)", norm(e.findtext("TITLE/TI/P") or ""), re.I).group(1))
    if tag == "ARTICLE":
        return ("art", article_number(e.get("IDENTIFIER")))
    if tag == "PARAG":
        return ("par", label_number("".join(e.find("NO.PARAG").itertext())))
    if tag == "ALINEA":
        siblings = [s for s in e.getparent() if s.tag == "ALINEA"]
        return ("sub", str(siblings.index(e) + 1)) if len(siblings) > 1 else None
    if tag == "NP" and e.find("NO.P") is not None and e.getparent().tag != "TI":
        return ("pnt", label_number("".join(e.find("NO.P").itertext())))
    if tag == "GR.SEQ":
        heading = norm(inline_text(_et(e.find("TITLE/TI"))))
        m = re.match(r"Section\s+([0-9A-Z]+)", heading) or re.match(r"(\d+(?:\.\d+)*|[a-z])\.", heading)
        return ("sct" if heading.startswith("Section") else "pnt", m.group(1))
    return None


def element_part(elem) -> str:
    """Which part of its provision an element is: the whole (""), its
    ``heading``, its ``number``, the ``intro`` words before its points, or ``text``."""
    if _step(elem) or elem.tag in ("ITEM", "CONS.ANNEX"):
        return ""
    if elem.tag == "STI.ART":
        return "heading"
    if elem.tag == "NO.PARAG":
        return "number"
    following = next((s for s in elem.itersiblings() if not isinstance(s, etree._ProcessingInstruction)), None)
    if elem.tag == "P" and following is not None and following.tag == "LIST":
        return "intro"
    if elem.tag == "ALINEA":
        return ""
    return "text"


def _et(elem) -> ET.Element:
    return ET.fromstring(etree.tostring(elem, with_tail=False))


def _drop(elem) -> None:
    """Remove an lxml element, keeping the text after it."""
    parent, tail = elem.getparent(), elem.tail or ""
    prev = elem.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(elem)


def norm(text: str) -> str:
    return " ".join(text.split())
