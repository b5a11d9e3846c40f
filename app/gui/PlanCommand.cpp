#include "PlanCommand.h"

#include "Workspace.h"

namespace salience::gui {

PlanCommand::PlanCommand(Workspace* workspace, QuantPlan before, QuantPlan after, QStringList layers,
                         const QString& text)
    : QUndoCommand(text), m_workspace(workspace), m_before(std::move(before)), m_after(std::move(after)),
      m_layers(std::move(layers))
{
}

void PlanCommand::undo() { m_workspace->restorePlan(m_before, m_layers); }

void PlanCommand::redo() { m_workspace->restorePlan(m_after, m_layers); }

} // namespace salience::gui
