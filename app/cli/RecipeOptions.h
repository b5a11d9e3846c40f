#pragma once
// The recipe options every command that quantizes shares: --method, the grid, the budgets and
// each registered parameter as an option of its own (--alpha 0.5, --criterion svd, ...), so a
// one-method run needs no plan file.
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

} // namespace salience::cli
