"""Set-at-a-time: the rules over a batch of models in one store, each rule
run once for the whole batch instead of once per model.

The fast path (``gpai_kg.reasoning.engine.run_fast``) gives each model a
store and runs every rule with the assessment bound. Here one store holds the
closed law once and every model of the batch; each rule runs with ``?a`` left
a variable (``Rule.text(None)``), so one evaluation finds the solutions of
every assessment, and ``gpai_kg.reasoning.derive`` turns each into the same
conclusion, statement and PROV-O as the fast path would, told apart by the
solution's ``?a``. The strata and their order are the fast path's; after a
stratum, cax-sco runs for the assessments whose model it gave a class (the
fast path's rule, model by model: ``VALUES ?a``). ``gpai:requires`` is not
read: a rule with nothing to find costs one probe, and the naive path (the
oracle) does not read it either.

The models' nodes are apart because their IRIs are (statements and facts are
minted under the model's and the assessment's): two descriptions of one IRI
in a batch are refused. Into the store go only the triples some rule may read:
those about a model or its original, and the others of the predicates and
classes the queries name (``law.read_by_rules``); the PROV-O records stay in
Python. Each model's ``Run`` is the fast path's, triple
for triple (``tests/test_batch.py``), so ``read_assessment`` reads it the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pyoxigraph as ox

from gpai_kg.reasoning.comparisons import OX_FUNCTIONS
from gpai_kg.reasoning.derive import solutions
from gpai_kg.reasoning.description import ModelDescription
from gpai_kg.reasoning.engine import Run, derivers, law_store
from gpai_kg.reasoning.facts import description_triples
from gpai_kg.reasoning.law import read_by_rules
from gpai_kg.reasoning.rules import Rule, strata

_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class _Batch:
    """The store of one batch, and what each of its assessments concluded."""

    def __init__(self, descriptions: Sequence[ModelDescription], as_of: date):
        self.runs: dict[str, Run] = {}
        self.by_model: dict[str, Run] = {}
        self.described: set[str] = set()  # the models and their originals
        self.seen: set = set()
        self.used, self.classes = read_by_rules()
        self.store = law_store(as_of)
        quads = []
        for description in descriptions:
            model, assessment, stated = description_triples(description, as_of)
            if model in self.by_model:
                raise ValueError(f"two models of one batch have the IRI {model}")
            run = Run(model, assessment, as_of, "fast", stated, [])
            self.runs[assessment] = self.by_model[model] = run
            self.described.update((model, f"{model}/original"))
            self.seen.update(stated)
            quads += [ox.Quad(t.subject, t.predicate, t.object) for t in stated if self._read(t)]
        self.store.extend(quads)

    def _read(self, t: ox.Triple) -> bool:
        """Whether some rule may read the triple (else it stays out of the store): every triple
        about a model or its original (a rule may read its properties through a variable:
        ``?m ?property ?expected``), and of the others those of a predicate, and of rdf:type
        a class, that some rule names."""
        s, p = t.subject.value, t.predicate.value
        if s in self.described:
            return True
        return p in self.used and (p != _TYPE or t.object.value in self.classes)

    def apply(self, rule: Rule, only: set[str] | None = None) -> set[str]:
        """Run one rule over the batch (``only``: these assessments); add what
        is new. Returns the assessments whose model it gave a class."""
        text = rule.text(None)
        if only is not None:
            values = " ".join(f"<{a}>" for a in sorted(only))
            text = text.replace("WHERE {", f"WHERE {{ VALUES ?a {{ {values} }}", 1)
        results = self.store.query(text, custom_functions=OX_FUNCTIONS)
        if rule.is_select:
            deriver = derivers()[rule.iri]
            found = [(self.runs[row["a"].value], t) for row in solutions(results) for t in deriver.derive(row, None)]
        else:
            found = [(self.by_model[t.subject.value], t) for t in results]
        typed, quads = set(), []
        for run, t in found:
            if t in self.seen:
                continue
            self.seen.add(t)
            run._inferred.append(t)
            if t.predicate.value == _TYPE and t.subject.value == run.model:
                typed.add(run.assessment)
            if self._read(t):
                quads.append(ox.Quad(t.subject, t.predicate, t.object))
        if quads:
            self.store.extend(quads)
        return typed


def run_batch(descriptions: Sequence[ModelDescription], as_of: date) -> list[Run]:
    """Assess a batch of models at once (see the module docstring): one
    ``Run`` per description, in their order, each the fast path's."""
    batch = _Batch(descriptions, as_of)
    groups, after = strata()
    for group in groups:
        typed: set[str] = set()
        for rule in group:
            typed |= batch.apply(rule)
        if typed:
            for rule in after:
                batch.apply(rule, typed)
    return list(batch.runs.values())
