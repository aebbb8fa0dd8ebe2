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

The answers alone (``answer_batch``) run the same rules, those the answers
rest on (``answering``), compiled to Python (``gpai_kg.reasoning.compiled``)
over one in-memory index of the law and the batch, with no explanations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache

import pyoxigraph as ox

from gpai_kg.namespaces import GPAI
from gpai_kg.reasoning.answers import ANSWER_CLASSES, ANSWER_PROPERTIES, Answers
from gpai_kg.reasoning.comparisons import OX_FUNCTIONS
from gpai_kg.reasoning.compiled import CompiledQuery, Index, compiled, term_of_ox
from gpai_kg.reasoning.derive import UNDETERMINED, Conclusion, Deriver, is_class, solutions
from gpai_kg.reasoning.description import ModelDescription
from gpai_kg.reasoning.engine import Run, derivers, law_store
from gpai_kg.reasoning.facts import COMPILED_TERMS, description_terms, description_triples
from gpai_kg.reasoning.law import closed_law, predicates_read, read_by_rules
from gpai_kg.reasoning.rules import Rule, rules, strata

_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_ASSESSED = ("a", str(GPAI.assessedModel), "m")  # the triple pattern ?a gpai:assessedModel ?m


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
def answer_rules() -> tuple[list[list[tuple[Rule, CompiledQuery, Conclusion]]], CompiledQuery]:
    """The rules the answers rest on (``answering``), stratum by stratum,
    compiled (``gpai_kg.reasoning.compiled``), each with what it concludes;
    and cax-sco, compiled, for after each stratum that typed a model."""
    needed, reads, reified = answering(), read_by_rules(), statements_read()
    groups, after = strata()
    compiled_groups = [[(rule, compiled(rule.name, rule.text(None)), Conclusion(rule, reads, reified))
                        for rule in group if rule.iri in needed] for group in groups]
    (cax,) = after
    return [group for group in compiled_groups if group], compiled(cax.name, cax.text(None))


@lru_cache(maxsize=8)
def law_index(as_of: date) -> Index:
    """What the rules read of the law on ``as_of`` (``law_store``'s), as the compiled rules' index."""
    index = Index()
    index.add_all((term_of_ox(q.subject), term_of_ox(q.predicate), term_of_ox(q.object)) for q in law_store(as_of))
    return index


def answer_batch(descriptions: Sequence[ModelDescription], as_of: date) -> list[Answers]:
    """The answers of a batch of models, without explanations: the same rules
    in the same strata as the per-model engine, compiled
    (``gpai_kg.reasoning.compiled``) and each evaluated once over the whole
    batch, in one index holding the law and every model, so no RDF store or
    rdflib runs per row. A rule runs for the models with what its node
    ``gpai:requires`` (the per-model engine skips it for the others); after a
    stratum, cax-sco for the models it gave a class (``_closing``). One
    ``Answers`` per description, in their order."""
    index = law_index(as_of).copy()
    found: dict[str, Answers] = {}
    for description in descriptions:
        model, assessment, stated = description_terms(description, as_of, COMPILED_TERMS)
        if model in found:
            raise ValueError(f"two models of one batch have the IRI {model}")
        found[model] = Answers(model, assessment)
        index.add_all(stated)
    missing: dict[str, set[str]] = {a.assessment: a.missing for a in found.values()}
    every = {by_model: _seeds(found.values(), by_model) for by_model in (False, True)}
    groups, cax = answer_rules()
    closed: set[str] = set()  # the assessments whose model's classes cax-sco has closed
    known: dict[str, tuple[int, set]] = {}  # what rules require, found (``_subjects``)
    for group in groups:
        typed: set[tuple[str, str]] = set()
        for rule, query, conclusion in group:
            # a rule whose every solution is of ?a gpai:assessedModel ?m starts with ?m bound, as that
            # triple binds it: one lookup each, not one solution made each (the answers are the same)
            by_model = _ASSESSED in query.required
            seeds = _seeds(_having(index, found, rule.requires, known), by_model) if rule.requires else \
                every[by_model]
            conclusion.add(index, query.solve(index, seeds), typed, missing)
        if typed:
            index.add_all(cax.construct(index, _closing(typed, closed)))
    for cls in ANSWER_CLASSES:
        for model in index.subjects(_TYPE, cls):
            if (answers := found.get(model)) is not None:
                answers.types.add(cls)
    for prop, field_name in ANSWER_PROPERTIES.items():
        for obj, subjects in index.pos.get(prop, {}).items():
            for model in subjects:
                if (answers := found.get(model)) is not None:
                    getattr(answers, field_name).add(obj)
    return list(found.values())


def _closing(typed: set[tuple[str, str]], closed: set[str]) -> list[dict]:
    """The seeds of cax-sco after a stratum: a model closed before needs the
    superclasses of its new classes only (those of the others were added
    then, and the law's hierarchy is closed, so transitive); one typed for
    the first time, those of all its classes, as the per-model engine's
    cax-sco adds."""
    seeds = [{"a": a, "class": cls} for a, cls in typed if a in closed]
    first = {a for a, _ in typed if a not in closed}
    closed |= first
    return seeds + [{"a": a} for a in first]


def _seeds(answers: Iterable[Answers], by_model: bool) -> list[dict]:
    """The seed solutions of these assessments: ``?a`` bound (``by_model``: and ``?m``)."""
    return [{"a": a.assessment, "m": a.model} if by_model else {"a": a.assessment} for a in answers]


def _having(index: Index, found: dict[str, Answers], required: tuple[str, ...],
            known: dict[str, tuple[int, set]]) -> list[Answers]:
    """The assessments of the models with what a rule ``gpai:requires``: each class, and some value of each
    property (``known``: those found before, for this index)."""
    having: set | None = None
    for iri in required:
        subjects = _subjects(index, iri, known)
        having = subjects if having is None else having & subjects
    return [found[m] for m in having or () if m in found]


def _subjects(index: Index, iri: str, known: dict[str, tuple[int, set]]) -> set:
    """The subjects of a class, or of some value of a property, found again only if the index holds more
    of its triples than when they were last found (it grows and never shrinks: its count says whether)."""
    of_class = is_class(iri)
    by_object = index.subjects(_TYPE, iri) if of_class else index.pos.get(iri, {})
    count = len(by_object) if of_class else sum(map(len, by_object.values()))
    before = known.get(iri)
    if before is not None and before[0] == count:
        return before[1]
    subjects = set(by_object) if of_class else {s for ss in by_object.values() for s in ss}
    known[iri] = count, subjects
    return subjects
