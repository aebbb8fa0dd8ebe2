"""``gpai-kg assess MODEL --format md|html|pdf``: the report to file
(``gpai_kg.publish.filing``), to stdout or, atomically, to ``--out FILE``."""

from __future__ import annotations

import sys
from pathlib import Path

from gpai_kg.errors import UserError
from gpai_kg.files import check_writable, write_atomic

REPORTS = ("md", "html", "pdf")


def write_report(assessment, description, fmt: str, out: Path | None, console) -> None:
    """Render the report in ``fmt`` and write it; a PDF goes to a file or a pipe, never to a terminal."""
    from gpai_kg.publish.filing import markdown, report_data
    from gpai_kg.publish.report_html import html, pdf

    if out is None and fmt == "pdf" and sys.stdout.isatty():
        raise UserError("--format pdf writes a binary file: give --out FILE.pdf (or redirect stdout)")
    if out is not None:
        check_writable(Path(out))  # before the work, so a bad path costs nothing
    data = report_data(assessment, description)
    body = pdf(data) if fmt == "pdf" else (markdown(data) if fmt == "md" else html(data)).encode("utf-8")
    if out is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    write_atomic(Path(out), body)
    console.print(f"wrote {out} ({len(body)} bytes)", highlight=False, soft_wrap=True)
