"""User SPARQL is read-only, stays home, stops in time, and fails in one line.

Each refusal is checked BEFORE anything runs: the store is unchanged and a
recording HTTP server named in the query receives no request.
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import time

import pytest
from sparql_support import Recorder, graph_dir, http_server, kg  # noqa: F401 — fixtures

from gpai_kg.errors import UserError
from gpai_kg.sparql import worker as sparql_worker
from gpai_kg.sparql.guard import check
from gpai_kg.sparql.lexer import bind_values
from gpai_kg.sparql.run import run_query

PREFIX = "PREFIX gpai: <https://w3id.org/gpai-kg/ontology#>\n"
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

REFUSED = [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", r"INSERT at line 1, column 1 is refused: queries are read-only"),
    ("PREFIX x: <urn:x#>\nDELETE WHERE { ?s ?p ?o }", r"DELETE at line 2, column 1 is refused"),
    ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", r"DELETE .* is refused"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", r"WITH .* is refused"),
    ("LOAD <{url}/data.ttl>", r"LOAD .* is refused"),
    ("CLEAR ALL", r"CLEAR .* is refused"),
    ("DROP GRAPH <https://w3id.org/gpai-kg/graph/act>", r"DROP .* is refused"),
    ("CREATE GRAPH <urn:g>", r"CREATE .* is refused"),
    ("ADD <urn:a> TO <urn:b>", r"ADD .* is refused"),
    ("MOVE DEFAULT TO <urn:b>", r"MOVE .* is refused"),
    ("COPY <urn:a> TO <urn:b>", r"COPY .* is refused"),
    ("SELECT * WHERE { ?s ?p ?o } ;\nDROP ALL", r"DROP at line 2, column 1 is refused"),
    ("SELECT * WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }", r"SERVICE at line 1, column 18 is refused"),
    ("SELECT * WHERE { SERVICE SILENT <{url}/sparql> { ?s ?p ?o } }", r"SERVICE .* is refused"),
    ("SELECT * FROM <{url}/data.ttl> WHERE { ?s ?p ?o }", r"FROM <http://127\.0\.0\.1:\d+/data\.ttl> .* is refused"),
    ("SELECT * FROM NAMED <{url}/g> WHERE { GRAPH ?g { ?s ?p ?o } }", r"FROM <http.* is refused"),
    ("PREFIX r: <{url}/>\nSELECT * FROM r:data.ttl WHERE { ?s ?p ?o }", r"FROM r:data\.ttl at line 2.* is refused"),
    ("BASE <{url}/>\nSELECT * FROM <data.ttl> WHERE { ?s ?p ?o }", r"FROM <data\.ttl> .* is refused"),
    ("SELECT * FROM <https://w3id.org/gpai-kg/graph/../../evil> { ?s ?p ?o }", r"FROM .* is refused"),
    ("CONSTRUCT { ?s ?p ?o } FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", r"FROM .* is refused"),
    ("", r"empty SPARQL query"),
    ("hello", r"not a SPARQL query"),
]


@pytest.fixture()
def recorder():
    Recorder.requests = []
    Recorder.delay = 0.0
    with http_server(Recorder) as url:
        yield url


@pytest.mark.parametrize("text, message", REFUSED, ids=[t.split("\n")[-1][:40] for t, _ in REFUSED])
def test_refused_before_anything_runs(kg, recorder, text, message):
    text = text.replace("{url}", recorder)
    before = len(kg)
    message = message.replace("{url}", recorder)
    with pytest.raises(UserError, match=message):
        run_query(text, store=kg)
    with pytest.raises(UserError, match=message):  # the same on a remote endpoint: nothing is sent
        run_query(text, endpoint=recorder + "/query")
    assert len(kg) == before
    assert Recorder.requests == []


@pytest.mark.parametrize("text", [
    PREFIX + 'SELECT ?c WHERE { ?p gpai:citation ?c ; gpai:text ?t FILTER(!CONTAINS(?t, "DROP ALL; INSERT")) } LIMIT 1',
    PREFIX + "SELECT ?c WHERE { ?p gpai:citation ?c } LIMIT 1 # DELETE WHERE { ?s ?p ?o }",
    PREFIX + "SELECT ?c WHERE { ?p gpai:citation ?c . FILTER(?p != <urn:x:LOAD>) } LIMIT 1",
    PREFIX + "PREFIX drop: <urn:drop:>\nSELECT ?c WHERE { ?p gpai:citation ?c . FILTER(?p != drop:ADD) } LIMIT 1",
    "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/gpai-kg/graph/act> WHERE { ?s ?p ?o }",
    "PREFIX g: <https://w3id.org/gpai-kg/graph/>\n"
    "SELECT ?s FROM NAMED g:faq WHERE { GRAPH g:faq { ?s ?p ?o } } LIMIT 1",
])
def test_keywords_in_strings_iris_comments_and_own_graphs_are_allowed(kg, text):
    result = run_query(text, store=kg)
    assert result.rows


def test_from_our_own_graph_reads_that_graph_only(kg):
    text = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/gpai-kg/graph/faq> WHERE { ?s a ?class }"
    faq_only = int(run_query(text, store=kg).values("n")[0])
    everything = int(run_query("SELECT (COUNT(*) AS ?n) WHERE { ?s a ?class }", store=kg).values("n")[0])
    assert 0 < faq_only < everything


@pytest.mark.parametrize("text, where", [
    ("SELECT * WHERE {\n  ?s ?p\n}", "line 3, column"),
    ("SELECT * WHERE { ?s ?p ?o } ORDER BY", "line 1, column"),
    ("PREFIX gpai: <https://w3id.org/gpai-kg/ontology#>\nSELECT * WHERE {\n ?s nope:x ?o }", "line 3, column"),
    ('SELECT * WHERE {\n\n ?s ?p "unterminated }', "line 3, column"),
])
def test_syntax_error_names_line_and_column(text, where):
    with pytest.raises(UserError, match=f"SPARQL syntax error at {where} \\d+"):
        check(text)


def test_pathological_cross_product_stops_at_the_time_limit(kg):
    sparql_worker.stop_all()
    start = time.monotonic()
    with pytest.raises(UserError, match=r"ran past the time limit of 1 s"):
        run_query(CROSS_PRODUCT, store=kg, timeout=1)
    assert time.monotonic() - start < 3
    assert not multiprocessing.active_children()  # the worker was killed, not left running
    assert run_query("ASK { ?s ?p ?o }", store=kg).boolean  # and the next query gets a fresh one


def test_result_limit_stops_the_query(kg):
    with pytest.raises(UserError, match=r"more than 50 result rows"):
        run_query("SELECT * WHERE { ?s ?p ?o }", store=kg, max_rows=50)
    with pytest.raises(UserError, match=r"more than 50 result rows"):
        run_query("CONSTRUCT WHERE { ?s ?p ?o }", store=kg, max_rows=50)
    assert len(run_query("SELECT * WHERE { ?s ?p ?o } LIMIT 50", store=kg, max_rows=50).rows) == 50


def test_remote_time_limit(recorder):
    Recorder.delay = 3.0
    start = time.monotonic()
    with pytest.raises(UserError, match=r"did not answer within the time limit of 1 s"):
        run_query("SELECT * WHERE { ?s ?p ?o }", endpoint=recorder + "/query", timeout=1)
    assert time.monotonic() - start < 2.5


def test_parameters_are_bound_as_terms_not_pasted(kg):
    hostile = '"} } ; DROP ALL ; SELECT * { ?s ?p ?o } #\n\\'
    text = PREFIX + "SELECT ?c WHERE { ?p gpai:citation ?c FILTER(?c = ?q) }"
    assert run_query(text, {"q": hostile}, store=kg).rows == ()
    assert run_query(text, {"q": "Article 53(1)(a)"}, store=kg).values("c") == ["Article 53(1)(a)"]
    bound = bind_values(text, {"q": str(__import__("pyoxigraph").Literal(hostile))})
    check(bound)  # still one well-formed read-only query


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gpai_kg", "query", *args], capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("text, extra, message", [
    ("DELETE WHERE { ?s ?p ?o }", [], "is refused: queries are read-only"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", [], "SERVICE at line 1"),
    ("SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }", [], "FROM <http://127.0.0.1:9/x.ttl>"),
    ("SELECT * WHERE {\n ?s ?p ?o\n", [], "SPARQL syntax error at line 3, column"),
    (CROSS_PRODUCT, ["--timeout", "1"], "ran past the time limit of 1 s"),
    ("SELECT * WHERE { ?s ?p ?o }", ["--max-rows", "5"], "more than 5 result rows"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", ["--format", "turtle"], "--format turtle is for CONSTRUCT"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", ["--param", "novalue"], "--param 'novalue': write KEY=VALUE"),
])
def test_cli_bad_query_is_one_line_exit_2(tmp_path, text, extra, message):
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    run = _cli(str(path), *extra)
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1 and message in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


def test_cli_unknown_canned_query_suggests_one():
    run = _cli("obligations-gpai-providr")
    assert run.returncode == 2 and "did you mean 'obligations-gpai-provider'?" in run.stderr
    assert run.stderr.count("\n") == 1
