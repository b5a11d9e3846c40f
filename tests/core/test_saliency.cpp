// Saliency criteria: each one's scores on small cases worked out by hand.
#include "InputErrorCheck.h"

#include "acts/ActivationStore.h"
#include "acts/Gram.h"
#include "base/Error.h"
#include "demo/DemoModel.h"
#include "quant/Saliency.h"

#include <QTest>

#include <cmath>

using namespace salience;

namespace {

Matrix rows2x3(std::initializer_list<float> values)
{
    Matrix m(2, 3);
    auto it = values.begin();
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 3; ++c)
            m(r, c) = *it++;
    return m;
}

bool near(const Matrix& a, const Matrix& b, double tolerance)
{
    if (a.rows() != b.rows() || a.cols() != b.cols())
        return false;
    for (Eigen::Index i = 0; i < a.size(); ++i)
        if (std::abs(double(a.data()[i]) - double(b.data()[i])) > tolerance * std::max(1.0, std::abs(double(b.data()[i]))))
            return false;
    return true;
}

} // namespace

class TestSaliency : public QObject {
    Q_OBJECT
private slots:
    void namesRoundTrip()
    {
        QCOMPARE(saliencyCriterionNames().size(), size_t(4));
        for (auto c : {SaliencyCriterion::Svd, SaliencyCriterion::Awq, SaliencyCriterion::Spqr,
                       SaliencyCriterion::Magnitude}) {
            QCOMPARE(saliencyCriterionFromName(saliencyCriterionName(c)), c);
            QCOMPARE(saliencyCriterionFromIndex(double(int(c))), c);
        }
        QCOMPARE(saliencyCriterionName(SaliencyCriterion::Spqr), std::string("spqr"));
        QCOMPARE(saliencyCriterionFromName("magnitude"), SaliencyCriterion::Magnitude);
        VERIFY_INPUT_ERROR(saliencyCriterionFromName("hessian"), "saliency criterion", "hessian");
        VERIFY_INPUT_ERROR(saliencyCriterionFromIndex(4), "saliency criterion", "0..3");
        VERIFY_INPUT_ERROR(saliencyCriterionFromIndex(1.5), "saliency criterion", "0..3");
        QVERIFY(saliencyNeedsActivations(SaliencyCriterion::Awq));
        QVERIFY(saliencyNeedsActivations(SaliencyCriterion::Spqr));
        QVERIFY(!saliencyNeedsActivations(SaliencyCriterion::Svd));
        QVERIFY(!saliencyNeedsActivations(SaliencyCriterion::Magnitude));
    }

    void magnitudeIsAbsoluteValue()
    {
        const Matrix w = rows2x3({1, -2, 3, -4, 5, -6});
        const Matrix s = saliencyScores(w, SaliencyCriterion::Magnitude, {}, {});
        QVERIFY(near(s, rows2x3({1, 2, 3, 4, 5, 6}), 0));
    }

    void svdOfRankOneIsTheWeightItself()
    {
        // W = u·vᵀ with u = (1, 2), v = (3, −1, 0.5): rank 1, so its rank-1 reconstruction is W.
        const Matrix w = rows2x3({3, -1, 0.5f, 6, -2, 1});
        SaliencyOptions options;
        options.svdRank = 1;
        const Matrix s = saliencyScores(w, SaliencyCriterion::Svd, options, {});
        QVERIFY(near(s, rows2x3({3, 1, 0.5f, 6, 2, 1}), 1e-5));
        // A rank larger than min(out, in) is capped: the full reconstruction, again |W|.
        options.svdRank = 8;
        QVERIFY(near(saliencyScores(w, SaliencyCriterion::Svd, options, {}), w.cwiseAbs(), 1e-5));
    }

    void svdRankOneDropsTheSecondComponent()
    {
        // W = 3·e1·f1ᵀ + 1·e2·f2ᵀ: rows and columns are orthogonal unit directions, so the
        // rank-1 reconstruction keeps only the larger term: 3 at (0, 0), zeros elsewhere.
        const Matrix w = rows2x3({3, 0, 0, 0, 1, 0});
        SaliencyOptions options;
        options.svdRank = 1;
        QVERIFY(near(saliencyScores(w, SaliencyCriterion::Svd, options, {}), rows2x3({3, 0, 0, 0, 0, 0}), 1e-6));
        options.svdRank = 0;
        VERIFY_INPUT_ERROR(saliencyScores(w, SaliencyCriterion::Svd, options, {}), "saliency (svd)", "rank");
    }

    void awqFromInputsGramAndStatistics()
    {
        const Matrix w = rows2x3({1, -2, 3, -4, 5, -6});
        // X (2 tokens × 3 channels): column norms √(1+1) = √2, √(0+9) = 3, √(4+4) = √8.
        Matrix X(2, 3);
        X << 1, 0, 2, 1, 3, -2;
        const double n0 = std::sqrt(2.0), n1 = 3.0, n2 = std::sqrt(8.0);
        const Matrix expected = rows2x3({float(1 * n0), float(2 * n1), float(3 * n2), float(4 * n0), float(5 * n1),
                                         float(6 * n2)});
        LayerData fromInputs;
        fromInputs.inputs = &X;
        QVERIFY(near(saliencyScores(w, SaliencyCriterion::Awq, {}, fromInputs), expected, 1e-6));

        const MatrixD G = gram(X);
        LayerData fromGram;
        fromGram.gram = &G;
        fromGram.gramTokens = 2;
        QVERIFY(near(saliencyScores(w, SaliencyCriterion::Awq, {}, fromGram), expected, 1e-6));

        ChannelStats stats;
        stats.sumSq = {2, 9, 8};
        stats.count = 2;
        LayerData fromStats;
        fromStats.stats = &stats;
        QVERIFY(near(saliencyScores(w, SaliencyCriterion::Awq, {}, fromStats), expected, 1e-6));

        Matrix narrow(2, 2);
        narrow.setOnes();
        LayerData wrong;
        wrong.inputs = &narrow;
        VERIFY_INPUT_ERROR(saliencyScores(w, SaliencyCriterion::Awq, {}, wrong), "saliency (awq)", "features");
    }

    void spqrWithDiagonalHessian()
    {
        // Gram diag(1, 4, 0.25) over n = 2 tokens, no damping: H = 2G/n = diag(1, 4, 0.25),
        // [H⁻¹]_jj = 1, 0.25, 4, so the score is err² · (1, 16, 1/16).
        MatrixD G = MatrixD::Zero(3, 3);
        G.diagonal() << 1.0, 4.0, 0.25;
        LayerData data;
        data.gram = &G;
        data.gramTokens = 2;
        // 2-bit asymmetric RTN over the whole row (group 3), maxq = 3:
        //   row 0 (0.5, −1.5, 1.5): lo −1.5, hi 1.5, scale 3/3 = 1, zero round(1.5) = 2;
        //     0.5 → round(0.5) = 0 → ŵ 0 (err 0.5); −1.5 → −2 → ŵ −2 (err 0.5);
        //     1.5 → 2 + 2 = 4, clamped to 3 → ŵ 1 (err 0.5)
        //   row 1 (0.25, 3, −3): scale 6/3 = 2, zero 2;
        //     0.125 → 0 → ŵ 0 (err 0.25); 1.5 → 2 + 2 → 3 → ŵ 2 (err 1); −1.5 → −2 → ŵ −4 (err 1)
        const Matrix w = rows2x3({0.5f, -1.5f, 1.5f, 0.25f, 3, -3});
        SaliencyOptions options;
        options.spqrBits = 2;
        options.spqrGroup = 3;
        options.damp = 0.0;
        const Matrix expected = rows2x3({0.25f, 0.25f * 16, 0.25f / 16, 0.0625f, 16, 1.0f / 16});
        QVERIFY(near(saliencyScores(w, SaliencyCriterion::Spqr, options, data), expected, 1e-6));

        // The same from inputs: four tokens (1, 0, 0), (1, 0, 0), (0, 2, 0.5), (0, 2, −0.5) have
        // orthogonal columns, XᵀX = diag(2, 8, 0.5), and H = 2·XᵀX/4 = diag(1, 4, 0.25) again.
        Matrix X(4, 3);
        X << 1, 0, 0, 1, 0, 0, 0, 2, 0.5f, 0, 2, -0.5f;
        LayerData fromInputs;
        fromInputs.inputs = &X;
        QVERIFY(near(saliencyScores(w, SaliencyCriterion::Spqr, options, fromInputs), expected, 1e-6));
    }

    void spqrUsesTheDiagonalOfTheInverse()
    {
        // A full H: the score divides by [H⁻¹]_jj², checked against Eigen's own inverse.
        MatrixD G(3, 3);
        G << 4, 1, 0.5, 1, 3, -0.2, 0.5, -0.2, 2;
        LayerData data;
        data.gram = &G;
        data.gramTokens = 4; // H = G/2
        SaliencyOptions options;
        options.spqrBits = 2;
        options.spqrGroup = 3;
        options.damp = 0.0;
        const Matrix w = rows2x3({0.5f, -1.5f, 1.5f, 0.25f, 3, -3});
        const Eigen::MatrixXd inverse = (Eigen::MatrixXd(G) / 2.0).inverse();
        const double errSq[2][3] = {{0.25, 0.25, 0.25}, {0.0625, 1, 1}}; // from the case above
        const Matrix s = saliencyScores(w, SaliencyCriterion::Spqr, options, data);
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 3; ++c)
                QVERIFY(std::abs(s(r, c) - errSq[r][c] / (inverse(c, c) * inverse(c, c))) < 1e-5 * s(r, c));
    }

    void missingActivationsAreInputErrors()
    {
        const Matrix w = rows2x3({1, -2, 3, -4, 5, -6});
        VERIFY_INPUT_ERROR(saliencyScores(w, SaliencyCriterion::Awq, {}, {}), "saliency (awq)", "activations");
        VERIFY_INPUT_ERROR(saliencyScores(w, SaliencyCriterion::Spqr, {}, {}), "saliency (spqr)", "inputs");
        // Statistics are enough for awq but not for spqr.
        ChannelStats stats;
        stats.sumSq = {1, 1, 1};
        stats.count = 1;
        LayerData onlyStats;
        onlyStats.stats = &stats;
        QVERIFY(saliencyScores(w, SaliencyCriterion::Awq, {}, onlyStats).allFinite());
        VERIFY_INPUT_ERROR(saliencyScores(w, SaliencyCriterion::Spqr, {}, onlyStats), "saliency (spqr)", "statistics");
    }

    void badWeightsAreInputErrors()
    {
        VERIFY_INPUT_ERROR(saliencyScores(Matrix(0, 3), SaliencyCriterion::Magnitude, {}, {}), "saliency (magnitude)",
                           "empty");
        Matrix w = rows2x3({1, 2, 3, 4, 5, 6});
        w(1, 2) = std::nanf("");
        VERIFY_INPUT_ERROR(saliencyScores(w, SaliencyCriterion::Svd, {}, {}), "saliency (svd)", "finite");
    }

    void demoLayersGiveNonnegativeFiniteScores()
    {
        const DemoModel demo = makeDemoModel();
        const std::string name = "model.layers.2.mlp.down_proj";
        const Matrix w = demo.model.weight(name);
        LayerData data;
        data.inputs = &demo.activations.inputs(name);
        for (auto c : {SaliencyCriterion::Svd, SaliencyCriterion::Awq, SaliencyCriterion::Spqr,
                       SaliencyCriterion::Magnitude}) {
            const Matrix s = saliencyScores(w, c, {}, data);
            QCOMPARE(s.rows(), w.rows());
            QCOMPARE(s.cols(), w.cols());
            QVERIFY(s.allFinite());
            QVERIFY(s.minCoeff() >= 0.0f);
            QVERIFY(s.maxCoeff() > 0.0f);
        }
    }
};

QTEST_GUILESS_MAIN(TestSaliency)
#include "test_saliency.moc"
