#pragma once
// Controls the Analyze views share: how much of a text to use, and panes that scroll so a dock
// holding them can be made short.
#include <QString>

class QComboBox;
class QSpinBox;
class QWidget;

namespace salience::gui {

// Which part of the text (eval/TextHalves.h) to use, `first` ("calibration" or "held-out")
// listed first; the item data is the part's name.
QComboBox* createTextPartBox(const QString& first, QWidget* parent);
// `pane` in a frameless scroll area as wide as the pane needs, so that a dock holding it can be
// made short.
QWidget* scrollable(QWidget* pane, QWidget* parent);
// A number of tokens, 0 meaning all of them.
QSpinBox* createTokenCountBox(const QString& toolTip, QWidget* parent);

} // namespace salience::gui
