#include "RecipeOptions.h"

#include "base/Error.h"
#include "export/LlamaQuantizePlan.h"
#include "quant/MethodRegistry.h"

#include <set>

namespace salience::cli {

namespace {

const std::vector<std::string> kRecipeOptionNames{"--method",  "--bits", "--group", "--sym",      "--rank",
                                                  "--protect", "--seed", "--param", "--grid-type"};

std::vector<std::string> parameterNames()
{
    std::set<std::string> names;
    for (const auto& m : methodRegistry())
        for (const auto& p : m.params)
            names.insert(p.name);
    return {names.begin(), names.end()};
}

double parseValue(const ParamSpec& spec, const std::string& method, const std::string& value)
{
    if (spec.isChoice()) {
        const int index = spec.choiceIndex(value);
        if (index < 0)
            throw InputError("--" + spec.name, "must be one of " + spec.choiceNames() + " for method '" + method +
                                                   "', got '" + value + "'");
        return index;
    }
    try {
        size_t used = 0;
        const double v = std::stod(value, &used);
        if (used == value.size())
            return v;
    } catch (const std::exception&) {
    }
    throw InputError("--" + spec.name, "expects a number, got '" + value + "'");
}

} // namespace

void addRecipeOptions(CLI::App& cmd, RecipeOptions& o)
{
    cmd.add_option("--method", o.recipe.method, "Method for every layer: " + methodNames())->capture_default_str();
    cmd.add_option("--bits", o.recipe.bits, "Bits per weight, 2..8")->capture_default_str();
    cmd.add_option("--group", o.recipe.groupSize, "Group size in input columns; 0 = per output channel, -1 = per tensor")
        ->capture_default_str();
    cmd.add_flag("--sym", o.recipe.symmetric, "Symmetric grid (default asymmetric)");
    cmd.add_option("--grid-type", o.recipe.gridType,
                   "Quantize onto a ggml block format instead of a uniform grid: Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, "
                   "Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL (every method with a grid; a GGUF holds rtn's and gptq's "
                   "results unchanged, the side parts of the others are rounded into the file)");
    cmd.add_option("--rank", o.recipe.rank, "Low-rank budget (qer, srr, asvd, protect's svd criterion)");
    cmd.add_option("--protect", o.recipe.protectPercent, "Percent of weights kept in full precision (protect)");
    cmd.add_option("--seed", o.recipe.seed, "Seed of random rotations and other seeded steps");
    cmd.add_option("--param", o.params, "A method parameter as NAME=VALUE (repeatable)");
    for (const auto& name : parameterNames()) {
        if (cmd.get_option_no_throw("--" + name))
            continue;
        std::string help = "Parameter of";
        for (const auto& m : methodRegistry())
            if (const ParamSpec* p = m.param(name)) {
                help += " " + m.name;
                if (p->isChoice())
                    help += " (" + p->choiceNames() + ")";
            }
        cmd.add_option_function<std::string>(
               "--" + name, [&o, name](const std::string& v) { o.paramValues[name] = v; }, help)
            ->group("Method parameters");
    }
}

bool recipeOptionsGiven(const CLI::App& cmd)
{
    for (const auto& name : kRecipeOptionNames)
        if (cmd.count(name))
            return true;
    for (const auto& name : parameterNames())
        if (cmd.get_option_no_throw("--" + name) && cmd.count("--" + name))
            return true;
    return false;
}

Recipe recipeFromOptions(const RecipeOptions& o)
{
    Recipe r = o.recipe;
    const MethodInfo* method = findMethod(r.method);
    if (!method)
        throw InputError("--method", "unknown method '" + r.method + "' (known: " + methodNames() + ")");
    auto set = [&](const std::string& name, const std::string& value) {
        const ParamSpec* spec = method->param(name);
        if (!spec)
            throw InputError("--" + name, "method '" + r.method + "' has no parameter '" + name + "'");
        r.params[name] = parseValue(*spec, r.method, value);
    };
    for (const auto& [name, value] : o.paramValues)
        set(name, value);
    for (const auto& kv : o.params) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            throw InputError("--param", "expects NAME=VALUE, got '" + kv + "'");
        set(kv.substr(0, eq), kv.substr(eq + 1));
    }
    r.validate(r.gridType.empty() ? "--method " + r.method : "--grid-type " + r.gridType);
    return r;
}

QuantPlan presetPlan(const CLI::App& cmd, const Model& model, const RecipeOptions& options,
                     const std::string& preset, const LlamaQuantizeOptions& mixOptions)
{
    for (const char* grid : {"--grid-type", "--bits", "--group", "--sym"})
        if (cmd.count(grid))
            throw InputError(grid, "--preset " + preset + " gives every layer its ggml type; " + grid +
                                       " would contradict it (leave it out, or use --plan)");
    const LlamaQuantizeMix mix = llamaQuantizeMix(model, preset, mixOptions);
    return llamaQuantizeMixPlan(model, mix, recipeFromOptions(options));
}

} // namespace salience::cli
