#pragma once
// The integer grid a weight matrix is quantized onto: how many bits, whether the grid is
// symmetric around zero, and which weights share one scale (and zero point).
#include <cstdint>
#include <string>

namespace salience {

enum class Granularity {
    PerTensor,  // one group: the whole matrix
    PerChannel, // one group per output row
    PerGroup,   // groups of `groupSize` consecutive input columns within a row; the last
                // group of a row is shorter when groupSize does not divide in_features
};

std::string granularityName(Granularity g); // "per-tensor", "per-channel", "per-group"

struct QuantGrid {
    int bits = 4;          // 2..8
    bool symmetric = false;
    Granularity granularity = Granularity::PerGroup;
    int groupSize = 128;   // used by PerGroup only; must be >= 1 there

    // Throws InputError("quantization grid", ...) for bits outside 2..8 or, per group, a
    // group size below 1.
    void validate() const;

    int maxCode() const { return (1 << bits) - 1; } // codes lie in [0, maxCode]
    // The zero point every symmetric group uses: 2^(bits-1).
    int symmetricZero() const { return 1 << (bits - 1); }

    // Groups in one row of `inFeatures` columns: 1 per tensor and per channel,
    // ceil(in / groupSize) per group.
    int64_t groupsPerRow(int64_t inFeatures) const;
    // Rows of the scale table: 1 per tensor (one scale shared by every row), else out.
    int64_t scaleRows(int64_t outFeatures) const;
    // Entries in the scale (and zero point) table: scaleRows(out) * groupsPerRow(in).
    int64_t groupCount(int64_t outFeatures, int64_t inFeatures) const;
    // Group of input position `col` within a row (0 unless PerGroup).
    int64_t groupOfColumn(int64_t col) const;
    // Index into the scale table of the weight at (row, col), col in quantized coordinates.
    int64_t groupIndex(int64_t row, int64_t col, int64_t inFeatures) const;
    // Column range [begin, end) of group `group` within a row of `inFeatures` columns.
    int64_t groupBegin(int64_t group) const;
    int64_t groupEnd(int64_t group, int64_t inFeatures) const;

    // "4-bit asymmetric, per-group g=128"
    std::string describe() const;
};

} // namespace salience
