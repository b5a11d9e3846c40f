// The levels inside ggml blocks (quant/GgmlBlockLevels): for every grid type, rows quantized by
// ggml's own quantizer (random and the real stories260K weights, with and without importance)
// read out to levels and grids that decode exactly as dequantizeRow does, write back to the same
// bytes, and take any new levels in range with every scale and min left as it was.
#include "base/Error.h"
#include "io/GgmlDequant.h"
#include "model/Model.h"
#include "quant/GgmlBlockLevels.h"
#include "quant/GgmlQuantize.h"
#include "tensor/Random.h"

#include "InputErrorCheck.h"
#include "TestData.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <vector>

using namespace salience;

namespace {

const GgmlType kTypes[] = {GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q5_0, GgmlType::Q5_1,
                           GgmlType::Q8_0, GgmlType::Q2_K, GgmlType::Q3_K, GgmlType::Q4_K,
                           GgmlType::Q5_K, GgmlType::Q6_K, GgmlType::IQ4_NL};

struct RowSet {
    QString name;
    int64_t rows = 0;
    int64_t cols = 0;
    std::vector<float> values;
    std::vector<float> importance; // empty or cols values
};

std::vector<RowSet> randomSets()
{
    Rng rng(7);
    std::vector<RowSet> sets;
    RowSet normal{"normal", 6, 512, {}, {}};
    for (int64_t i = 0; i < normal.rows * normal.cols; ++i)
        normal.values.push_back(float(rng.normal() * 0.05));
    sets.push_back(normal);
    RowSet weighted = normal;
    weighted.name = "normal, importance";
    for (int64_t j = 0; j < weighted.cols; ++j)
        weighted.importance.push_back(float(std::exp(2.0 * rng.normal())));
    sets.push_back(weighted);
    RowSet heavy{"heavy tails with zeros", 4, 256, {}, {}};
    for (int64_t i = 0; i < heavy.rows * heavy.cols; ++i) {
        const double z = rng.normal();
        heavy.values.push_back(i % 37 == 0 ? 0.0f : float(z * z * z));
    }
    sets.push_back(heavy);
    RowSet positive{"positive", 2, 256, {}, {}};
    for (int64_t i = 0; i < positive.rows * positive.cols; ++i)
        positive.values.push_back(float(std::fabs(rng.normal())));
    sets.push_back(positive);
    return sets;
}

// Every linear weight of stories260K one after the other, in rows of 512, with an importance.
std::vector<RowSet> realSets()
{
    const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
    std::vector<float> all;
    for (const LinearLayer& layer : model.layers()) {
        const Matrix w = model.weight(layer);
        all.insert(all.end(), w.data(), w.data() + w.size());
    }
    RowSet real{"stories260K", int64_t(all.size()) / 512, 512, {}, {}};
    real.values.assign(all.begin(), all.begin() + real.rows * real.cols);
    RowSet weighted = real;
    weighted.name = "stories260K, importance";
    Rng rng(11);
    for (int64_t j = 0; j < weighted.cols; ++j)
        weighted.importance.push_back(float(rng.uniform() * 3.0 + 0.01));
    return {real, weighted};
}

bool sameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::vector<float> decodeRow(GgmlType type, const uint8_t* row, int64_t n)
{
    std::vector<float> out(static_cast<size_t>(n));
    dequantizeRow(type, row, out.data(), n);
    return out;
}

// Levels in range and their grid values bit-identical to dequantizeRow's.
void requireLevelsDecode(GgmlType type, const uint8_t* row, int64_t n, const GgmlRowLevels& r, const QString& what)
{
    const GgmlLevelFormat format = ggmlLevelFormat(type);
    const std::vector<float> decoded = decodeRow(type, row, n);
    for (int64_t i = 0; i < n; ++i) {
        const int level = r.levels[size_t(i)];
        QVERIFY2(level >= format.minLevel && level <= format.maxLevel, qPrintable(what));
        const float v = r.grids[size_t(i / format.subBlock)].value(level);
        if (!sameBits(v, decoded[size_t(i)]))
            QFAIL(qPrintable(QString("%1: value %2 is %3 on its grid, %4 decoded").arg(what).arg(i).arg(v).arg(
                decoded[size_t(i)])));
    }
}

void checkSet(GgmlType type, const RowSet& set, uint64_t seed)
{
    const QString what = QString::fromStdString(ggmlTypeName(type)) + " " + set.name;
    const std::vector<uint8_t> bytes =
        quantizeRows(type, set.values.data(), set.rows, set.cols, set.importance.empty() ? nullptr : set.importance.data());
    const size_t rowBytes = size_t(ggmlByteSize(type, set.cols));
    const GgmlLevelFormat format = ggmlLevelFormat(type);
    Rng rng(seed);
    for (int64_t r = 0; r < set.rows; ++r) {
        const uint8_t* row = bytes.data() + size_t(r) * rowBytes;
        const GgmlRowLevels levels = readGgmlLevels(type, row, set.cols);
        QCOMPARE(int64_t(levels.levels.size()), set.cols);
        QCOMPARE(int64_t(levels.grids.size()), set.cols / format.subBlock);
        requireLevelsDecode(type, row, set.cols, levels, what);

        // Written back unchanged: the same bytes.
        std::vector<uint8_t> copy(row, row + rowBytes);
        std::fill(copy.begin(), copy.end(), uint8_t(0)); // levels alone must not rebuild the scales
        std::copy(row, row + rowBytes, copy.begin());
        writeGgmlLevels(type, copy.data(), set.cols, levels.levels.data());
        QVERIFY2(std::memcmp(copy.data(), row, rowBytes) == 0, qPrintable(what + ": rewritten bytes differ"));

        // New levels anywhere in range: every scale and min stays, each value is a·l + b.
        std::vector<int16_t> fresh(size_t(set.cols));
        for (auto& l : fresh)
            l = int16_t(format.minLevel + int(rng.below(uint64_t(format.maxLevel - format.minLevel + 1))));
        fresh[0] = int16_t(format.minLevel);
        fresh[1] = int16_t(format.maxLevel);
        writeGgmlLevels(type, copy.data(), set.cols, fresh.data());
        const GgmlRowLevels after = readGgmlLevels(type, copy.data(), set.cols);
        QVERIFY2(after.levels == fresh, qPrintable(what + ": levels read back differ"));
        for (size_t g = 0; g < levels.grids.size(); ++g) {
            QVERIFY(sameBits(after.grids[g].a, levels.grids[g].a));
            QVERIFY(sameBits(after.grids[g].b, levels.grids[g].b));
            QCOMPARE(after.grids[g].hasB, levels.grids[g].hasB);
        }
        const std::vector<float> decoded = decodeRow(type, copy.data(), set.cols);
        for (int64_t i = 0; i < set.cols; ++i) {
            const GgmlLevelGrid& grid = levels.grids[size_t(i / format.subBlock)];
            const float expected = grid.lut ? grid.a * float(grid.lut[fresh[size_t(i)]])
                                            : grid.a * float(fresh[size_t(i)]) + grid.b;
            if (!(decoded[size_t(i)] == expected))
                QFAIL(qPrintable(QString("%1: new level %2 at %3 decodes to %4, a·l + b = %5")
                                     .arg(what).arg(fresh[size_t(i)]).arg(i).arg(decoded[size_t(i)]).arg(expected)));
        }
        // And back to the original levels: the original bytes.
        writeGgmlLevels(type, copy.data(), set.cols, levels.levels.data());
        QVERIFY2(std::memcmp(copy.data(), row, rowBytes) == 0, qPrintable(what + ": bytes after a round trip differ"));
    }
}

} // namespace

class TestGgmlLevels : public QObject {
    Q_OBJECT

private slots:
    void randomRowsRoundTrip()
    {
        uint64_t seed = 1;
        for (const RowSet& set : randomSets())
            for (GgmlType type : kTypes) {
                checkSet(type, set, seed++);
                if (QTest::currentTestFailed())
                    return;
            }
    }

    void realRowsRoundTrip()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        uint64_t seed = 100;
        for (const RowSet& set : realSets())
            for (GgmlType type : kTypes) {
                checkSet(type, set, seed++);
                if (QTest::currentTestFailed())
                    return;
            }
    }

    // nearest() picks a level no farther from w than any other level of the grid.
    void nearestIsNearest()
    {
        Rng rng(3);
        std::vector<float> values(512);
        for (auto& v : values)
            v = float(rng.normal());
        for (GgmlType type : kTypes) {
            const GgmlLevelFormat format = ggmlLevelFormat(type);
            const std::vector<uint8_t> bytes = quantizeRows(type, values.data(), 1, 512);
            const GgmlRowLevels r = readGgmlLevels(type, bytes.data(), 512);
            for (size_t g = 0; g < r.grids.size(); ++g) {
                const GgmlLevelGrid& grid = r.grids[g];
                for (int k = 0; k < 20; ++k) {
                    const double w = rng.normal() * 2.0;
                    const int l = grid.nearest(w, format.minLevel, format.maxLevel);
                    QVERIFY(l >= format.minLevel && l <= format.maxLevel);
                    const double e = std::abs(w - grid.value(l));
                    for (int other = format.minLevel; other <= format.maxLevel; ++other)
                        QVERIFY2(e <= std::abs(w - grid.value(other)), qPrintable(QString::fromStdString(ggmlTypeName(type))));
                }
                // The values of the plain quantizer's own levels are their own nearest.
                for (int64_t i = int64_t(g) * format.subBlock; i < int64_t(g + 1) * format.subBlock; ++i) {
                    const int l = r.levels[size_t(i)];
                    QCOMPARE(grid.value(grid.nearest(grid.value(l), format.minLevel, format.maxLevel)), grid.value(l));
                }
            }
        }
    }

    void badInput()
    {
        std::vector<float> values(256, 0.5f);
        const std::vector<uint8_t> bytes = quantizeRows(GgmlType::Q4_K, values.data(), 1, 256);
        VERIFY_INPUT_ERROR(readGgmlLevels(GgmlType::F16, bytes.data(), 256), "ggml levels", "F16");
        VERIFY_INPUT_ERROR(readGgmlLevels(GgmlType::Q4_K, bytes.data(), 128), "ggml levels", "128");
        VERIFY_INPUT_ERROR(ggmlLevelFormat(GgmlType::IQ2_XXS), "ggml levels", "IQ2_XXS");
        std::vector<int16_t> levels(256, 0);
        levels[17] = 16;
        std::vector<uint8_t> copy = bytes;
        VERIFY_INPUT_ERROR(writeGgmlLevels(GgmlType::Q4_K, copy.data(), 256, levels.data()), "ggml levels", "16");
        QVERIFY(copy == bytes); // nothing written
        levels[17] = -128;
        std::vector<uint8_t> q8 = quantizeRows(GgmlType::Q8_0, values.data(), 1, 256);
        VERIFY_INPUT_ERROR(writeGgmlLevels(GgmlType::Q8_0, q8.data(), 256, levels.data()), "ggml levels", "-128");
    }
};

QTEST_GUILESS_MAIN(TestGgmlLevels)
#include "test_ggmllevels.moc"
