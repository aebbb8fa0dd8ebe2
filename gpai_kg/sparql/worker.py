"""Embedded queries in a process that can be killed and cannot reach the network.

pyoxigraph cannot interrupt a running query, a thread cannot be killed, and
Oxigraph's parser and evaluator recurse (a deep query overflows the stack) and
allocate without bound. So everything a user's query makes Oxigraph do (the
nesting scan, the parse, the checks, loading ``--input`` files, evaluation and
pickling the answer) runs in a *worker* process (``child``): no network
(``sandbox``), a memory limit, a large stack, and killed (SIGKILL) when the
time limit passes. The time limit starts when the request is sent; the
worker's start involves no user input and has its own limit (``START_TIMEOUT``).

Where the worker comes from:

- a single-threaded caller (the CLI) forks it: it shares the loaded store
  copy-on-write (5 to 100 ms, growing with this process's memory);
- a threaded caller (the Streamlit app) must not fork: a pyoxigraph lock held
  by another thread at ``fork`` stays locked in the child forever (seen: 2 of
  1 500 forks hung), and ``PR_SET_PDEATHSIG`` fires when the *forking thread*
  ends. Its workers come from multiprocessing's forkserver (a clean,
  single-threaded process), and the store is sent to them as N-Quads
  (about 90 ms + 0.1 s per worker).

A worker that answered is kept idle for the next query on the same store (at
most ``MAX_IDLE`` in all, so that concurrent callers each find one). A dead worker is reported in one line: the time limit, the
memory limit (Rust's "memory allocation of N bytes failed"), a crash
(SIGSEGV: too deep or too long a query), or its exit code. POSIX only.
"""

from __future__ import annotations

import os
import select
import signal
import tempfile
import threading
import time
from collections import OrderedDict

import pyoxigraph as ox

from gpai_kg.errors import UserError
from gpai_kg.sparql import child, sandbox
from gpai_kg.sparql.evaluate import Request, too_slow

MAX_IDLE = 8
START_TIMEOUT = 30.0

_CONTEXT = None


def _forkserver():
    global _CONTEXT
    if _CONTEXT is None:
        import multiprocessing

        _CONTEXT = multiprocessing.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(["gpai_kg.sparql.child"])
    return _CONTEXT


def death_line(signum: int | None, code: int | None, stderr_tail: str, memory_mb: int) -> str:
    """One line for a worker that ended without answering."""
    if "memory allocation of" in stderr_tail or "MemoryError" in stderr_tail:
        return f"query stopped: it needed more than {memory_mb} MB of memory (the memory limit)"
    if signum in (signal.SIGSEGV, signal.SIGBUS):
        return (f"query failed: the query process crashed ({signal.Signals(signum).name}, most likely a stack "
                "overflow): the query nests too deeply or chains too many operators; simplify it")
    if signum == signal.SIGKILL:
        return "query failed: the query process was killed (out of memory?)"
    if signum is not None:
        name = signal.Signals(signum).name if signum in signal.Signals._value2member_map_ else str(signum)
        last = stderr_tail.strip().splitlines()[-1][:200] if stderr_tail.strip() else ""
        return f"query failed: the query process ended by {name}" + (f" ({last})" if last else "")
    return f"query failed: the query process ended with code {code}"


class Worker:
    """One worker process and its pipes."""

    def __init__(self, pid: int, to_child: int, from_child: int, err_fd: int, memory_mb: int, process=None,
                 err_path: str | None = None):
        self.pid, self.to_child, self.from_child, self.err_fd = pid, to_child, from_child, err_fd
        self.memory_mb, self.process, self.err_path = memory_mb, process, err_path
        self.mode = ""

    @classmethod
    def fork(cls, store: ox.Store | None, memory_mb: int) -> Worker:
        sandbox.prepare()
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        with tempfile.TemporaryFile() as err:
            err_fd = os.dup(err.fileno())
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker: only its three descriptors (and 0-2) stay open
            try:
                keep = sorted((down_r, up_w, err_fd))
                for low, high in zip([3] + [k + 1 for k in keep], keep + [os.sysconf("SC_OPEN_MAX")]):
                    os.closerange(low, high)
                child.main(down_r, up_w, err_fd, store, memory_mb, parent)
            finally:
                os._exit(4)
        os.close(down_r)
        os.close(up_w)
        return cls(pid, down_w, up_r, err_fd, memory_mb)._started()

    @classmethod
    def from_forkserver(cls, store: ox.Store | None, memory_mb: int) -> Worker:
        context = _forkserver()
        down_r, down_w = context.Pipe(duplex=False)
        up_r, up_w = context.Pipe(duplex=False)
        err_fd, err_path = tempfile.mkstemp(prefix="gpai-kg-worker-", suffix=".err")
        process = context.Process(target=child.forkserver_main, daemon=True,
                                  args=(down_r, up_w, err_path, None if store is None else child.RECEIVE, memory_mb))
        process.start()
        down_r.close()
        up_w.close()
        worker = cls(process.pid, os.dup(down_w.fileno()), os.dup(up_r.fileno()), err_fd, memory_mb, process,
                     err_path)
        down_w.close()
        up_r.close()
        if store is not None:
            child.send(worker.to_child, _dump(store))
        return worker._started()

    def _started(self) -> Worker:
        kind, info = self._answer(time.monotonic() + START_TIMEOUT, None)
        if kind != "ready":
            self.kill()
            raise UserError(info)
        self.mode = info
        return self

    def _answer(self, deadline: float, timeout: float | None):
        ready, _, _ = select.select([self.from_child], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            self.kill()
            raise too_slow(timeout) if timeout is not None else \
                UserError(f"query failed: the query process did not start within {START_TIMEOUT:g} s")
        try:
            return child.receive(self.from_child)
        except (EOFError, OSError, ValueError):
            raise UserError(self._death()) from None

    def ask(self, request: Request, timeout: float):
        """The answer's payload; ``UserError`` for a refusal, the time limit or a dead worker."""
        deadline = time.monotonic() + timeout
        try:
            child.send(self.to_child, request)
        except OSError:
            raise UserError(self._death()) from None
        kind, payload = self._answer(deadline, timeout)
        if kind != "ok":
            raise UserError(payload)
        return payload

    def _death(self) -> str:
        if self.process is not None:
            self.process.join()
            code = self.process.exitcode
            signum, code = (-code, None) if code is not None and code < 0 else (None, code)
        else:
            _, status = os.waitpid(self.pid, 0)
            signum = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
            code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        self.pid = 0
        os.lseek(self.err_fd, 0, 0)
        tail = os.read(self.err_fd, 1 << 16).decode(errors="replace")[-2000:]
        self.close()
        return death_line(signum, code, tail, self.memory_mb)

    def alive(self) -> bool:
        if not self.pid:
            return False
        if self.process is not None:
            return self.process.is_alive()
        return os.waitpid(self.pid, os.WNOHANG)[0] == 0

    def kill(self) -> None:
        if self.pid:
            if self.process is not None:
                self.process.kill()
                self.process.join()
            else:
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.waitpid(self.pid, 0)
            self.pid = 0
        self.close()

    def close(self) -> None:
        for fd in (self.to_child, self.from_child, self.err_fd):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.to_child = self.from_child = self.err_fd = -1
        if self.err_path:
            try:
                os.unlink(self.err_path)
            except OSError:
                pass
            self.err_path = None


_LOCK = threading.Lock()
_IDLE: list[tuple[tuple, ox.Store | None, Worker]] = []  # (key, store, worker), the most recently used last
_DUMPS: OrderedDict[int, tuple[ox.Store, bytes]] = OrderedDict()


def _dump(store: ox.Store) -> bytes:
    """The store as N-Quads, for forkserver workers (kept for the next one)."""
    with _LOCK:
        entry = _DUMPS.get(id(store))
    if entry is None or entry[0] is not store:
        entry = (store, store.dump(format=ox.RdfFormat.N_QUADS))
        with _LOCK:
            _DUMPS[id(store)] = entry
            while len(_DUMPS) > MAX_IDLE:
                _DUMPS.popitem(last=False)
    return entry[1]


def _idle(key: tuple, store: ox.Store | None) -> Worker | None:
    with _LOCK:
        for i in range(len(_IDLE) - 1, -1, -1):
            if _IDLE[i][0] == key and _IDLE[i][1] is store:
                worker = _IDLE.pop(i)[2]
                break
        else:
            return None
    if worker.alive():
        return worker
    worker.kill()
    return None


def run(store: ox.Store | None, request: Request, timeout: float, memory_mb: int):
    """Ask a worker of ``store`` (``None``: a worker without a store, for
    ``check`` requests); the payload of its answer, or ``UserError``."""
    threaded = threading.active_count() > 1
    key = (id(store), memory_mb, threaded)
    worker = _idle(key, store) or (Worker.from_forkserver if threaded else Worker.fork)(store, memory_mb)
    try:
        return worker.ask(request, timeout)
    finally:
        _keep(key, store, worker)


def _keep(key: tuple, store: ox.Store | None, worker: Worker) -> None:
    spare: list[Worker] = []
    with _LOCK:
        if worker.alive():
            _IDLE.append((key, store, worker))
            while len(_IDLE) > MAX_IDLE:
                spare.append(_IDLE.pop(0)[2])
        else:
            spare.append(worker)
    for extra in spare:
        extra.kill()


def stop_all() -> None:
    """End every idle worker (they also end with this process)."""
    with _LOCK:
        workers = [w for _, _, w in _IDLE]
        _IDLE.clear()
    for worker in workers:
        worker.kill()
