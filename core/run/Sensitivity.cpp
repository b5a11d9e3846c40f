#include "run/Sensitivity.h"

#include "base/Error.h"
#include "base/ParallelFor.h"
#include "plan/QuantPlan.h"
#include "quant/MethodRegistry.h"
#include "run/Runner.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

namespace salience {

namespace {

const char* kSource = "sensitivity";

bool isNumber(const std::string& s)
{
    size_t i = s.size() > 1 && s[0] == '-' ? 1 : 0;
    if (i >= s.size())
        return false;
    for (; i < s.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[i])))
            return false;
    return s.size() <= 6; // no overflow; no bit width, group size or rank needs more digits
}

// One copy of the float transformer per thread, lent to a task and returned with its float
// weights back in place.
class WorkingCopies {
public:
    explicit WorkingCopies(const Transformer& original) : m_original(original) {}

    std::unique_ptr<Transformer> acquire()
    {
        {
            std::lock_guard lock(m_mutex);
            if (!m_free.empty()) {
                auto t = std::move(m_free.back());
                m_free.pop_back();
                return t;
            }
        }
        return std::make_unique<Transformer>(m_original);
    }
    void release(std::unique_ptr<Transformer> t)
    {
        std::lock_guard lock(m_mutex);
        m_free.push_back(std::move(t));
    }

private:
    const Transformer& m_original;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<Transformer>> m_free;
};

std::vector<SensitivityUnit> groupUnits(const std::vector<const LinearLayer*>& layers, SensitivityUnitKind kind)
{
    std::vector<SensitivityUnit> units;
    std::map<std::string, size_t> index;
    for (const LinearLayer* l : layers) {
        std::string key;
        switch (kind) {
        case SensitivityUnitKind::Layer:
            key = l->name;
            break;
        case SensitivityUnitKind::Role:
            key = std::string(roleName(l->role));
            break;
        case SensitivityUnitKind::Block:
            key = l->block >= 0 ? "block " + std::to_string(l->block) : l->name;
            break;
        }
        auto it = index.find(key);
        if (it == index.end()) {
            SensitivityUnit u;
            u.name = key;
            if (kind != SensitivityUnitKind::Role)
                u.block = l->block;
            if (kind != SensitivityUnitKind::Block)
                u.role = l->role;
            it = index.emplace(key, units.size()).first;
            units.push_back(std::move(u));
        }
        SensitivityUnit& u = units[it->second];
        u.layers.push_back(l->name);
        u.parameters += l->numel();
    }
    return units;
}

} // namespace

Recipe SensitivityCandidate::applyTo(const Recipe& base) const
{
    Recipe r = base;
    if (method && *method != base.method) {
        // Another method's own parameters do not carry over.
        r.method = *method;
        r.params.clear();
    }
    if (bits)
        r.bits = *bits;
    if (groupSize)
        r.groupSize = *groupSize;
    if (rank)
        r.rank = *rank;
    return r;
}

std::string SensitivityCandidate::label() const
{
    std::string out;
    auto field = [&out](std::string_view prefix, std::string_view value) {
        if (!out.empty())
            out += ':';
        out += prefix;
        out += value;
    };
    if (method)
        field("", *method);
    if (bits)
        field("", std::to_string(*bits));
    if (groupSize) {
        // The group joins the bits in one field ("4g32"), else stands alone ("g32").
        if (!bits && !out.empty())
            out += ':';
        out += 'g';
        out += std::to_string(*groupSize);
    }
    if (rank)
        field("r", std::to_string(*rank));
    return out;
}

SensitivityCandidate parseCandidate(const std::string& spec, const std::string& source)
{
    if (spec.empty())
        throw InputError(source, "an empty candidate");
    SensitivityCandidate c;
    auto bad = [&](const std::string& why) {
        return InputError(source, "candidate '" + spec + "': " + why +
                                      " (a candidate is fields joined by ':': B bits, BgG bits and group size, gG group "
                                      "size, rR rank, or a method name, e.g. 4g32, r16, gptq:3g128)");
    };
    std::stringstream in(spec);
    std::string part;
    while (std::getline(in, part, ':')) {
        if (part.empty())
            throw bad("an empty field");
        const size_t g = part.find('g');
        if (part[0] == 'r' && isNumber(part.substr(1))) {
            if (c.rank)
                throw bad("the rank given twice");
            c.rank = std::stoi(part.substr(1));
        } else if (isNumber(part)) {
            if (c.bits)
                throw bad("the bits given twice");
            c.bits = std::stoi(part);
        } else if (g != std::string::npos && (g == 0 || isNumber(part.substr(0, g))) && isNumber(part.substr(g + 1))) {
            if ((g > 0 && c.bits) || c.groupSize)
                throw bad("the bits or the group size given twice");
            if (g > 0)
                c.bits = std::stoi(part.substr(0, g));
            c.groupSize = std::stoi(part.substr(g + 1));
        } else if (findMethod(part)) {
            if (c.method)
                throw bad("two methods");
            c.method = part;
        } else {
            throw bad("'" + part + "' is neither a number, a group, a rank nor a method (" + methodNames() + ")");
        }
    }
    if (spec.back() == ':')
        throw bad("an empty field");
    return c;
}

std::vector<SensitivityCandidate> parseCandidates(const std::string& list, const std::string& source)
{
    std::vector<SensitivityCandidate> out;
    std::stringstream in(list);
    std::string spec;
    while (std::getline(in, spec, ',')) {
        const SensitivityCandidate c = parseCandidate(spec, source);
        if (std::find(out.begin(), out.end(), c) != out.end())
            throw InputError(source, "candidate '" + c.label() + "' given twice");
        out.push_back(c);
    }
    if (out.empty())
        throw InputError(source, "no candidates");
    return out;
}

std::vector<SensitivityCandidate> defaultBitCandidates()
{
    return parseCandidates("2g32,3g128,3g64,3g32,4g128,4g64,4g32,5g32,6g32,8g32", "default candidates");
}

std::vector<SensitivityCandidate> defaultRankCandidates()
{
    return parseCandidates("r0,r4,r8,r16,r32", "default candidates");
}

const char* unitKindName(SensitivityUnitKind kind)
{
    switch (kind) {
    case SensitivityUnitKind::Role:
        return "role";
    case SensitivityUnitKind::Block:
        return "block";
    case SensitivityUnitKind::Layer:
        break;
    }
    return "layer";
}

SensitivityUnitKind parseUnitKind(const std::string& name, const std::string& source)
{
    for (auto k : {SensitivityUnitKind::Layer, SensitivityUnitKind::Role, SensitivityUnitKind::Block})
        if (name == unitKindName(k))
            return k;
    throw InputError(source, "'" + name + "' is no unit: layer, role or block");
}

std::vector<const LinearLayer*> sensitivityLayers(const Model& model, const Transformer& floatModel, const Recipe& base)
{
    const QuantPlan plan = QuantPlan::uniform(base);
    std::vector<const LinearLayer*> layers;
    for (const auto& l : model.layers()) {
        const MethodInfo* m = findMethod(plan.recipeFor(l).method);
        if (m && m->quantizes && floatModel.hasLinear(l.name))
            layers.push_back(&l);
    }
    if (layers.empty())
        throw InputError(kSource, "the recipe '" + base.summary() + "' quantizes no layer of the forward pass");
    return layers;
}

SensitivityTable measureSensitivity(const Model& model, const Transformer& floatModel,
                                    const ActivationStore* activations, const CalibrationReference& reference,
                                    const Recipe& base, const std::vector<SensitivityCandidate>& candidates,
                                    const std::string& modelFingerprint, const SensitivityOptions& options,
                                    Progress& progress)
{
    base.validate(kSource);
    if (candidates.empty())
        throw InputError(kSource, "no candidates");
    std::vector<Recipe> recipes;
    for (size_t i = 0; i < candidates.size(); ++i) {
        if (std::find(candidates.begin(), candidates.begin() + ptrdiff_t(i), candidates[i]) !=
            candidates.begin() + ptrdiff_t(i))
            throw InputError(kSource, "candidate '" + candidates[i].label() + "' given twice");
        const Recipe r = candidates[i].applyTo(base);
        r.validate("candidate '" + candidates[i].label() + "'");
        const MethodInfo* info = findMethod(r.method);
        if (!info->quantizes)
            throw InputError(kSource, "candidate '" + candidates[i].label() + "' keeps full precision");
        if (info->needsActivations && !activations)
            throw InputError(r.method, "needs activations (inputs or statistics of each layer)");
        recipes.push_back(r);
    }
    const std::vector<const LinearLayer*> layers = sensitivityLayers(model, floatModel, base);

    SensitivityTable table;
    table.key.modelFingerprint = modelFingerprint;
    table.key.tokensHash = reference.tokensHash();
    table.key.window = reference.window();
    table.key.base = base;
    table.key.unitKind = options.unitKind;
    table.key.candidates = candidates;
    table.modelPath = model.path();
    table.tokens = reference.tokens();
    table.windows = int64_t(reference.windows().size());
    table.positions = reference.positions();
    table.floatNll = reference.floatNll();
    table.units = groupUnits(layers, options.unitKind);
    for (auto& u : table.units)
        u.cells.resize(candidates.size());

    const size_t cellCount = table.units.size() * candidates.size();
    WorkingCopies copies(floatModel);
    std::atomic<size_t> done{0};
    parallelFor(int64_t(cellCount), options.threads, [&](int64_t task) {
        progress.throwIfCancelled();
        SensitivityUnit& unit = table.units[size_t(task) / candidates.size()];
        const size_t c = size_t(task) % candidates.size();
        const Recipe& recipe = recipes[c];
        Progress quiet = progress.silent();

        std::unique_ptr<Transformer> work = copies.acquire();
        double bits = 0;
        int64_t rank = 0;
        int firstBlock = work->blockCount();
        for (const auto& name : unit.layers) {
            const LinearLayer& layer = model.layer(name);
            firstBlock = std::min(firstBlock, std::max(0, layer.block)); // outside the blocks: run them all
            LayerResult r = runLayer(model, layer, recipe, activations, quiet);
            bits += r.metrics.bitsPerWeight * double(layer.numel());
            rank += recipe.rank;
            work->setLinearWeight(name, r.quantized->dequantize());
        }
        const PairedPerplexity measured = reference.compare(*work, 1, quiet, firstBlock);
        for (const auto& name : unit.layers)
            work->setLinearWeight(name, floatModel.linearWeight(name));
        copies.release(std::move(work));

        SensitivityCell& cell = unit.cells[c];
        cell.kl = measured.shift.klMean;
        cell.klStdError = measured.shift.klStdError;
        cell.nllDelta = measured.candidate.nll - measured.reference.nll;
        cell.sameTopShare = measured.shift.sameTopShare;
        cell.bitsPerWeight = bits / double(unit.parameters);
        cell.rank = rank;
        const size_t n = done.fetch_add(1) + 1;
        progress.report(double(n) / double(cellCount), unit.name + " at " + candidates[c].label());
    });
    progress.throwIfCancelled();
    return table;
}

} // namespace salience
