"""The documentation dossier: what the provider of an assessed model must
prepare, for whom and by when, point by point (``gpai-kg dossier``, and
``documentation`` in the JSON of ``assess``).

The items are law data (``data/curated/documentation.ttl``: one
``gpai:DocumentationItem`` per point of Annex XI, Annex XII, Articles 52(1),
53(1)(c), (d) and 54, each ``gpai:documents`` the obligation it serves, for
the models of its ``gpai:appliesToModelClass``); their words are the verbatim
``gpai:text`` of their provision in the graph. An item is listed when its
obligation attaches to the model prima facie: ``required`` when the provider
has the obligation (with its due date), ``exempt`` when an exemption lifts it
(``exempted_by``). A provider's own record (item -> where it is documented)
is checked by ``gpai_kg.reasoning.record``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from gpai_kg.namespaces import GPAI
from gpai_kg.reasoning.explain import citation
from gpai_kg.reasoning.findings import ExemptionResult, ObligationResult, label, legal_basis
from gpai_kg.reasoning.law import ClosedLaw

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ITEM, GUIDANCE = str(GPAI.DocumentationItem), str(GPAI.GuidanceDocument)
PRIMA_FACIE, MODIFIED = str(GPAI.primaFacieObligation), str(GPAI.SignificantlyModifiedModel)
DOCUMENTS, CLASSES, MODIFIER_NOTE = str(GPAI.documents), str(GPAI.appliesToModelClass), str(GPAI.modifierNote)
SKOS_NOTE = "http://www.w3.org/2004/02/skos/core#note"
RDFS_SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"
DCTERMS_REFERENCES = "http://purl.org/dc/terms/references"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"


@dataclass(frozen=True)
class DossierItem:
    """One item of the dossier: the contract's fields, then more."""

    item: str  # the item's key: its local name (annex-xi-section-1-point-2-d)
    provision: str  # its citation at point level (Annex XI, Section 1, point 2(d))
    text: str  # the provision's verbatim text, from the graph
    addressee: str
    due: str  # a date, the words of a time limit, or "" when exempt
    status: str  # required | exempt
    exempted_by: str | None
    title: str = ""
    obligation: str = ""  # the provision of the obligation it serves
    iri: str = ""
    notes: tuple[str, ...] = ()
    references: tuple[dict, ...] = field(default_factory=tuple)  # e.g. the AI Office's template

    def as_json(self) -> dict:
        return {"item": self.item, "provision": self.provision, "text": self.text, "addressee": self.addressee,
                "due": self.due, "status": self.status, "exempted_by": self.exempted_by, "title": self.title,
                "obligation": self.obligation, "iri": self.iri, "notes": list(self.notes),
                "references": list(self.references)}


@lru_cache(maxsize=4)
def items_of_law(law: ClosedLaw) -> tuple[DossierItem, ...]:
    """Every documentation item of the law data, in its order, as a template:
    its law (provision, verbatim text, addressee, notes, references) filled
    in, its due date and status left for each model."""
    order = str(GPAI.order)
    found = [s for s, props in law.index.items() if ITEM in props.get(RDF_TYPE, ())]
    out = []
    for item in sorted(found, key=lambda i: (law.value(i, order).value if law.value(i, order) else 999, i)):
        basis = legal_basis(law, item)
        text, addressee = law.value(basis, GPAI.text), law.value(item, GPAI.addresseeText)
        obligation = law.value(item, GPAI.documents)
        out.append(DossierItem(
            item=item.rsplit("/", 1)[-1], provision=citation(law, basis), text=str(text.value) if text else "",
            addressee=str(addressee.value) if addressee else "", due="", status="required", exempted_by=None,
            title=label(law, item), obligation=citation(law, legal_basis(law, str(obligation))) if obligation else "",
            iri=item, notes=tuple(str(n.value) for n in law.values(item, SKOS_NOTE)),
            references=_references(law, item)))
    return tuple(out)


def _references(law: ClosedLaw, item: str) -> tuple[dict, ...]:
    out = []
    for ref in law.values(item, DCTERMS_REFERENCES):
        if GUIDANCE in {str(t) for t in law.values(ref, RDF_TYPE)}:
            title = law.value(ref, DCTERMS_TITLE) or law.value(ref, RDFS_LABEL)
            entry = {"title": str(title.value) if title else str(ref), "iri": str(ref)}
            see = law.value(ref, RDFS_SEE_ALSO)
            if see is not None:
                entry["url"] = str(see)
            out.append(entry)
    return tuple(out)


def dossier(law: ClosedLaw, model: dict, obligations: list[ObligationResult],
            exemptions: list[ExemptionResult]) -> list[DossierItem]:
    """The items the model's provider must prepare (or is exempt from)."""
    types = {str(t) for t in model.get(RDF_TYPE, ())}
    prima_facie = {str(o) for o in model.get(PRIMA_FACIE, ())}
    owed = {o.provision: o for o in obligations}
    lifted = {e.provision: e for e in exemptions}
    modifier = MODIFIED in types
    out = []
    for template in items_of_law(law):
        obligation = law.value(template.iri, DOCUMENTS)
        classes = {str(c) for c in law.values(template.iri, CLASSES)}
        if obligation is None or str(obligation) not in prima_facie or not classes & types:
            continue
        result = owed.get(template.obligation)
        exemption = lifted.get(template.obligation) if result is None else None
        notes = template.notes + (tuple(str(n.value) for n in law.values(template.iri, MODIFIER_NOTE))
                                  if modifier else ())
        out.append(replace(template, due=result.due if result else "", status="required" if result else "exempt",
                           exempted_by=exemption.exempted_by if exemption else None, notes=notes))
    return out
