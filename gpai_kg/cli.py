"""The ``gpai-kg`` command. Every bad input ends in one line on stderr and a
non-zero exit (``UserError``), never a traceback."""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from .errors import UserError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="gpai-kg: the EU AI Act's rules for general-purpose AI models as a knowledge graph.")
console = Console()


class Format(str, enum.Enum):
    json = "json"
    text = "text"


def _emit_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


@app.command()
def build(out: Annotated[Optional[Path], typer.Option(help="Output directory (default: data/graph).")] = None,
          sources: Annotated[Optional[Path], typer.Option(help="Source directory (default: data/sources).")] = None):
    """Build the graph from data/sources into data/graph (deterministic, SHACL-checked)."""
    from .build import build as run_build

    result = run_build(out, sources)
    report = result.crossrefs
    console.print(f"built {result.out} — {sum(len(g) for g in result.graphs.values())} triples; "
                  f"cross-references: {report.phrases} phrases found, {report.resolved} resolved")
    for source, phrase in report.unresolved:
        console.print(f"  unresolved in {source}: {phrase!r}", style="yellow")


@app.command()
def stats(format: Annotated[Format, typer.Option("--format", help="json or text")] = Format.text):
    """Counts of provisions, links and triples in the embedded graph."""
    from .lookup import stats as count
    from .store import load_store

    numbers = count(load_store())
    if format is Format.json:
        _emit_json(numbers)
        return
    table = Table("what", "count", title="gpai-kg — Regulation (EU) 2024/1689")
    for key, value in numbers.items():
        table.add_row(key.replace("_", " "), str(value))
    console.print(table)


@app.command()
def show(citation: Annotated[str, typer.Argument(help="e.g. 'Article 53(1)(a)', 'Recital 97', 'Annex XIII'")],
         format: Annotated[Format, typer.Option("--format", help="json or text")] = Format.text):
    """One provision: its verbatim text, parts, what it cites and what cites it."""
    from .lookup import show as lookup
    from .store import load_store

    info = lookup(load_store(), citation)
    if format is Format.json:
        _emit_json(info)
        return
    console.rule(f"[bold]{info['citation']}[/bold]" + (f" — {info['title']}" if info["title"] else ""))
    console.print(info["text"], highlight=False)
    for key in ("parent", "parts", "cites", "cited_by", "explained_by", "discussed_in"):
        value = info[key]
        if value:
            console.print(f"[bold]{key.replace('_', ' ')}:[/bold] "
                          + (value if isinstance(value, str) else "; ".join(value)), highlight=False)
    console.print(f"[bold]iri:[/bold] {info['iri']}\n[bold]EUR-Lex:[/bold] {info['url']}", highlight=False)


def main() -> None:
    """Entry point: run the Typer app, turning ``UserError`` into one line."""
    try:
        app(standalone_mode=False)
    except UserError as exc:
        sys.stderr.write(f"gpai-kg: error: {exc}\n")
        raise SystemExit(exc.exit_code) from None
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
        raise SystemExit(code) from None
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            raise SystemExit(exc.exit_code) from None
        if isinstance(exc, click.exceptions.Abort):
            raise SystemExit(130) from None
        raise
