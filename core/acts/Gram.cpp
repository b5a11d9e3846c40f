#include "acts/Gram.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace salience {

MatrixD gram(const Matrix& X)
{
    GramAccumulator accumulator(X.cols());
    accumulator.add(X);
    return accumulator.gram();
}

GramAccumulator::GramAccumulator(int64_t features)
{
    if (features < 0)
        throw std::invalid_argument("GramAccumulator: negative width");
    ensureWidth(features);
}

void GramAccumulator::ensureWidth(int64_t features)
{
    if (m_features < 0) {
        m_features = features;
        m_lower = Eigen::MatrixXd::Zero(features, features);
    } else if (features != m_features) {
        throw std::invalid_argument("GramAccumulator: a batch of width " + std::to_string(features) +
                                    " added to a sum of width " + std::to_string(m_features));
    }
}

void GramAccumulator::add(const Matrix& rows)
{
    ensureWidth(rows.cols());
    // Widen a block of rows at a time and let Eigen's symmetric rank-k update fill only the
    // lower triangle: half the work of a full product, double accuracy, bounded memory.
    constexpr Eigen::Index blockRows = 1024;
    for (Eigen::Index r = 0; r < rows.rows(); r += blockRows) {
        const Eigen::Index n = std::min(blockRows, rows.rows() - r);
        const Eigen::MatrixXd block = rows.middleRows(r, n).cast<double>();
        m_lower.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
    }
    m_count += rows.rows();
}

void GramAccumulator::add(const GramAccumulator& other)
{
    if (other.m_features < 0)
        return;
    ensureWidth(other.m_features);
    m_lower += other.m_lower; // both hold zeros above the diagonal
    m_count += other.m_count;
}

MatrixD GramAccumulator::gram() const
{
    if (m_features < 0)
        return MatrixD(0, 0);
    MatrixD full = m_lower.selfadjointView<Eigen::Lower>();
    return full;
}

} // namespace salience
