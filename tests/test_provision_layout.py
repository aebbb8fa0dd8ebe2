"""A provision laid out as EUR-Lex prints it (gpai_kg/ui/provision_text.py, store/browse.outline):
numbered paragraphs, indented points and sub-points, sections headed, unnumbered subparagraphs unlabelled,
every word of the law kept in order and escaped."""

from __future__ import annotations

import re

import pytest

from gpai_kg.namespaces import ACT_BASE
from gpai_kg.store import browse
from gpai_kg.ui.provision_text import Part, build, layout, own_words


def _laid(store, path: str) -> Part:
    iri = f"{ACT_BASE}{path}/oj"
    return build(iri, *browse.outline(store, iri))


def _labels(part: Part, depth: int = 0) -> list[tuple[int, str]]:
    out = [(depth, part.label or part.heading)] if (part.label or part.heading) else []
    for p in part.parts:
        out += _labels(p, depth + 1)
    return out


def _words(part: Part) -> str:
    return " ".join([part.heading, part.label, part.text, *(_words(p) for p in part.parts), part.tail])


def test_article_53_has_its_paragraphs_points_and_sub_points(store):
    article = _laid(store, "art_53")
    assert _labels(article)[:7] == [(1, "1."), (2, "(a)"), (2, "(b)"), (3, "(i)"), (3, "(ii)"), (2, "(c)"),
                                    (2, "(d)")]
    assert [p.label for p in article.parts] == [f"{n}." for n in range(1, 8)]
    assert article.parts[0].text == "Providers of general-purpose AI models shall:"
    assert article.parts[0].parts[1].text.endswith("the information and documentation shall:")


@pytest.mark.parametrize("path", ["art_53", "art_101", "art_3", "anx_XI", "anx_XIII", "art_52", "art_55"])
def test_no_word_of_the_law_is_lost_or_moved(store, path):
    """The laid-out words, read in order, are the provision's text (numbers and headings aside)."""
    part = _laid(store, path)
    whole = browse.outline(store, f"{ACT_BASE}{path}/oj")[0][f"{ACT_BASE}{path}/oj"]
    squeeze = lambda t: re.sub(r"\s+|\(\w{1,6}\)|\b\d+(?:\.\d+)*\.", "", t)  # noqa: E731
    headings = "".join(squeeze(p.heading) for p in part.parts)
    assert squeeze(_words(part)) == squeeze(whole) or squeeze(_words(part)).replace(headings, "") == \
        squeeze(whole).replace(headings, "")


def test_unnumbered_subparagraphs_are_unlabelled_and_annex_sections_headed(store):
    fines = _laid(store, "art_101")
    assert fines.parts[0].label == "1." and [p.label for p in fines.parts[0].parts] == ["", ""]
    annex = _laid(store, "anx_XI")
    assert annex.parts[0].heading == ("Section 1 Information to be provided by all providers of general-purpose "
                                      "AI models")
    assert annex.parts[0].parts[0].label == "1." and annex.parts[0].parts[0].parts[0].label == "(a)"
    assert "Section 1" not in annex.text  # the heading is not also left in the annex's own words


def test_own_words_split_a_text_around_its_parts():
    assert own_words("Providers shall: (a) do x; (b) do y. Then z.", ["do x;", "do y."]) == \
        ["Providers shall:", "", "Then z."]
    assert own_words("A (a) b", ["not there"]) == ["A (a) b", ""]


def test_the_law_is_escaped_in_the_layout():
    html = layout(Part("Article", None, "x < y & <script>", [Part("Paragraph", "1", "a > b", citation="Article 1(1)")]))
    assert "<script>" not in html and "x &lt; y &amp; &lt;script&gt;" in html and 'class="num">1.</span>' in html
