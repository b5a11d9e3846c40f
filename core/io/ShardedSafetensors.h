#pragma once
// A checkpoint split over several safetensors files, opened through its
// model.safetensors.index.json ({"weight_map": {tensor: shard file}}). Each shard is opened
// once; the reader serves the union of their tensors, shard by shard in index order. Every
// tensor the index lists must be in the shard it names; a tensor a shard holds beyond the
// index is still served (the shards are the data; the index is a map to them).
#include "io/SafetensorsReader.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace salience {

class ShardedSafetensors : public TensorReader {
public:
    // Throws InputError naming the index or the shard at fault: invalid index, a missing
    // shard, a tensor the index lists but its shard lacks, a tensor in two shards.
    explicit ShardedSafetensors(const std::string& indexPath);

    std::string format() const override { return "safetensors"; }
    const std::string& path() const override { return m_indexPath; } // the index file
    const std::vector<TensorInfo>& tensors() const override { return m_tensors; }
    FloatTensor readFloat(const std::string& name) const override;
    void readFloatInto(const std::string& name, float* dst) const override;

    RawTensorView raw(const std::string& name) const;
    // The shard that holds a tensor; throws InputError naming the index when absent.
    const SafetensorsReader& shardOf(const std::string& name) const;
    const std::vector<std::unique_ptr<SafetensorsReader>>& shards() const { return m_shards; }

private:
    std::string m_indexPath;
    std::vector<std::unique_ptr<SafetensorsReader>> m_shards;
    std::vector<TensorInfo> m_tensors;
    std::unordered_map<std::string, size_t> m_shardOf; // tensor name -> index in m_shards
};

} // namespace salience
