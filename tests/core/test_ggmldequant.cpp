// ggml block dequantization against values worked out by hand. Each test packs chosen integer
// codes and scales into a block following ggml's layout written out per value index (the
// direction the quantizer writes), then checks the decoder against the ggml formula applied to
// those codes. Scales are powers of two, so every expected value is exact and compared exactly.
#include "base/Error.h"
#include "io/GgmlDequant.h"
#include "io/GgmlTypes.h"
#include "tensor/Half.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace salience;

namespace {

void putHalf(std::vector<uint8_t>& b, size_t at, float v)
{
    const uint16_t h = floatToHalf(v);
    QCOMPARE(halfToFloat(h), v); // the test's scales must be exact halfs
    b[at] = uint8_t(h & 0xff);
    b[at + 1] = uint8_t(h >> 8);
}

void setBits(std::vector<uint8_t>& b, size_t byte, int shift, int width, int value)
{
    const int mask = (1 << width) - 1;
    b[byte] = uint8_t((b[byte] & ~(mask << shift)) | ((value & mask) << shift));
}

std::vector<float> decode(GgmlType type, const std::vector<uint8_t>& block, int64_t n)
{
    std::vector<float> out(size_t(n), -12345.0f);
    dequantizeRow(type, block.data(), out.data(), n);
    return out;
}

// A power of two in [2^-6, 2^0], so products with small integers stay exact.
float pow2(std::mt19937& rng) { return std::ldexp(1.0f, -int(rng() % 7)); }

// The packing of Q4_K/Q5_K's eight 6-bit scales and mins in 12 bytes, as ggml's quantizer writes it.
void packScalesK4(std::vector<uint8_t>& b, size_t at, const int sc[8], const int mn[8])
{
    for (int j = 0; j < 12; ++j)
        b[at + j] = 0;
    for (int j = 0; j < 8; ++j) {
        if (j < 4) {
            b[at + j] = uint8_t(sc[j]);
            b[at + j + 4] = uint8_t(mn[j]);
        } else {
            b[at + j + 4] = uint8_t((sc[j] & 0xF) | ((mn[j] & 0xF) << 4));
            b[at + j - 4] |= uint8_t((sc[j] >> 4) << 6);
            b[at + j] |= uint8_t((mn[j] >> 4) << 6);
        }
    }
}

} // namespace

class TestGgmlDequant : public QObject {
    Q_OBJECT
private slots:
    void typeTable()
    {
        // Sizes from ggml's block structs.
        struct Row { GgmlType t; const char* name; int64_t block, bytes; };
        const Row rows[] = {
            {GgmlType::F32, "F32", 1, 4}, {GgmlType::F16, "F16", 1, 2}, {GgmlType::BF16, "BF16", 1, 2},
            {GgmlType::Q4_0, "Q4_0", 32, 18}, {GgmlType::Q4_1, "Q4_1", 32, 20}, {GgmlType::Q5_0, "Q5_0", 32, 22},
            {GgmlType::Q5_1, "Q5_1", 32, 24}, {GgmlType::Q8_0, "Q8_0", 32, 34}, {GgmlType::Q8_1, "Q8_1", 32, 36},
            {GgmlType::Q2_K, "Q2_K", 256, 84}, {GgmlType::Q3_K, "Q3_K", 256, 110}, {GgmlType::Q4_K, "Q4_K", 256, 144},
            {GgmlType::Q5_K, "Q5_K", 256, 176}, {GgmlType::Q6_K, "Q6_K", 256, 210}, {GgmlType::Q8_K, "Q8_K", 256, 292},
            {GgmlType::IQ2_XXS, "IQ2_XXS", 256, 66}, {GgmlType::IQ2_XS, "IQ2_XS", 256, 74},
            {GgmlType::IQ3_XXS, "IQ3_XXS", 256, 98}, {GgmlType::IQ1_S, "IQ1_S", 256, 50},
            {GgmlType::IQ4_NL, "IQ4_NL", 32, 18}, {GgmlType::IQ3_S, "IQ3_S", 256, 110},
            {GgmlType::IQ2_S, "IQ2_S", 256, 82}, {GgmlType::IQ4_XS, "IQ4_XS", 256, 136},
            {GgmlType::I8, "I8", 1, 1}, {GgmlType::I64, "I64", 1, 8}, {GgmlType::F64, "F64", 1, 8},
            {GgmlType::IQ1_M, "IQ1_M", 256, 56}, {GgmlType::TQ1_0, "TQ1_0", 256, 54},
            {GgmlType::TQ2_0, "TQ2_0", 256, 66}, {GgmlType::MXFP4, "MXFP4", 32, 17},
        };
        for (const auto& r : rows) {
            const GgmlTypeTraits* t = ggmlTypeTraits(r.t);
            QVERIFY(t);
            QCOMPARE(std::string(t->name), std::string(r.name));
            QCOMPARE(t->blockSize, r.block);
            QCOMPARE(t->bytesPerBlock, r.bytes);
            QCOMPARE(ggmlTypeFromName(r.name), std::optional<GgmlType>(r.t));
        }
        QCOMPARE(uint32_t(GgmlType::BF16), 30u);
        QCOMPARE(uint32_t(GgmlType::IQ2_XXS), 16u);
        QCOMPARE(ggmlTypeName(14), std::string("Q6_K"));
        QCOMPARE(ggmlTypeName(99), std::string("GGML_TYPE_99"));
        QVERIFY(!ggmlTypeTraits(99u));
        QCOMPARE(ggmlTypeFromName("q4_k"), std::optional<GgmlType>(GgmlType::Q4_K));
        QVERIFY(!ggmlTypeFromName("Q4_Z"));
        QVERIFY(ggmlTypeTraits(GgmlType::Q4_0_4_4)->removed);
        QVERIFY(!canDequantize(GgmlType::IQ2_XXS));
        QVERIFY(canDequantize(GgmlType::Q6_K));
    }

    void plainTypes()
    {
        // F16: 1, -2, 65504 (largest half), 2^-24 (smallest subnormal).
        const std::vector<uint8_t> f16 = {0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00};
        const auto h = decode(GgmlType::F16, f16, 4);
        QCOMPARE(h[0], 1.0f);
        QCOMPARE(h[1], -2.0f);
        QCOMPARE(h[2], 65504.0f);
        QCOMPARE(h[3], std::ldexp(1.0f, -24));
        // BF16 is the top half of a float32: 0x3f80 = 1, 0x4049 = 3.140625, 0xc2c8 = -100.
        const std::vector<uint8_t> bf = {0x80, 0x3f, 0x49, 0x40, 0xc8, 0xc2};
        const auto b = decode(GgmlType::BF16, bf, 3);
        QCOMPARE(b[0], 1.0f);
        QCOMPARE(b[1], 3.140625f);
        QCOMPARE(b[2], -100.0f);
        // F32 and F64 little-endian.
        std::vector<uint8_t> f32(8), f64(16);
        const float fv[2] = {0.1f, -7.25f};
        const double dv[2] = {0.5, -1e10};
        std::memcpy(f32.data(), fv, 8);
        std::memcpy(f64.data(), dv, 16);
        QCOMPARE(decode(GgmlType::F32, f32, 2), std::vector<float>({0.1f, -7.25f}));
        QCOMPARE(decode(GgmlType::F64, f64, 2), std::vector<float>({0.5f, -1e10f}));
        // Integers: I8 0xff = -1, I16 0x8000 = -32768, I32 0x00010000 = 65536.
        QCOMPARE(decode(GgmlType::I8, {0xff, 0x05}, 2), std::vector<float>({-1.0f, 5.0f}));
        QCOMPARE(decode(GgmlType::I16, {0x00, 0x80}, 1), std::vector<float>({-32768.0f}));
        QCOMPARE(decode(GgmlType::I32, {0x00, 0x00, 0x01, 0x00}, 1), std::vector<float>({65536.0f}));
    }

    void q4_0ByHand()
    {
        // d = 0.5 (half 0x3800). Byte 0 = 0x1F: value 0 is low nibble 15 -> (15-8)*0.5 = 3.5,
        // value 16 is high nibble 1 -> (1-8)*0.5 = -3.5. Byte 15 = 0x80: value 15 -> -4, value 31 -> 0.
        std::vector<uint8_t> b(18, 0x88); // 0x88: both nibbles 8 -> 0
        b[0] = 0x00; b[1] = 0x38;
        b[2] = 0x1F;
        b[17] = 0x80;
        const auto y = decode(GgmlType::Q4_0, b, 32);
        QCOMPARE(y[0], 3.5f);
        QCOMPARE(y[16], -3.5f);
        QCOMPARE(y[15], -4.0f);
        QCOMPARE(y[31], 0.0f);
        for (int i : {1, 2, 14, 17, 30})
            QCOMPARE(y[i], 0.0f);
    }

    void q4_0AndQ4_1Random()
    {
        std::mt19937 rng(1);
        for (int round = 0; round < 20; ++round) {
            const float d = pow2(rng), m = -pow2(rng) * 3;
            int q[32];
            std::vector<uint8_t> b0(18), b1(20);
            putHalf(b0, 0, d);
            putHalf(b1, 0, d);
            putHalf(b1, 2, m);
            for (int i = 0; i < 32; ++i) {
                q[i] = int(rng() % 16);
                setBits(b0, 2 + i % 16, 4 * (i / 16), 4, q[i]); // value i: byte i%16, high nibble for i>=16
                setBits(b1, 4 + i % 16, 4 * (i / 16), 4, q[i]);
            }
            const auto y0 = decode(GgmlType::Q4_0, b0, 32);
            const auto y1 = decode(GgmlType::Q4_1, b1, 32);
            for (int i = 0; i < 32; ++i) {
                QCOMPARE(y0[i], float(q[i] - 8) * d);
                QCOMPARE(y1[i], float(q[i]) * d + m);
            }
        }
    }

    void q5_0AndQ5_1()
    {
        // By hand: Q5_0 with d = 1, value 0 code 31 (low nibble 15, qh bit 0 set) -> 15;
        // value 20 code 16 (high nibble of byte 4 = 0, qh bit 20 set) -> 0; value 1 code 0 -> -16.
        std::vector<uint8_t> h(22, 0);
        putHalf(h, 0, 1.0f);
        h[2] = 0x01;        // qh bit 0
        h[2 + 2] = 0x10;    // qh bit 20 (byte 2 of qh, bit 4)
        h[6] = 0x0F;
        const auto yh = decode(GgmlType::Q5_0, h, 32);
        QCOMPARE(yh[0], 15.0f);
        QCOMPARE(yh[20], 0.0f);
        QCOMPARE(yh[1], -16.0f);

        std::mt19937 rng(2);
        for (int round = 0; round < 20; ++round) {
            const float d = pow2(rng), m = pow2(rng) - 1.0f;
            int q[32];
            std::vector<uint8_t> b0(22), b1(24);
            putHalf(b0, 0, d);
            putHalf(b1, 0, d);
            putHalf(b1, 2, m);
            for (int i = 0; i < 32; ++i) {
                q[i] = int(rng() % 32);
                // Low 4 bits: byte i%16, nibble i/16. Fifth bit: bit i of the little-endian uint32 qh.
                setBits(b0, 6 + i % 16, 4 * (i / 16), 4, q[i] & 15);
                setBits(b0, 2 + i / 8, i % 8, 1, q[i] >> 4);
                setBits(b1, 8 + i % 16, 4 * (i / 16), 4, q[i] & 15);
                setBits(b1, 4 + i / 8, i % 8, 1, q[i] >> 4);
            }
            const auto y0 = decode(GgmlType::Q5_0, b0, 32);
            const auto y1 = decode(GgmlType::Q5_1, b1, 32);
            for (int i = 0; i < 32; ++i) {
                QCOMPARE(y0[i], float(q[i] - 16) * d);
                QCOMPARE(y1[i], float(q[i]) * d + m);
            }
        }
    }

    void q8_0()
    {
        std::vector<uint8_t> b(34 * 2);
        putHalf(b, 0, 0.25f);
        putHalf(b, 34, -2.0f);
        for (int i = 0; i < 32; ++i) {
            b[2 + i] = uint8_t(int8_t(i * 8 - 128));
            b[36 + i] = uint8_t(int8_t(127 - i));
        }
        const auto y = decode(GgmlType::Q8_0, b, 64);
        QCOMPARE(y[0], -32.0f);       // -128 * 0.25
        QCOMPARE(y[31], 30.0f);       // 120 * 0.25
        QCOMPARE(y[32], -254.0f);     // 127 * -2
        for (int i = 0; i < 32; ++i) {
            QCOMPARE(y[i], float(i * 8 - 128) * 0.25f);
            QCOMPARE(y[32 + i], float(127 - i) * -2.0f);
        }
    }

    void q4_KScalePackingByHand()
    {
        // Sub-block 4 (values 128..159) gets scale 53 = 0b110101 and min 42 = 0b101010, which
        // need the top-2-bit packing: byte 8 = 0x5 | 0xA<<4 = 0xA5, byte 0 gets 0b11<<6, byte 4 0b10<<6.
        std::vector<uint8_t> b(144, 0);
        putHalf(b, 0, 1.0f);  // d
        putHalf(b, 2, 0.5f);  // dmin
        b[4 + 8] = 0xA5;
        b[4 + 0] = 0xC0 | 2;  // sub-block 0: scale 2, plus the high bits of sub-block 4's scale
        b[4 + 4] = 0x80 | 1;  // sub-block 0: min 1, plus the high bits of sub-block 4's min
        // Value 128 is the low nibble of qs[64] (group 2), value 160 the high nibble of the same byte.
        b[16 + 64] = 0x07 | 0x30;
        b[16 + 0] = 0x09;     // value 0: low nibble 9 in sub-block 0
        const auto y = decode(GgmlType::Q4_K, b, 256);
        QCOMPARE(y[128], 1.0f * 53 * 7 - 0.5f * 42);  // 350
        QCOMPARE(y[0], 1.0f * 2 * 9 - 0.5f * 1);      // 17.5
        QCOMPARE(y[1], -0.5f);                        // code 0 in sub-block 0: -dmin*1
        // Sub-block 5 (values 160..191): byte 9 and the top bits of bytes 1 and 5, all zero here.
        QCOMPARE(y[160], 0.0f);
    }

    void q4_KAndQ5_KRandom()
    {
        std::mt19937 rng(3);
        for (int round = 0; round < 10; ++round) {
            const float d = pow2(rng), dmin = pow2(rng);
            int sc[8], mn[8], q4[256], q5[256];
            for (int j = 0; j < 8; ++j) {
                sc[j] = int(rng() % 64);
                mn[j] = int(rng() % 64);
            }
            std::vector<uint8_t> b4(144, 0), b5(176, 0);
            putHalf(b4, 0, d);
            putHalf(b4, 2, dmin);
            putHalf(b5, 0, d);
            putHalf(b5, 2, dmin);
            packScalesK4(b4, 4, sc, mn);
            packScalesK4(b5, 4, sc, mn);
            for (int i = 0; i < 256; ++i) {
                q4[i] = int(rng() % 16);
                q5[i] = int(rng() % 32);
                // Value i: group g = i/64 owns 32 bytes; within it, w<32 is a low nibble, w>=32 high.
                const int g = i / 64, w = i % 64;
                setBits(b4, 16 + 32 * g + w % 32, 4 * (w / 32), 4, q4[i]);
                setBits(b5, 48 + 32 * g + w % 32, 4 * (w / 32), 4, q5[i] & 15);
                // Q5_K fifth bit: qh[w%32], bit 2g for the low-nibble half, 2g+1 for the high.
                setBits(b5, 16 + w % 32, 2 * g + w / 32, 1, q5[i] >> 4);
            }
            const auto y4 = decode(GgmlType::Q4_K, b4, 256);
            const auto y5 = decode(GgmlType::Q5_K, b5, 256);
            for (int i = 0; i < 256; ++i) {
                const int j = i / 32;
                QCOMPARE(y4[i], d * float(sc[j]) * float(q4[i]) - dmin * float(mn[j]));
                QCOMPARE(y5[i], d * float(sc[j]) * float(q5[i]) - dmin * float(mn[j]));
            }
        }
    }

    void q6_KByHandAndRandom()
    {
        // By hand: d = 0.5, scale of values 0..15 = -3, value 0 = code 63 (ql[0] low nibble 15,
        // qh[0] bits 0-1 = 3) -> 0.5 * -3 * (63-32) = -46.5. Value 96 (quarter 3: high nibble of
        // ql[32], qh[0] bits 6-7), code 0 -> scale of values 96..111 (index 6) = 2 -> 0.5*2*-32 = -32.
        std::vector<uint8_t> h(210, 0);
        putHalf(h, 208, 0.5f);
        h[192 + 0] = uint8_t(int8_t(-3));
        h[192 + 6] = 2;
        h[0] = 0x0F;
        h[128] = 0x03;
        const auto yh = decode(GgmlType::Q6_K, h, 256);
        QCOMPARE(yh[0], -46.5f);
        QCOMPARE(yh[96], -32.0f);

        std::mt19937 rng(4);
        for (int round = 0; round < 10; ++round) {
            const float d = pow2(rng);
            int sc[16], q[256];
            std::vector<uint8_t> b(210, 0);
            putHalf(b, 208, d);
            for (int j = 0; j < 16; ++j) {
                sc[j] = int(rng() % 256) - 128;
                b[192 + j] = uint8_t(int8_t(sc[j]));
            }
            for (int i = 0; i < 256; ++i) {
                q[i] = int(rng() % 64);
                // Half h of 128 values, quarter k of 32, position l: the low 4 bits sit in
                // ql[64h + l + 32*(k%2)] (low nibble for k<2, high for k>=2); the top 2 bits in
                // qh[32h + l] at bit 2k.
                const int hh = i / 128, k = (i % 128) / 32, l = i % 32;
                setBits(b, size_t(64 * hh + l + 32 * (k % 2)), 4 * (k / 2), 4, q[i] & 15);
                setBits(b, size_t(128 + 32 * hh + l), 2 * k, 2, q[i] >> 4);
            }
            const auto y = decode(GgmlType::Q6_K, b, 256);
            for (int i = 0; i < 256; ++i)
                QCOMPARE(y[i], d * float(sc[i / 16]) * float(q[i] - 32));
        }
    }

    void q2_KAndQ3_K()
    {
        std::mt19937 rng(5);
        for (int round = 0; round < 10; ++round) {
            const float d = pow2(rng), dmin = pow2(rng);
            // Q2_K: scales[16] (low nibble scale, high nibble min) at 0, qs[64] at 16, d, dmin at 80.
            int sc2[16], mn2[16], q2[256];
            std::vector<uint8_t> b2(84, 0);
            putHalf(b2, 80, d);
            putHalf(b2, 82, dmin);
            for (int j = 0; j < 16; ++j) {
                sc2[j] = int(rng() % 16);
                mn2[j] = int(rng() % 16);
                b2[size_t(j)] = uint8_t(sc2[j] | (mn2[j] << 4));
            }
            // Q3_K: hmask[32] at 0, qs[64] at 32, 12 scale bytes at 96, d at 108.
            int sc3[16], q3[256];
            std::vector<uint8_t> b3(110, 0);
            putHalf(b3, 108, d);
            for (int j = 0; j < 16; ++j) {
                sc3[j] = int(rng() % 64) - 32;
                const int l = sc3[j] + 32; // stored 6-bit
                if (j < 8)
                    b3[size_t(96 + j)] |= uint8_t(l & 0xF);
                else
                    b3[size_t(96 + j - 8)] |= uint8_t((l & 0xF) << 4);
                b3[size_t(96 + 8 + j % 4)] |= uint8_t((l >> 4) << (2 * (j / 4)));
            }
            for (int i = 0; i < 256; ++i) {
                // Half h of 128, shift group s of 32, position l: 2 bits of byte 32h + l at 2s.
                const int hh = i / 128, s = (i % 128) / 32, l = i % 32;
                q2[i] = int(rng() % 4);
                setBits(b2, size_t(16 + 32 * hh + l), 2 * s, 2, q2[i]);
                q3[i] = int(rng() % 8) - 4; // -4..3: low 2 bits stored, hmask bit set when q >= 0
                setBits(b3, size_t(32 + 32 * hh + l), 2 * s, 2, (q3[i] + 4) & 3);
                setBits(b3, size_t(l), 4 * hh + s, 1, q3[i] >= 0 ? 1 : 0);
            }
            const auto y2 = decode(GgmlType::Q2_K, b2, 256);
            const auto y3 = decode(GgmlType::Q3_K, b3, 256);
            for (int i = 0; i < 256; ++i) {
                QCOMPARE(y2[i], d * float(sc2[i / 16]) * float(q2[i]) - dmin * float(mn2[i / 16]));
                QCOMPARE(y3[i], d * float(sc3[i / 16]) * float(q3[i]));
            }
        }
    }

    void q8_K()
    {
        std::vector<uint8_t> b(292, 0);
        const float d = 0.125f;
        std::memcpy(b.data(), &d, 4);
        for (int i = 0; i < 256; ++i)
            b[size_t(4 + i)] = uint8_t(int8_t(i - 128));
        const auto y = decode(GgmlType::Q8_K, b, 256);
        for (int i = 0; i < 256; ++i)
            QCOMPARE(y[i], float(i - 128) * 0.125f);
    }

    void nonPowerOfTwoScaleMatchesFloatFormula()
    {
        // d = 0.1 is not exact in half (0.0999755859375); the decoder must use the rounded half.
        std::vector<uint8_t> b(34, 0);
        b[0] = uint8_t(floatToHalf(0.1f) & 0xff);
        b[1] = uint8_t(floatToHalf(0.1f) >> 8);
        b[2] = 100;
        const auto y = decode(GgmlType::Q8_0, b, 32);
        QCOMPARE(double(y[0]), 100.0 * 0.0999755859375);
    }

    void badCalls()
    {
        std::vector<uint8_t> b(66, 0);
        float out[256];
        QVERIFY_THROWS_EXCEPTION(Error, dequantizeRow(GgmlType::IQ2_XXS, b.data(), out, 256));
        QVERIFY_THROWS_EXCEPTION(Error, dequantizeRow(GgmlType::Q8_0, b.data(), out, 33));
        QVERIFY_THROWS_EXCEPTION(Error, dequantizeRow(GgmlType(200), b.data(), out, 1));
    }
};

QTEST_GUILESS_MAIN(TestGgmlDequant)
#include "test_ggmldequant.moc"
