"""``query``: one typed function for running SPARQL from Python, the way
``gpai-kg query`` does: a canned query by name (``queries/*.rq``, with its
parameters bound as RDF terms) or a query's text, read-only, with time and row
limits, on the embedded graph or a remote endpoint."""

from __future__ import annotations

from collections.abc import Mapping

from gpai_kg.sparql.canned import bind, catalogue
from gpai_kg.sparql.results import QueryResult
from gpai_kg.sparql.run import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, run_query

__all__ = ["QueryResult", "query"]


def query(name_or_text: str, params: Mapping[str, str] | None = None, *, endpoint: str | None = None,
          timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS) -> QueryResult:
    """Run a canned query (by name) or SPARQL text; ``UserError`` (one line) on
    a bad query, parameter or limit."""
    canned = {q.name: q for q in catalogue()}.get(name_or_text)
    if canned is None:
        return run_query(name_or_text, params, endpoint=endpoint, timeout=timeout, max_rows=max_rows)
    from gpai_kg.store.dataset import load_store

    store = None if endpoint else load_store()
    return run_query(canned.text, bind(canned, dict(params or {}), store), endpoint=endpoint, timeout=timeout,
                     max_rows=max_rows, store=store)
