"""The comparisons of the law's thresholds, as SPARQL functions the rules call.

A threshold node says how a value is compared with it (``gpai:comparison
"greaterThan"``: Article 51(2) "greater than 10^25"; ``"greaterThanOrEqual"``:
Annex XIII, point (f) "at least 10 000"). A rule reads that word from the node
and lets ``gpai:holds(value, comparison, bound)`` decide, so the comparator is
data, never a ``>`` typed into the rule; a rule that concludes from a failed
comparison states ``gpai:complement(comparison)``. Explanations show the
symbol (``SYMBOLS``).
"""

from __future__ import annotations

import operator

import pyoxigraph as ox

GPAI = "https://w3id.org/gpai-kg/ontology#"
HOLDS = GPAI + "holds"
COMPLEMENT = GPAI + "complement"

#: comparison word -> (Python operator, symbol, complement)
COMPARISONS = {
    "greaterThan": (operator.gt, ">", "lessThanOrEqual"),
    "greaterThanOrEqual": (operator.ge, ">=", "lessThan"),
    "lessThan": (operator.lt, "<", "greaterThanOrEqual"),
    "lessThanOrEqual": (operator.le, "<=", "greaterThan"),
    "notIn": (None, "not in", "in"),
    "in": (None, "in", "notIn"),
}
SYMBOLS = {word: symbol for word, (_, symbol, _) in COMPARISONS.items()}


def _number(term) -> float | None:
    try:
        return float(term.value)
    except (AttributeError, ValueError):
        return None


def holds(value, comparison, bound):
    """``gpai:holds``: whether ``value comparison bound`` (numbers); unbound
    (an error, in SPARQL terms) for anything else."""
    test = COMPARISONS.get(getattr(comparison, "value", None), (None,))[0]
    left, right = _number(value), _number(bound)
    if test is None or left is None or right is None:
        return None
    return ox.Literal("true" if test(left, right) else "false",
                      datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


def complement(comparison):
    """``gpai:complement``: the comparison that holds exactly when this one fails."""
    found = COMPARISONS.get(getattr(comparison, "value", None))
    return ox.Literal(found[2]) if found else None


#: For pyoxigraph's ``Store.query(custom_functions=...)``.
OX_FUNCTIONS = {ox.NamedNode(HOLDS): holds, ox.NamedNode(COMPLEMENT): complement}


def register_for_rdflib() -> None:
    """The same functions for rdflib's SPARQL engine (the naive oracle)."""
    from rdflib import Literal, URIRef
    from rdflib.plugins.sparql.operators import register_custom_function

    def wrap(fn):
        def call(*args):
            out = fn(*(ox.Literal(str(a)) for a in args))
            if out is None:
                raise ValueError("not comparable")
            if out.datatype.value.endswith("#boolean"):
                return Literal(out.value == "true")
            return Literal(out.value)
        return call

    for iri, fn in ((HOLDS, holds), (COMPLEMENT, complement)):
        register_custom_function(URIRef(iri), wrap(fn), override=True)
