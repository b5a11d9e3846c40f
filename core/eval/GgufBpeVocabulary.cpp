// llama.cpp's byte-level BPE vocabularies (GGUF tokenizer.ggml.model = "gpt2") as an HfTokenizer:
// the text is cut by the pre-tokenizer regexes llama.cpp uses for tokenizer.ggml.pre (each regex
// splits every piece, matches and the text between them alike), mapped to GPT-2's byte alphabet
// and merged by rank, as llama-vocab.cpp's llm_tokenizer_bpe_session does.
#include "eval/HfTokenizer.h"

#include "base/Error.h"
#include "eval/HfComponents.h"
#include "eval/LlamaCppVocabulary.h"
#include "io/GgufReader.h"

#include <algorithm>
#include <initializer_list>

namespace salience {

namespace {

// The pre-tokenizer regexes of llama-vocab.cpp, by family.
const char* const kGpt2 = R"re('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S))re";
const char* const kLlama3 =
    R"re((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
const char* const kQwen2 =
    R"re((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
const char* const kQwen35 =
    R"re((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
const char* const kTekken =
    R"re([^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
const char* const kGpt4o =
    R"re([^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
const char* const kPunctuationRun = R"re([\p{P}\$\+<=>\^~\|]+)re";
const char* const kDeepseekV3Words =
    R"re([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";

struct PreTokenizerFamily {
    std::vector<const char*> regexes;
    bool ignoreMerges = false;
    bool addBos = false;
    bool hasDefaultBos = true; // chatglm4 has none
};

// tokenizer.ggml.pre → what llama_vocab::impl::load sets for it. Empty when unknown.
std::optional<PreTokenizerFamily> familyOf(const std::string& pre)
{
    auto is = [&](std::initializer_list<const char*> names) {
        return std::any_of(names.begin(), names.end(), [&](const char* n) { return pre == n; });
    };
    if (pre.empty() || pre == "default")
        return PreTokenizerFamily{{kPunctuationRun, kGpt2, R"re(\p{N}+)re", "[0-9][0-9][0-9]"}};
    if (is({"llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2"}))
        return PreTokenizerFamily{{kLlama3}, true, true};
    if (is({"dbrx", "smaug-bpe"}))
        return PreTokenizerFamily{{kLlama3}};
    if (is({"glm4", "chatglm-bpe"}))
        return PreTokenizerFamily{{kLlama3}, false, false, false};
    if (is({"gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum",
            "modern-bert", "jina-v1-en", "jina-v2-code", "roberta-bpe", "exaone4", "mpt", "olmo", "jais", "trillion",
            "granite-docling"}))
        return PreTokenizerFamily{{kGpt2}};
    if (is({"qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan", "solar-open"}))
        return PreTokenizerFamily{{kQwen2}};
    if (pre == "qwen35")
        return PreTokenizerFamily{{kQwen35}};
    if (is({"starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b", "mellum2"}))
        return PreTokenizerFamily{{R"re(\p{N})re", kGpt2}};
    if (pre == "falcon")
        return PreTokenizerFamily{{kPunctuationRun, kGpt2, "[0-9][0-9][0-9]"}};
    if (pre == "deepseek-coder")
        return PreTokenizerFamily{{"[\\r\\n]", R"re(\s?\p{L}+)re", R"re(\s?\p{P}+)re",
                                   R"re([\x{4E00}-\x{9FA5}\x{0800}-\x{4E00}\x{AC00}-\x{D7FF}]+)re", R"re(\p{N})re"}};
    if (pre == "deepseek-v3")
        return PreTokenizerFamily{{R"re(\p{N}{1,3})re", R"re([\x{4E00}-\x{9FA5}\x{3040}-\x{309F}\x{30A0}-\x{30FF}]+)re",
                                   kDeepseekV3Words}};
    if (pre == "tekken")
        return PreTokenizerFamily{{kTekken}, true, true};
    if (is({"gpt-4o", "llama4", "kanana2"}))
        return PreTokenizerFamily{{kGpt4o}};
    if (is({"bloom", "poro-chat", "gpt3-finnish"}))
        return PreTokenizerFamily{
            {R"re( ?[^(\s|.,!?\x{2026}\x{3002}\x{FF0C}\x{3001}\x{0964}\x{06D4}\x{060C})]+)re"}};
    return std::nullopt;
}

// llama.cpp's token types (tokenizer.ggml.token_type).
enum TokenType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

} // namespace

std::string ggufPreTokenizerFor(const std::vector<std::string>& hfSplitPatterns)
{
    if (hfSplitPatterns.size() != 1)
        return {};
    // Hugging Face spells the contractions case-insensitively; llama.cpp's regexes list both cases.
    std::string pattern = hfSplitPatterns.front();
    const std::string caseless = "(?i:'s|'t|'re|'ve|'m|'ll|'d)";
    if (const size_t at = pattern.find(caseless); at != std::string::npos)
        pattern.replace(at, caseless.size(), "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])");
    for (const char* name : {"llama-bpe", "qwen2", "qwen35", "gpt-2", "tekken", "gpt-4o"}) {
        const std::optional<PreTokenizerFamily> family = familyOf(name);
        if (family && family->regexes.size() == 1 && pattern == family->regexes.front())
            return name;
    }
    return {};
}

HfTokenizer HfTokenizer::fromGguf(const GgufReader& gguf)
{
    const std::string& path = gguf.path();
    const std::optional<std::string> model = gguf.getString("tokenizer.ggml.model");
    if (model != "gpt2")
        throw InputError(path, "tokenizer model '" + model.value_or("") + "' is not a byte-level BPE ('gpt2') vocabulary");
    const std::string pre = gguf.getString("tokenizer.ggml.pre").value_or("");
    const std::optional<PreTokenizerFamily> family = familyOf(pre);
    if (!family)
        throw InputError(path, "pre-tokenizer '" + pre + "' (tokenizer.ggml.pre) is not supported");

    std::vector<std::string> tokens = gguf.getStringArray("tokenizer.ggml.tokens");
    if (tokens.empty())
        throw InputError(path, "has no tokenizer.ggml.tokens string array");
    if (tokens.size() > size_t(1) << 24)
        throw InputError(path, "has " + std::to_string(tokens.size()) + " tokens, more than any vocabulary should");
    const std::vector<std::string> mergeLines = gguf.getStringArray("tokenizer.ggml.merges");
    if (mergeLines.empty())
        throw InputError(path, "has no tokenizer.ggml.merges string array");
    const std::vector<int64_t> types = gguf.getIntArray("tokenizer.ggml.token_type");
    if (!types.empty() && types.size() < tokens.size())
        throw InputError(path, "tokenizer.ggml.token_type has " + std::to_string(types.size()) + " entries for " +
                                   std::to_string(tokens.size()) + " tokens");

    hf::TokenizerParts parts;
    parts.source = path;
    TokenIndex vocabulary;
    vocabulary.reserve(tokens.size());
    for (size_t id = 0; id < tokens.size(); ++id) {
        if (tokens[id].empty()) // as llama.cpp names them
            tokens[id] = "[EMPTY_" + std::to_string(id) + "]";
        if (!vocabulary.emplace(tokens[id], int32_t(id)).second)
            throw InputError(path, "token '" + tokens[id] + "' appears twice in tokenizer.ggml.tokens");
        const int64_t type = types.empty() ? int64_t(Normal) : types[id];
        if (type == Control || type == UserDefined || type == Unknown) {
            hf::AddedToken t;
            t.content = tokens[id];
            t.id = int32_t(id);
            t.special = type != UserDefined; // control tokens print nothing when decoded
            parts.addedTokens.push_back(std::move(t));
        }
    }
    std::vector<std::pair<std::string, std::string>> merges;
    merges.reserve(mergeLines.size());
    for (const std::string& line : mergeLines) {
        const size_t space = line.find(' ', 1);
        merges.emplace_back(space == std::string::npos ? std::string() : line.substr(0, space),
                            space == std::string::npos ? std::string() : line.substr(space + 1));
    }
    BpeOptions options;
    options.ignoreMerges = family->ignoreMerges;
    options.dropMergesOutsideVocabulary = true;
    parts.model = std::make_unique<BpeModel>(std::move(vocabulary), merges, options, path);

    std::vector<Regex> regexes;
    for (const char* r : family->regexes)
        regexes.push_back(Regex::fromOniguruma(r, path));
    parts.preTokenizer = hf::makeRegexSplitSequence(regexes, /*byteLevel=*/true);
    parts.decoder = hf::makeByteLevelDecoder();
    parts.matchLongestTokenFirst = true;

    // llama.cpp's defaults for BPE vocabularies (BOS and EOS 11), then the file's keys.
    const int64_t count = int64_t(tokens.size());
    auto special = [&](const char* key, int64_t fallback) -> int32_t {
        const std::optional<int64_t> id = gguf.getInt(key);
        if (id && *id >= 0 && *id < count)
            return int32_t(*id);
        return fallback >= 0 && fallback < count ? int32_t(fallback) : -1;
    };
    parts.bosId = special("tokenizer.ggml.bos_token_id", family->hasDefaultBos ? 11 : -1);
    parts.eosId = special("tokenizer.ggml.eos_token_id", 11);
    const bool addBos = gguf.getBool("tokenizer.ggml.add_bos_token").value_or(family->addBos);
    const bool addEos = gguf.getBool("tokenizer.ggml.add_eos_token").value_or(false);
    if (addBos && parts.bosId < 0)
        throw InputError(path, "tokenizer.ggml.add_bos_token is true, but there is no BOS token");
    if (addEos && parts.eosId < 0)
        throw InputError(path, "tokenizer.ggml.add_eos_token is true, but there is no EOS token");
    // Salience starts evaluation windows with bosId(); llama-perplexity puts BOS first only when
    // add_bos_token says so (Qwen's GGUFs name a BOS they never add).
    if (!addBos)
        parts.bosId = -1;
    parts.postProcessor = hf::makeAddSpecialTokens(addBos ? std::vector<int32_t>{parts.bosId} : std::vector<int32_t>{},
                                                   addEos ? std::vector<int32_t>{parts.eosId} : std::vector<int32_t>{});
    return fromParts(std::move(parts));
}

} // namespace salience
