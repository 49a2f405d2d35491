# MorphML. `make run` runs a real search; `make test` runs every test.
# Both install what they need: Go modules come from the module proxy.

GO      ?= go
BIN     := bin/morphml
# OpenBLAS for the CPU engine's matrix products (2-4x faster training),
# installed when missing; MORPHML_BLAS=gonum builds pure Go.
BLAS_TAGS := $(shell sh scripts/blas_tags.sh)
FUZZTIME ?= 15s

.PHONY: xla-cpu-plugin all build run test test-go test-python wheel test-short fuzz bench bench-optim bench-python vet fmt clean kernel-install generate bench-kernel bench-gpu bench-asha

PYTHON  ?= python3
# The Python package is built and tested in its own virtualenv.
PYVENV  := _build/venv
WHEEL    = $(firstword $(wildcard dist/morphml-*.whl))

all: build

build:
	$(GO) build -tags "$(BLAS_TAGS)" -o $(BIN) ./cmd/morphml

# The main job: the embedded default experiment (examples/digits.morph):
# regularized evolution over CNNs trained on the CPU on the UCI digits,
# stored in .morphml/run.db.
run: build
	@mkdir -p .morphml
	./$(BIN) run --db .morphml/run.db

vet:
	$(GO) vet ./...

# XLA's CPU PJRT plugin (see scripts/xla-cpu-plugin.txt): the XLA engine's
# native lowering, the programs a GPU runs, tested and measured on the CPU.
XLA_CPU_DIR    := _build/xla-cpu
XLA_CPU_PLUGIN := $(CURDIR)/$(XLA_CPU_DIR)/fastatomstruct_xla_cpu/libpjrt_cpu.so

$(XLA_CPU_PLUGIN): scripts/xla-cpu-plugin.txt
	$(PYTHON) -m pip install -q --root-user-action=ignore --no-deps --require-hashes --upgrade --target $(XLA_CPU_DIR) -r scripts/xla-cpu-plugin.txt
	@touch $@

xla-cpu-plugin: $(XLA_CPU_PLUGIN)

# Every test: Go (then a short fuzz run of the .morph parser) and Python.
test: test-go test-python

# MORPHML_KERNEL_TESTS=require: the Jupyter kernel tests (jupyter_kernel_test,
# nbclient in a virtualenv they make) fail rather than skip without Python.
# MORPHML_XLA_TESTS=require: the XLA engine's plugin tests (parity of the
# native lowering with the CPU engine) fail rather than skip without the
# XLA CPU plugin; the GPU tests run only where there is a GPU.
test-go: vet $(XLA_CPU_PLUGIN)
	MORPHML_KERNEL_TESTS=require $(GO) test -count=1 -timeout 20m ./...
	MORPHML_XLA_TESTS=require MORPHML_XLA_CPU_PLUGIN=$(XLA_CPU_PLUGIN) $(GO) test -count=1 -run 'Native|Plugin' ./core/train/xla ./cmd/morphml
	test -z "$(BLAS_TAGS)" || $(GO) test -count=1 -tags "$(BLAS_TAGS)" ./core/train/...
	$(GO) test -run='^$$' -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./core/space/morph/

# The Python sdist and wheel; the wheel is built from the sdist, which
# carries the Go module (gopy compiles the engine into morphml._core).
wheel:
	rm -f dist/morphml-*
	test -x $(PYVENV)/bin/python || $(PYTHON) -m venv $(PYVENV)
	$(PYVENV)/bin/pip install -q --upgrade pip build
	$(PYVENV)/bin/python -m build --outdir dist . > _build/wheel.log 2>&1 || (tail -40 _build/wheel.log; exit 1)
	@ls -l dist/

# The pytest suite against the wheel installed in a fresh virtualenv, and
# the notebooks in notebooks/python executed by nbclient.
test-python: wheel
	rm -rf _build/test-venv
	$(PYTHON) -m venv _build/test-venv
	_build/test-venv/bin/pip install -q "$(WHEEL)[test]"
	cd python/tests && ../../_build/test-venv/bin/python -m pytest -q -p no:cacheprovider .

test-short:
	$(GO) test -short ./...

fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzParse -fuzztime=5m ./core/space/morph/

# NAS-Bench-201: evolution and local search against random search, 100 runs.
bench: build
	./$(BIN) bench nb201 --optimizer evolution --dataset cifar10 --budget 100 --runs 100
	./$(BIN) bench nb201 --optimizer local --dataset cifar10 --budget 100 --runs 100

# Training throughput of the three reference models, MorphML against
# PyTorch (CPU wheel from PyPI, installed when missing), both on 2 threads.
.PHONY: bench-train
bench-train:
	python3 -c 'import torch' 2>/dev/null || python3 -m pip install --quiet torch
	python3 scripts/bench_train.py

# The same training search (examples/digits_asha.morph) with and without ASHA, side by side.
bench-asha: build
	./$(BIN) bench asha

# Optimizer overhead: time per ask+tell of MorphML's optimizers against goptuna's
# and Optuna's (installed into .venv-bench) on a 20-dimension mixed space.
bench-optim:
	test -x .venv-bench/bin/python || python3 -m venv .venv-bench
	.venv-bench/bin/pip install -q optuna cmaes
	$(GO) run ./scripts/benchoptim -python .venv-bench/bin/python $(BENCH_OPTIM_FLAGS)

# GPU training (run on a machine with an NVIDIA GPU, the CUDA PJRT plugin
# from jax-cuda13-pjrt, and PyTorch): samples/s of the reference models and
# a NAS-Bench-201 network against PyTorch eager and torch.compile, and the
# time from Ask to the first training step. Without a GPU it says so.
BENCH_GPU_FLAGS ?= --candidates 10 --search 50
bench-gpu:
	python3 scripts/bench_gpu.py $(BENCH_GPU_FLAGS)

# Python ask/tell round trips against Optuna's in-memory study, and the
# time of trials_dataframe() for 1M trials.
bench-python: wheel
	test -x _build/bench-venv/bin/python || $(PYTHON) -m venv _build/bench-venv
	_build/bench-venv/bin/pip install -q --force-reinstall --no-deps "$(WHEEL)"
	_build/bench-venv/bin/pip install -q "$(WHEEL)" optuna
	_build/bench-venv/bin/python scripts/bench_python.py

# The Go notebook kernel: "Go (MorphML)" in Jupyter.
kernel-install: build
	./$(BIN) kernel install --user

# The Go notebook kernel through jupyter_client: start time, trivial cell
# round trip (median, p90), a 100-trial NAS-Bench-201 cell, interrupts,
# %%go cells. ROUNDS=500 by default.
bench-kernel:
	GO=$(GO) scripts/kernel_bench

# Regenerates the interpreter's bindings of the MorphML packages (a test
# checks that they are current).
generate:
	$(GO) generate ./kernel/bind

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin .morphml _build dist
