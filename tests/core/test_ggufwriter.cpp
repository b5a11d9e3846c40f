// GgufWriter and the ggml reference quantizers: every metadata type and every writable tensor
// type round-trips through GgufReader; Q8_0 and Q4_0 blocks of known values match d and q
// computed by hand from ggml's reference algorithm; random rows decode within the grid's
// rounding bound; a cancelled or refused write leaves the directory as it was.
#include "base/Error.h"
#include "io/GgmlDequant.h"
#include "io/GgufReader.h"
#include "io/GgufWriter.h"
#include "quant/GgmlQuantize.h"
#include "tensor/Half.h"

#include "InputErrorCheck.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace salience;

namespace {

using S = GgufValue::Storage;

QStringList entries(const QTemporaryDir& dir)
{
    return QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

std::vector<float> randomValues(size_t n, unsigned seed, float scale = 1.0f)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.0f, scale);
    std::vector<float> v(n);
    for (auto& x : v)
        x = dist(rng);
    return v;
}

std::vector<float> dequant(GgmlType type, const std::vector<uint8_t>& bytes, int64_t n)
{
    std::vector<float> out(static_cast<size_t>(n));
    dequantizeRow(type, bytes.data(), out.data(), n);
    return out;
}

uint16_t halfAt(const std::vector<uint8_t>& b, size_t at)
{
    uint16_t h;
    std::memcpy(&h, b.data() + at, 2);
    return h;
}

} // namespace

class TestGgufWriter : public QObject {
    Q_OBJECT
private slots:
    void everyMetadataTypeRoundTrips()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("meta.gguf").toStdString();
        GgufWriter w;
        w.setUInt8("t.u8", 200);
        w.setInt8("t.i8", -100);
        w.setUInt16("t.u16", 60000);
        w.setInt16("t.i16", -30000);
        w.setUInt32("t.u32", 4000000000u);
        w.setInt32("t.i32", -2000000000);
        w.setFloat32("t.f32", 1e-5f);
        w.setBool("t.true", true);
        w.setBool("t.false", false);
        w.setString("t.str", "h\xc3\xa9llo \xe2\x96\x81world");
        w.setString("t.empty", "");
        w.setUInt64("t.u64", 18000000000000000000ull);
        w.setInt64("t.i64", -9000000000000000000ll);
        w.setFloat64("t.f64", 3.141592653589793);
        w.setStringArray("t.strs", {"<unk>", "", "a b", std::string("\0x", 2)});
        w.setFloat32Array("t.f32s", {0.0f, -1.0f, 2.5f});
        w.setInt32Array("t.i32s", {1, 3, 6, -7});
        w.setStringArray("t.nostrs", {});
        // An array of arrays of uint16.
        GgufArray inner1{GgufValueType::UInt16, {GgufValue(S(std::in_place_index<2>, uint16_t(7)))}};
        GgufArray inner2{GgufValueType::UInt16, {}};
        GgufArray outer{GgufValueType::Array,
                        {GgufValue(S(std::in_place_index<9>, inner1)), GgufValue(S(std::in_place_index<9>, inner2))}};
        w.set("t.nested", GgufValue(S(std::in_place_index<9>, outer)));
        w.setUInt32("t.replaced", 1);
        w.setUInt32("t.replaced", 2); // replaces in place
        w.setString("t.removed", "x");
        QVERIFY(w.remove("t.removed"));
        QVERIFY(!w.remove("t.removed"));
        Progress p;
        w.write(path, false, p);
        QCOMPARE(p.fraction(), 1.0);

        GgufReader r(path);
        QCOMPARE(r.version(), 3u);
        QCOMPARE(r.keys(), w.keys());
        QCOMPARE(r.keys().size(), size_t(20));
        QCOMPARE(r.metadata("t.u8")->type(), GgufValueType::UInt8);
        QCOMPARE(std::get<uint8_t>(r.metadata("t.u8")->storage()), uint8_t(200));
        QCOMPARE(std::get<int8_t>(r.metadata("t.i8")->storage()), int8_t(-100));
        QCOMPARE(std::get<uint16_t>(r.metadata("t.u16")->storage()), uint16_t(60000));
        QCOMPARE(std::get<int16_t>(r.metadata("t.i16")->storage()), int16_t(-30000));
        QCOMPARE(std::get<uint32_t>(r.metadata("t.u32")->storage()), 4000000000u);
        QCOMPARE(std::get<int32_t>(r.metadata("t.i32")->storage()), -2000000000);
        QCOMPARE(std::get<float>(r.metadata("t.f32")->storage()), 1e-5f);
        QCOMPARE(r.getBool("t.true"), std::optional<bool>(true));
        QCOMPARE(r.getBool("t.false"), std::optional<bool>(false));
        QCOMPARE(*r.getString("t.str"), std::string("h\xc3\xa9llo \xe2\x96\x81world"));
        QCOMPARE(*r.getString("t.empty"), std::string());
        QCOMPARE(std::get<uint64_t>(r.metadata("t.u64")->storage()), 18000000000000000000ull);
        QCOMPARE(std::get<int64_t>(r.metadata("t.i64")->storage()), -9000000000000000000ll);
        QCOMPARE(std::get<double>(r.metadata("t.f64")->storage()), 3.141592653589793);
        QCOMPARE(r.getStringArray("t.strs"),
                 (std::vector<std::string>{"<unk>", "", "a b", std::string("\0x", 2)}));
        QCOMPARE(r.getFloat32Array("t.f32s"), (std::vector<float>{0.0f, -1.0f, 2.5f}));
        QCOMPARE(r.metadata("t.i32s")->array()->elementType, GgufValueType::Int32);
        QCOMPARE(r.getIntArray("t.i32s"), (std::vector<int64_t>{1, 3, 6, -7}));
        QCOMPARE(r.metadata("t.nostrs")->array()->elementType, GgufValueType::String);
        QVERIFY(r.metadata("t.nostrs")->array()->items.empty());
        const GgufArray* nested = r.metadata("t.nested")->array();
        QCOMPARE(nested->elementType, GgufValueType::Array);
        QCOMPARE(nested->items.size(), size_t(2));
        QCOMPARE(nested->items[0].array()->elementType, GgufValueType::UInt16);
        QCOMPARE(*nested->items[0].array()->items[0].toInt(), int64_t(7));
        QVERIFY(nested->items[1].array()->items.empty());
        QCOMPARE(*r.getInt("t.replaced"), int64_t(2));
        QVERIFY(!r.metadata("t.removed"));
        QVERIFY(!r.metadata("general.alignment")); // 32 is the default and not written
        QCOMPARE(r.alignment(), uint64_t(32));
        QCOMPARE(r.tensors().size(), size_t(0));
    }

    void everyTensorTypeRoundTrips()
    {
        QTemporaryDir dir;
        for (uint64_t alignment : {uint64_t(32), uint64_t(64), uint64_t(8)}) {
            const std::string path = dir.filePath(QString("t%1.gguf").arg(alignment)).toStdString();
            GgufWriter w(alignment);
            w.setString("general.architecture", "test");
            const int64_t rows = 3, cols = 512;
            const std::vector<GgmlType> types{GgmlType::F32,  GgmlType::F16,  GgmlType::BF16, GgmlType::Q4_0,
                                              GgmlType::Q4_1, GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q8_0,
                                              GgmlType::Q4_K, GgmlType::Q6_K};
            std::vector<std::vector<uint8_t>> written;
            for (size_t i = 0; i < types.size(); ++i) {
                const auto x = randomValues(size_t(rows * cols), unsigned(i + 1));
                written.push_back(quantizeRows(types[i], x.data(), rows, cols));
                w.addTensor("t." + ggmlTypeName(uint32_t(types[i])), types[i], {rows, cols}, written.back());
            }
            // A 1-D F32 tensor of odd length (padding after it) and a 3-D one.
            w.addTensor("odd", GgmlType::F32, {3}, std::vector<uint8_t>(12, 0x11));
            std::vector<uint8_t> ones(48, 0);
            for (size_t i = 1; i < ones.size(); i += 2)
                ones[i] = 0x3c; // float16 1.0 = 0x3c00, little-endian
            w.addTensor("cube", GgmlType::F16, {2, 3, 4}, ones);
            Progress p;
            w.write(path, false, p);

            GgufReader r(path);
            QCOMPARE(r.alignment(), alignment);
            if (alignment == 32)
                QVERIFY(!r.metadata("general.alignment"));
            else
                QCOMPARE(*r.getInt("general.alignment"), int64_t(alignment));
            QCOMPARE(r.dataOffset() % alignment, uint64_t(0));
            QCOMPARE(r.tensors().size(), types.size() + 2);
            for (size_t i = 0; i < types.size(); ++i) {
                const std::string name = "t." + ggmlTypeName(uint32_t(types[i]));
                const GgufTensorInfo* t = r.tensorInfo(name);
                QVERIFY(t);
                QCOMPARE(t->typeId, uint32_t(types[i]));
                QCOMPARE(t->info.shape, (std::vector<int64_t>{rows, cols}));
                QCOMPARE(t->ne, (std::vector<int64_t>{cols, rows}));
                QCOMPARE(t->relativeOffset % alignment, uint64_t(0));
                const auto raw = r.rawBytes(name);
                QCOMPARE(raw.size, uint64_t(written[i].size()));
                QVERIFY(std::memcmp(raw.data, written[i].data(), written[i].size()) == 0);
                QCOMPARE(r.readFloat(name).data, dequant(types[i], written[i], rows * cols));
            }
            QCOMPARE(r.tensorInfo("odd")->ne, (std::vector<int64_t>{3}));
            QCOMPARE(r.tensorInfo("cube")->ne, (std::vector<int64_t>{4, 3, 2}));
            QCOMPARE(r.readFloat("cube").data, std::vector<float>(24, 1.0f));
            // The last tensor is padded too, as llama.cpp writes it.
            QCOMPARE(r.fileSize() % alignment, uint64_t(0));
        }
    }

    void badTensorsAreRefused()
    {
        VERIFY_INPUT_ERROR(GgufWriter(24), "GGUF writer", "power of two");
        VERIFY_INPUT_ERROR(GgufWriter(0), "GGUF writer", "power of two");
        GgufWriter w;
        VERIFY_INPUT_ERROR(w.addTensor("q", GgmlType::Q8_0, {2, 48}, std::vector<uint8_t>(68)), "q",
                           "not a whole number of Q8_0 blocks of 32");
        VERIFY_INPUT_ERROR(w.addTensor("f", GgmlType::F32, {2, 2}, std::vector<uint8_t>(15)), "f", "16 expected");
        VERIFY_INPUT_ERROR(w.addTensor("z", GgmlType::F32, {0, 2}, std::vector<uint8_t>()), "z", "below 1");
        VERIFY_INPUT_ERROR(w.addTensor("d", GgmlType::F32, {1, 1, 1, 1, 1}, std::vector<uint8_t>(4)), "d",
                           "5 dimensions");
        VERIFY_INPUT_ERROR(w.addTensor("u", GgmlType(99), {1}, std::vector<uint8_t>(4)), "u", "unknown ggml type");
        VERIFY_INPUT_ERROR(w.addTensor("o", GgmlType::F32, {int64_t(1) << 62, 8}, std::vector<uint8_t>(4)), "o",
                           "overflows");
        w.addTensor("a", GgmlType::F32, {1}, std::vector<uint8_t>(4));
        VERIFY_INPUT_ERROR(w.addTensor("a", GgmlType::F32, {1}, std::vector<uint8_t>(4)), "a", "added twice");
        VERIFY_INPUT_ERROR(w.setUInt32("general.alignment", 64), "GGUF writer", "alignment");
        VERIFY_INPUT_ERROR(w.setUInt32("", 1), "GGUF writer", "empty metadata key");
        GgufArray mixed{GgufValueType::Int32, {GgufValue(S(std::in_place_index<4>, 1u))}};
        VERIFY_INPUT_ERROR(w.set("m", GgufValue(S(std::in_place_index<9>, mixed))), "m", "holds a uint32");

        // A producer that returns the wrong size: refused, nothing left behind.
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.gguf").toStdString();
        GgufWriter lying;
        lying.addTensor("t", GgmlType::F32, {4}, GgufWriter::Producer([] { return std::vector<uint8_t>(12); }));
        Progress p;
        VERIFY_INPUT_ERROR(lying.write(path, false, p), path, "12 bytes, 16 expected");
        QVERIFY(entries(dir).isEmpty());
    }

    void cancelAndExistingFileLeaveTheDirectoryAlone()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("c.gguf").toStdString();
        GgufWriter w;
        Progress progress;
        // Cancelled from inside the second tensor's producer: after bytes were written.
        w.addTensor("a", GgmlType::F32, {8}, std::vector<uint8_t>(32, 1));
        w.addTensor("b", GgmlType::F32, {8}, GgufWriter::Producer([&progress] {
                        progress.requestCancel();
                        return std::vector<uint8_t>(32, 2);
                    }));
        w.addTensor("c", GgmlType::F32, {8}, std::vector<uint8_t>(32, 3));
        QVERIFY_THROWS_EXCEPTION(CancelledError, w.write(path, false, progress));
        QVERIFY(entries(dir).isEmpty());

        // An existing file is kept unless overwrite is asked for.
        {
            QFile f(QString::fromStdString(path));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("keep me");
        }
        GgufWriter small;
        small.setString("k", "v");
        Progress p;
        VERIFY_INPUT_ERROR(small.write(path, false, p), path, "already exists");
        QFile kept(QString::fromStdString(path));
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("keep me"));
        kept.close();
        small.write(path, true, p);
        QCOMPARE(*GgufReader(path).getString("k"), std::string("v"));
        QCOMPARE(entries(dir), QStringList{"c.gguf"});
    }

    // ---- quantizers ----

    void q8_0BlockByHand()
    {
        // x_j = (j - 10)/4: amax = 5.25, so d = 5.25/127 = 0.0413385..., which float16 rounds to
        // (1 + 331/1024)·2^-5 = 0.041351318359375 (0.0413385·32·1024 = 1354.58 → 1355 = 1024 + 331).
        std::vector<float> x(32);
        for (int j = 0; j < 32; ++j)
            x[size_t(j)] = float(j - 10) * 0.25f;
        const auto b = quantizeRows(GgmlType::Q8_0, x.data(), 1, 32);
        QCOMPARE(b.size(), size_t(34));
        QCOMPARE(halfToFloat(halfAt(b, 0)), 0.041351318359375f);
        const auto y = dequant(GgmlType::Q8_0, b, 32);
        for (int j = 0; j < 32; ++j) {
            // q = round(x/d) with ggml's unrounded d = amax/127: (j-10)/4·127/5.25; no value lies
            // near a half, so double arithmetic gives the same integer.
            const long q = std::lround(double(j - 10) * 0.25 * 127.0 / 5.25);
            QCOMPARE(int(int8_t(b[size_t(2 + j)])), int(q));
            QCOMPARE(y[size_t(j)], float(q) * 0.041351318359375f);
        }
        QCOMPARE(int(int8_t(b[2 + 31])), 127);
        QCOMPARE(int(int8_t(b[2 + 0])), -60); // -2.5·127/5.25 = -60.48
    }

    void q4_0BlockByHand()
    {
        // x_j = (j - 20)/2: the value of largest magnitude is x_0 = -10, so d = -10/-8 = 1.25
        // (exact in float16) and nibble = min(15, trunc(x/1.25 + 8.5)) = floor(0.4(j-20) + 8.5),
        // never near an integer boundary. Value j is the low nibble of byte j, j+16 the high one.
        std::vector<float> x(32);
        for (int j = 0; j < 32; ++j)
            x[size_t(j)] = float(j - 20) * 0.5f;
        const auto b = quantizeRows(GgmlType::Q4_0, x.data(), 1, 32);
        QCOMPARE(b.size(), size_t(18));
        QCOMPARE(halfToFloat(halfAt(b, 0)), 1.25f);
        const auto y = dequant(GgmlType::Q4_0, b, 32);
        for (int j = 0; j < 32; ++j) {
            const int nibble = std::min(15, int(std::floor(0.4 * (j - 20) + 8.5)));
            const uint8_t byte = b[size_t(2 + (j % 16))];
            QCOMPARE(int(j < 16 ? byte & 0xf : byte >> 4), nibble);
            QCOMPARE(y[size_t(j)], float(nibble - 8) * 1.25f);
        }
        QCOMPARE(int(b[2] & 0xf), 0);   // -10/1.25 + 8.5 = 0.5
        QCOMPARE(int(b[2 + 15] >> 4), 12); // x_31 = 5.5: 4.4 + 8.5 = 12.9
    }

    void zeroBlocksStayZero()
    {
        const std::vector<float> zeros(256, 0.0f);
        for (GgmlType t : {GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q8_0,
                           GgmlType::Q4_K, GgmlType::Q6_K}) {
            const auto b = quantizeRows(t, zeros.data(), 1, 256);
            QCOMPARE(dequant(t, b, 256), zeros);
        }
    }

    void randomRowsDecodeWithinTheGrid()
    {
        // Per 32-value block the reference quantizers round to the nearest level, so the error
        // is at most half a step (plus float16 rounding of d and m): step = amax/127 (Q8_0),
        // amax/8 (Q4_0), amax/16 (Q5_0), range/15 (Q4_1), range/31 (Q5_1). Q4_0 and Q5_0 put
        // the extreme value at level -8 (-16), so values of the other sign clip at level 7 (15).
        const int64_t n = 32 * 64;
        const auto x = randomValues(size_t(n), 7, 0.05f);
        struct Case {
            GgmlType type;
            double stepsPerAmax; // step = (amax or range) / this
            bool usesRange;
        };
        for (const Case c : {Case{GgmlType::Q8_0, 127, false}, Case{GgmlType::Q4_0, 8, false},
                             Case{GgmlType::Q5_0, 16, false}, Case{GgmlType::Q4_1, 15, true},
                             Case{GgmlType::Q5_1, 31, true}}) {
            const auto b = quantizeRows(c.type, x.data(), 1, n);
            QCOMPARE(b.size(), size_t(ggmlByteSize(c.type, n)));
            const auto y = dequant(c.type, b, n);
            for (int64_t blk = 0; blk < n / 32; ++blk) {
                float lo = 1e30f, hi = -1e30f, amax = 0, extreme = 0;
                for (int j = 0; j < 32; ++j) {
                    const float v = x[size_t(blk * 32 + j)];
                    lo = std::min(lo, v);
                    hi = std::max(hi, v);
                    if (std::fabs(v) > amax) {
                        amax = std::fabs(v);
                        extreme = v;
                    }
                }
                const double step = (c.usesRange ? hi - lo : amax) / c.stepsPerAmax;
                for (int j = 0; j < 32; ++j) {
                    const size_t i = size_t(blk * 32 + j);
                    // Slack: float16 d rounds by 2^-11 relative, over up to 16 steps (or 31),
                    // and m by 2^-11 of |min|.
                    double rounding = 0.5 * step;
                    const bool clips = c.type == GgmlType::Q4_0 || c.type == GgmlType::Q5_0;
                    if (clips && (x[i] > 0) != (extreme > 0))
                        rounding = std::max(rounding, std::fabs(double(x[i])) - (c.stepsPerAmax - 1) * step);
                    const double bound = rounding + 32 * step * std::ldexp(1.0, -11) +
                                         std::fabs(lo) * std::ldexp(1.0, -11) + 1e-9;
                    QVERIFY2(std::fabs(double(y[i]) - double(x[i])) <= bound,
                             qPrintable(QString("%1 value %2: %3 vs %4")
                                            .arg(QString::fromStdString(ggmlTypeName(uint32_t(c.type))))
                                            .arg(i)
                                            .arg(y[i])
                                            .arg(x[i])));
                }
            }
        }
        // K-quants: RMS error well under the plain 4/6-bit grids' bound of step/sqrt(12).
        const int64_t nk = 256 * 8;
        const auto xk = randomValues(size_t(nk), 11, 0.05f);
        double signal = 0;
        for (float v : xk)
            signal += double(v) * v;
        for (const auto& [type, maxRel] : {std::pair{GgmlType::Q6_K, 0.03}, std::pair{GgmlType::Q4_K, 0.12}}) {
            const auto y = dequant(type, quantizeRows(type, xk.data(), 1, nk), nk);
            double err = 0;
            for (size_t i = 0; i < xk.size(); ++i)
                err += (double(y[i]) - xk[i]) * (double(y[i]) - xk[i]);
            const double rel = std::sqrt(err / signal);
            QVERIFY2(rel < maxRel && rel > 0, qPrintable(QString::number(rel)));
        }
        // Q6_K is finer than Q4_K on the same data.
    }

    void floatTypesPassThrough()
    {
        const std::vector<float> x{1.0f, -2.5f, 65504.0f, 1e-8f, 0.1f, INFINITY, -0.0f, 3.14159f};
        const auto f32 = quantizeRows(GgmlType::F32, x.data(), 2, 4);
        QVERIFY(std::memcmp(f32.data(), x.data(), 32) == 0);
        const auto f16 = quantizeRows(GgmlType::F16, x.data(), 2, 4);
        for (size_t i = 0; i < x.size(); ++i)
            QCOMPARE(halfAt(f16, 2 * i), floatToHalf(x[i]));
        const auto bf = quantizeRows(GgmlType::BF16, x.data(), 1, 8);
        for (size_t i = 0; i < x.size(); ++i)
            QCOMPARE(halfAt(bf, 2 * i), floatToBf16(x[i]));
    }

    void quantizerRefusesBadInput()
    {
        std::vector<float> x(64, 1.0f);
        std::vector<uint8_t> out(1024);
        VERIFY_INPUT_ERROR(quantizeRow(GgmlType::Q8_0, x.data(), out.data(), 48), "ggml quantize",
                           "not a whole number of Q8_0 blocks");
        VERIFY_INPUT_ERROR(quantizeRow(GgmlType::IQ2_XXS, x.data(), out.data(), 256), "ggml quantize",
                           "cannot write type IQ2_XXS");
        x[5] = NAN;
        VERIFY_INPUT_ERROR(quantizeRow(GgmlType::Q4_0, x.data(), out.data(), 64), "ggml quantize", "value 5");
        QVERIFY(canQuantize(GgmlType::Q6_K) && canQuantize(GgmlType::Q3_K) && !canQuantize(GgmlType::IQ4_XS));
        // An importance matrix that counts must be finite and non-negative; Q8_0 ignores it, as ggml does.
        std::vector<float> row(256, 0.5f), importance(256, 1.0f);
        importance[3] = -1.0f;
        VERIFY_INPUT_ERROR(quantizeRow(GgmlType::Q4_K, row.data(), out.data(), 256, importance.data()), "ggml quantize",
                           "importance 3");
        importance[3] = NAN;
        VERIFY_INPUT_ERROR(quantizeRow(GgmlType::Q4_0, row.data(), out.data(), 256, importance.data()), "ggml quantize",
                           "importance 3");
        quantizeRow(GgmlType::Q8_0, row.data(), out.data(), 256, importance.data());
        QVERIFY(usesImportance(GgmlType::Q3_K) && usesImportance(GgmlType::IQ4_NL) && !usesImportance(GgmlType::Q8_0));
        VERIFY_INPUT_ERROR(ggmlByteSize(GgmlType::F32, int64_t(1) << 62), "ggml quantize", "overflows");
    }
};

QTEST_GUILESS_MAIN(TestGgufWriter)
#include "test_ggufwriter.moc"
