"""No user query reaches the network: refused on Oxigraph's own parse, and walled in anyway.

Every reproducer of issue 13 (and the known defences that held) is tried
embedded (``run_query``), through ``--endpoint`` against a real ``gpai-kg
serve``, through the CLI, and on the server directly (bypassing our client's
checks): the ``listener`` fixture fails the test on any request it receives.
Then the walls are tested without the checks: a worker whose checks are
switched off, and ``oxigraph serve`` under the seccomp "server" profile.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from security_support import in_child
from sparql_support import graph_dir, kg  # noqa: F401 — fixtures

from gpai_kg.errors import UserError
from gpai_kg.sparql import guard, sandbox, seccomp, worker
from gpai_kg.sparql.evaluate import Request
from gpai_kg.sparql.run import run_query
from gpai_kg.sparql.server import start_server

P = "PREFIX e: <http://e/> "
#: Texts with a SERVICE that reaches {url} (the listener) when nothing stops it.
REPRODUCERS = {
    "lt-string": "SELECT * WHERE { FILTER(?o<'a>') SERVICE <{url}> { ?a ?b ?c } FILTER(?o!='') }",
    "pname-u00b7": P + "SELECT * WHERE { VALUES ?x { e:a\u00b7\\# } SERVICE <{url}> { ?a ?b ?c } }",
    "pname-u0301": P + "SELECT * WHERE { VALUES ?x { e:a\u0301\\# } SERVICE <{url}> { ?a ?b ?c } }",
    "pname-u203f": P + "SELECT * WHERE { VALUES ?x { e:a\u203f\\# } SERVICE <{url}> { ?a ?b ?c } }",
    "cr-comment": "SELECT * WHERE { # a comment ended by CR\rSERVICE <{url}> { ?a ?b ?c } }",
    "glued-pname": "PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICE:sparql { ?a ?b ?c } }",
    "plain": "SELECT * WHERE { SERVICE <{url}> { ?a ?b ?c } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <{url}> { ?a ?b ?c } }",
    "lowercase": "select * where { service <{url}> { ?a ?b ?c } }",
    "subquery": "SELECT * WHERE { { SELECT * WHERE { SERVICE <{url}> { ?a ?b ?c } } } }",
    "optional": "ASK { OPTIONAL { SERVICE <{url}> { ?a ?b ?c } } }",
    "union": "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <{url}> { ?a ?b ?c } } }",
    "minus": "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <{url}> { ?s ?p ?o } } } LIMIT 1",
    "exists": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?a ?b ?c } } } LIMIT 1",
    "graph": "SELECT * WHERE { GRAPH ?g { SERVICE <{url}> { ?a ?b ?c } } }",
    "construct": "CONSTRUCT { ?a ?b ?c } WHERE { SERVICE <{url}> { ?a ?b ?c } }",
    "iri-then-dot": "SELECT * WHERE { ?s ?p <http://e/x>.SERVICE <{url}> { ?a ?b ?c } }",
}


#: Refused too, though pyoxigraph would not call out for them.
ALSO_REFUSED = {
    "variable": "SELECT * WHERE { VALUES ?e { <{url}> } SERVICE ?e { ?a ?b ?c } }",
    "escaped-in-string-for-jena": 'SELECT * WHERE { ?s ?p "\\u0022 . SERVICE <{url}> {} \\u0022" }',
}


def _text(name: str, lst) -> str:
    return {**REPRODUCERS, **ALSO_REFUSED}[name].replace("{url}", lst.url).replace("{port}", str(lst.port))


def _unwalled(text: str):
    store = ox.Store()
    for o in (ox.Literal("o"), ox.NamedNode("http://e/x")):
        store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), o))
    result = store.query(text)
    return bool(result) if isinstance(result, ox.QueryBoolean) else len(list(result))


@pytest.mark.parametrize("name", REPRODUCERS)
def test_each_reproducer_reaches_the_network_when_nothing_stops_it(name, control_listener):
    """The control: each text is a real outbound request for a bare pyoxigraph."""
    in_child(_unwalled, _text(name, control_listener))
    assert control_listener.settle(), f"{name} made no request even unwalled: not a reproducer"


@pytest.mark.parametrize("name", [*REPRODUCERS, "variable"])
def test_each_reproducer_is_refused_embedded_and_remote(name, kg, served, listener):
    text = _text(name, listener)
    with pytest.raises(UserError, match=r"^SERVICE at line \d+, column \d+ is refused"):
        run_query(text, store=kg)
    with pytest.raises(UserError, match="SERVICE"):
        run_query(text, endpoint=served.query_url)


def test_a_string_a_java_server_would_unescape_into_service_is_refused_remote_only(kg, served, listener):
    text = _text("escaped-in-string-for-jena", listener)
    assert run_query(text, store=kg).rows == ()  # for Oxigraph it is one string
    with pytest.raises(UserError, match="query refused for a remote endpoint: the word SERVICE"):
        run_query(text, endpoint=served.query_url)


@pytest.mark.parametrize("name", ["lt-string", "pname-u203f", "cr-comment", "glued-pname"])
def test_cli_refuses_in_one_line(name, listener, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(_text(name, listener), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "gpai_kg", "query", str(path)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "SERVICE at line 1" in run.stderr and "Traceback" not in run.stderr


@pytest.fixture(scope="module")
def served(graph_dir):  # noqa: F811
    with start_server(graph_dir) as server:
        yield server


def _post(url: str, field: str, text: str) -> tuple[int | None, str]:
    data = urllib.parse.urlencode({field: text}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")
    except (urllib.error.URLError, OSError) as exc:
        return None, str(exc)


@pytest.mark.skipif(not seccomp.supported(), reason="no seccomp filter here")
@pytest.mark.parametrize("name", ["plain", "silent", "lt-string", "glued-pname", "variable"])
def test_gpai_kg_serve_cannot_call_out_for_anyone(name, served, listener):
    """Posted straight to the server, past our client: Oxigraph parses and runs
    the SERVICE, and its connect fails: the answer is cut short or empty."""
    status, body = _post(served.query_url, "query", _text(name, listener))
    assert "LEAKED" not in body
    assert status in (200, 400, 500, None)


@pytest.mark.skipif(not seccomp.supported(), reason="no seccomp filter here")
def test_writable_serve_cannot_load_from_the_network(listener):
    with start_server(load=False, writable=True) as server:
        for update in (f"LOAD <{listener.url}>", f"LOAD SILENT <{listener.url}>"):
            _post(server.url + "/update", "update", update)
        status, body = _post(server.query_url, "query", "ASK { ?s ?p ?o }")
    assert status == 200 and '"boolean":false' in body


def test_the_worker_has_no_network_even_if_the_checks_let_service_through(kg, listener, monkeypatch):
    """Defence in depth: with ``guard.check`` switched off in a forked worker,
    the SERVICE reaches the sandbox, not the listener."""
    monkeypatch.setattr(guard, "check", lambda text: guard.Checked(text, "SELECT", False))
    w = worker.Worker.fork(kg, 256)
    try:
        assert w.mode in ("seccomp", "netns", "userns+netns")
        with pytest.raises(UserError, match="tried to reach the network"):
            w.ask(Request("run", _text("plain", listener)), 10)
        silent = w.ask(Request("run", _text("silent", listener)), 10)
        assert silent.rows == ({},)  # SERVICE SILENT: one empty solution, nothing fetched
    finally:
        w.kill()


def test_a_forkserver_worker_is_walled_in_too(kg, listener):
    w = worker.Worker.from_forkserver(kg, 256)
    try:
        assert w.mode in ("seccomp", "netns", "userns+netns")
        with pytest.raises(UserError, match="SERVICE at line 1"):
            w.ask(Request("run", _text("plain", listener)), 10)
        assert w.ask(Request("run", "ASK { ?s ?p ?o }"), 10).boolean is True
    finally:
        w.kill()


@pytest.mark.skipif(not seccomp.supported(), reason="no seccomp filter here")
def test_the_network_namespace_fallback_walls_in_too(kg, listener, monkeypatch):
    monkeypatch.setattr(guard, "check", lambda text: guard.Checked(text, "SELECT", False))
    monkeypatch.setattr(sandbox, "_FILTER", False)  # as if seccomp were missing: the namespace is used
    w = worker.Worker.fork(kg, 256)
    try:
        assert w.mode in ("netns", "userns+netns")
        with pytest.raises(UserError, match="tried to reach the network"):
            w.ask(Request("run", _text("plain", listener)), 10)
    finally:
        w.kill()


def test_seccomp_profiles_deny_what_they_say():
    import socket

    def body(profile):
        seccomp.install(profile)
        out = {}
        for name, family, kind in (("tcp", socket.AF_INET, socket.SOCK_STREAM),
                                   ("udp", socket.AF_INET, socket.SOCK_DGRAM),
                                   ("packet", 17, socket.SOCK_RAW), ("netlink", 16, socket.SOCK_RAW)):
            try:
                socket.socket(family, kind).close()
                out[name] = "allowed"
            except OSError as exc:
                out[name] = exc.errno
        a, b = socket.socketpair()
        a.sendall(b"x")
        out["unix"] = b.recv(1)
        return out

    if not seccomp.supported():
        pytest.skip("no seccomp filter here")
    assert in_child(body, "worker") == ("ok", {"tcp": 1, "udp": 1, "packet": 1, "netlink": 1, "unix": b"x"})
    assert in_child(body, "server") == ("ok", {"tcp": "allowed", "udp": "allowed", "packet": 1, "netlink": 1,
                                               "unix": b"x"})


def test_remote_queries_refuse_the_word_service_anywhere():
    """Other servers lex otherwise (Jena expands ``\\u`` before lexing): the raw text decides."""
    assert guard.remote_refusal('SELECT * { ?s ?p "\\u0022 . SERVICE <http://x/> {} \\u0022" }')
    assert guard.remote_refusal("SELECT * { ?s ?p 1SERVICE <http://x/> {} }")
    assert guard.remote_refusal("SELECT * { \u017fERVICE <http://x/> {} }")  # Java folds the long s to S
    assert guard.remote_refusal("SELECT * { ?s <https://w3id.org/gpai-kg/PuttingIntoService> ?o }") is None


def test_without_any_wall_queries_are_refused_unless_opted_out(kg, monkeypatch):
    monkeypatch.setattr(sandbox, "_FILTER", False)
    monkeypatch.setattr(sandbox, "_netns", lambda: (_ for _ in ()).throw(OSError(1, "unshare: not permitted")))
    monkeypatch.delenv(sandbox.OPT_OUT, raising=False)
    with pytest.raises(UserError, match="^queries are disabled: cannot cut the query process off the network here"):
        worker.Worker.fork(kg, 256)
    monkeypatch.setenv(sandbox.OPT_OUT, "1")
    w = worker.Worker.fork(kg, 256)
    try:
        assert w.mode == "none" and w.ask(Request("run", "ASK { ?s ?p ?o }"), 10).boolean is True
    finally:
        w.kill()


def test_serve_refuses_to_start_without_its_wall(monkeypatch):
    def unsupported(profile):
        raise seccomp.Unsupported("seccomp filter: no syscall table for sparc64")

    monkeypatch.setattr(seccomp, "prepare", unsupported)
    monkeypatch.delenv(sandbox.OPT_OUT, raising=False)
    with pytest.raises(UserError, match="^cannot serve: the oxigraph server cannot be cut off the network here"):
        start_server(load=False, writable=True)
