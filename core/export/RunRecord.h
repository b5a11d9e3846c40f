#pragma once
// The record of a quantization run as one HDF5 file (schema "salience-run/1"), the file a
// course hands to students to study in h5py or MATLAB without Salience:
//
//   /                         attrs: schema, model, plan (the plan as JSON text),
//                                    layers_quantized, average_bits_per_weight,
//                                    original_bits, quantized_bits
//   /layers/<layer name>/     attrs: index (order in the run), method, recipe (summary text),
//                                    recipe_json, quantized (0/1), bits, group_size,
//                                    symmetric (0/1), rel_weight_error, rel_output_error (when
//                                    measured), sqnr_db (inf when exact), bits_per_weight,
//                                    effective_rank and stable_rank (with a spectrum),
//                                    outlier_criterion ("channel" or "stats", with outliers)
//       spectrum              float64 [k]       singular values, descending (when analysed)
//       outlier_channels      int64 [n]         input channels flagged as outliers
//       codes                 uint8 [out, in]   quantized coordinates      } includeCodes,
//       scales                float32 [rows, groups per row]               } quantized
//       zero_points           int32 [rows, groups per row]                 } layers only
//       permutation           int32 [in]        act-order, when present    }
//     with codes, every other part of the result too, so that Ŵ is recorded exactly:
//       attrs out_features, in_features, base (0 codes, 1 dense, 2 zero), grid_bits,
//             grid_symmetric, grid_granularity, grid_group_size, result_method,
//             result_parameters (JSON), rotation_block
//       dense float32 [out, in], codebook float32 [out, 2^bits], keep_mask uint8 [out, in],
//       input_scale float32 [in], rotation_signs int32 [in], sparse_rows / sparse_cols int64
//       and sparse_values float32 [n], lowrank_l float32 [out, r], lowrank_r float32 [r, in]
//
// Layer names are canonical ("model.layers.0.self_attn.q_proj"): dots, no slashes.
// Written atomically; a failure or a cancel leaves no file; an existing file is refused
// unless `overwrite`.
#include "analysis/LayerAnalysis.h"
#include "base/Progress.h"
#include "run/Runner.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace salience {

struct RunRecordInput {
    std::string model;                             // path or name of the model
    nlohmann::json plan;                           // QuantPlan::toJson(); null when none
    const RunResult* run = nullptr;                // required
    std::map<std::string, LayerAnalysis> analyses; // optional, by canonical layer name
};

struct RunRecordOptions {
    bool includeCodes = false; // codes, scales, zero points and permutation of each layer
    bool overwrite = false;
};

// Throws InputError naming `path` when it exists and overwrite is false or writing fails,
// InputError("run record", ...) without a run; CancelledError on cancel (no file is left).
void writeRunRecord(const std::string& path, const RunRecordInput& input, const RunRecordOptions& options,
                    Progress& progress);

struct RunRecordLayer {
    std::string name;
    int64_t index = 0;
    std::string method;
    std::string recipe;      // Recipe::summary()
    nlohmann::json recipeJson;
    bool quantized = false;
    int bits = 0;
    int groupSize = 0;       // Recipe convention: > 0 groups, 0 per channel, -1 per tensor
    bool symmetric = false;
    double relativeWeightError = 0;
    std::optional<double> relativeOutputError;
    double sqnrDb = 0;
    double bitsPerWeight = 0;
    std::vector<double> singularValues;
    std::optional<double> effectiveRank;
    std::optional<double> stableRank;
    std::vector<int64_t> outlierChannels;
    std::string outlierCriterion;
    // With codes: [outFeatures, inFeatures] codes; scales and zero points [scaleRows, groupsPerRow].
    int64_t outFeatures = 0;
    int64_t inFeatures = 0;
    std::vector<uint8_t> codes;
    std::vector<int64_t> scaleShape;
    std::vector<float> scales;
    std::vector<int32_t> zeroPoints;
    std::vector<int32_t> permutation;
    // With codes: the whole result (every side part), as the run held it.
    std::optional<QuantizedLinear> result;
};

struct RunRecord {
    std::string schema;
    std::string model;
    nlohmann::json plan;
    RunSummary summary;
    std::vector<RunRecordLayer> layers; // in run order

    const RunRecordLayer* find(const std::string& name) const;
};

// Throws InputError naming `path` for a file that is not a salience-run/1 record or is damaged.
RunRecord readRunRecord(const std::string& path);

// The record as the run it was: each layer's recipe and metrics, and its QuantizedLinear where
// the record holds it (written with codes). `source` names the file in errors.
RunResult runResultOf(const RunRecord& record, const std::string& source);

} // namespace salience
