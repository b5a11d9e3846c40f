#include "linalg/Cholesky.h"

#include "linalg/ParallelBlas.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace salience {

namespace {

// Wide enough for syrk to run near gemm speed, small enough that the diagonal blocks (factored
// by plain loops) cost little: n·kPanel²/3 multiply-adds in all.
constexpr int64_t kPanel = 192;

// The diagonal block [kb × kb] at `a` (leading dimension lda), lower triangle, factored in
// double: as the upper factor U = Lᵀ, so the inner loop runs over contiguous memory.
template <typename T>
bool factorDiagonalBlock(T* a, int64_t lda, int64_t kb)
{
    std::vector<double> u(size_t(kb * kb), 0.0);
    for (int64_t i = 0; i < kb; ++i)
        for (int64_t j = 0; j <= i; ++j)
            u[size_t(j * kb + i)] = double(a[i * lda + j]);
    for (int64_t j = 0; j < kb; ++j) {
        double* row = u.data() + j * kb;
        const double pivot = row[j];
        if (!(pivot > 0.0) || !std::isfinite(pivot))
            return false;
        const double d = std::sqrt(pivot);
        row[j] = d;
        for (int64_t c = j + 1; c < kb; ++c)
            row[c] /= d;
        for (int64_t r = j + 1; r < kb; ++r) {
            const double f = row[r];
            double* target = u.data() + r * kb;
            for (int64_t c = r; c < kb; ++c)
                target[c] -= f * row[c];
        }
    }
    for (int64_t i = 0; i < kb; ++i)
        for (int64_t j = 0; j <= i; ++j)
            a[i * lda + j] = T(u[size_t(j * kb + i)]);
    return true;
}

template <typename T>
bool factor(T* a, int64_t n, const Progress& progress, int threads)
{
    for (int64_t k = 0; k < n; k += kPanel) {
        progress.throwIfCancelled();
        const int64_t kb = std::min(kPanel, n - k);
        T* diagonal = a + k * n + k;
        if (!factorDiagonalBlock(diagonal, n, kb))
            return false;
        const int64_t rest = n - k - kb;
        if (rest == 0)
            break;
        T* below = diagonal + kb * n;
        parallelSolveRightLowerTransposed(rest, kb, diagonal, n, below, n, threads);
        parallelLowerRankUpdate(rest, kb, below, n, below + kb, n, threads);
    }
    return true;
}

} // namespace

bool lowerCholeskyInPlace(float* a, int64_t n, const Progress& progress, int threads)
{
    return factor(a, n, progress, threads);
}

bool lowerCholeskyInPlace(double* a, int64_t n, const Progress& progress, int threads)
{
    return factor(a, n, progress, threads);
}

} // namespace salience
