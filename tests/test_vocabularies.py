"""Every external IRI gpai-kg uses exists in the vocabulary it belongs to, at
the release the project names (``data/sources/vocabularies/README.md``).

"External" is any IRI in a reused vocabulary's namespace (DPV, its EU AI Act
extension, AIRO, ELI, SKOS, PROV-O, DCTERMS, VANN, SPDX, SHACL) found in the
``all`` export (ontology, curated law, built graph, shapes), in an
assessment's RDF (conclusions and their PROV-O trail) or in a SPARQL file
(canned queries and the rules' queries). A term counts as existing when the
vocabulary file describes it (it is the subject of a triple there).

SKOS, DCTERMS and VANN are checked against rdflib's closed namespaces, which
rdflib generates from their owners' files (the docstrings of
``rdflib.namespace.SKOS`` / ``DCTERMS`` / ``VANN`` name them).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pytest

from gpai_kg import paths

VOCABULARIES_DIR = paths.SOURCES_DIR / "vocabularies"

#: namespace -> (prefix, the files that define it, relative to data/sources/vocabularies/)
VOCABULARIES = {
    "https://w3id.org/dpv/legal/eu/aiact#": ("eu-aiact", ("dpv-2.3/eu-aiact.ttl",)),
    "https://w3id.org/dpv#": ("dpv", ("dpv-2.3/rules.ttl", "dpv-2.3/jurisdiction.ttl")),
    "https://w3id.org/airo#": ("airo", ("airo-1.0/airo.ttl",)),
    "http://www.w3.org/ns/prov#": ("prov", ("prov-o-2013/prov-o-20130430.ttl",)),
    "http://spdx.org/rdf/terms#": ("spdx", ("spdx-2.3/spdx-ontology.owl.ttl",)),
    "http://www.w3.org/ns/shacl#": ("sh", ("shacl-2017/shacl.ttl",)),
    "http://data.europa.eu/eli/ontology#": ("eli", ("eli-1.5/eli.rdf",)),
    "http://www.w3.org/2004/02/skos/core#": ("skos", ()),
    "http://purl.org/dc/terms/": ("dcterms", ()),
    "http://purl.org/vocab/vann/": ("vann", ()),
}
#: Vocabularies whose file is not kept: rdflib's closed namespace stands in.
RDFLIB = {"http://www.w3.org/2004/02/skos/core#": "SKOS", "http://purl.org/dc/terms/": "DCTERMS",
          "http://purl.org/vocab/vann/": "VANN"}

def _format(path: Path) -> ox.RdfFormat:
    return ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.RDF_XML


@lru_cache(maxsize=None)
def defined(namespace: str) -> frozenset[str]:
    """The terms of ``namespace`` its vocabulary file(s) describe."""
    if namespace in RDFLIB:
        import rdflib.namespace

        closed = getattr(rdflib.namespace, RDFLIB[namespace])
        return frozenset(namespace + name for name in closed.__annotations__)
    terms = set()
    for name in VOCABULARIES[namespace][1]:
        path = VOCABULARIES_DIR / name
        assert path.is_file(), f"data/sources/vocabularies/{name} is missing: it defines {namespace}"
        for triple in ox.parse(path=str(path), format=_format(path)):
            if isinstance(triple.subject, ox.NamedNode) and triple.subject.value.startswith(namespace):
                terms.add(triple.subject.value)
    return frozenset(terms)


def _iris(triples) -> set[str]:
    return {t.value for triple in triples for t in (triple.subject, triple.predicate, triple.object)
            if isinstance(t, ox.NamedNode)}


@lru_cache(maxsize=1)
def used() -> dict[str, set[str]]:
    """Every IRI in a reused vocabulary's namespace that gpai-kg uses, by namespace."""
    from gpai_kg.publish import rdf
    from gpai_kg.publish.assessment_rdf import assess_model, assessment_bytes

    iris = _iris(ox.parse(rdf.serialize("all", "nt"), format=ox.RdfFormat.N_TRIPLES))
    assessment = assessment_bytes(assess_model(paths.EXAMPLES_DIR / "frontier-model.json", "2026-12-01"), "nt")
    iris |= _iris(ox.parse(assessment, format=ox.RdfFormat.N_TRIPLES))
    prefixes = {prefix: ns for ns, (prefix, _) in VOCABULARIES.items()}
    name = re.compile(r"(?<![\w:-])(" + "|".join(map(re.escape, prefixes)) + r"):([A-Za-z_][\w-]*)")
    for path in [*paths.QUERIES_DIR.rglob("*.rq"), *(paths.ONTOLOGY_DIR / "rules").rglob("*.rq")]:
        text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                         if not line.lstrip().startswith("#"))
        iris |= {prefixes[m.group(1)] + m.group(2) for m in name.finditer(text)}
    out: dict[str, set[str]] = {ns: set() for ns in VOCABULARIES}
    for iri in iris:
        for ns in VOCABULARIES:
            if iri.startswith(ns) and len(iri) > len(ns):
                out[ns].add(iri)
    return out


@pytest.mark.parametrize("namespace", sorted(VOCABULARIES), ids=[VOCABULARIES[n][0] for n in sorted(VOCABULARIES)])
def test_every_term_used_exists_in_its_vocabulary(namespace):
    terms = used()[namespace]
    unknown = sorted(terms - defined(namespace))
    assert unknown == [], f"not in {VOCABULARIES[namespace][0]} at the release kept: {unknown}"


def test_the_three_dpv_iris_of_the_review_are_the_current_ones():
    """DPV 2.3 spells them ...BiometricIdentificationSystem and SystemicRisk (2.1 had SystemicRiskForEU)."""
    eu = "https://w3id.org/dpv/legal/eu/aiact#"
    terms = used()[eu]
    for old, new in (("RealtimeRemoteBiometriIdentificationSystem", "RealtimeRemoteBiometricIdentificationSystem"),
                     ("PostRemoteBiometriIdentificationSystem", "PostRemoteBiometricIdentificationSystem"),
                     ("SystemicRiskForEU", "SystemicRisk")):
        assert eu + old not in terms and eu + new in terms
        assert eu + new in defined(eu) and eu + old not in defined(eu)


def test_a_misspelt_term_is_caught():
    """Control: the check above can fail."""
    assert "https://w3id.org/dpv/legal/eu/aiact#SystemicRiskForEU" not in defined("https://w3id.org/dpv/legal/eu/aiact#")
    assert "http://www.w3.org/2004/02/skos/core#exactMatc" not in defined("http://www.w3.org/2004/02/skos/core#")


def test_a_label_given_to_an_external_term_is_its_vocabularys_own():
    """The ontology declares external terms and does not describe them; where
    it labels one (a class made equivalent to ours), the label is word for word
    the vocabulary's rdfs:label or skos:prefLabel."""
    from gpai_kg.publish import rdf

    label_props = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel")
    ours = ox.parse(rdf.serialize("ontology", "nt"), format=ox.RdfFormat.N_TRIPLES)
    labelled = [t for t in ours if t.predicate.value == label_props[0] and isinstance(t.subject, ox.NamedNode)
                and any(t.subject.value.startswith(ns) for ns in VOCABULARIES if ns not in RDFLIB)]
    assert labelled, "no external term is labelled: the check would pass vacuously"
    for triple in labelled:
        ns = next(ns for ns in VOCABULARIES if triple.subject.value.startswith(ns))
        theirs = set()
        for name in VOCABULARIES[ns][1]:
            path = VOCABULARIES_DIR / name
            theirs |= {t.object for t in ox.parse(path=str(path), format=_format(path))
                       if t.subject == triple.subject and t.predicate.value in label_props}
        assert triple.object in theirs, f"{triple.subject} labelled {triple.object}, its vocabulary says {theirs}"


def test_every_vocabulary_file_kept_is_named_here_and_in_the_readme():
    readme = (VOCABULARIES_DIR / "README.md").read_text(encoding="utf-8")
    named = {name for _, files in VOCABULARIES.values() for name in files}
    kept = {p.relative_to(VOCABULARIES_DIR).as_posix() for p in VOCABULARIES_DIR.rglob("*")
            if p.is_file() and p.suffix in (".ttl", ".rdf", ".owl")}
    assert kept <= named
    for name in kept:
        assert f"`{name}`" in readme, f"{name} has no provenance line in data/sources/vocabularies/README.md"
