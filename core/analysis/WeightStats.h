#pragma once
// Descriptive statistics of a weight matrix [out_features, in_features]: how heavy its tails
// are (kurtosis, mass beyond 3σ and 6σ) and where its large values sit (per row, per column,
// outlier input columns).
#include "tensor/Tensor.h"

#include <cstdint>
#include <vector>

namespace salience {

struct WeightStats {
    int64_t rows = 0;
    int64_t cols = 0;
    // NaN/Inf weights are left out of every statistic below and counted here.
    int64_t nonFiniteCount = 0;

    // Per output row (size rows) and per input column (size cols).
    std::vector<double> rowAbsMax;
    std::vector<double> rowL2;
    std::vector<double> rowKurtosis; // excess; NaN for a constant row or one with no finite value
    std::vector<double> colAbsMax;
    std::vector<double> colL2;

    // Over all finite weights. Population moments (divide by the count).
    double mean = 0.0;
    double std = 0.0;
    double absMax = 0.0;
    double kurtosis = 0.0;           // excess: m4 / m2² − 3 (0 for a Gaussian); NaN if m2 = 0
    double fractionBeyond3Sigma = 0.0; // share of weights with |w − mean| > 3·std
    double fractionBeyond6Sigma = 0.0;

    // Columns whose abs-max exceeds outlierColumnFactor × the median column abs-max,
    // in increasing order.
    double outlierColumnFactor = 5.0;
    double medianColumnAbsMax = 0.0;
    std::vector<int64_t> outlierColumns;
};

// Throws InputError for a factor that is not finite and positive.
WeightStats weightStats(const Matrix& W, double outlierColumnFactor = 5.0);

// Excess kurtosis of a sequence (population moments): m4 / m2² − 3; NaN when it is constant
// or empty. Non-finite values are skipped.
double excessKurtosis(const float* data, size_t n);

} // namespace salience
