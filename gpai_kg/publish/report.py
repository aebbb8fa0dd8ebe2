"""The words every view of an assessment shares (the terminal's, the app's,
the report to file in ``gpai_kg.publish.filing``, the dossier): the
disclaimer, a verdict, what to say when no obligation is listed or none
applies yet, why a date is due, and a fine's maximum. Not legal advice."""

from __future__ import annotations

from collections.abc import Mapping

DISCLAIMER = ("Not legal advice. This report applies one reading of Regulation (EU) 2024/1689 "
              "(OJ L, 2024/1689, 12.7.2024), encoded in gpai-kg, to the facts stated below; guidance "
              "(Commission guidelines, AI Office Q&A) is marked as guidance, not law.")


def verdict(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "undetermined"}[value]


def _eur(amount: float | None) -> str:
    return f"EUR {amount:,.0f}".replace(",", " ") if amount else ""


def no_obligation(in_scope: bool | None, undetermined: list[str]) -> str:
    """What to say when no obligation is listed: never "no obligation attaches" when the answer is undetermined."""
    if in_scope is None:
        return "Whether obligations of Chapter V attach is undetermined: missing " + ", ".join(undetermined) + "."
    if in_scope is False:
        return "No obligation of Chapter V attaches to the model's provider."
    return "No obligation of Chapter V attaches on this date."


def _law(steps) -> list[str]:
    """The provisions among a chain's steps (not the facts, not the guidance)."""
    return [s for s in steps if " = " not in s and " include " not in s and not s.endswith("(guidance)")]


def due_reason(due_because) -> str:
    """Why an obligation is due on its date, in the provisions that set it: ``Article 111(3)``."""
    return ", ".join(dict.fromkeys(_law(due_because)))


def not_yet(as_of: str, in_scope: bool | None, obligations: list[Mapping]) -> str | None:
    """For a model within the scope of Chapter V none of whose obligations applies yet: when the first
    one starts (``Nothing applies yet on 2025-03-01: the first obligation, Article 52(1), applies from
    2025-09-03 (Article 52(1))``); None otherwise."""
    dated = [o for o in obligations if o.get("due")]
    if not in_scope or not dated or any(o["status"] == "applicable" for o in obligations):
        return None
    first = min(dated, key=lambda o: o["due"])
    why = due_reason(first.get("due_because", []))
    return (f"Nothing applies yet on {as_of}: the first obligation, {first['provision']}, applies from "
            f"{first['due']}" + (f" ({why})." if why else "."))


def penalty_line(p: Mapping) -> str:
    """``up to 3 % of worldwide turnover or EUR 15 000 000, whichever is higher (Commission, from 2026-08-02)``."""
    parts = []
    if p.get("max_turnover_share"):
        parts.append(f"{p['max_turnover_share'] * 100:g} % of worldwide annual turnover")
    if p.get("max_amount_eur"):
        parts.append(_eur(p["max_amount_eur"]))
    cap = f", {p['cap']}" if p.get("cap") and len(parts) > 1 else ""
    who = ", ".join(x for x in (p.get("imposed_by") and f"imposed by the {p['imposed_by']}",
                                p.get("applies_from") and f"from {p['applies_from']}") if x)
    return f"up to {' or '.join(parts)}{cap}" + (f" ({who})" if who else "")
