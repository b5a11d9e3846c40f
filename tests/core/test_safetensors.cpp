// Safetensors: the real stories260K HF file, the writer's round trips and header layout,
// sharded checkpoints, and every kind of bad header as an InputError naming the file.
#include "InputErrorCheck.h"
#include "TestData.h"
#include "base/Error.h"
#include "io/Llama2cReader.h"
#include "io/SafetensorsReader.h"
#include "io/SafetensorsWriter.h"
#include "io/ShardedSafetensors.h"
#include "base/Progress.h"
#include "tensor/Half.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <random>

using namespace salience;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool writeAll(const QString& path, const QByteArray& bytes)
{
    // Remove first: truncating a file in place makes ext4 flush it, which is slow in loops.
    QFile::remove(path);
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray le64(uint64_t v)
{
    QByteArray b(8, '\0');
    for (int i = 0; i < 8; ++i)
        b[i] = char(uint8_t(v >> (8 * i)));
    return b;
}

uint64_t readLe64(const QByteArray& b)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | uint8_t(b[i]);
    return v;
}

// A safetensors file assembled by hand, independent of SafetensorsWriter.
QByteArray handMade(const QByteArray& header, const QByteArray& data)
{
    return le64(uint64_t(header.size())) + header + data;
}

QByteArray floatBytes(const std::vector<float>& v)
{
    return QByteArray(reinterpret_cast<const char*>(v.data()), qsizetype(v.size() * 4));
}


float floatAt(const QByteArray& file, qint64 offset)
{
    float v;
    std::memcpy(&v, file.constData() + offset, 4);
    return v;
}

// The HF layout of stories260K, as SOURCES.md lists it.
QMap<QString, QList<int64_t>> expectedHfShapes()
{
    QMap<QString, QList<int64_t>> s;
    s["model.embed_tokens.weight"] = {512, 64};
    s["model.norm.weight"] = {64};
    for (int i = 0; i < 5; ++i) {
        const QString p = QStringLiteral("model.layers.%1.").arg(i);
        s[p + "self_attn.q_proj.weight"] = {64, 64};
        s[p + "self_attn.k_proj.weight"] = {32, 64};
        s[p + "self_attn.v_proj.weight"] = {32, 64};
        s[p + "self_attn.o_proj.weight"] = {64, 64};
        s[p + "mlp.gate_proj.weight"] = {172, 64};
        s[p + "mlp.up_proj.weight"] = {172, 64};
        s[p + "mlp.down_proj.weight"] = {64, 172};
        s[p + "input_layernorm.weight"] = {64};
        s[p + "post_attention_layernorm.weight"] = {64};
    }
    return s;
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private slots:
    void realHfFile()
    {
        REQUIRE_TEST_DATA("stories260K/hf/model.safetensors");
        const std::string path = testdata::path("stories260K/hf/model.safetensors");
        SafetensorsReader r(path);
        QCOMPARE(r.format(), std::string("safetensors"));
        QCOMPARE(r.path(), path);
        QCOMPARE(r.tensors().size(), size_t(47));
        QCOMPARE(r.metadata().size(), size_t(1));
        QCOMPARE(r.metadata().at("format"), std::string("pt"));

        const auto expected = expectedHfShapes();
        QCOMPARE(expected.size(), 47);
        int64_t params = 0;
        for (const TensorInfo& t : r.tensors()) {
            const QString name = QString::fromStdString(t.name);
            QVERIFY2(expected.contains(name), qPrintable(name));
            QCOMPARE(QList<int64_t>(t.shape.begin(), t.shape.end()), expected[name]);
            QCOMPARE(t.dtype, std::string("F32"));
            QVERIFY(t.decodable);
            QCOMPARE(t.byteSize, uint64_t(t.numel()) * 4);
            params += t.numel();
        }
        QCOMPARE(params, int64_t(260032)); // SOURCES.md: the model's parameter count

        // Cross-check against the bytes, located through Qt's own JSON parser.
        const QByteArray file = readAll(QString::fromStdString(path));
        QCOMPARE(file.size(), 1044992);
        const uint64_t n = readLe64(file.left(8));
        QCOMPARE(n % 8, uint64_t(0));
        QCOMPARE(r.dataStart(), 8 + n);
        const QJsonObject header = QJsonDocument::fromJson(file.mid(8, qsizetype(n))).object();
        QCOMPARE(header.size(), 48); // 47 tensors + __metadata__
        for (const char* name : {"model.embed_tokens.weight", "model.layers.3.self_attn.k_proj.weight",
                                 "model.layers.4.mlp.down_proj.weight", "model.norm.weight"}) {
            const QJsonArray offsets = header[name].toObject()["data_offsets"].toArray();
            const qint64 begin = 8 + qint64(n) + offsets[0].toInteger();
            const FloatTensor t = r.readFloat(name);
            QCOMPARE(qint64(t.data.size() * 4), offsets[1].toInteger() - offsets[0].toInteger());
            for (size_t k : {size_t(0), size_t(1), t.data.size() / 2, t.data.size() - 1})
                QCOMPARE(t.data[k], floatAt(file, begin + qint64(4 * k)));
            QVERIFY(std::memcmp(r.raw(name).data, file.constData() + begin, t.data.size() * 4) == 0);
        }
    }

    // hf/ was made from stories260K.bin with q/k permuted for HF's rotate_half RoPE:
    // W.reshape(heads, rows/heads/2, 2, cols).transpose(0,2,1,3).reshape(rows, cols).
    // Undoing it here, by an index formula of its own, must give the .bin's wq/wk bit for bit.
    void hfEqualsLlama2cAfterInversePermutation()
    {
        REQUIRE_TEST_DATA("stories260K/hf/model.safetensors");
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        SafetensorsReader hf(testdata::path("stories260K/hf/model.safetensors"));
        Llama2cReader bin(testdata::path("stories260K/stories260K.bin"));

        const auto samePermuted = [&](const std::string& hfName, const std::string& binName,
                                      int heads) {
            const FloatTensor h = hf.readFloat(hfName);
            const FloatTensor w = bin.readFloat(binName);
            QCOMPARE(h.shape, w.shape);
            const int64_t rows = w.shape[0], cols = w.shape[1], headSize = rows / heads;
            bool anyMoved = false;
            for (int64_t r = 0; r < rows; ++r) {
                // llama2.c row r = head*hs + 2*j + i (interleaved pairs) is HF row
                // head*hs + i*hs/2 + j (halves).
                const int64_t head = r / headSize, within = r % headSize;
                const int64_t j = within / 2, i = within % 2;
                const int64_t hfRow = head * headSize + i * (headSize / 2) + j;
                anyMoved |= hfRow != r;
                for (int64_t c = 0; c < cols; ++c)
                    if (floatBits(h.data[size_t(hfRow * cols + c)]) !=
                        floatBits(w.data[size_t(r * cols + c)]))
                        QFAIL(qPrintable(QStringLiteral("%1 row %2 col %3 differs")
                                             .arg(QString::fromStdString(hfName)).arg(r).arg(c)));
            }
            QVERIFY(anyMoved);
        };
        const auto same = [&](const std::string& hfName, const std::string& binName) {
            const FloatTensor h = hf.readFloat(hfName);
            const FloatTensor w = bin.readFloat(binName);
            QCOMPARE(h.shape, w.shape);
            QVERIFY2(std::memcmp(h.data.data(), w.data.data(), h.data.size() * 4) == 0,
                     hfName.c_str());
        };
        same("model.embed_tokens.weight", "tok_embeddings.weight");
        same("model.norm.weight", "norm.weight");
        for (int l = 0; l < 5; ++l) {
            const std::string p = "model.layers." + std::to_string(l) + ".";
            const std::string b = "layers." + std::to_string(l) + ".";
            samePermuted(p + "self_attn.q_proj.weight", b + "attention.wq.weight", 8);
            samePermuted(p + "self_attn.k_proj.weight", b + "attention.wk.weight", 4);
            same(p + "self_attn.v_proj.weight", b + "attention.wv.weight");
            same(p + "self_attn.o_proj.weight", b + "attention.wo.weight");
            same(p + "mlp.gate_proj.weight", b + "feed_forward.w1.weight");
            same(p + "mlp.down_proj.weight", b + "feed_forward.w2.weight");
            same(p + "mlp.up_proj.weight", b + "feed_forward.w3.weight");
            same(p + "input_layernorm.weight", b + "attention_norm.weight");
            same(p + "post_attention_layernorm.weight", b + "ffn_norm.weight");
        }
    }

    void writerRoundTrip()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("rt.safetensors").toStdString();
        const float tenth = 0.1f;
        const std::vector<float> values{1.0f, -2.0f, tenth, 0.0f, 65504.0f, 1e-8f};
        std::vector<uint8_t> i8{0x80, 0xff, 0x00, 0x01, 0x7f}; // -128, -1, 0, 1, 127
        std::vector<uint8_t> u8{0, 1, 200, 255};
        std::vector<uint8_t> i32(8), i64(8), f64(16), i16(4), boolean{0, 1, 2};
        const int32_t i32v[2]{-7, 2147483647};
        const int64_t i64v = -1234567890123LL;
        const double f64v[2]{0.5, -3.25};
        const int16_t i16v[2]{-300, 300};
        std::memcpy(i32.data(), i32v, 8);
        std::memcpy(i64.data(), &i64v, 8);
        std::memcpy(f64.data(), f64v, 16);
        std::memcpy(i16.data(), i16v, 4);
        const uint8_t f8[4]{0x38, 0x40, 0xc0, 0x00};

        SafetensorsWriter w;
        w.setMetadata({{"format", "pt"}, {"note", "round trip"}});
        w.addFloat("f32", {2, 3}, values, "F32");
        w.addFloat("f16", {6}, values, "F16");
        w.addFloat("bf16", {3, 2}, values, "BF16");
        w.addRaw("i8", "I8", {5}, i8);
        w.addRaw("u8", "U8", {2, 2}, u8);
        w.addRaw("i32", "I32", {2}, i32);
        w.addRaw("i64", "I64", {1, 1}, i64);
        w.addRaw("f64", "F64", {2}, f64);
        w.addRaw("i16", "I16", {2}, i16);
        w.addRaw("bool", "BOOL", {3}, boolean);
        w.addRawView("f8", "F8_E4M3", {2, 2}, f8, 4);
        w.addFloat("empty", {0, 4}, {}, "F32");
        w.addFloat("scalar", {}, {3.5f}, "F16");
        QCOMPARE(w.tensorCount(), size_t(13));
        w.write(path, false);

        SafetensorsReader r(path);
        QCOMPARE(r.tensors().size(), size_t(13));
        QCOMPARE(r.metadata().at("note"), std::string("round trip"));
        QCOMPARE(r.readFloat("f32").data, values);
        QCOMPARE(r.readFloat("f32").shape, (std::vector<int64_t>{2, 3}));

        // F16 by hand: 1 -> 0x3c00, -2 -> 0xc000, 0.1f -> 0x2e66, 65504 -> 0x7bff,
        // 1e-8 is below half the smallest subnormal (2^-25) -> 0.
        const RawTensorView f16 = r.raw("f16");
        const uint16_t f16Expected[6]{0x3c00, 0xc000, 0x2e66, 0x0000, 0x7bff, 0x0000};
        QCOMPARE(f16.size, size_t(12));
        QVERIFY(std::memcmp(f16.data, f16Expected, 12) == 0);
        const FloatTensor f16f = r.readFloat("f16");
        QCOMPARE(f16f.data[2], 0.0999755859375f); // 0x2e66 = 1.599609375 * 2^-4
        // BF16 by hand: 0.1f = 0x3dcccccd; the dropped half 0xcccd > 0x8000 rounds up: 0x3dcd.
        const uint16_t bf16Expected[6]{0x3f80, 0xc000, 0x3dcd, 0x0000, 0x4780, 0x322c};
        QVERIFY(std::memcmp(r.raw("bf16").data, bf16Expected, 12) == 0);
        QCOMPARE(r.readFloat("bf16").data[4], 65536.0f); // 65504 = 0x477fe000 rounds up to 0x4780

        QCOMPARE(r.readFloat("i8").data, (std::vector<float>{-128, -1, 0, 1, 127}));
        QVERIFY(std::memcmp(r.raw("i8").data, i8.data(), 5) == 0);
        QCOMPARE(r.raw("i8").dtype, std::string("I8"));
        QCOMPARE(r.readFloat("u8").data, (std::vector<float>{0, 1, 200, 255}));
        QCOMPARE(r.readFloat("i32").data, (std::vector<float>{-7, 2147483648.0f}));
        QCOMPARE(r.readFloat("i64").data, (std::vector<float>{-1234567890123.0f}));
        QCOMPARE(r.readFloat("f64").data, (std::vector<float>{0.5f, -3.25f}));
        QCOMPARE(r.readFloat("i16").data, (std::vector<float>{-300, 300}));
        QCOMPARE(r.readFloat("bool").data, (std::vector<float>{0, 1, 1}));
        QVERIFY(!r.find("f8")->decodable);
        QVERIFY(std::memcmp(r.raw("f8").data, f8, 4) == 0);
        QCOMPARE(r.readFloat("empty").data.size(), size_t(0));
        QCOMPARE(r.readFloat("empty").shape, (std::vector<int64_t>{0, 4}));
        QCOMPARE(r.readFloat("scalar").data, std::vector<float>{3.5f});
        QVERIFY(r.readFloat("scalar").shape.empty());

        // Header: 8-aligned, space-padded, compact JSON, tensors in the order added with
        // contiguous offsets, __metadata__ first.
        const QByteArray file = readAll(QString::fromStdString(path));
        const uint64_t n = readLe64(file.left(8));
        QCOMPARE(n % 8, uint64_t(0));
        const QByteArray header = file.mid(8, qsizetype(n));
        QVERIFY(header.startsWith("{\"__metadata__\":{\"format\":\"pt\",\"note\":\"round trip\"}"));
        const QByteArray trimmed = header.trimmed();
        QVERIFY(trimmed.endsWith('}'));
        QVERIFY(header.mid(trimmed.size()).count(' ') == header.size() - trimmed.size());
        QVERIFY(header.size() - trimmed.size() < 8);
        QVERIFY(!trimmed.contains(' ') || trimmed.count(' ') == 1); // only "round trip"
        QCOMPARE(QByteArray::fromStdString(w.header()), header);
        const QJsonObject h = QJsonDocument::fromJson(header).object();
        const QStringList order{"f32", "f16", "bf16", "i8", "u8", "i32", "i64",
                                "f64", "i16", "bool", "f8", "empty", "scalar"};
        qint64 expectedBegin = 0, lastPos = -1;
        for (const QString& name : order) {
            const qint64 pos = header.indexOf("\"" + name.toUtf8() + "\":{");
            QVERIFY2(pos > lastPos, qPrintable(name));
            lastPos = pos;
            const QJsonArray off = h[name].toObject()["data_offsets"].toArray();
            QCOMPARE(off[0].toInteger(), expectedBegin);
            expectedBegin = off[1].toInteger();
            QCOMPARE(qint64(r.find(name.toStdString())->byteSize), off[1].toInteger() - off[0].toInteger());
        }
        QCOMPARE(h["f16"].toObject()["dtype"].toString(), QString("F16"));
        QCOMPARE(h["scalar"].toObject()["shape"].toArray().size(), 0);
        QCOMPARE(file.size(), qint64(8 + n) + expectedBegin);
        // Byte-exact data: f32 data is the floats' own bytes.
        QCOMPARE(file.mid(qsizetype(8 + n), 24), floatBytes(values));
    }

    void writerNoMetadataAndEmptyFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("e.safetensors").toStdString();
        SafetensorsWriter w;
        w.write(path, false);
        SafetensorsReader r(path);
        QVERIFY(r.tensors().empty());
        QVERIFY(r.metadata().empty());
        QCOMPARE(readAll(QString::fromStdString(path)), le64(8) + QByteArray("{}      "));
    }

    void writerCopiesReaderTensorsByteForByte()
    {
        QTemporaryDir dir;
        const std::string a = dir.filePath("a.safetensors").toStdString();
        const std::string b = dir.filePath("b.safetensors").toStdString();
        SafetensorsWriter w;
        w.addFloat("x", {3}, {1.5f, -0.25f, 7.0f}, "BF16");
        w.addRaw("q", "I8", {2}, {0x05, 0xfb});
        w.write(a, false);
        SafetensorsReader ra(a);
        SafetensorsWriter copy;
        for (const TensorInfo& t : ra.tensors()) {
            const RawTensorView v = ra.raw(t.name);
            copy.addRawView(t.name, v.dtype, v.shape, v.data, v.size);
        }
        copy.write(b, false);
        QCOMPARE(readAll(QString::fromStdString(b)), readAll(QString::fromStdString(a)));
    }

    void writerRefusesBadTensors()
    {
        SafetensorsWriter w;
        w.addFloat("a", {2}, {1, 2});
        QVERIFY_THROWS_EXCEPTION(InputError, w.addFloat("a", {2}, {1, 2}));        // duplicate
        QVERIFY_THROWS_EXCEPTION(InputError, w.addFloat("b", {3}, {1, 2}));        // size
        QVERIFY_THROWS_EXCEPTION(InputError, w.addFloat("c", {2}, {1, 2}, "I8"));  // dtype
        QVERIFY_THROWS_EXCEPTION(InputError, w.addFloat("d", {-2}, {1, 2}));       // negative
        QVERIFY_THROWS_EXCEPTION(InputError, w.addRaw("e", "Q4_K", {2}, {1, 2}));  // unknown
        QVERIFY_THROWS_EXCEPTION(InputError, w.addRaw("f", "I32", {2}, {1, 2}));   // bytes
        QVERIFY_THROWS_EXCEPTION(InputError, w.addFloat("__metadata__", {1}, {1}));
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 w.addFloat("g", {int64_t(1) << 40, int64_t(1) << 40}, {1}));
        QCOMPARE(w.tensorCount(), size_t(1));
    }

    void writerOverwriteAndCancel()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("o.safetensors");
        QVERIFY(writeAll(path, "old"));
        SafetensorsWriter w;
        w.addFloat("a", {2}, {1, 2});
        w.addFloat("b", {2}, {3, 4});
        VERIFY_INPUT_ERROR(w.write(path.toStdString(), false), path.toStdString(), "already exists");
        QCOMPARE(readAll(path), QByteArray("old"));

        // Cancel after the first tensor: the target keeps its old bytes, no temporary remains.
        Progress progress([&](double, const std::string& message) {
            if (message == "writing a")
                progress.requestCancel();
        });
        QVERIFY_THROWS_EXCEPTION(CancelledError, w.write(path.toStdString(), true, progress));
        QCOMPARE(readAll(path), QByteArray("old"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);

        const QString fresh = dir.filePath("fresh.safetensors");
        QVERIFY_THROWS_EXCEPTION(CancelledError, w.write(fresh.toStdString(), false, progress));
        QVERIFY(!QFile::exists(fresh));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);

        double last = 0;
        Progress ok([&](double f, const std::string&) { last = f; });
        w.write(path.toStdString(), true, ok);
        QCOMPARE(last, 1.0);
        QCOMPARE(SafetensorsReader(path.toStdString()).readFloat("b").data, (std::vector<float>{3, 4}));
    }

    void handMadeHeaderWithHolesAndAnyOrder()
    {
        // Offsets out of key order, a gap between tensors, a zero-size tensor: all valid.
        QTemporaryDir dir;
        const std::string path = dir.filePath("h.safetensors").toStdString();
        const QByteArray header =
            R"({"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},)"
            R"("z":{"dtype":"F32","shape":[0],"data_offsets":[4,4]},)"
            R"("a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
        QVERIFY(writeAll(QString::fromStdString(path), handMade(header, floatBytes({1.0f, 9.0f, 2.0f}))));
        SafetensorsReader r(path);
        QCOMPARE(r.tensors().size(), size_t(3));
        QCOMPARE(r.tensors()[0].name, std::string("a")); // listed in data order
        QCOMPARE(r.tensors()[2].name, std::string("b"));
        QCOMPARE(r.readFloat("a").data, std::vector<float>{1.0f});
        QCOMPARE(r.readFloat("b").data, std::vector<float>{2.0f});
        QVERIFY(r.readFloat("z").data.empty());
        VERIFY_INPUT_ERROR(r.readFloat("missing"), path, "missing");
        VERIFY_INPUT_ERROR(r.raw("missing"), path, "missing");
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("fragment");
        const QByteArray one = floatBytes({1.0f, 2.0f});
        const QByteArray okHeader = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        QTest::newRow("empty file") << QByteArray() << "shorter than";
        QTest::newRow("truncated length") << QByteArray("\x10\0\0", 3) << "shorter than";
        QTest::newRow("header past end") << le64(4096) + okHeader + one << "past the end";
        QTest::newRow("absurd header length") << le64(~uint64_t(0)) + okHeader << "absurd";
        QTest::newRow("absurd but under 2^63") << le64(uint64_t(1) << 40) + okHeader << "absurd";
        QTest::newRow("truncated data") << handMade(okHeader, one.left(7)) << "past the data area";
        QTest::newRow("invalid json") << handMade(R"({"a":{"dtype":"F32",)", one) << "not valid JSON";
        QTest::newRow("not an object") << handMade("[1,2,3]", one) << "not a JSON object";
        QTest::newRow("binary header") << handMade(QByteArray(16, '\xff'), one) << "not valid JSON";
        QTest::newRow("missing dtype")
            << handMade(R"({"a":{"shape":[2],"data_offsets":[0,8]}})", one) << "dtype";
        QTest::newRow("missing shape")
            << handMade(R"({"a":{"dtype":"F32","data_offsets":[0,8]}})", one) << "shape";
        QTest::newRow("missing offsets")
            << handMade(R"({"a":{"dtype":"F32","shape":[2]}})", one) << "data_offsets";
        QTest::newRow("three offsets")
            << handMade(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}})", one)
            << "data_offsets";
        QTest::newRow("negative offset")
            << handMade(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[-8,8]}})", one)
            << "non-negative";
        QTest::newRow("float offset")
            << handMade(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0.0,8]}})", one)
            << "non-negative";
        QTest::newRow("reversed offsets")
            << handMade(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", one)
            << "begin after";
        QTest::newRow("offsets past data")
            << handMade(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", one)
            << "past the data area";
        QTest::newRow("huge offsets")
            << handMade(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[18446744073709551608,18446744073709551615]}})",
                        one)
            << "past the data area";
        QTest::newRow("offset beyond uint64")
            << handMade(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,18446744073709551616]}})", one)
            << "non-negative";
        QTest::newRow("overlap")
            << handMade(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                        R"("b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                        one)
            << "overlap";
        QTest::newRow("partial overlap")
            << handMade(R"({"a":{"dtype":"U8","shape":[5],"data_offsets":[0,5]},)"
                        R"("b":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}})",
                        one)
            << "overlap";
        QTest::newRow("shape dtype mismatch")
            << handMade(R"({"a":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}})", one)
            << "needs 4 bytes";
        QTest::newRow("negative dim")
            << handMade(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", one)
            << "non-negative integer";
        QTest::newRow("shape overflow")
            << handMade(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", one)
            << "overflows";
        QTest::newRow("bytes overflow")
            << handMade(R"({"a":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,8]}})", one)
            << "more than 2^64";
        QTest::newRow("duplicate tensor")
            << handMade(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                        R"("a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})",
                        one)
            << "twice";
        QTest::newRow("metadata not strings")
            << handMade(R"({"__metadata__":{"n":3},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", one)
            << "__metadata__";
        QTest::newRow("entry not object") << handMade(R"({"a":[1]})", one) << "not a JSON object";
        QTest::newRow("deep nesting")
            << handMade("{\"a\":" + QByteArray(100000, '[') + QByteArray(100000, ']') + "}", one)
            << "nests deeper than 256";
    }

    void badFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, fragment);
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.safetensors").toStdString();
        QVERIFY(writeAll(QString::fromStdString(path), bytes));
        VERIFY_INPUT_ERROR(SafetensorsReader r(path), path, fragment);
    }

    void missingFile()
    {
        const std::string path = "/nonexistent/dir/x.safetensors";
        VERIFY_INPUT_ERROR(SafetensorsReader r(path), path, "cannot open");
    }

    // A known dtype core cannot decode is listed and copied byte for byte, but reading it as
    // float is a clear error; a dtype nobody defines (its size unknown, so its bytes cannot be
    // checked) is refused when the file opens.
    void undecodableDtypeIsListedUnknownIsRefused()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("u.safetensors").toStdString();
        QVERIFY(writeAll(QString::fromStdString(path),
                         handMade(R"({"f8":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}})", QByteArray(2, '\x11'))));
        SafetensorsReader r(path);
        QCOMPARE(r.tensors().size(), size_t(1));
        QVERIFY(!r.find("f8")->decodable);
        const QString msg = inputErrorOf([&] { r.readFloat("f8"); });
        QVERIFY2(msg.contains(QString::fromStdString(path)) && msg.contains("'f8'") &&
                     msg.contains("F8_E4M3"),
                 qPrintable(msg));
        QCOMPARE(r.raw("f8").size, size_t(2)); // still copyable byte for byte

        for (const char* dtype : {"Q4_WEIRD", "F99"}) {
            const std::string unknown = dir.filePath(QString(dtype) + ".safetensors").toStdString();
            const QByteArray header =
                QByteArray("{\"q\":{\"dtype\":\"") + dtype + "\",\"shape\":[6],\"data_offsets\":[0,6]}}";
            QVERIFY(writeAll(QString::fromStdString(unknown), handMade(header, QByteArray(8, '\x11'))));
            VERIFY_INPUT_ERROR(SafetensorsReader u(unknown), unknown, QString("unknown dtype '%1'").arg(dtype));
        }
    }

    // Every strict prefix of a valid file, and every single-byte change to its first bytes,
    // is either a valid file or an InputError: never a crash (the ASan build checks reads).
    void truncationsAndMutationsNeverCrash()
    {
        QTemporaryDir dir;
        const std::string good = dir.filePath("good.safetensors").toStdString();
        SafetensorsWriter w;
        w.setMetadata({{"k", "v"}});
        w.addFloat("a", {2, 3}, {1, 2, 3, 4, 5, 6});
        w.addFloat("b", {4}, {1, 2, 3, 4}, "BF16");
        w.addRaw("c", "I8", {3}, {1, 2, 3});
        w.write(good, false);
        const QByteArray bytes = readAll(QString::fromStdString(good));
        const std::string path = dir.filePath("mut.safetensors").toStdString();
        for (qsizetype len = 0; len < bytes.size(); ++len) {
            QVERIFY(writeAll(QString::fromStdString(path), bytes.left(len)));
            VERIFY_INPUT_ERROR(SafetensorsReader r(path), path, "");
        }
        std::mt19937 rng(12345);
        const qsizetype headerEnd = qsizetype(8 + readLe64(bytes.left(8)));
        int opened = 0;
        for (int iter = 0; iter < 3000; ++iter) {
            QByteArray m = bytes;
            const qsizetype pos = qsizetype(rng() % uint32_t(headerEnd));
            m[pos] = char(rng() % 256);
            QVERIFY(writeAll(QString::fromStdString(path), m));
            try {
                SafetensorsReader r(path);
                ++opened;
                for (const TensorInfo& t : r.tensors())
                    if (t.decodable)
                        QCOMPARE(r.readFloat(t.name).data.size(), size_t(t.numel()));
            } catch (const InputError& e) {
                QVERIFY(QString(e.what()).contains(QString::fromStdString(path)));
            }
        }
        QVERIFY(opened > 0);
    }

    void sharded()
    {
        QTemporaryDir dir;
        SafetensorsWriter s1, s2;
        s1.addFloat("model.a", {2}, {1, 2});
        s1.addFloat("model.b", {1, 2}, {3, 4}, "F16");
        s2.addFloat("model.c", {3}, {5, 6, 7});
        s1.write(dir.filePath("model-00001-of-00002.safetensors").toStdString(), false);
        s2.write(dir.filePath("model-00002-of-00002.safetensors").toStdString(), false);
        const QString index = dir.filePath("model.safetensors.index.json");
        const auto writeIndex = [&](const QJsonObject& weightMap) {
            QJsonObject root;
            root["metadata"] = QJsonObject{{"total_size", 24}};
            root["weight_map"] = weightMap;
            QVERIFY(writeAll(index, QJsonDocument(root).toJson()));
        };
        const QJsonObject good{{"model.a", "model-00001-of-00002.safetensors"},
                               {"model.b", "model-00001-of-00002.safetensors"},
                               {"model.c", "model-00002-of-00002.safetensors"}};
        writeIndex(good);
        {
            ShardedSafetensors r(index.toStdString());
            QCOMPARE(r.path(), index.toStdString());
            QCOMPARE(r.format(), std::string("safetensors"));
            QCOMPARE(r.shards().size(), size_t(2));
            QCOMPARE(r.tensors().size(), size_t(3));
            QCOMPARE(r.readFloat("model.a").data, (std::vector<float>{1, 2}));
            QCOMPARE(r.readFloat("model.b").data, (std::vector<float>{3, 4}));
            QCOMPARE(r.readFloat("model.b").shape, (std::vector<int64_t>{1, 2}));
            QCOMPARE(r.readFloat("model.c").data, (std::vector<float>{5, 6, 7}));
            QCOMPARE(r.raw("model.b").dtype, std::string("F16"));
            QVERIFY(QString::fromStdString(r.shardOf("model.c").path()).endsWith("00002-of-00002.safetensors"));
            VERIFY_INPUT_ERROR(r.readFloat("model.zzz"), index.toStdString(), "model.zzz");
        }

        // Missing shard.
        QJsonObject missing = good;
        missing["model.c"] = "model-00003-of-00002.safetensors";
        writeIndex(missing);
        VERIFY_INPUT_ERROR(ShardedSafetensors r(index.toStdString()), index.toStdString(),
                           "model-00003-of-00002.safetensors");

        // Shards outside the model's folder are refused by name, even when the file exists
        // (a real safetensors file one folder up, and by absolute path).
        QDir(dir.path()).mkdir("inner");
        QVERIFY(QFile::copy(dir.filePath("model-00002-of-00002.safetensors"), dir.filePath("outside.safetensors")));
        for (const QString& escape : {dir.filePath("outside.safetensors"), QString("../outside.safetensors"),
                                      QString("inner/../model-00002-of-00002.safetensors")}) {
            QJsonObject away = good;
            away["model.c"] = escape;
            writeIndex(away);
            VERIFY_INPUT_ERROR(ShardedSafetensors r(index.toStdString()), index.toStdString(),
                               "not a file name in the model's folder");
        }

        // Listed in a shard that does not have it.
        QJsonObject absent = good;
        absent["model.d"] = "model-00002-of-00002.safetensors";
        writeIndex(absent);
        VERIFY_INPUT_ERROR(ShardedSafetensors r(index.toStdString()), index.toStdString(), "model.d");

        // Listed in the wrong shard.
        QJsonObject wrong = good;
        wrong["model.c"] = "model-00001-of-00002.safetensors";
        writeIndex(wrong);
        VERIFY_INPUT_ERROR(ShardedSafetensors r(index.toStdString()), index.toStdString(), "model.c");

        // The same tensor in two shards.
        SafetensorsWriter dup;
        dup.addFloat("model.a", {2}, {9, 9});
        dup.write(dir.filePath("model-00002-of-00002.safetensors").toStdString(), true);
        QJsonObject twice{{"model.a", "model-00001-of-00002.safetensors"},
                          {"model.b", "model-00001-of-00002.safetensors"}};
        twice["model.x"] = "model-00002-of-00002.safetensors";
        writeIndex(twice);
        VERIFY_INPUT_ERROR(ShardedSafetensors r(index.toStdString()), index.toStdString(),
                           "is in both");

        // A bad shard is reported under the shard's own name.
        QVERIFY(writeAll(dir.filePath("model-00002-of-00002.safetensors"), "garbage"));
        writeIndex(good);
        VERIFY_INPUT_ERROR(ShardedSafetensors r(index.toStdString()), "model-00002-of-00002.safetensors",
                           "");

        // Bad index files.
        QVERIFY(writeAll(index, "{\"weight_map\": "));
        VERIFY_INPUT_ERROR(ShardedSafetensors r(index.toStdString()), index.toStdString(), "JSON");
        QVERIFY(writeAll(index, "{\"metadata\": {}}"));
        VERIFY_INPUT_ERROR(ShardedSafetensors r(index.toStdString()), index.toStdString(), "weight_map");
        QVERIFY(writeAll(index, "{\"weight_map\": {\"a\": 3}}"));
        VERIFY_INPUT_ERROR(ShardedSafetensors r(index.toStdString()), index.toStdString(), "file name");
        VERIFY_INPUT_ERROR(ShardedSafetensors r(dir.filePath("none.json").toStdString()),
                           dir.filePath("none.json").toStdString(), "cannot open");
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
