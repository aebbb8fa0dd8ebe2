"""A real Virtuoso 7 (Debian ``virtuoso-opensource``), started on 127.0.0.1 by
these tests: ``push`` with its one SPARQL URL, the fast refusal of a URL that
is no Graph Store, the clean-up of a killed push's staging graphs, the checks
that guard Virtuoso's non-atomic swap (before and after it), the store's
behaviour those checks exist for, and every canned query, each checked against
the per-store table of ``docs/sparql.md``.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sparql_support import graph_dir, http_server, kg, proxy_handler  # noqa: F401 — fixtures

from gpai_kg import paths
from gpai_kg.errors import UserError
from gpai_kg.namespaces import GRAPH
from gpai_kg.sparql.canned import bind, catalogue
from gpai_kg.sparql.push import push, staging_graphs
from gpai_kg.sparql.run import run_query
from gpai_kg.store.dataset import graph_files
from tools import need, virtuoso

QUERIES = catalogue()
REQUIRED = {"text": "systemic risk", "term": "general-purpose AI model"}
DATA = Path(__file__).parent / "data" / "sparql"
INPUTS = {"assessment-provisions": DATA / "assessment.ttl",
          "systemic-models-in-registry": DATA / "screened-registry.ttl"}
OURS = str(GRAPH)


@pytest.fixture(scope="module")
def store(tmp_path_factory, graph_dir):
    """A fresh Virtuoso, filled by ``push`` with its SPARQL URL alone."""
    need(virtuoso.missing())
    with virtuoso.virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        said = []
        start = time.monotonic()
        report = push(server.sparql, data_dir=graph_dir, notify=said.append)
        server.first_push = (report, said, time.monotonic() - start)
        yield server


def _update(server, text: str) -> int:
    body = urllib.parse.urlencode({"update": text}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(server.sparql, data=body), timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _put(server, graph: str, body: bytes, kind: str = "application/n-triples") -> None:
    url = f"{server.gsp}?{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": kind})
    urllib.request.urlopen(request, timeout=30).read()


def _graphs(server) -> dict[str, int]:
    """Our graphs in the store (Virtuoso has system graphs of its own) and their sizes."""
    rows = run_query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                     endpoint=server.sparql).rows
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows if r["g"]["value"].startswith(OURS)}


def _expected(graph_dir) -> dict[str, int]:
    from gpai_kg.sparql.push import ntriples, targets

    return {iri: ntriples(files)[1] for iri, files in targets(graph_dir).items()}


# ------------------------------------------------------------------ push

def test_push_with_the_sparql_url_alone_knows_virtuosos_layout_and_says_the_swap_is_not_atomic(store, graph_dir):
    report, said, seconds = store.first_push
    assert (report.store_url, report.update_url) == (store.gsp, store.sparql)
    assert report.store == "virtuoso" and report.atomic is False
    assert len(said) == 1 and "not atomic" in said[0] and "run it again" in said[0]
    assert _graphs(store) == report.triples == _expected(graph_dir)
    assert seconds < 120


@pytest.mark.parametrize("how", ["endpoint", "store-url"])
def test_a_url_that_is_no_graph_store_fails_fast_naming_virtuoso_and_the_right_urls(store, graph_dir, how):
    """/sparql/data: a PUT there never gets an answer from Virtuoso (the push used to hang 300 s)."""
    before = _graphs(store)
    start = time.monotonic()
    args = {"endpoint": store.base + "/sparql/data"} if how == "endpoint" else \
        {"endpoint": store.sparql, "store_url": store.base + "/sparql/data"}
    with pytest.raises(UserError) as failed:
        push(**args, data_dir=graph_dir)
    assert time.monotonic() - start < 15
    message = str(failed.value)
    assert "is not a SPARQL Graph Store (HTTP 400 from Virtuoso/" in message
    assert f"--store-url {store.gsp} --update-url {store.sparql}" in message
    assert "\n" not in message
    assert _graphs(store) == before


def test_the_cli_says_the_swap_is_not_atomic_first_and_refuses_a_wrong_url_in_one_line(store, graph_dir):
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "gpai_kg", "push", "--endpoint", store.sparql, "--data",
                          str(graph_dir)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stderr.startswith("gpai-kg: note: Virtuoso commits each operation") and "not atomic" in run.stdout
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "gpai_kg", "push", "--endpoint", store.base + "/sparql/data",
                          "--data", str(graph_dir)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and time.monotonic() - start < 30
    assert f"--store-url {store.gsp}" in run.stderr


def test_the_staging_graphs_of_a_killed_push_are_removed_by_the_next(store, graph_dir):
    left = str(GRAPH["staging/0123456789abcdef/3"])
    _put(store, left, b'<urn:x:s> <urn:x:p> "left by a killed push" .\n')
    assert staging_graphs(store.sparql) == [left]
    report = push(store.sparql, data_dir=graph_dir)
    assert report.stale_dropped == 1
    assert staging_graphs(store.sparql) == []
    assert _graphs(store) == _expected(graph_dir)


def _sabotage(store, when: str):
    """A proxy to ``store`` that drops one staging graph just before the request ``when`` names."""
    lost = []

    def intercept(method, path, body):
        text = urllib.parse.unquote_plus(body.decode("utf-8", "replace"))
        hit = (when == "check" and "COUNT(*)" in text and "/staging/" in text and not lost) or \
              (when == "swap" and "MOVE GRAPH" in text and not lost)
        if hit:
            graph = re.findall(r"<(https://w3id\.org/gpai-kg/graph/staging/[^>]+)>", text)[-1]
            lost.append(graph)
            assert _update(store, f"DROP SILENT GRAPH <{graph}>") == 200
        return None

    return proxy_handler(store.base, intercept), lost


def test_a_staging_graph_lost_before_the_check_stops_the_push_before_the_swap(store, graph_dir):
    before = _graphs(store)
    handler, lost = _sabotage(store, "check")
    with http_server(handler) as proxy:
        with pytest.raises(UserError, match=r"push failed, the store's previous graphs are unchanged: a staged "
                                            r"graph does not hold what was sent: <.*/staging/.*> holds 0 of"):
            push(proxy + "/sparql", data_dir=graph_dir)
    assert lost and _graphs(store) == before
    assert staging_graphs(store.sparql) == []


def test_a_staging_graph_lost_after_the_check_empties_its_target_and_the_push_says_so(store, graph_dir):
    """Virtuoso's MOVE from a missing graph succeeds and empties the target: step 7 sees it, the next push repairs."""
    handler, lost = _sabotage(store, "swap")
    with http_server(handler) as proxy:
        with pytest.raises(UserError, match=r"push did not take effect as sent: <https://w3id\.org/gpai-kg/graph/"
                                            r"[a-z-]+> holds 0 of \d+ triples; run push again"):
            push(proxy + "/sparql", data_dir=graph_dir)
    assert lost
    push(store.sparql, data_dir=graph_dir)
    assert _graphs(store) == _expected(graph_dir) and staging_graphs(store.sparql) == []


def test_virtuoso_moves_from_a_missing_graph_and_keeps_a_failed_requests_earlier_operations(store):
    """The store behaviour the checks above exist for (SPARQL 1.1 Update says otherwise on both counts)."""
    target, first = "urn:gpai-kg:test:target", "urn:gpai-kg:test:first"
    assert _update(store, f'INSERT DATA {{ GRAPH <{target}> {{ <urn:x:s> <urn:x:p> "kept" }} }}') == 200
    assert _update(store, f"MOVE GRAPH <urn:gpai-kg:test:missing> TO GRAPH <{target}>") == 200
    ask = f"ASK {{ GRAPH <{target}> {{ ?s ?p ?o }} }}"
    assert run_query(ask, endpoint=store.sparql).boolean is False  # emptied, no error
    status = _update(store, f'INSERT DATA {{ GRAPH <{first}> {{ <urn:x:s> <urn:x:p> "1" }} }} ; '
                            "DROP GRAPH <urn:gpai-kg:test:never-created>")
    assert status == 500
    assert run_query(f"ASK {{ GRAPH <{first}> {{ ?s ?p ?o }} }}", endpoint=store.sparql).boolean is True
    _update(store, f"DROP SILENT GRAPH <{first}>")


# ------------------------------------------------------------------ canned queries

def _documented() -> dict[str, str]:
    """query -> the Virtuoso column of docs/sparql.md's table ("holds" or "differs: …")."""
    text = (paths.ROOT / "docs" / "sparql.md").read_text(encoding="utf-8")
    section = text.split("## Which canned queries hold on which store", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| ([^|]+) \| ([^|]+) \|$", section, re.M)
    return {name: virtuoso_says.strip() for name, _, virtuoso_says in rows}


def test_the_table_names_every_canned_query_once():
    assert sorted(_documented()) == sorted(q.name for q in QUERIES)


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_each_canned_query_on_virtuoso_is_as_docs_sparql_md_says(store, kg, query):
    params = bind(query, {p.name: REQUIRED[p.name] for p in query.params if p.required}, kg)
    inputs = [INPUTS[query.name]] if query.input else []
    embedded = run_query(query.text, params, store=kg, inputs=inputs)
    for path in inputs:
        _put(store, str(GRAPH["input"]), path.read_bytes(), "text/turtle")
    try:
        remote = run_query(query.text, params, endpoint=store.sparql, timeout=120)
    finally:
        if inputs:
            _update(store, f"DROP SILENT GRAPH <{GRAPH['input']}>")
    documented = _documented()[query.name]
    assert embedded.rows and embedded.variables == remote.variables
    if documented == "holds":
        assert embedded.bag() == remote.bag()
    else:
        assert documented.startswith("differs: ")
        assert embedded.bag() != remote.bag() and len(embedded.rows) == len(remote.rows)


def test_every_graph_pushed_is_one_of_ours(store, graph_dir):
    assert set(_graphs(store)) == {iri for iri, _ in graph_files(graph_dir)}
