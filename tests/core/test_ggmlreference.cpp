// ggml's own library as the reference for Salience's ggml quantizers: libggml-base.so of npm's
// node-llama-cpp (the prebuilt llama.cpp that core_llamacpp also runs, installed once into
// <build dir>/llamacpp-reference by tests/reference/install.sh) is loaded with dlopen, and for
// every type quantizeRows must write the bytes ggml_quantize_chunk writes, without and with an
// importance matrix, on synthetic rows (gaussian, heavy tails, zeros, constants, a huge value,
// tiny values) and on the real stories260K weights. Salience's dequantizeRow of those bytes must
// equal ggml's dequantize_row_* bit for bit. Skips when node is absent or the reference cannot be
// installed here.
#include "io/GgmlDequant.h"
#include "io/GgmlTypes.h"
#include "model/Model.h"
#include "quant/GgmlQuantize.h"
#include "tensor/Random.h"

#include "ReferenceInstall.h"
#include "TestData.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <dlfcn.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#ifndef SALIENCE_LLAMACPP_DIR
#error "tests/CMakeLists.txt defines SALIENCE_LLAMACPP_DIR and SALIENCE_REFERENCE_SCRIPTS for this suite"
#endif

using namespace salience;

namespace {

const char* const kModel = "stories260K/stories260K.gguf";
const char* const kLibrary = "node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/libggml-base.so";

// The few C entry points of libggml-base used here (ggml.h, ggml-quants.h); enum ggml_type is an
// int whose values are GgmlType's.
using QuantizeChunkFn = size_t (*)(int type, const float* src, void* dst, int64_t start, int64_t nrows,
                                   int64_t nPerRow, const float* imatrix);
using RequiresImatrixFn = bool (*)(int type);
using RowSizeFn = size_t (*)(int type, int64_t ne);
using QuantizeRowRefFn = void (*)(const float* x, void* y, int64_t k);
using DequantizeRowFn = void (*)(const void* x, float* y, int64_t k);

struct TypeCase {
    GgmlType type;
    const char* suffix;   // "q4_K": the symbols are quantize_row_<suffix>_ref, dequantize_row_<suffix>
    bool chunkUsesRef;    // ggml_quantize_chunk without imatrix is quantize_row_<suffix>_ref
};

const std::vector<TypeCase> kTypes{
    {GgmlType::Q4_0, "q4_0", true}, {GgmlType::Q4_1, "q4_1", true}, {GgmlType::Q5_0, "q5_0", true},
    {GgmlType::Q5_1, "q5_1", true}, {GgmlType::Q8_0, "q8_0", true}, {GgmlType::Q2_K, "q2_K", true},
    {GgmlType::Q3_K, "q3_K", true}, {GgmlType::Q4_K, "q4_K", true}, {GgmlType::Q5_K, "q5_K", true},
    {GgmlType::Q6_K, "q6_K", true},
    // quantize_iq4_nl searches 7 steps each side; quantize_row_iq4_nl_ref none.
    {GgmlType::IQ4_NL, "iq4_nl", false},
};

// A row-major [rows, cols] matrix of test values.
struct Rows {
    QString label;
    int64_t rows = 0;
    int64_t cols = 0;
    std::vector<float> values;
};

Rows generate(const QString& label, int64_t rows, int64_t cols, const std::function<float(int64_t, int64_t)>& f)
{
    Rows r{label, rows, cols, std::vector<float>(size_t(rows * cols))};
    for (int64_t i = 0; i < rows; ++i)
        for (int64_t j = 0; j < cols; ++j)
            r.values[size_t(i * cols + j)] = f(i, j);
    return r;
}

struct Importance {
    QString label;
    std::vector<float> values; // empty: no imatrix
};

// Importances for rows of `cols` channels, as llama.cpp's imatrix holds them (mean squared input).
std::vector<Importance> importances(int64_t cols, uint64_t seed)
{
    Rng rng(seed);
    std::vector<Importance> out;
    out.push_back({"no imatrix", {}});
    Importance uniform{"random positive imatrix", std::vector<float>(size_t(cols))};
    for (float& v : uniform.values)
        v = float(0.05 + 2.0 * rng.uniform());
    out.push_back(std::move(uniform));
    // Log-normal activations with a few massive channels, like a real model's residual stream.
    Importance realistic{"realistic imatrix (a few huge channels)", std::vector<float>(size_t(cols))};
    for (float& v : realistic.values)
        v = float(std::exp(1.5 * rng.normal()) * 0.01);
    for (int k = 0; k < 3; ++k)
        realistic.values[size_t(rng.below(uint64_t(cols)))] = float(2000.0 + 1000.0 * rng.uniform());
    out.push_back(std::move(realistic));
    // Dead channels: zero importance for one in five.
    Importance sparse{"imatrix with zero channels", std::vector<float>(size_t(cols))};
    for (float& v : sparse.values)
        v = rng.below(5) == 0 ? 0.0f : float(rng.uniform());
    out.push_back(std::move(sparse));
    return out;
}

std::vector<Rows> syntheticRows()
{
    Rng rng(20240917);
    std::vector<Rows> sets;
    sets.push_back(generate("gaussian", 16, 4096, [&](int64_t, int64_t) { return float(0.02 * rng.normal()); }));
    sets.push_back(generate("gaussian, short rows", 6, 256, [&](int64_t, int64_t) { return float(rng.normal()); }));
    sets.push_back(generate("gaussian with mean", 3, 512, [&](int64_t i, int64_t) {
        return float(0.5 * double(i - 1) + 0.1 * rng.normal());
    }));
    sets.push_back(generate("heavy-tailed with outliers", 4, 1024, [&](int64_t, int64_t) {
        const double v = 0.01 * rng.studentT(2);
        return float(rng.below(200) == 0 ? v * 80.0 : v);
    }));
    sets.push_back(generate("all zero", 2, 512, [](int64_t, int64_t) { return 0.0f; }));
    sets.push_back(generate("constant", 3, 256, [](int64_t i, int64_t) { return i == 0 ? 0.37f : i == 1 ? -2.5f : 1e-3f; }));
    sets.push_back(generate("one huge value", 3, 512, [&](int64_t i, int64_t j) {
        if (j == 77 + 100 * i)
            return i == 0 ? 1000.0f : i == 1 ? -3.0e5f : 6.0e4f;
        return float(0.01 * rng.normal());
    }));
    sets.push_back(generate("tiny values", 2, 512, [&](int64_t i, int64_t) {
        return float((i == 0 ? 1e-30 : 3e-14) * rng.normal());
    }));
    sets.push_back(generate("zero and non-zero blocks", 2, 1024, [&](int64_t, int64_t j) {
        return (j / 32) % 3 == 1 ? 0.0f : float(rng.normal());
    }));
    sets.push_back(generate("positive only", 2, 512, [&](int64_t, int64_t) { return float(std::fabs(rng.normal())); }));
    return sets;
}

// Rows of the real stories260K weights: every linear layer's weight, one after the other, cut
// into rows of 256 to 4096 values, all of them used.
std::vector<Rows> realRows(const Model& model)
{
    std::vector<float> all;
    for (const LinearLayer& layer : model.layers()) {
        const Matrix w = model.weight(layer);
        all.insert(all.end(), w.data(), w.data() + w.size());
    }
    std::vector<Rows> sets;
    int64_t offset = 0;
    // The rest of the weights in rows of 4096.
    const int64_t rest = (int64_t(all.size()) - (8 * 256 + 4 * 512 + 4 * 1024)) / 4096;
    for (const auto& [rows, cols] :
         std::vector<std::pair<int64_t, int64_t>>{{8, 256}, {4, 512}, {4, 1024}, {rest, 4096}}) {
        if (rows < 1)
            break;
        Rows r{QString("stories260K weights %1x%2").arg(rows).arg(cols), rows, cols, {}};
        r.values.assign(all.begin() + offset, all.begin() + offset + rows * cols);
        offset += rows * cols;
        sets.push_back(std::move(r));
    }
    return sets;
}

// How many bytes and blocks of `ours` differ from `theirs` (same size), and where the first is.
struct Difference {
    int64_t bytes = 0;
    int64_t blocks = 0;
    int64_t firstByte = -1;
};

Difference compareBytes(const std::vector<uint8_t>& ours, const std::vector<uint8_t>& theirs, int64_t blockBytes)
{
    Difference d;
    int64_t lastBlock = -1;
    for (size_t i = 0; i < ours.size() && i < theirs.size(); ++i) {
        if (ours[i] == theirs[i])
            continue;
        ++d.bytes;
        if (d.firstByte < 0)
            d.firstByte = int64_t(i);
        if (int64_t(i) / blockBytes != lastBlock) {
            lastBlock = int64_t(i) / blockBytes;
            ++d.blocks;
        }
    }
    return d;
}

} // namespace

class TestGgmlReference : public QObject {
    Q_OBJECT

    QString m_scripts = QString::fromUtf8(SALIENCE_REFERENCE_SCRIPTS);
    QString m_installDir = QString::fromUtf8(SALIENCE_LLAMACPP_DIR);
    void* m_library = nullptr;
    QuantizeChunkFn m_quantizeChunk = nullptr;
    RowSizeFn m_rowSize = nullptr;
    RequiresImatrixFn m_requiresImatrix = nullptr;
    std::map<GgmlType, QuantizeRowRefFn> m_rowRef;
    std::map<GgmlType, DequantizeRowFn> m_dequantize;
    std::map<std::pair<GgmlType, bool>, int64_t> m_blocksCompared; // per type and with an imatrix or not

    template <typename Fn>
    Fn symbol(const char* name)
    {
        return reinterpret_cast<Fn>(dlsym(m_library, name));
    }

    // Quantizes `rows` with `type` both ways and compares; appends what differs to `failures`.
    void compareOne(const TypeCase& c, const Rows& rows, const Importance& imp, QStringList& failures)
    {
        const GgmlTypeTraits* t = ggmlTypeTraits(c.type);
        const float* imatrix = imp.values.empty() ? nullptr : imp.values.data();
        const QString what = QString("%1, %2, %3").arg(QString::fromUtf8(t->name.data(), qsizetype(t->name.size())),
                                                       rows.label, imp.label);
        const size_t rowBytes = m_rowSize(int(c.type), rows.cols);
        std::vector<uint8_t> theirs(rowBytes * size_t(rows.rows), 0xA5);
        const size_t written = m_quantizeChunk(int(c.type), rows.values.data(), theirs.data(), 0, rows.rows,
                                               rows.cols, imatrix);
        if (written != theirs.size()) {
            failures << what + QString(": ggml_quantize_chunk wrote %1 bytes, expected %2").arg(written).arg(theirs.size());
            return;
        }
        std::vector<uint8_t> ours;
        try {
            ours = quantizeRows(c.type, rows.values.data(), rows.rows, rows.cols, imatrix);
        } catch (const std::exception& e) {
            failures << what + ": quantizeRows threw: " + QString::fromUtf8(e.what());
            return;
        }
        if (ours.size() != theirs.size()) {
            failures << what + QString(": %1 bytes against ggml's %2").arg(ours.size()).arg(theirs.size());
            return;
        }
        const int64_t blocks = int64_t(ours.size()) / t->bytesPerBlock;
        m_blocksCompared[{c.type, imatrix != nullptr}] += blocks;
        const Difference d = compareBytes(ours, theirs, t->bytesPerBlock);
        if (d.bytes > 0)
            failures << what + QString(": %1 of %2 bytes differ from ggml_quantize_chunk's, in %3 of %4 blocks "
                                       "(first at byte %5: ours %6, ggml %7)")
                                   .arg(d.bytes).arg(ours.size()).arg(d.blocks).arg(blocks).arg(d.firstByte)
                                   .arg(ours[size_t(d.firstByte)]).arg(theirs[size_t(d.firstByte)]);

        // Without an imatrix the chunk is the reference row quantizer for most types: say so.
        if (!imatrix && c.chunkUsesRef) {
            std::vector<uint8_t> ref(theirs.size(), 0x5A);
            m_rowRef.at(c.type)(rows.values.data(), ref.data(), rows.rows * rows.cols);
            const Difference r = compareBytes(ours, ref, t->bytesPerBlock);
            if (r.bytes > 0)
                failures << what + QString(": %1 bytes differ from quantize_row_%2_ref's").arg(r.bytes).arg(c.suffix);
        }

        // Both decoders on our bytes, bit for bit (nan and inf included).
        const int64_t n = rows.rows * rows.cols;
        std::vector<float> mine(static_cast<size_t>(n)), ggml(static_cast<size_t>(n));
        dequantizeRow(c.type, ours.data(), mine.data(), n);
        m_dequantize.at(c.type)(ours.data(), ggml.data(), n);
        int64_t values = 0;
        for (int64_t i = 0; i < n; ++i)
            if (std::memcmp(&mine[size_t(i)], &ggml[size_t(i)], 4) != 0)
                ++values;
        if (values > 0)
            failures << what + QString(": dequantizeRow differs from dequantize_row_%1 in %2 of %3 values")
                                   .arg(c.suffix).arg(values).arg(n);
    }

    void compareAll(const std::vector<Rows>& sets)
    {
        QStringList failures;
        for (const TypeCase& c : kTypes)
            for (const Rows& rows : sets)
                for (const Importance& imp : importances(rows.cols, uint64_t(rows.cols) * 7919u + uint64_t(rows.rows)))
                    compareOne(c, rows, imp, failures);
        QVERIFY2(failures.isEmpty(), qPrintable(QString("%1 mismatches:\n").arg(failures.size()) + failures.join('\n')));
    }

private slots:
    void initTestCase()
    {
        const QString node = QStandardPaths::findExecutable("node");
        if (node.isEmpty())
            QSKIP("node is not on PATH: the llama.cpp reference (node-llama-cpp) needs node >= 20 and npm "
                  "(packaging/install-deps.sh installs them)");
        // Once per build directory, shared with core_llamacpp.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SALIENCE_LLAMACPP_DIR", m_installDir);
        env.insert("NODE_LLAMA_CPP_SKIP_DOWNLOAD", "true"); // never fetch or build llama.cpp
        REQUIRE_REFERENCE(testsupport::installReference(m_scripts, "install.sh", m_installDir, env));

        const QString library = QDir(m_installDir).filePath(kLibrary);
        QVERIFY2(QFileInfo::exists(library), qPrintable(library + " is missing after install.sh"));
        m_library = dlopen(library.toUtf8().constData(), RTLD_NOW | RTLD_LOCAL);
        QVERIFY2(m_library, dlerror());
        m_quantizeChunk = symbol<QuantizeChunkFn>("ggml_quantize_chunk");
        m_rowSize = symbol<RowSizeFn>("ggml_row_size");
        m_requiresImatrix = symbol<RequiresImatrixFn>("ggml_quantize_requires_imatrix");
        QVERIFY2(m_quantizeChunk && m_rowSize && m_requiresImatrix, "libggml-base lacks ggml_quantize_chunk, "
                                                                    "ggml_row_size or ggml_quantize_requires_imatrix");
        for (const TypeCase& c : kTypes) {
            const std::string ref = std::string("quantize_row_") + c.suffix + "_ref";
            const std::string dequant = std::string("dequantize_row_") + c.suffix;
            const auto refFn = symbol<QuantizeRowRefFn>(ref.c_str());
            const auto dequantFn = symbol<DequantizeRowFn>(dequant.c_str());
            QVERIFY2(refFn && dequantFn, qPrintable(QString::fromStdString("libggml-base lacks " + ref + " or " + dequant)));
            m_rowRef[c.type] = refFn;
            m_dequantize[c.type] = dequantFn;
        }
    }

    void cleanupTestCase()
    {
        for (const auto& [key, blocks] : m_blocksCompared)
            qInfo("%s %s: %lld blocks compared with ggml_quantize_chunk", ggmlTypeName(uint32_t(key.first)).c_str(),
                  key.second ? "with imatrix" : "without imatrix", static_cast<long long>(blocks));
        if (m_library)
            dlclose(m_library);
    }

    // The comparison can see a difference: one flipped bit is one byte in one block.
    void comparisonSeesOneByte()
    {
        std::vector<uint8_t> a(210 * 3, 7), b = a;
        b[300] ^= 1;
        const Difference d = compareBytes(a, b, 210);
        QCOMPARE(d.bytes, int64_t(1));
        QCOMPARE(d.blocks, int64_t(1));
        QCOMPARE(d.firstByte, int64_t(300));
    }

    // Sizes and bits per weight as ggml counts them.
    void sizesMatchGgml()
    {
        for (const TypeCase& c : kTypes) {
            QVERIFY(canQuantize(c.type) && canDequantize(c.type));
            QVERIFY2(!m_requiresImatrix(int(c.type)), ggmlTypeName(uint32_t(c.type)).c_str());
            for (int64_t n : {256, 4096, 11008}) {
                QCOMPARE(ggmlByteSize(c.type, n), uint64_t(m_rowSize(int(c.type), n)));
                QCOMPARE(ggmlBitsPerWeight(c.type), double(m_rowSize(int(c.type), n)) * 8.0 / double(n));
            }
        }
        QCOMPARE(ggmlBitsPerWeight(GgmlType::Q2_K), 2.625);
        QCOMPARE(ggmlBitsPerWeight(GgmlType::Q3_K), 3.4375);
        QCOMPARE(ggmlBitsPerWeight(GgmlType::Q6_K), 6.5625);
    }

    void syntheticRowsMatchGgml() { compareAll(syntheticRows()); }

    void realWeightsMatchGgml()
    {
        REQUIRE_TEST_DATA(kModel);
        const Model model = Model::open(testdata::path(kModel));
        const std::vector<Rows> sets = realRows(model);
        QVERIFY2(sets.size() == 4, "stories260K has fewer weights than the row sets need");
        compareAll(sets);
    }

    // A row quantized alone is the same row as part of a tensor (the imatrix is per row).
    void rowsAreIndependent()
    {
        const std::vector<Rows> sets = syntheticRows();
        const Rows& rows = sets.front();
        const std::vector<Importance> imps = importances(rows.cols, 3);
        for (GgmlType type : {GgmlType::Q4_0, GgmlType::Q3_K, GgmlType::IQ4_NL}) {
            const auto all = quantizeRows(type, rows.values.data(), rows.rows, rows.cols, imps[2].values.data());
            const uint64_t rowBytes = ggmlByteSize(type, rows.cols);
            std::vector<uint8_t> one(rowBytes);
            quantizeRow(type, rows.values.data() + rows.cols, one.data(), rows.cols, imps[2].values.data());
            QVERIFY(std::memcmp(one.data(), all.data() + rowBytes, rowBytes) == 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestGgmlReference)
#include "test_ggmlreference.moc"
