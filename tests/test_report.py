"""The report to file (gpai-kg assess MODEL --format md|html|pdf; publish/filing.py, publish/report_html.py).

One document with the model's facts (given, assumed), each answer with its
plain sentence and chain, the obligations with their dates and EUR-Lex deep
links, the exemptions granted and refused with why, the documentation items,
the version of the Act and of gpai-kg, the date, and "not legal advice". The
PDF's pages are rendered to PNG (pypdfium2) under tests/artifacts/ to be
looked at; the test reads their text back and checks that no page is blank.
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from gpai_kg import __version__
from gpai_kg.publish.filing import markdown, report_data
from gpai_kg.publish.report_html import html, pdf
from gpai_kg.reasoning.assessment import assess
from gpai_kg.reasoning.model_files import load_description

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
AS_OF = datetime.date(2026, 12, 1)
MADE = datetime.date(2026, 12, 2)


def _data(example: str, as_of: datetime.date = AS_OF) -> dict:
    description = load_description(ROOT / "examples" / example)
    return report_data(assess(description, as_of), description, made=MADE)


@pytest.fixture(scope="module")
def frontier() -> dict:
    return _data("frontier-model.json")


def _read(data: dict) -> str:
    """The report as a reader sees it: the HTML's text, one space between words."""
    import html as entities
    import re

    body = html(data).split("<body>", 1)[1].replace("<sup>", "^")
    body = re.sub(r"</?(?:strong|em|a|code|sup)\b[^>]*>", "", body)
    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_report_has_everything_to_file(frontier):
    assert markdown(frontier).startswith("# Assessment of Frontier-1 under the AI Act")
    text = _read(frontier)
    assert text.count("Not legal advice") >= 2  # first and last
    assert f"gpai-kg {__version__}" in text and "Made: 2026-12-02" in text and "Answers as of: 2026-12-01" in text
    assert "The law: Regulation (EU) 2024/1689" in text
    # the facts, given and assumed
    assert "Training compute (FLOP) training_compute_flop 3.8 × 10^25 given" in text
    assert "high_impact_capabilities false assumed" in text
    # each answer with its sentence and its chain
    for heading in ("A general-purpose AI model (Article 3(63)): yes", "With systemic risk (Article 51): yes",
                    "Within the scope of Chapter V: yes"):
        assert heading in text
    assert "presumed to have high-impact capabilities" in text
    assert "Chain of reasons: training_compute_flop = 3.8 × 10^25 > 10^23 FLOP modalities include code" in text
    # obligations with their dates, why that date, and their verbatim text
    assert "Article 53(1)(a) technical documentation (Annex XI) provider 2025-09-15 applicable" in text
    assert "Applies from 2025-09-15 because: placed_on_market_date = 2025-09-15 >= 2025-08-02" in text
    assert "draw up and keep up-to-date the technical documentation of the model" in text
    # exemptions refused with why; the documentation items; fines
    assert "Not granted: Article 53(2) (open-source exception" in text and "open_source not given" in text
    assert "5. Documentation to draw up and keep" in text and "Annex XI, Section 1, point 1(a)" in text
    assert "6. Fines Article 101(1), first subparagraph" in text
    # EUR-Lex deep links on every provision named
    md = markdown(frontier)
    assert "[Article 51(2)](https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:32024R1689#051.002)" in md
    assert "[Article 53(1)(a)](https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:32024R1689#053.001)" in md


def test_an_exemption_granted_says_by_what_and_why():
    text = _read(_data("open-weights-model.yaml"))
    assert ("Granted: Article 53(1)(a) (technical documentation (Annex XI)) does not apply, lifted by Article 53(2): "
            "free and open-source licence") in text
    assert "lifted by Article 54(6)" in text
    assert "exempt (Article 53(2))" in text  # in the dossier: the exempt items with their exemption


def test_what_the_user_typed_is_never_markup(frontier):
    hostile = {**frontier, "result": {**frontier["result"], "name": '<script>alert(1)</script> [x](javascript:y)'}}
    page = html(hostile)
    assert "<script>alert" not in page and "javascript:" not in page.split("<footer>")[0].replace(
        "javascript:y", "") and 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_html_report_is_one_page_with_powers_of_ten_as_the_oj_prints_them(frontier):
    page = html(frontier)
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "src=" not in page
    assert "3.8 × 10<sup>25</sup>" in page and "10^" not in page
    assert '<a href="https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:32024R1689#053.001">' in page


def test_the_pdf_report_renders_page_by_page(frontier):
    pdfium = pytest.importorskip("pypdfium2")
    body = pdf(frontier)
    assert body.startswith(b"%PDF-")
    document = pdfium.PdfDocument(body)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    texts = []
    for number in range(len(document)):
        page = document[number]
        image = page.render(scale=1.3).to_pil().convert("L")
        image.save(ARTIFACTS / f"report-frontier-page-{number + 1}.png")
        low, high = image.getextrema()
        assert high - low > 100, f"page {number + 1} is blank"
        texts.append(page.get_textpage().get_text_range())
    assert len(texts) >= 3
    assert all("Not legal advice" in t and f"of {len(texts)}" in t for t in texts)  # on every page, numbered
    whole = " ".join(texts)
    for words in ("The model's facts", "assumed", "Article 53(1)(a)", "Documentation to draw up and keep",
                  "Not granted", "Sources"):
        assert words in whole, words


def test_the_cli_writes_each_report(tmp_path):
    model = str(ROOT / "examples" / "frontier-model.json")
    base = [sys.executable, "-m", "gpai_kg", "assess", model, "--as-of", "2026-12-01"]
    md = subprocess.run(base + ["--format", "md"], capture_output=True, text=True, timeout=120)
    assert md.returncode == 0 and md.stdout.startswith("# Assessment of Frontier"), md.stderr
    out = tmp_path / "frontier.pdf"
    done = subprocess.run(base + ["--format", "pdf", "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and out.read_bytes().startswith(b"%PDF-"), done.stderr
    refused = subprocess.run(base + ["--format", "json", "--out", str(tmp_path / "x.json")], capture_output=True,
                             text=True, timeout=120)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "--out is for the reports" in refused.stderr
    assert not (tmp_path / "x.json").exists()
