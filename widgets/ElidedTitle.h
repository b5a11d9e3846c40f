#pragma once
// A plot title that never widens its plot: when the width the layout gives it is too small for
// the whole text, the text is elided at the right instead of pushing the axes out of the widget
// (which cut titles at both ends: "cales per group (4-bit ..."). text() keeps the whole title.
#include <qcustomplot.h>

namespace salience::widgets {

class ElidedTitle : public QCPTextElement {
public:
    using QCPTextElement::QCPTextElement;

    // The text as drawn in a rect `width` pixels wide (the whole text when it fits).
    QString shownText(int width) const;

protected:
    void draw(QCPPainter* painter) override;
    QSize minimumOuterSizeHint() const override;
};

} // namespace salience::widgets
