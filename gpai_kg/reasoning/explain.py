"""Because-chains: why an assessment concluded what it did, read from the graph.

Every rule writes, for each statement it infers, a ``gpai:Conclusion`` that is
``prov:specializationOf`` the reified statement (``gpai:InferredStatement``),
``prov:wasGeneratedBy`` the rule (which ``gpai:implements`` its provisions)
and ``prov:wasDerivedFrom`` the facts, earlier statements and law nodes it
used. A chain walks that graph back, premises first, and lists, per
conclusion: the comparison it made (``training_compute_flop = 3.8e+25 > 1e+25
FLOP``), the other facts it used, the provisions of its rule, the guidance it
followed (as guidance), and the provision of the law node it concluded about.
It ends in the obligation's own provision; each provision is reached in the
graph with its verbatim ``gpai:text``.

Statement IRIs follow one pattern (written by the rules):
``<assessment>/statement/<predicate>/<object>``, with ``<object>`` the part
after ``/id/`` of our individuals (``obligation/art-53-1-a``) or after ``#``
of our classes (``GeneralPurposeAIModel``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gpai_kg.citations import format_citation, from_iri
from gpai_kg.errors import UserError
from gpai_kg.namespaces import GPAI
from gpai_kg.reasoning.contract import keys
from gpai_kg.reasoning.engine import Run
from gpai_kg.reasoning.law import ClosedLaw
from gpai_kg.reasoning.law_versions import version_on
from gpai_kg.reasoning.rules import rule_by_iri
from gpai_kg.reasoning.terms import Lit, fmt

PROV = "http://www.w3.org/ns/prov#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DCTERMS = "http://purl.org/dc/terms/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_ABOUT_LAW = {str(GPAI.meetsCondition), str(GPAI.primaFacieObligation), str(GPAI.hasObligation)}
# Predicates as strings, once (rdflib's namespace lookups are slow on a hot path).
P_DERIVED, P_GENERATED, P_SPECIALIZES = PROV + "wasDerivedFrom", PROV + "wasGeneratedBy", PROV + "specializationOf"
P_TYPE, P_OBJECT, P_PREDICATE = RDF_NS + "type", RDF_NS + "object", RDF_NS + "predicate"
G = {name: str(GPAI[name]) for name in (
    "Fact", "inputKey", "inputValue", "assumed", "testedFact", "testedValue", "comparator", "testBound", "testNote",
    "legalBasis", "citation", "text", "Undetermined", "openQuestion", "missingFact", "sentenceText")}
_KEY_ORDER = {key: n for n, key in enumerate(["as_of", *keys()])}


@dataclass(frozen=True)
class Step:
    """One step of a chain: a fact or comparison, a provision, or guidance."""

    kind: str  # "fact" | "provision" | "guidance"
    text: str
    iri: str | None = None

    def as_json(self, law: ClosedLaw, day: date) -> dict:
        """The step for JSON; a provision step quotes the version in force on
        ``day`` (``provision_text``) and names it (``version``)."""
        out = {"kind": self.kind, "text": self.text}
        if self.iri:
            out["iri"] = self.iri
        if self.kind == "provision" and self.iri:
            found = version_on(law, self.iri, day)
            if found is not None:
                if found["text"] is not None:
                    out["provision_text"] = found["text"]
                out["version"] = found["version"]
        return out


def citation(law: ClosedLaw, iri: str) -> str:
    """The human citation of a provision IRI (``Article 53(1)(a)``); for another
    act (a delegated act that sets a value of the law), its label."""
    found = law.value(iri, G["citation"]) or law.value(iri, RDFS_LABEL)
    if found is not None:
        return found.value
    try:
        return format_citation(from_iri(iri))
    except UserError:
        return iri


def guidance_text(law: ClosedLaw, document: str, locator: str) -> str:
    """``Commission guidelines C(2025) 5045, section 2.1 (guidance)``."""
    identifier = law.value(document, DCTERMS + "identifier")
    if identifier is not None:
        name = "Commission guidelines " + str(identifier.value).replace(" final", "")
    else:
        label = law.value(document, RDFS_LABEL)
        name = str(label.value) if label is not None else document
    return f"{name}, {locator} (guidance)" if locator else f"{name} (guidance)"


def rule_bases(rule, law: ClosedLaw, node: str) -> set[str]:
    """The provisions a step already names for a law node: its rule's and its own legal basis."""
    return set(rule.implements if rule else ()) | {str(b) for b in law.values(node, G["legalBasis"])} | {
        str(b) for b in law.values(node, GPAI.guidanceBasis)}


class Explainer:
    """Reads the chains of one run."""

    def __init__(self, run: Run, law: ClosedLaw):
        self.run, self.law, self.ix = run, law, run.index
        self.rules = rule_by_iri()
        self._steps: dict[str, list[Step]] = {}
        self.by_statement: dict[str, list[str]] = {}
        for node, props in self.ix.items():
            for statement in props.get(P_SPECIALIZES, ()):
                self.by_statement.setdefault(statement, []).append(node)
        for conclusions in self.by_statement.values():
            conclusions.sort(key=self._rule_order)

    # ------------------------------------------------------------ lookups
    def _get(self, node: str, prop: str) -> list:
        return self.ix.get(node, {}).get(prop, [])

    def _one(self, node: str, prop: str):
        found = self._get(node, prop)
        return found[0] if found else None

    def _premise_order(self, statement: str):
        """Premises in the order of the rules that concluded them, whatever the
        order the engine found them in (the batch and the fast path agree)."""
        found = self.by_statement.get(statement)
        return self._rule_order(found[0]) if found else (100, 0, statement)

    def _rule_order(self, conclusion: str):
        rule = self.rules.get(self._one(conclusion, P_GENERATED) or "")
        return (rule.stratum, rule.order, conclusion) if rule else (99, 0, conclusion)

    def statement(self, predicate: str, obj: str) -> str:
        """The IRI of the statement ``model predicate obj`` of this run."""
        local = predicate.rsplit("#", 1)[-1]
        key = obj.split("/id/", 1)[1] if "/id/" in obj else obj.rsplit("#", 1)[-1]
        return f"{self.run.assessment}/statement/{local}/{key}"

    def conclusions(self, statement: str) -> list[str]:
        return self.by_statement.get(statement, [])

    def is_fact(self, node: str) -> bool:
        return G["Fact"] in self._get(node, P_TYPE)

    # ------------------------------------------------------------ wording
    def fact_key(self, fact: str) -> str:
        key = self._one(fact, G["inputKey"])
        return key.value if isinstance(key, Lit) else fact.rsplit("/", 1)[-1]

    def fact_text(self, fact: str) -> str:
        key = self.fact_key(fact)
        value = self._one(fact, P_OBJECT)
        if key == "modalities":
            name = self.law.value(value, G["inputValue"])
            return f"modalities include {fmt(name) if name is not None else value}"
        if key == "modified_from":
            name = self._one(value, RDFS_LABEL)
            return f"modified_from = {fmt(name) if name is not None else 'another model'}"
        assumed = self._one(fact, G["assumed"])
        return f"{key} = {fmt(value)}" + (" (assumed)" if assumed is not None and assumed.value else "")

    def test_text(self, conclusion: str) -> str | None:
        tested = self._get(conclusion, G["testedFact"])
        if not tested:
            return None
        keys = sorted({self.fact_key(f) for f in tested}, key=lambda k: _KEY_ORDER.get(k, 99))
        value = self._one(conclusion, G["testedValue"])
        op = self._one(conclusion, G["comparator"])
        bound = self._one(conclusion, G["testBound"])
        note = self._one(conclusion, G["testNote"])
        unit = " FLOP" if all(k.endswith("_flop") for k in keys) else ""
        text = f"{' + '.join(keys)} = {fmt(value)} {fmt(op)} {fmt(bound)}{unit}"
        return text + (f" ({fmt(note)})" if note is not None else "")

    def own_steps(self, conclusion: str) -> list[Step]:
        """What one conclusion adds to a chain, in order."""
        if conclusion in self._steps:
            return self._steps[conclusion]
        steps: list[Step] = []
        self._steps[conclusion] = steps
        test = self.test_text(conclusion)
        tested = set(self._get(conclusion, G["testedFact"]))
        if test:
            steps.append(Step("fact", test))
        premises = self._get(conclusion, P_DERIVED)
        facts = sorted((p for p in premises if p not in tested and self.is_fact(p)),
                       key=lambda f: (_KEY_ORDER.get(self.fact_key(f), 99), f))
        steps += [Step("fact", self.fact_text(f), f) for f in facts]
        rule = self.rules.get(self._one(conclusion, P_GENERATED) or "")
        if rule:
            steps += [Step("provision", citation(self.law, p), p) for p in rule.implements]
            steps += [Step("guidance", guidance_text(self.law, doc, loc), doc) for doc, loc in rule.guidance]
        cited = {s.iri for s in steps}
        for node in premises:  # a value of the law a later act set (a delegated act under Article 51(3))
            for value in self.law.dated_on(node, self.run.as_of):
                steps += [Step("provision", citation(self.law, b), b) for b in value.bases
                          if b not in cited and b not in rule_bases(rule, self.law, node)]
        statement = self._one(conclusion, P_SPECIALIZES)
        if statement and self._one(statement, P_PREDICATE) in _ABOUT_LAW:
            about = self._one(statement, P_OBJECT)
            steps += [Step("provision", citation(self.law, b), b) for b in self.law.values(about, G["legalBasis"])]
        return steps

    # ------------------------------------------------------------ chains
    def chain(self, statement: str, last: str | None = None) -> list[Step]:
        """The steps that lead to a statement: premises first, each step once;
        with ``last`` (a provision IRI), that provision closes the chain."""
        steps: list[Step] = []
        done: set[str] = set()

        def visit(node: str) -> None:
            if node in done:
                return
            done.add(node)
            for conclusion in self.conclusions(node):
                premises = [p for p in self._get(conclusion, P_DERIVED) if p in self.by_statement]
                for premise in sorted(premises, key=lambda p: self._rule_order(self.conclusions(p)[0])):
                    visit(premise)
                steps.extend(self.own_steps(conclusion))

        visit(statement)
        seen: set[str] = set()
        unique = []
        for step in steps:
            if step.text not in seen:
                seen.add(step.text)
                unique.append(step)
        if last:
            text = citation(self.law, last)
            unique = [s for s in unique if s.text != text] + [Step("provision", text, last)]
        return unique

    def because(self, statement: str, last: str | None = None) -> list[str]:
        """The chain as the strings of the JSON ``because``."""
        return [step.text for step in self.chain(statement, last)]

    def sentences(self, statement: str) -> list[str]:
        """The plain sentences behind a statement: those of the rules that
        concluded it, or, for a rule without one (a classification, an
        obligation no exemption lifted), those of the findings it rests on
        (the classes it needed are answers of their own)."""
        out: list[str] = []
        seen = {statement}

        def visit(node: str) -> None:
            for conclusion in self.conclusions(node):
                texts = [t.value for t in self._get(conclusion, G["sentenceText"])]
                if texts:
                    out.extend(sorted(texts))
                    continue
                for premise in sorted(self._get(conclusion, P_DERIVED), key=self._premise_order):  # only the findings
                    if premise in self.by_statement and premise not in seen and \
                            self._one(premise, P_PREDICATE) != P_TYPE:
                        seen.add(premise)
                        visit(premise)

        visit(statement)
        return list(dict.fromkeys(out))

    def missing(self) -> dict[str, list[str]]:
        """Undetermined questions (by the local name of their IRI) and the
        input keys of the facts that would answer them."""
        out: dict[str, set[str]] = {}
        for node, props in self.ix.items():
            if G["Undetermined"] in props.get(P_TYPE, ()):
                statement = self._one(node, P_SPECIALIZES)
                question = self._one(statement, G["openQuestion"]) if statement else None
                name = str(question).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if question else "?"
                out.setdefault(name, set()).update(m.value for m in props.get(G["missingFact"], ()))
        return {k: sorted(v, key=lambda key: _KEY_ORDER.get(key, 99)) for k, v in sorted(out.items())}
