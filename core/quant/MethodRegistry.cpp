#include "quant/MethodRegistry.h"

namespace salience {

const ParamSpec* MethodInfo::param(std::string_view n) const
{
    for (const auto& p : params)
        if (p.name == n)
            return &p;
    return nullptr;
}

const std::vector<MethodInfo>& methodRegistry()
{
    static const std::vector<MethodInfo> methods{
        {"none", "Full precision",
         "Keeps the layer's weights as they are. Use it for layers too sensitive to quantize.", false, false,
         false, false, false, {}},
        {"rtn", "Round to nearest",
         "Rounds every weight to the nearest point of a uniform grid: one scale (and zero point when "
         "asymmetric) per group of consecutive input columns, stored as float16. The baseline every "
         "other method is measured against.",
         true, true, false, false, false, {}},
    };
    return methods;
}

const MethodInfo* findMethod(std::string_view name)
{
    for (const auto& m : methodRegistry())
        if (m.name == name)
            return &m;
    return nullptr;
}

std::string methodNames()
{
    std::string s;
    for (const auto& m : methodRegistry())
        s += (s.empty() ? "" : ", ") + m.name;
    return s;
}

} // namespace salience
