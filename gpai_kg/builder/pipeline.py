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
from datetime import date
from pathlib import Path

from rdflib import Graph

from gpai_kg import paths
from gpai_kg.builder.act_graph import References, act_graph, definitions_graph, recital_links_graph
from gpai_kg.builder.amend import amend
from gpai_kg.builder.amendments_graph import amendments_graph
from gpai_kg.builder.compare import compare
from gpai_kg.builder.provenance import provenance_graph
from gpai_kg.builder.validation import check_conforms
from gpai_kg.builder.versions import Expression, Timeline, timeline
from gpai_kg.builder.versions_graph import versions_graph
from gpai_kg.citations import CitationIndex, to_iri
from gpai_kg.errors import UserError
from gpai_kg.files import replace_directory
from gpai_kg.namespaces import bind_prefixes
from gpai_kg.sources.amending_act import AmendingAct, amending_acts, entry_into_force
from gpai_kg.sources.consolidated import parse_consolidated
from gpai_kg.sources.crossrefs import CrossRefReport, find_references, link_act
from gpai_kg.sources.faq import faq_graph, parse_faq
from gpai_kg.sources.formex import ParsedAct, parse_act

FORMEX_DIR = ("ai-act", "formex")
AMENDING_DIR = ("ai-act", "amending-acts")
CONSOLIDATED_DIRS = "ai-act/consolidated-*"
FAQ_FILE = ("faq", "gpai-faq.txt")
RECITAL_TABLE = "recital_articles.csv"


@dataclass
class BuildResult:
    out: Path
    graphs: dict[str, Graph]
    crossrefs: dict[str, CrossRefReport]     # by version key: "oj", "2026-07-27"
    report: dict


def _read_recital_table(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise UserError(f"{path}: recital table missing")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for n, row in enumerate(rows, 2):
        if not row.get("recital", "").strip().isdigit() or not row.get("provision", "").strip():
            raise UserError(f"{path.name}, line {n}: needs a recital number and a provision")
    return rows


def read_law(sources: Path) -> tuple[ParsedAct, Timeline]:
    """The OJ original, every amending act in ``data/sources/ai-act/amending-acts/``
    applied in turn by the engine, and the timeline of the Act's versions."""
    act = parse_act(sources.joinpath(*FORMEX_DIR))
    start = entry_into_force(list(act.provisions()), date.fromisoformat(act.date_publication))
    amended, root = [], act.root
    for amending in amending_acts(sources.joinpath(*AMENDING_DIR)):
        amended.append(amend(root, amending))
        root = amended[-1].root
    return act, timeline(act, start, amended)


def _as_act(act: ParsedAct, expression: Expression) -> ParsedAct:
    return ParsedAct(expression.root, act.title, act.date_document, act.date_publication)


def _consolidation_checks(sources: Path, law: Timeline) -> dict[str, dict]:
    """Each consolidated text of the Publications Office (documentation, no legal
    effect) against the engine's version that starts on the same day."""
    out = {}
    for folder in sorted(sources.glob(CONSOLIDATED_DIRS)):
        cons = parse_consolidated(folder)
        mine = next((e for e in law.expressions if e.start == cons.start_date), None)
        if mine is None:
            raise UserError(f"{folder.name}: no version of the Act starts on {cons.start_date}, the date "
                            "this consolidated text applies from")
        result = compare(mine.root, cons.root)
        out[mine.key] = {"consolidated_text": cons.celex, "compared": result.compared, "equal": result.equal,
                         "differences": [{"provision": d.citation, "field": d.field} for d in result.differences]}
    return out


def build_graphs(sources: Path, curated: Path) -> tuple[Timeline, dict[str, Graph], dict[str, CrossRefReport], dict]:
    """Parse the sources and return the timeline, the built graphs by file
    stem, the cross-references found in each version and the figures of the
    build report."""
    act, law = read_law(sources)
    references: References = {}
    crossrefs: dict[str, CrossRefReport] = {}
    for expression in law.expressions:
        index = CitationIndex(expression.index())
        references[expression.key], crossrefs[expression.key] = link_act(_as_act(act, expression), index)
    every = CitationIndex(law.histories)

    def provision_iris(text: str) -> list[str]:
        return sorted({to_iri(t) for ref in find_references(text, (), every) for t in ref.targets})

    graphs = {
        "act": act_graph(act, law, references),
        "versions": versions_graph(law, references),
        "amendments": amendments_graph(law),
        "definitions": definitions_graph(_as_act(act, law.expressions[-1])),
        "recital-links": recital_links_graph(_read_recital_table(curated / RECITAL_TABLE), every),
        "faq": faq_graph(parse_faq(sources.joinpath(*FAQ_FILE)), provision_iris),
    }
    formex = sorted(sources.joinpath(*FORMEX_DIR).glob("*.xml"))
    amending = sorted(sources.joinpath(*AMENDING_DIR).glob("*/*.xml"))
    graphs["provenance"] = provenance_graph(sources, curated, {
        "act": [*formex, *amending], "versions": [*formex, *amending], "amendments": amending,
        "definitions": [*formex, *amending], "recital-links": [*formex, curated / RECITAL_TABLE],
        "faq": [*formex, sources.joinpath(*FAQ_FILE)]}, act.date_publication, law)
    report = {
        "counts": {kind: sum(1 for p in act.provisions() if p.kind == kind) for kind in KINDS},
        "cross_references": _crossref_figures(crossrefs[law.expressions[0].key]),
        "versions": {e.key: {"in_force_from": e.start.isoformat(),
                             "in_force_until": e.end.isoformat() if e.end else None,
                             "amending_act": e.act.citation if e.act else None,
                             "counts": {kind: sum(1 for p in e.root.walk() if p.kind == kind) for kind in KINDS},
                             "cross_references": _crossref_figures(crossrefs[e.key])}
                     for e in law.expressions},
        "amendments": {e.act.citation: _amendment_figures(e.act, law) for e in law.expressions if e.act},
        "consolidation_check": _consolidation_checks(sources, law),
    }
    return law, graphs, crossrefs, report


KINDS = ("chapter", "section", "article", "paragraph", "subparagraph", "point", "recital", "annex")


def _amendment_figures(act: AmendingAct, law: Timeline) -> dict:
    """How many of the act's points and instructions the engine applied, and the changes they made."""
    applied = {c.point.path for c in law.changes if c.act is act}
    return {"points": len(act.points), "points_applied": len({p[:2] for p in applied}),
            "instructions": len(list(act.leaves())), "instructions_applied": len(applied),
            "changes": sum(1 for c in law.changes if c.act is act)}


def _crossref_figures(report: CrossRefReport) -> dict:
    return {"phrases": report.phrases, "resolved": report.resolved,
            "unresolved": [list(u) for u in report.unresolved]}


def _serialize(graph: Graph) -> bytes:
    bind_prefixes(graph)
    return graph.serialize(format="turtle", encoding="utf-8")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def built_files(sources: Path | None = None, check: bool = True) -> tuple[dict[str, bytes], BuildResult]:
    """The files of a graph directory (name -> bytes, ``build-report.json``
    last), and the build's result (its ``out`` not yet written)."""
    sources = sources or paths.SOURCES_DIR
    law, graphs, crossrefs, report_json = build_graphs(sources, paths.CURATED_DIR)
    if check:
        check_conforms(graphs.values())
    report_json["sources"] = {str(p.relative_to(sources)): _sha256(p)
                              for p in sorted([*sources.joinpath(*FORMEX_DIR).glob("*.xml"),
                                               *sources.joinpath(*AMENDING_DIR).glob("*/*.xml"),
                                               *sources.glob(f"{CONSOLIDATED_DIRS}/*.xml"),
                                               sources.joinpath(*FAQ_FILE)])}
    files = {f"{name}.ttl": _serialize(graph) for name, graph in graphs.items()}
    report_json["files"] = sorted(files)
    files["build-report.json"] = (json.dumps(report_json, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files, BuildResult(Path(), graphs, crossrefs, report_json)


def build(out: Path | None = None, sources: Path | None = None, check: bool = True) -> BuildResult:
    """Build the graph into ``out`` (default ``data/graph``) atomically."""
    out = Path(out or paths.GRAPH_DIR).resolve()
    files, result = built_files(sources, check)
    try:
        replace_directory(out, files)
    except OSError as exc:
        raise UserError(f"cannot write the graph to {out}: {exc.strerror or exc}") from None
    return BuildResult(out, result.graphs, result.crossrefs, result.report)
