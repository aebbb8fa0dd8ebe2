"""A provider's own documentation record, checked for completeness against the
dossier of its model (``gpai-kg dossier MODEL --check RECORD``).

A record says, item by item, where the provider documents it:

- JSON or YAML: a mapping from an item to where it is documented, e.g.
  ``{"annex-xi-section-1-point-2-d": "Technical file v3, section 4.2",
  "Article 53(1)(c)": "https://example.org/copyright-policy"}`` -- an item by
  its key (the local name of its node in ``data/curated/documentation.ttl``)
  or by the citation of its provision; the place a non-empty string or a list
  of them (empty or null: not documented);
- Turtle, in the terms of ``ontology/model.ttl``: one ``gpai:DocumentationRecord``
  whose entries (``gpai:recordsItem``) name an item (``gpai:item``) and where it
  is documented (``gpai:documentedIn``).

Both become the same RDF, which is checked with SHACL shapes made from the
dossier's required items (one qualified property shape per item: an entry for
it with a non-empty ``gpai:documentedIn``); each violation is a missing item.
An item the record names that the model does not need (exempt, or not in its
dossier) is reported as not required; a key that names no item is an error
(exit 2), as is a record that is too large or malformed. A record is read as
a description is (``reasoning/formats.py``): never past its size limit,
nesting scanned before any parser, strict YAML, no key given twice, a
byte-order mark accepted.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from gpai_kg.errors import UserError
from gpai_kg.files import decode_text, read_capped
from gpai_kg.namespaces import GPAI
from gpai_kg.reasoning.dossier import DossierItem, items_of_law
from gpai_kg.reasoning.formats import check_nesting, read_json, read_yaml
from gpai_kg.reasoning.law import ClosedLaw

MAX_BYTES = 1_000_000  # a record is a list of places, not a document
MAX_ENTRIES = 10_000
SHAPES = "https://w3id.org/gpai-kg/shapes/record#"
RECORD = "urn:gpai-kg:record"


@dataclass(frozen=True)
class RecordCheck:
    """What a record documents of the dossier, and what it misses."""

    required: list[DossierItem]
    documented: list[DossierItem]
    missing: list[DossierItem]
    not_required: list[str]  # items the record names that the model does not need

    @property
    def complete(self) -> bool:
        return not self.missing

    def as_json(self) -> dict:
        return {"complete": self.complete, "required": len(self.required),
                "documented": [i.item for i in self.documented], "missing": [i.as_json() for i in self.missing],
                "not_required": self.not_required}


def _known(law: ClosedLaw) -> dict[str, str]:
    """Every way a record may name an item (key, citation, IRI; lower case) -> the item's IRI."""
    out = {}
    for item in items_of_law(law):
        for name in (item.item, item.provision, item.iri):
            out[" ".join(name.lower().split())] = item.iri
    return out


def _item(key: object, known: dict[str, str], where: str) -> str:
    if not isinstance(key, str):
        raise UserError(f"{where}: an item must be named by a string, got {json.dumps(key, default=str)}")
    found = known.get(" ".join(key.lower().split()))
    if found is None:
        close = difflib.get_close_matches(key.lower(), [k for k in known if not k.startswith("http")], n=1, cutoff=0.6)
        raise UserError(f"{where}: {key!r} names no documentation item" + (f" — did you mean {close[0]!r}?" if close
                                                                            else ""))
    return found


def _places(value: object, key: str, where: str) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in values):
        raise UserError(f"{where}: {key}: where it is documented must be a string or a list of strings, "
                        f"got {json.dumps(value, default=str)[:80]}")
    return [" ".join(v.split()) for v in values if v.strip()]


def _from_mapping(raw: object, known: dict[str, str], where: str):
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.namespace import RDF

    if not isinstance(raw, dict):
        raise UserError(f"{where}: a record must be a mapping of items to where each is documented")
    if len(raw) > MAX_ENTRIES:
        raise UserError(f"{where}: more than {MAX_ENTRIES} entries")
    graph = Graph()
    record = URIRef(RECORD)
    graph.add((record, RDF.type, GPAI.DocumentationRecord))
    for key, value in raw.items():
        item = _item(key, known, where)
        places = _places(value, str(key), where)
        entry = BNode()
        graph.add((record, GPAI.recordsItem, entry))
        graph.add((entry, GPAI.item, URIRef(item)))
        for place in places:
            graph.add((entry, GPAI.documentedIn, Literal(place)))
    return graph


def _from_turtle(text: str, known: dict[str, str], where: str):
    from rdflib import Graph
    from rdflib.namespace import RDF

    graph = Graph()
    try:
        graph.parse(data=text, format="turtle")
    except Exception as exc:  # rdflib raises several parser error types
        raise UserError(f"{where}: not valid Turtle: {' '.join(str(exc).split())[:200]}") from None
    records = list(graph.subjects(RDF.type, GPAI.DocumentationRecord))
    if len(records) != 1:
        raise UserError(f"{where}: expected one gpai:DocumentationRecord, found {len(records)}")
    if len(graph) > 4 * MAX_ENTRIES:
        raise UserError(f"{where}: more than {MAX_ENTRIES} entries")
    for item in graph.objects(None, GPAI.item):
        _item(str(item), known, where)
    return graph


def load_record(path: str | Path, law: ClosedLaw):
    """A record file (.json, .yaml/.yml, .ttl) as RDF; ``UserError`` naming the file and what is wrong."""
    path = Path(path)
    where = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml", ".ttl"):
        raise UserError(f"{where}: unsupported record type {suffix or '(none)'!r}; use .json, .yaml or .ttl")
    text = decode_text(read_capped(path, MAX_BYTES, "a documentation record"), where)
    known = _known(law)
    try:
        if suffix == ".ttl":
            check_nesting(text)
            return _from_turtle(text, known, where)
        raw = read_json(text) if suffix == ".json" else read_yaml(text)
    except UserError as exc:
        message = str(exc)
        raise UserError(message if message.startswith(where) else f"{where}: {message}") from None
    return _from_mapping(raw, known, where)


def record_shapes(items: list[DossierItem]):
    """SHACL shapes made from the required items: the record has, for each, an
    entry naming it with a non-empty place."""
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.namespace import RDF, SH, XSD

    graph = Graph()
    record = URIRef(SHAPES + "RecordShape")
    graph.add((record, RDF.type, SH.NodeShape))
    graph.add((record, SH.targetClass, GPAI.DocumentationRecord))
    for item in items:
        if item.status != "required":
            continue
        prop = URIRef(SHAPES + item.item)
        entry, names, where = BNode(), BNode(), BNode()
        graph.add((record, SH.property, prop))
        graph.add((prop, SH.path, GPAI.recordsItem))
        graph.add((prop, SH.qualifiedValueShape, entry))
        graph.add((prop, SH.qualifiedMinCount, Literal(1)))
        graph.add((prop, SH.name, Literal(item.item)))
        graph.add((prop, SH.message, Literal(f"{item.provision} ({item.item}) is not documented")))
        graph.add((entry, SH.property, names))
        graph.add((names, SH.path, GPAI.item))
        graph.add((names, SH.hasValue, URIRef(item.iri)))
        graph.add((entry, SH.property, where))
        graph.add((where, SH.path, GPAI.documentedIn))
        graph.add((where, SH.minCount, Literal(1)))
        graph.add((where, SH.datatype, XSD.string))
        graph.add((where, SH.minLength, Literal(1)))
    return graph


def check_record(path: str | Path, items: list[DossierItem], law: ClosedLaw) -> RecordCheck:
    """Check a provider's record against the dossier ``items`` of its model."""
    from pyshacl import validate
    from rdflib.namespace import SH

    data = load_record(path, law)
    required = [i for i in items if i.status == "required"]
    _, report, _ = validate(data, shacl_graph=record_shapes(items), inference="none")
    failed = {str(s)[len(SHAPES):] for s in report.objects(None, SH.sourceShape) if str(s).startswith(SHAPES)}
    named = {str(o) for o in data.objects(None, GPAI.item)}
    needed = {i.iri for i in required}
    return RecordCheck(required=required, documented=[i for i in required if i.item not in failed],
                       missing=[i for i in required if i.item in failed],
                       not_required=sorted(n.rsplit("/", 1)[-1] for n in named - needed))
