#include "PlanDiff.h"

namespace salience::gui {

std::vector<PlanChange> planDiff(const Model& model, const QuantPlan& from, const QuantPlan& to)
{
    std::vector<PlanChange> changes;
    for (const LinearLayer& layer : model.layers()) {
        Recipe before = from.recipeFor(layer);
        Recipe after = to.recipeFor(layer);
        if (!(before == after))
            changes.push_back({QString::fromStdString(layer.name), std::move(before), std::move(after)});
    }
    return changes;
}

} // namespace salience::gui
