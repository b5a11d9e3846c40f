#include "MaxAbsPooling.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace salience::widgets {

PooledMatrix maxAbsPool(const Matrix& values, int maxCells, bool keepSign)
{
    PooledMatrix pooled;
    pooled.sourceRows = values.rows();
    pooled.sourceCols = values.cols();
    if (values.rows() == 0 || values.cols() == 0)
        return pooled;
    const int64_t cells = std::max(1, maxCells);
    pooled.blockRows = (values.rows() + cells - 1) / cells;
    pooled.blockCols = (values.cols() + cells - 1) / cells;
    pooled.rows = int((values.rows() + pooled.blockRows - 1) / pooled.blockRows);
    pooled.cols = int((values.cols() + pooled.blockCols - 1) / pooled.blockCols);

    const double nan = std::numeric_limits<double>::quiet_NaN();
    pooled.values.assign(size_t(pooled.rows) * size_t(pooled.cols), nan);
    // Largest |x| seen per display cell; -1 means "only NaNs so far".
    std::vector<double> best(pooled.values.size(), -1.0);
    for (int64_t r = 0; r < values.rows(); ++r) {
        const size_t rowOffset = size_t(r / pooled.blockRows) * size_t(pooled.cols);
        const float* row = values.data() + r * values.cols();
        for (int64_t c = 0; c < values.cols(); ++c) {
            const double x = row[c];
            const double magnitude = std::abs(x);
            if (std::isnan(magnitude))
                continue;
            const size_t cell = rowOffset + size_t(c / pooled.blockCols);
            if (magnitude > best[cell]) {
                best[cell] = magnitude;
                pooled.values[cell] = keepSign ? x : magnitude;
            }
        }
    }
    return pooled;
}

} // namespace salience::widgets
