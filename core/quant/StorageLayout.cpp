#include "quant/StorageLayout.h"

#include "quant/GgmlQuantize.h"

#include <algorithm>

namespace salience {

int patternBits(int n, int m)
{
    uint64_t c = 1;
    for (int i = 0; i < n; ++i)
        c = c * uint64_t(m - i) / uint64_t(i + 1); // exact: c·(m−i) is C(m, i+1)·(i+1)
    int bits = 0;
    while ((uint64_t(1) << bits) < c)
        ++bits;
    return bits;
}

BitsBreakdown countBits(const StorageLayout& s)
{
    BitsBreakdown b;
    const double out = double(s.outFeatures);
    const double in = double(s.inFeatures);
    b.weights = s.outFeatures * s.inFeatures;
    const double kept = double(s.kept);
    if (s.base == QuantBase::Codes) {
        b.codes = kept * s.grid.bits;
        if (s.codebookEntries == 0) {
            const double groups = double(s.grid.groupCount(s.outFeatures, s.inFeatures));
            b.scales = groups * 16.0;
            b.zeroPoints = s.grid.symmetric ? 0.0 : groups * s.grid.bits;
        } else {
            b.codebook = 16.0 * double(s.codebookEntries);
        }
    } else if (s.base == QuantBase::Dense) {
        b.dense = 16.0 * kept;
    } else if (s.base == QuantBase::Ggml) {
        b.codes = kept * ggmlNominalBits(s.ggmlType);
        b.scales = out * in * ggmlBitsPerWeight(s.ggmlType) - b.codes;
    }
    if (s.mask) {
        if (s.maskM <= 0) {
            b.mask = out * in;
        } else {
            const int64_t runs = s.inFeatures / s.maskM;
            const int tail = int(s.inFeatures % s.maskM);
            double perRow = double(runs) * patternBits(s.maskN, s.maskM);
            if (tail > 0)
                perRow += patternBits(std::min(s.maskN, tail), tail);
            b.mask = out * perRow;
        }
    }
    b.permutation = s.permutation ? 32.0 * in : 0.0;
    b.inputScale = s.inputScale ? 16.0 * in : 0.0;
    b.rotation = s.rotation ? in : 0.0;
    if (s.sparseEntries > 0) {
        const double columnBits = s.inFeatures > 65535 ? 32.0 : 16.0;
        b.sparse = double(s.sparseEntries) * (16.0 + columnBits) + 32.0 * (out + 1.0);
    }
    b.lowRank = 16.0 * double(s.lowRankElements);
    return b;
}

} // namespace salience
