#include "eval/Tokenizer.h"

#include "eval/Utf8.h"

#include "base/Error.h"
#include "eval/HfTokenizer.h"
#include "io/GgufReader.h"
#include "io/MappedFile.h"

#include <cmath>
#include <cstring>
#include <queue>

namespace salience {

namespace {

constexpr int32_t kByteFallbackOffset = 3; // run.c: byte b is token b + 3
constexpr float kNoMerge = -1e10f;         // run.c's starting best score: merges must beat it

bool isContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

// GGUF (SentencePiece) writes a space as U+2581 "▁".
std::string withPlainSpaces(const std::string& piece)
{
    static const std::string lowLine = "\xE2\x96\x81";
    std::string out;
    out.reserve(piece.size());
    for (size_t i = 0; i < piece.size();) {
        if (piece.compare(i, lowLine.size(), lowLine) == 0) {
            out += ' ';
            i += lowLine.size();
        } else {
            out += piece[i++];
        }
    }
    return out;
}

} // namespace

Tokenizer::Tokenizer(std::vector<std::string> pieces, std::vector<float> scores, int32_t bosId,
                     int32_t eosId, int32_t unkId)
    : m_pieces(std::move(pieces)), m_scores(std::move(scores)), m_bos(bosId), m_eos(eosId),
      m_unk(unkId)
{
    if (m_pieces.size() != m_scores.size())
        throw InputError("vocabulary", std::to_string(m_pieces.size()) + " pieces but " +
                                           std::to_string(m_scores.size()) + " scores");
    if (m_pieces.size() < 3)
        throw InputError("vocabulary", "has " + std::to_string(m_pieces.size()) +
                                           " pieces; at least 3 (unk, bos, eos) are needed");
    if (m_pieces.size() > size_t(INT32_MAX))
        throw InputError("vocabulary", "has more pieces than int32 ids can name");
    const int32_t n = int32_t(m_pieces.size());
    for (int32_t special : {m_bos, m_eos, m_unk})
        if (special < 0 || special >= n)
            throw InputError("vocabulary", "special token id " + std::to_string(special) +
                                               " is outside 0.." + std::to_string(n - 1));
    m_index.reserve(m_pieces.size());
    for (int32_t id = 0; id < n; ++id)
        m_index.emplace(m_pieces[size_t(id)], id); // keeps the first of duplicates
}

Tokenizer::Tokenizer(HfTokenizer hf)
    : m_hf(std::make_shared<const HfTokenizer>(std::move(hf)))
{
    m_bos = m_hf->bosId();
    m_eos = m_hf->eosId();
    m_unk = m_hf->unkId();
}

Tokenizer Tokenizer::fromHfFile(const std::string& tokenizerJsonPath)
{
    return Tokenizer(HfTokenizer::fromFile(tokenizerJsonPath));
}

Tokenizer Tokenizer::fromLlama2cFile(const std::string& path)
{
    MappedFile file(path);
    const uint8_t* data = file.data();
    const size_t size = file.size();
    auto readInt32 = [&](size_t at) {
        int32_t v;
        std::memcpy(&v, data + at, 4);
        return v;
    };
    if (size < 4)
        throw InputError(path, "too short for a llama2.c tokenizer (no max_token_length)");
    if (readInt32(0) < 0)
        throw InputError(path, "negative max_token_length " + std::to_string(readInt32(0)));

    std::vector<std::string> pieces;
    std::vector<float> scores;
    size_t at = 4;
    while (at < size) {
        const size_t entry = pieces.size();
        if (size - at < 8)
            throw InputError(path, "vocabulary entry " + std::to_string(entry) +
                                       " is truncated (its score and length need 8 bytes, " +
                                       std::to_string(size - at) + " remain)");
        float score;
        std::memcpy(&score, data + at, 4);
        const int32_t len = readInt32(at + 4);
        at += 8;
        if (len < 0)
            throw InputError(path, "vocabulary entry " + std::to_string(entry) +
                                       " has negative length " + std::to_string(len));
        if (size_t(len) > size - at)
            throw InputError(path, "vocabulary entry " + std::to_string(entry) + " has length " +
                                       std::to_string(len) + " but only " +
                                       std::to_string(size - at) + " bytes remain (truncated)");
        pieces.emplace_back(reinterpret_cast<const char*>(data + at), size_t(len));
        scores.push_back(score);
        at += size_t(len);
    }
    try {
        return Tokenizer(std::move(pieces), std::move(scores));
    } catch (const InputError& e) {
        throw InputError(path, e.problem());
    }
}

Tokenizer Tokenizer::fromGguf(const GgufReader& gguf)
{
    const std::string& path = gguf.path();
    const auto model = gguf.getString("tokenizer.ggml.model");
    if (!model)
        throw InputError(path, "has no tokenizer.ggml.model");
    if (*model == "gpt2")
        return Tokenizer(HfTokenizer::fromGguf(gguf));
    if (*model != "llama")
        throw InputError(path, "tokenizer model '" + *model +
                                   "' is not supported (only SentencePiece 'llama' and byte-level BPE 'gpt2')");
    const std::vector<std::string> tokens = gguf.getStringArray("tokenizer.ggml.tokens");
    if (tokens.empty())
        throw InputError(path, "has no tokenizer.ggml.tokens string array");
    const std::vector<double> scores = gguf.getFloatArray("tokenizer.ggml.scores");
    if (scores.size() != tokens.size())
        throw InputError(path, "tokenizer.ggml.scores has " + std::to_string(scores.size()) +
                                   " values for " + std::to_string(tokens.size()) + " tokens");

    std::vector<std::string> pieces;
    pieces.reserve(tokens.size());
    for (const std::string& token : tokens)
        pieces.push_back(withPlainSpaces(token));
    std::vector<float> floatScores(scores.begin(), scores.end());

    auto special = [&](const char* key, int32_t fallback) -> int32_t {
        const auto v = gguf.getInt(key);
        if (!v)
            return fallback;
        if (*v < 0 || *v >= int64_t(tokens.size()))
            throw InputError(path, std::string(key) + " = " + std::to_string(*v) +
                                       " is outside the vocabulary of " +
                                       std::to_string(tokens.size()));
        return int32_t(*v);
    };
    const int32_t bos = special("tokenizer.ggml.bos_token_id", 1);
    const int32_t eos = special("tokenizer.ggml.eos_token_id", 2);
    const int32_t unk = special("tokenizer.ggml.unknown_token_id", 0);
    try {
        return Tokenizer(std::move(pieces), std::move(floatScores), bos, eos, unk);
    } catch (const InputError& e) {
        throw InputError(path, e.problem());
    }
}

int32_t Tokenizer::size() const { return m_hf ? m_hf->size() : int32_t(m_pieces.size()); }

int32_t Tokenizer::find(std::string_view piece) const
{
    if (m_hf)
        return m_hf->find(piece);
    const auto it = m_index.find(std::string(piece));
    return it == m_index.end() ? -1 : it->second;
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool bos) const
{
    if (m_hf)
        return m_hf->encode(text, bos);
    std::vector<int32_t> ids;
    if (bos)
        ids.push_back(m_bos);
    // One code point (or a byte run run.c groups as one) as a piece, else its bytes.
    auto pushUnit = [&](std::string_view unit) {
        const int32_t id = find(unit);
        if (id >= 0) {
            ids.push_back(id);
            return;
        }
        for (unsigned char b : unit) {
            const int32_t byteId = int32_t(b) + kByteFallbackOffset;
            ids.push_back(byteId < size() ? byteId : m_unk); // a vocabulary without byte pieces
        }
    };
    if (!text.empty())
        pushUnit(" "); // dummy prefix, as SentencePiece adds
    // run.c's grouping: a lead byte starts a unit; up to 3 continuation bytes join it.
    size_t start = 0;
    while (start < text.size()) {
        size_t end = start + 1;
        while (end < text.size() && end - start < 4 &&
               isContinuationByte(static_cast<unsigned char>(text[end])))
            ++end;
        pushUnit(text.substr(start, end - start));
        start = end;
    }

    // Merges. run.c rescans all pairs per merge (quadratic); a heap of candidate pairs gives the
    // same choices: highest score first, and on ties the leftmost pair. Nodes keep their original
    // order, so a smaller left-node index means further left. A candidate is stale when either
    // node has died or changed since it was pushed (generation counters).
    struct Node {
        int32_t id;
        int32_t prev;
        int32_t next;
        uint32_t generation = 0;
        bool alive = true;
    };
    struct Candidate {
        float score;
        int32_t left;
        int32_t right;
        int32_t merged;
        uint32_t leftGeneration;
        uint32_t rightGeneration;
    };
    struct Later {
        bool operator()(const Candidate& a, const Candidate& b) const
        {
            if (a.score != b.score)
                return a.score < b.score;
            return a.left > b.left;
        }
    };
    const int32_t count = int32_t(ids.size());
    std::vector<Node> nodes(ids.size());
    for (int32_t i = 0; i < count; ++i)
        nodes[size_t(i)] = Node{ids[size_t(i)], i - 1, i + 1 < count ? i + 1 : -1};
    std::priority_queue<Candidate, std::vector<Candidate>, Later> heap;
    std::string pair;
    auto consider = [&](int32_t left, int32_t right) {
        if (left < 0 || right < 0)
            return;
        const Node& l = nodes[size_t(left)];
        const Node& r = nodes[size_t(right)];
        pair.assign(m_pieces[size_t(l.id)]);
        pair.append(m_pieces[size_t(r.id)]);
        const auto it = m_index.find(pair);
        if (it == m_index.end())
            return;
        const float s = m_scores[size_t(it->second)];
        if (!(s > kNoMerge)) // run.c never picks these (nor NaN)
            return;
        heap.push(Candidate{s, left, right, it->second, l.generation, r.generation});
    };
    for (int32_t i = 0; i + 1 < count; ++i)
        consider(i, i + 1);
    while (!heap.empty()) {
        const Candidate c = heap.top();
        heap.pop();
        Node& l = nodes[size_t(c.left)];
        Node& r = nodes[size_t(c.right)];
        if (!l.alive || !r.alive || l.next != c.right || l.generation != c.leftGeneration ||
            r.generation != c.rightGeneration)
            continue;
        l.id = c.merged;
        ++l.generation;
        r.alive = false;
        l.next = r.next;
        if (r.next >= 0)
            nodes[size_t(r.next)].prev = c.left;
        consider(l.prev, c.left);
        consider(c.left, l.next);
    }

    std::vector<int32_t> merged;
    merged.reserve(ids.size());
    for (int32_t i = count > 0 ? 0 : -1; i >= 0; i = nodes[size_t(i)].next)
        merged.push_back(nodes[size_t(i)].id);
    return merged;
}

void Tokenizer::checkId(int32_t id) const
{
    if (id < 0 || id >= size())
        throw InputError("tokenizer", "token id " + std::to_string(id) + " is outside 0.." +
                                          std::to_string(size() - 1));
}

const std::string& Tokenizer::piece(int32_t id) const
{
    if (m_hf)
        return m_hf->token(id);
    checkId(id);
    return m_pieces[size_t(id)];
}

float Tokenizer::score(int32_t id) const
{
    checkId(id);
    if (m_hf)
        return 0.0f;
    return m_scores[size_t(id)];
}

std::string Tokenizer::decodePiece(int32_t prev, int32_t id) const
{
    if (m_hf)
        return m_hf->decodePiece(prev, id);
    checkId(id);
    if (id == m_bos || id == m_eos)
        return {};
    std::string_view text = m_pieces[size_t(id)];
    if (prev == m_bos && !text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    const int byte = utf8::byteOfFallbackPiece(text);
    if (byte >= 0)
        return std::string(1, char(byte));
    return std::string(text);
}

std::string Tokenizer::decode(const std::vector<int32_t>& ids) const
{
    if (m_hf)
        return m_hf->decode(ids);
    std::string out;
    int32_t prev = m_bos;
    for (int32_t id : ids) {
        out += decodePiece(prev, id);
        prev = id;
    }
    return out;
}

} // namespace salience
