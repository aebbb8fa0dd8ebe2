"""The AI Office's questions and answers on general-purpose AI models, as data.

Source: ``data/sources/faq/gpai-faq.txt`` — the AI Office's questions and
answers on general-purpose AI models and the Code of Practice (European
Commission web content, reused under Commission Decision 2011/833/EU, with
attribution; see ``data/sources/PROVENANCE.md``). Guidance, not law: the graph cites it as the
source ``gkg:source/ai-office-gpai-faq``, never as a provision.

``data/sources/faq/recital-97.txt`` is *not* a Q&A: it is Recital 97 of the Act,
which the graph takes from Formex; ``parse_faq`` refuses it.

The file is Markdown-like. Paragraphs are separated by blank lines. A question
is either a heading (``## …?``, ``#### …?``) or a plain one-line paragraph
ending with ``?``; a heading that is not a question (``# **General FAQ**``) opens
a section. An answer is every paragraph up to the next question, verbatim
(typos such as "Al" for "AI" kept), whitespace-normalised, paragraphs joined by
a single space: the file splits some sentences across paragraphs where its
source had page breaks ("…performing model evaluations," / "keeping track of…").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from gpai_kg.errors import UserError
from gpai_kg.namespaces import GKG, GPAI, bind_prefixes, kebab

#: The Q&A as a source node (described once, by the build).
FAQ_SOURCE = GKG["source/ai-office-gpai-faq"]

#: A plain paragraph longer than this is never read as a question.
_MAX_QUESTION = 200
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")


@dataclass(frozen=True)
class QAEntry:
    """One question of the Q&A with its answer, in the file's words."""

    slug: str  # kebab-case, from the question; unique in the file
    question: str
    answer: str
    section: str  # the heading above it ("General FAQ"), "" if none


def _norm(text: str) -> str:
    return " ".join(text.split())


def _paragraphs(text: str) -> Iterable[tuple[int, int, str]]:
    """(first line number, number of lines, whitespace-normalised text) of each
    blank-line-separated block."""
    start, lines = 0, []
    for number, line in enumerate(text.splitlines() + [""], start=1):
        if line.strip():
            start = start or number
            lines.append(line)
        elif lines:
            yield start, len(lines), _norm(" ".join(lines))
            start, lines = 0, []


def slugify(question: str) -> str:
    """Kebab-case of a question: "What are general-purpose AI models?" ->
    "what-are-general-purpose-ai-models"."""
    return kebab(question)


def parse_faq(path: str | Path) -> list[QAEntry]:
    """The entries of the Q&A file at ``path``, in the file's order.

    Raises ``UserError`` naming the line of a paragraph that comes before any
    question, or of a question without an answer.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: source file missing")
    raw: list[list] = []  # [question, section, line, [answer paragraphs]]
    section = ""
    for line, height, para in _paragraphs(path.read_text(encoding="utf-8")):
        heading = _HEADING.match(para)
        if heading:
            title = heading.group(1).replace("**", "").strip()
            if not title.endswith("?"):
                section = title
                continue
            raw.append([title, section, line, []])
        elif height == 1 and para.endswith("?") and len(para) <= _MAX_QUESTION:
            raw.append([para, section, line, []])
        elif raw:
            raw[-1][3].append(para)
        else:
            raise UserError(f"{path.name}:{line}: paragraph before the first question "
                            f"(not an AI Office Q&A file?): {para[:60]!r}")
    if not raw:
        raise UserError(f"{path.name}: no questions found")
    entries, seen = [], set()
    for question, sec, line, answer in raw:
        if not answer:
            raise UserError(f"{path.name}:{line}: question without an answer: {question!r}")
        slug = base = slugify(question)
        n = 1
        while slug in seen:
            n += 1
            slug = f"{base}-{n}"
        seen.add(slug)
        entries.append(QAEntry(slug, question, " ".join(answer), sec))
    return entries


def faq_graph(entries: Iterable[QAEntry], find_refs: Callable[[str], Iterable[str]]) -> Graph:
    """The Q&A as RDF: one ``gpai:QAEntry`` per entry at ``gkg:qa/<slug>``, with
    its question, answer, position (``gpai:order``, from 1) and a
    ``gpai:discusses`` link to every provision IRI that ``find_refs`` finds in
    its question or answer. ``find_refs(text)`` is the cross-reference finder
    (injected, so that one citation parser serves the whole build)."""
    graph = Graph()
    bind_prefixes(graph)
    for order, entry in enumerate(entries, start=1):
        node = GKG[f"qa/{entry.slug}"]
        graph.add((node, RDF.type, GPAI.QAEntry))
        graph.add((node, RDFS.label, Literal(entry.question, lang="en")))
        graph.add((node, GPAI.question, Literal(entry.question, lang="en")))
        graph.add((node, GPAI.answer, Literal(entry.answer, lang="en")))
        graph.add((node, DCTERMS.source, FAQ_SOURCE))
        graph.add((node, GPAI.order, Literal(order, datatype=XSD.integer)))
        refs = {str(iri) for text in (entry.question, entry.answer) for iri in find_refs(text)}
        for iri in sorted(refs):
            graph.add((node, GPAI.discusses, URIRef(iri)))
    return graph
