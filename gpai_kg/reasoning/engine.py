"""The engines: the rules of ``data/curated/rules.ttl`` over one described
model, in their order, on one of two paths that must conclude the same.

- **fast** (``run_fast``), used by ``assess`` and ``screen``: a small
  pyoxigraph store seeded with the closed law the rules read
  (``gpai_kg.reasoning.law``) and the model; each rule runs with the assessment
  bound, its derivations (``gpai_kg.reasoning.derive``) are added; the values
  of the law in force on the date (``gpai_kg.reasoning.dated_values``) are
  stated first, on both paths; after each
  stratum that gave the model a class, the OWL 2 RL rule cax-sco (itself a
  rule) adds the superclasses from the closed hierarchy. A rule is skipped
  when the model lacks what its node ``gpai:requires``.
- **naive** (``run_naive``), the baseline and the oracle: the whole graph
  (``store.load_graph()``), the model, owlrl's full OWL-RL closure, then the
  same rules with rdflib. ``benchmarks/bench_assess.py`` times it;
  ``tests/test_property.py`` checks that both paths give the same obligations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF

from gpai_kg.namespaces import GPAI
from gpai_kg.reasoning.comparisons import OX_FUNCTIONS, register_for_rdflib
from gpai_kg.reasoning.derive import Deriver, solutions
from gpai_kg.reasoning.description import ModelDescription
from gpai_kg.reasoning.facts import as_rdflib, description_triples
from gpai_kg.reasoning.law import closed_law
from gpai_kg.reasoning.rules import Rule, rules, strata
from gpai_kg.reasoning.terms import (
    Index,
    named,
    term_of_ox,
    term_of_rdflib,
    to_ox,
    to_rdflib,
)

_RDF_TYPE = ox.NamedNode(str(RDF.type))


@dataclass
class Run:
    """What one assessment stated and concluded. ``index`` is the explanations'
    view; ``asserted`` and ``inferred`` are the two graphs as rdflib triples
    (``stated``: the asserted ones as pyoxigraph made them)."""

    model: str
    assessment: str
    as_of: date
    engine: str
    stated: list[ox.Triple] = field(repr=False)
    _inferred: list = field(repr=False)

    @cached_property
    def asserted(self) -> list[tuple]:
        return as_rdflib(self.stated)

    @cached_property
    def inferred(self) -> list[tuple]:
        if self.engine == "fast":
            return as_rdflib(self._inferred)
        return list(self._inferred)

    @cached_property
    def index(self) -> Index:
        index: Index = {}
        iri = ox.NamedNode
        for t in (*self.stated, *self._inferred) if self.engine == "fast" else self.stated:
            s, o = t.subject, t.object  # IRIs inline, literals once: this runs for every triple screened
            index.setdefault(s.value if type(s) is iri else term_of_ox(s), {}).setdefault(
                t.predicate.value, []).append(o.value if type(o) is iri else _literal(o))
        if self.engine != "fast":
            for s, p, o in self._inferred:
                index.setdefault(term_of_rdflib(s), {}).setdefault(str(p), []).append(term_of_rdflib(o))
        return index

    def obligations(self) -> set[str]:
        """The IRIs of the obligations concluded (``gpai:hasObligation``)."""
        return set(self.index.get(self.model, {}).get(str(GPAI.hasObligation), []))


_literal = lru_cache(maxsize=65536)(term_of_ox)  # a literal's index term (Lit is immutable)


@lru_cache(maxsize=1)
def derivers() -> dict[str, Deriver]:
    return {rule.iri: Deriver(rule) for rule in rules() if rule.is_select}


def conclusions(rule: Rule, results, assessment: str | None) -> list[ox.Triple]:
    """The triples a rule's results conclude: a SELECT's derivations, or a
    CONSTRUCT's triples as they are (cax-sco)."""
    if not rule.is_select:
        return list(results)
    deriver = derivers()[rule.iri]
    return [t for row in solutions(results) for t in deriver.derive(row, assessment)]


# ------------------------------------------------------------ the fast path

def _apply_fast(store: ox.Store, rule: Rule, assessment: str, model: ox.NamedNode,
                seen: set, inferred: list, has: set) -> bool:
    """Run one rule; add its new triples to the store. ``has`` holds what the
    model has (its properties, and its classes): the rule is skipped when it
    lacks one the rule requires (``gpai:requires``). True if the rule gave the
    model a class."""
    if not has.issuperset(rule.requires):
        return False
    typed = False
    new = []
    for triple in conclusions(rule, store.query(rule.text(assessment), custom_functions=OX_FUNCTIONS), assessment):
        if triple not in seen:
            seen.add(triple)
            new.append(triple)
            if triple.subject == model:
                if triple.predicate == _RDF_TYPE:
                    typed = True
                    has.add(triple.object.value)
                else:
                    has.add(triple.predicate.value)
    if new:
        store.extend([ox.Quad(t.subject, t.predicate, t.object) for t in new])
        inferred.extend(new)
    return typed


def law_store(as_of: date) -> ox.Store:
    """A store seeded with what the rules read of the law on ``as_of``: the
    fast path's for one model, the batch's for a chunk (one seeding for both)."""
    store = ox.Store()
    law = closed_law()
    store.extend(law.rule_quads)
    store.extend(law.quads_on(as_of))  # the values of the law in force on the date
    return store


def run_fast(description: ModelDescription, as_of: date) -> Run:
    """Assess one model on the fast path (see the module docstring)."""
    model, assessment, asserted = description_triples(description, as_of)
    store = law_store(as_of)
    store.extend([ox.Quad(t.subject, t.predicate, t.object) for t in asserted])
    groups, after = strata()
    model_node = named(model)
    seen = set(asserted)
    has = {t.object.value if t.predicate == _RDF_TYPE else t.predicate.value
           for t in asserted if t.subject == model_node}
    inferred: list = []
    for group in groups:
        typed = False
        for rule in group:
            typed = _apply_fast(store, rule, assessment, model_node, seen, inferred, has) or typed
        if typed:
            for rule in after:
                _apply_fast(store, rule, assessment, model_node, seen, inferred, has)
    return Run(model, assessment, as_of, "fast", asserted, inferred)


# ------------------------------------------------------------ the naive path

class _RdflibResults:
    """rdflib SELECT results in the shape ``derive.solutions`` reads."""

    def __init__(self, result):
        self.variables = [ox.Variable(str(v)) for v in result.vars]
        self._rows = [{str(k): to_ox(v) for k, v in row.asdict().items()} for row in result]

    def __iter__(self):
        for row in self._rows:
            yield _Row(row)


class _Row(dict):
    def __getitem__(self, name):
        return self.get(name)


def run_naive(description: ModelDescription, as_of: date) -> Run:
    """Assess one model the obvious way: the whole graph, the full OWL-RL
    closure with owlrl, then the same rules with rdflib (slow: seconds)."""
    import owlrl

    from gpai_kg.store.dataset import load_graph

    register_for_rdflib()
    graph = load_graph()
    model, assessment, stated = description_triples(description, as_of)
    for quad in closed_law().quads_on(as_of):  # the values of the law in force on the date
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    for triple in as_rdflib(stated):
        graph.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    groups, after = strata()
    inferred: list = []
    model_node = URIRef(model)

    def apply(rule: Rule) -> bool:
        typed = False
        result = graph.query(rule.text(assessment))
        found = (conclusions(rule, _RdflibResults(result), assessment) if rule.is_select
                 else [ox.Triple(*(to_ox(t) for t in triple)) for triple in result])
        for t in found:
            triple = (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
            if triple not in graph:
                graph.add(triple)
                inferred.append(triple)
                typed = typed or (triple[0] == model_node and triple[1] == RDF.type)
        return typed

    for group in groups:
        typed = False
        for rule in group:
            typed = apply(rule) or typed
        if typed:
            for rule in after:
                apply(rule)
    return Run(model, assessment, as_of, "naive", stated, inferred)
