"""The build: sources -> RDF of the Act, glossary, provenance -> SHACL check -> atomic write of data/graph/."""

from gpai_kg.builder.pipeline import build

__all__ = ["build"]
