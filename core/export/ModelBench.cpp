#include "export/ModelBench.h"

#include "analysis/Spectrum.h"
#include "base/Error.h"
#include "base/MemoryUse.h"
#include "eval/Transformer.h"
#include "export/ExportRun.h"
#include "io/AtomicFile.h"
#include "linalg/Svd.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "quant/Gptq.h"
#include "run/Bench.h"
#include "run/Runner.h"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>

namespace fs = std::filesystem;

namespace salience {

namespace {

const char* kSource = "bench --model";
constexpr size_t kAnchorBytes = size_t(256) << 20;
constexpr int64_t kGemmSize = 2048;

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs `run` until `repeats` runs are done or another would overrun the budget; keeps the best.
BenchFigure timed(std::string name, std::string description, const ModelBenchOptions& options,
                  const Progress& progress, const std::function<void()>& run)
{
    BenchFigure f;
    f.name = std::move(name);
    f.description = std::move(description);
    double best = std::numeric_limits<double>::infinity(), spent = 0;
    do {
        progress.throwIfCancelled();
        const PeakAnonymousMemory memory;
        const auto start = std::chrono::steady_clock::now();
        run();
        const double s = secondsSince(start);
        best = std::min(best, s);
        spent += s;
        ++f.runs;
        f.peakAnonymousBytes = std::max(f.peakAnonymousBytes, double(memory.peakAboveStart()));
    } while (f.runs < options.repeats && spent + best <= options.budgetSeconds);
    f.seconds = best;
    return f;
}

void setRate(BenchFigure& f, double amount, std::string unit)
{
    f.rate = f.seconds > 0 ? amount / f.seconds : 0;
    f.unit = std::move(unit);
}

void addRatio(BenchFigure& f, const std::string& anchorName, double figureRate = 0)
{
    f.ratios.push_back({anchorName, figureRate});
}

// A folder for the exports: the one given (created when missing), else a fresh temporary one.
struct Scratch {
    fs::path dir;
    bool created = false;
    explicit Scratch(const std::string& given)
    {
        if (!given.empty()) {
            dir = given;
            created = !fs::exists(dir);
            fs::create_directories(dir);
            return;
        }
        std::string pattern = (fs::temp_directory_path() / "salience-bench-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw InputError(kSource, "cannot create a scratch folder in " + fs::temp_directory_path().string());
        dir = pattern;
        created = true;
    }
    ~Scratch()
    {
        std::error_code ignored;
        if (created)
            fs::remove_all(dir, ignored);
    }
};

void removeOutputs(const fs::path& dir, const std::string& stem)
{
    std::error_code ignored;
    for (const auto& e : fs::directory_iterator(dir, ignored))
        if (e.path().filename().string().rfind(stem, 0) == 0)
            fs::remove_all(e.path(), ignored);
}

// memory_copy, disk_write, sgemm and sgesdd, as the header describes them.
std::vector<BenchFigure> timeAnchors(const Model& model, const LinearLayer& largest, const fs::path& scratchDir,
                                     const ModelBenchOptions& options, const Progress& progress)
{
    std::vector<BenchFigure> anchors;
    {
        std::vector<uint8_t> from(kAnchorBytes, 1), to(kAnchorBytes, 0); // touched: no page faults timed
        BenchFigure f = timed("memory_copy", "memcpy of 256 MiB (one thread)", options, progress,
                              [&] { std::memcpy(to.data(), from.data(), kAnchorBytes); });
        setRate(f, double(kAnchorBytes) / 1e9, "GB/s");
        anchors.push_back(f);

        const std::string path = (scratchDir / "anchor.bin").string();
        BenchFigure d = timed("disk_write", "256 MiB through AtomicFile: write, fsync, rename", options, progress, [&] {
            AtomicFile file(path, true);
            file.stream().write(reinterpret_cast<const char*>(from.data()), std::streamsize(kAnchorBytes));
            file.commit();
        });
        setRate(d, double(kAnchorBytes) / 1e9, "GB/s");
        anchors.push_back(d);
        fs::remove(path);
    }
    {
        const Matrix a = benchRandomMatrix(kGemmSize, kGemmSize, 1), b = benchRandomMatrix(kGemmSize, kGemmSize, 2);
        Matrix c(kGemmSize, kGemmSize);
        const int n = int(kGemmSize);
        BenchFigure f = timed("sgemm", "OpenBLAS sgemm, 2048 x 2048 x 2048", options, progress, [&] {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f,
                        c.data(), n);
        });
        setRate(f, 2.0 * double(kGemmSize) * double(kGemmSize) * double(kGemmSize) / 1e9, "GFLOP/s");
        anchors.push_back(f);
    }
    {
        // On the layer itself: gesdd's time depends on the spectrum, not only on the shape.
        const Matrix w = model.weight(largest);
        const Eigen::MatrixXf columnMajor = w;
        BenchFigure f = timed("sgesdd",
                              "LAPACK sgesdd, singular values only, of " + largest.name + " (" +
                                  std::to_string(largest.outFeatures) + " x " + std::to_string(largest.inFeatures) + ")",
                              options, progress, [&] {
                                  Eigen::MatrixXf a = columnMajor; // gesdd overwrites its input
                                  Eigen::VectorXf s(std::min(a.rows(), a.cols()));
                                  float unused = 0;
                                  if (LAPACKE_sgesdd(LAPACK_COL_MAJOR, 'N', lapack_int(a.rows()), lapack_int(a.cols()),
                                                     a.data(), lapack_int(a.rows()), s.data(), &unused, 1, &unused,
                                                     1) != 0)
                                      throw Error("bench: sgesdd failed on " + largest.name);
                              });
        f.unit = "s";
        anchors.push_back(f);
    }
    return anchors;
}

// A figure's ratios hold, until the anchors are final, the figure's own side: a rate in the
// anchor's unit, or (against a time) nothing. Then value = rate / anchor rate, or anchor
// seconds / figure seconds.
void finishRatios(BenchFigure& f, const std::vector<BenchFigure>& anchors)
{
    for (auto& r : f.ratios) {
        const auto a = std::find_if(anchors.begin(), anchors.end(), [&](const BenchFigure& x) { return x.name == r.anchor; });
        if (a == anchors.end())
            throw Error("bench: no anchor " + r.anchor);
        const double value = a->unit == "s" ? a->seconds / f.seconds : r.value / a->rate;
        r.value = std::isfinite(value) ? value : 0.0;
    }
}

} // namespace

ModelBenchResult runModelBench(const ModelBenchOptions& options, Progress& progress)
{
    if (!(options.budgetSeconds > 0))
        throw InputError(kSource, "the time budget must be positive");
    if (options.repeats < 1)
        throw InputError(kSource, "needs at least one run per figure");
    if (options.forwardTokens < 1)
        throw InputError(kSource, "the forward window needs at least one token");

    ModelBenchResult result;
    const Model model = Model::open(options.model);
    result.model = options.model;
    for (const auto& t : model.reader().tensors()) {
        result.parameters += t.numel();
        result.storedBytes += double(t.byteSize);
    }
    const LinearLayer* largest = nullptr;
    for (const auto& l : model.layers())
        if (l.block >= 0 && (!largest || l.numel() > largest->numel()))
            largest = &l;
    if (!largest)
        throw InputError(options.model, "has no block layers to time");
    result.largestLayer = largest->name;
    result.largestRows = largest->outFeatures;
    result.largestCols = largest->inFeatures;
    Scratch scratch(options.scratch);
    const double gigabytes = result.storedBytes / 1e9;
    const int steps = 9;
    int step = 0;
    auto next = [&](const std::string& what) { progress.report(double(step++) / steps, what); };

    // Anchors are timed before the pipeline and again after it, and the faster of the two counts:
    // other work on the machine only ever slows a run, and the pipeline takes minutes.
    next("anchors");
    const std::vector<BenchFigure> first = timeAnchors(model, *largest, scratch.dir, options, progress);

    // ---- The pipeline ----
    next("load");
    {
        BenchFigure f = timed("load", "open the model and decode every tensor to float32", options, progress, [&] {
            const Model m = Model::open(options.model);
            for (const auto& t : m.reader().tensors()) {
                const auto layer = std::find_if(m.layers().begin(), m.layers().end(),
                                                [&](const LinearLayer& l) { return l.tensorName == t.name; });
                if (layer != m.layers().end())
                    (void)m.weight(*layer);
                else
                    (void)m.reader().readFloat(t.name);
            }
        });
        setRate(f, gigabytes, "GB/s");
        addRatio(f, "memory_copy", f.rate);
        result.figures.push_back(f);
    }
    const QuantPlan plan = QuantPlan::uniform(Recipe{});
    auto rtnExport = [&](const std::string& name, const std::string& file, ExportFormat format) {
        ExportRequest request;
        request.out = (scratch.dir / file).string();
        request.format = format;
        request.overwrite = true;
        checkExportable(model, request);
        BenchFigure f = timed(name, "RTN 4-bit g128 of every layer, written to " + file, options, progress, [&] {
            Progress quiet = progress.silent();
            const Model m = Model::open(options.model);
            RunOptions runOptions;
            runOptions.threads = options.threads;
            (void)exportPlan(m, plan, nullptr, runOptions, request, quiet);
        });
        std::error_code missing;
        f.writtenBytes = double(fs::file_size(request.out, missing));
        removeOutputs(scratch.dir, fs::path(file).stem().string());
        setRate(f, gigabytes, "GB/s");
        addRatio(f, "memory_copy", f.rate);
        // Against the disk, what was written: a GGUF keeps the embedding in float32.
        addRatio(f, "disk_write", f.writtenBytes / 1e9 / f.seconds);
        result.figures.push_back(f);
    };
    next("RTN export to safetensors");
    rtnExport("rtn_safetensors", "rtn.safetensors", ExportFormat::FakeQuant);
    next("RTN export to GGUF");
    rtnExport("rtn_gguf", "rtn.gguf", ExportFormat::Gguf);

    next("GPTQ of block 0");
    {
        std::vector<const LinearLayer*> block;
        for (const auto& l : model.layers())
            if (l.block == 0)
                block.push_back(&l);
        std::vector<Matrix> weights;
        std::vector<MatrixD> grams;
        double flops = 0;
        for (const auto* l : block) {
            weights.push_back(model.weight(*l));
            grams.push_back(benchGram(l->inFeatures, l->inFeatures, 7));
            const double out = double(l->outFeatures), in = double(l->inFeatures);
            flops += 2.0 * (out * in * in + in * in * in / 3.0);
        }
        QuantGrid grid;
        GptqOptions gptqOptions;
        gptqOptions.threads = options.threads;
        BenchFigure f = timed("gptq_block", "GPTQ 4-bit g128 of block 0's " + std::to_string(block.size()) +
                                                " layers on a synthetic Gram",
                              options, progress, [&] {
                                  for (size_t i = 0; i < block.size(); ++i) {
                                      LayerData data;
                                      data.gram = &grams[i];
                                      data.gramTokens = block[i]->inFeatures;
                                      Progress quiet = progress.silent();
                                      (void)quantizeGptq(weights[i], grid, gptqOptions, data, quiet);
                                  }
                              });
        setRate(f, flops / 1e9, "GFLOP/s");
        addRatio(f, "sgemm", f.rate);
        result.figures.push_back(f);
    }

    next("forward pass");
    {
        Progress quiet = progress.silent();
        const Transformer transformer = Transformer::load(model, quiet);
        std::vector<int32_t> tokens(size_t(options.forwardTokens));
        for (size_t i = 0; i < tokens.size(); ++i)
            tokens[i] = int32_t((i * 7919 + 1) % size_t(transformer.vocabSize()));
        // Every weight a token multiplies: the blocks' and the classifier (the embedding, when tied).
        double weightsPerToken = 0;
        bool classifier = false;
        for (const auto& name : transformer.linearLayerNames()) {
            weightsPerToken += double(transformer.linearWeight(name).size());
            classifier = classifier || name == "lm_head";
        }
        if (!classifier)
            weightsPerToken += double(transformer.vocabSize()) * double(transformer.config().dim);
        BenchFigure f = timed("forward", "float32 forward pass of " + std::to_string(tokens.size()) + " tokens",
                              options, progress, [&] { (void)transformer.forward(tokens); });
        setRate(f, double(tokens.size()), "tokens/s");
        addRatio(f, "sgemm", f.rate * 2.0 * weightsPerToken / 1e9);
        result.figures.push_back(f);
    }

    next("spectrum");
    {
        const Matrix w = model.weight(*largest);
        const std::string shape = std::to_string(w.rows()) + " x " + std::to_string(w.cols());
        BenchFigure f = timed("spectrum", "every singular value of " + largest->name + " (" + shape + ")", options,
                              progress, [&] { (void)spectrum(w); });
        f.unit = "s";
        addRatio(f, "sgesdd");
        result.figures.push_back(f);
        BenchFigure top = timed("spectrum_top64", "the 64 largest singular values of the same layer (randomized SVD)",
                                options, progress, [&] {
                                    Progress quiet = progress.silent();
                                    (void)topSpectrum(w, 64, quiet);
                                });
        top.unit = "s";
        addRatio(top, "sgesdd");
        result.figures.push_back(top);
    }
    next("anchors again");
    const std::vector<BenchFigure> second = timeAnchors(model, *largest, scratch.dir, options, progress);
    for (size_t i = 0; i < first.size(); ++i) {
        BenchFigure best = second[i].seconds < first[i].seconds ? second[i] : first[i];
        best.runs = first[i].runs + second[i].runs;
        result.anchors.push_back(best);
    }
    for (auto& f : result.figures)
        finishRatios(f, result.anchors);
    progress.report(1.0, "done");
    return result;
}

nlohmann::json modelBenchJson(const ModelBenchResult& result)
{
    auto figureJson = [](const BenchFigure& f) {
        nlohmann::json ratios = nlohmann::json::object();
        for (const auto& r : f.ratios)
            ratios[r.anchor] = r.value;
        return nlohmann::json{{"name", f.name},
                              {"description", f.description},
                              {"seconds", f.seconds >= 0 ? nlohmann::json(f.seconds) : nlohmann::json(nullptr)},
                              {"runs", f.runs},
                              {"written_bytes", f.writtenBytes > 0 ? nlohmann::json(f.writtenBytes) : nlohmann::json(nullptr)},
                              {"peak_anonymous_bytes", f.peakAnonymousBytes},
                              {"rate", f.unit == "s" ? nlohmann::json(nullptr) : nlohmann::json(f.rate)},
                              {"unit", f.unit},
                              {"ratios", std::move(ratios)}};
    };
    nlohmann::json anchors = nlohmann::json::array(), figures = nlohmann::json::array();
    for (const auto& a : result.anchors)
        anchors.push_back(figureJson(a));
    for (const auto& f : result.figures)
        figures.push_back(figureJson(f));
    return {{"model", result.model},
            {"parameters", result.parameters},
            {"stored_bytes", result.storedBytes},
            {"largest_layer", {{"name", result.largestLayer}, {"rows", result.largestRows}, {"cols", result.largestCols}}},
            {"anchors", std::move(anchors)},
            {"figures", std::move(figures)}};
}

} // namespace salience
