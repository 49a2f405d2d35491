"""make bench-python: MorphML's Python API against Optuna's in-memory study,
in the same process and run.

1. Ask/tell round trips per second from Python (random sampling and TPE) on
   the same 4-parameter space (two floats, an int, a categorical), at a few
   study sizes; the ratio is MorphML / Optuna.
2. study.trials_dataframe() for 1M trials (MorphML), with Optuna's for a
   smaller study beside it for scale.
"""

from __future__ import annotations

import argparse
import logging
import time

import morphml as mm
import optuna
import pandas  # noqa: F401  (imported before the timings)

optuna.logging.set_verbosity(logging.WARNING)

DIST = {
    "x": optuna.distributions.FloatDistribution(-5, 5),
    "lr": optuna.distributions.FloatDistribution(1e-4, 1e-1, log=True),
    "n": optuna.distributions.IntDistribution(1, 64, log=True),
    "act": optuna.distributions.CategoricalDistribution(["relu", "gelu", "tanh"]),
}
SPACE = mm.SearchSpace("bench", params=[
    mm.Param.float("x", -5, 5), mm.Param.float("lr", 1e-4, 1e-1, log=True),
    mm.Param.int("n", 1, 64, log=True), mm.Param.choice("act", ["relu", "gelu", "tanh"]),
])


def value(p):
    return (p["x"] - 1) ** 2 + abs(p["n"] - 8) / 10 + (0 if p["act"] == "gelu" else 0.5)


def morphml_rate(optimizer: str, n: int) -> float:
    s = mm.create_study(SPACE, optimizer=optimizer, seed=1, direction="minimize")
    t0 = time.perf_counter()
    for _ in range(n):
        t = s.ask()
        s.tell(t, value(t.params))
    rate = n / (time.perf_counter() - t0)
    s.close()
    return rate


def optuna_rate(sampler: str, n: int) -> float:
    smp = optuna.samplers.RandomSampler(seed=1) if sampler == "random" else optuna.samplers.TPESampler(seed=1)
    s = optuna.create_study(sampler=smp, direction="minimize")
    t0 = time.perf_counter()
    for _ in range(n):
        t = s.ask(DIST)
        s.tell(t, value(t.params))
    return n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,1000", help="study sizes for the ask/tell rates")
    ap.add_argument("--frame-trials", type=int, default=1_000_000)
    args = ap.parse_args()
    print("Ask/tell round trips per second from Python (same space, same objective, one thread)")
    print(f"{'sampler':8} {'trials':>7} {'MorphML/s':>11} {'Optuna/s':>10} {'ratio':>7}")
    for name, ours in (("random", "random"), ("tpe", "tpe")):
        for n in (int(x) for x in args.sizes.split(",")):
            a, b = morphml_rate(ours, n), optuna_rate(name, n)
            print(f"{name:8} {n:7d} {a:11.0f} {b:10.0f} {a / b:6.1f}x", flush=True)

    n = args.frame_trials
    s = mm.create_study(SPACE, optimizer="random", seed=1)
    t0 = time.perf_counter()
    for _ in range(n):
        t = s.ask()
        s.tell(t, value(t.params))
    fill = time.perf_counter() - t0
    best = []
    for _ in range(3):
        t0 = time.perf_counter()
        df = s.trials_dataframe()
        best.append(time.perf_counter() - t0)
    print(f"\ntrials_dataframe() of {n:,} trials: {min(best):.3f} s best of 3, {best[0]:.3f} s the first time "
          f"(pandas imported before); {df.shape[0]:,} rows x {df.shape[1]} columns; the study was filled by "
          f"{n:,} ask/tell calls in {fill:.1f} s")
    m = 20_000
    o = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1))
    for _ in range(m):
        t = o.ask(DIST)
        o.tell(t, value(t.params))
    t0 = time.perf_counter()
    o.trials_dataframe()
    dt = time.perf_counter() - t0
    print(f"Optuna trials_dataframe() of {m:,} trials: {dt:.3f} s ({dt / m * n:.1f} s per 1M at that rate); "
          f"ratio per trial: {dt / m / (min(best) / n):.0f}x faster in MorphML")


if __name__ == "__main__":
    main()
