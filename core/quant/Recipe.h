#pragma once
// How one layer is quantized: a method, its grid, its budgets and its own parameters.
#include "io/GgmlTypes.h"
#include "quant/QuantGrid.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

namespace salience {

struct Recipe {
    std::string method = "rtn";
    int bits = 4;
    // > 0: groups of this many input columns; 0: one scale per output channel; -1: per tensor.
    int groupSize = 128;
    bool symmetric = false;
    int rank = 0;                 // low-rank budget (QER, SRR, ASVD)
    double protectPercent = 0.0;  // % of weights kept in full precision (saliency protection)
    uint64_t seed = 0;            // random rotations and other seeded steps
    // Empty: the uniform grid of bits, groupSize and symmetric. Else a ggml block format ("Q4_K",
    // see isGgmlGridType) the method quantizes onto directly, so that a GGUF holds the result
    // unchanged; bits, groupSize and symmetric are then the format's own.
    std::string gridType;
    std::map<std::string, double> params; // the method's own parameters

    QuantGrid grid() const;
    // gridType as a GgmlType; nullopt for the uniform grid.
    std::optional<GgmlType> ggmlGrid() const;
    // The method's parameter, or its registered default.
    double param(const std::string& name) const;

    // Throws InputError(source, ...) naming the field: unknown method, bits outside 2..8,
    // group size below -1, negative rank, protection outside [0, 100], unknown parameter or
    // a parameter outside its range, a gridType that is no ggml block format, or one with a
    // method that cannot quantize onto it (MethodInfo::ggmlGrids: not kmeans, asvd or pruning).
    void validate(const std::string& source) const;

    nlohmann::json toJson() const;
    // Fields not present keep their defaults; unknown fields are rejected.
    static Recipe fromJson(const nlohmann::json& j, const std::string& source);

    // What the method stores: "rtn 4-bit g128 asym", "qer 3-bit g128 asym r4",
    // "prune-magnitude 50% f16", "kmeans 3-bit LUT", "asvd r8", "gptq Q4_K".
    std::string summary() const;
    // The uniform grid alone: "4-bit g128 asym".
    std::string gridSummary() const;

    bool operator==(const Recipe&) const = default;
};

} // namespace salience
