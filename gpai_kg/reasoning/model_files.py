"""Model descriptions in files: ``.json``, ``.yaml``/``.yml`` or ``.ttl`` (the
ontology's terms, read back into the input contract), checked key by key
(``gpai_kg.reasoning.description``) and then as RDF against the shapes of
``ontology/shapes-model.ttl`` (pySHACL). Every bad input is one ``UserError``
naming the file and the key."""

from __future__ import annotations

import difflib
import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from gpai_kg.errors import UserError
from gpai_kg.reasoning.contract import keys, modalities
from gpai_kg.reasoning.description import ModelDescription, describe
from gpai_kg.reasoning.facts import description_triples, property_iri


class _YamlLoader:
    """PyYAML's safe loader without implicit dates, so ``2025-02-30`` reaches
    the date check (and its message naming the key) as text."""

    @staticmethod
    def load(text: str):
        import yaml

        class Loader(yaml.SafeLoader):
            pass

        Loader.yaml_implicit_resolvers = {
            ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
        return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass


def _read(path: Path) -> str:
    if not path.exists():
        raise UserError(f"no such file: {path}")
    if not path.is_file():
        raise UserError(f"not a file: {path}")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read it as UTF-8 text ({exc.__class__.__name__})") from None


def load_description(path: str | Path, shacl: bool = True) -> ModelDescription:
    """Read a model description from a ``.json``, ``.yaml``/``.yml`` or ``.ttl``
    file; check it (and, with ``shacl``, its RDF against shapes-model.ttl)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml", ".ttl"):
        raise UserError(f"{path}: unsupported file type {suffix or '(none)'!r}; use .json, .yaml or .ttl")
    text = _read(path)
    try:
        if suffix == ".json":
            try:
                raw = json.loads(text)
            except json.JSONDecodeError as exc:
                raise UserError(f"{path}: not valid JSON: {exc}") from None
            description = describe(raw, source=str(path))
        elif suffix in (".yaml", ".yml"):
            import yaml

            try:
                raw = _YamlLoader.load(text)
            except yaml.YAMLError as exc:
                where = getattr(exc, "problem_mark", None)
                at = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
                raise UserError(f"{path}: not valid YAML: {getattr(exc, 'problem', None) or exc}{at}") from None
            description = describe(raw, source=str(path))
        else:
            description = description_from_turtle(text, source=str(path))
    except UserError as exc:
        message = str(exc)
        raise UserError(message if message.startswith(str(path)) else f"{path}: {message}") from None
    if shacl:
        check_shapes(description, source=str(path))
    return description


def description_from_turtle(text: str, source: str | None = None) -> ModelDescription:
    """A model described in the ontology's terms (Turtle), read back into the
    input contract: one ``gpai:AIModel`` that is not another's original."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF

    from gpai_kg.namespaces import GKG, GPAI

    graph = Graph()
    try:
        graph.parse(data=text, format="turtle")
    except Exception as exc:  # rdflib raises several parser error types
        raise UserError(f"not valid Turtle: {' '.join(str(exc).split())[:200]}") from None
    originals = set(graph.objects(None, GPAI.modifiedFrom))
    model_classes = {GPAI.AIModel, GPAI.GeneralPurposeAIModel, GPAI.GeneralPurposeAIModelWithSystemicRisk}
    models = sorted({s for c in model_classes for s in graph.subjects(RDF.type, c) if s not in originals}, key=str)
    if len(models) != 1:
        found = "no gpai:AIModel" if not models else f"{len(models)} models ({', '.join(map(str, models[:3]))})"
        raise UserError(f"expected one model typed gpai:AIModel, found {found}")
    model = models[0]
    if not isinstance(model, URIRef):
        raise UserError("the gpai:AIModel must be named by an IRI, not a blank node")
    by_prop = {property_iri(spec.prop): key for key, spec in keys().items() if "." not in key}
    nested = {property_iri(spec.prop): key for key, spec in keys().items() if spec.on_original}
    modality_of = {GKG[f"modality/{name}"]: name for name in modalities()}

    def read(subject, table, prefix=""):
        raw: dict[str, Any] = {}
        for prop, obj in sorted(graph.predicate_objects(subject), key=lambda po: (str(po[0]), str(po[1]))):
            if prop == RDF.type:
                continue
            key = table.get(prop)
            if key is None:
                if str(prop).startswith(str(GPAI)) and str(prop) not in _declared_terms():
                    local = str(prop)[len(str(GPAI)):]
                    names = {str(p)[len(str(GPAI)):] for p in table if str(p).startswith(str(GPAI))}
                    close = difflib.get_close_matches(local, sorted(names), n=1, cutoff=0.5)
                    close = close or [n for n in sorted(names) if n.startswith(local)][:1]
                    hint = f" — did you mean gpai:{close[0]}?" if close else ""
                    raise UserError(f"unknown property gpai:{local}{hint}")
                continue  # comments, sources and other vocabularies are left alone
            if keys()[key].kind == "modalities":
                if obj not in modality_of:
                    raise UserError(f"modalities: {obj} is not one of the modality individuals "
                                    f"({', '.join(modalities())} under {GKG['modality/']})")
                raw.setdefault(key[len(prefix):], []).append(modality_of[obj])
                continue
            if key == "modified_from":
                raw["modified_from"] = read(obj, nested, "modified_from.")
                continue
            if key[len(prefix):] in raw:
                raise UserError(f"{key} is given twice ({raw[key[len(prefix):]]!r} and {obj})")
            raw[key[len(prefix):]] = obj.toPython() if isinstance(obj, Literal) else str(obj)
            if isinstance(raw[key[len(prefix):]], Literal):  # an ill-typed literal, e.g. "2025-02-30"^^xsd:date
                raw[key[len(prefix):]] = str(obj)
        return raw

    raw = read(model, by_prop)
    if "general_purpose" not in raw and (model, RDF.type, GPAI.GeneralPurposeAIModel) in graph:
        raw["general_purpose"] = True  # typed as one: declared so
    return describe(raw, iri=str(model), source=source)


@lru_cache(maxsize=1)
def _declared_terms() -> frozenset[str]:
    """Every term the ontology declares: a description read back may carry
    concluded properties (gpai:hasObligation ...), which are left alone; an
    undeclared gpai: term is a mistake."""
    from rdflib import Graph
    from rdflib.namespace import RDF

    from gpai_kg.paths import ontology_files

    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return frozenset(str(s) for s in graph.subjects(RDF.type, None))


def check_shapes(description: ModelDescription, source: str | None = None) -> None:
    """Check the description's RDF against ``ontology/shapes-model.ttl``
    (pySHACL); ``UserError`` with the first violation's message."""
    from pyshacl import validate
    from rdflib import Graph
    from rdflib.namespace import SH

    data = Graph()
    for triple in description_triples(description, date(2025, 8, 2))[2]:
        data.add(triple)
    shapes = _shapes_graph()
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="none")
    if conforms:
        return
    messages = sorted(str(m) for m in report.objects(None, SH.resultMessage))
    where = f"{source}: " if source else ""
    raise UserError(f"{where}does not conform to ontology/shapes-model.ttl: {messages[0] if messages else 'violation'}")


@lru_cache(maxsize=1)
def _shapes_graph():
    from rdflib import Graph

    from gpai_kg import paths

    return Graph().parse(paths.ONTOLOGY_DIR / "shapes-model.ttl", format="turtle")
