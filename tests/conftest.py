"""Shared fixtures: the parsed Act and the embedded store, each made once; one Streamlit server and one
Chromium for every browser test of the session (tests/test_app_browser.py, tests/test_app_everyday.py).

Which tests are slow: ``python -m pytest`` runs the fast set (pyproject.toml: ``-m 'not slow'``);
``python -m pytest -m slow`` the end-to-end tests marked here — the modules of ``SLOW_MODULES``
(browsers, external tools, kill loops, property and fuzz runs) and the tests listed in tests/slow.txt
(measured); .ci/run runs both, so no check is dropped."""

from __future__ import annotations

import pytest

from gpai_kg import paths
from gpai_kg.citations import CitationIndex
from gpai_kg.sources.formex import parse_act


def pytest_collection_modifyitems(config, items):
    from slow_tests import SLOW_MODULES, slow_tests

    listed = slow_tests()
    for item in items:
        if item.nodeid.split("::")[0] in SLOW_MODULES or item.nodeid in listed:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def act():
    return parse_act(paths.SOURCES_DIR / "ai-act" / "formex")


@pytest.fixture(scope="session")
def index(act):
    return CitationIndex(p.path for p in act.provisions())


@pytest.fixture(scope="session")
def every_index(store):
    """A ``CitationIndex`` of every provision that has been in force in some version of the Act."""
    from gpai_kg.store.lookup import citation_index

    return citation_index(store)


@pytest.fixture(scope="session")
def omnibus():
    """Regulation (EU) 2026/1744 (Digital Omnibus on AI), parsed."""
    from gpai_kg.sources.amending_act import parse_amending_act

    return parse_amending_act(paths.SOURCES_DIR / "ai-act" / "amending-acts" / "reg-2026-1744")


@pytest.fixture(scope="session")
def cons():
    """The Publications Office's consolidated text of 27 July 2026 (no legal effect), parsed."""
    from gpai_kg.sources.consolidated import parse_consolidated

    return parse_consolidated(paths.SOURCES_DIR / "ai-act" / "consolidated-2026-07-27")


@pytest.fixture(scope="session")
def amended(act, omnibus):
    """The engine's result: the original with 2026/1744 applied."""
    from gpai_kg.builder.amend import amend

    return amend(act.root, omnibus)


@pytest.fixture(scope="session")
def placements(amended):
    return [a.placement for a in amended.applied]


@pytest.fixture(scope="session")
def store():
    from gpai_kg.store.dataset import load_store

    return load_store()


def forget_cached() -> None:
    """Clear every cache of the package (the closed law, the rules, the store ...)."""
    import functools
    import sys

    for name, module in list(sys.modules.items()):
        if name == "gpai_kg" or name.startswith("gpai_kg."):
            for value in vars(module).values():
                if isinstance(value, functools._lru_cache_wrapper) and value.__module__ == name:
                    value.cache_clear()


@pytest.fixture
def law_copy(tmp_path, monkeypatch):
    """A copy of the ontology, the law and the built graph that the package
    reads instead of the project's own: edit it, then assess."""
    import shutil

    root = tmp_path / "root"
    for part in ("ontology", "data/curated", "data/graph", "data/sources", "queries", "examples"):
        source = paths.ROOT / part
        if part == "data/sources":
            (root / part).parent.mkdir(parents=True, exist_ok=True)
            (root / part).symlink_to(source)
        else:
            shutil.copytree(source, root / part)
    for name, value in (("ROOT", root), ("ONTOLOGY_DIR", root / "ontology"), ("DATA_DIR", root / "data"),
                        ("SOURCES_DIR", root / "data/sources"), ("CURATED_DIR", root / "data/curated"),
                        ("GRAPH_DIR", root / "data/graph"), ("QUERIES_DIR", root / "queries"),
                        ("EXAMPLES_DIR", root / "examples")):
        monkeypatch.setattr(paths, name, value)
    monkeypatch.setenv("GPAI_KG_CACHE", str(tmp_path / "cache"))
    forget_cached()
    yield root
    monkeypatch.undo()
    forget_cached()


@pytest.fixture(scope="session")
def app_url():
    """``streamlit run app.py`` on a free port, once for the session."""
    from test_app_browser import streamlit_server

    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for the session."""
    from test_app_browser import chromium

    with chromium() as context:
        yield context


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.set_default_timeout(60_000)
    yield page
    page.close()
