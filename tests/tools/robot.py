"""ROBOT's ``report`` at level ERROR (ROBOT's own queries and profile, ``robot/README.md``),
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
    """Check name -> (level, SPARQL), from ``robot/*.rq``: the level of ROBOT's
    default profile (``robot/report_profile.txt``), or of the query's own
    ``level:`` line for the checks that are ours."""
    profile = {name: level for level, name in (line.split("\t") for line in
               (HERE / "report_profile.txt").read_text(encoding="utf-8").splitlines() if "\t" in line)}
    out = {}
    for path in sorted(HERE.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        level = profile.get(path.stem) or (text.split("level: ", 1)[1].split()[0] if "level: " in text else None)
        if level:  # a query of ROBOT's that its profile does not list is not run by `robot report`
            out[path.stem] = (level, text)
    return out


def report(path: Path, through_owlapi: bool = False,
           levels: tuple[str, ...] = ("ERROR",)) -> dict[str, list[tuple[str, str, str]]]:
    """The rows of every check of ``levels`` on the document at ``path`` (only
    checks with rows are listed); ``through_owlapi``: on the OWL API's rendering."""
    if through_owlapi:
        from tools import owlapi

        rendered = Path(tempfile.mkdtemp(prefix="gpai-kg-robot-")) / (path.stem + ".owlapi.ttl")
        owlapi.load(path, save=rendered)
        path = rendered
    store = ox.Store()
    store.bulk_load(path=str(path), format=FORMATS[path.suffix])
    found = {}
    for name, (level, query) in checks().items():
        if level not in levels:
            continue
        rows = [tuple("" if s[v] is None else str(s[v]) for v in ("entity", "property", "value"))
                for s in store.query(PREFIXES + query, use_default_graph_as_union=True)]
        if rows:
            found[name] = rows
    return found


def summary(found: dict[str, list[tuple[str, str, str]]], examples: int = 5) -> str:
    return "\n".join(f"ERROR {name}: {len(rows)}, e.g. " + "; ".join(" ".join(r) for r in rows[:examples])
                     for name, rows in found.items())
