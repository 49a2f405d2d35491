package gorgonia

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// sgemmFunc computes c = op(a) * op(b) + beta*c for row-major matrices,
// op(a) m x k, op(b) k x n, c m x n.
type sgemmFunc func(tA, tB bool, m, n, k int, a, b []float32, beta float32, c []float32)

// gemm is the matrix product every kernel uses: gonum's pure-Go BLAS, or
// OpenBLAS in a build with -tags openblas.
var gemm sgemmFunc = gonumGemm

// BLAS names the matrix-product implementation in use: "gonum" or "openblas".
var BLAS = "gonum"

func gonumGemm(tA, tB bool, m, n, k int, a, b []float32, beta float32, c []float32) {
	ta, tb := blas.NoTrans, blas.NoTrans
	lda, ldb := k, n
	if tA {
		ta, lda = blas.Trans, m
	}
	if tB {
		tb, ldb = blas.Trans, k
	}
	gonum.Implementation{}.Sgemm(ta, tb, m, n, k, 1, a, lda, b, ldb, beta, c, n)
}
