#include "io/Llama2cReader.h"

#include "base/Error.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace salience {

namespace {

constexpr uint32_t kMagic = 0x616b3432; // "ak42" as a little-endian uint32
constexpr uint64_t kV0HeaderSize = 7 * 4;
constexpr uint64_t kVersionedHeaderSize = 256;

int32_t loadInt32(const uint8_t* p)
{
    int32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

// Where a tensor sits in Salience's listing: embedding, then block by block, then the head,
// the same for every version whatever order the file stores them in.
int64_t listingRank(int layer, int role) { return (int64_t(layer) + 1) * 16 + role; }

} // namespace

Llama2cReader::Llama2cReader(const std::string& path) : m_file(std::make_unique<MappedFile>(path))
{
    parseHeader();
    layOut();
}

void Llama2cReader::parseHeader()
{
    const std::string& p = m_file->path();
    const uint8_t* d = m_file->data();
    const uint64_t size = m_file->size();
    const auto truncated = [&](uint64_t need) {
        return InputError(p, "truncated: expected at least " + std::to_string(need) +
                                 " bytes of llama2.c header, file has " + std::to_string(size));
    };
    if (size < 4)
        throw truncated(kV0HeaderSize);
    uint32_t magic;
    std::memcpy(&magic, d, 4);
    Llama2cConfig& c = m_config;
    const uint8_t* params = d;
    if (magic == kMagic) {
        if (size < kVersionedHeaderSize)
            throw truncated(kVersionedHeaderSize);
        c.version = loadInt32(d + 4);
        if (c.version != 1 && c.version != 2)
            throw InputError(p, "unsupported llama2.c checkpoint version " +
                                    std::to_string(c.version) + " (known: 0, 1, 2)");
        params = d + 8;
        const uint8_t flag = d[36];
        if (flag > 1)
            throw InputError(p, "shared_classifier flag is " + std::to_string(flag) +
                                    ", expected 0 or 1");
        c.sharedClassifier = flag == 1;
        if (c.version == 2)
            c.groupSize = loadInt32(d + 37); // export.py packs it unaligned, right after the flag
        m_headerSize = kVersionedHeaderSize;
    } else {
        if (size < kV0HeaderSize)
            throw truncated(kV0HeaderSize);
        c.version = 0;
        m_headerSize = kV0HeaderSize;
    }
    c.dim = loadInt32(params);
    c.hiddenDim = loadInt32(params + 4);
    c.nLayers = loadInt32(params + 8);
    c.nHeads = loadInt32(params + 12);
    c.nKvHeads = loadInt32(params + 16);
    int32_t vocab = loadInt32(params + 20);
    c.seqLen = loadInt32(params + 24);

    if (c.version == 0) {
        // run.c: "negative vocab size is hacky way of signaling unshared weights".
        c.sharedClassifier = vocab > 0;
        if (vocab < 0 && vocab != std::numeric_limits<int32_t>::min())
            vocab = -vocab;
    }
    c.vocabSize = vocab;

    const auto requirePositive = [&](int value, const char* what) {
        if (value <= 0)
            throw InputError(p, std::string("llama2.c header has ") + what + " = " +
                                    std::to_string(value) + "; it must be positive" +
                                    (c.version == 0 ? " (is this a llama2.c checkpoint?)" : ""));
    };
    requirePositive(c.dim, "dim");
    requirePositive(c.hiddenDim, "hidden_dim");
    requirePositive(c.nLayers, "n_layers");
    requirePositive(c.nHeads, "n_heads");
    requirePositive(c.nKvHeads, "n_kv_heads");
    requirePositive(c.vocabSize, "vocab_size");
    requirePositive(c.seqLen, "seq_len");
    if (c.dim % c.nHeads != 0)
        throw InputError(p, "n_heads = " + std::to_string(c.nHeads) + " does not divide dim = " +
                                std::to_string(c.dim));
    if (c.nKvHeads > c.nHeads || c.nHeads % c.nKvHeads != 0)
        throw InputError(p, "n_kv_heads = " + std::to_string(c.nKvHeads) +
                                " does not divide n_heads = " + std::to_string(c.nHeads));
    if (c.version == 2 && c.groupSize <= 0)
        throw InputError(p, "group_size = " + std::to_string(c.groupSize) + "; it must be positive");
}

void Llama2cReader::layOut()
{
    const std::string& p = m_file->path();
    const Llama2cConfig& c = m_config;
    const auto mul = [&](uint64_t a, uint64_t b) {
        uint64_t r;
        if (__builtin_mul_overflow(a, b, &r))
            throw InputError(p, "the sizes in the llama2.c header overflow");
        return r;
    };
    const auto add = [&](uint64_t a, uint64_t b) {
        uint64_t r;
        if (__builtin_add_overflow(a, b, &r))
            throw InputError(p, "the sizes in the llama2.c header overflow");
        return r;
    };

    struct Placed {
        TensorInfo info;
        Entry entry;
        int64_t rank;
    };
    std::vector<Placed> placed;
    uint64_t cursor = m_headerSize;
    // Two passes: the first only sums sizes (layer counts multiply, no per-layer loop), so an
    // absurd header fails on the size check before any per-tensor work; the second records.
    bool record = false;

    const auto bytesOf = [&](const std::string& name, const std::vector<int64_t>& shape,
                             bool quantized) {
        uint64_t numel = 1;
        for (int64_t s : shape)
            numel = mul(numel, uint64_t(s));
        if (!quantized)
            return mul(numel, 4);
        const uint64_t gs = uint64_t(c.groupSize);
        if (numel % gs != 0)
            throw InputError(p, "group_size = " + std::to_string(gs) + " does not divide the " +
                                    std::to_string(numel) + " values of " + name);
        return add(numel, mul(numel / gs, 4));
    };
    const auto place = [&](const std::string& name, const std::vector<int64_t>& shape, int64_t rank,
                           bool quantized) {
        const uint64_t bytes = bytesOf(name, shape, quantized);
        if (record) {
            Placed t;
            t.info.name = name;
            t.info.shape = shape;
            t.info.byteSize = bytes;
            t.info.dtype = quantized ? "Q8_0" : "F32";
            t.rank = rank;
            t.entry.offset = cursor;
            t.entry.quantized = quantized;
            if (quantized)
                t.entry.scaleOffset = cursor + uint64_t(t.info.numel()); // int8 values first
            placed.push_back(std::move(t));
        }
        cursor = add(cursor, bytes);
    };
    // Roles within a block, in the listing order.
    enum { AttnNorm, Wq, Wk, Wv, Wo, FfnNorm, W1, W2, W3 };
    const auto perLayer = [&](const char* rest, const std::vector<int64_t>& shape, int role, bool q) {
        if (!record) {
            cursor = add(cursor, mul(uint64_t(c.nLayers), bytesOf(rest, shape, q)));
            return;
        }
        for (int l = 0; l < c.nLayers; ++l)
            place("layers." + std::to_string(l) + "." + rest, shape, listingRank(l, role), q);
    };
    const int64_t d = c.dim, h = c.hiddenDim, v = c.vocabSize, kvd = c.kvDim();
    const int64_t headRank = listingRank(c.nLayers, 0);
    const auto embedding = [&](bool q) { place("tok_embeddings.weight", {v, d}, 0, q); };
    const auto norms = [&] {
        perLayer("attention_norm.weight", {d}, AttnNorm, false);
        perLayer("ffn_norm.weight", {d}, FfnNorm, false);
        place("norm.weight", {d}, headRank, false);
    };
    const auto matrices = [&](bool q) {
        perLayer("attention.wq.weight", {d, d}, Wq, q);
        perLayer("attention.wk.weight", {kvd, d}, Wk, q);
        perLayer("attention.wv.weight", {kvd, d}, Wv, q);
        perLayer("attention.wo.weight", {d, d}, Wo, q);
        perLayer("feed_forward.w1.weight", {h, d}, W1, q);
        perLayer("feed_forward.w2.weight", {d, h}, W2, q);
        perLayer("feed_forward.w3.weight", {h, d}, W3, q);
    };
    const auto classifier = [&](bool q) {
        if (!c.sharedClassifier)
            place("output.weight", {v, d}, headRank + 1, q);
    };
    const auto layout = [&] {
        cursor = m_headerSize;
        if (c.version == 0) {
            // run.c's memory_map_weights order.
            embedding(false);
            perLayer("attention_norm.weight", {d}, AttnNorm, false);
            perLayer("attention.wq.weight", {d, d}, Wq, false);
            perLayer("attention.wk.weight", {kvd, d}, Wk, false);
            perLayer("attention.wv.weight", {kvd, d}, Wv, false);
            perLayer("attention.wo.weight", {d, d}, Wo, false);
            perLayer("ffn_norm.weight", {d}, FfnNorm, false);
            perLayer("feed_forward.w1.weight", {h, d}, W1, false);
            perLayer("feed_forward.w2.weight", {d, h}, W2, false);
            perLayer("feed_forward.w3.weight", {h, d}, W3, false);
            place("norm.weight", {d}, headRank, false);
            // freq_cis_real and freq_cis_imag, seq_len * head_size / 2 floats each, not listed.
            const uint64_t freq = mul(uint64_t(c.seqLen), uint64_t(c.headSize())) / 2;
            cursor = add(cursor, mul(mul(freq, 2), 4));
            classifier(false);
        } else if (c.version == 1) {
            // export.py version1_export: norms, embedding, matrices, classifier.
            norms();
            embedding(false);
            matrices(false);
            classifier(false);
        } else {
            // export.py version2_export / runq.c: fp32 norms, then Q8_0 tensors.
            norms();
            embedding(true);
            matrices(true);
            classifier(true);
        }
    };

    layout();
    m_expectedSize = cursor;
    const uint64_t size = m_file->size();
    if (size < m_expectedSize)
        throw InputError(p, "truncated: expected " + std::to_string(m_expectedSize) +
                                " bytes, file has " + std::to_string(size));
    if (size > m_expectedSize)
        throw InputError(p, "file has " + std::to_string(size) + " bytes but its llama2.c v" +
                                std::to_string(c.version) + " header describes " +
                                std::to_string(m_expectedSize) +
                                "; the header does not match the file");
    record = true;
    layout();

    std::stable_sort(placed.begin(), placed.end(),
                     [](const Placed& a, const Placed& b) { return a.rank < b.rank; });
    for (auto& t : placed) {
        m_index.emplace(t.info.name, m_tensors.size());
        m_tensors.push_back(std::move(t.info));
        m_entries.push_back(t.entry);
    }
}

FloatTensor Llama2cReader::readFloat(const std::string& name) const
{
    const auto it = m_index.find(name);
    if (it == m_index.end())
        throw InputError(path(), "no tensor named '" + name + "'");
    const TensorInfo& info = m_tensors[it->second];
    const Entry& e = m_entries[it->second];
    FloatTensor out;
    out.shape = info.shape;
    const size_t n = size_t(info.numel());
    out.data.resize(n);
    const uint8_t* base = m_file->data();
    if (!e.quantized) {
        if (n)
            std::memcpy(out.data.data(), base + e.offset, n * 4);
        return out;
    }
    // Q8_0: value = int8 * scale of its group of groupSize consecutive values.
    const size_t gs = size_t(m_config.groupSize);
    const auto* q = reinterpret_cast<const int8_t*>(base + e.offset);
    const uint8_t* scales = base + e.scaleOffset;
    for (size_t g = 0; g < n / gs; ++g) {
        float scale;
        std::memcpy(&scale, scales + 4 * g, 4);
        for (size_t i = g * gs; i < (g + 1) * gs; ++i)
            out.data[i] = float(q[i]) * scale;
    }
    return out;
}

} // namespace salience
