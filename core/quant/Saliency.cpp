#include "quant/Saliency.h"

#include "base/Error.h"
#include "linalg/Svd.h"
#include "quant/Hessian.h"
#include "quant/Rtn.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace salience {

namespace {

std::string sourceOf(SaliencyCriterion c) { return "saliency (" + saliencyCriterionName(c) + ")"; }

void requireUsableWeight(const Matrix& weight, const std::string& source)
{
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError(source, "weight matrix is empty");
    if (!weight.allFinite())
        throw InputError(source, "weight matrix holds a value that is not finite");
}

Matrix svdScores(const Matrix& weight, const SaliencyOptions& options, const std::string& source)
{
    if (options.svdRank < 1)
        throw InputError(source, "svd rank must be at least 1, got " + std::to_string(options.svdRank));
    const SvdResult svd = thinSvd(weight);
    const Eigen::Index k = std::min<Eigen::Index>(options.svdRank, svd.S.size());
    return truncatedReconstruction(svd, k).cwiseAbs().cast<float>();
}

// ‖X_j‖₂ over the tokens, from whichever the layer carries.
Eigen::VectorXd inputChannelNorms(const LayerData& data, int64_t in, const std::string& source)
{
    Eigen::VectorXd norms(in);
    if (data.inputs) {
        if (data.inputs->cols() != in)
            throw InputError(source, "the inputs have " + std::to_string(data.inputs->cols())
                                         + " features but the layer has " + std::to_string(in));
        norms = data.inputs->cast<double>().colwise().norm().transpose();
    } else if (data.gram) {
        if (data.gram->rows() != in || data.gram->cols() != in)
            throw InputError(source, "the Gram matrix is " + std::to_string(data.gram->rows()) + "×"
                                         + std::to_string(data.gram->cols()) + " but the layer has "
                                         + std::to_string(in) + " input features");
        for (int64_t j = 0; j < in; ++j)
            norms(j) = std::sqrt(std::max(0.0, (*data.gram)(j, j)));
    } else if (data.stats) {
        if (int64_t(data.stats->channels()) != in)
            throw InputError(source, "the channel statistics have " + std::to_string(data.stats->channels())
                                         + " channels but the layer has " + std::to_string(in));
        for (int64_t j = 0; j < in; ++j)
            norms(j) = std::sqrt(std::max(0.0, data.stats->sumSq[size_t(j)]));
    } else {
        throw InputError(source, "the awq criterion needs the layer's activations (inputs, Gram or channel "
                                 "statistics): open or capture an activation file first");
    }
    if (!norms.allFinite())
        throw InputError(source, "the layer's activations hold values that are not finite");
    return norms;
}

Matrix awqScores(const Matrix& weight, const LayerData& data, const std::string& source)
{
    const Eigen::VectorXd norms = inputChannelNorms(data, weight.cols(), source);
    Matrix scores(weight.rows(), weight.cols());
    for (Eigen::Index r = 0; r < weight.rows(); ++r)
        for (Eigen::Index c = 0; c < weight.cols(); ++c)
            scores(r, c) = float(std::min(std::abs(double(weight(r, c))) * norms(c),
                                           double(std::numeric_limits<float>::max())));
    return scores;
}

Matrix spqrScores(const Matrix& weight, const SaliencyOptions& options, const LayerData& data,
                  const std::string& source)
{
    if (options.spqrGroup < 1)
        throw InputError(source, "spqr group size must be at least 1, got " + std::to_string(options.spqrGroup));
    if (options.spqrBits < 2 || options.spqrBits > 8)
        throw InputError(source, "spqr bits must be between 2 and 8, got " + std::to_string(options.spqrBits));
    if (!std::isfinite(options.damp) || options.damp < 0.0)
        throw InputError(source, "damping must be a finite number >= 0");
    if (!data.inputs && !data.gram)
        throw InputError(source, "the spqr criterion needs the layer's inputs or their Gram matrix (channel "
                                 "statistics are not enough): open or capture an activation file with inputs");
    const int64_t in = weight.cols();
    if (data.gram && (data.gram->rows() != in || data.gram->cols() != in))
        throw InputError(source, "the Gram matrix is " + std::to_string(data.gram->rows()) + "×"
                                     + std::to_string(data.gram->cols()) + " but the layer has "
                                     + std::to_string(in) + " input features");
    if (!data.gram && data.inputs->cols() != in)
        throw InputError(source, "the inputs have " + std::to_string(data.inputs->cols())
                                     + " features but the layer has " + std::to_string(in));

    QuantGrid small;
    small.bits = options.spqrBits;
    small.symmetric = false;
    small.granularity = Granularity::PerGroup;
    small.groupSize = options.spqrGroup;
    const Matrix rounded = fakeQuantizeRtn(weight, small);

    const MatrixD H = layerHessian(data, in, options.damp);
    const MatrixD U = upperCholeskyOfInverse(H); // H⁻¹ = UᵀU, so [H⁻¹]_jj = Σ_i U_ij²
    const Eigen::VectorXd inverseDiagonal = U.colwise().squaredNorm().transpose();

    Matrix scores(weight.rows(), in);
    for (int64_t c = 0; c < in; ++c) {
        const double d = inverseDiagonal(c);
        if (!(d > 0.0) || !std::isfinite(d))
            throw Error(source + ": the inverse Hessian has a non-positive diagonal at column " + std::to_string(c));
        const double denominator = d * d;
        for (Eigen::Index r = 0; r < weight.rows(); ++r) {
            const double e = double(weight(r, c)) - double(rounded(r, c));
            // Clamped to float's range: a tiny [H⁻¹]_jj must not turn a score into inf.
            scores(r, c) = float(std::min(e * e / denominator, double(std::numeric_limits<float>::max())));
        }
    }
    return scores;
}

} // namespace

const std::vector<std::string>& saliencyCriterionNames()
{
    static const std::vector<std::string> names{"svd", "awq", "spqr", "magnitude"};
    return names;
}

std::string saliencyCriterionName(SaliencyCriterion criterion)
{
    const auto index = size_t(criterion);
    const auto& names = saliencyCriterionNames();
    return index < names.size() ? names[index] : std::string("unknown");
}

SaliencyCriterion saliencyCriterionFromName(std::string_view name)
{
    const auto& names = saliencyCriterionNames();
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == name)
            return SaliencyCriterion(i);
    throw InputError("saliency criterion", "unknown criterion '" + std::string(name) + "' (known: svd, awq, spqr, magnitude)");
}

SaliencyCriterion saliencyCriterionFromIndex(double index)
{
    const auto count = double(saliencyCriterionNames().size());
    if (!(index >= 0.0 && index < count) || index != std::floor(index))
        throw InputError("saliency criterion", "criterion index must be one of 0..3 (svd, awq, spqr, magnitude), got "
                                                   + std::to_string(index));
    return SaliencyCriterion(int(index));
}

bool saliencyNeedsActivations(SaliencyCriterion criterion)
{
    return criterion == SaliencyCriterion::Awq || criterion == SaliencyCriterion::Spqr;
}

Matrix saliencyScores(const Matrix& weight, SaliencyCriterion criterion, const SaliencyOptions& options,
                      const LayerData& data)
{
    const std::string source = sourceOf(criterion);
    requireUsableWeight(weight, source);
    switch (criterion) {
    case SaliencyCriterion::Svd:
        return svdScores(weight, options, source);
    case SaliencyCriterion::Awq:
        return awqScores(weight, data, source);
    case SaliencyCriterion::Spqr:
        return spqrScores(weight, options, data, source);
    case SaliencyCriterion::Magnitude:
        return weight.cwiseAbs();
    }
    throw InputError("saliency criterion", "unknown criterion");
}

} // namespace salience
