#include "quant/lowrank/ActivationScaling.h"

#include "acts/Gram.h"
#include "base/Error.h"
#include "linalg/Svd.h"

#include <algorithm>
#include <cmath>

namespace salience {

namespace {

std::string widthProblem(const char* what, int64_t got, int64_t features)
{
    return std::string(what) + " have " + std::to_string(got) + " features but the layer takes " +
           std::to_string(features);
}

void checkInputs(const Matrix& X, int64_t features, const std::string& method)
{
    if (X.cols() != features)
        throw InputError(method, widthProblem("the layer's inputs", X.cols(), features));
    if (X.rows() < 1)
        throw InputError(method, "the layer's inputs have no tokens");
    if (!X.allFinite())
        throw InputError(method, "the layer's inputs contain NaN or infinity");
}

void checkGram(const LayerData& data, int64_t features, const std::string& method)
{
    if (data.gram->rows() != features || data.gram->cols() != features)
        throw InputError(method, "the Gram matrix is [" + std::to_string(data.gram->rows()) + ", " +
                                     std::to_string(data.gram->cols()) + "] but the layer takes " +
                                     std::to_string(features) + " features");
    if (data.gramTokens < 1)
        throw InputError(method, "the Gram matrix sums no tokens (gramTokens = " + std::to_string(data.gramTokens) + ")");
    if (!data.gram->allFinite())
        throw InputError(method, "the Gram matrix contains NaN or infinity");
}

void checkStats(const ChannelStats& s, int64_t features, const std::string& method)
{
    if (int64_t(s.channels()) != features)
        throw InputError(method, widthProblem("the channel statistics", int64_t(s.channels()), features));
    if (s.count < 1)
        throw InputError(method, "the channel statistics count no tokens");
    if (s.hasAbsSum() && int64_t(s.absSum.size()) != features)
        throw InputError(method, widthProblem("the abs_sum statistics", int64_t(s.absSum.size()), features));
}

std::string noActivations(const char* what)
{
    return "the activation-scaled variant needs the layer's " + std::string(what) +
           ": open or capture an activation file first (or use scaling 'none')";
}

Eigen::VectorXd checkedScale(Eigen::VectorXd s, const std::string& method)
{
    for (Eigen::Index j = 0; j < s.size(); ++j)
        if (!std::isfinite(s[j]) || s[j] < 0)
            throw InputError(method, "activation scale of channel " + std::to_string(j) + " is not a finite non-negative number");
    return s;
}

} // namespace

std::string scalingKindName(ScalingKind kind)
{
    switch (kind) {
    case ScalingKind::None: return "none";
    case ScalingKind::Diagonal: return "diag";
    case ScalingKind::Whitening: return "whiten";
    }
    return "?";
}

ScalingKind scalingKindFromIndex(double index, const std::string& method)
{
    if (index == 0.0)
        return ScalingKind::None;
    if (index == 1.0)
        return ScalingKind::Diagonal;
    if (index == 2.0)
        return ScalingKind::Whitening;
    throw InputError(method, "parameter 'scaling' must be 0 (none), 1 (diag) or 2 (whiten), got " + std::to_string(index));
}

MatrixD ActivationScaling::apply(const MatrixD& M) const
{
    switch (kind) {
    case ScalingKind::None: return M;
    case ScalingKind::Diagonal: return M * diagonal.asDiagonal();
    case ScalingKind::Whitening: return M * factor.triangularView<Eigen::Lower>();
    }
    return M;
}

Eigen::VectorXd ActivationScaling::columnWeights() const
{
    switch (kind) {
    case ScalingKind::None: return Eigen::VectorXd::Ones(features);
    case ScalingKind::Diagonal: return diagonal.array().square();
    case ScalingKind::Whitening: return factor.rowwise().squaredNorm(); // (C·Cᵀ)_jj
    }
    return Eigen::VectorXd::Ones(features);
}

ActivationScaling identityScaling(int64_t features)
{
    ActivationScaling s;
    s.kind = ScalingKind::None;
    s.features = features;
    return s;
}

ActivationScaling rmsScaling(const LayerData& data, int64_t features, const std::string& method)
{
    Eigen::VectorXd s(features);
    if (data.inputs) {
        checkInputs(*data.inputs, features, method);
        const Matrix& X = *data.inputs;
        s.setZero();
        for (Eigen::Index t = 0; t < X.rows(); ++t)
            for (Eigen::Index j = 0; j < features; ++j)
                s[j] += double(X(t, j)) * double(X(t, j));
        s = (s / double(X.rows())).cwiseSqrt();
    } else if (data.gram) {
        checkGram(data, features, method);
        s = (data.gram->diagonal() / double(data.gramTokens)).cwiseMax(0.0).cwiseSqrt();
    } else if (data.stats) {
        checkStats(*data.stats, features, method);
        const auto rms = data.stats->rms();
        for (int64_t j = 0; j < features; ++j)
            s[j] = rms[size_t(j)];
    } else {
        throw InputError(method, noActivations("inputs, Gram or channel statistics"));
    }
    ActivationScaling result;
    result.kind = ScalingKind::Diagonal;
    result.features = features;
    result.diagonal = checkedScale(std::move(s), method);
    return result;
}

ActivationScaling absMeanScaling(const LayerData& data, int64_t features, double alpha, const std::string& method)
{
    if (!(alpha >= 0.0 && alpha <= 4.0))
        throw InputError(method, "alpha must lie in [0, 4], got " + std::to_string(alpha));
    Eigen::VectorXd m(features);
    if (data.inputs) {
        checkInputs(*data.inputs, features, method);
        const Matrix& X = *data.inputs;
        m.setZero();
        for (Eigen::Index t = 0; t < X.rows(); ++t)
            for (Eigen::Index j = 0; j < features; ++j)
                m[j] += std::abs(double(X(t, j)));
        m /= double(X.rows());
    } else if (data.stats && data.stats->hasAbsSum()) {
        checkStats(*data.stats, features, method);
        for (int64_t j = 0; j < features; ++j)
            m[j] = data.stats->absSum[size_t(j)] / double(data.stats->count);
    } else {
        // Only squares are known (imatrix statistics, a Gram): the RMS stands in for mean|x|.
        m = rmsScaling(data, features, method).diagonal;
    }
    m = checkedScale(std::move(m), method);
    ActivationScaling result;
    result.kind = ScalingKind::Diagonal;
    result.features = features;
    result.diagonal = alpha == 0.0 ? Eigen::VectorXd::Ones(features) : Eigen::VectorXd(m.array().pow(alpha));
    return result;
}

std::optional<MatrixD> normalizedGram(const LayerData& data, int64_t features, const std::string& method)
{
    if (data.gram) {
        checkGram(data, features, method);
        return MatrixD(*data.gram / double(data.gramTokens));
    }
    if (data.inputs) {
        checkInputs(*data.inputs, features, method);
        return MatrixD(gram(*data.inputs) / double(data.inputs->rows()));
    }
    return std::nullopt;
}

ActivationScaling whiteningScaling(const LayerData& data, int64_t features, const std::string& method)
{
    std::optional<MatrixD> g = normalizedGram(data, features, method);
    if (!g)
        throw InputError(method, noActivations("inputs or Gram matrix (channel statistics cannot whiten)"));
    const double meanDiagonal = g->diagonal().mean();
    if (!(meanDiagonal > 0.0))
        throw InputError(method, "the layer's activations are all zero: there is nothing to whiten");
    ActivationScaling result;
    result.kind = ScalingKind::Whitening;
    result.features = features;
    // δ starts tiny (exactness) and grows only when rounding leaves G/n + δ·I not positive definite.
    for (double relative = 1e-6; relative <= 1.0; relative *= 10.0) {
        const double delta = relative * meanDiagonal;
        Eigen::MatrixXd damped = *g;
        damped.diagonal().array() += delta;
        Eigen::LLT<Eigen::MatrixXd> llt(damped);
        if (llt.info() == Eigen::Success) {
            result.factor = llt.matrixL();
            result.damping = delta;
            return result;
        }
    }
    throw InputError(method, "the Gram matrix of the layer's inputs is not positive semi-definite");
}

ActivationScaling makeScaling(ScalingKind kind, const LayerData& data, int64_t features, const std::string& method)
{
    switch (kind) {
    case ScalingKind::None: return identityScaling(features);
    case ScalingKind::Diagonal: return rmsScaling(data, features, method);
    case ScalingKind::Whitening: return whiteningScaling(data, features, method);
    }
    return identityScaling(features);
}

LowRankFactors projectionFactors(const MatrixD& M, const Eigen::MatrixXd& U, int64_t rank)
{
    rank = std::clamp<int64_t>(rank, 0, U.cols());
    LowRankFactors f;
    f.L = U.leftCols(rank);
    f.R = f.L.transpose() * M;
    // Balance: L's column has RMS 1/sqrt(out), R's row RMS ‖R_i‖/sqrt(in); scale both to meet.
    const double out = double(M.rows()), in = double(M.cols());
    for (int64_t i = 0; i < rank; ++i) {
        const double n = f.R.row(i).norm();
        if (!(n > 0.0))
            continue;
        const double c = std::sqrt(n * std::sqrt(out) / std::sqrt(in));
        f.L.col(i) *= c;
        f.R.row(i) /= c;
    }
    return f;
}

LowRankFactors scaledLowRank(const MatrixD& M, const ActivationScaling& scaling, int64_t rank)
{
    rank = std::clamp<int64_t>(rank, 0, std::min(M.rows(), M.cols()));
    if (rank == 0) {
        LowRankFactors f;
        f.L = MatrixD::Zero(M.rows(), 0);
        f.R = MatrixD::Zero(0, M.cols());
        return f;
    }
    const SvdResult svd = thinSvd(scaling.apply(M));
    return projectionFactors(M, svd.U, rank);
}

LowRankFactors concatenate(const LowRankFactors& a, const LowRankFactors& b)
{
    LowRankFactors f;
    f.L.resize(a.L.rows(), a.rank() + b.rank());
    f.L << a.L, b.L;
    f.R.resize(a.rank() + b.rank(), a.R.cols());
    f.R << a.R, b.R;
    return f;
}

void setLowRankFactors(QuantizedLinear& q, const LowRankFactors& factors, bool roundToHalf)
{
    q.lowRankL = factors.L.cast<float>();
    q.lowRankR = factors.R.cast<float>();
    if (roundToHalf)
        q.roundSideArraysToHalf();
}

void checkLowRankWeight(const Matrix& weight, const std::string& method)
{
    if (weight.rows() < 1 || weight.cols() < 1)
        throw InputError(method, "the weight is empty ([" + std::to_string(weight.rows()) + ", " +
                                     std::to_string(weight.cols()) + "])");
    if (!weight.allFinite())
        throw InputError(method, "the weight contains NaN or infinity");
}

} // namespace salience
