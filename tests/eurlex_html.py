"""An independent reading of the EUR-Lex HTML rendering of the Act, for tests.

Text of each article (``art_N``), recital (``rct_N``) and annex (``anx_R``),
without the headings the graph keeps apart (article number and title, annex
number and title), footnote call-outs dropped and superscripts written with a
caret, whitespace-normalised — the graph's conventions, read from the other
manifestation of the same act.
"""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.html

from gpai_kg import paths

HTML = paths.SOURCES_DIR / "ai-act" / "eur-lex" / "eu-ai-act.html"


def _text(elem) -> str:
    for note in elem.xpath('.//a[span[contains(@class, "oj-note-tag")]]'):
        note.text, note[:] = "\u2063", []  # a footnote call-out, printed after a space
    for sup in elem.xpath('.//span[contains(@class, "oj-super")]'):
        sup.text = "^" + (sup.text or "")
    text = re.sub(r"\s*\u2063", "", elem.text_content())
    return " ".join(text.replace("\u00a0", " ").split())


@lru_cache(maxsize=1)
def texts() -> dict[str, str]:
    """Anchor id (``art_53``, ``rct_97``, ``anx_XIII``) -> normalised text."""
    doc = lxml.html.parse(str(HTML)).getroot()
    out = {}
    for div in doc.xpath('//div[starts-with(@id, "art_") and not(contains(@id, "."))]'):
        for head in div.xpath('./p[contains(@class, "oj-ti-art")] | ./div[contains(@class, "eli-title")]'):
            head.drop_tree()
        out[div.get("id")] = _text(div)
    for div in doc.xpath('//div[starts-with(@id, "rct_")]'):
        number = div.xpath('.//td[1]//p')[0]
        number.drop_tree()
        out[div.get("id")] = _text(div)
    for div in doc.xpath('//div[starts-with(@id, "anx_")]'):
        for head in div.xpath('./p[contains(@class, "oj-doc-ti")]')[:2]:
            head.drop_tree()
        out[div.get("id")] = _text(div)
    return out
