// salience-cli inspect [MODEL] [--json]: what a model file holds.
#include "CliSupport.h"
#include "Commands.h"

#include <cstdio>
#include <iostream>
#include <memory>

namespace salience::cli {

namespace {

struct InspectOptions {
    std::string model;
    bool json = false;
};

nlohmann::json inspectJson(const Model& model)
{
    nlohmann::json tensors = nlohmann::json::array();
    for (const auto& t : model.reader().tensors())
        tensors.push_back({{"name", t.name}, {"dtype", t.dtype}, {"shape", t.shape}});
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : model.layers())
        layers.push_back({{"name", l.name},
                          {"tensor", l.tensorName},
                          {"block", l.block},
                          {"role", std::string(roleName(l.role))},
                          {"in_features", l.inFeatures},
                          {"out_features", l.outFeatures},
                          {"dtype", l.dtype}});
    return {{"path", model.path()},
            {"format", model.format()},
            {"architecture", model.config().architecture},
            {"config", model.config().toJson()},
            {"parameters", model.parameterCount()},
            {"forward_pass", model.config().forwardPassGap().empty() ? std::string("runs")
                                                                     : model.config().forwardPassGap()},
            {"warnings", model.warnings()},
            {"tensors", std::move(tensors)},
            {"layers", std::move(layers)}};
}

void runInspect(const InspectOptions& o)
{
    const OpenedModel opened = openModel(o.model, "");
    const Model& m = opened.model;
    if (o.json) {
        printJson(inspectJson(m));
        return;
    }
    const ArchConfig& c = m.config();
    std::printf("%s  (%s, %s)\n", m.path().c_str(), m.format().c_str(), c.architecture.c_str());
    std::printf("  dim %lld, hidden %lld, %lld blocks, %lld heads (%lld kv), head size %lld, vocab %lld\n",
                (long long)c.dim, (long long)c.hiddenDim, (long long)c.nLayers, (long long)c.nHeads,
                (long long)c.nKvHeads, (long long)c.headDim, (long long)c.vocabSize);
    std::printf("  %zu tensors, %lld parameters, %zu linear layers\n", m.reader().tensors().size(),
                (long long)m.parameterCount(), m.layers().size());
    if (const std::string gap = c.forwardPassGap(); gap.empty())
        std::printf("  forward pass: runs (capture, eval, generate)\n");
    else
        std::printf("  forward pass: refused: %s\n", gap.c_str());
    for (const auto& w : m.warnings())
        std::printf("  warning: %s\n", w.c_str());
    std::printf("\n  %-40s %5s %-10s %12s %6s\n", "layer", "block", "role", "out x in", "dtype");
    for (const auto& l : m.layers()) {
        const std::string shape = std::to_string(l.outFeatures) + " x " + std::to_string(l.inFeatures);
        std::printf("  %-40s %5d %-10s %12s %6s\n", l.name.c_str(), l.block, std::string(roleName(l.role)).c_str(),
                    shape.c_str(), l.dtype.c_str());
    }
}

} // namespace

void addInspectCommand(CLI::App& app)
{
    auto o = std::make_shared<InspectOptions>();
    CLI::App* cmd = app.add_subcommand("inspect", "List a model's format, architecture, tensors and linear layers");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_flag("--json", o->json, "Print JSON: {format, architecture, config, tensors, layers}");
    cmd->final_callback([o] { runInspect(*o); });
}

} // namespace salience::cli
