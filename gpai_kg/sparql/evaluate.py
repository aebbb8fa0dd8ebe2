"""One request in the query worker: bind, check, evaluate, convert.

A request is ``Request(kind, text, bindings, max_rows, inputs)``: ``kind``
``run`` (evaluate on the worker's store) or ``check`` (only ``guard.check``,
for a query sent to a remote endpoint); ``bindings`` maps parameter names to
RDF terms in N-Triples syntax; ``inputs`` are Turtle files queried with the
graph, each loaded here, inside the limits, into the graph ``…/graph/input``
of a copy of the store.

The answer is ``("ok", QueryResult | Checked)`` or ``("error", one line)``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from gpai_kg.errors import UserError
from gpai_kg.namespaces import GRAPH
from gpai_kg.sparql import guard
from gpai_kg.sparql.lexer import bind_values
from gpai_kg.sparql.results import QueryResult, graph_result, term_json

INPUT_GRAPH = str(GRAPH["input"])

Answer = tuple[str, object]


@dataclass(frozen=True)
class Request:
    kind: str  # "run" | "check"
    text: str
    bindings: Mapping[str, str] = field(default_factory=dict)
    max_rows: int = 10_000
    inputs: tuple[str, ...] = ()


def too_many(max_rows: int) -> UserError:
    return UserError(f"query stopped: more than {max_rows} result rows (the --max-rows limit); "
                     "add a LIMIT or raise the limit")


def too_slow(timeout: float) -> UserError:
    return UserError(f"query stopped: it ran past the time limit of {timeout:g} s (--timeout); "
                     "narrow it down or raise the limit")


def with_inputs(store: ox.Store, files: Sequence[str]) -> ox.Store:
    """A copy of ``store`` with the Turtle ``files`` added in the graph ``…/graph/input``."""
    copy = ox.Store()
    copy.bulk_extend(store)
    for path in files:
        try:
            copy.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(INPUT_GRAPH))
        except (OSError, SyntaxError, ValueError) as exc:
            raise UserError(f"--input {path}: not a readable Turtle file ({' '.join(str(exc).split())[:200]})") \
                from None
    return copy


def _network(exc: OSError) -> bool:
    return exc.errno in (1, 101) or any(f"(os error {n})" in str(exc) for n in (1, 101))


def _failed(exc: Exception) -> UserError:
    if isinstance(exc, OSError) and _network(exc):  # the sandbox at work: a SERVICE the checks let through
        return UserError("query failed: it tried to reach the network (SERVICE), which is refused")
    return UserError(f"query failed: {' '.join(str(exc).split())[:300]}")


def evaluate(store: ox.Store, text: str, checked: guard.Checked, max_rows: int,
             deadline: float | None = None, timeout: float = 0.0) -> QueryResult:
    """Run a checked query; stop past ``max_rows`` rows (and, with a
    ``deadline``, at the first row past it: the in-process path)."""
    try:
        result = store.query(text, use_default_graph_as_union=not checked.dataset)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", (), (), bool(result))
        select = isinstance(result, ox.QuerySolutions)
        names = tuple(v.value for v in result.variables) if select else ()
        rows: list = []
        for item in result:  # solutions are computed as they are read: errors come here too
            if len(rows) == max_rows:
                raise too_many(max_rows)
            if deadline is not None and time.monotonic() > deadline:
                raise too_slow(timeout)
            rows.append({n: term_json(t) for n, t in zip(names, item) if t is not None} if select else item)
    except (SyntaxError, OSError, RuntimeError, ValueError) as exc:
        raise _failed(exc) from None
    return QueryResult("select", names, tuple(rows)) if select else graph_result(rows)


def answer(store: ox.Store | None, request: Request, deadline: float | None = None,
           timeout: float = 0.0) -> Answer:
    """The answer to one request (never raises but for MemoryError)."""
    try:
        text = bind_values(request.text, request.bindings)
        checked = guard.check(text)
        if request.kind == "check" or store is None:
            return "ok", checked
        target = with_inputs(store, request.inputs) if request.inputs else store
        return "ok", evaluate(target, text, checked, request.max_rows, deadline, timeout)
    except UserError as exc:
        return "error", str(exc)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 — reported to the user as one line
        return "error", f"query failed: {' '.join(str(exc).split())[:300]}"
