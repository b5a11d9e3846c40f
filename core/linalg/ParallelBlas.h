#pragma once
// Level-3 BLAS on Salience's own threads (base/ParallelFor), in tiles of a fixed size, each tile
// one call of OpenBLAS running on a single thread. OpenBLAS's own threading splits a product
// differently for each thread count and rounds differently with it (measured: an sgemm of
// [3968 × 128]·[128 × 4096] differs in 3% of its entries between 1 and 2 threads); with fixed
// tiles every entry is the same sum in the same order whatever the thread count, so results
// built on these do not depend on it.
//
// All matrices are row-major with the leading dimensions given. `threads` as parallelFor's
// (0: one per core).
#include <cstdint>

namespace salience {

// While any instance lives (in any thread), OpenBLAS runs every call on one thread; the count it
// had is restored when the last one ends. The products below hold one themselves. Other BLAS work
// in the process meanwhile runs on one thread too (slower, never wrong).
class SingleThreadedBlas {
public:
    SingleThreadedBlas();
    ~SingleThreadedBlas();
    SingleThreadedBlas(const SingleThreadedBlas&) = delete;
    SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;
};

// C [m × n] = alpha·op(A)·op(B) + beta·C, op(X) = Xᵀ when the flag is set; op(A) is [m × k],
// op(B) is [k × n].
void parallelGemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                  int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc, int threads = 0);

// The lower triangle of C [n × n] −= A·Aᵀ, A [n × k] (syrk on the diagonal tiles, gemm below).
void parallelLowerRankUpdate(int64_t n, int64_t k, const float* a, int64_t lda, float* c, int64_t ldc,
                             int threads = 0);
void parallelLowerRankUpdate(int64_t n, int64_t k, const double* a, int64_t lda, double* c, int64_t ldc,
                             int threads = 0);

// B [m × n] ← B·L⁻ᵀ, L [n × n] lower triangular (trsm from the right), rows of B in tiles.
void parallelSolveRightLowerTransposed(int64_t m, int64_t n, const float* l, int64_t ldl, float* b, int64_t ldb,
                                       int threads = 0);
void parallelSolveRightLowerTransposed(int64_t m, int64_t n, const double* l, int64_t ldl, double* b, int64_t ldb,
                                       int threads = 0);

// B [m × n] ← B·U, U [n × n] upper triangular with a unit diagonal (trmm from the right), rows of
// B in tiles.
void parallelMultiplyRightUnitUpper(int64_t m, int64_t n, const float* u, int64_t ldu, float* b, int64_t ldb,
                                    int threads = 0);

} // namespace salience
