// llama.cpp imatrix files, written here in both forms from known inputs the way llama-imatrix
// accumulates them, then read back: the per-channel RMS must equal the RMS of those inputs.
#include "base/Error.h"
#include "io/ImatrixReader.h"
#include "io/ImatrixWriter.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>

using namespace salience;

namespace {

struct Bytes {
    std::vector<uint8_t> b;
    void raw(const void* p, size_t n) { b.insert(b.end(), static_cast<const uint8_t*>(p), static_cast<const uint8_t*>(p) + n); }
    void i32(int32_t v) { raw(&v, 4); }
    void u32(uint32_t v) { raw(&v, 4); }
    void u64(uint64_t v) { raw(&v, 8); }
    void f32(float v) { raw(&v, 4); }
    void name(const std::string& s) { i32(int32_t(s.size())); raw(s.data(), s.size()); }
    void gstr(const std::string& s) { u64(s.size()); raw(s.data(), s.size()); }
};

std::string writeFile(const QTemporaryDir& dir, const std::string& name, const std::vector<uint8_t>& bytes)
{
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    return path;
}

// Inputs of one layer: tokens x channels, and what llama-imatrix accumulates from them.
struct Inputs {
    int64_t tokens, channels;
    std::vector<double> x;
    std::vector<float> sumSq() const
    {
        std::vector<float> s(size_t(channels), 0.0f);
        for (int64_t t = 0; t < tokens; ++t)
            for (int64_t j = 0; j < channels; ++j) {
                const float v = float(x[size_t(t * channels + j)]);
                s[size_t(j)] += v * v;
            }
        return s;
    }
    std::vector<double> rms() const // computed directly from the inputs, in double
    {
        std::vector<double> r(size_t(channels), 0.0);
        for (int64_t j = 0; j < channels; ++j) {
            double s = 0;
            for (int64_t t = 0; t < tokens; ++t)
                s += x[size_t(t * channels + j)] * x[size_t(t * channels + j)];
            r[size_t(j)] = std::sqrt(s / double(tokens));
        }
        return r;
    }
};

Inputs randomInputs(int64_t tokens, int64_t channels, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> n(0.0, 1.0);
    Inputs in{tokens, channels, {}};
    for (int64_t i = 0; i < tokens * channels; ++i)
        in.x.push_back(float(n(rng) * (1.0 + double(i % channels)))); // channel j has scale ~ 1 + j
    return in;
}

void compareRms(const std::vector<double>& got, const std::vector<double>& want)
{
    QCOMPARE(got.size(), want.size());
    for (size_t j = 0; j < got.size(); ++j)
        QVERIFY2(std::abs(got[j] - want[j]) <= 1e-5 * want[j], qPrintable(QStringLiteral("channel %1: %2 vs %3")
                                                                              .arg(j).arg(got[j]).arg(want[j])));
}

void expectInputError(const std::string& path, const std::string& what)
{
    try {
        readImatrix(path);
        QFAIL(qPrintable(QString::fromStdString("no error for " + path)));
    } catch (const InputError& e) {
        const std::string msg = e.what();
        if (msg.find(path) == std::string::npos || msg.find(what) == std::string::npos)
            QFAIL(qPrintable(QString::fromStdString("message '" + msg + "' lacks '" + what + "' or the path")));
    }
}

// A minimal GGUF writer for imatrix files: metadata, then F32 tensors at 32-byte alignment.
struct GgufTensor {
    std::string name;
    std::vector<uint64_t> ne;
    std::vector<float> data;
};
std::vector<uint8_t> imatrixGguf(const std::string& type, const std::vector<std::string>& datasets, uint32_t chunks,
                                 uint32_t chunkSize, const std::vector<GgufTensor>& tensors)
{
    Bytes w;
    w.raw("GGUF", 4);
    w.u32(3);
    w.u64(tensors.size());
    w.u64(4);
    w.gstr("general.type"); w.u32(8); w.gstr(type);
    w.gstr("imatrix.datasets"); w.u32(9); w.u32(8); w.u64(datasets.size());
    for (const auto& d : datasets)
        w.gstr(d);
    w.gstr("imatrix.chunk_count"); w.u32(4); w.u32(chunks);
    w.gstr("imatrix.chunk_size"); w.u32(4); w.u32(chunkSize);
    uint64_t offset = 0;
    std::vector<uint64_t> offsets;
    for (const auto& t : tensors) {
        w.gstr(t.name);
        w.u32(uint32_t(t.ne.size()));
        for (auto d : t.ne)
            w.u64(d);
        w.u32(0); // F32
        w.u64(offset);
        offsets.push_back(offset);
        offset += (t.data.size() * 4 + 31) / 32 * 32;
    }
    while (w.b.size() % 32)
        w.b.push_back(0);
    const size_t start = w.b.size();
    for (size_t i = 0; i < tensors.size(); ++i) {
        w.b.resize(start + offsets[i], 0);
        w.raw(tensors[i].data.data(), tensors[i].data.size() * 4);
    }
    return w.b;
}

} // namespace

class TestImatrix : public QObject {
    Q_OBJECT
private slots:
    void legacyDat()
    {
        QTemporaryDir dir;
        // Two layers seen over 3 chunks (ncall = 3) of tokens; llama-imatrix stores
        // (sum x^2 / tokens) * ncall per channel.
        const Inputs q = randomInputs(300, 5, 1), down = randomInputs(300, 3, 2);
        const int32_t ncall = 3;
        Bytes w;
        w.i32(2);
        for (const auto& [name, in] : {std::pair<std::string, const Inputs*>{"blk.0.attn_q.weight", &q},
                                       std::pair<std::string, const Inputs*>{"blk.0.ffn_down.weight", &down}}) {
            w.name(name);
            w.i32(ncall);
            w.i32(int32_t(in->channels));
            for (float s : in->sumSq())
                w.f32(s / float(in->tokens) * float(ncall));
        }
        w.i32(3);               // last chunk
        w.name("calib.txt");    // dataset
        // Named .gguf on purpose: the format comes from the bytes, not the name.
        const std::string path = writeFile(dir, "imatrix.gguf", w.b);

        const ImatrixData data = readImatrix(path);
        QCOMPARE(data.format, std::string("dat"));
        QCOMPARE(data.path, path);
        QCOMPARE(data.datasets, std::vector<std::string>({"calib.txt"}));
        QCOMPARE(data.chunkCount, std::optional<int64_t>(3));
        QVERIFY(!data.chunkSize);
        QCOMPARE(data.entries.size(), size_t(2));
        QCOMPARE(data.entries[0].name, std::string("blk.0.attn_q.weight"));
        QCOMPARE(data.entries[0].channels, int64_t(5));
        QCOMPARE(data.entries[0].matrices, int64_t(1));
        const auto stats = data.channelStats();
        QCOMPARE(stats.size(), size_t(2));
        const ChannelStats& sq = stats.at("blk.0.attn_q.weight");
        QCOMPARE(sq.count, int64_t(3 * 512)); // ncall * assumed chunk size
        QVERIFY(!sq.hasAbsMax());
        compareRms(sq.rms(), q.rms());
        compareRms(stats.at("blk.0.ffn_down.weight").rms(), down.rms());
        // Another assumed chunk size changes the count, never the RMS.
        const ImatrixData other = readImatrix(path, 100);
        QCOMPARE(other.entries[0].perMatrix[0].count, int64_t(300));
        compareRms(other.entries[0].perMatrix[0].rms(), q.rms());
        QVERIFY(data.find("blk.0.ffn_down.weight"));
        QVERIFY(!data.find("nope"));

        // An older file that stops after the entries (no trailer) reads too.
        Bytes old;
        old.i32(1);
        old.name("output.weight");
        old.i32(2);
        old.i32(2);
        old.f32(8.0f); // mean square 4 -> rms 2
        old.f32(0.5f); // mean square 0.25 -> rms 0.5
        const ImatrixData o = readImatrix(writeFile(dir, "old.dat", old.b));
        QVERIFY(!o.chunkCount);
        QVERIFY(o.datasets.empty());
        compareRms(o.entries[0].perMatrix[0].rms(), {2.0, 0.5});
    }

    void legacyExpertsSplit()
    {
        QTemporaryDir dir;
        Bytes w;
        w.i32(1);
        w.name("blk.0.ffn_up_exps.weight");
        w.i32(4);
        w.i32(6); // 2 experts x 3 channels
        for (float v : {4.f, 16.f, 36.f, 64.f, 100.f, 144.f}) // mean squares 1,4,9,16,25,36
            w.f32(v);
        const std::string path = writeFile(dir, "e.dat", w.b);
        const ImatrixData data = readImatrix(path);
        const ImatrixEntry split = splitMatrices(data.entries[0], 2, path);
        QCOMPARE(split.matrices, int64_t(2));
        QCOMPARE(split.channels, int64_t(3));
        compareRms(split.perMatrix[0].rms(), {1, 2, 3});
        compareRms(split.perMatrix[1].rms(), {4, 5, 6});
        QVERIFY_THROWS_EXCEPTION(InputError, splitMatrices(data.entries[0], 4, path));
        QVERIFY_THROWS_EXCEPTION(InputError, splitMatrices(split, 1, path));
    }

    void ggufForm()
    {
        QTemporaryDir dir;
        const Inputs q = randomInputs(1000, 4, 3);
        // A 2-expert weight: expert 0 saw 40 tokens, expert 1 saw 25.
        const Inputs e0 = randomInputs(40, 3, 4), e1 = randomInputs(25, 3, 5);
        std::vector<float> expSums = e0.sumSq();
        for (float s : e1.sumSq())
            expSums.push_back(s);
        std::vector<float> qSum(4, 0.0f);
        for (int64_t t = 0; t < q.tokens; ++t)
            for (int j = 0; j < 4; ++j)
                qSum[size_t(j)] += float(q.x[size_t(t * 4 + j)]);
        const auto bytes = imatrixGguf(
            "imatrix", {"wiki.txt", "more.txt"}, 2, 512,
            {{"blk.0.attn_q.weight.counts", {1, 1}, {1000.0f}},
             {"blk.0.attn_q.weight.in_sum2", {4, 1}, q.sumSq()},
             {"blk.0.attn_q.weight.in_sum", {4, 1}, qSum},
             {"blk.0.ffn_up_exps.weight.in_sum2", {3, 2}, expSums},
             {"blk.0.ffn_up_exps.weight.counts", {1, 2}, {40.0f, 25.0f}}});
        const std::string path = writeFile(dir, "imatrix.gguf", bytes);
        const ImatrixData data = readImatrix(path);
        QCOMPARE(data.format, std::string("gguf"));
        QCOMPARE(data.datasets, std::vector<std::string>({"wiki.txt", "more.txt"}));
        QCOMPARE(data.chunkCount, std::optional<int64_t>(2));
        QCOMPARE(data.chunkSize, std::optional<int64_t>(512));
        QCOMPARE(data.entries.size(), size_t(2));
        const ImatrixEntry& eq = data.entries[0]; // order of the in_sum2 tensors
        QCOMPARE(eq.name, std::string("blk.0.attn_q.weight"));
        QCOMPARE(eq.matrices, int64_t(1));
        QCOMPARE(eq.perMatrix[0].count, int64_t(1000));
        compareRms(eq.perMatrix[0].rms(), q.rms());
        QCOMPARE(eq.inSum.size(), size_t(4));
        QCOMPARE(eq.inSum[2], double(qSum[2]));

        const ImatrixEntry& ee = data.entries[1];
        QCOMPARE(ee.name, std::string("blk.0.ffn_up_exps.weight"));
        QCOMPARE(ee.matrices, int64_t(2));
        QCOMPARE(ee.channels, int64_t(3));
        QCOMPARE(ee.perMatrix[0].count, int64_t(40));
        QCOMPARE(ee.perMatrix[1].count, int64_t(25));
        compareRms(ee.perMatrix[0].rms(), e0.rms());
        compareRms(ee.perMatrix[1].rms(), e1.rms());
        QVERIFY(ee.inSum.empty());
        // Pooled: every token routed to either expert.
        Inputs both{65, 3, e0.x};
        both.x.insert(both.x.end(), e1.x.begin(), e1.x.end());
        const ChannelStats pooled = data.channelStats().at("blk.0.ffn_up_exps.weight");
        QCOMPARE(pooled.count, int64_t(65));
        compareRms(pooled.rms(), both.rms());
    }

    void badLegacyFiles()
    {
        QTemporaryDir dir;
        int n = 0;
        auto bad = [&](const Bytes& w, const std::string& what) {
            expectInputError(writeFile(dir, "bad" + std::to_string(n++) + ".dat", w.b), what);
        };
        auto entry = [](Bytes& w, int32_t ncall, int32_t nval, int values) {
            w.name("blk.0.attn_k.weight");
            w.i32(ncall);
            w.i32(nval);
            for (int i = 0; i < values; ++i)
                w.f32(1.0f);
        };
        { Bytes w; w.i32(0); bad(w, "entry count 0"); }
        { Bytes w; w.i32(1 << 30); entry(w, 1, 1, 1); bad(w, "entry count"); }
        { Bytes w; w.i32(1); entry(w, 1, 4, 2); bad(w, "claims 4 values"); }
        { Bytes w; w.i32(1); entry(w, 1, -3, 0); bad(w, "claims -3 values"); }
        { Bytes w; w.i32(1); entry(w, -1, 1, 1); bad(w, "negative call count"); }
        { Bytes w; w.i32(1); w.i32(1000); w.raw("abcdefghijklmnopqrstu", 21); bad(w, "name length 1000"); }
        { Bytes w; w.i32(2); entry(w, 1, 1, 1); entry(w, 1, 1, 1); bad(w, "appears twice"); }
        { Bytes w; w.i32(1); entry(w, 1, 1, 1); w.i32(1); w.i32(50); w.raw("x", 1); bad(w, "dataset name length 50"); }
        { Bytes w; w.i32(1); entry(w, 1, 1, 1); w.i32(1); w.i32(1); w.raw("xyz", 3); bad(w, "unexpected bytes"); }
        { Bytes w; w.i32(1); entry(w, 1, 1, 0); w.f32(-1.0f); bad(w, "not a finite sum of squares"); }
        { Bytes w; w.i32(1); entry(w, 1, 1, 0); w.f32(std::nanf("")); bad(w, "not a finite sum of squares"); }
        { Bytes w; w.raw("ab", 2); bad(w, "truncated"); }
        QVERIFY_THROWS_EXCEPTION(InputError, readImatrix(dir.filePath("missing.dat").toStdString()));
    }

    void badGgufFiles()
    {
        QTemporaryDir dir;
        int n = 0;
        auto bad = [&](const std::vector<uint8_t>& b, const std::string& what) {
            expectInputError(writeFile(dir, "bad" + std::to_string(n++) + ".gguf", b), what);
        };
        const std::vector<float> four = {1, 2, 3, 4};
        bad(imatrixGguf("imatrix", {}, 1, 512, {{"a.weight.in_sum2", {4, 1}, four}}), "has no matching 'a.weight.counts'");
        bad(imatrixGguf("imatrix", {}, 1, 512, {{"a.weight.counts", {1, 1}, {3}}}), "not an imatrix");
        bad(imatrixGguf("imatrix", {}, 1, 512,
                        {{"a.weight.in_sum2", {2, 2}, four}, {"a.weight.counts", {1, 3}, {1, 2, 3}}}),
            "3 counts for 2 matrices");
        bad(imatrixGguf("imatrix", {}, 1, 512,
                        {{"a.weight.in_sum2", {4, 1}, four}, {"a.weight.counts", {1, 1}, {-5}}}),
            "is not a token count");
        bad(imatrixGguf("imatrix", {}, 1, 512,
                        {{"a.weight.in_sum2", {4, 1}, {1, -2, 3, 4}}, {"a.weight.counts", {1, 1}, {5}}}),
            "not a finite sum of squares");
        bad(imatrixGguf("imatrix", {}, 1, 512,
                        {{"a.weight.in_sum2", {4, 1}, four}, {"a.weight.counts", {1, 1}, {5}},
                         {"b.weight.counts", {1, 1}, {5}}}),
            "no matching 'b.weight.in_sum2'");
        bad(imatrixGguf("model", {}, 1, 512, {{"a.weight.in_sum2", {4, 1}, four}, {"a.weight.counts", {1, 1}, {5}}}),
            "not an imatrix");
        // No channels and 2^40 matrices: no bytes in the file, but once a loop of 2^40.
        bad(imatrixGguf("imatrix", {}, 1, 512,
                        {{"a.weight.in_sum2", {0, uint64_t(1) << 40}, {}}, {"a.weight.counts", {1, 1}, {5}}}),
            "zero dimension");
        // A damaged GGUF header is reported by the GGUF reader, still naming the file.
        auto cut = imatrixGguf("imatrix", {}, 1, 512, {{"a.weight.in_sum2", {4, 1}, four}, {"a.weight.counts", {1, 1}, {5}}});
        auto cut2 = cut;
        cut.resize(40);
        bad(cut, "cannot fit");
        cut2.resize(150);
        bad(cut2, "truncated");
    }

    // What Salience writes (capture -o imatrix.dat) reads back as llama.cpp's .dat: the entries in
    // order, ncall = chunks, and the mean squares exact to float precision.
    void writtenDatReadsBack()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("written.dat").toStdString();
        ChannelStats q;
        q.sumSq = {4.0, 0.5, 1e-3};
        q.count = 1024;
        ChannelStats down;
        down.sumSq = {9.0, 16.0};
        down.count = 700; // not a whole number of chunks: rounds to 1 call of 512
        writeImatrixDat(path, {{"blk.0.attn_q.weight", q}, {"blk.0.ffn_down.weight", down}}, 512, 3, "text.txt", false);
        const ImatrixData data = readImatrix(path, 512);
        QCOMPARE(data.format, std::string("dat"));
        QCOMPARE(data.entries.size(), size_t(2));
        QCOMPARE(data.entries[0].name, std::string("blk.0.attn_q.weight"));
        QCOMPARE(data.chunkCount.value_or(-1), int64_t(3));
        QCOMPARE(data.datasets, std::vector<std::string>{"text.txt"});
        for (const auto& [entry, source] : {std::pair{&data.entries[0], &q}, std::pair{&data.entries[1], &down}}) {
            const ChannelStats back = entry->pooled();
            for (size_t j = 0; j < source->sumSq.size(); ++j) {
                const double want = source->sumSq[j] / double(source->count);
                QVERIFY(std::abs(back.sumSq[j] / double(back.count) - want) <= 1e-6 * want);
            }
        }
        QCOMPARE(data.entries[0].perMatrix[0].count, int64_t(1024)); // 2 calls of 512
        // Refused: an existing file without overwrite, an entry without tokens.
        QVERIFY_THROWS_EXCEPTION(InputError, writeImatrixDat(path, {}, 512, 1, "", false));
        ChannelStats empty;
        empty.sumSq = {1.0};
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 writeImatrixDat(dir.filePath("e.dat").toStdString(), {{"x", empty}}, 512, 1, "", false));
        QVERIFY(!QFileInfo::exists(dir.filePath("e.dat")));
    }
};

QTEST_GUILESS_MAIN(TestImatrix)
#include "test_imatrix.moc"
