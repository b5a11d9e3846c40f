#include "model/LayerRole.h"

#include <array>
#include <utility>

namespace salience {

namespace {
constexpr std::array<std::pair<LayerRole, std::string_view>, 10> kRoleNames{{
    {LayerRole::Q, "q"},
    {LayerRole::K, "k"},
    {LayerRole::V, "v"},
    {LayerRole::O, "o"},
    {LayerRole::Gate, "gate"},
    {LayerRole::Up, "up"},
    {LayerRole::Down, "down"},
    {LayerRole::Embedding, "embedding"},
    {LayerRole::Classifier, "classifier"},
    {LayerRole::Other, "other"},
}};
} // namespace

std::string_view roleName(LayerRole role)
{
    for (const auto& [r, name] : kRoleNames)
        if (r == role)
            return name;
    return "other";
}

std::optional<LayerRole> roleFromName(std::string_view name)
{
    for (const auto& [r, n] : kRoleNames)
        if (n == name)
            return r;
    return std::nullopt;
}

} // namespace salience
