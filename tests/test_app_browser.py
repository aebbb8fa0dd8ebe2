"""The app in a real browser: ``streamlit run app.py`` as a subprocess, driven
by Playwright with Debian's Chromium (/usr/bin/chromium; Playwright's own
browser download is not used). Fills in the assessment form, checks that the
obligations appear, shows a refused query's message, and saves a screenshot
of every page under ``tests/artifacts/`` (gitignored).

Skipped, with the reason, only when /usr/bin/chromium is absent (CI installs it).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 1800}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} is absent: install Debian's chromium to run the browser test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
        time.sleep(0.05)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    """Stop a server started with ``start_new_session=True``, and every process it forked
    (the SPARQL layer keeps forked query workers, which a SIGTERM to the server leaves behind)."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # the session's group: the server's pid is its id


@contextlib.contextmanager
def streamlit_server(app: Path = ROOT / "app.py"):
    """``streamlit run app`` on a free port of 127.0.0.1; yields its URL; stops it after."""
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=app.parent, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop(proc)
        log.seek(0)
        output = log.read().decode(errors="replace")
        log.close()
        assert "Traceback" not in output, output


@contextlib.contextmanager
def chromium(viewport: dict = VIEWPORT):
    """A Chromium browser context with a fresh user-data directory."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, viewport=viewport)
        try:
            yield context
        finally:
            context.close()


def settle(page) -> None:
    """Wait until the script run is over (no 'Running…' status widget)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=60_000)
    page.wait_for_timeout(300)


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_exception_box(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def shot_tall(page, name: str, height: int = 4200) -> Path:
    """A screenshot of a long page (Streamlit scrolls inside its main area, so grow the window)."""
    page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
    page.wait_for_timeout(800)
    try:
        return shot(page, name)
    finally:
        page.set_viewport_size(VIEWPORT)


def pick(page, label: str, text: str) -> None:
    """Choose ``text`` in the select box or multiselect labelled ``label``."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(text)
    page.get_by_role("option", name=text, exact=True).first.click()
    page.locator("h1").first.click()  # close the list (Escape would clear a combobox)


# ------------------------------------------------------------------ the tests

FRONTIER = ["Article 52(1)", *[f"Article 53(1)({p})" for p in "abcd"], "Article 53(3)", "Article 54(1)",
            "Article 54(2)", "Article 54(3)", *[f"Article 54(3)({p})" for p in "abcd"], "Article 54(5)",
            *[f"Article 55(1)({p})" for p in "abcd"]]


def test_the_assessment_form_lists_the_obligations_of_a_frontier_model(page, app_url):
    page.goto(app_url)
    page.get_by_role("button", name="Assess", exact=True).wait_for()
    settle(page)
    shot(page, "assess-form")
    page.get_by_role("textbox", name="Model name").fill("Frontier-1")
    page.get_by_role("textbox", name="Training compute (FLOP)", exact=True).fill("3.8e25")
    pick(page, "Output modalities", "text")
    pick(page, "Provider established in (ISO 3166-1)", "US — United States")
    page.get_by_role("button", name="Assess", exact=True).click()
    page.get_by_text("Frontier-1 — as of").wait_for()
    settle(page)
    for provision in FRONTIER:  # each obligation has its expander with the verbatim text
        assert page.locator('[data-testid="stExpander"] summary').filter(has_text=f"{provision} — ").count() == 1, \
            provision
    metrics = page.locator('[data-testid="stMetric"]')
    assert metrics.filter(has_text="With systemic risk").locator('[data-testid="stMetricValue"]').inner_text() == "yes"
    page.get_by_text("Documentation to prepare (34)").wait_for()  # the dossier's checklist, Annex XI Section 2 included
    page.locator('[data-testid="stExpander"] summary').filter(
        has_text="Documentation under Article 53(1)(a), for the AI Office").click()
    page.get_by_text("Annex XI, Section 2, point 1 — technical documentation (systemic risk)").first.wait_for()
    page.locator('[data-testid="stGraphVizChart"] svg').first.wait_for()
    no_exception_box(page)
    shot_tall(page, "assess-result")


def test_an_impossible_value_in_the_form_is_one_line_in_the_browser(page, app_url):
    page.goto(app_url)
    page.get_by_role("button", name="Assess", exact=True).wait_for()
    settle(page)
    page.get_by_role("textbox", name="Model name").fill("Broken")
    page.get_by_role("textbox", name="Training compute (FLOP)", exact=True).fill("-1")
    page.get_by_role("button", name="Assess", exact=True).click()
    page.get_by_text("training_compute_flop must not be negative, got -1").wait_for()
    no_exception_box(page)
    shot(page, "assess-error")


def test_the_bundled_registry_is_screened_and_plotted(page, app_url):
    page.goto(f"{app_url}/screen")
    page.get_by_role("button", name="Screen").click()
    page.get_by_text("924 models, as of").wait_for(timeout=300_000)
    page.locator('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]').first.wait_for()
    settle(page)
    no_exception_box(page)
    shot_tall(page, "screen", 2600)


def test_explore_shows_a_provision_with_its_network(page, app_url):
    page.goto(f"{app_url}/explore?provision=Article+53(1)(a)")
    page.get_by_role("heading", name="Article 53(1)(a)").wait_for()
    page.get_by_text("draw up and keep up-to-date the technical documentation").first.wait_for()
    settle(page)
    assert page.get_by_text("Open on EUR-Lex").count() == 1
    no_exception_box(page)
    shot(page, "explore")


def test_explore_shows_the_version_in_force_its_badge_and_the_highlighted_diff(page, app_url):
    """Article 56(6) today: the text Regulation (EU) 2026/1744 put in its place, the badge, the notice that a
    consolidated text is a documentation version, the earlier text and the diff; then "What changed"."""
    page.goto(f"{app_url}/explore?provision=Article+56(6)")
    page.get_by_role("heading", name="Article 56(6)").wait_for()
    page.get_by_text("replaced by Regulation (EU) 2026/1744, Article 1, point (21), from 27 July 2026").first.wait_for()
    page.get_by_text("documentation version with no legal effect").first.wait_for()
    settle(page)
    assert page.locator("del").count() > 0 and page.locator("ins").count() > 0
    assert page.get_by_role("link", name="Regulation (EU) 2026/1744").count() >= 1
    no_exception_box(page)
    shot_tall(page, "explore-version", 2600)
    page.get_by_role("tab", name="What changed").click()
    page.get_by_text("changes · the amending point").wait_for()
    settle(page)
    no_exception_box(page)
    shot(page, "explore-what-changed")


def test_canned_queries_show_a_table(page, app_url):
    page.goto(f"{app_url}/queries")
    page.get_by_text("The query (SPARQL)").wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    settle(page)
    no_exception_box(page)
    shot(page, "queries")


def test_the_sparql_editor_refuses_an_update_with_one_line(page, app_url):
    page.goto(f"{app_url}/sparql")
    editor = page.get_by_label("Query")
    editor.wait_for()
    settle(page)
    editor.fill("DELETE WHERE { ?s ?p ?o }")
    page.get_by_role("button", name="Run").click()
    page.get_by_text("DELETE at line 1, column 1 is refused").wait_for()
    no_exception_box(page)
    shot(page, "sparql-refused")
    editor.fill("PREFIX gpai: <https://w3id.org/gpai-kg/ontology#>\n"
                "SELECT ?c WHERE { ?p gpai:citation ?c } LIMIT 5")
    page.get_by_role("button", name="Run").click()
    page.get_by_text("5 rows").wait_for()
    assert page.get_by_text("is refused").count() == 0
    shot(page, "sparql")


def test_about_names_the_act_and_the_disclaimer(page, app_url):
    page.goto(f"{app_url}/about")
    page.get_by_text("Sources and licences").wait_for()
    settle(page)
    assert page.get_by_text("OJ L, 2024/1689, 12.7.2024").count() >= 1
    no_exception_box(page)
    shot(page, "about")
