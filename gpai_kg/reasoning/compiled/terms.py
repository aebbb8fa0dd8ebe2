"""The compiled rules' terms and index: an IRI is a ``str``, a literal a
``Lit`` (a tuple: lexical form, datatype, language, and the kind and value the
rules compare), a blank node a ``BNode``; ``Index`` holds triples by subject and
predicate and by predicate and object."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from operator import itemgetter

from rdflib import BNode as RdflibBNode
from rdflib import Literal as RdflibLiteral
from rdflib import URIRef

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_STRING, _BOOLEAN, _DATE = XSD + "string", XSD + "boolean", XSD + "date"
_INTEGERS = {XSD + n for n in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger",
                               "nonPositiveInteger", "negativeInteger")}
_DECIMAL, _DOUBLES = XSD + "decimal", {XSD + "double", XSD + "float"}
_DURATIONS = {XSD + n for n in ("duration", "dayTimeDuration", "yearMonthDuration")}
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_DURATION = re.compile(r"^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


class Unsupported(ValueError):
    """A construct of a rule's query this compiler does not evaluate."""


class EvalError(Exception):
    """A SPARQL expression error (an unbound variable, a type error)."""




class BNode:
    __slots__ = ("id",)

    def __init__(self, id: str):
        self.id = id

    def __eq__(self, other):
        return isinstance(other, BNode) and other.id == self.id

    def __hash__(self):
        return hash(("_:", self.id))


class Lit(tuple):
    """A literal: its lexical form, datatype and language, and, for the
    datatypes the rules compare, its kind and value (``None``: ill-typed or
    not compared). A tuple, so that it hashes and compares as fast as the
    index needs; two literals are equal when their lexical form, datatype and
    language are (the rest follows from them)."""

    __slots__ = ()

    def __new__(cls, lex: str, dt: str = _STRING, lang: str | None = None):
        dt = _LANG_STRING if lang else dt
        return tuple.__new__(cls, (lex, dt, lang, *_typed(lex, dt)))

    lex = property(itemgetter(0))
    dt = property(itemgetter(1))
    lang = property(itemgetter(2))
    kind = property(itemgetter(3))
    value = property(itemgetter(4))

    def __repr__(self):
        return f"Lit({self.lex!r}, {self.dt!r})"


def _typed(lex: str, dt: str) -> tuple[str, object]:
    """(kind, value): kind ``num``, ``date``, ``bool``, ``str``, ``dur`` or ``other``."""
    try:
        if dt in (_STRING, _LANG_STRING):
            return "str", lex
        if dt in _DOUBLES:
            return "num", float(lex)
        if dt in _INTEGERS:
            return "num", int(lex)
        if dt == _DECIMAL:
            return "num", Decimal(lex)
        if dt == _DATE:
            return "date", date.fromisoformat(lex)
        if dt == _BOOLEAN:
            return ("bool", lex in ("true", "1")) if lex in ("true", "false", "1", "0") else ("other", None)
        if dt in _DURATIONS:
            return "dur", _duration(lex)
    except (ValueError, InvalidOperation):
        return "other", None
    return "other", None


def _duration(lex: str) -> tuple[int, int]:
    """(months, days) of an xsd duration with no time of day."""
    found = _DURATION.match(lex)
    if not found or any(found.group(i) not in (None, "0") for i in (5, 6, 7)):
        raise ValueError(lex)
    sign = -1 if found.group(1) else 1
    years, months, days = (int(found.group(i) or 0) for i in (2, 3, 4))
    return sign * (12 * years + months), sign * days


TRUE, FALSE = Lit("true", _BOOLEAN), Lit("false", _BOOLEAN)
_MADE: dict[tuple[str, str], Lit] = {}
_MADE_AT_MOST = 65_536


def literal(lex: str, dt: str = _STRING) -> Lit:
    """``Lit(lex, dt)``, the same object again for a literal made before (a
    registry's rows repeat their booleans, dates, countries and keys): a
    lookup instead of a parse of the value; the cache is emptied when full."""
    found = _MADE.get((lex, dt))
    if found is None:
        if len(_MADE) >= _MADE_AT_MOST:
            _MADE.clear()
        found = _MADE[lex, dt] = Lit(lex, dt)
    return found
Term = str | Lit | BNode


def term_of_rdflib(term) -> Term:
    """An rdflib term of a query (at compile time) as this module's."""
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, RdflibLiteral):
        return Lit(str(term), str(term.datatype) if term.datatype else _STRING, term.language)
    if isinstance(term, RdflibBNode):
        return BNode(str(term))
    raise Unsupported(f"a term of kind {type(term).__name__}")


def term_of_ox(term) -> Term:
    """A pyoxigraph term (the law's store) as this module's."""
    kind = type(term).__name__
    if kind == "NamedNode":
        return term.value
    if kind == "Literal":
        return Lit(term.value, term.datatype.value, term.language)
    if kind == "BlankNode":
        return BNode(term.value)
    raise Unsupported(f"a term of kind {kind}")


def literal_of(value) -> Lit:
    """The literal of a computed value."""
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, int):
        return Lit(str(value), XSD + "integer")
    if isinstance(value, Decimal):
        return Lit(str(value), _DECIMAL)
    if isinstance(value, float):
        return Lit(repr(value), XSD + "double")
    if isinstance(value, date):
        return Lit(value.isoformat(), _DATE)
    return Lit(str(value))


# ------------------------------------------------ the index

class Index:
    """Triples by subject and predicate (``spo``) and by predicate and object
    (``pos``). The terms at the end of a lookup are a tuple while they are one
    (most of a model's: cheaper to make and to free than a set), a set after."""

    __slots__ = ("spo", "pos")

    def __init__(self):
        self.spo: dict = {}
        self.pos: dict = {}

    def add_all(self, triples) -> int:
        """Add (subject, predicate, object) triples; how many were new (one loop: a model's
        triples, or a rule's conclusions, at once cost no call each)."""
        spo, pos, added = self.spo, self.pos, 0
        for s, p, o in triples:
            props = spo.get(s)
            if props is None:
                spo[s] = {p: (o,)}
            else:
                objects = props.get(p)
                if objects is None:
                    props[p] = (o,)
                elif o in objects:
                    continue
                elif type(objects) is tuple:
                    props[p] = {*objects, o}
                else:
                    objects.add(o)
            added += 1
            by_object = pos.get(p)
            if by_object is None:
                pos[p] = {o: (s,)}
            else:
                subjects = by_object.get(o)
                if subjects is None:
                    by_object[o] = (s,)
                elif type(subjects) is tuple:
                    by_object[o] = {*subjects, s}
                else:
                    subjects.add(s)
        return added

    def copy(self) -> Index:
        other = Index()
        other.spo = {s: {p: _owned(os) for p, os in props.items()} for s, props in self.spo.items()}
        other.pos = {p: {o: _owned(ss) for o, ss in objs.items()} for p, objs in self.pos.items()}
        return other

    def objects(self, s, p):
        return self.spo.get(s, EMPTY).get(p, ())

    def subjects(self, p, o):
        return self.pos.get(p, EMPTY).get(o, ())

    def pairs(self, p):
        return ((s, o) for o, subjects in self.pos.get(p, EMPTY).items() for s in subjects)


def _owned(terms: tuple | set) -> tuple | set:
    return terms if type(terms) is tuple else set(terms)


EMPTY: dict = {}
Solutions = list[dict]
Op = Callable[[Index, Solutions], Solutions]
