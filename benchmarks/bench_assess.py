"""Assessment speed, as a report (not a timed test).

Targets: screening the whole Epoch AI registry (924 models) at least 300x
faster per model than the naive way, with identical obligations on every
model of the naive sample; one warm assessment (reasoning, explanation and
JSON) within 20 ms. Machines are shared and noisy, so the baseline is measured
in the same run: the naive way per model -- copy the whole graph
(store.load_graph()), add the model, owlrl's full OWL-RL closure, then the same
rules with rdflib -- on a sample of registry models (default 5: it takes
tens of seconds per model).

    python benchmarks/bench_assess.py [--sample N] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

AS_OF = date(2026, 9, 1)
# A spread of the registry: frontier, open weights (exempt), downstream fine-tune,
# not general-purpose, unknown compute.
SAMPLE = ["GPT-4o", "DeepSeek-R1", "OpenVLA", "Segment Anything Model", "Claude 3.5 Haiku",
          "Llama 3.1-405B", "Qwen2.5-72B", "AlphaFold 3"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=5, help="registry models assessed the naive way")
    parser.add_argument("--repeat", type=int, default=50, help="runs of the warm single assessment")
    args = parser.parse_args()

    from gpai_kg import paths
    from gpai_kg.reasoning.assessment import read_assessment as build
    from gpai_kg.reasoning.description import describe
    from gpai_kg.reasoning.engine import run_fast, run_naive
    from gpai_kg.reasoning.law import close as _close
    from gpai_kg.reasoning.law import closed_law
    from gpai_kg.reasoning.law import law_files as _law_files
    from gpai_kg.reasoning.screen import descriptions, screen

    epoch = paths.SOURCES_DIR / "models" / "epoch_notable_ai_models_2025-04-18.csv"

    start = time.perf_counter()
    _close(_law_files())
    close_s = time.perf_counter() - start
    law = closed_law()

    rows = {raw["name"]: raw for _, raw in descriptions(epoch)[0]}
    warm_model = describe(rows["GPT-4o"])
    build(run_fast(warm_model, AS_OF), warm_model, law).to_json()
    runs = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        build(run_fast(warm_model, AS_OF), warm_model, law).to_json()
        runs.append(time.perf_counter() - t)
    warm_ms = statistics.median(runs) * 1000
    warm_min_ms = min(runs) * 1000

    start = time.perf_counter()
    screening = screen(epoch, AS_OF)
    screen_s = time.perf_counter() - start
    per_model_fast = screen_s / len(screening.rows)

    names = [n for n in SAMPLE if n in rows][: args.sample]
    naive_times, agree = [], []
    for name in names:
        description = describe(rows[name])
        fast = run_fast(description, AS_OF)
        t = time.perf_counter()
        naive = run_naive(description, AS_OF)
        naive_times.append(time.perf_counter() - t)
        same = naive.obligations() == fast.obligations()
        agree.append(same)
        print(f"  naive {name:28s} {naive_times[-1]:6.1f} s   obligations {len(fast.obligations()):2d}   "
              f"{'identical' if same else 'DIFFERENT'}")
    per_model_naive = statistics.mean(naive_times) if naive_times else float("nan")
    ratio = per_model_naive / per_model_fast

    print(f"\nclosing the law with owlrl (once per process; cached on disk)   {close_s:7.2f} s")
    print(f"screen the registry ({len(screening.rows)} models, fast path)            {screen_s:7.2f} s   "
          f"{per_model_fast * 1000:6.1f} ms per model")
    print(f"naive way per model (mean of {len(naive_times)})                         {per_model_naive:7.2f} s")
    print(f"ratio naive / fast per model                                   {ratio:7.0f}x   target >= 300x   "
          f"{'OK' if ratio >= 300 else 'UNDER'}")
    print(f"one warm assessment (reasoning + explanation + JSON)           {warm_ms:7.1f} ms  (min {warm_min_ms:.1f})"
          f"   target <= 20 ms   {'OK' if warm_ms <= 20 else 'OVER'}   "
          f"{per_model_naive * 1000 / warm_ms:6.0f}x the naive way")
    print(f"identical obligation sets on the naive sample                  {sum(agree)}/{len(agree)}")
    print("summary:", screening.summary)


if __name__ == "__main__":
    main()
