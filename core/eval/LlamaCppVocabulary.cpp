#include "eval/LlamaCppVocabulary.h"

#include "base/Error.h"
#include "eval/HfJson.h"
#include "eval/HfTokenizer.h"

#include <filesystem>
#include <map>

namespace fs = std::filesystem;

namespace salience {

namespace {

// llama.cpp's llama_token_type values.
enum TokenType : int32_t { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

const char* const kSpacePiece = "\xe2\x96\x81"; // U+2581, SentencePiece's space

// What the normalizer and pre-tokenizer say about the kind of tokenizer.
struct Pipeline {
    bool byteLevel = false;      // a ByteLevel pre-tokenizer
    bool byteLevelRegex = false; // ... that splits with GPT-2's regex itself
    std::vector<std::string> splitPatterns;
    bool metaspace = false;
    bool metaspacePrefix = false;
    bool prependsSpace = false; // a Prepend("▁") normalizer
    std::string other;          // a component llama.cpp has no counterpart for
};

void readPreTokenizer(const hf::JsonAt& at, Pipeline& p)
{
    if (at.isNull())
        return;
    const std::string type = at.type();
    if (type == "Sequence") {
        const hf::JsonAt list = at["pretokenizers"];
        for (size_t i = 0; i < list.arraySize(); ++i)
            readPreTokenizer(list.at(i), p);
    } else if (type == "ByteLevel") {
        p.byteLevel = true;
        p.byteLevelRegex = p.byteLevelRegex || at.boolean("use_regex", true);
    } else if (type == "Split" && at["pattern"].has("Regex") && at.optionalString("behavior") == "Isolated" &&
               !at.boolean("invert", false)) {
        p.splitPatterns.push_back(at["pattern"].string("Regex"));
    } else if (type == "Metaspace") {
        p.metaspace = true;
        const std::optional<std::string> scheme = at.optionalString("prepend_scheme");
        p.metaspacePrefix = scheme ? *scheme != "never" : at.boolean("add_prefix_space", true);
    } else if (p.other.empty()) {
        p.other = "pre-tokenizer " + type;
    }
}

void readNormalizer(const hf::JsonAt& at, Pipeline& p)
{
    if (at.isNull())
        return;
    const std::string type = at.type();
    if (type == "Sequence") {
        const hf::JsonAt list = at["normalizers"];
        for (size_t i = 0; i < list.arraySize(); ++i)
            readNormalizer(list.at(i), p);
    } else if (type == "Prepend") {
        p.prependsSpace = p.prependsSpace || at.string("prepend") == kSpacePiece;
    }
    // NFC and the like: llama.cpp does not normalize, like convert_hf_to_gguf.py's output.
}

// convert_hf_to_gguf.py's does_token_look_special: added tokens some models forget to mark.
bool looksSpecial(const std::string& t)
{
    const auto wraps = [&](const std::string& open, const std::string& close) {
        return t.size() >= open.size() + close.size() && t.compare(0, open.size(), open) == 0 &&
               t.compare(t.size() - close.size(), close.size(), close) == 0;
    };
    return t == "<pad>" || t == "<mask>" || wraps("<|", "|>") || wraps("<\xef\xbd\x9c", "\xef\xbd\x9c>") ||
           wraps("<unused", ">");
}

bool isByteToken(const std::string& t)
{
    const auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); };
    return t.size() == 6 && t.compare(0, 3, "<0x") == 0 && hex(t[3]) && hex(t[4]) && t[5] == '>';
}

// tokenizer_config.json's token fields are strings or {"content": ...}.
std::string configTokenText(const nlohmann::json& config, const char* key)
{
    if (!config.is_object() || !config.contains(key))
        return {};
    const nlohmann::json& v = config[key];
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_object() && v.contains("content") && v["content"].is_string())
        return v["content"].get<std::string>();
    return {};
}

} // namespace

LlamaCppVocabulary llamaCppVocabularyFromHf(const std::string& tokenizerJsonPath, int64_t vocabSize)
{
    // Everything the tokenizer library checks (types, ids, components) is checked here first.
    const HfTokenizer tokenizer = HfTokenizer::fromFile(tokenizerJsonPath);
    const nlohmann::json root = hf::parseJson(hf::readWholeFile(tokenizerJsonPath), tokenizerJsonPath);
    const hf::JsonAt at(root, "", tokenizerJsonPath);
    const hf::JsonAt model = at["model"];

    Pipeline pipeline;
    readNormalizer(at["normalizer"], pipeline);
    readPreTokenizer(at["pre_tokenizer"], pipeline);

    LlamaCppVocabulary v;
    if (pipeline.byteLevel) {
        v.model = "gpt2";
        if (!pipeline.splitPatterns.empty())
            v.pre = ggufPreTokenizerFor(pipeline.splitPatterns);
        else if (pipeline.byteLevelRegex)
            v.pre = "gpt-2";
        if (v.pre.empty() || !pipeline.other.empty())
            throw InputError(tokenizerJsonPath,
                             "its pre-tokenizer splits text as none of llama.cpp's tokenizer.ggml.pre regexes do " +
                                 (pipeline.other.empty() ? std::string() : "(" + pipeline.other + ") ") +
                                 "(known: Llama 3, Qwen2/3, GPT-2 and a few more), so llama.cpp could not tokenize "
                                 "as it does");
    } else if (model.boolean("byte_fallback", false) || pipeline.metaspace || pipeline.prependsSpace) {
        v.model = "llama";
        if (!pipeline.other.empty())
            throw InputError(tokenizerJsonPath, "its " + pipeline.other +
                                                    " has no counterpart in llama.cpp's SentencePiece tokenizer");
        v.addSpacePrefix = pipeline.prependsSpace || pipeline.metaspacePrefix;
    } else {
        throw InputError(tokenizerJsonPath, "is neither a byte-level BPE nor a SentencePiece-style BPE with byte "
                                            "fallback, the two kinds llama.cpp tokenizes");
    }

    const int64_t own = tokenizer.size();
    if (vocabSize > 0 && own > vocabSize)
        throw InputError(tokenizerJsonPath, "has " + std::to_string(own) + " tokens but the model's vocabulary has " +
                                                std::to_string(vocabSize));
    const int64_t count = std::max(own, vocabSize);
    std::map<int32_t, bool> added; // id → special
    const hf::JsonAt addedTokens = at["added_tokens"];
    if (!addedTokens.isNull())
        for (size_t i = 0; i < addedTokens.arraySize(); ++i) {
            const hf::JsonAt t = addedTokens.at(i);
            added[int32_t(t.integer("id"))] = t.boolean("special", false);
        }
    const std::string unkText = model.optionalString("unk_token").value_or("");
    v.unk = unkText.empty() ? -1 : tokenizer.find(unkText);

    v.tokens.reserve(size_t(count));
    v.types.reserve(size_t(count));
    for (int32_t id = 0; id < count; ++id) {
        const std::string text = id < own ? tokenizer.token(id) : std::string();
        if (text.empty()) { // ids the tokenizer leaves free, and the model's padding rows
            v.tokens.push_back("[PAD" + std::to_string(id) + "]");
            v.types.push_back(Unused);
            continue;
        }
        int32_t type = Normal;
        if (id == v.unk)
            type = Unknown;
        else if (const auto it = added.find(id); it != added.end())
            type = it->second || looksSpecial(text) ? Control : UserDefined;
        else if (v.model == "llama" && isByteToken(text))
            type = Byte;
        v.tokens.push_back(text);
        v.types.push_back(type);
    }

    const hf::JsonAt merges = model["merges"];
    std::vector<std::pair<std::string, std::string>> pairs;
    pairs.reserve(merges.arraySize());
    for (size_t i = 0; i < merges.arraySize(); ++i) {
        const hf::JsonAt m = merges.at(i);
        if (!m.value().is_string()) {
            pairs.emplace_back(m.at(0).string(), m.at(1).string());
            continue;
        }
        const std::string line = m.string();
        const size_t space = line.find(' ', 1);
        if (line.rfind("#version", 0) != 0 && space != std::string::npos)
            pairs.emplace_back(line.substr(0, space), line.substr(space + 1));
    }
    if (v.model == "gpt2") {
        v.merges.reserve(pairs.size());
        for (const auto& [left, right] : pairs)
            v.merges.push_back(left + " " + right);
    } else {
        // llama.cpp's SentencePiece tokenizer merges the adjacent pair whose result scores highest;
        // Hugging Face merges the pair of lowest rank. A piece scores minus the rank of the first
        // merge that makes it (Mistral's runs of spaces have early ids but the last merges, so
        // ids cannot stand in for ranks); pieces no merge makes score below every merge.
        const float never = -float(pairs.size()) - 1.0f;
        v.scores.assign(v.tokens.size(), 0.0f);
        for (size_t id = 0; id < v.tokens.size(); ++id)
            if (v.types[id] == Normal)
                v.scores[id] = never;
        for (size_t rank = pairs.size(); rank-- > 0;) {
            const int32_t id = tokenizer.find(pairs[rank].first + pairs[rank].second);
            if (id >= 0 && size_t(id) < v.scores.size() && v.types[size_t(id)] == Normal)
                v.scores[size_t(id)] = -float(rank);
        }
    }

    // A tokenizer with a BOS (its template's first token, or tokenizer_config.json's bos_token) has
    // Salience start every evaluation window with it; add_bos_token makes llama-perplexity do the
    // same, so both measure the same windows. (Some Llama 3 tokenizer.json files name the BOS in
    // their config but leave it out of their post-processor: the model was trained with it.)
    v.bos = tokenizer.bosId();
    v.eos = tokenizer.eosId();
    v.addBos = v.bos >= 0;
    const std::vector<int32_t> wrapped = tokenizer.encode("", true);
    const bool templateAddsBos = !wrapped.empty() && v.bos >= 0 && wrapped.front() == v.bos;
    v.addEos = wrapped.size() > (templateAddsBos ? 1u : 0u) && v.eos >= 0 && wrapped.back() == v.eos;

    const fs::path configPath = fs::path(tokenizerJsonPath).parent_path() / "tokenizer_config.json";
    std::error_code ec;
    if (fs::is_regular_file(configPath, ec)) {
        const nlohmann::json config = hf::parseJson(hf::readWholeFile(configPath.string()), configPath.string());
        if (const std::string pad = configTokenText(config, "pad_token"); !pad.empty())
            v.pad = tokenizer.find(pad);
        if (config.is_object() && config.contains("chat_template") && config["chat_template"].is_string())
            v.chatTemplate = config["chat_template"].get<std::string>();
    }
    return v;
}

} // namespace salience
