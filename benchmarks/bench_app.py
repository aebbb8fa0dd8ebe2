"""Cold start of the Streamlit app, as a report.

Target on the project's machine: from the start of the ``streamlit run``
process to the first full render of the landing page (the assessment form,
its "Assess" button drawn) in Chromium <= 3 s. Machines are shared and noisy,
so every figure is also given as a ratio to a baseline measured in the same
run: a bare hello-world Streamlit app (``st.title("Hello")``), timed the
same way.

Measured, median of ``--repeat`` runs each:

- **server cold start → first render, browser cache warm**: a new
  ``streamlit run`` process each time, rendered by a Chromium that has loaded
  Streamlit's static files before (a returning user) — the target's figure;
- **… browser cache cold**: the same, with a fresh Chromium profile each time
  (a first visit: Streamlit's JavaScript is fetched and compiled too);
- **AppTest cold run**: a fresh Python process running
  ``AppTest.from_file(app).run()`` (imports included), no browser.

    python benchmarks/bench_app.py [--repeat N]

Uses /usr/bin/chromium (Playwright's own browser download is not used).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_app_browser import CHROMIUM, chromium, free_port, stop, wait_healthy  # noqa: E402

TARGET_S = 3.0
HELLO = 'import streamlit as st\n\nst.title("Hello")\n'


def cold_start(app: Path, context, ready) -> float:
    """Seconds from ``streamlit run`` to ``ready(page)`` returning in a new tab."""
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
                             "--server.address", "127.0.0.1", "--server.port", str(port),
                             "--browser.gatherUsageStats", "false"],
                            cwd=app.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proc)
        page = context.new_page()
        page.goto(url)
        ready(page)
        elapsed = time.perf_counter() - start
        page.close()
        return elapsed
    finally:
        stop(proc)


def apptest_cold(app: Path) -> float:
    """Seconds for a fresh Python process to import Streamlit and AppTest-run ``app`` once."""
    code = ("import time; t = time.perf_counter()\n"
            "from streamlit.testing.v1 import AppTest\n"
            f"at = AppTest.from_file({str(app)!r}, default_timeout=120).run()\n"
            "assert not at.exception and at.title, 'the landing page did not render'\n"
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=app.parent, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def hello_ready(page) -> None:
    page.get_by_role("heading", name="Hello").wait_for(timeout=60_000)


def app_ready(page) -> None:
    page.get_by_role("button", name="Assess", exact=True).wait_for(timeout=60_000)


def median(fn, repeat: int) -> float:
    return statistics.median(fn() for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is absent: install Debian's chromium")
    app = ROOT / "app.py"
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        rows = []
        with chromium() as warm:
            cold_start(hello, warm, hello_ready)  # fill the browser cache and the OS file cache
            cold_start(app, warm, app_ready)
            base = median(lambda: cold_start(hello, warm, hello_ready), args.repeat)
            ours = median(lambda: cold_start(app, warm, app_ready), args.repeat)
            rows.append(("server cold start → first render, browser cache warm", ours, base, True))

        def fresh(target, ready):
            with chromium() as context:
                return cold_start(target, context, ready)

        base = median(lambda: fresh(hello, hello_ready), args.repeat)
        ours = median(lambda: fresh(app, app_ready), args.repeat)
        rows.append(("… fresh browser profile (first visit)", ours, base, False))
        base = median(lambda: apptest_cold(hello), args.repeat)
        ours = median(lambda: apptest_cold(app), args.repeat)
        rows.append(("AppTest cold run (fresh process, imports included)", ours, base, False))
    print(f"landing page: {app.name} → Assess a model; baseline: a hello-world Streamlit app; "
          f"median of {args.repeat}")
    for label, ours, base, target in rows:
        verdict = f"target <= {TARGET_S:g} s  {'OK' if ours <= TARGET_S else 'OVER'}" if target else " " * 20
        print(f"{label:55s} {ours:6.2f} s  {verdict}  {ours / base:5.2f}x baseline ({base:.2f} s)")


if __name__ == "__main__":
    main()
