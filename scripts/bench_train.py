#!/usr/bin/env python3
"""Training throughput: MorphML (gorgonia engine) against PyTorch on the CPU.

Trains the three reference models of core/train/reference.go (MLP 784-128-10;
CNN conv3x3x16-relu-maxpool-dense10; a small DAG cell) with Adam at batch 64
on random 28x28 data, on 2 threads, and prints samples/s for each and the
ratio MorphML / PyTorch. The Go figures come from the benchmarks
BenchmarkTrainMLP, BenchmarkTrainCNN and BenchmarkTrainCell (go test -bench),
once with gonum's pure-Go BLAS and, when libopenblas is installed, once with
-tags openblas. Both sides are measured in the same run, on the same machine.

Usage: python3 scripts/bench_train.py [--seconds S] [--no-openblas]
Needs: go, and torch (pip install torch) for the PyTorch side; without torch
it prints the Go figures only.
"""

import argparse
import ctypes.util
import os
import re
import subprocess
import sys
import time

MODELS = ["mlp", "cnn", "cell"]
GO_BENCH = {"mlp": "BenchmarkTrainMLP", "cnn": "BenchmarkTrainCNN", "cell": "BenchmarkTrainCell"}
BATCH = 64
THREADS = 2


def go_bench(seconds, tags):
    """Runs the Go benchmarks and returns samples/s per model."""
    cmd = ["go", "test", "-run", "^$", "-bench", "^BenchmarkTrain", "-benchtime", f"{seconds}s", "-count", "1"]
    if tags:
        cmd += ["-tags", tags]
    cmd.append("./core/train/gorgonia/")
    env = dict(os.environ, GOMAXPROCS=str(THREADS))
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout}{out.stderr}")
    rates = {}
    for line in out.stdout.splitlines():
        for m, name in GO_BENCH.items():
            if line.startswith(name + "-") or line.startswith(name + " "):
                found = re.search(r"([0-9.]+) samples/s", line)
                if found:
                    rates[m] = float(found.group(1))
    return rates


def torch_models(torch):
    nn = torch.nn

    class Cell(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
            self.b1 = nn.Sequential(nn.Conv2d(16, 16, 3, padding=1, bias=False), nn.ReLU())
            self.b2 = nn.Sequential(nn.Conv2d(16, 16, 1, bias=False), nn.ReLU())
            self.mix = nn.Conv2d(32, 16, 1, bias=False)
            self.head = nn.Sequential(nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(), nn.Linear(16 * 14 * 14, 10))

        def forward(self, x):
            s = self.stem(x)
            c = self.mix(torch.cat([self.b1(s), self.b2(s)], dim=1))
            return self.head(c + s)

    return {
        "mlp": (lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)), (784,)),
        "cnn": (lambda: nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Flatten(), nn.Linear(16 * 14 * 14, 10)), (1, 28, 28)),
        "cell": (Cell, (1, 28, 28)),
    }


def torch_bench(torch, seconds):
    torch.set_num_threads(THREADS)
    torch.manual_seed(1)
    rates = {}
    for name, (make, shape) in torch_models(torch).items():
        model = make()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = torch.nn.CrossEntropyLoss()
        x = torch.randn(BATCH, *shape)
        y = torch.randint(0, 10, (BATCH,))

        def step():
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()

        for _ in range(5):
            step()
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            step()
            n += 1
        rates[name] = n * BATCH / (time.perf_counter() - start)
    return rates


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=3, help="time per model and side")
    ap.add_argument("--no-openblas", action="store_true", help="skip the -tags openblas build")
    args = ap.parse_args()

    try:
        import torch
    except ImportError:
        torch = None
        print("torch is not installed (pip install torch): Go figures only", file=sys.stderr)

    columns = [("gonum", go_bench(args.seconds, ""))]
    if not args.no_openblas and ctypes.util.find_library("openblas"):
        columns.append(("openblas", go_bench(args.seconds, "openblas")))
    pt = torch_bench(torch, args.seconds) if torch else {}

    head = f"{'model':6}"
    for name, _ in columns:
        head += f" {'morphml/' + name:>17}"
    if pt:
        head += f" {'pytorch':>10}" + "".join(f" {'ratio/' + n:>15}" for n, _ in columns)
    print(f"Training throughput, samples/s (Adam, batch {BATCH}, {THREADS} threads)")
    print(head)
    for m in MODELS:
        row = f"{m:6}"
        for _, rates in columns:
            row += f" {rates.get(m, float('nan')):17.0f}"
        if pt:
            row += f" {pt[m]:10.0f}" + "".join(f" {rates.get(m, float('nan')) / pt[m]:14.2f}x" for _, rates in columns)
        print(row)
    if torch:
        print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")


if __name__ == "__main__":
    main()
