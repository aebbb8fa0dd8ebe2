"""Run a checked query on a remote SPARQL 1.1 Protocol endpoint (SPARQLWrapper).

The query was checked by the worker on Oxigraph's parse (``guard.check``)
and, since another server lexes differently, passes ``guard.remote_refusal``
on its raw text too. A server that cuts its answer short (``gpai-kg serve``
answering a SERVICE it may not run: its Oxigraph has no network) gives one
line, as any broken answer does.

The endpoint must expose the union of the named graphs as its default graph,
as the embedded store does: Oxigraph ``--union-default-graph`` (what
``gpai-kg serve`` starts), Fuseki ``tdb2:unionDefaultGraph true``, GraphDB,
RDF4J and Virtuoso by default. Which canned queries give the same answer on
which store: ``docs/sparql.md``.

Oxigraph (0.5) cannot interrupt a running query: one the client gave up on
(time or size limit) keeps running in the server until it ends.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from gpai_kg.errors import UserError
from gpai_kg.sparql.endpoints import derive
from gpai_kg.sparql.guard import Checked, remote_refusal
from gpai_kg.sparql.results import QueryResult, from_results_json, graph_result

#: Bytes of answer allowed per result row before a remote query is stopped.
BYTES_PER_ROW = 4096


def _message(exc: Exception) -> str:
    body = getattr(exc, "msg", None) or str(exc)
    return " ".join(str(body).split())[:300]


def _read(response, url: str, deadline: float, timeout: float, max_bytes: int) -> bytes:
    """The body, read in chunks: at most ``max_bytes``, until ``deadline`` (a
    socket timeout alone never fires while a server keeps streaming)."""
    chunks, size = [], 0
    while chunk := response.read(1 << 16):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise UserError(f"query stopped: the answer of {url} passed {max_bytes // (1 << 20)} MB "
                            "(the result limit, --max-rows); add a LIMIT")
        if time.monotonic() > deadline:
            raise _too_slow(url, timeout)
    return b"".join(chunks)


def _too_slow(url: str, timeout: float) -> UserError:
    return UserError(f"query stopped: {url} did not answer within the time limit of {timeout:g} s (--timeout)")


def run_remote(endpoint: str, checked: Checked, deadline: float, timeout: float, max_rows: int = 10_000) -> QueryResult:
    """POST a query the worker checked to ``endpoint`` (an Oxigraph or Fuseki
    base URL is mapped to its query URL; see ``endpoints``), once it also
    passed ``guard.remote_refusal``, and read the answer until ``deadline``
    (``timeout``: the limit the user set), at most ``BYTES_PER_ROW`` bytes per
    row of ``max_rows`` (at least 16 MB)."""
    url = derive(endpoint).query
    refusal = remote_refusal(checked.text)
    if refusal:
        raise UserError(refusal)
    form, left = checked.form, deadline - time.monotonic()
    if left <= 0:
        raise _too_slow(url, timeout)
    wrapper = SPARQLWrapper(url)
    wrapper.setQuery(checked.text)
    # the guard has read the form; SPARQLWrapper's own guess takes a literal "inserted" for an INSERT
    wrapper.queryType = form
    wrapper.setMethod(POST)
    wrapper.setOnlyConneg(True)
    wrapper.timeout = left  # seconds, a float (setTimeout would truncate it to whole seconds)
    wrapper.setReturnFormat(TURTLE if form in ("CONSTRUCT", "DESCRIBE") else JSON)
    try:
        response = wrapper.query().response
        try:
            body = _read(response, url, deadline, timeout, max(16 << 20, max_rows * BYTES_PER_ROW))
        finally:
            response.close()
    except (socket.timeout, TimeoutError):
        raise _too_slow(url, timeout) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (socket.timeout, TimeoutError)):
            raise _too_slow(url, timeout) from None
        raise UserError(f"cannot reach SPARQL endpoint {url}: {exc.reason}") from None
    except SPARQLWrapperException as exc:
        raise UserError(f"SPARQL endpoint {url} refused the query: {_message(exc)}") from None
    except (OSError, ValueError) as exc:
        raise UserError(f"SPARQL endpoint {url} failed: {_message(exc)}") from None
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            return graph_result(t.triple for t in ox.parse(body, format=ox.RdfFormat.TURTLE))
        return from_results_json(json.loads(body))
    except (SyntaxError, ValueError, RecursionError) as exc:
        raise UserError(f"SPARQL endpoint {url} sent an answer that is not valid {form} results: "
                        f"{_message(exc)}") from None
