#include "quant/QuantGrid.h"

#include "base/Error.h"

#include <algorithm>

namespace salience {

std::string granularityName(Granularity g)
{
    switch (g) {
    case Granularity::PerTensor:
        return "per-tensor";
    case Granularity::PerChannel:
        return "per-channel";
    case Granularity::PerGroup:
        return "per-group";
    }
    return "unknown";
}

void QuantGrid::validate() const
{
    if (bits < 2 || bits > 8)
        throw InputError("quantization grid",
                         "bits must be between 2 and 8, got " + std::to_string(bits));
    if (granularity != Granularity::PerTensor && granularity != Granularity::PerChannel
        && granularity != Granularity::PerGroup)
        throw InputError("quantization grid", "unknown granularity");
    if (granularity == Granularity::PerGroup && groupSize < 1)
        throw InputError("quantization grid",
                         "group size must be at least 1, got " + std::to_string(groupSize));
}

int64_t QuantGrid::groupsPerRow(int64_t inFeatures) const
{
    if (granularity != Granularity::PerGroup || inFeatures <= 0)
        return 1;
    // Written this way so in + g - 1 cannot overflow.
    return inFeatures / groupSize + (inFeatures % groupSize != 0 ? 1 : 0);
}

int64_t QuantGrid::scaleRows(int64_t outFeatures) const
{
    return granularity == Granularity::PerTensor ? 1 : outFeatures;
}

int64_t QuantGrid::groupCount(int64_t outFeatures, int64_t inFeatures) const
{
    return scaleRows(outFeatures) * groupsPerRow(inFeatures);
}

int64_t QuantGrid::groupOfColumn(int64_t col) const
{
    return granularity == Granularity::PerGroup ? col / groupSize : 0;
}

int64_t QuantGrid::groupIndex(int64_t row, int64_t col, int64_t inFeatures) const
{
    if (granularity == Granularity::PerTensor)
        return 0;
    return row * groupsPerRow(inFeatures) + groupOfColumn(col);
}

int64_t QuantGrid::groupBegin(int64_t group) const
{
    return granularity == Granularity::PerGroup ? group * groupSize : 0;
}

int64_t QuantGrid::groupEnd(int64_t group, int64_t inFeatures) const
{
    if (granularity != Granularity::PerGroup)
        return inFeatures;
    return std::min<int64_t>(inFeatures, (group + 1) * int64_t(groupSize));
}

std::string QuantGrid::describe() const
{
    std::string s = std::to_string(bits) + "-bit " + (symmetric ? "symmetric" : "asymmetric")
        + ", " + granularityName(granularity);
    if (granularity == Granularity::PerGroup)
        s += " g=" + std::to_string(groupSize);
    return s;
}

} // namespace salience
