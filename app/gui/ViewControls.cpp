#include "ViewControls.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>

namespace salience::gui {

QComboBox* createTextPartBox(const QString& first, QWidget* parent)
{
    auto* box = new QComboBox(parent);
    const QString calibration = QCoreApplication::translate("salience::gui::ViewControls", "calibration (second half)");
    const QString heldOut = QCoreApplication::translate("salience::gui::ViewControls", "held-out (first half)");
    if (first == QLatin1String("held-out")) {
        box->addItem(heldOut, QStringLiteral("held-out"));
        box->addItem(calibration, QStringLiteral("calibration"));
    } else {
        box->addItem(calibration, QStringLiteral("calibration"));
        box->addItem(heldOut, QStringLiteral("held-out"));
    }
    box->addItem(QCoreApplication::translate("salience::gui::ViewControls", "whole text"), QStringLiteral("whole"));
    return box;
}

QWidget* scrollable(QWidget* pane, QWidget* parent)
{
    auto* area = new QScrollArea(parent);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidgetResizable(true);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    area->setWidget(pane);
    // Short, not narrow: the fields keep their width and the pane scrolls up and down.
    area->setMinimumWidth(pane->minimumSizeHint().width() + area->verticalScrollBar()->sizeHint().width());
    return area;
}

QSpinBox* createTokenCountBox(const QString& toolTip, QWidget* parent)
{
    auto* box = new QSpinBox(parent);
    box->setRange(0, 100'000'000);
    box->setGroupSeparatorShown(true);
    box->setSpecialValueText(QCoreApplication::translate("salience::gui::ViewControls", "all"));
    box->setToolTip(toolTip);
    return box;
}

} // namespace salience::gui
