"""A plain-Python decision procedure for the rules of ontology/rules/*.rq.

The lower bound of issue 16's benchmark: what the rules decide, per model,
written as straight-line Python over a dict of facts -- no RDF store, no
explanations. It decides the same things as gpai_kg's engines (checked by
check_lower_bound.py on every Epoch row): in_scope, general_purpose,
systemic_risk, the obligations (IRI -> due date), the exemptions, the
penalties and the undetermined input keys.

Law values are not written here: thresholds, dates, obligations, conditions,
exemptions, penalties, Member States, the modality criterion, the class
hierarchy and which provisions each rule implements are read at start from
data/curated/*.ttl and ontology/{gpai-kg,model}.ttl (``Law.load``). What is
written here is the rules' logic, one function per stratum, in the order of
data/curated/rules.ttl (the rule's file name is given in each comment).

Only one fact of the law is not in those files: which provision is part of
which (eli:is_part_of, from the built Act). The obligation rules follow it
one step (``gpai:legalBasis/eli:is_part_of?``); here the parent is read off
the ELI IRI (art_53/par_1/pnt_a/oj -> art_53/par_1/oj), which is how the
builder mints it (checked against the closed law by check_lower_bound.py).

Usage:
    python lower_bound.py REGISTRY.csv [--as-of YYYY-MM-DD] [--out FILE.jsonl] [--summary-only]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
G = "https://w3id.org/gpai-kg/ontology#"
ID = "https://w3id.org/gpai-kg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD = "http://www.w3.org/2001/XMLSchema#"

# classes (names, not law values)
AIModel, GPAI, NonGPAI = G + "AIModel", G + "GeneralPurposeAIModel", G + "NonGeneralPurposeAIModel"
WithSR, WithoutSR = G + "GeneralPurposeAIModelWithSystemicRisk", G + "GeneralPurposeAIModelWithoutSystemicRisk"
InScope, OutOfScope = G + "InScopeModel", G + "OutOfScopeModel"
Significant, Insignificant = G + "SignificantlyModifiedModel", G + "InsignificantlyModifiedModel"
# law nodes the rules name in their text
T_51_2, T_IND = ID + "threshold/art-51-2", ID + "threshold/guidance-gpai-indicative-compute"
T_THIRD = ID + "threshold/guidance-modification-one-third"
T_FB_SR, T_FB_GPAI = ID + "threshold/guidance-modification-fallback-systemic-risk", \
    ID + "threshold/guidance-modification-fallback-gpai"
T_ANNEX = ID + "threshold/annex-xiii-f"
D_ENTRY = ID + "deadline/art-113-sub-1"
C_51_1_A, C_51_1_B = ID + "condition/art-51-1-a", ID + "condition/art-51-1-b"
C_THIRD = ID + "condition/established-in-third-country"
C_LICENCE_54, C_PARAMETERS_54 = ID + "condition/art-54-6-licence", ID + "condition/art-54-6-parameters"
TL_PLACING = ID + "time-limit/placing-on-the-market"
NotYetPlaced = G + "NotYetPlacedModel"
RULE = ID + "rule/"


def _value(term):
    import pyoxigraph as ox

    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        v = term.value
        if dt in (XSD + "double", XSD + "float", XSD + "decimal"):
            return float(v)
        if dt == XSD + "integer":
            return int(v)
        if dt == XSD + "date":
            return date.fromisoformat(v)
        if dt == XSD + "boolean":
            return v in ("true", "1")
        return v
    return term.value


def _resolve_dated(ix: dict, day: date) -> None:
    """State on each law node the dated values (gpai:hasValue, gpai:DatedValue) in force on ``day``, as the
    engines do before the rules run: a value holds from its gpai:validFrom until the day before the next value
    of the same node and property, or until its gpai:validUntil; before every value, the first one."""
    for subject, props in ix.items():
        periods: dict = {}
        for node in props.get(G + "hasValue", ()):
            p = ix.get(node, {})
            if p.get(G + "valueOf") and p.get(G + "value") and p.get(G + "validFrom"):
                periods.setdefault(p[G + "valueOf"][0], []).append(
                    (p[G + "validFrom"][0], (p.get(G + "validUntil") or [None])[0], p[G + "value"][0]))
        for prop, values in periods.items():
            values.sort(key=lambda v: v[0])
            held = [v for n, (start, until, v) in enumerate(values)
                    if start <= day and (until is None or day <= until)
                    and (n + 1 == len(values) or day < values[n + 1][0])]
            props[prop] = [values[0][2]] if day < values[0][0] else held[:1]


def _parent(provision: str) -> str | None:
    """eli:is_part_of, read off the ELI IRI: .../art_53/par_1/pnt_a/oj -> .../art_53/par_1/oj."""
    head, _, tail = provision.rpartition("/oj")
    if tail or "/" not in head:
        return None
    up = head.rsplit("/", 1)[0]
    return up + "/oj" if re.search(r"/(art|anx|rct|cpt)_[^/]+", up) else None


@dataclass
class Obligation:
    iri: str
    bases: tuple
    classes: frozenset
    conditions: frozenset
    applies_from: date | None
    transitional_before: date | None
    transitional_date: date | None
    period_days: int | None = None  # gpai:timeLimit's gpai:periodLength (counted from the trigger)
    limit_text: str | None = None  # ... and its gpai:dueText
    placing_text: str | None = None  # gpai:placingTimeLimit's gpai:dueText, else time-limit:placing-on-the-market's


@dataclass
class Law:
    entry: date
    t51: float
    t51_raises: tuple
    t_ind: float
    ind_modalities: frozenset
    criterion_of: dict  # modality input value -> its criterion modalities
    fraction: dict  # modification threshold -> (fraction, fractionOf value or None)
    t_annex: float
    members: frozenset
    classification: dict  # condition -> (applies class, resulting class)
    supers: dict  # class -> its superclasses (closed, itself excluded)
    obligations_by_rule: dict  # rule name -> [Obligation] (stratum 9)
    exemptions_by_rule: dict  # rule name -> [(exemption, lifts, classes, conditions, excepted)]
    penalties: list  # [(penalty, from date, sanctioned obligations)]
    conditions_by_rule: dict = field(default_factory=dict)  # rule -> [(condition, ((input key, value), ...))]
    rule_order: list = field(default_factory=list)

    @classmethod
    def load(cls, root: Path = ROOT, as_of: date | None = None) -> "Law":
        """The law as the rules read it on ``as_of`` (its dated values resolved for that day)."""
        import pyoxigraph as ox

        files = [*sorted((root / "data" / "curated").glob("*.ttl")),
                 root / "ontology" / "gpai-kg.ttl", root / "ontology" / "model.ttl"]
        ix: dict = {}
        for path in files:
            with open(path, "rb") as fh:
                for t in ox.parse(fh, format=ox.RdfFormat.TURTLE, base_iri="http://data.europa.eu/eli/reg/2024/1689/"):
                    if isinstance(t.subject, ox.NamedNode):
                        ix.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(_value(t.object))
        _resolve_dated(ix, as_of or date.today())

        def vals(s, p):
            return ix.get(s, {}).get(G + p if "#" not in p and "://" not in p else p, [])

        def one(s, p, default=None):
            v = vals(s, p)
            return v[0] if v else default

        def deadline_date(d):
            return one(d, "date") if d else None

        # the class hierarchy, closed (what owlrl closes once and cax-sco applies)
        direct = {s: [o for o in p.get(SUBCLASS, ()) if isinstance(o, str)] for s, p in ix.items() if SUBCLASS in p}
        supers = {}
        for c in direct:
            seen, todo = set(), list(direct[c])
            while todo:
                x = todo.pop()
                if x not in seen and x != c:
                    seen.add(x)
                    todo.extend(direct.get(x, ()))
            supers[c] = frozenset(seen)
        # the rules: name -> provisions implemented, (stratum, order)
        rules = {s[len(RULE):]: p for s, p in ix.items() if s.startswith(RULE) and G + "Rule" in p.get(RDF_TYPE, ())}
        implements = {n: set(p.get(G + "implements", ())) for n, p in rules.items()}
        order = sorted((int(one(RULE + n, "stratum", 0)), int(one(RULE + n, "order", 0)), n) for n in rules)

        def obligations_under(provisions):
            out = []
            for s, p in ix.items():
                if G + "Obligation" not in p.get(RDF_TYPE, ()):
                    continue
                bases = tuple(p.get(G + "legalBasis", ()))
                if not any(b in provisions or _parent(b) in provisions for b in bases):
                    continue
                trans = one(s, "transitionalDeadline")
                limit = one(s, "timeLimit")
                period = one(limit, "periodLength") if limit else None
                out.append(Obligation(
                    s, bases, frozenset(p.get(G + "appliesToModelClass", ())), frozenset(p.get(G + "hasCondition", ())),
                    deadline_date(one(s, "appliesFrom")), one(trans, "placedOnMarketBefore") if trans else None,
                    deadline_date(trans), int(re.fullmatch(r"P(\d+)D", str(period))[1]) if period else None,
                    one(limit, "dueText") if limit else None,
                    one(one(s, "placingTimeLimit", TL_PLACING), "dueText")))
            return sorted(out, key=lambda o: o.iri)

        def by_template(name):
            return sorted(n for n, p in rules.items() if ID + "rule-template/" + name in p.get(G + "template", ()))

        obligation_rules = by_template("obligation-attaches")
        exemption_rules = by_template("exemption-lifts")
        conditions_by_rule = {}
        for name in by_template("condition-met"):
            found = []
            for s, p in ix.items():
                if G + "Condition" in p.get(RDF_TYPE, ()) and set(p.get(G + "legalBasis", ())) & implements[name] \
                        and p.get(G + "requiresFact"):
                    found.append((s, tuple((one(f, "inputKey"), one(f, "requiredValue"))
                                           for f in p.get(G + "requiresFact", ()))))
            conditions_by_rule[name] = sorted(found)
        exemptions = {}
        for name in exemption_rules:
            found = []
            for s, p in ix.items():
                if G + "Exemption" in p.get(RDF_TYPE, ()) and set(p.get(G + "legalBasis", ())) & implements[name]:
                    found.append((s, frozenset(p.get(G + "lifts", ())), frozenset(p.get(G + "appliesToModelClass", ())),
                                  frozenset(p.get(G + "hasCondition", ())), frozenset(p.get(G + "exceptModelClass", ()))))
            exemptions[name] = sorted(found)
        penalties = []
        for s, p in ix.items():
            if G + "Penalty" in p.get(RDF_TYPE, ()) and set(p.get(G + "legalBasis", ())) & implements["101-fines"]:
                sanctioned = frozenset(o for i in p.get(G + "infringement", ()) for o in vals(i, "sanctions"))
                for d in p.get(G + "appliesFrom", ()):
                    penalties.append((s, deadline_date(d), sanctioned))
        fraction = {}
        for t in (T_THIRD, T_FB_SR, T_FB_GPAI):
            of = one(t, "fractionOf")
            fraction[t] = (float(one(t, "thresholdValue")), float(one(of, "thresholdValue")) if of else None)
        criterion_of: dict = {}
        for s, p in ix.items():
            if G + "Modality" in p.get(RDF_TYPE, ()):
                for name in p.get(G + "inputValue", ()):
                    criterion_of[name] = frozenset(p.get(G + "criterionModality", ()))
        classification = {s: (one(s, "appliesToModelClass"), one(s, "resultingModelClass"))
                          for s, p in ix.items() if G + "ClassificationCondition" in p.get(RDF_TYPE, ())}
        members = frozenset(c for s, p in ix.items() if G + "MemberState" in p.get(RDF_TYPE, ())
                            for c in p.get(G + "countryCode", ()))
        return cls(
            entry=deadline_date(D_ENTRY), t51=float(one(T_51_2, "thresholdValue")),
            t51_raises=tuple(vals(T_51_2, "raisesPresumptionOf")), t_ind=float(one(T_IND, "thresholdValue")),
            ind_modalities=frozenset(vals(T_IND, "modality")), criterion_of=criterion_of, fraction=fraction,
            t_annex=one(T_ANNEX, "thresholdValue"), members=members, classification=classification, supers=supers,
            obligations_by_rule={n: obligations_under(implements[n]) for n in obligation_rules},
            exemptions_by_rule=exemptions, penalties=penalties, conditions_by_rule=conditions_by_rule,
            rule_order=order)


# ---------------------------------------------------------------- the rules

@dataclass
class Decision:
    in_scope: bool | None
    general_purpose: bool | None
    systemic_risk: bool | None
    obligations: dict  # obligation IRI -> due date (earliest)
    exemptions: list  # [(obligation IRI, exemption IRI)]
    penalties: list
    undetermined: list
    in_force: bool = True

    def as_json(self) -> dict:
        return {"in_scope": self.in_scope, "general_purpose": self.general_purpose, "systemic_risk": self.systemic_risk,
                "obligations": [[o, d.isoformat() if isinstance(d, date) else d] for o, d in sorted(self.obligations.items())],
                "exemptions": sorted(self.exemptions), "penalties": sorted(self.penalties),
                "undetermined": self.undetermined}


def _modification_above(law: Law, threshold: str, modification: float, base: float) -> bool:
    """3-3-modifier-becomes-provider / -not-provider: the comparison, as the rule computes it."""
    fraction = law.fraction[threshold][0]
    n = math.floor(1 / fraction + 0.5)  # SPARQL ROUND: half away from zero (positive here)
    if abs(1 / n - fraction) < 1e-12:
        return modification * n > base
    return modification > base * fraction


def _trigger(known, applies, as_of):
    """52-1-notification-due / 111-3-notification-due: when the two weeks start (None: no date follows)."""
    if known is not None:
        return known if known > applies else applies
    return applies if as_of <= applies else None


def decide(law: Law, v: dict, as_of: date) -> Decision:
    """The rules over one model's facts ``v`` (the keys of the input contract,
    dotted for nested ones, ``None`` or absent when unknown)."""
    types = {AIModel}
    meets: set = set()

    def add(cls):  # a class and, by cax-sco over the closed hierarchy, its superclasses
        types.add(cls)
        types.update(law.supers.get(cls, ()))

    get = v.get
    tc = get("training_compute_flop")
    modalities = get("modalities")  # tuple of input values, or None
    declared = get("general_purpose")
    modified = bool(get("modified_from"))
    mod_tc = get("modification_compute_flop") if modified else None
    orig_tc = get("modified_from.training_compute_flop") if modified else None
    orig_sr = get("modified_from.systemic_risk") if modified else None
    hic, designated = get("high_impact_capabilities"), get("designated_by_commission")
    research, internal = get("research_only"), get("internal_use_only")
    essential, rights = get("internal_use_essential_for_third_parties"), get("affects_rights_of_natural_persons")
    placed_eu, placed = get("placed_on_eu_market"), get("placed_on_market_date")
    intended, science = get("intended_for_eu_market"), get("scientific_research_only")
    known, designated_on = get("compute_threshold_known_date"), get("designation_date")

    # stratum 1 -- 113-entry-into-force
    in_force = as_of >= law.entry
    # stratum 2
    if declared is not None:  # 3-63-general-purpose-as-declared
        add(GPAI if declared else NonGPAI)
    counted = bool(modalities) and any(law.criterion_of.get(m, frozenset()) & law.ind_modalities for m in modalities)
    if declared is None:
        if tc is not None and modalities and not modified and tc > law.t_ind and counted:
            add(GPAI)  # 3-63-indicative-criterion-met
        if tc is not None and tc <= law.t_ind:
            add(NonGPAI)  # 3-63-indicative-criterion-not-met-compute (own compute)
        elif tc is None and modified and mod_tc is not None and orig_tc is not None and orig_tc + mod_tc <= law.t_ind:
            add(NonGPAI)  # ... (the original's compute plus the modification's)
        if modalities and not counted:
            add(NonGPAI)  # 3-63-indicative-criterion-not-met-modality
    if modified and mod_tc is not None:  # 3-3-modifier-provider
        if orig_tc is not None:
            add(Significant if _modification_above(law, T_THIRD, mod_tc, orig_tc) else Insignificant)
        elif orig_sr is not None:
            threshold = T_FB_SR if orig_sr else T_FB_GPAI
            add(Significant if _modification_above(law, threshold, mod_tc, law.fraction[threshold][1])
                else Insignificant)
        else:  # neither known: above the larger fallback, or not above the smaller
            if _modification_above(law, T_FB_SR, mod_tc, law.fraction[T_FB_SR][1]):
                add(Significant)
            if not _modification_above(law, T_FB_GPAI, mod_tc, law.fraction[T_FB_GPAI][1]):
                add(Insignificant)
    # stratum 3 -- 3-63-modified-general-purpose-model
    if modified and declared is None and NonGPAI not in types:
        add(GPAI)
    # stratum 4
    gp = GPAI in types
    if gp:
        if tc is not None and tc > law.t51:  # 51-2-presumption-high-impact
            meets.update(law.t51_raises)
        if modified and mod_tc is not None and tc is None:  # 51-2-presumption-modified-model
            if (orig_tc + mod_tc if orig_tc is not None else mod_tc) > law.t51:
                meets.update(law.t51_raises)
        if hic is True:  # 51-1-a-high-impact-capabilities
            meets.add(C_51_1_A)
        if modified and (orig_sr is True or (orig_tc is not None and orig_tc > law.t51)):
            meets.add(C_51_1_A)  # 51-1-a-modified-systemic-risk-model
        if designated is True:  # 52-4-commission-designation
            meets.add(C_51_1_B)
    # stratum 5 -- 51-1-systemic-risk
    for condition in sorted(meets):
        spec = law.classification.get(condition)
        if spec and spec[0] in types:
            add(spec[1])
    # stratum 6 -- 51-1-no-systemic-risk
    if gp and hic is False and designated is False and WithSR not in types:
        values = []
        if tc is not None and (not modified or orig_sr is False):
            values.append(tc)
        if modified and mod_tc is not None and orig_tc is not None and orig_sr is False and tc is None:
            values.append(orig_tc + mod_tc)
        if any(value <= law.t51 for value in values):
            add(WithoutSR)
    # stratum 7 -- scope
    new = []
    not_unmodified = not (modified and Significant not in types)
    science_only = science is True and intended is not True
    if in_force and gp and not_unmodified and research is False and not science_only:
        if placed_eu is True and internal is False:
            new.append(InScope)  # 2-1-a-placing-on-union-market
        if internal is True and (essential is True or rights is True or WithSR in types):
            new.append(InScope)  # recital-97-internal-use-placing
    if research is True and intended is not True:
        new.append(OutOfScope)  # 2-8-research-before-placing
    if internal is True and essential is False and rights is False and WithoutSR in types:
        new.append(OutOfScope)  # recital-97-purely-internal-use
    if placed_eu is False and internal is not True and intended is not True:
        new.append(OutOfScope)  # 2-1-a-not-placed-on-union-market
    if NonGPAI in types:
        new.append(OutOfScope)  # 2-1-a-not-general-purpose
    if Insignificant in types:
        new.append(OutOfScope)  # 2-1-a-modifier-not-provider
    if not in_force:
        new.append(OutOfScope)  # 113-before-entry-into-force
    if science_only:
        new.append(OutOfScope)  # 2-6-scientific-research
    if in_force and gp and intended is True and internal is False and not_unmodified and \
            (placed_eu is False or research is True):
        new.append(NotYetPlaced)  # 2-8-development-for-union-market
    for c in new:
        add(c)
    # stratum 8
    country = get("provider_country")
    if country is not None and country not in law.members:
        meets.add(C_THIRD)  # 54-1-established-in-third-country
    for conditions in law.conditions_by_rule.values():  # 53-2 / 54-6 open-source conditions
        for condition, required in conditions:
            if all(get(key) == value for key, value in required):
                meets.add(condition)
    # stratum 9 -- the obligation rules: prima facie obligations
    prima = set()
    if InScope in types:
        for obligations in law.obligations_by_rule.values():
            for o in obligations:
                if o.classes & types and o.conditions <= meets:
                    prima.add(o.iri)
    # stratum 10 -- 53-2 / 54-6 open-source exemptions
    exempt = []
    exempt_from = set()
    if WithoutSR in types:
        for exemptions in law.exemptions_by_rule.values():
            for e, lifts, classes, conditions, excepted in exemptions:
                if classes & types and conditions and conditions <= meets and not (excepted & types):
                    for o in sorted(lifts & prima):
                        exempt.append((o, e))
                        exempt_from.add(o)
    # stratum 11 -- obligations-not-lifted
    has = {o for o in prima if o not in exempt_from}
    # stratum 12 -- the due dates (the latest holds), else the due time in words
    due: dict = {}
    dates_of: dict = {}
    by_iri = {o.iri: o for obligations in law.obligations_by_rule.values() for o in obligations}
    resulting_b = law.classification.get(C_51_1_B, (None, None))[1]
    undated_placing = NotYetPlaced in types and placed is None
    for iri in has:
        o = by_iri[iri]
        dates, texts = [], []
        transitional = placed is not None and o.transitional_before is not None and placed < o.transitional_before
        if o.period_days is None:
            if o.applies_from is not None and not undated_placing and not transitional:
                dates.append(placed if placed is not None and placed > o.applies_from else o.applies_from)  # 113-b
            if transitional and o.transitional_date is not None:
                dates.append(o.transitional_date)  # 111-3-models-placed-before
            if undated_placing:
                texts.append(o.placing_text)  # 2-1-a-due-on-placing
        elif o.applies_from is not None:
            period = timedelta(days=o.period_days)
            start = _trigger(known, o.applies_from, as_of)
            if not transitional and start is not None:
                dates.append(start + period)  # 52-1-notification-due
            if transitional and o.transitional_date is not None:  # 111-3-notification-due
                deadline = start + period if start is not None else None
                if deadline is not None or as_of + period <= o.transitional_date:
                    dates.append(deadline if deadline is not None and deadline > o.transitional_date
                                 else o.transitional_date)
            if known is None and as_of > o.applies_from:  # 52-1-notification-due-undated
                until = o.transitional_date if transitional else None
                if until is None or as_of + period > until:
                    texts.append(o.limit_text)
        if (designated_on is not None and not undated_placing and C_51_1_B in meets and C_51_1_A not in meets
                and resulting_b in o.classes):
            dates.append(designated_on)  # 52-4-designation-date
        dates_of[iri] = dates
        due[iri] = max(dates) if dates else (sorted(texts)[0] if texts else None)
    # stratum 13 -- 101-fines (annex-xiii-f only informs a note: not an answer)
    penalties = sorted({p for p, start, sanctioned in law.penalties for o in has
                        if o in sanctioned and start is not None and as_of >= start
                        and dates_of[o] and all(d <= as_of for d in dates_of[o])})
    # stratum 14 -- undetermined
    missing = set()
    if modified and Significant not in types and Insignificant not in types:  # 3-3-modification-undetermined
        if mod_tc is None:
            missing.add("modification_compute_flop")
        if orig_tc is None and orig_sr is None:
            missing.update(("modified_from.training_compute_flop", "modified_from.systemic_risk"))
    if GPAI not in types and NonGPAI not in types:  # 3-63-general-purpose-undetermined
        if tc is None:
            missing.add("training_compute_flop")
        if not modalities:
            missing.add("modalities")
    if gp and WithSR not in types and WithoutSR not in types:  # 51-1-systemic-risk-undetermined
        if tc is None and not modified:
            missing.add("training_compute_flop")
        if modified and tc is None and mod_tc is None:
            missing.add("modification_compute_flop")
        if modified and tc is None and orig_tc is None:
            missing.add("modified_from.training_compute_flop")
        if modified and orig_sr is None:
            missing.add("modified_from.systemic_risk")
        if hic is None:
            missing.add("high_impact_capabilities")
        if designated is None:
            missing.add("designated_by_commission")
    if InScope not in types and OutOfScope not in types:  # 2-1-a-scope-undetermined
        if placed_eu is None and internal is not True:
            missing.add("placed_on_eu_market")
        if research is None:
            missing.add("research_only")
        if internal is None:
            missing.add("internal_use_only")
        if internal is True and essential is None:
            missing.add("internal_use_essential_for_third_parties")
        if internal is True and rights is None:
            missing.add("affects_rights_of_natural_persons")
    if InScope in types and country is None and not (WithoutSR in types and C_LICENCE_54 in meets
                                                     and C_PARAMETERS_54 in meets):
        missing.add("provider_country")  # 54-1-third-country-undetermined

    general = True if GPAI in types else False if NonGPAI in types else None
    systemic = True if WithSR in types else False if (WithoutSR in types or general is False) else None
    scope = False if OutOfScope in types else True if InScope in types else None
    return Decision(scope, general, systemic, {o: due[o] for o in has}, exempt, penalties, sorted(missing), in_force)


# ---------------------------------------------------------------- Epoch rows -> facts

# The mapping's tables are the package's (gpai_kg.sources.epoch: no RDF, no reasoning); its code here is
# the lower bound's own, flattened for speed.
from gpai_kg.sources.epoch import DOMAIN_MODALITIES  # noqa: E402
from gpai_kg.sources.epoch import country_code as _country_code  # noqa: E402

_OPEN = {"open_source": True, "open_source.free_open_source_licence": True, "open_source.weights_public": True,
         "open_source.architecture_public": True, "open_source.usage_info_public": True,
         "open_source.monetised": False}
_RESTRICTED = {**_OPEN, "open_source.free_open_source_licence": False}
ACCESS = {"API access": {"placed_on_eu_market": True}, "Hosted access (no API)": {"placed_on_eu_market": True},
          "Open weights (unrestricted)": {"placed_on_eu_market": True, **_OPEN},
          "Open weights (non-commercial)": {"placed_on_eu_market": True, **_RESTRICTED},
          "Open weights (restricted use)": {"placed_on_eu_market": True, **_RESTRICTED},
          "Unreleased": {"placed_on_eu_market": False}}
#: what the input contract's defaults say of a key an Epoch row does not give
DEFAULTS = {"high_impact_capabilities": False, "designated_by_commission": False, "research_only": False,
            "internal_use_only": False, "internal_use_essential_for_third_parties": False,
            "affects_rights_of_natural_persons": False, "scientific_research_only": False,
            "intended_for_eu_market": False, "ai_system_on_own_model": False}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class RowError(ValueError):
    pass


def _clean(text):
    return " ".join((text or "").split())


def _number(text):
    text = _clean(text).replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    if not value >= 0:
        return None
    if value == math.inf:
        raise RowError("not a finite number")
    return value


def _date(text):
    text = _clean(text)
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


country_code = lru_cache(maxsize=None)(_country_code)


@lru_cache(maxsize=4096)
def _modalities(domain: str):
    parts = [_clean(p) for p in domain.split(",") if _clean(p)]
    if not parts:
        return None
    found = sorted({DOMAIN_MODALITIES[p] for p in parts if p in DOMAIN_MODALITIES})
    return tuple(found) or ("other",)


@lru_cache(maxsize=65536)
def _orgs(text: str) -> frozenset:
    return frozenset(_clean(o) for o in text.split(",") if _clean(o))


def _first_org(text: str) -> str | None:
    for o in text.split(","):
        if _clean(o):
            return _clean(o)
    return None


@lru_cache(maxsize=65536)
def _country(countries: str, first_org: str | None, organisations_id: int) -> str | None:
    for name in countries.split(","):
        code = country_code(name)
        if code:
            return code
    return country_code(_ORGANISATIONS[organisations_id].get(first_org, "")) if first_org else None


_ORGANISATIONS: dict = {}


class EpochFacts:
    """Epoch rows -> facts, as gpai_kg/screen.py's EpochMapper maps them. The
    base-model lookup needs, of the whole table, only the rows named as a base
    model (``bases``: name -> (organisations, compute) of the last row so named)."""

    def __init__(self, bases: dict, organisations: dict):
        self.bases = bases
        self.org_id = id(organisations)
        _ORGANISATIONS[self.org_id] = organisations

    def facts(self, row: dict) -> dict:
        v = dict(DEFAULTS)
        v["name"] = _clean(row.get("Model")) or "unnamed model"
        v["training_compute_flop"] = _number(row.get("Training compute (FLOP)"))
        v["parameters"] = _number(row.get("Parameters"))  # no rule reads it; the description states it
        org_text = row.get("Organization") or ""
        v["provider_country"] = _country(row.get("Country (from Organization)") or "", _first_org(org_text), self.org_id)
        v["modalities"] = _modalities(row.get("Domain") or "")
        v["placed_on_market_date"] = _date(row.get("Publication date"))
        v.update(ACCESS.get(_clean(row.get("Model accessibility")), {"placed_on_eu_market": None}))
        base_text = row.get("Base model") or ""
        if base_text.strip():
            base_names = [_clean(b) for b in base_text.split(",") if _clean(b)]
            if base_names:
                base = self.bases.get(base_names[0])
                if not (base is not None and base[0] & _orgs(org_text)):
                    if base is not None and base[1] == math.inf:
                        raise RowError("the base model's compute is not a finite number")
                    v["modified_from"] = True
                    v["modified_from.name"] = base_names[0]
                    v["modified_from.training_compute_flop"] = base[1] if base else None
                    v["modified_from.systemic_risk"] = None  # the registry never says
                    v["modification_compute_flop"] = _number(row.get("Finetune compute (FLOP)"))
        return v


def base_index(path: Path) -> dict:
    """Two streaming passes: the names used as base models, then those rows'
    organisations and compute (the last row of a name wins, as in screen.py)."""
    wanted = set()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        b = header.index("Base model")
        for r in reader:
            if len(r) > b and r[b].strip():
                for name in r[b].split(","):
                    if _clean(name):
                        wanted.add(_clean(name))
                        break
    out = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        m, o, t = header.index("Model"), header.index("Organization"), header.index("Training compute (FLOP)")
        for r in reader:
            name = _clean(r[m]) if len(r) > m else ""
            if name in wanted:
                out[name] = (_orgs(r[o]), _number_or_none(r[t]))
    return out


def _number_or_none(text):
    try:
        return _number(text)
    except RowError:
        return math.inf


def organisations_beside(path: Path) -> dict:
    beside = sorted(path.parent.glob("epoch_organizations*.csv"))
    if not beside:
        return {}
    with beside[-1].open(encoding="utf-8-sig", newline="") as fh:
        return {_clean(r.get("Organization")): _clean(r.get("Country")) for r in csv.DictReader(fh)}


def screen(path: Path, as_of: date, law: Law | None = None):
    """(row number, name, Decision or error text) for every row, streamed."""
    law = law or Law.load(as_of=as_of)
    mapper = EpochFacts(base_index(path), organisations_beside(path))
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), 2):
            try:
                v = mapper.facts(row)
            except RowError as exc:
                yield n, _clean(row.get("Model")), str(exc)
                continue
            yield n, v["name"], decide(law, v, as_of)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", type=Path)
    ap.add_argument("--as-of", default=date.today().isoformat())
    ap.add_argument("--out", type=Path)
    ap.add_argument("--summary-only", action="store_true")
    args = ap.parse_args(argv)
    as_of = date.fromisoformat(args.as_of)
    t0 = time.perf_counter()
    law = Law.load(as_of=as_of)
    t_law = time.perf_counter() - t0
    count = Counter()
    out = args.out.open("w", encoding="utf-8") if args.out and not args.summary_only else None
    for n, name, d in screen(args.csv, as_of, law):
        count["models"] += 1
        if isinstance(d, str):
            count["invalid rows"] += 1
            continue
        count["general-purpose"] += d.general_purpose is True
        count["not general-purpose"] += d.general_purpose is False
        count["systemic risk"] += d.systemic_risk is True
        count["in scope"] += d.in_scope is True
        count["exempt (open source)"] += bool(d.exemptions)
        count["undetermined"] += None in (d.in_scope, d.general_purpose, d.systemic_risk)
        if out:
            out.write(json.dumps({"row": n, "name": name, **d.as_json()}, ensure_ascii=False) + "\n")
    if out:
        out.close()
    elapsed = time.perf_counter() - t0
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({**count, "seconds": round(elapsed, 3), "law_load_s": round(t_law, 3),
                      "models_per_s": round(count["models"] / elapsed), "peak_rss_mb": round(rss, 1)}))


if __name__ == "__main__":
    sys.exit(main())
