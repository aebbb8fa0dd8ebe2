"""gpai-kg: a legal knowledge graph of the EU AI Act (Regulation (EU) 2024/1689)
centred on its rules for general-purpose AI models.

The ontology (``ontology/``) and the legal data (``data/``) are the source of
truth; this package builds, checks, queries and reasons over them. Its public
API, for use as a library::

    from gpai_kg import assess, screen, query, build

    result = assess({"name": "Frontier-1", "training_compute_flop": 3.8e25,
                     "modalities": ["text"], "provider_country": "US"}, "2026-12-01")
    result.systemic_risk                        # True
    [o.provision for o in result.obligations]   # ['Article 52(1)', 'Article 53(1)(a)', ...]
    result.to_json()                            # the JSON of `gpai-kg assess --format json`

    screen("registry.csv", "2026-12-01").summary   # a registry, row by row
    query("obligations-gpai-provider").rows        # a canned query, or SPARQL text
    build()                                        # data/sources -> data/graph

Everything else is internal. Not legal advice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["Assessment", "Screening", "QueryResult", "assess", "screen", "query", "build", "__version__"]

if TYPE_CHECKING:  # the names below load their layers only when first used
    from gpai_kg.builder.pipeline import build
    from gpai_kg.reasoning.assessment import Assessment, assess
    from gpai_kg.reasoning.screen import Screening, screen
    from gpai_kg.sparql.api import QueryResult, query

_WHERE = {"Assessment": "gpai_kg.reasoning.assessment", "assess": "gpai_kg.reasoning.assessment",
          "Screening": "gpai_kg.reasoning.screen", "screen": "gpai_kg.reasoning.screen",
          "QueryResult": "gpai_kg.sparql.api", "query": "gpai_kg.sparql.api",
          "build": "gpai_kg.builder.pipeline"}


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'gpai_kg' has no attribute {name!r}")
