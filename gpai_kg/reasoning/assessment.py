"""``assess``: which obligations of the AI Act attach to a described model, and why.

The public API is one typed function, ``assess(model, as_of)``, returning an
``Assessment``: the answers, obligations, exemptions, penalties, notes and
documentation dossier of one model on one date, with ``to_json()``, the
contract of ``gpai-kg assess --format json``. The reasoning is the rules'
(``gpai_kg.reasoning.engine``); the words of the chains are read back from the
graph (``gpai_kg.reasoning.explain``, ``gpai_kg.reasoning.findings``,
``gpai_kg.reasoning.dossier``). People read it through ``gpai_kg.publish``
(text, Turtle). Not legal advice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gpai_kg.errors import UserError
from gpai_kg.namespaces import ACT_IRI, GPAI
from gpai_kg.reasoning import findings
from gpai_kg.reasoning.answers import ANSWERS, three
from gpai_kg.reasoning.description import ModelDescription, describe, parse_date
from gpai_kg.reasoning.dossier import DossierItem, dossier
from gpai_kg.reasoning.engine import Run, run_fast, run_naive
from gpai_kg.reasoning.explain import Explainer
from gpai_kg.reasoning.findings import (ExemptionResult, NotApplied, ObligationResult, PenaltyResult,
                                        SupervisionResult, sentence)
from gpai_kg.reasoning.law import ClosedLaw, closed_law
from gpai_kg.reasoning.law_versions import act_version_on, amending_acts_in_force
from gpai_kg.reasoning.model_files import check_shapes, load_description
from gpai_kg.reasoning.rules import rule_by_iri

__all__ = ["Assessment", "ExemptionResult", "NotApplied", "ObligationResult", "PenaltyResult", "SupervisionResult",
           "assess", "as_description", "read_assessment"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
P_SPECIALIZES = "http://www.w3.org/ns/prov#specializationOf"
P_OBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#object"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@dataclass
class Assessment:
    """What the rules concluded about one model on one date."""

    name: str
    model: str
    as_of: date
    in_scope: bool | None
    general_purpose: bool | None
    systemic_risk: bool | None
    obligations: list[ObligationResult]
    exemptions: list[ExemptionResult]
    penalties: list[PenaltyResult]
    undetermined: list[str]
    notes: list[str]
    sources: list[dict]
    reasons: dict[str, list[str]] = field(default_factory=dict)
    supervision: list[SupervisionResult] = field(default_factory=list)
    run: Run = field(default=None, repr=False)
    law: ClosedLaw = field(default=None, repr=False)
    summary: dict[str, str] = field(default_factory=dict)
    exemptions_not_applied: list[NotApplied] = field(default_factory=list)
    documentation: list[DossierItem] = field(default_factory=list)

    # ------------------------------------------------------------ JSON
    def to_json(self, chains: bool = True, documentation: bool = True) -> dict[str, Any]:
        """The JSON contract (``in_scope``, ``general_purpose``, ``systemic_risk``,
        ``obligations``, ``exemptions``, ``penalties``, ``sources``,
        ``documentation``) and more; without ``chains`` (the provisions' texts
        on each step) or the ``documentation`` dossier, for registries."""
        def obligation(o: ObligationResult) -> dict:
            out = {"provision": o.provision, "title": o.title, "bearer": o.bearer, "due": o.due,
                   "status": o.status, "summary": o.summary, "because": o.because, "iri": o.iri,
                   "due_because": o.due_because}
            if chains:
                out["chain"] = [step.as_json(self.law, self.as_of) for step in o.chain]
            return out

        return {
            "name": self.name,
            "model": self.model,
            "as_of": self.as_of.isoformat(),
            # the version of the Act every because quotes (each chain step names its provision's own)
            "version": act_version_on(self.law, self.as_of),
            "in_scope": self.in_scope,
            "general_purpose": self.general_purpose,
            "systemic_risk": self.systemic_risk,
            "summary": self.summary,
            "obligations": [obligation(o) for o in self.obligations],
            "exemptions": [{"provision": e.provision, "exempted_by": e.exempted_by, "title": e.title,
                            "why": e.why, "summary": e.summary, "because": e.because} for e in self.exemptions],
            "exemptions_not_applied": [{"exemption": n.exemption, "title": n.title, "would_lift": n.would_lift,
                                        "why_not": n.why_not, "because": n.because}
                                       for n in self.exemptions_not_applied],
            "penalties": [{"provision": p.provision, "title": p.title, "imposed_by": p.imposed_by,
                           "max_turnover_share": p.max_turnover_share, "max_amount_eur": p.max_amount_eur,
                           "cap": p.cap, "applies_from": p.applies_from, "sanctions": p.sanctions,
                           "infringements": p.infringements, "because": p.because} for p in self.penalties],
            **({"documentation": [item.as_json() for item in self.documentation]} if documentation else {}),
            "undetermined": self.undetermined,
            "supervision": [{"scope": v.scope, "authority": v.authority, "provision": v.provision, "title": v.title,
                             "applies_from": v.applies_from, "because": v.because} for v in self.supervision],
            "reasons": self.reasons,
            "notes": self.notes,
            "sources": self.sources,
            "engine": self.run.engine,
        }


# ---------------------------------------------------------------- building

def read_assessment(run: Run, description: ModelDescription, law: ClosedLaw,
                    documentation: bool = True) -> Assessment:
    """Read an ``Assessment`` out of a run (``documentation`` False: without its dossier)."""
    why = Explainer(run, law)
    model = run.index.get(run.model, {})
    general, systemic, scope = three(set(model.get(RDF_TYPE, ())))

    obligations = findings.obligations(why, law, model, run.as_of)
    exemptions = findings.exemptions(why, law, model)
    missing = why.missing()
    undetermined = sorted({key for keys in missing.values() for key in keys})
    reasons: dict[str, list[str]] = {}
    summary: dict[str, str] = {}
    for key, classes, question in ANSWERS:
        for cls in classes:
            statement = why.statement(RDF_TYPE, str(cls))
            if why.conclusions(statement):
                reasons[key] = why.because(statement)
                summary[key] = sentence(why.sentences(statement))
                break
        else:
            own = missing.get(str(question).rsplit("#", 1)[-1], [])
            if key == "systemic_risk" and general is False:
                summary[key] = summary.get("general_purpose", "")
            else:
                summary[key] = sentence([f"undetermined: missing {', '.join(own or undetermined)}"])
    return Assessment(description.name, run.model, run.as_of, scope, general, systemic, obligations, exemptions,
                      findings.penalties(why, law, model, obligations, run.as_of), undetermined, _notes(run, why, law, missing),
                      _sources(run, law), reasons, findings.supervision(why, law, model, run.as_of), run, law, summary,
                      findings.not_applied(why, law, model),
                      dossier(law, model, obligations, exemptions) if documentation else [])


def _notes(run: Run, why: Explainer, law: ClosedLaw, missing: dict[str, list[str]]) -> list[str]:
    """The notes the rules concluded (``gpai:hasNote``), in the order of their
    nodes, then one line per open question naming the missing facts."""
    found = []
    for props in run.index.values():
        for text in props.get(str(GPAI.noteText), ()):
            statement = props.get(P_SPECIALIZES, [""])[0]
            note = run.index.get(statement, {}).get(P_OBJECT, [""])[0]
            order = law.value(note, GPAI.order)
            found.append((order.value if order is not None else 99, str(text.value)))
    notes = [text for _, text in sorted(set(found))]
    labels = {rule.open_question.rsplit("#", 1)[-1].rsplit("/", 1)[-1]: rule.question_label
              for rule in why.rules.values() if rule.open_question}
    for question, keys in missing.items():
        notes.append(f"{labels.get(question) or question} undetermined: missing {', '.join(keys)}")
    return notes


def _sources(run: Run, law: ClosedLaw) -> list[dict]:
    """The Act as the graph names it, then the guidance the rules followed."""
    act = law.value(ACT_IRI, GPAI.citation)
    short = law.value(ACT_IRI, GPAI.shortTitle)
    oj = law.value(ACT_IRI, GPAI.ojReference)
    url = law.value(ACT_IRI, GPAI.eurLexUrl)
    sources = [{"title": f"{act.value} ({short.value}), {oj.value}", "iri": ACT_IRI, "url": str(url.value)}]
    for amending in amending_acts_in_force(law, run.as_of):  # the version in force consolidates them
        sources.append({"title": f"{law.value(amending, GPAI.citation).value}, "
                                 f"{law.value(amending, GPAI.ojReference).value} (amending act)",
                        "iri": amending, "url": str(law.value(amending, GPAI.eurLexUrl).value)})
    rules = rule_by_iri()
    used = {doc for props in run.index.values()
            for rule in props.get("http://www.w3.org/ns/prov#wasGeneratedBy", ())
            for doc, _ in getattr(rules.get(rule), "guidance", ())}
    for doc in sorted(used):
        label = law.value(doc, RDFS_LABEL)
        sources.append({"title": f"{label.value if label else doc} (guidance, not binding)", "iri": doc})
    return sources


# ---------------------------------------------------------------- the API

def as_description(model: ModelDescription | Mapping | str | Path) -> ModelDescription:
    """A ``ModelDescription`` from a description, a mapping of the input
    contract, or a path to a .json/.yaml/.ttl file."""
    if isinstance(model, ModelDescription):
        return model
    if isinstance(model, Mapping):
        description = describe(model)
        check_shapes(description)  # as a file's is: the same contract, the same shapes
        return description
    return load_description(model)


def assess(model: ModelDescription | Mapping | str | Path, as_of: date | str | None = None,
           engine: str = "fast") -> Assessment:
    """Assess a model: which obligations of Regulation (EU) 2024/1689 attach
    to its provider on ``as_of`` (default: today), and why.

    ``engine`` is ``"fast"`` (default) or ``"naive"`` (the slow baseline that
    copies the whole graph and runs owlrl's full OWL-RL closure first).
    """
    description = as_description(model)
    when = parse_date(as_of) if isinstance(as_of, str) else as_of or date.today()
    if engine not in ("fast", "naive"):
        raise UserError(f"engine must be 'fast' or 'naive', got {engine!r}")
    run = run_fast(description, when) if engine == "fast" else run_naive(description, when)
    return read_assessment(run, description, closed_law())
