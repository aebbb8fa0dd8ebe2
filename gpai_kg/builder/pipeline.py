"""``gpai-kg build``: sources in ``data/sources/`` -> the committed graph in ``data/graph/``.

Steps: parse Formex 4, resolve cross-references, emit the Act, the Article 3
glossary, the recital table, the Q&A and their provenance as Turtle, check
the union with the SHACL shapes, then write everything aside and swap it in,
so a failed build leaves the previous graph intact. Output is deterministic:
two builds are byte-identical.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from gpai_kg import paths
from gpai_kg.builder.act_graph import act_graph, definitions_graph, recital_links_graph
from gpai_kg.builder.provenance import provenance_graph
from gpai_kg.builder.validation import check_conforms
from gpai_kg.citations import CitationIndex, to_iri
from gpai_kg.errors import UserError
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


def build(out: Path | None = None, sources: Path | None = None, check: bool = True) -> BuildResult:
    """Build the graph into ``out`` (default ``data/graph``) atomically."""
    out = (out or paths.GRAPH_DIR).resolve()
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
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, graph in graphs.items():
            (staging / f"{name}.ttl").write_bytes(_serialize(graph))
        (staging / "build-report.json").write_text(json.dumps(report_json, indent=2, ensure_ascii=False) + "\n",
                                                   encoding="utf-8")
        backup = out.with_name(f".{out.name}.previous")
        if backup.exists():
            shutil.rmtree(backup)
        if out.exists():
            out.rename(backup)
        try:
            staging.rename(out)
        except OSError:
            if backup.exists():
                backup.rename(out)
            raise
        if backup.exists():
            shutil.rmtree(backup)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return BuildResult(out, graphs, report)
