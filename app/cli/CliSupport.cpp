#include "CliSupport.h"

#include "acts/LayerActivations.h"
#include "acts/OpenActivations.h"
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "eval/TextHalves.h"
#include "eval/TokenizerLookup.h"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <unistd.h>

namespace salience::cli {

namespace {
bool g_progressDrawn = false;
std::mutex g_progressMutex;
} // namespace

OpenedModel openModel(const std::string& modelPath, const std::string& actsPath)
{
    OpenedModel opened;
    if (modelPath.empty()) {
        DemoModel demo = makeDemoModel();
        opened.model = demo.model;
        opened.activations = std::move(demo.activations);
        opened.isDemo = true;
    } else {
        opened.model = Model::open(modelPath);
    }
    if (!actsPath.empty()) {
        opened.activations = openActivations(actsPath);
        checkActivationsFit(*opened.activations, opened.model.layers(), opened.model.config().dim, actsPath);
    }
    return opened;
}

namespace {

// Ctrl-C cancels the running work through its Progress, so exports and captures clean up
// their temporary files; a second Ctrl-C kills at once.
Progress* g_interruptTarget = nullptr;

extern "C" void onInterrupt(int)
{
    if (g_interruptTarget)
        g_interruptTarget->requestCancel(); // a lock-free atomic store
    std::signal(SIGINT, SIG_DFL);
}

Progress cancellableOnInterrupt(Progress progress)
{
    delete g_interruptTarget;
    g_interruptTarget = new Progress(progress);
    std::signal(SIGINT, onInterrupt);
    return progress;
}

} // namespace

Progress terminalProgress(const std::string& task)
{
    if (!::isatty(STDERR_FILENO))
        return cancellableOnInterrupt(Progress());
    return cancellableOnInterrupt(Progress([task, last = -1](double fraction, const std::string& message) mutable {
        const int percent = int(fraction * 100.0);
        std::lock_guard lock(g_progressMutex);
        if (percent == last && message.empty())
            return;
        last = percent;
        const int width = 30;
        const int filled = percent * width / 100;
        std::string bar(size_t(filled), '#');
        bar.resize(size_t(width), ' ');
        std::string text = message.substr(0, 48);
        std::fprintf(stderr, "\r%s [%s] %3d%% %-48s", task.c_str(), bar.c_str(), percent, text.c_str());
        std::fflush(stderr);
        g_progressDrawn = true;
    }));
}

void finishProgress()
{
    std::lock_guard lock(g_progressMutex);
    if (g_progressDrawn) {
        std::fputc('\n', stderr);
        g_progressDrawn = false;
    }
}

void printJson(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

void addTextPartOption(CLI::App& cmd, std::string& part)
{
    cmd.add_option("--part", part,
                   "Which part of --text: whole, held-out (the first half) or calibration (the second half); the file "
                   "is cut at its middle byte, moved back to the start of a line")
        ->capture_default_str();
}

std::vector<int32_t> textPartTokens(const Tokenizer& tokenizer, const std::string& path, const std::string& part,
                                    int64_t maxTokens)
{
    const TextPart which = parseTextPart(part, "--part");
    const std::string text = readTextFile(path);
    auto tokens = tokenizeText(tokenizer, std::string(textPart(text, which)), maxTokens);
    if (tokens.empty() && which != TextPart::Whole)
        throw InputError(path, std::string("its ") + textPartName(which) + " part gives no tokens");
    return tokens;
}

std::string formatBytes(double bytes)
{
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024.0 && u < 4) {
        bytes /= 1024.0;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.2f %s", bytes, units[u]);
    return buf;
}

} // namespace salience::cli
