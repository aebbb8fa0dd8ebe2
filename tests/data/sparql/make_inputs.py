"""Regenerate the sample input of the canned queries over an assessment or a
screened registry (tests/data/sparql/*.ttl) with the reasoner
(``gpai_kg.reasoner.run_fast``):

    python tests/data/sparql/make_inputs.py

Until ``gpai-kg assess/screen … --format turtle`` exist; their output can then
replace these files.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from rdflib import Graph  # noqa: E402

from gpai_kg.namespaces import bind_prefixes  # noqa: E402
from gpai_kg.reasoning.description import describe  # noqa: E402
from gpai_kg.reasoning.engine import run_fast  # noqa: E402

OUT = Path(__file__).resolve().parent
AS_OF = date(2025, 10, 1)
NOTE = """# {what}, as the reasoner concludes it
# (gpai_kg.reasoner.run_fast, as of {as_of}: the asserted facts and the
# inferred conclusions of ontology/model.ttl), for the canned query
# {query}. Models:
{models}# Made by tests/data/sparql/make_inputs.py, until `gpai-kg {command} … --format turtle`
# exists; its output can then replace this file.
"""
FRONTIER = {"name": "Example frontier model", "training_compute_flop": 3e25, "general_purpose": True,
            "modalities": ["text"], "provider_country": "US", "placed_on_market_date": "2025-09-15"}
REGISTRY = [
    {"name": "Model A", "training_compute_flop": 5e25, "general_purpose": True, "modalities": ["text"],
     "provider_country": "FR"},
    {"name": "Model B", "training_compute_flop": 2e24, "general_purpose": True, "modalities": ["text", "image"],
     "provider_country": "DE"},
    {"name": "Model C", "training_compute_flop": 1.2e26, "general_purpose": True, "modalities": ["text"],
     "provider_country": "US"},
]


def graph(models: list[dict]) -> Graph:
    out = Graph()
    bind_prefixes(out)
    for model in models:
        run = run_fast(describe(model), AS_OF)
        for triple in run.asserted + run.inferred:
            out.add(triple)
    return out


def write(name: str, what: str, query: str, command: str, models: list[dict]) -> None:
    listing = "".join(f"#   {m['name']}: {m['training_compute_flop']:g} FLOP, placed on the market "
                      f"{m.get('placed_on_market_date', '(not given)')}\n" for m in models)
    note = NOTE.format(what=what, as_of=AS_OF, query=query, models=listing, command=command)
    (OUT / name).write_text(note + graph(models).serialize(format="turtle"), encoding="utf-8")


if __name__ == "__main__":
    write("assessment.ttl", "An assessment", "assessment-provisions", "assess", [FRONTIER])
    write("screened-registry.ttl", "A screened registry (one assessment per model)",
          "systemic-models-in-registry", "screen", REGISTRY)
