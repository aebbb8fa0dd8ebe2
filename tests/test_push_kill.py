"""``gpai-kg push`` killed (SIGKILL) at every step, each in turn, on a real
Oxigraph server: before its first request, and after each of its requests
(probe, look for stale staging graphs, each staging PUT, the check of the
staged graphs, the swap, the two checks after it). Each time, the store's live
graphs are exactly the previous ones or exactly the new ones — never a mix —
and the next push removes what the killed one left and leaves exactly the new
graphs, no staging graph.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest
from sparql_support import graph_dir, http_server, proxy_handler  # noqa: F401 — graph_dir: a fixture

from gpai_kg.sparql.push import push, staging_graphs, targets
from gpai_kg.sparql.run import run_query
from gpai_kg.sparql.server import start_server

GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
MARKER = "ASK { GRAPH <https://w3id.org/gpai-kg/graph/act> { <urn:gpai-kg:test> <urn:gpai-kg:marker> ?x } }"
PUTS = sum(1 for files in targets().values() if files)
STEPS = ["before-probe", "after-probe", "after-find-stale", *(f"after-put-{n}" for n in range(1, PUTS + 1)),
         "after-check", "after-swap", "after-verify-counts", "after-verify-staging"]


def _graphs(url: str) -> dict[str, int]:
    return {r["g"]["value"]: int(r["n"]["value"]) for r in run_query(GRAPHS, endpoint=url).rows}


@pytest.fixture(scope="module")
def old_data(graph_dir, tmp_path_factory):
    """The graph, but for a small stand-in for the Act's text (the push's steps do not depend on
    the size of a graph, and the Act's 24 000 triples take seconds to swap in Oxigraph)."""
    data = tmp_path_factory.mktemp("old") / "graph"
    shutil.copytree(graph_dir, data)
    (data / "act.ttl").write_text('<urn:gpai-kg:test:act> <urn:gpai-kg:test:p> "a stand-in" .\n', encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def new_data(old_data, tmp_path_factory):
    """The same with one more triple in the Act's graph: what the killed push sends."""
    data = tmp_path_factory.mktemp("new") / "graph"
    shutil.copytree(old_data, data)
    with (data / "act.ttl").open("a", encoding="utf-8") as fh:
        fh.write('<urn:gpai-kg:test> <urn:gpai-kg:marker> "new push" .\n')
    return data


@pytest.mark.parametrize("step", STEPS)
def test_a_push_killed_at_each_step_leaves_old_or_new_and_the_next_push_cleans_up(old_data, new_data, step):
    with start_server(load=False, writable=True) as server:
        push(server.query_url, data_dir=old_data)
        old = _graphs(server.query_url)
        kill_at = STEPS.index(step)  # requests seen when the push dies (0: before the first)
        seen: list[str] = []
        child: list[subprocess.Popen] = []

        def kill() -> None:
            os.kill(child[0].pid, signal.SIGKILL)
            child[0].wait(30)

        def before(method, path, body):
            seen.append(f"{method} {path.split('?')[0]}")
            if kill_at == 0 and len(seen) == 1:
                kill()
                return 503
            return None

        def after(method, path, body):
            if kill_at and len(seen) == kill_at:
                kill()

        with http_server(proxy_handler(server.url, before, after)) as proxy:
            child.append(subprocess.Popen([sys.executable, "-m", "gpai_kg", "push", "--endpoint", proxy + "/query",
                                           "--data", str(new_data)], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.PIPE, text=True))
            code = child[0].wait(120)
        assert code == -signal.SIGKILL, f"the push ended ({code}) before step {step}: {child[0].stderr.read()}"
        assert len(seen) == max(kill_at, 1), seen

        now = _graphs(server.query_url)
        live = {g: n for g, n in now.items() if "/staging/" not in g}
        new_counts = {g: n + (1 if g.endswith("/graph/act") else 0) for g, n in old.items()}
        assert live in (old, new_counts), f"killed {step}: a mix of old and new graphs"
        assert run_query(MARKER, endpoint=server.query_url).boolean is (live == new_counts)
        left = staging_graphs(server.query_url)

        report = push(server.query_url, data_dir=new_data)
        assert report.stale_dropped == len(left)
        assert _graphs(server.query_url) == new_counts and staging_graphs(server.query_url) == []
        assert run_query(MARKER, endpoint=server.query_url).boolean is True


def test_the_steps_are_every_request_of_a_push(old_data):
    """Control: the list above is a push's requests, in order, so no step goes untested."""
    with start_server(load=False, writable=True) as server:
        seen = []
        with http_server(proxy_handler(server.url, lambda m, p, b: seen.append(m) and None)) as proxy:
            push(proxy + "/query", data_dir=old_data)
    assert seen == ["GET", "POST", *["PUT"] * PUTS, "POST", "POST", "POST", "POST"]
    assert len(seen) == len(STEPS) - 1
