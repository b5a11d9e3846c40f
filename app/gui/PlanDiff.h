#pragma once
// What replacing one plan by another changes, layer by layer: shown before a plan is applied
// (Analyze ▸ Sensitivity's "Apply as plan").
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "quant/Recipe.h"

#include <QString>

#include <vector>

namespace salience::gui {

struct PlanChange {
    QString layer; // canonical name
    Recipe before;
    Recipe after;
};

// The layers of `model`, in model order, whose recipe differs between the plans.
std::vector<PlanChange> planDiff(const Model& model, const QuantPlan& from, const QuantPlan& to);

} // namespace salience::gui
