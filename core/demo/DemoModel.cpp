#include "demo/DemoModel.h"

#include "base/Error.h"
#include "io/AtomicFile.h"
#include "io/MemoryReader.h"
#include "io/SafetensorsWriter.h"
#include "tensor/Random.h"

#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace salience {

namespace {

Matrix gaussian(Rng& rng, int64_t rows, int64_t cols, double stddev)
{
    Matrix m(rows, cols);
    for (int64_t i = 0; i < m.size(); ++i)
        m.data()[i] = float(rng.normal() * stddev);
    return m;
}

Eigen::MatrixXd orthonormalColumns(Rng& rng, int64_t rows, int64_t cols)
{
    Eigen::MatrixXd g(rows, cols);
    for (int64_t j = 0; j < cols; ++j)
        for (int64_t i = 0; i < rows; ++i)
            g(i, j) = rng.normal();
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(g);
    return qr.householderQ() * Eigen::MatrixXd::Identity(rows, cols);
}

// W = U diag(sigma) V^T with sigma_i ~ (i+1)^-decay, scaled to an RMS entry of `rms`, then a
// few rows replaced by Student-t(2) samples: heavy-tailed rows as trained models show.
Matrix plantedWeight(Rng& rng, int64_t out, int64_t in, double decay, double rms)
{
    const int64_t r = std::min(out, in);
    const Eigen::MatrixXd u = orthonormalColumns(rng, out, r);
    const Eigen::MatrixXd v = orthonormalColumns(rng, in, r);
    Eigen::VectorXd sigma(r);
    for (int64_t i = 0; i < r; ++i)
        sigma(i) = std::pow(double(i + 1), -decay);
    const Eigen::MatrixXd w = u * sigma.asDiagonal() * v.transpose();
    const double scale = rms * std::sqrt(double(out * in)) / w.norm();
    Matrix m = (w * scale).cast<float>();
    const int64_t heavyRows = std::max<int64_t>(1, out / 32);
    for (int64_t k = 0; k < heavyRows; ++k) {
        const int64_t row = int64_t(rng.below(uint64_t(out)));
        for (int64_t j = 0; j < in; ++j)
            m(row, j) = float(rng.studentT(2) * rms);
    }
    return m;
}

// Noise plus channels that are large and steady on every token: channel-wise outliers.
Matrix withOutlierChannels(Rng& rng, int64_t tokens, int64_t dim, const std::vector<int64_t>& channels,
                           double noise, double magnitude)
{
    Matrix a = gaussian(rng, tokens, dim, noise);
    for (size_t c = 0; c < channels.size(); ++c) {
        const double sign = c % 2 == 0 ? 1.0 : -1.0;
        const double level = magnitude * (1.0 + 0.15 * double(c));
        for (int64_t t = 0; t < tokens; ++t)
            a(t, channels[c]) = float(sign * level + rng.normal() * 0.2);
    }
    return a;
}

Matrix swiglu(Rng& rng, int64_t tokens, int64_t hidden)
{
    Matrix m(tokens, hidden);
    for (int64_t i = 0; i < m.size(); ++i) {
        const double g = rng.normal() * 1.5;
        const double u = rng.normal();
        m.data()[i] = float(g / (1.0 + std::exp(-g)) * u);
    }
    return m;
}

} // namespace

DemoModel makeDemoModel(const DemoOptions& o)
{
    Rng rng(o.seed);
    DemoModel demo;
    auto& planted = demo.planted;
    planted.massiveDims = {o.dim * 17 / 128, o.dim * 93 / 128};
    planted.outlierChannels = {o.dim * 5 / 128, o.dim * 42 / 128, o.dim * 77 / 128, o.dim * 110 / 128};
    planted.firstMassiveBlock = 1;
    planted.massiveToken = 0;

    ArchConfig config;
    config.architecture = "llama";
    config.dim = o.dim;
    config.hiddenDim = o.hiddenDim;
    config.nLayers = o.layers;
    config.nHeads = o.heads;
    config.nKvHeads = o.kvHeads;
    config.headDim = o.dim / o.heads;
    config.vocabSize = o.vocab;
    config.contextLength = 256;
    config.tiedEmbeddings = true;

    auto weights = std::make_shared<MemoryReader>("demo:seed=" + std::to_string(o.seed));
    const int64_t kvDim = o.kvHeads * (o.dim / o.heads);
    weights->add("model.embed_tokens.weight", gaussian(rng, o.vocab, o.dim, 0.05));
    struct Shape {
        const char* name;
        int64_t out, in;
    };
    for (int64_t b = 0; b < o.layers; ++b) {
        const double decay = o.layers > 1 ? 1.5 * double(b) / double(o.layers - 1) : 0.0;
        planted.spectralDecay.push_back(decay);
        const std::string p = "model.layers." + std::to_string(b) + ".";
        Matrix norm = Matrix::Ones(1, o.dim) + gaussian(rng, 1, o.dim, 0.05);
        weights->add(p + "input_layernorm.weight", FloatTensor{{o.dim}, {norm.data(), norm.data() + o.dim}});
        const Shape shapes[] = {{"self_attn.q_proj", o.dim, o.dim},     {"self_attn.k_proj", kvDim, o.dim},
                                {"self_attn.v_proj", kvDim, o.dim},     {"self_attn.o_proj", o.dim, o.dim},
                                {"mlp.gate_proj", o.hiddenDim, o.dim}, {"mlp.up_proj", o.hiddenDim, o.dim},
                                {"mlp.down_proj", o.dim, o.hiddenDim}};
        for (const auto& s : shapes)
            weights->add(p + s.name + ".weight", plantedWeight(rng, s.out, s.in, decay, 0.04));
        norm = Matrix::Ones(1, o.dim) + gaussian(rng, 1, o.dim, 0.05);
        weights->add(p + "post_attention_layernorm.weight", FloatTensor{{o.dim}, {norm.data(), norm.data() + o.dim}});
    }
    Matrix finalNorm = Matrix::Ones(1, o.dim);
    weights->add("model.norm.weight", FloatTensor{{o.dim}, {finalNorm.data(), finalNorm.data() + o.dim}});
    demo.model = Model::fromReader(weights, config);

    // Activations along the residual stream; each block's output feeds the next block's input.
    auto& acts = demo.activations;
    std::vector<int32_t> tokens(size_t(o.tokens));
    tokens[0] = 1; // BOS: the first token is where massive activations live
    for (size_t t = 1; t < tokens.size(); ++t)
        tokens[t] = int32_t(3 + rng.below(uint64_t(o.vocab - 3)));
    acts.setTokens(tokens);
    acts.attributes().model = "salience-demo";
    acts.attributes().source = "planted by the demo generator, seed " + std::to_string(o.seed);

    Matrix resid = gaussian(rng, o.tokens, o.dim, 0.5);
    for (int64_t b = 0; b < o.layers; ++b) {
        const int block = int(b);
        const std::string p = "model.layers." + std::to_string(b) + ".";
        const Matrix attnIn = withOutlierChannels(rng, o.tokens, o.dim, planted.outlierChannels, 0.8, 12.0);
        const Matrix context = gaussian(rng, o.tokens, o.dim, 0.5);
        const Matrix attnOut = gaussian(rng, o.tokens, o.dim, 0.3);
        const Matrix residMid = resid + attnOut;
        const Matrix mlpIn = withOutlierChannels(rng, o.tokens, o.dim, planted.outlierChannels, 0.8, 10.0);
        const Matrix mlpAct = swiglu(rng, o.tokens, o.hiddenDim);
        Matrix mlpOut = gaussian(rng, o.tokens, o.dim, 0.3);
        // The MLP of the block before the first massive block writes the massive activations,
        // and the residual stream carries them from then on.
        if (block + 1 == planted.firstMassiveBlock) {
            mlpOut(planted.massiveToken, planted.massiveDims[0]) = 900.0f;
            mlpOut(planted.massiveToken, planted.massiveDims[1]) = -620.0f;
        }
        acts.setSite(block, "resid_in", resid);
        acts.setSite(block, "attn_in", attnIn);
        acts.setSite(block, "attn_out", attnOut);
        acts.setSite(block, "resid_mid", residMid);
        acts.setSite(block, "mlp_in", mlpIn);
        acts.setSite(block, "mlp_act", mlpAct);
        acts.setSite(block, "mlp_out", mlpOut);
        for (const char* n : {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj"})
            acts.setInputs(p + n, attnIn);
        acts.setInputs(p + "self_attn.o_proj", context);
        acts.setInputs(p + "mlp.gate_proj", mlpIn);
        acts.setInputs(p + "mlp.up_proj", mlpIn);
        acts.setInputs(p + "mlp.down_proj", mlpAct);
        resid = residMid + mlpOut;
    }
    return demo;
}

} // namespace salience

namespace salience {

void writeDemoModel(const DemoModel& demo, const std::string& dir, Progress& progress)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw InputError(dir, "cannot create the directory: " + ec.message());
    SafetensorsWriter writer;
    writer.setMetadata({{"format", "pt"}, {"salience", demo.model.path()}});
    for (const auto& t : demo.model.reader().tensors()) {
        const FloatTensor data = demo.model.reader().readFloat(t.name);
        writer.addFloat(t.name, data.shape, data.data, "F32");
    }
    Progress weights = progress.child(0.0, 0.5);
    writer.write((fs::path(dir) / "model.safetensors").string(), true, weights);
    {
        AtomicFile config((fs::path(dir) / "config.json").string(), true);
        config.stream() << demo.model.config().toHfConfig().dump(2) << "\n";
        config.commit();
    }
    Progress acts = progress.child(0.5, 1.0);
    demo.activations.save((fs::path(dir) / "activations.h5").string(), acts);
}

} // namespace salience
