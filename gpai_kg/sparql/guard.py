"""What a user's SPARQL may do: read only, from our own graphs, nowhere else.

SPARQL 1.1 Query (https://www.w3.org/TR/sparql11-query/) is read-only;
SPARQL 1.1 Update (https://www.w3.org/TR/sparql11-update/) is not, and a
query can reach other servers through ``SERVICE`` (SPARQL 1.1 Federated Query)
or, on rdflib-based servers, ``FROM``/``FROM NAMED`` (which they dereference).

Every decision is taken on the parse of the engine that runs the query,
Oxigraph's (``parser``), never on a lexer of our own: ``check``, in the query
worker (no network, time and memory limits), refuses in this order, each in
one ``UserError`` line:

1. an empty text; a text longer than ``MAX_QUERY_BYTES`` (also checked by the
   caller before anything is sent);
2. nesting deeper than ``MAX_DEPTH`` (``gpai_kg.nesting``), before any parser
   sees the text: the parser recurses and would overflow its stack;
3. a text the parser rejects: a syntax error with line and column, or, when a
   statement starts with an Update keyword, "queries are read-only" (Update
   never parses as a query);
4. ``SERVICE`` wherever the parser reads the keyword;
5. ``FROM``/``FROM NAMED`` naming anything but our graphs
   (``https://w3id.org/gpai-kg/graph/…``): the parser locates each FROM, the
   IRI after it is resolved against the prologue's BASE and PREFIX (also
   located by the parser), and whatever cannot be read for sure is refused.

Outbound requests are impossible whatever this decides: the worker has no
network (``sandbox``). A query sent to another server also passes
``remote_refusal``, on the raw text, since other servers lex differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from gpai_kg import nesting
from gpai_kg.errors import UserError
from gpai_kg.namespaces import GRAPH
from gpai_kg.sparql import parser
from gpai_kg.sparql.lexer import has_form, update_word

MAX_QUERY_BYTES = 256 * 1024
MAX_DEPTH = 100
#: How many spellings of a keyword (``from`` in strings, names …) are located one by one at most.
MAX_CANDIDATES = 64
OWN_GRAPHS = str(GRAPH)
_OWN_GRAPH = re.compile(re.escape(OWN_GRAPHS) + r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*")

_SKIP = re.compile(r"(?:[ \t\r\n]|#[^\n\r]*)*")  # SPARQL's white space and comments
_IRIREF = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]*)>")
_PREFIX = r"((?:[A-Za-z][\w.-]*)?):"  # PN_PREFIX, ASCII first letter: any other is refused, never misread
_PREFIX_NAME = re.compile(_PREFIX)
_PNAME = re.compile(_PREFIX + r"([\w:%-]*(?:\.[\w:%-]+)*)")
_NAMED = re.compile(r"(?i:NAMED)(?![\w:.\\-])")
_AFTER_NAME = re.compile(r"(?:[ \t\r\n#{]|$)")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE_ANYWHERE = re.compile(r"(?<![^\W\d_])service", re.IGNORECASE)


@dataclass(frozen=True)
class Checked:
    """A query that passed: its text, its form (SELECT, CONSTRUCT, DESCRIBE,
    ASK) and whether it names its dataset (FROM/FROM NAMED; else the default
    graph is the union of the named graphs)."""

    text: str
    form: str
    dataset: bool


def check_size(text: str) -> None:
    """Refuse a text longer than ``MAX_QUERY_BYTES`` (characters or UTF-8 bytes)."""
    if len(text) > MAX_QUERY_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_QUERY_BYTES:
        raise UserError(f"query refused: it is longer than {MAX_QUERY_BYTES // 1024} KB (the query size limit)")


def _parse(text: str) -> None:
    try:
        parser.parse(text)
    except SyntaxError as exc:
        word = update_word(text)
        if word is not None:
            raise UserError(f"{word.text.upper()} at {parser.where(text, word.start)} is refused: queries are "
                            "read-only (SPARQL Update is not allowed)") from None
        if not has_form(text):
            raise UserError("not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK") from None
        raise UserError(parser.syntax_message(exc)) from None


def _located(text: str, word: str) -> list[int]:
    """Where the parser reads ``word`` (which it does), or a refusal if there
    are too many spellings of it to look at one by one."""
    if len(parser.candidates(text, word)) > MAX_CANDIDATES:
        raise UserError(f"query refused: it uses {word.upper()} and spells '{word}' more than {MAX_CANDIDATES} "
                        "times (in names, strings or comments); too many to check")
    return parser.keyword_offsets(text, word)


def _prologue(text: str) -> tuple[dict[str, str], str | None]:
    """The PREFIX and BASE declarations the parser reads, in their order."""
    declared = [(at, kind) for kind in ("prefix", "base") if parser.uses_keyword(text, kind)
                for at in _located(text, kind)]
    prefixes: dict[str, str] = {}
    base: str | None = None
    for at, kind in sorted(declared):
        at = _SKIP.match(text, at + len(kind)).end()
        name = _PREFIX_NAME.match(text, at) if kind == "prefix" else None
        if name:
            at = _SKIP.match(text, name.end()).end()
        iri = _IRIREF.match(text, at)
        if not iri or (kind == "prefix") != bool(name):
            continue  # a declaration we cannot read: names using it resolve to nothing, and are refused
        value = urljoin(base, iri.group(1)) if base else iri.group(1)
        if name:
            prefixes[name.group(1)] = value
        else:
            base = value
    return prefixes, base


def _from_target(text: str, at: int, prologue: tuple[dict[str, str], str | None]) -> tuple[str, str | None]:
    """(the text naming the graph after the FROM at ``at``, its IRI or None if unsure)."""
    at = _SKIP.match(text, at + 4).end()
    named = _NAMED.match(text, at)
    if named:
        at = _SKIP.match(text, named.end()).end()
    iri = _IRIREF.match(text, at)
    prefixes, base = prologue
    if iri:
        value = iri.group(1)
        return iri.group(), (urljoin(base, value) if base and not re.match(r"[A-Za-z][\w+.-]*:", value) else value)
    name = _PNAME.match(text, at)
    if name and _AFTER_NAME.match(text, name.end()) and name.group(1) in prefixes:
        return name.group(), prefixes[name.group(1)] + name.group(2)
    shown = name.group() if name else text[at:at + 40].split()[0] if text[at:at + 40].split() else "…"
    return shown, None


def _check_from(text: str) -> bool:
    if not parser.uses_keyword(text, "from"):
        return False
    offsets = _located(text, "from")
    prologue = _prologue(text)
    for at in offsets:
        shown, iri = _from_target(text, at, prologue)
        if iri is None or not _OWN_GRAPH.fullmatch(iri):
            raise UserError(f"FROM {shown} at {parser.where(text, at)} is refused: FROM may only name the graphs "
                            f"of gpai-kg ({OWN_GRAPHS}…)")
    return True


def _form(text: str) -> str:
    for form in ("ASK", "CONSTRUCT", "DESCRIBE"):  # only SELECT can be nested
        if parser.uses_keyword(text, form.lower()):
            return form
    return "SELECT"


def check(text: str) -> Checked:
    """Everything a query must pass before it runs (see the module docstring).
    Call it where the query will run: in the worker, inside the limits."""
    if not text.strip():
        raise UserError("empty SPARQL query")
    check_size(text)
    deep = nesting.too_deep(text, MAX_DEPTH)
    if deep:
        raise UserError(f"query refused: it nests more than {MAX_DEPTH} levels deep (brackets, braces, parentheses "
                        f"or '!') at {deep.where}; flatten it")
    _parse(text)
    if parser.uses_keyword(text, "service"):
        offsets = parser.keyword_offsets(text, "service") if len(parser.candidates(text, "service")) \
            <= MAX_CANDIDATES else []
        at = f" at {parser.where(text, offsets[0])}" if offsets else ""
        raise UserError(f"SERVICE{at} is refused: a query may not call other SPARQL endpoints")
    return Checked(text, _form(text), _check_from(text))


def _expand(text: str) -> str:
    def char(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    previous = None
    while previous != text:  # a server might expand escapes more than once: to a fixed point
        previous, text = text, _ESCAPE.sub(char, text)
    return text


def remote_refusal(text: str) -> str | None:
    """For a query sent to another server, whose lexer we do not know (Jena
    expands ``\\u`` escapes before lexing, Java folds ``ſ`` to ``S``): refuse
    the word ``service`` anywhere, even in a string or IRI, unless a letter
    precedes it (``PuttingIntoService``). A regex on a capped text: safe anywhere."""
    if _SERVICE_ANYWHERE.search(_expand(text)):
        return ("query refused for a remote endpoint: the word SERVICE (or 'service' not preceded by a letter) may "
                "not appear at all, even in a string or IRI")
    return None
