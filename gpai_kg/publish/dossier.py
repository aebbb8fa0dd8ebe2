"""The documentation dossier for people: a table in the terminal, and a
Markdown checklist to tick (``gpai-kg dossier --format text|md``; the app's
download), with the verbatim text of each point; with a checked record, what
is documented and what is missing. Made from ``Assessment.documentation`` (the
checklist from its JSON, so the app can make it from its cached result) and,
for the check, ``gpai_kg.reasoning.record.RecordCheck``. Not legal advice.

What the user gave (the model's name, a record's keys) is escaped: shown as
written, never read as rich markup (``x[/]``) or as a Markdown link or image."""

from __future__ import annotations

from itertools import groupby

from gpai_kg.publish.markdown import plain
from gpai_kg.publish.report import DISCLAIMER
from gpai_kg.reasoning.assessment import Assessment
from gpai_kg.reasoning.record import RecordCheck


def why_empty(in_scope: bool | None, reason: str) -> str:
    """Why a dossier lists nothing, with the scope's plain sentence (undetermined says what is missing)."""
    if in_scope is None:
        return f"Whether any documentation is required is undetermined. {reason}".strip()
    return f"No documentation is required. {reason}".strip()


def render_text(assessment: Assessment, console, check: RecordCheck | None = None) -> None:
    from rich.markup import escape
    from rich.table import Table

    console.rule(f"[bold]Documentation dossier of {escape(assessment.name)}[/bold] — as of "
                 f"{assessment.as_of.isoformat()}")
    items = assessment.documentation
    if not items:
        console.print(escape(why_empty(assessment.in_scope, assessment.summary.get("in_scope", ""))), highlight=False)
        return
    missing = {i.item for i in check.missing} if check else set()
    for (obligation, addressee), group in groupby(items, key=lambda i: (i.obligation, i.addressee)):
        group = list(group)
        console.print(f"\n[bold]{escape(obligation)}[/bold] — for {escape(addressee)}", highlight=False)
        table = Table("provision", "what", "due", "status", *(("documented",) if check else ()))
        for i in group:
            status = i.status if i.status == "required" else f"exempt ({i.exempted_by})"
            mark = () if not check or i.status != "required" else ("no" if i.item in missing else "yes",)
            cells = (i.provision, i.title, i.due or "—", status, *(mark or (("",) if check else ())))
            table.add_row(*map(escape, cells))
        console.print(table)
    if check:
        console.print(escape(f"\n{len(check.documented)} of {len(check.required)} required items documented"
                             + (f"; missing: {', '.join(i.item for i in check.missing)}" if check.missing else ".")),
                      highlight=False)
        if check.not_required:
            console.print(escape("named in the record but not required for this model: "
                                 + ", ".join(check.not_required)), highlight=False)
    console.print(f"[dim]{DISCLAIMER}[/dim]", highlight=False)


def markdown(result: dict, check: RecordCheck | None = None, ticked: set[str] | None = None) -> str:
    """A Markdown checklist from the JSON of ``assess`` (``documentation``):
    one box per required item (ticked when the record documents it, or when
    ``ticked`` names it), the exempt ones struck through with their exemption,
    each with its provision's verbatim text."""
    done = {i.item for i in check.documented} if check else set(ticked or ())
    out = [f"# Documentation dossier of {plain(result['name'])} under the AI Act", "",
           f"As of **{result['as_of']}**. {DISCLAIMER}", ""]
    items = result["documentation"]
    if not items:
        return "\n".join(out + [why_empty(result["in_scope"], result["summary"].get("in_scope", "")), ""])
    for (obligation, addressee), group in groupby(items, key=lambda i: (i["obligation"], i["addressee"])):
        out += [f"## {obligation} — for {addressee}", ""]
        for i in group:
            if i["status"] == "exempt":
                out.append(f"- ~~**{i['provision']}** — {i['title']}~~ — exempt ({i['exempted_by']})")
            else:
                out.append(f"- [{'x' if i['item'] in done else ' '}] **{i['provision']}** — {i['title']} "
                           f"(`{i['item']}`), due {i['due'] or '—'}")
            out.append("  > " + i["text"])
            out += [f"  - note: {n}" for n in i["notes"]]
            out += [f"  - see: {r['title']}" + (f" <{r['url']}>" if r.get("url") else "") for r in i["references"]]
        out.append("")
    if check:
        out += [f"{len(check.documented)} of {len(check.required)} required items documented.", ""]
    return "\n".join(out)
