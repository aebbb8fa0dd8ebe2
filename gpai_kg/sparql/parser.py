"""Questions about a SPARQL text answered by Oxigraph's own parser, evaluating nothing.

pyoxigraph (0.4, 0.5) exposes no parser or algebra, and ``Store.query``
*evaluates*, eagerly, inside the call, for SERVICE, aggregates, ASK, CONSTRUCT
and ORDER BY: a SERVICE is called and a data-free ``VALUES`` product counted
before ``query()`` returns. But it checks its keyword arguments only *after*
parsing, so

    store.query(text, use_default_graph_as_union=True, default_graph=[g])

raises ``SyntaxError`` (``error at L:C: …``) for a bad text and, for a good
one, ``ValueError("… should not be set at the same time")`` without evaluating
anything (0.02–0.2 ms; no SERVICE request, no work on a 10^12-row product).
``parse`` is that; ``selftest`` checks it at import and fails closed
(``ParserChanged``) if a pyoxigraph release changes the order.

``keyword_offsets(text, word)`` finds where the *parser* reads the keyword
``word``: every place ``word`` could be spelled (Oxigraph matches keywords
ASCII case-insensitively; the candidates are found with Unicode case folding,
a superset) has its last letter changed to ``x`` (``q`` for ``PREFIX``). Inside a string, IRI,
comment, prefixed name, variable, blank node or language tag that keeps the
text valid; where it was the keyword (``SERVICE [SILENT] VarOrIri {…}``) the
rest of the grammar no longer parses. One parse with every candidate changed
answers "is it there"; one per candidate says where. A false positive needs
something like both ``?service`` and ``?servicx`` in one query: a refusal,
never a leak.

Only the query worker calls this (no network, time and memory limits): the
parser is in Rust and recurses per nesting level (``gpai_kg.nesting``).
"""

from __future__ import annotations

import re

import pyoxigraph as ox

_EMPTY = ox.Store()
_NOT_A_GRAPH = [ox.NamedNode("urn:x-gpai-kg:parse-only")]
_PARSED = "should not be set at the same time"


class ParserChanged(RuntimeError):
    """pyoxigraph no longer behaves as this module needs: fail closed."""


def parse(text: str) -> None:
    """Parse ``text`` as a SPARQL query, evaluating nothing; ``SyntaxError`` if invalid."""
    try:
        _EMPTY.query(text, use_default_graph_as_union=True, default_graph=_NOT_A_GRAPH)
    except ValueError as exc:
        if _PARSED in str(exc):
            return
        raise
    raise ParserChanged("pyoxigraph evaluated a query meant only to be parsed")


def valid(text: str) -> bool:
    try:
        parse(text)
        return True
    except SyntaxError:
        return False


def selftest() -> None:
    """``ParserChanged`` unless a good query parses and a bad one fails, evaluating nothing."""
    try:
        parse("ASK { SERVICE <urn:x-gpai-kg:nowhere> { } }")
        try:
            parse("ASK {")
        except SyntaxError:
            return
    except (ValueError, OSError, ParserChanged) as exc:
        raise ParserChanged(f"pyoxigraph {ox.__version__}: the parse-only call is broken: {exc}") from None
    raise ParserChanged(f"pyoxigraph {ox.__version__}: the parse-only call accepted a bad query")


def candidates(text: str, word: str) -> list[int]:
    """Every offset where ``word`` is spelled, in any case."""
    return [m.start() for m in re.finditer(re.escape(word), text, re.IGNORECASE)]


def _mutate(text: str, offsets: list[int], word: str) -> str:
    """``text`` with the last letter of ``word`` at each offset changed (to x, or q for PREFIX)."""
    chars, letter = list(text), "q" if word[-1].lower() == "x" else "x"
    for at in offsets:
        chars[at + len(word) - 1] = letter
    return "".join(chars)


def uses_keyword(text: str, word: str) -> bool:
    """Whether the parser reads ``word`` as a keyword somewhere in ``text`` (which must parse)."""
    found = candidates(text, word)
    return bool(found) and not valid(_mutate(text, found, word))


def keyword_offsets(text: str, word: str) -> list[int]:
    """Every offset where the parser reads ``word`` as a keyword (``text`` must
    parse). One parse per candidate: callers bound the candidates first."""
    return [at for at in candidates(text, word) if not valid(_mutate(text, [at], word))]


def where(text: str, offset: int) -> str:
    """``line L, column C`` of an offset, counted as Oxigraph counts (LF ends a line)."""
    line = text.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def syntax_message(exc: SyntaxError) -> str:
    """One line with line and column, from Oxigraph's ``error at L:C: …``."""
    m = re.match(r"error at (\d+):(\d+): (.*)", str(exc), re.DOTALL)
    if not m:
        return f"SPARQL syntax error: {' '.join(str(exc).split())[:200]}"
    detail = re.sub(r"\[[^\]]*\]", "", m.group(3))
    items = [i.strip() for i in re.split(r",\s*", detail.replace("expected one of", "", 1)) if i.strip()]
    sentences = [i for i in items if " " in i]
    if sentences:
        detail = "; ".join(sentences)
    elif detail.startswith("expected one of"):
        detail = "expected one of " + ", ".join(items)
    detail = " ".join(detail.split())
    if len(detail) > 160:
        detail = detail[:160] + "…"
    return f"SPARQL syntax error at line {m.group(1)}, column {m.group(2)}: {detail}"


selftest()
