#include "eval/Transformer.h"

#include "base/Error.h"

#include <algorithm>
#include <cmath>

namespace salience {

namespace {

const char* const kRoleSuffix[7] = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                                    "mlp.gate_proj",    "mlp.up_proj",      "mlp.down_proj"};

std::vector<float> readVector(const Model& model, const std::string& name, int64_t size)
{
    if (!model.findCanonical(name))
        throw InputError(model.path(), "the forward pass needs tensor '" + name + "', which the model does not have");
    FloatTensor t = model.canonicalTensor(name);
    if (t.numel() != size)
        throw InputError(model.path(), "tensor '" + name + "' has " + std::to_string(t.numel()) +
                                           " elements, the architecture needs " + std::to_string(size));
    return std::move(t.data);
}

Matrix readMatrix(const Model& model, const std::string& name, int64_t rows, int64_t cols)
{
    if (!model.findLayer(name))
        throw InputError(model.path(), "the forward pass needs weight '" + name + "', which the model does not have");
    Matrix m = model.weight(name);
    if (m.rows() != rows || m.cols() != cols)
        throw InputError(model.path(), "weight '" + name + "' is [" + std::to_string(m.rows()) + ", " +
                                           std::to_string(m.cols()) + "], the architecture needs [" +
                                           std::to_string(rows) + ", " + std::to_string(cols) + "]");
    return m;
}

// x·w/rms(x) per row, accumulated in double as llama.cpp does for its reference.
Matrix rmsNorm(const Matrix& x, const std::vector<float>& weight, double eps)
{
    Matrix out(x.rows(), x.cols());
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        double ss = 0;
        for (Eigen::Index c = 0; c < x.cols(); ++c)
            ss += double(x(r, c)) * double(x(r, c));
        const float inv = float(1.0 / std::sqrt(ss / double(x.cols()) + eps));
        for (Eigen::Index c = 0; c < x.cols(); ++c)
            out(r, c) = x(r, c) * inv * weight[size_t(c)];
    }
    return out;
}

// Adds a bias vector to every row; nothing when the model has none.
void addBias(Matrix& m, const std::vector<float>& bias)
{
    if (bias.empty())
        return;
    m.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(bias.data(), Eigen::Index(bias.size()));
}

// RMSNorm of every head's slice of every row (Qwen3's q_norm / k_norm); nothing without weights.
void headNorm(Matrix& m, int64_t heads, int64_t headDim, const std::vector<float>& weight, double eps)
{
    if (weight.empty())
        return;
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (int64_t h = 0; h < heads; ++h) {
            float* p = m.row(r).data() + h * headDim;
            double ss = 0;
            for (int64_t i = 0; i < headDim; ++i)
                ss += double(p[i]) * double(p[i]);
            const float inv = float(1.0 / std::sqrt(ss / double(headDim) + eps));
            for (int64_t i = 0; i < headDim; ++i)
                p[i] = p[i] * inv * weight[size_t(i)];
        }
}

// Interleaved rotary embedding: pairs (2i, 2i+1) of every head turn by pos·freq_i.
void applyRotary(Matrix& m, int64_t heads, int64_t headDim, int64_t firstPosition, const std::vector<float>& freqs)
{
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        const double pos = double(firstPosition + r);
        for (int64_t i = 0; i < headDim / 2; ++i) {
            const double angle = pos * double(freqs[size_t(i)]);
            const float c = float(std::cos(angle));
            const float s = float(std::sin(angle));
            for (int64_t h = 0; h < heads; ++h) {
                float* p = m.row(r).data() + h * headDim + 2 * i;
                const float a = p[0];
                const float b = p[1];
                p[0] = a * c - b * s;
                p[1] = a * s + b * c;
            }
        }
    }
}

Matrix linear(const Matrix& x, const Matrix& weight)
{
    return x * weight.transpose();
}

} // namespace

Transformer Transformer::load(const Model& model, Progress& progress)
{
    const ArchConfig& c = model.config();
    if (!c.isComplete() || c.vocabSize <= 0 || c.hiddenDim <= 0)
        throw InputError(model.path(), "the model's configuration lacks the sizes a forward pass needs "
                                       "(dimensions, layers, heads, vocabulary)");
    if (const std::string gap = c.forwardPassGap(); !gap.empty())
        throw InputError(model.path(), gap);
    if (c.nHeads % c.nKvHeads != 0 || c.headDim % 2 != 0)
        throw InputError(model.path(), "attention heads (" + std::to_string(c.nHeads) + " query, " +
                                           std::to_string(c.nKvHeads) + " key/value, head size " +
                                           std::to_string(c.headDim) + ") do not form grouped-query attention");
    Transformer t;
    t.m_source = model.path();
    t.m_config = c;
    const int64_t qDim = c.nHeads * c.headDim;
    const int64_t kvDim = c.nKvHeads * c.headDim;
    t.m_embedding = readMatrix(model, "model.embed_tokens", c.vocabSize, c.dim);
    t.m_finalNorm = readVector(model, "model.norm", c.dim);
    if (model.findLayer("lm_head"))
        t.m_classifier = readMatrix(model, "lm_head", c.vocabSize, c.dim);
    for (int64_t l = 0; l < c.nLayers; ++l) {
        progress.throwIfCancelled();
        const std::string p = "model.layers." + std::to_string(l) + ".";
        Block b;
        for (int i = 0; i < 7; ++i)
            b.names[i] = p + kRoleSuffix[i];
        b.attentionNorm = readVector(model, p + "input_layernorm", c.dim);
        b.mlpNorm = readVector(model, p + "post_attention_layernorm", c.dim);
        const auto optional = [&](const std::string& name, int64_t size) {
            return model.findCanonical(name) ? readVector(model, name, size) : std::vector<float>{};
        };
        b.qBias = optional(p + "self_attn.q_proj.bias", qDim);
        b.kBias = optional(p + "self_attn.k_proj.bias", kvDim);
        b.vBias = optional(p + "self_attn.v_proj.bias", kvDim);
        b.qNorm = optional(p + "self_attn.q_norm", c.headDim);
        b.kNorm = optional(p + "self_attn.k_norm", c.headDim);
        if (b.qNorm.empty() != b.kNorm.empty())
            throw InputError(model.path(), "block " + std::to_string(l) + " has a q_norm or a k_norm but not both");
        b.q = readMatrix(model, b.names[0], qDim, c.dim);
        b.k = readMatrix(model, b.names[1], kvDim, c.dim);
        b.v = readMatrix(model, b.names[2], kvDim, c.dim);
        b.o = readMatrix(model, b.names[3], c.dim, qDim);
        b.gate = readMatrix(model, b.names[4], c.hiddenDim, c.dim);
        b.up = readMatrix(model, b.names[5], c.hiddenDim, c.dim);
        b.down = readMatrix(model, b.names[6], c.dim, c.hiddenDim);
        t.m_blocks.push_back(std::move(b));
        progress.report(double(l + 1) / double(c.nLayers), "read block " + std::to_string(l));
    }
    // Scaled frequencies: llama.cpp's rope_freqs tensor when the file has one, else the config's.
    const std::vector<float> factors = model.findCanonical("rope_freqs") ? readVector(model, "rope_freqs", c.headDim / 2)
                                                                         : c.ropeFrequencyFactors();
    for (int64_t i = 0; i < c.headDim / 2; ++i)
        t.m_inverseFrequencies.push_back(
            float(1.0 / std::pow(c.ropeTheta, double(2 * i) / double(c.headDim)) / double(factors[size_t(i)])));
    return t;
}

std::vector<std::string> Transformer::linearLayerNames() const
{
    std::vector<std::string> names;
    for (const auto& b : m_blocks)
        names.insert(names.end(), std::begin(b.names), std::end(b.names));
    if (m_classifier.size())
        names.push_back("lm_head");
    return names;
}

Matrix* Transformer::findLinear(const std::string& layerName)
{
    return const_cast<Matrix*>(std::as_const(*this).findLinear(layerName));
}

const Matrix* Transformer::findLinear(const std::string& layerName) const
{
    if (layerName == "lm_head")
        return m_classifier.size() ? &m_classifier : nullptr;
    // The embedding is a lookup table, but a plan may still quantize it.
    if (layerName == "model.embed_tokens")
        return &m_embedding;
    for (const auto& b : m_blocks) {
        const Matrix* ms[7] = {&b.q, &b.k, &b.v, &b.o, &b.gate, &b.up, &b.down};
        for (int i = 0; i < 7; ++i)
            if (b.names[i] == layerName)
                return ms[i];
    }
    return nullptr;
}

bool Transformer::hasLinear(const std::string& layerName) const
{
    return findLinear(layerName) != nullptr;
}

const Matrix& Transformer::linearWeight(const std::string& layerName) const
{
    const Matrix* m = findLinear(layerName);
    if (!m)
        throw InputError(m_source, "the forward pass has no linear layer '" + layerName + "'");
    return *m;
}

void Transformer::setLinearWeight(const std::string& layerName, Matrix weight)
{
    Matrix* m = findLinear(layerName);
    if (!m)
        throw InputError(m_source, "the forward pass has no linear layer '" + layerName + "'");
    if (m->rows() != weight.rows() || m->cols() != weight.cols())
        throw InputError(m_source, "replacement weight for '" + layerName + "' is [" + std::to_string(weight.rows()) +
                                       ", " + std::to_string(weight.cols()) + "], the layer is [" +
                                       std::to_string(m->rows()) + ", " + std::to_string(m->cols()) + "]");
    *m = std::move(weight);
}

Matrix Transformer::forward(std::span<const int32_t> tokens, ForwardHooks* hooks, KvCache* cache) const
{
    const int64_t n = int64_t(tokens.size());
    if (cache && cache->keys.empty()) {
        cache->keys.resize(m_blocks.size());
        cache->values.resize(m_blocks.size());
    }
    Matrix x(n, m_config.dim);
    for (int64_t i = 0; i < n; ++i) {
        const int32_t id = tokens[size_t(i)];
        if (id < 0 || id >= m_embedding.rows())
            throw InputError(m_source, "token id " + std::to_string(id) + " lies outside the vocabulary of " +
                                           std::to_string(m_embedding.rows()));
        x.row(i) = m_embedding.row(id);
    }
    return runBlocks(std::move(x), 0, hooks, cache);
}

Matrix Transformer::forwardFrom(int firstBlock, Matrix residual) const
{
    if (firstBlock < 0 || size_t(firstBlock) > m_blocks.size())
        throw Error("forwardFrom: block " + std::to_string(firstBlock) + " outside 0.." +
                    std::to_string(m_blocks.size()));
    if (residual.cols() != m_config.dim)
        throw Error("forwardFrom: the residual has " + std::to_string(residual.cols()) + " columns, not " +
                    std::to_string(m_config.dim));
    return runBlocks(std::move(residual), size_t(firstBlock), nullptr, nullptr);
}

Matrix Transformer::runBlocks(Matrix x, size_t firstBlock, ForwardHooks* hooks, KvCache* cache) const
{
    const ArchConfig& c = m_config;
    const int64_t n = x.rows();
    const int64_t start = cache ? cache->positions() : 0;
    const int64_t total = start + n;
    const int64_t groupSize = c.nHeads / c.nKvHeads;
    const int64_t hd = c.headDim;
    const bool linearHooks = hooks && hooks->wantsLinearInputs();
    const bool siteHooks = hooks && hooks->wantsSites();
    const float scale = float(1.0 / std::sqrt(double(hd)));
    for (size_t l = firstBlock; l < m_blocks.size(); ++l) {
        const Block& b = m_blocks[l];
        const int block = int(l);
        if (siteHooks)
            hooks->site(block, "resid_in", x);
        const Matrix h = rmsNorm(x, b.attentionNorm, c.rmsNormEps);
        if (siteHooks)
            hooks->site(block, "attn_in", h);
        if (linearHooks)
            for (int i = 0; i < 3; ++i)
                hooks->linearInput(b.names[i], h);
        Matrix q = linear(h, b.q);
        Matrix k = linear(h, b.k);
        Matrix v = linear(h, b.v);
        addBias(q, b.qBias);
        addBias(k, b.kBias);
        addBias(v, b.vBias);
        headNorm(q, c.nHeads, hd, b.qNorm, c.rmsNormEps);
        headNorm(k, c.nKvHeads, hd, b.kNorm, c.rmsNormEps);
        applyRotary(q, c.nHeads, hd, start, m_inverseFrequencies);
        applyRotary(k, c.nKvHeads, hd, start, m_inverseFrequencies);
        const Matrix* keys = &k;
        const Matrix* values = &v;
        if (cache) {
            Matrix& ck = cache->keys[l];
            Matrix& cv = cache->values[l];
            Matrix nk(total, k.cols()), nv(total, v.cols());
            if (start > 0) {
                nk.topRows(start) = ck;
                nv.topRows(start) = cv;
            }
            nk.bottomRows(n) = k;
            nv.bottomRows(n) = v;
            ck = std::move(nk);
            cv = std::move(nv);
            keys = &ck;
            values = &cv;
        }
        // Per head: scores over every visible position, causal mask, softmax, weighted values.
        Matrix context(n, c.nHeads * hd);
        for (int64_t head = 0; head < c.nHeads; ++head) {
            const int64_t kvHead = head / groupSize;
            const auto qh = q.middleCols(head * hd, hd);
            const auto kh = keys->middleCols(kvHead * hd, hd);
            const auto vh = values->middleCols(kvHead * hd, hd);
            Matrix scores = (qh * kh.transpose()) * scale; // [n, total]
            for (int64_t i = 0; i < n; ++i) {
                // Causal, and within the sliding window where the model has one.
                const int64_t visible = start + i + 1;
                const int64_t first = c.slidingWindow > 0 ? std::max<int64_t>(0, visible - c.slidingWindow) : 0;
                float maxScore = scores.row(i).segment(first, visible - first).maxCoeff();
                double sum = 0;
                for (int64_t j = first; j < visible; ++j) {
                    const float e = std::exp(scores(i, j) - maxScore);
                    scores(i, j) = e;
                    sum += e;
                }
                const float inv = float(1.0 / sum);
                for (int64_t j = 0; j < first; ++j)
                    scores(i, j) = 0.0f;
                for (int64_t j = first; j < visible; ++j)
                    scores(i, j) *= inv;
                for (int64_t j = visible; j < total; ++j)
                    scores(i, j) = 0.0f;
            }
            context.middleCols(head * hd, hd) = scores * vh;
        }
        if (linearHooks)
            hooks->linearInput(b.names[3], context);
        const Matrix attnOut = linear(context, b.o);
        if (siteHooks)
            hooks->site(block, "attn_out", attnOut);
        x += attnOut;
        if (siteHooks)
            hooks->site(block, "resid_mid", x);
        const Matrix h2 = rmsNorm(x, b.mlpNorm, c.rmsNormEps);
        if (siteHooks)
            hooks->site(block, "mlp_in", h2);
        if (linearHooks) {
            hooks->linearInput(b.names[4], h2);
            hooks->linearInput(b.names[5], h2);
        }
        Matrix act = linear(h2, b.gate);
        const Matrix up = linear(h2, b.up);
        for (Eigen::Index i = 0; i < act.size(); ++i) {
            const float g = act.data()[i];
            act.data()[i] = g / (1.0f + std::exp(-g)) * up.data()[i];
        }
        if (siteHooks)
            hooks->site(block, "mlp_act", act);
        if (linearHooks)
            hooks->linearInput(b.names[6], act);
        const Matrix mlpOut = linear(act, b.down);
        if (siteHooks)
            hooks->site(block, "mlp_out", mlpOut);
        x += mlpOut;
    }
    const Matrix final = rmsNorm(x, m_finalNorm, c.rmsNormEps);
    if (linearHooks && m_classifier.size())
        hooks->linearInput("lm_head", final);
    return linear(final, m_classifier.size() ? m_classifier : m_embedding);
}

} // namespace salience
