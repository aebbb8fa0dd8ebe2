"""A throwaway Virtuoso 7 (Debian ``virtuoso-opensource``) on 127.0.0.1, for tests.

``virtuoso-t +foreground`` with ``virtuoso.ini`` (both ports bound to
127.0.0.1, every file in a temporary directory, no Conductor VAD, result
limits raised so that answers are never cut short); ready when
``/sparql?query=ASK{}`` answers (about 2 s on a fresh database); then
``GRANT SPARQL_UPDATE TO "SPARQL"`` through ``isql-vt`` so that the anonymous
``/sparql`` takes updates and ``/sparql-graph-crud`` takes PUTs; stopped with
SIGTERM (a clean shutdown in about 1 s), SIGKILL of its process group after 15 s.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "virtuoso.ini"


def missing() -> str | None:
    if not (shutil.which("virtuoso-t") and shutil.which("isql-vt")):
        return "Virtuoso is not installed (Debian virtuoso-opensource)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Virtuoso:
    base: str
    sql_port: int
    directory: Path
    process: subprocess.Popen

    @property
    def sparql(self) -> str:
        """Query and update (once SPARQL_UPDATE is granted)."""
        return self.base + "/sparql"

    @property
    def gsp(self) -> str:
        """The Graph Store Protocol, ``?graph=IRI``."""
        return self.base + "/sparql-graph-crud"

    def isql(self, sql: str) -> str:
        run = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={sql}"],
                             capture_output=True, text=True, timeout=60)
        if run.returncode or "*** Error" in run.stdout + run.stderr:
            raise RuntimeError(f"isql failed: {run.stdout}{run.stderr}")
        return run.stdout


def _ready(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def virtuoso(directory: Path, startup_timeout: float = 60.0):
    """Start a fresh Virtuoso in ``directory``; yield a ``Virtuoso``; stop it."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = _free_port(), _free_port()
    ini = TEMPLATE.read_text(encoding="utf-8").replace("@DIR@", str(directory)) \
        .replace("@HTTPPORT@", str(http_port)).replace("@SQLPORT@", str(sql_port))
    (directory / "virtuoso.ini").write_text(ini, encoding="utf-8")
    log = open(directory / "stdout.log", "wb")
    process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(directory / "virtuoso.ini")],
                               cwd=directory, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = Virtuoso(f"http://127.0.0.1:{http_port}", sql_port, directory, process)
    try:
        deadline = time.monotonic() + startup_timeout
        while not _ready(server.base):
            if process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited {process.returncode}: "
                                   + (directory / "stdout.log").read_text(errors="replace")[-2000:])
            if time.monotonic() > deadline:
                raise RuntimeError("virtuoso-t was not ready in time")
            time.sleep(0.1)
        server.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
