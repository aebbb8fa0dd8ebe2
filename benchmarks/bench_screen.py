"""Screening at hub scale, as a report (not a timed test): gpai-kg against
the plain-Python lower bound (benchmarks/lower_bound.py), side by side in one
run, on registries of 1 000 to 1 000 000 generated rows
(benchmarks/gen_registry.py, seed 16: each size is a prefix of the next).

Targets (issue 16): within 5x of the lower bound per model at 100 000 rows on
one process; 1 000 000 rows in under 2 minutes with --workers 2 on this
2-core machine, peak RSS under 500 MB whatever the number of rows. Machines
are shared and noisy, so the figures to compare are the ratios within one run
and the CPU time (user + system, of the process and its children) beside the
wall time; with ``--repeat N`` each engine runs N times, the engines in turn
(lower bound, gpai-kg, lower bound, ...: a slow minute slows both), and the
row is each engine's median run by CPU time (peak RSS: the largest). The
package's bytecode is written first, as an install by pip writes it. Each engine runs as its own process; peak RSS is the largest
resident set of that process or of any of its workers.

Before the rows are timed, the lower bound is checked to decide as the
per-model engine does on every row of the Epoch registry
(``check_lower_bound.py``), and the answers alone to be the per-model
engine's on every row of the 10 000-row registry (``check_answers.py``);
``--no-check`` skips both.

    python benchmarks/bench_screen.py [--sizes 1000,10000,100000,1000000] [--workers 1,2] [--repeat N]
                                      [--as-of 2026-09-01] [--data DIR] [--out FILE.jsonl] [--before]
                                      [--explained-up-to N] [--app] [--no-check]

``gpai-kg --workers N`` is ``screen --summary-only``: the answers alone
(``gpai_kg.reasoning.batch.answer_batch``), what the lower bound computes too.
``explained`` is ``screen --out FILE.jsonl --workers 1``: each row with its
explanations (summaries, because, notes, sources), on sizes up to
``--explained-up-to`` (default 10 000). ``--app`` times the app's Screen page on the bundled Epoch registry (target:
under 3 s): in a fresh process, the app run, switched to the page, then the
press of "Screen" until the table and chart are drawn (``AppTest``; first:
the law loaded from its on-disk cache, the rules compiled; again: another
date, in the same process), beside ``gpai-kg screen --summary-only`` of the
same registry in the same run. ``--before`` adds the per-model path
(``gpai_kg.reasoning.engine.run_fast`` per row, as ``screen`` did before
issue 16) on sizes up to 10 000.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable

PER_MODEL = """
import sys
from datetime import date
from gpai_kg.errors import UserError
from gpai_kg.reasoning.assessment import read_assessment
from gpai_kg.reasoning.description import describe
from gpai_kg.reasoning.engine import run_fast
from gpai_kg.reasoning.law import closed_law
from gpai_kg.reasoning.registry import Registry
from gpai_kg.reasoning.screen import _iri
as_of, law, n = date.fromisoformat(sys.argv[2]), closed_law(), 0
for number, raw, problem in Registry(sys.argv[1]).rows():
    try:
        d = describe(raw, iri=_iri(number, str(raw.get("name") or "model"))) if problem is None else None
    except UserError:
        d = None
    if d is not None:
        read_assessment(run_fast(d, as_of), d, law).to_json(chains=False)
    n += 1
print(n)
"""


def run(argv: list[str]) -> dict:
    """Run a process to its end: wall and CPU seconds, peak RSS (MB) of it and its children."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err[-500:]}")
    return {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


SCREEN_PAGE = """
import datetime, json, sys, time
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=600).run()
at.switch_page("gpai_kg/ui/screen_page.py").run()
times = []
for day in (datetime.date(2026, 9, 1), datetime.date(2027, 9, 1)):
    at.date_input(key="screen_as_of").set_value(day)
    start = time.perf_counter()
    at.button(key="screen_run").click().run()
    times.append(time.perf_counter() - start)
    assert not at.exception and len(at.dataframe[0].value) == 924, at.exception
print(json.dumps(times))
"""


def screen_page(epoch: Path, as_of: str) -> None:
    """The Screen page on the bundled registry, first and again, beside the CLI on the same file."""
    done = subprocess.run([PYTHON, "-c", SCREEN_PAGE], cwd=ROOT, capture_output=True, text=True, check=True)
    first, again = json.loads(done.stdout.strip().splitlines()[-1])
    cli = run([PYTHON, "-m", "gpai_kg", "screen", str(epoch), "--as-of", as_of, "--summary-only", "--workers", "1"])
    print(f"\nScreen page, {epoch.name}: press of Screen to the table drawn {first:.2f} s first, {again:.2f} s "
          f"again (target: under 3 s); the CLI on the same registry, process start included: {cli['wall_s']:.2f} s "
          f"wall (page first / CLI: {first / cli['wall_s']:.2f}x)")


def registry(data: Path, rows: int) -> Path:
    path = data / f"registry_{rows}.csv"
    if not path.exists():
        subprocess.run([PYTHON, str(HERE / "gen_registry.py"), str(rows), str(path), "--seed", "16"], check=True,
                       stdout=subprocess.DEVNULL)
    return path


def _median(runs: list[dict]) -> dict:
    """The median run by CPU time, with the largest peak RSS of all (and how many runs)."""
    middle = sorted(runs, key=lambda m: m["cpu_s"])[(len(runs) - 1) // 2]
    return {**middle, "peak_rss_mb": max(m["peak_rss_mb"] for m in runs), "runs": len(runs)}


def _row(label: str, rows: int, m: dict, base: dict | None) -> str:
    ratio = f"{m['cpu_s'] / base['cpu_s']:.1f}x" if base and base["cpu_s"] else ""
    return (f"| {rows:>9,} | {label:<26} | {m['wall_s']:>8.1f} | {m['cpu_s']:>8.1f} | {rows / m['wall_s']:>9,.0f} | "
            f"{rows / max(m['cpu_s'], 1e-9):>9,.0f} | {m['peak_rss_mb']:>7.0f} | {ratio:>6} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    ap.add_argument("--workers", default="1,2", help="--workers values of gpai-kg screen to time")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each engine, in turn; the median is shown")
    ap.add_argument("--as-of", default="2026-09-01")
    ap.add_argument("--data", type=Path, default=ROOT / ".bench")
    ap.add_argument("--out", type=Path, help="append each measurement to this JSON Lines file")
    ap.add_argument("--before", action="store_true", help="also the per-model path, up to 10 000 rows")
    ap.add_argument("--explained-up-to", type=int, default=10_000,
                    help="time the explained screening (JSON Lines, one process) up to this many rows")
    ap.add_argument("--no-check", action="store_true")
    ap.add_argument("--app", action="store_true", help="also time the app's Screen page on the bundled registry")
    args = ap.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    # gpai_kg's bytecode written first, as pip writes an installed package's: an editable install under
    # PYTHONDONTWRITEBYTECODE (this machine's setting) would compile its modules again at every start (0.1 s)
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "gpai_kg")], check=True)
    if not args.no_check:
        subprocess.run([PYTHON, str(HERE / "check_lower_bound.py"), "--as-of", args.as_of, "--as-of", "2025-06-01",
                        "--random", "1000"], cwd=ROOT, check=True)
        subprocess.run([PYTHON, str(HERE / "check_answers.py"), str(registry(args.data, 10_000)), "--as-of",
                        args.as_of], cwd=ROOT, check=True)
    print("| rows | engine | wall s | CPU s | models/s wall | models/s CPU | peak RSS MB | CPU vs lower bound |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for rows in (int(float(s)) for s in args.sizes.split(",") if s):
        path = registry(args.data, rows)
        engines = {"lower bound": [PYTHON, str(HERE / "lower_bound.py"), str(path), "--as-of", args.as_of,
                                   "--summary-only"]}
        for workers in (int(w) for w in args.workers.split(",")):
            engines[f"gpai-kg --workers {workers}"] = [PYTHON, "-m", "gpai_kg", "screen", str(path), "--as-of",
                                                       args.as_of, "--summary-only", "--workers", str(workers)]
        runs: dict[str, list[dict]] = {label: [] for label in engines}
        for _ in range(max(args.repeat, 1)):
            for label, argv in engines.items():
                runs[label].append(run(argv))
        found = {label: _median(measured) for label, measured in runs.items()}
        if rows <= args.explained_up_to:
            found["explained (JSONL)"] = run([PYTHON, "-m", "gpai_kg", "screen", str(path), "--as-of", args.as_of,
                                              "--out", str(args.data / "explained.jsonl"), "--workers", "1"])
        if args.before and rows <= 10_000:
            found["per-model (before)"] = run([PYTHON, "-c", PER_MODEL, str(path), args.as_of])
        for label, measured in found.items():
            print(_row(label, rows, measured, found["lower bound"] if label != "lower bound" else None), flush=True)
            if args.out:
                with args.out.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps({"rows": rows, "engine": label, **measured, "as_of": args.as_of,
                                         "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}) + "\n")
    if args.app:
        screen_page(ROOT / "data" / "sources" / "models" / "epoch_notable_ai_models_2025-04-18.csv", args.as_of)


if __name__ == "__main__":
    main()
