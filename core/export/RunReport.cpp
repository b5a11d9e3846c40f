#include "export/RunReport.h"

#include <cmath>

namespace salience {

namespace {
// JSON has no infinity: an error-free layer's SQNR is reported as null.
nlohmann::json finiteOrNull(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
} // namespace

nlohmann::json runReportJson(const Model& model, const RunResult& run)
{
    nlohmann::json layers = nlohmann::json::array();
    double sumWeightError = 0, sumOutputError = 0;
    int withOutput = 0, quantized = 0;
    for (const auto& r : run.layers) {
        const LinearLayer& l = model.layer(r.layer);
        nlohmann::json j{{"name", r.layer},
                         {"block", l.block},
                         {"role", std::string(roleName(l.role))},
                         {"method", r.recipe.method},
                         {"bits", r.isQuantized() ? nlohmann::json(r.recipe.bits) : nlohmann::json(nullptr)},
                         {"group_size", r.recipe.groupSize},
                         {"symmetric", r.recipe.symmetric},
                         {"rel_weight_error", r.metrics.relativeWeightError},
                         {"sqnr_db", finiteOrNull(r.metrics.sqnrDb)},
                         {"bits_per_weight", r.metrics.bitsPerWeight}};
        if (r.metrics.relativeOutputError) {
            j["rel_output_error"] = *r.metrics.relativeOutputError;
            if (r.isQuantized()) {
                sumOutputError += *r.metrics.relativeOutputError;
                ++withOutput;
            }
        }
        if (r.isQuantized()) {
            sumWeightError += r.metrics.relativeWeightError;
            ++quantized;
        }
        layers.push_back(std::move(j));
    }
    nlohmann::json summary{{"layers_quantized", run.summary.layersQuantized},
                           {"original_bytes", run.summary.originalBits / 8.0},
                           {"quantized_bytes", run.summary.quantizedBits / 8.0},
                           {"average_bits_per_weight", run.summary.averageBitsPerWeight},
                           {"mean_rel_weight_error", quantized ? sumWeightError / quantized : 0.0}};
    if (withOutput)
        summary["mean_rel_output_error"] = sumOutputError / withOutput;
    return {{"model", model.path()}, {"layers", std::move(layers)}, {"summary", std::move(summary)}};
}

} // namespace salience
