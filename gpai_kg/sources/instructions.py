"""The wording of an amending instruction, read into what it does and where.

An amending act (Regulation (EU) 2026/1744, Article 1) words each point in
the Joint Practical Guide's standard forms (point 18 of the Guide: "replaced
by the following", "the following … is inserted/added", "… is deleted", "… is
amended as follows"). One grammar, two sentence shapes:

    [in <location>,] the following <kind> is|are inserted|added
    [in <location>,] <subject> is|are replaced by the following
                                     | amended as follows | deleted

``<location>`` and ``<subject>`` are chains of steps, big-endian, separated by
commas: ``Article 1(2)``, ``Annex VIII``, ``Section A``/``section B``,
``paragraph 4``, ``paragraphs 2 and 3``, ``the first subparagraph``, ``the
third paragraph``, ``point (g)``, ``points 7 and 9``, ``the heading``, ``the
introductory part``. Readings (Joint Practical Guide, point 16, on citing
subdivisions):

* a number in brackets right after an article number is a paragraph
  ("Article 58(1)" is paragraph 1; points are always cited as "point (x)");
* an *ordinal* paragraph ("the third paragraph" of Article 113) is an
  unnumbered paragraph, which the project's tree holds as a subparagraph step
  (``sub_3``), like "the first subparagraph".

Every word of an instruction must be read: leftover words raise
``InstructionError`` naming the instruction, so a new wording is never
silently misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gpai_kg.citations import ORDINALS, Step
from gpai_kg.errors import UserError

# A step is ``(kind, label)``: kind one of art anx sct par sub pnt, or ``part``
# with label ``heading`` / ``intro``.

#: The kind of new provision named by "the following <word>".
NEW_KINDS = {"article": "article", "articles": "article", "paragraph": "paragraph",
             "paragraphs": "paragraph", "subparagraph": "subparagraph", "subparagraphs": "subparagraph",
             "point": "point", "points": "point", "annex": "annex"}


class InstructionError(UserError):
    """An instruction whose wording the grammar does not read."""


@dataclass(frozen=True)
class Instruction:
    """What one instruction says, before it is placed in the tree.

    ``kind`` is the verb as worded: ``replaced``, ``inserted``, ``added``,
    ``deleted`` or ``amended`` ("amended as follows"). ``location`` is the
    chain of steps the instruction names (relative to its parent point's
    location); ``subjects`` the one or more last steps it acts on (``points 7
    and 9`` gives two); ``new_kind`` what "the following …" brings.
    """

    text: str
    kind: str
    location: tuple[Step, ...]
    subjects: tuple[Step, ...] = ()
    new_kind: str = ""


_NEW = re.compile(r"^(?:(?P<loc>.+?),\s+)?the following (?P<what>\w+) (?:is|are) (?P<verb>inserted|added)$",
                  re.IGNORECASE)
_CHANGE = re.compile(r"^(?P<subj>.+?) (?:is|are) (?P<verb>replaced by the following|amended as follows|deleted)$",
                     re.IGNORECASE)

_ORD = "|".join(ORDINALS)
_TOKEN = re.compile(
    r"""(?P<art>Article\s+(?P<artn>\d+[a-z]?)(?P<brackets>(?:\(\d+[a-z]?\))*))
      | (?P<anx>Annex\s+(?P<anxn>[IVXL]+))\b
      | (?P<sct>[Ss]ection\s+(?P<sctn>[A-Z0-9]+))\b
      | (?P<pars>paragraphs?\s+(?P<parn>\d+[a-z]?(?:\s+and\s+\d+[a-z]?)?))
      | (?P<ord>(?P<ordn>""" + _ORD + r""")\s+(?:sub)?paragraph)
      | (?P<pnts>points?\s+(?P<pntn>\(?\w+\)?(?:\s+and\s+\(?\w+\)?)?))
      | (?P<heading>heading)
      | (?P<intro>introductory\s+part)
    """,
    re.VERBOSE,
)
_FILLER = re.compile(r"^(?:\s|,|\bin\b|\bthe\b)*$", re.IGNORECASE)


def read_chain(text: str, instruction: str) -> list[list[Step]]:
    """The steps of a location or subject, in order; a step listing several
    numbers ("points 7 and 9") is one list of alternatives."""
    out: list[list[Step]] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        _check_filler(text[pos:m.start()], instruction)
        pos = m.end()
        if m.group("art"):
            out.append([("art", m.group("artn"))])
            out.extend([("par", n)] for n in re.findall(r"\((\d+[a-z]?)\)", m.group("brackets")))
        elif m.group("anx"):
            out.append([("anx", m.group("anxn"))])
        elif m.group("sct"):
            out.append([("sct", m.group("sctn"))])
        elif m.group("pars"):
            out.append([("par", n) for n in re.split(r"\s+and\s+", m.group("parn"))])
        elif m.group("ord"):
            out.append([("sub", str(ORDINALS.index(m.group("ordn").lower()) + 1))])
        elif m.group("pnts"):
            out.append([("pnt", n.strip("()")) for n in re.split(r"\s+and\s+", m.group("pntn"))])
        elif m.group("heading"):
            out.append([("part", "heading")])
        elif m.group("intro"):
            out.append([("part", "intro")])
    _check_filler(text[pos:], instruction)
    return out


def _check_filler(gap: str, instruction: str) -> None:
    if not _FILLER.match(gap):
        raise InstructionError(f"cannot read {gap.strip()!r} in the instruction {instruction!r}")


def _single(chain: list[list[Step]], instruction: str) -> tuple[Step, ...]:
    if any(len(alts) != 1 for alts in chain):
        raise InstructionError(f"a location names one provision only: {instruction!r}")
    return tuple(alts[0] for alts in chain)


def read_instruction(text: str) -> Instruction:
    """Read one instruction ("in Article 56, paragraph 6 is replaced by the
    following:") into an ``Instruction``."""
    sentence = " ".join(text.split()).rstrip(":;. ")
    m = _NEW.match(sentence)
    if m:
        what = m.group("what").lower()
        if what not in NEW_KINDS:
            raise InstructionError(f"unknown kind of provision {what!r} in {text!r}")
        location = _single(read_chain(m.group("loc") or "", text), text)
        return Instruction(text, m.group("verb").lower(), location, (), NEW_KINDS[what])
    m = _CHANGE.match(sentence)
    if m:
        verb = m.group("verb").lower().split()[0]
        chain = read_chain(m.group("subj"), text)
        if not chain:
            raise InstructionError(f"no provision named in {text!r}")
        location = _single(chain[:-1], text)
        return Instruction(text, verb, location, tuple(chain[-1]))
    raise InstructionError(f"not an amending instruction: {text!r}")
