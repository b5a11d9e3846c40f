#pragma once
// One budget, in bits per weight, for every method of a comparison: each method's own budget
// parameter is set so that the model's average bits per weight (over the layers a uniform plan
// quantizes, weighted by their parameters, as RunSummary counts it) lands within a tolerance
// of the target. Nothing is quantized to find it: RecipeStorage counts what a recipe stores
// from the layer shapes alone.
//
// What is set, method by method (a grid field the user fixed is left alone, see BudgetFreedom):
//   grid methods (rtn, smoothquant, awq, hadamard, gptq, sarqc-*): bits, symmetry, group size
//   protect: the protected percentage, over a base grid
//   qer, srr: the rank, over a base grid
//   asvd: the rank
//   kmeans: the bits (the codebook has 2^bits entries per row)
//   prune-magnitude, prune-wanda, sparsegpt: the sparsity (unstructured; an N:M pattern stays),
//     over a base grid with quantize = 1
// Bits go from 8 down, and the recipe's symmetry before the other: the first grid at which the
// rest lands within the tolerance wins (fewer, finer codes before more side storage). A base
// grid keeps the recipe's group size unless the method's own steps are too coarse to land with
// it (a rank of a 64-wide layer costs half a bit), and then takes the group that lands nearest.
// Group sizes are tried at every value where some layer's group count changes (ceil(in/k)), so
// a group divides its rows as evenly as that count allows; one group per row is written as
// per-channel. Among settings equally close to the target, the one not above it wins, then the
// smaller group.
//
// A method that cannot land within the tolerance (its steps are too coarse on these shapes, or
// the target lies outside what its parameters reach) is not reached: the fit then holds the
// nearest setting and says why.
#include "model/Model.h"
#include "quant/Recipe.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace salience {

struct BudgetTarget {
    double bitsPerWeight = 0;
    double tolerance = 0.05;

    bool contains(double bits) const;
};

// The grid fields the solver may change; false where the user gave them.
struct BudgetFreedom {
    bool bits = true;
    bool groupSize = true;
    bool symmetric = true;
};

struct BudgetFit {
    Recipe recipe;                                    // with the chosen parameters (the nearest when not reached)
    std::vector<std::pair<std::string, double>> set;  // what was set, in recipe terms: "bits", "group_size",
                                                      // "symmetric" (when changed), "protect", "rank",
                                                      // "sparsity"
    double bitsPerWeight = 0;                         // predicted model average at the choice
    double smallest = 0;                              // the range the free parameters reach
    double largest = 0;
    bool reached = false;
    std::string reason;                               // when not reached

    // "bits 4, group 160" / "bits 3, protect 2.73%" / "nothing" when nothing was free.
    std::string describeSet() const;
    nlohmann::json toJson() const; // {set: {...}, predicted_bits_per_weight, reached, [reason]}
};

// The model-wide bits per weight `recipe` stores, over the layers QuantPlan::uniform(recipe)
// quantizes, without running it. 0 when it quantizes none.
double predictedModelBitsPerWeight(const Model& model, const Recipe& recipe);

// Throws InputError("--target-bits", ...) for a target or tolerance that is not a finite
// positive number, and for a recipe onto a ggml block format (its bits are the format's).
BudgetFit fitToBudget(const Model& model, const Recipe& recipe, const BudgetTarget& target,
                      const BudgetFreedom& freedom = {});

} // namespace salience
