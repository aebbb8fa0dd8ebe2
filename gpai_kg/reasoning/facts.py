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
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from gpai_kg.namespaces import GKG, GPAI, kebab
from gpai_kg.reasoning.compiled.terms import literal
from gpai_kg.reasoning.contract import InputKey, keys
from gpai_kg.reasoning.description import ModelDescription
from gpai_kg.reasoning.terms import XSD, named, to_rdflib

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_MODALITY = f"{GKG}modality/"


def model_iri(description: ModelDescription) -> str:
    """The model's IRI: the one a Turtle description gave, else one minted
    from its name under ``https://w3id.org/gpai-kg/id/model/``."""
    return description.iri or str(GKG[f"model/{kebab(description.name, 'model')}"])


def _lexical(spec: InputKey, value: Any) -> tuple[str, str]:
    """The value's literal (lexical form, datatype), with the lexical form rdflib gives the same value
    (a truth value's: ``_Terms.true`` and ``false``)."""
    if spec.datatype == XSD + "double" or (spec.kind == "count" and not isinstance(value, int)):
        return repr(float(value)), XSD + "double"
    if spec.kind == "count":
        return str(int(value)), XSD + "integer"
    if spec.kind == "date":
        return str(value), XSD + "date"
    return str(value), XSD + "string"


class _Terms:
    """How the triples' terms are made: pyoxigraph's (``OX``) or the compiled
    rules' (``gpai_kg.reasoning.compiled``: an IRI a ``str``), and, made once
    (``plan``), the keys a description states with their properties."""

    def __init__(self, iri, literal):
        self.iri, self.literal = iri, literal
        self._plan: tuple | None = None
        self.type, self.subject, self.predicate, self.object = (iri(_RDF + n) for n in
                                                               ("type", "subject", "predicate", "object"))
        self.model, self.assessment, self.fact = (iri(str(GPAI) + n) for n in ("AIModel", "Assessment", "Fact"))
        self.assessed, self.as_of, self.input_key, self.assumed = (
            iri(str(GPAI) + n) for n in ("assessedModel", "asOf", "inputKey", "assumed"))
        self.true, self.false = literal("true", XSD + "boolean"), literal("false", XSD + "boolean")

    def plan(self) -> tuple[tuple[str, InputKey, Any, bool, str], ...]:
        """The keys a description states a triple of (``_stated``), each with its spec, its property,
        whether it is stated on the original, and its kind (``modified_from`` a kind of its own)."""
        if self._plan is None:
            self._plan = tuple((key, spec, self.iri(spec.prop), spec.on_original,
                                key if key == "modified_from" else spec.kind) for key, spec in _stated())
        return self._plan


OX = _Terms(named, lambda lex, dt: ox.Literal(lex) if dt == XSD + "string" else ox.Literal(lex, datatype=named(dt)))
COMPILED_TERMS = _Terms(str, literal)


def description_triples(description: ModelDescription, as_of: date,
                        records: bool = True) -> tuple[str, str, list[ox.Triple]]:
    """The description as pyoxigraph triples: the model, each fact stated
    once on the model and once as a reified ``gpai:Fact`` (for explanations;
    not with ``records`` False), and the assessment node with its date.
    Returns (model IRI, assessment IRI, triples). A key whose value is unknown
    states nothing."""
    model, assessment, statements = description_terms(description, as_of, OX, records)
    return model, assessment, [ox.Triple(s, p, o) for s, p, o in statements]


@lru_cache(maxsize=1)
def _stated() -> tuple[tuple[str, InputKey], ...]:
    """The input keys a description states a triple of (not the objects, but ``modified_from``)."""
    return tuple((key, spec) for key, spec in keys().items() if spec.kind != "object" or key == "modified_from")


def description_terms(description: ModelDescription, as_of: date, terms: _Terms,
                      records: bool = False) -> tuple[str, str, list[tuple]]:
    """The same triples as (subject, predicate, object) of ``terms``' terms."""
    t = terms
    iri = model_iri(description)
    assessment_iri = f"{iri}/assessment/{as_of.isoformat()}"
    model, assessment, original = t.iri(iri), t.iri(assessment_iri), t.iri(f"{iri}/original")
    day = t.literal(as_of.isoformat(), XSD + "date")
    triples: list[tuple] = [(model, t.type, t.model), (assessment, t.type, t.assessment),
                            (assessment, t.assessed, model), (assessment, t.as_of, day)]

    def fact(node, key, subject, prop, obj, assumed=False):  # with records only: its IRI is not minted else
        node = t.iri(node)
        triples.extend([(node, t.type, t.fact), (node, t.subject, subject), (node, t.predicate, prop),
                        (node, t.object, obj), (node, t.input_key, t.literal(key, XSD + "string"))])
        if assumed:
            triples.append((node, t.assumed, t.true))

    if records:
        fact(f"{assessment_iri}/fact/as_of", "as_of", assessment, t.as_of, day)
    values, modality = description.values, _MODALITY
    for key, spec, prop, on_original, kind in t.plan():
        value = values.get(key)
        if value is None:
            continue
        if kind == "bool":  # most keys: no call
            obj = t.true if value else t.false
        elif kind == "modified_from":
            triples += [(model, prop, original), (original, t.type, t.model)]
            if records:
                fact(f"{iri}/fact/{key}", key, model, prop, original)
            continue
        elif kind == "modalities":
            for name in value:
                obj = t.iri(modality + name)
                triples.append((model, prop, obj))
                if records:
                    fact(f"{iri}/fact/modalities/{name}", key, model, prop, obj)
            continue
        else:
            obj = t.literal(*_lexical(spec, value))
        subject = original if on_original else model
        triples.append((subject, prop, obj))
        if records:
            fact(f"{iri}/fact/{key}", key, subject, prop, obj, key in description.assumed)
    return iri, assessment_iri, triples


def as_rdflib(triples: list[ox.Triple]) -> list[tuple]:
    """pyoxigraph triples as rdflib's."""
    return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in triples]
