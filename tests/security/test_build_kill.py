"""SIGKILL at every step of ``gpai-kg build``, each step in turn: the graph directory is whole after each.

The build computes the graph in memory, then writes it (``files.replace_directory``):
a forked child runs that write, with every filesystem operation counted
(``mkdir``, ``open``, ``write``, ``fsync``, ``chmod``, ``rename``, the one-step
``exchange``, each ``unlink`` and ``rmdir`` of a removal), and kills itself
(SIGKILL) just before operation k; k runs over all of them. After each kill the
directory holds the old graph or the new one, whole (``check_graph``); the old
one is never lost (it is in the directory, or in ``.graph.previous`` for the
next build to bring back); and the next build cleans up and succeeds. Twice:
with the one-step swap (``renameat2``), and without it (two renames), where
the store refuses the moment between them in one line. Then the real command,
killed while it computes, and ``stats`` on a missing graph: exit 2, one line.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from gpai_kg import files as files_module
from gpai_kg.errors import UserError
from gpai_kg.files import previous_of, replace_directory
from gpai_kg.store.dataset import check_graph

COUNTED = ("mkdir", "open", "write", "fsync", "chmod", "rename", "replace", "unlink", "rmdir")


@pytest.fixture(scope="module")
def new_files() -> dict[str, bytes]:
    from gpai_kg.builder.pipeline import built_files

    return built_files(check=False)[0]


def _older(files: dict[str, bytes]) -> dict[str, bytes]:
    old = {name: data + b"\n# an older build\n" for name, data in files.items() if name.endswith(".ttl")}
    report = json.loads(files["build-report.json"])
    report["files"] = sorted(old)
    return {**old, "build-report.json": json.dumps(report).encode()}


def _contents(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir()}


def _write_counted(out: Path, files: dict[str, bytes], kill_at: int | None, one_step: bool) -> int:
    """In a forked child: ``replace_directory`` with its operations counted,
    killed before operation ``kill_at``; returns how many there were (no kill)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        count = [0]

        def counted(fn):
            def call(*args, **kwargs):
                count[0] += 1
                if count[0] == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
                return fn(*args, **kwargs)
            return call

        for name in COUNTED:
            setattr(os, name, counted(getattr(os, name)))
        exchange = files_module.exchange
        files_module.exchange = counted(exchange) if one_step else counted(lambda a, b: False)
        try:
            replace_directory(out, files)
        finally:
            os.write(w, str(count[0]).encode())
            os._exit(0)
    os.close(w)
    data = os.read(r, 64)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    if kill_at is not None:
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, f"not killed at {kill_at}"
        return kill_at
    return int(data)


def _which(directory: Path, old: dict, new: dict) -> str:
    check_graph(directory)
    found = _contents(directory)
    assert found in (old, new), "a mix of the old and the new graph"
    return "old" if found == old else "new"


@pytest.mark.parametrize("one_step", [True, False], ids=["renameat2-exchange", "two-renames"])
def test_a_kill_at_every_step_leaves_a_whole_graph(tmp_path, new_files, one_step):
    if one_step and not files_module.exchange(tmp_path, tmp_path):
        pytest.skip("no renameat2(RENAME_EXCHANGE) here")
    old, out = _older(new_files), tmp_path / "data" / "graph"
    replace_directory(out, old)
    replace_directory(tmp_path / "dry" / "graph", old)
    steps = _write_counted(tmp_path / "dry" / "graph", new_files, None, one_step)
    assert steps > 2 * len(new_files)
    seen, interrupted = [], 0
    for k in range(1, steps + 1):
        _write_counted(out, new_files, k, one_step)
        try:
            seen.append(_which(out, old, new_files))
        except UserError as exc:  # only between the two renames: the old graph waits in .graph.previous
            assert not one_step and "a build was interrupted (.graph.previous holds the last graph)" in str(exc)
            assert "\n" not in str(exc)
            assert _contents(previous_of(out)) == old  # nothing lost
            interrupted += 1
        replace_directory(out, old)  # the next build: recovers, cleans up, replaces
        assert _contents(out) == old
        assert sorted(p.name for p in out.parent.iterdir()) == ["graph"], "a stale directory was left"
    print(f"{steps} steps, each killed in turn: {seen.count('old')} left the old graph, {seen.count('new')} the "
          f"new one, {interrupted} the old one in .graph.previous; none lost")
    assert "old" in seen and "new" in seen
    assert interrupted == (0 if one_step else 1)
    replace_directory(out, new_files)
    assert _which(out, old, new_files) == "new"


def _cli(graph: Path, *args: str) -> subprocess.CompletedProcess:
    """``gpai-kg ARGS`` with its graph directory set to ``graph``."""
    code = ("import sys; from pathlib import Path; from gpai_kg import paths; "
            f"paths.GRAPH_DIR = Path({str(graph)!r}); sys.argv = ['gpai-kg', *sys.argv[1:]]; "
            "from gpai_kg.cli import main; main()")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)


def test_stats_on_a_missing_or_incomplete_graph_is_one_line_exit_2(tmp_path, new_files):
    graph = tmp_path / "graph"
    for damage, expected in ((lambda: None, "the graph directory"),
                             (lambda: (graph / "act.ttl").unlink(), "act.ttl is missing"),
                             (lambda: (graph / "build-report.json").unlink(), "no build-report.json")):
        replace_directory(graph, new_files)
        damage()
        if expected == "the graph directory":
            shutil.rmtree(graph)
        done = _cli(graph, "stats")
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
        assert expected in done.stderr and "Traceback" not in done.stderr and not done.stdout


def test_the_real_build_killed_while_it_computes_keeps_the_previous_graph(tmp_path, new_files):
    graph = tmp_path / "graph"
    replace_directory(graph, new_files)
    before = _contents(graph)
    code = ("import os, signal; import gpai_kg.builder.pipeline as p; "
            "p.check_conforms = lambda graphs: os.kill(os.getpid(), signal.SIGKILL); "
            f"p.build(__import__('pathlib').Path({str(graph)!r}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300)
    assert done.returncode == -signal.SIGKILL
    assert _contents(graph) == before and sorted(p.name for p in tmp_path.iterdir()) == ["graph"]
    assert _cli(graph, "stats", "--format", "json").returncode == 0
