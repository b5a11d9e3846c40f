// Every grid-based method onto llama.cpp's block formats (a recipe with grid_type; RoundingTarget):
// the result's base is ggml's own blocks of the type, and each method's blocks are exactly ggml's
// quantizer applied to what the method defines it rounds (W·diag(s) under importance/s² for the
// scaling methods, W·Hᵀ unweighted for Hadamard, W with the protected weights zeroed, the residual
// for the low-rank methods). Methods that have no grid base are refused by name, and rows that are
// not whole blocks fall back as llama-quantize does.
#include "acts/ChannelStatsOps.h"
#include "base/Error.h"
#include "io/GgmlDequant.h"
#include "quant/Awq.h"
#include "quant/GgmlBlockLevels.h"
#include "quant/GgmlQuantize.h"
#include "quant/Gptq.h"
#include "quant/Hadamard.h"
#include "quant/Metrics.h"
#include "quant/MethodRegistry.h"
#include "quant/Protection.h"
#include "quant/QuantizeLayer.h"
#include "quant/Rtn.h"
#include "tensor/Half.h"

#include "InputErrorCheck.h"
#include "SyntheticInputs.h"

#include <QTest>

#include <cstring>

using namespace salience;
using testsupport::correlatedInputs;
using testsupport::gaussian;

namespace {

struct Layer {
    Matrix W;
    Matrix X;
    ChannelStats stats;
    LayerData data() const { return LayerData{&X, &stats, nullptr, 0}; }
};

Layer makeLayer(int64_t out, int64_t in, uint32_t seed)
{
    Layer l;
    l.W = gaussian(out, in, seed, 0.05f);
    for (int64_t c = 3; c < in; c += 61) // a few heavy columns, as real layers have
        l.W.col(c) *= 6.0f;
    l.X = correlatedInputs(768, in, seed + 10);
    l.stats = channelStatsOf(l.X);
    return l;
}

Recipe recipeFor(const std::string& method, GgmlType type)
{
    Recipe r;
    r.method = method;
    r.gridType = ggmlTypeName(type);
    if (method == "qer" || method == "srr")
        r.rank = 8;
    if (method == "protect")
        r.protectPercent = 1.0;
    return r;
}

QuantizedLinear run(const Layer& l, const Recipe& r)
{
    r.validate("test");
    Progress p;
    return quantizeLayer(l.W, r, l.data(), p);
}

Matrix scaledColumns(const Matrix& W, const std::vector<float>& s)
{
    Matrix out = W;
    for (int64_t j = 0; j < W.cols(); ++j)
        out.col(j) *= s[size_t(j)];
    return out;
}

std::vector<float> dividedBySquares(std::vector<float> importance, const std::vector<float>& s)
{
    for (size_t j = 0; j < importance.size(); ++j)
        importance[j] = float(double(importance[j]) / (double(s[j]) * double(s[j])));
    return importance;
}

std::vector<uint8_t> ggmlBytes(GgmlType type, const Matrix& m, const std::vector<float>* importance)
{
    return quantizeRows(type, m.data(), m.rows(), m.cols(), importance ? importance->data() : nullptr);
}

// The base is the type's blocks, holding `expected`, and bits count what ggml stores.
void requireGgmlBase(const QuantizedLinear& q, GgmlType type, const std::vector<uint8_t>& expected)
{
    QCOMPARE(int(q.base), int(QuantBase::Ggml));
    QCOMPARE(ggmlTypeName(q.ggmlType), ggmlTypeName(type));
    q.validate();
    QCOMPARE(q.ggmlBlocks.size(), expected.size());
    QVERIFY2(q.ggmlBlocks == expected, "the blocks are not ggml's quantizer's bytes of what the method rounds");
    const BitsBreakdown b = q.bits();
    QVERIFY(std::abs((b.codes + b.scales) / double(b.weights) - ggmlBitsPerWeight(type)) < 1e-12);
}

const GgmlType kTypes[] = {GgmlType::Q4_K, GgmlType::Q3_K, GgmlType::Q6_K, GgmlType::Q4_0, GgmlType::IQ4_NL};

} // namespace

class TestMethodsGgml : public QObject {
    Q_OBJECT

    Layer m_layer = makeLayer(48, 512, 7);

private slots:
    void typesData()
    {
        QTest::addColumn<int>("type");
        for (GgmlType t : kTypes)
            QTest::newRow(ggmlTypeName(t).c_str()) << int(t);
    }

    void smoothQuantRoundsTheScaledWeight_data() { typesData(); }
    void smoothQuantRoundsTheScaledWeight()
    {
        QFETCH(int, type);
        const GgmlType t = GgmlType(type);
        const QuantizedLinear q = run(m_layer, recipeFor("smoothquant", t));
        QCOMPARE(q.method, std::string("smoothquant"));
        QCOMPARE(q.inputScale.size(), size_t(512));
        const std::vector<float> importance = dividedBySquares(m_layer.stats.meanSquares(), q.inputScale);
        requireGgmlBase(q, t, ggmlBytes(t, scaledColumns(m_layer.W, q.inputScale), &importance));
        QCOMPARE(q.parameters.at("imatrix"), 1.0);
    }

    void awqNeverLosesToLlamaQuantize_data() { typesData(); }
    void awqNeverLosesToLlamaQuantize()
    {
        QFETCH(int, type);
        const GgmlType t = GgmlType(type);
        const QuantizedLinear q = run(m_layer, recipeFor("awq", t));
        const std::vector<float> importance = dividedBySquares(m_layer.stats.meanSquares(), q.inputScale);
        requireGgmlBase(q, t, ggmlBytes(t, scaledColumns(m_layer.W, q.inputScale), &importance));
        QCOMPARE(q.parameters.at("clip"), 0.0); // ggml searches its block scales itself
        QVERIFY(q.parameters.at("objective") <= q.parameters.at("rtn_objective"));

        // Ratio 0 is llama-quantize with the imatrix: AWQ's output error is never above it.
        const QuantizedLinear plain = run(m_layer, recipeFor("rtn", t));
        const std::vector<float> meanSquares = m_layer.stats.meanSquares();
        QVERIFY(plain.ggmlBlocks == ggmlBytes(t, m_layer.W, &meanSquares));
        const double awqError = relativeOutputError(m_layer.W, q.dequantize(), m_layer.X);
        const double rtnError = relativeOutputError(m_layer.W, plain.dequantize(), m_layer.X);
        QVERIFY2(awqError <= rtnError * (1 + 1e-9), qPrintable(QString("awq %1, rtn %2").arg(awqError).arg(rtnError)));
        if (q.parameters.at("ratio") > 0.0)
            QVERIFY(awqError < rtnError);
    }

    void hadamardRoundsTheRotatedWeightUnweighted_data() { typesData(); }
    void hadamardRoundsTheRotatedWeightUnweighted()
    {
        QFETCH(int, type);
        const GgmlType t = GgmlType(type);
        const QuantizedLinear q = run(m_layer, recipeFor("hadamard", t));
        QVERIFY(q.rotation.has_value());
        requireGgmlBase(q, t, ggmlBytes(t, rotateRows(m_layer.W, *q.rotation), nullptr));
        QCOMPARE(q.parameters.at("imatrix"), 0.0);
        // Ŵ = Q·H in original coordinates.
        const Matrix expected = unrotateRows(q.dequantizeCodes(), *q.rotation);
        QVERIFY((q.dequantize() - expected).cwiseAbs().maxCoeff() == 0.0f);
    }

    void protectionKeepsItsWeightsAndRoundsTheRest_data() { typesData(); }
    void protectionKeepsItsWeightsAndRoundsTheRest()
    {
        QFETCH(int, type);
        const GgmlType t = GgmlType(type);
        const QuantizedLinear q = run(m_layer, recipeFor("protect", t));
        const int64_t count = protectedCount(1.0, 48, 512);
        QCOMPARE(int64_t(q.sparse.size()), count);
        Matrix rest = m_layer.W;
        for (const SparseWeight& s : q.sparse)
            rest(s.row, s.col) = 0.0f;
        const std::vector<float> meanSquares = m_layer.stats.meanSquares();
        requireGgmlBase(q, t, ggmlBytes(t, rest, &meanSquares));
        const Matrix w = q.dequantize();
        for (const SparseWeight& s : q.sparse)
            QCOMPARE(w(s.row, s.col), roundToHalf(m_layer.W(s.row, s.col)));
        // The heavy columns are what the svd criterion protects first: the error drops.
        const QuantizedLinear plain = run(m_layer, recipeFor("rtn", t));
        QVERIFY(relativeWeightError(m_layer.W, w) < relativeWeightError(m_layer.W, plain.dequantize()));
    }

    void qerCorrectsLlamaQuantizesError_data() { typesData(); }
    void qerCorrectsLlamaQuantizesError()
    {
        QFETCH(int, type);
        const GgmlType t = GgmlType(type);
        const QuantizedLinear q = run(m_layer, recipeFor("qer", t));
        const std::vector<float> meanSquares = m_layer.stats.meanSquares();
        requireGgmlBase(q, t, ggmlBytes(t, m_layer.W, &meanSquares));
        QCOMPARE(q.rank(), int64_t(8));
        const double base = relativeWeightError(m_layer.W, q.dequantizeCodes());
        const double corrected = relativeWeightError(m_layer.W, q.dequantize());
        QVERIFY2(corrected < base, qPrintable(QString("%1 vs %2").arg(corrected).arg(base)));
    }

    void srrSearchIsNeverWorseThanQer_data() { typesData(); }
    void srrSearchIsNeverWorseThanQer()
    {
        QFETCH(int, type);
        const GgmlType t = GgmlType(type);
        Recipe srr = recipeFor("srr", t);
        srr.params["scaling"] = 0; // weight error, so both minimise the same thing
        srr.params["kmode"] = 1;   // search: k = 0 (QER) is a candidate
        const QuantizedLinear q = run(m_layer, srr);
        QCOMPARE(int(q.base), int(QuantBase::Ggml));
        QCOMPARE(ggmlTypeName(q.ggmlType), ggmlTypeName(t));
        q.validate();
        const QuantizedLinear qer = run(m_layer, recipeFor("qer", t));
        QVERIFY(relativeWeightError(m_layer.W, q.dequantize()) <= relativeWeightError(m_layer.W, qer.dequantize()) + 1e-12);
        if (q.parameters.at("k") == 0.0)
            QVERIFY(q.ggmlBlocks == qer.ggmlBlocks);
    }

    void sarqcGptqOntoGgml_data() { typesData(); }
    void sarqcGptqOntoGgml()
    {
        QFETCH(int, type);
        const GgmlType t = GgmlType(type);
        Recipe zero = recipeFor("sarqc-gptq", t);
        zero.params["lambda"] = 0.0;
        GptqOptions options;
        Progress p;
        const QuantizedLinear gptq = quantizeGptqGgml(m_layer.W, t, options, m_layer.data(), p);
        requireGgmlBase(run(m_layer, zero), t, gptq.ggmlBlocks); // λ = 0 is GPTQ onto the format

        const QuantizedLinear plain = run(m_layer, recipeFor("rtn", t));
        const QuantizedLinear q = run(m_layer, recipeFor("sarqc-gptq", t));
        QCOMPARE(int(q.base), int(QuantBase::Ggml));
        q.validate();
        QVERIFY(q.ggmlBlocks != gptq.ggmlBlocks); // the saliency term moved something
        QVERIFY(relativeOutputError(m_layer.W, q.dequantize(), m_layer.X) <
                relativeOutputError(m_layer.W, plain.dequantize(), m_layer.X));
        // With static grids only the levels move: every (sub-)block grid is the plain quantizer's
        // under the imatrix.
        Recipe fixed = recipeFor("sarqc-gptq", t);
        fixed.params["static_groups"] = 1.0;
        const QuantizedLinear s = run(m_layer, fixed);
        const size_t rowBytes = size_t(ggmlByteSize(t, 512));
        for (int64_t r = 0; r < 48; ++r) {
            const GgmlRowLevels a = readGgmlLevels(t, s.ggmlBlocks.data() + size_t(r) * rowBytes, 512);
            const GgmlRowLevels b = readGgmlLevels(t, plain.ggmlBlocks.data() + size_t(r) * rowBytes, 512);
            QCOMPARE(a.grids.size(), b.grids.size());
            for (size_t g = 0; g < a.grids.size(); ++g) {
                QVERIFY(std::memcmp(&a.grids[g].a, &b.grids[g].a, sizeof(float)) == 0);
                QVERIFY(std::memcmp(&a.grids[g].b, &b.grids[g].b, sizeof(float)) == 0);
            }
        }
        QVERIFY(relativeOutputError(m_layer.W, s.dequantize(), m_layer.X) <
                relativeOutputError(m_layer.W, plain.dequantize(), m_layer.X));
    }

    void sarqcAwqAtLambdaZeroIsAwq()
    {
        Recipe zero = recipeFor("sarqc-awq", GgmlType::Q4_K);
        zero.params["lambda"] = 0.0;
        const QuantizedLinear q = run(m_layer, zero);
        const QuantizedLinear awq = run(m_layer, recipeFor("awq", GgmlType::Q4_K));
        QVERIFY(q.ggmlBlocks == awq.ggmlBlocks);
        QVERIFY(q.inputScale == awq.inputScale);
        const QuantizedLinear salient = run(m_layer, recipeFor("sarqc-awq", GgmlType::Q4_K));
        QCOMPARE(int(salient.base), int(QuantBase::Ggml));
        salient.validate();
    }

    void methodsWithoutAGridAreRefusedByName()
    {
        for (const char* method : {"kmeans", "asvd", "prune-magnitude", "prune-wanda", "sparsegpt"}) {
            Recipe r;
            r.method = method;
            r.gridType = "Q4_K";
            if (std::string(method) == "asvd")
                r.rank = 4;
            VERIFY_INPUT_ERROR(r.validate("plan.json"), "plan.json", QString("method '%1'").arg(method));
        }
        for (const MethodInfo& m : methodRegistry()) {
            if (!m.quantizes)
                continue;
            Recipe r = recipeFor(m.name, GgmlType::Q4_K);
            bool accepted = true;
            try {
                r.validate("plan.json");
            } catch (const InputError&) {
                accepted = false;
            }
            QCOMPARE(accepted, m.ggmlGrids);
        }
    }

    void shortRowsFallBackAsLlamaQuantizeDoes()
    {
        // 96 columns: no Q4_K super-block, but whole 32-blocks (Q5_0); 100: no block at all (F16).
        const Layer l96 = makeLayer(16, 96, 3);
        const QuantizedLinear q = run(l96, recipeFor("awq", GgmlType::Q4_K));
        QCOMPARE(ggmlTypeName(q.ggmlType), std::string("Q5_0"));
        QCOMPARE(q.parameters.at("fallback"), 1.0);
        const Layer l100 = makeLayer(16, 100, 4);
        for (const char* method : {"smoothquant", "hadamard", "qer", "sarqc-gptq"}) {
            const QuantizedLinear d = run(l100, recipeFor(method, GgmlType::Q4_K));
            QCOMPARE(int(d.base), int(QuantBase::Dense));
            QCOMPARE(d.parameters.at("fallback"), 1.0);
            QCOMPARE(d.method, std::string(method));
        }
    }
};

QTEST_APPLESS_MAIN(TestMethodsGgml)
#include "test_methodsggml.moc"
