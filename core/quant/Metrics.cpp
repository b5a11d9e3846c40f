#include "quant/Metrics.h"

#include "base/Error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace salience {

namespace {

const char* kSource = "metrics";

void checkSameShape(const Matrix& weight, const Matrix& approx)
{
    if (weight.rows() != approx.rows() || weight.cols() != approx.cols())
        throw InputError(kSource, "weight is [" + std::to_string(weight.rows()) + ", "
                             + std::to_string(weight.cols()) + "] but its approximation is ["
                             + std::to_string(approx.rows()) + ", " + std::to_string(approx.cols()) + "]");
}

double ratio(double num, double den)
{
    if (den > 0.0)
        return num / den;
    return num > 0.0 ? std::numeric_limits<double>::infinity() : 0.0;
}

// ‖W‖² and ‖W − Ŵ‖², in double.
std::pair<double, double> squaredNorms(const Matrix& weight, const Matrix& approx)
{
    checkSameShape(weight, approx);
    double w2 = 0.0, e2 = 0.0;
    for (Eigen::Index i = 0; i < weight.size(); ++i) {
        const double w = weight.data()[i];
        const double e = w - double(approx.data()[i]);
        w2 += w * w;
        e2 += e * e;
    }
    return {w2, e2};
}

double sqnrFromNorms(double w2, double e2)
{
    if (e2 == 0.0)
        return std::numeric_limits<double>::infinity();
    if (w2 == 0.0)
        return -std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(w2 / e2);
}

} // namespace

double relativeWeightError(const Matrix& weight, const Matrix& approx)
{
    const auto [w2, e2] = squaredNorms(weight, approx);
    return std::sqrt(ratio(e2, w2));
}

double relativeOutputError(const Matrix& weight, const Matrix& approx, const Matrix& inputs)
{
    checkSameShape(weight, approx);
    if (inputs.cols() != weight.cols())
        throw InputError(kSource, "inputs have " + std::to_string(inputs.cols())
                             + " features but the layer takes " + std::to_string(weight.cols()));
    const MatrixD w = weight.cast<double>();
    const MatrixD e = w - approx.cast<double>();
    // Tokens in chunks so a long capture is never copied to double whole.
    constexpr Eigen::Index kChunk = 256;
    double y2 = 0.0, d2 = 0.0;
    for (Eigen::Index t = 0; t < inputs.rows(); t += kChunk) {
        const Eigen::Index n = std::min(kChunk, inputs.rows() - t);
        const MatrixD x = inputs.middleRows(t, n).cast<double>();
        y2 += (w * x.transpose()).squaredNorm();
        d2 += (e * x.transpose()).squaredNorm();
    }
    return std::sqrt(ratio(d2, y2));
}

double relativeOutputErrorFromGram(const Matrix& weight, const Matrix& approx, const MatrixD& gram)
{
    checkSameShape(weight, approx);
    if (gram.rows() != weight.cols() || gram.cols() != weight.cols())
        throw InputError(kSource, "Gram matrix is [" + std::to_string(gram.rows()) + ", "
                             + std::to_string(gram.cols()) + "] but the layer takes "
                             + std::to_string(weight.cols()) + " inputs");
    const MatrixD w = weight.cast<double>();
    const MatrixD e = w - approx.cast<double>();
    // tr(A·G·Aᵀ) = Σ (A·G) ∘ A; rounding can make a tiny value negative, so clamp at 0.
    const double y2 = std::max(0.0, (w * gram).cwiseProduct(w).sum());
    const double d2 = std::max(0.0, (e * gram).cwiseProduct(e).sum());
    return std::sqrt(ratio(d2, y2));
}

double sqnrDb(const Matrix& weight, const Matrix& approx)
{
    const auto [w2, e2] = squaredNorms(weight, approx);
    return sqnrFromNorms(w2, e2);
}

LayerMetrics measureLayer(const Matrix& weight, const QuantizedLinear& quantized,
                          const Matrix* inputs, const MatrixD* gram)
{
    const Matrix approx = quantized.dequantize();
    LayerMetrics m;
    // Both from one pass over the weights: ‖W‖² and ‖W − Ŵ‖², as the two functions compute them.
    const auto [w2, e2] = squaredNorms(weight, approx);
    m.relativeWeightError = std::sqrt(ratio(e2, w2));
    m.sqnrDb = sqnrFromNorms(w2, e2);
    m.bitsPerWeight = quantized.bitsPerWeight();
    if (inputs)
        m.relativeOutputError = relativeOutputError(weight, approx, *inputs);
    else if (gram)
        m.relativeOutputError = relativeOutputErrorFromGram(weight, approx, *gram);
    return m;
}

} // namespace salience
