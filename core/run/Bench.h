#pragma once
// Timing the costly kernels of the workbench at growing sizes, each against a plain reference
// timed in the same run, and how each scales with the size n:
//
//   svd       thinSvd of an n×n matrix (LAPACK gesdd)     vs Eigen's BDCSVD, thin U and V
//   gptq      GPTQ of an n×n layer, lazy blocks of 128     vs blocks of 1 (column by column)
//   hadamard  rotateRows of an n×n matrix (fast Walsh–Hadamard, n log n per row)
//                                                          vs the product with the dense H
//   kmeans    4-bit k-means of an n×n layer (binary-search assignment)
//                                                          vs the same Lloyd iterations with a
//                                                             linear scan over the centroids
//
// The exponent is the least-squares slope of log(time) against log(n). A size whose time,
// extrapolated from the sizes already measured, would not fit in what is left of the
// implementation's time budget is skipped with every larger one, so the default run ends in
// minutes on a small machine. Inputs are random with a fixed seed; times are wall-clock
// seconds, the fastest of several runs for short ones (other load only ever adds time).
#include "base/Progress.h"

#include <nlohmann/json.hpp>

#include "tensor/Tensor.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace salience {

struct BenchOptions {
    std::vector<int64_t> sizes{256, 512, 1024, 2048, 4096};
    // Per kernel and per reference. 150 s reaches n = 4096 for every kernel and reference on 2
    // cores (the slowest, Eigen's BDCSVD, needs about 105 s for 256…4096).
    double budgetSeconds = 150;
    uint64_t seed = 1;
    // Empty: every kernel; else a subset of "svd", "gptq", "hadamard", "kmeans".
    std::vector<std::string> kernels;
};

struct BenchPoint {
    int64_t size = 0;
    double seconds = -1;          // < 0: skipped
    double referenceSeconds = -1; // < 0: skipped (or no reference)
    bool measured() const { return seconds >= 0; }
    bool referenceMeasured() const { return referenceSeconds >= 0; }
    // reference / kernel: how many times faster the kernel is; 0 unless both were measured.
    double speedup() const { return measured() && referenceMeasured() && seconds > 0 ? referenceSeconds / seconds : 0; }
};

struct BenchKernel {
    std::string name;           // "svd"
    std::string implementation; // what is timed
    std::string reference;      // what it is compared with; empty when nothing
    std::vector<BenchPoint> points;
    double exponent = 0;          // of the kernel; NaN with fewer than two measured sizes
    double referenceExponent = 0; // NaN likewise
};

struct BenchResult {
    std::vector<BenchKernel> kernels;
};

// Inputs and timing shared with the model bench (ModelBench.h).
// Uniform in [-1, 1), from a fixed seed.
Matrix benchRandomMatrix(int64_t rows, int64_t cols, uint64_t seed);
// A well-conditioned Gram matrix of `tokens` rows, built in O(n²): what GPTQ's time depends on
// is its size, not where it came from.
MatrixD benchGram(int64_t n, int64_t tokens, uint64_t seed);
// The fastest of several runs of `run`: other load on the machine only ever adds time. A run of
// half a second or more is timed once; shorter ones are repeated, at least three times, until
// they have taken 0.2 s together (at most 20 runs).
double bestSeconds(const std::function<void()>& run);

// Least-squares slope of log(seconds) on log(size) over the pairs with seconds > 0; NaN with
// fewer than two such pairs or a single distinct size.
double scalingExponent(const std::vector<int64_t>& sizes, const std::vector<double>& seconds);

// Throws InputError("bench", ...) for no sizes, a size outside 16..16384, an unknown kernel
// name or a budget that is not positive; CancelledError on cancel (checked between runs).
BenchResult runBench(const BenchOptions& options, Progress& progress);

// {"kernels": [{name, implementation, reference, exponent, reference_exponent,
//   points: [{size, seconds, reference_seconds, speedup}]}]}; skipped numbers are null.
nlohmann::json benchJson(const BenchResult& result);

} // namespace salience
