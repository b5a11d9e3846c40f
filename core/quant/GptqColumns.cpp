#include "quant/GptqColumns.h"

#include "base/Error.h"
#include "base/PageAdvice.h"
#include "linalg/Cholesky.h"
#include "linalg/ParallelBlas.h"

#include <cblas.h>

#include <cmath>
#include <numeric>

namespace salience {

namespace {

// Order in which columns are quantized: as they are, or by descending diag(H) (act-order),
// ties broken by the lower column so the result is deterministic.
std::vector<int32_t> processingOrder(const MatrixD& H, bool actOrder)
{
    std::vector<int32_t> order(size_t(H.rows()));
    std::iota(order.begin(), order.end(), 0);
    if (actOrder)
        std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return H(a, a) > H(b, b); });
    return order;
}

// A matrix whose every entry is about to be written: fresh pages backed by huge pages.
template <typename M>
M freshMatrix(int64_t rows, int64_t cols)
{
    M m(rows, cols);
    adviseHugePages(m.data(), size_t(m.size()) * sizeof(typename M::Scalar));
    return m;
}

// J·Hp·J (Hp = H in processing order, J the reversal, `extra` added to the diagonal), its lower
// triangle only, zeros above.
template <typename M>
M reversedHessian(const MatrixD& H, const std::vector<int32_t>& order, double extra)
{
    using T = typename M::Scalar;
    const int64_t n = H.rows();
    M a = freshMatrix<M>(n, n);
    for (int64_t i = 0; i < n; ++i) {
        const double* row = H.data() + int64_t(order[size_t(n - 1 - i)]) * n;
        T* target = a.data() + i * n;
        for (int64_t j = 0; j < i; ++j)
            target[j] = T(row[order[size_t(n - 1 - j)]]);
        target[i] = T(row[order[size_t(n - 1 - i)]] + extra);
        std::fill(target + i + 1, target + n, T(0));
    }
    return a;
}

// R (H = R·Rᵀ, upper) into s.feedback as R̂ = R·diag(R)⁻¹ and s.pivots = diag(R), from the lower
// factor L of J·Hp·J: R = J·L·J, which is L's buffer reversed.
void storeFactor(ColumnProblem& s, Matrix&& lower)
{
    const int64_t n = s.in;
    std::reverse(lower.data(), lower.data() + lower.size());
    s.feedback = std::move(lower);
    s.pivots.resize(size_t(n));
    for (int64_t p = 0; p < n; ++p)
        s.pivots[size_t(p)] = s.feedback(p, p);
    for (int64_t i = 0; i < n; ++i) {
        float* row = s.feedback.data() + i * n;
        for (int64_t p = i + 1; p < n; ++p)
            row[p] /= s.pivots[size_t(p)];
        row[i] = 1.0f;
    }
}

// Float32 first; a Hessian float32 cannot factor (a pivot lost to rounding) in double at the
// same damping; then more damping. Returns the damping added.
double factorHessian(ColumnProblem& s, const MatrixD& H, const Progress& progress, int threads)
{
    const int64_t n = s.in;
    const double meanDiag = H.diagonal().mean();
    // Retries add growing multiples of 1% of the mean diagonal: enough to make a numerically
    // semi-definite H definite while changing a healthy one very little.
    const double extras[] = {0.0, 0.01, 0.02, 0.04, 0.08, 0.16};
    for (double k : extras) {
        const double extra = k * std::abs(meanDiag);
        {
            Matrix a = reversedHessian<Matrix>(H, s.order, extra);
            if (lowerCholeskyInPlace(a.data(), n, progress, threads)) {
                storeFactor(s, std::move(a));
                return extra;
            }
        }
        MatrixD a = reversedHessian<MatrixD>(H, s.order, extra);
        if (lowerCholeskyInPlace(a.data(), n, progress, threads)) {
            Matrix single = freshMatrix<Matrix>(n, n);
            single = a.cast<float>();
            a = MatrixD();
            storeFactor(s, std::move(single));
            return extra;
        }
    }
    throw Error("GPTQ: the Hessian is not positive definite even with 16% extra damping; the layer's "
                "activations are degenerate (increase the damping parameter)");
}

// weight[:, order] transposed into [in × out], in tiles so reads and writes both stay in cache.
Matrix transposedColumns(const Matrix& weight, const std::vector<int32_t>& order)
{
    const int64_t out = weight.rows(), in = weight.cols();
    constexpr int64_t kTile = 64;
    Matrix t = freshMatrix<Matrix>(in, out);
    for (int64_t r0 = 0; r0 < out; r0 += kTile)
        for (int64_t p0 = 0; p0 < in; p0 += kTile) {
            const int64_t r1 = std::min(out, r0 + kTile), p1 = std::min(in, p0 + kTile);
            for (int64_t p = p0; p < p1; ++p) {
                const int64_t c = order[size_t(p)];
                float* target = t.data() + p * out;
                for (int64_t r = r0; r < r1; ++r)
                    target[r] = weight(r, c);
            }
        }
    return t;
}

} // namespace

ColumnProblem columnProblem(const Matrix& weight, const MatrixD& H, bool actOrder, const std::vector<bool>& dead,
                            double lossShift, int threads, const Progress& progress)
{
    const int64_t out = weight.rows(), in = weight.cols();
    if (H.rows() != in || H.cols() != in)
        throw Error("GPTQ: the Hessian is " + std::to_string(H.rows()) + "×" + std::to_string(H.cols()) +
                    " for " + std::to_string(in) + " columns");
    if (!H.allFinite())
        throw Error("GPTQ: the Hessian is not finite");
    ColumnProblem s;
    s.out = out;
    s.in = in;
    s.order = processingOrder(H, actOrder);
    s.counted.assign(size_t(in), 1);
    for (int64_t p = 0; p < in; ++p)
        if (!dead.empty() && dead[size_t(s.order[size_t(p)])])
            s.counted[size_t(p)] = 0;
    s.original = transposedColumns(weight, s.order);
    s.current = freshMatrix<Matrix>(in, out);
    s.current = s.original;
    progress.throwIfCancelled();
    s.lossShift = lossShift + factorHessian(s, H, progress, threads);
    progress.throwIfCancelled();
    return s;
}

Matrix currentColumns(const ColumnProblem& s, const std::vector<float>& errors, RowSlab rows, int64_t p, int64_t end,
                      int64_t i, int64_t i1, int64_t i2)
{
    const int64_t out = s.out, in = s.in;
    Matrix m(rows.count(), end - p);
    for (int64_t c = p; c < end; ++c) {
        const float* column = s.current.data() + c * out;
        for (int64_t r = rows.begin; r < rows.end; ++r)
            m(r - rows.begin, c - p) = column[r];
    }
    for (int64_t c = std::max(p, i2); c < end; ++c)
        for (int64_t k = 0; k < i; ++k) {
            const float f = s.feedback(i1 + k, c);
            const float* e = errors.data() + k * out;
            for (int64_t r = rows.begin; r < rows.end; ++r)
                m(r - rows.begin, c - p) += e[r] * f;
        }
    // m holds S = w + Σ_{j<p} (w_j − q_j)·R̂_j·. The column-by-column algorithm's weights at this
    // point are those every later column would reach if the columns from p on were rounded
    // without error (q_j = w̃_j): V = w − Δ with Δ_j = w_j − w̃_j, so w − S = Δ·A, A = R̂[p:end,
    // p:end] unit upper triangular: Δ = (w − S)·A⁻¹, one triangular solve (one thread: the
    // caller's slab is its task).
    const int64_t width = end - p;
    for (int64_t r = rows.begin; r < rows.end; ++r)
        for (int64_t c = 0; c < width; ++c)
            m(r - rows.begin, c) = s.original(p + c, r) - m(r - rows.begin, c);
    cblas_strsm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasUnit, int(rows.count()), int(width), 1.0f,
                s.feedback.data() + p * in + p, int(in), m.data(), int(width));
    for (int64_t r = rows.begin; r < rows.end; ++r)
        for (int64_t c = 0; c < width; ++c)
            m(r - rows.begin, c) = s.original(p + c, r) - m(r - rows.begin, c);
    return m;
}

void feedLaterColumns(ColumnProblem& s, const std::vector<float>& errors, int64_t i1, int64_t i2, int threads)
{
    const int64_t out = s.out, in = s.in;
    parallelGemm(true, false, in - i2, out, i2 - i1, 1.0f, s.feedback.data() + i1 * in + i2, in, errors.data(), out,
                 1.0f, s.current.data() + i2 * out, out, threads);
}

std::vector<double> rowLosses(const ColumnProblem& s, const Matrix& weight, const Matrix& approx, int threads)
{
    const int64_t out = s.out, in = s.in;
    Matrix e = freshMatrix<Matrix>(out, in);
    std::vector<double> losses(size_t(out), 0.0);
    for (int64_t r = 0; r < out; ++r) {
        double squares = 0;
        for (int64_t p = 0; p < in; ++p) {
            const int64_t c = s.order[size_t(p)];
            const float v = s.counted[size_t(p)] ? weight(r, c) - approx(r, c) : 0.0f;
            e(r, p) = v;
            squares += double(v) * double(v);
        }
        losses[size_t(r)] = -s.lossShift * squares;
    }
    // ẽ·R = (ẽ·R̂)·diag(R); R̂ has a unit diagonal.
    parallelMultiplyRightUnitUpper(out, in, s.feedback.data(), in, e.data(), in, threads);
    for (int64_t r = 0; r < out; ++r) {
        double energy = 0;
        for (int64_t p = 0; p < in; ++p) {
            const double v = double(e(r, p)) * double(s.pivots[size_t(p)]);
            energy += v * v;
        }
        losses[size_t(r)] += energy;
    }
    return losses;
}

} // namespace salience
