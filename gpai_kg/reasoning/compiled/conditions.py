"""A FILTER's conjunct as a condition of a BGP's loop nest (``joins``): Python
source, tested in the nest where what it reads is bound, in place of a
closure over the solutions the BGP made (``patterns``' ``_filter``).

Two kinds are written: a one-triple EXISTS or NOT EXISTS of a predicate, or
of a variable the nest binds (a membership test of the index: a subject or
object variable the nest does not bind, nor the solution it extends, is any
term), and an expression of the BGP's own
variables built of ``=``, ``!=``, ``<``, ``>``, ``<=``, ``>=``, ``!``,
``isIRI``, ``isLiteral``, the project's functions and constants -- each of
them an error where an operand is one, so the whole condition raises
``EvalError`` where SPARQL's value is an error, and the nest reads that as
false, as a FILTER does. The values are the closures' (``expressions``:
``_equal``, ``_comparable``, ``_ebv``, the functions), called from the
source, so that both ways give one answer. Any other conjunct (``&&`` and
``||`` inside it, ``BOUND``, ``IF``, an EXISTS of more, a variable the BGP
does not bind) stays a closure: ``condition`` gives None."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Literal as RdflibLiteral
from rdflib import URIRef, Variable

from gpai_kg.reasoning.compiled.algebra import Node
from gpai_kg.reasoning.compiled.expressions import _FUNCTIONS, _RELATIONS, _comparable, _ebv, _equal
from gpai_kg.reasoning.compiled.terms import FALSE, TRUE, Lit, term_of_rdflib

Constant = Callable[[object], str]  # a term or function to the name the nest's source calls it by


class Condition:
    """A condition's ``variables``; its ``source`` for the nest's local names of those bound (a variable
    without one: any term, of an EXISTS); whether it ``raises`` ``EvalError`` (an error: false)."""

    def __init__(self, variables: set[str], source: Callable[[dict[str, str], Constant], str], raises: bool):
        self.variables, self.source, self.raises = frozenset(variables), source, raises


def condition(conjunct, bound_by_triples: set[str], one_triple: Callable) -> Condition | None:
    """The conjunct as a condition of the nest of a BGP binding ``bound_by_triples``, or None where it stays
    a closure (``one_triple``: of an EXISTS, its pattern's ``_Pattern`` if it is one triple, else None)."""
    if isinstance(conjunct, Node) and conjunct.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        pattern = one_triple(conjunct)
        return None if pattern is None else _exists(pattern, conjunct.name == "Builtin_EXISTS", bound_by_triples)
    variables: set[str] = set()
    if _writable(conjunct, variables) and variables <= bound_by_triples:
        return Condition(variables, lambda local, constant: _bool(conjunct, local, constant), True)
    return None


def _exists(pattern, wanted: bool, bound_by_triples: set[str]) -> Condition | None:
    sn, pn, on, p = pattern.sn, pattern.pn, pattern.on, pattern.p
    if pn is not None and (pn not in bound_by_triples or pn in (sn, on)):  # a predicate the nest does not bind
        return None
    if (p is None and pn is None) or (sn is not None and sn == on):  # a path; ?x p ?x
        return None

    def source(local: dict[str, str], constant: Constant) -> str:
        s = constant(pattern.sc) if sn is None else local.get(sn)
        o = constant(pattern.oc) if on is None else local.get(on)
        predicate = constant(p) if pn is None else local[pn]
        if s is not None and o is not None:
            test = f"{o} in spo({s}, EMPTY).get({predicate}, ())"
        elif s is not None:
            test = f"spo({s}, EMPTY).get({predicate})"
        elif o is not None:
            test = f"pos({predicate}, EMPTY).get({o})"
        else:
            test = f"pos({predicate})"
        return f"({test})" if wanted else f"not ({test})"
    return Condition({n for n in (sn, pn, on) if n is not None}, source, False)


_TESTS = ("RelationalExpression", "UnaryNot", "Builtin_isIRI", "Builtin_isURI", "Builtin_isLITERAL")


def _writable(e, variables: set[str]) -> bool:
    """Whether the expression is of those this module writes (collecting its ``variables``)."""
    if isinstance(e, Variable):
        variables.add(str(e))
        return True
    if isinstance(e, URIRef | RdflibLiteral):
        return True
    if not isinstance(e, Node):
        return False
    if e.name == "RelationalExpression":  # not IN: an error of one option is not the whole's
        return (e.op in _RELATIONS or e.op in ("=", "!=")) and _writable(e.expr, variables) and \
            _writable(e.other, variables)
    if e.name == "UnaryNot":
        return _writable(e.expr, variables)
    if e.name in ("Builtin_isIRI", "Builtin_isURI", "Builtin_isLITERAL"):
        return _writable(e.arg, variables)
    if e.name == "Function":
        return str(e.iri) in _FUNCTIONS and not e.distinct and all(_writable(x, variables) for x in e.expr)
    return False


def _bool(e, local: dict[str, str], constant: Constant) -> str:
    """The source of the expression's effective boolean value (which raises where it has none)."""
    if isinstance(e, Node) and e.name in _TESTS:
        if e.name == "UnaryNot":
            return f"not {_bool(e.expr, local, constant)}"
        if e.name == "RelationalExpression":
            left, right = _term(e.expr, local, constant), _term(e.other, local, constant)
            if e.op in ("=", "!="):
                return f"{'' if e.op == '=' else 'not '}{constant(_equal)}({left}, {right})"
            return f"{constant(_RELATIONS[e.op])}(*{constant(_comparable)}({left}, {right}))"
        kind = str if e.name in ("Builtin_isIRI", "Builtin_isURI") else Lit
        return f"isinstance({_term(e.arg, local, constant)}, {constant(kind)})"
    return f"{constant(_ebv)}({_term(e, local, constant)})"


def _term(e, local: dict[str, str], constant: Constant) -> str:
    """The source of the expression's term."""
    if isinstance(e, Variable):
        return local[str(e)]
    if isinstance(e, URIRef | RdflibLiteral):
        return constant(term_of_rdflib(e))
    if e.name == "Function":
        return f"{constant(_FUNCTIONS[str(e.iri)])}({', '.join(_term(x, local, constant) for x in e.expr)})"
    return f"({constant(TRUE)} if {_bool(e, local, constant)} else {constant(FALSE)})"
