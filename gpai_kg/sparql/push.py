"""``gpai-kg push``: load the graph into a SPARQL 1.1 store, all or nothing where the store allows it.

Approach (SPARQL 1.1 Graph Store HTTP Protocol + SPARQL 1.1 Update), step by step:

1. every target graph's files are parsed locally (a corrupt file stops the push
   before the store is touched);
2. *probe*: one ``GET`` of the Graph Store URL with a short timeout. A store
   that answers as no Graph Store does (HTTP 400, 405, 415, 501; or not in
   time) stops the push at once, and so does a store whose ``Server`` header
   names a product whose layout the URLs do not follow
   (``endpoints.identify``): the message names the store and the options to
   give (``endpoints.suggestion``). Virtuoso's ``/sparql/data``, for instance,
   answers the probe with 400 at once, where a ``PUT`` to it never answers;
3. *clean*: staging graphs (``https://w3id.org/gpai-kg/graph/staging/…``) left
   in the store by a push that was killed are dropped (``DROP SILENT``). Two
   pushes to one store at the same time are not supported;
4. *stage*: each target graph is uploaded as N-Triples with a GSP ``PUT`` into
   a staging graph of its own, ``…/graph/staging/<uuid>/<n>``; the live graphs
   are not touched;
5. *check*: one query counts the triples of every staging graph; each must
   hold exactly what was sent, or the push stops before the swap;
6. *swap*: ONE SPARQL Update request, ``MOVE GRAPH <staging> TO GRAPH <target> ;
   …`` (a target with no triples gets ``DROP SILENT GRAPH``). Oxigraph, Fuseki
   (TDB2) and GraphDB run one update request as one transaction: every target
   is replaced or none is. ``MOVE`` is not ``SILENT``: a staging graph gone
   missing fails the whole request instead of emptying a target;
7. *verify*: one query counts the targets and looks for staging graphs left;
   a target that does not hold what was sent is an error saying so.

On a failure before the swap the staging graphs are dropped (best effort) and
the error says the store's previous graphs are unchanged.

**Virtuoso** commits each operation of an update request on its own, and its
``MOVE`` from a graph that does not exist succeeds and empties the target. So
there the swap is not atomic: ``push`` says so before it starts (``notify``),
steps 5 and 7 are what guard it, and a push interrupted during the swap may
leave some targets new and some old — the error says which, and pushing again
(pushing is idempotent) repairs it. Blazegraph has no Graph Store Protocol:
``push`` refuses it with the alternatives.

Other limits: while a push runs, its staging graphs are visible to queries over
the union default graph; if the connection drops after the store committed the
swap, step 7 cannot run and the push is reported failed although it took effect
(run it again); named graphs the push does not name are left alone. Default
targets: one graph per name, ``https://w3id.org/gpai-kg/graph/<name>``
(``store.graph_files``); with ``graph`` everything goes into that one graph.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gpai_kg.errors import UserError
from gpai_kg.namespaces import GRAPH
from gpai_kg.sparql.endpoints import Endpoints, derive, identify, layout_of, require_push_urls, suggestion

STAGING = str(GRAPH["staging/"])
#: Seconds the probe and the bookkeeping queries may take: a store that is slower to say hello is not pushed to.
PROBE_TIMEOUT = 10.0
#: Stores that run each operation of an update request on its own (no transaction).
NOT_ATOMIC = {"virtuoso": "Virtuoso commits each operation of an update request on its own"}
_NOT_A_GRAPH_STORE = (400, 405, 415, 501)


@dataclass(frozen=True)
class PushReport:
    update_url: str
    store_url: str
    triples: dict[str, int]  # target graph IRI -> triples
    seconds: float
    store: str | None = None  # the product that answered (endpoints.STORES), if known
    atomic: bool = True  # whether the swap ran as one transaction
    stale_dropped: int = 0  # staging graphs of earlier, interrupted pushes removed


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


# ------------------------------------------------------------------ HTTP

def _request(url: str, method: str, body: bytes | None, content_type: str | None, timeout: float,
             accept: str | None = None) -> tuple[bytes, str | None]:
    headers = {k: v for k, v in (("Content-Type", content_type), ("Accept", accept)) if v}
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(), response.headers.get("Server")
    except urllib.error.HTTPError as exc:
        detail = " ".join(exc.read().decode("utf-8", "replace").split())[:200]
        raise UserError(f"{method} {url} failed: HTTP {exc.code} {detail}") from None
    except OSError as exc:
        raise UserError(f"{method} {url} failed: {getattr(exc, 'reason', exc)}") from None


def _update(url: str, operations: list[str], timeout: float) -> None:
    body = urllib.parse.urlencode({"update": " ;\n".join(operations)}).encode()
    _request(url, "POST", body, "application/x-www-form-urlencoded", timeout)


def _select(url: str, query: str, timeout: float) -> list[dict[str, str]]:
    body = urllib.parse.urlencode({"query": query}).encode()
    data, _ = _request(url, "POST", body, "application/x-www-form-urlencoded", timeout,
                       accept="application/sparql-results+json")
    try:
        rows = json.loads(data)["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        raise UserError(f"{url} did not answer a SELECT with SPARQL results JSON") from None
    return [{k: v["value"] for k, v in row.items()} for row in rows]


def _iri(value: str) -> str:
    try:
        return str(ox.NamedNode(value))
    except ValueError as exc:
        raise UserError(f"--graph {value!r} is not an IRI: {exc}") from None


# ------------------------------------------------------------------ the steps

def probe(urls: Endpoints, endpoint: str, staging: str, derived: bool = True) -> str | None:
    """Step 2: the store that answers at the Graph Store URL (``endpoints.STORES``,
    or ``None`` if it does not say), or a ``UserError`` if it is no Graph Store
    (or, when the URL was ``derived`` rather than given, not the store's)."""
    url = f"{urls.store}?{urllib.parse.urlencode({'graph': staging})}"
    request = urllib.request.Request(url, method="GET", headers={"Accept": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=PROBE_TIMEOUT) as response:
            status, server = response.status, response.headers.get("Server")
    except urllib.error.HTTPError as exc:
        status, server = exc.code, exc.headers.get("Server")
    except OSError as exc:
        raise UserError(f"the Graph Store at {urls.store} did not answer within {PROBE_TIMEOUT:g} s "
                        f"({getattr(exc, 'reason', exc)}); {_hint(urls, endpoint, None)}") from None
    kind = identify(server) or urls.kind
    if status in _NOT_A_GRAPH_STORE:
        raise UserError(f"{urls.store} is not a SPARQL Graph Store (HTTP {status}{_from(server)}); "
                        f"{_hint(urls, endpoint, kind)}")
    if derived and identify(server) and urls.kind != kind and urls.store != layout_of(kind, endpoint).store:
        raise UserError(f"{endpoint} is {server}, whose Graph Store is not at {urls.store}; "
                        f"{_hint(urls, endpoint, kind)}")
    return kind


def _from(server: str | None) -> str:
    return f" from {server}" if server else ""


def _hint(urls: Endpoints, endpoint: str, kind: str | None) -> str:
    if kind:
        advice = suggestion(kind, endpoint)
        if advice and layout_of(kind, endpoint).store != urls.store:
            return advice
    return "give the Graph Store URL with --store-url and the Update URL with --update-url"


def _counts(query_url: str, graphs: list[str], timeout: float) -> dict[str, int]:
    values = " ".join(_iri(g) for g in graphs)
    rows = _select(query_url, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                              "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", timeout)
    return {row["g"]: int(row["n"]) for row in rows}


def staging_graphs(query_url: str, timeout: float = PROBE_TIMEOUT) -> list[str]:
    """The staging graphs in the store (a killed push's, or a running one's)."""
    rows = _select(query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                              f'FILTER(STRSTARTS(STR(?g), "{STAGING}")) }}', timeout)
    return sorted(row["g"] for row in rows)


def push(endpoint: str, graph: str | None = None, data_dir: Path | None = None, store_url: str | None = None,
         update_url: str | None = None, timeout: float = 300.0,
         notify: Callable[[str], None] | None = None) -> PushReport:
    """Replace the store's gpai-kg graphs with ours (module docstring); ``notify``
    is told, before anything is written, when the swap cannot be atomic."""
    urls = derive(endpoint, store_url, update_url)
    update, gsp = require_push_urls(urls, endpoint)
    if graph:
        _iri(graph)
    start = time.perf_counter()
    try:
        plan = {target: ntriples(files) for target, files in targets(data_dir, graph).items()}
    except UserError as exc:
        raise UserError(f"push failed, the store's previous graphs are unchanged: {exc}", exc.exit_code) from None
    run = uuid.uuid4().hex
    staging = {target: str(GRAPH[f"staging/{run}/{n}"]) for n, target in enumerate(plan) if plan[target][1]}
    kind = probe(urls, endpoint, next(iter(staging.values()), STAGING + run), derived=store_url is None)
    atomic = kind not in NOT_ATOMIC
    if not atomic and notify:
        notify(f"{NOT_ATOMIC[kind]}: the swap of {len(plan)} graphs is not atomic there. gpai-kg checks every "
               "staged graph before the swap and every target after it; if the push is interrupted, run it again.")
    stale = staging_graphs(urls.query, timeout)
    if stale:
        _update(update, [f"DROP SILENT GRAPH {_iri(g)}" for g in stale], timeout)
    counts = {target: count for target, (_, count) in plan.items()}
    try:
        for target, (body, count) in plan.items():
            if count:
                url = f"{gsp}?{urllib.parse.urlencode({'graph': staging[target]})}"
                _request(url, "PUT", body, "application/n-triples", timeout)
        held = _counts(urls.query, list(staging.values()), timeout) if staging else {}
        short = [f"<{s}> holds {held.get(s, 0)} of {counts[t]} triples" for t, s in staging.items()
                 if held.get(s, 0) != counts[t]]
        if short:
            raise UserError("a staged graph does not hold what was sent: " + "; ".join(short))
    except UserError as exc:
        _drop_quietly(update, list(staging.values()), timeout)
        raise UserError(f"push failed, the store's previous graphs are unchanged: {exc}", exc.exit_code) from None
    swaps = [f"MOVE GRAPH {_iri(staging[t])} TO GRAPH {_iri(t)}" if t in staging else f"DROP SILENT GRAPH {_iri(t)}"
             for t in plan]
    try:
        _update(update, swaps, timeout)
    except UserError as exc:
        if atomic:
            _drop_quietly(update, list(staging.values()), timeout)
            raise UserError(f"push failed, the store's previous graphs are unchanged: {exc}",
                            exc.exit_code) from None
        raise UserError(f"push failed during the swap: {exc}; {_after_swap(urls.query, counts, staging, timeout)}",
                        exc.exit_code) from None
    problems = _verify(urls.query, counts, staging, timeout)
    if problems:
        raise UserError(f"push did not take effect as sent: {problems}; run push again")
    return PushReport(update, gsp, counts, time.perf_counter() - start, kind, atomic, len(stale))


def _drop_quietly(update: str, graphs: list[str], timeout: float) -> None:
    if graphs:
        try:
            _update(update, [f"DROP SILENT GRAPH {_iri(g)}" for g in graphs], timeout)
        except UserError:
            pass


def _verify(query_url: str, counts: dict[str, int], staging: dict[str, str], timeout: float) -> str:
    """Step 7: what is wrong with the targets after the swap ('' if nothing)."""
    held = _counts(query_url, list(counts), timeout)
    wrong = [f"<{t}> holds {held.get(t, 0)} of {n} triples" for t, n in counts.items() if held.get(t, 0) != n]
    present = set(staging_graphs(query_url, timeout))
    left = [s for s in staging.values() if s in present]
    if left:
        wrong.append(f"{len(left)} staging graph(s) left")
    return "; ".join(wrong)


def _after_swap(query_url: str, counts: dict[str, int], staging: dict[str, str], timeout: float) -> str:
    """What a failed, non-atomic swap left, for the message."""
    try:
        problems = _verify(query_url, counts, staging, timeout)
    except UserError as exc:
        return f"the store could not be checked ({exc}); run push again"
    if not problems:
        return "every target holds what was sent nonetheless"
    return f"the store commits each operation on its own, so some targets may be new and some old ({problems}); " \
           "run push again"
