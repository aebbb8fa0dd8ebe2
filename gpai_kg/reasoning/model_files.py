"""Model descriptions in files: ``.json``, ``.yaml``/``.yml`` or ``.ttl`` (the
ontology's terms, read back into the input contract), read within the input
contract's limits (``gpai_kg.reasoning.formats``: size, nesting, digits,
YAML aliases; UTF-8 with or without a byte-order mark), checked key by key
(``gpai_kg.reasoning.description``) and then as RDF against the shapes of
``ontology/shapes-model.ttl`` (pySHACL). Every bad input is one ``UserError``
naming the file and the key."""

from __future__ import annotations

import difflib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from gpai_kg.errors import UserError
from gpai_kg.files import decode_text, read_capped, size_text
from gpai_kg.reasoning.contract import keys, limits, modalities
from gpai_kg.reasoning.description import ModelDescription, describe
from gpai_kg.reasoning.formats import check_nesting, literal_value, read_json, read_yaml
from gpai_kg.reasoning.facts import as_rdflib, description_triples


SUFFIXES = (".json", ".yaml", ".yml", ".ttl")


def load_description(path: str | Path, shacl: bool = True) -> ModelDescription:
    """Read a model description from a ``.json``, ``.yaml``/``.yml`` or ``.ttl``
    file (never more of it than the contract's size limit); check it (and,
    with ``shacl``, its RDF against shapes-model.ttl)."""
    path = Path(path)
    _suffix(path.name, str(path))
    data = read_capped(path, limits().file_bytes, "a model description")
    return description_from_bytes(data, path.name, str(path), shacl)


def _suffix(name: str, where: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        shown = suffix if len(suffix) <= 20 else suffix[:20] + "…"
        raise UserError(f"{where}: unsupported file type {shown or '(none)'!r}; use .json, .yaml or .ttl")
    return suffix


def description_from_bytes(data: bytes, name: str, where: str, shacl: bool = True) -> ModelDescription:
    """A description from the bytes of a file called ``name`` (its suffix
    says the format; an upload), ``where`` naming it in messages."""
    suffix = _suffix(name, where)
    if len(data) > limits().file_bytes:
        raise UserError(f"{where}: {size_text(len(data))}, more than {size_text(limits().file_bytes)}, the size "
                        "limit of a model description")
    try:
        text = decode_text(data, where)
        if suffix == ".json":
            description = describe(read_json(text), source=where)
        elif suffix in (".yaml", ".yml"):
            description = describe(read_yaml(text), source=where)
        else:
            description = description_from_turtle(text, source=where)
    except UserError as exc:
        message = str(exc)
        raise UserError(message if message.startswith(where) else f"{where}: {message}") from None
    if shacl:
        check_shapes(description, source=where)
    return description


def _triples(text: str) -> list:
    """The triples of a Turtle text, parsed by Oxigraph (lexical forms kept as
    written, so ``"TRUE"^^xsd:boolean`` is seen as such, not normalised)."""
    import pyoxigraph as ox

    check_nesting(text)
    try:
        return [(q.subject, q.predicate, q.object) for q in ox.parse(text, format=ox.RdfFormat.TURTLE)]
    except SyntaxError as exc:
        raise UserError(f"not valid Turtle: {' '.join(str(exc).split())[:200]}") from None


def description_from_turtle(text: str, source: str | None = None) -> ModelDescription:
    """A model described in the ontology's terms (Turtle), read back into the
    input contract: one ``gpai:AIModel`` that is not another's original."""
    import pyoxigraph as ox

    from gpai_kg.namespaces import GKG, GPAI

    rdf_type, gpai = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", str(GPAI)
    triples = _triples(text)
    about: dict[str, list] = {}
    for s, p, o in triples:
        about.setdefault(str(s), []).append((p, o))
    originals = {str(o) for _, p, o in triples if p.value == gpai + "modifiedFrom"}
    model_classes = {gpai + c for c in ("AIModel", "GeneralPurposeAIModel", "GeneralPurposeAIModelWithSystemicRisk")}
    typed = {str(s): s for s, p, o in triples if p.value == rdf_type and isinstance(o, ox.NamedNode)
             and o.value in model_classes}
    models = [typed[k] for k in sorted(typed) if k not in originals]
    if len(models) != 1:
        found = "no gpai:AIModel" if not models else f"{len(models)} models ({', '.join(map(str, models[:3]))})"
        raise UserError(f"expected one model typed gpai:AIModel, found {found}")
    model = models[0]
    if not isinstance(model, ox.NamedNode):
        raise UserError("the gpai:AIModel must be named by an IRI, not a blank node")
    by_prop = {spec.prop: key for key, spec in keys().items() if "." not in key}
    nested = {spec.prop: key for key, spec in keys().items() if spec.on_original}
    modality_of = {str(GKG[f"modality/{name}"]): name for name in modalities()}

    def read(subject, table, prefix=""):
        raw: dict[str, Any] = {}
        for prop, obj in sorted(about.get(str(subject), []), key=lambda po: (str(po[0]), str(po[1]))):
            if prop.value == rdf_type:
                continue
            key = table.get(prop.value)
            if key is None:
                if prop.value.startswith(gpai) and prop.value not in _declared_terms():
                    local = prop.value[len(gpai):]
                    names = {p[len(gpai):] for p in table if p.startswith(gpai)}
                    close = difflib.get_close_matches(local, sorted(names), n=1, cutoff=0.5)
                    close = close or [n for n in sorted(names) if n.startswith(local)][:1]
                    hint = f" — did you mean gpai:{close[0]}?" if close else ""
                    raise UserError(f"unknown property gpai:{local[:80]}{hint}")
                continue  # comments, sources and other vocabularies are left alone
            if keys()[key].kind == "modalities":
                if not isinstance(obj, ox.NamedNode) or obj.value not in modality_of:
                    raise UserError(f"modalities: {str(obj)[:80]} is not one of the modality individuals "
                                    f"({', '.join(modalities())} under {GKG['modality/']})")
                raw.setdefault(key[len(prefix):], []).append(modality_of[obj.value])
                continue
            if key == "modified_from":
                raw["modified_from"] = read(obj, nested, "modified_from.")
                continue
            if key[len(prefix):] in raw:
                raise UserError(f"{key} is given twice ({raw[key[len(prefix):]]} and {str(obj)[:80]})")
            raw[key[len(prefix):]] = literal_value(key, keys()[key], obj)
        return raw

    raw = read(model, by_prop)
    if "general_purpose" not in raw and any(p.value == rdf_type and o == ox.NamedNode(gpai + "GeneralPurposeAIModel")
                                            for p, o in about[str(model)]):
        raw["general_purpose"] = True  # typed as one: declared so
    return describe(raw, iri=model.value, source=source)


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
    for triple in as_rdflib(description_triples(description, date(2025, 8, 2))[2]):
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
