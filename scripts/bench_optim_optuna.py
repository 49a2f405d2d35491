"""Time per ask+tell of Optuna's samplers on MorphML's 20-dimension mixed space.

Used by `make bench-optim`, which runs MorphML's and goptuna's optimizers on the
same space in the same run and prints the ratios. Prints one JSON object per
line: {"lib", "sampler", "n", "us_per_trial", "best"}, where us_per_trial is the
median time of one ask+tell over the trials just before the n-th (the cost at
that history size).
"""
import json
import math
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def space():
    """The same space as core/optimizers/benchspace: 8 floats, 6 ints, 6 categoricals."""
    dists = {}
    for i in range(8):
        if i % 2 == 0:
            dists[f"f{i}"] = optuna.distributions.FloatDistribution(1e-4, 1.0, log=True)
        else:
            dists[f"f{i}"] = optuna.distributions.FloatDistribution(-5.0, 5.0)
    for i in range(6):
        dists[f"i{i}"] = optuna.distributions.IntDistribution(1, 64)
    for i in range(6):
        dists[f"c{i}"] = optuna.distributions.CategoricalDistribution([str(k) for k in range(4)])
    return dists


def objective(p):
    """The same function as the Go side: minimum 0."""
    v = 0.0
    for i in range(8):
        x = p[f"f{i}"]
        v += (math.log10(x) + 2) ** 2 if i % 2 == 0 else (x - 1) ** 2
    for i in range(6):
        v += abs(p[f"i{i}"] - 16) / 16
    for i in range(6):
        v += 0.0 if p[f"c{i}"] == "1" else 1.0
    return v


def windows(n_max):
    return [n for n in (100, 1000, 5000) if n <= n_max]


def run(name, sampler, n_max):
    study = optuna.create_study(sampler=sampler, direction="minimize")
    dists = space()
    times, best, best_at = [], math.inf, {}
    for k in range(1, n_max + 1):
        t0 = time.perf_counter()
        trial = study.ask(dists)
        value = objective(trial.params)
        study.tell(trial, value)
        times.append(time.perf_counter() - t0)
        best = min(best, value)
        best_at[k] = best
    for n in windows(n_max):
        w = sorted(times[max(0, n - max(10, n // 10)):n])
        print(json.dumps({"lib": "optuna", "sampler": name, "n": n,
                          "us_per_trial": 1e6 * w[len(w) // 2], "best": best_at[n]}), flush=True)


def main():
    n_max = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    only = sys.argv[2].split(",") if len(sys.argv) > 2 else ["random", "tpe", "cmaes"]
    makers = {
        "random": lambda: optuna.samplers.RandomSampler(seed=1),
        "tpe": lambda: optuna.samplers.TPESampler(seed=1),
        "cmaes": lambda: optuna.samplers.CmaEsSampler(seed=1, warn_independent_sampling=False),
    }
    for name in only:
        run(name, makers[name](), n_max)


if __name__ == "__main__":
    main()
