"""An assessment for people, in the terminal (rich): the three answers, each
in one plain sentence above the chain of facts and provisions behind it, the
obligations with what each adds to those reasons, then exemptions (and why
the others do not apply), penalties, what is undetermined, the notes and the
sources. A due date says which provision sets it (``2027-08-02 (Article
111(3))``); a model in scope before anything applies is told when the first
obligation starts; numbers read as people write them (``3.8 × 10^25``).

Every value is escaped (``rich.markup.escape``): a model's name such as
``x[/]`` is shown as written, never read as rich markup."""

from __future__ import annotations

from gpai_kg.publish.numbers import readable
from gpai_kg.publish.report import due_reason, no_obligation, not_yet
from gpai_kg.reasoning.assessment import Assessment
from gpai_kg.reasoning.law_versions import act_version_on


def render_text(assessment: Assessment, console) -> None:
    """For people: the three answers with their reasons, the obligations
    with what each adds to those reasons, then the rest."""
    from rich.markup import escape as plain
    from rich.table import Table

    def yn(value):
        return {True: "[green]yes[/green]", False: "[red]no[/red]", None: "[yellow]undetermined[/yellow]"}[value]

    console.rule(f"[bold]{plain(assessment.name)}[/bold] — as of {assessment.as_of.isoformat()}")
    version = act_version_on(assessment.law, assessment.as_of)
    if version:
        console.print(f"law: Regulation (EU) 2024/1689 in the version in force from {version['in_force_from']}"
                      f" ({version['expression']}); every provision below is quoted as in force on that date."
                      + (" That version is a consolidation: a documentation version with no legal effect; the "
                         "authentic texts are the OJ original and the amending acts (sources below)."
                         if not version["expression"].endswith("/oj/eng") else ""),
                      style="dim", highlight=False, markup=False)
    shown: set[str] = set()
    for key, label, value in (("general_purpose", "general-purpose AI model", assessment.general_purpose),
                              ("systemic_risk", "systemic risk", assessment.systemic_risk),
                              ("in_scope", "within the scope of Chapter V", assessment.in_scope)):
        steps = [s for s in assessment.reasons.get(key, []) if s not in shown]
        shown.update(steps)
        console.print(f"{label}: {yn(value)} — {plain(readable(assessment.summary.get(key, '')))}", highlight=False)
        if steps:
            console.print(f"  [dim]{plain(readable(' → '.join(steps)))}[/dim]", highlight=False)
    listed = [{"provision": o.provision, "due": o.due, "status": o.status, "due_because": o.due_because}
              for o in assessment.obligations]
    waiting = not_yet(assessment.as_of.isoformat(), assessment.in_scope, listed)
    if waiting:
        console.print(f"[yellow]{plain(waiting)}[/yellow]", highlight=False)
    if assessment.obligations:
        table = Table("obligation", "bearer", "due", "status", "because (besides the above)")
        table.columns[0].header = "provision and obligation"
        table.columns[0].no_wrap = False
        for o in assessment.obligations:
            why = due_reason(o.due_because)
            table.add_row(f"[bold]{plain(o.provision)}[/bold]\n{plain(o.title)}", plain(o.bearer),
                          plain(o.due or "") + (f"\n[dim]({plain(why)})[/dim]" if o.due and why else ""),
                          plain(o.status), plain(readable(" → ".join(s for s in o.because if s not in shown))))
        console.print(table)
    else:
        console.print(plain(no_obligation(assessment.in_scope, assessment.undetermined)), highlight=False)
    for e in assessment.exemptions:
        console.print(f"[bold]{plain(e.provision)}[/bold] does not apply: lifted by {plain(e.exempted_by)} "
                      f"({plain(e.why)}) — " + plain(readable(" → ".join(s for s in e.because if s not in shown))),
                      highlight=False)
    for n in assessment.exemptions_not_applied:
        console.print(f"[bold]{plain(n.exemption)}[/bold] ({plain(n.title)}) does not apply: "
                      f"{plain(readable(n.why_not))}",
                      highlight=False)
    for p in assessment.penalties:
        console.print(f"[bold]{plain(p.provision)}[/bold]: {plain(p.title)}, imposed by the {plain(p.imposed_by)} "
                      f"(from {plain(str(p.applies_from))}), for:", highlight=False)
        for i in p.infringements:
            console.print(plain(f"  {i['provision']}: {i['title']} — {', '.join(i['concerns'])}"), highlight=False)
    for v in assessment.supervision:
        console.print(f"supervision of {plain(v.scope)}: the [bold]{plain(v.authority)}[/bold] ({plain(v.provision)}, "
                      f"{plain(v.title)}; from {plain(str(v.applies_from))})", highlight=False)
    if assessment.undetermined:
        console.print("[yellow]undetermined — missing facts:[/yellow] " + plain(", ".join(assessment.undetermined)))
    for note in assessment.notes:
        console.print(f"[dim]note:[/dim] {plain(readable(note))}", highlight=False)
    sources = plain("; ".join(s["title"] for s in assessment.sources))
    console.print(f"[dim]sources: {sources}. Not legal advice.[/dim]", highlight=False)
