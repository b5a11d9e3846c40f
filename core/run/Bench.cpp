#include "run/Bench.h"

#include "base/Error.h"
#include "linalg/Svd.h"
#include "quant/Gptq.h"
#include "quant/Hadamard.h"
#include "quant/KMeansLut.h"

#include <Eigen/SVD>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <set>

namespace salience {

namespace {

const char* kSource = "bench";
const double kNaN = std::numeric_limits<double>::quiet_NaN();

// The library's Lloyd iterations, with the nearest centroid found by scanning all of them.
void linearScanKmeansRow(const float* values, int64_t n, int clusters, int maxIterations, std::vector<uint8_t>& codes)
{
    std::vector<float> sorted(values, values + n);
    std::sort(sorted.begin(), sorted.end());
    auto fit = [&](std::vector<double> centroids, std::vector<uint8_t>& out) {
        const auto k = size_t(clusters);
        std::vector<double> sum(k);
        std::vector<int64_t> count(k);
        auto assign = [&] {
            bool changed = false;
            for (int64_t j = 0; j < n; ++j) {
                size_t best = 0;
                double bestDistance = std::abs(double(values[j]) - centroids[0]);
                for (size_t c = 1; c < k; ++c) {
                    const double distance = std::abs(double(values[j]) - centroids[c]);
                    if (distance < bestDistance) {
                        bestDistance = distance;
                        best = c;
                    }
                }
                changed |= out[size_t(j)] != best;
                out[size_t(j)] = uint8_t(best);
            }
            return changed;
        };
        out.assign(size_t(n), 0);
        assign();
        for (int it = 0; it < maxIterations; ++it) {
            std::fill(sum.begin(), sum.end(), 0.0);
            std::fill(count.begin(), count.end(), 0);
            for (int64_t j = 0; j < n; ++j) {
                sum[out[size_t(j)]] += values[j];
                ++count[out[size_t(j)]];
            }
            for (size_t c = 0; c < k; ++c)
                if (count[c] > 0)
                    centroids[c] = sum[c] / double(count[c]);
            std::sort(centroids.begin(), centroids.end());
            if (!assign())
                break;
        }
        double error = 0;
        for (int64_t j = 0; j < n; ++j) {
            const double d = double(values[j]) - centroids[out[size_t(j)]];
            error += d * d;
        }
        return error;
    };
    const auto k = size_t(clusters);
    std::vector<double> quantile(k), even(k);
    for (size_t c = 0; c < k; ++c) {
        quantile[c] = sorted[std::min(size_t(n) - 1, size_t(std::floor((double(c) + 0.5) * double(n) / double(k))))];
        even[c] = sorted.front() + (sorted.back() - sorted.front()) * double(c) / double(k - 1);
    }
    std::vector<uint8_t> other;
    const double a = fit(std::move(quantile), codes);
    const double b = fit(std::move(even), other);
    if (b < a)
        codes.swap(other);
}

struct KernelSpec {
    std::string name;
    std::string implementation;
    std::string reference;
    double nominalExponent; // for the first extrapolation, before two sizes are measured
    std::function<std::function<void()>(int64_t n, bool reference)> prepare; // inputs built, untimed
};

constexpr int kKmeansIterations = 20;

std::vector<KernelSpec> kernelSpecs(uint64_t seed)
{
    std::vector<KernelSpec> specs;
    specs.push_back({"svd", "thinSvd: LAPACK gesdd, double, thin U and V", "Eigen BDCSVD, double, thin U and V", 3.0,
                     [seed](int64_t n, bool reference) -> std::function<void()> {
                         const Matrix w = benchRandomMatrix(n, n, seed);
                         if (!reference)
                             return [w] { (void)thinSvd(w); };
                         const Eigen::MatrixXd wd = w.cast<double>();
                         return [wd] {
                             Eigen::BDCSVD<Eigen::MatrixXd> svd(wd, Eigen::ComputeThinU | Eigen::ComputeThinV);
                             (void)svd.singularValues();
                         };
                     }});
    specs.push_back({"gptq", "GPTQ 4-bit g128, lazy blocks of 128", "GPTQ 4-bit g128, blocks of 1 (column by column)",
                     3.0, [seed](int64_t n, bool reference) -> std::function<void()> {
                         auto w = std::make_shared<Matrix>(benchRandomMatrix(n, n, seed));
                         auto g = std::make_shared<MatrixD>(benchGram(n, n, seed + 1));
                         GptqOptions options;
                         options.blockSize = reference ? 1 : 128;
                         options.rtnGuard = false; // time GPTQ itself
                         QuantGrid grid;
                         grid.bits = 4;
                         grid.groupSize = 128;
                         return [w, g, options, grid, n] {
                             LayerData data;
                             data.gram = g.get();
                             data.gramTokens = n;
                             Progress quiet;
                             (void)quantizeGptq(*w, grid, options, data, quiet);
                         };
                     }});
    specs.push_back({"hadamard", "rotateRows: fast Walsh-Hadamard per row", "product with the dense n×n Hadamard matrix",
                     2.0, [seed](int64_t n, bool reference) -> std::function<void()> {
                         const Matrix m = benchRandomMatrix(n, n, seed);
                         const HadamardRotation rotation = HadamardRotation::randomized(n, seed);
                         if (!reference)
                             return [m, rotation] { (void)rotateRows(m, rotation); };
                         const Matrix h = hadamardMatrix(rotation);
                         return [m, h] {
                             Matrix r = m * h.transpose();
                             (void)r;
                         };
                     }});
    specs.push_back({"kmeans", "k-means 4-bit per row, binary-search assignment",
                     "the same Lloyd iterations with a linear scan over the 16 centroids", 2.0,
                     [seed](int64_t n, bool reference) -> std::function<void()> {
                         const Matrix w = benchRandomMatrix(n, n, seed);
                         if (!reference)
                             return [w] {
                                 QuantGrid grid;
                                 grid.bits = 4;
                                 KmeansOptions options;
                                 options.maxIterations = kKmeansIterations;
                                 Progress quiet;
                                 (void)quantizeKmeans(w, grid, options, LayerData{}, quiet);
                             };
                         return [w] {
                             std::vector<uint8_t> codes;
                             for (int64_t r = 0; r < w.rows(); ++r)
                                 linearScanKmeansRow(w.row(r).data(), w.cols(), 16, kKmeansIterations, codes);
                         };
                     }});
    return specs;
}

} // namespace

Matrix benchRandomMatrix(int64_t rows, int64_t cols, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    Matrix m(rows, cols);
    for (int64_t i = 0; i < m.size(); ++i) // uniform in [-1, 1) from the top 24 bits
        m.data()[i] = float(double(rng() >> 40) / double(1 << 23) - 1.0);
    return m;
}

MatrixD benchGram(int64_t n, int64_t tokens, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    Eigen::VectorXd u(n), d(n);
    for (int64_t i = 0; i < n; ++i) {
        u(i) = double(rng() >> 11) / double(uint64_t(1) << 53) * 2.0 - 1.0;
        d(i) = 0.5 + double(rng() >> 11) / double(uint64_t(1) << 53);
    }
    MatrixD g = 0.5 * u * u.transpose();
    g.diagonal() += d;
    return g * double(tokens);
}

double bestSeconds(const std::function<void()>& run)
{
    using Clock = std::chrono::steady_clock;
    double total = 0, best = std::numeric_limits<double>::infinity();
    int runs = 0;
    do {
        const auto start = Clock::now();
        run();
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        total += seconds;
        best = std::min(best, seconds);
        ++runs;
        if (runs == 1 && seconds >= 0.5)
            break;
    } while ((total < 0.2 || runs < 3) && runs < 20);
    return best;
}

double scalingExponent(const std::vector<int64_t>& sizes, const std::vector<double>& seconds)
{
    std::vector<double> x, y;
    for (size_t i = 0; i < sizes.size() && i < seconds.size(); ++i)
        if (seconds[i] > 0 && sizes[i] > 0) {
            x.push_back(std::log(double(sizes[i])));
            y.push_back(std::log(seconds[i]));
        }
    if (x.size() < 2)
        return kNaN;
    double mx = 0, my = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        mx += x[i];
        my += y[i];
    }
    mx /= double(x.size());
    my /= double(x.size());
    double sxx = 0, sxy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    return sxx > 0 ? sxy / sxx : kNaN;
}

BenchResult runBench(const BenchOptions& options, Progress& progress)
{
    if (options.sizes.empty())
        throw InputError(kSource, "no sizes to time");
    for (int64_t n : options.sizes)
        if (n < 16 || n > 16384)
            throw InputError(kSource, "sizes must lie in 16..16384, got " + std::to_string(n));
    if (!(options.budgetSeconds > 0))
        throw InputError(kSource, "the time budget must be positive");
    std::vector<int64_t> sizes = options.sizes;
    std::sort(sizes.begin(), sizes.end());
    sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());

    std::vector<KernelSpec> specs = kernelSpecs(options.seed);
    if (!options.kernels.empty()) {
        std::set<std::string> wanted(options.kernels.begin(), options.kernels.end());
        for (const auto& name : wanted)
            if (std::none_of(specs.begin(), specs.end(), [&](const KernelSpec& s) { return s.name == name; }))
                throw InputError(kSource, "unknown kernel '" + name + "' (known: svd, gptq, hadamard, kmeans)");
        std::erase_if(specs, [&](const KernelSpec& s) { return !wanted.count(s.name); });
    }

    BenchResult result;
    const double total = double(specs.size() * sizes.size() * 2);
    double step = 0;
    for (const auto& spec : specs) {
        BenchKernel kernel;
        kernel.name = spec.name;
        kernel.implementation = spec.implementation;
        kernel.reference = spec.reference;
        for (int64_t n : sizes)
            kernel.points.push_back({n, -1, -1});
        for (bool reference : {false, true}) {
            double spent = 0;
            std::vector<int64_t> doneSizes;
            std::vector<double> doneSeconds;
            for (auto& point : kernel.points) {
                progress.throwIfCancelled();
                progress.report(step++ / total, spec.name + (reference ? " reference" : "") + " n=" +
                                                    std::to_string(point.size));
                if (!doneSizes.empty()) {
                    double exponent = scalingExponent(doneSizes, doneSeconds);
                    if (!std::isfinite(exponent) || exponent < spec.nominalExponent)
                        exponent = spec.nominalExponent; // small sizes understate the growth
                    const double predicted =
                        doneSeconds.back() * std::pow(double(point.size) / double(doneSizes.back()), exponent);
                    if (spent + predicted > options.budgetSeconds)
                        break; // and every larger size
                }
                const std::function<void()> run = spec.prepare(point.size, reference);
                const double seconds = bestSeconds(run);
                spent += seconds;
                (reference ? point.referenceSeconds : point.seconds) = seconds;
                doneSizes.push_back(point.size);
                doneSeconds.push_back(seconds);
            }
            (reference ? kernel.referenceExponent : kernel.exponent) = scalingExponent(doneSizes, doneSeconds);
        }
        result.kernels.push_back(std::move(kernel));
    }
    progress.report(1.0, "done");
    return result;
}

nlohmann::json benchJson(const BenchResult& result)
{
    auto numberOrNull = [](double v, bool present) {
        return present && std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
    };
    nlohmann::json kernels = nlohmann::json::array();
    for (const auto& k : result.kernels) {
        nlohmann::json points = nlohmann::json::array();
        for (const auto& p : k.points)
            points.push_back({{"size", p.size},
                              {"seconds", numberOrNull(p.seconds, p.measured())},
                              {"reference_seconds", numberOrNull(p.referenceSeconds, p.referenceMeasured())},
                              {"speedup", numberOrNull(p.speedup(), p.speedup() > 0)}});
        kernels.push_back({{"name", k.name},
                           {"implementation", k.implementation},
                           {"reference", k.reference},
                           {"exponent", numberOrNull(k.exponent, true)},
                           {"reference_exponent", numberOrNull(k.referenceExponent, true)},
                           {"points", std::move(points)}});
    }
    return {{"kernels", std::move(kernels)}};
}

} // namespace salience
