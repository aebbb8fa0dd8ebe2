"""``gpai-kg docs``: HTML documentation of the ontology, made by pyLODE.

pyLODE (https://github.com/RDFLib/pyLODE, OntPub profile) renders every class
and property with its label (``rdfs:label``), comment (``rdfs:comment``) and
source (``dcterms:source``, the provision IRI). No templates of ours: we only
hand pyLODE one graph — the ontology as ``gpai-kg export --what ontology``
writes it, one header with the modules merged under it
(``gpai_kg.publish.headers``) — give each cited provision its citation
(``Article 53(1)(a)``) as label so the page shows the citation rather than
the bare IRI, and tidy one thing in its page (a functional property rendered
twice under one HTML id). The header's ``vann:preferredNamespaceUri`` tells
pyLODE which IRIs are ours (links into the page); every other IRI links out.
``tests/test_docs.py`` checks that the page has no dead in-page link and no
duplicated id, and that ``docs/ontology/index.html`` is what ``gpai-kg docs``
makes of the ontology now (regenerate it: ``gpai-kg docs --out docs/ontology``).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import types
from pathlib import Path

from lxml import html
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS

from gpai_kg.citations import format_citation, from_iri
from gpai_kg.errors import UserError
from gpai_kg.files import write_atomic
from gpai_kg.namespaces import ACT_BASE
from gpai_kg.publish.headers import ROOTS


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


#: Our namespaces: everything else in the ontology is another vocabulary's term, declared, not documented here.
OURS = ("https://w3id.org/gpai-kg/", ACT_BASE)


def docs_graph() -> Graph:
    """The ontology for pyLODE: the export of ``--what ontology`` (one header,
    the modules merged under it and listed as its imports), without the
    declarations of other vocabularies' terms (pyLODE would list them as
    ours), each cited provision labelled with its citation."""
    from gpai_kg.publish.rdf import union

    g = union("ontology")
    for s in {s for s in g.subjects() if isinstance(s, URIRef) and not str(s).startswith(OURS)}:
        g.remove((s, None, None))
    root = URIRef(ROOTS[0])
    for module in list(g.objects(root, RDFS.seeAlso)):  # the modules merged in: the page lists them as imports
        if (module, DCTERMS.title, None) in g:
            g.add((root, OWL.imports, module))
    for source in set(g.objects(None, DCTERMS.source)):
        if str(source).startswith(ACT_BASE) and not g.value(source, RDFS.label):
            try:
                g.add((source, RDFS.label, Literal(format_citation(from_iri(source)))))
            except UserError:
                pass
    return g


def _canonical_nt(graph: Graph) -> str:
    """The graph as sorted N-Triples with canonical blank node labels (RDFC-1.0)."""
    import pyoxigraph as ox

    triples = ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return "".join(sorted(f"{q.subject} {q.predicate} {q.object} .\n" for q in dataset))


class _SameLabels(dict):
    """An rdflib N-Triples blank node context that keeps each label as it is."""

    def get(self, key, default=None):
        return key


def _child() -> None:
    """Render the N-Triples on stdin with pyLODE, the HTML to stdout (``_render``)."""
    from rdflib.plugins.parsers.ntriples import NTGraphSink, W3CNTriplesParser

    graph = Graph()
    W3CNTriplesParser(sink=NTGraphSink(graph), bnode_context=_SameLabels()).parsestring(sys.stdin.read())
    sys.stdout.write(_pylode()(ontology=graph, sort_subjects=True).make_html())


def _render(graph: Graph) -> str:
    """pyLODE's page of ``graph``, made the same way every time: pyLODE walks
    rdflib's sets, whose order follows Python's string hashing and the blank
    node labels, so it runs in a child process with a fixed hash seed, on the
    graph with canonical blank node labels."""
    nt = _canonical_nt(graph)
    child = "from gpai_kg.publish.docs import _child; _child()"
    run = subprocess.run([sys.executable, "-c", child], input=nt, capture_output=True, text=True,
                         env={**os.environ, "PYTHONHASHSEED": "0"}, timeout=600)
    if run.returncode:
        last = (run.stderr.strip().splitlines() or ["no message"])[-1]
        raise UserError(f"pyLODE failed on the ontology: {last}")
    return run.stdout


def _sorted_unions(doc) -> None:
    """pyLODE writes the members of a union or an intersection ("obligation or
    power") in the order of a set of HTML objects, which changes from run to
    run: put them in alphabetical order, the white space where it was."""
    for joiner in doc.xpath("//span[@class='cardinality'][not(preceding-sibling::span[@class='cardinality'])]"):
        box = joiner.getparent()
        joiners = [e for e in box if e.tag == "span" and e.get("class") == "cardinality"]
        members = [e for e in box if e not in joiners]
        if len(members) != len(joiners) + 1 or (box.text or "").strip():
            continue
        tails = [e.tail for e in box]
        for e in members + joiners:
            box.remove(e)
        for i, member in enumerate(sorted(members, key=lambda e: e.text_content().strip())):
            box.extend([joiners[i - 1], member] if i else [member])
        for e, tail in zip(box, tails):
            e.tail = tail


def _functional_once(doc) -> None:
    """pyLODE renders a functional datatype or object property twice, in its
    kind's section and under "Functional Properties", with the same HTML id:
    keep the first, marked "fp" too; drop the copy and its contents entry (and
    the section once it is empty)."""
    section = doc.get_element_by_id("functionalproperties", None)
    if section is None:
        return
    for copy in section.xpath("./div[contains(@class, 'entity')]"):
        first = doc.xpath("//div[@id=$i][not(ancestor::div[@id='functionalproperties'])]", i=copy.get("id"))
        if first:
            first[0].find("h3").append(copy.find("h3/sup"))
            section.remove(copy)
            for entry in doc.xpath("//div[@id='toc']//a[@href='#functionalproperties']/ancestor::li[1]"
                                   "//a[@href=$h]/..", h="#" + copy.get("id")):
                entry.getparent().remove(entry)
    if not section.xpath("./div[contains(@class, 'entity')]"):
        section.getparent().remove(section)
        for entry in doc.xpath("//div[@id='toc']//a[@href='#functionalproperties']/ancestor::li[1]"):
            entry.getparent().remove(entry)


def _tidy(page: str) -> str:
    """pyLODE's page with its unions in a stable order and each functional property once."""
    doc = html.fromstring(page)
    _sorted_unions(doc)
    _functional_once(doc)
    return "<!DOCTYPE html>\n" + html.tostring(doc, encoding="unicode")


def ontology_html(graph: Graph | None = None) -> str:
    """The HTML page of the ontology."""
    return _tidy(_render(graph if graph is not None else docs_graph()))


def write_docs(out: Path) -> Path:
    """Write ``index.html`` (the ontology's documentation) into the directory ``out``."""
    out = Path(out)
    page = ontology_html().encode("utf-8")
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
    write_atomic(target, page)
    return target
