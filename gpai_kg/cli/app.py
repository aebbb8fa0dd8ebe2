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

from gpai_kg.errors import UserError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="gpai-kg: the EU AI Act's rules for general-purpose AI models as a knowledge graph.")
console = Console()


def _version(value: bool) -> None:
    """``--version``: the package's version, and the version of the Act the graph answers from: each
    expression of Regulation (EU) 2024/1689 it holds (``eli:is_realized_by``), with the dates of the
    version each realises where the graph has them (``gpai:ActVersion``)."""
    if not value:
        return
    import datetime

    from gpai_kg import __version__
    from gpai_kg.namespaces import ACT_IRI
    from gpai_kg.store.dataset import load_store
    from gpai_kg.store.lookup import select

    rows = select(load_store(), """SELECT ?iri ?expression ?start ?end WHERE { ?iri eli:is_realized_by ?expression .
        OPTIONAL { ?v eli:is_member_of ?iri ; eli:is_realized_by ?expression ; eli:first_date_entry_in_force ?start .
                   OPTIONAL { ?v eli:date_no_longer_in_force ?end } } }""", iri=ACT_IRI)
    today = datetime.date.today().isoformat()
    sys.stdout.write(f"gpai-kg {__version__}\n")
    for row in sorted(rows, key=lambda r: (r.get("start", ""), r["expression"])):
        dates = (f" (in force from {row['start']}" + (f" to {row['end']})" if "end" in row else ")")
                 if "start" in row else "")
        now = " — the version in force today" if row.get("start", "") <= today <= row.get("end", "9999") and \
            (dates or len(rows) == 1) else ""
        sys.stdout.write(f"Regulation (EU) 2024/1689: {row['expression']}{dates}{now}\n")
    raise typer.Exit()


@app.callback()
def root(version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_version,
                                               help="The version of gpai-kg and of the Act it answers from.")]
         = False):
    """gpai-kg: the EU AI Act's rules for general-purpose AI models as a knowledge graph."""


class Format(str, enum.Enum):
    json = "json"
    text = "text"


def _emit_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


@app.command()
def build(out: Annotated[Optional[Path], typer.Option(help="Output directory (default: data/graph).")] = None,
          sources: Annotated[Optional[Path], typer.Option(help="Source directory (default: data/sources).")] = None):
    """Build the graph from data/sources into data/graph (deterministic, SHACL-checked)."""
    from gpai_kg.builder.pipeline import build as run_build

    result = run_build(out, sources)
    console.print(f"built {result.out} — {sum(len(g) for g in result.graphs.values())} triples",
                  highlight=False, markup=False)
    for version, report in result.crossrefs.items():
        console.print(f"  version {version}: cross-references: {report.phrases} phrases found, "
                      f"{report.resolved} resolved", highlight=False, markup=False)
        for source, phrase in report.unresolved:
            console.print(f"    unresolved in {source}: {phrase!r}", style="yellow", markup=False)
    for version, check in result.report["consolidation_check"].items():
        console.print(f"  version {version} against {check['consolidated_text']} (documentation, no legal "
                      f"effect): {check['equal']}/{check['compared']} provisions equal", highlight=False, markup=False)


def _day(as_of: str | None):
    """The date of ``--as-of`` (default: today); ``UserError`` naming the option."""
    import datetime

    from gpai_kg.reasoning.description import parse_date

    return parse_date(as_of) if as_of is not None else datetime.date.today()


@app.command()
def stats(format: Annotated[Format, typer.Option("--format", help="json or text")] = Format.text,
          as_of: Annotated[Optional[str], typer.Option("--as-of", help="Count the Act in force on this date, "
                                                       "YYYY-MM-DD (default: today).")] = None):
    """Counts of provisions, links and triples in the embedded graph, for the version in force on a date."""
    from gpai_kg.store.dataset import load_store
    from gpai_kg.store.lookup import stats as count
    from gpai_kg.store.versions import act_version_at, act_versions

    day = _day(as_of)
    store = load_store()
    numbers: dict = count(store, day)
    version = act_version_at(store, day)
    numbers["version"] = {"expression": version["expression"], "in_force_from": version["start"].isoformat(),
                          "in_force_until": version["end"].isoformat() if version["end"] else None} if version else None
    numbers["versions"] = [dict(expression=v["expression"], in_force_from=v["start"].isoformat(),
                                in_force_until=v["end"].isoformat() if v["end"] else None,
                                **{k: count(store, v["start"])[k] for k in ("articles", "annexes", "recitals")})
                           for v in act_versions(store)]
    if format is Format.json:
        _emit_json(numbers)
        return
    title = f"gpai-kg — Regulation (EU) 2024/1689 in force on {day.isoformat()}"
    table = Table("what", "count", title=title if version else f"{title} (not yet in force)")
    for key, value in numbers.items():
        if not isinstance(value, (dict, list)) and value is not None:
            table.add_row(key.replace("_", " "), str(value))
    console.print(table)
    versions = Table("version (expression)", "in force", "articles", "annexes", title="versions of the Act")
    for v in numbers["versions"]:
        versions.add_row(v["expression"], f"{v['in_force_from']} – {v['in_force_until'] or ''}",
                         str(v["articles"]), str(v["annexes"]))
    console.print(versions)


def _documentation_note(info: dict) -> str:
    acts = "; ".join(f"{a['citation']} ({a['oj']}, {a['url']})" for a in info["authentic"])
    return ("Consolidated text: a documentation version with no legal effect. The authentic texts are " + acts + ".")


@app.command()
def show(citation: Annotated[str, typer.Argument(metavar="CITATION", help="e.g. 'Article 53(1)(a)', 'Recital 97', 'Annex XIII'")],
         format: Annotated[Format, typer.Option("--format", help="json or text")] = Format.text,
         as_of: Annotated[Optional[str], typer.Option("--as-of", help="The text in force on this date, YYYY-MM-DD "
                                                      "(default: today).")] = None):
    """One provision as in force on a date: its verbatim text, version, changes, parts, citations."""
    from gpai_kg.store.dataset import load_store
    from gpai_kg.store.provision import show as lookup

    info = lookup(load_store(), citation, _day(as_of))
    if format is Format.json:
        _emit_json(info)
        return
    console.rule(f"[bold]{info['citation']}[/bold]" + (f" — {info['title']}" if info["title"] else ""))
    version = info["version"]
    console.print(f"as of {info['as_of']}: the version in force from {version['in_force_from']}"
                  + (f" to {version['in_force_until']}" if version["in_force_until"] else "")
                  + f" ({version['expression']})", style="dim", highlight=False, markup=False)
    console.print(info["text"], highlight=False, markup=False)
    for change in info["amended_by"]:
        where = "" if change["provision"] == info["citation"] else f"{change['provision']} "
        console.print(f"{where}{change['kind']} by {change['point']}, from {change['date']}",
                      highlight=False, markup=False)
    if info["previous"] is not None:
        console.print(f"previous text: {info['previous']}", highlight=False, markup=False)
    for key in ("parent", "parts", "cites", "cited_by", "explained_by", "discussed_in"):
        value = info[key]
        if value:
            console.print(f"[bold]{key.replace('_', ' ')}:[/bold] "
                          + (value if isinstance(value, str) else "; ".join(value)), highlight=False)
    console.print(f"[bold]iri:[/bold] {info['iri']}\n[bold]EUR-Lex:[/bold] {info['url']}", highlight=False)
    if info.get("documentation_version"):
        console.print(f"[dim]{_documentation_note(info)}[/dim]", highlight=False)


@app.command()
def changes(start: Annotated[Optional[str], typer.Option("--from", help="Changes effective on or after this date, "
                                                         "YYYY-MM-DD.")] = None,
            end: Annotated[Optional[str], typer.Option("--to", help="Changes effective on or before this date, "
                                                       "YYYY-MM-DD.")] = None,
            provision: Annotated[Optional[str], typer.Option("--provision", help="Only the changes of this provision, "
                                                             "of a provision that holds it or of its parts.")] = None,
            format: Annotated[Format, typer.Option("--format", help="json or text")] = Format.text):
    """Every provision inserted, replaced or deleted, with its amending point and a word-level diff."""
    from gpai_kg.reasoning.description import parse_date
    from gpai_kg.store.dataset import load_store
    from gpai_kg.store.lookup import citation_index
    from gpai_kg.store.versions import amended_by, before_after
    from gpai_kg.store.versions import changes as all_changes

    store = load_store()
    first = parse_date(start, "--from") if start is not None else None
    last = parse_date(end, "--to") if end is not None else None
    if first and last and first > last:
        raise UserError(f"--from {first.isoformat()} is after --to {last.isoformat()}")
    if provision is not None:
        from gpai_kg.citations import to_iri

        found = amended_by(store, to_iri(citation_index(store).resolve(provision)))
        found = [c for c in found if (first is None or c.date >= first) and (last is None or c.date <= last)]
    else:
        found = all_changes(store, first, last)
    listed = []
    for change in found:
        before, after = before_after(store, change)
        listed.append({"provision": change.provision, "kind": change.kind, "act": change.act, "point": change.point,
                       "date": change.date.isoformat(), "before": before, "after": after,
                       "part": change.part or None, "instruction": change.instruction})
    if format is Format.json:
        _emit_json(listed)
        return
    from gpai_kg.publish.diff import rich_markup

    for item in listed:
        part = f" ({item['part']})" if item["part"] else ""
        console.rule(f"[bold]{item['provision']}{part}[/bold] — {item['kind']} by {item['point']}, from {item['date']}",
                     align="left")
        console.print(rich_markup(item["before"], item["after"]), highlight=False)
    console.print(f"{len(listed)} change(s). Consolidated texts are documentation versions with no legal effect; "
                  "the authentic texts are the OJ original and the amending acts.", highlight=False)


class QueryFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"
    turtle = "turtle"


@app.command()
def query(name_or_file: Annotated[Optional[str], typer.Argument(
              help="A canned query's name (see --list) or a .rq file.")] = None,
          param: Annotated[list[str], typer.Option("--param", help="KEY=VALUE, repeatable.")] = [],  # noqa: B006
          format: Annotated[QueryFormat, typer.Option("--format", help="table, json (SPARQL results JSON; "
                                                      "Turtle for CONSTRUCT/DESCRIBE), csv or turtle")]
          = QueryFormat.table,
          endpoint: Annotated[Optional[str], typer.Option(help="A remote SPARQL endpoint URL (default: the "
                                                          "embedded graph).")] = None,
          list_: Annotated[bool, typer.Option("--list", help="List the canned queries and their titles.")] = False,
          timeout: Annotated[float, typer.Option(help="Time limit in seconds.")] = 10.0,
          max_rows: Annotated[int, typer.Option(help="Result limit (rows, or triples).")] = 10_000,
          max_memory: Annotated[int, typer.Option(help="Memory limit of an embedded query, in MB.")] = 1024,
          input: Annotated[list[Path], typer.Option("--input", help="A Turtle file queried with the graph "
                                                    "(e.g. an assessment), repeatable.")] = []):  # noqa: B006
    """Run a read-only SPARQL query: a canned one by name, or a .rq file."""
    from gpai_kg.cli.sparql import query_command

    query_command(name_or_file, param, format.value, endpoint, list_, timeout, max_rows, input, console, max_memory)


@app.command()
def serve(port: Annotated[Optional[int], typer.Option(min=1, max=65535, help="Port on 127.0.0.1 (default: a free "
                                                     "one).")] = None,
          data: Annotated[Optional[Path], typer.Option(help="Graph directory (default: data/graph); ontology "
                                                       "and curated law are always loaded.")] = None,
          writable: Annotated[bool, typer.Option("--writable", help="Allow SPARQL Update and GSP writes.")]
          = False):
    """Serve the graph with a real Oxigraph SPARQL server (read-only by default) until Ctrl-C."""
    from gpai_kg.cli.sparql import serve_command

    serve_command(port, data, writable, console)


@app.command()
def push(endpoint: Annotated[str, typer.Option(help="The store's SPARQL URL (Oxigraph /query, Fuseki "
                                               "/ds/sparql, GraphDB /repositories/r, Virtuoso /sparql).")],
         graph: Annotated[Optional[str], typer.Option(help="Put everything into this one graph (default: one "
                                                      "graph per file group, .../graph/<name>).")] = None,
         store_url: Annotated[Optional[str], typer.Option(help="Graph Store Protocol URL, if it cannot be "
                                                          "derived from --endpoint.")] = None,
         update_url: Annotated[Optional[str], typer.Option(help="SPARQL Update URL, if it cannot be derived "
                                                           "from --endpoint.")] = None,
         data: Annotated[Optional[Path], typer.Option(help="Graph directory (default: data/graph).")] = None):
    """Load the graph into a SPARQL 1.1 store (Graph Store Protocol): staged, checked, swapped in
    atomically where the store allows it (not on Virtuoso, which is said first and checked after)."""
    from gpai_kg.cli.sparql import push_command

    push_command(endpoint, graph, store_url, update_url, data, console)


@app.command()
def export(what: Annotated[Optional[str], typer.Option("--what", help="ontology, graph (default), shapes, "
                                                      "glossary or all")] = None,
           format: Annotated[str, typer.Option("--format", help="turtle, xml, jsonld, nt, trig or akn")] = "turtle",
           out: Annotated[Optional[Path], typer.Option("--out", help="Output file (default: stdout).")] = None,
           model: Annotated[Optional[Path], typer.Option("--model", help="Instead of --what: the assessment of "
                                                         "this described model (trig: asserted and inferred "
                                                         "triples in separate named graphs).")] = None,
           as_of: Annotated[Optional[str], typer.Option("--as-of", help="With --model: the date, YYYY-MM-DD "
                                                        "(default: today). With --format akn: the expression of "
                                                        "the Act in force on that date (default: the OJ text).")]
           = None):
    """Export the ontology, the graph, the shapes or the glossary as RDF, or the Act as Akoma Ntoso."""
    from gpai_kg.publish.rdf import export as run_export

    size = run_export(what, format, out, model, as_of)
    if out is not None:
        console.print(f"wrote {out} ({size} bytes)", highlight=False, soft_wrap=True, markup=False)


@app.command()
def docs(out: Annotated[Path, typer.Option("--out", help="Directory to write index.html into.")]):
    """HTML documentation of the ontology (pyLODE): every class and property, its label, comment and source."""
    from gpai_kg.publish.docs import write_docs

    console.print(f"wrote {write_docs(out)}", highlight=False, soft_wrap=True, markup=False)


@app.command("rules")
def rules_command(write: Annotated[bool, typer.Option("--write", help="Regenerate the rule files' headers and "
                                                  "docs/rules.md from data/curated/rules.ttl and the graph.")]
                  = False,
                  format: Annotated[Format, typer.Option("--format", help="json or text")] = Format.text):
    """The reasoner's rules in the order they run, each with the provisions it implements."""
    from gpai_kg.publish.rulebook import write as write_rulebook
    from gpai_kg.reasoning.rules import rules
    from gpai_kg.store.dataset import load_store
    from gpai_kg.store.lookup import citation_of

    if write:
        for path in write_rulebook():
            console.print(f"wrote {path}", highlight=False, soft_wrap=True)
        return
    store = load_store()
    listed = [{"rule": r.name, "implements": [citation_of(store, p) for p in r.implements],
               "stratum": r.stratum, "order": r.order, "file": r.file,
               "template": r.template.rsplit("/", 1)[-1] if r.template else None} for r in rules()]
    if format is Format.json:
        _emit_json(listed)
        return
    table = Table("stratum.order", "rule", "implements", "query", title="gpai-kg rules (docs/rules.md)")
    for r in listed:
        table.add_row(f"{r['stratum']}.{r['order']}", r["rule"], ", ".join(r["implements"]) or "—", r["file"])
    console.print(table)


class AssessFormat(str, enum.Enum):
    json = "json"
    text = "text"
    turtle = "turtle"
    md = "md"
    html = "html"
    pdf = "pdf"


@app.command()
def assess(path: Annotated[Path, typer.Argument(metavar="PATH", help="A described model: .json, .yaml or .ttl "
                                                "(keys and terms: ontology/shapes-model.ttl).")],
           as_of: Annotated[Optional[str], typer.Option("--as-of", help="The date to answer for, YYYY-MM-DD "
                                                        "(default: today).")] = None,
           format: Annotated[AssessFormat, typer.Option("--format", help="json, text or turtle; md, html or pdf: "
                                                        "the report to file")] = AssessFormat.text,
           out: Annotated[Optional[Path], typer.Option("--out", help="With --format md, html or pdf: write the "
                                                       "report to this file (default: stdout).")] = None):
    """Which obligations of the AI Act attach to a described model, and why (not legal advice)."""
    from gpai_kg.cli.report import REPORTS, write_report
    from gpai_kg.reasoning.assessment import assess as run_assess
    from gpai_kg.reasoning.description import parse_date
    from gpai_kg.reasoning.model_files import load_description

    if out is not None and format.value not in REPORTS:
        raise UserError(f"--out is for the reports (--format {', '.join(REPORTS)}), not --format {format.value}")
    when = parse_date(as_of) if as_of is not None else None
    description = load_description(path)
    result = run_assess(description, when)
    if format.value in REPORTS:
        write_report(result, description, format.value, out, console)
    elif format is AssessFormat.json:
        _emit_json(result.to_json())
    elif format is AssessFormat.turtle:
        from gpai_kg.publish.assessment_rdf import assessment_turtle

        sys.stdout.write(assessment_turtle(result))
    else:
        from gpai_kg.publish.text import render_text

        render_text(result, console)


class DossierFormat(str, enum.Enum):
    text = "text"
    json = "json"
    md = "md"


@app.command()
def dossier(path: Annotated[Path, typer.Argument(metavar="MODEL", help="A described model: .json, .yaml or .ttl.")],
            as_of: Annotated[Optional[str], typer.Option("--as-of", help="The date to answer for, YYYY-MM-DD "
                                                         "(default: today).")] = None,
            format: Annotated[DossierFormat, typer.Option("--format", help="text, json or md")] = DossierFormat.text,
            check: Annotated[Optional[Path], typer.Option("--check", metavar="RECORD", help="A provider's record "
                                                          "(.json, .yaml or .ttl: item -> where it is documented), "
                                                          "checked for completeness; exit 1 when an item is "
                                                          "missing.")] = None):
    """The documentation the model's provider must prepare: each point, its verbatim text, for whom and by when."""
    from gpai_kg.publish import dossier as view
    from gpai_kg.reasoning.assessment import assess as run_assess
    from gpai_kg.reasoning.description import parse_date
    from gpai_kg.reasoning.model_files import load_description
    from gpai_kg.reasoning.record import check_record

    when = parse_date(as_of) if as_of is not None else None
    result = run_assess(load_description(path), when)
    checked = check_record(check, result.documentation, result.law) if check is not None else None
    if format is DossierFormat.json:
        _emit_json(checked.as_json() if checked else [item.as_json() for item in result.documentation])
    elif format is DossierFormat.md:
        sys.stdout.write(view.markdown(result.to_json(chains=False), checked))
    else:
        view.render_text(result, console, checked)
    if checked is not None and not checked.complete:
        raise typer.Exit(1)


class Only(str, enum.Enum):
    systemic = "systemic"
    gpai = "gpai"
    undetermined = "undetermined"
    exempt = "exempt"


@app.command()
def compare(models: Annotated[list[Path], typer.Argument(metavar="A [B]", help="Two described models, or one "
                                                         "with two --as-of dates.")],
            as_of: Annotated[list[str], typer.Option("--as-of", help="YYYY-MM-DD; twice: the left side's date, "
                                                     "then the right's (default: today).")] = [],  # noqa: B006
            format: Annotated[Format, typer.Option("--format", help="json or text")] = Format.text):
    """Two assessments side by side: the answers and obligations that differ, and which facts or provisions make
    the difference."""
    from gpai_kg.cli.compare import compare_command

    compare_command(models, as_of, format.value, console)


@app.command()
def screen(csv_file: Annotated[Path, typer.Argument(metavar="CSV", help="A model registry: Epoch AI's Notable AI "
                                                    "Models table, or a CSV of the input contract's keys.")],
           as_of: Annotated[Optional[str], typer.Option("--as-of", help="YYYY-MM-DD (default: today).")] = None,
           out: Annotated[Optional[Path], typer.Option("--out", help="Write the results, as they come, to FILE.csv "
                                                       "(the answers), FILE.json, FILE.jsonl (JSON Lines: with "
                                                       "why), or FILE.ttl / FILE.trig (RDF for the canned registry "
                                                       "queries).")] = None,
           only: Annotated[Optional[list[Only]], typer.Option("--only", help="List the models that are systemic, "
                                                              "gpai, undetermined or exempt (repeatable: any "
                                                              "of them).")] = None,
           limit: Annotated[Optional[int], typer.Option("--limit", help="List at most N models (with "
                                                        "--only: of those).")] = None,
           summary_only: Annotated[bool, typer.Option("--summary-only", help="Only the counts: no listing, no "
                                                      "--out.")] = False,
           workers: Annotated[Optional[int], typer.Option("--workers", help="Processes to screen on "
                                                          "(default: all cores).")] = None,
           dask: Annotated[Optional[str], typer.Option("--dask", metavar="SCHEDULER_ADDRESS", help="Screen on a "
                                                       "Dask cluster (tcp://host:8786) instead.")] = None,
           chunk: Annotated[Optional[int], typer.Option("--chunk", help="Models reasoned over at once, in one "
                                                        "store (default: 250).")] = None):
    """Assess every model of a registry, streaming; summarise how many are GPAI, systemic, exempt, undetermined."""
    from gpai_kg.cli.screen import ScreenOptions, screen_command

    screen_command(csv_file, ScreenOptions(as_of, out, [o.value for o in only or []], limit, summary_only, workers,
                                           dask, chunk), console)


def main() -> None:
    """Entry point: run the Typer app; a ``UserError`` or a usage error (bad option, missing argument,
    bad value, unknown command) is one line on stderr and exit 2, never a traceback."""
    from gpai_kg.cli.usage import run

    run(app)
