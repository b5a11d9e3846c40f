#include "eval/TokenizerLookup.h"

#include "base/Error.h"
#include "eval/Utf8.h"
#include "io/GgufReader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace salience {

namespace fs = std::filesystem;

namespace {

bool hasSuffix(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool isJsonFile(const std::string& path) { return hasSuffix(path, ".json"); }

Tokenizer readTokenizerFile(const std::string& path)
{
    if (isJsonFile(path))
        return Tokenizer::fromHfFile(path);
    if (hasSuffix(path, ".gguf"))
        return Tokenizer::fromGguf(GgufReader(path));
    return Tokenizer::fromLlama2cFile(path);
}

// Hugging Face checkpoints often pad the embedding beyond the vocabulary (to a multiple of 64 or
// 128), so a tokenizer.json may be smaller than the model's rows; any other tokenizer must match.
void checkVocabulary(const Model& model, const Tokenizer& tokenizer, const std::string& from)
{
    const int64_t vocab = model.config().vocabSize;
    if (vocab <= 0)
        return;
    if (isJsonFile(from) ? tokenizer.size() > vocab : tokenizer.size() != vocab)
        throw InputError(from, "the tokenizer has " + std::to_string(tokenizer.size()) + " tokens but the model " +
                                   model.path() + " has a vocabulary of " + std::to_string(vocab) +
                                   "; pass the matching one with --tokenizer");
}

} // namespace

std::string resolveTokenizerPath(const std::string& path)
{
    std::error_code ec;
    if (!fs::is_directory(path, ec))
        return path;
    for (const char* name : {"tokenizer.json", "tokenizer.bin"})
        if (fs::is_regular_file(fs::path(path) / name, ec))
            return (fs::path(path) / name).string();
    throw InputError(path, "is a folder without tokenizer.json or tokenizer.bin");
}

Tokenizer tokenizerFor(const Model& model, const std::string& explicitPath)
{
    if (!explicitPath.empty()) {
        const std::string file = resolveTokenizerPath(explicitPath);
        Tokenizer t = readTokenizerFile(file);
        checkVocabulary(model, t, file);
        return t;
    }
    const std::string& path = model.path();
    if (model.format() == "gguf") {
        Tokenizer t = Tokenizer::fromGguf(GgufReader(path));
        checkVocabulary(model, t, path);
        return t;
    }
    std::error_code ec;
    const fs::path base(path);
    const fs::path dir = fs::is_directory(base, ec) ? base : base.parent_path();
    std::vector<fs::path> candidates;
    if (!path.empty() && fs::is_directory(dir.empty() ? fs::path(".") : dir, ec)) {
        for (const char* name : {"tokenizer.bin", "tokenizer.json"})
            if (fs::exists(dir / name, ec))
                candidates.push_back(dir / name);
        std::vector<fs::path> tok;
        for (const auto& entry : fs::directory_iterator(dir.empty() ? fs::path(".") : dir, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind("tok", 0) == 0 && hasSuffix(name, ".bin") && name != "tokenizer.bin")
                tok.push_back(entry.path());
        }
        std::sort(tok.begin(), tok.end());
        candidates.insert(candidates.end(), tok.begin(), tok.end());
    }
    // The first file whose vocabulary fits the model; a misfit is only an error when nothing fits.
    std::string lastProblem;
    for (const auto& c : candidates) {
        try {
            Tokenizer t = readTokenizerFile(c.string());
            checkVocabulary(model, t, c.string());
            return t;
        } catch (const InputError& e) {
            lastProblem = e.what();
        }
    }
    throw InputError(path.empty() ? std::string("model") : path,
                     "no tokenizer found beside the model" + (lastProblem.empty() ? "" : " (" + lastProblem + ")") +
                         "; name one with --tokenizer (a Hugging Face tokenizer.json or a folder holding one, a "
                         "llama2.c tokenizer.bin or a GGUF)");
}

Tokenizer tokenizerFromPath(const std::string& path)
{
    return readTokenizerFile(resolveTokenizerPath(path));
}

std::vector<int32_t> tokenizeText(const Tokenizer& tokenizer, const std::string& text, int64_t maxTokens)
{
    if (maxTokens <= 0)
        return tokenizer.encode(text, false);
    // Merges are local, so the tokens far from the cut do not depend on it: keep a margin.
    const int64_t margin = 64;
    size_t bytes = size_t(std::min<int64_t>(int64_t(text.size()), (maxTokens + margin) * 8));
    while (true) {
        std::vector<int32_t> ids = tokenizer.encode(std::string_view(text).substr(0, bytes), false);
        if (bytes >= text.size()) {
            if (int64_t(ids.size()) > maxTokens)
                ids.resize(size_t(maxTokens));
            return ids;
        }
        if (int64_t(ids.size()) >= maxTokens + margin) {
            ids.resize(size_t(maxTokens));
            return ids;
        }
        bytes = std::min(text.size(), bytes * 2);
    }
}

std::string readTextFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path, "cannot open the text file");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        throw InputError(path, "reading the text file failed");
    std::string text = ss.str();
    // Tokenizers read UTF-8: other bytes would become replacement or byte tokens that no one
    // asked for, and every figure measured on them would be about another text.
    for (size_t at = 0, line = 1; at < text.size();) {
        const size_t n = utf8::sequenceLength(text, at);
        if (n == 0)
            throw InputError(path, "is not UTF-8 text: byte " + std::to_string(at) + " (line " + std::to_string(line) +
                                       ") starts no UTF-8 character; convert the file to UTF-8 first");
        line += text[at] == '\n';
        at += n;
    }
    return text;
}

} // namespace salience
