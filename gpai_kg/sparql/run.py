"""Run a read-only SPARQL query, embedded or remote, within its limits.

``run_query`` is the one entry point (CLI, app, ``gpai_kg.query``). Here, in
the caller, only bounded work is done: the size cap (``MAX_QUERY_BYTES``, on
the text and its parameters) and the parameters made into RDF terms. The
rest happens in a query worker (``worker``: no network, memory limit, killed
at the time limit), which binds the parameters as a VALUES block, checks the
query on Oxigraph's own parse (``guard``: read-only, no SERVICE, FROM only our
graphs, nesting depth, syntax with line and column) and runs it

- embedded, on the pyoxigraph store (``store.load_store()``; the default graph
  is the union of the named graphs unless the query has FROM/FROM NAMED, which
  then define the dataset as SPARQL says), with ``--input`` files loaded in
  the worker into the graph ``…/graph/input`` of a copy;
- or, for a remote endpoint, only checked there (a worker without a store,
  within the time limit), and then sent through SPARQLWrapper (``remote``),
  whose answer must come within the time limit too.

Where ``fork`` is missing (Windows) the checks and the query run in-process,
with the deadline checked between rows only.

Results are kept in the SPARQL 1.1 Query Results JSON form
(https://www.w3.org/TR/sparql11-results-json/), so both ways compare equal.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from gpai_kg.errors import UserError
from gpai_kg.sparql.evaluate import Request, answer, too_many
from gpai_kg.sparql.guard import check_size
from gpai_kg.sparql.results import QueryResult

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MEMORY_MB = 1024

Term = ox.NamedNode | ox.Literal | ox.BlankNode

__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT", "QueryResult", "Term", "run_query"]


def _bindings(params: Mapping[str, Term | str] | None) -> dict[str, str]:
    """Parameters in N-Triples syntax (escaped by Oxigraph); a ``str`` is a plain literal."""
    return {str(k): str(ox.Literal(v) if isinstance(v, str) else v) for k, v in (params or {}).items()}


def _ask(store: ox.Store | None, request: Request, timeout: float, memory_mb: int):
    if not hasattr(os, "fork"):  # no worker process here: in-process, the deadline checked between rows
        kind, payload = answer(store, request, time.monotonic() + timeout, timeout)
        if kind != "ok":
            raise UserError(payload)
        return payload
    from gpai_kg.sparql import worker

    return worker.run(store, request, timeout, memory_mb)


def run_query(text: str, params: Mapping[str, Term | str] | None = None, endpoint: str | None = None,
              timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
              store: ox.Store | None = None, inputs: Sequence[Path] = (),
              memory_mb: int = DEFAULT_MEMORY_MB) -> QueryResult:
    """Check, bind and run a read-only query; ``UserError`` (one line) on any problem.

    ``endpoint`` — a SPARQL query URL (else the embedded ``store``, default
    ``load_store()``); ``timeout`` in seconds, for everything the query makes
    the engine do; ``max_rows`` rows (or triples); ``inputs`` — Turtle files
    queried together with the embedded graph; ``memory_mb`` — what the
    embedded query may allocate.
    """
    if not timeout > 0 or not max_rows > 0 or not memory_mb > 0:
        raise UserError("--timeout, --max-rows and --max-memory must be positive")
    if not isinstance(text, str):
        raise UserError("a SPARQL query is text")
    bindings = _bindings(params)
    check_size(text + "".join(bindings.values()))
    if inputs and endpoint:
        raise UserError("--input works on the embedded graph only; push the file to the endpoint instead")
    start = time.perf_counter()
    if endpoint:
        from gpai_kg.sparql.endpoints import derive
        from gpai_kg.sparql.remote import run_remote

        derive(endpoint)  # a bad URL is refused before anything else
        checked = _ask(None, Request("check", text, bindings), timeout, memory_mb)
        result = run_remote(endpoint, checked, time.monotonic() + timeout, timeout, max_rows)
        if len(result.rows) > max_rows:
            raise too_many(max_rows)
    else:
        if store is None:
            from gpai_kg.store.dataset import load_store

            store = load_store()
        request = Request("run", text, bindings, max_rows, tuple(str(p) for p in inputs))
        result = _ask(store, request, timeout, memory_mb)
    return result.timed(time.perf_counter() - start)
