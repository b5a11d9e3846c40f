#include "analysis/Spectrum.h"

#include "base/Error.h"
#include "linalg/RandomizedSvd.h"
#include "linalg/Svd.h"
#include "base/Progress.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

namespace salience {

double Spectrum::energyKept(size_t k) const
{
    if (k >= cumulativeEnergy.size())
        return partial && !cumulativeEnergy.empty() ? cumulativeEnergy.back() : 1.0;
    if (k == 0)
        return frobeniusNormSquared > 0.0 ? 0.0 : 1.0;
    return cumulativeEnergy[k - 1];
}

size_t Spectrum::rankForEnergy(double fraction) const
{
    if (!(fraction >= 0.0 && fraction <= 1.0))
        throw InputError("energy fraction",
                         "must be between 0 and 1 (got " + std::to_string(fraction) + ")");
    if (fraction == 0.0 || frobeniusNormSquared == 0.0)
        return 0;
    // cumulativeEnergy is non-decreasing and ends at exactly 1 unless partial.
    const auto it = std::lower_bound(cumulativeEnergy.begin(), cumulativeEnergy.end(), fraction);
    if (it == cumulativeEnergy.end())
        return cumulativeEnergy.size();
    return size_t(it - cumulativeEnergy.begin()) + 1;
}

Spectrum spectrumFromSingularValues(std::vector<double> values, int64_t rows, int64_t cols)
{
    for (double v : values)
        if (!(std::isfinite(v) && v >= 0.0))
            throw InputError("singular values",
                             "must be finite and >= 0 (got " + std::to_string(v) + ")");
    std::sort(values.begin(), values.end(), std::greater<>());

    Spectrum s;
    s.rows = rows;
    s.cols = cols;
    s.singularValues = std::move(values);
    const auto& sv = s.singularValues;
    s.cumulativeEnergy.resize(sv.size());
    double energy = 0.0, sum = 0.0;
    for (size_t i = 0; i < sv.size(); ++i) {
        energy += sv[i] * sv[i];
        sum += sv[i];
        s.cumulativeEnergy[i] = energy;
    }
    s.frobeniusNormSquared = energy;
    s.totalValues = rows > 0 && cols > 0 ? std::min(rows, cols) : int64_t(sv.size());
    // Dividing by the last partial sum itself makes the final share exactly 1.
    for (double& e : s.cumulativeEnergy)
        e = energy > 0.0 ? e / energy : 1.0;
    if (energy == 0.0)
        return s;

    s.stableRank = energy / (sv[0] * sv[0]);
    double entropy = 0.0;
    for (double v : sv)
        if (v > 0.0) {
            const double p = v / sum;
            entropy -= p * std::log(p);
        }
    s.effectiveRank = std::exp(entropy);
    return s;
}

Spectrum spectrum(const Matrix& W, SvdPrecision precision)
{
    Progress unwatched;
    return spectrum(W, unwatched, precision);
}

Spectrum spectrum(const Matrix& W, Progress& progress, SvdPrecision precision)
{
    progress.throwIfCancelled();
    progress.report(0.0, "singular values");
    const Eigen::VectorXd values = singularValues(W, precision);
    progress.throwIfCancelled();
    Spectrum s = spectrumFromSingularValues(std::vector<double>(values.begin(), values.end()),
                                            W.rows(), W.cols());
    progress.report(1.0, "singular values");
    return s;
}

namespace {

Spectrum partialSpectrum(const TopSingularValues& top, int64_t rows, int64_t cols)
{
    Spectrum s;
    s.rows = rows;
    s.cols = cols;
    s.partial = true;
    s.totalValues = std::min(rows, cols);
    s.singularValues = top.values;
    s.frobeniusNormSquared = top.totalEnergy;
    s.missedEnergy = top.missedEnergy;
    double energy = 0.0;
    for (double v : s.singularValues) {
        energy += v * v;
        s.cumulativeEnergy.push_back(top.totalEnergy > 0.0 ? std::min(1.0, energy / top.totalEnergy) : 1.0);
    }
    if (top.totalEnergy > 0.0 && !s.singularValues.empty() && s.singularValues[0] > 0.0)
        s.stableRank = top.totalEnergy / (s.singularValues[0] * s.singularValues[0]);
    return s;
}

Matrix scaledColumns(const Matrix& W, const std::vector<double>& s)
{
    if (s.size() != size_t(W.cols()))
        throw InputError("activation scales",
                         std::to_string(s.size()) + " scales for a weight with " + std::to_string(W.cols()) +
                             " input columns");
    for (size_t j = 0; j < s.size(); ++j)
        if (!std::isfinite(s[j]))
            throw InputError("activation scales", "scale " + std::to_string(j) + " is not finite");
    Matrix out(W.rows(), W.cols());
    for (Eigen::Index j = 0; j < W.cols(); ++j)
        out.col(j) = (W.col(j).cast<double>() * s[size_t(j)]).cast<float>();
    return out;
}

} // namespace

Spectrum topSpectrum(const Matrix& W, int64_t k, Progress& progress)
{
    if (k >= std::min<int64_t>(W.rows(), W.cols()))
        return spectrum(W, progress);
    progress.throwIfCancelled();
    progress.report(0.0, "largest singular values");
    Spectrum s = partialSpectrum(topSingularValues(W, k), W.rows(), W.cols());
    progress.report(1.0, "largest singular values");
    return s;
}

Spectrum topSpectrum(const Matrix& W, const std::vector<double>& s, int64_t k, Progress& progress)
{
    if (k >= std::min<int64_t>(W.rows(), W.cols()))
        return spectrum(W, s, progress);
    const Matrix scaled = scaledColumns(W, s);
    progress.throwIfCancelled();
    progress.report(0.0, "largest singular values of the activation-scaled weight");
    Spectrum result = partialSpectrum(topSingularValues(scaled, k), W.rows(), W.cols());
    progress.report(1.0, "largest singular values of the activation-scaled weight");
    return result;
}

Spectrum spectrum(const Matrix& W, const std::vector<double>& s, SvdPrecision precision)
{
    Progress unwatched;
    return spectrum(W, s, unwatched, precision);
}

Spectrum spectrum(const Matrix& W, const std::vector<double>& s, Progress& progress, SvdPrecision precision)
{
    if (s.size() != size_t(W.cols()))
        throw InputError("activation scales",
                         std::to_string(s.size()) + " scales for a weight with " +
                             std::to_string(W.cols()) + " input columns");
    for (size_t j = 0; j < s.size(); ++j)
        if (!std::isfinite(s[j]))
            throw InputError("activation scales",
                             "scale " + std::to_string(j) + " is not finite");
    progress.throwIfCancelled();
    progress.report(0.0, "singular values of the activation-scaled weight");
    // Scale in double: a float product can overflow or lose the small channels.
    const Eigen::Map<const Eigen::VectorXd> scales(s.data(), Eigen::Index(s.size()));
    const MatrixD scaled = W.cast<double>() * scales.asDiagonal();
    const bool fitsFloat = scaled.cwiseAbs().maxCoeff() < double(std::numeric_limits<float>::max()) / 4;
    const Eigen::VectorXd values = precision == SvdPrecision::Float && fitsFloat
        ? singularValues(Matrix(scaled.cast<float>()), SvdPrecision::Float)
        : singularValues(scaled);
    progress.throwIfCancelled();
    Spectrum result = spectrumFromSingularValues(
        std::vector<double>(values.begin(), values.end()), W.rows(), W.cols());
    progress.report(1.0, "singular values of the activation-scaled weight");
    return result;
}

} // namespace salience
