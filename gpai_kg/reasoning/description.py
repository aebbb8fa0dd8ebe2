"""Model descriptions: read a described model from JSON, YAML or Turtle, check
it, and state it as RDF in the terms of ``ontology/model.ttl``.

The input contract is defined once, as the property shapes of
``ontology/shapes-model.ttl`` (``gpai_kg.reasoning.contract``): every key, its
property, how it is read, its default and its constraints.

A key that is *absent* takes its default (``placed_on_eu_market`` is assumed
true, the yes/no facts that trigger a rule are false); a key given as ``null``
is *unknown*: no triple is stated, and the rules that need it answer
"undetermined" naming it. Every bad input raises ``UserError`` naming the key.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from gpai_kg.errors import UserError
from gpai_kg.reasoning.contract import ABSENT, InputKey, keys, modalities

#: The modalities of the contract (its ``sh:in``), in order.
MODALITIES = modalities()


@dataclass(frozen=True)
class ModelDescription:
    """A checked model description: ``values`` maps every key of ``keys()`` (the
    nested ones dotted, ``open_source.weights_public``) to its value, ``None``
    when unknown; ``assumed`` holds the keys whose value is a default."""

    name: str
    values: Mapping[str, Any]
    assumed: frozenset[str] = frozenset()
    iri: str | None = None
    source: str | None = field(default=None, compare=False)

    def get(self, key: str) -> Any:
        return self.values.get(key)



# ----------------------------------------------------------------- checking

def _suggest(word: str, choices, what: str = "key") -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    if not close:  # "training_compute" is a prefix of "training_compute_flop"
        close = [c for c in choices if c.startswith(word) or word.startswith(c)][:1]
    return f" — did you mean '{close[0]}'?" if close else f" (known {what}s: {', '.join(sorted(choices))})"


_POWER = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*(?:x|×|\*|·)\s*)?10\s*\^\s*(\d+)\s*$")


def _number(key: str, value: Any, what: str, minimum: float | None) -> float:
    if isinstance(value, bool):
        raise UserError(f"{key} must be a number of {what}, got {json.dumps(value)}")
    if isinstance(value, str):
        m = _POWER.match(value)
        try:
            value = float(m.group(1) or 1) * 10 ** int(m.group(2)) if m else float(value.replace("_", ""))
        except ValueError:
            raise UserError(f"{key} must be a number of {what}, got {value!r}") from None
    if not isinstance(value, (int, float)):
        raise UserError(f"{key} must be a number of {what}, got {json.dumps(value, default=str)}")
    value = float(value)
    if not math.isfinite(value):
        raise UserError(f"{key} must be a finite number of {what}, got {value}")
    if minimum is not None and value < minimum:
        raise UserError(f"{key} must not be negative, got {value:g}" if minimum == 0 else
                        f"{key} must be at least {minimum:g}, got {value:g}")
    return value


def _country(key: str, value: Any) -> str:
    import pycountry

    if not isinstance(value, str):
        raise UserError(f"{key} must be an ISO 3166-1 alpha-2 code such as 'FR' or 'US', got {json.dumps(value)}")
    code = value.strip().upper()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code):
        return code
    hint = {"EL": "GR", "UK": "GB"}.get(code)  # the EU's own abbreviations for Greece and the United Kingdom
    if not hint:
        try:
            hint = pycountry.countries.lookup(value.strip()).alpha_2
        except LookupError:
            hint = None
    more = f" — did you mean '{hint}'?" if hint else ""
    raise UserError(f"{key} {value!r} is not an ISO 3166-1 alpha-2 country code{more}")


def _date(key: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise UserError(f"{key} must be a date written YYYY-MM-DD, got {json.dumps(value, default=str)}")
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise UserError(f"{key} {value!r} is not a valid date: {exc}") from None


def parse_date(value: Any, key: str = "--as-of") -> date:
    """A YYYY-MM-DD date, or ``UserError`` naming ``key``."""
    return _date(key, value)


def _check(key: str, spec: InputKey, value: Any) -> Any:
    kind = spec.kind
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise UserError(f"{key} must be a non-empty string, got {json.dumps(value, default=str)}")
        return " ".join(value.split())
    if kind == "country":
        return _country(key, value)
    if kind == "flop":
        return _number(key, value, "floating-point operations (FLOP)", spec.minimum)
    if kind == "count":
        number = _number(key, value, "units", spec.minimum)
        return int(number) if number.is_integer() and number < 2 ** 63 else number
    if kind == "bool":
        if not isinstance(value, bool):
            raise UserError(f"{key} must be true or false, got {json.dumps(value, default=str)}")
        return value
    if kind == "date":
        return _date(key, value)
    if kind == "modalities":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise UserError(f"{key} must be a list of {', '.join(MODALITIES[:-1])}; got {json.dumps(value, default=str)}")
        out = []
        for item in value:
            word = item.strip().lower() if isinstance(item, str) else item
            if word not in MODALITIES:
                raise UserError(f"{key}: unknown modality {item!r}{_suggest(str(word), MODALITIES, 'modalitie')}")
            if word not in out:
                out.append(word)
        return tuple(out) or ("other",)
    raise AssertionError(kind)


def _flatten(raw: Mapping, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        full = f"{prefix}{key}"
        if not isinstance(key, str) or full not in keys():
            level = [k for k in keys() if k.startswith(prefix) and "." not in k[len(prefix):]]
            raise UserError(f"unknown key '{full}'{_suggest(str(full), level)}")
        if keys()[full].kind == "object" and value is not None:
            if not isinstance(value, Mapping):
                raise UserError(f"{full} must be an object with the keys "
                                + ", ".join(k.split(".", 1)[1] for k in keys() if k.startswith(full + ".")))
            flat[full] = True
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = value
    return flat


def describe(raw: Any, iri: str | None = None, source: str | None = None) -> ModelDescription:
    """Check a mapping of the input contract and return a ``ModelDescription``."""
    if not isinstance(raw, Mapping):
        raise UserError("a model description must be an object (a mapping of keys such as name, "
                        "training_compute_flop, modalities)")
    flat = _flatten(raw)
    if flat.get("name") is None:
        raise UserError("name is required: the model's name")
    values: dict[str, Any] = {}
    assumed: set[str] = set()
    for key, spec in keys().items():
        parent = key.rsplit(".", 1)[0] if "." in key else None
        if parent is not None and not flat.get(parent):
            continue  # a nested key only exists with its object
        if spec.kind == "object":
            values[key] = True if flat.get(key) else None
            continue
        if key in flat:
            values[key] = None if flat[key] is None else _check(key, spec, flat[key])
        elif spec.default is not ABSENT:
            values[key] = spec.default
            assumed.add(key)
        else:
            values[key] = None
    return ModelDescription(values["name"], values, frozenset(assumed), iri, source)


# ----------------------------------------------------------------- files

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


# ----------------------------------------------------------------- RDF

def _iri(prop: str):
    from rdflib import URIRef

    from gpai_kg.namespaces import GPAI

    return URIRef(prop) if ":" in prop else GPAI[prop]


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
        prop = _iri(spec.prop)
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
    by_prop = {_iri(spec.prop): key for key, spec in keys().items() if "." not in key}
    nested = {_iri(spec.prop): key for key, spec in keys().items() if spec.on_original}
    modality_of = {GKG[f"modality/{name}"]: name for name in MODALITIES}

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
                                    f"({', '.join(MODALITIES)} under {GKG['modality/']})")
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

    from gpai_kg.store.dataset import ontology_files

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
