"""Namespaces of gpai-kg and of the vocabularies it reuses.

Naming rules (see CONTRIBUTING.md): classes PascalCase, properties camelCase,
provisions identified by ELI IRIs (``gpai_kg.citations``), everything else of
ours under ``GKG`` with kebab-case local names.
"""

import re

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

#: The ELI ontology (European Legislation Identifier).
ELI = Namespace("http://data.europa.eu/eli/ontology#")
#: The AI Act as a work; subdivisions hang below it (see ``citations``).
ACT_BASE = "http://data.europa.eu/eli/reg/2024/1689/"
ACT_IRI = ACT_BASE + "oj"
#: gpai-kg's own ontology (classes and properties).
GPAI = Namespace("https://w3id.org/gpai-kg/ontology#")
#: gpai-kg's own individuals (obligations, definitions, Q&A entries, rules...).
GKG = Namespace("https://w3id.org/gpai-kg/id/")
#: Named graphs in the dataset.
GRAPH = Namespace("https://w3id.org/gpai-kg/graph/")
#: W3C Data Privacy Vocabulary, core and its EU AI Act extension.
DPV = Namespace("https://w3id.org/dpv#")
EU_AIACT = Namespace("https://w3id.org/dpv/legal/eu/aiact#")
#: AI Risk Ontology.
AIRO = Namespace("https://w3id.org/airo#")
#: Celex-based IRIs for acts that have no ELI we can vouch for.
CELEX = Namespace("http://publications.europa.eu/resource/celex/")

PREFIXES = {
    "eli": ELI,
    "gpai": GPAI,
    "gkg": GKG,
    "aiact": Namespace(ACT_BASE),
    "dpv": DPV,
    "eu-aiact": EU_AIACT,
    "airo": AIRO,
    "celex": CELEX,
    "dcterms": DCTERMS,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "xsd": XSD,
}


#: The law's own individuals, by kind (prefixes of the curated Turtle files and
#: of the rules; not bound on exports, where ``gkg:`` covers them).
LAW_PREFIXES = {kind: Namespace(f"{GKG}{kind}/") for kind in (
    "actor", "condition", "deadline", "exemption", "guidance", "obligation", "penalty", "power", "rule",
    "source", "threshold", "modality", "note", "time-limit", "documentation", "required-fact", "infringement",
    "member-state", "eea-efta-state")}

_LONGEST_FIRST = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda p: -len(p[0]))


def compact(iri: str) -> str | None:
    """``prefix:local`` for an IRI in one of the project's namespaces, else ``None``."""
    for ns, prefix in _LONGEST_FIRST:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return None


def kebab(text: str, empty: str = "") -> str:
    """The kebab-case local name of our individuals (CONTRIBUTING.md): "What are
    general-purpose AI models?" -> ``what-are-general-purpose-ai-models``;
    ``empty`` when nothing is left."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or empty


def prologue(prefixes: dict | None = None, used_in: str | None = None) -> str:
    """SPARQL ``PREFIX`` declarations of ``prefixes`` (default: the project's),
    only those ``used_in`` a query's text when it is given."""
    declared = []
    for prefix, ns in (PREFIXES if prefixes is None else prefixes).items():
        if used_in is None or re.search(rf"(?<![\w-]){re.escape(prefix)}:", used_in):
            declared.append(f"PREFIX {prefix}: <{ns}>\n")
    return "".join(declared)


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib graph or dataset."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
