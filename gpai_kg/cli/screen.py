"""``gpai-kg screen``: the registry streamed through the reasoner, a progress
bar with the rate and the time left, the models listed (``--only``,
``--limit``), the file written as the rows come (``--out``), and the summary,
which says how its counts overlap."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gpai_kg.errors import UserError
from gpai_kg.reasoning.screen import ScreenedRow, Tally

# What each --only keeps.
FILTERS = {
    "systemic": lambda r: r["systemic_risk"] is True,
    "gpai": lambda r: r["general_purpose"] is True,
    "undetermined": lambda r: None in (r["in_scope"], r["general_purpose"], r["systemic_risk"]),
    "exempt": lambda r: bool(r["exemptions"]),
}
# How each count of the summary relates to the others (the counts overlap).
OF = {
    "general-purpose undetermined": "these three lines add up to the valid rows",
    "systemic risk": "part of the general-purpose",
    "in scope": "across the lines above",
    "exempt (open source)": "an obligation lifted by an exemption",
    "undetermined": "in scope, general-purpose or systemic risk unknown; overlaps the lines above",
    "invalid rows": "not screened: see their error",
}


@dataclass
class ScreenOptions:
    as_of: str | None = None
    out: Path | None = None
    only: list[str] | None = None
    limit: int | None = None
    summary_only: bool = False
    workers: int | None = None
    dask: str | None = None
    chunk: int | None = None  # screen_stream's default


def _answer(value) -> str:
    return "yes" if value is True else "no" if value is False else "?"


def _line(item: ScreenedRow) -> str:
    r = item.result
    if r is None:
        return f"{item.row:>7}  {item.name}  — invalid: {item.error}"
    parts = [f"general-purpose {_answer(r['general_purpose'])}", f"systemic {_answer(r['systemic_risk'])}",
             f"in scope {_answer(r['in_scope'])}", f"{len(r['obligations'])} obligations"]
    if r["exemptions"]:
        parts.append("exempt: " + ", ".join(e["provision"] for e in r["exemptions"]))
    if r["undetermined"]:
        parts.append("missing: " + ", ".join(r["undetermined"]))
    return f"{item.row:>7}  {item.name}  — " + "; ".join(parts)


def _listed(item: ScreenedRow, only: list[str]) -> bool:
    if not only:
        return True
    return item.result is not None and any(FILTERS[name](item.result) for name in only)


def summary_table(summary: dict[str, int], title: str):
    """The summary as a table that says which counts overlap."""
    from rich.table import Table
    from rich.text import Text

    counts = dict(summary)
    valid = counts["models"] - counts.get("invalid rows", 0)
    order = list(counts)
    order.insert(order.index("not general-purpose") + 1, "general-purpose undetermined")
    counts["general-purpose undetermined"] = valid - counts["general-purpose"] - counts["not general-purpose"]
    table = Table("", "models", "", title=Text(title),
                  caption=Text("The counts overlap: a model counts in every line that is true of it."))
    for key in order:
        table.add_row(Text(key), str(counts[key]), Text(OF.get(key, ""), style="dim"))
    return table


def screen_command(path: Path, options: ScreenOptions, console) -> dict[str, int]:
    """The CLI (see the module docstring); returns the summary."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from gpai_kg.publish.screening import RDF_SUFFIXES, ScreeningWriter, check_out
    from gpai_kg.reasoning.description import parse_date
    from gpai_kg.reasoning.parallel import cores
    from gpai_kg.reasoning.registry import Registry
    from gpai_kg.reasoning.screen import screen_stream

    import datetime

    when = parse_date(options.as_of) if options.as_of is not None else datetime.date.today()
    if options.summary_only and (options.out or options.only or options.limit is not None):
        raise UserError("--summary-only gives the counts alone: drop --out, --only and --limit, or it")
    for name, value, low, high in (("--workers", options.workers, 1, 1024), ("--limit", options.limit, 0, None),
                                   ("--chunk", options.chunk, 1, 100_000)):
        if value is not None and not (low <= value and (high is None or value <= high)):
            raise UserError(f"{name} {value}: give a whole number from {low}" + (f" to {high}" if high else " up"))
    out = check_out(options.out) if options.out is not None else None
    listing = not options.summary_only and (bool(options.only) or options.limit is not None)
    workers = options.workers or cores()
    registry = Registry(path, workers=workers)  # Epoch's base models read on the workers too
    total = registry.count()
    tally, shown = Tally(), 0
    err = Console(stderr=True)
    columns = (TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[rate]} models/s"), TimeElapsedColumn(), TextColumn("left"),
               TimeRemainingColumn())
    writer = ScreeningWriter(out) if out is not None else None
    try:
        with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("screen", total=total, rate="…")
            suffix = out.suffix.lower() if out is not None else None
            stream = screen_stream(registry, when, workers=workers, dask=options.dask,
                                   chunk=options.chunk, rdf=suffix in RDF_SUFFIXES,
                                   answers_only=suffix in (None, ".csv"),  # nothing written needs the explanations
                                   counts_only=writer is None and not listing)  # nor anything of the rows but counts
            for item in stream:
                tally.add(item)
                if writer is not None:
                    writer.add(item)
                if listing and (options.limit is None or shown < options.limit) and _listed(item, options.only):
                    console.print(_line(item), markup=False, highlight=False, soft_wrap=True)
                    shown += 1
                if tally.count["models"] % 100 == 0:  # the bar moved every 100 rows: a call a row cost 1 µs
                    elapsed = bar.tasks[0].elapsed or 0
                    bar.update(task, completed=tally.count["models"],
                               rate=f"{tally.count['models'] / elapsed:,.0f}" if elapsed else "…")
            bar.update(task, completed=tally.count["models"])
        if writer is not None:
            writer.close()
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    summary = tally.summary()
    console.print(summary_table(summary, f"{Path(path).name} — as of {when.isoformat()}"))
    if listing:
        console.print(f"listed {shown} models", highlight=False)
    if writer is not None:
        console.print(f"wrote {writer.out}", highlight=False, soft_wrap=True, markup=False)
    return summary
