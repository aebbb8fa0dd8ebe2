"""``gpai-kg screen``: a progress bar, the summary, and the file written."""

from __future__ import annotations

from pathlib import Path

from gpai_kg.errors import UserError
from gpai_kg.publish.screening import write
from gpai_kg.reasoning.screen import Screening, descriptions, screen


def screen_command(path: Path, as_of: str | None, out: Path | None, console) -> Screening:
    """The CLI: a progress bar, the summary, and the file written."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.table import Table
    from rich.text import Text

    from gpai_kg.reasoning.description import parse_date

    when = parse_date(as_of) if as_of is not None else None
    if out is not None and Path(out).suffix.lower() not in (".csv", ".json"):
        raise UserError(f"--out {out}: use a .csv or .json file")
    rows, _ = descriptions(Path(path))
    with Progress(TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("screen", total=len(rows))
        screening = screen(path, when, progress=lambda n: bar.advance(task, n))
    table = Table("", "models", title=Text(f"{Path(path).name} — as of {screening.as_of.isoformat()}"))
    for key, value in screening.summary.items():
        table.add_row(key, str(value))
    console.print(table)
    if out is not None:
        console.print(f"wrote {write(screening, out)}", highlight=False, soft_wrap=True, markup=False)
    return screening
