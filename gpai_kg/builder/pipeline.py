"""``gpai-kg build``: sources in ``data/sources/`` -> the committed graph in ``data/graph/``.

Steps: parse Formex 4, resolve cross-references, emit the Act, the Article 3
glossary, the recital table, the Q&A and their provenance as Turtle, check
the union with the SHACL shapes, then write everything aside and swap it in
(``files.replace_directory``), so a failed or killed build leaves the previous
graph intact, whole. ``build-report.json`` lists the graph's files
(``files``): the store refuses a graph directory that lacks one
(``store.dataset.check_graph``). Output is deterministic: two builds are
byte-identical.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from gpai_kg import paths
from gpai_kg.builder.act_graph import act_graph, definitions_graph, recital_links_graph
from gpai_kg.builder.provenance import provenance_graph
from gpai_kg.builder.validation import check_conforms
from gpai_kg.citations import CitationIndex, to_iri
from gpai_kg.errors import UserError
from gpai_kg.files import replace_directory
from gpai_kg.namespaces import bind_prefixes
from gpai_kg.sources.crossrefs import CrossRefReport, find_references, link_act
from gpai_kg.sources.faq import faq_graph, parse_faq
from gpai_kg.sources.formex import ParsedAct, parse_act

FORMEX_DIR = ("ai-act", "formex")
FAQ_FILE = ("faq", "gpai-faq.txt")
RECITAL_TABLE = "recital_articles.csv"


@dataclass
class BuildResult:
    out: Path
    graphs: dict[str, Graph]
    crossrefs: CrossRefReport


def _read_recital_table(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise UserError(f"{path}: recital table missing")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for n, row in enumerate(rows, 2):
        if not row.get("recital", "").strip().isdigit() or not row.get("provision", "").strip():
            raise UserError(f"{path.name}, line {n}: needs a recital number and a provision")
    return rows


def build_graphs(sources: Path, curated: Path) -> tuple[ParsedAct, dict[str, Graph], CrossRefReport]:
    """Parse the sources and return the built graphs by file stem."""
    act = parse_act(sources.joinpath(*FORMEX_DIR))
    index = CitationIndex(p.path for p in act.provisions())
    references, report = link_act(act, index)

    def provision_iris(text: str) -> list[str]:
        return sorted({to_iri(t) for ref in find_references(text, (), index) for t in ref.targets})

    graphs = {
        "act": act_graph(act, references),
        "definitions": definitions_graph(act),
        "recital-links": recital_links_graph(_read_recital_table(curated / RECITAL_TABLE), index),
        "faq": faq_graph(parse_faq(sources.joinpath(*FAQ_FILE)), provision_iris),
    }
    formex = sorted(sources.joinpath(*FORMEX_DIR).glob("*.xml"))  # which text, from which files, when
    graphs["provenance"] = provenance_graph(sources, curated, {
        "act": formex, "definitions": formex, "recital-links": [*formex, curated / RECITAL_TABLE],
        "faq": [*formex, sources.joinpath(*FAQ_FILE)]}, act.date_publication)
    return act, graphs, report


def _serialize(graph: Graph) -> bytes:
    bind_prefixes(graph)
    return graph.serialize(format="turtle", encoding="utf-8")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def built_files(sources: Path | None = None, check: bool = True) -> tuple[dict[str, bytes], BuildResult]:
    """The files of a graph directory (name -> bytes, ``build-report.json``
    last), and the build's result (its ``out`` not yet written)."""
    sources = sources or paths.SOURCES_DIR
    act, graphs, report = build_graphs(sources, paths.CURATED_DIR)
    if check:
        check_conforms(graphs.values())
    report_json = {
        "counts": {kind: sum(1 for p in act.provisions() if p.kind == kind)
                   for kind in ("chapter", "section", "article", "paragraph", "subparagraph",
                                "point", "recital", "annex")},
        "cross_references": {"phrases": report.phrases, "resolved": report.resolved,
                             "unresolved": [list(u) for u in report.unresolved]},
        "sources": {str(p.relative_to(sources)): _sha256(p)
                    for p in sorted(sources.joinpath(*FORMEX_DIR).glob("*.xml"))
                    + [sources.joinpath(*FAQ_FILE)]},
    }
    files = {f"{name}.ttl": _serialize(graph) for name, graph in graphs.items()}
    report_json["files"] = sorted(files)
    files["build-report.json"] = (json.dumps(report_json, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files, BuildResult(Path(), graphs, report)


def build(out: Path | None = None, sources: Path | None = None, check: bool = True) -> BuildResult:
    """Build the graph into ``out`` (default ``data/graph``) atomically."""
    out = Path(out or paths.GRAPH_DIR).resolve()
    files, result = built_files(sources, check)
    try:
        replace_directory(out, files)
    except OSError as exc:
        raise UserError(f"cannot write the graph to {out}: {exc.strerror or exc}") from None
    return BuildResult(out, result.graphs, result.crossrefs)
