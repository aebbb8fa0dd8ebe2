"""The walls around a query worker: no network, a memory limit, no core dump.

``isolate()`` cuts a freshly forked worker (one thread) off the network, so
no query can make an outbound request whatever the checks decided:

1. the seccomp filter of ``seccomp`` ("worker" profile: no ``connect``, no
   socket but ``AF_UNIX``), 0.2 ms; else
2. a new, empty network namespace (``unshare(CLONE_NEWNET)``, as root), or
   one inside a new user namespace (``CLONE_NEWUSER | CLONE_NEWNET``,
   unprivileged): only a loopback interface, which is down.

On Linux, if neither works, queries are refused ("queries are disabled …")
unless ``GPAI_KG_UNSANDBOXED_QUERIES=1`` says to run them anyway (the
parser's checks still apply). Other systems have neither mechanism: there
the parser's checks are the only wall (documented in README, "Security").

``limit_memory(mb)``: ``RLIMIT_AS`` = the worker's address space now + ``mb``
(relative, because a forked worker inherits its parent's whole address space),
and ``RLIMIT_CORE`` = 0. When Oxigraph (Rust) cannot allocate, it prints
``memory allocation of N bytes failed`` and aborts: the parent turns that into
one line (``worker``).
"""

from __future__ import annotations

import ctypes
import os
import platform

from gpai_kg.sparql import seccomp

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
OPT_OUT = "GPAI_KG_UNSANDBOXED_QUERIES"

_FILTER: seccomp.Prepared | None | bool = None


def prepare() -> None:
    """Build the seccomp program before forking (the child then only calls prctl)."""
    global _FILTER
    if _FILTER is None:
        try:
            _FILTER = seccomp.prepare("worker")
        except seccomp.Unsupported:
            _FILTER = False


def _unshare(flags: int) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    return 0 if libc.unshare(ctypes.c_int(flags)) == 0 else ctypes.get_errno()


def _map_ids(uid: int, gid: int) -> None:
    """In a new user namespace, map our ids to themselves (else we are 'nobody')."""
    for path, line in (("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", f"{uid} {uid} 1"),
                       ("/proc/self/gid_map", f"{gid} {gid} 1")):
        try:
            with open(path, "w") as fh:
                fh.write(line)
        except OSError:
            pass  # still isolated, only unmapped


def _netns() -> str:
    err = _unshare(CLONE_NEWNET)
    if err == 0:
        return "netns"
    uid, gid = os.getuid(), os.getgid()
    again = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if again == 0:
        _map_ids(uid, gid)
        return "userns+netns"
    raise OSError(err, f"unshare(CLONE_NEWNET): {os.strerror(err)}; with CLONE_NEWUSER: {os.strerror(again)}")


def isolate() -> str:
    """Cut this freshly forked process off the network; returns the mechanism
    (``seccomp``, ``netns``, ``userns+netns``, or ``none`` where allowed);
    ``OSError`` when it cannot and must not run without."""
    if platform.system() != "Linux":
        return "none"
    errors = []
    prepare()
    if _FILTER:
        try:
            _FILTER.apply()
            return "seccomp"
        except OSError as exc:
            errors.append(str(exc))
    else:
        errors.append(f"no seccomp filter for {platform.machine()}")
    try:
        return _netns()
    except OSError as exc:
        errors.append(str(exc))
    if os.environ.get(OPT_OUT) == "1":
        return "none"
    raise OSError("; ".join(errors))


def _vm_size() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def limit_memory(mb: int) -> None:
    """``RLIMIT_AS`` = this process's address space + ``mb`` MB; no core dumps."""
    import resource

    limit = _vm_size() + (mb << 20)
    if limit > mb << 20:  # the size is known (Linux)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
