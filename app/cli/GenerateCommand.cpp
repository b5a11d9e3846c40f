// salience-cli generate [MODEL] [--prompt TEXT] [--tokens N]: greedy decoding, printed as it
// comes.
#include "CliSupport.h"
#include "Commands.h"

#include "base/Error.h"
#include "eval/TokenizerLookup.h"
#include "eval/Transformer.h"

#include <cstdio>
#include <memory>

namespace salience::cli {

namespace {

struct GenerateOptions {
    std::string model;
    std::string prompt;
    std::string tokenizer;
    int64_t tokens = 256;
};

void runGenerate(const GenerateOptions& o)
{
    OpenedModel opened = openModel(o.model, "");
    const Tokenizer tokenizer = tokenizerFor(opened.model, o.tokenizer);
    Progress progress = terminalProgress("load");
    const Transformer transformer = Transformer::load(opened.model, progress);
    finishProgress();
    const int64_t context = transformer.config().contextLength > 0 ? transformer.config().contextLength : 2048;
    std::vector<int32_t> ids = tokenizer.encode(o.prompt, true);
    if (int64_t(ids.size()) >= context)
        throw InputError("--prompt", "the prompt has " + std::to_string(ids.size()) +
                                         " tokens, the model's context holds " + std::to_string(context));
    std::fputs(o.prompt.c_str(), stdout);
    KvCache cache;
    Matrix logits = transformer.forward(ids, nullptr, &cache);
    int32_t previous = ids.back();
    for (int64_t step = 0; step < o.tokens && cache.positions() < context; ++step) {
        progress.throwIfCancelled();
        Eigen::Index best = 0;
        logits.row(logits.rows() - 1).maxCoeff(&best);
        const int32_t next = int32_t(best);
        // As llama2.c's run.c: BOS (or EOS) ends the story.
        if (next == tokenizer.bosId() || next == tokenizer.eosId())
            break;
        const std::string piece = tokenizer.decodePiece(previous, next);
        std::fwrite(piece.data(), 1, piece.size(), stdout);
        std::fflush(stdout);
        previous = next;
        logits = transformer.forward(std::span<const int32_t>(&previous, 1), nullptr, &cache);
    }
    std::fputc('\n', stdout);
}

} // namespace

void addGenerateCommand(CLI::App& app)
{
    auto o = std::make_shared<GenerateOptions>();
    CLI::App* cmd = app.add_subcommand("generate", "Greedy decoding from a prompt (or from BOS alone)");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_option("--prompt", o->prompt, "Text to continue (default: start from BOS)");
    cmd->add_option("--tokens", o->tokens, "Tokens to generate at most")->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--tokenizer", o->tokenizer,
                    "Tokenizer: a tokenizer.json or its folder, a llama2.c tokenizer.bin, or a GGUF (default: "
                    "found beside or inside the model)")
        ->check(CLI::ExistingPath);
    cmd->final_callback([o] { runGenerate(*o); });
}

} // namespace salience::cli
