"""The rules' queries compiled to Python, evaluated set at a time over an
in-memory index: the engine of the answers alone (``gpai_kg.reasoning.batch``).

Each rule's SPARQL is parsed once by rdflib (``algebra``: its algebra kept as
JSON in the on-disk cache, so later starts skip the parse) and turned into
Python closures (``patterns``, ``expressions``): BGP, Join, LeftJoin, Union,
Filter, Extend, Project, Distinct, VALUES, a COUNT subquery, property paths.
No rdflib runs while the rows are reasoned. A closure maps a list of
solutions to a list of solutions (dicts: variable -> term), so a rule is
evaluated once over every model of a chunk, each step a list comprehension
of index lookups; a BGP joins its triples in the order of the fewest
solutions, chosen as it runs, as one loop nest written for that order
(``joins``), with the conditions of the FILTERs over it that can be written
as Python tested in the nest where what they read is bound, and the
constants of its BINDs written into the solutions it makes
(``conditions``); an OPTIONAL runs once over all the solutions it extends, an
EXISTS once for each distinct binding of the variables it names. Terms (``terms``): an IRI is a ``str``, a literal a ``Lit``, a
blank node a ``BNode``.

The semantics are SPARQL 1.1's where the rules need them, read as pyoxigraph
(the per-model engine) reads them: numeric, date and string comparisons with
type errors (a FILTER on an error fails, a BIND of one leaves its variable
unbound), ``=`` of literals of different kinds false, ``&&`` and ``||`` on
errors, effective boolean values, ``xsd:date`` plus ``xsd:dayTimeDuration``,
numeric type promotion, substitution for ``NOT EXISTS``, and the project's
functions ``gpai:holds`` and ``gpai:complement``
(``gpai_kg.reasoning.comparisons``). A construct the rules do not use is
refused when the rule is compiled (``Unsupported``), never guessed. The
oracles: pyoxigraph construct by construct (``tests/test_compiled.py``), the
explained assessment rule by rule (``tests/test_batch.py``,
``benchmarks/check_answers.py``).
"""

from __future__ import annotations

from functools import cache

from rdflib import Variable
from rdflib.paths import Path

from gpai_kg.reasoning.compiled.algebra import Node, algebra
from gpai_kg.reasoning.compiled.patterns import Compiler
from gpai_kg.reasoning.compiled.terms import BNode, Index, Lit, Op, Solutions, Unsupported, term_of_ox, term_of_rdflib

__all__ = ["BNode", "CompiledQuery", "Index", "Lit", "Unsupported", "compiled", "term_of_ox"]


class CompiledQuery:
    """A rule's query, compiled: ``solve(index, seeds)`` gives its solutions
    that extend the seed solutions (a SELECT's); ``construct`` the triples of
    a CONSTRUCT's template."""

    def __init__(self, name: str, text: str):
        query = algebra(text)
        self.kind = query.name
        self.solve: Op = Compiler(name).pattern(query.p)
        self.template = [tuple(_template_term(x) for x in t) for t in query.template] \
            if query.name == "ConstructQuery" else []
        #: the triple patterns every solution matches (of the BGPs joined, not optional, in no UNION or
        #: EXISTS), as (subject, predicate, object): a variable its name, a constant the term
        self.required = frozenset(tuple(str(x) if isinstance(x, Variable) else term_of_rdflib(x) for x in t)
                                  for t in _required(query.p) if not any(isinstance(x, Path) for x in t))

    def construct(self, index: Index, seeds: Solutions) -> list[tuple]:
        out, template = [], self.template
        for b in self.solve(index, seeds):
            get = b.get
            for (vs, s), (vp, p), (vo, o) in template:
                triple = (get(s) if vs else s, get(p) if vp else p, get(o) if vo else o)
                if None not in triple:
                    out.append(triple)
        return out


def _required(node) -> list[tuple]:
    """The triples of the BGPs every solution of a pattern matches."""
    if not isinstance(node, Node):
        return []
    if node.name == "BGP":
        return list(node.triples)
    if node.name == "Join":
        return _required(node.p1) + _required(node.p2)
    if node.name in ("LeftJoin", "Filter", "Extend", "Project", "Distinct"):  # not a subquery's (ToMultiSet)
        return _required(node.p1 if node.name == "LeftJoin" else node.p)
    return []


def _template_term(x) -> tuple[bool, object]:
    if isinstance(x, Variable):
        return True, str(x)
    return False, term_of_rdflib(x)


@cache
def compiled(name: str, text: str) -> CompiledQuery:
    """A rule's query (``name``: the rule's, for errors), compiled once."""
    return CompiledQuery(name, text)
