"""The derivation of one conclusion of an assessment, as a graph to draw:
facts → rules → conclusions → … → the conclusion, each rule with the
provisions it implements.

Read from the assessment's PROV-O explanation (``gpai_kg.explain``): every
``gpai:Conclusion`` ``prov:specializationOf`` a statement,
``prov:wasGeneratedBy`` a rule and ``prov:wasDerivedFrom`` facts
(``gpai:Fact``), earlier statements and law nodes; a tested fact carries the
comparison (``gpai:comparator``, ``gpai:testBound``). Nothing is reasoned
here: this only walks what the rules wrote, for the app's picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gpai_kg.namespaces import GPAI
from gpai_kg.reasoning.explain import Explainer, citation, fmt
from gpai_kg.reasoning.rules import rule_by_iri

PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@dataclass
class Derivation:
    """Nodes by kind (IRI → label) and edges ``(source, target, label)``."""

    facts: dict[str, str] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)
    statements: dict[str, str] = field(default_factory=dict)
    provisions: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    goal: str = ""


def _first(index: dict, node: str, prop: str):
    found = index.get(node, {}).get(prop, [])
    return found[0] if found else None


def _label(law, iri) -> str:
    if not isinstance(iri, str):
        return fmt(iri)
    found = law.value(iri, GPAI.shortTitle) or law.value(iri, RDFS_LABEL)
    if found is not None:
        return str(getattr(found, "value", found))
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def statement_label(assessment, statement: str) -> str:
    """``is a: general-purpose AI model``, ``has obligation: technical documentation (Annex XI)``."""
    index, law = assessment.run.index, assessment.law
    predicate = _first(index, statement, RDF + "predicate")
    obj = _first(index, statement, RDF + "object")
    if predicate is None:
        return statement.rsplit("/statement/", 1)[-1].replace("/", " ")
    verb = "is a" if predicate == RDF + "type" else _label(law, predicate)
    return f"{verb}: {_label(law, obj)}" if obj is not None else verb


def derivation(assessment, statement: str, max_depth: int = 12) -> Derivation:
    """The derivation of ``statement`` (an IRI of ``assessment``'s statements)."""
    index, law = assessment.run.index, assessment.law
    why = Explainer(assessment.run, law)
    rules = rule_by_iri()
    out = Derivation(goal=statement)
    seen: set[str] = set()

    def visit(node: str, depth: int) -> None:
        if node in seen or depth > max_depth:
            return
        seen.add(node)
        out.statements[node] = statement_label(assessment, node)
        for conclusion in why.conclusions(node):
            rule = _first(index, conclusion, PROV + "wasGeneratedBy")
            if rule is None:
                continue
            out.rules[rule] = _label(law, rule) if law.value(rule, RDFS_LABEL) else getattr(
                rules.get(rule), "name", rule.rsplit("/", 1)[-1])
            out.edges.append((rule, node, "concludes"))
            for provision in getattr(rules.get(rule), "implements", ()):
                out.provisions[provision] = citation(law, provision)
                out.edges.append((rule, provision, "implements"))
            tested = set(index.get(conclusion, {}).get(str(GPAI.testedFact), []))
            comparator = _first(index, conclusion, str(GPAI.comparator))
            bound = _first(index, conclusion, str(GPAI.testBound))
            test = f"{fmt(comparator)} {fmt(bound)}" if comparator is not None and bound is not None else ""
            for premise in index.get(conclusion, {}).get(PROV + "wasDerivedFrom", []):
                if not isinstance(premise, str):
                    continue
                if why.is_fact(premise):
                    out.facts[premise] = why.fact_text(premise)
                    out.edges.append((premise, rule, test if premise in tested else ""))
                elif why.conclusions(premise):
                    visit(premise, depth + 1)
                    out.edges.append((premise, rule, ""))
            for fact in tested - set(out.facts):
                out.facts[fact] = why.fact_text(fact)
                out.edges.append((fact, rule, test))
    visit(statement, 0)
    out.edges = list(dict.fromkeys(out.edges))
    return out


def obligation_statement(assessment, obligation_iri: str) -> str:
    """The statement IRI of ``model gpai:hasObligation obligation``."""
    return Explainer(assessment.run, assessment.law).statement(str(GPAI.hasObligation), obligation_iri)
