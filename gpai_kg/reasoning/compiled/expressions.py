"""The compiled rules' expressions: FILTER and BIND to closures
``(index, solution) -> term`` that raise ``EvalError`` where SPARQL has an
error, with SPARQL 1.1's semantics where the rules use them (see the
package's docstring)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from rdflib import Literal as RdflibLiteral
from rdflib import URIRef, Variable

from gpai_kg.reasoning.comparisons import COMPARISONS, COMPLEMENT, HOLDS
from gpai_kg.reasoning.compiled.algebra import Node
from gpai_kg.reasoning.compiled.terms import (
    _STRING,
    FALSE,
    TRUE,
    EvalError,
    Index,
    Lit,
    Term,
    Unsupported,
    literal_of,
    term_of_rdflib,
)

# ------------------------------------------------ expressions

def _ebv(term) -> bool:
    """The effective boolean value (raises ``EvalError`` where it has none)."""
    if isinstance(term, Lit):
        if term.kind == "bool":
            return term.value
        if term.kind == "num":
            return term.value == term.value and term.value != 0
        if term.kind == "str" and term.dt == _STRING:
            return term.lex != ""
    raise EvalError


def _comparable(left, right) -> tuple:
    """The values ``<`` and the others compare: numbers, dates, booleans, and
    strings of one language (or none); anything else is an error."""
    if isinstance(left, Lit) and isinstance(right, Lit) and left.kind == right.kind and \
            left.kind in ("num", "date", "str", "bool") and left.value is not None and right.value is not None:
        if left.kind == "str" and left.lang != right.lang:
            raise EvalError
        return left.value, right.value
    raise EvalError


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
                raise EvalError
        return False
    return False  # IRIs, blank nodes and literals: different terms


def _compatible(whole: Lit, part: Lit) -> None:
    """Arguments of CONTAINS, STRAFTER: strings, the second of no language or of the first's."""
    if not (isinstance(whole, Lit) and isinstance(part, Lit) and whole.kind == part.kind == "str"):
        raise EvalError
    if part.lang is not None and part.lang != whole.lang:
        raise EvalError


_RELATIONS = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b,
              ">=": lambda a, b: a >= b}


def _number(term):
    if isinstance(term, Lit) and term.kind == "num":
        return term.value
    raise EvalError


def _arithmetic(op: str, left, right) -> Lit:
    if isinstance(left, Lit) and isinstance(right, Lit) and left.kind == "date" and right.kind == "dur" \
            and op in "+-":
        months, days = right.value
        sign = 1 if op == "+" else -1
        return literal_of(_add_months(left.value, sign * months) + timedelta(days=sign * days))
    a, b = _number(left), _number(right)
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)
    elif op == "/" and isinstance(a, int) and isinstance(b, int):
        a = Decimal(a)
    try:
        value = a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b
    except (ZeroDivisionError, InvalidOperation):
        raise EvalError from None
    return literal_of(value)


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
    raise EvalError


def _string(term) -> str:
    if isinstance(term, Lit) and term.kind == "str":
        return term.lex
    raise EvalError


def _holds(value, comparison, bound) -> Lit:
    test = COMPARISONS.get(comparison.lex if isinstance(comparison, Lit) else None, (None,))[0]
    try:
        left, right = float(value.lex), float(bound.lex)
    except (AttributeError, ValueError):
        raise EvalError from None
    if test is None:
        raise EvalError
    return TRUE if test(left, right) else FALSE


def _complement(comparison) -> Lit:
    found = COMPARISONS.get(comparison.lex if isinstance(comparison, Lit) else None)
    if not found:
        raise EvalError
    return Lit(found[2])


_FUNCTIONS = {HOLDS: _holds, COMPLEMENT: _complement}
_NIL = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil")  # rdflib's empty IN ()


def _iri_of(term) -> str:
    """IRI(): an IRI, or a string that is an absolute IRI (there is no base to resolve against)."""
    if isinstance(term, str):
        return term
    if isinstance(term, Lit) and term.kind == "str" and term.lang is None and _ABSOLUTE.match(term.lex):
        return term.lex
    raise EvalError


_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


def _str(term) -> Lit:
    if isinstance(term, str):
        return Lit(term)
    if isinstance(term, Lit):
        return Lit(term.lex)
    raise EvalError




class Expressions:
    """One rule's expressions to closures (``expression``, ``test``); ``Compiler``
    (``gpai_kg.reasoning.compiled.patterns``) adds its patterns, which an EXISTS
    reads (``pattern``, ``_one_triple``, ``_exists_rows``)."""

    def __init__(self, name: str):
        self.name = name

    def unsupported(self, what: str):
        return Unsupported(f"rule {self.name}: {what} is not evaluated by gpai_kg.reasoning.compiled")

    # -------------------------------------------- expressions: (index, solution) -> term, or raise EvalError

    def expression(self, e) -> Callable[[Index, dict], Term]:
        if isinstance(e, Variable):
            name = str(e)

            def variable(ix, b):
                try:
                    return b[name]
                except KeyError:
                    raise EvalError from None
            return variable
        if isinstance(e, URIRef | RdflibLiteral):
            term = term_of_rdflib(e)
            return lambda ix, b: term
        if not isinstance(e, Node):
            raise self.unsupported(f"the expression {e!r}")
        handler = getattr(self, "_e_" + e.name, None)
        if handler is None:
            raise self.unsupported(f"the expression {e.name}")
        return handler(e)

    def test(self, e) -> Callable[[Index, dict], bool]:
        """A FILTER: true when the expression's effective boolean value is true."""
        f = self.expression(e)

        def test(ix, b):
            try:
                return _ebv(f(ix, b))
            except EvalError:
                return False
        return test

    def _e_Builtin_EXISTS(self, e):
        exists = self._exists(e)
        return lambda ix, b: TRUE if exists(ix, b) else FALSE

    def _e_Builtin_NOTEXISTS(self, e):
        exists = self._exists(e)
        return lambda ix, b: FALSE if exists(ix, b) else TRUE

    def _exists(self, e) -> Callable[[Index, dict], bool]:
        """EXISTS for one solution: of one triple, its test; else ``Compiler._exists_rows`` of it alone."""
        triple = self._one_triple(e)
        if triple is not None:
            return triple.matcher(True)
        rows = self._exists_rows(e)
        return lambda ix, b: bool(rows(ix, [b]))

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
                    except EvalError:
                        error = True
                if error:
                    raise EvalError
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
        return self._logical(e, decisive=False)

    def _e_ConditionalOrExpression(self, e):
        return self._logical(e, decisive=True)

    def _logical(self, e, decisive: bool):
        """``&&`` (``decisive`` False) or ``||`` (True): the first operand whose effective
        boolean value is ``decisive`` decides; else an error if an operand was one; else
        the other value."""
        parts = [self.expression(x) for x in [e.expr, *e.other]]
        decided, otherwise = (TRUE, FALSE) if decisive else (FALSE, TRUE)

        def logical(ix, b):
            error = False
            for part in parts:
                try:
                    if _ebv(part(ix, b)) == decisive:
                        return decided
                except EvalError:
                    error = True
            if error:
                raise EvalError
            return otherwise
        return logical

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
        return lambda ix, b: literal_of(_round(_number(f(ix, b))))

    def _e_Builtin_ABS(self, e):
        f = self.expression(e.arg)
        return lambda ix, b: literal_of(abs(_number(f(ix, b))))

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
                except EvalError:
                    continue
            raise EvalError
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
