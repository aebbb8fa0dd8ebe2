"""A regex lexer of SPARQL, for words and for placing parameters; it decides nothing.

What a query may do is decided by Oxigraph's own parser (``guard``). This
lexer only

- words a refusal: when the parser rejects a text, ``update_word`` finds the
  SPARQL Update keyword (``INSERT``, ``DROP`` …) a statement starts with, so
  the message says "queries are read-only" rather than "syntax error";
- places parameters: ``bind_values`` puts a ``VALUES`` block of typed RDF
  terms (N-Triples syntax, escaped by Oxigraph) at the top of the query's
  WHERE group, never pasting user text into the query. The bound text is
  checked by the parser like any other.

Strings, IRIs and comments are skipped, so a keyword inside them is not a
word. Where this lexer and the parser disagree (``<`` as IRI or "less than",
a comment ended by CR, name characters beyond ``\\w``) the parser wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from gpai_kg.errors import UserError

UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                          "WITH", "USING"})
FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")

_LEX = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][^\W]\w*)
  | (?P<bnode>_:[\w.-]*)
  | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%.-]|\\.)*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


def tokens(text: str) -> Iterator[Token]:
    """SPARQL tokens without whitespace and comments (an unterminated string
    is lexed char by char)."""
    for m in _LEX.finditer(text):
        if m.lastgroup not in ("ws", "comment"):
            yield Token(m.lastgroup, m.group(), m.start())


def _statement_starts(toks: list[Token]) -> Iterator[Token]:
    """The first token of each statement: after the prologue, and after each ``;``."""
    i = 0
    while i < len(toks):
        word = toks[i].text.upper()
        if word == "PREFIX" and i + 2 < len(toks):
            i += 3
        elif word == "BASE" and i + 1 < len(toks):
            i += 2
        else:
            break
    if i < len(toks):
        yield toks[i]
    for j, tok in enumerate(toks):
        if tok.text == ";" and j + 1 < len(toks):
            yield toks[j + 1]


def update_word(text: str) -> Token | None:
    """The SPARQL Update keyword a statement of ``text`` starts with, if any."""
    for tok in _statement_starts(list(tokens(text))):
        if tok.kind == "word" and tok.text.upper() in UPDATE_WORDS:
            return tok
    return None


def has_form(text: str) -> bool:
    """Whether any word of ``text`` is a query form (SELECT, CONSTRUCT, DESCRIBE, ASK)."""
    return any(t.kind == "word" and t.text.upper() in FORMS for t in tokens(text))


def _values_block(bindings: Mapping[str, str]) -> str:
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[^\W]\w*", name):
            raise UserError(f"invalid parameter name {name!r}: use letters, digits and _")
    variables = " ".join(f"?{n}" for n in names)
    values = " ".join(bindings[n] for n in names)
    return f" VALUES ({variables}) {{ ({values}) }} "


def bind_values(text: str, bindings: Mapping[str, str]) -> str:
    """The query with a VALUES block opening its WHERE group; ``bindings``
    maps names to RDF terms in N-Triples syntax (``str()`` of a pyoxigraph term)."""
    if not bindings:
        return text
    toks = list(tokens(text))
    start = next((i for i, t in enumerate(toks) if t.kind == "word" and t.text.upper() in FORMS), None)
    if start is None:
        raise UserError("not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    i = start + 1
    if toks[start].text.upper() == "CONSTRUCT" and i < len(toks) and toks[i].text == "{":
        depth = 0
        for i in range(i, len(toks)):
            depth += {"{": 1, "}": -1}.get(toks[i].text, 0)
            if depth == 0:
                break
        i += 1
    parens = 0
    for j in range(i, len(toks)):
        parens += {"(": 1, ")": -1}.get(toks[j].text, 0)
        if toks[j].text == "{" and parens == 0:
            if j + 1 < len(toks) and toks[j + 1].text.upper() == "SELECT":
                break
            at = toks[j].start + 1
            return text[:at] + _values_block(bindings) + text[at:]
    raise UserError("cannot bind parameters: the query has no WHERE group to put them in")
