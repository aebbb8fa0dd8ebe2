"""What a user's SPARQL may do: read only, from our own graphs, nowhere else.

SPARQL 1.1 Query (https://www.w3.org/TR/sparql11-query/) is read-only;
SPARQL 1.1 Update (https://www.w3.org/TR/sparql11-update/) is not, and a
query can reach other servers through ``SERVICE`` (SPARQL 1.1 Federated Query)
or, in rdflib, ``FROM``/``FROM NAMED`` (which it dereferences). So before
anything runs, ``check_query`` lexes the text (strings, IRIs and comments
are skipped, so a keyword inside them is harmless) and refuses:

- any Update keyword (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``,
  ``CREATE``, ``ADD``, ``MOVE``, ``COPY``, ``WITH``, ``USING``);
- ``SERVICE``;
- ``FROM``/``FROM NAMED`` with any IRI but our own graphs
  (``https://w3id.org/gpai-kg/graph/…``);

then parses it with Oxigraph's SPARQL parser, so a syntax error names its
line and column. Every refusal is one ``UserError`` line.

``bind_values`` binds parameters as a ``VALUES`` block at the top of the
query's WHERE group, written from typed RDF terms (N-Triples syntax, escaped
by Oxigraph), never by pasting user text into the query.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from gpai_kg.errors import UserError
from gpai_kg.namespaces import GRAPH

UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                          "WITH", "USING"})
FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
OWN_GRAPHS = str(GRAPH)
_OWN_GRAPH = re.compile(re.escape(OWN_GRAPHS) + r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*")

_LEX = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
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
    is lexed char by char, which only makes the check stricter)."""
    for m in _LEX.finditer(text):
        if m.lastgroup not in ("ws", "comment"):
            yield Token(m.lastgroup, m.group(), m.start())


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def _graph_iri(tok: Token, prefixes: dict[str, str], base: str | None) -> str | None:
    if tok.kind == "iri":
        iri = tok.text[1:-1]
        if base and not re.match(r"[A-Za-z][\w+.-]*:", iri):
            from urllib.parse import urljoin
            iri = urljoin(base, iri)
        return iri
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


def query_form(text: str) -> str:
    """``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``."""
    for tok in tokens(text):
        if tok.kind == "word" and tok.text.upper() in FORMS:
            return tok.text.upper()
    raise UserError("not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")


def has_dataset_clause(text: str) -> bool:
    """Whether the query names its dataset (``FROM``/``FROM NAMED``); the
    embedded store then uses it instead of the union of all graphs."""
    return any(t.kind == "word" and t.text.upper() == "FROM" for t in tokens(text))


def check_read_only(text: str) -> str:
    """Refuse Update, ``SERVICE`` and ``FROM`` a foreign IRI; return the query form."""
    toks = list(tokens(text))
    prefixes: dict[str, str] = {}
    base: str | None = None
    for i, tok in enumerate(toks):
        if tok.kind != "word":
            continue
        word, nxt = tok.text.upper(), toks[i + 1:i + 3]
        if word in UPDATE_WORDS:
            raise UserError(f"{word} at {_where(text, tok.start)} is refused: queries are read-only "
                            "(SPARQL Update is not allowed)")
        if word == "SERVICE":
            raise UserError(f"SERVICE at {_where(text, tok.start)} is refused: a query may not call "
                            "other SPARQL endpoints")
        if word == "PREFIX" and len(nxt) == 2 and nxt[0].kind == "pname" and nxt[1].kind == "iri":
            prefixes[nxt[0].text[:-1]] = nxt[1].text[1:-1]
        elif word == "BASE" and nxt and nxt[0].kind == "iri":
            base = nxt[0].text[1:-1]
        elif word == "FROM":
            target = nxt[1] if nxt and nxt[0].text.upper() == "NAMED" and len(nxt) > 1 else (nxt or [tok])[0]
            iri = _graph_iri(target, prefixes, base)
            if not iri or not _OWN_GRAPH.fullmatch(iri):
                raise UserError(f"FROM {target.text} at {_where(text, tok.start)} is refused: FROM may only "
                                f"name the graphs of gpai-kg ({OWN_GRAPHS}…)")
    return query_form(text)


_EMPTY = ox.Store()


def _syntax_message(message: str) -> str:
    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if not m:
        return f"SPARQL syntax error: {message}"
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


def check_syntax(text: str) -> None:
    """Parse with Oxigraph (on an empty store; results are lazy and never read)."""
    try:
        result = _EMPTY.query(text)
    except SyntaxError as exc:
        raise UserError(_syntax_message(str(exc))) from None
    except (RuntimeError, ValueError, OSError) as exc:
        raise UserError(f"invalid SPARQL query: {' '.join(str(exc).split())}") from None
    del result


def check_query(text: str) -> str:
    """Everything a query must pass before it runs; returns its form."""
    if not text.strip():
        raise UserError("empty SPARQL query")
    form = check_read_only(text)
    check_syntax(text)
    return form


Term = ox.NamedNode | ox.Literal | ox.BlankNode


def _values_block(bindings: Mapping[str, Term]) -> str:
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[^\W]\w*", name):
            raise UserError(f"invalid parameter name {name!r}: use letters, digits and _")
    variables = " ".join(f"?{n}" for n in names)
    values = " ".join(str(bindings[n]) for n in names)  # N-Triples syntax, escaped by Oxigraph
    return f" VALUES ({variables}) {{ ({values}) }} "


def bind_values(text: str, bindings: Mapping[str, Term]) -> str:
    """The query with a VALUES block of ``bindings`` opening its WHERE group."""
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
