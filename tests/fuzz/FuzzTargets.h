#pragma once
// Each reader or parser the fuzzers drive, from a file, through the public API: the harnesses
// (fuzz_<kind>.cpp) and the regression suite (core_fuzzregressions, which feeds every seed and
// every past finding) call the same code. A clear refusal is a salience::Error (InputError);
// anything else escaping, or a crash, is a finding.
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "eval/HfTokenizer.h"
#include "eval/Tokenizer.h"
#include "io/GgufReader.h"
#include "io/ImatrixReader.h"
#include "io/JsonFile.h"
#include "io/Llama2cReader.h"
#include "io/SafetensorsReader.h"
#include "model/ArchConfig.h"
#include "plan/QuantPlan.h"

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace salience::fuzz {

// Runs f; a salience::Error is the expected refusal of a bad file.
template <class F>
void refusedOrRead(F f)
{
    try {
        f();
    } catch (const salience::Error&) {
    }
}

template <class Reader>
void readEveryTensor(const Reader& reader)
{
    for (const auto& t : reader.tensors())
        refusedOrRead([&] { reader.readFloat(t.name); });
}

// The kinds, as the folders of tests/fuzz/corpus and tests/data/fuzz-regressions name them.
inline const char* const kKinds[] = {"safetensors", "gguf",           "llama2c",      "imatrix",
                                     "plan",        "hfconfig",       "tokenizer_json", "tokenizer_bin"};

// Reads `path` as `kind`; throws salience::Error for a bad file (and std::invalid_argument for
// an unknown kind).
inline void exercise(std::string_view kind, const std::string& path)
{
    const char* sample = "Once upon a time, a cat sat on 3 mats. \xC3\xA9t\xC3\xA9 \xE4\xB8\xAD";
    if (kind == "safetensors") {
        readEveryTensor(SafetensorsReader(path));
    } else if (kind == "gguf") {
        const GgufReader reader(path);
        readEveryTensor(reader);
        refusedOrRead([&] { Tokenizer::fromGguf(reader).encode(sample, true); });
    } else if (kind == "llama2c") {
        readEveryTensor(Llama2cReader(path));
    } else if (kind == "imatrix") {
        readImatrix(path).channelStats();
    } else if (kind == "plan") {
        static const Model model = makeDemoModel().model;
        const QuantPlan plan = QuantPlan::load(path);
        plan.validateAgainst(model, path);
        for (const auto& layer : model.layers())
            plan.recipeFor(layer);
    } else if (kind == "hfconfig") {
        ArchConfig::fromHfConfig(readJsonFile(path), path);
    } else if (kind == "tokenizer_json") {
        const HfTokenizer tokenizer = HfTokenizer::fromFile(path);
        tokenizer.decode(tokenizer.encode(sample, true));
    } else if (kind == "tokenizer_bin") {
        const Tokenizer tokenizer = Tokenizer::fromLlama2cFile(path);
        tokenizer.decode(tokenizer.encode(sample, true));
    } else {
        throw std::invalid_argument("unknown fuzz kind " + std::string(kind));
    }
}

// The fuzzer's input as a file (the readers map files), one per process.
inline std::string writeInput(const uint8_t* data, size_t size, std::string_view kind)
{
    const std::string path = "/tmp/salience-fuzz-" + std::to_string(::getpid()) + "-" + std::string(kind);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    return path;
}

} // namespace salience::fuzz
