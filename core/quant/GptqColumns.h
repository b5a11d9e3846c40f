#pragma once
// GPTQ's column loop, the same for every grid (Gptq.h describes the method): float32, in lazy
// blocks whose feedback to the later columns is one sgemm, and split over rows.
//
// The feedback needs no inverse. With H = R·Rᵀ, R upper triangular (the Cholesky factorization
// taken backwards from the last column; Hessian.h's U = R⁻¹ is the upper factor of H⁻¹), the
// column-by-column rule w_j −= (w_i − q_i)/U_ii · U_ij sums, over all earlier columns, to
//   w̃_p = w_p + Σ_{j<p} (w_j − q_j) · R_jp / R_pp
// where w is the ORIGINAL weight and q the values rounded to: since W − Q = Err·U with
// Err_i = (w̃_i − q_i)/U_ii, Err = (W − Q)·R, and w̃_p = q_p + Err_p·U_pp. So one Cholesky
// factorization (n³/3 flops) replaces the reference's factorization, inverse and second
// factorization (4n³/3), with fewer roundings. Its arithmetic is float32 (as the reference's):
// the factorization's backward error, about n·2⁻²⁴·√(H_ii·H_jj) per entry, is orders of
// magnitude below the damping every H carries (1% of the mean diagonal by default); only each
// diagonal block's pivots are taken in double, and a Hessian float32 cannot factor is factored in
// double before any extra damping is tried.
// The same factor gives each row's loss e·H·eᵀ = ‖e·R‖² = Σ_p Err_p²: the column loop sums it for
// free, and the RTN guard's alternative costs one triangular product (rowLosses).
//
// Rows of W are independent given R, so each lazy block runs on slabs of kSlabRows rows in
// parallel (base/ParallelFor), every row's arithmetic the same whichever slab or thread holds
// it; the block's feedback to later columns is one sgemm over all rows on OpenBLAS's threads,
// which split it by rows and columns of the result, never along the sum. So the result does not
// depend on either thread count.
#include "base/ParallelFor.h"
#include "base/Progress.h"
#include "linalg/ParallelBlas.h"
#include "tensor/Tensor.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace salience {

// Rows [begin, end) of the weight: the part of a block one task works on.
struct RowSlab {
    int64_t begin = 0;
    int64_t end = 0;
    int64_t count() const { return end - begin; }
};

constexpr int64_t kSlabRows = 64;

// Everything the column loop starts from and updates. Positions p are processing order:
// position p is original column order[p].
struct ColumnProblem {
    int64_t out = 0, in = 0;
    std::vector<int32_t> order;
    std::vector<uint8_t> counted; // [in]: 0 where the position's column is dead (Gptq.h): its
                                  //       error does not count in the loss
    Matrix original;              // [in × out]: row p = the weight's column order[p]
    Matrix current;               // [in × out]: row p = that column with the feedback so far
    Matrix feedback;              // [in × in]: R_jp / R_pp above the diagonal, 1 on it, 0 below
    std::vector<float> pivots;    // [in]: R_pp
    double lossShift = 0;         // L = H − lossShift·I on counted columns (see rowLosses)
    std::vector<double> energy;   // [out]: after the loop, Σ_p Err_p² over counted positions
    std::vector<double> squares;  // [out]: after the loop, Σ_p (w_p − q_p)² over counted positions
};

// Sets up the problem for `weight` [out, in] under H [in, in] (symmetric, positive definite up
// to damping): processing order by descending diag(H) with act-order (ties: the lower column
// first), else natural. `dead` (original columns, empty: none) marks columns whose error the loss
// ignores; H − lossShift·I is the loss on the others (the damping). When the factorization fails
// it is retried with k·1% of mean(diag H) added, k = 1, 2, 4, 8, 16 (added to lossShift too);
// throws salience::Error when every try fails. Checks `progress` for cancellation.
ColumnProblem columnProblem(const Matrix& weight, const MatrixD& H, bool actOrder, const std::vector<bool>& dead,
                            double lossShift, int threads, const Progress& progress);

// Positions [p, end) of the slab's rows as the column-by-column algorithm (with H⁻¹'s factor U)
// sees them when it reaches p = i1 + i in the lazy block [i1, i2), `errors` holding the block's
// w − q so far ([i × out]). The loop's own columns are not those: there, column c is
// S_c = w_c + Σ_{j<p} (w_j − q_j)·R̂_jc, which equals the column-by-column value only once every
// column before c is rounded. Those values fix grids (dynamic groups), so they are formed here
// (one triangular solve over [p, end)). [rows × (end − p)], row-major.
Matrix currentColumns(const ColumnProblem& s, const std::vector<float>& errors, RowSlab rows, int64_t p, int64_t end,
                      int64_t i, int64_t i1, int64_t i2);

// Each row's loss e·L·eᵀ for e = weight − approx ([out, in], original coordinates), with
// L = H − lossShift·I on counted columns and nothing on the others: ‖ẽ·R‖² − lossShift·‖ẽ‖²,
// ẽ = e in processing order with uncounted columns zeroed. One strmm.
std::vector<double> rowLosses(const ColumnProblem& s, const Matrix& weight, const Matrix& approx, int threads);

// The block's feedback to every later column: current[i2:, :] += R̂[i1:i2, i2:]ᵀ · errors.
void feedLaterColumns(ColumnProblem& s, const std::vector<float>& errors, int64_t i1, int64_t i2, int threads);

// The column loop in lazy blocks of `blockSize`. For each slab and position p (position i of the
// block [i1, i2)), startColumn(rows, p, i, i1, i2, errors) may first fix grid parameters of the
// slab's rows from currentColumns; then roundWeight(r, p, w) rounds row r's weight w at p,
// records its code and returns the value it rounds to. Both are called for different slabs at
// once and must touch only their rows' state. Sets s.energy and s.squares, and releases
// s.original and s.current at the end. Checks `progress` for cancellation between blocks.
template <typename StartColumn, typename RoundWeight>
void columnLoop(ColumnProblem& s, int64_t blockSize, int threads, Progress& progress, StartColumn startColumn,
                RoundWeight roundWeight)
{
    const SingleThreadedBlas single; // slabs call BLAS from their own tasks
    const int64_t out = s.out, in = s.in;
    s.energy.assign(size_t(out), 0.0);
    s.squares.assign(size_t(out), 0.0);
    std::vector<float> errors(size_t(std::min(blockSize, in) * out));
    const int64_t slabs = (out + kSlabRows - 1) / kSlabRows;
    for (int64_t i1 = 0; i1 < in; i1 += blockSize) {
        progress.throwIfCancelled();
        const int64_t i2 = std::min(i1 + blockSize, in), count = i2 - i1;
        parallelFor(slabs, threads, [&](int64_t slab) {
            const RowSlab rows{slab * kSlabRows, std::min(out, (slab + 1) * kSlabRows)};
            for (int64_t i = 0; i < count; ++i) {
                const int64_t p = i1 + i;
                startColumn(rows, p, i, i1, i2, errors);
                float* w = s.current.data() + p * out;
                const float* w0 = s.original.data() + p * out;
                float* e = errors.data() + i * out;
                const double pivot = s.pivots[size_t(p)];
                const bool counted = s.counted[size_t(p)] != 0;
                for (int64_t r = rows.begin; r < rows.end; ++r) {
                    const float q = roundWeight(r, p, w[r]);
                    e[r] = w0[r] - q;
                    if (counted) {
                        const double err = (double(w[r]) - double(q)) * pivot;
                        s.energy[size_t(r)] += err * err;
                        s.squares[size_t(r)] += double(e[r]) * double(e[r]);
                    }
                }
                // Feedback inside the block, column by column (vectorized over the slab's rows).
                const float* f = s.feedback.data() + p * in;
                for (int64_t j = p + 1; j < i2; ++j) {
                    const float c = f[j];
                    float* target = s.current.data() + j * out;
                    for (int64_t r = rows.begin; r < rows.end; ++r)
                        target[r] += e[r] * c;
                }
            }
        });
        if (i2 < in)
            feedLaterColumns(s, errors, i1, i2, threads);
        progress.report(double(i2) / double(in), "GPTQ");
    }
    s.original = Matrix(); // the guard needs only the factor: at 4096 × 14336 these are 470 MB
    s.current = Matrix();
}

} // namespace salience
