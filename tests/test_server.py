"""A real Oxigraph server: push the graph, run every canned query both ways,
serve read-only, and push atomically (a failed push leaves the previous graph)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sparql_support import graph_dir, http_server, kg, proxy_handler  # noqa: F401 — fixtures

from gpai_kg.errors import UserError
from gpai_kg.namespaces import GRAPH
from gpai_kg.sparql.canned import bind, catalogue
from gpai_kg.sparql.endpoints import derive
from gpai_kg.sparql.push import push
from gpai_kg.sparql.run import run_query
from gpai_kg.sparql.server import free_port, start_server
from gpai_kg.store.dataset import graph_files

QUERIES = catalogue()
REQUIRED = {"text": "systemic risk", "term": "general-purpose AI model"}
DATA = Path(__file__).parent / "data" / "sparql"
INPUTS = {"assessment-provisions": DATA / "assessment.ttl",
          "systemic-models-in-registry": DATA / "screened-registry.ttl"}
INPUT_GRAPH = str(GRAPH["input"])
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def _graphs(endpoint: str) -> dict[str, int]:
    result = run_query(GRAPHS, endpoint=endpoint)
    return {r["g"]["value"]: int(r["n"]["value"]) for r in result.rows}


def _update(server, text: str) -> int:
    body = urllib.parse.urlencode({"update": text}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(server.url + "/update", data=body), timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _gsp(server, method: str, graph: str, body: bytes, kind: str) -> int:
    url = f"{server.url}/store?{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": kind})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


@pytest.fixture(scope="module")
def pushed(graph_dir):
    """A writable Oxigraph server, empty, then filled by ``push``."""
    with start_server(load=False, writable=True) as server:
        report = push(server.query_url, data_dir=graph_dir)
        assert report.triples and all(report.triples.values())
        yield server


@pytest.fixture()
def fresh(graph_dir):
    with start_server(load=False, writable=True) as server:
        push(server.query_url, data_dir=graph_dir)
        yield server


# ------------------------------------------------ embedded and remote agree

@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_canned_query_gives_the_same_answer_embedded_and_remote(kg, pushed, query):
    params = bind(query, {p.name: REQUIRED[p.name] for p in query.params if p.required}, kg)
    inputs = [INPUTS[query.name]] if query.input else []
    embedded = run_query(query.text, params, store=kg, inputs=inputs)
    for path in inputs:  # the remote store gets the same input, in its own graph, for this query only
        _gsp(pushed, "PUT", INPUT_GRAPH, path.read_bytes(), "text/turtle")
    try:
        remote = run_query(query.text, params, endpoint=pushed.query_url)
    finally:
        if inputs:
            _update(pushed, f"DROP SILENT GRAPH <{INPUT_GRAPH}>")
    assert embedded.variables == remote.variables
    assert embedded.rows and embedded.bag() == remote.bag()


def test_the_per_store_table_says_every_canned_query_holds_on_oxigraph():
    """docs/sparql.md, "Which canned queries hold on which store": the test above is its Oxigraph column."""
    import re

    from gpai_kg import paths

    text = (paths.ROOT / "docs" / "sparql.md").read_text(encoding="utf-8")
    section = text.split("## Which canned queries hold on which store", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| ([^|]+?) \|", section, re.M))
    assert sorted(rows) == sorted(q.name for q in QUERIES) and set(rows.values()) == {"holds"}


def test_push_puts_each_file_group_in_its_own_named_graph(graph_dir):
    with start_server(load=False, writable=True) as server:
        report = push(server.query_url, data_dir=graph_dir)
        counts = _graphs(server.query_url)
    assert set(counts) == {iri for iri, _ in graph_files(graph_dir)}
    assert counts == report.triples  # every triple parsed locally arrived, in its own graph


def test_push_again_replaces_rather_than_adds(fresh, graph_dir):
    before = _graphs(fresh.query_url)
    push(fresh.url + "/store", data_dir=graph_dir)  # any Oxigraph URL form will do
    assert _graphs(fresh.query_url) == before


def test_push_into_one_graph(fresh, graph_dir):
    one = "https://example.org/gpai-kg/all"
    report = push(fresh.url, graph=one, data_dir=graph_dir)
    assert list(report.triples) == [one]
    union = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } " \
            "FILTER(?g != <https://example.org/gpai-kg/all>) } }"
    assert _graphs(fresh.query_url)[one] == report.triples[one]
    assert report.triples[one] == int(run_query(union, endpoint=fresh.query_url).values("n")[0])


def test_concurrent_remote_queries_all_succeed(pushed):
    query = next(q for q in QUERIES if q.name == "deadlines")
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda _: run_query(query.text, endpoint=pushed.query_url), range(60)))
    assert len({r.bag().total() for r in results}) == 1


def test_remote_pathological_queries_stop_at_the_time_and_size_limits(graph_dir):
    """Oxigraph cannot interrupt them, so this server (and its runaway queries) ends with the test."""
    with start_server(graph_dir) as server:
        start = time.monotonic()
        with pytest.raises(UserError, match="time limit of 1 s"):
            run_query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                      endpoint=server.query_url, timeout=1)
        assert time.monotonic() - start < 3
        start = time.monotonic()
        with pytest.raises(UserError, match="passed 16 MB"):  # a stream of rows, cut short
            run_query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", endpoint=server.query_url,
                      timeout=30, max_rows=100)
        assert time.monotonic() - start < 10


# ------------------------------------------------------------ push atomicity

def _copy_with_extra_triple(graph_dir, tmp_path):
    data = tmp_path / "graph"
    shutil.copytree(graph_dir, data)
    with (data / "act.ttl").open("a", encoding="utf-8") as fh:
        fh.write('\n<urn:gpai-kg:test> <urn:gpai-kg:marker> "new push" .\n')
    return data


MARKER = "ASK { <urn:gpai-kg:test> <urn:gpai-kg:marker> ?x }"


def _assert_previous_graph_intact(server, before):
    assert _graphs(server.query_url) == before  # same graphs, same sizes: no staging graph left over
    assert run_query(MARKER, endpoint=server.query_url).boolean is False


def test_a_corrupt_file_midway_leaves_the_previous_graph_intact(fresh, graph_dir, tmp_path):
    data = _copy_with_extra_triple(graph_dir, tmp_path)
    (data / "faq.ttl").write_text("@prefix x: <urn:x#> .\nx:a x:b \"unterminated .\n", encoding="utf-8")
    before = _graphs(fresh.query_url)
    with pytest.raises(UserError, match=r"push failed, the store's previous graphs are unchanged: .*faq\.ttl: "
                                        r"not valid Turtle"):
        push(fresh.query_url, data_dir=data)  # act.ttl (with the marker) is staged before faq.ttl fails
    _assert_previous_graph_intact(fresh, before)


def test_a_server_rejecting_the_final_swap_leaves_the_previous_graph_intact(fresh, graph_dir, tmp_path):
    data = _copy_with_extra_triple(graph_dir, tmp_path)
    staged = []

    def reject_swap(method, path, body):
        if method == "PUT":
            staged.append(path)
        if path.startswith("/update") and b"MOVE" in body:
            return 503
        return None

    before = _graphs(fresh.query_url)
    with http_server(proxy_handler(fresh.url, reject_swap)) as proxy:
        with pytest.raises(UserError, match=r"push failed, the store's previous graphs are unchanged: POST "
                                            r".*/update failed: HTTP 503"):
            push(proxy + "/query", data_dir=data)
    assert len(staged) == len({iri for iri, _ in graph_files(data)})  # every graph was uploaded first
    _assert_previous_graph_intact(fresh, before)


def test_a_swap_failing_inside_the_store_is_rolled_back_whole(fresh, graph_dir, tmp_path):
    """The store itself fails the swap request after its first MOVE (a staging
    graph vanished): the whole request is one transaction, so the first MOVE
    is undone too."""
    data = _copy_with_extra_triple(graph_dir, tmp_path)
    sabotaged = []

    def drop_last_staging_graph(method, path, body):
        if path.startswith("/update") and b"MOVE" in body and not sabotaged:
            update = urllib.parse.parse_qs(body.decode())["update"][0]
            last = update.rsplit("MOVE GRAPH <", 1)[1].split(">", 1)[0]
            sabotaged.append(last)
            assert _update(fresh, f"DROP GRAPH <{last}>") == 204
        return None

    before = _graphs(fresh.query_url)
    with http_server(proxy_handler(fresh.url, drop_last_staging_graph)) as proxy:
        with pytest.raises(UserError, match=r"push failed, the store's previous graphs are unchanged"):
            push(proxy + "/query", data_dir=data)
    assert sabotaged and "/staging/" in sabotaged[0]
    _assert_previous_graph_intact(fresh, before)


@pytest.mark.parametrize("url, query, update, store", [
    ("http://h:7878/query", "http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
    ("http://h:7878", "http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
    ("http://h:7878/store?graph=x", "http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
    ("http://h:3030/ds/sparql", "http://h:3030/ds/sparql", "http://h:3030/ds/update", "http://h:3030/ds/data"),
    ("http://h:3030/ds", "http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data"),
    ("http://h:3030/ds/update", "http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data"),
    ("http://h:7200/repositories/kg", "http://h:7200/repositories/kg", "http://h:7200/repositories/kg/statements",
     "http://h:7200/repositories/kg/rdf-graphs/service"),
])
def test_store_urls_are_derived_from_the_endpoint(url, query, update, store):
    found = derive(url)
    assert (found.query, found.update, found.store) == (query, update, store)


def test_an_unknown_url_form_asks_for_store_url(tmp_path):
    with pytest.raises(UserError, match="cannot tell the Graph Store Protocol URL of .*; give it with --store-url"):
        push("http://h:1/a/b/c/sparql", data_dir=tmp_path)
    assert derive("http://h:1/a/b/c/sparql", store_url="http://h:1/gsp").store == "http://h:1/gsp"


# ---------------------------------------------------------------- serving

def test_serve_read_only_answers_queries_and_refuses_updates(graph_dir):
    from gpai_kg.store.dataset import load_store

    with start_server(graph_dir) as server:
        size = len(load_store.__wrapped__(graph_dir))  # the files as the server read them
        assert sum(_graphs(server.query_url).values()) == size
        assert _update(server, "DROP ALL") == 403
        request = urllib.request.Request(server.url + "/store?graph=urn:x", data=b"<urn:a> <urn:b> <urn:c> .",
                                         method="PUT", headers={"Content-Type": "application/n-triples"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 403
        with pytest.raises(UserError, match="push failed.*HTTP 403"):
            push(server.query_url, data_dir=graph_dir)
        assert sum(_graphs(server.query_url).values()) == size


def _serving(graph_dir, port: int, env: dict | None = None, ctrl_c=signal.default_int_handler):
    """``gpai-kg serve`` in a session of its own, once it says it serves: the lines it printed. It hears
    Ctrl-C as a terminal's foreground command does (``ctrl_c``, a handler here, becomes SIGINT's default in
    it), or ignores it (``signal.SIG_IGN``) as ``nohup gpai-kg serve &`` asks. Left as it is, it would take
    this process's own: ignored, when the tests run in the background of a script, so none of them heard it."""
    before = signal.signal(signal.SIGINT, ctrl_c)
    try:
        process = subprocess.Popen([sys.executable, "-m", "gpai_kg", "serve", "--port", str(port), "--data",
                                    str(graph_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True, env=env)
    finally:
        signal.signal(signal.SIGINT, before)
    try:
        said, watchdog = [], threading.Timer(60, os.killpg, (process.pid, signal.SIGKILL))
        watchdog.start()
        for line in process.stdout:  # what it prints once it serves, at once even into a pipe
            said.append(line)
            if line == "Ctrl-C to stop.\n":
                break
        watchdog.cancel()
        assert said[-1:] == ["Ctrl-C to stop.\n"], process.stderr.read()
    except BaseException:  # a start that failed leaves nothing behind
        _ended(process)
        raise
    return process, said


def _ended(process) -> None:
    """What is left of the session ``_serving`` started killed: gpai-kg, and its server if it outlived it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def test_gpai_kg_serve_stops_whole_however_often_it_is_interrupted(graph_dir, tmp_path):
    """Ctrl-C pressed again and again while the server stops (or the server's own Ctrl-C, from the
    terminal's process group, ending it first): the store is removed whole and the exit is clean, never a
    KeyboardInterrupt out of the stop half done (exit 130, seen in CI once)."""
    process, _ = _serving(graph_dir, free_port(), env={**os.environ, "TMPDIR": str(tmp_path)})
    try:
        assert list(tmp_path.iterdir()), "the store is under TMPDIR"
        os.killpg(process.pid, signal.SIGINT)  # the terminal's Ctrl-C: the server and gpai-kg at once
        for _ in range(200):  # and again, to gpai-kg, while it stops
            if process.poll() is not None:
                break
            os.kill(process.pid, signal.SIGINT)
            time.sleep(0.005)
        out, err = process.communicate(timeout=60)
    finally:
        _ended(process)
    assert process.returncode == 0, err
    assert list(tmp_path.iterdir()) == []


def test_gpai_kg_serve_runs_until_interrupted(graph_dir):
    port = free_port()
    process, said = _serving(graph_dir, port)
    try:
        assert str(GRAPH["act"]) in _graphs(f"http://127.0.0.1:{port}/query")
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C
        out, err = process.communicate(timeout=20)
        out = "".join(said) + out
    finally:
        _ended(process)
    assert process.returncode == 0, err
    assert f"http://127.0.0.1:{port}" in out and "read-only" in out
    with pytest.raises(UserError, match="cannot reach"):
        _graphs(f"http://127.0.0.1:{port}/query")


def test_gpai_kg_serve_started_deaf_to_ctrl_c_stays_so_and_stops_on_sigterm(graph_dir, tmp_path):
    """``nohup gpai-kg serve &`` (or ``&`` in a script) starts it with SIGINT ignored, so that the
    terminal's Ctrl-C, meant for the foreground, leaves it (and its server, which inherits that) serving;
    ``kill``'s SIGTERM stops it whole."""
    port = free_port()
    process, _ = _serving(graph_dir, port, env={**os.environ, "TMPDIR": str(tmp_path)}, ctrl_c=signal.SIG_IGN)
    try:
        os.killpg(process.pid, signal.SIGINT)
        time.sleep(1)
        assert process.poll() is None and str(GRAPH["act"]) in _graphs(f"http://127.0.0.1:{port}/query")
        os.kill(process.pid, signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        _ended(process)
    assert process.returncode == 0, err
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(UserError, match="cannot reach"):
        _graphs(f"http://127.0.0.1:{port}/query")
