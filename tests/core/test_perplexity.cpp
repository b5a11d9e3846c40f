// How perplexity and the distribution shift of a quantized model are measured: llama-perplexity's
// windows by hand, KL divergence and top-token agreement against a direct computation from the
// logits, and what they say about 8-bit versus 2-bit quantization of the real stories260K.
#include "eval/TokenizerLookup.h"
#include "eval/Transformer.h"
#include "eval/Windows.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "run/Perplexity.h"
#include "run/QuantizedForward.h"
#include "run/Runner.h"

#include "InputErrorCheck.h"
#include "TestData.h"

#include <QTest>

#include <cmath>

using namespace salience;

namespace {

Transformer quantized(const Model& model, const Transformer& base, int bits)
{
    Recipe r;
    r.method = "rtn";
    r.bits = bits;
    r.groupSize = 32;
    Progress p;
    return quantizedTransformer(base, runPlan(model, QuantPlan::uniform(r), nullptr, RunOptions{}, p), p);
}

} // namespace

class TestPerplexity : public QObject {
    Q_OBJECT
private slots:
    void llamaPerplexityWindowsByHand()
    {
        const std::vector<int32_t> text{5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
        // BOS + text = 11 tokens: two whole windows of 4, the rest dropped; each window's first
        // token is BOS (the second replaces 8), and positions 2.. are scored.
        const auto windows = scoredWindows(text, 4, 1, WindowScheme::LlamaPerplexity);
        QCOMPARE(windows.size(), size_t(2));
        QCOMPARE(windows[0].tokens, (std::vector<int32_t>{1, 5, 6, 7}));
        QCOMPARE(windows[1].tokens, (std::vector<int32_t>{1, 9, 10, 11}));
        QCOMPARE(windows[0].firstScored, int64_t(2));
        // The BOS-led scheme scores everything and drops nothing.
        const auto bosLed = scoredWindows(text, 4, 1, WindowScheme::BosLed);
        QCOMPARE(bosLed.size(), size_t(4));
        QCOMPARE(bosLed[3].tokens, (std::vector<int32_t>{1, 14}));
        QCOMPARE(bosLed[3].firstScored, int64_t(0));
        VERIFY_INPUT_ERROR(scoredWindows(text, 16, 1, WindowScheme::LlamaPerplexity), std::string("evaluation"),
                           "fewer than one window");
    }

    void divergenceMatchesTheLogits()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        const Tokenizer tok = tokenizerFor(model, "");
        const auto text = tokenizeText(tok, readTextFile(testdata::path("text/tinystories_valid_head.txt")), 511);
        Progress p;
        const Transformer base = Transformer::load(model, p);
        const Transformer two = quantized(model, base, 2);
        PerplexityOptions options;
        options.window = 512; // one window: the whole text
        const PairedPerplexity paired = evaluatePaired(base, two, text, tok.bosId(), options, p);
        QCOMPARE(paired.shift.positions, int64_t(text.size()));

        // The same numbers straight from the two passes' logits.
        std::vector<int32_t> window{tok.bosId()};
        window.insert(window.end(), text.begin(), text.end());
        const Matrix a = base.forward(window), b = two.forward(window);
        double kl = 0, nllA = 0, nllB = 0;
        int same = 0;
        for (Eigen::Index i = 0; i + 1 < a.rows(); ++i) {
            const Eigen::RowVectorXd la = a.row(i).cast<double>(), lb = b.row(i).cast<double>();
            const double za = std::log((la.array() - la.maxCoeff()).exp().sum()) + la.maxCoeff();
            const double zb = std::log((lb.array() - lb.maxCoeff()).exp().sum()) + lb.maxCoeff();
            for (Eigen::Index v = 0; v < la.size(); ++v)
                kl += std::exp(la(v) - za) * ((la(v) - za) - (lb(v) - zb));
            nllA += za - la(window[size_t(i + 1)]);
            nllB += zb - lb(window[size_t(i + 1)]);
            Eigen::Index ta = 0, tb = 0;
            la.maxCoeff(&ta);
            lb.maxCoeff(&tb);
            same += ta == tb;
        }
        const double n = double(a.rows() - 1);
        QVERIFY(std::abs(paired.shift.klMean - kl / n) < 1e-9);
        QVERIFY(std::abs(paired.reference.nll - nllA / n) < 1e-9);
        QVERIFY(std::abs(paired.candidate.nll - nllB / n) < 1e-9);
        QCOMPARE(paired.shift.sameTopShare, double(same) / n);
        QVERIFY(paired.shift.klP99 >= paired.shift.klMedian && paired.shift.klMax >= paired.shift.klP99);
        QVERIFY(paired.reference.nllStdError > 0 && paired.reference.nllStdError < 0.1);

        // Against itself: no shift at all, and the plain evaluation's numbers.
        const PairedPerplexity self = evaluatePaired(base, base, text, tok.bosId(), options, p);
        QCOMPARE(self.shift.klMax, 0.0);
        QCOMPARE(self.shift.sameTopShare, 1.0);
        QCOMPARE(self.candidate.nll, self.reference.nll);
        QCOMPARE(evaluatePerplexity(base, text, tok.bosId(), options, p).nll, self.reference.nll);
    }

    void eightBitsShiftLessThanTwo()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        REQUIRE_TEST_DATA("text/tinystories_valid_head.txt");
        const Model model = Model::open(testdata::path("stories260K/stories260K.bin"));
        const Tokenizer tok = tokenizerFor(model, "");
        const auto text = tokenizeText(tok, readTextFile(testdata::path("text/tinystories_valid_head.txt")), 4096);
        Progress p;
        const Transformer base = Transformer::load(model, p);
        PerplexityOptions options;
        options.window = 512;
        options.scheme = WindowScheme::LlamaPerplexity;
        const auto eight = evaluatePaired(base, quantized(model, base, 8), text, tok.bosId(), options, p);
        const auto two = evaluatePaired(base, quantized(model, base, 2), text, tok.bosId(), options, p);
        QCOMPARE(eight.reference.tokens, int64_t(8 * 255)); // 8 whole windows, 255 scored each
        QVERIFY(eight.shift.klMean < 0.01 && eight.shift.sameTopShare > 0.95);
        QVERIFY(two.shift.klMean > 10 * eight.shift.klMean);
        QVERIFY(two.shift.sameTopShare < eight.shift.sameTopShare);
        QVERIFY(two.candidate.perplexity > eight.candidate.perplexity);
    }
};

QTEST_GUILESS_MAIN(TestPerplexity)
#include "test_perplexity.moc"
