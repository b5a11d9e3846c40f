// salience-cli bench [--sizes 256,512,1024,2048,4096] [--quick] [--kernels svd,...] [--budget S]
//                     [--json]: time the costly kernels against plain references in the same run,
// with the scaling exponent of each (run/Bench.h).
#include "CliSupport.h"
#include "Commands.h"

#include "base/Error.h"
#include "run/Bench.h"

#include <cmath>
#include <cstdio>
#include <memory>

namespace salience::cli {

namespace {

struct BenchCommandOptions {
    std::vector<int64_t> sizes{256, 512, 1024, 2048, 4096};
    std::vector<std::string> kernels;
    double budget = 15;
    bool quick = false;
    bool json = false;
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

void runBenchCommand(CLI::App& cmd, const BenchCommandOptions& o)
{
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
                                                "references, with each one's scaling exponent");
    cmd->add_option("--sizes", o->sizes, "Matrix sizes n (n×n)")->delimiter(',')->capture_default_str();
    cmd->add_flag("--quick", o->quick, "Sizes 64 and 128 only (seconds, for tests)");
    cmd->add_option("--kernels", o->kernels, "Only these kernels: svd, gptq, hadamard, kmeans")->delimiter(',');
    cmd->add_option("--budget", o->budget, "Seconds per kernel and per reference; larger sizes are skipped")
        ->capture_default_str();
    cmd->add_flag("--json", o->json, "Print the timings as JSON");
    cmd->final_callback([cmd, o] { runBenchCommand(*cmd, *o); });
}

} // namespace salience::cli
