#!/usr/bin/env bash
# The XLA engine's checks and figures on the GPU machine (the device tool),
# which has Python with PyTorch and jax-cuda13-pjrt but no Go and no network.
#
# Here:        scripts/gpu_session.sh prepare
#   builds stripped binaries (pure Go BLAS, so that nothing but libc is
#   needed there) and copies Fashion-MNIST into _build/gpu (ignored by git).
# There, one device `run` per step, carrying what the step names:
#   scripts/gpu_session.sh tests    carry _build/gpu/small
#   scripts/gpu_session.sh bench    carry _build/gpu/small
#   scripts/gpu_session.sh search   carry _build/gpu/cli _build/gpu/fashion-mnist; again resumes
# Each step writes its log to $OUT (or _build/gpu/out) and stays under 9.5
# minutes, the device's limit per command being 10.
set -euo pipefail
cd "$(dirname "$0")/.."
G=_build/gpu
OUTDIR=${OUT:-$G/out}
mkdir -p "$OUTDIR"

unpack() { # unpack NAME: the xz-compressed binary into /tmp/morphml-gpu
	mkdir -p /tmp/morphml-gpu
	if [ ! -x "/tmp/morphml-gpu/$1" ]; then
		xz -dc "$2/$1.xz" > "/tmp/morphml-gpu/$1"
		chmod +x "/tmp/morphml-gpu/$1"
	fi
}

case "${1:-}" in
prepare)
	rm -rf "$G/small" "$G/cli"
	mkdir -p "$G/small" "$G/cli" "$G/fashion-mnist"
	export CGO_ENABLED=1
	go build -ldflags="-s -w" -o "$G/small/bench_gpu" ./scripts/bench_gpu
	go test -c -ldflags="-s -w" -o "$G/small/xla.test" ./core/train/xla
	go build -ldflags="-s -w" -o "$G/cli/morphml" ./cmd/morphml
	for f in "$G/small/bench_gpu" "$G/small/xla.test" "$G/cli/morphml"; do xz -T0 -6 "$f"; done
	cp /usr/share/datasets/fashion-mnist/*.gz "$G/fashion-mnist/" 2>/dev/null ||
		echo "no /usr/share/datasets/fashion-mnist: apt-get install dataset-fashion-mnist (the search step needs it)"
	du -sh "$G/small" "$G/cli" "$G/fashion-mnist"
	echo "device runs (each under 64 MiB with the tree): tests and bench carry [$G/small]; search carries [$G/cli, $G/fashion-mnist]"
	;;
tests)
	unpack xla.test "$G/small"
	{ nvidia-smi -L || echo "no nvidia-smi"; } | tee "$OUTDIR/device.txt"
	# The parity test and the concurrency test on the CUDA plugin (jax's
	# site-packages are found through python3). XLA on an H100 may multiply
	# float32 in TF32 (10-bit mantissas), which the parity bounds (2e-4) are
	# not made for: this run keeps full float32 in cuBLAS and cuDNN
	# (NVIDIA_TF32_OVERRIDE=0) and in XLA's own matrix products (no Triton
	# GEMM fusions); the bench then runs with XLA's defaults.
	(cd core/train/xla && NVIDIA_TF32_OVERRIDE=0 XLA_FLAGS="${XLA_FLAGS:-} --xla_gpu_enable_triton_gemm=false" \
		/tmp/morphml-gpu/xla.test -test.run 'Native|Plugin' -test.v -test.timeout 9m) 2>&1 | tee "$OUTDIR/tests.log"
	;;
bench)
	unpack bench_gpu "$G/small"
	PYTHONUNBUFFERED=1 timeout 560 python3 scripts/bench_gpu.py --bench-bin /tmp/morphml-gpu/bench_gpu --candidates 10 2>&1 | tee "$OUTDIR/bench.log"
	;;
search)
	unpack morphml "$G/cli"
	resume=()
	[ -f "$G/search.db" ] && resume=(--resume)
	MORPHML_DATA="$PWD/$G" PYTHONUNBUFFERED=1 python3 scripts/bench_gpu.py --search-only --search 50 \
		--morphml /tmp/morphml-gpu/morphml --db "$G/search.db" "${resume[@]}" --limit "${SEARCH_LIMIT:-540}" 2>&1 | tee -a "$OUTDIR/search.log"
	;;
*)
	echo "usage: $0 prepare|tests|bench|search" >&2
	exit 2
	;;
esac
