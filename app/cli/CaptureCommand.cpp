// salience-cli capture [MODEL] --text FILE [--part P] [--tokens N] [--keep-inputs M] -o ACTS.h5: run a
// text through the model and save the activations in schema salience-activations/1; with
// -o NAME.dat (or --format imatrix), llama.cpp's importance matrix for llama-quantize instead.
#include "CliSupport.h"
#include "Commands.h"

#include "base/Error.h"
#include "eval/TokenizerLookup.h"
#include "eval/Windows.h"
#include "io/ImatrixWriter.h"
#include "run/Capture.h"

#include <cstdio>
#include <filesystem>
#include <memory>

namespace salience::cli {

namespace {

struct CaptureCliOptions {
    std::string model;
    std::string text;
    std::string part = "whole";
    std::string tokenizer;
    std::string out;
    int64_t tokens = 4096;
    int64_t window = 256;
    int64_t keepInputs = 512;
    int threads = 0;
    bool noSites = false;
    bool float16 = false;
    bool force = false;
    std::string format; // "", "h5" or "imatrix"
};

bool writesImatrix(const CaptureCliOptions& o)
{
    return o.format == "imatrix" || (o.format.empty() && std::filesystem::path(o.out).extension() == ".dat");
}

void runCapture(const CaptureCliOptions& o)
{
    if (!o.force && std::filesystem::exists(o.out))
        throw InputError(o.out, "already exists (use --force to replace it)");
    OpenedModel opened = openModel(o.model, "");
    const Tokenizer tokenizer = tokenizerFor(opened.model, o.tokenizer);
    const auto tokens = textPartTokens(tokenizer, o.text, o.part, o.tokens);

    Progress progress = terminalProgress("capture");
    Progress loading = progress.child(0.0, 0.05);
    const Transformer transformer = Transformer::load(opened.model, loading);
    CaptureOptions options;
    options.window = o.window;
    options.keepInputs = writesImatrix(o) ? 0 : o.keepInputs;
    options.sites = !o.noSites;
    options.threads = o.threads;
    Progress captureProgress = progress.child(0.05, 0.8);
    ActivationStore store = captureActivations(transformer, tokens, tokenizer.bosId(), options, captureProgress);
    store.attributes().model = o.model.empty() ? "demo" : o.model;
    store.attributes().source = o.text;
    if (writesImatrix(o)) {
        // One entry per linear layer under llama.cpp's tensor name; the embedding is a lookup and
        // llama-imatrix leaves the output layer out by default.
        std::vector<ImatrixWriteEntry> entries;
        for (const LinearLayer& l : opened.model.layers())
            if (l.role != LayerRole::Embedding && l.role != LayerRole::Classifier && l.block >= 0)
                entries.push_back({ggufTensorName(l.block, l.role), store.stats(l.name)});
        const int64_t chunks = int64_t(tokenWindows(tokens, o.window, tokenizer.bosId()).size());
        writeImatrixDat(o.out, entries, o.window, chunks, o.text, o.force);
        finishProgress();
        std::printf("captured %lld tokens of %s: llama.cpp importance matrix of %zu layers in %lld chunks\nwrote %s\n",
                    (long long)tokens.size(), o.text.c_str(), entries.size(), (long long)chunks, o.out.c_str());
        return;
    }
    SaveOptions save;
    save.float16Inputs = o.float16;
    Progress saveProgress = progress.child(0.8, 1.0);
    store.save(o.out, saveProgress, save);
    finishProgress();
    std::printf("captured %lld tokens of %s: statistics of %zu layers, raw inputs and sites of the first %lld tokens\n"
                "wrote %s\n",
                (long long)tokens.size(), o.text.c_str(), store.layerNames().size(), (long long)store.nTokens(),
                o.out.c_str());
}

} // namespace

void addCaptureCommand(CLI::App& app)
{
    auto o = std::make_shared<CaptureCliOptions>();
    CLI::App* cmd = app.add_subcommand("capture", "Run a text through the model and save its activations (HDF5, "
                                                  "schema salience-activations/1)");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_option("--text", o->text, "Text file to run through the model")->required()->check(CLI::ExistingFile);
    addTextPartOption(*cmd, o->part);
    cmd->add_option("--tokens", o->tokens, "Tokens of the text (part) to use (0: all)")->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--keep-inputs", o->keepInputs, "Tokens whose raw layer inputs and block sites are kept")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--window", o->window, "Tokens per window, BOS included")->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option("--tokenizer", o->tokenizer,
                    "Tokenizer: a tokenizer.json or its folder, a llama2.c tokenizer.bin, or a GGUF (default: "
                    "found beside or inside the model)")
        ->check(CLI::ExistingPath);
    cmd->add_option("-o,--output", o->out,
                    "Activation file to write (.h5), or llama.cpp's importance matrix (.dat) for llama-quantize")
        ->required();
    cmd->add_option("--format", o->format, "h5 or imatrix (default: from the extension of -o)")
        ->check(CLI::IsMember({"h5", "imatrix"}));
    cmd->add_option("--threads", o->threads, "Worker threads (default: one per core)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--no-sites", o->noSites, "Do not keep the block sites");
    cmd->add_flag("--float16", o->float16, "Store raw inputs as float16 (half the size)");
    cmd->add_flag("--force", o->force, "Replace an existing file");
    cmd->final_callback([o] { runCapture(*o); });
}

} // namespace salience::cli
