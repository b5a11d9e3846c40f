// The GGUF reader: the real stories260K.gguf against SOURCES.md and against the same weights
// read by byte offset from stories260K.bin, and small GGUF files written here byte by byte
// (v2, every metadata type, nested arrays, quantized and undecodable tensors, and damaged files).
#include "base/Error.h"
#include "io/GgufReader.h"
#include "tensor/Half.h"

#include "TestData.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>

using namespace salience;

namespace {

// Writes GGUF bytes by hand, independently of the reader.
class GgufWriter {
public:
    std::vector<uint8_t> bytes;

    void u8(uint8_t v) { bytes.push_back(v); }
    void u16(uint16_t v) { raw(&v, 2); }
    void u32(uint32_t v) { raw(&v, 4); }
    void u64(uint64_t v) { raw(&v, 8); }
    void f32(float v) { raw(&v, 4); }
    void f64(double v) { raw(&v, 8); }
    void str(const std::string& s)
    {
        u64(s.size());
        raw(s.data(), s.size());
    }
    void raw(const void* p, size_t n)
    {
        const auto* b = static_cast<const uint8_t*>(p);
        bytes.insert(bytes.end(), b, b + n);
    }
    void header(uint32_t version, uint64_t nTensors, uint64_t nKv)
    {
        raw("GGUF", 4);
        u32(version);
        u64(nTensors);
        u64(nKv);
    }
    void kvU32(const std::string& k, uint32_t v) { str(k); u32(4); u32(v); }
    void kvStr(const std::string& k, const std::string& v) { str(k); u32(8); str(v); }
    void tensorInfo(const std::string& name, std::vector<uint64_t> ne, uint32_t type, uint64_t offset)
    {
        str(name);
        u32(uint32_t(ne.size()));
        for (uint64_t d : ne)
            u64(d);
        u32(type);
        u64(offset);
    }
    void padTo(uint64_t alignment)
    {
        while (bytes.size() % alignment)
            u8(0);
    }
};

struct SyntheticTensor {
    std::string name;
    std::vector<uint64_t> ne;
    uint32_t type;
    std::vector<uint8_t> data;
};

// A complete file: metadata written by `kvs` (nKv entries), tensors laid out one after another,
// each at a multiple of `alignment`, the last one ending exactly at the end of the file.
std::vector<uint8_t> buildFile(uint32_t version, uint64_t nKv, const std::function<void(GgufWriter&)>& kvs,
                               const std::vector<SyntheticTensor>& tensors, uint64_t alignment = 32)
{
    GgufWriter w;
    w.header(version, tensors.size(), nKv);
    kvs(w);
    uint64_t offset = 0;
    std::vector<uint64_t> offsets;
    for (const auto& t : tensors) {
        offsets.push_back(offset);
        w.tensorInfo(t.name, t.ne, t.type, offset);
        offset += t.data.size();
        offset = (offset + alignment - 1) / alignment * alignment;
    }
    w.padTo(alignment);
    const size_t dataStart = w.bytes.size();
    for (size_t i = 0; i < tensors.size(); ++i) {
        w.bytes.resize(dataStart + offsets[i], 0);
        w.raw(tensors[i].data.data(), tensors[i].data.size());
    }
    return w.bytes;
}

std::vector<uint8_t> floatBytes(const std::vector<float>& v)
{
    std::vector<uint8_t> b(v.size() * 4);
    std::memcpy(b.data(), v.data(), b.size());
    return b;
}

std::string writeFile(const QTemporaryDir& dir, const std::string& name, const std::vector<uint8_t>& bytes)
{
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    return path;
}

// Opening `path` must fail with an InputError whose message names the file and says `what`.
void expectInputError(const std::string& path, const std::string& what)
{
    try {
        GgufReader r(path);
        QFAIL(qPrintable(QString::fromStdString("no error for " + path + " (expected: " + what + ")")));
    } catch (const InputError& e) {
        const std::string msg = e.what();
        if (msg.find(path) == std::string::npos || msg.find(what) == std::string::npos)
            QFAIL(qPrintable(QString::fromStdString("message '" + msg + "' lacks '" + what + "' or the path")));
    }
}

std::vector<uint8_t> readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A small valid file used by the damage tests: metadata of several kinds and two tensors.
std::vector<uint8_t> smallValidFile()
{
    std::vector<float> a(64), b(8);
    for (int i = 0; i < 64; ++i)
        a[size_t(i)] = float(i) * 0.5f - 3.0f;
    for (int i = 0; i < 8; ++i)
        b[size_t(i)] = float(i * i);
    return buildFile(
        3, 3,
        [](GgufWriter& w) {
            w.kvStr("general.architecture", "llama");
            w.str("tokenizer.ggml.tokens");
            w.u32(9);
            w.u32(8);
            w.u64(3);
            w.str("a");
            w.str("bb");
            w.str("");
            w.kvU32("general.alignment", 32);
        },
        {{"w", {16, 4}, 0, floatBytes(a)}, {"n", {8}, 0, floatBytes(b)}});
}

} // namespace

class TestGguf : public QObject {
    Q_OBJECT
private slots:
    void storiesHeaderAndMetadata()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        GgufReader r(testdata::path("stories260K/stories260K.gguf"));
        QCOMPARE(r.format(), std::string("gguf"));
        QCOMPARE(r.version(), 3u);
        QCOMPARE(r.keys().size(), size_t(19));
        QCOMPARE(r.tensors().size(), size_t(48));
        QCOMPARE(r.alignment(), uint64_t(32));
        QCOMPARE(r.dataOffset(), uint64_t(14176));
        QCOMPARE(r.fileSize(), uint64_t(1185376));
        QCOMPARE(r.getString("general.architecture"), std::optional<std::string>("llama"));
        QCOMPARE(r.getInt("llama.context_length"), std::optional<int64_t>(2048));
        QCOMPARE(r.getInt("llama.embedding_length"), std::optional<int64_t>(64));
        QCOMPARE(r.getInt("llama.feed_forward_length"), std::optional<int64_t>(172));
        QCOMPARE(r.getInt("llama.attention.head_count"), std::optional<int64_t>(8));
        QCOMPARE(r.getInt("llama.attention.head_count_kv"), std::optional<int64_t>(4));
        QCOMPARE(r.getInt("llama.block_count"), std::optional<int64_t>(5));
        QCOMPARE(r.getInt("llama.rope.dimension_count"), std::optional<int64_t>(8));
        const auto eps = r.getFloat("llama.attention.layer_norm_rms_epsilon");
        QVERIFY(eps);
        QCOMPARE(float(*eps), 1e-5f); // stored as float32
        QCOMPARE(r.metadata("llama.attention.layer_norm_rms_epsilon")->type(), GgufValueType::Float32);
        QCOMPARE(r.getString("tokenizer.ggml.model"), std::optional<std::string>("llama"));
        QCOMPARE(r.getInt("tokenizer.ggml.bos_token_id"), std::optional<int64_t>(1));
        QCOMPARE(r.getInt("tokenizer.ggml.eos_token_id"), std::optional<int64_t>(2));
        QCOMPARE(r.getInt("tokenizer.ggml.unknown_token_id"), std::optional<int64_t>(0));
        QCOMPARE(r.getStringArray("tokenizer.ggml.tokens").size(), size_t(512));
        QCOMPARE(r.getFloat32Array("tokenizer.ggml.scores").size(), size_t(512));
        QCOMPARE(r.getIntArray("tokenizer.ggml.token_type").size(), size_t(512));
        QCOMPARE(r.getFloatArray("tokenizer.ggml.scores").size(), size_t(512));
        // Keys come back in file order, each findable.
        for (const auto& k : r.keys())
            QVERIFY(r.metadata(k));
        QVERIFY(!r.metadata("no.such.key"));
        QVERIFY(!r.getInt("general.architecture")); // a string is not an int
        QVERIFY(r.getStringArray("tokenizer.ggml.scores").empty());
        const std::string shown = r.metadata("tokenizer.ggml.tokens")->toDisplayString(2);
        QVERIFY(shown.find("512 string") != std::string::npos);
    }

    void storiesVocabularyMatchesTok512()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        REQUIRE_TEST_DATA("stories260K/tok512.bin");
        GgufReader r(testdata::path("stories260K/stories260K.gguf"));
        const auto tokens = r.getStringArray("tokenizer.ggml.tokens");
        const auto scores = r.getFloat32Array("tokenizer.ggml.scores");
        // tok512.bin: int32 max length, then 512 x {float32 score, int32 len, bytes}.
        const auto tok = readAll(testdata::path("stories260K/tok512.bin"));
        size_t p = 4;
        int differentStrings = 0;
        for (int i = 0; i < 512; ++i) {
            float score;
            int32_t len;
            std::memcpy(&score, tok.data() + p, 4);
            std::memcpy(&len, tok.data() + p + 4, 4);
            const std::string s(reinterpret_cast<const char*>(tok.data() + p + 8), size_t(len));
            p += 8 + size_t(len);
            QCOMPARE(scores[size_t(i)], score);
            // The GGUF keeps SentencePiece's U+2581 for a space; tok512.bin has the space itself.
            // Rebuilt by appending: GCC 12 warns falsely (-Wrestrict) on an in-place replace.
            const std::string& stored = tokens[size_t(i)];
            std::string g;
            for (size_t at = 0; at < stored.size();) {
                if (stored.compare(at, 3, "\xe2\x96\x81") == 0) {
                    g += ' ';
                    at += 3;
                } else {
                    g += stored[at++];
                }
            }
            if (s != g) {
                ++differentStrings;
                QVERIFY(i == 1 || i == 2); // only the <s> / </s> spellings differ (SOURCES.md)
            }
        }
        QCOMPARE(p, tok.size());
        QCOMPARE(differentStrings, 2);
        QCOMPARE(tokens[1], std::string("<s>"));
        QCOMPARE(tokens[3], std::string("<0x00>"));
        QCOMPARE(tokens[259], std::string("\xe2\x96\x81t"));
    }

    void storiesTensorsMatchLlama2cBin()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        REQUIRE_TEST_DATA("stories260K/stories260K.bin");
        GgufReader r(testdata::path("stories260K/stories260K.gguf"));
        const auto bin = readAll(testdata::path("stories260K/stories260K.bin"));
        QCOMPARE(bin.size(), size_t(1056540));
        int32_t header[7];
        std::memcpy(header, bin.data(), 28);
        const int64_t D = header[0], H = header[1], L = header[2], nh = header[3], nkv = header[4], V = header[5];
        QCOMPARE(D, int64_t(64));
        QCOMPARE(V, int64_t(512));
        const int64_t KVD = D * nkv / nh;
        // Offsets (in floats after the header) of each array, in the order SOURCES.md gives.
        int64_t at = 0;
        auto next = [&](int64_t n) { const int64_t s = at; at += n; return s; };
        const int64_t tokEmb = next(V * D), rmsAtt = next(L * D), wq = next(L * D * D), wk = next(L * KVD * D),
                      wv = next(L * KVD * D), wo = next(L * D * D), rmsFfn = next(L * D), w1 = next(L * H * D),
                      w2 = next(L * D * H), w3 = next(L * H * D), rmsFinal = next(D);
        const int64_t T = header[6], headSize = D / nh;
        QCOMPARE(28 + (at + 2 * (T * headSize / 2)) * 4, int64_t(bin.size())); // + freq_cis_real/imag

        struct Expect { std::string name; std::vector<int64_t> shape; int64_t floatOffset; };
        std::vector<Expect> expected = {
            {"token_embd.weight", {512, 64}, tokEmb},
            {"output.weight", {512, 64}, tokEmb}, // the tied classifier, stored again
            {"output_norm.weight", {64}, rmsFinal},
        };
        for (int64_t l = 0; l < L; ++l) {
            const std::string b = "blk." + std::to_string(l) + ".";
            expected.push_back({b + "attn_norm.weight", {D}, rmsAtt + l * D});
            expected.push_back({b + "attn_q.weight", {D, D}, wq + l * D * D});
            expected.push_back({b + "attn_k.weight", {KVD, D}, wk + l * KVD * D});
            expected.push_back({b + "attn_v.weight", {KVD, D}, wv + l * KVD * D});
            expected.push_back({b + "attn_output.weight", {D, D}, wo + l * D * D});
            expected.push_back({b + "ffn_norm.weight", {D}, rmsFfn + l * D});
            expected.push_back({b + "ffn_gate.weight", {H, D}, w1 + l * H * D});
            expected.push_back({b + "ffn_down.weight", {D, H}, w2 + l * D * H});
            expected.push_back({b + "ffn_up.weight", {H, D}, w3 + l * H * D});
        }
        QCOMPARE(expected.size(), size_t(48));
        for (const auto& e : expected) {
            const TensorInfo* info = r.find(e.name);
            QVERIFY2(info, e.name.c_str());
            QCOMPARE(info->shape, e.shape);
            QCOMPARE(info->dtype, std::string("F32"));
            QVERIFY(info->decodable);
            QCOMPARE(info->byteSize, uint64_t(info->numel() * 4));
            const FloatTensor t = r.readFloat(e.name);
            QCOMPARE(t.shape, e.shape);
            const uint8_t* src = bin.data() + 28 + e.floatOffset * 4;
            QVERIFY2(std::memcmp(t.data.data(), src, t.data.size() * 4) == 0, e.name.c_str()); // bit-exact
            const auto raw = r.rawBytes(e.name);
            QCOMPARE(raw.size, info->byteSize);
            QVERIFY(std::memcmp(raw.data, src, raw.size) == 0);
        }
        // ggml's own dimension order is kept beside the shape.
        const GgufTensorInfo* emb = r.tensorInfo("token_embd.weight");
        QCOMPARE(emb->ne, std::vector<int64_t>({64, 512}));
        QCOMPARE(emb->fileOffset, r.dataOffset() + emb->relativeOffset);
        QCOMPARE(emb->fileOffset % 32, uint64_t(0));
        // A few values by hand: the first and last float of token_embd as raw .bin floats.
        const FloatTensor t = r.readFloat("token_embd.weight");
        float first, last;
        std::memcpy(&first, bin.data() + 28, 4);
        std::memcpy(&last, bin.data() + 28 + (V * D - 1) * 4, 4);
        QCOMPARE(t.data.front(), first);
        QCOMPARE(t.data.back(), last);
        QCOMPARE(t.toMatrix().rows(), Eigen::Index(512));
        QVERIFY_THROWS_EXCEPTION(InputError, r.readFloat("no.such.tensor"));
    }

    void storiesTruncatedCopies()
    {
        REQUIRE_TEST_DATA("stories260K/stories260K.gguf");
        QTemporaryDir dir;
        const auto bytes = readAll(testdata::path("stories260K/stories260K.gguf"));
        for (size_t cut : {size_t(0), size_t(3), size_t(10), size_t(23), size_t(200), size_t(5000), size_t(13000),
                           size_t(14176), size_t(14176 + 1000), bytes.size() - 1}) {
            const std::vector<uint8_t> part(bytes.begin(), bytes.begin() + std::ptrdiff_t(cut));
            const std::string path = writeFile(dir, "cut" + std::to_string(cut) + ".gguf", part);
            // Cut in the header: "truncated ..." or a count/length that "cannot fit" / lies "past
            // the end"; cut in the data: a tensor "past the end". All name the file.
            expectInputError(path, cut < 4 ? "not a GGUF file" : "");
        }
    }

    void version2AndEveryValueType()
    {
        QTemporaryDir dir;
        const auto bytes = buildFile(
            2, 15,
            [](GgufWriter& w) {
                w.str("u8"); w.u32(0); w.u8(200);
                w.str("i8"); w.u32(1); w.u8(uint8_t(int8_t(-100)));
                w.str("u16"); w.u32(2); w.u16(65000);
                w.str("i16"); w.u32(3); w.u16(uint16_t(int16_t(-30000)));
                w.str("u32"); w.u32(4); w.u32(4000000000u);
                w.str("i32"); w.u32(5); w.u32(uint32_t(-2000000000));
                w.str("f32"); w.u32(6); w.f32(1.5f);
                w.str("bool"); w.u32(7); w.u8(1);
                w.str("str"); w.u32(8); w.str("héllo");
                w.str("u64"); w.u32(10); w.u64(18000000000000000000ull);
                w.str("i64"); w.u32(11); w.u64(uint64_t(int64_t(-9000000000000000000ll)));
                w.str("f64"); w.u32(12); w.f64(-0.1);
                // Array of arrays, one inner array per element type, one of them nested again
                // and one empty.
                w.str("nested"); w.u32(9); w.u32(9); w.u64(14);
                w.u32(0); w.u64(2); w.u8(1); w.u8(255);
                w.u32(1); w.u64(2); w.u8(uint8_t(int8_t(-1))); w.u8(127);
                w.u32(2); w.u64(1); w.u16(513);
                w.u32(3); w.u64(1); w.u16(uint16_t(int16_t(-2)));
                w.u32(4); w.u64(1); w.u32(7);
                w.u32(5); w.u64(1); w.u32(uint32_t(-7));
                w.u32(6); w.u64(2); w.f32(0.25f); w.f32(-8.0f);
                w.u32(7); w.u64(2); w.u8(0); w.u8(1);
                w.u32(8); w.u64(2); w.str("x"); w.str("");
                w.u32(10); w.u64(1); w.u64(1ull << 40);
                w.u32(11); w.u64(1); w.u64(uint64_t(int64_t(-5)));
                w.u32(12); w.u64(1); w.f64(2.5);
                w.u32(9); w.u64(1); w.u32(5); w.u64(3); w.u32(1); w.u32(2); w.u32(3); // [[1,2,3]]
                w.u32(12); w.u64(0);                                                   // empty f64[]
                w.str("floats"); w.u32(9); w.u32(6); w.u64(3); w.f32(1.0f); w.f32(2.0f); w.f32(3.5f);
                w.str("ints"); w.u32(9); w.u32(11); w.u64(2); w.u64(uint64_t(int64_t(-1))); w.u64(10);
            },
            {});
        const std::string path = writeFile(dir, "v2.gguf", bytes);
        GgufReader r(path);
        QCOMPARE(r.version(), 2u);
        QCOMPARE(r.tensors().size(), size_t(0));
        QCOMPARE(r.keys(), std::vector<std::string>({"u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "str",
                                                     "u64", "i64", "f64", "nested", "floats", "ints"}));
        QCOMPARE(r.getInt("u8"), std::optional<int64_t>(200));
        QCOMPARE(r.getInt("i8"), std::optional<int64_t>(-100));
        QCOMPARE(r.getInt("u16"), std::optional<int64_t>(65000));
        QCOMPARE(r.getInt("i16"), std::optional<int64_t>(-30000));
        QCOMPARE(r.getInt("u32"), std::optional<int64_t>(4000000000ll));
        QCOMPARE(r.getInt("i32"), std::optional<int64_t>(-2000000000));
        QCOMPARE(r.getFloat("f32"), std::optional<double>(1.5));
        QCOMPARE(r.getBool("bool"), std::optional<bool>(true));
        QCOMPARE(r.getString("str"), std::optional<std::string>("héllo"));
        QVERIFY(!r.getInt("u64")); // above INT64_MAX
        QCOMPARE(std::get<uint64_t>(r.metadata("u64")->storage()), 18000000000000000000ull);
        QCOMPARE(r.metadata("u64")->toDisplayString(), std::string("18000000000000000000"));
        QCOMPARE(r.getInt("i64"), std::optional<int64_t>(-9000000000000000000ll));
        QCOMPARE(r.getFloat("f64"), std::optional<double>(-0.1));
        QCOMPARE(r.getFloat("u8"), std::optional<double>(200.0)); // integers read as floats too
        for (const auto& [key, type] : std::vector<std::pair<std::string, GgufValueType>>{
                 {"u8", GgufValueType::UInt8}, {"i8", GgufValueType::Int8}, {"u16", GgufValueType::UInt16},
                 {"i16", GgufValueType::Int16}, {"u32", GgufValueType::UInt32}, {"i32", GgufValueType::Int32},
                 {"f32", GgufValueType::Float32}, {"bool", GgufValueType::Bool}, {"str", GgufValueType::String},
                 {"u64", GgufValueType::UInt64}, {"i64", GgufValueType::Int64}, {"f64", GgufValueType::Float64},
                 {"nested", GgufValueType::Array}})
            QCOMPARE(r.metadata(key)->type(), type);

        const GgufArray* nested = r.metadata("nested")->array();
        QVERIFY(nested);
        QCOMPARE(nested->elementType, GgufValueType::Array);
        QCOMPARE(nested->items.size(), size_t(14));
        auto inner = [&](size_t i) { return nested->items[i].array(); };
        QCOMPARE(inner(0)->elementType, GgufValueType::UInt8);
        QCOMPARE(inner(0)->items[1].toInt(), std::optional<int64_t>(255));
        QCOMPARE(inner(1)->items[0].toInt(), std::optional<int64_t>(-1));
        QCOMPARE(inner(2)->items[0].toInt(), std::optional<int64_t>(513));
        QCOMPARE(inner(3)->items[0].toInt(), std::optional<int64_t>(-2));
        QCOMPARE(inner(4)->items[0].toInt(), std::optional<int64_t>(7));
        QCOMPARE(inner(5)->items[0].toInt(), std::optional<int64_t>(-7));
        QCOMPARE(inner(6)->items[1].toDouble(), std::optional<double>(-8.0));
        QCOMPARE(inner(7)->items[0].toBool(), std::optional<bool>(false));
        QCOMPARE(inner(7)->items[1].toBool(), std::optional<bool>(true));
        QCOMPARE(*inner(8)->items[0].string(), std::string("x"));
        QCOMPARE(*inner(8)->items[1].string(), std::string(""));
        QCOMPARE(inner(9)->items[0].toInt(), std::optional<int64_t>(int64_t(1) << 40));
        QCOMPARE(inner(10)->items[0].toInt(), std::optional<int64_t>(-5));
        QCOMPARE(inner(11)->items[0].toDouble(), std::optional<double>(2.5));
        const GgufArray* deep = inner(12)->items[0].array();
        QVERIFY(deep);
        QCOMPARE(deep->elementType, GgufValueType::Int32);
        QCOMPARE(deep->items[2].toInt(), std::optional<int64_t>(3));
        QCOMPARE(inner(13)->elementType, GgufValueType::Float64);
        QVERIFY(inner(13)->items.empty());
        QCOMPARE(r.getFloat32Array("floats"), std::vector<float>({1.0f, 2.0f, 3.5f}));
        QCOMPARE(r.getFloatArray("floats"), std::vector<double>({1.0, 2.0, 3.5}));
        QCOMPARE(r.getIntArray("ints"), std::vector<int64_t>({-1, 10}));
        QVERIFY(r.getIntArray("floats").empty());
        QCOMPARE(r.metadata("floats")->toDisplayString(), std::string("[1, 2, 3.5]"));
    }

    void quantizedAndUndecodableTensors()
    {
        QTemporaryDir dir;
        // Q8_0 [2 rows x 64]: row r, block k has d = 2^-(r+k) and codes i - 16.
        std::vector<uint8_t> q8;
        for (int r = 0; r < 2; ++r)
            for (int k = 0; k < 2; ++k) {
                const uint16_t h = floatToHalf(std::ldexp(1.0f, -(r + k)));
                q8.push_back(uint8_t(h & 0xff));
                q8.push_back(uint8_t(h >> 8));
                for (int i = 0; i < 32; ++i)
                    q8.push_back(uint8_t(int8_t(i - 16)));
            }
        // F16 [3]: 1, -2, 0.5; BF16 [2]: 1, -100.
        const std::vector<uint8_t> f16 = {0x00, 0x3c, 0x00, 0xc0, 0x00, 0x38};
        const std::vector<uint8_t> bf16 = {0x80, 0x3f, 0xc8, 0xc2};
        std::vector<uint8_t> iq2(2 * 66, 0xab); // two IQ2_XXS blocks: listed, not decoded
        const std::vector<uint8_t> weird = {1, 2, 3};
        const auto bytes = buildFile(
            3, 1, [](GgufWriter& w) { w.kvU32("general.alignment", 64); },
            {{"q8", {64, 2}, 8, q8}, {"half", {3}, 1, f16}, {"bf", {2}, 30, bf16}, {"iq", {256, 2}, 16, iq2},
             {"future", {3}, 200, weird}},
            64);
        const std::string path = writeFile(dir, "types.gguf", bytes);
        GgufReader r(path);
        QCOMPARE(r.alignment(), uint64_t(64));
        QCOMPARE(r.dataOffset() % 64, uint64_t(0));

        const TensorInfo* q = r.find("q8");
        QCOMPARE(q->dtype, std::string("Q8_0"));
        QCOMPARE(q->shape, std::vector<int64_t>({2, 64}));
        QCOMPARE(q->byteSize, uint64_t(4 * 34));
        const FloatTensor t = r.readFloat("q8");
        for (int row = 0; row < 2; ++row)
            for (int col = 0; col < 64; ++col)
                QCOMPARE(t.data[size_t(row * 64 + col)], float(col % 32 - 16) * std::ldexp(1.0f, -(row + col / 32)));
        QCOMPARE(r.readFloat("half").data, std::vector<float>({1.0f, -2.0f, 0.5f}));
        QCOMPARE(r.readFloat("bf").data, std::vector<float>({1.0f, -100.0f}));
        QCOMPARE(r.find("bf")->dtype, std::string("BF16"));

        const TensorInfo* iq = r.find("iq");
        QVERIFY(iq);
        QCOMPARE(iq->dtype, std::string("IQ2_XXS"));
        QVERIFY(!iq->decodable);
        QCOMPARE(iq->byteSize, uint64_t(132));
        QCOMPARE(iq->shape, std::vector<int64_t>({2, 256}));
        try {
            r.readFloat("iq");
            QFAIL("IQ2_XXS decoded");
        } catch (const InputError& e) {
            const std::string msg = e.what();
            QVERIFY(msg.find(path) != std::string::npos);
            QVERIFY(msg.find("'iq'") != std::string::npos);
            QVERIFY(msg.find("IQ2_XXS") != std::string::npos);
        }
        const auto raw = r.rawBytes("iq");
        QCOMPARE(raw.size, uint64_t(132));
        QVERIFY(std::memcmp(raw.data, iq2.data(), 132) == 0);

        const TensorInfo* future = r.find("future");
        QCOMPARE(future->dtype, std::string("GGML_TYPE_200"));
        QVERIFY(!future->decodable);
        QVERIFY(!r.tensorInfo("future")->sizeKnown);
        QVERIFY_THROWS_EXCEPTION(InputError, r.readFloat("future"));
        QVERIFY_THROWS_EXCEPTION(InputError, r.rawBytes("future"));
    }

    void badFiles()
    {
        QTemporaryDir dir;
        int n = 0;
        auto bad = [&](const std::vector<uint8_t>& bytes, const std::string& what) {
            expectInputError(writeFile(dir, "bad" + std::to_string(n++) + ".gguf", bytes), what);
        };
        auto noKv = [](GgufWriter&) {};
        const std::vector<uint8_t> f4(16, 0);

        std::vector<uint8_t> magic = smallValidFile();
        magic[3] = 'X';
        bad(magic, "not a GGUF file");
        bad({'G', 'G', 'U'}, "not a GGUF file");
        bad(buildFile(1, 0, noKv, {}), "version 1");
        bad(buildFile(4, 0, noKv, {}), "unsupported GGUF version 4");
        {
            GgufWriter w;
            w.header(3, 1ull << 60, 0);
            bad(w.bytes, "tensor count");
        }
        {
            GgufWriter w;
            w.header(3, 0, 1ull << 62);
            bad(w.bytes, "metadata count");
        }
        {
            GgufWriter w; // key length far past the end
            w.header(3, 0, 1);
            w.u64(1ull << 40);
            w.raw("abcdefghijklmnop", 16);
            bad(w.bytes, "past the end");
        }
        {
            GgufWriter w; // string value length past the end
            w.header(3, 0, 1);
            w.str("k");
            w.u32(8);
            w.u64(1000);
            w.raw("short", 5);
            bad(w.bytes, "past the end");
        }
        {
            GgufWriter w; // array claiming more elements than bytes
            w.header(3, 0, 1);
            w.str("k");
            w.u32(9);
            w.u32(4);
            w.u64(1ull << 50);
            w.u32(1);
            bad(w.bytes, "cannot fit");
        }
        {
            GgufWriter w; // arrays nested 100 deep
            w.header(3, 0, 1);
            w.str("deep");
            w.u32(9);
            for (int i = 0; i < 100; ++i) {
                w.u32(9);
                w.u64(1);
            }
            w.u32(0);
            w.u64(0);
            bad(w.bytes, "nested deeper");
        }
        bad(buildFile(3, 1, [](GgufWriter& w) { w.str("k"); w.u32(13); w.u32(0); }, {}), "not a GGUF value type");
        bad(buildFile(3, 1, [](GgufWriter& w) { w.str("b"); w.u32(7); w.u8(2); }, {}), "neither 0 nor 1");
        bad(buildFile(3, 2, [](GgufWriter& w) { w.kvU32("k", 1); w.kvU32("k", 2); }, {}), "appears twice");
        bad(buildFile(3, 1, [](GgufWriter& w) { w.kvU32("general.alignment", 24); }, {}), "power of two");
        bad(buildFile(3, 1, [](GgufWriter& w) { w.kvU32("general.alignment", 0); }, {}), "power of two");
        bad(buildFile(3, 0, noKv, {{"t", {4}, 0, f4}, {"t", {4}, 0, f4}}), "appears twice");
        bad(buildFile(3, 0, noKv, {{"t", {1, 1, 1, 1, 4}, 0, f4}}), "5 dimensions");
        bad(buildFile(3, 0, noKv, {{"t", {1ull << 33, 1ull << 33}, 0, f4}}), "overflow");
        bad(buildFile(3, 0, noKv, {{"t", {1ull << 63}, 0, f4}}), "overflow");
        bad(buildFile(3, 0, noKv, {{"t", {1ull << 61}, 0, f4}}), "past the end"); // 2^63 bytes of F32
        bad(buildFile(3, 0, noKv, {{"t", {1ull << 62}, 0, f4}}), "byte size overflows"); // 2^64 bytes
        bad(buildFile(3, 0, noKv, {{"t", {33}, 8, std::vector<uint8_t>(34, 0)}}), "whole number of Q8_0 blocks");
        bad(buildFile(3, 0, noKv, {{"t", {8}, 0, f4}}), "past the end"); // 32 bytes claimed, 16 present
        {
            GgufWriter w; // misaligned offset
            w.header(3, 1, 0);
            w.tensorInfo("t", {4}, 0, 4);
            w.padTo(32);
            w.raw(f4.data(), 16);
            w.raw(f4.data(), 16);
            bad(w.bytes, "not a multiple of the alignment");
        }
        {
            GgufWriter w; // offset far past the end
            w.header(3, 1, 0);
            w.tensorInfo("t", {4}, 0, 1ull << 40);
            w.padTo(32);
            w.raw(f4.data(), 16);
            bad(w.bytes, "past the end");
        }
        {
            GgufWriter w; // offset that overflows when added to the data start
            w.header(3, 1, 0);
            w.tensorInfo("t", {4}, 0, ~uint64_t(31));
            w.padTo(32);
            w.raw(f4.data(), 16);
            bad(w.bytes, "past the end");
        }
        QVERIFY_THROWS_EXCEPTION(InputError, GgufReader(dir.filePath("missing.gguf").toStdString()));
    }

    void everyTruncationFails()
    {
        QTemporaryDir dir;
        const auto bytes = smallValidFile();
        const std::string full = writeFile(dir, "full.gguf", bytes);
        GgufReader ok(full);
        QCOMPARE(ok.tensors().size(), size_t(2));
        QCOMPARE(ok.readFloat("n").data[3], 9.0f);
        QCOMPARE(ok.readFloat("w").shape, std::vector<int64_t>({4, 16}));
        QCOMPARE(ok.getStringArray("tokenizer.ggml.tokens"), std::vector<std::string>({"a", "bb", ""}));
        for (size_t cut = 0; cut < bytes.size(); ++cut) {
            const std::string path = writeFile(dir, "t.gguf", std::vector<uint8_t>(bytes.begin(), bytes.begin() + std::ptrdiff_t(cut)));
            try {
                GgufReader r(path);
                QFAIL(qPrintable(QStringLiteral("a file cut to %1 bytes opened").arg(cut)));
            } catch (const InputError& e) {
                QVERIFY(std::string(e.what()).find(path) != std::string::npos);
            }
        }
    }

    void corruptedBytesNeverCrash()
    {
        // Random damage must give either a readable file or an InputError: nothing else.
        QTemporaryDir dir;
        const auto bytes = smallValidFile();
        std::mt19937 rng(7);
        int opened = 0, rejected = 0;
        for (int round = 0; round < 400; ++round) {
            auto damaged = bytes;
            const int flips = 1 + int(rng() % 4);
            for (int f = 0; f < flips; ++f)
                damaged[rng() % damaged.size()] ^= uint8_t(1u << (rng() % 8));
            const std::string path = writeFile(dir, "d.gguf", damaged);
            try {
                GgufReader r(path);
                for (const auto& t : r.tensors()) {
                    if (t.decodable)
                        QCOMPARE(r.readFloat(t.name).data.size(), size_t(t.numel()));
                    const GgufTensorInfo* g = r.tensorInfo(t.name);
                    QVERIFY(g->fileOffset <= r.fileSize() && t.byteSize <= r.fileSize() - g->fileOffset);
                    if (g->sizeKnown)
                        QCOMPARE(r.rawBytes(t.name).size, t.byteSize);
                }
                for (const auto& k : r.keys())
                    r.metadata(k)->toDisplayString();
                ++opened;
            } catch (const InputError&) {
                ++rejected;
            }
        }
        QVERIFY(opened > 0);
        QVERIFY(rejected > 0);
    }
};

QTEST_GUILESS_MAIN(TestGguf)
#include "test_gguf.moc"
