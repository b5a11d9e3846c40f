// salience-cli bench [--sizes 256,512,1024,2048,4096] [--quick] [--kernels svd,...] [--budget S]
//                     [--json]: time the costly kernels against plain references in the same run,
// with the scaling exponent of each (run/Bench.h).
// salience-cli bench --model DIR [--budget S] [--repeats N] [--scratch DIR] [--json]: time the real
// pipeline on a model, each figure beside anchors measured in the same run (run/ModelBench.h).
#include "CliSupport.h"
#include "Commands.h"

#include "base/Error.h"
#include "run/Bench.h"
#include "export/ModelBench.h"

#include <cmath>
#include <cstdio>
#include <memory>

namespace salience::cli {

namespace {

struct BenchCommandOptions {
    std::vector<int64_t> sizes{256, 512, 1024, 2048, 4096};
    std::vector<std::string> kernels;
    double budget = BenchOptions{}.budgetSeconds;
    bool quick = false;
    bool json = false;
    std::string model;
    std::string scratch;
    int repeats = ModelBenchOptions{}.repeats;
    int threads = 0;
};

std::string seconds(double s)
{
    if (s < 0)
        return "skipped";
    char buf[32];
    std::snprintf(buf, sizeof buf, s < 0.01 ? "%.2f ms" : "%.3f s", s < 0.01 ? s * 1000 : s);
    return buf;
}

std::string exponent(double e)
{
    if (!std::isfinite(e))
        return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", e);
    return buf;
}

void printBench(const BenchResult& result)
{
    for (const auto& k : result.kernels) {
        std::printf("%s\n  kernel:    %s\n  reference: %s\n", k.name.c_str(), k.implementation.c_str(),
                    k.reference.c_str());
        std::printf("  %6s %12s %12s %9s\n", "n", "kernel", "reference", "speedup");
        for (const auto& p : k.points) {
            char ratio[32] = "-";
            if (p.speedup() > 0)
                std::snprintf(ratio, sizeof ratio, "%.2fx", p.speedup());
            std::printf("  %6lld %12s %12s %9s\n", (long long)p.size, seconds(p.seconds).c_str(),
                        seconds(p.referenceSeconds).c_str(), ratio);
        }
        std::printf("  scaling exponent: kernel %s, reference %s\n\n", exponent(k.exponent).c_str(),
                    exponent(k.referenceExponent).c_str());
    }
    std::printf("speedup = reference time / kernel time; exponent = slope of log(time) on log(n); sizes whose "
                "extrapolated time exceeds the budget are skipped\n");
}

void printFigure(const BenchFigure& f)
{
    char rate[48] = "";
    if (f.unit != "s")
        std::snprintf(rate, sizeof rate, "%10.3f %-8s", f.rate, f.unit.c_str());
    else
        std::snprintf(rate, sizeof rate, "%19s", "");
    std::printf("  %-16s %10s %s", f.name.c_str(), seconds(f.seconds).c_str(), rate);
    for (const auto& r : f.ratios)
        std::printf("  %.3g of %s", r.value, r.anchor.c_str());
    std::printf("\n  %-16s %s (best of %d", "", f.description.c_str(), f.runs);
    if (f.writtenBytes > 0)
        std::printf("; wrote %.3f GB", f.writtenBytes / 1e9);
    if (f.peakAnonymousBytes > 0)
        std::printf("; peak memory +%.2f GiB", f.peakAnonymousBytes / double(1 << 30));
    std::printf(")\n");
}

void runModelBenchCommand(CLI::App& cmd, const BenchCommandOptions& o)
{
    for (const char* other : {"--sizes", "--quick", "--kernels"})
        if (cmd.count(other))
            throw InputError(other, "times kernels on random matrices; --model times the pipeline on a model");
    ModelBenchOptions options;
    options.model = o.model;
    options.scratch = o.scratch;
    options.repeats = o.repeats;
    options.threads = o.threads;
    if (cmd.count("--budget"))
        options.budgetSeconds = o.budget;
    Progress progress = terminalProgress("bench");
    const ModelBenchResult result = runModelBench(options, progress);
    finishProgress();
    if (o.json) {
        printJson(modelBenchJson(result));
        return;
    }
    std::printf("%s: %lld parameters, %.3f GB stored; largest block layer %s [%lld, %lld]\n", result.model.c_str(),
                (long long)result.parameters, result.storedBytes / 1e9, result.largestLayer.c_str(),
                (long long)result.largestRows, (long long)result.largestCols);
    std::printf("anchors (this machine, this run)\n");
    for (const auto& a : result.anchors)
        printFigure(a);
    std::printf("pipeline\n");
    for (const auto& f : result.figures)
        printFigure(f);
    std::printf("ratios: a rate over its anchor's rate (GB/s read over memory copy, GB/s written over disk write; GFLOP/s, or tokens/s "
                "x 2 x weights per token, over sgemm), or for a time, sgesdd's time over it; 1 = at the anchor\n");
}

void runBenchCommand(CLI::App& cmd, const BenchCommandOptions& o)
{
    if (!o.model.empty()) {
        runModelBenchCommand(cmd, o);
        return;
    }
    for (const char* modelOnly : {"--repeats", "--scratch", "--threads"})
        if (cmd.count(modelOnly))
            throw InputError(modelOnly, "applies to bench --model only");
    BenchOptions options;
    options.sizes = o.sizes;
    if (o.quick) {
        if (cmd.count("--sizes"))
            throw InputError("--quick", "give either --quick or --sizes");
        options.sizes = {64, 128};
    }
    options.kernels = o.kernels;
    options.budgetSeconds = o.budget;
    Progress progress = terminalProgress("bench");
    const BenchResult result = runBench(options, progress);
    finishProgress();
    if (o.json)
        printJson(benchJson(result));
    else
        printBench(result);
}

} // namespace

void addBenchCommand(CLI::App& app)
{
    auto o = std::make_shared<BenchCommandOptions>();
    CLI::App* cmd = app.add_subcommand("bench", "Time SVD, GPTQ, Hadamard and k-means at several sizes against plain "
                                                "references, with each one's scaling exponent; with --model, the real pipeline on a "
                                                "model beside memory, disk, sgemm and sgesdd anchors");
    cmd->add_option("--sizes", o->sizes, "Matrix sizes n (n×n)")->delimiter(',')->capture_default_str();
    cmd->add_flag("--quick", o->quick, "Sizes 64 and 128 only (seconds, for tests)");
    cmd->add_option("--kernels", o->kernels, "Only these kernels: svd, gptq, hadamard, kmeans")->delimiter(',');
    cmd->add_option("--budget", o->budget,
                    "Seconds per kernel and per reference; larger sizes are skipped (with --model: per figure, "
                    "further runs only while they fit; default " +
                        std::to_string(int(ModelBenchOptions{}.budgetSeconds)) + ")")
        ->capture_default_str();
    cmd->add_option("--model", o->model,
                    "Time the real pipeline on this model instead (load, RTN export to safetensors and GGUF, GPTQ of "
                    "one block, forward pass, spectrum of the largest layer) beside anchors measured in the same run");
    cmd->add_option("--repeats", o->repeats, "With --model: at most this many runs per figure (the best counts)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option("--scratch", o->scratch, "With --model: folder for the exports (default: a temporary one, removed)");
    cmd->add_option("--threads", o->threads, "With --model: quantization threads (default: one per core)");
    cmd->add_flag("--json", o->json, "Print the timings as JSON");
    cmd->final_callback([cmd, o] { runBenchCommand(*cmd, *o); });
}

} // namespace salience::cli
