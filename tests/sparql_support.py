"""Fixtures and small HTTP helpers for the SPARQL tests (queries, safety, server).

``graph_dir`` is the committed ``data/graph`` (built in a temporary directory
only if it is missing, e.g. on a fresh checkout before ``gpai-kg build``).
"""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest

from gpai_kg import paths


@pytest.fixture(scope="session")
def graph_dir(tmp_path_factory) -> Path:
    if (paths.GRAPH_DIR / "act.ttl").is_file():
        return paths.GRAPH_DIR
    from gpai_kg.builder.pipeline import build

    out = tmp_path_factory.mktemp("built") / "graph"
    build(out, check=False)
    return out


@pytest.fixture(scope="session")
def kg(graph_dir):
    """The embedded pyoxigraph store of ``graph_dir``."""
    from gpai_kg.store.dataset import load_store

    return load_store(graph_dir)


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request with an empty SPARQL result, and records it."""

    requests: list[tuple[str, str]] = []
    delay: float = 0.0

    def _answer(self) -> None:
        import time

        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        type(self).requests.append((self.command, self.path + " " + body))
        time.sleep(type(self).delay)
        payload = b'{"head":{"vars":[]},"results":{"bindings":[]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


@contextmanager
def http_server(handler: type[http.server.BaseHTTPRequestHandler]):
    """Serve ``handler`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def proxy_handler(upstream: str, intercept: Callable[[str, str, bytes], int | None],
                  after: Callable[[str, str, bytes], None] | None = None):
    """A handler forwarding to ``upstream``; ``intercept(method, path, body)``
    may return an HTTP status to answer instead of forwarding; ``after`` is
    called once upstream has answered, before the answer is passed on."""

    class Proxy(http.server.BaseHTTPRequestHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            status = intercept(self.command, self.path, body or b"")
            if status is not None:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            request = urllib.request.Request(upstream + self.path, data=body, method=self.command, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    status, payload, kind = response.status, response.read(), response.headers.get("Content-Type")
            except urllib.error.HTTPError as exc:
                status, payload, kind = exc.code, exc.read(), exc.headers.get("Content-Type")
            if after is not None:
                after(self.command, self.path, body or b"")
            try:
                self.send_response(status)
                if kind:
                    self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):  # the client went away (a killed push)
                pass

        do_GET = do_POST = do_PUT = do_DELETE = _forward

        def log_message(self, *args) -> None:
            pass

    return Proxy
