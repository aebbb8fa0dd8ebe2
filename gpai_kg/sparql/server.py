"""A real Oxigraph SPARQL server holding the graph (``gpai-kg serve``).

Uses the ``oxigraph`` command shipped by the ``oxigraph`` package on PyPI
(https://pypi.org/project/oxigraph/, installed into the environment's
``bin/``): ``oxigraph load`` fills a fresh on-disk store in a temporary
directory, one named graph per file group (``store.graph_files``), then
``oxigraph serve-read-only`` (or ``serve`` with ``writable``) serves it on
127.0.0.1 with ``--union-default-graph`` (queries see the union of the named
graphs, as embedded). Endpoints: ``/query``, ``/update`` (refused when
read-only, HTTP 403), ``/store`` (Graph Store Protocol).

Oxigraph 0.5 cannot interrupt a running query (its ``--timeout-s`` stopped
neither an aggregate nor a streamed cross product in our tests), so the time
limit is the client's (``remote``); a runaway query ends with the server.

Oxigraph has no option to switch federation off, so anyone who reaches the
port could make it call any URL (``SERVICE <…>``, and ``LOAD <…>`` on a
writable server). So the server runs under the seccomp filter's "server"
profile (``python -m gpai_kg.sparql.seccomp server -- oxigraph serve …``): it
listens and answers on 127.0.0.1, but cannot connect anywhere. A SERVICE then
fails (the answer is cut short with "Operation not permitted"; SERVICE SILENT
gives one empty solution) and no request leaves. Where the filter cannot be
installed, the server does not start, unless ``GPAI_KG_UNSANDBOXED_QUERIES=1``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from gpai_kg.errors import UserError


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable of the ``oxigraph`` PyPI package."""
    try:
        for file in metadata.distribution("oxigraph").files or ():
            if file.name in ("oxigraph", "oxigraph.exe") and file.parent.name in ("bin", "Scripts"):
                path = Path(file.locate()).resolve()
                if path.is_file():
                    return str(path)
    except metadata.PackageNotFoundError:
        pass
    found = shutil.which("oxigraph", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                            os.environ.get("PATH", "")]))
    if not found:
        raise UserError("the oxigraph server is not installed: pip install oxigraph")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_location(location: Path, data_dir: Path | None = None) -> int:
    """Fill an Oxigraph store directory with the dataset; returns the file count."""
    from gpai_kg.store.dataset import graph_files

    groups: dict[str, list[Path]] = defaultdict(list)
    for graph_iri, path in graph_files(data_dir):
        groups[graph_iri].append(path)
    binary = oxigraph_binary()
    for graph_iri, files in groups.items():
        run = subprocess.run([binary, "load", "--location", str(location), "--graph", graph_iri, "--file",
                              *map(str, files)], capture_output=True, text=True)
        if run.returncode != 0:
            detail = " ".join(run.stderr.split())[:300]
            raise UserError(f"oxigraph could not load {', '.join(f.name for f in files)}: {detail}")
    # compacts the store for a read-heavy workload (~30 % faster queries, as oxigraph load advises)
    subprocess.run([binary, "optimize", "--location", str(location)], capture_output=True)
    return sum(len(f) for f in groups.values())


@dataclass
class OxigraphServer:
    """A running server; ``stop()`` ends it and removes its store."""

    process: subprocess.Popen
    port: int
    location: Path
    owns_location: bool = True
    log: Path | None = field(default=None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.owns_location:
            shutil.rmtree(self.location, ignore_errors=True)
        if self.log:
            self.log.unlink(missing_ok=True)

    def __enter__(self) -> OxigraphServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _wait_ready(server: OxigraphServer, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log = server.log.read_text(errors="replace") if server.log and server.log.exists() else ""
            raise UserError(f"the oxigraph server stopped at start: {' '.join(log.split())[:300]}")
        try:
            with urllib.request.urlopen(server.query_url + "?query=ASK%7B%7D", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise UserError(f"the oxigraph server did not answer on port {server.port} within {seconds:g} s")


def _walled() -> list[str]:
    """The command prefix that runs the server without outbound network (see the module docstring)."""
    from gpai_kg.sparql import sandbox, seccomp

    try:
        seccomp.prepare("server")
    except seccomp.Unsupported as exc:
        if os.environ.get(sandbox.OPT_OUT) == "1":
            return []
        raise UserError(f"cannot serve: the oxigraph server cannot be cut off the network here ({exc}); set "
                        f"{sandbox.OPT_OUT}=1 to serve anyway") from None
    return [sys.executable, "-m", "gpai_kg.sparql.seccomp", "server", "--"]


def start_server(data_dir: Path | None = None, port: int | None = None, writable: bool = False,
                 load: bool = True) -> OxigraphServer:
    """Load the graph (unless ``load`` is false: an empty store) and serve it on 127.0.0.1."""
    location = Path(tempfile.mkdtemp(prefix="gpai-kg-oxigraph-"))
    try:
        if load:
            load_location(location, data_dir)
        elif not writable:
            raise UserError("an empty server must be writable")
        port = port or free_port()
        command = [*_walled(), oxigraph_binary(), "serve" if writable else "serve-read-only", "--location",
                   str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
        log = location.parent / f"{location.name}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    except BaseException:
        shutil.rmtree(location, ignore_errors=True)
        raise
    server = OxigraphServer(process, port, location, log=log)
    try:
        _wait_ready(server)
    except BaseException:  # a failed start or a Ctrl-C while waiting: no server left behind
        server.stop()
        raise
    return server
