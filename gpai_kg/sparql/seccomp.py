"""No outbound network for this process and its children: a seccomp-BPF filter.

``install(profile)`` loads a classic-BPF seccomp filter (``prctl(PR_SET_SECCOMP,
SECCOMP_MODE_FILTER)``, after ``PR_SET_NO_NEW_PRIVS``) that makes these system
calls fail with ``EPERM`` (the process keeps running; Rust's ``TcpStream::connect``
returns ``Operation not permitted (os error 1)``):

- every profile: ``connect``; ``sendto`` with a destination address (``dest_addr``
  not NULL: UDP datagrams, TCP Fast Open); ``sendmsg``/``sendmmsg`` (their address
  sits behind a pointer BPF cannot read); ``io_uring_setup/enter/register``
  (io_uring ops bypass seccomp); any system call of another ABI (the filter checks
  ``seccomp_data.arch``: i386 ``socketcall`` / ``int 0x80`` and x32 numbers are refused);
- ``"worker"`` (a query worker): ``socket()`` of any family but ``AF_UNIX``;
- ``"server"`` (``oxigraph serve``, which must still listen and accept on
  127.0.0.1): ``socket()`` of any family but ``AF_UNIX``, ``AF_INET``, ``AF_INET6``
  (no ``AF_PACKET``/``AF_NETLINK``); ``bind``/``listen``/``accept4`` stay allowed.

A seccomp filter is inherited over ``fork``/``clone`` and kept across ``execve``,
and can never be removed. It binds the calling thread (and threads it creates
later); call it in a freshly forked child (one thread) or in ``preexec_fn``.

``prepare(profile)`` builds the program in advance (no allocation after fork);
``supported()`` says whether this kernel/arch takes it. x86_64 and aarch64 only.
"""

from __future__ import annotations

import ctypes
import errno as _errno
import os
import platform
import struct

# BPF opcodes (linux/bpf_common.h)
_LD_W_ABS = 0x00 | 0x00 | 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x05 | 0x10 | 0x00  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x05 | 0x30 | 0x00  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06 | 0x00

RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2

AF_UNIX, AF_INET, AF_INET6 = 1, 2, 10

# seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]
_NR, _ARCH = 0, 4


def _arg_lo(i: int) -> int:
    return 16 + 8 * i  # little-endian: low word first (x86_64 and aarch64 both LE)


def _arg_hi(i: int) -> int:
    return 16 + 8 * i + 4


ARCHES = {
    # machine: (AUDIT_ARCH_*, syscall numbers, first number of a foreign ABI sharing the arch or None)
    "x86_64": (0xC000003E, dict(socket=41, connect=42, sendto=44, sendmsg=46, sendmmsg=307,
                                io_uring_setup=425, io_uring_enter=426, io_uring_register=427), 0x40000000),
    "aarch64": (0xC00000B7, dict(socket=198, connect=203, sendto=206, sendmsg=211, sendmmsg=269,
                                 io_uring_setup=425, io_uring_enter=426, io_uring_register=427), None),
}
ARCHES["arm64"] = ARCHES["aarch64"]
ARCHES["amd64"] = ARCHES["x86_64"]

PROFILES = {"worker": (AF_UNIX,), "server": (AF_UNIX, AF_INET, AF_INET6)}


class Unsupported(OSError):
    """The filter cannot be built or installed here (architecture, kernel, platform)."""


def program(profile: str = "worker", machine: str | None = None, errno: int = _errno.EPERM) -> list[tuple]:
    """The BPF program as (code, jt, jf, k) tuples."""
    machine = machine or platform.machine()
    if machine not in ARCHES:
        raise Unsupported(f"seccomp filter: no syscall table for {machine}")
    audit_arch, nr, foreign = ARCHES[machine]
    deny = (_RET_K, 0, 0, RET_ERRNO | (errno & 0xFFFF))
    allow = (_RET_K, 0, 0, RET_ALLOW)
    prog: list[tuple] = [
        (_LD_W_ABS, 0, 0, _ARCH),
        (_JEQ_K, 1, 0, audit_arch),  # native arch: skip the deny
        deny,
        (_LD_W_ABS, 0, 0, _NR),
    ]
    if foreign is not None:  # x32 numbers (nr | 0x40000000) on x86_64
        prog += [(_JGE_K, 0, 1, foreign), deny]
    for name in ("connect", "sendmsg", "sendmmsg", "io_uring_setup", "io_uring_enter", "io_uring_register"):
        prog += [(_JEQ_K, 0, 1, nr[name]), deny]
    # sendto(fd, buf, len, flags, dest_addr, addrlen): allowed only with dest_addr == NULL
    prog += [
        (_JEQ_K, 0, 6, nr["sendto"]),
        (_LD_W_ABS, 0, 0, _arg_lo(4)),
        (_JEQ_K, 0, 3, 0),
        (_LD_W_ABS, 0, 0, _arg_hi(4)),
        (_JEQ_K, 0, 1, 0),
        allow,
        deny,
    ]
    # socket(domain, ...): only the families of the profile
    families = PROFILES[profile]
    prog += [(_JEQ_K, 0, 2 + len(families) + 1, nr["socket"]), (_LD_W_ABS, 0, 0, _arg_lo(0))]
    for i, family in enumerate(families):
        prog.append((_JEQ_K, len(families) - i, 0, family))  # match -> jump to allow
    prog += [deny, allow]
    prog.append(allow)  # everything else
    _check_jumps(prog)
    return prog


def _check_jumps(prog: list[tuple]) -> None:
    for i, (code, jt, jf, _) in enumerate(prog):
        if code & 0x07 == 0x05:
            assert i + 1 + max(jt, jf) < len(prog), f"jump out of program at {i}"
    assert prog[-1][0] == _RET_K


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


class Prepared:
    """A filter built in advance: ``apply()`` only makes two prctl calls (safe
    in ``preexec_fn`` or right after ``fork``)."""

    def __init__(self, profile: str = "worker", machine: str | None = None):
        prog = program(profile, machine)
        self._filters = (_SockFilter * len(prog))(*[_SockFilter(*ins) for ins in prog])
        self._fprog = _SockFprog(len(prog), self._filters)
        try:
            self._prctl = ctypes.CDLL(None, use_errno=True).prctl
        except (OSError, AttributeError, TypeError) as exc:
            raise Unsupported(f"seccomp filter: no prctl here ({exc})") from None
        self._prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
        self._prctl.restype = ctypes.c_int
        self._pointer = ctypes.addressof(self._fprog)

    def apply(self) -> None:
        if self._prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            err = ctypes.get_errno()
            raise Unsupported(err, f"prctl(PR_SET_NO_NEW_PRIVS): {os.strerror(err)}")
        if self._prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, self._pointer, 0, 0) != 0:
            err = ctypes.get_errno()
            raise Unsupported(err, f"prctl(PR_SET_SECCOMP): {os.strerror(err)}")


def prepare(profile: str = "worker") -> Prepared:
    return Prepared(profile)


def install(profile: str = "worker") -> None:
    Prepared(profile).apply()


def packed(profile: str = "worker", machine: str | None = None) -> bytes:
    """The program as the kernel reads it (for inspection/tests)."""
    return b"".join(struct.pack("=HBBI", *ins) for ins in program(profile, machine))


def supported() -> bool:
    """Whether a filter can be installed here (tried in a throwaway child)."""
    if platform.system() != "Linux" or platform.machine() not in ARCHES:
        return False
    pid = os.fork()
    if pid == 0:
        try:
            install("worker")
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def main(argv: list[str] | None = None) -> None:
    """``python -m gpai_kg.sparql.seccomp PROFILE -- COMMAND ...``: exec COMMAND
    under the filter (how ``gpai-kg serve`` starts Oxigraph: safe from a
    threaded parent, unlike ``preexec_fn``). Exit 3, with one line, when the
    filter cannot be installed."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) < 3 or args[0] not in PROFILES or args[1] != "--":
        sys.stderr.write("usage: python -m gpai_kg.sparql.seccomp worker|server -- COMMAND [ARG ...]\n")
        raise SystemExit(2)
    try:
        install(args[0])
    except OSError as exc:
        sys.stderr.write(f"cannot install the seccomp filter: {exc}\n")
        raise SystemExit(3) from None
    os.execvp(args[2], args[2:])


if __name__ == "__main__":
    main()
