"""The input contract: the keys a model description may give, defined once,
as the property shapes of ``ontology/shapes-model.ttl``.

Each property shape is one key: ``sh:name`` (the JSON/YAML key; nested keys
dotted, ``open_source.weights_public``), ``sh:path`` (the property it is
stated as), ``gpai:inputKind`` (how it is read: text, country, flop, count,
bool, date, modalities, object), ``sh:defaultValue`` (the value an absent key
takes; a key with none stays unknown), ``sh:order``, ``sh:group``,
``rdfs:label`` and ``skos:example`` (how the app's form asks for it) and
``sh:description`` (what it means and which provision it serves) and
``gpai:impliesKey`` with ``gpai:impliedValue`` (a yes/no key it sets when
given), besides its
constraints (``sh:datatype``, ``sh:minInclusive``, ``sh:pattern``, ``sh:in``,
``sh:maxCount``, ``sh:maxLength``). The checks of
``gpai_kg.reasoning.description``, the JSON keys, the app's form and
``docs/input-contract.md`` are read from here; so are the limits of a
description (``limits()``: the ``gpai:InputLimits`` node of the same file).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gpai_kg import paths

ABSENT = object()  # "no default": an absent key stays unknown
_MODEL_SHAPE = "https://w3id.org/gpai-kg/shapes/model#DescribedModelShape"


@dataclass(frozen=True)
class InputKey:
    """One key of the input contract, as its property shape states it."""

    key: str
    prop: str  # the property's IRI
    kind: str  # text | country | flop | count | bool | date | modalities | object
    default: Any = ABSENT
    order: int = 0
    label: str = ""
    description: str = ""
    example: str = ""
    group: str = ""
    group_label: str = ""
    datatype: str = ""
    minimum: float | None = None
    pattern: str | None = None
    max_length: int | None = None  # sh:maxLength
    allowed: tuple[str, ...] = ()  # sh:in, as the names the input uses
    on_original: bool = False  # stated on the original model (modified_from.*)
    implies: tuple[tuple[str, Any], ...] = ()  # (key, value) this key, when given, implies (gpai:impliesKey)

    @property
    def parent(self) -> str | None:
        return self.key.rsplit(".", 1)[0] if "." in self.key else None


@lru_cache(maxsize=1)  # read, never changed: keys() and limits() parse it once
def _shapes():
    from rdflib import Graph

    return Graph().parse(paths.ONTOLOGY_DIR / "shapes-model.ttl", format="turtle")


@lru_cache(maxsize=1)
def keys() -> dict[str, InputKey]:
    """Every key of the contract, in ``sh:order``."""
    from rdflib import URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import RDFS, SH, SKOS

    from gpai_kg.namespaces import GPAI

    graph = _shapes()
    found = []
    for shape, name in graph.subject_objects(SH.name):
        owner = next(graph.subjects(SH.property, shape))
        default = graph.value(shape, SH.defaultValue)
        group = graph.value(shape, SH.group)
        allowed = graph.value(shape, SH["in"])
        minimum = graph.value(shape, SH.minInclusive)
        pattern = graph.value(shape, SH.pattern)
        max_length = graph.value(shape, SH.maxLength)

        def text(prop, node=shape):
            value = graph.value(node, prop)
            return str(value) if value is not None else ""

        found.append(InputKey(
            key=str(name), prop=str(graph.value(shape, SH.path)), kind=text(GPAI.inputKind),
            default=default.toPython() if default is not None else ABSENT,
            order=int(graph.value(shape, SH.order) or 0), label=text(RDFS.label), description=text(SH.description),
            example=text(SKOS.example), group=str(group or ""), group_label=text(RDFS.label, group) if group else "",
            datatype=text(SH.datatype),
            minimum=float(minimum) if minimum is not None else None, pattern=str(pattern) if pattern else None,
            max_length=int(max_length) if max_length is not None else None,
            allowed=tuple(str(v).rsplit("/", 1)[-1] for v in Collection(graph, allowed)) if allowed else (),
            on_original=owner != URIRef(_MODEL_SHAPE),
            implies=tuple((str(k), graph.value(shape, GPAI.impliedValue).toPython())
                          for k in graph.objects(shape, GPAI.impliesKey))))
    return {k.key: k for k in sorted(found, key=lambda k: k.order)}


@dataclass(frozen=True)
class Limits:
    """The most a description may be (``gpai:InputLimits`` in shapes-model.ttl)."""

    file_bytes: int
    registry_bytes: int
    nesting: int
    digits: int
    yaml_aliases: int


@lru_cache(maxsize=1)
def limits() -> Limits:
    """The limits of a model description, as the shapes file states them."""
    from rdflib.namespace import RDF

    from gpai_kg.namespaces import GPAI

    graph = _shapes()
    node = next(graph.subjects(RDF.type, GPAI.InputLimits))

    def number(prop: str) -> int:
        return int(graph.value(node, GPAI[prop]))

    return Limits(number("maxFileBytes"), number("maxRegistryBytes"), number("maxNesting"), number("maxDigits"),
                  number("maxYamlAliases"))


def modalities() -> tuple[str, ...]:
    """The modalities of the contract (guidelines C(2025) 5045, section 2.1 and
    its footnotes 2-3: text includes code, audio includes speech); "other" is
    ours: an output of none of those kinds (also what an empty list says)."""
    return keys()["modalities"].allowed


def groups() -> list[tuple[str, list[InputKey]]]:
    """(group label, its keys) in the groups' order: how people are asked for them."""
    from rdflib import URIRef
    from rdflib.namespace import SH

    graph = _shapes()
    by_group: dict[str, list[InputKey]] = {}
    for key in keys().values():
        by_group.setdefault(key.group, []).append(key)
    ordered = sorted(by_group, key=lambda g: int(graph.value(URIRef(g), SH.order) or 0) if g else 99)
    return [(by_group[g][0].group_label, by_group[g]) for g in ordered]
