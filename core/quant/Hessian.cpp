#include "quant/Hessian.h"

#include "acts/Gram.h"
#include "base/Error.h"
#include "base/PageAdvice.h"

#include <cmath>
#include <cstring>
#include <string>

namespace salience {

namespace {

const char* kSource = "gptq";

// Checks the Gram or inputs the layer carries against the weight (the Gram by reference, the
// inputs when there is no Gram) and returns the token count.
int64_t checkedTokens(const LayerData& data, int64_t inFeatures)
{
    if (inFeatures < 1)
        throw InputError(kSource, "the layer has no input features");
    int64_t tokens = 0;
    if (data.gram) {
        if (data.gram->rows() != inFeatures || data.gram->cols() != inFeatures)
            throw InputError(kSource, "the Gram matrix is " + std::to_string(data.gram->rows()) + "×" +
                                          std::to_string(data.gram->cols()) + " but the layer has " +
                                          std::to_string(inFeatures) + " input features");
        tokens = data.gramTokens;
    } else if (data.inputs) {
        if (data.inputs->cols() != inFeatures)
            throw InputError(kSource, "the inputs have " + std::to_string(data.inputs->cols()) +
                                          " features but the layer has " + std::to_string(inFeatures));
        tokens = data.inputs->rows();
    } else {
        throw InputError(kSource, "the layer has no inputs and no Gram matrix: GPTQ needs the layer's "
                                  "activations (open or capture an activation file with inputs)");
    }
    if (tokens < 1)
        throw InputError(kSource, "the layer's activations hold no tokens");
    return tokens;
}

// diag(XᵀX) without forming or copying XᵀX, checked as layerHessian checks the Gram.
Eigen::VectorXd gramDiagonal(const LayerData& data, int64_t inFeatures, int64_t& tokens)
{
    tokens = checkedTokens(data, inFeatures);
    Eigen::VectorXd d = data.gram ? Eigen::VectorXd(data.gram->diagonal())
                                  : Eigen::VectorXd(data.inputs->cast<double>().colwise().squaredNorm().transpose());
    if (!d.allFinite() || (data.gram && !data.gram->allFinite()))
        throw InputError(kSource, "the Gram matrix of the layer's inputs is not finite");
    return d;
}

// to[i] = from[i]·factor for n values (in place when to == from), in one pass that also tells
// whether every result is finite. Integer operations only, so the check vectorizes: an exponent
// of all ones, and only that, carries into the top bit when 1 is added to the exponent.
bool scaledFinite(const double* from, double* to, int64_t n, double factor)
{
    uint64_t seen = 0;
    for (int64_t i = 0; i < n; ++i) {
        const double v = from[i] * factor;
        to[i] = v;
        uint64_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        seen |= (bits & 0x7ff0000000000000u) + 0x0010000000000000u;
    }
    return (seen & 0x8000000000000000u) == 0;
}

} // namespace

std::vector<bool> deadInputColumns(const LayerData& data, int64_t inFeatures)
{
    int64_t tokens = 0;
    const Eigen::VectorXd d = gramDiagonal(data, inFeatures, tokens);
    std::vector<bool> dead(static_cast<size_t>(inFeatures), false);
    for (int64_t j = 0; j < inFeatures; ++j)
        dead[size_t(j)] = d(j) == 0.0;
    return dead;
}

std::vector<float> inputMeanSquares(const LayerData& data, int64_t inFeatures)
{
    int64_t tokens = 0;
    const Eigen::VectorXd d = gramDiagonal(data, inFeatures, tokens);
    std::vector<float> m(static_cast<size_t>(inFeatures));
    for (int64_t j = 0; j < inFeatures; ++j)
        m[size_t(j)] = float(d(j) / double(tokens));
    return m;
}

LayerData withGram(const LayerData& data, int64_t inFeatures, MatrixD& storage)
{
    LayerData out = data;
    if (!data.gram && data.inputs && data.inputs->cols() == inFeatures && data.inputs->rows() > 0) {
        storage = gram(*data.inputs);
        out.gram = &storage;
        out.gramTokens = data.inputs->rows();
    }
    return out;
}

MatrixD layerHessian(const LayerData& data, int64_t inFeatures, double dampRelative, HessianColumns* columns)
{
    if (!std::isfinite(dampRelative) || dampRelative < 0.0)
        throw InputError(kSource, "damping must be a finite number >= 0");
    const int64_t tokens = checkedTokens(data, inFeatures);
    MatrixD H;
    if (data.gram) {
        H.resize(inFeatures, inFeatures);
        adviseHugePages(H.data(), size_t(H.size()) * sizeof(double));
    } else {
        H = gram(*data.inputs);
    }
    const Eigen::VectorXd diagonal = data.gram ? Eigen::VectorXd(data.gram->diagonal()) : Eigen::VectorXd(H.diagonal());
    if (!scaledFinite(data.gram ? data.gram->data() : H.data(), H.data(), H.size(), 2.0 / double(tokens)))
        throw InputError(kSource, "the Gram matrix of the layer's inputs is not finite");
    if (columns) {
        // Exactly as deadInputColumns and inputMeanSquares compute them.
        columns->dead.assign(size_t(inFeatures), false);
        columns->meanSquares.resize(size_t(inFeatures));
        for (int64_t j = 0; j < inFeatures; ++j) {
            columns->dead[size_t(j)] = diagonal(j) == 0.0;
            columns->meanSquares[size_t(j)] = float(diagonal(j) / double(tokens));
        }
    }
    for (int64_t j = 0; j < inFeatures; ++j)
        if (H(j, j) == 0.0)
            H(j, j) = 1.0; // dead column: its weight is zeroed by GPTQ, any positive value does
    const double damp = dampRelative * H.diagonal().mean();
    H.diagonal().array() += damp;
    if (columns)
        columns->damp = damp;
    return H;
}

MatrixD upperCholeskyOfInverse(const MatrixD& H)
{
    if (H.rows() < 1 || H.rows() != H.cols())
        throw Error("GPTQ: the Hessian must be a non-empty square matrix, got " + std::to_string(H.rows()) + "×" +
                    std::to_string(H.cols()));
    if (!H.allFinite())
        throw Error("GPTQ: the Hessian is not finite");
    const int64_t n = H.rows();
    const double meanDiag = H.diagonal().mean();
    // Retries add growing multiples of 1% of the mean diagonal: enough to make a
    // numerically semi-definite H definite while changing a healthy one very little.
    const double extra[] = {0.0, 0.01, 0.02, 0.04, 0.08, 0.16};
    for (double k : extra) {
        // In-place factorizations: a few n×n copies instead of many (n is in_features).
        Eigen::MatrixXd inverse = Eigen::MatrixXd::Identity(n, n);
        {
            Eigen::MatrixXd work = H;
            if (k > 0.0)
                work.diagonal().array() += k * std::abs(meanDiag);
            Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>> llt(work);
            if (llt.info() != Eigen::Success)
                continue;
            // H⁻¹ = (L Lᵀ)⁻¹; its lower Cholesky factor M (H⁻¹ = M Mᵀ) gives U = Mᵀ.
            llt.solveInPlace(inverse);
        }
        inverse = 0.5 * (inverse + inverse.transpose()).eval();
        Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>> lltInverse(inverse);
        if (lltInverse.info() != Eigen::Success)
            continue;
        MatrixD U = lltInverse.matrixU();
        if (U.allFinite())
            return U;
    }
    throw Error("GPTQ: the Hessian is not positive definite even with 16% extra damping; the layer's "
                "activations are degenerate (increase the damping parameter)");
}

} // namespace salience
