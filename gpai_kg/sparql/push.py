"""``gpai-kg push``: load the graph into a SPARQL 1.1 store, all or nothing.

Approach (SPARQL 1.1 Graph Store HTTP Protocol + SPARQL 1.1 Update):

1. each target graph's files are parsed locally (a corrupt file stops the push
   there) and uploaded as N-Triples with a GSP ``PUT`` into a *staging* graph
   of its own, ``https://w3id.org/gpai-kg/graph/staging/<uuid>/<n>``; the live
   graphs are not touched;
2. when every upload has succeeded, ONE SPARQL Update request swaps them in:
   ``MOVE GRAPH <staging> TO GRAPH <target> ; …`` (``MOVE`` empties the target
   first; a target with no triples gets ``DROP SILENT GRAPH``). Oxigraph,
   Fuseki (TDB2) and GraphDB run one update request as one transaction, so
   either every target is replaced or none is. ``MOVE`` is not ``SILENT``: a
   staging graph gone missing fails the whole request instead of emptying a
   target;
3. on any failure the staging graphs are dropped (best effort) and a
   ``UserError`` says the store's previous graphs are unchanged.

Limits: atomic only where the store runs an update request as a transaction
(true of the three above; not of stores that auto-commit per operation); while
a push runs, its staging graphs are visible to queries over the union default
graph; if the connection drops after the store committed the swap, the push
is reported failed although it took effect (run it again: pushing is
idempotent); named graphs the store holds that the push does not name are left
alone. Default targets: one graph per name, ``https://w3id.org/gpai-kg/graph/<name>``
(``store.graph_files``); with ``graph`` everything goes into that one graph.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gpai_kg.errors import UserError
from gpai_kg.namespaces import GRAPH
from gpai_kg.sparql.endpoints import derive, require_push_urls


@dataclass(frozen=True)
class PushReport:
    update_url: str
    store_url: str
    triples: dict[str, int]  # target graph IRI -> triples
    seconds: float


def targets(data_dir: Path | None = None, graph: str | None = None) -> dict[str, list[Path]]:
    """Target graph IRI -> the Turtle files that go into it."""
    from gpai_kg.store.dataset import graph_files

    out: dict[str, list[Path]] = defaultdict(list)
    for graph_iri, path in graph_files(data_dir):
        out[graph or graph_iri].append(path)
    return dict(out)


def ntriples(files: list[Path]) -> tuple[bytes, int]:
    """The files' triples as one N-Triples document (and their count)."""
    store = ox.Store()
    for path in files:
        try:
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        except (SyntaxError, ValueError) as exc:
            raise UserError(f"{path}: not valid Turtle ({' '.join(str(exc).split())[:200]})") from None
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), len(store)


def _request(url: str, method: str, body: bytes, content_type: str, timeout: float) -> None:
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = " ".join(exc.read().decode("utf-8", "replace").split())[:200]
        raise UserError(f"{method} {url} failed: HTTP {exc.code} {detail}") from None
    except OSError as exc:
        raise UserError(f"{method} {url} failed: {getattr(exc, 'reason', exc)}") from None


def _update(url: str, operations: list[str], timeout: float) -> None:
    body = urllib.parse.urlencode({"update": " ;\n".join(operations)}).encode()
    _request(url, "POST", body, "application/x-www-form-urlencoded", timeout)


def _iri(value: str) -> str:
    try:
        return str(ox.NamedNode(value))
    except ValueError as exc:
        raise UserError(f"--graph {value!r} is not an IRI: {exc}") from None


def push(endpoint: str, graph: str | None = None, data_dir: Path | None = None, store_url: str | None = None,
         update_url: str | None = None, timeout: float = 300.0) -> PushReport:
    """Replace the store's gpai-kg graphs with ours, atomically (module docstring)."""
    update, gsp = require_push_urls(derive(endpoint, store_url, update_url), endpoint)
    if graph:
        _iri(graph)
    start = time.perf_counter()
    plan = targets(data_dir, graph)
    run = uuid.uuid4().hex
    staged: list[str] = []
    swaps: list[str] = []
    counts: dict[str, int] = {}
    try:
        for n, (target, files) in enumerate(plan.items()):
            body, counts[target] = ntriples(files)
            if not counts[target]:
                swaps.append(f"DROP SILENT GRAPH {_iri(target)}")
                continue
            staging = str(GRAPH[f"staging/{run}/{n}"])
            staged.append(staging)
            _request(f"{gsp}?{urllib.parse.urlencode({'graph': staging})}", "PUT", body,
                     "application/n-triples", timeout)
            swaps.append(f"MOVE GRAPH {_iri(staging)} TO GRAPH {_iri(target)}")
        _update(update, swaps, timeout)
    except UserError as exc:
        if staged:
            try:
                _update(update, [f"DROP SILENT GRAPH <{s}>" for s in staged], timeout)
            except UserError:
                pass
        raise UserError(f"push failed, the store's previous graphs are unchanged: {exc}",
                        exc.exit_code) from None
    return PushReport(update, gsp, counts, time.perf_counter() - start)
