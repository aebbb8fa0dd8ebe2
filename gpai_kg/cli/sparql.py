"""What ``gpai-kg query``, ``serve`` and ``push`` print (the CLI stays thin)."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from gpai_kg.errors import UserError
from gpai_kg.namespaces import compact
from gpai_kg.publish.numbers import literal
from gpai_kg.sparql.canned import bind, catalogue, load, parse_params
from gpai_kg.sparql.results import QueryResult
from gpai_kg.sparql.run import DEFAULT_MEMORY_MB, run_query

FORMATS = ("table", "json", "csv", "turtle")


def _short(term: dict) -> str:
    value = term["value"]
    if term["type"] == "uri":
        return compact(value) or f"<{value}>"
    if term["type"] == "bnode":
        return f"_:{value}"
    value = literal(term)
    return value if len(value) <= 240 else value[:240] + "…"


def render(result: QueryResult, fmt: str, console: Console) -> None:
    """Write ``result`` to stdout in ``fmt`` (table, json, csv or turtle)."""
    if fmt not in FORMATS:
        raise UserError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    if result.kind == "graph" and fmt in ("json", "turtle"):
        sys.stdout.write(result.to_turtle())
    elif fmt == "turtle":
        raise UserError("--format turtle is for CONSTRUCT and DESCRIBE queries; use table, json or csv")
    elif fmt == "json":
        sys.stdout.write(json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        sys.stdout.write(result.to_csv())
    elif result.kind == "ask":
        console.print("yes" if result.boolean else "no")
    else:
        table = Table(*(Column(header=Text(v)) for v in result.variables),
                      caption=f"{len(result.rows)} rows, {result.elapsed * 1000:.0f} ms")
        for row in result.rows:  # Text: a value is shown as written, never read as rich markup
            table.add_row(*(Text(_short(row[v])) if v in row else "" for v in result.variables))
        console.print(table)


def list_queries(fmt: str, console: Console) -> None:
    queries = catalogue()
    if fmt == "json":
        sys.stdout.write(json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                                      "params": [p.__dict__ for p in q.params], "provisions": list(q.provisions),
                                      "input": q.input}
                                     for q in queries], indent=2, ensure_ascii=False) + "\n")
        return
    table = Table("name", "title", "parameters", title="canned queries (queries/*.rq)")
    for q in queries:
        params = ", ".join(p.name + ("" if p.required else "?") for p in q.params)
        table.add_row(q.name, q.title, params)
    console.print(table)


def query_command(name_or_file: str | None, params: list[str], fmt: str, endpoint: str | None, listing: bool,
                  timeout: float, max_rows: int, inputs: list[Path], console: Console,
                  memory_mb: int = DEFAULT_MEMORY_MB) -> None:
    if listing:
        list_queries(fmt, console)
        return
    if not name_or_file:
        raise UserError("give a canned query name or a .rq file (see gpai-kg query --list)")
    query = load(name_or_file)
    if query.input and not inputs:
        raise UserError(f"{query.name} needs --input FILE: {query.input}")
    result = run_query(query.text, bind(query, parse_params(params)), endpoint=endpoint, timeout=timeout,
                       max_rows=max_rows, inputs=inputs, memory_mb=memory_mb)
    render(result, fmt, console)


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def serve_command(port: int | None, data: Path | None, writable: bool, console: Console) -> None:
    from gpai_kg.sparql.server import start_server

    if data is not None and not data.is_dir():
        raise UserError(f"--data {data}: not a directory")
    server = start_server(data, port=port, writable=writable)
    mode = "read-write" if writable else "read-only"
    try:  # from the moment it serves, an interrupt stops it cleanly
        signal.signal(signal.SIGTERM, _interrupt)
        console.print(f"Oxigraph serving gpai-kg ({mode}) at {server.url}\n"
                      f"  query:  {server.url}/query\n  update: {server.url}/update\n"
                      f"  store:  {server.url}/store\nCtrl-C to stop.", highlight=False)
        console.file.flush()  # at once, also into a pipe or a log
        code = server.process.wait()
    except KeyboardInterrupt:
        code = None
    finally:
        # the stop runs to its end (the server ended, its store removed whole), and so does this command:
        # a Ctrl-C pressed again is not heard until the process ends
        _deaf((signal.SIGINT, signal.SIGTERM))
        server.stop()
    # a Ctrl-C from the terminal reaches the server too (its process group), and may end it first
    if code and code not in (-signal.SIGINT, -signal.SIGTERM):
        raise UserError(f"the oxigraph server stopped with code {code}")


def _deaf(signals) -> None:
    """Ignore these signals. One already on its way when this starts raises its KeyboardInterrupt here,
    once, and is let pass: the signals are ignored all the same."""
    while True:
        try:
            for signum in signals:
                signal.signal(signum, signal.SIG_IGN)
            return
        except KeyboardInterrupt:
            continue


def push_command(endpoint: str, graph: str | None, store_url: str | None, update_url: str | None,
                 data: Path | None, console: Console) -> None:
    from gpai_kg.sparql.push import push

    if data is not None and not data.is_dir():
        raise UserError(f"--data {data}: not a directory")
    report = push(endpoint, graph=graph, data_dir=data, store_url=store_url, update_url=update_url,
                  notify=lambda message: sys.stderr.write(f"gpai-kg: note: {message}\n"))
    if report.stale_dropped:
        console.print(f"removed {report.stale_dropped} staging graph(s) left by an interrupted push", highlight=False)
    for iri, count in report.triples.items():
        console.print(f"{count:8d} triples -> <{iri}>", highlight=False, markup=False)
    swap = "in one update" if report.atomic else "operation by operation (not atomic on this store), then checked"
    console.print(f"pushed to {report.store_url} in {report.seconds:.1f} s (staged, checked, swapped {swap} at "
                  f"{report.update_url})", highlight=False)
