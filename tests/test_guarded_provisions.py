"""The provisions the GPAI rules rest on are unchanged by Regulation (EU)
2026/1744: Articles 51 to 55, 88 to 94 and 101, Article 111(3), Article 113,
third subparagraph, point (b), and Annexes XI to XIII. No change of any
amending act in the graph touches them, a part of them or a provision that
holds them, and each has had one text since 1 August 2024.

When a later amending act touches one of them, this test fails and names the
rules that cite it: re-read those rules against the new text (and the cases
of tests/cases/), then move the provision out of GUARDED with a note of what
was re-read. The engine-level guard (the CONS.ACT and the engine's result) is
tests/test_untouched.py."""

from __future__ import annotations

import pytest

from gpai_kg.citations import format_citation, from_iri, to_iri
from gpai_kg.reasoning.rules import rules
from gpai_kg.store.versions import changes, versions

GUARDED = ([f"Article {n}" for n in (*range(51, 56), *range(88, 95), 101)]
           + ["Article 111(3)", "Article 113, third subparagraph, point (b)"]
           + [f"Annex {r}" for r in ("XI", "XII", "XIII")])


def _touches(target, path) -> bool:
    """A change of ``target`` touches ``path``: one is the other or holds it."""
    n = min(len(target), len(path))
    return target[:n] == path[:n]


def unchanged(store, every_index, citation: str, made) -> str | None:
    """Why ``citation`` is not unchanged by the changes ``made`` (None when it is)."""
    path = every_index.resolve(citation)
    touching = [c for c in made if _touches(from_iri(c.provision_iri), path)]
    if touching:
        citing = sorted(r.name for r in rules() if any(_touches(from_iri(p), path) for p in r.implements))
        return (f"{citation} is changed by " + "; ".join(f"{c.point} ({c.kind} {c.provision})" for c in touching)
                + f": re-read the rules that cite it: {', '.join(citing) or 'none'}")
    found = versions(store, to_iri(path))
    if [(v.start.isoformat(), v.end) for v in found] != [("2024-08-01", None)]:
        return f"{citation} has had more than one text: {[(v.start, v.end) for v in found]}"
    return None


@pytest.mark.parametrize("citation", GUARDED)
def test_guarded_provision_is_unchanged_by_every_amending_act(store, every_index, citation):
    assert unchanged(store, every_index, citation, changes(store)) is None


def test_a_later_amendment_of_a_guarded_provision_fails_the_guard_naming_the_rules(store, every_index):
    """A hypothetical later act replacing Article 53(1)(a) (a change like those of the graph) is caught."""
    from dataclasses import replace

    later = replace(changes(store)[0], provision="Article 53(1)(a)",
                    provision_iri=to_iri(every_index.resolve("Article 53(1)(a)")))
    why = unchanged(store, every_index, "Article 53", [later])
    assert why and "re-read the rules that cite it:" in why and "53-2-open-source-exemption" in why
