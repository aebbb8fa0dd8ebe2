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
    if facts:
        out += ["## Facts stated", ""] + [f"- {code(k)}: {plain(v)}" for k, v in facts.items()] + [""]
    out += ["## Obligations", ""]
    if not result["obligations"]:
        out += ["No obligation of Chapter V attaches on this date.", ""]
    for o in result["obligations"]:
        out += [f"### {o['provision']} — {o['title']}", "",
                f"Bearer: {o['bearer']} · applies from: {o['due'] or '—'} · {o['status']}", ""]
        if o["provision"] in texts:
            out += [_quote(texts[o["provision"]]), ""]
        out += ["Because: " + plain(" → ".join(o["because"])), ""]
    if result["exemptions"]:
        out += ["## Exemptions", ""]
        out += [f"- {e['provision']} ({e['title']}) lifted by {e['exempted_by']}: " + plain(" → ".join(e["because"]))
                for e in result["exemptions"]] + [""]
    out += ["## Penalties exposure", ""]
    out += [f"- {p['provision']}: {penalty_line(p)}; sanctions {', '.join(p['sanctions']) or 'no obligation yet'}"
            for p in result["penalties"]] or ["No fine can be imposed on this date."]
    out.append("")
    if result.get("undetermined") or result.get("notes"):
        out += ["## Notes", ""]
        if result.get("undetermined"):
            out.append("- Undetermined for lack of: " + ", ".join(result["undetermined"]))
        out += [f"- {plain(n)}" for n in result.get("notes", [])] + [""]
    out += ["## Sources", ""] + [f"- {s['title']}" + (f" — {s['url']}" if s.get("url") else "")
                                 for s in result.get("sources", [])]
    return "\n".join(out) + "\n"
