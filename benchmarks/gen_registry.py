"""A deterministic generator of model registries in the columns of Epoch AI's
"Notable AI Models" table (issue 16's benchmark input).

    python gen_registry.py N OUT.csv [--seed 16] [--epoch EPOCH.csv]

Same seed, same N, same bytes. Rows are generated in chunks of 10 000, each
chunk from its own generator seeded with (seed, chunk), so a file of N rows
is the first N rows of any larger file of the same seed (1k is a prefix of
1M). Memory is constant: one chunk at a time, written as it is made.

Distributions are learned from the real table (the categorical columns'
value frequencies, every column's share of empty cells), then bent where the
benchmark needs variety the real table lacks:

- training compute: empty in about half the rows, as in Epoch; otherwise
  log-uniform over 1e18..1e27, with extra density around the 1e23 (indicative
  criterion) and 1e25 (Article 51(2)) thresholds, exact threshold values and
  a tail of small old models;
- publication dates 2015..2026, more recent more often, dense around
  2025-08-02 (Article 111(3)) with the two boundary days, a few empty;
- countries: Epoch's organisation/country pairs for most rows, the rest
  synthetic organisations of EU Member States, NO/IS/LI, CH, US, CN, GB and
  others (Epoch's own spellings), sometimes with "Multinational" first;
- base models for ~10 % of rows: an earlier row of the file (same
  organisation or not), a later row, or a name not in the file; fine-tune
  compute for ~40 % of those, around a third of the base's compute;
- "Model accessibility" as Epoch has it (empty, Unreleased, API, open weights
  of three licences).
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from collections import Counter
from datetime import date, timedelta
from array import array
from itertools import accumulate
from pathlib import Path
from random import Random

EPOCH = Path(__file__).resolve().parent.parent / "data/sources/models/epoch_notable_ai_models_2025-04-18.csv"
CHUNK = 10_000

CATEGORICAL = ["Domain", "Organization categorization", "Notability criteria", "Training dataset",
               "Training hardware", "Confidence", "Model accessibility", "Training code accessibility",
               "Inference code accessibility", "Frontier model", "Training compute estimation method",
               "Epochs", "Hardware quantity", "Batch size"]
#: free-text or numeric columns filled (at Epoch's rate) with short synthetic values
FILLER = {
    "Authors": lambda r, i: f"{r.choice('ABCDEFGHJKLMNPRSTW')}. {r.choice(_SURNAMES)}, {r.choice('ABCDEFGHJKLMNPRSTW')}. {r.choice(_SURNAMES)}",
    "Reference": lambda r, i: f"Model {i}: {r.choice(_TOPICS)}",
    "Link": lambda r, i: f"https://example.org/models/{i}",
    "Citations": lambda r, i: f"{float(int(10 ** r.uniform(0, 4.5)))}",
    "Notability criteria notes": lambda r, i: "synthetic row",
    "Parameters notes": lambda r, i: "reported",
    "Training compute notes": lambda r, i: "6ND estimate",
    "Training dataset notes": lambda r, i: "see paper",
    "Training dataset size (datapoints)": lambda r, i: f"{float(int(10 ** r.uniform(4, 13)))}",
    "Dataset size notes": lambda r, i: "tokens",
    "Training time (hours)": lambda r, i: f"{float(int(10 ** r.uniform(0.5, 3.5)))}",
    "Training time notes": lambda r, i: "reported",
    "Hardware utilization": lambda r, i: f"{round(r.uniform(0.1, 0.6), 4)}",
    "Training compute cost (2023 USD)": lambda r, i: f"{10 ** r.uniform(3, 8)}",
    "Compute cost notes": lambda r, i: "estimate",
    "Abstract": lambda r, i: f"We present a model for {r.choice(_TOPICS)}.",
    "Finetune compute notes": lambda r, i: "reported",
    "Batch size notes": lambda r, i: "tokens",
    "Accessibility notes": lambda r, i: "see licence",
    "Training power draw (W)": lambda r, i: f"{10 ** r.uniform(3, 7)}",
}
_SURNAMES = ["Smith", "Chen", "Garcia", "Müller", "Rossi", "Dubois", "Kowalski", "Novak", "Ivanova", "Larsen",
             "Tanaka", "Kim", "Singh", "Okafor", "Silva", "Jónsson", "Berg", "Frick"]
_TOPICS = ["language modelling", "image generation", "speech recognition", "protein folding", "code synthesis",
           "video generation", "robot control", "recommendation", "game playing", "translation"]
_FAMILIES = ["Nova", "Atlas", "Orion", "Lumen", "Vega", "Helix", "Aurora", "Zephyr", "Quasar", "Falcon", "Mistral",
             "Borealis", "Kestrel", "Sirius", "Polaris", "Tern", "Fjord", "Alpine", "Delta", "Ember"]
_EXTERNAL_BASES = ["Llama 2-7B", "Llama 2-70B", "GPT-3 175B (davinci)", "BERT-Large", "T5-11B", "PaLM (540B)",
                   "Mistral 7B", "Qwen2-72B", "Stable Diffusion 1.5", "ViT-Huge/14", "Whisper", "CLIP (ViT L/14@336px)"]
EU = ["Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark", "Estonia", "Finland", "France",
      "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia", "Lithuania", "Luxembourg", "Malta",
      "Netherlands", "Poland", "Portugal", "Romania", "Slovakia", "Slovenia", "Spain", "Sweden"]
EEA = ["Norway", "Iceland", "Liechtenstein"]
OTHER = ["United States of America", "China", "United Kingdom of Great Britain and Northern Ireland", "Switzerland",
         "Canada", "Japan", "Korea (Republic of)", "India", "Israel", "United Arab Emirates", "Singapore",
         "Saudi Arabia", "Russia", "Taiwan", "Brazil", "Australia", "Turkey"]
#: (country, weight) of synthetic organisations
SYNTHETIC_COUNTRIES = [(c, 2.0) for c in EU] + [(c, 3.0) for c in EEA] + \
    [(c, w) for c, w in zip(OTHER, [20, 12, 8, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1])]
THRESHOLDS = (1e23, 1e25)
BOUNDARY_DATES = (date(2025, 8, 1), date(2025, 8, 2), date(2024, 8, 1), date(2024, 7, 31), date(2026, 8, 2))
START, END = date(2015, 1, 1), date(2026, 12, 31)


class Table:
    """What is learned from Epoch's table: its columns, each categorical
    column's values with cumulative weights, each column's share of filled cells."""

    def __init__(self, path: Path):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        self.columns = list(rows[0])
        n = len(rows)
        self.fill = {c: sum(1 for r in rows if r[c].strip()) / n for c in self.columns}
        self.dist = {}
        for c in CATEGORICAL:
            counts = Counter(" ".join(r[c].split()) for r in rows)
            values = sorted(counts, key=lambda v: (-counts[v], v))
            self.dist[c] = (values, list(accumulate(counts[v] for v in values)))
        pairs = Counter((" ".join(r["Organization"].split()), r["Country (from Organization)"].strip())
                        for r in rows)
        values = sorted(pairs, key=lambda v: (-pairs[v], v))
        self.orgs = (values, list(accumulate(pairs[v] for v in values)))
        self.base_share = sum(1 for r in rows if r["Base model"].strip()) / n
        based = [r for r in rows if r["Base model"].strip()]
        self.finetune_share = sum(1 for r in based if r["Finetune compute (FLOP)"].strip()) / max(1, len(based))


_LOOKUP: dict = {}


def _pick(rng: Random, dist, k: int) -> list:
    """k values drawn by their weights: a 65 536-slot lookup table indexed by
    random 16-bit numbers (weights quantised to 1/65 536; far faster than
    random.choices)."""
    values, cum = dist
    key = id(cum)
    table = _LOOKUP.get(key)
    if table is None:
        total = cum[-1]
        table, v = [], 0
        for slot in range(65536):
            while v < len(values) - 1 and (slot + 0.5) / 65536 * total >= cum[v]:
                v += 1
            table.append(values[v])
        _LOOKUP[key] = table
    return [table[x] for x in array("H", rng.randbytes(2 * k))]


def _name(i: int, seed: int) -> str:
    """Row i's model name: a function of i (so a row can name a later one)."""
    h = (i * 2654435761 + seed * 40503) & 0xFFFFFFFF
    return f"{_FAMILIES[h % len(_FAMILIES)]} {1 + (h >> 8) % 9}.{(h >> 12) % 10} #{i}"


def _short(country: str) -> str:
    words = country.replace("(", "").replace(")", "").split()
    return words[0] if len(words) == 1 else "".join(w[0] for w in words if w[0].isupper())


def _flop_text(rng: Random, value: float) -> str:
    digits = rng.choice((2, 3, 3, 4, 4, 8, 17))
    return repr(float(f"{value:.{digits}g}"))


def _compute(rng: Random) -> float:
    x = rng.random()
    if x < 0.45:
        return 10 ** rng.uniform(18, 27)
    if x < 0.67:
        return 10 ** rng.gauss(23, 0.35)
    if x < 0.89:
        return 10 ** rng.gauss(25, 0.35)
    if x < 0.97:
        t = rng.choice(THRESHOLDS)
        return rng.choice((t, t, t * (1 + 1e-9), t * (1 - 1e-9), t * 1.001, t * 0.999))
    return 10 ** rng.uniform(10, 18)


def _date(rng: Random) -> str:
    x = rng.random()
    if x < 0.003:
        return ""
    if x < 0.004:
        return str(rng.randint(2015, 2026))  # a year only: not a date
    if x < 0.03:
        return rng.choice(BOUNDARY_DATES).isoformat()
    if x < 0.13:
        return (date(2025, 8, 2) + timedelta(days=round(rng.gauss(0, 30)))).isoformat()
    span = (END - START).days
    return (START + timedelta(days=int(span * rng.random() ** 0.6))).isoformat()


def generate(n: int, out, seed: int = 16, epoch: Path = EPOCH) -> int:
    table = Table(epoch)
    cols = table.columns
    at = {c: k for k, c in enumerate(cols)}
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cols)
    syn_countries, syn_weights = zip(*SYNTHETIC_COUNTRIES)
    syn_cum = list(accumulate(syn_weights))
    fillers = {}
    for c, make in FILLER.items():
        r = Random(f"gen-registry/{seed}/filler/{c}")
        values = [make(r, x) for x in range(256)]
        filled = round(table.fill[c] * 1e6)
        fillers[c] = (["", *values], list(accumulate([1e6 - filled] + [filled / 256] * 256)))
    written = 0
    pool: list = []  # recent rows with known compute: (name, organisation, country, compute)
    for chunk in range(math.ceil(n / CHUNK)):
        rng = Random(f"gen-registry/{seed}/{chunk}")
        k = CHUNK
        first = chunk * CHUNK
        picked = {c: _pick(rng, table.dist[c], k) for c in CATEGORICAL}
        for c in FILLER:  # short synthetic values at Epoch's rate of filled cells
            picked[c] = _pick(rng, fillers[c], k)
        empty = [""] * k
        orgs = _pick(rng, table.orgs, k)
        fill_tc, fill_par = table.fill["Training compute (FLOP)"], table.fill["Parameters"]
        rows = [list(t) for t in zip(*[picked.get(c, empty) for c in cols])]
        for j in range(k):
            i = first + j
            row = rows[j]
            name = _name(i, seed)
            row[at["Model"]] = name
            org, country = orgs[j]
            if rng.random() < 0.25:  # a synthetic organisation of a chosen country
                country = rng.choices(syn_countries, cum_weights=syn_cum)[0]
                org = f"{_short(country)} AI Lab {rng.randint(1, 200)}"
                if rng.random() < 0.1:
                    country = "Multinational," + country
                row[at["Organization categorization"]] = rng.choice(("Industry", "Academia", "Industry,Academia"))
            row[at["Organization"]], row[at["Country (from Organization)"]] = org, country
            row[at["Publication date"]] = _date(rng)
            compute = _compute(rng) if rng.random() < fill_tc else None
            if rng.random() < fill_par:
                p = 10 ** rng.uniform(6, 12.5)
                row[at["Parameters"]] = repr(float(f"{p:.3g}"))
            if rng.random() < table.base_share:
                x = rng.random()
                base = None
                if x < 0.73 and pool:
                    base = pool[rng.randrange(len(pool))]
                    if x < 0.22:  # the base model's own organisation: its lifecycle, not a modification
                        row[at["Organization"]], row[at["Country (from Organization)"]] = base[1], base[2]
                    base_name = base[0]
                elif x < 0.76:
                    base_name = _name(i + rng.randint(1, 5000), seed)  # a later row (absent past the end)
                else:
                    base_name = rng.choice(_EXTERNAL_BASES)
                if rng.random() < 0.05:
                    base_name += "," + rng.choice(_EXTERNAL_BASES)
                row[at["Base model"]] = ("\n" if rng.random() < 0.01 else "") + base_name
                if rng.random() < table.finetune_share:
                    if base is not None:
                        ratio = rng.choice((1 / 3, 10 ** rng.uniform(-3.5, 0.3), 10 ** rng.gauss(-0.477, 0.2)))
                        ft = base[3] * ratio
                    else:
                        ft = 10 ** rng.uniform(19, 25)
                    row[at["Finetune compute (FLOP)"]] = _flop_text(rng, ft)
                    if base is not None and rng.random() < 0.6:
                        compute = base[3] + ft  # Epoch's figure includes the base model's
                elif base is not None and compute is not None and compute < base[3]:
                    compute = base[3] * (1 + rng.random() * 0.05)
            if compute is not None:
                row[at["Training compute (FLOP)"]] = _flop_text(rng, compute)
                if rng.random() < 0.3:
                    pool.append((name, row[at["Organization"]], row[at["Country (from Organization)"]],
                                 float(row[at["Training compute (FLOP)"]])))
                    if len(pool) > 4000:
                        del pool[: len(pool) - 2000]
        take = min(k, n - first)
        writer.writerows(rows[:take])
        written += take
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=lambda s: int(float(s)))
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--epoch", type=Path, default=EPOCH)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(args.out.suffix + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        written = generate(args.n, fh, args.seed, args.epoch)
    tmp.replace(args.out)
    import resource

    print(f"{written} rows -> {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s, "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
