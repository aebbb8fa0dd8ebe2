"""The rule catalogue: the nodes of ``data/curated/rules.ttl`` and their queries.

A rule node says what the rule concludes (``gpai:concludes``: a class, or a
property with ``gpai:concludedValue`` or a ``?value`` from the query), the
provisions it implements (``gpai:implements``), the guidance it follows, and
where it runs (``gpai:stratum``, ``gpai:order``). Its query is its own SPARQL
file (``gpai:ruleFile``) or a shared one (``gpai:template``, a
``gpai:RuleTemplate`` with its own ``gpai:ruleFile`` and ``gpai:concludes``)
when several provisions follow one pattern and only their law data differs.
A rule that concludes ``gpai:hasNote`` names a ``gpai:Note`` of
``data/curated/notes.ttl``, whose sentence it fills; a rule with a
``gpai:sentence`` says what it concluded in one plain sentence, filled the
same way. A rule's query holds only the law: ``gpai_kg.reasoning.derive``
turns each of its solutions into the conclusion, its statement and its PROV-O
trail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from rdflib import Graph
from rdflib.namespace import RDF

from gpai_kg import paths
from gpai_kg.errors import UserError
from gpai_kg.namespaces import GPAI, LAW_PREFIXES, PREFIXES, prologue

_A_MARK = "\x00assessment\x00"


def rules_file():
    return paths.CURATED_DIR / "rules.ttl"


@dataclass(frozen=True)
class Rule:
    """One rule: its node, query and place in the order."""

    iri: str
    name: str
    file: str
    stratum: int
    order: int
    query: str
    concludes: str = ""
    concluded_value: str = ""
    concludes_on: str = ""
    open_question: str = ""
    also_states: tuple[str, ...] = ()
    after_each_stratum: bool = False
    implements: tuple[str, ...] = ()
    guidance: tuple[tuple[str, str], ...] = ()
    requires: tuple[str, ...] = ()
    template: str = ""
    note_text: str = ""
    question_label: str = ""
    sentence: str = ""  # gpai:sentence: what the rule concluded, in one plain sentence with {places}

    @cached_property
    def is_select(self) -> bool:
        return re.search(r"^\s*SELECT\b", self.body, re.M) is not None

    @cached_property
    def body(self) -> str:
        """The query without its comment lines (the engine would lex them on every run)."""
        return "\n".join(line for line in self.query.splitlines() if not line.lstrip().startswith("#"))

    def text(self, assessment: str | None) -> str:
        """The query as the engines run it: the project's prefixes declared,
        ``?rule`` replaced by this rule's IRI and ``?a`` by the assessment's
        (left a variable when ``assessment`` is None: every assessment in the
        store). Written into the text, not passed as bindings, so both engines
        read the same query and the bound terms reach FILTER and BIND."""
        template = _template(self.body, self.iri)
        return template.replace(_A_MARK, f"<{assessment}>" if assessment else "?a")


@lru_cache(maxsize=256)
def _template(body: str, rule_iri: str) -> str:
    declared = prologue({**PREFIXES, **LAW_PREFIXES}, used_in=body)
    body = re.sub(r"\?rule\b", f"<{rule_iri}>", body)
    return declared + re.sub(r"\?a\b", _A_MARK, body)


def _one(graph: Graph, node, prop, default=""):
    value = graph.value(node, prop)
    return str(value) if value is not None else default


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """Every rule of ``data/curated/rules.ttl`` with its query, in order."""
    path = rules_file()
    graph = Graph().parse(path, format="turtle")
    notes = path.with_name("notes.ttl")
    if notes.is_file():
        graph.parse(notes, format="turtle")
    found = []
    for node in sorted(graph.subjects(RDF.type, GPAI.Rule), key=str):
        template = graph.value(node, GPAI.template)
        source = template if template is not None else node
        file = _one(graph, source, GPAI.ruleFile)
        if not file or not (paths.ROOT / file).is_file():
            raise UserError(f"{path.name}: rule {node} names no rule file, or a missing one ({file or 'none'})")
        guidance = tuple(sorted((str(doc), _one(graph, node, GPAI.guidanceLocator))
                                for doc in graph.objects(node, GPAI.guidanceBasis)))
        found.append(Rule(
            iri=str(node), name=str(node).rsplit("/", 1)[-1], file=file,
            stratum=int(graph.value(node, GPAI.stratum) or 0), order=int(graph.value(node, GPAI.order) or 0),
            query=(paths.ROOT / file).read_text(encoding="utf-8"),
            concludes=_one(graph, node, GPAI.concludes) or _one(graph, source, GPAI.concludes),
            concluded_value=_one(graph, node, GPAI.concludedValue),
            concludes_on=_one(graph, node, GPAI.concludesOn) or _one(graph, source, GPAI.concludesOn),
            open_question=_one(graph, node, GPAI.openQuestion),
            also_states=tuple(sorted(str(p) for p in (*graph.objects(node, GPAI.alsoStates),
                                                     *graph.objects(source, GPAI.alsoStates)))),
            after_each_stratum=bool(graph.value(node, GPAI.afterEachStratum)),
            implements=tuple(sorted(str(p) for p in graph.objects(node, GPAI.implements))),
            guidance=guidance,
            requires=tuple(sorted(str(r) for r in graph.objects(node, GPAI.requires))),
            template=str(template) if template is not None else "",
            note_text=_one(graph, graph.value(node, GPAI.concludedValue), GPAI.noteText)
            if graph.value(node, GPAI.concludedValue) is not None else "",
            question_label=_one(graph, node, GPAI.questionLabel),
            sentence=_one(graph, node, GPAI.sentence)))
    return tuple(sorted(found, key=lambda r: (r.after_each_stratum, r.stratum, r.order)))


def strata() -> tuple[list[list[Rule]], list[Rule]]:
    """The rules grouped by stratum, in order, and the rules run after each."""
    groups: dict[int, list[Rule]] = {}
    after = []
    for rule in rules():
        if rule.after_each_stratum:
            after.append(rule)
        else:
            groups.setdefault(rule.stratum, []).append(rule)
    return [groups[k] for k in sorted(groups)], after


@lru_cache(maxsize=1)
def rule_by_iri() -> dict[str, Rule]:
    """Every rule by its node's IRI."""
    return {rule.iri: rule for rule in rules()}
