#include "quant/Awq.h"

#include "acts/Gram.h"
#include "base/Error.h"
#include "quant/Rtn.h"
#include "quant/SmoothQuant.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

namespace salience {

namespace {

const char* kSource = "awq";

void requireFinite(const std::vector<double>& v, const char* method, const char* what)
{
    for (size_t j = 0; j < v.size(); ++j)
        if (!std::isfinite(v[j]) || v[j] < 0.0)
            throw InputError(method, std::string(what) + " of channel " + std::to_string(j)
                                         + " is not a finite nonnegative number");
}

// ‖E·Xᵀ‖²/n, the output part of the objective, in the cheapest exact form the data allows
// (the tokens themselves, or their Gram), or the diagonal approximation from statistics.
class OutputError {
public:
    OutputError(const LayerData& data, int64_t in)
    {
        if (data.gram && data.gramTokens > 0) {
            if (data.gram->rows() != in || data.gram->cols() != in)
                throw InputError(kSource, "the Gram matrix is [" + std::to_string(data.gram->rows()) + ", "
                                              + std::to_string(data.gram->cols()) + "] but the layer takes "
                                              + std::to_string(in) + " features");
            m_kind = Kind::Gram;
            m_gram = data.gram;
            m_tokens = double(data.gramTokens);
        } else if (data.inputs) {
            const Matrix& X = *data.inputs;
            m_tokens = double(X.rows());
            // Per candidate the tokens cost tokens·out·in, the Gram out·in²: take the smaller.
            if (X.rows() <= X.cols()) {
                m_kind = Kind::Inputs;
                m_inputs = X.cast<double>();
            } else {
                m_kind = Kind::Gram;
                m_ownGram = gram(X);
                m_gram = &m_ownGram;
            }
        } else if (data.stats) {
            m_kind = Kind::Diagonal;
            m_tokens = double(data.stats->count);
            m_diagonal.resize(in);
            for (int64_t j = 0; j < in; ++j)
                m_diagonal[j] = data.stats->sumSq[size_t(j)] / m_tokens;
        } else {
            throw InputError(kSource, "needs the layer's input activations (inputs, Gram or statistics)");
        }
        for (Eigen::Index i = 0; m_gram && i < m_gram->size(); ++i)
            if (!std::isfinite(m_gram->data()[i]))
                throw InputError(kSource, "the Gram matrix holds a value that is not finite");
        if (!m_inputs.allFinite() || !m_diagonal.allFinite())
            throw InputError(kSource, "the activations hold a value that is not finite");
    }

    double total(const MatrixD& e) const { return rowsOnColumns(e, 0, e.cols()).sum(); }

    // Per row: the error of columns [begin, end) alone (the other columns' error taken as 0).
    Eigen::VectorXd rowsOnColumns(const MatrixD& e, int64_t begin, int64_t end) const
    {
        const int64_t len = end - begin;
        const auto eg = e.middleCols(begin, len);
        switch (m_kind) {
        case Kind::Inputs: {
            const MatrixD out = eg * m_inputs.middleCols(begin, len).transpose();
            return out.rowwise().squaredNorm() / m_tokens;
        }
        case Kind::Gram: {
            const MatrixD eG = eg * m_gram->block(begin, begin, len, len);
            return eG.cwiseProduct(eg).rowwise().sum() / m_tokens;
        }
        case Kind::Diagonal:
            break;
        }
        return (eg.array().square().rowwise() * m_diagonal.segment(begin, len).array())
            .rowwise()
            .sum()
            .matrix();
    }

private:
    enum class Kind { Inputs, Gram, Diagonal };
    Kind m_kind = Kind::Diagonal;
    MatrixD m_inputs;
    MatrixD m_ownGram;
    const MatrixD* m_gram = nullptr;
    Eigen::RowVectorXd m_diagonal;
    double m_tokens = 1.0;
};

// λ·Σ S_ij·E_ij², SARQC's saliency-weighted drift; zero when not asked for.
class SaliencyDrift {
public:
    SaliencyDrift(const AwqOptions& options, int64_t out, int64_t in)
    {
        if (!(options.saliencyLambda >= 0.0) || !std::isfinite(options.saliencyLambda))
            throw InputError(kSource, "saliency lambda must be a finite number >= 0");
        if (!options.saliency || options.saliencyLambda == 0.0)
            return;
        const Matrix& s = *options.saliency;
        if (s.rows() != out || s.cols() != in)
            throw InputError(kSource, "the saliency is [" + std::to_string(s.rows()) + ", " + std::to_string(s.cols())
                                          + "] but the weight is [" + std::to_string(out) + ", " + std::to_string(in)
                                          + "]");
        for (Eigen::Index i = 0; i < s.size(); ++i)
            if (!std::isfinite(s.data()[i]) || s.data()[i] < 0.0f)
                throw InputError(kSource, "saliency scores must be finite and nonnegative");
        m_weights = s.cast<double>() * options.saliencyLambda;
    }

    bool active() const { return m_weights.size() > 0; }

    Eigen::VectorXd rowsOnColumns(const MatrixD& e, int64_t begin, int64_t end) const
    {
        const int64_t len = end - begin;
        return e.middleCols(begin, len)
            .cwiseAbs2()
            .cwiseProduct(m_weights.middleCols(begin, len))
            .rowwise()
            .sum();
    }

private:
    MatrixD m_weights;
};

struct Objective {
    const OutputError& output;
    const SaliencyDrift& drift;

    Eigen::VectorXd rowsOnColumns(const MatrixD& e, int64_t begin, int64_t end) const
    {
        Eigen::VectorXd r = output.rowsOnColumns(e, begin, end);
        if (drift.active())
            r += drift.rowsOnColumns(e, begin, end);
        return r;
    }
    double total(const MatrixD& e) const { return rowsOnColumns(e, 0, e.cols()).sum(); }
};

// Ŵ = Q(W_s)·diag(s)⁻¹ computed exactly as QuantizedLinear::dequantize() does it.
Matrix unscaled(Matrix quantizedScaled, const std::vector<float>& s)
{
    for (Eigen::Index j = 0; j < quantizedScaled.cols(); ++j)
        quantizedScaled.col(j) /= s[size_t(j)];
    return quantizedScaled;
}

MatrixD errorOf(const Matrix& approx, const MatrixD& weight) { return approx.cast<double>() - weight; }

// The units of the clipping search: groups of the grid (a row × column range), or the whole
// matrix per tensor, with the max |w| of each.
struct ClipPlan {
    int64_t groupsPerRow = 1;
    bool perTensor = false;
    std::vector<double> maxAbs; // per (row, group), or one entry per tensor
};

// `scaled` with each unit clamped to ±ratio·max|unit|, with that unit's ratio.
Matrix clamped(const Matrix& scaled, const QuantGrid& grid, const ClipPlan& plan, const std::vector<double>& ratios)
{
    Matrix out = scaled;
    const int64_t in = scaled.cols();
    for (int64_t r = 0; r < scaled.rows(); ++r)
        for (int64_t g = 0; g < plan.groupsPerRow; ++g) {
            const size_t k = plan.perTensor ? 0 : size_t(r * plan.groupsPerRow + g);
            const float limit = float(ratios[k] * plan.maxAbs[k]);
            for (int64_t c = grid.groupBegin(g); c < grid.groupEnd(g, in); ++c)
                out(r, c) = std::clamp(out(r, c), -limit, limit);
        }
    return out;
}

} // namespace

std::vector<double> awqActivationMagnitude(const LayerData& data, int64_t inFeatures, const char* method)
{
    std::vector<double> m(size_t(std::max<int64_t>(inFeatures, 0)), 0.0);
    if (data.inputs) {
        const Matrix& X = *data.inputs;
        if (X.cols() != inFeatures)
            throw InputError(method, "the inputs have " + std::to_string(X.cols()) + " features but the layer takes "
                                         + std::to_string(inFeatures));
        if (X.rows() < 1)
            throw InputError(method, "the inputs hold no tokens");
        for (Eigen::Index t = 0; t < X.rows(); ++t)
            for (Eigen::Index j = 0; j < X.cols(); ++j)
                m[size_t(j)] += std::fabs(double(X(t, j)));
        for (auto& v : m)
            v /= double(X.rows());
    } else if (data.stats) {
        const ChannelStats& st = *data.stats;
        if (int64_t(st.channels()) != inFeatures)
            throw InputError(method, "the activation statistics have " + std::to_string(st.channels())
                                         + " channels but the layer takes " + std::to_string(inFeatures));
        if (st.count < 1)
            throw InputError(method, "the activation statistics count no tokens");
        if (st.hasAbsSum()) {
            if (st.absSum.size() != st.sumSq.size())
                throw InputError(method, "the activation statistics' abs_sum and sum_sq differ in length");
            for (size_t j = 0; j < m.size(); ++j)
                m[j] = st.absSum[j] / double(st.count);
        } else {
            m = st.rms(); // an imatrix has sums of squares only
        }
    } else if (data.gram && data.gramTokens > 0) {
        if (data.gram->rows() != inFeatures || data.gram->cols() != inFeatures)
            throw InputError(method, "the Gram matrix does not match the layer's " + std::to_string(inFeatures)
                                         + " features");
        for (int64_t j = 0; j < inFeatures; ++j)
            m[size_t(j)] = std::sqrt(std::max(0.0, (*data.gram)(j, j)) / double(data.gramTokens));
    } else {
        throw InputError(method, "needs the layer's input activations (inputs or statistics)");
    }
    requireFinite(m, method, "activation magnitude");
    return m;
}

std::vector<float> awqScales(const std::vector<double>& magnitude, double ratio)
{
    if (!(ratio >= 0.0 && ratio <= 1.0))
        throw InputError(kSource, "scale ratio must lie in [0, 1], got " + std::to_string(ratio));
    requireFinite(magnitude, kSource, "activation magnitude");
    std::vector<double> s(magnitude.size());
    for (size_t j = 0; j < s.size(); ++j)
        s[j] = std::max(std::pow(magnitude[j], ratio), 1e-4); // pow(0, 0) = 1
    std::vector<float> result(s.size(), 1.0f);
    if (s.empty())
        return result;
    const auto [lo, hi] = std::minmax_element(s.begin(), s.end());
    const double norm = std::sqrt(*lo * *hi);
    for (size_t j = 0; j < s.size(); ++j)
        result[j] = positiveHalfScale(s[j] / norm);
    return result;
}

QuantizedLinear quantizeAwq(const Matrix& weight, const RoundingTarget& target, const AwqOptions& options,
                            const LayerData& data, Progress& progress)
{
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError(kSource, "weight matrix is empty");
    target.validate(weight.cols());
    const QuantGrid& grid = target.grid;
    // ggml's quantizer searches every block's scale itself: nothing left for a clipping search.
    const bool clipSearch = options.clipSearch && !target.isGgml();
    if (!weight.allFinite())
        throw InputError(kSource, "the weight holds a value that is not finite");
    if (options.gridPoints < 1 || options.gridPoints > 1000)
        throw InputError(kSource, "grid points must lie in 1..1000, got " + std::to_string(options.gridPoints));
    if (options.clipSearch && (options.clipSteps < 1 || options.clipSteps > 1000))
        throw InputError(kSource, "clip steps must lie in 1..1000, got " + std::to_string(options.clipSteps));
    if (options.clipSearch && !(options.clipMinRatio > 0.0 && options.clipMinRatio <= 1.0))
        throw InputError(kSource, "clip minimum ratio must lie in (0, 1], got " + std::to_string(options.clipMinRatio));
    const int64_t out = weight.rows(), in = weight.cols();
    progress.throwIfCancelled();

    const std::vector<double> magnitude = awqActivationMagnitude(data, in, kSource);
    const OutputError outputError(data, in);
    const SaliencyDrift drift(options, out, in);
    const Objective objective{outputError, drift};
    const MatrixD weightD = weight.cast<double>();

    // Scale search. Ratio 0 (s = 1, plain RTN) comes first and wins ties.
    const double scaleShare = clipSearch ? 0.6 : 0.95;
    double bestObjective = std::numeric_limits<double>::infinity();
    double rtnObjective = 0.0;
    double bestRatio = 0.0;
    std::vector<float> bestScales;
    for (int i = 0; i < options.gridPoints; ++i) {
        progress.throwIfCancelled();
        const double ratio = double(i) / options.gridPoints;
        const std::vector<float> s = awqScales(magnitude, ratio);
        const Matrix approx = unscaled(fakeRoundOnto(scaleWeightColumns(weight, s), target.withColumnScales(s)), s);
        const double value = objective.total(errorOf(approx, weightD));
        if (i == 0)
            rtnObjective = value;
        if (value < bestObjective) {
            bestObjective = value;
            bestRatio = ratio;
            bestScales = s;
        }
        progress.report(scaleShare * (i + 1) / options.gridPoints, "awq: scale search");
    }

    Matrix scaled = scaleWeightColumns(weight, bestScales);

    if (clipSearch) {
        ClipPlan plan;
        plan.perTensor = grid.granularity == Granularity::PerTensor;
        plan.groupsPerRow = grid.groupsPerRow(in);
        if (plan.perTensor) {
            plan.maxAbs = {double(scaled.cwiseAbs().maxCoeff())};
        } else {
            plan.maxAbs.resize(size_t(out * plan.groupsPerRow));
            for (int64_t r = 0; r < out; ++r)
                for (int64_t g = 0; g < plan.groupsPerRow; ++g) {
                    const int64_t b = grid.groupBegin(g), e = grid.groupEnd(g, in);
                    plan.maxAbs[size_t(r * plan.groupsPerRow + g)] =
                        double(scaled.row(r).segment(b, e - b).cwiseAbs().maxCoeff());
                }
        }
        const size_t units = plan.maxAbs.size();
        std::vector<double> bestRatios(units, 1.0);
        std::vector<double> bestErrors(units, std::numeric_limits<double>::infinity());
        for (int k = 0; k <= options.clipSteps; ++k) {
            progress.throwIfCancelled();
            const double shrink = 1.0 - double(k) * (1.0 - options.clipMinRatio) / options.clipSteps;
            const std::vector<double> ratios(units, shrink);
            const Matrix approx = unscaled(fakeQuantizeRtn(clamped(scaled, grid, plan, ratios), grid), bestScales);
            const MatrixD e = errorOf(approx, weightD);
            if (plan.perTensor) {
                const double value = objective.total(e);
                if (value < bestErrors[0]) {
                    bestErrors[0] = value;
                    bestRatios[0] = shrink;
                }
            } else {
                for (int64_t g = 0; g < plan.groupsPerRow; ++g) {
                    const Eigen::VectorXd perRow = objective.rowsOnColumns(e, grid.groupBegin(g), grid.groupEnd(g, in));
                    for (int64_t r = 0; r < out; ++r) {
                        const size_t u = size_t(r * plan.groupsPerRow + g);
                        if (perRow[r] < bestErrors[u]) {
                            bestErrors[u] = perRow[r];
                            bestRatios[u] = shrink;
                        }
                    }
                }
            }
            progress.report(scaleShare + (0.95 - scaleShare) * (k + 1) / (options.clipSteps + 1), "awq: clipping search");
        }
        // Groups were chosen one at a time; keep the clipping only if the whole objective agrees.
        Matrix clippedScaled = clamped(scaled, grid, plan, bestRatios);
        const double clippedObjective =
            objective.total(errorOf(unscaled(fakeQuantizeRtn(clippedScaled, grid), bestScales), weightD));
        if (clippedObjective < bestObjective) {
            bestObjective = clippedObjective;
            scaled = std::move(clippedScaled);
        }
    }
    progress.throwIfCancelled();

    QuantizedLinear q = roundOnto(scaled, target.withColumnScales(bestScales), "awq");
    q.inputScale = bestScales;
    q.parameters["ratio"] = bestRatio;
    q.parameters["grid"] = options.gridPoints;
    q.parameters["clip"] = clipSearch ? 1.0 : 0.0;
    if (drift.active())
        q.parameters["lambda"] = options.saliencyLambda;
    q.parameters["objective"] = bestObjective;
    q.parameters["rtn_objective"] = rtnObjective;
    progress.report(1.0, "awq: done");
    return q;
}

MethodInfo awqMethodInfo()
{
    MethodInfo info;
    info.name = "awq";
    info.ggmlGrids = true;
    info.title = "AWQ (activation-aware scaling + RTN)";
    info.description =
        "Not all weights matter equally: the weights that meet large activations shape the output the most. "
        "AWQ multiplies each input column j of the weight by a scale s_j = (mean|X_j|)^r before rounding and "
        "divides it back afterwards, so columns that see large activations are rounded more finely. The "
        "exponent r is searched on a grid from 0 (plain round-to-nearest) towards 1, keeping the one whose "
        "rounded layer reproduces the layer's output on the calibration tokens best, so it is never worse than "
        "plain rounding there. An optional clipping search then shrinks each group's range a little where that "
        "lowers the output error. The scales cost 16 bits per input column.";
    info.needsActivations = true;
    info.params = {
        numberParam("grid", "Number of exponents tried between 0 and 1.", 20.0, 1.0, 100.0, true),
        numberParam("clip", "1: also search a clipping range per group; 0: no clipping.", 1.0, 0.0, 1.0, true),
    };
    return info;
}

QuantizedLinear quantizeAwqRecipe(const Matrix& weight, const Recipe& recipe, const LayerData& data,
                                  Progress& progress)
{
    // The recipe's value, else the default listed here (also before the registry knows "awq").
    const MethodInfo info = awqMethodInfo();
    auto param = [&](const char* name) {
        const auto it = recipe.params.find(name);
        return it != recipe.params.end() ? it->second : info.param(name)->defaultValue;
    };
    const double gridPoints = param("grid");
    if (!(gridPoints >= 1.0 && gridPoints <= 100.0) || gridPoints != std::floor(gridPoints))
        throw InputError(kSource, "grid must be a whole number in 1..100, got " + std::to_string(gridPoints));
    AwqOptions options;
    options.gridPoints = int(gridPoints);
    options.clipSearch = param("clip") != 0.0;
    return quantizeAwq(weight, roundingTarget(recipe, data, weight.cols()), options, data, progress);
}

} // namespace salience
