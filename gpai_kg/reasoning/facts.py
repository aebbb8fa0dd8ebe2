"""A checked model description as RDF, in the terms of ontology/model.ttl:
the model, each fact stated once on the model (or its original) and once as a
reified ``gpai:Fact`` that explanations cite, and the assessment node.

IRIs: the model ``https://w3id.org/gpai-kg/id/model/<kebab name>`` (or the
one a Turtle description gave); its original ``<model>/original``; a fact
``<model>/fact/<key>`` (``<model>/fact/modalities/<name>``); the assessment
``<model>/assessment/<date>`` and its date ``<assessment>/fact/as_of``.
A key whose value is unknown states nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gpai_kg.reasoning.contract import InputKey, keys
from gpai_kg.reasoning.description import ModelDescription


def property_iri(prop: str):
    """The rdflib IRI of a key's property (the contract gives full IRIs)."""
    from rdflib import URIRef

    return URIRef(prop)


def model_iri(description: ModelDescription) -> str:
    """The model's IRI: the one a Turtle description gave, else one minted
    from its name under ``https://w3id.org/gpai-kg/id/model/``."""
    from gpai_kg.namespaces import GKG, kebab

    return description.iri or str(GKG[f"model/{kebab(description.name, 'model')}"])


def _literal(spec: InputKey, value: Any):
    from rdflib import Literal
    from rdflib.namespace import XSD

    if spec.datatype == str(XSD.double):
        return Literal(float(value), datatype=XSD.double)
    if spec.kind == "count":
        return Literal(int(value), datatype=XSD.integer) if isinstance(value, int) else \
            Literal(float(value), datatype=XSD.double)
    if spec.kind == "bool":
        return Literal(bool(value), datatype=XSD.boolean)
    if spec.kind == "date":
        return Literal(value, datatype=XSD.date)
    return Literal(str(value))


def description_triples(description: ModelDescription, as_of: date) -> tuple[str, str, list[tuple]]:
    """The description as triples (rdflib terms): the model, each fact stated
    once on the model and once as a reified ``gpai:Fact`` (for explanations),
    and the assessment node with its date. Returns (model IRI, assessment IRI,
    triples). A key whose value is unknown states nothing."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, XSD

    from gpai_kg.namespaces import GKG, GPAI

    model = URIRef(model_iri(description))
    assessment = URIRef(f"{model}/assessment/{as_of.isoformat()}")
    original = URIRef(f"{model}/original")
    true = Literal(True)
    triples: list[tuple] = [
        (model, RDF.type, GPAI.AIModel),
        (assessment, RDF.type, GPAI.Assessment),
        (assessment, GPAI.assessedModel, model),
        (assessment, GPAI.asOf, Literal(as_of, datatype=XSD.date)),
    ]

    def fact(node, key, subject, prop, obj, assumed=False):
        triples.extend([(node, RDF.type, GPAI.Fact), (node, RDF.subject, subject), (node, RDF.predicate, prop),
                        (node, RDF.object, obj), (node, GPAI.inputKey, Literal(key))])
        if assumed:
            triples.append((node, GPAI.assumed, true))

    fact(URIRef(f"{assessment}/fact/as_of"), "as_of", assessment, GPAI.asOf, Literal(as_of, datatype=XSD.date))
    for key, spec in keys().items():
        value = description.values.get(key)
        if value is None or (spec.kind == "object" and key != "modified_from"):
            continue
        subject = original if spec.on_original else model
        prop = property_iri(spec.prop)
        assumed = key in description.assumed
        if key == "modified_from":
            triples += [(model, prop, original), (original, RDF.type, GPAI.AIModel)]
            fact(URIRef(f"{model}/fact/{key}"), key, model, prop, original)
        elif spec.kind == "modalities":
            for name in value:
                obj = GKG[f"modality/{name}"]
                triples.append((model, prop, obj))
                fact(URIRef(f"{model}/fact/modalities/{name}"), key, model, prop, obj)
        else:
            obj = _literal(spec, value)
            triples.append((subject, prop, obj))
            fact(URIRef(f"{model}/fact/{key}"), key, subject, prop, obj, assumed)
    return str(model), str(assessment), triples
