"""Which version of the Act an Akoma Ntoso document is, and how it came about.

One document is one expression (``gpai_kg.publish.akn``), named after the
Akoma Ntoso Naming Convention (``frbr_uris``): the OJ text (FRBRExpression
``/akn/eu/act/reg/2024/1689/eng@2024-07-12``, dated by its publication, ELI
alias ``…/reg/2024/1689/oj/eng``, ``contains="originalVersion"``) or the Act as
an amending act left it (``…/eng@2026-07-27``, dated by the day the version
took effect, ELI alias ``…/reg/2024/1689/2026-07-27/eng``,
``contains="singleVersion"``: a consolidation, a documentation version with no
legal effect). A consolidated expression also carries

- its ``lifecycle``: an ``eventRef`` for the original (type ``generation``) and
  one per amending act it takes in (type ``amendment``), each pointing at an
  ``original`` / ``passiveRef`` of the ``references`` block (the AKN-NC
  expression of that act, ``/akn/eu/act/reg/2026/1744/eng@2026-07-07``);
- its passive modifications (``analysis`` › ``passiveModifications``): one
  ``textualMod`` per change (``substitution``, ``insertion``, ``repeal``), its
  ``source`` the amending point's ELI (``…/reg/2026/1744/art_1/pnt_21/oj``, as
  references to other acts are written), its ``destination`` the eId of the
  provision changed (``#art_56__para_6``; for a provision the change deleted,
  that portion of the expression before: ``…/eng@2024-07-12/~art_10__para_5``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from gpai_kg.builder.versions import Change, Expression, Timeline
from gpai_kg.citations import ProvisionPath, expression_iri, to_iri, version_iri

ELI_WORK = to_iri(())
ELI_PATTERN = re.compile(r"http://data\.europa\.eu/eli/(?P<type>[a-z_]+)/(?P<year>\d{4})/(?P<number>\d+)/oj")


@dataclass(frozen=True)
class FrbrUris:
    """The AKN-NC FRBR URIs of one component of the Act (``main``, or an
    annex's ``att_XIII``) in one expression (language and date); see ``frbr_uris``."""
    work: str
    expression: str
    manifestation: str
    component: str

    def this(self, level: str) -> str:
        return {"work": f"{self.work}/!{self.component}", "expression": f"{self.expression}/!{self.component}",
                "manifestation": f"{self.expression}/!{self.component}.xml"}[level]


def frbr_uris(expression_date: str, component: str = "main", language: str = "eng", eli: str = ELI_WORK) -> FrbrUris:
    """The Act's FRBR URIs after the Akoma Ntoso Naming Convention (AKN-NC 1.0,
    section 3), derived from its ELI ``http://data.europa.eu/eli/reg/2024/1689/oj``:
    work ``/akn/eu/act/reg/2024/1689`` (country, document type ``act``, subtype
    ``reg``, date ``2024``, number ``1689``), expression
    ``…/eng@2024-07-12`` (language, expression date), and the component after
    ``!`` (``!main``, ``!att_XIII``), the format last: ``…/!main.xml`` (after a
    component, never right after the date, which a reader such as cobalt would
    take for part of the date). ``FRBRuri`` is the URI of the whole document at
    each level; ``FRBRthis`` adds the component. A later version of the Act
    is the expression of the day it took effect (``…/eng@2026-07-27``);
    another act (``eli``: its ELI) is named the same way
    (``/akn/eu/act/reg/2026/1744/eng@2026-07-07``)."""
    m = ELI_PATTERN.fullmatch(eli)
    work = f"/akn/eu/act/{m['type']}/{m['year']}/{m['number']}"
    expression = f"{work}/{language}@{expression_date}"
    return FrbrUris(work, expression, f"{expression}/!main.xml", component)


TEXTUAL_MOD = {"replaced": "substitution", "inserted": "insertion", "added": "insertion", "deleted": "repeal"}


@dataclass(frozen=True)
class ExpressionInfo:
    """What the metadata of one expression says."""

    key: str                      # "oj" or the version's date
    frbr_date: str                # publication (OJ) or the day the version took effect
    date_name: str                # "publication" or "consolidation"
    contains: str                 # "originalVersion" or "singleVersion"
    events: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # (date, ref eId, type, href, name)
    changes: list[Change] = field(default_factory=list)
    before: str = ""              # the AKN-NC URI of the expression before this one (for repealed eIds)

    def eli(self, path: ProvisionPath) -> str:
        """The ELI of this expression (``()``) or of an annex of it, kept as ``FRBRalias name="ELI"``."""
        if self.key == "oj":
            return to_iri(path) + "/eng"
        return expression_iri(self.key) if not path else version_iri(path, self.key) + "/eng"


def original(published: str) -> ExpressionInfo:
    """The OJ text (``published``: its date of publication)."""
    return ExpressionInfo("oj", published, "publication", "originalVersion")


def _akn(eli: str, day) -> str:
    return frbr_uris(day.isoformat() if hasattr(day, "isoformat") else day, eli=eli).expression


def expression_info(law: Timeline, expression: Expression, published: str) -> ExpressionInfo:
    """The metadata of ``expression`` (``published``: the OJ date of the original)."""
    if expression.act is None:
        return original(published)
    n = law.expressions.index(expression)
    events = [(law.expressions[0].start.isoformat(), "ro_1", "generation", _akn(to_iri(()), published),
               "Regulation (EU) 2024/1689")]
    for number, earlier in enumerate(law.expressions[1:n + 1], 1):
        events.append((earlier.start.isoformat(), f"pas_{number}", "amendment",
                       _akn(earlier.act.eli, earlier.act.date_publication), earlier.act.citation))
    previous = law.expressions[n - 1]
    before = _akn(to_iri(()), published if previous.act is None else previous.start)
    return ExpressionInfo(expression.key, expression.start.isoformat(), "consolidation", "singleVersion", events,
                          [c for c in law.changes if c.date <= expression.start], before)


def write(meta, info: ExpressionInfo, el, eid) -> None:
    """The ``lifecycle`` and ``analysis`` blocks of ``meta`` (``el``: the element
    maker of ``gpai_kg.publish.akn``; ``eid``: its eId of a path)."""
    if not info.events:
        return
    life = el(meta, "lifecycle", source="#gpai-kg")
    for n, (day, ref, kind, _, _) in enumerate(info.events, 1):
        el(life, "eventRef", eId=f"evt_{n}", date=day, source=f"#{ref}", type=kind)
    mods = el(el(meta, "analysis", source="#gpai-kg"), "passiveModifications")
    for n, change in enumerate(info.changes, 1):
        mod = el(mods, "textualMod", type=TEXTUAL_MOD[change.kind], eId=f"pmod_{n}")
        el(mod, "source", href=change.act.iri(change.point.path))
        target = "#" + eid(change.target)
        el(mod, "destination", href=f"{info.before}/~{target[1:]}" if change.kind == "deleted" else target)


def write_references(refs, info: ExpressionInfo, el) -> None:
    """The ``original`` and ``passiveRef`` entries the lifecycle points at."""
    for _, ref, kind, href, name in info.events:
        el(refs, "original" if kind == "generation" else "passiveRef", eId=ref, href=href, showAs=name)


def on(law: Timeline, day: date | None) -> Expression:
    """The expression an export writes: the OJ original, or the one in force on ``day``."""
    from gpai_kg.errors import UserError

    if day is None:
        return law.expressions[0]
    found = law.expression_at(day)
    if found is None:
        raise UserError(f"Regulation (EU) 2024/1689 is not in force on {day.isoformat()}: it entered into force on "
                        f"{law.expressions[0].start.isoformat()}")
    return found
