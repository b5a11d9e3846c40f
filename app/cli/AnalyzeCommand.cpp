// salience-cli analyze [MODEL] [--acts FILE] [--layer NAME] [--json]: outliers and spectra.
#include "CliSupport.h"
#include "Commands.h"

#include "analysis/LayerAnalysis.h"

#include <cmath>
#include <cstdio>
#include <memory>

namespace salience::cli {

namespace {

struct AnalyzeOptions {
    std::string model;
    std::string acts;
    std::string layer;
    bool json = false;
    OutlierThresholds thresholds;
};

nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json spectrumJson(const Spectrum& s, bool full)
{
    nlohmann::json j{{"effective_rank", num(s.effectiveRank)},
                     {"stable_rank", num(s.stableRank)},
                     {"rank_for_90_energy", s.rankForEnergy(0.9)},
                     {"rank_for_99_energy", s.rankForEnergy(0.99)},
                     {"sigma_max", s.singularValues.empty() ? 0.0 : s.singularValues.front()}};
    if (full) {
        j["singular_values"] = s.singularValues;
        j["cumulative_energy"] = s.cumulativeEnergy;
    }
    return j;
}

nlohmann::json flaggedJson(const std::vector<FlaggedChannel>& flagged)
{
    nlohmann::json a = nlohmann::json::array();
    for (const auto& f : flagged)
        a.push_back({{"channel", f.channel}, {"magnitude", num(f.magnitude)}, {"ratio_to_median", num(f.ratioToMedian)}});
    return a;
}

nlohmann::json layerJson(const LinearLayer& l, const LayerAnalysis& a, bool full)
{
    const WeightStats& w = a.weights;
    nlohmann::json j{{"name", l.name},
                     {"block", l.block},
                     {"role", std::string(roleName(l.role))},
                     {"in_features", l.inFeatures},
                     {"out_features", l.outFeatures},
                     {"weights",
                      {{"abs_max", w.absMax},
                       {"std", w.std},
                       {"kurtosis", num(w.kurtosis)},
                       {"beyond_3_sigma", w.fractionBeyond3Sigma},
                       {"beyond_6_sigma", w.fractionBeyond6Sigma},
                       {"outlier_columns", w.outlierColumns}}},
                     {"spectrum", spectrumJson(a.spectrum, full)}};
    if (full) {
        j["weights"]["row_abs_max"] = w.rowAbsMax;
        j["weights"]["col_abs_max"] = w.colAbsMax;
    }
    if (a.scaledSpectrum)
        j["scaled_spectrum"] = spectrumJson(*a.scaledSpectrum, full);
    if (a.inputOutliers)
        j["input_outliers"] = {{"criterion", "channel"},
                               {"threshold", a.inputOutliers->threshold},
                               {"channels", flaggedJson(a.inputOutliers->outliers)}};
    else if (a.inputStatsOutliers)
        j["input_outliers"] = {{"criterion", "statistics"}, {"channels", flaggedJson(a.inputStatsOutliers->outliers)}};
    return j;
}

nlohmann::json siteJson(const SiteAnalysis& s)
{
    nlohmann::json massive = nlohmann::json::array();
    for (const auto& m : s.massive.massive)
        massive.push_back({{"token", m.token}, {"dim", m.dim}, {"value", m.value}, {"ratio_to_median", num(m.ratioToMedian)}});
    nlohmann::json top = nlohmann::json::array();
    for (const auto& m : s.massive.top)
        top.push_back({{"token", m.token}, {"dim", m.dim}, {"value", m.value}, {"ratio_to_median", num(m.ratioToMedian)}});
    return {{"block", s.block},
            {"site", s.site},
            {"mean_abs", s.massive.meanAbs},
            {"median_abs", s.massive.medianAbs},
            {"massive", std::move(massive)},
            {"massive_dims", s.massive.massiveDims},
            {"top", std::move(top)},
            {"channel_outliers", flaggedJson(s.channels.outliers)}};
}

std::string channelList(const std::vector<FlaggedChannel>& flagged)
{
    std::string s;
    for (size_t i = 0; i < flagged.size() && i < 8; ++i)
        s += (i ? "," : "") + std::to_string(flagged[i].channel);
    if (flagged.size() > 8)
        s += ",...";
    return s.empty() ? "-" : s;
}

void runAnalyze(const AnalyzeOptions& o)
{
    OpenedModel opened = openModel(o.model, o.acts);
    const Model& model = opened.model;
    const ActivationStore* acts = opened.activations ? &*opened.activations : nullptr;
    Progress progress = terminalProgress("analyze");

    std::vector<const LinearLayer*> layers;
    if (!o.layer.empty())
        layers.push_back(&model.layer(o.layer));
    else
        for (const auto& l : model.layers())
            if (l.role != LayerRole::Embedding)
                layers.push_back(&l);

    std::vector<LayerAnalysis> analyses;
    for (size_t i = 0; i < layers.size(); ++i) {
        Progress p = progress.child(double(i) / double(layers.size() + 1), double(i + 1) / double(layers.size() + 1));
        analyses.push_back(analyzeLayer(model, *layers[i], acts, o.thresholds, p));
    }
    std::vector<SiteAnalysis> sites;
    if (acts && o.layer.empty()) {
        Progress p = progress.child(double(layers.size()) / double(layers.size() + 1), 1.0);
        sites = analyzeSites(*acts, o.thresholds, p);
    }
    finishProgress();

    const bool full = !o.layer.empty();
    if (o.json) {
        nlohmann::json j{{"model", model.path()}, {"activations", acts ? acts->path() : std::string()}};
        j["layers"] = nlohmann::json::array();
        for (size_t i = 0; i < layers.size(); ++i)
            j["layers"].push_back(layerJson(*layers[i], analyses[i], full));
        j["sites"] = nlohmann::json::array();
        for (const auto& s : sites)
            j["sites"].push_back(siteJson(s));
        printJson(j);
        return;
    }

    const std::string actsName = !acts ? "" : acts->path().empty() ? "the planted demo activations" : acts->path();
    std::printf("%s%s\n", model.path().c_str(), acts ? ("  with " + actsName).c_str() : "");
    std::printf("\n%-34s %11s %8s %8s %9s %8s %8s  %s\n", "layer", "out x in", "|W|max", "kurt", "eff.rank",
                "st.rank", "scaled", "input outlier channels");
    for (size_t i = 0; i < layers.size(); ++i) {
        const auto& l = *layers[i];
        const auto& a = analyses[i];
        const std::string shape = std::to_string(l.outFeatures) + "x" + std::to_string(l.inFeatures);
        const std::string scaled = a.scaledSpectrum ? std::to_string(a.scaledSpectrum->effectiveRank).substr(0, 6) : "-";
        const std::string channels = a.inputOutliers        ? channelList(a.inputOutliers->outliers)
                                     : a.inputStatsOutliers ? channelList(a.inputStatsOutliers->outliers) + " (stats)"
                                                            : "-";
        std::printf("%-34s %11s %8.4f %8.2f %9.1f %8.2f %8s  %s\n", l.name.c_str(), shape.c_str(), a.weights.absMax,
                    a.weights.kurtosis, a.spectrum.effectiveRank, a.spectrum.stableRank, scaled.c_str(),
                    channels.c_str());
    }
    if (full) {
        const auto& a = analyses.front();
        std::printf("\nsingular values:");
        for (size_t k = 0; k < a.spectrum.singularValues.size() && k < 16; ++k)
            std::printf(" %.4g", a.spectrum.singularValues[k]);
        std::printf("%s\nenergy kept: rank 1 %.1f%%, rank 8 %.1f%%, rank 32 %.1f%%; 90%% needs rank %zu, 99%% rank %zu\n",
                    a.spectrum.singularValues.size() > 16 ? " ..." : "", 100 * a.spectrum.energyKept(1),
                    100 * a.spectrum.energyKept(8), 100 * a.spectrum.energyKept(32), a.spectrum.rankForEnergy(0.9),
                    a.spectrum.rankForEnergy(0.99));
        std::printf("outlier input columns of W (abs-max > %.0fx median):", a.weights.outlierColumnFactor);
        for (auto c : a.weights.outlierColumns)
            std::printf(" %lld", (long long)c);
        std::printf("%s\n", a.weights.outlierColumns.empty() ? " none" : "");
    }
    if (!sites.empty()) {
        std::printf("\n%-5s %-10s %9s %9s %8s  %-32s %s\n", "block", "site", "mean|A|", "median|A|", "massive",
                    "largest (token, dim, value, x median)", "outlier channels");
        for (const auto& s : sites) {
            std::string largest = "-";
            if (!s.massive.top.empty()) {
                const auto& t = s.massive.top.front();
                char buf[96];
                std::snprintf(buf, sizeof buf, "(%lld, %lld, %.1f, %.0fx)", (long long)t.token, (long long)t.dim,
                              t.value, t.ratioToMedian);
                largest = buf;
            }
            std::printf("%-5d %-10s %9.3f %9.3f %8zu  %-32s %s\n", s.block, s.site.c_str(), s.massive.meanAbs,
                        s.massive.medianAbs, s.massive.massive.size(), largest.c_str(),
                        channelList(s.channels.outliers).c_str());
        }
    }
}

} // namespace

void addAnalyzeCommand(CLI::App& app)
{
    auto o = std::make_shared<AnalyzeOptions>();
    CLI::App* cmd = app.add_subcommand("analyze", "Weight statistics, singular spectra, massive activations and "
                                                  "channel-wise outliers");
    cmd->add_option("MODEL", o->model, "Model file or directory (default: the built-in demo model)");
    cmd->add_option("--acts", o->acts, "Activation file: HDF5 (salience-activations/1) or a llama.cpp imatrix (.dat, .gguf)")->check(CLI::ExistingFile);
    cmd->add_option("--layer", o->layer, "Analyze one layer in detail (canonical or file tensor name)");
    cmd->add_flag("--json", o->json, "Print JSON");
    cmd->add_option("--eta", o->thresholds.massiveEta, "Massive activation: |A| > eta * mean|A|")->capture_default_str();
    cmd->add_option("--gamma", o->thresholds.massiveGamma, "Massive activation: |A| > gamma")->capture_default_str();
    cmd->add_option("--channel-eta", o->thresholds.channelEta, "Outlier channel: |mean| > eta * std(A) + mean|A|")
        ->capture_default_str();
    cmd->add_option("--beta", o->thresholds.channelBeta, "Outlier channel: std/|mean| < beta")->capture_default_str();
    cmd->final_callback([o] { runAnalyze(*o); });
}

} // namespace salience::cli
