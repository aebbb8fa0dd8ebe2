"""A printable report of an assessment, in Markdown.

Made from the JSON contract of ``gpai_kg.assess`` (``Assessment.to_json()``)
and the verbatim text of each provision cited (``gpai:text``), so the report
quotes the law it relies on. Not legal advice, and it says so first. What
the user gave (the model's name, the facts) is escaped (``publish.markdown``):
the report shows it as written, never as a link or an image.
"""

from __future__ import annotations

from collections.abc import Mapping

from gpai_kg.publish.markdown import code, plain

DISCLAIMER = ("Not legal advice. This report applies one reading of Regulation (EU) 2024/1689 "
              "(OJ L, 2024/1689, 12.7.2024), encoded in gpai-kg, to the facts stated below; guidance "
              "(Commission guidelines, AI Office Q&A) is marked as guidance, not law.")


def verdict(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "undetermined"}[value]


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines() or [""])


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


def markdown_report(result: Mapping, texts: Mapping[str, str], facts: Mapping | None = None) -> str:
    """The report. ``texts`` maps a citation ("Article 53(1)(a)") to its verbatim text;
    ``facts`` is the description as given (shown as stated)."""
    out = [f"# Assessment of {plain(result['name'])} under the AI Act", "",
           f"As of **{result['as_of']}**. {DISCLAIMER}", "",
           "| question | answer |", "|---|---|",
           f"| within the scope of Chapter V | {verdict(result['in_scope'])} |",
           f"| general-purpose AI model (Article 3(63)) | {verdict(result['general_purpose'])} |",
           f"| with systemic risk (Article 51) | {verdict(result['systemic_risk'])} |", ""]
    summary = result.get("summary", {})
    out += [f"- {label}: {plain(summary[key])}" for key, label in (("in_scope", "Scope"), ("general_purpose", "General-purpose"),
                                                             ("systemic_risk", "Systemic risk")) if summary.get(key)]
    out.append("")
    if facts:
        out += ["## Facts stated", ""] + [f"- {code(k)}: {plain(v)}" for k, v in facts.items()] + [""]
    out += ["## Obligations", ""]
    if not result["obligations"]:
        out += [no_obligation(result["in_scope"], result.get("undetermined", [])), ""]
    for o in result["obligations"]:
        out += [f"### {o['provision']} — {o['title']}", "",
                f"Bearer: {o['bearer']} · due: {o['due'] or '—'} · {o['status']}", ""]
        if o.get("summary"):
            out += [plain(o["summary"]), ""]
        if o["provision"] in texts:
            out += [_quote(texts[o["provision"]]), ""]
        out += ["Because: " + plain(" → ".join(o["because"])), ""]
    if result["exemptions"] or result.get("exemptions_not_applied"):
        out += ["## Exemptions", ""]
        out += [f"- {e['provision']} ({e['title']}) lifted by {e['exempted_by']}: " + plain(" → ".join(e["because"]))
                for e in result["exemptions"]]
        out += [f"- {n['exemption']} ({n['title']}) does not apply: {plain(n['why_not'])}"
                for n in result.get("exemptions_not_applied", [])] + [""]
    out += ["## Penalties exposure", ""]
    for p in result["penalties"]:
        out.append(f"- {p['provision']}: {penalty_line(p)}, for:")
        out += [f"  - {i['provision']}: {i['title']} — {', '.join(i['concerns'])}" for i in p.get("infringements", [])]
    if not result["penalties"]:
        out.append("No fine can be imposed on this date.")
    out.append("")
    if result.get("undetermined") or result.get("notes"):
        out += ["## Notes", ""]
        if result.get("undetermined"):
            out.append("- Undetermined for lack of: " + ", ".join(result["undetermined"]))
        out += [f"- {plain(n)}" for n in result.get("notes", [])] + [""]
    out += ["## Sources", ""] + [f"- {s['title']}" + (f" — {s['url']}" if s.get("url") else "")
                                 for s in result.get("sources", [])]
    return "\n".join(out) + "\n"
