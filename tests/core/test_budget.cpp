// Budget allocation: the greedy picks worked out by hand on two-layer models, the achieved
// average at or just below the target, monotone in the target, the plan it makes running to
// the same average, and the rank budget following Eckart–Young.
#include "base/Error.h"
#include "io/MemoryReader.h"
#include "linalg/Svd.h"
#include "demo/DemoModel.h"
#include "run/BudgetAllocation.h"
#include "quant/Metrics.h"
#include "quant/Rtn.h"
#include "quant/lowrank/Qer.h"
#include "run/Runner.h"

#include "InputErrorCheck.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>

using namespace salience;

namespace {

const char* kLayerA = "model.layers.0.self_attn.o_proj";
const char* kLayerB = "model.layers.0.mlp.down_proj";

Matrix gaussian(int64_t rows, int64_t cols, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> n(0.0f, 1.0f);
    Matrix m(rows, cols);
    for (int64_t i = 0; i < m.size(); ++i)
        m.data()[i] = n(rng);
    return m;
}

Matrix uniform(int64_t rows, int64_t cols, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    Matrix m(rows, cols);
    for (int64_t i = 0; i < m.size(); ++i)
        m.data()[i] = u(rng);
    return m;
}

// Every row holds the four values -0.5, 0, 0.5, 1 (each at least once): a 2-bit asymmetric
// per-channel grid (scale 0.5, zero point 1, both exact in float16) represents it exactly.
Matrix fourLevels(int64_t rows, int64_t cols)
{
    Matrix m(rows, cols);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            m(r, c) = -0.5f + 0.5f * float((r + c) % 4);
    return m;
}

Model twoLayers(const Matrix& a, const Matrix& b)
{
    auto reader = std::make_shared<MemoryReader>("two-layers");
    reader->add(std::string(kLayerA) + ".weight", a);
    reader->add(std::string(kLayerB) + ".weight", b);
    return Model::fromReader(reader, ArchConfig{});
}

Recipe perChannel(const std::string& method, int bits)
{
    Recipe r;
    r.method = method;
    r.bits = bits;
    r.groupSize = 0;
    return r;
}

// Asymmetric per channel with 64 inputs: b bits per weight, plus a 16-bit scale and a b-bit
// zero point per row of 64.
double perChannelBits(int b) { return b + (16.0 + b) / 64.0; }

const LayerAllocation& entry(const BudgetAllocation& a, const char* name)
{
    for (const auto& l : a.layers)
        if (l.layer == name)
            return l;
    throw std::runtime_error("no layer");
}

double rtnError(const Matrix& w, int bits)
{
    return relativeWeightError(w, quantizeRtn(w, perChannel("rtn", bits).grid()).dequantize());
}

} // namespace

class TestBudget : public QObject {
    Q_OBJECT
    DemoModel m_demo = makeDemoModel();

private slots:
    void anExactLayerGetsNoBitsWhileTheOtherCanUseThem()
    {
        const Model model = twoLayers(gaussian(16, 64, 1), fourLevels(16, 64));
        QCOMPARE(model.layers().size(), size_t(2));
        BitsAllocationOptions options;
        options.candidateBits = {8, 2, 4, 3, 4}; // sorted and deduplicated
        options.threads = 2;
        // Both layers have 1024 weights: the average is the mean of the two.
        const double allToA = (perChannelBits(8) + perChannelBits(2)) / 2;
        Progress p;
        const BudgetAllocation a = allocateBits(model, nullptr, perChannel("rtn", 4), allToA, options, p);
        QVERIFY(!a.outputError);
        const LayerAllocation& b = entry(a, kLayerB);
        QCOMPARE(b.candidates.size(), size_t(4));
        QCOMPARE(b.candidates[0].bits, 2);
        QCOMPARE(b.candidates[0].error, 0.0); // exact at 2 bits: more bits cannot help
        for (int i = 0; i < 4; ++i)
            QVERIFY(qAbs(b.candidates[size_t(i)].bitsPerWeight - perChannelBits(b.candidates[size_t(i)].bits)) < 1e-12);
        QCOMPARE(entry(a, kLayerA).bits, 8);
        QCOMPARE(b.bits, 2);
        QCOMPARE(a.steps, int64_t(3));
        QVERIFY(qAbs(a.achievedBitsPerWeight - allToA) < 1e-12);
        const double eA = entry(a, kLayerA).candidates[3].error;
        QVERIFY(qAbs(a.predictedError - eA / std::sqrt(2.0)) < 1e-12);

        // A little less: A's last step (4 → 8) no longer fits, and nothing else is taken.
        const BudgetAllocation less = allocateBits(model, nullptr, perChannel("rtn", 4), allToA - 0.01, options, p);
        QCOMPARE(entry(less, kLayerA).bits, 4);
        QCOMPARE(entry(less, kLayerB).bits, 2);
        QVERIFY(qAbs(less.achievedBitsPerWeight - (perChannelBits(4) + perChannelBits(2)) / 2) < 1e-12);
        QVERIFY(qAbs(less.nextStepBitsPerWeight - allToA) < 1e-12);
    }

    void theGreedyPicksTheBestReductionPerBit()
    {
        const Matrix wa = gaussian(16, 64, 7);
        const Matrix wb = uniform(16, 64, 8);
        const Model model = twoLayers(wa, wb);
        // By hand: the reduction of the squared relative error per added bit of each step.
        const double stepBits = perChannelBits(3) - perChannelBits(2); // = perChannelBits(4) - perChannelBits(3)
        const double a2 = rtnError(wa, 2), a3 = rtnError(wa, 3), a4 = rtnError(wa, 4);
        const double b2 = rtnError(wb, 2), b3 = rtnError(wb, 3), b4 = rtnError(wb, 4);
        const double gainA1 = (a2 * a2 - a3 * a3) / stepBits, gainB1 = (b2 * b2 - b3 * b3) / stepBits;
        const bool aFirst = gainA1 >= gainB1;
        // The second step: the other layer's first, or the first layer's second.
        const double secondOfFirst = aFirst ? (a3 * a3 - a4 * a4) / stepBits : (b3 * b3 - b4 * b4) / stepBits;
        const double firstOfOther = aFirst ? gainB1 : gainA1;
        const bool sameTwice = secondOfFirst > firstOfOther;

        BitsAllocationOptions options;
        options.candidateBits = {2, 3, 4};
        Progress p;
        const double oneStep = perChannelBits(2) + stepBits / 2;
        const BudgetAllocation one = allocateBits(model, nullptr, perChannel("rtn", 2), oneStep, options, p);
        QCOMPARE(one.steps, int64_t(1));
        QCOMPARE(entry(one, kLayerA).bits, aFirst ? 3 : 2);
        QCOMPARE(entry(one, kLayerB).bits, aFirst ? 2 : 3);
        QVERIFY(qAbs(entry(one, kLayerA).predictedError - (aFirst ? a3 : a2)) < 1e-12);

        const BudgetAllocation two = allocateBits(model, nullptr, perChannel("rtn", 2), oneStep + stepBits / 2, options, p);
        QCOMPARE(two.steps, int64_t(2));
        const int firstBits = sameTwice ? 4 : 3, otherBits = sameTwice ? 2 : 3;
        QCOMPARE(entry(two, kLayerA).bits, aFirst ? firstBits : otherBits);
        QCOMPARE(entry(two, kLayerB).bits, aFirst ? otherBits : firstBits);
    }

    void demoAllocationIsMonotoneAndWithinOneStep()
    {
        Recipe base;
        base.method = "rtn";
        base.groupSize = 64;
        BitsAllocationOptions options;
        std::vector<BudgetAllocation> allocations;
        for (double target : {2.5, 3.0, 3.5, 4.25, 5.0, 7.0, 9.0}) {
            Progress p;
            allocations.push_back(allocateBits(m_demo.model, &m_demo.activations, base, target, options, p));
            const BudgetAllocation& a = allocations.back();
            QVERIFY(a.outputError); // the demo has every layer's inputs
            QVERIFY2(a.achievedBitsPerWeight <= target + 1e-9, qPrintable(QString::number(a.achievedBitsPerWeight)));
            // Within one step: the largest single upgrade (in model-average bits) would cross the target.
            double params = 0, largestStep = 0;
            for (const auto& l : a.layers)
                params += double(l.parameters);
            for (const auto& l : a.layers)
                for (size_t c = 1; c < l.candidates.size(); ++c)
                    largestStep = std::max(largestStep, double(l.parameters) *
                                                            (l.candidates[c].bitsPerWeight - l.candidates[c - 1].bitsPerWeight) /
                                                            params);
            bool allAtTop = true;
            for (const auto& l : a.layers)
                allAtTop = allAtTop && l.bits == 8;
            if (!allAtTop) {
                QVERIFY(target - a.achievedBitsPerWeight < largestStep);
                QVERIFY(a.nextStepBitsPerWeight > target);
            }
            // The plan runs to exactly the allocation.
            const QuantPlan plan = toPlan(a, base);
            Progress rp;
            const RunResult run = runPlan(m_demo.model, plan, &m_demo.activations, {}, rp);
            QVERIFY(qAbs(run.summary.averageBitsPerWeight - a.achievedBitsPerWeight) < 1e-9);
            for (const auto& l : a.layers) {
                const LayerResult* r = run.find(l.layer);
                QVERIFY(r && r->quantized);
                QCOMPARE(r->recipe.bits, l.bits);
                QCOMPARE(*r->metrics.relativeOutputError, l.predictedError);
            }
        }
        QCOMPARE(allocations.back().layers.front().bits, 8); // 9 bits per weight: everything at the top
        for (size_t t = 1; t < allocations.size(); ++t)
            for (size_t i = 0; i < allocations[t].layers.size(); ++i)
                QVERIFY(allocations[t].layers[i].bits >= allocations[t - 1].layers[i].bits);
        for (size_t t = 1; t < allocations.size(); ++t)
            QVERIFY(allocations[t].predictedError <= allocations[t - 1].predictedError);
    }

    void thePlanSavesAndLoads()
    {
        Recipe base;
        base.bits = 4;
        Progress p;
        const BudgetAllocation a = allocateBits(m_demo.model, &m_demo.activations, base, 3.6, {}, p);
        QTemporaryDir dir;
        const std::string path = dir.filePath("plan.json").toStdString();
        toPlan(a, base).save(path);
        const QuantPlan loaded = QuantPlan::load(path);
        for (const auto& l : a.layers)
            QCOMPARE(loaded.recipeFor(m_demo.model.layer(l.layer)).bits, l.bits);
        loaded.validateAgainst(m_demo.model, "plan");
    }

    void rankGoesWhereTheErrorIs()
    {
        const Matrix wa = gaussian(16, 64, 3);
        const Model model = twoLayers(wa, fourLevels(16, 64));
        Recipe base = perChannel("qer", 2);
        Progress p;
        const BudgetAllocation a = allocateRank(model, nullptr, base, 5, {}, p);
        QCOMPARE(entry(a, kLayerA).rank, 5);
        QCOMPARE(entry(a, kLayerB).rank, 0);
        QCOMPARE(a.totalRank, int64_t(5));
        // Eckart–Young by hand: what the five largest singular values of W − Q leave.
        const Matrix q = quantizeRtn(wa, base.grid()).dequantize();
        const Eigen::VectorXd s = singularValues(MatrixD((wa - q).cast<double>()));
        double rest = 0;
        for (Eigen::Index i = 5; i < s.size(); ++i)
            rest += s(i) * s(i);
        const double predicted = std::sqrt(rest) / wa.cast<double>().norm();
        QVERIFY(qAbs(entry(a, kLayerA).predictedError - predicted) < 1e-9);
        // ...which is what QER at rank 5 achieves (up to its float16 factors).
        QerOptions qer;
        qer.rank = 5;
        const double measured = relativeWeightError(wa, quantizeQer(wa, base.grid(), qer, {}, p).dequantize());
        QVERIFY2(qAbs(measured - predicted) < 2e-3 * predicted, qPrintable(QString("%1 vs %2").arg(measured).arg(predicted)));
        QVERIFY(qAbs(entry(a, kLayerA).bitsPerWeight - (perChannelBits(2) + 16.0 * 5 * (16 + 64) / 1024.0)) < 1e-12);
        // Beyond the full rank of A, the rest is not spent.
        const BudgetAllocation all = allocateRank(model, nullptr, base, 100, {}, p);
        QCOMPARE(entry(all, kLayerA).rank, 16);
        QCOMPARE(all.totalRank, int64_t(16));
    }

    void demoRankAllocationIsGreedyOptimal()
    {
        Recipe base;
        base.method = "qer";
        base.bits = 3;
        Progress p;
        const BudgetAllocation a = allocateRank(m_demo.model, &m_demo.activations, base, 60, {}, p);
        QCOMPARE(a.totalRank, int64_t(60));
        // Optimality of the greedy for non-increasing gains: every unit given is worth at least
        // as much as any unit withheld.
        double smallestTaken = 1e300, largestLeft = 0;
        for (const auto& l : a.layers) {
            const double scale = double(l.parameters) / (l.weightNorm * l.weightNorm);
            if (l.rank > 0)
                smallestTaken = std::min(smallestTaken, scale * l.errorSpectrum[size_t(l.rank - 1)] *
                                                            l.errorSpectrum[size_t(l.rank - 1)]);
            if (size_t(l.rank) < l.errorSpectrum.size())
                largestLeft = std::max(largestLeft, scale * l.errorSpectrum[size_t(l.rank)] * l.errorSpectrum[size_t(l.rank)]);
        }
        QVERIFY(smallestTaken >= largestLeft);
        const QuantPlan plan = toPlan(a, base);
        for (const auto& l : a.layers)
            QCOMPARE(plan.recipeFor(m_demo.model.layer(l.layer)).rank, l.rank);
    }

    void badBudgetsAreInputErrors()
    {
        Progress p;
        Recipe rtn;
        VERIFY_INPUT_ERROR(allocateBits(m_demo.model, nullptr, rtn, 1.0, {}, p), std::string("budget"), "below");
        VERIFY_INPUT_ERROR(allocateBits(m_demo.model, nullptr, rtn, std::nan(""), {}, p), std::string("budget"),
                           "positive");
        BitsAllocationOptions nine;
        nine.candidateBits = {4, 9};
        VERIFY_INPUT_ERROR(allocateBits(m_demo.model, nullptr, rtn, 4, nine, p), std::string("budget"), "2..8");
        Recipe none;
        none.method = "none";
        VERIFY_INPUT_ERROR(allocateBits(m_demo.model, nullptr, none, 4, {}, p), std::string("budget"),
                           "full precision");
        Recipe gptq;
        gptq.method = "gptq";
        VERIFY_INPUT_ERROR(allocateBits(m_demo.model, nullptr, gptq, 4, {}, p), std::string("gptq"), "--acts");
        VERIFY_INPUT_ERROR(allocateRank(m_demo.model, nullptr, rtn, 8, {}, p), std::string("budget"), "no rank");
        Recipe qer;
        qer.method = "qer";
        VERIFY_INPUT_ERROR(allocateRank(m_demo.model, nullptr, qer, -1, {}, p), std::string("budget"), "negative");
    }
};

QTEST_GUILESS_MAIN(TestBudget)
#include "test_budget.moc"
