"""What a rule's solution concludes, and why: the engine's side of every rule.

A rule (``gpai_kg.reasoning.rules``) is a SPARQL SELECT that holds only the
law. Each of its solutions is one derivation; this module writes it out as
RDF, the same way for every rule:

- the **conclusion**: ``?m <concludes> ?value`` (the rule node's
  ``gpai:concludes``: a class -- PascalCase, the project's naming rule -- gives
  ``?m rdf:type <class>``; a property takes ``gpai:concludedValue`` or the
  solution's ``?value``). ``gpai:concludesOn gpai:Assessment`` puts it on the
  assessment ``?a``; ``gpai:concludesOn <property>`` on the statement of that
  property (``gpai:dueDate`` on "the model has this obligation"). A rule whose
  node concludes ``gpai:Undetermined`` states an open question
  (``gpai:openQuestion``) instead, with the missing facts;
- its **statement**, a ``gpai:InferredStatement`` reifying it, and one
  ``gpai:Conclusion`` per rule that drew it, ``prov:wasGeneratedBy`` the rule
  and ``prov:wasDerivedFrom`` its premises.

The solution's variables name the premises by their role, the part of the
name before ``_`` or a digit (``?fact``, ``?fact_licence``, ``?fact2``):

==========================  =====================================================
``?m``                      the model the conclusion is about (``?a``: the assessment)
``?value``                  the concluded object (with a property in ``gpai:concludes``)
``?fact``                   an input key whose fact the conclusion rests on
                            (``"training_compute_flop"``, ``"modalities/text"``, ``"as_of"``)
``?tested``                 an input key whose fact was compared, with ``?testedValue``,
                            ``?comparator`` (a comparison word, ``gpai_kg.reasoning.comparisons``),
                            ``?bound`` and ``?note``
``?type``                   a class of the model concluded earlier (that statement is a premise)
``?<concluded property>``   the object of an earlier statement of that property about the
                            model (``?meetsCondition``, ``?primaFacieObligation``,
                            ``?hasObligation``; ``?actInForce``: whether the Act is in force)
``?law``                    a node of the law (threshold, obligation, deadline, exemption ...)
``?missing``                with ``gpai:Undetermined``: the input key of a missing fact
``?<also-stated property>`` a property of the node's ``gpai:alsoStates``: one more triple
                            ``?m <property> ?that`` (``?exemptedBy``)
any other                   a place of the note's sentence, for a rule concluding ``gpai:hasNote``,
                            or of the rule's ``gpai:sentence``
==========================  =====================================================

IRIs follow one pattern: facts ``<model>/fact/<key>`` (``<assessment>/fact/as_of``);
statements ``<assessment>/statement/<property>[/<object>]`` (the object's part
after ``/id/`` or ``#``; none for a literal), ``<statement>/<property>`` on a
statement, ``<assessment>/statement/undetermined/<question>``; conclusions
``<statement>/by/<rule>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

import pyoxigraph as ox

from gpai_kg.namespaces import GPAI
from gpai_kg.reasoning.comparisons import SYMBOLS
from gpai_kg.reasoning.rules import Rule, rules
from gpai_kg.reasoning.terms import fill, named, term_of_ox

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PROV = "http://www.w3.org/ns/prov#"
_G = str(GPAI)
T_TYPE, T_SUBJECT, T_PREDICATE, T_OBJECT = (named(_RDF + n) for n in ("type", "subject", "predicate", "object"))
P_SPECIALIZES, P_GENERATED, P_DERIVED = (named(_PROV + n) for n in
                                         ("specializationOf", "wasGeneratedBy", "wasDerivedFrom"))
C_STATEMENT, C_CONCLUSION, C_UNDETERMINED = (named(_G + n) for n in
                                             ("InferredStatement", "Conclusion", "Undetermined"))
P_IN, P_QUESTION, P_MISSING, P_NOTE_TEXT, P_SENTENCE = (named(_G + n) for n in (
    "inAssessment", "openQuestion", "missingFact", "noteText", "sentenceText"))
P_TESTED, P_VALUE, P_COMPARATOR, P_BOUND, P_NOTE = (named(_G + n) for n in
                                                    ("testedFact", "testedValue", "comparator", "testBound",
                                                     "testNote"))
UNDETERMINED = _G + "Undetermined"
ASSESSMENT = _G + "Assessment"
_ROLE = re.compile(r"^([A-Za-z]+?)(?:_\w*|\d+)?$")


def local(iri: str) -> str:
    """The key of a node in statement IRIs: after ``/id/`` (our individuals),
    else after ``#`` (classes and properties)."""
    if "/id/" in iri:
        return iri.split("/id/", 1)[1]
    return iri.rsplit("#", 1)[-1]


def statement_iri(assessment: str, predicate: str, obj=None, on: str | None = None) -> str:
    """The IRI of the statement ``subject predicate obj`` of an assessment
    (``on``: the statement it is about, for a property of a statement)."""
    base = on if on else f"{assessment}/statement"
    name = "type" if predicate == _RDF + "type" else local(predicate)
    if isinstance(obj, str):
        return f"{base}/{name}/{local(obj)}"
    return f"{base}/{name}"


def fact_iri(model: str, assessment: str, key: str) -> str:
    return f"{assessment}/fact/{key}" if key == "as_of" else f"{model}/fact/{key}"


@lru_cache(maxsize=1)
def concluded_properties() -> frozenset[str]:
    """The properties some rule concludes: the roles that name earlier statements."""
    return frozenset(local(r.concludes) for r in rules() if r.concludes and not _is_class(r.concludes))


def _is_class(iri: str) -> bool:
    name = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return name[:1].isupper()


@lru_cache(maxsize=1024)
def _role(var: str) -> str:
    """A variable's role: its name before ``_`` or a digit."""
    found = _ROLE.match(var)
    return found.group(1) if found else var


def _text(term) -> str:
    return term.value


class Deriver:
    """Writes the derivations of one rule (``derive``), for pyoxigraph terms."""

    def __init__(self, rule: Rule):
        self.rule = rule
        self.rule_node = named(rule.iri)
        self.statement_roles = concluded_properties() | {"type"}
        self.also = {local(p): named(p) for p in rule.also_states}
        self.class_conclusion = bool(rule.concludes) and _is_class(rule.concludes) and \
            rule.concludes != UNDETERMINED
        self.predicate = _RDF + "type" if self.class_conclusion else rule.concludes
        self.on = local(rule.concludes_on) if rule.concludes_on and rule.concludes_on != ASSESSMENT else ""

    def derive(self, row: Mapping[str, object], assessment: str | None) -> list[ox.Triple]:
        """The triples one solution concludes (``row``: variable name -> term)."""
        a = assessment or _text(row["a"])
        m = _text(row["m"])
        premises: list = []
        extra: list = []
        tested: list = []
        literals: list = []
        missing = []
        for var, term in row.items():
            role = _role(var)
            if role in ("fact", "tested"):
                fact = named(fact_iri(m, a, _text(term)))
                premises.append(fact)
                if role == "tested":
                    tested.append(fact)
            elif role == "law":
                premises.append(term)
            elif role in self.statement_roles:
                predicate = _RDF + "type" if role == "type" else _G + role
                obj = _text(term) if isinstance(term, ox.NamedNode) else None
                premises.append(named(statement_iri(a, predicate, obj)))
            elif role == "missing":
                missing.append(term)
            elif role in ("testedValue", "bound", "note"):
                literals.append(({"testedValue": P_VALUE, "bound": P_BOUND, "note": P_NOTE}[role], term))
            elif role == "comparator":
                literals.append((P_COMPARATOR, ox.Literal(SYMBOLS.get(term.value, term.value))))
            elif role in self.also:
                extra.append((self.also[role], term))
        out: list[ox.Triple] = []
        model = named(m)
        if self.rule.concludes == UNDETERMINED:
            question = self.rule.open_question
            statement = named(f"{a}/statement/undetermined/{local(question)}")
            out += [ox.Triple(statement, T_TYPE, C_STATEMENT), ox.Triple(statement, P_IN, named(a)),
                    ox.Triple(statement, T_SUBJECT, model), ox.Triple(statement, P_QUESTION, named(question))]
        else:
            if self.class_conclusion:
                obj = named(self.rule.concludes)
            elif self.rule.concluded_value:
                obj = named(self.rule.concluded_value)
            else:
                obj = row["value"]
            if self.rule.concludes_on == ASSESSMENT:
                subject, on = named(a), None
            elif self.on:
                on = statement_iri(a, _G + self.on, _text(row[self.on]))
                subject = named(on)
            else:
                subject, on = model, None
            predicate = named(self.predicate)
            statement = named(statement_iri(a, self.predicate, obj.value if isinstance(obj, ox.NamedNode) else None,
                                            on))
            out.append(ox.Triple(subject, predicate, obj))
            out += [ox.Triple(subject, p, o) for p, o in extra]
            out += [ox.Triple(statement, T_TYPE, C_STATEMENT), ox.Triple(statement, P_IN, named(a)),
                    ox.Triple(statement, T_SUBJECT, subject), ox.Triple(statement, T_PREDICATE, predicate),
                    ox.Triple(statement, T_OBJECT, obj)]
        conclusion = named(f"{statement.value}/by/{self.rule.name}")
        out.append(ox.Triple(conclusion, T_TYPE, C_CONCLUSION))
        if self.rule.concludes == UNDETERMINED:
            out.append(ox.Triple(conclusion, T_TYPE, C_UNDETERMINED))
        out += [ox.Triple(conclusion, P_SPECIALIZES, statement), ox.Triple(conclusion, P_GENERATED, self.rule_node)]
        out += [ox.Triple(conclusion, P_DERIVED, p) for p in premises]
        out += [ox.Triple(conclusion, P_TESTED, t) for t in tested]
        out += [ox.Triple(conclusion, p, o) for p, o in literals]
        out += [ox.Triple(conclusion, P_MISSING, t) for t in missing]
        for template, prop in ((self.rule.note_text, P_NOTE_TEXT), (self.rule.sentence, P_SENTENCE)):
            if template:
                text = fill(template, {k: term_of_ox(v) for k, v in row.items()})
                out.append(ox.Triple(conclusion, prop, ox.Literal(text)))
        return out


def solutions(results) -> Iterable[dict]:
    """pyoxigraph SELECT solutions as dicts of their bound variables."""
    names = [v.value for v in results.variables]
    for solution in results:
        yield {name: term for name in names if (term := solution[name]) is not None}


# ------------------------------------------------ the same, as one update over a store

#: The graph of a batch's store where the answers keep what no rule reads: ``?a gpai:missingFact ?missing``.
ANSWERS_GRAPH = "urn:gpai-kg:batch:answers"
#: The graph of a batch's store where a stratum's rules put the classes they gave (for cax-sco to close).
TYPED_GRAPH = "urn:gpai-kg:batch:typed"
_VARIABLE = re.compile(r"[?$](\w+)")
_SELECT = re.compile(r"^\s*SELECT\b", re.M)


def _local_of(variable: str) -> str:
    """``local`` of the IRI a variable holds, in SPARQL."""
    return (f'IF(CONTAINS(STR({variable}), "/id/"), STRAFTER(STR({variable}), "/id/"), '
            f'REPLACE(STR({variable}), "^.*#", ""))')


def _term(iri_or_variable: str) -> str:
    return iri_or_variable if iri_or_variable.startswith("?") else f"<{iri_or_variable}>"


def insert(rule: Rule, reads: tuple[frozenset[str], frozenset[str]], reified: frozenset[str]) -> str:
    """A SELECT rule as one SPARQL update over every assessment of a store
    (``?a`` a variable): INSERT the triples ``Deriver.derive`` writes of its
    solutions that some rule reads -- every triple about the model; of the
    others, those of the predicates and classes the rules name (``reads``,
    ``gpai_kg.reasoning.law.read_by_rules``), and a statement's ``rdf:subject``,
    ``rdf:predicate`` and ``rdf:object`` only if the rules read statements of
    its predicate (``reified``) -- minting the statements' IRIs as
    ``statement_iri`` does, and into ``ANSWERS_GRAPH`` the missing facts of an
    open question. No PROV-O: the conclusions' records are for explanations
    (``tests/test_batch.py`` checks the answers against ``derive``'s)."""
    used, classes = reads
    text = rule.text(None)
    at = _SELECT.search(text).start()
    names = set(_VARIABLE.findall(text[at:]))
    binds, triples, answers = [], [], []
    deriver = Deriver(rule)
    if rule.concludes == UNDETERMINED:
        question = rule.open_question
        binds.append(f'BIND (IRI(CONCAT(STR(?a), "/statement/undetermined/{local(question)}")) AS ?_statement)')
        triples += [("?_statement", _RDF + "type", str(C_STATEMENT.value)), ("?_statement", P_IN.value, "?a"),
                    ("?_statement", P_QUESTION.value, question)]  # no rdf:predicate: no rule reads it as a statement
        answers += [f"?a <{P_MISSING.value}> ?{name} ." for name in sorted(names) if _role(name) == "missing"]
    else:
        if deriver.class_conclusion:
            obj = rule.concludes
        else:
            obj = rule.concluded_value or "?value"
        if rule.concludes_on == ASSESSMENT:
            subject, base = "?a", 'STR(?a), "/statement"'
        elif deriver.on:
            binds.append(f'BIND (IRI(CONCAT(STR(?a), "/statement/{deriver.on}/", {_local_of("?" + deriver.on)})) '
                         f"AS ?_on)")
            subject, base = "?_on", "STR(?_on)"
        else:
            subject, base = "?m", 'STR(?a), "/statement"'
        name = "type" if deriver.predicate == _RDF + "type" else local(deriver.predicate)
        tail = (f'IF(isIRI(?value), CONCAT("/", {_local_of("?value")}), "")' if obj == "?value"
                else f'"/{local(obj)}"')
        binds.append(f'BIND (IRI(CONCAT({base}, "/{name}", {tail})) AS ?_statement)')
        triples.append((subject, deriver.predicate, obj))
        triples += [(subject, p.value, f"?{v}") for v in sorted(names) if (p := deriver.also.get(_role(v)))]
        triples += [("?_statement", _RDF + "type", str(C_STATEMENT.value)), ("?_statement", P_IN.value, "?a")]
        if deriver.predicate in reified:
            triples += [("?_statement", _RDF + "subject", subject),
                        ("?_statement", _RDF + "predicate", deriver.predicate), ("?_statement", _RDF + "object", obj)]
    kept = [f"{_term(s)} <{p}> {_term(o)} ." for s, p, o in triples
            if s == "?m" or (p in used and (p != _RDF + "type" or o.startswith("?") or o in classes))]
    graph = f" GRAPH <{ANSWERS_GRAPH}> {{ {' '.join(answers)} }}" if answers else ""
    if deriver.class_conclusion:
        graph = f" GRAPH <{TYPED_GRAPH}> {{ ?m a <{rule.concludes}> }}"
    where = text.index("{", at) + 1  # the rule's own WHERE, where its requirements go first
    return (f"{text[:at]}INSERT {{ {' '.join(kept)}{graph} }}\nWHERE {{ {{\n{text[at:where]}{_required(rule)}"
            f"{text[where:]}\n}}\n" + "\n".join(binds) + "\n}")


def _required(rule: Rule) -> str:
    """The models the rule can conclude anything of, first: those with what its
    node ``gpai:requires`` (the fast path skips the rule for the others)."""
    if not rule.requires:
        return ""
    parts = [f"?m a <{iri}> ." if _is_class(iri) else f"{{ SELECT DISTINCT ?m WHERE {{ ?m <{iri}> [] }} }}"
             for iri in rule.requires]
    return f"?a <{_G}assessedModel> ?m . " + " ".join(parts) + "\n"
