// llama2.c checkpoints: the real stories260K.bin (v0) checked against its bytes at offsets
// computed from SOURCES.md's layout, synthesized v0 (unshared classifier), v1 and v2 (Q8_0)
// files laid out here from export.py's order, and bad headers as InputErrors.
#include "InputErrorCheck.h"
#include "TestData.h"
#include "base/Error.h"
#include "io/Llama2cReader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <functional>
#include <map>
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
    QFile::remove(path); // rewriting in place makes ext4 flush; slow in loops
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

void appendInt32(QByteArray& b, int32_t v) { b.append(reinterpret_cast<const char*>(&v), 4); }
void appendFloat(QByteArray& b, float v) { b.append(reinterpret_cast<const char*>(&v), 4); }


struct Params {
    int dim = 8, hidden = 12, layers = 2, heads = 4, kvHeads = 2, vocab = 10, seqLen = 6;
    bool shared = true;
    int groupSize = 4;
};

struct Expected {
    std::vector<int64_t> shape;
    std::vector<float> values;
    bool quantized = false;
};

// Builds a checkpoint the way export.py (v1, v2) or the legacy exporter (v0) lays it out,
// with distinct values everywhere, and records what each tensor must read back as.
struct Synth {
    QByteArray bytes;
    std::map<std::string, Expected> tensors;
    std::vector<std::string> fileOrder;
    int serial = 0;

    void fp32(const std::string& name, std::vector<int64_t> shape)
    {
        Expected e;
        int64_t n = 1;
        for (int64_t d : shape)
            n *= d;
        e.shape = shape;
        ++serial;
        for (int64_t i = 0; i < n; ++i) {
            const float v = float(serial) + float(i) / 1024.0f;
            e.values.push_back(v);
            appendFloat(bytes, v);
        }
        tensors[name] = e;
        fileOrder.push_back(name);
    }

    // Q8_0 as export.py writes it: all int8 values, then one fp32 scale per group.
    void q8(const std::string& name, std::vector<int64_t> shape, int gs)
    {
        Expected e;
        int64_t n = 1;
        for (int64_t d : shape)
            n *= d;
        e.shape = shape;
        e.quantized = true;
        ++serial;
        std::vector<int8_t> q(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) {
            q[size_t(i)] = int8_t((serial * 37 + i * 11) % 255 - 127);
            bytes.append(char(q[size_t(i)]));
        }
        for (int64_t g = 0; g < n / gs; ++g) {
            const float scale = 0.5f * float(serial) + float(g) / 8.0f;
            appendFloat(bytes, scale);
            for (int64_t i = g * gs; i < (g + 1) * gs; ++i)
                e.values.push_back(float(q[size_t(i)]) * scale);
        }
        tensors[name] = e;
        fileOrder.push_back(name);
    }
};

std::string layer(int l, const char* rest) { return "layers." + std::to_string(l) + "." + rest; }

Synth synthesize(int version, const Params& p)
{
    Synth s;
    const int64_t d = p.dim, h = p.hidden, v = p.vocab, kvd = p.dim / p.heads * p.kvHeads;
    const int hs = p.dim / p.heads;
    if (version == 0) {
        for (int x : {p.dim, p.hidden, p.layers, p.heads, p.kvHeads, p.shared ? p.vocab : -p.vocab,
                      p.seqLen})
            appendInt32(s.bytes, x);
    } else {
        const uint32_t magic = 0x616b3432;
        s.bytes.append(reinterpret_cast<const char*>(&magic), 4);
        appendInt32(s.bytes, version);
        for (int x : {p.dim, p.hidden, p.layers, p.heads, p.kvHeads, p.vocab, p.seqLen})
            appendInt32(s.bytes, x);
        s.bytes.append(char(p.shared ? 1 : 0));
        if (version == 2)
            appendInt32(s.bytes, p.groupSize);
        s.bytes.append(QByteArray(256 - s.bytes.size(), '\0'));
    }
    const auto each = [&](const char* rest, std::vector<int64_t> shape, bool quantized) {
        for (int l = 0; l < p.layers; ++l) {
            if (quantized)
                s.q8(layer(l, rest), shape, p.groupSize);
            else
                s.fp32(layer(l, rest), shape);
        }
    };
    if (version == 0) {
        s.fp32("tok_embeddings.weight", {v, d});
        each("attention_norm.weight", {d}, false);
        each("attention.wq.weight", {d, d}, false);
        each("attention.wk.weight", {kvd, d}, false);
        each("attention.wv.weight", {kvd, d}, false);
        each("attention.wo.weight", {d, d}, false);
        each("ffn_norm.weight", {d}, false);
        each("feed_forward.w1.weight", {h, d}, false);
        each("feed_forward.w2.weight", {d, h}, false);
        each("feed_forward.w3.weight", {h, d}, false);
        s.fp32("norm.weight", {d});
        // freqs_cos[:seq_len] and freqs_sin[:seq_len], [seq_len, head_size/2] each: not tensors.
        for (int i = 0; i < p.seqLen * hs; ++i)
            appendFloat(s.bytes, -1000.0f - float(i));
        if (!p.shared)
            s.fp32("output.weight", {v, d});
        return s;
    }
    const bool q = version == 2;
    each("attention_norm.weight", {d}, false);
    each("ffn_norm.weight", {d}, false);
    s.fp32("norm.weight", {d});
    if (q)
        s.q8("tok_embeddings.weight", {v, d}, p.groupSize);
    else
        s.fp32("tok_embeddings.weight", {v, d});
    each("attention.wq.weight", {d, d}, q);
    each("attention.wk.weight", {kvd, d}, q);
    each("attention.wv.weight", {kvd, d}, q);
    each("attention.wo.weight", {d, d}, q);
    each("feed_forward.w1.weight", {h, d}, q);
    each("feed_forward.w2.weight", {d, h}, q);
    each("feed_forward.w3.weight", {h, d}, q);
    if (!p.shared) {
        if (q)
            s.q8("output.weight", {v, d}, p.groupSize);
        else
            s.fp32("output.weight", {v, d});
    }
    return s;
}

// Overwrites the int32 at `offset` of a copy.
QByteArray withInt32(QByteArray b, qsizetype offset, int32_t v)
{
    std::memcpy(b.data() + offset, &v, 4);
    return b;
}

} // namespace

class TestLlama2c : public QObject {
    Q_OBJECT

    void checkSynth(int version, const Params& p)
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("synth.bin").toStdString();
        const Synth s = synthesize(version, p);
        QVERIFY(writeAll(QString::fromStdString(path), s.bytes));
        Llama2cReader r(path);
        const Llama2cConfig& c = r.config();
        QCOMPARE(c.version, version);
        QCOMPARE(c.dim, p.dim);
        QCOMPARE(c.hiddenDim, p.hidden);
        QCOMPARE(c.nLayers, p.layers);
        QCOMPARE(c.nHeads, p.heads);
        QCOMPARE(c.nKvHeads, p.kvHeads);
        QCOMPARE(c.vocabSize, p.vocab);
        QCOMPARE(c.seqLen, p.seqLen);
        QCOMPARE(c.sharedClassifier, p.shared);
        QCOMPARE(c.groupSize, version == 2 ? p.groupSize : 0);
        QCOMPARE(r.expectedSize(), uint64_t(s.bytes.size()));
        QCOMPARE(r.format(), std::string("llama2c"));

        QCOMPARE(r.tensors().size(), s.tensors.size());
        QCOMPARE(r.tensors().size(), size_t(2 + 9 * p.layers + (p.shared ? 0 : 1)));
        // Listing: embedding, block by block, then the head.
        QCOMPARE(r.tensors().front().name, std::string("tok_embeddings.weight"));
        QCOMPARE(r.tensors()[1].name, std::string("layers.0.attention_norm.weight"));
        QCOMPARE(r.tensors()[2].name, std::string("layers.0.attention.wq.weight"));
        QCOMPARE(r.tensors()[10].name, std::string("layers.1.attention_norm.weight"));
        QCOMPARE(r.tensors().back().name, std::string(p.shared ? "norm.weight" : "output.weight"));
        QVERIFY(p.shared == (r.find("output.weight") == nullptr));
        for (const auto& [name, e] : s.tensors) {
            const TensorInfo* info = r.find(name);
            QVERIFY2(info, name.c_str());
            QCOMPARE(info->shape, e.shape);
            QCOMPARE(info->dtype, std::string(e.quantized ? "Q8_0" : "F32"));
            const uint64_t n = uint64_t(info->numel());
            QCOMPARE(info->byteSize, e.quantized ? n + n / uint64_t(p.groupSize) * 4 : n * 4);
            const FloatTensor t = r.readFloat(name);
            QCOMPARE(t.shape, e.shape);
            QVERIFY2(t.data == e.values, name.c_str());
        }
        VERIFY_INPUT_ERROR(r.readFloat("freq_cis_real"), path, "freq_cis_real");
    }

private slots:
    void realStories260K()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        const std::string path = testdata::path("stories260K/stories260K.bin");
        Llama2cReader r(path);
        const Llama2cConfig& c = r.config();
        QCOMPARE(c.version, 0);
        QCOMPARE(c.dim, 64);
        QCOMPARE(c.hiddenDim, 172);
        QCOMPARE(c.nLayers, 5);
        QCOMPARE(c.nHeads, 8);
        QCOMPARE(c.nKvHeads, 4);
        QCOMPARE(c.vocabSize, 512);
        QCOMPARE(c.seqLen, 512);
        QVERIFY(c.sharedClassifier);
        QCOMPARE(c.headSize(), 8);
        QCOMPARE(c.kvDim(), 32);
        QCOMPARE(r.expectedSize(), uint64_t(1056540));
        QCOMPARE(r.tensors().size(), size_t(47));
        QVERIFY(!r.find("output.weight"));
        int64_t params = 0;
        for (const TensorInfo& t : r.tensors()) {
            QCOMPARE(t.dtype, std::string("F32"));
            params += t.numel();
        }
        QCOMPARE(params, int64_t(260032));
        QCOMPARE(r.find("layers.2.attention.wk.weight")->shape, (std::vector<int64_t>{32, 64}));
        QCOMPARE(r.find("layers.2.feed_forward.w2.weight")->shape, (std::vector<int64_t>{64, 172}));
        QCOMPARE(r.find("layers.2.feed_forward.w1.weight")->shape, (std::vector<int64_t>{172, 64}));

        // Offsets in floats after the 28-byte header, from SOURCES.md's order:
        // tok_emb[V,D], rms_att[L,D], wq[L,D,D], wk[L,KVD,D], wv[L,KVD,D], wo[L,D,D],
        // rms_ffn[L,D], w1[L,H,D], w2[L,D,H], w3[L,H,D], rms_final[D], freq tables.
        const int64_t V = 512, D = 64, L = 5, KVD = 32, H = 172;
        const int64_t tok = 0, rmsAtt = tok + V * D, wq = rmsAtt + L * D, wk = wq + L * D * D,
                      wv = wk + L * KVD * D, wo = wv + L * KVD * D, rmsFfn = wo + L * D * D,
                      w1 = rmsFfn + L * D, w2 = w1 + L * H * D, w3 = w2 + L * D * H,
                      rmsFinal = w3 + L * H * D, freq = rmsFinal + D;
        QCOMPARE(28 + 4 * (freq + 2 * 512 * 8 / 2), int64_t(1056540));
        const QByteArray file = readAll(QString::fromStdString(path));
        QCOMPARE(file.size(), 1056540);
        const auto sameBytes = [&](const char* name, int64_t floatOffset) {
            const FloatTensor t = r.readFloat(name);
            QVERIFY2(std::memcmp(t.data.data(), file.constData() + 28 + 4 * floatOffset,
                                 t.data.size() * 4) == 0,
                     name);
        };
        sameBytes("tok_embeddings.weight", tok);
        sameBytes("layers.0.attention_norm.weight", rmsAtt);
        sameBytes("layers.4.attention_norm.weight", rmsAtt + 4 * D);
        sameBytes("layers.1.attention.wq.weight", wq + 1 * D * D);
        sameBytes("layers.3.attention.wk.weight", wk + 3 * KVD * D);
        sameBytes("layers.3.attention.wv.weight", wv + 3 * KVD * D);
        sameBytes("layers.4.attention.wo.weight", wo + 4 * D * D);
        sameBytes("layers.2.ffn_norm.weight", rmsFfn + 2 * D);
        sameBytes("layers.0.feed_forward.w1.weight", w1);
        sameBytes("layers.4.feed_forward.w2.weight", w2 + 4 * D * H);
        sameBytes("layers.2.feed_forward.w3.weight", w3 + 2 * H * D);
        sameBytes("norm.weight", rmsFinal);

        // One value by row and column: w2 of layer 4, row 63, column 171 is its last float.
        float last;
        std::memcpy(&last, file.constData() + 28 + 4 * (w2 + 5 * D * H - 1), 4);
        QCOMPARE(r.readFloat("layers.4.feed_forward.w2.weight").toMatrix()(63, 171), last);
        // RMSNorm gains of a trained model are positive and of order one.
        for (float g : r.readFloat("norm.weight").data)
            QVERIFY(g > 0.0f && g < 20.0f);
    }

    void synthesizedV0SharedClassifier() { checkSynth(0, Params{}); }

    void synthesizedV0UnsharedClassifier()
    {
        Params p;
        p.shared = false; // written as vocab_size = -10
        checkSynth(0, p);
    }

    void synthesizedV1()
    {
        Params p;
        p.shared = false;
        checkSynth(1, p);
        p.shared = true;
        checkSynth(1, p);
    }

    void synthesizedV2()
    {
        Params p;
        p.shared = false;
        checkSynth(2, p);
        p.shared = true;
        p.groupSize = 8;
        checkSynth(2, p);
        p.groupSize = 2; // odd scale offsets: float scales need not be 4-aligned
        p.hidden = 6;
        checkSynth(2, p);
    }

    void v2DequantizesByHand()
    {
        // Tiny v2 file built byte by byte: dim 2, hidden 2, 1 layer, 1 head, vocab 2,
        // group size 2, shared classifier.
        QByteArray b;
        const uint32_t magic = 0x616b3432;
        b.append(reinterpret_cast<const char*>(&magic), 4);
        for (int x : {2, 2, 2, 1, 1, 1, 2, 4})
            appendInt32(b, x);
        b.append(char(1));
        appendInt32(b, 2);
        b.append(QByteArray(256 - b.size(), '\0'));
        for (float x : {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f}) // attention_norm, ffn_norm, norm
            appendFloat(b, x);
        // tok_embeddings [2,2]: int8 {-127, 64, 1, 0}, scales {0.5, 0.25}.
        b.append(QByteArray("\x81\x40\x01\x00", 4));
        appendFloat(b, 0.5f);
        appendFloat(b, 0.25f);
        // 7 more [2,2] matrices, all int8 {2,2,2,2}, scales {1, 2}.
        for (int m = 0; m < 7; ++m) {
            b.append(QByteArray("\x02\x02\x02\x02", 4));
            appendFloat(b, 1.0f);
            appendFloat(b, 2.0f);
        }
        QTemporaryDir dir;
        const std::string path = dir.filePath("tiny.bin").toStdString();
        QVERIFY(writeAll(QString::fromStdString(path), b));
        Llama2cReader r(path);
        QCOMPARE(r.readFloat("tok_embeddings.weight").data,
                 (std::vector<float>{-63.5f, 32.0f, 0.25f, 0.0f}));
        QCOMPARE(r.readFloat("layers.0.feed_forward.w3.weight").data,
                 (std::vector<float>{2.0f, 2.0f, 4.0f, 4.0f}));
        QCOMPARE(r.readFloat("layers.0.ffn_norm.weight").data, (std::vector<float>{3.0f, 4.0f}));
        QCOMPARE(r.readFloat("norm.weight").data, (std::vector<float>{5.0f, 6.0f}));
    }

    void badFiles()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.bin").toStdString();
        const QString qpath = QString::fromStdString(path);
        const auto expectError = [&](const QByteArray& bytes, const QString& fragment) {
            QVERIFY(writeAll(qpath, bytes));
            VERIFY_INPUT_ERROR(Llama2cReader r(path), path, fragment);
        };
        const QByteArray v0 = synthesize(0, Params{}).bytes;
        const qsizetype v0Size = v0.size();

        expectError(QByteArray(), "truncated");
        expectError(v0.left(10), "truncated");
        expectError(v0.left(28), QStringLiteral("truncated: expected %1 bytes, file has 28").arg(v0Size));
        expectError(v0.left(v0Size - 1),
                    QStringLiteral("truncated: expected %1 bytes, file has %2").arg(v0Size).arg(v0Size - 1));
        expectError(v0 + QByteArray(4, '\0'), QStringLiteral("file has %1 bytes").arg(v0Size + 4));
        expectError(withInt32(v0, 0, 0), "dim = 0");
        expectError(withInt32(v0, 4, -12), "hidden_dim = -12");
        expectError(withInt32(v0, 8, 0), "n_layers = 0");
        expectError(withInt32(v0, 12, 3), "does not divide dim");          // 3 heads, dim 8
        expectError(withInt32(v0, 16, 3), "does not divide n_heads");      // 3 kv heads, 4 heads
        expectError(withInt32(v0, 16, 8), "does not divide n_heads");      // more kv heads than heads
        expectError(withInt32(v0, 20, 0), "vocab_size = 0");
        expectError(withInt32(v0, 20, INT32_MIN), "vocab_size");
        expectError(withInt32(v0, 24, 0), "seq_len = 0");
        expectError(withInt32(v0, 20, -10), "truncated");                 // unshared: output missing
        // Sizes whose products overflow 64 bits must be caught, not wrapped.
        QByteArray huge = withInt32(v0, 0, 1 << 30);
        huge = withInt32(huge, 4, INT32_MAX);
        huge = withInt32(huge, 8, INT32_MAX);
        huge = withInt32(huge, 12, 1);
        huge = withInt32(huge, 16, 1);
        expectError(huge, "overflow");
        // Large but representable sizes: just truncated.
        expectError(withInt32(withInt32(v0, 0, 1 << 20), 20, INT32_MAX), "truncated");

        const QByteArray v1 = synthesize(1, Params{}).bytes;
        expectError(v1.left(100), "truncated");
        expectError(v1.left(v1.size() - 4), "truncated");
        expectError(withInt32(v1, 4, 3), "unsupported llama2.c checkpoint version 3");
        QByteArray flag = v1;
        flag[36] = 2;
        expectError(flag, "shared_classifier");
        expectError(withInt32(v1, 28, -10), "vocab_size = -10"); // sign carries no flag in v1

        const QByteArray v2 = synthesize(2, Params{}).bytes;
        expectError(withInt32(v2, 37, 0), "group_size = 0");
        expectError(withInt32(v2, 37, 3), "group_size = 3 does not divide");
        expectError(withInt32(v2, 37, 2), "file has"); // divides, but the layout differs
        expectError(v2.left(v2.size() - 1), "truncated");

        VERIFY_INPUT_ERROR(Llama2cReader r("/nonexistent/x.bin"), std::string("/nonexistent/x.bin"),
                           "cannot open");
    }

    // Random changes to the header of each version are either valid or an InputError.
    void headerMutationsNeverCrash()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("mut.bin").toStdString();
        std::mt19937 rng(777);
        for (int version : {0, 1, 2}) {
            const QByteArray good = synthesize(version, Params{}).bytes;
            const uint32_t headerBytes = version == 0 ? 28 : 41;
            for (int iter = 0; iter < 400; ++iter) {
                QByteArray m = good;
                const int changes = 1 + int(rng() % 3);
                for (int k = 0; k < changes; ++k)
                    m[qsizetype(rng() % headerBytes)] = char(rng() % 256);
                if (rng() % 4 == 0)
                    m.truncate(qsizetype(rng() % uint32_t(m.size())));
                QVERIFY(writeAll(QString::fromStdString(path), m));
                try {
                    Llama2cReader r(path);
                    for (const TensorInfo& t : r.tensors())
                        QCOMPARE(r.readFloat(t.name).data.size(), size_t(t.numel()));
                } catch (const InputError& e) {
                    QVERIFY(QString(e.what()).contains(QString::fromStdString(path)));
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestLlama2c)
#include "test_llama2c.moc"
