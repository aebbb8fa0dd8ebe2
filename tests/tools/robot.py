"""ROBOT's ``report`` at level ERROR (reconstructed queries, ``robot/README.md``),
run with pyoxigraph on a document, or on the OWL API's rendering of it as
ROBOT itself would (``robot report --fail-on ERROR``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent / "robot"
PREFIXES = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX dc: <http://purl.org/dc/elements/1.1/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".owl": ox.RdfFormat.RDF_XML, ".nt": ox.RdfFormat.N_TRIPLES,
           ".trig": ox.RdfFormat.TRIG}


def checks() -> dict[str, tuple[str, str]]:
    """Check name -> (level, SPARQL), from ``robot/*.rq`` (level in the first line)."""
    out = {}
    for path in sorted(HERE.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        level = text.split("level: ", 1)[1].split()[0]
        out[path.stem] = (level, text)
    return out


def report(path: Path, through_owlapi: bool = False) -> dict[str, list[tuple[str, str, str]]]:
    """The rows of every ERROR check on the document at ``path`` (only checks
    with rows are listed); ``through_owlapi``: on the OWL API's rendering."""
    if through_owlapi:
        from tools import owlapi

        rendered = Path(tempfile.mkdtemp(prefix="gpai-kg-robot-")) / (path.stem + ".owlapi.ttl")
        owlapi.load(path, save=rendered)
        path = rendered
    store = ox.Store()
    store.bulk_load(path=str(path), format=FORMATS[path.suffix])
    found = {}
    for name, (level, query) in checks().items():
        if level != "ERROR":
            continue
        rows = [tuple("" if s[v] is None else str(s[v]) for v in ("entity", "property", "value"))
                for s in store.query(PREFIXES + query, use_default_graph_as_union=True)]
        if rows:
            found[name] = rows
    return found


def summary(found: dict[str, list[tuple[str, str, str]]], examples: int = 5) -> str:
    return "\n".join(f"ERROR {name}: {len(rows)}, e.g. " + "; ".join(" ".join(r) for r in rows[:examples])
                     for name, rows in found.items())
