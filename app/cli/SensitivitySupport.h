#pragma once
// What `sensitivity` and `allocate --text/--sensitivity` share: the calibration options, the
// float model's reference on the calibration tokens, activations captured from them when a
// candidate needs some, and a sensitivity table measured or reopened from its file.
#include "CliSupport.h"
#include "RecipeOptions.h"

#include "eval/TextHalves.h"
#include "eval/Transformer.h"
#include "run/CalibrationReference.h"
#include "run/Sensitivity.h"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace salience::cli {

struct CalibrationOptions {
    std::string text;
    std::string part = "whole";
    std::string tokenizer;
    int64_t tokens = 2048;
    int64_t window = 256;
    std::string candidates; // empty: the defaults for the base method
    std::string unit = "layer";
    std::string measure = "kl";
    int threads = 0;
};

// --text is added by each command (required or not); the rest here.
void addCalibrationOptions(CLI::App& cmd, CalibrationOptions& o);

// The float model and what was measured with it on the calibration tokens.
struct Calibration {
    int32_t bos = -1;
    std::vector<int32_t> tokens;
    Transformer floatModel;
    std::optional<CalibrationReference> reference;
    std::optional<ActivationStore> captured; // when a recipe needs activations and none were given
    std::string modelFingerprint;
    std::string textSource;
    TextPart part = TextPart::Whole;

    // --acts when given, else the captured ones (or none).
    const ActivationStore* activations(const OpenedModel& opened) const;
};

// Captures the layers' inputs from the calibration tokens (all of them) when one of `recipes`
// needs activations and the command was given none.
void captureIfNeeded(Calibration& c, const OpenedModel& opened, const std::vector<Recipe>& recipes, int threads,
                     Progress& progress);

// The candidates of --candidates, or the defaults for the base recipe's method.
std::vector<SensitivityCandidate> candidatesFor(const CalibrationOptions& o, const Recipe& base);

struct ObtainedTable {
    SensitivityTable table;
    bool reused = false;
};

// Tokenizes --text's --part, loads the float model, then measures a table now, or reopens it
// from `cachePath` when that exists and was measured on the same inputs; InputError naming the
// file and the difference otherwise (unless `force`, which measures again). A measured table is
// written to `cachePath` when one is given. Reports on `progress` (0..1).
struct MeasuredSensitivity {
    Calibration calibration;
    ObtainedTable obtained;
};
MeasuredSensitivity sensitivityFor(const OpenedModel& opened, const Recipe& base,
                                   const std::vector<SensitivityCandidate>& candidates, const CalibrationOptions& o,
                                   const std::string& cachePath, bool force, Progress& progress);

} // namespace salience::cli
