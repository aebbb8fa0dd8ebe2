"""Quoted new text (``QUOT.S``) of an amending act, made ready to become text of
the amended act.

In the amending act the new text is a quotation: it opens with a quotation
mark (``QUOT.START``, the first one in the block) and closes with its partner
(``QUOT.END`` with the matching ``ID``), followed by the amending sentence's own
punctuation (``’;`` or ``’.``). Quotation marks *inside* the new text are one
level down, as the Interinstitutional Style Guide prescribes for quotations
within a quotation: a defined term that the amended act writes ‘safety
component’ is written “safety component” inside the quotation (Regulation
(EU) 2026/1744, Article 1, point (4)(a)).

``unquote`` returns a copy of the block without the outer pair and its
trailing punctuation, with the inner marks raised one level (“ ” → ‘ ’ and,
for a third level, ‘ ’ → “ ”). No other character is touched.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from gpai_kg.errors import UserError

#: One level up: inner double quotes become single, inner single become double.
_RAISE = {"201C": "2018", "201D": "2019", "2018": "201C", "2019": "201D"}


class QuotationError(UserError):
    """A ``QUOT.S`` block whose quotation marks are not as Formex writes them."""


def unquote(block: ET.Element) -> ET.Element:
    """A copy of ``block`` (a ``QUOT.S`` or an annex root) as text of the
    amended act: outer quotation marks removed, inner ones raised a level."""
    block = copy.deepcopy(block)
    starts = list(block.iter("QUOT.START"))
    ends = list(block.iter("QUOT.END"))
    if not starts or not ends:
        raise QuotationError("quoted block without QUOT.START/QUOT.END")
    first, last = starts[0], ends[-1]
    if last.get("ID") != first.get("REF.END"):
        raise QuotationError(f"outer quotation {first.get('ID')} is not closed by the block's last QUOT.END")
    closing_tail = (last.tail or "").strip()
    if closing_tail not in ("", ";", "."):
        raise QuotationError(f"text {closing_tail!r} after the closing quotation mark")
    last.tail = ""
    parents = {child: parent for parent in block.iter() for child in parent}
    for mark in (first, last):
        _remove(parents[mark], mark)
    for mark in list(block.iter("QUOT.START")) + list(block.iter("QUOT.END")):
        code = mark.get("CODE", "")
        if code in _RAISE:
            mark.set("CODE", _RAISE[code])
    return block


def _remove(parent: ET.Element, child: ET.Element) -> None:
    """Remove ``child`` from ``parent``, keeping the text that follows it."""
    tail = child.tail or ""
    index = list(parent).index(child)
    if index:
        prev = parent[index - 1]
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(child)
