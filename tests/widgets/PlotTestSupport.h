#pragma once
// Shared by the plot widget suites: render a widget at the size it has on a projector, save
// it as PNG for a person to look at, and tell a blank picture from a drawn one.
#include "StoriesBin.h"

#include <QColor>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPixmap>
#include <QTest>
#include <QWidget>

#include "tensor/Tensor.h"

#include <cstdint>
#include <random>
#include <vector>

namespace plottest {

// Renders `widget` at 900 × 500 and saves it under <build>/widget-shots/<name>.png.
inline QImage renderToPng(QWidget& widget, const QString& name)
{
    widget.resize(900, 500);
    widget.show();
    QCoreApplication::processEvents();
    const QImage image = widget.grab().toImage();
    const QString dir = QDir(QString::fromUtf8(SALIENCE_BINARY_DIR)).filePath(QStringLiteral("widget-shots"));
    QDir().mkpath(dir);
    image.save(QDir(dir).filePath(name + QStringLiteral(".png")));
    return image;
}

// Pixels that differ from `background`.
inline int64_t pixelsUnlike(const QImage& image, const QColor& background)
{
    int64_t count = 0;
    const QRgb bg = background.rgb();
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if ((image.pixel(x, y) & 0xffffff) != (bg & 0xffffff))
                ++count;
    return count;
}

// A seeded Gaussian matrix, so every run sees the same data.
inline salience::Matrix gaussianMatrix(int64_t rows, int64_t cols, float sigma, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, sigma);
    salience::Matrix m(rows, cols);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            m(r, c) = normal(rng);
    return m;
}

// Weight [out, in] of layer 0 of stories260K read straight from the llama2.c file: w1 [172, 64].
inline salience::Matrix stories260KW1Layer0() { return testdata::storiesBinMatrix("w1", 0); }

} // namespace plottest
