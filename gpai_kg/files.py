"""Files gpai-kg reads from users and files it writes.

- ``read_capped``: a user's file, never more than a size limit of it (a
  regular file larger than the limit is refused without being read; a pipe,
  ``/dev/zero`` or a growing file is read at most one byte past the limit);
  ``decode_text`` makes it text (UTF-8, a byte-order mark allowed);
- ``write_atomic``: a temporary file in the same directory, then one rename,
  so a reader sees the old file or the new one, never half of one;
- ``replace_directory``: a directory replaced whole by a kill-proof swap:
  the new one written aside, then ``exchange``d with the old in one step
  (``renameat2`` with ``RENAME_EXCHANGE`` on Linux; elsewhere two renames,
  and the next replacement recovers ``.NAME.previous`` if a kill came between
  them); stale staging directories of an earlier, killed run are removed;
- ``csv_cell`` / ``csv_text``: CSV that a spreadsheet reads as data, never as
  a formula (OWASP, "CSV Injection").

A failure names the path in one line (``UserError``).
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import io
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from gpai_kg.errors import UserError


def size_text(n: int) -> str:
    """A byte count for people: 812 bytes, 256 KB, 1.5 MB."""
    if n < 1024:
        return f"{n} bytes"
    if n < 1 << 20:
        return f"{n / 1024:.3g} KB"
    return f"{n / (1 << 20):.3g} MB"


def unreadable(path: Path, exc: OSError) -> UserError:
    """The one line for a file that cannot be opened for reading."""
    if isinstance(exc, FileNotFoundError):
        return UserError(f"no such file: {path}")
    if isinstance(exc, IsADirectoryError):
        return UserError(f"not a file: {path}")
    return UserError(f"cannot read {path}: {exc.strerror or exc}")


def read_capped(path: str | Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``, a ``what`` ("a model description"…) of at most
    ``limit`` bytes; ``UserError`` naming the path for anything else."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO without a writer: no hang
    except OSError as exc:
        raise unreadable(path, exc) from None
    too_big = f"{path}: more than {size_text(limit)}, the size limit of {what}"
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UserError(f"not a file: {path}")
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise UserError(f"{path}: {size_text(info.st_size)}, more than {size_text(limit)}, the size limit of "
                            f"{what}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise UserError(too_big)
    return b"".join(chunks)


def decode_text(data: bytes, where: str) -> str:
    """UTF-8 text, without a leading byte-order mark; ``UserError`` naming the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{where}: not UTF-8 text (byte {exc.start + 1} is {data[exc.start]:#04x})") from None


def check_writable(out: Path) -> None:
    """Fail early, naming the path, when ``out`` cannot be written."""
    parent = out.parent
    if out.is_dir():
        raise UserError(f"cannot write {out}: it is a directory")
    if not parent.is_dir():
        raise UserError(f"cannot write {out}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"cannot write {out}: directory {parent} is not writable")


def write_atomic(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` via a temporary file in the same directory and a
    rename, so readers see the old file or the new one, never half of one."""
    out = Path(out)
    check_writable(out)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except OSError as exc:
        _remove(tmp)
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap the directories ``a`` and ``b`` in one step; ``False`` where the
    system cannot (not Linux, an old kernel or file system): then do it in two."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not here
        return False
    raise OSError(err, os.strerror(err), str(a))


def previous_of(out: Path) -> Path:
    """Where ``replace_directory`` keeps the old directory between its two renames (no ``exchange``)."""
    return out.with_name(f".{out.name}.previous")


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (``flock``, POSIX): one replacement at a time."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _fsync_directory(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every system lets a directory be opened
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def replace_directory(out: Path, files: Mapping[str, bytes]) -> None:
    """Make ``out`` a directory holding exactly ``files`` (name -> bytes), so
    that a reader, or a process killed at any step, finds the old directory or
    the new one, whole, never a mix, and never none (see the module docstring)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    previous = previous_of(out)
    with _locked(out.parent):
        if not out.exists() and previous.is_dir():
            os.rename(previous, out)  # a kill came between the two renames: the old directory comes back
        for stale in out.parent.glob(f".{out.name}.*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by a killed run: we hold the lock
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)
        for name, data in files.items():
            fd = os.open(staging / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_directory(staging)
        if not out.exists():
            os.rename(staging, out)
        elif exchange(staging, out):
            pass  # one step: out is the new directory, staging holds the old one
        else:
            os.rename(out, previous)
            os.rename(staging, out)
            staging = previous
        _fsync_directory(out.parent)
        if staging.exists():
            shutil.rmtree(staging)


#: What makes a spreadsheet read a cell as a formula (OWASP; the full-width forms too).
_FORMULA = re.compile(r"^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as written: text that starts like a formula
    (``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
    ``'``, as OWASP recommends; a plain number (``-2.5``, ``3.8e+25``) stays a number."""
    text = "" if value is None else str(value)
    if _FORMULA.match(text) and not _NUMBER.match(text):
        return "'" + text
    return text


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """CSV of ``rows`` (RFC 4180: CRLF line ends, so a cell holding a CR or LF
    is quoted; every cell through ``csv_cell``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
