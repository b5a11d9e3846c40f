#include "quant/Sarqc.h"

#include "acts/Gram.h"
#include "base/Error.h"
#include "quant/Hessian.h"

#include <cmath>
#include <string>
#include <vector>

namespace salience {

namespace {

constexpr double kMaxLambda = 1000.0;

void checkLambda(double lambda, const char* source)
{
    if (!std::isfinite(lambda) || lambda < 0.0 || lambda > kMaxLambda)
        throw InputError(source, "lambda must lie in [0, 1000]");
}

// The parameters SARQC adds to GPTQ's or AWQ's.
std::vector<ParamSpec> sarqcParams()
{
    return {
        numberParam("lambda", "Weight λ of the saliency-weighted drift; 0 gives the plain method", 1.0, 0.0,
                    kMaxLambda, false),
        choiceParam("criterion", "Which weights are salient: svd, awq, spqr or magnitude", saliencyCriterionNames(),
                    0),
        numberParam("svd_rank", "Rank k of the reconstruction the svd criterion scores", 8, 1, 4096, true),
    };
}

// The recipe's value, else the default of `info` (so the mapping works before the registry
// knows the method).
double paramOf(const Recipe& recipe, const MethodInfo& info, const char* name)
{
    if (const auto it = recipe.params.find(name); it != recipe.params.end())
        return it->second;
    const ParamSpec* p = info.param(name);
    return p ? p->defaultValue : 0.0;
}

double wholeParam(const Recipe& recipe, const MethodInfo& info, const char* name, double lo, double hi)
{
    const double v = paramOf(recipe, info, name);
    if (!(v >= lo && v <= hi) || v != std::floor(v))
        throw InputError(info.name, std::string("parameter '") + name + "' must be a whole number in ["
                                        + std::to_string(int64_t(lo)) + ", " + std::to_string(int64_t(hi)) + "]");
    return v;
}

SarqcOptions sarqcOptionsOf(const Recipe& recipe, const MethodInfo& info)
{
    SarqcOptions options;
    options.lambda = paramOf(recipe, info, "lambda");
    checkLambda(options.lambda, info.name.c_str());
    options.criterion = saliencyCriterionFromIndex(paramOf(recipe, info, "criterion"));
    options.saliency.svdRank = int(wholeParam(recipe, info, "svd_rank", 1, 4096));
    return options;
}

void recordSarqc(QuantizedLinear& q, const char* method, const SarqcOptions& options)
{
    q.method = method;
    q.parameters["lambda"] = options.lambda;
    q.parameters["criterion"] = double(int(options.criterion));
    if (options.criterion == SaliencyCriterion::Svd)
        q.parameters["svd_rank"] = options.saliency.svdRank;
}

// mean_j (XᵀX/n)_jj from what the layer carries, in AWQ's order of preference.
double meanInputEnergy(const LayerData& data, int64_t in)
{
    const char* source = "sarqc-awq";
    if (data.gram && data.gramTokens > 0) {
        if (data.gram->rows() != in || data.gram->cols() != in)
            throw InputError(source, "the Gram matrix does not have the layer's " + std::to_string(in) + " input features");
        return data.gram->diagonal().sum() / double(data.gramTokens) / double(in);
    }
    if (data.inputs) {
        if (data.inputs->cols() != in)
            throw InputError(source, "the inputs do not have the layer's " + std::to_string(in) + " input features");
        if (data.inputs->rows() < 1)
            throw InputError(source, "the layer's inputs hold no tokens");
        return data.inputs->cast<double>().squaredNorm() / double(data.inputs->rows()) / double(in);
    }
    if (data.stats) {
        if (int64_t(data.stats->channels()) != in)
            throw InputError(source, "the channel statistics do not have the layer's " + std::to_string(in)
                                         + " input features");
        if (data.stats->count < 1)
            throw InputError(source, "the channel statistics hold no tokens");
        double sum = 0.0;
        for (double v : data.stats->sumSq)
            sum += v;
        return sum / double(data.stats->count) / double(in);
    }
    throw InputError(source, "needs the layer's activations (inputs, Gram or statistics)");
}

} // namespace

MatrixD sarqcHessian(const MatrixD& hessian, const Matrix& scores, double lambda)
{
    const char* source = "sarqc-gptq";
    checkLambda(lambda, source);
    const int64_t in = hessian.rows();
    if (hessian.cols() != in || scores.cols() != in || scores.rows() < 1)
        throw InputError(source, "the scores are [" + std::to_string(scores.rows()) + ", " + std::to_string(scores.cols())
                                     + "] and the Hessian [" + std::to_string(hessian.rows()) + ", "
                                     + std::to_string(hessian.cols()) + "]: they must be [out, in] and [in, in]");
    MatrixD result = hessian;
    if (lambda == 0.0 || in == 0)
        return result;
    const Eigen::VectorXd columnMean = scores.cast<double>().colwise().mean().transpose();
    const double meanScore = columnMean.mean();
    if (!(meanScore > 0.0) || !std::isfinite(meanScore))
        return result; // no saliency anywhere: nothing to add
    const double factor = hessian.diagonal().mean() / meanScore;
    result.diagonal() += lambda * factor * columnMean;
    return result;
}

Matrix sarqcNormalizedScores(const Matrix& scores, const LayerData& data)
{
    const double energy = meanInputEnergy(data, scores.cols());
    const double meanScore = scores.size() > 0 ? scores.cast<double>().mean() : 0.0;
    if (!(meanScore > 0.0) || !std::isfinite(meanScore) || !std::isfinite(energy))
        return Matrix::Zero(scores.rows(), scores.cols());
    return (scores.cast<double>() * (energy / meanScore)).cast<float>();
}

double saliencyWeightedDrift(const Matrix& weight, const Matrix& approx, const Matrix& scores)
{
    if (weight.rows() != approx.rows() || weight.cols() != approx.cols() || weight.rows() != scores.rows()
        || weight.cols() != scores.cols())
        throw InputError("sarqc", "weight, approximation and scores must have the same shape");
    const MatrixD e = weight.cast<double>() - approx.cast<double>();
    return (e.array().square() * scores.cast<double>().array()).sum();
}

QuantizedLinear quantizeSarqcGptq(const Matrix& weight, const RoundingTarget& target, const SarqcOptions& options,
                                  const GptqOptions& gptq, const LayerData& data, Progress& progress)
{
    checkLambda(options.lambda, "sarqc-gptq");
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError("sarqc-gptq", "weight matrix is empty");
    target.validate(weight.cols());
    const QuantGrid& grid = target.grid;
    const int64_t in = weight.cols();
    progress.throwIfCancelled();

    if (target.isGgml() && *target.ggmlType == GgmlType::F16) {
        // llama-quantize's last fallback: nothing to choose levels on.
        QuantizedLinear q = roundOnto(weight, target, "sarqc-gptq");
        recordSarqc(q, "sarqc-gptq", options);
        return q;
    }
    if (options.lambda == 0.0) {
        // No saliency term: GPTQ itself (its RTN guard then judges by the undamped data loss).
        QuantizedLinear q = target.isGgml() ? quantizeGptqGgml(weight, *target.ggmlType, gptq, data, progress)
                                            : quantizeGptq(weight, grid, gptq, data, progress);
        if (target.fallback)
            q.parameters["fallback"] = 1.0;
        recordSarqc(q, "sarqc-gptq", options);
        return q;
    }

    // quantizeGptq's preparation (Gram once, H, dead columns zeroed), then H' instead of H.
    MatrixD computedGram;
    const LayerData withGram = salience::withGram(data, in, computedGram);
    HessianColumns columns;
    const MatrixD H = layerHessian(withGram, in, gptq.damp, &columns);
    Matrix live = weight;
    for (int64_t j = 0; j < in; ++j)
        if (columns.dead[size_t(j)])
            live.col(j).setZero();
    progress.throwIfCancelled();
    progress.report(0.1, "SARQC: saliency");

    SaliencyOptions saliency = options.saliency;
    saliency.spqrBits = grid.bits;
    saliency.damp = gptq.damp;
    const Matrix scores = saliencyScores(weight, options.criterion, saliency, withGram);
    const MatrixD regularized = sarqcHessian(H, scores, options.lambda);
    progress.throwIfCancelled();
    progress.report(0.3, "SARQC: GPTQ");

    Progress rest = progress.child(0.3, 1.0);
    QuantizedLinear q;
    if (target.isGgml()) {
        // The blocks' scales under the layer's imatrix (diag(XᵀX)/n), as GPTQ onto ggml has them.
        q = quantizeGptqGgmlWithHessian(live, *target.ggmlType, gptq, regularized, &columns.meanSquares, rest);
        if (target.fallback)
            q.parameters["fallback"] = 1.0;
    } else {
        q = quantizeGptqWithHessian(live, grid, gptq, regularized, rest);
    }
    recordSarqc(q, "sarqc-gptq", options);
    progress.report(1.0, "SARQC");
    return q;
}

QuantizedLinear quantizeSarqcAwq(const Matrix& weight, const RoundingTarget& target, const SarqcOptions& options,
                                 const AwqOptions& awq, const LayerData& data, Progress& progress)
{
    checkLambda(options.lambda, "sarqc-awq");
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError("sarqc-awq", "weight matrix is empty");
    target.validate(weight.cols());
    const QuantGrid& grid = target.grid;
    progress.throwIfCancelled();

    AwqOptions withSaliency = awq;
    withSaliency.saliency = nullptr;
    withSaliency.saliencyLambda = 0.0;
    Matrix normalized;
    if (options.lambda > 0.0) {
        SaliencyOptions saliency = options.saliency;
        saliency.spqrBits = grid.bits;
        normalized = sarqcNormalizedScores(saliencyScores(weight, options.criterion, saliency, data), data);
        withSaliency.saliency = &normalized;
        withSaliency.saliencyLambda = options.lambda;
    }
    progress.throwIfCancelled();
    progress.report(0.2, "SARQC: AWQ");

    Progress rest = progress.child(0.2, 1.0);
    QuantizedLinear q = quantizeAwq(weight, target, withSaliency, data, rest);
    recordSarqc(q, "sarqc-awq", options);
    progress.report(1.0, "SARQC");
    return q;
}

MethodInfo sarqcGptqMethodInfo()
{
    MethodInfo info;
    info.name = "sarqc-gptq";
    info.ggmlGrids = true;
    info.title = "SARQC (GPTQ form)";
    info.description =
        "GPTQ with a saliency penalty: besides keeping the layer's output close, it keeps the weights a "
        "criterion calls salient (svd, awq, spqr or magnitude) close to their original values, weighted by "
        "λ. The penalty enters GPTQ's Hessian as extra weight on the diagonal, one value per input column "
        "(the saliency averaged over the rows, scaled so that λ = 1 weighs it like the data), because GPTQ "
        "shares one Hessian across all rows. λ = 0 is plain GPTQ. Needs the layer's inputs (or their Gram).";
    info.usesGrid = true;
    info.needsActivations = true;
    info.params = sarqcParams();
    for (const auto& p : gptqMethodInfo().params)
        info.params.push_back(p);
    return info;
}

MethodInfo sarqcAwqMethodInfo()
{
    MethodInfo info;
    info.name = "sarqc-awq";
    info.ggmlGrids = true;
    info.title = "SARQC (AWQ form)";
    info.description =
        "AWQ whose scale and clipping searches minimise the output error plus λ times the saliency-weighted "
        "drift of the weights, Σ s·(W − Ŵ)², with the saliency from a criterion (svd, awq, spqr or magnitude) "
        "scaled so that λ = 1 weighs it like the data. Unlike the GPTQ form this uses every weight's own "
        "score. λ = 0 is plain AWQ. Needs the layer's activations.";
    info.usesGrid = true;
    info.needsActivations = true;
    info.params = sarqcParams();
    for (const auto& p : awqMethodInfo().params)
        info.params.push_back(p);
    return info;
}

QuantizedLinear quantizeSarqcGptqRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                        Progress& progress)
{
    const MethodInfo info = sarqcGptqMethodInfo();
    const SarqcOptions options = sarqcOptionsOf(recipe, info);
    GptqOptions gptq;
    gptq.damp = paramOf(recipe, info, "damp");
    if (const ParamSpec* block = info.param("block"))
        gptq.blockSize = int64_t(wholeParam(recipe, info, "block", block->minValue, block->maxValue));
    gptq.actOrder = paramOf(recipe, info, "act_order") != 0.0;
    gptq.staticGroups = paramOf(recipe, info, "static_groups") != 0.0;
    if (info.param("rtn_guard"))
        gptq.rtnGuard = paramOf(recipe, info, "rtn_guard") != 0.0;
    return quantizeSarqcGptq(weight, roundingTarget(recipe, data, weight.cols()), options, gptq, data, progress);
}

QuantizedLinear quantizeSarqcAwqRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                       Progress& progress)
{
    const MethodInfo info = sarqcAwqMethodInfo();
    const SarqcOptions options = sarqcOptionsOf(recipe, info);
    AwqOptions awq;
    if (const ParamSpec* grid = info.param("grid"))
        awq.gridPoints = int(wholeParam(recipe, info, "grid", grid->minValue, grid->maxValue));
    awq.clipSearch = paramOf(recipe, info, "clip") != 0.0;
    return quantizeSarqcAwq(weight, roundingTarget(recipe, data, weight.cols()), options, awq, data, progress);
}

} // namespace salience
