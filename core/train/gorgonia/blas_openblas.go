//go:build openblas && cgo

package gorgonia

/*
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import "unsafe"

// With -tags openblas the kernels multiply matrices with OpenBLAS
// (Debian: libopenblas-dev), single-threaded: trials run in parallel
// instead.
func init() {
	C.openblas_set_num_threads(1)
	gemm = openblasGemm
	BLAS = "openblas"
}

func openblasGemm(tA, tB bool, m, n, k int, a, b []float32, beta float32, c []float32) {
	if m == 0 || n == 0 {
		return
	}
	ta, tb := C.CblasNoTrans, C.CblasNoTrans
	lda, ldb := k, n
	if tA {
		ta, lda = C.CblasTrans, m
	}
	if tB {
		tb, ldb = C.CblasTrans, k
	}
	if k == 0 {
		for i := range c[:m*n] {
			c[i] *= beta
		}
		return
	}
	C.cblas_sgemm(C.CblasRowMajor, uint32(ta), uint32(tb), C.blasint(m), C.blasint(n), C.blasint(k), 1,
		(*C.float)(unsafe.Pointer(&a[0])), C.blasint(lda), (*C.float)(unsafe.Pointer(&b[0])), C.blasint(ldb),
		C.float(beta), (*C.float)(unsafe.Pointer(&c[0])), C.blasint(n))
}
