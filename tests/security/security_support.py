"""Helpers of the security suite: a listener on 127.0.0.1 that records every
connection, and ``in_child`` (run a function in a forked child, nothing walled in)."""

from __future__ import annotations

import os
import pickle
import socket
import threading
import time


class Listener:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _loop(self) -> None:
        body = b'{"head":{"vars":["leak"]},"results":{"bindings":[{"leak":{"type":"literal","value":"LEAKED"}}]}}'
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                except OSError:
                    pass
                self.hits.append(data or b"(connection)")
                try:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                                 b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
                                 + body)
                except OSError:
                    pass

    def settle(self) -> list[bytes]:
        """The requests so far, after a moment for late ones."""
        time.sleep(0.2)
        return list(self.hits)

    def close(self) -> None:
        self.sock.close()



def in_child(fn, *args):
    """``fn(*args)`` in a forked child (nothing walled in): its picklable
    result, ``("raised", text)``, or ``("died", status)``."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            out = ("ok", fn(*args))
        except BaseException as exc:  # noqa: BLE001
            out = ("raised", f"{type(exc).__name__}: {exc}")
        os.write(w, pickle.dumps(out))
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 1 << 16):
        data += chunk
    os.close(r)
    _, status = os.waitpid(pid, 0)
    return pickle.loads(data) if data else ("died", status)
