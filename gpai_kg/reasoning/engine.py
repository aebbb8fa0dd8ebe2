"""The rules engine: the SPARQL rules of ``ontology/rules/`` over one described model.

The rules are data. Each is a SPARQL CONSTRUCT file headed by the provision it
implements, and a node of ``data/curated/rules.ttl`` (``gpai:ruleFile``,
``gpai:implements``, ``gpai:stratum``, ``gpai:order``). This module only runs
them, in that order, on one of two paths that must conclude the same:

- **fast** (``run_fast``), used by ``assess`` and ``screen``. Once per process
  (and cached on disk, keyed by the files' contents) the ontology and the
  curated law are closed with owlrl (OWL 2 RL) and kept, with the provisions
  they cite, in one small pyoxigraph store. Per model, its triples go into a
  named graph of that store; each rule runs with the assessment bound; its
  results are added; after each stratum that gave the model a class, the OWL 2
  RL rule cax-sco (itself a rule file) adds the superclasses from the closed
  hierarchy; then the named graph is dropped.
- **naive** (``run_naive``), the baseline and the oracle: copy the whole graph
  (``store.load_graph()``), add the model, run owlrl's full OWL-RL closure,
  then the same rules with rdflib. ``benchmarks/bench_assess.py`` times it;
  ``tests/test_property.py`` checks that both paths give the same obligations.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path as FilePath
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from gpai_kg import paths
from gpai_kg.errors import UserError
from gpai_kg.reasoning.description import ModelDescription, description_triples
from gpai_kg.namespaces import ACT_BASE, ELI, GPAI

RULES_FILE = paths.CURATED_DIR / "rules.ttl"
_A_MARK = "\x00assessment\x00"
CACHE_VERSION = 2  # bump when _close changes what it writes
_RDF_TYPE = ox.NamedNode(str(RDF.type))
_TYPE = str(RDF.type)
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


@dataclass(frozen=True)
class Rule:
    """One rule: its node, SPARQL file and place in the order."""

    iri: str
    name: str
    file: str
    stratum: int
    order: int
    query: str
    after_each_stratum: bool = False
    implements: tuple[str, ...] = ()
    guidance: tuple[tuple[str, str], ...] = ()
    requires: tuple[str, ...] = ()

    def bound(self, assessment: str) -> str:
        """The query with its two bindings stated: ``?a`` the assessment and
        ``?rule`` this rule's node. (Written into the text, not passed as
        initial bindings, so both engines read the same query: pyoxigraph
        substitutes only projected variables, and a bound ``?rule`` must reach
        the BIND expressions that mint conclusion IRIs.)"""
        return self.template.replace(_A_MARK, f"<{assessment}>")

    @property
    def template(self) -> str:
        return _template(self.query, self.iri)


# --------------------------------------------------------------------- rules

@lru_cache(maxsize=256)
def _template(query: str, rule_iri: str) -> str:
    """The query with ``?rule`` replaced by the rule's IRI and ``?a`` by a
    marker for the assessment (``?asOf`` and the like are left alone)."""
    import re

    # Comment lines are dropped: the engine would lex them on every run.
    query = "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))
    query = re.sub(r"\?rule\b", f"<{rule_iri}>", query)
    return re.sub(r"\?a\b", _A_MARK, query)


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """Every rule of ``data/curated/rules.ttl`` with its query, in order."""
    graph = Graph().parse(RULES_FILE, format="turtle")
    found = []
    for node in sorted(graph.subjects(RDF.type, GPAI.Rule), key=str):
        file = str(graph.value(node, GPAI.ruleFile))
        path = paths.ROOT / file
        if not path.is_file():
            raise UserError(f"{RULES_FILE.name}: rule {node} names a missing file {file}")
        guidance = tuple(sorted((str(doc), str(graph.value(node, GPAI.guidanceLocator) or ""))
                                for doc in graph.objects(node, GPAI.guidanceBasis)))
        found.append(Rule(
            iri=str(node), name=str(node).rsplit("/", 1)[-1], file=file,
            stratum=int(graph.value(node, GPAI.stratum) or 0), order=int(graph.value(node, GPAI.order) or 0),
            query=path.read_text(encoding="utf-8"),
            after_each_stratum=bool(graph.value(node, GPAI.afterEachStratum)),
            implements=tuple(sorted(str(p) for p in graph.objects(node, GPAI.implements))),
            guidance=guidance,
            requires=tuple(sorted(str(r) for r in graph.objects(node, GPAI.requires)))))
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


# ------------------------------------------------------------ terms

class Lit(NamedTuple):
    """A literal as the explanations read it: its Python value and datatype."""

    value: object
    datatype: str


_XSD = "http://www.w3.org/2001/XMLSchema#"
_PARSE = {_XSD + "double": float, _XSD + "float": float, _XSD + "decimal": float, _XSD + "integer": int,
          _XSD + "boolean": lambda v: v in ("true", "1"), _XSD + "date": date.fromisoformat}


def _lit(lexical: str, datatype: str) -> Lit:
    parse = _PARSE.get(datatype)
    try:
        return Lit(parse(lexical) if parse else lexical, datatype)
    except ValueError:
        return Lit(lexical, datatype)


def term_of_ox(term):
    """A pyoxigraph term as an index term: an IRI as ``str``, a literal as ``Lit``."""
    if type(term) is ox.NamedNode:
        return term.value
    if type(term) is ox.Literal:
        return _lit(term.value, term.datatype.value if term.datatype else "")
    return f"_:{term.value}"


def term_of_rdflib(term):
    """An rdflib term as an index term."""
    if isinstance(term, Literal):
        return _lit(str(term), str(term.datatype) if term.datatype else "")
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


@lru_cache(maxsize=65536)
def _named(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def to_ox(term) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return _named(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=_named(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD + "string":  # a simple literal (RDF 1.1), as rdflib writes it
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"not an RDF term: {term!r}")


Index = dict[str, dict[str, list]]


def index_of(triples: Iterable[tuple], convert) -> Index:
    """subject -> predicate -> [objects], every term converted by ``convert``."""
    index: Index = {}
    for s, p, o in triples:
        index.setdefault(convert(s), {}).setdefault(convert(p), []).append(convert(o))
    return index


@dataclass
class Run:
    """What one assessment stated and concluded. ``index`` is the explanations'
    view; ``asserted`` and ``inferred`` are the two graphs as rdflib triples."""

    model: str
    assessment: str
    as_of: date
    engine: str
    asserted: list[tuple]
    _inferred: list = field(repr=False)

    @cached_property
    def inferred(self) -> list[tuple]:
        if self.engine == "fast":
            return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in self._inferred]
        return list(self._inferred)

    @cached_property
    def index(self) -> Index:
        index = index_of(self.asserted, term_of_rdflib)
        if self.engine == "fast":
            for t in self._inferred:
                index.setdefault(term_of_ox(t.subject), {}).setdefault(t.predicate.value, []).append(
                    term_of_ox(t.object))
        else:
            for s, p, o in self._inferred:
                index.setdefault(term_of_rdflib(s), {}).setdefault(str(p), []).append(term_of_rdflib(o))
        return index

    def obligations(self) -> set[str]:
        """The IRIs of the obligations concluded (``gpai:hasObligation``)."""
        return set(self.index.get(self.model, {}).get(str(GPAI.hasObligation), []))


# ------------------------------------------------------------ the closed law

def _law_files() -> list[FilePath]:
    from gpai_kg.store.dataset import ontology_files

    return [*ontology_files(), *sorted(paths.CURATED_DIR.glob("*.ttl"))]


def _cache_dir() -> FilePath | None:
    setting = os.environ.get("GPAI_KG_CACHE", "")
    if setting.lower() in ("0", "off", "no", "false"):
        return None
    if setting:
        return FilePath(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return FilePath(base) / "gpai-kg"


def _cache_key(files: Iterable[FilePath]) -> str:
    import owlrl

    digest = hashlib.sha256(f"closed-law/{CACHE_VERSION}/owlrl-{getattr(owlrl, '__version__', '?')}".encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _provision_extract(law_graph: Graph) -> Graph:
    """From the built Act: citation, text, type and parent of every provision
    the law nodes and rules cite, and of the provisions above them."""
    from gpai_kg.store.dataset import load_store

    wanted = {str(o) for o in law_graph.objects() if isinstance(o, URIRef) and str(o).startswith(ACT_BASE)}
    wanted |= {str(s) for s in law_graph.subjects() if isinstance(s, URIRef) and str(s).startswith(ACT_BASE)}
    store = load_store()
    out = Graph()
    seen: set[str] = set()
    keep = {str(GPAI.citation), str(GPAI.text), str(ELI.is_part_of), str(RDF.type), str(GPAI.eurLexUrl),
            str(ELI.title)}
    while wanted:
        iri = wanted.pop()
        if iri in seen:
            continue
        seen.add(iri)
        for quad in store.quads_for_pattern(_named(iri), None, None):
            if quad.predicate.value in keep:
                out.add((URIRef(iri), URIRef(quad.predicate.value), to_rdflib(quad.object)))
                if quad.predicate.value == str(ELI.is_part_of):
                    wanted.add(quad.object.value)
    return out


def _close(files: list[FilePath]) -> bytes:
    """owlrl's OWL 2 RL closure of the ontology and the curated law, plus the
    provisions they cite, as N-Triples."""
    import owlrl

    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    extract = _provision_extract(graph)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    closed = Graph()
    for triple in graph:  # owlrl also states generalised triples (a literal as subject): not RDF, left out
        if not isinstance(triple[0], Literal) and isinstance(triple[1], URIRef):
            closed.add(triple)
    closed += extract
    return closed.serialize(format="nt", encoding="utf-8")


def _closed_law_ntriples() -> bytes:
    files = _law_files()
    cache = _cache_dir()
    key = _cache_key([*files, *sorted(paths.GRAPH_DIR.glob("*.ttl"))])  # the Act's text is in the extract
    target = cache / f"closed-law-{key}.nt" if cache else None
    if target is not None and target.is_file():
        return target.read_bytes()
    data = _close(files)
    if target is not None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".closed-law-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only home: close again next time
    return data


@dataclass
class ClosedLaw:
    """The closed ontology and law: ``rule_quads``, the part of it the rules
    read (the predicates their queries name), to seed each run's store, and
    ``index``, all of it, for explanations."""

    rule_quads: list
    index: Index

    def values(self, subject: str, predicate) -> list:
        return self.index.get(subject, {}).get(str(predicate), [])

    def value(self, subject: str, predicate, default=None):
        found = self.values(subject, predicate)
        return found[0] if found else default


def _predicates_read_by_rules() -> set[str]:
    import re

    from gpai_kg.namespaces import PREFIXES

    used = {str(RDF.type)}
    for rule in rules():
        text = _template(rule.query, rule.iri)
        for prefix, local in re.findall(r"\b(gpai|eli|rdf|rdfs|prov):([A-Za-z_]\w*)", text):
            used.add(str(PREFIXES[prefix]) + local)
        used.update(re.findall(r"<(http[^>\s]+)>", text))
    return used


@lru_cache(maxsize=1)
def closed_law() -> ClosedLaw:
    """The closed law, built (or read from the cache) once per process."""
    data = _closed_law_ntriples()
    store = ox.Store()
    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    quads = list(store)
    index = index_of(((q.subject, q.predicate, q.object) for q in quads), term_of_ox)
    for props in index.values():
        for values in props.values():
            values.sort(key=str)
    return ClosedLaw(_rule_extract(quads, index), index)


def _rule_extract(quads: list, index: Index) -> list:
    """The part of the closed law the rules read: triples of the predicates
    their queries name; of rdf:type, only the classes they name; of
    rdfs:subClassOf, only the hierarchy above the classes of models (what
    cax-sco needs for the assessed model)."""
    import re

    used = _predicates_read_by_rules()
    texts = " ".join(_template(rule.query, rule.iri) for rule in rules())
    named_classes = {str(GPAI) + local for local in re.findall(r"\bgpai:([A-Z]\w*)", texts)}
    model_classes = {s for s, props in index.items()
                     if str(GPAI.AIModel) in props.get(_SUBCLASS, ()) or s == str(GPAI.AIModel)}
    keep = []
    for q in quads:
        p = q.predicate.value
        if p not in used:
            continue
        if p == _TYPE and q.object.value not in named_classes:
            continue
        if p == _SUBCLASS and q.subject.value not in model_classes:
            continue
        keep.append(q)
    return keep


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
    for triple in store.query(rule.bound(assessment)):
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


def run_fast(description: ModelDescription, as_of: date) -> Run:
    """Assess one model on the fast path (see the module docstring): a fresh
    small store holding the closed law the rules read and the model; the
    rules in order, each skipped when the model lacks what it requires; after
    each stratum that gave the model a class, cax-sco."""
    law = closed_law()
    model, assessment, triples = description_triples(description, as_of)
    asserted = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]
    store = ox.Store()
    store.extend(law.rule_quads)
    store.extend([ox.Quad(t.subject, t.predicate, t.object) for t in asserted])
    groups, after = strata()
    model_node = _named(model)
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
    return Run(model, assessment, as_of, "fast", list(triples), inferred)


# ------------------------------------------------------------ the naive path

def run_naive(description: ModelDescription, as_of: date) -> Run:
    """Assess one model the obvious way: the whole graph, the full OWL-RL
    closure with owlrl, then the same rules with rdflib (slow: seconds)."""
    import owlrl

    from gpai_kg.store.dataset import load_graph

    graph = load_graph()
    model, assessment, triples = description_triples(description, as_of)
    for triple in triples:
        graph.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    groups, after = strata()
    inferred: list = []
    model_node = URIRef(model)

    def apply(rule: Rule) -> bool:
        typed = False
        for triple in graph.query(rule.bound(assessment)):
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
    return Run(model, assessment, as_of, "naive", list(triples), inferred)


def rule_by_iri() -> dict[str, Rule]:
    """Every rule by its node's IRI."""
    return {rule.iri: rule for rule in rules()}
