// The activation store and its HDF5 file (schema salience-activations/1), channel statistics
// and the Gram matrix.
#include "acts/ActivationStore.h"
#include "acts/ChannelStatsOps.h"
#include "acts/Gram.h"
#include "base/Error.h"
#include "io/Hdf5.h"
#include "base/Progress.h"
#include "tensor/Half.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cmath>
#include <string>
#include <thread>

using namespace salience;

namespace {

// Deterministic values spread over several binades, with signs, so float16 rounding matters.
Matrix patterned(int rows, int cols, float seed)
{
    Matrix X(rows, cols);
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j)
            X(i, j) = std::sin(seed + 1.37f * float(i) + 0.71f * float(j)) * std::pow(3.0f, float(j % 5) - 2.0f);
    return X;
}

bool sameMatrix(const Matrix& a, const Matrix& b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() && a == b;
}

bool sameStats(const ChannelStats& a, const ChannelStats& b)
{
    return a.sumSq == b.sumSq && a.absMax == b.absMax && a.absSum == b.absSum && a.count == b.count;
}

bool close(const std::vector<double>& a, const std::vector<double>& b, double rel = 1e-12)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::abs(a[i] - b[i]) > rel * std::max(1.0, std::abs(b[i])))
            return false;
    return true;
}

const std::string kQ = "model.layers.0.self_attn.q_proj";
const std::string kDown = "model.layers.1.mlp.down_proj";
const std::string kGate = "model.layers.0.mlp.gate_proj";
const std::string kImatrix = "model.layers.10.mlp.up_proj";

ActivationStore sampleStore()
{
    ActivationStore store;
    store.attributes().model = "stories260K.gguf";
    store.attributes().source = "TinyStories — validation ✓";
    store.setTokens({1, 403, 29871, 7, 0});
    store.setInputs(kQ, patterned(5, 3, 0.1f));
    store.setInputs(kDown, patterned(5, 4, 0.7f));
    ChannelStats gate;
    gate.sumSq = {1.5, 2.25, 0.0};
    gate.absMax = {1.0, 1.5, 0.0};
    gate.absSum = {2.0, 2.5, 0.0};
    gate.count = 17;
    store.setStats(kGate, gate);
    ChannelStats imatrix; // sums of squares only, as llama.cpp's imatrix gives
    imatrix.sumSq = {4.0, 9.0};
    imatrix.count = 123456789012LL;
    store.setStats(kImatrix, imatrix);
    store.setStats(kQ, ActivationStore::statsOf(patterned(9, 3, 2.0f)));
    store.setSite(0, "resid_in", patterned(5, 6, 1.1f));
    store.setSite(0, "mlp_out", patterned(5, 6, 1.2f));
    store.setSite(1, "attn_out", patterned(5, 6, 1.3f));
    return store;
}

std::string pathIn(const QTemporaryDir& dir, const char* name)
{
    return dir.filePath(QString::fromUtf8(name)).toStdString();
}

QStringList allEntries(const QTemporaryDir& dir)
{
    return QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

// The message of the InputError `f` throws, or "" when it throws none.
template <class F>
QString inputErrorOf(F&& f)
{
    try {
        f();
    } catch (const InputError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

// A file with the right schema attributes, for the bad-input cases to add one defect to.
hdf5::File validSkeleton(const std::string& path, int64_t nTokens = 4)
{
    hdf5::File file = hdf5::File::create(path);
    hdf5::Group root = file.root();
    root.writeStringAttribute("schema", kActivationSchema);
    root.writeStringAttribute("model", "m");
    root.writeIntAttribute("n_tokens", nTokens);
    root.writeStringAttribute("source", "s");
    return file;
}

} // namespace

class TestActivationStore : public QObject {
    Q_OBJECT
private slots:
    void roundTripFloat32()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const ActivationStore original = sampleStore();
        const std::string path = pathIn(dir, "acts.h5");
        Progress progress;
        original.save(path, progress);
        QCOMPARE(progress.fraction(), 1.0);

        const ActivationStore loaded = ActivationStore::load(path);
        QCOMPARE(loaded.path(), path);
        QCOMPARE(loaded.attributes().model, original.attributes().model);
        QCOMPARE(loaded.attributes().source, original.attributes().source);
        QCOMPARE(loaded.nTokens(), int64_t(5));
        QCOMPARE(loaded.tokens(), (std::vector<int32_t>{1, 403, 29871, 7, 0}));
        // Natural order: block 10 after blocks 0 and 1.
        QCOMPARE(loaded.layerNames(), (std::vector<std::string>{kGate, kQ, kDown, kImatrix}));
        QVERIFY(loaded.hasInputs(kQ) && loaded.hasInputs(kDown));
        QVERIFY(!loaded.hasInputs(kGate) && !loaded.hasInputs(kImatrix));
        QVERIFY(sameMatrix(loaded.inputs(kQ), original.inputs(kQ)));
        QVERIFY(sameMatrix(loaded.inputs(kDown), original.inputs(kDown)));
        QVERIFY(loaded.hasStats(kQ) && loaded.hasStats(kGate) && loaded.hasStats(kImatrix));
        QVERIFY(!loaded.hasStats(kDown));
        QVERIFY(sameStats(loaded.stats(kGate), original.stats(kGate)));
        QVERIFY(sameStats(loaded.stats(kQ), original.stats(kQ)));
        const ChannelStats imatrix = loaded.stats(kImatrix);
        QCOMPARE(imatrix.sumSq, (std::vector<double>{4.0, 9.0}));
        QVERIFY(!imatrix.hasAbsMax() && !imatrix.hasAbsSum());
        QCOMPARE(imatrix.count, int64_t(123456789012LL));

        const std::vector<SiteKey> sites = loaded.sites();
        QCOMPARE(sites.size(), size_t(3));
        QVERIFY((sites[0] == SiteKey{0, "resid_in"}));
        QVERIFY((sites[1] == SiteKey{0, "mlp_out"})); // stream order, not alphabetical
        QVERIFY((sites[2] == SiteKey{1, "attn_out"}));
        for (const auto& key : sites)
            QVERIFY(sameMatrix(loaded.site(key.block, key.site), original.site(key.block, key.site)));
        QVERIFY(!loaded.hasSite(1, "resid_in"));

        // The file itself follows the schema's layout and types.
        const hdf5::File file = hdf5::File::openReadOnly(path);
        const hdf5::Group root = file.root();
        QCOMPARE(root.readStringAttribute("schema"), std::string("salience-activations/1"));
        QCOMPARE(root.readIntAttribute("n_tokens"), int64_t(5));
        QCOMPARE(root.openDataset("tokens").type().name, std::string("int32"));
        const hdf5::Dataset q = root.openGroup("inputs").openDataset(kQ);
        QCOMPARE(q.type().name, std::string("float32"));
        QCOMPARE(q.shape(), (std::vector<int64_t>{5, 3}));
        const hdf5::Group gate = root.openGroup("stats").openGroup(kGate);
        QCOMPARE(gate.openDataset("abs_sum").type().name, std::string("float64"));
        QCOMPARE(gate.attributeType("count").name, std::string("int64"));
        QCOMPARE(root.openGroup("sites").openGroup("1").openDataset("attn_out").shape(),
                 (std::vector<int64_t>{5, 6}));
    }

    void roundTripFloat16()
    {
        QTemporaryDir dir;
        const ActivationStore original = sampleStore();
        const std::string path = pathIn(dir, "acts16.h5");
        Progress progress;
        original.save(path, progress, SaveOptions{true, 4});

        const ActivationStore loaded = ActivationStore::load(path);
        for (const std::string& layer : {kQ, kDown}) {
            const Matrix& x = original.inputs(layer);
            Matrix expected = x.unaryExpr([](float v) { return roundToHalf(v); });
            QVERIFY(sameMatrix(loaded.inputs(layer), expected));
            QVERIFY(!sameMatrix(loaded.inputs(layer), x)); // the rounding did happen
        }
        // Sites and statistics keep full precision.
        QVERIFY(sameMatrix(loaded.site(0, "resid_in"), original.site(0, "resid_in")));
        QVERIFY(sameStats(loaded.stats(kQ), original.stats(kQ)));

        const hdf5::File file = hdf5::File::openReadOnly(path);
        const hdf5::TypeDescription type = file.root().openGroup("inputs").openDataset(kQ).type();
        QVERIFY(type.isHalf);
        QCOMPARE(type.size, size_t(2));
        QCOMPARE(type.name, std::string("float16"));

        // Special values survive: signed zero, subnormal, largest half, overflow to infinity.
        ActivationStore special;
        Matrix s(1, 5);
        s << -0.0f, 5.9604645e-8f, 65504.0f, 1e6f, -3.0f;
        special.setInputs("x", s);
        const std::string specialPath = pathIn(dir, "special.h5");
        special.save(specialPath, progress, SaveOptions{true, 0});
        const Matrix back = ActivationStore::load(specialPath).inputs("x");
        QVERIFY(std::signbit(back(0, 0)) && back(0, 0) == 0.0f);
        QCOMPARE(back(0, 1), 5.9604645e-8f);
        QCOMPARE(back(0, 2), 65504.0f);
        QVERIFY(std::isinf(back(0, 3)));
        QCOMPARE(back(0, 4), -3.0f);
    }

    void openIsLazy()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "lazy.h5");
        Progress progress;
        sampleStore().save(path, progress);

        const ActivationStore store = ActivationStore::load(path);
        QCOMPARE(store.cachedBytes(), int64_t(0));
        QCOMPARE(store.inputsShape(kDown).rows, int64_t(5));
        QCOMPARE(store.inputsShape(kDown).cols, int64_t(4));
        QCOMPARE(store.siteShape(1, "attn_out").cols, int64_t(6));
        QCOMPARE(store.cachedBytes(), int64_t(0));

        const Matrix& x = store.inputs(kDown);
        QVERIFY(sameMatrix(x, patterned(5, 4, 0.7f)));
        QCOMPARE(store.cachedBytes(), int64_t(5 * 4 * 4));
        QVERIFY(sameMatrix(store.site(1, "attn_out"), patterned(5, 6, 1.3f)));
        QCOMPARE(store.cachedBytes(), int64_t(5 * 4 * 4 + 5 * 6 * 4));
        store.releaseCached();
        QCOMPARE(store.cachedBytes(), int64_t(0));
        QVERIFY(sameMatrix(store.inputs(kDown), patterned(5, 4, 0.7f)));

        // A copy shares the open file and outlives the original.
        ActivationStore copy = [&] { ActivationStore s = ActivationStore::load(path); return s; }();
        QVERIFY(sameMatrix(copy.inputs(kQ), patterned(5, 3, 0.1f)));

        // Saving a store that was never read streams from its file and keeps it unread; saving
        // over the very file it was loaded from works too.
        const ActivationStore unread = ActivationStore::load(path);
        const std::string again = pathIn(dir, "again.h5");
        unread.save(again, progress, SaveOptions{false, 1});
        QCOMPARE(unread.cachedBytes(), int64_t(0));
        unread.save(path, progress);
        for (const std::string& p : {again, path}) {
            const ActivationStore reloaded = ActivationStore::load(p);
            QVERIFY(sameMatrix(reloaded.inputs(kQ), patterned(5, 3, 0.1f)));
            QVERIFY(sameMatrix(reloaded.site(0, "mlp_out"), patterned(5, 6, 1.2f)));
            QCOMPARE(reloaded.tokens().size(), size_t(5));
        }
        QCOMPARE(allEntries(dir).size(), qsizetype(2));
    }

    void statsFromInputs()
    {
        Matrix X(3, 2);
        X << 1.0f, -2.0f, -3.0f, 4.0f, 0.5f, -0.5f;
        // By hand: sum_sq = (1 + 9 + 0.25, 4 + 16 + 0.25), abs_max = (3, 4), abs_sum = (4.5, 6.5).
        const ChannelStats s = ActivationStore::statsOf(X);
        QCOMPARE(s.sumSq, (std::vector<double>{10.25, 20.25}));
        QCOMPARE(s.absMax, (std::vector<double>{3.0, 4.0}));
        QCOMPARE(s.absSum, (std::vector<double>{4.5, 6.5}));
        QCOMPARE(s.count, int64_t(3));

        // A store with inputs only computes them, in memory and from a file.
        ActivationStore store;
        store.setInputs("layer", X);
        QVERIFY(!store.hasStats("layer"));
        QVERIFY(sameStats(store.stats("layer"), s));
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "inputs-only.h5");
        Progress progress;
        store.save(path, progress);
        const ActivationStore loaded = ActivationStore::load(path);
        QVERIFY(!loaded.hasStats("layer"));
        QVERIFY(sameStats(loaded.stats("layer"), s));
        QVERIFY(!hdf5::File::openReadOnly(path).root().hasLink("stats")); // derived, not saved
    }

    void mergeOfHalvesEqualsWhole()
    {
        const Matrix X = patterned(11, 4, 0.3f);
        const ChannelStats whole = channelStatsOf(X);
        const ChannelStats merged = mergeChannelStats(channelStatsOf(X.topRows(6)), channelStatsOf(X.bottomRows(5)));
        QCOMPARE(merged.count, int64_t(11));
        QVERIFY(close(merged.sumSq, whole.sumSq));
        QVERIFY(close(merged.absSum, whole.absSum));
        QCOMPARE(merged.absMax, whole.absMax);

        // Independent check of the whole: plain loops.
        for (int j = 0; j < 4; ++j) {
            double sq = 0, mx = 0;
            for (int i = 0; i < 11; ++i) {
                sq += double(X(i, j)) * double(X(i, j));
                mx = std::max(mx, double(std::abs(X(i, j))));
            }
            QVERIFY(std::abs(whole.sumSq[size_t(j)] - sq) < 1e-12 * sq);
            QCOMPARE(whole.absMax[size_t(j)], mx);
        }

        // An empty side is neutral; a side without abs_max drops it; widths must agree.
        QVERIFY(sameStats(mergeChannelStats(ChannelStats{}, whole), whole));
        ChannelStats squaresOnly;
        squaresOnly.sumSq = {1, 1, 1, 1};
        squaresOnly.count = 2;
        const ChannelStats mixed = mergeChannelStats(whole, squaresOnly);
        QVERIFY(!mixed.hasAbsMax() && !mixed.hasAbsSum());
        QCOMPARE(mixed.count, int64_t(13));
        QCOMPARE(mixed.sumSq[0], whole.sumSq[0] + 1.0);
        ChannelStats narrow;
        narrow.sumSq = {1};
        narrow.count = 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mergeChannelStats(whole, narrow));
    }

    void gramMatrix()
    {
        Matrix X(3, 2);
        X << 1, 2, 3, 4, 5, 6;
        // By hand: XᵀX = [[1+9+25, 2+12+30], [2+12+30, 4+16+36]].
        const MatrixD G = gram(X);
        QCOMPARE(G.rows(), Eigen::Index(2));
        QCOMPARE(G(0, 0), 35.0);
        QCOMPARE(G(0, 1), 44.0);
        QCOMPARE(G(1, 0), 44.0);
        QCOMPARE(G(1, 1), 56.0);

        GramAccumulator acc;
        acc.add(X.topRows(1));
        acc.add(X.bottomRows(2));
        QCOMPARE(acc.count(), int64_t(3));
        QCOMPARE(acc.features(), int64_t(2));
        QVERIFY(acc.gram() == G);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, acc.add(Matrix(1, 3)));

        // More rows than one internal block, against a plain triple loop in double.
        const Matrix Y = patterned(2500, 5, 0.9f);
        GramAccumulator a, b;
        a.add(Y.topRows(1300));
        b.add(Y.bottomRows(1200));
        a.add(b);
        const MatrixD H = a.gram();
        QCOMPARE(a.count(), int64_t(2500));
        for (int i = 0; i < 5; ++i)
            for (int j = 0; j < 5; ++j) {
                double s = 0;
                for (int r = 0; r < 2500; ++r)
                    s += double(Y(r, i)) * double(Y(r, j));
                QVERIFY(std::abs(H(i, j) - s) <= 1e-10 * std::max(1.0, std::abs(s)));
                QCOMPARE(H(i, j), H(j, i));
            }
        QCOMPARE(GramAccumulator(7).gram().rows(), Eigen::Index(7));
        QVERIFY(GramAccumulator(7).gram().isZero());
    }

    void compressionShrinksFiles()
    {
        QTemporaryDir dir;
        ActivationStore store;
        Matrix X(2048, 64);
        for (int i = 0; i < X.rows(); ++i)
            for (int j = 0; j < X.cols(); ++j)
                X(i, j) = float(j % 4) * 0.25f; // very repetitive
        store.setInputs("layer", X);
        store.setSite(3, "mlp_act", X);
        Progress progress;
        const std::string plain = pathIn(dir, "plain.h5"), packed = pathIn(dir, "packed.h5");
        store.save(plain, progress, SaveOptions{false, 0});
        store.save(packed, progress, SaveOptions{false, 4});
        const qint64 plainSize = QFileInfo(QString::fromStdString(plain)).size();
        const qint64 packedSize = QFileInfo(QString::fromStdString(packed)).size();
        QVERIFY2(plainSize > 2 * 2048 * 64 * 4, qPrintable(QString::number(plainSize)));
        QVERIFY2(packedSize * 10 < plainSize,
                 qPrintable(QStringLiteral("%1 vs %2").arg(packedSize).arg(plainSize)));
        const ActivationStore back = ActivationStore::load(packed);
        QVERIFY(sameMatrix(back.inputs("layer"), X));
        QVERIFY(sameMatrix(back.site(3, "mlp_act"), X));
    }

    void rejectsBadFiles()
    {
        QTemporaryDir dir;
        const auto expectError = [](const std::string& path, QStringList parts) {
            const QString message = inputErrorOf([&] { ActivationStore::load(path); });
            QVERIFY2(!message.isEmpty(), qPrintable(QString::fromStdString(path)));
            parts.prepend(QString::fromStdString(path));
            for (const QString& part : parts)
                QVERIFY2(message.contains(part), qPrintable(message + " lacks " + part));
        };

        const std::string text = pathIn(dir, "notes.txt");
        {
            QFile f(QString::fromStdString(text));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("this is plain text, not HDF5\n");
        }
        expectError(text, {"not an HDF5 file"});
        expectError(pathIn(dir, "absent.h5"), {"no such file"});

        const std::string noSchema = pathIn(dir, "no-schema.h5");
        hdf5::File::create(noSchema).root().writeStringAttribute("model", "m");
        expectError(noSchema, {"schema", "salience-activations/1"});

        const std::string wrongSchema = pathIn(dir, "v2.h5");
        hdf5::File::create(wrongSchema).root().writeStringAttribute("schema", "salience-activations/2");
        expectError(wrongSchema, {"'salience-activations/2'", "expected 'salience-activations/1'"});

        const std::string numberSchema = pathIn(dir, "number-schema.h5");
        hdf5::File::create(numberSchema).root().writeIntAttribute("schema", 1);
        expectError(numberSchema, {"schema", "expected a string"});

        const std::string rank3 = pathIn(dir, "rank3.h5");
        {
            hdf5::File f = validSkeleton(rank3);
            f.root().createGroup("inputs").createDataset("model.layers.0.q", hdf5::ElementType::Float32, {4, 2, 2});
        }
        expectError(rank3, {"/inputs/model.layers.0.q", "rank 3", "expected 2"});

        const std::string intInputs = pathIn(dir, "int-inputs.h5");
        {
            hdf5::File f = validSkeleton(intInputs);
            f.root().createGroup("inputs").createDataset("q", hdf5::ElementType::Int32, {4, 2});
        }
        expectError(intInputs, {"/inputs/q", "int32"});

        const std::string wrongRows = pathIn(dir, "rows.h5");
        {
            hdf5::File f = validSkeleton(wrongRows, 4);
            f.root().createGroup("sites").createGroup("0").createDataset("resid_in", hdf5::ElementType::Float32, {3, 2});
        }
        expectError(wrongRows, {"/sites/0/resid_in", "3 rows", "4 tokens"});

        const std::string badBlock = pathIn(dir, "block.h5");
        {
            hdf5::File f = validSkeleton(badBlock, 4);
            f.root().createGroup("sites").createGroup("first");
        }
        expectError(badBlock, {"/sites/first", "block index"});

        const auto statsFile = [&](const char* name, std::vector<double> absMax, int64_t count) {
            const std::string path = pathIn(dir, name);
            hdf5::File f = validSkeleton(path);
            hdf5::Group g = f.root().createGroup("stats").createGroup("model.layers.0.q");
            g.writeVector("sum_sq", std::vector<double>{1, 2, 3});
            g.writeVector("abs_max", absMax);
            g.writeVector("abs_sum", std::vector<double>{1, 2, 3});
            g.writeIntAttribute("count", count);
            return path;
        };
        expectError(statsFile("lengths.h5", {1, 2}, 3), {"/stats/model.layers.0.q", "different lengths"});
        expectError(statsFile("count.h5", {1, 2, 3}, -1), {"/stats/model.layers.0.q", "count", "negative"});

        const std::string intStats = pathIn(dir, "int-stats.h5");
        {
            hdf5::File f = validSkeleton(intStats);
            f.root().createGroup("stats").createGroup("q").writeVector("sum_sq", std::vector<int64_t>{1, 2});
        }
        expectError(intStats, {"/stats/q/sum_sq", "int64", "floating-point"});

        const std::string badTokens = pathIn(dir, "tokens.h5");
        {
            hdf5::File f = validSkeleton(badTokens, 4);
            f.root().writeVector("tokens", std::vector<int32_t>{1, 2, 3});
        }
        expectError(badTokens, {"/tokens", "3 tokens", "n_tokens is 4"});
    }

    void rejectsTruncatedFile()
    {
        QTemporaryDir dir;
        ActivationStore store;
        store.setInputs("layer", patterned(4096, 16, 0.5f));
        const std::string path = pathIn(dir, "whole.h5");
        Progress progress;
        store.save(path, progress, SaveOptions{false, 0});
        QFile file(QString::fromStdString(path));
        QVERIFY(file.resize(file.size() / 2));
        // Either opening or reading the data must fail with a message naming the file.
        const QString message = inputErrorOf([&] { ActivationStore::load(path).inputs("layer"); });
        QVERIFY2(message.startsWith(QString::fromStdString(path)), qPrintable(message));
    }

    void emptyMatricesRoundTrip()
    {
        QTemporaryDir dir;
        ActivationStore store;
        store.setInputs("layer", Matrix(0, 4));
        store.setSite(2, "mlp_act", Matrix(0, 8));
        const std::string path = pathIn(dir, "empty.h5");
        Progress progress;
        store.save(path, progress);
        const ActivationStore loaded = ActivationStore::load(path);
        QCOMPARE(loaded.nTokens(), int64_t(0));
        QCOMPARE(loaded.inputs("layer").cols(), Eigen::Index(4));
        QCOMPARE(loaded.inputs("layer").rows(), Eigen::Index(0));
        QCOMPARE(loaded.site(2, "mlp_act").cols(), Eigen::Index(8));
        QCOMPARE(loaded.stats("layer").count, int64_t(0));
    }

    void readsFromSeveralThreads()
    {
        QTemporaryDir dir;
        ActivationStore store;
        for (int i = 0; i < 8; ++i)
            store.setInputs("layer." + std::to_string(i), patterned(300, 24, float(i)));
        const std::string path = pathIn(dir, "threads.h5");
        Progress progress;
        store.save(path, progress, SaveOptions{true, 2});
        const ActivationStore loaded = ActivationStore::load(path);
        std::atomic<int> mismatches{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int k = 0; k < 8; ++k) {
                    const int i = (k + 2 * t) % 8;
                    const Matrix expected = patterned(300, 24, float(i)).unaryExpr([](float v) { return roundToHalf(v); });
                    if (!sameMatrix(loaded.inputs("layer." + std::to_string(i)), expected))
                        ++mismatches;
                    loaded.stats("layer." + std::to_string(i));
                }
            });
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(mismatches.load(), 0);
    }

    void readsFixedLengthStrings()
    {
        // Other writers (h5py with numpy bytes, HDF5 tools) store fixed-length strings.
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "fixed.h5");
        {
            hdf5::File f = hdf5::File::create(path);
            hdf5::Group root = f.root();
            const auto writeFixed = [&](const char* name, const std::string& value, H5T_str_t pad) {
                hdf5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
                H5Tset_size(type.id(), value.size() + 3);
                H5Tset_strpad(type.id(), pad);
                H5Tset_cset(type.id(), H5T_CSET_UTF8);
                hdf5::Handle space(H5Screate(H5S_SCALAR), H5Sclose);
                hdf5::Handle attr(H5Acreate2(root.id(), name, type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
                std::string buffer = value + std::string(3, pad == H5T_STR_SPACEPAD ? ' ' : '\0');
                QVERIFY(H5Awrite(attr.id(), type.id(), buffer.data()) >= 0);
            };
            writeFixed("schema", kActivationSchema, H5T_STR_NULLPAD);
            writeFixed("model", "llama ü", H5T_STR_SPACEPAD);
            writeFixed("source", "text", H5T_STR_NULLTERM);
            root.writeIntAttribute("n_tokens", 0);
        }
        const ActivationStore store = ActivationStore::load(path);
        QCOMPARE(store.attributes().model, std::string("llama ü"));
        QCOMPARE(store.attributes().source, std::string("text"));
        QVERIFY(store.layerNames().empty());
    }

    void rejectsBadSettings()
    {
        ActivationStore store;
        const QString slash = inputErrorOf([&] { store.setInputs("model/layers.0", Matrix(2, 2)); });
        QVERIFY2(slash.contains("'/'"), qPrintable(slash));
        QVERIFY(!inputErrorOf([&] { store.setSite(0, "a/b", Matrix(2, 2)); }).isEmpty());
        store.setInputs("a", Matrix::Zero(2, 3));
        const QString rows = inputErrorOf([&] { store.setInputs("b", Matrix(4, 3)); });
        QVERIFY2(rows.contains("4 rows") && rows.contains("2 tokens"), qPrintable(rows));
        QVERIFY(!inputErrorOf([&] { store.setTokens({1, 2, 3}); }).isEmpty());
        store.setInputs("a", Matrix::Zero(2, 3)); // replacing keeps working
        ChannelStats wrongWidth;
        wrongWidth.sumSq = {1, 2};
        QVERIFY(!inputErrorOf([&] { store.setStats("a", wrongWidth); }).isEmpty());

        // Asking for what is not there names the file and the layer.
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "one.h5");
        Progress progress;
        store.save(path, progress);
        const ActivationStore loaded = ActivationStore::load(path);
        const QString missing = inputErrorOf([&] { loaded.inputs("model.layers.9.k_proj"); });
        QVERIFY2(missing.contains(QString::fromStdString(path)) && missing.contains("model.layers.9.k_proj"),
                 qPrintable(missing));
        QVERIFY(!inputErrorOf([&] { loaded.site(0, "resid_in"); }).isEmpty());
        QVERIFY(!inputErrorOf([&] { loaded.stats("nothing"); }).isEmpty());
        QVERIFY(!inputErrorOf([&] { store.save(path, progress, SaveOptions{false, 12}); }).isEmpty());
    }

    void cancelledSaveLeavesNothing()
    {
        QTemporaryDir dir;
        ActivationStore store;
        for (int i = 0; i < 6; ++i)
            store.setInputs("model.layers." + std::to_string(i) + ".q", patterned(600, 32, float(i)));

        // Cancel once a part has been written, so a half-written temporary file exists.
        Progress* self = nullptr;
        int reports = 0;
        Progress progress([&](double, const std::string&) {
            if (++reports == 2)
                self->requestCancel();
        });
        self = &progress;
        QVERIFY_THROWS_EXCEPTION(CancelledError, store.save(pathIn(dir, "acts.h5"), progress));
        QVERIFY(reports >= 2);
        QCOMPARE(allEntries(dir), QStringList());

        // An existing file of that name is left as it was.
        const QString previous = dir.filePath("acts.h5");
        {
            QFile f(previous);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("previous");
        }
        Progress cancelled;
        cancelled.requestCancel();
        QVERIFY_THROWS_EXCEPTION(CancelledError, store.save(previous.toStdString(), cancelled));
        QCOMPARE(allEntries(dir), QStringList{"acts.h5"});
        QFile f(previous);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("previous"));

        // A folder that does not exist: a clear error, nothing created.
        Progress fine;
        const QString noFolder = inputErrorOf([&] { store.save(pathIn(dir, "missing/acts.h5"), fine); });
        QVERIFY2(noFolder.contains("temporary file"), qPrintable(noFolder));
        QCOMPARE(allEntries(dir), QStringList{"acts.h5"});
    }
};

QTEST_GUILESS_MAIN(TestActivationStore)
#include "test_activationstore.moc"
