"""``gpai-kg screen``: assess every model of a registry.

A registry (``gpai_kg.reasoning.registry``) is read row by row; each row
becomes a model description, checked as any description is; a bad row is
reported with its error and the rest go on. Rows are assessed in chunks, set
at a time (``gpai_kg.reasoning.batch``: each rule once per chunk), and a
chunk is the unit of work of the processes of this machine or of a Dask
cluster (``gpai_kg.reasoning.parallel``): ``screen_chunk`` is the one function
every one of them runs, so the results are the same, row for row.

``screen_stream`` yields the rows as they are screened, holding a few chunks
at a time (memory independent of the number of rows); ``screen`` holds them
all (a ``Screening``: the API, the app) and so reads a registry within the
contract's size limit of a registry. The output files are
``gpai_kg.publish.screening``'s.

With ``answers_only`` a row gets its answers alone (``ScreenedRow.explained``
False): the three answers, the obligations, exemptions, penalties and facts
missing, with the keys and values of the assessment's JSON, and nothing of
its explanations (summaries, because, notes, sources): what the counts, a CSV
and the Screen page's table show, reasoned by the rules compiled to Python
(``gpai_kg.reasoning.batch.answer_batch``): on 10 000 rows, eleven to
fourteen times faster, measured. With ``counts_only`` too, a row's result
holds, of those, the keys the counts read (``Answers.counted``: the three
answers and the exemptions): what ``gpai-kg screen`` writing no file needs
(a tenth of the answers' time went to the JSON of the rest, measured).
"""

from __future__ import annotations

import gc
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from gpai_kg.errors import UserError
from gpai_kg.files import read_capped
from gpai_kg.namespaces import GKG, kebab
from gpai_kg.reasoning.contract import limits
from gpai_kg.reasoning.description import describe, parse_date
from gpai_kg.reasoning.parallel import ordered_map
from gpai_kg.reasoning.registry import Registry, Row, contract_row, descriptions
from gpai_kg.sources.epoch import EPOCH_SOURCE

__all__ = ["ScreenedRow", "Screening", "Tally", "contract_row", "descriptions", "screen", "screen_chunk",
           "screen_stream", "summarise"]

CHUNK = 250  # rows per chunk, one store or index each: faster than 100, 500 or 1 000 (measured; fewer
#               instructions with more rows, but more of the memory they touch is out of the caches)


@dataclass
class ScreenedRow:
    row: int
    name: str
    description: dict[str, Any]
    result: dict[str, Any] | None = None
    error: str | None = None
    quads: list | None = None  # with rdf=True: the asserted and inferred graphs, as pyoxigraph quads
    explained: bool = True  # False: the answers alone (screen_chunk(answers_only=True)), or of them what the
    #                         counts read (counts_only=True)


@dataclass
class Screening:
    rows: list[ScreenedRow]
    as_of: date
    source: str
    summary: dict[str, int] = field(default_factory=dict)


_SCREENED = f"{GKG}model/screened/"


def _iri(row: int, name: str) -> str:
    return f"{_SCREENED}{row}-{kebab(name, 'model')}"


def screen_chunk(rows: list[Row], as_of: date, is_epoch: bool, rdf: bool = False,
                 answers_only: bool = False, counts_only: bool = False) -> list[ScreenedRow]:
    """Screen a chunk of rows at once: the unit of work, wherever it runs
    (``rdf``: keep each model's asserted and inferred triples as quads;
    ``answers_only``: the answers without their explanations; ``counts_only``:
    of those, what the counts read)."""
    from gpai_kg.reasoning.assessment import read_assessment
    from gpai_kg.reasoning.batch import answer_batch, run_batch
    from gpai_kg.reasoning.law import closed_law

    answers_only = answers_only or counts_only
    items, described = [], []
    for number, raw, problem in rows:
        item = ScreenedRow(number, str(raw.get("name") or ""), raw, error=problem, explained=not answers_only)
        items.append(item)
        if problem:
            continue
        try:
            description = describe(raw, iri=_iri(number, str(raw.get("name") or "model")))
        except UserError as exc:
            item.error = str(exc)
            continue
        item.name = description.name
        described.append((item, description))
    law = closed_law()
    if answers_only or counts_only:
        for (item, _), answers in zip(described, answer_batch([d for _, d in described], as_of)):
            item.result = {"row": item.row, "name": item.name,
                           **(answers.counted(law) if counts_only else answers.to_json(law, as_of))}
        return items
    for (item, description), run in zip(described, run_batch([d for _, d in described], as_of)):
        try:
            result = read_assessment(run, description, law, documentation=False).to_json(
                chains=False, documentation=False)  # a registry's rows: the answers, not each dossier
        except UserError as exc:
            item.error = str(exc)
            continue
        if is_epoch:
            result["sources"].append(EPOCH_SOURCE)
        item.result = {"row": item.row, **result}
        if rdf:
            item.quads = _quads(run)
    return items


def _quads(run) -> list[ox.Quad]:
    asserted, inferred = ox.NamedNode(f"{run.assessment}/asserted"), ox.NamedNode(f"{run.assessment}/inferred")
    return ([ox.Quad(t.subject, t.predicate, t.object, asserted) for t in run.stated] +
            [ox.Quad(t.subject, t.predicate, t.object, inferred) for t in run._inferred])


@lru_cache(maxsize=1)
def _settled() -> None:
    """The law and the rules, once loaded, moved out of the garbage collector's
    sight (``gc.freeze``): they live as long as the process, and each
    collection the chunks' many small objects set off would walk them again
    (measured: a sixth of the time of a chunk's answers); and the youngest
    generation collected after ``_YOUNG`` allocations, not Python's 700 (a
    chunk makes millions of small objects, nearly none of them in a cycle:
    a tenth of a chunk's time, measured chunk by chunk, one setting against
    the other). Forked workers inherit both."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(_YOUNG, *gc.get_threshold()[1:])


_YOUNG = 20_000


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def screen_stream(registry: Registry | str | Path, as_of: date, workers: int = 1, dask: Any = None,
                  chunk: int | None = None, rdf: bool = False, answers_only: bool = False,
                  counts_only: bool = False) -> Iterator[ScreenedRow]:
    """The rows of a registry as they are screened, in order: in this process,
    on ``workers`` processes, or on a Dask cluster (``dask``: a
    ``distributed.Client`` or a scheduler's address); ``answers_only``: the
    answers without their explanations, ``counts_only``: of those, what the
    counts read (see the module docstring); ``chunk``
    rows at a time (default ``CHUNK``); a path is read as a ``Registry`` on
    ``workers`` processes. The law and the rules are loaded here first, so
    forked workers start with them. A registry read in blocks (its ``spans``)
    is screened a block a worker, each reading its block of the file: this
    process reads none of it (the rows of a chunk sent to a worker, and on
    Dask, are read here)."""
    from gpai_kg.reasoning.batch import answer_rules
    from gpai_kg.reasoning.engine import derivers
    from gpai_kg.reasoning.law import closed_law

    answers_only = answers_only or counts_only
    if answers_only and rdf:
        raise ValueError("the answers alone have no RDF: rdf=True needs the explained rows")
    registry = registry if isinstance(registry, Registry) else Registry(registry, workers=workers)
    closed_law(), answer_rules() if answers_only else derivers()
    _settled()
    options = {"as_of": as_of, "is_epoch": registry.is_epoch, "rdf": rdf, "answers_only": answers_only,
               "counts_only": counts_only}
    if dask is None and workers > 1 and registry.count() and registry.spans is not None:  # count(): the spans
        # the file read in blocks (its spans) by the workers, each reading its own: this process sends offsets
        spans = partial(_screened_span, chunk=chunk or CHUNK, **options)
        for done in ordered_map(spans, registry.spans, workers=workers, initializer=_reading, initargs=(registry,)):
            yield from done
        return
    sent: deque[list[Row]] = deque()  # the chunks given out, in order: the results come back in that order

    def given(chunks: Iterator[list[Row]]) -> Iterator[list[Row]]:
        for rows in chunks:
            sent.append(rows)
            yield rows

    elsewhere = workers > 1 or dask is not None
    work = partial(_screened if elsewhere else screen_chunk, **options)
    for done in ordered_map(work, given(_chunks(registry.rows(), chunk or CHUNK)), workers=workers, dask=dask):
        rows = sent.popleft()
        if elsewhere:
            for item, (_, raw, _) in zip(done, rows):
                item.description = raw
        yield from done


def _screened(rows: list[Row], **options) -> list[ScreenedRow]:
    """``screen_chunk`` in another process: its rows without their input, which the process that sent
    them has (unpickling each row's description again cost it four times its answers, measured)."""
    done = screen_chunk(rows, **options)
    for item in done:
        item.description = {}
    return done


_REGISTRY: Registry | None = None  # in a worker screening the spans of a file: its registry (``_reading``)


def _reading(registry: Registry) -> None:
    global _REGISTRY
    _REGISTRY = registry


def _screened_span(span, chunk: int, **options) -> list[ScreenedRow]:
    """``screen_chunk`` of the rows of a block of the file (``Registry.span_rows``), ``chunk`` at a time, in
    a worker given the registry as it started (forked: the base models read are its too)."""
    assert _REGISTRY is not None, "a worker of spans is given its registry as it starts"
    return [item for rows in _chunks(_REGISTRY.span_rows(span), chunk) for item in screen_chunk(rows, **options)]


def screen(path: str | Path, as_of: date | str | None = None,
           progress: Callable[[int], None] | None = None, answers_only: bool = False) -> Screening:
    """Assess every row of a registry (a CSV of at most the contract's size
    limit of a registry) on ``as_of`` (a date or YYYY-MM-DD; default today);
    ``progress(advance)`` is called per row; ``answers_only``: the answers
    without their explanations (see the module docstring)."""
    path = Path(path)
    as_of = parse_date(as_of) if isinstance(as_of, str) else as_of or date.today()
    read_capped(path, limits().registry_bytes, "a registry")  # all of it is held: within the limit
    screened = []
    for item in screen_stream(path, as_of, answers_only=answers_only):
        screened.append(item)
        if progress:
            progress(1)
    screening = Screening(screened, as_of, str(path))
    screening.summary = summarise(screening)
    return screening


class Tally:
    """The summary's counts, row by row (``add``), for a stream."""

    KEYS = ("models", "general-purpose", "not general-purpose", "systemic risk", "in scope", "exempt (open source)",
            "undetermined", "invalid rows")

    def __init__(self):
        self.count: Counter = Counter()

    def add(self, item: ScreenedRow) -> None:
        count, r = self.count, item.result
        count["models"] += 1
        if r is None:
            count["invalid rows"] += 1
            return
        count["general-purpose"] += r["general_purpose"] is True
        count["not general-purpose"] += r["general_purpose"] is False
        count["systemic risk"] += r["systemic_risk"] is True
        count["in scope"] += r["in_scope"] is True
        count["exempt (open source)"] += bool(r["exemptions"])
        count["undetermined"] += None in (r["in_scope"], r["general_purpose"], r["systemic_risk"])

    def summary(self) -> dict[str, int]:
        return {k: int(self.count[k]) for k in self.KEYS if k != "invalid rows" or self.count[k]}


def summarise(screening: Screening) -> dict[str, int]:
    """How many models are general-purpose, systemic, exempt, undetermined."""
    tally = Tally()
    for item in screening.rows:
        tally.add(item)
    return tally.summary()
