#include "SensitivitySupport.h"

#include "base/Error.h"
#include "eval/TokenizerLookup.h"
#include "model/ModelFingerprint.h"
#include "quant/MethodRegistry.h"
#include "run/Capture.h"
#include "run/SensitivityFile.h"

#include <filesystem>
#include <limits>

namespace salience::cli {

void addCalibrationOptions(CLI::App& cmd, CalibrationOptions& o)
{
    addTextPartOption(cmd, o.part);
    cmd.add_option("--tokens", o.tokens, "Calibration tokens of that part to use (0: all)")->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd.add_option("--window,-c", o.window, "Tokens per window, BOS included")
        ->capture_default_str()
        ->check(CLI::Range(int64_t(2), int64_t(1) << 20));
    cmd.add_option("--tokenizer", o.tokenizer,
                   "Tokenizer: a tokenizer.json or its folder, a llama2.c tokenizer.bin, or a GGUF (default: found "
                   "beside or inside the model)")
        ->check(CLI::ExistingPath);
    cmd.add_option("--candidates", o.candidates,
                   "Candidate recipes, comma-separated; each is fields joined by ':' of B (bits), BgG (bits and group "
                   "size), gG, rR (rank) or a method name (default: 2g32,3g128,3g64,3g32,4g128,4g64,4g32,5g32,6g32,"
                   "8g32; for a low-rank method r0,r4,r8,r16,r32)");
    cmd.add_option("--unit", o.unit, "What is quantized alone per row: layer, role or block")->capture_default_str();
    cmd.add_option("--measure", o.measure,
                   "Damage measure: kl (mean KL divergence from the float model) or nll (mean NLL change)")
        ->capture_default_str();
    cmd.add_option("--threads", o.threads, "Worker threads (default: one per core)")
        ->check(CLI::NonNegativeNumber);
}

const ActivationStore* Calibration::activations(const OpenedModel& opened) const
{
    if (opened.activations)
        return &*opened.activations;
    return captured ? &*captured : nullptr;
}

namespace {

Calibration prepareCalibration(const OpenedModel& opened, const CalibrationOptions& o, Progress& progress)
{
    Calibration c;
    c.part = parseTextPart(o.part, "--part");
    const Tokenizer tokenizer = tokenizerFor(opened.model, o.tokenizer);
    c.bos = tokenizer.bosId();
    c.tokens = textPartTokens(tokenizer, o.text, o.part, o.tokens);
    c.textSource = o.text;
    Progress loading = progress.child(0.0, 0.5);
    c.floatModel = Transformer::load(opened.model, loading);
    Progress hashing = progress.child(0.5, 1.0);
    c.modelFingerprint = modelFingerprint(opened.model, hashing);
    return c;
}

} // namespace

void captureIfNeeded(Calibration& c, const OpenedModel& opened, const std::vector<Recipe>& recipes, int threads,
                     Progress& progress)
{
    if (opened.activations || c.captured)
        return;
    bool needed = false;
    for (const auto& r : recipes) {
        const MethodInfo* m = findMethod(r.method);
        needed = needed || (m && m->needsActivations);
    }
    if (!needed)
        return;
    CaptureOptions options;
    options.window = c.reference ? c.reference->window() : 256;
    options.keepInputs = std::numeric_limits<int64_t>::max(); // every token's inputs: GPTQ's Hessian from all of them
    options.sites = false;
    options.threads = threads;
    c.captured = captureActivations(c.floatModel, c.tokens, c.bos, options, progress);
}

std::vector<SensitivityCandidate> candidatesFor(const CalibrationOptions& o, const Recipe& base)
{
    if (!o.candidates.empty())
        return parseCandidates(o.candidates, "--candidates");
    const MethodInfo* m = findMethod(base.method);
    return m && m->usesRank ? defaultRankCandidates() : defaultBitCandidates();
}

namespace {

ObtainedTable measureOrReuse(Calibration& c, const OpenedModel& opened, const Recipe& base,
                             const std::vector<SensitivityCandidate>& candidates, const CalibrationOptions& o,
                             const std::string& cachePath, bool force, Progress& progress)
{
    SensitivityKey wanted;
    wanted.modelFingerprint = c.modelFingerprint;
    wanted.tokensHash = calibrationTokensHash(c.tokens, c.bos, o.window);
    wanted.window = o.window;
    wanted.base = base;
    wanted.unitKind = parseUnitKind(o.unit, "--unit");
    wanted.candidates = candidates;
    if (!cachePath.empty() && std::filesystem::exists(cachePath)) {
        SensitivityTable cached = loadSensitivity(cachePath);
        const std::string difference = sensitivityKeyDifference(cached.key, wanted);
        if (difference.empty())
            return {std::move(cached), true};
        if (!force)
            throw InputError(cachePath, "cannot reuse this sensitivity table: " + difference +
                                            " (use --force to measure again and replace it)");
    }

    std::vector<Recipe> recipes;
    for (const auto& candidate : candidates)
        recipes.push_back(candidate.applyTo(base));
    Progress reference = progress.child(0.0, 0.05);
    if (!c.reference)
        c.reference = CalibrationReference::compute(c.floatModel, c.tokens, c.bos, o.window, o.threads, reference);
    Progress capturing = progress.child(0.05, 0.1);
    captureIfNeeded(c, opened, recipes, o.threads, capturing);

    SensitivityOptions options;
    options.unitKind = wanted.unitKind;
    options.threads = o.threads;
    Progress measuring = progress.child(0.1, 1.0);
    SensitivityTable table = measureSensitivity(opened.model, c.floatModel, c.activations(opened), *c.reference, base,
                                                candidates, c.modelFingerprint, options, measuring);
    table.textSource = c.textSource;
    table.textPart = textPartName(c.part);
    if (!cachePath.empty())
        saveSensitivity(table, cachePath);
    return {std::move(table), false};
}

} // namespace

MeasuredSensitivity sensitivityFor(const OpenedModel& opened, const Recipe& base,
                                   const std::vector<SensitivityCandidate>& candidates, const CalibrationOptions& o,
                                   const std::string& cachePath, bool force, Progress& progress)
{
    Progress preparing = progress.child(0.0, 0.05);
    Calibration calibration = prepareCalibration(opened, o, preparing);
    Progress measuring = progress.child(0.05, 1.0);
    ObtainedTable obtained = measureOrReuse(calibration, opened, base, candidates, o, cachePath, force, measuring);
    return {std::move(calibration), std::move(obtained)};
}

} // namespace salience::cli
