#include "linalg/ParallelBlas.h"

#include "base/ParallelFor.h"

#include <cblas.h>

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

namespace salience {

namespace {

// Large enough that OpenBLAS runs each tile near its full single-thread speed, small enough to
// give two threads enough tiles to share.
constexpr int64_t kTile = 512;
constexpr int64_t kRowTile = 256;

std::mutex g_blasMutex;
int g_blasUsers = 0;
int g_blasThreads = 1;

int64_t tiles(int64_t n, int64_t size) { return (n + size - 1) / size; }

void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc)
{
    cblas_sgemm(CblasRowMajor, ta, tb, int(m), int(n), int(k), alpha, a, int(lda), b, int(ldb), beta, c, int(ldc));
}
void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int64_t m, int64_t n, int64_t k, double alpha, const double* a,
          int64_t lda, const double* b, int64_t ldb, double beta, double* c, int64_t ldc)
{
    cblas_dgemm(CblasRowMajor, ta, tb, int(m), int(n), int(k), alpha, a, int(lda), b, int(ldb), beta, c, int(ldc));
}
void syrk(int64_t n, int64_t k, const float* a, int64_t lda, float* c, int64_t ldc)
{
    cblas_ssyrk(CblasRowMajor, CblasLower, CblasNoTrans, int(n), int(k), -1.0f, a, int(lda), 1.0f, c, int(ldc));
}
void syrk(int64_t n, int64_t k, const double* a, int64_t lda, double* c, int64_t ldc)
{
    cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, int(n), int(k), -1.0, a, int(lda), 1.0, c, int(ldc));
}
void trsm(int64_t m, int64_t n, const float* l, int64_t ldl, float* b, int64_t ldb)
{
    cblas_strsm(CblasRowMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, int(m), int(n), 1.0f, l, int(ldl), b,
                int(ldb));
}
void trsm(int64_t m, int64_t n, const double* l, int64_t ldl, double* b, int64_t ldb)
{
    cblas_dtrsm(CblasRowMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, int(m), int(n), 1.0, l, int(ldl), b,
                int(ldb));
}

template <typename T>
void lowerRankUpdate(int64_t n, int64_t k, const T* a, int64_t lda, T* c, int64_t ldc, int threads)
{
    const SingleThreadedBlas single;
    std::vector<std::pair<int64_t, int64_t>> pairs; // (row tile, column tile), column ≤ row
    for (int64_t i = 0; i < tiles(n, kTile); ++i)
        for (int64_t j = 0; j <= i; ++j)
            pairs.emplace_back(i, j);
    parallelFor(int64_t(pairs.size()), threads, [&](int64_t t) {
        const auto [i, j] = pairs[size_t(t)];
        const int64_t i0 = i * kTile, ni = std::min(kTile, n - i0);
        const int64_t j0 = j * kTile, nj = std::min(kTile, n - j0);
        if (i == j)
            syrk(ni, k, a + i0 * lda, lda, c + i0 * ldc + i0, ldc);
        else
            gemm(CblasNoTrans, CblasTrans, ni, nj, k, T(-1), a + i0 * lda, lda, a + j0 * lda, lda, T(1),
                 c + i0 * ldc + j0, ldc);
    });
}

template <typename T>
void solveRightLowerTransposed(int64_t m, int64_t n, const T* l, int64_t ldl, T* b, int64_t ldb, int threads)
{
    const SingleThreadedBlas single;
    parallelFor(tiles(m, kRowTile), threads, [&](int64_t t) {
        const int64_t r0 = t * kRowTile;
        trsm(std::min(kRowTile, m - r0), n, l, ldl, b + r0 * ldb, ldb);
    });
}

} // namespace

SingleThreadedBlas::SingleThreadedBlas()
{
    const std::lock_guard lock(g_blasMutex);
    if (g_blasUsers++ == 0) {
        g_blasThreads = openblas_get_num_threads();
        if (g_blasThreads != 1)
            openblas_set_num_threads(1);
    }
}

SingleThreadedBlas::~SingleThreadedBlas()
{
    const std::lock_guard lock(g_blasMutex);
    if (--g_blasUsers == 0 && g_blasThreads != 1)
        openblas_set_num_threads(g_blasThreads);
}

void parallelGemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                  int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc, int threads)
{
    if (m <= 0 || n <= 0)
        return;
    const SingleThreadedBlas single;
    const int64_t tilesN = tiles(n, kTile);
    parallelFor(tiles(m, kTile) * tilesN, threads, [&](int64_t t) {
        const int64_t i0 = (t / tilesN) * kTile, j0 = (t % tilesN) * kTile;
        const int64_t mi = std::min(kTile, m - i0), nj = std::min(kTile, n - j0);
        gemm(transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, mi, nj, k, alpha,
             transA ? a + i0 : a + i0 * lda, lda, transB ? b + j0 * ldb : b + j0, ldb, beta, c + i0 * ldc + j0, ldc);
    });
}

void parallelLowerRankUpdate(int64_t n, int64_t k, const float* a, int64_t lda, float* c, int64_t ldc, int threads)
{
    lowerRankUpdate(n, k, a, lda, c, ldc, threads);
}

void parallelLowerRankUpdate(int64_t n, int64_t k, const double* a, int64_t lda, double* c, int64_t ldc, int threads)
{
    lowerRankUpdate(n, k, a, lda, c, ldc, threads);
}

void parallelSolveRightLowerTransposed(int64_t m, int64_t n, const float* l, int64_t ldl, float* b, int64_t ldb,
                                       int threads)
{
    solveRightLowerTransposed(m, n, l, ldl, b, ldb, threads);
}

void parallelSolveRightLowerTransposed(int64_t m, int64_t n, const double* l, int64_t ldl, double* b, int64_t ldb,
                                       int threads)
{
    solveRightLowerTransposed(m, n, l, ldl, b, ldb, threads);
}

void parallelMultiplyRightUnitUpper(int64_t m, int64_t n, const float* u, int64_t ldu, float* b, int64_t ldb,
                                    int threads)
{
    const SingleThreadedBlas single;
    parallelFor(tiles(m, kRowTile), threads, [&](int64_t t) {
        const int64_t r0 = t * kRowTile;
        cblas_strmm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasUnit, int(std::min(kRowTile, m - r0)),
                    int(n), 1.0f, u, int(ldu), b + r0 * ldb, int(ldb));
    });
}

} // namespace salience
