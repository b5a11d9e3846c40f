#pragma once
// Spending a model-wide budget (an average bits per weight, or a total rank) where the measured
// end-to-end sensitivity (run/Sensitivity.h) says it helps most, then checking the result end
// to end: the allocated plan and the best uniform plan within the same budget are both run on
// the calibration text, and the uniform plan is kept when the allocation does no better.
//
// The allocation treats the units' measured costs (KL, or ΔNLL) as additive: the predicted cost
// of a plan is the sum over units of the chosen candidate's cost measured with that unit alone
// quantized. Each unit's candidates are reduced to the lower convex hull of (budget, cost):
// candidates that cost more budget for no less damage, and those above the hull, are never
// chosen. Every unit starts at its cheapest candidate; then, step by step, the unit whose next
// hull point buys the largest cost reduction per unit of budget moves there (ties: the earlier
// unit), skipping a step that would overspend the budget (that unit then stays where it is)
// while others still fit. Should the result predict more damage than the uniform choice (below),
// which can happen with few coarse units, the uniform choice is taken instead. Then what is left
// of the budget is spent: repeatedly, the single change of one unit to any candidate that fits
// and lowers the predicted cost most. Budget: bits are n·bpw summed over the unit's layers (every
// side array counted), ranks the sum of the layers' ranks.
//
// The prediction is only a prediction: layers interact (two 2-bit layers together cost more
// than the sum of each alone), which is why the end-to-end check measures the combined plan.
#include "acts/ActivationStore.h"
#include "eval/Transformer.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "base/Progress.h"
#include "run/BudgetAllocation.h"
#include "run/CalibrationReference.h"
#include "run/Sensitivity.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salience {

enum class SensitivityMeasure {
    Kl,       // mean KL(P_float ‖ P_quantized)
    NllDelta, // mean NLL change (negative values count as no damage)
};
// "kl", "nll"; parseSensitivityMeasure throws InputError(source) for another name.
const char* measureName(SensitivityMeasure measure);
SensitivityMeasure parseSensitivityMeasure(const std::string& name, const std::string& source);

struct UnitChoice {
    std::string unit;                // as in the table
    std::vector<std::string> layers; // canonical names
    int64_t parameters = 0;
    size_t candidate = 0;            // index into the table's candidates
    std::string label;               // that candidate's label
    double bitsPerWeight = 0;
    int64_t rank = 0;
    double predicted = 0;            // the cell's cost (KL or ΔNLL measured with the unit alone)
};

// Every unit at one candidate.
struct UniformChoice {
    size_t candidate = 0;
    std::string label;
    double bitsPerWeight = 0;
    int64_t totalRank = 0;
    double predicted = 0; // Σ over units of that candidate's cost
};

struct SensitivityAllocation {
    BudgetKind kind = BudgetKind::Bits;
    SensitivityMeasure measure = SensitivityMeasure::Kl;
    double target = 0; // bits per weight, or total rank
    Recipe base;
    std::vector<SensitivityCandidate> candidates;
    std::vector<UnitChoice> units; // model order
    double achievedBitsPerWeight = 0; // Σ n·bpw / Σ n
    int64_t totalRank = 0;
    double predicted = 0;             // Σ over units of the chosen cells' cost
    int64_t steps = 0;                // moves made by the greedy and the final spending
    // What the allocation is checked against: of the candidates taken by every unit, the one
    // that spends the most budget within the target (ties: the smaller predicted cost); absent
    // when none fits.
    std::optional<UniformChoice> uniform;
};

// Throws InputError("budget", ...) for a target that is not finite or positive (bits), negative
// (rank), or below what every unit's cheapest candidate spends.
SensitivityAllocation allocateFromSensitivity(const SensitivityTable& table, BudgetKind kind, double target,
                                              SensitivityMeasure measure);

// The base recipe as the default and one exact-layer override per layer of every unit.
QuantPlan toPlan(const SensitivityAllocation& allocation);

// A plan measured end to end on the calibration text.
struct PlanMeasurement {
    std::string label;        // "allocated" or the uniform candidate's label
    double bitsPerWeight = 0; // over the quantized layers, everything counted (RunSummary)
    int64_t totalRank = 0;
    double kl = 0, klStdError = 0, nllDelta = 0;
    double cost(SensitivityMeasure measure) const { return measure == SensitivityMeasure::Kl ? kl : nllDelta; }
};

struct AllocationCheck {
    PlanMeasurement allocated;
    std::optional<PlanMeasurement> uniform; // the allocation's uniform choice, when it has one
    // The measured cost of the allocated plan is not below the uniform plan's: use the uniform one.
    bool uniformIsBetter = false;
};

// Runs the allocated plan and the uniform one over the model (runPlan on `threads` threads) and
// compares each with the float model on the reference's windows.
AllocationCheck checkAllocation(const Model& model, const Transformer& floatModel, const ActivationStore* activations,
                                const CalibrationReference& reference, const SensitivityAllocation& allocation,
                                int threads, Progress& progress);

// The allocation's uniform choice as a plan (allocation.uniform must be set).
QuantPlan uniformPlan(const SensitivityAllocation& allocation);

// {"kind", "measure", "target", "base", "achieved_bits_per_weight", "total_rank", "predicted",
//  "steps", "units": [{unit, layers, parameters, candidate, bits_per_weight, rank, predicted}]}
// and, with a check, "check": {"allocated": {...}, "uniform": {...}, "uniform_is_better"}.
nlohmann::json sensitivityAllocationJson(const SensitivityAllocation& allocation,
                                         const std::optional<AllocationCheck>& check);

} // namespace salience
