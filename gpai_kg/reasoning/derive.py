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
    return frozenset(local(r.concludes) for r in rules() if r.concludes and not is_class(r.concludes))


def is_class(iri: str) -> bool:
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
        self.class_conclusion = bool(rule.concludes) and is_class(rule.concludes) and \
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


# ------------------------------------------------ the conclusions alone, for the compiled rules

class Conclusion:
    """What ``Deriver.derive`` concludes of a solution without its PROV-O
    records, for the compiled rules (``gpai_kg.reasoning.compiled``: an IRI a
    ``str``): the conclusion, what the node also states, and its statement
    (type, assessment, subject, predicate, object) -- what later rules read --
    and, of an open question, the missing facts. The same IRIs as ``derive``
    (``tests/test_batch.py`` checks the answers against its)."""

    def __init__(self, rule: Rule, reads: tuple[frozenset[str], frozenset[str]], reified: frozenset[str]):
        deriver = Deriver(rule)
        self.rule, self.deriver = rule, deriver
        self.undetermined = rule.concludes == UNDETERMINED
        self.question = rule.open_question
        self.object = rule.concludes if deriver.class_conclusion else rule.concluded_value or None
        self.also = {role: p.value for role, p in deriver.also.items()}
        self.on = deriver.on
        used, classes = reads
        statement = [(_RDF + "type", C_STATEMENT.value), (P_IN.value, None)]
        if deriver.predicate in reified:
            statement += [(_RDF + "subject", None), (_RDF + "predicate", None), (_RDF + "object", None)]
        if rule.concludes == UNDETERMINED:
            statement = [(_RDF + "type", C_STATEMENT.value), (P_IN.value, None), (P_QUESTION.value, None)]
        #: the statement's triples some rule reads (None: the solution's term)
        self.statement = [(p, o) for p, o in statement if p in used and (p != _RDF + "type" or o in classes)]

    def add(self, index, solutions: list[dict], typed: set, missing: dict) -> None:
        """Add the conclusions of the solutions to ``index``, at once (``typed``: the (assessment, class)
        each gave its assessment's model; ``missing``: the missing facts, by assessment)."""
        triples: list[tuple] = []
        add = triples.append
        deriver = self.deriver
        predicate, also, statement_triples = deriver.predicate, self.also, self.statement
        for b in solutions:
            a, m = b["a"], b["m"]
            if self.undetermined:
                statement = f"{a}/statement/undetermined/{local(self.question)}"
                values = {P_IN.value: a, P_QUESTION.value: self.question}
                for p, o in statement_triples:
                    add((statement, p, o or values[p]))
                missing[a].update(term.lex for var, term in b.items() if _role(var) == "missing")
                continue
            obj = self.object or b["value"]
            if self.rule.concludes_on == ASSESSMENT:
                subject, on = a, None
            elif self.on:
                subject = on = statement_iri(a, _G + self.on, b[self.on])
            else:
                subject, on = m, None
            if deriver.class_conclusion and subject == m and obj not in index.objects(m, predicate):
                typed.add((a, obj))  # new to the index: the model's class
            add((subject, predicate, obj))
            if also:
                for var, term in b.items():
                    if (p := also.get(_role(var))) is not None:
                        add((subject, p, term))
            if statement_triples:
                statement = statement_iri(a, predicate, obj if isinstance(obj, str) else None, on)
                values = {P_IN.value: a, _RDF + "subject": subject, _RDF + "predicate": predicate,
                          _RDF + "object": obj}
                for p, o in statement_triples:
                    add((statement, p, o or values[p]))
        index.add_all(triples)
