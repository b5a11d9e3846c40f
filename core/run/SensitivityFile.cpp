#include "run/SensitivityFile.h"

#include "base/Error.h"
#include "io/AtomicFile.h"
#include "io/JsonFile.h"

namespace salience {

namespace {

std::string candidateList(const std::vector<SensitivityCandidate>& candidates)
{
    std::string s;
    for (const auto& c : candidates) {
        if (!s.empty())
            s += ',';
        s += c.label();
    }
    return s;
}

const nlohmann::json& field(const nlohmann::json& j, const char* name, const std::string& where)
{
    if (!j.is_object() || !j.contains(name))
        throw InputError(where, std::string("missing field '") + name + "'");
    return j.at(name);
}

template <typename T>
T get(const nlohmann::json& j, const char* name, const std::string& where)
{
    try {
        return field(j, name, where).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw InputError(where, std::string("field '") + name + "' has the wrong type");
    }
}

} // namespace

nlohmann::json sensitivityJson(const SensitivityTable& t)
{
    std::vector<std::string> labels;
    for (const auto& c : t.candidates())
        labels.push_back(c.label());
    nlohmann::json units = nlohmann::json::array();
    for (const auto& u : t.units) {
        nlohmann::json cells = nlohmann::json::array();
        for (size_t c = 0; c < u.cells.size(); ++c) {
            const SensitivityCell& cell = u.cells[c];
            cells.push_back({{"candidate", labels[c]},
                             {"kl", cell.kl},
                             {"kl_stderr", cell.klStdError},
                             {"nll_delta", cell.nllDelta},
                             {"same_top_share", cell.sameTopShare},
                             {"bits_per_weight", cell.bitsPerWeight},
                             {"rank", cell.rank}});
        }
        units.push_back({{"name", u.name},
                         {"layers", u.layers},
                         {"block", u.block},
                         {"role", u.role ? nlohmann::json(std::string(roleName(*u.role))) : nlohmann::json()},
                         {"parameters", u.parameters},
                         {"cells", std::move(cells)}});
    }
    return {{"format", kSensitivityFormat},
            {"version", kSensitivityVersion},
            {"model", {{"path", t.modelPath}, {"fingerprint", t.key.modelFingerprint}}},
            {"calibration",
             {{"text", t.textSource},
              {"part", t.textPart},
              {"tokens", t.tokens},
              {"tokens_hash", t.key.tokensHash},
              {"window", t.key.window},
              {"windows", t.windows},
              {"positions", t.positions},
              {"float_nll", t.floatNll}}},
            {"base", t.key.base.toJson()},
            {"unit", unitKindName(t.key.unitKind)},
            {"candidates", labels},
            {"units", std::move(units)}};
}

SensitivityTable sensitivityFromJson(const nlohmann::json& j, const std::string& source)
{
    if (!j.is_object() || j.value("format", std::string()) != kSensitivityFormat)
        throw InputError(source, std::string("not a sensitivity file (format \"") + kSensitivityFormat + "\")");
    const int version = get<int>(j, "version", source);
    if (version != kSensitivityVersion)
        throw InputError(source, "sensitivity file version " + std::to_string(version) + " is not supported (" +
                                     std::to_string(kSensitivityVersion) + " is)");
    SensitivityTable t;
    const auto& model = field(j, "model", source);
    t.modelPath = get<std::string>(model, "path", source + ": model");
    t.key.modelFingerprint = get<std::string>(model, "fingerprint", source + ": model");
    const std::string cal = source + ": calibration";
    const auto& calibration = field(j, "calibration", source);
    t.textSource = get<std::string>(calibration, "text", cal);
    t.textPart = get<std::string>(calibration, "part", cal);
    t.tokens = get<int64_t>(calibration, "tokens", cal);
    t.key.tokensHash = get<std::string>(calibration, "tokens_hash", cal);
    t.key.window = get<int64_t>(calibration, "window", cal);
    t.windows = get<int64_t>(calibration, "windows", cal);
    t.positions = get<int64_t>(calibration, "positions", cal);
    t.floatNll = get<double>(calibration, "float_nll", cal);
    t.key.base = Recipe::fromJson(field(j, "base", source), source + ": base");
    t.key.unitKind = parseUnitKind(get<std::string>(j, "unit", source), source + ": unit");
    for (const auto& label : get<std::vector<std::string>>(j, "candidates", source))
        t.key.candidates.push_back(parseCandidate(label, source + ": candidates"));
    if (t.key.candidates.empty())
        throw InputError(source, "no candidates");
    const auto& units = field(j, "units", source);
    if (!units.is_array() || units.empty())
        throw InputError(source, "'units' must be a non-empty array");
    for (const auto& uj : units) {
        SensitivityUnit u;
        u.name = get<std::string>(uj, "name", source + ": unit");
        const std::string where = source + ": unit '" + u.name + "'";
        u.layers = get<std::vector<std::string>>(uj, "layers", where);
        u.block = get<int>(uj, "block", where);
        const auto& role = field(uj, "role", where);
        if (!role.is_null()) {
            const auto r = role.is_string() ? roleFromName(role.get<std::string>()) : std::nullopt;
            if (!r)
                throw InputError(where, "'role' is no layer role");
            u.role = r;
        }
        u.parameters = get<int64_t>(uj, "parameters", where);
        if (u.layers.empty() || u.parameters <= 0)
            throw InputError(where, "a unit needs layers and parameters");
        const auto& cells = field(uj, "cells", where);
        if (!cells.is_array() || cells.size() != t.key.candidates.size())
            throw InputError(where, "has " + std::to_string(cells.is_array() ? cells.size() : 0) + " cells for " +
                                        std::to_string(t.key.candidates.size()) + " candidates");
        for (size_t c = 0; c < cells.size(); ++c) {
            const auto& cj = cells[c];
            if (get<std::string>(cj, "candidate", where) != t.key.candidates[c].label())
                throw InputError(where, "cell " + std::to_string(c) + " is not candidate '" +
                                            t.key.candidates[c].label() + "'");
            SensitivityCell cell;
            cell.kl = get<double>(cj, "kl", where);
            cell.klStdError = get<double>(cj, "kl_stderr", where);
            cell.nllDelta = get<double>(cj, "nll_delta", where);
            cell.sameTopShare = get<double>(cj, "same_top_share", where);
            cell.bitsPerWeight = get<double>(cj, "bits_per_weight", where);
            cell.rank = get<int64_t>(cj, "rank", where);
            u.cells.push_back(cell);
        }
        t.units.push_back(std::move(u));
    }
    return t;
}

void saveSensitivity(const SensitivityTable& table, const std::string& path)
{
    AtomicFile file(path, true);
    file.stream() << sensitivityJson(table).dump(2) << "\n";
    file.commit();
}

SensitivityTable loadSensitivity(const std::string& path)
{
    return sensitivityFromJson(readJsonFile(path, "the sensitivity file"), path);
}

std::string sensitivityKeyDifference(const SensitivityKey& cached, const SensitivityKey& wanted)
{
    if (cached.modelFingerprint != wanted.modelFingerprint)
        return "it was measured on another model (fingerprint " + cached.modelFingerprint + ", this model's is " +
               wanted.modelFingerprint + ")";
    if (cached.tokensHash != wanted.tokensHash)
        return "it was measured on other calibration tokens (hash " + cached.tokensHash + ", this text gives " +
               wanted.tokensHash + "): another text, part, --tokens or tokenizer";
    if (cached.window != wanted.window)
        return "it was measured with windows of " + std::to_string(cached.window) + " tokens, not " +
               std::to_string(wanted.window);
    if (!(cached.base == wanted.base))
        return "it was measured for the recipe '" + cached.base.summary() + "', not '" + wanted.base.summary() + "'";
    if (cached.unitKind != wanted.unitKind)
        return std::string("its units are ") + unitKindName(cached.unitKind) + "s, not " +
               unitKindName(wanted.unitKind) + "s";
    if (cached.candidates != wanted.candidates)
        return "its candidates are " + candidateList(cached.candidates) + ", not " + candidateList(wanted.candidates);
    return {};
}

} // namespace salience
