#pragma once
// Blocked Cholesky factorization on OpenBLAS's level-3 routines, for matrices too large for
// Eigen's (GPTQ factors Hessians of 14336 × 14336).
//
// Right-looking, in panels of kPanel columns: each diagonal block is factored in double (small,
// and where a pivot decides success), then the panel below it by a triangular solve and the
// trailing matrix by a rank-kPanel update, both on linalg/ParallelBlas (fixed tiles on
// Salience's threads): the factor is the same for any thread count, unlike LAPACK's potrf on
// OpenBLAS's threads.
#include "base/Progress.h"

#include <cstdint>

namespace salience {

// A = L·Lᵀ for A symmetric positive definite, n × n row-major with leading dimension n: L
// overwrites the lower triangle (diagonal included); the strict upper triangle is left as it was.
// Only the lower triangle of A is read. Returns false, with A partly overwritten, when a pivot is
// not positive or not finite (A is not positive definite in this precision). Checks `progress`
// for cancellation between panels (CancelledError) and reports nothing. `threads` as
// parallelFor's.
bool lowerCholeskyInPlace(float* a, int64_t n, const Progress& progress, int threads = 0);
bool lowerCholeskyInPlace(double* a, int64_t n, const Progress& progress, int threads = 0);

} // namespace salience
