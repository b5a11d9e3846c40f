// The small shared pieces: float16/bfloat16 rounding and Progress.
#include "base/Error.h"
#include "base/Progress.h"
#include "tensor/Half.h"

#include <QTest>

#include <cmath>

using namespace salience;

class TestFoundation : public QObject {
    Q_OBJECT
private slots:
    void halfKnownValues()
    {
        QCOMPARE(floatToHalf(1.0f), uint16_t(0x3c00));
        QCOMPARE(floatToHalf(-2.0f), uint16_t(0xc000));
        QCOMPARE(floatToHalf(65504.0f), uint16_t(0x7bff));
        QCOMPARE(floatToHalf(1e6f), uint16_t(0x7c00));
        QCOMPARE(floatToHalf(0.0f), uint16_t(0x0000));
        QCOMPARE(floatToHalf(5.9604645e-8f), uint16_t(0x0001)); // smallest subnormal, 2^-24
        QCOMPARE(floatToHalf(6.103515625e-5f), uint16_t(0x0400)); // smallest normal, 2^-14
        // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even gives 1.
        QCOMPARE(floatToHalf(1.0f + std::ldexp(1.0f, -11)), uint16_t(0x3c00));
        // 1 + 3*2^-11 is halfway between 1+2^-10 (odd) and 1+2^-9 (even).
        QCOMPARE(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), uint16_t(0x3c02));
        // 1.5 * 2^-24 is halfway between the subnormals 1 and 2 (units of 2^-24): ties to even.
        QCOMPARE(floatToHalf(3 * std::ldexp(1.0f, -25)), uint16_t(0x0002));
    }

    void halfRoundTripsEveryHalf()
    {
        for (uint32_t h = 0; h < 0x10000; ++h) {
            const uint32_t exp = (h >> 10) & 0x1f;
            if (exp == 31 && (h & 0x3ff))
                continue; // nan payloads need not round-trip
            QCOMPARE(floatToHalf(halfToFloat(uint16_t(h))), uint16_t(h));
        }
    }

    void bf16()
    {
        QCOMPARE(floatToBf16(1.0f), uint16_t(0x3f80));
        QCOMPARE(bf16ToFloat(0x3f80), 1.0f);
        QCOMPARE(bf16ToFloat(floatToBf16(3.140625f)), 3.140625f);
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even gives 1.
        QCOMPARE(bf16ToFloat(floatToBf16(1.0f + std::ldexp(1.0f, -8))), 1.0f);
    }

    void progressMapsChildRanges()
    {
        double last = -1;
        Progress root([&](double f, const std::string&) { last = f; });
        Progress half = root.child(0.5, 1.0);
        half.report(0.5, "step");
        QCOMPARE(last, 0.75);
        QCOMPARE(root.message(), std::string("step"));
        Progress quarter = half.child(0.0, 0.5);
        quarter.report(1.0);
        QCOMPARE(last, 0.75);
    }

    void progressKeepsTheCallbacksOwnState()
    {
        // A mutable lambda (the CLI's bar remembers what it drew) sees its state persist.
        int seen = 0;
        Progress p([&seen, calls = 0](double, const std::string&) mutable { seen = ++calls; });
        Progress child = p.child(0.0, 0.5);
        p.report(0.1);
        child.report(0.5);
        p.report(0.9);
        QCOMPARE(seen, 3);
        // A silent view shares the cancel flag but reports nothing.
        Progress quiet = p.silent();
        quiet.report(1.0);
        QCOMPARE(seen, 3);
        p.requestCancel();
        QVERIFY(quiet.isCancelled());
    }

    void progressCancelIsShared()
    {
        Progress root;
        Progress c = root.child(0.2, 0.4);
        QVERIFY(!c.isCancelled());
        root.requestCancel();
        QVERIFY(c.isCancelled());
        QVERIFY_THROWS_EXCEPTION(CancelledError, c.throwIfCancelled());
    }
};

QTEST_GUILESS_MAIN(TestFoundation)
#include "test_foundation.moc"
