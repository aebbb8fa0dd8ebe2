"""An act amending Regulation (EU) 2024/1689, parsed from its Formex 4 package:
title, dates, recitals and articles verbatim, and the amending points of the
article that amends 2024/1689.

Regulation (EU) 2026/1744 (Digital Omnibus on AI, OJ L, 2026/1744, 24.7.2026,
ELI http://data.europa.eu/eli/reg/2026/1744/oj) is the first. Its package is
the ``.doc`` manifest (ELI ``NO.ELI``, publication date ``PUBLICATION.REF``,
the main file ``DOC.MAIN.PUB/REF.PHYS``), the act (``L_202601744EN.000101``)
and its annex (``.003601``, the new Annex XIV of 2024/1689, included by
``INCL.ELEMENT`` from Article 1, point (43)). Authentic OJ text.

The amending article opens "Regulation (EU) 2024/1689 is amended as follows:"
and lists points; a point either carries one instruction with its quoted new
text (``QUOT.S``) or reads "… is amended as follows:" and lists sub-points
(a), (b), … that do. Each point is an ``AmendingPoint``, citable as
"Regulation (EU) 2026/1744, Article 1, point (22)(a)" (``cite``), with the
ELI-style IRI ``…/reg/2026/1744/art_1/pnt_22/pnt_a/oj`` (``AmendingAct.iri``).
Where an instruction lands in 2024/1689 is ``gpai_kg.builder.placement``'s job.

The articles are ``Provision`` trees like the original's; quoted new text
inside them is, as in Articles 102–110 of 2024/1689, text of the amending point.
The act enters into force on the day its final article names ("on the third
day following that of its publication": ``entry_into_force``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from gpai_kg.citations import ACT_CITATION, ProvisionPath
from gpai_kg.errors import UserError
from gpai_kg.sources.formex import Parser, Provision, article_number, inline_text, iso_date, load_xml, norm
from gpai_kg.sources.instructions import Instruction, read_instruction

#: Formex ``LEGAL.VALUE`` -> (the act's name in a citation, its CELEX type letter).
_LEGAL_VALUE = {"REG": ("Regulation (EU)", "R"), "DIR": ("Directive (EU)", "L"), "DEC": ("Decision (EU)", "D")}


@dataclass
class AmendingPoint:
    """One point (or sub-point) of the amending article."""

    act: str                      # the amending act's citation ("Regulation (EU) 2026/1744")
    path: ProvisionPath           # in the amending act: (("art","1"),("pnt","22"),("pnt","a"))
    instruction: Instruction      # the wording, read
    quoted: list[ET.Element]      # the QUOT.S blocks (or included annex root), as in the act
    subpoints: list[AmendingPoint] = field(default_factory=list)

    @property
    def number(self) -> str:
        """The point as it is numbered: "21", "22(a)"."""
        labels = [label for kind, label in self.path if kind == "pnt"]
        return labels[0] + "".join(f"({label})" for label in labels[1:])

    @property
    def text(self) -> str:
        """The instruction verbatim ("in Article 56, paragraph 6 is replaced by the following:")."""
        return self.instruction.text

    @property
    def kind(self) -> str:
        """The verb as worded: replaced, inserted, added, deleted or amended."""
        return self.instruction.kind

    @property
    def citation(self) -> str:
        return cite(self.act, self.path)

    @property
    def active_loc(self) -> str:
        """The point as a consolidated text's ``ACTIVE.LOC`` names it ("AR:1;PT:22;PT:a")."""
        return ";".join(("AR" if k == "art" else "PT") + ":" + v for k, v in self.path)

    def leaves(self) -> Iterator[AmendingPoint]:
        """The points that carry an instruction to apply (this one, or its sub-points)."""
        if self.subpoints:
            for sub in self.subpoints:
                yield from sub.leaves()
        else:
            yield self

    def walk(self) -> Iterator[AmendingPoint]:
        """This point and its sub-points, in order."""
        yield self
        for sub in self.subpoints:
            yield from sub.walk()


@dataclass
class AmendingAct:
    """An act amending Regulation (EU) 2024/1689, as parsed."""

    citation: str                 # "Regulation (EU) 2026/1744"
    eli: str                      # "http://data.europa.eu/eli/reg/2026/1744/oj"
    celex: str                    # "32026R1744"
    title: str
    date_document: date
    date_publication: date
    date_entry_into_force: date
    recitals: list[Provision]
    articles: list[Provision]
    points: list[AmendingPoint]   # the amending article's points, in order
    source_dir: Path
    main_file: str

    def leaves(self) -> Iterator[AmendingPoint]:
        for point in self.points:
            yield from point.leaves()

    def iri(self, path: ProvisionPath) -> str:
        """The ELI-style IRI of a provision of this act (``…/2026/1744/art_1/pnt_21/oj``)."""
        if not path:
            return self.eli
        return self.eli.removesuffix("oj") + "/".join(f"{k}_{v}" for k, v in path) + "/oj"

    def provisions(self) -> Iterator[Provision]:
        """Every recital and article, and every part of an article, in document order."""
        yield from self.recitals
        for article in self.articles:
            yield from article.walk()


def cite(act: str, path: ProvisionPath) -> str:
    """The citation of a provision of an amending act, in the Official
    Journal's style for amending points: "Regulation (EU) 2026/1744, Article
    1, point (22)(a)"; "…, Article 4"; "…, Recital 5"."""
    if not path:
        return act
    if path[0][0] == "rct":
        return f"{act}, Recital {path[0][1]}"
    text = f"{act}, Article {path[0][1]}"
    rest = list(path[1:])
    if rest and rest[0][0] == "par":
        text += f"({rest.pop(0)[1]})"
    if rest and rest[0][0] == "sub":
        text += f", subparagraph {rest.pop(0)[1]}"
    points = [label for kind, label in rest if kind == "pnt"]
    if points:
        text += ", point " + "".join(f"({label})" for label in points)
    return text


# ------------------------------------------------------------------ dates

_UNITS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
          "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth").split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
_TENTHS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60}


def ordinal_value(word: str) -> int:
    """An English ordinal word as a number: "third" -> 3, "twentieth" -> 20,
    "twenty-first" -> 21."""
    word = word.lower()
    if word in _UNITS:
        return _UNITS.index(word) + 1
    if word in _TENTHS:
        return _TENTHS[word]
    tens, _, unit = word.partition("-")
    if tens in _TENS and unit in _UNITS[:9]:
        return _TENS[tens] + _UNITS.index(unit) + 1
    raise UserError(f"not an ordinal number: {word!r}")


_IN_FORCE = re.compile(r"shall enter into force on the ([a-z-]+) day following that of its publication")


def entry_into_force(provisions: Iterator[Provision] | list[Provision], published: date) -> date:
    """The date of entry into force, from the one provision that says "shall
    enter into force on the Nth day following that of its publication" (day
    of publication + N)."""
    found = {m.group(1) for p in provisions for m in [_IN_FORCE.search(p.own_text)] if m}
    if len(found) != 1:
        raise UserError(f"expected one entry-into-force rule ('{_IN_FORCE.pattern}'), found {sorted(found)}")
    return published + timedelta(days=ordinal_value(found.pop()))


# ------------------------------------------------------------------ parsing

def _points(act: str, items: list[ET.Element], parent: ProvisionPath, source: Path) -> list[AmendingPoint]:
    out = []
    for item in items:
        np = item.find("NP")
        number = "".join(np.find("NO.P").itertext()).strip().strip("()")
        path = parent + (("pnt", number),)
        point = AmendingPoint(act, path, read_instruction(norm(inline_text(np.find("TXT")))),
                              [_included(q, source) for q in np.iterfind("P/QUOT.S")])
        sub = np.find("P/LIST")
        if sub is not None:
            if point.kind != "amended":
                raise UserError(f"{point.citation}: sub-points under a {point.kind!r} instruction")
            point.subpoints = _points(act, sub.findall("ITEM"), path, source)
        out.append(point)
    return out


def _included(quot: ET.Element, source: Path) -> ET.Element:
    """A ``QUOT.S`` block; one that only includes another file (an annex)
    stands for that file's root element."""
    incl = quot.find("INCL.ELEMENT")
    if incl is not None and len(quot) == 1:
        return load_xml(source.parent / incl.get("FILEREF"))
    return quot


def _manifest(folder: Path) -> ET.Element:
    docs = sorted(folder.glob("*.doc.fmx.xml"))
    if len(docs) != 1:
        raise UserError(f"{folder}: expected one Formex manifest (*.doc.fmx.xml), found {len(docs)}")
    return load_xml(docs[0])


def parse_amending_act(folder: Path) -> AmendingAct:
    """Parse the Formex package of an act amending 2024/1689 in ``folder``."""
    doc = _manifest(folder)
    ref = doc.find("FMX/DOC.MAIN.PUB/REF.PHYS")
    eli = doc.find("BIB.DOC/NO.ELI")
    pub = doc.find("PUBLICATION.REF/DATE")
    kind = doc.findtext("FMX/DOC.MAIN.PUB/LEGAL.VALUE", "")
    year, number = doc.findtext("BIB.DOC/NO.DOC/YEAR", ""), doc.findtext("BIB.DOC/NO.DOC/NO.CURRENT", "")
    if ref is None or eli is None or pub is None or kind not in _LEGAL_VALUE or not (year and number):
        raise UserError(f"{folder}: manifest without main file, ELI, publication date, legal value or number")
    name, letter = _LEGAL_VALUE[kind]
    citation = f"{name} {year}/{number}"
    main_path = folder / ref.get("FILE")
    main = load_xml(main_path)
    parser = Parser(main_path)
    articles = [parser.article(a) for a in main.findall("ENACTING.TERMS/ARTICLE")]
    amending = [a for a in main.findall("ENACTING.TERMS/ARTICLE") if a.find("ALINEA/P") is not None
                and norm(inline_text(a.find("ALINEA/P"))) == f"{ACT_CITATION} is amended as follows:"]
    if len(amending) != 1:
        raise UserError(f"{main_path.name}: no article says '{ACT_CITATION} is amended as follows:'")
    points = _points(citation, amending[0].findall("ALINEA/LIST/ITEM"),
                     (("art", article_number(amending[0].get("IDENTIFIER", ""))),), main_path)
    published = date.fromisoformat(iso_date(pub.get("ISO", "")))
    return AmendingAct(
        citation=citation, eli=eli.get("ID"), celex=f"3{year}{letter}{int(number):04d}",
        title=norm(" ".join(inline_text(p) for p in main.findall("TITLE/TI/P"))),
        date_document=date.fromisoformat(iso_date(main.find("BIB.INSTANCE/DATE").get("ISO", ""))),
        date_publication=published,
        date_entry_into_force=entry_into_force([p for a in articles for p in a.walk()], published),
        recitals=[parser.recital(c) for c in main.findall("PREAMBLE/GR.CONSID/CONSID")],
        articles=articles, points=points, source_dir=folder, main_file=ref.get("FILE"))


def amending_acts(folder: Path) -> list[AmendingAct]:
    """Every amending act under ``folder`` (one package per sub-folder), in
    the order they entered into force."""
    if not folder.is_dir():
        return []
    acts = [parse_amending_act(sub) for sub in sorted(p for p in folder.iterdir() if p.is_dir())]
    return sorted(acts, key=lambda a: (a.date_entry_into_force, a.celex))
