"""Shared fixtures: the parsed Act and the embedded store, each made once."""

from __future__ import annotations

import pytest

from gpai_kg import paths
from gpai_kg.citations import CitationIndex
from gpai_kg.sources.formex import parse_act


@pytest.fixture(scope="session")
def act():
    return parse_act(paths.SOURCES_DIR / "ai-act" / "formex")


@pytest.fixture(scope="session")
def index(act):
    return CitationIndex(p.path for p in act.provisions())


@pytest.fixture(scope="session")
def store():
    from gpai_kg.store.dataset import load_store

    return load_store()
