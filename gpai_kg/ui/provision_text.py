"""A provision laid out as EUR-Lex prints it: numbered paragraphs, indented
points, sub-points under them, never one wall of text.

The graph keeps each provision's whole text (``gpai:text``: its own words
and those of its parts, in order) and its parts (``eli:has_part``, with
``eli:number``). ``own_words`` splits a text around its parts' texts: the
words before the first part (the chapeau, "Providers of general-purpose AI
models shall:"), between two parts, and after the last (a closing
subparagraph). ``layout`` turns the tree into HTML; every word of the law is
escaped (``html.escape``), so the text shows as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

#: How each kind of part is numbered in the Official Journal: "1." for a paragraph, "(a)" for a point.
_LABELS = {"Paragraph": "{}.", "Point": "({})"}
STYLE = """<style>
.prov { font-family: "Source Serif Pro", Georgia, serif; line-height: 1.55; }
.prov p { margin: 0 0 .55em 0; }
.prov .part { display: flex; gap: .6em; margin: 0 0 .45em 0; }
.prov .num { flex: 0 0 2.4em; text-align: right; color: #333; }
.prov .body { flex: 1 1 auto; min-width: 0; }
.prov .sub { margin-left: 0; }
.prov h4 { font-size: 1.05em; margin: .9em 0 .5em 0; text-align: center; }
</style>"""


@dataclass
class Part:
    """One provision in the layout: its number as printed, its own words, its parts."""

    kind: str
    number: str | None
    text: str  # its own words before its parts (all of them when it has none)
    parts: list[Part] = field(default_factory=list)
    citation: str = ""
    tail: str = ""  # its own words after its parts

    title: str | None = None

    @property
    def label(self) -> str:
        """The number as printed: "1." (a paragraph; a numbered point of an annex), "(a)", "(i)", "(63)"
        (a point of an article); none for a subparagraph; a section is a heading instead."""
        if not self.number or self.kind not in _LABELS:
            return ""
        if self.kind == "Point" and self.citation.startswith("Annex") and re.fullmatch(r"\d+(?:\.\d+)*",
                                                                                      self.number):
            return f"{self.number}."
        return _LABELS[self.kind].format(self.number)

    @property
    def heading(self) -> str:
        """How a section is headed in the Official Journal: "Section 1" and its title."""
        if self.kind != "Section":
            return ""
        return " ".join(x for x in (f"Section {self.number}" if self.number else "", self.title or "") if x)


def own_words(whole: str, parts: list[str], headings: list[str] | None = None) -> list[str]:
    """The words of ``whole`` around its parts' texts: [before the first, between each two, after the last]
    (len(parts) + 1 pieces), each without the number of the part that follows ("(a)", "1.") or its
    heading (``headings``, one per part: "Section 1 Information to be provided …")."""
    pieces, rest = [], whole
    for i, text in enumerate(parts):
        heading = (headings or [""] * len(parts))[i]
        at = rest.find(text) if text else -1
        if at < 0:  # a part whose text is not in its parent's as written: keep the rest whole
            pieces.append(rest)
            rest = ""
            continue
        before = rest[:at].rstrip()
        if heading and before.endswith(heading):
            before = before[:-len(heading)]
        pieces.append(re.sub(r"\s*(?:\(\w{1,6}\)|\d+(?:\.\d+)*\.?)\s*$", "", before).strip())
        rest = rest[at + len(text):]
    pieces.append(rest.strip())
    return pieces


def _words(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip())


def build(iri: str, texts: dict[str, str], children: dict[str, list[tuple]], kind: str = "",
          number: str | None = None, citation: str = "", title: str | None = None) -> Part:
    """The layout of ``iri``: ``texts`` maps each provision to its whole text, ``children`` each to its parts
    in order as (iri, kind, number, citation, title)."""
    below = [build(c, texts, children, *rest) for c, *rest in children.get(iri, [])]
    pieces = own_words(texts.get(iri, ""), [texts.get(c, "") for c, *_ in children.get(iri, [])],
                       [part.heading for part in below])
    for part, between in zip(below, pieces[1:-1]):
        part.tail = " ".join(x for x in (part.tail, between) if x)
    return Part(kind, number, pieces[0], below, citation, pieces[-1] if below else "", title)


def _html(part: Part) -> str:
    inner = _words(part.text) + "".join(_html(p) for p in part.parts) + _words(part.tail)
    if part.heading:
        return f'<div class="section"><h4>{escape(part.heading)}</h4>{inner}</div>'
    if not part.label:
        return f'<div class="sub">{inner}</div>'
    return (f'<div class="part" id="{escape(part.citation, quote=True)}"><span class="num">{escape(part.label)}'
            f'</span><div class="body">{inner}</div></div>')


def layout(root: Part) -> str:
    """The provision as HTML: its own words, then each part numbered and indented under it."""
    return (STYLE + '<div class="prov">' + _words(root.text) + "".join(_html(p) for p in root.parts)
            + _words(root.tail) + "</div>")
