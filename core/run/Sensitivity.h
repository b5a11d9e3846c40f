#pragma once
// End-to-end sensitivity: how far the whole model's next-token distributions move when one unit
// (a layer, or every layer of one role or of one block) alone is quantized with each candidate
// recipe, the rest of the model staying in float, measured on calibration text.
//
// Definitions (docs/DESIGN.md):
// - KL of a cell: KL(P_float ‖ P_quantized) of the next-token distributions, in nats, mean over
//   every scored position of the calibration windows (BOS-led windows of eval/Windows.h, every
//   prediction of every window scored): what `eval` reports as the KL divergence mean.
// - ΔNLL of a cell: the quantized model's mean next-token NLL minus the float model's over the
//   same positions (the log of the perplexity ratio); it can be negative.
// - Bits per weight of a cell: the unit's layers' QuantizedLinear::bitsPerWeight (codes, scales,
//   zero points and every side array), weighted by their parameters; the rank of a cell is the
//   sum of its layers' ranks.
//
// How: the float model's logits are computed once (run/CalibrationReference.h). Each (unit,
// candidate) cell is one task of the thread pool: it quantizes the unit's layers with the
// candidate's recipe (runLayer, as a plan run does), puts their dequantized weights into a
// working copy of the float transformer (one copy per thread, so memory is threads × the float
// model), runs every calibration window and puts the float weights back. Each cell lands in its
// own slot, so the table does not depend on the thread count.
#include "acts/ActivationStore.h"
#include "eval/Transformer.h"
#include "model/LayerRole.h"
#include "model/Model.h"
#include "quant/Recipe.h"
#include "base/Progress.h"
#include "run/CalibrationReference.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salience {

// A candidate recipe: the fields it changes in the base recipe.
struct SensitivityCandidate {
    std::optional<std::string> method;
    std::optional<int> bits;
    std::optional<int> groupSize;
    std::optional<int> rank;

    Recipe applyTo(const Recipe& base) const;
    // The spec parseCandidate reads back: "4g32", "3", "g64", "r16", "gptq", "gptq:3g128".
    std::string label() const;
    bool operator==(const SensitivityCandidate&) const = default;
};

// One candidate from its spec: fields joined by ':', each one of "B" (bits), "BgG" (bits and
// group size; g0 one scale per output channel, g-1 one per tensor), "gG" (group size), "rR"
// (rank) or a registered method name. Throws InputError(source) naming the spec otherwise.
SensitivityCandidate parseCandidate(const std::string& spec, const std::string& source);
// Comma-separated specs; at least one, none twice.
std::vector<SensitivityCandidate> parseCandidates(const std::string& list, const std::string& source);
// Bit widths traded against group sizes: 2g32, 3g128, 3g64, 3g32, 4g128, 4g64, 4g32, 5g32, 6g32, 8g32.
std::vector<SensitivityCandidate> defaultBitCandidates();
// Ranks for a low-rank base method: r0, r4, r8, r16, r32.
std::vector<SensitivityCandidate> defaultRankCandidates();

enum class SensitivityUnitKind { Layer, Role, Block };
// "layer", "role", "block"; parseUnitKind throws InputError(source) for another name.
const char* unitKindName(SensitivityUnitKind kind);
SensitivityUnitKind parseUnitKind(const std::string& name, const std::string& source);

struct SensitivityCell {
    double kl = 0;           // mean KL(P_float ‖ P_candidate) over the scored positions, nats
    double klStdError = 0;   // standard error of that mean
    double nllDelta = 0;     // mean NLL of the candidate minus the float model's
    double sameTopShare = 0; // positions whose most probable token is unchanged
    double bitsPerWeight = 0; // over the unit's layers, everything counted
    int64_t rank = 0;         // sum over the unit's layers
};

struct SensitivityUnit {
    std::string name;                // the layer's canonical name, the role ("q"), or "block 3"
    std::vector<std::string> layers; // canonical names, model order
    int block = -1;                  // the block of a layer or block unit, else -1
    std::optional<LayerRole> role;   // the role of a layer or role unit
    int64_t parameters = 0;
    std::vector<SensitivityCell> cells; // one per candidate, in candidate order
};

// What a table was measured on: a cached table is reused only when all of these agree.
struct SensitivityKey {
    std::string modelFingerprint; // model/ModelFingerprint.h
    std::string tokensHash;       // calibrationTokensHash
    int64_t window = 0;
    Recipe base;
    SensitivityUnitKind unitKind = SensitivityUnitKind::Layer;
    std::vector<SensitivityCandidate> candidates;
};

struct SensitivityTable {
    SensitivityKey key;
    std::string modelPath;   // for messages only
    std::string textSource;  // the text file, for messages and for re-measuring a plan
    std::string textPart;    // "whole", "held-out" or "calibration" (eval/TextHalves.h)
    int64_t tokens = 0;      // text tokens (BOS not counted)
    int64_t windows = 0;
    int64_t positions = 0;   // scored positions
    double floatNll = 0;     // the float model's mean NLL over them
    std::vector<SensitivityUnit> units; // model order

    const std::vector<SensitivityCandidate>& candidates() const { return key.candidates; }
};

struct SensitivityOptions {
    SensitivityUnitKind unitKind = SensitivityUnitKind::Layer;
    int threads = 0; // 0: one per hardware thread
};

// The layers a base recipe quantizes (those of QuantPlan::uniform(base) whose method quantizes)
// that the forward pass uses, in model order. Throws InputError("sensitivity") when there are none.
std::vector<const LinearLayer*> sensitivityLayers(const Model& model, const Transformer& floatModel, const Recipe& base);

// Throws InputError("sensitivity") for no candidates, a candidate given twice, a candidate
// whose recipe does not validate or keeps full precision; InputError naming the method when it
// needs activations and `activations` is null; what the methods and the forward pass throw;
// CancelledError on cancel. `modelFingerprint` goes into the table's key as it is.
SensitivityTable measureSensitivity(const Model& model, const Transformer& floatModel,
                                    const ActivationStore* activations, const CalibrationReference& reference,
                                    const Recipe& base, const std::vector<SensitivityCandidate>& candidates,
                                    const std::string& modelFingerprint, const SensitivityOptions& options,
                                    Progress& progress);

} // namespace salience
