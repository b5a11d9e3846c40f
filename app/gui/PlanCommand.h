#pragma once
// One undoable edit of the plan: it keeps the plan before and after, so undo and redo are
// exact whatever the edit did (a recipe on several layers, a reset, an apply-to-role).
#include "plan/QuantPlan.h"

#include <QStringList>
#include <QUndoCommand>

namespace salience::gui {

class Workspace;

class PlanCommand : public QUndoCommand {
public:
    PlanCommand(Workspace* workspace, QuantPlan before, QuantPlan after, QStringList layers, const QString& text);

    void undo() override;
    void redo() override;

private:
    Workspace* m_workspace;
    QuantPlan m_before;
    QuantPlan m_after;
    QStringList m_layers;
};

} // namespace salience::gui
