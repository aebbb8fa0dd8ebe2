"""Run a read-only SPARQL query, embedded or remote, within a time and row limit.

``run_query`` is the one entry point (CLI and app): it checks the text
(``sparql_guard.check_query``: read-only, no SERVICE, no foreign FROM, syntax
with line and column), binds parameters as a VALUES block of typed RDF terms,
and runs it

- embedded, on the pyoxigraph store (``store.load_store()``; the default graph
  is the union of the named graphs unless the query has FROM/FROM NAMED, which
  then define the dataset as SPARQL says). pyoxigraph cannot interrupt a query,
  so on POSIX the query runs in a forked worker process that is killed when the
  time limit passes (``sparql_worker``); where ``fork`` is missing it runs
  in-process with the deadline checked between rows only;
- remote, on a SPARQL 1.1 Protocol endpoint through SPARQLWrapper, with the
  time limit as the HTTP timeout.

Results are kept in the SPARQL 1.1 Query Results JSON form
(https://www.w3.org/TR/sparql11-results-json/), so both ways compare equal.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from gpai_kg.errors import UserError
from gpai_kg.sparql.guard import Term, bind_values, check_query, has_dataset_clause
from gpai_kg.sparql.results import QueryResult, graph_result, term_json

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000

__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "QueryResult", "prepare", "run_query"]


def _too_many(max_rows: int) -> UserError:
    return UserError(f"query stopped: more than {max_rows} result rows (the --max-rows limit); "
                     "add a LIMIT or raise the limit")


def _too_slow(timeout: float) -> UserError:
    return UserError(f"query stopped: it ran past the time limit of {timeout:g} s (--timeout); "
                     "narrow it down or raise the limit")


def _evaluate(store: ox.Store, text: str, form: str, max_rows: int, timeout: float | None = None) -> QueryResult:
    """Run on pyoxigraph and convert, stopping after ``max_rows`` rows (and,
    if ``timeout`` is given, at the first row past it)."""
    deadline = time.monotonic() + timeout if timeout else None
    result = store.query(text, use_default_graph_as_union=not has_dataset_clause(text))
    if form == "ASK":
        return QueryResult("ask", (), (), bool(result))
    rows: list[dict] = []
    if form == "SELECT":
        names = tuple(v.value for v in result.variables)
        for solution in result:
            if len(rows) == max_rows:
                raise _too_many(max_rows)
            if deadline is not None and time.monotonic() > deadline:
                raise _too_slow(timeout)
            rows.append({n: term_json(t) for n, t in zip(names, solution) if t is not None})
        return QueryResult("select", names, tuple(rows))
    triples = []
    for triple in result:
        if len(triples) == max_rows:
            raise _too_many(max_rows)
        if deadline is not None and time.monotonic() > deadline:
            raise _too_slow(timeout)
        triples.append(triple)
    return graph_result(triples)


def _run_forked(store: ox.Store, text: str, form: str, timeout: float, max_rows: int, keep: bool) -> QueryResult:
    from gpai_kg.sparql import worker as sparql_worker

    answer = sparql_worker.run(store, (text, form, max_rows), timeout, _evaluate, keep)
    if answer is None:
        raise _too_slow(timeout)
    status, payload = answer
    if status == "error":
        raise UserError(payload)
    return payload


def _run_embedded(store: ox.Store | None, text: str, form: str, timeout: float, max_rows: int,
                  keep: bool = True) -> QueryResult:
    if store is None:
        from gpai_kg.store.dataset import load_store

        store = load_store()
    if "fork" in multiprocessing.get_all_start_methods():
        return _run_forked(store, text, form, timeout, max_rows, keep)
    try:  # no fork (Windows): the deadline is only checked between rows
        return _evaluate(store, text, form, max_rows, timeout)
    except (SyntaxError, RuntimeError, OSError) as exc:
        raise UserError(f"query failed: {' '.join(str(exc).split())}") from None


INPUT_GRAPH = "https://w3id.org/gpai-kg/graph/input"


def with_inputs(store: ox.Store, files: Sequence[Path]) -> ox.Store:
    """A copy of ``store`` with Turtle ``files`` added in the graph
    ``…/graph/input`` (an assessment, a screened registry)."""
    copy = ox.Store()
    copy.bulk_extend(store)
    for path in files:
        try:
            copy.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(INPUT_GRAPH))
        except (OSError, SyntaxError, ValueError) as exc:
            raise UserError(f"--input {path}: not a readable Turtle file ({' '.join(str(exc).split())[:200]})") \
                from None
    return copy


def prepare(text: str, params: Mapping[str, Term | str] | None = None) -> tuple[str, str]:
    """Check ``text`` and bind ``params``; returns (query form, text to run).
    A ``str`` parameter is bound as a plain string literal."""
    form = check_query(text)
    bindings = {k: ox.Literal(v) if isinstance(v, str) else v for k, v in (params or {}).items()}
    return form, bind_values(text, bindings)


def run_query(text: str, params: Mapping[str, Term | str] | None = None, endpoint: str | None = None,
              timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
              store: ox.Store | None = None, inputs: Sequence[Path] = ()) -> QueryResult:
    """Check, bind and run a read-only query; ``UserError`` (one line) on any problem.

    ``endpoint`` — a SPARQL query URL (else the embedded ``store``, default
    ``load_store()``); ``timeout`` in seconds; ``max_rows`` rows (or triples);
    ``inputs`` — Turtle files queried together with the embedded graph.
    """
    if timeout <= 0 or max_rows <= 0:
        raise UserError("--timeout and --max-rows must be positive")
    form, bound = prepare(text, params)
    if inputs:
        if endpoint:
            raise UserError("--input works on the embedded graph only; push the file to the endpoint instead")
        if store is None:
            from gpai_kg.store.dataset import load_store

            store = load_store()
        store = with_inputs(store, inputs)
    start = time.perf_counter()
    if endpoint:
        from gpai_kg.sparql.remote import run_remote

        result = run_remote(endpoint, bound, form, timeout, max_rows)
        if len(result.rows) > max_rows:
            raise _too_many(max_rows)
    else:
        result = _run_embedded(store, bound, form, timeout, max_rows, keep=not inputs)
    return result.timed(time.perf_counter() - start)
