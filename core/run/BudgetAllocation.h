#pragma once
// Spending a model-wide budget where it helps most: an average number of bits per weight, or
// a total low-rank budget, distributed over the layers a recipe quantizes, by greedy marginal
// analysis, shown before anything runs and turned into a plan.
//
// The objective is the model's total relative squared error Σ_l n_l·e_l², with n_l the
// layer's parameters and e_l its relative error (relative OUTPUT error when every layer has
// activations, else relative weight error): the share of each layer in the model's error is
// its size times its squared relative error.
//
// Bits. Each layer is quantized at every candidate bit width with the base recipe and its
// error and bits per weight (everything counted, as the run summary counts them) measured.
// Every layer starts at the smallest candidate; then, step by step, the layer whose next
// candidate buys the largest error reduction per added bit, n_l·(e_cur² − e_next²) /
// (n_l·(bpw_next − bpw_cur)), moves up one candidate (ties: the earlier layer). The first
// step that would take the average above the target ends the allocation. Since the order of
// the steps does not depend on the target, a higher target never gives a layer fewer bits,
// and the achieved average lies within one step below the target.
//
// Rank. The base recipe at rank 0 gives each layer's quantization error E = W − Q; by
// Eckart–Young its best rank-r correction leaves ‖E‖² − σ₁² − … − σ_r², so adding the
// (r+1)-th rank reduces the layer's term by n_l·σ_{r+1}²/‖W‖². This is exact for QER with
// scaling none (the truncated SVD of E) and a prediction for other low-rank methods; the
// predicted errors are relative WEIGHT errors. ASVD has no quantized base: its E is W itself.
// The total rank goes one unit at a time to the layer with the largest reduction (ties: the
// earlier layer), at most min(out, in) per layer; units that would correct nothing (a zero
// singular value) are left unspent.
#include "acts/ActivationStore.h"
#include "model/LayerRole.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "quant/Recipe.h"
#include "base/Progress.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace salience {

struct BitsAllocationOptions {
    std::vector<int> candidateBits{2, 3, 4, 5, 6, 8}; // each in 2..8; sorted and deduplicated
    int threads = 0;                                  // 0: one per hardware thread
};

struct RankAllocationOptions {
    int threads = 0;
};

enum class BudgetKind { Bits, Rank };

struct AllocationCandidate {
    int bits = 0;
    double error = 0;         // relative error (see BudgetAllocation::outputError)
    double bitsPerWeight = 0; // everything counted
};

struct LayerAllocation {
    std::string layer; // canonical name
    int block = -1;
    LayerRole role = LayerRole::Other;
    int64_t parameters = 0;
    int bits = 0;                // chosen (bits budget), else the base recipe's
    int rank = 0;                // chosen (rank budget), else the base recipe's
    double bitsPerWeight = 0;    // at the choice (rank: the rank-0 result plus 16 bits per factor element)
    double predictedError = 0;   // relative error at the choice
    std::vector<AllocationCandidate> candidates; // bits budget: every candidate, ascending
    std::vector<double> errorSpectrum;           // rank budget: singular values of W − Q, descending
    double weightNorm = 0;                       // rank budget: ‖W‖_F
};

struct BudgetAllocation {
    BudgetKind kind = BudgetKind::Bits;
    Recipe base;
    double target = 0;         // bits per weight, or total rank
    bool outputError = false;  // errors are relative output errors (else weight errors)
    std::vector<LayerAllocation> layers; // the layers the base recipe quantizes, model order
    double achievedBitsPerWeight = 0;    // Σ n·bpw / Σ n over these layers
    int64_t totalRank = 0;
    double predictedError = 0;           // sqrt(Σ n·e² / Σ n)
    int64_t steps = 0;                   // upgrades made
    // Bits budget: the average the next (refused) step would have reached; 0 when every layer
    // is at the largest candidate.
    double nextStepBitsPerWeight = 0;
};

// Throws InputError("budget", ...) for a base recipe that keeps full precision, candidates
// outside 2..8 or none, a target that is not finite or below the smallest candidates'
// average; InputError naming the method when it needs activations that are missing; what
// the methods throw; CancelledError on cancel.
BudgetAllocation allocateBits(const Model& model, const ActivationStore* activations, const Recipe& base,
                              double targetBitsPerWeight, const BitsAllocationOptions& options, Progress& progress);

// Throws InputError("budget", ...) for a negative total rank or a base method without a rank
// budget, and as allocateBits otherwise.
BudgetAllocation allocateRank(const Model& model, const ActivationStore* activations, const Recipe& base,
                              int64_t totalRank, const RankAllocationOptions& options, Progress& progress);

// The base recipe as the default and one exact-layer override per allocated layer.
QuantPlan toPlan(const BudgetAllocation& allocation, const Recipe& base);

// {"kind": "bits"|"rank", "target", "error": "output"|"weight", "achieved_bits_per_weight",
//  "total_rank", "predicted_error", "steps", "layers": [{name, block, role, parameters, bits,
//  rank, bits_per_weight, predicted_error, candidates: [{bits, error, bits_per_weight}]}]}
nlohmann::json allocationJson(const BudgetAllocation& allocation);

} // namespace salience
