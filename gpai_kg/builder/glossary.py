"""Semantic relations between the definitions of Article 3, read from their words.

SKOS (https://www.w3.org/TR/skos-reference/, sections 8 and 10) lets a concept
scheme say that one concept is more specific than another (``skos:broader`` /
``skos:narrower``) or associated with it (``skos:related``). Article 3 says
which, in the way its definitions are drafted (genus and difference):

- **genus** — the definiens begins with another defined term: ‘notified body’
  means *a conformity assessment body* notified …; ‘biometric data’ means
  *personal data* resulting from …  The defined concept is narrower than the
  genus (``skos:broader`` the genus).
- **enumeration** — the whole definiens, up to its first semicolon, is a list of
  short noun phrases: ‘operator’ means *a provider, product manufacturer,
  deployer, authorised representative, importer or distributor*.  Each listed
  term that is itself defined is narrower than the defined concept.
- **mention** — any other defined term used in the definiens (‘general-purpose
  AI system’ … is based on *a general-purpose AI model*) makes the two
  concepts ``skos:related``, unless one is already above the other
  (SKOS S27: ``skos:related`` is disjoint with ``skos:broaderTransitive``).

A definition that restates a term defined elsewhere (‘personal data’ means
*personal data* as defined in Article 4, point (1), of Regulation (EU)
2016/679) relates to nothing.  Plurals are matched (“providers”,
“authorities”); a term inside a longer defined term (“AI system” inside
“general-purpose AI system”) is not.  Both directions are written
(broader + narrower, related both ways) so that SKOS tools (Skosmos) need no
inference; only concepts with nothing broader are top concepts of the scheme.
"""

from __future__ import annotations

import re

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

_MEANS = re.compile(r"^\u2018[^\u2019]+\u2019(?:,[^,]*,)?\s+means:?\s+")
_ARTICLE = re.compile(r"^(?:an?|the|any)\s+", re.IGNORECASE)
_LIST_SEPARATOR = re.compile(r",\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+")
#: An item of an enumeration is a short noun phrase (at most this many words).
_ITEM_WORDS = 4


def _pattern(term: str) -> re.Pattern:
    """The term, singular or plural, not inside a longer hyphenated word."""
    stem = re.escape(term[:-1]) + "(?:y|ies)" if term.endswith("y") else re.escape(term) + "s?"
    return re.compile(r"(?<![\w-])" + stem + r"(?![\w-])")


def _definiens(definition: str) -> str:
    m = _MEANS.match(definition)
    return definition[m.end():] if m else ""


def _mentions(text: str, patterns: dict[URIRef, re.Pattern], itself: URIRef) -> list[tuple[int, URIRef]]:
    """Defined terms used in ``text``, longest first so a longer term hides the shorter inside it."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, URIRef]] = []
    for concept, pattern in sorted(patterns.items(), key=lambda kv: -len(kv[1].pattern)):
        if concept == itself:
            continue
        for m in pattern.finditer(text):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                taken.append((m.start(), m.end()))
                found.append((m.start(), concept))
    return sorted(found, key=lambda x: x[0])


def _enumeration(definiens: str, patterns: dict[URIRef, re.Pattern], itself: URIRef) -> list[URIRef]:
    """The defined terms listed when the definiens is a bare list of noun phrases."""
    head = definiens.split(";", 1)[0].rstrip(" .")
    items = [_ARTICLE.sub("", item.strip()) for item in _LIST_SEPARATOR.split(head)]
    if len(items) < 2 or any(not item or len(item.split()) > _ITEM_WORDS for item in items):
        return []
    return [c for item in items for c, p in patterns.items() if c != itself and p.fullmatch(item)]


def _genus(definiens: str, patterns: dict[URIRef, re.Pattern], itself: URIRef) -> URIRef | None:
    """The defined term the definiens begins with (after an article), if any; not
    a possessive (‘informed consent’ means *a subject’s* … expression)."""
    rest = _ARTICLE.sub("", definiens)
    found = _mentions(rest, patterns, itself)
    if not found or found[0][0] != 0:
        return None
    end = patterns[found[0][1]].match(rest).end()
    return None if rest[end:end + 1] in ("\u2019", "'") else found[0][1]


def _above(broader: dict[URIRef, set[URIRef]], concept: URIRef) -> set[URIRef]:
    seen: set[URIRef] = set()
    todo = list(broader.get(concept, ()))
    while todo:
        c = todo.pop()
        if c not in seen:
            seen.add(c)
            todo.extend(broader.get(c, ()))
    return seen


def relate_definitions(g: Graph, scheme: URIRef) -> None:
    """Add skos:broader/narrower/related between the concepts of ``scheme`` in ``g``
    and keep only concepts with nothing broader as its top concepts."""
    concepts = sorted(c for c in g.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef))
    patterns = {c: _pattern(str(g.value(c, SKOS.prefLabel))) for c in concepts}
    broader: dict[URIRef, set[URIRef]] = {c: set() for c in concepts}
    mentioned: dict[URIRef, set[URIRef]] = {}
    for c in concepts:
        definiens = _definiens(str(g.value(c, SKOS.definition)))
        listed = _enumeration(definiens, patterns, c)
        for narrower in listed:
            broader[narrower].add(c)
        genus = None if listed else _genus(definiens, patterns, c)
        if genus is not None:
            broader[c].add(genus)
        mentioned[c] = {m for _, m in _mentions(definiens, patterns, c)} - set(listed) - {genus}
    for c in concepts:
        if c in _above(broader, c):
            raise ValueError(f"cycle in skos:broader through {c}")
        for b in broader[c]:
            g.add((c, SKOS.broader, b))
            g.add((b, SKOS.narrower, c))
        if broader[c]:
            g.remove((scheme, SKOS.hasTopConcept, c))
            g.remove((c, SKOS.topConceptOf, scheme))
        for other in mentioned[c]:
            if other in _above(broader, c) or c in _above(broader, other):
                continue
            g.add((c, SKOS.related, other))
            g.add((other, SKOS.related, c))
