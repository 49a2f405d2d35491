#!/usr/bin/env python3
"""GPU training throughput: MorphML's xla engine against PyTorch on the same GPU.

Trains the three reference models of core/train/reference.go (MLP 784-128-10;
CNN conv3x3x16-relu-maxpool-dense10; a small DAG cell) and a NAS-Bench-201
cell network (3x32x32, 16-32-64 channels, 5 cells per stage) with Adam at
batch 64 on random data, and prints samples/s for MorphML (batch sent each
step, and data kept on the device), PyTorch eager and torch.compile (where it
works), the ratios, and MorphML's time from asking for a candidate to its
first finished step (decode, build, XLA compile, one step), for the first
network of an architecture and for a second one (compiled program cached).
The Go figures come from scripts/bench_gpu (go run). Both sides run in the
same process tree, on the same GPU, one after the other.

With --search N it then runs the first N candidates of
examples/fashion_mnist_gpu.morph through `morphml run --device gpu` (4 at
once on the GPU, as the file says), samples the GPU's utilisation with
nvidia-smi meanwhile, and prints the time per candidate, the time from the
start of each evaluation to its first finished step (first_step_s: build,
data upload, XLA compilation), and the best candidate's test accuracy.

Usage: python3 scripts/bench_gpu.py [--seconds S] [--candidates N] [--search N] [--no-compile]
Needs: go; torch with CUDA; a CUDA PJRT plugin (pip install jax-cuda13-pjrt,
or MORPHML_XLA_PLUGIN=/path/to/xla_cuda_plugin.so); for --search, Debian's
dataset-fashion-mnist (or MORPHML_DATA). Without a GPU it says so and exits 0.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

MODELS = ["mlp", "cnn", "cell", "nb201"]
BATCH = 64
NB201_CELL = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|avg_pool_3x3~2|"


def have_gpu():
    """Whether an NVIDIA GPU is visible (nvidia-smi, else torch)."""
    if shutil.which("nvidia-smi"):
        out = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True)
        if out.returncode == 0 and "GPU" in out.stdout:
            return out.stdout.strip().splitlines()[0]
    try:
        import torch

        if torch.cuda.is_available():
            return torch.cuda.get_device_name(0)
    except ImportError:
        pass
    return None


def go_bench(seconds, candidates, binary=None):
    cmd = [binary] if binary else ["go", "run", "./scripts/bench_gpu"]
    cmd += ["-device", "gpu", "-json", "-strict",
            "-seconds", str(seconds), "-batch", str(BATCH), "-candidates", str(candidates)]
    env = dict(os.environ, GOMLX_NO_AUTO_INSTALL="1")
    env.setdefault("GOPJRT_CUDA_CHECKS", "0")
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode == 3:
        sys.exit("bench-gpu: there is a GPU but no CUDA PJRT plugin:\n" + out.stderr)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout}{out.stderr}")
    return json.loads(out.stdout)


def nb201_model(torch, cell=NB201_CELL, stages=(16, 32, 64), cells=5, classes=10):
    """NAS-Bench-201's network as core/space/cell.go decodes it: convolutions
    without bias, ReLU-conv-BN edges, a residual reduction block between
    stages (shortcut: 2x2 average pool then 1x1 conv), head BN-ReLU-GAP-dense."""
    nn = torch.nn
    edges = [[e.split("~") for e in grp.strip("|").split("|")] for grp in cell.split("+")]

    def rcb(cin, cout, k, stride):
        return nn.Sequential(nn.ReLU(), nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, bias=False), nn.BatchNorm2d(cout))

    class Cell(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.ops = nn.ModuleList()
            self.src = []
            for i, grp in enumerate(edges):
                for name, j in grp:
                    j = int(j)
                    if name == "none":
                        continue
                    if name == "skip_connect":
                        op = nn.Identity()
                    elif name.startswith("nor_conv_"):
                        op = rcb(c, c, int(name[-1]), 1)
                    elif name.startswith("avg_pool_"):
                        op = nn.AvgPool2d(3, 1, 1, count_include_pad=False)
                    else:
                        raise ValueError(name)
                    self.ops.append(op)
                    self.src.append((i + 1, j))

        def forward(self, x):
            nodes = [x, None, None, None]
            for op, (i, j) in zip(self.ops, self.src):
                v = op(nodes[j])
                nodes[i] = v if nodes[i] is None else nodes[i] + v
            return nodes[3] if nodes[3] is not None else torch.zeros_like(x)

    class Reduce(nn.Module):
        def __init__(self, cin, cout):
            super().__init__()
            self.a, self.b = rcb(cin, cout, 3, 2), rcb(cout, cout, 3, 1)
            self.short = nn.Sequential(nn.AvgPool2d(2, 2), nn.Conv2d(cin, cout, 1, bias=False))

        def forward(self, x):
            return self.short(x) + self.b(self.a(x))

    layers = [nn.Conv2d(3, stages[0], 3, padding=1, bias=False), nn.BatchNorm2d(stages[0])]
    for s, c in enumerate(stages):
        if s > 0:
            layers.append(Reduce(stages[s - 1], c))
        layers += [Cell(c) for _ in range(cells)]
    layers += [nn.BatchNorm2d(stages[-1]), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(stages[-1], classes)]
    return nn.Sequential(*layers)


def torch_bench(torch, seconds, compile_too):
    from bench_train import torch_models

    models = dict(torch_models(torch))
    models["nb201"] = (lambda: nb201_model(torch), (3, 32, 32))
    dev = torch.device("cuda")
    rates = {}
    for name in MODELS:
        make, shape = models[name]
        for mode in ["eager", "compile"] if compile_too else ["eager"]:
            torch.manual_seed(1)
            model = make().to(dev)
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            loss_fn = torch.nn.CrossEntropyLoss()
            x = torch.randn(BATCH, *shape, device=dev)
            y = torch.randint(0, 10, (BATCH,), device=dev)
            fwd = model
            t0 = time.perf_counter()
            if mode == "compile":
                try:
                    fwd = torch.compile(model)
                except Exception as exc:  # noqa: BLE001 - report and go on
                    print(f"torch.compile({name}) failed: {exc}", file=sys.stderr)
                    continue

            def step():
                opt.zero_grad(set_to_none=True)
                loss_fn(fwd(x), y).backward()
                opt.step()

            try:
                step()
                torch.cuda.synchronize()
                first = time.perf_counter() - t0
                for _ in range(10):
                    step()
                torch.cuda.synchronize()
            except Exception as exc:  # noqa: BLE001
                print(f"{mode} {name} failed: {exc}", file=sys.stderr)
                continue
            n, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                for _ in range(20):
                    step()
                n += 20
                torch.cuda.synchronize()
            rates[(name, mode)] = (n * BATCH / (time.perf_counter() - start), first)
    return rates


def gpu_utilisation(stop, samples):
    """Samples nvidia-smi's GPU utilisation (%) every 0.5 s until stop is set."""
    if not shutil.which("nvidia-smi"):
        return
    while not stop.is_set():
        out = subprocess.run(["nvidia-smi", "--query-gpu=utilization.gpu,memory.used", "--format=csv,noheader,nounits"],
                             capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            util, mem = out.stdout.strip().splitlines()[0].split(",")
            samples.append((float(util), float(mem)))
        stop.wait(0.5)


def search_bench(n, exe=None, db=None, resume=False, limit=None):
    """Runs n candidates of examples/fashion_mnist_gpu.morph on the GPU with
    the morphml command (exe, else built with go) and summarises them. With
    resume it continues the study stored in db; limit (seconds) stops the
    run early (the study then resumes with --resume)."""
    work = tempfile.mkdtemp(prefix="bench-gpu-")
    if not exe:
        exe = os.path.join(work, "morphml")
        subprocess.run(["go", "build", "-o", exe, "./cmd/morphml"], check=True)
    db = db or os.path.join(work, "search.db")
    stop, samples = threading.Event(), []
    sampler = threading.Thread(target=gpu_utilisation, args=(stop, samples), daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    cmd = [exe, "run", "--device", "gpu", "--budget", str(n), "--db", db, "--study", "bench", "-q"]
    cmd += ["--resume"] if resume else ["examples/fashion_mnist_gpu.morph"]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        run = None
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    if run is None:
        print(f"search stopped after {wall:.0f} s (--limit); it resumes with --resume")
    elif run.returncode != 0:
        sys.exit(f"morphml run failed:\n{run.stdout}{run.stderr}")
    out = subprocess.run([exe, "export", "bench", "--db", db, "--format", "json"], capture_output=True, text=True, check=True)
    summarise(json.loads(out.stdout)["trials"], n, wall, samples)


def summarise(trials, n, wall, samples):
    """Prints the figures of a search's exported trials."""
    trials = [t for t in trials if t["state"] == "complete"]
    if not trials:
        print(f"Search: no candidate finished in {wall:.0f} s")
        return
    attr = lambda k: [float(t["attrs"][k]) for t in trials if k in t["attrs"]]  # noqa: E731
    first, train = attr("first_step_s"), attr("train_time_s")
    best = max(trials, key=lambda t: t["values"][0])
    print(f"Search: {len(trials)} of {n} candidates of examples/fashion_mnist_gpu.morph in {wall:.0f} s"
          f" ({wall / max(len(trials), 1):.1f} s per candidate, 4 at once)")
    print(f"  first step (build + upload + compile + 1 step): median {statistics.median(first):.2f} s,"
          f" mean {statistics.mean(first):.2f} s, max {max(first):.2f} s")
    print(f"  training per candidate: median {statistics.median(train):.1f} s;"
          f" epochs {statistics.mean(attr('epochs')):.1f} on average")
    print(f"  best: validation {best['values'][0]:.2f} %, test {best['attrs'].get('test_acc')} %"
          f" (trial {best['trial']}, {best['attrs'].get('engine')})")
    if samples:
        util = [u for u, _ in samples]
        print(f"  GPU utilisation: mean {statistics.mean(util):.0f} %, median {statistics.median(util):.0f} %;"
              f" memory up to {max(m for _, m in samples):.0f} MiB ({len(samples)} samples)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=3, help="time per model and side")
    ap.add_argument("--candidates", type=int, default=10, help="random NB201 candidates to time ask->first step")
    ap.add_argument("--search", type=int, default=0, help="also run this many candidates of examples/fashion_mnist_gpu.morph")
    ap.add_argument("--search-only", action="store_true", help="skip the throughput figures")
    ap.add_argument("--bench-bin", help="a built scripts/bench_gpu (else: go run)")
    ap.add_argument("--morphml", help="a built morphml command for --search (else: go build)")
    ap.add_argument("--db", help="the search's SQLite file (else a temporary one)")
    ap.add_argument("--resume", action="store_true", help="continue the search stored in --db")
    ap.add_argument("--limit", type=float, help="stop the search after this many seconds (resume it later)")
    ap.add_argument("--no-compile", action="store_true", help="skip torch.compile")
    args = ap.parse_args()

    # BENCH_GPU_DRY_RUN=1 runs without a GPU (with MORPHML_XLA_PLUGIN naming
    # XLA's CPU plugin, say), to check the script itself.
    gpu = have_gpu() or (os.environ.get("BENCH_GPU_DRY_RUN") and "none (BENCH_GPU_DRY_RUN)")
    if not gpu:
        print("bench-gpu: no NVIDIA GPU on this machine: nothing to measure (run it on the GPU machine)")
        return 0
    print(f"GPU: {gpu}")
    if args.search_only:
        search_bench(args.search, args.morphml, args.db, args.resume, args.limit)
        return 0
    go = go_bench(args.seconds, args.candidates, args.bench_bin)
    try:
        import torch
    except ImportError:
        torch = None
        print("torch is not installed: MorphML figures only", file=sys.stderr)
    pt = torch_bench(torch, args.seconds, not args.no_compile) if torch and torch.cuda.is_available() else {}

    print(f"Training throughput, samples/s (Adam, batch {BATCH}); MorphML backend {go['backend']}")
    print(f"{'model':6} {'params':>8} {'ask->1st s':>10} {'cached s':>9} {'morphml':>10} {'m/device':>10} {'m/queued':>10}"
          f" {'torch':>10} {'compile':>10} {'x eager':>8} {'x compile':>9}")
    for r in go["results"]:
        m = r["model"]
        eager = pt.get((m, "eager"), (float("nan"), 0))[0]
        comp = pt.get((m, "compile"), (float("nan"), 0))[0]
        best = max(r["samples_per_s_host"], r["samples_per_s_device"], r["samples_per_s_queued"])
        print(f"{m:6} {r['params']:8d} {r['ask_to_first_step_s']:10.2f} {r['cached_first_step_s']:9.3f}"
              f" {r['samples_per_s_host']:10.0f} {r['samples_per_s_device']:10.0f} {r['samples_per_s_queued']:10.0f}"
              f" {eager:10.0f} {comp:10.0f}"
              f" {best / eager:7.2f}x {best / comp:8.2f}x")
    for (m, mode), (_, first) in sorted(pt.items()):
        if mode == "compile":
            print(f"torch.compile first step {m}: {first:.2f}s")
    if go.get("search"):
        s = go["search"]
        print(f"{s['candidates']} random NB201 candidates, ask->first step: median {s['median_s']:.2f}s, mean {s['mean_s']:.2f}s")
    if torch:
        print(f"PyTorch {torch.__version__}")
    if args.search:
        search_bench(args.search, args.morphml, args.db, args.resume, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
