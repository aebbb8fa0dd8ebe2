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

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import pyoxigraph as ox

from gpai_kg.namespaces import GPAI
from gpai_kg.reasoning.answers import ANSWER_CLASSES, ANSWER_PROPERTIES, Answers
from gpai_kg.reasoning.comparisons import OX_FUNCTIONS
from gpai_kg.reasoning.derive import ANSWERS_GRAPH, P_MISSING, TYPED_GRAPH, UNDETERMINED, Deriver, insert, solutions
from gpai_kg.reasoning.description import ModelDescription
from gpai_kg.reasoning.engine import Run, derivers, law_store
from gpai_kg.reasoning.facts import description_ntriples, description_triples
from gpai_kg.reasoning.law import closed_law, predicates_read, read_by_rules
from gpai_kg.reasoning.rules import Rule, rules, strata

_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_TYPE_NODE = ox.NamedNode(_TYPE)


class _Batch:
    """The store of one batch, and what each of its assessments concluded."""

    def __init__(self, descriptions: Sequence[ModelDescription], as_of: date):
        self.runs: dict[str, Run] = {}
        self.by_model: dict[str, Run] = {}
        self.described: set[str] = set()  # the models and their originals
        self.seen: set = set()
        self.used, self.classes = read_by_rules()
        self.store = law_store(as_of)
        kept: list[ox.Triple] = []
        for description in descriptions:
            model, assessment, stated = description_triples(description, as_of)
            if model in self.by_model:
                raise ValueError(f"two models of one batch have the IRI {model}")
            run = Run(model, assessment, as_of, "fast", stated, [])
            self.runs[assessment] = self.by_model[model] = run
            self.described.update((model, f"{model}/original"))
            self.seen.update(stated)
            kept += [t for t in stated if self._read(t)]
        self._add(kept)

    def _add(self, triples: list[ox.Triple]) -> None:
        """Into the store, as N-Triples parsed there (a pyoxigraph Quad per triple costs more)."""
        if triples:
            self.store.load(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES)

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
        typed, kept = set(), []
        for run, t in found:
            if t in self.seen:
                continue
            self.seen.add(t)
            run._inferred.append(t)
            if t.predicate.value == _TYPE and t.subject.value == run.model:
                typed.add(run.assessment)
            if self._read(t):
                kept.append(t)
        self._add(kept)
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


# ------------------------------------------------ the answers alone, in the store

@lru_cache(maxsize=1)
def answering() -> frozenset[str]:
    """The rules the answers rest on: every rule concluding a class or an open
    question, those concluding a property the answers read
    (``ANSWER_PROPERTIES``), and in turn those concluding a property these
    read -- not the notes, the supervision, the exemptions that do not apply
    or the words of a time limit. A rule that reads a property through
    ``gpai:onProperty`` (the conditions of an exemption) reads the properties
    the law names with it."""
    law = closed_law()
    named_by_law = {str(o) for props in law.index.values() for o in props.get(str(GPAI.onProperty), ())}
    candidates = [(rule, Deriver(rule)) for rule in rules() if rule.is_select]
    needed, kept = set(ANSWER_PROPERTIES), set()
    while True:
        more = [rule for rule, deriver in candidates if rule.iri not in kept and (
            rule.concludes == UNDETERMINED or deriver.class_conclusion
            or needed & {deriver.predicate, *rule.also_states})]
        if not more:
            return frozenset(kept)
        for rule in more:
            kept.add(rule.iri)
            reads = predicates_read(rule.text(None))
            needed |= reads | (named_by_law if str(GPAI.onProperty) in reads else set())


def statements_read() -> frozenset[str]:
    """The predicates whose statements some rule reads (``?s rdf:predicate gpai:hasObligation``)."""
    found = re.findall(r"rdf:predicate\s+(\S+)", " ".join(rule.text(None) for rule in rules()))
    if any(name.startswith(("?", "$")) for name in found):  # a statement of any predicate
        return read_by_rules()[0]
    return frozenset(str(GPAI) + name.split(":", 1)[1] if name.startswith("gpai:") else name.strip("<>")
                     for name in found)


@lru_cache(maxsize=1)
def answer_updates() -> list[list[str]]:
    """The rules the answers rest on (``answering``), stratum by stratum, as
    updates (``derive.insert``), and cax-sco after each stratum that may type
    a model, as one update over the classes the stratum gave (its rules put
    them in ``TYPED_GRAPH`` too, which it then drops): the superclasses of the
    classes a model had before were added then, and the closed hierarchy is
    transitive, so it adds what the fast path's cax-sco over all of the
    model's classes adds."""
    reads, reified, needed = read_by_rules(), statements_read(), answering()
    groups, after = strata()
    groups = [[rule for rule in group if rule.iri in needed] for group in groups]
    updates = [[insert(rule, reads, reified) for rule in group] for group in groups]
    (cax,) = after
    closing = (re.sub(r"\bCONSTRUCT\b", "INSERT", cax.text(None), count=1).replace(
        "WHERE {", f"WHERE {{ GRAPH <{TYPED_GRAPH}> {{ ?x a ?class }}", 1) + f";\nDROP SILENT GRAPH <{TYPED_GRAPH}>")
    typing = [any(Deriver(rule).class_conclusion for rule in group) for group in groups]
    return [u + ([closing] if t else []) for u, t in zip(updates, typing)]


def answer_batch(descriptions: Sequence[ModelDescription], as_of: date) -> list[Answers]:
    """The answers of a batch of models, without explanations: the same rules
    in the same strata, each one SPARQL update over the batch's store
    (``gpai_kg.reasoning.derive.insert``: the conclusions later rules read,
    no PROV-O), so nothing crosses into Python until the answers are read,
    once per batch. One ``Answers`` per description, in their order."""
    store = law_store(as_of)
    found: dict[str, Answers] = {}
    text = []
    for description in descriptions:
        model, assessment, stated = description_ntriples(description, as_of)
        if model in found:
            raise ValueError(f"two models of one batch have the IRI {model}")
        found[model] = Answers(model, assessment)
        text.append(stated)
    store.load("".join(text).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    for group in answer_updates():
        for update in group:
            store.update(update, custom_functions=OX_FUNCTIONS)
    for cls in ANSWER_CLASSES:
        for quad in store.quads_for_pattern(None, _TYPE_NODE, ox.NamedNode(cls), ox.DefaultGraph()):
            if (answers := found.get(quad.subject.value)) is not None:
                answers.types.add(cls)
    for prop, field_name in ANSWER_PROPERTIES.items():
        for quad in store.quads_for_pattern(None, ox.NamedNode(prop), None, ox.DefaultGraph()):
            if (answers := found.get(quad.subject.value)) is not None:
                getattr(answers, field_name).add(quad.object.value)
    by_assessment = {a.assessment: a for a in found.values()}
    for quad in store.quads_for_pattern(None, ox.NamedNode(P_MISSING.value), None, ox.NamedNode(ANSWERS_GRAPH)):
        by_assessment[quad.subject.value].missing.add(quad.object.value)
    return list(found.values())
