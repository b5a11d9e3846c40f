#include "quant/MethodRegistry.h"

#include "quant/Awq.h"
#include "quant/Gptq.h"
#include "quant/KMeansLut.h"
#include "quant/Protection.h"
#include "quant/RotatedQuant.h"
#include "quant/Sarqc.h"
#include "quant/SmoothQuant.h"
#include "quant/lowrank/Asvd.h"
#include "quant/lowrank/Qer.h"
#include "quant/lowrank/Srr.h"
#include "quant/prune/Prune.h"
#include "quant/prune/SparseGpt.h"

namespace salience {

int ParamSpec::choiceIndex(std::string_view choice) const
{
    for (size_t i = 0; i < choices.size(); ++i)
        if (choices[i] == choice)
            return int(i);
    return -1;
}

std::string ParamSpec::choiceNames() const
{
    std::string s;
    for (const auto& c : choices)
        s += (s.empty() ? "" : ", ") + c;
    return s;
}

ParamSpec numberParam(std::string name, std::string description, double defaultValue, double minValue,
                      double maxValue, bool integer)
{
    ParamSpec p;
    p.name = std::move(name);
    p.description = std::move(description);
    p.defaultValue = defaultValue;
    p.minValue = minValue;
    p.maxValue = maxValue;
    p.integer = integer;
    return p;
}

ParamSpec choiceParam(std::string name, std::string description, std::vector<std::string> choices, int defaultIndex)
{
    ParamSpec p;
    p.name = std::move(name);
    p.description = std::move(description);
    p.defaultValue = defaultIndex;
    p.minValue = 0;
    p.maxValue = double(choices.size()) - 1;
    p.integer = true;
    p.choices = std::move(choices);
    return p;
}

const ParamSpec* MethodInfo::param(std::string_view n) const
{
    for (const auto& p : params)
        if (p.name == n)
            return &p;
    return nullptr;
}

const std::vector<MethodInfo>& methodRegistry()
{
    // Each method describes itself next to its code; this is the order the GUI lists them in:
    // baselines, scaling and rotation, second order, saliency, low rank, codebooks, pruning.
    static const std::vector<MethodInfo> methods{
        {"none", "Full precision",
         "Keeps the layer's weights as they are. Use it for layers too sensitive to quantize.", false, false,
         false, false, false, {}},
        {"rtn", "Round to nearest",
         "Rounds every weight to the nearest point of a uniform grid: one scale (and zero point when "
         "asymmetric) per group of consecutive input columns, stored as float16. The baseline every "
         "other method is measured against.",
         true, true, false, false, false, {}, true},
        smoothQuantMethodInfo(),
        awqMethodInfo(),
        hadamardMethodInfo(),
        gptqMethodInfo(),
        protectMethodInfo(),
        sarqcGptqMethodInfo(),
        sarqcAwqMethodInfo(),
        qerMethodInfo(),
        srrMethodInfo(),
        asvdMethodInfo(),
        kmeansMethodInfo(),
        pruneMagnitudeMethodInfo(),
        pruneWandaMethodInfo(),
        sparseGptMethodInfo(),
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

std::string ggmlGridMethodNames()
{
    std::string s;
    for (const auto& m : methodRegistry())
        if (m.ggmlGrids)
            s += (s.empty() ? "" : ", ") + m.name;
    return s;
}

} // namespace salience
