"""The app as people use it every day, in a real Chromium (issue 14): a shared /assess link opens the
page, no label is cut short, Explore lays a provision out as EUR-Lex does and lists the recitals of all its
parts, the timeline of a model with one or two obligations stays readable, canned-query tables hide
internal identifiers unless asked, the About page fits, and the report downloads as PDF. A screenshot of
each is saved under tests/artifacts/ (everyday-*.png). The server and the browser are the session's
(tests/conftest.py), shared with tests/test_app_browser.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_browser import ARTIFACTS, CHROMIUM, no_exception_box, settle, shot, shot_tall

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} is absent: install Debian's chromium to run the browser test")


def _cut_short(page, selector: str) -> list[str]:
    """The texts under ``selector`` that do not fit their box (an ellipsis or a clipped line)."""
    return page.eval_on_selector_all(selector, """nodes => nodes
        .filter(n => (n.innerText || "").trim() && n.scrollWidth > n.clientWidth + 1)
        .map(n => n.innerText)""")


def test_a_shared_assess_link_opens_the_page_with_every_label_whole(page, app_url):
    page.goto(f"{app_url}/assess")
    page.get_by_role("button", name="Assess", exact=True).wait_for()
    settle(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("h1").filter(has_text="Assess a model").count() == 1
    labels = page.locator('[data-testid="stCheckbox"] label')
    labels.filter(has_text="Those internal processes are essential for products or services to third "
                           "parties").wait_for()
    assert labels.count() >= 6
    assert not _cut_short(page, '[data-testid="stCheckbox"] label *'), "a checkbox label is cut short"
    no_exception_box(page)
    shot(page, "everyday-assess-link")


def test_canned_query_tables_hide_internal_identifiers_unless_asked(page, app_url):
    page.goto(f"{app_url}/queries?query=thresholds")
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    settle(page)
    headers = page.locator('[data-testid="stDataFrame"] [role="columnheader"]').all_inner_texts()
    assert "threshold" not in headers and "value" in headers, headers
    shot(page, "everyday-queries-hidden")
    page.get_by_text("Show internal identifiers").click()
    settle(page)
    headers = page.locator('[data-testid="stDataFrame"] [role="columnheader"]').all_inner_texts()
    assert "threshold" in headers, headers
    no_exception_box(page)
    shot(page, "everyday-queries-shown")


def test_the_about_page_fits_the_window(page, app_url):
    page.goto(f"{app_url}/about")
    page.locator(".provenance table").first.wait_for()
    settle(page)
    main = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    table = page.locator(".provenance table").first.bounding_box()
    assert table["x"] + table["width"] <= main["x"] + main["width"] + 1, (table, main)
    title = page.locator("h1").first.evaluate("n => parseFloat(getComputedStyle(n).fontSize)")
    provenance = page.locator(".provenance h4").first.evaluate("n => parseFloat(getComputedStyle(n).fontSize)")
    assert provenance < title
    no_exception_box(page)
    shot_tall(page, "everyday-about", height=2600)


def _assess(page, app_url, name: str, flop: str) -> None:
    page.goto(app_url)
    page.get_by_role("button", name="Assess", exact=True).wait_for()
    settle(page)
    page.get_by_role("textbox", name="Model name").fill(name)
    page.get_by_role("textbox", name="Training compute (FLOP)", exact=True).fill(flop)
    box = page.get_by_role("combobox", name="Output modalities")
    box.click()
    box.fill("text")
    page.get_by_role("option", name="text", exact=True).first.click()
    page.locator("h1").first.click()
    page.get_by_role("button", name="Assess", exact=True).click()
    page.get_by_text(f"{name} — as of").wait_for()
    settle(page)


def test_a_small_models_timeline_is_readable_and_the_report_downloads_as_pdf(page, app_url):
    _assess(page, app_url, "Small-1", "8e23")
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.wait_for()
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    box = chart.bounding_box()
    assert box["height"] >= 110 + 30 * 6, box  # six rows (four obligations, the fine, its sanctions) of 30 px
    chart.screenshot(path=str(ARTIFACTS / "everyday-timeline-few-rows.png"))
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Report (PDF)").click()
    body = open(pdf.value.path(), "rb").read()
    assert body.startswith(b"%PDF-") and pdf.value.suggested_filename == "Small-1-report.pdf"
    with page.expect_download() as md:
        page.get_by_role("button", name="Report (Markdown)").click()
    text = open(md.value.path(), encoding="utf-8").read()
    assert "## 1. The model's facts" in text and "Not legal advice" in text
    no_exception_box(page)
    shot_tall(page, "everyday-assess-downloads")


def test_two_models_side_by_side(page, app_url):
    page.goto(f"{app_url}/compare")
    page.get_by_text("Answers that differ").wait_for()
    settle(page)
    assert page.get_by_text("systemic risk", exact=True).count() == 1
    expanders = page.locator('[data-testid="stExpander"] summary').all_inner_texts()
    assert any("Article 53(1)(a) — technical documentation (Annex XI): applicable, from 2025-09-15 · "
                               "lifted by Article 53(2)" in e for e in expanders), expanders
    no_exception_box(page)
    shot_tall(page, "everyday-compare", height=2400)


def test_explore_lays_an_article_out_as_eurlex_does_with_the_recitals_of_its_parts(page, app_url):
    page.goto(f"{app_url}/explore?provision=Article+53")
    page.locator(".prov").first.wait_for()
    settle(page)
    numbers = page.locator(".prov .num").all_inner_texts()
    assert numbers[:7] == ["1.", "(a)", "(b)", "(i)", "(ii)", "(c)", "(d)"], numbers
    assert page.locator(".prov > .part").count() == 7  # paragraphs 1 to 7, each its own block
    point = page.locator('.prov [id="Article 53(1)(b)(i)"]').bounding_box()
    paragraph = page.locator('.prov [id="Article 53(1)"]').bounding_box()
    assert point["x"] > paragraph["x"] + 40  # a sub-point is indented under its point, under its paragraph
    assert page.get_by_text("Providers of general-purpose AI models shall:", exact=True).count() == 1
    recitals = page.locator('[data-testid="stExpander"] summary').all_inner_texts()
    assert any("Recital 101 — on Article 53(1)(a), Article 53(1)(b), Article 53(6)" in r for r in recitals), recitals
    no_exception_box(page)
    shot_tall(page, "everyday-explore-article-53", height=3000)
