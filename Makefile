# MorphML. `make run` runs a real search; `make test` runs every test.
# Both install what they need: Go modules come from the module proxy.

GO      ?= go
BIN     := bin/morphml
FUZZTIME ?= 15s

.PHONY: all build run test test-short fuzz bench bench-optim vet fmt clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/morphml

# The main job: the embedded default experiment (examples/digits.morph):
# regularized evolution over CNNs trained on the CPU on the UCI digits,
# stored in .morphml/run.db.
run: build
	@mkdir -p .morphml
	./$(BIN) run --db .morphml/run.db

vet:
	$(GO) vet ./...

# Every test, then a short fuzz run of the .morph parser.
test: vet
	$(GO) test -count=1 -timeout 20m ./...
	$(GO) test -run='^$$' -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./core/space/morph/

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

# Optimizer overhead: time per ask+tell of MorphML's optimizers against goptuna's
# and Optuna's (installed into .venv-bench) on a 20-dimension mixed space.
bench-optim:
	test -x .venv-bench/bin/python || python3 -m venv .venv-bench
	.venv-bench/bin/pip install -q optuna cmaes
	$(GO) run ./scripts/benchoptim -python .venv-bench/bin/python $(BENCH_OPTIM_FLAGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin .morphml
