"""The limits of a user query hold from the first byte: size, nesting, time, memory.

Each failure is one line (``UserError``), and the calling process survives
whatever the query makes the engine do: before, the "syntax check" ran the
query in the caller (a data-free VALUES product took 22 s under
``--timeout 1``), a 4.4 KB query nested 2 200 deep killed it with SIGSEGV, and
a 50 MB query file was read whole.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from sparql_support import graph_dir, kg  # noqa: F401 — fixtures

from gpai_kg.errors import UserError
from gpai_kg.sparql import canned, child, guard, worker
from gpai_kg.sparql.evaluate import Request
from gpai_kg.sparql.guard import MAX_DEPTH, MAX_QUERY_BYTES
from gpai_kg.sparql.run import run_query

VALUES_PRODUCT = "SELECT (COUNT(*) AS ?c) WHERE { " + " ".join(
    f"VALUES ?v{i} {{1 2 3 4 5 6 7 8 9 10}}" for i in range(10)) + " }"  # 10^10 rows, no data
SORTED_PRODUCT = "SELECT * WHERE { VALUES ?a {1 2 3 4 5 6 7 8 9 10} " + " ".join(
    f"VALUES ?v{i} {{1 2 3 4 5 6 7 8 9 10}}" for i in range(8)) + " } ORDER BY DESC(?a) LIMIT 1"
CROSS_SORTED = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
NESTED_2208 = "SELECT * WHERE " + "{" * 2208 + "}" * 2208  # SIGSEGV in the caller before


def _message(call) -> str:
    with pytest.raises(UserError) as info:
        call()
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("text", [VALUES_PRODUCT, SORTED_PRODUCT], ids=["count", "order-by"])
def test_the_time_limit_covers_parse_and_eager_evaluation(kg, text):
    start = time.monotonic()
    message = _message(lambda: run_query(text, store=kg, timeout=1))
    assert time.monotonic() - start < 2.5
    # stopped by the time limit (or, sorting a product, by the memory limit first): never run to the end
    assert "ran past the time limit of 1 s" in message or "needed more than 1024 MB of memory" in message


def test_the_time_limit_covers_a_remote_endpoint_check_too():
    start = time.monotonic()
    message = _message(lambda: run_query(VALUES_PRODUCT, endpoint="http://127.0.0.1:9/query", timeout=1))
    assert time.monotonic() - start < 3 and ("cannot reach" in message or "time limit" in message)


def test_the_memory_limit_stops_a_query_in_one_line(kg):
    assert _message(lambda: run_query(CROSS_SORTED, store=kg, timeout=60, memory_mb=128)) == \
        "query stopped: it needed more than 128 MB of memory (the memory limit)"
    assert run_query("ASK { ?s ?p ?o }", store=kg).boolean  # and the next query runs


def test_the_memory_limit_holds_in_forkserver_workers(kg):
    w = worker.Worker.from_forkserver(kg, 128)
    try:
        assert _message(lambda: w.ask(Request("run", CROSS_SORTED, max_rows=10), 60)) == \
            "query stopped: it needed more than 128 MB of memory (the memory limit)"
    finally:
        w.kill()


def test_nesting_is_refused_in_one_line_before_any_parser(kg):
    assert _message(lambda: run_query(NESTED_2208, store=kg)).startswith(
        f"query refused: it nests more than {MAX_DEPTH} levels deep (brackets, braces, parentheses or '!') at "
        "line 1, column 116")
    for deep in ("ASK { FILTER(" + "!" * 150 + "?o) }", "ASK { FILTER(" + "(" * 150 + "1" + ")" * 150 + ") }",
                 "ASK { " + "OPTIONAL { " * 150 + "}" * 151):
        assert "nests more than" in _message(lambda: run_query(deep, store=kg))


def test_closers_hidden_in_strings_or_an_iri_reading_cannot_lower_the_count(kg):
    hidden = "SELECT * WHERE { " + '?s ?p "}}}}}}}}" . {' * 120 + "}" * 120 + " }"
    lt = "SELECT * WHERE { FILTER(?o<'a>' && " + "(" * 150 + "?o" + ")" * 150 + " != '') }"
    for text in (hidden, lt):
        assert "nests more than" in _message(lambda: run_query(text, store=kg))


def test_a_crash_of_the_engine_is_one_line_and_the_caller_survives(kg, monkeypatch):
    """With the depth cap and the big stack off (a default 8 MB stack), the
    parser overflows: the worker dies, the caller says so in one line."""
    monkeypatch.setattr(child, "STACK_MB", 8)
    monkeypatch.setattr(guard, "MAX_DEPTH", 10 ** 6)
    w = worker.Worker.fork(kg, 1024)
    try:
        message = _message(lambda: w.ask(Request("run", "SELECT * WHERE " + "{" * 5000 + "}" * 5000), 30))
    finally:
        w.kill()
    assert message.startswith("query failed: the query process crashed (SIGSEGV, most likely a stack overflow)")


def test_long_flat_chains_do_not_crash_the_worker(kg):
    text = "SELECT * WHERE { FILTER(" + " && ".join(["?o"] * 12000) + ") }"  # SIGSEGV at ~9 300 on 8 MB
    assert run_query(text, store=kg, timeout=60).rows == ()


def test_the_size_cap_holds_for_text_and_parameters(kg):
    too_long = "#" * MAX_QUERY_BYTES + "\nASK {}"
    assert _message(lambda: run_query(too_long, store=kg)) == \
        "query refused: it is longer than 256 KB (the query size limit)"
    assert "size limit" in _message(lambda: run_query("ASK { FILTER(?x) }", {"x": "a" * MAX_QUERY_BYTES}, store=kg))
    assert "size limit" in _message(lambda: run_query("ASK {} # " + "é" * (MAX_QUERY_BYTES // 2), store=kg))


def test_query_files_are_never_read_past_the_cap(tmp_path):
    sparse = tmp_path / "big.rq"
    with open(sparse, "wb") as fh:
        fh.truncate(50 << 20)  # 50 MB: refused by its size, never read
    start = time.monotonic()
    assert "50 MB, more than 256 KB, the size limit of a query" in _message(lambda: canned.read_query(sparse, False))
    assert "more than 256 KB, the size limit of a query" in _message(
        lambda: canned.read_query(__import__("pathlib").Path("/dev/zero"), False))
    fifo = tmp_path / "fifo.rq"
    os.mkfifo(fifo)  # no writer: read as empty at once, not waited on
    assert canned.read_query(fifo, False).text == ""
    assert time.monotonic() - start < 2


def test_cli_nested_query_and_big_file_are_one_line_exit_2(tmp_path):
    nested, big = tmp_path / "nested.rq", tmp_path / "big.rq"
    nested.write_text(NESTED_2208, encoding="utf-8")
    big.write_text("ASK {}\n" + "#" * (5 << 20), encoding="utf-8")
    for path, expected in ((nested, "nests more than 100 levels"), (big, "the size limit of a query")):
        run = subprocess.run([sys.executable, "-m", "gpai_kg", "query", str(path)], capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 2 and run.stderr.count("\n") == 1 and expected in run.stderr, run.stderr


def test_cli_time_limit_covers_everything(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(VALUES_PRODUCT, encoding="utf-8")
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "gpai_kg", "query", str(path), "--timeout", "1"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "ran past the time limit of 1 s" in run.stderr
    assert time.monotonic() - start < 15  # the interpreter's start and imports included


def test_workers_survive_refusals_and_are_reused(kg):
    worker.stop_all()
    for _ in range(3):
        _message(lambda: run_query("SELECT * WHERE {", store=kg))
    pids = {w.pid for _, _, w in worker._IDLE}
    assert len(pids) == 1 and os.getpid() not in pids


def test_concurrent_threads_get_answers_without_deadlock(kg):
    """The app's case: queries from several threads at once (forkserver workers)."""
    answers, errors = [], []

    def ask():
        try:
            answers.append(run_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", store=kg, timeout=30).rows)
        except UserError as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and len(answers) == 6 and len({str(a) for a in answers}) == 1
