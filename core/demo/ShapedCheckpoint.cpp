#include "demo/ShapedCheckpoint.h"

#include "base/Error.h"
#include "io/AtomicFile.h"
#include "io/SafetensorsWriter.h"
#include "tensor/Random.h"

#include <filesystem>
#include <functional>

namespace salience {

namespace fs = std::filesystem;

namespace {

nlohmann::json llama3Scaling(double factor, int64_t original)
{
    return {{"rope_type", "llama3"},
            {"factor", factor},
            {"low_freq_factor", 1.0},
            {"high_freq_factor", 4.0},
            {"original_max_position_embeddings", original}};
}

std::vector<CheckpointShape> makeShapes()
{
    std::vector<CheckpointShape> shapes;
    const auto add = [&](CheckpointShape s) { shapes.push_back(std::move(s)); };
    // Published configurations (config.json of each model as released).
    CheckpointShape s;
    s = {};
    s.name = "llama-3.2-1b", s.modelType = "llama", s.hfClass = "LlamaForCausalLM";
    s.dim = 2048, s.hiddenDim = 8192, s.layers = 16, s.heads = 32, s.kvHeads = 8, s.headDim = 64, s.vocab = 128256;
    s.context = 131072, s.ropeTheta = 500000, s.tiedEmbeddings = true, s.ropeScaling = llama3Scaling(32, 8192);
    add(s);
    s = {};
    s.name = "llama-3.1-8b", s.modelType = "llama", s.hfClass = "LlamaForCausalLM";
    s.dim = 4096, s.hiddenDim = 14336, s.layers = 32, s.heads = 32, s.kvHeads = 8, s.headDim = 128, s.vocab = 128256;
    s.context = 131072, s.ropeTheta = 500000, s.ropeScaling = llama3Scaling(8, 8192);
    add(s);
    s = {};
    s.name = "qwen2.5-0.5b", s.modelType = "qwen2", s.hfClass = "Qwen2ForCausalLM";
    s.dim = 896, s.hiddenDim = 4864, s.layers = 24, s.heads = 14, s.kvHeads = 2, s.headDim = 64, s.vocab = 151936;
    s.context = 32768, s.ropeTheta = 1000000, s.rmsNormEps = 1e-6, s.tiedEmbeddings = true, s.attentionBias = true;
    add(s);
    s = {};
    s.name = "qwen3-0.6b", s.modelType = "qwen3", s.hfClass = "Qwen3ForCausalLM";
    s.dim = 1024, s.hiddenDim = 3072, s.layers = 28, s.heads = 16, s.kvHeads = 8, s.headDim = 128, s.vocab = 151936;
    s.context = 40960, s.ropeTheta = 1000000, s.rmsNormEps = 1e-6, s.tiedEmbeddings = true, s.qkNorm = true;
    add(s);
    s = {};
    s.name = "mistral-7b", s.modelType = "mistral", s.hfClass = "MistralForCausalLM";
    s.dim = 4096, s.hiddenDim = 14336, s.layers = 32, s.heads = 32, s.kvHeads = 8, s.headDim = 128, s.vocab = 32000;
    s.context = 32768, s.slidingWindow = 4096;
    add(s);
    // Tiny shapes of each family for tests: vocabulary 512 (llama2.c's tok512), two blocks.
    const auto tiny = [&](std::string name, std::string type, std::string cls) {
        CheckpointShape t;
        t.name = std::move(name), t.modelType = std::move(type), t.hfClass = std::move(cls);
        t.dim = 64, t.hiddenDim = 160, t.layers = 2, t.heads = 4, t.kvHeads = 2, t.headDim = 16, t.vocab = 512;
        t.context = 256, t.shardBytes = 64 << 10; // several shards even when tiny
        return t;
    };
    CheckpointShape t = tiny("tiny-llama3", "llama", "LlamaForCausalLM");
    t.ropeTheta = 500000, t.ropeScaling = llama3Scaling(8, 32);
    add(t);
    t = tiny("tiny-qwen2", "qwen2", "Qwen2ForCausalLM");
    t.ropeTheta = 1000000, t.rmsNormEps = 1e-6, t.tiedEmbeddings = true, t.attentionBias = true;
    add(t);
    t = tiny("tiny-qwen3", "qwen3", "Qwen3ForCausalLM");
    t.headDim = 32, t.ropeTheta = 1000000, t.rmsNormEps = 1e-6, t.tiedEmbeddings = true, t.qkNorm = true;
    add(t);
    t = tiny("tiny-mistral", "mistral", "MistralForCausalLM");
    t.slidingWindow = 4096;
    add(t);
    return shapes;
}

// One tensor to write: its name, shape and how to fill it.
struct PlannedTensor {
    std::string name;
    std::vector<int64_t> shape;
    std::function<std::vector<float>(Rng&)> fill;
};

int64_t numel(const std::vector<int64_t>& shape)
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

std::vector<float> gaussian(Rng& rng, int64_t n, double sigma)
{
    std::vector<float> v(static_cast<size_t>(n));
    for (auto& x : v)
        x = float(sigma * rng.normal());
    return v;
}

// W [out, in] with a few heavy input columns: what an outlier channel of the input looks like
// from the weight's side, and what the Weights tab's column profile shows.
std::vector<float> linearWeight(Rng& rng, int64_t out, int64_t in, bool heavyColumns)
{
    std::vector<float> w = gaussian(rng, out * in, 1.0 / std::sqrt(double(in)));
    if (heavyColumns)
        for (int64_t c : {int64_t(7) % in, int64_t(31) % in, (in / 3) | 1})
            for (int64_t r = 0; r < out; ++r)
                w[size_t(r * in + c)] *= 8.0f;
    return w;
}

std::vector<PlannedTensor> planTensors(const CheckpointShape& s, int64_t layers)
{
    std::vector<PlannedTensor> plan;
    const int64_t qDim = s.heads * s.headDim, kvDim = s.kvHeads * s.headDim;
    const auto ones = [](int64_t n) { return [n](Rng&) { return std::vector<float>(size_t(n), 1.0f); }; };
    const auto matrix = [](int64_t out, int64_t in, bool heavy) {
        return [=](Rng& rng) { return linearWeight(rng, out, in, heavy); };
    };
    const int64_t dim = s.dim;
    plan.push_back({"model.embed_tokens.weight", {s.vocab, dim}, [dim, vocab = s.vocab, tied = s.tiedEmbeddings](Rng& rng) {
                        // Small enough that a tied classifier gives logits of a few units.
                        std::vector<float> e = gaussian(rng, vocab * dim, 0.3);
                        // Massive activations: a few residual dimensions of the first tokens' rows
                        // (not when the rows are also the classifier's: those tokens would win
                        // every prediction).
                        if (!tied)
                            for (int64_t token = 0; token < std::min<int64_t>(vocab, 3); ++token)
                                for (int64_t d : {int64_t(17) % dim, int64_t(93) % dim})
                                    e[size_t(token * dim + d)] = 60.0f;
                        return e;
                    }});
    for (int64_t l = 0; l < layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        plan.push_back({p + "input_layernorm.weight", {dim}, ones(dim)});
        plan.push_back({p + "self_attn.q_proj.weight", {qDim, dim}, matrix(qDim, dim, true)});
        plan.push_back({p + "self_attn.k_proj.weight", {kvDim, dim}, matrix(kvDim, dim, true)});
        plan.push_back({p + "self_attn.v_proj.weight", {kvDim, dim}, matrix(kvDim, dim, true)});
        if (s.attentionBias) {
            const auto bias = [](int64_t n) { return [n](Rng& rng) { return gaussian(rng, n, 0.1); }; };
            plan.push_back({p + "self_attn.q_proj.bias", {qDim}, bias(qDim)});
            plan.push_back({p + "self_attn.k_proj.bias", {kvDim}, bias(kvDim)});
            plan.push_back({p + "self_attn.v_proj.bias", {kvDim}, bias(kvDim)});
        }
        if (s.qkNorm) {
            const auto norm = [hd = s.headDim](Rng& rng) {
                std::vector<float> w = gaussian(rng, hd, 0.2);
                for (auto& x : w)
                    x += 1.0f;
                return w;
            };
            plan.push_back({p + "self_attn.q_norm.weight", {s.headDim}, norm});
            plan.push_back({p + "self_attn.k_norm.weight", {s.headDim}, norm});
        }
        plan.push_back({p + "self_attn.o_proj.weight", {dim, qDim}, matrix(dim, qDim, false)});
        plan.push_back({p + "post_attention_layernorm.weight", {dim}, ones(dim)});
        plan.push_back({p + "mlp.gate_proj.weight", {s.hiddenDim, dim}, matrix(s.hiddenDim, dim, true)});
        plan.push_back({p + "mlp.up_proj.weight", {s.hiddenDim, dim}, matrix(s.hiddenDim, dim, true)});
        plan.push_back({p + "mlp.down_proj.weight", {dim, s.hiddenDim}, matrix(dim, s.hiddenDim, false)});
    }
    plan.push_back({"model.norm.weight", {dim}, ones(dim)});
    if (!s.tiedEmbeddings)
        plan.push_back({"lm_head.weight", {s.vocab, dim}, matrix(s.vocab, dim, false)});
    return plan;
}

} // namespace

int64_t CheckpointShape::parameterCount() const
{
    int64_t n = 0;
    for (const auto& t : planTensors(*this, layers))
        n += numel(t.shape);
    return n;
}

nlohmann::json CheckpointShape::hfConfig(int64_t blocks) const
{
    nlohmann::json c{{"architectures", {hfClass}},
                     {"model_type", modelType},
                     {"hidden_size", dim},
                     {"intermediate_size", hiddenDim},
                     {"num_hidden_layers", blocks},
                     {"num_attention_heads", heads},
                     {"num_key_value_heads", kvHeads},
                     {"head_dim", headDim},
                     {"vocab_size", vocab},
                     {"max_position_embeddings", context},
                     {"rms_norm_eps", rmsNormEps},
                     {"rope_theta", ropeTheta},
                     {"rope_scaling", ropeScaling},
                     {"tie_word_embeddings", tiedEmbeddings},
                     {"hidden_act", "silu"},
                     {"torch_dtype", "bfloat16"},
                     {"bos_token_id", 1},
                     {"eos_token_id", 2}};
    if (modelType == "mistral")
        c["sliding_window"] = slidingWindow > 0 ? nlohmann::json(slidingWindow) : nlohmann::json(nullptr);
    if (modelType == "qwen2")
        c["use_sliding_window"] = false;
    if (modelType == "qwen3" || modelType == "llama")
        c["attention_bias"] = attentionBias;
    return c;
}

const std::vector<CheckpointShape>& checkpointShapes()
{
    static const std::vector<CheckpointShape> shapes = makeShapes();
    return shapes;
}

const CheckpointShape& checkpointShape(const std::string& name)
{
    std::string names;
    for (const auto& s : checkpointShapes()) {
        if (s.name == name)
            return s;
        names += (names.empty() ? "" : ", ") + s.name;
    }
    throw InputError("--shape", "unknown shape '" + name + "' (known: " + names + ")");
}

std::vector<std::string> writeShapedCheckpoint(const CheckpointShape& publishedShape, const std::string& dir,
                                               const ShapedCheckpointOptions& options, Progress& progress)
{
    if (options.vocab < 0 || options.vocab > (int64_t(1) << 24))
        throw InputError("--vocab", std::to_string(options.vocab) + " is not a vocabulary size");
    CheckpointShape shape = publishedShape;
    if (options.vocab > 0)
        shape.vocab = options.vocab;
    if (options.layers < 0 || options.layers > shape.layers)
        throw InputError("--layers", std::to_string(options.layers) + " is outside 0.." + std::to_string(shape.layers) +
                                         " (the blocks of " + shape.name + ")");
    const int64_t layers = options.layers > 0 ? options.layers : shape.layers;
    const std::vector<PlannedTensor> plan = planTensors(shape, layers);

    // Shards as Hugging Face cuts them: tensors in order, a new shard when the next would overflow.
    std::vector<std::vector<size_t>> shards(1);
    int64_t bytes = 0;
    for (size_t i = 0; i < plan.size(); ++i) {
        const int64_t size = numel(plan[i].shape) * 2;
        if (!shards.back().empty() && bytes + size > shape.shardBytes) {
            shards.emplace_back();
            bytes = 0;
        }
        shards.back().push_back(i);
        bytes += size;
    }
    const bool sharded = shards.size() > 1;
    const auto shardName = [&](size_t k) {
        if (!sharded)
            return std::string("model.safetensors");
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "model-%05zu-of-%05zu.safetensors", k + 1, shards.size());
        return std::string(buffer);
    };

    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw InputError(dir, "cannot create the directory: " + ec.message());
    std::vector<std::string> targets{(fs::path(dir) / "config.json").string()};
    for (size_t k = 0; k < shards.size(); ++k)
        targets.push_back((fs::path(dir) / shardName(k)).string());
    if (sharded)
        targets.push_back((fs::path(dir) / "model.safetensors.index.json").string());
    if (!options.overwrite)
        for (const auto& t : targets)
            if (fs::exists(t))
                throw InputError(t, "already exists (use --force to replace it)");

    std::vector<std::string> written;
    try {
        nlohmann::json weightMap = nlohmann::json::object();
        int64_t totalBytes = 0;
        Rng rng(options.seed);
        for (size_t k = 0; k < shards.size(); ++k) {
            SafetensorsWriter writer;
            writer.setMetadata({{"format", "pt"}, {"salience", "random weights of shape " + shape.name}});
            for (size_t i : shards[k]) {
                progress.throwIfCancelled();
                const PlannedTensor& t = plan[i];
                writer.addFloat(t.name, t.shape, t.fill(rng), "BF16");
                weightMap[t.name] = shardName(k);
                totalBytes += numel(t.shape) * 2;
            }
            Progress shardProgress = progress.child(double(k) / double(shards.size()), double(k + 1) / double(shards.size()));
            const std::string path = (fs::path(dir) / shardName(k)).string();
            writer.write(path, options.overwrite, shardProgress);
            written.push_back(path);
        }
        if (sharded) {
            AtomicFile index((fs::path(dir) / "model.safetensors.index.json").string(), options.overwrite);
            index.stream() << nlohmann::json{{"metadata", {{"total_size", totalBytes}}}, {"weight_map", weightMap}}.dump(2)
                           << "\n";
            index.commit();
            written.push_back((fs::path(dir) / "model.safetensors.index.json").string());
        }
        AtomicFile config((fs::path(dir) / "config.json").string(), options.overwrite);
        config.stream() << shape.hfConfig(layers).dump(2) << "\n";
        config.commit();
        written.push_back((fs::path(dir) / "config.json").string());
        if (!options.tokenizerJson.empty()) {
            fs::path source(options.tokenizerJson);
            if (fs::is_directory(source))
                source /= "tokenizer.json";
            if (!fs::exists(source))
                throw InputError(options.tokenizerJson, "no tokenizer.json there");
            for (const char* name : {"tokenizer.json", "tokenizer_config.json"}) {
                const fs::path from = source.parent_path() / name;
                if (!fs::exists(from))
                    continue;
                const fs::path to = fs::path(dir) / name;
                fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
                if (ec)
                    throw InputError(to.string(), "cannot copy the tokenizer: " + ec.message());
                written.push_back(to.string());
            }
        }
    } catch (...) {
        for (const auto& p : written)
            fs::remove(p, ec);
        throw;
    }
    progress.report(1.0, "wrote " + shape.name + " to " + dir);
    return written;
}

} // namespace salience
