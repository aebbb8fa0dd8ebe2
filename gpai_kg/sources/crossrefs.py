"""Cross-references in the text of Regulation (EU) 2024/1689, found and resolved.

A reference is a phrase that names provisions of this Act ("Article 53(1),
points (a) and (b)", "paragraph 2 of this Article", "points 2 (d) and (e)
thereof") or another act ("Article 4(3) of Directive (EU) 2019/790",
"Article 16 TFEU"). ``find_references`` returns each phrase with its offsets,
the paths of this Act it names (the most specific provision that exists, as
``CitationIndex`` knows it) and the IRIs of the other acts it names. A
provision of another act links to that act only, never to the provision of
this Act with the same number.

Grammar (Official Journal drafting style; one regular expression cuts the text
into tokens, ``_phrase`` reads them):

    phrase := chain ((, | and | or) chain | , (2) to (6))* (of chain)* [anchor]
    chain  := head (label list) extension*   e.g. Article 5(1), first subparagraph, point (h)
    head   := Article | Annex | Chapter | Section | paragraph | point | Recital
              | "the first subparagraph" | "this Article" | ...
    anchor := of/to <act> | <act> (TFEU, TEU) | of this Regulation
              | of that Regulation/Directive/Decision | thereof

Big-endian chains ("Article 53(1), point (a)") and little-endian ones joined by
"of" ("point 3 of Section A of Annex VIII") mix freely. A coordinated chain
keeps the outer levels of the one before ("Section B, points 1 to 5, and points
8 and 9": both in Section B); a bare "(2) to (6)" after "point (h)" replaces the
deepest level where the result exists ("Article 5(1), first subparagraph, point
(h), (2) to (6)": paragraphs 2 to 6). Relative chains resolve from the
provision the text belongs to upwards ("paragraph 1", "point (a)", "the first
subparagraph"), then from the enclosing section and chapter (``enclosing``,
for "Section 2" in an article of Chapter III), then from the provision named
last ("with the exception of points 6, 8 and 9"). "thereof" and "that
Regulation" refer back to the last thing (the last act of that kind) named in
the same text; acts listed inside another act's full title ("… amending
Regulation X (OJ …)") are references but not antecedents.

"this Article", "this paragraph" are references too (to the provision that
holds the text or its ancestor); "this Regulation" alone is not.

Amending provisions (Articles 102 to 110): in a text that amends another act
("In Article 8 of Directive 2014/90/EU, the following paragraph is added: …",
or the points under "Regulation (EU) 2018/1139 is amended as follows"), every
reference without an act of its own ("Article 17", "paragraph 1", "the first
subparagraph") belongs to the amended act.

IRIs of other acts: ELI ``http://data.europa.eu/eli/{type}/{year}/{number}/oj``
(type ``reg``, ``dir``, ``dec``, ``dec_framw``, ``reco``, ``reg_impl``,
``reg_del``; old style "Regulation (EC) No 300/2008" is number/year, the rest
year/number). The Treaties and the Charter have no ELI; they get CELEX-based
IRIs (``gpai_kg.namespaces.CELEX``) of their latest consolidated versions
(OJ C 202, 7.6.2016): TEU ``12016M/TXT``, TFEU ``12016E/TXT``, the Charter
``12016P/TXT``, Protocol No N ``12016E/PRO/N``. Acts named without a number
("Commission Decision of 24 January 2024", "a regulation … on horizontal
cybersecurity requirements") are not found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import product

from gpai_kg.citations import ORDINALS, CitationIndex, ProvisionPath, format_citation
from gpai_kg.namespaces import ACT_IRI, CELEX
from gpai_kg.sources.formex import ParsedAct, Provision


@dataclass(frozen=True)
class Reference:
    phrase: str                     # the reference phrase as it stands in the text
    start: int                      # offsets in the text passed in
    end: int
    targets: tuple[ProvisionPath, ...]       # provisions of THIS Act it names (most specific that exists)
    external: tuple[str, ...]       # IRIs of OTHER acts it names
    unresolved: tuple[str, ...]     # pieces it could not resolve (empty when fully resolved)


@dataclass
class CrossRefReport:
    phrases: int
    resolved: int
    unresolved: list[tuple[str, str]] = field(default_factory=list)  # (source citation, phrase)


# ------------------------------------------------------------------ tokens
_ORD = "|".join(ORDINALS)
#: One act number: "(EU) 2019/1020", "(EC) No 300/2008", "2014/90/EU", "No 768/2008/EC".
_ACT_NO = r"(?:\((?:EU|EC|EEC|EU,\s*Euratom|Euratom)\)\s+)?(?:No\s+)?\d+/\d+(?:/(?:EU|EC|EEC|JHA|CFSP|Euratom))?"
#: An act: "Council Framework Decision 2002/584/JHA", "Regulations (EU) 2016/679 and (EU) 2018/1725",
#: the Treaties, the Charter, a Protocol annexed to the Treaties.
_ACT = (r"\b(?:(?:Council|Commission)\s+)?(?:(?:Implementing|Delegated)\s+)?(?:Framework\s+)?"
        r"(?:Regulation|Directive|Decision|Recommendation)s?\s+" + _ACT_NO
        + r"(?:(?:,\s*|\s+and\s+)" + _ACT_NO + ")*"
        r"|\b(?:the\s+)?Treaty\s+on\s+the\s+Functioning\s+of\s+the\s+European\s+Union(?:\s*\(TFEU\))?"
        r"|\b(?:the\s+)?Treaty\s+on\s+European\s+Union(?:\s*\(TEU\))?"
        r"|\b(?:the\s+)?(?:TFEU|TEU)\b"
        r"|\b(?:the\s+)?Charter\s+of\s+Fundamental\s+Rights\s+of\s+the\s+European\s+Union|\bthe\s+Charter\b"
        r"|\bProtocol\s+No\s+\d+")
_HEADS = r"Articles?|Annex(?:es)?|Chapters?|[Ss]ections?|[Pp]aragraphs?|[Pp]oints?|Recitals?|Title|Part"
_THIS = (r"\b(?:[Tt]his|that)\s+(?:Article|Chapter|Section|Annex|paragraph|subparagraph|point"
         r"|Regulation|Directive|Decision)\b")
_ORDINAL = rf"\b(?:[Tt]he\s+)?(?:{_ORD})(?:\s+and\s+(?:the\s+)?(?:{_ORD}))?\s+(?:sub)?paragraphs?\b"
#: Where a reference may start (a cheap search; ``_TOKEN`` and ``_phrase`` decide).
_START = re.compile(rf"{_ACT}|{_THIS}|{_ORDINAL}|\b(?:{_HEADS})\s+[\dIVXLA-Z(]")
_TOKEN = re.compile(rf"""\s*(?:
    (?P<act>{_ACT})
  | (?P<this>{_THIS})
  | (?P<thereof>\bthereof\b)
  | (?P<ord>{_ORDINAL})
  | (?P<annexto>\b[Tt]he\s+Annex\s+to\b)       # "point (8) of the Annex to Directive (EU) 2022/2557"
  | (?P<kw>\b(?:{_HEADS})\b)
  | (?P<paren>\(\s*(?:\d+|[a-z]{{1,4}})\s*\))   # (1) (a) (iii) (63)
  | (?P<label>\b(?:\d+(?:\.\d+)+\.?|[A-Z]?\d+[a-z]?|[IVXL]+|[A-Z]|Three)(?![\w/]))  # 4.3. 2a R23 XI A
  | (?P<conj>,|\band/or\b|\band\b|\bor\b)
  | (?P<to>\bto\b|(?<=\))[-\u2013](?=\())     # "(2) to (6)", "(d)-(j)"
  | (?P<of>\bof\b)
  | (?P<other>[^\s,()]+|[()])
)""", re.VERBOSE)
_KINDS = {"article": "art", "annex": "anx", "annexe": "anx", "chapter": "cpt", "section": "sct",
          "paragraph": "par", "subparagraph": "sub", "point": "pnt", "recital": "rct", "title": "ttl",
          "part": "prt"}
#: Heads that do not hang below the provision the text belongs to.
_ABSOLUTE = {"art", "anx", "cpt", "rct", "ttl", "prt", "this"}
#: Depth of a level, for "of X" applying to the coordinated chains before it.
_RANK = {"art": 0, "anx": 0, "cpt": 0, "rct": 0, "ttl": 0, "prt": 0, "sct": 1, "par": 2, "sub": 3,
         "pnt": 4, "?": 4, "opar": 5}
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


@dataclass
class _Tok:
    type: str
    text: str
    start: int
    end: int


def _tokens(text: str, pos: int, limit: int = 80) -> list[_Tok]:
    """Tokens from ``pos`` up to and including the first word no reference contains."""
    toks: list[_Tok] = []
    while len(toks) < limit and (m := _TOKEN.match(text, pos)) and m.end() > pos:
        kind = m.lastgroup
        toks.append(_Tok(kind, m.group(kind), m.start(kind), m.end()))
        pos = m.end()
        if kind == "other":
            break
    return toks


def _kind(word: str) -> str:
    return _KINDS.get(word.lower().rstrip("s"), "")


# ------------------------------------------------------------------ acts
_NO = re.compile(r"(?P<no>No\s+)?(?P<a>\d+)/(?P<b>\d+)")


def _act_iris(text: str) -> list[str]:
    """IRIs of the acts one act token names ("Regulations (EU) 2016/679 and (EU) 2018/1725": two)."""
    if "Charter" in text:
        return [str(CELEX["12016P/TXT"])]
    if "TFEU" in text or "Functioning" in text:
        return [str(CELEX["12016E/TXT"])]
    if "TEU" in text or "Treaty" in text:
        return [str(CELEX["12016M/TXT"])]
    if text.startswith("Protocol"):
        return [str(CELEX[f"12016E/PRO/{text.split()[-1]}"])]
    kind = ("dec_framw" if "Framework" in text else "reco" if "Recommendation" in text
            else "dir" if "Directive" in text else "dec" if "Decision" in text else "reg")
    kind += "_impl" if "Implementing" in text else "_del" if "Delegated" in text else ""
    iris = []
    for m in _NO.finditer(text):
        year, number = (m["b"], m["a"]) if m["no"] else (m["a"], m["b"])
        if len(year) == 2:
            year = ("19" if int(year) >= 50 else "20") + year
        iris.append(f"http://data.europa.eu/eli/{kind}/{year}/{int(number)}/oj")
    return iris


def _act_type(text: str) -> str:
    return next((t for t in ("Regulation", "Directive", "Decision") if t in text), "")


# ------------------------------------------------------------------ parsing
Level = tuple[str, list]  # (kind, items); an item is a label or a (first, last) range
Chain = list[Level]       # outer to inner: [("art", ["5"]), ("?", ["1"]), ("sub", ["1"]), ("pnt", ["h"])]


def _label(tok: _Tok) -> str:
    return tok.text.strip("()").strip().rstrip(".")


def _style(label: str) -> str:
    return "9" if label[:1].isdigit() else "a" if label.islower() else "A"


def _labels(toks: list[_Tok], j: int, parens: bool, plural: bool) -> tuple[list, int]:
    """Labels from ``toks[j]`` on: "1", "(a) and (b)", "102 to 110", "1, 6 and 7".
    A comma list after a singular word ("point 1, 6 or 7") must end in and/or."""
    want = "paren" if parens else "label"
    items: list = [_label(toks[j])]
    j += 1
    undo = None  # (items, j) before a run of commas after a singular word
    while j + 1 < len(toks):
        k = j + 1 if toks[j].text == "," and toks[j + 1].text in ("and", "or") else j
        sep, nxt = toks[k], toks[k + 1] if k + 1 < len(toks) else None
        if (nxt is None or nxt.type != want or sep.type not in ("conj", "to")
                or _style(_label(nxt)) != _style(str(items[-1]))):
            break
        if sep.text == "," and not (plural or parens):
            undo = undo or (list(items), j)
        elif sep.text != ",":
            undo = None
        items[-1:] = [(items[-1], _label(nxt))] if sep.type == "to" else [items[-1], _label(nxt)]
        j = k + 2
    return undo or (items, j)


def _chain(toks: list[_Tok], j: int) -> tuple[Chain, int] | None:
    """A big-endian chain from ``toks[j]``: "Article 5(1), first subparagraph, point (h)"."""
    t = toks[j]
    if t.type == "kw" and j + 1 < len(toks) and toks[j + 1].type in ("label", "paren"):
        kind = _kind(t.text)
        if toks[j + 1].type == "paren" and kind not in ("par", "pnt"):
            return None
        items, j = _labels(toks, j + 1, toks[j + 1].type == "paren", t.text.endswith("s"))
        levels: Chain = [(kind, items)]
    elif t.type == "ord":
        words = t.text.lower().split()
        kind = "sub" if words[-1].startswith("sub") else "opar"
        levels, j = [(kind, [str(ORDINALS.index(w) + 1) for w in words if w in ORDINALS])], j + 1
    elif t.type == "this" and t.text[:4].lower() == "this" and _kind(t.text.split()[-1]):
        levels, j = [("this", [_kind(t.text.split()[-1])])], j + 1
    else:
        return None
    while j < len(toks):  # extensions: (1), point (a), first subparagraph, Section 2
        t = toks[j]
        if t.type == "paren" and levels[-1][0] != "this":
            items, j = _labels(toks, j, True, True)
            levels.append(("?", items))
            continue
        k = j + 1 if t.text == "," else j
        u = toks[k] if k < len(toks) else None
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if u and nxt and u.type == "kw" and nxt.type in ("label", "paren") and (
                _kind(u.text) == "pnt" or _kind(u.text) == "sct" and levels[0][0] in ("cpt", "anx")):
            items, j = _labels(toks, k + 1, nxt.type == "paren", u.text.endswith("s"))
            levels.append((_kind(u.text), items))
        elif u and k > j and u.type == "ord" and "sub" in u.text:
            levels.append(_chain(toks, k)[0][0])
            j = k + 1
        else:
            break
    return levels, j


def _split_last(chain: Chain) -> list[Chain]:
    """A deeper level written right after the last of several labels belongs to
    that label only: "Article 60(2), (3), (4)(d)-(j)" is Article 60(2) and (3),
    and Article 60(4), points (d) to (j)."""
    for n, (kind, items) in enumerate(chain[:-1]):
        if kind == "?" and len(items) > 1 and chain[n + 1][0] == "?":
            return [chain[:n] + [(kind, items[:-1])], *_split_last(chain[:n] + [(kind, items[-1:])] + chain[n + 1:])]
    return [chain]


def _of(cites: list[Chain], outer: Chain) -> None:
    """Put ``outer`` ("of Annex VIII") above the last chain and above those before it
    that sit deeper than it ("Section B, points 1 to 5, and points 8 and 9 of Annex VIII")."""
    kind, items = outer[-1]
    rank = _RANK[items[0] if kind == "this" else kind]
    for n in range(len(cites) - 1, -1, -1):
        if cites[n][0][0] in _ABSOLUTE or (n < len(cites) - 1 and _RANK[cites[n][0][0]] <= rank):
            break
        cites[n] = outer + cites[n]


def _phrase(toks: list[_Tok]) -> tuple[list[Chain] | None, _Tok | None, int] | None:
    """Read one reference from ``toks[0]``: (chains, anchor, tokens used), or None.
    The anchor names the act the chains belong to (an act, "this/that Regulation",
    "thereof"); a lone act is a reference with no chains."""
    if toks[0].type == "act":
        return None, toks[0], 1
    first = _chain(toks, 0)
    if first is None:
        return None
    cites, j = _split_last(first[0]), first[1]
    anchor = None
    undo = None  # (chains, j) before a comma that no "and"/"or" has closed yet
    while j < len(toks):
        t = toks[j]
        k = j + 1 + (t.text == "," and j + 1 < len(toks) and toks[j + 1].text in ("and", "or"))
        if t.type == "conj" and k < len(toks):
            state = (list(cites), j)
            nxt = _chain(toks, k)
            if nxt and nxt[0][0][0] != "this":  # "…, Article 5(2)", "… and paragraphs 2 and 3"
                head = nxt[0][0][0]
                at = [n for n, lvl in enumerate(cites[-1]) if lvl[0] == head and head not in _ABSOLUTE]
                cites.extend(_split_last(cites[-1][:at[-1]] + nxt[0] if at else nxt[0]))
                j = nxt[1]
            elif toks[k].type == "paren" and (cites[-1][-1][0] not in ("?", "this") or (
                    cites[-1][-1][0] == "?" and _style(_label(toks[k])) != _style(str(cites[-1][-1][1][-1])))):
                items, j = _labels(toks, k, True, True)  # "point (h), (2) to (6)"
                cites.append(cites[-1] + [("alt", items)])
            if j != state[1]:
                undo = (undo or state) if k == state[1] + 1 and t.text == "," else None
                continue
        k = j + 1 if t.text == "," else j
        u = toks[k] if k < len(toks) else None
        v = toks[k + 1] if k + 1 < len(toks) else None
        if u and v and u.type == "of" and (outer := _chain(toks, k + 1)):
            _of(cites, outer[0])
            j = outer[1]
            continue
        if u and v and u.type in ("of", "to") and (v.type == "act" or v.type == "this" and _act_type(v.text)):
            anchor, j = v, k + 2
        elif u and v and u.type == "of" and v.type == "annexto" and k + 2 < len(toks) \
                and toks[k + 2].type == "act":
            anchor, j = toks[k + 2], k + 3
        elif u and u.type == "thereof":
            anchor, j = u, k + 1
        elif t.type == "act" and t.text in ("TFEU", "TEU"):  # "Article 16 TFEU"
            anchor, j = t, j + 1
        break
    if undo:  # "paragraph 2 of this Article, Article 79(5) to (9) shall apply": two references
        (cites, j), anchor = undo, None
    return cites, anchor, j


# ------------------------------------------------------------------ resolution
def _range(first: str, last: str) -> list[str]:
    if first.isdigit() and last.isdigit():
        return [str(n) for n in range(int(first), int(last) + 1)]
    if first in _ROMAN and last in _ROMAN and (first == "i" or len(first + last) > 2):
        return list(_ROMAN[_ROMAN.index(first):_ROMAN.index(last) + 1])
    if len(first) == len(last) == 1:
        return [chr(c) for c in range(ord(first), ord(last) + 1)]
    return [first, last]


def _step(index: CitationIndex, node: ProvisionPath, kind: str, label: str, head: bool) -> list[ProvisionPath]:
    """Children of ``node`` one loose step names (``CitationIndex.step`` plus the
    Act's habits: "Article 113(3)" for its third subparagraph, "Annex XI, point 2"
    for a point in the annex's sections, "first subparagraph" of a single block)."""
    children = index.children.get(node, [])
    if kind == "opar" or (kind == "sub" and not head and not any(c[-1][0] == "sub" for c in children)):
        return [node]
    found = index.step(node, kind, label.upper() if kind in ("anx", "cpt") else label)
    if not found and kind == "?":
        found = index.step(node, "sub", label)
    if not found and kind in ("pnt", "?"):
        found = [g for c in children if c[-1][0] == "sct" for g in index.step(c, kind, label)]
    return found


def _walk(index: CitationIndex, base: ProvisionPath, chain: Chain) -> tuple[list[ProvisionPath], list[str]]:
    """Resolve every combination of labels in ``chain`` below ``base``: (found, failed)."""
    expanded = [[(kind, lbl) for item in items
                 for lbl in (_range(*item) if isinstance(item, tuple) else [item])] for kind, items in chain]
    found, failed = [], []
    for combo in product(*expanded):
        frontier = [base]
        for n, (kind, label) in enumerate(combo):
            frontier = [x for f in frontier for x in _step(index, f, kind, label, n == 0)]
        if len(frontier) == 1 and frontier[0] != base:
            found.append(frontier[0])
        else:
            failed.append(" ".join(f"{k} {lbl}" for k, lbl in combo))
    return found, failed


def _resolve(index: CitationIndex, chain: Chain, bases: list[ProvisionPath]) -> tuple[list[ProvisionPath], list[str]]:
    """Resolve ``chain`` under the first base where it resolves completely. A final
    "alt" level replaces a level of the chain before it, the deepest that works."""
    if chain[-1][0] == "alt":
        candidates = [chain[:n] + [("?", chain[-1][1])] for n in range(len(chain) - 2, -1, -1)]
    else:
        candidates = [chain]
    first = None
    for base in bases:
        for cand in candidates:
            found, failed = _walk(index, base, cand)
            if not failed:
                return found, []
            first = first or (found, failed)
    return first or ([], ["no provision"])


def _this(kind: str, context: ProvisionPath, enclosing: Mapping[ProvisionPath, tuple[ProvisionPath, ...]]) -> ProvisionPath | None:
    """The provision "this Article/Section/paragraph…" means in ``context``."""
    for k in range(len(context), 0, -1):
        if context[k - 1][0] == kind:
            return context[:k]
    outer = [p for p in enclosing.get(context[:1], ()) if p[-1][0] == kind]
    if outer:
        return outer[0]
    if kind in ("sub", "pnt"):  # "this subparagraph" in a paragraph that has only one
        return _this("par", context, enclosing) or context[:1] or None
    return context[:1] if kind == "par" and context[:1] else None


class _Antecedents:
    """What "that Regulation" and "thereof" point back to, in the order of the text.
    Acts listed inside another act's full title (up to its "(OJ …)") do not count."""

    _TITLE = re.compile(r"\s+of\s+(?:the European Parliament and of the Council\s+of\s+)?\d{1,2}\s+\w+\s+\d{4}")

    def __init__(self, text: str):
        self.text, self.title_end = text, -1
        self.acts: dict[str, str] = {}      # "Regulation" -> IRI
        self.last: ProvisionPath | str | None = None  # the last provision (path) or act (IRI) named
        self.last_path: ProvisionPath | None = None

    def act(self, tok: _Tok) -> None:
        if tok.start <= self.title_end:
            return
        iri = _act_iris(tok.text)[-1]
        self.acts[_act_type(tok.text)] = iri
        if iri != ACT_IRI:
            self.last = iri
        if self._TITLE.match(self.text, tok.end):
            ojs = self.text.find("(OJ", tok.end)
            self.title_end = self.text.find(")", ojs) if ojs >= 0 else len(self.text)

    def provision(self, path: ProvisionPath) -> None:
        self.last = self.last_path = path


def _scope(anchor: _Tok | None, amended: str | None, ante: _Antecedents):
    """Whose provisions the chains name: (external IRIs, bases for the chains or
    None for the usual ones, unresolved pieces)."""
    if anchor is None:
        return ([amended] if amended else []), None, []
    if anchor.type == "act":
        iris = _act_iris(anchor.text)
        ante.act(anchor)
        if iris == [ACT_IRI]:
            return [], [()], []
        return [iri for iri in iris if iri != ACT_IRI], None, []
    if anchor.type == "this":
        if anchor.text.startswith("this"):
            return ([amended] if amended else []), [()], []
        iri = ante.acts.get(_act_type(anchor.text))
        if iri is None:
            return [], None, [anchor.text]
        return ([], [()], []) if iri == ACT_IRI else ([iri], None, [])
    if ante.last is None:  # thereof
        return [], None, ["thereof"]
    if isinstance(ante.last, str):
        return [ante.last], None, []
    return [], [ante.last[:k] for k in range(len(ante.last), 0, -1)], []


def find_references(text: str, context: ProvisionPath, index: CitationIndex, *,
                    enclosing: Mapping[ProvisionPath, tuple[ProvisionPath, ...]] | None = None,
                    amended: str | None = None) -> list[Reference]:
    """Every reference in ``text``, the own text of the provision at ``context``.

    ``enclosing`` maps an article to its section and chapter (``enclosing_divisions``),
    for "this Chapter" and "Section 2"; ``amended`` is the IRI of the act the text
    amends when only its parent says so ("Regulation (EU) 2018/1139 is amended as follows")."""
    enclosing = enclosing or {}
    instruction = re.match(r"\s*[Ii]n (?:Article|Annex)\b.{0,120}?the following (?:sub)?(?:paragraph|point)", text)
    if instruction and not amended:  # "In Article 8 of Directive 2014/90/EU, the following paragraph is added"
        m = re.search(_ACT, instruction.group())
        amended = m and _act_iris(m.group())[0]
    ante = _Antecedents(text)
    refs: list[Reference] = []
    pos = 0
    for m in _START.finditer(text):
        if m.start() < pos:
            continue
        toks = _tokens(text, m.start())
        read = _phrase(toks) if toks else None
        if read is None:
            continue
        cites, anchor, used = read
        start, pos = toks[0].start, toks[used - 1].end
        if cites is None and _act_iris(anchor.text) == [ACT_IRI]:
            ante.act(anchor)  # "Regulation (EU) 2024/1689": this Act, like "this Regulation"
            continue
        external, bases, unresolved = _scope(anchor, amended, ante)
        targets: list[ProvisionPath] = []
        for chain in ([] if external or unresolved else cites or []):
            head = chain[0][0]
            if head == "this":
                node = _this(chain[0][1][0], context, enclosing)
                chain_bases, chain = ([node] if node else []), chain[1:]
                if node and not chain:
                    targets.append(node)
                    continue
            elif head in _ABSOLUTE:
                chain_bases = [()]
            elif bases is not None and bases != [()]:
                chain_bases = bases
            else:  # relative: up from the context, its section and chapter, then the last provision named
                chain_bases = [context[:k] for k in range(len(context), 0, -1)]
                chain_bases += list(enclosing.get(context[:1], ()))
                last = ante.last_path or ()
                chain_bases += [last[:k] for k in range(len(last), 0, -1)]
            if head in ("ttl", "prt") or not chain_bases:
                unresolved.append(text[start:pos])
                continue
            found, failed = _resolve(index, chain, chain_bases)
            targets += [p for p in found if p not in targets]
            unresolved += failed
        if targets:
            ante.provision(targets[-1])
        elif external and anchor is not None and anchor.type != "act":
            ante.last = external[-1]
        refs.append(Reference(text[start:pos], start, pos, tuple(targets), tuple(dict.fromkeys(external)),
                              tuple(unresolved)))
    return refs


# ------------------------------------------------------------------ the whole Act
def enclosing_divisions(act: ParsedAct) -> dict[ProvisionPath, tuple[ProvisionPath, ...]]:
    """Article path -> (its section's path, its chapter's path), innermost first."""
    out: dict[ProvisionPath, tuple[ProvisionPath, ...]] = {}

    def visit(node: Provision, outer: tuple[ProvisionPath, ...]) -> None:
        for part in node.parts:
            if part.kind == "article":
                out[part.path] = outer
            elif part.kind in ("chapter", "section") and part.path[0][0] == "cpt":
                visit(part, (part.path,) + outer)

    visit(act.root, ())
    return out


_AMENDED = re.compile(rf"({_ACT})\s+is\s+amended\s+as\s+follows")


def link_act(act: ParsedAct, index: CitationIndex) -> tuple[dict[ProvisionPath, list[Reference]], CrossRefReport]:
    """References in every provision's own text, and how many resolved."""
    enclosing = enclosing_divisions(act)
    amends: dict[ProvisionPath, str] = {}
    links: dict[ProvisionPath, list[Reference]] = {}
    report = CrossRefReport(0, 0, [])
    for p in act.provisions():
        m = _AMENDED.search(p.own_text) if "is amended as follows" in p.own_text else None
        amended = amends.get(p.path[:-1])
        if m:
            amends[p.path] = _act_iris(m.group(1))[0]
        elif amended:
            amends[p.path] = amended
        refs = find_references(p.own_text, p.path, index, enclosing=enclosing, amended=amended)
        if refs:
            links[p.path] = refs
        for ref in refs:
            report.phrases += 1
            if ref.unresolved:
                report.unresolved.append((format_citation(p.path), ref.phrase))
            else:
                report.resolved += 1
    return links, report
