"""Dated values of the law, as OpenFisca holds its parameters: each threshold,
date and amount of ``data/curated/`` is a ``gpai:DatedValue`` with the period
it holds for, and an assessment reads the value in force on its date.

A law node (``threshold:art-51-2``) ``gpai:hasValue`` one node per period:

    threshold:art-51-2-from-2024-08-01 a gpai:DatedValue ;
        gpai:valueOf gpai:thresholdValue ;        # the property it gives the law node
        gpai:value "1.0E25"^^xsd:double ;
        gpai:validFrom "2024-08-01"^^xsd:date ;   # first day it holds
        gpai:legalBasis <art_51/par_2/oj> .       # the provision that states it

A value holds from its ``gpai:validFrom`` until the day before the next value
of the same node and property begins, or until its ``gpai:validUntil``. On a
date before every value of a property the first one is read: the law as
first enacted is what tells an assessment dated before the Act that the Act
was not yet in force (Article 113, first subparagraph). A delegated act under
Article 51(3) raising 10^25 is one more dated value; answers for earlier
dates do not move.

The rules read the plain property (``threshold:art-51-2 gpai:thresholdValue
?bound``): ``on`` picks, for a date, the value each node has, and the
engines state it before the rules run (``gpai_kg.reasoning.engine``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox

from gpai_kg.namespaces import GPAI

_HAS, _OF, _VALUE, _FROM, _UNTIL, _BASIS, _GUIDANCE = (str(GPAI[n]) for n in (
    "hasValue", "valueOf", "value", "validFrom", "validUntil", "legalBasis", "guidanceBasis"))


@dataclass(frozen=True)
class DatedValue:
    node: str                   # the dated value's own IRI
    subject: str                # the law node it is a value of
    property: str               # the property it gives that node
    value: ox.Literal
    valid_from: date
    valid_until: date | None
    bases: tuple[str, ...]      # the provisions (or guidance) that state it

    def holds_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def dated_values(quads: Iterable) -> list[DatedValue]:
    """Every dated value in ``quads`` (pyoxigraph quads or triples of the closed law)."""
    props: dict[str, dict[str, list]] = {}
    owners: dict[str, str] = {}
    for q in quads:
        p = q.predicate.value
        if p == _HAS:
            owners[q.object.value] = q.subject.value
        elif p in (_OF, _VALUE, _FROM, _UNTIL, _BASIS, _GUIDANCE):
            props.setdefault(q.subject.value, {}).setdefault(p, []).append(q.object)
    out = []
    for node, owner in owners.items():
        got = props.get(node, {})
        if not (got.get(_OF) and got.get(_VALUE) and got.get(_FROM)):
            continue  # not a complete dated value: SHACL (shapes.ttl) reports it
        until = got.get(_UNTIL)
        out.append(DatedValue(node, owner, got[_OF][0].value, got[_VALUE][0],
                              date.fromisoformat(got[_FROM][0].value),
                              date.fromisoformat(until[0].value) if until else None,
                              tuple(sorted(b.value for b in got.get(_BASIS, []) + got.get(_GUIDANCE, [])))))
    return sorted(out, key=lambda v: (v.subject, v.property, v.valid_from, v.node))


def on(values: Iterable[DatedValue], day: date) -> list[DatedValue]:
    """The value each (law node, property) has on ``day`` (module docstring)."""
    series: dict[tuple[str, str], list[DatedValue]] = {}
    for v in values:
        series.setdefault((v.subject, v.property), []).append(v)
    out = []
    for found in series.values():
        started = [v for v in found if v.valid_from <= day]
        if not started:
            out.append(found[0])
        elif started[-1].holds_on(day):
            out.append(started[-1])
    return out


def quads_on(values: Iterable[DatedValue], day: date) -> list[ox.Quad]:
    """The plain triples the rules read, for ``day``: ``<law node> <property> <value>``."""
    return [ox.Quad(ox.NamedNode(v.subject), ox.NamedNode(v.property), v.value) for v in on(values, day)]
