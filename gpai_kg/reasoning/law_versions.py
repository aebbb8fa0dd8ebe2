"""The version of a provision in force on an assessment's date, as the closed
law holds it (``gpai_kg.reasoning.law``): an explanation quotes that version.

A provision with more than one text has versions (``eli:has_member``), each
with its dates, its ``gpai:text`` and the expression it quotes
(``gpai:inExpression``); a provision with one text is its own only version,
quoting the expression of the version of the Act that began the day it
entered into force (docs/versioning.md).
"""

from __future__ import annotations

from datetime import date

from gpai_kg.namespaces import ELI, GPAI
from gpai_kg.reasoning.law import ClosedLaw


def _day(law: ClosedLaw, node: str, prop) -> date | None:
    found = law.value(node, prop)
    return found.value if found is not None and isinstance(found.value, date) else None


def _in_force(law: ClosedLaw, node: str, day: date) -> bool:
    start, end = _day(law, node, ELI.first_date_entry_in_force), _day(law, node, ELI.date_no_longer_in_force)
    return start is not None and start <= day and (end is None or day <= end)


def _act_version_node(law: ClosedLaw, day: date) -> str | None:
    return next((node for node in law.act_versions if _in_force(law, node, day)), None)


def act_version_on(law: ClosedLaw, day: date) -> dict | None:
    """The version of the Act in force on ``day``: expression and dates (None before it entered into force)."""
    node = _act_version_node(law, day)
    if node is None:
        return None
    end = _day(law, node, ELI.date_no_longer_in_force)
    return {"expression": str(law.value(node, ELI.is_realized_by)),
            "in_force_from": _day(law, node, ELI.first_date_entry_in_force).isoformat(),
            "in_force_until": end.isoformat() if end else None}


def amending_acts_in_force(law: ClosedLaw, day: date) -> list[str]:
    """The amending acts the version of the Act in force on ``day`` takes in (their ELI IRIs)."""
    node = _act_version_node(law, day)
    return sorted(str(a) for a in law.values(node, ELI.consolidates)) if node else []


def version_on(law: ClosedLaw, provision: str, day: date) -> dict | None:
    """The version of ``provision`` in force on ``day``: ``version`` (expression,
    in_force_from, in_force_until) and ``text``; None when it is not in force."""
    members = [str(m) for m in law.values(provision, ELI.has_member)]
    for node in members or [provision]:
        if not _in_force(law, node, day):
            continue
        start, end = _day(law, node, ELI.first_date_entry_in_force), _day(law, node, ELI.date_no_longer_in_force)
        expression = law.value(node, GPAI.inExpression) if members else None
        if expression is None:
            began = act_version_on(law, start)
            expression = began["expression"] if began else None
        text = law.value(node, GPAI.text)
        return {"version": {"expression": str(expression) if expression else None,
                            "in_force_from": start.isoformat(), "in_force_until": end.isoformat() if end else None},
                "text": text.value if text is not None else None}
    return None
