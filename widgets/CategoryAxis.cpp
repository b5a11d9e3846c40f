#include "CategoryAxis.h"

#include <qcustomplot.h>

#include <QFontMetrics>

#include <cmath>

namespace salience::widgets {

void placeCategoryLabels(QCPAxis* axis, const QVector<CategoryLabel>& labels)
{
    auto ticker = axis->ticker().dynamicCast<QCPAxisTickerText>();
    if (!ticker)
        return;
    ticker->clear();
    if (labels.isEmpty())
        return;
    const bool vertical = axis->orientation() == Qt::Vertical;
    const QFontMetrics metrics(axis->tickLabelFont());
    const QCPRange range = axis->range();
    const QCPAxisRect* rect = axis->axisRect();
    const QCustomPlot* plot = axis->parentPlot();
    // The axis rect of the last layout; before the first one, the plot less typical margins.
    const double rectLength = vertical ? rect->height() : rect->width();
    const double length = rectLength > 50 ? rectLength : (vertical ? plot->height() : plot->width()) - 80;
    const double gap = vertical ? 2.0 : metrics.horizontalAdvance(QStringLiteral("M"));
    const auto extent = [&](const QString& text) {
        return vertical ? double(metrics.height()) : double(metrics.horizontalAdvance(text));
    };
    // Greedy: a label goes where it does not overlap the one placed before it.
    const auto place = [&](bool full, bool apply) {
        bool placed = false;
        double lastPixel = 0;
        double lastHalf = 0;
        bool all = true;
        for (const CategoryLabel& label : labels) {
            const double pixel = (label.position - range.lower) / range.size() * length;
            const QString& text = full ? label.full : label.brief;
            const double half = 0.5 * extent(text);
            if (placed && std::abs(pixel - lastPixel) < lastHalf + half + gap) {
                all = false;
                continue;
            }
            placed = true;
            lastPixel = pixel;
            lastHalf = half;
            if (apply)
                ticker->addTick(label.position, text);
        }
        return all;
    };
    place(place(true, false), true);
}

QVector<BlockSpan> blockSpans(const std::vector<int>& blocks)
{
    QVector<BlockSpan> spans;
    for (int i = 0; i < int(blocks.size()); ++i) {
        const int block = blocks[size_t(i)];
        if (!spans.isEmpty() && block >= 0 && spans.back().block == block) {
            spans.back().last = i;
            continue;
        }
        spans.push_back({i, i, block});
    }
    return spans;
}

void addBlockBands(QCustomPlot* plot, const QVector<BlockSpan>& spans, bool alongX)
{
    for (int s = 1; s < spans.size(); s += 2) {
        auto* band = new QCPItemRect(plot);
        band->setLayer(QStringLiteral("background"));
        QCPItemPosition* corners[] = {band->topLeft, band->bottomRight};
        for (QCPItemPosition* corner : corners) {
            if (alongX)
                corner->setTypeY(QCPItemPosition::ptAxisRectRatio);
            else
                corner->setTypeX(QCPItemPosition::ptAxisRectRatio);
        }
        const double from = spans[s].first - 0.5;
        const double to = spans[s].last + 0.5;
        band->topLeft->setCoords(alongX ? from : 0.0, alongX ? 0.0 : from);
        band->bottomRight->setCoords(alongX ? to : 1.0, alongX ? 1.0 : to);
        band->setPen(Qt::NoPen);
        band->setBrush(QColor(0, 0, 0, 14));
        band->setClipToAxisRect(true);
        band->setSelectable(false);
    }
}

} // namespace salience::widgets
