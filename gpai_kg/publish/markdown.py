"""Text in Markdown that renders as written: never a link, an image, HTML or markup.

A model's name, a fact, a citation typed into the app or sent in a link
(``explore?provision=![x](https://…)``), a message quoting any of them: in
Markdown (the app's headers, captions, error boxes; the report) such text
could make a reader's browser fetch a URL or show what was not written. So
every character that can open Markdown, HTML or Streamlit markup is escaped
with a backslash (CommonMark: any ASCII punctuation may be): brackets and
``!`` (links, images), ``<`` ``>`` (HTML, autolinks), ``:`` (``http://``
autolinks, ``:red[…]`` and ``:icon:`` shortcodes), ``$`` (LaTeX), emphasis,
code, tables, headings; and a list marker at the start of a line.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(r"([\\`*_\[\]<>!|~$:#{}=^&])")
_LIST = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)|^(\s*)([-+])(?=\s|$)", re.MULTILINE)


def plain(text: object) -> str:
    """``text`` escaped so that Markdown shows it as written."""
    escaped = _MARKUP.sub(r"\\\1", str(text))
    return _LIST.sub(lambda m: f"{m.group(1)}{m.group(2)}\\{m.group(3)}" if m.group(2) else
                     f"{m.group(4)}\\{m.group(5)}", escaped)


def code(text: object) -> str:
    """``text`` as an inline code span (shown literally), whatever backticks it holds."""
    text = str(text).replace("\n", " ")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
