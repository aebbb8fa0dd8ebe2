"""Identity of provisions: ELI-based IRIs, human citations, EUR-Lex links.

One pattern, written once, here:

A provision is a *path* of steps ``(kind, label)`` below the Act. Its IRI is

    http://data.europa.eu/eli/reg/2024/1689/ + "/".join(f"{kind}_{label}") + "/oj"

the way EUR-Lex writes subdivision ELIs (``…/art_6/par_1/pnt_f/oj``, version
suffix ``/oj`` last). Kinds:

    cpt  chapter (roman)      cpt_V            Chapter V
    sct  section              cpt_V/sct_2      Chapter V, Section 2
                              anx_XI/sct_1     Annex XI, Section 1
    art  article              art_53           Article 53
    par  numbered paragraph   art_53/par_1     Article 53(1)
    sub  unnumbered           art_5/par_1/sub_1
         subparagraph         Article 5(1), first subparagraph
         (only where a paragraph or article has more than one)
    pnt  point or sub-point   art_53/par_1/pnt_b/pnt_ii   Article 53(1)(b)(ii)
                              art_3/pnt_63     Article 3(63)
                              art_5/par_1/sub_1/pnt_h
                                  Article 5(1), first subparagraph, point (h)
                              anx_XI/sct_1/pnt_2/pnt_a
                                  Annex XI, Section 1, point 2(a)
                              anx_XIII/pnt_a   Annex XIII, point (a)
    rct  recital              rct_97           Recital 97
    anx  annex (roman)        anx_XIII         Annex XIII

Articles are not nested under chapters in IRIs (as on EUR-Lex); the chapter
structure is in the graph (``eli:is_part_of``). ``sub_N`` is our own step:
EUR-Lex has no subparagraph anchors.

The ``/oj`` IRI names the provision whatever its wording: it is the same
provision in every version of the Act (a contract of the graph). A *version*
of a provision -- one text of it, in force over one interval -- puts the date
it entered into force where ``/oj`` stands, as the ELI of a consolidated
version does (``…/reg/2024/1689/2026-07-27``):

    …/art_56/par_6/2024-08-01   Article 56(6) as it stood from 1 August 2024
    …/art_56/par_6/2026-07-27   Article 56(6) as replaced, from 27 July 2026

and the English text of a version of the whole Act is its expression,
``…/reg/2024/1689/oj/eng`` (the OJ original) or ``…/reg/2024/1689/2026-07-27/eng``
(see docs/versioning.md).

Parsing is tolerant (``Art. 53(1)(a)``, ``article 53 (1) (a)``,
``Article 53(1), point (a)``, ``Article 3, point (63)``, ``Article 113(b)``).
A parsed citation is *loose*: ``Article 3(63)`` does not say whether 63 is a
paragraph or a point, and ``Article 113(b)`` omits the subparagraph. A
``CitationIndex`` of the provisions that exist resolves it to one path.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from gpai_kg.errors import UserError
from gpai_kg.namespaces import ACT_BASE, ACT_IRI

Step = tuple[str, str]
ProvisionPath = tuple[Step, ...]

ACT_CITATION = "Regulation (EU) 2024/1689"
EURLEX_HTML = "https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:32024R1689"

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


# --------------------------------------------------------------------------- IRIs

def to_iri(path: ProvisionPath) -> str:
    """The ELI-based IRI of a provision path (the Act itself for ``()``)."""
    if not path:
        return ACT_IRI
    return ACT_BASE + "/".join(f"{kind}_{label}" for kind, label in path) + "/oj"


def version_iri(path: ProvisionPath, start: str) -> str:
    """The IRI of the version of a provision (of the Act, for ``()``) in force
    from ``start`` (YYYY-MM-DD): ``…/art_56/par_6/2026-07-27``."""
    steps = "/".join(f"{kind}_{label}" for kind, label in path)
    return ACT_BASE + (f"{steps}/" if steps else "") + start


def expression_iri(key: str) -> str:
    """The English expression of a version of the Act: ``key`` is ``oj`` (the
    text as published) or a version's date (``…/reg/2024/1689/2026-07-27/eng``)."""
    return f"{ACT_BASE}{key}/eng"


_STEP = re.compile(r"^(cpt|sct|art|par|sub|pnt|rct|anx)_([0-9A-Za-z.]+)$")


def from_iri(iri: str) -> ProvisionPath:
    """Inverse of ``to_iri``; raises ``UserError`` for an IRI outside the Act."""
    iri = str(iri)
    if iri == ACT_IRI:
        return ()
    if not (iri.startswith(ACT_BASE) and iri.endswith("/oj")):
        raise UserError(f"not a provision IRI of Regulation (EU) 2024/1689: {iri}")
    steps = []
    for part in iri[len(ACT_BASE):-len("/oj")].split("/"):
        m = _STEP.match(part)
        if not m:
            raise UserError(f"not a provision IRI of Regulation (EU) 2024/1689: {iri}")
        steps.append((m.group(1), m.group(2)))
    return tuple(steps)


def eurlex_anchor(path: ProvisionPath) -> str | None:
    """The EUR-Lex HTML anchor of a provision, where EUR-Lex has one.

    EUR-Lex anchors chapters (``cpt_V``), sections (``cpt_V.sct_2``), articles
    (``art_53``), their numbered paragraphs (``053.001``), recitals (``rct_97``)
    and annexes (``anx_XIII``); not subparagraphs, points or annex sections.
    """
    kinds = tuple(k for k, _ in path)
    if kinds in (("cpt",), ("art",), ("rct",), ("anx",)):
        return f"{path[0][0]}_{path[0][1]}"
    if kinds == ("cpt", "sct"):
        return f"cpt_{path[0][1]}.sct_{path[1][1]}"
    if kinds == ("art", "par") and path[0][1].isdigit() and path[1][1].isdigit():
        return f"{int(path[0][1]):03d}.{int(path[1][1]):03d}"
    return None


def eurlex_url(path: ProvisionPath) -> str:
    """Deep link into the EUR-Lex HTML: the provision's own anchor, else its
    nearest ancestor's, else the whole act."""
    for cut in range(len(path), 0, -1):
        anchor = eurlex_anchor(path[:cut])
        if anchor:
            return f"{EURLEX_HTML}#{anchor}"
    return EURLEX_HTML


# ---------------------------------------------------------------- human citations

def _point_chain(labels: list[str], first_as_word: bool) -> str:
    if not labels:
        return ""
    # A decimal number ("3.1") already says which point it is part of.
    dotted = [i for i, label in enumerate(labels) if "." in label]
    if dotted:
        labels = labels[dotted[-1]:]
    first, rest = labels[0], labels[1:]
    head = f"point {first}" if first_as_word and re.fullmatch(r"[\d.]+", first) else (
        f"point ({first})" if first_as_word else f"({first})")
    return head + "".join(f"({label})" for label in rest)


def format_citation(path: ProvisionPath) -> str:
    """The human citation of a path, in the Official Journal's style."""
    if not path:
        return ACT_CITATION
    kind, label = path[0]
    if kind == "rct":
        return f"Recital {label}"
    if kind == "cpt":
        return f"Chapter {label}" + (f", Section {path[1][1]}" if len(path) > 1 else "")
    if kind == "anx":
        text = f"Annex {label}"
        rest = list(path[1:])
        if rest and rest[0][0] == "sct":
            text += f", Section {rest[0][1]}"
            rest = rest[1:]
        if rest:
            text += ", " + _point_chain([lbl for _, lbl in rest], first_as_word=True)
        return text
    if kind != "art":
        raise UserError(f"cannot cite a path starting with {kind!r}")
    text = f"Article {label}"
    rest = list(path[1:])
    if rest and rest[0][0] == "par":
        text += f"({rest[0][1]})"
        rest = rest[1:]
    if rest and rest[0][0] == "sub":
        text += f", {ORDINALS[int(rest[0][1]) - 1]} subparagraph"
        rest = rest[1:]
        if rest:
            text += ", " + _point_chain([lbl for _, lbl in rest], first_as_word=True)
        return text
    return text + "".join(f"({lbl})" for _, lbl in rest)


# ------------------------------------------------------------------------ parsing

@dataclass(frozen=True)
class LooseCitation:
    """A parsed citation before resolution. ``steps`` are ``(kind, label)``
    with kind ``"?"`` where the text does not say (a bare ``(1)`` after an
    article may be a paragraph or a point)."""

    steps: tuple[tuple[str, str], ...]
    text: str


_ROMAN = r"[IVXL]+"
_ORDINAL_WORD = "|".join(ORDINALS)
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<paren>\(\s*(?P<plabel>[0-9]+[a-z]?|[a-z]{1,4})\s*\))
      | ,?\s*(?P<ord>""" + _ORDINAL_WORD + r""")\s+subparagraph
      | ,?\s*subparagraph\s+(?P<subn>\d+)
      | ,?\s*paragraph\s+(?P<par>\d+)
      | ,?\s*(?:sub-?)?points?\s+\(?(?P<pnt>[0-9.]*[0-9]|[a-z]{1,4})\)?
      | ,?\s*section\s+(?P<sct>[0-9A-Z]+)
    )""",
    re.VERBOSE | re.IGNORECASE,
)
_HEAD = re.compile(
    r"""^\s*(?:
        (?P<art>art(?:icle)?s?\.?)\s*(?P<artn>\d+[a-z]?)
      | (?P<rct>(?:recital|rec\.?|rct))\s*\(?(?P<rctn>\d+)\)?
      | (?P<anx>(?:annex|anx\.?))\s+(?P<anxn>""" + _ROMAN + r""")
      | (?P<cpt>(?:chapter|chap\.?|cpt))\s+(?P<cptn>""" + _ROMAN + r""")
      | (?P<act>(?:regulation\s*\(eu\)\s*)?2024/1689|ai\s+act|the\s+act)
    )""",
    re.VERBOSE | re.IGNORECASE,
)


def parse_citation(text: str) -> LooseCitation:
    """Parse a human citation (tolerantly) into a ``LooseCitation``."""
    original = text
    text = " ".join(text.replace("\u00a0", " ").split())
    m = _HEAD.match(text)
    if not m:
        raise UserError(f"not a citation of the AI Act: {original!r}")
    steps: list[tuple[str, str]] = []
    if m.group("art"):
        steps.append(("art", m.group("artn").lower()))
    elif m.group("rct"):
        steps.append(("rct", m.group("rctn")))
    elif m.group("anx"):
        steps.append(("anx", m.group("anxn").upper()))
    elif m.group("cpt"):
        steps.append(("cpt", m.group("cptn").upper()))
    pos = m.end()
    while pos < len(text):
        t = _TOKEN.match(text, pos)
        if not t or t.end() == pos:
            rest = text[pos:].strip(" ,.")
            if not rest:
                break
            raise UserError(f"cannot read {rest!r} in citation {original!r}")
        pos = t.end()
        if t.group("paren"):
            steps.append(("?", t.group("plabel").lower()))
        elif t.group("ord"):
            steps.append(("sub", str(ORDINALS.index(t.group("ord").lower()) + 1)))
        elif t.group("subn"):
            steps.append(("sub", t.group("subn")))
        elif t.group("par"):
            steps.append(("par", t.group("par")))
        elif t.group("pnt"):
            steps.append(("pnt", t.group("pnt").lower()))
        elif t.group("sct"):
            steps.append(("sct", t.group("sct").upper()))
    return LooseCitation(tuple(steps), original)


class CitationIndex:
    """The provisions that exist, for resolving loose citations to paths."""

    def __init__(self, paths: Iterable[ProvisionPath]):
        self.paths = set(paths) | {()}
        self.children: dict[ProvisionPath, list[ProvisionPath]] = {}
        for path in self.paths:
            if path:
                self.children.setdefault(path[:-1], []).append(path)
        self.by_citation = {format_citation(p): p for p in self.paths}

    def __contains__(self, path: ProvisionPath) -> bool:
        return path in self.paths

    def step(self, node: ProvisionPath, kind: str, label: str) -> list[ProvisionPath]:
        """Children of ``node`` matching one loose step; an unnumbered
        subparagraph level may be skipped when the citation omits it."""
        kinds = {"?": ("par", "pnt"), "pnt": ("pnt",)}.get(kind, (kind,))
        direct = [c for c in self.children.get(node, []) if c[-1][0] in kinds and c[-1][1] == label]
        if not direct and kind == "pnt" and "." in label:  # "point 3.1" sits in point 3
            direct = [g for c in self.step(node, "pnt", label.rsplit(".", 1)[0])
                      for g in self.step(c, "pnt", label)]
        if direct or kind in ("sub", "par", "sct"):
            return direct
        return [g for c in self.children.get(node, []) if c[-1][0] == "sub"
                for g in self.step(c, kind, label)]

    def resolve(self, citation: str | LooseCitation) -> ProvisionPath:
        """Resolve a citation to the one path it names, or raise ``UserError``
        naming it and suggesting the nearest existing citation."""
        loose = parse_citation(citation) if isinstance(citation, str) else citation
        frontier: list[ProvisionPath] = [()]
        for kind, label in loose.steps:
            frontier = [n for node in frontier for n in self.step(node, kind, label)]
            if not frontier:
                break
        if len(frontier) == 1:
            return frontier[0]
        suggestion = self.suggest(loose.text)
        hint = f"; did you mean {suggestion!r}?" if suggestion else ""
        why = "is ambiguous" if frontier else "names no provision of Regulation (EU) 2024/1689"
        raise UserError(f"citation {loose.text!r} {why}{hint}")

    def suggest(self, text: str) -> str | None:
        """The existing citation nearest to ``text``."""
        try:
            loose = parse_citation(text)
        except UserError:
            loose = None
        # Walk down as far as the citation resolves, then offer the deepest match.
        if loose is not None:
            node: ProvisionPath = ()
            for kind, label in loose.steps:
                nxt = self.step(node, kind, label)
                if len(nxt) != 1:
                    break
                node = nxt[0]
            if node:
                return format_citation(node)
        close = difflib.get_close_matches(text, list(self.by_citation), n=1, cutoff=0.5)
        return close[0] if close else None
