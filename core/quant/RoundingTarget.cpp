#include "quant/RoundingTarget.h"

#include "base/Error.h"
#include "io/GgmlDequant.h"
#include "tensor/Half.h"
#include "quant/GgmlQuantize.h"
#include "quant/Rtn.h"

#include <cmath>

namespace salience {

RoundingTarget RoundingTarget::withColumnScales(const std::vector<float>& s) const
{
    RoundingTarget t = *this;
    if (!isGgml() || importance.empty())
        return t;
    if (s.size() != importance.size())
        throw InputError("rounding target", "scales for " + std::to_string(s.size()) + " columns, importance for " +
                                                std::to_string(importance.size()));
    for (size_t j = 0; j < s.size(); ++j)
        t.importance[j] = float(double(importance[j]) / (double(s[j]) * double(s[j])));
    return t;
}

RoundingTarget RoundingTarget::unweighted() const
{
    RoundingTarget t = *this;
    t.importance.clear();
    return t;
}

void RoundingTarget::validate(int64_t inFeatures) const
{
    grid.validate();
    if (!isGgml())
        return;
    if (!importance.empty() && int64_t(importance.size()) != inFeatures)
        throw InputError("rounding target", "importance has " + std::to_string(importance.size()) + " values for " +
                                                std::to_string(inFeatures) + " columns");
    for (float v : importance)
        if (!(v >= 0.0f) || !std::isfinite(v))
            throw InputError("rounding target", "importance holds a value that is negative or not finite");
}

RoundingTarget roundingTarget(const Recipe& recipe, const LayerData& data, int64_t inFeatures)
{
    RoundingTarget t(recipe.grid());
    const auto requested = recipe.ggmlGrid();
    if (!requested)
        return t;
    const GgmlType type = ggmlFallbackType(*requested, inFeatures);
    t.ggmlType = type;
    t.fallback = type != *requested;
    if (data.stats && int64_t(data.stats->channels()) == inFeatures)
        t.importance = data.stats->meanSquares(); // empty without tokens: unweighted
    return t;
}

QuantizedLinear roundOnto(const Matrix& weight, const RoundingTarget& target, const std::string& method)
{
    target.validate(weight.cols());
    QuantizedLinear q;
    if (!target.isGgml()) {
        q = quantizeRtn(weight, target.grid);
    } else if (*target.ggmlType == GgmlType::F16) {
        q = halfFallbackResult(weight, target.grid, method);
    } else {
        q = quantizeRtnGgml(weight, *target.ggmlType, target.importance.empty() ? nullptr : &target.importance);
    }
    q.method = method;
    if (target.fallback)
        q.parameters["fallback"] = 1.0;
    return q;
}

Matrix fakeRoundOnto(const Matrix& weight, const RoundingTarget& target)
{
    if (!target.isGgml())
        return fakeQuantizeRtn(weight, target.grid);
    if (*target.ggmlType == GgmlType::F16)
        return weight.unaryExpr([](float v) { return roundToHalf(v); });
    target.validate(weight.cols());
    if (!weight.allFinite())
        throw InputError("rounding target", "the weight holds a value that is not finite");
    const GgmlType type = *target.ggmlType;
    const std::vector<uint8_t> blocks = quantizeRows(type, weight.data(), weight.rows(), weight.cols(),
                                                     target.importance.empty() ? nullptr : target.importance.data());
    Matrix out(weight.rows(), weight.cols());
    dequantizeRow(type, blocks.data(), out.data(), out.size());
    return out;
}

} // namespace salience
