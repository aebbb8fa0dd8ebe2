"""The closed law: the ontology and the curated law closed once with owlrl
(OWL 2 RL), with the provisions they cite, kept for every assessment.

Built once per process and cached on disk (keyed by the files' contents, so an
edit of the data rebuilds it). ``ClosedLaw.rule_quads`` is the part the rules
read (the predicates and classes their queries name), to seed each run's
store; ``ClosedLaw.index`` is all of it, for explanations; ``ClosedLaw.dated``
the dated values of the law (``gpai_kg.reasoning.dated_values``), of which
``quads_on(day)`` states the ones in force on an assessment's date.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from gpai_kg import paths
from gpai_kg.namespaces import ACT_BASE, ELI, GPAI, PREFIXES
from gpai_kg.paths import ontology_files
from gpai_kg.reasoning.dated_values import DatedValue, dated_values, on, quads_on
from gpai_kg.reasoning.rules import rules
from gpai_kg.reasoning.terms import Index, index_of, named, term_of_ox, to_rdflib
from gpai_kg.store.dataset import load_store

CACHE_VERSION = 6  # bump when _close changes what it writes
_TYPE = str(RDF.type)
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


@dataclass(eq=False)  # hashed by identity: caches of what is read from it key on it
class ClosedLaw:
    """The closed ontology and law: ``rule_quads``, the part of it the rules
    read, ``index``, all of it, for explanations, and ``dated``, its dated values."""

    rule_quads: list
    index: Index
    dated: list[DatedValue]
    act_versions: list[str] = field(default_factory=list)   # the versions of the Act (gpai:ActVersion)
    _on: dict = field(default_factory=dict, repr=False)

    def quads_on(self, day: date) -> list:
        """The values of the law in force on ``day``, as the rules read them."""
        return quads_on(self.dated, day)

    def dated_on(self, subject: str, day: date) -> list[DatedValue]:
        """The dated values a law node has on ``day``."""
        if day not in self._on:
            by_subject: dict[str, list[DatedValue]] = {}
            for value in on(self.dated, day):
                by_subject.setdefault(value.subject, []).append(value)
            self._on[day] = by_subject
        return self._on[day].get(subject, [])

    def value_on(self, subject: str, predicate, day: date):
        """The value (an index term) of a dated property of a law node on ``day``."""
        found = [v for v in self.dated_on(subject, day) if v.property == str(predicate)]
        return term_of_ox(found[0].value) if found else None

    def values(self, subject: str, predicate) -> list:
        return self.index.get(subject, {}).get(str(predicate), [])

    def value(self, subject: str, predicate, default=None):
        found = self.values(subject, predicate)
        return found[0] if found else default


def law_files() -> list[Path]:
    return [*ontology_files(), *sorted(paths.CURATED_DIR.glob("*.ttl"))]


def cache_dir() -> Path | None:
    """The on-disk cache (``GPAI_KG_CACHE``: a directory, or off; default ``~/.cache/gpai-kg``)."""
    setting = os.environ.get("GPAI_KG_CACHE", "")
    if setting.lower() in ("0", "off", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gpai-kg"


def _cache_key(files: Iterable[Path]) -> str:
    import owlrl

    digest = hashlib.sha256(f"closed-law/{CACHE_VERSION}/owlrl-{getattr(owlrl, '__version__', '?')}".encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _provision_extract(law_graph: Graph) -> Graph:
    """From the built Act: citation, text, type, parent and dates of every
    provision the law nodes and rules cite, and of the provisions above them;
    their versions (``eli:has_member``) with their texts and dates; and the
    versions of the Act with their expressions, so that an explanation quotes
    the version in force on its date (``gpai_kg.reasoning.law_versions``)."""
    wanted = {str(o) for o in law_graph.objects() if isinstance(o, URIRef) and str(o).startswith(ACT_BASE)}
    wanted |= {str(s) for s in law_graph.subjects() if isinstance(s, URIRef) and str(s).startswith(ACT_BASE)}
    store = load_store()
    wanted |= {q.subject.value for q in store.quads_for_pattern(None, named(str(RDF.type)), named(str(GPAI.ActVersion)))}
    out = Graph()
    seen: set[str] = set()
    keep = {str(p) for p in (GPAI.citation, GPAI.text, ELI.is_part_of, RDF.type, GPAI.eurLexUrl, ELI.title,
                             GPAI.ojReference, ELI.first_date_entry_in_force, ELI.date_no_longer_in_force,
                             ELI.has_member, ELI.is_member_of, GPAI.inExpression, ELI.is_realized_by,
                             ELI.consolidates)}
    follow = {str(ELI.is_part_of), str(ELI.has_member), str(ELI.consolidates)}
    while wanted:
        iri = wanted.pop()
        if iri in seen:
            continue
        seen.add(iri)
        for quad in store.quads_for_pattern(named(iri), None, None):
            if quad.predicate.value in keep:
                out.add((URIRef(iri), URIRef(quad.predicate.value), to_rdflib(quad.object)))
                if quad.predicate.value in follow:
                    wanted.add(quad.object.value)
    return out


def close(files: list[Path]) -> bytes:
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
    files = law_files()
    cache = cache_dir()
    key = _cache_key([*files, *sorted(paths.GRAPH_DIR.glob("*.ttl"))])  # the Act's text is in the extract
    target = cache / f"closed-law-{key}.nt" if cache else None
    if target is not None and target.is_file():
        return target.read_bytes()
    data = close(files)
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
    versions = sorted(s for s, props in index.items() if str(GPAI.ActVersion) in props.get(_TYPE, ()))
    return ClosedLaw(_rule_extract(quads, index), index, dated_values(quads), versions)


def _rule_texts() -> str:
    return " ".join(rule.text(None) for rule in rules())


def predicates_read(texts: str) -> set[str]:
    """The predicates SPARQL texts name (and rdf:type)."""
    used = {_TYPE}
    for prefix, name in re.findall(r"\b(gpai|eli|rdf|rdfs|prov):([A-Za-z_]\w*)", texts):
        used.add(str(PREFIXES[prefix]) + name)
    used.update(re.findall(r"<(http[^>\s]+)>", texts))
    return used


@lru_cache(maxsize=1)
def read_by_rules() -> tuple[frozenset[str], frozenset[str]]:
    """What the rules' queries read: the predicates they name, and the
    classes (of ``rdf:type``) they name."""
    texts = _rule_texts()
    return (frozenset(predicates_read(texts)),
            frozenset(str(GPAI) + name for name in re.findall(r"\bgpai:([A-Z]\w*)", texts)))


def _rule_extract(quads: list, index: Index) -> list:
    """The part of the closed law the rules read: triples of the predicates
    their queries name; of rdf:type, only the classes they name; of
    rdfs:subClassOf, only the hierarchy above the classes of models (what
    cax-sco needs for the assessed model)."""
    used, named_classes = read_by_rules()
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
