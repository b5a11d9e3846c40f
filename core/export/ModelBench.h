#pragma once
// The real pipeline timed on a real model (here in export/, the top of core, because it runs the
// exports as `salience-cli export` does), each figure beside an anchor measured in the same run on
// the same machine, so a number says how far from the hardware it is rather than only how long it
// took:
//
//   anchors   memory_copy   memcpy of a 256 MiB buffer                          GB/s
//             disk_write    256 MiB through AtomicFile (write, fsync, rename)    GB/s
//             sgemm         OpenBLAS sgemm, 2048³                                GFLOP/s
//             sgesdd        LAPACK sgesdd, values only, called directly on the
//                           largest block layer (its time depends on the values)  s
//   figures   load          every tensor of the model decoded to float32         GB/s of stored bytes
//             rtn_safetensors  RTN 4-bit g128 of every layer, written as
//                           fake-quantized safetensors (export's own path)       GB/s of stored bytes
//             rtn_gguf      the same run written as GGUF                         GB/s of stored bytes
//             gptq_block    GPTQ 4-bit g128 of block 0's layers, on a synthetic
//                           Gram of the layer's width                            GFLOP/s (out·in² + in³/3
//                                                                                 multiply-adds per layer)
//             forward       tokens/s of the float32 forward pass on one window   tokens/s
//             spectrum      every singular value of the largest block layer
//                           (spectrum(), float32 default)                        s
//             spectrum_top64  its 64 largest by the randomized SVD               s
//
// Each figure carries its ratio to the anchors it is bounded by: a GB/s figure as a fraction of
// memory_copy (an export's also its written bytes per second as a fraction of disk_write), GPTQ and forward as a fraction of sgemm's
// GFLOP/s (forward: tokens/s × 2 × weights per token), the spectra as sgesdd's time over theirs.
// Times are wall-clock, the best of up to `repeats` runs while a figure's runs stay within the
// budget (the first run always happens); the anchors are timed before the pipeline and again
// after it, and the faster of the two counts (other load only ever slows a run). Exports go to a scratch folder that is removed after.
#include "base/Progress.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace salience {

struct ModelBenchOptions {
    std::string model;          // a model file or folder (Model::open)
    std::string scratch;        // folder for the exports; empty: a new one in the system's temp folder
    double budgetSeconds = 60;  // per figure: further runs only while the runs so far fit in it
    int repeats = 3;            // at most this many runs per figure
    int64_t forwardTokens = 64; // window of the forward pass
    int threads = 0;            // quantization threads; 0: one per core
};

struct BenchRatio {
    std::string anchor; // "memory_copy"
    double value = 0;   // figure / anchor, as described above (1 = at the anchor's speed)
};

struct BenchFigure {
    std::string name;        // "rtn_safetensors"
    std::string description; // what was timed
    double seconds = -1;     // best run; < 0: not measured
    int runs = 0;
    double rate = 0;         // in `unit`; 0 when the figure is a time
    std::string unit;        // "GB/s", "GFLOP/s", "tokens/s", "s"
    std::vector<BenchRatio> ratios;
    double writtenBytes = 0; // exports: the size of the file written
    // The most resident anonymous memory (base/MemoryUse.h) any run held above what the bench held
    // before it: what the step itself needs, the mapped model's file pages not counted.
    double peakAnonymousBytes = 0;
};

struct ModelBenchResult {
    std::string model;
    int64_t parameters = 0;
    double storedBytes = 0;    // bytes of the tensors as stored
    std::string largestLayer;  // of the blocks, the one the spectrum figures use
    int64_t largestRows = 0, largestCols = 0;
    std::vector<BenchFigure> anchors;
    std::vector<BenchFigure> figures;
};

// Throws InputError for a model that cannot be opened, a budget that is not positive or repeats
// below 1; CancelledError on cancel (checked between runs).
ModelBenchResult runModelBench(const ModelBenchOptions& options, Progress& progress);

// {"model", "parameters", "stored_bytes", "largest_layer": {name, rows, cols},
//  "anchors": [figure...], "figures": [figure...]} with figure = {name, description, seconds, runs,
//  written_bytes, rate, unit, ratios: {anchor: value}}; unmeasured numbers are null.
nlohmann::json modelBenchJson(const ModelBenchResult& result);

} // namespace salience
