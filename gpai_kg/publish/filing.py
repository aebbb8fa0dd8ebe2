"""The assessment report to file: one document a compliance officer can keep.

``report_data`` gathers, as plain data (the app caches it): the JSON of the
assessment, the model's facts (given, or assumed from the input contract's
defaults), the version of the Act the answers quote, the version of gpai-kg,
the day the report was made, and a EUR-Lex deep link for every provision it
cites. ``markdown`` writes the report: the facts, each answer with its plain
sentence and its chain, the obligations with their deadlines (and why that
date), each quoting its provision, the exemptions granted and refused with
why, the documentation items (the dossier), penalties, what is undetermined,
the notes and the sources; ``gpai_kg.publish.report_html`` makes HTML and PDF
of it. Everything the user gave is escaped (``publish.markdown``). Not legal
advice, and it says so first and last.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from itertools import groupby

from gpai_kg.publish.markdown import code, plain
from gpai_kg.publish.numbers import power, readable
from gpai_kg.publish.report import DISCLAIMER, no_obligation, not_yet, penalty_line, verdict

ANSWERS = (("general_purpose", "A general-purpose AI model (Article 3(63))"),
           ("systemic_risk", "With systemic risk (Article 51)"),
           ("in_scope", "Within the scope of Chapter V"))


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, float) or (isinstance(value, int) and abs(value) >= 1e6):
        return power(float(value))
    return str(value)


def facts(description) -> list[dict]:
    """The described model's facts in the contract's order: key, label, value, and whether it was given
    or assumed (the contract's default); keys left unknown are listed with no value."""
    from gpai_kg.reasoning.contract import keys

    labels = {k: key.label for k, key in keys().items()}
    out = []
    for key, value in description.values.items():
        if isinstance(value, Mapping):
            continue  # nested objects are listed by their dotted keys
        out.append({"key": key, "label": labels.get(key, ""), "value": None if value is None else _value(value),
                    "given": value is not None and key not in description.assumed})
    return out


def _links(result: Mapping) -> dict[str, str]:
    """A EUR-Lex deep link for every citation the report names."""
    from gpai_kg.citations import eurlex_url
    from gpai_kg.store.dataset import load_store
    from gpai_kg.store.lookup import citation_index

    named = {result_step for steps in result.get("reasons", {}).values() for result_step in steps}
    for o in result["obligations"]:
        named |= {o["provision"], *o["because"], *o.get("due_because", [])}
    for group in ("exemptions", "penalties"):
        for item in result.get(group, []):
            named |= {item["provision"], *item.get("because", []), *item.get("sanctions", [])}
    for item in result.get("exemptions_not_applied", []):
        named |= {item["exemption"], *item.get("would_lift", [])}
    named |= {i["provision"] for i in result.get("documentation", [])}
    paths = citation_index(load_store()).by_citation
    return {c: eurlex_url(paths[c]) for c in sorted(named) if c in paths}


def report_data(assessment, description, made: datetime.date | None = None) -> dict:
    """What the report shows, as plain data."""
    from gpai_kg import __version__

    result = assessment.to_json()
    return {"result": result, "facts": facts(description), "links": _links(result),
            "made": (made or datetime.date.today()).isoformat(), "gpai_kg": __version__}


# ------------------------------------------------------------------ Markdown

def _cite(citation: str, links: Mapping[str, str]) -> str:
    return f"[{citation}]({links[citation]})" if citation in links else plain(citation)


def _chain(steps, links: Mapping[str, str]) -> list[str]:
    return [f"{n}. {_cite(s, links) if s in links else plain(readable(s))}" for n, s in enumerate(steps, 1)]


def _quote(text: str) -> list[str]:
    return ["> " + plain(line) if line.strip() else ">" for line in text.splitlines()]


def _own_text(obligation: Mapping) -> str | None:
    return next((s.get("provision_text") for s in obligation.get("chain", [])
                 if s.get("kind") == "provision" and s["text"] == obligation["provision"]), None)


def _law_version(result: Mapping) -> str:
    version = result.get("version")
    act = result["sources"][0]["title"] if result.get("sources") else "Regulation (EU) 2024/1689"
    if not version:
        return f"{act}, not in force on {result['as_of']}" if "version" in result else act
    until = f" to {version['in_force_until']}" if version.get("in_force_until") else ""
    return (f"{act}, the version in force from {version['in_force_from']}{until} "
            f"(expression {code(version['expression'])})")


def _facts(data: Mapping) -> list[str]:
    out = ["## 1. The model's facts", "",
           "Given: stated in the description. Assumed: the input contract's default, stated by no one — check it.",
           "", "| fact | key | value | given or assumed |", "|---|---|---|---|"]
    unknown = []
    for f in data["facts"]:
        if f["value"] is None:
            unknown.append(code(f["key"]))
            continue
        out.append(f"| {plain(f['label'] or f['key'])} | {code(f['key'])} | {plain(f['value'])} | "
                   f"{'given' if f['given'] else '**assumed**'} |")
    if unknown:
        out += ["", "Not known (not stated, no default): " + ", ".join(unknown) + "."]
    return out + [""]


def _answers(result: Mapping, links: Mapping[str, str]) -> list[str]:
    out = ["## 2. The answers", ""]
    for key, label in ANSWERS:
        out += [f"### {label}: {verdict(result[key])}", ""]
        if result.get("summary", {}).get(key):
            out += [plain(readable(result["summary"][key])), ""]
        steps = result.get("reasons", {}).get(key, [])
        if steps:
            out += ["Chain of reasons:", ""] + _chain(steps, links) + [""]
    waiting = not_yet(result["as_of"], result["in_scope"], result["obligations"])
    return out + ([f"**{plain(waiting)}**", ""] if waiting else [])


def _obligations(result: Mapping, links: Mapping[str, str]) -> list[str]:
    out = ["## 3. Obligations", ""]
    if not result["obligations"]:
        return out + [plain(no_obligation(result["in_scope"], result.get("undetermined", []))), ""]
    out += ["| provision | obligation | bearer | applies from | status |", "|---|---|---|---|---|"]
    out += [f"| {_cite(o['provision'], links)} | {plain(o['title'])} | {plain(o['bearer'])} | {o['due'] or '—'} | "
            f"{plain(o['status'])} |" for o in result["obligations"]]
    out.append("")
    answered = {s for steps in result.get("reasons", {}).values() for s in steps}
    for o in result["obligations"]:
        out += [f"### {_cite(o['provision'], links)} — {plain(o['title'])}", ""]
        if o.get("summary"):
            out += [plain(readable(o["summary"])), ""]
        text = _own_text(o)
        if text:
            out += _quote(text) + [""]
        if o.get("due_because"):
            out += [f"Applies from {o['due']} because: "
                    + " → ".join(_cite(s, links) if s in links else plain(readable(s)) for s in o["due_because"]), ""]
        extra = [s for s in o["because"] if s not in answered]
        if extra:
            out += ["Chain of reasons (besides those of the answers above):", ""] + _chain(extra, links) + [""]
    return out


def _exemptions(result: Mapping, links: Mapping[str, str]) -> list[str]:
    granted, refused = result.get("exemptions", []), result.get("exemptions_not_applied", [])
    out = ["## 4. Exemptions", ""]
    if not granted and not refused:
        return out + ["No exemption of Chapter V bears on this model.", ""]
    for e in granted:
        why = e.get("why") or " → ".join(readable(s) for s in e["because"])
        out.append(f"- **Granted**: {_cite(e['provision'], links)} ({plain(e.get('title', ''))}) does not apply, "
                   f"lifted by {_cite(e['exempted_by'], links)}: {plain(readable(why))}")
    for n in refused:
        lifts = ", ".join(_cite(c, links) for c in n.get("would_lift", []))
        out.append(f"- **Not granted**: {_cite(n['exemption'], links)} ({plain(n['title'])}), which would lift "
                   f"{lifts} — {plain(readable(n['why_not']))}")
    return out + [""]


def _dossier(result: Mapping, links: Mapping[str, str]) -> list[str]:
    out = ["## 5. Documentation to draw up and keep", ""]
    items = result.get("documentation", [])
    if not items:
        return out + ["No documentation item is required on this date.", ""]
    for (obligation, addressee), group in groupby(items, key=lambda i: (i["obligation"], i["addressee"])):
        out += [f"### {_cite(obligation, links)} — for {plain(addressee)}", "",
                "| item | what | due | status |", "|---|---|---|---|"]
        for i in group:
            status = "required" if i["status"] == "required" else f"exempt ({plain(i['exempted_by'])})"
            out.append(f"| {_cite(i['provision'], links)} | {plain(i['title'])} | {i['due'] or '—'} | {status} |")
        out.append("")
    return out


def _penalties(result: Mapping, links: Mapping[str, str]) -> list[str]:
    out = ["## 6. Fines", ""]
    if not result["penalties"]:
        return out + ["No fine can be imposed on this date.", ""]
    for p in result["penalties"]:
        sanctions = ", ".join(_cite(c, links) for c in p.get("sanctions", []))
        out.append(f"- {_cite(p['provision'], links)}: {plain(penalty_line(p))}"
                   + (f"; for infringing {sanctions}" if sanctions else ""))
    return out + [""]


def _notes(result: Mapping) -> list[str]:
    out = []
    if result.get("undetermined"):
        out.append("- **Undetermined** for lack of: " + ", ".join(code(k) for k in result["undetermined"]))
    out += [f"- {plain(readable(n))}" for n in result.get("notes", [])]
    return ["## 7. Notes", ""] + out + [""] if out else []


def markdown(data: Mapping) -> str:
    """The report in Markdown (CommonMark with tables)."""
    result, links = data["result"], data["links"]
    head = [f"# Assessment of {plain(result['name'])} under the AI Act", "",
            f"**{DISCLAIMER}**", "",
            f"- **Answers as of:** {result['as_of']}",
            f"- **The law:** {_law_version(result)}",
            f"- **Made:** {data['made']} by gpai-kg {data['gpai_kg']}", ""]
    sources = ["## 8. Sources", ""] + [f"- {plain(s['title'])}" + (f" — <{s['url']}>" if s.get("url") else "")
                                      for s in result.get("sources", [])]
    body = (head + _facts(data) + _answers(result, links) + _obligations(result, links)
            + _exemptions(result, links) + _dossier(result, links) + _penalties(result, links) + _notes(result)
            + sources + ["", "---", "", f"*Not legal advice.* Made by gpai-kg {data['gpai_kg']} on {data['made']}."])
    return "\n".join(body) + "\n"
