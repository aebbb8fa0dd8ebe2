"""gpai-kg: a legal knowledge graph of the EU AI Act (Regulation (EU) 2024/1689)
centred on its rules for general-purpose AI models.

The ontology (``ontology/``) and the legal data (``data/``) are the source of
truth; this package builds, checks, queries and reasons over them.
"""

__version__ = "0.1.0"
