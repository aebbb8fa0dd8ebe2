"""Which tests are slow (tests/conftest.py marks them ``slow``): the end-to-end modules, and the tests
tests/slow.txt lists (measured)."""

from __future__ import annotations

from pathlib import Path

SLOW_MODULES = frozenset({
    "tests/test_app_browser.py", "tests/test_app_everyday.py",  # a real Chromium and a Streamlit server
    "tests/test_virtuoso.py", "tests/test_rdf_tools.py", "tests/test_owl_tools.py",  # Virtuoso, Jena, the OWL API
    "tests/test_push_kill.py", "tests/security/test_build_kill.py",  # a kill at every step
    "tests/test_property.py", "tests/security/test_input_fuzz.py", "tests/security/test_guard_fuzz.py",  # many runs
    "tests/test_server.py", "tests/security/test_outbound.py",  # real Oxigraph servers, started per test
    "tests/test_screen.py", "tests/test_build.py",  # the 924-model registry screened; the graph built
    "tests/test_batch.py", "tests/test_screen_stream.py", "tests/test_lower_bound.py",  # the registry, per engine
})
SLOW_LIST = Path(__file__).with_name("slow.txt")


def slow_tests() -> set[str]:
    """The node ids tests/slow.txt lists."""
    lines = SLOW_LIST.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}
