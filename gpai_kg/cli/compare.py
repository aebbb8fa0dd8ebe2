"""``gpai-kg compare A B`` (two models) or ``gpai-kg compare A --as-of D1 --as-of D2`` (one model on two
dates): what differs, and the facts and provisions that make the difference (``publish.comparison``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gpai_kg.errors import UserError


def sides(models: list[Path], dates: list[str]) -> list[tuple[Path, str | None]]:
    """The two (model, date) pairs the arguments name."""
    if len(models) == 1 and len(dates) == 2:
        return [(models[0], dates[0]), (models[0], dates[1])]
    if len(models) == 2 and len(dates) <= 2:
        first = dates[0] if dates else None
        return [(models[0], first), (models[1], dates[1] if len(dates) == 2 else first)]
    raise UserError("compare takes two models (with at most two --as-of), or one model with two --as-of dates; "
                    f"got {len(models)} model(s) and {len(dates)} date(s)")


def _side(path: Path, as_of: str | None) -> dict:
    from gpai_kg.publish.filing import facts
    from gpai_kg.reasoning.assessment import assess
    from gpai_kg.reasoning.description import parse_date
    from gpai_kg.reasoning.model_files import load_description

    when = parse_date(as_of) if as_of is not None else None
    description = load_description(path)
    return {"result": assess(description, when).to_json(), "facts": facts(description)}


def _yn(value) -> str:
    return {True: "yes", False: "no", None: "undetermined"}[value]


def _steps(entry: dict) -> str:
    from gpai_kg.publish.numbers import readable

    parts = [entry["note"]] if entry.get("note") else []
    parts += [f"{side} only: " + " → ".join(readable(s) for s in entry[key])
              for side, key in (("left", "left_only"), ("right", "right_only")) if entry[key]]
    return "\n".join(parts)


def _owed(obligation: dict, side: str) -> str:
    if obligation[side]:
        return f"{obligation[side]['status']}, from {obligation[side]['due'] or '—'}"
    lifted = obligation["lifted_by"].get(side)
    return f"lifted by {lifted}" if lifted else "not owed"


def render(diff: dict, console) -> None:
    from rich.markup import escape
    from rich.table import Table

    left, right = (f"{escape(diff[s]['name'])} ({diff[s]['as_of']})" for s in ("left", "right"))
    console.rule(f"[bold]compare[/bold] left: {left} · right: {right}")
    if diff["law"]:
        console.print("the law: " + " · ".join(f"{side}: " + (v["expression"] if v else "not in force")
                                               for side, v in (("left", diff["law"]["left"]),
                                                               ("right", diff["law"]["right"]))), highlight=False)
    if diff["facts"]:
        table = Table("fact", "left", "right", title="facts that differ")
        for f in diff["facts"]:
            table.add_row(f["key"], *(escape(f"{v}" if v is not None else "—") + ("" if given or v is None else
                                                                                  " (assumed)")
                                      for v, given in ((f["left"], f["left_given"]), (f["right"], f["right_given"]))))
        console.print(table)
    if diff["same"]:
        console.print("The same answers, obligations and exemptions on both sides.")
        return
    if diff["answers"]:
        table = Table("answer", "left", "right", "what makes the difference", title="answers that differ")
        for a in diff["answers"]:
            table.add_row(a["answer"].replace("_", " "), _yn(a["left"]), _yn(a["right"]), escape(_steps(a)))
        console.print(table)
    if diff["obligations"]:
        table = Table("obligations", "left", "right", "what makes the difference", title="obligations that differ")
        rows: dict[tuple, list[dict]] = {}
        for o in diff["obligations"]:
            cells = tuple(_owed(o, side) for side in ("left", "right"))
            rows.setdefault((*cells, _steps(o)), []).append(o)
        for (left_cell, right_cell, steps), group in rows.items():
            names = "\n".join(f"[bold]{escape(o['provision'])}[/bold] {escape(o['title'])}" for o in group)
            table.add_row(names, left_cell, right_cell, escape(steps))
        console.print(table)
    granted: dict[tuple, list[str]] = {}
    for e in diff["exemptions"]:
        granted.setdefault((e["exempted_by"], "left" if e["left"] else "right", e["why"]), []).append(e["provision"])
    for (by, side, why), lifted in granted.items():
        console.print(f"[bold]{escape(by)}[/bold] lifts {escape(', '.join(lifted))} on the {side} only: "
                      f"{escape(why)}", highlight=False)
    console.print("[dim]Not legal advice.[/dim]")


def compare_command(models: list[Path], dates: list[str], fmt: str, console) -> dict:
    from gpai_kg.publish.comparison import compare

    left, right = (_side(path, when) for path, when in sides(models, dates))
    diff = compare(left, right)
    if fmt == "json":
        sys.stdout.write(json.dumps(diff, indent=2, ensure_ascii=False) + "\n")
    else:
        render(diff, console)
    return diff
