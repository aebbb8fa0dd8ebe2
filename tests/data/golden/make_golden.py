"""Writes the golden outputs that ``tests/test_golden.py`` compares against.

Run it only when a change of behaviour is intended (and say so in the commit):
``python tests/data/golden/make_golden.py``. It records, byte for byte,

- ``gpai-kg assess --format json`` of every file in ``examples/`` (as of
  2026-12-01) and of every case of ``tests/cases/`` (as of the case's date),
- ``gpai-kg screen`` of the Epoch registry as JSON (as of 2026-09-01).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
EXAMPLES_AS_OF = "2026-12-01"
SCREEN_AS_OF = "2026-09-01"
EPOCH = ROOT / "data/sources/models/epoch_notable_ai_models_2025-04-18.csv"


def cli(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "gpai_kg", *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"gpai-kg {' '.join(args)}: {done.stderr}")
    return done.stdout


def cases() -> list[tuple[str, str, dict]]:
    """(file stem, as_of, input) of every case, in file order."""
    out = []
    for path in sorted((ROOT / "tests/cases").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            out.append((path.stem, str(case.get("as_of", spec.get("as_of"))), case["input"]))
    return out


def main() -> None:
    for path in sorted((ROOT / "examples").iterdir()):
        (HERE / f"example-{path.stem}.json").write_text(
            cli("assess", str(path), "--as-of", EXAMPLES_AS_OF, "--format", "json"), encoding="utf-8")
    by_file: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n, (stem, as_of, raw) in enumerate(cases()):
            model = Path(tmp) / f"case-{n}.json"
            model.write_text(json.dumps(raw, default=str), encoding="utf-8")
            by_file.setdefault(stem, []).append(json.loads(cli("assess", str(model), "--as-of", as_of,
                                                               "--format", "json")))
        for stem, outputs in by_file.items():
            (HERE / f"cases-{stem}.json").write_text(json.dumps(outputs, indent=1, ensure_ascii=False) + "\n",
                                                     encoding="utf-8")
        out = Path(tmp) / "screen.json"
        cli("screen", str(EPOCH), "--as-of", SCREEN_AS_OF, "--out", str(out))
        (HERE / "screen-epoch.json").write_bytes(out.read_bytes())


if __name__ == "__main__":
    main()
