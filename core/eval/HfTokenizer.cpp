#include "eval/HfTokenizer.h"

#include "base/Error.h"
#include "eval/HfComponents.h"
#include "eval/Utf8.h"
#include "eval/UnicodeText.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace salience {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kLargestTokenId = (int64_t(1) << 24) - 1; // far above any real vocabulary
int32_t checkedTokenId(const hf::JsonAt& at)
{
    const int64_t id = at.integer();
    if (id < 0 || id > kLargestTokenId)
        at.fail("token id " + std::to_string(id) + " is outside 0.." + std::to_string(kLargestTokenId));
    return int32_t(id);
}

std::unique_ptr<BpeModel> readBpeModel(const hf::JsonAt& model)
{
    model.requireObject();
    std::optional<std::string> type = model.optionalString("type");
    if (!type) {
        if (!model.has("merges"))
            model.fail("the model has no type and no merges (only BPE models are supported)");
        type = "BPE";
    }
    if (*type != "BPE")
        model["type"].fail("model type '" + *type + "' is not supported (only BPE)");
    const hf::JsonAt dropout = model["dropout"];
    if (!dropout.isNull()) {
        if (!dropout.value().is_number())
            dropout.fail("expected a number");
        if (dropout.value().get<double>() != 0.0)
            dropout.fail("BPE dropout is not supported (it makes tokenization random)");
    }

    const hf::JsonAt vocabAt = model["vocab"];
    if (!vocabAt.value().is_object())
        vocabAt.fail("expected an object mapping each token to its id");
    TokenIndex vocabulary;
    vocabulary.reserve(vocabAt.value().size());
    for (auto it = vocabAt.value().begin(); it != vocabAt.value().end(); ++it) {
        const nlohmann::json& id = it.value();
        const bool inRange = id.is_number_unsigned() ? id.get<uint64_t>() <= uint64_t(kLargestTokenId)
                                                     : id.is_number_integer() && id.get<int64_t>() >= 0 &&
                                                           id.get<int64_t>() <= kLargestTokenId;
        if (!inRange)
            checkedTokenId(vocabAt[it.key()]); // throws, naming the token
        vocabulary.emplace(it.key(), int32_t(id.get<int64_t>()));
    }

    const hf::JsonAt mergesAt = model["merges"];
    std::vector<std::pair<std::string, std::string>> merges;
    merges.reserve(mergesAt.arraySize());
    for (size_t i = 0; i < mergesAt.value().size(); ++i) {
        const nlohmann::json& m = mergesAt.value()[i];
        if (m.is_string()) { // "a b"
            const std::string& line = m.get_ref<const std::string&>();
            if (line.rfind("#version", 0) == 0)
                continue;
            const size_t space = line.find(' ');
            if (space == std::string::npos || line.find(' ', space + 1) != std::string::npos)
                mergesAt.at(i).fail("expected \"left right\" with exactly one space, found \"" + line + "\"");
            merges.emplace_back(line.substr(0, space), line.substr(space + 1));
        } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) { // ["a", "b"]
            merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
        } else {
            mergesAt.at(i).fail("expected \"left right\" or [\"left\", \"right\"]");
        }
    }

    BpeOptions options;
    options.unkToken = model.optionalString("unk_token");
    options.continuingSubwordPrefix = model.optionalString("continuing_subword_prefix");
    options.endOfWordSuffix = model.optionalString("end_of_word_suffix");
    options.fuseUnk = model.boolean("fuse_unk", false);
    options.byteFallback = model.boolean("byte_fallback", false);
    options.ignoreMerges = model.boolean("ignore_merges", false);
    try {
        return std::make_unique<BpeModel>(std::move(vocabulary), merges, std::move(options), model.file());
    } catch (const InputError& e) {
        model.fail(e.problem());
    }
}

std::vector<hf::AddedToken> readAddedTokens(const hf::JsonAt& list)
{
    std::vector<hf::AddedToken> tokens;
    if (list.isNull())
        return tokens;
    for (size_t i = 0; i < list.arraySize(); ++i) {
        const hf::JsonAt item = list.at(i);
        item.requireObject();
        hf::AddedToken t;
        t.content = item.string("content");
        t.id = checkedTokenId(item["id"]);
        t.singleWord = item.boolean("single_word", false);
        t.lstrip = item.boolean("lstrip", false);
        t.rstrip = item.boolean("rstrip", false);
        t.special = item.boolean("special", false);
        t.normalized = item.boolean("normalized", !t.special);
        if (!utf8::isValid(t.content))
            item.fail("the token's content is not valid UTF-8");
        if (!t.content.empty()) // the Rust library ignores empty added tokens
            tokens.push_back(std::move(t));
    }
    return tokens;
}

// tokenizer_config.json: the facts transformers takes from it.
struct TokenizerConfig {
    std::optional<std::string> bosToken;
    std::optional<std::string> eosToken;
    std::optional<bool> addBosToken;
    std::optional<bool> addEosToken;
    std::string tokenizerClass;
};

TokenizerConfig readConfig(std::string_view text, const std::string& source)
{
    TokenizerConfig config;
    if (text.empty())
        return config;
    const nlohmann::json root = hf::parseJson(text, source);
    const hf::JsonAt at(root, "", source);
    at.requireObject();
    auto tokenName = [&](const std::string& key) -> std::optional<std::string> {
        const hf::JsonAt field = at[key];
        if (field.isNull())
            return std::nullopt;
        if (field.value().is_object()) // {"content": "<s>", "lstrip": false, ...}
            return field.string("content");
        return field.string();
    };
    auto flag = [&](const std::string& key) -> std::optional<bool> {
        if (!at.has(key))
            return std::nullopt;
        return at.boolean(key, false);
    };
    config.bosToken = tokenName("bos_token");
    config.eosToken = tokenName("eos_token");
    config.addBosToken = flag("add_bos_token");
    config.addEosToken = flag("add_eos_token");
    config.tokenizerClass = at.optionalString("tokenizer_class").value_or("");
    return config;
}

// transformers' LlamaTokenizerFast and GemmaTokenizerFast rebuild the post-processor from
// add_bos_token / add_eos_token (update_post_processor); other classes leave tokenizer.json's.
bool rebuildsTemplateFromConfig(const std::string& tokenizerClass)
{
    static const char* const classes[] = {"LlamaTokenizer",     "LlamaTokenizerFast", "CodeLlamaTokenizer",
                                          "CodeLlamaTokenizerFast", "GemmaTokenizer", "GemmaTokenizerFast"};
    return std::any_of(std::begin(classes), std::end(classes),
                       [&](const char* c) { return tokenizerClass == c; });
}

// Added tokens found in a text, before the lstrip/rstrip/single_word rules.
struct TokenMatch {
    size_t begin;
    size_t end;
    size_t token; // index into the added tokens
};

// A byte trie of added token texts, for leftmost-longest matching (Hugging Face's Aho-Corasick
// with MatchKind::LeftmostLongest finds the same matches).
class TokenTrie {
public:
    void insert(std::string_view text, size_t token)
    {
        size_t node = 0;
        for (unsigned char c : text) {
            auto& children = m_nodes[node].children;
            auto it = std::lower_bound(children.begin(), children.end(), c,
                                       [](const std::pair<unsigned char, size_t>& e, unsigned char v) { return e.first < v; });
            if (it == children.end() || it->first != c) {
                it = children.insert(it, {c, m_nodes.size()});
                const size_t created = it->second;
                m_nodes.emplace_back();
                node = created;
            } else {
                node = it->second;
            }
        }
        if (m_nodes[node].token < 0) // the first of duplicate texts wins
            m_nodes[node].token = int64_t(token);
    }
    bool empty() const { return m_nodes.size() == 1; }

    std::vector<TokenMatch> leftmostLongest(std::string_view text) const
    {
        std::vector<TokenMatch> matches;
        for (size_t at = 0; at < text.size();) {
            size_t node = 0;
            size_t bestEnd = 0;
            int64_t bestToken = -1;
            for (size_t i = at; i < text.size(); ++i) {
                const auto& children = m_nodes[node].children;
                const unsigned char c = static_cast<unsigned char>(text[i]);
                auto it = std::lower_bound(children.begin(), children.end(), c,
                                           [](const std::pair<unsigned char, size_t>& e, unsigned char v) { return e.first < v; });
                if (it == children.end() || it->first != c)
                    break;
                node = it->second;
                if (m_nodes[node].token >= 0) {
                    bestEnd = i + 1;
                    bestToken = m_nodes[node].token;
                }
            }
            if (bestToken >= 0) {
                matches.push_back({at, bestEnd, size_t(bestToken)});
                at = bestEnd;
            } else {
                ++at;
            }
        }
        return matches;
    }

private:
    struct Node {
        std::vector<std::pair<unsigned char, size_t>> children;
        int64_t token = -1;
    };
    std::vector<Node> m_nodes{1};
};

// llama.cpp's tokenizer_st_partition: each token, longest first, cut out of the remaining text
// wherever it occurs.
std::vector<TokenMatch> longestTokenFirst(std::string_view text, const std::vector<std::string>& texts,
                                          const std::vector<size_t>& tokensByLength)
{
    struct Fragment {
        size_t begin;
        size_t end;
        int64_t token; // -1: still text
    };
    std::vector<Fragment> fragments{{0, text.size(), -1}};
    for (size_t token : tokensByLength) {
        const std::string& needle = texts[token];
        if (text.find(needle) == std::string_view::npos)
            continue;
        std::vector<Fragment> next;
        next.reserve(fragments.size() + 4);
        for (const Fragment& f : fragments) {
            if (f.token >= 0) {
                next.push_back(f);
                continue;
            }
            size_t from = f.begin;
            while (true) {
                const size_t found = text.substr(0, f.end).find(needle, from);
                if (found == std::string_view::npos)
                    break;
                if (found > from)
                    next.push_back({from, found, -1});
                next.push_back({found, found + needle.size(), int64_t(token)});
                from = found + needle.size();
            }
            if (from < f.end)
                next.push_back({from, f.end, -1});
        }
        fragments = std::move(next);
    }
    std::vector<TokenMatch> matches;
    for (const Fragment& f : fragments)
        if (f.token >= 0)
            matches.push_back({f.begin, f.end, size_t(f.token)});
    return matches;
}

bool endsWithWordCharacter(std::string_view text)
{
    if (text.empty())
        return false;
    size_t start = text.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
        --start;
    size_t at = start;
    return unicode::isWordCharacter(utf8::next(text, at));
}

bool startsWithWordCharacter(std::string_view text)
{
    size_t at = 0;
    return !text.empty() && unicode::isWordCharacter(utf8::next(text, at));
}

// Where the whitespace at the end of `text` begins (the regex \s*$).
size_t trailingWhitespaceStart(std::string_view text)
{
    size_t end = text.size();
    while (end > 0) {
        size_t start = end - 1;
        while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
            --start;
        size_t at = start;
        if (!unicode::isWhitespace(utf8::next(text, at)))
            break;
        end = start;
    }
    return end;
}

// Length of the whitespace at the start of `text` (the regex ^\s*).
size_t leadingWhitespaceLength(std::string_view text)
{
    size_t at = 0;
    while (at < text.size()) {
        size_t next = at;
        if (!unicode::isWhitespace(utf8::next(text, next)))
            break;
        at = next;
    }
    return at;
}

} // namespace

struct HfTokenizer::State {
    hf::TokenizerParts parts;
    std::vector<std::string> idToToken;
    std::vector<bool> special;
    TokenIndex addedIndex; // content → id
    std::vector<std::string> matchText; // per added token: its content, or its normalized content
    TokenTrie rawTrie;        // tokens with normalized == false, matched in the input
    TokenTrie normalizedTrie; // the others, matched in normalized text
    std::vector<size_t> rawByLength;
    std::vector<size_t> normalizedByLength;
    int32_t unkId = -1;

    struct Split {
        size_t begin;
        size_t end;
        int64_t token; // -1: text
    };

    // AddedVocabulary::find_matches: the matches, filtered by single_word, widened by
    // lstrip/rstrip, and the text between them.
    std::vector<Split> splitAddedTokens(std::string_view text, bool normalizedSet) const
    {
        const TokenTrie& trie = normalizedSet ? normalizedTrie : rawTrie;
        if (text.empty() || trie.empty())
            return {{0, text.size(), -1}};
        const std::vector<TokenMatch> matches =
            parts.matchLongestTokenFirst
                ? longestTokenFirst(text, matchText, normalizedSet ? normalizedByLength : rawByLength)
                : trie.leftmostLongest(text);
        std::vector<Split> splits;
        size_t startOffset = 0;
        for (const TokenMatch& m : matches) {
            const hf::AddedToken& token = parts.addedTokens[m.token];
            size_t start = m.begin;
            size_t stop = m.end;
            if (token.singleWord) {
                const bool spaceBefore = start == 0 || !endsWithWordCharacter(text.substr(0, start));
                const bool spaceAfter = stop == text.size() || !startsWithWordCharacter(text.substr(stop));
                if (!spaceBefore || !spaceAfter)
                    continue;
            }
            if (token.lstrip)
                start = std::max(trailingWhitespaceStart(text.substr(0, start)), startOffset);
            if (token.rstrip)
                stop += leadingWhitespaceLength(text.substr(stop));
            if (startOffset < start)
                splits.push_back({startOffset, start, -1});
            splits.push_back({start, stop, int64_t(m.token)});
            startOffset = stop;
        }
        if (startOffset != text.size())
            splits.push_back({startOffset, text.size(), -1});
        return splits;
    }
};

HfTokenizer::HfTokenizer(std::shared_ptr<const State> state) : m_state(std::move(state)) {}

HfTokenizer HfTokenizer::fromParts(hf::TokenizerParts parts)
{
    if (!parts.model)
        throw InputError(parts.source, "has no model");
    auto state = std::make_shared<State>();
    State& s = *state;

    int64_t largestId = -1;
    for (const auto& [token, id] : parts.model->vocabulary())
        largestId = std::max<int64_t>(largestId, id);
    for (hf::AddedToken& t : parts.addedTokens) {
        // The Rust library gives a token the model already has the model's id.
        if (const int32_t modelId = parts.model->find(t.content); modelId >= 0)
            t.id = modelId;
        largestId = std::max<int64_t>(largestId, t.id);
    }
    if (largestId < 0)
        throw InputError(parts.source, "has an empty vocabulary");
    if (largestId > kLargestTokenId)
        throw InputError(parts.source, "token id " + std::to_string(largestId) + " is too large");
    s.idToToken.assign(size_t(largestId + 1), std::string());
    s.special.assign(size_t(largestId + 1), false);
    std::vector<bool> named(size_t(largestId + 1), false);
    for (const auto& [token, id] : parts.model->vocabulary()) {
        // Of two tokens with one id, keep the smaller text so the choice does not depend on hashing.
        if (!named[size_t(id)] || token < s.idToToken[size_t(id)])
            s.idToToken[size_t(id)] = token;
        named[size_t(id)] = true;
    }
    s.matchText.resize(parts.addedTokens.size());
    for (size_t i = 0; i < parts.addedTokens.size(); ++i) {
        const hf::AddedToken& t = parts.addedTokens[i];
        s.idToToken[size_t(t.id)] = t.content;
        s.special[size_t(t.id)] = s.special[size_t(t.id)] || t.special;
        s.addedIndex.emplace(t.content, t.id);
        std::string text = t.content;
        if (t.normalized && parts.normalizer)
            parts.normalizer->normalize(text);
        s.matchText[i] = text;
        if (text.empty())
            continue;
        if (t.normalized) {
            s.normalizedTrie.insert(text, i);
            s.normalizedByLength.push_back(i);
        } else {
            s.rawTrie.insert(text, i);
            s.rawByLength.push_back(i);
        }
    }
    auto longerFirst = [&](size_t a, size_t b) { return s.matchText[a].size() > s.matchText[b].size(); };
    std::stable_sort(s.rawByLength.begin(), s.rawByLength.end(), longerFirst);
    std::stable_sort(s.normalizedByLength.begin(), s.normalizedByLength.end(), longerFirst);
    s.unkId = parts.model->unkId();
    for (int32_t* id : {&parts.bosId, &parts.eosId})
        if (*id > largestId)
            *id = -1;
    s.parts = std::move(parts);
    return HfTokenizer(std::move(state));
}

HfTokenizer HfTokenizer::fromJson(std::string_view tokenizerJson, std::string_view configJson,
                                  const std::string& source, const std::string& configSource)
{
    const nlohmann::json root = hf::parseJson(tokenizerJson, source);
    const hf::JsonAt at(root, "", source);
    at.requireObject();
    hf::TokenizerParts parts;
    parts.source = source;
    parts.normalizer = hf::makeNormalizer(at["normalizer"]);
    parts.preTokenizer = hf::makePreTokenizer(at["pre_tokenizer"]);
    parts.model = readBpeModel(at["model"]);
    parts.postProcessor = hf::makePostProcessor(at["post_processor"]);
    parts.decoder = hf::makeDecoder(at["decoder"]);
    parts.addedTokens = readAddedTokens(at["added_tokens"]);

    const TokenizerConfig config = readConfig(configJson, configSource);
    auto idOf = [&](const std::optional<std::string>& name) -> int32_t {
        if (!name)
            return -1;
        for (const hf::AddedToken& t : parts.addedTokens)
            if (t.content == *name)
                return parts.model->find(t.content) >= 0 ? parts.model->find(t.content) : t.id;
        return parts.model->find(*name);
    };
    const int32_t configBos = idOf(config.bosToken);
    const int32_t configEos = idOf(config.eosToken);
    if (rebuildsTemplateFromConfig(config.tokenizerClass) && (config.addBosToken || config.addEosToken)) {
        const bool addBos = config.addBosToken.value_or(true);
        const bool addEos = config.addEosToken.value_or(false);
        if ((addBos && configBos < 0) || (addEos && configEos < 0))
            throw InputError(configSource, std::string("asks to add the ") + (addBos && configBos < 0 ? "BOS" : "EOS") +
                                               " token but names none the vocabulary has");
        parts.postProcessor = hf::makeAddSpecialTokens(addBos ? std::vector<int32_t>{configBos} : std::vector<int32_t>{},
                                                       addEos ? std::vector<int32_t>{configEos} : std::vector<int32_t>{});
    }
    const std::vector<int32_t> leading = parts.postProcessor ? parts.postProcessor->leadingSpecialIds() : std::vector<int32_t>{};
    const std::vector<int32_t> trailing = parts.postProcessor ? parts.postProcessor->trailingSpecialIds() : std::vector<int32_t>{};
    parts.bosId = configBos >= 0 ? configBos : leading.empty() ? -1 : leading.front();
    parts.eosId = configEos >= 0 ? configEos : trailing.empty() ? -1 : trailing.back();
    return fromParts(std::move(parts));
}

HfTokenizer HfTokenizer::fromFile(const std::string& tokenizerJsonPath)
{
    const std::string json = hf::readWholeFile(tokenizerJsonPath);
    const fs::path configPath = fs::path(tokenizerJsonPath).parent_path() / "tokenizer_config.json";
    std::error_code ec;
    std::string config;
    if (fs::is_regular_file(configPath, ec))
        config = hf::readWholeFile(configPath.string());
    return fromJson(json, config, tokenizerJsonPath, configPath.string());
}

std::vector<int32_t> HfTokenizer::encode(std::string_view text, bool addSpecialTokens) const
{
    const State& s = *m_state;
    const hf::TokenizerParts& p = s.parts;
    const std::string input = utf8::repaired(text);
    std::vector<int32_t> ids;
    std::vector<hf::Piece> pieces;
    for (const State::Split& split : s.splitAddedTokens(input, false)) {
        if (split.token >= 0) {
            ids.push_back(p.addedTokens[size_t(split.token)].id);
            continue;
        }
        std::string normalized = input.substr(split.begin, split.end - split.begin);
        if (p.normalizer)
            p.normalizer->normalize(normalized);
        for (const State::Split& inner : s.splitAddedTokens(normalized, true)) {
            if (inner.token >= 0) {
                ids.push_back(p.addedTokens[size_t(inner.token)].id);
                continue;
            }
            pieces.assign(1, hf::Piece{normalized.substr(inner.begin, inner.end - inner.begin),
                                       split.begin == 0 && inner.begin == 0});
            if (p.preTokenizer)
                p.preTokenizer->preTokenize(pieces);
            for (const hf::Piece& piece : pieces)
                p.model->tokenize(piece.text, ids);
        }
    }
    return p.postProcessor ? p.postProcessor->process(std::move(ids), addSpecialTokens) : ids;
}

int32_t HfTokenizer::size() const { return int32_t(m_state->idToToken.size()); }

const std::string& HfTokenizer::token(int32_t id) const
{
    if (id < 0 || id >= size())
        throw InputError("tokenizer", "token id " + std::to_string(id) + " is outside 0.." + std::to_string(size() - 1));
    return m_state->idToToken[size_t(id)];
}

int32_t HfTokenizer::find(std::string_view text) const
{
    const auto it = m_state->addedIndex.find(text);
    if (it != m_state->addedIndex.end())
        return it->second;
    return m_state->parts.model->find(text);
}

bool HfTokenizer::isSpecial(int32_t id) const { return id >= 0 && id < size() && m_state->special[size_t(id)]; }

int32_t HfTokenizer::bosId() const { return m_state->parts.bosId; }
int32_t HfTokenizer::eosId() const { return m_state->parts.eosId; }
int32_t HfTokenizer::unkId() const { return m_state->unkId; }
const std::string& HfTokenizer::source() const { return m_state->parts.source; }

namespace {

std::string decodeTokens(const hf::Decoder* decoder, std::vector<std::string> tokens, bool raw)
{
    if (!decoder) { // the Rust library joins with spaces when there is no decoder
        std::string joined;
        for (size_t i = 0; i < tokens.size(); ++i)
            joined += (i ? " " : "") + tokens[i];
        return joined;
    }
    decoder->decodeChain(tokens, raw);
    std::string joined;
    for (const std::string& t : tokens)
        joined += t;
    return joined;
}

} // namespace

std::vector<std::string> HfTokenizer::decodableTokens(const std::vector<int32_t>& ids) const
{
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (int32_t id : ids) {
        const std::string& text = token(id);
        if (!m_state->special[size_t(id)] && !text.empty())
            tokens.push_back(text);
    }
    return tokens;
}

std::string HfTokenizer::rawDecode(const std::vector<int32_t>& ids) const
{
    return decodeTokens(m_state->parts.decoder.get(), decodableTokens(ids), true);
}

std::string HfTokenizer::decode(const std::vector<int32_t>& ids) const
{
    return utf8::repaired(decodeTokens(m_state->parts.decoder.get(), decodableTokens(ids), false));
}

std::string HfTokenizer::decodePiece(int32_t prev, int32_t id) const
{
    token(id); // range check
    if (m_state->special[size_t(id)])
        return {};
    const bool follows = prev >= 0 && prev < size() && !m_state->special[size_t(prev)] &&
                         !m_state->idToToken[size_t(prev)].empty();
    if (!follows)
        return rawDecode({id});
    // What `id` adds after `prev`: the decoders treat a first token specially (Metaspace, Strip),
    // so decode the pair and drop what `prev` alone gives.
    const std::string before = rawDecode({prev});
    const std::string both = rawDecode({prev, id});
    size_t common = 0;
    while (common < before.size() && common < both.size() && before[common] == both[common])
        ++common;
    return both.substr(common);
}

} // namespace salience
