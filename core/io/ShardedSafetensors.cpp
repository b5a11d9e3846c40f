#include "io/ShardedSafetensors.h"

#include "base/Error.h"
#include "io/JsonFile.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace salience {

ShardedSafetensors::ShardedSafetensors(const std::string& indexPath) : m_indexPath(indexPath)
{
    std::ifstream in(indexPath, std::ios::binary);
    if (!in)
        throw InputError(indexPath, "cannot open the index file");
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::ordered_json index;
    checkJsonNesting(text.str(), indexPath);
    try {
        index = nlohmann::ordered_json::parse(text.str());
    } catch (const nlohmann::json::exception& e) {
        throw InputError(indexPath, std::string("index is not valid JSON: ") + e.what());
    }
    if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
        throw InputError(indexPath, "index has no \"weight_map\" object");

    // Shards in the order the index first names them; each opened once.
    const std::filesystem::path dir = std::filesystem::path(indexPath).parent_path();
    std::map<std::string, size_t> shardByFile;
    std::vector<std::string> shardFiles;
    std::vector<std::pair<std::string, size_t>> listed; // tensor -> shard, as the index says
    for (const auto& [tensor, file] : index["weight_map"].items()) {
        if (!file.is_string() || file.get<std::string>().empty())
            throw InputError(indexPath, "weight_map entry for '" + tensor + "' is not a file name");
        const std::string name = file.get<std::string>();
        // A shard is a file beside the index: a path that leaves the model's folder (absolute,
        // "..", a subfolder) could read any file on the disk.
        const std::filesystem::path shard(name);
        if (shard.is_absolute() || shard.has_parent_path() || name == "." || name == ".." ||
            name.find('\0') != std::string::npos)
            throw InputError(indexPath, "weight_map entry for '" + tensor + "' names '" + name +
                                            "', which is not a file name in the model's folder");
        auto it = shardByFile.find(name);
        if (it == shardByFile.end()) {
            it = shardByFile.emplace(name, shardFiles.size()).first;
            shardFiles.push_back(name);
        }
        listed.emplace_back(tensor, it->second);
    }
    if (shardFiles.empty())
        throw InputError(indexPath, "weight_map is empty");

    for (const std::string& file : shardFiles) {
        const std::string shardPath = (dir / file).string();
        std::error_code ec;
        if (!std::filesystem::is_regular_file(shardPath, ec))
            throw InputError(indexPath, "shard file " + shardPath + " is missing");
        m_shards.push_back(std::make_unique<SafetensorsReader>(shardPath)); // errors name it
    }

    for (size_t s = 0; s < m_shards.size(); ++s) {
        for (const TensorInfo& t : m_shards[s]->tensors()) {
            const auto [it, inserted] = m_shardOf.emplace(t.name, s);
            if (!inserted)
                throw InputError(indexPath, "tensor '" + t.name + "' is in both " +
                                                m_shards[it->second]->path() + " and " +
                                                m_shards[s]->path());
            m_tensors.push_back(t);
        }
    }
    for (const auto& [tensor, s] : listed) {
        const auto it = m_shardOf.find(tensor);
        if (it == m_shardOf.end())
            throw InputError(indexPath, "tensor '" + tensor + "' is listed in shard " +
                                            m_shards[s]->path() + " but that shard does not have it");
        if (it->second != s)
            throw InputError(indexPath, "tensor '" + tensor + "' is listed in shard " +
                                            m_shards[s]->path() + " but is in " +
                                            m_shards[it->second]->path());
    }
}

const SafetensorsReader& ShardedSafetensors::shardOf(const std::string& name) const
{
    const auto it = m_shardOf.find(name);
    if (it == m_shardOf.end())
        throw InputError(m_indexPath, "no tensor named '" + name + "'");
    return *m_shards[it->second];
}

FloatTensor ShardedSafetensors::readFloat(const std::string& name) const
{
    return shardOf(name).readFloat(name);
}

void ShardedSafetensors::readFloatInto(const std::string& name, float* dst) const
{
    shardOf(name).readFloatInto(name, dst);
}

RawTensorView ShardedSafetensors::raw(const std::string& name) const
{
    return shardOf(name).raw(name);
}

} // namespace salience
