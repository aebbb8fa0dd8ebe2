"""The query worker process: walls first, then a loop of requests.

``main`` runs right after the worker is forked (from the CLI, or from
multiprocessing's forkserver for a threaded parent such as Streamlit), while it
has one thread:

1. stderr goes to a file the parent reads if the worker dies (``faulthandler``
   off: a crash is reported by the parent, in one line); SIGTERM back to its
   default, SIGINT ignored; ``PR_SET_PDEATHSIG`` so that it dies with its parent;
2. ``sandbox.isolate()``: no network, or a "fatal" answer and exit;
3. the store: inherited (fork), or sent by the parent as N-Quads (forkserver);
4. a thread with a ``STACK_MB`` stack answers the requests (Oxigraph recurses
   per nesting level and per term of a long ``+``, ``&&``, ``UNION`` or ``/``
   chain; with 256 MB none crashed at the size cap, they run out of time), and
   only then ``sandbox.limit_memory``.

Messages are pickles framed by an 8-byte length, on two pipes.
"""

from __future__ import annotations

import ctypes
import faulthandler
import os
import pickle
import signal
import threading

import pyoxigraph as ox

from gpai_kg.sparql import evaluate, sandbox


STACK_MB = 256
#: The store a forkserver worker is given: it is sent as N-Quads after the start.
RECEIVE = "receive"


def _write(fd: int, payload: bytes) -> None:
    view = memoryview(len(payload).to_bytes(8, "little") + payload)
    while view:
        view = view[os.write(fd, view):]


def send(fd: int, message: object) -> None:
    _write(fd, pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))


def _exactly(fd: int, n: int) -> bytes:
    chunks, size = [], 0
    while size < n:
        chunk = os.read(fd, min(n - size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def receive(fd: int) -> object:
    return pickle.loads(_exactly(fd, int.from_bytes(_exactly(fd, 8), "little")))


def _orphan_proof(parent: int) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError, TypeError):
        pass
    if os.getppid() != parent:  # the parent ended before the prctl
        os._exit(0)


def _serve(rfd: int, wfd: int, store: ox.Store | None, memory_mb: int) -> None:
    while True:
        try:
            request = receive(rfd)
        except (EOFError, OSError):
            return
        try:
            payload = pickle.dumps(evaluate.answer(store, request), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("error", f"query stopped: it needed more than {memory_mb} MB of memory "
                                             "(the memory limit)"))
        _write(wfd, payload)


def main(rfd: int, wfd: int, err_fd: int, store: ox.Store | None, memory_mb: int, parent: int) -> None:
    """The worker, from fork to exit (never returns)."""
    code = 0
    try:
        os.dup2(err_fd, 2)
        faulthandler.disable()
        _orphan_proof(parent)
        try:
            mode = sandbox.isolate()
        except OSError as exc:
            send(wfd, ("fatal", f"queries are disabled: cannot cut the query process off the network here ({exc}); "
                                f"set {sandbox.OPT_OUT}=1 to run them without that wall"))
            os._exit(3)
        if store == RECEIVE:  # forkserver: the parent sends the store as N-Quads
            store = ox.Store()
            store.bulk_load(receive(rfd), format=ox.RdfFormat.N_QUADS)
        threading.stack_size(STACK_MB << 20)
        ready = threading.Event()
        thread = threading.Thread(target=lambda: (ready.wait(), _serve(rfd, wfd, store, memory_mb)))
        thread.start()
        sandbox.limit_memory(memory_mb)
        send(wfd, ("ready", mode))
        ready.set()
        thread.join()
    except BaseException:  # noqa: BLE001 — the parent reports the death in one line
        code = 4
    os._exit(code)


def forkserver_main(down, up, err_path: str, store_source, memory_mb: int) -> None:
    """The target of a forkserver ``Process``: ``main`` on its pipes."""
    err_fd = os.open(err_path, os.O_WRONLY | os.O_APPEND)
    main(down.fileno(), up.fileno(), err_fd, store_source, memory_mb, os.getppid())
