#pragma once
// What each quantization method is and which recipe fields and parameters it takes, as data:
// the plan validates against it, the CLI lists it, the GUI's recipe editor greys out what a
// method does not use, and the glossary shows the descriptions.
#include <string>
#include <string_view>
#include <vector>

namespace salience {

struct ParamSpec {
    std::string name;        // key in Recipe::params: "alpha", "damp", ...
    std::string description;
    double defaultValue = 0;
    double minValue = 0;
    double maxValue = 0;
    bool integer = false;
    // Non-empty: the parameter picks one of these by index (0-based); plans write the name.
    std::vector<std::string> choices;

    bool isChoice() const { return !choices.empty(); }
    // Index of `choice`, or -1.
    int choiceIndex(std::string_view choice) const;
    // "svd, awq, ..." for error messages.
    std::string choiceNames() const;
};

// A numeric parameter in [minValue, maxValue].
ParamSpec numberParam(std::string name, std::string description, double defaultValue, double minValue,
                      double maxValue, bool integer = false);
// A parameter choosing one of `choices`, the first being the default.
ParamSpec choiceParam(std::string name, std::string description, std::vector<std::string> choices, int defaultIndex = 0);

struct MethodInfo {
    std::string name;        // "rtn"
    std::string title;       // "Round to nearest"
    std::string description; // one paragraph for the glossary
    bool quantizes = true;   // false for "none" (keep full precision)
    bool usesGrid = true;    // bits, group size, symmetry
    bool usesRank = false;
    bool usesProtection = false;
    bool needsActivations = false; // inputs or statistics of the layer
    std::vector<ParamSpec> params;
    // Rounds onto a ggml block format when the recipe has a grid_type (RoundingTarget.h): the
    // methods whose base is a grid (not a codebook, a pruned dense base or nothing).
    bool ggmlGrids = false;

    const ParamSpec* param(std::string_view name) const;
};

const std::vector<MethodInfo>& methodRegistry();
// nullptr when unknown.
const MethodInfo* findMethod(std::string_view name);
// "none, rtn, ..." for error messages.
std::string methodNames();
// The methods that round onto ggml block formats (ggmlGrids), in the same form.
std::string ggmlGridMethodNames();

} // namespace salience
