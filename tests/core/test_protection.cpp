// Saliency protection: the budget, the selection, the grid of the rest, the bits.
#include "InputErrorCheck.h"

#include "acts/ActivationStore.h"
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "quant/Metrics.h"
#include "quant/Protection.h"
#include "quant/Rtn.h"
#include "tensor/Half.h"

#include <QTest>

#include <cmath>
#include <set>
#include <span>
#include <utility>

using namespace salience;

namespace {

QuantGrid makeGrid(int bits, bool symmetric, Granularity g, int groupSize = 128)
{
    QuantGrid grid;
    grid.bits = bits;
    grid.symmetric = symmetric;
    grid.granularity = g;
    grid.groupSize = groupSize;
    return grid;
}

ProtectionOptions protection(double percent, SaliencyCriterion c)
{
    ProtectionOptions o;
    o.percent = percent;
    o.criterion = c;
    return o;
}

std::set<std::pair<int64_t, int64_t>> positionsOf(const QuantizedLinear& q)
{
    std::set<std::pair<int64_t, int64_t>> s;
    for (const auto& e : q.sparse)
        s.insert({e.row, e.col});
    return s;
}

const SaliencyCriterion kAll[] = {SaliencyCriterion::Svd, SaliencyCriterion::Awq, SaliencyCriterion::Spqr,
                                  SaliencyCriterion::Magnitude};

} // namespace

class TestProtection : public QObject {
    Q_OBJECT
private slots:
    void countIsTheFloorOfTheBudget()
    {
        QCOMPARE(protectedCount(0.0, 10, 10), int64_t(0));
        QCOMPARE(protectedCount(50.0, 2, 3), int64_t(3));
        QCOMPARE(protectedCount(49.0, 2, 3), int64_t(2)); // 2.94 → 2
        QCOMPARE(protectedCount(100.0, 7, 9), int64_t(63));
        QCOMPARE(protectedCount(1.0, 300, 1), int64_t(3));
        // 0.57·10000/100 is 56.99999999999999 in double: it still counts as 57.
        QCOMPARE(protectedCount(0.57, 100, 100), int64_t(57));
        VERIFY_INPUT_ERROR(protectedCount(-1.0, 2, 3), "protect", "[0, 100]");
        VERIFY_INPUT_ERROR(protectedCount(100.5, 2, 3), "protect", "[0, 100]");
        VERIFY_INPUT_ERROR(protectedCount(std::nan(""), 2, 3), "protect", "[0, 100]");
    }

    void topScoresBreakTiesByRowMajorIndex()
    {
        Matrix s(2, 3);
        s << 1, 5, 2, 3, 2, 3;
        std::vector<int64_t> top = topScoreIndices(s, 2);
        QCOMPARE(top, (std::vector<int64_t>{1, 3})); // 5, then the first of the two 3s
        top = topScoreIndices(s, 4);
        QCOMPARE(top, (std::vector<int64_t>{1, 2, 3, 5})); // ... both 3s, then the first 2
        QCOMPARE(topScoreIndices(s, 0).size(), size_t(0));
        QCOMPARE(topScoreIndices(s, 99).size(), size_t(6));
    }

    void zeroPercentIsRtnExactly()
    {
        const DemoModel demo = makeDemoModel();
        const Matrix w = demo.model.weight("model.layers.1.mlp.down_proj"); // 128 × 344: short last group
        const QuantGrid grids[] = {makeGrid(4, false, Granularity::PerGroup, 128),
                                   makeGrid(3, true, Granularity::PerGroup, 32),
                                   makeGrid(8, false, Granularity::PerChannel),
                                   makeGrid(2, true, Granularity::PerTensor)};
        for (const auto& grid : grids)
            for (auto c : {SaliencyCriterion::Svd, SaliencyCriterion::Magnitude}) {
                Progress progress;
                const QuantizedLinear q = quantizeProtected(w, grid, protection(0.0, c), {}, progress);
                const QuantizedLinear rtn = quantizeRtn(w, grid);
                QVERIFY(q.sparse.empty());
                QVERIFY(q.codes == rtn.codes);
                QVERIFY(q.scales == rtn.scales);
                QVERIFY(q.zeroPoints == rtn.zeroPoints);
                QVERIFY(q.dequantize() == rtn.dequantize());
                QCOMPARE(q.bitsPerWeight(), rtn.bitsPerWeight());
                QCOMPARE(q.method, std::string("protect"));
            }
    }

    void handCaseSelectsByTheCriterion()
    {
        Matrix w(2, 3);
        w << 0.1f, -5.0f, 0.2f, 3.0f, 0.3f, -3.0f;
        const QuantGrid grid = makeGrid(4, false, Granularity::PerChannel);
        Progress progress;
        // 50% of 6 = 3 by magnitude: −5, 3 and −3.
        QuantizedLinear q = quantizeProtected(w, grid, protection(50.0, SaliencyCriterion::Magnitude), {}, progress);
        QCOMPARE(q.sparse.size(), size_t(3));
        QCOMPARE(positionsOf(q), (std::set<std::pair<int64_t, int64_t>>{{0, 1}, {1, 0}, {1, 2}}));
        QCOMPARE(q.parameters.at("protected"), 3.0);
        // 40% of 6 = 2.4 → 2: −5 and, of the tie |3| = |−3|, the first in row-major order (1, 0).
        q = quantizeProtected(w, grid, protection(40.0, SaliencyCriterion::Magnitude), {}, progress);
        QCOMPARE(positionsOf(q), (std::set<std::pair<int64_t, int64_t>>{{0, 1}, {1, 0}}));

        // The awq criterion weighs by the channel norms: X with ‖X_0‖ = 100, ‖X_1‖ = ‖X_2‖ = 1
        // gives scores (10, 5, 0.2; 300, 0.3, 3): the top 3 are (1,0), (0,0) and (0,1).
        Matrix X(1, 3);
        X << 100, 1, 1;
        LayerData data;
        data.inputs = &X;
        q = quantizeProtected(w, grid, protection(50.0, SaliencyCriterion::Awq), data, progress);
        QCOMPARE(positionsOf(q), (std::set<std::pair<int64_t, int64_t>>{{0, 0}, {0, 1}, {1, 0}}));
    }

    void protectedWeightsLeaveTheGrid()
    {
        Matrix w(2, 3);
        w << 0.1f, -5.0f, 0.2f, 3.0f, 0.3f, -3.0f;
        const QuantGrid grid = makeGrid(4, false, Granularity::PerChannel);
        Progress progress;
        const QuantizedLinear q = quantizeProtected(w, grid, protection(50.0, SaliencyCriterion::Magnitude), {}, progress);
        // Row 0's grid comes from (0.1, 0.2) only, row 1's from (0.3) only.
        const float row0[] = {0.1f, 0.2f};
        const float row1[] = {0.3f};
        const GroupParams p0 = rtnGroupParams(std::span<const float>(row0, 2), grid);
        const GroupParams p1 = rtnGroupParams(std::span<const float>(row1, 1), grid);
        QCOMPARE(q.scales[0], p0.scale);
        QCOMPARE(q.zeroPoints[0], p0.zero);
        QCOMPARE(q.scales[1], p1.scale);
        QCOMPARE(q.zeroPoints[1], p1.zero);
        // By hand: lo = 0, hi = 0.2, scale = float16(0.2/15) (far below the 5/15 that −5 would force).
        QCOMPARE(q.scales[0], roundToHalf(float(0.2 / 15)));
        // Sparse values are the weights in float16; dequantize() gives them back there.
        const Matrix back = q.dequantize();
        for (const auto& e : q.sparse) {
            QCOMPARE(e.value, roundToHalf(w(e.row, e.col)));
            QCOMPARE(back(e.row, e.col), e.value);
        }
        QCOMPARE(back(0, 0), rtnDequant(rtnCode(0.1f, p0, grid.maxCode()), p0));
        QCOMPARE(back(1, 1), rtnDequant(rtnCode(0.3f, p1, grid.maxCode()), p1));
    }

    void fullyProtectedGroupGetsScaleOne()
    {
        Matrix w(2, 4);
        w << 9, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, -8, 7;
        // Groups of 2 columns; 3 of 8 protected by magnitude: 9, −8 and 7, so row 1's second
        // group (−8, 7) is fully protected.
        const QuantGrid asym = makeGrid(4, false, Granularity::PerGroup, 2);
        Progress progress;
        QuantizedLinear q = quantizeProtected(w, asym, protection(37.5, SaliencyCriterion::Magnitude), {}, progress);
        QCOMPARE(q.sparse.size(), size_t(3));
        QCOMPARE(q.scales[3], 1.0f);
        QCOMPARE(q.zeroPoints[3], 0);
        const QuantGrid sym = makeGrid(4, true, Granularity::PerGroup, 2);
        q = quantizeProtected(w, sym, protection(37.5, SaliencyCriterion::Magnitude), {}, progress);
        QCOMPARE(q.scales[3], 1.0f);
        QCOMPARE(q.zeroPoints[3], 8);
        const Matrix back = q.dequantize();
        QCOMPARE(back(1, 2), -8.0f);
        QCOMPARE(back(1, 3), 7.0f);
    }

    void bitsPerWeightByHand()
    {
        // 4 × 8, 4-bit asymmetric, groups of 4: 8 groups. 25% protected = 8 sparse entries.
        Matrix w(4, 8);
        for (int i = 0; i < 32; ++i)
            w.data()[i] = float((i * 7) % 11) - 5.0f;
        const QuantGrid grid = makeGrid(4, false, Granularity::PerGroup, 4);
        Progress progress;
        const QuantizedLinear q = quantizeProtected(w, grid, protection(25.0, SaliencyCriterion::Magnitude), {}, progress);
        QCOMPARE(q.sparse.size(), size_t(8));
        // codes 32·4 = 128, scales 8·16 = 128, zero points 8·4 = 32,
        // sparse 8·(16 + 16) = 256 plus row pointers 32·(4 + 1) = 160: 704 bits over 32 weights.
        const BitsBreakdown b = q.bits();
        QCOMPARE(b.codes, 128.0);
        QCOMPARE(b.scales, 128.0);
        QCOMPARE(b.zeroPoints, 32.0);
        QCOMPARE(b.sparse, 416.0);
        QCOMPARE(q.bitsPerWeight(), 22.0);
    }

    void protectionLowersTheErrorOnPlantedOutliers()
    {
        // Demo weights have heavy-tailed (Student-t) rows: their outliers stretch the grid.
        const DemoModel demo = makeDemoModel();
        const QuantGrid grid = makeGrid(3, false, Granularity::PerChannel);
        for (const char* name : {"model.layers.0.self_attn.q_proj", "model.layers.3.mlp.up_proj"}) {
            const Matrix w = demo.model.weight(name);
            LayerData data;
            data.inputs = &demo.activations.inputs(name);
            const double rtnError = relativeWeightError(w, quantizeRtn(w, grid).dequantize());
            for (auto c : kAll) {
                Progress progress;
                const QuantizedLinear q = quantizeProtected(w, grid, protection(1.0, c), data, progress);
                const double error = relativeWeightError(w, q.dequantize());
                QVERIFY2(error < rtnError, qPrintable(QString("%1 %2: %3 vs RTN %4")
                                                          .arg(name)
                                                          .arg(QString::fromStdString(saliencyCriterionName(c)))
                                                          .arg(error)
                                                          .arg(rtnError)));
            }
            // Magnitude protection targets exactly the outliers: the largest gain of all.
            Progress progress;
            const double magnitudeError = relativeWeightError(
                w, quantizeProtected(w, grid, protection(1.0, SaliencyCriterion::Magnitude), data, progress).dequantize());
            QVERIFY(magnitudeError < 0.8 * rtnError);
        }
    }

    void criteriaCompareAtEqualBudget()
    {
        const DemoModel demo = makeDemoModel();
        const QuantGrid grid = makeGrid(4, false, Granularity::PerGroup, 64);
        for (const char* name : {"model.layers.1.self_attn.k_proj", "model.layers.2.mlp.down_proj"}) {
            const Matrix w = demo.model.weight(name);
            LayerData data;
            data.inputs = &demo.activations.inputs(name);
            const int64_t expected = protectedCount(0.5, w.rows(), w.cols());
            QVERIFY(expected > 0);
            double bits = -1;
            std::set<std::set<std::pair<int64_t, int64_t>>> selections;
            for (auto c : kAll) {
                Progress progress;
                const QuantizedLinear q = quantizeProtected(w, grid, protection(0.5, c), data, progress);
                QCOMPARE(int64_t(q.sparse.size()), expected);
                if (bits < 0)
                    bits = q.bitsPerWeight();
                QCOMPARE(q.bitsPerWeight(), bits);
                selections.insert(positionsOf(q));
            }
            QVERIFY(selections.size() > 1); // the criteria do disagree about what matters
        }
    }

    void missingActivationsAreInputErrors()
    {
        const DemoModel demo = makeDemoModel();
        const Matrix w = demo.model.weight("model.layers.0.self_attn.v_proj");
        const QuantGrid grid = makeGrid(4, false, Granularity::PerGroup, 32);
        Progress progress;
        VERIFY_INPUT_ERROR(quantizeProtected(w, grid, protection(1.0, SaliencyCriterion::Awq), {}, progress),
                           "saliency (awq)", "activations");
        VERIFY_INPUT_ERROR(quantizeProtected(w, grid, protection(1.0, SaliencyCriterion::Spqr), {}, progress),
                           "saliency (spqr)", "inputs");
        VERIFY_INPUT_ERROR(quantizeProtected(w, grid, protection(120.0, SaliencyCriterion::Svd), {}, progress),
                           "protect", "[0, 100]");
        ProtectionOptions badRank = protection(1.0, SaliencyCriterion::Svd);
        badRank.saliency.svdRank = 0;
        VERIFY_INPUT_ERROR(quantizeProtected(w, grid, badRank, {}, progress), "protect", "svd rank");
    }

    void cancellation()
    {
        const DemoModel demo = makeDemoModel();
        const Matrix w = demo.model.weight("model.layers.0.mlp.gate_proj");
        const QuantGrid grid = makeGrid(4, false, Granularity::PerGroup, 32);
        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError,
                                 quantizeProtected(w, grid, protection(1.0, SaliencyCriterion::Svd), {}, cancelled));
        // Cancelled while it runs: at the first progress report after scoring starts.
        int reports = 0;
        Progress* self = nullptr;
        Progress watching([&](double, const std::string&) {
            if (++reports == 2)
                self->requestCancel();
        });
        self = &watching;
        QVERIFY_THROWS_EXCEPTION(CancelledError,
                                 quantizeProtected(w, grid, protection(1.0, SaliencyCriterion::Svd), {}, watching));
        QCOMPARE(reports, 2);
    }

    void recipeMapsItsFields()
    {
        const DemoModel demo = makeDemoModel();
        const Matrix w = demo.model.weight("model.layers.0.self_attn.o_proj");
        Recipe recipe;
        recipe.method = "protect";
        recipe.bits = 3;
        recipe.groupSize = 64;
        recipe.protectPercent = 2.0;
        recipe.params["criterion"] = 3; // magnitude
        Progress progress;
        const QuantizedLinear fromRecipe = quantizeProtectRecipe(w, recipe, {}, progress);
        const QuantizedLinear direct =
            quantizeProtected(w, recipe.grid(), protection(2.0, SaliencyCriterion::Magnitude), {}, progress);
        QVERIFY(fromRecipe.codes == direct.codes);
        QCOMPARE(positionsOf(fromRecipe), positionsOf(direct));
        QCOMPARE(fromRecipe.parameters.at("criterion"), 3.0);

        const MethodInfo info = protectMethodInfo();
        QCOMPARE(info.name, std::string("protect"));
        QVERIFY(info.usesProtection);
        QVERIFY(info.param("criterion") && info.param("criterion")->choices == saliencyCriterionNames());
        QCOMPARE(info.param("svd_rank")->defaultValue, 8.0);
        QCOMPARE(info.param("svd_rank")->maxValue, 4096.0);
    }
};

QTEST_GUILESS_MAIN(TestProtection)
#include "test_protection.moc"
