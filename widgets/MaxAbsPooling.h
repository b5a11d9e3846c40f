#pragma once
// Shrinking a large matrix for display: each display cell stands for a block of the original
// and shows the element of largest magnitude in it, so that a single outlier weight stays
// visible however far the matrix is shrunk (averaging would wash it out).
#include "tensor/Tensor.h"

#include <cstdint>
#include <vector>

namespace salience::widgets {

struct PooledMatrix {
    int64_t sourceRows = 0;
    int64_t sourceCols = 0;
    int64_t blockRows = 1; // original rows per display row (the last block may be shorter)
    int64_t blockCols = 1;
    int rows = 0; // display size
    int cols = 0;
    // rows × cols, row-major. Magnitude: max |x| of the block. Signed: the element of the
    // block with the largest |x|, sign kept. NaNs are skipped; a block of NaNs only is NaN.
    std::vector<double> values;

    double at(int row, int col) const { return values[size_t(row) * size_t(cols) + size_t(col)]; }
    bool isEmpty() const { return values.empty(); }
};

// Pools `values` into at most maxCells × maxCells cells (maxCells >= 1) with blocks of equal
// size: blockRows = ceil(rows / maxCells), likewise for columns. keepSign selects the signed
// variant. An empty matrix gives an empty result.
PooledMatrix maxAbsPool(const Matrix& values, int maxCells, bool keepSign);

} // namespace salience::widgets
