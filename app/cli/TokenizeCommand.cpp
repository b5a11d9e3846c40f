// salience-cli tokenize [MODEL] [--tokenizer PATH] --text FILE [--json]: the token ids of a text,
// with the special tokens the tokenizer itself adds (what Hugging Face's Tokenizer.encode(text)
// returns: <s> first for Llama 2, nothing for Qwen).
#include "CliSupport.h"
#include "Commands.h"

#include "eval/TokenizerLookup.h"

#include <cstdio>
#include <memory>
#include <string>

namespace salience::cli {

namespace {

struct TokenizeOptions {
    std::string model;
    std::string tokenizer;
    std::string text;
    bool json = false;
};

void runTokenize(const TokenizeOptions& o)
{
    // A tokenizer named without a model stands alone; otherwise the model's rules find or check it
    // (without MODEL that is the demo model, which has no tokenizer of its own).
    const Tokenizer tokenizer = o.model.empty() && !o.tokenizer.empty()
                                    ? tokenizerFromPath(o.tokenizer)
                                    : tokenizerFor(openModel(o.model, "").model, o.tokenizer);
    const std::vector<int32_t> ids = tokenizer.encode(readTextFile(o.text), /*bos=*/true);
    std::string out = o.json ? "{\"ids\": [" : "";
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i > 0)
            out += o.json ? ", " : " ";
        out += std::to_string(ids[i]);
    }
    out += o.json ? "]}\n" : "\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
}

} // namespace

void addTokenizeCommand(CLI::App& app)
{
    auto o = std::make_shared<TokenizeOptions>();
    CLI::App* cmd = app.add_subcommand("tokenize", "Print the token ids of a text, with the special tokens the "
                                                   "tokenizer adds itself");
    cmd->add_option("MODEL", o->model, "Model file or directory whose tokenizer to use (default: the built-in demo "
                                       "model, or the --tokenizer alone)");
    cmd->add_option("--tokenizer", o->tokenizer, "Tokenizer: a tokenizer.json or a folder holding one, a llama2.c "
                                                 "tokenizer.bin, or a GGUF");
    cmd->add_option("--text", o->text, "Text file to tokenize (UTF-8; ill-formed bytes count as U+FFFD)")->required();
    cmd->add_flag("--json", o->json, "Print {\"ids\": [...]}");
    cmd->final_callback([o] { runTokenize(*o); });
}

} // namespace salience::cli
