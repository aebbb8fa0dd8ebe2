"""``gpai-kg assess`` on 1 000 generated bad descriptions in each format: one line, exit 2, never slow.

Every input of ``bad_inputs.generate`` is certainly bad, so the only right
answer is a refusal: exit code 2, a single line on stderr (``gpai-kg: error:
…``), no traceback, no warning, nothing on stdout (an exit 0 would be a
silent coercion). The command runs in-process (the real ``main``, as the
console script calls it) in a forked runner, which answers each input
within ``HANG`` seconds or is counted hung, killed and started again.
``INPUT_FUZZ_COUNT`` (default 1 000) sets how many per format.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import select
import signal
import sys
import time
from pathlib import Path

import pytest
from bad_inputs import generate

from gpai_kg import paths

COUNT = int(os.environ.get("INPUT_FUZZ_COUNT", "1000"))
HANG = 5.0


def _assess_in_process(path: str) -> dict:
    from gpai_kg.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    argv, code, crash = sys.argv, None, None
    sys.argv = ["gpai-kg", "assess", path, "--as-of", "2026-09-01", "--format", "json"]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    except BaseException as exc:  # noqa: BLE001 — a traceback is what this test looks for
        crash = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        sys.argv = argv
    return {"code": code, "stderr": err.getvalue(), "stdout": out.getvalue()[:200], "crash": crash}


class Runner:
    """A forked process that assesses one file per request (one JSON line back)."""

    def __init__(self) -> None:
        self.down_r, self.down_w = os.pipe()
        self.up_r, self.up_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self.down_w)
            os.close(self.up_r)
            self._serve()
        os.close(self.down_r)
        os.close(self.up_w)
        self.reader = os.fdopen(self.up_r, "r", encoding="utf-8")

    def _serve(self) -> None:
        with os.fdopen(self.down_r, "r", encoding="utf-8") as requests, os.fdopen(self.up_w, "w") as answers:
            _assess_in_process(str(paths.EXAMPLES_DIR / "frontier-model.json"))  # warm: the law, the shapes
            answers.write("ready\n")
            answers.flush()
            for line in requests:
                answers.write(json.dumps(_assess_in_process(line.rstrip("\n"))) + "\n")
                answers.flush()
        os._exit(0)

    def wait_ready(self) -> None:
        assert self.reader.readline() == "ready\n"

    def ask(self, path: Path) -> dict | None:
        os.write(self.down_w, (str(path) + "\n").encode())
        start = time.monotonic()
        if not select.select([self.reader], [], [], HANG)[0]:
            return None
        answer = json.loads(self.reader.readline())
        answer["seconds"] = time.monotonic() - start
        return answer

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.down_w)
        self.reader.close()


def _wrong(answer: dict | None) -> str | None:
    if answer is None:
        return f"hung (no answer within {HANG:g} s)"
    if answer["crash"]:
        return "traceback: " + answer["crash"]
    lines = answer["stderr"].splitlines()
    if answer["code"] == 0:
        return "accepted (a silent coercion): " + answer["stdout"][:100]
    if answer["code"] != 2 or len(lines) != 1 or not lines[0].startswith("gpai-kg: error: "):
        return f"exit {answer['code']} with stderr {answer['stderr'][:300]!r}"
    if "Traceback" in answer["stderr"] or answer["stdout"]:
        return "traceback or output: " + answer["stderr"][:300]
    return None


@pytest.mark.parametrize("fmt", ["json", "yaml", "ttl"])
def test_every_bad_description_is_one_line_exit_2_and_quick(fmt, tmp_path):
    inputs = generate(fmt, COUNT)
    assert len(inputs) >= COUNT
    runner = Runner()
    runner.wait_ready()
    failures, slowest = [], 0.0
    try:
        for i, (suffix, text) in enumerate(inputs):
            path = tmp_path / f"bad-{i}{suffix}"
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            answer = runner.ask(path)
            problem = _wrong(answer)
            if answer is None:
                runner.kill()
                runner = Runner()
                runner.wait_ready()
            else:
                slowest = max(slowest, answer["seconds"])
            if problem:
                failures.append(f"{path.name}: {problem} <- {text[:160]!r}")
            path.unlink()
    finally:
        runner.kill()
    print(f"{fmt}: {len(inputs)} bad descriptions, {len(failures)} wrong, slowest answer {slowest:.2f} s")
    assert not failures, f"{len(failures)} of {len(inputs)} wrong; first ones:\n" + "\n".join(failures[:15])
