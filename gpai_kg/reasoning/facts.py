"""A checked model description as RDF, in the terms of ontology/model.ttl:
the model, each fact stated once on the model (or its original) and once as a
reified ``gpai:Fact`` that explanations cite, and the assessment node.

IRIs: the model ``https://w3id.org/gpai-kg/id/model/<kebab name>`` (or the
one a Turtle description gave); its original ``<model>/original``; a fact
``<model>/fact/<key>`` (``<model>/fact/modalities/<name>``); the assessment
``<model>/assessment/<date>`` and its date ``<assessment>/fact/as_of``.
A key whose value is unknown states nothing.

The triples are pyoxigraph's, made straight from the values (the engines'
hot path: no rdflib); ``as_rdflib`` gives them as rdflib's (SHACL, the
naive path).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyoxigraph as ox

from gpai_kg.namespaces import GPAI
from gpai_kg.reasoning.contract import InputKey, keys
from gpai_kg.reasoning.description import ModelDescription
from gpai_kg.reasoning.terms import XSD, named, to_rdflib

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
T_TYPE, T_SUBJECT, T_PREDICATE, T_OBJECT = (named(_RDF + n) for n in ("type", "subject", "predicate", "object"))
C_MODEL, C_ASSESSMENT, C_FACT = (named(str(GPAI) + n) for n in ("AIModel", "Assessment", "Fact"))
P_ASSESSED, P_AS_OF, P_INPUT_KEY, P_ASSUMED = (named(str(GPAI) + n) for n in ("assessedModel", "asOf", "inputKey", "assumed"))
_DOUBLE, _INTEGER, _BOOLEAN, _DATE = (named(XSD + n) for n in ("double", "integer", "boolean", "date"))
_TRUE = ox.Literal("true", datatype=_BOOLEAN)


def model_iri(description: ModelDescription) -> str:
    """The model's IRI: the one a Turtle description gave, else one minted
    from its name under ``https://w3id.org/gpai-kg/id/model/``."""
    from gpai_kg.namespaces import GKG, kebab

    return description.iri or str(GKG[f"model/{kebab(description.name, 'model')}"])


def _literal(spec: InputKey, value: Any) -> ox.Literal:
    """The value's literal, with the lexical form rdflib gives the same value."""
    if spec.datatype == XSD + "double" or (spec.kind == "count" and not isinstance(value, int)):
        return ox.Literal(repr(float(value)), datatype=_DOUBLE)
    if spec.kind == "count":
        return ox.Literal(str(int(value)), datatype=_INTEGER)
    if spec.kind == "bool":
        return ox.Literal("true" if value else "false", datatype=_BOOLEAN)
    if spec.kind == "date":
        return ox.Literal(str(value), datatype=_DATE)
    return ox.Literal(str(value))


def description_triples(description: ModelDescription, as_of: date,
                        records: bool = True) -> tuple[str, str, list[ox.Triple]]:
    """The description as pyoxigraph triples: the model, each fact stated
    once on the model and once as a reified ``gpai:Fact`` (for explanations;
    not with ``records`` False), and the assessment node with its date.
    Returns (model IRI, assessment IRI, triples). A key whose value is unknown
    states nothing."""
    model, assessment, statements = _statements(description, as_of, records)
    return model, assessment, [ox.Triple(s, p, o) for s, p, o in statements]


def description_ntriples(description: ModelDescription, as_of: date) -> tuple[str, str, str]:
    """The same triples, without the fact records, as N-Triples text (a
    batch's store loads a chunk's in one parse: no Python object per triple)."""
    model, assessment, statements = _statements(description, as_of, records=False)
    return model, assessment, "".join(f"{s} {p} {o} .\n" for s, p, o in statements)


def _statements(description: ModelDescription, as_of: date, records: bool) -> tuple[str, str, list[tuple]]:
    from gpai_kg.namespaces import GKG

    iri = model_iri(description)
    model, assessment, original = named(iri), ox.NamedNode(f"{iri}/assessment/{as_of.isoformat()}"), \
        ox.NamedNode(f"{iri}/original")
    day = ox.Literal(as_of.isoformat(), datatype=_DATE)
    triples: list[tuple] = [(model, T_TYPE, C_MODEL), (assessment, T_TYPE, C_ASSESSMENT),
                            (assessment, P_ASSESSED, model), (assessment, P_AS_OF, day)]

    def fact(node, key, subject, prop, obj, assumed=False):
        if not records:
            return
        node = ox.NamedNode(node)
        triples.extend([(node, T_TYPE, C_FACT), (node, T_SUBJECT, subject), (node, T_PREDICATE, prop),
                        (node, T_OBJECT, obj), (node, P_INPUT_KEY, ox.Literal(key))])
        if assumed:
            triples.append((node, P_ASSUMED, _TRUE))

    fact(f"{assessment.value}/fact/as_of", "as_of", assessment, P_AS_OF, day)
    modality = str(GKG) + "modality/"
    for key, spec in keys().items():
        value = description.values.get(key)
        if value is None or (spec.kind == "object" and key != "modified_from"):
            continue
        subject = original if spec.on_original else model
        prop = named(spec.prop)
        if key == "modified_from":
            triples += [(model, prop, original), (original, T_TYPE, C_MODEL)]
            fact(f"{iri}/fact/{key}", key, model, prop, original)
        elif spec.kind == "modalities":
            for name in value:
                obj = named(modality + name)
                triples.append((model, prop, obj))
                fact(f"{iri}/fact/modalities/{name}", key, model, prop, obj)
        else:
            obj = _literal(spec, value)
            triples.append((subject, prop, obj))
            fact(f"{iri}/fact/{key}", key, subject, prop, obj, key in description.assumed)
    return iri, assessment.value, triples


def as_rdflib(triples: list[ox.Triple]) -> list[tuple]:
    """pyoxigraph triples as rdflib's."""
    return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in triples]
