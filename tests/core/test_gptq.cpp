// GPTQ: a case worked out by hand, exactness where H is diagonal, the output error against RTN
// on synthetic, demo and real (stories260K) layers, act-order and static-group storage,
// block-size invariance, agreement with the textbook column-by-column algorithm, the same result
// for any thread count, the guard's losses, determinism, cancellation and bad input.
#include "acts/Gram.h"
#include "base/Error.h"
#include "eval/Tokenizer.h"
#include "demo/DemoModel.h"
#include "model/Model.h"
#include "quant/Gptq.h"
#include "quant/GptqColumns.h"
#include "quant/Hessian.h"
#include "quant/Metrics.h"
#include "quant/Rtn.h"

#include "InputErrorCheck.h"
#include "SyntheticInputs.h"
#include "TestData.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <random>
#include <set>

using namespace salience;

namespace {

QuantGrid grid(int bits, bool symmetric, Granularity granularity, int groupSize = 128)
{
    return QuantGrid{bits, symmetric, granularity, groupSize};
}

using testsupport::gaussian;
using testsupport::correlatedInputs;

// Sylvester Hadamard matrix of order n (a power of two): ±1 entries, orthogonal columns.
Matrix hadamard(int64_t n)
{
    Matrix h = Matrix::Ones(1, 1);
    while (h.rows() < n) {
        Matrix next(2 * h.rows(), 2 * h.rows());
        next << h, h, h, -h;
        h = next;
    }
    return h;
}

QuantizedLinear gptq(const Matrix& W, const QuantGrid& g, const GptqOptions& o, const Matrix& X)
{
    Progress p;
    return quantizeGptq(W, g, o, LayerData{&X, nullptr, nullptr, 0}, p);
}

struct Config {
    int bits;
    bool symmetric;
    Granularity granularity;
    int groupSize;
    bool actOrder;
    bool staticGroups;
};

// Full: both symmetries, act-order and static groups. Short (for the 28 demo layers): the
// issue's 3 and 4 bits at g=32 and per channel, asymmetric, with and without act-order.
std::vector<Config> configs(bool full)
{
    std::vector<Config> c;
    if (!full) {
        for (int bits : {3, 4})
            for (bool act : {false, true}) {
                c.push_back({bits, false, Granularity::PerGroup, 32, act, false});
                c.push_back({bits, false, Granularity::PerChannel, 0, act, false});
            }
        return c;
    }
    for (int bits : {3, 4})
        for (bool sym : {false, true}) {
            c.push_back({bits, sym, Granularity::PerGroup, 32, false, false});
            c.push_back({bits, sym, Granularity::PerGroup, 32, true, false});
            c.push_back({bits, sym, Granularity::PerGroup, 32, true, true});
            c.push_back({bits, sym, Granularity::PerChannel, 0, false, false});
            c.push_back({bits, sym, Granularity::PerChannel, 0, true, false});
        }
    return c;
}

QString describe(const Config& c, const std::string& layer)
{
    return QStringLiteral("%1: %2 act_order=%3 static=%4")
        .arg(QString::fromStdString(layer), QString::fromStdString(grid(c.bits, c.symmetric, c.granularity, c.groupSize).describe()))
        .arg(c.actOrder)
        .arg(c.staticGroups);
}

// GPTQ's output error must not exceed RTN's (the acceptance rule), for every config.
// With guard = false this is pure GPTQ, which wins on well-conditioned layers by itself.
void requireNoWorseThanRtn(const Matrix& W, const Matrix& X, const std::string& layer, double* worstRatio = nullptr,
                           bool guard = true, bool full = true)
{
    for (const Config& c : configs(full)) {
        const QuantGrid g = grid(c.bits, c.symmetric, c.granularity, c.groupSize);
        GptqOptions o;
        o.actOrder = c.actOrder;
        o.staticGroups = c.staticGroups;
        o.rtnGuard = guard;
        const QuantizedLinear q = gptq(W, g, o, X);
        q.validate();
        const double eg = relativeOutputError(W, q.dequantize(), X);
        const double er = relativeOutputError(W, fakeQuantizeRtn(W, g), X);
        QVERIFY2(eg <= er, qPrintable(describe(c, layer) + QStringLiteral(": gptq %1 > rtn %2").arg(eg).arg(er)));
        if (worstRatio && er > 0)
            *worstRatio = std::max(*worstRatio, eg / er);
    }
}

// Ŵ rebuilt from the codes by the rules of QuantizedLinear.h, independently of dequantize().
Matrix dequantizeByHand(const QuantizedLinear& q)
{
    Matrix w(q.outFeatures, q.inFeatures);
    for (int64_t r = 0; r < q.outFeatures; ++r)
        for (int64_t i = 0; i < q.inFeatures; ++i) {
            const int64_t g = q.groupIndex(r, i);
            const int64_t column = q.permutation.empty() ? i : q.permutation[size_t(i)];
            w(r, column) = float(int(q.code(r, i)) - q.zeroPoints[size_t(g)]) * q.scales[size_t(g)];
        }
    return w;
}


// The textbook GPTQ: column by column in double, the feedback through U, the upper Cholesky
// factor of H⁻¹ (Hessian.h), w_j −= (w_p − q_p)/U_pp · U_pj for every later j. Dynamic groups take
// their parameters from the group's weights as they are when the loop reaches its first column.
// Storage as Gptq.h describes it. Everything the lazy, float32, row-parallel loop must reproduce.
QuantizedLinear textbookGptq(const Matrix& W, const QuantGrid& g, const MatrixD& H, bool actOrder, bool staticGroups)
{
    const int64_t out = W.rows(), in = W.cols();
    std::vector<int32_t> order(static_cast<size_t>(in));
    std::iota(order.begin(), order.end(), 0);
    if (actOrder)
        std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return H(a, a) > H(b, b); });
    MatrixD Hp(in, in);
    Eigen::MatrixXd w(out, in);
    for (int64_t a = 0; a < in; ++a) {
        w.col(a) = W.col(order[size_t(a)]).cast<double>();
        for (int64_t b = 0; b < in; ++b)
            Hp(a, b) = H(order[size_t(a)], order[size_t(b)]);
    }
    const MatrixD U = upperCholeskyOfInverse(Hp);
    const bool dynamic = g.granularity == Granularity::PerGroup && !staticGroups;
    const bool byPosition = actOrder && dynamic;
    QuantizedLinear q(out, in, g, "gptq");
    if (byPosition)
        q.permutation = order;
    if (!dynamic) {
        const QuantizedLinear upFront = quantizeRtn(W, g); // the same parameters, from the original weight
        q.scales = upFront.scales;
        q.zeroPoints = upFront.zeroPoints;
    }
    for (int64_t p = 0; p < in; ++p) {
        const int64_t column = byPosition ? p : order[size_t(p)];
        if (dynamic && p % g.groupSize == 0) {
            const int64_t end = std::min<int64_t>(p + g.groupSize, in);
            for (int64_t r = 0; r < out; ++r) {
                std::vector<float> values;
                for (int64_t c = p; c < end; ++c)
                    values.push_back(float(w(r, c)));
                const GroupParams params = rtnGroupParams(values, g);
                q.scales[size_t(q.groupIndex(r, p))] = params.scale;
                q.zeroPoints[size_t(q.groupIndex(r, p))] = params.zero;
            }
        }
        for (int64_t r = 0; r < out; ++r) {
            const int64_t index = q.groupIndex(r, column);
            const GroupParams params{q.scales[size_t(index)], q.zeroPoints[size_t(index)]};
            const uint8_t code = rtnCode(float(w(r, p)), params, g.maxCode());
            q.codes[size_t(r * in + column)] = code;
            const double err = (w(r, p) - double(rtnDequant(code, params))) / U(p, p);
            for (int64_t j = p + 1; j < in; ++j)
                w(r, j) -= err * U(p, j);
        }
    }
    return q;
}

} // namespace

class TestGptq : public QObject {
    Q_OBJECT
private slots:
    void twoColumnsByHand()
    {
        // W = [[0.18, 1.06], [1.875, 0]], 4-bit asymmetric per tensor: lo 0, hi 1.875,
        // scale 1.875/15 = 0.125 (exact in float16), zero 0.
        // H = [[2, 1], [1, 2]]: H⁻¹ = [[2, −1], [−1, 2]]/3, so the feedback to column 1 is
        //   w1 −= (w0 − q0)·H⁻¹01/H⁻¹00 = (w0 − q0)·(−1/2)·(−1) → w1 + (w0 − q0)/2.
        // Row 0: 0.18/0.125 = 1.44 → code 1, q0 = 0.125 (the first column is plain RTN);
        //        w1 = 1.06 + 0.055/2 = 1.0875 → 8.7 → code 9 (RTN alone: 8.48 → 8).
        // Row 1: 1.875 → code 15, no error; 0 → code 0.
        Matrix W(2, 2);
        W << 0.18f, 1.06f, 1.875f, 0.0f;
        const QuantGrid g = grid(4, false, Granularity::PerTensor);
        MatrixD H(2, 2);
        H << 2, 1, 1, 2;
        Progress p;
        GptqOptions o;
        o.damp = 0.0;
        const QuantizedLinear q = quantizeGptqWithHessian(W, g, o, H, p);
        QCOMPARE(q.method, std::string("gptq"));
        QCOMPARE(q.scales[0], 0.125f);
        QCOMPARE(q.zeroPoints[0], 0);
        QCOMPARE(q.codes, (std::vector<uint8_t>{1, 9, 15, 0}));
        QCOMPARE(quantizeRtn(W, g).codes, (std::vector<uint8_t>{1, 8, 15, 0}));

        // The same feedback from the numeric inverse, for the record: −err·H⁻¹01/H⁻¹00.
        const MatrixD inverse = H.inverse();
        const double err = 0.18f - 0.125;
        const double w1 = 1.06f - err * inverse(0, 1) / inverse(0, 0);
        QCOMPARE(q.codes[1], uint8_t(roundHalfEven(w1 / 0.125)));

        // Through the layer's inputs: X = [[1, 1], [1, 0], [0, 1]] has XᵀX = [[2, 1], [1, 2]],
        // H = 2·XᵀX/3 has the same ratio H⁻¹01/H⁻¹00, so the same codes.
        Matrix X(3, 2);
        X << 1, 1, 1, 0, 0, 1;
        const QuantizedLinear viaInputs = quantizeGptq(W, g, o, LayerData{&X, nullptr, nullptr, 0}, p);
        QCOMPARE(viaInputs.codes, q.codes);
        QCOMPARE(viaInputs.parameters.at("damp"), 0.0);
        QCOMPARE(viaInputs.parameters.at("block"), 128.0);
    }

    void diagonalHessianEqualsRtnExactly()
    {
        // X = Hadamard(16)·diag(c): orthogonal columns, so XᵀX = 16·diag(c²) and H is diagonal:
        // no error is fed anywhere and GPTQ must be RTN bit for bit.
        const int64_t in = 16;
        Matrix X = hadamard(in);
        for (int64_t j = 0; j < in; ++j)
            X.col(j) *= float(1 + j % 5);
        const Matrix W = gaussian(6, in, 7);
        for (const QuantGrid& g : {grid(4, false, Granularity::PerGroup, 4), grid(3, true, Granularity::PerGroup, 5),
                                   grid(4, true, Granularity::PerChannel), grid(3, false, Granularity::PerTensor)}) {
            const QuantizedLinear r = quantizeRtn(W, g);
            const QuantizedLinear q = gptq(W, g, GptqOptions{}, X);
            QCOMPARE(q.codes, r.codes);
            QCOMPARE(q.scales, r.scales);
            QCOMPARE(q.zeroPoints, r.zeroPoints);
            QVERIFY(q.permutation.empty());
            // Act-order changes the processing order only; per channel / per tensor there is
            // nothing for the order to change, and the codes stay in original columns.
            if (g.granularity != Granularity::PerGroup) {
                GptqOptions o;
                o.actOrder = true;
                const QuantizedLinear a = gptq(W, g, o, X);
                QVERIFY(a.permutation.empty());
                QCOMPARE(a.codes, r.codes);
                QCOMPARE(a.dequantize(), r.dequantize());
            }
        }
    }

    void noWorseThanRtnOnCorrelatedInputs()
    {
        const Matrix X = correlatedInputs(256, 96, 11);
        const Matrix W = gaussian(48, 96, 12, 0.05f);
        double worst = 0;
        requireNoWorseThanRtn(W, X, "synthetic", &worst, false);
        // On strongly correlated inputs GPTQ alone should win clearly, not by a hair.
        QVERIFY2(worst < 0.9, qPrintable(QString::number(worst)));
        requireNoWorseThanRtn(W, X, "synthetic");
    }

    void noWorseThanRtnOnDemoModel()
    {
        const DemoModel demo = makeDemoModel();
        int layers = 0;
        for (const std::string& name : demo.activations.layerNames()) {
            if (!demo.activations.hasInputs(name) || !demo.model.findLayer(name))
                continue;
            requireNoWorseThanRtn(demo.model.weight(name), demo.activations.inputs(name), name, nullptr, true, false);
            ++layers;
        }
        QVERIFY(layers >= 7);
    }

    void noWorseThanRtnOnStories260K()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("stories260K/tok512.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        const Tokenizer tokenizer = Tokenizer::fromLlama2cFile(testdata::path("stories260K/tok512.bin"));
        std::ifstream in(testdata::path("text/tinystories_valid_head.txt"), std::ios::binary);
        std::string text(6000, '\0');
        in.read(text.data(), std::streamsize(text.size()));
        text.resize(size_t(in.gcount()));
        const std::vector<int32_t> tokens = tokenizer.encode(text, true);
        QVERIFY(tokens.size() > 500);

        // Block 0's attention input: RMSNorm(embedding)·g, eps 1e-5 (config).
        const Matrix embedding = model.canonicalTensor("model.embed_tokens").toMatrix();
        const Matrix norm = model.canonicalTensor("model.layers.0.input_layernorm").toMatrix();
        const int64_t dim = embedding.cols();
        QCOMPARE(norm.size(), Eigen::Index(dim));
        Matrix X(int64_t(tokens.size()), dim);
        for (size_t t = 0; t < tokens.size(); ++t) {
            const Eigen::VectorXd e = embedding.row(tokens[t]).cast<double>();
            const double rms = std::sqrt(e.squaredNorm() / double(dim) + model.config().rmsNormEps);
            for (int64_t j = 0; j < dim; ++j)
                X(int64_t(t), j) = float(e(j) / rms * norm(0, j));
        }
        for (const char* name : {"model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.k_proj",
                                 "model.layers.0.self_attn.v_proj"}) {
            const Matrix W = model.weight(name);
            QCOMPARE(W.cols(), Eigen::Index(dim));
            // 1000+ tokens for 64 features: H is well conditioned and GPTQ wins without help.
            double worst = 0;
            requireNoWorseThanRtn(W, X, name, &worst, false);
            QVERIFY2(worst < 1.0, name);
            requireNoWorseThanRtn(W, X, name);
        }
    }

    void guardKeepsRtnWhereGptqLoses()
    {
        // The demo's block-1 o_proj has 64 tokens for 128 features: H is singular but for the
        // damping, and at 3 bits per channel one row's feedback runs far outside its grid.
        // Pure GPTQ then loses to RTN (relative output error 0.2011 vs 0.1888; an independent
        // numpy transcription of GPTQ gives the same codes), so the guard must step in.
        const DemoModel demo = makeDemoModel();
        const std::string name = "model.layers.1.self_attn.o_proj";
        const Matrix W = demo.model.weight(name);
        const Matrix& X = demo.activations.inputs(name);
        const QuantGrid g = grid(3, false, Granularity::PerChannel);
        GptqOptions o;
        o.rtnGuard = false;
        const QuantizedLinear pure = gptq(W, g, o, X);
        o.rtnGuard = true;
        const QuantizedLinear guarded = gptq(W, g, o, X);
        const QuantizedLinear rtn = quantizeRtn(W, g);
        const double ePure = relativeOutputError(W, pure.dequantize(), X);
        const double eGuarded = relativeOutputError(W, guarded.dequantize(), X);
        const double eRtn = relativeOutputError(W, rtn.dequantize(), X);
        QVERIFY(ePure > eRtn);
        QVERIFY(eGuarded < eRtn);
        QVERIFY(eGuarded < ePure);
        QCOMPARE(pure.parameters.at("rtn_rows"), 0.0);
        const int64_t kept = int64_t(guarded.parameters.at("rtn_rows"));
        QVERIFY(kept >= 1 && kept < W.rows());
        // Every row is either GPTQ's or RTN's, codes and scale together.
        int64_t rtnRows = 0;
        for (int64_t r = 0; r < W.rows(); ++r) {
            const auto row = [&](const QuantizedLinear& q) {
                return std::vector<uint8_t>(q.codes.begin() + r * W.cols(), q.codes.begin() + (r + 1) * W.cols());
            };
            const bool isRtn = row(guarded) == row(rtn) && guarded.scales[size_t(r)] == rtn.scales[size_t(r)];
            const bool isGptq = row(guarded) == row(pure) && guarded.scales[size_t(r)] == pure.scales[size_t(r)];
            QVERIFY(isRtn || isGptq);
            rtnRows += isRtn && !isGptq;
        }
        QCOMPARE(rtnRows, kept);
    }

    void actOrderPermutationAndDequantize()
    {
        const Matrix X = correlatedInputs(200, 64, 21);
        const Matrix W = gaussian(10, 64, 22, 0.1f);
        GptqOptions o;
        o.actOrder = true;
        const QuantGrid g = grid(4, false, Granularity::PerGroup, 16);
        const QuantizedLinear q = gptq(W, g, o, X);
        QCOMPARE(q.permutation.size(), size_t(64));
        std::set<int32_t> seen(q.permutation.begin(), q.permutation.end());
        QCOMPARE(seen.size(), size_t(64));
        QCOMPARE(*seen.begin(), 0);
        QCOMPARE(*seen.rbegin(), 63);
        // Descending diag(H) = 2·‖X_j‖²/n (+ the same damping for all).
        const MatrixD G = gram(X);
        for (size_t i = 1; i < 64; ++i)
            QVERIFY(G(q.permutation[i - 1], q.permutation[i - 1]) >= G(q.permutation[i], q.permutation[i]));
        QCOMPARE(q.dequantize(), dequantizeByHand(q));
        QCOMPARE(q.bits().permutation, 64.0 * 32.0);
        // The first group (positions 0..15) gets its parameters before any feedback reaches it:
        // RTN of those original columns.
        Matrix firstGroup(10, 16);
        for (int i = 0; i < 16; ++i)
            firstGroup.col(i) = W.col(q.permutation[size_t(i)]);
        const QuantizedLinear r = quantizeRtn(firstGroup, g);
        for (int64_t row = 0; row < 10; ++row) {
            QCOMPARE(q.scales[size_t(q.groupIndex(row, 0))], r.scales[size_t(row)]);
            QCOMPARE(q.zeroPoints[size_t(q.groupIndex(row, 0))], r.zeroPoints[size_t(row)]);
        }
    }

    void staticGroupsKeepOriginalColumns()
    {
        // Static groups: parameters from the original W over consecutive ORIGINAL columns,
        // which are RTN's parameters; codes stay in original coordinates (no permutation).
        const Matrix X = correlatedInputs(200, 64, 31);
        const Matrix W = gaussian(10, 64, 32, 0.1f);
        const QuantGrid g = grid(3, true, Granularity::PerGroup, 16);
        for (bool actOrder : {false, true}) {
            GptqOptions o;
            o.actOrder = actOrder;
            o.staticGroups = true;
            const QuantizedLinear q = gptq(W, g, o, X);
            const QuantizedLinear r = quantizeRtn(W, g);
            QVERIFY(q.permutation.empty());
            QCOMPARE(q.scales, r.scales);
            QCOMPARE(q.zeroPoints, r.zeroPoints);
            QCOMPARE(q.dequantize(), dequantizeByHand(q));
            QCOMPARE(q.bits().total(), r.bits().total());
            QCOMPARE(q.parameters.at("act_order"), actOrder ? 1.0 : 0.0);
            QCOMPARE(q.parameters.at("static_groups"), 1.0);
        }
    }

    void deadColumnsAreZeroed()
    {
        Matrix X = correlatedInputs(100, 32, 41);
        X.col(5).setZero();
        X.col(20).setZero();
        const Matrix W = gaussian(8, 32, 42);
        for (bool actOrder : {false, true}) {
            GptqOptions o;
            o.actOrder = actOrder;
            const Matrix w = gptq(W, grid(4, false, Granularity::PerGroup, 8), o, X).dequantize();
            QVERIFY(w.col(5).isZero(0));
            QVERIFY(w.col(20).isZero(0));
            QVERIFY(!w.col(6).isZero(0));
        }
    }

    void blockSizeChangesOnlyRounding()
    {
        // Lazy blocks reorder the same sums: blocks of 1 (plain column by column), 7 (groups of
        // 16 straddle blocks), 128 must give the same codes up to rare floating-point ties.
        const Matrix X = correlatedInputs(300, 80, 51);
        const Matrix W = gaussian(40, 80, 52, 0.1f);
        for (const QuantGrid& g : {grid(3, false, Granularity::PerGroup, 16), grid(4, true, Granularity::PerChannel)}) {
            GptqOptions o;
            o.blockSize = 1;
            const QuantizedLinear a = gptq(W, g, o, X);
            for (int64_t block : {7, 128}) {
                o.blockSize = block;
                const QuantizedLinear b = gptq(W, g, o, X);
                int64_t differentCodes = 0, differentScales = 0;
                for (size_t i = 0; i < a.codes.size(); ++i)
                    differentCodes += a.codes[i] != b.codes[i];
                for (size_t i = 0; i < a.scales.size(); ++i)
                    differentScales += a.scales[i] != b.scales[i];
                QVERIFY2(differentCodes <= int64_t(a.codes.size() / 500), qPrintable(QString::number(differentCodes)));
                QVERIFY2(differentScales <= int64_t(a.scales.size() / 100), qPrintable(QString::number(differentScales)));
            }
        }
    }

    void matchesTheTextbookAlgorithm()
    {
        // 230 columns (more than one panel of the factorization), lazy blocks of 24 so groups of
        // 32 straddle them, 150 rows (several row slabs).
        const Matrix X = correlatedInputs(400, 230, 111);
        const Matrix W = gaussian(150, 230, 112, 0.05f);
        const MatrixD H = layerHessian(LayerData{&X, nullptr, nullptr, 0}, 230, 0.01);
        struct Case {
            QuantGrid g;
            bool actOrder;
            bool staticGroups;
        };
        for (const Case& c : {Case{grid(4, false, Granularity::PerGroup, 32), false, false},
                              Case{grid(3, false, Granularity::PerGroup, 32), true, false},
                              Case{grid(4, true, Granularity::PerGroup, 32), true, true},
                              Case{grid(3, true, Granularity::PerChannel), true, false},
                              Case{grid(4, false, Granularity::PerTensor), false, false}}) {
            GptqOptions o;
            o.blockSize = 24;
            o.actOrder = c.actOrder;
            o.staticGroups = c.staticGroups;
            o.rtnGuard = false;
            Progress p;
            const QuantizedLinear fast = quantizeGptqWithHessian(W, c.g, o, H, p);
            const QuantizedLinear textbook = textbookGptq(W, c.g, H, c.actOrder, c.staticGroups);
            const QString what = QString::fromStdString(c.g.describe()) + QStringLiteral(" act_order=%1").arg(c.actOrder);
            QCOMPARE(fast.permutation, textbook.permutation);
            // The same codes up to rare ties that float32 and the lazy order break differently
            // (and what follows from them in the row).
            int64_t differentCodes = 0, differentScales = 0;
            for (size_t i = 0; i < fast.codes.size(); ++i)
                differentCodes += fast.codes[i] != textbook.codes[i];
            for (size_t i = 0; i < fast.scales.size(); ++i)
                differentScales += fast.scales[i] != textbook.scales[i];
            QVERIFY2(differentCodes <= int64_t(fast.codes.size() / 200), qPrintable(what + QStringLiteral(": ") + QString::number(differentCodes)));
            QVERIFY2(differentScales <= int64_t(fast.scales.size() / 50), qPrintable(what + QStringLiteral(": ") + QString::number(differentScales)));
            const double ef = relativeOutputError(W, fast.dequantize(), X);
            const double et = relativeOutputError(W, textbook.dequantize(), X);
            QVERIFY2(std::abs(ef - et) <= 0.005 * et, qPrintable(what + QStringLiteral(": %1 vs %2").arg(ef).arg(et)));
        }
    }

    void sameResultForAnyThreadCount()
    {
        // 200 rows: four slabs of the column loop; a ggml grid set anew per block as well.
        const Matrix X = correlatedInputs(300, 256, 121);
        const Matrix W = gaussian(200, 256, 122, 0.05f);
        const LayerData data{&X, nullptr, nullptr, 0};
        GptqOptions o;
        o.blockSize = 48;
        Progress p;
        o.threads = 1;
        const QuantizedLinear one = quantizeGptq(W, grid(4, false, Granularity::PerGroup, 32), o, data, p);
        const QuantizedLinear ggmlOne = quantizeGptqGgml(W, GgmlType::Q4_K, o, data, p);
        for (int threads : {2, 3}) {
            o.threads = threads;
            const QuantizedLinear q = quantizeGptq(W, grid(4, false, Granularity::PerGroup, 32), o, data, p);
            QCOMPARE(q.codes, one.codes);
            QCOMPARE(q.scales, one.scales);
            QCOMPARE(q.zeroPoints, one.zeroPoints);
            QCOMPARE(q.parameters, one.parameters);
            QCOMPARE(quantizeGptqGgml(W, GgmlType::Q4_K, o, data, p).ggmlBlocks, ggmlOne.ggmlBlocks);
        }
    }

    void lossesMatchTheirDefinition()
    {
        // The guard's losses come from the factor: the loop's Σ Err² and rowLosses' ‖ẽ·R‖² − shift·‖ẽ‖²
        // must be e·L·eᵀ for L = H − shift·I on live columns (dead ones ignored).
        Matrix X = correlatedInputs(200, 90, 131);
        X.col(7).setZero(); // dead
        const Matrix W = gaussian(70, 90, 132, 0.05f);
        const LayerData data{&X, nullptr, nullptr, 0};
        HessianColumns columns;
        const MatrixD H = layerHessian(data, 90, 0.01, &columns);
        QVERIFY(columns.dead[7] && !columns.dead[6]);
        const Eigen::MatrixXd L = 2.0 * gram(X) / 200.0; // zero row and column 7
        Progress p;
        ColumnProblem s = columnProblem(W, H, true, columns.dead, columns.damp, 0, p);
        Matrix rounded(70, 90);
        const auto none = [](RowSlab, int64_t, int64_t, int64_t, int64_t, const std::vector<float>&) {};
        const auto roundWeight = [&](int64_t r, int64_t position, float w) {
            const float q = std::round(w * 20.0f) / 20.0f;
            rounded(r, s.order[size_t(position)]) = q;
            return q;
        };
        columnLoop(s, 16, 0, p, none, roundWeight);
        Eigen::MatrixXd E = (W - rounded).cast<double>();
        E.col(7).setZero();
        const Eigen::VectorXd direct = ((E * L).array() * E.array()).rowwise().sum();
        const std::vector<double> viaFactor = rowLosses(s, W, rounded, 0);
        for (int64_t r = 0; r < 70; ++r) {
            const double loop = s.energy[size_t(r)] - s.lossShift * s.squares[size_t(r)];
            QVERIFY2(std::abs(loop - direct(r)) <= 1e-4 * direct(r), qPrintable(QString::number(r)));
            QVERIFY2(std::abs(viaFactor[size_t(r)] - direct(r)) <= 1e-4 * direct(r), qPrintable(QString::number(r)));
        }
        // Another approximation, which the loop never saw: RTN's.
        const Matrix rtn = fakeQuantizeRtn(W, grid(3, false, Granularity::PerChannel));
        Eigen::MatrixXd F = (W - rtn).cast<double>();
        F.col(7).setZero();
        const Eigen::VectorXd directRtn = ((F * L).array() * F.array()).rowwise().sum();
        const std::vector<double> rtnViaFactor = rowLosses(s, W, rtn, 0);
        for (int64_t r = 0; r < 70; ++r)
            QVERIFY(std::abs(rtnViaFactor[size_t(r)] - directRtn(r)) <= 1e-4 * directRtn(r));
    }

    void gramGivesTheSameAsInputs()
    {
        const Matrix X = correlatedInputs(120, 40, 61);
        const Matrix W = gaussian(12, 40, 62, 0.1f);
        const MatrixD G = gram(X);
        const QuantGrid g = grid(4, false, Granularity::PerGroup, 8);
        Progress p;
        const QuantizedLinear a = quantizeGptq(W, g, GptqOptions{}, LayerData{&X, nullptr, nullptr, 0}, p);
        const QuantizedLinear b = quantizeGptq(W, g, GptqOptions{}, LayerData{nullptr, nullptr, &G, 120}, p);
        QCOMPARE(a.codes, b.codes);
        QCOMPARE(a.scales, b.scales);
    }

    void deterministic()
    {
        const Matrix X = correlatedInputs(150, 48, 71);
        const Matrix W = gaussian(16, 48, 72, 0.1f);
        GptqOptions o;
        o.actOrder = true;
        o.blockSize = 16;
        const QuantGrid g = grid(3, false, Granularity::PerGroup, 12);
        const QuantizedLinear a = gptq(W, g, o, X), b = gptq(W, g, o, X);
        QCOMPARE(a.codes, b.codes);
        QCOMPARE(a.scales, b.scales);
        QCOMPARE(a.zeroPoints, b.zeroPoints);
        QCOMPARE(a.permutation, b.permutation);
    }

    void progressAndCancellation()
    {
        const Matrix X = correlatedInputs(100, 64, 81);
        const Matrix W = gaussian(8, 64, 82);
        GptqOptions o;
        o.blockSize = 8;
        const LayerData data{&X, nullptr, nullptr, 0};
        {
            Progress cancelled;
            cancelled.requestCancel();
            QVERIFY_THROWS_EXCEPTION(CancelledError, quantizeGptq(W, grid(4, false, Granularity::PerGroup, 16), o, data, cancelled));
        }
        {
            // Cancel half way: the next block check throws.
            Progress* self = nullptr;
            double last = 0;
            Progress p([&](double f, const std::string&) {
                last = f;
                if (f >= 0.5 && self)
                    self->requestCancel();
            });
            self = &p;
            QVERIFY_THROWS_EXCEPTION(CancelledError, quantizeGptq(W, grid(4, false, Granularity::PerGroup, 16), o, data, p));
            QVERIFY(last >= 0.5 && last < 1.0);
        }
        {
            Progress p;
            quantizeGptq(W, grid(4, false, Granularity::PerGroup, 16), o, data, p);
            QCOMPARE(p.fraction(), 1.0);
        }
    }

    void badInput()
    {
        const Matrix W = gaussian(4, 8, 91);
        const Matrix X = gaussian(20, 8, 92);
        const Matrix narrow = gaussian(20, 6, 93);
        const QuantGrid g = grid(4, false, Granularity::PerGroup, 4);
        Progress p;
        VERIFY_INPUT_ERROR(quantizeGptq(W, g, {}, LayerData{}, p), "gptq", "no inputs");
        const ChannelStats stats;
        VERIFY_INPUT_ERROR(quantizeGptq(W, g, {}, LayerData{nullptr, &stats, nullptr, 0}, p), "gptq", "no inputs");
        VERIFY_INPUT_ERROR(quantizeGptq(W, g, {}, LayerData{&narrow, nullptr, nullptr, 0}, p), "gptq", "6");
        const MatrixD G = gram(narrow);
        VERIFY_INPUT_ERROR(quantizeGptq(W, g, {}, LayerData{nullptr, nullptr, &G, 20}, p), "gptq", "Gram");
        const LayerData data{&X, nullptr, nullptr, 0};
        VERIFY_INPUT_ERROR(quantizeGptq(W, g, GptqOptions{-0.1, 128, false, false, true}, data, p), "gptq", "damp");
        VERIFY_INPUT_ERROR(quantizeGptq(W, g, GptqOptions{2.0, 128, false, false, true}, data, p), "gptq", "damp");
        VERIFY_INPUT_ERROR(quantizeGptq(W, g, GptqOptions{0.01, 0, false, false, true}, data, p), "gptq", "block");
        VERIFY_INPUT_ERROR(quantizeGptq(W, g, GptqOptions{0.01, 5000, false, false, true}, data, p), "gptq", "block");
        Matrix bad = W;
        bad(1, 2) = std::numeric_limits<float>::quiet_NaN();
        VERIFY_INPUT_ERROR(quantizeGptq(bad, g, {}, data, p), "gptq", "not finite");
        VERIFY_INPUT_ERROR(quantizeGptq(Matrix(0, 8), g, {}, data, p), "gptq", "empty");
        QVERIFY_THROWS_EXCEPTION(InputError, quantizeGptq(W, grid(9, false, Granularity::PerGroup, 4), {}, data, p));
        VERIFY_INPUT_ERROR(quantizeGptqWithHessian(W, g, {}, MatrixD::Identity(6, 6), p), "gptq", "Hessian");
        // A Hessian that no damping rescues is an Error, not a crash.
        QVERIFY_THROWS_EXCEPTION(Error, quantizeGptqWithHessian(W, g, {}, -MatrixD::Identity(8, 8), p));
    }

    void recipeMapsToOptions()
    {
        // Explicit params, so this does not depend on the registry knowing "gptq" yet.
        const Matrix X = correlatedInputs(100, 32, 101);
        const Matrix W = gaussian(8, 32, 102, 0.1f);
        Recipe recipe;
        recipe.method = "gptq";
        recipe.bits = 3;
        recipe.groupSize = 8;
        recipe.symmetric = true;
        recipe.params = {{"damp", 0.05}, {"block", 4}, {"act_order", 1}, {"static_groups", 0}, {"rtn_guard", 0}};
        Progress p;
        const LayerData data{&X, nullptr, nullptr, 0};
        const QuantizedLinear viaRecipe = quantizeGptqRecipe(W, recipe, data, p);
        const QuantizedLinear direct = quantizeGptq(W, grid(3, true, Granularity::PerGroup, 8),
                                                    GptqOptions{0.05, 4, true, false, false}, data, p);
        QCOMPARE(viaRecipe.codes, direct.codes);
        QCOMPARE(viaRecipe.permutation, direct.permutation);
        QCOMPARE(viaRecipe.parameters, direct.parameters);
        recipe.params["block"] = 2.5;
        VERIFY_INPUT_ERROR(quantizeGptqRecipe(W, recipe, data, p), "gptq", "block");
    }

    void methodInfo()
    {
        const MethodInfo info = gptqMethodInfo();
        QCOMPARE(info.name, std::string("gptq"));
        QVERIFY(info.needsActivations && info.usesGrid && info.quantizes);
        QVERIFY(!info.usesRank && !info.usesProtection);
        const ParamSpec* damp = info.param("damp");
        QVERIFY(damp);
        QCOMPARE(damp->defaultValue, 0.01);
        QCOMPARE(damp->maxValue, 1.0);
        QCOMPARE(info.param("block")->defaultValue, 128.0);
        QVERIFY(info.param("block")->integer);
        QCOMPARE(info.param("block")->maxValue, 4096.0);
        QCOMPARE(info.param("act_order")->defaultValue, 0.0);
        QCOMPARE(info.param("static_groups")->maxValue, 1.0);
        QCOMPARE(info.param("rtn_guard")->defaultValue, 1.0);
    }
};

QTEST_GUILESS_MAIN(TestGptq)
#include "test_gptq.moc"
