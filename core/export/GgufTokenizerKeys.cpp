#include "export/GgufTokenizerKeys.h"

#include "base/Error.h"
#include "eval/LlamaCppVocabulary.h"
#include "eval/Tokenizer.h"

#include <cctype>

namespace salience {

namespace {

// llama.cpp's llama_token_type values, as tokenizer.ggml.token_type stores them.
enum LlamaTokenType : int32_t { Normal = 1, Unknown = 2, Control = 3, Byte = 6 };

// LLAMA_TOKEN_NULL, as convert-llama2c-to-ggml writes it for the separator and padding.
constexpr uint32_t kNoToken = 0xffffffffu;

} // namespace

void putLlama2cTokenizer(GgufWriter& w, const std::string& path, int64_t vocabSize)
{
    const Tokenizer tok = Tokenizer::fromLlama2cFile(path);
    if (vocabSize > 0 && tok.size() != vocabSize)
        throw InputError(path, "has " + std::to_string(tok.size()) + " tokens but the model's vocabulary has " +
                                   std::to_string(vocabSize));
    std::vector<std::string> tokens;
    std::vector<float> scores;
    std::vector<int32_t> types;
    const auto isHex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    for (int32_t id = 0; id < tok.size(); ++id) {
        std::string text = tok.piece(id);
        int32_t type = Normal;
        if (id == tok.unkId()) {
            text = "<unk>";
            type = Unknown;
        } else if (id == tok.bosId()) {
            text = "<s>";
            type = Control;
        } else if (id == tok.eosId()) {
            text = "</s>";
            type = Control;
        } else if (text.empty()) {
            type = Control;
        } else if (text.size() >= 4 && text.compare(0, 3, "<0x") == 0 && isHex(text[3])) {
            type = Byte; // the converter's sscanf("<0x%02hhX>") test
        }
        std::string escaped;
        for (char c : text) {
            if (c == ' ')
                escaped += "\xe2\x96\x81"; // U+2581, SentencePiece's space
            else
                escaped += c;
        }
        tokens.push_back(std::move(escaped));
        scores.push_back(tok.score(id));
        types.push_back(type);
    }
    w.setStringArray("tokenizer.ggml.tokens", tokens);
    w.setFloat32Array("tokenizer.ggml.scores", scores);
    w.setInt32Array("tokenizer.ggml.token_type", types);
    w.setString("tokenizer.ggml.model", "llama");
    w.setUInt32("tokenizer.ggml.unknown_token_id", uint32_t(tok.unkId()));
    w.setUInt32("tokenizer.ggml.bos_token_id", uint32_t(tok.bosId()));
    w.setUInt32("tokenizer.ggml.eos_token_id", uint32_t(tok.eosId()));
    // LLAMA_TOKEN_NULL, as the converter writes them. ("seperator" is llama.cpp's spelling.)
    w.setUInt32("tokenizer.ggml.seperator_token_id", kNoToken);
    w.setUInt32("tokenizer.ggml.padding_token_id", kNoToken);
}

void putHfTokenizer(GgufWriter& w, const std::string& tokenizerJsonPath, int64_t vocabSize)
{
    const LlamaCppVocabulary v = llamaCppVocabularyFromHf(tokenizerJsonPath, vocabSize);
    w.setString("tokenizer.ggml.model", v.model);
    if (!v.pre.empty())
        w.setString("tokenizer.ggml.pre", v.pre);
    w.setStringArray("tokenizer.ggml.tokens", v.tokens);
    if (!v.scores.empty())
        w.setFloat32Array("tokenizer.ggml.scores", v.scores);
    w.setInt32Array("tokenizer.ggml.token_type", v.types);
    if (!v.merges.empty())
        w.setStringArray("tokenizer.ggml.merges", v.merges);
    // Absent ones are left out: llama.cpp warns about an id outside the vocabulary and keeps its
    // default, which add_bos_token = false then never uses.
    if (v.bos >= 0)
        w.setUInt32("tokenizer.ggml.bos_token_id", uint32_t(v.bos));
    if (v.eos >= 0)
        w.setUInt32("tokenizer.ggml.eos_token_id", uint32_t(v.eos));
    if (v.unk >= 0)
        w.setUInt32("tokenizer.ggml.unknown_token_id", uint32_t(v.unk));
    if (v.pad >= 0)
        w.setUInt32("tokenizer.ggml.padding_token_id", uint32_t(v.pad));
    w.setBool("tokenizer.ggml.add_bos_token", v.addBos);
    w.setBool("tokenizer.ggml.add_eos_token", v.addEos);
    if (v.model == "llama")
        w.setBool("tokenizer.ggml.add_space_prefix", v.addSpacePrefix);
    if (!v.chatTemplate.empty())
        w.setString("tokenizer.chat_template", v.chatTemplate);
}

} // namespace salience
