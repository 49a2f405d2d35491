#!/bin/sh
# Prints the Go build tag that makes the CPU engine multiply matrices with
# OpenBLAS ("openblas"), installing Debian's libopenblas-dev first when it
# is missing and apt-get can; prints nothing (the pure-Go build) when
# OpenBLAS cannot be had, or when MORPHML_BLAS=gonum asks for pure Go.
# Used by the Makefile: training is 2-4x faster with OpenBLAS.
[ "${MORPHML_BLAS:-}" = gonum ] && exit 0
have() {
	ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so ' &&
		{ [ -e /usr/include/x86_64-linux-gnu/cblas.h ] || [ -e /usr/include/cblas.h ] || [ -e /usr/include/aarch64-linux-gnu/cblas.h ]; }
}
if ! have && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libopenblas-dev; } >/dev/null 2>&1
fi
if have; then
	echo openblas
else
	echo "note: OpenBLAS not available; building the pure-Go CPU engine (slower training)" >&2
fi
