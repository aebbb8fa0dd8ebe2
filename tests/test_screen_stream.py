"""Screening as a stream: the same rows, in the same order, whoever screens
them (this process, worker processes, a local Dask cluster of several worker
processes); the files written as the rows come (JSON, JSON Lines, CSV,
Turtle, TriG); the terminal listing and the summary of ``gpai-kg screen``."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date

import pytest

from gpai_kg import paths
from gpai_kg.errors import UserError
from gpai_kg.publish.screening import ScreeningWriter, write
from gpai_kg.reasoning.registry import Registry
from gpai_kg.reasoning.screen import CHUNK, screen, screen_stream

EPOCH = paths.SOURCES_DIR / "models" / "epoch_notable_ai_models_2025-04-18.csv"
AS_OF = date(2026, 9, 1)


def _rows(items):
    return [(i.row, i.name, i.result, i.error) for i in items]


@pytest.fixture(scope="module")
def single():
    return _rows(screen(EPOCH, AS_OF).rows)


def test_chunks_of_any_size_give_the_same_rows(single):
    assert _rows(screen_stream(EPOCH, AS_OF, chunk=97)) == single
    # the answers alone, in chunks of CHUNK, in small ones and in one of more than the registry's 924 rows
    answers = _rows(screen_stream(EPOCH, AS_OF, answers_only=True))
    assert answers == _rows(screen_stream(EPOCH, AS_OF, answers_only=True, chunk=97)) == \
        _rows(screen_stream(EPOCH, AS_OF, answers_only=True, chunk=1000))


def test_the_cli_says_the_default_chunks():
    from typer.testing import CliRunner

    from gpai_kg.cli.app import app

    shown = " ".join(CliRunner().invoke(app, ["screen", "--help"], env={"COLUMNS": "200"}).output.split())
    assert f"store (default: {CHUNK})" in shown


def test_worker_processes_give_the_same_rows_in_order(single):
    assert _rows(screen_stream(EPOCH, AS_OF, workers=2, chunk=150)) == single


def test_worker_processes_reading_blocks_of_the_file_give_the_same_rows(single, monkeypatch):
    """A registry of more than four blocks is read a block a worker (``Registry.spans``): its base models
    and, then, its rows, each worker reading its blocks of the file (here blocks of 8 KB: the records of
    Epoch's table go on over several lines, and into the next block)."""
    from gpai_kg.reasoning import registry as registry_module

    monkeypatch.setattr(registry_module, "BLOCK", 8192)
    registry = Registry(EPOCH, workers=2)
    assert registry.spans is not None and len(registry.spans) > 50 and any(span[2] for span in registry.spans)
    items = list(screen_stream(registry, AS_OF, workers=2, chunk=150))
    assert _rows(items) == single
    answers = list(screen_stream(EPOCH, AS_OF, workers=2, answers_only=True))
    alone = list(screen_stream(EPOCH, AS_OF, answers_only=True))
    assert _rows(answers) == _rows(alone)
    assert [i.description for i in answers] == [i.description for i in items] == [i.description for i in alone]


def test_a_registry_of_the_contracts_columns_in_blocks_gives_the_same_rows(tmp_path, monkeypatch):
    """Counted in blocks (``Registry.count``), then screened a block a worker; a bad row among them."""
    from gpai_kg.reasoning import registry as registry_module

    registry = tmp_path / "models.csv"
    rows = [f"Model {i},{(i % 40) * 1e24:g},text,{'FR' if i % 3 else 'US'},2025-09-0{1 + i % 9}" for i in range(600)]
    rows[300] = 'Broken,"5e25,text,FR,2025-09-01'  # a quote left open: the rest of the file is one record
    rows[200] = "Short,1e25"
    registry.write_text("name,training_compute_flop,modalities,provider_country,placed_on_market_date\n" +
                        "\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setattr(registry_module, "BLOCK", 1024)
    together = Registry(registry, workers=2)
    assert together.count() == 301 and len(together.spans) > 10
    both = [_rows(screen_stream(r, AS_OF, workers=w, answers_only=True)) for r, w in ((together, 2), (registry, 1))]
    assert both[0] == both[1] and len(both[0]) == 301
    assert [error for *_, error in both[0] if error] == [
        "line 202: 2 cells, the header has 5", "lines 302–601: 2 cells, the header has 5"]


def test_a_local_dask_cluster_gives_the_same_rows_in_order(single):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=3, threads_per_worker=1, processes=True, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        assert len(client.nthreads()) == 3
        assert _rows(screen_stream(EPOCH, AS_OF, dask=client, chunk=120)) == single
        # the scheduler's address, as --dask gives it
        assert _rows(screen_stream(EPOCH, AS_OF, dask=cluster.scheduler_address, chunk=300)) == single


def test_the_registry_is_read_lazily_and_again_on_each_pass():
    registry = Registry(EPOCH)
    first = next(registry.rows())
    assert first[0] == 2 and first[2] is None
    assert registry.count() == 924 and sum(1 for _ in registry.rows()) == 924


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gpai_kg", "screen", *args], capture_output=True, text=True,
                          cwd=cwd or paths.ROOT, timeout=600)


def test_cli_streams_json_lines_and_csv_the_same_as_json(tmp_path):
    jsonl, table = tmp_path / "s.jsonl", tmp_path / "s.csv"
    for out in (jsonl, table):
        done = _cli(str(EPOCH), "--as-of", AS_OF.isoformat(), "--out", str(out), "--workers", "2", "--chunk", "200")
        assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 924 and [r["row"] for r in lines] == list(range(2, 926))
    expected = [json.loads(json.dumps({**i.result, "input": i.description}, default=str))
                for i in screen(EPOCH, AS_OF).rows]
    assert lines == expected
    rows = list(csv.DictReader(table.open(encoding="utf-8", newline="")))
    assert [int(r["row"]) for r in rows] == list(range(2, 926))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv", "s.jsonl"]  # no temporary file left
    # the CSV holds the answers alone, reasoned without explanations: byte for byte the explained rows' CSV
    assert table.read_bytes() == write(screen(EPOCH, AS_OF), tmp_path / "explained.csv").read_bytes()


def test_the_answers_alone_are_the_explained_answers_and_write_only_a_csv(tmp_path):
    answers, explained = screen(EPOCH, AS_OF, answers_only=True), screen(EPOCH, AS_OF)
    assert answers.summary == explained.summary
    assert [(i.row, i.name, i.error) for i in answers.rows] == [(i.row, i.name, i.error) for i in explained.rows]
    assert not any(i.explained for i in answers.rows) and all(i.explained for i in explained.rows)
    for suffix in (".json", ".jsonl", ".ttl"):
        with pytest.raises(UserError, match="the answers alone"), ScreeningWriter(tmp_path / f"s{suffix}") as w:
            w.add(answers.rows[0])
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="no RDF"):
        next(screen_stream(EPOCH, AS_OF, rdf=True, answers_only=True))


def test_the_counts_alone_are_those_keys_of_the_answers_and_count_the_same():
    """``counts_only`` (``gpai-kg screen`` writing no file): a row's result holds, of the answers' JSON,
    the keys the counts read, with their values; on 2 processes too."""
    from gpai_kg.reasoning.screen import Tally

    answers = list(screen_stream(EPOCH, AS_OF, answers_only=True))
    counted = list(screen_stream(EPOCH, AS_OF, counts_only=True))
    keys = {"row", "name", "in_scope", "general_purpose", "systemic_risk", "exemptions"}
    assert [(i.row, i.name, i.error, i.explained) for i in counted] == \
        [(i.row, i.name, i.error, i.explained) for i in answers]
    assert [i.result for i in counted] == [i.result and {k: i.result[k] for k in keys} for i in answers]
    assert any(i.result and i.result["exemptions"] for i in counted)  # the exemptions are counted too
    tallies = []
    for items in (answers, counted, screen_stream(EPOCH, AS_OF, workers=2, counts_only=True)):
        tally = Tally()
        for item in items:
            tally.add(item)
        tallies.append(tally.summary())
    assert tallies[0] == tallies[1] == tallies[2]


def test_streamed_json_is_the_json_of_the_whole_list(tmp_path):
    screening = screen(EPOCH, AS_OF)
    with ScreeningWriter(tmp_path / "s.json") as writer:
        for item in screening.rows[:3]:
            writer.add(item)
    records = [{**i.result, "input": i.description} for i in screening.rows[:3]]
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == json.dumps(
        records, indent=1, ensure_ascii=False, default=str) + "\n"
    with ScreeningWriter(tmp_path / "empty.json"):
        pass
    assert json.loads((tmp_path / "empty.json").read_text(encoding="utf-8")) == []


def test_an_interrupted_write_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError), ScreeningWriter(tmp_path / "s.jsonl") as writer:
        writer.add(screen(EPOCH, AS_OF).rows[0])
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".ttl", ".trig"])
def test_turtle_and_trig_answer_the_canned_registry_query(suffix, tmp_path):
    registry = tmp_path / "models.csv"
    registry.write_text("name,training_compute_flop,modalities,provider_country,placed_on_market_date\n"
                        "Big,5e25,text,FR,2025-09-01\nSmall,2e24,text,DE,2025-09-01\nHuge,1.2e26,text,US,\n",
                        encoding="utf-8")
    out = tmp_path / f"screened{suffix}"
    done = _cli(str(registry), "--as-of", "2025-10-01", "--out", str(out), "--workers", "1")
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("@prefix gpai:") == 1
    if suffix == ".trig":  # each model's two graphs, as assess --format trig writes them
        import pyoxigraph as ox

        graphs = {q.graph_name.value.rsplit("/", 1)[-1] for q in ox.parse(path=str(out), format=ox.RdfFormat.TRIG)}
        assert graphs == {"asserted", "inferred"}
        assert text.count("2025-10-01\\/asserted {") == 3 and text.count("2025-10-01\\/inferred {") == 3
        return  # --input reads Turtle
    query = subprocess.run([sys.executable, "-m", "gpai_kg", "query", "systemic-models-in-registry", "--input",
                            str(out), "--format", "json"], capture_output=True, text=True, cwd=paths.ROOT,
                           timeout=300)
    assert query.returncode == 0, query.stderr
    rows = json.loads(query.stdout)["results"]["bindings"]
    models = list(dict.fromkeys(r["model"]["value"] for r in rows))  # largest first
    assert models == ["Huge", "Big"]
    assert {r["basis"]["value"] for r in rows} == {"Article 51(1)(a)"}


def test_cli_lists_models_by_filter_and_limit():
    done = _cli(str(EPOCH), "--as-of", AS_OF.isoformat(), "--only", "systemic", "--limit", "3", "--workers", "1")
    assert done.returncode == 0, done.stderr
    listed = [line for line in done.stdout.splitlines() if "— general-purpose" in line]
    assert len(listed) == 3 and all("systemic yes" in line for line in listed)
    assert "listed 3 models" in done.stdout
    done = _cli(str(EPOCH), "--as-of", AS_OF.isoformat(), "--only", "exempt", "--only", "undetermined",
                "--workers", "1")
    listed = [line for line in done.stdout.splitlines() if "— general-purpose" in line]
    summary = screen(EPOCH, AS_OF).summary
    assert summary["exempt (open source)"] <= len(listed) <= summary["exempt (open source)"] + summary["undetermined"]
    assert all("exempt:" in line or "?" in line for line in listed)


def test_cli_summary_says_how_its_counts_overlap():
    done = _cli(str(EPOCH), "--as-of", AS_OF.isoformat(), "--summary-only", "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert "The counts overlap" in done.stdout
    summary = screen(EPOCH, AS_OF).summary
    line = next(line for line in done.stdout.splitlines() if "general-purpose undetermined" in line)
    assert str(summary["models"] - summary["general-purpose"] - summary["not general-purpose"]) in line
    assert "these three lines add up" in done.stdout and "part of the general-purpose" in done.stdout
    assert "— general-purpose" not in done.stdout  # no listing


@pytest.mark.parametrize("args, expected", [
    (["--summary-only", "--out", "x.json"], "--summary-only"),
    (["--out", "x.txt"], ".csv or .json"),
    (["--workers", "0"], "--workers"),
    (["--dask", "tcp://127.0.0.1:9"], "cannot reach the Dask scheduler"),
])
def test_cli_bad_options_are_one_line(args, expected, tmp_path):
    done = _cli(str(EPOCH), *args, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert expected in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_the_cli_shows_a_progress_bar_with_the_rate_on_a_terminal():
    import os
    import pty
    import threading

    leader, follower = pty.openpty()
    shown: list[bytes] = []

    def read():  # as the bar is drawn, so the terminal never fills
        while True:
            try:
                part = os.read(leader, 65536)
            except OSError:  # the other end is closed: all is read
                return
            if not part:
                return
            shown.append(part)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        done = subprocess.run([sys.executable, "-m", "gpai_kg", "screen", str(EPOCH), "--as-of", AS_OF.isoformat(),
                               "--summary-only", "--workers", "1"], stdout=subprocess.DEVNULL, stderr=follower,
                              cwd=paths.ROOT, timeout=600, env={**os.environ, "COLUMNS": "160"})
    finally:
        os.close(follower)
        reader.join(timeout=30)
        os.close(leader)
    assert done.returncode == 0
    text = b"".join(shown).decode("utf-8", "replace")
    assert "screening" in text and "models/s" in text and "/924" in text
