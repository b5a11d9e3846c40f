#include "quant/SmoothQuant.h"

#include "base/Error.h"
#include "quant/Rtn.h"
#include "tensor/Half.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace salience {

namespace {

const char* kSource = "smoothquant";

constexpr float kSmallestHalf = 5.9604644775390625e-8f; // 2^-24
constexpr float kLargestHalf = 65504.0f;

void checkScaleLength(const Matrix& m, const std::vector<float>& s, const char* what)
{
    if (int64_t(s.size()) != int64_t(m.cols()))
        throw InputError(kSource, std::string(what) + " has " + std::to_string(m.cols()) + " columns but there are "
                                      + std::to_string(s.size()) + " scales");
    for (size_t j = 0; j < s.size(); ++j)
        if (!(s[j] > 0.0f) || !std::isfinite(s[j]))
            throw InputError(kSource, "scale of column " + std::to_string(j) + " is not a positive finite number");
}

} // namespace

float positiveHalfScale(double s)
{
    if (!(s > 0.0) || std::isnan(s))
        return 1.0f;
    if (s >= double(kLargestHalf))
        return kLargestHalf;
    const float h = roundToHalf(float(s));
    return h > 0.0f ? h : kSmallestHalf;
}

std::vector<float> smoothQuantScales(const Matrix& weight, const std::vector<double>& activationAbsMax, double alpha)
{
    if (!(alpha >= 0.0 && alpha <= 1.0))
        throw InputError(kSource, "alpha must lie in [0, 1], got " + std::to_string(alpha));
    if (int64_t(activationAbsMax.size()) != int64_t(weight.cols()))
        throw InputError(kSource, "the layer has " + std::to_string(weight.cols()) + " input channels but the "
                                      "activations have " + std::to_string(activationAbsMax.size()));
    std::vector<float> s(activationAbsMax.size(), 1.0f);
    for (Eigen::Index j = 0; j < weight.cols(); ++j) {
        const double xMax = activationAbsMax[size_t(j)];
        if (!std::isfinite(xMax) || xMax < 0.0)
            throw InputError(kSource, "activation maximum of channel " + std::to_string(j) + " is not a finite "
                                          "nonnegative number");
        double wMax = 0.0;
        for (Eigen::Index i = 0; i < weight.rows(); ++i) {
            const float w = weight(i, j);
            if (!std::isfinite(w))
                throw InputError(kSource, "weight at row " + std::to_string(i) + ", column " + std::to_string(j)
                                              + " is not finite");
            wMax = std::max(wMax, double(std::fabs(w)));
        }
        if (xMax == 0.0 || wMax == 0.0)
            continue; // nothing to migrate: s = 1
        s[size_t(j)] = positiveHalfScale(std::pow(xMax, alpha) / std::pow(wMax, 1.0 - alpha));
    }
    return s;
}

std::vector<double> activationAbsMaxOf(const LayerData& data, int64_t inFeatures, const char* method)
{
    std::vector<double> result;
    if (data.inputs) {
        const Matrix& X = *data.inputs;
        if (X.cols() != inFeatures)
            throw InputError(method, "the inputs have " + std::to_string(X.cols()) + " features but the layer takes "
                                         + std::to_string(inFeatures));
        if (X.rows() < 1)
            throw InputError(method, "the inputs hold no tokens");
        result.assign(size_t(inFeatures), 0.0);
        for (Eigen::Index t = 0; t < X.rows(); ++t)
            for (Eigen::Index j = 0; j < X.cols(); ++j)
                result[size_t(j)] = std::max(result[size_t(j)], double(std::fabs(X(t, j))));
        return result;
    }
    if (data.stats && data.stats->hasAbsMax()) {
        if (int64_t(data.stats->absMax.size()) != inFeatures)
            throw InputError(method, "the activation statistics have " + std::to_string(data.stats->absMax.size())
                                         + " channels but the layer takes " + std::to_string(inFeatures));
        return data.stats->absMax;
    }
    if (data.stats)
        throw InputError(method, "needs each input channel's maximum |x|, but the activation statistics have only "
                                 "sums of squares (as an imatrix file); capture activations with the model instead");
    throw InputError(method, "needs the layer's input activations (inputs or statistics with abs_max)");
}

Matrix scaleWeightColumns(const Matrix& weight, const std::vector<float>& s)
{
    checkScaleLength(weight, s, "weight");
    Matrix out = weight;
    for (Eigen::Index j = 0; j < out.cols(); ++j)
        out.col(j) *= s[size_t(j)];
    return out;
}

Matrix scaleInputs(const Matrix& X, const std::vector<float>& s)
{
    checkScaleLength(X, s, "inputs");
    Matrix out = X;
    for (Eigen::Index j = 0; j < out.cols(); ++j)
        out.col(j) /= s[size_t(j)];
    return out;
}

QuantizedLinear quantizeSmoothQuant(const Matrix& weight, const RoundingTarget& target, const SmoothQuantOptions& options,
                                    const LayerData& data, Progress& progress)
{
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError(kSource, "weight matrix is empty");
    target.validate(weight.cols());
    if (!(options.alpha >= 0.0 && options.alpha <= 1.0))
        throw InputError(kSource, "alpha must lie in [0, 1], got " + std::to_string(options.alpha));
    progress.throwIfCancelled();
    const std::vector<double> xMax = activationAbsMaxOf(data, weight.cols(), kSource);
    const std::vector<float> s = smoothQuantScales(weight, xMax, options.alpha);
    progress.report(0.3, "smoothquant: scales");
    progress.throwIfCancelled();

    QuantizedLinear q = roundOnto(scaleWeightColumns(weight, s), target.withColumnScales(s), "smoothquant");
    q.inputScale = s;
    q.parameters["alpha"] = options.alpha;
    progress.report(1.0, "smoothquant: done");
    return q;
}

MethodInfo smoothQuantMethodInfo()
{
    MethodInfo info;
    info.name = "smoothquant";
    info.ggmlGrids = true;
    info.title = "SmoothQuant scaling + RTN";
    info.description =
        "A few input channels of a layer carry activations far larger than the rest, which makes the "
        "activations hard to quantize. SmoothQuant divides each input channel j by a scale "
        "s_j = max|X_j|^alpha / max|W_j|^(1-alpha) and multiplies the matching weight column by the same s_j, "
        "so the layer's output is exactly unchanged before rounding: the difficulty moves from the activations "
        "to the weights. The scaled weights are then rounded to nearest. alpha = 0.5 splits the difficulty "
        "evenly; the scales are stored (16 bits per input column) and can be folded into the previous layer.";
    info.needsActivations = true;
    info.params = {numberParam("alpha",
                               "Migration strength: 0 leaves the activations alone, 1 moves all of their range "
                               "into the weights.",
                               0.5, 0.0, 1.0, false)};
    return info;
}

QuantizedLinear quantizeSmoothQuantRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                          Progress& progress)
{
    SmoothQuantOptions options;
    // The recipe's value, else the default (also before the registry knows "smoothquant").
    const auto it = recipe.params.find("alpha");
    options.alpha = it != recipe.params.end() ? it->second : smoothQuantMethodInfo().param("alpha")->defaultValue;
    return quantizeSmoothQuant(weight, roundingTarget(recipe, data, weight.cols()), options, data, progress);
}

} // namespace salience
