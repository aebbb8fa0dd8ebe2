"""What a run found, read for people: the obligations (with bearer, due date
and status), the exemptions that lift some, those that do not apply and why,
the penalties with the conducts they punish, and who supervises.

Everything is read from the run's conclusions (``gpai_kg.reasoning.explain``)
and the law data they point at; nothing here decides a question of law.

- **due**: an obligation is due on the latest of the dates its rules give
  (``gpai:dueDate``: each says from when, at the earliest, it is due -- the
  date Chapter V applies, the date of placing, Article 111(3), a designation,
  two weeks after the notification's trigger); without a date, the words of
  its time limit (``gpai:dueText``).
- **status**: ``applicable`` from the date it is owed (``gpai:owedFrom``, for
  the notification owed from its trigger, else its due date), otherwise
  ``not yet applicable``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gpai_kg.citations import from_iri
from gpai_kg.errors import UserError
from gpai_kg.namespaces import GPAI
from gpai_kg.reasoning.explain import Explainer, Step, citation
from gpai_kg.reasoning.law import ClosedLaw
from gpai_kg.reasoning.terms import Lit, fmt

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_OBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#object"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
P_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"


@dataclass(frozen=True)
class ObligationResult:
    provision: str
    title: str
    bearer: str
    due: str
    status: str
    because: list[str]
    iri: str
    due_because: list[str] = field(default_factory=list)
    chain: list[Step] = field(default_factory=list)
    summary: str = ""


@dataclass(frozen=True)
class ExemptionResult:
    provision: str
    exempted_by: str
    title: str
    because: list[str]
    why: str = ""
    summary: str = ""
    iri: str = ""


@dataclass(frozen=True)
class NotApplied:
    """An exemption that would lift obligations the model has, and why it does not."""

    exemption: str
    title: str
    would_lift: list[str]
    why_not: str
    because: list[str]


@dataclass(frozen=True)
class PenaltyResult:
    provision: str
    title: str
    imposed_by: str
    max_turnover_share: float | None
    max_amount_eur: float | None
    cap: str
    applies_from: str
    sanctions: list[str]
    because: list[str]
    infringements: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class SupervisionResult:
    scope: str          # what is supervised
    authority: str      # who supervises (the holders of the power)
    provision: str      # the power's legal basis
    title: str
    applies_from: str
    because: list[str]


#: The properties the supervision rules conclude, and what each supervises.
SUPERVISION = ((str(GPAI.supervisedUnder), "the provider's obligations for the general-purpose AI model"),
               (str(GPAI.systemSupervisedUnder), "the AI system the provider builds on the model"))


def sort_key(iri: str):
    try:
        path = from_iri(iri)
    except UserError:
        return ((9, iri),)
    return tuple((0, int(label), "") if label.isdigit() else (1, 0, label) for _, label in path)


def label(law: ClosedLaw, iri: str) -> str:
    for prop in (GPAI.shortTitle, RDFS_LABEL):
        found = law.value(iri, prop)
        if found is not None:
            return str(found.value)
    return iri.rsplit("/", 1)[-1]


def legal_basis(law: ClosedLaw, node: str) -> str:
    bases = law.values(node, GPAI.legalBasis)
    return min((str(b) for b in bases), key=sort_key) if bases else node


def sentence(parts: list[str]) -> str:
    """Plain sentences joined into one, capitalised, with a full stop."""
    text = "; ".join(parts)
    return (text[:1].upper() + text[1:] + ".") if text else ""


def _values(why: Explainer, node: str, prop) -> list:
    return why.ix.get(node, {}).get(str(prop), [])


def obligations(why: Explainer, law: ClosedLaw, model: dict, as_of: date) -> list[ObligationResult]:
    out = []
    for iri in sorted(model.get(str(GPAI.hasObligation), ()), key=lambda o: sort_key(legal_basis(law, o))):
        statement = why.statement(str(GPAI.hasObligation), iri)
        basis = legal_basis(law, iri)
        dates = [d.value for d in _values(why, statement, GPAI.dueDate) if isinstance(d, Lit)]
        texts = sorted(str(t.value) for t in _values(why, statement, GPAI.dueText))
        owed = [d.value for d in _values(why, statement, GPAI.owedFrom) if isinstance(d, Lit)]
        due = max(dates) if dates else None
        start = max(owed) if owed else due
        chain = why.chain(statement, last=basis)
        due_steps = [step.text for prop in ("dueDate", "dueText") for c in why.conclusions(f"{statement}/{prop}")
                     for step in why.own_steps(c)]
        out.append(ObligationResult(
            provision=citation(law, basis), title=label(law, iri),
            bearer=" and ".join(label(law, b) for b in law.values(iri, GPAI.bearer)),
            due=due.isoformat() if due else (texts[0] if texts else ""),
            status="applicable" if start and as_of >= start else "not yet applicable",
            because=[s.text for s in chain], iri=iri, due_because=list(dict.fromkeys(due_steps)), chain=chain,
            summary=sentence(why.sentences(statement) + [f"due {due.isoformat() if due else texts[0]}"]
                             if due or texts else why.sentences(statement))))
    return out


def exemptions(why: Explainer, law: ClosedLaw, model: dict) -> list[ExemptionResult]:
    out = []
    for iri in sorted(model.get(str(GPAI.exemptFrom), ()), key=lambda o: sort_key(legal_basis(law, o))):
        statement = why.statement(str(GPAI.exemptFrom), iri)
        lifting = [p for c in why.conclusions(statement) for p in _values(why, c, P_DERIVED)
                   if str(GPAI.Exemption) in {str(t) for t in law.values(p, RDF_TYPE)}]
        exemption = lifting[0] if lifting else None
        basis = legal_basis(law, exemption) if exemption else None
        met = [label(law, c) for c in law.values(exemption, GPAI.hasCondition)] if exemption else []
        without = law.value(str(GPAI.GeneralPurposeAIModelWithoutSystemicRisk), RDFS_LABEL)
        out.append(ExemptionResult(
            citation(law, legal_basis(law, iri)), citation(law, basis) if basis else "", label(law, iri),
            why.because(statement, last=basis), why="; ".join(met + ([str(without.value)] if without else [])),
            summary=sentence(why.sentences(statement)), iri=exemption or ""))
    return out


def not_applied(why: Explainer, law: ClosedLaw, model: dict) -> list[NotApplied]:
    """Each exemption that would lift an obligation the model has but does not
    apply, with its reasons in one line (the premises of its conclusion)."""
    out = []
    for exemption in sorted(model.get(str(GPAI.exemptionNotApplying), ()), key=lambda e: sort_key(legal_basis(law, e))):
        statement = why.statement(str(GPAI.exemptionNotApplying), exemption)
        reasons: list[str] = []
        unknown: set[str] = set()
        for conclusion in why.conclusions(statement):
            premises = sorted(_values(why, conclusion, P_DERIVED), key=str)  # one order, whichever engine ran
            facts = {why.fact_key(p): why.fact_text(p) for p in premises if why.is_fact(p)}
            for premise in premises:  # a law node with a failure label, or the statement of a class found
                objects = _values(why, premise, RDF_OBJECT)
                node = objects[0] if objects and isinstance(objects[0], str) else premise
                failure = law.value(node, GPAI.failureLabel)
                if failure is None:
                    continue
                key = law.value(node, GPAI.inputKey)
                if key is None:
                    reasons.append(str(failure.value))
                elif str(key.value) in facts:
                    reasons.append(f"{failure.value} ({facts[str(key.value)]})")
                else:
                    unknown.add(str(key.value))
        lifted = [o for o in law.values(exemption, GPAI.lifts) if str(o) in model.get(str(GPAI.hasObligation), ())]
        out.append(NotApplied(
            citation(law, legal_basis(law, exemption)), label(law, exemption),
            [citation(law, legal_basis(law, o)) for o in sorted(lifted, key=lambda o: sort_key(legal_basis(law, o)))],
            "; ".join(dict.fromkeys(reasons + _not_given(unknown))),
            why.because(statement, last=legal_basis(law, exemption))))
    return out


def _due_by(o: ObligationResult, as_of: date) -> bool:
    try:
        return date.fromisoformat(o.due) <= as_of
    except ValueError:  # due in words: not shown to be due yet
        return False


def penalties(why: Explainer, law: ClosedLaw, model: dict, obligations_found: list[ObligationResult],
              as_of: date) -> list[PenaltyResult]:
    """The penalties the provider is exposed to, each with the conducts it punishes (points (a) to (d) of
    Article 101(1)) and, for infringing the provisions, the obligations due by the assessment's date."""
    out = []
    applicable = {o.iri: o.provision for o in obligations_found if _due_by(o, as_of)}
    for iri in sorted(model.get(str(GPAI.exposedToPenalty), ())):
        statement = why.statement(str(GPAI.exposedToPenalty), iri)
        deadline = law.value(iri, GPAI.appliesFrom)
        start = law.value_on(deadline, GPAI.date, as_of) if deadline else None  # dated values: as in force then
        share, amount = law.value_on(iri, GPAI.maxTurnoverShare, as_of), law.value_on(iri, GPAI.maxAmountEur, as_of)
        cap = law.value(iri, GPAI.capRule)
        infringements = []
        sanctioned: set[str] = set()
        for node in sorted(law.values(iri, GPAI.infringement), key=lambda n: sort_key(legal_basis(law, n))):
            concerns = sorted((str(o) for o in law.values(node, GPAI.sanctions)),
                              key=lambda o: sort_key(legal_basis(law, o)))
            own = [applicable[o] for o in concerns if o in applicable]  # (a): the model's obligations due by now
            sanctioned.update(own)
            basis = legal_basis(law, node)
            text = law.value(basis, GPAI.text)
            infringements.append({"provision": citation(law, basis), "title": label(law, node),
                                  "text": str(text.value) if text is not None else "",
                                  "concerns": own or list(dict.fromkeys(citation(law, legal_basis(law, o))
                                                                        for o in concerns))})
        out.append(PenaltyResult(
            provision=citation(law, legal_basis(law, iri)), title=label(law, iri),
            imposed_by=" and ".join(label(law, h) for h in law.values(iri, GPAI.holder)),
            max_turnover_share=share.value if share else None,
            max_amount_eur=(int(amount.value) if amount and float(amount.value).is_integer()
                            else amount.value if amount else None),
            cap={"whicheverIsHigher": "whichever is higher", "whicheverIsLower": "whichever is lower"}.get(
                str(cap.value) if cap else "", str(cap.value) if cap else ""),
            applies_from=fmt(start) if start else "",
            sanctions=[o.provision for o in obligations_found if o.provision in sanctioned],
            because=why.because(statement), infringements=infringements))
    return out


def _not_given(unknown: set[str]) -> list[str]:
    """``open_source not given`` when none of an object's keys is, else the keys not given."""
    from gpai_kg.reasoning.contract import keys

    if not unknown:
        return []
    parents = {k.rsplit(".", 1)[0] for k in unknown if "." in k}
    whole = {p for p in parents if {k for k in keys() if k.startswith(p + ".")} <= unknown}
    named = sorted(whole | {k for k in unknown if not any(k.startswith(p + ".") for p in whole)},
                   key=lambda k: list(keys()).index(k) if k in keys() else 99)
    return [f"{', '.join(named)} not given"]


def supervision(why: Explainer, law: ClosedLaw, model: dict, as_of: date) -> list[SupervisionResult]:
    """Who supervises the provider's obligations, and an AI system it builds on the model (the powers the
    supervision rules concluded), each from the date its power applies as in force on ``as_of``."""
    out = []
    for prop, supervised in SUPERVISION:
        for power in sorted(model.get(prop, ())):
            basis = legal_basis(law, power)
            deadline = law.value(power, GPAI.appliesFrom)
            start = law.value_on(deadline, GPAI.date, as_of) if deadline else None
            out.append(SupervisionResult(
                supervised, " and ".join(label(law, h) for h in sorted(law.values(power, GPAI.holder))),
                citation(law, basis), label(law, power), fmt(start) if start else "",
                why.because(why.statement(prop, power), last=basis)))
    return out
