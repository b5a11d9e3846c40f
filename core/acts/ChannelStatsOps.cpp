#include "acts/ChannelStatsOps.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace salience {

ChannelStats channelStatsOf(const Matrix& X)
{
    const Eigen::Index cols = X.cols();
    Eigen::ArrayXd sumSq = Eigen::ArrayXd::Zero(cols);
    Eigen::ArrayXd absMax = Eigen::ArrayXd::Zero(cols);
    Eigen::ArrayXd absSum = Eigen::ArrayXd::Zero(cols);
    // Widen a block of rows at a time: double accuracy without a double copy of all of X.
    constexpr Eigen::Index blockRows = 512;
    for (Eigen::Index r = 0; r < X.rows(); r += blockRows) {
        const Eigen::Index n = std::min(blockRows, X.rows() - r);
        const Eigen::ArrayXXd block = X.middleRows(r, n).cast<double>().array().abs();
        sumSq += block.square().colwise().sum().transpose();
        absSum += block.colwise().sum().transpose();
        absMax = absMax.max(block.colwise().maxCoeff().transpose());
    }
    ChannelStats stats;
    stats.sumSq.assign(sumSq.data(), sumSq.data() + cols);
    stats.absMax.assign(absMax.data(), absMax.data() + cols);
    stats.absSum.assign(absSum.data(), absSum.data() + cols);
    stats.count = X.rows();
    return stats;
}

ChannelStats mergeChannelStats(const ChannelStats& a, const ChannelStats& b)
{
    const auto isEmpty = [](const ChannelStats& s) { return s.channels() == 0 && s.count == 0; };
    if (isEmpty(a))
        return b;
    if (isEmpty(b))
        return a;
    if (a.channels() != b.channels())
        throw std::invalid_argument("cannot merge channel statistics of " +
                                    std::to_string(a.channels()) + " and " +
                                    std::to_string(b.channels()) + " channels");
    ChannelStats m;
    m.count = a.count + b.count;
    m.sumSq.resize(a.channels());
    for (size_t j = 0; j < a.channels(); ++j)
        m.sumSq[j] = a.sumSq[j] + b.sumSq[j];
    if (a.absMax.size() == a.channels() && b.absMax.size() == a.channels()) {
        m.absMax.resize(a.channels());
        for (size_t j = 0; j < a.channels(); ++j)
            m.absMax[j] = std::max(a.absMax[j], b.absMax[j]);
    }
    if (a.absSum.size() == a.channels() && b.absSum.size() == a.channels()) {
        m.absSum.resize(a.channels());
        for (size_t j = 0; j < a.channels(); ++j)
            m.absSum[j] = a.absSum[j] + b.absSum[j];
    }
    return m;
}

} // namespace salience
