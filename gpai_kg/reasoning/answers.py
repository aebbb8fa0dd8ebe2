"""The answers of an assessment without their explanations: the three
answers, the obligations, the exemptions, the penalties and the facts
missing, read from what the rules concluded -- what a registry's counts, its
CSV and the Screen page's table show, for the set-at-a-time answers
(``gpai_kg.reasoning.batch.answer_batch``), which write no PROV-O.

``three`` decides the three answers from the model's classes for both paths
(``gpai_kg.reasoning.assessment.read_assessment`` too); ``to_json`` gives the
keys of the assessment's JSON that screening reads, with the same values
(``tests/test_batch.py``: every Epoch row and random descriptions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from gpai_kg.namespaces import GPAI
from gpai_kg.reasoning.explain import citation
from gpai_kg.reasoning.findings import legal_basis, sort_key
from gpai_kg.reasoning.law import ClosedLaw

#: The three answers: the classes that settle each, and the open question that leaves it undetermined.
ANSWERS = (("general_purpose", (GPAI.GeneralPurposeAIModel, GPAI.NonGeneralPurposeAIModel), GPAI.GeneralPurposeAIModel),
           ("systemic_risk", (GPAI.GeneralPurposeAIModelWithSystemicRisk, GPAI.GeneralPurposeAIModelWithoutSystemicRisk),
            GPAI.GeneralPurposeAIModelWithSystemicRisk),
           ("in_scope", (GPAI.OutOfScopeModel, GPAI.InScopeModel), GPAI.InScopeModel))
ANSWER_CLASSES = tuple(str(cls) for _, classes, _ in ANSWERS for cls in classes)
#: What the rules conclude of the model that the answers read, by the field of ``Answers`` holding it.
ANSWER_PROPERTIES = {str(GPAI.hasObligation): "obligations", str(GPAI.exemptFrom): "exempt_from",
                     str(GPAI.exemptedBy): "exempted_by", str(GPAI.exposedToPenalty): "penalties"}


_GP, _NOT_GP, _SYSTEMIC, _NOT_SYSTEMIC, _OUT, _IN = ANSWER_CLASSES
_LIFTS = str(GPAI.lifts)


@lru_cache(maxsize=4096)
def _provision(law: ClosedLaw, iri: str) -> tuple[str, tuple]:
    """The citation of a law node's legal basis, and its place in the order of provisions."""
    basis = legal_basis(law, iri)
    return citation(law, basis), sort_key(basis)


def three(types: set[str]) -> tuple[bool | None, bool | None, bool | None]:
    """(general-purpose, systemic risk, in scope) from the model's classes; None: undetermined."""
    general = True if _GP in types else False if _NOT_GP in types else None
    systemic = True if _SYSTEMIC in types else False if _NOT_SYSTEMIC in types or general is False else None
    scope = False if _OUT in types else True if _IN in types else None
    return general, systemic, scope


@dataclass
class Answers:
    """What the rules concluded of one model that its answers read (IRIs; ``missing``: input keys)."""

    model: str
    assessment: str
    types: set[str] = field(default_factory=set)
    obligations: set[str] = field(default_factory=set)
    exempt_from: set[str] = field(default_factory=set)
    exempted_by: set[str] = field(default_factory=set)
    penalties: set[str] = field(default_factory=set)
    missing: set[str] = field(default_factory=set)

    def to_json(self, law: ClosedLaw, as_of: date) -> dict[str, Any]:
        """The keys of the assessment's JSON a screening reads, as ``Assessment.to_json`` gives them."""
        counted = self.counted(law)
        return {"model": self.model, "as_of": as_of.isoformat(), "in_scope": counted["in_scope"],
                "general_purpose": counted["general_purpose"], "systemic_risk": counted["systemic_risk"],
                "obligations": [{"provision": _provision(law, o)[0], "iri": o}
                                for o in _ordered(law, self.obligations)],
                "exemptions": counted["exemptions"],
                "penalties": [{"provision": _provision(law, p)[0], "iri": p} for p in sorted(self.penalties)],
                "undetermined": sorted(self.missing)}

    def counted(self, law: ClosedLaw) -> dict[str, Any]:
        """Of ``to_json``, the keys a registry's counts read (``gpai_kg.reasoning.screen.Tally``): the
        three answers and the exemptions, with the same values."""
        general, systemic, scope = three(self.types)
        exemptions = []
        for obligation in _ordered(law, self.exempt_from):
            lifting = _ordered(law, (e for e in self.exempted_by
                                     if obligation in {str(o) for o in law.values(e, _LIFTS)}))
            exemptions.append({"provision": _provision(law, obligation)[0],
                               "exempted_by": _provision(law, lifting[0])[0] if lifting else ""})
        return {"in_scope": scope, "general_purpose": general, "systemic_risk": systemic, "exemptions": exemptions}


def _ordered(law: ClosedLaw, iris) -> list[str]:
    """Law nodes in the order of their provisions."""
    return sorted(iris, key=lambda o: _provision(law, o)[1])
