"""``gpai-kg docs``: HTML documentation of the ontology, made by pyLODE.

pyLODE (https://github.com/RDFLib/pyLODE, OntPub profile) renders every class
and property with its label (``rdfs:label``), comment (``rdfs:comment``) and
source (``dcterms:source``, the provision IRI). No templates of ours: we only
hand pyLODE one graph — the ontology modules (``gpai_kg.store.ontology_files``)
under the core ontology's header, the other modules listed in a note on it —
and give each cited provision its citation (``Article 53(1)(a)``) as label so
the page shows the citation rather than the bare IRI.
"""

from __future__ import annotations

import logging
import sys
import types
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from gpai_kg.citations import format_citation, from_iri
from gpai_kg.errors import UserError
from gpai_kg.files import write_atomic
from gpai_kg.namespaces import ACT_BASE

CORE = URIRef("https://w3id.org/gpai-kg/ontology")


def _pylode():
    """pyLODE's OntPub. pyLODE 3.4 reads its version from a pyproject.toml that
    its wheel does not ship; give it the installed version instead."""
    if "pylode.version" not in sys.modules:
        from importlib.metadata import PackageNotFoundError, version

        stub = types.ModuleType("pylode.version")
        try:
            stub.__version__ = version("pylode")
        except PackageNotFoundError:
            raise UserError("gpai-kg docs needs pyLODE (pip install pylode)") from None
        sys.modules["pylode.version"] = stub
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        from pylode import OntPub
    except ImportError:
        raise UserError("gpai-kg docs needs pyLODE (pip install pylode)") from None
    finally:  # importing pyLODE sets the root logger to DEBUG on stderr; undo that
        root.setLevel(level)
        root.handlers[:] = handlers
    return OntPub


def docs_graph(files: list[Path] | None = None) -> Graph:
    """The ontology modules as one graph for pyLODE, under the core's header."""
    from gpai_kg.paths import ontology_files

    g = Graph()
    for path in files or ontology_files():
        g.parse(path, format="turtle")
    for module in sorted(set(g.subjects(RDF.type, OWL.Ontology)) - {CORE}):
        g.remove((module, RDF.type, OWL.Ontology))
        title = g.value(module, DCTERMS.title) or module
        version = g.value(module, OWL.versionInfo)
        g.add((CORE, SKOS.note, Literal(f"This page also documents the module {module} "
                                        f"(version {version}): {title}.", lang="en")))
    for source in set(g.objects(None, DCTERMS.source)):
        if str(source).startswith(ACT_BASE) and not g.value(source, RDFS.label):
            try:
                g.add((source, RDFS.label, Literal(format_citation(from_iri(source)))))
            except UserError:
                pass
    return g


def ontology_html(graph: Graph | None = None) -> str:
    """The HTML page of the ontology."""
    OntPub = _pylode()
    return OntPub(ontology=graph if graph is not None else docs_graph(), sort_subjects=True).make_html()


def write_docs(out: Path) -> Path:
    """Write ``index.html`` (the ontology's documentation) into the directory ``out``."""
    out = Path(out)
    html = ontology_html().encode("utf-8")
    if out.exists() and not out.is_dir():
        raise UserError(f"cannot write docs to {out}: not a directory")
    if not out.exists():
        if not out.parent.is_dir():
            raise UserError(f"cannot write docs to {out}: directory {out.parent} does not exist")
        try:
            out.mkdir()
        except OSError as exc:
            raise UserError(f"cannot write docs to {out}: {exc.strerror or exc}") from None
    target = out / "index.html"
    write_atomic(target, html)
    return target
