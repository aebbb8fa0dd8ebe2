"""The recitals -> provisions table (data/curated/recital_articles.csv): every
row cites an existing provision in the project's form, says why with one of the
basis codes, and every quoted note is found verbatim in the source it names.
How the table was made: docs/recital-table.md."""

import csv
import re
import xml.etree.ElementTree as ET

import pytest

from gpai_kg import paths
from gpai_kg.citations import format_citation, parse_citation

TABLE = paths.CURATED_DIR / "recital_articles.csv"
FORMEX_MAIN = paths.SOURCES_DIR / "ai-act" / "formex" / "L_202401689EN.000101.fmx.xml"
FAQ = paths.SOURCES_DIR / "faq" / "gpai-faq.txt"
GUIDELINES = paths.SOURCES_DIR / "guidance" / "gpai_guidelines_C2025_5045_key_excerpts.md"

BASES = {"text", "faq", "guidelines", "subject-matter"}
#: Quoted notes may give several fragments of their source, separated by this.
FRAGMENT_SEP = " … "


def _norm(text: str) -> str:
    return " ".join(text.split())


def _inline(elem: ET.Element) -> str:
    """An element's words: footnotes dropped, quotation-mark codes restored."""
    out = [elem.text or ""]
    for child in elem:
        if child.tag in ("QUOT.START", "QUOT.END"):
            out.append(chr(int(child.get("CODE", "22"), 16)))
        elif child.tag != "NOTE":
            out.append(" " + _inline(child) + " " if child.tag == "P" else _inline(child))
        out.append(child.tail or "")
    return "".join(out)


def recital_texts() -> dict[int, str]:
    """Recital number -> whitespace-normalised text, read straight from Formex
    (``CONSID/NP/NO.P`` "(97)" and ``CONSID/NP/TXT``), independent of the package."""
    texts = {}
    for consid in ET.parse(FORMEX_MAIN).getroot().iter("CONSID"):
        number = "".join(consid.find("NP/NO.P").itertext()).strip()
        texts[int(number.strip("()"))] = _norm(_inline(consid.find("NP/TXT")))
    return texts


@pytest.fixture(scope="module")
def rows():
    with open(TABLE, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["recital", "provision", "basis", "note"]
        return list(reader)


@pytest.fixture(scope="module")
def recitals():
    texts = recital_texts()
    assert len(texts) == 180
    return texts


def test_every_provision_parses_and_is_written_in_the_projects_form(rows, index):
    for row in rows:
        loose = parse_citation(row["provision"])
        assert loose.steps, row
        assert format_citation(index.resolve(row["provision"])) == row["provision"], row


def test_every_chapter_v_recital_is_linked(rows):
    linked = {int(row["recital"]) for row in rows}
    assert set(range(97, 118)) <= linked


def test_recital_numbers_bases_and_notes_are_well_formed(rows):
    for row in rows:
        assert 1 <= int(row["recital"]) <= 180, row
        assert row["basis"] in BASES, row
        assert row["note"].strip(), row


def test_one_row_per_recital_and_provision_sorted_by_recital(rows):
    pairs = [(int(r["recital"]), r["provision"]) for r in rows]
    assert len(pairs) == len(set(pairs))
    assert [p[0] for p in pairs] == sorted(p[0] for p in pairs)


def test_text_notes_quote_the_recital_verbatim(rows, recitals):
    for row in rows:
        if row["basis"] == "text":
            for fragment in row["note"].split(FRAGMENT_SEP):
                assert _norm(fragment) in recitals[int(row["recital"])], row


@pytest.mark.parametrize("basis, source", [("faq", FAQ), ("guidelines", GUIDELINES)])
def test_faq_and_guidelines_notes_quote_their_source_and_name_the_recital(rows, basis, source):
    text = _norm(source.read_text(encoding="utf-8"))
    for row in (r for r in rows if r["basis"] == basis):
        for fragment in row["note"].split(FRAGMENT_SEP):
            assert _norm(fragment) in text, row
        assert re.search(rf"recitals? [\d ,and]*\b{row['recital']}\b", row["note"], re.IGNORECASE), row


@pytest.mark.parametrize("recital, provision", [
    (98, "Article 3(63)"),
    (100, "Article 3(66)"),
    (101, "Annex XI"),
    (101, "Annex XII"),
    (104, "Article 53(2)"),
    (107, "Article 53(1)(d)"),
    (111, "Article 3(64)"),
    (111, "Annex XIII"),
    (112, "Article 52(1)"),
    (115, "Article 55(1)(c)"),
    (117, "Article 56(6)"),
    (179, "Article 113, third subparagraph, point (b)"),
])
def test_key_links_are_present(rows, recital, provision):
    assert any(int(r["recital"]) == recital and r["provision"] == provision for r in rows)
