"""Build time and load time of the committed graph, as a report.

Targets on the project's machine: full build <= 15 s; loading the committed
graph <= 1 s. Machines are shared and noisy, so each figure is also reported as
a ratio to a baseline measured in the same run: parsing the same Turtle files
with rdflib (the obvious way to load them).

    python benchmarks/bench_build.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from rdflib import Graph


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from gpai_kg.builder.pipeline import build
    from gpai_kg.store.dataset import graph_files, load_store

    def load_rdflib():
        g = Graph()
        for _, path in graph_files():
            g.parse(path, format="turtle")
        return g

    def load_oxigraph():
        load_store.cache_clear()
        return load_store()

    with tempfile.TemporaryDirectory() as tmp:
        build_s = timed(lambda: build(Path(tmp) / "graph"), args.repeat)
    baseline = timed(load_rdflib, args.repeat)
    load_s = timed(load_oxigraph, args.repeat)
    triples = len(load_store())
    print(f"graph: {triples} triples")
    print(f"{'full build (parse, link, SHACL, write)':45s} {build_s:7.2f} s   target <= 15 s   "
          f"{'OK' if build_s <= 15 else 'OVER'}   {build_s / baseline:5.1f}x baseline")
    print(f"{'load committed graph (pyoxigraph)':45s} {load_s:7.3f} s   target <=  1 s   "
          f"{'OK' if load_s <= 1 else 'OVER'}   {load_s / baseline:5.2f}x baseline")
    print(f"{'baseline: load same files with rdflib':45s} {baseline:7.3f} s")


if __name__ == "__main__":
    main()
