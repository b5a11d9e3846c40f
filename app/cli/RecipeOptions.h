#pragma once
// The recipe options every command that quantizes shares: --method, the grid, the budgets and
// each registered parameter as an option of its own (--alpha 0.5, --criterion svd, ...), so a
// one-method run needs no plan file.
#include "export/LlamaQuantizeMix.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "quant/Recipe.h"

#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <vector>

namespace salience::cli {

struct RecipeOptions {
    Recipe recipe;
    std::map<std::string, std::string> paramValues; // --<param> VALUE
    std::vector<std::string> params;                // --param NAME=VALUE
};

void addRecipeOptions(CLI::App& cmd, RecipeOptions& options);
// True when any recipe option was given on the command line.
bool recipeOptionsGiven(const CLI::App& cmd);
// The recipe the options describe, validated; InputError naming the option otherwise.
Recipe recipeFromOptions(const RecipeOptions& options);
// The recipe rounded onto llama-quantize's mix `preset` (export/LlamaQuantizePlan.h): each layer
// onto the type the mix gives it. InputError naming --grid-type, --bits, --group or --sym when
// one is given too (the mix's types decide the grid), as recipeFromOptions otherwise.
QuantPlan presetPlan(const CLI::App& cmd, const Model& model, const RecipeOptions& options,
                     const std::string& preset, const LlamaQuantizeOptions& mixOptions);

} // namespace salience::cli
