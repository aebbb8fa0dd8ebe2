"""Embedded queries in a process that can be killed: the real time limit.

pyoxigraph cannot interrupt a running query, and a thread cannot be killed. So
an embedded query runs in a *worker*: a child forked from this process, which
shares the loaded store copy-on-write and answers queries on a pipe, one at a
time. When a query passes its time limit its worker is killed (SIGKILL) and the
next query forks a fresh one.

An idle worker is kept per store (for at most ``MAX_IDLE`` stores, the least
recently used let go first), so a query costs a pipe round trip rather than a
fork (5 to 30 ms, growing with this process's memory). A worker sees the store
as it was when forked: stores are read-only once loaded. POSIX only (``fork``).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import pickle
import signal
import threading
from collections import OrderedDict
from collections.abc import Callable

import pyoxigraph as ox

from gpai_kg.errors import UserError

MAX_IDLE = 4

Answer = tuple[str, object]  # ("ok", result) or ("error", one-line message)


def _orphan_proof(parent_end) -> None:
    """Make the worker end with its parent: close the parent's end of the pipe
    (so a dead parent means end-of-file), take back the default SIGTERM the
    parent (e.g. Streamlit) may have replaced, and on Linux ask the kernel to
    kill this process when the parent dies (``PR_SET_PDEATHSIG``)."""
    parent_end.close()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass


def _serve(conn, parent_end, store: ox.Store, evaluate: Callable) -> None:
    """The worker's loop: (text, form, max_rows) in, an ``Answer`` out."""
    _orphan_proof(parent_end)
    while True:
        try:
            text, form, max_rows = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        try:
            answer: Answer = ("ok", evaluate(store, text, form, max_rows))
        except UserError as exc:
            answer = ("error", str(exc))
        except Exception as exc:  # noqa: BLE001 — reported to the parent as one line
            answer = ("error", f"query failed: {' '.join(str(exc).split())}")
        conn.send_bytes(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


class Worker:
    def __init__(self, store: ox.Store, evaluate: Callable):
        ctx = multiprocessing.get_context("fork")
        self.conn, child_end = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child_end, self.conn, store, evaluate), daemon=True)
        self.process.start()
        child_end.close()

    def ask(self, request: tuple, timeout: float) -> Answer | None:
        """The answer, or ``None`` when the time limit passed (the worker is then killed)."""
        try:
            self.conn.send_bytes(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
            if self.conn.poll(timeout):
                return pickle.loads(self.conn.recv_bytes())
        except (EOFError, OSError):
            self.kill()
            return "error", f"query failed: the query process ended with code {self.process.exitcode}"
        self.kill()
        return None

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


_LOCK = threading.Lock()
_IDLE: OrderedDict[int, tuple[ox.Store, Worker]] = OrderedDict()


def run(store: ox.Store, request: tuple, timeout: float, evaluate: Callable, keep: bool = True) -> Answer | None:
    """Ask a worker of ``store`` (an idle one, else a new one); keep it for the
    next query if ``keep``. ``None``: the time limit passed, the worker is dead."""
    with _LOCK:
        entry = _IDLE.pop(id(store), None)
    worker = entry[1] if entry and entry[0] is store and entry[1].alive() else None
    if worker is None:
        worker = Worker(store, evaluate)
    answer = worker.ask(request, timeout)
    if answer is None:
        return None
    spare: list[Worker] = []
    with _LOCK:
        if keep and worker.alive() and id(store) not in _IDLE:
            _IDLE[id(store)] = (store, worker)
            while len(_IDLE) > MAX_IDLE:
                spare.append(_IDLE.popitem(last=False)[1][1])
        else:
            spare.append(worker)
    for extra in spare:
        extra.kill()
    return answer


def stop_all() -> None:
    """End every idle worker (they also end with this process)."""
    with _LOCK:
        workers = [w for _, w in _IDLE.values()]
        _IDLE.clear()
    for worker in workers:
        worker.kill()
