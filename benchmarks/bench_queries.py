"""Canned queries: time per query embedded and remote, and server throughput.

For every canned query (defaults; required parameters get a sample value),
bound and checked once (``sparql.lexer.bind_values``, ``sparql.guard.check``):

- rdflib over the same files (``store.load_graph()``) — the baseline;
- pyoxigraph, the raw query (``store.load_store()``);
- ``run_query`` embedded (checks and the query in a sandboxed, killable worker process, ``sparql.worker``);
- ``run_query`` remote, on an Oxigraph server started here (``server.start_server``);

then 50 concurrent clients (threads posting SPARQL Protocol requests) against
that server. A query over an assessment or a screened registry gets the sample
input of tests/data/sparql/ everywhere (embedded: ``--input``; remote: a GSP
PUT into the server's ``…/graph/input`` for that query only). Reports
per-query medians, p50/p95 over all runs, ratios to the rdflib baseline
measured in the same run, and the error count.

Target: p95 of the canned queries <= 100 ms on the faster embedded store.

    python benchmarks/bench_queries.py [--repeat 20] [--rdflib-repeat 3] [--clients 50] [--requests 20]
"""

from __future__ import annotations

import argparse
import statistics
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SAMPLE = {"text": "systemic risk", "term": "general-purpose AI model"}
#: Sample input for the queries over an assessment or a screened registry (``# input:``).
INPUTS = {"assessment-provisions": "assessment.ttl", "systemic-models-in-registry": "screened-registry.ttl"}
INPUT_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "sparql"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, repeat: int) -> tuple[list[float], object]:
    runs, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        runs.append((time.perf_counter() - start) * 1000)
    return runs, out


def put_input(url: str, graph: str, turtle: bytes) -> None:
    """Replace the server's input graph (GSP PUT)."""
    request = urllib.request.Request(f"{url}/store?{urllib.parse.urlencode({'graph': graph})}", data=turtle,
                                     method="PUT", headers={"Content-Type": "text/turtle"})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def throughput(url: str, texts: list[str], clients: int, requests: int) -> tuple[float, list[float], int]:
    """(queries per second, latencies in ms, errors) for ``clients`` threads."""
    def client(n: int) -> tuple[list[float], int]:
        latencies, errors = [], 0
        for i in range(requests):
            body = urllib.parse.urlencode({"query": texts[(n + i) % len(texts)]}).encode()
            request = urllib.request.Request(url, data=body, headers={
                "Accept": "application/sparql-results+json, text/turtle",
                "Content-Type": "application/x-www-form-urlencoded"})
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
                    errors += response.status != 200
            except OSError:
                errors += 1
            latencies.append((time.perf_counter() - start) * 1000)
        return latencies, errors

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(client, range(clients)))
    wall = time.perf_counter() - start
    latencies = [x for lat, _ in results for x in lat]
    return len(latencies) / wall, latencies, sum(e for _, e in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rdflib-repeat", type=int, default=3)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="requests per client")
    args = parser.parse_args()

    from gpai_kg.sparql.canned import bind, catalogue
    from gpai_kg.sparql.evaluate import INPUT_GRAPH, with_inputs
    from gpai_kg.sparql.guard import check
    from gpai_kg.sparql.lexer import bind_values
    from gpai_kg.sparql.run import run_query
    from gpai_kg.sparql.server import start_server
    from gpai_kg.store.dataset import load_graph, load_store

    base_store, base_graph = load_store(), load_graph()
    queries = []
    for query in catalogue():
        params = bind(query, {p.name: SAMPLE[p.name] for p in query.params if p.required}, base_store)
        data = INPUT_DIR / INPUTS[query.name] if query.input else None
        checked = check(bind_values(query.text, {k: str(v) for k, v in params.items()}))
        queries.append((query.name, query.text, params, checked, data))

    engines = ("rdflib", "pyoxigraph", "run_query", "remote")
    samples: dict[str, list[float]] = {e: [] for e in engines}
    print(f"graph: {len(base_store)} quads; {len(queries)} canned queries; repeat {args.repeat} "
          f"(rdflib {args.rdflib_repeat})\n")
    print(f"{'query':32s} {'rows':>5s} {'rdflib':>9s} {'pyoxigraph':>11s} {'run_query':>10s} {'remote':>8s} "
          f"{'rdflib/ox':>10s}")
    with start_server(writable=True) as server:
        for name, text, params, checked, data in queries:
            bound, union = checked.text, not checked.dataset
            store, graph = base_store, base_graph
            if data:
                store, graph = with_inputs(base_store, [data]), load_graph()
                graph.parse(data, format="turtle")
                put_input(server.url, INPUT_GRAPH, data.read_bytes())

            def raw():
                result = store.query(bound, use_default_graph_as_union=union)
                return result if isinstance(result, bool) else list(result)

            def rdf():
                result = graph.query(bound)
                return bool(result.askAnswer) if result.type == "ASK" else list(result)

            per = {
                "rdflib": timed(rdf, args.rdflib_repeat),
                "pyoxigraph": timed(raw, args.repeat),
                "run_query": timed(lambda: run_query(text, params, store=store), args.repeat),
                "remote": timed(lambda: run_query(text, params, endpoint=server.query_url), args.repeat),
            }
            if data:
                put_input(server.url, INPUT_GRAPH, b"")
            for engine, (runs, _) in per.items():
                samples[engine].extend(runs)
            med = {e: statistics.median(runs) for e, (runs, _) in per.items()}
            n_ox, n_rdf = len(per["pyoxigraph"][1]), len(per["rdflib"][1])
            rows = f"{n_ox}" if n_ox == n_rdf else f"{n_ox}≠{n_rdf}"
            print(f"{name:32s} {rows:>5s} {med['rdflib']:7.1f}ms {med['pyoxigraph']:9.1f}ms "
                  f"{med['run_query']:8.1f}ms {med['remote']:6.1f}ms {med['rdflib'] / med['pyoxigraph']:9.0f}x")

        print(f"\n{'all runs':14s} {'p50':>9s} {'p95':>9s} {'p50 vs rdflib':>14s} {'p95 vs rdflib':>14s}")
        base50, base95 = pct(samples["rdflib"], 0.5), pct(samples["rdflib"], 0.95)
        for engine in engines:
            p50, p95 = pct(samples[engine], 0.5), pct(samples[engine], 0.95)
            print(f"{engine:14s} {p50:7.1f}ms {p95:7.1f}ms {p50 / base50:13.3f}x {p95 / base95:13.3f}x")
        p95 = pct(samples["pyoxigraph"], 0.95)
        print(f"\ntarget: p95 <= 100 ms on the faster embedded store (pyoxigraph): {p95:.1f} ms "
              f"{'OK' if p95 <= 100 else 'OVER'}; through run_query (check, worker process, time limit): "
              f"{pct(samples['run_query'], 0.95):.1f} ms")

        texts = [b for _, _, _, b, data in queries if not data]
        qps, latencies, errors = throughput(server.query_url, texts, args.clients, args.requests)
        rdflib_qps = 1000 / statistics.mean(samples["rdflib"])
        print(f"\nserver under {args.clients} concurrent clients x {args.requests} requests "
              f"({len(latencies)} queries, the canned queries over the graph in turn): {qps:.0f} queries/s, "
              f"latency p50 {pct(latencies, 0.5):.1f} ms, p95 {pct(latencies, 0.95):.1f} ms, errors {errors}; "
              f"{qps / rdflib_qps:.0f}x the rdflib baseline's {rdflib_qps:.1f} queries/s (one client)")


if __name__ == "__main__":
    main()
