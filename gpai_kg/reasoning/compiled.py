"""The rules' queries compiled to Python, evaluated set at a time over an
in-memory index: the engine of the answers alone (``gpai_kg.reasoning.batch``).

Each rule's SPARQL is parsed once, at start, by rdflib (its algebra: BGP,
Join, LeftJoin, Union, Filter, Extend, Project, Distinct, VALUES, a COUNT
subquery, property paths) and turned into Python closures; no rdflib runs
while the rows are reasoned. A closure maps a list of solutions to a list of
solutions (dicts: variable -> term), so a rule is evaluated once over every
model of a chunk, each step a list comprehension of index lookups. Terms:
an IRI is a ``str``; a literal a ``Lit`` (its lexical form, datatype and
typed value); a blank node a ``BNode``.

The semantics are SPARQL 1.1's where the rules need them: numeric, date and
string comparisons with type errors (a FILTER on an error fails, a BIND of
one leaves its variable unbound), ``&&`` and ``||`` on errors, effective
boolean values, ``xsd:date`` plus ``xsd:dayTimeDuration``, numeric type
promotion, substitution for ``NOT EXISTS``, and the project's functions
``gpai:holds`` and ``gpai:complement`` (``gpai_kg.reasoning.comparisons``). A
construct the rules do not use is refused when the rule is compiled
(``Unsupported``), never guessed. The per-model engine and the explained batch
are the oracles: ``tests/test_compiled.py`` and ``tests/test_batch.py``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from functools import cache
from operator import itemgetter

import rdflib
from rdflib import BNode as RdflibBNode
from rdflib import Literal as RdflibLiteral
from rdflib import URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateGroupGraphPattern
from rdflib.plugins.sparql.parserutils import CompValue

from gpai_kg.reasoning.comparisons import COMPARISONS, COMPLEMENT, HOLDS

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


class _Error(Exception):
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


def _literal(value) -> Lit:
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
    """Triples by subject and predicate (``spo``) and by predicate and object (``pos``)."""

    __slots__ = ("spo", "pos")

    def __init__(self):
        self.spo: dict = {}
        self.pos: dict = {}

    def add(self, s, p, o) -> bool:
        """Add a triple; whether it is new."""
        props = self.spo.get(s)
        if props is None:
            props = self.spo[s] = {}
        objects = props.get(p)
        if objects is None:
            objects = props[p] = set()
        elif o in objects:
            return False
        objects.add(o)
        by_object = self.pos.get(p)
        if by_object is None:
            by_object = self.pos[p] = {}
        subjects = by_object.get(o)
        if subjects is None:
            by_object[o] = {s}
        else:
            subjects.add(s)
        return True

    def copy(self) -> Index:
        other = Index()
        other.spo = {s: {p: set(os) for p, os in props.items()} for s, props in self.spo.items()}
        other.pos = {p: {o: set(ss) for o, ss in objs.items()} for p, objs in self.pos.items()}
        return other

    def objects(self, s, p):
        return self.spo.get(s, _NONE).get(p, ())

    def subjects(self, p, o):
        return self.pos.get(p, _NONE).get(o, ())

    def pairs(self, p):
        return ((s, o) for o, subjects in self.pos.get(p, _NONE).items() for s in subjects)


_NONE: dict = {}
_NIL = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil")  # rdflib's empty IN ()
Solutions = list[dict]
Op = Callable[[Index, Solutions], Solutions]


# ------------------------------------------------ expressions

def _ebv(term) -> bool:
    """The effective boolean value (raises ``_Error`` where it has none)."""
    if isinstance(term, Lit):
        if term.kind == "bool":
            return term.value
        if term.kind == "num":
            return term.value == term.value and term.value != 0
        if term.kind == "str" and term.dt == _STRING:
            return term.lex != ""
    raise _Error


def _comparable(left, right) -> tuple:
    """The values ``<`` and the others compare: numbers, dates, booleans, and
    strings of one language (or none); anything else is an error."""
    if isinstance(left, Lit) and isinstance(right, Lit) and left.kind == right.kind and \
            left.kind in ("num", "date", "str", "bool") and left.value is not None and right.value is not None:
        if left.kind == "str" and left.lang != right.lang:
            raise _Error
        return left.value, right.value
    raise _Error


def _equal(left, right) -> bool:
    """``=``: the same term, or literals of one kind with one value (numbers,
    dates, booleans); literals of different kinds are not equal (pyoxigraph's
    reading: false, not an error), those of one datatype unknown to it with
    different forms an error."""
    if left == right:
        return True
    if isinstance(left, Lit) and isinstance(right, Lit):
        if left.kind == right.kind:
            if left.kind in ("num", "date", "bool") and left.value is not None and right.value is not None:
                return left.value == right.value
            if left.kind == "other" and left.dt == right.dt:
                raise _Error
        return False
    return False  # IRIs, blank nodes and literals: different terms


def _compatible(whole: Lit, part: Lit) -> None:
    """Arguments of CONTAINS, STRAFTER: strings, the second of no language or of the first's."""
    if not (isinstance(whole, Lit) and isinstance(part, Lit) and whole.kind == part.kind == "str"):
        raise _Error
    if part.lang is not None and part.lang != whole.lang:
        raise _Error


_RELATIONS = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b,
              ">=": lambda a, b: a >= b}


def _number(term):
    if isinstance(term, Lit) and term.kind == "num":
        return term.value
    raise _Error


def _arithmetic(op: str, left, right) -> Lit:
    if isinstance(left, Lit) and isinstance(right, Lit) and left.kind == "date" and right.kind == "dur" \
            and op in "+-":
        months, days = right.value
        sign = 1 if op == "+" else -1
        return _literal(_add_months(left.value, sign * months) + timedelta(days=sign * days))
    a, b = _number(left), _number(right)
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)
    elif op == "/" and isinstance(a, int) and isinstance(b, int):
        a = Decimal(a)
    try:
        value = a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b
    except (ZeroDivisionError, InvalidOperation):
        raise _Error from None
    return _literal(value)


def _round(x):
    """fn:round: the nearest integer, a half rounded up; of the number's own type."""
    if isinstance(x, int):
        return x
    if isinstance(x, Decimal):
        return (x + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR)
    return float(math.floor(x + 0.5)) if math.isfinite(x) else x


def _add_months(day: date, months: int) -> date:
    if not months:
        return day
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    for last in (31, 30, 29, 28):  # xsd: the day kept, or the month's last
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise _Error


def _string(term) -> str:
    if isinstance(term, Lit) and term.kind == "str":
        return term.lex
    raise _Error


def _holds(value, comparison, bound) -> Lit:
    test = COMPARISONS.get(comparison.lex if isinstance(comparison, Lit) else None, (None,))[0]
    try:
        left, right = float(value.lex), float(bound.lex)
    except (AttributeError, ValueError):
        raise _Error from None
    if test is None:
        raise _Error
    return TRUE if test(left, right) else FALSE


def _complement(comparison) -> Lit:
    found = COMPARISONS.get(comparison.lex if isinstance(comparison, Lit) else None)
    if not found:
        raise _Error
    return Lit(found[2])


_FUNCTIONS = {HOLDS: _holds, COMPLEMENT: _complement}


def _iri_of(term) -> str:
    """IRI(): an IRI, or a string that is an absolute IRI (there is no base to resolve against)."""
    if isinstance(term, str):
        return term
    if isinstance(term, Lit) and term.kind == "str" and term.lang is None and _ABSOLUTE.match(term.lex):
        return term.lex
    raise _Error


_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


def _str(term) -> Lit:
    if isinstance(term, str):
        return Lit(term)
    if isinstance(term, Lit):
        return Lit(term.lex)
    raise _Error


class _Compiler:
    """One rule's query to closures (``pattern``, ``expression``)."""

    def __init__(self, name: str):
        self.name = name

    def unsupported(self, what: str):
        return Unsupported(f"rule {self.name}: {what} is not evaluated by gpai_kg.reasoning.compiled")

    # -------------------------------------------- expressions: (index, solution) -> term, or raise _Error

    def expression(self, e) -> Callable[[Index, dict], Term]:
        if isinstance(e, Variable):
            name = str(e)

            def variable(ix, b):
                try:
                    return b[name]
                except KeyError:
                    raise _Error from None
            return variable
        if isinstance(e, URIRef | RdflibLiteral):
            term = term_of_rdflib(e)
            return lambda ix, b: term
        if not isinstance(e, CompValue):
            raise self.unsupported(f"the expression {e!r}")
        handler = getattr(self, "_e_" + e.name, None)
        if handler is None:
            raise self.unsupported(f"the expression {e.name}")
        return handler(e)

    def test(self, e) -> Callable[[Index, dict], bool]:
        """A FILTER: true when the expression's effective boolean value is true."""
        if isinstance(e, CompValue) and e.name == "Builtin_NOTEXISTS":
            exists = self._exists(e)
            return lambda ix, b: not exists(ix, b)
        if isinstance(e, CompValue) and e.name == "Builtin_EXISTS":
            return self._exists(e)
        f = self.expression(e)

        def test(ix, b):
            try:
                return _ebv(f(ix, b))
            except _Error:
                return False
        return test

    def _e_Builtin_EXISTS(self, e):
        exists = self._exists(e)
        return lambda ix, b: TRUE if exists(ix, b) else FALSE

    def _e_Builtin_NOTEXISTS(self, e):
        exists = self._exists(e)
        return lambda ix, b: FALSE if exists(ix, b) else TRUE

    def _exists(self, e) -> Callable[[Index, dict], bool]:
        """EXISTS: the pattern with the solution's bindings substituted has a solution."""
        graph = e.graph
        if isinstance(graph, CompValue) and graph.name == "GroupGraphPatternSub":
            graph = translateGroupGraphPattern(graph)
        op = self.pattern(graph)
        return lambda ix, b: bool(op(ix, [b]))

    def _e_RelationalExpression(self, e):
        left, right, op = self.expression(e.expr), e.other, e.op
        if op in ("IN", "NOT IN"):
            options = [] if right == _NIL else [self.expression(x) for x in right]
            positive = op == "IN"

            def member(ix, b):
                """``IN``: true if equal to one, else an error if a comparison was one, else false."""
                value, error = left(ix, b), False
                for option in options:
                    try:
                        if _equal(value, option(ix, b)):
                            return TRUE if positive else FALSE
                    except _Error:
                        error = True
                if error:
                    raise _Error
                return FALSE if positive else TRUE
            return member
        right = self.expression(right)
        if op in ("=", "!="):
            want = op == "="
            return lambda ix, b: TRUE if _equal(left(ix, b), right(ix, b)) == want else FALSE
        relation = _RELATIONS[op]

        def compare(ix, b):
            x, y = _comparable(left(ix, b), right(ix, b))
            return TRUE if relation(x, y) else FALSE
        return compare

    def _e_ConditionalAndExpression(self, e):
        parts = [self.expression(x) for x in [e.expr, *e.other]]

        def conjunction(ix, b):
            error = False
            for part in parts:
                try:
                    if not _ebv(part(ix, b)):
                        return FALSE
                except _Error:
                    error = True
            if error:
                raise _Error
            return TRUE
        return conjunction

    def _e_ConditionalOrExpression(self, e):
        parts = [self.expression(x) for x in [e.expr, *e.other]]

        def disjunction(ix, b):
            error = False
            for part in parts:
                try:
                    if _ebv(part(ix, b)):
                        return TRUE
                except _Error:
                    error = True
            if error:
                raise _Error
            return FALSE
        return disjunction

    def _e_UnaryNot(self, e):
        f = self.expression(e.expr)
        return lambda ix, b: FALSE if _ebv(f(ix, b)) else TRUE

    def _arithmetics(self, e):
        first = self.expression(e.expr)
        rest = [(op, self.expression(x)) for op, x in zip(e.op, e.other, strict=True)]

        def arithmetic(ix, b):
            value = first(ix, b)
            for op, f in rest:
                value = _arithmetic(op, value, f(ix, b))
            return value
        return arithmetic

    _e_AdditiveExpression = _e_MultiplicativeExpression = _arithmetics

    def _e_Builtin_ROUND(self, e):
        f = self.expression(e.arg)
        return lambda ix, b: _literal(_round(_number(f(ix, b))))

    def _e_Builtin_ABS(self, e):
        f = self.expression(e.arg)
        return lambda ix, b: _literal(abs(_number(f(ix, b))))

    def _e_Builtin_BOUND(self, e):
        name = str(e.arg)
        return lambda ix, b: TRUE if name in b else FALSE

    def _e_Builtin_IF(self, e):
        cond, then, other = self.expression(e.arg1), self.expression(e.arg2), self.expression(e.arg3)
        return lambda ix, b: then(ix, b) if _ebv(cond(ix, b)) else other(ix, b)

    def _e_Builtin_COALESCE(self, e):
        parts = [self.expression(x) for x in e.arg]

        def coalesce(ix, b):
            for part in parts:
                try:
                    return part(ix, b)
                except _Error:
                    continue
            raise _Error
        return coalesce

    def _e_Builtin_isIRI(self, e):
        f = self.expression(e.arg)
        return lambda ix, b: TRUE if isinstance(f(ix, b), str) else FALSE

    _e_Builtin_isURI = _e_Builtin_isIRI

    def _e_Builtin_isLITERAL(self, e):
        f = self.expression(e.arg)
        return lambda ix, b: TRUE if isinstance(f(ix, b), Lit) else FALSE

    def _e_Builtin_STR(self, e):
        f = self.expression(e.arg)
        return lambda ix, b: _str(f(ix, b))

    def _e_Builtin_IRI(self, e):
        f = self.expression(e.arg)
        return lambda ix, b: _iri_of(f(ix, b))

    _e_Builtin_URI = _e_Builtin_IRI

    def _e_Builtin_CONCAT(self, e):
        parts = [self.expression(x) for x in e.arg]

        def concat(ix, b):
            """The strings joined; of their language if they all have one, else of none."""
            terms = [part(ix, b) for part in parts]
            text = "".join(_string(term) for term in terms)
            langs = {term.lang for term in terms}
            return Lit(text, lang=langs.pop()) if len(langs) == 1 and terms else Lit(text)
        return concat

    def _e_Builtin_CONTAINS(self, e):
        whole, part = self.expression(e.arg1), self.expression(e.arg2)

        def contains(ix, b):
            text, sought = whole(ix, b), part(ix, b)
            _compatible(text, sought)
            return TRUE if sought.lex in text.lex else FALSE
        return contains

    def _e_Builtin_STRAFTER(self, e):
        whole, part = self.expression(e.arg1), self.expression(e.arg2)

        def after(ix, b):
            """What follows the first match, in the first string's language; "" if none."""
            text, sep = whole(ix, b), part(ix, b)
            _compatible(text, sep)
            at = text.lex.find(sep.lex)
            if at < 0:
                return Lit("")
            return Lit(text.lex[at + len(sep.lex):], lang=text.lang)
        return after

    def _e_Builtin_REPLACE(self, e):
        if e.flags is not None:
            raise self.unsupported("REPLACE with flags")
        text, pattern, replacement = (self.expression(x) for x in (e.arg, e.pattern, e.replacement))
        patterns: dict[str, re.Pattern] = {}

        def replace(ix, b):
            source = _string(pattern(ix, b))
            compiled = patterns.get(source) or patterns.setdefault(source, re.compile(source))
            return Lit(compiled.sub(_string(replacement(ix, b)).replace("\\", "\\\\").replace("$", "\\"),
                                    _string(text(ix, b))))
        return replace

    def _e_Function(self, e):
        fn = _FUNCTIONS.get(str(e.iri))
        if fn is None or e.distinct:
            raise self.unsupported(f"the function {e.iri}")
        args = [self.expression(x) for x in e.expr]
        return lambda ix, b: fn(*(arg(ix, b) for arg in args))

    # -------------------------------------------- patterns: (index, solutions) -> solutions

    def pattern(self, node) -> Op:
        handler = getattr(self, "_p_" + node.name, None)
        if handler is None:
            raise self.unsupported(f"the pattern {node.name}")
        return handler(node)

    def _p_BGP(self, node):
        """A basic graph pattern, its triples joined in the order of the fewest
        solutions, chosen as it runs: with the bindings of a few of the
        solutions (``_SAMPLE``, spread over them), the pattern whose lookups
        return the fewest terms goes next (a model's own nodes are few; a law
        node's subjects may be every model's)."""
        patterns = [_Pattern(t, self) for t in node.triples]
        if len(patterns) == 1:
            return patterns[0].run

        def bgp(index, solutions):
            remaining = patterns
            while len(remaining) > 1 and solutions:
                sample = solutions[::len(solutions) // _SAMPLE + 1]
                best = min(remaining, key=lambda pattern: sum(pattern.cost(index, b) for b in sample))
                remaining = [pattern for pattern in remaining if pattern is not best]
                solutions = best.run(index, solutions)
            return remaining[0].run(index, solutions) if remaining and solutions else solutions
        return bgp

    def _p_Join(self, node):
        left = self.pattern(node.p1)
        right = self.pattern(node.p2)
        return lambda index, sols: right(index, left(index, sols))

    def _p_LeftJoin(self, node):
        left, right = self.pattern(node.p1), self.pattern(node.p2)
        keep = None if _is_true(node.expr) else self.test(node.expr)

        def left_join(index, sols):
            out = []
            for b in left(index, sols):
                found = right(index, [b])
                if keep is not None:
                    found = [x for x in found if keep(index, x)]
                out += found or [b]
            return out
        return left_join

    def _p_Union(self, node):
        left, right = self.pattern(node.p1), self.pattern(node.p2)
        return lambda index, sols: left(index, sols) + right(index, sols)

    def _p_Filter(self, node):
        """FILTER (A && B ...) keeps a solution where each conjunct is true (an
        error is not), so each conjunct filters in turn; an EXISTS or NOT
        EXISTS conjunct over every solution at once (``_exists_rows``)."""
        inner = self.pattern(node.p)
        filters = []
        for conjunct in _conjuncts(node.expr):
            if isinstance(conjunct, CompValue) and conjunct.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                filters.append((self._exists_rows(conjunct), conjunct.name == "Builtin_EXISTS"))
            else:
                filters.append((self.test(conjunct), None))

        def filter_(index, sols):
            sols = inner(index, sols)
            for test, wanted in filters:
                if not sols:
                    break
                if wanted is None:
                    sols = [b for b in sols if test(index, b)]
                else:
                    rows = test(index, sols)
                    sols = [b for i, b in enumerate(sols) if (i in rows) == wanted]
            return sols
        return filter_

    def _exists_rows(self, e) -> Callable[[Index, Solutions], set[int]]:
        """EXISTS over a list of solutions: the positions of those for which the
        pattern, their bindings substituted, has a solution (each tagged with its
        position, which the pattern carries through)."""
        exists = e.graph
        if isinstance(exists, CompValue) and exists.name == "GroupGraphPatternSub":
            exists = translateGroupGraphPattern(exists)
        op = self.pattern(exists)
        return lambda index, sols: {b[_ROW] for b in op(index, [{**b, _ROW: i} for i, b in enumerate(sols)])}

    def _p_Extend(self, node):
        """BIND, a run of them at once: one copy of each solution gets each
        variable in turn (an error leaves it unbound), a later expression
        reading an earlier one's."""
        binds = []
        while node.name == "Extend":
            binds.append((str(node.var), self.expression(node.expr)))
            node = node.p
        inner = self.pattern(node)
        binds.reverse()

        def extend(index, sols):
            out = []
            for b in inner(index, sols):
                c = dict(b)
                for name, f in binds:
                    try:
                        c[name] = f(index, c)
                    except _Error:
                        pass
                out.append(c)
            return out
        return extend

    def _p_Project(self, node):
        inner, names = self.pattern(node.p), [str(v) for v in node.PV] + [_ROW]
        return lambda index, sols: [{k: b[k] for k in names if k in b} for b in inner(index, sols)]

    def _p_Distinct(self, node):
        inner = self.pattern(node.p)

        def distinct(index, sols):
            seen, out = set(), []
            for b in inner(index, sols):
                key = frozenset(b.items())
                if key not in seen:
                    seen.add(key)
                    out.append(b)
            return out
        return distinct

    def _p_ToMultiSet(self, node):
        """A subquery, or VALUES: evaluated on its own, then joined."""
        inner = node.p
        if inner.name == "values":
            rows = [{str(k): term_of_rdflib(v) for k, v in row.items() if v is not None and type(v) is not str}
                    for row in inner.res]  # rdflib gives UNDEF as the str "UNDEF"
            return lambda index, sols: _join(sols, rows)
        op = self.pattern(inner)
        return lambda index, sols: _join(sols, op(index, [{}]))

    def _p_AggregateJoin(self, node):
        group = node.p
        if group.name != "Group" or group.expr:
            raise self.unsupported("GROUP BY")
        inner = self.pattern(group.p)
        aggregates = []
        for aggregate in node.A:
            if aggregate.name != "Aggregate_Count" or aggregate.vars == "*":
                raise self.unsupported(f"the aggregate {aggregate.name}")
            aggregates.append((str(aggregate.res), str(aggregate.vars), bool(aggregate.distinct)))

        def aggregate_join(index, sols):
            rows = inner(index, [{}])
            counted = {}
            for res, var, distinct in aggregates:
                values = [b[var] for b in rows if var in b]
                counted[res] = _literal(len(set(values)) if distinct else len(values))
            return [counted]
        return aggregate_join


class _Pattern:
    """One triple pattern of a BGP: a predicate, a property path or a variable
    predicate between two ends, each a constant or a variable, looked up by
    whichever end a solution binds."""

    __slots__ = ("sn", "pn", "on", "sc", "p", "oc", "forward", "backward")

    def __init__(self, triple, compiler: _Compiler):
        s, p, o = triple
        self.sn = str(s) if isinstance(s, Variable) else None
        self.on = str(o) if isinstance(o, Variable) else None
        self.sc = None if self.sn else term_of_rdflib(s)
        self.oc = None if self.on else term_of_rdflib(o)
        self.pn = str(p) if isinstance(p, Variable) else None
        self.p = str(p) if isinstance(p, URIRef) else None
        self.forward = self.backward = None
        if self.pn is None and self.p is None:
            self.forward, self.backward = _path(p, compiler)

    def cost(self, index: Index, b: dict) -> int:
        """About how many terms the lookup for solution ``b`` returns."""
        s = self.sc if self.sn is None else b.get(self.sn)
        o = self.oc if self.on is None else b.get(self.on)
        if s is not None and o is not None:
            return 0
        if self.pn is not None:  # a variable predicate: by the subject, else last
            return sum(map(len, index.spo.get(s, _NONE).values())) if s is not None else 10**9
        if self.p is None:  # a property path
            return len(self.forward(index, s)) if s is not None else \
                len(self.backward(index, o)) if o is not None else 10**9
        if s is not None:
            return len(index.objects(s, self.p))
        if o is not None:
            return len(index.subjects(self.p, o))
        return 10**6 + len(index.pos.get(self.p, _NONE))

    def run(self, index: Index, sols: Solutions) -> Solutions:
        sn, on, p = self.sn, self.on, self.p
        if p is None:
            return self._run_other(index, sols)
        by_subject = index.spo.get
        objects_of = index.pos.get(p, _NONE)
        sc, oc = self.sc, self.oc
        out: Solutions = []
        add, extend = out.append, out.extend
        for b in sols:  # an end may be bound in some solutions only (by an OPTIONAL)
            s = sc if sn is None else b.get(sn)
            o = oc if on is None else b.get(on)
            if s is not None:
                objects = by_subject(s, _NONE).get(p, ())
                if o is not None:
                    if o in objects:
                        add(b)
                else:
                    extend([{**b, on: x} for x in objects])
            elif o is not None:
                extend([{**b, sn: x} for x in objects_of.get(o, ())])
            else:
                extend([{**b, sn: x, on: y} for y, subjects in objects_of.items() for x in subjects
                        if sn != on or x == y])
        return out

    def _run_other(self, index: Index, sols: Solutions) -> Solutions:
        sn, on, pn = self.sn, self.on, self.pn
        out: Solutions = []
        for b in sols:
            s = self.sc if sn is None else b.get(sn)
            o = self.oc if on is None else b.get(on)
            if pn is not None:  # ?s ?p ?o: the subject's triples (every subject's, if it is unbound)
                subjects = [s] if s is not None else list(index.spo)
                for x in subjects:
                    for prop, objects in index.spo.get(x, _NONE).items():
                        if b.get(pn, prop) != prop:
                            continue
                        found = {**b, pn: prop} if sn is None or x == s else {**b, sn: x, pn: prop}
                        if o is not None:
                            if o in objects:
                                out.append(found)
                        else:
                            out += [{**found, on: y} for y in objects]
            elif s is not None:
                ends = self.forward(index, s)
                if o is not None:
                    if o in ends:
                        out.append(b)
                else:
                    out += [{**b, on: y} for y in ends]
            elif o is not None:
                out += [{**b, sn: x} for x in self.backward(index, o)]
            else:  # from every term of the graph (a path of length zero joins a term to itself)
                terms = set(index.spo).union(*(objects.keys() for objects in index.pos.values()))
                for x in terms:
                    out += [{**b, sn: x, on: y} for y in self.forward(index, x) if sn != on or x == y]
        return out


def _join(sols: Solutions, rows: Solutions) -> Solutions:
    out = []
    for b in sols:
        for row in rows:
            if all(b.get(k, v) == v for k, v in row.items()):
                out.append({**b, **row})
    return out


_SAMPLE = 5  # solutions whose lookups choose the next pattern of a BGP
_ROW = " row"  # a variable no query can name: a solution's position, through an EXISTS


def _conjuncts(expr) -> list:
    if isinstance(expr, CompValue) and expr.name == "ConditionalAndExpression":
        return [part for x in [expr.expr, *expr.other] for part in _conjuncts(x)]
    return [expr]


def _is_true(expr) -> bool:
    return expr is None or (isinstance(expr, CompValue) and expr.name == "TrueFilter")


Step = Callable[[Index, Term], Iterable[Term]]


def _path(path, compiler: _Compiler) -> tuple[Step, Step]:
    """A property path as (from a subject to its objects, from an object to its subjects)."""
    if isinstance(path, URIRef):
        p = str(path)
        return (lambda index, x: index.objects(x, p)), (lambda index, x: index.subjects(p, x))
    if isinstance(path, InvPath):
        forward, backward = _path(path.arg, compiler)
        return backward, forward
    if isinstance(path, SequencePath):  # a join: one end once per way to it
        parts = [_path(arg, compiler) for arg in path.args]

        def chain(steps):
            def walk(index, x):
                nodes = [x]
                for step in steps:
                    nodes = [y for n in nodes for y in step(index, n)]
                return nodes
            return walk
        return chain([f for f, _ in parts]), chain([b for _, b in reversed(parts)])
    if isinstance(path, AlternativePath):  # a union: an end once per alternative to it
        parts = [_path(arg, compiler) for arg in path.args]
        return ((lambda index, x: [y for f, _ in parts for y in f(index, x)]),
                (lambda index, x: [y for _, b in parts for y in b(index, x)]))
    if isinstance(path, MulPath):
        forward, backward = _path(path.path, compiler)
        zero, more = path.mod in ("?", "*"), path.mod in ("+", "*")

        def closure(step):
            def walk(index, x):
                found = {x} if zero else set()
                frontier = {x}
                while frontier:
                    frontier = {y for n in frontier for y in step(index, n)} - found
                    found |= frontier
                    if not more:
                        break
                return found
            return walk
        return closure(forward), closure(backward)
    raise compiler.unsupported(f"the path {path!r}")


# ------------------------------------------------ the algebra, parsed once (and kept on disk)

_FORMAT = 1  # of the algebra's JSON: bump when it changes


def algebra(text: str) -> CompValue:
    """A query's SPARQL algebra: rdflib's parse (about 20 ms a rule: more than
    a second for the catalogue), or the JSON of it kept in the on-disk cache
    of the closed law (``gpai_kg.reasoning.law.cache_dir``), keyed by the
    query's text and rdflib's version. A cache file that does not read back
    is parsed again."""
    from gpai_kg.reasoning.law import cache_dir

    directory = cache_dir()
    key = hashlib.sha256(f"rule-algebra/{_FORMAT}/rdflib-{rdflib.__version__}\0{text}".encode()).hexdigest()[:32]
    target = directory / f"rule-algebra-{key}.json" if directory else None
    if target is not None and target.is_file():
        try:
            return _from_json(json.loads(target.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # damaged: parse again, and write it anew
    query = prepareQuery(text).algebra
    if target is not None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".rule-algebra-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(_to_json(query), fh)
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only cache: parse again next time
    return query


def _to_json(x):
    """The algebra as JSON: a node ``{"#": name, field: ...}``, a term tagged by its kind."""
    if isinstance(x, CompValue):  # rdflib sets some fields as attributes (an EXISTS's translated pattern)
        names = [*x.keys(), *(k for k in vars(x) if k not in ("name", "ctx") and not k.startswith("_"))]
        return {"#": x.name, **{k: _to_json(getattr(x, k)) for k in dict.fromkeys(names) if k != "_vars"}}
    if isinstance(x, Variable):
        return {"?": str(x)}
    if isinstance(x, URIRef):
        return {"<": str(x)}
    if isinstance(x, RdflibLiteral):
        return {"'": str(x), "dt": str(x.datatype) if x.datatype else None, "lang": x.language}
    if isinstance(x, RdflibBNode):
        return {"_": str(x)}
    if isinstance(x, SequencePath | AlternativePath):
        return {"/" if isinstance(x, SequencePath) else "|": [_to_json(a) for a in x.args]}
    if isinstance(x, MulPath):
        return {"*": _to_json(x.path), "mod": x.mod}
    if isinstance(x, InvPath):
        return {"^": _to_json(x.arg)}
    if isinstance(x, dict):  # a row of VALUES: variable -> term
        return {"{}": [[_to_json(k), _to_json(v)] for k, v in x.items()]}
    if isinstance(x, list | tuple):
        return [_to_json(v) for v in x]
    if x is None or isinstance(x, str | int | float):
        return x
    raise Unsupported(f"the algebra holds a {type(x).__name__}")


def _from_json(x):
    if isinstance(x, list):
        return [_from_json(v) for v in x]
    if not isinstance(x, dict):
        return x
    if "#" in x:
        return CompValue(x["#"], **{k: _from_json(v) for k, v in x.items() if k != "#"})
    if "?" in x:
        return Variable(x["?"])
    if "<" in x:
        return URIRef(x["<"])
    if "'" in x:
        return RdflibLiteral(x["'"], datatype=x["dt"], lang=x["lang"])
    if "_" in x:
        return RdflibBNode(x["_"])
    if "/" in x:
        return SequencePath(*(_from_json(a) for a in x["/"]))
    if "|" in x:
        return AlternativePath(*(_from_json(a) for a in x["|"]))
    if "*" in x:
        return MulPath(_from_json(x["*"]), x["mod"])
    if "^" in x:
        return InvPath(_from_json(x["^"]))
    return {_from_json(k): _from_json(v) for k, v in x["{}"]}


# ------------------------------------------------ a rule

class CompiledQuery:
    """A rule's query, compiled: ``solve(index, seeds)`` gives its solutions
    that extend the seed solutions (a SELECT's); ``construct`` the triples of
    a CONSTRUCT's template."""

    def __init__(self, name: str, text: str):
        query = algebra(text)
        self.kind = query.name
        self.solve: Op = _Compiler(name).pattern(query.p)
        self.template = [tuple(_template_term(x) for x in t) for t in query.template] \
            if query.name == "ConstructQuery" else []

    def construct(self, index: Index, seeds: Solutions) -> list[tuple]:
        out = []
        for b in self.solve(index, seeds):
            for t in self.template:
                triple = tuple(b.get(x) if variable else x for variable, x in t)
                if None not in triple:
                    out.append(triple)
        return out


def _template_term(x) -> tuple[bool, object]:
    if isinstance(x, Variable):
        return True, str(x)
    return False, term_of_rdflib(x)


@cache
def compiled(name: str, text: str) -> CompiledQuery:
    """A rule's query (``name``: the rule's, for errors), compiled once."""
    return CompiledQuery(name, text)
