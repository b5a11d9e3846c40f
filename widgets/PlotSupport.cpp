#include "PlotSupport.h"

#include "ElidedTitle.h"
#include "PlotTheme.h"

#include <QLabel>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>

namespace salience::widgets {

QCPItemText* addCenteredHint(QCustomPlot* plot, const QString& text)
{
    auto* hint = new QCPItemText(plot);
    hint->setClipToAxisRect(false);
    hint->position->setType(QCPItemPosition::ptViewportRatio);
    hint->position->setCoords(0.5, 0.5);
    hint->setPositionAlignment(Qt::AlignCenter);
    QFont font = axisLabelFont();
    font.setPointSizeF(14);
    hint->setFont(font);
    hint->setText(text);
    hint->setSelectable(false);
    hint->setVisible(false);
    return hint;
}

void moveLegendAbovePlot(QCustomPlot* plot)
{
    QCPLegend* legend = plot->legend;
    QCPAxisRect* rect = plot->axisRect();
    if (!legend || !rect)
        return;
    rect->insetLayout()->take(legend);
    QCPLayoutGrid* layout = plot->plotLayout();
    // The legend row sits right above the axis rect, whatever rows (a title) come before it.
    int row = 0;
    int column = 0;
    for (int r = 0; r < layout->rowCount(); ++r)
        for (int c = 0; c < layout->columnCount(); ++c)
            if (layout->element(r, c) == rect) {
                row = r;
                column = c;
            }
    layout->insertRow(row);
    layout->addElement(row, column, legend);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(4);
    layout->setRowStretchFactor(row, 0.001);
    legend->setMargins(QMargins(8, 4, 8, 4));
    legend->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
    legend->setVisible(true);
}

void setTitleText(QCPTextElement* title, const QString& text)
{
    title->setText(text);
    const bool empty = text.isEmpty();
    title->setMaximumSize(QWIDGETSIZE_MAX, empty ? 0 : QWIDGETSIZE_MAX);
    title->setMargins(empty ? QMargins() : QMargins(2, 6, 2, 2));
    title->setVisible(!empty);
}

QString formatValue(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("\u2212Inf");
    return QString::number(value, 'g', 4);
}

QVBoxLayout* stackPlotAndReadout(QWidget* owner, QCustomPlot* plot, QLabel* readout)
{
    auto* layout = new QVBoxLayout(owner);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(plot, 1);
    layout->addWidget(readout);
    return layout;
}

void applyPlotWidgetTheme(QWidget* owner, QCustomPlot* plot, QCPItemText* hint, QLabel* readout, PlotTheme theme)
{
    applyTheme(plot, theme);
    applyThemePalette(owner, theme);
    const PlotPalette palette = plotPalette(theme);
    hint->setColor(palette.muted);
    QPalette readoutPalette = readout->palette();
    readoutPalette.setColor(QPalette::WindowText, palette.muted);
    readout->setPalette(readoutPalette);
}

QCustomPlot* createTitledPlot(QWidget* parent, QCPTextElement*& title)
{
    auto* plot = new QCustomPlot(parent);
    plot->setMouseTracking(true);
    plot->setMinimumSize(200, 110);
    title = new ElidedTitle(plot, QString(), titleFont());
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, title);
    setTitleText(title, QString());
    return plot;
}

QLabel* createReadoutLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    label->setFont(tickLabelFont());
    label->setContentsMargins(8, 0, 8, 4);
    return label;
}

} // namespace salience::widgets
