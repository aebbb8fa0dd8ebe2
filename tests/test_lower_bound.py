"""The benchmark's plain-Python lower bound (benchmarks/lower_bound.py)
decides what the rules decide: on every row of the Epoch registry and on
random descriptions, on dates on both sides of the deadlines, its answers,
obligations with their due dates, exemptions, penalties and missing facts are
the per-model engine's (benchmarks/check_lower_bound.py). When a rule or the
law data changes, this fails until the lower bound follows: the benchmark's
ratio is then against the same rules."""

from __future__ import annotations

import re
import sys

from gpai_kg import paths

sys.path.insert(0, str(paths.ROOT / "benchmarks"))

import check_lower_bound  # noqa: E402


def test_the_lower_bound_agrees_with_the_engine_on_every_epoch_row_and_random_descriptions(capsys):
    status = check_lower_bound.main(["--as-of", "2025-06-01", "--as-of", "2025-08-10", "--as-of", "2026-09-01",
                                     "--as-of", "2027-09-01", "--random", "400"])
    out = capsys.readouterr().out
    assert status == 0, out[-3000:]
    agreed = re.findall(r"as of (\S+): (\d+)/(\d+) agree \(924 registry rows, (\d+) random\)", out)
    assert len(agreed) == 4 and all(a == n and int(r) > 200 for _, a, n, r in agreed), out[-3000:]
