#pragma once
// The built-in demo model: a small Llama-shaped model generated deterministically from a seed,
// with the phenomena of an efficiency lecture planted in it so they can be found without any
// data: massive activations at the first token in fixed residual dimensions after the first
// blocks, channel-wise outliers in the inputs of q/k/v and gate/up, heavy-tailed weight rows,
// and singular spectra going from flat (first block) to sharply decaying (last block).
#include "acts/ActivationStore.h"
#include "model/Model.h"
#include "base/Progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace salience {

struct DemoOptions {
    uint64_t seed = 260;
    int64_t dim = 128;
    int64_t hiddenDim = 344; // not a power of two on purpose: block Hadamard, short last groups
    int64_t layers = 4;
    int64_t heads = 8;
    int64_t kvHeads = 4;
    int64_t vocab = 512;
    int64_t tokens = 64;
};

// Where the phenomena are planted, so tests and the lecture can point at them.
struct DemoPlanted {
    std::vector<int64_t> massiveDims;       // residual dimensions with massive activations
    int64_t massiveToken = 0;               // the token that carries them (the first)
    int firstMassiveBlock = 1;              // resid_in of this block and later carry them
    std::vector<int64_t> outlierChannels;   // channels of attn_in / mlp_in with outliers
    std::vector<double> spectralDecay;      // per block: sigma_i ~ (i+1)^-decay
};

struct DemoModel {
    Model model;
    ActivationStore activations;
    DemoPlanted planted;
};

DemoModel makeDemoModel(const DemoOptions& options = {});

// Writes DIR/model.safetensors, DIR/config.json and DIR/activations.h5 (each atomically).
void writeDemoModel(const DemoModel& demo, const std::string& dir, Progress& progress);

} // namespace salience
