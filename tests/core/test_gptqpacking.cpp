// GPTQ packing: int32 words checked against values worked out by hand for 2, 3, 4 and 8 bits,
// round trips, and the QuantizedLinear ↔ GPTQ layer conversion (act-order, v1 zero points).
#include "base/Error.h"
#include "export/GptqConversion.h"
#include "quant/Rtn.h"
#include "tensor/Half.h"

#include <QTest>

#include <algorithm>
#include <numeric>
#include <random>

using namespace salience;

namespace {

// codes [8 out, 32 in] with code(o, i) = (i + o) mod 2^bits. 32 inputs, because 8 inputs of
// 2 or 3 bits do not fill an int32 word.
std::vector<uint8_t> stairCodes(int bits)
{
    std::vector<uint8_t> codes(8 * 32);
    for (int o = 0; o < 8; ++o)
        for (int i = 0; i < 32; ++i)
            codes[size_t(o * 32 + i)] = uint8_t((i + o) % (1 << bits));
    return codes;
}

int32_t w(uint32_t u) { return int32_t(u); }

// Column o of qweight [rows, 8].
std::vector<int32_t> column(const std::vector<int32_t>& qweight, int o)
{
    std::vector<int32_t> c;
    for (size_t r = 0; r < qweight.size() / 8; ++r)
        c.push_back(qweight[r * 8 + size_t(o)]);
    return c;
}

} // namespace

class TestGptqPacking : public QObject {
    Q_OBJECT
private slots:
    void twoBitWordsByHand()
    {
        // 0,1,2,3 → 00 | 01<<2 | 10<<4 | 11<<6 = 0b11100100 = 0xE4 per byte.
        const auto q = packQweight(stairCodes(2), 8, 32, 2);
        QCOMPARE(q.size(), size_t(2 * 8));
        QCOMPARE(column(q, 0), (std::vector<int32_t>{w(0xE4E4E4E4u), w(0xE4E4E4E4u)}));
        // 1,2,3,0 → 01 | 10<<2 | 11<<4 | 00<<6 = 0b00111001 = 0x39.
        QCOMPARE(column(q, 1), (std::vector<int32_t>{w(0x39393939u), w(0x39393939u)}));
    }

    void threeBitWordsByHand()
    {
        // 0..7 as 3-bit fields: 0b111'110'101'100'011'010'001'000 = 0xFAC688 per 24 bits, so the
        // byte stream is 88 C6 FA repeated; values 10 and 21 straddle words 0/1 and 1/2.
        const auto q = packQweight(stairCodes(3), 8, 32, 3);
        QCOMPARE(q.size(), size_t(3 * 8));
        QCOMPARE(column(q, 0), (std::vector<int32_t>{w(0x88FAC688u), w(0xC688FAC6u), w(0xFAC688FAu)}));
        // 1..7,0: 0b000'111'110'101'100'011'010'001 = 0x1F58D1, bytes D1 58 1F repeated.
        QCOMPARE(column(q, 1), (std::vector<int32_t>{w(0xD11F58D1u), w(0x58D11F58u), w(0x1F58D11Fu)}));
    }

    void fourBitWordsByHand()
    {
        const auto q = packQweight(stairCodes(4), 8, 32, 4);
        QCOMPARE(q.size(), size_t(4 * 8));
        QCOMPARE(column(q, 0),
                 (std::vector<int32_t>{w(0x76543210u), w(0xFEDCBA98u), w(0x76543210u), w(0xFEDCBA98u)}));
        QCOMPARE(column(q, 1),
                 (std::vector<int32_t>{w(0x87654321u), w(0x0FEDCBA9u), w(0x87654321u), w(0x0FEDCBA9u)}));
    }

    void eightBitWordsByHand()
    {
        const auto q = packQweight(stairCodes(8), 8, 32, 8);
        QCOMPARE(q.size(), size_t(8 * 8));
        const auto c0 = column(q, 0), c1 = column(q, 1);
        QCOMPARE(c0[0], w(0x03020100u));
        QCOMPARE(c0[1], w(0x07060504u));
        QCOMPARE(c0[7], w(0x1F1E1D1Cu));
        QCOMPARE(c1[0], w(0x04030201u));
        QCOMPARE(c1[7], w(0x201F1E1Du));
    }

    void qzerosPackAlongOutputs()
    {
        // One group, 32 outputs, stored zero of output o = o mod 2^b: the same streams as above.
        for (int bits : {2, 3, 4, 8}) {
            std::vector<uint8_t> zeros(32);
            for (int o = 0; o < 32; ++o)
                zeros[size_t(o)] = uint8_t(o % (1 << bits));
            const auto qz = packQzeros(zeros, 1, 32, bits);
            QCOMPARE(qz.size(), size_t(bits)); // 32·b/32 words
            if (bits == 2)
                QCOMPARE(qz, (std::vector<int32_t>{w(0xE4E4E4E4u), w(0xE4E4E4E4u)}));
            if (bits == 3)
                QCOMPARE(qz, (std::vector<int32_t>{w(0x88FAC688u), w(0xC688FAC6u), w(0xFAC688FAu)}));
            if (bits == 4)
                QCOMPARE(qz, (std::vector<int32_t>{w(0x76543210u), w(0xFEDCBA98u), w(0x76543210u), w(0xFEDCBA98u)}));
            if (bits == 8)
                QCOMPARE(qz[7], w(0x1F1E1D1Cu));
            QCOMPARE(unpackQzeros(qz, 1, 32, bits), zeros);
        }
    }

    void roundTripsRandomCodes()
    {
        std::mt19937 rng(7);
        for (int bits : {2, 3, 4, 8}) {
            const int64_t out = 64, in = 96;
            std::vector<uint8_t> codes(size_t(out * in));
            for (auto& c : codes)
                c = uint8_t(rng() % (1u << bits));
            const auto q = packQweight(codes, out, in, bits);
            QCOMPARE(int64_t(q.size()), in * bits / 32 * out);
            QCOMPARE(unpackQweight(q, out, in, bits), codes);
            std::vector<uint8_t> zeros(size_t(3 * out));
            for (auto& z : zeros)
                z = uint8_t(rng() % (1u << bits));
            QCOMPARE(unpackQzeros(packQzeros(zeros, 3, out, bits), 3, out, bits), zeros);
        }
    }

    void refusesWhatDoesNotPack()
    {
        const std::vector<uint8_t> codes(8, 1);
        QVERIFY_THROWS_EXCEPTION(InputError, packBits(codes, 5));        // not a GPTQ width
        QVERIFY_THROWS_EXCEPTION(InputError, packBits(codes, 3));        // 24 bits: no whole word
        const std::vector<uint8_t> big(16, 4);
        QVERIFY_THROWS_EXCEPTION(InputError, packBits(big, 2));          // 4 needs 3 bits
        const std::vector<int32_t> words(3);
        QVERIFY_THROWS_EXCEPTION(InputError, unpackBits(words, 4, 32)); // needs 4 words
    }

    void actOrderLayerDequantizesExactly()
    {
        // A hand-made act-order result: 32 × 64, 4-bit asymmetric, groups of 16 positions.
        std::mt19937 rng(11);
        QuantGrid grid;
        grid.bits = 4;
        grid.groupSize = 16;
        QuantizedLinear q(32, 64, grid, "hand");
        q.permutation.resize(64);
        std::iota(q.permutation.begin(), q.permutation.end(), 0);
        std::shuffle(q.permutation.begin(), q.permutation.end(), rng);
        for (auto& c : q.codes)
            c = uint8_t(rng() % 16);
        for (size_t g = 0; g < q.scales.size(); ++g) {
            q.scales[g] = roundToHalf(0.001f * float(1 + rng() % 500));
            q.zeroPoints[g] = int(1 + rng() % 15);
        }
        const GptqConversion c = toGptqLayer(q, GptqFormat::V1);
        QCOMPARE(c.clippedCodes, int64_t(0));
        QCOMPARE(c.layer.groups(), int64_t(4));
        // g_idx[perm[i]] = group of position i.
        for (int64_t i = 0; i < 64; ++i)
            QCOMPARE(c.layer.gIdx[size_t(q.permutation[size_t(i)])], int32_t(i / 16));
        // qweight rows are original columns: code of original column perm[i] is q.code(r, i).
        const auto codes = unpackQweight(c.layer.qweight, 32, 64, 4);
        QCOMPARE(codes[size_t(5 * 64 + q.permutation[9])], q.code(5, 9));
        // v1 stores zero − 1; scales are the float16 values.
        const auto zeros = unpackQzeros(c.layer.qzeros, 4, 32, 4);
        QCOMPARE(int(zeros[size_t(2 * 32 + 7)]) + 1, q.zeroPoints[size_t(q.groupIndex(7, 2 * 16))]);
        QCOMPARE(halfToFloat(c.layer.scales[size_t(2 * 32 + 7)]), q.scales[size_t(q.groupIndex(7, 2 * 16))]);
        QCOMPARE(dequantizeGptqLayer(c.layer, GptqFormat::V1), q.dequantize());

        // A row order moves rows and keeps every value.
        std::vector<int64_t> order(32);
        std::iota(order.begin(), order.end(), 0);
        std::reverse(order.begin(), order.end());
        const Matrix reversed = dequantizeGptqLayer(toGptqLayer(q, GptqFormat::V2, order).layer, GptqFormat::V2);
        QCOMPARE(Matrix(reversed.colwise().reverse()), q.dequantize());
    }

    void perChannelAndPerTensorBecomeOneGroup()
    {
        const Matrix w = Matrix::Random(32, 64);
        for (auto g : {Granularity::PerChannel, Granularity::PerTensor}) {
            QuantGrid grid;
            grid.bits = 3;
            grid.granularity = g;
            grid.symmetric = true;
            const QuantizedLinear q = quantizeRtn(w, grid);
            const GptqConversion c = toGptqLayer(q, GptqFormat::V1);
            QCOMPARE(c.layer.groupSize, -1);
            QCOMPARE(c.layer.scales.size(), size_t(32));
            QVERIFY(std::all_of(c.layer.gIdx.begin(), c.layer.gIdx.end(), [](int32_t v) { return v == 0; }));
            QCOMPARE(dequantizeGptqLayer(c.layer, GptqFormat::V1), q.dequantize());
        }
    }

    void zeroPointZeroInV1()
    {
        QuantGrid grid;
        grid.bits = 2;
        grid.granularity = Granularity::PerChannel;
        QuantizedLinear q(32, 32, grid, "hand");
        for (int64_t r = 0; r < 32; ++r) {
            q.scales[size_t(r)] = 0.5f;
            q.zeroPoints[size_t(r)] = r == 0 ? 0 : 2;
            for (int64_t i = 0; i < 32; ++i)
                q.codes[size_t(r * 32 + i)] = uint8_t(i % 3); // codes 0..2, below maxq 3
        }
        // Row 0 has zero 0 and no code 3: shifting the row by one is lossless.
        GptqConversion c = toGptqLayer(q, GptqFormat::V1);
        QCOMPARE(c.zeroShiftedGroups, int64_t(1));
        QCOMPARE(c.clippedCodes, int64_t(0));
        QCOMPARE(int(unpackQzeros(c.layer.qzeros, 1, 32, 2)[0]), 0); // zero 1 stored as 0
        QCOMPARE(dequantizeGptqLayer(c.layer, GptqFormat::V1), q.dequantize());
        // With a code at maxq the shift clips it one step down.
        q.codes[5] = 3;
        c = toGptqLayer(q, GptqFormat::V1);
        QCOMPARE(c.clippedCodes, int64_t(1));
        const Matrix back = dequantizeGptqLayer(c.layer, GptqFormat::V1);
        QCOMPARE(back(0, 5), 1.0f); // (3 − 1)·0.5 instead of (3 − 0)·0.5
        // v2 stores the zero point itself: exact.
        c = toGptqLayer(q, GptqFormat::V2);
        QCOMPARE(c.zeroShiftedGroups, int64_t(0));
        QCOMPARE(dequantizeGptqLayer(c.layer, GptqFormat::V2), q.dequantize());
    }

    void sidePartsAreNotGptq()
    {
        const Matrix w = Matrix::Random(32, 32);
        QuantGrid grid;
        grid.bits = 4;
        QuantizedLinear q = quantizeRtn(w, grid);
        QVERIFY(gptqIncompatibility(q).empty());
        q.inputScale.assign(32, 1.0f);
        QVERIFY(!gptqIncompatibility(q).empty());
        QVERIFY_THROWS_EXCEPTION(InputError, toGptqLayer(q, GptqFormat::V1));
        grid.bits = 5;
        QVERIFY(!gptqIncompatibility(quantizeRtn(w, grid)).empty());
    }
};

QTEST_GUILESS_MAIN(TestGptqPacking)
#include "test_gptqpacking.moc"
