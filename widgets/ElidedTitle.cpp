#include "ElidedTitle.h"

#include <QFontMetrics>

#include <algorithm>

namespace salience::widgets {

QString ElidedTitle::shownText(int width) const
{
    return QFontMetrics(mainFont()).elidedText(mText, Qt::ElideRight, std::max(width, 0));
}

void ElidedTitle::draw(QCPPainter* painter)
{
    const QString whole = mText;
    mText = shownText(mRect.width());
    QCPTextElement::draw(painter);
    mText = whole;
}

QSize ElidedTitle::minimumOuterSizeHint() const
{
    // The height of one line, but no width: the title takes what the axes leave.
    QSize hint = QCPTextElement::minimumOuterSizeHint();
    hint.setWidth(mMargins.left() + mMargins.right());
    return hint;
}

} // namespace salience::widgets
