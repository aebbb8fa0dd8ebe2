"""Files gpai-kg writes: atomically (a temporary file in the same directory,
then one rename), so a reader sees the old file or the new one, never half of
one, and a failure names the path in one line (``UserError``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from gpai_kg.errors import UserError


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
