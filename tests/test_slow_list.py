"""tests/slow.txt stays true: every test it lists exists (a renamed or removed test is taken off it), and
the end-to-end modules of tests/conftest.py exist."""

from __future__ import annotations

import re
from pathlib import Path

from slow_tests import SLOW_MODULES, slow_tests

ROOT = Path(__file__).resolve().parents[1]


def test_every_slow_test_listed_exists():
    for node in sorted(slow_tests()):
        module, _, name = node.partition("::")
        function = re.sub(r"\[.*\]$", "", name.split("::")[-1])
        source = (ROOT / module).read_text(encoding="utf-8")
        assert re.search(rf"^\s*def {re.escape(function)}\(", source, re.MULTILINE), node


def test_every_slow_module_exists():
    assert all((ROOT / module).is_file() for module in SLOW_MODULES)
