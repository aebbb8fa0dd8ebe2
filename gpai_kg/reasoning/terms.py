"""RDF terms as the reasoner holds them, and the conversions between the two
libraries it uses: pyoxigraph (the engine) and rdflib (SHACL, owlrl, the naive
oracle, exports).

The explanations read an ``Index``: subject -> predicate -> [objects], where an
IRI is a ``str`` and a literal a ``Lit`` (its Python value and datatype).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class Lit(NamedTuple):
    """A literal as the explanations read it: its Python value and datatype."""

    value: object
    datatype: str


_PARSE = {XSD + "double": float, XSD + "float": float, XSD + "decimal": float, XSD + "integer": int,
          XSD + "boolean": lambda v: v in ("true", "1"), XSD + "date": date.fromisoformat}


def _lit(lexical: str, datatype: str) -> Lit:
    parse = _PARSE.get(datatype)
    try:
        return Lit(parse(lexical) if parse else lexical, datatype)
    except ValueError:
        return Lit(lexical, datatype)


def term_of_ox(term):
    """A pyoxigraph term as an index term: an IRI as ``str``, a literal as ``Lit``."""
    if type(term) is ox.NamedNode:
        return term.value
    if type(term) is ox.Literal:
        return _lit(term.value, term.datatype.value if term.datatype else "")
    return f"_:{term.value}"


def term_of_rdflib(term):
    """An rdflib term as an index term."""
    if isinstance(term, Literal):
        return _lit(str(term), str(term.datatype) if term.datatype else "")
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


@lru_cache(maxsize=65536)
def named(iri: str) -> ox.NamedNode:
    """The pyoxigraph IRI, made once."""
    return ox.NamedNode(iri)


def to_ox(term) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return named(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=named(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD + "string":  # a simple literal (RDF 1.1), as rdflib writes it
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"not an RDF term: {term!r}")


Index = dict[str, dict[str, list]]


def index_of(triples: Iterable[tuple], convert) -> Index:
    """subject -> predicate -> [objects], every term converted by ``convert``."""
    index: Index = {}
    for s, p, o in triples:
        index.setdefault(convert(s), {}).setdefault(convert(p), []).append(convert(o))
    return index


def fmt(value) -> str:
    """A value as the chains write it: ``3.8e+25``, ``true``, ``2025-08-02``."""
    if isinstance(value, Lit):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # Twelve significant digits hide binary noise (8.500000000000001e+24 -> 8.5e+24)
        # and still tell apart values that the thresholds compare.
        return repr(float(f"{value:.12g}"))
    return str(value)


def fill(template: str, values: dict) -> str:
    """A sentence of the law data with its ``{name}`` places filled by ``fmt``
    of each value (``{name:grouped}``: digits grouped by spaces, as the
    Official Journal writes "10 000"; ``{name:power}``: a power of ten as the
    Act writes it, ``3.8 × 10^25``, ``10^25``)."""
    import string

    class Formatter(string.Formatter):
        def format_field(self, value, spec):
            number = value.value if isinstance(value, Lit) else value
            if spec == "grouped":
                return f"{int(number):,}".replace(",", " ")
            if spec == "power" and isinstance(number, (int, float)) and number > 0:
                return power_of_ten(float(number))
            return fmt(value)

    return Formatter().vformat(template, (), values)


def power_of_ten(number: float) -> str:
    """``3.8 × 10^25`` for 3.8e25, ``10^25`` for 1e25, ``3.33333333333 × 10^24`` for a third of 1e25."""
    text = f"{number:.12g}"
    if "e" not in text:
        return fmt(number)
    mantissa, exponent = text.split("e")
    power = f"10^{int(exponent)}"
    return power if float(mantissa) == 1 else f"{mantissa} × {power}"
