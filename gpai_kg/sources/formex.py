"""Parse the Official Journal's Formex 4 XML of Regulation (EU) 2024/1689 into a
tree of provisions.

Formex 4 documentation: https://op.europa.eu/en/web/eu-vocabularies/formex
The act is one main file (title, preamble with ``CONSID`` recitals, enacting
terms with ``DIVISION`` chapters/sections and ``ARTICLE``s) and one file per
annex (``ANNEX`` › ``CONTENTS`` with ``GR.SEQ`` groups). Structure used:

    ARTICLE › TI.ART, STI.ART, (PARAG › NO.PARAG, ALINEA+ | ALINEA+)
              (IDENTIFIER "053"; an inserted article "004A" is Article 4a)
    ALINEA  › text | P, LIST, P… | P, QUOT.S (a quoted amendment: plain text)
    LIST    › ITEM › NP › NO.P, TXT, [P › LIST]        (points, sub-points)

A paragraph (or article) with several ``ALINEA``s has unnumbered
subparagraphs; with one, the alinea is the paragraph's own text. ``PARAG``s
inside ``QUOT.S`` (Articles 102–110) amend other acts: they stay text of the
amending article, never paragraphs of this Act.

Annex groups (``GR.SEQ``) are sections ("Section A"), numbered points
("1. Introduction") or lettered points ("a. AI systems subject to Annex I",
Annex XIV as Regulation (EU) 2026/1744 adds it); an annex title reads
"ANNEX XIV" in the OJ act and "Annex XIV" in an amending act's annex.

Text is verbatim and whitespace-normalised: footnotes (``NOTE``) are left out,
quotation marks restored from ``QUOT.START``/``QUOT.END`` codes, and
superscripts written ``10^25``.

``Parser`` builds provisions from elements, so the same tree comes out of the
OJ act, the new text an amending act quotes (``gpai_kg.sources.amending_act``)
and a consolidated text (``gpai_kg.sources.consolidated``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gpai_kg.citations import ProvisionPath
from gpai_kg.errors import UserError

MAIN_FILE = "L_202401689EN.000101.fmx.xml"
#: Annex files in order, Annex I to Annex XIII (from the package manifest ``.doc``).
ANNEX_FILES = tuple(f"L_202401689EN.0{n}01.fmx.xml" for n in
                    (124, 126, 127, 130, 132, 133, 134, 136, 138, 139, 141, 143, 144))

#: Formex elements whose content runs inline with the surrounding text.
_INLINE = {"HT", "DATE", "QUOT.START", "QUOT.END", "FT", "REF.DOC", "REF.DOC.OJ", "IE", "LINK", "NOTE"}


@dataclass
class Provision:
    """One node of the Act's tree. ``segments`` hold the node's text pieces and
    its parts in document order; ``label`` is the number as printed ("1.",
    "(a)")."""

    kind: str  # act chapter section article paragraph subparagraph point recital annex
    path: ProvisionPath
    number: str = ""
    label: str = ""
    title: str = ""
    heading: str = ""  # a heading printed above the text ("Section 1 Information to be …")
    segments: list[str | Provision] = field(default_factory=list)

    @property
    def parts(self) -> list[Provision]:
        return [s for s in self.segments if isinstance(s, Provision)]

    @property
    def own_text(self) -> str:
        """The node's own words, without its parts' text."""
        return norm(" ".join(s for s in self.segments if isinstance(s, str)))

    @property
    def text(self) -> str:
        """The whole text under the node, with the labels of its parts."""
        out = []
        for seg in self.segments:
            if isinstance(seg, str):
                out.append(seg)
            else:
                out.append(f"{seg.heading or seg.label} {seg.text}")
        return norm(" ".join(out))

    def walk(self) -> Iterator[Provision]:
        """This node and every node below it, in document order."""
        yield self
        for part in self.parts:
            yield from part.walk()


def norm(text: str) -> str:
    """Whitespace-normalised text (non-breaking spaces count as spaces)."""
    return " ".join(text.replace("\u00a0", " ").split())


def inline_text(elem: ET.Element) -> str:
    """The text of an element, structure flattened, footnotes dropped."""
    out: list[str] = []

    def visit(e: ET.Element) -> None:
        tag = e.tag
        if tag == "NOTE":
            pass
        elif tag in ("QUOT.START", "QUOT.END"):
            out.append(chr(int(e.get("CODE", "22"), 16)))
        elif tag == "HT" and e.get("TYPE") == "SUP":
            out.append("^" + "".join(e.itertext()))
        elif tag == "FT" and e.get("TYPE") == "NUMBER":  # printed with grouped digits: 15 000 000
            out.append(re.sub(r"(?<=\d)(?=(\d{3})+$)", " ", "".join(e.itertext()).strip()))
        else:
            if tag not in _INLINE:
                out.append(" ")
            out.append(e.text or "")
            for child in e:
                visit(child)
                out.append(child.tail or "")
            if tag not in _INLINE:
                out.append(" ")

    out.append(elem.text or "")
    for child in elem:
        visit(child)
        out.append(child.tail or "")
    # A quoted amendment is a block; the punctuation after its closing quote is not.
    return re.sub(r"([\u2019\u201d]) ([;,.])", r"\1\2", norm("".join(out)))


def label_number(label: str) -> str:
    """'(a)' -> 'a', '1.' -> '1', '3.1.' -> '3.1', '(63)' -> '63'."""
    return label.strip().strip("()").rstrip(".").strip()


_ARTICLE_ID = re.compile(r"(\d+)([A-Z]*)$")


def article_number(identifier: str) -> str:
    """An ``ARTICLE IDENTIFIER`` as the article's number: ``"004"`` -> ``"4"``,
    ``"004A"`` -> ``"4a"``; ``""`` if it is not one."""
    m = _ARTICLE_ID.match(identifier or "")
    return f"{int(m.group(1))}{m.group(2).lower()}" if m else ""


class Parser:
    """Builds ``Provision``s from the Formex elements of one source file
    (``source`` names it in errors)."""

    def __init__(self, source: Path):
        self.source = source

    def fail(self, what: str) -> UserError:
        return UserError(f"{self.source.name}: {what}")

    # --- blocks -------------------------------------------------------------
    def block(self, elem: ET.Element, parent: Provision) -> None:
        """Add an element's text and points to ``parent.segments``."""
        tag = elem.tag
        if tag == "LIST":
            for item in elem.findall("ITEM"):
                if elem.get("TYPE") == "DASH":  # the OJ prints an em dash before each item
                    parent.segments.append("\u2014")
                self.block(item, parent)
        elif tag == "ITEM":
            for child in elem:
                self.block(child, parent)
        elif tag == "NP" and elem.find("NO.P") is not None:
            label = "".join(elem.find("NO.P").itertext()).strip()
            point = Provision("point", parent.path + (("pnt", label_number(label)),), label_number(label), label)
            for child in elem:
                if child.tag != "NO.P":
                    self.block(child, point)
            parent.segments.append(point)
        elif tag in ("P", "TXT", "ALINEA", "NP") and any(c.tag in ("LIST", "P", "NP") for c in elem):
            if elem.text and elem.text.strip():
                parent.segments.append(elem.text)
            for child in elem:
                if child.tag in ("LIST", "P", "NP", "TXT"):
                    self.block(child, parent)
                else:
                    parent.segments.append(inline_text(_wrap(child)))
                if child.tail and child.tail.strip():
                    parent.segments.append(child.tail)
        elif tag == "GR.SEQ":
            self.group(elem, parent)
        else:
            parent.segments.append(inline_text(elem))

    def alineas(self, alineas: list[ET.Element], node: Provision) -> None:
        if len(alineas) == 1:
            self.block(alineas[0], node)
            return
        for n, alinea in enumerate(alineas, 1):
            sub = Provision("subparagraph", node.path + (("sub", str(n)),), str(n))
            self.block(alinea, sub)
            node.segments.append(sub)

    # --- the main file ------------------------------------------------------
    def article(self, elem: ET.Element) -> Provision:
        ident = elem.get("IDENTIFIER", "")
        number = article_number(ident)
        if not number:
            raise self.fail(f"ARTICLE without a numeric IDENTIFIER ({ident!r})")
        sti = elem.find("STI.ART")
        art = Provision("article", (("art", number),), number, title=inline_text(sti) if sti is not None else "")
        parags = elem.findall("PARAG")
        if parags:
            art.segments.extend(self.paragraph(p, art.path) for p in parags)
        else:
            self.alineas(elem.findall("ALINEA"), art)
        if not art.segments:
            raise self.fail(f"ARTICLE {ident} has no text")
        return art

    def paragraph(self, parag: ET.Element, parent: ProvisionPath) -> Provision:
        """A numbered ``PARAG`` as the paragraph below ``parent``."""
        no = parag.find("NO.PARAG")
        if no is None:
            raise self.fail(f"PARAG {parag.get('IDENTIFIER')} without NO.PARAG")
        label = "".join(no.itertext()).strip()
        par = Provision("paragraph", parent + (("par", label_number(label)),), label_number(label), label)
        self.alineas(parag.findall("ALINEA"), par)
        return par

    def subparagraph(self, alinea: ET.Element, path: ProvisionPath) -> Provision:
        """One ``ALINEA`` as the subparagraph at ``path`` (``…/sub_N``)."""
        sub = Provision("subparagraph", path, path[-1][1])
        self.block(alinea, sub)
        return sub

    def division(self, elem: ET.Element, parent: Provision) -> None:
        ti = elem.find("TITLE/TI")
        heading = inline_text(ti) if ti is not None else ""
        m = re.match(r"(CHAPTER|SECTION)\s+([IVXL]+|\d+)$", heading, re.IGNORECASE)
        if not m:
            raise self.fail(f"DIVISION with unexpected heading {heading!r}")
        kind = "chapter" if m.group(1).upper() == "CHAPTER" else "section"
        number = m.group(2)
        path = ((("cpt", number),) if kind == "chapter" else parent.path + (("sct", number),))
        sti = elem.find("TITLE/STI")
        node = Provision(kind, path, number, title=inline_text(sti) if sti is not None else "")
        for child in elem:
            if child.tag == "DIVISION":
                self.division(child, node)
            elif child.tag == "ARTICLE":
                node.segments.append(self.article(child))
        parent.segments.append(node)

    def recital(self, elem: ET.Element) -> Provision:
        no, txt = elem.find("NP/NO.P"), elem.find("NP/TXT")
        if no is None or txt is None:
            raise self.fail("CONSID without NP/NO.P and NP/TXT")
        number = label_number("".join(no.itertext()))
        rec = Provision("recital", (("rct", number),), number, "".join(no.itertext()).strip())
        self.block(txt, rec)
        return rec

    # --- annexes ------------------------------------------------------------
    def group(self, elem: ET.Element, parent: Provision) -> None:
        """A ``GR.SEQ``: an annex section ("Section 1", "Section A — …") or a
        numbered or lettered heading that is a point ("1. Introduction", "a. AI
        systems subject to Annex I")."""
        heading = inline_text(elem.find("TITLE/TI")) if elem.find("TITLE/TI") is not None else ""
        sti = elem.find("TITLE/STI")
        m = re.match(r"Section\s+([0-9A-Z]+)\s*[.—–-]?\s*(.*)$", heading)
        if m:
            node = Provision("section", parent.path + (("sct", m.group(1)),), m.group(1),
                             title=m.group(2) or (inline_text(sti) if sti is not None else ""))
        else:
            m = re.match(r"(\d+(?:\.\d+)*|[a-z])\.\s*(.*)$", heading)
            if not m:
                raise self.fail(f"GR.SEQ with unexpected heading {heading!r}")
            node = Provision("point", parent.path + (("pnt", m.group(1)),), m.group(1), f"{m.group(1)}.",
                             title=m.group(2))
        node.heading = norm(f"{heading} {inline_text(sti) if sti is not None else ''}")
        for child in elem:
            if child.tag != "TITLE":
                self.block(child, node)
        parent.segments.append(node)

    def annex(self, root: ET.Element) -> Provision:
        ti = root.find("TITLE/TI/P")
        heading = inline_text(ti) if ti is not None else ""
        m = re.match(r"ANNEX\s+([IVXL]+)\b", heading, re.IGNORECASE)
        if not m:
            raise self.fail(f"ANNEX without an 'ANNEX <roman>' title (found {heading!r})")
        sti = root.find("TITLE/STI")
        title = inline_text(sti) if sti is not None else norm(
            " ".join(inline_text(p) for p in root.findall("TITLE/TI/P")[1:]))
        node = Provision("annex", (("anx", m.group(1)),), m.group(1), title=title)
        contents = root.find("CONTENTS")
        if contents is None:
            raise self.fail(f"ANNEX {m.group(1)} without CONTENTS")
        for child in contents:
            self.block(child, node)
        return node


def _wrap(elem: ET.Element) -> ET.Element:
    """An inline element wrapped so ``inline_text`` reads it whole, tail excluded."""
    holder = ET.Element("_")
    clone = ET.Element(elem.tag, elem.attrib)
    clone.text, clone[:] = elem.text, list(elem)
    holder.append(clone)
    return holder


def load_xml(path: Path) -> ET.Element:
    """The root element of a Formex file; ``UserError`` naming the file if it
    is missing or not well-formed."""
    if not path.is_file():
        raise UserError(f"{path}: source file missing")
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise UserError(f"{path.name}: not well-formed Formex XML ({exc})") from None


@dataclass
class ParsedAct:
    """The Act as parsed: the tree plus its bibliographic facts."""

    root: Provision
    title: str
    date_document: str  # YYYY-MM-DD
    date_publication: str

    def provisions(self) -> Iterator[Provision]:
        """Every provision below the Act, in document order."""
        it = self.root.walk()
        next(it)
        return it


def parse_act(formex_dir: Path) -> ParsedAct:
    """Parse the Formex package in ``formex_dir`` into a ``ParsedAct``."""
    main_path = formex_dir / MAIN_FILE
    main = load_xml(main_path)
    parser = Parser(main_path)
    if main.tag != "ACT":
        raise parser.fail(f"root element is {main.tag}, expected ACT")
    title_el = main.find("TITLE/TI")
    date_el = main.find("BIB.INSTANCE/DATE")
    if title_el is None or date_el is None:
        raise parser.fail("missing TITLE/TI or BIB.INSTANCE/DATE")
    iso = date_el.get("ISO", "")
    act = Provision("act", ())
    consids = main.findall("PREAMBLE/GR.CONSID/CONSID")
    if not consids:
        raise parser.fail("no CONSID (recitals) in PREAMBLE/GR.CONSID")
    act.segments.extend(parser.recital(c) for c in consids)
    terms = main.find("ENACTING.TERMS")
    if terms is None:
        raise parser.fail("missing ENACTING.TERMS")
    for div in terms.findall("DIVISION"):
        parser.division(div, act)
    for name in ANNEX_FILES:
        path = formex_dir / name
        annex_parser = Parser(path)
        root = load_xml(path)
        if root.tag != "ANNEX":
            raise annex_parser.fail(f"root element is {root.tag}, expected ANNEX")
        act.segments.append(annex_parser.annex(root))
    doc = load_xml(formex_dir / "L_202401689EN.doc.fmx.xml")
    pub = doc.find("PUBLICATION.REF/DATE")
    if pub is None:
        raise Parser(formex_dir / "L_202401689EN.doc.fmx.xml").fail("missing PUBLICATION.REF/DATE")
    pub_iso = pub.get("ISO", "")

    return ParsedAct(act, norm(" ".join(inline_text(p) for p in title_el.findall("P"))), iso_date(iso),
                     iso_date(pub_iso))


def iso_date(formex: str) -> str:
    """A Formex ``ISO`` date attribute (``20240712``) as ``2024-07-12``."""
    return f"{formex[:4]}-{formex[4:6]}-{formex[6:8]}"
