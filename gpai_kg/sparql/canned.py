"""The canned queries of ``queries/*.rq``: their headers, the catalogue, parameters.

Every canned query opens with a header of ``# key: value`` comment lines, in
this form (one ``param`` line per parameter; a line starting ``#`` and two
spaces continues the previous value)::

    # title: Obligations of a provider of a general-purpose AI model
    # description: The points of Article 53(1) and Article 54(1), in order, with their text.
    # param: article (citation; default: Article 53) — the article whose ...
    # provisions: Article 53(1), Article 54(1)

A query over data the graph does not hold (an assessment, a screened
registry) says so in an ``# input:`` line; the data is given with
``gpai-kg query NAME --input FILE`` (``sparql.run_query(inputs=…)``).

A parameter's type says how its value becomes an RDF term: ``citation`` (a
citation of the Act, resolved to its provision IRI by
``lookup.citation_index``), ``string`` (a plain literal), ``iri``, ``date``
(``xsd:date``, ISO form, or ``today``) or ``integer``. A parameter is ``required``,
``optional`` (left unbound when not given) or has a ``default``. A query file
of one's own may omit the header; its parameters are then bound as strings (or
as IRIs when written ``<…>``).
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from gpai_kg import paths
from gpai_kg.errors import UserError
from gpai_kg.files import decode_text, read_capped
from gpai_kg.sparql.guard import MAX_QUERY_BYTES
from gpai_kg.sparql.run import Term

TYPES = ("citation", "string", "iri", "date", "integer")
XSD = "http://www.w3.org/2001/XMLSchema#"
_PARAM = re.compile(r"^(?P<name>\w+) \((?P<type>\w+); (?:(?P<need>required|optional)|default: (?P<default>.+?))\)"
                    r" — (?P<description>.+)$")
_LINE = re.compile(r"^# (title|description|param|provisions|input): (.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    required: bool
    description: str


@dataclass(frozen=True)
class CannedQuery:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    provisions: tuple[str, ...]
    text: str
    input: str = ""


def _parse_param(value: str, where: str) -> Param:
    m = _PARAM.match(value)
    if not m or m.group("type") not in TYPES:
        raise UserError(f"{where}: a param line reads 'NAME (TYPE; required|optional|default: VALUE) — description' "
                        f"with TYPE one of {', '.join(TYPES)}; got {value!r}")
    return Param(m.group("name"), m.group("type"), m.group("default"), m.group("need") == "required",
                 m.group("description").strip())


def parse_header(text: str, where: str, strict: bool = True) -> dict:
    """The header's fields; ``strict`` requires title, description and provisions."""
    fields: dict[str, list[str]] = {}
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _LINE.match(line)
        if m:
            last = m.group(1)
            fields.setdefault(last, []).append(m.group(2).strip())
        elif line.startswith("#  ") and last:
            fields[last][-1] += " " + line[1:].strip()
    missing = [k for k in ("title", "description", "provisions") if k not in fields]
    if strict and missing:
        raise UserError(f"{where}: header lacks '# {missing[0]}: …'")
    return {
        "title": " ".join(fields.get("title", [Path(where).stem])),
        "description": " ".join(fields.get("description", [""])),
        "params": tuple(_parse_param(v, where) for v in fields.get("param", [])),
        "provisions": tuple(c.strip() for v in fields.get("provisions", []) for c in v.split(",") if c.strip()),
        "input": " ".join(fields.get("input", [])),
    }


def read_query(path: Path, strict: bool = True) -> CannedQuery:
    """A query file, never reading more than the query size limit of it."""
    text = decode_text(read_capped(path, MAX_QUERY_BYTES, "a query"), str(path))
    return CannedQuery(path.stem, path, text=text, **parse_header(text, str(path), strict))


def catalogue(directory: Path | None = None) -> list[CannedQuery]:
    """Every canned query, by name."""
    return [read_query(p) for p in sorted((directory or paths.QUERIES_DIR).glob("*.rq"))]


def load(name_or_file: str, directory: Path | None = None) -> CannedQuery:
    """A canned query by name (``obligations-gpai-provider``), or a ``.rq`` file."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.is_file():
        return read_query(path, strict=False)
    names = {q.name: q for q in catalogue(directory)}
    if name_or_file in names:
        return names[name_or_file]
    close = difflib.get_close_matches(name_or_file, list(names), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else "; see gpai-kg query --list"
    raise UserError(f"no canned query or .rq file named {name_or_file!r}{hint}")


def _term(param: Param, value: str, store: ox.Store | None) -> Term:
    try:
        if param.type == "citation":
            from gpai_kg.citations import to_iri
            from gpai_kg.store.dataset import load_store
            from gpai_kg.store.lookup import citation_index

            return ox.NamedNode(to_iri(citation_index(store or load_store()).resolve(value)))
        if param.type == "iri":
            return ox.NamedNode(value.strip("<>"))
        if param.type == "date":
            day = datetime.date.today() if value == "today" else datetime.date.fromisoformat(value)
            return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))
        if param.type == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    except ValueError as exc:
        raise UserError(f"parameter {param.name}={value!r} is not a valid {param.type}: {exc}") from None
    return ox.Literal(value)


def bind(query: CannedQuery, values: dict[str, str], store: ox.Store | None = None) -> dict[str, Term]:
    """The query's parameters as RDF terms: given values, else defaults."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown and query.path.parent.resolve() == paths.QUERIES_DIR.resolve():
        known = ", ".join(declared) or "none"
        raise UserError(f"{query.name} has no parameter {unknown[0]!r} (parameters: {known})")
    bound: dict[str, Term] = {}
    for name in unknown:  # a file of one's own, without a header
        value = values[name]
        bound[name] = (_term(Param(name, "iri", None, True, ""), value, store) if value.startswith("<")
                       else ox.Literal(value))
    for name, param in declared.items():
        value = values.get(name, param.default)
        if value is None and param.required:
            raise UserError(f"{query.name} needs --param {name}=… ({param.description})")
        if value is not None:
            bound[name] = _term(param, value, store)
    return bound


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``KEY=VALUE`` pairs from the command line."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--param {pair!r}: write KEY=VALUE")
        out[key.strip()] = value
    return out
